//! The contract's hard rules by name (`schedule-problem.md`, "Hard rules"), the resource a
//! refusal concerns, and rules 5 and 6 over a set of occupied slots — shared by the plan checker,
//! the problem's booked hearings, the explanations and a clerk's placement.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::problem::{Problem, ProblemError};

impl Problem {
    /// Parse and check a problem file's text; a problem that breaks the contract is refused whole,
    /// its booked hearings included (they must keep rules 5 and 6 among themselves).
    pub fn from_json(text: &str) -> Result<Problem, ProblemError> {
        Problem::build(text)?.with_booked_checked()
    }

    /// A problem from its parsed file, checked as [`Problem::from_json`] checks it.
    pub fn new(file: super::problem::ProblemFile) -> Result<Problem, ProblemError> {
        Problem::assemble(file)?.with_booked_checked()
    }

    /// A problem from its parsed file whose booked hearings are taken as they are, even where
    /// they break rule 6 among themselves (a daily limit lowered after they were booked): the
    /// solver counts them and plans around them. The service's database keeps rule 5 itself.
    pub fn around_booked(file: super::problem::ProblemFile) -> Result<Problem, ProblemError> {
        Problem::assemble(file)
    }

    fn with_booked_checked(self) -> Result<Problem, ProblemError> {
        if let Some(v) = resource_violations(&self, &[]).into_iter().next() {
            return Err(ProblemError::new("booked_conflict", v.place, format!("已排定的庭审互相冲突：{}", v.message)));
        }
        Ok(self)
    }
}

/// A hard rule of the contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HardRule {
    /// Rule 7: every case exactly once, the plan's version (printed as rule 0, like the reference checker).
    Shape,
    /// Rule 1: a working day inside the case's window.
    Day,
    /// Rule 2: inside one session.
    Session,
    /// Rule 3: a room with seats enough.
    Seats,
    /// Rule 4: the tribunal: panel size, presiding arbitrator, recusal, leave.
    Tribunal,
    /// Rule 5: no room or arbitrator in two hearings at once.
    Taken,
    /// Rule 6: an arbitrator's hearings per day.
    DailyLimit,
}

impl HardRule {
    /// The number the checkers print (0 for the plan's shape).
    pub fn number(self) -> u8 {
        match self {
            HardRule::Shape => 0,
            HardRule::Day => 1,
            HardRule::Session => 2,
            HardRule::Seats => 3,
            HardRule::Tribunal => 4,
            HardRule::Taken => 5,
            HardRule::DailyLimit => 6,
        }
    }

    /// A stable code for programs.
    pub fn code(self) -> &'static str {
        match self {
            HardRule::Shape => "shape",
            HardRule::Day => "day",
            HardRule::Session => "session",
            HardRule::Seats => "seats",
            HardRule::Tribunal => "tribunal",
            HardRule::Taken => "taken",
            HardRule::DailyLimit => "daily_limit",
        }
    }
}

/// What a refusal is about, by index into the problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource {
    Room(usize),
    Arbitrator(usize),
}

/// A slot or placement refused: the rule, the resource it concerns (when one), and why in Chinese.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub rule: HardRule,
    pub resource: Option<Resource>,
    pub why: String,
}

impl Refusal {
    pub fn new(rule: HardRule, resource: Option<Resource>, why: impl Into<String>) -> Self {
        Refusal { rule, resource, why: why.into() }
    }
}

/// One broken rule of a plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The case id, or `booked[i]`, or `plan`.
    pub place: String,
    pub rule: HardRule,
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: rule {}: {}", self.place, self.rule.number(), self.message)
    }
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
    let mut out = overlaps(p, &items, first_planned);
    out.extend(over_daily_limit(p, &items));
    out
}

/// Rule 5: per (resource, day, session), sweep the hearings in order of their first slot.
fn overlaps(p: &Problem, items: &[Occupancy<'_>], first_planned: usize) -> Vec<Violation> {
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
    let mut out = Vec::new();
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
                    rule: HardRule::Taken,
                    message: format!("{what} also holds {} on {day} session {s}, overlapping at slot {st}", items[other].label),
                });
            }
            if en > reach {
                reach = en;
                holder = k;
            }
        }
    }
    out
}

/// Rule 6: hearings per arbitrator and day.
fn over_daily_limit(p: &Problem, items: &[Occupancy<'_>]) -> Vec<Violation> {
    let mut per_day: HashMap<(usize, NaiveDate), Vec<usize>> = HashMap::new();
    for (k, o) in items.iter().enumerate() {
        for &a in &o.arbitrators {
            per_day.entry((a, o.day)).or_default().push(k);
        }
    }
    let mut keys: Vec<_> = per_day.keys().copied().collect();
    keys.sort_unstable();
    let mut out = Vec::new();
    for key in keys {
        let list = &per_day[&key];
        let cap = p.arbitrators[key.0].max_per_day as usize;
        if list.len() > cap {
            for &k in &list[cap..] {
                out.push(Violation {
                    place: items[k].label.to_string(),
                    rule: HardRule::DailyLimit,
                    message: format!("arbitrator {} has {} hearings on {}, max_per_day {cap}", p.arbitrators[key.0].id, list.len(), key.1),
                });
            }
        }
    }
    out
}
