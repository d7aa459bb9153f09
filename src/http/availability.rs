//! Arbitrators' calendars (api.md "Arbitrators' calendars"): the weekly pattern, busy times, and a
//! calendar imported from the arbitrator's own app (admin, clerk, or that arbitrator).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};

use super::AppState;
use super::error::{ApiError, ErrorEnvelope};
use super::extract::{ApiJson, ApiStaff, id_of};
use crate::app::availability::{self, AvailabilityView, BusyInput, BusyView, ImportedView, SubscribeInput, WeeklyInput};

/// Set the sessions the arbitrator sits each week, from a day on (admin, clerk, or that arbitrator).
#[utoipa::path(put, path = "/api/v1/arbitrators/{id}/availability", tag = "scheduling", params(("id" = i64, Path)), request_body = WeeklyInput,
    responses((status = 200, body = AvailabilityView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn set_weekly(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<WeeklyInput>,
) -> Result<Json<AvailabilityView>, ApiError> {
    let id = id_of(&id, "仲裁员不存在")?;
    Ok(Json(availability::set_weekly(&state.app, &staff, id, &body).await?))
}

/// The weekly pattern and the busy times in force, each with its source.
#[utoipa::path(get, path = "/api/v1/arbitrators/{id}/availability", tag = "scheduling", params(("id" = i64, Path)),
    responses((status = 200, body = AvailabilityView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn get(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
) -> Result<Json<AvailabilityView>, ApiError> {
    let id = id_of(&id, "仲裁员不存在")?;
    Ok(Json(availability::of_arbitrator(&state.app, &staff, id).await?))
}

/// Add one busy time: a day, and a time range inside the sessions.
#[utoipa::path(post, path = "/api/v1/arbitrators/{id}/busy", tag = "scheduling", params(("id" = i64, Path)), request_body = BusyInput,
    responses((status = 201, body = BusyView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn add_busy(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<BusyInput>,
) -> Result<(StatusCode, Json<BusyView>), ApiError> {
    let id = id_of(&id, "仲裁员不存在")?;
    Ok((StatusCode::CREATED, Json(availability::add_busy(&state.app, &staff, id, &body).await?)))
}

/// Delete one busy time typed by hand.
#[utoipa::path(delete, path = "/api/v1/arbitrators/{id}/busy/{busy_id}", tag = "scheduling", params(("id" = i64, Path), ("busy_id" = i64, Path)),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn delete_busy(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path((id, busy_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let id = id_of(&id, "仲裁员不存在")?;
    let busy_id = id_of(&busy_id, "该仲裁员没有这条手工登记的其他安排")?;
    availability::delete_busy(&state.app, &staff, id, busy_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Import the arbitrator's own calendar: `{"url": "https://…/basic.ics"}` subscribes (fetched now,
/// refreshed by the service), a `text/calendar` body is imported once. Opaque events (recurrences
/// expanded) become busy times; a malformed file gets 422 naming the line and property.
#[utoipa::path(put, path = "/api/v1/arbitrators/{id}/busy-calendar", tag = "scheduling", params(("id" = i64, Path)),
    request_body(content((SubscribeInput = "application/json"), (String = "text/calendar"))),
    responses((status = 200, body = ImportedView), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn busy_calendar(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<ImportedView>, ApiError> {
    let id = id_of(&id, "仲裁员不存在")?;
    let kind = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    if kind.starts_with("text/calendar") {
        let text = std::str::from_utf8(&body).map_err(|_| ApiError::bad_request("日历文件应为 UTF-8 编码"))?;
        return Ok(Json(availability::upload(&state.app, &staff, id, text).await?));
    }
    let input: SubscribeInput = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("请提交 {{\"url\": \"https://…\"}}，或以 text/calendar 上传日历文件：{e}")))?;
    Ok(Json(availability::subscribe(&state.app, &staff, id, &input).await?))
}
