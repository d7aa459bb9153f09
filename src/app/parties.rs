//! The parties online (issue 22): each respondent's sign-in code, given at acceptance, and a
//! party's sign-in with the case's id or 案号 and its code, which opens a session scoped to that
//! party of that case. The applicants sign in with the access code of their registration.

use serde::{Deserialize, Serialize};

use super::secrets::{hash_access_code, new_access_code, new_token, sha256_hex};
use super::{App, AppError, throttle};
use crate::law::case_no::CaseRef;
use crate::store::Tx;
use crate::store::party_access as store;
use crate::store::services::recipients;

/// A respondent's sign-in code, as the clerk is given it at acceptance (it is also printed on the
/// respondent's 应诉通知书). Only its digest is kept.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PartyCode {
    /// `respondent`.
    pub role: String,
    pub index: i64,
    pub name: String,
    pub code: String,
}

/// Gives each respondent of a case its own sign-in code, in the acceptance's transaction.
pub async fn issue_codes(app: &App, tx: &mut Tx, case_id: &str) -> Result<Vec<PartyCode>, AppError> {
    let at = app.time.now_text();
    let mut out = Vec::new();
    for r in recipients(tx, case_id).await?.into_iter().filter(|r| r.role == "respondent") {
        let code = new_access_code();
        store::insert_code(tx, r.party_id, case_id, &hash_access_code(&code), &at).await?;
        out.push(PartyCode { role: r.role, index: r.position, name: r.name, code });
    }
    Ok(out)
}

/// `POST /api/v1/party/login`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct LoginInput {
    /// The case's 10-character id, or its 案号 (`中劳人仲案字〔2026〕第6号`, `(2026)6号`, `2026第6号` …).
    #[schema(required = true)]
    pub case: Option<String>,
    /// The applicant's access code, or the respondent's code from its 应诉通知书.
    #[schema(required = true)]
    pub code: Option<String>,
}

/// A party's session.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PartySession {
    /// Sent as `Authorization: Bearer`; it reaches only this party's view of this case.
    pub token: String,
    /// `applicant` or `respondent`.
    pub role: String,
    pub case_id: String,
}

/// The party a session belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub case_id: String,
    /// `applicant` or `respondent`.
    pub role: String,
    pub party_id: i64,
}

/// Signs a party in. A wrong code and an unknown case get the same 401; guesses are throttled
/// per address and per case, as the status lookup's are.
pub async fn login(app: &App, input: &LoginInput, from: std::net::IpAddr) -> Result<PartySession, AppError> {
    let mut errs = Vec::new();
    let case = super::input::required_text(input.case.as_deref(), "case", "案件编号或案号", 100, &mut errs);
    let code = super::input::required_text(input.code.as_deref(), "code", "登录码", 40, &mut errs);
    let (Some(case), Some(code)) = (case, code) else { return Err(AppError::Validation(errs)) };
    let mut conn = app.db.reader.acquire().await?;
    let case_id = match CaseRef::parse(&case) {
        Some(CaseRef::Id(id)) => crate::store::cases::access_code_hash(&mut conn, &id).await?.map(|_| id),
        Some(CaseRef::Number { year, seq }) => store::case_by_number(&mut conn, year, seq).await?,
        None => None,
    };
    let mut keys = vec![throttle::Key::code_address(from)];
    if let Some(id) = &case_id {
        keys.push(throttle::Key::case_code(id));
    }
    drop(conn);
    throttle::check(app, &keys).await?;
    let found = match &case_id {
        Some(id) => who(app, id, &hash_access_code(&code)).await?,
        None => None,
    };
    let Some(party) = found else {
        throttle::failed(app, &keys).await?;
        return Err(AppError::Unauthenticated);
    };
    let token = new_token();
    let now = app.time.now();
    let stamp = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let mut tx = app.db.begin().await?;
    store::insert_session(
        &mut tx,
        &sha256_hex(token.as_bytes()),
        &party.case_id,
        &party.role,
        party.party_id,
        &stamp(now),
        &stamp(now + app.config.token_ttl),
    )
    .await?;
    tx.commit().await?;
    Ok(PartySession { token, role: party.role, case_id: party.case_id })
}

/// The party of case `case_id` whose code has digest `hash`: the applicants' shared access code
/// (the first applicant stands for them), or one respondent's own code.
async fn who(app: &App, case_id: &str, hash: &str) -> Result<Option<Party>, AppError> {
    let mut conn = app.db.reader.acquire().await?;
    let parties = recipients(&mut conn, case_id).await?;
    if crate::store::cases::access_code_hash(&mut conn, case_id).await?.is_some_and(|h| super::secrets::same(h.as_bytes(), hash.as_bytes()))
    {
        let first = parties.iter().find(|p| p.role == "applicant").ok_or_else(|| anyhow::anyhow!("case {case_id} without an applicant"))?;
        return Ok(Some(Party { case_id: case_id.into(), role: "applicant".into(), party_id: first.party_id }));
    }
    for (party_id, h) in store::codes_of_case(&mut conn, case_id).await? {
        if super::secrets::same(h.as_bytes(), hash.as_bytes()) {
            return Ok(Some(Party { case_id: case_id.into(), role: "respondent".into(), party_id }));
        }
    }
    Ok(None)
}

/// The party a session token names, while it runs.
pub async fn authenticate(app: &App, token: &str) -> Result<Option<Party>, AppError> {
    let mut conn = app.db.reader.acquire().await?;
    let row = store::session(&mut conn, &sha256_hex(token.as_bytes()), &app.time.now_text()).await?;
    Ok(row.map(|(case_id, role, party_id)| Party { case_id, role, party_id }))
}
