//! Document pages: downloads for signed-in staff, the arbitrator's award and mediation forms
//! (each with a preview of the PDF before it is issued), the court liaison
//! desk (search, a case's documents, the bundle) and the admin's access log.

use crate::http::pages::PageStaff;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::{check_csrf, csrf, form_error, no_store, page_error, render};
use crate::app::AppError;
use crate::app::accounts::Role;
use crate::app::award::{self, AwardInput, ElementInput, ItemInput};
use crate::app::cases::{self, CasePage, CaseView, ListQuery, Viewer};
use crate::app::documents;
use crate::http::AppState;
use crate::http::documents::file;
use crate::http::extract::id_of;
use crate::store::documents::AccessRow;

/// `GET /staff/documents/{id}`: the PDF as issued.
pub async fn document_download(State(state): State<AppState>, PageStaff(staff): PageStaff, Path(id): Path<String>) -> Response {
    let downloaded = match id_of(&id, "文书不存在") {
        Ok(id) => documents::download(&state.app, &staff, id).await,
        Err(e) => Err(e),
    };
    match downloaded {
        Ok(d) => file(d, "application/pdf"),
        Err(e) => page_error(&state, e).into_response(),
    }
}

/// `GET /staff/cases/{id}/bundle`: the ZIP for the court.
pub async fn bundle_download(State(state): State<AppState>, PageStaff(staff): PageStaff, Path(id): Path<String>) -> Response {
    match documents::bundle(&state.app, &staff, &id).await {
        Ok(d) => file(d, "application/zip"),
        Err(e) => page_error(&state, e).into_response(),
    }
}

/// `/staff/services/{id}/receipt.pdf`: the 送达回证 of a delivered service.
pub async fn receipt_download(State(state): State<AppState>, PageStaff(staff): PageStaff, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else { return page_error(&state, AppError::NotFound("送达记录不存在")).into_response() };
    match crate::app::service_papers::receipt(&state.app, &staff, id).await {
        Ok(d) => file(d, "application/pdf"),
        Err(e) => page_error(&state, e).into_response(),
    }
}

/// `/staff/cases/{id}/parties/{role}/{index}/service-address.pdf`: a party's 送达地址确认书.
pub async fn address_download(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    Path((id, role, index)): Path<(String, String, String)>,
) -> Response {
    let index = match crate::http::services::party_index(&role, &index) {
        Ok(i) => i,
        Err(e) => return page_error(&state, e).into_response(),
    };
    match crate::app::service_papers::address_confirmation(&state.app, &staff, &id, &role, index).await {
        Ok(d) => file(d, "application/pdf"),
        Err(e) => page_error(&state, e).into_response(),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LiaisonQuery {
    q: String,
    party_id: String,
    status: String,
    track: String,
    outcome: String,
    from: String,
    to: String,
}

#[derive(Template)]
#[template(path = "liaison.html")]
struct LiaisonPage<'a> {
    commission: &'a str,
    user: String,
    q: LiaisonQuery,
    searched: bool,
    page: Option<CasePage>,
    error: String,
    nav: Vec<super::nav::NavLink>,
}

impl LiaisonPage<'_> {
    fn selected(&self, field: &str, value: &str) -> bool {
        let v = match field {
            "status" => &self.q.status,
            "track" => &self.q.track,
            _ => &self.q.outcome,
        };
        v == value
    }
}

/// `GET /staff/liaison`: find cases by number, party, identity number or credit code, dates,
/// status, track and outcome.
pub async fn liaison_page(State(state): State<AppState>, PageStaff(staff): PageStaff, Query(q): Query<LiaisonQuery>) -> Response {
    let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let searched = [&q.q, &q.party_id, &q.status, &q.track, &q.outcome, &q.from, &q.to].iter().any(|s| !s.trim().is_empty());
    let (page, error) = if searched {
        let query = ListQuery {
            q: some(&q.q),
            party_id: some(&q.party_id),
            status: some(&q.status),
            track: some(&q.track),
            outcome: some(&q.outcome),
            from: some(&q.from),
            to: some(&q.to),
            page: None,
        };
        match cases::list(&state.app, &staff, &query).await.map_err(form_error) {
            Ok(p) => (Some(p), String::new()),
            Err(Ok((_, message))) => (None, message),
            Err(Err(e)) => return page_error(&state, e).into_response(),
        }
    } else {
        (None, String::new())
    };
    let nav = match super::nav::of(&state.app, &staff).await {
        Ok(n) => n,
        Err(e) => return page_error(&state, e).into_response(),
    };
    let user = staff.username.clone();
    no_store(render(LiaisonPage { commission: &state.app.config.commission_name, user, q, searched, page, error, nav }))
}

#[derive(Template)]
#[template(path = "award.html")]
struct AwardPage<'a> {
    commission: &'a str,
    csrf: String,
    c: CaseView,
    form: AwardForm,
    /// Per claim: final (Some(true)), non-final, or not decided here / not yet a valid amount.
    finality: Vec<Option<bool>>,
    error: String,
}

impl AwardPage<'_> {
    fn awarded(&self, i: &usize) -> String {
        self.form.awarded.get(*i).cloned().unwrap_or_default()
    }
    fn text(&self, i: &usize) -> String {
        self.form.text.get(*i).cloned().unwrap_or_default()
    }
    fn reasons(&self, i: &usize) -> String {
        self.form.reasons.get(*i).cloned().unwrap_or_default()
    }
    fn final_tag(&self, i: &usize) -> &'static str {
        match self.finality.get(*i).copied().flatten() {
            Some(true) => "终局",
            Some(false) => "非终局",
            None => "",
        }
    }
    /// The items as they stand would make two awards (…-1号 final, …-2号 not).
    fn splits(&self) -> bool {
        let decided: Vec<bool> = self.finality.iter().flatten().copied().collect();
        decided.contains(&true) && decided.contains(&false)
    }
    fn closed(&self) -> bool {
        self.c.status == crate::law::case::Status::Closed
    }
}

/// The award form as posted: one amount, one wording and the reasons of each claim, in claim
/// order; for the element-style award, its elements.
#[derive(Debug, Default, Clone)]
struct AwardForm {
    findings: String,
    reasoning: String,
    defence: String,
    dismiss: bool,
    awarded: Vec<String>,
    text: Vec<String>,
    reasons: Vec<String>,
    /// The element-style award (要素式裁决书).
    element_style: bool,
    elements: Vec<ElementRow>,
}

/// One element row of the form.
#[derive(Debug, Default, Clone)]
struct ElementRow {
    name: String,
    applicant: String,
    respondent: String,
    disputed: bool,
    finding: String,
}

/// Blank element rows the form offers beyond those filled in.
const SPARE_ELEMENTS: usize = 2;

/// The elements a small claim usually turns on, filled in from the registration: the drafting
/// the element-style award saves.
fn elements_from(c: &CaseView) -> Vec<ElementRow> {
    let row =
        |name: &str, applicant: String, disputed: bool| ElementRow { name: name.into(), applicant, disputed, ..ElementRow::default() };
    let day = |d: chrono::NaiveDate| crate::documents::kinds::chinese_date(d);
    let mut rows = vec![row("入职时间", format!("{}入职", day(c.employment.start)), false)];
    rows.push(row("离职时间", c.employment.end.map(|d| format!("{}离职", day(d))).unwrap_or_else(|| "仍在职".into()), false));
    if let Some(w) = &c.employment.monthly_wage {
        rows.push(row("月工资标准", format!("{w}元"), false));
    }
    for cl in &c.claims {
        let asked = cl.amount.as_deref().map(|a| format!("，请求{a}元")).unwrap_or_default();
        rows.push(row(&cl.kind_label, format!("{}{asked}", cl.description), true));
    }
    rows.extend(std::iter::repeat_n(ElementRow::default(), SPARE_ELEMENTS));
    rows
}

impl AwardForm {
    fn from_pairs(pairs: &[(String, String)], claims: usize) -> (String, AwardForm) {
        let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
        let list = |prefix: &str| (0..claims).map(|i| get(&format!("{prefix}{i}"))).collect();
        let rows = pairs.iter().filter(|(k, _)| k.starts_with("el_name_")).count().min(40);
        let elements = (0..rows)
            .map(|i| ElementRow {
                name: get(&format!("el_name_{i}")),
                applicant: get(&format!("el_applicant_{i}")),
                respondent: get(&format!("el_respondent_{i}")),
                disputed: get(&format!("el_disputed_{i}")) == "on",
                finding: get(&format!("el_finding_{i}")),
            })
            .collect();
        (
            get("csrf"),
            AwardForm {
                findings: get("findings"),
                reasoning: get("reasoning"),
                defence: get("defence"),
                dismiss: get("dismiss") == "on",
                awarded: list("awarded_"),
                text: list("text_"),
                reasons: list("reasons_"),
                element_style: get("style") == "element",
                elements,
            },
        )
    }

    /// A claim left without an amount and wording is not decided in this award.
    fn input(&self) -> AwardInput {
        let items = (0..self.awarded.len())
            .filter(|&i| !self.awarded[i].trim().is_empty() || !self.text[i].trim().is_empty())
            .map(|i| ItemInput {
                claim: Some(i as i64),
                awarded: Some(self.awarded[i].clone()),
                text: Some(self.text[i].clone()),
                reasoning: self.reasons.get(i).cloned().filter(|r| !r.trim().is_empty()),
            })
            .collect();
        // Rows left wholly blank are the spare ones.
        let elements = self.element_style.then(|| {
            self.elements
                .iter()
                .filter(|e| !(e.name.trim().is_empty() && e.applicant.trim().is_empty() && e.finding.trim().is_empty()))
                .map(|e| ElementInput {
                    name: Some(e.name.clone()),
                    applicant: Some(e.applicant.clone()),
                    respondent: Some(e.respondent.clone()),
                    disputed: Some(e.disputed),
                    finding: Some(e.finding.clone()),
                })
                .collect()
        });
        AwardInput {
            findings: Some(self.findings.clone()),
            reasoning: Some(self.reasoning.clone()),
            defence: Some(self.defence.clone()),
            items: Some(items),
            dismiss_other_claims: Some(self.dismiss),
            elements,
        }
    }
}

async fn award_page(
    state: &AppState,
    jar: CookieJar,
    staff: &crate::app::accounts::Staff,
    id: &str,
    form: Result<AwardForm, bool>,
    error: String,
    status: StatusCode,
) -> Response {
    // `Err(element_style)`: a new form of that style.
    let (form, element_style) = match form {
        Ok(f) => (Some(f), false),
        Err(style) => (None, style),
    };
    let c = match cases::get(&state.app, id, Viewer::Staff(staff)).await {
        Ok(c) => c,
        Err(e) => return page_error(state, e).into_response(),
    };
    // Nothing is pre-ticked or pre-filled that the tribunal has not decided: the wording says who
    // pays what; the sum (in figures and words) is added by the document.
    let form = form.unwrap_or_else(|| AwardForm {
        awarded: c.claims.iter().map(|cl| cl.amount.clone().unwrap_or_default()).collect(),
        text: c.claims.iter().map(|cl| format!("被申请人于本裁决生效之日起五日内支付申请人{}", cl.description)).collect(),
        reasons: vec![String::new(); c.claims.len()],
        element_style,
        elements: if element_style { elements_from(&c) } else { Vec::new() },
        ..AwardForm::default()
    });
    let decided: Vec<(String, String)> =
        c.claims.iter().zip(&form.awarded).map(|(cl, a)| (cl.kind.code().to_string(), a.clone())).collect();
    let finality = match award::finality_of(&state.app, &decided) {
        Ok(f) => f,
        Err(e) => return page_error(state, e).into_response(),
    };
    let (jar, token) = csrf(jar);
    let page = AwardPage { commission: &state.app.config.commission_name, csrf: token, c, form, finality, error };
    let mut res = (jar, render(page)).into_response();
    *res.status_mut() = status;
    no_store(res)
}

/// Which award form: `?style=element` for the element-style award.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AwardStyle {
    style: String,
}

/// `GET /staff/cases/{id}/award`: the award form, one line per claim (`?style=element`: the
/// element-style award, its elements filled in from the registration).
pub async fn award_form(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Path(id): Path<String>,
    Query(q): Query<AwardStyle>,
) -> Response {
    if staff.role != Role::Arbitrator {
        return page_error(&state, AppError::Forbidden).into_response();
    }
    award_page(&state, jar, &staff, &id, Err(q.style == "element"), String::new(), StatusCode::OK).await
}

/// What a form's button asks: issue the document, or show it as it would be issued.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Act {
    Issue,
    Preview,
}

/// `POST /staff/cases/{id}/award`: issue it, or show the form again with what is wrong.
pub async fn award_submit(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    award_act(&state, &staff, jar, &id, &pairs, Act::Issue).await
}

/// `POST /staff/cases/{id}/award/preview`: the award as it would be issued, as a PDF to read
/// (nothing is stored); or the form again with what is wrong.
pub async fn award_preview(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    award_act(&state, &staff, jar, &id, &pairs, Act::Preview).await
}

async fn award_act(
    state: &AppState,
    staff: &crate::app::accounts::Staff,
    jar: CookieJar,
    id: &str,
    pairs: &[(String, String)],
    act: Act,
) -> Response {
    let claims = pairs.iter().filter(|(k, _)| k.starts_with("awarded_")).count().min(50);
    let (sent, form) = AwardForm::from_pairs(pairs, claims);
    if let Err(e) = check_csrf(state, &jar, &sent) {
        return e.into_response();
    }
    let done = match act {
        Act::Issue => award::award(&state.app, staff, id, &form.input()).await.map(|_| None),
        Act::Preview => award::preview_award(&state.app, staff, id, &form.input()).await.map(Some),
    };
    match done.map_err(form_error) {
        Ok(None) => Redirect::to(&format!("/staff/cases/{id}?done=award")).into_response(),
        Ok(Some(p)) => preview_pdf(p),
        // The form comes back with what was typed, whatever the refusal.
        Err(Ok((_, message))) => award_page(state, jar, staff, id, Ok(form), message, StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(Err(e)) => page_error(state, e).into_response(),
    }
}

/// A preview shown in the browser, never cached, named as not issued.
fn preview_pdf(p: award::Preview) -> Response {
    use axum::http::header;
    let name = format!("{}（预览，未作出）.pdf", p.parts.first().map(|(_, k)| k.title()).unwrap_or("文书"));
    let disposition = format!("inline; filename*=UTF-8''{}", crate::http::documents::urlencode(&name));
    no_store(([(header::CONTENT_TYPE, "application/pdf".to_string()), (header::CONTENT_DISPOSITION, disposition)], p.pdf).into_response())
}

#[derive(Template)]
#[template(path = "mediation.html")]
struct MediationPage<'a> {
    commission: &'a str,
    csrf: String,
    c: CaseView,
    rows: Vec<(String, String)>,
    error: String,
}

impl MediationPage<'_> {
    fn closed(&self) -> bool {
        self.c.status == crate::law::case::Status::Closed
    }
}

/// Rows of the mediation form: as many as were posted, at least five.
const MEDIATION_ROWS: usize = 5;

fn mediation_rows(pairs: &[(String, String)]) -> (String, Vec<(String, String)>) {
    let get = |k: String| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let n = pairs.iter().filter(|(k, _)| k.starts_with("awarded_")).count().clamp(MEDIATION_ROWS, 50);
    (get("csrf".into()), (0..n).map(|i| (get(format!("awarded_{i}")), get(format!("text_{i}")))).collect())
}

fn mediation_input(rows: &[(String, String)]) -> award::MediationInput {
    let items = rows
        .iter()
        .filter(|(a, t)| !a.trim().is_empty() || !t.trim().is_empty())
        .map(|(a, t)| ItemInput { claim: None, awarded: Some(a.clone()), text: Some(t.clone()), reasoning: None })
        .collect();
    award::MediationInput { items: Some(items) }
}

async fn mediation_page(
    state: &AppState,
    jar: CookieJar,
    staff: &crate::app::accounts::Staff,
    id: &str,
    rows: Option<Vec<(String, String)>>,
    error: String,
    status: StatusCode,
) -> Response {
    let c = match cases::get(&state.app, id, Viewer::Staff(staff)).await {
        Ok(c) => c,
        Err(e) => return page_error(state, e).into_response(),
    };
    let rows = rows.unwrap_or_else(|| vec![(String::new(), String::new()); MEDIATION_ROWS]);
    let (jar, token) = csrf(jar);
    let mut res =
        (jar, render(MediationPage { commission: &state.app.config.commission_name, csrf: token, c, rows, error })).into_response();
    *res.status_mut() = status;
    no_store(res)
}

/// `GET /staff/cases/{id}/mediation`: the mediation statement's form (调解书, Law Art. 42).
pub async fn mediation_form(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Path(id): Path<String>,
) -> Response {
    if staff.role != Role::Arbitrator {
        return page_error(&state, AppError::Forbidden).into_response();
    }
    mediation_page(&state, jar, &staff, &id, None, String::new(), StatusCode::OK).await
}

/// `POST /staff/cases/{id}/mediation`: issue it, or the form again with what is wrong.
pub async fn mediation_submit(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    mediation_act(&state, &staff, jar, &id, &pairs, Act::Issue).await
}

/// `POST /staff/cases/{id}/mediation/preview`: the statement as it would be issued, as a PDF.
pub async fn mediation_preview(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    mediation_act(&state, &staff, jar, &id, &pairs, Act::Preview).await
}

async fn mediation_act(
    state: &AppState,
    staff: &crate::app::accounts::Staff,
    jar: CookieJar,
    id: &str,
    pairs: &[(String, String)],
    act: Act,
) -> Response {
    let (sent, rows) = mediation_rows(pairs);
    if let Err(e) = check_csrf(state, &jar, &sent) {
        return e.into_response();
    }
    let input = mediation_input(&rows);
    let done = match act {
        Act::Issue => award::mediation(&state.app, staff, id, &input).await.map(|_| None),
        Act::Preview => award::preview_mediation(&state.app, staff, id, &input).await.map(Some),
    };
    match done.map_err(form_error) {
        Ok(None) => Redirect::to(&format!("/staff/cases/{id}?done=mediation")).into_response(),
        Ok(Some(p)) => preview_pdf(p),
        Err(Ok((_, message))) => mediation_page(state, jar, staff, id, Some(rows), message, StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(Err(e)) => page_error(state, e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "access_log.html")]
struct AccessLogPage<'a> {
    commission: &'a str,
    rows: Vec<AccessRow>,
    q: AccessQuery,
    error: String,
}

/// The access log's filters, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct AccessQuery {
    case: String,
    username: String,
    action: String,
}

/// What each action of the log is called.
const ACTIONS: [(&str, &str); 5] =
    [("search", "查询"), ("view_case", "查看案件"), ("list_documents", "查看文书目录"), ("download", "下载文书"), ("bundle", "下载卷宗")];

impl AccessLogPage<'_> {
    fn action_label(&self, a: &str) -> &'static str {
        ACTIONS.iter().find(|(c, _)| *c == a).map_or("其他", |(_, l)| l)
    }
    fn actions(&self) -> &'static [(&'static str, &'static str)] {
        &ACTIONS
    }
    fn role_label(&self, r: &str) -> &'static str {
        Role::parse(r).map_or("", Role::label)
    }
    fn local(&self, at: &str) -> String {
        crate::time::local_text(at)
    }
}

/// `GET /staff/access-log` (admin): the latest 500 entries, by case (案号 or id), account and action.
pub async fn access_log_page(State(state): State<AppState>, PageStaff(staff): PageStaff, Query(q): Query<AccessQuery>) -> Response {
    let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let mut error = String::new();
    let case_id = match some(&q.case) {
        None => None,
        Some(typed) => match documents::case_id_of(&state.app, &typed).await {
            Ok(Some(id)) => Some(id),
            Ok(None) => {
                error = format!("没有案号或编号为“{typed}”的案件");
                Some(String::new())
            }
            Err(e) => return page_error(&state, e).into_response(),
        },
    };
    let filter = crate::store::documents::AccessFilter { case_id, username: some(&q.username), action: some(&q.action) };
    match documents::access_log(&state.app, &staff, &filter).await {
        Ok(rows) => no_store(render(AccessLogPage { commission: &state.app.config.commission_name, rows, q, error })),
        Err(e) => page_error(&state, e).into_response(),
    }
}
