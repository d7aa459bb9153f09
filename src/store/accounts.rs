//! Staff accounts and their hashed bearer and session tokens.

use sqlx::AnyConnection;

/// A staff account as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub role: String,
    pub password_hash: String,
    pub arbitrator_id: Option<i64>,
    pub active: i64,
}

pub async fn insert_user(
    conn: &mut AnyConnection,
    username: &str,
    role: &str,
    password_hash: &str,
    arbitrator_id: Option<i64>,
    now: &str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO users (username, role, password_hash, arbitrator_id, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(username)
    .bind(role)
    .bind(password_hash)
    .bind(arbitrator_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
}

pub async fn by_username(conn: &mut AnyConnection, username: &str) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as("SELECT id, username, role, password_hash, arbitrator_id, active FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(&mut *conn)
        .await
}

pub async fn insert_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: i64,
    kind: &str,
    now: &str,
    expires_at: &str,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO auth_tokens (token_hash, user_id, kind, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(token_hash)
        .bind(user_id)
        .bind(kind)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The active user holding an unexpired token of `kind`.
pub async fn by_token(conn: &mut AnyConnection, token_hash: &str, kind: &str, now: &str) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as(
        "SELECT u.id, u.username, u.role, u.password_hash, u.arbitrator_id, u.active FROM auth_tokens t \
         JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND t.kind = $2 AND t.expires_at > $3 AND u.active = 1",
    )
    .bind(token_hash)
    .bind(kind)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await
}

pub async fn delete_token(conn: &mut AnyConnection, token_hash: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM auth_tokens WHERE token_hash = $1").bind(token_hash).execute(&mut *conn).await?;
    Ok(())
}

pub async fn purge_expired_tokens(conn: &mut AnyConnection, now: &str) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM auth_tokens WHERE expires_at <= $1").bind(now).execute(&mut *conn).await?.rows_affected())
}

/// Every account, by name.
pub async fn all(conn: &mut AnyConnection) -> sqlx::Result<Vec<UserRow>> {
    sqlx::query_as("SELECT id, username, role, password_hash, arbitrator_id, active FROM users ORDER BY username")
        .fetch_all(&mut *conn)
        .await
}

/// Disables an account and deletes its tokens; false when there is no such account.
pub async fn disable(conn: &mut AnyConnection, username: &str) -> sqlx::Result<bool> {
    let id: Option<i64> = sqlx::query_scalar("UPDATE users SET active = 0 WHERE username = $1 RETURNING id")
        .bind(username)
        .fetch_optional(&mut *conn)
        .await?;
    end_sessions(conn, id).await
}

/// Sets an account's password hash and deletes its tokens (every session signs in again); false
/// when there is no such account.
pub async fn set_password(conn: &mut AnyConnection, username: &str, password_hash: &str) -> sqlx::Result<bool> {
    let id: Option<i64> = sqlx::query_scalar("UPDATE users SET password_hash = $2 WHERE username = $1 RETURNING id")
        .bind(username)
        .bind(password_hash)
        .fetch_optional(&mut *conn)
        .await?;
    end_sessions(conn, id).await
}

/// Deletes every token of account `id`, if there is one: its sessions end at once. False when
/// there is no such account.
async fn end_sessions(conn: &mut AnyConnection, id: Option<i64>) -> sqlx::Result<bool> {
    let Some(id) = id else { return Ok(false) };
    sqlx::query("DELETE FROM auth_tokens WHERE user_id = $1").bind(id).execute(&mut *conn).await?;
    Ok(true)
}

/// Sets the name documents print for a staff member; false if there is no such account.
pub async fn set_full_name(conn: &mut AnyConnection, username: &str, full_name: &str) -> sqlx::Result<bool> {
    let r = sqlx::query("UPDATE users SET full_name = $2 WHERE username = $1").bind(username).bind(full_name).execute(&mut *conn).await?;
    Ok(r.rows_affected() == 1)
}

/// The clerk of a case as its documents name them: who accepted it, by full name (the username
/// when no name was recorded); `None` before acceptance.
pub async fn case_clerk(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Option<String>> {
    let row: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT e.actor, u.full_name FROM case_events e LEFT JOIN users u ON u.username = e.actor \
         WHERE e.case_id = $1 AND e.action = 'accepted' ORDER BY e.id DESC LIMIT 1",
    )
    .bind(case_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(actor, name)| name.filter(|n| !n.trim().is_empty()).unwrap_or(actor)))
}
