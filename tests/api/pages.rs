//! The pages in the browser's place: forms with CSRF tokens, errors beside fields, sessions.

use crate::common::{TestApp, csrf, form, session_as, with_cookies};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

fn apply_body(token: &str, id_number: &str) -> String {
    let pairs = [
        ("csrf", token),
        ("applicant_name", "王小明"),
        ("applicant_id_number", id_number),
        ("applicant_phone", "13900001111"),
        ("applicant_address", "中山市东区"),
        ("respondent_name", "中山市某某电器有限公司"),
        ("respondent_address", "中山市火炬开发区"),
        ("claim0_kind", "unpaid_wages"),
        ("claim0_amount", "5200"),
        ("claim2_kind", "overtime_pay"),
        ("claim2_amount", "12.345"),
        ("employment_start", "2025-01-01"),
        ("facts", "拖欠工资"),
        ("consent_simplified", "on"),
        ("consent_informal_service", "on"),
        ("consent_personal_data", "on"),
    ];
    serde_urlencoded::to_string(pairs).unwrap()
}

async fn the_registration_form_shows_each_error_beside_its_field_and_keeps_the_input(t: TestApp) {
    let (cookie, token) = csrf(&t, "/apply").await;
    let a = t.request(form("/apply", &cookie, apply_body(&token, "110101199003074478"))).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.text.contains(r#"id="applicant_id_number-error""#), "{}", a.text);
    assert!(a.text.contains("公民身份号码校验位错误"));
    // The third row's error is shown on the third row, though the empty second row was skipped.
    assert!(a.text.contains(r#"id="claim2_amount-error""#));
    assert!(a.text.contains("王小明"), "the input is kept");
    assert_eq!(t.count("cases").await, 0);
}

async fn the_form_reads_what_a_chinese_input_method_types_into_number_fields(t: TestApp) {
    let (cookie, token) = csrf(&t, "/apply").await;
    // Full-width digits, spaces inside the number and a lower-case x; "8,600元" and "１２３元".
    let body = apply_body(&token, "１１０１０５ １９４９１２３１ ００２x")
        .replace("5200", "8%2C600%E5%85%83")
        .replace("12.345", "%EF%BC%91%EF%BC%92%EF%BC%93%E5%85%83");
    let a = t.request(form("/apply", &cookie, body)).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
    let stored: (String,) =
        sqlx::query_as("SELECT id_number FROM parties WHERE role = 'applicant'").fetch_one(&t.app.db.reader).await.unwrap();
    assert_eq!(stored.0, "11010519491231002X");
    let fen: Vec<(i64,)> = sqlx::query_as("SELECT amount_fen FROM claims ORDER BY position").fetch_all(&t.app.db.reader).await.unwrap();
    assert_eq!(fen, [(860_000,), (12_300,)]);
}

async fn a_filed_form_redirects_to_its_receipt_and_a_reload_files_nothing(t: TestApp) {
    let (cookie, token) = csrf(&t, "/apply").await;
    let body = apply_body(&token, "110101199003074477").replace("12.345", "300");
    let a = t.request(form("/apply", &cookie, body)).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
    assert_eq!(a.headers.get(header::LOCATION).unwrap(), "/apply/registered");
    let jar = with_cookies(&cookie, &a);
    assert_eq!(t.count("claims").await, 2);

    // The receipt shows the access code; reloading it shows it again and files nothing.
    let mut seen = Vec::new();
    for _ in 0..2 {
        let r = get_page(&t, "/apply/registered", &jar).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
        assert!(r.text.contains("仲裁申请回执") && r.text.contains("打印回执"), "{}", r.text);
        seen.push((between(&r.text, r#"id="case-id">"#, "<"), between(&r.text, r#"id="access-code">"#, "<")));
    }
    assert_eq!(seen[0], seen[1]);
    assert_eq!(t.count("cases").await, 1);
    // Without the carried cookie there is no receipt to show: the sign-in page instead.
    assert_eq!(get_page(&t, "/apply/registered", "").await.status, StatusCode::SEE_OTHER);

    // The applicant is signed in to the new case already.
    let mine = get_page(&t, "/status/case", &jar).await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.text);
    assert!(mine.text.contains("待受理") && mine.text.contains("仲裁委员会将在"), "{}", mine.text);

    // Signing in again with the case id and access code opens the same page; a wrong code is refused.
    let (id, code) = seen.remove(0);
    let (cookie, token) = csrf(&t, "/status").await;
    let q = serde_urlencoded::to_string([("csrf", token.as_str()), ("case", id.as_str()), ("code", code.as_str())]).unwrap();
    let s = t.request(form("/status", &cookie, q)).await;
    assert_eq!(s.status, StatusCode::SEE_OTHER, "{}", s.text);
    assert_eq!(s.headers.get(header::LOCATION).unwrap(), "/status/case");
    assert_eq!(get_page(&t, "/status/case", &with_cookies(&cookie, &s)).await.status, StatusCode::OK);
    let q = serde_urlencoded::to_string([("csrf", token.as_str()), ("case", id.as_str()), ("code", "WRONG-CODE")]).unwrap();
    let wrong = t.request(form("/status", &cookie, q)).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.text.contains("登录码不正确") && wrong.text.contains(&id), "the typed reference is kept: {}", wrong.text);
    let q = serde_urlencoded::to_string([("csrf", token.as_str()), ("case", ""), ("code", "")]).unwrap();
    let blank = t.request(form("/status", &cookie, q)).await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank.text.contains(r#"id="case-error""#) && blank.text.contains(r##"href="#code""##), "{}", blank.text);
}

async fn the_registration_form_needs_the_personal_data_consent_and_lists_every_error_with_a_link(t: TestApp) {
    let (cookie, token) = csrf(&t, "/apply").await;
    let body = apply_body(&token, "110101199003074478").replace("&consent_personal_data=on", "");
    let a = t.request(form("/apply", &cookie, body)).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.text.contains(r#"id="consent_personal_data-error""#), "{}", a.text);
    assert!(a.text.contains("个人信息收集告知"));
    // The summary links to each field, the ID number's error among them, in the form's order.
    let summary = between(&a.text, r#"id="error-summary""#, "</div>");
    let id_link = summary.find(r##"href="#applicant_id_number""##).expect("a link to the ID number");
    let consent_link = summary.find(r##"href="#consent_personal_data""##).expect("a link to the consent");
    assert!(id_link < consent_link, "{summary}");
    assert_eq!(t.count("cases").await, 0);
}

async fn the_same_dispute_filed_twice_in_a_week_is_flagged_to_the_clerk(t: TestApp) {
    let first = t.register(crate::common::application()).await;
    let first_id = first.body["id"].as_str().unwrap().to_string();
    assert!(first.body["warnings"].as_array().unwrap().iter().all(|w| !w.as_str().unwrap().contains("重复")));
    let again = t.register(crate::common::application()).await;
    let warnings = again.body["warnings"].to_string();
    assert!(warnings.contains("可能重复申请") && warnings.contains(&first_id), "{}", again.text);
    let clerk = t.token(greenlane::app::accounts::Role::Clerk).await;
    let seen = t.call("GET", &format!("/api/v1/cases/{}", again.body["id"].as_str().unwrap()), Some(&clerk), None).await;
    assert!(seen.body["warnings"].to_string().contains(&first_id), "{}", seen.text);
    // Another claim is another dispute.
    let mut other = crate::common::application();
    other["claims"][0]["amount"] = serde_json::json!("1234.00");
    assert!(!t.register(other).await.body["warnings"].to_string().contains("重复"));
}

async fn a_form_without_the_csrf_token_is_refused(t: TestApp) {
    let a = t.request(form("/apply", "gl_csrf=abc", apply_body("other", "110101199003074477"))).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(a.text.contains("页面已过期"));
    assert_eq!(t.count("cases").await, 0);
}

async fn a_clerk_signs_in_and_accepts_from_the_inbox(t: TestApp) {
    greenlane::app::accounts::add_user(&t.app, "clerk1", greenlane::app::accounts::Role::Clerk, crate::common::PASSWORD, None)
        .await
        .unwrap();
    let id = t.filed_case().await;
    let (cookie, token) = csrf(&t, "/login").await;
    let bad = serde_urlencoded::to_string([("csrf", token.as_str()), ("username", "clerk1"), ("password", "nope")]).unwrap();
    assert_eq!(t.request(form("/login", &cookie, bad)).await.status, StatusCode::UNAUTHORIZED);
    let good =
        serde_urlencoded::to_string([("csrf", token.as_str()), ("username", "clerk1"), ("password", crate::common::PASSWORD)]).unwrap();
    let a = t.request(form("/login", &cookie, good)).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let (cookies, token) = crate::common::signed_in(&a);

    let inbox = t.request(Request::get("/staff").header("cookie", &cookies).body(Body::empty()).unwrap()).await;
    assert_eq!(inbox.status, StatusCode::OK);
    assert!(inbox.text.contains(&id) && inbox.text.contains("还剩5个工作日"), "{}", inbox.text);

    let body = serde_urlencoded::to_string([("csrf", token.as_str())]).unwrap();
    let a = t.request(form(&format!("/staff/cases/{id}/accept"), &cookies, body.clone())).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let again = t.request(form(&format!("/staff/cases/{id}/accept"), &cookies, body)).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.text.contains("不能再受理") && again.text.contains("第1号"), "{}", again.text);
    // The case's record names the clerk by name once one is recorded for the account.
    greenlane::app::accounts::set_full_name(&t.app, "clerk1", "李书雅").await.unwrap();
    let case = t.request(Request::get(format!("/staff/cases/{id}")).header("cookie", &cookies).body(Body::empty()).unwrap()).await;
    assert!(case.text.contains("<td>李书雅</td><td>受理"), "{}", case.text);
}

/// Signs a new clerk in; returns the cookies and the CSRF token.
async fn clerk_session(t: &TestApp) -> (String, String) {
    greenlane::app::accounts::add_user(&t.app, "clerk2", greenlane::app::accounts::Role::Clerk, crate::common::PASSWORD, None)
        .await
        .unwrap();
    let (cookie, token) = csrf(t, "/login").await;
    let body =
        serde_urlencoded::to_string([("csrf", token.as_str()), ("username", "clerk2"), ("password", crate::common::PASSWORD)]).unwrap();
    let a = t.request(form("/login", &cookie, body)).await;
    crate::common::signed_in(&a)
}

async fn a_clerk_suspends_and_resumes_from_the_case_page_and_sees_the_board(t: TestApp) {
    let (cookies, token) = clerk_session(&t).await;
    let clerk = t.token(greenlane::app::accounts::Role::Clerk).await;
    let id = t.accepted_case(&clerk).await;
    let get = |path: String| Request::get(path).header("cookie", &cookies).body(Body::empty()).unwrap();

    let page = t.request(get(format!("/staff/cases/{id}"))).await;
    assert!(
        page.text.contains("审限届满") && page.text.contains("2026年12月31日") && page.text.contains("调解仲裁法第四十三条"),
        "{}",
        page.text
    );
    assert!(page.text.contains(r#"action="/staff/cases/"#) && page.text.contains("/suspend\""));

    let empty = serde_urlencoded::to_string([("csrf", token.as_str()), ("ground", "")]).unwrap();
    let a = t.request(form(&format!("/staff/cases/{id}/suspend"), &cookies, empty)).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.text.contains("请选择中止事由"), "{}", a.text);

    let body = serde_urlencoded::to_string([("csrf", token.as_str()), ("ground", "awaiting_assessment"), ("on", "2026-11-16")]).unwrap();
    let a = t.request(form(&format!("/staff/cases/{id}/suspend"), &cookies, body)).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
    let page = t.request(get(format!("/staff/cases/{id}?done=clock"))).await;
    assert!(
        page.text.contains("中止审理") && page.text.contains(r#"id="suspended""#) && page.text.contains(r#"id="resume""#),
        "{}",
        page.text
    );

    let resume = serde_urlencoded::to_string([("csrf", token.as_str()), ("on", "2026-11-16")]).unwrap();
    assert_eq!(t.request(form(&format!("/staff/cases/{id}/resume"), &cookies, resume)).await.status, StatusCode::SEE_OTHER);

    // A case accepted in December has its award deadline in 2027, whose calendar is not loaded.
    let december = t.on_day("2026-12-01");
    let late = december.accepted_case(&clerk).await;
    december.clock(&clerk, &late, "copy-served", serde_json::json!({})).await;
    december.clock(&clerk, &late, "tribunal-notified", serde_json::json!({})).await;
    let board = december.request(get("/staff/deadlines?within=60".into())).await;
    assert_eq!(board.status, StatusCode::OK);
    assert!(board.text.contains(r#"<tr class="red">"#), "{}", board.text);
    assert!(board.text.contains("2027年1月15日 <span class=\"tag provisional\""), "{}", board.text);
    assert_eq!(board.text.matches("tag provisional").count(), 1, "only the 2027 date is provisional");
    let bad = december.request(get("/staff/deadlines?within=abc".into())).await;
    assert!(bad.text.contains("within 应为0至60"), "{}", bad.text);
}

async fn staff_pages_send_strangers_to_the_login_page(t: TestApp) {
    let a = t.request(Request::get("/staff").body(Body::empty()).unwrap()).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.headers.get(header::LOCATION).unwrap(), "/login");
}

async fn a_clerk_plans_with_one_click_confirms_a_replan_after_leave_and_the_docket_shows_it(t: TestApp) {
    let (cookies, token) = clerk_session(&t).await;
    let clerk = t.token(greenlane::app::accounts::Role::Clerk).await;
    let get = |path: String| Request::get(path).header("cookie", &cookies).body(Body::empty()).unwrap();
    let post = |path: &str, pairs: &[(&str, &str)]| {
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(pairs);
        form(path, &cookies, serde_urlencoded::to_string(all).unwrap())
    };
    assert_eq!(t.request(post("/staff/tribunal/room", &[("name", "第一审理庭"), ("seats", "8")])).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        t.request(post("/staff/tribunal/arbitrator", &[("name", "黄志明"), ("presides", "1"), ("max_per_day", "4")])).await.status,
        StatusCode::SEE_OTHER
    );
    let bad = t.request(post("/staff/tribunal/room", &[("name", "第二审理庭"), ("seats", "很多")])).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("座位数应为整数"), "{}", bad.text);
    let id = t.accepted_case(&clerk).await;

    // A dry run first, then saved as it is.
    let tried = t.request(post("/staff/schedule", &[("dry_run", "1")])).await;
    assert!(tried.text.contains("试排结果（未保存）：1 件") && tried.text.contains(r#"id="save-draft""#), "{}", tried.text);
    let draft = between(&tried.text, r#"name="draft_id" value=""#, "\"");
    let planned = t.request(post("/staff/schedule/save", &[("draft_id", &draft)])).await;
    assert_eq!(planned.status, StatusCode::OK, "{}", planned.text);
    assert!(planned.text.contains("已排期：1 件") && planned.text.contains("黄志明") && planned.text.contains(&id), "{}", planned.text);
    // Days in Chinese on the page, never as ISO dates; each case by its 案号, parties and track.
    assert!(planned.text.contains("<td>2026年") && !planned.text.contains("<td>2026-"), "{}", planned.text);
    assert!(planned.text.contains(">中劳人仲案字〔2026〕第1号</a></td><td>张三 诉 中山市某某电器有限公司</td>"), "{}", planned.text);
    // The run's notices print as one PDF (the outbox has not issued them yet: printing does).
    let none = t.request(post("/staff/schedule/notices", &[("hearing", "x")])).await;
    assert!(none.status.is_client_error() && none.text.contains("请选择1到1000场庭审的通知"), "{} {}", none.status, none.text);
    let hearing_id = between(&planned.text, r#"name="hearing" value=""#, "\"");
    let printed = t.request(post("/staff/schedule/notices", &[("hearing", &hearing_id)])).await;
    assert_eq!(printed.status, StatusCode::OK, "{}", printed.text);
    assert_eq!(printed.headers[header::CONTENT_TYPE], "application/pdf");
    let text = crate::documents::tool("pdftotext", &["-enc", "UTF-8"], &printed.bytes);
    assert!(text.contains("仲裁庭组成通知书") && text.contains("开庭通知书"), "{text}");
    assert_eq!(crate::documents::flat(&text).matches("—1—").count(), 2, "each notice is numbered from its own first page: {text}");
    let hearing = t.request(get(format!("/staff/cases/{id}/hearing"))).await;
    assert!(hearing.text.contains("待开庭") && hearing.text.contains("改到此时段"), "{}", hearing.text);
    assert!(
        hearing.text.contains(r#"<select id="p_arb1" name="arb_1">"#) && !hearing.text.contains("仲裁员编号"),
        "arbitrators are picked by name"
    );
    // A move by hand must say why; the arbitrator comes from the picker.
    let slot_day = between(&hearing.text, r#"name="day" value=""#, "\"");
    let slot_start = between(&hearing.text, r#"name="start" value=""#, "\"");
    let by_hand = |reason: &'static str| {
        let (d, st) = (slot_day.clone(), slot_start.clone());
        move || [("day", d.clone()), ("start", st.clone()), ("room_id", "1".into()), ("arb_1", "1".into()), ("reason", reason.to_string())]
    };
    let pairs = by_hand("")();
    let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let unexplained = t.request(post(&format!("/staff/cases/{id}/hearing/place"), &refs)).await;
    assert_eq!(unexplained.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unexplained.text);
    assert!(unexplained.text.contains("改期时请写明调整原因"), "{}", unexplained.text);
    let pairs = by_hand("申请人申请调整")();
    let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let moved = t.request(post(&format!("/staff/cases/{id}/hearing/place"), &refs)).await;
    assert!(moved.status == StatusCode::SEE_OTHER || moved.status == StatusCode::OK, "{}", moved.text);
    let hearing = t.request(get(format!("/staff/cases/{id}/hearing"))).await;
    let day = between(&hearing.text, r#"<time datetime=""#, "\"");

    assert_eq!(t.request(post("/staff/tribunal/arbitrator", &[("name", "李慧珍"), ("presides", "1")])).await.status, StatusCode::SEE_OTHER);
    let leave =
        t.request(post("/staff/tribunal/leave", &[("id", "1"), ("from", "2026-11-17"), ("to", "2027-02-26"), ("reason", "病假")])).await;
    assert_eq!(leave.status, StatusCode::OK, "{}", leave.text);
    assert!(
        leave.text.contains("以下是改期方案") && leave.text.contains("李慧珍") && leave.text.contains(r#"id="confirm-replan""#),
        "{}",
        leave.text
    );
    let ids = between(&leave.text, r#"name="hearing_ids" value=""#, "\"");
    // Not confirmed yet: the affected hearing stays listed on the tribunal page until it is moved.
    let listed = t.request(get("/staff/tribunal".into())).await;
    assert!(
        listed.text.contains("请假等原因受影响的庭审：1 场") && listed.text.contains("中劳人仲案字〔2026〕第1号 张三 诉"),
        "{}",
        listed.text
    );
    let proposed = t.request(post("/staff/tribunal/propose", &[("hearing_ids", &ids)])).await;
    assert_eq!(proposed.status, StatusCode::OK, "{}", proposed.text);
    assert!(proposed.text.contains("改期方案") && proposed.text.contains(r#"id="confirm-replan""#), "{}", proposed.text);
    let confirmed = t.request(post("/staff/tribunal/replan", &[("hearing_ids", &ids), ("reason", "黄志明病假")])).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER, "{}", confirmed.text);
    assert!(!t.request(get("/staff/tribunal".into())).await.text.contains("受影响的庭审："), "moved: off the list");

    let docket = t.request(get(format!("/staff/docket?arbitrator=2&from={day}"))).await;
    assert!(docket.text.contains("李慧珍") && docket.text.contains("中劳人仲案字") && docket.text.contains("剩"), "{}", docket.text);
    let old = t.request(get(format!("/staff/docket?arbitrator=1&from={day}"))).await;
    assert!(old.text.contains("这一周没有庭审"), "{}", old.text);
}

fn between(text: &str, start: &str, end: &str) -> String {
    let from = text.find(start).unwrap() + start.len();
    text[from..].split(end).next().unwrap().to_string()
}

async fn the_csrf_token_read_before_sign_in_is_refused_after_it(t: TestApp) {
    greenlane::app::accounts::add_user(&t.app, "clerk.rotate", greenlane::app::accounts::Role::Clerk, crate::common::PASSWORD, None)
        .await
        .unwrap();
    let (cookie, old) = csrf(&t, "/login").await;
    let body =
        serde_urlencoded::to_string([("csrf", old.as_str()), ("username", "clerk.rotate"), ("password", crate::common::PASSWORD)]).unwrap();
    let a = t.request(form("/login", &cookie, body)).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let set: Vec<String> =
        a.headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string()).collect();
    let cookies = set.join("; ");
    // The old token, with the new cookies, no longer passes a form.
    let stale = serde_urlencoded::to_string([("csrf", old.as_str())]).unwrap();
    assert_eq!(t.request(form("/logout", &cookies, stale)).await.status, StatusCode::FORBIDDEN);
    let new = set.iter().find_map(|c| c.strip_prefix("gl_csrf=")).unwrap();
    let fresh = serde_urlencoded::to_string([("csrf", new)]).unwrap();
    assert_eq!(t.request(form("/logout", &cookies, fresh)).await.status, StatusCode::SEE_OTHER);
}

async fn each_role_lands_on_its_own_page_after_signing_in(t: TestApp) {
    use greenlane::app::accounts::Role;
    for (name, role, home) in [
        ("clerk.home", Role::Clerk, "/staff"),
        ("arbitrator.home", Role::Arbitrator, "/staff/docket"),
        ("liaison.home", Role::Liaison, "/staff/liaison"),
        ("director.home", Role::Director, "/staff/stats"),
        ("admin.home", Role::Admin, "/staff/admin"),
    ] {
        greenlane::app::accounts::add_user(&t.app, name, role, crate::common::PASSWORD, None).await.unwrap();
        let (cookie, token) = csrf(&t, "/login").await;
        let body =
            serde_urlencoded::to_string([("csrf", token.as_str()), ("username", name), ("password", crate::common::PASSWORD)]).unwrap();
        let a = t.request(form("/login", &cookie, body)).await;
        assert_eq!((a.status, a.headers.get(header::LOCATION).unwrap().to_str().unwrap()), (StatusCode::SEE_OTHER, home), "{name}");
    }
}

on_both_backends!(
    each_role_lands_on_its_own_page_after_signing_in,
    the_csrf_token_read_before_sign_in_is_refused_after_it,
    the_form_reads_what_a_chinese_input_method_types_into_number_fields,
    the_registration_form_shows_each_error_beside_its_field_and_keeps_the_input,
    a_filed_form_redirects_to_its_receipt_and_a_reload_files_nothing,
    the_registration_form_needs_the_personal_data_consent_and_lists_every_error_with_a_link,
    the_same_dispute_filed_twice_in_a_week_is_flagged_to_the_clerk,
    a_form_without_the_csrf_token_is_refused,
    a_clerk_signs_in_and_accepts_from_the_inbox,
    a_clerk_suspends_and_resumes_from_the_case_page_and_sees_the_board,
    staff_pages_send_strangers_to_the_login_page,
    a_clerk_plans_with_one_click_confirms_a_replan_after_leave_and_the_docket_shows_it,
    an_arbitrator_awards_from_the_form_and_the_liaison_desk_finds_and_downloads_it,
    an_arbitrator_previews_and_issues_a_mediation_statement_from_its_form,
    every_role_opens_every_link_of_its_navigation_and_the_clerk_sees_counts_by_stage,
    an_arbitrator_subscribes_to_its_own_docket_from_the_docket,
    the_admin_manages_accounts_and_loads_the_holidays_from_its_page,
    a_clerk_records_a_withdrawal_from_the_case_page_and_a_blank_reason_is_refused_there,
    the_tribunal_records_a_hearing_from_its_page_and_a_blank_record_or_a_stranger_is_refused,
);

async fn get_page(t: &TestApp, path: &str, cookies: &str) -> crate::common::Answer {
    t.request(Request::get(path).header("cookie", cookies).body(Body::empty()).unwrap()).await
}

async fn an_arbitrator_awards_from_the_form_and_the_liaison_desk_finds_and_downloads_it(t: TestApp) {
    use greenlane::app::accounts::Role;
    use serde_json::json;
    let clerk = t.token(Role::Clerk).await;
    let room =
        t.call("POST", "/api/v1/rooms", Some(&clerk), Some(json!({"name": "第一审理庭", "seats": 8}))).await.body["id"].as_i64().unwrap();
    let arb = t.call("POST", "/api/v1/arbitrators", Some(&clerk), Some(json!({"name": "王立明", "presides": true}))).await.body["id"]
        .as_i64()
        .unwrap();
    let id = t.accepted_case(&clerk).await;
    let placed = t
        .call(
            "PUT",
            &format!("/api/v1/cases/{id}/hearing"),
            Some(&clerk),
            Some(json!({"day": "2026-12-02", "start": "09:00", "room_id": room, "arbitrator_ids": [arb]})),
        )
        .await;
    let hearing = placed.body["hearing_id"].as_i64().unwrap();
    t.drain_jobs().await;
    let later = t.on_day("2026-12-03");
    let (cookies, token) = session_as(&later, "arb1", Role::Arbitrator, Some(arb)).await;
    let api = later.arbitrator_token(arb).await;
    let held = later
        .call(
            "POST",
            &format!("/api/v1/hearings/{hearing}/held"),
            Some(&api),
            Some(json!({"held_on": "2026-12-02", "record": "双方到庭。"})),
        )
        .await;
    assert_eq!(held.status, StatusCode::OK, "{}", held.text);

    let page = get_page(&later, &format!("/staff/cases/{id}/award"), &cookies).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains("2026年8—9月工资") && page.text.contains("value=\"8600.00\""), "{}", page.text);
    let fields = |findings: &str| {
        serde_urlencoded::to_string([
            ("csrf", token.as_str()),
            ("findings", findings),
            ("reasoning", "被申请人未举证证明已支付工资，应予支付。"),
            ("defence", ""),
            ("awarded_0", "8600.00"),
            ("text_0", "被申请人于本裁决生效之日起五日内支付申请人2026年8月至9月工资8600元"),
            ("dismiss", "on"),
        ])
        .unwrap()
    };
    assert!(page.text.contains("id=\"finality_0\">终局"), "each item is tagged as it will be classified: {}", page.text);
    assert!(!page.text.contains("name=\"dismiss\" checked"), "驳回其他请求 is not ticked for the tribunal");
    // A preview is the award as it would be issued, and issues nothing.
    let preview = later.request(form(&format!("/staff/cases/{id}/award/preview"), &cookies, fields("申请人于2024年3月1日入职。"))).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text);
    assert_eq!(preview.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(preview.headers[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("inline"));
    let seen = later.call("GET", &format!("/api/v1/cases/{id}"), Some(&api), None).await.body;
    assert_eq!(seen["status"], "heard", "a preview closes nothing");
    assert_eq!(later.call("GET", &format!("/api/v1/cases/{id}/documents"), Some(&api), None).await.body.as_array().unwrap().len(), 4);
    // The element-style form comes filled in from the registration, and previews as a table.
    let element = get_page(&later, &format!("/staff/cases/{id}/award?style=element"), &cookies).await;
    assert!(element.text.contains("value=\"入职时间\"") && element.text.contains("name=\"style\" value=\"element\""), "{}", element.text);
    let element_fields = serde_urlencoded::to_string([
        ("csrf", token.as_str()),
        ("style", "element"),
        ("findings", ""),
        ("reasoning", "被申请人未举证证明已支付工资，应予支付。"),
        ("awarded_0", "8600.00"),
        ("text_0", "被申请人于本裁决生效之日起五日内支付申请人2026年8月至9月工资"),
        ("el_name_0", "入职时间"),
        ("el_applicant_0", "2024年3月1日入职"),
        ("el_name_1", "欠付工资"),
        ("el_applicant_1", "2026年8月至9月工资8600元未付"),
        ("el_respondent_1", "资金周转困难"),
        ("el_disputed_1", "on"),
        ("el_finding_1", ""),
        ("el_name_2", ""),
        ("el_applicant_2", ""),
    ])
    .unwrap();
    let missing = later.request(form(&format!("/staff/cases/{id}/award/preview"), &cookies, element_fields.clone())).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY, "a disputed element needs the tribunal's finding");
    assert!(missing.text.contains("仲裁庭对争议要素的认定") && missing.text.contains("资金周转困难"), "{}", missing.text);
    let with_finding = element_fields.replace("el_finding_1=&", "el_finding_1=%E6%AC%A0%E4%BB%988600%E5%85%83&");
    let preview = later.request(form(&format!("/staff/cases/{id}/award/preview"), &cookies, with_finding)).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text);
    let text = crate::documents::flat(&crate::documents::tool("pdftotext", &["-enc", "UTF-8"], &preview.bytes));
    assert!(text.contains("要素申请人主张被申请人意见仲裁庭认定") && text.contains("欠付8600元"), "{text}");
    let refused = later.request(form(&format!("/staff/cases/{id}/award"), &cookies, fields(" "))).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("请填写查明的事实") && refused.text.contains("被申请人未举证证明已支付工资"), "{}", refused.text);
    let done = later.request(form(&format!("/staff/cases/{id}/award"), &cookies, fields("申请人于2024年3月1日入职。"))).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let case_page = get_page(&later, &format!("/staff/cases/{id}?done=award"), &cookies).await;
    assert!(case_page.text.contains("裁决书已制作") && case_page.text.contains("仲裁裁决书"), "{}", case_page.text);
    assert!(case_page.text.contains("id=\"outcome\">裁决"), "a closed case says how it closed: {}", case_page.text);
    assert!(case_page.text.contains("中劳人仲案字〔2026〕第1号：终局裁决（作出之日起生效"), "and what each award is: {}", case_page.text);
    let doc = case_page.text.split("/staff/documents/").nth(2).and_then(|s| s.split('"').next()).unwrap().to_string();
    let closed = get_page(&later, &format!("/staff/cases/{id}/award"), &cookies).await;
    assert!(closed.text.contains("本案已结案，已作出裁决") && !closed.text.contains("id=\"issue\""), "{}", closed.text);

    let (liaison, _) = session_as(&later, "liaison1", Role::Liaison, None).await;
    let found = get_page(&later, "/staff/liaison?party_id=11010519491231002X", &liaison).await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(found.text.contains("中劳人仲案字〔2026〕第1号") && found.text.contains("共 1 件"), "{}", found.text);
    for typed in ["2026第1号", "（2026）第1-1号", "[2026]1", "1"] {
        let q = serde_urlencoded::to_string([("q", typed)]).unwrap();
        let found = get_page(&later, &format!("/staff/liaison?{q}"), &liaison).await;
        assert!(found.text.contains("中劳人仲案字〔2026〕第1号") && found.text.contains("已结案（裁决）"), "{typed}: {}", found.text);
    }
    let wrong = get_page(&later, "/staff/liaison?party_id=123", &liaison).await;
    assert!(wrong.text.contains("party_id 应为18位"), "{}", wrong.text);
    let pdf = get_page(&later, &format!("/staff/documents/{doc}"), &liaison).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(pdf.text.starts_with("%PDF-"));
    let zip = get_page(&later, &format!("/staff/cases/{id}/bundle"), &liaison).await;
    assert_eq!(zip.headers[header::CONTENT_TYPE], "application/zip");
    // The award form is the tribunal's: the liaison officer may not even open it.
    assert_eq!(get_page(&later, &format!("/staff/cases/{id}/award"), &liaison).await.status, StatusCode::FORBIDDEN);
    // The admin reads who did what to the case, by its 案号, in local time and Chinese.
    let (admin, _) = session_as(&later, "admin1", Role::Admin, None).await;
    let q = serde_urlencoded::to_string([("case", "中劳人仲案字〔2026〕第1号"), ("username", "liaison1"), ("action", "bundle")]).unwrap();
    let log = get_page(&later, &format!("/staff/access-log?{q}"), &admin).await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.text);
    assert!(
        log.text.contains("<td>liaison1</td><td>法院联络员</td><td>下载卷宗</td>") && log.text.contains(">中劳人仲案字〔2026〕第1号</a>"),
        "{}",
        log.text
    );
    assert!(!log.text.contains("查看案件</td>"), "only the action asked for: {}", log.text);
    let unknown = get_page(&later, "/staff/access-log?case=2099", &admin).await;
    assert!(unknown.text.contains("没有案号或编号为“2099”的案件"), "{}", unknown.text);
}

async fn an_arbitrator_previews_and_issues_a_mediation_statement_from_its_form(t: TestApp) {
    use greenlane::app::accounts::Role;
    use serde_json::json;
    let clerk = t.token(Role::Clerk).await;
    let room =
        t.call("POST", "/api/v1/rooms", Some(&clerk), Some(json!({"name": "第一审理庭", "seats": 8}))).await.body["id"].as_i64().unwrap();
    let arb = t.call("POST", "/api/v1/arbitrators", Some(&clerk), Some(json!({"name": "王立明", "presides": true}))).await.body["id"]
        .as_i64()
        .unwrap();
    let id = t.accepted_case(&clerk).await;
    let placed = t
        .call(
            "PUT",
            &format!("/api/v1/cases/{id}/hearing"),
            Some(&clerk),
            Some(json!({"day": "2026-12-02", "start": "09:00", "room_id": room, "arbitrator_ids": [arb]})),
        )
        .await;
    assert!(placed.status.is_success(), "{}", placed.text);
    t.drain_jobs().await;
    let (cookies, token) = session_as(&t, "arb1", Role::Arbitrator, Some(arb)).await;
    let case_page = get_page(&t, &format!("/staff/cases/{id}"), &cookies).await;
    assert!(case_page.text.contains(&format!("/staff/cases/{id}/mediation")), "the case page leads to the form: {}", case_page.text);
    let page = get_page(&t, &format!("/staff/cases/{id}/mediation"), &cookies).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let fields = |amount: &str| {
        serde_urlencoded::to_string([
            ("csrf", token.as_str()),
            ("text_0", "被申请人于2026年12月31日前一次性支付申请人工资"),
            ("awarded_0", amount),
            ("text_1", ""),
            ("awarded_1", ""),
        ])
        .unwrap()
    };
    let bad = t.request(form(&format!("/staff/cases/{id}/mediation"), &cookies, fields("六千"))).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert!(bad.text.contains("被申请人于2026年12月31日前一次性支付申请人工资"), "the form keeps what was typed: {}", bad.text);
    let preview = t.request(form(&format!("/staff/cases/{id}/mediation/preview"), &cookies, fields("6000"))).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text);
    assert_eq!(preview.headers[header::CONTENT_TYPE], "application/pdf");
    let text: String = crate::documents::flat(&crate::documents::tool("pdftotext", &["-enc", "UTF-8"], &preview.bytes));
    assert!(text.contains("一次性支付申请人工资6000元（陆仟元整）"), "the sum goes in, in figures and words: {text}");
    assert_eq!(
        t.call("GET", &format!("/api/v1/cases/{id}"), Some(&clerk), None).await.body["status"],
        "scheduled",
        "a preview closes nothing"
    );
    let done = t.request(form(&format!("/staff/cases/{id}/mediation"), &cookies, fields("6000"))).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let seen = t.call("GET", &format!("/api/v1/cases/{id}"), Some(&clerk), None).await.body;
    assert_eq!((seen["status"].as_str(), seen["outcome"].as_str()), (Some("closed"), Some("mediation")));
    let again = get_page(&t, &format!("/staff/cases/{id}/mediation"), &cookies).await;
    assert!(again.text.contains("本案已结案"), "{}", again.text);
}

async fn every_role_opens_every_link_of_its_navigation_and_the_clerk_sees_counts_by_stage(t: TestApp) {
    use greenlane::app::accounts::Role;
    use serde_json::json;
    let clerk = t.token(Role::Clerk).await;
    let arb = t.call("POST", "/api/v1/arbitrators", Some(&clerk), Some(json!({"name": "王立明", "presides": true}))).await.body["id"]
        .as_i64()
        .unwrap();
    t.filed_case().await;
    t.filed_case().await;
    t.accepted_case(&clerk).await;
    for (role, name, arbitrator) in [
        (Role::Clerk, "clerk1", None),
        (Role::Admin, "admin1", None),
        (Role::Arbitrator, "arb1", Some(arb)),
        (Role::Liaison, "liaison1", None),
        (Role::Director, "director1", None),
    ] {
        let (cookies, _) = session_as(&t, name, role, arbitrator).await;
        for link in greenlane::http::pages::nav_links(role) {
            let page = get_page(&t, link, &cookies).await;
            assert_eq!(page.status, StatusCode::OK, "{role:?} meets {link} in its navigation: {}", page.text);
        }
    }
    let (cookies, _) = session_as(&t, "clerk2", Role::Clerk, None).await;
    let inbox = get_page(&t, "/staff", &cookies).await;
    assert!(inbox.text.contains("待受理 <span class=\"count\">2</span>"), "{}", inbox.text);
    assert!(inbox.text.contains("已受理未排期 <span class=\"count\">1</span>"), "{}", inbox.text);
    assert!(inbox.text.contains("已结案 <span class=\"count\">0</span>"), "{}", inbox.text);
    let accepted = get_page(&t, "/staff?status=accepted", &cookies).await;
    assert!(accepted.text.contains("已受理、未排期的案件") && accepted.text.contains("共 1 件"), "{}", accepted.text);
}

async fn an_arbitrator_subscribes_to_its_own_docket_from_the_docket(t: TestApp) {
    use greenlane::app::accounts::Role;
    use serde_json::json;
    let clerk = t.token(Role::Clerk).await;
    let arb = t.call("POST", "/api/v1/arbitrators", Some(&clerk), Some(json!({"name": "王立明", "presides": true}))).await.body["id"]
        .as_i64()
        .unwrap();
    let (cookies, token) = session_as(&t, "arb1", Role::Arbitrator, Some(arb)).await;
    let docket = get_page(&t, "/staff/docket", &cookies).await;
    assert!(docket.text.contains("订阅我的日程"), "{}", docket.text);
    let body = serde_urlencoded::to_string([("csrf", token.as_str())]).unwrap();
    let made = t.request(form("/staff/docket/feed", &cookies, body)).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.text);
    let url = made.text.split("id=\"feed-url\" readonly value=\"").nth(1).and_then(|s| s.split('"').next()).unwrap().to_string();
    assert!(made.text.contains("public_url"), "without public_url the address is the service's own path, and the page says so");
    let feed = t.request(Request::get(url.as_str()).body(Body::empty()).unwrap()).await;
    assert_eq!(feed.status, StatusCode::OK, "{url}: {}", feed.text);
    assert!(feed.text.starts_with("BEGIN:VCALENDAR"), "{}", feed.text);
    // A clerk has no docket of its own to subscribe to.
    let (clerk_cookies, clerk_token) = session_as(&t, "clerk1", Role::Clerk, None).await;
    assert!(!get_page(&t, "/staff/docket", &clerk_cookies).await.text.contains("订阅我的日程"));
    let body = serde_urlencoded::to_string([("csrf", clerk_token.as_str())]).unwrap();
    assert_eq!(t.request(form("/staff/docket/feed", &clerk_cookies, body)).await.status, StatusCode::FORBIDDEN);
}

async fn the_admin_manages_accounts_and_loads_the_holidays_from_its_page(t: TestApp) {
    use greenlane::app::accounts::Role;
    let (cookies, token) = session_as(&t, "admin1", Role::Admin, None).await;
    let post = |path: &str, pairs: &[(&str, &str)]| {
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(pairs);
        form(path, &cookies, serde_urlencoded::to_string(all).unwrap())
    };
    let page = get_page(&t, "/staff/admin", &cookies).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    // A short password is refused naming the rule; the form keeps the rest, never the password.
    let short = t
        .request(post("/staff/admin/account", &[("username", "clerk9"), ("full_name", "李书雅"), ("role", "clerk"), ("password", "short")]))
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", short.text);
    assert!(
        short.text.contains("密码至少8位") && short.text.contains(r#"value="clerk9""#) && !short.text.contains("short\""),
        "{}",
        short.text
    );
    assert!(greenlane::app::accounts::list(&t.app).await.unwrap().iter().all(|a| a.username != "clerk9"), "nothing refused is stored");
    let made = t
        .request(post(
            "/staff/admin/account",
            &[("username", "clerk9"), ("full_name", "李书雅"), ("role", "clerk"), ("password", "long-enough-1")],
        ))
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text);
    let listed = get_page(&t, "/staff/admin?done=account", &cookies).await;
    assert!(
        listed.text.contains("账号已创建") && listed.text.contains("<td>clerk9</td><td>立案书记员</td><td>在用</td>"),
        "{}",
        listed.text
    );
    assert_eq!(
        t.request(post("/staff/admin/password", &[("username", "clerk9"), ("password", "another-one-2")])).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(t.request(post("/staff/admin/disable", &[("username", "clerk9")])).await.status, StatusCode::SEE_OTHER);
    let after = get_page(&t, "/staff/admin", &cookies).await;
    assert!(after.text.contains("<td>clerk9</td><td>立案书记员</td><td>已停用</td>"), "{}", after.text);
    let own = t.request(post("/staff/admin/disable", &[("username", "admin1")])).await;
    assert!(own.text.contains("不能停用自己正在使用的账号"), "{}", own.text);
    // The calendar: the CLI's validation, the error named; a good file loads and recomputes.
    let bad = t.request(post("/staff/admin/calendar", &[("calendar", "[[year]]\nyear = 2027\ndays_off = [\"2027-13-01\"]\n")])).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    let good = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/calendar/cn.toml")).unwrap();
    let loaded = t.request(post("/staff/admin/calendar", &[("calendar", good.as_str())])).await;
    assert_eq!(loaded.status, StatusCode::OK, "{}", loaded.text);
    assert!(loaded.text.contains("已载入") && loaded.text.contains("2026年的放假安排"), "{}", loaded.text);
    // Nobody else opens it.
    let (clerk, _) = session_as(&t, "clerk1", Role::Clerk, None).await;
    assert_eq!(get_page(&t, "/staff/admin", &clerk).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn pages_are_in_simplified_chinese_and_fit_a_phone() {
    let t = TestApp::sqlite().await;
    for path in ["/", "/apply", "/status", "/login"] {
        let a = t.request(Request::get(path).body(Body::empty()).unwrap()).await;
        assert_eq!(a.status, StatusCode::OK, "{path}");
        assert!(a.text.contains(r#"<html lang="zh-CN">"#), "{path}");
        assert!(a.text.contains("width=device-width"), "{path}");
        assert!(!a.text.contains("http://") && !a.text.contains("https://"), "{path} loads nothing from elsewhere");
    }
}

#[tokio::test]
async fn the_openapi_document_describes_the_cases_api() {
    let t = TestApp::sqlite().await;
    let a = t.call("GET", "/api/openapi.json", None, None).await;
    assert_eq!(a.status, StatusCode::OK);
    for path in [
        "/api/v1/cases",
        "/api/v1/cases/{id}",
        "/api/v1/cases/{id}/accept",
        "/api/v1/cases/{id}/reject",
        "/api/v1/login",
        "/api/v1/cases/{id}/clock/{action}",
        "/api/v1/deadlines",
        "/api/v1/calendar",
    ] {
        assert!(a.body["paths"].get(path).is_some(), "{path}");
    }
    let h = t.call("GET", "/healthz", None, None).await;
    assert_eq!(h.body["status"], "ok");
    let nf = t.call("GET", "/api/v1/nothing-here", None, None).await;
    assert_eq!(nf.status, StatusCode::NOT_FOUND);
    assert_eq!(nf.body["error"]["code"], "not_found");
    // People follow links: an unknown page address answers with a page, in Chinese, and a way back.
    let page = t.call("GET", "/staff/nothing-here", None, None).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.text.contains("找不到该页面") && page.text.contains(r#"href="/""#), "{}", page.text);
}

async fn a_clerk_records_a_withdrawal_from_the_case_page_and_a_blank_reason_is_refused_there(t: TestApp) {
    let (cookies, token) = session_as(&t, "clerk3", greenlane::app::accounts::Role::Clerk, None).await;
    let clerk = t.token(greenlane::app::accounts::Role::Clerk).await;
    let id = t.accepted_case(&clerk).await;
    let page = get_page(&t, &format!("/staff/cases/{id}"), &cookies).await;
    assert!(page.text.contains(&format!("action=\"/staff/cases/{id}/withdraw\"")), "the withdrawal form is on the page");
    let blank = serde_urlencoded::to_string([("csrf", token.as_str()), ("on", "2026-11-16"), ("reason", " ")]).unwrap();
    let refused = t.request(form(&format!("/staff/cases/{id}/withdraw"), &cookies, blank)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("撤回原因"), "{}", refused.text);
    let body = serde_urlencoded::to_string([("csrf", token.as_str()), ("on", "2026-11-16"), ("reason", "双方已自行和解")]).unwrap();
    let done = t.request(form(&format!("/staff/cases/{id}/withdraw"), &cookies, body)).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let page = get_page(&t, &format!("/staff/cases/{id}?done=withdrawn"), &cookies).await;
    assert!(page.text.contains("已记录撤回仲裁申请") && page.text.contains("已结案"), "{}", page.text);
}

async fn the_tribunal_records_a_hearing_from_its_page_and_a_blank_record_or_a_stranger_is_refused(t: TestApp) {
    use greenlane::app::accounts::Role;
    use serde_json::json;
    let clerk = t.token(Role::Clerk).await;
    let room =
        t.call("POST", "/api/v1/rooms", Some(&clerk), Some(json!({"name": "第一审理庭", "seats": 8}))).await.body["id"].as_i64().unwrap();
    let arb = t.call("POST", "/api/v1/arbitrators", Some(&clerk), Some(json!({"name": "王立明", "presides": true}))).await.body["id"]
        .as_i64()
        .unwrap();
    let other = t.call("POST", "/api/v1/arbitrators", Some(&clerk), Some(json!({"name": "李华", "presides": true}))).await.body["id"]
        .as_i64()
        .unwrap();
    let id = t.accepted_case(&clerk).await;
    let placed = t
        .call(
            "PUT",
            &format!("/api/v1/cases/{id}/hearing"),
            Some(&clerk),
            Some(json!({"day": "2026-12-02", "start": "09:00", "room_id": room, "arbitrator_ids": [arb]})),
        )
        .await;
    assert_eq!(placed.status, StatusCode::OK, "{}", placed.text);
    let later = t.on_day("2026-12-02");
    let path = format!("/staff/cases/{id}/hearing");
    let held =
        |token: &str, record: &str, day: &str| serde_urlencoded::to_string([("csrf", token), ("day", day), ("record", record)]).unwrap();

    // Only an arbitrator of the hearing's tribunal sees the form, and only they may use it.
    let (stranger, stranger_token) = session_as(&later, "arb-other", Role::Arbitrator, Some(other)).await;
    assert!(!get_page(&later, &path, &stranger).await.text.contains("held-form"));
    let refused = later.request(form(&format!("{path}/held"), &stranger, held(&stranger_token, "双方到庭。", "2026-12-02"))).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);

    let (cookies, token) = session_as(&later, "arb-tribunal", Role::Arbitrator, Some(arb)).await;
    let page = get_page(&later, &path, &cookies).await;
    assert!(page.text.contains("held-form") && page.text.contains(r#"value="2026-12-02""#), "{}", page.text);
    assert!(!page.text.contains("not-recorded"), "on its day the hearing is not late");
    // Days later the form still offers the hearing's own day, and the page says it is not recorded.
    let days_later = t.on_day("2026-12-04");
    let (late_cookies, _) = session_as(&days_later, "arb-late", Role::Arbitrator, Some(arb)).await;
    let late = get_page(&days_later, &path, &late_cookies).await;
    assert!(
        late.text.contains(r#"value="2026-12-02""#) && late.text.contains("开庭日（2026年12月2日）已过，尚未记录开庭情况"),
        "{}",
        late.text
    );
    let blank = later.request(form(&format!("{path}/held"), &cookies, held(&token, "  ", "2026-12-02"))).await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank.text.contains("庭审笔录") && blank.text.contains("held-form"), "the form says what is missing: {}", blank.text);
    let early = later.request(form(&format!("{path}/held"), &cookies, held(&token, "双方到庭。", "2026-12-03"))).await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert!(early.text.contains("晚于今天"), "{}", early.text);
    assert_eq!(t.call("GET", &format!("/api/v1/cases/{id}"), Some(&clerk), None).await.body["status"], "scheduled", "nothing was recorded");

    let done = later.request(form(&format!("{path}/held"), &cookies, held(&token, "双方到庭。", "2026-12-02"))).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let after = get_page(&later, &format!("{path}?done=held"), &cookies).await;
    assert!(after.text.contains("已记录开庭") && after.text.contains(&format!("/staff/cases/{id}/award")), "{}", after.text);
    assert_eq!(t.call("GET", &format!("/api/v1/cases/{id}"), Some(&clerk), None).await.body["status"], "heard");
}
