//! Dated values the commission's rules depend on: a value is in force from its date until the next one.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::money::Amount;

/// One dated entry: `value` is in force from `from` (inclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dated<T> {
    pub from: NaiveDate,
    pub value: T,
}

/// A table of dated values, sorted by date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedTable<T> {
    entries: Vec<Dated<T>>,
}

impl<T: Clone> DatedTable<T> {
    /// Builds a table; `None` if it is empty or two entries share a date.
    pub fn new(mut entries: Vec<Dated<T>>) -> Option<Self> {
        entries.sort_by_key(|e| e.from);
        if entries.is_empty() || entries.windows(2).any(|w| w[0].from == w[1].from) {
            return None;
        }
        Some(Self { entries })
    }

    /// The value in force on `day`, or `None` before the first entry.
    pub fn in_force_on(&self, day: NaiveDate) -> Option<&T> {
        self.entries.iter().rev().find(|e| e.from <= day).map(|e| &e.value)
    }
}

/// The commission's money thresholds, each a dated table.
#[derive(Debug, Clone)]
pub struct Thresholds {
    /// 当地月最低工资标准 of the commission's locality.
    pub min_wage_monthly: DatedTable<Amount>,
    /// 本省上年度职工年平均工资: the simplified-procedure ceiling.
    pub simplified_ceiling: DatedTable<Amount>,
    /// Applicants from which a dispute is collective (Rules Art. 5: 10).
    pub collective_min_workers: usize,
}

/// The thresholds in force on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThresholdsOn {
    pub on: NaiveDate,
    pub min_wage_monthly: Amount,
    /// 12 × the monthly minimum wage (Law Art. 47(1)).
    pub final_award_limit: Amount,
    pub simplified_ceiling: Amount,
    pub collective_min_workers: usize,
}

impl Thresholds {
    /// The values in force on `day`; `None` if a table has no entry that early.
    pub fn on(&self, day: NaiveDate) -> Option<ThresholdsOn> {
        let min_wage = *self.min_wage_monthly.in_force_on(day)?;
        Some(ThresholdsOn {
            on: day,
            min_wage_monthly: min_wage,
            // Law Art. 47(1): final if not above 12 months of the local minimum wage.
            final_award_limit: min_wage.times(12),
            simplified_ceiling: *self.simplified_ceiling.in_force_on(day)?,
            collective_min_workers: self.collective_min_workers,
        })
    }

    /// Zhongshan's values (rules.md §3).
    pub fn zhongshan() -> Self {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        Self {
            min_wage_monthly: DatedTable::new(vec![
                Dated { from: d("2018-07-01"), value: Amount::from_yuan(1720) },
                Dated { from: d("2021-12-01"), value: Amount::from_yuan(1900) },
                Dated { from: d("2025-03-01"), value: Amount::from_yuan(2080) },
            ])
            .unwrap(),
            simplified_ceiling: DatedTable::new(vec![Dated {
                from: d("2024-07-01"),
                value: Amount::from_yuan(131_418),
            }])
            .unwrap(),
            collective_min_workers: 10,
        }
    }
}

impl serde::Serialize for Amount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> serde::Deserialize<'de> for Amount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Amount::parse(&s).map_err(|v| serde::de::Error::custom(v.message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn final_award_limit_follows_the_minimum_wage_in_force_on_the_day() {
        let t = Thresholds::zhongshan();
        assert_eq!(t.on(d("2025-02-28")).unwrap().final_award_limit, Amount::from_yuan(22_800));
        assert_eq!(t.on(d("2025-03-01")).unwrap().final_award_limit, Amount::from_yuan(24_960));
    }

    #[test]
    fn a_day_before_every_table_entry_has_no_thresholds() {
        assert!(Thresholds::zhongshan().on(d("2024-01-01")).is_none());
    }

    #[test]
    fn a_table_with_two_entries_on_one_date_is_refused() {
        let e = Dated { from: d("2025-01-01"), value: 1 };
        assert!(DatedTable::new(vec![e.clone(), e]).is_none());
    }
}
