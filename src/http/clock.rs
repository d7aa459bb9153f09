//! The clock API: events that move a case's deadlines, the deadline board, and the holiday calendar.

use axum::Json;
use axum::extract::{Path, State};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::error::{ApiError, ErrorEnvelope};
use super::extract::{ApiJson, ApiQuery, ApiStaff};
use crate::app::AppError;
use crate::app::board::{self, Board};
use crate::app::calendar::{self, Loaded, Loader};
use crate::app::clock::{self, AwardServedInput, ClockAction, ClockEventInput, Recorded};
use crate::law::calendar::WorkingCalendar;

/// Record a clock event (clerk). `action` is one of `copy-served`, `tribunal-notified`,
/// `defence-waived`, `suspend`, `resume`, `extend`, `restart`, `public-notice`; an empty object
/// records it today.
#[utoipa::path(post, path = "/api/v1/cases/{id}/clock/{action}", tag = "clock",
    params(("id" = String, Path), ("action" = String, Path)),
    request_body = ClockEventInput,
    responses((status = 200, body = Recorded), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope, description = "The event does not fit the case's state"),
        (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn record(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path((id, action)): Path<(String, String)>,
    ApiJson(body, _): ApiJson<ClockEventInput>,
) -> Result<Json<Recorded>, ApiError> {
    let action = ClockAction::parse(&action).ok_or(AppError::NotFound("没有这种程序事件"))?;
    Ok(Json(clock::record(&state.app, &staff, &id, action, &body).await?))
}

/// Record that an award or mediation statement was served on the applicant (the worker) or the
/// respondent (the employer), on the day of the 送达回证 (clerk). The answer's `deadlines.appeal`
/// then carries that side's window and, once both are served, the day the award takes effect.
#[utoipa::path(post, path = "/api/v1/cases/{id}/clock/award-served", tag = "clock",
    params(("id" = String, Path)),
    request_body = AwardServedInput,
    responses((status = 200, body = Recorded), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope, description = "Already recorded for that side"),
        (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn award_served(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<AwardServedInput>,
) -> Result<Json<Recorded>, ApiError> {
    Ok(Json(clock::record_award_served(&state.app, &staff, &id, &body).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct BoardParams {
    /// Working days ahead, 0–60 (default 5); overdue cases are always listed.
    pub within: Option<String>,
}

/// Open cases whose next deadline falls within `within` working days, most urgent first (staff).
#[utoipa::path(get, path = "/api/v1/deadlines", tag = "clock", params(BoardParams),
    responses((status = 200, body = Board), (status = 401, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn deadlines(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    ApiQuery(p): ApiQuery<BoardParams>,
) -> Result<Json<Board>, ApiError> {
    let within = board::parse_within(p.within.as_deref())?;
    Ok(Json(board::board(&state.app, &staff, within).await?))
}

/// Load one or more years of the State Council's holiday arrangement (admin). The body is a
/// calendar file (`[[year]]` tables, as `data/calendar/cn.toml`); nothing changes unless all of it is valid.
#[utoipa::path(put, path = "/api/v1/calendar", tag = "clock",
    request_body(description = "A calendar file (TOML), sent as application/toml or text/plain", content((String = "application/toml"), (String = "text/plain"))),
    responses((status = 200, body = Loaded), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn load_calendar(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    body: axum::body::Bytes,
) -> Result<Json<Loaded>, ApiError> {
    let text = std::str::from_utf8(&body).map_err(|_| ApiError::bad_request("日历文件应为 UTF-8 文本"))?;
    Ok(Json(calendar::load(&state.app, Loader::Admin(&staff), text).await?))
}

/// One day of a calendar year.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DayView {
    pub date: NaiveDate,
    /// `workday`, `weekend`, `holiday` or `makeup_workday`
    pub kind: &'static str,
}

/// A year of the calendar in force.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct YearView {
    pub year: i32,
    /// False: the official arrangement is not loaded and every day is provisional.
    pub loaded: bool,
    pub notice: Option<String>,
    pub working_days: usize,
    pub days: Vec<DayView>,
}

/// Every day of a year as the service counts it (staff).
#[utoipa::path(get, path = "/api/v1/calendar/{year}", tag = "clock", params(("year" = i32, Path)),
    responses((status = 200, body = YearView), (status = 401, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn calendar_year(
    State(state): State<AppState>,
    ApiStaff(_staff): ApiStaff,
    Path(year): Path<String>,
) -> Result<Json<YearView>, ApiError> {
    let year = parse_year(&year)?;
    let cal = state.app.calendar();
    let days = year_days(&cal, year);
    Ok(Json(YearView {
        year,
        loaded: cal.is_loaded(year),
        notice: cal.years().find(|y| y.year == year).map(|y| y.notice.clone()),
        working_days: days.iter().filter(|d| matches!(d.kind, "workday" | "makeup_workday")).count(),
        days,
    }))
}

fn parse_year(s: &str) -> Result<i32, AppError> {
    WorkingCalendar::parse_year(s).map_err(|m| AppError::field("year", "out_of_range", m))
}

/// Every date of `year` with its kind.
pub fn year_days(cal: &WorkingCalendar, year: i32) -> Vec<DayView> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).expect("a supported year");
    first.iter_days().take_while(|d| d.year() == year).map(|date| DayView { date, kind: cal.kind(date).0.code() }).collect()
}
