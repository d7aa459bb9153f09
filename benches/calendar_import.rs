//! Calendar import benchmark (issue 25): an arbitrator's calendar of 2,000 events, each a weekly
//! recurrence over a year (some with exceptions and time zones), parsed and expanded into busy
//! times over the planning horizon. Target: under 200 ms.
//!
//! `cargo bench --bench calendar_import` measures (release, median of 7 runs); under `cargo test`
//! it runs once on the same calendar and checks the count.

use std::time::Instant;

use chrono::NaiveDate;
use greenlane::scheduling::ics::busy_times;

fn calendar(events: usize) -> String {
    let mut s = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//CN\r\n");
    for i in 0..events {
        let day = 1 + (i % 28);
        let hour = 8 + (i % 9);
        let weekday = ["MO", "TU", "WE", "TH", "FR"][i % 5];
        let tz = if i % 7 == 0 { "America/New_York" } else { "Asia/Shanghai" };
        s.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:e{i}@bench\r\nSUMMARY:事项 {i}\r\nDTSTART;TZID={tz}:202612{day:02}T{hour:02}0000\r\nDURATION:PT1H30M\r\n\
             RRULE:FREQ=WEEKLY;BYDAY={weekday};UNTIL=20271231T235959Z\r\n"
        ));
        if i % 3 == 0 {
            s.push_str(&format!("EXDATE;TZID={tz}:202701{day:02}T{hour:02}0000\r\n"));
        }
        if i % 11 == 0 {
            s.push_str("TRANSP:TRANSPARENT\r\n");
        }
        s.push_str("END:VEVENT\r\n");
    }
    s.push_str("END:VCALENDAR\r\n");
    s
}

fn main() {
    let measuring = std::env::args().any(|a| a == "--bench");
    let text = calendar(2_000);
    let (from, to) = (NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), NaiveDate::from_ymd_opt(2027, 12, 1).unwrap());
    let runs = if measuring { 7 } else { 1 };
    let mut times = Vec::new();
    let mut found = 0;
    for _ in 0..runs {
        let started = Instant::now();
        found = busy_times(&text, from, to).expect("the bench calendar reads").len();
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    // Identical spans of different events count once (the calendar repeats its weekday-hour pairs).
    assert!(found > 2_000, "weekly recurrences over a year: {found}");
    println!(
        "calendar import: 2000 events ({} KB), {found} distinct busy times over a year: median {:.0} ms, slowest {:.0} ms (target < 200 ms)",
        text.len() / 1024,
        times[times.len() / 2],
        times[times.len() - 1]
    );
}
