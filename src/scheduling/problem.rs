//! The hearing-scheduling problem file (contract `schedule-problem.md`, versions 1 and 2): its serde
//! shape, the checks that refuse a malformed problem, and the indexed form the solver works on.

use std::collections::HashMap;
use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Slots a session may hold: the solver keeps a session's occupancy in one 64-bit mask.
pub const MAX_SESSION_SLOTS: u32 = 64;

/// A date written strictly as `YYYY-MM-DD`, as the contract requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoDate(pub NaiveDate);

impl IsoDate {
    /// `Some` only for a real date written `YYYY-MM-DD` (four, two and two digits).
    pub fn parse(s: &str) -> Option<NaiveDate> {
        let b = s.as_bytes();
        let shape = b.len() == 10 && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
        if !shape {
            return None;
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        IsoDate::parse(&s).map(IsoDate).ok_or_else(|| D::Error::custom(format!("不是 YYYY-MM-DD 格式的日期：{s:?}")))
    }
}

impl Serialize for IsoDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The problem file as written.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ProblemFile {
    pub version: u32,
    pub start: IsoDate,
    pub end: IsoDate,
    pub workdays: WorkdaysFile,
    pub slot_minutes: u32,
    pub sessions: Vec<SessionFile>,
    pub arbitrators: Vec<ArbitratorFile>,
    pub rooms: Vec<RoomFile>,
    #[serde(default)]
    pub booked: Vec<BookedFile>,
    pub cases: Vec<CaseFile>,
}

/// The official calendar over the horizon.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct WorkdaysFile {
    pub holidays: Vec<IsoDate>,
    pub extra_workdays: Vec<IsoDate>,
}

/// One session of a hearing day.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct SessionFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    pub slots: u32,
}

/// An arbitrator as written.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ArbitratorFile {
    pub id: String,
    pub presides: bool,
    pub max_per_day: u32,
    #[serde(default)]
    pub off: Vec<IsoDate>,
    /// Version 2: times the arbitrator is not available (its own calendar, its weekly pattern).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub busy: Vec<BusyFile>,
}

/// A busy time of an arbitrator as written: slots `slot .. slot + slots - 1` of a session on a day.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct BusyFile {
    pub day: IsoDate,
    pub session: u32,
    pub slot: u32,
    pub slots: u32,
}

/// A hearing room as written.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct RoomFile {
    pub id: String,
    pub seats: u32,
}

/// A hearing already fixed.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct BookedFile {
    pub day: IsoDate,
    pub session: u32,
    pub slot: u32,
    pub slots: u32,
    pub room: String,
    pub arbitrators: Vec<String>,
}

/// A case to be heard, as written.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct CaseFile {
    pub id: String,
    #[serde(default)]
    pub track: String,
    pub earliest: IsoDate,
    pub latest: IsoDate,
    pub panel: u32,
    pub slots: u32,
    pub seats: u32,
    pub weight: u32,
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// An arbitrator's busy times as masks by (working day, session); times on days that are not
/// working days of the horizon are dropped, a time outside its session is refused.
fn busy_masks(
    busy: &[BusyFile],
    sessions: &[u32],
    workday_index: &HashMap<NaiveDate, usize>,
    arbitrator: usize,
) -> Result<HashMap<(usize, usize), u64>, ProblemError> {
    let mut out = HashMap::new();
    for (j, b) in busy.iter().enumerate() {
        let place = format!("problem.arbitrators[{arbitrator}].busy[{j}]");
        let Some(&slots) = sessions.get(b.session as usize) else {
            return Err(ProblemError::new("no_session", format!("{place}.session"), format!("没有第 {} 个庭审时段", b.session)));
        };
        if b.slots == 0 || b.slot + b.slots > slots {
            let msg = format!("时隙 {} 起 {} 个超出该时段（共 {slots} 个时隙）", b.slot, b.slots);
            return Err(ProblemError::new("outside_session", format!("{place}.slots"), msg));
        }
        if let Some(&d) = workday_index.get(&b.day.0) {
            *out.entry((d, b.session as usize)).or_insert(0) |= crate::scheduling::grid::span(b.slot, b.slots);
        }
    }
    Ok(out)
}

/// Why a problem file was refused: the place (a JSON path, or a line and column) and the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{place}：{message}")]
pub struct ProblemError {
    /// Stable code for programs, e.g. `unknown_room`.
    pub code: &'static str,
    /// Where in the file, e.g. `problem.booked[3].room`.
    pub place: String,
    /// What is wrong, in Chinese.
    pub message: String,
}

impl ProblemError {
    pub(crate) fn new(code: &'static str, place: impl Into<String>, message: impl Into<String>) -> Self {
        ProblemError { code, place: place.into(), message: message.into() }
    }
}

/// An arbitrator, with the working days they are off.
#[derive(Clone, Debug)]
pub struct Arbitrator {
    pub id: String,
    pub presides: bool,
    pub max_per_day: u32,
    /// `off[d]`: off on working day `d`.
    pub off: Vec<bool>,
    /// Version 2: busy slots by (working day, session), as masks.
    pub busy: HashMap<(usize, usize), u64>,
}

impl Arbitrator {
    /// The slots of session `s` on working day `d` the arbitrator is busy elsewhere (rule 4, version 2).
    pub fn busy_at(&self, d: usize, s: usize) -> u64 {
        self.busy.get(&(d, s)).copied().unwrap_or(0)
    }
}

/// A hearing room.
#[derive(Clone, Debug)]
pub struct Room {
    pub id: String,
    pub seats: u32,
}

/// A case, with its window as working-day indices.
#[derive(Clone, Debug)]
pub struct Case {
    pub id: String,
    pub track: String,
    pub panel: u32,
    pub slots: u32,
    pub seats: u32,
    pub weight: u32,
    /// `first(c)`: index of the first working day on or after `max(earliest, start)`.
    pub lo: usize,
    /// Index of the last working day on or before `min(latest, end)`; `lo > hi` is an empty window.
    pub hi: usize,
    /// Excluded arbitrators (indices; unknown ids dropped).
    pub exclude: Vec<usize>,
}

impl Case {
    /// Working-day indices on which the case may be heard (rule 1).
    pub fn window(&self) -> std::ops::RangeInclusive<usize> {
        self.lo..=self.hi
    }

    /// Whether the window holds a working day.
    pub fn has_window(&self) -> bool {
        self.lo <= self.hi
    }
}

/// A booked hearing, resolved to indices.
#[derive(Clone, Debug)]
pub struct Booked {
    pub day: NaiveDate,
    pub session: usize,
    pub slot: u32,
    pub slots: u32,
    pub room: usize,
    pub arbitrators: Vec<usize>,
}

/// A checked problem, indexed for the solver and the validator.
#[derive(Clone, Debug)]
pub struct Problem {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// The working days of the horizon, ascending.
    pub workdays: Vec<NaiveDate>,
    /// Slots of each session.
    pub sessions: Vec<u32>,
    pub arbitrators: Vec<Arbitrator>,
    pub rooms: Vec<Room>,
    pub booked: Vec<Booked>,
    pub cases: Vec<Case>,
    workday_index: HashMap<NaiveDate, usize>,
    case_index: HashMap<String, usize>,
    arbitrator_index: HashMap<String, usize>,
    room_index: HashMap<String, usize>,
}

impl Problem {
    /// Parse a problem file's text into a problem; its booked hearings are checked against rules 5
    /// and 6 by [`Problem::from_json`] once it is built (`rules.rs`).
    pub(crate) fn build(text: &str) -> Result<Problem, ProblemError> {
        #[derive(Deserialize)]
        struct Version {
            version: Option<serde_json::Value>,
        }
        let v: Version = serde_json::from_str(text).map_err(|e| json_error("problem", &e))?;
        if v.version != Some(serde_json::Value::from(1)) && v.version != Some(serde_json::Value::from(2)) {
            let got = v.version.map_or("缺失".to_string(), |v| v.to_string());
            return Err(ProblemError::new("bad_version", "problem.version", format!("版本必须为 1 或 2，实为 {got}")));
        }
        let file: ProblemFile = serde_json::from_str(text).map_err(|e| json_error("problem", &e))?;
        Problem::assemble(file)
    }

    /// Check and index a parsed problem file.
    pub(crate) fn assemble(file: ProblemFile) -> Result<Problem, ProblemError> {
        let start = file.start.0;
        let end = file.end.0;
        let holidays: std::collections::HashSet<NaiveDate> = file.workdays.holidays.iter().map(|d| d.0).collect();
        let extra: std::collections::HashSet<NaiveDate> = file.workdays.extra_workdays.iter().map(|d| d.0).collect();
        let mut workdays = Vec::new();
        let mut d = start;
        while d <= end {
            let weekday = !matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
            if extra.contains(&d) || (weekday && !holidays.contains(&d)) {
                workdays.push(d);
            }
            d = d.succ_opt().ok_or_else(|| ProblemError::new("bad_date", "problem.end", "日期超出范围"))?;
        }
        // The solver indexes days, rooms and arbitrators with 16 bits.
        for (place, n, what) in [
            ("problem.end", workdays.len(), "工作日"),
            ("problem.rooms", file.rooms.len(), "仲裁庭"),
            ("problem.arbitrators", file.arbitrators.len(), "仲裁员"),
        ] {
            if n > usize::from(u16::MAX) {
                return Err(ProblemError::new("too_large", place, format!("{what}超过 {} 个，无法排期", u16::MAX)));
            }
        }
        let workday_index: HashMap<NaiveDate, usize> = workdays.iter().enumerate().map(|(i, d)| (*d, i)).collect();
        if file.slot_minutes == 0 {
            return Err(ProblemError::new("not_positive", "problem.slot_minutes", "必须是不小于 1 的整数"));
        }
        if file.sessions.is_empty() {
            return Err(ProblemError::new("no_sessions", "problem.sessions", "至少要有一个庭审时段"));
        }
        let mut sessions = Vec::new();
        for (i, s) in file.sessions.iter().enumerate() {
            if s.slots == 0 || s.slots > MAX_SESSION_SLOTS {
                return Err(ProblemError::new(
                    "session_slots",
                    format!("problem.sessions[{i}].slots"),
                    format!("每个时段须有 1 到 {MAX_SESSION_SLOTS} 个时隙，实为 {}", s.slots),
                ));
            }
            sessions.push(s.slots);
        }

        let mut arbitrator_index = HashMap::new();
        let mut arbitrators = Vec::new();
        for (i, a) in file.arbitrators.iter().enumerate() {
            if arbitrator_index.insert(a.id.clone(), i).is_some() {
                return Err(ProblemError::new("duplicate_id", format!("problem.arbitrators[{i}].id"), format!("仲裁员编号 {} 重复", a.id)));
            }
            let mut off = vec![false; workdays.len()];
            for day in &a.off {
                if let Some(&k) = workday_index.get(&day.0) {
                    off[k] = true;
                }
            }
            if !a.busy.is_empty() && file.version != 2 {
                return Err(ProblemError::new("bad_version", "problem.version", "含有 busy（仲裁员其他安排）的问题版本必须为 2"));
            }
            let busy = busy_masks(&a.busy, &sessions, &workday_index, i)?;
            arbitrators.push(Arbitrator { id: a.id.clone(), presides: a.presides, max_per_day: a.max_per_day, off, busy });
        }
        let mut room_index = HashMap::new();
        let mut rooms = Vec::new();
        for (i, r) in file.rooms.iter().enumerate() {
            if room_index.insert(r.id.clone(), i).is_some() {
                return Err(ProblemError::new("duplicate_id", format!("problem.rooms[{i}].id"), format!("仲裁庭编号 {} 重复", r.id)));
            }
            rooms.push(Room { id: r.id.clone(), seats: r.seats });
        }

        let mut case_index = HashMap::new();
        let mut cases = Vec::new();
        for (i, c) in file.cases.iter().enumerate() {
            let place = format!("problem.cases[{i}]");
            if case_index.insert(c.id.clone(), i).is_some() {
                return Err(ProblemError::new("duplicate_id", format!("{place}.id"), format!("案件编号 {} 重复", c.id)));
            }
            for (field, value) in [("panel", c.panel), ("slots", c.slots)] {
                if value == 0 {
                    return Err(ProblemError::new("not_positive", format!("{place}.{field}"), "必须是不小于 1 的整数"));
                }
            }
            let from = c.earliest.0.max(start);
            let until = c.latest.0.min(end);
            let lo = workdays.partition_point(|d| *d < from);
            let hi = workdays.partition_point(|d| *d <= until) as isize - 1;
            // An empty window is lo > hi; keep hi as usize by shifting an empty window to (lo, lo-1) or (1, 0).
            let (lo, hi) = if hi < lo as isize { (lo.max(1), lo.max(1) - 1) } else { (lo, hi as usize) };
            let mut exclude: Vec<usize> = c.exclude.iter().filter_map(|id| arbitrator_index.get(id).copied()).collect();
            exclude.sort_unstable();
            exclude.dedup();
            cases.push(Case {
                id: c.id.clone(),
                track: c.track.clone(),
                panel: c.panel,
                slots: c.slots,
                seats: c.seats,
                weight: c.weight,
                lo,
                hi,
                exclude,
            });
        }

        let mut booked = Vec::new();
        for (i, b) in file.booked.iter().enumerate() {
            let place = format!("problem.booked[{i}]");
            let Some(&cap) = sessions.get(b.session as usize) else {
                return Err(ProblemError::new("unknown_session", format!("{place}.session"), format!("没有第 {} 个时段", b.session)));
            };
            if b.slots == 0 {
                return Err(ProblemError::new("not_positive", format!("{place}.slots"), "必须是不小于 1 的整数"));
            }
            if b.slot + b.slots > cap {
                return Err(ProblemError::new(
                    "overruns_session",
                    format!("{place}.slot"),
                    format!("时隙 {}..{} 超出第 {} 个时段（共 {cap} 个时隙）", b.slot, b.slot + b.slots - 1, b.session),
                ));
            }
            let room = *room_index
                .get(&b.room)
                .ok_or_else(|| ProblemError::new("unknown_room", format!("{place}.room"), format!("没有仲裁庭 {}", b.room)))?;
            let mut arbs = Vec::new();
            for (k, a) in b.arbitrators.iter().enumerate() {
                let idx = *arbitrator_index.get(a).ok_or_else(|| {
                    ProblemError::new("unknown_arbitrator", format!("{place}.arbitrators[{k}]"), format!("没有仲裁员 {a}"))
                })?;
                if arbs.contains(&idx) {
                    return Err(ProblemError::new(
                        "duplicate_arbitrator",
                        format!("{place}.arbitrators[{k}]"),
                        format!("仲裁员 {a} 重复列出"),
                    ));
                }
                arbs.push(idx);
            }
            booked.push(Booked { day: b.day.0, session: b.session as usize, slot: b.slot, slots: b.slots, room, arbitrators: arbs });
        }

        let problem = Problem {
            start,
            end,
            workdays,
            sessions,
            arbitrators,
            rooms,
            booked,
            cases,
            workday_index,
            case_index,
            arbitrator_index,
            room_index,
        };
        Ok(problem)
    }

    /// Index of a working day of the horizon.
    pub fn workday(&self, d: NaiveDate) -> Option<usize> {
        self.workday_index.get(&d).copied()
    }

    /// Index of a case by id.
    pub fn case(&self, id: &str) -> Option<usize> {
        self.case_index.get(id).copied()
    }

    /// Index of an arbitrator by id.
    pub fn arbitrator(&self, id: &str) -> Option<usize> {
        self.arbitrator_index.get(id).copied()
    }

    /// Index of a room by id.
    pub fn room(&self, id: &str) -> Option<usize> {
        self.room_index.get(id).copied()
    }
}

/// A JSON or shape error, placed by line and column.
pub(crate) fn json_error(what: &str, e: &serde_json::Error) -> ProblemError {
    let code = if e.is_syntax() || e.is_eof() { "bad_json" } else { "bad_field" };
    ProblemError::new(code, format!("{what} 第 {} 行第 {} 列", e.line(), e.column()), e.to_string())
}
