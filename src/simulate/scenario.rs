//! A simulation scenario (TOML): the intake, the staff and rooms, the clerks' and the parties'
//! habits and the outcomes, read whole and refused with every problem named (file, key, rule).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::law::calendar::WorkingCalendar;

/// A scenario as run (`figures.json` carries it back).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// What the scenario stands for, in a line.
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub period: Period,
    pub intake: Intake,
    pub staff: Staff,
    pub clerks: Clerks,
    pub planning: Planning,
    pub service: Service,
    pub outcomes: Outcomes,
}

/// The days cases are filed on, and how long the run goes on after them for the cases to close.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Calendar days after `end` the commission goes on working (no new cases) so the last cases close.
    #[serde(default = "default_tail")]
    pub tail_days: u32,
}

fn default_tail() -> u32 {
    90
}

/// Cases per year, the track mix, and the season around Spring Festival.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Intake {
    pub cases_per_year: u32,
    pub tracks: Shares4,
    #[serde(default)]
    pub spring_festival: Option<Festival>,
}

/// Shares of the four tracks; they add up to 1.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Shares4 {
    pub green: f64,
    pub simple: f64,
    pub ordinary: f64,
    pub collective: f64,
}

/// Intake before and after Spring Festival's eve (除夕): wage claims rise before, and fall after.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Festival {
    pub eve: NaiveDate,
    pub weeks_before: u32,
    pub factor_before: f64,
    pub weeks_after: u32,
    pub factor_after: f64,
}

/// The tribunal's people and rooms.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Staff {
    pub arbitrators: u32,
    /// How many of them may preside (ordinary and collective cases need one).
    pub presiding: u32,
    pub max_per_day: u32,
    pub rooms: u32,
    pub seats: u32,
    /// Rooms with 40 seats for collective cases, among `rooms`.
    #[serde(default = "one")]
    pub large_rooms: u32,
    /// Working days of leave per arbitrator and year, taken in blocks of five.
    #[serde(default)]
    pub leave_days: u32,
}

fn one() -> u32 {
    1
}

/// How fast the clerks accept: working days after filing, drawn evenly from the range.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Clerks {
    pub accept_days: [u32; 2],
}

/// How hearings are planned.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Planning {
    /// `daily` or `weekly`.
    pub every: String,
    /// For weekly planning: 1 (Monday) to 5 (Friday).
    #[serde(default = "one")]
    pub weekday: u32,
    /// `optimised` (construction and search) or `greedy` (the construction alone: a clerk's first fit).
    pub solver: String,
    /// Search iterations per run (a fixed budget, so every machine plans the same).
    #[serde(default = "default_iterations")]
    pub iterations: u64,
}

fn default_iterations() -> u64 {
    3000
}

/// Service of documents and the parties' habits.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Applicants who consent at filing to service on the platform (awards included).
    pub applicant_electronic: f64,
    /// Respondents who, once the notice to answer reaches them, sign in and consent to platform service.
    pub respondent_online: f64,
    /// Days from issue until a party opens a document on the platform.
    pub platform_days: [u32; 2],
    /// Days from posting until the receipt is signed.
    pub post_days: [u32; 2],
    /// Respondents the post cannot reach: served by public notice (deemed served 30 days later).
    pub public_notice: f64,
    /// Online respondents under the simplified procedure who waive the defence period.
    pub waiver: f64,
    /// When a respondent waives the defence period, the parties also agree to less than 5 working
    /// days' notice of the hearing (Law Art. 35; simplified procedure only), and the clerk brings
    /// the hearing forward.
    #[serde(default)]
    pub short_notice_on_waiver: bool,
    /// Hearings the applicant stays away from (treated as withdrawn).
    pub no_show: f64,
    /// Hearings postponed on a party's request.
    pub postponement: f64,
}

/// How cases end, and how long an award takes to write.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Outcomes {
    pub mediation: f64,
    pub withdrawal: f64,
    pub award: f64,
    /// Of the mediated cases, those settled before the hearing (庭前调解) rather than at it.
    pub mediated_before_hearing: f64,
    /// Calendar days from acceptance to a withdrawal or a settlement before the hearing.
    pub settle_days: [u32; 2],
    /// Working days from the hearing to the award, per track.
    pub drafting_days: Drafting,
}

/// A range of working days per track.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Drafting {
    pub green: [u32; 2],
    pub simple: [u32; 2],
    pub ordinary: [u32; 2],
    pub collective: [u32; 2],
}

/// One problem of a scenario: where, and what rule it breaks.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub key: String,
    pub rule: String,
}

/// Every problem of a scenario file, for the person who wrote it.
#[derive(Debug)]
pub struct Refused {
    pub file: String,
    pub problems: Vec<Problem>,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "场景文件 {} 有 {} 处问题，未运行，未写入任何文件：", self.file, self.problems.len())?;
        for p in &self.problems {
            writeln!(f, "  {}: {}：{}", self.file, p.key, p.rule)?;
        }
        Ok(())
    }
}

/// The keys a scenario may have, section by section (the rest are refused by name).
const KEYS: &[(&str, &[&str])] = &[
    ("", &["name", "description", "period", "intake", "staff", "clerks", "planning", "service", "outcomes"]),
    ("period", &["start", "end", "tail_days"]),
    ("intake", &["cases_per_year", "tracks", "spring_festival"]),
    ("intake.tracks", &["green", "simple", "ordinary", "collective"]),
    ("intake.spring_festival", &["eve", "weeks_before", "factor_before", "weeks_after", "factor_after"]),
    ("staff", &["arbitrators", "presiding", "max_per_day", "rooms", "seats", "large_rooms", "leave_days"]),
    ("clerks", &["accept_days"]),
    ("planning", &["every", "weekday", "solver", "iterations"]),
    (
        "service",
        &[
            "applicant_electronic",
            "respondent_online",
            "platform_days",
            "post_days",
            "public_notice",
            "waiver",
            "short_notice_on_waiver",
            "no_show",
            "postponement",
        ],
    ),
    ("outcomes", &["mediation", "withdrawal", "award", "mediated_before_hearing", "settle_days", "drafting_days"]),
    ("outcomes.drafting_days", &["green", "simple", "ordinary", "collective"]),
];

impl Scenario {
    /// Reads a scenario from TOML text, with `overrides` (`key=value`, as on the command line)
    /// applied first; refused with every problem found.
    pub fn parse(file: &str, text: &str, overrides: &[(String, String)], calendar: &WorkingCalendar) -> Result<Scenario, Refused> {
        let refuse = |problems| Refused { file: file.to_string(), problems };
        let mut table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            refuse(vec![Problem { key: "(文件)".into(), rule: format!("不是有效的 TOML：{}", e.message()) }])
        })?;
        let mut problems = Vec::new();
        for (key, value) in overrides {
            if let Err(rule) = set(&mut table, key, value) {
                problems.push(Problem { key: key.clone(), rule });
            }
        }
        unknown_keys(&table, "", &mut problems);
        if !problems.is_empty() {
            return Err(refuse(problems));
        }
        let scenario: Scenario = serde_path_to_error::deserialize(toml::Value::Table(table)).map_err(|e| {
            let key = e.path().to_string();
            refuse(vec![Problem { key: if key == "." { "(文件)".into() } else { key }, rule: format!("{}", e.inner()) }])
        })?;
        scenario.check(calendar, &mut problems);
        if problems.is_empty() { Ok(scenario) } else { Err(refuse(problems)) }
    }

    /// The rules a well-formed scenario must also keep.
    fn check(&self, calendar: &WorkingCalendar, problems: &mut Vec<Problem>) {
        let mut bad = |key: &str, rule: String| problems.push(Problem { key: key.into(), rule });
        let p = &self.period;
        if p.end < p.start {
            bad("period.end", format!("结束日 {} 早于开始日 {}", p.end, p.start));
        }
        let last = p.end + chrono::Duration::days(i64::from(p.tail_days) + 120);
        for (key, day) in [("period.start", p.start), ("period.end", last)] {
            if !calendar.is_loaded(day.year()) {
                bad(key, format!("{} 年的节假日安排未载入，无法按法定工作日计算（可用 greenlane calendar load 载入）", day.year()));
            }
        }
        if p.tail_days > 365 {
            bad("period.tail_days", "最多 365 天".into());
        }
        let i = &self.intake;
        if !(1..=200_000).contains(&i.cases_per_year) {
            bad("intake.cases_per_year", "应在 1 到 200000 件之间".into());
        }
        let t = i.tracks;
        shares(
            &mut bad,
            "intake.tracks",
            &[("green", t.green), ("simple", t.simple), ("ordinary", t.ordinary), ("collective", t.collective)],
        );
        if let Some(f) = i.spring_festival {
            for (key, v) in [("factor_before", f.factor_before), ("factor_after", f.factor_after)] {
                if !(v.is_finite() && (0.0..=10.0).contains(&v)) {
                    bad(&format!("intake.spring_festival.{key}"), format!("倍数 {v} 应在 0 到 10 之间"));
                }
            }
            if f.weeks_before > 12 || f.weeks_after > 12 {
                bad("intake.spring_festival", "前后各最多 12 周".into());
            }
        }
        let s = self.staff;
        if !(1..=500).contains(&s.arbitrators) {
            bad("staff.arbitrators", "应在 1 到 500 名之间".into());
        }
        if s.presiding == 0 || s.presiding > s.arbitrators {
            bad("staff.presiding", format!("可任首席的仲裁员应在 1 到 {} 名之间", s.arbitrators));
        }
        if !(1..=12).contains(&s.max_per_day) {
            bad("staff.max_per_day", "每日庭审上限应在 1 到 12 场之间".into());
        }
        if !(1..=200).contains(&s.rooms) {
            bad("staff.rooms", "应在 1 到 200 间之间".into());
        }
        if s.large_rooms > s.rooms {
            bad("staff.large_rooms", format!("大审理庭不能多于审理庭总数 {}", s.rooms));
        }
        if !(2..=500).contains(&s.seats) {
            bad("staff.seats", "座位应在 2 到 500 之间".into());
        }
        if s.leave_days > 60 {
            bad("staff.leave_days", "每年最多 60 个工作日".into());
        }
        range(&mut bad, "clerks.accept_days", self.clerks.accept_days, 5);
        let pl = &self.planning;
        if !matches!(pl.every.as_str(), "daily" | "weekly") {
            bad("planning.every", format!("“{}”应为 daily（每日）或 weekly（每周）", pl.every));
        }
        if !(1..=5).contains(&pl.weekday) {
            bad("planning.weekday", "应为 1（周一）到 5（周五）".into());
        }
        if !matches!(pl.solver.as_str(), "optimised" | "greedy") {
            bad("planning.solver", format!("“{}”应为 optimised（优化）或 greedy（逐件首个可用时段）", pl.solver));
        }
        if pl.iterations > 1_000_000 {
            bad("planning.iterations", "最多 1000000 次".into());
        }
        let v = self.service;
        for (key, x) in [
            ("applicant_electronic", v.applicant_electronic),
            ("respondent_online", v.respondent_online),
            ("public_notice", v.public_notice),
            ("waiver", v.waiver),
            ("no_show", v.no_show),
            ("postponement", v.postponement),
        ] {
            rate(&mut bad, &format!("service.{key}"), x);
        }
        range(&mut bad, "service.platform_days", v.platform_days, 30);
        range(&mut bad, "service.post_days", v.post_days, 30);
        let o = self.outcomes;
        shares(&mut bad, "outcomes", &[("mediation", o.mediation), ("withdrawal", o.withdrawal), ("award", o.award)]);
        rate(&mut bad, "outcomes.mediated_before_hearing", o.mediated_before_hearing);
        range(&mut bad, "outcomes.settle_days", o.settle_days, 60);
        let d = o.drafting_days;
        for (key, r) in [("green", d.green), ("simple", d.simple), ("ordinary", d.ordinary), ("collective", d.collective)] {
            range(&mut bad, &format!("outcomes.drafting_days.{key}"), r, 30);
        }
    }

    /// The last simulated day: the tail after the last filing.
    pub fn last_day(&self) -> NaiveDate {
        self.period.end + chrono::Duration::days(i64::from(self.period.tail_days))
    }
}

/// A rate: a number from 0 to 1.
fn rate(bad: &mut impl FnMut(&str, String), key: &str, x: f64) {
    if !(x.is_finite() && (0.0..=1.0).contains(&x)) {
        bad(key, format!("比例 {x} 应在 0 到 1 之间"));
    }
}

/// Shares: each a rate, together 1.
fn shares(bad: &mut impl FnMut(&str, String), key: &str, parts: &[(&str, f64)]) {
    for (k, x) in parts {
        rate(bad, &format!("{key}.{k}"), *x);
    }
    let sum: f64 = parts.iter().map(|(_, x)| x).sum();
    if (sum - 1.0).abs() > 1e-6 {
        let names: Vec<&str> = parts.iter().map(|(k, _)| *k).collect();
        bad(key, format!("{} 之和应为 1，现为 {sum:.4}", names.join(" + ")));
    }
}

/// A range `[low, high]` of days, with `low ≤ high ≤ max`.
fn range(bad: &mut impl FnMut(&str, String), key: &str, r: [u32; 2], max: u32) {
    if r[0] > r[1] || r[1] > max {
        bad(key, format!("范围 [{}, {}] 应满足 最小 ≤ 最大 ≤ {max}", r[0], r[1]));
    }
}

/// Every key of `table` (under `path`) the scenario does not know.
fn unknown_keys(table: &toml::Table, path: &str, problems: &mut Vec<Problem>) {
    let known = KEYS.iter().find(|(p, _)| *p == path).map(|(_, k)| *k).unwrap_or(&[]);
    for (k, v) in table {
        let full = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
        if !known.contains(&k.as_str()) {
            problems.push(Problem { key: full, rule: "未知的设置项（拼写是否有误？）".into() });
        } else if let toml::Value::Table(t) = v {
            unknown_keys(t, &full, problems);
        }
    }
}

/// Sets `key` (dotted) to `value`, read as TOML (a number, a boolean, an array) or else as text.
fn set(table: &mut toml::Table, key: &str, value: &str) -> Result<(), String> {
    let parsed: toml::Value = format!("v = {value}")
        .parse::<toml::Table>()
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(value.to_string()));
    let mut parts: Vec<&str> = key.split('.').collect();
    let Some(last) = parts.pop().filter(|l| !l.is_empty()) else { return Err("设置项名称为空".into()) };
    let mut at = table;
    for p in parts {
        at = match at.entry(p.to_string()).or_insert_with(|| toml::Value::Table(toml::Table::new())) {
            toml::Value::Table(t) => t,
            _ => return Err(format!("“{p}”不是一节设置，不能再往下设置")),
        };
    }
    at.insert(last.to_string(), parsed);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = include_str!("../../scenarios/zhongshan-2025-greenlane.toml");

    fn calendar() -> WorkingCalendar {
        crate::config::Config::load(None).expect("defaults load").calendar
    }

    #[test]
    fn the_shipped_scenarios_are_valid() {
        let cal = calendar();
        assert!(Scenario::parse("g", GOOD, &[], &cal).is_ok());
        assert!(Scenario::parse("t", include_str!("../../scenarios/zhongshan-2025-today.toml"), &[], &cal).is_ok());
    }

    #[test]
    fn a_scenario_with_every_kind_of_fault_names_each() {
        let over = [
            ("staff.colour".to_string(), "\"red\"".to_string()),
            ("intake.tracks.green".to_string(), "0.9".to_string()),
            ("service.waiver".to_string(), "-0.2".to_string()),
            ("period.start".to_string(), "1990-01-01".to_string()),
        ];
        let err = Scenario::parse("s.toml", GOOD, &over[..1], &calendar()).unwrap_err();
        assert_eq!(err.problems.iter().map(|p| p.key.as_str()).collect::<Vec<_>>(), ["staff.colour"]);
        let err = Scenario::parse("s.toml", GOOD, &over[1..], &calendar()).unwrap_err();
        let keys: Vec<&str> = err.problems.iter().map(|p| p.key.as_str()).collect();
        assert!(keys.contains(&"intake.tracks"), "{keys:?}");
        assert!(keys.contains(&"service.waiver"), "{keys:?}");
        assert!(keys.contains(&"period.start"), "{keys:?}");
        assert!(err.to_string().contains("s.toml: service.waiver"));
    }

    #[test]
    fn an_override_sets_a_nested_number() {
        let s = Scenario::parse("g", GOOD, &[("staff.arbitrators".into(), "24".into())], &calendar()).unwrap();
        assert_eq!(s.staff.arbitrators, 24);
    }
}
