//! The scheduling API: arbitrators, rooms, leave, recusal entries, planning runs and dockets.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::AppState;
use super::error::{ApiError, ErrorEnvelope};
use super::extract::{ApiJson, ApiQuery, ApiStaff};
use crate::app::AppError;
use crate::app::schedule::{self, DocketEntry, ScheduleOutcome};
use crate::app::tribunal::{self, ArbitratorInput, Created, LeaveInput, RecusalInput, Recorded, RoomInput};

fn id_of(raw: &str, what: &'static str) -> Result<i64, AppError> {
    raw.parse::<i64>().ok().filter(|n| *n > 0).ok_or(AppError::NotFound(what))
}

/// Add an arbitrator (admin or clerk).
#[utoipa::path(post, path = "/api/v1/arbitrators", tag = "scheduling", request_body = ArbitratorInput,
    responses((status = 201, body = Created), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn add_arbitrator(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    ApiJson(body, _): ApiJson<ArbitratorInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    Ok((StatusCode::CREATED, Json(tribunal::add_arbitrator(&state.app, &staff, &body).await?)))
}

/// Add a hearing room (admin or clerk).
#[utoipa::path(post, path = "/api/v1/rooms", tag = "scheduling", request_body = RoomInput,
    responses((status = 201, body = Created), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn add_room(State(state): State<AppState>, ApiStaff(staff): ApiStaff, ApiJson(body, _): ApiJson<RoomInput>) -> Result<(StatusCode, Json<Created>), ApiError> {
    Ok((StatusCode::CREATED, Json(tribunal::add_room(&state.app, &staff, &body).await?)))
}

/// Record an arbitrator's leave, both days included (admin or clerk).
#[utoipa::path(post, path = "/api/v1/arbitrators/{id}/leave", tag = "scheduling", params(("id" = i64, Path)), request_body = LeaveInput,
    responses((status = 201, body = Recorded), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn add_leave(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<LeaveInput>,
) -> Result<(StatusCode, Json<Recorded>), ApiError> {
    let id = id_of(&id, "仲裁员不存在")?;
    Ok((StatusCode::CREATED, Json(tribunal::add_leave(&state.app, &staff, id, &body).await?)))
}

/// Record a recusal entry: the arbitrator is never planned on a case of that party (admin or clerk).
#[utoipa::path(post, path = "/api/v1/arbitrators/{id}/recusals", tag = "scheduling", params(("id" = i64, Path)), request_body = RecusalInput,
    responses((status = 201, body = Recorded), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn add_recusal(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<RecusalInput>,
) -> Result<(StatusCode, Json<Recorded>), ApiError> {
    let id = id_of(&id, "仲裁员不存在")?;
    Ok((StatusCode::CREATED, Json(tribunal::add_recusal(&state.app, &staff, id, &body).await?)))
}

/// `POST /api/v1/schedule`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ScheduleInput {
    /// Only return the plan; store nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// Plan every accepted case without a hearing (clerk). `409` if another run or a clerk took a
/// slot or a case meanwhile; nothing of this run is stored then.
#[utoipa::path(post, path = "/api/v1/schedule", tag = "scheduling", request_body = ScheduleInput,
    responses((status = 200, body = ScheduleOutcome), (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn run(State(state): State<AppState>, ApiStaff(staff): ApiStaff, ApiJson(body, _): ApiJson<ScheduleInput>) -> Result<Json<ScheduleOutcome>, ApiError> {
    Ok(Json(schedule::schedule(&state.app, &staff, body.dry_run).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct DocketParams {
    /// First day, `YYYY-MM-DD` (default today).
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (default six days after `from`).
    pub to: Option<String>,
}

/// An arbitrator's hearings.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Docket {
    pub hearings: Vec<DocketEntry>,
}

/// An arbitrator's hearings between two days (staff; an arbitrator sees only its own).
#[utoipa::path(get, path = "/api/v1/arbitrators/{id}/docket", tag = "scheduling", params(("id" = i64, Path), DocketParams),
    responses((status = 200, body = Docket), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn docket(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<DocketParams>,
) -> Result<Json<Docket>, ApiError> {
    let id = id_of(&id, "仲裁员不存在")?;
    Ok(Json(Docket { hearings: schedule::docket(&state.app, &staff, id, p.from.as_deref(), p.to.as_deref()).await? }))
}
