//! The use cases: each opens one transaction, asks the core what is allowed, writes the result
//! and its audit event, and commits. No SQL and no HTTP here.

pub mod access;
pub mod accounts;
pub mod addresses;
pub mod admin;
pub mod availability;
pub mod award;
pub mod board;
pub mod calendar;
pub mod case_file;
pub mod cases;
pub mod clock;
pub mod court;
pub mod deadlines;
pub mod decide;
pub mod docket;
pub mod documents;
pub mod evidence;
pub mod export;
pub mod figures;
pub mod held;
pub mod input;
pub mod jobs;
pub mod notify;
pub mod parties;
pub mod party_requests;
pub mod party_view;
pub mod passwords;
pub mod placement;
pub mod register;
pub mod reminders;
pub mod replan;
pub mod schedule;
pub mod secrets;
pub mod service_clock;
pub mod service_papers;
pub mod service_scans;
pub mod services;
pub mod settings;
pub mod throttle;
pub mod tribunal;
pub mod uploads;
pub mod withdraw;

use std::sync::{Arc, RwLock};

use crate::config::Config;
use crate::law::FieldError;
use crate::law::calendar::WorkingCalendar;
use crate::store::Db;
use crate::time::Time;

/// Everything a use case needs: the database, today and now, the configuration and the calendar.
#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub time: Time,
    pub config: Arc<Config>,
    /// Swapped whole when an admin loads a year; readers keep the one they took. With it, the
    /// stamp of the stored loads it was built from (`None`: not read from the database yet).
    calendar: Arc<RwLock<(Option<String>, Arc<WorkingCalendar>)>>,
    /// Templates and fonts; why not, when they cannot be had (the service refuses to start then).
    documents: Arc<Result<Arc<documents::Kit>, String>>,
    /// Wakes this instance's job worker when a job is enqueued here.
    pub jobs_wake: Arc<tokio::sync::Notify>,
    /// Set when the service begins to stop: long work (a planning run's search) ends early.
    pub stopping: Arc<std::sync::atomic::AtomicBool>,
    /// The password-hashing workers: a flood of logins queues there instead of taking the
    /// machine's memory and every core.
    pub passwords: passwords::Passwords,
    /// The SMTP relay and SMS gateway documents and prompts leave through.
    pub outbound: Arc<Outbound>,
    /// The notifications' wording (`templates/notifications/`, beside the documents' templates).
    notifications: Arc<Result<crate::notifications::Wording, String>>,
    /// Where new case ids come from when they must repeat run after run (the simulator); `None`:
    /// at random.
    case_ids: Option<Arc<std::sync::Mutex<rand::rngs::StdRng>>>,
}

/// The configured ways out: e-mail and SMS (either may be absent).
#[derive(Default)]
pub struct Outbound {
    pub mail: Option<crate::outbound::mail::Relay>,
    pub sms: Option<crate::outbound::sms::Gateway>,
}

impl Outbound {
    /// The relay and gateway the configuration names.
    pub fn from_config(config: &Config) -> Self {
        let o = &config.outbound;
        let mail = o.smtp.as_ref().and_then(|(host, port)| {
            crate::outbound::mail::Relay::new(host, *port, &o.mail_from)
                .map_err(|e| tracing::error!(error = %e, "SMTP relay not usable"))
                .ok()
        });
        Outbound { mail, sms: crate::outbound::sms::Gateway::from_settings(&o.sms) }
    }
}

impl App {
    pub fn new(db: Db, config: Config) -> Self {
        let time = config.today.map(Time::fixed).unwrap_or_else(Time::system);
        let calendar = Arc::new(RwLock::new((None, Arc::new(config.calendar.clone()))));
        let documents = Arc::new(documents::Kit::new(&config).map(Arc::new));
        let outbound = Arc::new(Outbound::from_config(&config));
        let wording_dir = config.documents_dir.as_deref().and_then(|d| d.parent()).map(|d| d.join("notifications"));
        let notifications = Arc::new(crate::notifications::Wording::load(wording_dir.as_deref()).map_err(|e| e.to_string()));
        Self {
            db,
            time,
            config: Arc::new(config),
            calendar,
            documents,
            jobs_wake: Arc::new(tokio::sync::Notify::new()),
            stopping: Arc::default(),
            passwords: passwords::Passwords::start(password_workers()),
            outbound,
            notifications,
            case_ids: None,
        }
    }

    /// The app over a migrated database, with the holiday years an admin loaded put in force.
    pub async fn open(db: Db, config: Config) -> anyhow::Result<Self> {
        let app = Self::new(db, config);
        docket::seal_clear_feed_tokens(&app).await.map_err(|e| anyhow::anyhow!("{e}: {e:?}"))?;
        calendar::in_force(&app).await.map_err(|e| anyhow::anyhow!("{e}: {e:?}"))?;
        for s in app.config.thresholds.stale_on(app.time.today()) {
            tracing::warn!(setting = s.setting, value = %s.value, from = %s.from, "{}可能已过期：仍按{}年起执行的{}元分流和判断终局，请在配置中补充新数", s.label, s.from.format("%Y"), s.value);
        }
        Ok(app)
    }

    /// The working-day calendar in force.
    pub fn calendar(&self) -> Arc<WorkingCalendar> {
        self.calendar.read().unwrap_or_else(|e| e.into_inner()).1.clone()
    }

    /// The stamp of the stored loads the calendar in force was built from.
    pub fn calendar_stamp(&self) -> Option<String> {
        self.calendar.read().unwrap_or_else(|e| e.into_inner()).0.clone()
    }

    /// Puts a new calendar, built from the stored loads with `stamp`, in force for every later request.
    pub fn set_calendar(&self, stamp: String, calendar: WorkingCalendar) {
        *self.calendar.write().unwrap_or_else(|e| e.into_inner()) = (Some(stamp), Arc::new(calendar));
    }

    /// The notifications' wording; a 409 naming the template when it cannot be used.
    pub fn notifications(&self) -> Result<&crate::notifications::Wording, AppError> {
        self.notifications.as_ref().as_ref().map_err(|e| AppError::Conflict(e.clone()))
    }

    /// What issuing documents needs; a 409 naming the missing template or font when it is not there.
    pub fn documents(&self) -> Result<Arc<documents::Kit>, AppError> {
        self.documents.as_ref().as_ref().cloned().map_err(|e| AppError::Conflict(e.clone()))
    }

    /// Runs every due job of the outbox (tests and the demo wait for background work with this).
    pub async fn drain_jobs(&self) -> Result<usize, AppError> {
        jobs::drain(self).await
    }

    /// The same app on another day (the demo files cases on past days).
    pub fn with_time(&self, time: Time) -> Self {
        Self { time, ..self.clone() }
    }

    /// The same app drawing case ids from a generator seeded with `seed`, so a simulated day files
    /// the same ids on every run.
    pub fn with_case_ids(&self, seed: u64) -> Self {
        use rand::SeedableRng;
        Self { case_ids: Some(Arc::new(std::sync::Mutex::new(rand::rngs::StdRng::seed_from_u64(seed)))), ..self.clone() }
    }

    /// A new case id: random, or the next of the seeded generator.
    pub fn new_case_id(&self) -> String {
        match &self.case_ids {
            Some(rng) => secrets::case_id_from(&mut *rng.lock().unwrap_or_else(|e| e.into_inner())),
            None => secrets::new_case_id(),
        }
    }
}

/// Half the cores (at least one) hash passwords; the rest keep serving everything else.
fn password_workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1))
}

/// Runs CPU-bound work (typesetting, solving, password hashing) on the blocking pool, inside the
/// caller's tracing span, so its log lines keep the request's id.
pub async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || span.in_scope(f)).await.map_err(|e| AppError::Internal(anyhow::anyhow!(e)))
}

/// Why a use case did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("提交的内容有误")]
    Validation(Vec<FieldError>),
    #[error("未登录或登录已过期")]
    Unauthenticated,
    #[error("没有权限执行此操作")]
    Forbidden,
    #[error("{0}")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    /// Too many attempts or requests: try again after this many seconds (HTTP 429 with `Retry-After`).
    #[error("尝试次数过多，请{0}秒后再试")]
    TooMany(u64),
    /// The database cannot be reached for now (HTTP 503 with `Retry-After`); it recovers by itself.
    #[error("数据库暂时无法连接，请稍后再试")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        if is_outage(&e) {
            AppError::Unavailable(e.to_string())
        } else if is_contention(&e) {
            AppError::Conflict("有人同时在修改相同的数据，本次操作未保存，请重试".into())
        } else {
            AppError::Internal(e.into())
        }
    }
}

/// Whether a database error means the database is out of reach (down, restarting, refusing
/// connections), not that the statement was wrong.
fn is_outage(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => true,
        // PostgreSQL: class 08 (connection exception), 57P01–57P03 (shutting down, cannot connect now).
        sqlx::Error::Database(d) => d.code().is_some_and(|c| c.starts_with("08") || matches!(c.as_ref(), "57P01" | "57P02" | "57P03")),
        _ => false,
    }
}

/// PostgreSQL gave up one of two writers waiting on each other (40P01 deadlock, 40001
/// serialisation): nothing was stored, and the same request may simply be sent again.
fn is_contention(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.code().is_some_and(|c| matches!(c.as_ref(), "40P01" | "40001")))
}

impl AppError {
    /// A validation error on one field.
    pub fn field(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError::new(field, crate::law::Violation::new(code, message))])
    }
}
