//! The cases API: register (public), read, list, accept, reject, override the track.

use crate::http::extract::Bearer;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::AppState;
use super::error::{ApiError, ErrorEnvelope};
use super::extract::{ApiJson, ApiQuery, ApiStaff};
use super::limit::ClientAddr;
use crate::app::cases::{CasePage, CaseView, ListQuery, Viewer};
use crate::app::court::{CourtOutcomeInput, CourtOutcomeView};
use crate::app::register::{Idempotency, Registered};
use crate::app::secrets::sha256_hex;
use crate::app::withdraw::{ClosedView, WithdrawInput};
use crate::app::{AppError, cases, decide, register};
use crate::law::application::RawApplication;

/// Register a dispute. Public; rate-limited per address. `Idempotency-Key` makes a retry return the first answer.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases",
    request_body = RawApplication,
    params(("Idempotency-Key" = Option<String>, Header, description = "A retry with the same key and body returns the first response")),
    responses(
        (status = 201, body = Registered),
        (status = 400, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope, description = "Each invalid field in `fields`"),
        (status = 429, body = ErrorEnvelope)))]
pub async fn register(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(raw, body): ApiJson<RawApplication>,
) -> Result<impl IntoResponse, ApiError> {
    let idem = match headers.get("idempotency-key") {
        None => None,
        Some(v) => {
            let key = v
                .to_str()
                .map_err(|_| ApiError::from(AppError::field("Idempotency-Key", "format", "Idempotency-Key 应为可见ASCII字符")))?;
            Some(Idempotency::parse(key, sha256_hex(&body))?)
        }
    };
    let done = register::register(&state.app, &raw, idem.as_ref()).await?;
    Ok((StatusCode::CREATED, [(axum::http::header::CACHE_CONTROL, "no-store")], Json(done)))
}

/// One case: for staff (bearer token), for a party signed in to it (its bearer token: the documents
/// served on it, the other side without ID number or phone), or for its applicant (`X-Access-Code`).
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases",
    params(("id" = String, Path), ("X-Access-Code" = Option<String>, Header, description = "The applicant's access code")),
    responses((status = 200, body = CaseView), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("bearer" = []), ()))]
pub async fn get(
    State(state): State<AppState>,
    ClientAddr(from): ClientAddr,
    Path(id): Path<String>,
    req: axum::extract::Request,
) -> Result<Json<CaseView>, ApiError> {
    let (parts, _) = req.into_parts();
    match super::extract::bearer_of(&state, &parts.headers).await? {
        Some(Bearer::Staff(staff)) => return Ok(Json(cases::get(&state.app, &id, Viewer::Staff(&staff)).await?)),
        // A party's session (POST /api/v1/party/login): its own view of its own case.
        Some(Bearer::Party(party)) => return Ok(Json(cases::get(&state.app, &id, Viewer::Party(&party)).await?)),
        None => {}
    }
    let code = parts.headers.get("x-access-code").and_then(|v| v.to_str().ok()).ok_or(AppError::Unauthenticated)?;
    Ok(Json(cases::get(&state.app, &id, Viewer::Applicant { code, from }).await?))
}

/// Query of the case list; every parameter optional.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    /// filed, accepted, rejected, scheduled, heard, suspended, closed
    pub status: Option<String>,
    /// green, simple, ordinary, collective
    pub track: Option<String>,
    /// Part of a party's name or of the case number, or the case id
    pub q: Option<String>,
    /// Filed on or after (YYYY-MM-DD)
    pub from: Option<String>,
    /// Filed on or before (YYYY-MM-DD)
    pub to: Option<String>,
    /// Page number from 1 (50 a page)
    pub page: Option<String>,
    /// A party's 18-character identity number or unified social credit code
    pub party_id: Option<String>,
    /// award, mediation, withdrawn, deemed_withdrawn, revoked
    pub outcome: Option<String>,
}

impl From<ListParams> for ListQuery {
    fn from(p: ListParams) -> Self {
        ListQuery {
            status: p.status,
            track: p.track,
            q: p.q,
            from: p.from,
            to: p.to,
            page: p.page,
            party_id: p.party_id,
            outcome: p.outcome,
        }
    }
}

/// Cases, filtered (staff). A liaison officer's searches are recorded in the access log.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(ListParams),
    responses((status = 200, body = CasePage), (status = 401, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<CasePage>, ApiError> {
    Ok(Json(cases::list(&state.app, &staff, &ListQuery::from(p)).await?))
}

/// Body of an acceptance: the real acceptance date, if not today.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct AcceptBody {
    pub accepted_on: Option<NaiveDate>,
}

/// A case just accepted, and each respondent's sign-in code: shown to the clerk this once (only
/// their digests are kept) and printed on the respondent's 应诉通知书.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AcceptedView {
    #[serde(flatten)]
    pub case: CaseView,
    pub party_codes: Vec<crate::app::parties::PartyCode>,
}

/// Accept a filed case (clerk): allots the case number and gives each respondent its sign-in code.
#[utoipa::path(post, path = "/api/v1/cases/{id}/accept", tag = "cases", params(("id" = String, Path)),
    request_body(content = Option<AcceptBody>, description = "Optional; an empty body accepts today"),
    responses((status = 200, body = AcceptedView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn accept(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<AcceptedView>, ApiError> {
    let body: AcceptBody = if body.iter().all(u8::is_ascii_whitespace) {
        AcceptBody::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            if e.is_data() {
                ApiError::from(AppError::field("accepted_on", "format", "受理日期应写成 YYYY-MM-DD"))
            } else {
                ApiError::bad_request(format!("JSON 格式错误：{e}"))
            }
        })?
    };
    let accepted = decide::accept(&state.app, &staff, &id, body.accepted_on).await?;
    let case = cases::get(&state.app, &id, Viewer::Staff(&staff)).await?;
    Ok(Json(AcceptedView { case, party_codes: accepted.party_codes }))
}

/// Reject a filed case in writing, with the reason (clerk).
#[utoipa::path(post, path = "/api/v1/cases/{id}/reject", tag = "cases", params(("id" = String, Path)), request_body = decide::RejectInput,
    responses((status = 200, body = CaseView), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn reject(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<decide::RejectInput>,
) -> Result<Json<CaseView>, ApiError> {
    decide::reject(&state.app, &staff, &id, &body).await?;
    Ok(Json(cases::get(&state.app, &id, Viewer::Staff(&staff)).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct TrackBody {
    pub track: Option<String>,
    pub reason: Option<String>,
}

/// Override the routed track, with the reason (clerk).
#[utoipa::path(post, path = "/api/v1/cases/{id}/track", tag = "cases", params(("id" = String, Path)), request_body = TrackBody,
    responses((status = 200, body = CaseView), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn override_track(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<TrackBody>,
) -> Result<Json<CaseView>, ApiError> {
    decide::override_track(&state.app, &staff, &id, body.track.as_deref().unwrap_or(""), body.reason.as_deref().unwrap_or("")).await?;
    Ok(Json(cases::get(&state.app, &id, Viewer::Staff(&staff)).await?))
}

/// Record the applicant's written withdrawal (clerk): the case closes, a planned hearing is
/// cancelled.
#[utoipa::path(post, path = "/api/v1/cases/{id}/withdraw", tag = "cases", params(("id" = String, Path)), request_body = WithdrawInput,
    responses((status = 200, body = ClosedView), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn withdraw(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<WithdrawInput>,
) -> Result<Json<ClosedView>, ApiError> {
    Ok(Json(crate::app::withdraw::withdraw(&state.app, &staff, &id, &body).await?))
}

/// Record what the court did after the award (liaison, admin); the termination rate reads it.
#[utoipa::path(put, path = "/api/v1/cases/{id}/court-outcome", tag = "cases", params(("id" = String, Path)), request_body = CourtOutcomeInput,
    responses((status = 200, body = CourtOutcomeView), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn court_outcome(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<CourtOutcomeInput>,
) -> Result<Json<CourtOutcomeView>, ApiError> {
    Ok(Json(crate::app::court::record_court_outcome(&state.app, &staff, &id, &body).await?))
}
