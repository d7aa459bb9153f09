//! Dated values the commission's rules depend on: a value is in force from its date until the next one.

use chrono::{Datelike, NaiveDate};
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
        self.entry_on(day).map(|e| &e.value)
    }

    /// The entry in force on `day`, with its date.
    pub fn entry_on(&self, day: NaiveDate) -> Option<&Dated<T>> {
        self.entries.iter().rev().find(|e| e.from <= day)
    }

    /// The year the entry in force on `day` took effect, when that entry is older than
    /// `months`: the table is then overdue for a newer figure.
    pub fn stale_on(&self, day: NaiveDate, months: u32) -> Option<i32> {
        let e = self.entry_on(day)?;
        let due = e.from.checked_add_months(chrono::Months::new(months))?;
        (day >= due).then(|| e.from.year())
    }
}

/// A new simplified-procedure ceiling is published every year (the provincial statistics
/// office's release of the previous year's average wage, around July).
pub const CEILING_REFRESH_MONTHS: u32 = 12;
/// 《最低工资规定》第十条: the minimum wage is adjusted at least once every two years.
pub const MIN_WAGE_REFRESH_MONTHS: u32 = 24;

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
    /// Set when the ceiling in force is overdue for the newer figure: the year it took effect.
    #[serde(default)]
    pub simplified_ceiling_stale: Option<i32>,
    /// Set when the minimum wage in force is overdue for revision: the year it took effect.
    #[serde(default)]
    pub min_wage_stale: Option<i32>,
}

impl ThresholdsOn {
    /// The note a reason carries when the ceiling it was measured against may be out of date.
    pub fn ceiling_note(&self) -> String {
        self.simplified_ceiling_stale.map(|y| format!("（标准暂按{y}年公布数，待更新）")).unwrap_or_default()
    }

    /// The note a reason carries when the minimum wage it was measured against may be out of date.
    pub fn min_wage_note(&self) -> String {
        self.min_wage_stale.map(|y| format!("（标准暂按{y}年公布数，待更新）")).unwrap_or_default()
    }
}

/// A dated value that is overdue for a newer figure, for the warning at start and the admin page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StaleValue {
    /// The setting's name.
    pub setting: &'static str,
    /// What it is, in Chinese.
    pub label: &'static str,
    /// The value still applied, in yuan.
    pub value: String,
    /// The day it took effect.
    pub from: NaiveDate,
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
            simplified_ceiling_stale: self.simplified_ceiling.stale_on(day, CEILING_REFRESH_MONTHS),
            min_wage_stale: self.min_wage_monthly.stale_on(day, MIN_WAGE_REFRESH_MONTHS),
        })
    }

    /// The dated values that are overdue for a newer figure on `day`.
    pub fn stale_on(&self, day: NaiveDate) -> Vec<StaleValue> {
        let mut out = Vec::new();
        let tables = [
            ("simplified_ceiling", "本省上年度职工年平均工资（简易处理标准）", &self.simplified_ceiling, CEILING_REFRESH_MONTHS),
            ("min_wage_monthly", "当地月最低工资标准（终局裁决标准）", &self.min_wage_monthly, MIN_WAGE_REFRESH_MONTHS),
        ];
        for (setting, label, table, months) in tables {
            if table.stale_on(day, months).is_some()
                && let Some(e) = table.entry_on(day)
            {
                out.push(StaleValue { setting, label, value: e.value.to_string(), from: e.from });
            }
        }
        out
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
            simplified_ceiling: DatedTable::new(vec![Dated { from: d("2024-07-01"), value: Amount::from_yuan(131_418) }]).unwrap(),
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
    fn a_ceiling_older_than_a_year_is_flagged_stale_with_its_year() {
        let t = Thresholds::zhongshan();
        let on = t.on(d("2026-12-07")).unwrap();
        assert_eq!(on.simplified_ceiling_stale, Some(2024));
        assert_eq!(on.ceiling_note(), "（标准暂按2024年公布数，待更新）");
        assert_eq!(t.on(d("2025-06-30")).unwrap().simplified_ceiling_stale, None);
        assert_eq!(t.stale_on(d("2026-12-07")).iter().map(|s| s.setting).collect::<Vec<_>>(), ["simplified_ceiling"]);
    }

    #[test]
    fn a_minimum_wage_unrevised_for_two_years_is_flagged_stale() {
        // 《最低工资规定》第十条: revised at least every two years.
        let t = Thresholds::zhongshan();
        assert_eq!(t.on(d("2027-02-28")).unwrap().min_wage_stale, None);
        assert_eq!(t.on(d("2027-03-01")).unwrap().min_wage_stale, Some(2025));
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
