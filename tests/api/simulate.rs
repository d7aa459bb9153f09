//! The simulator: a small scenario run through the real use cases on both backends, its figures
//! checked against the database and the clock, the same figures from the same seed on either
//! backend, and fewer arbitrators giving a longer cycle.

use std::path::Path;

use chrono::NaiveDate;
use greenlane::law::case::Status;
use greenlane::simulate::{self, Options, Scenario};
use greenlane::store::simulation as store;

use crate::common::TestApp;

/// 300 cases over the 40 working days from 3 March 2025, then until they close. Its own staff is
/// small so the run is quick and the planner has work to do.
fn small(overrides: &[(&str, &str)]) -> Scenario {
    let text = include_str!("../../scenarios/zhongshan-2025-greenlane.toml");
    let mut all: Vec<(String, String)> = vec![
        ("period.start".into(), "2025-03-03".into()),
        ("period.end".into(), "2025-04-28".into()),
        ("period.tail_days".into(), "80".into()),
        // 300 cases in the 57 calendar days of the period.
        ("intake.cases_per_year".into(), "1921".into()),
        (
            "intake.spring_festival".into(),
            "{ eve = \"2025-01-28\", weeks_before = 0, factor_before = 1.0, weeks_after = 0, factor_after = 1.0 }".into(),
        ),
        ("staff.arbitrators".into(), "8".into()),
        ("staff.presiding".into(), "4".into()),
        ("staff.rooms".into(), "4".into()),
        ("staff.large_rooms".into(), "1".into()),
        ("planning.iterations".into(), "300".into()),
    ];
    all.extend(overrides.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Scenario::parse("small.toml", text, &all, &greenlane::law::calendar::WorkingCalendar::shipped()).expect("a valid scenario")
}

async fn run(t: &TestApp, s: &Scenario, out: &Path) -> simulate::Outcome {
    let opts = Options { seed: 7, documents: false, database_url: Some(t.app.config.database_url.clone()), progress: false };
    simulate::run(&t.app.config, s, &opts, out).await.expect("the simulation runs")
}

on_both_backends!(a_simulated_season_goes_through_the_use_cases_and_its_figures_agree_with_the_clock);

async fn a_simulated_season_goes_through_the_use_cases_and_its_figures_agree_with_the_clock(t: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let s = small(&[]);
    let r = run(&t, &s, dir.path()).await;
    let f = &r.figures;
    assert_eq!(f.filed, 300, "the intake adds up to the period's cases");
    assert_eq!(f.closed, 300, "every case closes in the tail");
    assert_eq!(f.with_record, 300, "every case has its record (audit trail) in the database");

    let mut conn = t.app.db.reader.acquire().await.unwrap();
    let lines = store::case_lines(&mut conn, "2025-03-03").await.unwrap();
    let mut within = 0;
    for c in &lines {
        // Each case was registered and closed by the use cases, which wrote its record.
        let actions: Vec<(String,)> = sqlx::query_as("SELECT action FROM case_events WHERE case_id = $1 ORDER BY id")
            .bind(&c.id)
            .fetch_all(&mut *conn)
            .await
            .unwrap();
        let actions: Vec<&str> = actions.iter().map(|a| a.0.as_str()).collect();
        assert_eq!(actions.first(), Some(&"registered"), "{}: {actions:?}", c.id);
        assert!(actions.contains(&"accepted"), "{}: {actions:?}", c.id);
        // The limit as the clock computes it from the case's own events.
        let entries = greenlane::store::clock::entries(&mut conn, &c.id).await.unwrap();
        let dates = greenlane::app::deadlines::CaseDates::parse(Status::Closed, &c.filed_on, c.accepted_on.as_deref()).unwrap();
        let due = t.app.deadlines_of(&dates, &entries).award_due.expect("an accepted case has its limit");
        let closed: NaiveDate = c.closed_on.as_deref().unwrap().parse().unwrap();
        let in_time = closed <= due;
        assert_eq!(c.within_limit, Some(i64::from(in_time)), "{}: closed {closed}, due {due}", c.id);
        within += usize::from(in_time);
    }
    let rate = f.stats["within_limit_rate"].as_f64().unwrap();
    assert!((rate - within as f64 / lines.len() as f64).abs() < 1e-9, "{rate} against {within}/{}", lines.len());
    drop(conn);

    // The figures' cycle agrees with the cases' own days.
    let green: Vec<i64> = lines
        .iter()
        .filter(|c| c.track == greenlane::law::routing::Track::Green)
        .map(|c| {
            (c.closed_on.as_deref().unwrap().parse::<NaiveDate>().unwrap()
                - c.accepted_on.as_deref().unwrap().parse::<NaiveDate>().unwrap())
            .num_days()
        })
        .collect();
    let mean = green.iter().sum::<i64>() as f64 / green.len() as f64;
    assert!((f.cycle["green"].mean.unwrap() - mean).abs() < 0.01);
    assert_eq!(f.cycle["green"].max, green.iter().max().copied());
    assert!(f.electronic_share.unwrap() > 0.0, "the platform served some documents");
    assert!(f.weekly.iter().any(|w| w.utilisation.unwrap_or(0.0) > 0.0));

    // The files, and the report's figures are the figures'.
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("figures.json")).unwrap()).unwrap();
    assert_eq!(json["closed"], f.stats["closed"]);
    assert_eq!(json["scenario"]["staff"]["arbitrators"], 8);
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.contains(&format!("{:.1}", f.cycle["green"].mean.unwrap())), "the report shows the green mean");
    assert!(html.contains("<svg"), "charts are inline");
}

/// Two runs of the same scenario and seed, one on each backend, give the same figures.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_seed_gives_the_same_figures_on_sqlite_and_postgresql() {
    let s = small(&[("period.end", "2025-03-21"), ("intake.cases_per_year", "2000")]);
    let (a, b) = (TestApp::sqlite().await, TestApp::postgres().await);
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    run(&a, &s, da.path()).await;
    run(&b, &s, db.path()).await;
    let read = |d: &Path| std::fs::read_to_string(d.join("figures.json")).unwrap();
    assert_eq!(read(da.path()), read(db.path()));
}

/// The capacity question: with two arbitrators and one room instead of eight and four, the green
/// channel waits longer for its hearings.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_sweep_with_fewer_arbitrators_gives_a_longer_cycle() {
    let few = small(&[
        ("period.end", "2025-03-21"),
        ("intake.cases_per_year", "2000"),
        ("staff.arbitrators", "2"),
        ("staff.presiding", "2"),
        ("staff.rooms", "2"),
    ]);
    let many = small(&[("period.end", "2025-03-21"), ("intake.cases_per_year", "2000")]);
    let (a, b) = (TestApp::sqlite().await, TestApp::sqlite().await);
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let short = run(&a, &many, da.path()).await.figures;
    let long = run(&b, &few, db.path()).await.figures;
    let green = |f: &simulate::figures::SimFigures| f.cycle["green"].mean.unwrap();
    assert!(green(&long) > green(&short), "2 arbitrators: {}, 8: {}", green(&long), green(&short));
    assert_eq!(short.first_over_limit, None, "eight arbitrators keep every case within its limit");
    // The sweep names the smallest staff that keeps every case within its limit.
    let smallest = if long.first_over_limit.is_none() { "2" } else { "8" };
    let table = simulate::compare::sweep_table("arbitrators", &[("2".into(), long), ("8".into(), short)], 1000.0);
    assert!(table.contains(&format!("最小 arbitrators：{smallest}")), "{table}");
}

/// A scenario with unknown keys, shares that do not add up, a negative rate and a year without a
/// calendar is refused with every problem named, and the command writes nothing.
#[test]
fn a_bad_scenario_is_refused_whole_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    let text = include_str!("../../scenarios/zhongshan-2025-today.toml")
        .replace("rooms = 14", "rooms = 14\nroms = 3")
        .replace("green = 0.40", "green = 0.70")
        .replace("no_show = 0.03", "no_show = -0.03")
        .replace("start = \"2025-01-01\"", "start = \"1999-01-01\"");
    std::fs::write(&file, text).unwrap();
    let out = dir.path().join("out");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_greenlane"))
        .args(["simulate", "--scenario", file.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .env("GREENLANE_DATABASE_URL", format!("sqlite:{}", dir.path().join("unused.db").display()))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("staff.roms"), "{err}");
    assert!(!out.exists(), "nothing written");
    // Past the unknown key, every rule broken is named.
    let fixed = std::fs::read_to_string(&file).unwrap().replace("roms = 3\n", "");
    std::fs::write(&file, fixed).unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_greenlane"))
        .args(["simulate", "--scenario", file.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    for key in ["intake.tracks", "service.no_show", "period.start"] {
        assert!(err.contains(&format!("bad.toml: {key}")), "{key} in {err}");
    }
    assert!(!out.exists(), "nothing written");
}

/// A malformed `--set` or `--sweep` is refused with exit code 2, naming the flag or the scenario
/// key and the rule, before anything is written.
#[test]
fn malformed_set_and_sweep_flags_are_refused_naming_the_rule_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let refused = |flags: &[&str], named: &str| {
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_greenlane"))
            .args(["simulate", "--scenario", "scenarios/zhongshan-2025-greenlane.toml", "--out", out.to_str().unwrap(), "--days", "2"])
            .args(flags)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{flags:?}: {err}");
        assert!(err.contains(named), "{flags:?} should name {named}: {err}");
        assert!(!out.exists(), "{flags:?} wrote {}", out.display());
    };
    refused(&["--set", "staff.arbitrators"], "应写成 键=值");
    refused(&["--set", "staff.arbitrator=24"], "staff.arbitrator");
    refused(&["--set", "staff.arbitrators=many"], "staff.arbitrators");
    refused(&["--set", "service.waiver=1.5"], "service.waiver");
    refused(&["--set", "staff=3"], "staff");
    refused(&["--sweep", "judges=1..3"], "名称可为 arbitrators");
    refused(&["--sweep", "arbitrators=40..20:2"], "起 ≤ 止");
    refused(&["--sweep", "arbitrators=20..40:0"], "步长大于 0");
    refused(&["--sweep", "arbitrators=20..21:0.5"], "应为整数");
    refused(&["--sweep", "arbitrators=NaN..40"], "起 ≤ 止");
    // A swept value the scenario refuses stops the sweep before its first run.
    refused(&["--sweep", "waiver=0.6..1.2:0.2"], "service.waiver");
    refused(&["--days", "0"], "--days");
}
