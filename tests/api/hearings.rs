//! Hearings in the service: arbitrators, rooms, leave and recusal entries, planning runs against
//! the statutory clock, the database's own refusal of a double booking, and dockets — on SQLite
//! and on PostgreSQL.

use crate::common::TestApp;
use axum::http::StatusCode;
use greenlane::app::accounts::Role;
use greenlane::store::hearings::{self as store, NewHearing};
use serde_json::{Value, json};

async fn created(t: &TestApp, token: &str, path: &str, body: Value) -> i64 {
    let a = t.call("POST", path, Some(token), Some(body)).await;
    assert_eq!(a.status, StatusCode::CREATED, "{path}: {}", a.text);
    a.body["id"].as_i64().unwrap()
}

async fn schedule(t: &TestApp, clerk: &str, dry_run: bool) -> crate::common::Answer {
    t.call("POST", "/api/v1/schedule", Some(clerk), Some(json!({ "dry_run": dry_run }))).await
}

async fn case(t: &TestApp, clerk: &str, id: &str) -> Value {
    t.call("GET", &format!("/api/v1/cases/{id}"), Some(clerk), None).await.body
}

async fn an_accepted_case_is_heard_inside_its_statutory_window_and_shows_on_the_docket(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let room = created(&t, &clerk, "/api/v1/rooms", json!({"name": "第一审理庭", "seats": 8})).await;
    let arb = t.call("POST", "/api/v1/arbitrators", Some(&clerk), Some(json!({"name": "王仲裁", "presides": true}))).await;
    assert_eq!(arb.status, StatusCode::CREATED, "{}", arb.text);
    let arb_id = arb.body["id"].as_i64().unwrap();
    assert!(arb.body["calendar_url"].as_str().unwrap().starts_with(&format!("/api/v1/arbitrators/{arb_id}/calendar.ics?token=")));
    let id = t.accepted_case(&clerk).await;
    let deadlines = case(&t, &clerk, &id).await["deadlines"].clone();

    let a = schedule(&t, &clerk, false).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(a.body["unscheduled"], json!([]));
    let planned = a.body["planned"].as_array().unwrap();
    assert_eq!(planned.len(), 1);
    let h = &planned[0];
    assert_eq!(h["case_id"], id.as_str());
    assert_eq!(h["room_id"], room);
    assert_eq!(h["arbitrator_ids"], json!([arb_id]));
    assert_eq!(h["start"], "09:00");
    // A green case takes two 30-minute slots.
    assert_eq!(h["end"], "10:00");
    // Law Art. 35: notice served the next working day (Tue 11-17), 5 working days and the buffer
    // day before the hearing; and the award deadline less 3 working days for drafting.
    let day = h["day"].as_str().unwrap();
    assert!(day >= deadlines["hearing_not_before"].as_str().unwrap(), "{day} vs {deadlines}");
    assert!(day >= "2026-11-25", "{day}");
    assert!(day < deadlines["award_due"].as_str().unwrap());
    assert_eq!(case(&t, &clerk, &id).await["status"], "scheduled");
    assert_eq!(t.count("hearing_notices").await, 1);
    // Law Art. 35: the hearing fixed is notified in writing, with the tribunal's composition;
    // a planning run's notices are typeset just after its answer.
    let kinds = t.document_kinds(&clerk, &id).await;
    assert_eq!(kinds, ["acceptance_notice", "respondent_notice", "tribunal_notice", "hearing_notice"]);
    // Room and arbitrator each hold both slots.
    assert_eq!(t.count("slot_claims").await, 4);

    let d = t.call("GET", &format!("/api/v1/arbitrators/{arb_id}/docket?from={day}&to={day}"), Some(&clerk), None).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.text);
    let lines = d.body["hearings"].as_array().unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["case_no"], "中劳人仲案字〔2026〕第1号");
    assert_eq!(lines[0]["room"], "第一审理庭");

    // Nothing is left to plan: a second run plans nothing and changes nothing.
    let again = schedule(&t, &clerk, false).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["planned"], json!([]));
    assert_eq!(t.count("hearings").await, 1);
}

async fn a_dry_run_returns_the_plan_and_stores_nothing(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    created(&t, &clerk, "/api/v1/rooms", json!({"name": "第二审理庭", "seats": 10})).await;
    created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "李仲裁", "presides": true})).await;
    let id = t.accepted_case(&clerk).await;
    let a = schedule(&t, &clerk, true).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(a.body["dry_run"], true);
    assert_eq!(a.body["planned"].as_array().unwrap().len(), 1);
    assert_eq!(a.body["planned"][0]["hearing_id"], Value::Null);
    assert_eq!(t.count("hearings").await, 0);
    assert_eq!(t.count("slot_claims").await, 0);
    assert_eq!(case(&t, &clerk, &id).await["status"], "accepted");
}

async fn a_dry_run_is_saved_as_it_is_only_while_nothing_changed(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    created(&t, &clerk, "/api/v1/rooms", json!({"name": "第二审理庭", "seats": 10})).await;
    created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "李仲裁", "presides": true})).await;
    let id = t.accepted_case(&clerk).await;
    let dry = schedule(&t, &clerk, true).await;
    let draft = dry.body["draft_id"].as_i64().expect("a dry run is kept to be saved");
    let saved = t.call("POST", &format!("/api/v1/schedule/drafts/{draft}"), Some(&clerk), None).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
    // As it was tried: the same day, time, room and tribunal, now stored.
    for key in ["day", "start", "room_id", "arbitrator_ids"] {
        assert_eq!(saved.body["planned"][0][key], dry.body["planned"][0][key], "{key}");
    }
    assert!(saved.body["planned"][0]["hearing_id"].is_i64());
    assert_eq!(case(&t, &clerk, &id).await["status"], "scheduled");
    let twice = t.call("POST", &format!("/api/v1/schedule/drafts/{draft}"), Some(&clerk), None).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.text);
    // A case accepted after the dry run: the plan no longer fits what is there, and nothing is stored.
    t.accepted_case(&clerk).await;
    let dry = schedule(&t, &clerk, true).await;
    let draft = dry.body["draft_id"].as_i64().unwrap();
    t.accepted_case(&clerk).await;
    let hearings = t.count("hearings").await;
    let stale = t.call("POST", &format!("/api/v1/schedule/drafts/{draft}"), Some(&clerk), None).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.text);
    assert!(stale.text.contains("请重新试排"), "{}", stale.text);
    assert_eq!(t.count("hearings").await, hearings);
    assert_eq!(t.call("POST", "/api/v1/schedule/drafts/99999", Some(&clerk), None).await.status, StatusCode::NOT_FOUND);
    let liaison = t.token(Role::Liaison).await;
    assert_eq!(t.call("POST", &format!("/api/v1/schedule/drafts/{draft}"), Some(&liaison), None).await.status, StatusCode::FORBIDDEN);
}

async fn a_recused_arbitrator_is_never_planned_and_leave_keeps_one_off(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    created(&t, &clerk, "/api/v1/rooms", json!({"name": "第三审理庭", "seats": 8})).await;
    let recused = created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "赵仲裁", "presides": true})).await;
    let away = created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "钱仲裁", "presides": true})).await;
    // The respondent of the test application, by its credit code.
    created(
        &t,
        &clerk,
        &format!("/api/v1/arbitrators/{recused}/recusals"),
        json!({"credit_code": "91350100M000100Y43", "reason": "曾任该公司法律顾问"}),
    )
    .await;
    created(&t, &clerk, &format!("/api/v1/arbitrators/{away}/leave"), json!({"from": "2026-11-16", "to": "2027-02-28", "reason": "病假"}))
        .await;
    let id = t.accepted_case(&clerk).await;
    let a = schedule(&t, &clerk, false).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(a.body["planned"], json!([]));
    assert_eq!(a.body["unscheduled"][0]["case_id"], id.as_str());
    assert_eq!(a.body["unscheduled"][0]["code"], "no_presiding_arbitrator", "{}", a.text);
    assert!(!a.body["unscheduled"][0]["reason"].as_str().unwrap().is_empty());

    // A third arbitrator, free and not recused, takes the case.
    let free = created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "孙仲裁", "presides": true})).await;
    let b = schedule(&t, &clerk, false).await;
    assert_eq!(b.body["planned"][0]["arbitrator_ids"], json!([free]), "{}", b.text);
}

async fn the_database_itself_refuses_a_second_hearing_in_a_held_slot(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    created(&t, &clerk, "/api/v1/rooms", json!({"name": "第四仲裁庭", "seats": 8})).await;
    created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "周仲裁", "presides": true})).await;
    t.accepted_case(&clerk).await;
    let a = schedule(&t, &clerk, false).await;
    let h = a.body["planned"][0].clone();
    let other = t.accepted_case(&clerk).await;
    // Another hearing in the same room, overlapping by one slot, written past every check of the app.
    let day = h["day"].as_str().unwrap().to_string();
    let arbs = [h["arbitrator_ids"][0].as_i64().unwrap()];
    let new = NewHearing {
        case_id: &other,
        day: &day,
        session: 0,
        slot: 1,
        slots: 2,
        start_time: "09:30",
        end_time: "10:30",
        room_id: h["room_id"].as_i64().unwrap(),
        arbitrator_ids: &arbs,
    };
    let mut tx = t.app.db.begin().await.unwrap();
    let e = store::insert(&mut tx, &new, "2026-11-16T00:00:00.000Z").await.unwrap_err();
    assert!(store::is_unique_violation(&e), "{e}");
    drop(tx);
    assert_eq!(t.count("hearings").await, 1);
}

async fn concurrent_planning_runs_never_double_book_a_room_or_an_arbitrator(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    created(&t, &clerk, "/api/v1/rooms", json!({"name": "第五仲裁庭", "seats": 8})).await;
    created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "吴仲裁", "presides": true, "max_per_day": 20})).await;
    let mut ids = Vec::new();
    for _ in 0..6 {
        ids.push(t.accepted_case(&clerk).await);
    }
    let (a, b, c, d) =
        tokio::join!(schedule(&t, &clerk, false), schedule(&t, &clerk, false), schedule(&t, &clerk, false), schedule(&t, &clerk, false));
    let answers = [a, b, c, d];
    let won: Vec<&crate::common::Answer> =
        answers.iter().filter(|a| a.status == StatusCode::OK && !a.body["planned"].as_array().unwrap().is_empty()).collect();
    for a in &answers {
        assert!(a.status == StatusCode::OK || a.status == StatusCode::CONFLICT, "{} {}", a.status, a.text);
    }
    assert_eq!(won.len(), 1, "exactly one run stores its plan");
    assert_eq!(t.count("hearings").await, 6);
    // Every slot is held once per resource (the primary key), and every hearing holds all of its slots.
    assert_eq!(t.count("slot_claims").await, 6 * 2 * 2);
    for id in &ids {
        assert_eq!(case(&t, &clerk, id).await["status"], "scheduled");
    }
}

async fn bad_inputs_name_the_field_and_unknown_arbitrators_are_404(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let a = t.call("POST", "/api/v1/rooms", Some(&clerk), Some(json!({"name": " ", "seats": 0}))).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = a.body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["name", "seats"]);
    let arb = created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "郑仲裁"})).await;
    let b = t
        .call(
            "POST",
            &format!("/api/v1/arbitrators/{arb}/leave"),
            Some(&clerk),
            Some(json!({"from": "2026-12-10", "to": "2026-12-01", "reason": "年假"})),
        )
        .await;
    assert_eq!(b.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b.body["error"]["fields"][0]["field"], "to");
    let c = t.call("POST", &format!("/api/v1/arbitrators/{arb}/recusals"), Some(&clerk), Some(json!({"reason": "亲属"}))).await;
    assert_eq!(c.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(c.body["error"]["fields"][0]["code"], "required");
    let d = t.call("GET", &format!("/api/v1/arbitrators/{arb}/docket?from=2026-13-01"), Some(&clerk), None).await;
    assert_eq!(d.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(d.body["error"]["fields"][0]["field"], "from");
    let e = t
        .call(
            "POST",
            "/api/v1/arbitrators/999/leave",
            Some(&clerk),
            Some(json!({"from": "2026-12-01", "to": "2026-12-01", "reason": "年假"})),
        )
        .await;
    assert_eq!(e.status, StatusCode::NOT_FOUND);
    let f = t.call("POST", "/api/v1/arbitrators", Some(&clerk), Some(json!({"name": "冯仲裁", "max_per_day": 0}))).await;
    assert_eq!(f.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(f.body["error"]["fields"][0]["field"], "max_per_day");
    let g = t
        .call("POST", &format!("/api/v1/arbitrators/{arb}/leave"), Some(&clerk), Some(json!({"from": "2026-2-30", "reason": "年假"})))
        .await;
    assert_eq!(g.status, StatusCode::UNPROCESSABLE_ENTITY);
    let codes: Vec<(&str, &str)> =
        g.body["error"]["fields"].as_array().unwrap().iter().map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap())).collect();
    assert_eq!(codes, vec![("from", "bad_date"), ("to", "required")]);
    let far = json!({"from": "2026-12-01", "to": "9999-12-31", "reason": "年假"});
    let h = t.call("POST", &format!("/api/v1/arbitrators/{arb}/leave"), Some(&clerk), Some(far)).await;
    assert_eq!(h.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", h.text);
    assert_eq!(
        (h.body["error"]["fields"][0]["field"].as_str(), h.body["error"]["fields"][0]["code"].as_str()),
        (Some("to"), Some("out_of_calendar"))
    );
    // Nothing refused was half-stored: one arbitrator (郑仲裁), no room, no leave, no recusal.
    assert_eq!(t.count("arbitrators").await, 1);
    assert_eq!(t.count("rooms").await, 0);
    assert_eq!(t.count("arbitrator_leave").await, 0);
    assert_eq!(t.count("recusals").await, 0);
    t.accepted_case(&clerk).await;
    let h = t.call("POST", "/api/v1/schedule", Some(&clerk), Some(json!({"dry_run": "yes"}))).await;
    assert_eq!(h.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(h.body["error"]["fields"][0]["field"], "dry_run");
    assert_eq!(t.count("hearings").await, 0);
    let liaison = t.token(Role::Liaison).await;
    assert_eq!(t.call("POST", "/api/v1/schedule", Some(&liaison), Some(json!({}))).await.status, StatusCode::FORBIDDEN);
}

on_both_planning!(
    an_accepted_case_is_heard_inside_its_statutory_window_and_shows_on_the_docket,
    arbitrators_and_rooms_are_changed_and_a_room_with_hearings_stays_in_use,
    a_dry_run_returns_the_plan_and_stores_nothing,
    a_dry_run_is_saved_as_it_is_only_while_nothing_changed,
    a_recused_arbitrator_is_never_planned_and_leave_keeps_one_off,
    the_database_itself_refuses_a_second_hearing_in_a_held_slot,
    concurrent_planning_runs_never_double_book_a_room_or_an_arbitrator,
    bad_inputs_name_the_field_and_unknown_arbitrators_are_404,
);

async fn arbitrators_and_rooms_are_changed_and_a_room_with_hearings_stays_in_use(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let first = created(&t, &clerk, "/api/v1/rooms", json!({"name": "第一审理庭", "seats": 8})).await;
    let second = created(&t, &clerk, "/api/v1/rooms", json!({"name": "第二审理庭", "seats": 8})).await;
    let arb = created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "王仲裁", "presides": true})).await;
    let put = |path: String, body: Value| {
        let (t, clerk) = (&t, clerk.clone());
        async move { t.call("PUT", &path, Some(&clerk), Some(body)).await }
    };
    // Every field is named when missing; nothing changes.
    let empty = put(format!("/api/v1/arbitrators/{arb}"), json!({})).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields: Vec<&str> = empty.body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    fields.sort();
    assert_eq!(fields, ["active", "max_per_day", "name", "presides"], "{}", empty.text);
    let edit = json!({"name": "王立明", "presides": true, "max_per_day": 2, "active": true});
    assert_eq!(put(format!("/api/v1/arbitrators/{arb}"), edit.clone()).await.status, StatusCode::NO_CONTENT);
    assert_eq!(put("/api/v1/arbitrators/999".into(), edit).await.status, StatusCode::NOT_FOUND);
    let name: String = sqlx::query_scalar("SELECT name FROM arbitrators").fetch_one(&t.app.db.reader).await.unwrap();
    assert_eq!(name, "王立明");

    // A hearing in the first room keeps it in use; the second, empty, is taken out.
    let id = t.accepted_case(&clerk).await;
    let placed = put(
        format!("/api/v1/cases/{id}/hearing"),
        json!({"day": "2026-12-02", "start": "09:00", "room_id": first, "arbitrator_ids": [arb]}),
    )
    .await;
    assert_eq!(placed.status, StatusCode::OK, "{}", placed.text);
    let out = put(format!("/api/v1/rooms/{first}"), json!({"name": "第一审理庭", "seats": 8, "active": false})).await;
    assert_eq!(out.status, StatusCode::CONFLICT);
    assert!(out.text.contains("还有 1 场待开庭的庭审"), "{}", out.text);
    let taken = put(format!("/api/v1/rooms/{second}"), json!({"name": "第二审理庭", "seats": 8, "active": false})).await;
    assert_eq!(taken.status, StatusCode::NO_CONTENT, "{}", taken.text);
    let duplicate = put(format!("/api/v1/rooms/{second}"), json!({"name": "第一审理庭", "seats": 8, "active": false})).await;
    assert_eq!(duplicate.body["error"]["fields"][0]["field"], "name", "{}", duplicate.text);

    // Planning leaves the room out of use out, and a hearing cannot be placed in it by hand.
    let other = t.accepted_case(&clerk).await;
    let by_hand = put(
        format!("/api/v1/cases/{other}/hearing"),
        json!({"day": "2026-12-03", "start": "09:00", "room_id": second, "arbitrator_ids": [arb]}),
    )
    .await;
    assert!(by_hand.status.is_client_error(), "{} {}", by_hand.status, by_hand.text);
    let run = schedule(&t, &clerk, false).await;
    assert_eq!(run.status, StatusCode::OK, "{}", run.text);
    let planned = run.body["planned"].as_array().unwrap();
    assert_eq!(planned.len(), 1, "{}", run.text);
    assert_eq!(planned[0]["room_id"], first);
}
