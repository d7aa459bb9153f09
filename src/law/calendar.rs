//! The Chinese working-day calendar: weekends, official holiday blocks and make-up working days (调休).
//!
//! Loaded from data (`data/calendar/cn.toml`), never hard-coded: each year's arrangement is
//! announced by the State Council around November of the year before. A year that is not loaded
//! is *provisional*: only weekends and the fixed-date holidays are known, and every date computed
//! over it says so.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

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
#[derive(Debug, Clone, Default)]
pub struct WorkingCalendar {
    years: BTreeMap<i32, YearArrangement>,
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
    #[error("{year}年：日期“{text}”无法识别，应为 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD")]
    BadDate { year: i32, text: String },
    #[error("{year}年：日期 {date} 不属于该年")]
    OutsideYear { year: i32, date: NaiveDate },
    #[error("{year}年：调休上班日 {date} 不是周末")]
    MakeUpNotWeekend { year: i32, date: NaiveDate },
    #[error("{year}年：{date} 同时被列为放假日和调休上班日")]
    BothOffAndWorking { year: i32, date: NaiveDate },
    #[error("{year}年在文件中出现了两次")]
    DuplicateYear { year: i32 },
}

#[derive(Deserialize)]
struct FileRaw {
    #[serde(default)]
    year: Vec<YearRaw>,
}

#[derive(Deserialize)]
struct YearRaw {
    year: i32,
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
        Self::from_toml(SHIPPED).expect("the shipped calendar is valid")
    }

    /// Parses and validates a calendar file; nothing is returned unless every year is valid.
    pub fn from_toml(text: &str) -> Result<Self, CalendarError> {
        let raw: FileRaw = toml::from_str(text).map_err(|e| CalendarError::Syntax(e.to_string()))?;
        let mut years = BTreeMap::new();
        for y in raw.year {
            let arrangement = YearArrangement {
                year: y.year,
                notice: y.notice,
                days_off: expand(y.year, &y.days_off)?,
                make_up_working_days: expand(y.year, &y.make_up_working_days)?,
                statutory_days: expand(y.year, &y.statutory_days)?,
            };
            for d in &arrangement.make_up_working_days {
                if !is_weekend(*d) {
                    return Err(CalendarError::MakeUpNotWeekend { year: y.year, date: *d });
                }
                if arrangement.days_off.contains(d) {
                    return Err(CalendarError::BothOffAndWorking { year: y.year, date: *d });
                }
            }
            if years.insert(y.year, arrangement).is_some() {
                return Err(CalendarError::DuplicateYear { year: y.year });
            }
        }
        Ok(Self { years })
    }

    /// Whether the official arrangement of `year` is loaded.
    pub fn is_loaded(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// Whether `d` is a working day, and whether that answer is provisional.
    pub fn is_working_day(&self, d: NaiveDate) -> (bool, bool) {
        match self.years.get(&d.year()) {
            Some(y) => {
                let working = y.make_up_working_days.contains(&d)
                    || (!is_weekend(d) && !y.days_off.contains(&d));
                (working, false)
            }
            // Provisional: weekends and the fixed-date holidays only (元旦, 劳动节, 国庆).
            None => (!is_weekend(d) && !is_fixed_date_holiday(d), true),
        }
    }

    /// The n-th working day after `from` (the start day is not counted; CPL Art. 85 via Rules Art. 19).
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> CalendarDate {
        let mut d = from;
        let mut counted = 0;
        let mut provisional = false;
        while counted < n {
            d = d + Days::new(1);
            let (working, p) = self.is_working_day(d);
            provisional |= p;
            if working {
                counted += 1;
            }
        }
        CalendarDate { date: d, provisional }
    }

    /// `from` plus `n` calendar days, moved to the next working day if it lands on a rest day
    /// when `roll_forward` is on (CPL Art. 85: a period ending on a holiday ends on the next working day).
    pub fn add_calendar_days(&self, from: NaiveDate, n: u32, roll_forward: bool) -> CalendarDate {
        let mut d = from + Days::new(n as u64);
        let (mut working, mut provisional) = self.is_working_day(d);
        while roll_forward && !working {
            d = d + Days::new(1);
            let (w, p) = self.is_working_day(d);
            working = w;
            provisional |= p;
        }
        CalendarDate { date: d, provisional }
    }

    /// Working days strictly after `from` up to and including `to` (0 when `to <= from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let mut n = 0;
        let mut d = from;
        while d < to {
            d = d + Days::new(1);
            if self.is_working_day(d).0 {
                n += 1;
            }
        }
        n
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

fn is_fixed_date_holiday(d: NaiveDate) -> bool {
    matches!((d.month(), d.day()), (1, 1) | (5, 1) | (10, 1) | (10, 2) | (10, 3))
}

fn expand(year: i32, items: &[String]) -> Result<BTreeSet<NaiveDate>, CalendarError> {
    let parse = |s: &str| {
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map_err(|_| CalendarError::BadDate { year, text: s.to_string() })
    };
    let mut out = BTreeSet::new();
    for item in items {
        let (a, b) = match item.split_once("..") {
            Some((a, b)) => (parse(a)?, parse(b)?),
            None => (parse(item)?, parse(item)?),
        };
        if b < a {
            return Err(CalendarError::BadDate { year, text: item.clone() });
        }
        let mut d = a;
        while d <= b {
            if d.year() != year {
                return Err(CalendarError::OutsideYear { year, date: d });
            }
            out.insert(d);
            d = d + Days::new(1);
        }
    }
    Ok(out)
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
        for (year, expected) in [(2024, 251), (2025, 248), (2026, 248)] {
            let n = cal.working_days_between(d(&format!("{}-12-31", year - 1)), d(&format!("{year}-12-31")));
            assert_eq!(n, expected, "{year}");
        }
    }

    // Worked examples of rules.md §1.8.
    #[test]
    fn five_working_days_after_2025_01_20_is_the_make_up_sunday() {
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
    fn ten_working_days_defence_examples() {
        let cal = WorkingCalendar::shipped();
        assert_eq!(cal.add_working_days(d("2025-01-24"), 10).date, d("2025-02-13"));
        assert_eq!(cal.add_working_days(d("2025-09-30"), 10).date, d("2025-10-21"));
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
    }

    #[test]
    fn a_make_up_day_on_a_weekday_is_refused() {
        let e = WorkingCalendar::from_toml("[[year]]\nyear = 2027\nmake_up_working_days = [\"2027-01-04\"]\n");
        assert_eq!(e.unwrap_err(), CalendarError::MakeUpNotWeekend { year: 2027, date: d("2027-01-04") });
    }

    #[test]
    fn a_date_outside_its_year_is_refused() {
        let e = WorkingCalendar::from_toml("[[year]]\nyear = 2027\ndays_off = [\"2026-12-31\"]\n");
        assert!(matches!(e, Err(CalendarError::OutsideYear { .. })));
    }
}
