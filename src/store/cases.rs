//! Cases, their parties and claims, case-number counters.

use super::codec::sql::*;
use chrono::NaiveDate;
use sqlx::{Any, AnyConnection};

use crate::law::case::{Outcome, Status};
use crate::law::routing::Track;

/// A case as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseRow {
    pub id: String,
    pub status: Status,
    pub outcome: Option<Outcome>,
    pub track: Track,
    pub routing: String,
    pub filed_at: String,
    pub filed_on: String,
    pub accepted_on: Option<String>,
    pub case_no: Option<String>,
    pub rejected_on: Option<String>,
    pub reject_reason: Option<String>,
    pub facts: String,
    pub employment_start: String,
    pub employment_end: Option<String>,
    pub monthly_wage_fen: Option<i64>,
    pub consent_simplified: i64,
    pub consent_informal_service: i64,
    pub claimed_total_fen: i64,
    pub warnings: String,
    pub updated_at: String,
}

/// A party as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PartyRow {
    pub role: String,
    pub position: i64,
    pub name: String,
    pub id_number: Option<String>,
    pub credit_code: Option<String>,
    pub phone: Option<String>,
    pub address: String,
    pub legal_representative: Option<String>,
}

/// A claim as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimRow {
    pub position: i64,
    pub kind: String,
    pub amount_fen: Option<i64>,
    pub description: String,
    pub final_eligible: i64,
}

/// One line of a case list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseListRow {
    pub id: String,
    pub status: Status,
    pub track: Track,
    pub case_no: Option<String>,
    pub filed_on: String,
    pub accepted_on: Option<String>,
    pub outcome: Option<Outcome>,
    pub closed_on: Option<String>,
    pub claimed_total_fen: i64,
    pub applicant: String,
    pub respondent: String,
}

/// A new case to insert.
pub struct NewCase<'a> {
    pub id: &'a str,
    pub track: &'a str,
    pub routing: &'a str,
    pub access_code_hash: &'a str,
    pub filed_at: &'a str,
    pub filed_on: &'a str,
    pub facts: &'a str,
    pub employment_start: &'a str,
    pub employment_end: Option<&'a str>,
    pub monthly_wage_fen: Option<i64>,
    pub consent_simplified: bool,
    pub consent_informal_service: bool,
    pub claimed_total_fen: i64,
    pub warnings: &'a str,
}

const CASE_COLUMNS: &str = "id, status, outcome, track, routing, filed_at, filed_on, accepted_on, case_no, \
     rejected_on, reject_reason, facts, employment_start, employment_end, monthly_wage_fen, consent_simplified, \
     consent_informal_service, claimed_total_fen, warnings, updated_at";

pub async fn insert_case(conn: &mut AnyConnection, c: &NewCase<'_>) -> sqlx::Result<()> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO cases (id, status, track, routing, access_code_hash, filed_at, filed_on, facts, \
         employment_start, employment_end, monthly_wage_fen, consent_simplified, consent_informal_service, \
         claimed_total_fen, warnings, updated_at) \
         VALUES ($1, '{FILED}', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $5)"
    )))
    .bind(c.id)
    .bind(c.track)
    .bind(c.routing)
    .bind(c.access_code_hash)
    .bind(c.filed_at)
    .bind(c.filed_on)
    .bind(c.facts)
    .bind(c.employment_start)
    .bind(c.employment_end)
    .bind(c.monthly_wage_fen)
    .bind(super::flag(c.consent_simplified))
    .bind(super::flag(c.consent_informal_service))
    .bind(c.claimed_total_fen)
    .bind(c.warnings)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A party of a new case (申请人 or 被申请人), in the order given.
pub struct NewParty<'a> {
    pub role: &'a str,
    pub position: i64,
    pub name: &'a str,
    pub id_number: Option<&'a str>,
    pub credit_code: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub address: &'a str,
    pub legal_representative: Option<&'a str>,
}

/// A claim item of a new case.
pub struct NewClaim<'a> {
    pub position: i64,
    pub kind: &'a str,
    pub amount_fen: Option<i64>,
    pub description: &'a str,
    pub final_eligible: bool,
}

/// Inserts all parties of a case in one statement.
pub async fn insert_parties(conn: &mut AnyConnection, case_id: &str, parties: &[NewParty<'_>]) -> sqlx::Result<()> {
    let sql = format!(
        "INSERT INTO parties (case_id, role, position, name, id_number, credit_code, phone, address, legal_representative) VALUES {}",
        super::values_placeholders(parties.len(), 9)
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for p in parties {
        q = q
            .bind(case_id)
            .bind(p.role)
            .bind(p.position)
            .bind(p.name)
            .bind(p.id_number)
            .bind(p.credit_code)
            .bind(p.phone)
            .bind(p.address)
            .bind(p.legal_representative);
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

/// Inserts all claims of a case in one statement.
pub async fn insert_claims(conn: &mut AnyConnection, case_id: &str, claims: &[NewClaim<'_>]) -> sqlx::Result<()> {
    let sql = format!(
        "INSERT INTO claims (case_id, position, kind, amount_fen, description, final_eligible) VALUES {}",
        super::values_placeholders(claims.len(), 6)
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for c in claims {
        q = q.bind(case_id).bind(c.position).bind(c.kind).bind(c.amount_fen).bind(c.description).bind(super::flag(c.final_eligible));
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

pub async fn get(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<CaseRow>> {
    let sql = format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = $1");
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await
}

pub async fn access_code_hash(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT access_code_hash FROM cases WHERE id = $1").bind(id).fetch_optional(&mut *conn).await
}

pub async fn parties(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Vec<PartyRow>> {
    sqlx::query_as(
        "SELECT role, position, name, id_number, credit_code, phone, address, legal_representative \
         FROM parties WHERE case_id = $1 ORDER BY role, position",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await
}

pub async fn claims(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Vec<ClaimRow>> {
    sqlx::query_as("SELECT position, kind, amount_fen, description, final_eligible FROM claims WHERE case_id = $1 ORDER BY position")
        .bind(case_id)
        .fetch_all(&mut *conn)
        .await
}

/// Cases filed on or after `since` by the applicant with `id_number` against a respondent named
/// `respondent` (the candidates of a duplicate filing), oldest first, with their filing day.
pub async fn same_parties_since(
    conn: &mut AnyConnection,
    id_number: &str,
    respondent: &str,
    since: &str,
) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT c.id, c.filed_on FROM cases c \
         WHERE c.filed_on >= $3 \
           AND EXISTS (SELECT 1 FROM parties a WHERE a.case_id = c.id AND a.role = 'applicant' AND a.id_number = $1) \
           AND EXISTS (SELECT 1 FROM parties r WHERE r.case_id = c.id AND r.role = 'respondent' AND r.name = $2) \
         ORDER BY c.filed_on, c.filed_at, c.id",
    )
    .bind(id_number)
    .bind(respondent)
    .bind(since)
    .fetch_all(&mut *conn)
    .await
}

/// Takes the next case number of `year`; the row lock (PostgreSQL) or the single writer (SQLite)
/// serialises concurrent acceptances, and `UNIQUE (case_year, case_seq)` guards the rest.
pub async fn next_case_seq(conn: &mut AnyConnection, year: i32) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO case_counters (year, last_seq) VALUES ($1, 1) \
         ON CONFLICT (year) DO UPDATE SET last_seq = case_counters.last_seq + 1 \
         RETURNING last_seq",
    )
    .bind(year as i64)
    .fetch_one(&mut *conn)
    .await
}

/// Moves a filed case to accepted; returns false if the case was not `filed`.
#[allow(clippy::too_many_arguments)]
pub async fn mark_accepted(
    conn: &mut AnyConnection,
    id: &str,
    accepted_on: &str,
    year: i32,
    seq: i64,
    case_no: &str,
    now: &str,
) -> sqlx::Result<bool> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE cases SET status = '{ACCEPTED}', accepted_on = $2, case_year = $3, case_seq = $4, case_no = $5, updated_at = $6 \
         WHERE id = $1 AND status = '{FILED}'"
    )))
    .bind(id)
    .bind(accepted_on)
    .bind(year as i64)
    .bind(seq)
    .bind(case_no)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Locks a filed case for this transaction (a no-op update that takes the row lock on PostgreSQL);
/// returns false if the case is not `filed`.
pub async fn claim_filed(conn: &mut AnyConnection, id: &str) -> sqlx::Result<bool> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!("UPDATE cases SET updated_at = updated_at WHERE id = $1 AND status = '{FILED}'")))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Moves a filed case to rejected; returns false if the case was not `filed`.
pub async fn mark_rejected(conn: &mut AnyConnection, id: &str, on: &str, reason: &str, now: &str) -> sqlx::Result<bool> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE cases SET status = '{REJECTED}', rejected_on = $2, reject_reason = $3, updated_at = $4 \
         WHERE id = $1 AND status = '{FILED}'"
    )))
    .bind(id)
    .bind(on)
    .bind(reason)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Sets the track while the case is filed or accepted; returns false otherwise.
pub async fn set_track(conn: &mut AnyConnection, id: &str, track: &str, routing: &str, now: &str) -> sqlx::Result<bool> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE cases SET track = $2, routing = $3, updated_at = $4 WHERE id = $1 AND status IN ('{FILED}', '{ACCEPTED}')"
    )))
    .bind(id)
    .bind(track)
    .bind(routing)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Sets the track of an open case by operation of law (a public notice ends the simplified procedure).
pub async fn convert_track(conn: &mut AnyConnection, id: &str, track: &str, routing: &str, now: &str) -> sqlx::Result<bool> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE cases SET track = $2, routing = $3, updated_at = $4 \
         WHERE id = $1 AND status IN ('{ACCEPTED}', '{SCHEDULED}', '{HEARD}', '{SUSPENDED}')"
    )))
    .bind(id)
    .bind(track)
    .bind(routing)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Filters of a case list; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub status: Option<Status>,
    pub track: Option<Track>,
    /// Matched as a substring of a party's name, the case number or the case id.
    pub q: Option<String>,
    pub filed_from: Option<NaiveDate>,
    pub filed_to: Option<NaiveDate>,
    /// A party's identity number or credit code, exactly.
    pub party_id: Option<String>,
    pub outcome: Option<Outcome>,
    /// Only cases with a hearing (not cancelled) this arbitrator sits on.
    pub tribunal_of: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

impl CaseFilter {
    /// ` WHERE …` with one condition per filter given and its values (the list and its count
    /// share it, so they can never disagree). Placeholders are numbered `$N` for both backends.
    fn conditions(&self) -> (String, Vec<Param>) {
        let mut w = Where::default();
        if let Some(s) = self.status {
            let v = w.text(s.code());
            w.and(format!("c.status = {v}"));
        }
        if let Some(t) = self.track {
            let v = w.text(t.code());
            w.and(format!("c.track = {v}"));
        }
        if let Some(q) = &self.q {
            let pattern = format!("%{}%", q.replace(['%', '_'], ""));
            let (id, like) = (w.text(q), w.text(&pattern));
            // A case number however typed: its year and number, or the number alone.
            let number = match crate::law::case_no::NumberQuery::parse(q) {
                Some(n) => {
                    let seq = w.int(n.seq);
                    match n.year {
                        Some(y) => {
                            let year = w.int(i64::from(y));
                            format!(" OR (c.case_seq = {seq} AND c.case_year = {year})")
                        }
                        None => format!(" OR c.case_seq = {seq}"),
                    }
                }
                None => String::new(),
            };
            w.and(format!(
                "(c.id = {id} OR c.case_no LIKE {like}{number} OR EXISTS (SELECT 1 FROM parties p WHERE p.case_id = c.id AND p.name LIKE {like}))"
            ));
        }
        if let Some(d) = self.filed_from {
            let v = w.text(&d.to_string());
            w.and(format!("c.filed_on >= {v}"));
        }
        if let Some(d) = self.filed_to {
            let v = w.text(&d.to_string());
            w.and(format!("c.filed_on <= {v}"));
        }
        if let Some(id) = &self.party_id {
            let id = w.text(id);
            w.and(format!("EXISTS (SELECT 1 FROM parties p WHERE p.case_id = c.id AND (p.id_number = {id} OR p.credit_code = {id}))"));
        }
        if let Some(o) = self.outcome {
            let v = w.text(o.code());
            w.and(format!("c.outcome = {v}"));
        }
        if let Some(a) = self.tribunal_of {
            let v = w.int(a);
            w.and(format!(
                "EXISTS (SELECT 1 FROM hearings h JOIN hearing_arbitrators ha ON ha.hearing_id = h.id \
                 WHERE h.case_id = c.id AND ha.arbitrator_id = {v} AND h.status <> 'cancelled')"
            ));
        }
        (w.sql, w.params)
    }
}

/// A value bound to a `$N` placeholder.
enum Param {
    Text(String),
    Int(i64),
}

/// A `WHERE` clause built from the conditions that apply, with its parameters in order.
#[derive(Default)]
struct Where {
    sql: String,
    params: Vec<Param>,
}

impl Where {
    /// Adds a text parameter; returns its placeholder.
    fn text(&mut self, v: &str) -> String {
        self.params.push(Param::Text(v.to_string()));
        format!("${}", self.params.len())
    }

    fn int(&mut self, v: i64) -> String {
        self.params.push(Param::Int(v));
        format!("${}", self.params.len())
    }

    fn and(&mut self, condition: String) {
        self.sql.push_str(if self.sql.is_empty() { " WHERE " } else { " AND " });
        self.sql.push_str(&condition);
    }
}

fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments>,
    params: &'q [Param],
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments> {
    for p in params {
        q = match p {
            Param::Text(s) => q.bind(s.as_str()),
            Param::Int(n) => q.bind(*n),
        };
    }
    q
}

/// A page of cases (oldest filing first) and the total matching the filter.
pub async fn list(conn: &mut AnyConnection, f: &CaseFilter) -> sqlx::Result<(Vec<CaseListRow>, i64)> {
    let (conditions, params) = f.conditions();
    let total: i64 = {
        let sql = format!("SELECT COUNT(*) FROM cases c{conditions}");
        let row = bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &params).fetch_one(&mut *conn).await?;
        sqlx::Row::try_get(&row, 0)?
    };
    let mut page = Where { sql: conditions, params };
    let (limit, offset) = (page.int(f.limit), page.int(f.offset));
    let sql = format!(
        "SELECT c.id, c.status, c.track, c.case_no, c.filed_on, c.accepted_on, c.outcome, c.closed_on, c.claimed_total_fen, \
         COALESCE((SELECT p.name FROM parties p WHERE p.case_id = c.id AND p.role = 'applicant' AND p.position = 0), '') AS applicant, \
         COALESCE((SELECT p.name FROM parties p WHERE p.case_id = c.id AND p.role = 'respondent' AND p.position = 0), '') AS respondent \
         FROM cases c{} ORDER BY c.filed_on, c.filed_at, c.id LIMIT {limit} OFFSET {offset}",
        page.sql
    );
    let rows = bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &page.params).fetch_all(&mut *conn).await?;
    let rows = rows.iter().map(sqlx::FromRow::from_row).collect::<sqlx::Result<Vec<CaseListRow>>>()?;
    Ok((rows, total))
}

/// Locks an open case for this transaction (see [`claim_filed`]); returns its status, or `None`
/// if there is no such case.
pub async fn lock(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<Status>> {
    sqlx::query("UPDATE cases SET updated_at = updated_at WHERE id = $1").bind(id).execute(&mut *conn).await?;
    sqlx::query_scalar("SELECT status FROM cases WHERE id = $1").bind(id).fetch_optional(&mut *conn).await
}

/// Suspends a running case, remembering its state; returns false if it was not running.
pub async fn mark_suspended(conn: &mut AnyConnection, id: &str, now: &str) -> sqlx::Result<bool> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE cases SET status_before_suspension = status, status = '{SUSPENDED}', updated_at = $2 \
         WHERE id = $1 AND status IN ('{ACCEPTED}', '{SCHEDULED}', '{HEARD}')"
    )))
    .bind(id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Resumes a suspended case to the state it had; returns false if it was not suspended.
pub async fn mark_resumed(conn: &mut AnyConnection, id: &str, now: &str) -> sqlx::Result<bool> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE cases SET status = status_before_suspension, status_before_suspension = NULL, updated_at = $2 \
         WHERE id = $1 AND status = '{SUSPENDED}'"
    )))
    .bind(id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Moves a case from one status to the next; false if it is no longer in `from` (someone else
/// moved it first).
async fn step(conn: &mut AnyConnection, id: &str, from: Status, to: Status, now: &str) -> sqlx::Result<bool> {
    let r = sqlx::query("UPDATE cases SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2")
        .bind(id)
        .bind(from)
        .bind(to)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Moves an accepted case to `scheduled`; false if it is no longer accepted (someone else planned it).
pub async fn mark_scheduled(conn: &mut AnyConnection, id: &str, now: &str) -> sqlx::Result<bool> {
    step(conn, id, Status::Accepted, Status::Scheduled, now).await
}

/// A scheduled case whose hearing was cancelled waits for a new one: scheduled → accepted.
pub async fn mark_unscheduled(conn: &mut AnyConnection, id: &str, now: &str) -> sqlx::Result<bool> {
    step(conn, id, Status::Scheduled, Status::Accepted, now).await
}

/// After its hearing: scheduled → heard.
pub async fn mark_heard(conn: &mut AnyConnection, id: &str, now: &str) -> sqlx::Result<bool> {
    step(conn, id, Status::Scheduled, Status::Heard, now).await
}

/// How a case closes: its outcome and day, and what the figures read of it later.
#[derive(Debug, Clone)]
pub struct Closing<'a> {
    pub outcome: Outcome,
    /// `YYYY-MM-DD`
    pub on: String,
    /// Calendar days from acceptance.
    pub cycle_days: Option<i64>,
    /// Closed on or before the award deadline the clock gave.
    pub within_limit: Option<bool>,
    /// `final`, `non_final` or `mixed` (awards only).
    pub award_finality: Option<&'a str>,
}

/// Closes a case if its status is one of `from` (one to four statuses): an award closes a heard
/// case, a mediation statement an accepted, scheduled or heard one, an absent applicant's
/// withdrawal a scheduled one. False when the case is in none of them.
pub async fn close(conn: &mut AnyConnection, id: &str, from: &[Status], c: &Closing<'_>, now: &str) -> sqlx::Result<bool> {
    assert!((1..=4).contains(&from.len()), "close from one to four statuses");
    let status = |i: usize| *from.get(i).unwrap_or(&from[0]);
    let r = sqlx::query(
        "UPDATE cases SET status = $12, outcome = $2, closed_on = $3, updated_at = $4, cycle_days = $5, within_limit = $6, \
         award_finality = $7, status_before_suspension = NULL WHERE id = $1 AND status IN ($8, $9, $10, $11)",
    )
    .bind(id)
    .bind(c.outcome)
    .bind(&c.on)
    .bind(now)
    .bind(c.cycle_days)
    .bind(c.within_limit.map(i64::from))
    .bind(c.award_finality)
    .bind(status(0))
    .bind(status(1))
    .bind(status(2))
    .bind(status(3))
    .bind(Status::Closed)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The dates the clock reads, for every case still open (filed, running or suspended).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OpenCaseRow {
    pub id: String,
    pub case_no: Option<String>,
    pub status: Status,
    pub track: Track,
    pub filed_on: String,
    pub accepted_on: Option<String>,
    pub applicant: Option<String>,
    pub respondent: Option<String>,
}

/// Every open case, with its first applicant and respondent when `with_parties` (lists show
/// them; counts such as the figures' deadline risk do not need the two lookups a case).
pub async fn open_cases(conn: &mut AnyConnection, with_parties: bool) -> sqlx::Result<Vec<OpenCaseRow>> {
    let sql = if with_parties {
        format!(
            "SELECT c.id, c.case_no, c.status, c.track, c.filed_on, c.accepted_on, \
                (SELECT p.name FROM parties p WHERE p.case_id = c.id AND p.role = 'applicant' ORDER BY p.position LIMIT 1) AS applicant, \
                (SELECT p.name FROM parties p WHERE p.case_id = c.id AND p.role = 'respondent' ORDER BY p.position LIMIT 1) AS respondent \
         FROM cases c WHERE c.status IN ('{FILED}', '{ACCEPTED}', '{SCHEDULED}', '{HEARD}', '{SUSPENDED}') ORDER BY c.id"
        )
    } else {
        format!(
            "SELECT c.id, c.case_no, c.status, c.track, c.filed_on, c.accepted_on, CAST(NULL AS TEXT) AS applicant, CAST(NULL AS TEXT) AS respondent \
         FROM cases c WHERE c.status IN ('{FILED}', '{ACCEPTED}', '{SCHEDULED}', '{HEARD}', '{SUSPENDED}') ORDER BY c.id"
        )
    };
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *conn).await
}

/// How many cases stand at each status (one index scan): the clerk's stage lists.
pub async fn count_by_status(conn: &mut AnyConnection) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as("SELECT status, COUNT(*) FROM cases GROUP BY status").fetch_all(&mut *conn).await
}

/// How a list names a case: its number, track and first parties.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseLabelRow {
    pub id: String,
    pub case_no: Option<String>,
    pub track: Track,
    pub applicant: String,
    pub respondent: String,
}

/// The labels of these cases (any order).
pub async fn labels(conn: &mut AnyConnection, ids: &[String]) -> sqlx::Result<Vec<CaseLabelRow>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT c.id, c.case_no, c.track, \
             COALESCE((SELECT p.name FROM parties p WHERE p.case_id = c.id AND p.role = 'applicant' AND p.position = 0), '') AS applicant, \
             COALESCE((SELECT p.name FROM parties p WHERE p.case_id = c.id AND p.role = 'respondent' AND p.position = 0), '') AS respondent \
             FROM cases c WHERE c.id IN ({})",
            marks.join(", ")
        );
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(id);
        }
        out.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}

/// The id of the case with this 案号 or id.
pub async fn id_by_number_or_id(conn: &mut AnyConnection, typed: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT id FROM cases WHERE case_no = $1 OR id = $1 LIMIT 1").bind(typed).fetch_optional(&mut *conn).await
}
