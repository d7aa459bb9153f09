//! `greenlane schedule`, `check-plan` and `suggest` on generated problems, judged by the contract's
//! own checker (`scripts/scheduling/check_schedule_plan.py`): the Rust validator and the Python
//! checker agree on valid plans, their cost, and deliberately broken ones.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const TOOLS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/scheduling");

fn greenlane(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_greenlane")).args(args).env_remove("GREENLANE_CONFIG").output().unwrap()
}

fn python(script: &str, args: &[&str]) -> Output {
    Command::new("python3").arg(Path::new(TOOLS).join(script)).args(args).output().unwrap()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn generate(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let mut all = vec!["--out", out.to_str().unwrap()];
    all.extend_from_slice(args);
    let o = python("gen_schedule_problem.py", &all);
    assert!(o.status.success(), "{}", text(&o));
    out
}

/// Both checkers' verdict line on a plan: `valid cost=…` or `invalid`, and the exit status.
fn verdicts(problem: &Path, plan: &Path) -> ((i32, String), (i32, String)) {
    let (p, q) = (problem.to_str().unwrap(), plan.to_str().unwrap());
    let ours = greenlane(&["check-plan", "--problem", p, "--plan", q]);
    let theirs = python("check_schedule_plan.py", &[p, q]);
    let line = |o: &Output| String::from_utf8_lossy(&o.stdout).lines().last().unwrap_or("").split(':').next().unwrap().to_string();
    ((ours.status.code().unwrap(), line(&ours)), (theirs.status.code().unwrap(), line(&theirs)))
}

#[test]
fn plans_of_generated_problems_pass_both_checkers_at_the_same_cost() {
    let dir = tempfile::tempdir().unwrap();
    for (i, args) in [
        vec!["--seed", "11", "--cases", "80", "--arbitrators", "8", "--rooms", "4", "--days", "12"],
        vec!["--seed", "12", "--cases", "150", "--arbitrators", "6", "--rooms", "3", "--days", "10", "--booked-fraction", "0.5"],
        vec!["--seed", "13", "--cases", "60", "--arbitrators", "12", "--rooms", "6", "--days", "20", "--start", "2026-09-21"],
    ]
    .iter()
    .enumerate()
    {
        let problem = generate(dir.path(), &format!("p{i}.json"), args);
        let plan = dir.path().join(format!("p{i}.plan.json"));
        let o = greenlane(&[
            "schedule",
            "--problem",
            problem.to_str().unwrap(),
            "--out",
            plan.to_str().unwrap(),
            "--max-iterations",
            "300",
            "--seed",
            "5",
        ]);
        assert!(o.status.success(), "{}", text(&o));
        assert!(text(&o).contains("cost="), "{}", text(&o));
        let (ours, theirs) = verdicts(&problem, &plan);
        assert_eq!(ours.0, 0, "{ours:?}");
        assert_eq!(ours, theirs);
        assert!(ours.1.starts_with("valid cost="));
    }
}

#[test]
fn broken_plans_are_invalid_for_both_checkers() {
    let dir = tempfile::tempdir().unwrap();
    let problem = generate(dir.path(), "p.json", &["--seed", "21", "--cases", "40", "--arbitrators", "6", "--rooms", "3", "--days", "8"]);
    let plan = dir.path().join("plan.json");
    let o = greenlane(&["schedule", "--problem", problem.to_str().unwrap(), "--out", plan.to_str().unwrap(), "--max-iterations", "100"]);
    assert!(o.status.success(), "{}", text(&o));
    let good: Value = serde_json::from_str(&std::fs::read_to_string(&plan).unwrap()).unwrap();
    let p: Value = serde_json::from_str(&std::fs::read_to_string(&problem).unwrap()).unwrap();
    let first = good["hearings"][0].clone();
    let second = good["hearings"][1].clone();
    type Breakage = (&'static str, Box<dyn Fn(&mut Value)>);
    let breakages: Vec<Breakage> = vec![
        ("a weekend day", Box::new(|v| v["hearings"][0]["day"] = "2026-03-07".into())),
        ("a slot past the session", Box::new(|v| v["hearings"][0]["slot"] = 7.into())),
        ("an unknown room", Box::new(|v| v["hearings"][0]["room"] = "R99".into())),
        ("a non-presiding or wrong panel", Box::new(|v| v["hearings"][0]["arbitrators"] = Value::Array(vec![]))),
        (
            "two hearings in one room at once",
            Box::new(move |v| {
                v["hearings"][1]["day"] = first["day"].clone();
                v["hearings"][1]["session"] = first["session"].clone();
                v["hearings"][1]["slot"] = first["slot"].clone();
                v["hearings"][1]["room"] = first["room"].clone();
            }),
        ),
        ("a case twice", Box::new(move |v| v["unscheduled"].as_array_mut().unwrap().push(second["case"].clone()))),
        (
            "a missing case",
            Box::new(|v| {
                v["hearings"].as_array_mut().unwrap().pop();
            }),
        ),
        ("version 2", Box::new(|v| v["version"] = 2.into())),
        (
            "an excluded arbitrator",
            Box::new({
                let p = p.clone();
                move |v| {
                    let case = v["hearings"][0]["case"].clone();
                    let c = p["cases"].as_array().unwrap().iter().find(|c| c["id"] == case).unwrap();
                    let mut ex = c["exclude"].as_array().cloned().unwrap_or_default();
                    if ex.is_empty() {
                        ex.push(v["hearings"][0]["arbitrators"][0].clone());
                        v["hearings"][0]["arbitrators"][0] = "A99".into();
                    } else {
                        v["hearings"][0]["arbitrators"][0] = ex[0].clone();
                    }
                }
            }),
        ),
    ];
    for (what, breaks) in breakages {
        let mut bad = good.clone();
        breaks(&mut bad);
        let path = dir.path().join("bad.json");
        std::fs::write(&path, bad.to_string()).unwrap();
        let (ours, theirs) = verdicts(&problem, &path);
        assert_eq!(ours.0, 1, "{what}: {ours:?}");
        assert_eq!(theirs.0, 1, "{what}: {theirs:?}");
        assert_eq!(ours.1, "invalid", "{what}");
    }
}

#[test]
fn malformed_problem_exits_non_zero_naming_the_place_and_writes_no_plan() {
    let dir = tempfile::tempdir().unwrap();
    let problem = generate(dir.path(), "p.json", &["--seed", "3", "--cases", "20", "--arbitrators", "4", "--rooms", "2", "--days", "5"]);
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&problem).unwrap()).unwrap();
    let booked = v["booked"].as_array().unwrap().len();
    assert!(booked > 0, "the generator books some hearings");
    v["booked"][0]["room"] = "R404".into();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, v.to_string()).unwrap();
    let plan = dir.path().join("plan.json");
    let o = greenlane(&["schedule", "--problem", bad.to_str().unwrap(), "--out", plan.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("problem.booked[0].room"), "{}", text(&o));
    assert!(!plan.exists());
    let theirs = python("check_schedule_plan.py", &[bad.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(theirs.status.code(), Some(2), "the contract's checker refuses it too");

    let o = greenlane(&["schedule", "--problem", problem.to_str().unwrap(), "--out", plan.to_str().unwrap(), "--time-limit", "0"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("--time-limit"), "{}", text(&o));
}

#[test]
fn suggest_lists_cheapest_slots_and_the_rule_refusing_cheaper_ones() {
    let dir = tempfile::tempdir().unwrap();
    // One room, one presiding arbitrator; the room is booked for slots 0–3 of the morning of the 2nd.
    let problem = dir.path().join("p.json");
    std::fs::write(
        &problem,
        serde_json::json!({
            "version": 1, "start": "2026-03-02", "end": "2026-03-03",
            "workdays": { "holidays": [], "extra_workdays": [] }, "slot_minutes": 30,
            "sessions": [ { "slots": 6 } ],
            "arbitrators": [ { "id": "A1", "presides": true, "max_per_day": 3, "off": [] } ],
            "rooms": [ { "id": "R1", "seats": 10 } ],
            "booked": [ { "day": "2026-03-02", "session": 0, "slot": 0, "slots": 4, "room": "R1", "arbitrators": ["A1"] } ],
            "cases": [ { "id": "C1", "earliest": "2026-03-02", "latest": "2026-03-03", "panel": 1, "slots": 3, "seats": 4, "weight": 2 } ]
        })
        .to_string(),
    )
    .unwrap();
    let p = problem.to_str().unwrap();
    let o = greenlane(&["suggest", "--problem", p, "--case", "C1", "--top", "2"]);
    assert!(o.status.success(), "{}", text(&o));
    let out = text(&o);
    // The 2nd is refused (room and arbitrator busy until slot 4, a 3-slot hearing does not fit after);
    // the 3rd's first two starts are the best, at one working day late × weight 2.
    assert!(out.contains("1. 2026-03-03 第0时段 第0时隙起  R1  仲裁员 A1  成本 2"), "{out}");
    assert!(out.contains("2. 2026-03-03 第0时段 第1时隙起"), "{out}");
    assert!(out.contains("2026-03-02 第0时段 第0时隙起  成本 0  规则 5"), "{out}");
    assert!(out.contains("2026-03-02 第0时段 第1时隙起  成本 0  规则 5"), "{out}");
    let o = greenlane(&["suggest", "--problem", p, "--case", "C9999"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("C9999"));
}

#[test]
fn a_plan_that_is_not_json_or_a_bad_flag_is_refused_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let problem = generate(dir.path(), "p.json", &["--seed", "8", "--cases", "10", "--arbitrators", "4", "--rooms", "2", "--days", "5"]);
    let plan = dir.path().join("plan.json");
    std::fs::write(&plan, "{\"version\": 1, \"hearings\": [").unwrap();
    let o = greenlane(&["check-plan", "--problem", problem.to_str().unwrap(), "--plan", plan.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("plan 第 1 行"), "{}", text(&o));
    let out = dir.path().join("out.json");
    let o = greenlane(&["schedule", "--problem", problem.to_str().unwrap(), "--out", out.to_str().unwrap(), "--threads", "0"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("--threads"), "{}", text(&o));
    assert!(!out.exists());
}
