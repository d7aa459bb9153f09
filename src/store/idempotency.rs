//! Idempotency keys of registrations: a retry with the same key gets the first response back.

use sqlx::AnyConnection;

/// A stored response and the hash of the request that produced it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Stored {
    pub request_hash: String,
    pub response: String,
}

/// The live entry for `key`, if any (expired entries are ignored).
pub async fn find(conn: &mut AnyConnection, key: &str, now: &str) -> sqlx::Result<Option<Stored>> {
    sqlx::query_as("SELECT request_hash, response FROM idempotency_keys WHERE key = $1 AND expires_at > $2")
        .bind(key)
        .bind(now)
        .fetch_optional(&mut *conn)
        .await
}

/// Deletes every expired entry; returns how many.
pub async fn purge_expired(conn: &mut AnyConnection, now: &str) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM idempotency_keys WHERE expires_at <= $1").bind(now).execute(&mut *conn).await?.rows_affected())
}

/// Stores a response; fails with a UNIQUE violation if another request stored the key first.
pub async fn insert(
    conn: &mut AnyConnection,
    key: &str,
    request_hash: &str,
    response: &str,
    now: &str,
    expires_at: &str,
) -> sqlx::Result<()> {
    // Expired entries are dropped here too (this also frees an expired `key`).
    sqlx::query("DELETE FROM idempotency_keys WHERE expires_at <= $1").bind(now).execute(&mut *conn).await?;
    sqlx::query("INSERT INTO idempotency_keys (key, request_hash, response, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(key)
        .bind(request_hash)
        .bind(response)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
