//! How many cases are filed on each working day: the year's intake spread over the period's
//! working days, weighted by the season around Spring Festival, rounded so the days add up.

use chrono::{Days, NaiveDate};

use super::scenario::Scenario;
use crate::law::calendar::WorkingCalendar;

/// The weight of a day: the festival's factor in the weeks before or after its eve, else 1.
fn weight(s: &Scenario, day: NaiveDate) -> f64 {
    let Some(f) = s.intake.spring_festival else { return 1.0 };
    let before = f.eve - Days::new(7 * u64::from(f.weeks_before));
    let after = f.eve + Days::new(7 * u64::from(f.weeks_after));
    if before <= day && day <= f.eve {
        f.factor_before
    } else if f.eve < day && day <= after {
        f.factor_after
    } else {
        1.0
    }
}

/// The working days of the period, each with its weight.
fn weighted_days(s: &Scenario, calendar: &WorkingCalendar) -> Vec<(NaiveDate, f64)> {
    s.period
        .start
        .iter_days()
        .take_while(|d| *d <= s.period.end)
        .filter(|d| calendar.is_working_day(*d).0)
        .map(|d| (d, weight(s, d)))
        .collect()
}

/// The cases filed over the whole period: the year's rate for the period's length.
pub fn total(s: &Scenario) -> f64 {
    let days = (s.period.end - s.period.start).num_days() + 1;
    f64::from(s.intake.cases_per_year) * days as f64 / 365.0
}

/// The cases filed on `day` (none on a day off or outside the period).
pub fn on(s: &Scenario, calendar: &WorkingCalendar, day: NaiveDate) -> u64 {
    let days = weighted_days(s, calendar);
    let sum: f64 = days.iter().map(|(_, w)| w).sum();
    if sum <= 0.0 {
        return 0;
    }
    let mut before = 0.0;
    for (d, w) in &days {
        if *d == day {
            let share = total(s) / sum;
            return ((before + w) * share).round() as u64 - (before * share).round() as u64;
        }
        before += w;
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::calendar::WorkingCalendar;

    #[test]
    fn the_days_of_a_year_add_up_to_its_intake_and_the_festival_shapes_them() {
        let cal = WorkingCalendar::shipped();
        let s = Scenario::parse("g", include_str!("../../scenarios/zhongshan-2025-today.toml"), &[], &cal).unwrap();
        let all: u64 = s.period.start.iter_days().take_while(|d| *d <= s.period.end).map(|d| on(&s, &cal, d)).sum();
        assert_eq!(all, total(&s).round() as u64);
        let d = |t: &str| on(&s, &cal, t.parse().unwrap());
        assert!(d("2025-01-20") > d("2025-03-20"), "before the festival more cases are filed");
        assert!(d("2025-02-06") < d("2025-03-20"), "after it, fewer");
        assert_eq!(d("2025-01-29"), 0, "none on a holiday");
    }
}
