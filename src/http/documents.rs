//! The documents API: awards and mediation statements, a case's documents, PDF downloads, the
//! bundle for the courts, and the access log.

use crate::http::extract::{Bearer, bearer_of};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::AppState;
use super::error::{ApiError, ErrorEnvelope};
use super::extract::{ApiJson, ApiQuery, ApiStaff, id_of};
use super::limit::ClientAddr;
use crate::app::AppError;
use crate::app::award::{self, AwardInput, Issued, MediationInput};
use crate::app::documents::{self, CorrectionInput, DocumentText, DocumentView, Download};
use crate::store::documents::AccessRow;

/// Issue the award of a heard case (an arbitrator of its tribunal). One document, or two numbered
/// `…-1号` (final) and `…-2号` (non-final) when the items differ; the case closes.
#[utoipa::path(post, path = "/api/v1/cases/{id}/award", tag = "documents", params(("id" = String, Path)), request_body = AwardInput,
    responses((status = 201, body = Issued), (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn award(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<AwardInput>,
) -> Result<(StatusCode, Json<Issued>), ApiError> {
    Ok((StatusCode::CREATED, Json(award::award(&state.app, &staff, &id, &body).await?)))
}

/// Issue the mediation statement of an agreement (an arbitrator of the tribunal); the case closes.
#[utoipa::path(post, path = "/api/v1/cases/{id}/mediation", tag = "documents", params(("id" = String, Path)), request_body = MediationInput,
    responses((status = 201, body = Issued), (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn mediation(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<MediationInput>,
) -> Result<(StatusCode, Json<Issued>), ApiError> {
    Ok((StatusCode::CREATED, Json(award::mediation(&state.app, &staff, &id, &body).await?)))
}

/// The award as it would be issued, typeset but not stored: one PDF with every part (an arbitrator
/// of its tribunal). Nothing is issued and the case does not change.
#[utoipa::path(post, path = "/api/v1/cases/{id}/award/preview", tag = "documents", params(("id" = String, Path)), request_body = AwardInput,
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn award_preview(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<AwardInput>,
) -> Result<Response, ApiError> {
    let p = award::preview_award(&state.app, &staff, &id, &body).await?;
    Ok(([(header::CONTENT_TYPE, "application/pdf")], p.pdf).into_response())
}

/// The mediation statement as it would be issued, typeset but not stored (an arbitrator of the
/// tribunal).
#[utoipa::path(post, path = "/api/v1/cases/{id}/mediation/preview", tag = "documents", params(("id" = String, Path)), request_body = MediationInput,
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn mediation_preview(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<MediationInput>,
) -> Result<Response, ApiError> {
    let p = award::preview_mediation(&state.app, &staff, &id, &body).await?;
    Ok(([(header::CONTENT_TYPE, "application/pdf")], p.pdf).into_response())
}

/// A case's documents with their SHA-256: every one for staff (recorded in the access log); those
/// served on the party for a party's session (`POST /api/v1/party/login`), or on the applicants
/// for the holder of the case's `X-Access-Code`.
#[utoipa::path(get, path = "/api/v1/cases/{id}/documents", tag = "documents",
    params(("id" = String, Path), ("X-Access-Code" = Option<String>, Header, description = "The applicant's access code")),
    responses((status = 200, body = [DocumentView]), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)), security(("bearer" = []), ()))]
pub async fn of_case(
    State(state): State<AppState>,
    ClientAddr(from): ClientAddr,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<Json<Vec<DocumentView>>, ApiError> {
    match bearer_of(&state, &headers).await? {
        Some(Bearer::Staff(staff)) => Ok(Json(documents::of_case(&state.app, &staff, &id).await?)),
        // A party's session reaches its own case only: another case is not there for it.
        Some(Bearer::Party(p)) if p.case_id == id => Ok(Json(crate::app::services::party_documents(&state.app, &p).await?)),
        Some(Bearer::Party(_)) => Err(AppError::NotFound("案件不存在").into()),
        None => Ok(Json(crate::app::services::applicant_documents(&state.app, &id, access_code(&headers)?, from).await?)),
    }
}

fn access_code(headers: &axum::http::HeaderMap) -> Result<&str, ApiError> {
    Ok(headers.get("x-access-code").and_then(|v| v.to_str().ok()).ok_or(AppError::Unauthenticated)?)
}

/// A download as an attachment with its (Chinese) file name.
pub(crate) fn file(d: Download, mime: &'static str) -> Response {
    let disposition = format!("attachment; filename*=UTF-8''{}", urlencode(&d.file_name));
    ([(header::CONTENT_TYPE, mime.to_string()), (header::CONTENT_DISPOSITION, disposition)], d.bytes).into_response()
}

/// RFC 5987 encoding of a file name with Chinese in it.
pub(crate) fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// One document as issued: the same bytes on every download. Staff (recorded in the access log),
/// a party's session for a document served on it, or the holder of the case's `X-Access-Code` for
/// a document served on the applicants: a party's download delivers its platform service.
#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "documents",
    params(("id" = i64, Path), ("X-Access-Code" = Option<String>, Header, description = "The applicant's access code")),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("bearer" = []), ()))]
pub async fn download(
    State(state): State<AppState>,
    ClientAddr(from): ClientAddr,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<Response, ApiError> {
    let id = id_of(&id, "文书不存在")?;
    let d = match bearer_of(&state, &headers).await? {
        Some(Bearer::Staff(staff)) => documents::download(&state.app, &staff, id).await?,
        Some(Bearer::Party(p)) => crate::app::services::party_download(&state.app, &p, id).await?,
        None => crate::app::services::applicant_download(&state.app, id, access_code(&headers)?, from).await?,
    };
    Ok(file(d, "application/pdf"))
}

/// Every document of a case in one ZIP with `manifest.json` (names, kinds, SHA-256, issued_at) and
/// the combined case file `case-file.pdf` with a bookmark per document (liaison, clerk, admin).
#[utoipa::path(get, path = "/api/v1/cases/{id}/bundle", tag = "documents", params(("id" = String, Path)),
    responses((status = 200, content_type = "application/zip", body = Vec<u8>), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn bundle(State(state): State<AppState>, ApiStaff(staff): ApiStaff, Path(id): Path<String>) -> Result<Response, ApiError> {
    Ok(file(documents::bundle(&state.app, &staff, &id).await?, "application/zip"))
}

/// Print the latest notice of a planned hearing: the 开庭通知书, with the 仲裁庭组成通知书 when the
/// case has none yet. Printing it again answers the documents already issued (clerk, admin).
#[utoipa::path(post, path = "/api/v1/hearings/{id}/notice-documents", tag = "documents", params(("id" = i64, Path)),
    responses((status = 201, body = [DocumentView]), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn print_hearing_notice(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<Vec<DocumentView>>), ApiError> {
    let id = id_of(&id, "庭审不存在")?;
    Ok((StatusCode::CREATED, Json(documents::print_hearing_notice(&state.app, &staff, id).await?)))
}

/// The wording of a document in the template markup, to correct it (clerk, arbitrator, admin).
#[utoipa::path(get, path = "/api/v1/documents/{id}/text", tag = "documents", params(("id" = i64, Path)),
    responses((status = 200, body = DocumentText), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn text(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
) -> Result<Json<DocumentText>, ApiError> {
    let id = id_of(&id, "文书不存在")?;
    Ok(Json(documents::text(&state.app, &staff, id).await?))
}

/// Issue a corrected version of a document: same kind and number, next version, naming the one it
/// corrects; the original is kept unchanged. Awards and mediation statements: an arbitrator of the
/// tribunal; notices: a clerk.
#[utoipa::path(post, path = "/api/v1/documents/{id}/corrections", tag = "documents", params(("id" = i64, Path)), request_body = CorrectionInput,
    responses((status = 201, body = DocumentView), (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn correct(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<CorrectionInput>,
) -> Result<(StatusCode, Json<DocumentView>), ApiError> {
    let id = id_of(&id, "文书不存在")?;
    Ok((StatusCode::CREATED, Json(documents::correct(&state.app, &staff, id, &body).await?)))
}

/// Filters of the access log.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct AccessQuery {
    pub case_id: Option<String>,
}

/// Who searched, viewed and downloaded what, newest first (admin).
#[utoipa::path(get, path = "/api/v1/access-log", tag = "documents", params(AccessQuery),
    responses((status = 200, body = [AccessRow]), (status = 403, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn access_log(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    ApiQuery(q): ApiQuery<AccessQuery>,
) -> Result<Json<Vec<AccessRow>>, ApiError> {
    let filter = crate::store::documents::AccessFilter { case_id: q.case_id.clone().filter(|c| !c.is_empty()), ..Default::default() };
    Ok(Json(documents::access_log(&state.app, &staff, &filter).await?))
}
