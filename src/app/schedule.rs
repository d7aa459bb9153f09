//! Planning hearings: every accepted case without a hearing becomes a case of a scheduling problem
//! (its window from the statutory clock), the solver plans them, and the hearings, their slot
//! claims and notices are stored in one transaction. Also the arbitrator's docket.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::accounts::{Role, Staff};
use super::clock::{CaseDates, open_case_clocks};
use super::input::optional_date;
use super::{App, AppError};
use crate::config::HearingSettings;
use crate::law::calendar::WorkingCalendar;
use crate::scheduling::problem::{
    ArbitratorFile, BookedFile, CaseFile, IsoDate, ProblemFile, RoomFile, SessionFile, WorkdaysFile,
};
use crate::scheduling::{Options, Problem, explain, solve};
use crate::store::hearings::{self as store, ArbitratorRow, LeaveRow, NewHearing, PartyKeyRow, PlannedHearing, RecusalRow, RoomRow};
use crate::store::{cases, events};

/// A case to plan, as the clock and the parties make it.
#[derive(Debug, Clone)]
pub struct CaseToPlan {
    pub id: String,
    pub track: String,
    /// The earliest lawful hearing day if the notice goes out on the planning's first day.
    pub earliest: NaiveDate,
    /// The award deadline less the drafting buffer.
    pub latest: NaiveDate,
    pub parties: usize,
    /// Arbitrators who must stand aside (a recusal entry matches a party).
    pub exclude: Vec<i64>,
}

/// What the database holds that a plan must respect.
pub struct Resources<'a> {
    pub arbitrators: &'a [ArbitratorRow],
    pub rooms: &'a [RoomRow],
    pub leave: &'a [LeaveRow],
    pub booked: &'a [PlannedHearing],
}

/// One hearing of a plan.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlannedView {
    pub case_id: String,
    /// Null on a dry run.
    pub hearing_id: Option<i64>,
    pub day: NaiveDate,
    /// `HH:MM`
    pub start: String,
    pub end: String,
    pub room_id: i64,
    /// The presiding arbitrator first.
    pub arbitrator_ids: Vec<i64>,
}

/// A case the plan could not place, and why.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnscheduledView {
    pub case_id: String,
    /// Stable code: `no_working_day`, `longer_than_every_session`, `no_room_with_enough_seats`,
    /// `no_presiding_arbitrator`, `every_slot_taken`.
    pub code: &'static str,
    pub reason: String,
}

/// The answer of a planning run.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScheduleOutcome {
    pub dry_run: bool,
    pub planned: Vec<PlannedView>,
    pub unscheduled: Vec<UnscheduledView>,
}

/// The arbitrator ids (`A{id}`) and room ids (`R{id}`) of the problem file.
fn arbitrator_key(id: i64) -> String {
    format!("A{id}")
}
fn room_key(id: i64) -> String {
    format!("R{id}")
}

/// Builds the scheduling problem (contract `schedule-problem.md`) from the day planning starts.
pub fn build_problem(
    settings: &HearingSettings,
    calendar: &WorkingCalendar,
    start: NaiveDate,
    cases: &[CaseToPlan],
    res: &Resources<'_>,
) -> ProblemFile {
    let end = cases.iter().map(|c| c.latest).max().unwrap_or(start).max(start).min(start + Duration::days(366));
    let mut holidays = Vec::new();
    let mut extra_workdays = Vec::new();
    for d in start.iter_days().take_while(|d| *d <= end) {
        let weekend = chrono::Datelike::weekday(&d).number_from_monday() > 5;
        match (calendar.is_working_day(d).0, weekend) {
            (false, false) => holidays.push(IsoDate(d)),
            (true, true) => extra_workdays.push(IsoDate(d)),
            _ => {}
        }
    }
    let off_of = |a: i64| -> Vec<IsoDate> {
        let mut off = Vec::new();
        for l in res.leave.iter().filter(|l| l.arbitrator_id == a) {
            let (Ok(from), Ok(to)) = (l.from_day.parse::<NaiveDate>(), l.to_day.parse::<NaiveDate>()) else { continue };
            for d in from.max(start).iter_days().take_while(|d| *d <= to.min(end)) {
                off.push(IsoDate(d));
            }
        }
        off
    };
    let arbitrators = res
        .arbitrators
        .iter()
        .map(|a| ArbitratorFile {
            id: arbitrator_key(a.id),
            presides: a.presides != 0,
            max_per_day: a.max_per_day.clamp(1, 20) as u32,
            // An arbitrator no longer active keeps the hearings already booked, and takes no new ones.
            off: if a.active != 0 { off_of(a.id) } else { start.iter_days().take_while(|d| *d <= end).map(IsoDate).collect() },
        })
        .collect();
    let rooms = res.rooms.iter().map(|r| RoomFile { id: room_key(r.id), seats: r.seats.max(1) as u32 }).collect();
    let booked = res
        .booked
        .iter()
        .filter_map(|h| {
            Some(BookedFile {
                day: IsoDate(h.day.parse().ok()?),
                session: h.session as u32,
                slot: h.slot as u32,
                slots: h.slots as u32,
                room: room_key(h.room_id),
                arbitrators: h.arbitrator_ids.iter().map(|&a| arbitrator_key(a)).collect(),
            })
        })
        .collect();
    let cases = cases
        .iter()
        .map(|c| {
            let panel = match c.track.as_str() {
                // Rules Art. 5 and §4 (rules.md §1.11): a collective case has a tribunal of three.
                "collective" => 3,
                // Law Art. 31; Rules Art. 56–61: a simplified (and green) case may have a sole arbitrator.
                "green" | "simple" => 1,
                _ => settings.ordinary_panel,
            };
            let seats = c.parties as u32 + panel + 1;
            let seats = if c.track == "collective" { seats.max(settings.collective_seats) } else { seats };
            CaseFile {
                id: c.id.clone(),
                track: c.track.clone(),
                earliest: IsoDate(c.earliest),
                latest: IsoDate(c.latest),
                panel,
                slots: settings.slots.of(&c.track),
                seats,
                weight: settings.weights.of(&c.track),
                exclude: c.exclude.iter().map(|&a| arbitrator_key(a)).collect(),
            }
        })
        .collect();
    ProblemFile {
        version: 1,
        start: IsoDate(start),
        end: IsoDate(end),
        workdays: WorkdaysFile { holidays, extra_workdays },
        slot_minutes: settings.slot_minutes,
        sessions: settings
            .sessions
            .iter()
            .map(|(t, n)| SessionFile { start: Some(t.format("%H:%M").to_string()), slots: *n })
            .collect(),
        arbitrators,
        rooms,
        booked,
        cases,
    }
}

/// The arbitrators a recusal entry puts aside for a case with these parties (Law Art. 33).
pub fn recused(entries: &[RecusalRow], parties: &[&PartyKeyRow]) -> Vec<i64> {
    let same = |a: &Option<String>, b: &Option<String>| matches!((a, b), (Some(x), Some(y)) if x.trim() == y.trim() && !x.trim().is_empty());
    let mut out: Vec<i64> = entries
        .iter()
        .filter(|r| {
            parties.iter().any(|p| {
                r.party_name.as_deref().is_some_and(|n| n.trim() == p.name.trim())
                    || same(&r.id_number, &p.id_number)
                    || same(&r.credit_code, &p.credit_code)
            })
        })
        .map(|r| r.arbitrator_id)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Start and end of a hearing as `HH:MM`.
fn times(settings: &HearingSettings, session: usize, slot: u32, slots: u32) -> (String, String) {
    let (start, _) = settings.sessions[session];
    let at = |n: u32| (start + Duration::minutes(i64::from(n * settings.slot_minutes))).format("%H:%M").to_string();
    (at(slot), at(slot + slots))
}

/// Plans every accepted case without a hearing (clerk). On a dry run nothing is stored; otherwise
/// the hearings, their slot claims, their notices and the cases' new status are written in one
/// transaction, which fails whole (409) if another run or a clerk took a slot or a case meanwhile.
pub async fn schedule(app: &App, actor: &Staff, dry_run: bool) -> Result<ScheduleOutcome, AppError> {
    actor.require(&[Role::Clerk])?;
    let calendar = app.calendar();
    let today = app.clock.today();
    // The notice goes out on the next working day; no hearing comes before it.
    let start = calendar.next_working_day(today).date;
    let settings = &app.config.hearings;
    let mut conn = app.db.reader.acquire().await?;
    let open = open_case_clocks(&mut conn).await?;
    let parties = store::parties_of_unscheduled(&mut conn).await?;
    let recusals = store::recusals(&mut conn).await?;
    let arbitrators = store::arbitrators(&mut conn).await?;
    let rooms = store::rooms(&mut conn).await?;
    let leave = store::leave_from(&mut conn, &start.to_string()).await?;
    let booked = store::planned_from(&mut conn, &start.to_string()).await?;
    drop(conn);
    let mut parties_of: HashMap<&str, Vec<&PartyKeyRow>> = HashMap::new();
    for p in &parties {
        parties_of.entry(p.case_id.as_str()).or_default().push(p);
    }
    let mut to_plan = Vec::new();
    let mut outcome = ScheduleOutcome { dry_run, planned: Vec::new(), unscheduled: Vec::new() };
    for (row, entries) in open.iter().filter(|(r, _)| r.status == "accepted") {
        let dates = CaseDates::parse(&row.status, &row.filed_on, row.accepted_on.as_deref())?;
        let d = app.deadlines_if_notified(&dates, entries, start);
        let buffer = settings.drafting_buffer.of(&row.track);
        let latest = d.award_due.and_then(|due| if buffer == 0 { Some(due) } else { calendar.latest_working_day_before(due, buffer).map(|c| c.date) });
        let (Some(earliest), Some(latest)) = (d.hearing_not_before, latest) else {
            outcome.unscheduled.push(UnscheduledView {
                case_id: row.id.clone(),
                code: "no_working_day",
                reason: "审限日期不明，无法排期".into(),
            });
            continue;
        };
        let ps = parties_of.get(row.id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        to_plan.push(CaseToPlan {
            id: row.id.clone(),
            track: row.track.clone(),
            earliest: earliest.max(start),
            latest,
            parties: ps.len(),
            exclude: recused(&recusals, ps),
        });
    }
    if to_plan.is_empty() {
        return Ok(outcome);
    }
    let res = Resources { arbitrators: &arbitrators, rooms: &rooms, leave: &leave, booked: &booked };
    let file = build_problem(settings, &calendar, start, &to_plan, &res);
    let problem = Problem::new(file).map_err(|e| anyhow::anyhow!("排期问题无法构建（{}：{}）：{}", e.code, e.place, e.message))?;
    let opts = Options { time_limit: settings.time_limit, threads: 1, seed: 1, max_iterations: None };
    let (problem, solution) = tokio::task::spawn_blocking(move || {
        let sol = solve(&problem, &opts, |_| {});
        (problem, sol)
    })
    .await
    .map_err(anyhow::Error::from)?;
    for (c, reason) in explain::reasons(&problem, &solution) {
        outcome.unscheduled.push(UnscheduledView { case_id: problem.cases[c].id.clone(), code: reason.code(), reason: reason.message() });
    }
    let mut placed: Vec<(usize, PlannedView)> = Vec::new();
    for (c, pl) in solution.placements.iter().enumerate() {
        let Some(pl) = pl else { continue };
        let (start_time, end_time) = times(settings, pl.session as usize, u32::from(pl.slot), problem.cases[c].slots);
        placed.push((c, PlannedView {
            case_id: problem.cases[c].id.clone(),
            hearing_id: None,
            day: problem.workdays[pl.day as usize],
            start: start_time,
            end: end_time,
            room_id: rooms[pl.room as usize].id,
            arbitrator_ids: pl.arbitrators.iter().map(|&a| arbitrators[a as usize].id).collect(),
        }));
    }
    placed.sort_by(|(_, a), (_, b)| (a.day, &a.start, a.room_id).cmp(&(b.day, &b.start, b.room_id)));
    if dry_run || placed.is_empty() {
        outcome.planned = placed.into_iter().map(|(_, v)| v).collect();
        return Ok(outcome);
    }
    let now = app.clock.now_text();
    let taken = || AppError::Conflict("排期期间有案件或时段已被他人安排，本次排期未保存，请重新排期".into());
    let mut tx = app.db.begin().await?;
    for (c, h) in placed.iter_mut() {
        let case = &problem.cases[*c];
        if !cases::mark_scheduled(&mut tx, &h.case_id, &now).await? {
            return Err(taken());
        }
        let pl = solution.placements[*c].as_ref().expect("a placed case has a placement");
        let day = h.day.to_string();
        let new = NewHearing {
            case_id: &h.case_id,
            day: &day,
            session: i64::from(pl.session),
            slot: i64::from(pl.slot),
            slots: i64::from(case.slots),
            start_time: &h.start,
            end_time: &h.end,
            room_id: h.room_id,
            arbitrator_ids: &h.arbitrator_ids,
        };
        let id = match store::insert(&mut tx, &new, &now).await {
            Ok(id) => id,
            Err(e) if store::is_unique_violation(&e) => return Err(taken()),
            Err(e) => return Err(e.into()),
        };
        // Law Art. 35; Rules Art. 38: the written notice of the hearing's date and place.
        store::insert_notice(&mut tx, id, &today.to_string(), &now).await?;
        let note = format!("{} {}–{} 第{}庭", h.day, h.start, h.end, h.room_id);
        events::append(&mut tx, &h.case_id, &now, &actor.username, "hearing_planned", Some("accepted"), Some("scheduled"), Some(&note)).await?;
        h.hearing_id = Some(id);
    }
    outcome.planned = placed.into_iter().map(|(_, v)| v).collect();
    match tx.commit().await {
        Ok(()) => Ok(outcome),
        Err(e) if store::is_unique_violation(&e) => Err(taken()),
        Err(e) => Err(e.into()),
    }
}

/// One hearing on an arbitrator's docket.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocketEntry {
    pub hearing_id: i64,
    pub case_id: String,
    pub case_no: Option<String>,
    pub day: String,
    pub start: String,
    pub end: String,
    pub room_id: i64,
    pub room: String,
    pub track: String,
    pub applicant: Option<String>,
    pub respondent: Option<String>,
}

/// An arbitrator's hearings between two days (default: today and the next 6 days). Staff see any
/// docket; an arbitrator account sees only its own.
pub async fn docket(app: &App, actor: &Staff, arbitrator_id: i64, from: Option<&str>, to: Option<&str>) -> Result<Vec<DocketEntry>, AppError> {
    if actor.role == Role::Arbitrator && actor.arbitrator_id != Some(arbitrator_id) {
        return Err(AppError::Forbidden);
    }
    let mut errs = Vec::new();
    let (from, to) = (optional_date(from, "from", "开始日期", &mut errs), optional_date(to, "to", "结束日期", &mut errs));
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let from = from.unwrap_or_else(|| app.clock.today());
    let to = to.unwrap_or(from + Duration::days(6));
    if to < from {
        return Err(AppError::field("to", "before_from", "结束日期不能早于开始日期"));
    }
    let mut conn = app.db.reader.acquire().await?;
    if !crate::store::resources::arbitrator_exists(&mut conn, arbitrator_id).await? {
        return Err(AppError::NotFound("仲裁员不存在"));
    }
    let rows = store::docket(&mut conn, arbitrator_id, &from.to_string(), &to.to_string()).await?;
    Ok(rows
        .into_iter()
        .map(|r| DocketEntry {
            hearing_id: r.hearing_id,
            case_id: r.case_id,
            case_no: r.case_no,
            day: r.day,
            start: r.start_time,
            end: r.end_time,
            room_id: r.room_id,
            room: r.room_name,
            track: r.track,
            applicant: r.applicant,
            respondent: r.respondent,
        })
        .collect())
}
