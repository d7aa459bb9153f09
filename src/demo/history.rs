//! A long synthetic history for the figures at scale (`greenlane demo --cases N --years Y`): cases
//! accepted day by day over the years up to today, with a realistic mix of tracks, outcomes, cycle
//! times, hearings and court outcomes. Deterministic for a given seed.

use chrono::{Datelike, Days, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::{self as demo, EMPLOYERS, credit_code, person, resident_id};
use crate::app::{App, AppError};
use crate::law::case_no::CaseNo;
use crate::store::history::{self as store, HistoricCase, HistoricHearing};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub cases: u64,
    pub years: u32,
    pub seed: u64,
}

/// Cases written per transaction: each one acknowledged is on disk.
const BATCH: usize = 500;

/// Draws from weighted choices.
fn pick<T: Copy>(rng: &mut StdRng, choices: &[(T, u32)]) -> T {
    let total: u32 = choices.iter().map(|(_, w)| w).sum();
    let mut x = rng.random_range(0..total);
    for (v, w) in choices {
        if x < *w {
            return *v;
        }
        x -= w;
    }
    choices[choices.len() - 1].0
}

/// A cycle in days for a track: most cases well inside the limit, a few extended, a handful late.
fn cycle(rng: &mut StdRng, track: &str) -> (i64, bool) {
    let (typical, spread) = match track {
        "green" => (16, 8),
        "simple" => (27, 10),
        "ordinary" => (38, 12),
        _ => (45, 12),
    };
    let days = (typical + rng.random_range(-spread..=spread)).max(2);
    // Extended cases (Law Art. 43: up to 15 more days) and the rare late one.
    if rng.random_bool(0.003) {
        return (61 + rng.random_range(0..20), false);
    }
    let limit = if days > 45 { 60 } else { 45 };
    (days.min(limit), true)
}

/// Fills an empty database with the roster and `plan.cases` cases over `plan.years` years ending
/// yesterday; `progress(done, total)` is called after every batch. Refused when cases exist.
pub async fn fill(app: &App, plan: Plan, mut progress: impl FnMut(u64, u64)) -> Result<(), AppError> {
    if !demo::is_empty(app).await? {
        return Err(AppError::Conflict("数据库中已有案件：合成历史只写入空数据库，请换一个数据库".into()));
    }
    let (arbitrators, rooms) = demo::roster(app).await?;
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let today = app.time.today();
    let first = first_day(today, plan.years);
    let days = (today - first).num_days().max(1) as u64;
    let stamp = app.time.now_text();
    let prefix = app.config.case_no_prefix.clone();
    let mut conn = app.db.writer.acquire().await?;
    let mut next_hearing = store::max_hearing_id(&mut conn).await? + 1;
    drop(conn);
    let mut counters: Vec<(i64, i64)> = Vec::new();
    let mut batch: Vec<HistoricCase> = Vec::with_capacity(BATCH);
    let mut written = 0u64;
    for n in 0..plan.cases {
        // Spread evenly over the days, so acceptance dates (and case numbers) rise with n.
        let accepted = first + Days::new(n * days / plan.cases);
        let year = i64::from(accepted.year());
        let seq = match counters.last_mut() {
            Some((y, s)) if *y == year => {
                *s += 1;
                *s
            }
            _ => {
                counters.push((year, 1));
                1
            }
        };
        let track = pick(&mut rng, &[("green", 45), ("simple", 30), ("ordinary", 22), ("collective", 3)]);
        let outcome = pick(&mut rng, &[("mediation", 35), ("award", 40), ("withdrawn", 20), ("deemed_withdrawn", 5)]);
        let (days_taken, within) = cycle(&mut rng, track);
        let closed = accepted + Days::new(days_taken as u64);
        let is_closed = closed < today;
        let award_finality = (outcome == "award").then(|| {
            if track == "green" {
                pick(&mut rng, &[("final", 80), ("mixed", 10), ("non_final", 10)])
            } else {
                pick(&mut rng, &[("final", 30), ("mixed", 20), ("non_final", 50)])
            }
        });
        let (court_outcome, court_result) = if is_closed && outcome == "award" && (today - closed).num_days() > 45 {
            match pick(&mut rng, &[(0, 75), (1, 20), (2, 5)]) {
                0 => (Some("no_suit"), None),
                1 => (Some("suit"), Some(pick(&mut rng, &[("upheld", 60), ("changed", 25), ("withdrawn", 15)]))),
                _ => (Some("revocation_petition"), Some(pick(&mut rng, &[("upheld", 85), ("revoked", 10), ("withdrawn", 5)]))),
            }
        } else {
            (None, None)
        };
        let heard = is_closed && (matches!(outcome, "award" | "deemed_withdrawn") || (outcome == "mediation" && rng.random_bool(0.6)));
        let hearing = heard.then(|| {
            let panel = if matches!(track, "ordinary" | "collective") { 3 } else { 1 };
            let start = rng.random_range(0..arbitrators.len());
            let h = HistoricHearing {
                id: next_hearing,
                day: (closed - Days::new(rng.random_range(0..=days_taken.min(7)) as u64)).to_string(),
                room_id: rooms[rng.random_range(0..rooms.len())],
                arbitrators: (0..panel).map(|i| arbitrators[(start + i) % arbitrators.len()]).collect(),
                postponed: rng.random_bool(0.04),
            };
            next_hearing += 1;
            h
        });
        let wage = rng.random_range(2_300..9_000i64) * 100;
        let routing = serde_json::json!({
            "track": track,
            "reasons": ["合成历史数据（规模测试）"],
            "thresholds": {"on": accepted.to_string(), "min_wage_monthly": "2080.00", "final_award_limit": "24960.00", "simplified_ceiling": "131418.00", "collective_min_workers": 10},
            "override": null
        });
        batch.push(HistoricCase {
            id: format!("H{:09}", n),
            track,
            routing: routing.to_string(),
            filed_on: (accepted - Days::new(rng.random_range(0..4))).to_string(),
            accepted_on: accepted.to_string(),
            case_year: year,
            case_seq: seq,
            case_no: CaseNo { prefix: prefix.clone(), year: year as i32, seq }.to_string(),
            outcome: is_closed.then_some(outcome),
            closed_on: is_closed.then(|| closed.to_string()),
            cycle_days: is_closed.then_some(days_taken),
            within_limit: is_closed.then_some(within),
            award_finality: award_finality.filter(|_| is_closed),
            court_outcome,
            court_result,
            claimed_fen: wage * rng.random_range(1..4),
            wage_fen: wage,
            applicant: (person(&mut rng), resident_id(&mut rng)),
            respondent: (EMPLOYERS[rng.random_range(0..EMPLOYERS.len())], credit_code(&mut rng)),
            hearing,
        });
        if batch.len() == BATCH || n + 1 == plan.cases {
            let mut tx = app.db.begin().await?;
            store::insert(&mut tx, &batch, &stamp).await?;
            tx.commit().await?;
            written += batch.len() as u64;
            batch.clear();
            progress(written, plan.cases);
        }
    }
    let mut conn = app.db.writer.acquire().await?;
    store::finish(&mut conn, app.db.backend, &counters).await?;
    Ok(())
}

/// The first day of a history of `years` years ending before `today`.
pub fn first_day(today: NaiveDate, years: u32) -> NaiveDate {
    today - Days::new(u64::from(years) * 365)
}
