//! The plan file (contract `schedule-problem.md`): its shape, the hard rules 0–7 that make a plan
//! valid, and the cost. The same rules as `scripts/scheduling/check_schedule_plan.py`.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::problem::{IsoDate, Problem, ProblemError, json_error};

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

/// One broken rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The case id, or `booked[i]`, or `plan`.
    pub place: String,
    /// The contract's rule number (0: the plan's shape).
    pub rule: u8,
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: rule {}: {}", self.place, self.rule, self.message)
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

/// A hearing placed on the grid, for the resource rules.
pub(crate) struct Occupancy<'a> {
    pub label: &'a str,
    pub day: NaiveDate,
    pub session: usize,
    pub slot: u32,
    pub slots: u32,
    pub room: Option<usize>,
    pub arbitrators: Vec<usize>,
}

/// Check every hard rule and price the plan.
pub fn check(p: &Problem, plan: &PlanFile) -> Report {
    let mut v = Vec::new();
    let mut bad = |place: &str, rule: u8, message: String| v.push(Violation { place: place.to_string(), rule, message });
    if plan.version != 1 {
        bad("plan", 0, format!("version must be 1, got {}", plan.version));
    }
    let mut seen: HashMap<&str, &str> = HashMap::new();
    let mut cost: u64 = 0;
    let mut planned = Vec::new();
    let mut scheduled = 0;
    for (i, h) in plan.hearings.iter().enumerate() {
        let Some(ci) = p.case(&h.case) else {
            bad(&format!("hearings[{i}]"), 0, format!("unknown case {:?}", h.case));
            continue;
        };
        let c = &p.cases[ci];
        let cid = c.id.as_str();
        if let Some(prev) = seen.insert(cid, "hearings") {
            bad(cid, 0, format!("appears twice (in {prev} and in hearings)"));
            seen.insert(cid, prev);
        }
        scheduled += 1;
        let mut placed = true;
        // Rule 1
        let day = IsoDate::parse(&h.day);
        match day {
            None => {
                bad(cid, 1, format!("day is not a YYYY-MM-DD date: {:?}", h.day));
                placed = false;
            }
            Some(d) => match p.workday(d) {
                None => bad(cid, 1, format!("{d} is not a working day of the problem")),
                Some(wi) if !c.window().contains(&wi) => bad(cid, 1, format!("{d} is outside the case's window")),
                Some(wi) => cost += u64::from(c.weight) * (wi - c.lo) as u64,
            },
        }
        // Rule 2
        let session = usize::try_from(h.session).ok().filter(|s| *s < p.sessions.len());
        match session {
            None => {
                bad(cid, 2, format!("no session {}", h.session));
                placed = false;
            }
            Some(s) => {
                if h.slot < 0 || h.slot + i64::from(c.slots) > i64::from(p.sessions[s]) {
                    bad(cid, 2, format!("slot {} + {} slots does not fit session {s} ({} slots)", h.slot, c.slots, p.sessions[s]));
                }
            }
        }
        // Rule 3
        let room = p.room(&h.room);
        match room {
            None => bad(cid, 3, format!("unknown room {:?}", h.room)),
            Some(r) if p.rooms[r].seats < c.seats => {
                bad(cid, 3, format!("room {} has {} seats, the case needs {}", h.room, p.rooms[r].seats, c.seats))
            }
            Some(_) => {}
        }
        // Rule 4
        let mut known = Vec::new();
        let mut unknown = Vec::new();
        for a in &h.arbitrators {
            match p.arbitrator(a) {
                Some(ai) => known.push(ai),
                None => unknown.push(a.as_str()),
            }
        }
        if !unknown.is_empty() {
            bad(cid, 4, format!("unknown arbitrator(s) {unknown:?}"));
        }
        let distinct: HashSet<usize> = known.iter().copied().collect();
        if h.arbitrators.len() != c.panel as usize || distinct.len() != known.len() {
            bad(cid, 4, format!("needs exactly {} distinct arbitrators, got {:?}", c.panel, h.arbitrators));
        }
        if let Some(first) = h.arbitrators.first().and_then(|a| p.arbitrator(a))
            && !p.arbitrators[first].presides
        {
            bad(cid, 4, format!("first arbitrator {} may not preside", p.arbitrators[first].id));
        }
        for &a in &known {
            if c.exclude.contains(&a) {
                bad(cid, 4, format!("arbitrator {} is excluded from the case", p.arbitrators[a].id));
            }
            if let Some(wi) = day.and_then(|d| p.workday(d))
                && p.arbitrators[a].off[wi]
            {
                bad(cid, 4, format!("arbitrator {} is off on {}", p.arbitrators[a].id, h.day));
            }
        }
        if let (true, Some(d), Some(s)) = (placed && h.slot >= 0, day, session) {
            let mut arbs = Vec::new();
            for a in known {
                if !arbs.contains(&a) {
                    arbs.push(a);
                }
            }
            planned.push(Occupancy { label: cid, day: d, session: s, slot: h.slot as u32, slots: c.slots, room, arbitrators: arbs });
        }
    }
    let mut unscheduled = 0;
    for (i, id) in plan.unscheduled.iter().enumerate() {
        let Some(ci) = p.case(id) else {
            bad(&format!("unscheduled[{i}]"), 0, format!("unknown case {id:?}"));
            continue;
        };
        let c = &p.cases[ci];
        if let Some(prev) = seen.insert(c.id.as_str(), "unscheduled") {
            bad(&c.id, 0, format!("appears twice (in {prev} and in unscheduled)"));
            seen.insert(c.id.as_str(), prev);
        }
        unscheduled += 1;
        cost += u64::from(c.weight) * UNSCHEDULED_PENALTY;
    }
    for c in &p.cases {
        if !seen.contains_key(c.id.as_str()) {
            bad(&c.id, 0, "missing from the plan (neither in hearings nor in unscheduled)".to_string());
        }
    }
    v.extend(resource_violations(p, &planned));
    let cost = v.is_empty().then_some(cost);
    Report { violations: v, cost, scheduled, unscheduled }
}

/// Rules 5 and 6 over the booked hearings and the planned ones.
pub(crate) fn resource_violations(p: &Problem, planned: &[Occupancy<'_>]) -> Vec<Violation> {
    let booked_labels: Vec<String> = (0..p.booked.len()).map(|i| format!("booked[{i}]")).collect();
    let mut items: Vec<Occupancy<'_>> = p
        .booked
        .iter()
        .zip(&booked_labels)
        .map(|(b, label)| Occupancy {
            label,
            day: b.day,
            session: b.session,
            slot: b.slot,
            slots: b.slots,
            room: Some(b.room),
            arbitrators: b.arbitrators.clone(),
        })
        .collect();
    let first_planned = items.len();
    items.extend(planned.iter().map(|o| Occupancy {
        label: o.label,
        day: o.day,
        session: o.session,
        slot: o.slot,
        slots: o.slots,
        room: o.room,
        arbitrators: o.arbitrators.clone(),
    }));
    let mut out = Vec::new();
    // Rule 5: per (resource, day, session), sweep the hearings in order of their first slot.
    // (is a room, resource, day, session) → (first slot, end slot, item).
    type Key = (bool, usize, NaiveDate, usize);
    let mut groups: HashMap<Key, Vec<(u32, u32, usize)>> = HashMap::new();
    for (k, o) in items.iter().enumerate() {
        if let Some(r) = o.room {
            groups.entry((true, r, o.day, o.session)).or_default().push((o.slot, o.slot + o.slots, k));
        }
        for &a in &o.arbitrators {
            groups.entry((false, a, o.day, o.session)).or_default().push((o.slot, o.slot + o.slots, k));
        }
    }
    let mut keys: Vec<_> = groups.keys().copied().collect();
    keys.sort_unstable();
    for key in keys {
        let list = groups.get_mut(&key).expect("key of the map");
        if list.len() < 2 {
            continue;
        }
        list.sort_unstable();
        let (mut reach, mut holder) = (list[0].1, list[0].2);
        for &(st, en, k) in &list[1..] {
            if st < reach {
                let (room, id, day, s) = key;
                let what = if room { format!("room {}", p.rooms[id].id) } else { format!("arbitrator {}", p.arbitrators[id].id) };
                let (lead, other) = if k >= first_planned { (k, holder) } else { (holder, k) };
                out.push(Violation {
                    place: items[lead].label.to_string(),
                    rule: 5,
                    message: format!("{what} also holds {} on {day} session {s}, overlapping at slot {st}", items[other].label),
                });
            }
            if en > reach {
                reach = en;
                holder = k;
            }
        }
    }
    // Rule 6: hearings per arbitrator and day.
    let mut per_day: HashMap<(usize, NaiveDate), Vec<usize>> = HashMap::new();
    for (k, o) in items.iter().enumerate() {
        for &a in &o.arbitrators {
            per_day.entry((a, o.day)).or_default().push(k);
        }
    }
    let mut keys: Vec<_> = per_day.keys().copied().collect();
    keys.sort_unstable();
    for key in keys {
        let list = &per_day[&key];
        let cap = p.arbitrators[key.0].max_per_day as usize;
        if list.len() > cap {
            for &k in &list[cap..] {
                out.push(Violation {
                    place: items[k].label.to_string(),
                    rule: 6,
                    message: format!("arbitrator {} has {} hearings on {}, max_per_day {cap}", p.arbitrators[key.0].id, list.len(), key.1),
                });
            }
        }
    }
    out
}
