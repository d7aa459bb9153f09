//! A party's online answers (consents, willingness to mediate) and its requests for a decision
//! (an arbitrator's recusal, the applicant's withdrawal).

use sqlx::AnyConnection;

/// A party's answers as given.
pub struct NewAnswer<'a> {
    pub case_id: &'a str,
    pub party_id: i64,
    pub simplified: bool,
    pub informal_service: bool,
    pub mediation: bool,
    pub at: &'a str,
}

/// Stores a party's answers; the latest is in force.
pub async fn insert_answer(conn: &mut AnyConnection, a: &NewAnswer<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO party_answers (case_id, party_id, simplified, informal_service, mediation, answered_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(a.case_id)
    .bind(a.party_id)
    .bind(a.simplified as i64)
    .bind(a.informal_service as i64)
    .bind(a.mediation as i64)
    .bind(a.at)
    .fetch_one(&mut *conn)
    .await
}

/// A party's answers in force.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AnswerRow {
    pub party_id: i64,
    pub simplified: i64,
    pub informal_service: i64,
    pub mediation: i64,
    pub answered_at: String,
}

/// The latest answers of each party of a case that gave any.
pub async fn answers_of_case(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Vec<AnswerRow>> {
    sqlx::query_as(
        "SELECT a.party_id, a.simplified, a.informal_service, a.mediation, a.answered_at FROM party_answers a \
         WHERE a.case_id = $1 AND a.id = (SELECT MAX(b.id) FROM party_answers b WHERE b.case_id = a.case_id AND b.party_id = a.party_id) \
         ORDER BY a.party_id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await
}

/// A request as filed.
pub struct NewRequest<'a> {
    pub case_id: &'a str,
    pub party_id: i64,
    /// `recusal` or `withdrawal`.
    pub kind: &'a str,
    pub reason: &'a str,
    pub arbitrator_id: Option<i64>,
    pub at: &'a str,
}

/// Files a request, pending; a second pending request of the same kind breaks the unique index.
pub async fn insert_request(conn: &mut AnyConnection, r: &NewRequest<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO party_requests (case_id, party_id, kind, reason, arbitrator_id, status, requested_at) \
         VALUES ($1, $2, $3, $4, $5, 'pending', $6) RETURNING id",
    )
    .bind(r.case_id)
    .bind(r.party_id)
    .bind(r.kind)
    .bind(r.reason)
    .bind(r.arbitrator_id)
    .bind(r.at)
    .fetch_one(&mut *conn)
    .await
}

/// A request with who filed it and, for a recusal, whom it names.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub case_id: String,
    pub case_no: Option<String>,
    pub party_id: i64,
    pub party_role: String,
    pub party_name: String,
    pub kind: String,
    pub reason: String,
    pub arbitrator_id: Option<i64>,
    pub arbitrator_name: Option<String>,
    pub status: String,
    pub requested_at: String,
    pub decided_at: Option<String>,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
}

const SELECT: &str = "SELECT q.id, q.case_id, c.case_no, q.party_id, p.role AS party_role, p.name AS party_name, q.kind, q.reason, \
    q.arbitrator_id, a.name AS arbitrator_name, q.status, q.requested_at, q.decided_at, q.decided_by, q.decision_note \
    FROM party_requests q JOIN cases c ON c.id = q.case_id JOIN parties p ON p.id = q.party_id \
    LEFT JOIN arbitrators a ON a.id = q.arbitrator_id";

/// The requests of a case, oldest first.
pub async fn of_case(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Vec<RequestRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE q.case_id = $1 ORDER BY q.id"))).bind(case_id).fetch_all(&mut *conn).await
}

/// Every request still waiting for a decision, oldest first.
pub async fn pending(conn: &mut AnyConnection) -> sqlx::Result<Vec<RequestRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE q.status = 'pending' ORDER BY q.id"))).fetch_all(&mut *conn).await
}

/// One request.
pub async fn get(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<RequestRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE q.id = $1"))).bind(id).fetch_optional(&mut *conn).await
}

/// Records the decision on a pending request; false when it was decided already.
pub async fn decide(conn: &mut AnyConnection, id: i64, granted: bool, note: &str, at: &str, by: &str) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE party_requests SET status = $2, decision_note = $3, decided_at = $4, decided_by = $5 WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(if granted { "granted" } else { "refused" })
    .bind(note)
    .bind(at)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}
