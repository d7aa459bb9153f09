//! The service-of-documents API (api.md "Services"): a case's services, the clerk's records and
//! re-service, parties' service addresses, and the SMS gateway's delivery receipts.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::AppState;
use super::documents::file;
use super::error::{ApiError, ErrorEnvelope};
use super::extract::{ApiJson, ApiStaff, id_of};
use crate::app::AppError;
use crate::app::addresses::{self, AddressInput, AddressView};
use crate::app::notify::{self, MessageView, OptOutInput, OptOutView};
use crate::app::service_papers;
use crate::app::service_scans::{self, ScanView};
use crate::app::services::{self, CaseServices, DeliveredInput, FailedInput, ReceiptsOutcome, ReserveInput, SentInput, ServiceView};
use crate::outbound::sms::{Receipt, receipt_signed};

/// Every service of a case: each document to each party, its channel, status, dates and evidence (staff).
#[utoipa::path(get, path = "/api/v1/cases/{id}/services", tag = "services", params(("id" = String, Path)),
    responses((status = 200, body = CaseServices), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn of_case(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
) -> Result<Json<CaseServices>, ApiError> {
    Ok(Json(services::of_case(&state.app, &staff, &id).await?))
}

/// Every service not yet delivered, oldest first: the clerk's 未送达 queue.
#[utoipa::path(get, path = "/api/v1/services/unserved", tag = "services",
    responses((status = 200, body = [ServiceView]), (status = 403, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn unserved(State(state): State<AppState>, ApiStaff(staff): ApiStaff) -> Result<Json<Vec<ServiceView>>, ApiError> {
    Ok(Json(services::unserved(&state.app, &staff).await?))
}

/// The clerk records a paper service sent: posted (EMS number) or handed over (clerk).
#[utoipa::path(post, path = "/api/v1/services/{id}/sent", tag = "services", params(("id" = i64, Path)), request_body = SentInput,
    responses((status = 200, body = ServiceView), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn sent(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<SentInput>,
) -> Result<Json<ServiceView>, ApiError> {
    let id = id_of(&id, "送达记录不存在")?;
    Ok(Json(services::record_sent(&state.app, &staff, id, &body).await?))
}

/// The clerk records delivery from paper evidence: the postal return receipt's date, the signed
/// 送达回证, the witnesses of a document left at the address (clerk).
#[utoipa::path(post, path = "/api/v1/services/{id}/delivered", tag = "services", params(("id" = i64, Path)), request_body = DeliveredInput,
    responses((status = 200, body = ServiceView), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn delivered(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<DeliveredInput>,
) -> Result<Json<ServiceView>, ApiError> {
    let id = id_of(&id, "送达记录不存在")?;
    Ok(Json(services::record_delivered(&state.app, &staff, id, &body).await?))
}

/// The clerk records that a service failed (clerk).
#[utoipa::path(post, path = "/api/v1/services/{id}/failed", tag = "services", params(("id" = i64, Path)), request_body = FailedInput,
    responses((status = 200, body = ServiceView), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn failed(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<FailedInput>,
) -> Result<Json<ServiceView>, ApiError> {
    let id = id_of(&id, "送达记录不存在")?;
    Ok(Json(services::record_failed(&state.app, &staff, id, &body).await?))
}

/// Serve the document again by another channel; the answer is the new service (clerk).
#[utoipa::path(post, path = "/api/v1/services/{id}/reserve", tag = "services", params(("id" = i64, Path)), request_body = ReserveInput,
    responses((status = 200, body = ServiceView), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn reserve(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<ReserveInput>,
) -> Result<Json<ServiceView>, ApiError> {
    let id = id_of(&id, "送达记录不存在")?;
    Ok(Json(services::reserve(&state.app, &staff, id, &body).await?))
}

/// Every party's service address and consents in force (staff).
#[utoipa::path(get, path = "/api/v1/cases/{id}/service-addresses", tag = "services", params(("id" = String, Path)),
    responses((status = 200, body = [AddressView]), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn addresses_of_case(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
) -> Result<Json<Vec<AddressView>>, ApiError> {
    Ok(Json(addresses::of_case(&state.app, &staff, &id).await?))
}

/// Record a party's signed service-address confirmation (送达地址确认书); consents left out are
/// withdrawn for later services (clerk).
#[utoipa::path(put, path = "/api/v1/cases/{id}/parties/{role}/{index}/service-address", tag = "services",
    params(("id" = String, Path), ("role" = String, Path, description = "applicant or respondent"), ("index" = i64, Path)),
    request_body = AddressInput,
    responses((status = 200, body = AddressView), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn confirm_address(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path((id, role, index)): Path<(String, String, String)>,
    ApiJson(body, _): ApiJson<AddressInput>,
) -> Result<Json<AddressView>, ApiError> {
    let index = party_index(&role, &index)?;
    Ok(Json(addresses::confirm(&state.app, &staff, &id, &role, index, &body).await?))
}

/// A party's role and position from a path: anything else names no party (404).
pub(crate) fn party_index(role: &str, index: &str) -> Result<i64, AppError> {
    if role != "applicant" && role != "respondent" {
        return Err(AppError::NotFound("当事人不存在"));
    }
    index.parse::<i64>().ok().filter(|i| (0..1000).contains(i)).ok_or(AppError::NotFound("当事人不存在"))
}

/// The 送达回证 of a delivered service, typeset from the ledger (staff who may read the case;
/// every download is logged).
#[utoipa::path(get, path = "/api/v1/services/{id}/receipt.pdf", tag = "services", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope, description = "The service is not delivered")), security(("bearer" = [])))]
pub async fn receipt_pdf(State(state): State<AppState>, ApiStaff(staff): ApiStaff, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = id_of(&id, "送达记录不存在")?;
    Ok(file(service_papers::receipt(&state.app, &staff, id).await?, "application/pdf"))
}

/// A party's 送达地址确认书 as it stands, to print and sign (staff who may read the case).
#[utoipa::path(get, path = "/api/v1/cases/{id}/parties/{role}/{index}/service-address.pdf", tag = "services",
    params(("id" = String, Path), ("role" = String, Path, description = "applicant or respondent"), ("index" = i64, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn address_pdf(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path((id, role, index)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    let index = party_index(&role, &index)?;
    Ok(file(service_papers::address_confirmation(&state.app, &staff, &id, &role, index).await?, "application/pdf"))
}

/// Upload the signed proof of a paper service (the 送达回证 signed in person or by a witness, the
/// EMS return receipt): the body is the PDF, JPEG or PNG itself, at most 10 MB (clerk).
#[utoipa::path(put, path = "/api/v1/services/{id}/scan", tag = "services", params(("id" = i64, Path)),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The scan itself: a PDF, JPEG or PNG file"),
    responses((status = 200, body = ScanView), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope, description = "Not a paper service"),
        (status = 413, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope, description = "Empty, too large, or not a PDF, JPEG or PNG")),
    security(("bearer" = [])))]
pub async fn upload_scan(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<ScanView>, ApiError> {
    let id = id_of(&id, "送达记录不存在")?;
    Ok(Json(service_scans::upload(&state.app, &staff, id, &body).await?))
}

/// The latest scanned proof of a service (staff who may read the case; every download is logged).
#[utoipa::path(get, path = "/api/v1/services/{id}/scan", tag = "services", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn scan(State(state): State<AppState>, ApiStaff(staff): ApiStaff, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = id_of(&id, "送达记录不存在")?;
    let (download, mime) = service_scans::download(&state.app, &staff, id).await?;
    Ok(file(download, mime))
}

/// Opt a party out of notifications (SMS and e-mail at each step), or back in; service of
/// documents goes on regardless (clerk).
#[utoipa::path(put, path = "/api/v1/cases/{id}/parties/{role}/{index}/notifications", tag = "services",
    params(("id" = String, Path), ("role" = String, Path, description = "applicant or respondent"), ("index" = i64, Path)),
    request_body = OptOutInput,
    responses((status = 200, body = OptOutView), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn notifications(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path((id, role, index)): Path<(String, String, String)>,
    ApiJson(body, _): ApiJson<OptOutInput>,
) -> Result<Json<OptOutView>, ApiError> {
    let index = party_index(&role, &index)?;
    Ok(Json(notify::set_opt_out(&state.app, &staff, &id, &role, index, &body).await?))
}

/// The notifications of a case: each SMS and e-mail to a party, its status and last error (staff).
#[utoipa::path(get, path = "/api/v1/cases/{id}/messages", tag = "services", params(("id" = String, Path)),
    responses((status = 200, body = [MessageView]), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn messages(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
) -> Result<Json<Vec<MessageView>>, ApiError> {
    Ok(Json(notify::of_case(&state.app, &staff, &id).await?))
}

/// The SMS gateway's delivery receipts: a JSON list (or one object) in Alibaba Cloud's report
/// shape, signed `X-Greenlane-Signature: sha256=<HMAC-SHA256 of the body>` with `sms_callback_secret`.
#[utoipa::path(post, path = "/api/v1/sms/receipts", tag = "services", request_body = [Receipt],
    responses((status = 200, body = ReceiptsOutcome), (status = 401, body = ErrorEnvelope, description = "Missing or forged signature"),
        (status = 404, body = ErrorEnvelope, description = "No SMS gateway is configured"),
        (status = 409, body = ErrorEnvelope, description = "No receipt named a service or message waiting for one"),
        (status = 422, body = ErrorEnvelope)))]
pub async fn receipts(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Result<Json<ReceiptsOutcome>, ApiError> {
    let secret = state.app.config.outbound.sms_callback_secret.as_deref().ok_or(AppError::NotFound("未启用短信网关"))?;
    let signature = headers.get("x-greenlane-signature").and_then(|v| v.to_str().ok()).unwrap_or("");
    if !receipt_signed(secret, &body, signature) {
        tracing::warn!("SMS delivery receipt with a missing or forged signature refused");
        return Err(AppError::Unauthenticated.into());
    }
    let list: Vec<Receipt> = match serde_json::from_slice::<Vec<Receipt>>(&body) {
        Ok(list) => list,
        Err(_) => {
            vec![serde_json::from_slice::<Receipt>(&body).map_err(|e| AppError::field("body", "format", format!("回执格式不正确：{e}")))?]
        }
    };
    let outcome = services::receipts(&state.app, &list).await?;
    if outcome.accepted == 0 && !outcome.refused.is_empty() {
        let reasons: Vec<String> = outcome.refused.iter().map(|r| format!("{}：{}", r.biz_id, r.reason)).collect();
        return Err(AppError::Conflict(format!("回执未记录：{}", reasons.join("；"))).into());
    }
    Ok(Json(outcome))
}
