//! The `greenlane` command: serve, migrate, fill a demo commission, manage accounts, the calendar and the clock.

use std::path::PathBuf;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use greenlane::app::accounts::{self, Role, add_user};
use greenlane::app::calendar::{self, Loader};
use greenlane::app::{App, AppError};
use greenlane::config::Config;
use greenlane::demo::{self, history};
use greenlane::http::{AppState, router};
use greenlane::law::calendar::WorkingCalendar;
use greenlane::law::clock::events::{Refusal, check_next};
use greenlane::law::clock::{
    AwardFacts, AwardKind, CaseClock, ClockEntry, ClockEvent, HearingFacts, RestartCause, SuspensionGround, deadlines,
};
use greenlane::law::routing::Track;
use greenlane::store::Db;
use tracing_subscriber::EnvFilter;

mod schedule_cli;
mod simulate_cli;

#[derive(Parser)]
#[command(name = "greenlane", version, about = "劳动人事争议仲裁委员会的立案、分流与审理服务")]
struct Cli {
    /// Configuration file (TOML); `GREENLANE_*` environment variables override it.
    #[arg(long, global = true, env = "GREENLANE_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the service (applies migrations first).
    Serve {
        /// Fill a demo commission first if the database has no cases.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Fill a demo commission (accounts, arbitrators, rooms, cases) if the database has no cases;
    /// with `--cases N`, a synthetic history of N cases over `--years` years instead (for figures at scale).
    Demo {
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Generate a synthetic history of this many cases (1 to 5,000,000) into an empty database.
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=5_000_000))]
        cases: Option<u64>,
        /// The years the synthetic history spans, ending yesterday (1 to 10).
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=10), requires = "cases")]
        years: u32,
    },
    /// Print every day of a year as `YYYY-MM-DD KIND` (`calendar 2026`), or load a new year's
    /// official arrangement (`calendar load FILE`).
    #[command(args_conflicts_with_subcommands = true)]
    Calendar {
        #[command(subcommand)]
        command: Option<CalendarCommand>,
        /// The year to print.
        #[arg(value_parser = WorkingCalendar::parse_year)]
        year: Option<i32>,
    },
    /// Print a case's deadlines as JSON (the field names of the API) from its dates and events.
    Clock(ClockArgs),
    /// Plan hearings: solve a scheduling problem file into a plan file (schedule-problem.md).
    Schedule(schedule_cli::ScheduleArgs),
    /// List the best free slots for one case of a problem, and why cheaper ones are refused.
    Suggest(schedule_cli::SuggestArgs),
    /// Check a plan against a problem's hard rules and print its cost.
    CheckPlan(schedule_cli::CheckArgs),
    /// Simulate a year of the commission from a scenario file, through greenlane's own use cases
    /// (figures.json and report.html); compare two scenarios or sweep a setting for capacity.
    Simulate(simulate_cli::SimulateArgs),
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Take a consistent copy of the SQLite database while the service runs (`VACUUM INTO`). For
    /// PostgreSQL use `pg_dump` (see the README).
    Backup {
        /// The file to write; it must not exist yet.
        #[arg(long)]
        to: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add an account; the password comes from GREENLANE_PASSWORD, else it is prompted for.
    Add {
        name: String,
        #[arg(long, value_enum)]
        role: Role,
        /// Link an arbitrator account to its arbitrator record.
        #[arg(long = "arbitrator")]
        arbitrator_id: Option<i64>,
        /// The name documents print for this person (the 书记员 of an award), e.g. 李书雅.
        #[arg(long = "full-name")]
        full_name: Option<String>,
    },
    /// List every account with its role and whether it is active.
    List,
    /// Disable an account: its sessions and API tokens stop working at once.
    Disable { name: String },
    /// Set a new password (from GREENLANE_PASSWORD, else prompted); every session of the account ends.
    Password { name: String },
}

#[derive(Subcommand)]
enum CalendarCommand {
    /// Validate a calendar file (`[[year]]` tables as in data/calendar/cn.toml) and put its years in
    /// force; nothing changes unless the whole file is valid. A running service picks it up within a minute.
    Load { file: PathBuf },
}

#[derive(clap::Args)]
struct ClockArgs {
    /// The day the application was received (default: the day of acceptance).
    #[arg(long, value_parser = parse_date)]
    filed_on: Option<NaiveDate>,
    /// The day the case was accepted.
    #[arg(long, value_parser = parse_date)]
    accepted_on: NaiveDate,
    /// green, simple, ordinary or collective (a defence waiver needs green or simple).
    #[arg(long, default_value = "ordinary", value_parser = parse_track)]
    track: Track,
    /// A suspension from one day to the day of resumption, `FROM:TO`; repeatable.
    #[arg(long, value_parser = parse_span)]
    suspend: Vec<(NaiveDate, NaiveDate)>,
    /// An approved extension of the award period, 1–15 calendar days.
    #[arg(long, value_parser = parse_extension)]
    extend: Option<u32>,
    /// The day the respondent received the application copy.
    #[arg(long, value_parser = parse_date)]
    served_on: Option<NaiveDate>,
    /// The respondent waived the defence period (green and simple tracks).
    #[arg(long)]
    waive_defence: bool,
    /// The day a notice for service by public notice was published.
    #[arg(long, value_parser = parse_date)]
    public_notice: Option<NaiveDate>,
    /// A day the award period restarted (claims changed, counterclaim merged, …); repeatable.
    #[arg(long, value_parser = parse_date)]
    restart: Vec<NaiveDate>,
    /// The day of the hearing.
    #[arg(long, value_parser = parse_date)]
    hearing_on: Option<NaiveDate>,
    /// The day the hearing notice was served.
    #[arg(long, value_parser = parse_date, requires = "hearing_on")]
    notice_served_on: Option<NaiveDate>,
    /// `final`, `non_final` or `mediation` (a mediation statement), with --award-made-on.
    #[arg(long, value_parser = parse_award_kind, requires = "award_made_on")]
    award: Option<AwardKind>,
    #[arg(long, value_parser = parse_date, requires = "award")]
    award_made_on: Option<NaiveDate>,
    /// The day the worker received the award.
    #[arg(long, value_parser = parse_date, requires = "award")]
    worker_served_on: Option<NaiveDate>,
    /// The day the employer received the award.
    #[arg(long, value_parser = parse_date, requires = "award")]
    employer_served_on: Option<NaiveDate>,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    greenlane::http::serve::return_big_allocations();
    let cli = Cli::parse();
    // The scheduler works on files alone: no configuration, no database.
    let command = match cli.command {
        Command::Schedule(args) => return schedule_cli::schedule(args),
        Command::Suggest(args) => return schedule_cli::suggest(args),
        Command::CheckPlan(args) => return schedule_cli::check_plan(args),
        other => other,
    };
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return std::process::ExitCode::from(2);
        }
    };
    init_logging(config.log_json);
    if let Command::Simulate(args) = command {
        // One thread drives the simulated days: each use case waits on the database anyway, and a
        // single-threaded runtime spares a thread hand-over on every query.
        let run = move || {
            if !args.on_postgres() {
                simulate_cli::keep_to_one_core();
            }
            let mut rt = tokio::runtime::Builder::new_current_thread();
            // On SQLite nothing reads a socket: the runtime parks on a condition variable, cheaper
            // to wake than the I/O driver, on each of the million answers a year's queries wait for.
            if args.on_postgres() {
                rt.enable_all()
            } else {
                rt.enable_time()
            };
            let rt = rt.build().expect("a runtime");
            rt.block_on(simulate_cli::simulate(args, config))
        };
        return std::thread::spawn(run).join().unwrap_or(std::process::ExitCode::FAILURE);
    }
    match run(command, config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    if let Some(today) = config.today {
        tracing::warn!(%today, "GREENLANE_TODAY is set: every legal date uses this fixed day (demos and tests only)");
    }
    let db = Db::connect(&config).await.with_context(|| format!("无法连接数据库 {}", redact(&config.database_url)))?;
    db.migrate().await.context("数据库迁移失败")?;
    let app = App::open(db.clone(), config).await?;
    // Notices are issued from the first acceptance: without templates and fonts the service cannot work.
    if !matches!(command, Command::Migrate) {
        let kit = app.documents().map_err(|e| anyhow::anyhow!("{e}"))?;
        if !kit.covers_rare_characters() {
            tracing::warn!(
                font = greenlane::documents::fonts::HANAZONO_B,
                "没有收录扩展B区汉字的字体：这类字在文书中以〓代替，请运行 scripts/fonts.sh 安装 fonts-hanazono"
            );
        }
        app.notifications().map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    match command {
        Command::Migrate => println!("数据库已是最新结构"),
        Command::Demo { seed, cases: Some(cases), years } => fill_history(&app, history::Plan { cases, years, seed }).await?,
        Command::Demo { seed, cases: None, .. } => fill_demo(&app, seed).await?,
        Command::Serve { demo } => {
            if demo {
                fill_demo(&app, 2026).await?;
            }
            serve(app).await?;
        }
        Command::Calendar { command: Some(CalendarCommand::Load { file }), .. } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("无法读取 {}", file.display()))?;
            match calendar::load(&app, Loader::Cli, &text).await {
                Ok(l) => {
                    let years: Vec<String> = l.years.iter().map(i32::to_string).collect();
                    println!("已载入{}年放假安排；{}件未结案件的期限随之重新计算。", years.join("、"), l.recomputed_cases);
                    println!("正在运行的服务将在一分钟内采用新的日历。");
                }
                Err(AppError::Validation(fields)) => {
                    anyhow::bail!(
                        "日历文件 {} 无效，未作任何改动：{}",
                        file.display(),
                        fields.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join("；")
                    )
                }
                Err(e) => anyhow::bail!("{e}"),
            }
        }
        Command::Calendar { command: None, year } => {
            let Some(year) = year else {
                anyhow::bail!("请给出年份，例如 greenlane calendar 2026；或 greenlane calendar load FILE")
            };
            let cal = app.calendar();
            if !cal.is_loaded(year) {
                eprintln!("注意：{year}年的官方放假安排尚未载入，以下只按周末和元旦、劳动节、国庆的固定日期推算（暂定）。");
            }
            let mut out = String::new();
            for d in greenlane::http::clock::year_days(&cal, year) {
                out.push_str(&format!("{} {}\n", d.date, d.kind));
            }
            print!("{out}");
        }
        Command::Clock(args) => println!("{}", clock_json(&app, &args)?),
        Command::Schedule(_) | Command::Suggest(_) | Command::CheckPlan(_) | Command::Simulate(_) => {
            unreachable!("handled before the database opens")
        }
        Command::Backup { to } => {
            let bytes = db.backup_to(&to).await?;
            println!("已备份到 {}（{} 字节）。恢复时停止服务，把该文件复制为 database_url 指向的文件后重新启动。", to.display(), bytes);
        }
        Command::User { command: UserCommand::List } => {
            for a in accounts::list(&app).await? {
                let linked = a.arbitrator_id.map(|id| format!("（仲裁员编号 {id}）")).unwrap_or_default();
                println!("{:<20}{}{}{}", a.username, a.role.label(), linked, if a.active { "" } else { "  已停用" });
            }
        }
        Command::User { command: UserCommand::Disable { name } } => match accounts::disable(&app, &name).await {
            Ok(()) => println!("已停用账号 {name}，其登录会话和令牌已失效"),
            Err(e) => anyhow::bail!("{e}"),
        },
        Command::User { command: UserCommand::Password { name } } => {
            let password = password_for(&name)?;
            match accounts::set_password(&app, &name, &password).await {
                Ok(()) => println!("已为 {name} 设置新密码，其原有会话和令牌已失效"),
                Err(AppError::Validation(fields)) => {
                    anyhow::bail!("{}", fields.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join("；"))
                }
                Err(e) => anyhow::bail!("{e}"),
            }
        }
        Command::User { command: UserCommand::Add { name, role, arbitrator_id, full_name } } => {
            let password = password_for(&name)?;
            // The name is checked first: a refused name leaves no account behind.
            let added = async {
                if let Some(full) = full_name.as_deref() {
                    accounts::check_full_name(full)?;
                }
                let id = add_user(&app, &name, role, &password, arbitrator_id).await?;
                if let Some(full) = full_name.as_deref() {
                    accounts::set_full_name(&app, &name, full).await?;
                }
                Ok::<_, AppError>(id)
            }
            .await;
            match added {
                Ok(id) => println!("已创建账号 {name}（{}），编号 {id}", role.label()),
                Err(AppError::Validation(fields)) => {
                    let lines: Vec<String> = fields.iter().map(|f| format!("  {}：{}", f.field, f.message)).collect();
                    anyhow::bail!("账号信息有误：\n{}", lines.join("\n"));
                }
                Err(e) => anyhow::bail!("{e}"),
            }
        }
    }
    db.close().await;
    Ok(())
}

/// A password from GREENLANE_PASSWORD, else typed at the prompt.
fn password_for(name: &str) -> anyhow::Result<String> {
    match std::env::var("GREENLANE_PASSWORD") {
        Ok(p) => Ok(p),
        Err(_) => rpassword::prompt_password(format!("{name} 的密码：")).context("无法读取密码"),
    }
}

/// The deadlines of the case described by the flags, checked event by event like the service does.
fn clock_json(app: &App, a: &ClockArgs) -> anyhow::Result<String> {
    let entry = |on, event| ClockEntry { on, event };
    let mut entries = Vec::new();
    for &(from, to) in &a.suspend {
        entries.push(entry(from, ClockEvent::Suspended { ground: SuspensionGround::Other }));
        entries.push(entry(to, ClockEvent::Resumed));
    }
    if let Some(days) = a.extend {
        entries.push(entry(a.accepted_on, ClockEvent::Extended { days, approver: "命令行".into() }));
    }
    if a.waive_defence {
        entries.push(entry(a.accepted_on, ClockEvent::DefenceWaived { days: None }));
    }
    if let Some(on) = a.served_on {
        entries.push(entry(on, ClockEvent::CopyServed));
    }
    if let Some(on) = a.public_notice {
        entries.push(entry(on, ClockEvent::PublicNotice));
    }
    for &on in &a.restart {
        entries.push(entry(on, ClockEvent::Restarted { cause: RestartCause::ClaimsChanged }));
    }
    // Resumption before anything else recorded the same day; otherwise the order given.
    entries.sort_by_key(|e| (e.on, !matches!(e.event, ClockEvent::Resumed)));
    let filed_on = a.filed_on.unwrap_or(a.accepted_on);
    check_clock_args(a, filed_on)?;
    let calendar = app.calendar();
    let rules = app.config.clock_rules;
    let far = NaiveDate::from_ymd_opt(greenlane::law::calendar::LAST_YEAR, 12, 31).expect("valid");
    let case = |events| CaseClock { filed_on, accepted_on: Some(a.accepted_on), events, hearing: None, awards: &[], today: far };
    for i in 0..entries.len() {
        let before = deadlines(&calendar, rules, &case(&entries[..i]));
        if let Err(r) = check_next(Some(a.accepted_on), filed_on, a.track, &entries[..i], before.award_due, far, &entries[i]) {
            let why = match r {
                Refusal::Conflict(m) => m,
                Refusal::Invalid { field, message, .. } => format!("{field}：{message}"),
            };
            anyhow::bail!("{} {}：{why}", entries[i].on, entries[i].event.label());
        }
    }
    let mut input = case(&entries);
    input.hearing = a.hearing_on.map(|on| HearingFacts { on, notice_served_on: a.notice_served_on });
    let awards: Vec<AwardFacts> = match (a.award, a.award_made_on) {
        (Some(kind), Some(made_on)) => vec![AwardFacts {
            document_id: None,
            kind,
            made_on,
            worker_served_on: a.worker_served_on,
            employer_served_on: a.employer_served_on,
        }],
        _ => Vec::new(),
    };
    input.awards = &awards;
    Ok(serde_json::to_string_pretty(&deadlines(&calendar, rules, &input))?)
}

/// Refuses dates that cannot follow one another, naming the flag.
fn check_clock_args(a: &ClockArgs, filed_on: NaiveDate) -> anyhow::Result<()> {
    let acc = a.accepted_on;
    let mut problems = Vec::new();
    let mut not_before = |flag: &str, day: Option<NaiveDate>, other: &str, bound: Option<NaiveDate>| {
        if let (Some(day), Some(bound)) = (day, bound)
            && day < bound
        {
            problems.push(format!("{flag}（{day}）不能早于 {other}（{bound}）"));
        }
    };
    not_before("--accepted-on", Some(acc), "--filed-on", Some(filed_on));
    not_before("--served-on", a.served_on, "--accepted-on", Some(acc));
    not_before("--public-notice", a.public_notice, "--accepted-on", Some(acc));
    not_before("--hearing-on", a.hearing_on, "--accepted-on", Some(acc));
    not_before("--notice-served-on", a.notice_served_on, "--accepted-on", Some(acc));
    not_before("--hearing-on", a.hearing_on, "--notice-served-on", a.notice_served_on);
    not_before("--award-made-on", a.award_made_on, "--accepted-on", Some(acc));
    not_before("--worker-served-on", a.worker_served_on, "--award-made-on", a.award_made_on);
    not_before("--employer-served-on", a.employer_served_on, "--award-made-on", a.award_made_on);
    for &(from, _) in &a.suspend {
        not_before("--suspend", Some(from), "--accepted-on", Some(acc));
    }
    for &on in &a.restart {
        not_before("--restart", Some(on), "--accepted-on", Some(acc));
    }
    if problems.is_empty() { Ok(()) } else { anyhow::bail!("{}", problems.join("；")) }
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    greenlane::law::dates::parse_iso(s).map_err(|v| v.message)
}

fn parse_span(s: &str) -> Result<(NaiveDate, NaiveDate), String> {
    let (a, b) = s.split_once(':').ok_or_else(|| format!("“{s}”应写成 起始日:恢复日，例如 2026-03-02:2026-03-12"))?;
    let (a, b) = (parse_date(a)?, parse_date(b)?);
    if b <= a {
        return Err(format!("恢复日 {b} 应晚于中止日 {a}"));
    }
    Ok((a, b))
}

fn parse_extension(s: &str) -> Result<u32, String> {
    match s.parse::<u32>() {
        Ok(n @ 1..=15) => Ok(n),
        _ => Err("延长审限应为1至15日（调解仲裁法第四十三条）".into()),
    }
}

fn parse_track(s: &str) -> Result<Track, String> {
    Track::parse(s).ok_or_else(|| "程序应为 green、simple、ordinary 或 collective".into())
}

fn parse_award_kind(s: &str) -> Result<AwardKind, String> {
    match s {
        "final" => Ok(AwardKind::Final),
        "non_final" => Ok(AwardKind::NonFinal),
        "mediation" => Ok(AwardKind::Mediation),
        _ => Err("裁决类型应为 final、non_final 或 mediation".into()),
    }
}

async fn fill_history(app: &App, plan: history::Plan) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let mut shown = 0;
    history::fill(app, plan, |done, total| {
        let percent = done * 100 / total;
        if percent >= shown + 5 || done == total {
            shown = percent;
            eprintln!("已写入 {done}/{total} 件（{percent}%），用时 {:.0} 秒", started.elapsed().as_secs_f64());
        }
    })
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "已生成合成历史：{} 件案件，{} 年（种子 {}），用时 {:.1} 秒。",
        plan.cases,
        plan.years,
        plan.seed,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn fill_demo(app: &App, seed: u64) -> anyhow::Result<()> {
    if demo::fill(app, seed).await.map_err(|e| anyhow::anyhow!("{e}: {e:?}"))? {
        println!("已生成演示数据：8名仲裁员、5个审理庭、45件案件（其中9件已结案）。");
    } else {
        println!("数据库中已有案件，未再生成演示数据。");
    }
    println!("演示账号（密码均为 {}）：", demo::DEMO_PASSWORD);
    for l in &demo::LOGINS {
        println!("  {:<12}{}", l.username, l.role.label());
    }
    Ok(())
}

async fn serve(app: App) -> anyhow::Result<()> {
    let addr = app.config.addr;
    let grace = app.config.shutdown_grace;
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("无法监听 {addr}"))?;
    println!("greenlane 已启动：http://{addr}/  （申请页 /apply，工作人员 /staff，API 文档 /api/openapi.json）");
    // Hearing notices fixed before the outbox existed get their job; then one worker per
    // instance runs the outbox until the service stops.
    match greenlane::app::documents::enqueue_untypeset_hearing_notices(&app).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(queued = n, "hearing notices without a document are queued"),
        Err(e) => tracing::warn!(error = %e, "could not look for untypeset hearing notices"),
    }
    if let Err(e) = greenlane::app::jobs::schedule_housekeeping(&app).await {
        tracing::warn!(error = %e, "could not queue the housekeeping jobs");
    }
    let (worker_stop, mut worker_stopped) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(greenlane::app::jobs::work(app.clone(), async move {
        let _ = worker_stopped.wait_for(|stop| *stop).await;
    }));
    let app_stopping = app.stopping.clone();
    let limits = app.config.network;
    let service = router(AppState::new(app));
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let stopping = app_stopping;
    let server = greenlane::http::serve::serve(listener, service, limits, async move {
        shutdown_signal().await;
        stopping.store(true, std::sync::atomic::Ordering::Relaxed);
        tracing::info!("shutting down: finishing requests in flight");
        let _ = stop_tx.send(());
    });
    let guard = async {
        let _ = stop_rx.await;
        tokio::time::sleep(grace).await;
        tracing::warn!(?grace, "requests still in flight after the grace period; stopping");
    };
    tokio::select! {
        () = server => {}
        _ = guard => {}
    }
    let _ = worker_stop.send(true);
    let _ = tokio::time::timeout(grace, worker).await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

fn init_logging(json: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let cred = &url[s + 3..at];
            match cred.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}
