//! The parties' pages (issue 22): sign-in with the case's id or 案号 and the party's own code, the
//! case as that party sees it, the respondent's defence (with the waiver of the defence period),
//! evidence uploads, and the downloads of what was served on the party. A party's session is a
//! cookie holding the same token `POST /api/v1/party/login` answers.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;

use super::{PageError, check_csrf, csrf, no_store, page_error, render, rotate_csrf};
use crate::app::AppError;
use crate::app::evidence;
use crate::app::parties::{self, DefenceInput, LoginInput, Party};
use crate::app::party_requests;
use crate::app::party_view::{self, PartyCase};
use crate::http::AppState;
use crate::http::limit::ClientAddr;

const PARTY_COOKIE: &str = "gl_party";

/// The cookie of a party's session on the pages.
pub(super) fn session_cookie(token: String) -> Cookie<'static> {
    Cookie::build((PARTY_COOKIE, token)).http_only(true).same_site(SameSite::Lax).path("/").build()
}

/// The party signed in to the pages; without a running session, the sign-in page.
pub struct PageParty(pub Party);

impl axum::extract::FromRequestParts<AppState> for PageParty {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(c) = jar.get(PARTY_COOKIE) else { return Err(Redirect::to("/status").into_response()) };
        match parties::authenticate(&state.app, c.value()).await {
            Ok(Some(p)) => Ok(PageParty(p)),
            Ok(None) => Err(Redirect::to("/status?expired=1").into_response()),
            Err(e) => Err(page_error(state, e).into_response()),
        }
    }
}

#[derive(Template)]
#[template(path = "status_lookup.html")]
struct SignInPage<'a> {
    commission: &'a str,
    csrf: String,
    case_ref: String,
    error: String,
    case_error: String,
    code_error: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignInQuery {
    expired: Option<String>,
}

/// `GET /status`: the parties' sign-in.
pub async fn sign_in_form(State(state): State<AppState>, jar: CookieJar, Query(q): Query<SignInQuery>) -> Response {
    let (jar, token) = csrf(jar);
    let error = if q.expired.is_some() { "登录已过期，请重新登录。".to_string() } else { String::new() };
    let page = SignInPage {
        commission: &state.app.config.commission_name,
        csrf: token,
        case_ref: String::new(),
        error,
        case_error: String::new(),
        code_error: String::new(),
    };
    (jar, no_store(render(page))).into_response()
}

/// The sign-in form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignInForm {
    csrf: String,
    case: String,
    code: String,
}

/// `POST /status`: signs the party in and sends it to its case (post/redirect/get).
pub async fn sign_in(
    State(state): State<AppState>,
    ClientAddr(from): ClientAddr,
    jar: CookieJar,
    Form(f): Form<SignInForm>,
) -> Result<Response, PageError> {
    check_csrf(&state, &jar, &f.csrf)?;
    let input = LoginInput { case: Some(f.case.clone()), code: Some(f.code.clone()) };
    let again = |status: StatusCode, error: String, case_error: String, code_error: String| {
        let page = SignInPage {
            commission: &state.app.config.commission_name,
            csrf: f.csrf.clone(),
            case_ref: f.case.clone(),
            error,
            case_error,
            code_error,
        };
        let mut res = no_store(render(page));
        *res.status_mut() = status;
        res
    };
    match parties::login(&state.app, &input, from).await {
        Ok(s) => Ok((rotate_csrf(jar.add(session_cookie(s.token))), Redirect::to("/status/case")).into_response()),
        Err(AppError::Validation(fields)) => {
            let of = |name: &str| fields.iter().find(|e| e.field == name).map(|e| e.message.clone()).unwrap_or_default();
            Ok(again(StatusCode::UNPROCESSABLE_ENTITY, "请填写案件编号或案号，以及登录码。".into(), of("case"), of("code")))
        }
        Err(AppError::Unauthenticated) => Ok(again(
            StatusCode::UNAUTHORIZED,
            "案件编号（案号）或登录码不正确。申请人的登录码是申请时显示的查询码；被申请人的登录码印在应诉通知书上。".into(),
            String::new(),
            String::new(),
        )),
        Err(e) => Err(page_error(&state, e)),
    }
}

/// `POST /status/sign-out`.
pub async fn sign_out(State(state): State<AppState>, jar: CookieJar, Form(f): Form<super::staff::CsrfOnly>) -> Result<Response, PageError> {
    check_csrf(&state, &jar, &f.csrf)?;
    Ok((jar.remove(Cookie::build(PARTY_COOKIE).path("/")), Redirect::to("/status")).into_response())
}

#[derive(Template)]
#[template(path = "party_case.html")]
struct CasePage<'a> {
    commission: &'a str,
    csrf: String,
    p: PartyCase,
    status_label: &'static str,
    track_label: &'static str,
    /// What the last action did, or why it was refused.
    notice: String,
    error: String,
    defence_text: String,
    evidence_name: String,
    evidence_purpose: String,
    request_reason: String,
    max_mb: usize,
    max_files: i64,
}

impl CasePage<'_> {
    fn is_respondent(&self) -> bool {
        self.p.role == "respondent"
    }

    fn role_label(&self) -> &'static str {
        if self.is_respondent() { "被申请人" } else { "申请人" }
    }

    fn review_label(review: &str) -> &'static str {
        match review {
            "accepted" => "已接收",
            "returned" => "已退回",
            _ => "待审查",
        }
    }

    fn side_label(role: &str) -> &'static str {
        if role == "respondent" { "被申请人" } else { "申请人" }
    }

    fn local(text: &str) -> String {
        crate::time::local_text(text)
    }

    /// A legal day (`YYYY-MM-DD`) in Chinese.
    fn day(text: &str) -> String {
        crate::documents::kinds::chinese_date_text(text)
    }

    fn size_text(bytes: &i64) -> String {
        if *bytes >= 1024 * 1024 { format!("{:.1} MB", *bytes as f64 / 1048576.0) } else { format!("{} KB", (*bytes + 1023) / 1024) }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CaseQuery {
    done: Option<String>,
}

/// What a finished action says on the page it returns to.
fn done_text(done: Option<&str>) -> String {
    match done {
        Some("defence") => "答辩书已提交，仲裁委员会和申请人会收到。".into(),
        Some("waived") => "答辩书已提交，并已放弃答辩期。仲裁委员会可以更早安排开庭。".into(),
        Some("evidence") => "证据已上传，等待仲裁委员会审查（5个工作日内）。".into(),
        Some("answers") => "送达地址和程序意见已确认。同意网上送达的，待送达的文书已改在本平台送达。".into(),
        Some("request") => "申请已提交，仲裁委员会作出决定后会在本页显示。".into(),
        _ => String::new(),
    }
}

struct Kept {
    status: StatusCode,
    error: String,
    defence_text: String,
    evidence_name: String,
    evidence_purpose: String,
    request_reason: String,
}

impl Kept {
    fn empty() -> Self {
        Kept {
            status: StatusCode::OK,
            error: String::new(),
            defence_text: String::new(),
            evidence_name: String::new(),
            evidence_purpose: String::new(),
            request_reason: String::new(),
        }
    }
}

async fn case_page(state: &AppState, jar: CookieJar, party: &Party, notice: String, kept: Option<Kept>) -> Result<Response, PageError> {
    let p = party_view::of_party(&state.app, party).await.map_err(|e| page_error(state, e))?;
    let (jar, token) = csrf(jar);
    let kept = kept.unwrap_or_else(Kept::empty);
    let page = CasePage {
        commission: &state.app.config.commission_name,
        csrf: token,
        status_label: p.case.status.label(),
        track_label: p.case.track.label(),
        p,
        notice,
        error: kept.error,
        defence_text: kept.defence_text,
        evidence_name: kept.evidence_name,
        evidence_purpose: kept.evidence_purpose,
        request_reason: kept.request_reason,
        max_mb: state.app.config.evidence_max_mb,
        max_files: state.app.config.evidence_max_files,
    };
    let mut res = no_store(render(page));
    *res.status_mut() = kept.status;
    Ok((jar, res).into_response())
}

/// `GET /status/case`: the signed-in party's case.
pub async fn case(
    State(state): State<AppState>,
    PageParty(party): PageParty,
    jar: CookieJar,
    Query(q): Query<CaseQuery>,
) -> Result<Response, PageError> {
    case_page(&state, jar, &party, done_text(q.done.as_deref()), None).await
}

/// The defence form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DefenceForm {
    csrf: String,
    text: String,
    waive: Option<String>,
}

/// `POST /status/defence`: the respondent's defence, perhaps with the waiver of the defence period.
pub async fn defence(
    State(state): State<AppState>,
    PageParty(party): PageParty,
    jar: CookieJar,
    Form(f): Form<DefenceForm>,
) -> Result<Response, PageError> {
    check_csrf(&state, &jar, &f.csrf)?;
    let input = DefenceInput { text: Some(f.text.clone()), waive_defence_period: Some(f.waive.is_some()) };
    let done = parties::defend(&state.app, &party, &party.case_id, &input).await;
    let to = if done.as_ref().is_ok_and(|v| v.waived) { "/status/case?done=waived" } else { "/status/case?done=defence" };
    after(&state, jar, &party, done, to, Kept { defence_text: f.text, ..Kept::empty() }).await
}

/// Where a form of the case page goes next: on success to `to` (post/redirect/get); on a refusal it
/// can explain, back to the page with the error and what was typed (`kept`).
async fn after<T>(
    state: &AppState,
    jar: CookieJar,
    party: &Party,
    done: Result<T, AppError>,
    to: &str,
    kept: Kept,
) -> Result<Response, PageError> {
    match done {
        Ok(_) => Ok(Redirect::to(to).into_response()),
        Err(e) => {
            let (status, error) = super::form_error(e).map_err(|e| page_error(state, e))?;
            case_page(state, jar, party, String::new(), Some(Kept { status, error, ..kept })).await
        }
    }
}

/// The address confirmation and answers as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AnswersForm {
    csrf: String,
    address: String,
    phone: String,
    email: String,
    platform: Option<String>,
    email_service: Option<String>,
    sms_notice: Option<String>,
    electronic_awards: Option<String>,
    simplified: Option<String>,
    informal_service: Option<String>,
    mediation: Option<String>,
}

/// `POST /status/answers`: the party's 送达地址确认书 and procedural answers.
pub async fn answers(
    State(state): State<AppState>,
    PageParty(party): PageParty,
    jar: CookieJar,
    Form(f): Form<AnswersForm>,
) -> Result<Response, PageError> {
    check_csrf(&state, &jar, &f.csrf)?;
    let some = |s: &str| Some(s.to_string());
    let input = party_requests::AnswersInput {
        address: crate::app::addresses::AddressInput {
            address: some(&f.address),
            phone: some(&f.phone),
            email: some(&f.email),
            platform: Some(f.platform.is_some()),
            sms_notice: Some(f.sms_notice.is_some()),
            email_service: Some(f.email_service.is_some()),
            electronic_awards: Some(f.electronic_awards.is_some()),
        },
        simplified: Some(f.simplified.is_some()),
        informal_service: Some(f.informal_service.is_some()),
        mediation: Some(f.mediation.is_some()),
    };
    let done = party_requests::answer(&state.app, &party, &party.case_id, &input).await;
    after(&state, jar, &party, done, "/status/case?done=answers", Kept::empty()).await
}

/// A request as posted from the page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RequestForm {
    csrf: String,
    kind: String,
    reason: String,
    arbitrator_id: String,
    confirm: Option<String>,
}

/// `POST /status/requests`: a postponement, recusal or withdrawal request.
pub async fn request(
    State(state): State<AppState>,
    PageParty(party): PageParty,
    jar: CookieJar,
    Form(f): Form<RequestForm>,
) -> Result<Response, PageError> {
    check_csrf(&state, &jar, &f.csrf)?;
    let input = party_requests::RequestInput {
        kind: Some(f.kind.clone()),
        reason: Some(f.reason.clone()),
        arbitrator_id: f.arbitrator_id.trim().parse().ok(),
        confirm: Some(f.confirm.is_some()),
    };
    let done = party_requests::request(&state.app, &party, &party.case_id, &input).await;
    after(&state, jar, &party, done, "/status/case?done=request#requests", Kept { request_reason: f.reason, ..Kept::empty() }).await
}

/// `POST /status/evidence`: one evidence file from the page's form (`multipart/form-data`).
pub async fn upload(
    State(state): State<AppState>,
    PageParty(party): PageParty,
    jar: CookieJar,
    mut form: Multipart,
) -> Result<Response, PageError> {
    let (mut sent_csrf, mut name, mut purpose, mut bytes) = (String::new(), String::new(), String::new(), Vec::new());
    let mut broken = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let key = field.name().unwrap_or_default().to_string();
                let read = if key == "file" { field.bytes().await.map(|b| b.to_vec()) } else { field.text().await.map(String::into_bytes) };
                match read {
                    Ok(v) => match key.as_str() {
                        "csrf" => sent_csrf = String::from_utf8_lossy(&v).into_owned(),
                        "name" => name = String::from_utf8_lossy(&v).into_owned(),
                        "purpose" => purpose = String::from_utf8_lossy(&v).into_owned(),
                        "file" => bytes = v,
                        _ => {}
                    },
                    Err(e) => {
                        broken = Some(e);
                        break;
                    }
                }
            }
            Ok(None) => break,
            Err(e) => {
                broken = Some(e);
                break;
            }
        }
    }
    check_csrf(&state, &jar, &sent_csrf)?;
    let result = match broken {
        Some(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(AppError::field(
            "file",
            "too_large",
            format!("每个文件不能超过 {} MB，请压缩或分成几份上传", state.app.config.evidence_max_mb),
        )),
        Some(_) => Err(AppError::Conflict("上传没有完成，没有保存任何内容。请检查网络后重新上传。".into())),
        None => {
            let u = evidence::Upload { name: Some(&name), purpose: Some(&purpose), bytes: &bytes };
            evidence::upload(&state.app, &party, &party.case_id, &u).await.map(|_| ())
        }
    };
    let kept = Kept { evidence_name: name, evidence_purpose: purpose, ..Kept::empty() };
    after(&state, jar, &party, result, "/status/case?done=evidence#evidence", kept).await
}

/// `GET /status/documents/{id}`: a document served on the party; opening it is the platform's
/// delivery (CPL Art. 90).
pub async fn document(State(state): State<AppState>, PageParty(party): PageParty, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = id.parse::<i64>().map_err(|_| page_error(&state, AppError::NotFound("文书不存在")))?;
    let d = crate::app::services::party_download(&state.app, &party, id).await.map_err(|e| page_error(&state, e))?;
    Ok(crate::http::documents::file(d, "application/pdf"))
}

/// `GET /status/evidence/{id}`: an evidence file the party may see.
pub async fn evidence_file(
    State(state): State<AppState>,
    PageParty(party): PageParty,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = id.parse::<i64>().map_err(|_| page_error(&state, AppError::NotFound("证据不存在")))?;
    let (d, mime) = evidence::download(&state.app, evidence::Viewer::Party(&party), id).await.map_err(|e| page_error(&state, e))?;
    Ok(crate::http::documents::file(d, mime))
}
