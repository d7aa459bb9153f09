//! The counts behind the commission's figures. Every query is an aggregate over an index
//! (`cases_accepted_figures`, `cases_closed_figures`, `hearings_day_figures`), bounded by
//! the period asked for; no case row is loaded.

use super::codec::sql::*;
use sqlx::AnyConnection;

use crate::figures::ClosedCounts;

/// A track's cases accepted by `to` and still open after it: open today, or closed after `to`
/// (both read from `cases_closed_figures`, bounded by the period's end, not by history).
pub async fn open_after(conn: &mut AnyConnection, track: &str, to: &str) -> sqlx::Result<i64> {
    let (open, closed_later): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM cases WHERE track = $1 AND closed_on IS NULL AND accepted_on <= $2), \
                (SELECT COUNT(*) FROM cases WHERE track = $1 AND closed_on > $2 AND accepted_on <= $2)",
    )
    .bind(track)
    .bind(to)
    .fetch_one(&mut *conn)
    .await?;
    Ok(open + closed_later)
}

/// What the figures read of a track's cases closed on days in `[from, to]`, in one pass over
/// `cases_closed_figures` grouped by cycle length.
pub async fn closed_between(conn: &mut AnyConnection, track: &str, from: &str, to: &str) -> sqlx::Result<ClosedCounts> {
    type Row = (Option<i64>, i64, i64, i64, i64, i64, i64, i64, i64, i64, Option<i64>, Option<i64>);
    // Law Art. 49: a petition to revoke that is dismissed (`upheld`) or withdrawn leaves the
    // final award standing, so the dispute ended at arbitration.
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT cycle_days, COUNT(*), COUNT(CASE WHEN within_limit = 1 THEN 1 END), COUNT(within_limit), \
         COUNT(CASE WHEN outcome = '{AWARD}' THEN 1 END), \
         COUNT(CASE WHEN outcome = '{AWARD}' AND award_finality IN ('final', 'mixed') THEN 1 END), \
         COUNT(CASE WHEN outcome = '{MEDIATION}' THEN 1 END), \
         COUNT(CASE WHEN outcome IN ('{WITHDRAWN}', '{DEEMED_WITHDRAWN}') THEN 1 END), \
         COUNT(CASE WHEN outcome IN ('{MEDIATION}', '{WITHDRAWN}', '{DEEMED_WITHDRAWN}') \
                     OR (outcome = '{AWARD}' AND (court_outcome = 'no_suit' \
                         OR (court_outcome = 'revocation_petition' AND court_result IN ('upheld', 'withdrawn')))) THEN 1 END), \
         COUNT(CASE WHEN outcome = '{AWARD}' AND court_outcome IS NULL THEN 1 END), \
         CAST(SUM(hearings_held) AS BIGINT), CAST(SUM(postponements_granted) AS BIGINT) \
         FROM cases WHERE track = $1 AND closed_on >= $2 AND closed_on <= $3 GROUP BY cycle_days"
    )))
    .bind(track)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    let mut c = ClosedCounts::default();
    for (cycle, closed, within, known, awards, finals, mediations, withdrawals, ended, awaiting, held, postponed) in rows {
        c.closed += closed;
        c.within_limit += within;
        c.limit_known += known;
        c.awards += awards;
        c.final_awards += finals;
        c.mediations += mediations;
        c.withdrawals += withdrawals;
        c.ended += ended;
        c.awaiting_court_outcome += awaiting;
        c.hearings_held += held.unwrap_or(0);
        c.postponements_granted += postponed.unwrap_or(0);
        if let Some(days) = cycle {
            *c.cycles.entry(days).or_insert(0) += closed;
        }
    }
    Ok(c)
}

/// `(YYYY-MM-DD, cases)` accepted (or, with `closed`, closed) per day in `[from, to]`, in index
/// order (no sort).
pub async fn per_day(conn: &mut AnyConnection, track: &str, from: &str, to: &str, closed: bool) -> sqlx::Result<Vec<(String, i64)>> {
    let sql = if closed {
        "SELECT closed_on, COUNT(*) FROM cases WHERE track = $1 AND closed_on >= $2 AND closed_on <= $3 GROUP BY closed_on ORDER BY closed_on"
    } else {
        "SELECT accepted_on, COUNT(*) FROM cases WHERE track = $1 AND accepted_on >= $2 AND accepted_on <= $3 GROUP BY accepted_on ORDER BY accepted_on"
    };
    sqlx::query_as(sql).bind(track).bind(from).bind(to).fetch_all(&mut *conn).await
}

/// Arbitrator-slots booked by hearings not cancelled on days in `[from, to]`: each hearing's
/// slots times the arbitrators on it, from `hearings_day_figures`.
pub async fn booked_arbitrator_slots(conn: &mut AnyConnection, from: &str, to: &str) -> sqlx::Result<i64> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT slots, panel_size, COUNT(*) FROM hearings WHERE day >= $1 AND day <= $2 AND status <> 'cancelled' GROUP BY slots, panel_size",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().map(|(slots, panel, n)| slots * panel * n).sum())
}

/// The leave of each active arbitrator that overlaps `[from, to]`, as `(from, to)` days; one entry
/// per active arbitrator, empty when they took none.
pub async fn sitting(conn: &mut AnyConnection, from: &str, to: &str) -> sqlx::Result<Vec<Vec<(String, String)>>> {
    let arbitrators: Vec<i64> = sqlx::query_scalar("SELECT id FROM arbitrators WHERE active = 1 ORDER BY id").fetch_all(&mut *conn).await?;
    let leave: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT arbitrator_id, from_day, to_day FROM arbitrator_leave WHERE to_day >= $1 AND from_day <= $2 ORDER BY id")
            .bind(from)
            .bind(to)
            .fetch_all(&mut *conn)
            .await?;
    Ok(arbitrators
        .into_iter()
        .map(|id| leave.iter().filter(|(a, _, _)| *a == id).map(|(_, f, t)| (f.clone(), t.clone())).collect())
        .collect())
}
