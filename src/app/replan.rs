//! Re-planning hearings already fixed: exactly the hearings an arbitrator's leave touches, or the
//! one a party asked to postpone (Law Art. 35; Rules Art. 38). Each change is audited and gives
//! a new hearing notice; a hearing that finds no lawful slot is cancelled and its case waits for
//! the next planning run.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::accounts::{Role, Staff};
use super::deadlines::CaseDates;
use super::input::{optional_date, required_text};
use super::schedule::{
    Notice, PlannedView, ScheduleOutcome, Snapshot, Stamp, UnscheduledView, outcome_of, solve_within_limit, store_cancel, store_move, taken,
};
use super::{App, AppError};
use crate::law::clock::HearingFacts;
use crate::law::{FieldError, Violation};
use crate::scheduling::{Problem, Solution};
use crate::store::hearings::{self as store, HearingRow};
use crate::store::postponements::{self, PostponementRow};
use crate::store::{Tx, events};

/// A re-planning worked out before anything is written.
pub struct Replan {
    pub outcome: ScheduleOutcome,
    problem: Option<Problem>,
    solution: Option<Solution>,
    /// Problem case index and view of each hearing that found a slot, with its hearing id.
    placed: Vec<(usize, PlannedView)>,
    /// Hearings (id, case id) that found none.
    stranded: Vec<(i64, String)>,
    today: NaiveDate,
}

/// Works out new slots for these planned hearings, every other planned hearing kept. `later_than`
/// keeps a postponed hearing after the day it had.
pub async fn prepare(app: &App, hearings: &[HearingRow], notice: Notice, later_than: bool, dry_run: bool) -> Result<Replan, AppError> {
    let snap = Snapshot::read(app).await?;
    let mut cases = Vec::new();
    let mut early: Vec<UnscheduledView> = Vec::new();
    let mut stranded = Vec::new();
    for h in hearings {
        let after = if later_than { h.day.parse::<NaiveDate>().ok() } else { None };
        match snap.case_to_plan(app, &h.case_id, notice, after) {
            Ok(c) => cases.push(c),
            // A suspended or closed case keeps its hearing as it is; the clerk sees why.
            Err(u) if u.code == "not_open" => early.push(u),
            Err(u) => {
                stranded.push((h.id, h.case_id.clone()));
                early.push(u);
            }
        }
    }
    let mut replan = Replan {
        outcome: ScheduleOutcome { dry_run, planned: Vec::new(), unscheduled: early, conflicts: Vec::new(), draft_id: None },
        problem: None,
        solution: None,
        placed: Vec::new(),
        stranded,
        today: snap.today,
    };
    if cases.is_empty() {
        return Ok(replan);
    }
    let freed: Vec<i64> = hearings.iter().map(|h| h.id).collect();
    let problem = snap.problem(app, &cases, &freed)?;
    let (problem, solution) = solve_within_limit(app, problem).await?;
    let (outcome, mut placed) = outcome_of(app, &snap, &problem, &solution, dry_run);
    let id_of = |case_id: &str| hearings.iter().find(|h| h.case_id == case_id).map(|h| h.id);
    for (_, v) in placed.iter_mut() {
        v.hearing_id = id_of(&v.case_id);
    }
    for u in &outcome.unscheduled {
        if let Some(id) = id_of(&u.case_id) {
            replan.stranded.push((id, u.case_id.clone()));
        }
    }
    replan.outcome.unscheduled.extend(outcome.unscheduled);
    replan.outcome.planned = placed.iter().map(|(_, v)| v.clone()).collect();
    replan.placed = placed;
    replan.problem = Some(problem);
    replan.solution = Some(solution);
    Ok(replan)
}

/// Writes a prepared re-planning in the caller's transaction: every move with its notice and
/// audit event, every stranded hearing cancelled.
pub async fn write(tx: &mut Tx, r: &Replan, now: &str, by: &str, why: &str) -> Result<(), AppError> {
    if let (Some(problem), Some(solution)) = (&r.problem, &r.solution) {
        let panel: Vec<i64> = r.placed.iter().flat_map(|(_, v)| v.arbitrator_ids.iter().copied()).collect();
        store::lock_arbitrators(tx, &panel).await?;
        for (c, v) in &r.placed {
            let pl = solution.placements[*c].as_ref().expect("a placed case has a placement");
            let id = v.hearing_id.expect("a re-planned hearing has an id");
            store_move(tx, id, v, pl, problem.cases[*c].slots, Stamp { today: r.today, now, by }, why).await?;
        }
    }
    for (id, case_id) in &r.stranded {
        store_cancel(tx, *id, case_id, now, by, &format!("{why}：没有合法的开庭时段，庭审取消，待重新排期")).await?;
    }
    Ok(())
}

async fn commit(tx: Tx) -> Result<(), AppError> {
    tx.commit().await.map_err(|e| if store::is_unique_violation(&e) { taken() } else { e.into() })
}

/// `POST /api/v1/hearings/replan`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ReplanInput {
    pub hearing_ids: Option<Vec<i64>>,
    /// Only return the proposal.
    #[serde(default)]
    pub dry_run: bool,
    /// The parties agreed to less than 5 working days' notice (green and simple tracks only).
    pub short_notice: Option<bool>,
    /// Why (recorded with each change).
    pub reason: Option<String>,
}

/// Re-plans exactly these planned hearings (clerk): the proposal a leave entry returns is
/// confirmed here.
pub async fn replan(app: &App, actor: &Staff, input: &ReplanInput) -> Result<ScheduleOutcome, AppError> {
    actor.require(&[Role::Clerk])?;
    let mut errs = Vec::new();
    let ids = input.hearing_ids.clone().unwrap_or_default();
    if ids.is_empty() {
        errs.push(FieldError::new("hearing_ids", Violation::new("required", "请选择要改期的庭审")));
    }
    let why = match input.reason.as_deref() {
        Some(r) if !r.trim().is_empty() => required_text(Some(r), "reason", "改期原因", 200, &mut errs),
        _ => Some("仲裁员请假，庭审改期".to_string()),
    };
    let Some(why) = why.filter(|_| errs.is_empty()) else { return Err(AppError::Validation(errs)) };
    let mut conn = app.db.reader.acquire().await?;
    let mut hearings = Vec::new();
    for id in ids {
        match store::get(&mut conn, id).await? {
            Some(h) if h.status == "planned" => hearings.push(h),
            Some(_) => return Err(AppError::field("hearing_ids", "not_planned", format!("庭审 {id} 已开庭或已取消，不能改期"))),
            None => return Err(AppError::field("hearing_ids", "unknown_hearing", format!("庭审 {id} 不存在"))),
        }
    }
    drop(conn);
    let notice = short_notice(input.short_notice, &hearings)?;
    let r = prepare(app, &hearings, notice, false, input.dry_run).await?;
    if !input.dry_run {
        let now = app.time.now_text();
        let mut tx = app.db.begin().await?;
        write(&mut tx, &r, &now, &actor.username, &why).await?;
        super::documents::enqueue_hearing_notices(
            app,
            &mut tx,
            &actor.username,
            r.placed.iter().filter_map(|(_, v)| v.hearing_id).collect(),
        )
        .await?;
        commit(tx).await?;
    }
    Ok(r.outcome)
}

fn short_notice(asked: Option<bool>, hearings: &[HearingRow]) -> Result<Notice, AppError> {
    if asked != Some(true) {
        return Ok(Notice::Full);
    }
    if let Some(h) = hearings.iter().find(|h| !h.track.is_simplified()) {
        return Err(AppError::field(
            "short_notice",
            "short_notice_not_allowed",
            format!("庭审 {} 不是小额速裁或简易处理案件，开庭通知须提前 5 个工作日送达", h.id),
        ));
    }
    Ok(Notice::ShortAgreed)
}

/// The planned hearings an arbitrator's leave falls on, from the first day that can still be re-planned.
pub async fn touched_by_leave(app: &App, arbitrator_id: i64, from: NaiveDate, to: NaiveDate) -> Result<Vec<HearingRow>, AppError> {
    // A hearing later today is still to come: an arbitrator taken ill this morning cannot hold it.
    let start = app.time.today();
    let mut conn = app.db.reader.acquire().await?;
    let ids = store::planned_of_arbitrator(&mut conn, arbitrator_id, &from.max(start).to_string(), &to.to_string()).await?;
    let mut out = Vec::new();
    for id in ids {
        out.extend(store::get(&mut conn, id).await?);
    }
    Ok(out)
}

/// `POST /api/v1/hearings/{id}/postponements`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct PostponementInput {
    /// `applicant` or `respondent`.
    pub party: Option<String>,
    pub reason: Option<String>,
    /// The day the request reached the commission (default today).
    pub requested_on: Option<String>,
}

/// A postponement request, as stored.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PostponementView {
    pub id: i64,
    pub hearing_id: i64,
    pub case_id: String,
    pub party: String,
    pub requested_on: String,
    pub reason: String,
    /// `pending`, `granted`, `refused`.
    pub status: String,
    pub decision_note: Option<String>,
    /// When granted: the re-planning.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replanned: Option<ScheduleOutcome>,
}

fn view(r: PostponementRow, replanned: Option<ScheduleOutcome>) -> PostponementView {
    PostponementView {
        id: r.id,
        hearing_id: r.hearing_id,
        case_id: r.case_id,
        party: r.party,
        requested_on: r.requested_on,
        reason: r.reason,
        status: r.status,
        decision_note: r.decision_note,
        replanned,
    }
}

/// Records a party's request to postpone a hearing (clerk). Refused, and nothing stored, when it
/// comes later than 3 working days before the hearing (Law Art. 35; Rules Art. 38).
pub async fn request_postponement(
    app: &App,
    actor: &Staff,
    hearing_id: i64,
    input: &PostponementInput,
) -> Result<PostponementView, AppError> {
    actor.require(&[Role::Clerk])?;
    let mut errs = Vec::new();
    let party = match input.party.as_deref().map(str::trim) {
        Some(p @ ("applicant" | "respondent")) => Some(p.to_string()),
        Some("") | None => {
            errs.push(FieldError::new(
                "party",
                Violation::new("required", "请选择提出申请的当事人（applicant 申请人 / respondent 被申请人）"),
            ));
            None
        }
        Some(other) => {
            errs.push(FieldError::new(
                "party",
                Violation::new("unknown_party", format!("当事人“{other}”应为 applicant（申请人）或 respondent（被申请人）")),
            ));
            None
        }
    };
    let reason = required_text(input.reason.as_deref(), "reason", "延期理由", 500, &mut errs);
    let today = app.time.today();
    let requested_on = optional_date(input.requested_on.as_deref(), "requested_on", "申请日期", &mut errs).unwrap_or(today);
    if requested_on > today {
        errs.push(FieldError::new("requested_on", Violation::new("in_future", "申请日期不能晚于今天")));
    }
    let (Some(party), Some(reason)) = (party, reason.filter(|_| errs.is_empty())) else { return Err(AppError::Validation(errs)) };
    let asked = Asked { hearing_id, party: &party, reason: &reason, requested_on, by: &actor.username };
    record_postponement(app, &asked).await
}

/// A postponement request as asked: by which side, why, on which day, recorded by whom.
struct Asked<'a> {
    hearing_id: i64,
    party: &'a str,
    reason: &'a str,
    requested_on: NaiveDate,
    by: &'a str,
}

/// A party asks online to postpone its case's planned hearing (延期开庭申请); it lands in the
/// clerk's list of pending requests like one recorded at the counter.
pub async fn party_request_postponement(
    app: &App,
    party: &super::parties::Party,
    reason: Option<&str>,
) -> Result<PostponementView, AppError> {
    let mut errs = Vec::new();
    let reason = required_text(reason, "reason", "延期理由", 500, &mut errs);
    let Some(reason) = reason else { return Err(AppError::Validation(errs)) };
    let mut conn = app.db.reader.acquire().await?;
    let h = store::planned_of_case(&mut conn, &party.case_id)
        .await?
        .ok_or_else(|| AppError::Conflict("本案没有待开的庭审，无需申请延期".into()))?;
    drop(conn);
    let by = if party.role == "applicant" { "申请人（网上）" } else { "被申请人（网上）" };
    let asked = Asked { hearing_id: h.id, party: &party.role, reason: &reason, requested_on: app.time.today(), by };
    record_postponement(app, &asked).await
}

async fn record_postponement(app: &App, a: &Asked<'_>) -> Result<PostponementView, AppError> {
    let (hearing_id, party, reason, requested_on) = (a.hearing_id, a.party, a.reason, a.requested_on);
    let mut conn = app.db.reader.acquire().await?;
    let h = store::get(&mut conn, hearing_id).await?.ok_or(AppError::NotFound("庭审不存在"))?;
    if h.status != "planned" {
        return Err(AppError::Conflict("庭审已开庭或已取消，不能申请延期".into()));
    }
    let notices = store::notices(&mut conn, hearing_id).await?;
    let case = crate::store::cases::get(&mut conn, &h.case_id).await?.ok_or(AppError::NotFound("案件不存在"))?;
    let entries = crate::store::clock::entries(&mut conn, &h.case_id).await?;
    drop(conn);
    let day: NaiveDate = h.day.parse().map_err(anyhow::Error::from)?;
    let served = notices.last().and_then(|n| n.served_on.as_deref().or(Some(n.issued_on.as_str()))).and_then(|s| s.parse().ok());
    let dates = CaseDates::parse(case.status, &case.filed_on, case.accepted_on.as_deref())?;
    let d = app.deadlines_with_hearing(&dates, &entries, Some(HearingFacts { on: day, notice_served_on: served }));
    // Law Art. 35; Rules Art. 38: a postponement is asked at least 3 (working) days before the hearing.
    if let Some(by) = d.postpone_by
        && requested_on > by
    {
        return Err(AppError::field(
            "requested_on",
            "postponement_too_late",
            format!(
                "延期开庭申请应在开庭 3 日前提出：本次开庭为 {day}，最迟应在 {by} 提出，{requested_on} 已逾期（《劳动争议调解仲裁法》第三十五条）"
            ),
        ));
    }
    let now = app.time.now_text();
    let mut tx = app.db.begin().await?;
    let new = postponements::NewPostponement { hearing_id, case_id: &h.case_id, party, requested_on: &requested_on.to_string(), reason };
    let id = match postponements::insert(&mut tx, &new, &now, a.by).await {
        Ok(id) => id,
        Err(e) if store::is_unique_violation(&e) => return Err(AppError::Conflict("该庭审已有一项待决定的延期申请".into())),
        Err(e) => return Err(e.into()),
    };
    let who = if party == "applicant" { "申请人" } else { "被申请人" };
    events::append(
        &mut tx,
        &events::NewEvent {
            case_id: &h.case_id,
            at: &now,
            actor: a.by,
            action: "postponement_requested",
            before: None,
            after: None,
            note: Some(&format!("{who}申请延期开庭：{reason}")),
        },
    )
    .await?;
    tx.commit().await?;
    let mut conn = app.db.reader.acquire().await?;
    Ok(view(postponements::get(&mut conn, id).await?.ok_or(AppError::NotFound("延期申请不存在"))?, None))
}

/// Every postponement request waiting for a decision, for the clerk's list (clerk, admin).
pub async fn pending_postponements(app: &App, actor: &Staff) -> Result<Vec<PostponementView>, AppError> {
    actor.require(&[Role::Clerk, Role::Admin])?;
    let mut conn = app.db.reader.acquire().await?;
    Ok(postponements::pending(&mut conn).await?.into_iter().map(|r| view(r, None)).collect())
}

/// `POST /api/v1/postponements/{id}/decision`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct PostponementDecision {
    pub granted: Option<bool>,
    pub note: Option<String>,
    /// The parties agreed to short notice for the new date (green and simple tracks only).
    pub short_notice: Option<bool>,
}

/// The commission decides a postponement (clerk). Granted: the hearing is re-planned after its old
/// day, with a new notice; the decision and the new date are stored in one transaction.
pub async fn decide_postponement(app: &App, actor: &Staff, id: i64, input: &PostponementDecision) -> Result<PostponementView, AppError> {
    actor.require(&[Role::Clerk])?;
    let mut errs = Vec::new();
    if input.granted.is_none() {
        errs.push(FieldError::new("granted", Violation::new("required", "请选择是否准许延期")));
    }
    let note = required_text(input.note.as_deref(), "note", "决定理由", 500, &mut errs);
    let (Some(granted), Some(note)) = (input.granted, note.filter(|_| errs.is_empty())) else { return Err(AppError::Validation(errs)) };
    let mut conn = app.db.reader.acquire().await?;
    let req = postponements::get(&mut conn, id).await?.ok_or(AppError::NotFound("延期申请不存在"))?;
    if req.status != "pending" {
        return Err(AppError::Conflict("该延期申请已作出决定".into()));
    }
    let h = store::get(&mut conn, req.hearing_id).await?.ok_or(AppError::NotFound("庭审不存在"))?;
    drop(conn);
    let replan = if granted {
        if h.status != "planned" {
            return Err(AppError::Conflict("庭审已开庭或已取消，不能再延期".into()));
        }
        let notice = short_notice(input.short_notice, std::slice::from_ref(&h))?;
        Some(prepare(app, std::slice::from_ref(&h), notice, true, false).await?)
    } else {
        None
    };
    let now = app.time.now_text();
    let mut tx = app.db.begin().await?;
    if !postponements::decide(&mut tx, id, granted, &note, &now, &actor.username).await? {
        return Err(AppError::Conflict("该延期申请已作出决定".into()));
    }
    let what = if granted { "准许延期开庭" } else { "不准许延期开庭" };
    events::append(
        &mut tx,
        &events::NewEvent {
            case_id: &req.case_id,
            at: &now,
            actor: &actor.username,
            action: "postponement_decided",
            before: None,
            after: None,
            note: Some(&format!("{what}：{note}")),
        },
    )
    .await?;
    if let Some(r) = &replan {
        write(&mut tx, r, &now, &actor.username, "当事人申请延期开庭获准").await?;
        super::documents::enqueue_hearing_notices(
            app,
            &mut tx,
            &actor.username,
            r.placed.iter().filter_map(|(_, v)| v.hearing_id).collect(),
        )
        .await?;
    }
    commit(tx).await?;
    let mut conn = app.db.reader.acquire().await?;
    let row = postponements::get(&mut conn, id).await?.ok_or(AppError::NotFound("延期申请不存在"))?;
    Ok(view(row, replan.map(|r| r.outcome)))
}
