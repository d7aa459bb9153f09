//! The figures page: the commission's report figures for a period with their definitions, three
//! charts, and the spreadsheet exports; the filtered case list as CSV.

use crate::http::pages::PageStaff;
use crate::law::service::Channel;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};

use super::{no_store, page_error, render};
use crate::app::cases::{self, ListQuery};
use crate::app::export;
use crate::app::figures::{self, Stats, StatsQuery};
use crate::figures::{Figures, chart, definition};
use crate::http::AppState;
use crate::http::cases::ListParams;
use crate::http::documents::file;
use crate::law::routing::Track;

/// A figure as the page shows it.
struct Line {
    name: &'static str,
    value: String,
    formula: &'static str,
}

fn percent(r: Option<f64>) -> String {
    r.map(|r| format!("{:.1}%", r * 100.0)).unwrap_or_else(|| "—".into())
}

fn lines(f: &Figures, utilisation: Option<f64>) -> Vec<Line> {
    let days = |d: Option<f64>| d.map(|d| format!("{d:.1} 日")).unwrap_or_else(|| "—".into());
    [
        ("accepted", f.accepted.to_string()),
        ("closed", f.closed.to_string()),
        ("pending_at_start", f.pending_at_start.to_string()),
        ("pending", f.pending.to_string()),
        ("closure_rate", percent(f.closure_rate)),
        ("cumulative_closure_rate", percent(f.cumulative_closure_rate)),
        ("within_limit_rate", percent(f.within_limit_rate)),
        ("final_award_rate", percent(f.final_award_rate)),
        ("mediation_rate", percent(f.mediation_rate)),
        ("withdrawal_rate", percent(f.withdrawal_rate)),
        ("termination_rate", percent(f.termination_rate)),
        ("awaiting_court_outcome", f.awaiting_court_outcome.to_string()),
        ("postponement_rate", percent(f.postponement_rate)),
        ("arbitrator_utilisation", percent(utilisation)),
        ("cycle_days.mean", days(f.cycle.mean)),
        ("cycle_days.median", days(f.cycle.median)),
    ]
    .into_iter()
    .filter_map(|(field, value)| definition(field).map(|d| Line { name: d.name, value, formula: d.formula }))
    .collect()
}

/// One track's row of the comparison table.
struct TrackRow {
    label: &'static str,
    accepted: i64,
    closed: i64,
    within: String,
    mean: String,
    median: String,
    mediation: String,
    final_award: String,
}

/// One channel's line of the service table.
struct ChannelRow {
    label: &'static str,
    served: i64,
    median: String,
}

#[derive(Template)]
#[template(path = "figures.html")]
struct FiguresPage<'a> {
    commission: &'a str,
    from: String,
    to: String,
    track: String,
    query: String,
    lines: Vec<Line>,
    tracks: Vec<TrackRow>,
    monthly_svg: String,
    cycle_svg: String,
    risk_svg: String,
    /// The data behind each chart, as tables.
    months: Vec<(String, i64, i64)>,
    hist: Vec<(&'static str, Vec<(i64, i64)>)>,
    risk: Vec<(&'static str, i64)>,
    risk_formula: &'static str,
    version: &'static str,
    channels: Vec<ChannelRow>,
    served: i64,
    electronic_share: String,
    service_formulas: [&'static str; 3],
}

fn query_string(q: &StatsQuery) -> String {
    [("from", &q.from), ("to", &q.to), ("track", &q.track)]
        .iter()
        .filter_map(|(k, v)| {
            v.as_deref().filter(|v| !v.is_empty()).map(|v| {
                format!(
                    "{k}={}",
                    v.bytes()
                        .map(|b| if b.is_ascii_alphanumeric() || b == b'-' { (b as char).to_string() } else { format!("%{b:02X}") })
                        .collect::<String>()
                )
            })
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn page(commission: &str, q: &StatsQuery, s: &Stats) -> Response {
    let tracks = s
        .by_track
        .iter()
        .map(|(code, f)| TrackRow {
            label: Track::parse(code).map_or("", Track::label),
            accepted: f.accepted,
            closed: f.closed,
            within: percent(f.within_limit_rate),
            mean: f.cycle.mean.map(|d| format!("{d:.1}")).unwrap_or_else(|| "—".into()),
            median: f.cycle.median.map(|d| format!("{d:.1}")).unwrap_or_else(|| "—".into()),
            mediation: percent(f.mediation_rate),
            final_award: percent(f.final_award_rate),
        })
        .collect();
    let months: Vec<(String, i64, i64)> = s.monthly.iter().map(|m| (m.month.clone(), m.accepted, m.closed)).collect();
    let hist: Vec<(&str, Vec<(i64, i64)>)> = s
        .cycle_histogram
        .iter()
        .filter(|(_, h)| !h.is_empty())
        .map(|(code, h)| (Track::parse(code).map_or("", Track::label), h.clone()))
        .collect();
    let risk: Vec<(&str, i64)> = s.deadline_risk.iter().map(|b| (b.label, b.cases)).collect();
    render(FiguresPage {
        commission,
        from: s.from.to_string(),
        to: s.to.to_string(),
        track: s.track.clone().unwrap_or_default(),
        query: query_string(q),
        lines: lines(&s.all, s.arbitrator_utilisation),
        tracks,
        monthly_svg: chart::monthly(&months),
        cycle_svg: chart::cycle_distribution(&hist),
        risk_svg: chart::deadline_risk(&risk),
        months,
        hist,
        risk,
        risk_formula: definition("deadline_risk").map_or("", |d| d.formula),
        version: s.definitions_version,
        channels: Channel::ALL
            .iter()
            .filter_map(|c| s.service.by_channel.get(c.code()).map(|f| (c, f)))
            .map(|(c, f)| ChannelRow {
                label: c.label(),
                served: f.served,
                median: f.median_days.map(|d| format!("{d:.1}")).unwrap_or_else(|| "—".into()),
            })
            .collect(),
        served: s.service.served,
        electronic_share: percent(s.service.electronic_share),
        service_formulas: crate::figures::service::DEFINITIONS.map(|d| d.formula),
    })
}

/// `GET /staff/stats`: the figures of the period asked for (default: this year to date).
pub async fn figures_page(State(state): State<AppState>, PageStaff(staff): PageStaff, Query(q): Query<StatsQuery>) -> Response {
    match figures::stats(&state.app, &staff, &q).await {
        Ok(s) => no_store(page(&state.app.config.commission_name, &q, &s)),
        Err(e) => page_error(&state, e).into_response(),
    }
}

/// `GET /staff/stats.csv`: the figures as a spreadsheet.
pub async fn figures_csv(State(state): State<AppState>, PageStaff(staff): PageStaff, Query(q): Query<StatsQuery>) -> Response {
    match figures::stats(&state.app, &staff, &q).await.and_then(|s| export::figures_csv(&s)) {
        Ok(d) => file(d, "text/csv; charset=utf-8"),
        Err(e) => page_error(&state, e).into_response(),
    }
}

/// `GET /staff/cases.csv`: the case list with the filters of the page it came from.
pub async fn cases_csv(State(state): State<AppState>, PageStaff(staff): PageStaff, Query(p): Query<ListParams>) -> Response {
    match cases::export(&state.app, &staff, &ListQuery::from(p)).await.and_then(|items| export::cases_csv(&items)) {
        Ok(d) => file(d, "text/csv; charset=utf-8"),
        Err(e) => page_error(&state, e).into_response(),
    }
}
