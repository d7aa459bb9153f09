//! The commission's report figures: each one a named formula over counts the store gives, with its
//! definition in words (rules.md §7; the usual definitions, versioned here since no official text
//! was found). Pure: counts in, figures out.

pub mod chart;

use std::collections::BTreeMap;

use serde::Serialize;

/// The version of the definitions below; it changes whenever a formula does.
pub const DEFINITIONS_VERSION: &str = "greenlane-figures-2026.1";

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
    Definition { field: "final_award_rate", name: "终局裁决率", formula: "含终局裁决书（全部终局或部分终局）的裁决结案数 ÷ 裁决结案数" },
    Definition { field: "mediation_rate", name: "调解结案率", formula: "以调解书结案数 ÷ 结案数" },
    Definition { field: "withdrawal_rate", name: "撤诉率", formula: "申请人撤回及按撤回处理的结案数 ÷ 结案数" },
    Definition {
        field: "termination_rate",
        name: "仲裁终结率",
        formula: "争议在仲裁阶段终结的结案数（调解、撤回、按撤回处理、裁决后法院联络员登记未起诉或撤销申请被驳回/撤回）÷ 结案数；裁决后尚无法院登记的不计入分子",
    },
    Definition { field: "awaiting_court_outcome", name: "待登记法院情况数", formula: "期间内裁决结案、法院联络员尚未登记法院阶段情况的案件数" },
    Definition { field: "postponement_rate", name: "延期开庭率", formula: "申请日期在期间内、获准延期的开庭次数 ÷ 期间内实际开庭次数" },
    Definition {
        field: "arbitrator_utilisation",
        name: "仲裁员排庭利用率",
        formula: "期间内未取消庭审占用的仲裁员时段数（时段 × 仲裁员人数）÷ 在职仲裁员可排时段数（期间内工作日 × 每日时段 × 在职仲裁员人数，扣除请假的工作日）",
    },
    Definition { field: "cycle_days.mean", name: "平均办案周期（日）", formula: "期间内结案案件自受理日至结案日的自然日数的平均值（不扣除中止、公告期间）" },
    Definition { field: "cycle_days.median", name: "办案周期中位数（日）", formula: "同上自然日数的中位数（偶数个时取中间两数的平均）" },
    Definition { field: "deadline_risk", name: "未结案件审限风险", formula: "今日仍未结案件按距审限届满日的剩余自然日数分组；中止中的单列" },
];

/// The definition of a field.
pub fn definition(field: &str) -> Option<&'static Definition> {
    DEFINITIONS.iter().find(|d| d.field == field)
}

/// Closed cases of one track in the period, grouped by what the figures read of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClosedGroup {
    pub outcome: String,
    pub within_limit: Option<bool>,
    pub award_finality: Option<String>,
    pub court_outcome: Option<String>,
    pub court_result: Option<String>,
    pub cycle_days: Option<i64>,
    pub count: i64,
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
    pub closed: Vec<ClosedGroup>,
    pub hearings_held: i64,
    pub postponements_granted: i64,
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

/// Whether a closed case's dispute ended at arbitration (rules.md §7, 仲裁终结率).
fn ended_at_arbitration(g: &ClosedGroup) -> bool {
    match g.outcome.as_str() {
        "mediation" | "withdrawn" | "deemed_withdrawn" => true,
        // Law Art. 49: a petition dismissed or withdrawn leaves the final award standing.
        "award" => matches!(
            (g.court_outcome.as_deref(), g.court_result.as_deref()),
            (Some("no_suit"), _) | (Some("revocation_petition"), Some("upheld" | "withdrawn"))
        ),
        _ => false,
    }
}

/// The cycle-time histogram of closed groups: days → cases.
pub fn cycle_histogram(groups: &[ClosedGroup]) -> BTreeMap<i64, i64> {
    let mut h = BTreeMap::new();
    for g in groups {
        if let Some(d) = g.cycle_days {
            *h.entry(d).or_insert(0) += g.count;
        }
    }
    h
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
            t.closed.extend(c.closed.iter().cloned());
            t.hearings_held += c.hearings_held;
            t.postponements_granted += c.postponements_granted;
        }
        t
    }

    /// The figures these counts give.
    pub fn figures(&self) -> Figures {
        let count = |f: &dyn Fn(&ClosedGroup) -> bool| self.closed.iter().filter(|g| f(g)).map(|g| g.count).sum::<i64>();
        let closed = count(&|_| true);
        let awards = count(&|g| g.outcome == "award");
        let histogram = cycle_histogram(&self.closed);
        let cycled: i64 = histogram.values().sum();
        let total: i64 = histogram.iter().map(|(d, c)| d * c).sum();
        Figures {
            accepted: self.accepted,
            closed,
            pending_at_start: self.pending_at_start,
            pending: self.pending,
            closure_rate: rate(closed, self.accepted + self.pending_at_start),
            cumulative_closure_rate: rate(self.ytd_closed, self.ytd_accepted + self.ytd_pending_at_start),
            within_limit_rate: rate(count(&|g| g.within_limit == Some(true)), count(&|g| g.within_limit.is_some())),
            final_award_rate: rate(count(&|g| g.outcome == "award" && matches!(g.award_finality.as_deref(), Some("final" | "mixed"))), awards),
            mediation_rate: rate(count(&|g| g.outcome == "mediation"), closed),
            withdrawal_rate: rate(count(&|g| matches!(g.outcome.as_str(), "withdrawn" | "deemed_withdrawn")), closed),
            termination_rate: rate(count(&ended_at_arbitration), closed),
            awaiting_court_outcome: count(&|g| g.outcome == "award" && g.court_outcome.is_none()),
            postponement_rate: rate(self.postponements_granted, self.hearings_held),
            cycle: Cycle { mean: (cycled > 0).then(|| total as f64 / cycled as f64), median: median(&histogram), cases: cycled },
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
