//! Arbitrators' calendars (issue 25): the weekly pattern of sessions each sits, busy times typed by
//! hand, and busy times imported from the arbitrator's own calendar — uploaded once, or subscribed
//! to and refreshed by a job of the outbox. Planning reads them as version 2's `busy`.

use chrono::{Duration, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::accounts::{Role, Staff};
use super::input::optional_date;
use super::jobs::{self, Job};
use super::{App, AppError};
use crate::law::{FieldError, Violation};
use crate::scheduling::availability::{Sessions, WeekdaySessions};
use crate::scheduling::ics;
use crate::store::availability as store;

/// The largest calendar file read (upload or subscription).
pub const MAX_CALENDAR_BYTES: usize = 5 * 1024 * 1024;

/// How far ahead an imported calendar is kept: the planning horizon.
pub const HORIZON_DAYS: i64 = 366;

/// How often a subscribed calendar is fetched again.
pub const REFRESH_EVERY: Duration = Duration::hours(6);

/// Who may change (or read) an arbitrator's calendar: clerks, administrators, and the arbitrator.
fn may(actor: &Staff, arbitrator_id: i64) -> Result<(), AppError> {
    match actor.role {
        Role::Clerk | Role::Admin => Ok(()),
        Role::Arbitrator if actor.arbitrator_id == Some(arbitrator_id) => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

async fn exists(app: &App, id: i64) -> Result<(), AppError> {
    let mut conn = app.db.reader.acquire().await?;
    if crate::store::resources::arbitrator_exists(&mut conn, id).await? { Ok(()) } else { Err(AppError::NotFound("仲裁员不存在")) }
}

/// The sessions of a hearing day, from the settings.
pub fn sessions(app: &App) -> Sessions {
    Sessions { starts: app.config.hearings.sessions.clone(), slot_minutes: app.config.hearings.slot_minutes }
}

/// `PUT /api/v1/arbitrators/{id}/availability`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct WeeklyInput {
    /// The weekdays sat and their sessions; a weekday left out is not sat.
    #[schema(required = true)]
    pub weekly: Option<Vec<WeekdaySessions>>,
    /// From when (default today).
    pub from: Option<String>,
}

/// An arbitrator's calendar as planning reads it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AvailabilityView {
    pub arbitrator_id: i64,
    /// The pattern in force today and those set for later days, each from its day.
    pub weekly: Vec<WeeklyView>,
    /// Busy times from today on.
    pub busy_times: Vec<BusyView>,
    pub feeds: Vec<FeedView>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WeeklyView {
    pub from: NaiveDate,
    pub weekly: Vec<WeekdaySessions>,
}

/// One busy time and where it came from.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BusyView {
    pub id: i64,
    pub day: NaiveDate,
    /// `HH:MM`
    pub start: String,
    pub end: String,
    pub note: String,
    /// `manual` (typed by hand) or `import`.
    pub source: String,
    /// The subscribed calendar it came from (null for hand-typed times and uploads).
    pub feed_url: Option<String>,
}

/// A calendar an arbitrator's busy times are imported from.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FeedView {
    pub id: i64,
    /// Null for uploaded files.
    pub url: Option<String>,
    pub last_ok_at: Option<String>,
    /// Why the last fetch failed; the last good import stays in force.
    pub last_error: Option<String>,
}

/// Sets the weekly pattern from a day on.
pub async fn set_weekly(app: &App, actor: &Staff, id: i64, input: &WeeklyInput) -> Result<AvailabilityView, AppError> {
    may(actor, id)?;
    exists(app, id).await?;
    let mut errs = Vec::new();
    let from = optional_date(input.from.as_deref(), "from", "生效日期", &mut errs).unwrap_or_else(|| app.time.today());
    let weekly = input.weekly.clone().unwrap_or_default();
    if input.weekly.is_none() {
        errs.push(FieldError::new("weekly", Violation::new("required", "请给出每周坐庭的日子和时段")));
    }
    let n = app.config.hearings.sessions.len() as u32;
    let mut seen = Vec::new();
    for (i, d) in weekly.iter().enumerate() {
        if !(1..=7).contains(&d.weekday) || seen.contains(&d.weekday) {
            errs.push(FieldError::new(
                format!("weekly[{i}].weekday"),
                Violation::new("bad_weekday", "星期应为 1（周一）到 7（周日），且每天只写一次"),
            ));
        }
        seen.push(d.weekday);
        if let Some(s) = d.sessions.iter().find(|s| **s >= n) {
            errs.push(FieldError::new(
                format!("weekly[{i}].sessions"),
                Violation::new("no_session", format!("没有第 {s} 个时段（共 {n} 个，从 0 起）")),
            ));
        }
    }
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let pattern = serde_json::to_string(&weekly).map_err(anyhow::Error::from)?;
    let mut tx = app.db.begin().await?;
    store::set_weekly(&mut tx, id, &from.to_string(), &pattern, &app.time.now_text(), &actor.username).await?;
    tx.commit().await?;
    of_arbitrator(app, actor, id).await
}

/// `POST /api/v1/arbitrators/{id}/busy`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct BusyInput {
    #[schema(required = true)]
    pub day: Option<String>,
    /// `HH:MM`
    #[schema(required = true)]
    pub start: Option<String>,
    #[schema(required = true)]
    pub end: Option<String>,
    pub note: Option<String>,
}

fn time(value: Option<&str>, field: &str, label: &str, errs: &mut Vec<FieldError>) -> Option<NaiveTime> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => {
            errs.push(FieldError::new(field, Violation::new("required", format!("请填写{label}"))));
            None
        }
        Some(v) => NaiveTime::parse_from_str(v, "%H:%M")
            .map_err(|_| errs.push(FieldError::new(field, Violation::new("format", format!("{label}应写成 HH:MM，如 09:30")))))
            .ok(),
    }
}

/// Adds one busy time typed by hand: inside the day's sessions, ending after it starts.
pub async fn add_busy(app: &App, actor: &Staff, id: i64, input: &BusyInput) -> Result<BusyView, AppError> {
    may(actor, id)?;
    exists(app, id).await?;
    let mut errs = Vec::new();
    let day = optional_date(input.day.as_deref(), "day", "日期", &mut errs);
    if input.day.as_deref().is_none_or(|d| d.trim().is_empty()) {
        errs.push(FieldError::new("day", Violation::new("required", "请填写日期")));
    }
    let start = time(input.start.as_deref(), "start", "开始时间", &mut errs);
    let end = time(input.end.as_deref(), "end", "结束时间", &mut errs);
    if let (Some(s), Some(e)) = (start, end) {
        if e <= s {
            errs.push(FieldError::new("end", Violation::new("before_start", "结束时间应晚于开始时间")));
        } else if !sessions(app).meets(s, e) {
            errs.push(FieldError::new("start", Violation::new("outside_sessions", "该时间不在任何开庭时段内，无需登记")));
        }
    }
    let note = input.note.as_deref().map(str::trim).unwrap_or("").chars().take(200).collect::<String>();
    let (Some(day), Some(start), Some(end)) = (day, start, end) else { return Err(AppError::Validation(errs)) };
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let (s, e) = (start.format("%H:%M").to_string(), end.format("%H:%M").to_string());
    let now = app.time.now_text();
    let mut tx = app.db.begin().await?;
    let b = store::NewBusy {
        arbitrator_id: id,
        day: &day.to_string(),
        start: &s,
        end: &e,
        note: &note,
        feed_id: None,
        at: &now,
        by: &actor.username,
    };
    let busy_id = store::insert_busy(&mut tx, &b).await?;
    tx.commit().await?;
    Ok(BusyView { id: busy_id, day, start: s, end: e, note, source: "manual".into(), feed_url: None })
}

/// Deletes one busy time typed by hand (an imported one goes with its calendar's next import).
pub async fn delete_busy(app: &App, actor: &Staff, id: i64, busy_id: i64) -> Result<(), AppError> {
    may(actor, id)?;
    let mut tx = app.db.begin().await?;
    if !store::delete_busy(&mut tx, id, busy_id).await? {
        return Err(AppError::NotFound("该仲裁员没有这条手工登记的其他安排"));
    }
    tx.commit().await?;
    Ok(())
}

/// What an import stored, and the fixed hearings it now clashes with.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportedView {
    pub busy_times: usize,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Planned hearings of this arbitrator inside a busy time: never moved silently.
    pub affected_hearing_ids: Vec<i64>,
    /// A re-planning proposal for them (a dry run); confirm it with `POST /api/v1/hearings/replan`.
    pub proposal: Option<super::schedule::ScheduleOutcome>,
}

/// The planned hearings of an arbitrator that now meet one of its busy times, with a proposal to
/// re-plan them, as leave does.
async fn clashes(app: &App, id: i64, busy_times: usize, from: NaiveDate, to: NaiveDate) -> Result<ImportedView, AppError> {
    let snap = super::schedule::Snapshot::read(app).await?;
    let mut ids: Vec<i64> = snap
        .conflicts(&app.config.hearings)
        .into_iter()
        .filter(|c| c.code == "busy_elsewhere" && c.arbitrator_id == id)
        .map(|c| c.hearing_id)
        .collect();
    ids.dedup();
    let proposal = if ids.is_empty() {
        None
    } else {
        let mut conn = app.db.reader.acquire().await?;
        let mut hearings = Vec::new();
        for h in &ids {
            hearings.extend(crate::store::hearings::get(&mut conn, *h).await?);
        }
        drop(conn);
        Some(super::replan::prepare(app, &hearings, super::schedule::Notice::Full, false, true).await?.outcome)
    };
    Ok(ImportedView { busy_times, from, to, affected_hearing_ids: ids, proposal })
}

/// `PUT /api/v1/arbitrators/{id}/busy-calendar` with a JSON body.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct SubscribeInput {
    /// An `http(s)://` address of the arbitrator's calendar (`.ics`), fetched now and refreshed.
    #[schema(required = true)]
    pub url: Option<String>,
}

/// The days an import keeps: today through the planning horizon.
fn horizon(app: &App) -> (NaiveDate, NaiveDate) {
    let today = app.time.today();
    (today, today + Duration::days(HORIZON_DAYS))
}

fn refused(e: ics::IcsError) -> AppError {
    AppError::field("calendar", "malformed_calendar", format!("日历文件有误：{e}"))
}

/// Imports an uploaded calendar once: its busy times replace those of the earlier upload.
pub async fn upload(app: &App, actor: &Staff, id: i64, text: &str) -> Result<ImportedView, AppError> {
    may(actor, id)?;
    exists(app, id).await?;
    let (from, to) = horizon(app);
    let found = ics::busy_times(text, from, to).map_err(refused)?;
    let n = store_import(app, id, None, &found, &actor.username, None).await?;
    clashes(app, id, n, from, to).await
}

/// Subscribes to a calendar by its address: fetched now (a refusal names the reason and stores
/// nothing), then refreshed by the outbox.
pub async fn subscribe(app: &App, actor: &Staff, id: i64, input: &SubscribeInput) -> Result<ImportedView, AppError> {
    may(actor, id)?;
    exists(app, id).await?;
    let url = input.url.as_deref().map(str::trim).unwrap_or("");
    if !(url.starts_with("https://") || url.starts_with("http://")) || url.len() > 2000 {
        return Err(AppError::field("url", "not_http", "日历地址应以 http:// 或 https:// 开头（webcal:// 请改为 https://）"));
    }
    public_host(url, app.config.calendar_private_hosts).await.map_err(|why| AppError::field("url", "private_host", why))?;
    let fetched = fetch(url, None, None).await.map_err(|why| AppError::field("url", "unreachable", format!("无法读取该日历：{why}")))?;
    let Some(f) = fetched else { return Err(AppError::field("url", "unreachable", "无法读取该日历：服务器没有返回内容")) };
    let text = String::from_utf8_lossy(&f.body).into_owned();
    let (from, to) = horizon(app);
    let found = ics::busy_times(&text, from, to).map_err(refused)?;
    let n = store_import(app, id, Some(url), &found, &actor.username, Some(&f)).await?;
    clashes(app, id, n, from, to).await
}

/// Refuses an address whose host is (or resolves to) a loopback, private, link-local or
/// unspecified address, unless `allow`: the service must not be made to fetch its own network.
async fn public_host(url: &str, allow: bool) -> Result<(), String> {
    let uri: hyper::Uri = url.parse().map_err(|_| "日历地址格式不对".to_string())?;
    let host = uri.host().ok_or_else(|| "日历地址缺少主机名".to_string())?.trim_matches(['[', ']']).to_string();
    let port = uri.port_u16().unwrap_or(if uri.scheme_str() == Some("https") { 443 } else { 80 });
    if allow {
        return Ok(());
    }
    let addrs = tokio::net::lookup_host((host.as_str(), port)).await.map_err(|e| format!("无法解析主机名 {host}：{e}"))?;
    for a in addrs {
        let inner = match a.ip() {
            std::net::IpAddr::V4(v4) => {
                v4.is_loopback() || v4.is_private() || v4.is_link_local() || v4.is_unspecified() || v4.is_broadcast()
            }
            std::net::IpAddr::V6(v6) => {
                v6.is_loopback() || v6.is_unspecified() || (v6.segments()[0] & 0xfe00) == 0xfc00 || (v6.segments()[0] & 0xffc0) == 0xfe80
            }
        };
        if inner {
            return Err(format!("该地址指向内部网络（{}），不能订阅；请使用日历应用提供的公开订阅地址", a.ip()));
        }
    }
    Ok(())
}

/// Fetches a calendar; `None` when unchanged since the validators given (304).
async fn fetch(url: &str, etag: Option<&str>, since: Option<&str>) -> Result<Option<crate::outbound::http::Fetched>, String> {
    let client = crate::outbound::http::HttpClient::new(std::time::Duration::from_secs(20));
    let f = client.get(url, etag, since, MAX_CALENDAR_BYTES).await?;
    match f.status {
        304 => Ok(None),
        200..=299 => Ok(Some(f)),
        s => Err(format!("服务器返回 HTTP {s}")),
    }
}

/// Replaces a calendar's busy times with a new import, in one transaction (with the feed's
/// validators, and its refresh job for a subscription).
async fn store_import(
    app: &App,
    id: i64,
    url: Option<&str>,
    found: &[ics::Found],
    by: &str,
    fetched: Option<&crate::outbound::http::Fetched>,
) -> Result<usize, AppError> {
    let now = app.time.now_text();
    let mut tx = app.db.begin().await?;
    let feed = store::feed(&mut tx, id, url, &now, by).await?;
    replace_busy(&mut tx, &feed, found, &now, by).await?;
    let (etag, modified) = (fetched.and_then(|f| f.etag.as_deref()), fetched.and_then(|f| f.last_modified.as_deref()));
    store::note_fetch(&mut tx, feed.id, &now, true, None, etag, modified).await?;
    if url.is_some() {
        jobs::enqueue_at(app, &mut tx, &Job::RefreshCalendar { feed_id: feed.id }, chrono::Utc::now() + REFRESH_EVERY).await?;
    }
    tx.commit().await?;
    Ok(found.len())
}

/// A feed's busy times replaced by those of its new import (a span shorter than a minute is dropped).
async fn replace_busy(tx: &mut crate::store::Tx, feed: &store::FeedRow, found: &[ics::Found], now: &str, by: &str) -> Result<(), AppError> {
    store::clear_feed(tx, feed.id).await?;
    for f in found {
        let (start, end) = (f.start.format("%H:%M").to_string(), f.end.format("%H:%M").to_string());
        if start >= end {
            continue;
        }
        let note: String = f.note.chars().take(200).collect();
        let day = f.day.to_string();
        let b = store::NewBusy {
            arbitrator_id: feed.arbitrator_id,
            day: &day,
            start: &start,
            end: &end,
            note: &note,
            feed_id: Some(feed.id),
            at: now,
            by,
        };
        store::insert_busy(tx, &b).await?;
    }
    Ok(())
}

/// The outbox's refresh of a subscribed calendar: fetched with its validators; a failure is kept on
/// the feed (shown to the arbitrator) and the last good import stays in force. It schedules its next run.
pub async fn run_refresh_job(app: &App, done: jobs::Done<'_>, feed_id: i64) -> Result<(), AppError> {
    let mut conn = app.db.reader.acquire().await?;
    let Some(feed) = store::feed_by_id(&mut conn, feed_id).await? else {
        drop(conn);
        let mut tx = app.db.begin().await?;
        done.finish(&mut tx).await?;
        tx.commit().await?;
        return Ok(());
    };
    drop(conn);
    let url = feed.url.clone().unwrap_or_default();
    let checked = public_host(&url, app.config.calendar_private_hosts).await;
    let fetched = match checked {
        Ok(()) => fetch(&url, feed.etag.as_deref(), feed.last_modified.as_deref()).await,
        Err(why) => Err(why),
    };
    let outcome = match fetched {
        Ok(None) => Ok(None),
        Ok(Some(f)) => {
            let (from, to) = horizon(app);
            ics::busy_times(&String::from_utf8_lossy(&f.body), from, to).map(|found| Some((found, f))).map_err(|e| e.to_string())
        }
        Err(why) => Err(why),
    };
    let now = app.time.now_text();
    let mut tx = app.db.begin().await?;
    if !done.finish(&mut tx).await? {
        return Ok(());
    }
    match outcome {
        Ok(Some((found, f))) => {
            replace_busy(&mut tx, &feed, &found, &now, "日历订阅").await?;
            store::note_fetch(&mut tx, feed.id, &now, true, None, f.etag.as_deref(), f.last_modified.as_deref()).await?;
        }
        Ok(None) => store::note_fetch(&mut tx, feed.id, &now, true, None, None, None).await?,
        Err(why) => store::note_fetch(&mut tx, feed.id, &now, false, Some(&why), None, None).await?,
    }
    jobs::enqueue_at(app, &mut tx, &Job::RefreshCalendar { feed_id }, chrono::Utc::now() + REFRESH_EVERY).await?;
    tx.commit().await?;
    Ok(())
}

/// `GET /api/v1/arbitrators/{id}/availability`: the patterns and busy times in force, with sources.
pub async fn of_arbitrator(app: &App, actor: &Staff, id: i64) -> Result<AvailabilityView, AppError> {
    may(actor, id)?;
    exists(app, id).await?;
    let today = app.time.today();
    let mut conn = app.db.reader.acquire().await?;
    let rows = store::weekly(&mut conn, Some(id)).await?;
    let patterns = weekly_patterns(&rows);
    let current = crate::scheduling::availability::in_force(&patterns, today).map(|p| p.from);
    let weekly = patterns
        .into_iter()
        .filter(|p| Some(p.from) == current || p.from > today)
        .map(|p| WeeklyView { from: p.from, weekly: p.days })
        .collect();
    let busy_times = store::busy_from(&mut conn, Some(id), &today.to_string())
        .await?
        .into_iter()
        .filter_map(|b| {
            Some(BusyView {
                id: b.id,
                day: b.day.parse().ok()?,
                start: b.start_time,
                end: b.end_time,
                note: b.note,
                source: b.source,
                feed_url: b.feed_url,
            })
        })
        .collect();
    let feeds = store::feeds_of(&mut conn, id)
        .await?
        .into_iter()
        .map(|f| FeedView { id: f.id, url: f.url, last_ok_at: f.last_ok_at, last_error: f.last_error })
        .collect();
    Ok(AvailabilityView { arbitrator_id: id, weekly, busy_times, feeds })
}

/// The stored weekly patterns as domain values (a row that no longer reads is skipped).
pub fn weekly_patterns(rows: &[store::WeeklyRow]) -> Vec<crate::scheduling::availability::WeeklyPattern> {
    rows.iter()
        .filter_map(|r| {
            Some(crate::scheduling::availability::WeeklyPattern {
                from: r.from_day.parse().ok()?,
                days: serde_json::from_str(&r.pattern).ok()?,
            })
        })
        .collect()
}
