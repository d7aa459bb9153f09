//! What a signed-in party asks of the commission online (issue 22 §3, §5): its service address and
//! consents with its willingness to mediate; and its requests for a decision — a postponement
//! (into the clerk's postponement list), an arbitrator's recusal, or the applicant's withdrawal,
//! which a clerk grants or refuses.

use serde::{Deserialize, Serialize};

use super::accounts::{Role, Staff};
use super::addresses::{self, AddressInput, AddressView, Confirmed};
use super::input::required_text;
use super::parties::Party;
use super::{App, AppError};
use crate::law::{FieldError, Violation};
use crate::store::party_requests::{self as store, NewAnswer, NewRequest, RequestRow};

/// A party's 送达地址确认书 and procedural answers, given online.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct AnswersInput {
    /// The service address, its mobile number and e-mail, and the consents to electronic service.
    #[serde(flatten)]
    pub address: AddressInput,
    /// The respondent consents to the simplified procedure (the green channel needs both sides).
    pub simplified: Option<bool>,
    /// Consent to notices by SMS or telephone (awards and mediation statements excepted).
    pub informal_service: Option<bool>,
    /// Willing to mediate (Law Art. 42).
    pub mediation: Option<bool>,
}

/// The answers as recorded.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AnswersView {
    pub address: AddressView,
    pub simplified: bool,
    pub informal_service: bool,
    pub mediation: bool,
    /// Paper services not yet sent that moved to the platform with the consent.
    pub moved_to_platform: usize,
}

/// Records a party's confirmation and answers in one transaction; with consent to the platform,
/// its paper services not yet sent move there.
pub async fn answer(app: &App, party: &Party, case_id: &str, input: &AnswersInput) -> Result<AnswersView, AppError> {
    let case = own_case(app, party, case_id).await?;
    let (address, phone, email, consent) = addresses::parse(&input.address)?;
    let by = who(party);
    let now = app.time.now_text();
    let answers = (input.simplified.unwrap_or(false), input.informal_service.unwrap_or(false), input.mediation.unwrap_or(false));
    let mut tx = app.db.begin().await?;
    let position = crate::store::services::recipients(&mut tx, case_id)
        .await?
        .into_iter()
        .find(|r| r.party_id == party.party_id)
        .map(|r| r.position)
        .ok_or(AppError::NotFound("当事人不存在"))?;
    let confirmed = Confirmed { address: &address, phone, email, consent, source: "party", by };
    let view = addresses::record_in(app, &mut tx, case_id, &party.role, position, &confirmed).await?;
    let a =
        NewAnswer { case_id, party_id: party.party_id, simplified: answers.0, informal_service: answers.1, mediation: answers.2, at: &now };
    store::insert_answer(&mut tx, &a).await?;
    let yes = |b: bool| if b { "同意" } else { "不同意" };
    let note =
        format!("{}：简易处理{}，简便方式通知{}，调解{}", by, yes(answers.0), yes(answers.1), if answers.2 { "愿意" } else { "不愿意" });
    event(&mut tx, case_id, by, "party_answers", &note, &now).await?;
    let moved = if consent.platform && !case.status.is_final() {
        super::services::move_to_platform(app, &mut tx, case_id, party.party_id, by).await?
    } else {
        0
    };
    tx.commit().await?;
    Ok(AnswersView { address: view, simplified: answers.0, informal_service: answers.1, mediation: answers.2, moved_to_platform: moved })
}

/// A request a party files.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct RequestInput {
    /// `postponement` (延期开庭), `recusal` (回避) or `withdrawal` (撤回申请, the applicant only).
    #[schema(required = true)]
    pub kind: Option<String>,
    #[schema(required = true, min_length = 1, max_length = 500)]
    pub reason: Option<String>,
    /// For a recusal: the arbitrator of the case's tribunal it names.
    pub arbitrator_id: Option<i64>,
    /// For a withdrawal: the applicant confirms it a second time (it closes the case once granted).
    pub confirm: Option<bool>,
}

/// A request as filed and decided.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RequestView {
    pub id: i64,
    pub case_id: String,
    pub case_no: Option<String>,
    /// `postponement`, `recusal` or `withdrawal`.
    pub kind: String,
    pub kind_label: &'static str,
    /// `applicant` or `respondent`.
    pub party_role: String,
    pub party_name: String,
    pub reason: String,
    pub arbitrator_id: Option<i64>,
    pub arbitrator_name: Option<String>,
    /// `pending`, `granted` or `refused`.
    pub status: String,
    pub status_label: &'static str,
    pub requested_at: String,
    pub decided_at: Option<String>,
    pub decision_note: Option<String>,
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "postponement" => "延期开庭申请",
        "recusal" => "回避申请",
        _ => "撤回仲裁申请",
    }
}

fn status_label(status: &str) -> &'static str {
    match status {
        "granted" => "已准许",
        "refused" => "不准许",
        _ => "待决定",
    }
}

impl RequestView {
    fn of(r: RequestRow) -> Self {
        RequestView {
            kind_label: kind_label(&r.kind),
            status_label: status_label(&r.status),
            id: r.id,
            case_id: r.case_id,
            case_no: r.case_no,
            kind: r.kind,
            party_role: r.party_role,
            party_name: r.party_name,
            reason: r.reason,
            arbitrator_id: r.arbitrator_id,
            arbitrator_name: r.arbitrator_name,
            status: r.status,
            requested_at: r.requested_at,
            decided_at: r.decided_at,
            decision_note: r.decision_note,
        }
    }
}

/// Files a party's request. A postponement goes to the clerk's postponement list (refused after
/// `postpone_by`); a recusal names an arbitrator of the case's tribunal and comes before the
/// hearing (Law Art. 33); a withdrawal is the applicant's, confirmed twice.
pub async fn request(app: &App, party: &Party, case_id: &str, input: &RequestInput) -> Result<RequestView, AppError> {
    let case = own_case(app, party, case_id).await?;
    let mut errs = Vec::new();
    let reason = required_text(input.reason.as_deref(), "reason", "理由", 500, &mut errs);
    let kind = match input.kind.as_deref().map(str::trim) {
        Some(k @ ("postponement" | "recusal" | "withdrawal")) => Some(k),
        Some("") | None => {
            errs.push(FieldError::new("kind", Violation::new("required", "请选择申请事项")));
            None
        }
        Some(other) => {
            errs.push(FieldError::new(
                "kind",
                Violation::new("unknown_kind", format!("没有“{other}”这种申请（延期开庭、回避、撤回申请）")),
            ));
            None
        }
    };
    if kind == Some("withdrawal") && input.confirm != Some(true) {
        errs.push(FieldError::new("confirm", Violation::new("required", "撤回申请须再次确认：准许后案件即结案，不能恢复")));
    }
    if kind == Some("recusal") && input.arbitrator_id.is_none() {
        errs.push(FieldError::new("arbitrator_id", Violation::new("required", "请选择申请回避的仲裁员")));
    }
    let (Some(kind), Some(reason)) = (kind, reason.filter(|_| errs.is_empty())) else { return Err(AppError::Validation(errs)) };
    if case.status.is_final() || case.accepted_on.is_none() {
        return Err(AppError::Conflict("案件未在审理中，不能提出申请".into()));
    }
    if kind == "postponement" {
        let p = super::replan::party_request_postponement(app, party, Some(&reason)).await?;
        return Ok(RequestView {
            id: p.id,
            case_id: p.case_id,
            case_no: case.case_no,
            kind: "postponement".into(),
            kind_label: kind_label("postponement"),
            party_role: party.role.clone(),
            party_name: String::new(),
            reason: p.reason,
            arbitrator_id: None,
            arbitrator_name: None,
            status_label: status_label(&p.status),
            status: p.status,
            requested_at: p.requested_on,
            decided_at: None,
            decision_note: p.decision_note,
        });
    }
    if kind == "withdrawal" && party.role != "applicant" {
        return Err(AppError::Forbidden);
    }
    let now = app.time.now_text();
    let mut tx = app.db.begin().await?;
    let arbitrator_id = if kind == "recusal" {
        let id = input.arbitrator_id.unwrap_or_default();
        // Law Art. 33: a recusal is asked before the hearing, of an arbitrator who sits on the case.
        if !crate::store::hearings::sits_on(&mut tx, id, case_id).await? {
            return Err(AppError::field("arbitrator_id", "not_on_tribunal", "该仲裁员不在本案仲裁庭中"));
        }
        if !matches!(case.status, crate::law::case::Status::Accepted | crate::law::case::Status::Scheduled) {
            return Err(AppError::Conflict("回避申请应当在开庭审理前提出（《劳动争议调解仲裁法》第三十三条）".into()));
        }
        Some(id)
    } else {
        None
    };
    let r = NewRequest { case_id, party_id: party.party_id, kind, reason: &reason, arbitrator_id, at: &now };
    let id = match store::insert_request(&mut tx, &r).await {
        Ok(id) => id,
        Err(e) if crate::store::is_unique_violation(&e) => return Err(AppError::Conflict("同一事项已有一项待决定的申请".into())),
        Err(e) => return Err(e.into()),
    };
    event(&mut tx, case_id, who(party), &format!("{kind}_requested"), &format!("{}：{reason}", kind_label(kind)), &now).await?;
    let row = store::get(&mut tx, id).await?.ok_or_else(|| anyhow::anyhow!("request {id} just stored"))?;
    tx.commit().await?;
    Ok(RequestView::of(row))
}

/// The requests of the party's own case.
pub async fn of_party(app: &App, party: &Party) -> Result<Vec<RequestView>, AppError> {
    let mut conn = app.db.reader.acquire().await?;
    Ok(store::of_case(&mut conn, &party.case_id).await?.into_iter().filter(|r| r.party_id == party.party_id).map(RequestView::of).collect())
}

/// Every request waiting for a decision (clerk, admin).
pub async fn pending(app: &App, actor: &Staff) -> Result<Vec<RequestView>, AppError> {
    actor.require(&[Role::Clerk, Role::Admin])?;
    let mut conn = app.db.reader.acquire().await?;
    Ok(store::pending(&mut conn).await?.into_iter().map(RequestView::of).collect())
}

/// `POST /api/v1/party-requests/{id}/decision`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct DecisionInput {
    #[schema(required = true)]
    pub granted: Option<bool>,
    /// Why; required when refused.
    pub note: Option<String>,
}

/// A clerk decides a request, in one transaction with what it does: a granted withdrawal closes
/// the case as withdrawn (Rules Art. 35); a granted recusal keeps the arbitrator off this party's
/// cases (Law Art. 34), for the next planning.
pub async fn decide(app: &App, actor: &Staff, id: i64, input: &DecisionInput) -> Result<RequestView, AppError> {
    actor.require(&[Role::Clerk])?;
    let mut errs = Vec::new();
    let granted = input.granted;
    if granted.is_none() {
        errs.push(FieldError::new("granted", Violation::new("required", "请选择准许或不准许")));
    }
    let note = input.note.as_deref().map(str::trim).unwrap_or("").to_string();
    if granted == Some(false) && note.is_empty() {
        errs.push(FieldError::new("note", Violation::new("required", "不准许时请写明理由")));
    }
    let Some(granted) = granted.filter(|_| errs.is_empty()) else { return Err(AppError::Validation(errs)) };
    let now = app.time.now_text();
    let mut tx = app.db.begin().await?;
    let r = store::get(&mut tx, id).await?.ok_or(AppError::NotFound("申请不存在"))?;
    if !store::decide(&mut tx, id, granted, &note, &now, &actor.username).await? {
        return Err(AppError::Conflict("该申请已作出决定".into()));
    }
    if granted && r.kind == "withdrawal" {
        let reason = format!("申请人网上申请撤回：{}", r.reason);
        super::withdraw::close_withdrawn(app, &mut tx, &r.case_id, app.time.today(), &reason, &actor.username).await?;
    }
    if granted && r.kind == "recusal" {
        let p = crate::store::cases::parties(&mut tx, &r.case_id).await?;
        let me = p.iter().find(|x| x.role == r.party_role && x.name == r.party_name);
        let row = crate::store::hearings::RecusalRow {
            arbitrator_id: r.arbitrator_id.ok_or_else(|| anyhow::anyhow!("a recusal request without an arbitrator"))?,
            party_name: Some(r.party_name.clone()),
            id_number: me.and_then(|x| x.id_number.clone()),
            credit_code: me.and_then(|x| x.credit_code.clone()),
        };
        crate::store::hearings::insert_recusal(&mut tx, &row, &r.reason, &now, &actor.username).await?;
    }
    let what = format!(
        "{}{}{}",
        kind_label(&r.kind),
        if granted { "：准许" } else { "：不准许" },
        if note.is_empty() { String::new() } else { format!("，{note}") }
    );
    event(&mut tx, &r.case_id, &actor.username, &format!("{}_decided", r.kind), &what, &now).await?;
    let row = store::get(&mut tx, id).await?.ok_or_else(|| anyhow::anyhow!("request {id} just decided"))?;
    tx.commit().await?;
    Ok(RequestView::of(row))
}

async fn own_case(app: &App, party: &Party, case_id: &str) -> Result<crate::store::cases::CaseRow, AppError> {
    // A party writes to its own case only: another case's gets 403.
    if party.case_id != case_id {
        return Err(AppError::Forbidden);
    }
    let mut conn = app.db.reader.acquire().await?;
    crate::store::cases::get(&mut conn, case_id).await?.ok_or(AppError::NotFound("案件不存在"))
}

fn who(party: &Party) -> &'static str {
    if party.role == "applicant" { "申请人（网上）" } else { "被申请人（网上）" }
}

async fn event(tx: &mut crate::store::Tx, case_id: &str, actor: &str, action: &str, note: &str, at: &str) -> Result<(), AppError> {
    let e = crate::store::events::NewEvent { case_id, at, actor, action, before: None, after: None, note: Some(note) };
    crate::store::events::append(tx, &e).await?;
    Ok(())
}
