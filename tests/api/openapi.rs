//! The OpenAPI document as a snapshot: a change to a path, a field, a status or a schema shows up
//! as a diff of `tests/api/openapi.snapshot.json` in review. `GREENLANE_UPDATE_SNAPSHOT=1`
//! rewrites the file after an intended change.

use crate::common::TestApp;
use axum::http::StatusCode;

#[tokio::test]
async fn the_openapi_document_matches_its_snapshot() {
    let t = TestApp::sqlite().await;
    let a = t.call("GET", "/api/openapi.json", None, None).await;
    assert_eq!(a.status, StatusCode::OK);
    let now = serde_json::to_string_pretty(&a.body).unwrap() + "\n";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api/openapi.snapshot.json");
    if std::env::var_os("GREENLANE_UPDATE_SNAPSHOT").is_some() {
        std::fs::write(path, &now).unwrap();
    }
    let kept = std::fs::read_to_string(path).expect("the snapshot exists (GREENLANE_UPDATE_SNAPSHOT=1 writes it)");
    assert!(kept == now, "the OpenAPI document changed; review the diff and run with GREENLANE_UPDATE_SNAPSHOT=1 to accept it");
    // Every operation says what its errors look like.
    for (path, item) in a.body["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if path != "/healthz" && path != "/api/openapi.json" {
                for code in ["400", "422", "500", "503"] {
                    assert!(op["responses"].get(code).is_some(), "{method} {path} documents {code}");
                }
            }
        }
    }
}
