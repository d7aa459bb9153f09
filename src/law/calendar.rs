//! The Chinese working-day calendar: weekends, official holiday blocks and make-up working days (调休).
//!
//! Loaded from data (`data/calendar/cn.toml`), never hard-coded: each year's arrangement is
//! announced by the State Council around November of the year before. A year that is not loaded
//! is *provisional*: only weekends and the fixed-date holidays are known, and every date computed
//! over it says so.
//!
//! Day arithmetic runs on a dense table of every day from 2000 to 2199 with running counts of
//! working days, so adding or counting working days is a couple of array reads, not a day-by-day walk.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// What a day is, in the words of the State Council's notices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// 工作日: Monday to Friday outside a holiday block.
    Workday,
    /// 周末: Saturday or Sunday outside a holiday block.
    Weekend,
    /// 放假: a day off inside an official holiday block.
    Holiday,
    /// 调休上班: a weekend day that is a working day.
    MakeUpWorkday,
}

impl DayKind {
    /// The stable code printed by `greenlane calendar YEAR`.
    pub fn code(self) -> &'static str {
        match self {
            DayKind::Workday => "workday",
            DayKind::Weekend => "weekend",
            DayKind::Holiday => "holiday",
            DayKind::MakeUpWorkday => "makeup_workday",
        }
    }

    pub fn is_working(self) -> bool {
        matches!(self, DayKind::Workday | DayKind::MakeUpWorkday)
    }
}

/// The official arrangement of one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearArrangement {
    pub year: i32,
    pub notice: String,
    pub days_off: BTreeSet<NaiveDate>,
    pub make_up_working_days: BTreeSet<NaiveDate>,
    pub statutory_days: BTreeSet<NaiveDate>,
}

/// A working-day calendar over the loaded years.
#[derive(Debug, Clone)]
pub struct WorkingCalendar {
    years: BTreeMap<i32, YearArrangement>,
    table: DayTable,
}

/// A date computed over the calendar, and whether it rests on a year not yet loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarDate {
    pub date: NaiveDate,
    pub provisional: bool,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CalendarError {
    #[error("日历文件格式错误：{0}")]
    Syntax(String),
    #[error("日历文件中没有任何年份（每年一个 [[year]] 表）")]
    Empty,
    #[error("第{index}个 [[year]] 表缺少 year = YYYY")]
    MissingYear { index: usize },
    #[error("{year}年不在支持的范围内（{}—{}年）", FIRST_YEAR, LAST_YEAR)]
    YearOutOfRange { year: i32 },
    #[error("{year}年：日期“{text}”无法识别，应为 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD")]
    BadDate { year: i32, text: String },
    #[error("{year}年：日期 {date} 不属于该年")]
    OutsideYear { year: i32, date: NaiveDate },
    #[error("{year}年：调休上班日 {date} 不是周末")]
    MakeUpNotWeekend { year: i32, date: NaiveDate },
    #[error("{year}年：{date} 同时被列为放假日和调休上班日")]
    BothOffAndWorking { year: i32, date: NaiveDate },
    #[error("{year}年：法定节假日 {date} 不在放假日之内")]
    StatutoryNotOff { year: i32, date: NaiveDate },
    #[error("{year}年在文件中出现了两次")]
    DuplicateYear { year: i32 },
    #[error("日期 {date} 不在支持的范围内（{}-01-01 至 {}-12-31）", FIRST_YEAR, LAST_YEAR)]
    DateOutOfRange { date: NaiveDate },
}

/// The first year a calendar may hold and dates of cases may fall in.
pub const FIRST_YEAR: i32 = 2000;
/// The last year a calendar may hold and dates of cases may fall in.
pub const LAST_YEAR: i32 = 2099;
/// The dense table reaches a century past the last supported year, so that any period started in
/// the supported range ends inside it.
const TABLE_LAST_YEAR: i32 = 2199;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRaw {
    #[serde(default)]
    year: Vec<YearRaw>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearRaw {
    year: Option<i32>,
    #[serde(default)]
    notice: String,
    #[serde(default)]
    days_off: Vec<String>,
    #[serde(default)]
    make_up_working_days: Vec<String>,
    #[serde(default)]
    statutory_days: Vec<String>,
}

/// The calendar shipped with this release.
pub const SHIPPED: &str = include_str!("../../data/calendar/cn.toml");

impl WorkingCalendar {
    /// The calendar shipped in `data/calendar/cn.toml`.
    pub fn shipped() -> Self {
        static SHIPPED_CALENDAR: std::sync::LazyLock<WorkingCalendar> =
            std::sync::LazyLock::new(|| WorkingCalendar::from_toml(SHIPPED).expect("the shipped calendar is valid"));
        SHIPPED_CALENDAR.clone()
    }

    /// A calendar with no year loaded: every date is provisional.
    pub fn empty() -> Self {
        Self::from_years(BTreeMap::new())
    }

    /// Parses and validates a calendar file; nothing is returned unless every year is valid.
    pub fn from_toml(text: &str) -> Result<Self, CalendarError> {
        let raw: FileRaw = toml::from_str(text).map_err(|e| CalendarError::Syntax(e.message().to_string()))?;
        if raw.year.is_empty() {
            return Err(CalendarError::Empty);
        }
        let mut years = BTreeMap::new();
        for (i, y) in raw.year.into_iter().enumerate() {
            let year = y.year.ok_or(CalendarError::MissingYear { index: i + 1 })?;
            if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
                return Err(CalendarError::YearOutOfRange { year });
            }
            let arrangement = YearArrangement {
                year,
                notice: y.notice,
                days_off: expand(year, &y.days_off)?,
                make_up_working_days: expand(year, &y.make_up_working_days)?,
                statutory_days: expand(year, &y.statutory_days)?,
            };
            for d in &arrangement.make_up_working_days {
                if arrangement.days_off.contains(d) {
                    return Err(CalendarError::BothOffAndWorking { year, date: *d });
                }
                if !is_weekend(*d) {
                    return Err(CalendarError::MakeUpNotWeekend { year, date: *d });
                }
            }
            if let Some(d) = arrangement.statutory_days.iter().find(|d| !arrangement.days_off.contains(d)) {
                return Err(CalendarError::StatutoryNotOff { year, date: *d });
            }
            if years.insert(year, arrangement).is_some() {
                return Err(CalendarError::DuplicateYear { year });
            }
        }
        Ok(Self::from_years(years))
    }

    fn from_years(years: BTreeMap<i32, YearArrangement>) -> Self {
        let table = DayTable::build(&years);
        Self { years, table }
    }

    /// This calendar with the years of `newer` added, replacing the same years here.
    pub fn merged_with(&self, newer: &WorkingCalendar) -> Self {
        let mut years = self.years.clone();
        years.extend(newer.years.iter().map(|(y, a)| (*y, a.clone())));
        Self::from_years(years)
    }

    /// The loaded years, oldest first.
    pub fn years(&self) -> impl Iterator<Item = &YearArrangement> {
        self.years.values()
    }

    /// Whether the official arrangement of `year` is loaded.
    pub fn is_loaded(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// A year typed by a person, in the supported range; the error says what is expected.
    pub fn parse_year(s: &str) -> Result<i32, String> {
        match s.trim().parse::<i32>() {
            Ok(y) if (FIRST_YEAR..=LAST_YEAR).contains(&y) => Ok(y),
            _ => Err(format!("年份应为{FIRST_YEAR}至{LAST_YEAR}之间的四位数字")),
        }
    }

    /// `Ok` when `d` lies in the years cases may be dated in.
    pub fn check_supported(d: NaiveDate) -> Result<NaiveDate, CalendarError> {
        if (FIRST_YEAR..=LAST_YEAR).contains(&d.year()) { Ok(d) } else { Err(CalendarError::DateOutOfRange { date: d }) }
    }

    /// What `d` is, and whether that answer is provisional (its year not loaded).
    pub fn kind(&self, d: NaiveDate) -> (DayKind, bool) {
        match self.table.index(d) {
            Some(i) => (self.table.kinds[i], self.table.provisional_rank[i] != self.table.provisional_rank_before(i)),
            None => (provisional_kind(d), true),
        }
    }

    /// Whether `d` is a working day, and whether that answer is provisional.
    pub fn is_working_day(&self, d: NaiveDate) -> (bool, bool) {
        let (kind, provisional) = self.kind(d);
        (kind.is_working(), provisional)
    }

    /// The n-th working day after `from` (the start day is not counted; CPL Art. 85 via Rules Art. 19).
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> CalendarDate {
        if n == 0 {
            return CalendarDate { date: from, provisional: false };
        }
        if let Some(i) = self.table.index(from) {
            let rank = self.table.working_rank[i] as usize + n as usize;
            if let Some(&j) = self.table.working_days.get(rank - 1) {
                let j = j as usize;
                return CalendarDate { date: self.table.date(j), provisional: self.table.provisional_in(i, j) };
            }
        }
        let mut d = from;
        let (mut counted, mut provisional) = (0, false);
        while counted < n {
            d = d + Days::new(1);
            let (working, p) = self.is_working_day(d);
            provisional |= p;
            counted += u32::from(working);
        }
        CalendarDate { date: d, provisional }
    }

    /// The latest working day `r` such that the `n`-th working day after `r` is on or before
    /// `until` (a period of n working days "before" a day, start excluded). `None` if the table
    /// holds no such day.
    pub fn latest_working_day_before(&self, until: NaiveDate, n: u32) -> Option<CalendarDate> {
        let i = self.table.index(until)?;
        let rank = (self.table.working_rank[i] as usize).checked_sub(n as usize)?;
        let j = *self.table.working_days.get(rank.checked_sub(1)?)? as usize;
        Some(CalendarDate { date: self.table.date(j), provisional: self.table.provisional_in(j.saturating_sub(1), i) })
    }

    /// `from` plus `n` calendar days, moved to the next working day if it lands on a rest day
    /// when `roll_forward` is on (CPL Art. 85: a period ending on a holiday ends on the next working day).
    pub fn add_calendar_days(&self, from: NaiveDate, n: u32, roll_forward: bool) -> CalendarDate {
        let d = from + Days::new(n as u64);
        if roll_forward { self.next_working_day(d) } else { CalendarDate { date: d, provisional: false } }
    }

    /// `d` itself if it is a working day, else the next working day.
    pub fn next_working_day(&self, d: NaiveDate) -> CalendarDate {
        if let Some(i) = self.table.index(d) {
            if self.table.kinds[i].is_working() {
                return CalendarDate { date: d, provisional: self.table.provisional_in(i.wrapping_sub(1), i) };
            }
            if let Some(&j) = self.table.working_days.get(self.table.working_rank[i] as usize) {
                let j = j as usize;
                return CalendarDate { date: self.table.date(j), provisional: self.table.provisional_in(i.wrapping_sub(1), j) };
            }
        }
        let mut d = d;
        let mut provisional = false;
        loop {
            let (working, p) = self.is_working_day(d);
            provisional |= p;
            if working {
                return CalendarDate { date: d, provisional };
            }
            d = d + Days::new(1);
        }
    }

    /// Working days strictly after `from` up to and including `to` (negative when `to < from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to < from {
            return -self.working_days_between(to, from);
        }
        match (self.table.index(from), self.table.index(to)) {
            (Some(a), Some(b)) => self.table.working_rank[b] as i64 - self.table.working_rank[a] as i64,
            _ => {
                let (mut n, mut d) = (0, from);
                while d < to {
                    d = d + Days::new(1);
                    n += i64::from(self.is_working_day(d).0);
                }
                n
            }
        }
    }

    /// Working days from `today` to a deadline `due`: 0 on the day itself, negative once it has
    /// passed (at least −1 even when only rest days lie between).
    pub fn working_days_left(&self, today: NaiveDate, due: NaiveDate) -> i64 {
        if due < today { -self.working_days_between(due, today).max(1) } else { self.working_days_between(today, due) }
    }

    /// The calendar as a file `from_toml` reads back (ranges collapsed).
    pub fn to_toml(&self) -> String {
        self.years.keys().filter_map(|y| self.year_toml(*y)).collect::<Vec<_>>().join("\n")
    }

    /// One loaded year as a calendar file.
    pub fn year_toml(&self, year: i32) -> Option<String> {
        let y = self.years.get(&year)?;
        let mut out = String::new();
        let _ = writeln!(out, "[[year]]\nyear = {}\nnotice = {}", y.year, toml_string(&y.notice));
        let _ = writeln!(out, "days_off = {}", ranges(&y.days_off));
        let _ = writeln!(out, "make_up_working_days = {}", ranges(&y.make_up_working_days));
        let _ = writeln!(out, "statutory_days = {}", ranges(&y.statutory_days));
        Some(out)
    }
}

/// Every day from 2000-01-01 to 2199-12-31 with its kind and running counts.
#[derive(Debug, Clone)]
struct DayTable {
    start: NaiveDate,
    kinds: Vec<DayKind>,
    /// Working days in `[start, i]`.
    working_rank: Vec<u32>,
    /// Provisional days (years not loaded) in `[start, i]`.
    provisional_rank: Vec<u32>,
    /// The index of every working day, in order.
    working_days: Vec<u32>,
}

impl DayTable {
    fn build(years: &BTreeMap<i32, YearArrangement>) -> Self {
        let start = NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).expect("valid");
        let end = NaiveDate::from_ymd_opt(TABLE_LAST_YEAR, 12, 31).expect("valid");
        let len = (end - start).num_days() as usize + 1;
        let mut t = DayTable {
            start,
            kinds: Vec::with_capacity(len),
            working_rank: Vec::with_capacity(len),
            provisional_rank: Vec::with_capacity(len),
            working_days: Vec::with_capacity(len * 5 / 7 + 1),
        };
        let (mut working, mut provisional) = (0u32, 0u32);
        for (i, d) in start.iter_days().take(len).enumerate() {
            let kind = match years.get(&d.year()) {
                Some(y) if y.make_up_working_days.contains(&d) => DayKind::MakeUpWorkday,
                Some(y) if y.days_off.contains(&d) => DayKind::Holiday,
                Some(_) if is_weekend(d) => DayKind::Weekend,
                Some(_) => DayKind::Workday,
                None => {
                    provisional += 1;
                    provisional_kind(d)
                }
            };
            if kind.is_working() {
                working += 1;
                t.working_days.push(i as u32);
            }
            t.kinds.push(kind);
            t.working_rank.push(working);
            t.provisional_rank.push(provisional);
        }
        t
    }

    fn index(&self, d: NaiveDate) -> Option<usize> {
        let i = (d - self.start).num_days();
        (0..self.kinds.len() as i64).contains(&i).then_some(i as usize)
    }

    fn date(&self, i: usize) -> NaiveDate {
        self.start + Days::new(i as u64)
    }

    fn provisional_rank_before(&self, i: usize) -> u32 {
        if i == 0 { 0 } else { self.provisional_rank[i - 1] }
    }

    /// Whether any day in `(a, b]` is provisional; `a` may be `usize::MAX` for "before the table".
    fn provisional_in(&self, a: usize, b: usize) -> bool {
        let before = if a == usize::MAX { 0 } else { self.provisional_rank[a] };
        self.provisional_rank[b] > before
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// A day of a year not loaded: weekends, and the fixed-date holidays 元旦, 劳动节 and 国庆.
fn provisional_kind(d: NaiveDate) -> DayKind {
    if matches!((d.month(), d.day()), (1, 1) | (5, 1) | (10, 1) | (10, 2) | (10, 3)) {
        DayKind::Holiday
    } else if is_weekend(d) {
        DayKind::Weekend
    } else {
        DayKind::Workday
    }
}

fn expand(year: i32, items: &[String]) -> Result<BTreeSet<NaiveDate>, CalendarError> {
    let parse = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| CalendarError::BadDate { year, text: s.to_string() });
    let mut out = BTreeSet::new();
    for item in items {
        let (a, b) = match item.split_once("..") {
            Some((a, b)) => (parse(a)?, parse(b)?),
            None => (parse(item)?, parse(item)?),
        };
        if b < a {
            return Err(CalendarError::BadDate { year, text: item.clone() });
        }
        for d in a.iter_days().take_while(|d| *d <= b) {
            if d.year() != year {
                return Err(CalendarError::OutsideYear { year, date: d });
            }
            out.insert(d);
        }
    }
    Ok(out)
}

fn ranges(days: &BTreeSet<NaiveDate>) -> String {
    let mut items: Vec<String> = Vec::new();
    let mut iter = days.iter().copied().peekable();
    while let Some(a) = iter.next() {
        let mut b = a;
        while iter.peek() == Some(&(b + Days::new(1))) {
            b = iter.next().expect("peeked");
        }
        items.push(if a == b { format!("\"{a}\"") } else { format!("\"{a}..{b}\"") });
    }
    format!("[{}]", items.join(", "))
}

fn toml_string(s: &str) -> String {
    // A JSON string literal is a valid TOML basic string (the same escapes).
    serde_json::to_string(s).expect("a string serialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn shipped_years_have_the_official_number_of_working_days() {
        let cal = WorkingCalendar::shipped();
        for (year, expected) in [(2023, 249), (2024, 251), (2025, 248), (2026, 248)] {
            let n = cal.working_days_between(d(&format!("{}-12-31", year - 1)), d(&format!("{year}-12-31")));
            assert_eq!(n, expected, "{year}");
        }
    }

    #[test]
    fn days_are_classed_as_the_notices_say() {
        let cal = WorkingCalendar::shipped();
        assert_eq!(cal.kind(d("2025-01-26")), (DayKind::MakeUpWorkday, false));
        assert_eq!(cal.kind(d("2025-10-08")), (DayKind::Holiday, false));
        assert_eq!(cal.kind(d("2024-06-08")), (DayKind::Weekend, false));
        assert_eq!(cal.kind(d("2026-11-23")), (DayKind::Workday, false));
        assert_eq!(cal.kind(d("2027-10-04")), (DayKind::Workday, true));
        assert_eq!(cal.kind(d("2027-10-02")), (DayKind::Holiday, true));
    }

    // Worked examples of rules.md §1.8.
    #[test]
    fn serve_by_counts_the_sunday_makeup_day() {
        assert_eq!(WorkingCalendar::shipped().add_working_days(d("2025-01-20"), 5).date, d("2025-01-26"));
    }

    #[test]
    fn five_working_days_skip_the_2025_national_day_block() {
        assert_eq!(WorkingCalendar::shipped().add_working_days(d("2025-09-26"), 5).date, d("2025-10-10"));
    }

    #[test]
    fn five_working_days_after_2026_02_10_counts_the_make_up_saturday() {
        assert_eq!(WorkingCalendar::shipped().add_working_days(d("2026-02-10"), 5).date, d("2026-02-24"));
    }

    #[test]
    fn sixty_calendar_days_ending_on_a_saturday_roll_to_monday() {
        let r = WorkingCalendar::shipped().add_calendar_days(d("2026-02-10"), 60, true);
        assert_eq!(r, CalendarDate { date: d("2026-04-13"), provisional: false });
    }

    #[test]
    fn a_year_not_loaded_gives_provisional_dates() {
        let r = WorkingCalendar::shipped().add_working_days(d("2026-12-28"), 5);
        assert!(r.provisional);
        // 12-29, 12-30, 12-31, then 2027-01-01 (a fixed holiday, Friday), the weekend, 01-04, 01-05.
        assert_eq!(r.date, d("2027-01-05"));
        assert!(!WorkingCalendar::shipped().add_working_days(d("2026-12-20"), 5).provisional);
    }

    #[test]
    fn loading_a_year_makes_its_dates_final() {
        let cal = WorkingCalendar::shipped();
        let y2027 = WorkingCalendar::from_toml("[[year]]\nyear = 2027\ndays_off = [\"2027-01-01\"]\n").unwrap();
        let merged = cal.merged_with(&y2027);
        let r = merged.add_working_days(d("2026-12-28"), 5);
        assert_eq!(r, CalendarDate { date: d("2027-01-05"), provisional: false });
        assert!(merged.is_loaded(2026) && merged.is_loaded(2027));
    }

    #[test]
    fn latest_working_day_before_is_the_inverse_of_adding() {
        let cal = WorkingCalendar::shipped();
        // Hearing on Monday 2025-10-13; the working days before it are 10-11 (make-up Saturday),
        // 10-10, 10-09, then 09-30 across the National Day block.
        assert_eq!(cal.latest_working_day_before(d("2025-10-13"), 3).unwrap().date, d("2025-10-09"));
        let r = cal.latest_working_day_before(d("2025-10-13"), 4).unwrap();
        assert_eq!(r.date, d("2025-09-30"));
        assert!(cal.add_working_days(r.date, 4).date <= d("2025-10-13"));
        let next = cal.add_working_days(r.date, 1).date;
        assert!(cal.add_working_days(next, 4).date > d("2025-10-13"));
    }

    #[test]
    fn counting_and_adding_agree_outside_the_table() {
        let cal = WorkingCalendar::shipped();
        let r = cal.add_working_days(d("2199-12-20"), 20);
        assert!(r.provisional);
        assert_eq!(cal.working_days_between(d("2199-12-20"), r.date), 20);
    }

    #[test]
    fn a_deadline_passed_over_the_weekend_is_overdue_not_due_today() {
        let cal = WorkingCalendar::shipped();
        assert_eq!(cal.working_days_left(d("2026-11-22"), d("2026-11-20")), -1);
        assert_eq!(cal.working_days_left(d("2026-11-20"), d("2026-11-20")), 0);
        assert_eq!(cal.working_days_left(d("2026-11-22"), d("2026-11-24")), 2);
        assert_eq!(cal.working_days_left(d("2026-11-24"), d("2026-11-20")), -2);
    }

    #[test]
    fn the_shipped_file_round_trips_through_to_toml() {
        let cal = WorkingCalendar::shipped();
        let again = WorkingCalendar::from_toml(&cal.to_toml()).unwrap();
        assert_eq!(cal.years().collect::<Vec<_>>(), again.years().collect::<Vec<_>>());
    }

    #[test]
    fn a_make_up_day_on_a_weekday_is_refused() {
        let e = WorkingCalendar::from_toml("[[year]]\nyear = 2027\nmake_up_working_days = [\"2027-01-04\"]\n");
        assert_eq!(e.unwrap_err(), CalendarError::MakeUpNotWeekend { year: 2027, date: d("2027-01-04") });
    }

    #[test]
    fn a_date_both_off_and_worked_is_refused() {
        let e = WorkingCalendar::from_toml(
            "[[year]]\nyear = 2027\ndays_off = [\"2027-02-06..2027-02-12\"]\nmake_up_working_days = [\"2027-02-07\"]\n",
        );
        assert_eq!(e.unwrap_err(), CalendarError::BothOffAndWorking { year: 2027, date: d("2027-02-07") });
    }

    #[test]
    fn a_year_table_without_its_year_is_refused() {
        let e = WorkingCalendar::from_toml("[[year]]\nnotice = \"x\"\ndays_off = [\"2027-01-01\"]\n");
        assert_eq!(e.unwrap_err(), CalendarError::MissingYear { index: 1 });
        assert_eq!(WorkingCalendar::from_toml("").unwrap_err(), CalendarError::Empty);
    }

    #[test]
    fn a_date_outside_its_year_is_refused() {
        let e = WorkingCalendar::from_toml("[[year]]\nyear = 2027\ndays_off = [\"2026-12-31\"]\n");
        assert!(matches!(e, Err(CalendarError::OutsideYear { .. })));
    }

    #[test]
    fn a_misspelt_key_is_refused() {
        let e = WorkingCalendar::from_toml("[[year]]\nyear = 2027\nmakeup_days = [\"2027-01-04\"]\n");
        assert!(matches!(e, Err(CalendarError::Syntax(_))));
    }
}
