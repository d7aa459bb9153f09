//! The parties online (issue 22): a respondent's own sign-in code given at acceptance and printed
//! on its notice, sign-in with the case's id or 案号, and a session that reaches only that party's
//! view of that case.

use axum::http::StatusCode;
use greenlane::app::accounts::Role;
use serde_json::{Value, json};

use crate::common::{TestApp, application};
use crate::documents::{body_bytes, flat, tool};

async fn login(t: &TestApp, case: &str, code: &str) -> crate::common::Answer {
    t.call("POST", "/api/v1/party/login", None, Some(json!({"case": case, "code": code}))).await
}

async fn a_respondent_signs_in_with_the_code_on_its_notice_and_opening_it_serves_it(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let filed = t.register(application()).await;
    let case = filed.body["id"].as_str().unwrap().to_string();
    let access_code = filed.body["access_code"].as_str().unwrap().to_string();
    // The employer agreed to the party pages in its signed confirmation.
    let confirm = json!({"address": "中山市火炬开发区某某路1号", "platform": true});
    let path = format!("/api/v1/cases/{case}/parties/respondent/0/service-address");
    assert_eq!(t.call("PUT", &path, Some(&clerk), Some(confirm)).await.status, StatusCode::OK);
    let accepted = t.call("POST", &format!("/api/v1/cases/{case}/accept"), Some(&clerk), None).await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.text);
    let codes = accepted.body["party_codes"].as_array().unwrap();
    assert_eq!(codes.len(), 1, "{}", accepted.text);
    assert_eq!((codes[0]["role"].as_str(), codes[0]["index"].as_i64()), (Some("respondent"), Some(0)));
    let code = codes[0]["code"].as_str().unwrap().to_string();
    let case_no = accepted.body["case_no"].as_str().unwrap().to_string();
    t.drain_jobs().await;

    // The code is printed on the respondent's 应诉通知书, with where to sign in.
    let docs = t.call("GET", &format!("/api/v1/cases/{case}/documents"), Some(&clerk), None).await.body;
    let notice = docs.as_array().unwrap().iter().find(|d| d["kind"] == "respondent_notice").unwrap()["id"].as_i64().unwrap();
    let text = flat(&tool("pdftotext", &["-enc", "UTF-8"], &body_bytes(&t, &clerk, &format!("/api/v1/documents/{notice}")).await));
    assert!(text.contains(&format!("登录码：{code}")), "{text}");

    // Signed in with the 案号 as typed in any brackets, or the case id.
    let seq = case_no.trim_end_matches('号').rsplit('第').next().unwrap().to_string();
    for typed in [case_no.clone(), format!("(2026){seq}号"), format!("2026第{seq}号")] {
        let ok = login(&t, &typed, &code.to_lowercase()).await;
        assert_eq!(ok.status, StatusCode::OK, "{typed}: {}", ok.text);
        assert_eq!((ok.body["role"].as_str(), ok.body["case_id"].as_str()), (Some("respondent"), Some(case.as_str())));
    }
    let applicant = login(&t, &case, &access_code).await;
    assert_eq!(applicant.body["role"], "applicant", "{}", applicant.text);

    // A wrong code and an unknown case get the same answer; a missing field is named.
    let wrong = login(&t, &case_no, "AAAA-BBBB-CCCC").await;
    let unknown = login(&t, "〔2026〕第999号", &code).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!((unknown.status, &unknown.body), (wrong.status, &wrong.body));
    let missing = t.call("POST", "/api/v1/party/login", None, Some(json!({"case": case_no}))).await;
    assert_eq!(missing.body["error"]["fields"][0]["field"], "code", "{}", missing.text);

    // The session reaches the respondent's documents, and its opening is the service.
    let token = login(&t, &case_no, &code).await.body["token"].as_str().unwrap().to_string();
    let mine = t.call("GET", &format!("/api/v1/cases/{case}/documents"), Some(&token), None).await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.text);
    let kinds: Vec<&str> = mine.body.as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["respondent_notice"], "not the applicant's acceptance notice");
    let before = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body;
    assert_eq!(before["deadlines"]["copy_served_on"], Value::Null);
    let pdf = body_bytes(&t, &token, &format!("/api/v1/documents/{notice}")).await;
    assert!(pdf.starts_with(b"%PDF"));
    let after = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body;
    assert_eq!(after["deadlines"]["copy_served_on"], "2026-11-16", "Law Art. 30: the defence period runs from the opening");

    // The case as the respondent sees it: its documents, the worker's name and claims, not the
    // worker's ID number or phone, and not the staff's record.
    let seen = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&token), None).await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.text);
    assert_eq!(seen.body["applicants"][0]["name"], "张三");
    assert_eq!((&seen.body["applicants"][0]["id_number"], &seen.body["applicants"][0]["phone"]), (&Value::Null, &Value::Null));
    assert!(!seen.body["claims"].as_array().unwrap().is_empty());
    assert_eq!(seen.body["events"], Value::Null);
    let kinds: Vec<&str> = seen.body["documents"].as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["respondent_notice"]);

    // Nothing else: not the applicant's document, not another case, not the staff API.
    let acceptance = docs.as_array().unwrap().iter().find(|d| d["kind"] == "acceptance_notice").unwrap()["id"].as_i64().unwrap();
    assert_eq!(t.call("GET", &format!("/api/v1/documents/{acceptance}"), Some(&token), None).await.status, StatusCode::NOT_FOUND);
    let other = t.register(application()).await.body["id"].as_str().unwrap().to_string();
    assert_eq!(t.call("GET", &format!("/api/v1/cases/{other}/documents"), Some(&token), None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.call("GET", "/api/v1/cases", Some(&token), None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(t.call("GET", &format!("/api/v1/cases/{other}"), Some(&token), None).await.status, StatusCode::NOT_FOUND);
    // Writing to another case is refused outright.
    let elsewhere = json!({"text": "答辩", "waive_defence_period": true});
    assert_eq!(
        t.call("POST", &format!("/api/v1/cases/{other}/defence"), Some(&token), Some(elsewhere)).await.status,
        StatusCode::FORBIDDEN
    );
    let ask = json!({"kind": "withdrawal", "reason": "x", "confirm": true});
    assert_eq!(t.call("POST", &format!("/api/v1/cases/{other}/requests"), Some(&token), Some(ask)).await.status, StatusCode::FORBIDDEN);

    // The respondent answers and waives the defence period (Rules Art. 58): the hearing may come sooner.
    let path = format!("/api/v1/cases/{case}/defence");
    let blank = t.call("POST", &path, Some(&token), Some(json!({"text": "  ", "waive_defence_period": true}))).await;
    assert_eq!(blank.body["error"]["fields"][0]["field"], "text", "{}", blank.text);
    let applicant_token = applicant.body["token"].as_str().unwrap();
    let not_mine = t.call("POST", &path, Some(applicant_token), Some(json!({"text": "答辩"}))).await;
    assert_eq!(not_mine.status, StatusCode::FORBIDDEN, "an applicant does not answer: {}", not_mine.text);
    assert_eq!(t.call("POST", &path, Some(&clerk), Some(json!({"text": "答辩"}))).await.status, StatusCode::FORBIDDEN);
    let before = after["deadlines"]["hearing_not_before"].as_str().unwrap().to_string();
    let answered = t
        .call("POST", &path, Some(&token), Some(json!({"text": "已足额支付工资，不同意申请人的请求。", "waive_defence_period": true})))
        .await;
    assert_eq!(answered.status, StatusCode::CREATED, "{}", answered.text);
    assert_eq!((answered.body["late"].as_bool(), answered.body["waived"].as_bool()), (Some(false), Some(true)));
    let sooner = answered.body["hearing_not_before"].as_str().unwrap();
    assert!(sooner < before.as_str(), "{sooner} before {before}");
    let view = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body;
    assert_eq!(view["deadlines"]["defence_by"], Value::Null, "waived: {}", view["deadlines"]);
    // The waiver is given once; a later defence without one is still received.
    let again = t.call("POST", &path, Some(&token), Some(json!({"text": "补充答辩", "waive_defence_period": true}))).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
    let more = t.call("POST", &path, Some(&token), Some(json!({"text": "补充答辩"}))).await;
    assert_eq!(more.status, StatusCode::CREATED, "{}", more.text);

    // A session that has ended is refused, and the housekeeping job deletes it.
    sqlx::query("UPDATE party_sessions SET expires_at = '2000-01-01T00:00:00.000Z'").execute(&t.app.db.writer).await.unwrap();
    assert_eq!(t.call("GET", &format!("/api/v1/cases/{case}"), Some(&token), None).await.status, StatusCode::UNAUTHORIZED);
    greenlane::app::jobs::schedule_housekeeping(&t.app).await.unwrap();
    t.drain_jobs().await;
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM party_sessions").fetch_one(&t.app.db.reader).await.unwrap();
    assert_eq!(left, 0);
}

on_both_backends!(a_respondent_signs_in_with_the_code_on_its_notice_and_opening_it_serves_it);

fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "evidence-boundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes());
    }
    if let Some((name, bytes)) = file {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn evidence_is_known_by_its_content_and_counted_per_side(postgres: bool) {
    let tweak = |raw: &mut greenlane::config::RawConfig| {
        raw.evidence_max_files = 2;
        raw.evidence_max_mb = 1;
    };
    let t = if postgres { TestApp::postgres_with(tweak).await } else { TestApp::sqlite_with(tweak).await };
    let clerk = t.token(Role::Clerk).await;
    let filed = t.register(application()).await;
    let case = filed.body["id"].as_str().unwrap().to_string();
    let accepted = t.call("POST", &format!("/api/v1/cases/{case}/accept"), Some(&clerk), None).await;
    let code = accepted.body["party_codes"][0]["code"].as_str().unwrap().to_string();
    let employer = login(&t, &case, &code).await.body["token"].as_str().unwrap().to_string();
    let worker = login(&t, &case, filed.body["access_code"].as_str().unwrap()).await.body["token"].as_str().unwrap().to_string();
    let send = |token: String, fields: Vec<(&'static str, &'static str)>, file: Option<(&'static str, Vec<u8>)>| {
        let (ct, body) = multipart(&fields, file.as_ref().map(|(n, b)| (*n, b.as_slice())));
        axum::http::Request::post(format!("/api/v1/cases/{case}/evidence"))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", ct)
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let pdf = b"%PDF-1.4 payslips".to_vec();
    let jpeg = [&[0xFF, 0xD8, 0xFF, 0xE0][..], b"photo of the time sheet"].concat();
    let fields = vec![("name", "工资条"), ("purpose", "证明已足额支付工资")];
    let first = t.request(send(employer.clone(), fields.clone(), Some(("工资条.pdf", pdf.clone())))).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    assert_eq!(first.body["size"], pdf.len());
    // A program renamed .jpg is refused by its content; a missing purpose is named; nothing is stored.
    let exe = t.request(send(employer.clone(), fields.clone(), Some(("photo.jpg", b"MZ\x90\x00".to_vec())))).await;
    assert_eq!(exe.body["error"]["fields"][0]["code"], "unsupported_type", "{}", exe.text);
    let no_purpose = t.request(send(employer.clone(), vec![("name", "照片")], Some(("p.jpg", jpeg.clone())))).await;
    assert_eq!(no_purpose.body["error"]["fields"][0]["field"], "purpose", "{}", no_purpose.text);
    let big = [&b"%PDF-1.4 "[..], &vec![b'x'; 1024 * 1024 + 1]].concat();
    let too_big = t.request(send(employer.clone(), fields.clone(), Some(("scan.pdf", big)))).await;
    assert_eq!(too_big.body["error"]["fields"][0]["code"], "too_large", "{}", too_big.text);
    assert!(too_big.body["error"]["fields"][0]["message"].as_str().unwrap().contains("1 MB"), "the limit is named: {}", too_big.text);
    let second = t.request(send(employer.clone(), fields.clone(), Some(("考勤.jpg", jpeg.clone())))).await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.text);
    let third = t.request(send(employer.clone(), fields.clone(), Some(("more.pdf", pdf.clone())))).await;
    assert_eq!(third.body["error"]["fields"][0]["code"], "too_many", "{}", third.text);
    // The worker's side has its own count; it does not see the employer's files before the clerk accepts them.
    let own = t.request(send(worker.clone(), vec![("name", "劳动合同"), ("purpose", "证明劳动关系")], Some(("c.pdf", pdf.clone())))).await;
    assert_eq!(own.status, StatusCode::CREATED, "{}", own.text);
    let seen = t.call("GET", &format!("/api/v1/cases/{case}/evidence"), Some(&worker), None).await;
    let names: Vec<&str> = seen.body.as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["劳动合同"], "{}", seen.text);
    let all = t.call("GET", &format!("/api/v1/cases/{case}/evidence"), Some(&clerk), None).await;
    assert_eq!(all.body.as_array().unwrap().len(), 3, "{}", all.text);
    assert!(all.body.as_array().unwrap().iter().all(|e| e["review"] == "pending"));
    assert_eq!(all.body[1]["content_type"], "image/jpeg");

    // The clerk reviews: the payslips accepted, the photo returned with a reason the party sees.
    let (payslips, photo) = (all.body[0]["id"].as_i64().unwrap(), all.body[1]["id"].as_i64().unwrap());
    let paths: std::collections::HashMap<i64, String> =
        [payslips, photo].iter().map(|id| (*id, format!("/api/v1/evidence/{id}/review"))).collect();
    let review = |id: i64, body: Value| t.call("POST", &paths[&id], Some(&clerk), Some(body));
    assert_eq!(review(photo, json!({"decision": "returned"})).await.body["error"]["fields"][0]["field"], "reason");
    assert_eq!(review(photo, json!({"decision": "returned", "reason": "照片模糊，请重新拍摄"})).await.body["review"], "returned");
    assert_eq!(review(payslips, json!({"decision": "accepted"})).await.body["review"], "accepted");
    assert_eq!(review(payslips, json!({"decision": "returned", "reason": "x"})).await.status, StatusCode::CONFLICT);
    assert_eq!(
        t.call("POST", &format!("/api/v1/evidence/{payslips}/review"), Some(&employer), Some(json!({"decision": "accepted"}))).await.status,
        StatusCode::UNAUTHORIZED
    );
    // The worker now sees and opens the accepted payslips, never the returned photo.
    let seen = t.call("GET", &format!("/api/v1/cases/{case}/evidence"), Some(&worker), None).await;
    let names: Vec<&str> = seen.body.as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["工资条", "劳动合同"], "{}", seen.text);
    assert_eq!(body_bytes(&t, &worker, &format!("/api/v1/evidence/{payslips}")).await, pdf);
    assert_eq!(t.call("GET", &format!("/api/v1/evidence/{photo}"), Some(&worker), None).await.status, StatusCode::NOT_FOUND);
    let returned = t.call("GET", &format!("/api/v1/cases/{case}/evidence"), Some(&employer), None).await;
    assert_eq!(returned.body[1]["review_reason"], "照片模糊，请重新拍摄", "{}", returned.text);
    // The accepted evidence goes into the court bundle with its digest.
    let liaison = t.token(Role::Liaison).await;
    let zip_bytes = body_bytes(&t, &liaison, &format!("/api/v1/cases/{case}/bundle")).await;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    let manifest: Value = serde_json::from_reader(zip.by_name("manifest.json").unwrap()).unwrap();
    let listed = manifest["evidence"].as_array().unwrap();
    assert_eq!(listed.len(), 1, "{manifest}");
    assert_eq!((listed[0]["title"].as_str(), listed[0]["purpose"].as_str()), (Some("工资条"), Some("证明已足额支付工资")));
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut zip.by_name(listed[0]["name"].as_str().unwrap()).unwrap(), &mut bytes).unwrap();
    assert_eq!(bytes, pdf);
}

mod evidence_is_known_by_its_content_and_counted_per_side {
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite() {
        super::evidence_is_known_by_its_content_and_counted_per_side(false).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn postgres() {
        super::evidence_is_known_by_its_content_and_counted_per_side(true).await
    }
}

/// Signs a party in on the pages; the cookies of its session and the form token.
async fn page_sign_in(t: &TestApp, case: &str, code: &str) -> (String, String) {
    let (cookie, token) = crate::common::csrf(t, "/status").await;
    let q = serde_urlencoded::to_string([("csrf", token.as_str()), ("case", case), ("code", code)]).unwrap();
    let a = t.request(crate::common::form("/status", &cookie, q)).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
    let jar = crate::common::with_cookies(&cookie, &a);
    let token = crate::common::cookie_value(&jar, "gl_csrf");
    (jar, token)
}

async fn get_page(t: &TestApp, path: &str, jar: &str) -> crate::common::Answer {
    use axum::body::Body;
    t.request(axum::http::Request::get(path).header("cookie", jar).body(Body::empty()).unwrap()).await
}

async fn the_respondent_answers_waives_and_uploads_on_its_page_and_sees_the_hearing_with_the_address(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let room =
        t.call("POST", "/api/v1/rooms", Some(&clerk), Some(json!({"name": "第三审理庭", "seats": 8}))).await.body["id"].as_i64().unwrap();
    let arb = t.call("POST", "/api/v1/arbitrators", Some(&clerk), Some(json!({"name": "王立明", "presides": true}))).await.body["id"]
        .as_i64()
        .unwrap();
    let filed = t.register(application()).await;
    let case = filed.body["id"].as_str().unwrap().to_string();
    let access_code = filed.body["access_code"].as_str().unwrap().to_string();
    let confirm = json!({"address": "中山市火炬开发区某某路1号", "platform": true});
    t.call("PUT", &format!("/api/v1/cases/{case}/parties/respondent/0/service-address"), Some(&clerk), Some(confirm)).await;
    let accepted = t.call("POST", &format!("/api/v1/cases/{case}/accept"), Some(&clerk), None).await;
    let code = accepted.body["party_codes"][0]["code"].as_str().unwrap().to_string();
    let case_no = accepted.body["case_no"].as_str().unwrap().to_string();
    t.drain_jobs().await;

    // The respondent signs in with the 案号 and sees the applicant's name and claims, not its ID number or phone.
    let (jar, token) = page_sign_in(&t, &case_no, &code).await;
    let page = get_page(&t, "/status/case", &jar).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains("被申请人") && page.text.contains("张三") && page.text.contains("2026年8—9月工资"), "{}", page.text);
    assert!(!page.text.contains("11010519491231002X") && !page.text.contains("13800138000"), "{}", page.text);
    assert!(page.text.contains("打开文书即视为您已收到"), "{}", page.text);

    // Opening the 应诉通知书 from the page is its platform delivery: the defence period starts.
    let docs = t.call("GET", &format!("/api/v1/cases/{case}/documents"), Some(&clerk), None).await.body;
    let notice = docs.as_array().unwrap().iter().find(|d| d["kind"] == "respondent_notice").unwrap()["id"].as_i64().unwrap();
    let pdf = get_page(&t, &format!("/status/documents/{notice}"), &jar).await;
    assert_eq!((pdf.status, pdf.headers.get("content-type").unwrap().to_str().unwrap()), (StatusCode::OK, "application/pdf"));
    let seen = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body;
    assert_eq!(seen["deadlines"]["copy_served_on"], "2026-11-16", "{seen}");
    // It answers and waives the defence period: the earliest hearing day comes forward.
    let before = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body["deadlines"]["hearing_not_before"].clone();
    let q =
        serde_urlencoded::to_string([("csrf", token.as_str()), ("text", "已足额支付工资，不同意申请人的请求。"), ("waive", "on")]).unwrap();
    let answered = t.request(crate::common::form("/status/defence", &jar, q)).await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.text);
    assert_eq!(answered.headers.get("location").unwrap(), "/status/case?done=waived");
    let after = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body["deadlines"]["hearing_not_before"].clone();
    assert!(after.as_str().unwrap() < before.as_str().unwrap(), "{before} → {after}");
    let page = get_page(&t, "/status/case?done=waived", &jar).await;
    assert!(page.text.contains("已放弃答辩期") && page.text.contains("同时放弃答辩期"), "{}", page.text);
    assert!(!page.text.contains(r#"id="waive""#), "a waiver is not offered twice");
    // Law Art. 30: the defence copy is typeset and served on the applicant.
    t.drain_jobs().await;
    let docs = t.call("GET", &format!("/api/v1/cases/{case}/documents"), Some(&clerk), None).await.body;
    let copy = docs.as_array().unwrap().iter().find(|d| d["kind"] == "defence_copy").expect("a defence copy").clone();
    let text = flat(&tool("pdftotext", &["-enc", "UTF-8"], &body_bytes(&t, &clerk, &format!("/api/v1/documents/{}", copy["id"])).await));
    assert!(text.contains(&flat("已足额支付工资，不同意申请人的请求。")) && text.contains("放弃答辩期"), "{text}");
    let services = t.call("GET", &format!("/api/v1/cases/{case}/services"), Some(&clerk), None).await.body;
    let to_applicant: Vec<&Value> = services["services"].as_array().unwrap().iter().filter(|s| s["document_id"] == copy["id"]).collect();
    assert_eq!(to_applicant.len(), 1, "{services}");
    assert_eq!(to_applicant[0]["party"]["role"], "applicant");

    // Evidence from the page's form: a PDF is kept; a text file is refused, keeping what was typed.
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let upload = |fields: Vec<(&'static str, String)>, file: (&'static str, Vec<u8>)| {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (ct, body) = multipart(&fields, Some((file.0, &file.1)));
        axum::http::Request::post("/status/evidence")
            .header("content-type", ct)
            .header("cookie", jar.clone())
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let fields = |name: &str| vec![("csrf", token.clone()), ("name", name.to_string()), ("purpose", "证明已足额支付工资".to_string())];
    let kept = t.request(upload(fields("工资条"), ("wages.pdf", pdf.clone()))).await;
    assert_eq!(kept.status, StatusCode::SEE_OTHER, "{}", kept.text);
    let refused = t.request(upload(fields("聊天记录"), ("chat.pdf", b"just text, not a PDF".to_vec()))).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.text);
    assert!(refused.text.contains(r#"value="聊天记录""#) && refused.text.contains("PDF"), "{}", refused.text);
    assert_eq!(t.count("evidence").await, 1);
    let forged =
        t.request(upload(vec![("csrf", "forged".into()), ("name", "x".into()), ("purpose", "y".into())], ("a.pdf", pdf.clone()))).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(t.count("evidence").await, 1);
    let page = get_page(&t, "/status/case", &jar).await;
    assert!(page.text.contains("工资条") && page.text.contains("待审查"), "{}", page.text);

    // With a hearing fixed, the page gives the day, the time in words, the room and the commission's address.
    let day = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body["deadlines"]["hearing_not_before"]
        .as_str()
        .unwrap()
        .to_string();
    let placed = t
        .call(
            "PUT",
            &format!("/api/v1/cases/{case}/hearing"),
            Some(&clerk),
            Some(json!({"day": day, "start": "09:30", "room_id": room, "arbitrator_ids": [arb]})),
        )
        .await;
    assert_eq!(placed.status, StatusCode::OK, "{}", placed.text);
    let page = get_page(&t, "/status/case", &jar).await;
    let place = page.text.split(r#"id="hearing-place">"#).nth(1).unwrap().split('<').next().unwrap().to_string();
    assert!(place.contains("中山市东区中山五路") && place.contains("第三审理庭"), "{place}");
    assert!(page.text.contains("上午9时30分") && page.text.contains("请带齐"), "{}", page.text);
    assert!(!page.text.contains(r#"id="moved""#));
    // Moved to the afternoon: the page says so, with the old and the new time.
    let moved = t
        .call(
            "PUT",
            &format!("/api/v1/cases/{case}/hearing"),
            Some(&clerk),
            Some(json!({"day": day, "start": "14:30", "room_id": room, "arbitrator_ids": [arb], "reason": "审理庭另有安排"})),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    let page = get_page(&t, "/status/case", &jar).await;
    let note = page.text.split(r#"id="moved">"#).nth(1).expect("a note that the hearing moved").split('<').next().unwrap().to_string();
    assert!(note.contains("上午9时30分") && note.contains("下午2时30分"), "{note}");

    // The applicant sees that a defence came, and may not answer for the respondent.
    let (ajar, atoken) = page_sign_in(&t, &case, &access_code).await;
    let apage = get_page(&t, "/status/case", &ajar).await;
    assert!(apage.text.contains("被申请人已于") && !apage.text.contains("defence-form"), "{}", apage.text);
    assert!(apage.text.contains("答辩书副本"), "the copy is among the applicant's documents: {}", apage.text);
    let q = serde_urlencoded::to_string([("csrf", atoken.as_str()), ("text", "冒充答辩")]).unwrap();
    assert_eq!(t.request(crate::common::form("/status/defence", &ajar, q)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.count("defences").await, 1);

    // The clerk reviews it from the case page, within its 5 working days.
    let (cookies, ctoken) = crate::common::session_as(&t, "clerk-evidence", Role::Clerk, None).await;
    let staff_page = get_page(&t, &format!("/staff/cases/{case}"), &cookies).await;
    assert!(staff_page.text.contains("待审查 1 件") && staff_page.text.contains("应于2026年11月23日前审查"), "{}", staff_page.text);
    let id: i64 = sqlx::query_scalar("SELECT id FROM evidence").fetch_one(&t.app.db.reader).await.unwrap();
    let review = |decision: &str, reason: &str| {
        let body = serde_urlencoded::to_string([("csrf", ctoken.as_str()), ("decision", decision), ("reason", reason)]).unwrap();
        crate::common::form(&format!("/staff/evidence/{id}/review"), &cookies, body)
    };
    let bare = t.request(review("returned", "")).await;
    assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bare.text);
    assert_eq!(t.request(review("accepted", "")).await.status, StatusCode::SEE_OTHER);
    let apage = get_page(&t, "/status/case", &ajar).await;
    assert!(apage.text.contains("工资条") && apage.text.contains("已接收"), "the other side sees accepted evidence: {}", apage.text);

    // Signed out, the page sends the party to sign in again.
    let q = serde_urlencoded::to_string([("csrf", token.as_str())]).unwrap();
    let out = t.request(crate::common::form("/status/sign-out", &jar, q)).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let gone = get_page(&t, "/status/case", &crate::common::with_cookies(&jar, &out)).await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
}

on_both_backends!(the_respondent_answers_waives_and_uploads_on_its_page_and_sees_the_hearing_with_the_address);

async fn a_party_confirms_its_address_and_files_requests_that_the_clerk_decides(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let room =
        t.call("POST", "/api/v1/rooms", Some(&clerk), Some(json!({"name": "第二审理庭", "seats": 8}))).await.body["id"].as_i64().unwrap();
    let arb = t.call("POST", "/api/v1/arbitrators", Some(&clerk), Some(json!({"name": "林志远", "presides": true}))).await.body["id"]
        .as_i64()
        .unwrap();
    let filed = t.register(application()).await;
    let case = filed.body["id"].as_str().unwrap().to_string();
    let access_code = filed.body["access_code"].as_str().unwrap().to_string();
    let accepted = t.call("POST", &format!("/api/v1/cases/{case}/accept"), Some(&clerk), None).await;
    let code = accepted.body["party_codes"][0]["code"].as_str().unwrap().to_string();
    t.drain_jobs().await;
    let respondent = login(&t, &case, &code).await.body["token"].as_str().unwrap().to_string();
    let applicant = login(&t, &case, &access_code).await.body["token"].as_str().unwrap().to_string();

    // The respondent confirms its address online and consents to the platform: its notice, still
    // waiting for the post, moves there.
    let answers =
        json!({"address": "中山市火炬开发区某某路1号", "platform": true, "simplified": true, "informal_service": true, "mediation": true});
    let path = format!("/api/v1/cases/{case}/party-answers");
    assert_eq!(t.call("PUT", &path, Some(&clerk), Some(answers.clone())).await.status, StatusCode::FORBIDDEN, "a party's own answer");
    let given = t.call("PUT", &path, Some(&respondent), Some(answers)).await;
    assert_eq!(given.status, StatusCode::OK, "{}", given.text);
    assert_eq!((given.body["moved_to_platform"].as_i64(), given.body["address"]["source"].as_str()), (Some(1), Some("party")));
    let services = t.call("GET", &format!("/api/v1/cases/{case}/services"), Some(&clerk), None).await.body;
    let notice: Vec<(String, String)> = services["services"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["document_kind"] == "respondent_notice")
        .map(|s| (s["channel"].as_str().unwrap().to_string(), s["status"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(notice, [("post".to_string(), "cancelled".to_string()), ("platform".to_string(), "sent".to_string())], "{services}");
    let bad = t.call("PUT", &path, Some(&respondent), Some(json!({"address": " ", "email_service": true}))).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    let hearing = json!({"day": "2026-12-02", "start": "09:00", "room_id": room, "arbitrator_ids": [arb]});
    assert_eq!(t.call("PUT", &format!("/api/v1/cases/{case}/hearing"), Some(&clerk), Some(hearing)).await.status, StatusCode::OK);
    let requests = format!("/api/v1/cases/{case}/requests");
    let ask = |token: &str, body: Value| {
        let (t, requests, token) = (&t, requests.clone(), token.to_string());
        async move { t.call("POST", &requests, Some(&token), Some(body)).await }
    };
    // A recusal names an arbitrator of the tribunal; the same request twice is one request.
    let recusal = ask(&respondent, json!({"kind": "recusal", "reason": "仲裁员曾担任申请人的代理人", "arbitrator_id": arb})).await;
    assert_eq!(recusal.status, StatusCode::CREATED, "{}", recusal.text);
    assert_eq!(ask(&respondent, json!({"kind": "recusal", "reason": "再次申请", "arbitrator_id": arb})).await.status, StatusCode::CONFLICT);
    let stranger = ask(&respondent, json!({"kind": "recusal", "reason": "x", "arbitrator_id": arb + 100})).await;
    assert_eq!(stranger.body["error"]["fields"][0]["field"], "arbitrator_id", "{}", stranger.text);
    // Only the applicant withdraws, and only when it confirms.
    assert_eq!(ask(&respondent, json!({"kind": "withdrawal", "reason": "x", "confirm": true})).await.status, StatusCode::FORBIDDEN);
    let unconfirmed = ask(&applicant, json!({"kind": "withdrawal", "reason": "已与单位和解"})).await;
    assert_eq!(unconfirmed.body["error"]["fields"][0]["field"], "confirm", "{}", unconfirmed.text);
    let withdrawal = ask(&applicant, json!({"kind": "withdrawal", "reason": "已与单位和解", "confirm": true})).await;
    assert_eq!(withdrawal.status, StatusCode::CREATED, "{}", withdrawal.text);
    // A postponement lands among the clerk's postponement requests.
    let postponement = ask(&applicant, json!({"kind": "postponement", "reason": "开庭当日需住院治疗"})).await;
    assert_eq!(postponement.status, StatusCode::CREATED, "{}", postponement.text);
    assert_eq!(t.count("postponements").await, 1);
    // It is in the clerk's list of requests, decided there.
    let (cookies, ctoken) = crate::common::session_as(&t, "clerk-postpone", Role::Clerk, None).await;
    let list = get_page(&t, "/staff/requests", &cookies).await;
    assert!(list.text.contains("延期开庭申请") && list.text.contains("开庭当日需住院治疗"), "{}", list.text);
    let pid = postponement.body["id"].as_i64().unwrap();
    let body = serde_urlencoded::to_string([("csrf", ctoken.as_str()), ("granted", "no"), ("note", "未提交住院证明")]).unwrap();
    let decided = t.request(crate::common::form(&format!("/staff/postponements/{pid}"), &cookies, body)).await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.text);
    let status: String = sqlx::query_scalar("SELECT status FROM postponements").fetch_one(&t.app.db.reader).await.unwrap();
    assert_eq!(status, "refused");

    let pending = t.call("GET", "/api/v1/party-requests", Some(&clerk), None).await;
    let kinds: Vec<&str> = pending.body.as_array().unwrap().iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["recusal", "withdrawal"], "{}", pending.text);
    let decide = |id: &Value, body: Value| {
        let (t, clerk, path) = (&t, clerk.clone(), format!("/api/v1/party-requests/{id}/decision"));
        async move { t.call("POST", &path, Some(&clerk), Some(body)).await }
    };
    let granted = decide(&recusal.body["id"], json!({"granted": true})).await;
    assert_eq!((granted.status, granted.body["status"].as_str()), (StatusCode::OK, Some("granted")), "{}", granted.text);
    assert_eq!(t.count("recusals").await, 1);
    let no_reason = decide(&withdrawal.body["id"], json!({"granted": false})).await;
    assert_eq!(no_reason.body["error"]["fields"][0]["field"], "note", "{}", no_reason.text);
    assert_eq!(decide(&withdrawal.body["id"], json!({"granted": true})).await.status, StatusCode::OK);
    let closed = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body;
    assert_eq!((closed["status"].as_str(), closed["outcome"].as_str()), (Some("closed"), Some("withdrawn")));
    assert_eq!(closed["hearings"][0]["status"], "cancelled");
    assert_eq!(decide(&withdrawal.body["id"], json!({"granted": true})).await.status, StatusCode::CONFLICT);
}

on_both_backends!(a_party_confirms_its_address_and_files_requests_that_the_clerk_decides);

async fn the_applicant_withdraws_from_its_page_and_the_clerk_grants_it_from_the_list(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let filed = t.register(application()).await;
    let case = filed.body["id"].as_str().unwrap().to_string();
    let access_code = filed.body["access_code"].as_str().unwrap().to_string();
    assert_eq!(t.call("POST", &format!("/api/v1/cases/{case}/accept"), Some(&clerk), None).await.status, StatusCode::OK);
    let (jar, token) = page_sign_in(&t, &case, &access_code).await;
    let page = get_page(&t, "/status/case", &jar).await;
    assert!(page.text.contains(r#"value="withdrawal""#) && page.text.contains("送达地址确认书"), "{}", page.text);

    let ask = |confirm: bool| {
        let mut pairs = vec![("csrf", token.as_str()), ("kind", "withdrawal"), ("reason", "已与单位达成和解")];
        if confirm {
            pairs.push(("confirm", "on"));
        }
        crate::common::form("/status/requests", &jar, serde_urlencoded::to_string(pairs).unwrap())
    };
    let unconfirmed = t.request(ask(false)).await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unconfirmed.text.contains("须再次确认") && unconfirmed.text.contains("已与单位达成和解"), "{}", unconfirmed.text);
    assert_eq!(t.count("party_requests").await, 0);
    assert_eq!(t.request(ask(true)).await.status, StatusCode::SEE_OTHER);
    assert!(get_page(&t, "/status/case", &jar).await.text.contains("待决定"));

    let (cookies, ctoken) = crate::common::session_as(&t, "clerk-requests", Role::Clerk, None).await;
    let list = get_page(&t, "/staff/requests", &cookies).await;
    assert!(list.text.contains("撤回仲裁申请") && list.text.contains("已与单位达成和解"), "{}", list.text);
    let id: i64 = sqlx::query_scalar("SELECT id FROM party_requests").fetch_one(&t.app.db.reader).await.unwrap();
    let decide = |granted: &str| {
        let body = serde_urlencoded::to_string([("csrf", ctoken.as_str()), ("granted", granted), ("note", "")]).unwrap();
        crate::common::form(&format!("/staff/requests/{id}"), &cookies, body)
    };
    let refused = t.request(decide("no")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("不准许时请写明理由"), "{}", refused.text);
    assert_eq!(t.request(decide("yes")).await.status, StatusCode::SEE_OTHER);
    let closed = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body;
    assert_eq!(closed["outcome"], "withdrawn");
    let mine = get_page(&t, "/status/case", &jar).await;
    assert!(mine.text.contains("已准许") && mine.text.contains("撤回"), "{}", mine.text);
}

on_both_backends!(the_applicant_withdraws_from_its_page_and_the_clerk_grants_it_from_the_list);

async fn after_a_split_award_each_party_sees_the_outcome_per_claim_and_which_part_is_final(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let room =
        t.call("POST", "/api/v1/rooms", Some(&clerk), Some(json!({"name": "第一审理庭", "seats": 8}))).await.body["id"].as_i64().unwrap();
    let arb = t.call("POST", "/api/v1/arbitrators", Some(&clerk), Some(json!({"name": "王立明", "presides": true}))).await.body["id"]
        .as_i64()
        .unwrap();
    let filed = t.register(crate::documents::two_claims()).await;
    let case = filed.body["id"].as_str().unwrap().to_string();
    let access_code = filed.body["access_code"].as_str().unwrap().to_string();
    let accepted = t.call("POST", &format!("/api/v1/cases/{case}/accept"), Some(&clerk), None).await;
    let code = accepted.body["party_codes"][0]["code"].as_str().unwrap().to_string();
    let hearing = json!({"day": "2026-12-02", "start": "09:00", "room_id": room, "arbitrator_ids": [arb]});
    let hearing_id =
        t.call("PUT", &format!("/api/v1/cases/{case}/hearing"), Some(&clerk), Some(hearing)).await.body["hearing_id"].as_i64().unwrap();
    t.drain_jobs().await;
    let later = t.on_day("2026-12-03");
    let token = later.arbitrator_token(arb).await;
    let held = json!({"held_on": "2026-12-02", "record": "双方到庭。", "respondent_attended": true});
    assert_eq!(later.call("POST", &format!("/api/v1/hearings/{hearing_id}/held"), Some(&token), Some(held)).await.status, StatusCode::OK);
    let awarded = later.call("POST", &format!("/api/v1/cases/{case}/award"), Some(&token), Some(crate::documents::award_body())).await;
    assert_eq!(awarded.status, StatusCode::CREATED, "{}", awarded.text);

    for (reference, code) in [(case.clone(), access_code.clone()), (case.clone(), code.clone())] {
        let (jar, _) = page_sign_in(&later, &reference, &code).await;
        let page = get_page(&later, "/status/case", &jar).await;
        let outcome =
            page.text.split(r#"id="outcome""#).nth(1).expect("an outcome section").split("</div>\n</div>").next().unwrap().to_string();
        // Wages within the final-award limit are final; the damages above it are not (Law Art. 47; Rules Art. 50).
        let final_part = outcome.find("终局裁决：").expect("the final part");
        let nonfinal_part = outcome.find("非终局裁决：").expect("the non-final part");
        let wages = outcome.find("第1项请求（拖欠工资）").expect("the wage claim's result");
        let damages = outcome.find("第2项请求").expect("the damages claim's result");
        assert!(final_part < wages && wages < nonfinal_part && nonfinal_part < damages, "{outcome}");
        assert!(outcome.contains("8600.00元") && outcome.contains("43000.00元"), "{outcome}");
    }
}

on_both_backends!(after_a_split_award_each_party_sees_the_outcome_per_claim_and_which_part_is_final);
