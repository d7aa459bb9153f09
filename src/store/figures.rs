//! The counts behind the commission's figures. Every query is an aggregate over an index
//! (`cases_accepted_figures`, `cases_closed_figures`, `hearings_held_on`); no case row is loaded.

use sqlx::AnyConnection;

use crate::figures::ClosedGroup;

/// Cases of a track accepted on days in `[from, to]`.
pub async fn accepted_between(conn: &mut AnyConnection, track: &str, from: &str, to: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM cases WHERE track = $1 AND accepted_on >= $2 AND accepted_on <= $3")
        .bind(track)
        .bind(from)
        .bind(to)
        .fetch_one(&mut *conn)
        .await
}

/// Cases of a track open at the start of `day`: accepted before it and not closed before it.
/// Every closed case was accepted first, so this is a difference of two index counts.
pub async fn open_at_start_of(conn: &mut AnyConnection, track: &str, day: &str) -> sqlx::Result<i64> {
    let accepted: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases WHERE track = $1 AND accepted_on < $2")
        .bind(track)
        .bind(day)
        .fetch_one(&mut *conn)
        .await?;
    let closed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases WHERE track = $1 AND closed_on < $2")
        .bind(track)
        .bind(day)
        .fetch_one(&mut *conn)
        .await?;
    Ok(accepted - closed)
}

/// Cases of a track closed on days in `[from, to]`, grouped by what the figures read.
pub async fn closed_between(conn: &mut AnyConnection, track: &str, from: &str, to: &str) -> sqlx::Result<Vec<ClosedGroup>> {
    type Row = (String, Option<i64>, Option<String>, Option<String>, Option<String>, Option<i64>, i64);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT outcome, within_limit, award_finality, court_outcome, court_result, cycle_days, COUNT(*) FROM cases \
         WHERE track = $1 AND closed_on >= $2 AND closed_on <= $3 AND outcome IS NOT NULL \
         GROUP BY outcome, within_limit, award_finality, court_outcome, court_result, cycle_days",
    )
    .bind(track)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(outcome, within_limit, award_finality, court_outcome, court_result, cycle_days, count)| ClosedGroup {
            outcome,
            within_limit: within_limit.map(|w| w != 0),
            award_finality,
            court_outcome,
            court_result,
            cycle_days,
            count,
        })
        .collect())
}

/// Cases of a track closed on days in `[from, to]`.
pub async fn closed_count_between(conn: &mut AnyConnection, track: &str, from: &str, to: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM cases WHERE track = $1 AND closed_on >= $2 AND closed_on <= $3")
        .bind(track)
        .bind(from)
        .bind(to)
        .fetch_one(&mut *conn)
        .await
}

/// `(YYYY-MM, cases)` accepted (or, with `closed`, closed) per month in `[from, to]`.
pub async fn per_month(conn: &mut AnyConnection, track: &str, from: &str, to: &str, closed: bool) -> sqlx::Result<Vec<(String, i64)>> {
    let sql = if closed {
        "SELECT substr(closed_on, 1, 7) AS month, COUNT(*) FROM cases WHERE track = $1 AND closed_on >= $2 AND closed_on <= $3 GROUP BY month ORDER BY month"
    } else {
        "SELECT substr(accepted_on, 1, 7) AS month, COUNT(*) FROM cases WHERE track = $1 AND accepted_on >= $2 AND accepted_on <= $3 GROUP BY month ORDER BY month"
    };
    sqlx::query_as(sql).bind(track).bind(from).bind(to).fetch_all(&mut *conn).await
}

/// Hearings of a track's cases held on days in `[from, to]`.
pub async fn hearings_held(conn: &mut AnyConnection, track: &str, from: &str, to: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM hearings h JOIN cases c ON c.id = h.case_id \
         WHERE h.held_on >= $2 AND h.held_on <= $3 AND h.status = 'held' AND c.track = $1",
    )
    .bind(track)
    .bind(from)
    .bind(to)
    .fetch_one(&mut *conn)
    .await
}

/// Postponements of a track's hearings asked for on days in `[from, to]` and granted.
pub async fn postponements_granted(conn: &mut AnyConnection, track: &str, from: &str, to: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM postponements p JOIN cases c ON c.id = p.case_id \
         WHERE p.status = 'granted' AND p.requested_on >= $2 AND p.requested_on <= $3 AND c.track = $1",
    )
    .bind(track)
    .bind(from)
    .bind(to)
    .fetch_one(&mut *conn)
    .await
}

/// Arbitrator-slots booked by hearings not cancelled on days in `[from, to]`: each hearing's
/// slots times the arbitrators on it, as `(slots, arbitrator seats)` pairs counted.
pub async fn booked_arbitrator_slots(conn: &mut AnyConnection, from: &str, to: &str) -> sqlx::Result<i64> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT h.slots, COUNT(*) FROM hearing_arbitrators ha JOIN hearings h ON h.id = ha.hearing_id \
         WHERE h.day >= $1 AND h.day <= $2 AND h.status <> 'cancelled' GROUP BY h.slots",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().map(|(slots, n)| slots * n).sum())
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
    Ok(arbitrators.into_iter().map(|id| leave.iter().filter(|(a, _, _)| *a == id).map(|(_, f, t)| (f.clone(), t.clone())).collect()).collect())
}
