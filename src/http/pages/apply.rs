//! The applicant's pages: the registration form and its confirmation.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;
use std::collections::HashMap;

use super::{PageError, check_csrf, csrf, no_store, page_error, render};
use crate::app::AppError;
use crate::app::cases::{self, CaseView, Viewer};
use crate::app::parties::{self, LoginInput};
use crate::app::register;
use crate::http::AppState;
use crate::http::limit::ClientAddr;
use crate::law::application::{ClaimKind, RawApplicant, RawApplication, RawClaim, RawConsents, RawEmployment, RawRespondent};
use crate::law::typed;
use axum::response::Redirect;
use axum_extra::extract::cookie::{Cookie, SameSite};

const CLAIM_ROWS: usize = 3;

/// The registration form as posted: flat fields, one applicant, one respondent, up to three claims.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ApplyForm {
    csrf: String,
    applicant_name: String,
    applicant_id_number: String,
    applicant_phone: String,
    applicant_address: String,
    applicant_email: String,
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
    consent_electronic_service: Option<String>,
    consent_electronic_awards: Option<String>,
    /// The 个人信息收集告知 read and agreed (Personal Information Protection Law Art. 14, 17).
    consent_personal_data: Option<String>,
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
                claims.push(RawClaim { kind: some(k), amount: some(&typed::amount(a)), description: some(d) });
            }
        }
        let raw = RawApplication {
            applicants: Some(vec![RawApplicant {
                name: some(&self.applicant_name),
                id_number: some(&typed::number(&self.applicant_id_number)),
                phone: some(&typed::number(&self.applicant_phone)),
                address: some(&self.applicant_address),
                email: some(&self.applicant_email),
            }]),
            respondents: Some(vec![RawRespondent {
                name: some(&self.respondent_name),
                credit_code: some(&typed::number(&self.respondent_credit_code)),
                legal_representative: some(&self.respondent_legal_representative),
                address: some(&self.respondent_address),
                ..Default::default()
            }]),
            claims: Some(claims),
            employment: Some(RawEmployment {
                start: some(&self.employment_start),
                end: some(&self.employment_end),
                monthly_wage: some(&typed::amount(&self.monthly_wage)),
            }),
            facts: some(&self.facts),
            consents: Some(RawConsents {
                simplified: Some(self.consent_simplified.is_some()),
                informal_service: Some(self.consent_informal_service.is_some()),
                electronic_service: Some(self.consent_electronic_service.is_some()),
                electronic_awards: Some(self.consent_electronic_awards.is_some()),
                sms_notice: None,
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

    /// The error summary: each broken rule with the id of the field it is beside, in form order.
    fn summary(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self.errors.iter().map(|(k, m)| (field_id(k), m.clone())).collect();
        let order = |id: &str| FORM_ORDER.iter().position(|x| id.starts_with(x)).unwrap_or(FORM_ORDER.len());
        out.sort_by(|a, b| order(&a.0).cmp(&order(&b.0)).then_with(|| a.0.cmp(&b.0)));
        out
    }
}

/// The form's fields, top to bottom (by id prefix).
const FORM_ORDER: [&str; 9] = [
    "applicant_",
    "respondent_",
    "claim",
    "employment_",
    "monthly_wage",
    "facts",
    "consent_simplified",
    "consent_electronic",
    "consent_personal_data",
];

/// The id of the form field an error key of the application names (`applicants[0].name` →
/// `applicant_name`, `claims[1].amount` → `claim1_amount`); a key of a whole section names its first field.
fn field_id(key: &str) -> String {
    let key = key.replace("applicants[0].", "applicant_").replace("respondents[0].", "respondent_");
    if let Some(rest) = key.strip_prefix("claims[")
        && let Some((n, tail)) = rest.split_once("].")
    {
        return format!("claim{n}_{tail}");
    }
    match key.as_str() {
        "applicants" => "applicant_name".into(),
        "respondents" => "respondent_name".into(),
        "claims" => "claim0_kind".into(),
        "employment.monthly_wage" => "monthly_wage".into(),
        k if k.starts_with("employment.") => k.replace("employment.", "employment_"),
        k if k.starts_with("consents") => "consent_simplified".into(),
        _ => key,
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
    address: &'a str,
    phone: &'a str,
    c: CaseView,
    access_code: String,
    track_label: &'static str,
}

impl RegisteredPage<'_> {
    fn filed_at(&self) -> String {
        crate::time::local_text(&self.c.filed_at)
    }

    fn accept_by(&self) -> String {
        self.c.deadlines.accept_by.map(crate::documents::kinds::chinese_date).unwrap_or_default()
    }
}

/// The cookie that carries a registration's id and access code from the post to its confirmation
/// page (post/redirect/get: a reload shows the confirmation again and files nothing).
const REGISTERED_COOKIE: &str = "gl_registered";

pub async fn apply_submit(
    State(state): State<AppState>,
    ClientAddr(from): ClientAddr,
    jar: CookieJar,
    Form(f): Form<ApplyForm>,
) -> Result<Response, PageError> {
    check_csrf(&state, &jar, &f.csrf)?;
    let (raw, rows) = f.to_raw();
    let commission = &state.app.config.commission_name;
    let filed = if f.consent_personal_data.is_none() {
        // Nothing is filed without the consent; the form shows it beside the other broken rules.
        let mut errs = crate::law::application::Application::parse(&raw, state.app.time.today()).err().unwrap_or_default();
        errs.push(crate::law::FieldError::new(
            "consent_personal_data",
            crate::law::Violation::new("required", "请阅读个人信息收集告知，并勾选同意后再提交"),
        ));
        Err(AppError::Validation(errs))
    } else {
        register::register(&state.app, &raw, None).await
    };
    match filed {
        Ok(r) => {
            let carried = Cookie::build((REGISTERED_COOKIE, format!("{}.{}", r.id, r.access_code)))
                .http_only(true)
                .same_site(SameSite::Strict)
                .path("/apply");
            // The applicant is signed in to its new case, so "我的案件" opens it without typing.
            let login = LoginInput { case: Some(r.id.clone()), code: Some(r.access_code.clone()) };
            let jar = match parties::login(&state.app, &login, from).await {
                Ok(s) => jar.add(super::party::session_cookie(s.token)),
                Err(_) => jar,
            };
            Ok((jar.add(carried), Redirect::to("/apply/registered")).into_response())
        }
        Err(AppError::Validation(fields)) => {
            let errors = fields.into_iter().map(|e| (form_key(&e.field, &rows), e.message)).collect::<HashMap<_, _>>();
            let token = f.csrf.clone();
            let mut res = render(apply_page(commission, token, f, errors));
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(page_error(&state, e)),
    }
}

/// `GET /apply/registered`: the confirmation of the registration this browser just filed, with its
/// access code, printable as the registration's receipt (回执).
pub async fn registered(State(state): State<AppState>, ClientAddr(from): ClientAddr, jar: CookieJar) -> Result<Response, PageError> {
    let Some((id, code)) = jar.get(REGISTERED_COOKIE).and_then(|c| c.value().split_once('.').map(|(a, b)| (a.to_string(), b.to_string())))
    else {
        return Ok(Redirect::to("/status").into_response());
    };
    let c = cases::get(&state.app, &id, Viewer::Applicant { code: &code, from }).await.map_err(|e| page_error(&state, e))?;
    let cfg = &state.app.config;
    let contact = crate::app::settings::contact(&state.app).await.map_err(|e| page_error(&state, e))?;
    let track_label = c.track.label();
    let page = RegisteredPage {
        commission: &cfg.commission_name,
        address: &contact.address,
        phone: &contact.phone,
        c,
        access_code: code,
        track_label,
    };
    Ok(no_store(render(page)))
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
