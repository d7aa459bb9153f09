//! The scheduler's commands: `schedule` (problem file → plan file), `suggest` (the best slots for
//! one case) and `check-plan` (the hard rules and the cost of a plan). No database is involved.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use greenlane::scheduling::explain::{self, Reason};
use greenlane::scheduling::{Options, PlanFile, Problem, ProblemError, check, solve};

#[derive(clap::Args)]
pub struct ScheduleArgs {
    /// The problem file (JSON, schedule-problem.md version 1).
    #[arg(long)]
    problem: PathBuf,
    /// Where to write the plan (JSON); written only when the solver finishes.
    #[arg(long)]
    out: PathBuf,
    /// Seconds to spend improving the plan (0.1–86400).
    #[arg(long, default_value = "10", value_parser = parse_seconds)]
    time_limit: Duration,
    /// Searches run side by side (1–256).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
    threads: u16,
    /// Seed of the search; the same seed and --max-iterations give the same plan.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Stop after this many improvement steps per thread (reproducible runs).
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..))]
    max_iterations: Option<u64>,
}

#[derive(clap::Args)]
pub struct SuggestArgs {
    /// The problem file.
    #[arg(long)]
    problem: PathBuf,
    /// The case to place.
    #[arg(long = "case")]
    case_id: String,
    /// How many slots to list (1–100).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=100))]
    top: u16,
    /// A plan whose other hearings are taken as fixed.
    #[arg(long)]
    plan: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// The problem file.
    #[arg(long)]
    problem: PathBuf,
    /// The plan file to check.
    #[arg(long)]
    plan: PathBuf,
}

fn parse_seconds(s: &str) -> Result<Duration, String> {
    let v: f64 = s.parse().map_err(|_| format!("“{s}”不是秒数"))?;
    if !(0.1..=86400.0).contains(&v) {
        return Err(format!("时限应在 0.1 到 86400 秒之间，实为 {v}"));
    }
    Ok(Duration::from_secs_f64(v))
}

/// Exit status 2: the problem (or plan) file is unreadable or breaks the contract.
fn refused(what: &str, e: impl std::fmt::Display) -> ExitCode {
    eprintln!("错误：{what}：{e}");
    ExitCode::from(2)
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("无法读取 {}：{e}", path.display()))
}

fn load_problem(path: &Path) -> Result<Problem, ExitCode> {
    let text = read(path).map_err(|e| refused("问题文件", e))?;
    Problem::from_json(&text).map_err(|e: ProblemError| refused(&format!("问题文件 {} 不符合约定（{}）", path.display(), e.code), e))
}

/// `greenlane schedule`.
pub fn schedule(args: ScheduleArgs) -> ExitCode {
    let problem = match load_problem(&args.problem) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let opts = Options {
        time_limit: args.time_limit,
        threads: usize::from(args.threads),
        seed: args.seed,
        max_iterations: args.max_iterations,
        stall: None,
        cancel: None,
    };
    let started = Instant::now();
    let tty = std::io::stderr().is_terminal();
    let mut last_line = Instant::now();
    let mut last_cost = u64::MAX;
    let sol = solve(&problem, &opts, |p| {
        if p.cost < last_cost && (last_line.elapsed() >= Duration::from_secs(1) || last_cost == u64::MAX) {
            let line = format!("{:6.1} 秒  成本 {}  未排 {}  迭代 {}", p.elapsed.as_secs_f64(), p.cost, p.unscheduled, p.iterations);
            if tty {
                eprint!("\r{line}   ")
            } else {
                eprintln!("{line}")
            }
            last_line = Instant::now();
            last_cost = p.cost;
        }
    });
    if tty {
        eprintln!();
    }
    let plan = sol.to_plan(&problem);
    let report = check(&problem, &plan);
    if !report.violations.is_empty() || report.cost != Some(sol.cost) {
        // The solver keeps every rule by construction; refuse to write a plan if it ever did not.
        for v in &report.violations {
            eprintln!("{v}");
        }
        eprintln!("内部错误：求解结果未通过校验，未写出排期");
        return ExitCode::FAILURE;
    }
    let json = match serde_json::to_string_pretty(&plan) {
        Ok(j) => j + "\n",
        Err(e) => return refused("排期", e),
    };
    if let Err(e) = write_atomically(&args.out, json.as_bytes()) {
        eprintln!("错误：无法写出 {}：{e}", args.out.display());
        return ExitCode::FAILURE;
    }
    eprintln!(
        "cost={} scheduled={} unscheduled={} time={:.2}s iterations={}",
        sol.cost,
        report.scheduled,
        report.unscheduled,
        started.elapsed().as_secs_f64(),
        sol.iterations
    );
    for (c, reason) in explain::reasons(&problem, &sol) {
        eprintln!("未排 {}：{}（{}）", problem.cases[c].id, reason.message(), reason.code());
    }
    ExitCode::SUCCESS
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let (name, mut file) = tempfile_in(dir)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all()).and_then(|()| std::fs::rename(&name, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&name);
    }
    written
}

fn tempfile_in(dir: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    let name = dir.join(format!(".greenlane-plan-{}.tmp", std::process::id()));
    let f = std::fs::File::create(&name)?;
    Ok((name, f))
}

/// `greenlane check-plan`: the same verdict lines as `check_schedule_plan.py`.
pub fn check_plan(args: CheckArgs) -> ExitCode {
    let problem = match load_problem(&args.problem) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let text = match read(&args.plan) {
        Ok(t) => t,
        Err(e) => return refused("排期文件", e),
    };
    let plan = match PlanFile::from_json(&text) {
        Ok(p) => p,
        Err(e) => return refused("排期文件格式有误", e),
    };
    let report = check(&problem, &plan);
    match report.cost {
        Some(cost) => {
            println!("valid cost={cost} scheduled={} unscheduled={}", report.scheduled, report.unscheduled);
            ExitCode::SUCCESS
        }
        None => {
            for v in &report.violations {
                println!("{v}");
            }
            println!("invalid: {} violation(s)", report.violations.len());
            ExitCode::FAILURE
        }
    }
}

/// `greenlane suggest`.
pub fn suggest(args: SuggestArgs) -> ExitCode {
    let problem = match load_problem(&args.problem) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let Some(c) = problem.case(&args.case_id) else {
        return refused("--case", format!("问题文件中没有案件 {}", args.case_id));
    };
    let placements = match &args.plan {
        None => None,
        Some(path) => {
            let plan = match read(path).map_err(|e| e.to_string()).and_then(|t| PlanFile::from_json(&t).map_err(|e| e.to_string())) {
                Ok(p) => p,
                Err(e) => return refused("排期文件", e),
            };
            let report = check(&problem, &plan);
            if report.cost.is_none() {
                let first = report.violations.first().map(ToString::to_string).unwrap_or_default();
                return refused("排期文件违反硬性规则", first);
            }
            Some(explain::placements_of(&problem, &plan))
        }
    };
    let s = explain::suggest(&problem, placements.as_deref(), c, usize::from(args.top));
    let case = &problem.cases[c];
    let track = if case.track.is_empty() { String::new() } else { format!("{}，", case.track) };
    println!("案件 {}（{track}{} 个时隙，{} 座，仲裁员 {} 名，权重 {}）", case.id, case.slots, case.seats, case.panel, case.weight);
    if s.feasible.is_empty() {
        let reason = s.reason.unwrap_or(Reason::Taken { rooms: 0, arbitrators: 0, daily_limit: 0 });
        println!("没有可排的时段：{}（{}）", reason.message(), reason.code());
    } else {
        println!("可排时段（成本从低到高）：");
        for (i, f) in s.feasible.iter().enumerate() {
            println!(
                "{:>3}. {} 第{}时段 第{}时隙起  {}  仲裁员 {}  成本 {}",
                i + 1,
                f.day,
                f.session,
                f.slot,
                f.room,
                f.arbitrators.join("、"),
                f.cost
            );
        }
    }
    if !s.refused.is_empty() {
        println!("更早但不可排的时段：");
        for r in &s.refused {
            println!(
                "     {} 第{}时段 第{}时隙起  成本 {}  规则 {}：{}",
                r.day,
                r.session,
                r.slot,
                r.cost,
                r.refusal.rule.number(),
                r.refusal.why
            );
        }
    }
    ExitCode::SUCCESS
}
