//! `report.html`: a simulated year on one self-contained page (opens from disk, prints on A4):
//! the key figures, charts with their data tables, and the scenario as run.

use super::figures::SimFigures;
use crate::figures::chart;
use crate::law::routing::Track;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn num(x: Option<f64>) -> String {
    x.map_or("—".into(), |v| format!("{v:.1}"))
}

fn pct(x: Option<f64>) -> String {
    x.map_or("—".into(), |v| format!("{:.2}%", v * 100.0))
}

fn track_name(code: &str) -> &'static str {
    Track::parse(code).map_or("未知", |t| t.short_label())
}

/// The whole page.
pub fn html(f: &SimFigures, seconds: f64) -> String {
    let s = &f.scenario;
    let stat = |k: &str| f.stats.get(k).cloned().unwrap_or(serde_json::Value::Null);
    let rate = |k: &str| stat(k).as_f64();
    let mut h = String::new();
    h.push_str(&format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>模拟报告 · {}</title><style>{CSS}</style></head><body><main>",
        esc(&s.name)
    ));
    h.push_str(&format!(
        "<h1>{}</h1><p class=\"lead\">{}</p><p>模拟期间 {} 至 {}（{} 起不再收案），种子 {}。全部案件都经 greenlane 自己的用例办理：立案、分流、受理、送达、审限、排期（真实求解器）、开庭、裁决、调解与撤回。用时 {:.0} 秒。</p>",
        esc(&s.name),
        esc(&s.description),
        s.period.start,
        s.last_day(),
        s.period.end.succ_opt().unwrap_or(s.period.end),
        f.seed,
        seconds
    ));
    h.push_str("<h2>主要数字</h2><table><tbody>");
    let rows = [
        ("收案（期间内立案）", f.filed.to_string()),
        ("受理", stat("accepted").to_string()),
        ("结案", stat("closed").to_string()),
        ("审限内结案率", pct(rate("within_limit_rate"))),
        ("按审限计算核对的审限内结案率", pct(f.within_limit_by_clock)),
        ("累计结案率", pct(rate("cumulative_closure_rate"))),
        ("调解率", pct(rate("mediation_rate"))),
        ("撤诉率", pct(rate("withdrawal_rate"))),
        ("电子送达占比", pct(f.electronic_share)),
        ("仲裁员排庭利用率", pct(rate("arbitrator_utilisation"))),
        ("首次超审限日期", f.first_over_limit.map_or("无（全部在审限内）".into(), |d| d.to_string())),
        ("文书（其中排版为 PDF）", format!("{}（{}）", f.documents, f.typeset)),
    ];
    for (k, v) in rows {
        h.push_str(&format!("<tr><th scope=\"row\">{k}</th><td>{}</td></tr>", esc(&v)));
    }
    h.push_str("</tbody></table>");

    h.push_str("<h2>办案周期（自受理至结案，自然日）</h2><table><thead><tr><th>程序</th><th>结案</th><th>平均</th><th>中位数</th><th>P90</th><th>最长</th><th>受理至首次开庭（平均）</th></tr></thead><tbody>");
    // Tracks in the commission's order (green first), not alphabetical.
    let tracks: Vec<&str> = Track::ALL.iter().map(|t| t.code()).collect();
    for (t, c) in tracks.iter().filter_map(|t| f.cycle.get(*t).map(|c| (*t, c))) {
        let first = f.acceptance_to_first_hearing.get(t).and_then(|s| s.mean);
        h.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            track_name(t),
            c.cases,
            num(c.mean),
            num(c.median),
            num(c.p90),
            c.max.map_or("—".into(), |m| m.to_string()),
            num(first)
        ));
    }
    h.push_str("</tbody></table>");
    let hist: Vec<(&str, Vec<(i64, i64)>)> = f
        .stats
        .get("cycle_histogram")
        .and_then(|v| v.as_object())
        .map(|m| m.iter().map(|(t, v)| (track_name(t), serde_json::from_value(v.clone()).unwrap_or_default())).collect())
        .unwrap_or_default();
    h.push_str(&format!("<figure>{}</figure>", chart::cycle_distribution(&hist)));

    let names = ["受理", "送达", "答辩期", "等待排期", "裁决制作"];
    let in_order = || tracks.iter().filter_map(|t| f.steps.get(*t).map(|s| (*t, s)));
    let steps: Vec<(&str, Vec<f64>)> = in_order()
        .filter(|(_, s)| s.cases > 0)
        .map(|(t, s)| (track_name(t), vec![s.acceptance, s.service, s.defence, s.waiting, s.drafting]))
        .collect();
    h.push_str("<h2>时间花在哪里</h2>");
    h.push_str(&format!("<figure>{}</figure>", chart::steps(&names, &steps)));
    h.push_str("<table><thead><tr><th>程序</th><th>案件</th>");
    for n in names {
        h.push_str(&format!("<th>{n}</th>"));
    }
    h.push_str("</tr></thead><tbody>");
    for (t, s) in in_order().filter(|(_, s)| s.cases > 0) {
        h.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{:.1}</td><td>{:.1}</td><td>{:.1}</td><td>{:.1}</td><td>{:.1}</td></tr>",
            track_name(t),
            s.cases,
            s.acceptance,
            s.service,
            s.defence,
            s.waiting,
            s.drafting
        ));
    }
    h.push_str("</tbody></table><p class=\"note\">受理：申请至受理；送达：受理至被申请人收到副本；答辩期：收到副本至答辩期满或放弃答辩（不晚于开庭）；等待排期：可开庭至首次开庭；裁决制作：最后一次开庭至结案。只计开过庭并已结案的案件。</p>");

    let labels: Vec<String> = f.weekly.iter().map(|w| w.from.format("%-m/%-d").to_string()).collect();
    let backlog: Vec<f64> = f.weekly.iter().map(|w| w.backlog as f64).collect();
    let used: Vec<f64> = f.weekly.iter().map(|w| w.utilisation.unwrap_or(0.0) * 100.0).collect();
    h.push_str("<h2>每周积案与利用率</h2>");
    h.push_str(&format!("<figure>{}</figure>", chart::weekly_line("周末未结案件（已受理）", "件", &labels, &backlog)));
    h.push_str(&format!("<figure>{}</figure>", chart::weekly_line("仲裁员排庭利用率", "%", &labels, &used)));
    h.push_str("<details><summary>逐周数据</summary><table><thead><tr><th>周一</th><th>受理</th><th>结案</th><th>周末未结</th><th>利用率</th></tr></thead><tbody>");
    for w in &f.weekly {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            w.from.format("%Y年%-m月%-d日"),
            w.accepted,
            w.closed,
            w.backlog,
            pct(w.utilisation)
        ));
    }
    h.push_str("</tbody></table></details>");

    h.push_str("<h2>场景</h2><table><tbody>");
    let v = s.service;
    let o = s.outcomes;
    let st = s.staff;
    let scenario_rows = [
        ("年收案", format!("{} 件", s.intake.cases_per_year)),
        (
            "程序构成",
            format!(
                "小额速裁 {:.0}%，简易 {:.0}%，普通 {:.0}%，集体 {:.0}%",
                s.intake.tracks.green * 100.0,
                s.intake.tracks.simple * 100.0,
                s.intake.tracks.ordinary * 100.0,
                s.intake.tracks.collective * 100.0
            ),
        ),
        (
            "仲裁员与审理庭",
            format!(
                "仲裁员 {} 名（可任首席 {} 名，每日至多 {} 场，每年休假 {} 个工作日）；审理庭 {} 间（其中大庭 {} 间）",
                st.arbitrators, st.presiding, st.max_per_day, st.leave_days, st.rooms, st.large_rooms
            ),
        ),
        ("受理", format!("立案后 {}–{} 个工作日", s.clerks.accept_days[0], s.clerks.accept_days[1])),
        (
            "排期",
            format!(
                "{}，{}",
                if s.planning.every == "daily" { "每个工作日" } else { "每周一次" },
                if s.planning.solver == "greedy" {
                    "逐件放入首个可用时段（不搜索）".to_string()
                } else {
                    format!("优化求解（每次 {} 步搜索）", s.planning.iterations)
                }
            ),
        ),
        (
            "送达",
            format!(
                "申请人同意平台送达 {:.0}%；被申请人收到应诉通知后上网确认 {:.0}%；平台 {}–{} 日内查看；邮寄 {}–{} 日签收；公告送达 {:.0}%",
                v.applicant_electronic * 100.0,
                v.respondent_online * 100.0,
                v.platform_days[0],
                v.platform_days[1],
                v.post_days[0],
                v.post_days[1],
                v.public_notice * 100.0
            ),
        ),
        ("放弃答辩期", format!("上网的简易程序被申请人中 {:.0}%", v.waiver * 100.0)),
        ("缺席与延期", format!("申请人缺席 {:.0}%；延期开庭 {:.0}%", v.no_show * 100.0, v.postponement * 100.0)),
        ("结案方式", format!("调解 {:.0}%，撤回 {:.0}%，裁决 {:.0}%", o.mediation * 100.0, o.withdrawal * 100.0, o.award * 100.0)),
    ];
    for (k, val) in scenario_rows {
        h.push_str(&format!("<tr><th scope=\"row\">{k}</th><td>{}</td></tr>", esc(&val)));
    }
    h.push_str("</tbody></table></main></body></html>\n");
    h
}

const CSS: &str = "body{font-family:'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif;margin:0;color:#1a1a1a;background:#fff}\
main{max-width:60rem;margin:0 auto;padding:1rem}h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.95rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}\
thead th{background:#f2f2f2}figure{margin:1rem 0;overflow-x:auto}figure svg{max-width:100%;height:auto}.lead{font-size:1.1rem}.note{color:#555;font-size:.9rem}\
@media print{details{display:block}h2{break-after:avoid}figure{break-inside:avoid}}";
