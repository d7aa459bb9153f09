//! The job outbox: enqueue in the caller's transaction, claim one due job under a lease (with
//! `FOR UPDATE SKIP LOCKED` on PostgreSQL; inside the single writer on SQLite), finish or fail it.

use sqlx::AnyConnection;

use crate::config::Backend;

/// A job as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub state: String,
    pub due_at: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: String,
    pub finished_at: Option<String>,
}

const COLUMNS: &str = "id, kind, payload, state, due_at, attempts, last_error, created_at, finished_at";

/// Adds a job due at `due_at`. With a `dedupe_key` already pending, nothing is added (false).
pub async fn enqueue(
    conn: &mut AnyConnection,
    kind: &str,
    payload: &str,
    dedupe_key: Option<&str>,
    due_at: &str,
    now: &str,
) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "INSERT INTO jobs (kind, payload, dedupe_key, due_at, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (dedupe_key) WHERE state = 'pending' AND dedupe_key IS NOT NULL DO NOTHING",
    )
    .bind(kind)
    .bind(payload)
    .bind(dedupe_key)
    .bind(due_at)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Claims the oldest due job that nobody holds (or whose holder's lease ran out before
/// `lease_expired_before`), counting the attempt. One job, or none.
pub async fn claim(
    conn: &mut AnyConnection,
    backend: Backend,
    worker: &str,
    now: &str,
    lease_expired_before: &str,
) -> sqlx::Result<Option<JobRow>> {
    let lock = match backend {
        Backend::Postgres => "FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE jobs SET claimed_by = $1, claimed_at = $2, attempts = attempts + 1 \
         WHERE id = (SELECT id FROM jobs WHERE state = 'pending' AND due_at <= $2 \
                     AND (claimed_at IS NULL OR claimed_at < $3) ORDER BY due_at, id LIMIT 1 {lock}) \
         RETURNING {COLUMNS}"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(worker).bind(now).bind(lease_expired_before).fetch_optional(&mut *conn).await
}

/// Marks a claimed job done, if `worker` still holds it (false when another took it over).
pub async fn finish(conn: &mut AnyConnection, id: i64, worker: &str, now: &str) -> sqlx::Result<bool> {
    let r = sqlx::query("UPDATE jobs SET state = 'done', finished_at = $3 WHERE id = $1 AND state = 'pending' AND claimed_by = $2")
        .bind(id)
        .bind(worker)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Records a failed attempt: due again at `retry_at`, or failed for good when `retry_at` is None.
pub async fn fail(conn: &mut AnyConnection, id: i64, worker: &str, error: &str, retry_at: Option<&str>, now: &str) -> sqlx::Result<()> {
    let q = match retry_at {
        Some(at) => sqlx::query(
            "UPDATE jobs SET last_error = $3, due_at = $4, claimed_by = NULL, claimed_at = NULL \
             WHERE id = $1 AND claimed_by = $2 AND state = 'pending'",
        )
        .bind(id)
        .bind(worker)
        .bind(error)
        .bind(at),
        None => sqlx::query(
            "UPDATE jobs SET last_error = $3, state = 'failed', finished_at = $4, claimed_by = NULL, claimed_at = NULL \
             WHERE id = $1 AND claimed_by = $2 AND state = 'pending'",
        )
        .bind(id)
        .bind(worker)
        .bind(error)
        .bind(now),
    };
    q.execute(&mut *conn).await?;
    Ok(())
}

/// Jobs in `state`, newest first.
pub async fn in_state(conn: &mut AnyConnection, state: &str, limit: i64) -> sqlx::Result<Vec<JobRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM jobs WHERE state = $1 ORDER BY id DESC LIMIT $2")))
        .bind(state)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
}
