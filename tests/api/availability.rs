//! Arbitrators' calendars (issue 25): a calendar served by a local HTTP server started by the test
//! (a weekly recurrence with an exception, a TZID event, an all-day event, a transparent and a
//! cancelled one) becomes busy times, planning never puts that arbitrator's hearing in one, and a
//! refresh keeps the last good import when the server fails — on SQLite and on PostgreSQL.

use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use greenlane::app::accounts::Role;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::TestApp;

/// The test's calendar server listens on loopback, which the service refuses by default.
fn local_calendars(raw: &mut greenlane::config::RawConfig) {
    raw.calendar_private_hosts = true;
}

mod an_imported_calendar_becomes_busy_times_and_planning_keeps_out_of_them {
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite() {
        super::an_imported_calendar_becomes_busy_times_and_planning_keeps_out_of_them(
            crate::common::TestApp::sqlite_with(super::local_calendars).await,
        )
        .await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn postgres() {
        super::an_imported_calendar_becomes_busy_times_and_planning_keeps_out_of_them(
            crate::common::TestApp::postgres_with(super::local_calendars).await,
        )
        .await
    }
}

on_both_backends!(
    a_part_time_arbitrator_is_planned_only_in_the_sessions_it_sits,
    bad_calendar_input_is_refused_naming_the_field_and_changes_nothing,
    an_arbitrator_sets_its_week_and_a_busy_time_on_its_docket_page,
);

async fn an_arbitrator_sets_its_week_and_a_busy_time_on_its_docket_page(t: TestApp) {
    let (_clerk, arb) = setup(&t).await;
    let (cookies, token) = crate::common::session_as(&t, "arb-calendar", Role::Arbitrator, Some(arb)).await;
    let get = |path: &str| axum::http::Request::get(path).header("cookie", cookies.clone()).body(axum::body::Body::empty()).unwrap();
    let page = t.request(get("/staff/docket")).await;
    assert!(page.text.contains("每周坐庭时段") && page.text.contains(r#"id="w2s1""#), "{}", page.text);
    // 周二、周四下午.
    let body = serde_urlencoded::to_string([("csrf", token.as_str()), ("w2s1", "on"), ("w4s1", "on"), ("from", "2026-11-16")]).unwrap();
    let saved = t.request(crate::common::form(&format!("/staff/arbitrators/{arb}/weekly"), &cookies, body)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    let weekly = t.call("GET", &format!("/api/v1/arbitrators/{arb}/availability"), Some(&t.arbitrator_token(arb).await), None).await.body;
    assert_eq!(weekly["weekly"][0]["weekly"], json!([{"weekday": 2, "sessions": [1]}, {"weekday": 4, "sessions": [1]}]), "{weekly}");
    let busy = |start: &str, end: &str| {
        let body = serde_urlencoded::to_string([
            ("csrf", token.as_str()),
            ("day", "2026-11-19"),
            ("start", start),
            ("end", end),
            ("note", "授课"),
        ])
        .unwrap();
        crate::common::form(&format!("/staff/arbitrators/{arb}/busy"), &cookies, body)
    };
    let wrong = t.request(busy("16:00", "14:00")).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text.contains("结束时间应晚于开始时间") && wrong.text.contains("每周坐庭时段"), "{}", wrong.text);
    assert_eq!(t.request(busy("14:00", "16:00")).await.status, StatusCode::SEE_OTHER);
    let page = t.request(get("/staff/docket?from=2026-11-16")).await;
    assert!(page.text.contains("14:00–16:00") && page.text.contains("授课"), "{}", page.text);
}

/// What the test's calendar server answers: status, body and `ETag`; and the `If-None-Match` it was sent.
#[derive(Default)]
struct Served {
    status: u16,
    body: String,
    etag: String,
    seen_validators: Vec<String>,
}

/// A one-file HTTP/1.1 server on loopback; answers 304 when the client's `If-None-Match` matches.
async fn calendar_server(served: Arc<Mutex<Served>>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else { return };
            let served = served.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                let n = sock.read(&mut buf).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&buf[..n]).to_string();
                let validator =
                    request.lines().find_map(|l| l.to_ascii_lowercase().starts_with("if-none-match:").then(|| l[14..].trim().to_string()));
                let (status, body, etag) = {
                    let mut s = served.lock().unwrap();
                    if let Some(v) = &validator {
                        s.seen_validators.push(v.clone());
                    }
                    if validator.as_deref() == Some(s.etag.as_str()) && s.status == 200 {
                        (304, String::new(), s.etag.clone())
                    } else {
                        (s.status, s.body.clone(), s.etag.clone())
                    }
                };
                let reason = match status {
                    200 => "OK",
                    304 => "Not Modified",
                    _ => "Error",
                };
                let head = format!(
                    "HTTP/1.1 {status} {reason}\r\nContent-Type: text/calendar; charset=utf-8\r\nETag: {etag}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = sock.write_all(head.as_bytes()).await;
                let _ = sock.write_all(body.as_bytes()).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    format!("http://{addr}/basic.ics")
}

/// The arbitrator's own calendar around the first hearing days (from Wed 2026-11-25).
const CALENDAR: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//律所//日程//CN\r\n\
BEGIN:VEVENT\r\nUID:court@firm\r\nSUMMARY:周三上午出庭\r\nDTSTART;TZID=Asia/Shanghai:20261125T090000\r\nDTEND;TZID=Asia/Shanghai:20261125T120000\r\n\
RRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=4\r\nEXDATE;TZID=Asia/Shanghai:20261202T090000\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:ny@firm\r\nSUMMARY:纽约客户电话\r\nDTSTART;TZID=America/New_York:20261125T220000\r\nDTEND;TZID=America/New_York:20261125T233000\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:training@firm\r\nSUMMARY:全天培训\r\nDTSTART;VALUE=DATE:20261127\r\nDTEND;VALUE=DATE:20261128\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:reminder@firm\r\nSUMMARY:提醒（不占用时间）\r\nDTSTART;TZID=Asia/Shanghai:20261126T133000\r\nDTEND;TZID=Asia/Shanghai:20261126T173000\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:cancelled@firm\r\nSUMMARY:已取消的会\r\nDTSTART;TZID=Asia/Shanghai:20261130T090000\r\nDTEND;TZID=Asia/Shanghai:20261130T120000\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

async fn busy_of(t: &TestApp, token: &str, arb: i64) -> Vec<(String, String, String, String)> {
    let a = t.call("GET", &format!("/api/v1/arbitrators/{arb}/availability"), Some(token), None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    a.body["busy_times"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let s = |k: &str| b[k].as_str().unwrap_or_default().to_string();
            (s("day"), s("start"), s("end"), s("source"))
        })
        .collect()
}

/// Whether a planned hearing overlaps one of the busy times.
fn overlaps(h: &Value, busy: &[(String, String, String, String)]) -> bool {
    let (day, start, end) = (h["day"].as_str().unwrap(), h["start"].as_str().unwrap(), h["end"].as_str().unwrap());
    busy.iter().any(|(d, s, e, _)| d == day && s.as_str() < end && start < e.as_str())
}

async fn setup(t: &TestApp) -> (String, i64) {
    let clerk = t.token(Role::Clerk).await;
    let room = t.call("POST", "/api/v1/rooms", Some(&clerk), Some(json!({"name": "第一审理庭", "seats": 8}))).await;
    assert_eq!(room.status, StatusCode::CREATED);
    let arb =
        t.call("POST", "/api/v1/arbitrators", Some(&clerk), Some(json!({"name": "陈律师", "presides": true, "max_per_day": 6}))).await;
    (clerk, arb.body["id"].as_i64().unwrap())
}

async fn an_imported_calendar_becomes_busy_times_and_planning_keeps_out_of_them(t: TestApp) {
    let (clerk, arb) = setup(&t).await;
    let served = Arc::new(Mutex::new(Served { status: 200, body: CALENDAR.into(), etag: "\"v1\"".into(), ..Served::default() }));
    let url = calendar_server(served.clone()).await;
    let token = t.arbitrator_token(arb).await;
    let imported = t.call("PUT", &format!("/api/v1/arbitrators/{arb}/busy-calendar"), Some(&token), Some(json!({"url": url}))).await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.text);
    assert_eq!(imported.body["busy_times"], 5, "{}", imported.text);

    let busy = busy_of(&t, &token, arb).await;
    let want = [
        ("2026-11-25", "09:00", "12:00"),
        // 22:00 in New York is 11:00 the next morning in Beijing.
        ("2026-11-26", "11:00", "12:30"),
        ("2026-11-27", "00:00", "23:59"),
        ("2026-12-09", "09:00", "12:00"),
        ("2026-12-16", "09:00", "12:00"),
    ];
    let got: Vec<(&str, &str, &str)> = busy.iter().map(|(d, s, e, _)| (d.as_str(), s.as_str(), e.as_str())).collect();
    assert_eq!(got, want, "the 2nd is excepted; the transparent and cancelled events hold nothing");
    assert!(busy.iter().all(|b| b.3 == "import"));

    // Six green cases and one arbitrator: planning goes around every busy time.
    for _ in 0..6 {
        t.accepted_case(&clerk).await;
    }
    let plan = t.call("POST", "/api/v1/schedule", Some(&clerk), Some(json!({}))).await;
    assert_eq!(plan.status, StatusCode::OK, "{}", plan.text);
    let planned = plan.body["planned"].as_array().unwrap();
    assert_eq!(planned.len(), 6, "{}", plan.text);
    for h in planned {
        assert!(!overlaps(h, &busy), "a hearing in a busy time: {h}");
    }
    assert!(planned.iter().all(|h| h["day"] != "2026-11-27"), "the all-day training blocks its day");

    // A calendar uploaded later that meets a fixed hearing: the hearing stays, listed with a proposal.
    let first = planned[0].clone();
    let (day, start) = (first["day"].as_str().unwrap().replace('-', ""), first["start"].as_str().unwrap().replace(':', ""));
    let late = format!(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:late@firm\r\nSUMMARY:临时出差\r\nDTSTART;TZID=Asia/Shanghai:{day}T{start}00\r\nDURATION:PT1H\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    );
    let req = axum::http::Request::put(format!("/api/v1/arbitrators/{arb}/busy-calendar"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "text/calendar")
        .body(axum::body::Body::from(late))
        .unwrap();
    let clash = t.request(req).await;
    assert_eq!(clash.status, StatusCode::OK, "{}", clash.text);
    let hearing_id = first["hearing_id"].as_i64().unwrap();
    assert_eq!(clash.body["affected_hearing_ids"], json!([hearing_id]), "{}", clash.text);
    assert!(clash.body["proposal"]["planned"].as_array().is_some_and(|p| p.len() == 1), "{}", clash.text);
    let still = t.call("GET", &format!("/api/v1/cases/{}", first["case_id"].as_str().unwrap()), Some(&clerk), None).await.body;
    assert_eq!(still["hearings"][0]["day"], first["day"], "not moved silently");
    let run = t.call("POST", "/api/v1/schedule", Some(&clerk), Some(json!({"dry_run": true}))).await;
    assert!(
        run.body["conflicts"].as_array().unwrap().iter().any(|c| c["code"] == "busy_elsewhere" && c["hearing_id"] == hearing_id),
        "{}",
        run.text
    );

    // The refresh fetches with the validator; a failing server keeps the last good import.
    sqlx::query("UPDATE jobs SET due_at = '2000-01-01T00:00:00.000Z' WHERE kind = 'refresh_calendar' AND state = 'pending'")
        .execute(&t.app.db.writer)
        .await
        .unwrap();
    t.drain_jobs().await;
    assert_eq!(served.lock().unwrap().seen_validators, ["\"v1\""], "If-None-Match on the refresh");
    served.lock().unwrap().status = 500;
    sqlx::query("UPDATE jobs SET due_at = '2000-01-01T00:00:00.000Z' WHERE kind = 'refresh_calendar' AND state = 'pending'")
        .execute(&t.app.db.writer)
        .await
        .unwrap();
    t.drain_jobs().await;
    let view = t.call("GET", &format!("/api/v1/arbitrators/{arb}/availability"), Some(&token), None).await.body;
    assert!(view["feeds"][0]["last_error"].as_str().unwrap_or_default().contains("500"), "{view}");
    assert_eq!(
        busy_of(&t, &token, arb)
            .await
            .iter()
            .filter(|b| b.0 != first["day"].as_str().unwrap() || b.1 != first["start"].as_str().unwrap())
            .count(),
        5,
        "the last good import stays in force"
    );
}

async fn a_part_time_arbitrator_is_planned_only_in_the_sessions_it_sits(t: TestApp) {
    let (clerk, arb) = setup(&t).await;
    // 周二、周四下午 only.
    let weekly = json!({"weekly": [{"weekday": 2, "sessions": [1]}, {"weekday": 4, "sessions": [1]}], "from": "2026-11-16"});
    let set = t.call("PUT", &format!("/api/v1/arbitrators/{arb}/availability"), Some(&clerk), Some(weekly)).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text);
    assert_eq!(set.body["weekly"][0]["weekly"].as_array().unwrap().len(), 2);
    let typed = json!({"day": "2026-11-26", "start": "13:30", "end": "15:30", "note": "律所例会"});
    let added = t.call("POST", &format!("/api/v1/arbitrators/{arb}/busy"), Some(&clerk), Some(typed)).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text);
    for _ in 0..4 {
        t.accepted_case(&clerk).await;
    }
    let plan = t.call("POST", "/api/v1/schedule", Some(&clerk), Some(json!({}))).await;
    let planned = plan.body["planned"].as_array().unwrap();
    assert!(!planned.is_empty(), "{}", plan.text);
    for h in planned {
        let day: chrono::NaiveDate = h["day"].as_str().unwrap().parse().unwrap();
        let weekday = chrono::Datelike::weekday(&day).number_from_monday();
        assert!(matches!(weekday, 2 | 4) && h["start"].as_str().unwrap() >= "13:30", "only Tuesday and Thursday afternoons: {h}");
        assert!(!(h["day"] == "2026-11-26" && h["start"].as_str().unwrap() < "15:30"), "not in the typed busy time: {h}");
    }
    // A clerk placing a hearing by hand in the busy time is refused, naming the rule.
    let case = t.accepted_case(&clerk).await;
    let room = t.call("GET", "/api/v1/rooms", Some(&clerk), None).await;
    let room_id = room.body.as_array().and_then(|r| r.first()).and_then(|r| r["id"].as_i64()).unwrap_or(1);
    let later = json!({"day": "2026-12-03", "start": "13:30", "end": "15:30", "note": "授课"});
    assert_eq!(t.call("POST", &format!("/api/v1/arbitrators/{arb}/busy"), Some(&clerk), Some(later)).await.status, StatusCode::CREATED);
    let by_hand = json!({"day": "2026-12-03", "start": "14:00", "room_id": room_id, "arbitrator_ids": [arb]});
    let refused = t.call("PUT", &format!("/api/v1/cases/{case}/hearing"), Some(&clerk), Some(by_hand)).await;
    assert!(refused.status.is_client_error(), "{}", refused.text);
    assert!(refused.text.contains("该时段有其他安排"), "{}", refused.text);

    // The typed time can be taken back; an imported one cannot be deleted by hand.
    let id = added.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/arbitrators/{arb}/busy/{id}");
    assert_eq!(t.call("DELETE", &path, Some(&clerk), None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(t.call("DELETE", &path, Some(&clerk), None).await.status, StatusCode::NOT_FOUND);
}

async fn bad_calendar_input_is_refused_naming_the_field_and_changes_nothing(t: TestApp) {
    let (clerk, arb) = setup(&t).await;
    let other = t.call("POST", "/api/v1/arbitrators", Some(&clerk), Some(json!({"name": "李老师", "presides": false}))).await.body["id"]
        .as_i64()
        .unwrap();
    let field = |a: &crate::common::Answer| a.body["error"]["fields"][0]["field"].as_str().unwrap_or_default().to_string();

    // A malformed calendar names its line and property, and stores nothing.
    let broken = CALENDAR.replace("DTSTART;TZID=America/New_York:20261125T220000", "DTSTART;TZID=America/New_York:2026-11-25 22:00");
    let req = axum::http::Request::put(format!("/api/v1/arbitrators/{arb}/busy-calendar"))
        .header("authorization", format!("Bearer {clerk}"))
        .header("content-type", "text/calendar")
        .body(axum::body::Body::from(broken))
        .unwrap();
    let a = t.request(req).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text);
    assert!(a.text.contains("第 15 行 DTSTART"), "{}", a.text);
    assert_eq!(t.count("arbitrator_busy").await, 0);

    let path = format!("/api/v1/arbitrators/{arb}/busy-calendar");
    assert_eq!(field(&t.call("PUT", &path, Some(&clerk), Some(json!({"url": "ftp://example.org/cal.ics"}))).await), "url");
    // The service's own network is refused by default; an unreachable public address names the reason.
    let inside = t.call("PUT", &path, Some(&clerk), Some(json!({"url": "http://127.0.0.1:9/closed.ics"}))).await;
    assert_eq!((inside.status, field(&inside)), (StatusCode::UNPROCESSABLE_ENTITY, "url".to_string()), "{}", inside.text);
    assert!(inside.text.contains("内部网络"), "{}", inside.text);
    let metadata = t.call("PUT", &path, Some(&clerk), Some(json!({"url": "http://169.254.169.254/latest/meta-data"}))).await;
    assert!(metadata.text.contains("内部网络"), "{}", metadata.text);

    let busy = format!("/api/v1/arbitrators/{arb}/busy");
    let backwards = t.call("POST", &busy, Some(&clerk), Some(json!({"day": "2026-11-26", "start": "11:00", "end": "10:00"}))).await;
    assert_eq!(field(&backwards), "end", "{}", backwards.text);
    let lunch = t.call("POST", &busy, Some(&clerk), Some(json!({"day": "2026-11-26", "start": "12:10", "end": "13:20"}))).await;
    assert_eq!(field(&lunch), "start", "{}", lunch.text);
    let weekly = json!({"weekly": [{"weekday": 8, "sessions": [0]}]});
    let bad = t.call("PUT", &format!("/api/v1/arbitrators/{arb}/availability"), Some(&clerk), Some(weekly)).await;
    assert_eq!(field(&bad), "weekly[0].weekday", "{}", bad.text);
    assert_eq!(t.count("arbitrator_busy").await + t.count("arbitrator_weekly").await, 0);

    // Another arbitrator's calendar is not an arbitrator's to read or change.
    let token = t.arbitrator_token(arb).await;
    assert_eq!(t.call("GET", &format!("/api/v1/arbitrators/{other}/availability"), Some(&token), None).await.status, StatusCode::FORBIDDEN);
    let theirs = t
        .call(
            "POST",
            &format!("/api/v1/arbitrators/{other}/busy"),
            Some(&token),
            Some(json!({"day": "2026-11-26", "start": "09:00", "end": "10:00"})),
        )
        .await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN);
}
