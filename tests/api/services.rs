//! Service of documents: a real SMTP server (aiosmtpd) receives the e-mailed documents, a local
//! listener plays the SMS gateway, and the clock follows what the ledger records.

use axum::http::StatusCode;
use greenlane::app::accounts::Role;
use greenlane::config::RawConfig;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};

use crate::common::{TestApp, application};
use crate::documents::{body_bytes, flat, tool};

/// aiosmtpd on a free loopback port, writing what it receives to a Maildir.
pub struct SmtpServer {
    child: Option<Child>,
    pub port: u16,
    dir: tempfile::TempDir,
}

impl SmtpServer {
    pub fn start() -> SmtpServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let dir = tempfile::tempdir().unwrap();
        let mut s = SmtpServer { child: None, port, dir };
        s.restart();
        s
    }

    /// Starts (again) on the same port and Maildir; returns once it accepts connections.
    pub fn restart(&mut self) {
        let python = std::env::var("GREENLANE_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
        let child = Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{}", self.port), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(self.dir.path().join("maildir"))
            .spawn()
            .unwrap_or_else(|e| panic!("start aiosmtpd with {python} (scripts/test.sh installs it): {e}"));
        self.child = Some(child);
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("aiosmtpd exited at start ({status}): is it installed for {python}?");
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        panic!("aiosmtpd did not listen on port {}", self.port);
    }

    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// The documents served by e-mail (not the notifications), as raw text, oldest first.
    pub fn messages(&self) -> Vec<String> {
        self.all_messages().into_iter().filter(|m| header(m, "Message-ID").is_some_and(|h| h.starts_with("<service-"))).collect()
    }

    /// The notifications received (not service), as raw text, oldest first.
    pub fn notifications(&self) -> Vec<String> {
        self.all_messages().into_iter().filter(|m| header(m, "Message-ID").is_some_and(|h| h.starts_with("<message-"))).collect()
    }

    /// Every message received, as raw text, oldest first.
    pub fn all_messages(&self) -> Vec<String> {
        let new = self.dir.path().join("maildir").join("new");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&new).map(|d| d.map(|e| e.unwrap().path()).collect()).unwrap_or_default();
        files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        files.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A header's value (first occurrence, unfolded).
fn header(message: &str, name: &str) -> Option<String> {
    let head = message.split("\n\n").next().unwrap_or("").replace("\r\n", "\n").replace("\n ", " ").replace("\n\t", " ");
    head.lines().find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim().to_string()))
}

/// The text of a single-part message, its transfer encoding undone.
fn mail_text(message: &str) -> String {
    use base64::Engine;
    let m = message.replace("\r\n", "\n");
    let (_, body) = m.split_once("\n\n").unwrap_or(("", &m));
    match header(message, "Content-Transfer-Encoding").as_deref() {
        Some("base64") => {
            let raw: String = body.chars().filter(|c| !c.is_whitespace()).collect();
            String::from_utf8(base64::engine::general_purpose::STANDARD.decode(raw).expect("base64 body")).unwrap()
        }
        Some("quoted-printable") => panic!("quoted-printable body: decode it here"),
        _ => body.to_string(),
    }
}

/// The SHA-256 of the message's PDF attachment.
fn attachment_sha256(message: &str) -> String {
    use base64::Engine;
    let m = message.replace("\r\n", "\n");
    let part = m.split("\n--").find(|p| p.contains("Content-Type: application/pdf")).expect("a PDF part");
    let body: String = part.split("\n\n").skip(1).collect::<Vec<_>>().join("\n").chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD.decode(body.trim_end_matches('-')).expect("base64 attachment");
    hex(&Sha256::digest(&bytes))
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn with_smtp(port: u16) -> impl FnOnce(&mut RawConfig) {
    move |raw| {
        raw.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        raw.mail_from = "中山市劳动人事争议仲裁委员会 <arb@zs.example.cn>".into();
    }
}

fn consenting_application() -> Value {
    let mut a = application();
    a["applicants"][0]["email"] = json!("zhangsan@worker.example.cn");
    a["respondents"][0]["email"] = json!("hr@employer.example.cn");
    a["consents"]["electronic_service"] = json!(true);
    a
}

async fn services(t: &TestApp, clerk: &str, case: &str) -> Vec<Value> {
    let a = t.call("GET", &format!("/api/v1/cases/{case}/services"), Some(clerk), None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    a.body["services"].as_array().unwrap().clone()
}

fn find<'a>(list: &'a [Value], kind: &str, role: &str) -> Vec<&'a Value> {
    list.iter().filter(|s| s["document_kind"] == kind && s["party"]["role"] == role).collect()
}

async fn a_case_is_served_from_acceptance_to_award_and_the_clock_follows(postgres: bool) {
    let mut smtp = SmtpServer::start();
    let t = if postgres { TestApp::postgres_with(with_smtp(smtp.port)).await } else { TestApp::sqlite_with(with_smtp(smtp.port)).await };
    let clerk = t.token(Role::Clerk).await;
    let filed = t.register(consenting_application()).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text);
    let case = filed.body["id"].as_str().unwrap().to_string();
    let code = filed.body["access_code"].as_str().unwrap().to_string();

    // The respondent's signed confirmation: e-mail and the platform, not awards.
    let confirm = json!({"address": "中山市火炬开发区某某路1号", "email": "hr@employer.example.cn", "phone": "13900139000",
        "platform": true, "email_service": true, "electronic_awards": false});
    let path = format!("/api/v1/cases/{case}/parties/respondent/0/service-address");
    let bad = t.call("PUT", &path, Some(&clerk), Some(json!({"address": "x", "email": "hr@", "email_service": true}))).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert_eq!(bad.body["error"]["fields"][0]["field"], "email");
    let ok = t.call("PUT", &path, Some(&clerk), Some(confirm)).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    assert_eq!(ok.body["consent"]["email"], true);

    assert_eq!(t.call("POST", &format!("/api/v1/cases/{case}/accept"), Some(&clerk), None).await.status, StatusCode::OK);
    t.drain_jobs().await;
    let list = services(&t, &clerk, &case).await;
    let respondent = find(&list, "respondent_notice", "respondent");
    assert_eq!(respondent.len(), 1, "{list:?}");
    assert_eq!((respondent[0]["channel"].as_str(), respondent[0]["status"].as_str()), (Some("email"), Some("delivered")));
    assert_eq!(respondent[0]["delivered_on"], "2026-11-16");
    assert!(respondent[0]["evidence"].as_str().unwrap().starts_with("SMTP 250"), "{}", respondent[0]["evidence"]);
    let applicant = find(&list, "acceptance_notice", "applicant");
    assert_eq!(applicant[0]["channel"], "email");

    // What the relay received: the recipient, and the very PDF that was issued.
    let mail = smtp.messages();
    assert_eq!(mail.len(), 2, "two notices e-mailed");
    let docs = t.call("GET", &format!("/api/v1/cases/{case}/documents"), Some(&clerk), None).await.body;
    let notice = docs.as_array().unwrap().iter().find(|d| d["kind"] == "respondent_notice").unwrap();
    let to_employer =
        mail.iter().find(|m| header(m, "To").is_some_and(|to| to.contains("hr@employer.example.cn"))).expect("mail to the employer");
    assert_eq!(attachment_sha256(to_employer), notice["sha256"].as_str().unwrap());
    assert!(header(to_employer, "Message-ID").unwrap().contains(&format!("service-{}", respondent[0]["id"])));

    // Law Art. 30: the defence period runs from the day the e-mail reached the employer.
    let view = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body;
    assert_eq!(view["deadlines"]["copy_served_on"], "2026-11-16");
    assert!(view["deadlines"]["defence_by"].is_string());

    // The applicant sees the notice on the platform with the access code.
    let mine = t
        .request(
            axum::http::Request::get(format!("/api/v1/cases/{case}/documents"))
                .header("x-access-code", &code)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.text);
    assert_eq!(mine.body.as_array().unwrap().len(), 1, "only the document served on the applicant: {}", mine.text);

    // The relay goes down: the hearing notices stay pending and are retried, never lost.
    smtp.stop();
    let room =
        t.call("POST", "/api/v1/rooms", Some(&clerk), Some(json!({"name": "第一审理庭", "seats": 8}))).await.body["id"].as_i64().unwrap();
    let arb = t.call("POST", "/api/v1/arbitrators", Some(&clerk), Some(json!({"name": "王立明", "presides": true}))).await.body["id"]
        .as_i64()
        .unwrap();
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
    t.drain_jobs().await;
    let list = services(&t, &clerk, &case).await;
    let notice_to_worker = find(&list, "hearing_notice", "applicant")[0].clone();
    assert_eq!(notice_to_worker["status"], "pending", "{notice_to_worker}");
    assert_eq!(notice_to_worker["attempts"], 1);
    assert!(notice_to_worker["last_error"].as_str().unwrap().contains("邮件服务器"), "{notice_to_worker}");

    // The deadline board says what the case waits on service for.
    let board = t.call("GET", "/api/v1/deadlines?within=60", Some(&clerk), None).await;
    let item =
        board.body["items"].as_array().unwrap().iter().find(|i| i["case_id"] == case.as_str()).expect("the case on the board").clone();
    let waiting: Vec<&str> = item["waiting_on_service"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    assert!(waiting.iter().any(|w| w.starts_with("开庭通知书 → 张三（电子邮件送达，待发送）")), "{waiting:?}");

    // The clerk gives up on e-mail for the worker and posts it; the history keeps both.
    let id = notice_to_worker["id"].as_i64().unwrap();
    let failed = t.call("POST", &format!("/api/v1/services/{id}/failed"), Some(&clerk), Some(json!({"reason": "邮件服务器不可达"}))).await;
    assert_eq!(failed.body["status"], "failed", "{}", failed.text);
    let posted = t.call("POST", &format!("/api/v1/services/{id}/reserve"), Some(&clerk), Some(json!({"channel": "post"}))).await;
    assert_eq!(posted.status, StatusCode::OK, "{}", posted.text);
    assert_eq!((posted.body["channel"].as_str(), posted.body["replaces"].as_i64()), (Some("post"), Some(id)));
    let by_post = posted.body["id"].as_i64().unwrap();
    let no_ems = t.call("POST", &format!("/api/v1/services/{by_post}/sent"), Some(&clerk), Some(json!({}))).await;
    assert_eq!(no_ems.body["error"]["fields"][0]["field"], "ems_number", "{}", no_ems.text);
    let sent =
        t.call("POST", &format!("/api/v1/services/{by_post}/sent"), Some(&clerk), Some(json!({"ems_number": "EA123456789CN"}))).await;
    assert_eq!(sent.body["status"], "sent", "{}", sent.text);

    // The relay is back: the employer's notice goes out on the retry; the worker's is not sent twice.
    smtp.restart();
    let before = smtp.messages().len();
    make_jobs_due(&t).await;
    t.drain_jobs().await;
    // The employer's hearing notice and both tribunal-composition notices; never the worker's failed one.
    let mail = smtp.messages();
    assert_eq!(mail.len(), before + 3);
    assert!(!mail.iter().any(|m| header(m, "Message-ID").is_some_and(|h| h.contains(&format!("<service-{id}.")))));

    // CPL Art. 91: the return receipt's date; not before posting, not in the future.
    let later = t.on_day("2026-11-19");
    let early = later
        .call("POST", &format!("/api/v1/services/{by_post}/delivered"), Some(&clerk), Some(json!({"on": "2026-11-15", "evidence": "回执"})))
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", early.text);
    let future = later
        .call("POST", &format!("/api/v1/services/{by_post}/delivered"), Some(&clerk), Some(json!({"on": "2026-11-20", "evidence": "回执"})))
        .await;
    assert_eq!(future.body["error"]["fields"][0]["code"], "in_future", "{}", future.text);
    let signed = later
        .call(
            "POST",
            &format!("/api/v1/services/{by_post}/delivered"),
            Some(&clerk),
            Some(json!({"on": "2026-11-18", "evidence": "EMS 回执，张三本人签收"})),
        )
        .await;
    assert_eq!(signed.body["status"], "delivered", "{}", signed.text);
    let twice = later
        .call("POST", &format!("/api/v1/services/{by_post}/delivered"), Some(&clerk), Some(json!({"on": "2026-11-18", "evidence": "x"})))
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);

    // Law Art. 35: the notice is served once both parties have it, on the later day.
    let view = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body;
    let notices = view["hearings"][0]["notices"].as_array().unwrap();
    assert_eq!(notices.last().unwrap()["served_on"], "2026-11-18", "{view}");

    // The award goes by post to both (no consent to electronic awards); the appeal windows follow.
    let held_day = t.on_day("2026-12-02");
    let token = held_day.arbitrator_token(arb).await;
    let held = held_day
        .call(
            "POST",
            &format!("/api/v1/hearings/{hearing}/held"),
            Some(&token),
            Some(json!({"held_on": "2026-12-02", "record": "双方到庭。"})),
        )
        .await;
    assert_eq!(held.status, StatusCode::OK, "{}", held.text);
    let award = held_day
        .call(
            "POST",
            &format!("/api/v1/cases/{case}/award"),
            Some(&token),
            Some(json!({
        "findings": "经审理查明：被申请人未支付工资。", "reasoning": "本委认为：应予支付。",
        "items": [{"claim": 0, "awarded": "8600.00", "text": "被申请人于本裁决生效之日起五日内支付申请人工资8600元"}],
        "dismiss_other_claims": true})),
        )
        .await;
    assert_eq!(award.status, StatusCode::CREATED, "{}", award.text);
    let list = services(&held_day, &clerk, &case).await;
    let awards: Vec<&Value> = list.iter().filter(|s| s["document_kind"].as_str().unwrap().starts_with("award")).collect();
    assert_eq!(awards.len(), 2);
    assert!(awards.iter().all(|s| s["channel"] == "post" && s["status"] == "pending"), "{awards:?}");
    // Electronic service of an award needs its own consent (CPL Art. 90).
    let no_consent = held_day
        .call("POST", &format!("/api/v1/services/{}/reserve", awards[1]["id"]), Some(&clerk), Some(json!({"channel": "email"})))
        .await;
    assert_eq!(no_consent.body["error"]["fields"][0]["code"], "informal_decision", "{}", no_consent.text);
    let after = t.on_day("2026-12-08");
    for (s, day) in awards.iter().zip(["2026-12-05", "2026-12-07"]) {
        let id = s["id"].as_i64().unwrap();
        let sent = after
            .call(
                "POST",
                &format!("/api/v1/services/{id}/sent"),
                Some(&clerk),
                Some(json!({"on": "2026-12-03", "ems_number": format!("EA10000{id}CN")})),
            )
            .await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.text);
        let done = after
            .call("POST", &format!("/api/v1/services/{id}/delivered"), Some(&clerk), Some(json!({"on": day, "evidence": "EMS 回执"})))
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    }
    let view = after.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body;
    let appeal = &view["deadlines"]["appeal"];
    // 15 days from the worker's receipt on 12-05 end on Sunday 12-20, so Monday (CPL Art. 85).
    assert_eq!(appeal["worker_may_sue_by"], "2026-12-21", "{appeal}");
    assert_eq!(appeal["employer_may_petition_by"], "2027-01-06", "30 days from the employer's on 12-07: {appeal}");

    // A 送达回证 for each delivered service; none for one that failed.
    let list = services(&after, &clerk, &case).await;
    let delivered: Vec<&Value> = list.iter().filter(|s| s["status"] == "delivered").collect();
    assert!(delivered.len() >= 5, "{list:?}");
    let award_to_worker = awards.iter().find(|s| s["party"]["role"] == "applicant").unwrap()["id"].as_i64().unwrap();
    let pdf = body_bytes(&after, &clerk, &format!("/api/v1/services/{award_to_worker}/receipt.pdf")).await;
    let text = flat(&tool("pdftotext", &["-enc", "UTF-8"], &pdf));
    for part in ["送达回证", "仲裁裁决书", "邮寄送达", "2026年12月5日", "EA10000"] {
        assert!(text.contains(part), "{part} in {text}");
    }
    let none = after.call("GET", &format!("/api/v1/services/{id}/receipt.pdf"), Some(&clerk), None).await;
    assert_eq!(none.status, StatusCode::CONFLICT, "the failed e-mail has no receipt: {}", none.text);
    // The signed EMS return receipt, scanned: kept with its digest, refused when it is not a scan.
    let png: Vec<u8> = [&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A][..], b"signed return receipt"].concat();
    let upload = |body: Vec<u8>| {
        axum::http::Request::put(format!("/api/v1/services/{award_to_worker}/scan"))
            .header("authorization", format!("Bearer {clerk}"))
            .header("content-type", "image/png")
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let stored = after.request(upload(png.clone())).await;
    assert_eq!(stored.status, StatusCode::OK, "{}", stored.text);
    assert_eq!(stored.body["sha256"], hex(&Sha256::digest(&png)));
    let text_file = after.request(upload(b"just text".to_vec())).await;
    assert_eq!(text_file.body["error"]["fields"][0]["code"], "unsupported_type", "{}", text_file.text);
    let huge = after.request(upload(vec![0xFF; 11 * 1024 * 1024])).await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", huge.text);
    let emailed = list.iter().find(|s| s["channel"] == "email").unwrap()["id"].as_i64().unwrap();
    let not_paper = after
        .request(
            axum::http::Request::put(format!("/api/v1/services/{emailed}/scan"))
                .header("authorization", format!("Bearer {clerk}"))
                .body(axum::body::Body::from(png.clone()))
                .unwrap(),
        )
        .await;
    assert_eq!(not_paper.status, StatusCode::CONFLICT, "{}", not_paper.text);
    assert_eq!(body_bytes(&after, &clerk, &format!("/api/v1/services/{award_to_worker}/scan")).await, png);

    // The bundle holds every receipt and scan, listed with its digest.
    let liaison = after.token(Role::Liaison).await;
    let zip_bytes = body_bytes(&after, &liaison, &format!("/api/v1/cases/{case}/bundle")).await;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    let manifest: Value = serde_json::from_reader(zip.by_name("manifest.json").unwrap()).unwrap();
    let receipts = manifest["service_receipts"].as_array().unwrap();
    assert_eq!(receipts.len(), delivered.len(), "{manifest}");
    let scans = manifest["service_scans"].as_array().unwrap();
    assert_eq!(scans.len(), 1, "{manifest}");
    for r in receipts.iter().chain(scans) {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut zip.by_name(r["name"].as_str().unwrap()).unwrap(), &mut bytes).unwrap();
        assert_eq!(hex(&Sha256::digest(&bytes)), r["sha256"].as_str().unwrap());
    }
    // The respondent's 送达地址确认书 prints what the clerk recorded.
    let form = body_bytes(&after, &clerk, &format!("/api/v1/cases/{case}/parties/respondent/0/service-address.pdf")).await;
    let text = flat(&tool("pdftotext", &["-enc", "UTF-8"], &form));
    for part in ["送达地址确认书", "hr@employer.example.cn", "中山市火炬开发区某某路1号"] {
        assert!(text.contains(part), "{part} in {text}");
    }
    let nobody = after.call("GET", &format!("/api/v1/cases/{case}/parties/respondent/7/service-address.pdf"), Some(&clerk), None).await;
    assert_eq!(nobody.status, StatusCode::NOT_FOUND);

    // The figures: by post the hearing notice took 2 days and the awards 3 and 5 (median 3).
    let stats = after.call("GET", "/api/v1/stats?from=2026-11-01&to=2026-12-31", Some(&clerk), None).await;
    assert_eq!(stats.status, StatusCode::OK, "{}", stats.text);
    let service = &stats.body["service"];
    assert_eq!(service["by_channel"]["post"], json!({"served": 3, "median_days": 3.0}), "{service}");
    let emailed = delivered.iter().filter(|s| s["channel"] == "email").count() as f64;
    assert_eq!(service["served"], json!(delivered.len()));
    assert_eq!(service["by_channel"]["email"]["median_days"], 0.0, "e-mail reaches the relay the day of issue: {service}");
    assert!((service["electronic_share"].as_f64().unwrap() - emailed / delivered.len() as f64).abs() < 1e-9, "{service}");
    let (cookies, _) = crate::common::session_as(&after, "figures1", Role::Clerk, None).await;
    let page = after
        .request(
            axum::http::Request::get("/staff/stats?from=2026-11-01&to=2026-12-31")
                .header("cookie", cookies)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert!(page.text.contains("电子送达占比") && page.text.contains("邮寄送达"), "{}", page.text);
}

/// Brings every pending job's due time to now (the back-off would otherwise make the test wait).
async fn make_jobs_due(t: &TestApp) {
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let mut conn = t.app.db.writer.acquire().await.unwrap();
    sqlx::query("UPDATE jobs SET due_at = $1 WHERE state = 'pending'").bind(now).execute(&mut *conn).await.unwrap();
}

async fn an_email_that_keeps_failing_ends_failed_with_its_error(postgres: bool) {
    let mut smtp = SmtpServer::start();
    smtp.stop();
    let t = if postgres { TestApp::postgres_with(with_smtp(smtp.port)).await } else { TestApp::sqlite_with(with_smtp(smtp.port)).await };
    let clerk = t.token(Role::Clerk).await;
    let case = t.register(consenting_application()).await.body["id"].as_str().unwrap().to_string();
    assert_eq!(t.call("POST", &format!("/api/v1/cases/{case}/accept"), Some(&clerk), None).await.status, StatusCode::OK);
    t.drain_jobs().await;
    for _ in 0..6 {
        make_jobs_due(&t).await;
        t.drain_jobs().await;
    }
    let list = services(&t, &clerk, &case).await;
    let s = find(&list, "acceptance_notice", "applicant")[0];
    assert_eq!(s["status"], "failed", "{s}");
    assert_eq!(s["attempts"], 5);
    assert!(s["failure"].as_str().unwrap().contains("邮件服务器"), "{s}");
    let queue = t.call("GET", "/api/v1/services/unserved", Some(&clerk), None).await;
    assert!(queue.body.as_array().unwrap().iter().any(|q| q["id"] == s["id"]), "{}", queue.text);
    // The relay recovers: a failed service is not sent again by itself.
    smtp.restart();
    make_jobs_due(&t).await;
    t.drain_jobs().await;
    assert!(smtp.messages().is_empty());
}

/// A local listener that plays the SMS gateway's webhook: records each request and answers an id.
async fn gateway() -> (String, Arc<Mutex<Vec<Value>>>) {
    let seen: Arc<Mutex<Vec<Value>>> = Arc::default();
    let log = seen.clone();
    let app = axum::Router::new().route(
        "/send",
        axum::routing::post(move |axum::Json(body): axum::Json<Value>| {
            let log = log.clone();
            async move {
                let mut l = log.lock().unwrap();
                l.push(body);
                axum::Json(json!({"id": format!("gw-{}", l.len())}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/send", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

const SECRET: &str = "receipt-secret-0123456789";

async fn sms_receipts_are_signed_and_a_forged_one_is_refused(postgres: bool) {
    let (url, seen) = gateway().await;
    let tweak = |raw: &mut RawConfig| {
        raw.sms_gateway = "webhook".into();
        raw.sms_url = Some(url);
        raw.sms_callback_secret = Some(SECRET.into());
    };
    let t = if postgres { TestApp::postgres_with(tweak).await } else { TestApp::sqlite_with(tweak).await };
    let clerk = t.token(Role::Clerk).await;
    let mut a = application();
    a["consents"]["electronic_service"] = json!(true);
    let filed = t.register(a).await;
    let case = filed.body["id"].as_str().unwrap().to_string();
    assert_eq!(t.call("POST", &format!("/api/v1/cases/{case}/accept"), Some(&clerk), None).await.status, StatusCode::OK);
    t.drain_jobs().await;
    // The platform service of the acceptance notice, and an SMS prompt that names no case and no code.
    let list = services(&t, &clerk, &case).await;
    let platform = find(&list, "acceptance_notice", "applicant")[0].clone();
    assert_eq!((platform["channel"].as_str(), platform["status"].as_str()), (Some("platform"), Some("sent")));
    let sent: Vec<Value> = seen.lock().unwrap().iter().filter(|m| m["text"].as_str().unwrap().contains("待查收")).cloned().collect();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["to"], "13800138000");
    let text = sent[0]["text"].as_str().unwrap();
    assert!(text.contains("待查收") && !text.contains(&case) && !text.contains(filed.body["access_code"].as_str().unwrap()), "{text}");

    let receipt = json!([{"biz_id": "gw-1", "success": true, "err_code": "DELIVERED", "report_time": "2026-11-16 10:00:00"}]).to_string();
    let post = |body: String, sig: String| {
        axum::http::Request::post("/api/v1/sms/receipts")
            .header("content-type", "application/json")
            .header("x-greenlane-signature", sig)
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let forged =
        t.request(post(receipt.clone(), greenlane::outbound::sms::sign_receipt("not-the-secret-at-all", receipt.as_bytes()))).await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED, "{}", forged.text);
    let good = t.request(post(receipt.clone(), greenlane::outbound::sms::sign_receipt(SECRET, receipt.as_bytes()))).await;
    assert_eq!(good.status, StatusCode::OK, "{}", good.text);
    assert_eq!(good.body["accepted"], 1);
    // The same receipt again, and one for an id nobody sent: refused.
    let again = t.request(post(receipt.clone(), greenlane::outbound::sms::sign_receipt(SECRET, receipt.as_bytes()))).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
    let unknown = json!({"biz_id": "gw-999", "success": true}).to_string();
    let refused = t.request(post(unknown.clone(), greenlane::outbound::sms::sign_receipt(SECRET, unknown.as_bytes()))).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text);

    // Opening the notice on the platform delivers it (CPL Art. 90: it reached the party's system).
    let doc = platform["document_id"].as_i64().unwrap();
    let code = filed.body["access_code"].as_str().unwrap();
    let pdf = t
        .request(
            axum::http::Request::get(format!("/api/v1/documents/{doc}"))
                .header("x-access-code", code)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    let list = services(&t, &clerk, &case).await;
    let platform = find(&list, "acceptance_notice", "applicant")[0].clone();
    assert_eq!((platform["status"].as_str(), platform["delivered_on"].as_str()), (Some("delivered"), Some("2026-11-16")));
    // A document not served on the applicant stays out of reach of the code.
    let other = find(&list, "respondent_notice", "respondent")[0]["document_id"].as_i64().unwrap();
    let hidden = t
        .request(
            axum::http::Request::get(format!("/api/v1/documents/{other}"))
                .header("x-access-code", code)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
}

async fn public_notice_only_after_a_failure_and_it_feeds_the_clock(postgres: bool) {
    let t = if postgres { TestApp::postgres().await } else { TestApp::sqlite().await };
    let clerk = t.token(Role::Clerk).await;
    let case = t.accepted_case(&clerk).await;
    t.drain_jobs().await;
    let list = services(&t, &clerk, &case).await;
    let s = find(&list, "respondent_notice", "respondent")[0].clone();
    assert_eq!(s["channel"], "post");
    let id = s["id"].as_i64().unwrap();
    let early = t.call("POST", &format!("/api/v1/services/{id}/reserve"), Some(&clerk), Some(json!({"channel": "public_notice"}))).await;
    assert_eq!(early.body["error"]["fields"][0]["code"], "public_notice_first", "{}", early.text);
    let bad = t.call("POST", &format!("/api/v1/services/{id}/reserve"), Some(&clerk), Some(json!({"channel": "pigeon"}))).await;
    assert_eq!(bad.body["error"]["fields"][0]["code"], "unknown_channel");
    t.call("POST", &format!("/api/v1/services/{id}/failed"), Some(&clerk), Some(json!({"reason": "查无此单位，邮件退回"}))).await;
    let notice = t
        .call(
            "POST",
            &format!("/api/v1/services/{id}/reserve"),
            Some(&clerk),
            Some(json!({"channel": "public_notice", "on": "2026-11-16"})),
        )
        .await;
    assert_eq!(notice.status, StatusCode::OK, "{}", notice.text);
    // CPL Art. 95: deemed served 30 days after publication (2026-12-16, a Wednesday).
    assert_eq!((notice.body["status"].as_str(), notice.body["delivered_on"].as_str()), (Some("delivered"), Some("2026-12-16")));
    let view = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body;
    assert_eq!(view["deadlines"]["copy_served_on"], "2026-12-16", "{}", view["deadlines"]);
}

async fn the_clerk_posts_the_day_s_letters_from_the_unserved_desk(postgres: bool) {
    let t = if postgres { TestApp::postgres().await } else { TestApp::sqlite().await };
    let clerk = t.token(Role::Clerk).await;
    let case = t.accepted_case(&clerk).await;
    t.drain_jobs().await;
    let (cookies, token) = crate::common::session_as(&t, "desk1", Role::Clerk, None).await;
    let get = |path: &str| axum::http::Request::get(path).header("cookie", cookies.clone()).body(axum::body::Body::empty()).unwrap();
    let desk = t.request(get("/staff/services")).await;
    assert_eq!(desk.status, StatusCode::OK);
    assert!(desk.text.contains("应诉通知书") && desk.text.contains("打印今日邮寄标签（2件）"), "{}", desk.text);
    assert!(desk.text.contains("打印邮寄标签寄出，登记邮件号"));
    let labels = t.request(get("/staff/services/labels")).await;
    assert!(labels.text.contains("中山市火炬开发区"), "the employer's address is on its label");
    let ids: Vec<i64> = services(&t, &clerk, &case).await.iter().map(|s| s["id"].as_i64().unwrap()).collect();
    let mut pairs = vec![("csrf".to_string(), token.clone())];
    pairs.extend(ids.iter().map(|id| (format!("ems_{id}"), format!("EA{id:09}CN"))));
    let posted = t.request(crate::common::form("/staff/services/batch", &cookies, serde_urlencoded::to_string(&pairs).unwrap())).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.text);
    let list = services(&t, &clerk, &case).await;
    assert!(list.iter().all(|s| s["status"] == "sent" && s["ems_number"].is_string()), "{list:?}");
    // A receipt dated before the posting is refused on the page too, with the rule in Chinese.
    let body = serde_urlencoded::to_string([("csrf", token.as_str()), ("on", "2026-11-01"), ("evidence", "回执")]).unwrap();
    let early = t.request(crate::common::form(&format!("/staff/services/{}/delivered", ids[0]), &cookies, body)).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.text.contains("不能早于"), "{}", early.text);

    // The case page shows each service and its steps in Beijing time; a delivered one links its receipt.
    let body = serde_urlencoded::to_string([("csrf", token.as_str()), ("on", "2026-11-16"), ("evidence", "EMS 回执，本人签收")]).unwrap();
    let signed = t.request(crate::common::form(&format!("/staff/services/{}/delivered", ids[0]), &cookies, body)).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.text);
    let page = t.request(get(&format!("/staff/cases/{case}"))).await;
    assert_eq!(page.status, StatusCode::OK);
    let timeline = page.text.split("id=\"services\"").nth(1).expect("a 送达 section").split("<h2").next().unwrap();
    for part in
        ["送达经过", "邮寄送达", "已发出", "2026年11月16日", "EMS 回执，本人签收", &format!("/staff/services/{}/receipt.pdf", ids[0])]
    {
        assert!(timeline.contains(part), "{part} in {timeline}");
    }
    assert!(!page.text.contains("UTC") && !page.text.contains("T00:") && !timeline.contains("2026-11"), "no raw timestamps: {timeline}");
    let record = page.text.split("<h2>办理记录</h2>").nth(1).expect("the case's record");
    assert!(record.contains("制作文书") && record.contains("受理：待受理 → 已受理"), "{record}");
    assert!(!record.contains("document_issued") && !record.contains(">accepted"), "no internal codes: {record}");
    let receipt = t.request(get(&format!("/staff/services/{}/receipt.pdf", ids[0]))).await;
    assert_eq!((receipt.status, receipt.text.starts_with("%PDF")), (StatusCode::OK, true));
    let form = t.request(get(&format!("/staff/cases/{case}/parties/applicant/0/service-address.pdf"))).await;
    assert_eq!((form.status, form.text.starts_with("%PDF")), (StatusCode::OK, true));

    // The clerk uploads the scanned return receipt from the case page (a browser's multipart form).
    assert!(timeline.contains(&format!("action=\"/staff/services/{}/scan\"", ids[0])), "an upload form for a paper service");
    let pdf = b"%PDF-1.4 scanned receipt".to_vec();
    let boundary = "greenlane-boundary";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n").into_bytes();
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"回执.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend(&pdf);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    let sent = t
        .request(
            axum::http::Request::post(format!("/staff/services/{}/scan", ids[0]))
                .header("cookie", cookies.clone())
                .header("content-type", format!("multipart/form-data; boundary={boundary}"))
                .body(axum::body::Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text);
    let page = t.request(get(&format!("/staff/cases/{case}?done=scan"))).await;
    assert!(
        page.text.contains("回证扫描件已上传") && page.text.contains(&format!("/staff/services/{}/scan\">回证扫描件", ids[0])),
        "{}",
        page.text
    );
    let scan = t.request(get(&format!("/staff/services/{}/scan", ids[0]))).await;
    assert_eq!(scan.text.as_bytes(), &pdf[..]);
}

async fn notifications_follow_the_case_once_each_and_stop_when_the_party_opts_out(postgres: bool) {
    let smtp = SmtpServer::start();
    let (url, seen) = gateway().await;
    let port = smtp.port;
    let tweak = move |raw: &mut RawConfig| {
        with_smtp(port)(raw);
        raw.sms_gateway = "webhook".into();
        raw.sms_url = Some(url);
        raw.sms_callback_secret = Some(SECRET.into());
        raw.public_url = Some("https://arb.example.cn".into());
    };
    let t = if postgres { TestApp::postgres_with(tweak).await } else { TestApp::sqlite_with(tweak).await };
    let clerk = t.token(Role::Clerk).await;
    let filed = t.register(consenting_application()).await;
    let case = filed.body["id"].as_str().unwrap().to_string();
    let code = filed.body["access_code"].as_str().unwrap().to_string();
    let confirm =
        json!({"address": "中山市火炬开发区某某路1号", "email": "hr@employer.example.cn", "platform": true, "email_service": true});
    let path = format!("/api/v1/cases/{case}/parties/respondent/0/service-address");
    assert_eq!(t.call("PUT", &path, Some(&clerk), Some(confirm)).await.status, StatusCode::OK);
    assert_eq!(t.call("POST", &format!("/api/v1/cases/{case}/accept"), Some(&clerk), None).await.status, StatusCode::OK);
    t.drain_jobs().await;
    let texts = |seen: &Arc<Mutex<Vec<Value>>>| -> Vec<String> {
        seen.lock().unwrap().iter().map(|m| m["text"].as_str().unwrap().to_string()).collect()
    };

    // Accepted: the worker gets an SMS and an e-mail naming the case, never the access code.
    let sms = texts(&seen);
    let accepted: Vec<&String> = sms.iter().filter(|t| t.contains("已于2026年11月16日受理")).collect();
    assert_eq!(accepted.len(), 1, "{sms:?}");
    assert!(accepted[0].contains("中劳人仲案字") && !accepted[0].contains(&code), "{}", accepted[0]);
    let mail = smtp.notifications();
    assert_eq!(mail.len(), 1, "the worker's acceptance e-mail");
    assert!(header(&mail[0], "To").unwrap().contains("zhangsan@worker.example.cn"));
    assert!(!mail[0].contains(&code));

    // A hearing set, then moved: each party is told, the move with the old time.
    let room =
        t.call("POST", "/api/v1/rooms", Some(&clerk), Some(json!({"name": "第一审理庭", "seats": 8}))).await.body["id"].as_i64().unwrap();
    let arb = t.call("POST", "/api/v1/arbitrators", Some(&clerk), Some(json!({"name": "王立明", "presides": true}))).await.body["id"]
        .as_i64()
        .unwrap();
    let place = |day: &str, start: &str| json!({"day": day, "start": start, "room_id": room, "arbitrator_ids": [arb]});
    let set = t.call("PUT", &format!("/api/v1/cases/{case}/hearing"), Some(&clerk), Some(place("2026-12-02", "09:30"))).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text);
    t.drain_jobs().await;
    let sms = texts(&seen);
    assert!(sms.iter().any(|t| t.contains("定于2026年12月2日上午9时30分在第一审理庭开庭")), "{sms:?}");
    // A move without its reason is refused; with one it goes through.
    let unexplained = t.call("PUT", &format!("/api/v1/cases/{case}/hearing"), Some(&clerk), Some(place("2026-12-03", "14:00"))).await;
    assert_eq!(unexplained.body["error"]["fields"][0]["field"], "reason", "{}", unexplained.text);
    let mut with_reason = place("2026-12-03", "14:00");
    with_reason["reason"] = json!("申请人申请调整");
    let moved = t.call("PUT", &format!("/api/v1/cases/{case}/hearing"), Some(&clerk), Some(with_reason)).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    t.drain_jobs().await;
    let sms = texts(&seen);
    let change = sms.iter().find(|t| t.contains("开庭改为")).expect("a change notice");
    assert!(change.contains("2026年12月3日下午2时") && change.contains("原定2026年12月2日上午9时30分"), "{change}");
    let messages = t.call("GET", &format!("/api/v1/cases/{case}/messages"), Some(&clerk), None).await;
    assert_eq!(messages.status, StatusCode::OK, "{}", messages.text);
    let kinds: Vec<&str> = messages.body.as_array().unwrap().iter().map(|m| m["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"hearing_set") && kinds.contains(&"hearing_changed"), "{kinds:?}");
    assert!(
        messages.body.as_array().unwrap().iter().all(|m| !m["body"].as_str().unwrap().contains("opt-out")),
        "staff do not see the party's link"
    );

    // Two working days before the defence period ends (Law Art. 30), the employer is reminded.
    let view = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body;
    assert_eq!(view["deadlines"]["defence_by"], "2026-11-30", "ten working days: {}", view["deadlines"]);
    let early = t.on_day("2026-11-25");
    greenlane::app::reminders::sweep(&early.app).await.unwrap();
    let in_time = t.on_day("2026-11-26");
    greenlane::app::reminders::sweep(&in_time.app).await.unwrap();
    let messages = t.call("GET", &format!("/api/v1/cases/{case}/messages"), Some(&clerk), None).await.body;
    let defence: Vec<&Value> = messages.as_array().unwrap().iter().filter(|m| m["kind"] == "deadline").collect();
    assert_eq!(defence.len(), 1, "not three working days ahead, once two ahead: {defence:?}");
    assert_eq!(defence[0]["recipient"], "hr@employer.example.cn");
    assert!(defence[0]["body"].as_str().unwrap().contains("答辩期限：2026年11月30日届满"), "{}", defence[0]);

    // The day before the hearing: one reminder each, however often the sweep runs.
    let eve = t.on_day("2026-12-02");
    let first = greenlane::app::reminders::sweep(&eve.app).await.unwrap();
    assert!(first >= 2, "SMS and e-mail to the worker, e-mail to the employer: {first}");
    assert_eq!(greenlane::app::reminders::sweep(&eve.app).await.unwrap(), 0, "each reminder goes once");
    eve.drain_jobs().await;
    assert!(texts(&seen).iter().any(|t| t.contains("开庭时间：2026年12月3日下午2时，第一审理庭")), "{:?}", texts(&seen));

    // The employer follows its e-mail's opt-out link; nothing more goes to it, service goes on.
    let to_employer = smtp
        .notifications()
        .into_iter()
        .find(|m| header(m, "To").is_some_and(|h| h.contains("hr@employer.example.cn")))
        .expect("the employer's notification");
    let text = mail_text(&to_employer);
    assert!(text.contains("不是法律文书的送达"), "{text}");
    let token = text
        .split("/notifications/opt-out/")
        .nth(1)
        .expect("an opt-out link")
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect::<String>();
    let page =
        t.request(axum::http::Request::get(format!("/notifications/opt-out/{token}")).body(axum::body::Body::empty()).unwrap()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("确认不再接收提醒"), "{}", page.text);
    let done =
        t.request(axum::http::Request::post(format!("/notifications/opt-out/{token}")).body(axum::body::Body::empty()).unwrap()).await;
    assert!(done.text.contains("已为") && done.text.contains("仍会依法送达"), "{}", done.text);
    let bad = t.request(axum::http::Request::get("/notifications/opt-out/0000").body(axum::body::Body::empty()).unwrap()).await;
    assert_eq!(bad.status, StatusCode::NOT_FOUND);
    let before = smtp.notifications().len();
    let mut again = place("2026-12-04", "09:00");
    again["reason"] = json!("被申请人申请调整");
    let again = t.call("PUT", &format!("/api/v1/cases/{case}/hearing"), Some(&clerk), Some(again)).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    t.drain_jobs().await;
    let after: Vec<String> = smtp.notifications().into_iter().skip(before).collect();
    assert!(!after.is_empty(), "the worker is still told");
    assert!(after.iter().all(|m| !header(m, "To").unwrap().contains("hr@employer")), "the employer opted out");
    // The clerk can opt a party out too (a wish by phone).
    let off = t
        .call("PUT", &format!("/api/v1/cases/{case}/parties/applicant/0/notifications"), Some(&clerk), Some(json!({"opt_out": true})))
        .await;
    assert_eq!(off.body, json!({"party": "张三", "opted_out": true}), "{}", off.text);
    let bad = t
        .call("PUT", &format!("/api/v1/cases/{case}/parties/applicant/0/notifications"), Some(&clerk), Some(json!({"opt_out": "yes"})))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
}

/// Each test once on SQLite and once on PostgreSQL, given which it is (they configure their own app).
macro_rules! on_both {
    ($($name:ident),* $(,)?) => { $(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() { super::$name(false).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() { super::$name(true).await }
        }
    )* };
}

on_both!(
    a_case_is_served_from_acceptance_to_award_and_the_clock_follows,
    an_email_that_keeps_failing_ends_failed_with_its_error,
    sms_receipts_are_signed_and_a_forged_one_is_refused,
    public_notice_only_after_a_failure_and_it_feeds_the_clock,
    the_clerk_posts_the_day_s_letters_from_the_unserved_desk,
    notifications_follow_the_case_once_each_and_stop_when_the_party_opts_out,
);
