//! The figures of a simulated period: every field of `GET /api/v1/stats` (computed by the same
//! use case), with per track the cycle's mean, median, p90 and maximum, the days from acceptance
//! to the first hearing, the backlog and the arbitrators' utilisation week by week, the days each
//! step took, and the first day a case went over its limit.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

use super::scenario::Scenario;
use crate::app::accounts::Role;
use crate::app::figures::{StatsQuery, stats};
use crate::app::{App, AppError};
use crate::law::case::Status;
use crate::law::routing::Track;
use crate::store::simulation::{self as store, CaseLine};
use crate::time::Time;

/// A distribution of days.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Spread {
    pub cases: usize,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub p90: Option<f64>,
    pub max: Option<i64>,
}

impl Spread {
    /// The spread of `days` (in any order).
    pub fn of(mut days: Vec<i64>) -> Spread {
        days.sort_unstable();
        let n = days.len();
        if n == 0 {
            return Spread::default();
        }
        let mean = days.iter().sum::<i64>() as f64 / n as f64;
        let median = if n % 2 == 1 { days[n / 2] as f64 } else { (days[n / 2 - 1] + days[n / 2]) as f64 / 2.0 };
        // The nearest-rank 90th percentile: the smallest value with at least 90 % of cases at or below it.
        let p90 = days[((n as f64 * 0.9).ceil() as usize).clamp(1, n) - 1] as f64;
        Spread { cases: n, mean: Some(round(mean)), median: Some(median), p90: Some(p90), max: days.last().copied() }
    }
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// One week of the run.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Week {
    /// The Monday it begins.
    pub from: NaiveDate,
    /// Cases accepted and not closed at the week's end.
    pub backlog: usize,
    pub accepted: usize,
    pub closed: usize,
    /// Booked arbitrator-slots ÷ available arbitrator-slots in the week.
    pub utilisation: Option<f64>,
}

/// Mean days each step of a case took (closed cases with a hearing).
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Steps {
    pub cases: usize,
    /// Filing to acceptance.
    pub acceptance: f64,
    /// Acceptance to the respondent having the copy.
    pub service: f64,
    /// The defence period (to its end, its waiver, or the hearing if sooner).
    pub defence: f64,
    /// From when a hearing was possible to the first hearing.
    pub waiting: f64,
    /// The last hearing to closure (the award written, or the statement signed).
    pub drafting: f64,
}

/// `figures.json`.
#[derive(Debug, Clone, Serialize)]
pub struct SimFigures {
    pub scenario: Scenario,
    pub seed: u64,
    /// Every field of `GET /api/v1/stats` for the run's days (`from` … `to`), `cycle_days`
    /// widened with `p90` and `max`.
    #[serde(flatten)]
    pub stats: serde_json::Map<String, serde_json::Value>,
    /// Per track, calendar days from acceptance to closure.
    pub cycle: BTreeMap<String, Spread>,
    /// Documents delivered electronically ÷ all delivered.
    pub electronic_share: Option<f64>,
    /// Per track, calendar days from acceptance to the first hearing.
    pub acceptance_to_first_hearing: BTreeMap<String, Spread>,
    pub weekly: Vec<Week>,
    /// Per track, the days each step took.
    pub steps: BTreeMap<String, Steps>,
    /// Closed cases within the limit the clock computed ÷ closed cases with a known limit.
    pub within_limit_by_clock: Option<f64>,
    /// The first day a case was past its limit, if any was.
    pub first_over_limit: Option<NaiveDate>,
    /// Cases filed in the run, closed, and with their record (audit trail) in the database.
    pub filed: usize,
    pub closed: usize,
    pub with_record: usize,
    /// Documents issued, and how many were laid out as PDF.
    pub documents: i64,
    pub typeset: i64,
}

fn days(a: &str, b: &str) -> Option<i64> {
    Some((b.parse::<NaiveDate>().ok()? - a.parse::<NaiveDate>().ok()?).num_days())
}

/// The figures of the run in `app`'s database.
pub async fn compute(app: &App, s: &Scenario, seed: u64) -> Result<SimFigures, AppError> {
    let (from, to) = (s.period.start, s.last_day());
    let admin = super::actor(Role::Admin);
    let at = app.with_time(Time::fixed(to));
    let q = StatsQuery { from: Some(from.to_string()), to: Some(to.to_string()), track: None };
    let st = stats(&at, &admin, &q).await?;
    let electronic_share = st.service.electronic_share;
    let serde_json::Value::Object(mut map) = serde_json::to_value(&st).map_err(anyhow::Error::from)? else {
        return Err(anyhow::anyhow!("the stats are an object").into());
    };
    let mut conn = app.db.reader.acquire().await?;
    let lines = store::case_lines(&mut conn, &from.to_string()).await?;
    let (documents, typeset) = store::documents(&mut conn).await?;
    drop(conn);
    let per_track = |f: &dyn Fn(&CaseLine) -> Option<i64>| -> BTreeMap<String, Spread> {
        Track::ALL
            .iter()
            .map(|t| (t.code().to_string(), Spread::of(lines.iter().filter(|c| c.track == *t).filter_map(f).collect())))
            .collect()
    };
    let cycle = per_track(&|c| days(c.accepted_on.as_deref()?, c.closed_on.as_deref()?));
    map.insert("cycle_days".into(), serde_json::to_value(&cycle).map_err(anyhow::Error::from)?);
    let first_hearing = per_track(&|c| days(c.accepted_on.as_deref()?, c.first_hearing.as_deref()?));
    let defence = defence_ends(app, &lines).await?;
    let steps = Track::ALL
        .iter()
        .map(|t| (t.code().to_string(), steps(lines.iter().filter(|c| c.track == *t).map(|c| (c, defence.get(&c.id).copied())))))
        .collect();
    let known: Vec<i64> = lines.iter().filter_map(|c| c.within_limit).collect();
    let weekly = weekly(app, &lines, from, to).await?;
    Ok(SimFigures {
        scenario: s.clone(),
        seed,
        stats: map,
        cycle,
        electronic_share,
        acceptance_to_first_hearing: first_hearing,
        weekly,
        steps,
        within_limit_by_clock: (!known.is_empty()).then(|| known.iter().filter(|w| **w == 1).count() as f64 / known.len() as f64),
        first_over_limit: first_over_limit(app, &lines, to).await?,
        filed: lines.len(),
        closed: lines.iter().filter(|c| c.closed_on.is_some()).count(),
        with_record: lines.iter().filter(|c| c.events > 0).count(),
        documents,
        typeset,
    })
}

/// The day each heard and closed case's defence period ended as its clock computed it (Law Art.
/// 30: ten working days from receipt of the copy, or the day it was waived).
async fn defence_ends(app: &App, lines: &[CaseLine]) -> Result<BTreeMap<String, NaiveDate>, AppError> {
    let mut out = BTreeMap::new();
    for c in lines.iter().filter(|c| c.closed_on.is_some() && c.first_hearing.is_some()) {
        if let Some(w) = c.waived.as_deref().and_then(|w| w.parse().ok()) {
            out.insert(c.id.clone(), w);
            continue;
        }
        let mut conn = app.db.reader.acquire().await?;
        let entries = crate::store::clock::entries(&mut conn, &c.id).await?;
        drop(conn);
        let Ok(dates) = crate::app::deadlines::CaseDates::parse(Status::Closed, &c.filed_on, c.accepted_on.as_deref()) else { continue };
        if let Some(by) = app.deadlines_of(&dates, &entries).defence_by {
            out.insert(c.id.clone(), by);
        }
    }
    Ok(out)
}

/// The mean days of each step over the closed cases that were heard.
fn steps<'a>(cases: impl Iterator<Item = (&'a CaseLine, Option<NaiveDate>)>) -> Steps {
    let mut sum = Steps::default();
    for (c, defence_by) in cases {
        let (Some(acc), Some(served), Some(first), Some(last), Some(closed)) = (
            c.accepted_on.as_deref(),
            c.copy_served.as_deref(),
            c.first_hearing.as_deref(),
            c.last_hearing.as_deref(),
            c.closed_on.as_deref(),
        ) else {
            continue;
        };
        let (Ok(served_on), Ok(first_on)) = (served.parse::<NaiveDate>(), first.parse::<NaiveDate>()) else { continue };
        let Some(defence_end) = defence_by.map(|d| d.min(first_on)) else { continue };
        let part = |d: Option<i64>| d.unwrap_or(0).max(0) as f64;
        sum.cases += 1;
        sum.acceptance += part(days(&c.filed_on, acc));
        sum.service += part(days(acc, served));
        sum.defence += part(Some((defence_end - served_on).num_days()));
        sum.waiting += part(Some((first_on - defence_end).num_days()));
        sum.drafting += part(days(last, closed));
    }
    if sum.cases > 0 {
        let n = sum.cases as f64;
        for x in [&mut sum.acceptance, &mut sum.service, &mut sum.defence, &mut sum.waiting, &mut sum.drafting] {
            *x = round(*x / n);
        }
    }
    sum
}

/// Week by week: the backlog at the week's end, the week's acceptances and closures, and the
/// arbitrators' utilisation (the figures' own definition, over that week).
async fn weekly(app: &App, lines: &[CaseLine], from: NaiveDate, to: NaiveDate) -> Result<Vec<Week>, AppError> {
    let admin = super::actor(Role::Admin);
    let mut monday = from - Days::new(u64::from(from.weekday().num_days_from_monday()));
    let mut out = Vec::new();
    while monday <= to {
        let sunday = monday + Days::new(6);
        let (a, b) = (monday.to_string(), sunday.to_string());
        let inside = |d: Option<&str>| d.is_some_and(|d| a.as_str() <= d && d <= b.as_str());
        let backlog = lines
            .iter()
            .filter(|c| c.accepted_on.as_deref().is_some_and(|d| d <= b.as_str()) && c.closed_on.as_deref().is_none_or(|d| d > b.as_str()))
            .count();
        let q = StatsQuery { from: Some(monday.max(from).to_string()), to: Some(sunday.min(to).to_string()), track: None };
        let utilisation = stats(&app.with_time(Time::fixed(sunday.min(to))), &admin, &q).await?.arbitrator_utilisation.map(round_share);
        out.push(Week {
            from: monday,
            backlog,
            accepted: lines.iter().filter(|c| inside(c.accepted_on.as_deref())).count(),
            closed: lines.iter().filter(|c| inside(c.closed_on.as_deref())).count(),
            utilisation,
        });
        monday = monday + Days::new(7);
    }
    Ok(out)
}

fn round_share(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The first day past the limit of a case closed late, or of a case still open at the end.
async fn first_over_limit(app: &App, lines: &[CaseLine], to: NaiveDate) -> Result<Option<NaiveDate>, AppError> {
    let mut first: Option<NaiveDate> = None;
    let late = lines.iter().filter(|c| c.within_limit == Some(0) || (c.closed_on.is_none() && c.accepted_on.is_some()));
    for c in late {
        let mut conn = app.db.reader.acquire().await?;
        let entries = crate::store::clock::entries(&mut conn, &c.id).await?;
        let Some(row) = crate::store::cases::get(&mut conn, &c.id).await? else { continue };
        drop(conn);
        let Ok(dates) = crate::app::deadlines::CaseDates::parse(row.status, &row.filed_on, row.accepted_on.as_deref()) else { continue };
        let Some(due) = app.deadlines_of(&dates, &entries).award_due else { continue };
        let over = due + Days::new(1);
        let ended = c.closed_on.as_deref().and_then(|d| d.parse::<NaiveDate>().ok()).unwrap_or(to);
        if over <= ended && first.is_none_or(|f| over < f) {
            first = Some(over);
        }
    }
    Ok(first)
}
