//! The parties online (issue 22): each respondent's sign-in code, given at acceptance, and a
//! party's sign-in with the case's id or 案号 and its code, which opens a session scoped to that
//! party of that case. The applicants sign in with the access code of their registration.

use serde::{Deserialize, Serialize};

use super::secrets::{hash_access_code, new_access_code, new_token, sha256_hex};
use super::{App, AppError, throttle};
use crate::documents::kinds::{DefenceCopy, Kind};
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

/// `POST /api/v1/cases/{id}/defence` (the respondent's session).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct DefenceInput {
    /// The defence (答辩书), 1 to 20,000 characters.
    #[schema(required = true)]
    pub text: Option<String>,
    /// Waive the defence period (放弃答辩期), so the hearing may come sooner (Rules Art. 58;
    /// simplified procedure only).
    pub waive_defence_period: Option<bool>,
}

/// A defence received.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DefenceView {
    pub id: i64,
    /// Submitted after the defence period ended: still accepted, marked late.
    pub late: bool,
    pub waived: bool,
    pub submitted_at: String,
    /// The deadlines as they stand now (with a waiver, the earlier hearing it allows).
    pub hearing_not_before: Option<chrono::NaiveDate>,
}

/// A respondent answers online: its defence, and with it perhaps the waiver of the defence period
/// (a clock event in the same transaction, refused where the law allows none: then nothing is
/// stored). The applicants are told (a notification).
pub async fn defend(app: &App, party: &Party, case_id: &str, input: &DefenceInput) -> Result<DefenceView, AppError> {
    // A party writes to its own case only (issue 22: another case's defence gets 403).
    if party.case_id != case_id || party.role != "respondent" {
        return Err(AppError::Forbidden);
    }
    let mut errs = Vec::new();
    let text = super::input::required_text(input.text.as_deref(), "text", "答辩意见", 20_000, &mut errs);
    let Some(text) = text else { return Err(AppError::Validation(errs)) };
    let waive = input.waive_defence_period.unwrap_or(false);
    let today = app.time.today();
    let now = app.time.now_text();
    let mut tx = app.db.begin().await?;
    let case = crate::store::cases::get(&mut tx, case_id).await?.ok_or(AppError::NotFound("案件不存在"))?;
    if case.status.is_final() || case.accepted_on.is_none() {
        return Err(AppError::Conflict("该案件未在审理中，不能提交答辩".into()));
    }
    let deadlines = {
        let dates = super::deadlines::CaseDates::parse(case.status, &case.filed_on, case.accepted_on.as_deref())?;
        let entries = crate::store::clock::entries(&mut tx, case_id).await?;
        app.deadlines_of(&dates, &entries)
    };
    // Law Art. 30: a defence after the period is still received; the record says it was late.
    let late = deadlines.defence_by.is_some_and(|by| today > by);
    let mut hearing_not_before = deadlines.hearing_not_before;
    if waive {
        let entry = crate::law::clock::ClockEntry { on: today, event: crate::law::clock::ClockEvent::DefenceWaived { days: None } };
        let recorded = super::clock::record_in(app, &mut tx, "被申请人（网上）", case_id, entry, None).await?;
        hearing_not_before = recorded.deadlines.hearing_not_before;
    }
    let d = store::NewDefence { case_id, party_id: party.party_id, text: &text, late, waived: waive, at: &now };
    let id = store::insert_defence(&mut tx, &d).await?;
    let what = if waive { "提交答辩书并放弃答辩期" } else { "提交答辩书" };
    let note = format!("被申请人{what}{}", if late { "（答辩期满后提交）" } else { "" });
    let e = crate::store::events::NewEvent {
        case_id,
        at: &now,
        actor: "被申请人（网上）",
        action: "defence",
        before: None,
        after: None,
        note: Some(&note),
    };
    crate::store::events::append(&mut tx, &e).await?;
    // Law Art. 30: the defence copy is served on the applicants within five days; it is typeset by
    // the outbox and served by their channels like any notice.
    let respondent =
        recipients(&mut tx, case_id).await?.into_iter().find(|r| r.party_id == party.party_id).map(|r| r.name).unwrap_or_default();
    let received_on = crate::documents::kinds::chinese_date(today);
    super::documents::enqueue_notice(app, &mut tx, &case, Kind::DefenceCopy, "被申请人（网上）", |head| DefenceCopy {
        head,
        respondent,
        received_on,
        late,
        waived: waive,
        paragraphs: paragraphs(&text),
    })
    .await?;
    let facts = crate::notifications::Facts { case_no: case.case_no.clone().unwrap_or_default(), ..Default::default() };
    super::notify::parties(
        app,
        &mut tx,
        case_id,
        super::notify::To::Applicants,
        crate::notifications::Occasion::DefenceReceived,
        &format!("defence-{id}"),
        &facts,
    )
    .await?;
    tx.commit().await?;
    Ok(DefenceView { id, late, waived: waive, submitted_at: now, hearing_not_before })
}

/// A party's text as the paragraphs of a document: one per non-empty line, and a line that would
/// read as a markup directive (`@…`) keeps its character in full width.
fn paragraphs(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.strip_prefix('@') {
            Some(rest) => format!("＠{rest}"),
            None => l.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_defence_line_never_reads_as_a_directive() {
        assert_eq!(super::paragraphs("  第一段\n\n@page 第二段\n"), ["第一段", "＠page 第二段"]);
    }
}
