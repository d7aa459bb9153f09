//! The parties' sign-in (api.md "The parties"): a party signs in with its case's id or 案号 and
//! its code, and gets a session that reaches only its own view of that case.

use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};

use super::AppState;
use super::error::{ApiError, ErrorEnvelope};
use super::extract::{ApiJson, ApiStaff, Bearer, bearer_of, id_of};
use super::limit::ClientAddr;
use crate::app::AppError;
use crate::app::evidence::{self, EvidenceView, ReviewInput, Stored};
use crate::app::parties::{self, DefenceInput, DefenceView, LoginInput, Party, PartySession};
use crate::app::party_requests::{self, AnswersInput, AnswersView, DecisionInput, RequestInput, RequestView};

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
    match bearer_of(state, headers).await? {
        Some(Bearer::Party(p)) => Ok(p),
        Some(Bearer::Staff(_)) => Err(AppError::Forbidden.into()),
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

/// The multipart form of an evidence upload.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct EvidenceForm {
    /// The file: PDF, JPEG or PNG (known by its content), at most `evidence_max_mb`.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// What the evidence is, e.g. 工资条.
    name: String,
    /// What it proves (证明目的).
    purpose: String,
}

/// A party uploads evidence (证据): `multipart/form-data` with `file`, `name` and `purpose`. A file
/// that is not a PDF, JPEG or PNG by its content, too large, or past the side's count is refused
/// and nothing is stored (the party's session).
#[utoipa::path(post, path = "/api/v1/cases/{id}/evidence", tag = "parties", params(("id" = String, Path)),
    request_body(content = EvidenceForm, content_type = "multipart/form-data"),
    responses((status = 201, body = Stored), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn upload_evidence(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: axum::extract::Request,
) -> Result<(StatusCode, Json<Stored>), ApiError> {
    // Who is asking comes first: a request from anyone but a party is refused before its body is read.
    let p = party(&state, request.headers()).await?;
    let mut form = <Multipart as axum::extract::FromRequest<()>>::from_request(request, &())
        .await
        .map_err(|e| ApiError::bad_request(format!("请以 multipart/form-data 上传（file、name、purpose）：{e}")))?;
    let (mut name, mut purpose, mut bytes) = (None, None, Vec::new());
    let unreadable = |e: axum::extract::multipart::MultipartError| -> ApiError {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::field("file", "too_large", "文件超过上传上限").into()
        } else {
            ApiError::bad_request(format!("上传没有完成，请重新上传：{e}"))
        }
    };
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("name") => name = Some(field.text().await.map_err(unreadable)?),
            Some("purpose") => purpose = Some(field.text().await.map_err(unreadable)?),
            Some("file") => bytes = field.bytes().await.map_err(unreadable)?.to_vec(),
            _ => {}
        }
    }
    let u = evidence::Upload { name: name.as_deref(), purpose: purpose.as_deref(), bytes: &bytes };
    Ok((StatusCode::CREATED, Json(evidence::upload(&state.app, &p, &id, &u).await?)))
}

/// The evidence of a case: every file for staff; for a party, its own side's and the other side's
/// accepted by the clerk.
#[utoipa::path(get, path = "/api/v1/cases/{id}/evidence", tag = "parties", params(("id" = String, Path)),
    responses((status = 200, body = [EvidenceView]), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn evidence_list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Vec<EvidenceView>>, ApiError> {
    match bearer_of(&state, &headers).await?.ok_or(AppError::Unauthenticated)? {
        Bearer::Staff(staff) => Ok(Json(evidence::for_staff(&state.app, &staff, &id).await?)),
        Bearer::Party(p) => Ok(Json(evidence::for_party(&state.app, &p, &id).await?)),
    }
}

/// The clerk reviews a file: `accepted` into the case file (and the bundle), or `returned` with a
/// reason the party sees (clerk).
#[utoipa::path(post, path = "/api/v1/evidence/{id}/review", tag = "parties", params(("id" = i64, Path)), request_body = ReviewInput,
    responses((status = 200, body = EvidenceView), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope, description = "Reviewed already"),
        (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn review_evidence(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<ReviewInput>,
) -> Result<Json<EvidenceView>, ApiError> {
    let id = id_of(&id, "证据不存在")?;
    Ok(Json(evidence::review(&state.app, &staff, id, &body).await?))
}

/// One evidence file: staff who may read the case (logged), or a party for its own side's files
/// and the other side's accepted ones.
#[utoipa::path(get, path = "/api/v1/evidence/{id}", tag = "parties", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn evidence_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<axum::response::Response, ApiError> {
    let id = id_of(&id, "证据不存在")?;
    let (d, mime) = match bearer_of(&state, &headers).await?.ok_or(AppError::Unauthenticated)? {
        Bearer::Staff(staff) => evidence::download(&state.app, evidence::Viewer::Staff(&staff), id).await?,
        Bearer::Party(p) => evidence::download(&state.app, evidence::Viewer::Party(&p), id).await?,
    };
    Ok(super::documents::file(d, mime))
}

/// A party confirms its service address (送达地址确认书) online, with the respondent's consents to the
/// simplified procedure and to informal notice and either side's willingness to mediate. With
/// consent to the platform its paper services not yet sent move there (the party's session).
#[utoipa::path(put, path = "/api/v1/cases/{id}/party-answers", tag = "parties", params(("id" = String, Path)), request_body = AnswersInput,
    responses((status = 200, body = AnswersView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn answers(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<AnswersInput>,
) -> Result<Json<AnswersView>, ApiError> {
    let p = party(&state, &headers).await?;
    Ok(Json(party_requests::answer(&state.app, &p, &id, &body).await?))
}

/// A party's request: `postponement` (into the clerk's postponement list; refused after
/// `postpone_by`), `recusal` of an arbitrator of the tribunal before the hearing, or the
/// applicant's `withdrawal`, confirmed twice (the party's session).
#[utoipa::path(post, path = "/api/v1/cases/{id}/requests", tag = "parties", params(("id" = String, Path)), request_body = RequestInput,
    responses((status = 201, body = RequestView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope, description = "A withdrawal from the respondent"),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope, description = "Too late, or the same request is pending"), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn file_request(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<RequestInput>,
) -> Result<(StatusCode, Json<RequestView>), ApiError> {
    let p = party(&state, &headers).await?;
    Ok((StatusCode::CREATED, Json(party_requests::request(&state.app, &p, &id, &body).await?)))
}

/// The parties' requests waiting for a decision (clerk, admin).
#[utoipa::path(get, path = "/api/v1/party-requests", tag = "parties",
    responses((status = 200, body = [RequestView]), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn pending_requests(State(state): State<AppState>, ApiStaff(staff): ApiStaff) -> Result<Json<Vec<RequestView>>, ApiError> {
    Ok(Json(party_requests::pending(&state.app, &staff).await?))
}

/// The clerk decides a party's request: a granted withdrawal closes the case; a granted recusal
/// keeps the arbitrator off the party's cases (clerk).
#[utoipa::path(post, path = "/api/v1/party-requests/{id}/decision", tag = "parties", params(("id" = i64, Path)), request_body = DecisionInput,
    responses((status = 200, body = RequestView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope, description = "Decided already, or the case can no longer be withdrawn"), (status = 422, body = ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn decide_request(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<String>,
    ApiJson(body, _): ApiJson<DecisionInput>,
) -> Result<Json<RequestView>, ApiError> {
    let id = id_of(&id, "申请不存在")?;
    Ok(Json(party_requests::decide(&state.app, &staff, id, &body).await?))
}
