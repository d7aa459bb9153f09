//! What a calendar feed shows: the hearings a room or an arbitrator holds or was taken off, and
//! the secret token a feed is read with.

use sqlx::AnyConnection;

/// Whose feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Arbitrator,
    Room,
}

impl Resource {
    fn kind(self) -> &'static str {
        match self {
            Resource::Arbitrator => "arbitrator",
            Resource::Room => "room",
        }
    }
}

/// One event of a feed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedRow {
    pub hearing_id: i64,
    pub case_no: Option<String>,
    pub track: crate::law::routing::Track,
    pub day: String,
    pub start_time: String,
    pub end_time: String,
    pub room_name: String,
    pub status: String,
    pub sequence: i64,
    pub updated_at: String,
    /// The resource was taken off the hearing (a move, a new tribunal): cancelled for it.
    pub released: i64,
}

/// The digest of the feed's token, `None` if the resource does not exist (`Some(None)`: no token set).
pub async fn token_digest(conn: &mut AnyConnection, who: Resource, id: i64) -> sqlx::Result<Option<Option<String>>> {
    let sql = match who {
        Resource::Arbitrator => "SELECT calendar_digest FROM arbitrators WHERE id = $1",
        Resource::Room => "SELECT calendar_digest FROM rooms WHERE id = $1",
    };
    sqlx::query_scalar(sql).bind(id).fetch_optional(&mut *conn).await
}

/// Replaces the feed's token by the digest of a new one; `false` if the resource does not exist.
pub async fn set_token_digest(conn: &mut AnyConnection, who: Resource, id: i64, digest: &str) -> sqlx::Result<bool> {
    let sql = match who {
        Resource::Arbitrator => "UPDATE arbitrators SET calendar_digest = $1, calendar_token = NULL WHERE id = $2",
        Resource::Room => "UPDATE rooms SET calendar_digest = $1, calendar_token = NULL WHERE id = $2",
    };
    Ok(sqlx::query(sql).bind(digest).bind(id).execute(&mut *conn).await?.rows_affected() > 0)
}

/// Every hearing on or after `from` that the resource holds, or held before a change took it off.
pub async fn events(conn: &mut AnyConnection, who: Resource, id: i64, from: &str) -> sqlx::Result<Vec<FeedRow>> {
    let holds = match who {
        Resource::Arbitrator => "EXISTS (SELECT 1 FROM hearing_arbitrators ha WHERE ha.hearing_id = h.id AND ha.arbitrator_id = $1)",
        Resource::Room => "h.room_id = $1",
    };
    let sql = format!(
        "SELECT h.id AS hearing_id, c.case_no, c.track, h.day, h.start_time, h.end_time, r.name AS room_name, h.status, h.sequence, h.updated_at, \
                CASE WHEN {holds} THEN 0 ELSE 1 END AS released \
         FROM hearings h JOIN cases c ON c.id = h.case_id JOIN rooms r ON r.id = h.room_id \
         WHERE h.day >= $2 AND ({holds} OR EXISTS (SELECT 1 FROM hearing_releases hr WHERE hr.hearing_id = h.id AND hr.resource = $3 AND hr.resource_id = $1)) \
         ORDER BY h.day, h.start_time, h.id"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).bind(from).bind(who.kind()).fetch_all(&mut *conn).await
}

/// Feed tokens still held in clear (written before digests were kept), with their owner.
pub async fn clear_tokens(conn: &mut AnyConnection) -> sqlx::Result<Vec<(Resource, i64, String)>> {
    let mut out = Vec::new();
    for who in [Resource::Arbitrator, Resource::Room] {
        let sql = match who {
            Resource::Arbitrator => "SELECT id, calendar_token FROM arbitrators WHERE calendar_token IS NOT NULL",
            Resource::Room => "SELECT id, calendar_token FROM rooms WHERE calendar_token IS NOT NULL",
        };
        let rows: Vec<(i64, String)> = sqlx::query_as(sql).fetch_all(&mut *conn).await?;
        out.extend(rows.into_iter().map(|(id, t)| (who, id, t)));
    }
    Ok(out)
}
