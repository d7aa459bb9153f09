//! The two migration folders keep one schema: the same tables, columns, nullability and indexes on
//! SQLite and PostgreSQL, but for the differences listed here on purpose.

use std::collections::BTreeSet;

use crate::common::TestApp;

/// Indexes one backend has and the other has not, each for a measured reason.
const ONLY_POSTGRES: &[&str] = &[
    // 20261201000001_figures_closed_days: a narrow (track, closed_on) index helps PostgreSQL's
    // per-day closures; SQLite's planner took it for the grouped pass and got slower.
    "cases_closed_days",
];
const ONLY_SQLITE: &[&str] = &[];

/// `table.column nullable|not-null`, and `index name`, for one backend.
async fn sqlite_schema(t: &TestApp) -> (BTreeSet<String>, BTreeSet<String>) {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name",
    )
    .fetch_all(&t.app.db.reader)
    .await
    .unwrap();
    let mut columns = BTreeSet::new();
    for table in &tables {
        let rows: Vec<(String, i64, i64)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT name, \"notnull\", pk FROM pragma_table_info('{table}')")))
                .fetch_all(&t.app.db.reader)
                .await
                .unwrap();
        for (name, not_null, pk) in rows {
            // A primary key is never NULL on PostgreSQL. On SQLite an INTEGER PRIMARY KEY cannot be
            // NULL either; a TEXT one could, by a legacy quirk, but no statement of ours writes one.
            let not_null = not_null == 1 || pk > 0;
            columns.insert(format!("{table}.{name} {}", if not_null { "not-null" } else { "nullable" }));
        }
    }
    let indexes: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name")
            .fetch_all(&t.app.db.reader)
            .await
            .unwrap();
    (columns, indexes.into_iter().collect())
}

async fn postgres_schema(t: &TestApp) -> (BTreeSet<String>, BTreeSet<String>) {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, is_nullable::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_sqlx%' ORDER BY 1, 2",
    )
    .fetch_all(&t.app.db.reader)
    .await
    .unwrap();
    let columns = rows
        .into_iter()
        .map(|(table, column, nullable)| format!("{table}.{column} {}", if nullable == "YES" { "nullable" } else { "not-null" }))
        .collect();
    // Indexes made by a PRIMARY KEY or UNIQUE constraint are SQLite's autoindexes: left out on both.
    let indexes: Vec<String> = sqlx::query_scalar(
        "SELECT i.indexname::text FROM pg_indexes i WHERE i.schemaname = current_schema() AND i.tablename NOT LIKE '\\_sqlx%' \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname) ORDER BY 1",
    )
    .fetch_all(&t.app.db.reader)
    .await
    .unwrap();
    (columns, indexes.into_iter().collect())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgres_schemas_are_the_same_but_for_listed_indexes() {
    let (lite, pg) = (TestApp::sqlite().await, TestApp::postgres().await);
    let (lite_columns, lite_indexes) = sqlite_schema(&lite).await;
    let (pg_columns, pg_indexes) = postgres_schema(&pg).await;
    let only = |a: &BTreeSet<String>, b: &BTreeSet<String>| a.difference(b).cloned().collect::<Vec<_>>();
    assert_eq!(only(&lite_columns, &pg_columns), Vec::<String>::new(), "columns only on SQLite (or nullable differently)");
    assert_eq!(only(&pg_columns, &lite_columns), Vec::<String>::new(), "columns only on PostgreSQL (or nullable differently)");
    assert_eq!(only(&lite_indexes, &pg_indexes), ONLY_SQLITE, "indexes only on SQLite");
    assert_eq!(only(&pg_indexes, &lite_indexes), ONLY_POSTGRES, "indexes only on PostgreSQL");
}

#[cfg(unix)]
#[tokio::test]
async fn a_new_sqlite_database_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("private.db");
    let raw = greenlane::config::RawConfig { database_url: format!("sqlite:{}", path.display()), ..Default::default() };
    let config = greenlane::config::Config::from_raw(raw).unwrap();
    let db = greenlane::store::Db::connect(&config).await.unwrap();
    db.migrate().await.unwrap();
    for file in [path.clone(), dir.path().join("private.db-wal")] {
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.display());
    }
    db.close().await;
}

/// The SQLite rebuild of `documents` (20261211000001, to admit the defence copy) keeps every
/// document as it was, the references to it, and the triggers that keep it unchanged.
#[tokio::test]
async fn upgrading_sqlite_to_the_defence_copy_keeps_every_document_and_its_guards() {
    use sqlx::Row;
    const REBUILD: i64 = 20261211000001;
    let dir = tempfile::tempdir().unwrap();
    let opts = sqlx::sqlite::SqliteConnectOptions::new().filename(dir.path().join("old.db")).create_if_missing(true).foreign_keys(true);
    let pool = sqlx::SqlitePool::connect_with(opts).await.unwrap();
    let all = sqlx::migrate!("migrations/sqlite");
    let before = sqlx::migrate::Migrator {
        migrations: std::borrow::Cow::Owned(all.migrations.iter().filter(|m| m.version < REBUILD).cloned().collect()),
        ..sqlx::migrate!("migrations/sqlite")
    };
    before.run(&pool).await.unwrap();

    // A case with a document, its correction (a reference within the table) and a service of it.
    let mut c = pool.acquire().await.unwrap();
    sqlx::query("PRAGMA foreign_keys = OFF").execute(&mut *c).await.unwrap();
    for (id, corrects) in [(7_i64, None), (8, Some(7_i64))] {
        sqlx::query(
            "INSERT INTO documents (id, case_id, kind, number, title, version, corrects, source, pdf, sha256, pages, issued_on, issued_at, issued_by) \
             VALUES (?, 'CASE000001', 'award_final', '中劳人仲案字〔2026〕第1号', '仲裁裁决书', ?, ?, '@title x', x'255044462d', 'abc', 1, '2026-11-20', '2026-11-20T01:00:00Z', 'arb')",
        )
        .bind(id)
        .bind(id - 6)
        .bind(corrects)
        .execute(&mut *c)
        .await
        .unwrap();
    }
    sqlx::query("PRAGMA foreign_keys = ON").execute(&mut *c).await.unwrap();
    drop(c);

    all.run(&pool).await.unwrap();
    let rows = sqlx::query("SELECT id, corrects, hex(pdf) AS pdf, version FROM documents ORDER BY id").fetch_all(&pool).await.unwrap();
    let kept: Vec<(i64, Option<i64>, String, i64)> =
        rows.iter().map(|r| (r.get("id"), r.get("corrects"), r.get("pdf"), r.get("version"))).collect();
    assert_eq!(kept, [(7, None, "255044462D".to_string(), 1), (8, Some(7), "255044462D".to_string(), 2)]);
    // Other tables still point at the rebuilt table, and a new kind and id follow on.
    let targets: Vec<String> =
        sqlx::query_scalar("SELECT \"table\" FROM pragma_foreign_key_list('services')").fetch_all(&pool).await.unwrap();
    assert!(targets.contains(&"documents".to_string()), "{targets:?}");
    let changed = sqlx::query("UPDATE documents SET title = 'x' WHERE id = 7").execute(&pool).await;
    assert!(changed.unwrap_err().to_string().contains("never changed"));
    let deleted = sqlx::query("DELETE FROM documents WHERE id = 8").execute(&pool).await;
    assert!(deleted.unwrap_err().to_string().contains("never deleted"));
    let fk: bool = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&pool).await.unwrap();
    assert!(fk, "foreign keys are on again after the rebuild");
}
