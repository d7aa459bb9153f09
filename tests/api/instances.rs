//! Several instances on one PostgreSQL: a calendar loaded through one is in force on the others
//! before they date anything with it.

use crate::common::TestApp;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use greenlane::app::accounts::Role;

/// A made-up 2027 arrangement: 2027-01-15 off moves a 45-day limit from that Friday to Monday the 18th.
const TEST_2027: &str = "[[year]]\nyear = 2027\nnotice = \"测试用安排\"\ndays_off = [\"2027-01-01..2027-01-03\", \"2027-01-15\"]\nmake_up_working_days = [\"2027-01-09\"]\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_calendar_loaded_on_one_instance_dates_the_next_acceptance_on_the_others() {
    let base = TestApp::postgres().await;
    let (b_base, c_base) = (base.another_instance().await, base.another_instance().await);
    let (a, b, c) = (base.on_day("2026-12-01"), b_base.on_day("2026-12-01"), c_base.on_day("2026-12-01"));
    let clerk = a.token(Role::Clerk).await;
    let admin = a.token(Role::Admin).await;
    let (case_b, case_c) = (b.filed_case().await, c.filed_case().await);
    // Each instance has read the calendar (no 2027 yet) before the load.
    let early = b.call("GET", &format!("/api/v1/cases/{case_b}"), Some(&clerk), None).await;
    assert_eq!(early.status, StatusCode::OK);

    let load = Request::put("/api/v1/calendar")
        .header("authorization", format!("Bearer {admin}"))
        .header("content-type", "application/toml")
        .body(Body::from(TEST_2027))
        .unwrap();
    assert_eq!(a.request(load).await.status, StatusCode::OK);

    // Instance B accepts at once through the API; instance C through its use case directly (no
    // request passes its middleware first): both date the acceptance with the new calendar.
    let accepted = b.call("POST", &format!("/api/v1/cases/{case_b}/accept"), Some(&clerk), None).await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.text);
    let staff = greenlane::app::accounts::authenticate(&c.app, &clerk, greenlane::app::accounts::TokenKind::Api).await.unwrap().unwrap();
    greenlane::app::decide::accept(&c.app, &staff, &case_c, None).await.unwrap();
    for (t, case) in [(&b, &case_b), (&c, &case_c)] {
        let view = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await;
        assert_eq!(view.body["deadlines"]["award_due"], "2027-01-18", "{}", view.body["deadlines"]);
        t.drain_jobs().await;
        let docs = t.call("GET", &format!("/api/v1/cases/{case}/documents"), Some(&clerk), None).await.body;
        let notice = docs.as_array().unwrap().iter().find(|d| d["kind"] == "acceptance_notice").expect("an acceptance notice").clone();
        let text = t.call("GET", &format!("/api/v1/documents/{}/text", notice["id"]), Some(&clerk), None).await.text;
        assert!(text.contains("2027年1月18日"), "the notice carries the deadline in force: {text}");
        assert!(!text.contains("2027年1月15日"), "{text}");
    }
}
