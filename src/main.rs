//! The `greenlane` command: serve, migrate, fill a demo commission, manage accounts.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use greenlane::app::accounts::{Role, add_user};
use greenlane::app::{App, AppError, demo};
use greenlane::config::Config;
use greenlane::http::{AppState, router};
use greenlane::store::Db;
use tracing_subscriber::EnvFilter;

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
    /// Fill a demo commission (accounts, arbitrators, rooms, cases) if the database has no cases.
    Demo {
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
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
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return std::process::ExitCode::from(2);
        }
    };
    init_logging(config.log_json);
    match run(cli.command, config).await {
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
    let app = App::new(db.clone(), config);
    match command {
        Command::Migrate => println!("数据库已是最新结构"),
        Command::Demo { seed } => fill_demo(&app, seed).await?,
        Command::Serve { demo } => {
            if demo {
                fill_demo(&app, 2026).await?;
            }
            serve(app).await?;
        }
        Command::User { command: UserCommand::Add { name, role, arbitrator_id } } => {
            let password = match std::env::var("GREENLANE_PASSWORD") {
                Ok(p) => p,
                Err(_) => rpassword::prompt_password(format!("{name} 的密码：")).context("无法读取密码")?,
            };
            match add_user(&app, &name, role, &password, arbitrator_id).await {
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

async fn fill_demo(app: &App, seed: u64) -> anyhow::Result<()> {
    if demo::fill(app, seed).await.map_err(|e| anyhow::anyhow!("{e}: {e:?}"))? {
        println!("已生成演示数据：8名仲裁员、5个仲裁庭、36件案件。");
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
    let service = router(AppState::new(app)).into_make_service_with_connect_info::<SocketAddr>();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = axum::serve(listener, service).with_graceful_shutdown(async move {
        shutdown_signal().await;
        tracing::info!("shutting down: finishing requests in flight");
        let _ = stop_tx.send(());
    });
    let guard = async {
        let _ = stop_rx.await;
        tokio::time::sleep(grace).await;
        tracing::warn!(?grace, "requests still in flight after the grace period; stopping");
    };
    tokio::select! {
        r = server => r.context("服务异常退出")?,
        _ = guard => {}
    }
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
