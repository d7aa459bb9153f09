//! Server-rendered pages: the applicant's registration form, confirmation and status page; the
//! staff login, the clerk's inbox, case page and deadline board. Forms carry a CSRF token
//! (double-submit cookie). Shared here: error pages, rendering, CSRF and the staff session.

mod admin;
mod apply;
mod board;
mod calendar;
mod case;
mod documents;
mod figures;
mod hearings;
mod nav;
mod notifications;
mod party;
mod requests;
mod services;
mod staff;

pub use admin::{admin_page, admin_submit, seal_image, seal_submit};
pub use apply::{apply_form, apply_submit, registered};
pub use board::deadline_board;
pub use calendar::{busy as calendar_busy, calendar as calendar_import, delete as calendar_delete, weekly as calendar_weekly};
pub use case::{evidence_file as staff_evidence_file, evidence_review, staff_case, staff_decide};
pub use documents::{
    access_log_page, address_download, award_form, award_preview, award_submit, bundle_download, document_download, liaison_page,
    mediation_form, mediation_preview, mediation_submit, receipt_download,
};
pub use figures::{cases_csv, figures_csv, figures_page};
pub use hearings::{
    docket_feed, docket_page, hearing_form, hearing_submit, schedule_form, schedule_notices, schedule_save, schedule_submit, tribunal_form,
    tribunal_submit,
};
pub use nav::all_links as nav_links;
pub use notifications::{opt_out_form, opt_out_submit};
pub use party::{
    answers as party_answers, case as party_case, defence as party_defence, document as party_document,
    evidence_file as party_evidence_file, request as party_request, sign_in as party_sign_in, sign_in_form as party_sign_in_form,
    sign_out as party_sign_out, upload as party_upload,
};
pub use requests::{decide_submit as request_decide, postponement_submit, requests_page};
pub use services::{batch_submit, labels_page, scan_download, scan_submit, service_submit, services_page};
pub use staff::{inbox, login_form, login_submit, logout_submit};

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};

use super::AppState;
use crate::app::AppError;
use crate::app::accounts::{Staff, TokenKind, authenticate};
use crate::app::secrets::new_token;
use crate::law::case::Status;

const CSRF_COOKIE: &str = "gl_csrf";
const SESSION_COOKIE: &str = "gl_session";

/// An error shown as a page.
pub struct PageError {
    status: StatusCode,
    heading: &'static str,
    message: String,
    back: &'static str,
    commission: String,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    commission: &'a str,
    heading: &'a str,
    message: &'a str,
    back: &'a str,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let page = ErrorPage { commission: &self.commission, heading: self.heading, message: &self.message, back: self.back };
        match page.render() {
            Ok(html) => (self.status, Html(html)).into_response(),
            Err(_) => (self.status, self.message).into_response(),
        }
    }
}

pub(super) fn page_error(state: &AppState, e: AppError) -> PageError {
    let commission = state.app.config.commission_name.clone();
    let (status, heading, message) = match e {
        AppError::NotFound(m) => (StatusCode::NOT_FOUND, "找不到该案件", m.to_string()),
        AppError::Forbidden => (StatusCode::FORBIDDEN, "没有权限", "您的账号没有权限打开此页面。".to_string()),
        AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, "请先登录", "登录已过期，请重新登录。".to_string()),
        AppError::Conflict(m) => (StatusCode::CONFLICT, "无法办理", m),
        AppError::TooMany(secs) => (StatusCode::TOO_MANY_REQUESTS, "尝试次数过多", format!("为保护账号和案件信息，请{secs}秒后再试。")),
        AppError::Validation(f) => {
            (StatusCode::UNPROCESSABLE_ENTITY, "填写有误", f.into_iter().map(|e| e.message).collect::<Vec<_>>().join("；"))
        }
        AppError::Unavailable(why) => {
            tracing::warn!(error = %why, "database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "系统暂时无法使用",
                "数据库暂时无法连接，请过几秒钟刷新本页；已填写的内容请先保留。".to_string(),
            )
        }
        AppError::Internal(err) => {
            tracing::error!(error = ?err, "internal error on a page");
            (StatusCode::INTERNAL_SERVER_ERROR, "系统暂时出错", "请稍后再试；如持续出现请联系仲裁委员会。".to_string())
        }
    };
    PageError { status, heading, message, back: "/", commission }
}

/// An address that names no page: a page saying so, with a way back to the start.
pub fn page_not_found(state: &AppState) -> PageError {
    PageError {
        status: StatusCode::NOT_FOUND,
        heading: "找不到该页面",
        message: "网址有误，或该页面已不存在。请从首页重新进入。".to_string(),
        back: "/",
        commission: state.app.config.commission_name.clone(),
    }
}

/// What a form shows above itself for a refusal it can explain (a conflict or broken rules); any
/// other error is for the error page.
pub(super) fn form_error(e: AppError) -> Result<(StatusCode, String), AppError> {
    match e {
        AppError::Conflict(m) => Ok((StatusCode::CONFLICT, m)),
        AppError::Validation(f) => Ok((StatusCode::UNPROCESSABLE_ENTITY, f.into_iter().map(|x| x.message).collect::<Vec<_>>().join("；"))),
        other => Err(other),
    }
}

pub(super) fn render(t: impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "页面生成失败").into_response()
        }
    }
}

/// The CSRF token of this browser, creating the cookie if needed.
pub(super) fn csrf(jar: CookieJar) -> (CookieJar, String) {
    if let Some(c) = jar.get(CSRF_COOKIE) {
        let v = c.value().to_string();
        return (jar, v);
    }
    let token = new_token();
    let cookie = Cookie::build((CSRF_COOKIE, token.clone())).http_only(true).same_site(SameSite::Strict).path("/");
    (jar.add(cookie), token)
}

/// Replaces the CSRF cookie with a fresh token (at sign-in).
pub(super) fn rotate_csrf(jar: CookieJar) -> CookieJar {
    let cookie = Cookie::build((CSRF_COOKIE, new_token())).http_only(true).same_site(SameSite::Strict).path("/");
    jar.add(cookie)
}

/// Refuses a form whose token does not match the cookie (a forged cross-site post, or an old page).
pub(super) fn check_csrf(state: &AppState, jar: &CookieJar, sent: &str) -> Result<(), PageError> {
    match jar.get(CSRF_COOKIE) {
        Some(c) if !sent.is_empty() && c.value() == sent => Ok(()),
        _ => Err(PageError {
            status: StatusCode::FORBIDDEN,
            heading: "页面已过期",
            message: "为保护您的信息，请返回上一页刷新后重新提交。".into(),
            back: "/",
            commission: state.app.config.commission_name.clone(),
        }),
    }
}

pub(super) fn no_store(mut res: Response) -> Response {
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    commission: &'a str,
    address: &'a str,
    phone: &'a str,
    hours: &'a str,
}

pub async fn home(State(state): State<AppState>) -> Response {
    let c = &state.app.config;
    let contact = match crate::app::settings::contact(&state.app).await {
        Ok(contact) => contact,
        Err(e) => return page_error(&state, e).into_response(),
    };
    render(HomePage { commission: &c.commission_name, address: &contact.address, phone: &contact.phone, hours: &c.commission_hours })
}

/// The status in the commission's words.
pub fn status_label(status: Status) -> &'static str {
    status.label()
}

/// The signed-in member of staff, or a redirect to the login page.
pub(super) async fn session(state: &AppState, jar: &CookieJar) -> Result<Staff, Response> {
    let Some(c) = jar.get(SESSION_COOKIE) else {
        return Err(Redirect::to("/login").into_response());
    };
    match authenticate(&state.app, c.value(), TokenKind::Session).await {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(Redirect::to("/login").into_response()),
        Err(e) => Err(page_error(state, e).into_response()),
    }
}

/// The member of staff signed in to the pages: a request without a valid session is sent to the
/// sign-in page (an unreachable database gets the error page) before the handler runs.
pub struct PageStaff(pub Staff);

impl axum::extract::FromRequestParts<AppState> for PageStaff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        session(state, &jar).await.map(PageStaff)
    }
}
