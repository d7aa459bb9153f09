//! The parties' sign-in: each respondent's code (as a digest) and the sessions a sign-in opens.

use sqlx::AnyConnection;

/// Stores a respondent's sign-in code digest.
pub async fn insert_code(conn: &mut AnyConnection, party_id: i64, case_id: &str, code_hash: &str, at: &str) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO party_codes (party_id, case_id, code_hash, created_at) VALUES ($1, $2, $3, $4)")
        .bind(party_id)
        .bind(case_id)
        .bind(code_hash)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The respondents' code digests of a case: `(party id, digest)`.
pub async fn codes_of_case(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Vec<(i64, String)>> {
    sqlx::query_as("SELECT party_id, code_hash FROM party_codes WHERE case_id = $1 ORDER BY party_id")
        .bind(case_id)
        .fetch_all(&mut *conn)
        .await
}

/// The case a 案号's year and number name.
pub async fn case_by_number(conn: &mut AnyConnection, year: i32, seq: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT id FROM cases WHERE case_year = $1 AND case_seq = $2")
        .bind(i64::from(year))
        .bind(seq)
        .fetch_optional(&mut *conn)
        .await
}

/// Stores a party's session.
pub async fn insert_session(
    conn: &mut AnyConnection,
    token_hash: &str,
    case_id: &str,
    role: &str,
    party_id: i64,
    at: &str,
    expires_at: &str,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO party_sessions (token_hash, case_id, role, party_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(token_hash)
        .bind(case_id)
        .bind(role)
        .bind(party_id)
        .bind(at)
        .bind(expires_at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The case, side and party of a session still running at `now`.
pub async fn session(conn: &mut AnyConnection, token_hash: &str, now: &str) -> sqlx::Result<Option<(String, String, i64)>> {
    sqlx::query_as("SELECT case_id, role, party_id FROM party_sessions WHERE token_hash = $1 AND expires_at > $2")
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *conn)
        .await
}

/// A defence to store.
pub struct NewDefence<'a> {
    pub case_id: &'a str,
    pub party_id: i64,
    pub text: &'a str,
    pub late: bool,
    pub waived: bool,
    pub at: &'a str,
}

/// Stores a respondent's defence.
pub async fn insert_defence(conn: &mut AnyConnection, d: &NewDefence<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO defences (case_id, party_id, text, late, waived, submitted_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(d.case_id)
    .bind(d.party_id)
    .bind(d.text)
    .bind(i64::from(d.late))
    .bind(i64::from(d.waived))
    .bind(d.at)
    .fetch_one(&mut *conn)
    .await
}

/// A defence as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DefenceRow {
    pub id: i64,
    pub party_id: i64,
    pub text: String,
    pub late: i64,
    pub waived: i64,
    pub submitted_at: String,
}

/// The defences of a case, oldest first.
pub async fn defences(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Vec<DefenceRow>> {
    sqlx::query_as("SELECT id, party_id, text, late, waived, submitted_at FROM defences WHERE case_id = $1 ORDER BY id")
        .bind(case_id)
        .fetch_all(&mut *conn)
        .await
}

/// Deletes the sessions that ended before `now`; returns how many.
pub async fn purge_sessions(conn: &mut AnyConnection, now: &str) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM party_sessions WHERE expires_at <= $1").bind(now).execute(&mut *conn).await?.rows_affected())
}
