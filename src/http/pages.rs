//! Server-rendered pages: the applicant's registration form, confirmation and status page; the
//! staff login, the clerk's inbox, case page and deadline board. Forms carry a CSRF token (double-submit cookie).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;
use std::collections::HashMap;

use super::AppState;
use crate::app::accounts::{Role, Staff, TokenKind, authenticate, login, logout};
use crate::app::cases::{CasePage, CaseView, ListQuery, Viewer};
use crate::app::register::Registered;
use crate::app::secrets::new_token;
use crate::app::board::{self, Board, BoardItem, Urgency};
use crate::app::clock::{self, ClockAction, ClockEventInput};
use crate::app::{AppError, cases, decide, register};
use crate::law::clock::{RestartCause, SuspensionGround};
use chrono::NaiveDate;
use crate::law::application::{ClaimKind, RawApplicant, RawApplication, RawClaim, RawConsents, RawEmployment, RawRespondent};
use crate::law::routing::Track;

const CSRF_COOKIE: &str = "gl_csrf";
const SESSION_COOKIE: &str = "gl_session";
const CLAIM_ROWS: usize = 3;

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

fn page_error(state: &AppState, e: AppError) -> PageError {
    let commission = state.app.config.commission_name.clone();
    let (status, heading, message) = match e {
        AppError::NotFound(m) => (StatusCode::NOT_FOUND, "找不到该案件", m.to_string()),
        AppError::Forbidden => (StatusCode::FORBIDDEN, "没有权限", "您的账号没有权限打开此页面。".to_string()),
        AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, "请先登录", "登录已过期，请重新登录。".to_string()),
        AppError::Conflict(m) => (StatusCode::CONFLICT, "无法办理", m),
        AppError::Validation(f) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "填写有误",
            f.into_iter().map(|e| e.message).collect::<Vec<_>>().join("；"),
        ),
        AppError::Internal(err) => {
            tracing::error!(error = ?err, "internal error on a page");
            (StatusCode::INTERNAL_SERVER_ERROR, "系统暂时出错", "请稍后再试；如持续出现请联系仲裁委员会。".to_string())
        }
    };
    PageError { status, heading, message, back: "/", commission }
}

fn render(t: impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "页面生成失败").into_response()
        }
    }
}

/// The CSRF token of this browser, creating the cookie if needed.
fn csrf(jar: CookieJar) -> (CookieJar, String) {
    if let Some(c) = jar.get(CSRF_COOKIE) {
        let v = c.value().to_string();
        return (jar, v);
    }
    let token = new_token();
    let cookie = Cookie::build((CSRF_COOKIE, token.clone())).http_only(true).same_site(SameSite::Strict).path("/");
    (jar.add(cookie), token)
}

/// Refuses a form whose token does not match the cookie (a forged cross-site post, or an old page).
fn check_csrf(state: &AppState, jar: &CookieJar, sent: &str) -> Result<(), PageError> {
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

fn no_store(mut res: Response) -> Response {
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    commission: &'a str,
}

pub async fn home(State(state): State<AppState>) -> Response {
    render(HomePage { commission: &state.app.config.commission_name })
}

/// The registration form as posted: flat fields, one applicant, one respondent, up to three claims.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ApplyForm {
    csrf: String,
    applicant_name: String,
    applicant_id_number: String,
    applicant_phone: String,
    applicant_address: String,
    respondent_name: String,
    respondent_credit_code: String,
    respondent_legal_representative: String,
    respondent_address: String,
    claim0_kind: String,
    claim0_amount: String,
    claim0_description: String,
    claim1_kind: String,
    claim1_amount: String,
    claim1_description: String,
    claim2_kind: String,
    claim2_amount: String,
    claim2_description: String,
    employment_start: String,
    employment_end: String,
    monthly_wage: String,
    facts: String,
    consent_simplified: Option<String>,
    consent_informal_service: Option<String>,
}

impl ApplyForm {
    fn claim_row(&self, n: usize) -> (&str, &str, &str) {
        match n {
            0 => (&self.claim0_kind, &self.claim0_amount, &self.claim0_description),
            1 => (&self.claim1_kind, &self.claim1_amount, &self.claim1_description),
            _ => (&self.claim2_kind, &self.claim2_amount, &self.claim2_description),
        }
    }

    /// The raw application, and which form row each claim came from (empty rows are skipped).
    fn to_raw(&self) -> (RawApplication, Vec<usize>) {
        let some = |s: &str| Some(s.to_string());
        let mut rows = Vec::new();
        let mut claims = Vec::new();
        for n in 0..CLAIM_ROWS {
            let (k, a, d) = self.claim_row(n);
            if n == 0 || !(k.trim().is_empty() && a.trim().is_empty() && d.trim().is_empty()) {
                rows.push(n);
                claims.push(RawClaim { kind: some(k), amount: some(a), description: some(d) });
            }
        }
        let raw = RawApplication {
            applicants: Some(vec![RawApplicant {
                name: some(&self.applicant_name),
                id_number: some(&self.applicant_id_number),
                phone: some(&self.applicant_phone),
                address: some(&self.applicant_address),
            }]),
            respondents: Some(vec![RawRespondent {
                name: some(&self.respondent_name),
                credit_code: some(&self.respondent_credit_code),
                legal_representative: some(&self.respondent_legal_representative),
                address: some(&self.respondent_address),
            }]),
            claims: Some(claims),
            employment: Some(RawEmployment {
                start: some(&self.employment_start),
                end: some(&self.employment_end),
                monthly_wage: some(&self.monthly_wage),
            }),
            facts: some(&self.facts),
            consents: Some(RawConsents {
                simplified: Some(self.consent_simplified.is_some()),
                informal_service: Some(self.consent_informal_service.is_some()),
            }),
        };
        (raw, rows)
    }
}

struct FormClaim {
    n: usize,
    kind: String,
    amount: String,
    description: String,
    kind_error: String,
    amount_error: String,
    description_error: String,
}

#[derive(Template)]
#[template(path = "apply.html")]
struct ApplyPage<'a> {
    commission: &'a str,
    csrf: String,
    f: ApplyForm,
    errors: HashMap<String, String>,
    rows: Vec<FormClaim>,
    kinds: Vec<(&'static str, &'static str)>,
}

impl ApplyPage<'_> {
    fn err(&self, key: &str) -> &str {
        self.errors.get(key).map(String::as_str).unwrap_or("")
    }
}

fn apply_page<'a>(commission: &'a str, csrf: String, f: ApplyForm, errors: HashMap<String, String>) -> ApplyPage<'a> {
    let rows = (0..CLAIM_ROWS)
        .map(|n| {
            let (k, a, d) = f.claim_row(n);
            let e = |field: &str| errors.get(&format!("claims[{n}].{field}")).cloned().unwrap_or_default();
            FormClaim {
                n,
                kind: k.to_string(),
                amount: a.to_string(),
                description: d.to_string(),
                kind_error: e("kind"),
                amount_error: e("amount"),
                description_error: e("description"),
            }
        })
        .collect();
    let kinds = ClaimKind::ALL.iter().map(|k| (k.code(), k.label())).collect();
    ApplyPage { commission, csrf, f, errors, rows, kinds }
}

pub async fn apply_form(State(state): State<AppState>, jar: CookieJar) -> Response {
    let (jar, token) = csrf(jar);
    (jar, render(apply_page(&state.app.config.commission_name, token, ApplyForm::default(), HashMap::new()))).into_response()
}

#[derive(Template)]
#[template(path = "registered.html")]
struct RegisteredPage<'a> {
    commission: &'a str,
    r: Registered,
    track_label: &'static str,
}

pub async fn apply_submit(State(state): State<AppState>, jar: CookieJar, Form(f): Form<ApplyForm>) -> Result<Response, PageError> {
    check_csrf(&state, &jar, &f.csrf)?;
    let (raw, rows) = f.to_raw();
    let commission = &state.app.config.commission_name;
    match register::register(&state.app, &raw, None).await {
        Ok(r) => {
            let track_label = r.track.label();
            Ok(no_store(render(RegisteredPage { commission, r, track_label })))
        }
        Err(AppError::Validation(fields)) => {
            let errors = fields
                .into_iter()
                .map(|e| (form_key(&e.field, &rows), e.message))
                .collect::<HashMap<_, _>>();
            let token = f.csrf.clone();
            let mut res = render(apply_page(commission, token, f, errors));
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(page_error(&state, e)),
    }
}

/// Maps `claims[k].x` of the submitted application back to the form row it came from.
fn form_key(field: &str, rows: &[usize]) -> String {
    if let Some(rest) = field.strip_prefix("claims[")
        && let Some((k, tail)) = rest.split_once(']')
        && let Ok(k) = k.parse::<usize>()
        && let Some(row) = rows.get(k)
    {
        return format!("claims[{row}]{tail}");
    }
    field.to_string()
}

#[derive(Template)]
#[template(path = "status_lookup.html")]
struct StatusLookupPage<'a> {
    commission: &'a str,
    csrf: String,
    case_id: String,
    error: String,
}

pub async fn status_form(State(state): State<AppState>, jar: CookieJar) -> Response {
    let (jar, token) = csrf(jar);
    let page = StatusLookupPage { commission: &state.app.config.commission_name, csrf: token, case_id: String::new(), error: String::new() };
    (jar, render(page)).into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StatusForm {
    csrf: String,
    case_id: String,
    access_code: String,
}

#[derive(Template)]
#[template(path = "status.html")]
struct StatusPage<'a> {
    commission: &'a str,
    c: CaseView,
    status_label: &'static str,
    track_label: &'static str,
}

pub async fn status_submit(State(state): State<AppState>, jar: CookieJar, Form(f): Form<StatusForm>) -> Result<Response, PageError> {
    check_csrf(&state, &jar, &f.csrf)?;
    let commission = &state.app.config.commission_name;
    let id = f.case_id.trim().to_uppercase();
    let lookup = if id.is_empty() || f.access_code.trim().is_empty() {
        Err(AppError::NotFound("请填写案件编号和查询码"))
    } else {
        cases::get(&state.app, &id, Viewer::Applicant(&f.access_code)).await
    };
    match lookup {
        Ok(c) => {
            let (status_label, track_label) = (status_label(&c.status), c.track.label());
            Ok(no_store(render(StatusPage { commission, c, status_label, track_label })))
        }
        Err(AppError::NotFound(m)) => {
            let page = StatusLookupPage { commission, csrf: f.csrf, case_id: id, error: m.to_string() };
            let mut res = render(page);
            *res.status_mut() = StatusCode::NOT_FOUND;
            Ok(res)
        }
        Err(e) => Err(page_error(&state, e)),
    }
}

/// The status in the commission's words.
pub fn status_label(status: &str) -> &'static str {
    match status {
        "filed" => "待受理",
        "accepted" => "已受理",
        "rejected" => "不予受理",
        "scheduled" => "已安排开庭",
        "heard" => "已开庭",
        "suspended" => "中止审理",
        "closed" => "已结案",
        _ => "未知",
    }
}

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

pub async fn login_submit(State(state): State<AppState>, jar: CookieJar, Form(f): Form<LoginForm>) -> Result<Response, PageError> {
    check_csrf(&state, &jar, &f.csrf)?;
    match login(&state.app, &f.username, &f.password, TokenKind::Session).await {
        Ok((token, _)) => {
            let cookie = Cookie::build((SESSION_COOKIE, token)).http_only(true).same_site(SameSite::Lax).path("/");
            Ok((jar.add(cookie), Redirect::to("/staff")).into_response())
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
    csrf: String,
}

pub async fn logout_submit(State(state): State<AppState>, jar: CookieJar, Form(f): Form<CsrfOnly>) -> Result<Response, PageError> {
    check_csrf(&state, &jar, &f.csrf)?;
    if let Some(c) = jar.get(SESSION_COOKIE) {
        logout(&state.app, c.value()).await.map_err(|e| page_error(&state, e))?;
    }
    Ok((jar.remove(Cookie::build(SESSION_COOKIE).path("/")), Redirect::to("/login")).into_response())
}

/// The signed-in member of staff, or a redirect to the login page.
async fn session(state: &AppState, jar: &CookieJar) -> Result<Staff, Response> {
    let Some(c) = jar.get(SESSION_COOKIE) else { return Err(Redirect::to("/login").into_response()) };
    match authenticate(&state.app, c.value(), TokenKind::Session).await {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(Redirect::to("/login").into_response()),
        Err(e) => Err(page_error(state, e).into_response()),
    }
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

pub async fn inbox(State(state): State<AppState>, jar: CookieJar, Query(q): Query<InboxQuery>) -> Response {
    let staff = match session(&state, &jar).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let status = if q.status.is_empty() && q.q.is_empty() { "filed".to_string() } else { q.status.clone() };
    let query = ListQuery { status: Some(status.clone()), q: Some(q.q.clone()), ..ListQuery::default() };
    let page = match cases::list(&state.app, &staff, &query).await {
        Ok(p) => p,
        Err(e) => return page_error(&state, e).into_response(),
    };
    let heading = match status.as_str() {
        "filed" => "待受理案件",
        "accepted" => "已受理案件",
        "rejected" => "不予受理案件",
        _ => "案件",
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
    };
    (jar, render(page)).into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BoardQuery {
    within: String,
}

#[derive(Template)]
#[template(path = "deadlines.html")]
struct BoardPage<'a> {
    commission: &'a str,
    user: String,
    board: Board,
    provisional_years: bool,
    error: String,
}

impl BoardPage<'_> {
    fn urgency_class(&self, i: &BoardItem) -> &'static str {
        match i.urgency {
            Urgency::Red => "red",
            Urgency::Amber => "amber",
            Urgency::Normal => "normal",
        }
    }

    fn left_text(&self, i: &BoardItem) -> String {
        match i.working_days_left {
            n if n < 0 => format!("超期{}个工作日", -n),
            0 => "今天到期".into(),
            n => format!("剩{n}个工作日"),
        }
    }
}

/// The deadline board: red, amber and days left for every open case due soon.
pub async fn deadline_board(State(state): State<AppState>, jar: CookieJar, Query(q): Query<BoardQuery>) -> Response {
    let staff = match session(&state, &jar).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let (within, error) = match board::parse_within(Some(&q.within)) {
        Ok(n) => (n, String::new()),
        Err(AppError::Validation(f)) => (5, f.into_iter().map(|x| x.message).collect::<Vec<_>>().join("；")),
        Err(e) => return page_error(&state, e).into_response(),
    };
    match board::board(&state.app, &staff, within).await {
        Ok(board) => no_store(render(BoardPage {
            commission: &state.app.config.commission_name,
            user: staff.username.clone(),
            provisional_years: board.items.iter().any(|i| i.provisional),
            board,
            error,
        })),
        Err(e) => page_error(&state, e).into_response(),
    }
}

/// One deadline of a case as the case page lists it.
struct DeadlineLine {
    label: &'static str,
    date: NaiveDate,
    basis: &'static str,
    provisional: bool,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePageT<'a> {
    commission: &'a str,
    csrf: String,
    c: CaseView,
    status_label: &'static str,
    can_decide: bool,
    notice: String,
    error: String,
    tracks: Vec<(&'static str, &'static str)>,
    deadlines: Vec<DeadlineLine>,
    grounds: Vec<(&'static str, &'static str)>,
    causes: Vec<(&'static str, &'static str)>,
    today: NaiveDate,
}

impl CasePageT<'_> {
    fn running(&self) -> bool {
        matches!(self.c.status.as_str(), "accepted" | "scheduled" | "heard")
    }

    fn fast_track(&self) -> bool {
        matches!(self.c.track, Track::Green | Track::Simple)
    }
}

/// Every deadline of the case, each with its article, in date order.
fn deadline_lines(c: &CaseView) -> Vec<DeadlineLine> {
    let d = &c.deadlines;
    let accept_by = if c.status == "filed" { d.accept_by } else { None };
    let provisional = |field: &str| d.provisional_fields.contains(&field);
    let mut lines: Vec<DeadlineLine> = [
        (accept_by, "accept_by", "受理期限", "调解仲裁法第二十九条：收到申请之日起五日内"),
        (d.serve_by, "serve_by", "送达申请书副本", "调解仲裁法第三十条：受理后五日内"),
        (d.tribunal_notice_by, "tribunal_notice_by", "通知仲裁庭组成", "调解仲裁法第三十二条：受理后五日内"),
        (d.defence_by, "defence_by", "答辩期届满", "调解仲裁法第三十条：收到副本后十日内"),
        (d.hearing_not_before, "hearing_not_before", "最早开庭日", "调解仲裁法第三十五条：开庭五日前通知"),
        (d.hearing_notice_by, "hearing_notice_by", "开庭通知最迟送达", "调解仲裁法第三十五条"),
        (d.postpone_by, "postpone_by", "申请延期开庭截止", "调解仲裁法第三十五条：开庭三日前提出"),
        (d.award_due, "award_due", "审限届满", "调解仲裁法第四十三条：受理之日起四十五日，可延长十五日"),
    ]
    .into_iter()
    .filter_map(|(date, field, label, basis)| date.map(|date| DeadlineLine { label, date, basis, provisional: provisional(field) }))
    .collect();
    if let Some(a) = &d.appeal {
        for (date, label, basis) in [
            (a.worker_may_sue_by, "劳动者起诉期限", "调解仲裁法第四十八条、第五十条：收到裁决书之日起十五日"),
            (a.employer_may_sue_by, "用人单位起诉期限", "调解仲裁法第五十条：收到裁决书之日起十五日"),
            (a.employer_may_petition_by, "用人单位申请撤销期限", "调解仲裁法第四十九条：收到裁决书之日起三十日"),
            (a.effective_on, "裁决生效日", "调解仲裁法第四十七条、第五十条"),
        ] {
            if let Some(date) = date {
                lines.push(DeadlineLine { label, date, basis, provisional: provisional("appeal") });
            }
        }
    }
    lines.sort_by_key(|l| l.date);
    lines
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

async fn case_page(state: &AppState, jar: CookieJar, staff: &Staff, id: &str, notice: String, error: String, status: StatusCode) -> Response {
    let c = match cases::get(&state.app, id, Viewer::Staff(staff)).await {
        Ok(c) => c,
        Err(e) => return page_error(state, e).into_response(),
    };
    let (jar, token) = csrf(jar);
    let page = CasePageT {
        commission: &state.app.config.commission_name,
        csrf: token,
        status_label: status_label(&c.status),
        deadlines: deadline_lines(&c),
        c,
        can_decide: staff.role == Role::Clerk,
        notice,
        error,
        tracks: Track::ALL.iter().map(|t| (t.code(), t.label())).collect(),
        grounds: SuspensionGround::ALL.iter().map(|g| (g.code(), g.label())).collect(),
        causes: RestartCause::ALL.iter().map(|c| (c.code(), c.label())).collect(),
        today: state.app.clock.today(),
    };
    let mut res = (jar, render(page)).into_response();
    *res.status_mut() = status;
    res
}

pub async fn staff_case(State(state): State<AppState>, jar: CookieJar, Path(id): Path<String>, Query(d): Query<DoneQuery>) -> Response {
    let staff = match session(&state, &jar).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let notice = match d.done.as_str() {
        "accepted" => "已受理，案号已生成。",
        "rejected" => "已作出不予受理决定。",
        "track" => "程序已调整。",
        "clock" => "程序事件已记录，期限已重新计算。",
        _ => "",
    };
    case_page(&state, jar, &staff, &id, notice.into(), String::new(), StatusCode::OK).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    csrf: String,
    accepted_on: String,
    reason: String,
    track: String,
    on: String,
    ground: String,
    cause: String,
    days: String,
    approver: String,
    note: String,
}

/// Runs a clerk's decision from the case page: redirect on success, the page with the error otherwise.
pub async fn staff_decide(
    State(state): State<AppState>,
    jar: CookieJar,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<DecisionForm>,
) -> Response {
    let staff = match session(&state, &jar).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if let Err(e) = check_csrf(&state, &jar, &f.csrf) {
        return e.into_response();
    }
    let result = match action.as_str() {
        "accept" => {
            let date = f.accepted_on.trim();
            match (date.is_empty(), date.parse()) {
                (true, _) => decide::accept(&state.app, &staff, &id, None).await.map(|_| ()),
                (false, Ok(d)) => decide::accept(&state.app, &staff, &id, Some(d)).await.map(|_| ()),
                (false, Err(_)) => Err(AppError::field("accepted_on", "format", "受理日期应写成 YYYY-MM-DD")),
            }
        }
        "reject" => decide::reject(&state.app, &staff, &id, &f.reason).await,
        "track" => decide::override_track(&state.app, &staff, &id, &f.track, &f.reason).await,
        other => match ClockAction::parse(other) {
            None => Err(AppError::NotFound("没有这个操作")),
            Some(a) => match clock_input(&f) {
                Ok(input) => clock::record(&state.app, &staff, &id, a, &input).await.map(|_| ()),
                Err(e) => Err(e),
            },
        },
    };
    match result {
        Ok(()) => {
            let done = match action.as_str() {
                "track" => "track",
                "accept" => "accepted",
                "reject" => "rejected",
                _ => "clock",
            };
            Redirect::to(&format!("/staff/cases/{id}?done={done}")).into_response()
        }
        Err(AppError::Forbidden) => page_error(&state, AppError::Forbidden).into_response(),
        Err(AppError::NotFound(m)) => page_error(&state, AppError::NotFound(m)).into_response(),
        Err(e @ (AppError::Conflict(_) | AppError::Validation(_))) => {
            let status = if matches!(e, AppError::Conflict(_)) { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
            let message = match e {
                AppError::Conflict(m) => m,
                AppError::Validation(f) => f.into_iter().map(|x| x.message).collect::<Vec<_>>().join("；"),
                _ => unreachable!(),
            };
            case_page(&state, jar, &staff, &id, String::new(), message, status).await
        }
        Err(e) => page_error(&state, e).into_response(),
    }
}

/// The clock fields of a page form as the API's body (a number field left empty means "none").
fn clock_input(f: &DecisionForm) -> Result<ClockEventInput, AppError> {
    let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let days = match opt(&f.days) {
        None => None,
        Some(s) => Some(s.parse::<i64>().map_err(|_| AppError::field("days", "format", "天数应为整数"))?),
    };
    Ok(ClockEventInput {
        on: opt(&f.on),
        ground: opt(&f.ground),
        cause: opt(&f.cause),
        days,
        approver: opt(&f.approver),
        note: opt(&f.note),
    })
}
