//! The clerk's 未送达 desk: every service not yet delivered with its next step, the day's post
//! labels to print, and a batch of posted letters recorded at once.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::{check_csrf, csrf, form_error, no_store, page_error, render};
use crate::app::AppError;
use crate::app::services::{self, DeliveredInput, FailedInput, ReserveInput, SentInput, ServiceView};
use crate::http::AppState;
use crate::http::pages::PageStaff;
use crate::law::service::{Channel, ServiceStatus};

#[derive(Template)]
#[template(path = "services.html")]
struct DeskPage<'a> {
    commission: &'a str,
    user: String,
    csrf: String,
    today: chrono::NaiveDate,
    items: Vec<ServiceView>,
    notice: String,
    error: String,
    channels: Vec<(&'static str, &'static str)>,
}

impl DeskPage<'_> {
    fn days(&self, s: &ServiceView) -> i64 {
        s.issued_on.parse::<chrono::NaiveDate>().map(|d| (self.today - d).num_days()).unwrap_or(0)
    }

    /// What the clerk does next with this service.
    fn next_step(&self, s: &ServiceView) -> String {
        match (s.status, s.channel) {
            (ServiceStatus::Failed, _) => "改用其他方式重新送达；下落不明或均已失败的，可公告送达".into(),
            (ServiceStatus::Pending, Channel::Email | Channel::Sms) if s.attempts > 0 => {
                format!("发送失败{}次，系统正在重试：{}", s.attempts, s.last_error.clone().unwrap_or_default())
            }
            (ServiceStatus::Pending, Channel::Email | Channel::Sms) => "排队发送中".into(),
            (ServiceStatus::Pending, Channel::Post) => "打印邮寄标签寄出，登记邮件号".into(),
            (ServiceStatus::Pending, _) => "送达后登记签收日期和送达回证".into(),
            (ServiceStatus::Sent, Channel::Post) => "等待回执，登记签收日期；退回的登记失败".into(),
            (ServiceStatus::Sent, Channel::Platform) => "等待当事人在平台查看；久未查看的可改为邮寄".into(),
            (ServiceStatus::Sent, _) => "等待送达回执".into(),
            _ => String::new(),
        }
    }

    fn post_pending(&self) -> usize {
        self.items.iter().filter(|s| s.channel == Channel::Post && s.status == ServiceStatus::Pending).count()
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

fn channels() -> Vec<(&'static str, &'static str)> {
    Channel::ALL.iter().map(|c| (c.code(), c.label())).collect()
}

async fn desk(
    state: &AppState,
    jar: CookieJar,
    staff: &crate::app::accounts::Staff,
    notice: String,
    error: String,
    status: StatusCode,
) -> Response {
    let items = match services::unserved(&state.app, staff).await {
        Ok(items) => items,
        Err(e) => return page_error(state, e).into_response(),
    };
    let (jar, token) = csrf(jar);
    let page = DeskPage {
        commission: &state.app.config.commission_name,
        user: staff.username.clone(),
        csrf: token,
        today: state.app.time.today(),
        items,
        notice,
        error,
        channels: channels(),
    };
    (status, jar, no_store(render(page))).into_response()
}

/// `GET /staff/services`: the unserved queue.
pub async fn services_page(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Query(q): Query<DoneQuery>,
) -> Response {
    let notice = match q.done.as_str() {
        "sent" => "已登记寄出。",
        "delivered" => "已登记送达，期限已按送达日期更新。",
        "failed" => "已登记送达失败，请选择其他方式重新送达。",
        "reserve" => "已改用新的方式重新送达。",
        "batch" => "已登记这批邮件寄出。",
        _ => "",
    };
    desk(&state, jar, &staff, notice.into(), String::new(), StatusCode::OK).await
}

#[derive(Template)]
#[template(path = "labels.html")]
struct LabelsPage<'a> {
    commission: &'a str,
    csrf: String,
    today: chrono::NaiveDate,
    items: Vec<ServiceView>,
}

/// `GET /staff/services/labels`: the address labels of every letter waiting to be posted, printable,
/// with a form to record the batch as posted.
pub async fn labels_page(State(state): State<AppState>, PageStaff(staff): PageStaff, jar: CookieJar) -> Response {
    let items = match services::unserved(&state.app, &staff).await {
        Ok(items) => items.into_iter().filter(|s| s.channel == Channel::Post && s.status == ServiceStatus::Pending).collect(),
        Err(e) => return page_error(&state, e).into_response(),
    };
    let (jar, token) = csrf(jar);
    let page = LabelsPage { commission: &state.app.config.commission_name, csrf: token, today: state.app.time.today(), items };
    (jar, no_store(render(page))).into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ServiceForm {
    csrf: String,
    on: String,
    ems_number: String,
    evidence: String,
    reason: String,
    channel: String,
}

fn some(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// `POST /staff/services/{id}/{action}`: sent, delivered, failed or reserve.
pub async fn service_submit(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Path((id, action)): Path<(i64, String)>,
    Form(f): Form<ServiceForm>,
) -> Response {
    if let Err(e) = check_csrf(&state, &jar, &f.csrf) {
        return e.into_response();
    }
    let app = &state.app;
    let result = match action.as_str() {
        "sent" => services::record_sent(app, &staff, id, &SentInput { on: some(&f.on), ems_number: some(&f.ems_number) }).await,
        "delivered" => services::record_delivered(app, &staff, id, &DeliveredInput { on: some(&f.on), evidence: some(&f.evidence) }).await,
        "failed" => services::record_failed(app, &staff, id, &FailedInput { reason: some(&f.reason) }).await,
        "reserve" => services::reserve(app, &staff, id, &ReserveInput { channel: some(&f.channel), on: some(&f.on) }).await,
        _ => Err(AppError::NotFound("没有这个操作")),
    };
    match result {
        Ok(_) => Redirect::to(&format!("/staff/services?done={action}")).into_response(),
        Err(e) => match form_error(e) {
            Ok((status, message)) => desk(&state, jar, &staff, String::new(), message, status).await,
            Err(e) => page_error(&state, e).into_response(),
        },
    }
}

/// `POST /staff/services/batch`: the letters of the labels page posted, each with its EMS number.
pub async fn batch_submit(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let token = pairs.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str()).unwrap_or("");
    if let Err(e) = check_csrf(&state, &jar, token) {
        return e.into_response();
    }
    let mut errors = Vec::new();
    for (k, v) in &pairs {
        let Some(id) = k.strip_prefix("ems_").and_then(|i| i.parse::<i64>().ok()) else { continue };
        if v.trim().is_empty() {
            continue;
        }
        let input = SentInput { on: None, ems_number: some(v) };
        if let Err(e) = services::record_sent(&state.app, &staff, id, &input).await {
            match form_error(e) {
                Ok((_, m)) => errors.push(format!("第{id}号送达：{m}")),
                Err(e) => return page_error(&state, e).into_response(),
            }
        }
    }
    if errors.is_empty() {
        Redirect::to("/staff/services?done=batch").into_response()
    } else {
        desk(&state, jar, &staff, String::new(), errors.join("；"), StatusCode::UNPROCESSABLE_ENTITY).await
    }
}

/// `POST /staff/services/{id}/scan` (multipart: `csrf`, `file`): the clerk uploads the signed proof
/// of a paper service from the case page, and returns to it.
pub async fn scan_submit(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Path(id): Path<i64>,
    mut form: Multipart,
) -> Response {
    let (mut token, mut bytes) = (String::new(), Vec::new());
    loop {
        match form.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("csrf") => token = field.text().await.unwrap_or_default(),
                Some("file") => match field.bytes().await {
                    Ok(b) => bytes = b.to_vec(),
                    Err(_) => {
                        return page_error(&state, AppError::field("file", "too_large", "扫描件不能超过 10 MB，请降低分辨率后重新扫描"))
                            .into_response();
                    }
                },
                _ => {}
            },
            Ok(None) => break,
            Err(_) => return page_error(&state, AppError::field("file", "unreadable", "上传没有完成，请重新选择文件上传")).into_response(),
        }
    }
    if let Err(e) = check_csrf(&state, &jar, &token) {
        return e.into_response();
    }
    let case_id = match crate::app::service_scans::upload(&state.app, &staff, id, &bytes).await {
        Ok(_) => services::case_of(&state.app, id).await,
        Err(e) => Err(e),
    };
    match case_id {
        Ok(case_id) => Redirect::to(&format!("/staff/cases/{case_id}?done=scan#services")).into_response(),
        Err(e) => page_error(&state, e).into_response(),
    }
}

/// `GET /staff/services/{id}/scan`: the latest scanned proof of a service.
pub async fn scan_download(State(state): State<AppState>, PageStaff(staff): PageStaff, Path(id): Path<i64>) -> Response {
    match crate::app::service_scans::download(&state.app, &staff, id).await {
        Ok((d, mime)) => crate::http::documents::file(d, mime),
        Err(e) => page_error(&state, e).into_response(),
    }
}
