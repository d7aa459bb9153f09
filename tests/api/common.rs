//! The test app: the real router and use cases over a fresh database, SQLite or PostgreSQL.

use axum::Router;
use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode, header};
use greenlane::app::App;
use greenlane::app::accounts::{Role, add_user};
use greenlane::config::{Config, RawConfig};
use greenlane::http::{AppState, router};
use greenlane::store::Db;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::net::SocketAddr;
use tower::ServiceExt;

/// The day every test lives on: Monday 2026-11-16.
pub const TODAY: &str = "2026-11-16";
pub const PASSWORD: &str = "test-password-1";

pub struct TestApp {
    pub app: App,
    pub router: Router,
    _dir: Option<Scratch>,
}

/// What a test's database leaves behind, removed when the test's first app goes: the SQLite
/// file's directory, or the PostgreSQL database (dropped, so a run of the suite does not fill the
/// machine's disk with a database per test).
enum Scratch {
    Dir(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let Scratch::Postgres { admin_url, name } = self else { return };
        let (admin_url, sql) = (admin_url.clone(), format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        // Drop runs inside the test's runtime, which cannot be blocked on: a thread of its own
        // with its own runtime does the dropping. FORCE ends the app's connections still open.
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                let admin = sqlx::PgPool::connect(&admin_url).await?;
                sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&admin).await?;
                admin.close().await;
                Ok::<_, sqlx::Error>(())
            })
        });
        if let Ok(Err(e)) = dropped.join() {
            eprintln!("could not drop the test database {name}: {e}");
        }
    }
}

/// An HTTP answer: status, headers and the body as JSON (or as a string under "text").
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
    pub bytes: Vec<u8>,
}

impl TestApp {
    pub async fn sqlite() -> Self {
        Self::sqlite_with(|_| {}).await
    }

    pub async fn sqlite_with(tweak: impl FnOnce(&mut RawConfig)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("test.db").display());
        Self::start(url, Some(Scratch::Dir(dir)), tweak).await
    }

    /// A fresh database on the PostgreSQL server named by `GREENLANE_TEST_POSTGRES_URL`
    /// (`scripts/test.sh` starts a throwaway one).
    pub async fn postgres() -> Self {
        Self::postgres_with(|_| {}).await
    }

    pub async fn postgres_with(tweak: impl FnOnce(&mut RawConfig)) -> Self {
        let base = std::env::var("GREENLANE_TEST_POSTGRES_URL")
            .expect("GREENLANE_TEST_POSTGRES_URL is not set: run the tests with scripts/test.sh, which starts a throwaway PostgreSQL");
        let name = format!("gl_{}", uuid::Uuid::new_v4().simple());
        let admin = sqlx::PgPool::connect(&base).await.expect("connect to the test PostgreSQL");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin).await.unwrap();
        admin.close().await;
        let (prefix, _) = base.rsplit_once('/').expect("URL with a database name");
        let url = format!("{prefix}/{name}");
        Self::start(url, Some(Scratch::Postgres { admin_url: base, name }), tweak).await
    }

    async fn start(url: String, dir: Option<Scratch>, tweak: impl FnOnce(&mut RawConfig)) -> Self {
        let mut raw = RawConfig { database_url: url, today: Some(TODAY.into()), rate_limit_per_minute: 0, ..RawConfig::default() };
        tweak(&mut raw);
        let config = Config::from_raw(raw).expect("valid test config");
        let db = Db::connect(&config).await.expect("connect");
        db.migrate().await.expect("migrate");
        let app = App::open(db, config).await.expect("open the app");
        let router = router(AppState::new(app.clone())).layer(MockConnectInfo(SocketAddr::from(([10, 0, 0, 7], 5555))));
        Self { app, router, _dir: dir }
    }

    /// The same service and database on another day (the original must outlive it).
    pub fn on_day(&self, day: &str) -> TestApp {
        let app = self.app.with_time(greenlane::time::Time::fixed(day.parse().expect("YYYY-MM-DD")));
        let router = router(AppState::new(app.clone())).layer(MockConnectInfo(SocketAddr::from(([10, 0, 0, 7], 5555))));
        TestApp { app, router, _dir: None }
    }

    /// A second instance of the service on the same database: its own pools, calendar and
    /// process state, as another machine behind the load balancer has.
    pub async fn another_instance(&self) -> TestApp {
        let config = (*self.app.config).clone();
        let db = Db::connect(&config).await.expect("connect");
        let app = App::open(db, config).await.expect("open the app");
        let router = router(AppState::new(app.clone())).layer(MockConnectInfo(SocketAddr::from(([10, 0, 0, 7], 5555))));
        TestApp { app, router, _dir: None }
    }

    /// Files a valid application and accepts it today; returns its id.
    pub async fn accepted_case(&self, clerk: &str) -> String {
        let id = self.filed_case().await;
        let a = self.call("POST", &format!("/api/v1/cases/{id}/accept"), Some(clerk), None).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        id
    }

    /// Records a clock event on a case.
    pub async fn clock(&self, clerk: &str, id: &str, action: &str, body: Value) -> Answer {
        self.call("POST", &format!("/api/v1/cases/{id}/clock/{action}"), Some(clerk), Some(body)).await
    }

    pub async fn request(&self, req: Request<Body>) -> Answer {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).to_string();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Answer { status, headers, body, text, bytes: bytes.to_vec() }
    }

    pub async fn call(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> Answer {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req.header("content-type", "application/json").body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        };
        self.request(req.unwrap()).await
    }

    /// Registers `body` and returns the answer (expects nothing).
    pub async fn register(&self, body: Value) -> Answer {
        self.call("POST", "/api/v1/cases", None, Some(body)).await
    }

    /// Registers a valid application and returns its id.
    pub async fn filed_case(&self) -> String {
        let a = self.register(application()).await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
        a.body["id"].as_str().unwrap().to_string()
    }

    /// Creates an account with `role` and logs it in; returns the bearer token.
    pub async fn token(&self, role: Role) -> String {
        let name = format!("{}{}", role.code(), &uuid::Uuid::new_v4().simple().to_string()[..6]);
        add_user(&self.app, &name, role, PASSWORD, None).await.unwrap();
        let a = self.call("POST", "/api/v1/login", None, Some(json!({"username": name, "password": PASSWORD}))).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        a.body["token"].as_str().unwrap().to_string()
    }

    /// Creates an arbitrator account linked to arbitrator `arbitrator_id` and logs it in.
    pub async fn arbitrator_token(&self, arbitrator_id: i64) -> String {
        let name = format!("arb{}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
        add_user(&self.app, &name, Role::Arbitrator, PASSWORD, Some(arbitrator_id)).await.unwrap();
        let a = self.call("POST", "/api/v1/login", None, Some(json!({"username": name, "password": PASSWORD}))).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        a.body["token"].as_str().unwrap().to_string()
    }

    /// Runs every job the outbox has due (the notices that follow an event), as the worker would.
    pub async fn drain_jobs(&self) -> usize {
        self.app.drain_jobs().await.expect("the outbox drains")
    }

    /// The kinds of a case's documents once the outbox has run its jobs.
    pub async fn document_kinds(&self, token: &str, case: &str) -> Vec<String> {
        self.drain_jobs().await;
        let docs = self.call("GET", &format!("/api/v1/cases/{case}/documents"), Some(token), None).await.body;
        docs.as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap().to_string()).collect()
    }

    pub async fn count(&self, table: &str) -> i64 {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&self.app.db.reader).await.unwrap()
    }
}

/// A valid small wage claim (api.md's example).
pub fn application() -> Value {
    json!({
        "applicants": [{"name": "张三", "id_number": "11010519491231002X", "phone": "13800138000", "address": "中山市石岐区民生路1号"}],
        "respondents": [{"name": "中山市某某电器有限公司", "credit_code": "91350100M000100Y43",
                         "legal_representative": "李四", "address": "中山市火炬开发区"}],
        "claims": [{"kind": "unpaid_wages", "amount": "8600.00", "description": "2026年8—9月工资"}],
        "employment": {"start": "2024-03-01", "end": "2026-09-30", "monthly_wage": "4300.00"},
        "facts": "被申请人拖欠申请人2026年8月至9月工资共8600元。",
        "consents": {"simplified": true, "informal_service": true}
    })
}

/// Runs each named `async fn(TestApp)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => { $(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() { super::$name($crate::common::TestApp::sqlite().await).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() { super::$name($crate::common::TestApp::postgres().await).await }
        }
    )* };
}

impl TestApp {
    /// A service whose planning runs search for at most half a second: test problems are small,
    /// and a run that cannot finish early should not stall a test.
    pub async fn quick_planning(postgres: bool) -> TestApp {
        let tweak = |raw: &mut RawConfig| raw.schedule_time_limit_seconds = 0.5;
        if postgres { TestApp::postgres_with(tweak).await } else { TestApp::sqlite_with(tweak).await }
    }
}

/// [`on_both_backends`] with [`TestApp::quick_planning`].
#[macro_export]
macro_rules! on_both_planning {
    ($($name:ident),* $(,)?) => { $(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() { super::$name($crate::common::TestApp::quick_planning(false).await).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() { super::$name($crate::common::TestApp::quick_planning(true).await).await }
        }
    )* };
}

/// GETs a page and returns its CSRF cookie and token.
pub async fn csrf(t: &TestApp, path: &str) -> (String, String) {
    let a = t.request(Request::get(path).body(Body::empty()).unwrap()).await;
    assert_eq!(a.status, StatusCode::OK);
    let cookie = a.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    let pair = cookie.split(';').next().unwrap().to_string();
    let token = pair.split_once('=').unwrap().1.to_string();
    (pair, token)
}

/// A form POST with the cookies given.
pub fn form(path: &str, cookie: &str, body: String) -> Request<Body> {
    Request::post(path).header("content-type", "application/x-www-form-urlencoded").header("cookie", cookie).body(Body::from(body)).unwrap()
}

/// Signs `name` in with `role` on `t`; returns the cookies and the CSRF token.
pub async fn session_as(t: &TestApp, name: &str, role: Role, arbitrator: Option<i64>) -> (String, String) {
    add_user(&t.app, name, role, PASSWORD, arbitrator).await.unwrap();
    let (cookie, token) = csrf(t, "/login").await;
    let body = serde_urlencoded::to_string([("csrf", token.as_str()), ("username", name), ("password", PASSWORD)]).unwrap();
    let a = t.request(form("/login", &cookie, body)).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let (cookies, new_token) = signed_in(&a);
    assert_ne!(new_token, token, "the CSRF token rotates at sign-in");
    (cookies, new_token)
}

/// The cookies and CSRF token a successful sign-in sets: the session and a new CSRF token (the one
/// read before no longer counts).
pub fn signed_in(a: &Answer) -> (String, String) {
    let set: Vec<String> =
        a.headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string()).collect();
    let session = set.iter().find(|c| c.starts_with("gl_session=")).expect("a session cookie").clone();
    let csrf = set.iter().find(|c| c.starts_with("gl_csrf=")).expect("a new CSRF cookie").clone();
    let token = csrf.split_once('=').unwrap().1.to_string();
    (format!("{csrf}; {session}"), token)
}

impl TestApp {
    /// A page as a newly signed-in member of staff with `role` sees it.
    pub async fn page_as(&self, role: Role, path: &str) -> Answer {
        let name = format!("{}{}", role.code(), &uuid::Uuid::new_v4().simple().to_string()[..6]);
        let (cookies, _) = session_as(self, &name, role, None).await;
        self.request(Request::get(path).header("cookie", cookies).body(Body::empty()).unwrap()).await
    }
}

/// The cookies a response sets, added to (or replacing) those of `jar`.
pub fn with_cookies(jar: &str, a: &Answer) -> String {
    let mut out: Vec<String> = jar.split("; ").filter(|c| !c.is_empty()).map(String::from).collect();
    for v in a.headers.get_all(header::SET_COOKIE) {
        let pair = v.to_str().unwrap().split(';').next().unwrap().to_string();
        let name = pair.split_once('=').unwrap().0.to_string();
        out.retain(|c| !c.starts_with(&format!("{name}=")));
        out.push(pair);
    }
    out.join("; ")
}

/// The value of cookie `name` in a jar.
pub fn cookie_value(jar: &str, name: &str) -> String {
    jar.split("; ").find_map(|c| c.strip_prefix(&format!("{name}="))).unwrap_or_default().to_string()
}
