//! What the court did with each award (`award_court_outcomes`), and the case's sum of them.

use sqlx::AnyConnection;

use crate::law::court::{CourtOutcome, CourtRecord, CourtResult};

/// One award's court record as stored.
#[derive(Debug, Clone)]
pub struct AwardCourtRow {
    pub document_id: i64,
    pub record: CourtRecord,
    pub recorded_on: String,
}

/// Records (or replaces) what the court did with an award.
pub async fn put(
    conn: &mut AnyConnection,
    case_id: &str,
    document_id: i64,
    record: CourtRecord,
    on: &str,
    now: &str,
    by: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO award_court_outcomes (document_id, case_id, court_outcome, court_result, recorded_on, recorded_at, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (document_id) DO UPDATE SET court_outcome = excluded.court_outcome, \
         court_result = excluded.court_result, recorded_on = excluded.recorded_on, recorded_at = excluded.recorded_at, \
         recorded_by = excluded.recorded_by",
    )
    .bind(document_id)
    .bind(case_id)
    .bind(record.outcome.code())
    .bind(record.result.map(CourtResult::code))
    .bind(on)
    .bind(now)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The court records of a case's awards.
pub async fn of_case(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Vec<AwardCourtRow>> {
    let rows: Vec<(i64, String, Option<String>, String)> = sqlx::query_as(
        "SELECT document_id, court_outcome, court_result, recorded_on FROM award_court_outcomes WHERE case_id = $1 ORDER BY document_id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(document_id, outcome, result, recorded_on)| {
            let outcome = CourtOutcome::parse(&outcome).ok_or_else(|| decode("court_outcome", &outcome))?;
            let result = result.map(|r| CourtResult::parse(&r).ok_or_else(|| decode("court_result", &r))).transpose()?;
            Ok(AwardCourtRow { document_id, record: CourtRecord { outcome, result }, recorded_on })
        })
        .collect()
}

fn decode(column: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("{column}: unknown code {value:?}").into())
}

/// Sets the case's own court record (what the figures count), or clears it while an award of
/// the case still has none.
pub async fn set_case(conn: &mut AnyConnection, case_id: &str, record: Option<CourtRecord>, on: &str, now: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE cases SET court_outcome = $2, court_result = $3, court_recorded_on = $4, updated_at = $5 WHERE id = $1")
        .bind(case_id)
        .bind(record.map(|r| r.outcome.code()))
        .bind(record.and_then(|r| r.result.map(CourtResult::code)))
        .bind(record.map(|_| on))
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
