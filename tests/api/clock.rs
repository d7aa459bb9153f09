//! The statutory clock in the service: events that move it, refusals that change nothing, the
//! deadline board, and loading a new year's holiday calendar.

use crate::common::TestApp;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use greenlane::app::accounts::Role;
use serde_json::json;

fn field_of(a: &crate::common::Answer) -> String {
    a.body["error"]["fields"][0]["field"].as_str().unwrap_or_default().to_string()
}

async fn a_suspension_stops_the_clock_and_its_days_are_added_back(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let id = t.accepted_case(&clerk).await; // accepted 2026-11-16, award due 2026-12-31
    let later = t.on_day("2026-11-20");
    let a = later.clock(&clerk, &id, "suspend", json!({"ground": "awaiting_assessment", "note": "等待伤残等级鉴定"})).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(a.body["status"], "suspended");
    assert_eq!(a.body["deadlines"]["award_due"], serde_json::Value::Null);
    assert_eq!(a.body["deadlines"]["suspended_since"], "2026-11-20");

    let resumed = t.on_day("2026-11-30").clock(&clerk, &id, "resume", json!({})).await;
    assert_eq!(resumed.status, StatusCode::OK, "{}", resumed.text);
    assert_eq!(resumed.body["status"], "accepted");
    let d = &resumed.body["deadlines"];
    assert_eq!(d["suspended_days"], 10);
    // 2026-11-16 + 55 days = Sunday 2027-01-10 → Monday 2027-01-11, in a year not yet loaded.
    assert_eq!(d["award_due"], "2027-01-11");
    assert_eq!(d["provisional"], true);

    let case = t.call("GET", &format!("/api/v1/cases/{id}"), Some(&clerk), None).await;
    let events = case.body["events"].as_array().unwrap();
    let last = &events[events.len() - 1];
    assert_eq!(last["action"], "resumed");
    assert_eq!(last["before_state"], "suspended");
    assert_eq!(last["after_state"], "accepted");
    assert!(last["note"].as_str().unwrap().contains("审限 中止中 → 2027-01-11（暂定）"), "{last}");
    let suspended = events.iter().find(|e| e["action"] == "suspended").unwrap();
    assert!(suspended["note"].as_str().unwrap().contains("等待伤残等级鉴定"));
}

async fn resume_without_a_suspension_is_409_and_records_nothing(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let id = t.accepted_case(&clerk).await;
    let a = t.clock(&clerk, &id, "resume", json!({})).await;
    assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.text);
    assert_eq!(a.body["error"]["code"], "conflict");
    assert_eq!(t.count("clock_events").await, 0);
    // While suspended, nothing but a resumption may be recorded.
    assert_eq!(t.clock(&clerk, &id, "suspend", json!({"ground": "force_majeure"})).await.status, StatusCode::OK);
    assert_eq!(t.clock(&clerk, &id, "copy-served", json!({})).await.status, StatusCode::CONFLICT);
    assert_eq!(t.clock(&clerk, &id, "suspend", json!({"ground": "other"})).await.status, StatusCode::CONFLICT);
    assert_eq!(t.count("clock_events").await, 1);
}

async fn an_extension_is_at_most_fifteen_days_once_and_before_the_deadline(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let id = t.accepted_case(&clerk).await;
    let a = t.clock(&clerk, &id, "extend", json!({"days": 16, "approver": "王主任"})).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_of(&a), "days");
    assert_eq!(a.body["error"]["fields"][0]["code"], "extension_too_long");
    let a = t.clock(&clerk, &id, "extend", json!({"days": 10})).await;
    assert_eq!(field_of(&a), "approver");

    let a = t.clock(&clerk, &id, "extend", json!({"days": 15, "approver": "王主任"})).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    // 2026-11-16 + 60 days = Friday 2027-01-15.
    assert_eq!(a.body["deadlines"]["award_due"], "2027-01-15");
    assert_eq!(a.body["deadlines"]["extended"], true);
    let again = t.clock(&clerk, &id, "extend", json!({"days": 1, "approver": "王主任"})).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);

    let other = t.accepted_case(&clerk).await;
    let late = t.on_day("2027-01-04").clock(&clerk, &other, "extend", json!({"days": 5, "approver": "王主任"})).await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.text);
    assert!(late.body["error"]["message"].as_str().unwrap().contains("2026-12-31"));
    assert_eq!(t.count("clock_events").await, 1);
}

async fn restarts_and_service_events_move_the_right_deadlines(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let id = t.accepted_case(&clerk).await;
    let day = t.on_day("2026-11-18");
    let a = day.clock(&clerk, &id, "copy-served", json!({"on": "2026-11-17"})).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(a.body["deadlines"]["defence_by"], "2026-12-01");
    assert_eq!(a.body["deadlines"]["hearing_not_before"], "2026-12-02");
    // The green track may waive the defence period with the respondent's consent.
    let a = day.clock(&clerk, &id, "defence-waived", json!({})).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(a.body["deadlines"]["defence_by"], serde_json::Value::Null);
    // The hearing notice reaches the respondent at the earliest with the copy (11-17): six working days later.
    assert_eq!(a.body["deadlines"]["hearing_not_before"], "2026-11-25");
    let a = day.clock(&clerk, &id, "restart", json!({"cause": "claims_changed"})).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(a.body["deadlines"]["award_period_from"], "2026-11-18");
    // 2026-11-18 + 45 = Saturday 2027-01-02 → rolls past the provisional New Year to Monday 2027-01-04.
    assert_eq!(a.body["deadlines"]["award_due"], "2027-01-04");
    assert_eq!(day.clock(&clerk, &id, "copy-served", json!({})).await.status, StatusCode::CONFLICT);
}

async fn events_on_a_filed_or_rejected_case_are_refused(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let filed = t.filed_case().await;
    assert_eq!(t.clock(&clerk, &filed, "suspend", json!({"ground": "other"})).await.status, StatusCode::CONFLICT);
    // Completing the materials resets the receipt date of a filed case (Rules Art. 46(2)).
    let later = t.on_day("2026-11-18");
    let a = later.clock(&clerk, &filed, "restart", json!({"cause": "materials_completed"})).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(a.body["deadlines"]["accept_by"], "2026-11-25");

    let rejected = t.filed_case().await;
    t.call("POST", &format!("/api/v1/cases/{rejected}/reject"), Some(&clerk), Some(json!({"reason": "不属于受理范围"}))).await;
    let a = t.clock(&clerk, &rejected, "restart", json!({"cause": "materials_completed"})).await;
    assert_eq!(a.status, StatusCode::CONFLICT);

    let closed = t.accepted_case(&clerk).await;
    sqlx::query("UPDATE cases SET status = 'closed', outcome = 'withdrawn' WHERE id = $1")
        .bind(&closed)
        .execute(&t.app.db.writer)
        .await
        .unwrap();
    let a = t.clock(&clerk, &closed, "restart", json!({"cause": "party_added"})).await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert!(a.body["error"]["message"].as_str().unwrap().contains("已结案"));
    assert_eq!(t.count("clock_events").await, 1);
}

async fn bad_fields_name_themselves_and_roles_are_checked(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let id = t.accepted_case(&clerk).await;
    let cases = [
        (json!({"ground": "tired"}), "ground", "unknown_ground"),
        (json!({"ground": "other", "on": "2026-13-01"}), "on", "bad_date"),
        (json!({"ground": "other", "on": "1999-12-31"}), "on", "out_of_range"),
        (json!({"ground": "other", "on": "2026-11-17"}), "on", "future_date"),
        (json!({"ground": "other", "on": "2026-11-15"}), "on", "before_acceptance"),
    ];
    for (body, field, code) in cases {
        let a = t.clock(&clerk, &id, "suspend", body.clone()).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", a.text);
        assert_eq!(field_of(&a), field, "{body}");
        assert_eq!(a.body["error"]["fields"][0]["code"], code, "{body}");
    }
    let a = t.clock(&clerk, &id, "suspend", json!({"ground": 3})).await;
    assert_eq!(field_of(&a), "ground");
    assert_eq!(t.clock(&clerk, &id, "nap", json!({})).await.status, StatusCode::NOT_FOUND);
    let arbitrator = t.token(Role::Arbitrator).await;
    assert_eq!(t.clock(&arbitrator, &id, "suspend", json!({"ground": "other"})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.clock(&clerk, "no-such-case", "resume", json!({})).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.count("clock_events").await, 0);
}

async fn the_deadline_board_lists_the_most_urgent_first(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let early = t.on_day("2026-11-02");
    let overdue = early.filed_case().await; // accept_by 2026-11-09, never decided
    let filed = t.filed_case().await; // accept_by 2026-11-23
    let accepted = t.accepted_case(&clerk).await; // serve_by and tribunal notice by 2026-11-23, award 12-31
    let served = t.accepted_case(&clerk).await;
    t.clock(&clerk, &served, "copy-served", json!({})).await;
    t.clock(&clerk, &served, "tribunal-notified", json!({})).await;

    let day = t.on_day("2026-11-19");
    let a = day.call("GET", "/api/v1/deadlines?within=5", Some(&clerk), None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let items = a.body["items"].as_array().unwrap();
    let ids: Vec<&str> = items.iter().map(|i| i["case_id"].as_str().unwrap()).collect();
    assert_eq!(ids[0], overdue);
    assert_eq!(items[0]["working_days_left"], -8);
    assert_eq!(items[0]["urgency"], "red");
    assert!(ids.contains(&filed.as_str()) && ids.contains(&accepted.as_str()));
    assert!(!ids.contains(&served.as_str()), "its next deadline is the award, 29 working days away");
    let acc = items.iter().find(|i| i["case_id"] == accepted.as_str()).unwrap();
    assert_eq!(acc["due_on"], "2026-11-23");
    assert_eq!(acc["working_days_left"], 2);
    assert_eq!(acc["urgency"], "red");

    let wide = day.call("GET", "/api/v1/deadlines?within=60", Some(&clerk), None).await;
    assert_eq!(wide.body["items"].as_array().unwrap().len(), 4);
    let bad = day.call("GET", "/api/v1/deadlines?within=61", Some(&clerk), None).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_of(&bad), "within");
    assert_eq!(day.call("GET", "/api/v1/deadlines", None, None).await.status, StatusCode::UNAUTHORIZED);
}

/// A made-up 2027 arrangement for the test (the real one is announced by the State Council).
const TEST_2027: &str = r#"
[[year]]
year = 2027
notice = "测试用安排"
days_off = ["2027-01-01..2027-01-03", "2027-01-15"]
make_up_working_days = ["2027-01-09"]
"#;

async fn put_calendar(t: &TestApp, token: &str, text: &str) -> crate::common::Answer {
    let req = Request::builder()
        .method("PUT")
        .uri("/api/v1/calendar")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/toml")
        .body(Body::from(text.to_string()))
        .unwrap();
    t.request(req).await
}

async fn loading_a_year_recomputes_open_cases_and_is_audited(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let admin = t.token(Role::Admin).await;
    let december = t.on_day("2026-12-01");
    let id = december.accepted_case(&clerk).await;
    let before = december.call("GET", &format!("/api/v1/cases/{id}"), Some(&clerk), None).await;
    // 2026-12-01 + 45 = Friday 2027-01-15, provisional.
    assert_eq!(before.body["deadlines"]["award_due"], "2027-01-15");
    assert_eq!(before.body["deadlines"]["provisional"], true);

    let bad =
        put_calendar(&december, &admin, "[[year]]\nyear = 2027\ndays_off = [\"2027-02-06\"]\nmake_up_working_days = [\"2027-02-06\"]\n")
            .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert_eq!(field_of(&bad), "calendar");
    let missing = put_calendar(&december, &admin, "[[year]]\ndays_off = [\"2027-02-06\"]\n").await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body["error"]["fields"][0]["message"].as_str().unwrap().contains("缺少 year"));
    assert_eq!(put_calendar(&december, &clerk, TEST_2027).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.count("calendar_years").await, 0);
    let same = december.call("GET", &format!("/api/v1/cases/{id}"), Some(&clerk), None).await;
    assert_eq!(same.body["deadlines"], before.body["deadlines"]);

    let ok = put_calendar(&december, &admin, TEST_2027).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    assert_eq!(ok.body["years"], json!([2027]));
    assert_eq!(ok.body["recomputed_cases"], 1);
    let after = december.call("GET", &format!("/api/v1/cases/{id}"), Some(&clerk), None).await;
    assert_eq!(after.body["deadlines"]["award_due"], "2027-01-18");
    assert_eq!(after.body["deadlines"]["provisional"], false);
    let events = after.body["events"].as_array().unwrap();
    let last = &events[events.len() - 1];
    assert_eq!(last["action"], "deadlines_recomputed");
    assert!(last["note"].as_str().unwrap().contains("2027-01-15（暂定） → 2027-01-18"), "{last}");

    // The year is stored: a service started afresh on this database counts with it.
    let restarted = greenlane::app::calendar::in_force(&t.app).await.unwrap();
    assert!(restarted.is_loaded(2027));
    let year = december.call("GET", "/api/v1/calendar/2027", Some(&clerk), None).await;
    assert_eq!(year.body["loaded"], true);
    assert_eq!(year.body["days"][8], json!({"date": "2027-01-09", "kind": "makeup_workday"}));
    for bad in ["1999", "twenty"] {
        let a = december.call("GET", &format!("/api/v1/calendar/{bad}"), Some(&clerk), None).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(field_of(&a), "year");
    }
    let not_utf8 = Request::builder()
        .method("PUT")
        .uri("/api/v1/calendar")
        .header("authorization", format!("Bearer {admin}"))
        .body(Body::from(vec![0xff, 0xfe, 0x00]))
        .unwrap();
    assert_eq!(december.request(not_utf8).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(t.count("calendar_years").await, 1);
}

async fn a_suspension_of_an_overdue_case_leaves_it_overdue_and_the_trail_says_so(t: TestApp) {
    // Rules Art. 46(6) leaves out periods within the limit; one after it cannot revive it.
    let clerk = t.token(Role::Clerk).await;
    let id = t.accepted_case(&clerk).await; // accepted 2026-11-16, award due 2026-12-31
    let late = t.on_day("2027-01-04").clock(&clerk, &id, "suspend", json!({"ground": "awaiting_assessment"})).await;
    assert_eq!(late.status, StatusCode::OK, "{}", late.text);
    assert_eq!(late.body["deadlines"]["award_due"], "2026-12-31");
    // While suspended the deadline board still shows it over its limit.
    let board = t.on_day("2027-01-10").call("GET", "/api/v1/deadlines", Some(&clerk), None).await;
    let item = board.body["items"].as_array().unwrap().iter().find(|i| i["case_id"] == id.as_str()).expect("listed").clone();
    assert_eq!((item["deadline"].as_str(), item["due_on"].as_str()), (Some("award_due"), Some("2026-12-31")), "{item}");
    let resumed = t.on_day("2027-01-20").clock(&clerk, &id, "resume", json!({})).await;
    assert_eq!(resumed.body["deadlines"]["award_due"], "2026-12-31");
    assert_eq!(resumed.body["deadlines"]["suspended_days"], 0);
    let case = t.call("GET", &format!("/api/v1/cases/{id}"), Some(&clerk), None).await;
    let suspended = case.body["events"].as_array().unwrap().iter().find(|e| e["action"] == "suspended").unwrap().clone();
    assert!(suspended["note"].as_str().unwrap().contains("不扣除审限"), "{suspended}");
}

async fn a_public_notice_voids_a_waiver_and_takes_the_case_off_the_simplified_procedure(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let id = t.accepted_case(&clerk).await;
    let case = t.call("GET", &format!("/api/v1/cases/{id}"), Some(&clerk), None).await;
    assert_eq!(case.body["track"], "green");
    assert_eq!(t.clock(&clerk, &id, "defence-waived", json!({})).await.status, StatusCode::OK);
    let notice = t.on_day("2026-11-18").clock(&clerk, &id, "public-notice", json!({})).await;
    assert_eq!(notice.status, StatusCode::OK, "{}", notice.text);
    let d = &notice.body["deadlines"];
    assert_eq!(d["waiver_voided"], true);
    // CPL Art. 95: deemed served 2026-12-18 (Fri); the defence period runs again from then.
    assert_eq!(d["copy_served_on"], "2026-12-18");
    assert_eq!(d["defence_by"], "2027-01-04");
    assert!(d["hearing_not_before"].as_str().unwrap() > "2027-01-04", "{d}");
    let case = t.call("GET", &format!("/api/v1/cases/{id}"), Some(&clerk), None).await;
    assert_eq!(case.body["track"], "ordinary");
    let events = case.body["events"].as_array().unwrap();
    let converted = events.iter().find(|e| e["action"] == "track_converted").expect("the conversion is audited");
    assert!(converted["note"].as_str().unwrap().contains("第五十七条"), "{converted}");

    // The other order: a waiver after a public notice is refused and nothing is recorded.
    let other = t.accepted_case(&clerk).await;
    assert_eq!(t.clock(&clerk, &other, "public-notice", json!({})).await.status, StatusCode::OK);
    let before = t.count("clock_events").await;
    let waiver = t.clock(&clerk, &other, "defence-waived", json!({})).await;
    assert_eq!(waiver.status, StatusCode::CONFLICT, "{}", waiver.text);
    assert_eq!(t.count("clock_events").await, before);
}

async fn an_extension_of_zero_days_and_a_late_restart_are_refused(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let id = t.accepted_case(&clerk).await;
    let zero = t.clock(&clerk, &id, "extend", json!({"days": 0, "approver": "王主任"})).await;
    assert_eq!(zero.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(zero.body["error"]["fields"][0]["code"], "extension_not_positive");
    let late = t.on_day("2027-01-04").clock(&clerk, &id, "restart", json!({"cause": "claims_changed"})).await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.text);
    let unpadded = t.clock(&clerk, &id, "copy-served", json!({"on": "2026-11-1"})).await;
    assert_eq!(unpadded.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(t.count("clock_events").await, 0);
}

on_both_backends!(
    a_suspension_of_an_overdue_case_leaves_it_overdue_and_the_trail_says_so,
    a_public_notice_voids_a_waiver_and_takes_the_case_off_the_simplified_procedure,
    an_extension_of_zero_days_and_a_late_restart_are_refused,
    a_suspension_stops_the_clock_and_its_days_are_added_back,
    resume_without_a_suspension_is_409_and_records_nothing,
    an_extension_is_at_most_fifteen_days_once_and_before_the_deadline,
    restarts_and_service_events_move_the_right_deadlines,
    events_on_a_filed_or_rejected_case_are_refused,
    bad_fields_name_themselves_and_roles_are_checked,
    the_deadline_board_lists_the_most_urgent_first,
    loading_a_year_recomputes_open_cases_and_is_audited,
);
