//! Deadline computation speed: every deadline of a million cases on one core.
//!
//! `cargo bench --bench clock` measures; under `cargo test` it runs a small smoke pass only.

use std::hint::black_box;
use std::time::Instant;

use chrono::{Days, NaiveDate};
use greenlane::law::calendar::WorkingCalendar;
use greenlane::law::clock::{CaseClock, ClockEntry, ClockEvent, ClockRules, RestartCause, SuspensionGround, deadlines, next_deadline};

/// A deterministic mix like a commission's docket: most cases with a served copy, some suspended,
/// extended, restarted or served by public notice.
fn cases(n: usize) -> Vec<(NaiveDate, Vec<ClockEntry>)> {
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid");
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..n)
        .map(|_| {
            let accepted = start + Days::new(next() % (3 * 365));
            let mut events = Vec::new();
            let r = next() % 100;
            if r < 85 {
                events.push(ClockEntry { on: accepted + Days::new(2), event: ClockEvent::CopyServed });
            }
            if r < 10 {
                events.push(ClockEntry {
                    on: accepted + Days::new(10),
                    event: ClockEvent::Suspended { ground: SuspensionGround::AwaitingAssessment },
                });
                events.push(ClockEntry { on: accepted + Days::new(10 + next() % 60), event: ClockEvent::Resumed });
            } else if r < 18 {
                events
                    .push(ClockEntry { on: accepted + Days::new(40), event: ClockEvent::Extended { days: 15, approver: "主任".into() } });
            } else if r < 22 {
                events
                    .push(ClockEntry { on: accepted + Days::new(12), event: ClockEvent::Restarted { cause: RestartCause::ClaimsChanged } });
            } else if r < 24 {
                events.push(ClockEntry { on: accepted + Days::new(3), event: ClockEvent::PublicNotice });
            }
            (accepted, events)
        })
        .collect()
}

fn run(cal: &WorkingCalendar, docket: &[(NaiveDate, Vec<ClockEntry>)]) -> (std::time::Duration, i64) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).expect("valid");
    let rules = ClockRules::default();
    let t = Instant::now();
    let mut checksum = 0i64;
    for (accepted, events) in docket {
        let case = CaseClock { filed_on: *accepted, accepted_on: Some(*accepted), events, hearing: None, awards: &[], today };
        let d = deadlines(cal, rules, black_box(&case));
        if let Some((_, due)) = next_deadline(&d, &case) {
            checksum += due.to_epoch_days() as i64;
        }
    }
    (t.elapsed(), black_box(checksum))
}

fn main() {
    let measuring = std::env::args().any(|a| a == "--bench");
    let n = if measuring { 1_000_000 } else { 1_000 };
    let cal = WorkingCalendar::shipped();
    let docket = cases(n);
    run(&cal, &docket); // warm up
    let best = (0..if measuring { 5 } else { 1 }).map(|_| run(&cal, &docket).0).min().expect("at least one run");
    println!(
        "clock: {n} cases' deadlines in {:.1} ms on one core = {:.0} ns per case",
        best.as_secs_f64() * 1e3,
        best.as_nanos() as f64 / n as f64
    );

    let from = NaiveDate::from_ymd_opt(2025, 9, 26).expect("valid");
    let t = Instant::now();
    let mut acc = 0;
    for i in 0..n as u32 {
        acc += cal.add_working_days(black_box(from), i % 40 + 1).date.to_epoch_days();
    }
    black_box(acc);
    println!("calendar: add_working_days {:.1} ns per call", t.elapsed().as_nanos() as f64 / n as f64);
}
