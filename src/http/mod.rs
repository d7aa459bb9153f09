//! HTTP: the JSON API, the pages, authentication, errors; thin translations to and from `app`.

pub mod auth;
pub mod availability;
pub mod cases;
pub mod clock;
pub mod documents;
pub mod error;
pub mod extract;
pub mod figures;
pub mod hearings;
pub mod jobs;
pub mod limit;
pub mod openapi_errors;
pub mod pages;
pub mod parties;
pub mod serve;
pub mod services;
pub mod state;

pub use state::AppState;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderName, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router, middleware};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use utoipa::OpenApi;

use error::ApiError;

#[derive(OpenApi)]
#[openapi(
    info(title = "greenlane API", description = "劳动人事争议仲裁委员会：立案、分流、受理。Errors use one envelope: {\"error\": {\"code\", \"message\", \"fields\"}}."),
    paths(documents::award, documents::mediation, documents::award_preview, documents::mediation_preview, documents::of_case, documents::download, documents::bundle, documents::access_log, documents::print_hearing_notice, documents::text, documents::correct,
        figures::stats, figures::stats_csv, figures::cases_csv, cases::withdraw, cases::court_outcome,
        auth::login, auth::logout, cases::register, cases::get, cases::list, cases::accept, cases::reject, cases::override_track,
        clock::record, clock::award_served, clock::deadlines, clock::load_calendar, clock::calendar_year,
        hearings::add_arbitrator, hearings::edit_arbitrator, hearings::add_room, hearings::edit_room, hearings::add_leave, hearings::add_recusal, hearings::run, hearings::save_draft, hearings::docket,
        hearings::suggestions, hearings::place, hearings::replan, hearings::request_postponement, hearings::decide_postponement,
        hearings::notice_served, hearings::held, hearings::arbitrator_feed, hearings::room_feed, hearings::rotate_arbitrator_feed,
        hearings::rotate_room_feed, jobs::list, healthz,
        services::of_case, services::unserved, services::sent, services::delivered, services::failed, services::reserve,
        services::addresses_of_case, services::confirm_address, services::receipts, services::receipt_pdf, services::address_pdf, services::notifications, services::messages, services::upload_scan, services::scan, parties::login, parties::defence, parties::upload_evidence, parties::evidence_list, parties::review_evidence, parties::evidence_file, parties::answers, parties::file_request, parties::pending_requests, parties::decide_request,
        availability::set_weekly, availability::get, availability::add_busy, availability::delete_busy, availability::busy_calendar),
    components(schemas(error::ErrorEnvelope, crate::law::FieldError)),
    modifiers(&BearerAuth, &FigureDefinitions, &ErrorStatuses)
)]
pub struct ApiDoc;

use figures::Definitions as FigureDefinitions;
use openapi_errors::ErrorStatuses;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
    }
}

/// The whole service: API, pages, static files, with request ids, tracing and the body limit.
pub fn router(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let public_register = Router::new()
        .route("/api/v1/cases", post(cases::register))
        .route("/apply", post(pages::apply_submit))
        .route_layer(middleware::from_fn_with_state(state.clone(), limit::rate_limit));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/openapi.json", get(openapi))
        .route("/api/v1/login", post(auth::login))
        .route("/api/v1/logout", post(auth::logout))
        .route("/api/v1/cases", get(cases::list))
        .route("/api/v1/cases.csv", get(figures::cases_csv))
        .route("/api/v1/stats", get(figures::stats))
        .route("/api/v1/stats.csv", get(figures::stats_csv))
        .route("/api/v1/cases/{id}/withdraw", post(cases::withdraw))
        .route("/api/v1/cases/{id}/court-outcome", axum::routing::put(cases::court_outcome))
        .route("/api/v1/cases/{id}", get(cases::get))
        .route("/api/v1/cases/{id}/accept", post(cases::accept))
        .route("/api/v1/cases/{id}/reject", post(cases::reject))
        .route("/api/v1/cases/{id}/track", post(cases::override_track))
        .route("/api/v1/cases/{id}/clock/award-served", post(clock::award_served))
        .route("/api/v1/cases/{id}/clock/{action}", post(clock::record))
        .route("/api/v1/deadlines", get(clock::deadlines))
        .route("/api/v1/calendar", axum::routing::put(clock::load_calendar))
        .route("/api/v1/calendar/{year}", get(clock::calendar_year))
        .route("/api/v1/arbitrators", post(hearings::add_arbitrator))
        .route("/api/v1/arbitrators/{id}", axum::routing::put(hearings::edit_arbitrator))
        .route("/api/v1/arbitrators/{id}/leave", post(hearings::add_leave))
        .route("/api/v1/arbitrators/{id}/availability", get(availability::get).put(availability::set_weekly))
        .route("/api/v1/arbitrators/{id}/busy", post(availability::add_busy))
        .route("/api/v1/arbitrators/{id}/busy/{busy_id}", axum::routing::delete(availability::delete_busy))
        .route(
            "/api/v1/arbitrators/{id}/busy-calendar",
            axum::routing::put(availability::busy_calendar)
                .layer(DefaultBodyLimit::max(crate::app::availability::MAX_CALENDAR_BYTES + 1024)),
        )
        .route("/api/v1/arbitrators/{id}/recusals", post(hearings::add_recusal))
        .route("/api/v1/arbitrators/{id}/docket", get(hearings::docket))
        .route("/api/v1/rooms", post(hearings::add_room))
        .route("/api/v1/rooms/{id}", axum::routing::put(hearings::edit_room))
        .route("/api/v1/arbitrators/{id}/calendar.ics", get(hearings::arbitrator_feed))
        .route("/api/v1/arbitrators/{id}/calendar-token", post(hearings::rotate_arbitrator_feed))
        .route("/api/v1/rooms/{id}/calendar.ics", get(hearings::room_feed))
        .route("/api/v1/rooms/{id}/calendar-token", post(hearings::rotate_room_feed))
        .route("/api/v1/schedule", post(hearings::run))
        .route("/api/v1/schedule/drafts/{id}", post(hearings::save_draft))
        .route("/api/v1/cases/{id}/suggestions", get(hearings::suggestions))
        .route("/api/v1/cases/{id}/hearing", axum::routing::put(hearings::place))
        .route("/api/v1/hearings/replan", post(hearings::replan))
        .route("/api/v1/hearings/{id}/postponements", post(hearings::request_postponement))
        .route("/api/v1/hearings/{id}/notice", post(hearings::notice_served))
        .route("/api/v1/hearings/{id}/held", post(hearings::held))
        .route("/api/v1/cases/{id}/award", post(documents::award))
        .route("/api/v1/cases/{id}/award/preview", post(documents::award_preview))
        .route("/api/v1/cases/{id}/mediation/preview", post(documents::mediation_preview))
        .route("/api/v1/cases/{id}/mediation", post(documents::mediation))
        .route("/api/v1/cases/{id}/documents", get(documents::of_case))
        .route("/api/v1/cases/{id}/bundle", get(documents::bundle))
        .route("/api/v1/documents/{id}", get(documents::download))
        .route("/api/v1/documents/{id}/text", get(documents::text))
        .route("/api/v1/documents/{id}/corrections", post(documents::correct))
        .route("/api/v1/access-log", get(documents::access_log))
        .route("/api/v1/jobs", get(jobs::list))
        .route("/api/v1/hearings/{id}/notice-documents", post(documents::print_hearing_notice))
        .route("/api/v1/postponements/{id}/decision", post(hearings::decide_postponement))
        .route("/api/v1/cases/{id}/services", get(services::of_case))
        .route("/api/v1/services/unserved", get(services::unserved))
        .route("/api/v1/services/{id}/sent", post(services::sent))
        .route("/api/v1/services/{id}/delivered", post(services::delivered))
        .route("/api/v1/services/{id}/failed", post(services::failed))
        .route("/api/v1/services/{id}/reserve", post(services::reserve))
        .route("/api/v1/cases/{id}/service-addresses", get(services::addresses_of_case))
        .route("/api/v1/cases/{id}/parties/{role}/{index}/service-address", axum::routing::put(services::confirm_address))
        .route("/api/v1/sms/receipts", post(services::receipts))
        .route("/api/v1/services/{id}/receipt.pdf", get(services::receipt_pdf))
        .route("/api/v1/party/login", post(parties::login))
        .route("/api/v1/cases/{id}/defence", post(parties::defence))
        .route("/api/v1/cases/{id}/party-answers", axum::routing::put(parties::answers))
        .route("/api/v1/cases/{id}/requests", post(parties::file_request))
        .route("/api/v1/party-requests", get(parties::pending_requests))
        .route("/api/v1/party-requests/{id}/decision", post(parties::decide_request))
        .route("/api/v1/evidence/{id}/review", post(parties::review_evidence))
        .route("/api/v1/evidence/{id}", get(parties::evidence_file))
        .route(
            "/api/v1/cases/{id}/evidence",
            get(parties::evidence_list)
                .post(parties::upload_evidence)
                .layer(DefaultBodyLimit::max(state.app.config.evidence_max_mb * 1024 * 1024 + 64 * 1024)),
        )
        .route(
            "/api/v1/services/{id}/scan",
            get(services::scan).put(services::upload_scan).layer(DefaultBodyLimit::max(crate::app::service_scans::MAX_BYTES + 1024)),
        )
        .route("/api/v1/cases/{id}/parties/{role}/{index}/notifications", axum::routing::put(services::notifications))
        .route("/api/v1/cases/{id}/messages", get(services::messages))
        .route("/notifications/opt-out/{token}", get(pages::opt_out_form).post(pages::opt_out_submit))
        .route("/api/v1/cases/{id}/parties/{role}/{index}/service-address.pdf", get(services::address_pdf))
        .merge(public_register)
        .route("/", get(pages::home))
        .route("/apply", get(pages::apply_form))
        .route("/apply/registered", get(pages::registered))
        .route("/status", get(pages::party_sign_in_form).post(pages::party_sign_in))
        .route("/status/case", get(pages::party_case))
        .route("/status/defence", post(pages::party_defence))
        .route("/status/answers", post(pages::party_answers))
        .route("/status/requests", post(pages::party_request))
        .route(
            "/status/evidence",
            post(pages::party_upload).layer(DefaultBodyLimit::max(state.app.config.evidence_max_mb * 1024 * 1024 + 64 * 1024)),
        )
        .route("/status/evidence/{id}", get(pages::party_evidence_file))
        .route("/status/documents/{id}", get(pages::party_document))
        .route("/status/sign-out", post(pages::party_sign_out))
        .route("/login", get(pages::login_form).post(pages::login_submit))
        .route("/logout", post(pages::logout_submit))
        .route("/staff", get(pages::inbox))
        .route("/staff/deadlines", get(pages::deadline_board))
        .route("/staff/requests", get(pages::requests_page))
        .route("/staff/arbitrators/{id}/weekly", post(pages::calendar_weekly))
        .route("/staff/arbitrators/{id}/busy", post(pages::calendar_busy))
        .route("/staff/arbitrators/{id}/busy/{busy_id}/delete", post(pages::calendar_delete))
        .route(
            "/staff/arbitrators/{id}/calendar",
            post(pages::calendar_import).layer(DefaultBodyLimit::max(crate::app::availability::MAX_CALENDAR_BYTES + 64 * 1024)),
        )
        .route("/staff/evidence/{id}", get(pages::staff_evidence_file))
        .route("/staff/evidence/{id}/review", post(pages::evidence_review))
        .route("/staff/requests/{id}", post(pages::request_decide))
        .route("/staff/postponements/{id}", post(pages::postponement_submit))
        .route("/staff/cases/{id}", get(pages::staff_case))
        .route("/staff/cases/{id}/hearing", get(pages::hearing_form))
        .route("/staff/cases/{id}/award", get(pages::award_form).post(pages::award_submit))
        .route("/staff/cases/{id}/award/preview", post(pages::award_preview))
        .route("/staff/cases/{id}/mediation", get(pages::mediation_form).post(pages::mediation_submit))
        .route("/staff/cases/{id}/mediation/preview", post(pages::mediation_preview))
        .route("/staff/cases/{id}/bundle", get(pages::bundle_download))
        .route("/staff/documents/{id}", get(pages::document_download))
        .route("/staff/liaison", get(pages::liaison_page))
        .route("/staff/access-log", get(pages::access_log_page))
        .route("/staff/admin", get(pages::admin_page))
        .route("/staff/admin/seal", post(pages::seal_submit))
        .route("/staff/admin/seal.png", get(pages::seal_image))
        .route("/staff/admin/{action}", post(pages::admin_submit))
        .route("/staff/stats", get(pages::figures_page))
        .route("/staff/stats.csv", get(pages::figures_csv))
        .route("/staff/cases.csv", get(pages::cases_csv))
        .route("/staff/cases/{id}/hearing/{action}", post(pages::hearing_submit))
        .route("/staff/cases/{id}/{action}", post(pages::staff_decide))
        .route("/staff/schedule", get(pages::schedule_form).post(pages::schedule_submit))
        .route("/staff/schedule/notices", post(pages::schedule_notices))
        .route("/staff/schedule/save", post(pages::schedule_save))
        .route("/staff/services", get(pages::services_page))
        .route("/staff/services/labels", get(pages::labels_page))
        .route("/staff/services/batch", post(pages::batch_submit))
        .route("/staff/services/{id}/{action}", post(pages::service_submit))
        .route("/staff/services/{id}/receipt.pdf", get(pages::receipt_download))
        .route(
            "/staff/services/{id}/scan",
            get(pages::scan_download)
                .post(pages::scan_submit)
                .layer(DefaultBodyLimit::max(crate::app::service_scans::MAX_BYTES + 64 * 1024)),
        )
        .route("/staff/cases/{id}/parties/{role}/{index}/service-address.pdf", get(pages::address_download))
        .route("/staff/docket", get(pages::docket_page))
        .route("/staff/docket/feed", post(pages::docket_feed))
        .route("/staff/tribunal", get(pages::tribunal_form))
        .route("/staff/tribunal/{action}", post(pages::tribunal_submit))
        .route("/static/app.css", get(stylesheet))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(state.app.config.body_limit_bytes))
        .layer(middleware::from_fn_with_state(state.clone(), secure_cookies))
        .layer(middleware::from_fn_with_state(state.clone(), calendar_in_force))
        // A body sent slower than this is cut off: a slow client cannot hold a request open.
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(state.app.config.network.body_read_timeout))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(ApiError::from_panic))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str()).unwrap_or("-");
                    tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path(), route = %route)
                })
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

/// Every request sees the calendar in force in the database: a load through another instance or
/// the command line is taken up before the request is answered (one small read).
async fn calendar_in_force(State(state): State<AppState>, req: Request, next: middleware::Next) -> Response {
    if req.uri().path().starts_with("/static/") || req.uri().path() == "/healthz" {
        return next.run(req).await;
    }
    if let Err(e) = crate::app::calendar::in_force(&state.app).await {
        return ApiError::from(e).into_response();
    }
    next.run(req).await
}

/// Marks every cookie `Secure` when the public address is https, so a browser never sends the
/// session or CSRF token over plain HTTP.
async fn secure_cookies(State(state): State<AppState>, req: Request, next: middleware::Next) -> Response {
    let mut res = next.run(req).await;
    if state.app.config.secure_cookies {
        let set: Vec<_> = res.headers().get_all(axum::http::header::SET_COOKIE).iter().cloned().collect();
        res.headers_mut().remove(axum::http::header::SET_COOKIE);
        for v in set {
            let text = v.to_str().unwrap_or_default();
            let secured = if text.to_ascii_lowercase().contains("; secure") { text.to_string() } else { format!("{text}; Secure") };
            if let Ok(v) = axum::http::HeaderValue::from_str(&secured) {
                res.headers_mut().append(axum::http::header::SET_COOKIE, v);
            }
        }
    }
    res
}

/// Liveness and database reachability.
#[utoipa::path(get, path = "/healthz", tag = "service", responses((status = 200, description = "up"), (status = 503, description = "database unreachable")))]
async fn healthz(State(state): State<AppState>) -> Response {
    if state.app.db.ping().await {
        Json(serde_json::json!({"status": "ok"})).into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({"status": "database unreachable"}))).into_response()
    }
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../static/app.css"),
    )
        .into_response()
}

/// Unknown addresses: the error envelope under `/api/`, a page elsewhere (people follow links).
async fn not_found(State(state): State<AppState>, uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") { ApiError::not_found().into_response() } else { pages::page_not_found(&state).into_response() }
}
