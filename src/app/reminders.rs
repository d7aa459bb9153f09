//! Reminders of what is close (issue 21 §7, "deadline approaching"): the parties of a hearing on
//! the next working day, and a respondent whose defence period (Law Art. 30) ends within two
//! working days.
//! A job of the outbox that runs every hour and sends nothing at night; each reminder goes once.

use chrono::{Duration, FixedOffset, Timelike, Utc};

use super::jobs::{self, Job};
use super::notify::{self, To};
use super::{App, AppError};
use crate::documents::kinds::{chinese_date, chinese_time};
use crate::notifications::{Facts, Occasion};

/// Hours of the commission's day in which reminders go out (08:00 to 20:59, Beijing time).
const WAKING: std::ops::RangeInclusive<u32> = 8..=20;
/// How often the sweep runs.
const EVERY: Duration = Duration::hours(1);

/// The outbox's reminders job: sweeps (by day; at night only when the clock is fixed, as in tests
/// and the demo) and schedules the next sweep.
pub async fn run(app: &App, done: jobs::Done<'_>) -> Result<(), AppError> {
    let hour = Utc::now().with_timezone(&FixedOffset::east_opt(8 * 3600).expect("valid offset")).hour();
    let sent = if app.time.is_fixed() || WAKING.contains(&hour) { sweep(app).await? } else { 0 };
    let mut tx = app.db.begin().await?;
    if !done.finish(&mut tx).await? {
        return Ok(());
    }
    jobs::enqueue_at(app, &mut tx, &Job::Reminders, Utc::now() + EVERY).await?;
    tx.commit().await?;
    if sent > 0 {
        tracing::info!(sent, "reminders queued");
    }
    Ok(())
}

/// Queues today's reminders; returns how many messages. Safe to run again: each goes once.
pub async fn sweep(app: &App) -> Result<usize, AppError> {
    let today = app.time.today();
    let calendar = app.calendar();
    let next_working = calendar.add_working_days(today, 1).date;
    let within_two = calendar.add_working_days(today, 2).date;
    let mut conn = app.db.reader.acquire().await?;
    let hearings =
        crate::store::hearings::planned_between(&mut conn, &today.succ_opt().unwrap_or(today).to_string(), &next_working.to_string())
            .await?;
    let open = super::deadlines::open_case_clocks(&mut conn, false).await?;
    drop(conn);
    let mut queued = 0;
    let mut tx = app.db.begin().await?;
    for h in &hearings {
        let day = h.day.parse().map(chinese_date).unwrap_or_else(|_| h.day.clone());
        let when = format!("{day}{}", chinese_time(&h.start_time));
        let case_no = case_no(&mut tx, &h.case_id).await?;
        let facts = Facts {
            case_no,
            what: "开庭时间".into(),
            by: format!("{when}，{}", h.room),
            advice: "请携带身份证明和证据原件按时到庭。".into(),
            ..Facts::default()
        };
        let key = format!("hearing-{}-{}-{}", h.id, h.day, h.start_time);
        queued += notify::parties(app, &mut tx, &h.case_id, To::Everyone, Occasion::Deadline, &key, &facts).await?;
    }
    for (row, entries) in &open {
        let Some(accepted_on) = row.accepted_on.as_deref() else { continue };
        let dates = super::deadlines::CaseDates::parse(row.status, &row.filed_on, Some(accepted_on))?;
        let Some(by) = app.deadlines_of(&dates, entries).defence_by else { continue };
        if by < today || by > within_two {
            continue;
        }
        let facts = Facts {
            case_no: row.case_no.clone().unwrap_or_default(),
            what: "答辩期限".into(),
            by: format!("{}届满", chinese_date(by)),
            advice: "如需答辩，请在此前提交答辩书；不答辩的，不影响仲裁程序进行。".into(),
            ..Facts::default()
        };
        queued += notify::parties(app, &mut tx, &row.id, To::Respondents, Occasion::Deadline, &format!("defence-{by}"), &facts).await?;
    }
    tx.commit().await?;
    Ok(queued)
}

async fn case_no(tx: &mut crate::store::Tx, case_id: &str) -> Result<String, AppError> {
    Ok(crate::store::cases::get(tx, case_id).await?.and_then(|c| c.case_no).unwrap_or_default())
}
