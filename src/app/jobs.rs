//! The job outbox in the service: the background work there is, enqueued in the transaction of
//! the fact that needs it, and the worker that runs each job once across every instance.
//!
//! A job is claimed under a lease (`LEASE`); a worker that dies mid-job leaves it to be claimed
//! again when the lease runs out. A job's effect and its completion commit in one transaction,
//! so a job never takes effect twice. A failing job is retried with back-off and, after
//! `MAX_ATTEMPTS`, kept as `failed` with its last error (`GET /api/v1/jobs?state=failed`).

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use super::accounts::{Role, Staff};
use super::{App, AppError};
use crate::store::Tx;
use crate::store::jobs::{self as store, JobRow};

/// Attempts before a job is given up as failed.
pub const MAX_ATTEMPTS: i64 = 5;
/// How long a claimed job is another worker's before it may be claimed again.
pub const LEASE: Duration = Duration::minutes(5);

/// A piece of background work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// A notice that follows an event of a case (acceptance, refusal, extension, suspension): the
    /// template's data as it stood at the event, typeset and issued.
    Notice { case_id: String, document: String, data: serde_json::Value, by: String, on: chrono::NaiveDate },
    /// The latest notice of a hearing just fixed or moved, and the case's tribunal-composition
    /// notice the first time (Law Art. 32, 35).
    HearingNotice { hearing_id: i64, by: String },
    /// Deletes expired idempotency records (they hold registration answers), stale throttle counters
    /// and ended party sessions, then schedules itself again an hour later. One is pending at any
    /// time across instances.
    PurgeIdempotency,
    /// Sends one service by e-mail or SMS (`app::services`).
    Serve { service_id: i64 },
    /// Sends one message (a notification, not service) to a party by SMS or e-mail (`app::notify`).
    Prompt { message_id: i64 },
    /// Looks for hearings and periods close to their day and notifies the parties, then schedules
    /// itself again an hour later (`app::reminders`). One is pending at any time across instances.
    Reminders,
    /// Fetches a subscribed calendar of an arbitrator again and replaces its busy times, then
    /// schedules itself again (`app::availability`).
    RefreshCalendar { feed_id: i64 },
}

/// How often expired idempotency records are deleted.
pub const PURGE_EVERY: Duration = Duration::hours(1);

impl Job {
    /// The stored kind.
    pub fn code(&self) -> &'static str {
        match self {
            Job::Notice { .. } => "notice",
            Job::HearingNotice { .. } => "hearing_notice",
            Job::PurgeIdempotency => "purge_idempotency",
            Job::Serve { .. } => "serve",
            Job::Prompt { .. } => "prompt",
            Job::Reminders => "reminders",
            Job::RefreshCalendar { .. } => "refresh_calendar",
        }
    }

    /// Jobs with the same key do the same thing: one pending is enough.
    fn dedupe_key(&self) -> Option<String> {
        match self {
            Job::Notice { .. } => None,
            Job::HearingNotice { hearing_id, .. } => Some(format!("hearing_notice:{hearing_id}")),
            Job::PurgeIdempotency => Some("purge_idempotency".into()),
            Job::Serve { service_id } => Some(format!("serve:{service_id}")),
            Job::Prompt { message_id } => Some(format!("prompt:{message_id}")),
            Job::Reminders => Some("reminders".into()),
            Job::RefreshCalendar { feed_id } => Some(format!("calendar:{feed_id}")),
        }
    }
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Writes `job` in the caller's transaction, due now; it runs once the transaction commits.
pub async fn enqueue(app: &App, tx: &mut Tx, job: &Job) -> Result<(), AppError> {
    enqueue_at(app, tx, job, Utc::now()).await
}

/// Writes `job` in the caller's transaction, due at `due`.
pub async fn enqueue_at(app: &App, tx: &mut Tx, job: &Job, due: DateTime<Utc>) -> Result<(), AppError> {
    let payload = serde_json::to_string(job).map_err(anyhow::Error::from)?;
    store::enqueue(tx, job.code(), &payload, job.dedupe_key().as_deref(), &stamp(due), &stamp(Utc::now())).await?;
    app.jobs_wake.notify_one();
    Ok(())
}

/// The housekeeping that keeps itself going: queued once at start (its key keeps it single).
pub async fn schedule_housekeeping(app: &App) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    enqueue(app, &mut tx, &Job::PurgeIdempotency).await?;
    enqueue(app, &mut tx, &Job::Reminders).await?;
    tx.commit().await?;
    Ok(())
}

async fn purge_idempotency(app: &App, done: Done<'_>) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    if !done.finish(&mut tx).await? {
        return Ok(());
    }
    let purged = crate::store::idempotency::purge_expired(&mut tx, &app.time.now_text()).await?;
    // Login and access-code counters untouched for a day go with them.
    let now = app.time.now();
    let day_ago = (now - Duration::days(1)).to_rfc3339_opts(SecondsFormat::Millis, true);
    let counters = crate::store::throttle::purge(&mut tx, &day_ago, &app.time.now_text()).await?;
    // Parties' sessions that have ended go with them, and planning drafts of an earlier day (a
    // draft is saved only while its day's problem stands).
    crate::store::party_access::purge_sessions(&mut tx, &app.time.now_text()).await?;
    crate::store::plan_drafts::purge(&mut tx, &day_ago).await?;
    enqueue_at(app, &mut tx, &Job::PurgeIdempotency, Utc::now() + PURGE_EVERY).await?;
    tx.commit().await?;
    if purged + counters > 0 {
        tracing::info!(purged, counters, "expired idempotency records and throttle counters deleted");
    }
    Ok(())
}

/// Retry delays: 10 s, 20 s, 40 s, … (at most an hour).
fn back_off(attempts: i64) -> Duration {
    Duration::seconds((10i64 << (attempts.clamp(1, 12) - 1)).min(3600))
}

/// Claims and runs one due job. `Ok(false)` when none is due.
pub async fn run_next(app: &App, worker: &str) -> Result<bool, AppError> {
    let now = Utc::now();
    let claimed = {
        let mut tx = app.db.begin().await?;
        let row = store::claim(&mut tx, app.db.backend, worker, &stamp(now), &stamp(now - LEASE)).await?;
        tx.commit().await?;
        row
    };
    let Some(row) = claimed else { return Ok(false) };
    if let Err(e) = run(app, &row, worker).await {
        let retry = (row.attempts < MAX_ATTEMPTS).then(|| stamp(Utc::now() + back_off(row.attempts)));
        tracing::warn!(job = row.id, kind = %row.kind, attempts = row.attempts, error = %e, gave_up = retry.is_none(), "job failed");
        let mut conn = app.db.writer.acquire().await?;
        store::fail(&mut conn, row.id, worker, &e.to_string(), retry.as_deref(), &stamp(Utc::now())).await?;
    }
    Ok(true)
}

async fn run(app: &App, row: &JobRow, worker: &str) -> Result<(), AppError> {
    let job: Job = serde_json::from_str(&row.payload).map_err(|e| anyhow::anyhow!("job {} cannot be read: {e}", row.id))?;
    let done = Done { id: row.id, worker };
    match job {
        Job::Notice { case_id, document, data, by, on } => {
            super::documents::run_notice_job(app, done, &case_id, &document, &data, &by, on).await
        }
        Job::HearingNotice { hearing_id, by } => super::documents::run_hearing_notice_job(app, done, hearing_id, &by).await,
        Job::PurgeIdempotency => purge_idempotency(app, done).await,
        Job::Serve { service_id } => super::services::run_serve_job(app, done, service_id).await,
        Job::Prompt { message_id } => super::notify::run_message_job(app, done, message_id).await,
        Job::Reminders => super::reminders::run(app, done).await,
        Job::RefreshCalendar { feed_id } => super::availability::run_refresh_job(app, done, feed_id).await,
    }
}

/// The job a handler finishes in its own transaction, so its effect and its completion commit together.
#[derive(Debug, Clone, Copy)]
pub struct Done<'a> {
    id: i64,
    worker: &'a str,
}

impl Done<'_> {
    /// Marks the job done in `tx`; false when this worker no longer holds it (its lease ran out
    /// and another took it): the caller then rolls back.
    pub async fn finish(self, tx: &mut Tx) -> Result<bool, AppError> {
        Ok(store::finish(tx, self.id, self.worker, &stamp(Utc::now())).await?)
    }
}

/// Runs every due job until none is left; returns how many ran. Tests and the demo wait for
/// background work with this instead of sleeping.
pub async fn drain(app: &App) -> Result<usize, AppError> {
    let worker = format!("drain-{}", std::process::id());
    let mut n = 0;
    while run_next(app, &worker).await? {
        n += 1;
    }
    Ok(n)
}

/// Runs every due job with `workers` claiming side by side, until a round finds none; returns how
/// many ran. The benchmarks drain this way, as an instance's workers would.
pub async fn drain_with(app: &App, workers: usize) -> Result<usize, AppError> {
    let mut total = 0;
    loop {
        let mut set = tokio::task::JoinSet::new();
        for i in 0..workers.max(1) {
            let app = app.clone();
            set.spawn(async move {
                let worker = format!("drain-{}-{i}", std::process::id());
                let mut n = 0;
                while run_next(&app, &worker).await? {
                    n += 1;
                }
                Ok::<usize, AppError>(n)
            });
        }
        let mut ran = 0;
        while let Some(done) = set.join_next().await {
            ran += done.map_err(anyhow::Error::from)??;
        }
        // A worker may have stopped while another's job queued more: go round until none ran.
        if ran == 0 {
            return Ok(total);
        }
        total += ran;
    }
}

/// The workers of one instance (`job_workers` of them): each runs due jobs, and waits for a new
/// one (or a second) when idle, until `stop` resolves. A job in flight at the stop stays in the
/// outbox for the next start.
pub async fn work(app: App, stop: impl std::future::Future<Output = ()>) {
    let (tx, _) = tokio::sync::watch::channel(false);
    let mut set = tokio::task::JoinSet::new();
    for i in 0..app.config.job_workers.max(1) {
        let (app, mut stopped) = (app.clone(), tx.subscribe());
        set.spawn(async move {
            work_one(app, i, async move {
                let _ = stopped.wait_for(|s| *s).await;
            })
            .await
        });
    }
    stop.await;
    let _ = tx.send(true);
    while set.join_next().await.is_some() {}
}

async fn work_one(app: App, n: usize, stop: impl std::future::Future<Output = ()>) {
    let worker = format!("{}-{}-{n}", hostname(), std::process::id());
    tokio::pin!(stop);
    loop {
        let busy = match run_next(&app, &worker).await {
            Ok(ran) => ran,
            Err(e) => {
                tracing::warn!(error = %e, "job outbox unreachable");
                false
            }
        };
        if busy {
            continue;
        }
        tokio::select! {
            _ = &mut stop => return,
            _ = app.jobs_wake.notified() => {}
            _ = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
        }
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname").map(|s| s.trim().to_string()).unwrap_or_else(|_| "greenlane".into())
}

/// A job as staff see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JobView {
    pub id: i64,
    /// `notice` or `hearing_notice`
    pub kind: String,
    /// `pending`, `done` or `failed`
    pub state: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: String,
    pub due_at: String,
    pub finished_at: Option<String>,
    /// What the job was to do.
    pub payload: serde_json::Value,
}

/// The jobs in one state, newest first (clerk or admin): failed ones keep their last error.
pub async fn list(app: &App, actor: &Staff, state: Option<&str>) -> Result<Vec<JobView>, AppError> {
    actor.require(&[Role::Clerk, Role::Admin])?;
    let state = match state.map(str::trim).filter(|s| !s.is_empty()).unwrap_or("failed") {
        s @ ("pending" | "done" | "failed") => s,
        other => return Err(AppError::field("state", "unknown_state", format!("“{other}”应为 pending、done 或 failed"))),
    };
    let mut conn = app.db.reader.acquire().await?;
    let rows = store::in_state(&mut conn, state, 200).await?;
    Ok(rows
        .into_iter()
        .map(|r| JobView {
            id: r.id,
            kind: r.kind,
            state: r.state,
            attempts: r.attempts,
            last_error: r.last_error,
            created_at: r.created_at,
            due_at: r.due_at,
            finished_at: r.finished_at,
            payload: serde_json::from_str(&r.payload).unwrap_or(serde_json::Value::Null),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_doubling_up_to_an_hour() {
        assert_eq!(back_off(1), Duration::seconds(10));
        assert_eq!(back_off(2), Duration::seconds(20));
        assert_eq!(back_off(4), Duration::seconds(80));
        assert_eq!(back_off(40), Duration::seconds(3600));
    }

    #[test]
    fn a_hearing_notice_job_is_keyed_by_its_hearing() {
        let j = Job::HearingNotice { hearing_id: 7, by: "clerk".into() };
        assert_eq!(j.dedupe_key().as_deref(), Some("hearing_notice:7"));
        let back: Job = serde_json::from_str(&serde_json::to_string(&j).unwrap()).unwrap();
        assert_eq!(back, j);
    }
}
