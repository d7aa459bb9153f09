//! The parties' evidence files and the clerk's review of each.

use sqlx::AnyConnection;

/// An evidence file to store.
pub struct NewEvidence<'a> {
    pub case_id: &'a str,
    pub party_id: i64,
    pub role: &'a str,
    pub name: &'a str,
    pub purpose: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
    pub sha256: &'a str,
    pub at: &'a str,
    /// The legal day it came.
    pub on: &'a str,
}

/// Stores a file.
pub async fn insert(conn: &mut AnyConnection, e: &NewEvidence<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO evidence (case_id, party_id, role, name, purpose, content_type, bytes, sha256, size, submitted_at, submitted_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(e.case_id)
    .bind(e.party_id)
    .bind(e.role)
    .bind(e.name)
    .bind(e.purpose)
    .bind(e.content_type)
    .bind(e.bytes)
    .bind(e.sha256)
    .bind(e.bytes.len() as i64)
    .bind(e.at)
    .bind(e.on)
    .fetch_one(&mut *conn)
    .await
}

/// How many files a side of a case has submitted (the applicants share one count, as they share a code).
pub async fn count(conn: &mut AnyConnection, case_id: &str, role: &str, party_id: Option<i64>) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM evidence WHERE case_id = $1 AND role = $2 AND ($3 IS NULL OR party_id = $3)")
        .bind(case_id)
        .bind(role)
        .bind(party_id)
        .fetch_one(&mut *conn)
        .await
}

/// One file as listed, without its bytes.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EvidenceRow {
    pub id: i64,
    pub party_id: i64,
    pub role: String,
    pub name: String,
    pub purpose: String,
    pub content_type: String,
    pub sha256: String,
    pub size: i64,
    pub submitted_at: String,
    pub submitted_on: Option<String>,
    pub review: String,
    pub review_reason: Option<String>,
}

/// Every file of a case, in the order submitted.
pub async fn of_case(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Vec<EvidenceRow>> {
    sqlx::query_as(
        "SELECT id, party_id, role, name, purpose, content_type, sha256, size, submitted_at, submitted_on, review, review_reason \
         FROM evidence WHERE case_id = $1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await
}

/// The clerk's review of a pending file; false when it was reviewed already.
pub async fn review(conn: &mut AnyConnection, id: i64, decision: &str, reason: Option<&str>, at: &str, by: &str) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE evidence SET review = $2, review_reason = $3, reviewed_at = $4, reviewed_by = $5 WHERE id = $1 AND review = 'pending'",
    )
    .bind(id)
    .bind(decision)
    .bind(reason)
    .bind(at)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() > 0)
}

/// One file with its case and its bytes.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EvidenceFile {
    pub case_id: String,
    pub bytes: Vec<u8>,
    #[sqlx(flatten)]
    pub row: EvidenceRow,
}

/// One file with its case and its bytes.
pub async fn file(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<(String, EvidenceRow, Vec<u8>)>> {
    let f: Option<EvidenceFile> = sqlx::query_as(
        "SELECT case_id, id, party_id, role, name, purpose, content_type, sha256, size, submitted_at, submitted_on, review, review_reason, bytes \
         FROM evidence WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(f.map(|f| (f.case_id, f.row, f.bytes)))
}

/// The case an evidence file belongs to.
pub async fn case_of(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT case_id FROM evidence WHERE id = $1").bind(id).fetch_optional(&mut *conn).await
}
