//! `greenlane simulate`: one scenario, two compared, or one swept over a range of a setting.

use std::path::{Path, PathBuf};

use greenlane::config::Config;
use greenlane::simulate::{self, Options, Scenario};

#[derive(clap::Args)]
pub struct SimulateArgs {
    /// The scenario file (TOML; see scenarios/).
    #[arg(long, required_unless_present = "compare")]
    scenario: Option<PathBuf>,
    /// Where figures.json, report.html and (by default) the simulation's SQLite database go.
    #[arg(long)]
    out: PathBuf,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// File this many cases in all over the period (instead of the scenario's yearly rate).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=200_000))]
    cases: Option<u32>,
    /// File cases on the period's first N working days only (the run goes on until they close).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=400))]
    days: Option<u32>,
    /// Lay out every document as PDF (`on`), or keep their text only (`off`, faster).
    #[arg(long, default_value = "on", value_parser = ["on", "off"])]
    documents: String,
    /// Run on this database (a fresh PostgreSQL database, say) instead of OUT/simulation.db.
    #[arg(long)]
    database_url: Option<String>,
    /// Override a scenario setting, e.g. `--set staff.arbitrators=24` (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// Run two scenarios on the same seed and print them side by side, with the difference.
    #[arg(long, num_args = 2, value_names = ["A", "B"], conflicts_with_all = ["scenario", "sweep"])]
    compare: Option<Vec<PathBuf>>,
    /// Run the scenario once per value: `arbitrators=20..40:2` (also rooms, intake, waiver).
    #[arg(long)]
    sweep: Option<String>,
    /// The green-channel mean cycle a sweep must keep to (days).
    #[arg(long, default_value_t = 12.0)]
    target_green_days: f64,
}

/// Keeps the calling thread, and the threads it starts from now on (the runtime's and SQLite's
/// worker), to the core it runs on. A simulated day is one query after another, each handed to
/// SQLite's worker thread and back: on one core a hand-over is a switch of threads, across two
/// it wakes the other core every time. A 30-day run took 21 s on one core and 39 s spread over two.
pub fn keep_to_one_core() {
    #[cfg(target_os = "linux")]
    // SAFETY: sched_getcpu reads the calling thread's CPU; the set is a plain bit mask on the stack,
    // written only through the CPU_* helpers, and sched_setaffinity only reads it.
    unsafe {
        let cpu = libc::sched_getcpu();
        if cpu < 0 {
            return;
        }
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu as usize, &mut set);
        if libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) != 0 {
            tracing::debug!("could not keep the simulation to one core");
        }
    }
}

impl SimulateArgs {
    /// Whether the run goes to a PostgreSQL database (it needs the runtime's network driver).
    pub fn on_postgres(&self) -> bool {
        self.database_url.as_deref().is_some_and(|u| !u.starts_with("sqlite:"))
    }
}

/// What a sweep may vary, and the scenario key it sets.
const SWEEPS: [(&str, &str); 4] =
    [("arbitrators", "staff.arbitrators"), ("rooms", "staff.rooms"), ("intake", "intake.cases_per_year"), ("waiver", "service.waiver")];

/// Runs the command; the exit code is 2 for a bad scenario or flag (nothing written), 1 for a failure.
pub async fn simulate(args: SimulateArgs, config: Config) -> std::process::ExitCode {
    match dispatch(&args, &config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(Failure::Refused(text)) => {
            eprint!("{text}");
            std::process::ExitCode::from(2)
        }
        Err(Failure::Failed(e)) => {
            eprintln!("错误：{e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

enum Failure {
    Refused(String),
    Failed(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Failed(e)
    }
}

fn options(args: &SimulateArgs) -> Options {
    Options { seed: args.seed, documents: args.documents == "on", database_url: args.database_url.clone(), progress: true }
}

async fn dispatch(args: &SimulateArgs, config: &Config) -> Result<(), Failure> {
    if let Some(pair) = &args.compare {
        let a = load(&pair[0], args, config, &[])?;
        let b = load(&pair[1], args, config, &[])?;
        let ra = simulate::run(config, &a, &options(args), &args.out.join("A")).await?;
        let rb = simulate::run(config, &b, &options(args), &args.out.join("B")).await?;
        let table = simulate::compare::side_by_side(&ra.figures, &rb.figures);
        std::fs::write(args.out.join("compare.txt"), &table).map_err(anyhow::Error::from)?;
        print!("{table}");
        return Ok(());
    }
    let file = args.scenario.as_deref().expect("clap requires --scenario without --compare");
    if let Some(spec) = &args.sweep {
        let (key, values) = sweep_values(spec).map_err(Failure::Refused)?;
        let mut runs = Vec::new();
        // Every value's scenario is checked before the first runs.
        let scenarios: Vec<(String, Scenario)> = values
            .iter()
            .map(|v| Ok((v.clone(), load(file, args, config, &[(key.to_string(), v.clone())])?)))
            .collect::<Result<_, Failure>>()?;
        for (value, scenario) in scenarios {
            eprintln!("扫描 {key} = {value}");
            let out = simulate::sweep_dir(&args.out, key, &value);
            let r = simulate::run(config, &scenario, &options(args), &out).await?;
            runs.push((value, r.figures));
        }
        let table = simulate::compare::sweep_table(key, &runs, args.target_green_days);
        std::fs::write(args.out.join("sweep.txt"), &table).map_err(anyhow::Error::from)?;
        print!("{table}");
        return Ok(());
    }
    let scenario = load(file, args, config, &[])?;
    let r = simulate::run(config, &scenario, &options(args), &args.out).await?;
    print!("{}", simulate::compare::summary(&r.figures));
    println!("模拟 {} 个工作日，用时 {:.1} 秒；结果在 {}（figures.json、report.html）", r.days, r.seconds, args.out.display());
    Ok(())
}

/// Reads a scenario with the command line's overrides (`--set`, `--days`, `--cases`, a sweep's value).
fn load(file: &Path, args: &SimulateArgs, config: &Config, extra: &[(String, String)]) -> Result<Scenario, Failure> {
    let name = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|e| Failure::Refused(format!("无法读取场景文件 {name}：{e}\n")))?;
    let mut overrides = Vec::new();
    for s in &args.set {
        match s.split_once('=') {
            Some((k, v)) => overrides.push((k.trim().to_string(), v.trim().to_string())),
            None => return Err(Failure::Refused(format!("--set “{s}”应写成 键=值，例如 --set staff.arbitrators=24\n"))),
        }
    }
    for (k, v) in extra {
        let key = SWEEPS.iter().find(|(name, _)| name == k).map_or(k.as_str(), |(_, key)| key);
        overrides.push((key.to_string(), v.clone()));
    }
    let calendar = &config.calendar;
    let base = Scenario::parse(&name, &text, &overrides, calendar).map_err(|e| Failure::Refused(e.to_string()))?;
    if args.days.is_none() && args.cases.is_none() {
        return Ok(base);
    }
    let start = base.period.start;
    let end = match args.days {
        Some(n) => calendar.add_working_days(start.pred_opt().unwrap_or(start), n).date,
        None => base.period.end,
    };
    overrides.push(("period.end".into(), end.to_string()));
    if let Some(n) = args.cases {
        let days = (end - start).num_days() + 1;
        overrides.push(("intake.cases_per_year".into(), ((f64::from(n) * 365.0 / days as f64).round() as u32).to_string()));
    }
    Scenario::parse(&name, &text, &overrides, calendar).map_err(|e| Failure::Refused(e.to_string()))
}

/// `arbitrators=20..40:2` → the key and its values (`waiver=0.2..0.8:0.2` for a rate).
fn sweep_values(spec: &str) -> Result<(&'static str, Vec<String>), String> {
    let bad =
        || format!("--sweep “{spec}”应写成 名称=起..止:步长，例如 arbitrators=20..40:2（名称可为 arbitrators、rooms、intake、waiver）\n");
    let (name, range) = spec.split_once('=').ok_or_else(bad)?;
    let key = SWEEPS.iter().find(|(n, _)| *n == name.trim()).map(|(n, _)| *n).ok_or_else(bad)?;
    let (span, step) = range.split_once(':').unwrap_or((range, "1"));
    let (lo, hi) = span.split_once("..").ok_or_else(bad)?;
    let (lo, hi, step): (f64, f64, f64) =
        (lo.trim().parse().map_err(|_| bad())?, hi.trim().parse().map_err(|_| bad())?, step.trim().parse().map_err(|_| bad())?);
    if !(step > 0.0 && lo <= hi && ((hi - lo) / step) <= 50.0) {
        return Err(format!("--sweep “{spec}”：需 起 ≤ 止、步长大于 0，且最多 51 个取值\n"));
    }
    let rate = key == "waiver";
    if !rate && [lo, hi, step].iter().any(|v| v.fract() != 0.0) {
        return Err(format!("--sweep “{spec}”：{key} 是人数或件数，起、止和步长应为整数\n"));
    }
    let n = ((hi - lo) / step + 1e-9).floor() as usize;
    let values =
        (0..=n).map(|i| lo + step * i as f64).map(|v| if rate { format!("{v:.2}") } else { format!("{}", v.round() as i64) }).collect();
    Ok((key, values))
}
