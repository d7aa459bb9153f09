//! `greenlane simulate`: a year of the commission run day by day through greenlane's own use
//! cases on a fresh database under a simulated clock, with its figures (`figures.json`) and a
//! self-contained report (`report.html`); scenarios compared, and staff swept for capacity.

pub mod compare;
pub mod day;
pub mod figures;
pub mod intake;
pub mod people;
pub mod report;
pub mod scenario;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rand::{Rng, SeedableRng};

use crate::app::accounts::{Role, Staff};
use crate::app::{App, AppError};
use crate::config::{Backend, Config, SmsSettings};
use crate::store::{Db, feeds, hearings, resources, simulation as store};
pub use scenario::{Problem, Refused, Scenario};

/// How a simulation runs (the command line, past the scenario).
#[derive(Debug, Clone)]
pub struct Options {
    pub seed: u64,
    /// Lay out every document as PDF (slower), or keep only their text.
    pub documents: bool,
    /// A PostgreSQL URL; default a fresh SQLite file in the output directory.
    pub database_url: Option<String>,
    /// Print a progress line as the days pass.
    pub progress: bool,
}

/// What a run gives: its figures, and how long it took.
pub struct Outcome {
    pub figures: figures::SimFigures,
    pub seconds: f64,
    pub days: u64,
}

/// The settings a run uses: the commission's configuration with the run's database, no mail or
/// SMS leaving, documents laid out or not, and the planner's budget fixed in iterations.
fn run_config(base: &Config, scenario: &Scenario, opts: &Options, out: &Path) -> Config {
    let mut config = base.clone();
    match &opts.database_url {
        Some(url) => {
            config.database_url = url.clone();
            config.backend = if url.starts_with("sqlite:") { Backend::Sqlite } else { Backend::Postgres };
        }
        None => {
            config.database_url = format!("sqlite:{}", out.join("simulation.db").display());
            config.backend = Backend::Sqlite;
        }
    }
    config.today = None;
    // A simulation database is made again from its seed: commits need not wait for the disk.
    config.sqlite_synchronous = crate::config::SqliteSync::Normal;
    config.outbound.smtp = None;
    config.outbound.sms = SmsSettings::None;
    config.typeset = opts.documents;
    config.hearings.max_iterations = Some(if scenario.planning.solver == "greedy" { 0 } else { scenario.planning.iterations });
    config
}

/// Runs `scenario` into `out` (created if missing): a fresh database, or the same scenario's
/// database resumed after its last finished day; writes `figures.json` and `report.html`.
pub async fn run(base: &Config, scenario: &Scenario, opts: &Options, out: &Path) -> anyhow::Result<Outcome> {
    std::fs::create_dir_all(out)?;
    let started = std::time::Instant::now();
    let config = run_config(base, scenario, opts, out);
    let db = Db::connect(&config).await?;
    db.migrate().await?;
    let app = App::open(db, config).await?;
    app.documents().map_err(|e| anyhow::anyhow!("{e}"))?;
    let resume = prepare(&app, scenario, opts.seed).await?;
    let commission = day::Commission::new(app.clone(), scenario.clone(), opts.seed);
    let calendar = app.calendar();
    let mut days = 0u64;
    let first = resume.map_or(scenario.period.start, |d| d.succ_opt().unwrap_or(d));
    let mut filed = 0u64;
    for d in first.iter_days().take_while(|d| *d <= scenario.last_day()) {
        if !calendar.is_working_day(d).0 {
            continue;
        }
        let done = commission.day(d).await.map_err(|e| anyhow::anyhow!("模拟 {d} 时出错：{e}：{e:?}"))?;
        filed += done.filed;
        days += 1;
        if opts.progress && (std::io::IsTerminal::is_terminal(&std::io::stderr()) || days.is_multiple_of(10)) {
            progress(&app, d, scenario, filed, started.elapsed().as_secs_f64()).await?;
        }
    }
    if opts.progress {
        eprintln!();
    }
    let figures = figures::compute(&app, scenario, opts.seed).await.map_err(|e| anyhow::anyhow!("{e}: {e:?}"))?;
    let seconds = started.elapsed().as_secs_f64();
    std::fs::write(out.join("figures.json"), serde_json::to_string_pretty(&figures)?)?;
    std::fs::write(out.join("report.html"), report::html(&figures, seconds))?;
    app.db.writer.close().await;
    app.db.reader.close().await;
    Ok(Outcome { figures, seconds, days })
}

/// One line of progress: the simulated day, cases filed and open, time spent.
async fn progress(app: &App, day: NaiveDate, s: &Scenario, filed: u64, secs: f64) -> anyhow::Result<()> {
    use std::io::{IsTerminal, Write};
    let mut conn = app.db.reader.acquire().await?;
    let open = store::in_states(
        &mut conn,
        &[
            crate::law::case::Status::Filed,
            crate::law::case::Status::Accepted,
            crate::law::case::Status::Scheduled,
            crate::law::case::Status::Heard,
            crate::law::case::Status::Suspended,
        ],
    )
    .await?
    .len();
    let total = (s.last_day() - s.period.start).num_days().max(1);
    let done = (day - s.period.start).num_days() * 100 / total;
    let bar: String = (0..20).map(|i| if i * 5 < done { '█' } else { '░' }).collect();
    let line = format!("{bar} {done:>3}% 模拟日期 {day} · 本次新收 {filed} 件 · 未结 {open} 件 · 用时 {secs:.0} 秒");
    if std::io::stderr().is_terminal() {
        eprint!("\r{line}   ");
        std::io::stderr().flush()?;
    } else {
        eprintln!("{line}");
    }
    Ok(())
}

/// Makes a fresh database the scenario's (roster, rooms, leave, the run's row), or finds where a
/// stopped run of the same scenario and seed left off. Another scenario's database is refused.
async fn prepare(app: &App, scenario: &Scenario, seed: u64) -> anyhow::Result<Option<NaiveDate>> {
    let text = serde_json::to_string(scenario)?;
    let mut conn = app.db.writer.acquire().await?;
    if let Some(run) = store::run(&mut conn).await? {
        if run.scenario != text || run.seed != seed as i64 {
            anyhow::bail!("该数据库是为另一场景或种子建立的模拟库，不能续跑；请换一个输出目录或数据库");
        }
        return Ok(run.last_day.as_deref().and_then(|d| d.parse().ok()));
    }
    if resources::count_cases(&mut conn).await? > 0 {
        anyhow::bail!("数据库中已有案件：模拟只在空数据库上运行，请换一个数据库");
    }
    drop(conn);
    roster(app, scenario, seed).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut conn = app.db.writer.acquire().await?;
    store::start(&mut conn, &text, seed as i64, &app.time.now_text()).await?;
    Ok(None)
}

/// The scenario's arbitrators (the first `presiding` may preside), rooms (the large ones for
/// collective cases) and each arbitrator's leave, in blocks of five working days.
async fn roster(app: &App, s: &Scenario, seed: u64) -> Result<(), AppError> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let now = app.time.now_text();
    let calendar = app.calendar();
    let mut tx = app.db.begin().await?;
    let workdays: Vec<NaiveDate> =
        s.period.start.iter_days().take_while(|d| *d <= s.period.end).filter(|d| calendar.is_working_day(*d).0).collect();
    for i in 0..s.staff.arbitrators {
        let name = crate::demo::person(&mut rng);
        let id = resources::insert_arbitrator(&mut tx, &name, i < s.staff.presiding, i64::from(s.staff.max_per_day), &now).await?;
        feeds::set_token_digest(
            &mut tx,
            feeds::Resource::Arbitrator,
            id,
            &crate::app::docket::feed_digest(&crate::app::secrets::new_token()),
        )
        .await?;
        for _ in 0..s.staff.leave_days / 5 {
            if workdays.len() < 5 {
                break;
            }
            let from = rng.random_range(0..workdays.len() - 4);
            let (a, b) = (workdays[from].to_string(), workdays[from + 4].to_string());
            hearings::insert_leave(&mut tx, id, &a, &b, "年休假", &now, "模拟").await?;
        }
    }
    for i in 0..s.staff.rooms {
        let large = i >= s.staff.rooms - s.staff.large_rooms;
        let name = if large { format!("大审理庭{}", i + 1) } else { format!("第{}审理庭", i + 1) };
        let id = resources::insert_room(&mut tx, &name, if large { 40 } else { i64::from(s.staff.seats) }, &now).await?;
        feeds::set_token_digest(&mut tx, feeds::Resource::Room, id, &crate::app::docket::feed_digest(&crate::app::secrets::new_token()))
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The output directory of one value of a sweep.
pub fn sweep_dir(out: &Path, key: &str, value: &str) -> PathBuf {
    out.join(format!("{key}-{value}"))
}

/// A staff member the simulator acts as (never an account).
pub fn actor(role: Role) -> Staff {
    Staff { user_id: 0, username: "模拟".into(), role, arbitrator_id: None }
}
