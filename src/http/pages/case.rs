//! The clerk's case page: the case, its deadlines with their articles, decisions and clock events.

use crate::http::pages::PageStaff;
use crate::law::case::Status;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;

use super::{check_csrf, csrf, page_error, render, status_label};
use crate::http::AppState;
use chrono::NaiveDate;

use crate::app::accounts::{Role, Staff};
use crate::app::cases::{self, CaseView, Viewer};
use crate::app::clock::{self, AwardServedInput, ClockAction, ClockEventInput};
use crate::app::court::CourtOutcomeInput;
use crate::app::services::{self, ServiceView};
use crate::app::withdraw::{self, WithdrawInput};
use crate::app::{AppError, decide};
use crate::law::clock::{AwardKind, RestartCause, SuspensionGround};
use crate::law::routing::Track;

/// One deadline of a case as the case page lists it.
struct DeadlineLine {
    label: String,
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
    is_arbitrator: bool,
    can_bundle: bool,
    /// Liaison staff and admins record what the court did after an award.
    can_record_court: bool,
    /// The case's awards with what the court did with each.
    court_parts: Vec<crate::app::court::AwardPart>,
    notice: String,
    error: String,
    tracks: Vec<(&'static str, &'static str)>,
    /// The grounds of refusal this commission offers: code, label and articles.
    refusal_grounds: Vec<(&'static str, &'static str, &'static str)>,
    deadlines: Vec<DeadlineLine>,
    grounds: Vec<(&'static str, &'static str)>,
    causes: Vec<(&'static str, &'static str)>,
    today: NaiveDate,
    /// Every service of every document, with its steps (the service timeline).
    services: Vec<ServiceView>,
    can_serve: bool,
    /// The parties' evidence, with the clerk's review.
    evidence: Vec<crate::app::evidence::EvidenceView>,
}

impl CasePageT<'_> {
    /// The awards and mediation statements a clerk may record as served (originals only).
    fn awards(&self) -> Vec<&crate::app::documents::DocumentView> {
        self.c
            .documents
            .iter()
            .filter(|d| d.corrects.is_none() && matches!(d.kind.as_str(), "award_final" | "award_nonfinal" | "mediation"))
            .collect()
    }

    /// What an award or mediation statement is, for the closed case's summary.
    fn award_label(&self, kind: &str) -> &'static str {
        match kind {
            "award_final" => "终局裁决（作出之日起生效；劳动者可起诉，用人单位可申请撤销）",
            "award_nonfinal" => "非终局裁决（双方均可在收到后十五日内起诉）",
            "mediation" => "调解书（双方签收后生效）",
            _ => "",
        }
    }

    /// What the court did with an award, as the closed case's summary says it.
    fn court_of(&self, document_id: &i64) -> String {
        let part = self.court_parts.iter().find(|p| p.document_id == *document_id);
        match part.and_then(|p| p.court.as_ref()) {
            Some(c) => {
                let result = c.record.result.map(|r| format!("（{}）", r.label())).unwrap_or_default();
                format!(
                    "法院阶段：{}{result}，{}登记",
                    c.record.outcome.label(),
                    crate::documents::kinds::chinese_date_text(&c.recorded_on)
                )
            }
            None if part.is_some() => "法院阶段：尚未登记".into(),
            None => String::new(),
        }
    }

    fn court_outcomes(&self) -> Vec<(&'static str, &'static str)> {
        crate::law::court::CourtOutcome::ALL.iter().map(|o| (o.code(), o.label())).collect()
    }

    fn court_results(&self) -> Vec<(&'static str, &'static str)> {
        crate::law::court::CourtResult::ALL.iter().map(|r| (r.code(), r.label())).collect()
    }

    fn running(&self) -> bool {
        matches!(self.c.status, Status::Accepted | Status::Scheduled | Status::Heard)
    }

    /// Evidence files still waiting for the clerk's review.
    fn evidence_pending(&self) -> usize {
        self.evidence.iter().filter(|e| e.review == "pending").count()
    }

    /// A stored time as the commission reads it (Beijing time, Chinese date).
    fn local(&self, stamp: &str) -> String {
        crate::time::local_text(stamp)
    }

    /// An entry of the case's record in the commission's words.
    fn action(&self, code: &str) -> &'static str {
        match code {
            "registered" => "收到仲裁申请",
            "accepted" => "受理",
            "rejected" => "不予受理",
            "track_converted" => "程序转换",
            "track_overridden" => "调整程序",
            "deadlines_recomputed" => "期限重新计算",
            "document_issued" => "制作文书",
            "document_corrected" => "补正文书",
            "document_placeholder" => "文书缺字待手写补正",
            "service_address" => "送达地址确认",
            "notifications" => "案件进展提醒",
            "defence" => "提交答辩",
            "party_answers" => "当事人网上确认程序事项",
            "recusal_requested" => "申请回避",
            "recusal_decided" => "回避申请决定",
            "withdrawal_requested" => "申请撤回仲裁申请",
            "withdrawal_decided" => "撤回申请决定",
            "hearing_planned" => "安排开庭",
            "hearing_moved" => "变更开庭",
            "hearing_cancelled" => "取消开庭",
            "hearing_held" => "开庭审理",
            "hearing_notice_served" => "开庭通知送达",
            "postponement_requested" => "申请延期开庭",
            "postponement_decided" => "延期开庭决定",
            "award_made" => "作出裁决",
            "award_served" => "裁决书送达",
            "mediated" => "调解结案",
            "withdrawn" => "撤回仲裁申请",
            "court_outcome" => "法院阶段情况",
            "copy_served" => "申请书副本送达",
            "tribunal_notified" => "仲裁庭组成通知送达",
            "defence_waived" => "放弃或缩短答辩期",
            "suspended" => "中止审理",
            "resumed" => "恢复审理",
            "extended" => "延长审限",
            "restarted" => "审限重新计算",
            "public_notice" => "公告送达",
            _ => "其他事项",
        }
    }

    /// A status or track recorded before or after an entry, in words.
    fn state(&self, code: &str) -> &'static str {
        Status::parse(code).map(status_label).or_else(|| Track::parse(code).map(Track::label)).unwrap_or("")
    }

    /// A stored `YYYY-MM-DD` as a Chinese date.
    fn day(&self, text: &str) -> String {
        crate::documents::kinds::chinese_date_text(text)
    }

    fn fast_track(&self) -> bool {
        matches!(self.c.track, Track::Green | Track::Simple)
    }
}

/// Every deadline of the case, each with its article, in date order.
fn deadline_lines(c: &CaseView) -> Vec<DeadlineLine> {
    let d = &c.deadlines;
    let accept_by = if c.status == Status::Filed { d.accept_by } else { None };
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
    .filter_map(|(date, field, label, basis)| {
        date.map(|date| DeadlineLine { label: label.to_string(), date, basis, provisional: provisional(field) })
    })
    .collect();
    if let Some(appeal) = &d.appeal {
        let split = appeal.windows().len() > 1;
        for a in appeal.windows() {
            let which = match a.kind {
                AwardKind::Final => "终局裁决",
                AwardKind::NonFinal => "非终局裁决",
                AwardKind::Mediation => "调解书",
            };
            let prefix = if split { format!("{which}：") } else { String::new() };
            let effective = if a.kind == AwardKind::Mediation { "调解书生效日" } else { "裁决生效日" };
            let effective_basis = match a.kind {
                AwardKind::Final => "调解仲裁法第四十七条：终局裁决自作出之日起生效",
                AwardKind::NonFinal => "调解仲裁法第五十条：双方起诉期限届满未起诉即生效",
                AwardKind::Mediation => "调解仲裁法第四十二条：双方签收后生效",
            };
            for (date, label, basis) in [
                (a.worker_may_sue_by, "劳动者起诉期限", "调解仲裁法第四十八条、第五十条：收到裁决书之日起十五日"),
                (a.employer_may_sue_by, "用人单位起诉期限", "调解仲裁法第五十条：收到裁决书之日起十五日"),
                (a.employer_may_petition_by, "用人单位申请撤销期限", "调解仲裁法第四十九条：收到裁决书之日起三十日"),
                (a.effective_on, effective, effective_basis),
            ] {
                if let Some(date) = date {
                    lines.push(DeadlineLine { label: format!("{prefix}{label}"), date, basis, provisional: provisional("appeal") });
                }
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

async fn case_page(
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
    let services = match services::ledger(&state.app, id).await {
        Ok(s) => s,
        Err(e) => return page_error(state, e).into_response(),
    };
    let evidence = match crate::app::evidence::for_staff(&state.app, staff, id).await {
        Ok(e) => e,
        Err(e) => return page_error(state, e).into_response(),
    };
    let court_parts = match crate::app::court::parts(&state.app, id).await {
        Ok(p) => p,
        Err(e) => return page_error(state, e).into_response(),
    };
    let (jar, token) = csrf(jar);
    let page = CasePageT {
        commission: &state.app.config.commission_name,
        csrf: token,
        status_label: status_label(c.status),
        deadlines: deadline_lines(&c),
        c,
        can_decide: staff.role == Role::Clerk,
        is_arbitrator: staff.role == Role::Arbitrator,
        can_bundle: matches!(staff.role, Role::Clerk | Role::Liaison | Role::Admin),
        can_record_court: matches!(staff.role, Role::Liaison | Role::Admin),
        court_parts,
        notice,
        error,
        tracks: Track::ALL.iter().map(|t| (t.code(), t.label())).collect(),
        refusal_grounds: crate::law::refusal::Ground::offered(state.app.config.refuse_on_time_bar)
            .map(|g| (g.code(), g.label(), g.basis()))
            .collect(),
        grounds: SuspensionGround::ALL.iter().map(|g| (g.code(), g.label())).collect(),
        causes: RestartCause::ALL.iter().map(|c| (c.code(), c.label())).collect(),
        today: state.app.time.today(),
        services,
        can_serve: matches!(staff.role, Role::Clerk | Role::Admin),
        evidence,
    };
    let mut res = (jar, render(page)).into_response();
    *res.status_mut() = status;
    res
}

pub async fn staff_case(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Path(id): Path<String>,
    Query(d): Query<DoneQuery>,
) -> Response {
    let notice = match d.done.as_str() {
        "accepted" => "已受理，案号已生成。",
        "rejected" => "已作出不予受理决定。",
        "track" => "程序已调整。",
        "clock" => "程序事件已记录，期限已重新计算。",
        "award" => "裁决书已制作，案件已结案。",
        "mediation" => "调解书已制作，案件已结案。",
        "withdrawn" => "已记录撤回仲裁申请，案件已结案。",
        "court" => "法院阶段情况已登记。",
        "scan" => "回证扫描件已上传。",
        "evidence" => "证据审查结果已记录。",
        "closed" => "申请人无正当理由拒不到庭，按撤回仲裁申请处理，案件已结案。",
        _ => "",
    };
    let mut notice = notice.to_string();
    let jar = match jar.get(CODES_COOKIE).map(|c| c.value().to_string()) {
        Some(carried) => {
            notice.push_str(&codes_notice(&carried));
            jar.remove(Cookie::build(CODES_COOKIE).path(format!("/staff/cases/{id}")))
        }
        None => jar,
    };
    case_page(&state, jar, &staff, &id, notice, String::new(), StatusCode::OK).await
}

/// The cookie that carries the respondents' sign-in codes from an acceptance to the page it leads to.
const CODES_COOKIE: &str = "gl_party_codes";

/// The respondents' codes as the clerk is told them: `0-ABCD-EFGH.1-…` → 第1被申请人的网上登录码：ABCD-EFGH ….
fn codes_notice(carried: &str) -> String {
    let codes: Vec<String> = carried
        .split('.')
        .filter_map(|c| c.split_once('-'))
        .map(|(index, code)| format!("第{}被申请人的网上登录码：{code}", index.parse::<usize>().map(|i| i + 1).unwrap_or(0)))
        .collect();
    format!("{}（已印在应诉通知书上，只显示这一次）。", codes.join("；"))
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
    court_outcome: String,
    court_result: String,
    document_id: String,
    party: String,
    competent: String,
}

/// Runs a clerk's decision from the case page: redirect on success, the page with the error otherwise.
pub async fn staff_decide(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<DecisionForm>,
) -> Response {
    if let Err(e) = check_csrf(&state, &jar, &f.csrf) {
        return e.into_response();
    }
    let mut codes = Vec::new();
    let result = match action.as_str() {
        "accept" => {
            let date = f.accepted_on.trim();
            let accepted = match (date.is_empty(), date.parse()) {
                (true, _) => decide::accept(&state.app, &staff, &id, None).await,
                (false, Ok(d)) => decide::accept(&state.app, &staff, &id, Some(d)).await,
                (false, Err(_)) => Err(AppError::field("accepted_on", "format", "受理日期应写成 YYYY-MM-DD")),
            };
            accepted.map(|a| codes = a.party_codes)
        }
        "reject" => {
            let input = decide::RejectInput {
                grounds: Some(vec![f.ground.clone()]).filter(|g| !g[0].trim().is_empty()),
                reason: Some(f.reason.clone()),
                competent: Some(f.competent.clone()),
            };
            decide::reject(&state.app, &staff, &id, &input).await
        }
        "track" => decide::override_track(&state.app, &staff, &id, &f.track, &f.reason).await,
        "withdraw" => {
            let input = WithdrawInput { withdrawn_on: Some(f.on.clone()).filter(|d| !d.trim().is_empty()), reason: Some(f.reason.clone()) };
            withdraw::withdraw(&state.app, &staff, &id, &input).await.map(|_| ())
        }
        "court-outcome" => {
            let input = CourtOutcomeInput {
                court_outcome: Some(f.court_outcome.clone()),
                court_result: Some(f.court_result.clone()),
                document_id: f.document_id.trim().parse().ok(),
            };
            crate::app::court::record_court_outcome(&state.app, &staff, &id, &input).await.map(|_| ())
        }
        "award-served" => {
            let input = AwardServedInput {
                on: Some(f.on.clone()).filter(|d| !d.trim().is_empty()),
                party: Some(f.party.clone()),
                document_id: f.document_id.trim().parse().ok(),
            };
            clock::record_award_served(&state.app, &staff, &id, &input).await.map(|_| ())
        }
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
                "withdraw" => "withdrawn",
                "court-outcome" => "court",
                _ => "clock",
            };
            let to = Redirect::to(&format!("/staff/cases/{id}?done={done}"));
            if codes.is_empty() {
                return to.into_response();
            }
            // The respondents' codes are shown once, on the page the acceptance leads to.
            let carried = codes.iter().map(|c| format!("{}-{}", c.index, c.code)).collect::<Vec<_>>().join(".");
            let cookie =
                Cookie::build((CODES_COOKIE, carried)).http_only(true).same_site(SameSite::Strict).path(format!("/staff/cases/{id}"));
            (jar.add(cookie), to).into_response()
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

/// The clerk's review of one evidence file, from the case page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReviewForm {
    csrf: String,
    decision: String,
    reason: String,
}

/// `POST /staff/evidence/{id}/review`: accepts a file into the case file or returns it with a reason.
pub async fn evidence_review(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Path(id): Path<String>,
    Form(f): Form<ReviewForm>,
) -> Response {
    if let Err(e) = check_csrf(&state, &jar, &f.csrf) {
        return e.into_response();
    }
    let Ok(id) = id.parse::<i64>() else { return page_error(&state, AppError::NotFound("证据不存在")).into_response() };
    let input = crate::app::evidence::ReviewInput { decision: Some(f.decision), reason: Some(f.reason) };
    let case_id = match crate::app::evidence::case_of(&state.app, id).await {
        Ok(c) => c,
        Err(e) => return page_error(&state, e).into_response(),
    };
    match crate::app::evidence::review(&state.app, &staff, id, &input).await {
        Ok(_) => Redirect::to(&format!("/staff/cases/{case_id}?done=evidence#evidence")).into_response(),
        Err(e @ (AppError::Conflict(_) | AppError::Validation(_))) => {
            let (status, message) = super::form_error(e).unwrap_or((StatusCode::CONFLICT, String::new()));
            case_page(&state, jar, &staff, &case_id, String::new(), message, status).await
        }
        Err(e) => page_error(&state, e).into_response(),
    }
}

/// `GET /staff/evidence/{id}`: one evidence file, for staff who may read the case (logged).
pub async fn evidence_file(State(state): State<AppState>, PageStaff(staff): PageStaff, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else { return page_error(&state, AppError::NotFound("证据不存在")).into_response() };
    match crate::app::evidence::download(&state.app, crate::app::evidence::Viewer::Staff(&staff), id).await {
        Ok((d, mime)) => crate::http::documents::file(d, mime),
        Err(e) => page_error(&state, e).into_response(),
    }
}
