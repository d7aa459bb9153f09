//! The clerk's list of the parties' requests waiting for a decision (postponement, recusal,
//! withdrawal), each decided from the list with its reason.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::{PageStaff, check_csrf, csrf, form_error, page_error, render};
use crate::app::accounts::Staff;
use crate::app::party_requests::{self, DecisionInput, RequestView};
use crate::http::AppState;

#[derive(Template)]
#[template(path = "requests.html")]
struct RequestsPage<'a> {
    commission: &'a str,
    csrf: String,
    requests: Vec<RequestView>,
    postponements: Vec<crate::app::replan::PostponementView>,
    labels: Vec<crate::store::cases::CaseLabelRow>,
    notice: &'static str,
    error: String,
}

impl RequestsPage<'_> {
    fn local(text: &str) -> String {
        crate::time::local_text(text)
    }

    /// A case as the clerk knows it: 案号 (or its id) and parties.
    fn case(&self, id: &str) -> String {
        match self.labels.iter().find(|l| l.id == id) {
            Some(l) => format!("{} {} 诉 {}", l.case_no.clone().unwrap_or_else(|| l.id.clone()), l.applicant, l.respondent),
            None => id.to_string(),
        }
    }

    /// A day as pages write it: 2026年12月2日.
    fn day(text: &str) -> String {
        crate::documents::kinds::chinese_date_text(text)
    }

    fn side(role: &str) -> &'static str {
        if role == "respondent" { "被申请人" } else { "申请人" }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

async fn page(state: &AppState, jar: CookieJar, staff: &Staff, notice: &'static str, error: String, status: StatusCode) -> Response {
    let requests = match party_requests::pending(&state.app, staff).await {
        Ok(r) => r,
        Err(e) => return page_error(state, e).into_response(),
    };
    let postponements = match crate::app::replan::pending_postponements(&state.app, staff).await {
        Ok(p) => p,
        Err(e) => return page_error(state, e).into_response(),
    };
    let ids: Vec<String> = postponements.iter().map(|p| p.case_id.clone()).collect();
    let labels = match crate::app::cases::labels(&state.app, staff, &ids, "延期开庭申请").await {
        Ok(l) => l,
        Err(e) => return page_error(state, e).into_response(),
    };
    let (jar, token) = csrf(jar);
    let page = RequestsPage { commission: &state.app.config.commission_name, csrf: token, requests, postponements, labels, notice, error };
    let mut res = render(page);
    *res.status_mut() = status;
    (jar, res).into_response()
}

/// `GET /staff/requests`.
pub async fn requests_page(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Query(q): Query<DoneQuery>,
) -> Response {
    let notice = match q.done.as_str() {
        "decided" => "已作出决定。",
        "postponed" => "延期申请已决定；准许的，开庭已重新安排并发出新的开庭通知。",
        _ => "",
    };
    page(&state, jar, &staff, notice, String::new(), StatusCode::OK).await
}

/// A decision as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    csrf: String,
    granted: String,
    note: String,
}

impl DecisionForm {
    /// 准许 (`yes`), 不准许 (`no`), or nothing chosen.
    fn granted(&self) -> Option<bool> {
        match self.granted.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        }
    }
}

/// Back to the list after a decision (post/redirect/get), or the list with the refusal.
async fn after<T>(state: &AppState, jar: CookieJar, staff: &Staff, done: Result<T, crate::app::AppError>, to: &str) -> Response {
    match done {
        Ok(_) => Redirect::to(to).into_response(),
        Err(e) => match form_error(e) {
            Ok((status, message)) => page(state, jar, staff, "", message, status).await,
            Err(e) => page_error(state, e).into_response(),
        },
    }
}

/// `POST /staff/requests/{id}`: grants or refuses one request.
pub async fn decide_submit(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Path(id): Path<String>,
    Form(f): Form<DecisionForm>,
) -> Response {
    if let Err(e) = check_csrf(&state, &jar, &f.csrf) {
        return e.into_response();
    }
    let Ok(id) = id.parse::<i64>() else { return page_error(&state, crate::app::AppError::NotFound("申请不存在")).into_response() };
    let input = DecisionInput { granted: f.granted(), note: Some(f.note.clone()) };
    let done = party_requests::decide(&state.app, &staff, id, &input).await;
    after(&state, jar, &staff, done, "/staff/requests?done=decided").await
}

/// `POST /staff/postponements/{id}`: grants (re-planning the hearing after its old day) or refuses one.
pub async fn postponement_submit(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Path(id): Path<String>,
    Form(f): Form<DecisionForm>,
) -> Response {
    if let Err(e) = check_csrf(&state, &jar, &f.csrf) {
        return e.into_response();
    }
    let Ok(id) = id.parse::<i64>() else {
        return page_error(&state, crate::app::AppError::NotFound("延期申请不存在")).into_response();
    };
    let input = crate::app::replan::PostponementDecision { granted: f.granted(), note: Some(f.note.clone()), short_notice: None };
    let done = crate::app::replan::decide_postponement(&state.app, &staff, id, &input).await;
    after(&state, jar, &staff, done, "/staff/requests?done=postponed").await
}
