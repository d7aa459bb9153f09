//! The demo commission a newcomer starts with: filled once, deterministic, and with a history that
//! shows every kind of document and every way a case ends.

use crate::common::TestApp;
use greenlane::demo;

on_both_planning!(the_demo_has_a_history_with_every_kind_of_document_and_fills_only_once);

async fn the_demo_has_a_history_with_every_kind_of_document_and_fills_only_once(t: TestApp) {
    assert!(demo::fill(&t.app, 2026).await.unwrap());
    let kinds: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT kind FROM documents ORDER BY kind").fetch_all(&t.app.db.reader).await.unwrap();
    let every = greenlane::documents::kinds::Kind::ALL.iter().map(|k| k.code().to_string()).collect::<std::collections::BTreeSet<_>>();
    assert_eq!(kinds.into_iter().collect::<std::collections::BTreeSet<_>>(), every);
    let outcomes: Vec<String> = sqlx::query_scalar("SELECT DISTINCT outcome FROM cases WHERE outcome IS NOT NULL ORDER BY outcome")
        .fetch_all(&t.app.db.reader)
        .await
        .unwrap();
    assert_eq!(outcomes, ["award", "deemed_withdrawn", "mediation", "withdrawn"]);
    let split: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE number LIKE '%-2号'").fetch_one(&t.app.db.reader).await.unwrap();
    assert_eq!(split, 1, "one award is split into a final and a non-final part");
    let cases = t.count("cases").await;
    assert!(!demo::fill(&t.app, 2026).await.unwrap(), "a database with cases is left alone");
    assert_eq!(t.count("cases").await, cases);
}
