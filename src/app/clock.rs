//! The statutory clock in the service: recording the events that move it and the awards'
//! service (one transaction and one audit event each); reading the deadlines is `deadlines.rs`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::accounts::{Role, Staff};
use super::deadlines::{CaseDates, award_due_change};
use super::{App, AppError};
use crate::law::case::Status;
use crate::law::clock::events::{Refusal, check_next};
use crate::law::clock::events::{ServedParty, check_award_served};
use crate::law::clock::{ClockEntry, ClockEvent, Deadlines, RestartCause, SuspensionGround};
use crate::law::routing::Track;
use crate::law::{FieldError, Violation};
use crate::store::cases::CaseRow;
use crate::store::clock as store;
use crate::store::{cases, events};

/// The clerk's actions on the clock, as they appear in the API path `/cases/{id}/clock/{action}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockAction {
    CopyServed,
    TribunalNotified,
    DefenceWaived,
    Suspend,
    Resume,
    Extend,
    Restart,
    PublicNotice,
}

impl ClockAction {
    pub const ALL: [ClockAction; 8] = [
        Self::CopyServed,
        Self::TribunalNotified,
        Self::DefenceWaived,
        Self::Suspend,
        Self::Resume,
        Self::Extend,
        Self::Restart,
        Self::PublicNotice,
    ];

    pub fn path(self) -> &'static str {
        match self {
            Self::CopyServed => "copy-served",
            Self::TribunalNotified => "tribunal-notified",
            Self::DefenceWaived => "defence-waived",
            Self::Suspend => "suspend",
            Self::Resume => "resume",
            Self::Extend => "extend",
            Self::Restart => "restart",
            Self::PublicNotice => "public-notice",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.path() == s)
    }
}

/// The body of a clock action; which fields are needed depends on the action.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClockEventInput {
    /// The day it happened (`YYYY-MM-DD`); today when omitted.
    pub on: Option<String>,
    /// `suspend`: the ground, one of `worker_died`, `no_legal_representative`, `employer_terminated`,
    /// `force_majeure`, `awaiting_other_case`, `awaiting_assessment`, `other`.
    pub ground: Option<String>,
    /// `restart`: the cause, one of `party_added`, `materials_completed`, `claims_changed`,
    /// `counterclaim_merged`, `transfer_accepted`.
    pub cause: Option<String>,
    /// `extend`: 1–15 calendar days; `defence-waived`: the shortened period in working days (omit to waive).
    pub days: Option<i64>,
    /// `extend`: who approved in writing (the commission's director or the delegated 仲裁院 head).
    pub approver: Option<String>,
    pub note: Option<String>,
}

/// What the clerk sees after recording an event.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Recorded {
    pub status: Status,
    pub deadlines: Deadlines,
}

/// Parses the body of `action` into a clock entry and its note, naming every bad field.
pub fn parse_event(action: ClockAction, input: &ClockEventInput, today: NaiveDate) -> Result<(ClockEntry, Option<String>), AppError> {
    let mut errs = Vec::new();
    let mut bad = |field: &str, code: &'static str, message: String| errs.push(FieldError::new(field, Violation::new(code, message)));
    let text = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from);
    let on = match text(&input.on) {
        None => Some(today),
        Some(s) => match crate::law::dates::parse_iso(&s) {
            Ok(d) => Some(d),
            Err(v) => {
                bad("on", v.code, v.message);
                None
            }
        },
    };
    let note = text(&input.note);
    if note.as_ref().is_some_and(|n| n.chars().count() > 500) {
        bad("note", "too_long", "备注不能超过500个字".into());
    }
    let event = match action {
        ClockAction::CopyServed => Some(ClockEvent::CopyServed),
        ClockAction::TribunalNotified => Some(ClockEvent::TribunalNotified),
        ClockAction::Resume => Some(ClockEvent::Resumed),
        ClockAction::PublicNotice => Some(ClockEvent::PublicNotice),
        ClockAction::Suspend => {
            match choice(text(&input.ground), SuspensionGround::parse, ("ground", "unknown_ground"), "中止事由", "办案规则第四十七条")
            {
                Ok(ground) => Some(ClockEvent::Suspended { ground }),
                Err(e) => {
                    errs.push(e);
                    None
                }
            }
        }
        ClockAction::Restart => {
            match choice(text(&input.cause), RestartCause::parse, ("cause", "unknown_cause"), "重新计算审限的原因", "办案规则第四十六条")
            {
                Ok(cause) => Some(ClockEvent::Restarted { cause }),
                Err(e) => {
                    errs.push(e);
                    None
                }
            }
        }
        ClockAction::Extend => {
            let approver = text(&input.approver);
            if approver.as_ref().is_some_and(|a| a.chars().count() > 50) {
                bad("approver", "too_long", "批准人不能超过50个字".into());
            }
            match (input.days, approver) {
                (Some(days @ 1..=15), Some(approver)) => Some(ClockEvent::Extended { days: days as u32, approver }),
                (days, approver) => {
                    match days {
                        Some(1..=15) => {}
                        Some(..=0) => bad("days", "extension_not_positive", "延长审限的天数应至少为1日".into()),
                        _ => bad("days", "extension_too_long", "延长审限应为1至15日（调解仲裁法第四十三条）".into()),
                    }
                    if approver.is_none() {
                        bad("approver", "required", "请填写批准延期的仲裁委员会主任或受委托的仲裁院负责人".into());
                    }
                    None
                }
            }
        }
        ClockAction::DefenceWaived => match input.days {
            None => Some(ClockEvent::DefenceWaived { days: None }),
            Some(d @ 0..=9) => Some(ClockEvent::DefenceWaived { days: Some(d as u32) }),
            Some(_) => {
                bad("days", "not_shorter", "缩短后的答辩期应为0至9个工作日；放弃答辩期请不填".into());
                None
            }
        },
    };
    match (on, event) {
        (Some(on), Some(event)) if errs.is_empty() => Ok((ClockEntry { on, event }, note)),
        _ => Err(AppError::Validation(errs)),
    }
}

/// A required choice from a fixed list, or the field error saying what is wrong.
fn choice<T>(
    raw: Option<String>,
    parse: fn(&str) -> Option<T>,
    (field, unknown): (&str, &'static str),
    what: &str,
    list: &str,
) -> Result<T, FieldError> {
    match raw.as_deref().map(|r| (r, parse(r))) {
        Some((_, Some(v))) => Ok(v),
        Some((r, None)) => Err(FieldError::new(field, Violation::new(unknown, format!("{what}“{r}”不在{list}所列之内")))),
        None => Err(FieldError::new(field, Violation::new("required", format!("请选择{what}")))),
    }
}

/// Records a clock event on a case (clerk only): checks it against the statute and the case's
/// state, stores it, moves the case's status for a suspension or resumption, and writes the audit
/// event with the award deadline before and after.
pub async fn record(app: &App, actor: &Staff, case_id: &str, action: ClockAction, input: &ClockEventInput) -> Result<Recorded, AppError> {
    actor.require(&[Role::Clerk])?;
    let today = app.time.today();
    let (entry, note) = parse_event(action, input, today)?;
    let mut tx = app.db.begin().await?;
    let recorded = record_in(app, &mut tx, &actor.username, case_id, entry, note).await?;
    tx.commit().await?;
    Ok(recorded)
}

/// Records a clock event in the caller's transaction, by `by` (a clerk, or a party acting online):
/// checks it may follow, recomputes the deadlines, writes the audit line and the notices.
pub async fn record_in(
    app: &App,
    tx: &mut crate::store::Tx,
    by: &str,
    case_id: &str,
    entry: crate::law::clock::ClockEntry,
    note: Option<String>,
) -> Result<Recorded, AppError> {
    let today = app.time.today();
    let now = app.time.now_text();
    let status = cases::lock(tx, case_id).await?.ok_or(AppError::NotFound("案件不存在"))?;
    // The deadlines before and after, and any notice, are dated with the calendar in force.
    super::calendar::hold(app, tx).await?;
    if status.is_final() {
        let what = if status == Status::Rejected { "已作出不予受理决定" } else { "已结案" };
        return Err(AppError::Conflict(format!("该案件{what}，不能再记录程序事件")));
    }
    let case = cases::get(tx, case_id).await?.ok_or(AppError::NotFound("案件不存在"))?;
    let dates = CaseDates::parse(case.status, &case.filed_on, case.accepted_on.as_deref())?;
    let track = case.track;
    let mut entries = store::entries(tx, case_id).await?;
    let before = app.deadlines_of(&dates, &entries);
    check_next(dates.accepted_on, dates.filed_on, track, &entries, before.award_due, today, &entry).map_err(|r| match r {
        Refusal::Conflict(m) => AppError::Conflict(m),
        Refusal::Invalid { field, code, message } => AppError::field(field, code, message),
    })?;
    store::insert(tx, &store::row_of(case_id, &entry, note.clone(), &now, by)).await.map_err(|e| {
        if crate::store::is_unique_violation(&e) {
            AppError::Conflict(format!("已经记录过：{}", entry.event.label()))
        } else {
            e.into()
        }
    })?;
    let new_status = match entry.event {
        ClockEvent::Suspended { .. } => {
            cases::mark_suspended(tx, case_id, &now).await?;
            Status::Suspended
        }
        ClockEvent::Resumed => {
            cases::mark_resumed(tx, case_id, &now).await?;
            cases::get(tx, case_id).await?.map_or(case.status, |c| c.status)
        }
        _ => case.status,
    };
    entries.push(entry.clone());
    let after = app.deadlines_of(&CaseDates { status: new_status, ..dates }, &entries);
    let mut audit = format!("{}（{}）；{}", entry.event.label(), entry.on, award_due_change(&before, &after));
    if after.late_exclusions.len() > before.late_exclusions.len() {
        // Rules Art. 46(6): only periods within the limit are left out of it.
        audit.push_str("；审限届满后才开始，不扣除审限，案件仍属超审限（《劳动人事争议仲裁办案规则》第四十六条第六项）");
    }
    if after.waiver_voided && !before.waiver_voided {
        audit.push_str("；公告送达使被申请人放弃或缩短答辩期的同意失效，答辩期自视为送达之日起算（办案规则第五十七条、第五十八条）");
    }
    if entry.event == ClockEvent::PublicNotice
        && let Some((to, why)) = crate::law::routing::after_public_notice(track)
    {
        convert_track(tx, &case, to, &why, &now, by).await?;
        audit.push('；');
        audit.push_str(&why);
    }
    if let Some(n) = &note {
        audit.push_str("；备注：");
        audit.push_str(n);
    }
    events::append(
        &mut *tx,
        &events::NewEvent {
            case_id,
            at: &now,
            actor: by,
            action: entry.event.code(),
            before: Some(case.status.code()),
            after: Some(new_status.code()),
            note: Some(&audit),
        },
    )
    .await?;
    notify(app, tx, &case, &entry, note.as_deref(), &after, by).await?;
    Ok(Recorded { status: new_status, deadlines: after })
}

/// Puts a case on another track by operation of law, keeping the routed decision (Rules Art. 57, 61).
async fn convert_track(tx: &mut crate::store::Tx, case: &CaseRow, to: Track, why: &str, now: &str, by: &str) -> Result<(), AppError> {
    use super::register::{StoredRouting, TrackOverride};
    let mut stored: StoredRouting = serde_json::from_str(&case.routing).map_err(anyhow::Error::from)?;
    stored.r#override = Some(TrackOverride { track: to, reason: why.to_string(), by: by.to_string(), at: now.to_string() });
    let json = serde_json::to_string(&stored).map_err(anyhow::Error::from)?;
    cases::convert_track(tx, &case.id, to.code(), &json, now).await?;
    events::append(
        tx,
        &events::NewEvent {
            case_id: &case.id,
            at: now,
            actor: by,
            action: "track_converted",
            before: Some(case.track.code()),
            after: Some(to.code()),
            note: Some(why),
        },
    )
    .await?;
    Ok(())
}

/// The body of `POST /cases/{id}/clock/award-served` (api.md "Clock facts of an award's service").
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AwardServedInput {
    /// The day the party received it (`YYYY-MM-DD`, the date on the 送达回证); today when omitted.
    pub on: Option<String>,
    /// `applicant` (the worker) or `respondent` (the employer).
    pub party: Option<String>,
    /// The award or mediation statement served.
    #[schema(minimum = 1)]
    pub document_id: Option<i64>,
}

/// Parses the award-service body, naming every bad field.
fn parse_award_served(input: &AwardServedInput, today: NaiveDate) -> Result<(NaiveDate, ServedParty, i64), AppError> {
    let mut errs = Vec::new();
    let mut bad = |field: &str, code: &'static str, message: String| errs.push(FieldError::new(field, Violation::new(code, message)));
    let on = match input.on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(today),
        Some(s) => crate::law::dates::parse_iso(s).map_err(|v| bad("on", v.code, v.message)).ok(),
    };
    let party = match input.party.as_deref().map(str::trim) {
        None | Some("") => {
            bad("party", "required", "请选择受送达人：applicant（申请人）或 respondent（被申请人）".into());
            None
        }
        Some(p) => ServedParty::parse(p).or_else(|| {
            bad("party", "unknown_party", format!("受送达人“{p}”应为 applicant 或 respondent"));
            None
        }),
    };
    let document_id = match input.document_id {
        Some(id) if id >= 1 => Some(id),
        Some(_) => {
            bad("document_id", "out_of_range", "文书编号应为正整数".into());
            None
        }
        None => {
            bad("document_id", "required", "请指明送达的裁决书或调解书".into());
            None
        }
    };
    match (on, party, document_id) {
        (Some(on), Some(party), Some(id)) if errs.is_empty() => Ok((on, party, id)),
        _ => Err(AppError::Validation(errs)),
    }
}

/// Records that an award or mediation statement was served on one side (clerk only), so that
/// side's appeal window runs and the day the award takes effect is known (Law Art. 42, 47–50).
pub async fn record_award_served(app: &App, actor: &Staff, case_id: &str, input: &AwardServedInput) -> Result<Recorded, AppError> {
    actor.require(&[Role::Clerk])?;
    let today = app.time.today();
    let (on, party, document_id) = parse_award_served(input, today)?;
    let now = app.time.now_text();
    let mut tx = app.db.begin().await?;
    cases::lock(&mut tx, case_id).await?.ok_or(AppError::NotFound("案件不存在"))?;
    let case = cases::get(&mut tx, case_id).await?.ok_or(AppError::NotFound("案件不存在"))?;
    let awards = crate::store::awards::of_case(&mut tx, case_id).await?;
    let award = awards
        .iter()
        .find(|a| a.document_id == Some(document_id))
        .ok_or_else(|| AppError::field("document_id", "not_an_award", format!("文书{document_id}不是本案的裁决书或调解书")))?;
    check_award_served(award, party, on, today).map_err(|r| match r {
        Refusal::Conflict(m) => AppError::Conflict(m),
        Refusal::Invalid { field, code, message } => AppError::field(field, code, message),
    })?;
    crate::store::awards::insert_service(&mut tx, case_id, document_id, party, on, &now, &actor.username).await.map_err(|e| {
        if crate::store::is_unique_violation(&e) {
            AppError::Conflict(format!("已经记录过该文书向{}送达", party.label()))
        } else {
            e.into()
        }
    })?;
    let awards = crate::store::awards::of_case(&mut tx, case_id).await?;
    let entries = store::entries(&mut tx, case_id).await?;
    let dates = CaseDates::parse(case.status, &case.filed_on, case.accepted_on.as_deref())?;
    let after = app.deadlines_full(&dates, &entries, None, &awards);
    let audit = format!("文书{document_id}已于{on}送达{}", party.label());
    events::append(
        &mut tx,
        &events::NewEvent {
            case_id,
            at: &now,
            actor: &actor.username,
            action: "award_served",
            before: Some(case.status.code()),
            after: Some(case.status.code()),
            note: Some(&audit),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Recorded { status: case.status, deadlines: after })
}

/// The parties are told in writing of an extension (Law Art. 43; Rules Art. 45) and of a
/// suspension (Rules Art. 47): the notice goes in the outbox in the transaction that records it.
async fn notify(
    app: &App,
    tx: &mut crate::store::Tx,
    case: &crate::store::cases::CaseRow,
    entry: &ClockEntry,
    note: Option<&str>,
    after: &Deadlines,
    by: &str,
) -> Result<(), AppError> {
    use crate::documents::kinds::{ExtensionNotice, Kind, SuspensionNotice, chinese_date};
    match &entry.event {
        ClockEvent::Extended { days, approver } => {
            let award_due = after.award_due.map(chinese_date).unwrap_or_default();
            let reason = note.unwrap_or("案情复杂").trim_end_matches('。').to_string();
            super::documents::enqueue_notice(app, tx, case, Kind::ExtensionNotice, by, |head| ExtensionNotice {
                head,
                days: *days,
                approver: approver.clone(),
                reason,
                award_due,
                provisional: after.provisional_fields.contains(&"award_due"),
            })
            .await?;
        }
        ClockEvent::Suspended { ground } => {
            let (ground, from, note) = (ground.label().to_string(), chinese_date(entry.on), note.map(str::to_string));
            super::documents::enqueue_notice(app, tx, case, Kind::SuspensionNotice, by, |head| SuspensionNotice {
                head,
                ground,
                from,
                note,
            })
            .await?;
        }
        _ => {}
    }
    Ok(())
}
