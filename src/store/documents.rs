//! Issued documents (wording, then the PDF once typeset) and the access log of the liaison desk.

use sqlx::AnyConnection;

/// A document to issue.
pub struct NewDocument<'a> {
    pub case_id: &'a str,
    pub kind: &'a str,
    pub number: &'a str,
    pub title: &'a str,
    pub corrects: Option<i64>,
    pub source: &'a str,
    pub pdf: &'a [u8],
    pub sha256: &'a str,
    pub pages: i64,
    pub issued_on: &'a str,
    pub issued_at: &'a str,
    pub issued_by: &'a str,
}

/// A document's listing, without its bytes.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DocumentRow {
    pub id: i64,
    pub case_id: String,
    pub kind: String,
    pub number: String,
    pub title: String,
    pub version: i64,
    pub corrects: Option<i64>,
    pub sha256: Option<String>,
    pub pages: Option<i64>,
    pub issued_on: String,
    pub issued_at: String,
    pub issued_by: String,
}

const COLUMNS: &str = "id, case_id, kind, number, title, version, corrects, sha256, pages, issued_on, issued_at, issued_by";

/// Issues a document: its version is one more than the last of the same case, kind and number.
pub async fn insert(conn: &mut AnyConnection, d: &NewDocument<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO documents (case_id, kind, number, title, version, corrects, source, pdf, sha256, pages, issued_on, issued_at, issued_by) \
         VALUES ($1, $2, $3, $4, \
                 (SELECT COUNT(*) + 1 FROM documents WHERE case_id = $1 AND kind = $2 AND number = $3), \
                 $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(d.case_id)
    .bind(d.kind)
    .bind(d.number)
    .bind(d.title)
    .bind(d.corrects)
    .bind(d.source)
    .bind(d.pdf)
    .bind(d.sha256)
    .bind(d.pages)
    .bind(d.issued_on)
    .bind(d.issued_at)
    .bind(d.issued_by)
    .fetch_one(&mut *conn)
    .await
}

/// A case's documents, in the order they were issued.
pub async fn of_case(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Vec<DocumentRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM documents WHERE case_id = $1 ORDER BY id")))
        .bind(case_id)
        .fetch_all(&mut *conn)
        .await
}

pub async fn get(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<DocumentRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM documents WHERE id = $1"))).bind(id).fetch_optional(&mut *conn).await
}

/// Takes the next number of a document series in `year` (the refusal notice's 文号), like the
/// case numbers: the row lock or SQLite's one writer serialises concurrent takers.
pub async fn next_number(conn: &mut AnyConnection, series: &str, year: i32) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO document_counters (series, year, last_seq) VALUES ($1, $2, 1) \
         ON CONFLICT (series, year) DO UPDATE SET last_seq = document_counters.last_seq + 1 \
         RETURNING last_seq",
    )
    .bind(series)
    .bind(year as i64)
    .fetch_one(&mut *conn)
    .await
}

/// Records the tribunal a 仲裁庭组成通知书 named.
pub async fn record_tribunal(conn: &mut AnyConnection, document_id: i64, case_id: &str, arbitrator_ids: &[i64]) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO tribunal_notices (document_id, case_id, arbitrator_ids) VALUES ($1, $2, $3)")
        .bind(document_id)
        .bind(case_id)
        .bind(join_ids(arbitrator_ids))
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

/// The tribunal the case's latest 仲裁庭组成通知书 named: `None` when none was issued; an empty
/// list when one was issued before the tribunal was recorded with it.
pub async fn notified_tribunal(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Option<Vec<i64>>> {
    let latest: Option<(i64, Option<String>)> = sqlx::query_as(
        "SELECT d.id, t.arbitrator_ids FROM documents d LEFT JOIN tribunal_notices t ON t.document_id = d.id \
         WHERE d.case_id = $1 AND d.kind = 'tribunal_notice' ORDER BY d.id DESC LIMIT 1",
    )
    .bind(case_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(latest.map(|(_, ids)| ids.map(|s| s.split(',').filter_map(|i| i.parse().ok()).collect()).unwrap_or_default()))
}

fn join_ids(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// The wording of a document, for typesetting.
pub async fn source(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT source FROM documents WHERE id = $1").bind(id).fetch_optional(&mut *conn).await
}

/// The stored PDF, if typeset.
pub async fn pdf(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<Vec<u8>>> {
    Ok(sqlx::query_scalar::<_, Option<Vec<u8>>>("SELECT pdf FROM documents WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .flatten())
}

/// One line of the access log.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct AccessRow {
    pub id: i64,
    pub at: String,
    pub username: String,
    pub role: String,
    pub action: String,
    pub case_id: Option<String>,
    /// The case's 案号, when it has one.
    pub case_no: Option<String>,
    pub document_id: Option<i64>,
    pub detail: String,
}

/// Which lines of the access log: `None` is any.
#[derive(Debug, Clone, Default)]
pub struct AccessFilter {
    pub case_id: Option<String>,
    pub username: Option<String>,
    pub action: Option<String>,
}

/// Records one view or download.
#[allow(clippy::too_many_arguments)]
pub async fn log_access(
    conn: &mut AnyConnection,
    at: &str,
    username: &str,
    role: &str,
    action: &str,
    case_id: Option<&str>,
    document_id: Option<i64>,
    detail: &str,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO access_log (at, username, role, action, case_id, document_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(at)
        .bind(username)
        .bind(role)
        .bind(action)
        .bind(case_id)
        .bind(document_id)
        .bind(detail)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The newest entries first, those the filter names.
pub async fn access_log(conn: &mut AnyConnection, f: &AccessFilter, limit: i64) -> sqlx::Result<Vec<AccessRow>> {
    sqlx::query_as(
        "SELECT l.id, l.at, l.username, l.role, l.action, l.case_id, c.case_no, l.document_id, l.detail \
         FROM access_log l LEFT JOIN cases c ON c.id = l.case_id \
         WHERE ($1 IS NULL OR l.case_id = $1) AND ($2 IS NULL OR l.username = $2) AND ($3 IS NULL OR l.action = $3) \
         ORDER BY l.id DESC LIMIT $4",
    )
    .bind(f.case_id.as_deref())
    .bind(f.username.as_deref())
    .bind(f.action.as_deref())
    .bind(limit)
    .fetch_all(&mut *conn)
    .await
}
