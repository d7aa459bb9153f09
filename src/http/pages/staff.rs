//! Staff sign-in and sign-out, and the clerk's inbox.

use crate::http::limit::ClientAddr;
use crate::http::pages::PageStaff;
use crate::law::case::Status;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;

use super::SESSION_COOKIE;
use super::{PageError, check_csrf, csrf, page_error, render, rotate_csrf};
use crate::app::AppError;
use crate::app::accounts::{TokenKind, login, logout};
use crate::app::cases::{self, CasePage, ListQuery};
use crate::http::AppState;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    commission: &'a str,
    csrf: String,
    username: String,
    error: String,
}

pub async fn login_form(State(state): State<AppState>, jar: CookieJar) -> Response {
    let (jar, token) = csrf(jar);
    let page = LoginPage { commission: &state.app.config.commission_name, csrf: token, username: String::new(), error: String::new() };
    (jar, render(page)).into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    csrf: String,
    username: String,
    password: String,
}

/// Where each role starts its day: the clerk's inbox, the arbitrator's docket, the liaison's
/// search, the administrator's roster, the director's figures.
fn home_of(role: crate::app::accounts::Role) -> &'static str {
    use crate::app::accounts::Role;
    match role {
        Role::Clerk => "/staff",
        Role::Arbitrator => "/staff/docket",
        Role::Liaison => "/staff/liaison",
        Role::Admin => "/staff/admin",
        Role::Director => "/staff/stats",
    }
}

pub async fn login_submit(
    State(state): State<AppState>,
    ClientAddr(from): ClientAddr,
    jar: CookieJar,
    Form(f): Form<LoginForm>,
) -> Result<Response, PageError> {
    check_csrf(&state, &jar, &f.csrf)?;
    match login(&state.app, from, &f.username, &f.password, TokenKind::Session).await {
        Ok((token, staff)) => {
            let cookie = Cookie::build((SESSION_COOKIE, token)).http_only(true).same_site(SameSite::Lax).path("/");
            // A new CSRF token with the new session: one read before sign-in is worth nothing after it.
            Ok((rotate_csrf(jar.add(cookie)), Redirect::to(home_of(staff.role))).into_response())
        }
        Err(AppError::Unauthenticated) => {
            let page = LoginPage {
                commission: &state.app.config.commission_name,
                csrf: f.csrf,
                username: f.username,
                error: "用户名或密码不正确".into(),
            };
            let mut res = render(page);
            *res.status_mut() = StatusCode::UNAUTHORIZED;
            Ok(res)
        }
        Err(e) => Err(page_error(&state, e)),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CsrfOnly {
    pub(super) csrf: String,
}

pub async fn logout_submit(State(state): State<AppState>, jar: CookieJar, Form(f): Form<CsrfOnly>) -> Result<Response, PageError> {
    check_csrf(&state, &jar, &f.csrf)?;
    if let Some(c) = jar.get(SESSION_COOKIE) {
        logout(&state.app, c.value()).await.map_err(|e| page_error(&state, e))?;
    }
    Ok((jar.remove(Cookie::build(SESSION_COOKIE).path("/")), Redirect::to("/login")).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InboxQuery {
    status: String,
    q: String,
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage<'a> {
    commission: &'a str,
    csrf: String,
    heading: &'static str,
    user: String,
    role_label: &'static str,
    status: String,
    q: String,
    page: CasePage,
    nav: Vec<super::nav::NavLink>,
}

impl InboxPage<'_> {
    /// How the working days left to decide read, and whether they call for attention.
    fn left_text(&self, left: &i64) -> (bool, String) {
        match *left {
            n if n < 0 => (true, format!("已超期{}个工作日", -n)),
            0 => (true, "今天到期".into()),
            n => (false, format!("还剩{n}个工作日")),
        }
    }
}

pub async fn inbox(State(state): State<AppState>, PageStaff(staff): PageStaff, jar: CookieJar, Query(q): Query<InboxQuery>) -> Response {
    let status = if q.status.is_empty() && q.q.is_empty() { Status::Filed.code().to_string() } else { q.status.clone() };
    let query = ListQuery { status: Some(status.clone()), q: Some(q.q.clone()), ..ListQuery::default() };
    let page = match cases::list(&state.app, &staff, &query).await {
        Ok(p) => p,
        Err(e) => return page_error(&state, e).into_response(),
    };
    let heading = match Status::parse(&status) {
        Some(Status::Filed) => "待受理案件",
        Some(Status::Accepted) => "已受理、未排期的案件",
        Some(Status::Scheduled) => "已排期的案件",
        Some(Status::Heard) => "已开庭、待结案的案件",
        Some(Status::Suspended) => "中止审理的案件",
        Some(Status::Closed) => "已结案的案件",
        Some(Status::Rejected) => "不予受理案件",
        _ => "案件",
    };
    let nav = match super::nav::of(&state.app, &staff).await {
        Ok(n) => n,
        Err(e) => return page_error(&state, e).into_response(),
    };
    let (jar, token) = csrf(jar);
    let page = InboxPage {
        commission: &state.app.config.commission_name,
        csrf: token,
        heading,
        user: staff.username.clone(),
        role_label: staff.role.label(),
        status,
        q: q.q,
        page,
        nav,
    };
    (jar, render(page)).into_response()
}
