//! Loading a new year's holiday arrangement without a release: validated, stored, swapped in, and
//! every open case whose deadlines move gets an audit event saying how.

use std::sync::Arc;

use serde::Serialize;

use super::accounts::{Role, Staff};
use super::deadlines::{CaseDates, award_due_change, open_case_clocks};
use super::{App, AppError};
use crate::law::calendar::WorkingCalendar;
use crate::store::clock::{self as store, CalendarYearRow};
use crate::store::events;

/// What a load did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Loaded {
    pub years: Vec<i32>,
    /// Open cases whose deadlines changed with the new calendar.
    pub recomputed_cases: usize,
}

/// Who loads a calendar: an admin through the API, or the operator at the command line.
pub enum Loader<'a> {
    Admin(&'a Staff),
    Cli,
}

/// Validates `text` as a calendar file, stores its years (replacing earlier loads of the same
/// years), records the changed deadlines of every open case, and swaps the calendar in.
pub async fn load(app: &App, loader: Loader<'_>, text: &str) -> Result<Loaded, AppError> {
    let by = match loader {
        Loader::Admin(s) => {
            s.require(&[Role::Admin])?;
            s.username.clone()
        }
        Loader::Cli => "命令行".to_string(),
    };
    let new_years = WorkingCalendar::from_toml(text).map_err(|e| AppError::field("calendar", "invalid_calendar", e.to_string()))?;
    let now = app.time.now_text();
    let mut tx = app.db.begin().await?;
    // Writes dating things with the old calendar finish first; later ones see this load.
    store::lock_calendar(&mut tx).await?;
    let old = in_force_within(app, &mut tx).await?;
    for y in new_years.years() {
        let arrangement = new_years.year_toml(y.year).expect("the year is loaded");
        let row =
            CalendarYearRow { year: y.year.into(), notice: y.notice.clone(), arrangement, loaded_at: now.clone(), loaded_by: by.clone() };
        store::upsert_calendar_year(&mut tx, &row).await?;
    }
    // Built from every stored year, read in this transaction, so two loads cannot undo each other.
    let merged = with_stored_years(&app.config.calendar, &store::calendar_years(&mut tx).await?)?;
    let open = open_case_clocks(&mut tx, false).await?;
    let years: Vec<i32> = new_years.years().map(|y| y.year).collect();
    let mut recomputed = 0;
    for (c, list) in &open {
        let dates = CaseDates::parse(c.status, &c.filed_on, c.accepted_on.as_deref())?;
        let before = app.deadlines_with(&old, &dates, list);
        let after = app.deadlines_with(&merged, &dates, list);
        if before != after {
            recomputed += 1;
            let years_text: Vec<String> = years.iter().map(|y| y.to_string()).collect();
            let note = format!("载入{}年放假安排，期限重新计算；{}", years_text.join("、"), award_due_change(&before, &after));
            events::append(
                &mut tx,
                &events::NewEvent {
                    case_id: &c.id,
                    at: &now,
                    actor: &by,
                    action: "deadlines_recomputed",
                    before: Some(c.status.code()),
                    after: Some(c.status.code()),
                    note: Some(&note),
                },
            )
            .await?;
        }
    }
    let stamp = store::calendar_stamp(&mut tx).await?;
    tx.commit().await?;
    app.set_calendar(stamp, merged);
    tracing::info!(?years, recomputed, "calendar loaded");
    Ok(Loaded { years, recomputed_cases: recomputed })
}

fn with_stored_years(base: &WorkingCalendar, rows: &[CalendarYearRow]) -> Result<WorkingCalendar, AppError> {
    let mut text = String::new();
    for r in rows {
        text.push_str(&r.arrangement);
        text.push('\n');
    }
    if text.is_empty() {
        return Ok(base.clone());
    }
    let stored = WorkingCalendar::from_toml(&text).map_err(|e| anyhow::anyhow!("stored calendar years: {e}"))?;
    Ok(base.merged_with(&stored))
}

/// The calendar in force as the database holds it now: the one this instance has when no load
/// happened since it was built, else rebuilt from the stored years (a load through another
/// instance or `greenlane calendar load`).
pub async fn in_force(app: &App) -> Result<Arc<WorkingCalendar>, AppError> {
    let mut conn = app.db.reader.acquire().await?;
    in_force_within(app, &mut conn).await
}

/// [`in_force`] read through the caller's connection or transaction.
pub async fn in_force_within(app: &App, conn: &mut sqlx::AnyConnection) -> Result<Arc<WorkingCalendar>, AppError> {
    let stamp = store::calendar_stamp(conn).await?;
    if app.calendar_stamp().as_deref() == Some(stamp.as_str()) {
        return Ok(app.calendar());
    }
    let cal = with_stored_years(&app.config.calendar, &store::calendar_years(conn).await?)?;
    app.set_calendar(stamp, cal);
    Ok(app.calendar())
}

/// In a write that dates things (deadlines in a notice, a clock event): holds the calendar still
/// until the transaction ends and puts the one in force in place, so no document is dated with a
/// calendar another instance has replaced.
pub async fn hold(app: &App, tx: &mut sqlx::AnyConnection) -> Result<Arc<WorkingCalendar>, AppError> {
    store::hold_calendar(tx).await?;
    in_force_within(app, tx).await
}
