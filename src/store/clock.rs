//! The clock events of cases (append-only) and the holiday calendars loaded after the release.

use chrono::NaiveDate;
use sqlx::AnyConnection;

#[allow(unused_imports)]
use super::codec::sql::*;

use crate::law::clock::{ClockEntry, ClockEvent, RestartCause, SuspensionGround};

/// A clock event as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClockEventRow {
    pub case_id: String,
    pub kind: String,
    pub on_date: String,
    pub days: Option<i64>,
    pub code: Option<String>,
    pub approver: Option<String>,
    pub note: Option<String>,
    pub recorded_at: String,
    pub recorded_by: String,
}

pub async fn insert(conn: &mut AnyConnection, e: &ClockEventRow) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO clock_events (case_id, kind, on_date, days, code, approver, note, recorded_at, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&e.case_id)
    .bind(&e.kind)
    .bind(&e.on_date)
    .bind(e.days)
    .bind(&e.code)
    .bind(&e.approver)
    .bind(&e.note)
    .bind(&e.recorded_at)
    .bind(&e.recorded_by)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

const COLUMNS: &str = "ce.case_id, ce.kind, ce.on_date, ce.days, ce.code, ce.approver, ce.note, ce.recorded_at, ce.recorded_by";

/// The clock events of one case, in the order recorded.
pub async fn for_case(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Vec<ClockEventRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM clock_events ce WHERE ce.case_id = $1 ORDER BY ce.id")))
        .bind(case_id)
        .fetch_all(&mut *conn)
        .await
}

/// The clock entries of one case, oldest first, as the clock reads them.
pub async fn entries(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Vec<ClockEntry>> {
    for_case(conn, case_id).await?.iter().map(entry_of).collect()
}

/// The clock entry a stored row describes (the one decoder of `clock_events`).
pub fn entry_of(row: &ClockEventRow) -> sqlx::Result<ClockEntry> {
    let bad = |what: String| sqlx::Error::Decode(what.into());
    let on: NaiveDate = row.on_date.parse().map_err(|e| bad(format!("bad date {}: {e}", row.on_date)))?;
    let code = || row.code.as_deref().unwrap_or_default();
    let event = match row.kind.as_str() {
        "copy_served" => ClockEvent::CopyServed,
        "tribunal_notified" => ClockEvent::TribunalNotified,
        "defence_waived" => ClockEvent::DefenceWaived { days: row.days.map(|d| d as u32) },
        "suspended" => {
            ClockEvent::Suspended { ground: SuspensionGround::parse(code()).ok_or_else(|| bad(format!("bad ground {}", code())))? }
        }
        "resumed" => ClockEvent::Resumed,
        "extended" => ClockEvent::Extended { days: row.days.unwrap_or(0) as u32, approver: row.approver.clone().unwrap_or_default() },
        "restarted" => ClockEvent::Restarted { cause: RestartCause::parse(code()).ok_or_else(|| bad(format!("bad cause {}", code())))? },
        "public_notice" => ClockEvent::PublicNotice,
        other => return Err(bad(format!("unknown clock event {other}"))),
    };
    Ok(ClockEntry { on, event })
}

/// The row that stores a clock entry.
pub fn row_of(case_id: &str, entry: &ClockEntry, note: Option<String>, now: &str, by: &str) -> ClockEventRow {
    let (days, code, approver) = match &entry.event {
        ClockEvent::DefenceWaived { days } => (days.map(i64::from), None, None),
        ClockEvent::Suspended { ground } => (None, Some(ground.code().to_string()), None),
        ClockEvent::Extended { days, approver } => (Some(i64::from(*days)), None, Some(approver.clone())),
        ClockEvent::Restarted { cause } => (None, Some(cause.code().to_string()), None),
        _ => (None, None, None),
    };
    ClockEventRow {
        case_id: case_id.to_string(),
        kind: entry.event.code().to_string(),
        on_date: entry.on.to_string(),
        days,
        code,
        approver,
        note,
        recorded_at: now.to_string(),
        recorded_by: by.to_string(),
    }
}

/// The clock events of every open case, grouped by case, each group in the order recorded.
pub async fn for_open_cases(conn: &mut AnyConnection) -> sqlx::Result<Vec<ClockEventRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM clock_events ce JOIN cases c ON c.id = ce.case_id \
         WHERE c.status IN ('{FILED}', '{ACCEPTED}', '{SCHEDULED}', '{HEARD}', '{SUSPENDED}') ORDER BY ce.case_id, ce.id"
    )))
    .fetch_all(&mut *conn)
    .await
}

/// A year of the holiday calendar loaded by an admin.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CalendarYearRow {
    pub year: i64,
    pub notice: String,
    /// The year as a calendar file (`[[year]]` table).
    pub arrangement: String,
    pub loaded_at: String,
    pub loaded_by: String,
}

pub async fn calendar_years(conn: &mut AnyConnection) -> sqlx::Result<Vec<CalendarYearRow>> {
    sqlx::query_as("SELECT year, notice, arrangement, loaded_at, loaded_by FROM calendar_years ORDER BY year").fetch_all(&mut *conn).await
}

/// Stores a year, replacing an earlier load of the same year.
pub async fn upsert_calendar_year(conn: &mut AnyConnection, y: &CalendarYearRow) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO calendar_years (year, notice, arrangement, loaded_at, loaded_by) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (year) DO UPDATE SET notice = excluded.notice, arrangement = excluded.arrangement, \
         loaded_at = excluded.loaded_at, loaded_by = excluded.loaded_by",
    )
    .bind(y.year)
    .bind(&y.notice)
    .bind(&y.arrangement)
    .bind(&y.loaded_at)
    .bind(&y.loaded_by)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The clock events of the given cases, grouped by case, each group in the order recorded.
pub async fn for_cases(conn: &mut AnyConnection, case_ids: &[&str]) -> sqlx::Result<Vec<ClockEventRow>> {
    if case_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=case_ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!("SELECT {COLUMNS} FROM clock_events ce WHERE ce.case_id IN ({}) ORDER BY ce.case_id, ce.id", placeholders.join(", "));
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for id in case_ids {
        q = q.bind(*id);
    }
    q.fetch_all(&mut *conn).await
}

/// Which loads the stored calendar holds: the number of years and the latest load's time. Two
/// reads with the same stamp saw the same calendar.
pub async fn calendar_stamp(conn: &mut AnyConnection) -> sqlx::Result<String> {
    let (n, last): (i64, Option<String>) =
        sqlx::query_as("SELECT COUNT(*), MAX(loaded_at) FROM calendar_years").fetch_one(&mut *conn).await?;
    Ok(format!("{n}:{}", last.unwrap_or_default()))
}

/// Key of the advisory lock that orders calendar loads against writes that date things with it.
const CALENDAR_LOCK: i64 = 0x0067_726c_6e63_616c;

/// Holds the calendar still for the rest of the transaction: a load waits until it ends, and one
/// committed before is visible (PostgreSQL shared advisory lock; SQLite's one writer serialises).
pub async fn hold_calendar(conn: &mut AnyConnection) -> sqlx::Result<()> {
    if conn.backend_name() == "PostgreSQL" {
        sqlx::query("SELECT pg_advisory_xact_lock_shared($1)").bind(CALENDAR_LOCK).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Takes the calendar for a load: writes holding it finish first, later ones wait for the load.
pub async fn lock_calendar(conn: &mut AnyConnection) -> sqlx::Result<()> {
    if conn.backend_name() == "PostgreSQL" {
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(CALENDAR_LOCK).execute(&mut *conn).await?;
    }
    Ok(())
}
