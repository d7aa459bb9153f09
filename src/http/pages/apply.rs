//! The applicant's pages: the registration form, its confirmation, and the status lookup.

use crate::http::limit::ClientAddr;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;
use std::collections::HashMap;

use super::{PageError, check_csrf, csrf, no_store, page_error, render, status_label};
use crate::app::AppError;
use crate::app::cases::{self, CaseView, Viewer};
use crate::app::register::{self, Registered};
use crate::http::AppState;
use crate::law::application::{ClaimKind, RawApplicant, RawApplication, RawClaim, RawConsents, RawEmployment, RawRespondent};
use crate::law::typed;

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
    r: Registered,
    track_label: &'static str,
}

pub async fn apply_submit(State(state): State<AppState>, jar: CookieJar, Form(f): Form<ApplyForm>) -> Result<Response, PageError> {
    check_csrf(&state, &jar, &f.csrf)?;
    let (raw, rows) = f.to_raw();
    let commission = &state.app.config.commission_name;
    match register::register(&state.app, &raw, None).await {
        Ok(r) => {
            let track_label = r.track.label();
            Ok(no_store(render(RegisteredPage { commission, r, track_label })))
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

#[derive(Template)]
#[template(path = "status_lookup.html")]
struct StatusLookupPage<'a> {
    commission: &'a str,
    csrf: String,
    case_id: String,
    error: String,
}

pub async fn status_form(State(state): State<AppState>, jar: CookieJar) -> Response {
    let (jar, token) = csrf(jar);
    let page =
        StatusLookupPage { commission: &state.app.config.commission_name, csrf: token, case_id: String::new(), error: String::new() };
    (jar, render(page)).into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StatusForm {
    csrf: String,
    case_id: String,
    access_code: String,
}

#[derive(Template)]
#[template(path = "status.html")]
struct StatusPage<'a> {
    commission: &'a str,
    c: CaseView,
    status_label: &'static str,
    track_label: &'static str,
}

pub async fn status_submit(
    State(state): State<AppState>,
    ClientAddr(from): ClientAddr,
    jar: CookieJar,
    Form(f): Form<StatusForm>,
) -> Result<Response, PageError> {
    check_csrf(&state, &jar, &f.csrf)?;
    let commission = &state.app.config.commission_name;
    let id = f.case_id.trim().to_uppercase();
    let lookup = if id.is_empty() || f.access_code.trim().is_empty() {
        Err(AppError::NotFound("请填写案件编号和查询码"))
    } else {
        cases::get(&state.app, &id, Viewer::Applicant { code: &f.access_code, from }).await
    };
    match lookup {
        Ok(c) => {
            let (status_label, track_label) = (status_label(c.status), c.track.label());
            Ok(no_store(render(StatusPage { commission, c, status_label, track_label })))
        }
        Err(AppError::NotFound(m)) => {
            let page = StatusLookupPage { commission, csrf: f.csrf, case_id: id, error: m.to_string() };
            let mut res = render(page);
            *res.status_mut() = StatusCode::NOT_FOUND;
            Ok(res)
        }
        Err(e) => Err(page_error(&state, e)),
    }
}
