//! Accounts, acceptance and rejection: roles, case numbers, conflicts, the audit trail.

use crate::common::TestApp;
use axum::http::StatusCode;
use greenlane::app::accounts::Role;
use serde_json::json;
use std::collections::BTreeSet;

async fn login_with_a_wrong_password_is_401_and_listing_needs_a_token(t: TestApp) {
    t.token(Role::Clerk).await;
    let a = t.call("POST", "/api/v1/login", None, Some(json!({"username": "nobody", "password": "whatever1"}))).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let a = t.call("POST", "/api/v1/login", None, Some(json!({"username": ""}))).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(t.call("GET", "/api/v1/cases", None, None).await.status, StatusCode::UNAUTHORIZED);
    // Tokens are stored hashed.
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM auth_tokens").fetch_one(&t.app.db.reader).await.unwrap();
    assert_eq!(stored.len(), 64);
}

async fn accepting_allots_the_first_number_of_the_year_and_the_deadlines(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let id = t.filed_case().await;
    let a = t.call("POST", &format!("/api/v1/cases/{id}/accept"), Some(&clerk), None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(a.body["status"], "accepted");
    assert_eq!(a.body["case_no"], "中劳人仲案字〔2026〕第1号");
    assert_eq!(a.body["accepted_on"], crate::common::TODAY);
    // Accepted Monday 2026-11-16: 45 calendar days is Thursday 2026-12-31.
    assert_eq!(a.body["deadlines"]["award_due"], "2026-12-31");
    assert_eq!(a.body["deadlines"]["serve_by"], "2026-11-23");
    let actions: Vec<&str> = a.body["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, vec!["registered", "accepted"]);
    // The acceptance notice to the applicant and the notice to answer to the respondent follow
    // from the outbox.
    assert_eq!(t.document_kinds(&clerk, &id).await, ["acceptance_notice", "respondent_notice"]);

    let second = t.filed_case().await;
    let b =
        t.call("POST", &format!("/api/v1/cases/{second}/accept"), Some(&clerk), Some(json!({"accepted_on": crate::common::TODAY}))).await;
    assert_eq!(b.body["case_no"], "中劳人仲案字〔2026〕第2号");
}

async fn accepting_twice_or_rejecting_an_accepted_case_is_409(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let id = t.filed_case().await;
    assert_eq!(t.call("POST", &format!("/api/v1/cases/{id}/accept"), Some(&clerk), None).await.status, StatusCode::OK);
    let again = t.call("POST", &format!("/api/v1/cases/{id}/accept"), Some(&clerk), None).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.body["error"]["code"], "conflict");
    assert!(again.body["error"]["message"].as_str().unwrap().contains("第1号"));
    let reject = t.call("POST", &format!("/api/v1/cases/{id}/reject"), Some(&clerk), Some(json!({"reason": "不属于受理范围"}))).await;
    assert_eq!(reject.status, StatusCode::CONFLICT);
    assert_eq!(t.count("case_counters").await, 1);
    let seq: i64 = sqlx::query_scalar("SELECT last_seq FROM case_counters").fetch_one(&t.app.db.reader).await.unwrap();
    assert_eq!(seq, 1, "a refused second acceptance takes no number");
}

async fn only_a_clerk_may_accept_and_unknown_cases_are_404(t: TestApp) {
    let liaison = t.token(Role::Liaison).await;
    let id = t.filed_case().await;
    let a = t.call("POST", &format!("/api/v1/cases/{id}/accept"), Some(&liaison), None).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.body["error"]["code"], "forbidden");
    assert_eq!(t.call("POST", &format!("/api/v1/cases/{id}/accept"), None, None).await.status, StatusCode::UNAUTHORIZED);
    let clerk = t.token(Role::Clerk).await;
    let a = t.call("POST", "/api/v1/cases/NOSUCHCASE/accept", Some(&clerk), None).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(t.call("GET", "/api/v1/cases/NOSUCHCASE", Some(&clerk), None).await.status, StatusCode::NOT_FOUND);
}

async fn the_acceptance_date_may_be_recorded_but_not_in_the_future_or_before_filing(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let id = t.filed_case().await;
    let url = format!("/api/v1/cases/{id}/accept");
    let a = t.call("POST", &url, Some(&clerk), Some(json!({"accepted_on": "2026-11-17"}))).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.body["error"]["fields"][0]["code"], "future_date");
    let a = t.call("POST", &url, Some(&clerk), Some(json!({"accepted_on": "2026-11-13"}))).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.body["error"]["fields"][0]["code"], "before_filing");
    let a = t.call("POST", &url, Some(&clerk), Some(json!({"accepted_on": "16/11/2026"}))).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(t.count("case_counters").await, 0, "nothing half-written");
    let c = t.call("GET", &format!("/api/v1/cases/{id}"), Some(&clerk), None).await;
    assert_eq!(c.body["status"], "filed");
}

async fn rejection_needs_a_reason_and_ends_the_case(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let id = t.filed_case().await;
    let a = t.call("POST", &format!("/api/v1/cases/{id}/reject"), Some(&clerk), Some(json!({"reason": "  "}))).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.body["error"]["fields"][0]["field"], "reason");
    let a = t.call("POST", &format!("/api/v1/cases/{id}/reject"), Some(&clerk), Some(json!({"reason": "不属于劳动争议"}))).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(a.body["status"], "rejected");
    assert_eq!(a.body["case_no"], serde_json::Value::Null);
    let again = t.call("POST", &format!("/api/v1/cases/{id}/accept"), Some(&clerk), None).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

async fn a_refusal_names_its_grounds_and_articles_under_a_number_of_its_own(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let id = t.filed_case().await;
    let url = format!("/api/v1/cases/{id}/reject");
    // An unknown ground, the limitation period (not offered by default: rules.md §1.1) and a
    // competent commission without the jurisdiction ground are each named; nothing is stored.
    let bad = t
        .call("POST", &url, Some(&clerk), Some(json!({"grounds": ["no_such", "time_barred"], "competent": "江门市劳动人事争议仲裁委员会"})))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    let fields: Vec<(&str, &str)> = bad.body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert_eq!(fields, [("grounds[0]", "unknown_ground"), ("grounds[1]", "unknown_ground"), ("competent", "not_allowed")]);
    let seen = t.call("GET", &format!("/api/v1/cases/{id}"), Some(&clerk), None).await.body;
    assert_eq!(seen["status"], "filed", "nothing refused leaves a trace");
    assert_eq!(t.drain_jobs().await, 0);

    let ok = t
        .call(
            "POST",
            &url,
            Some(&clerk),
            Some(json!({"grounds": ["no_jurisdiction"], "reason": "用人单位住所地及劳动合同履行地均在江门市，", "competent": "江门市劳动人事争议仲裁委员会"})),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    assert_eq!(t.drain_jobs().await, 1);
    let docs = t.call("GET", &format!("/api/v1/cases/{id}/documents"), Some(&clerk), None).await.body;
    assert_eq!(docs[0]["kind"], "rejection_notice");
    assert_eq!(docs[0]["case_no"], "中劳人仲不字〔2026〕第1号", "{docs}");
    let pdf = crate::documents::body_bytes(&t, &clerk, &format!("/api/v1/documents/{}", docs[0]["id"])).await;
    let text = crate::documents::flat(&crate::documents::tool("pdftotext", &["-enc", "UTF-8"], &pdf));
    for expected in [
        "中劳人仲不字〔2026〕第1号",
        "经审查，本案不属于本委管辖。用人单位住所地及劳动合同履行地均在江门市。",
        "根据《中华人民共和国劳动争议调解仲裁法》第二十九条、《中华人民共和国劳动争议调解仲裁法》第二十一条",
        "你可以向江门市劳动人事争议仲裁委员会申请仲裁。",
    ] {
        assert!(text.contains(expected), "missing {expected} in {text}");
    }
    assert!(!text.contains("你（们）"), "{text}");
}

async fn a_clerk_may_override_the_track_with_a_reason_kept_in_the_audit_trail(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let id = t.filed_case().await;
    let url = format!("/api/v1/cases/{id}/track");
    let bad = t.call("POST", &url, Some(&clerk), Some(json!({"track": "fast", "reason": ""}))).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["error"]["fields"].as_array().unwrap().len(), 2);
    let a = t.call("POST", &url, Some(&clerk), Some(json!({"track": "ordinary", "reason": "需公告送达"}))).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(a.body["track"], "ordinary");
    assert_eq!(a.body["routing"]["track"], "green", "the routed decision is kept");
    assert_eq!(a.body["routing"]["override"]["reason"], "需公告送达");
    let last = a.body["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "track_overridden");
    assert_eq!(last["before_state"], "green");
    assert_eq!(last["after_state"], "ordinary");
}

async fn clerks_accepting_many_cases_at_once_never_share_a_case_number(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let mut ids = Vec::new();
    for _ in 0..24 {
        ids.push(t.filed_case().await);
    }
    let mut tasks = Vec::new();
    for id in ids {
        let (router, clerk) = (t.router.clone(), clerk.clone());
        tasks.push(tokio::spawn(async move { accept(router, &clerk, &id).await }));
    }
    let mut numbers = BTreeSet::new();
    for task in tasks {
        let (status, body) = task.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{body}");
        numbers.insert(body["case_no"].as_str().unwrap().to_string());
    }
    let expected: BTreeSet<String> = (1..=24).map(|n| format!("中劳人仲案字〔2026〕第{n}号")).collect();
    assert_eq!(numbers, expected);
}

async fn clerks_accepting_one_case_at_once_get_one_success_and_conflicts(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let id = t.filed_case().await;
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (router, clerk, id) = (t.router.clone(), clerk.clone(), id.clone());
        tasks.push(tokio::spawn(async move { accept(router, &clerk, &id).await.0 }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count(), 7, "{statuses:?}");
    let seq: i64 = sqlx::query_scalar("SELECT last_seq FROM case_counters").fetch_one(&t.app.db.reader).await.unwrap();
    assert_eq!(seq, 1);
}

async fn the_database_itself_refuses_a_duplicate_case_number(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let (a, b) = (t.filed_case().await, t.filed_case().await);
    assert_eq!(t.call("POST", &format!("/api/v1/cases/{a}/accept"), Some(&clerk), None).await.status, StatusCode::OK);
    // Bypass the use case: write the same number onto another case directly.
    let r = sqlx::query(
        "UPDATE cases SET status = 'accepted', accepted_on = '2026-11-16', case_year = 2026, case_seq = 1, \
         case_no = '中劳人仲案字〔2026〕第1号' WHERE id = $1",
    )
    .bind(&b)
    .execute(&t.app.db.writer)
    .await;
    assert!(greenlane::store::is_unique_violation(&r.unwrap_err()));
}

async fn the_audit_trail_is_append_only(t: TestApp) {
    t.filed_case().await;
    let r = sqlx::query("UPDATE case_events SET actor = 'someone else'").execute(&t.app.db.writer).await;
    assert!(r.is_err(), "update refused");
    let r = sqlx::query("DELETE FROM case_events").execute(&t.app.db.writer).await;
    assert!(r.is_err(), "delete refused");
    assert_eq!(t.count("case_events").await, 1);
}

async fn the_list_filters_by_status_track_and_name_and_names_bad_parameters(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let id = t.filed_case().await;
    t.filed_case().await;
    t.call("POST", &format!("/api/v1/cases/{id}/accept"), Some(&clerk), None).await;
    let a = t.call("GET", "/api/v1/cases?status=filed", Some(&clerk), None).await;
    assert_eq!(a.body["total"], 1, "{}", a.text);
    assert_eq!(a.body["items"][0]["working_days_left"], 5);
    let a = t.call("GET", "/api/v1/cases?q=%E5%BC%A0%E4%B8%89", Some(&clerk), None).await;
    assert_eq!(a.body["total"], 2, "{}", a.text);
    let a = t.call("GET", "/api/v1/cases?q=%E7%AC%AC1%E5%8F%B7", Some(&clerk), None).await;
    assert_eq!(a.body["total"], 1, "by case number: {}", a.text);
    let a = t.call("GET", "/api/v1/cases?status=lost&track=fast&from=2026-11-20&to=2026-11-01&page=0", Some(&clerk), None).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = a.body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["status", "track", "to", "page"]);
}

async fn an_account_with_a_bad_name_or_short_password_or_a_taken_name_is_refused(t: TestApp) {
    use greenlane::app::{AppError, accounts::add_user};
    match add_user(&t.app, "Clerk One", Role::Clerk, "short", Some(1)).await {
        Err(AppError::Validation(f)) => {
            let fields: Vec<&str> = f.iter().map(|e| e.field.as_str()).collect();
            assert_eq!(fields, vec!["username", "password", "arbitrator"]);
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    add_user(&t.app, "clerk.one", Role::Clerk, crate::common::PASSWORD, None).await.unwrap();
    assert!(matches!(add_user(&t.app, "clerk.one", Role::Liaison, crate::common::PASSWORD, None).await, Err(AppError::Conflict(_))));
    assert!(matches!(add_user(&t.app, "arb", Role::Arbitrator, crate::common::PASSWORD, Some(999)).await, Err(AppError::Validation(_))));
    assert_eq!(t.count("users").await, 1);
}

async fn accept(router: axum::Router, token: &str, id: &str) -> (StatusCode, serde_json::Value) {
    use tower::ServiceExt;
    let req = axum::http::Request::post(format!("/api/v1/cases/{id}/accept"))
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let res = router.oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = http_body_util::BodyExt::collect(res.into_body()).await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or_default())
}

on_both_backends!(
    login_with_a_wrong_password_is_401_and_listing_needs_a_token,
    accepting_allots_the_first_number_of_the_year_and_the_deadlines,
    accepting_twice_or_rejecting_an_accepted_case_is_409,
    only_a_clerk_may_accept_and_unknown_cases_are_404,
    the_acceptance_date_may_be_recorded_but_not_in_the_future_or_before_filing,
    rejection_needs_a_reason_and_ends_the_case,
    a_refusal_names_its_grounds_and_articles_under_a_number_of_its_own,
    a_clerk_may_override_the_track_with_a_reason_kept_in_the_audit_trail,
    clerks_accepting_many_cases_at_once_never_share_a_case_number,
    clerks_accepting_one_case_at_once_get_one_success_and_conflicts,
    the_database_itself_refuses_a_duplicate_case_number,
    the_audit_trail_is_append_only,
    the_list_filters_by_status_track_and_name_and_names_bad_parameters,
    an_account_with_a_bad_name_or_short_password_or_a_taken_name_is_refused,
);
