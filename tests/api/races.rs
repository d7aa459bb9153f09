//! Writers at the same moment: the database, not the snapshot a request read, holds an
//! arbitrator to the daily limit and off the days of leave — on SQLite and on PostgreSQL.

use crate::common::{Answer, TestApp};
use axum::http::StatusCode;
use greenlane::app::accounts::Role;
use serde_json::{Value, json};

on_both_planning!(
    fifty_concurrent_placement_pairs_never_put_an_arbitrator_over_the_daily_limit,
    a_placement_racing_a_leave_is_refused_or_listed_as_affected,
    a_booked_day_over_a_lowered_limit_does_not_stop_planning_and_is_listed,
);

const DAY: &str = "2026-12-02";

async fn created(t: &TestApp, token: &str, path: &str, body: Value) -> i64 {
    let a = t.call("POST", path, Some(token), Some(body)).await;
    assert_eq!(a.status, StatusCode::CREATED, "{path}: {}", a.text);
    a.body["id"].as_i64().unwrap()
}

async fn place(t: &TestApp, clerk: &str, case: &str, start: &str, room: i64, arbitrator: i64) -> Answer {
    let body = json!({"day": DAY, "start": start, "room_id": room, "arbitrator_ids": [arbitrator]});
    t.call("PUT", &format!("/api/v1/cases/{case}/hearing"), Some(clerk), Some(body)).await
}

/// Planned hearings per (arbitrator, day), as stored.
async fn per_arbitrator_day(t: &TestApp) -> Vec<(i64, String, i64)> {
    sqlx::query_as(
        "SELECT ha.arbitrator_id, h.day, COUNT(*) FROM hearings h JOIN hearing_arbitrators ha ON ha.hearing_id = h.id \
         WHERE h.status = 'planned' GROUP BY ha.arbitrator_id, h.day",
    )
    .fetch_all(&t.app.db.reader)
    .await
    .unwrap()
}

async fn fifty_concurrent_placement_pairs_never_put_an_arbitrator_over_the_daily_limit(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let mut pairs = Vec::new();
    for i in 0..50 {
        let room = created(&t, &clerk, "/api/v1/rooms", json!({"name": format!("第{i}仲裁庭"), "seats": 8})).await;
        let arb =
            created(&t, &clerk, "/api/v1/arbitrators", json!({"name": format!("仲裁员{i}"), "presides": true, "max_per_day": 1})).await;
        pairs.push((room, arb, t.accepted_case(&clerk).await, t.accepted_case(&clerk).await));
    }
    // Both of each pair at once: the same arbitrator, the same day, a limit of one.
    let answers = futures_util::future::join_all(pairs.iter().flat_map(|(room, arb, c1, c2)| {
        [
            Box::pin(place(&t, &clerk, c1, "09:00", *room, *arb)) as std::pin::Pin<Box<dyn Future<Output = Answer> + Send>>,
            Box::pin(place(&t, &clerk, c2, "14:00", *room, *arb)),
        ]
    }))
    .await;
    for a in &answers {
        assert!([StatusCode::OK, StatusCode::CONFLICT, StatusCode::UNPROCESSABLE_ENTITY].contains(&a.status), "{}", a.text);
    }
    let won = answers.iter().filter(|a| a.status == StatusCode::OK).count();
    assert!(won >= 50, "each pair places one of its two: {won}");
    let over: Vec<_> = per_arbitrator_day(&t).await.into_iter().filter(|(_, _, n)| *n > 1).collect();
    assert!(over.is_empty(), "arbitrators over a limit of one: {over:?}");
    assert_eq!(t.count("hearings").await, won as i64, "a refused placement leaves no hearing behind");
    // Planning for everyone still runs.
    let run = t.call("POST", "/api/v1/schedule", Some(&clerk), Some(json!({"dry_run": true}))).await;
    assert_eq!(run.status, StatusCode::OK, "{}", run.text);
    assert_eq!(run.body["conflicts"], json!([]));
}

async fn a_placement_racing_a_leave_is_refused_or_listed_as_affected(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let mut pairs = Vec::new();
    for i in 0..10 {
        let room = created(&t, &clerk, "/api/v1/rooms", json!({"name": format!("第{i}仲裁庭"), "seats": 8})).await;
        let arb = created(&t, &clerk, "/api/v1/arbitrators", json!({"name": format!("仲裁员{i}"), "presides": true})).await;
        pairs.push((room, arb, t.accepted_case(&clerk).await));
    }
    let leave = |arb: i64| {
        let body = json!({"from": DAY, "to": DAY, "reason": "病假"});
        let (t, clerk) = (&t, &clerk);
        async move { t.call("POST", &format!("/api/v1/arbitrators/{arb}/leave"), Some(clerk), Some(body)).await }
    };
    let answers = futures_util::future::join_all(pairs.iter().map(|(room, arb, case)| {
        let (t, clerk) = (&t, &clerk);
        async move { tokio::join!(place(t, clerk, case, "09:00", *room, *arb), leave(*arb)) }
    }))
    .await;
    for (placed, leave) in &answers {
        assert_eq!(leave.status, StatusCode::CREATED, "{}", leave.text);
        match placed.status {
            StatusCode::OK => {
                let id = placed.body["hearing_id"].clone();
                assert!(
                    leave.body["affected_hearing_ids"].as_array().unwrap().contains(&id),
                    "a hearing placed on the leave day is listed by the leave: {}",
                    leave.text
                );
            }
            s => assert!([StatusCode::CONFLICT, StatusCode::UNPROCESSABLE_ENTITY].contains(&s), "{}", placed.text),
        }
    }
}

async fn a_booked_day_over_a_lowered_limit_does_not_stop_planning_and_is_listed(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let room = created(&t, &clerk, "/api/v1/rooms", json!({"name": "第一审理庭", "seats": 8})).await;
    let arb = created(&t, &clerk, "/api/v1/arbitrators", json!({"name": "王仲裁", "presides": true, "max_per_day": 2})).await;
    let (c1, c2) = (t.accepted_case(&clerk).await, t.accepted_case(&clerk).await);
    assert_eq!(place(&t, &clerk, &c1, "09:00", room, arb).await.status, StatusCode::OK);
    let second = place(&t, &clerk, &c2, "14:00", room, arb).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.text);
    // The limit is lowered under the booked day, as an older release allowed.
    sqlx::query("UPDATE arbitrators SET max_per_day = 1 WHERE id = $1").bind(arb).execute(&t.app.db.writer).await.unwrap();
    let waiting = t.accepted_case(&clerk).await;
    let run = t.call("POST", "/api/v1/schedule", Some(&clerk), Some(json!({}))).await;
    assert_eq!(run.status, StatusCode::OK, "one bad day does not stop planning: {}", run.text);
    assert_eq!(run.body["planned"][0]["case_id"], waiting.as_str());
    assert_ne!(run.body["planned"][0]["day"], DAY, "the day over its limit takes no more");
    let conflicts = run.body["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0]["hearing_id"], second.body["hearing_id"]);
    assert_eq!(conflicts[0]["code"], "over_daily_limit");
    // A placement onto that day is refused by the rule, naming it.
    let third = t.accepted_case(&clerk).await;
    let refused = place(&t, &clerk, &third, "11:00", room, arb).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.text);
    assert!(refused.text.contains("daily_limit_reached"), "{}", refused.text);
}
