//! An arbitrator's availability as the problem file carries it (version 2's `busy`): the weekly
//! pattern of sessions sat, and busy times of a day, turned into the session slots they hold.

use chrono::{Datelike, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::problem::{BusyFile, IsoDate};

/// The sessions an arbitrator sits on one weekday.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WeekdaySessions {
    /// 1 (Monday) to 7 (Sunday).
    pub weekday: u32,
    /// Session indices (0 the morning, 1 the afternoon with the default sessions).
    pub sessions: Vec<u32>,
}

/// A weekly pattern in force from a day on; a weekday it does not list is not sat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeeklyPattern {
    pub from: NaiveDate,
    pub days: Vec<WeekdaySessions>,
}

impl WeeklyPattern {
    /// Whether the pattern has the arbitrator sit session `s` on `day`.
    pub fn sits(&self, day: NaiveDate, s: u32) -> bool {
        let w = day.weekday().number_from_monday();
        self.days.iter().any(|d| d.weekday == w && d.sessions.contains(&s))
    }
}

/// One busy time of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BusyTime {
    pub day: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// The sessions of a hearing day: each one's start, its slots, and the slot length.
#[derive(Debug, Clone)]
pub struct Sessions {
    pub starts: Vec<(NaiveTime, u32)>,
    pub slot_minutes: u32,
}

impl Sessions {
    /// When session `s` ends.
    pub fn end_of(&self, s: usize) -> NaiveTime {
        let (start, n) = self.starts[s];
        start + chrono::Duration::minutes(i64::from(n * self.slot_minutes))
    }

    /// Whether a time range meets at least one session.
    pub fn meets(&self, start: NaiveTime, end: NaiveTime) -> bool {
        (0..self.starts.len()).any(|s| start < self.end_of(s) && self.starts[s].0 < end)
    }

    /// The slots a busy time holds: every slot it overlaps, session by session.
    pub fn slots_of(&self, b: &BusyTime) -> Vec<BusyFile> {
        let m = i64::from(self.slot_minutes);
        let mut out = Vec::new();
        for (s, &(start, n)) in self.starts.iter().enumerate() {
            let taken: Vec<u32> = (0..n)
                .filter(|&k| {
                    let from = start + chrono::Duration::minutes(i64::from(k) * m);
                    let to = from + chrono::Duration::minutes(m);
                    from < b.end && b.start < to
                })
                .collect();
            if let (Some(&first), Some(&last)) = (taken.first(), taken.last()) {
                out.push(BusyFile { day: IsoDate(b.day), session: s as u32, slot: first, slots: last - first + 1 });
            }
        }
        out
    }

    /// The whole sessions a weekly pattern leaves free on `day`, as busy.
    pub fn not_sat(&self, pattern: &WeeklyPattern, day: NaiveDate) -> Vec<BusyFile> {
        (0..self.starts.len() as u32)
            .filter(|&s| !pattern.sits(day, s))
            .map(|s| BusyFile { day: IsoDate(day), session: s, slot: 0, slots: self.starts[s as usize].1 })
            .collect()
    }
}

/// The pattern in force on `day`: the latest whose `from` has come.
pub fn in_force(patterns: &[WeeklyPattern], day: NaiveDate) -> Option<&WeeklyPattern> {
    patterns.iter().filter(|p| p.from <= day).max_by_key(|p| p.from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sessions() -> Sessions {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        Sessions { starts: vec![(t(9, 0), 6), (t(14, 0), 6)], slot_minutes: 30 }
    }

    #[test]
    fn a_busy_time_holds_every_slot_it_overlaps() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
        let b = BusyTime { day, start: t(10, 15), end: t(14, 45) };
        let got = sessions().slots_of(&b);
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].session, got[0].slot, got[0].slots), (0, 2, 4), "10:00–12:00 of the morning");
        assert_eq!((got[1].session, got[1].slot, got[1].slots), (1, 0, 2), "14:00–15:00 of the afternoon");
        assert!(sessions().slots_of(&BusyTime { day, start: t(12, 0), end: t(14, 0) }).is_empty(), "the lunch break holds nothing");
    }

    #[test]
    fn a_part_time_arbitrator_sits_only_the_sessions_of_its_pattern() {
        let from = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let p = WeeklyPattern {
            from,
            days: vec![WeekdaySessions { weekday: 2, sessions: vec![1] }, WeekdaySessions { weekday: 4, sessions: vec![1] }],
        };
        let tuesday = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
        let wednesday = NaiveDate::from_ymd_opt(2026, 12, 9).unwrap();
        let off: Vec<u32> = sessions().not_sat(&p, tuesday).iter().map(|b| b.session).collect();
        assert_eq!(off, [0], "周二只坐下午");
        assert_eq!(sessions().not_sat(&p, wednesday).len(), 2, "周三整天不排");
        assert!(in_force(std::slice::from_ref(&p), from.pred_opt().unwrap()).is_none());
    }
}
