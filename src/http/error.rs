//! One error envelope for the whole API (api.md "Errors"); internal details are logged, never sent.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::app::AppError;
use crate::law::FieldError;

/// An error as the API answers it.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub fields: Vec<FieldError>,
    pub retry_after: Option<u64>,
}

/// `{"error": {...}}`
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable code: bad_request, unauthenticated, forbidden, not_found, conflict, too_large, validation, rate_limited, internal.
    pub code: &'static str,
    /// What happened, in Chinese.
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into(), fields: Vec::new(), retry_after: None }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn too_large() -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", "请求内容过大")
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "请求的资源不存在")
    }

    pub fn rate_limited(retry_after: u64) -> Self {
        Self {
            retry_after: Some(retry_after),
            ..Self::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", format!("请求过于频繁，请{retry_after}秒后再试"))
        }
    }

    pub fn validation(fields: Vec<FieldError>) -> Self {
        Self { fields, ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation", "提交的内容有误，请按提示修改") }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Validation(fields) => ApiError::validation(fields),
            AppError::Unauthenticated => ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", e.to_string()),
            AppError::Forbidden => ApiError::new(StatusCode::FORBIDDEN, "forbidden", e.to_string()),
            AppError::NotFound(m) => ApiError::new(StatusCode::NOT_FOUND, "not_found", m),
            AppError::Conflict(m) => ApiError::new(StatusCode::CONFLICT, "conflict", m),
            AppError::TooMany(secs) => ApiError::rate_limited(secs),
            AppError::Unavailable(why) => {
                tracing::warn!(error = %why, "database unreachable");
                let mut e = ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "数据库暂时无法连接，请稍后再试");
                e.retry_after = Some(RETRY_AFTER_OUTAGE);
                e
            }
            AppError::Internal(err) => {
                tracing::error!(error = ?err, "internal error");
                ApiError::internal()
            }
        }
    }
}

/// Seconds a client is asked to wait while the database is out of reach.
pub const RETRY_AFTER_OUTAGE: u64 = 5;

impl ApiError {
    /// A broken invariant: the 500 envelope (the cause goes to the log, not to the client).
    pub fn internal() -> Self {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "服务器内部错误，请稍后再试；如持续出现请联系仲裁委员会")
    }

    /// A handler that panicked answers with the 500 envelope instead of dropping the connection.
    pub fn from_panic(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
        let what =
            panic.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| panic.downcast_ref::<String>().cloned()).unwrap_or_default();
        tracing::error!(panic = %what, "a request handler panicked");
        ApiError::internal().into_response()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorEnvelope { error: ErrorBody { code: self.code, message: self.message, fields: self.fields } };
        let mut res = (self.status, Json(body)).into_response();
        if let Some(s) = self.retry_after {
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::http::Request;
    use axum::routing::get;
    use tower::ServiceExt;

    async fn boom() -> &'static str {
        panic!("a broken invariant")
    }

    #[tokio::test]
    async fn a_panicking_handler_answers_with_the_500_envelope() {
        let app = Router::new().route("/boom", get(boom)).layer(tower_http::catch_panic::CatchPanicLayer::custom(ApiError::from_panic));
        let res = app.oneshot(Request::get("/boom").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = http_body_util::BodyExt::collect(res.into_body()).await.unwrap().to_bytes();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["error"]["code"], "internal");
    }
}
