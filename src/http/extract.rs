//! Extractors whose rejections use our error envelope: JSON bodies, queries and staff credentials.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::AppState;
use super::error::ApiError;
use crate::app::accounts::{Staff, TokenKind, authenticate};
use crate::law::{FieldError, Violation};

/// A JSON body, with its raw bytes (for idempotency hashing).
///
/// Malformed JSON or a wrong content type is a 400; a well-formed body with a value of the wrong
/// type is a 422 naming the field; a body over the limit is a 413.
pub struct ApiJson<T>(pub T, pub Bytes);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"));
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::too_large()
            } else {
                ApiError::bad_request("无法读取请求内容")
            }
        })?;
        if !is_json {
            return Err(ApiError::bad_request("请求内容类型应为 application/json"));
        }
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        match serde_path_to_error::deserialize(de) {
            Ok(v) => Ok(ApiJson(v, bytes)),
            Err(e) => {
                let path = e.path().to_string();
                let inner = e.into_inner();
                if inner.is_data() && path != "." {
                    Err(ApiError::validation(vec![FieldError::new(path, Violation::new("type", format!("类型不正确：{inner}")))]))
                } else {
                    Err(ApiError::bad_request(format!("JSON 格式错误：{inner}")))
                }
            }
        }
    }
}

/// A query string; a malformed one is a 400.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| ApiQuery(v))
            .map_err(|e| ApiError::bad_request(format!("查询参数格式错误：{e}")))
    }
}

/// A member of staff identified by `Authorization: Bearer TOKEN`; otherwise 401.
pub struct ApiStaff(pub Staff);

impl FromRequestParts<AppState> for ApiStaff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match bearer(&parts.headers) {
            None => Err(crate::app::AppError::Unauthenticated.into()),
            Some(token) => match authenticate(&state.app, token, TokenKind::Api).await? {
                Some(s) => Ok(ApiStaff(s)),
                None => Err(crate::app::AppError::Unauthenticated.into()),
            },
        }
    }
}

/// The bearer token of a request, if any.
pub fn bearer(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// Who a bearer token names: a member of staff, or a party signed in to one case.
pub enum Bearer {
    Staff(Staff),
    Party(crate::app::parties::Party),
}

/// The staff member or party a request's bearer token names; `None` without a token, 401 for a
/// token that names nobody. A staff token is tried first.
pub async fn bearer_of(state: &AppState, headers: &axum::http::HeaderMap) -> Result<Option<Bearer>, ApiError> {
    let Some(token) = bearer(headers) else { return Ok(None) };
    if let Some(staff) = authenticate(&state.app, token, TokenKind::Api).await? {
        return Ok(Some(Bearer::Staff(staff)));
    }
    let party = crate::app::parties::authenticate(&state.app, token).await?;
    Ok(Some(Bearer::Party(party.ok_or(crate::app::AppError::Unauthenticated)?)))
}

/// A numeric id from a path: anything but a positive integer names nothing (404 with `what`).
pub fn id_of(raw: &str, what: &'static str) -> Result<i64, crate::app::AppError> {
    raw.parse::<i64>().ok().filter(|n| *n > 0).ok_or(crate::app::AppError::NotFound(what))
}
