//! Legal dates as the contract writes them: `YYYY-MM-DD`, zero-padded, inside the calendar's years.

use chrono::NaiveDate;

use super::Violation;
use super::calendar::WorkingCalendar;

/// Parses `YYYY-MM-DD` strictly: four-digit year, two-digit month and day (`2024-3-1` is refused),
/// inside the years the working calendar supports (`bad_date`, `out_of_range`).
pub fn parse_iso(s: &str) -> Result<NaiveDate, Violation> {
    let b = s.as_bytes();
    let shaped = b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    let date = shaped.then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()).flatten();
    let Some(date) = date else {
        return Err(Violation::new("bad_date", format!("日期“{s}”无法识别，应为 YYYY-MM-DD，例如 2026-03-01")));
    };
    WorkingCalendar::check_supported(date).map_err(|e| Violation::new("out_of_range", e.to_string()))
}

/// `YYYY-MM-DD`, zero-padded, a real date; any year from 0001 (the caller bounds it).
pub fn parse_padded(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shaped = b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    shaped.then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_padded_date_parses() {
        assert_eq!(parse_iso("2026-03-01").unwrap(), NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
        assert_eq!(parse_iso("1999-12-31").unwrap_err().code, "out_of_range");
    }

    #[test]
    fn unpadded_signed_or_out_of_range_dates_are_refused() {
        for bad in ["2026-3-1", "2026-03-1", "-0001-01-01", "0000-01-01", "1999-12-31", "2026/03/01", "2026-02-30", " 2026-03-01"] {
            assert!(parse_iso(bad).is_err(), "{bad}");
        }
    }
}
