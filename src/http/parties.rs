//! The parties' sign-in (api.md "The parties"): a party signs in with its case's id or 案号 and
//! its code, and gets a session that reaches only its own view of that case.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};

use super::AppState;
use super::error::{ApiError, ErrorEnvelope};
use super::extract::ApiJson;
use super::limit::ClientAddr;
use crate::app::AppError;
use crate::app::parties::{self, DefenceInput, DefenceView, LoginInput, Party, PartySession};

/// Sign in as a party: the applicant with the access code of its registration, a respondent with
/// the code on its 应诉通知书. A wrong code and an unknown case get the same 401; guesses are throttled (429).
#[utoipa::path(post, path = "/api/v1/party/login", tag = "parties", request_body = LoginInput,
    responses((status = 200, body = PartySession), (status = 401, body = ErrorEnvelope, description = "No such case, or the code is wrong"),
        (status = 422, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(from): ClientAddr,
    ApiJson(body, _): ApiJson<LoginInput>,
) -> Result<Json<PartySession>, ApiError> {
    Ok(Json(parties::login(&state.app, &body, from).await?))
}

/// The party a bearer token names; staff tokens are not a party's (403), no token is 401.
async fn party(state: &AppState, headers: &HeaderMap) -> Result<Party, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .ok_or(AppError::Unauthenticated)?;
    if let Some(p) = parties::authenticate(&state.app, token).await? {
        return Ok(p);
    }
    match crate::app::accounts::authenticate(&state.app, token, crate::app::accounts::TokenKind::Api).await? {
        Some(_) => Err(AppError::Forbidden.into()),
        None => Err(AppError::Unauthenticated.into()),
    }
}

/// The respondent answers: its defence (答辩书), and perhaps the waiver of the defence period
/// (Rules Art. 58: simplified procedure only), which lets the hearing come sooner. A defence after
/// the period is still received, marked late (the respondent's session).
#[utoipa::path(post, path = "/api/v1/cases/{id}/defence", tag = "parties", params(("id" = String, Path)), request_body = DefenceInput,
    responses((status = 201, body = DefenceView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope, description = "Not the respondent's session"),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope, description = "The case is not running, or the waiver is not allowed"),
        (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn defence(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<DefenceInput>,
) -> Result<(StatusCode, Json<DefenceView>), ApiError> {
    let p = party(&state, &headers).await?;
    Ok((StatusCode::CREATED, Json(parties::defend(&state.app, &p, &id, &body).await?)))
}
