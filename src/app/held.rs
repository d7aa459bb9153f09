//! After a hearing is fixed: the service of its notice, and the tribunal's record that it was
//! held, with who attended (Law Art. 35–36; Rules Art. 38–39).

use crate::law::case::{Outcome, Status};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::accounts::{Role, Staff};
use super::deadlines::CaseDates;
use super::input::{required_date, required_text};
use super::{App, AppError};
use crate::law::clock::HearingFacts;
use crate::law::{FieldError, Violation};
use crate::store::hearings as store;
use crate::store::{cases, clock as clock_store, events};

/// `POST /api/v1/hearings/{id}/notice`: the latest hearing notice was served.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ServedInput {
    pub served_on: Option<String>,
    /// `in_person`, `post`, `electronic` or `public_notice`.
    pub channel: Option<String>,
}

/// The notice as recorded, and whether it still gives the statutory notice.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ServedView {
    pub hearing_id: i64,
    pub served_on: NaiveDate,
    pub channel: String,
    /// The last day the notice could be served for this hearing day.
    pub notice_by: Option<NaiveDate>,
    /// Set when the notice came too late: what the clerk should do.
    pub warning: Option<String>,
}

const CHANNELS: [(&str, &str); 4] =
    [("in_person", "直接送达"), ("post", "邮寄送达"), ("electronic", "电子送达"), ("public_notice", "公告送达")];

/// Records that the hearing's latest notice was served (clerk).
pub async fn notice_served(app: &App, actor: &Staff, hearing_id: i64, input: &ServedInput) -> Result<ServedView, AppError> {
    actor.require(&[Role::Clerk])?;
    let mut errs = Vec::new();
    let served_on = required_date(input.served_on.as_deref(), "served_on", "送达日期", &mut errs);
    let channel = match input.channel.as_deref().map(str::trim) {
        Some(c) if CHANNELS.iter().any(|(k, _)| *k == c) => Some(c.to_string()),
        _ => {
            let list: Vec<String> = CHANNELS.iter().map(|(k, v)| format!("{k}（{v}）")).collect();
            errs.push(FieldError::new("channel", Violation::new("unknown_channel", format!("送达方式应为 {}", list.join("、")))));
            None
        }
    };
    let today = app.time.today();
    if served_on.is_some_and(|d| d > today) {
        errs.push(FieldError::new("served_on", Violation::new("in_future", "送达日期不能晚于今天")));
    }
    let (Some(served_on), Some(channel)) = (served_on, channel.filter(|_| errs.is_empty())) else { return Err(AppError::Validation(errs)) };
    let mut conn = app.db.reader.acquire().await?;
    let h = store::get(&mut conn, hearing_id).await?.ok_or(AppError::NotFound("庭审不存在"))?;
    let issued = store::notices(&mut conn, hearing_id).await?.last().map(|n| n.issued_on.clone());
    let case = cases::get(&mut conn, &h.case_id).await?.ok_or(AppError::NotFound("案件不存在"))?;
    let entries = clock_store::entries(&mut conn, &h.case_id).await?;
    drop(conn);
    if h.status != "planned" {
        return Err(AppError::Conflict("庭审已开庭或已取消".into()));
    }
    if issued.as_deref().is_some_and(|i| served_on.to_string().as_str() < i) {
        return Err(AppError::field("served_on", "before_issue", format!("送达日期不能早于通知制作日期 {}", issued.unwrap_or_default())));
    }
    let day: NaiveDate = h.day.parse().map_err(anyhow::Error::from)?;
    let dates = CaseDates::parse(case.status, &case.filed_on, case.accepted_on.as_deref())?;
    let d = app.deadlines_with_hearing(&dates, &entries, Some(HearingFacts { on: day, notice_served_on: Some(served_on) }));
    // Law Art. 35; Rules Art. 38: the notice reaches the parties at least 5 days before the hearing.
    let warning = d.hearing_notice_by.filter(|by| served_on > *by).map(|by| {
        format!("开庭通知应在 {by} 前送达，本次于 {served_on} 送达，不足 5 日：请改期，或在小额速裁、简易处理案件中取得当事人同意")
    });
    let now = app.time.now_text();
    let mut tx = app.db.begin().await?;
    if !store::mark_notice_served(&mut tx, hearing_id, &served_on.to_string(), &channel).await? {
        return Err(AppError::Conflict("该庭审没有开庭通知".into()));
    }
    let how = CHANNELS.iter().find(|(k, _)| *k == channel).map(|(_, v)| *v).unwrap_or("");
    events::append(
        &mut tx,
        &events::NewEvent {
            case_id: &h.case_id,
            at: &now,
            actor: &actor.username,
            action: "hearing_notice_served",
            before: None,
            after: None,
            note: Some(&format!("{served_on} {how}")),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(ServedView { hearing_id, served_on, channel, notice_by: d.hearing_notice_by, warning })
}

/// `POST /api/v1/hearings/{id}/held`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct HeldInput {
    /// `YYYY-MM-DD`: not after today, not before the hearing's day.
    pub held_on: Option<String>,
    /// The hearing record (庭审笔录) or its summary.
    pub record: Option<String>,
    /// Default true.
    pub applicant_attended: Option<bool>,
    /// Default true.
    pub respondent_attended: Option<bool>,
    /// The applicant stayed away without good reason after written notice: treat the application
    /// as withdrawn (Law Art. 36) and close the case.
    pub treat_as_withdrawn: Option<bool>,
}

/// The case after its hearing.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HeldView {
    pub hearing_id: i64,
    pub case_id: String,
    /// `heard`, or `closed` when treated as withdrawn.
    pub case_status: Status,
    pub outcome: Option<Outcome>,
    /// A default award may follow (the respondent stayed away after a notice served formally or confirmed).
    pub default_award: bool,
    /// Why a default award may not follow although the respondent stayed away.
    pub notice_warning: Option<String>,
}

/// The tribunal records the hearing held (an arbitrator of its tribunal). The case becomes `heard`;
/// an applicant absent without reason may have the application treated as withdrawn.
pub async fn held(app: &App, actor: &Staff, hearing_id: i64, input: &HeldInput) -> Result<HeldView, AppError> {
    actor.require(&[Role::Arbitrator])?;
    let mut conn = app.db.reader.acquire().await?;
    let h = store::get(&mut conn, hearing_id).await?.ok_or(AppError::NotFound("庭审不存在"))?;
    drop(conn);
    if actor.arbitrator_id.is_none_or(|a| !h.arbitrator_ids.contains(&a)) {
        return Err(AppError::Forbidden);
    }
    let mut errs = Vec::new();
    let held_on = required_date(input.held_on.as_deref(), "held_on", "开庭日期", &mut errs);
    let record = required_text(input.record.as_deref(), "record", "庭审笔录", 20_000, &mut errs);
    let applicant = input.applicant_attended.unwrap_or(true);
    let respondent = input.respondent_attended.unwrap_or(true);
    let withdrawn = input.treat_as_withdrawn.unwrap_or(false);
    if withdrawn && applicant {
        errs.push(FieldError::new("treat_as_withdrawn", Violation::new("applicant_attended", "申请人到庭时不能按撤回仲裁申请处理")));
    }
    let (Some(held_on), Some(record)) = (held_on, record.filter(|_| errs.is_empty())) else { return Err(AppError::Validation(errs)) };
    if h.status != "planned" {
        return Err(AppError::Conflict("该庭审已记录开庭或已取消".into()));
    }
    let day: NaiveDate = h.day.parse().map_err(anyhow::Error::from)?;
    let today = app.time.today();
    if held_on > today {
        return Err(AppError::Conflict(format!("开庭日期 {held_on} 晚于今天，不能提前记录")));
    }
    if held_on < day {
        return Err(AppError::Conflict(format!("开庭日期 {held_on} 早于排定的开庭日 {day}")));
    }
    let now = app.time.now_text();
    let mut tx = app.db.begin().await?;
    if !store::mark_held(&mut tx, hearing_id, &held_on.to_string(), &record, applicant, respondent, &now).await? {
        return Err(AppError::Conflict("该庭审已记录开庭或已取消".into()));
    }
    let absent: Vec<&str> = [(!applicant, "申请人"), (!respondent, "被申请人")].into_iter().filter(|(a, _)| *a).map(|(_, w)| w).collect();
    let note = if absent.is_empty() {
        format!("{held_on} 开庭，双方到庭")
    } else {
        format!("{held_on} 开庭，{}未到庭", absent.join("、"))
    };
    // Rules Art. 59: a notice served only informally and never confirmed grounds neither a deemed withdrawal nor a default award.
    if withdrawn && !super::service_clock::notice_grounds(&mut tx, hearing_id, "applicant").await? {
        return Err(AppError::Conflict(
            "开庭通知尚未有效送达申请人（以短信等简便方式送达且未经确认的，不能作为按撤回仲裁申请处理的依据，《劳动人事争议仲裁办案规则》第五十九条）：请改期并以其他方式重新送达开庭通知".into(),
        ));
    }
    let respondent_notified = super::service_clock::notice_grounds(&mut tx, hearing_id, "respondent").await?;
    let (status, outcome) = if withdrawn {
        // Law Art. 36; Rules Art. 39: an applicant absent without good reason after written notice
        // may be treated as having withdrawn the application.
        let case = cases::get(&mut tx, &h.case_id).await?.ok_or(AppError::NotFound("案件不存在"))?;
        let closing = super::deadlines::closing(app, &mut tx, &case, Outcome::DeemedWithdrawn, held_on).await?;
        if !cases::close(&mut tx, &h.case_id, &[Status::Scheduled], &closing, &now).await? {
            return Err(AppError::Conflict("案件状态已变化，请刷新后重试".into()));
        }
        events::append(
            &mut tx,
            &events::NewEvent {
                case_id: &h.case_id,
                at: &now,
                actor: &actor.username,
                action: "hearing_held",
                before: Some(Status::Scheduled.code()),
                after: Some(Status::Closed.code()),
                note: Some(&format!("{note}；按撤回仲裁申请处理")),
            },
        )
        .await?;
        (Status::Closed, Some(Outcome::DeemedWithdrawn))
    } else {
        if !cases::mark_heard(&mut tx, &h.case_id, &now).await? {
            return Err(AppError::Conflict("案件状态已变化，请刷新后重试".into()));
        }
        events::append(
            &mut tx,
            &events::NewEvent {
                case_id: &h.case_id,
                at: &now,
                actor: &actor.username,
                action: "hearing_held",
                before: Some(Status::Scheduled.code()),
                after: Some(Status::Heard.code()),
                note: Some(&note),
            },
        )
        .await?;
        (Status::Heard, None)
    };
    tx.commit().await?;
    // Law Art. 36: the respondent's absence does not stop the case; the tribunal may award by default.
    let default_award = !respondent && !withdrawn && respondent_notified;
    let notice_warning = (!respondent && !withdrawn && !respondent_notified)
        .then(|| "开庭通知尚未有效送达被申请人（简便方式送达且未经确认），不能缺席裁决：请改期并重新送达开庭通知".to_string());
    Ok(HeldView { hearing_id, case_id: h.case_id, case_status: status, outcome, default_award, notice_warning })
}
