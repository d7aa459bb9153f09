//! Login for the API: username and password in, a bearer token out.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};

use super::AppState;
use super::error::{ApiError, ErrorEnvelope};
use super::extract::ApiJson;
use super::limit::ClientAddr;
use crate::app::AppError;
use crate::app::accounts::{Role, TokenKind, login as app_login};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LoginBody {
    #[schema(required = true, min_length = 1)]
    pub username: Option<String>,
    #[schema(required = true, min_length = 1)]
    pub password: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LoginAnswer {
    /// Send as `Authorization: Bearer TOKEN`; it expires after the configured hours.
    pub token: String,
    pub role: Role,
}

/// Log in (staff).
#[utoipa::path(post, path = "/api/v1/login", tag = "accounts", request_body = LoginBody,
    responses((status = 200, body = LoginAnswer), (status = 401, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(from): ClientAddr,
    ApiJson(body, _): ApiJson<LoginBody>,
) -> Result<Json<LoginAnswer>, ApiError> {
    let mut missing = Vec::new();
    let username = body.username.unwrap_or_default();
    let password = body.password.unwrap_or_default();
    if username.trim().is_empty() {
        missing.push(("username", "请填写用户名"));
    }
    if password.is_empty() {
        missing.push(("password", "请填写密码"));
    }
    if !missing.is_empty() {
        return Err(AppError::Validation(
            missing.into_iter().map(|(f, m)| crate::law::FieldError::new(f, crate::law::Violation::new("required", m))).collect(),
        )
        .into());
    }
    let (token, staff) = app_login(&state.app, from, &username, &password, TokenKind::Api).await?;
    Ok(Json(LoginAnswer { token, role: staff.role }))
}

/// Log out: the bearer token stops working at once.
#[utoipa::path(post, path = "/api/v1/logout", tag = "accounts",
    responses((status = 204, description = "the token is revoked"), (status = 401, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn logout(
    State(state): State<AppState>,
    _who: super::extract::ApiStaff,
    req: axum::extract::Request,
) -> Result<axum::http::StatusCode, ApiError> {
    let (parts, _) = req.into_parts();
    let token = super::extract::bearer(&parts.headers).ok_or(AppError::Unauthenticated)?;
    crate::app::accounts::logout(&state.app, token).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
