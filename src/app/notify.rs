//! Notifications to the parties at each step of a case (issue 21 §7): accepted, a hearing set or
//! moved, a document waiting, a hearing or period close. They are not service. Each is stored
//! once per party, channel and occasion in the transaction of the event, and sent by the outbox;
//! a party who opted out gets none. The wording is the commission's (`templates/notifications/`).

use serde::Serialize;

use super::jobs::{self, Job};
use super::{App, AppError};
use crate::notifications::{Facts, Occasion};
use crate::outbound::mail::Mail;
use crate::outbound::sms::{Sms, SmsGateway};
use crate::store::Tx;
use crate::store::messages::{self as store, NewMessage};
use crate::store::services::{RecipientRow, recipients};

/// Which parties of the case a notification goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum To {
    Everyone,
    Applicants,
    Respondents,
    /// One party (by its id).
    Party(i64),
}

impl To {
    fn includes(self, r: &RecipientRow) -> bool {
        match self {
            To::Everyone => true,
            To::Applicants => r.role == "applicant",
            To::Respondents => r.role == "respondent",
            To::Party(id) => r.party_id == id,
        }
    }
}

/// Where the parties sign in.
pub fn link(app: &App) -> String {
    app.config.public_url.clone().unwrap_or_else(|| format!("http://{}", app.config.addr))
}

/// Stores the notification of `occasion` for the parties `to` and puts its sending in the outbox,
/// in the caller's transaction. `key` names the event, so the same event never notifies twice.
/// `facts` fills in what the event says; the party's name and the commission's are added here.
pub async fn parties(
    app: &App,
    tx: &mut Tx,
    case_id: &str,
    to: To,
    occasion: Occasion,
    key: &str,
    facts: &Facts,
) -> Result<usize, AppError> {
    let wording = app.notifications()?;
    let (has_sms, has_mail) = (app.outbound.sms.is_some(), app.outbound.mail.is_some());
    if !has_sms && !has_mail {
        return Ok(0);
    }
    let at = app.time.now_text();
    let dedupe_key = format!("{}:{key}", occasion.code());
    let mut stored = 0;
    for r in recipients(tx, case_id).await?.into_iter().filter(|r| to.includes(r)) {
        if store::opted_out(tx, r.party_id).await? {
            continue;
        }
        let facts = Facts { name: r.name.clone(), commission: app.config.commission_name.clone(), link: link(app), ..facts.clone() };
        let base = NewMessage {
            case_id,
            party_id: r.party_id,
            service_id: None,
            kind: occasion.code(),
            channel: "sms",
            recipient: "",
            subject: None,
            body: "",
            dedupe_key: Some(&dedupe_key),
            opt_out_token: None,
            at: &at,
        };
        // An SMS only to a party that asked for SMS notices (its service-address confirmation).
        if has_sms
            && r.consent().sms_notice
            && let Some(mobile) = r.mobile()
        {
            let body = wording.sms(occasion, &facts).map_err(|e| AppError::Conflict(e.to_string()))?;
            stored += enqueue(app, tx, &NewMessage { recipient: mobile, body: &body, ..base }).await?;
        }
        if has_mail && let Some(email) = r.email.as_deref() {
            let token = super::secrets::new_token();
            let opt_out = format!("{}/notifications/opt-out/{token}", link(app));
            let mail = wording.email(occasion, &facts, &opt_out).map_err(|e| AppError::Conflict(e.to_string()))?;
            let m = NewMessage {
                channel: "email",
                recipient: email,
                subject: Some(&mail.subject),
                body: &mail.body,
                opt_out_token: Some(&token),
                ..base
            };
            stored += enqueue(app, tx, &m).await?;
        }
    }
    Ok(stored)
}

async fn enqueue(app: &App, tx: &mut Tx, m: &NewMessage<'_>) -> Result<usize, AppError> {
    match store::insert(tx, m).await? {
        Some(message_id) => {
            jobs::enqueue(app, tx, &Job::Prompt { message_id }).await?;
            Ok(1)
        }
        None => Ok(0),
    }
}

/// The outbox's send of one message. A relay or gateway that fails is retried by the outbox with
/// back-off; the error is kept on the message.
pub async fn run_message_job(app: &App, done: jobs::Done<'_>, message_id: i64) -> Result<(), AppError> {
    let mut conn = app.db.reader.acquire().await?;
    let m = store::get(&mut conn, message_id).await?.ok_or_else(|| anyhow::anyhow!("message {message_id} not found"))?;
    // A party who opted out after the event gets nothing more; a message sent is not sent again.
    let skip = m.status != "pending" || store::opted_out(&mut conn, m.party_id).await?;
    drop(conn);
    let sent = if skip { Ok(None) } else { send(app, &m).await };
    let mut tx = app.db.begin().await?;
    match sent {
        Ok(receipt) => {
            if !done.finish(&mut tx).await? {
                return Ok(());
            }
            if !skip {
                store::sent(&mut tx, message_id, receipt.as_deref(), &app.time.now_text()).await?;
            }
            tx.commit().await?;
            Ok(())
        }
        Err(error) => {
            store::attempt_failed(&mut tx, message_id, &error, false).await?;
            tx.commit().await?;
            Err(AppError::Conflict(error))
        }
    }
}

/// Sends the message; the gateway's id for an SMS.
async fn send(app: &App, m: &store::MessageRow) -> Result<Option<String>, String> {
    match m.channel.as_str() {
        "sms" => {
            let gateway = app.outbound.sms.as_ref().ok_or("未配置短信网关（sms_gateway）")?;
            let link = link(app);
            let id = gateway.send(&Sms { to: &m.recipient, text: &m.body, link: &link, out_id: &format!("message-{}", m.id) }).await?;
            Ok(Some(id))
        }
        _ => {
            let relay = app.outbound.mail.as_ref().ok_or("未配置邮件服务器（smtp_url）")?;
            let subject = m.subject.clone().unwrap_or_default();
            let mail =
                Mail { to: &m.recipient, subject: &subject, body: &m.body, attachment: None, message_id: &format!("message-{}", m.id) };
            relay.send(&mail).await?;
            Ok(None)
        }
    }
}

/// `PUT /api/v1/cases/{id}/parties/{role}/{index}/notifications`: opt a party out of (or back into)
/// notifications; service of documents goes on regardless.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct OptOutInput {
    /// `true`: no more notifications; `false`: notify again. Required.
    pub opt_out: Option<bool>,
}

/// Whether a party gets notifications.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OptOutView {
    pub party: String,
    pub opted_out: bool,
}

/// The clerk opts a party out of notifications or back in (a party's wish by phone or in writing).
pub async fn set_opt_out(
    app: &App,
    actor: &super::accounts::Staff,
    case_id: &str,
    role: &str,
    index: i64,
    input: &OptOutInput,
) -> Result<OptOutView, AppError> {
    actor.require(&[super::accounts::Role::Clerk, super::accounts::Role::Admin])?;
    let opt_out =
        input.opt_out.ok_or_else(|| AppError::field("opt_out", "required", "请选择是否接收案件进展提醒（opt_out：true 或 false）"))?;
    let mut tx = app.db.begin().await?;
    let party = recipients(&mut tx, case_id)
        .await?
        .into_iter()
        .find(|r| r.role == role && r.position == index)
        .ok_or(AppError::NotFound("当事人不存在"))?;
    store::set_opt_out(&mut tx, party.party_id, opt_out, &app.time.now_text(), &actor.username).await?;
    let what = if opt_out { "不再接收案件进展提醒" } else { "恢复接收案件进展提醒" };
    note(&mut tx, app, case_id, &actor.username, &format!("{}{what}", party.name)).await?;
    tx.commit().await?;
    Ok(OptOutView { party: party.name, opted_out: opt_out })
}

/// The party behind an e-mail's opt-out link, without changing anything (the confirmation page).
pub async fn opt_out_party(app: &App, token: &str) -> Result<String, AppError> {
    let mut conn = app.db.reader.acquire().await?;
    let (party_id, case_id) = store::by_opt_out_token(&mut conn, token).await?.ok_or(AppError::NotFound("链接无效或已过期"))?;
    let party = recipients(&mut conn, &case_id).await?.into_iter().find(|r| r.party_id == party_id);
    Ok(party.map(|p| p.name).unwrap_or_default())
}

/// A party follows the opt-out link of a notification e-mail and confirms.
pub async fn opt_out_by_link(app: &App, token: &str) -> Result<String, AppError> {
    let name = opt_out_party(app, token).await?;
    let mut tx = app.db.begin().await?;
    let (party_id, case_id) = store::by_opt_out_token(&mut tx, token).await?.ok_or(AppError::NotFound("链接无效或已过期"))?;
    store::set_opt_out(&mut tx, party_id, true, &app.time.now_text(), "当事人（邮件链接）").await?;
    note(&mut tx, app, &case_id, "当事人", &format!("{name}通过邮件链接选择不再接收案件进展提醒")).await?;
    tx.commit().await?;
    Ok(name)
}

async fn note(tx: &mut Tx, app: &App, case_id: &str, actor: &str, note: &str) -> Result<(), AppError> {
    let at = app.time.now_text();
    let e =
        crate::store::events::NewEvent { case_id, at: &at, actor, action: "notifications", before: None, after: None, note: Some(note) };
    Ok(crate::store::events::append(tx, &e).await?)
}

/// One message as staff see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MessageView {
    pub id: i64,
    /// `accepted`, `hearing_set`, `hearing_changed`, `document_waiting`, `deadline`.
    pub kind: String,
    pub kind_label: &'static str,
    /// `sms` or `email`.
    pub channel: String,
    pub recipient: String,
    pub subject: Option<String>,
    pub body: String,
    /// `pending`, `sent`, `delivered`, `failed`.
    pub status: String,
    pub last_error: Option<String>,
    pub created_at: String,
}

/// `GET /api/v1/cases/{id}/messages`: the notifications of a case, oldest first (staff who may read it).
pub async fn of_case(app: &App, actor: &super::accounts::Staff, case_id: &str) -> Result<Vec<MessageView>, AppError> {
    super::access::read_case(app, actor, case_id, "view_case", None, "提醒记录").await?;
    let mut conn = app.db.reader.acquire().await?;
    Ok(store::of_case(&mut conn, case_id)
        .await?
        .into_iter()
        .map(|m| MessageView {
            id: m.id,
            kind_label: Occasion::ALL.into_iter().find(|o| o.code() == m.kind).map_or("提醒", Occasion::label),
            kind: m.kind,
            channel: m.channel,
            recipient: m.recipient,
            subject: m.subject,
            // An e-mail's opt-out link is the party's alone: staff see the message without it.
            body: m.body.split("\n——\n").next().unwrap_or_default().trim_end().to_string(),
            status: m.status,
            last_error: m.last_error,
            created_at: m.created_at,
        })
        .collect())
}
