//! Spreadsheet exports: the figures of a period and a filtered case list, as CSV in UTF-8 with a
//! byte-order mark so spreadsheet programs read the Chinese text correctly.

use super::AppError;
use super::cases::CaseSummary;
use super::documents::Download;
use super::figures::Stats;
use crate::figures::{DEFINITIONS, Figures};
use crate::law::routing::Track;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A CSV writer that neutralises every cell a spreadsheet would run as a formula.
struct Writer(csv::Writer<Vec<u8>>);

impl Writer {
    fn write_record<I: IntoIterator<Item = T>, T: AsRef<str>>(&mut self, record: I) -> csv::Result<()> {
        self.0.write_record(record.into_iter().map(|cell| neutralise(cell.as_ref()).into_owned()))
    }
}

/// A cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula by
/// spreadsheet programs (CSV injection): a leading apostrophe makes it text, as OWASP advises.
/// Figures are never negative, so no number is touched.
fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

fn writer() -> Writer {
    Writer(csv::WriterBuilder::new().flexible(true).from_writer(BOM.to_vec()))
}

fn finish(w: Writer, file_name: String) -> Result<Download, AppError> {
    let bytes = w.0.into_inner().map_err(|e| anyhow::anyhow!("CSV: {e}"))?;
    Ok(Download { file_name, bytes })
}

/// A rate as a spreadsheet reader expects it: 83.33%.
fn rate(r: Option<f64>) -> String {
    r.map(|r| format!("{:.2}%", r * 100.0)).unwrap_or_default()
}

fn days(d: Option<f64>) -> String {
    d.map(|d| format!("{d:.1}")).unwrap_or_default()
}

fn row(scope: &str, f: &Figures, utilisation: Option<f64>) -> Vec<String> {
    vec![
        scope.to_string(),
        f.accepted.to_string(),
        f.closed.to_string(),
        f.pending_at_start.to_string(),
        f.pending.to_string(),
        rate(f.closure_rate),
        rate(f.cumulative_closure_rate),
        rate(f.within_limit_rate),
        rate(f.final_award_rate),
        rate(f.mediation_rate),
        rate(f.withdrawal_rate),
        rate(f.termination_rate),
        f.awaiting_court_outcome.to_string(),
        rate(f.postponement_rate),
        rate(utilisation),
        days(f.cycle.mean),
        days(f.cycle.median),
    ]
}

/// The figures as one table: a header of Chinese names, then one row for all tracks and one per
/// track, each with the electronic share of service, the period and the definitions' version (the
/// definitions themselves are on the page and in the API).
pub fn figures_csv(s: &Stats) -> Result<Download, AppError> {
    let mut w = writer();
    let fields: Vec<&str> = DEFINITIONS.iter().map(|d| d.field).filter(|f| *f != "deadline_risk").collect();
    let names = std::iter::once("范围").chain(fields.iter().map(|f| crate::figures::definition(f).map_or(*f, |d| d.name))).chain([
        "电子送达占比",
        "统计期间",
        "口径版本",
    ]);
    let csv = |e: csv::Error| AppError::from(anyhow::anyhow!("CSV: {e}"));
    w.write_record(names).map_err(csv)?;
    let period = format!("{} 至 {}", s.from, s.to);
    let tail = |electronic: Option<f64>| [rate(electronic), period.clone(), s.definitions_version.to_string()];
    let scope = s.track.as_deref().and_then(Track::parse).map_or("全部程序", Track::label);
    w.write_record(row(scope, &s.all, s.arbitrator_utilisation).into_iter().chain(tail(s.service.electronic_share))).map_err(csv)?;
    if s.track.is_none() {
        for (code, f) in &s.by_track {
            let label = Track::parse(code).map_or_else(|| code.clone(), |t| t.label().to_string());
            w.write_record(row(&label, f, None).into_iter().chain(tail(None))).map_err(csv)?;
        }
    }
    finish(w, format!("figures-{}-{}.csv", s.from, s.to))
}

/// The case list as filtered.
pub fn cases_csv(items: &[CaseSummary]) -> Result<Download, AppError> {
    let mut w = writer();
    let csv = |e: csv::Error| AppError::from(anyhow::anyhow!("CSV: {e}"));
    w.write_record([
        "案件编号",
        "案号",
        "状态",
        "程序",
        "申请人",
        "被申请人",
        "请求金额（元）",
        "申请日期",
        "受理日期",
        "结案方式",
        "结案日期",
    ])
    .map_err(csv)?;
    for c in items {
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        w.write_record([
            c.id.as_str(),
            c.case_no.as_deref().unwrap_or(""),
            c.status.label(),
            c.track.label(),
            c.applicant.as_str(),
            c.respondent.as_str(),
            c.claimed_total.as_str(),
            &c.filed_on.to_string(),
            &date(c.accepted_on),
            c.outcome.map_or("", |o| o.label()),
            &date(c.closed_on),
        ])
        .map_err(csv)?;
    }
    finish(w, "cases.csv".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_that_would_run_as_a_formula_is_kept_as_text() {
        for evil in ["=HYPERLINK(\"http://x\",\"点此\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(evil), format!("'{evil}"));
        }
        for fine in ["张三", "8600.00", "0.9500", "", "中劳人仲案字〔2026〕第1号"] {
            assert_eq!(neutralise(fine), fine);
        }
    }
}
