//! Service of documents (送达): a service per document and recipient opened when the document is
//! issued, sent through the outbox (e-mail, SMS) or recorded by the clerk (post, in person, public
//! notice), and the clock fed from what was delivered (service.md).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::accounts::{Role, Staff};
use super::input::{optional_date, required_text};
use super::jobs::{self, Job};
use super::notify::To;
use super::parties::Party;
use super::{App, AppError};
use crate::documents::kinds::{Kind, chinese_date};
use crate::law::service::{Channel, Occasion, ServiceStatus, Step, check_channel, check_step, default_channel};
use crate::law::{FieldError, Violation};
use crate::notifications::{Facts, Occasion as Notification};
use crate::outbound::mail::Mail;
use crate::outbound::sms::{Sms, SmsGateway};
use crate::store::services::{self as store, RecipientRow, ServiceRow, StepFacts};
use crate::store::{Tx, cases};

/// Who a document of `kind` goes to: the applicants, the respondents, or both.
pub fn addressed_to(kind: Kind) -> (bool, bool) {
    match kind {
        Kind::AcceptanceNotice | Kind::RejectionNotice | Kind::DefenceCopy => (true, false),
        Kind::RespondentNotice => (false, true),
        _ => (true, true),
    }
}

/// Awards and mediation statements: the documents the stricter rules of service apply to.
pub fn is_decision(kind: Kind) -> bool {
    matches!(kind, Kind::AwardFinal | Kind::AwardNonfinal | Kind::Mediation)
}

/// The party a service is addressed to (api.md "Services").
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PartyRef {
    /// `applicant` or `respondent`.
    pub role: String,
    pub index: i64,
    pub name: String,
}

/// One service as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ServiceView {
    pub id: i64,
    pub case_id: String,
    pub document_id: i64,
    pub document_kind: String,
    pub document_title: String,
    pub party: PartyRef,
    pub channel: Channel,
    pub channel_label: &'static str,
    pub status: ServiceStatus,
    pub status_label: &'static str,
    /// The address, mailbox, mobile number or page the document went to.
    pub address: String,
    pub sent_at: Option<String>,
    /// The service date (for a public notice, the day it is deemed served).
    pub delivered_on: Option<String>,
    /// What proves each step: the relay's reply, the gateway's id, the EMS number and receipt, the page view.
    pub evidence: String,
    pub ems_number: Option<String>,
    pub posted_on: Option<String>,
    pub failure: Option<String>,
    /// Failed attempts to send, and the last error.
    pub attempts: i64,
    pub last_error: Option<String>,
    /// The service this one re-serves after it failed or was withdrawn.
    pub replaces: Option<i64>,
    /// An informal service (SMS) the party has confirmed by opening the document.
    pub confirmed: bool,
    pub issued_on: String,
    pub created_at: String,
    /// Each step with its time, who recorded it and what proves it (in a case's list only).
    pub steps: Vec<StepView>,
    /// The latest scanned proof of a paper service (in a case's list only).
    pub scan: Option<super::service_scans::ScanView>,
}

/// One step of a service's history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StepView {
    pub at: String,
    /// `created`, `sent`, `delivered`, `failed`, `attempt_failed`, `cancelled`, `opened`, …
    pub step: String,
    pub label: &'static str,
    pub actor: String,
    pub detail: String,
}

impl ServiceView {
    /// A service by post, in person or left at the address: its proof is paper, scanned.
    pub fn paper(&self) -> bool {
        matches!(self.channel, Channel::Post | Channel::InPerson | Channel::LeftAtAddress)
    }

    fn of(r: ServiceRow) -> Result<Self, AppError> {
        let channel = r.channel()?;
        let status = r.status()?;
        Ok(ServiceView {
            id: r.id,
            case_id: r.case_id,
            document_id: r.document_id,
            document_kind: r.document_kind,
            document_title: r.document_title,
            party: PartyRef { role: r.role, index: r.position, name: r.name },
            channel,
            channel_label: channel.label(),
            status,
            status_label: status.label(),
            address: r.address,
            sent_at: r.sent_at,
            delivered_on: r.delivered_on,
            evidence: r.evidence,
            ems_number: r.ems_number,
            posted_on: r.posted_on,
            failure: r.failure,
            attempts: r.attempts,
            last_error: r.last_error,
            replaces: r.replaces,
            confirmed: r.confirmed_at.is_some(),
            issued_on: r.document_issued_on,
            created_at: r.created_at,
            steps: Vec::new(),
            scan: None,
        })
    }
}

fn occasion(case: &cases::CaseRow, r: &RecipientRow, decision: bool, after_failure: bool) -> Occasion {
    Occasion {
        decision,
        simplified: case.track.is_simplified(),
        // The applicant's consent at registration; a respondent's informal consent is not on record.
        informal_consent: r.role == "applicant" && case.consent_informal_service == 1,
        consent: r.consent(),
        has_email: r.email.is_some(),
        has_phone: r.mobile().is_some(),
        after_failure,
    }
}

/// Opens the services of a document just issued, one per recipient, in the issuing transaction.
pub async fn open_for_document(app: &App, tx: &mut Tx, case_id: &str, document_id: i64, kind: Kind, by: &str) -> Result<(), AppError> {
    let case = cases::get(tx, case_id).await?.ok_or(AppError::NotFound("案件不存在"))?;
    let (applicants, respondents) = addressed_to(kind);
    for r in store::recipients(tx, case_id).await? {
        let wanted = if r.role == "applicant" { applicants } else { respondents };
        if wanted {
            let channel = default_channel(&occasion(&case, &r, is_decision(kind), false));
            open(app, tx, case_id, document_id, &r, channel, None, by).await?;
        }
    }
    Ok(())
}

/// Opens one service and starts it: e-mail and SMS go to the outbox; a platform service is
/// published at once (and prompted by SMS when the party asked for it); paper waits for the clerk.
#[allow(clippy::too_many_arguments)]
async fn open(
    app: &App,
    tx: &mut Tx,
    case_id: &str,
    document_id: i64,
    r: &RecipientRow,
    channel: Channel,
    replaces: Option<i64>,
    by: &str,
) -> Result<i64, AppError> {
    let address = match channel {
        Channel::Email => r.email.clone().unwrap_or_default(),
        Channel::Sms => r.mobile().unwrap_or_default().to_string(),
        Channel::Platform => "当事人网上服务平台".to_string(),
        Channel::PublicNotice => "公告".to_string(),
        _ => r.service_address().to_string(),
    };
    let now = app.time.now_text();
    let id = store::insert(
        tx,
        &store::NewService {
            case_id,
            document_id,
            party_id: r.party_id,
            channel,
            address: &address,
            consent_id: r.consent_id,
            replaces,
            at: &now,
        },
    )
    .await?;
    store::append_step(tx, id, &now, "created", by, &format!("{}：{address}", channel.label())).await?;
    match channel {
        Channel::Email | Channel::Sms => jobs::enqueue(app, tx, &Job::Serve { service_id: id }).await?,
        Channel::Platform => {
            let facts = StepFacts { evidence: Some("已在当事人网上服务平台发布"), ..Default::default() };
            store::step(tx, id, ServiceStatus::Pending, ServiceStatus::Sent, &facts, &now).await?;
            store::append_step(tx, id, &now, "sent", by, "已在当事人网上服务平台发布，待当事人查看").await?;
            let facts = Facts::default();
            super::notify::parties(
                app,
                tx,
                case_id,
                To::Party(r.party_id),
                Notification::DocumentWaiting,
                &format!("service-{id}"),
                &facts,
            )
            .await?;
        }
        _ => {}
    }
    Ok(id)
}

/// A party that consents online to service on the platform: its paper services not yet sent move
/// to the platform, each replaced by a platform service (CPL Art. 90: electronic service with the
/// recipient's consent), in the confirmation's transaction. A decision (award, mediation) moves
/// only with the consent to electronic awards.
pub async fn move_to_platform(app: &App, tx: &mut Tx, case_id: &str, party_id: i64, by: &str) -> Result<usize, AppError> {
    let case = cases::get(tx, case_id).await?.ok_or(AppError::NotFound("案件不存在"))?;
    let Some(r) = store::recipients(tx, case_id).await?.into_iter().find(|r| r.party_id == party_id) else { return Ok(0) };
    let now = app.time.now_text();
    let mut moved = 0;
    for svc in store::of_case(tx, case_id).await? {
        let paper = matches!(svc.channel()?, Channel::Post | Channel::InPerson);
        if svc.party_id != party_id || !paper || svc.status()? != ServiceStatus::Pending || svc.replaced > 0 {
            continue;
        }
        let kind = Kind::from_code(&svc.document_kind).ok_or_else(|| anyhow::anyhow!("unknown document kind {}", svc.document_kind))?;
        if check_channel(Channel::Platform, &occasion(&case, &r, is_decision(kind), false)).is_err() {
            continue;
        }
        let facts = StepFacts { evidence: Some("当事人确认网上送达，改为平台送达"), ..Default::default() };
        if store::step(tx, svc.id, ServiceStatus::Pending, ServiceStatus::Cancelled, &facts, &now).await? {
            store::append_step(tx, svc.id, &now, "cancelled", by, "当事人在网上确认送达地址并同意平台送达，改为平台送达").await?;
            open(app, tx, case_id, svc.document_id, &r, Channel::Platform, Some(svc.id), by).await?;
            moved += 1;
        }
    }
    Ok(moved)
}

/// Where the parties sign in; the SMS of an SMS service names nothing else (issue 21 §7).
fn prompt_text(app: &App) -> Result<(String, String), AppError> {
    let facts = Facts { commission: app.config.commission_name.clone(), link: super::notify::link(app), ..Default::default() };
    let text = app.notifications()?.sms(Notification::DocumentWaiting, &facts).map_err(|e| AppError::Conflict(e.to_string()))?;
    Ok((text, facts.link))
}

/// The outbox's send of an e-mail or SMS service. A relay or gateway that fails is retried with
/// back-off; after [`jobs::MAX_ATTEMPTS`] the service is `failed` with the error, for the clerk.
pub async fn run_serve_job(app: &App, done: jobs::Done<'_>, service_id: i64) -> Result<(), AppError> {
    let mut conn = app.db.reader.acquire().await?;
    let svc = store::get(&mut conn, service_id).await?.ok_or_else(|| anyhow::anyhow!("service {service_id} not found"))?;
    let pdf = crate::store::documents::pdf(&mut conn, svc.document_id).await?.unwrap_or_default();
    drop(conn);
    if svc.status()? != ServiceStatus::Pending {
        let mut tx = app.db.begin().await?;
        done.finish(&mut tx).await?;
        tx.commit().await?;
        return Ok(());
    }
    let sent = match svc.channel()? {
        Channel::Email => send_email(app, &svc, &pdf).await,
        Channel::Sms => send_sms(app, &svc).await,
        other => Err(format!("{} 不经发送队列", other.label())),
    };
    let now = app.time.now_text();
    let mut tx = app.db.begin().await?;
    if !done.finish(&mut tx).await? {
        return Ok(());
    }
    match sent {
        Ok(Sent { evidence, receipt_id }) => {
            let facts = StepFacts { evidence: Some(&evidence), receipt_id: receipt_id.as_deref(), ..Default::default() };
            store::step(&mut tx, service_id, ServiceStatus::Pending, ServiceStatus::Sent, &facts, &now).await?;
            store::append_step(&mut tx, service_id, &now, "sent", "送达队列", &evidence).await?;
            // CPL Art. 90: electronic service is complete when it reaches the recipient's system; by default the relay's acceptance.
            if svc.channel()? == Channel::Email && app.config.outbound.email_delivery == crate::law::service::EmailDelivery::RelayAccepted {
                deliver(app, &mut tx, service_id, ServiceStatus::Sent, app.time.today(), "邮件服务器已接收", "送达队列").await?;
            }
        }
        Err(error) if svc.attempts + 1 >= jobs::MAX_ATTEMPTS => {
            store::note_attempt(&mut tx, service_id, &error, &now).await?;
            let facts = StepFacts { failure: Some(&error), ..Default::default() };
            store::step(&mut tx, service_id, ServiceStatus::Pending, ServiceStatus::Failed, &facts, &now).await?;
            store::append_step(&mut tx, service_id, &now, "failed", "送达队列", &format!("{} 次发送均失败：{error}", svc.attempts + 1))
                .await?;
        }
        Err(error) => {
            drop(tx);
            let mut tx = app.db.begin().await?;
            store::note_attempt(&mut tx, service_id, &error, &now).await?;
            tx.commit().await?;
            return Err(AppError::Conflict(error));
        }
    }
    tx.commit().await?;
    Ok(())
}

struct Sent {
    evidence: String,
    receipt_id: Option<String>,
}

async fn send_email(app: &App, svc: &ServiceRow, pdf: &[u8]) -> Result<Sent, String> {
    let relay = app.outbound.mail.as_ref().ok_or("未配置邮件服务器（smtp_url）")?;
    let case_no = svc.case_no.clone().unwrap_or_default();
    let subject = format!("{}：{} {}", app.config.commission_name, svc.document_title, svc.document_number);
    let link = app.config.public_url.clone().unwrap_or_else(|| format!("http://{}", app.config.addr));
    let body = format!(
        "{}：\n\n本委就{case_no}案向您送达《{}》（见附件 PDF），请查收。\n您也可以登录 {link} 查看。\n\n根据您确认的送达地址，本邮件到达您的电子邮箱之日即为送达之日。\n\n{}",
        svc.name, svc.document_title, app.config.commission_name
    );
    let file = format!("{}-{}.pdf", svc.document_title, svc.document_id);
    let accepted = relay
        .send(&Mail {
            to: &svc.address,
            subject: &subject,
            body: &body,
            attachment: Some((&file, pdf)),
            message_id: &format!("service-{}.{}", svc.id, &svc.document_sha256[..16.min(svc.document_sha256.len())]),
        })
        .await?;
    Ok(Sent { evidence: format!("SMTP {}", accepted.reply), receipt_id: None })
}

async fn send_sms(app: &App, svc: &ServiceRow) -> Result<Sent, String> {
    let gateway = app.outbound.sms.as_ref().ok_or("未配置短信网关（sms_gateway）")?;
    let (text, link) = prompt_text(app).map_err(|e| e.to_string())?;
    let id = gateway.send(&Sms { to: &svc.address, text: &text, link: &link, out_id: &format!("service-{}", svc.id) }).await?;
    Ok(Sent { evidence: format!("短信网关受理，编号 {id}"), receipt_id: Some(id) })
}

/// Moves a service to delivered on `on` and feeds the clock from it.
async fn deliver(app: &App, tx: &mut Tx, id: i64, from: ServiceStatus, on: NaiveDate, evidence: &str, by: &str) -> Result<(), AppError> {
    let now = app.time.now_text();
    let on_text = on.to_string();
    let facts = StepFacts { evidence: Some(evidence), delivered_on: Some(&on_text), ..Default::default() };
    if !store::step(tx, id, from, ServiceStatus::Delivered, &facts, &now).await? {
        return Err(AppError::Conflict("该送达的状态已变化，请刷新后重试".into()));
    }
    store::append_step(tx, id, &now, "delivered", by, &format!("{} 送达：{evidence}", chinese_date(on))).await?;
    let svc = store::get(tx, id).await?.ok_or_else(|| anyhow::anyhow!("service {id} just written"))?;
    super::service_clock::feed(app, tx, &svc, by).await
}

/// `POST /api/v1/services/{id}/sent`: the clerk posted the document (EMS number, posting day).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct SentInput {
    /// `YYYY-MM-DD`, the day posted or handed over; default today.
    pub on: Option<String>,
    /// The EMS (仲裁专递) number, for a service by post.
    pub ems_number: Option<String>,
}

/// `POST /api/v1/services/{id}/delivered`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct DeliveredInput {
    /// `YYYY-MM-DD`: the day signed for (post: the return receipt's date; in person: the 送达回证's date).
    pub on: Option<String>,
    /// Who signed or witnessed, and what paper proves it.
    pub evidence: Option<String>,
}

/// `POST /api/v1/services/{id}/failed`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct FailedInput {
    /// Why, e.g. 查无此人，邮件退回.
    pub reason: Option<String>,
}

/// `POST /api/v1/services/{id}/reserve`: serve the same document again by another channel.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ReserveInput {
    /// `platform`, `email`, `sms`, `post`, `in_person`, `left_at_address` or `public_notice`.
    pub channel: Option<String>,
    /// For a public notice: the day it was published (`YYYY-MM-DD`, default today).
    pub on: Option<String>,
}

async fn load(app: &App, id: i64) -> Result<ServiceRow, AppError> {
    let mut conn = app.db.reader.acquire().await?;
    store::get(&mut conn, id).await?.ok_or(AppError::NotFound("送达记录不存在"))
}

fn refuse_step(status: ServiceStatus, step: Step) -> Result<(), AppError> {
    check_step(status, step).map_err(|v| AppError::Conflict(v.message))
}

fn not_future(on: Option<NaiveDate>, field: &str, today: NaiveDate, errs: &mut Vec<FieldError>) {
    if on.is_some_and(|d| d > today) {
        errs.push(FieldError::new(field, Violation::new("in_future", "日期不能晚于今天")));
    }
}

/// The clerk records that a paper service left the commission: posted with its EMS number.
pub async fn mark_sent(app: &App, actor: &Staff, id: i64, input: &SentInput) -> Result<(), AppError> {
    actor.require(&[Role::Clerk])?;
    let svc = load(app, id).await?;
    let today = app.time.today();
    let mut errs = Vec::new();
    let on = optional_date(input.on.as_deref(), "on", "寄出日期", &mut errs).unwrap_or(today);
    not_future(Some(on), "on", today, &mut errs);
    let channel = svc.channel()?;
    let ems = input.ems_number.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if channel == Channel::Post && ems.is_none() {
        errs.push(FieldError::new("ems_number", Violation::new("required", "请填写邮件号（EMS 单号）")));
    }
    if ems.is_some_and(|e| e.len() > 40 || !e.chars().all(|c| c.is_ascii_alphanumeric())) {
        errs.push(FieldError::new("ems_number", Violation::new("format", "邮件号应为字母和数字，例如 EA123456789CN")));
    }
    if on.to_string() < svc.document_issued_on {
        errs.push(FieldError::new(
            "on",
            Violation::new("before_issue", format!("寄出日期不能早于文书制作日期 {}", svc.document_issued_on)),
        ));
    }
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    if !channel.is_recorded_by_clerk() || channel == Channel::PublicNotice {
        return Err(AppError::Conflict(format!("{}的发出由系统记录", channel.label())));
    }
    refuse_step(svc.status()?, Step::Sent)?;
    let now = app.time.now_text();
    let on_text = on.to_string();
    let evidence = match ems {
        Some(e) => format!("{} 交邮，邮件号 {e}", chinese_date(on)),
        None => format!("{} 交付送达", chinese_date(on)),
    };
    let mut tx = app.db.begin().await?;
    let facts = StepFacts { evidence: Some(&evidence), ems_number: ems, posted_on: Some(&on_text), ..Default::default() };
    if !store::step(&mut tx, id, ServiceStatus::Pending, ServiceStatus::Sent, &facts, &now).await? {
        return Err(AppError::Conflict("该送达的状态已变化，请刷新后重试".into()));
    }
    store::append_step(&mut tx, id, &now, "sent", &actor.username, &evidence).await?;
    tx.commit().await?;
    Ok(())
}

/// [`mark_sent`], answered with the service as it now stands.
pub async fn record_sent(app: &App, actor: &Staff, id: i64, input: &SentInput) -> Result<ServiceView, AppError> {
    mark_sent(app, actor, id, input).await?;
    view(app, id).await
}

/// The clerk records delivery from paper evidence: the return receipt's date, the signed 送达回证,
/// the witnesses of a document left at the address.
pub async fn mark_delivered(app: &App, actor: &Staff, id: i64, input: &DeliveredInput) -> Result<(), AppError> {
    actor.require(&[Role::Clerk])?;
    let svc = load(app, id).await?;
    let today = app.time.today();
    let mut errs = Vec::new();
    let on = super::input::required_date(input.on.as_deref(), "on", "送达日期", &mut errs);
    let evidence = required_text(input.evidence.as_deref(), "evidence", "送达凭证（签收人或见证人、回执）", 500, &mut errs);
    not_future(on, "on", today, &mut errs);
    if let Some(d) = on {
        if d.to_string() < svc.document_issued_on {
            errs.push(FieldError::new(
                "on",
                Violation::new("before_issue", format!("送达日期不能早于文书制作日期 {}", svc.document_issued_on)),
            ));
        }
        // CPL Art. 91: the return receipt's date is the service date; it cannot precede the posting.
        if svc.posted_on.as_deref().is_some_and(|p| d.to_string().as_str() < p) {
            let posted = svc.posted_on.clone().unwrap_or_default();
            errs.push(FieldError::new("on", Violation::new("before_posting", format!("签收日期不能早于寄出日期 {posted}"))));
        }
    }
    let (Some(on), Some(evidence)) = (on, evidence.filter(|_| errs.is_empty())) else { return Err(AppError::Validation(errs)) };
    let channel = svc.channel()?;
    if !channel.is_recorded_by_clerk() || channel == Channel::PublicNotice {
        return Err(AppError::Conflict(format!("{}以系统记录为准，不能手工登记送达", channel.label())));
    }
    let status = svc.status()?;
    refuse_step(status, Step::Delivered)?;
    let mut tx = app.db.begin().await?;
    deliver(app, &mut tx, id, status, on, &evidence, &actor.username).await?;
    tx.commit().await?;
    Ok(())
}

/// [`mark_delivered`], answered with the service as it now stands.
pub async fn record_delivered(app: &App, actor: &Staff, id: i64, input: &DeliveredInput) -> Result<ServiceView, AppError> {
    mark_delivered(app, actor, id, input).await?;
    view(app, id).await
}

/// The clerk records that a service failed (returned post, nobody at the address).
pub async fn record_failed(app: &App, actor: &Staff, id: i64, input: &FailedInput) -> Result<ServiceView, AppError> {
    actor.require(&[Role::Clerk])?;
    let mut errs = Vec::new();
    let reason = required_text(input.reason.as_deref(), "reason", "送达失败原因", 200, &mut errs);
    let Some(reason) = reason else { return Err(AppError::Validation(errs)) };
    let svc = load(app, id).await?;
    let status = svc.status()?;
    refuse_step(status, Step::Failed)?;
    let now = app.time.now_text();
    let mut tx = app.db.begin().await?;
    let facts = StepFacts { failure: Some(&reason), ..Default::default() };
    if !store::step(&mut tx, id, status, ServiceStatus::Failed, &facts, &now).await? {
        return Err(AppError::Conflict("该送达的状态已变化，请刷新后重试".into()));
    }
    store::append_step(&mut tx, id, &now, "failed", &actor.username, &reason).await?;
    tx.commit().await?;
    view(app, id).await
}

/// Serves the document again by `channel`: a service still running is withdrawn (cancelled), a
/// failed one stays as it was; the history keeps both (issue 21 §4).
pub async fn reserve(app: &App, actor: &Staff, id: i64, input: &ReserveInput) -> Result<ServiceView, AppError> {
    actor.require(&[Role::Clerk])?;
    let today = app.time.today();
    let mut errs = Vec::new();
    let channel = match input.channel.as_deref().map(str::trim).unwrap_or("") {
        "" => {
            errs.push(FieldError::new("channel", Violation::new("required", "请选择送达方式")));
            None
        }
        c => Channel::parse(c).or_else(|| {
            errs.push(FieldError::new("channel", Violation::new("unknown_channel", format!("未知的送达方式“{c}”"))));
            None
        }),
    };
    let published = optional_date(input.on.as_deref(), "on", "公告日期", &mut errs).unwrap_or(today);
    not_future(Some(published), "on", today, &mut errs);
    let Some(channel) = channel.filter(|_| errs.is_empty()) else { return Err(AppError::Validation(errs)) };
    let svc = load(app, id).await?;
    let status = svc.status()?;
    if status == ServiceStatus::Delivered {
        return Err(AppError::Conflict("该文书已送达该当事人，无需重新送达".into()));
    }
    if svc.replaced > 0 {
        return Err(AppError::Conflict("该送达已被重新送达，请在最新的送达记录上操作".into()));
    }
    let kind = Kind::from_code(&svc.document_kind).ok_or_else(|| anyhow::anyhow!("unknown document kind {}", svc.document_kind))?;
    let mut tx = app.db.begin().await?;
    let case = cases::get(&mut tx, &svc.case_id).await?.ok_or(AppError::NotFound("案件不存在"))?;
    let r = store::recipients(&mut tx, &svc.case_id)
        .await?
        .into_iter()
        .find(|r| r.party_id == svc.party_id)
        .ok_or(AppError::NotFound("当事人不存在"))?;
    let failed_before = status == ServiceStatus::Failed
        || store::of_document(&mut tx, svc.document_id).await?.iter().any(|s| s.party_id == svc.party_id && s.status == "failed");
    check_channel(channel, &occasion(&case, &r, is_decision(kind), failed_before))
        .map_err(|v| AppError::field("channel", v.code, v.message))?;
    let now = app.time.now_text();
    if !status.is_final() {
        let facts = StepFacts { evidence: Some("改以其他方式送达"), ..Default::default() };
        store::step(&mut tx, id, status, ServiceStatus::Cancelled, &facts, &now).await?;
        store::append_step(&mut tx, id, &now, "cancelled", &actor.username, &format!("改以{}重新送达", channel.label())).await?;
    }
    let new_id = open(app, &mut tx, &svc.case_id, svc.document_id, &r, channel, Some(id), &actor.username).await?;
    if channel == Channel::PublicNotice {
        publish(app, &mut tx, new_id, &svc, published, &actor.username).await?;
    }
    tx.commit().await?;
    view(app, new_id).await
}

/// A public notice published on `on` is deemed served 30 days later (CPL Art. 95); the notice to
/// answer served so also starts the clock's exclusion (Rules Art. 46(6)).
async fn publish(app: &App, tx: &mut Tx, id: i64, old: &ServiceRow, on: NaiveDate, by: &str) -> Result<(), AppError> {
    let now = app.time.now_text();
    let on_text = on.to_string();
    let evidence = format!("{} 发布公告", chinese_date(on));
    let facts = StepFacts { evidence: Some(&evidence), posted_on: Some(&on_text), ..Default::default() };
    store::step(tx, id, ServiceStatus::Pending, ServiceStatus::Sent, &facts, &now).await?;
    store::append_step(tx, id, &now, "sent", by, &evidence).await?;
    if old.document_kind == Kind::RespondentNotice.code() {
        super::service_clock::public_notice_published(app, tx, &old.case_id, on, by).await?;
    }
    let deemed = crate::law::clock::deemed_served(&app.calendar(), app.config.clock_rules, on).date;
    deliver(app, tx, id, ServiceStatus::Sent, deemed, &format!("公告期满视为送达（{on} 发布）"), by).await
}

/// One service.
pub async fn view(app: &App, id: i64) -> Result<ServiceView, AppError> {
    ServiceView::of(load(app, id).await?)
}

/// `GET /api/v1/cases/{id}/services`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CaseServices {
    pub services: Vec<ServiceView>,
}

/// Every service of a case (staff who may read it).
pub async fn of_case(app: &App, actor: &Staff, case_id: &str) -> Result<CaseServices, AppError> {
    super::access::read_case(app, actor, case_id, "view_case", None, "送达记录").await?;
    Ok(CaseServices { services: ledger(app, case_id).await? })
}

/// The case a service belongs to.
pub async fn case_of(app: &App, id: i64) -> Result<String, AppError> {
    Ok(load(app, id).await?.case_id)
}

/// Every service of a case with its steps, for a caller that has checked access.
pub async fn ledger(app: &App, case_id: &str) -> Result<Vec<ServiceView>, AppError> {
    let mut conn = app.db.reader.acquire().await?;
    let mut services = store::of_case(&mut conn, case_id).await?.into_iter().map(ServiceView::of).collect::<Result<Vec<_>, _>>()?;
    for t in store::steps_of_case(&mut conn, case_id).await? {
        if let Some(s) = services.iter_mut().find(|s| s.id == t.service_id) {
            s.steps.push(StepView {
                at: t.at,
                label: crate::law::service::step_label(&t.step),
                step: t.step,
                actor: t.actor,
                detail: t.detail,
            });
        }
    }
    for x in store::scans_of_case(&mut conn, case_id).await? {
        if let Some(s) = services.iter_mut().find(|s| s.id == x.service_id) {
            s.scan = Some(x.into());
        }
    }
    Ok(services)
}

/// The 未送达 queue: every service not delivered and not replaced, oldest first.
pub async fn unserved(app: &App, actor: &Staff) -> Result<Vec<ServiceView>, AppError> {
    actor.require(&[Role::Clerk, Role::Admin])?;
    let mut conn = app.db.reader.acquire().await?;
    store::unserved(&mut conn, 2000).await?.into_iter().map(ServiceView::of).collect()
}

/// A party opened a document on the platform: its platform service (and an e-mail read as
/// delivered on opening) is delivered today, and an informal SMS service is confirmed.
pub async fn opened(app: &App, document_id: i64, party_ids: &[i64]) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    let now = app.time.now_text();
    let on_open = app.config.outbound.email_delivery == crate::law::service::EmailDelivery::Opened;
    for s in store::of_document(&mut tx, document_id).await? {
        if !party_ids.contains(&s.party_id) || s.status != ServiceStatus::Sent.code() {
            continue;
        }
        match s.channel()? {
            Channel::Platform => {
                deliver(app, &mut tx, s.id, ServiceStatus::Sent, app.time.today(), &format!("当事人于 {now} 在平台查看"), "当事人").await?
            }
            Channel::Email if on_open => {
                deliver(app, &mut tx, s.id, ServiceStatus::Sent, app.time.today(), &format!("当事人于 {now} 打开"), "当事人").await?
            }
            _ => {}
        }
    }
    for s in store::of_document(&mut tx, document_id).await? {
        if party_ids.contains(&s.party_id) && s.channel == Channel::Sms.code() && s.status == ServiceStatus::Delivered.code() {
            store::confirm(&mut tx, s.id, &now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// What became of a batch of delivery receipts.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReceiptsOutcome {
    pub accepted: usize,
    /// Receipts refused: unknown id, or a service already final.
    pub refused: Vec<RefusedReceipt>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RefusedReceipt {
    pub biz_id: String,
    pub reason: String,
}

/// The SMS gateway's delivery receipts (the callback authenticated before this is called).
pub async fn receipts(app: &App, list: &[crate::outbound::sms::Receipt]) -> Result<ReceiptsOutcome, AppError> {
    let mut out = ReceiptsOutcome { accepted: 0, refused: Vec::new() };
    for r in list {
        match receipt(app, r).await? {
            Ok(()) => out.accepted += 1,
            Err(reason) => {
                tracing::warn!(biz_id = %r.biz_id, %reason, "SMS delivery receipt refused");
                out.refused.push(RefusedReceipt { biz_id: r.biz_id.clone(), reason });
            }
        }
    }
    Ok(out)
}

async fn receipt(app: &App, r: &crate::outbound::sms::Receipt) -> Result<Result<(), String>, AppError> {
    let mut tx = app.db.begin().await?;
    let now = app.time.now_text();
    let day = r.report_time.as_deref().and_then(|t| t.get(..10)).and_then(|d| d.parse::<NaiveDate>().ok()).unwrap_or(app.time.today());
    let detail = format!("短信网关回执：{} {}", r.err_code.as_deref().unwrap_or(""), r.err_msg.as_deref().unwrap_or("")).trim().to_string();
    if let Some(id) = store::by_receipt(&mut tx, &r.biz_id).await? {
        let svc = store::get(&mut tx, id).await?.ok_or_else(|| anyhow::anyhow!("service {id}"))?;
        if svc.status()? != ServiceStatus::Sent {
            return Ok(Err(format!("送达记录 {id} 已{}，回执不再记录", svc.status()?.label())));
        }
        if r.success {
            deliver(app, &mut tx, id, ServiceStatus::Sent, day, &detail, "短信网关").await?;
        } else {
            let facts = StepFacts { failure: Some(&detail), ..Default::default() };
            store::step(&mut tx, id, ServiceStatus::Sent, ServiceStatus::Failed, &facts, &now).await?;
            store::append_step(&mut tx, id, &now, "failed", "短信网关", &detail).await?;
        }
    } else if let Some((id, status)) = crate::store::messages::by_receipt(&mut tx, &r.biz_id).await? {
        if status != "sent"
            || !crate::store::messages::receipt(&mut tx, id, r.success, (!r.success).then_some(detail.as_str()), &now).await?
        {
            return Ok(Err(format!("短信 {id} 已有回执")));
        }
    } else {
        return Ok(Err("未知的短信编号".into()));
    }
    tx.commit().await?;
    Ok(Ok(()))
}

/// The documents served on the applicants of a case, for the holder of its access code.
pub async fn applicant_documents(
    app: &App,
    case_id: &str,
    code: &str,
    from: std::net::IpAddr,
) -> Result<Vec<super::documents::DocumentView>, AppError> {
    super::cases::applicant_access(app, case_id, code, from).await?;
    party_documents(app, &applicants_of(case_id)).await
}

/// A document served on the applicants, downloaded by the holder of the case's access code: the
/// download is the platform delivery (CPL Art. 90: it reached the party's system when opened).
pub async fn applicant_download(
    app: &App,
    document_id: i64,
    code: &str,
    from: std::net::IpAddr,
) -> Result<super::documents::Download, AppError> {
    let mut conn = app.db.reader.acquire().await?;
    let doc = crate::store::documents::get(&mut conn, document_id).await?.ok_or(AppError::NotFound("文书不存在"))?;
    drop(conn);
    super::cases::applicant_access(app, &doc.case_id, code, from).await?;
    party_download(app, &applicants_of(&doc.case_id), document_id).await
}

/// The applicants' side of a case: they share the access code given at registration.
fn applicants_of(case_id: &str) -> Party {
    Party { case_id: case_id.into(), role: "applicant".into(), party_id: 0 }
}

/// The parties a signed-in party reads for: every applicant (they share a code), or the one respondent.
async fn served_on(conn: &mut sqlx::AnyConnection, party: &Party) -> Result<Vec<(i64, i64)>, AppError> {
    let all = store::served_to(conn, &party.case_id, &party.role).await?;
    Ok(all.into_iter().filter(|(_, p)| party.role == "applicant" || *p == party.party_id).collect())
}

/// The documents served on a signed-in party.
pub async fn party_documents(app: &App, party: &Party) -> Result<Vec<super::documents::DocumentView>, AppError> {
    let mut conn = app.db.reader.acquire().await?;
    let served: Vec<i64> = served_on(&mut conn, party).await?.into_iter().map(|(d, _)| d).collect();
    let docs = crate::store::documents::of_case(&mut conn, &party.case_id).await?;
    Ok(docs.into_iter().filter(|d| served.contains(&d.id)).map(super::documents::DocumentView::of).collect())
}

/// A document served on a signed-in party, downloaded: the download is the platform delivery
/// (CPL Art. 90). A document of another case or not served on the party is not there (404).
pub async fn party_download(app: &App, party: &Party, document_id: i64) -> Result<super::documents::Download, AppError> {
    let mut conn = app.db.reader.acquire().await?;
    let doc = crate::store::documents::get(&mut conn, document_id)
        .await?
        .filter(|d| d.case_id == party.case_id)
        .ok_or(AppError::NotFound("文书不存在"))?;
    let parties: Vec<i64> = served_on(&mut conn, party).await?.into_iter().filter(|(d, _)| *d == document_id).map(|(_, p)| p).collect();
    if parties.is_empty() {
        return Err(AppError::NotFound("文书不存在"));
    }
    let bytes = crate::store::documents::pdf(&mut conn, document_id).await?.ok_or(AppError::NotFound("文书不存在"))?;
    drop(conn);
    opened(app, document_id, &parties).await?;
    Ok(super::documents::Download { file_name: format!("{}-{}.pdf", doc.title, doc.number), bytes })
}
