//! The counts behind the commission's figures. Every query is an aggregate over an index
//! (`cases_accepted_figures`, `cases_closed_figures`, `cases_cycle_figures`, `hearings_day_figures`); no case row is loaded.

use sqlx::AnyConnection;

use crate::figures::ClosedCounts;

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

/// What the figures read of a track's cases closed on days in `[from, to]`: one pass over
/// `cases_closed_figures` for the counts, one over `cases_cycle_figures` for the cycles.
pub async fn closed_between(conn: &mut AnyConnection, track: &str, from: &str, to: &str) -> sqlx::Result<ClosedCounts> {
    type Row = (i64, i64, i64, i64, i64, i64, i64, i64, i64, Option<i64>, Option<i64>);
    // Law Art. 49: a petition to revoke that is dismissed (`upheld`) or withdrawn leaves the
    // final award standing, so the dispute ended at arbitration.
    let (closed, within_limit, limit_known, awards, final_awards, mediations, withdrawals, ended, awaiting, held, postponed): Row = sqlx::query_as(
        "SELECT COUNT(*), COUNT(CASE WHEN within_limit = 1 THEN 1 END), COUNT(within_limit), \
         COUNT(CASE WHEN outcome = 'award' THEN 1 END), \
         COUNT(CASE WHEN outcome = 'award' AND award_finality IN ('final', 'mixed') THEN 1 END), \
         COUNT(CASE WHEN outcome = 'mediation' THEN 1 END), \
         COUNT(CASE WHEN outcome IN ('withdrawn', 'deemed_withdrawn') THEN 1 END), \
         COUNT(CASE WHEN outcome IN ('mediation', 'withdrawn', 'deemed_withdrawn') \
                     OR (outcome = 'award' AND (court_outcome = 'no_suit' \
                         OR (court_outcome = 'revocation_petition' AND court_result IN ('upheld', 'withdrawn')))) THEN 1 END), \
         COUNT(CASE WHEN outcome = 'award' AND court_outcome IS NULL THEN 1 END), \
         CAST(SUM(hearings_held) AS BIGINT), CAST(SUM(postponements_granted) AS BIGINT) \
         FROM cases WHERE track = $1 AND closed_on >= $2 AND closed_on <= $3",
    )
    .bind(track)
    .bind(from)
    .bind(to)
    .fetch_one(&mut *conn)
    .await?;
    let cycles: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT cycle_days, COUNT(*) FROM cases WHERE track = $1 AND cycle_days IS NOT NULL AND closed_on >= $2 AND closed_on <= $3 \
         GROUP BY cycle_days ORDER BY cycle_days",
    )
    .bind(track)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    Ok(ClosedCounts {
        closed,
        within_limit,
        limit_known,
        awards,
        final_awards,
        mediations,
        withdrawals,
        ended,
        awaiting_court_outcome: awaiting,
        hearings_held: held.unwrap_or(0),
        postponements_granted: postponed.unwrap_or(0),
        cycles: cycles.into_iter().collect(),
    })
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
