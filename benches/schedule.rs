//! Hearing-scheduler benchmark: cost, unscheduled cases and time on the two public problems of
//! issue 4 and on other seeds, sizes and loads, one core, checked by the contract's Python checker.
//!
//! `cargo bench --bench schedule` measures (about 5 minutes); under `cargo test` it solves one small
//! problem and its version 2 twin (part-time arbitrators' busy times) for a few hundred iterations. Problems come from `scripts/scheduling/gen_schedule_problem.py`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use greenlane::scheduling::{Options, Problem, check, solve};

const TOOLS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/scheduling");

struct Case {
    name: &'static str,
    args: &'static [&'static str],
    limit: f64,
    /// Reference figures from the issue: first-fit and the target.
    reference: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "medium (public)",
        args: &["--seed", "1"],
        limit: 5.0,
        reference: "first-fit 6,844; CP-SAT 300 s 5,851; bound 4,440; target ≤ 4,900",
    },
    Case {
        name: "large (public)",
        args: &["--seed", "2", "--cases", "3000", "--arbitrators", "120", "--rooms", "50", "--days", "60"],
        limit: 30.0,
        reference: "first-fit 276,988 (176 unscheduled); target ≤ 138,000",
    },
    Case {
        name: "medium (public), part-time 0.3",
        args: &["--seed", "1", "--part-time", "0.3"],
        limit: 5.0,
        reference: "version 2: the same problem with busy times (compare the row above)",
    },
    Case {
        name: "large (public), part-time 0.3",
        args: &["--seed", "2", "--cases", "3000", "--arbitrators", "120", "--rooms", "50", "--days", "60", "--part-time", "0.3"],
        limit: 30.0,
        reference: "version 2: the same problem with busy times (compare the large row)",
    },
    Case {
        name: "small seed 5, part-time 0.3",
        args: &["--seed", "5", "--cases", "200", "--arbitrators", "10", "--rooms", "5", "--days", "20", "--part-time", "0.3"],
        limit: 2.0,
        reference: "version 2",
    },
    Case { name: "medium seed 7", args: &["--seed", "7"], limit: 5.0, reference: "" },
    Case { name: "medium seed 31, light", args: &["--seed", "31", "--booked-fraction", "0.1"], limit: 5.0, reference: "" },
    Case { name: "medium seed 44, heavy", args: &["--seed", "44", "--booked-fraction", "0.45"], limit: 5.0, reference: "" },
    Case {
        name: "small seed 5",
        args: &["--seed", "5", "--cases", "200", "--arbitrators", "10", "--rooms", "5", "--days", "20"],
        limit: 2.0,
        reference: "",
    },
    Case {
        name: "large seed 9",
        args: &["--seed", "9", "--cases", "3000", "--arbitrators", "120", "--rooms", "50", "--days", "60"],
        limit: 30.0,
        reference: "",
    },
];

fn generate(dir: &Path, args: &[&str]) -> PathBuf {
    let out = dir.join(format!("{}.json", args.join("_").replace("--", "")));
    if !out.exists() {
        let ok = Command::new("python3")
            .arg(Path::new(TOOLS).join("gen_schedule_problem.py"))
            .args(args)
            .arg("--out")
            .arg(&out)
            .status()
            .expect("python3 runs the generator");
        assert!(ok.success(), "generator failed for {args:?}");
    }
    out
}

fn python_verdict(problem: &Path, plan: &Path) -> String {
    let o = Command::new("python3")
        .arg(Path::new(TOOLS).join("check_schedule_plan.py"))
        .arg(problem)
        .arg(plan)
        .output()
        .expect("python3 runs the checker");
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

fn main() {
    let measuring = std::env::args().any(|a| a == "--bench");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("schedule-bench");
    std::fs::create_dir_all(&dir).expect("bench directory");
    // Under `cargo test`: the small problem, and its version 2 twin with part-time arbitrators.
    let smoke = ["small seed 5", "small seed 5, part-time 0.3"];
    let cases: Vec<&Case> = if measuring { CASES.iter().collect() } else { CASES.iter().filter(|c| smoke.contains(&c.name)).collect() };
    println!("| problem | cases | cost | unscheduled | time | iterations | Python checker | reference |");
    println!("|---|---:|---:|---:|---:|---:|---|---|");
    for case in cases {
        let path = generate(&dir, case.args);
        let problem = Problem::from_json(&std::fs::read_to_string(&path).expect("problem file")).expect("a valid problem");
        let opts = Options {
            time_limit: Duration::from_secs_f64(case.limit),
            threads: 1,
            seed: 1,
            max_iterations: if measuring { None } else { Some(300) },
            stall: None,
            cancel: None,
        };
        let started = Instant::now();
        let sol = solve(&problem, &opts, |_| {});
        let took = started.elapsed();
        let plan = sol.to_plan(&problem);
        let report = check(&problem, &plan);
        assert!(report.violations.is_empty(), "{}: invalid plan {:?}", case.name, &report.violations[..1]);
        let plan_path = dir.join("plan.json");
        std::fs::write(&plan_path, serde_json::to_string(&plan).expect("plan JSON")).expect("plan file");
        let verdict = python_verdict(&path, &plan_path);
        assert_eq!(verdict, format!("valid cost={} scheduled={} unscheduled={}", sol.cost, report.scheduled, report.unscheduled));
        println!(
            "| {} | {} | {} | {} | {:.1} s | {} | agrees | {} |",
            case.name,
            problem.cases.len(),
            sol.cost,
            report.unscheduled,
            took.as_secs_f64(),
            sol.iterations,
            case.reference
        );
    }
}
