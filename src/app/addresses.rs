//! Service addresses and consents (送达地址确认书): given by the applicant at registration,
//! recorded by the clerk from a respondent's signed confirmation, each a new row so a withdrawn
//! consent applies to later services only (service.md).

use serde::{Deserialize, Serialize};

use super::accounts::{Role, Staff};
use super::{App, AppError};
use crate::law::application::Application;
use crate::law::identity::{EmailAddress, MobileNumber};
use crate::law::service::Consent;
use crate::law::{FieldError, Violation};
use crate::store::Tx;
use crate::store::services::{self as store, NewAddress, RecipientRow};

/// Stores what the application gives: the applicants' addresses and consents, and the
/// respondents' contact details as the applicant knows them (no consent of theirs).
pub async fn at_registration(tx: &mut Tx, case_id: &str, a: &Application, now: &str) -> Result<(), AppError> {
    let c = a.consents;
    for r in store::recipients(tx, case_id).await? {
        let i = r.position as usize;
        let (phone, email, consent) = if r.role == "applicant" {
            let p = &a.applicants[i];
            let email = p.email.as_ref().map(|e| e.as_str().to_string());
            let consent = Consent {
                platform: c.electronic_service,
                sms_notice: c.sms_notice,
                email: c.electronic_service && email.is_some(),
                electronic_awards: c.electronic_awards && c.electronic_service,
            };
            (Some(p.phone.as_str().to_string()), email, consent)
        } else {
            let p = &a.respondents[i];
            if p.phone.is_none() && p.email.is_none() {
                continue;
            }
            (p.phone.as_ref().map(|m| m.as_str().to_string()), p.email.as_ref().map(|e| e.as_str().to_string()), Consent::default())
        };
        let row = NewAddress {
            case_id,
            party_id: r.party_id,
            address: &r.address,
            phone: phone.as_deref(),
            email: email.as_deref(),
            consent,
            source: "registration",
            at: now,
            by: if r.role == "applicant" { "申请人" } else { "申请人（代为提供）" },
        };
        store::insert_address(tx, &row).await?;
    }
    Ok(())
}

/// `PUT /api/v1/cases/{id}/parties/{role}/{index}/service-address`: a party's confirmation as
/// signed (送达地址确认书); a consent left out or false is withdrawn from now on.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct AddressInput {
    #[schema(required = true, min_length = 1, max_length = 200)]
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub platform: Option<bool>,
    pub sms_notice: Option<bool>,
    /// Service by e-mail (needs `email`).
    pub email_service: Option<bool>,
    pub electronic_awards: Option<bool>,
}

/// A party's service address and consents in force.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AddressView {
    pub role: String,
    pub index: i64,
    pub name: String,
    pub address: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub consent: Consent,
    /// `registration`, `clerk` or `party`; null when nothing was confirmed.
    pub source: Option<String>,
    pub recorded_at: Option<String>,
}

impl AddressView {
    pub fn of(r: &RecipientRow) -> Self {
        AddressView {
            role: r.role.clone(),
            index: r.position,
            name: r.name.clone(),
            address: r.service_address().to_string(),
            phone: r.mobile().map(str::to_string),
            email: r.email.clone(),
            consent: r.consent(),
            source: r.source.clone(),
            recorded_at: r.recorded_at.clone(),
        }
    }
}

pub(crate) fn parse(input: &AddressInput) -> Result<(String, Option<MobileNumber>, Option<EmailAddress>, Consent), AppError> {
    let mut errs = Vec::new();
    let address = super::input::required_text(input.address.as_deref(), "address", "送达地址", 200, &mut errs);
    let phone = input
        .phone
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .and_then(|s| MobileNumber::parse(&crate::law::typed::number(s)).map_err(|v| errs.push(FieldError::new("phone", v))).ok());
    let email = input
        .email
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .and_then(|s| EmailAddress::parse(s).map_err(|v| errs.push(FieldError::new("email", v))).ok());
    let consent = Consent {
        platform: input.platform.unwrap_or(false),
        sms_notice: input.sms_notice.unwrap_or(false),
        email: input.email_service.unwrap_or(false),
        electronic_awards: input.electronic_awards.unwrap_or(false),
    };
    if consent.email && input.email.as_deref().map(str::trim).unwrap_or("").is_empty() {
        errs.push(FieldError::new("email", Violation::new("required", "同意电子邮件送达时请填写电子邮箱")));
    }
    if consent.sms_notice && input.phone.as_deref().map(str::trim).unwrap_or("").is_empty() {
        errs.push(FieldError::new("phone", Violation::new("required", "需要短信提示时请填写手机号码")));
    }
    match (address, errs.is_empty()) {
        (Some(a), true) => Ok((a, phone, email, consent)),
        _ => Err(AppError::Validation(errs)),
    }
}

/// The clerk records a party's signed confirmation.
pub async fn confirm(
    app: &App,
    actor: &Staff,
    case_id: &str,
    role: &str,
    index: i64,
    input: &AddressInput,
) -> Result<AddressView, AppError> {
    actor.require(&[Role::Clerk])?;
    let (address, phone, email, consent) = parse(input)?;
    record(app, case_id, role, index, &address, phone, email, consent, "clerk", &actor.username).await
}

#[allow(clippy::too_many_arguments)]
async fn record(
    app: &App,
    case_id: &str,
    role: &str,
    index: i64,
    address: &str,
    phone: Option<MobileNumber>,
    email: Option<EmailAddress>,
    consent: Consent,
    source: &str,
    by: &str,
) -> Result<AddressView, AppError> {
    let mut tx = app.db.begin().await?;
    let a = Confirmed { address, phone, email, consent, source, by };
    let view = record_in(app, &mut tx, case_id, role, index, &a).await?;
    tx.commit().await?;
    Ok(view)
}

/// A confirmation as recorded: the address, the numbers and the consents, and who gave it.
pub struct Confirmed<'a> {
    pub address: &'a str,
    pub phone: Option<MobileNumber>,
    pub email: Option<EmailAddress>,
    pub consent: Consent,
    /// `clerk` (the signed paper) or `party` (online).
    pub source: &'a str,
    pub by: &'a str,
}

/// Records a party's service address and consents in the caller's transaction.
pub async fn record_in(app: &App, tx: &mut Tx, case_id: &str, role: &str, index: i64, a: &Confirmed<'_>) -> Result<AddressView, AppError> {
    let (address, phone, email, consent, source, by) = (a.address, &a.phone, &a.email, a.consent, a.source, a.by);
    let party = store::recipients(&mut *tx, case_id)
        .await?
        .into_iter()
        .find(|r| r.role == role && r.position == index)
        .ok_or(AppError::NotFound("当事人不存在"))?;
    let now = app.time.now_text();
    let row = NewAddress {
        case_id,
        party_id: party.party_id,
        address,
        phone: phone.as_ref().map(MobileNumber::as_str),
        email: email.as_ref().map(EmailAddress::as_str),
        consent,
        source,
        at: &now,
        by,
    };
    store::insert_address(tx, &row).await?;
    let note = format!(
        "{} 送达地址确认：平台{}，电子邮件{}，短信提示{}，裁决书电子送达{}",
        party.name,
        yes(consent.platform),
        yes(consent.email),
        yes(consent.sms_notice),
        yes(consent.electronic_awards)
    );
    crate::store::events::append(
        tx,
        &crate::store::events::NewEvent {
            case_id,
            at: &now,
            actor: by,
            action: "service_address",
            before: None,
            after: None,
            note: Some(&note),
        },
    )
    .await?;
    let party = store::recipients(tx, case_id).await?.into_iter().find(|r| r.party_id == party.party_id).expect("just read");
    Ok(AddressView::of(&party))
}

fn yes(b: bool) -> &'static str {
    if b { "同意" } else { "不同意" }
}

/// Every party's service address in force (staff who may read the case).
pub async fn of_case(app: &App, actor: &Staff, case_id: &str) -> Result<Vec<AddressView>, AppError> {
    super::access::read_case(app, actor, case_id, "view_case", None, "送达地址").await?;
    let mut conn = app.db.reader.acquire().await?;
    Ok(store::recipients(&mut conn, case_id).await?.iter().map(AddressView::of).collect())
}
