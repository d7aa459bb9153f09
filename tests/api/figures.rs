//! The commission's figures on a small history built by hand, each answer worked out here from the
//! definitions; the exports; and the refusals of a bad period.

use crate::common::TestApp;
use axum::http::StatusCode;
use greenlane::app::accounts::Role;
use serde_json::{Value, json};

on_both_planning!(
    the_figures_of_a_hand_built_history_match_their_definitions,
    a_bad_period_or_track_is_refused_naming_the_field,
    withdrawals_and_court_outcomes_refuse_what_cannot_be_so,
);

/// Files a case on `filed`, accepts it the same day, and withdraws it on `withdrawn` (if any).
async fn withdrawn_case(t: &TestApp, filed: &str, withdrawn: Option<&str>) -> String {
    let day = t.on_day(filed);
    let clerk = day.token(Role::Clerk).await;
    let mut application = crate::common::application();
    application["employment"]["end"] = json!("2026-07-31");
    let filed_case = day.register(application).await;
    assert_eq!(filed_case.status, StatusCode::CREATED, "{}", filed_case.text);
    let id = filed_case.body["id"].as_str().unwrap().to_string();
    let a = day.call("POST", &format!("/api/v1/cases/{id}/accept"), Some(&clerk), Some(json!({"accepted_on": filed}))).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    if let Some(on) = withdrawn {
        let later = t.on_day(on);
        let clerk = later.token(Role::Clerk).await;
        let w = later.call("POST", &format!("/api/v1/cases/{id}/withdraw"), Some(&clerk), Some(json!({"reason": "双方已自行和解"}))).await;
        assert_eq!(w.status, StatusCode::OK, "{}", w.text);
        assert_eq!(w.body["closed_on"], on);
    }
    id
}

fn close_to(v: &Value, expected: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - expected).abs() < 1e-9)
}

async fn the_figures_of_a_hand_built_history_match_their_definitions(t: TestApp) {
    // G: accepted 08-01, withdrawn 09-15 — before the period, in the year.
    withdrawn_case(&t, "2026-08-01", Some("2026-09-15")).await;
    // A: accepted 09-02, withdrawn 10-10: 38 days, inside its limit (09-02 + 45 = 10-17).
    withdrawn_case(&t, "2026-09-02", Some("2026-10-10")).await;
    // B: accepted 09-01, withdrawn 10-20: 49 days, past its limit (09-01 + 45 = 10-16).
    let b = withdrawn_case(&t, "2026-09-01", Some("2026-10-20")).await;
    // C: accepted 10-12, withdrawn 10-14: 2 days.
    withdrawn_case(&t, "2026-10-12", Some("2026-10-14")).await;
    // E: accepted 11-16 (today), still open on 12-05 with its limit on 12-31: 26 days left.
    withdrawn_case(&t, "2026-11-16", None).await;
    // F: filed and refused: counted nowhere.
    let clerk = t.token(Role::Clerk).await;
    let f = t.filed_case().await;
    let r =
        t.call("POST", &format!("/api/v1/cases/{f}/reject"), Some(&clerk), Some(json!({"reason": "不属于劳动人事争议仲裁受理范围"}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // D: accepted 11-16, heard 12-02, final award 12-03: 17 days.
    let room =
        t.call("POST", "/api/v1/rooms", Some(&clerk), Some(json!({"name": "第一审理庭", "seats": 8}))).await.body["id"].as_i64().unwrap();
    let arb = t.call("POST", "/api/v1/arbitrators", Some(&clerk), Some(json!({"name": "王立明", "presides": true}))).await.body["id"]
        .as_i64()
        .unwrap();
    let d = t.accepted_case(&clerk).await;
    let placed = t
        .call(
            "PUT",
            &format!("/api/v1/cases/{d}/hearing"),
            Some(&clerk),
            Some(json!({"day": "2026-12-02", "start": "09:00", "room_id": room, "arbitrator_ids": [arb]})),
        )
        .await;
    assert_eq!(placed.status, StatusCode::OK, "{}", placed.text);
    let hearing = placed.body["hearing_id"].as_i64().unwrap();
    let (start, end) = (placed.body["start"].as_str().unwrap().to_string(), placed.body["end"].as_str().unwrap().to_string());
    let dec3 = t.on_day("2026-12-03");
    let judge = dec3.arbitrator_token(arb).await;
    let held = dec3
        .call(
            "POST",
            &format!("/api/v1/hearings/{hearing}/held"),
            Some(&judge),
            Some(json!({"held_on": "2026-12-02", "record": "双方到庭。"})),
        )
        .await;
    assert_eq!(held.status, StatusCode::OK, "{}", held.text);
    let award = json!({"findings": "被申请人未支付申请人2026年8月至9月工资8600元。", "reasoning": "用人单位应当及时足额支付劳动报酬。",
        "items": [{"claim": 0, "awarded": "8600.00", "text": "被申请人于本裁决生效之日起五日内支付申请人工资8600元"}]});
    let issued = dec3.call("POST", &format!("/api/v1/cases/{d}/award"), Some(&judge), Some(award)).await;
    assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.text);

    let dec5 = t.on_day("2026-12-05");
    let staff = dec5.token(Role::Clerk).await;
    let period = "/api/v1/stats?from=2026-10-01&to=2026-12-31";
    let s = dec5.call("GET", period, Some(&staff), None).await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.text);
    let s = s.body;
    // Accepted in the period: C, D, E. Open on 10-01: A and B. Closed in it: A, B, C, D. Open at
    // the end: E (6 accepted by 12-31, 5 of them closed).
    assert_eq!(
        (s["accepted"].as_i64(), s["pending_at_start"].as_i64(), s["closed"].as_i64(), s["pending"].as_i64()),
        (Some(3), Some(2), Some(4), Some(1))
    );
    assert!(close_to(&s["closure_rate"], 4.0 / (3.0 + 2.0)), "{}", s["closure_rate"]);
    // 2026 to 12-31: closed G, A, B, C, D of 6 accepted, none carried over from 2025.
    assert!(close_to(&s["cumulative_closure_rate"], 5.0 / 6.0));
    // B closed after its limit.
    assert!(close_to(&s["within_limit_rate"], 3.0 / 4.0));
    assert!(close_to(&s["withdrawal_rate"], 3.0 / 4.0));
    assert!(close_to(&s["mediation_rate"], 0.0));
    assert!(close_to(&s["final_award_rate"], 1.0));
    // D's award awaits the court outcome: only the three withdrawals ended at arbitration so far.
    assert!(close_to(&s["termination_rate"], 3.0 / 4.0));
    assert_eq!(s["awaiting_court_outcome"], 1);
    // Cycles 38, 49, 2, 17: mean 26.5, median (17 + 38) / 2.
    assert!(close_to(&s["cycle_days"]["green"]["mean"], 26.5), "{}", s["cycle_days"]);
    assert!(close_to(&s["cycle_days"]["green"]["median"], 27.5));
    assert!(close_to(&s["postponement_rate"], 0.0), "one hearing held, none postponed");
    // One hearing of (end − start) ÷ slot length, one arbitrator; working days in the period:
    // October 18 (1–7 off for National Day, Saturday 10 worked), November 21, December 23.
    let minutes = |hm: &str| hm[..2].parse::<i64>().unwrap() * 60 + hm[3..].parse::<i64>().unwrap();
    let slot = i64::from(t.app.config.hearings.slot_minutes);
    let booked = (minutes(&end) - minutes(&start)) / slot;
    let per_day: i64 = t.app.config.hearings.sessions.iter().map(|(_, n)| i64::from(*n)).sum();
    assert!(
        close_to(&s["arbitrator_utilisation"], booked as f64 / (62 * per_day) as f64),
        "{} vs {booked}/{}",
        s["arbitrator_utilisation"],
        62 * per_day
    );
    let risk: Vec<(String, i64)> = s["deadline_risk"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["bucket"].as_str().unwrap().to_string(), b["cases"].as_i64().unwrap()))
        .collect();
    assert!(risk.contains(&("within_30".to_string(), 1)), "{risk:?}");
    assert_eq!(risk.iter().map(|(_, n)| n).sum::<i64>(), 1);
    let months: Vec<(String, i64, i64)> = s["monthly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["month"].as_str().unwrap().into(), m["accepted"].as_i64().unwrap(), m["closed"].as_i64().unwrap()))
        .collect();
    assert_eq!(months, [("2026-10".into(), 1, 3), ("2026-11".into(), 2, 0), ("2026-12".into(), 0, 1)]);
    assert!(
        s["definitions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["field"] == "closure_rate" && d["formula"].as_str().unwrap().contains("期初未结数"))
    );

    // The court registers no suit: D's dispute ended at arbitration too.
    let liaison = dec5.token(Role::Liaison).await;
    let c = dec5.call("PUT", &format!("/api/v1/cases/{d}/court-outcome"), Some(&liaison), Some(json!({"court_outcome": "no_suit"}))).await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.text);
    let s = dec5.call("GET", period, Some(&staff), None).await.body;
    assert!(close_to(&s["termination_rate"], 1.0));
    assert_eq!(s["awaiting_court_outcome"], 0);

    // One track only: the same here, all cases being green; another track counts nothing.
    let ordinary = dec5.call("GET", &format!("{period}&track=ordinary"), Some(&staff), None).await.body;
    assert_eq!((ordinary["accepted"].as_i64(), ordinary["closed"].as_i64()), (Some(0), Some(0)));
    assert!(ordinary["closure_rate"].is_null(), "a rate over nothing is null, not 0");

    // The exports: UTF-8 with a byte-order mark, Chinese intact.
    let csv = dec5.call("GET", "/api/v1/stats.csv?from=2026-10-01&to=2026-12-31", Some(&staff), None).await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = csv.text.strip_prefix('\u{feff}').expect("a byte-order mark first");
    let mut rows = text.lines();
    let header = rows.next().unwrap();
    assert!(header.starts_with("范围,受理数,结案数,期初未结数,期末未结数,结案率") && header.ends_with("电子送达占比,统计期间,口径版本"));
    assert!(rows.next().unwrap().starts_with("全部程序,3,4,2,1,80.00%,83.33%,75.00%"), "rates as percentages: {text}");
    let width = header.split(',').count();
    assert!(rows.all(|r| r.split(',').count() == width), "one table, no stray rows: {text}");
    let list = dec5.call("GET", "/api/v1/cases.csv?status=closed", Some(&staff), None).await;
    let text = list.text.strip_prefix('\u{feff}').expect("a byte-order mark first");
    assert_eq!(text.lines().count(), 1 + 5, "{text}");
    assert!(
        text.contains(&format!("{b},")) && text.contains("张三") && text.contains("撤回申请,2026-10-20") && text.contains(",已结案,"),
        "{text}"
    );

    // The page shows every figure with its definition and the three charts.
    let page = dec5.page_as(Role::Admin, "/staff/stats?from=2026-10-01&to=2026-12-31").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let page = page.text;
    for text in [
        "结案率",
        "结案数 ÷ （受理数 + 期初未结数）",
        "法定审限内结案率",
        "id=\"chart-monthly\"",
        "id=\"chart-cycle\"",
        "id=\"chart-risk\"",
        "id=\"data-monthly\"",
        "id=\"data-cycle\"",
        "id=\"data-risk\"",
    ] {
        assert!(page.contains(text), "{text} missing");
    }
    assert_eq!(page.matches("<svg").count(), 3);
}

async fn a_bad_period_or_track_is_refused_naming_the_field(t: TestApp) {
    let staff = t.token(Role::Clerk).await;
    for (query, field, code) in [
        ("from=2026-10-01&to=2026-09-30", "to", "before_from"),
        ("track=fast", "track", "unknown_track"),
        ("from=2016-01-01&to=2026-01-01", "from", "too_long"),
        ("from=2026-13-01", "from", "format"),
    ] {
        let a = t.call("GET", &format!("/api/v1/stats?{query}"), Some(&staff), None).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {}", a.text);
        let f = &a.body["error"]["fields"][0];
        assert_eq!((f["field"].as_str(), f["code"].as_str()), (Some(field), Some(code)), "{query}: {}", a.text);
        assert!(!f["message"].as_str().unwrap().is_empty());
    }
    let just_ten = t.call("GET", "/api/v1/stats?from=2016-01-02&to=2026-01-01", Some(&staff), None).await;
    assert_eq!(just_ten.status, StatusCode::OK, "a day short of ten years is allowed: {}", just_ten.text);
    assert_eq!(t.call("GET", "/api/v1/stats", None, None).await.status, StatusCode::UNAUTHORIZED);
}

async fn withdrawals_and_court_outcomes_refuse_what_cannot_be_so(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let filed = t.filed_case().await;
    let w = t.call("POST", &format!("/api/v1/cases/{filed}/withdraw"), Some(&clerk), Some(json!({"reason": "和解"}))).await;
    assert_eq!(w.status, StatusCode::CONFLICT, "a case not yet accepted cannot be withdrawn: {}", w.text);
    let id = t.accepted_case(&clerk).await;
    let w = t.call("POST", &format!("/api/v1/cases/{id}/withdraw"), Some(&clerk), Some(json!({"withdrawn_on": "2026-11-30"}))).await;
    assert_eq!(w.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = w.body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["reason", "withdrawn_on"], "{}", w.text);
    let liaison = t.token(Role::Liaison).await;
    let w = t.call("POST", &format!("/api/v1/cases/{id}/withdraw"), Some(&liaison), Some(json!({"reason": "和解"}))).await;
    assert_eq!(w.status, StatusCode::FORBIDDEN, "liaison staff do not close cases");
    let c = t.call("PUT", &format!("/api/v1/cases/{id}/court-outcome"), Some(&liaison), Some(json!({"court_outcome": "appeal"}))).await;
    assert_eq!(c.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(c.body["error"]["fields"][0]["field"], "court_outcome");
    let c = t
        .call(
            "PUT",
            &format!("/api/v1/cases/{id}/court-outcome"),
            Some(&liaison),
            Some(json!({"court_outcome": "no_suit", "court_result": "upheld"})),
        )
        .await;
    assert_eq!(c.body["error"]["fields"][0]["code"], "not_applicable", "{}", c.text);
    let c = t.call("PUT", &format!("/api/v1/cases/{id}/court-outcome"), Some(&liaison), Some(json!({"court_outcome": "suit"}))).await;
    assert_eq!(c.status, StatusCode::CONFLICT, "a case not closed by award has no court outcome: {}", c.text);
    let c = t.call("PUT", &format!("/api/v1/cases/{id}/court-outcome"), Some(&clerk), Some(json!({"court_outcome": "suit"}))).await;
    assert_eq!(c.status, StatusCode::FORBIDDEN);
    let w = t.call("POST", &format!("/api/v1/cases/{id}/withdraw"), Some(&clerk), Some(json!({"reason": "双方已自行和解"}))).await;
    assert_eq!(w.status, StatusCode::OK, "{}", w.text);
    assert_eq!(w.body["within_limit"], true);
    let again = t.call("POST", &format!("/api/v1/cases/{id}/withdraw"), Some(&clerk), Some(json!({"reason": "双方已自行和解"}))).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}
