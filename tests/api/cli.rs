//! The command line: `greenlane calendar YEAR` against the State Council's notices day by day,
//! `greenlane calendar load`, and `greenlane clock`.

use std::process::{Command, Output};

use chrono::{Datelike, NaiveDate, Weekday};

struct Cli {
    dir: tempfile::TempDir,
}

impl Cli {
    fn new() -> Self {
        Cli { dir: tempfile::tempdir().unwrap() }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_greenlane"))
            .args(args)
            .env("GREENLANE_DATABASE_URL", format!("sqlite:{}", self.dir.path().join("cli.db").display()))
            .env("RUST_LOG", "error")
            .env_remove("GREENLANE_CONFIG")
            .env_remove("GREENLANE_TODAY")
            .output()
            .unwrap()
    }

    fn stdout(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The notices of rules.md §5, transcribed a second time: (days off as ranges, make-up working days).
fn official(year: i32) -> (Vec<(&'static str, &'static str)>, Vec<&'static str>) {
    match year {
        // 国办发明电〔2022〕16号: 元旦 2022-12-31..2023-01-02 (its 2022 day is outside the year).
        2023 => (
            vec![
                ("2023-01-01", "2023-01-02"),
                ("2023-01-21", "2023-01-27"),
                ("2023-04-05", "2023-04-05"),
                ("2023-04-29", "2023-05-03"),
                ("2023-06-22", "2023-06-24"),
                ("2023-09-29", "2023-10-06"),
            ],
            vec!["2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25", "2023-10-07", "2023-10-08"],
        ),
        2024 => (
            vec![
                ("2024-01-01", "2024-01-01"),
                ("2024-02-10", "2024-02-17"),
                ("2024-04-04", "2024-04-06"),
                ("2024-05-01", "2024-05-05"),
                ("2024-06-10", "2024-06-10"),
                ("2024-09-15", "2024-09-17"),
                ("2024-10-01", "2024-10-07"),
            ],
            vec!["2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12"],
        ),
        2025 => (
            vec![
                ("2025-01-01", "2025-01-01"),
                ("2025-01-28", "2025-02-04"),
                ("2025-04-04", "2025-04-06"),
                ("2025-05-01", "2025-05-05"),
                ("2025-05-31", "2025-06-02"),
                ("2025-10-01", "2025-10-08"),
            ],
            vec!["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
        ),
        2026 => (
            vec![
                ("2026-01-01", "2026-01-03"),
                ("2026-02-15", "2026-02-23"),
                ("2026-04-04", "2026-04-06"),
                ("2026-05-01", "2026-05-05"),
                ("2026-06-19", "2026-06-21"),
                ("2026-09-25", "2026-09-27"),
                ("2026-10-01", "2026-10-07"),
            ],
            vec!["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
        ),
        _ => unreachable!(),
    }
}

#[test]
fn calendar_years_match_the_official_arrangements_day_by_day() {
    let cli = Cli::new();
    for (year, working) in [(2023, 249), (2024, 251), (2025, 248), (2026, 248)] {
        let (off, makeup) = official(year);
        let out = cli.stdout(&["calendar", &year.to_string()]);
        let lines: Vec<&str> = out.lines().collect();
        let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        let days: Vec<NaiveDate> = first.iter_days().take_while(|x| x.year() == year).collect();
        assert_eq!(lines.len(), days.len(), "{year}");
        for (line, day) in lines.iter().zip(&days) {
            let expected = if makeup.iter().any(|m| d(m) == *day) {
                "makeup_workday"
            } else if off.iter().any(|(a, b)| d(a) <= *day && *day <= d(b)) {
                "holiday"
            } else if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                "weekend"
            } else {
                "workday"
            };
            assert_eq!(*line, format!("{day} {expected}"));
        }
        assert_eq!(lines.iter().filter(|l| l.ends_with("workday")).count(), working, "{year}");
    }
}

#[test]
fn a_year_not_loaded_prints_provisionally_and_says_so() {
    let cli = Cli::new();
    let out = cli.run(&["calendar", "2027"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("尚未载入"));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("2027-01-01 holiday\n2027-01-02 weekend\n"));
    let bad = cli.run(&["calendar", "1999"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("年份应为"));
}

#[test]
fn calendar_load_validates_the_whole_file_before_changing_anything() {
    let cli = Cli::new();
    let bad = cli.dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[[year]]\nyear = 2027\ndays_off = [\"2027-01-01\", \"2027-02-06..2027-02-12\"]\nmake_up_working_days = [\"2027-02-07\"]\n",
    )
    .unwrap();
    let out = cli.run(&["calendar", "load", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2027-02-07 同时被列为放假日和调休上班日") && err.contains("未作任何改动"), "{err}");
    assert!(cli.stdout(&["calendar", "2027"]).contains("2027-02-08 workday"));

    let good = cli.dir.path().join("good.toml");
    std::fs::write(
        &good,
        "[[year]]\nyear = 2027\nnotice = \"测试用\"\ndays_off = [\"2027-02-06..2027-02-12\"]\nmake_up_working_days = [\"2027-02-13\"]\n",
    )
    .unwrap();
    assert!(cli.stdout(&["calendar", "load", good.to_str().unwrap()]).contains("已载入2027年放假安排"));
    let year = cli.run(&["calendar", "2027"]);
    assert!(String::from_utf8_lossy(&year.stderr).is_empty());
    let year = String::from_utf8(year.stdout).unwrap();
    assert!(year.contains("2027-02-08 holiday") && year.contains("2027-02-13 makeup_workday"));
}

#[test]
fn clock_prints_the_deadlines_with_the_api_field_names() {
    let cli = Cli::new();
    let out = cli.stdout(&["clock", "--accepted-on", "2026-02-10", "--extend", "15", "--served-on", "2026-02-12"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["serve_by"], "2026-02-24");
    assert_eq!(v["award_due"], "2026-04-13");
    assert_eq!(v["extended"], true);
    assert_eq!(v["suspended_days"], 0);
    assert_eq!(v["provisional"], false);
    // 2026-02-12 + 10 working days: 02-13, 02-14 (make-up Saturday), 02-24 … 02-27,
    // 02-28 (make-up Saturday), 03-02, 03-03, 03-04.
    assert_eq!(v["defence_by"], "2026-03-04");

    let out = cli.stdout(&["clock", "--accepted-on", "2026-02-10", "--suspend", "2026-03-02:2026-03-12"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["suspended_days"], 10);
    assert_eq!(v["award_due"], "2026-04-07");
}

#[test]
fn clock_gives_the_appeal_windows_and_voids_a_waiver_after_public_notice() {
    let cli = Cli::new();
    let out = cli.stdout(&[
        "clock",
        "--accepted-on",
        "2026-08-03",
        "--award",
        "final",
        "--award-made-on",
        "2026-09-10",
        "--worker-served-on",
        "2026-09-11",
        "--employer-served-on",
        "2026-09-14",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["appeal"]["final"], true);
    assert_eq!(v["appeal"]["worker_may_sue_by"], "2026-09-28");
    assert_eq!(v["appeal"]["employer_may_petition_by"], "2026-10-14");
    assert_eq!(v["appeal"]["effective_on"], "2026-09-10");

    // rules.md: a waiver presupposes contact; a public notice (CPL Art. 95) voids it.
    let out = cli.stdout(&["clock", "--accepted-on", "2025-03-03", "--track", "green", "--waive-defence", "--public-notice", "2025-03-10"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["waiver_voided"], true);
    assert_eq!(v["copy_served_on"], "2025-04-09");
    assert!(v["hearing_not_before"].as_str().unwrap() >= "2025-04-17", "{v}");
}

#[test]
fn clock_refuses_bad_flags_with_a_non_zero_exit() {
    let cli = Cli::new();
    for (args, says) in [
        (vec!["clock", "--accepted-on", "2026-02-30"], "无法识别"),
        (vec!["clock", "--accepted-on", "2026-2-3"], "无法识别"),
        (vec!["clock", "--accepted-on", "2026-02-10", "--award", "final", "--award-made-on", "2026-02-09"], "--award-made-on"),
        (
            vec![
                "clock",
                "--accepted-on",
                "2026-02-10",
                "--award",
                "final",
                "--award-made-on",
                "2026-03-10",
                "--worker-served-on",
                "2026-03-09",
            ],
            "--worker-served-on",
        ),
        (
            vec![
                "clock",
                "--accepted-on",
                "2026-02-10",
                "--award",
                "non_final",
                "--award-made-on",
                "2026-03-10",
                "--employer-served-on",
                "2026-03-01",
            ],
            "--employer-served-on",
        ),
        (vec!["clock", "--accepted-on", "2026-02-10", "--hearing-on", "2026-02-09"], "--hearing-on"),
        (
            vec!["clock", "--accepted-on", "2026-02-10", "--hearing-on", "2026-03-02", "--notice-served-on", "2026-03-03"],
            "--notice-served-on",
        ),
        (vec!["clock", "--accepted-on", "2026-02-10", "--extend", "0"], "1至15日"),
        (vec!["clock", "--accepted-on", "2026-02-10", "--extend", "16"], "1至15日"),
        (vec!["clock", "--accepted-on", "2026-02-10", "--suspend", "2026-03-12:2026-03-02"], "应晚于中止日"),
        (
            vec!["clock", "--accepted-on", "2026-02-10", "--suspend", "2026-03-02:2026-03-12", "--suspend", "2026-03-05:2026-03-20"],
            "已中止",
        ),
        (vec!["clock", "--accepted-on", "2026-02-10", "--waive-defence"], "答辩期"),
        (vec!["clock", "--accepted-on", "2100-01-01"], "支持的范围"),
    ] {
        let out = cli.run(&args);
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

#[tokio::test]
async fn backup_copies_a_live_sqlite_database_that_restores_and_never_overwrites() {
    let cli = Cli::new();
    let add = Command::new(env!("CARGO_BIN_EXE_greenlane"))
        .args(["user", "add", "clerk.one", "--role", "clerk"])
        .env("GREENLANE_DATABASE_URL", format!("sqlite:{}", cli.dir.path().join("cli.db").display()))
        .env("GREENLANE_PASSWORD", "a-long-password-1")
        .env("RUST_LOG", "error")
        .env_remove("GREENLANE_CONFIG")
        .output()
        .unwrap();
    assert!(add.status.success(), "{}", String::from_utf8_lossy(&add.stderr));
    let copy = cli.dir.path().join("backup.db");
    let out = cli.stdout(&["backup", "--to", copy.to_str().unwrap()]);
    assert!(out.contains("已备份到"), "{out}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let again = cli.run(&["backup", "--to", copy.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("已存在"));

    // Restore: the copy is a database the service opens, with the account in it.
    let restored = Command::new(env!("CARGO_BIN_EXE_greenlane"))
        .arg("migrate")
        .env("GREENLANE_DATABASE_URL", format!("sqlite:{}", copy.display()))
        .env("RUST_LOG", "error")
        .env_remove("GREENLANE_CONFIG")
        .output()
        .unwrap();
    assert!(restored.status.success(), "{}", String::from_utf8_lossy(&restored.stderr));
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", copy.display())).await.unwrap();
    let users: Vec<String> = sqlx::query_scalar("SELECT username FROM users").fetch_all(&pool).await.unwrap();
    assert_eq!(users, ["clerk.one"]);
}

#[test]
fn user_list_disable_and_password_manage_accounts_from_the_command_line() {
    let cli = Cli::new();
    let with_password = |args: &[&str], password: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_greenlane"))
            .args(args)
            .env("GREENLANE_DATABASE_URL", format!("sqlite:{}", cli.dir.path().join("cli.db").display()))
            .env("GREENLANE_PASSWORD", password)
            .env("RUST_LOG", "error")
            .env_remove("GREENLANE_CONFIG")
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    with_password(&["user", "add", "clerk1", "--role", "clerk"], "first-password-1");
    assert!(cli.stdout(&["user", "list"]).contains("clerk1"));
    // A name documents cannot print is refused before the account is made.
    let nameless = Command::new(env!("CARGO_BIN_EXE_greenlane"))
        .args(["user", "add", "clerk2", "--role", "clerk", "--full-name", " "])
        .env("GREENLANE_DATABASE_URL", format!("sqlite:{}", cli.dir.path().join("cli.db").display()))
        .env("GREENLANE_PASSWORD", "first-password-1")
        .env("RUST_LOG", "error")
        .env_remove("GREENLANE_CONFIG")
        .output()
        .unwrap();
    assert!(!nameless.status.success());
    assert!(String::from_utf8_lossy(&nameless.stderr).contains("姓名应为1到20个字"), "{}", String::from_utf8_lossy(&nameless.stderr));
    assert!(!cli.stdout(&["user", "list"]).contains("clerk2"), "nothing refused is stored");
    with_password(&["user", "password", "clerk1"], "second-password-2");
    cli.stdout(&["user", "disable", "clerk1"]);
    let listed = cli.stdout(&["user", "list"]);
    assert!(listed.lines().any(|l| l.starts_with("clerk1") && l.contains("已停用")), "{listed}");
    let unknown = cli.run(&["user", "disable", "nobody"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("没有这个账号"));
}

/// PostgreSQL is backed up with `pg_dump` (README, "Backups"): a dump of a live database restores
/// with `pg_restore` into an empty one that the service opens with its cases and accounts.
#[tokio::test]
async fn a_pg_dump_of_a_live_database_restores_into_one_the_service_opens() {
    let t = crate::common::TestApp::postgres().await;
    let id = t.filed_case().await;
    let source = t.app.config.database_url.clone();
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("greenlane.dump");
    let out = Command::new("pg_dump").args(["--format=custom", "--file", dump.to_str().unwrap(), &source]).output().expect("pg_dump runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let (prefix, _) = source.rsplit_once('/').unwrap();
    let target = format!("{prefix}/restored_{}", uuid::Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(&format!("{prefix}/postgres")).await.unwrap();
    let name = target.rsplit_once('/').unwrap().1;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin).await.unwrap();
    let out =
        Command::new("pg_restore").args(["--no-owner", "--dbname", &target, dump.to_str().unwrap()]).output().expect("pg_restore runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // The service's own migrate finds nothing to do, and the case is there.
    let migrate = Command::new(env!("CARGO_BIN_EXE_greenlane"))
        .arg("migrate")
        .env("GREENLANE_DATABASE_URL", &target)
        .env("RUST_LOG", "error")
        .env_remove("GREENLANE_CONFIG")
        .output()
        .unwrap();
    assert!(migrate.status.success(), "{}", String::from_utf8_lossy(&migrate.stderr));
    let pool = sqlx::PgPool::connect(&target).await.unwrap();
    let cases: Vec<String> = sqlx::query_scalar("SELECT id FROM cases").fetch_all(&pool).await.unwrap();
    assert_eq!(cases, [id]);
}
