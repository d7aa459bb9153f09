//! Staff accounts: logout, a disabled account and a new password end every session at once, and
//! cookies are `Secure` behind an https address — on SQLite and on PostgreSQL.

use crate::common::{PASSWORD, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use greenlane::app::accounts::{self, Role, add_user};
use serde_json::json;

on_both_backends!(
    logout_revokes_the_token_at_once,
    a_disabled_account_loses_its_tokens_and_cannot_sign_in,
    a_new_password_ends_every_session_and_the_old_one_no_longer_works,
);

async fn sign_in(t: &TestApp, name: &str, password: &str) -> crate::common::Answer {
    t.call("POST", "/api/v1/login", None, Some(json!({"username": name, "password": password}))).await
}

async fn token_of(t: &TestApp, name: &str) -> String {
    let a = sign_in(t, name, PASSWORD).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    a.body["token"].as_str().unwrap().to_string()
}

async fn may_list(t: &TestApp, token: &str) -> StatusCode {
    t.call("GET", "/api/v1/cases", Some(token), None).await.status
}

async fn logout_revokes_the_token_at_once(t: TestApp) {
    add_user(&t.app, "clerk1", Role::Clerk, PASSWORD, None).await.unwrap();
    let token = token_of(&t, "clerk1").await;
    assert_eq!(may_list(&t, &token).await, StatusCode::OK);
    assert_eq!(t.call("POST", "/api/v1/logout", Some(&token), None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(may_list(&t, &token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(t.call("POST", "/api/v1/logout", Some(&token), None).await.status, StatusCode::UNAUTHORIZED);
}

async fn a_disabled_account_loses_its_tokens_and_cannot_sign_in(t: TestApp) {
    add_user(&t.app, "clerk1", Role::Clerk, PASSWORD, None).await.unwrap();
    let token = token_of(&t, "clerk1").await;
    accounts::disable(&t.app, "clerk1").await.unwrap();
    assert_eq!(may_list(&t, &token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(sign_in(&t, "clerk1", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    let listed = accounts::list(&t.app).await.unwrap();
    assert!(listed.iter().any(|a| a.username == "clerk1" && !a.active));
    assert!(matches!(accounts::disable(&t.app, "nobody").await, Err(greenlane::app::AppError::NotFound(_))));
}

async fn a_new_password_ends_every_session_and_the_old_one_no_longer_works(t: TestApp) {
    add_user(&t.app, "clerk1", Role::Clerk, PASSWORD, None).await.unwrap();
    let token = token_of(&t, "clerk1").await;
    assert!(accounts::set_password(&t.app, "clerk1", "short").await.is_err(), "too short");
    accounts::set_password(&t.app, "clerk1", "another-password-2").await.unwrap();
    assert_eq!(may_list(&t, &token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(sign_in(&t, "clerk1", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(sign_in(&t, "clerk1", "another-password-2").await.status, StatusCode::OK);
}

#[tokio::test]
async fn cookies_are_secure_only_when_the_public_address_is_https() {
    for (url, secure) in [("https://arb.example.gov.cn", true), ("http://localhost:8080", false)] {
        let t = TestApp::sqlite_with(|c| c.public_url = Some(url.into())).await;
        let a = t.request(Request::get("/login").body(Body::empty()).unwrap()).await;
        let cookies: Vec<&str> = a.headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap()).collect();
        assert!(!cookies.is_empty());
        for c in cookies {
            assert_eq!(c.contains("; Secure"), secure, "{url}: {c}");
        }
    }
}

/// `sslmode=require` in the database URL is honoured: the service's connections to PostgreSQL are
/// encrypted (the test cluster of scripts/pg.sh serves TLS).
#[tokio::test]
async fn postgres_connections_honour_sslmode_require() {
    let t = TestApp::postgres_with(|c| c.database_url.push_str("?sslmode=require")).await;
    let ssl: bool =
        sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetch_one(&t.app.db.reader).await.unwrap();
    assert!(ssl, "the connection is encrypted");
}
