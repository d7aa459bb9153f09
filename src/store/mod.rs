//! Persistence with sqlx over SQLite or PostgreSQL: the only module that speaks SQL.
//!
//! One `AnyPool` code path with portable SQL (`$N` placeholders, TEXT dates, INTEGER fen and flags)
//! and two migration folders with the same versions.

pub mod accounts;
pub mod availability;
pub mod awards;
pub mod cases;
pub mod clock;
pub mod codec;
pub mod court;
pub mod documents;
pub mod events;
pub mod evidence;
pub mod feeds;
pub mod figures;
pub mod hearings;
pub mod history;
pub mod idempotency;
pub mod jobs;
pub mod messages;
pub mod party_access;
pub mod party_requests;
pub mod plan_drafts;
pub mod postponements;
pub mod resources;
pub mod services;
pub mod settings;
pub mod simulation;
pub mod throttle;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Transaction};
use std::str::FromStr;
use std::time::Duration;

use crate::config::{Backend, Config, SqliteSync};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// A transaction on either backend.
pub type Tx = Transaction<'static, sqlx::Any>;

/// The database: a writer pool for use cases and a reader pool for queries.
///
/// On SQLite the writer is one connection, so writes queue in the pool instead of failing with
/// `SQLITE_BUSY`; on PostgreSQL both are the same pool.
#[derive(Clone, Debug)]
pub struct Db {
    pub writer: AnyPool,
    pub reader: AnyPool,
    pub backend: Backend,
}

impl Db {
    /// Connects to the database named in the configuration (creating an SQLite file if needed).
    pub async fn connect(config: &Config) -> anyhow::Result<Self> {
        sqlx::any::install_default_drivers();
        match config.backend {
            Backend::Sqlite => {
                let url = sqlite_url(&config.database_url);
                if let Some(dir) = sqlite_dir(&url) {
                    std::fs::create_dir_all(&dir).map_err(|e| anyhow::anyhow!("无法创建数据库目录 {dir}：{e}"))?;
                }
                create_private(&url)?;
                let sync = config.sqlite_synchronous;
                let opts = AnyConnectOptions::from_str(&url)?;
                let writer = AnyPoolOptions::new()
                    .max_connections(1)
                    .idle_timeout(None)
                    .max_lifetime(None)
                    .acquire_timeout(Duration::from_secs(30))
                    .after_connect(move |conn, _| sqlite_pragmas(conn, sync))
                    .connect_with(opts.clone())
                    .await?;
                let reader = AnyPoolOptions::new()
                    .max_connections(config.database_max_connections)
                    .after_connect(move |conn, _| sqlite_pragmas(conn, sync))
                    .connect_with(opts)
                    .await?;
                Ok(Self { writer, reader, backend: Backend::Sqlite })
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(config.database_max_connections)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect(&config.database_url)
                    .await?;
                Ok(Self { writer: pool.clone(), reader: pool, backend: Backend::Postgres })
            }
        }
    }

    /// Applies every pending migration.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        let m = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        m.run(&self.writer).await?;
        Ok(())
    }

    /// Starts a write transaction.
    pub async fn begin(&self) -> sqlx::Result<Tx> {
        self.writer.begin().await
    }

    /// Writes a consistent copy of an SQLite database to `to` (`VACUUM INTO`: readers and writers
    /// go on meanwhile), created 0600 like the database; returns its size. PostgreSQL is backed up
    /// with `pg_dump`, which this refuses to stand in for.
    pub async fn backup_to(&self, to: &std::path::Path) -> anyhow::Result<u64> {
        if self.backend != Backend::Sqlite {
            anyhow::bail!("PostgreSQL 请用 pg_dump 备份，例如：pg_dump --format=custom --file=greenlane.dump \"$GREENLANE_DATABASE_URL\"");
        }
        if to.exists() {
            anyhow::bail!("{} 已存在，不会覆盖；请换一个文件名", to.display());
        }
        let target = to.to_str().ok_or_else(|| anyhow::anyhow!("备份文件名应为 UTF-8"))?;
        create_private(&format!("sqlite:{target}"))?;
        // VACUUM INTO wants an empty or missing file; the empty 0600 one keeps its permissions.
        sqlx::query("VACUUM INTO $1").bind(target).execute(&self.writer).await?;
        Ok(std::fs::metadata(to)?.len())
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.reader).await.is_ok()
    }

    pub async fn close(&self) {
        self.writer.close().await;
        self.reader.close().await;
    }
}

/// WAL (readers do not block the writer), foreign keys, and the configured durability.
fn sqlite_pragmas(
    conn: &mut sqlx::AnyConnection,
    sync: SqliteSync,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = sqlx::Result<()>> + Send + '_>> {
    Box::pin(async move {
        let sync = match sync {
            SqliteSync::Full => "PRAGMA synchronous = FULL",
            SqliteSync::Normal => "PRAGMA synchronous = NORMAL",
        };
        // A 16 MB page cache per connection (SQLite's default is 2 MB): the working set of a busy
        // commission's open cases stays in memory instead of being read back from the OS for every query.
        let pragmas =
            ["PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 10000", "PRAGMA cache_size = -16384", sync];
        for pragma in pragmas {
            sqlx::query(sqlx::AssertSqlSafe(pragma)).execute(&mut *conn).await?;
        }
        Ok(())
    })
}

/// Creates a missing SQLite file readable by its owner only (0600): it holds identity numbers and
/// phone numbers. SQLite gives its `-wal` and `-shm` files the same permissions.
fn create_private(url: &str) -> anyhow::Result<()> {
    let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) else { return Ok(()) };
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path.contains(":memory:") || std::path::Path::new(path).exists() {
        return Ok(());
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(anyhow::anyhow!("无法创建数据库文件 {path}：{e}")),
    }
}

/// Adds `mode=rwc` so a missing SQLite file is created.
fn sqlite_url(url: &str) -> String {
    if url.contains("mode=") || url.contains(":memory:") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

fn sqlite_dir(url: &str) -> Option<String> {
    let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = path.split('?').next()?;
    let parent = std::path::Path::new(path).parent()?;
    let s = parent.to_string_lossy().to_string();
    (!s.is_empty() && !path.contains(":memory:")).then_some(s)
}

/// Whether an error is a UNIQUE violation (portable across both backends).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// Flags are stored as 0/1 integers on both backends.
pub(crate) fn flag(b: bool) -> i64 {
    b as i64
}

/// `($1, $2, …), (…)`: placeholders for `rows` rows of `cols` values (one statement, one round trip).
pub(crate) fn values_placeholders(rows: usize, cols: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", (1..=cols).map(|c| format!("${}", r * cols + c)).collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}
