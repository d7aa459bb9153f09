//! The one source of "today" and "now" every legal date and timestamp comes from: the commission's local date (Asia/Shanghai, UTC+8,
//! no daylight saving), fixable with `GREENLANE_TODAY` for demos and tests.

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, Utc};

/// Today's date for the law, and now for timestamps.
#[derive(Debug, Clone, Copy)]
pub struct Time {
    fixed_today: Option<NaiveDate>,
}

impl Time {
    /// The real clock.
    pub fn system() -> Self {
        Self { fixed_today: None }
    }

    /// A clock whose date is always `today` (timestamps still advance).
    pub fn fixed(today: NaiveDate) -> Self {
        Self { fixed_today: Some(today) }
    }

    pub fn is_fixed(&self) -> bool {
        self.fixed_today.is_some()
    }

    /// Today's date in the commission's zone.
    pub fn today(&self) -> NaiveDate {
        self.fixed_today.unwrap_or_else(|| {
            let shanghai = FixedOffset::east_opt(8 * 3600).expect("valid offset");
            Utc::now().with_timezone(&shanghai).date_naive()
        })
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    /// Now as stored: RFC 3339 UTC with millisecond precision, so text order is time order.
    pub fn now_text(&self) -> String {
        self.now().to_rfc3339_opts(SecondsFormat::Millis, true)
    }
}

/// A stored timestamp (RFC 3339) as people read it: the commission's local time, `2026年11月16日 10:05`.
pub fn local_text(stamp: &str) -> String {
    let shanghai = FixedOffset::east_opt(8 * 3600).expect("valid offset");
    match DateTime::parse_from_rfc3339(stamp) {
        Ok(t) => t.with_timezone(&shanghai).format("%Y年%-m月%-d日 %H:%M").to_string(),
        Err(_) => stamp.to_string(),
    }
}

/// The commission's local day of a stored timestamp (RFC 3339).
pub fn local_day(stamp: &str) -> Option<chrono::NaiveDate> {
    let shanghai = FixedOffset::east_opt(8 * 3600).expect("valid offset");
    DateTime::parse_from_rfc3339(stamp).ok().map(|t| t.with_timezone(&shanghai).date_naive())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_stored_utc_stamp_reads_in_beijing_time() {
        assert_eq!(super::local_text("2026-11-16T17:30:00.000Z"), "2026年11月17日 01:30");
    }
}
