//! The figures API: the commission's report figures of a period, as JSON or CSV, and the filtered
//! case list as CSV.

use axum::Json;
use axum::extract::State;
use axum::response::Response;

use super::AppState;
use super::cases::ListParams;
use super::documents::file;
use super::error::{ApiError, ErrorEnvelope};
use super::extract::{ApiQuery, ApiStaff};
use crate::app::cases::{self, ListQuery};
use crate::app::export;
use crate::app::figures::{self, Stats, StatsQuery};

const CSV: &str = "text/csv; charset=utf-8";

/// The commission's figures for a period and track (staff). Rates are fractions from 0 to 1, null
/// when their denominator is 0; each figure's formula is listed below and in `definitions`.
#[utoipa::path(get, path = "/api/v1/stats", tag = "figures", params(StatsQuery),
    responses((status = 200, body = Stats), (status = 401, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope, description = "`to` before `from`, a period over ten years, an unknown track or a bad date, naming the field")),
    security(("bearer" = [])))]
pub async fn stats(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> Result<Json<Stats>, ApiError> {
    Ok(Json(figures::stats(&state.app, &staff, &q).await?))
}

/// The same figures as a spreadsheet (UTF-8 CSV with a byte-order mark): one row for the whole
/// commission, one per track, then the definitions.
#[utoipa::path(get, path = "/api/v1/stats.csv", tag = "figures", params(StatsQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 422, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn stats_csv(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> Result<Response, ApiError> {
    let s = figures::stats(&state.app, &staff, &q).await?;
    Ok(file(export::figures_csv(&s)?, CSV))
}

/// The filtered case list as a spreadsheet (the filters of `GET /api/v1/cases`; at most 50,000
/// cases, more is a 422 saying what to narrow).
#[utoipa::path(get, path = "/api/v1/cases.csv", tag = "figures", params(ListParams),
    responses((status = 200, content_type = "text/csv", body = String), (status = 422, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn cases_csv(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Response, ApiError> {
    let items = cases::export(&state.app, &staff, &ListQuery::from(p)).await?;
    Ok(file(export::cases_csv(&items)?, CSV))
}

/// Appends every figure's definition to the description of `GET /api/v1/stats`.
pub struct Definitions;

impl utoipa::Modify for Definitions {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let Some(op) = openapi.paths.paths.get_mut("/api/v1/stats").and_then(|p| p.get.as_mut()) else { return };
        let lines: Vec<String> = crate::figures::DEFINITIONS
            .iter()
            .chain(&crate::figures::service::DEFINITIONS)
            .map(|d| format!("- `{}` {}: {}", d.field, d.name, d.formula))
            .collect();
        let mut text = op.description.clone().unwrap_or_default();
        text.push_str(&format!("\n\nDefinitions ({}):\n{}", crate::figures::DEFINITIONS_VERSION, lines.join("\n")));
        op.description = Some(text);
    }
}
