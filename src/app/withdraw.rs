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
