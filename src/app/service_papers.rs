//! The papers of the service ledger, typeset on demand from what it holds: the 送达回证 of a
//! delivered service and a party's 送达地址确认书. The same record gives the same bytes.

use serde_json::json;

use super::accounts::Staff;
use super::documents::Download;
use super::{App, AppError};
use crate::documents::kinds::{chinese_date, chinese_date_text};
use crate::documents::templates::Paper;
use crate::law::service::ServiceStatus;
use crate::store::services::{self as store, RecipientRow, ServiceRow};
use crate::time::local_text;

fn role_label(role: &str) -> &'static str {
    if role == "applicant" { "申请人" } else { "被申请人" }
}

/// Typesets `source` as a paper, stamped with `at` (so its bytes depend only on the record).
async fn typeset(app: &App, paper: Paper, number: &str, source: String, at: &str) -> Result<Vec<u8>, AppError> {
    let kit = app.documents()?;
    let author = app.config.commission_name.clone();
    let stamp = chrono::DateTime::parse_from_rfc3339(at).map(|t| t.timestamp()).unwrap_or(0);
    let number = number.to_string();
    super::blocking(move || -> Result<Vec<u8>, AppError> {
        let pages = kit.lay_out(&source, Some(&number))?;
        // No seal image: a paper's bytes depend on its record alone, whatever is set later.
        kit.render(&pages, paper.title(), &author, stamp, None)
    })
    .await?
}

/// The 送达回证 of a delivered service (service.md "送达回证 contents").
async fn receipt_of(app: &App, s: &ServiceRow) -> Result<Vec<u8>, AppError> {
    let source = receipt_source(app, s).await?;
    typeset(app, Paper::ServiceReceipt, s.case_no.as_deref().unwrap_or(""), source, s.delivered_at.as_deref().unwrap_or("")).await
}

/// The wording of a delivered service's 送达回证, in the template markup.
async fn receipt_source(app: &App, s: &ServiceRow) -> Result<String, AppError> {
    let channel = s.channel()?;
    let steps = {
        let mut conn = app.db.reader.acquire().await?;
        store::steps_of_case(&mut conn, &s.case_id).await?
    };
    let mut server = String::new();
    let mut lines = Vec::new();
    for t in steps.iter().filter(|t| t.service_id == s.id) {
        if t.step == "delivered" {
            server = t.actor.clone();
        } else if t.step != "created" {
            lines.push(format!("{} {}", local_text(&t.at), t.detail));
        }
    }
    let served_on = s.delivered_on.as_deref().map(chinese_date_text).unwrap_or_default();
    let data = json!({
        "commission": app.config.commission_name,
        "case_no": s.case_no.clone().unwrap_or_default(),
        "document_title": s.document_title,
        "document_number": s.document_number,
        "recipient": s.name,
        "role": role_label(&s.role),
        "method": channel.label(),
        "address": s.address,
        "served_on": served_on,
        // CPL Art. 90: electronic service records the time it reached the recipient's system.
        "served_at": if channel.is_electronic() { s.delivered_at.as_deref().map(local_text).unwrap_or_default() } else { String::new() },
        "evidence": s.evidence,
        "steps": lines,
        "server": if server.is_empty() { "本委".to_string() } else { server },
        "date": served_on,
    });
    app.documents()?.fill_paper(Paper::ServiceReceipt, &data)
}

/// The wording of every 送达回证 of a case, each with its label, for the case file.
pub async fn receipt_sources_of_case(app: &App, case_id: &str) -> Result<Vec<(String, String)>, AppError> {
    let list = {
        let mut conn = app.db.reader.acquire().await?;
        store::of_case(&mut conn, case_id).await?
    };
    let mut out = Vec::new();
    for s in list.iter().filter(|s| s.status == ServiceStatus::Delivered.code()) {
        out.push((format!("送达回证（{}，{}）", s.document_title, s.name), receipt_source(app, s).await?));
    }
    Ok(out)
}

fn file_name(s: &ServiceRow) -> String {
    format!("送达回证-{}-{}-{}.pdf", s.document_title, s.name, s.id)
}

/// `GET /api/v1/services/{id}/receipt.pdf`: the 送达回证 of a delivered service (staff who may read the case).
pub async fn receipt(app: &App, actor: &Staff, id: i64) -> Result<Download, AppError> {
    let s = {
        let mut conn = app.db.reader.acquire().await?;
        store::get(&mut conn, id).await?.ok_or(AppError::NotFound("送达记录不存在"))?
    };
    super::access::read_case(app, actor, &s.case_id, "download", None, &format!("送达回证 {id}")).await?;
    if s.status()? != ServiceStatus::Delivered {
        return Err(AppError::Conflict(format!("该送达{}，尚无送达回证", s.status()?.label())));
    }
    Ok(Download { file_name: file_name(&s), bytes: receipt_of(app, &s).await? })
}

/// The 送达回证 of every delivered service of a case, for the bundle.
pub async fn receipts_of_case(app: &App, case_id: &str) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    let list = {
        let mut conn = app.db.reader.acquire().await?;
        store::of_case(&mut conn, case_id).await?
    };
    let mut out = Vec::new();
    for s in list.iter().filter(|s| s.status == ServiceStatus::Delivered.code()) {
        out.push((file_name(s), receipt_of(app, s).await?));
    }
    Ok(out)
}

/// `GET /api/v1/cases/{id}/parties/{role}/{index}/service-address.pdf`: the party's 送达地址确认书
/// as it stands, to print and sign (staff who may read the case).
pub async fn address_confirmation(app: &App, actor: &Staff, case_id: &str, role: &str, index: i64) -> Result<Download, AppError> {
    super::access::read_case(app, actor, case_id, "download", None, "送达地址确认书").await?;
    let (party, case_no) = {
        let mut conn = app.db.reader.acquire().await?;
        let party: RecipientRow = store::recipients(&mut conn, case_id)
            .await?
            .into_iter()
            .find(|r| r.role == role && r.position == index)
            .ok_or(AppError::NotFound("当事人不存在"))?;
        let case = crate::store::cases::get(&mut conn, case_id).await?.ok_or(AppError::NotFound("案件不存在"))?;
        (party, case.case_no.unwrap_or_default())
    };
    let c = party.consent();
    let yes = |b: bool| if b { "同意" } else { "不同意" };
    let recorded = party.recorded_at.clone().unwrap_or_default();
    let source = match party.source.as_deref() {
        Some("registration") => "申请时填写",
        Some("clerk") => "书面确认，工作人员录入",
        Some("party") => "当事人在网上服务平台确认",
        _ => "尚未确认",
    };
    let data = json!({
        "commission": app.config.commission_name,
        "case_no": case_no,
        "name": party.name,
        "role": role_label(&party.role),
        "address": party.service_address(),
        "phone": party.mobile().unwrap_or("（未填）"),
        "email": party.email.clone().unwrap_or_else(|| "（未填）".into()),
        "platform": yes(c.platform),
        "email_service": yes(c.email),
        "sms_notice": yes(c.sms_notice),
        "electronic_awards": yes(c.electronic_awards),
        "source": source,
        "recorded": if recorded.is_empty() { "—".to_string() } else { local_text(&recorded) },
        // The day of the record, so the same record prints the same bytes; today while unconfirmed.
        "date": if recorded.is_empty() { chinese_date(app.time.today()) } else { local_text(&recorded).split(' ').next().unwrap_or_default().to_string() },
    });
    let text = app.documents()?.fill_paper(Paper::AddressConfirmation, &data)?;
    let bytes = typeset(app, Paper::AddressConfirmation, &case_no, text, &recorded).await?;
    Ok(Download { file_name: format!("送达地址确认书-{}.pdf", party.name), bytes })
}
