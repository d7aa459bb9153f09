//! The applicant withdraws the application (Law Art. 41: after settling, or for any reason before
//! the award), and what the court did after an award, as liaison staff record it (Law Art. 48–50).

use crate::law::case::{Outcome, Status};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::accounts::{Role, Staff};
use super::input::{optional_date, required_text};
use super::{App, AppError};
use crate::law::{FieldError, Violation};
use crate::store::{Tx, cases, events, hearings};

/// `POST /api/v1/cases/{id}/withdraw`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct WithdrawInput {
    /// `YYYY-MM-DD`, the day the written withdrawal arrived; default today.
    pub withdrawn_on: Option<String>,
    /// The applicant's reason, e.g. 双方已自行和解.
    pub reason: Option<String>,
}

/// A closed case.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClosedView {
    pub case_id: String,
    pub outcome: String,
    pub closed_on: NaiveDate,
    /// Closed on or before the award deadline.
    pub within_limit: Option<bool>,
}

/// Cancels the case's planned hearing, if any, because the case ends before it.
pub async fn cancel_planned_hearing(tx: &mut Tx, case_id: &str, now: &str, by: &str, why: &str) -> Result<(), AppError> {
    if let Some(h) = hearings::planned_of_case(tx, case_id).await? {
        hearings::cancel(tx, h.id, now).await?;
        events::append(
            tx,
            &events::NewEvent {
                case_id,
                at: now,
                actor: by,
                action: "hearing_cancelled",
                before: None,
                after: None,
                note: Some(&format!("{} {} 的庭审取消：{why}", h.day, h.start_time)),
            },
        )
        .await?;
    }
    Ok(())
}

/// The clerk records the applicant's withdrawal; the case closes and a planned hearing is
/// cancelled. Not for a case already closed or not yet accepted.
pub async fn withdraw(app: &App, actor: &Staff, case_id: &str, input: &WithdrawInput) -> Result<ClosedView, AppError> {
    actor.require(&[Role::Clerk])?;
    let mut errs = Vec::new();
    let on = optional_date(input.withdrawn_on.as_deref(), "withdrawn_on", "撤回日期", &mut errs).unwrap_or_else(|| app.time.today());
    let reason = required_text(input.reason.as_deref(), "reason", "撤回原因", 200, &mut errs);
    if on > app.time.today() {
        errs.push(FieldError::new("withdrawn_on", Violation::new("in_future", "撤回日期不能晚于今天")));
    }
    let Some(reason) = reason.filter(|_| errs.is_empty()) else { return Err(AppError::Validation(errs)) };
    let mut tx = app.db.begin().await?;
    let closed = close_withdrawn(app, &mut tx, case_id, on, &reason, &actor.username).await?;
    tx.commit().await?;
    Ok(closed)
}

/// Closes a running case as withdrawn on `on` in the caller's transaction: the planned hearing
/// is cancelled, the closing figures kept, the record says why (Rules Art. 35).
pub async fn close_withdrawn(app: &App, tx: &mut Tx, case_id: &str, on: NaiveDate, reason: &str, by: &str) -> Result<ClosedView, AppError> {
    let now = app.time.now_text();
    let case = cases::get(tx, case_id).await?.ok_or(AppError::NotFound("案件不存在"))?;
    if !case.status.is_running() {
        return Err(AppError::Conflict(format!("案件状态为“{}”，不能撤回（只有已受理、未结案的案件可以撤回）", case.status.label())));
    }
    if case.accepted_on.as_deref().is_some_and(|a| on.to_string().as_str() < a) {
        return Err(AppError::field(
            "withdrawn_on",
            "before_acceptance",
            format!("撤回日期不能早于受理日期 {}", case.accepted_on.unwrap_or_default()),
        ));
    }
    let closing = super::deadlines::closing(app, tx, &case, Outcome::Withdrawn, on).await?;
    cancel_planned_hearing(tx, case_id, &now, by, "申请人撤回仲裁申请").await?;
    if !cases::close(tx, case_id, &Status::RUNNING, &closing, &now).await? {
        return Err(AppError::Conflict("案件状态已变化，请刷新后重试".into()));
    }
    events::append(
        tx,
        &events::NewEvent {
            case_id,
            at: &now,
            actor: by,
            action: "withdrawn",
            before: Some(case.status.code()),
            after: Some(Status::Closed.code()),
            note: Some(&format!("{on} 撤回：{reason}")),
        },
    )
    .await?;
    Ok(ClosedView { case_id: case_id.to_string(), outcome: "withdrawn".into(), closed_on: on, within_limit: closing.within_limit })
}

/// `PUT /api/v1/cases/{id}/court-outcome`: what happened after the award.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct CourtOutcomeInput {
    /// `no_suit` (no party went to court in time), `suit` (a party sued on the dispute, Law Art. 48
    /// and 50) or `revocation_petition` (the employer petitioned to revoke a final award, Art. 49).
    pub court_outcome: Option<String>,
    /// For a suit or petition: `pending`, `upheld`, `changed`, `revoked` or `withdrawn`.
    pub court_result: Option<String>,
}

/// The court outcome as recorded.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CourtOutcomeView {
    pub case_id: String,
    pub court_outcome: String,
    pub court_result: Option<String>,
    pub recorded_on: NaiveDate,
}

/// The court outcomes and results, with their Chinese names.
pub const COURT_OUTCOMES: [(&str, &str); 3] = [("no_suit", "未起诉"), ("suit", "当事人起诉"), ("revocation_petition", "申请撤销裁决")];
pub const COURT_RESULTS: [(&str, &str); 5] =
    [("pending", "审理中"), ("upheld", "维持/驳回"), ("changed", "改判"), ("revoked", "撤销裁决"), ("withdrawn", "撤诉")];

fn one_of(raw: Option<&str>, field: &str, label: &str, list: &[(&'static str, &str)], errs: &mut Vec<FieldError>) -> Option<&'static str> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
    let found = list.iter().find(|(k, _)| *k == raw).map(|(k, _)| *k);
    if found.is_none() {
        let names: Vec<String> = list.iter().map(|(k, v)| format!("{k}（{v}）")).collect();
        errs.push(FieldError::new(field, Violation::new("unknown_value", format!("{label}应为 {}", names.join("、")))));
    }
    found
}

/// Liaison staff (or an admin) record the court outcome of a case closed by award; a later record
/// replaces an earlier one, and each goes into the case's audit trail.
pub async fn record_court_outcome(
    app: &App,
    actor: &Staff,
    case_id: &str,
    input: &CourtOutcomeInput,
) -> Result<CourtOutcomeView, AppError> {
    actor.require(&[Role::Liaison, Role::Admin])?;
    let mut errs = Vec::new();
    let outcome = one_of(input.court_outcome.as_deref(), "court_outcome", "法院阶段情况", &COURT_OUTCOMES, &mut errs);
    if input.court_outcome.as_deref().is_none_or(|o| o.trim().is_empty()) {
        errs.push(FieldError::new("court_outcome", Violation::new("required", "请选择法院阶段情况")));
    }
    let result = one_of(input.court_result.as_deref(), "court_result", "法院处理结果", &COURT_RESULTS, &mut errs);
    if outcome == Some("no_suit") && result.is_some() {
        errs.push(FieldError::new("court_result", Violation::new("not_applicable", "未起诉的案件没有法院处理结果")));
    }
    let Some(outcome) = outcome.filter(|_| errs.is_empty()) else { return Err(AppError::Validation(errs)) };
    let result = result.or((outcome != "no_suit").then_some("pending"));
    let today = app.time.today();
    let now = app.time.now_text();
    let mut tx = app.db.begin().await?;
    let case = cases::get(&mut tx, case_id).await?.ok_or(AppError::NotFound("案件不存在"))?;
    if case.outcome != Some(Outcome::Award) {
        return Err(AppError::Conflict("只有以裁决结案的案件才有法院阶段情况".into()));
    }
    cases::set_court_outcome(&mut tx, case_id, outcome, result, &today.to_string(), &now).await?;
    let name = |list: &[(&str, &'static str)], k: &str| list.iter().find(|(key, _)| *key == k).map_or("", |(_, v)| *v);
    let note = match result {
        Some(r) => format!("{}：{}", name(&COURT_OUTCOMES, outcome), name(&COURT_RESULTS, r)),
        None => name(&COURT_OUTCOMES, outcome).to_string(),
    };
    events::append(
        &mut tx,
        &events::NewEvent {
            case_id,
            at: &now,
            actor: &actor.username,
            action: "court_outcome",
            before: None,
            after: None,
            note: Some(&note),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(CourtOutcomeView {
        case_id: case_id.to_string(),
        court_outcome: outcome.into(),
        court_result: result.map(str::to_string),
        recorded_on: today,
    })
}
