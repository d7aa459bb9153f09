//! Messages to the parties (notifications, not service): what was sent to whom by SMS or e-mail,
//! once per party, channel and occasion; the gateway's receipts; and who opted out.

use sqlx::AnyConnection;

/// A message to a party by SMS or e-mail.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub case_id: String,
    pub party_id: i64,
    pub service_id: Option<i64>,
    pub kind: String,
    pub channel: String,
    pub recipient: String,
    pub subject: Option<String>,
    pub body: String,
    pub status: String,
    pub receipt_id: Option<String>,
    pub last_error: Option<String>,
    pub created_at: String,
}

const COLUMNS: &str =
    "id, case_id, party_id, service_id, kind, channel, recipient, subject, body, status, receipt_id, last_error, created_at";

/// A message to store.
pub struct NewMessage<'a> {
    pub case_id: &'a str,
    pub party_id: i64,
    pub service_id: Option<i64>,
    pub kind: &'a str,
    pub channel: &'a str,
    pub recipient: &'a str,
    pub subject: Option<&'a str>,
    pub body: &'a str,
    /// The occasion: a second message with the same key to the same party and channel is not stored.
    pub dedupe_key: Option<&'a str>,
    pub opt_out_token: Option<&'a str>,
    pub at: &'a str,
}

/// Stores a message to send; `None` when one for the same occasion was stored before.
pub async fn insert(conn: &mut AnyConnection, m: &NewMessage<'_>) -> sqlx::Result<Option<i64>> {
    sqlx::query_as::<_, (i64,)>(
        "INSERT INTO messages (case_id, party_id, service_id, kind, channel, recipient, subject, body, dedupe_key, opt_out_token, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(m.case_id)
    .bind(m.party_id)
    .bind(m.service_id)
    .bind(m.kind)
    .bind(m.channel)
    .bind(m.recipient)
    .bind(m.subject)
    .bind(m.body)
    .bind(m.dedupe_key)
    .bind(m.opt_out_token)
    .bind(m.at)
    .fetch_optional(&mut *conn)
    .await
    .map(|r| r.map(|(id,)| id))
}

/// One message.
pub async fn get(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<MessageRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM messages WHERE id = $1"))).bind(id).fetch_optional(&mut *conn).await
}

/// The messages of a case, oldest first.
pub async fn of_case(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Vec<MessageRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM messages WHERE case_id = $1 ORDER BY id")))
        .bind(case_id)
        .fetch_all(&mut *conn)
        .await
}

/// Records a message's sending (with the gateway's id, or the relay's reply for e-mail).
pub async fn sent(conn: &mut AnyConnection, id: i64, receipt_id: Option<&str>, at: &str) -> sqlx::Result<bool> {
    let r = sqlx::query("UPDATE messages SET status = 'sent', receipt_id = $2, sent_at = $3 WHERE id = $1 AND status = 'pending'")
        .bind(id)
        .bind(receipt_id)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(r.rows_affected() > 0)
}

/// Records a failed attempt; `last` gives the message up as failed.
pub async fn attempt_failed(conn: &mut AnyConnection, id: i64, error: &str, last: bool) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE messages SET last_error = $2, status = CASE WHEN $3 = 1 THEN 'failed' ELSE status END WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(error)
    .bind(i64::from(last))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The message a gateway's receipt id names, and its status.
pub async fn by_receipt(conn: &mut AnyConnection, receipt_id: &str) -> sqlx::Result<Option<(i64, String)>> {
    sqlx::query_as("SELECT id, status FROM messages WHERE receipt_id = $1").bind(receipt_id).fetch_optional(&mut *conn).await
}

/// Records a gateway's delivery receipt on a message.
pub async fn receipt(conn: &mut AnyConnection, id: i64, delivered: bool, error: Option<&str>, at: &str) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE messages SET status = $2, delivered_at = CASE WHEN $2 = 'delivered' THEN $4 ELSE NULL END, last_error = $3 \
         WHERE id = $1 AND status = 'sent'",
    )
    .bind(id)
    .bind(if delivered { "delivered" } else { "failed" })
    .bind(error)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() > 0)
}

/// The party an e-mail's opt-out link names, with its case.
pub async fn by_opt_out_token(conn: &mut AnyConnection, token: &str) -> sqlx::Result<Option<(i64, String)>> {
    sqlx::query_as("SELECT party_id, case_id FROM messages WHERE opt_out_token = $1").bind(token).fetch_optional(&mut *conn).await
}

/// Whether the party opted out of notifications.
pub async fn opted_out(conn: &mut AnyConnection, party_id: i64) -> sqlx::Result<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT party_id FROM notification_opt_outs WHERE party_id = $1").bind(party_id).fetch_optional(&mut *conn).await?;
    Ok(row.is_some())
}

/// Opts the party out (`true`) or back in (`false`).
pub async fn set_opt_out(conn: &mut AnyConnection, party_id: i64, out: bool, at: &str, by: &str) -> sqlx::Result<()> {
    if out {
        sqlx::query("INSERT INTO notification_opt_outs (party_id, at, by_whom) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(party_id)
            .bind(at)
            .bind(by)
            .execute(&mut *conn)
            .await?;
    } else {
        sqlx::query("DELETE FROM notification_opt_outs WHERE party_id = $1").bind(party_id).execute(&mut *conn).await?;
    }
    Ok(())
}
