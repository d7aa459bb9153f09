//! The forms of an arbitrator's calendar on the docket page: the weekly pattern, a busy time, and
//! a calendar imported by address or file. Each goes back to the docket (post/redirect/get), or
//! shows it again with the refusal.

use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;
use std::collections::HashMap;

use super::hearings::{DocketQuery, Said, docket_view};
use super::{PageStaff, check_csrf, form_error, page_error};
use crate::app::AppError;
use crate::app::accounts::Staff;
use crate::app::availability::{self, BusyInput, SubscribeInput, WeeklyInput};
use crate::http::AppState;
use crate::scheduling::availability::WeekdaySessions;

async fn after<T>(state: &AppState, staff: &Staff, jar: CookieJar, id: i64, done: Result<T, AppError>, what: &str) -> Response {
    match done {
        Ok(_) => Redirect::to(&format!("/staff/docket?arbitrator={id}&done={what}")).into_response(),
        Err(e) => match form_error(e) {
            Ok((status, message)) => {
                let q = DocketQuery { arbitrator: id.to_string(), from: String::new(), done: String::new() };
                docket_view(state, staff, jar, &q, Said { error: message, ..Said::default() }, status).await
            }
            Err(e) => page_error(state, e).into_response(),
        },
    }
}

fn arbitrator(state: &AppState, id: &str) -> Result<i64, Box<Response>> {
    id.parse().map_err(|_| Box::new(page_error(state, AppError::NotFound("仲裁员不存在")).into_response()))
}

/// `POST /staff/arbitrators/{id}/weekly`: the week grid (`w{1..7}s{n}` ticked).
pub async fn weekly(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Path(id): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if let Err(e) = check_csrf(&state, &jar, f.get("csrf").map(String::as_str).unwrap_or("")) {
        return e.into_response();
    }
    let id = match arbitrator(&state, &id) {
        Ok(i) => i,
        Err(r) => return *r,
    };
    let n = state.app.config.hearings.sessions.len() as u32;
    let weekly: Vec<WeekdaySessions> = (1..=7)
        .map(|w| WeekdaySessions { weekday: w, sessions: (0..n).filter(|s| f.contains_key(&format!("w{w}s{s}"))).collect() })
        .filter(|d| !d.sessions.is_empty())
        .collect();
    let input = WeeklyInput { weekly: Some(weekly), from: f.get("from").cloned() };
    let done = availability::set_weekly(&state.app, &staff, id, &input).await;
    after(&state, &staff, jar, id, done, "weekly").await
}

/// A busy time as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BusyForm {
    csrf: String,
    day: String,
    start: String,
    end: String,
    note: String,
}

/// `POST /staff/arbitrators/{id}/busy`.
pub async fn busy(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Path(id): Path<String>,
    Form(f): Form<BusyForm>,
) -> Response {
    if let Err(e) = check_csrf(&state, &jar, &f.csrf) {
        return e.into_response();
    }
    let id = match arbitrator(&state, &id) {
        Ok(i) => i,
        Err(r) => return *r,
    };
    let input = BusyInput { day: Some(f.day), start: Some(f.start), end: Some(f.end), note: Some(f.note) };
    let done = availability::add_busy(&state.app, &staff, id, &input).await;
    after(&state, &staff, jar, id, done, "busy").await
}

/// `POST /staff/arbitrators/{id}/busy/{busy_id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Path((id, busy_id)): Path<(String, String)>,
    Form(f): Form<super::staff::CsrfOnly>,
) -> Response {
    if let Err(e) = check_csrf(&state, &jar, &f.csrf) {
        return e.into_response();
    }
    let (Ok(id), Ok(busy_id)) = (id.parse::<i64>(), busy_id.parse::<i64>()) else {
        return page_error(&state, AppError::NotFound("没有这条其他安排")).into_response();
    };
    let done = availability::delete_busy(&state.app, &staff, id, busy_id).await;
    after(&state, &staff, jar, id, done, "deleted").await
}

/// `POST /staff/arbitrators/{id}/calendar`: a subscription address, or an uploaded `.ics` file.
pub async fn calendar(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Path(id): Path<String>,
    mut form: Multipart,
) -> Response {
    let id = match arbitrator(&state, &id) {
        Ok(i) => i,
        Err(r) => return *r,
    };
    let (mut csrf, mut url, mut file) = (String::new(), String::new(), Vec::new());
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or_default().to_string();
        let Ok(bytes) = field.bytes().await else {
            return after(&state, &staff, jar, id, Err::<(), _>(AppError::field("file", "too_large", "日历文件不能超过 5 MB")), "calendar")
                .await;
        };
        match name.as_str() {
            "csrf" => csrf = String::from_utf8_lossy(&bytes).into_owned(),
            "url" => url = String::from_utf8_lossy(&bytes).trim().to_string(),
            "file" => file = bytes.to_vec(),
            _ => {}
        }
    }
    if let Err(e) = check_csrf(&state, &jar, &csrf) {
        return e.into_response();
    }
    let done = if !file.is_empty() {
        match String::from_utf8(file) {
            Ok(text) => availability::upload(&state.app, &staff, id, &text).await,
            Err(_) => Err(AppError::field("file", "not_utf8", "日历文件应为 UTF-8 编码的 .ics 文件")),
        }
    } else if !url.is_empty() {
        availability::subscribe(&state.app, &staff, id, &SubscribeInput { url: Some(url) }).await
    } else {
        Err(AppError::field("url", "required", "请填写日历订阅地址，或选择要上传的 .ics 文件"))
    };
    after(&state, &staff, jar, id, done, "calendar").await
}
