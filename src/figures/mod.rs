//! The commission's report figures: each one a named formula over counts the store gives, with its
//! definition in words (rules.md §7; the usual definitions, versioned here since no official text
//! was found). Pure: counts in, figures out.

pub mod chart;
pub mod service;

use std::collections::BTreeMap;

use serde::Serialize;

/// The version of the definitions below; it changes whenever a formula does.
pub const DEFINITIONS_VERSION: &str = "greenlane-figures-2026.2";

/// The tracks, in the order the figures list them.
pub const TRACKS: [&str; 4] = ["green", "simple", "ordinary", "collective"];

/// A figure's stable name, its Chinese name and its formula in one line.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct Definition {
    pub field: &'static str,
    pub name: &'static str,
    pub formula: &'static str,
}

/// Every figure with its definition, in the order of the page.
pub const DEFINITIONS: [Definition; 17] = [
    Definition { field: "accepted", name: "受理数", formula: "受理日期在期间内的案件数" },
    Definition { field: "closed", name: "结案数", formula: "结案日期在期间内的案件数" },
    Definition { field: "pending_at_start", name: "期初未结数", formula: "期间开始前受理、开始时尚未结案的案件数" },
    Definition { field: "pending", name: "期末未结数", formula: "期间结束时已受理、尚未结案的案件数" },
    Definition { field: "closure_rate", name: "结案率", formula: "结案数 ÷ （受理数 + 期初未结数）" },
    Definition {
        field: "cumulative_closure_rate",
        name: "累计结案率",
        formula: "期末所在年度1月1日至期末的结案数 ÷ （同期受理数 + 该年1月1日未结数）",
    },
    Definition {
        field: "within_limit_rate",
        name: "法定审限内结案率",
        formula: "结案日不晚于结案时审限届满日（45日，经批准延长的加15日，扣除中止、公告期间，重新计算的自新日起算）的结案数 ÷ 结案数",
    },
    Definition {
        field: "final_award_rate", name: "终局裁决率", formula: "含终局裁决书（全部终局或部分终局）的裁决结案数 ÷ 裁决结案数"
    },
    Definition { field: "mediation_rate", name: "调解结案率", formula: "以调解书结案数 ÷ 结案数" },
    Definition { field: "withdrawal_rate", name: "撤诉率", formula: "申请人撤回及按撤回处理的结案数 ÷ 结案数" },
    Definition {
        field: "termination_rate",
        name: "仲裁终结率",
        formula: "争议在仲裁阶段终结的结案数（调解、撤回、按撤回处理、裁决后法院联络员登记未起诉或撤销申请被驳回/撤回）÷ 结案数；裁决后尚无法院登记的不计入分子",
    },
    Definition {
        field: "awaiting_court_outcome",
        name: "待登记法院情况数",
        formula: "期间内裁决结案、法院联络员尚未登记法院阶段情况的案件数",
    },
    Definition {
        field: "postponement_rate", name: "延期开庭率", formula: "期间内结案案件获准延期开庭的次数 ÷ 这些案件实际开庭的次数"
    },
    Definition {
        field: "arbitrator_utilisation",
        name: "仲裁员排庭利用率",
        formula: "期间内未取消庭审占用的仲裁员时段数（时段 × 仲裁员人数）÷ 在职仲裁员可排时段数（期间内工作日 × 每日时段 × 在职仲裁员人数，扣除请假的工作日）",
    },
    Definition {
        field: "cycle_days.mean",
        name: "平均办案周期（日）",
        formula: "期间内结案案件自受理日至结案日的自然日数的平均值（不扣除中止、公告期间）",
    },
    Definition {
        field: "cycle_days.median", name: "办案周期中位数（日）", formula: "同上自然日数的中位数（偶数个时取中间两数的平均）"
    },
    Definition {
        field: "deadline_risk",
        name: "未结案件审限风险",
        formula: "今日仍未结案件按距审限届满日的剩余自然日数分组；中止中的单列",
    },
];

/// The definition of a field.
pub fn definition(field: &str) -> Option<&'static Definition> {
    DEFINITIONS.iter().find(|d| d.field == field)
}

/// What the figures read of the cases of one track closed in the period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClosedCounts {
    pub closed: i64,
    /// Closed by the award deadline, and the cases for which that is known.
    pub within_limit: i64,
    pub limit_known: i64,
    pub awards: i64,
    /// Awards final in every item or in some (Law Art. 47).
    pub final_awards: i64,
    pub mediations: i64,
    /// Withdrawn, or treated as withdrawn (Law Art. 36, 41).
    pub withdrawals: i64,
    /// Ended at arbitration: mediated, withdrawn, or awarded with no suit and no petition that
    /// succeeded, as liaison staff recorded (rules.md §7, 仲裁终结率).
    pub ended: i64,
    /// Awarded, with no court outcome recorded yet.
    pub awaiting_court_outcome: i64,
    pub hearings_held: i64,
    pub postponements_granted: i64,
    /// Calendar days from acceptance to closure → cases.
    pub cycles: BTreeMap<i64, i64>,
}

impl ClosedCounts {
    fn add(&mut self, o: &ClosedCounts) {
        self.closed += o.closed;
        self.within_limit += o.within_limit;
        self.limit_known += o.limit_known;
        self.awards += o.awards;
        self.final_awards += o.final_awards;
        self.mediations += o.mediations;
        self.withdrawals += o.withdrawals;
        self.ended += o.ended;
        self.awaiting_court_outcome += o.awaiting_court_outcome;
        self.hearings_held += o.hearings_held;
        self.postponements_granted += o.postponements_granted;
        for (d, c) in &o.cycles {
            *self.cycles.entry(*d).or_insert(0) += c;
        }
    }
}

/// What the store counts for one track.
#[derive(Debug, Clone, Default)]
pub struct TrackCounts {
    pub accepted: i64,
    pub pending_at_start: i64,
    pub pending: i64,
    /// Year to date (the year of the period's end): closed, accepted, pending on 1 January.
    pub ytd_closed: i64,
    pub ytd_accepted: i64,
    pub ytd_pending_at_start: i64,
    pub closed: ClosedCounts,
}

/// A mean and a median, in days.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Cycle {
    pub mean: Option<f64>,
    pub median: Option<f64>,
    /// The closed cases they are taken over.
    pub cases: i64,
}

/// The figures of one track, or of all tracks together. Rates are fractions from 0 to 1, null
/// when their denominator is 0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Figures {
    pub accepted: i64,
    pub closed: i64,
    pub pending_at_start: i64,
    pub pending: i64,
    pub closure_rate: Option<f64>,
    pub cumulative_closure_rate: Option<f64>,
    pub within_limit_rate: Option<f64>,
    pub final_award_rate: Option<f64>,
    pub mediation_rate: Option<f64>,
    pub withdrawal_rate: Option<f64>,
    pub termination_rate: Option<f64>,
    pub awaiting_court_outcome: i64,
    pub postponement_rate: Option<f64>,
    pub cycle: Cycle,
}

/// `n ÷ d`, or none when `d` is 0.
pub fn rate(n: i64, d: i64) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

/// The median of a histogram of `(value, count)`: the middle value, or the mean of the two middle
/// values when the count is even.
pub fn median(histogram: &BTreeMap<i64, i64>) -> Option<f64> {
    let n: i64 = histogram.values().sum();
    if n == 0 {
        return None;
    }
    let nth = |k: i64| {
        let mut seen = 0;
        histogram.iter().find_map(|(v, c)| {
            seen += c;
            (seen > k).then_some(*v)
        })
    };
    let (lo, hi) = (nth((n - 1) / 2)?, nth(n / 2)?);
    Some((lo + hi) as f64 / 2.0)
}

impl TrackCounts {
    /// Sums the counts of several tracks (the whole commission).
    pub fn sum<'a>(all: impl IntoIterator<Item = &'a TrackCounts>) -> TrackCounts {
        let mut t = TrackCounts::default();
        for c in all {
            t.accepted += c.accepted;
            t.pending_at_start += c.pending_at_start;
            t.pending += c.pending;
            t.ytd_closed += c.ytd_closed;
            t.ytd_accepted += c.ytd_accepted;
            t.ytd_pending_at_start += c.ytd_pending_at_start;
            t.closed.add(&c.closed);
        }
        t
    }

    /// The figures these counts give.
    pub fn figures(&self) -> Figures {
        let c = &self.closed;
        let cycled: i64 = c.cycles.values().sum();
        let total: i64 = c.cycles.iter().map(|(d, n)| d * n).sum();
        Figures {
            accepted: self.accepted,
            closed: c.closed,
            pending_at_start: self.pending_at_start,
            pending: self.pending,
            closure_rate: rate(c.closed, self.accepted + self.pending_at_start),
            cumulative_closure_rate: rate(self.ytd_closed, self.ytd_accepted + self.ytd_pending_at_start),
            within_limit_rate: rate(c.within_limit, c.limit_known),
            final_award_rate: rate(c.final_awards, c.awards),
            mediation_rate: rate(c.mediations, c.closed),
            withdrawal_rate: rate(c.withdrawals, c.closed),
            termination_rate: rate(c.ended, c.closed),
            awaiting_court_outcome: c.awaiting_court_outcome,
            postponement_rate: rate(c.postponements_granted, c.hearings_held),
            cycle: Cycle { mean: (cycled > 0).then(|| total as f64 / cycled as f64), median: median(&c.cycles), cases: cycled },
        }
    }
}

/// How many days an open case has left before its award deadline, as the risk chart groups them.
pub fn risk_bucket(days_left: Option<i64>, suspended: bool) -> &'static str {
    match (suspended, days_left) {
        (true, _) => "suspended",
        (false, None) => "unknown",
        (false, Some(d)) if d < 0 => "overdue",
        (false, Some(0..=5)) => "within_5",
        (false, Some(6..=15)) => "within_15",
        (false, Some(16..=30)) => "within_30",
        (false, Some(_)) => "later",
    }
}

/// The risk buckets in order, with their Chinese labels.
pub const RISK_BUCKETS: [(&str, &str); 7] = [
    ("overdue", "已超审限"),
    ("within_5", "5日内届满"),
    ("within_15", "6–15日"),
    ("within_30", "16–30日"),
    ("later", "30日以上"),
    ("suspended", "中止中"),
    ("unknown", "日期未定"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        let h: BTreeMap<i64, i64> = [(2, 1), (17, 1), (38, 1), (49, 1)].into_iter().collect();
        assert_eq!(median(&h), Some(27.5));
        let h: BTreeMap<i64, i64> = [(10, 3), (20, 1)].into_iter().collect();
        assert_eq!(median(&h), Some(10.0));
        assert_eq!(median(&BTreeMap::new()), None);
    }

    #[test]
    fn a_rate_over_nothing_is_none_and_the_closure_rate_counts_cases_carried_over() {
        let t = TrackCounts {
            accepted: 3,
            pending_at_start: 2,
            closed: ClosedCounts { closed: 4, ..ClosedCounts::default() },
            ..TrackCounts::default()
        };
        let f = t.figures();
        assert_eq!(f.closure_rate, Some(0.8));
        assert_eq!(f.final_award_rate, None, "no awards, no final-award rate");
    }

    #[test]
    fn every_figure_has_one_definition() {
        let mut fields: Vec<&str> = DEFINITIONS.iter().map(|d| d.field).collect();
        fields.sort();
        fields.dedup();
        assert_eq!(fields.len(), DEFINITIONS.len());
        assert!(DEFINITIONS.iter().all(|d| !d.formula.is_empty() && !d.name.is_empty()));
    }
}
