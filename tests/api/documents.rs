//! Documents on a real database: the acceptance notice, the award split into final and non-final
//! parts, its refusals, byte-identical downloads checked with poppler and qpdf, the bundle for the
//! courts with its manifest, and the access log.

use std::io::Read;
use std::process::Command;

use crate::common::TestApp;
use axum::http::StatusCode;
use greenlane::app::accounts::Role;
use greenlane::app::jobs::MAX_ATTEMPTS;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

on_both_planning!(
    award_service_on_each_side_gives_each_awards_appeal_windows,
    the_outbox_runs_each_notice_once_retries_failures_and_keeps_the_last_error,
    expired_idempotency_records_are_purged_by_a_job_that_reschedules_itself,
    a_heard_case_gets_a_split_award_whose_pdfs_read_back_exactly_and_never_change,
    a_wrong_award_is_refused_naming_the_rule_and_nothing_is_issued,
    the_liaison_desk_finds_the_case_by_each_key_and_its_downloads_are_logged,
    notices_go_out_at_their_events_and_a_hearing_notice_prints_once,
    a_correction_is_a_new_version_naming_the_one_it_corrects,
    each_part_of_a_split_award_has_its_own_court_outcome_and_the_case_sums_them,
    a_mediation_statement_closes_the_case_and_a_rare_name_comes_from_the_fallback_font,
    a_character_no_font_has_never_blocks_acceptance_and_is_printed_as_a_placeholder,
);

async fn a_character_no_font_has_never_blocks_acceptance_and_is_printed_as_a_placeholder(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    // 王𪚥 (Extension B) comes from HanaMinB and reads back as itself.
    let mut application = crate::common::application();
    application["applicants"][0]["name"] = json!("王𪚥");
    let filed = t.register(application).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text);
    assert!(!filed.body["warnings"].to_string().contains("无法打印"), "HanaMinB has it: {}", filed.text);
    let case = filed.body["id"].as_str().unwrap().to_string();
    assert_eq!(t.call("POST", &format!("/api/v1/cases/{case}/accept"), Some(&clerk), None).await.status, StatusCode::OK);
    t.drain_jobs().await;
    let text = acceptance_notice_text(&t, &clerk, &case).await;
    assert!(text.contains("王𪚥"), "the character is right in the text layer: {text}");
    // 𱍐 (Extension H) is in no font installed: named at registration, acceptance goes on, 〓 printed.
    let mut application = crate::common::application();
    application["applicants"][0]["name"] = json!("王𱍐");
    let filed = t.register(application).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text);
    assert!(filed.body["warnings"].to_string().contains("“𱍐”字暂时无法打印"), "the registration says so plainly: {}", filed.text);
    let case = filed.body["id"].as_str().unwrap().to_string();
    let accepted = t.call("POST", &format!("/api/v1/cases/{case}/accept"), Some(&clerk), None).await;
    assert_eq!(accepted.status, StatusCode::OK, "acceptance goes on: {}", accepted.text);
    t.drain_jobs().await;
    let text = acceptance_notice_text(&t, &clerk, &case).await;
    assert!(text.contains("王〓"), "{text}");
    let seen = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body;
    let record = seen["events"].to_string();
    assert!(record.contains("document_placeholder") && record.contains("U+31350"), "the clerk is told in the record: {record}");
}

async fn acceptance_notice_text(t: &TestApp, clerk: &str, case: &str) -> String {
    let docs = t.call("GET", &format!("/api/v1/cases/{case}/documents"), Some(clerk), None).await.body;
    let notice = docs.as_array().unwrap().iter().find(|d| d["kind"] == "acceptance_notice").expect("the acceptance notice is issued")["id"]
        .as_i64()
        .unwrap();
    flat(&tool("pdftotext", &["-enc", "UTF-8"], &body_bytes(t, clerk, &format!("/api/v1/documents/{notice}")).await))
}

async fn a_mediation_statement_closes_the_case_and_a_rare_name_comes_from_the_fallback_font(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let room =
        t.call("POST", "/api/v1/rooms", Some(&clerk), Some(json!({"name": "第一审理庭", "seats": 8}))).await.body["id"].as_i64().unwrap();
    let arb = t.call("POST", "/api/v1/arbitrators", Some(&clerk), Some(json!({"name": "王立明", "presides": true}))).await.body["id"]
        .as_i64()
        .unwrap();
    // 堃 and 𠮷 are not in Fandol: they come from the fallbacks (AR PL UMing, Noto Serif CJK), and
    // read back all the same.
    let mut application = crate::common::application();
    application["applicants"][0]["name"] = json!("张堃𠮷");
    let filed = t.register(application).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text);
    let case = filed.body["id"].as_str().unwrap().to_string();
    assert_eq!(t.call("POST", &format!("/api/v1/cases/{case}/accept"), Some(&clerk), None).await.status, StatusCode::OK);
    let token = t.arbitrator_token(arb).await;
    let path = format!("/api/v1/cases/{case}/mediation");
    let items = json!({"items": [{"awarded": "6000.00", "text": "被申请人于2026年11月30日前一次性支付申请人工资6000元"}]});
    // Before a tribunal is set no arbitrator sits on the case: nobody may sign for it.
    assert_eq!(t.call("POST", &path, Some(&token), Some(items.clone())).await.status, StatusCode::FORBIDDEN);
    t.call(
        "PUT",
        &format!("/api/v1/cases/{case}/hearing"),
        Some(&clerk),
        Some(json!({"day": "2026-12-02", "start": "09:00", "room_id": room, "arbitrator_ids": [arb]})),
    )
    .await;
    assert_eq!(codes(&t.call("POST", &path, Some(&token), Some(json!({"items": []}))).await), ["required"]);
    assert_eq!(t.call("POST", &path, Some(&clerk), Some(items.clone())).await.status, StatusCode::FORBIDDEN);
    let m = t.call("POST", &path, Some(&token), Some(items)).await;
    assert_eq!(m.status, StatusCode::CREATED, "{}", m.text);
    assert_eq!(m.body["documents"][0]["kind"], "mediation");
    let view = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body;
    assert_eq!((view["status"].as_str(), view["outcome"].as_str()), (Some("closed"), Some("mediation")));
    let pdf = body_bytes(&t, &clerk, &format!("/api/v1/documents/{}", m.body["documents"][0]["id"])).await;
    let text = flat(&tool("pdftotext", &["-enc", "UTF-8"], &pdf));
    for expected in [
        "仲裁调解书",
        "申请人：张堃𠮷",
        "一、被申请人于2026年11月30日前一次性支付申请人工资6000元（陆仟元整）",
        "本调解书经双方当事人签收后，即发生法律效力",
    ] {
        assert!(text.contains(&flat(expected)), "missing {expected:?} in {text}");
    }
    let fonts = tool("pdffonts", &[], &pdf);
    // 堃 from the light face matched to 仿宋, 𠮷 (Extension B) from Noto behind it.
    assert!(fonts.contains("UMingCN") && fonts.contains("NotoSerifCJK"), "both fallback faces are embedded: {fonts}");
}

async fn a_correction_is_a_new_version_naming_the_one_it_corrects(t: TestApp) {
    let (case, arbitrator, later, _) = heard_case(&t).await;
    let issued = later.call("POST", &format!("/api/v1/cases/{case}/award"), Some(&arbitrator), Some(award_body())).await;
    let first = issued.body["documents"][0].clone();
    let id = first["id"].as_i64().unwrap();
    let clerk = t.token(Role::Clerk).await;
    let original = body_bytes(&t, &clerk, &format!("/api/v1/documents/{id}")).await;

    let text = later.call("GET", &format!("/api/v1/documents/{id}/text"), Some(&arbitrator), None).await.body["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(text.contains("本裁决为终局裁决"), "{text}");
    let fixed = text.replace("五日内", "十日内");
    let path = format!("/api/v1/documents/{id}/corrections");
    let body = json!({"text": fixed, "reason": "履行期限笔误"});
    assert_eq!(later.call("POST", &path, Some(&clerk), Some(body.clone())).await.status, StatusCode::FORBIDDEN);
    assert_eq!(codes(&later.call("POST", &path, Some(&arbitrator), Some(json!({"text": fixed}))).await), ["required"]);
    let unknown = later.call("POST", &path, Some(&arbitrator), Some(json!({"text": "@bold 错", "reason": "x"}))).await;
    assert_eq!(unknown.status, StatusCode::CONFLICT, "{}", unknown.text);

    let corrected = later.call("POST", &path, Some(&arbitrator), Some(body)).await;
    assert_eq!(corrected.status, StatusCode::CREATED, "{}", corrected.text);
    assert_eq!((corrected.body["version"].as_i64(), corrected.body["corrects"].as_i64()), (Some(2), Some(id)));
    assert_eq!(corrected.body["case_no"], first["case_no"]);
    let new_text =
        flat(&tool("pdftotext", &["-enc", "UTF-8"], &body_bytes(&t, &clerk, &format!("/api/v1/documents/{}", corrected.body["id"])).await));
    assert!(new_text.contains("十日内支付") && !new_text.contains("五日内支付"), "{new_text}");
    // The original is untouched, and only the newest version can be corrected.
    assert_eq!(body_bytes(&t, &clerk, &format!("/api/v1/documents/{id}")).await, original);
    assert_eq!(
        later.call("POST", &path, Some(&arbitrator), Some(json!({"text": fixed, "reason": "再改"}))).await.status,
        StatusCode::CONFLICT
    );
}

async fn notices_go_out_at_their_events_and_a_hearing_notice_prints_once(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let room =
        t.call("POST", "/api/v1/rooms", Some(&clerk), Some(json!({"name": "第一审理庭", "seats": 8}))).await.body["id"].as_i64().unwrap();
    let arb = t.call("POST", "/api/v1/arbitrators", Some(&clerk), Some(json!({"name": "王立明", "presides": true}))).await.body["id"]
        .as_i64()
        .unwrap();
    let case = t.accepted_case(&clerk).await;
    let placed = t
        .call(
            "PUT",
            &format!("/api/v1/cases/{case}/hearing"),
            Some(&clerk),
            Some(json!({"day": "2026-12-02", "start": "14:00", "room_id": room, "arbitrator_ids": [arb]})),
        )
        .await;
    let hearing = placed.body["hearing_id"].as_i64().unwrap();
    let path = format!("/api/v1/hearings/{hearing}/notice-documents");
    let liaison = t.token(Role::Liaison).await;
    assert_eq!(t.call("POST", &path, Some(&liaison), None).await.status, StatusCode::FORBIDDEN);
    // Fixing the hearing notifies it in writing: the tribunal's composition (the case's first
    // hearing) and the hearing notice go in the outbox with it, and its worker issues them.
    let jobs = t.drain_jobs().await;
    assert_eq!(jobs, 3, "two notices of the acceptance and one of the hearing");
    let issued = t.call("GET", &format!("/api/v1/cases/{case}/documents"), Some(&clerk), None).await.body;
    let kinds: Vec<&str> = issued.as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["acceptance_notice", "respondent_notice", "tribunal_notice", "hearing_notice"]);
    // A notice left untypeset (fixed before the outbox existed) is queued at the next start and
    // issued once: a second start finds its job pending and queues nothing more.
    sqlx::query("UPDATE hearing_notices SET document_id = NULL").execute(&t.app.db.writer).await.unwrap();
    assert_eq!(greenlane::app::documents::enqueue_untypeset_hearing_notices(&t.app).await.unwrap(), 1);
    greenlane::app::documents::enqueue_untypeset_hearing_notices(&t.app).await.unwrap();
    assert_eq!(t.drain_jobs().await, 1);
    assert_eq!(greenlane::app::documents::enqueue_untypeset_hearing_notices(&t.app).await.unwrap(), 0);
    let issued = t.call("GET", &format!("/api/v1/cases/{case}/documents"), Some(&clerk), None).await.body;
    let kinds: Vec<&str> = issued.as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["acceptance_notice", "respondent_notice", "tribunal_notice", "hearing_notice", "hearing_notice"]);
    let notice = issued[4]["id"].as_i64().unwrap();
    // Printing hands back that notice; nothing new is issued, however often it is printed.
    let printed = t.call("POST", &path, Some(&clerk), None).await;
    assert_eq!(printed.status, StatusCode::CREATED, "{}", printed.text);
    assert_eq!(printed.body.as_array().unwrap().len(), 1);
    assert_eq!(printed.body[0]["id"], notice);
    let again = t.call("POST", &path, Some(&clerk), None).await;
    assert_eq!(again.body.as_array().unwrap().len(), 1);
    assert_eq!(again.body[0]["id"], notice);
    let text = flat(&tool("pdftotext", &["-enc", "UTF-8"], &body_bytes(&t, &clerk, &format!("/api/v1/documents/{notice}")).await));
    for expected in [
        "开庭通知书",
        "本委定于2026年12月2日下午2时在中山市东区中山五路（演示地址）第一审理庭开庭审理",
        "由仲裁员王立明独任审理",
        "本案最迟应于2026年11月26日（含当日）提出",
    ] {
        assert!(text.contains(&flat(expected)), "missing {expected:?} in {text}");
    }
    // Moved to another day before another arbitrator: a 变更开庭通知书 and a new 仲裁庭组成通知书
    // (Law Art. 32: the parties' right to ask for recusal rests on it).
    let other = t.call("POST", "/api/v1/arbitrators", Some(&clerk), Some(json!({"name": "李慧珍", "presides": true}))).await.body["id"]
        .as_i64()
        .unwrap();
    let moved = t
        .call(
            "PUT",
            &format!("/api/v1/cases/{case}/hearing"),
            Some(&clerk),
            Some(json!({"day": "2026-12-03", "start": "09:00", "room_id": room, "arbitrator_ids": [other], "reason": "原仲裁员另有公务"})),
        )
        .await;
    assert!(moved.status.is_success(), "{}", moved.text);
    assert_eq!(t.drain_jobs().await, 1);
    let issued = t.call("GET", &format!("/api/v1/cases/{case}/documents"), Some(&clerk), None).await.body;
    let kinds: Vec<&str> = issued.as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds[5..], ["tribunal_notice", "hearing_notice"], "{kinds:?}");
    let pdf_text = |id: &Value| {
        let (t, clerk, id) = (&t, &clerk, id.as_i64().unwrap());
        async move { flat(&tool("pdftotext", &["-enc", "UTF-8"], &body_bytes(t, clerk, &format!("/api/v1/documents/{id}")).await)) }
    };
    let composition = pdf_text(&issued[5]["id"]).await;
    assert!(composition.contains("本委决定变更本案仲裁庭组成，由仲裁员李慧珍独任审理"), "{composition}");
    let changed = pdf_text(&issued[6]["id"]).await;
    assert!(changed.contains("变更开庭通知书"), "{changed}");
    assert!(
        changed
            .contains(&flat("原定于2026年12月2日下午2时在中山市东区中山五路（演示地址）第一审理庭开庭审理，现变更为2026年12月3日上午9时")),
        "{changed}"
    );

    // An extension and a suspension are notified in writing with the clock's new dates.
    assert_eq!(
        t.clock(&clerk, &case, "extend", json!({"days": 15, "approver": "陈主任", "note": "案情复杂，需调取社保缴费记录"})).await.status,
        StatusCode::OK
    );
    assert_eq!(
        t.clock(&clerk, &case, "suspend", json!({"ground": "awaiting_assessment", "note": "等待伤残等级鉴定结论"})).await.status,
        StatusCode::OK
    );
    assert_eq!(t.drain_jobs().await, 2);
    let docs = t.call("GET", &format!("/api/v1/cases/{case}/documents"), Some(&clerk), None).await.body;
    let by_kind = |k: &str| {
        docs.as_array().unwrap().iter().find(|d| d["kind"] == k).unwrap_or_else(|| panic!("{k} in {docs}"))["id"].as_i64().unwrap()
    };
    let ext = flat(&tool(
        "pdftotext",
        &["-enc", "UTF-8"],
        &body_bytes(&t, &clerk, &format!("/api/v1/documents/{}", by_kind("extension_notice"))).await,
    ));
    // 45 days from 2026-11-16 is 2026-12-31; 15 more is 2027-01-15, in a year whose holidays are
    // not yet published: the notice says the day is provisional, and names no approver.
    assert!(ext.contains(&flat("因案情复杂，需调取社保缴费记录，经本委主任批准，本案审理期限延长15日，暂定至2027年1月15日届满")), "{ext}");
    let sus = flat(&tool(
        "pdftotext",
        &["-enc", "UTF-8"],
        &body_bytes(&t, &clerk, &format!("/api/v1/documents/{}", by_kind("suspension_notice"))).await,
    ));
    assert!(sus.contains("本委决定自2026年11月16日起中止审理"), "{sus}");
    // The clerk's note reads as a sentence of the notice, not a bare phrase.
    assert!(sus.contains(&flat("具体情况：等待伤残等级鉴定结论。")), "{sus}");
}

/// The 卷宗's index (page 2) gives, for each part, a page on which that part's title stands; the
/// file holds the application as registered and the tribunal's record of the hearing.
fn case_file_index_names_the_page_each_part_starts_on(pdf: &[u8]) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts/documents");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("case-file.pdf"), pdf).unwrap();
    let index = flat(&tool("pdftotext", &["-enc", "UTF-8", "-f", "2", "-l", "2"], pdf));
    // Entries read "N．label……第P页", wherever a line breaks them.
    let mut entries: Vec<(String, usize)> = Vec::new();
    for chunk in index.split('页') {
        let Some((before, page)) = chunk.rsplit_once("……第") else { continue };
        let dot = before.rfind('．').expect("an entry is numbered");
        let start = before[..dot].rfind(|c: char| !c.is_ascii_digit()).map_or(0, |i| i + before[i..].chars().next().unwrap().len_utf8());
        entries.push((before[start..].to_string(), page.parse().expect("a page number")));
    }
    assert_eq!(entries.len(), index.matches("……第").count(), "every entry names its page: {index}");
    let labels: Vec<&str> = entries.iter().map(|(l, _)| l.as_str()).collect();
    assert!(labels.iter().any(|l| l.ends_with("仲裁申请书")), "{index}");
    assert!(labels.iter().any(|l| l.contains("庭审笔录")), "{index}");
    assert!(labels.iter().any(|l| l.contains("仲裁裁决书")), "{index}");
    let mut last = 2;
    for (label, page) in &entries {
        assert!(*page > last, "{label} starts after the part before it: {entries:?}");
        last = *page;
        let text = flat(&tool("pdftotext", &["-enc", "UTF-8", "-f", &page.to_string(), "-l", &page.to_string()], pdf));
        // The title a part opens with: 仲裁申请书's own heading, a record's, or the document's.
        let title = label.split_once('．').map_or(label.as_str(), |(_, t)| t).split('（').next().unwrap();
        let shown = match title {
            "仲裁申请书" => "劳动人事争议仲裁申请书".to_string(),
            "庭审笔录" => "庭审笔录".to_string(),
            "送达回证" => "送达回证".to_string(),
            other => other.to_string(),
        };
        assert!(text.contains(&shown), "page {page} opens {label}: {text}");
    }
}

/// Two claims: wages within the final-award limit, damages above it.
pub fn two_claims() -> Value {
    let mut a = crate::common::application();
    a["claims"] = json!([
        {"kind": "unpaid_wages", "amount": "8600.00", "description": "被申请人支付2026年8月至9月工资"},
        {"kind": "unlawful_termination_damages", "amount": "60000.00", "description": "被申请人支付违法解除劳动合同赔偿金"}
    ]);
    a
}

/// A case heard on 2026-12-02 by one arbitrator; returns the case, that arbitrator's token (on the
/// day after the hearing) and the app on that day.
pub async fn heard_case(t: &TestApp) -> (String, String, TestApp, i64) {
    let clerk = t.token(Role::Clerk).await;
    let room =
        t.call("POST", "/api/v1/rooms", Some(&clerk), Some(json!({"name": "第一审理庭", "seats": 8}))).await.body["id"].as_i64().unwrap();
    let arb = t.call("POST", "/api/v1/arbitrators", Some(&clerk), Some(json!({"name": "王立明", "presides": true}))).await.body["id"]
        .as_i64()
        .unwrap();
    let filed = t.register(two_claims()).await;
    let case = filed.body["id"].as_str().unwrap().to_string();
    assert_eq!(t.call("POST", &format!("/api/v1/cases/{case}/accept"), Some(&clerk), None).await.status, StatusCode::OK);
    let placed = t
        .call(
            "PUT",
            &format!("/api/v1/cases/{case}/hearing"),
            Some(&clerk),
            Some(json!({"day": "2026-12-02", "start": "09:00", "room_id": room, "arbitrator_ids": [arb]})),
        )
        .await;
    assert_eq!(placed.status, StatusCode::OK, "{}", placed.text);
    let hearing = placed.body["hearing_id"].as_i64().unwrap();
    // The notices of the acceptance and of the hearing go out before it is held.
    t.drain_jobs().await;
    let later = t.on_day("2026-12-03");
    let token = later.arbitrator_token(arb).await;
    let held = later
        .call(
            "POST",
            &format!("/api/v1/hearings/{hearing}/held"),
            Some(&token),
            Some(json!({"held_on": "2026-12-02", "record": "被申请人未到庭。", "respondent_attended": false})),
        )
        .await;
    assert_eq!(held.status, StatusCode::OK, "{}", held.text);
    (case, token, later, arb)
}

pub fn award_body() -> Value {
    json!({
        "findings": "申请人于2024年3月1日入职被申请人处，月工资4300元。被申请人未支付申请人2026年8月至9月工资。\n被申请人于2026年9月30日以申请人旷工为由解除劳动合同，未提交规章制度及旷工证据。",
        "reasoning": "用人单位应当按照劳动合同约定向劳动者及时足额支付劳动报酬。被申请人未举证证明已支付，应予支付。\n被申请人未能证明解除劳动合同的合法依据，属违法解除，应支付赔偿金。",
        "items": [
            {"claim": 0, "awarded": "8600.00", "text": "被申请人于本裁决生效之日起五日内支付申请人2026年8月至9月工资8600元"},
            {"claim": 1, "awarded": "43000.00", "text": "被申请人于本裁决生效之日起五日内支付申请人违法解除劳动合同赔偿金43000元"}
        ],
        "dismiss_other_claims": true
    })
}

pub(crate) fn tool(cmd: &str, args: &[&str], input: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, input).unwrap();
    let mut full: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    full.push(path.display().to_string());
    if cmd == "pdftotext" {
        full.push("-".into());
    }
    let out = Command::new(cmd)
        .args(&full)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} (poppler-utils / qpdf, installed by scripts/fonts.sh): {e}"));
    assert!(out.status.success(), "{cmd} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Text without the line breaks and spaces the layout put in.
pub(crate) fn flat(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

async fn a_heard_case_gets_a_split_award_whose_pdfs_read_back_exactly_and_never_change(t: TestApp) {
    let (case, arbitrator, later, _) = heard_case(&t).await;
    let clerk = t.token(Role::Clerk).await;
    // The acceptance notice and the notice to answer went out when the case was accepted, the
    // tribunal's composition and the hearing notice when its hearing was fixed.
    let docs = t.call("GET", &format!("/api/v1/cases/{case}/documents"), Some(&clerk), None).await;
    let kinds: Vec<&str> = docs.body.as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["acceptance_notice", "respondent_notice", "tribunal_notice", "hearing_notice"], "{}", docs.text);

    let a = later.call("POST", &format!("/api/v1/cases/{case}/award"), Some(&arbitrator), Some(award_body())).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    let issued = a.body["documents"].as_array().unwrap();
    // 8600 is within 12 × 2080 = 24960 and final; 43000 is not: two awards, -1 final and -2 not.
    assert_eq!(issued.len(), 2);
    let case_no = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body["case_no"].as_str().unwrap().to_string();
    let stem = case_no.trim_end_matches('号');
    assert_eq!((issued[0]["kind"].as_str(), issued[0]["case_no"].as_str()), (Some("award_final"), Some(format!("{stem}-1号").as_str())));
    assert_eq!((issued[1]["kind"].as_str(), issued[1]["case_no"].as_str()), (Some("award_nonfinal"), Some(format!("{stem}-2号").as_str())));
    let view = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body;
    assert_eq!((view["status"].as_str(), view["outcome"].as_str()), (Some("closed"), Some("award")));

    let id = issued[0]["id"].as_i64().unwrap();
    let first = t.call("GET", &format!("/api/v1/documents/{id}"), Some(&clerk), None).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.headers["content-type"], "application/pdf");
    let bytes = body_bytes(&t, &clerk, &format!("/api/v1/documents/{id}")).await;
    let again = body_bytes(&t, &clerk, &format!("/api/v1/documents/{id}")).await;
    assert_eq!(bytes, again, "byte-identical on every download");
    assert_eq!(hex(&Sha256::digest(&bytes)), issued[0]["sha256"].as_str().unwrap());

    let text = flat(&tool("pdftotext", &["-enc", "UTF-8"], &bytes));
    for expected in [
        "仲裁裁决书",
        &format!("{stem}-1号"),
        "申请人：张三，女，1949年12月31日出生，公民身份号码11010519491231002X",
        "被申请人经本委合法传唤，无正当理由未到庭参加庭审",
        "经审理查明：申请人于2024年3月1日入职被申请人处，月工资4300元。",
        "一、被申请人于本裁决生效之日起五日内支付申请人2026年8月至9月工资8600元（捌仟陆佰元整）",
        "本裁决为终局裁决",
        "中山市中级人民法院申请撤销本裁决",
        &format!("本案其余仲裁请求的裁决见{stem}-2号裁决书"),
        "仲裁员王立明",
    ] {
        assert!(text.contains(&flat(expected)), "missing {expected:?} in {text}");
    }
    // The final part never carries the non-final item, and the non-final part's notice is its own.
    assert!(!text.contains("43000元"));
    let other = body_bytes(&t, &clerk, &format!("/api/v1/documents/{}", issued[1]["id"])).await;
    let other_text = flat(&tool("pdftotext", &["-enc", "UTF-8"], &other));
    assert!(other_text.contains("43000元（肆万叁仟元整）"), "{other_text}");
    assert!(other_text.contains("驳回申请人的其他仲裁请求"));
    assert!(other_text.contains("期满不起诉的，本裁决书发生法律效力"));
    assert!(!other_text.contains("本裁决为终局裁决"));

    assert!(tool("qpdf", &["--check"], &bytes).contains("No syntax or stream encoding errors"));
    let fonts = tool("pdffonts", &[], &bytes);
    let embedded: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!embedded.is_empty(), "{fonts}");
    for line in embedded {
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert!(cols[0].contains('+'), "a subset font has a tag: {line}");
        assert_eq!(&cols[cols.len() - 5..cols.len() - 2], ["yes", "yes", "yes"], "embedded, subset, ToUnicode: {line}");
    }
    // The database keeps it: no update, no delete.
    let update =
        sqlx::query(sqlx::AssertSqlSafe(format!("UPDATE documents SET title = 'x' WHERE id = {id}"))).execute(&t.app.db.writer).await;
    assert!(update.is_err(), "an issued document cannot be changed");
    let delete = sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM documents WHERE id = {id}"))).execute(&t.app.db.writer).await;
    assert!(delete.is_err(), "an issued document cannot be deleted");
}

async fn award_service_on_each_side_gives_each_awards_appeal_windows(t: TestApp) {
    let (case, arbitrator, later, _) = heard_case(&t).await;
    let a = later.call("POST", &format!("/api/v1/cases/{case}/award"), Some(&arbitrator), Some(award_body())).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    let (final_id, nonfinal_id) = (a.body["documents"][0]["id"].as_i64().unwrap(), a.body["documents"][1]["id"].as_i64().unwrap());
    let day = t.on_day("2026-12-10");
    let clerk = day.token(Role::Clerk).await;
    let served = |doc: i64, party: &str, on: &str| json!({"document_id": doc, "party": party, "on": on});
    let path = format!("/api/v1/cases/{case}/clock/award-served");

    // Before anything is served, the windows are there with their dates still open.
    let view = day.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body;
    let appeal = view["deadlines"]["appeal"].as_array().expect("a split award gives a list").clone();
    assert_eq!(appeal.len(), 2);
    assert_eq!((appeal[0]["final"].as_bool(), appeal[0]["effective_on"].as_str()), (Some(true), Some("2026-12-03")));
    assert!(appeal[0]["worker_may_sue_by"].is_null() && appeal[1]["effective_on"].is_null());

    // Refusals name their field and record nothing.
    for (body, status, field) in [
        (served(final_id, "applicant", "2026-12-02"), StatusCode::UNPROCESSABLE_ENTITY, "on"),
        (served(final_id, "worker", "2026-12-04"), StatusCode::UNPROCESSABLE_ENTITY, "party"),
        (served(final_id + 100, "applicant", "2026-12-04"), StatusCode::UNPROCESSABLE_ENTITY, "document_id"),
        (served(final_id, "applicant", "2026-12-11"), StatusCode::UNPROCESSABLE_ENTITY, "on"),
    ] {
        let r = day.call("POST", &path, Some(&clerk), Some(body)).await;
        assert_eq!(r.status, status, "{}", r.text);
        assert_eq!(r.body["error"]["fields"][0]["field"], field, "{}", r.text);
    }
    let by_arbitrator = day.call("POST", &path, Some(&arbitrator), Some(served(final_id, "applicant", "2026-12-04"))).await;
    assert_eq!(by_arbitrator.status, StatusCode::FORBIDDEN);
    assert_eq!(day.count("award_services").await, 0);

    for (doc, party, on) in [
        (final_id, "applicant", "2026-12-04"),
        (final_id, "respondent", "2026-12-07"),
        (nonfinal_id, "applicant", "2026-12-04"),
        (nonfinal_id, "respondent", "2026-12-07"),
    ] {
        let r = day.call("POST", &path, Some(&clerk), Some(served(doc, party, on))).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    let twice = day.call("POST", &path, Some(&clerk), Some(served(final_id, "respondent", "2026-12-08"))).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.text);

    let view = day.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body;
    let appeal = &view["deadlines"]["appeal"];
    // Law Art. 48: 12-04 + 15 = Saturday 12-19 → Monday 12-21. Law Art. 49: 12-07 + 30 = 2027-01-06.
    assert_eq!(appeal[0]["document_id"], final_id);
    assert_eq!(appeal[0]["worker_may_sue_by"], "2026-12-21");
    assert_eq!(appeal[0]["employer_may_petition_by"], "2027-01-06");
    assert!(appeal[0]["employer_may_sue_by"].is_null());
    // Law Art. 50: 12-21 and 12-07 + 15 = 12-22; nobody sues, it takes effect on 12-23.
    assert_eq!(appeal[1]["document_id"], nonfinal_id);
    assert_eq!(appeal[1]["final"], false);
    assert_eq!(appeal[1]["worker_may_sue_by"], "2026-12-21");
    assert_eq!(appeal[1]["employer_may_sue_by"], "2026-12-22");
    assert_eq!(appeal[1]["effective_on"], "2026-12-23");
    let page = day.page_as(Role::Clerk, &format!("/staff/cases/{case}")).await;
    assert!(page.text.contains("劳动者起诉期限") && page.text.contains("用人单位申请撤销期限"), "{}", page.text);
}

async fn the_outbox_runs_each_notice_once_retries_failures_and_keeps_the_last_error(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let case = t.accepted_case(&clerk).await;
    // A worker that died holding the acceptance notice's job: its lease runs out and another runs it.
    sqlx::query("UPDATE jobs SET claimed_by = 'dead-worker', claimed_at = '2000-01-01T00:00:00.000Z', attempts = 1 WHERE id = (SELECT MIN(id) FROM jobs)")
        .execute(&t.app.db.writer)
        .await
        .unwrap();
    // A job held by a live worker is left to it.
    let live = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE jobs SET claimed_by = 'live-worker', claimed_at = '{live}' WHERE id = (SELECT MAX(id) FROM jobs)"
    )))
    .execute(&t.app.db.writer)
    .await
    .unwrap();
    assert_eq!(t.drain_jobs().await, 1);
    assert_eq!(t.document_kinds(&clerk, &case).await, ["acceptance_notice"]);
    assert_eq!(t.drain_jobs().await, 0, "nothing runs twice");

    // A job that cannot run is retried later, then kept as failed with its error.
    let bad = json!({"kind": "notice", "case_id": case, "document": "no_such_document", "data": {}, "by": "clerk", "on": "2026-11-16"})
        .to_string();
    sqlx::query("INSERT INTO jobs (kind, payload, due_at, created_at) VALUES ('notice', $1, '2000-01-01T00:00:00.000Z', '2000-01-01T00:00:00.000Z')")
        .bind(&bad)
        .execute(&t.app.db.writer)
        .await
        .unwrap();
    assert_eq!(t.drain_jobs().await, 1);
    let pending = t.call("GET", "/api/v1/jobs?state=pending", Some(&clerk), None).await;
    let retry =
        pending.body.as_array().unwrap().iter().find(|j| j["payload"]["document"] == "no_such_document").expect("still pending").clone();
    assert_eq!(retry["attempts"], 1);
    assert!(retry["last_error"].as_str().unwrap().contains("no_such_document"), "{retry}");
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE jobs SET due_at = '2000-01-01T00:00:00.000Z', attempts = {} WHERE id = {}",
        MAX_ATTEMPTS - 1,
        retry["id"]
    )))
    .execute(&t.app.db.writer)
    .await
    .unwrap();
    assert_eq!(t.drain_jobs().await, 1);
    let failed = t.call("GET", "/api/v1/jobs?state=failed", Some(&clerk), None).await;
    assert_eq!(failed.status, StatusCode::OK, "{}", failed.text);
    assert_eq!(failed.body[0]["id"], retry["id"]);
    assert_eq!(failed.body[0]["attempts"], MAX_ATTEMPTS);
    assert_eq!(t.drain_jobs().await, 0, "a failed job is not run again");
    let liaison = t.token(Role::Liaison).await;
    assert_eq!(t.call("GET", "/api/v1/jobs", Some(&liaison), None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.call("GET", "/api/v1/jobs?state=lost", Some(&clerk), None).await.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn expired_idempotency_records_are_purged_by_a_job_that_reschedules_itself(t: TestApp) {
    let insert = "INSERT INTO idempotency_keys (key, request_hash, response, created_at, expires_at) VALUES ($1, 'h', '{}', $2, $2)";
    for (key, expires) in [("old", "2000-01-01T00:00:00.000Z"), ("live", "2999-01-01T00:00:00.000Z")] {
        sqlx::query(insert).bind(key).bind(expires).execute(&t.app.db.writer).await.unwrap();
    }
    let draft = "INSERT INTO plan_drafts (created_at, created_by, basis, placements) VALUES ($1, 'clerk', 'b', '[]')";
    for at in ["2000-01-01T00:00:00.000Z", "2999-01-01T00:00:00.000Z"] {
        sqlx::query(draft).bind(at).execute(&t.app.db.writer).await.unwrap();
    }
    greenlane::app::jobs::schedule_housekeeping(&t.app).await.unwrap();
    greenlane::app::jobs::schedule_housekeeping(&t.app).await.unwrap();
    assert_eq!(t.drain_jobs().await, 2, "one purge and one reminders sweep however often they are queued");
    let keys: Vec<String> = sqlx::query_scalar("SELECT key FROM idempotency_keys").fetch_all(&t.app.db.reader).await.unwrap();
    assert_eq!(keys, ["live"]);
    let drafts: Vec<String> = sqlx::query_scalar("SELECT created_at FROM plan_drafts").fetch_all(&t.app.db.reader).await.unwrap();
    assert_eq!(drafts, ["2999-01-01T00:00:00.000Z"], "a planning draft of an earlier day goes too");
    let clerk = t.token(Role::Clerk).await;
    let pending = t.call("GET", "/api/v1/jobs?state=pending", Some(&clerk), None).await;
    let next =
        pending.body.as_array().unwrap().iter().find(|j| j["kind"] == "purge_idempotency").expect("the next purge is queued").clone();
    assert!(next["due_at"].as_str().unwrap() > next["created_at"].as_str().unwrap(), "{next}");
    assert_eq!(t.drain_jobs().await, 0, "not due before the hour");
}

pub(crate) async fn body_bytes(t: &TestApp, token: &str, path: &str) -> Vec<u8> {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let req = axum::http::Request::builder()
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let res = t.router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.into_body().collect().await.unwrap().to_bytes().to_vec()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn codes(a: &crate::common::Answer) -> Vec<String> {
    a.body["error"]["fields"]
        .as_array()
        .map(|f| f.iter().map(|e| e["code"].as_str().unwrap_or("").to_string()).collect())
        .unwrap_or_default()
}

async fn a_wrong_award_is_refused_naming_the_rule_and_nothing_is_issued(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    // Not heard yet: an accepted case cannot be awarded.
    let waiting = t.accepted_case(&clerk).await;
    let (case, arbitrator, later, _) = heard_case(&t).await;
    let stranger_id =
        t.call("POST", "/api/v1/arbitrators", Some(&clerk), Some(json!({"name": "李仲裁", "presides": true}))).await.body["id"]
            .as_i64()
            .unwrap();
    let stranger = later.arbitrator_token(stranger_id).await;
    let before = t.count("documents").await;
    let path = format!("/api/v1/cases/{case}/award");

    // A case this arbitrator does not sit on is refused before its state is looked at.
    let not_heard = later.call("POST", &format!("/api/v1/cases/{waiting}/award"), Some(&arbitrator), Some(award_body())).await;
    assert_eq!(not_heard.status, StatusCode::FORBIDDEN, "{}", not_heard.text);
    assert_eq!(later.call("POST", &path, Some(&stranger), Some(award_body())).await.status, StatusCode::FORBIDDEN);
    assert_eq!(later.call("POST", &path, Some(&clerk), Some(award_body())).await.status, StatusCode::FORBIDDEN);
    let liaison = t.token(Role::Liaison).await;
    assert_eq!(later.call("POST", &path, Some(&liaison), Some(award_body())).await.status, StatusCode::FORBIDDEN);

    let mut unknown = award_body();
    unknown["items"][1]["claim"] = json!(7);
    assert_eq!(codes(&later.call("POST", &path, Some(&arbitrator), Some(unknown)).await), ["unknown_claim"]);
    let mut above = award_body();
    above["items"][0]["awarded"] = json!("8600.01");
    assert_eq!(codes(&later.call("POST", &path, Some(&arbitrator), Some(above)).await), ["above_claim"]);
    let mut negative = award_body();
    negative["items"][0]["awarded"] = json!("-5");
    assert_eq!(codes(&later.call("POST", &path, Some(&arbitrator), Some(negative)).await), ["not_positive"]);
    let mut bare = award_body();
    bare["findings"] = json!("  ");
    bare["items"] = json!([]);
    let refused = later.call("POST", &path, Some(&arbitrator), Some(bare)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(codes(&refused), ["required", "required"], "{}", refused.text);
    let typo = later.call("POST", &path, Some(&arbitrator), Some(json!({"findings": "x", "reasoning": "y", "items": "all"}))).await;
    assert_eq!(typo.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", typo.text);

    assert_eq!(t.count("documents").await, before, "nothing issued");
    assert_eq!(t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body["status"], "heard");
}

async fn the_liaison_desk_finds_the_case_by_each_key_and_its_downloads_are_logged(t: TestApp) {
    let (case, arbitrator, later, _) = heard_case(&t).await;
    assert_eq!(
        later.call("POST", &format!("/api/v1/cases/{case}/award"), Some(&arbitrator), Some(award_body())).await.status,
        StatusCode::CREATED
    );
    let liaison = t.token(Role::Liaison).await;
    let admin = t.token(Role::Admin).await;
    let view = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&liaison), None).await.body;
    let case_no = view["case_no"].as_str().unwrap().to_string();
    let track = view["track"].as_str().unwrap().to_string();
    let enc = |s: &str| serde_urlencoded::to_string([("q", s)]).unwrap();
    for query in [
        enc(&case_no),
        enc("张三"),
        "party_id=11010519491231002X".to_string(),
        "party_id=91350100M000100Y43".to_string(),
        "from=2026-11-16&to=2026-11-16".to_string(),
        format!("status=closed&track={track}&outcome=award"),
    ] {
        let found = t.call("GET", &format!("/api/v1/cases?{query}"), Some(&liaison), None).await;
        assert_eq!(found.status, StatusCode::OK, "{query}: {}", found.text);
        let ids: Vec<&str> = found.body["items"].as_array().unwrap().iter().filter_map(|c| c["id"].as_str()).collect();
        assert_eq!(ids, [case.as_str()], "{query}");
    }
    let none = t.call("GET", "/api/v1/cases?outcome=mediation", Some(&liaison), None).await;
    assert_eq!(none.body["items"].as_array().unwrap().len(), 0);
    let bad = t.call("GET", "/api/v1/cases?outcome=won", Some(&liaison), None).await;
    assert_eq!(codes(&bad), ["unknown_outcome"]);

    let zip_bytes = body_bytes(&t, &liaison, &format!("/api/v1/cases/{case}/bundle")).await;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    let mut manifest = String::new();
    zip.by_name("manifest.json").unwrap().read_to_string(&mut manifest).unwrap();
    let manifest: Value = serde_json::from_str(&manifest).unwrap();
    let listed = manifest["documents"].as_array().unwrap();
    assert_eq!(listed.len(), 6, "acceptance, respondent, tribunal and hearing notices and two awards: {manifest}");
    for d in listed {
        let mut bytes = Vec::new();
        zip.by_name(d["name"].as_str().unwrap()).unwrap().read_to_end(&mut bytes).unwrap();
        assert_eq!(hex(&Sha256::digest(&bytes)), d["sha256"].as_str().unwrap(), "{d}");
    }
    let mut combined = Vec::new();
    zip.by_name("case-file.pdf").unwrap().read_to_end(&mut combined).unwrap();
    assert!(tool("qpdf", &["--check"], &combined).contains("No syntax or stream encoding errors"));
    let outline = tool("qpdf", &["--json", "--json-key=outlines"], &combined);
    for title in ["受理通知书", "开庭通知书", "仲裁裁决书"] {
        assert!(outline.contains(title), "bookmark {title}: {outline}");
    }
    case_file_index_names_the_page_each_part_starts_on(&combined);

    // Ids that name nothing are 404s, and leave no trace in the log.
    let logged = t.count("access_log").await;
    for path in [
        "/api/v1/documents/abc",
        "/api/v1/documents/0",
        "/api/v1/documents/99999",
        "/api/v1/cases/NOSUCHCASE/bundle",
        "/api/v1/cases/NOSUCHCASE/documents",
    ] {
        assert_eq!(t.call("GET", path, Some(&liaison), None).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(t.count("access_log").await, logged);
    let clerk = t.token(Role::Clerk).await;
    assert_eq!(t.call("POST", "/api/v1/hearings/x/notice-documents", Some(&clerk), None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.call("POST", "/api/v1/hearings/99999/notice-documents", Some(&clerk), None).await.status, StatusCode::NOT_FOUND);

    let doc = listed[2]["name"].as_str().unwrap().split('-').next().unwrap().parse::<i64>().unwrap();
    body_bytes(&t, &liaison, &format!("/api/v1/documents/{doc}")).await;
    assert_eq!(t.call("GET", "/api/v1/access-log", Some(&liaison), None).await.status, StatusCode::FORBIDDEN);
    let log = t.call("GET", &format!("/api/v1/access-log?case_id={case}"), Some(&admin), None).await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.text);
    let actions: Vec<(&str, &str)> =
        log.body.as_array().unwrap().iter().map(|e| (e["role"].as_str().unwrap(), e["action"].as_str().unwrap())).collect();
    for wanted in [("liaison", "download"), ("liaison", "bundle"), ("liaison", "view_case")] {
        assert!(actions.contains(&wanted), "{wanted:?} in {actions:?}");
    }
    let downloaded = log.body.as_array().unwrap().iter().find(|e| e["action"] == "download").unwrap();
    assert_eq!(downloaded["document_id"], doc);
}

async fn each_part_of_a_split_award_has_its_own_court_outcome_and_the_case_sums_them(t: TestApp) {
    let (case, arbitrator, later, _) = heard_case(&t).await;
    let a = later.call("POST", &format!("/api/v1/cases/{case}/award"), Some(&arbitrator), Some(award_body())).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    let (final_part, nonfinal) = (a.body["documents"][0]["id"].as_i64().unwrap(), a.body["documents"][1]["id"].as_i64().unwrap());
    let final_no = a.body["documents"][0]["case_no"].as_str().unwrap().to_string();
    let liaison = later.token(Role::Liaison).await;
    let path = format!("/api/v1/cases/{case}/court-outcome");
    let put = |body: Value| {
        let (later, path, liaison) = (&later, path.clone(), liaison.clone());
        async move { later.call("PUT", &path, Some(&liaison), Some(body)).await }
    };
    // Two awards: which one must be said, and a non-final award cannot be petitioned against (Art. 49–50).
    let unnamed = put(json!({"court_outcome": "no_suit"})).await;
    assert_eq!(unnamed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unnamed.body["error"]["fields"][0]["field"], "document_id", "{}", unnamed.text);
    assert!(unnamed.text.contains(&final_no), "the refusal names the awards: {}", unnamed.text);
    let petition = put(json!({"court_outcome": "revocation_petition", "document_id": nonfinal})).await;
    assert_eq!(petition.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(petition.text.contains("不能申请撤销") && petition.text.contains("第五十条"), "{}", petition.text);
    assert_eq!(t.count("award_court_outcomes").await, 0, "nothing refused is recorded");

    // The final part: nobody went to court. The case waits for its other part.
    let first = put(json!({"court_outcome": "no_suit", "document_id": final_part})).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    assert_eq!((first.body["document_id"].as_i64(), first.body["case_court_outcome"].as_str()), (Some(final_part), None));
    // The non-final part: the employer sued, then withdrew its suit.
    let sued = put(json!({"court_outcome": "suit", "document_id": nonfinal})).await;
    assert_eq!((sued.body["case_court_outcome"].as_str(), sued.body["case_court_result"].as_str()), (Some("suit"), Some("pending")));
    let withdrawn = put(json!({"court_outcome": "suit", "court_result": "withdrawn", "document_id": nonfinal})).await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.text);
    assert_eq!(withdrawn.body["case_court_result"].as_str(), Some("withdrawn"));
    assert_eq!(t.count("award_court_outcomes").await, 2, "one record per award, the later replacing the earlier");

    let page = later.page_as(Role::Liaison, &format!("/staff/cases/{case}")).await;
    assert!(page.text.contains("法院阶段：未起诉") && page.text.contains("法院阶段：当事人起诉（撤诉）"), "{}", page.text);
    assert!(page.text.contains(r#"<select id="co_doc" name="document_id" required>"#), "the form asks which award");
}

/// The acceptance notice of a case accepted now, once the outbox has issued it.
pub(crate) async fn accepted_notice_pdf(t: &TestApp, clerk: &str) -> Vec<u8> {
    let case = t.accepted_case(clerk).await;
    t.drain_jobs().await;
    let docs = t.call("GET", &format!("/api/v1/cases/{case}/documents"), Some(clerk), None).await.body;
    let id = docs.as_array().unwrap().iter().find(|d| d["kind"] == "acceptance_notice").expect("an acceptance notice")["id"].clone();
    body_bytes(t, clerk, &format!("/api/v1/documents/{id}")).await
}
