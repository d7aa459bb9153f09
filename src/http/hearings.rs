//! The scheduling API: arbitrators, rooms, leave, recusal entries, planning runs, hand placement,
//! re-planning, postponements, the record of a hearing, dockets and calendar feeds.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::error::{ApiError, ErrorEnvelope};
use super::extract::{ApiJson, ApiQuery, ApiStaff, id_of};
use crate::app::AppError;
use crate::app::docket::{self, DocketEntry, FeedAddress};
use crate::app::held::{self, HeldInput, HeldView, ServedInput, ServedView};
use crate::app::placement::{self, PlaceInput, SuggestionsView};
use crate::app::replan::{self, PostponementDecision, PostponementInput, PostponementView, ReplanInput};
use crate::app::schedule::{self, PlannedView, ScheduleOutcome};
use crate::app::tribunal::{
    self, ArbitratorEdit, ArbitratorInput, Created, LeaveInput, LeaveRecorded, Recorded, RecusalInput, RoomEdit, RoomInput,
};
use crate::store::feeds::Resource;

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
pub async fn add_room(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    ApiJson(body, _): ApiJson<RoomInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    Ok((StatusCode::CREATED, Json(tribunal::add_room(&state.app, &staff, &body).await?)))
}

/// Change an arbitrator: name, presiding, daily limit, and whether it takes new hearings (admin or clerk).
#[utoipa::path(put, path = "/api/v1/arbitrators/{id}", tag = "scheduling", params(("id" = i64, Path)), request_body = ArbitratorEdit,
    responses((status = 204), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn edit_arbitrator(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<ArbitratorEdit>,
) -> Result<StatusCode, ApiError> {
    let id = id_of(&id, "仲裁员不存在")?;
    tribunal::edit_arbitrator(&state.app, &staff, id, &body).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Change a hearing room: name, seats, and whether it is in use (admin or clerk). Taking a room out
/// of use is refused (409) while hearings are still planned in it.
#[utoipa::path(put, path = "/api/v1/rooms/{id}", tag = "scheduling", params(("id" = i64, Path)), request_body = RoomEdit,
    responses((status = 204), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn edit_room(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<RoomEdit>,
) -> Result<StatusCode, ApiError> {
    let id = id_of(&id, "审理庭不存在")?;
    tribunal::edit_room(&state.app, &staff, id, &body).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Record an arbitrator's leave, both days included (admin or clerk). The answer lists the planned
/// hearings it falls on with a re-planning proposal; confirm it with `POST /api/v1/hearings/replan`.
#[utoipa::path(post, path = "/api/v1/arbitrators/{id}/leave", tag = "scheduling", params(("id" = i64, Path)), request_body = LeaveInput,
    responses((status = 201, body = LeaveRecorded), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn add_leave(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<LeaveInput>,
) -> Result<(StatusCode, Json<LeaveRecorded>), ApiError> {
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
pub async fn run(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    ApiJson(body, _): ApiJson<ScheduleInput>,
) -> Result<Json<ScheduleOutcome>, ApiError> {
    Ok(Json(schedule::schedule(&state.app, &staff, body.dry_run).await?))
}

/// Save a dry run as it is (clerk): `409` when anything it rests on changed since (a case
/// accepted or booked, leave, a busy time, the calendar, the day) or when it was saved already.
#[utoipa::path(post, path = "/api/v1/schedule/drafts/{id}", tag = "scheduling", params(("id" = i64, Path)),
    responses((status = 200, body = ScheduleOutcome), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn save_draft(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<Json<ScheduleOutcome>, ApiError> {
    // Who may save is answered before what was sent.
    staff.require(&[crate::app::accounts::Role::Clerk])?;
    let id = super::extract::id_of(&id, "试排方案不存在")?;
    Ok(Json(schedule::save_draft(&state.app, &staff, id).await?))
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
    Ok(Json(Docket { hearings: docket::docket(&state.app, &staff, id, p.from.as_deref(), p.to.as_deref()).await? }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SuggestionParams {
    /// How many free slots (1–20, default 5).
    pub top: Option<String>,
}

/// The solver's best free slots for one case, and the earlier slots refused with the rule (staff).
#[utoipa::path(get, path = "/api/v1/cases/{id}/suggestions", tag = "scheduling", params(("id" = String, Path), SuggestionParams),
    responses((status = 200, body = SuggestionsView), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn suggestions(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<SuggestionParams>,
) -> Result<Json<SuggestionsView>, ApiError> {
    let top = match p.top.as_deref().map(str::trim) {
        None | Some("") => 5,
        Some(t) => t
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=20).contains(n))
            .ok_or_else(|| AppError::field("top", "out_of_range", "top 应为 1 到 20 之间的整数"))?,
    };
    Ok(Json(placement::suggestions(&state.app, &staff, &id, top).await?))
}

/// Place a case's hearing by hand, or move the one it has (clerk). Every hard rule and the
/// statutory window are checked; each rule broken is named and nothing is stored.
#[utoipa::path(put, path = "/api/v1/cases/{id}/hearing", tag = "scheduling", params(("id" = String, Path)), request_body = PlaceInput,
    responses((status = 200, body = PlannedView), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn place(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<PlaceInput>,
) -> Result<Json<PlannedView>, ApiError> {
    Ok(Json(placement::place(&state.app, &staff, &id, &body).await?))
}

/// Re-plan exactly these planned hearings (clerk), for example after an arbitrator's leave.
#[utoipa::path(post, path = "/api/v1/hearings/replan", tag = "scheduling", request_body = ReplanInput,
    responses((status = 200, body = ScheduleOutcome), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn replan(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    ApiJson(body, _): ApiJson<ReplanInput>,
) -> Result<Json<ScheduleOutcome>, ApiError> {
    Ok(Json(replan::replan(&state.app, &staff, &body).await?))
}

/// Record a party's request to postpone a hearing (clerk); refused when later than 3 working days
/// before the hearing.
#[utoipa::path(post, path = "/api/v1/hearings/{id}/postponements", tag = "scheduling", params(("id" = i64, Path)), request_body = PostponementInput,
    responses((status = 201, body = PostponementView), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn request_postponement(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<PostponementInput>,
) -> Result<(StatusCode, Json<PostponementView>), ApiError> {
    let id = id_of(&id, "庭审不存在")?;
    Ok((StatusCode::CREATED, Json(replan::request_postponement(&state.app, &staff, id, &body).await?)))
}

/// Decide a postponement request (clerk); when granted the hearing is re-planned after its old day.
#[utoipa::path(post, path = "/api/v1/postponements/{id}/decision", tag = "scheduling", params(("id" = i64, Path)), request_body = PostponementDecision,
    responses((status = 200, body = PostponementView), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn decide_postponement(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<PostponementDecision>,
) -> Result<Json<PostponementView>, ApiError> {
    let id = id_of(&id, "延期申请不存在")?;
    Ok(Json(replan::decide_postponement(&state.app, &staff, id, &body).await?))
}

/// Record that the hearing's latest notice was served (clerk).
#[utoipa::path(post, path = "/api/v1/hearings/{id}/notice", tag = "scheduling", params(("id" = i64, Path)), request_body = ServedInput,
    responses((status = 200, body = ServedView), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn notice_served(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<ServedInput>,
) -> Result<Json<ServedView>, ApiError> {
    let id = id_of(&id, "庭审不存在")?;
    Ok(Json(held::notice_served(&state.app, &staff, id, &body).await?))
}

/// Record the hearing held (an arbitrator of its tribunal): the case becomes `heard`.
#[utoipa::path(post, path = "/api/v1/hearings/{id}/held", tag = "scheduling", params(("id" = i64, Path)), request_body = HeldInput,
    responses((status = 200, body = HeldView), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn held(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<HeldInput>,
) -> Result<Json<HeldView>, ApiError> {
    let id = id_of(&id, "庭审不存在")?;
    Ok(Json(held::held(&state.app, &staff, id, &body).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct FeedParams {
    /// The feed's secret token.
    pub token: Option<String>,
}

async fn feed(state: &AppState, who: Resource, id: &str, token: Option<String>) -> Result<Response, ApiError> {
    let id = id_of(id, "日历不存在或链接已失效，请向书记员索取新的订阅链接")?;
    let body = docket::feed(&state.app, who, id, token.as_deref().unwrap_or("")).await?;
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], body).into_response())
}

/// An arbitrator's hearings as an RFC 5545 feed (the token in the URL; calendar apps subscribe without headers).
#[utoipa::path(get, path = "/api/v1/arbitrators/{id}/calendar.ics", tag = "scheduling", params(("id" = i64, Path), FeedParams),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 404, body = ErrorEnvelope)))]
pub async fn arbitrator_feed(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<FeedParams>,
) -> Result<Response, ApiError> {
    feed(&state, Resource::Arbitrator, &id, p.token).await
}

/// A room's hearings as an RFC 5545 feed.
#[utoipa::path(get, path = "/api/v1/rooms/{id}/calendar.ics", tag = "scheduling", params(("id" = i64, Path), FeedParams),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 404, body = ErrorEnvelope)))]
pub async fn room_feed(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<FeedParams>,
) -> Result<Response, ApiError> {
    feed(&state, Resource::Room, &id, p.token).await
}

/// Give an arbitrator's feed a new token; the old address stops working (admin, clerk, or the arbitrator).
#[utoipa::path(post, path = "/api/v1/arbitrators/{id}/calendar-token", tag = "scheduling", params(("id" = i64, Path)),
    responses((status = 200, body = FeedAddress), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn rotate_arbitrator_feed(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
) -> Result<Json<FeedAddress>, ApiError> {
    let id = id_of(&id, "仲裁员不存在")?;
    Ok(Json(docket::rotate(&state.app, &staff, Resource::Arbitrator, id).await?))
}

/// Give a room's feed a new token (admin or clerk).
#[utoipa::path(post, path = "/api/v1/rooms/{id}/calendar-token", tag = "scheduling", params(("id" = i64, Path)),
    responses((status = 200, body = FeedAddress), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn rotate_room_feed(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
) -> Result<Json<FeedAddress>, ApiError> {
    let id = id_of(&id, "仲裁庭不存在")?;
    Ok(Json(docket::rotate(&state.app, &staff, Resource::Room, id).await?))
}
