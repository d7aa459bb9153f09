//! After the award: liaison staff record what the court did with each award of a case (a split
//! case's final and non-final parts go their own ways), and the case's own record follows.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::accounts::{Role, Staff};
use super::{App, AppError};
use crate::documents::kinds::Kind;
use crate::law::case::Outcome;
use crate::law::court::{self as law, CourtOutcome, CourtRecord, CourtResult};
use crate::law::{FieldError, Violation};
use crate::store::court::{self as store, AwardCourtRow};
use crate::store::{cases, documents, events};

/// `PUT /api/v1/cases/{id}/court-outcome`: what happened after an award.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct CourtOutcomeInput {
    /// `no_suit` (no party went to court in time), `suit` (a party sued on the dispute, Law Art. 48
    /// and 50) or `revocation_petition` (the employer petitioned to revoke a final award, Art. 49).
    pub court_outcome: Option<String>,
    /// For a suit or petition: `pending`, `upheld`, `changed`, `revoked` or `withdrawn`.
    pub court_result: Option<String>,
    /// The award (its document id); required when the case has two (a split award's -1 and -2).
    pub document_id: Option<i64>,
}

/// The court outcome as recorded.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CourtOutcomeView {
    pub case_id: String,
    /// The award it was recorded for.
    pub document_id: i64,
    pub court_outcome: String,
    pub court_result: Option<String>,
    pub recorded_on: NaiveDate,
    /// The case's own record, summing up its awards once each has one (what the figures count);
    /// null while an award of the case has none.
    pub case_court_outcome: Option<String>,
    pub case_court_result: Option<String>,
}

/// An award of a closed case, as the court record needs it.
#[derive(Debug, Clone)]
pub struct AwardPart {
    pub document_id: i64,
    pub number: String,
    pub final_award: bool,
    pub court: Option<AwardCourtRow>,
}

/// The original awards of a case (corrections aside), each with its court record if any.
pub async fn parts(app: &App, case_id: &str) -> Result<Vec<AwardPart>, AppError> {
    let mut conn = app.db.reader.acquire().await?;
    parts_in(&mut conn, case_id).await
}

async fn parts_in(conn: &mut sqlx::AnyConnection, case_id: &str) -> Result<Vec<AwardPart>, AppError> {
    let records = store::of_case(conn, case_id).await?;
    Ok(documents::of_case(conn, case_id)
        .await?
        .into_iter()
        .filter(|d| d.corrects.is_none())
        .filter_map(|d| {
            let final_award = match Kind::from_code(&d.kind)? {
                Kind::AwardFinal => true,
                Kind::AwardNonfinal => false,
                _ => return None,
            };
            let court = records.iter().find(|r| r.document_id == d.id).cloned();
            Some(AwardPart { document_id: d.id, number: d.number, final_award, court })
        })
        .collect())
}

fn parse_input(input: &CourtOutcomeInput, errs: &mut Vec<FieldError>) -> Option<CourtRecord> {
    let raw = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let outcome = match raw(&input.court_outcome) {
        None => {
            errs.push(FieldError::new("court_outcome", Violation::new("required", "请选择法院阶段情况")));
            None
        }
        Some(o) => CourtOutcome::parse(&o).or_else(|| {
            let names: Vec<String> = CourtOutcome::ALL.iter().map(|o| format!("{}（{}）", o.code(), o.label())).collect();
            errs.push(FieldError::new("court_outcome", Violation::new("unknown_value", format!("法院阶段情况应为 {}", names.join("、")))));
            None
        }),
    };
    let result = raw(&input.court_result).and_then(|r| {
        CourtResult::parse(&r).or_else(|| {
            let names: Vec<String> = CourtResult::ALL.iter().map(|r| format!("{}（{}）", r.code(), r.label())).collect();
            errs.push(FieldError::new("court_result", Violation::new("unknown_value", format!("法院处理结果应为 {}", names.join("、")))));
            None
        })
    });
    if outcome == Some(CourtOutcome::NoSuit) && result.is_some() {
        errs.push(FieldError::new("court_result", Violation::new("not_applicable", "未起诉的案件没有法院处理结果")));
    }
    let outcome = outcome?;
    let result = if outcome == CourtOutcome::NoSuit { None } else { Some(result.unwrap_or(CourtResult::Pending)) };
    Some(CourtRecord { outcome, result })
}

/// Which award the record is for: the one named, or the case's only one.
fn chosen(parts: &[AwardPart], named: Option<i64>, errs: &mut Vec<FieldError>) -> Option<usize> {
    match named {
        Some(id) => parts.iter().position(|p| p.document_id == id).or_else(|| {
            errs.push(FieldError::new("document_id", Violation::new("unknown_value", "不是本案的裁决书，请从本案的裁决书中选择")));
            None
        }),
        None if parts.len() == 1 => Some(0),
        None => {
            let numbers: Vec<&str> = parts.iter().map(|p| p.number.as_str()).collect();
            let rule = format!("本案有{}份裁决书（{}），请选择登记哪一份", parts.len(), numbers.join("、"));
            errs.push(FieldError::new("document_id", Violation::new("required", rule)));
            None
        }
    }
}

/// Liaison staff (or an admin) record what the court did with an award of a case closed by award;
/// a later record of the same award replaces the earlier one, and each goes into the audit trail.
pub async fn record_court_outcome(
    app: &App,
    actor: &Staff,
    case_id: &str,
    input: &CourtOutcomeInput,
) -> Result<CourtOutcomeView, AppError> {
    actor.require(&[Role::Liaison, Role::Admin])?;
    let mut errs = Vec::new();
    let Some(record) = parse_input(input, &mut errs).filter(|_| errs.is_empty()) else { return Err(AppError::Validation(errs)) };
    let today = app.time.today();
    let now = app.time.now_text();
    let mut tx = app.db.begin().await?;
    let case = cases::get(&mut tx, case_id).await?.ok_or(AppError::NotFound("案件不存在"))?;
    if case.outcome != Some(Outcome::Award) {
        return Err(AppError::Conflict("只有以裁决结案的案件才有法院阶段情况".into()));
    }
    let mut parts = parts_in(&mut tx, case_id).await?;
    if parts.is_empty() {
        return Err(AppError::Conflict("本案没有可登记的裁决书".into()));
    }
    let at = chosen(&parts, input.document_id, &mut errs);
    if let Some(i) = at
        && !record.outcome.allowed_for(parts[i].final_award)
    {
        // Law Art. 49 lets the employer petition against a final award only; Art. 50: sue on a non-final one.
        let rule = format!("{}是非终局裁决，不能申请撤销；当事人可以起诉（调解仲裁法第五十条）", parts[i].number);
        errs.push(FieldError::new("court_outcome", Violation::new("not_final", rule)));
    }
    let Some(i) = at.filter(|_| errs.is_empty()) else { return Err(AppError::Validation(errs)) };
    let on = today.to_string();
    store::put(&mut tx, case_id, parts[i].document_id, record, &on, &now, &actor.username).await?;
    parts[i].court = Some(AwardCourtRow { document_id: parts[i].document_id, record, recorded_on: on.clone() });
    let whole = law::case_record(&parts.iter().map(|p| p.court.as_ref().map(|c| c.record)).collect::<Vec<_>>());
    store::set_case(&mut tx, case_id, whole, &on, &now).await?;
    let note = match record.result {
        Some(r) => format!("{}：{}：{}", parts[i].number, record.outcome.label(), r.label()),
        None => format!("{}：{}", parts[i].number, record.outcome.label()),
    };
    let event = events::NewEvent {
        case_id,
        at: &now,
        actor: &actor.username,
        action: "court_outcome",
        before: None,
        after: None,
        note: Some(&note),
    };
    events::append(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(CourtOutcomeView {
        case_id: case_id.to_string(),
        document_id: parts[i].document_id,
        court_outcome: record.outcome.code().into(),
        court_result: record.result.map(|r| r.code().to_string()),
        recorded_on: today,
        case_court_outcome: whole.map(|w| w.outcome.code().to_string()),
        case_court_result: whole.and_then(|w| w.result.map(|r| r.code().to_string())),
    })
}
