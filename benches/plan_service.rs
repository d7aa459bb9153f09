//! `POST /api/v1/schedule` at commission scale: 600 accepted cases waiting for a hearing, 30
//! arbitrators and 14 rooms, timed from the request to the committed transaction (solver and all
//! database work), on SQLite and, when `GREENLANE_TEST_POSTGRES_URL` names a server, PostgreSQL.
//!
//! With an SMTP server at hand (`aiosmtpd` for `GREENLANE_TEST_PYTHON` or `python3`, as
//! `scripts/smtp.sh` installs it), every party has consented to e-mail service: the bench then also
//! times the outbox from the planning answer to the relay's acceptance of the last notice and
//! notification e-mailed (issue 21's target: under 30 s for 600 cases on 2 cores).
//!
//! `cargo bench --bench plan_service` measures; under `cargo test` it runs a small smoke pass.

use std::time::Instant;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{Days, NaiveDate};
use greenlane::app::accounts::{Role, Staff};
use greenlane::app::addresses::{self, AddressInput};
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

/// A real SMTP server (aiosmtpd, discarding what it accepts) on a free loopback port.
struct Smtp {
    child: std::process::Child,
    port: u16,
}

impl Smtp {
    fn start() -> Option<Smtp> {
        let python = std::env::var("GREENLANE_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
        let has = std::process::Command::new(&python).args(["-c", "import aiosmtpd"]).status().is_ok_and(|s| s.success());
        if !has {
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok()?.port();
        let child = std::process::Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Sink"])
            .spawn()
            .ok()?;
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(Smtp { child, port });
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        None
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn open(url: String, time_limit: f64, smtp: Option<u16>) -> App {
    let raw = RawConfig {
        database_url: url,
        today: Some(TODAY.into()),
        rate_limit_per_minute: 0,
        schedule_time_limit_seconds: time_limit,
        smtp_url: smtp.map(|port| format!("smtp://127.0.0.1:{port}")),
        mail_from: "中山市劳动人事争议仲裁委员会 <arb@zs.example.cn>".into(),
        ..RawConfig::default()
    };
    let config = Config::from_raw(raw).expect("valid config");
    let db = Db::connect(&config).await.expect("connect");
    db.migrate().await.expect("migrate");
    App::open(db, config).await.expect("open")
}

/// The commission: arbitrators (two in five may preside), rooms (one large for collective
/// cases), and accepted cases filed over the last three weeks.
async fn fill(app: &App, s: &Scale, mail: bool) {
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
        let mut raw = demo::demo_application(&mut rng, filed_on, i);
        if mail {
            if let Some(a) = raw.applicants.as_mut().and_then(|a| a.first_mut()) {
                a.email = Some(format!("worker{i}@example.cn"));
            }
            raw.consents.get_or_insert_with(Default::default).electronic_service = Some(true);
        }
        let filed = register::register(&app.with_time(Time::fixed(filed_on)), &raw, None).await.expect("register");
        if mail {
            // The employer's signed confirmation: service by e-mail.
            let confirm = AddressInput {
                address: Some("中山市火炬开发区某某路1号".into()),
                email: Some(format!("hr{i}@example.cn")),
                email_service: Some(true),
                ..AddressInput::default()
            };
            addresses::confirm(app, &clerk, &filed.id, "respondent", 0, &confirm).await.expect("confirm");
        }
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

async fn run(name: &str, url: String, s: &Scale, smtp: Option<u16>) {
    let app = open(url, s.time_limit, smtp).await;
    let t = Instant::now();
    fill(&app, s, smtp.is_some()).await;
    // The acceptance notices go out before the run, as they would in a day's work.
    app.drain_jobs().await.expect("acceptance notices");
    let setup = t.elapsed().as_secs_f64();
    let (secs, planned, unscheduled) = plan(&app).await;
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM hearings").fetch_one(&app.db.reader).await.unwrap();
    assert_eq!(stored as usize, planned);
    // The hearing notices are typeset, served and notified by the outbox after the answer, with the
    // instance's `job_workers` (2 by default) claiming side by side.
    let answered = Instant::now();
    greenlane::app::jobs::drain_with(&app, app.config.job_workers).await.expect("hearing notices");
    let notices: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE kind = 'hearing_notice'").fetch_one(&app.db.reader).await.unwrap();
    assert_eq!(notices as usize, planned, "every hearing planned has its notice");
    let after = answered.elapsed().as_secs_f64();
    if smtp.is_some() {
        let (emailed, waiting): (i64, i64) = sqlx::query_as(
            "SELECT SUM(CASE WHEN s.status = 'delivered' THEN 1 ELSE 0 END), SUM(CASE WHEN s.status <> 'delivered' THEN 1 ELSE 0 END) \
             FROM services s JOIN documents d ON d.id = s.document_id WHERE s.channel = 'email' AND d.kind IN ('hearing_notice', 'tribunal_notice')",
        )
        .fetch_one(&app.db.reader)
        .await
        .unwrap();
        let told: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM messages WHERE kind = 'hearing_set' AND status = 'sent'")
            .fetch_one(&app.db.reader)
            .await
            .unwrap();
        assert_eq!(waiting, 0, "every notice e-mailed was accepted by the relay");
        assert_eq!(emailed as usize, planned * 4, "hearing and tribunal notices to both parties");
        println!(
            "plan_service {name}: from the answer to the last relay acceptance {after:.2} s: {planned} hearing and tribunal notices typeset, \
             {emailed} served by e-mail and {told} notifications e-mailed"
        );
    }
    println!(
        "plan_service {name}: {} cases, {} arbitrators, {} rooms: POST /api/v1/schedule {secs:.2} s (solver limit {} s), {planned} planned, {unscheduled} unscheduled; \
         their hearing and tribunal notices typeset {:.2} s after the answer (setup {setup:.1} s)",
        s.cases, s.arbitrators, s.rooms, s.time_limit, after
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
    let smtp = Smtp::start();
    if smtp.is_none() {
        println!("plan_service: no aiosmtpd found, notices are not e-mailed (scripts/smtp.sh installs it)");
    }
    let port = smtp.as_ref().map(|s| s.port);
    let dir = tempfile::tempdir().expect("temp dir");
    run("sqlite", format!("sqlite:{}", dir.path().join("bench.db").display()), &s, port).await;
    if let Ok(base) = std::env::var("GREENLANE_TEST_POSTGRES_URL") {
        let name = format!("gl_bench_{}", uuid::Uuid::new_v4().simple());
        let admin = sqlx::PgPool::connect(&base).await.expect("connect to PostgreSQL");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin).await.expect("create database");
        let (prefix, _) = base.rsplit_once('/').expect("URL with a database name");
        run("postgres", format!("{prefix}/{name}"), &s, port).await;
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)"))).execute(&admin).await.ok();
    } else {
        println!("plan_service postgres: skipped (set GREENLANE_TEST_POSTGRES_URL, as scripts/test.sh and scripts/bench.sh do)");
    }
}
