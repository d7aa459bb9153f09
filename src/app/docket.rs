//! What arbitrators and rooms see of their hearings: the docket, and the RFC 5545 calendar feeds
//! behind a secret token that can be rotated.

use crate::law::routing::Track;
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use serde::Serialize;

use super::accounts::{Role, Staff};
use super::input::optional_date;
use super::{App, AppError, secrets};
use crate::store::feeds::{self, FeedRow, Resource};
use crate::store::hearings as store;

/// One hearing on an arbitrator's docket.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocketEntry {
    pub hearing_id: i64,
    pub case_id: String,
    pub case_no: Option<String>,
    pub day: String,
    pub start: String,
    pub end: String,
    pub room_id: i64,
    pub room: String,
    pub track: Track,
    pub applicant: Option<String>,
    pub respondent: Option<String>,
    /// The award deadline (审限) and the working days left to it.
    pub award_due: Option<NaiveDate>,
    pub working_days_left: Option<i64>,
}

/// An arbitrator's hearings between two days (default: today and the next 6 days). Staff see any
/// docket; an arbitrator account sees only its own.
pub async fn docket(
    app: &App,
    actor: &Staff,
    arbitrator_id: i64,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Vec<DocketEntry>, AppError> {
    // The docket names parties: the commission's clerks and administrators, and each arbitrator
    // its own (court liaison reads cases, not dockets — the page and the API agree).
    match actor.role {
        Role::Clerk | Role::Admin => {}
        Role::Arbitrator if actor.arbitrator_id == Some(arbitrator_id) => {}
        _ => return Err(AppError::Forbidden),
    }
    let mut errs = Vec::new();
    let (from, to) = (optional_date(from, "from", "开始日期", &mut errs), optional_date(to, "to", "结束日期", &mut errs));
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let from = from.unwrap_or_else(|| app.time.today());
    let to = to.unwrap_or(from + Duration::days(6));
    if to < from {
        return Err(AppError::field("to", "before_from", "结束日期不能早于开始日期"));
    }
    let mut conn = app.db.reader.acquire().await?;
    if !crate::store::resources::arbitrator_exists(&mut conn, arbitrator_id).await? {
        return Err(AppError::NotFound("仲裁员不存在"));
    }
    let rows = store::docket(&mut conn, arbitrator_id, &from.to_string(), &to.to_string()).await?;
    let open = super::deadlines::open_case_clocks(&mut conn, false).await?;
    let calendar = app.calendar();
    let today = app.time.today();
    let due_of = |case_id: &str| -> Option<NaiveDate> {
        let (row, entries) = open.iter().find(|(r, _)| r.id == case_id)?;
        let dates = super::deadlines::CaseDates::parse(row.status, &row.filed_on, row.accepted_on.as_deref()).ok()?;
        app.deadlines_of(&dates, entries).award_due
    };
    Ok(rows
        .into_iter()
        .map(|r| (due_of(&r.case_id), r))
        .map(|(award_due, r)| DocketEntry {
            award_due,
            working_days_left: award_due.map(|d| calendar.working_days_left(today, d)),
            hearing_id: r.hearing_id,
            case_id: r.case_id,
            case_no: r.case_no,
            day: r.day,
            start: r.start_time,
            end: r.end_time,
            room_id: r.room_id,
            room: r.room_name,
            track: r.track,
            applicant: r.applicant,
            respondent: r.respondent,
        })
        .collect())
}

/// The commission's local time is China Standard Time, UTC+8 all year (no daylight saving).
const CST_OFFSET_HOURS: i64 = 8;

fn utc(day: &str, time: &str) -> Option<chrono::DateTime<Utc>> {
    let local = NaiveDateTime::new(day.parse::<NaiveDate>().ok()?, NaiveTime::parse_from_str(time, "%H:%M").ok()?);
    Some(Utc.from_utc_datetime(&(local - Duration::hours(CST_OFFSET_HOURS))))
}

/// A feed token as stored: its digest, so a read of the database opens no calendar.
pub fn feed_digest(token: &str) -> String {
    secrets::sha256_hex(format!("calendar-feed\0{token}").as_bytes())
}

/// Replaces feed tokens still held in clear by their digests, so the addresses given out keep
/// working and the database no longer opens them (run at every start; nothing to do after the first).
pub async fn seal_clear_feed_tokens(app: &App) -> Result<usize, AppError> {
    let mut tx = app.db.begin().await?;
    let clear = feeds::clear_tokens(&mut tx).await?;
    for (who, id, token) in &clear {
        feeds::set_token_digest(&mut tx, *who, *id, &feed_digest(token)).await?;
    }
    tx.commit().await?;
    Ok(clear.len())
}

/// The feed's address, token included (calendar apps subscribe without headers).
pub fn feed_path(who: Resource, id: i64, token: &str) -> String {
    match who {
        Resource::Arbitrator => format!("/api/v1/arbitrators/{id}/calendar.ics?token={token}"),
        Resource::Room => format!("/api/v1/rooms/{id}/calendar.ics?token={token}"),
    }
}

/// The text of a feed: one VEVENT per hearing, UID stable across moves, SEQUENCE growing with each
/// change, cancelled hearings (and those the resource was taken off) as STATUS:CANCELLED.
pub fn ics(name: &str, rows: &[FeedRow]) -> String {
    let mut cal = Calendar::new();
    cal.name(name);
    for r in rows {
        let (Some(start), Some(end)) = (utc(&r.day, &r.start_time), utc(&r.day, &r.end_time)) else { continue };
        let cancelled = r.status == "cancelled" || r.released != 0;
        let mut e = Event::new();
        e.uid(&format!("hearing-{}@greenlane", r.hearing_id))
            .sequence(u32::try_from(r.sequence).unwrap_or(0))
            .summary(&format!("开庭：{}", r.case_no.as_deref().unwrap_or("（未编号）")))
            .description(&format!("程序：{}", r.track.short_label()))
            .location(&r.room_name)
            .starts(start)
            .ends(end)
            .status(if cancelled { EventStatus::Cancelled } else { EventStatus::Confirmed });
        if let Ok(t) = chrono::DateTime::parse_from_rfc3339(&r.updated_at) {
            e.timestamp(t.with_timezone(&Utc));
        }
        cal.push(e.done());
    }
    cal.done().to_string()
}

/// A feed read with its token; a wrong or missing token is "not found", so feeds cannot be probed.
pub async fn feed(app: &App, who: Resource, id: i64, token: &str) -> Result<String, AppError> {
    let gone = AppError::NotFound("日历不存在或链接已失效，请向书记员索取新的订阅链接");
    let mut conn = app.db.reader.acquire().await?;
    let Some(Some(stored)) = feeds::token_digest(&mut conn, who, id).await? else { return Err(gone) };
    if !secrets::same(stored.as_bytes(), feed_digest(token).as_bytes()) {
        return Err(gone);
    }
    // Hearings of the last 30 days stay, so a calendar keeps what was just held.
    let from = app.time.today() - Duration::days(30);
    let rows = feeds::events(&mut conn, who, id, &from.to_string()).await?;
    let name = match who {
        Resource::Arbitrator => store::arbitrators(&mut conn).await?.into_iter().find(|a| a.id == id).map(|a| format!("{}的庭审", a.name)),
        Resource::Room => store::rooms(&mut conn).await?.into_iter().find(|r| r.id == id).map(|r| format!("{}庭审安排", r.name)),
    }
    .unwrap_or_else(|| "庭审".to_string());
    Ok(ics(&name, &rows))
}

/// A new feed address.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FeedAddress {
    pub calendar_url: String,
}

/// Replaces a feed's token, so the old address stops working (admin or clerk; an arbitrator for
/// its own feed).
pub async fn rotate(app: &App, actor: &Staff, who: Resource, id: i64) -> Result<FeedAddress, AppError> {
    let own = who == Resource::Arbitrator && actor.role == Role::Arbitrator && actor.arbitrator_id == Some(id);
    if !own {
        actor.require(&[Role::Admin, Role::Clerk])?;
    }
    let token = secrets::new_token();
    let mut conn = app.db.writer.acquire().await?;
    if !feeds::set_token_digest(&mut conn, who, id, &feed_digest(&token)).await? {
        return Err(AppError::NotFound(if who == Resource::Room { "仲裁庭不存在" } else { "仲裁员不存在" }));
    }
    Ok(FeedAddress { calendar_url: feed_path(who, id, &token) })
}
