//! Dry runs of the planner kept to be saved as they are (`plan_drafts`).

use sqlx::AnyConnection;

/// Keeps a dry run; returns its id.
pub async fn insert(conn: &mut AnyConnection, now: &str, by: &str, basis: &str, placements: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar("INSERT INTO plan_drafts (created_at, created_by, basis, placements) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(now)
        .bind(by)
        .bind(basis)
        .bind(placements)
        .fetch_one(&mut *conn)
        .await
}

/// A dry run's fingerprint, its placements and when it was saved, if it was.
pub async fn get(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<(String, String, Option<String>)>> {
    sqlx::query_as("SELECT basis, placements, saved_at FROM plan_drafts WHERE id = $1").bind(id).fetch_optional(&mut *conn).await
}

/// Marks a dry run saved, once; false if it already was.
pub async fn mark_saved(conn: &mut AnyConnection, id: i64, now: &str) -> sqlx::Result<bool> {
    let r = sqlx::query("UPDATE plan_drafts SET saved_at = $2 WHERE id = $1 AND saved_at IS NULL")
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Deletes dry runs kept before `before`: a draft rests on its day's problem, so an older one can
/// never be saved.
pub async fn purge(conn: &mut AnyConnection, before: &str) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM plan_drafts WHERE created_at < $1").bind(before).execute(&mut *conn).await?.rows_affected())
}
