//! Secrets at rest: a read of the database opens no case and no calendar — on SQLite and on
//! PostgreSQL.

use crate::common::{TestApp, application};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use greenlane::app::accounts::Role;
use serde_json::json;

on_both_backends!(
    the_idempotency_table_keeps_neither_the_key_nor_the_access_code_in_clear,
    feed_tokens_are_kept_as_digests_and_addresses_given_out_before_keep_working,
);

async fn the_idempotency_table_keeps_neither_the_key_nor_the_access_code_in_clear(t: TestApp) {
    let send = || {
        Request::post("/api/v1/cases")
            .header("content-type", "application/json")
            .header("idempotency-key", "kiosk-7-0001")
            .body(Body::from(application().to_string()))
            .unwrap()
    };
    let first = t.request(send()).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let code = first.body["access_code"].as_str().unwrap().to_string();
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT key, response FROM idempotency_keys").fetch_all(&t.app.db.reader).await.unwrap();
    assert_eq!(rows.len(), 1);
    let (key, response) = &rows[0];
    assert!(!key.contains("kiosk"), "the key is kept as a digest: {key}");
    assert!(!response.contains(&code) && !response.contains(&code.replace('-', "")), "the code is sealed: {response}");
    // The retry still gets the code back, unsealed with the key only the client holds.
    let again = t.request(send()).await;
    assert_eq!(again.body["access_code"], code.as_str());
}

async fn feed_tokens_are_kept_as_digests_and_addresses_given_out_before_keep_working(t: TestApp) {
    let clerk = t.token(Role::Clerk).await;
    let made = t.call("POST", "/api/v1/arbitrators", Some(&clerk), Some(json!({"name": "王仲裁", "presides": true}))).await;
    let (id, url) = (made.body["id"].as_i64().unwrap(), made.body["calendar_url"].as_str().unwrap().to_string());
    let token = url.split_once("token=").unwrap().1.to_string();
    let stored: (Option<String>, Option<String>) = sqlx::query_as("SELECT calendar_token, calendar_digest FROM arbitrators WHERE id = $1")
        .bind(id)
        .fetch_one(&t.app.db.reader)
        .await
        .unwrap();
    assert_eq!(stored.0, None);
    assert!(stored.1.as_deref().is_some_and(|d| d != token), "{stored:?}");
    assert_eq!(t.call("GET", &url, None, None).await.status, StatusCode::OK);

    // A token an older release kept in clear: the next start digests it, and its address still works.
    let old = "a".repeat(64);
    sqlx::query("UPDATE arbitrators SET calendar_token = $1, calendar_digest = NULL WHERE id = $2")
        .bind(&old)
        .bind(id)
        .execute(&t.app.db.writer)
        .await
        .unwrap();
    let restarted = t.another_instance().await;
    let clear: Option<String> =
        sqlx::query_scalar("SELECT calendar_token FROM arbitrators WHERE id = $1").bind(id).fetch_one(&t.app.db.reader).await.unwrap();
    assert_eq!(clear, None);
    let feed = restarted.call("GET", &format!("/api/v1/arbitrators/{id}/calendar.ics?token={old}"), None, None).await;
    assert_eq!(feed.status, StatusCode::OK, "{}", feed.text);
    assert_eq!(restarted.call("GET", &url, None, None).await.status, StatusCode::NOT_FOUND, "one token at a time");
}
