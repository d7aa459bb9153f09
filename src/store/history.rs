//! Bulk writes of a synthetic case history (the scale benchmark's data): cases with their parties,
//! a claim and, when heard, the hearing, many rows to a statement.

use sqlx::AnyConnection;

use super::values_placeholders;
use crate::config::Backend;

/// A case of the synthetic history, closed or still open.
#[derive(Debug, Clone)]
pub struct HistoricCase {
    pub id: String,
    pub track: &'static str,
    pub routing: String,
    pub filed_on: String,
    pub accepted_on: String,
    pub case_year: i64,
    pub case_seq: i64,
    pub case_no: String,
    pub outcome: Option<&'static str>,
    pub closed_on: Option<String>,
    pub cycle_days: Option<i64>,
    pub within_limit: Option<bool>,
    pub award_finality: Option<&'static str>,
    pub court_outcome: Option<&'static str>,
    pub court_result: Option<&'static str>,
    pub claimed_fen: i64,
    pub wage_fen: i64,
    pub applicant: (String, String),
    pub respondent: (&'static str, String),
    pub hearing: Option<HistoricHearing>,
}

/// A hearing held in the synthetic history.
#[derive(Debug, Clone)]
pub struct HistoricHearing {
    pub id: i64,
    pub day: String,
    pub room_id: i64,
    pub arbitrators: Vec<i64>,
    /// A party asked for a postponement, granted, before this hearing.
    pub postponed: bool,
}

/// The highest hearing id so far (synthetic hearings are numbered after it).
pub async fn max_hearing_id(conn: &mut AnyConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM hearings").fetch_one(&mut *conn).await
}

/// Rows a statement: sqlx's SQLite driver looks each `$N` up by name, so the cost of a statement
/// grows with the square of its parameters; 20 cases (about 500) keep it small.
const ROWS: usize = 20;

/// Writes a batch of cases, [`ROWS`] to a statement.
pub async fn insert(conn: &mut AnyConnection, cases: &[HistoricCase], stamp: &str) -> sqlx::Result<()> {
    for chunk in cases.chunks(ROWS) {
        insert_rows(conn, chunk, stamp).await?;
    }
    Ok(())
}

async fn insert_rows(conn: &mut AnyConnection, cases: &[HistoricCase], stamp: &str) -> sqlx::Result<()> {
    if cases.is_empty() {
        return Ok(());
    }
    const CASE_COLS: usize = 29;
    let sql = format!(
        "INSERT INTO cases (id, status, outcome, track, routing, access_code_hash, filed_at, filed_on, accepted_on, case_year, case_seq, \
         case_no, facts, employment_start, monthly_wage_fen, consent_simplified, consent_informal_service, claimed_total_fen, warnings, \
         updated_at, closed_on, cycle_days, within_limit, award_finality, court_outcome, court_result, court_recorded_on, hearings_held, postponements_granted) VALUES {}",
        values_placeholders(cases.len(), CASE_COLS)
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for c in cases {
        q = q
            .bind(&c.id)
            .bind(if c.outcome.is_some() { "closed" } else { "accepted" })
            .bind(c.outcome)
            .bind(c.track)
            .bind(&c.routing)
            .bind("synthetic")
            .bind(format!("{}T01:00:00.000Z", c.filed_on))
            .bind(&c.filed_on)
            .bind(&c.accepted_on)
            .bind(c.case_year)
            .bind(c.case_seq)
            .bind(&c.case_no)
            .bind("申请人在被申请人处工作，被申请人未足额支付劳动报酬。")
            .bind("2020-01-01")
            .bind(c.wage_fen)
            .bind(1i64)
            .bind(1i64)
            .bind(c.claimed_fen)
            .bind("[]")
            .bind(stamp)
            .bind(&c.closed_on)
            .bind(c.cycle_days)
            .bind(c.within_limit.map(i64::from))
            .bind(c.award_finality)
            .bind(c.court_outcome)
            .bind(c.court_result)
            .bind(c.court_outcome.and(c.closed_on.as_ref()))
            .bind(i64::from(c.hearing.is_some()))
            .bind(i64::from(c.hearing.as_ref().is_some_and(|h| h.postponed)));
    }
    q.execute(&mut *conn).await?;

    let sql = format!(
        "INSERT INTO parties (case_id, role, position, name, id_number, credit_code, address) VALUES {}",
        values_placeholders(cases.len() * 2, 7)
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for c in cases {
        q = q.bind(&c.id).bind("applicant").bind(0i64).bind(&c.applicant.0).bind(&c.applicant.1).bind(None::<String>).bind("广东省中山市");
        q = q
            .bind(&c.id)
            .bind("respondent")
            .bind(0i64)
            .bind(c.respondent.0)
            .bind(None::<String>)
            .bind(&c.respondent.1)
            .bind("广东省中山市");
    }
    q.execute(&mut *conn).await?;

    let sql = format!(
        "INSERT INTO claims (case_id, position, kind, amount_fen, description, final_eligible) VALUES {}",
        values_placeholders(cases.len(), 6)
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for c in cases {
        q = q.bind(&c.id).bind(0i64).bind("unpaid_wages").bind(c.claimed_fen).bind("拖欠工资").bind(1i64);
    }
    q.execute(&mut *conn).await?;

    let heard: Vec<(&HistoricCase, &HistoricHearing)> = cases.iter().filter_map(|c| c.hearing.as_ref().map(|h| (c, h))).collect();
    if !heard.is_empty() {
        let sql = format!(
            "INSERT INTO hearings (id, case_id, day, session, slot, slots, start_time, end_time, room_id, status, sequence, created_at, updated_at, held_on, panel_size) VALUES {}",
            values_placeholders(heard.len(), 15)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (c, h) in &heard {
            q = q
                .bind(h.id)
                .bind(&c.id)
                .bind(&h.day)
                .bind(0i64)
                .bind(0i64)
                .bind(2i64)
                .bind("09:00")
                .bind("10:00")
                .bind(h.room_id)
                .bind("held")
                .bind(1i64)
                .bind(stamp)
                .bind(stamp)
                .bind(&h.day)
                .bind(h.arbitrators.len() as i64);
        }
        q.execute(&mut *conn).await?;
        let seats: Vec<(i64, i64, i64)> =
            heard.iter().flat_map(|(_, h)| h.arbitrators.iter().enumerate().map(|(i, a)| (h.id, *a, i as i64))).collect();
        let sql =
            format!("INSERT INTO hearing_arbitrators (hearing_id, arbitrator_id, position) VALUES {}", values_placeholders(seats.len(), 3));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (h, a, p) in &seats {
            q = q.bind(h).bind(a).bind(p);
        }
        q.execute(&mut *conn).await?;
        let postponed: Vec<&(&HistoricCase, &HistoricHearing)> = heard.iter().filter(|(_, h)| h.postponed).collect();
        if !postponed.is_empty() {
            let sql = format!(
                "INSERT INTO postponements (hearing_id, case_id, party, requested_on, reason, status, decided_at, decided_by, recorded_at, recorded_by) VALUES {}",
                values_placeholders(postponed.len(), 10)
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (c, h) in postponed {
                q = q
                    .bind(h.id)
                    .bind(&c.id)
                    .bind("respondent")
                    .bind(&c.accepted_on)
                    .bind("代理人另有庭审")
                    .bind("granted")
                    .bind(stamp)
                    .bind("clerk")
                    .bind(stamp)
                    .bind("clerk");
            }
            q.execute(&mut *conn).await?;
        }
    }
    Ok(())
}

/// After the last batch: the case-number counters continue after the history, PostgreSQL's
/// hearing sequence after the ids given, and the planner's statistics are fresh.
pub async fn finish(conn: &mut AnyConnection, backend: Backend, counters: &[(i64, i64)]) -> sqlx::Result<()> {
    for (year, last) in counters {
        sqlx::query(
            "INSERT INTO case_counters (year, last_seq) VALUES ($1, $2) ON CONFLICT (year) DO UPDATE SET last_seq = \
             CASE WHEN case_counters.last_seq > $2 THEN case_counters.last_seq ELSE $2 END",
        )
        .bind(year)
        .bind(last)
        .execute(&mut *conn)
        .await?;
    }
    match backend {
        Backend::Postgres => {
            sqlx::query("SELECT setval(pg_get_serial_sequence('hearings', 'id'), (SELECT COALESCE(MAX(id), 1) FROM hearings))")
                .execute(&mut *conn)
                .await?;
            // VACUUM sets the visibility map, so the figures' counts read the indexes alone.
            sqlx::query("VACUUM ANALYZE").execute(&mut *conn).await?;
        }
        Backend::Sqlite => {
            sqlx::query("ANALYZE").execute(&mut *conn).await?;
        }
    }
    Ok(())
}
