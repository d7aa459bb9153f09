//! Planning hearings: every accepted case without a hearing becomes a case of a scheduling problem
//! (its window from the statutory clock), the solver plans them, and the hearings, their slot
//! claims and notices are stored in one transaction. The snapshot, windows and writes here serve
//! re-planning and manual placement too.

use crate::law::case::Status;
use crate::law::routing::Track;
use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::accounts::{Role, Staff};
use super::deadlines::{CaseDates, open_case_clocks};
use super::{App, AppError};
use crate::config::HearingSettings;
use crate::law::calendar::WorkingCalendar;
use crate::law::clock::ClockEntry;
use crate::scheduling::problem::{ArbitratorFile, BookedFile, CaseFile, IsoDate, ProblemFile, RoomFile, SessionFile, WorkdaysFile};
use crate::scheduling::{Options, Placement, Problem, Solution, explain, solve};
use crate::store::cases::OpenCaseRow;
use crate::store::hearings::{self as store, ArbitratorRow, LeaveRow, NewHearing, PartyKeyRow, PlannedHearing, RecusalRow, RoomRow};
use crate::store::{Tx, cases, events};

/// A case to plan, as the clock and the parties make it.
#[derive(Debug, Clone)]
pub struct CaseToPlan {
    pub id: String,
    pub track: Track,
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
    /// The arbitrators' weekly patterns (version 2).
    pub weekly: &'a [crate::store::availability::WeeklyRow],
    /// Their busy times from the first planning day on (version 2).
    pub busy: &'a [crate::store::availability::BusyRow],
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
    /// Hearings already booked that break a rule as the data stand now (a daily limit lowered,
    /// a leave entered over them). Planning goes around them; a clerk moves them.
    pub conflicts: Vec<BookedConflictView>,
    /// A dry run kept to be saved as it is (`POST /api/v1/schedule/drafts/{id}`), while nothing
    /// it rests on changes.
    pub draft_id: Option<i64>,
}

/// A booked hearing that breaks rule 4 (leave) or rule 6 (daily limit) as the data stand now.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BookedConflictView {
    pub hearing_id: i64,
    pub case_id: String,
    pub day: NaiveDate,
    pub arbitrator_id: i64,
    /// `over_daily_limit`, `on_leave` or `busy_elsewhere` (a busy time imported or typed after the hearing was fixed).
    pub code: &'static str,
    pub reason: String,
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
            busy: busy_of(settings, res, a.id, start, end),
        })
        .collect::<Vec<ArbitratorFile>>();
    let version = if arbitrators.iter().any(|a| !a.busy.is_empty()) { 2 } else { 1 };
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
            let panel = c.track.panel_size(settings.ordinary_panel);
            let seats = c.parties as u32 + panel + 1;
            let seats = if c.track == Track::Collective { seats.max(settings.collective_seats) } else { seats };
            CaseFile {
                id: c.id.clone(),
                track: c.track.code().to_string(),
                earliest: IsoDate(c.earliest),
                latest: IsoDate(c.latest),
                panel,
                slots: settings.slots.of(c.track),
                seats,
                weight: settings.weights.of(c.track),
                exclude: c.exclude.iter().map(|&a| arbitrator_key(a)).collect(),
            }
        })
        .collect();
    ProblemFile {
        version,
        start: IsoDate(start),
        end: IsoDate(end),
        workdays: WorkdaysFile { holidays, extra_workdays },
        slot_minutes: settings.slot_minutes,
        sessions: settings.sessions.iter().map(|(t, n)| SessionFile { start: Some(t.format("%H:%M").to_string()), slots: *n }).collect(),
        arbitrators,
        rooms,
        booked,
        cases,
    }
}

/// An arbitrator's busy slots over `start..=end` (version 2): the sessions its weekly pattern leaves
/// free, and its busy times.
fn busy_of(
    settings: &HearingSettings,
    res: &Resources<'_>,
    arbitrator: i64,
    start: NaiveDate,
    end: NaiveDate,
) -> Vec<crate::scheduling::problem::BusyFile> {
    use crate::scheduling::availability::{BusyTime, Sessions, in_force};
    let sessions = Sessions { starts: settings.sessions.clone(), slot_minutes: settings.slot_minutes };
    let rows: Vec<_> = res.weekly.iter().filter(|w| w.arbitrator_id == arbitrator).cloned().collect();
    let patterns = super::availability::weekly_patterns(&rows);
    let mut out = Vec::new();
    if !patterns.is_empty() {
        for d in start.iter_days().take_while(|d| *d <= end) {
            if let Some(p) = in_force(&patterns, d) {
                out.extend(sessions.not_sat(p, d));
            }
        }
    }
    for b in res.busy.iter().filter(|b| b.arbitrator_id == arbitrator) {
        let (Ok(day), Ok(from), Ok(to)) = (
            b.day.parse::<NaiveDate>(),
            chrono::NaiveTime::parse_from_str(&b.start_time, "%H:%M"),
            chrono::NaiveTime::parse_from_str(&b.end_time, "%H:%M"),
        ) else {
            continue;
        };
        if (start..=end).contains(&day) {
            out.extend(sessions.slots_of(&BusyTime { day, start: from, end: to }));
        }
    }
    out
}

/// The arbitrators a recusal entry puts aside for a case with these parties (Law Art. 33).
pub fn recused(entries: &[RecusalRow], parties: &[&PartyKeyRow]) -> Vec<i64> {
    let same =
        |a: &Option<String>, b: &Option<String>| matches!((a, b), (Some(x), Some(y)) if x.trim() == y.trim() && !x.trim().is_empty());
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
pub fn times(settings: &HearingSettings, session: usize, slot: u32, slots: u32) -> (String, String) {
    let (start, _) = settings.sessions[session];
    let at = |n: u32| (start + Duration::minutes(i64::from(n * settings.slot_minutes))).format("%H:%M").to_string();
    (at(slot), at(slot + slots))
}

/// How much notice a new hearing date must give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// Law Art. 35; Rules Art. 38: served at least 5 working days before the hearing.
    Full,
    /// The parties agreed to short notice (green and simple tracks only): from the next working day.
    ShortAgreed,
}

/// What planning reads from the database at one moment.
pub struct Snapshot {
    pub today: NaiveDate,
    /// The first day a hearing may be planned on: the next working day (the notice goes out then).
    pub start: NaiveDate,
    pub open: Vec<(OpenCaseRow, Vec<ClockEntry>)>,
    pub parties: Vec<PartyKeyRow>,
    pub recusals: Vec<RecusalRow>,
    pub arbitrators: Vec<ArbitratorRow>,
    pub rooms: Vec<RoomRow>,
    pub leave: Vec<LeaveRow>,
    pub booked: Vec<PlannedHearing>,
    pub weekly: Vec<crate::store::availability::WeeklyRow>,
    pub busy: Vec<crate::store::availability::BusyRow>,
}

impl Snapshot {
    pub async fn read(app: &App) -> Result<Snapshot, AppError> {
        let today = app.time.today();
        let start = app.calendar().next_working_day(today).date;
        let mut conn = app.db.reader.acquire().await?;
        Ok(Snapshot {
            today,
            start,
            open: open_case_clocks(&mut conn, false).await?,
            parties: store::parties_of_open(&mut conn).await?,
            recusals: store::recusals(&mut conn).await?,
            arbitrators: store::arbitrators(&mut conn).await?,
            // A room out of use has no hearing planned from today (taking it out is refused until
            // then), so planning and placing by hand simply never see it.
            rooms: store::rooms(&mut conn).await?.into_iter().filter(|r| r.active != 0).collect(),
            leave: store::leave_from(&mut conn, &start.to_string()).await?,
            booked: store::planned_from(&mut conn, &start.to_string()).await?,
            weekly: crate::store::availability::weekly(&mut conn, None).await?,
            busy: crate::store::availability::busy_from(&mut conn, None, &start.to_string()).await?,
        })
    }

    /// A case to plan: its window from the statutory clock, its parties and recusals. `later_than`
    /// keeps a postponed hearing after the day it had.
    pub fn case_to_plan(
        &self,
        app: &App,
        case_id: &str,
        notice: Notice,
        later_than: Option<NaiveDate>,
    ) -> Result<CaseToPlan, UnscheduledView> {
        let unknown =
            || UnscheduledView { case_id: case_id.to_string(), code: "not_open", reason: "案件未处于待开庭状态".into() };
        let (row, entries) = self.open.iter().find(|(r, _)| r.id == case_id).ok_or_else(unknown)?;
        if !matches!(row.status, Status::Accepted | Status::Scheduled) {
            return Err(unknown());
        }
        let calendar = app.calendar();
        let settings = &app.config.hearings;
        let no_window = |why: &str| UnscheduledView { case_id: case_id.to_string(), code: "no_working_day", reason: why.to_string() };
        let dates = CaseDates::parse(row.status, &row.filed_on, row.accepted_on.as_deref()).map_err(|_| no_window("案件日期无法读取"))?;
        let d = app.deadlines_if_notified(&dates, entries, self.start);
        let buffer = settings.drafting_buffer.of(row.track);
        let latest = d
            .award_due
            .and_then(|due| if buffer == 0 { Some(due) } else { calendar.latest_working_day_before(due, buffer).map(|c| c.date) });
        let (Some(earliest), Some(latest)) = (d.hearing_not_before, latest) else {
            return Err(no_window("审限日期不明，无法排期"));
        };
        // Law Art. 35: the 5-day notice may be shortened only by the parties' agreement, and only
        // in the simplified procedure (Rules Art. 56–61) or the green channel.
        let earliest = match notice {
            Notice::ShortAgreed if row.track.is_simplified() => self.start,
            _ => earliest,
        };
        let earliest = later_than.map_or(earliest, |d| earliest.max(d + Duration::days(1))).max(self.start);
        let ps: Vec<&PartyKeyRow> = self.parties.iter().filter(|p| p.case_id == case_id).collect();
        Ok(CaseToPlan { id: row.id.clone(), track: row.track, earliest, latest, parties: ps.len(), exclude: recused(&self.recusals, &ps) })
    }

    /// Booked hearings that break a daily limit, fall on a leave day, or meet a busy time of one of
    /// their arbitrators (an import after the hearing was fixed), as the data stand now: for a
    /// daily limit, the hearings past the limit in order of time. None is moved silently.
    pub fn conflicts(&self, settings: &HearingSettings) -> Vec<BookedConflictView> {
        let mut out = self.busy_clashes(settings);
        let mut per_day: std::collections::BTreeMap<(i64, &str), Vec<&PlannedHearing>> = Default::default();
        for h in &self.booked {
            for &a in &h.arbitrator_ids {
                per_day.entry((a, h.day.as_str())).or_default().push(h);
            }
        }
        for ((a, day), mut list) in per_day {
            let Some(arb) = self.arbitrators.iter().find(|r| r.id == a) else { continue };
            let Ok(date) = day.parse::<NaiveDate>() else { continue };
            let line = |h: &PlannedHearing, code, reason: String| BookedConflictView {
                hearing_id: h.id,
                case_id: h.case_id.clone(),
                day: date,
                arbitrator_id: a,
                code,
                reason,
            };
            if self.leave.iter().any(|l| l.arbitrator_id == a && l.from_day.as_str() <= day && day <= l.to_day.as_str()) {
                out.extend(list.iter().map(|h| line(h, "on_leave", format!("仲裁员{}在 {day} 请假", arb.name))));
                continue;
            }
            let cap = arb.max_per_day.max(1) as usize;
            if list.len() > cap {
                list.sort_by_key(|h| (h.session, h.slot));
                let n = list.len();
                out.extend(
                    list[cap..]
                        .iter()
                        .map(|h| line(h, "over_daily_limit", format!("仲裁员{}在 {day} 有 {n} 场庭审，超过每日上限 {cap} 场", arb.name))),
                );
            }
        }
        out.sort_by_key(|c| (c.day, c.hearing_id));
        out
    }

    /// Booked hearings that overlap a busy time of one of their arbitrators.
    fn busy_clashes(&self, settings: &HearingSettings) -> Vec<BookedConflictView> {
        let mut out = Vec::new();
        for h in &self.booked {
            let (Ok(day), Ok(session)) = (h.day.parse::<NaiveDate>(), usize::try_from(h.session)) else { continue };
            if session >= settings.sessions.len() {
                continue;
            }
            let (start, end) = times(settings, session, h.slot as u32, h.slots as u32);
            for &a in &h.arbitrator_ids {
                let clash = self.busy.iter().find(|b| b.arbitrator_id == a && b.day == h.day && b.start_time < end && start < b.end_time);
                if let Some(b) = clash {
                    let name = self.arbitrators.iter().find(|r| r.id == a).map(|r| r.name.as_str()).unwrap_or("");
                    out.push(BookedConflictView {
                        hearing_id: h.id,
                        case_id: h.case_id.clone(),
                        day,
                        arbitrator_id: a,
                        code: "busy_elsewhere",
                        reason: format!("仲裁员{name}在 {day} {}–{} 有其他安排，与已定的 {start}–{end} 庭审冲突", b.start_time, b.end_time),
                    });
                }
            }
        }
        out
    }

    /// The scheduling problem of these cases, every planned hearing but `freed` kept as booked.
    pub fn problem(&self, app: &App, cases: &[CaseToPlan], freed: &[i64]) -> Result<Problem, AppError> {
        self.problem_with_basis(app, cases, freed).map(|(p, _)| p)
    }

    /// [`Self::problem`] and its fingerprint: the SHA-256 of the problem file, the same as long as
    /// nothing a plan rests on has changed (cases, windows, resources, leave, busy times, bookings,
    /// the calendar, the day).
    pub fn problem_with_basis(&self, app: &App, cases: &[CaseToPlan], freed: &[i64]) -> Result<(Problem, String), AppError> {
        let booked: Vec<PlannedHearing> = self.booked.iter().filter(|h| !freed.contains(&h.id)).cloned().collect();
        let res = Resources {
            arbitrators: &self.arbitrators,
            rooms: &self.rooms,
            leave: &self.leave,
            booked: &booked,
            weekly: &self.weekly,
            busy: &self.busy,
        };
        let file = build_problem(&app.config.hearings, &app.calendar(), self.start, cases, &res);
        let basis = {
            use sha2::Digest;
            let json = serde_json::to_vec(&file).map_err(anyhow::Error::from)?;
            super::secrets::hex(&sha2::Sha256::digest(&json))
        };
        // A problem the configuration makes impossible (say a hearing longer than 64 slots) is the
        // configuration's fault, named for the administrator.
        // Booked hearings that break a rule among themselves stay booked and are planned around
        // (listed by `conflicts`): one bad day must not stop planning for every case.
        let problem = Problem::around_booked(file).map_err(|e| {
            AppError::Conflict(format!(
                "排期设置有误，无法排期（{}：{}）：{}，请管理员检查开庭时段与庭审时长设置",
                e.code, e.place, e.message
            ))
        })?;
        Ok((problem, basis))
    }

    /// The hearing view of case `c` of `problem` at a placement.
    pub fn view(&self, app: &App, problem: &Problem, c: usize, pl: &Placement) -> PlannedView {
        let (start, end) = times(&app.config.hearings, pl.session as usize, u32::from(pl.slot), problem.cases[c].slots);
        PlannedView {
            case_id: problem.cases[c].id.clone(),
            hearing_id: None,
            day: problem.workdays[pl.day as usize],
            start,
            end,
            room_id: self.rooms[pl.room as usize].id,
            arbitrator_ids: pl.arbitrators.iter().map(|&a| self.arbitrators[a as usize].id).collect(),
        }
    }
}

/// Runs the solver on a blocking thread within the configured time limit.
pub async fn solve_within_limit(app: &App, problem: Problem) -> Result<(Problem, Solution), AppError> {
    let budget = app.config.hearings.max_iterations;
    let opts = Options {
        // With an iteration budget the plan depends on nothing but the problem (the simulator).
        time_limit: if budget.is_some() { std::time::Duration::from_secs(3600) } else { app.config.hearings.time_limit },
        threads: 1,
        seed: 1,
        max_iterations: budget,
        stall: if budget.is_some() { None } else { Some(app.config.hearings.stall) },
        // The service stopping: answer with the best plan found so far, within the grace period.
        cancel: Some(app.stopping.clone()),
    };
    let (problem, solution) = super::blocking(move || {
        let sol = solve(&problem, &opts, |_| {});
        (problem, sol)
    })
    .await?;
    Ok((problem, solution))
}

/// The answer when another run or a clerk took a case or a slot meanwhile.
pub fn taken() -> AppError {
    AppError::Conflict("排期期间有案件或时段已被他人安排，本次排期未保存，请重新排期".into())
}

/// Turns a solution into views (sorted by day, time and room) and reasons.
pub fn outcome_of(
    app: &App,
    snap: &Snapshot,
    problem: &Problem,
    solution: &Solution,
    dry_run: bool,
) -> (ScheduleOutcome, Vec<(usize, PlannedView)>) {
    let mut outcome = ScheduleOutcome {
        dry_run,
        planned: Vec::new(),
        unscheduled: Vec::new(),
        conflicts: snap.conflicts(&app.config.hearings),
        draft_id: None,
    };
    for (c, reason) in explain::reasons(problem, solution) {
        outcome.unscheduled.push(UnscheduledView { case_id: problem.cases[c].id.clone(), code: reason.code(), reason: reason.message() });
    }
    let mut placed: Vec<(usize, PlannedView)> =
        solution.placements.iter().enumerate().filter_map(|(c, pl)| pl.as_ref().map(|pl| (c, snap.view(app, problem, c, pl)))).collect();
    placed.sort_by(|(_, a), (_, b)| (a.day, &a.start, a.room_id).cmp(&(b.day, &b.start, b.room_id)));
    (outcome, placed)
}

/// The stored form of a planned view.
pub fn new_hearing<'a>(h: &'a PlannedView, day: &'a str, pl: &Placement, slots: u32) -> NewHearing<'a> {
    NewHearing {
        case_id: &h.case_id,
        day,
        session: i64::from(pl.session),
        slot: i64::from(pl.slot),
        slots: i64::from(slots),
        start_time: &h.start,
        end_time: &h.end,
        room_id: h.room_id,
        arbitrator_ids: &h.arbitrator_ids,
    }
}

/// Who changes hearings, and when: the day notices are issued on, the timestamp, the user.
#[derive(Clone, Copy)]
pub struct Stamp<'a> {
    pub today: NaiveDate,
    pub now: &'a str,
    pub by: &'a str,
}

/// Rules 4 and 6 as the database holds them once this writer holds the tribunal's rows: another
/// writer that placed a hearing or recorded a leave since our snapshot was read is seen here, and
/// the hearing is refused (409) with nothing stored.
async fn check_tribunal(tx: &mut Tx, hearing_id: i64) -> Result<(), AppError> {
    let breaches = store::tribunal_breaches(tx, hearing_id).await?;
    let Some(b) = breaches.first() else { return Ok(()) };
    let why = if b.leave > 0 {
        format!("仲裁员{}在 {} 请假", b.name, b.day)
    } else {
        format!("仲裁员{}在 {} 已有 {} 场庭审，超过每日上限 {} 场", b.name, b.day, b.hearings, b.max_per_day)
    };
    Err(AppError::Conflict(format!("{why}（刚被他人安排或登记），本次排期未保存，请重新排期")))
}

/// Stores a new hearing for an accepted case with its notice and audit event, in the caller's
/// transaction. A slot or case taken meanwhile is a 409.
pub async fn store_new(tx: &mut Tx, h: &PlannedView, pl: &Placement, slots: u32, at: Stamp<'_>) -> Result<i64, AppError> {
    let Stamp { today, now, by } = at;
    if !cases::mark_scheduled(tx, &h.case_id, now).await? {
        return Err(taken());
    }
    store::lock_arbitrators(tx, &h.arbitrator_ids).await?;
    let day = h.day.to_string();
    let id = match store::insert(tx, &new_hearing(h, &day, pl, slots), now).await {
        Ok(id) => id,
        Err(e) if store::is_unique_violation(&e) => return Err(taken()),
        Err(e) => return Err(e.into()),
    };
    check_tribunal(tx, id).await?;
    // Law Art. 35; Rules Art. 38: the written notice of the hearing's date and place.
    store::insert_notice(tx, id, &today.to_string(), now).await?;
    let note = format!("{} {}–{} 仲裁庭{} 仲裁员{:?}", h.day, h.start, h.end, h.room_id, h.arbitrator_ids);
    events::append(
        tx,
        &events::NewEvent {
            case_id: &h.case_id,
            at: now,
            actor: by,
            action: "hearing_planned",
            before: Some(Status::Accepted.code()),
            after: Some(Status::Scheduled.code()),
            note: Some(&note),
        },
    )
    .await?;
    Ok(id)
}

/// Moves a planned hearing in place with a new notice and an audit event naming `why`.
pub async fn store_move(
    tx: &mut Tx,
    hearing_id: i64,
    h: &PlannedView,
    pl: &Placement,
    slots: u32,
    at: Stamp<'_>,
    why: &str,
) -> Result<(), AppError> {
    let Stamp { today, now, by } = at;
    let day = h.day.to_string();
    store::lock_arbitrators(tx, &h.arbitrator_ids).await?;
    match store::relocate(tx, hearing_id, &new_hearing(h, &day, pl, slots), now).await {
        Ok(Some(_)) => {}
        Ok(None) => return Err(taken()),
        Err(e) if store::is_unique_violation(&e) => return Err(taken()),
        Err(e) => return Err(e.into()),
    }
    check_tribunal(tx, hearing_id).await?;
    // Law Art. 35; Rules Art. 38: every new date is notified in writing again.
    store::insert_notice(tx, hearing_id, &today.to_string(), now).await?;
    let note = format!("{why}：改至 {} {}–{} 仲裁庭{} 仲裁员{:?}", h.day, h.start, h.end, h.room_id, h.arbitrator_ids);
    events::append(
        tx,
        &events::NewEvent {
            case_id: &h.case_id,
            at: now,
            actor: by,
            action: "hearing_moved",
            before: Some(Status::Scheduled.code()),
            after: Some(Status::Scheduled.code()),
            note: Some(&note),
        },
    )
    .await?;
    Ok(())
}

/// Cancels a planned hearing the re-planning could not place: the case waits for the next run.
pub async fn store_cancel(tx: &mut Tx, hearing_id: i64, case_id: &str, now: &str, by: &str, why: &str) -> Result<(), AppError> {
    if !store::cancel(tx, hearing_id, now).await? || !cases::mark_unscheduled(tx, case_id, now).await? {
        return Err(taken());
    }
    events::append(
        tx,
        &events::NewEvent {
            case_id,
            at: now,
            actor: by,
            action: "hearing_cancelled",
            before: Some(Status::Scheduled.code()),
            after: Some(Status::Accepted.code()),
            note: Some(why),
        },
    )
    .await?;
    Ok(())
}

/// Booked hearings that break a rule as the data stand now — leave entered over them, a lowered
/// daily limit, a busy time imported since — the list a clerk works through until each is moved
/// (clerk, admin). Read afresh each time, so it holds until the last one is moved.
pub async fn booked_conflicts(app: &App, actor: &Staff) -> Result<Vec<BookedConflictView>, AppError> {
    actor.require(&[Role::Clerk, Role::Admin])?;
    let snap = Snapshot::read(app).await?;
    Ok(snap.conflicts(&app.config.hearings))
}

/// Plans every accepted case without a hearing (clerk). A dry run stores no hearing: its plan is
/// kept as a draft, to be saved as it is ([`save_draft`]); otherwise the plan is stored at once
/// ([`commit`]).
pub async fn schedule(app: &App, actor: &Staff, dry_run: bool) -> Result<ScheduleOutcome, AppError> {
    actor.require(&[Role::Clerk])?;
    let snap = Snapshot::read(app).await?;
    let (to_plan, early) = cases_to_plan(app, &snap);
    if to_plan.is_empty() {
        let conflicts = snap.conflicts(&app.config.hearings);
        return Ok(ScheduleOutcome { dry_run, planned: Vec::new(), unscheduled: early, conflicts, draft_id: None });
    }
    let (problem, basis) = snap.problem_with_basis(app, &to_plan, &[])?;
    let (problem, solution) = solve_within_limit(app, problem).await?;
    if dry_run {
        let (mut outcome, placed) = outcome_of(app, &snap, &problem, &solution, true);
        outcome.unscheduled.splice(0..0, early);
        outcome.planned = placed.into_iter().map(|(_, v)| v).collect();
        let mut conn = app.db.writer.acquire().await?;
        let placements = serde_json::to_string(&draft_placements(&solution)).map_err(anyhow::Error::from)?;
        outcome.draft_id =
            Some(crate::store::plan_drafts::insert(&mut conn, &app.time.now_text(), &actor.username, &basis, &placements).await?);
        return Ok(outcome);
    }
    commit(app, actor, &snap, &problem, &solution, early, None).await
}

/// Every accepted case without a hearing, as the planner takes it, and those it cannot take.
fn cases_to_plan(app: &App, snap: &Snapshot) -> (Vec<CaseToPlan>, Vec<UnscheduledView>) {
    let mut to_plan = Vec::new();
    let mut early = Vec::new();
    for (row, _) in snap.open.iter().filter(|(r, _)| r.status == Status::Accepted) {
        match snap.case_to_plan(app, &row.id, Notice::Full, None) {
            Ok(c) => to_plan.push(c),
            Err(u) => early.push(u),
        }
    }
    (to_plan, early)
}

/// A placement as a kept dry run stores it: indices into a problem that must be the same again.
#[derive(serde::Serialize, serde::Deserialize)]
struct DraftPlacement {
    day: u16,
    session: u8,
    slot: u8,
    room: u16,
    arbitrators: Vec<u16>,
}

fn draft_placements(s: &Solution) -> Vec<Option<DraftPlacement>> {
    s.placements
        .iter()
        .map(|p| {
            p.as_ref().map(|p| DraftPlacement {
                day: p.day,
                session: p.session,
                slot: p.slot,
                room: p.room,
                arbitrators: p.arbitrators.clone(),
            })
        })
        .collect()
}

/// Saves a kept dry run as it is (clerk): refused, with nothing stored, when anything it rests on
/// has changed since (a case accepted or booked, leave, a busy time, the calendar, the day) or when
/// it was saved already.
pub async fn save_draft(app: &App, actor: &Staff, draft_id: i64) -> Result<ScheduleOutcome, AppError> {
    actor.require(&[Role::Clerk])?;
    let (basis, placements, saved) = {
        let mut conn = app.db.reader.acquire().await?;
        crate::store::plan_drafts::get(&mut conn, draft_id).await?.ok_or(AppError::NotFound("试排方案不存在"))?
    };
    if saved.is_some() {
        return Err(AppError::Conflict("该试排方案已经保存过".into()));
    }
    let snap = Snapshot::read(app).await?;
    let (to_plan, early) = cases_to_plan(app, &snap);
    let changed = || AppError::Conflict("试排之后，案件或排期条件（受理、排期、请假、其他安排、节假日或日期）已有变化，请重新试排".into());
    if to_plan.is_empty() {
        return Err(changed());
    }
    let (problem, now_basis) = snap.problem_with_basis(app, &to_plan, &[])?;
    if now_basis != basis {
        return Err(changed());
    }
    let kept: Vec<Option<DraftPlacement>> = serde_json::from_str(&placements).map_err(anyhow::Error::from)?;
    let solution = Solution {
        placements: kept
            .into_iter()
            .map(|p| p.map(|p| Placement { day: p.day, session: p.session, slot: p.slot, room: p.room, arbitrators: p.arbitrators }))
            .collect(),
        cost: 0,
        iterations: 0,
    };
    if solution.placements.len() != problem.cases.len() {
        return Err(changed());
    }
    commit(app, actor, &snap, &problem, &solution, early, Some(draft_id)).await
}

/// Stores a plan: the hearings, their slot claims, their notices and the cases' new status in one
/// transaction, which fails whole (409) if another run or a clerk took a slot or a case meanwhile.
async fn commit(
    app: &App,
    actor: &Staff,
    snap: &Snapshot,
    problem: &Problem,
    solution: &Solution,
    early: Vec<UnscheduledView>,
    draft: Option<i64>,
) -> Result<ScheduleOutcome, AppError> {
    let (mut outcome, mut placed) = outcome_of(app, snap, problem, solution, false);
    outcome.unscheduled.splice(0..0, early);
    if !placed.is_empty() {
        let now = app.time.now_text();
        let mut tx = app.db.begin().await?;
        if let Some(id) = draft
            && !crate::store::plan_drafts::mark_saved(&mut tx, id, &now).await?
        {
            return Err(AppError::Conflict("该试排方案已经保存过".into()));
        }
        // Every arbitrator of the run at once, in id order: two runs never wait on each other in a circle.
        let panel: Vec<i64> = placed.iter().flat_map(|(_, h)| h.arbitrator_ids.iter().copied()).collect();
        store::lock_arbitrators(&mut tx, &panel).await?;
        for (c, h) in placed.iter_mut() {
            let pl = solution.placements[*c].as_ref().expect("a placed case has a placement");
            let at = Stamp { today: snap.today, now: &now, by: &actor.username };
            h.hearing_id = Some(store_new(&mut tx, h, pl, problem.cases[*c].slots, at).await?);
        }
        // Law Art. 35: each hearing fixed is notified in writing. A run fixes up to hundreds at
        // once, so their documents are typeset by the outbox's worker after the answer; printing
        // one from its hearing page meanwhile issues the same notice.
        super::documents::enqueue_hearing_notices(app, &mut tx, &actor.username, placed.iter().filter_map(|(_, h)| h.hearing_id).collect())
            .await?;
        match tx.commit().await {
            Ok(()) => {}
            Err(e) if store::is_unique_violation(&e) => return Err(taken()),
            Err(e) => return Err(e.into()),
        }
    }
    outcome.planned = placed.into_iter().map(|(_, v)| v).collect();
    Ok(outcome)
}
