//! Service of documents: the parties' service addresses and consents, one service per document
//! and recipient with its steps, and the SMS and e-mail messages that prompt a party.

use sqlx::AnyConnection;

use crate::law::service::{Channel, Consent, ServiceStatus};

/// A party of a case with its service address in force (the latest confirmation, if any).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecipientRow {
    pub party_id: i64,
    pub role: String,
    pub position: i64,
    pub name: String,
    /// The address on the application.
    pub address: String,
    /// The mobile number on the application (applicants).
    pub phone: Option<String>,
    pub consent_id: Option<i64>,
    pub confirmed_address: Option<String>,
    pub confirmed_phone: Option<String>,
    pub email: Option<String>,
    pub platform: Option<i64>,
    pub sms_notice: Option<i64>,
    pub email_consent: Option<i64>,
    pub electronic_awards: Option<i64>,
    pub source: Option<String>,
    pub recorded_at: Option<String>,
}

impl RecipientRow {
    /// What the party consented to; nothing when no confirmation is on record.
    pub fn consent(&self) -> Consent {
        Consent {
            platform: self.platform == Some(1),
            sms_notice: self.sms_notice == Some(1),
            email: self.email_consent == Some(1),
            electronic_awards: self.electronic_awards == Some(1),
        }
    }

    /// The postal address documents go to: the confirmed one, else the application's.
    pub fn service_address(&self) -> &str {
        self.confirmed_address.as_deref().unwrap_or(&self.address)
    }

    /// The mobile number for prompts: the confirmed one, else the application's.
    pub fn mobile(&self) -> Option<&str> {
        self.confirmed_phone.as_deref().or(self.phone.as_deref())
    }
}

const RECIPIENTS: &str = "SELECT p.id AS party_id, p.role, p.position, p.name, p.address, p.phone, \
     a.id AS consent_id, a.address AS confirmed_address, a.phone AS confirmed_phone, a.email, a.platform, a.sms_notice, \
     a.email_consent, a.electronic_awards, a.source, a.recorded_at \
     FROM parties p LEFT JOIN service_addresses a \
       ON a.id = (SELECT MAX(x.id) FROM service_addresses x WHERE x.party_id = p.id)";

/// The parties of a case with their service addresses in force, applicants first.
pub async fn recipients(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Vec<RecipientRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{RECIPIENTS} WHERE p.case_id = $1 ORDER BY p.role, p.position")))
        .bind(case_id)
        .fetch_all(&mut *conn)
        .await
}

/// A service-address confirmation to store.
pub struct NewAddress<'a> {
    pub case_id: &'a str,
    pub party_id: i64,
    pub address: &'a str,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub consent: Consent,
    pub source: &'a str,
    pub at: &'a str,
    pub by: &'a str,
}

/// Stores a confirmation; from now on it is the one in force for the party.
pub async fn insert_address(conn: &mut AnyConnection, a: &NewAddress<'_>) -> sqlx::Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO service_addresses (case_id, party_id, address, phone, email, platform, sms_notice, email_consent, \
         electronic_awards, source, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(a.case_id)
    .bind(a.party_id)
    .bind(a.address)
    .bind(a.phone)
    .bind(a.email)
    .bind(i64::from(a.consent.platform))
    .bind(i64::from(a.consent.sms_notice))
    .bind(i64::from(a.consent.email))
    .bind(i64::from(a.consent.electronic_awards))
    .bind(a.source)
    .bind(a.at)
    .bind(a.by)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// A service as stored, with what it serves and on whom.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ServiceRow {
    pub id: i64,
    pub case_id: String,
    pub case_no: Option<String>,
    pub document_id: i64,
    pub document_kind: String,
    pub document_title: String,
    pub document_number: String,
    pub document_issued_on: String,
    pub document_sha256: String,
    pub party_id: i64,
    pub role: String,
    pub position: i64,
    pub name: String,
    pub channel: String,
    pub status: String,
    pub address: String,
    pub consent_id: Option<i64>,
    pub replaces: Option<i64>,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub receipt_id: Option<String>,
    pub ems_number: Option<String>,
    pub posted_on: Option<String>,
    pub sent_at: Option<String>,
    pub delivered_on: Option<String>,
    pub delivered_at: Option<String>,
    pub confirmed_at: Option<String>,
    pub failure: Option<String>,
    pub evidence: String,
    pub created_at: String,
    /// A later service replaced this one.
    pub replaced: i64,
}

impl ServiceRow {
    /// The channel as the domain's enum.
    pub fn channel(&self) -> sqlx::Result<Channel> {
        Channel::parse(&self.channel).ok_or_else(|| sqlx::Error::Decode(format!("unknown channel {}", self.channel).into()))
    }

    /// The status as the domain's enum.
    pub fn status(&self) -> sqlx::Result<ServiceStatus> {
        ServiceStatus::parse(&self.status).ok_or_else(|| sqlx::Error::Decode(format!("unknown service status {}", self.status).into()))
    }
}

const SERVICES: &str = "SELECT s.id, s.case_id, c.case_no, s.document_id, d.kind AS document_kind, d.title AS document_title, \
     d.number AS document_number, d.issued_on AS document_issued_on, d.sha256 AS document_sha256, s.party_id, p.role, p.position, p.name, \
     s.channel, s.status, s.address, s.consent_id, s.replaces, s.attempts, s.last_error, s.receipt_id, s.ems_number, s.posted_on, \
     s.sent_at, s.delivered_on, s.delivered_at, s.confirmed_at, s.failure, s.evidence, s.created_at, \
     (SELECT COUNT(*) FROM services r WHERE r.replaces = s.id) AS replaced \
     FROM services s JOIN documents d ON d.id = s.document_id JOIN parties p ON p.id = s.party_id JOIN cases c ON c.id = s.case_id";

/// One service.
pub async fn get(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<ServiceRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SERVICES} WHERE s.id = $1"))).bind(id).fetch_optional(&mut *conn).await
}

/// Every service of a case, in the order created.
pub async fn of_case(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Vec<ServiceRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SERVICES} WHERE s.case_id = $1 ORDER BY s.id"))).bind(case_id).fetch_all(&mut *conn).await
}

/// The services of one document, in the order created.
pub async fn of_document(conn: &mut AnyConnection, document_id: i64) -> sqlx::Result<Vec<ServiceRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SERVICES} WHERE s.document_id = $1 ORDER BY s.id")))
        .bind(document_id)
        .fetch_all(&mut *conn)
        .await
}

/// Every service not delivered and not replaced: pending, sent, or failed with nothing after it.
pub async fn unserved(conn: &mut AnyConnection, limit: i64) -> sqlx::Result<Vec<ServiceRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SERVICES} WHERE s.status IN ($1, $2, $3) AND NOT EXISTS (SELECT 1 FROM services r WHERE r.replaces = s.id) \
         ORDER BY s.created_at, s.id LIMIT $4"
    )))
    .bind(ServiceStatus::Pending.code())
    .bind(ServiceStatus::Sent.code())
    .bind(ServiceStatus::Failed.code())
    .bind(limit)
    .fetch_all(&mut *conn)
    .await
}

/// The service a gateway's receipt id names.
pub async fn by_receipt(conn: &mut AnyConnection, receipt_id: &str) -> sqlx::Result<Option<i64>> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM services WHERE receipt_id = $1").bind(receipt_id).fetch_optional(&mut *conn).await?;
    Ok(row.map(|r| r.0))
}

/// A service to open.
pub struct NewService<'a> {
    pub case_id: &'a str,
    pub document_id: i64,
    pub party_id: i64,
    pub channel: Channel,
    pub address: &'a str,
    pub consent_id: Option<i64>,
    pub replaces: Option<i64>,
    pub at: &'a str,
}

/// Opens a pending service.
pub async fn insert(conn: &mut AnyConnection, s: &NewService<'_>) -> sqlx::Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO services (case_id, document_id, party_id, channel, status, address, consent_id, replaces, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(s.case_id)
    .bind(s.document_id)
    .bind(s.party_id)
    .bind(s.channel.code())
    .bind(ServiceStatus::Pending.code())
    .bind(s.address)
    .bind(s.consent_id)
    .bind(s.replaces)
    .bind(s.at)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// What a step writes on a service besides its status.
#[derive(Debug, Default)]
pub struct StepFacts<'a> {
    pub evidence: Option<&'a str>,
    pub receipt_id: Option<&'a str>,
    pub ems_number: Option<&'a str>,
    pub posted_on: Option<&'a str>,
    pub delivered_on: Option<&'a str>,
    pub failure: Option<&'a str>,
}

/// Moves a service from `from` to `to`, writing the step's facts; false when it no longer stood
/// at `from` (another writer got there first).
pub async fn step(
    conn: &mut AnyConnection,
    id: i64,
    from: ServiceStatus,
    to: ServiceStatus,
    f: &StepFacts<'_>,
    at: &str,
) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE services SET status = $3, \
            evidence = CASE WHEN $4 IS NULL THEN evidence WHEN evidence = '' THEN $4 ELSE evidence || '；' || $4 END, \
            receipt_id = COALESCE($5, receipt_id), ems_number = COALESCE($6, ems_number), posted_on = COALESCE($7, posted_on), \
            delivered_on = COALESCE($8, delivered_on), failure = COALESCE($9, failure), \
            sent_at = CASE WHEN $3 = 'sent' OR (sent_at IS NULL AND $3 = 'delivered') THEN $10 ELSE sent_at END, \
            delivered_at = CASE WHEN $3 = 'delivered' THEN $10 ELSE delivered_at END, updated_at = $10 \
         WHERE id = $1 AND status = $2",
    )
    .bind(id)
    .bind(from.code())
    .bind(to.code())
    .bind(f.evidence)
    .bind(f.receipt_id)
    .bind(f.ems_number)
    .bind(f.posted_on)
    .bind(f.delivered_on)
    .bind(f.failure)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() > 0)
}

/// Counts a failed attempt to send, keeping its error for the clerk's queue.
pub async fn note_attempt(conn: &mut AnyConnection, id: i64, error: &str, at: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE services SET attempts = attempts + 1, last_error = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(error)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Records that the party confirmed an informal service (it opened the document).
pub async fn confirm(conn: &mut AnyConnection, id: i64, at: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE services SET confirmed_at = COALESCE(confirmed_at, $2), updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// One line of a service's history.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StepRow {
    pub service_id: i64,
    pub at: String,
    pub step: String,
    pub actor: String,
    pub detail: String,
}

/// Appends a line to a service's history.
pub async fn append_step(conn: &mut AnyConnection, service_id: i64, at: &str, step: &str, actor: &str, detail: &str) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO service_steps (service_id, at, step, actor, detail) VALUES ($1, $2, $3, $4, $5)")
        .bind(service_id)
        .bind(at)
        .bind(step)
        .bind(actor)
        .bind(detail)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The history of every service of a case, oldest first.
pub async fn steps_of_case(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Vec<StepRow>> {
    sqlx::query_as(
        "SELECT t.service_id, t.at, t.step, t.actor, t.detail FROM service_steps t JOIN services s ON s.id = t.service_id \
         WHERE s.case_id = $1 ORDER BY t.id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await
}

/// Records that the latest notice of a hearing, typeset as `document_id`, was served on every party.
pub async fn mark_notice_document_served(conn: &mut AnyConnection, document_id: i64, served_on: &str, channel: &str) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE hearing_notices SET served_on = $2, channel = $3 WHERE document_id = $1 \
         AND sequence = (SELECT MAX(n.sequence) FROM hearing_notices n WHERE n.hearing_id = hearing_notices.hearing_id)",
    )
    .bind(document_id)
    .bind(served_on)
    .bind(channel)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() > 0)
}

/// Records an award's service on one side, unless one is on record already.
pub async fn record_award_served(
    conn: &mut AnyConnection,
    case_id: &str,
    document_id: i64,
    party: &str,
    on: &str,
    at: &str,
    by: &str,
) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "INSERT INTO award_services (case_id, document_id, party, on_date, recorded_at, recorded_by) \
         SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS (SELECT 1 FROM award_services WHERE document_id = $2 AND party = $3)",
    )
    .bind(case_id)
    .bind(document_id)
    .bind(party)
    .bind(on)
    .bind(at)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() > 0)
}

/// Delivered services of a period (of one track, or all): channel, the document's issue day and
/// the service day.
pub async fn delivered_between(
    conn: &mut AnyConnection,
    from: &str,
    to: &str,
    track: Option<&str>,
) -> sqlx::Result<Vec<(String, String, String)>> {
    sqlx::query_as(
        "SELECT s.channel, d.issued_on, s.delivered_on FROM services s JOIN documents d ON d.id = s.document_id \
         JOIN cases c ON c.id = s.case_id \
         WHERE s.status = 'delivered' AND s.delivered_on BETWEEN $1 AND $2 AND ($3 IS NULL OR c.track = $3)",
    )
    .bind(from)
    .bind(to)
    .bind(track)
    .fetch_all(&mut *conn)
    .await
}

/// The documents of a case with a service to a party of `role` (not withdrawn), and those parties.
pub async fn served_to(conn: &mut AnyConnection, case_id: &str, role: &str) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as(
        "SELECT DISTINCT s.document_id, s.party_id FROM services s JOIN parties p ON p.id = s.party_id \
         WHERE s.case_id = $1 AND p.role = $2 AND s.status <> 'cancelled' ORDER BY s.document_id",
    )
    .bind(case_id)
    .bind(role)
    .fetch_all(&mut *conn)
    .await
}

/// A scanned proof of a paper service, without its bytes.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ScanRow {
    pub id: i64,
    pub service_id: i64,
    pub content_type: String,
    pub sha256: String,
    pub size: i64,
    pub uploaded_at: String,
    pub uploaded_by: String,
}

/// Stores a scan of a service's signed proof.
pub async fn insert_scan(
    conn: &mut AnyConnection,
    service_id: i64,
    content_type: &str,
    bytes: &[u8],
    sha256: &str,
    at: &str,
    by: &str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO service_scans (service_id, content_type, bytes, sha256, size, uploaded_at, uploaded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(service_id)
    .bind(content_type)
    .bind(bytes)
    .bind(sha256)
    .bind(bytes.len() as i64)
    .bind(at)
    .bind(by)
    .fetch_one(&mut *conn)
    .await
}

/// The latest scan of each service of a case that has one.
pub async fn scans_of_case(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Vec<ScanRow>> {
    sqlx::query_as(
        "SELECT x.id, x.service_id, x.content_type, x.sha256, x.size, x.uploaded_at, x.uploaded_by FROM service_scans x \
         JOIN services s ON s.id = x.service_id WHERE s.case_id = $1 \
         AND x.id = (SELECT MAX(y.id) FROM service_scans y WHERE y.service_id = x.service_id) ORDER BY x.service_id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await
}

/// The latest scan of a service, with its bytes.
pub async fn latest_scan(conn: &mut AnyConnection, service_id: i64) -> sqlx::Result<Option<(String, Vec<u8>)>> {
    sqlx::query_as("SELECT content_type, bytes FROM service_scans WHERE service_id = $1 ORDER BY id DESC LIMIT 1")
        .bind(service_id)
        .fetch_optional(&mut *conn)
        .await
}
