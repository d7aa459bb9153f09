//! Arbitrators and hearing rooms.

use sqlx::AnyConnection;

pub async fn insert_arbitrator(conn: &mut AnyConnection, name: &str, presides: bool, max_per_day: i64, now: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar("INSERT INTO arbitrators (name, presides, max_per_day, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(name)
        .bind(super::flag(presides))
        .bind(max_per_day)
        .bind(now)
        .fetch_one(&mut *conn)
        .await
}

pub async fn arbitrator_exists(conn: &mut AnyConnection, id: i64) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM arbitrators WHERE id = $1").bind(id).fetch_one(&mut *conn).await?;
    Ok(n > 0)
}

pub async fn insert_room(conn: &mut AnyConnection, name: &str, seats: i64, now: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar("INSERT INTO rooms (name, seats, created_at) VALUES ($1, $2, $3) RETURNING id")
        .bind(name)
        .bind(seats)
        .bind(now)
        .fetch_one(&mut *conn)
        .await
}

/// Changes an arbitrator's name, presiding, daily limit and whether it takes new hearings; false
/// when there is no such arbitrator.
pub async fn update_arbitrator(
    conn: &mut AnyConnection,
    id: i64,
    name: &str,
    presides: bool,
    max_per_day: i64,
    active: bool,
) -> sqlx::Result<bool> {
    let r = sqlx::query("UPDATE arbitrators SET name = $2, presides = $3, max_per_day = $4, active = $5 WHERE id = $1")
        .bind(id)
        .bind(name)
        .bind(super::flag(presides))
        .bind(max_per_day)
        .bind(super::flag(active))
        .execute(&mut *conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Changes a room's name, seats and whether it is in use; false when there is no such room.
pub async fn update_room(conn: &mut AnyConnection, id: i64, name: &str, seats: i64, active: bool) -> sqlx::Result<bool> {
    let r = sqlx::query("UPDATE rooms SET name = $2, seats = $3, active = $4 WHERE id = $1")
        .bind(id)
        .bind(name)
        .bind(seats)
        .bind(super::flag(active))
        .execute(&mut *conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Hearings still planned in a room on `from_day` or later.
pub async fn planned_in_room(conn: &mut AnyConnection, room_id: i64, from_day: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM hearings WHERE room_id = $1 AND status = 'planned' AND day >= $2")
        .bind(room_id)
        .bind(from_day)
        .fetch_one(&mut *conn)
        .await
}

pub async fn count_cases(conn: &mut AnyConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM cases").fetch_one(&mut *conn).await
}

/// The names of arbitrators, in the order of `ids`.
pub async fn arbitrator_names(conn: &mut AnyConnection, ids: &[i64]) -> sqlx::Result<Vec<String>> {
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        out.push(sqlx::query_scalar("SELECT name FROM arbitrators WHERE id = $1").bind(id).fetch_one(&mut *conn).await?);
    }
    Ok(out)
}

/// One leave entry, with its arbitrator's name.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct LeaveLine {
    pub id: i64,
    pub arbitrator: String,
    pub from_day: String,
    pub to_day: String,
    pub reason: String,
    pub recorded_by: String,
}

/// Leave that ends on or after `from_day`, soonest first.
pub async fn leave_from(conn: &mut AnyConnection, from_day: &str) -> sqlx::Result<Vec<LeaveLine>> {
    sqlx::query_as(
        "SELECT l.id, a.name AS arbitrator, l.from_day, l.to_day, l.reason, l.recorded_by FROM arbitrator_leave l \
         JOIN arbitrators a ON a.id = l.arbitrator_id WHERE l.to_day >= $1 ORDER BY l.from_day, l.id",
    )
    .bind(from_day)
    .fetch_all(&mut *conn)
    .await
}

/// One recusal entry, with its arbitrator's name.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct RecusalLine {
    pub id: i64,
    pub arbitrator: String,
    pub party_name: Option<String>,
    pub id_number: Option<String>,
    pub credit_code: Option<String>,
    pub reason: String,
    pub recorded_by: String,
}

/// Every recusal entry, newest first.
pub async fn recusals(conn: &mut AnyConnection) -> sqlx::Result<Vec<RecusalLine>> {
    sqlx::query_as(
        "SELECT r.id, a.name AS arbitrator, r.party_name, r.id_number, r.credit_code, r.reason, r.recorded_by FROM recusals r \
         JOIN arbitrators a ON a.id = r.arbitrator_id ORDER BY r.id DESC",
    )
    .fetch_all(&mut *conn)
    .await
}
