//! The statutory deadlines known at intake and acceptance (the full clock grows with the case's events).

use chrono::NaiveDate;
use serde::Serialize;

use super::calendar::WorkingCalendar;

/// Deadlines of a case, as far as its events so far determine them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Deadlines {
    /// 受理期限: decide on acceptance by this day.
    pub accept_by: Option<NaiveDate>,
    /// 送达期限: serve the application copy on the respondent by this day.
    pub serve_by: Option<NaiveDate>,
    /// 答辩期限: known once the respondent has received the copy.
    pub defence_by: Option<NaiveDate>,
    /// Earliest lawful hearing day: known once the hearing notice is served.
    pub hearing_not_before: Option<NaiveDate>,
    /// 审限: the award deadline.
    pub award_due: Option<NaiveDate>,
    pub extended: bool,
    pub suspended_days: i64,
    /// True when a date rests on a year whose official holiday calendar is not loaded yet.
    pub provisional: bool,
}

/// Award period in calendar days (Law Art. 43; Rules Art. 45).
pub const AWARD_PERIOD_DAYS: u32 = 45;

/// Deadlines of a case filed on `filed_on` and, if so, accepted on `accepted_on`.
pub fn deadlines(cal: &WorkingCalendar, filed_on: NaiveDate, accepted_on: Option<NaiveDate>) -> Deadlines {
    // Law Art. 29; Rules Art. 30: decide within 5 working days of receiving the application.
    let accept_by = cal.add_working_days(filed_on, 5);
    let mut out = Deadlines {
        accept_by: Some(accept_by.date),
        provisional: accept_by.provisional,
        ..Deadlines::default()
    };
    if let Some(accepted) = accepted_on {
        // Law Art. 30; Rules Art. 33: serve the copy within 5 working days of acceptance.
        let serve_by = cal.add_working_days(accepted, 5);
        // Law Art. 43; Rules Art. 45: 45 calendar days, rolled to the next working day (CPL Art. 85).
        let award_due = cal.add_calendar_days(accepted, AWARD_PERIOD_DAYS, true);
        out.serve_by = Some(serve_by.date);
        out.award_due = Some(award_due.date);
        out.provisional = serve_by.provisional || award_due.provisional;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn award_due_is_45_calendar_days_after_acceptance() {
        let dl = deadlines(&WorkingCalendar::shipped(), d("2024-09-26"), Some(d("2024-09-27")));
        assert_eq!(dl.award_due, Some(d("2024-11-11")));
        assert!(!dl.provisional);
    }

    #[test]
    fn accept_by_skips_the_spring_festival_block() {
        // Filed Friday 2026-02-13: 02-14 (make-up Saturday) counts, 02-15..02-23 are off.
        let dl = deadlines(&WorkingCalendar::shipped(), d("2026-02-13"), None);
        assert_eq!(dl.accept_by, Some(d("2026-02-27")));
    }
}
