//! The commission's figures for a period (`GET /api/v1/stats`): counted by the store, computed by
//! `figures`, with the deadline risk of today's open cases from the clock.

use crate::law::case::Status;
use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::accounts::{Role, Staff};
use super::deadlines::{CaseDates, open_case_clocks};
use super::{App, AppError};
use crate::figures::service::{Served, ServiceFigures, service_figures};
use crate::figures::{self, Definition, Figures, TrackCounts, rate, risk_bucket};
use crate::law::routing::Track;
use crate::law::service::Channel;
use crate::law::{FieldError, Violation};
use crate::store::figures as store;

/// The query of `GET /api/v1/stats` and of the figures page.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct StatsQuery {
    /// `YYYY-MM-DD`; default 1 January of `to`'s year.
    pub from: Option<String>,
    /// `YYYY-MM-DD`; default today.
    pub to: Option<String>,
    /// `green`, `simple`, `ordinary` or `collective`; default every track.
    pub track: Option<String>,
}

/// A validated period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub track: Option<Track>,
}

/// The longest period the figures are counted over.
const MAX_YEARS: u32 = 10;

impl StatsQuery {
    /// The period asked for; a bad date, `to` before `from`, a period over ten years or an unknown
    /// track is refused naming the field.
    pub fn period(&self, today: NaiveDate) -> Result<Period, AppError> {
        let mut errs = Vec::new();
        let blank = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from);
        let mut date = |name: &str, label: &str, v: &Option<String>| -> Option<NaiveDate> {
            let s = blank(v)?;
            s.parse::<NaiveDate>()
                .map_err(|_| errs.push(FieldError::new(name, Violation::new("format", format!("{label}“{s}”应写成 YYYY-MM-DD")))))
                .ok()
        };
        let to = date("to", "结束日期", &self.to);
        let from = date("from", "开始日期", &self.from);
        let track = blank(&self.track).and_then(|t| {
            let parsed = Track::parse(&t);
            if parsed.is_none() {
                errs.push(FieldError::new(
                    "track",
                    Violation::new("unknown_track", format!("未知的程序“{t}”，应为 green、simple、ordinary 或 collective")),
                ));
            }
            parsed
        });
        let to = to.unwrap_or(today);
        let from = from.unwrap_or_else(|| NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap_or(to));
        if to < from {
            errs.push(FieldError::new("to", Violation::new("before_from", format!("结束日期 {to} 不能早于开始日期 {from}"))));
        } else if from.checked_add_months(Months::new(12 * MAX_YEARS)).is_none_or(|limit| to >= limit) {
            errs.push(FieldError::new("from", Violation::new("too_long", format!("统计期间不能超过{MAX_YEARS}年"))));
        }
        if errs.is_empty() { Ok(Period { from, to, track }) } else { Err(AppError::Validation(errs)) }
    }
}

/// One month of intake and closures.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Month {
    /// `YYYY-MM`
    pub month: String,
    pub accepted: i64,
    pub closed: i64,
}

/// Open cases in one risk bucket.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RiskBucket {
    /// `overdue`, `within_5`, `within_15`, `within_30`, `later`, `suspended` or `unknown`.
    pub bucket: &'static str,
    pub label: &'static str,
    pub cases: i64,
}

/// The figures of a period (api.md "Figures"); every field is defined in `definitions`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Stats {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub track: Option<String>,
    pub definitions_version: &'static str,
    #[serde(flatten)]
    pub all: Figures,
    /// Booked arbitrator-slots ÷ available arbitrator-slots (all tracks).
    pub arbitrator_utilisation: Option<f64>,
    /// `{ "<track>": { "mean", "median", "cases" } }`, calendar days from acceptance to closure.
    pub cycle_days: BTreeMap<String, figures::Cycle>,
    /// The same figures per track.
    pub by_track: BTreeMap<String, Figures>,
    pub monthly: Vec<Month>,
    /// `{ "<track>": [[days, cases], …] }`: closed cases per cycle length.
    pub cycle_histogram: BTreeMap<String, Vec<(i64, i64)>>,
    /// Today's open cases by days left to their award deadline.
    pub deadline_risk: Vec<RiskBucket>,
    /// Documents served in the period: per channel the median days from issue, and the electronic share.
    pub service: ServiceFigures,
    pub definitions: Vec<Definition>,
}

/// The figures of a period (staff).
pub async fn stats(app: &App, actor: &Staff, q: &StatsQuery) -> Result<Stats, AppError> {
    actor.require(&Role::ALL)?;
    let today = app.time.today();
    let p = q.period(today)?;
    let tracks: Vec<Track> = match p.track {
        Some(t) => vec![t],
        None => Track::ALL.to_vec(),
    };
    let (from, to) = (p.from.to_string(), p.to.to_string());
    let year_start = NaiveDate::from_ymd_opt(p.to.year(), 1, 1).unwrap_or(p.to).to_string();
    // Each track is counted on its own connection, concurrently: over a long history the counts
    // are index scans of some 100,000s of entries each, and the database runs them side by side.
    let mut per_track = tokio::task::JoinSet::new();
    for (i, t) in tracks.iter().enumerate() {
        let (app, code, from, to, year_start) = (app.clone(), t.code(), from.clone(), to.clone(), year_start.clone());
        per_track.spawn(async move { (i, track_counts(&app, code, &from, &to, &year_start).await) });
    }
    let mut conn = app.db.reader.acquire().await?;
    let booked = store::booked_arbitrator_slots(&mut conn, &from, &to).await?;
    let sitting = store::sitting(&mut conn, &from, &to).await?;
    let open = open_case_clocks(&mut conn, false).await?;
    let delivered = crate::store::services::delivered_between(&mut conn, &from, &to, p.track.map(|t| t.code())).await?;
    drop(conn);
    let service = service_of(&delivered)?;
    let mut counted = Vec::new();
    while let Some(done) = per_track.join_next().await {
        let (i, result) = done.map_err(anyhow::Error::from)?;
        counted.push((i, result?));
    }
    counted.sort_by_key(|(i, _)| *i);
    let mut counts = Vec::new();
    let mut months: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for (i, (c, track_months)) in counted {
        for (month, (a, k)) in track_months {
            let e = months.entry(month).or_default();
            e.0 += a;
            e.1 += k;
        }
        counts.push((tracks[i].code(), c));
    }

    let calendar = app.calendar();
    let slots_per_day: i64 = app.config.hearings.sessions.iter().map(|(_, n)| i64::from(*n)).sum();
    let working = |a: NaiveDate, b: NaiveDate| if b < a { 0 } else { calendar.working_days_between(a.pred_opt().unwrap_or(a), b) };
    let days = working(p.from, p.to);
    let available: i64 = sitting
        .iter()
        .map(|leave| {
            let away: i64 = leave
                .iter()
                .filter_map(|(f, t)| Some((f.parse::<NaiveDate>().ok()?.max(p.from), t.parse::<NaiveDate>().ok()?.min(p.to))))
                .map(|(f, t)| working(f, t))
                .sum();
            (days - away).max(0) * slots_per_day
        })
        .sum();

    let mut risk: BTreeMap<&'static str, i64> = BTreeMap::new();
    for (row, entries) in &open {
        if row.accepted_on.is_none() || !tracks.contains(&row.track) {
            continue;
        }
        let dates = CaseDates::parse(row.status, &row.filed_on, row.accepted_on.as_deref())?;
        let d = app.deadlines_of(&dates, entries);
        let left = d.award_due.map(|due| (due - today).num_days());
        *risk.entry(risk_bucket(left, row.status == Status::Suspended)).or_default() += 1;
    }

    let all = TrackCounts::sum(counts.iter().map(|(_, c)| c));
    Ok(Stats {
        from: p.from,
        to: p.to,
        track: p.track.map(|t| t.code().to_string()),
        definitions_version: figures::DEFINITIONS_VERSION,
        all: all.figures(),
        arbitrator_utilisation: rate(booked, available),
        cycle_days: counts.iter().map(|(t, c)| (t.to_string(), c.figures().cycle)).collect(),
        by_track: counts.iter().map(|(t, c)| (t.to_string(), c.figures())).collect(),
        monthly: months.into_iter().map(|(month, (accepted, closed))| Month { month, accepted, closed }).collect(),
        cycle_histogram: counts.iter().map(|(t, c)| (t.to_string(), c.closed.cycles.iter().map(|(d, n)| (*d, *n)).collect())).collect(),
        deadline_risk: figures::RISK_BUCKETS
            .iter()
            .map(|(b, label)| RiskBucket { bucket: b, label, cases: risk.get(b).copied().unwrap_or(0) })
            .collect(),
        service,
        definitions: figures::DEFINITIONS.iter().chain(&figures::service::DEFINITIONS).copied().collect(),
    })
}

/// The service figures from the delivered services' (channel, issued on, delivered on).
fn service_of(rows: &[(String, String, String)]) -> Result<ServiceFigures, AppError> {
    let mut served = Vec::with_capacity(rows.len());
    for (code, issued, delivered) in rows {
        let channel = Channel::parse(code).ok_or_else(|| anyhow::anyhow!("unknown channel {code}"))?;
        let (issued, delivered) = (issued.parse::<NaiveDate>(), delivered.parse::<NaiveDate>());
        let (Ok(issued), Ok(delivered)) = (issued, delivered) else { return Err(anyhow::anyhow!("a service date is not a date").into()) };
        served.push(Served { channel: channel.code(), days: (delivered - issued).num_days(), electronic: channel.is_electronic() });
    }
    Ok(service_figures(served))
}

/// One track's counts for the period, and its cases accepted and closed per month of the period.
async fn track_counts(
    app: &App,
    code: &str,
    from: &str,
    to: &str,
    year_start: &str,
) -> Result<(TrackCounts, BTreeMap<String, (i64, i64)>), AppError> {
    let mut conn = app.db.reader.acquire().await?;
    // Days are read from the earlier of the period's start and 1 January, for the year to date.
    let lo = from.min(year_start);
    let in_range = |d: &str, a: &str, b: &str| a <= d && d <= b;
    let accepted_days = store::per_day(&mut conn, code, lo, to, false).await?;
    let closed_days = store::per_day(&mut conn, code, lo, to, true).await?;
    let sum = |days: &[(String, i64)], a: &str| days.iter().filter(|(d, _)| in_range(d, a, to)).map(|(_, n)| n).sum::<i64>();
    let (accepted, ytd_accepted, ytd_closed) = (sum(&accepted_days, from), sum(&accepted_days, year_start), sum(&closed_days, year_start));
    let closed = store::closed_between(&mut conn, code, from, to).await?;
    // What is open after the period, less what the period added, is what was open before it.
    let pending = store::open_after(&mut conn, code, to).await?;
    let mut months: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for (days, is_closed) in [(&accepted_days, false), (&closed_days, true)] {
        for (day, k) in days.iter().filter(|(d, _)| in_range(d, from, to)) {
            let e = months.entry(day.get(..7).unwrap_or(day).to_string()).or_default();
            if is_closed { e.1 += k } else { e.0 += k }
        }
    }
    let c = TrackCounts {
        accepted,
        pending_at_start: pending - accepted + closed.closed,
        pending,
        ytd_closed,
        ytd_accepted,
        ytd_pending_at_start: pending - ytd_accepted + ytd_closed,
        closed,
    };
    Ok((c, months))
}
