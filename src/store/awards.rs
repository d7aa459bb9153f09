//! The awards and mediation statements of a case as the statutory clock reads them: when each
//! was made and when each side received it (the `award_services` table).

use chrono::NaiveDate;
use sqlx::AnyConnection;

use crate::law::clock::AwardFacts;
use crate::law::clock::AwardKind;
use crate::law::clock::events::ServedParty;

#[derive(sqlx::FromRow)]
struct AwardRow {
    id: i64,
    kind: String,
    issued_on: String,
}

#[derive(sqlx::FromRow)]
struct ServiceRow {
    document_id: i64,
    party: String,
    on_date: String,
}

fn date(s: &str) -> sqlx::Result<NaiveDate> {
    s.parse().map_err(|e| sqlx::Error::Decode(format!("bad date {s}: {e}").into()))
}

fn kind(s: &str) -> sqlx::Result<AwardKind> {
    match s {
        "award_final" => Ok(AwardKind::Final),
        "award_nonfinal" => Ok(AwardKind::NonFinal),
        "mediation" => Ok(AwardKind::Mediation),
        other => Err(sqlx::Error::Decode(format!("not an award kind: {other}").into())),
    }
}

/// The awards and mediation statements of a case (originals, not corrections), oldest first,
/// each with the days it was served on each side.
pub async fn of_case(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Vec<AwardFacts>> {
    let awards: Vec<AwardRow> = sqlx::query_as(
        "SELECT id, kind, issued_on FROM documents \
         WHERE case_id = $1 AND corrects IS NULL AND kind IN ('award_final', 'award_nonfinal', 'mediation') ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?;
    if awards.is_empty() {
        return Ok(Vec::new());
    }
    let served: Vec<ServiceRow> = sqlx::query_as("SELECT document_id, party, on_date FROM award_services WHERE case_id = $1 ORDER BY id")
        .bind(case_id)
        .fetch_all(&mut *conn)
        .await?;
    let mut out = Vec::with_capacity(awards.len());
    for a in awards {
        let mut facts = AwardFacts {
            document_id: Some(a.id),
            kind: kind(&a.kind)?,
            made_on: date(&a.issued_on)?,
            worker_served_on: None,
            employer_served_on: None,
        };
        for s in served.iter().filter(|s| s.document_id == a.id) {
            let on = Some(date(&s.on_date)?);
            match ServedParty::parse(&s.party) {
                Some(ServedParty::Applicant) => facts.worker_served_on = on,
                Some(ServedParty::Respondent) => facts.employer_served_on = on,
                None => return Err(sqlx::Error::Decode(format!("bad party {}", s.party).into())),
            }
        }
        out.push(facts);
    }
    Ok(out)
}

/// Records that `document_id` was served on `party` on `on`.
pub async fn insert_service(
    conn: &mut AnyConnection,
    case_id: &str,
    document_id: i64,
    party: ServedParty,
    on: NaiveDate,
    now: &str,
    by: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO award_services (case_id, document_id, party, on_date, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(case_id)
    .bind(document_id)
    .bind(party.code())
    .bind(on.to_string())
    .bind(now)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One result of an award or mediation statement as issued.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemRow {
    pub document_id: i64,
    pub position: i64,
    /// The claim it answers (its position), when it answers one.
    pub claim_position: Option<i64>,
    pub awarded_fen: i64,
    pub text: String,
}

/// Stores one result of a document just issued.
pub async fn insert_item(conn: &mut AnyConnection, item: &ItemRow) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO award_items (document_id, position, claim_position, awarded_fen, text) VALUES ($1, $2, $3, $4, $5)")
        .bind(item.document_id)
        .bind(item.position)
        .bind(item.claim_position)
        .bind(item.awarded_fen)
        .bind(&item.text)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The results of a case's awards and mediation statements, by document and position.
pub async fn items_of_case(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Vec<ItemRow>> {
    sqlx::query_as(
        "SELECT i.document_id, i.position, i.claim_position, i.awarded_fen, i.text FROM award_items i \
         JOIN documents d ON d.id = i.document_id WHERE d.case_id = $1 ORDER BY i.document_id, i.position",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await
}
