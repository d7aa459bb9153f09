//! Counters behind the request allowances and failure throttles, shared by every instance.

use sqlx::AnyConnection;

/// Counts one request under `key` (a key per address and minute) and returns the count so far.
pub async fn bump(conn: &mut AnyConnection, key: &str, now: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO throttle (key, count, last_at) VALUES ($1, 1, $2) \
         ON CONFLICT (key) DO UPDATE SET count = throttle.count + 1, last_at = excluded.last_at RETURNING count",
    )
    .bind(key)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
}

/// Counts one failure under `key`, starting again from one when the last failure came before
/// `fresh_after`; returns the run of failures.
pub async fn fail(conn: &mut AnyConnection, key: &str, now: &str, fresh_after: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO throttle (key, count, last_at) VALUES ($1, 1, $2) \
         ON CONFLICT (key) DO UPDATE SET count = CASE WHEN throttle.last_at < $3 THEN 1 ELSE throttle.count + 1 END, \
         last_at = excluded.last_at RETURNING count",
    )
    .bind(key)
    .bind(now)
    .bind(fresh_after)
    .fetch_one(&mut *conn)
    .await
}

/// Keeps `key` waiting until `until`.
pub async fn block(conn: &mut AnyConnection, key: &str, until: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE throttle SET blocked_until = $2 WHERE key = $1").bind(key).bind(until).execute(&mut *conn).await?;
    Ok(())
}

/// The latest time any of `keys` must wait until, if it is after `now`.
pub async fn blocked_until(conn: &mut AnyConnection, keys: &[String], now: &str) -> sqlx::Result<Option<String>> {
    let mut until: Option<String> = None;
    for key in keys {
        let t: Option<Option<String>> = sqlx::query_scalar("SELECT blocked_until FROM throttle WHERE key = $1 AND blocked_until > $2")
            .bind(key)
            .bind(now)
            .fetch_optional(&mut *conn)
            .await?;
        if let Some(Some(t)) = t {
            until = until.max(Some(t));
        }
    }
    Ok(until)
}

/// Forgets the failures under `key` (a successful login).
pub async fn clear(conn: &mut AnyConnection, key: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM throttle WHERE key = $1").bind(key).execute(&mut *conn).await?;
    Ok(())
}

/// Deletes counters last touched before `before` that hold nobody back any more.
pub async fn purge(conn: &mut AnyConnection, before: &str, now: &str) -> sqlx::Result<u64> {
    let r = sqlx::query("DELETE FROM throttle WHERE last_at < $1 AND (blocked_until IS NULL OR blocked_until < $2)")
        .bind(before)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(r.rows_affected())
}
