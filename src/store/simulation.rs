//! What the simulator reads and keeps between its days: its run (scenario, seed, last day done),
//! the work each simulated day finds waiting, and one line per case for its figures.

use sqlx::AnyConnection;

#[allow(unused_imports)]
use super::codec::sql::*;

use crate::law::case::{Outcome, Status};
use crate::law::routing::Track;

/// A simulation database's run.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RunRow {
    pub scenario: String,
    pub seed: i64,
    pub last_day: Option<String>,
}

/// The run this database was made for, if any.
pub async fn run(conn: &mut AnyConnection) -> sqlx::Result<Option<RunRow>> {
    sqlx::query_as("SELECT scenario, seed, last_day FROM simulation_runs WHERE id = 1").fetch_optional(&mut *conn).await
}

/// Records the run a fresh database is made for.
pub async fn start(conn: &mut AnyConnection, scenario: &str, seed: i64, now: &str) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO simulation_runs (id, scenario, seed, last_day, started_at, updated_at) VALUES (1, $1, $2, NULL, $3, $3)")
        .bind(scenario)
        .bind(seed)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Marks a simulated day as finished.
pub async fn day_done(conn: &mut AnyConnection, day: &str, now: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE simulation_runs SET last_day = $1, updated_at = $2 WHERE id = 1").bind(day).bind(now).execute(&mut *conn).await?;
    Ok(())
}

/// How many cases were filed on `day` (a resumed day files only the rest).
pub async fn filed_on(conn: &mut AnyConnection, day: &str) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cases WHERE filed_on = $1").bind(day).fetch_one(&mut *conn).await?;
    Ok(n)
}

/// A case in a given state, with the day that state began from.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Waiting {
    pub id: String,
    pub track: Track,
    pub filed_on: String,
    pub accepted_on: Option<String>,
    pub status: Status,
}

/// Cases in these states, by filing day and id: not by the filing time, which two filings of the
/// same millisecond share, so a simulated day works through them in the same order on every run.
pub async fn in_states(conn: &mut AnyConnection, states: &[Status]) -> sqlx::Result<Vec<Waiting>> {
    let list: Vec<String> = states.iter().map(|s| format!("'{}'", s.code())).collect();
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, track, filed_on, accepted_on, status FROM cases WHERE status IN ({}) ORDER BY filed_on, id",
        list.join(", ")
    )))
    .fetch_all(&mut *conn)
    .await
}

/// A planned hearing of a day, with its presiding arbitrator.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DayHearing {
    pub id: i64,
    pub case_id: String,
    pub day: String,
    pub presiding: i64,
}

/// The hearings still planned from `from` to `to`, in order of day and time.
pub async fn planned_between(conn: &mut AnyConnection, from: &str, to: &str) -> sqlx::Result<Vec<DayHearing>> {
    sqlx::query_as(
        "SELECT h.id, h.case_id, h.day, a.arbitrator_id AS presiding FROM hearings h \
         JOIN hearing_arbitrators a ON a.hearing_id = h.id AND a.position = 0 \
         WHERE h.status = 'planned' AND h.day >= $1 AND h.day <= $2 ORDER BY h.day, h.session, h.slot, h.id",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await
}

/// The last day a case was heard, and who presided.
pub async fn last_held(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Option<(String, i64)>> {
    sqlx::query_as(
        "SELECT h.day, a.arbitrator_id FROM hearings h JOIN hearing_arbitrators a ON a.hearing_id = h.id AND a.position = 0 \
         WHERE h.case_id = $1 AND h.status = 'held' ORDER BY h.day DESC, h.id DESC LIMIT 1",
    )
    .bind(case_id)
    .fetch_optional(&mut *conn)
    .await
}

/// One case as the simulator's figures read it: its days and what closed it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseLine {
    pub id: String,
    pub track: Track,
    pub filed_on: String,
    pub accepted_on: Option<String>,
    pub closed_on: Option<String>,
    pub outcome: Option<Outcome>,
    pub within_limit: Option<i64>,
    /// The respondent had the copy (or the notice was published).
    pub copy_served: Option<String>,
    pub waived: Option<String>,
    pub first_hearing: Option<String>,
    pub last_hearing: Option<String>,
    /// Entries of the case's record (its audit trail).
    pub events: i64,
}

/// Every case filed from `from` on, in filing order.
pub async fn case_lines(conn: &mut AnyConnection, from: &str) -> sqlx::Result<Vec<CaseLine>> {
    sqlx::query_as(
        "SELECT c.id, c.track, c.filed_on, c.accepted_on, c.closed_on, c.outcome, c.within_limit, \
           (SELECT MIN(e.on_date) FROM clock_events e WHERE e.case_id = c.id AND e.kind IN ('copy_served', 'public_notice')) AS copy_served, \
           (SELECT MIN(e.on_date) FROM clock_events e WHERE e.case_id = c.id AND e.kind = 'defence_waived') AS waived, \
           (SELECT MIN(h.day) FROM hearings h WHERE h.case_id = c.id AND h.status = 'held') AS first_hearing, \
           (SELECT MAX(h.day) FROM hearings h WHERE h.case_id = c.id AND h.status = 'held') AS last_hearing, \
           (SELECT COUNT(*) FROM case_events v WHERE v.case_id = c.id) AS events \
         FROM cases c WHERE c.filed_on >= $1 ORDER BY c.filed_on, c.filed_at, c.id",
    )
    .bind(from)
    .fetch_all(&mut *conn)
    .await
}

/// Documents issued, and how many of them were laid out as PDF.
pub async fn documents(conn: &mut AnyConnection) -> sqlx::Result<(i64, i64)> {
    sqlx::query_as("SELECT COUNT(*), COALESCE(SUM(CASE WHEN pages > 0 THEN 1 ELSE 0 END), 0) FROM documents").fetch_one(&mut *conn).await
}

/// The hearing still planned for a case, if any.
pub async fn planned_of(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM hearings WHERE case_id = $1 AND status = 'planned'")
        .bind(case_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|r| r.0))
}

/// The presiding arbitrator of a hearing.
pub async fn presiding(conn: &mut AnyConnection, hearing_id: i64) -> sqlx::Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT arbitrator_id FROM hearing_arbitrators WHERE hearing_id = $1 AND position = 0")
        .bind(hearing_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|r| r.0))
}
