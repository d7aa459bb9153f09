//! The parties' sign-in (api.md "The parties"): a party signs in with its case's id or 案号 and
//! its code, and gets a session that reaches only its own view of that case.

use axum::Json;
use axum::extract::State;

use super::AppState;
use super::error::{ApiError, ErrorEnvelope};
use super::extract::ApiJson;
use super::limit::ClientAddr;
use crate::app::parties::{self, LoginInput, PartySession};

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
