//! The job outbox as staff see it: what is pending, done, or failed with its last error.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use super::AppState;
use super::error::{ApiError, ErrorEnvelope};
use super::extract::{ApiQuery, ApiStaff};
use crate::app::jobs::{self, JobView};

/// Which jobs to list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct JobQuery {
    /// `failed` (default), `pending` or `done`.
    pub state: Option<String>,
}

/// The outbox's jobs in one state, newest first, at most 200 (clerk or admin). A failed job
/// keeps the error of its last attempt.
#[utoipa::path(get, path = "/api/v1/jobs", tag = "service", params(JobQuery),
    responses((status = 200, body = [JobView]), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    ApiQuery(q): ApiQuery<JobQuery>,
) -> Result<Json<Vec<JobView>>, ApiError> {
    Ok(Json(jobs::list(&state.app, &staff, q.state.as_deref()).await?))
}
