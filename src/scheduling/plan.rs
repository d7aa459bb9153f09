//! The plan file (contract `schedule-problem.md`): its shape, the hard rules 0–7 that make a plan
//! valid, and the cost. The same rules as `scripts/scheduling/check_schedule_plan.py`.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::problem::{IsoDate, Problem, ProblemError, json_error};
use super::rules::{HardRule, Occupancy, Violation, resource_violations};

/// Penalty per unit of weight for a case left unscheduled (contract, "Cost").
pub const UNSCHEDULED_PENALTY: u64 = 1000;

/// The plan file. Loose where the contract's rules are checked (a bad day or an unknown room is a
/// violation to report, not a file to refuse).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct PlanFile {
    pub version: serde_json::Value,
    pub hearings: Vec<HearingFile>,
    pub unscheduled: Vec<String>,
}

/// One planned hearing; the presiding arbitrator first.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct HearingFile {
    pub case: String,
    pub day: String,
    pub session: i64,
    pub slot: i64,
    pub room: String,
    pub arbitrators: Vec<String>,
}

impl PlanFile {
    /// Parse a plan file's text; only its JSON shape is checked here.
    pub fn from_json(text: &str) -> Result<PlanFile, ProblemError> {
        serde_json::from_str(text).map_err(|e| json_error("plan", &e))
    }
}

/// The verdict on a plan.
#[derive(Clone, Debug)]
pub struct Report {
    pub violations: Vec<Violation>,
    /// The cost when the plan is valid.
    pub cost: Option<u64>,
    pub scheduled: usize,
    pub unscheduled: usize,
}

/// Check every hard rule and price the plan.
pub fn check(p: &Problem, plan: &PlanFile) -> Report {
    let mut v = Vec::new();
    if plan.version != 1 {
        v.push(broken("plan", HardRule::Shape, format!("version must be 1, got {}", plan.version)));
    }
    let mut seen: HashMap<&str, &str> = HashMap::new();
    let mut cost: u64 = 0;
    let mut planned = Vec::new();
    let mut scheduled = 0;
    for (i, h) in plan.hearings.iter().enumerate() {
        let Some(ci) = p.case(&h.case) else {
            v.push(broken(&format!("hearings[{i}]"), HardRule::Shape, format!("unknown case {:?}", h.case)));
            continue;
        };
        let c = &p.cases[ci];
        let cid = c.id.as_str();
        once(&mut seen, cid, "hearings", &mut v);
        scheduled += 1;
        let (day, day_cost) = check_day(p, c, h, &mut v);
        cost += day_cost;
        let session = check_session(p, c, h, &mut v);
        let room = check_room(p, c, h, &mut v);
        let arbitrators = check_tribunal(p, c, h, day, &mut v);
        if let (Some(d), Some(s), true) = (day, session, h.slot >= 0) {
            planned.push(Occupancy { label: cid, day: d, session: s, slot: h.slot as u32, slots: c.slots, room, arbitrators });
        }
    }
    let mut unscheduled = 0;
    for (i, id) in plan.unscheduled.iter().enumerate() {
        let Some(ci) = p.case(id) else {
            v.push(broken(&format!("unscheduled[{i}]"), HardRule::Shape, format!("unknown case {id:?}")));
            continue;
        };
        let c = &p.cases[ci];
        once(&mut seen, &c.id, "unscheduled", &mut v);
        unscheduled += 1;
        cost += u64::from(c.weight) * UNSCHEDULED_PENALTY;
    }
    for c in &p.cases {
        if !seen.contains_key(c.id.as_str()) {
            v.push(broken(&c.id, HardRule::Shape, "missing from the plan (neither in hearings nor in unscheduled)".to_string()));
        }
    }
    v.extend(resource_violations(p, &planned));
    let cost = v.is_empty().then_some(cost);
    Report { violations: v, cost, scheduled, unscheduled }
}

fn broken(place: &str, rule: HardRule, message: String) -> Violation {
    Violation { place: place.to_string(), rule, message }
}

/// Rule 7: a case appears once, in `hearings` or in `unscheduled`.
fn once<'a>(seen: &mut HashMap<&'a str, &'a str>, cid: &'a str, list: &'a str, v: &mut Vec<Violation>) {
    if let Some(prev) = seen.insert(cid, list) {
        v.push(broken(cid, HardRule::Shape, format!("appears twice (in {prev} and in {list})")));
        seen.insert(cid, prev);
    }
}

/// Rule 1: the day, a working day of the case's window; with its cost when it is one.
fn check_day(p: &Problem, c: &super::problem::Case, h: &HearingFile, v: &mut Vec<Violation>) -> (Option<NaiveDate>, u64) {
    let Some(d) = IsoDate::parse(&h.day) else {
        v.push(broken(&c.id, HardRule::Day, format!("day is not a YYYY-MM-DD date: {:?}", h.day)));
        return (None, 0);
    };
    match p.workday(d) {
        None => v.push(broken(&c.id, HardRule::Day, format!("{d} is not a working day of the problem"))),
        Some(wi) if !c.window().contains(&wi) => v.push(broken(&c.id, HardRule::Day, format!("{d} is outside the case's window"))),
        Some(wi) => return (Some(d), u64::from(c.weight) * (wi - c.lo) as u64),
    }
    (Some(d), 0)
}

/// Rule 2: a session of the problem, and the hearing's slots inside it.
fn check_session(p: &Problem, c: &super::problem::Case, h: &HearingFile, v: &mut Vec<Violation>) -> Option<usize> {
    let Some(s) = usize::try_from(h.session).ok().filter(|s| *s < p.sessions.len()) else {
        v.push(broken(&c.id, HardRule::Session, format!("no session {}", h.session)));
        return None;
    };
    if h.slot < 0 || h.slot + i64::from(c.slots) > i64::from(p.sessions[s]) {
        let msg = format!("slot {} + {} slots does not fit session {s} ({} slots)", h.slot, c.slots, p.sessions[s]);
        v.push(broken(&c.id, HardRule::Session, msg));
    }
    Some(s)
}

/// Rule 3: a room of the problem with seats enough.
fn check_room(p: &Problem, c: &super::problem::Case, h: &HearingFile, v: &mut Vec<Violation>) -> Option<usize> {
    let room = p.room(&h.room);
    match room {
        None => v.push(broken(&c.id, HardRule::Seats, format!("unknown room {:?}", h.room))),
        Some(r) if p.rooms[r].seats < c.seats => {
            v.push(broken(&c.id, HardRule::Seats, format!("room {} has {} seats, the case needs {}", h.room, p.rooms[r].seats, c.seats)))
        }
        Some(_) => {}
    }
    room
}

/// Rule 4: the panel's size, its presiding arbitrator, recusal and leave. Returns the known
/// arbitrators, each once, for rules 5 and 6.
fn check_tribunal(p: &Problem, c: &super::problem::Case, h: &HearingFile, day: Option<NaiveDate>, v: &mut Vec<Violation>) -> Vec<usize> {
    let cid = c.id.as_str();
    let known: Vec<usize> = h.arbitrators.iter().filter_map(|a| p.arbitrator(a)).collect();
    let unknown: Vec<&str> = h.arbitrators.iter().filter(|a| p.arbitrator(a).is_none()).map(String::as_str).collect();
    if !unknown.is_empty() {
        v.push(broken(cid, HardRule::Tribunal, format!("unknown arbitrator(s) {unknown:?}")));
    }
    let distinct: HashSet<usize> = known.iter().copied().collect();
    if h.arbitrators.len() != c.panel as usize || distinct.len() != known.len() {
        v.push(broken(cid, HardRule::Tribunal, format!("needs exactly {} distinct arbitrators, got {:?}", c.panel, h.arbitrators)));
    }
    if let Some(first) = h.arbitrators.first().and_then(|a| p.arbitrator(a))
        && !p.arbitrators[first].presides
    {
        v.push(broken(cid, HardRule::Tribunal, format!("first arbitrator {} may not preside", p.arbitrators[first].id)));
    }
    let wi = day.and_then(|d| p.workday(d));
    for &a in &known {
        if c.exclude.contains(&a) {
            v.push(broken(cid, HardRule::Tribunal, format!("arbitrator {} is excluded from the case", p.arbitrators[a].id)));
        }
        if let Some(wi) = wi
            && p.arbitrators[a].off[wi]
        {
            v.push(broken(cid, HardRule::Tribunal, format!("arbitrator {} is off on {}", p.arbitrators[a].id, h.day)));
        }
        // Version 2: none is busy elsewhere during the hearing's slots.
        if let Some(wi) = wi
            && h.session >= 0
            && h.slot >= 0
            && h.slot + i64::from(c.slots) <= 64
            && p.arbitrators[a].busy_at(wi, h.session as usize) & super::grid::span(h.slot as u32, c.slots) != 0
        {
            v.push(broken(cid, HardRule::Tribunal, format!("arbitrator {} is busy during the hearing on {}", p.arbitrators[a].id, h.day)));
        }
    }
    let mut once = Vec::new();
    for a in known {
        if !once.contains(&a) {
            once.push(a);
        }
    }
    once
}
