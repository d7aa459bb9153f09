//! A party's requests to postpone a hearing (Law Art. 35; Rules Art. 38) and the clerk's decisions.

use sqlx::AnyConnection;

/// A postponement request.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostponementRow {
    pub id: i64,
    pub hearing_id: i64,
    pub case_id: String,
    pub party: String,
    pub requested_on: String,
    pub reason: String,
    pub status: String,
    pub decision_note: Option<String>,
}

const COLUMNS: &str = "SELECT id, hearing_id, case_id, party, requested_on, reason, status, decision_note FROM postponements";

/// A request to store.
pub struct NewPostponement<'a> {
    pub hearing_id: i64,
    pub case_id: &'a str,
    pub party: &'a str,
    pub requested_on: &'a str,
    pub reason: &'a str,
}

/// Stores a pending request; a second pending one for the same hearing is a unique violation.
pub async fn insert(conn: &mut AnyConnection, p: &NewPostponement<'_>, now: &str, by: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO postponements (hearing_id, case_id, party, requested_on, reason, status, recorded_at, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7) RETURNING id",
    )
    .bind(p.hearing_id)
    .bind(p.case_id)
    .bind(p.party)
    .bind(p.requested_on)
    .bind(p.reason)
    .bind(now)
    .bind(by)
    .fetch_one(&mut *conn)
    .await
}

pub async fn get(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<PostponementRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{COLUMNS} WHERE id = $1"))).bind(id).fetch_optional(&mut *conn).await
}

/// The requests of a case, latest first.
pub async fn of_case(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Vec<PostponementRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{COLUMNS} WHERE case_id = $1 ORDER BY id DESC"))).bind(case_id).fetch_all(&mut *conn).await
}

/// Decides a pending request; `false` if it was decided meanwhile.
pub async fn decide(conn: &mut AnyConnection, id: i64, granted: bool, note: &str, now: &str, by: &str) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE postponements SET status = $2, decision_note = $3, decided_at = $4, decided_by = $5 WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(if granted { "granted" } else { "refused" })
    .bind(note)
    .bind(now)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() == 0 {
        return Ok(false);
    }
    if granted {
        // The figures count granted postponements per case from the case itself.
        sqlx::query("UPDATE cases SET postponements_granted = postponements_granted + 1 WHERE id = (SELECT case_id FROM postponements WHERE id = $1)")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(true)
}

/// Every postponement request still waiting for a decision, oldest first.
pub async fn pending(conn: &mut AnyConnection) -> sqlx::Result<Vec<PostponementRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{COLUMNS} WHERE status = 'pending' ORDER BY id"))).fetch_all(&mut *conn).await
}
