//! The clock fed by the service ledger: a document counts as served on a side once every party of
//! that side has a delivered service of it, on the latest of their days (service.md).

use chrono::NaiveDate;

use super::{App, AppError};
use crate::documents::kinds::Kind;
use crate::law::service::{Channel, ServiceStatus};
use crate::store::clock::{self as clock_store, ClockEventRow};
use crate::store::services::{self as store, ServiceRow};
use crate::store::{Tx, hearings};

/// The day every party of `role` had the document, and the channel of that last delivery;
/// `None` while one of them has not.
async fn side_served(tx: &mut Tx, svc: &ServiceRow, role: &str) -> Result<Option<(NaiveDate, Channel)>, AppError> {
    let parties: Vec<i64> = store::recipients(tx, &svc.case_id).await?.into_iter().filter(|r| r.role == role).map(|r| r.party_id).collect();
    let services = store::of_document(tx, svc.document_id).await?;
    let mut last: Option<(NaiveDate, Channel)> = None;
    for p in parties {
        let delivered = services.iter().find(|s| s.party_id == p && s.status == ServiceStatus::Delivered.code());
        let Some(s) = delivered else { return Ok(None) };
        let on: NaiveDate = s.delivered_on.as_deref().unwrap_or_default().parse().map_err(anyhow::Error::from)?;
        if last.is_none_or(|(d, _)| on >= d) {
            last = Some((on, s.channel()?));
        }
    }
    Ok(last)
}

/// Records on the clock what a delivered service completes.
pub async fn feed(app: &App, tx: &mut Tx, svc: &ServiceRow, by: &str) -> Result<(), AppError> {
    let Some(kind) = Kind::from_code(&svc.document_kind) else { return Ok(()) };
    let now = app.time.now_text();
    match kind {
        // Law Art. 30: the defence period runs from the respondent's receipt of the copy.
        Kind::RespondentNotice => {
            let Some((on, channel)) = side_served(tx, svc, "respondent").await? else { return Ok(()) };
            // A public notice's deemed service is already on the clock through its publication.
            let recorded = clock_store::entries(tx, &svc.case_id).await?;
            let already = recorded
                .iter()
                .any(|e| matches!(e.event, crate::law::clock::ClockEvent::CopyServed | crate::law::clock::ClockEvent::PublicNotice));
            if channel != Channel::PublicNotice && !already {
                let row = ClockEventRow {
                    case_id: svc.case_id.clone(),
                    kind: "copy_served".into(),
                    on_date: on.to_string(),
                    days: None,
                    code: None,
                    approver: None,
                    note: Some(format!("送达记录 {}（{}）", svc.id, channel.label())),
                    recorded_at: now.clone(),
                    recorded_by: by.to_string(),
                };
                clock_store::insert(tx, &row).await?;
            }
        }
        // Law Art. 35: the notice counts as served once every party has it.
        Kind::HearingNotice => {
            let applicants = side_served(tx, svc, "applicant").await?;
            let respondents = side_served(tx, svc, "respondent").await?;
            if let (Some(a), Some(r)) = (applicants, respondents) {
                let (on, channel) = if a.0 >= r.0 { a } else { r };
                store::mark_notice_document_served(tx, svc.document_id, &on.to_string(), channel.notice_channel()).await?;
            }
        }
        // Law Art. 42, 47–50: each side's windows run from its receipt of the award.
        Kind::AwardFinal | Kind::AwardNonfinal | Kind::Mediation => {
            let original = crate::store::documents::get(tx, svc.document_id).await?.is_some_and(|d| d.corrects.is_none());
            if original && let Some((on, _)) = side_served(tx, svc, &svc.role).await? {
                store::record_award_served(tx, &svc.case_id, svc.document_id, &svc.role, &on.to_string(), &now, by).await?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The notice to answer published for service by public notice: the clock's exclusion starts
/// (Rules Art. 46(6)), unless a publication is already on record.
pub async fn public_notice_published(app: &App, tx: &mut Tx, case_id: &str, on: NaiveDate, by: &str) -> Result<(), AppError> {
    let recorded = clock_store::entries(tx, case_id).await?;
    if recorded.iter().any(|e| matches!(e.event, crate::law::clock::ClockEvent::PublicNotice | crate::law::clock::ClockEvent::CopyServed)) {
        return Ok(());
    }
    let row = ClockEventRow {
        case_id: case_id.to_string(),
        kind: "public_notice".into(),
        on_date: on.to_string(),
        days: None,
        code: None,
        approver: None,
        note: Some("公告送达应诉通知书及申请书副本".into()),
        recorded_at: app.time.now_text(),
        recorded_by: by.to_string(),
    };
    clock_store::insert(tx, &row).await?;
    Ok(())
}

/// Whether the latest notice of a hearing can ground a deemed withdrawal (applicants) or a
/// default award (respondents): every party of that side served, and none only informally
/// without confirming it (Rules Art. 59). Without ledger entries, the notice's recorded service counts.
pub async fn notice_grounds(tx: &mut Tx, hearing_id: i64, role: &str) -> Result<bool, AppError> {
    let notices = hearings::notices(tx, hearing_id).await?;
    let Some(latest) = notices.last() else { return Ok(false) };
    let Some(document_id) = latest.document_id else { return Ok(latest.served_on.is_some()) };
    let services = store::of_document(tx, document_id).await?;
    if services.is_empty() {
        return Ok(latest.served_on.is_some());
    }
    let parties: Vec<i64> = services.iter().filter(|s| s.role == role).map(|s| s.party_id).collect();
    Ok(!parties.is_empty()
        && parties.iter().all(|p| {
            services.iter().any(|s| {
                s.party_id == *p
                    && s.status == ServiceStatus::Delivered.code()
                    && (s.channel != Channel::Sms.code() || s.confirmed_at.is_some())
            })
        }))
}
