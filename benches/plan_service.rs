//! `POST /api/v1/schedule` at commission scale: 600 accepted cases waiting for a hearing, 30
//! arbitrators and 14 rooms, timed from the request to the committed transaction (solver and all
//! database work), on SQLite and, when `GREENLANE_TEST_POSTGRES_URL` names a server, PostgreSQL.
//!
//! `cargo bench --bench plan_service` measures; under `cargo test` it runs a small smoke pass.

use std::time::Instant;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{Days, NaiveDate};
use greenlane::app::accounts::{Role, Staff};
use greenlane::app::{App, decide, register};
use greenlane::config::{Config, RawConfig};
use greenlane::demo;
use greenlane::http::{AppState, router};
use greenlane::store::Db;
use greenlane::store::feeds::Resource;
use greenlane::time::Time;
use http_body_util::BodyExt;
use rand::SeedableRng;
use rand::rngs::StdRng;
use tower::ServiceExt;

const TODAY: &str = "2026-11-16";

struct Scale {
    cases: u64,
    arbitrators: usize,
    rooms: usize,
    time_limit: f64,
}

async fn open(url: String, time_limit: f64) -> App {
    let raw = RawConfig {
        database_url: url,
        today: Some(TODAY.into()),
        rate_limit_per_minute: 0,
        schedule_time_limit_seconds: time_limit,
        ..RawConfig::default()
    };
    let config = Config::from_raw(raw).expect("valid config");
    let db = Db::connect(&config).await.expect("connect");
    db.migrate().await.expect("migrate");
    App::open(db, config).await.expect("open")
}

/// The commission: arbitrators (two in five may preside), rooms (one large for collective
/// cases), and accepted cases filed over the last three weeks.
async fn fill(app: &App, s: &Scale) {
    let clerk = Staff { user_id: 0, username: "bench".into(), role: Role::Clerk, arbitrator_id: None };
    let mut tx = app.db.begin().await.expect("tx");
    for i in 0..s.arbitrators {
        let id = greenlane::store::resources::insert_arbitrator(&mut tx, &format!("仲裁员{i:02}"), i % 5 < 2, 4, "2026-01-01T00:00:00Z")
            .await
            .expect("arbitrator");
        greenlane::store::feeds::set_token_digest(&mut tx, Resource::Arbitrator, id, &format!("t{id}")).await.expect("token");
    }
    for i in 0..s.rooms {
        let seats = if i == 0 { 40 } else { 6 + (i as i64 % 4) * 2 };
        greenlane::store::resources::insert_room(&mut tx, &format!("第{i}仲裁庭"), seats, "2026-01-01T00:00:00Z").await.expect("room");
    }
    tx.commit().await.expect("commit");
    let today: NaiveDate = TODAY.parse().expect("date");
    let mut rng = StdRng::seed_from_u64(7);
    for i in 0..s.cases {
        let filed_on = today - Days::new(i % 15);
        let raw = demo::demo_application(&mut rng, filed_on, i);
        let filed = register::register(&app.with_time(Time::fixed(filed_on)), &raw, None).await.expect("register");
        decide::accept(app, &clerk, &filed.id, Some(filed_on)).await.expect("accept");
    }
}

async fn plan(app: &App) -> (f64, usize, usize) {
    let token = {
        greenlane::app::accounts::add_user(app, "planner", Role::Clerk, "bench-password-1", None).await.expect("user");
        let r = router(AppState::new(app.clone()));
        let res = r
            .oneshot(
                Request::post("/api/v1/login")
                    .header("content-type", "application/json")
                    .body(Body::from(r#"{"username":"planner","password":"bench-password-1"}"#))
                    .unwrap(),
            )
            .await
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
        v["token"].as_str().unwrap().to_string()
    };
    let req = Request::post("/api/v1/schedule")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {token}"))
        .body(Body::from(r#"{"dry_run": false}"#))
        .unwrap();
    let started = Instant::now();
    let res = router(AppState::new(app.clone())).oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&bytes));
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    (secs, v["planned"].as_array().unwrap().len(), v["unscheduled"].as_array().unwrap().len())
}

async fn run(name: &str, url: String, s: &Scale) {
    let app = open(url, s.time_limit).await;
    let t = Instant::now();
    fill(&app, s).await;
    // The acceptance notices go out before the run, as they would in a day's work.
    app.drain_jobs().await.expect("acceptance notices");
    let setup = t.elapsed().as_secs_f64();
    let (secs, planned, unscheduled) = plan(&app).await;
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM hearings").fetch_one(&app.db.reader).await.unwrap();
    assert_eq!(stored as usize, planned);
    // The hearing notices are typeset by the outbox after the answer: one worker drains it.
    let answered = Instant::now();
    app.drain_jobs().await.expect("hearing notices");
    let notices: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE kind = 'hearing_notice'").fetch_one(&app.db.reader).await.unwrap();
    assert_eq!(notices as usize, planned, "every hearing planned has its notice");
    println!(
        "plan_service {name}: {} cases, {} arbitrators, {} rooms: POST /api/v1/schedule {secs:.2} s (solver limit {} s), {planned} planned, {unscheduled} unscheduled; \
         their hearing and tribunal notices typeset {:.2} s after the answer (setup {setup:.1} s)",
        s.cases,
        s.arbitrators,
        s.rooms,
        s.time_limit,
        answered.elapsed().as_secs_f64()
    );
}

#[tokio::main]
async fn main() {
    let measuring = std::env::args().any(|a| a == "--bench");
    let s = if measuring {
        Scale { cases: 600, arbitrators: 30, rooms: 14, time_limit: 5.0 }
    } else {
        Scale { cases: 30, arbitrators: 6, rooms: 3, time_limit: 0.3 }
    };
    let dir = tempfile::tempdir().expect("temp dir");
    run("sqlite", format!("sqlite:{}", dir.path().join("bench.db").display()), &s).await;
    if let Ok(base) = std::env::var("GREENLANE_TEST_POSTGRES_URL") {
        let name = format!("gl_bench_{}", uuid::Uuid::new_v4().simple());
        let admin = sqlx::PgPool::connect(&base).await.expect("connect to PostgreSQL");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin).await.expect("create database");
        let (prefix, _) = base.rsplit_once('/').expect("URL with a database name");
        run("postgres", format!("{prefix}/{name}"), &s).await;
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)"))).execute(&admin).await.ok();
    } else {
        println!("plan_service postgres: skipped (set GREENLANE_TEST_POSTGRES_URL, as scripts/test.sh and scripts/bench.sh do)");
    }
}
