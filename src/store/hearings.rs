//! Hearings and what they are planned against: arbitrators' leave, recusal entries, the slots each
//! hearing holds (one row per slot and resource, unique, so the database refuses a double booking)
//! and hearing notices.

use sqlx::AnyConnection;

#[allow(unused_imports)]
use super::codec::sql::*;

use crate::law::case::Status;
use crate::law::routing::Track;

/// An arbitrator as the scheduler sees one.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ArbitratorRow {
    pub id: i64,
    pub name: String,
    pub presides: i64,
    pub max_per_day: i64,
    pub active: i64,
}

/// A hearing room.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoomRow {
    pub id: i64,
    pub name: String,
    pub seats: i64,
    /// 0 once taken out of use: planning leaves it out.
    pub active: i64,
}

/// A period of leave, both days included.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LeaveRow {
    pub arbitrator_id: i64,
    pub from_day: String,
    pub to_day: String,
}

/// A recusal entry: the arbitrator stands aside from cases of the party it names.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecusalRow {
    pub arbitrator_id: i64,
    pub party_name: Option<String>,
    pub id_number: Option<String>,
    pub credit_code: Option<String>,
}

/// A party's names and numbers, for matching recusal entries and counting seats.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PartyKeyRow {
    pub case_id: String,
    pub name: String,
    pub id_number: Option<String>,
    pub credit_code: Option<String>,
}

/// A hearing still to be held, with its tribunal (presiding arbitrator first).
#[derive(Debug, Clone)]
pub struct PlannedHearing {
    pub id: i64,
    pub case_id: String,
    pub day: String,
    pub session: i64,
    pub slot: i64,
    pub slots: i64,
    pub room_id: i64,
    pub arbitrator_ids: Vec<i64>,
}

/// A hearing to store.
pub struct NewHearing<'a> {
    pub case_id: &'a str,
    pub day: &'a str,
    pub session: i64,
    pub slot: i64,
    pub slots: i64,
    pub start_time: &'a str,
    pub end_time: &'a str,
    pub room_id: i64,
    pub arbitrator_ids: &'a [i64],
}

/// One line of a docket.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DocketRow {
    pub hearing_id: i64,
    pub case_id: String,
    pub case_no: Option<String>,
    pub day: String,
    pub start_time: String,
    pub end_time: String,
    pub room_id: i64,
    pub room_name: String,
    pub track: Track,
    pub applicant: Option<String>,
    pub respondent: Option<String>,
}

pub async fn arbitrators(conn: &mut AnyConnection) -> sqlx::Result<Vec<ArbitratorRow>> {
    sqlx::query_as("SELECT id, name, presides, max_per_day, active FROM arbitrators ORDER BY id").fetch_all(&mut *conn).await
}

pub async fn rooms(conn: &mut AnyConnection) -> sqlx::Result<Vec<RoomRow>> {
    sqlx::query_as("SELECT id, name, seats, active FROM rooms ORDER BY id").fetch_all(&mut *conn).await
}

pub async fn insert_leave(
    conn: &mut AnyConnection,
    arbitrator_id: i64,
    from: &str,
    to: &str,
    reason: &str,
    now: &str,
    by: &str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO arbitrator_leave (arbitrator_id, from_day, to_day, reason, recorded_at, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(arbitrator_id)
    .bind(from)
    .bind(to)
    .bind(reason)
    .bind(now)
    .bind(by)
    .fetch_one(&mut *conn)
    .await
}

/// Leave that reaches `from` or later.
pub async fn leave_from(conn: &mut AnyConnection, from: &str) -> sqlx::Result<Vec<LeaveRow>> {
    sqlx::query_as("SELECT arbitrator_id, from_day, to_day FROM arbitrator_leave WHERE to_day >= $1 ORDER BY id")
        .bind(from)
        .fetch_all(&mut *conn)
        .await
}

pub async fn insert_recusal(conn: &mut AnyConnection, r: &RecusalRow, reason: &str, now: &str, by: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO recusals (arbitrator_id, party_name, id_number, credit_code, reason, recorded_at, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(r.arbitrator_id)
    .bind(r.party_name.as_deref())
    .bind(r.id_number.as_deref())
    .bind(r.credit_code.as_deref())
    .bind(reason)
    .bind(now)
    .bind(by)
    .fetch_one(&mut *conn)
    .await
}

pub async fn recusals(conn: &mut AnyConnection) -> sqlx::Result<Vec<RecusalRow>> {
    sqlx::query_as("SELECT arbitrator_id, party_name, id_number, credit_code FROM recusals ORDER BY id").fetch_all(&mut *conn).await
}

/// The parties of every case waiting for or holding a hearing (accepted or scheduled).
pub async fn parties_of_open(conn: &mut AnyConnection) -> sqlx::Result<Vec<PartyKeyRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT p.case_id, p.name, p.id_number, p.credit_code FROM parties p JOIN cases c ON c.id = p.case_id \
         WHERE c.status IN ('{ACCEPTED}', '{SCHEDULED}') ORDER BY p.case_id, p.role, p.position"
    )))
    .fetch_all(&mut *conn)
    .await
}

/// Every hearing still to be held on `from` or later.
pub async fn planned_from(conn: &mut AnyConnection, from: &str) -> sqlx::Result<Vec<PlannedHearing>> {
    let rows: Vec<(i64, String, String, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT id, case_id, day, session, slot, slots, room_id FROM hearings WHERE status = 'planned' AND day >= $1 ORDER BY id",
    )
    .bind(from)
    .fetch_all(&mut *conn)
    .await?;
    let panel: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT ha.hearing_id, ha.arbitrator_id FROM hearing_arbitrators ha JOIN hearings h ON h.id = ha.hearing_id \
         WHERE h.status = 'planned' AND h.day >= $1 ORDER BY ha.hearing_id, ha.position",
    )
    .bind(from)
    .fetch_all(&mut *conn)
    .await?;
    let mut by_hearing: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for (h, a) in panel {
        by_hearing.entry(h).or_default().push(a);
    }
    Ok(rows
        .into_iter()
        .map(|(id, case_id, day, session, slot, slots, room_id)| PlannedHearing {
            arbitrator_ids: by_hearing.remove(&id).unwrap_or_default(),
            id,
            case_id,
            day,
            session,
            slot,
            slots,
            room_id,
        })
        .collect())
}

/// Stores a hearing, its tribunal, and one claim per slot for its room and each arbitrator. A slot
/// already claimed fails the insert with a unique violation, and the caller's transaction with it.
pub async fn insert(conn: &mut AnyConnection, h: &NewHearing<'_>, now: &str) -> sqlx::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO hearings (case_id, day, session, slot, slots, start_time, end_time, room_id, status, sequence, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'planned', 0, $9, $9) RETURNING id",
    )
    .bind(h.case_id)
    .bind(h.day)
    .bind(h.session)
    .bind(h.slot)
    .bind(h.slots)
    .bind(h.start_time)
    .bind(h.end_time)
    .bind(h.room_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    seat_panel(conn, id, h.arbitrator_ids).await?;
    claim_slots(conn, id, h).await?;
    Ok(id)
}

/// The tribunal of a hearing, presiding arbitrator first, in one statement.
async fn seat_panel(conn: &mut AnyConnection, hearing_id: i64, arbitrator_ids: &[i64]) -> sqlx::Result<()> {
    if arbitrator_ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO hearing_arbitrators (hearing_id, arbitrator_id, position) VALUES {}",
        super::values_placeholders(arbitrator_ids.len(), 3)
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for (position, &a) in arbitrator_ids.iter().enumerate() {
        q = q.bind(hearing_id).bind(a).bind(position as i64);
    }
    q.execute(&mut *conn).await?;
    // Kept on the hearing for the utilisation figure, which reads it from an index.
    sqlx::query("UPDATE hearings SET panel_size = $2 WHERE id = $1")
        .bind(hearing_id)
        .bind(arbitrator_ids.len() as i64)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// One claim per slot for the hearing's room and each arbitrator, in one statement; a slot already
/// claimed fails it with a unique violation.
async fn claim_slots(conn: &mut AnyConnection, hearing_id: i64, h: &NewHearing<'_>) -> sqlx::Result<()> {
    let resources: Vec<(&str, i64)> =
        std::iter::once(("room", h.room_id)).chain(h.arbitrator_ids.iter().map(|&a| ("arbitrator", a))).collect();
    let rows = resources.len() * h.slots.max(0) as usize;
    let sql = format!(
        "INSERT INTO slot_claims (day, session, slot, resource, resource_id, hearing_id) VALUES {}",
        super::values_placeholders(rows, 6)
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for (kind, rid) in resources {
        for slot in h.slot..h.slot + h.slots {
            q = q.bind(h.day).bind(h.session).bind(slot).bind(kind).bind(rid).bind(hearing_id);
        }
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

/// A hearing as a change to it needs it.
#[derive(Debug, Clone)]
pub struct HearingRow {
    pub id: i64,
    pub case_id: String,
    pub day: String,
    pub start_time: String,
    pub end_time: String,
    pub room_id: i64,
    pub status: String,
    pub sequence: i64,
    pub track: Track,
    pub case_status: Status,
    /// Presiding arbitrator first.
    pub arbitrator_ids: Vec<i64>,
}

const HEARING_COLUMNS: &str = "SELECT h.id, h.case_id, h.day, h.start_time, h.end_time, h.room_id, h.status, h.sequence, c.track, c.status \
     FROM hearings h JOIN cases c ON c.id = h.case_id";

type HearingTuple = (i64, String, String, String, String, i64, String, i64, Track, Status);

async fn with_panel(conn: &mut AnyConnection, row: Option<HearingTuple>) -> sqlx::Result<Option<HearingRow>> {
    let Some((id, case_id, day, start_time, end_time, room_id, status, sequence, track, case_status)) = row else { return Ok(None) };
    let arbitrator_ids = panel(conn, id).await?;
    Ok(Some(HearingRow { id, case_id, day, start_time, end_time, room_id, status, sequence, track, case_status, arbitrator_ids }))
}

/// The tribunal of a hearing, presiding arbitrator first.
pub async fn panel(conn: &mut AnyConnection, hearing_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar("SELECT arbitrator_id FROM hearing_arbitrators WHERE hearing_id = $1 ORDER BY position")
        .bind(hearing_id)
        .fetch_all(&mut *conn)
        .await
}

pub async fn get(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<HearingRow>> {
    let row = sqlx::query_as(sqlx::AssertSqlSafe(format!("{HEARING_COLUMNS} WHERE h.id = $1"))).bind(id).fetch_optional(&mut *conn).await?;
    with_panel(conn, row).await
}

/// The hearing of a case still to be held.
pub async fn planned_of_case(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Option<HearingRow>> {
    let row = sqlx::query_as(sqlx::AssertSqlSafe(format!("{HEARING_COLUMNS} WHERE h.case_id = $1 AND h.status = 'planned'")))
        .bind(case_id)
        .fetch_optional(&mut *conn)
        .await?;
    with_panel(conn, row).await
}

/// Every hearing of a case, latest first.
pub async fn of_case(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Vec<HearingRow>> {
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM hearings WHERE case_id = $1 ORDER BY id DESC").bind(case_id).fetch_all(&mut *conn).await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.extend(get(conn, id).await?);
    }
    Ok(out)
}

/// Planned hearings of an arbitrator between two days, both included.
pub async fn planned_of_arbitrator(conn: &mut AnyConnection, arbitrator_id: i64, from: &str, to: &str) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT h.id FROM hearings h JOIN hearing_arbitrators ha ON ha.hearing_id = h.id \
         WHERE ha.arbitrator_id = $1 AND h.status = 'planned' AND h.day >= $2 AND h.day <= $3 ORDER BY h.day, h.start_time",
    )
    .bind(arbitrator_id)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await
}

/// Moves a planned hearing in place (same id, so the same calendar UID; its sequence grows): new
/// day, time, room and tribunal, its old slot claims given back and the new ones taken. A room or
/// arbitrator it no longer holds is recorded, so its feed shows the hearing cancelled. Returns
/// the new sequence, or `None` if the hearing is no longer planned.
pub async fn relocate(conn: &mut AnyConnection, id: i64, h: &NewHearing<'_>, now: &str) -> sqlx::Result<Option<i64>> {
    let sequence: Option<i64> = sqlx::query_scalar(
        "UPDATE hearings SET day = $2, session = $3, slot = $4, slots = $5, start_time = $6, end_time = $7, room_id = $8, \
         sequence = sequence + 1, updated_at = $9 WHERE id = $1 AND status = 'planned' RETURNING sequence",
    )
    .bind(id)
    .bind(h.day)
    .bind(h.session)
    .bind(h.slot)
    .bind(h.slots)
    .bind(h.start_time)
    .bind(h.end_time)
    .bind(h.room_id)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(sequence) = sequence else { return Ok(None) };
    let old_room: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT resource_id FROM slot_claims WHERE hearing_id = $1 AND resource = 'room'")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    let old_panel = panel(conn, id).await?;
    sqlx::query("DELETE FROM slot_claims WHERE hearing_id = $1").bind(id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM hearing_arbitrators WHERE hearing_id = $1").bind(id).execute(&mut *conn).await?;
    let released = old_room
        .into_iter()
        .filter(|&r| r != h.room_id)
        .map(|r| ("room", r))
        .chain(old_panel.into_iter().filter(|a| !h.arbitrator_ids.contains(a)).map(|a| ("arbitrator", a)));
    for (kind, rid) in released {
        release(conn, id, kind, rid).await?;
    }
    // Whoever holds it again sees it live again.
    sqlx::query("DELETE FROM hearing_releases WHERE hearing_id = $1 AND resource = 'room' AND resource_id = $2")
        .bind(id)
        .bind(h.room_id)
        .execute(&mut *conn)
        .await?;
    for &a in h.arbitrator_ids {
        sqlx::query("DELETE FROM hearing_releases WHERE hearing_id = $1 AND resource = 'arbitrator' AND resource_id = $2")
            .bind(id)
            .bind(a)
            .execute(&mut *conn)
            .await?;
    }
    seat_panel(conn, id, h.arbitrator_ids).await?;
    claim_slots(conn, id, h).await?;
    Ok(Some(sequence))
}

async fn release(conn: &mut AnyConnection, hearing_id: i64, kind: &str, rid: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO hearing_releases (hearing_id, resource, resource_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(hearing_id)
        .bind(kind)
        .bind(rid)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Cancels a planned hearing and gives back its slots; its tribunal and room keep it, cancelled,
/// in their feeds. `false` if it was no longer planned.
pub async fn cancel(conn: &mut AnyConnection, id: i64, now: &str) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE hearings SET status = 'cancelled', sequence = sequence + 1, updated_at = $2 WHERE id = $1 AND status = 'planned'",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM slot_claims WHERE hearing_id = $1").bind(id).execute(&mut *conn).await?;
    Ok(true)
}

/// The tribunal's record of a hearing held. `false` if it was no longer planned.
pub async fn mark_held(
    conn: &mut AnyConnection,
    id: i64,
    held_on: &str,
    record: &str,
    applicant_attended: bool,
    respondent_attended: bool,
    now: &str,
) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE hearings SET status = 'held', held_on = $2, record = $3, applicant_attended = $4, respondent_attended = $5, \
         sequence = sequence + 1, updated_at = $6 WHERE id = $1 AND status = 'planned'",
    )
    .bind(id)
    .bind(held_on)
    .bind(record)
    .bind(i64::from(applicant_attended))
    .bind(i64::from(respondent_attended))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() == 0 {
        return Ok(false);
    }
    // The figures count hearings per case from the case itself.
    sqlx::query("UPDATE cases SET hearings_held = hearings_held + 1 WHERE id = (SELECT case_id FROM hearings WHERE id = $1)")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

/// Records that the latest notice of a hearing was served, and how.
pub async fn mark_notice_served(conn: &mut AnyConnection, hearing_id: i64, served_on: &str, channel: &str) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE hearing_notices SET served_on = $2, channel = $3 WHERE hearing_id = $1 \
         AND sequence = (SELECT MAX(sequence) FROM hearing_notices WHERE hearing_id = $1)",
    )
    .bind(hearing_id)
    .bind(served_on)
    .bind(channel)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() > 0)
}

/// A hearing notice.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NoticeRow {
    pub hearing_id: i64,
    pub issued_on: String,
    pub served_on: Option<String>,
    pub channel: Option<String>,
    pub sequence: i64,
    /// The notice's PDF, once typeset.
    pub document_id: Option<i64>,
}

/// The notices of a hearing, in order.
pub async fn notices(conn: &mut AnyConnection, hearing_id: i64) -> sqlx::Result<Vec<NoticeRow>> {
    sqlx::query_as(
        "SELECT hearing_id, issued_on, served_on, channel, sequence, document_id FROM hearing_notices WHERE hearing_id = $1 ORDER BY sequence",
    )
    .bind(hearing_id)
    .fetch_all(&mut *conn)
    .await
}

/// Records a hearing notice issued today (its service is recorded when it happens).
pub async fn insert_notice(conn: &mut AnyConnection, hearing_id: i64, issued_on: &str, now: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO hearing_notices (hearing_id, issued_on, sequence, created_at, day, start_time, room_id) \
         SELECT $1, $2, (SELECT COUNT(*) FROM hearing_notices WHERE hearing_id = $1), $3, h.day, h.start_time, h.room_id \
         FROM hearings h WHERE h.id = $1",
    )
    .bind(hearing_id)
    .bind(issued_on)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// An arbitrator's hearings still to be held between two days, both included.
pub async fn docket(conn: &mut AnyConnection, arbitrator_id: i64, from: &str, to: &str) -> sqlx::Result<Vec<DocketRow>> {
    sqlx::query_as(
        "SELECT h.id AS hearing_id, h.case_id, c.case_no, h.day, h.start_time, h.end_time, h.room_id, r.name AS room_name, c.track, \
                (SELECT p.name FROM parties p WHERE p.case_id = c.id AND p.role = 'applicant' ORDER BY p.position LIMIT 1) AS applicant, \
                (SELECT p.name FROM parties p WHERE p.case_id = c.id AND p.role = 'respondent' ORDER BY p.position LIMIT 1) AS respondent \
         FROM hearings h JOIN hearing_arbitrators ha ON ha.hearing_id = h.id JOIN cases c ON c.id = h.case_id JOIN rooms r ON r.id = h.room_id \
         WHERE ha.arbitrator_id = $1 AND h.status = 'planned' AND h.day >= $2 AND h.day <= $3 ORDER BY h.day, h.start_time",
    )
    .bind(arbitrator_id)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await
}

/// Whether an error is the database refusing a row that breaks a unique key (a slot already held).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// The record of a hearing held: its day, the day held and whether the respondent came.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HeldRow {
    pub id: i64,
    pub held_on: String,
    pub respondent_attended: Option<i64>,
}

/// A case's hearings held, oldest first.
pub async fn held_of_case(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Vec<HeldRow>> {
    sqlx::query_as("SELECT id, held_on, respondent_attended FROM hearings WHERE case_id = $1 AND status = 'held' ORDER BY held_on, id")
        .bind(case_id)
        .fetch_all(&mut *conn)
        .await
}

/// The latest notice of a hearing: its sequence and the document printed for it, if any.
pub async fn latest_notice(conn: &mut AnyConnection, hearing_id: i64) -> sqlx::Result<Option<(i64, Option<i64>)>> {
    sqlx::query_as("SELECT sequence, document_id FROM hearing_notices WHERE hearing_id = $1 ORDER BY sequence DESC LIMIT 1")
        .bind(hearing_id)
        .fetch_optional(&mut *conn)
        .await
}

/// A hearing still to be held, as a reminder names it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UpcomingRow {
    pub id: i64,
    pub case_id: String,
    pub day: String,
    pub start_time: String,
    pub room: String,
}

/// Hearings still to be held between two days, both included.
pub async fn planned_between(conn: &mut AnyConnection, from: &str, to: &str) -> sqlx::Result<Vec<UpcomingRow>> {
    sqlx::query_as(
        "SELECT h.id, h.case_id, h.day, h.start_time, r.name AS room FROM hearings h JOIN rooms r ON r.id = h.room_id \
         WHERE h.status = 'planned' AND h.day BETWEEN $1 AND $2 ORDER BY h.day, h.start_time, h.id",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await
}

/// What the notice before the latest of a hearing announced: day, start and room name.
pub async fn previous_notice(
    conn: &mut AnyConnection,
    hearing_id: i64,
) -> sqlx::Result<Option<(Option<String>, Option<String>, Option<String>)>> {
    sqlx::query_as(
        "SELECT n.day, n.start_time, r.name FROM hearing_notices n LEFT JOIN rooms r ON r.id = n.room_id \
         WHERE n.hearing_id = $1 ORDER BY n.sequence DESC LIMIT 1 OFFSET 1",
    )
    .bind(hearing_id)
    .fetch_optional(&mut *conn)
    .await
}

/// Planned hearings whose latest notice has no document yet: notices a planning run had not
/// typeset when the service stopped, or fixed before notices were typeset at the event.
pub async fn with_untypeset_notice(conn: &mut AnyConnection) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT h.id FROM hearings h JOIN hearing_notices n ON n.hearing_id = h.id \
         WHERE h.status = 'planned' AND n.document_id IS NULL \
           AND n.sequence = (SELECT MAX(m.sequence) FROM hearing_notices m WHERE m.hearing_id = h.id) \
         ORDER BY h.id",
    )
    .fetch_all(&mut *conn)
    .await
}

/// Links a notice to its printed document, once; false when another request printed it first.
pub async fn set_notice_document(conn: &mut AnyConnection, hearing_id: i64, sequence: i64, document_id: i64) -> sqlx::Result<bool> {
    let r = sqlx::query("UPDATE hearing_notices SET document_id = $3 WHERE hearing_id = $1 AND sequence = $2 AND document_id IS NULL")
        .bind(hearing_id)
        .bind(sequence)
        .bind(document_id)
        .execute(&mut *conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// A room's name.
pub async fn room_name(conn: &mut AnyConnection, room_id: i64) -> sqlx::Result<String> {
    sqlx::query_scalar("SELECT name FROM rooms WHERE id = $1").bind(room_id).fetch_one(&mut *conn).await
}

/// Holds the arbitrators' rows until the transaction ends, so two writers cannot both find room
/// under a daily limit or beside a leave (PostgreSQL `FOR UPDATE`, taken in id order so writers
/// never deadlock; on SQLite the one writer connection already serialises every write).
pub async fn lock_arbitrators(conn: &mut AnyConnection, ids: &[i64]) -> sqlx::Result<()> {
    if conn.backend_name() != "PostgreSQL" || ids.is_empty() {
        return Ok(());
    }
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let list = ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ");
    sqlx::query(sqlx::AssertSqlSafe(format!("SELECT id FROM arbitrators WHERE id IN ({list}) ORDER BY id FOR UPDATE")))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// An arbitrator of a hearing whose day breaks rule 6 or rule 4 as the database holds it now.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TribunalBreach {
    pub arbitrator_id: i64,
    pub name: String,
    pub day: String,
    pub max_per_day: i64,
    /// Planned hearings of the arbitrator that day, this one included.
    pub hearings: i64,
    /// Leave entries covering the day.
    pub leave: i64,
}

/// The arbitrators of hearing `hearing_id` who, counting it, hold more hearings that day than
/// their daily limit or are on leave that day. Read inside the writer's transaction after
/// [`lock_arbitrators`], this is the database's own check of rules 4 and 6.
pub async fn tribunal_breaches(conn: &mut AnyConnection, hearing_id: i64) -> sqlx::Result<Vec<TribunalBreach>> {
    sqlx::query_as(
        "SELECT a.id AS arbitrator_id, a.name, h.day, a.max_per_day, \
           (SELECT COUNT(*) FROM hearing_arbitrators x JOIN hearings y ON y.id = x.hearing_id \
             WHERE x.arbitrator_id = a.id AND y.day = h.day AND y.status = 'planned') AS hearings, \
           (SELECT COUNT(*) FROM arbitrator_leave l WHERE l.arbitrator_id = a.id AND l.from_day <= h.day AND l.to_day >= h.day) AS leave \
         FROM hearings h JOIN hearing_arbitrators ha ON ha.hearing_id = h.id JOIN arbitrators a ON a.id = ha.arbitrator_id \
         WHERE h.id = $1 ORDER BY ha.position",
    )
    .bind(hearing_id)
    .fetch_all(&mut *conn)
    .await
    .map(|rows: Vec<TribunalBreach>| rows.into_iter().filter(|b| b.hearings > b.max_per_day || b.leave > 0).collect())
}

/// Whether the arbitrator sits, or sat, on a tribunal of the case: a hearing not cancelled, or
/// the last hearing of a case now closed.
pub async fn sits_on(conn: &mut AnyConnection, arbitrator_id: i64, case_id: &str) -> sqlx::Result<bool> {
    // A case closed by a mediation statement has its planned hearing cancelled: the tribunal of
    // that last hearing still reads the case it closed.
    let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM hearings h JOIN hearing_arbitrators ha ON ha.hearing_id = h.id \
         WHERE h.case_id = $1 AND ha.arbitrator_id = $2 AND (h.status <> 'cancelled' \
            OR (h.id = (SELECT MAX(l.id) FROM hearings l WHERE l.case_id = h.case_id) \
                AND EXISTS (SELECT 1 FROM cases c WHERE c.id = h.case_id AND c.status = '{CLOSED}')))"
    )))
    .bind(case_id)
    .bind(arbitrator_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}

/// The cases with a hearing (not cancelled) the arbitrator sits on.
pub async fn cases_of_arbitrator(conn: &mut AnyConnection, arbitrator_id: i64) -> sqlx::Result<std::collections::HashSet<String>> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT h.case_id FROM hearings h JOIN hearing_arbitrators ha ON ha.hearing_id = h.id \
         WHERE ha.arbitrator_id = $1 AND h.status <> 'cancelled'",
    )
    .bind(arbitrator_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(ids.into_iter().collect())
}

/// The tribunal's record of one hearing held, for the case file's 庭审笔录.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HeldRecord {
    pub id: i64,
    pub day: String,
    pub start_time: String,
    pub held_on: String,
    pub room: String,
    pub record: Option<String>,
    pub applicant_attended: Option<i64>,
    pub respondent_attended: Option<i64>,
}

/// A case's hearings held with their records, oldest first.
pub async fn held_records(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Vec<HeldRecord>> {
    sqlx::query_as(
        "SELECT h.id, h.day, h.start_time, h.held_on, r.name AS room, h.record, h.applicant_attended, h.respondent_attended \
         FROM hearings h JOIN rooms r ON r.id = h.room_id WHERE h.case_id = $1 AND h.status = 'held' ORDER BY h.held_on, h.id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await
}
