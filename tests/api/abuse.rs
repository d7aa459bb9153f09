//! Hostile clients: password and access-code guessing held back, and the public allowance shared
//! by every instance — on SQLite and on PostgreSQL.

use crate::common::{PASSWORD, TestApp, application};
use axum::http::StatusCode;
use greenlane::app::accounts::{Role, add_user};
use serde_json::json;

on_both_backends!(
    wrong_passwords_hold_the_account_back_with_429_and_retry_after,
    an_unknown_case_and_a_wrong_access_code_get_one_answer_and_guessing_is_held_back,
);

async fn wrong_passwords_hold_the_account_back_with_429_and_retry_after(t: TestApp) {
    add_user(&t.app, "clerk1", Role::Clerk, PASSWORD, None).await.unwrap();
    let login = |password: &'static str| {
        let t = &t;
        async move { t.call("POST", "/api/v1/login", None, Some(json!({"username": "clerk1", "password": password}))).await }
    };
    for _ in 0..5 {
        assert_eq!(login("wrong-password").await.status, StatusCode::UNAUTHORIZED);
    }
    // The sixth attempt waits, even with the right password, and says how long.
    let held = login(PASSWORD).await;
    assert_eq!(held.status, StatusCode::TOO_MANY_REQUESTS, "{}", held.text);
    assert_eq!(held.body["error"]["code"], "rate_limited");
    let wait: u64 = held.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&wait), "{wait}");
    assert_eq!(t.count("auth_tokens").await, 0, "a held-back login issues nothing");
    // Once the wait is over the right password gets in, and the account's run starts again.
    tokio::time::sleep(std::time::Duration::from_millis(wait * 1000 + 50)).await;
    assert_eq!(login(PASSWORD).await.status, StatusCode::OK);
    assert_eq!(login("wrong-password").await.status, StatusCode::UNAUTHORIZED);
}

async fn an_unknown_case_and_a_wrong_access_code_get_one_answer_and_guessing_is_held_back(t: TestApp) {
    let a = t.register(application()).await;
    let (id, code) = (a.body["id"].as_str().unwrap().to_string(), a.body["access_code"].as_str().unwrap().to_string());
    let look = |case: String, code: &'static str| {
        let t = &t;
        async move {
            let req =
                axum::http::Request::get(format!("/api/v1/cases/{case}")).header("x-access-code", code).body(axum::body::Body::empty());
            t.request(req.unwrap()).await
        }
    };
    let unknown = look("ZZZZZZZZZZ".into(), "ABCD-EFGH-JKLM").await;
    let wrong = look(id.clone(), "ABCD-EFGH-JKLM").await;
    assert_eq!((unknown.status, wrong.status), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
    assert_eq!(unknown.body["error"]["message"], wrong.body["error"]["message"], "one answer for both");
    for _ in 0..4 {
        assert_eq!(look(id.clone(), "ABCD-EFGH-JKLM").await.status, StatusCode::NOT_FOUND);
    }
    // Five wrong codes for the case: the next lookup of it waits, the right code included.
    let code: &'static str = Box::leak(code.into_boxed_str());
    let held = look(id.clone(), code).await;
    assert_eq!(held.status, StatusCode::TOO_MANY_REQUESTS, "{}", held.text);
    assert!(held.headers.contains_key("retry-after"));
}

/// Three instances on one PostgreSQL: an address's registrations per minute are counted once.
#[tokio::test]
async fn three_instances_share_one_registration_allowance() {
    let a = TestApp::postgres_with(|c| c.rate_limit_per_minute = 6).await;
    let (b, c) = (a.another_instance().await, a.another_instance().await);
    let mut created = 0;
    let mut refused = 0;
    for _ in 0..3 {
        for t in [&a, &b, &c] {
            match t.register(application()).await.status {
                StatusCode::CREATED => created += 1,
                StatusCode::TOO_MANY_REQUESTS => refused += 1,
                s => panic!("unexpected {s}"),
            }
        }
    }
    assert_eq!((created, refused), (6, 3), "6 a minute in all, not 6 per instance");
    assert_eq!(a.count("cases").await, 6);
}
