//! The append-only audit log of every state change of a case (the database refuses updates and deletes).

use sqlx::AnyConnection;

/// One audit event.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct EventRow {
    pub at: String,
    pub actor: String,
    /// The actor's name when it is a staff account with one recorded.
    pub actor_name: Option<String>,
    pub action: String,
    pub before_state: Option<String>,
    pub after_state: Option<String>,
    pub note: Option<String>,
}

/// One audit event to append: who did what to which case, and the state before and after.
#[derive(Clone, Copy)]
pub struct NewEvent<'a> {
    pub case_id: &'a str,
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// Appends one audit event.
pub async fn append(conn: &mut AnyConnection, e: &NewEvent<'_>) -> sqlx::Result<()> {
    let NewEvent { case_id, at, actor, action, before, after, note } = *e;
    sqlx::query(
        "INSERT INTO case_events (case_id, at, actor, action, before_state, after_state, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(case_id)
    .bind(at)
    .bind(actor)
    .bind(action)
    .bind(before)
    .bind(after)
    .bind(note)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn for_case(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Vec<EventRow>> {
    sqlx::query_as(
        "SELECT e.at, e.actor, u.full_name AS actor_name, e.action, e.before_state, e.after_state, e.note \
         FROM case_events e LEFT JOIN users u ON u.username = e.actor WHERE e.case_id = $1 ORDER BY e.id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await
}
