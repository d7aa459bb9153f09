//! Runs side by side: one run's summary, two scenarios compared, and a sweep's table with the
//! smallest value that keeps every case within its limit and the green channel under a target.

use super::figures::SimFigures;

/// One line of the comparison: its label and how to read it from the figures.
struct Measure {
    label: &'static str,
    read: fn(&SimFigures) -> Option<f64>,
    percent: bool,
}

fn stat(f: &SimFigures, key: &str) -> Option<f64> {
    f.stats.get(key).and_then(|v| v.as_f64())
}

const MEASURES: [Measure; 12] = [
    Measure { label: "收案", read: |f| Some(f.filed as f64), percent: false },
    Measure { label: "结案", read: |f| stat(f, "closed"), percent: false },
    Measure { label: "审限内结案率", read: |f| stat(f, "within_limit_rate"), percent: true },
    Measure { label: "小额速裁 平均周期（日）", read: |f| f.cycle.get("green").and_then(|c| c.mean), percent: false },
    Measure { label: "小额速裁 中位数", read: |f| f.cycle.get("green").and_then(|c| c.median), percent: false },
    Measure { label: "小额速裁 P90", read: |f| f.cycle.get("green").and_then(|c| c.p90), percent: false },
    Measure { label: "小额速裁 最长", read: |f| f.cycle.get("green").and_then(|c| c.max.map(|m| m as f64)), percent: false },
    Measure { label: "简易 平均周期", read: |f| f.cycle.get("simple").and_then(|c| c.mean), percent: false },
    Measure { label: "普通 平均周期", read: |f| f.cycle.get("ordinary").and_then(|c| c.mean), percent: false },
    Measure { label: "电子送达占比", read: |f| f.electronic_share, percent: true },
    Measure {
        label: "速裁 受理至首次开庭（日）",
        read: |f| f.acceptance_to_first_hearing.get("green").and_then(|c| c.mean),
        percent: false,
    },
    Measure { label: "仲裁员排庭利用率", read: |f| stat(f, "arbitrator_utilisation"), percent: true },
];

fn show(x: Option<f64>, percent: bool) -> String {
    match x {
        None => "—".into(),
        Some(v) if percent => format!("{:.2}%", v * 100.0),
        Some(v) if v.fract() == 0.0 => format!("{v:.0}"),
        Some(v) => format!("{v:.2}"),
    }
}

/// One run's key figures, a line each.
pub fn summary(f: &SimFigures) -> String {
    let mut out = format!("{}（种子 {}）\n", f.scenario.name, f.seed);
    for m in &MEASURES {
        out.push_str(&format!("  {:<28}{}\n", m.label, show((m.read)(f), m.percent)));
    }
    out.push_str(&format!("  {:<28}{}\n", "首次超审限", f.first_over_limit.map_or("无".into(), |d| d.to_string())));
    out
}

/// Two runs side by side, with B − A.
pub fn side_by_side(a: &SimFigures, b: &SimFigures) -> String {
    let mut out = format!("{:<28}{:>16}{:>16}{:>14}\n", "", format!("A {}", a.scenario.name), format!("B {}", b.scenario.name), "B − A");
    for m in &MEASURES {
        let (x, y) = ((m.read)(a), (m.read)(b));
        let diff = match (x, y) {
            (Some(x), Some(y)) if m.percent => format!("{:+.2} 个百分点", (y - x) * 100.0),
            (Some(x), Some(y)) => format!("{:+.2}", y - x),
            _ => "—".into(),
        };
        out.push_str(&format!("{:<28}{:>16}{:>16}{:>14}\n", m.label, show(x, m.percent), show(y, m.percent), diff));
    }
    out
}

/// Whether a run keeps every case within its limit and the green channel's mean under `target`.
pub fn meets(f: &SimFigures, target: f64) -> bool {
    let all_within = stat(f, "within_limit_rate").is_none_or(|r| r >= 1.0) && f.first_over_limit.is_none();
    all_within && f.cycle.get("green").and_then(|c| c.mean).is_some_and(|m| m <= target)
}

/// A sweep: per value the green cycle, the within-limit rate and utilisation, and the smallest
/// value that meets the target.
pub fn sweep_table(key: &str, runs: &[(String, SimFigures)], target: f64) -> String {
    let mut out = format!("{:<12}{:>18}{:>14}{:>14}{:>10}\n", key, "速裁平均周期（日）", "审限内结案率", "排庭利用率", "达标");
    for (v, f) in runs {
        out.push_str(&format!(
            "{:<12}{:>18}{:>14}{:>14}{:>10}\n",
            v,
            show(f.cycle.get("green").and_then(|c| c.mean), false),
            show(stat(f, "within_limit_rate"), true),
            show(stat(f, "arbitrator_utilisation"), true),
            if meets(f, target) { "是" } else { "否" }
        ));
    }
    match runs.iter().find(|(_, f)| meets(f, target)) {
        Some((v, _)) => out.push_str(&format!("满足“全部审限内结案、速裁平均周期不超过 {target} 日”的最小 {key}：{v}\n")),
        None => out.push_str(&format!("扫描范围内没有取值能做到全部审限内结案且速裁平均周期不超过 {target} 日\n")),
    }
    out
}
