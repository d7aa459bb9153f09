//! Arbitrators' weekly patterns, busy times and calendar feeds.

use sqlx::AnyConnection;

/// A weekly pattern as stored (`pattern` is its JSON).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WeeklyRow {
    pub arbitrator_id: i64,
    pub from_day: String,
    pub pattern: String,
}

/// Sets the pattern in force from `from_day` (replacing one set for the same day).
pub async fn set_weekly(
    conn: &mut AnyConnection,
    arbitrator_id: i64,
    from_day: &str,
    pattern: &str,
    at: &str,
    by: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO arbitrator_weekly (arbitrator_id, from_day, pattern, set_at, set_by) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (arbitrator_id, from_day) DO UPDATE SET pattern = excluded.pattern, set_at = excluded.set_at, set_by = excluded.set_by",
    )
    .bind(arbitrator_id)
    .bind(from_day)
    .bind(pattern)
    .bind(at)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Every weekly pattern (of one arbitrator, or of all), oldest first.
pub async fn weekly(conn: &mut AnyConnection, arbitrator_id: Option<i64>) -> sqlx::Result<Vec<WeeklyRow>> {
    sqlx::query_as(
        "SELECT arbitrator_id, from_day, pattern FROM arbitrator_weekly WHERE ($1 IS NULL OR arbitrator_id = $1) \
         ORDER BY arbitrator_id, from_day",
    )
    .bind(arbitrator_id)
    .fetch_all(&mut *conn)
    .await
}

/// A busy time as stored, with the feed it came from.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BusyRow {
    pub id: i64,
    pub arbitrator_id: i64,
    pub day: String,
    pub start_time: String,
    pub end_time: String,
    pub note: String,
    pub source: String,
    pub feed_id: Option<i64>,
    pub feed_url: Option<String>,
}

/// A busy time to store.
pub struct NewBusy<'a> {
    pub arbitrator_id: i64,
    pub day: &'a str,
    pub start: &'a str,
    pub end: &'a str,
    pub note: &'a str,
    pub feed_id: Option<i64>,
    pub at: &'a str,
    pub by: &'a str,
}

pub async fn insert_busy(conn: &mut AnyConnection, b: &NewBusy<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO arbitrator_busy (arbitrator_id, day, start_time, end_time, note, source, feed_id, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(b.arbitrator_id)
    .bind(b.day)
    .bind(b.start)
    .bind(b.end)
    .bind(b.note)
    .bind(if b.feed_id.is_some() { "import" } else { "manual" })
    .bind(b.feed_id)
    .bind(b.at)
    .bind(b.by)
    .fetch_one(&mut *conn)
    .await
}

/// Busy times on or after `from` (of one arbitrator, or of all), by day.
pub async fn busy_from(conn: &mut AnyConnection, arbitrator_id: Option<i64>, from: &str) -> sqlx::Result<Vec<BusyRow>> {
    sqlx::query_as(
        "SELECT b.id, b.arbitrator_id, b.day, b.start_time, b.end_time, b.note, b.source, b.feed_id, f.url AS feed_url \
         FROM arbitrator_busy b LEFT JOIN arbitrator_feeds f ON f.id = b.feed_id \
         WHERE ($1 IS NULL OR b.arbitrator_id = $1) AND b.day >= $2 ORDER BY b.arbitrator_id, b.day, b.start_time, b.id",
    )
    .bind(arbitrator_id)
    .bind(from)
    .fetch_all(&mut *conn)
    .await
}

/// Deletes one busy time typed by hand; false when there is none of that arbitrator.
pub async fn delete_busy(conn: &mut AnyConnection, arbitrator_id: i64, id: i64) -> sqlx::Result<bool> {
    let r = sqlx::query("DELETE FROM arbitrator_busy WHERE id = $1 AND arbitrator_id = $2 AND source = 'manual'")
        .bind(id)
        .bind(arbitrator_id)
        .execute(&mut *conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Replaces what a feed imported with its new import.
pub async fn clear_feed(conn: &mut AnyConnection, feed_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM arbitrator_busy WHERE feed_id = $1").bind(feed_id).execute(&mut *conn).await?;
    Ok(())
}

/// A calendar feed of an arbitrator.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedRow {
    pub id: i64,
    pub arbitrator_id: i64,
    pub url: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub last_checked_at: Option<String>,
    pub last_ok_at: Option<String>,
    pub last_error: Option<String>,
}

const FEED: &str = "SELECT id, arbitrator_id, url, etag, last_modified, last_checked_at, last_ok_at, last_error FROM arbitrator_feeds";

/// The feed of an arbitrator with this URL (null: its uploads), made if missing.
pub async fn feed(conn: &mut AnyConnection, arbitrator_id: i64, url: Option<&str>, at: &str, by: &str) -> sqlx::Result<FeedRow> {
    let found: Option<FeedRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{FEED} WHERE arbitrator_id = $1 AND ((url IS NULL AND $2 IS NULL) OR url = $2) ORDER BY id LIMIT 1"
    )))
    .bind(arbitrator_id)
    .bind(url)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(f) = found {
        return Ok(f);
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO arbitrator_feeds (arbitrator_id, url, created_at, created_by) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(arbitrator_id)
    .bind(url)
    .bind(at)
    .bind(by)
    .fetch_one(&mut *conn)
    .await?;
    Ok(FeedRow {
        id,
        arbitrator_id,
        url: url.map(String::from),
        etag: None,
        last_modified: None,
        last_checked_at: None,
        last_ok_at: None,
        last_error: None,
    })
}

/// One feed.
pub async fn feed_by_id(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<FeedRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{FEED} WHERE id = $1"))).bind(id).fetch_optional(&mut *conn).await
}

/// An arbitrator's feeds.
pub async fn feeds_of(conn: &mut AnyConnection, arbitrator_id: i64) -> sqlx::Result<Vec<FeedRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{FEED} WHERE arbitrator_id = $1 ORDER BY id")))
        .bind(arbitrator_id)
        .fetch_all(&mut *conn)
        .await
}

/// Every subscribed feed (with a URL).
pub async fn subscriptions(conn: &mut AnyConnection) -> sqlx::Result<Vec<FeedRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{FEED} WHERE url IS NOT NULL ORDER BY id"))).fetch_all(&mut *conn).await
}

/// Records a fetch of a feed: its validators and success, or the error (the last good import stays).
pub async fn note_fetch(
    conn: &mut AnyConnection,
    id: i64,
    at: &str,
    ok: bool,
    error: Option<&str>,
    etag: Option<&str>,
    last_modified: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE arbitrator_feeds SET last_checked_at = $2, last_ok_at = CASE WHEN $3 THEN $2 ELSE last_ok_at END, \
         last_error = $4, etag = COALESCE($5, etag), last_modified = COALESCE($6, last_modified) WHERE id = $1",
    )
    .bind(id)
    .bind(at)
    .bind(ok)
    .bind(error)
    .bind(etag)
    .bind(last_modified)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
