//! The role × endpoint matrix of the README, walked cell by cell: every row of the table
//! "谁能做什么" is sent by every role, and a refused cell must answer 401 or 403 while an allowed
//! one must not — on SQLite and on PostgreSQL.

use crate::common::{PASSWORD, TestApp, application};
use crate::documents::{award_body, heard_case};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use greenlane::app::accounts::{Role, add_user};
use serde_json::{Value, json};

on_both_backends!(every_cell_of_the_readme_role_matrix_holds, every_staff_read_of_a_case_is_in_the_access_log);

/// The columns of the table, in order.
const COLUMNS: [&str; 7] = ["anonymous", "clerk", "arbitrator (own)", "arbitrator (other)", "liaison", "admin", "director"];

/// One row of the README's matrix: method, path with placeholders, and a mark per column.
struct Row {
    method: String,
    path: String,
    allowed: Vec<bool>,
}

fn readme_matrix() -> Vec<Row> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme.split("<!-- role-matrix -->").nth(1).expect("the README has a role matrix");
    let section = section.split("<!-- /role-matrix -->").next().unwrap();
    section
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            let (method, path) = cells[0].trim_matches('`').split_once(' ').expect("METHOD path");
            let allowed = cells[1..=COLUMNS.len()].iter().map(|c| *c == "✓").collect();
            Row { method: method.to_string(), path: path.to_string(), allowed }
        })
        .collect()
}

async fn every_cell_of_the_readme_role_matrix_holds(t: TestApp) {
    let rows = readme_matrix();
    assert!(rows.len() >= 40, "the matrix lists every endpoint: {}", rows.len());
    let (case, own, later, arb) = heard_case(&t).await;
    let issued = later.call("POST", &format!("/api/v1/cases/{case}/award"), Some(&own), Some(award_body())).await;
    assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.text);
    let document = issued.body["documents"][0]["id"].as_i64().unwrap();
    let clerk = later.token(Role::Clerk).await;
    let other_arb = later.call("POST", "/api/v1/arbitrators", Some(&clerk), Some(json!({"name": "李仲裁", "presides": true}))).await;
    let other = later.arbitrator_token(other_arb.body["id"].as_i64().unwrap()).await;
    let room = later.call("POST", "/api/v1/rooms", Some(&clerk), Some(json!({"name": "第二审理庭", "seats": 8}))).await;
    let (room_id, room_feed) = (room.body["id"].as_i64().unwrap(), room.body["calendar_url"].as_str().unwrap().to_string());
    let arb_feed = later.call("POST", &format!("/api/v1/arbitrators/{arb}/calendar-token"), Some(&clerk), None).await.body["calendar_url"]
        .as_str()
        .unwrap()
        .to_string();
    let hearing: i64 =
        sqlx::query_scalar("SELECT id FROM hearings WHERE case_id = $1").bind(&case).fetch_one(&t.app.db.reader).await.unwrap();
    let service: i64 =
        sqlx::query_scalar("SELECT id FROM services WHERE case_id = $1 ORDER BY id").bind(&case).fetch_one(&t.app.db.reader).await.unwrap();
    let evidence: i64 = sqlx::query_scalar(
        "INSERT INTO evidence (case_id, party_id, role, name, purpose, content_type, bytes, sha256, size, submitted_at) \
         SELECT $1, id, 'respondent', '工资条', '证明已支付工资', 'application/pdf', $2, 'digest', 9, '2026-11-20T00:00:00.000Z' \
         FROM parties WHERE case_id = $1 AND role = 'respondent' RETURNING id",
    )
    .bind(&case)
    .bind(b"%PDF-1.4 ".to_vec())
    .fetch_one(&t.app.db.writer)
    .await
    .unwrap();
    add_user(&t.app, "matrix1", Role::Clerk, PASSWORD, None).await.unwrap();
    let tokens: Vec<Option<String>> = vec![
        None,
        Some(clerk.clone()),
        Some(own.clone()),
        Some(other.clone()),
        Some(later.token(Role::Liaison).await),
        Some(later.token(Role::Admin).await),
        Some(later.token(Role::Director).await),
    ];
    let fill = |p: &str| {
        p.replace("{case}", &case)
            .replace("{hearing}", &hearing.to_string())
            .replace("{document}", &document.to_string())
            .replace("{arbitrator}", &arb.to_string())
            .replace("{room}", &room_id.to_string())
            .replace("{postponement}", "999999")
            .replace("{request}", "999999")
            .replace("{service}", &service.to_string())
            .replace("{evidence}", &evidence.to_string())
            .replace("{action}", "suspend")
            .replace("{year}", "2027")
            .replace("{arbitrator_feed}", arb_feed.split_once("token=").unwrap().1)
            .replace("{room_feed}", room_feed.split_once("token=").unwrap().1)
    };
    let mut wrong = Vec::new();
    for row in &rows {
        for (col, expected) in row.allowed.iter().enumerate() {
            let mut token = tokens[col].clone();
            if row.path == "/api/v1/logout" && col > 0 {
                // Logging out ends the token: each cell uses one of its own.
                token = Some(match col {
                    2 => later.arbitrator_token(arb).await,
                    3 => later.token(Role::Arbitrator).await,
                    c => {
                        later
                            .token([Role::Clerk, Role::Clerk, Role::Clerk, Role::Clerk, Role::Liaison, Role::Admin, Role::Director][c])
                            .await
                    }
                });
            }
            let body: Option<Value> = match (row.method.as_str(), row.path.as_str()) {
                ("POST", "/api/v1/cases") => Some(application()),
                ("POST", "/api/v1/login") => Some(json!({"username": "matrix1", "password": PASSWORD})),
                ("GET", _) => None,
                _ => Some(json!({})),
            };
            let mut req = Request::builder().method(row.method.as_str()).uri(fill(&row.path));
            if let Some(tk) = &token {
                req = req.header("authorization", format!("Bearer {tk}"));
            }
            let req = match body {
                Some(b) => req.header("content-type", "application/json").body(Body::from(b.to_string())),
                None => req.body(Body::empty()),
            };
            let a = later.request(req.unwrap()).await;
            let refused = a.status == StatusCode::UNAUTHORIZED || a.status == StatusCode::FORBIDDEN;
            assert!(!a.status.is_server_error(), "{} {} as {}: {}", row.method, row.path, COLUMNS[col], a.text);
            if refused == *expected {
                wrong.push(format!(
                    "{} {} as {}: expected {}, got {}",
                    row.method,
                    row.path,
                    COLUMNS[col],
                    if *expected { "allowed" } else { "refused" },
                    a.status
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "cells that do not hold:\n{}", wrong.join("\n"));
}

async fn every_staff_read_of_a_case_is_in_the_access_log(t: TestApp) {
    let (case, own, later, _) = heard_case(&t).await;
    let clerk = later.token(Role::Clerk).await;
    assert_eq!(later.call("GET", &format!("/api/v1/cases/{case}"), Some(&clerk), None).await.status, StatusCode::OK);
    assert_eq!(later.call("GET", &format!("/api/v1/cases/{case}"), Some(&own), None).await.status, StatusCode::OK);
    assert_eq!(later.call("GET", "/api/v1/cases?q=张", Some(&clerk), None).await.status, StatusCode::OK);
    let rows: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT role, action, case_id FROM access_log ORDER BY id").fetch_all(&t.app.db.reader).await.unwrap();
    for (role, action) in [("clerk", "view_case"), ("arbitrator", "view_case"), ("clerk", "search")] {
        assert!(rows.iter().any(|r| r.0 == role && r.1 == action), "{role} {action} logged: {rows:?}");
    }
    // A refused read is not a read: the other tribunal's arbitrator leaves no line.
    let other = later.token(Role::Arbitrator).await;
    let before = t.count("access_log").await;
    assert_eq!(later.call("GET", &format!("/api/v1/cases/{case}"), Some(&other), None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.count("access_log").await, before);
}
