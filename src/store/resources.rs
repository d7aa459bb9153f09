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
