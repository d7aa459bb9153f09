//! `GET /api/v1/stats` over a long synthetic history (`greenlane demo --cases N --years Y`): one
//! million cases over ten years, on SQLite and, when `GREENLANE_TEST_POSTGRES_URL` names a server,
//! PostgreSQL. Each query is timed through the router, five runs, after one warm-up run.
//! Targets: 1 s on PostgreSQL, 3 s on SQLite.
//!
//! `cargo bench --bench figures` measures (it first writes the history, which takes minutes);
//! `GREENLANE_FIGURES_SQLITE=FILE` and `GREENLANE_FIGURES_POSTGRES=URL` reuse databases filled
//! before with `greenlane demo --cases 1000000 --years 10`. Under `cargo test` it runs a small
//! smoke pass.

use std::time::Instant;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use greenlane::app::App;
use greenlane::app::accounts::Role;
use greenlane::config::{Config, RawConfig};
use greenlane::demo::history;
use greenlane::http::{AppState, router};
use greenlane::store::Db;
use http_body_util::BodyExt;
use tower::ServiceExt;

const TODAY: &str = "2026-11-16";

async fn open(url: String) -> App {
    let raw = RawConfig { database_url: url, today: Some(TODAY.into()), rate_limit_per_minute: 0, ..RawConfig::default() };
    let config = Config::from_raw(raw).expect("valid config");
    let db = Db::connect(&config).await.expect("connect");
    db.migrate().await.expect("migrate");
    App::open(db, config).await.expect("open")
}

async fn token(app: &App) -> String {
    let name = format!("bench{}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    greenlane::app::accounts::add_user(app, &name, Role::Admin, "bench-password-1", None).await.expect("user");
    let body = format!(r#"{{"username":"{name}","password":"bench-password-1"}}"#);
    let res = router(AppState::new(app.clone()))
        .oneshot(Request::post("/api/v1/login").header("content-type", "application/json").body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
    v["token"].as_str().unwrap().to_string()
}

/// Seconds for one `GET` of `path`, and the answer.
async fn get(app: &App, token: &str, path: &str) -> (f64, serde_json::Value) {
    let req = Request::get(path).header("authorization", format!("Bearer {token}")).body(Body::empty()).unwrap();
    let started = Instant::now();
    let res = router(AppState::new(app.clone())).oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&bytes));
    (secs, serde_json::from_slice(&bytes).unwrap())
}

async fn run(name: &str, url: String, cases: u64, fill: bool) {
    let app = open(url).await;
    if fill {
        let t = Instant::now();
        history::fill(&app, history::Plan { cases, years: 10, seed: 2026 }, |_, _| {}).await.expect("history");
        println!("figures {name}: wrote {cases} cases over 10 years in {:.1} s", t.elapsed().as_secs_f64());
    }
    let token = token(&app).await;
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases").fetch_one(&app.db.reader).await.unwrap();
    for (label, path) in [
        ("this year", "/api/v1/stats".to_string()),
        ("ten years", "/api/v1/stats?from=2016-11-17&to=2026-11-16".to_string()),
        ("ten years, green", "/api/v1/stats?from=2016-11-17&to=2026-11-16&track=green".to_string()),
    ] {
        get(&app, &token, &path).await;
        let mut times = Vec::new();
        let mut answer = serde_json::Value::Null;
        for _ in 0..5 {
            let (secs, v) = get(&app, &token, &path).await;
            times.push(secs);
            answer = v;
        }
        times.sort_by(f64::total_cmp);
        println!(
            "figures {name}: {total} cases, {label}: median {:.3} s, slowest {:.3} s (closed {}, within limit {:.4}, green median cycle {} days)",
            times[2],
            times[4],
            answer["closed"],
            answer["within_limit_rate"].as_f64().unwrap_or(f64::NAN),
            answer["cycle_days"]["green"]["median"]
        );
    }
}

#[tokio::main]
async fn main() {
    let measuring = std::env::args().any(|a| a == "--bench");
    let cases = if measuring { 1_000_000 } else { 2_000 };
    match std::env::var("GREENLANE_FIGURES_SQLITE") {
        Ok(file) if measuring => run("sqlite", format!("sqlite:{file}"), cases, false).await,
        _ => {
            let dir = tempfile::tempdir().expect("temp dir");
            run("sqlite", format!("sqlite:{}", dir.path().join("figures.db").display()), cases, true).await;
        }
    }
    if let (Ok(url), true) = (std::env::var("GREENLANE_FIGURES_POSTGRES"), measuring) {
        run("postgres", url, cases, false).await;
    } else if let Ok(base) = std::env::var("GREENLANE_TEST_POSTGRES_URL") {
        let name = format!("gl_figures_{}", uuid::Uuid::new_v4().simple());
        let admin = sqlx::PgPool::connect(&base).await.expect("connect to PostgreSQL");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin).await.expect("create database");
        let (prefix, _) = base.rsplit_once('/').expect("URL with a database name");
        run("postgres", format!("{prefix}/{name}"), cases, true).await;
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)"))).execute(&admin).await.ok();
    } else {
        println!("figures postgres: skipped (set GREENLANE_TEST_POSTGRES_URL, as scripts/test.sh and scripts/bench.sh do)");
    }
}
