//! Hearings after the first plan: the solver's suggestions and a clerk's booking by hand, re-planning
//! after leave and after a postponement, the notice's service, the record of a hearing held, and
//! the calendar feeds read with a real iCalendar parser — on SQLite and on PostgreSQL.

use crate::common::TestApp;
use axum::http::StatusCode;
use greenlane::app::accounts::Role;
use serde_json::{Value, json};

on_both_planning!(
    a_clerk_books_a_suggested_slot_and_moves_it_keeping_the_calendar_uid,
    a_booking_that_breaks_a_rule_names_the_rule_and_stores_nothing,
    leave_over_a_hearing_proposes_a_new_tribunal_and_confirming_moves_it,
    leave_entered_on_the_morning_of_a_hearing_lists_that_hearing,
    a_late_postponement_is_refused_and_a_timely_one_moves_the_hearing_later,
    only_the_tribunal_records_a_hearing_held_and_the_case_becomes_heard,
    an_absent_applicant_can_be_treated_as_withdrawn,
    a_rotated_feed_token_retires_the_old_address,
    two_clerks_booking_the_same_room_slot_cannot_both_win,
    bad_requests_to_the_hearing_endpoints_name_the_field_and_change_nothing,
);

/// A created thing's id and calendar address.
async fn created(t: &TestApp, token: &str, path: &str, body: Value) -> (i64, String) {
    let a = t.call("POST", path, Some(token), Some(body)).await;
    assert_eq!(a.status, StatusCode::CREATED, "{path}: {}", a.text);
    (a.body["id"].as_i64().unwrap(), a.body["calendar_url"].as_str().unwrap_or_default().to_string())
}

/// One VEVENT as the parser read it.
#[derive(Debug)]
struct FeedEvent {
    uid: String,
    sequence: u32,
    status: String,
    start: String,
}

/// Reads a feed with the `ical` crate (an independent RFC 5545 parser).
async fn feed(t: &TestApp, url: &str) -> Vec<FeedEvent> {
    let a = t.call("GET", url, None, None).await;
    assert_eq!(a.status, StatusCode::OK, "{url}: {}", a.text);
    assert!(a.headers["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(a.text.as_bytes()));
    let cal = parser.next().expect("one calendar").expect("a valid calendar");
    assert!(parser.next().is_none());
    cal.events
        .iter()
        .map(|e| {
            let prop = |name: &str| e.properties.iter().find(|p| p.name == name).and_then(|p| p.value.clone()).unwrap_or_default();
            FeedEvent { uid: prop("UID"), sequence: prop("SEQUENCE").parse().unwrap(), status: prop("STATUS"), start: prop("DTSTART") }
        })
        .collect()
}

async fn place(t: &TestApp, clerk: &str, case: &str, body: Value) -> crate::common::Answer {
    t.call("PUT", &format!("/api/v1/cases/{case}/hearing"), Some(clerk), Some(body)).await
}

fn codes(a: &crate::common::Answer) -> Vec<String> {
    a.body["error"]["fields"].as_array().map(|f| f.iter().map(|e| e["code"].as_str().unwrap().to_string()).collect()).unwrap_or_default()
}

async fn a_clerk_books_a_suggested_slot_and_moves_it_keeping_the_calendar_uid(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let (room, _) = created(&t, &clerk, "/api/v1/rooms", json!({"name": "第一审理庭", "seats": 8})).await;
    let (arb, feed_url) = created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "王仲裁", "presides": true})).await;
    let case = t.accepted_case(&clerk).await;
    let not_before =
        t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body["deadlines"]["hearing_not_before"].clone();

    let s = t.call("GET", &format!("/api/v1/cases/{case}/suggestions?top=3"), Some(&clerk), None).await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.text);
    let slots = s.body["suggestions"].as_array().unwrap();
    assert_eq!(slots.len(), 3);
    // The best slot is the first lawful one: 09:00 on the first day the notice allows.
    assert!(slots[0]["day"].as_str().unwrap() >= not_before.as_str().unwrap());
    assert_eq!(slots[0]["start"], "09:00");
    assert_eq!(slots[0]["room_id"], room);
    assert_eq!(slots[0]["arbitrator_ids"], json!([arb]));
    assert_eq!(s.body["earliest"], slots[0]["day"]);

    let first = place(&t, &clerk, &case, json!({"day": slots[0]["day"], "start": "09:00", "room_id": room, "arbitrator_ids": [arb]})).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    let hearing = first.body["hearing_id"].as_i64().unwrap();
    let events = feed(&t, &feed_url).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].uid, format!("hearing-{hearing}@greenlane"));
    assert_eq!(events[0].sequence, 0);
    assert_eq!(events[0].status, "CONFIRMED");
    // 09:00 in Zhongshan is 01:00 UTC.
    assert!(events[0].start.ends_with("T010000Z"), "{}", events[0].start);

    let moved = place(
        &t,
        &clerk,
        &case,
        json!({"day": slots[0]["day"], "start": "14:30", "room_id": room, "arbitrator_ids": [arb], "reason": "申请人请求改为下午"}),
    )
    .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    assert_eq!(moved.body["hearing_id"], hearing);
    assert_eq!(moved.body["end"], "15:30");
    let events = feed(&t, &feed_url).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].uid, format!("hearing-{hearing}@greenlane"));
    assert_eq!(events[0].sequence, 1);
    assert!(events[0].start.ends_with("T063000Z"), "{}", events[0].start);

    let view = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body;
    assert_eq!(view["status"], "scheduled");
    assert_eq!(view["hearings"][0]["start"], "14:30");
    assert_eq!(view["hearings"][0]["notices"].as_array().unwrap().len(), 2, "every new date gets a new notice");
    assert!(view["deadlines"]["postpone_by"].is_string(), "{}", view["deadlines"]);
    let kinds: Vec<&str> = view["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"hearing_planned") && kinds.contains(&"hearing_moved"), "{kinds:?}");
    // The old slots were given back: two slots for the room and two for the arbitrator.
    assert_eq!(t.count("slot_claims").await, 4);
}

async fn a_booking_that_breaks_a_rule_names_the_rule_and_stores_nothing(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let (room, _) = created(&t, &clerk, "/api/v1/rooms", json!({"name": "第一审理庭", "seats": 8})).await;
    let (small, _) = created(&t, &clerk, "/api/v1/rooms", json!({"name": "调解室", "seats": 2})).await;
    let (arb, _) = created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "王仲裁", "presides": true})).await;
    let (wing, _) = created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "李仲裁", "presides": false})).await;
    let case = t.accepted_case(&clerk).await;
    let other = t.accepted_case(&clerk).await;
    let day = "2026-12-01";
    let ok = json!({"day": day, "start": "09:00", "room_id": room, "arbitrator_ids": [arb]});
    let with = |k: &str, v: Value| {
        let mut b = ok.clone();
        b[k] = v;
        b
    };
    let cases = [
        (with("day", json!("2026-11-28")), "day", "rest_day"),
        (with("day", json!("2026-11-18")), "day", "outside_window"),
        (with("day", json!("2027-03-01")), "day", "outside_window"),
        (with("day", json!("12/01/2026")), "day", "bad_date"),
        (with("start", json!("12:00")), "start", "outside_sessions"),
        (with("start", json!("09:10")), "start", "outside_sessions"),
        (with("start", json!("11:30")), "start", "outside_sessions"),
        (with("start", json!("9点")), "start", "bad_time"),
        (with("room_id", json!(999)), "room_id", "unknown_room"),
        (with("room_id", json!(small)), "room_id", "room_too_small"),
        (with("arbitrator_ids", json!([wing])), "arbitrator_ids", "tribunal_not_allowed"),
        (with("arbitrator_ids", json!([arb, wing])), "arbitrator_ids", "tribunal_not_allowed"),
        (with("arbitrator_ids", json!([])), "arbitrator_ids", "required"),
        (with("arbitrator_ids", json!([4242])), "arbitrator_ids", "unknown_arbitrator"),
        (
            with("short_notice", json!(true))
                .as_object()
                .unwrap()
                .clone()
                .into_iter()
                .filter(|(k, _)| k != "day")
                .collect::<serde_json::Map<_, _>>()
                .into(),
            "day",
            "required",
        ),
    ];
    for (body, field, code) in cases {
        let a = place(&t, &clerk, &case, body.clone()).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", a.text);
        let fields = a.body["error"]["fields"].as_array().unwrap();
        assert!(fields.iter().any(|f| f["field"] == field && f["code"] == code), "{body}: {}", a.text);
        assert!(fields.iter().all(|f| !f["message"].as_str().unwrap().is_empty()));
    }
    assert_eq!(t.count("hearings").await, 0);

    // A taken slot: the room and the arbitrator are both held by the other case.
    let a = place(&t, &clerk, &other, ok.clone()).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let a = place(&t, &clerk, &case, with("start", json!("09:30"))).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text);
    assert_eq!(codes(&a), ["slot_taken", "slot_taken"]);
    // The recusal entry against the respondent puts the arbitrator aside.
    let r = t
        .call(
            "POST",
            &format!("/api/v1/arbitrators/{arb}/recusals"),
            Some(&clerk),
            Some(json!({"credit_code": "91350100M000100Y43", "reason": "曾任被申请人法律顾问"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let a = place(&t, &clerk, &case, with("start", json!("14:00"))).await;
    assert_eq!(codes(&a), ["tribunal_not_allowed"], "{}", a.text);
    assert!(a.text.contains("回避"));
    assert_eq!(t.count("hearings").await, 1);
    assert_eq!(t.count("slot_claims").await, 4);
}

async fn leave_over_a_hearing_proposes_a_new_tribunal_and_confirming_moves_it(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    created(&t, &clerk, "/api/v1/rooms", json!({"name": "第一审理庭", "seats": 8})).await;
    let (wang, wang_feed) = created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "王仲裁", "presides": true})).await;
    let case = t.accepted_case(&clerk).await;
    let a = t.call("POST", "/api/v1/schedule", Some(&clerk), Some(json!({}))).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let hearing = a.body["planned"][0]["hearing_id"].as_i64().unwrap();
    // The planned hearing's notice went out (typeset by the outbox after the run's answer).
    assert_eq!(t.document_kinds(&clerk, &case).await.last().map(String::as_str), Some("hearing_notice"));
    let (li, li_feed) = created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "李仲裁", "presides": true})).await;

    // Leave over the whole window: only the other arbitrator can hear the case.
    let leave = t
        .call(
            "POST",
            &format!("/api/v1/arbitrators/{wang}/leave"),
            Some(&clerk),
            Some(json!({"from": "2026-11-17", "to": "2027-02-26", "reason": "病假"})),
        )
        .await;
    assert_eq!(leave.status, StatusCode::CREATED, "{}", leave.text);
    assert_eq!(leave.body["affected_hearing_ids"], json!([hearing]));
    let proposal = &leave.body["proposal"];
    assert_eq!(proposal["dry_run"], true);
    assert_eq!(proposal["planned"][0]["arbitrator_ids"], json!([li]));
    // Nothing moved yet.
    assert_eq!(feed(&t, &wang_feed).await[0].status, "CONFIRMED");

    let r = t.call("POST", "/api/v1/hearings/replan", Some(&clerk), Some(json!({"hearing_ids": [hearing], "reason": "王仲裁病假"}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["planned"][0]["hearing_id"], hearing);
    assert_eq!(r.body["planned"][0]["arbitrator_ids"], json!([li]));
    let day = r.body["planned"][0]["day"].as_str().unwrap();
    assert!(day >= "2026-11-25", "the new date keeps the 5-day notice: {day}");
    // The arbitrator on leave sees the hearing cancelled; the new one sees it, both at sequence 1.
    let old = feed(&t, &wang_feed).await;
    assert_eq!((old.len(), old[0].status.as_str(), old[0].sequence), (1, "CANCELLED", 1));
    let new = feed(&t, &li_feed).await;
    assert_eq!((new.len(), new[0].status.as_str(), new[0].sequence), (1, "CONFIRMED", 1));
    assert_eq!(old[0].uid, new[0].uid);
    let view = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body;
    assert_eq!(view["hearings"][0]["notices"].as_array().unwrap().len(), 2);
    assert!(
        view["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "hearing_moved" && e["note"].as_str().unwrap().contains("王仲裁病假"))
    );
    // Each notice, the first and the one of the move, went out as a document.
    t.drain_jobs().await;
    let docs = t.call("GET", &format!("/api/v1/cases/{case}/documents"), Some(&clerk), None).await.body;
    assert_eq!(docs.as_array().unwrap().iter().filter(|d| d["kind"] == "hearing_notice").count(), 2, "{docs}");

    // Replanning a hearing that is not there is refused, naming it.
    let bad = t.call("POST", "/api/v1/hearings/replan", Some(&clerk), Some(json!({"hearing_ids": [9999]}))).await;
    assert_eq!(codes(&bad), ["unknown_hearing"], "{}", bad.text);
    let bad = t
        .call("POST", "/api/v1/hearings/replan", Some(&clerk), Some(json!({"hearing_ids": [hearing], "short_notice": true, "reason": "x"})))
        .await;
    assert_eq!(bad.status, StatusCode::OK, "a green case may agree to short notice: {}", bad.text);
}

async fn leave_entered_on_the_morning_of_a_hearing_lists_that_hearing(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let (room, _) = created(&t, &clerk, "/api/v1/rooms", json!({"name": "第一审理庭", "seats": 8})).await;
    let (wang, _) = created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "王仲裁", "presides": true})).await;
    created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "李仲裁", "presides": true})).await;
    let case = t.accepted_case(&clerk).await;
    let a = place(&t, &clerk, &case, json!({"day": "2026-12-02", "start": "14:00", "room_id": room, "arbitrator_ids": [wang]})).await;
    let hearing = a.body["hearing_id"].as_i64().unwrap();
    let on_day = t.on_day("2026-12-02");
    let leave = on_day
        .call(
            "POST",
            &format!("/api/v1/arbitrators/{wang}/leave"),
            Some(&clerk),
            Some(json!({"from": "2026-12-02", "to": "2026-12-02", "reason": "病假"})),
        )
        .await;
    assert_eq!(leave.status, StatusCode::CREATED, "{}", leave.text);
    assert_eq!(leave.body["affected_hearing_ids"], json!([hearing]));
    // Its new day is a later one, with a fresh notice period.
    let moved = &leave.body["proposal"]["planned"][0];
    assert!(moved["day"].as_str().is_some_and(|d| d > "2026-12-02"), "{}", leave.body["proposal"]);
}

async fn a_late_postponement_is_refused_and_a_timely_one_moves_the_hearing_later(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let (room, _) = created(&t, &clerk, "/api/v1/rooms", json!({"name": "第一审理庭", "seats": 8})).await;
    let (arb, _) = created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "王仲裁", "presides": true})).await;
    let case = t.accepted_case(&clerk).await;
    let a = place(&t, &clerk, &case, json!({"day": "2026-12-02", "start": "09:00", "room_id": room, "arbitrator_ids": [arb]})).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let hearing = a.body["hearing_id"].as_i64().unwrap();
    let path = format!("/api/v1/hearings/{hearing}/postponements");

    // Hearing Wed 12-02: 3 working days and the buffer day before it is Thu 11-26; Fri 11-27 is too late.
    let late = t
        .call("POST", &path, Some(&clerk), Some(json!({"party": "respondent", "reason": "代理人出差", "requested_on": "2026-11-26"})))
        .await;
    assert_eq!(codes(&late), ["in_future"], "{}", late.text);
    let later = t.on_day("2026-11-27");
    let late = later.call("POST", &path, Some(&clerk), Some(json!({"party": "respondent", "reason": "代理人出差"}))).await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", late.text);
    assert_eq!(codes(&late), ["postponement_too_late"]);
    assert!(late.text.contains("最迟应在 2026-11-26 提出"), "{}", late.text);
    for (body, field) in [
        (json!({"party": "arbitrator", "reason": "x"}), "party"),
        (json!({"party": "respondent"}), "reason"),
        (json!({"party": "respondent", "reason": "x", "requested_on": "2026-13-01"}), "requested_on"),
    ] {
        let a = t.call("POST", &path, Some(&clerk), Some(body.clone())).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(a.body["error"]["fields"][0]["field"], field, "{body}: {}", a.text);
    }
    assert_eq!(t.count("postponements").await, 0);

    // The last day it may be asked.
    let last_day = t.on_day("2026-11-26");
    let asked = last_day.call("POST", &path, Some(&clerk), Some(json!({"party": "respondent", "reason": "代理人出差"}))).await;
    assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.text);
    assert_eq!(asked.body["status"], "pending");
    let again = t.call("POST", &path, Some(&clerk), Some(json!({"party": "applicant", "reason": "重复"}))).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "one open request per hearing: {}", again.text);
    let id = asked.body["id"].as_i64().unwrap();
    let decided = t
        .call("POST", &format!("/api/v1/postponements/{id}/decision"), Some(&clerk), Some(json!({"granted": true, "note": "理由正当"})))
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.text);
    assert_eq!(decided.body["status"], "granted");
    let new_day = decided.body["replanned"]["planned"][0]["day"].as_str().unwrap();
    assert!(new_day > "2026-12-02", "a postponed hearing comes later: {new_day}");
    assert_eq!(decided.body["replanned"]["planned"][0]["hearing_id"], hearing);
    let view = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body;
    assert_eq!(view["hearings"][0]["day"], new_day);
    let kinds: Vec<&str> = view["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    for k in ["postponement_requested", "postponement_decided", "hearing_moved"] {
        assert!(kinds.contains(&k), "{k} in {kinds:?}");
    }
    let twice =
        t.call("POST", &format!("/api/v1/postponements/{id}/decision"), Some(&clerk), Some(json!({"granted": false, "note": "x"}))).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
}

async fn only_the_tribunal_records_a_hearing_held_and_the_case_becomes_heard(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let (room, _) = created(&t, &clerk, "/api/v1/rooms", json!({"name": "第一审理庭", "seats": 8})).await;
    let (arb, _) = created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "王仲裁", "presides": true})).await;
    let (other, _) = created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "李仲裁", "presides": true})).await;
    let case = t.accepted_case(&clerk).await;
    let a = place(&t, &clerk, &case, json!({"day": "2026-12-02", "start": "09:00", "room_id": room, "arbitrator_ids": [arb]})).await;
    let hearing = a.body["hearing_id"].as_i64().unwrap();
    let path = format!("/api/v1/hearings/{hearing}/held");

    // The notice was served the next day by post; in time.
    let n = t
        .call(
            "POST",
            &format!("/api/v1/hearings/{hearing}/notice"),
            Some(&clerk),
            Some(json!({"served_on": "2026-11-16", "channel": "post"})),
        )
        .await;
    assert_eq!(n.status, StatusCode::OK, "{}", n.text);
    assert_eq!(n.body["warning"], Value::Null);
    let bad = t
        .call(
            "POST",
            &format!("/api/v1/hearings/{hearing}/notice"),
            Some(&clerk),
            Some(json!({"served_on": "2026-11-16", "channel": "pigeon"})),
        )
        .await;
    assert_eq!(codes(&bad), ["unknown_channel"]);

    let on_day = t.on_day("2026-12-02");
    let mine = on_day.arbitrator_token(arb).await;
    let theirs = on_day.arbitrator_token(other).await;
    let body = json!({"held_on": "2026-12-02", "record": "双方到庭，完成举证质证和辩论。"});
    assert_eq!(on_day.call("POST", &path, Some(&theirs), Some(body.clone())).await.status, StatusCode::FORBIDDEN);
    assert_eq!(on_day.call("POST", &path, Some(&clerk), Some(body.clone())).await.status, StatusCode::FORBIDDEN);
    // Not before the hearing's day, not after today.
    let early = on_day.call("POST", &path, Some(&mine), Some(json!({"held_on": "2026-12-01", "record": "x"}))).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.text);
    let future = on_day.call("POST", &path, Some(&mine), Some(json!({"held_on": "2026-12-03", "record": "x"}))).await;
    assert_eq!(future.status, StatusCode::CONFLICT, "{}", future.text);
    let missing = on_day.call("POST", &path, Some(&mine), Some(json!({"held_on": "2026-12-02"}))).await;
    assert_eq!(codes(&missing), ["required"]);
    assert_eq!(t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body["status"], "scheduled");

    let a = on_day
        .call(
            "POST",
            &path,
            Some(&mine),
            Some(json!({"held_on": "2026-12-02", "record": "被申请人经书面通知未到庭。", "respondent_attended": false})),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(a.body["case_status"], "heard");
    assert_eq!(a.body["default_award"], true);
    let view = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body;
    assert_eq!(view["status"], "heard");
    assert_eq!(view["hearings"][0]["status"], "held");
    let again = on_day.call("POST", &path, Some(&mine), Some(body)).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

async fn an_absent_applicant_can_be_treated_as_withdrawn(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let (room, _) = created(&t, &clerk, "/api/v1/rooms", json!({"name": "第一审理庭", "seats": 8})).await;
    let (arb, _) = created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "王仲裁", "presides": true})).await;
    let case = t.accepted_case(&clerk).await;
    let a = place(&t, &clerk, &case, json!({"day": "2026-12-02", "start": "09:00", "room_id": room, "arbitrator_ids": [arb]})).await;
    let path = format!("/api/v1/hearings/{}/held", a.body["hearing_id"]);
    let on_day = t.on_day("2026-12-02");
    let mine = on_day.arbitrator_token(arb).await;
    let absent = json!({"held_on": "2026-12-02", "record": "申请人经书面通知无正当理由未到庭。", "applicant_attended": false, "treat_as_withdrawn": true});
    // Rules Art. 59: without a served notice, the absence grounds no deemed withdrawal.
    let unserved = on_day.call("POST", &path, Some(&mine), Some(absent.clone())).await;
    assert_eq!(unserved.status, StatusCode::CONFLICT, "{}", unserved.text);
    assert!(unserved.text.contains("开庭通知尚未有效送达申请人"), "{}", unserved.text);
    let notice = format!("/api/v1/hearings/{}/notice", a.body["hearing_id"]);
    let served = t.call("POST", &notice, Some(&clerk), Some(json!({"served_on": "2026-11-16", "channel": "post"}))).await;
    assert_eq!(served.status, StatusCode::OK, "{}", served.text);
    let refused =
        on_day.call("POST", &path, Some(&mine), Some(json!({"held_on": "2026-12-02", "record": "x", "treat_as_withdrawn": true}))).await;
    assert_eq!(codes(&refused), ["applicant_attended"], "{}", refused.text);
    let a = on_day.call("POST", &path, Some(&mine), Some(absent)).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let view = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body;
    assert_eq!((view["status"].as_str(), view["outcome"].as_str()), (Some("closed"), Some("deemed_withdrawn")));
}

async fn a_rotated_feed_token_retires_the_old_address(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let (room, room_feed) = created(&t, &clerk, "/api/v1/rooms", json!({"name": "第一审理庭", "seats": 8})).await;
    let (arb, arb_feed) = created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "王仲裁", "presides": true})).await;
    let case = t.accepted_case(&clerk).await;
    place(&t, &clerk, &case, json!({"day": "2026-12-02", "start": "09:00", "room_id": room, "arbitrator_ids": [arb]})).await;
    assert_eq!(feed(&t, &room_feed).await.len(), 1);
    for url in [
        format!("/api/v1/arbitrators/{arb}/calendar.ics"),
        format!("/api/v1/arbitrators/{arb}/calendar.ics?token=guess"),
        format!("/api/v1/rooms/{room}/calendar.ics?token="),
    ] {
        assert_eq!(t.call("GET", &url, None, None).await.status, StatusCode::NOT_FOUND, "{url}");
    }
    // The arbitrator rotates its own feed; another arbitrator may not.
    let mine = t.arbitrator_token(arb).await;
    let (other, _) = created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "李仲裁", "presides": true})).await;
    let stranger = t.arbitrator_token(other).await;
    let path = format!("/api/v1/arbitrators/{arb}/calendar-token");
    assert_eq!(t.call("POST", &path, Some(&stranger), None).await.status, StatusCode::FORBIDDEN);
    let r = t.call("POST", &path, Some(&mine), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let new_url = r.body["calendar_url"].as_str().unwrap();
    assert_ne!(new_url, arb_feed);
    assert_eq!(t.call("GET", &arb_feed, None, None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(feed(&t, new_url).await.len(), 1);
    let r = t.call("POST", &format!("/api/v1/rooms/{room}/calendar-token"), Some(&clerk), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(t.call("GET", &room_feed, None, None).await.status, StatusCode::NOT_FOUND);
}

async fn two_clerks_booking_the_same_room_slot_cannot_both_win(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let (room, _) = created(&t, &clerk, "/api/v1/rooms", json!({"name": "第一审理庭", "seats": 8})).await;
    let (a1, _) = created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "王仲裁", "presides": true})).await;
    let (a2, _) = created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "李仲裁", "presides": true})).await;
    let (c1, c2) = (t.accepted_case(&clerk).await, t.accepted_case(&clerk).await);
    let b1 = json!({"day": "2026-12-02", "start": "09:00", "room_id": room, "arbitrator_ids": [a1]});
    let b2 = json!({"day": "2026-12-02", "start": "09:30", "room_id": room, "arbitrator_ids": [a2]});
    let (r1, r2, r3) = tokio::join!(
        place(&t, &clerk, &c1, b1),
        place(&t, &clerk, &c2, b2),
        t.call("POST", "/api/v1/schedule", Some(&clerk), Some(json!({})))
    );
    let wins = [&r1, &r2].iter().filter(|r| r.status == StatusCode::OK).count();
    assert!(wins <= 1, "{} / {}", r1.text, r2.text);
    for r in [&r1, &r2, &r3] {
        assert!([StatusCode::OK, StatusCode::CONFLICT, StatusCode::UNPROCESSABLE_ENTITY].contains(&r.status), "{}", r.text);
    }
    // Whatever won, no slot of the room or an arbitrator is held twice, and every case has at most one hearing.
    let hearings = t.count("hearings").await;
    assert!(hearings <= 2);
    let planned: Vec<(String, i64, i64, i64, i64)> =
        sqlx::query_as("SELECT day, session, slot, slots, room_id FROM hearings WHERE status = 'planned'")
            .fetch_all(&t.app.db.reader)
            .await
            .unwrap();
    for (i, x) in planned.iter().enumerate() {
        for y in &planned[i + 1..] {
            let overlap = x.0 == y.0 && x.1 == y.1 && x.4 == y.4 && x.2 < y.2 + y.3 && y.2 < x.2 + x.3;
            assert!(!overlap, "{x:?} and {y:?} share the room");
        }
    }
}

async fn bad_requests_to_the_hearing_endpoints_name_the_field_and_change_nothing(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let (room, _) = created(&t, &clerk, "/api/v1/rooms", json!({"name": "第一审理庭", "seats": 8})).await;
    let (arb, _) = created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "王仲裁", "presides": true})).await;
    let case = t.accepted_case(&clerk).await;
    let a = place(&t, &clerk, &case, json!({"day": "2026-12-02", "start": "09:00", "room_id": room, "arbitrator_ids": [arb]})).await;
    let hearing = a.body["hearing_id"].as_i64().unwrap();
    let before =
        (t.count("hearings").await, t.count("hearing_notices").await, t.count("slot_claims").await, t.count("postponements").await);

    for top in ["0", "21", "abc"] {
        let a = t.call("GET", &format!("/api/v1/cases/{case}/suggestions?top={top}"), Some(&clerk), None).await;
        assert_eq!(codes(&a), ["out_of_range"], "top={top}: {}", a.text);
    }
    assert_eq!(t.call("GET", "/api/v1/cases/NOSUCHCASE/suggestions", Some(&clerk), None).await.status, StatusCode::NOT_FOUND);
    let bodies = [
        ("/api/v1/hearings/replan", json!({"hearing_ids": []}), "hearing_ids", "required"),
        (
            "/api/v1/hearings/replan",
            json!({"hearing_ids": [hearing], "short_notice": true, "reason": "x".repeat(201)}),
            "reason",
            "too_long",
        ),
        (&format!("/api/v1/hearings/{hearing}/notice"), json!({"served_on": "2026-11-17", "channel": "post"}), "served_on", "in_future"),
        (&format!("/api/v1/hearings/{hearing}/notice"), json!({"channel": "post"}), "served_on", "required"),
    ];
    for (path, body, field, code) in bodies {
        let a = t.call("POST", path, Some(&clerk), Some(body.clone())).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{path} {body}: {}", a.text);
        assert_eq!(
            (a.body["error"]["fields"][0]["field"].as_str(), a.body["error"]["fields"][0]["code"].as_str()),
            (Some(field), Some(code)),
            "{}",
            a.text
        );
    }
    let asked = t
        .call(
            "POST",
            &format!("/api/v1/hearings/{hearing}/postponements"),
            Some(&clerk),
            Some(json!({"party": "applicant", "reason": "生病"})),
        )
        .await;
    let id = asked.body["id"].as_i64().unwrap();
    let a = t.call("POST", &format!("/api/v1/postponements/{id}/decision"), Some(&clerk), Some(json!({"note": "x"}))).await;
    assert_eq!(codes(&a), ["required"], "{}", a.text);
    assert_eq!(a.body["error"]["fields"][0]["field"], "granted");
    let a =
        t.call("POST", &format!("/api/v1/postponements/{id}/decision"), Some(&clerk), Some(json!({"granted": "yes", "note": "x"}))).await;
    assert!(a.status.is_client_error(), "a mistyped flag is refused: {}", a.text);
    for (method, path) in [
        ("POST", "/api/v1/postponements/abc/decision"),
        ("POST", "/api/v1/hearings/0/held"),
        ("POST", "/api/v1/arbitrators/999/calendar-token"),
        ("GET", "/api/v1/rooms/x/calendar.ics?token=t"),
    ] {
        let a = t.call(method, path, Some(&clerk), Some(json!({}))).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{method} {path}: {}", a.text);
    }
    // Only the request itself was stored; the pending one is still undecided.
    let after = (t.count("hearings").await, t.count("hearing_notices").await, t.count("slot_claims").await, t.count("postponements").await);
    assert_eq!(after, (before.0, before.1, before.2, before.3 + 1));
    let view = t.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.body;
    assert_eq!(view["hearings"][0]["notices"][0]["served_on"], Value::Null);
    assert_eq!(view["hearings"][0]["sequence"], 0);
}
