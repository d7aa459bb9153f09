//! Hearing pages: the clerk's one-click planning, a case's hearing with the solver's suggestions,
//! the arbitrator's docket, and the tribunal page (arbitrators, rooms, leave, recusal entries).

use crate::http::pages::PageStaff;
use crate::law::case::Status;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use chrono::{Duration, NaiveDate};
use serde::Deserialize;

use super::{check_csrf, csrf, form_error, no_store, page_error, render};
use crate::app::AppError;
use crate::app::accounts::{Role, Staff};
use crate::app::cases::{self, CaseView, Viewer};
use crate::app::docket::{self, DocketEntry};
use crate::app::held;
use crate::app::placement::{self, PlaceInput, SuggestionsView};
use crate::app::replan::{self, PostponementInput, ReplanInput};
use crate::app::schedule::{self, ScheduleOutcome};
use crate::app::tribunal::{self, ArbitratorEdit, ArbitratorInput, LeaveInput, RecusalInput, RoomEdit, RoomInput, Roster};
use crate::http::AppState;
use crate::store::feeds::Resource;

/// An error a form can show on its own page: the message, and the status to answer with.
fn names(roster: &Roster, ids: &[i64]) -> String {
    ids.iter()
        .map(|id| roster.arbitrators.iter().find(|a| a.id == *id).map_or_else(|| id.to_string(), |a| a.name.clone()))
        .collect::<Vec<_>>()
        .join("、")
}

fn room_name(roster: &Roster, id: i64) -> String {
    roster.rooms.iter().find(|r| r.id == id).map_or_else(|| id.to_string(), |r| r.name.clone())
}

#[derive(Template)]
#[template(path = "schedule.html")]
struct SchedulePage<'a> {
    commission: &'a str,
    csrf: String,
    user: String,
    roster: Roster,
    outcome: Option<ScheduleOutcome>,
    error: String,
    /// How each case of the result is named: 案号, track, parties.
    labels: Vec<crate::store::cases::CaseLabelRow>,
}

impl SchedulePage<'_> {
    /// A case of the result as the clerk knows it: 案号 (or its id), parties and track.
    fn case(&self, id: &str) -> (String, String, &'static str) {
        match self.labels.iter().find(|l| l.id == id) {
            Some(l) => (l.case_no.clone().unwrap_or_else(|| l.id.clone()), format!("{} 诉 {}", l.applicant, l.respondent), l.track.label()),
            None => (id.to_string(), String::new(), ""),
        }
    }
    fn names(&self, ids: &[i64]) -> String {
        names(&self.roster, ids)
    }
    fn room(&self, id: &i64) -> String {
        room_name(&self.roster, *id)
    }
    /// A day as the page shows it: 2026年12月2日.
    fn day(&self, d: &NaiveDate) -> String {
        crate::documents::kinds::chinese_date(*d)
    }
}

async fn schedule_page(
    state: &AppState,
    jar: CookieJar,
    staff: &Staff,
    outcome: Option<ScheduleOutcome>,
    error: String,
    status: StatusCode,
) -> Response {
    let roster = match tribunal::roster(&state.app, staff).await {
        Ok(r) => r,
        Err(e) => return page_error(state, e).into_response(),
    };
    let ids: Vec<String> = outcome
        .iter()
        .flat_map(|o| {
            o.planned
                .iter()
                .map(|p| p.case_id.clone())
                .chain(o.unscheduled.iter().map(|u| u.case_id.clone()))
                .chain(o.conflicts.iter().map(|c| c.case_id.clone()))
        })
        .collect();
    let labels = match crate::app::cases::labels(&state.app, staff, &ids, "排期结果").await {
        Ok(l) => l,
        Err(e) => return page_error(state, e).into_response(),
    };
    let (jar, token) = csrf(jar);
    let user = staff.username.clone();
    let page = SchedulePage { commission: &state.app.config.commission_name, csrf: token, user, roster, outcome, error, labels };
    (status, jar, no_store(render(page))).into_response()
}

/// `POST /staff/schedule/save`: a dry run saved as it is, if nothing changed since.
pub async fn schedule_save(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Form(f): Form<DraftForm>,
) -> Response {
    if let Err(e) = check_csrf(&state, &jar, &f.csrf) {
        return e.into_response();
    }
    let saved = match f.draft_id.trim().parse::<i64>() {
        Ok(id) => crate::app::schedule::save_draft(&state.app, &staff, id).await,
        Err(_) => Err(AppError::NotFound("试排方案不存在")),
    };
    match saved {
        Ok(o) => schedule_page(&state, jar, &staff, Some(o), String::new(), StatusCode::OK).await,
        Err(e) => match form_error(e) {
            Ok((status, m)) => schedule_page(&state, jar, &staff, None, m, status).await,
            Err(e) => page_error(&state, e).into_response(),
        },
    }
}

/// The form that saves a dry run.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DraftForm {
    csrf: String,
    draft_id: String,
}

/// `POST /staff/schedule/notices`: the notices of a run's hearings (`hearing=ID`, repeated) as
/// one PDF to print.
pub async fn schedule_notices(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let sent = pairs.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.clone()).unwrap_or_default();
    if let Err(e) = check_csrf(&state, &jar, &sent) {
        return e.into_response();
    }
    let ids: Vec<i64> = pairs.iter().filter(|(k, _)| k == "hearing").filter_map(|(_, v)| v.trim().parse().ok()).collect();
    match crate::app::documents::print_notices(&state.app, &staff, &ids).await {
        Ok(d) => crate::http::documents::file(d, "application/pdf"),
        Err(e) => page_error(&state, e).into_response(),
    }
}

/// The planning page: one click plans every accepted case.
pub async fn schedule_form(State(state): State<AppState>, PageStaff(staff): PageStaff, jar: CookieJar) -> Response {
    if staff.role != Role::Clerk {
        return page_error(&state, AppError::Forbidden).into_response();
    }
    schedule_page(&state, jar, &staff, None, String::new(), StatusCode::OK).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ScheduleForm {
    csrf: String,
    dry_run: String,
}

/// Runs the planning from the page and shows what was planned and what could not be.
pub async fn schedule_submit(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Form(f): Form<ScheduleForm>,
) -> Response {
    if let Err(e) = check_csrf(&state, &jar, &f.csrf) {
        return e.into_response();
    }
    match schedule::schedule(&state.app, &staff, !f.dry_run.is_empty()).await {
        Ok(o) => schedule_page(&state, jar, &staff, Some(o), String::new(), StatusCode::OK).await,
        Err(e) => match form_error(e) {
            Ok((status, m)) => schedule_page(&state, jar, &staff, None, m, status).await,
            Err(e) => page_error(&state, e).into_response(),
        },
    }
}

#[derive(Template)]
#[template(path = "hearing.html")]
struct HearingPage<'a> {
    commission: &'a str,
    csrf: String,
    c: CaseView,
    roster: Roster,
    suggestions: Option<SuggestionsView>,
    notice: String,
    error: String,
    today: NaiveDate,
    /// The signed-in arbitrator sits on the planned hearing's tribunal (may record it held).
    is_tribunal: bool,
    is_arbitrator: bool,
}

impl HearingPage<'_> {
    fn names(&self, ids: &[i64]) -> String {
        names(&self.roster, ids)
    }
    fn room(&self, id: &i64) -> String {
        room_name(&self.roster, *id)
    }
    fn ids(&self, ids: &[i64]) -> String {
        ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
    }
    fn planned(&self) -> Option<&crate::app::cases::HearingView> {
        self.c.hearings.iter().find(|h| h.status == "planned")
    }
    /// A stored day as the page says it: 2026年12月2日.
    fn day_text(&self, day: &str) -> String {
        crate::documents::kinds::chinese_date_text(day)
    }
}

async fn hearing_page(
    state: &AppState,
    jar: CookieJar,
    staff: &Staff,
    id: &str,
    notice: String,
    error: String,
    status: StatusCode,
) -> Response {
    let c = match cases::get(&state.app, id, Viewer::Staff(staff)).await {
        Ok(c) => c,
        Err(e) => return page_error(state, e).into_response(),
    };
    let roster = match tribunal::roster(&state.app, staff).await {
        Ok(r) => r,
        Err(e) => return page_error(state, e).into_response(),
    };
    let suggestions = if matches!(c.status, Status::Accepted | Status::Scheduled) {
        placement::suggestions(&state.app, staff, id, 5).await.ok()
    } else {
        None
    };
    let is_tribunal =
        staff.arbitrator_id.is_some_and(|a| c.hearings.iter().any(|h| h.status == "planned" && h.arbitrator_ids.contains(&a)));
    let (jar, token) = csrf(jar);
    let page = HearingPage {
        commission: &state.app.config.commission_name,
        csrf: token,
        c,
        roster,
        suggestions,
        notice,
        error,
        today: state.app.time.today(),
        is_tribunal,
        is_arbitrator: staff.role == Role::Arbitrator,
    };
    (status, jar, no_store(render(page))).into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

/// A case's hearing: the current one, the solver's best slots, and forms to book or postpone.
pub async fn hearing_form(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let notice = match q.done.as_str() {
        "placed" => "已安排开庭，开庭通知已生成。",
        "postponement" => "延期申请已登记，待决定。",
        "decided" => "已对延期申请作出决定。",
        "held" => "已记录开庭，可以制作裁决书或调解书。",
        _ => "",
    };
    hearing_page(&state, jar, &staff, &id, notice.into(), String::new(), StatusCode::OK).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct HearingForm {
    csrf: String,
    day: String,
    start: String,
    room_id: String,
    arbitrator_ids: String,
    /// The picker: the presiding (or sole) arbitrator, then the other two of a panel.
    arb_1: String,
    arb_2: String,
    arb_3: String,
    short_notice: String,
    reason: String,
    party: String,
    postponement_id: String,
    granted: String,
    note: String,
    record: String,
    applicant_absent: String,
    respondent_absent: String,
    treat_as_withdrawn: String,
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// A form's id list (`3,5`), each a number.
fn id_list(raw: &str, field: &str) -> Result<Vec<i64>, AppError> {
    raw.split([',', '，', ' '])
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse::<i64>().map_err(|_| AppError::field(field, "bad_id", format!("“{s}”不是编号"))))
        .collect()
}

/// The case's planned hearing, for the forms that act on it.
async fn planned_hearing(app: &crate::app::App, staff: &Staff, case_id: &str) -> Result<i64, AppError> {
    let c = cases::get(app, case_id, Viewer::Staff(staff)).await?;
    c.hearings.iter().find(|h| h.status == "planned").map(|h| h.hearing_id).ok_or_else(|| AppError::Conflict("本案没有待开庭的庭审".into()))
}

/// Books, moves or postpones a case's hearing from its page.
pub async fn hearing_submit(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<HearingForm>,
) -> Response {
    if let Err(e) = check_csrf(&state, &jar, &f.csrf) {
        return e.into_response();
    }
    let app = &state.app;
    if action == "print" {
        let printed = async {
            let hearing = planned_hearing(app, &staff, &id).await?;
            crate::app::documents::print_hearing_notice(app, &staff, hearing).await
        }
        .await;
        return match printed {
            // Straight to the PDF, for the printer.
            Ok(docs) => Redirect::to(&format!("/staff/documents/{}", docs.last().map(|d| d.id).unwrap_or_default())).into_response(),
            Err(e) => page_error(&state, e).into_response(),
        };
    }
    let result: Result<&str, AppError> = async {
        match action.as_str() {
            "place" => {
                let room_id = match opt(&f.room_id) {
                    None => None,
                    Some(r) => Some(r.parse::<i64>().map_err(|_| AppError::field("room_id", "bad_id", "请选择审理庭"))?),
                };
                let picked =
                    [&f.arb_1, &f.arb_2, &f.arb_3].iter().filter(|a| !a.trim().is_empty()).map(|a| a.trim()).collect::<Vec<_>>().join(",");
                let arbitrators = if f.arbitrator_ids.trim().is_empty() { picked } else { f.arbitrator_ids.clone() };
                let input = PlaceInput {
                    day: opt(&f.day),
                    start: opt(&f.start),
                    room_id,
                    arbitrator_ids: Some(id_list(&arbitrators, "arbitrator_ids")?),
                    short_notice: Some(!f.short_notice.is_empty()),
                    reason: opt(&f.reason),
                };
                placement::place(app, &staff, &id, &input).await.map(|_| "placed")
            }
            "postpone" => {
                let hearing = planned_hearing(app, &staff, &id).await?;
                let input = PostponementInput { party: opt(&f.party), reason: opt(&f.reason), requested_on: opt(&f.day) };
                replan::request_postponement(app, &staff, hearing, &input).await.map(|_| "postponement")
            }
            "decide" => {
                let pid = f.postponement_id.trim().parse::<i64>().map_err(|_| AppError::NotFound("延期申请不存在"))?;
                let input = replan::PostponementDecision {
                    granted: Some(f.granted == "yes"),
                    note: opt(&f.note),
                    short_notice: Some(!f.short_notice.is_empty()),
                };
                replan::decide_postponement(app, &staff, pid, &input).await.map(|_| "decided")
            }
            "held" => {
                let hearing = planned_hearing(app, &staff, &id).await?;
                let input = held::HeldInput {
                    held_on: opt(&f.day),
                    record: opt(&f.record),
                    applicant_attended: Some(f.applicant_absent.is_empty()),
                    respondent_attended: Some(f.respondent_absent.is_empty()),
                    treat_as_withdrawn: Some(!f.treat_as_withdrawn.is_empty()),
                };
                held::held(app, &staff, hearing, &input).await.map(|v| if v.case_status == Status::Closed { "closed" } else { "held" })
            }
            _ => Err(AppError::NotFound("没有这个操作")),
        }
    }
    .await;
    match result {
        // A case treated as withdrawn is closed: its page shows the outcome.
        Ok("closed") => Redirect::to(&format!("/staff/cases/{id}?done=closed")).into_response(),
        Ok(done) => Redirect::to(&format!("/staff/cases/{id}/hearing?done={done}")).into_response(),
        Err(e) => match form_error(e) {
            Ok((status, m)) => hearing_page(&state, jar, &staff, &id, String::new(), m, status).await,
            Err(e) => page_error(&state, e).into_response(),
        },
    }
}

#[derive(Template)]
#[template(path = "docket.html")]
struct DocketPage<'a> {
    commission: &'a str,
    user: String,
    roster: Roster,
    arbitrator: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    entries: Vec<DocketEntry>,
    error: String,
    notice: String,
    csrf: String,
    /// The arbitrator's calendar, when the viewer may see it (clerks, admins, the arbitrator).
    calendar: Option<crate::app::availability::AvailabilityView>,
    /// Session labels for the week grid.
    sessions: Vec<(u32, String)>,
    nav: Vec<super::nav::NavLink>,
    /// The viewer is the arbitrator whose docket this is: it may subscribe to it.
    own: bool,
    /// A feed address just made, shown once.
    feed: Option<String>,
}

impl DocketPage<'_> {
    /// The same address for a calendar app (webcal:// in place of http(s)://); none for a path
    /// without the service's public address.
    fn webcal(&self, url: &str) -> Option<String> {
        url.split_once("://").map(|(_, rest)| format!("webcal://{rest}"))
    }

    /// Whether the pattern in force has the arbitrator sit session `s` on weekday `w` (all, without one).
    fn sits(&self, w: &u32, s: &u32) -> bool {
        match self.calendar.as_ref().and_then(|c| c.weekly.first()) {
            None => true,
            Some(p) => p.weekly.iter().any(|d| d.weekday == *w && d.sessions.contains(s)),
        }
    }
    fn local(&self, stamp: &str) -> String {
        crate::time::local_text(stamp)
    }
    fn weekday_label(w: &u32) -> &'static str {
        ["", "周一", "周二", "周三", "周四", "周五", "周六", "周日"][*w as usize]
    }
    /// The busy times of the week shown.
    fn busy_this_week(&self) -> Vec<&crate::app::availability::BusyView> {
        self.calendar.iter().flat_map(|c| c.busy_times.iter()).filter(|b| b.day >= self.from && b.day <= self.to).collect()
    }
    fn is_selected(&self, id: &i64) -> bool {
        self.arbitrator == Some(*id)
    }
    fn arbitrator_name(&self) -> String {
        self.arbitrator.map(|a| names(&self.roster, &[a])).unwrap_or_default()
    }
    fn left_text(&self, e: &DocketEntry) -> String {
        match e.working_days_left {
            Some(n) if n < 0 => format!("已超期{}个工作日", -n),
            Some(0) => "今天到期".into(),
            Some(n) => format!("剩{n}个工作日"),
            None => String::new(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DocketQuery {
    pub(super) arbitrator: String,
    pub(super) from: String,
    pub(super) done: String,
}

/// The docket: an arbitrator's hearings today and this week, with each case's award deadline,
/// and the arbitrator's calendar (weekly pattern, busy times, imported calendars).
pub async fn docket_page(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Query(q): Query<DocketQuery>,
) -> Response {
    let notice = match q.done.as_str() {
        "weekly" => "每周坐庭时段已保存，下次排期按此安排。",
        "busy" => "其他安排已登记，排期会避开。",
        "deleted" => "已删除该条其他安排。",
        "calendar" => "日历已导入，排期会避开其中的安排。",
        _ => "",
    };
    docket_view(&state, &staff, jar, &q, Said { notice: notice.to_string(), ..Said::default() }, StatusCode::OK).await
}

/// What the docket page says over it: a notice, an error, a feed address just made.
#[derive(Debug, Default)]
pub(super) struct Said {
    pub notice: String,
    pub error: String,
    pub feed: Option<String>,
}

/// `POST /staff/docket/feed`: an arbitrator's own calendar feed gets a new address, shown once
/// (https and webcal), so its phone's calendar follows its hearings; the old address stops.
pub async fn docket_feed(State(state): State<AppState>, PageStaff(staff): PageStaff, jar: CookieJar, Form(f): Form<CsrfOnly>) -> Response {
    if let Err(e) = check_csrf(&state, &jar, &f.csrf) {
        return e.into_response();
    }
    let Some(own) = staff.arbitrator_id.filter(|_| staff.role == Role::Arbitrator) else {
        return page_error(&state, AppError::Forbidden).into_response();
    };
    match crate::app::docket::rotate(&state.app, &staff, crate::store::feeds::Resource::Arbitrator, own).await {
        Ok(feed) => {
            let base = state.app.config.public_url.as_deref().unwrap_or("").trim_end_matches('/');
            let url = format!("{base}{}", feed.calendar_url);
            let notice = "新的日程订阅地址已生成（只显示这一次；原地址已失效）。".to_string();
            docket_view(
                &state,
                &staff,
                jar,
                &DocketQuery::default(),
                Said { notice, error: String::new(), feed: Some(url) },
                StatusCode::OK,
            )
            .await
        }
        Err(e) => page_error(&state, e).into_response(),
    }
}

/// A form that carries only its CSRF token.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CsrfOnly {
    csrf: String,
}

/// The docket page, with a notice or an error over it.
pub(super) async fn docket_view(
    state: &AppState,
    staff: &Staff,
    jar: CookieJar,
    q: &DocketQuery,
    said: Said,
    status: StatusCode,
) -> Response {
    let Said { notice, error: form_error, feed } = said;
    let roster = match tribunal::roster(&state.app, staff).await {
        Ok(r) => r,
        Err(e) => return page_error(state, e).into_response(),
    };
    let today = state.app.time.today();
    let arbitrator = staff.arbitrator_id.or_else(|| q.arbitrator.trim().parse().ok()).or_else(|| roster.arbitrators.first().map(|a| a.id));
    let from = q.from.trim().parse::<NaiveDate>().unwrap_or(today);
    let to = from + Duration::days(6);
    let (entries, error) = match arbitrator {
        None => (Vec::new(), "还没有仲裁员，请先在“仲裁员与仲裁庭”页面添加。".to_string()),
        Some(a) => match docket::docket(&state.app, staff, a, Some(&from.to_string()), Some(&to.to_string())).await {
            Ok(e) => (e, String::new()),
            Err(e) => return page_error(state, e).into_response(),
        },
    };
    let calendar = match arbitrator {
        Some(a) => crate::app::availability::of_arbitrator(&state.app, staff, a).await.ok(),
        None => None,
    };
    let sessions = state
        .app
        .config
        .hearings
        .sessions
        .iter()
        .enumerate()
        .map(|(i, (t, _))| {
            let part = if chrono::Timelike::hour(t) < 12 { "上午" } else { "下午" };
            (i as u32, format!("{part}（{}起）", t.format("%H:%M")))
        })
        .collect();
    let nav = match super::nav::of(&state.app, staff).await {
        Ok(n) => n,
        Err(e) => return page_error(state, e).into_response(),
    };
    let (jar, token) = csrf(jar);
    let page = DocketPage {
        commission: &state.app.config.commission_name,
        user: staff.username.clone(),
        roster,
        arbitrator,
        from,
        to,
        today,
        entries,
        error: if form_error.is_empty() { error } else { form_error },
        notice,
        csrf: token,
        calendar,
        sessions,
        nav,
        own: staff.role == Role::Arbitrator && staff.arbitrator_id.is_some(),
        feed,
    };
    let mut res = no_store(render(page));
    *res.status_mut() = status;
    (jar, res).into_response()
}

#[derive(Template)]
#[template(path = "tribunal.html")]
struct TribunalPage<'a> {
    commission: &'a str,
    csrf: String,
    user: String,
    roster: Roster,
    notice: String,
    error: String,
    proposal: Option<(Vec<i64>, ScheduleOutcome)>,
    today: NaiveDate,
    /// Dated thresholds overdue for a newer figure (the admin updates the settings).
    stale: Vec<crate::law::thresholds::StaleValue>,
    /// The viewer may make feed addresses (admins and clerks).
    feeds: bool,
    /// Booked hearings that now break a rule (leave entered over them …), until each is moved.
    conflicts: Vec<crate::app::schedule::BookedConflictView>,
    /// How the listed cases are named: 案号 and parties.
    labels: Vec<crate::store::cases::CaseLabelRow>,
}

impl TribunalPage<'_> {
    /// A case as the clerk knows it: 案号 (or its id) and parties.
    fn case(&self, id: &str) -> String {
        match self.labels.iter().find(|l| l.id == id) {
            Some(l) => format!("{} {} 诉 {}", l.case_no.clone().unwrap_or_else(|| l.id.clone()), l.applicant, l.respondent),
            None => id.to_string(),
        }
    }
    fn day(&self, d: &NaiveDate) -> String {
        crate::documents::kinds::chinese_date(*d)
    }
    /// The hearings of the conflicts list, for the proposal form.
    fn conflict_ids(&self) -> String {
        let mut ids: Vec<i64> = self.conflicts.iter().map(|c| c.hearing_id).collect();
        ids.dedup();
        ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
    }
    fn names(&self, ids: &[i64]) -> String {
        names(&self.roster, ids)
    }
    fn room(&self, id: &i64) -> String {
        room_name(&self.roster, *id)
    }
    fn ids(&self, ids: &[i64]) -> String {
        ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
    }
}

async fn tribunal_page(
    state: &AppState,
    jar: CookieJar,
    staff: &Staff,
    notice: String,
    error: String,
    proposal: Option<(Vec<i64>, ScheduleOutcome)>,
    status: StatusCode,
) -> Response {
    let roster = match tribunal::roster(&state.app, staff).await {
        Ok(r) => r,
        Err(e) => return page_error(state, e).into_response(),
    };
    let conflicts = match crate::app::schedule::booked_conflicts(&state.app, staff).await {
        Ok(c) => c,
        Err(e) => return page_error(state, e).into_response(),
    };
    let ids: Vec<String> = conflicts
        .iter()
        .map(|c| c.case_id.clone())
        .chain(
            proposal
                .iter()
                .flat_map(|(_, p)| p.planned.iter().map(|h| h.case_id.clone()).chain(p.unscheduled.iter().map(|u| u.case_id.clone()))),
        )
        .collect();
    let labels = match crate::app::cases::labels(&state.app, staff, &ids, "仲裁员与审理庭").await {
        Ok(l) => l,
        Err(e) => return page_error(state, e).into_response(),
    };
    let (jar, token) = csrf(jar);
    let today = state.app.time.today();
    let stale = state.app.config.thresholds.stale_on(today);
    let page = TribunalPage {
        commission: &state.app.config.commission_name,
        csrf: token,
        user: staff.username.clone(),
        roster,
        notice,
        error,
        proposal,
        today,
        stale,
        feeds: matches!(staff.role, Role::Admin | Role::Clerk),
        conflicts,
        labels,
    };
    (status, jar, no_store(render(page))).into_response()
}

/// Arbitrators and rooms, with forms for new ones, leave and recusal entries.
pub async fn tribunal_form(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Query(q): Query<DoneQuery>,
) -> Response {
    if !matches!(staff.role, Role::Admin | Role::Clerk) {
        return page_error(&state, AppError::Forbidden).into_response();
    }
    let notice = match q.done.as_str() {
        "arbitrator" => "已添加仲裁员。",
        "room" => "已添加审理庭。",
        "leave" => "已登记请假，期间没有已排定的庭审。",
        "recusal" => "已登记回避。",
        "edit-arbitrator" => "仲裁员信息已修改。",
        "edit-room" => "审理庭信息已修改。",
        "replan" => "受影响的庭审已改期，新的开庭通知已生成。",
        _ => "",
    };
    tribunal_page(&state, jar, &staff, notice.into(), String::new(), None, StatusCode::OK).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TribunalForm {
    csrf: String,
    id: String,
    name: String,
    presides: String,
    max_per_day: String,
    seats: String,
    from: String,
    to: String,
    reason: String,
    party_name: String,
    id_number: String,
    credit_code: String,
    hearing_ids: String,
    active: String,
}

fn number(raw: &str, field: &str, label: &str) -> Result<Option<i64>, AppError> {
    opt(raw).map(|s| s.parse::<i64>().map_err(|_| AppError::field(field, "not_a_number", format!("{label}应为整数")))).transpose()
}

/// Adds or changes an arbitrator or a room, records leave or a recusal entry, or confirms a
/// re-planning, from the tribunal page.
pub async fn tribunal_submit(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Path(action): Path<String>,
    Form(f): Form<TribunalForm>,
) -> Response {
    if let Err(e) = check_csrf(&state, &jar, &f.csrf) {
        return e.into_response();
    }
    let app = &state.app;
    if let Some(who) = match action.as_str() {
        "feed-arbitrator" => Some(Resource::Arbitrator),
        "feed-room" => Some(Resource::Room),
        _ => None,
    } {
        let made = match f.id.trim().parse::<i64>() {
            Ok(id) => crate::app::docket::rotate(app, &staff, who, id).await,
            Err(_) => Err(AppError::NotFound("没有这个订阅对象")),
        };
        return match made {
            Ok(feed) => {
                let base = app.config.public_url.as_deref().unwrap_or("").trim_end_matches('/');
                let notice = format!("新的日历订阅链接（只显示这一次，请复制到日历应用；原链接已失效）：{base}{}", feed.calendar_url);
                tribunal_page(&state, jar, &staff, notice, String::new(), None, StatusCode::OK).await
            }
            Err(e) => page_error(&state, e).into_response(),
        };
    }
    let arbitrator = || f.id.trim().parse::<i64>().map_err(|_| AppError::field("id", "required", "请选择仲裁员"));
    let result: Result<Option<(Vec<i64>, ScheduleOutcome)>, AppError> = async {
        match action.as_str() {
            "arbitrator" => {
                let input = ArbitratorInput {
                    name: opt(&f.name),
                    presides: Some(!f.presides.is_empty()),
                    max_per_day: number(&f.max_per_day, "max_per_day", "每日开庭上限")?,
                };
                tribunal::add_arbitrator(app, &staff, &input).await.map(|_| None)
            }
            "room" => {
                let input = RoomInput { name: opt(&f.name), seats: number(&f.seats, "seats", "座位数")? };
                tribunal::add_room(app, &staff, &input).await.map(|_| None)
            }
            "edit-arbitrator" => {
                let input = ArbitratorEdit {
                    name: opt(&f.name),
                    presides: Some(!f.presides.is_empty()),
                    max_per_day: number(&f.max_per_day, "max_per_day", "每日开庭上限")?,
                    active: Some(!f.active.is_empty()),
                };
                tribunal::edit_arbitrator(app, &staff, arbitrator()?, &input).await.map(|_| None)
            }
            "edit-room" => {
                let room = f.id.trim().parse::<i64>().map_err(|_| AppError::NotFound("审理庭不存在"))?;
                let input =
                    RoomEdit { name: opt(&f.name), seats: number(&f.seats, "seats", "座位数")?, active: Some(!f.active.is_empty()) };
                tribunal::edit_room(app, &staff, room, &input).await.map(|_| None)
            }
            "leave" => {
                let input = LeaveInput { from: opt(&f.from), to: opt(&f.to), reason: opt(&f.reason) };
                let r = tribunal::add_leave(app, &staff, arbitrator()?, &input).await?;
                Ok(r.proposal.map(|p| (r.affected_hearing_ids, p)))
            }
            "recusal" => {
                let input = RecusalInput {
                    party_name: opt(&f.party_name),
                    id_number: opt(&f.id_number),
                    credit_code: opt(&f.credit_code),
                    reason: opt(&f.reason),
                };
                tribunal::add_recusal(app, &staff, arbitrator()?, &input).await.map(|_| None)
            }
            "propose" => {
                let ids = id_list(&f.hearing_ids, "hearing_ids")?;
                let input = ReplanInput { hearing_ids: Some(ids.clone()), dry_run: true, short_notice: None, reason: None };
                replan::replan(app, &staff, &input).await.map(|p| Some((ids, p)))
            }
            "replan" => {
                let input = ReplanInput {
                    hearing_ids: Some(id_list(&f.hearing_ids, "hearing_ids")?),
                    dry_run: false,
                    short_notice: None,
                    reason: opt(&f.reason),
                };
                replan::replan(app, &staff, &input).await.map(|_| None)
            }
            _ => Err(AppError::NotFound("没有这个操作")),
        }
    }
    .await;
    match result {
        Ok(Some(proposal)) => {
            let notice = if action == "propose" {
                format!("以下是 {} 场受影响庭审的改期方案，确认后才会改期：", proposal.0.len())
            } else {
                format!("已登记请假。请假期间有 {} 场已排定的庭审，以下是改期方案，确认后才会改期：", proposal.0.len())
            };
            tribunal_page(&state, jar, &staff, notice, String::new(), Some(proposal), StatusCode::OK).await
        }
        Ok(None) => Redirect::to(&format!("/staff/tribunal?done={action}")).into_response(),
        Err(e) => match form_error(e) {
            Ok((status, m)) => tribunal_page(&state, jar, &staff, String::new(), m, None, status).await,
            Err(e) => page_error(&state, e).into_response(),
        },
    }
}
