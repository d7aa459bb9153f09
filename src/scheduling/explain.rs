//! Explanations: why a case stayed unscheduled, and for one case the best free slots with, for the
//! cheaper slots that were refused, the hard rule that refused them.

use chrono::NaiveDate;

use super::grid::{Ctx, Grid, Placement, span};
use super::plan::PlanFile;
use super::problem::Problem;
use super::rules::{HardRule, Refusal, Resource};
use super::solution::{Solution, case_cost};

/// Why a case could not be heard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The window `max(earliest, start)..=min(latest, end)` holds no working day.
    NoWorkingDay,
    /// The hearing is longer than every session.
    TooLong,
    /// No room of the problem has enough seats.
    NoRoom,
    /// On no day of the window is a presiding arbitrator on duty and not recused, or not enough
    /// arbitrators for the panel.
    NoPanel,
    /// Every candidate slot is taken; how often each resource was the obstacle.
    Taken { rooms: usize, arbitrators: usize, daily_limit: usize },
}

impl Reason {
    /// Stable code for programs.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::NoWorkingDay => "no_working_day",
            Reason::TooLong => "longer_than_every_session",
            Reason::NoRoom => "no_room_with_enough_seats",
            Reason::NoPanel => "no_presiding_arbitrator",
            Reason::Taken { .. } => "every_slot_taken",
        }
    }

    /// The reason in Chinese, for the clerk.
    pub fn message(&self) -> String {
        match self {
            Reason::NoWorkingDay => "开庭期间内没有工作日".to_string(),
            Reason::TooLong => "庭审所需时长超过任何一个时段".to_string(),
            Reason::NoRoom => "没有座位足够的审理庭".to_string(),
            Reason::NoPanel => "期间内每天都没有可主持（或足额组庭）且无需回避、未休假的仲裁员".to_string(),
            Reason::Taken { rooms, arbitrators, daily_limit } => format!(
                "期间内所有候选时段均已排满（仲裁庭已占用 {rooms} 处，仲裁员已有庭审 {arbitrators} 处，仲裁员当日已达上限 {daily_limit} 处）"
            ),
        }
    }
}

/// A free slot for one case.
#[derive(Clone, Debug)]
pub struct Slot {
    pub day: NaiveDate,
    pub session: usize,
    pub slot: u32,
    pub room: String,
    pub arbitrators: Vec<String>,
    pub cost: u64,
}

/// A slot refused, with the rule that refused it and the resource it concerns.
#[derive(Clone, Debug)]
pub struct Refused {
    pub day: NaiveDate,
    pub session: usize,
    pub slot: u32,
    pub cost: u64,
    pub refusal: Refusal,
}

/// The best slots for one case, and the cheaper ones refused.
#[derive(Clone, Debug)]
pub struct Suggestions {
    pub feasible: Vec<Slot>,
    pub refused: Vec<Refused>,
    /// Set when the case cannot be heard at all.
    pub reason: Option<Reason>,
}

/// Why each unscheduled case of a solution stayed so, judged against the solution's own occupancy.
pub fn reasons(p: &Problem, sol: &Solution) -> Vec<(usize, Reason)> {
    let ctx = Ctx::new(p);
    let grid = occupied(&ctx, &sol.placements, None);
    (0..p.cases.len()).filter(|&c| sol.placements[c].is_none()).map(|c| (c, reason(&ctx, &grid, c))).collect()
}

/// Placements of a valid plan (check it first).
pub fn placements_of(p: &Problem, plan: &PlanFile) -> Vec<Option<Placement>> {
    let mut out = vec![None; p.cases.len()];
    for h in &plan.hearings {
        let (Some(c), Some(day), Some(room)) =
            (p.case(&h.case), super::problem::IsoDate::parse(&h.day).and_then(|d| p.workday(d)), p.room(&h.room))
        else {
            continue;
        };
        let arbitrators = h.arbitrators.iter().filter_map(|a| p.arbitrator(a)).map(|a| a as u16).collect();
        out[c] = Some(Placement { day: day as u16, session: h.session as u8, slot: h.slot as u8, room: room as u16, arbitrators });
    }
    out
}

/// The `top` cheapest free slots of case `c` given the booked hearings and, when given, a plan's
/// other hearings; and up to `top` refused slots cheaper than the best free one.
pub fn suggest(p: &Problem, plan: Option<&[Option<Placement>]>, c: usize, top: usize) -> Suggestions {
    let ctx = Ctx::new(p);
    let grid = occupied(&ctx, plan.unwrap_or(&[]), Some(c));
    let case = &p.cases[c];
    if let Some(r) = hopeless(&ctx, c) {
        return Suggestions { feasible: Vec::new(), refused: Vec::new(), reason: Some(r) };
    }
    let mut feasible = Vec::new();
    let mut refused = Vec::new();
    for d in case.window() {
        for s in 0..p.sessions.len() {
            if case.slots > p.sessions[s] {
                continue;
            }
            for t in 0..=(p.sessions[s] - case.slots) {
                let pl = Placement { day: d as u16, session: s as u8, slot: t as u8, room: 0, arbitrators: Vec::new() };
                let cost = case_cost(p, c, Some(&pl));
                match at(&ctx, &grid, c, d, s, t) {
                    Ok(pl) => feasible.push(Slot {
                        day: p.workdays[d],
                        session: s,
                        slot: t,
                        room: p.rooms[pl.room as usize].id.clone(),
                        arbitrators: pl.arbitrators.iter().map(|&a| p.arbitrators[a as usize].id.clone()).collect(),
                        cost,
                    }),
                    Err(refusal) => refused.push(Refused { day: p.workdays[d], session: s, slot: t, cost, refusal }),
                }
            }
        }
    }
    let best = feasible.first().map(|f| f.cost);
    feasible.truncate(top);
    refused.retain(|r| best.is_none_or(|b| r.cost <= b));
    refused.truncate(top);
    let reason = feasible.is_empty().then(|| reason(&ctx, &grid, c));
    Suggestions { feasible, refused, reason }
}

fn occupied(ctx: &Ctx<'_>, placements: &[Option<Placement>], except: Option<usize>) -> Grid {
    let mut grid = Grid::with_booked(ctx);
    for (c, pl) in placements.iter().enumerate() {
        if let (Some(pl), false) = (pl, except == Some(c)) {
            grid.take(ctx.p.cases[c].slots, pl);
        }
    }
    grid
}

/// A reason that holds whatever else is planned; the solver does not try such cases.
pub(crate) fn hopeless(ctx: &Ctx<'_>, c: usize) -> Option<Reason> {
    let p = ctx.p;
    let case = &p.cases[c];
    if !case.has_window() {
        return Some(Reason::NoWorkingDay);
    }
    if !p.sessions.iter().any(|&ss| ss >= case.slots) {
        return Some(Reason::TooLong);
    }
    if ctx.room_from[c] >= ctx.nr {
        return Some(Reason::NoRoom);
    }
    let staffed = case.window().any(|d| {
        let eligible: Vec<usize> = ctx.on_duty[d].iter().map(|&a| a as usize).filter(|a| !case.exclude.contains(a)).collect();
        eligible.len() >= case.panel as usize && eligible.iter().any(|&a| p.arbitrators[a].presides)
    });
    (!staffed).then_some(Reason::NoPanel)
}

fn reason(ctx: &Ctx<'_>, grid: &Grid, c: usize) -> Reason {
    if let Some(r) = hopeless(ctx, c) {
        return r;
    }
    let p = ctx.p;
    let case = &p.cases[c];
    let (mut rooms, mut arbitrators, mut daily_limit) = (0, 0, 0);
    for d in case.window() {
        for s in 0..p.sessions.len() {
            for t in 0..=p.sessions[s].saturating_sub(case.slots) {
                match at(ctx, grid, c, d, s, t).map_err(|r| (r.rule, r.resource)) {
                    Err((HardRule::Taken, Some(Resource::Room(_)))) => rooms += 1,
                    Err((HardRule::DailyLimit, _)) => daily_limit += 1,
                    Err(_) => arbitrators += 1,
                    Ok(_) => {}
                }
            }
        }
    }
    Reason::Taken { rooms, arbitrators, daily_limit }
}

/// The placement of case `c` at day `d`, session `s`, slot `t`, or the rule that refuses it.
fn at(ctx: &Ctx<'_>, grid: &Grid, c: usize, d: usize, s: usize, t: u32) -> Result<Placement, Refusal> {
    use HardRule::{DailyLimit, Session, Taken, Tribunal};
    let p = ctx.p;
    let case = &p.cases[c];
    if case.slots > p.sessions[s] || t + case.slots > p.sessions[s] {
        return Err(Refusal::new(Session, None, format!("第 {s} 个时段放不下 {} 个时隙", case.slots)));
    }
    let m = span(t, case.slots);
    let fits = &ctx.rooms_by_seats[ctx.room_from[c]..];
    let Some(&room) = fits.iter().find(|&&r| grid.room_busy(d, s, r as usize) & m == 0) else {
        let first = fits.first().map(|&r| Resource::Room(r as usize));
        return Err(Refusal::new(Taken, first, "审理庭：座位足够的审理庭此时均已占用"));
    };
    let on_duty: Vec<usize> = ctx.on_duty[d].iter().map(|&a| a as usize).filter(|a| !case.exclude.contains(a)).collect();
    let under_limit: Vec<usize> = on_duty.iter().copied().filter(|&a| grid.hearings(d, a) < p.arbitrators[a].max_per_day).collect();
    let free: Vec<usize> = under_limit.iter().copied().filter(|&a| grid.arb_busy(d, s, a) & m == 0).collect();
    let presiding = |list: &[usize]| list.iter().copied().find(|&a| p.arbitrators[a].presides);
    let arbitrator = |list: &[usize]| list.first().map(|&a| Resource::Arbitrator(a));
    if presiding(&on_duty).is_none() {
        return Err(Refusal::new(Tribunal, None, "当日没有未休假且无需回避的首席仲裁员"));
    }
    if presiding(&under_limit).is_none() {
        return Err(Refusal::new(DailyLimit, presiding(&on_duty).map(Resource::Arbitrator), "可主持的仲裁员当日庭审已达上限"));
    }
    let Some(president) = presiding(&free) else {
        return Err(Refusal::new(Taken, presiding(&under_limit).map(Resource::Arbitrator), "仲裁员：可主持的仲裁员此时均有庭审"));
    };
    let need = case.panel as usize;
    if on_duty.len() < need {
        return Err(Refusal::new(Tribunal, None, format!("当日未休假且无需回避的仲裁员不足 {need} 名")));
    }
    if under_limit.len() < need {
        return Err(Refusal::new(DailyLimit, arbitrator(&on_duty), format!("当日庭审未达上限的仲裁员不足 {need} 名")));
    }
    if free.len() < need {
        return Err(Refusal::new(Taken, arbitrator(&under_limit), format!("仲裁员：此时有空的仲裁员不足 {need} 名")));
    }
    let mut arbitrators = vec![president as u16];
    let mut wings: Vec<usize> = free.into_iter().filter(|&a| a != president).collect();
    wings.sort_by_key(|&a| (p.arbitrators[a].presides, a));
    arbitrators.extend(wings[..need - 1].iter().map(|&a| a as u16));
    Ok(Placement { day: d as u16, session: s as u8, slot: t as u8, room, arbitrators })
}

/// Every hard rule (3–6) a hand-made placement of case `c` breaks against the booked hearings,
/// each with its rule, the room or arbitrator it concerns and the reason in Chinese; empty when it
/// may stand. The caller checks the day (rule 1) and the session (rule 2) first, so `pl` lies
/// inside one session.
pub fn refusals(p: &Problem, c: usize, pl: &Placement) -> Vec<Refusal> {
    use HardRule::{DailyLimit, Seats, Taken, Tribunal};
    let ctx = Ctx::new(p);
    let grid = Grid::with_booked(&ctx);
    let case = &p.cases[c];
    let (d, s) = (pl.day as usize, pl.session as usize);
    let m = span(u32::from(pl.slot), case.slots);
    let mut out = Vec::new();
    let r = pl.room as usize;
    let room = &p.rooms[r];
    if room.seats < case.seats {
        out.push(Refusal::new(
            Seats,
            Some(Resource::Room(r)),
            format!("审理庭 {} 只有 {} 个座位，本案需要 {} 个", room.id, room.seats, case.seats),
        ));
    }
    if grid.room_busy(d, s, r) & m != 0 {
        out.push(Refusal::new(Taken, Some(Resource::Room(r)), format!("审理庭 {} 此时已有庭审", room.id)));
    }
    let mut distinct = pl.arbitrators.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if pl.arbitrators.len() != case.panel as usize || distinct.len() != pl.arbitrators.len() {
        out.push(Refusal::new(Tribunal, None, format!("本案仲裁庭应由 {} 名不同的仲裁员组成", case.panel)));
    }
    if let Some(&first) = pl.arbitrators.first()
        && !p.arbitrators[first as usize].presides
    {
        let why = format!("排在首位的仲裁员 {} 不能担任首席（独任）仲裁员", p.arbitrators[first as usize].id);
        out.push(Refusal::new(Tribunal, Some(Resource::Arbitrator(first as usize)), why));
    }
    for &a in &pl.arbitrators {
        let (a, arb) = (a as usize, &p.arbitrators[a as usize]);
        let who = Some(Resource::Arbitrator(a));
        if case.exclude.contains(&a) {
            out.push(Refusal::new(Tribunal, who, format!("仲裁员 {} 与本案当事人有回避登记，应当回避", arb.id)));
        }
        if arb.off[d] {
            out.push(Refusal::new(Tribunal, who, format!("仲裁员 {} 当日休假或已停止排庭", arb.id)));
        }
        let elsewhere = arb.busy_at(d, s);
        if elsewhere & m != 0 {
            out.push(Refusal::new(Tribunal, who, format!("仲裁员 {} 该时段有其他安排", arb.id)));
        }
        if grid.arb_busy(d, s, a) & !elsewhere & m != 0 {
            out.push(Refusal::new(Taken, who, format!("仲裁员 {} 此时已有庭审", arb.id)));
        }
        if grid.hearings(d, a) >= arb.max_per_day {
            out.push(Refusal::new(DailyLimit, who, format!("仲裁员 {} 当日庭审已达上限 {} 件", arb.id, arb.max_per_day)));
        }
    }
    out
}
