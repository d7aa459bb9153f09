//! The tribunal's decision: the award (仲裁裁决书), split into a final and a non-final part when
//! its items differ (Law Art. 47; Rules Art. 50), and the mediation statement (调解书, Law Art. 42).
//! Either closes the case.

use crate::law::case::{Outcome, Status};
use serde::{Deserialize, Serialize};

use super::accounts::{Role, Staff};
use super::documents::{DocumentView, Issue, head, issue};
use super::input::required_text;
use super::{App, AppError};
use crate::documents::kinds::{self, ClaimLine, Kind, Member, ResultItem, chinese_date};
use crate::law::application::ClaimKind;
use crate::law::award::{Finality, part_number, split};
use crate::law::money::Amount;
use crate::law::{FieldError, Violation};
use crate::store::cases::ClaimRow;
use crate::store::{Tx, cases, events, hearings, resources};

/// One result item as the tribunal writes it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ItemInput {
    /// The index of the claim in the case's `claims` (awards only).
    pub claim: Option<i64>,
    /// Yuan with at most two decimals; `"0.00"` for a claim rejected.
    pub awarded: Option<String>,
    pub text: Option<String>,
    /// The tribunal's reasons for this item (awards only): printed under 本委认为 in the award
    /// that carries the item, so each part of a split award gives its own reasons.
    pub reasoning: Option<String>,
}

/// One element of an element-style award (要素式裁决书).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ElementInput {
    /// 入职时间, 月工资标准, 欠付工资 …
    pub name: Option<String>,
    /// What the applicant states; for an undisputed element, what both sides agree.
    pub applicant: Option<String>,
    pub respondent: Option<String>,
    pub disputed: Option<bool>,
    /// The tribunal's finding; required on a disputed element.
    pub finding: Option<String>,
}

/// `POST /api/v1/cases/{id}/award`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct AwardInput {
    /// Facts found, as paragraphs; may be left out of an element-style award, whose elements
    /// state them.
    pub findings: Option<String>,
    /// Reasons common to every item; may be left out when each item gives its own.
    pub reasoning: Option<String>,
    /// The respondent's defence; left out when none was made.
    pub defence: Option<String>,
    pub items: Option<Vec<ItemInput>>,
    /// Adds the closing item that dismisses the other claims.
    pub dismiss_other_claims: Option<bool>,
    /// The element-style award of a small claim: the facts as a table of elements.
    pub elements: Option<Vec<ElementInput>>,
}

/// The elements as the tribunal filled them in, each checked.
fn elements_of(raw: Option<&[ElementInput]>, errs: &mut Vec<FieldError>) -> Vec<kinds::Element> {
    let raw = raw.unwrap_or_default();
    if raw.len() > 40 {
        errs.push(FieldError::new("elements", Violation::new("too_many", "要素不能超过40项")));
    }
    let mut out = Vec::new();
    for (i, e) in raw.iter().enumerate() {
        let field = |f: &str| format!("elements[{i}].{f}");
        let name = required_text(e.name.as_deref(), &field("name"), "要素名称", 20, errs);
        let applicant = required_text(e.applicant.as_deref(), &field("applicant"), "申请人主张（或双方确认的内容）", 500, errs);
        let disputed = e.disputed.unwrap_or(false);
        let finding = if disputed {
            required_text(e.finding.as_deref(), &field("finding"), "仲裁庭对争议要素的认定", 500, errs)
        } else {
            Some(String::new())
        };
        let respondent = e.respondent.as_deref().map(str::trim).unwrap_or_default().to_string();
        if respondent.chars().count() > 500 {
            errs.push(FieldError::new(field("respondent"), Violation::new("too_long", "被申请人意见不能超过500个字")));
        }
        if let (Some(name), Some(applicant), Some(finding)) = (name, applicant, finding) {
            out.push(kinds::Element { name, applicant, respondent, disputed, finding });
        }
    }
    out
}

/// `POST /api/v1/cases/{id}/mediation`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct MediationInput {
    pub items: Option<Vec<ItemInput>>,
}

/// What was issued.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Issued {
    pub documents: Vec<DocumentView>,
}

/// A validated item.
struct Item {
    claim: Option<usize>,
    awarded: Amount,
    text: String,
    reasoning: Option<String>,
}

fn items_of(raw: Option<&[ItemInput]>, need_claim: bool, errs: &mut Vec<FieldError>) -> Vec<Item> {
    let raw = raw.unwrap_or_default();
    if raw.is_empty() {
        errs.push(FieldError::new("items", Violation::new("required", "请至少写明一项结果")));
    } else if raw.len() > 50 {
        errs.push(FieldError::new("items", Violation::new("too_many", "结果不能超过50项")));
    }
    let mut out = Vec::new();
    for (i, it) in raw.iter().enumerate() {
        let field = |f: &str| format!("items[{i}].{f}");
        let claim = match (it.claim, need_claim) {
            (Some(c), _) if c >= 0 => Some(c as usize),
            (Some(_), _) => {
                errs.push(FieldError::new(field("claim"), Violation::new("unknown_claim", "仲裁请求序号应从0开始")));
                None
            }
            (None, true) => {
                errs.push(FieldError::new(field("claim"), Violation::new("required", "请写明该项对应的仲裁请求序号")));
                None
            }
            (None, false) => None,
        };
        let awarded = match it.awarded.as_deref() {
            None => {
                errs.push(FieldError::new(field("awarded"), Violation::new("required", "请填写金额（驳回的请求填 0.00）")));
                None
            }
            Some(s) => Amount::parse(s).map_err(|v| errs.push(FieldError::new(field("awarded"), v))).ok(),
        };
        let text = required_text(it.text.as_deref(), &field("text"), "结果内容", 1000, errs);
        let reasoning = it.reasoning.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
        if reasoning.as_ref().is_some_and(|r| r.chars().count() > 20_000) {
            errs.push(FieldError::new(field("reasoning"), Violation::new("too_long", "该项理由不能超过20000个字")));
        }
        if let (Some(awarded), Some(text)) = (awarded, text) {
            out.push(Item { claim, awarded, text, reasoning });
        }
    }
    out
}

/// Each item names a claim of the case and awards no more than it asked.
fn check_against_claims(items: &[Item], claims: &[ClaimRow], errs: &mut Vec<FieldError>) {
    for (i, it) in items.iter().enumerate() {
        let Some(c) = it.claim else { continue };
        match claims.get(c) {
            None => errs.push(FieldError::new(
                format!("items[{i}].claim"),
                Violation::new("unknown_claim", format!("本案没有第{c}项仲裁请求（共{}项，序号从0开始）", claims.len())),
            )),
            Some(claim) => {
                if let Some(asked) = claim.amount_fen.map(Amount::from_fen)
                    && it.awarded > asked
                {
                    errs.push(FieldError::new(
                        format!("items[{i}].awarded"),
                        Violation::new("above_claim", format!("裁决金额{}元超过该项请求金额{}元", it.awarded, asked)),
                    ));
                }
            }
        }
    }
}

fn claim_lines(claims: &[ClaimRow]) -> Vec<ClaimLine> {
    claims.iter().map(|c| ClaimLine { text: c.description.clone(), amount: c.amount_fen.map(|f| Amount::from_fen(f).into()) }).collect()
}

/// The reasons one award gives: those common to every item, then each of its items' own.
fn part_reasoning<'a>(common: &str, items: impl Iterator<Item = &'a Item>) -> String {
    let mut paragraphs: Vec<&str> = vec![common.trim()];
    paragraphs.extend(items.filter_map(|it| it.reasoning.as_deref()));
    paragraphs.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n")
}

/// The signature block: the tribunal, the date in Chinese numerals, the case's clerk.
async fn signature(
    conn: &mut sqlx::AnyConnection,
    case_id: &str,
    tribunal: Vec<Member>,
    on: chrono::NaiveDate,
) -> Result<kinds::Signature, AppError> {
    let clerk = crate::store::accounts::case_clerk(conn, case_id).await?.unwrap_or_default();
    Ok(kinds::Signature { tribunal, date: kinds::numeral_date(on), clerk })
}

/// Keeps each result of a document just issued, for the parties' pages (outcome per claim).
async fn store_items<'a>(tx: &mut Tx, document_id: i64, items: impl Iterator<Item = &'a Item>) -> Result<(), AppError> {
    for (position, it) in items.enumerate() {
        let row = crate::store::awards::ItemRow {
            document_id,
            position: position as i64,
            claim_position: it.claim.map(|c| c as i64),
            awarded_fen: it.awarded.fen(),
            text: it.text.clone(),
        };
        crate::store::awards::insert_item(tx, &row).await?;
    }
    Ok(())
}

/// The tribunal of the case's last hearing, with names and roles: the one who presides first.
async fn tribunal(conn: &mut sqlx::AnyConnection, case_id: &str, held_only: bool) -> Result<(Vec<i64>, Vec<Member>), AppError> {
    let hearings = hearings::of_case(conn, case_id).await?;
    let last = hearings.iter().find(|h| if held_only { h.status == "held" } else { h.status != "cancelled" });
    let Some(h) = last else {
        return Err(AppError::Conflict(if held_only {
            "案件尚未开庭审理，不能作出裁决".into()
        } else {
            "案件尚未组成仲裁庭".into()
        }));
    };
    let members = Member::panel(resources::arbitrator_names(conn, &h.arbitrator_ids).await?);
    Ok((h.arbitrator_ids.clone(), members))
}

/// One award of a decision, drafted: what it is numbered, its kind, its wording and its items.
pub struct PartDraft {
    pub kind: Kind,
    pub number: String,
    pub source: String,
    items: Vec<usize>,
}

/// An award drafted from the tribunal's input, before anything is stored.
struct AwardDraft {
    case: crate::store::cases::CaseRow,
    items: Vec<Item>,
    parts: Vec<PartDraft>,
}

/// Checks the input and drafts the award's documents from what the database holds (read only).
async fn draft_award(
    app: &App,
    conn: &mut sqlx::AnyConnection,
    actor: &Staff,
    case_id: &str,
    input: &AwardInput,
) -> Result<AwardDraft, AppError> {
    let mut errs = Vec::new();
    let elements = elements_of(input.elements.as_deref(), &mut errs);
    let findings =
        if input.elements.as_deref().is_some_and(|e| !e.is_empty()) && input.findings.as_deref().is_none_or(|f| f.trim().is_empty()) {
            Some(String::new())
        } else {
            required_text(input.findings.as_deref(), "findings", "查明的事实", 20_000, &mut errs)
        };
    let each_item_reasoned = input
        .items
        .as_deref()
        .is_some_and(|i| !i.is_empty() && i.iter().all(|i| i.reasoning.as_deref().is_some_and(|r| !r.trim().is_empty())));
    let reasoning = if each_item_reasoned && input.reasoning.as_deref().is_none_or(|r| r.trim().is_empty()) {
        Some(String::new())
    } else {
        required_text(input.reasoning.as_deref(), "reasoning", "裁决理由", 20_000, &mut errs)
    };
    let defence = input.defence.as_deref().map(str::trim).filter(|d| !d.is_empty()).map(str::to_string);
    if defence.as_ref().is_some_and(|d| d.chars().count() > 20_000) {
        errs.push(FieldError::new("defence", Violation::new("too_long", "答辩意见不能超过20000个字")));
    }
    let items = items_of(input.items.as_deref(), true, &mut errs);
    let (Some(findings), Some(reasoning)) = (findings, reasoning) else { return Err(AppError::Validation(errs)) };
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let today = app.time.today();
    let case = cases::get(conn, case_id).await?.ok_or(AppError::NotFound("案件不存在"))?;
    if case.status == Status::Closed {
        return Err(AppError::Conflict("本案已结案，已作出裁决或调解书".into()));
    }
    if case.status != Status::Heard {
        return Err(AppError::Conflict(format!("案件状态为“{}”，开庭审理后才能作出裁决", case.status.label())));
    }
    let (panel, members) = tribunal(conn, case_id, true).await?;
    if actor.arbitrator_id.is_none_or(|a| !panel.contains(&a)) {
        return Err(AppError::Forbidden);
    }
    let claims = cases::claims(conn, case_id).await?;
    check_against_claims(&items, &claims, &mut errs);
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let parties = cases::parties(conn, case_id).await?;
    let signature = signature(conn, case_id, members.clone(), today).await?;
    let held = hearings::held_of_case(conn, case_id).await?;
    let parts = split(&kinds_and_amounts(&items, &claims), final_limit(app)?);
    let case_no = case.case_no.clone().unwrap_or_default();
    let numbers: Vec<String> = parts.iter().map(|p| part_number(&case_no, p.suffix)).collect();
    let procedure = case.track.procedure();
    let mut drafts = Vec::new();
    for (n, part) in parts.iter().enumerate() {
        let kind = if part.finality == Finality::Final { Kind::AwardFinal } else { Kind::AwardNonfinal };
        let data = kinds::Award {
            head: head(app, kind, &numbers[n], today, &parties),
            accepted_on: case.accepted_on.as_deref().and_then(|d| d.parse().ok()).map(chinese_date).unwrap_or_default(),
            procedure: procedure.into(),
            tribunal: members.clone(),
            hearing_dates: held.iter().filter_map(|h| h.held_on.parse().ok()).map(chinese_date).collect(),
            respondent_absent: held.last().is_some_and(|h| h.respondent_attended == Some(0)),
            claims: claim_lines(&claims),
            defence: defence.clone(),
            findings: findings.clone(),
            reasoning: part_reasoning(&reasoning, part.items.iter().map(|&i| &items[i])),
            items: part.items.iter().map(|&i| ResultItem::new(items[i].text.clone(), items[i].awarded)).collect(),
            dismiss_other_claims: input.dismiss_other_claims.unwrap_or(false) && n + 1 == parts.len(),
            is_final: part.finality == Finality::Final,
            sibling: (parts.len() > 1).then(|| numbers[1 - n].clone()),
            court: app.config.intermediate_court.clone(),
            signature: signature.clone(),
            elements: elements.clone(),
        };
        data.check().map_err(|e| AppError::Conflict(e.to_string()))?;
        let source = app.documents()?.fill(kind, &data)?;
        drafts.push(PartDraft { kind, number: numbers[n].clone(), source, items: part.items.clone() });
    }
    Ok(AwardDraft { case, items, parts: drafts })
}

/// The final-award limit in force today (Law Art. 47: twelve months' local minimum wage).
fn final_limit(app: &App) -> Result<Amount, AppError> {
    let today = app.time.today();
    Ok(app.config.thresholds.on(today).ok_or_else(|| anyhow::anyhow!("no threshold in force on {today}"))?.final_award_limit)
}

/// Each item's claim kind and amount, as the finality rule reads them.
fn kinds_and_amounts(items: &[Item], claims: &[ClaimRow]) -> Vec<(ClaimKind, Amount)> {
    items
        .iter()
        .map(|it| {
            let kind = it.claim.and_then(|c| claims.get(c)).and_then(|c| ClaimKind::parse(&c.kind)).unwrap_or(ClaimKind::Other);
            (kind, it.awarded)
        })
        .collect()
}

/// Whether each claim's item would be final at the amount given (Law Art. 47; Interp-I Art. 19),
/// for the award form's tags; `None` for an amount that does not parse.
pub fn finality_of(app: &App, claims: &[(String, String)]) -> Result<Vec<Option<bool>>, AppError> {
    let limit = final_limit(app)?;
    Ok(claims
        .iter()
        .map(|(kind, amount)| {
            let amount = Amount::parse(amount.trim()).ok()?;
            let kind = ClaimKind::parse(kind).unwrap_or(ClaimKind::Other);
            Some(split(&[(kind, amount)], limit).first().is_some_and(|p| p.finality == Finality::Final))
        })
        .collect())
}

/// The award as it would be issued, typeset but not stored: one PDF with every part, for the
/// tribunal to read before an immutable document is made. Only an arbitrator of the tribunal.
pub async fn preview_award(app: &App, actor: &Staff, case_id: &str, input: &AwardInput) -> Result<Preview, AppError> {
    actor.require(&[Role::Arbitrator])?;
    super::access::sits_on_case(app, actor, case_id).await?;
    let mut conn = app.db.reader.acquire().await?;
    let draft = draft_award(app, &mut conn, actor, case_id, input).await?;
    drop(conn);
    preview(app, draft.parts).await
}

/// A preview: the parts drafted, typeset as one PDF.
pub struct Preview {
    /// Each part's number and whether it is final.
    pub parts: Vec<(String, Kind)>,
    pub pdf: Vec<u8>,
}

async fn preview(app: &App, parts: Vec<PartDraft>) -> Result<Preview, AppError> {
    let kit = app.documents()?;
    let source = parts.iter().map(|p| p.source.as_str()).collect::<Vec<_>>().join("\n@page\n");
    let first = parts.first().map(|p| (p.number.clone(), p.kind.title())).unwrap_or_default();
    let author = app.config.commission_name.clone();
    let seal = super::settings::seal(app).await?;
    let pdf = super::blocking(move || -> Result<Vec<u8>, AppError> {
        let pages = kit.lay_out(&source, Some(&first.0))?;
        kit.render(&pages, &format!("{}（预览，未作出）", first.1), &author, 0, seal.as_ref())
    })
    .await??;
    Ok(Preview { parts: parts.into_iter().map(|p| (p.number, p.kind)).collect(), pdf })
}

/// Issues the award of a heard case: one document, or two (`…-1号` final, `…-2号` not) when its
/// items differ; the case closes with outcome `award`. Only an arbitrator of the tribunal.
pub async fn award(app: &App, actor: &Staff, case_id: &str, input: &AwardInput) -> Result<Issued, AppError> {
    actor.require(&[Role::Arbitrator])?;
    super::access::sits_on_case(app, actor, case_id).await?;
    let today = app.time.today();
    let now = app.time.now_text();
    let mut tx = app.db.begin().await?;
    let AwardDraft { case, items, parts } = draft_award(app, &mut tx, actor, case_id, input).await?;
    let mut issued = Vec::new();
    for part in &parts {
        let (kind, number, source) = (part.kind, part.number.as_str(), part.source.clone());
        let doc = issue(app, &mut tx, Issue { case_id, kind, number, source, corrects: None, by: &actor.username }).await?;
        store_items(&mut tx, doc.id, part.items.iter().map(|&i| &items[i])).await?;
        issued.push(doc);
    }
    let mut closing = super::deadlines::closing(app, &mut tx, &case, Outcome::Award, today).await?;
    let finals: Vec<bool> = parts.iter().map(|p| p.kind == Kind::AwardFinal).collect();
    closing.award_finality = Some(match (finals.iter().all(|f| *f), finals.iter().all(|f| !*f)) {
        (true, _) => "final",
        (_, true) => "non_final",
        _ => "mixed",
    });
    if !cases::close(&mut tx, case_id, &[Status::Heard], &closing, &now).await? {
        return Err(AppError::Conflict("案件状态已变化，请刷新后重试".into()));
    }
    let note = issued.iter().map(|d| d.case_no.as_str()).collect::<Vec<_>>().join("、");
    events::append(
        &mut tx,
        &events::NewEvent {
            case_id,
            at: &now,
            actor: &actor.username,
            action: "award_made",
            before: Some(Status::Heard.code()),
            after: Some(Status::Closed.code()),
            note: Some(&note),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Issued { documents: issued })
}

/// A mediation statement drafted, before anything is stored.
struct MediationDraft {
    case: crate::store::cases::CaseRow,
    items: Vec<Item>,
    part: PartDraft,
}

async fn draft_mediation(
    app: &App,
    conn: &mut sqlx::AnyConnection,
    actor: &Staff,
    case_id: &str,
    input: &MediationInput,
) -> Result<MediationDraft, AppError> {
    let mut errs = Vec::new();
    let items = items_of(input.items.as_deref(), false, &mut errs);
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let today = app.time.today();
    let case = cases::get(conn, case_id).await?.ok_or(AppError::NotFound("案件不存在"))?;
    if case.status == Status::Closed {
        return Err(AppError::Conflict("本案已结案，已作出裁决或调解书".into()));
    }
    if !matches!(case.status, Status::Accepted | Status::Scheduled | Status::Heard) {
        return Err(AppError::Conflict(format!("案件状态为“{}”，不能制作调解书", case.status.label())));
    }
    let (panel, members) = tribunal(conn, case_id, false).await?;
    if actor.arbitrator_id.is_none_or(|a| !panel.contains(&a)) {
        return Err(AppError::Forbidden);
    }
    let claims = cases::claims(conn, case_id).await?;
    let parties = cases::parties(conn, case_id).await?;
    let number = case.case_no.clone().unwrap_or_default();
    let signature = signature(conn, case_id, members.clone(), today).await?;
    let data = kinds::Mediation {
        head: head(app, Kind::Mediation, &number, today, &parties),
        accepted_on: case.accepted_on.as_deref().and_then(|d| d.parse().ok()).map(chinese_date).unwrap_or_default(),
        tribunal: members,
        claims: claim_lines(&claims),
        items: items.iter().map(|it| ResultItem::new(it.text.clone(), it.awarded)).collect(),
        signature,
    };
    let source = app.documents()?.fill(Kind::Mediation, &data)?;
    let part = PartDraft { kind: Kind::Mediation, number, source, items: (0..items.len()).collect() };
    Ok(MediationDraft { case, items, part })
}

/// The mediation statement as it would be issued, typeset but not stored.
pub async fn preview_mediation(app: &App, actor: &Staff, case_id: &str, input: &MediationInput) -> Result<Preview, AppError> {
    actor.require(&[Role::Arbitrator])?;
    super::access::sits_on_case(app, actor, case_id).await?;
    let mut conn = app.db.reader.acquire().await?;
    let draft = draft_mediation(app, &mut conn, actor, case_id, input).await?;
    drop(conn);
    preview(app, vec![draft.part]).await
}

/// Issues the mediation statement of an agreement and closes the case with outcome `mediation`.
/// Only an arbitrator of the case's tribunal.
pub async fn mediation(app: &App, actor: &Staff, case_id: &str, input: &MediationInput) -> Result<Issued, AppError> {
    actor.require(&[Role::Arbitrator])?;
    super::access::sits_on_case(app, actor, case_id).await?;
    let today = app.time.today();
    let now = app.time.now_text();
    let mut tx = app.db.begin().await?;
    let MediationDraft { case, items, part } = draft_mediation(app, &mut tx, actor, case_id, input).await?;
    let number = part.number.clone();
    let issue_it = Issue { case_id, kind: Kind::Mediation, number: &number, source: part.source, corrects: None, by: &actor.username };
    let doc = issue(app, &mut tx, issue_it).await?;
    store_items(&mut tx, doc.id, items.iter()).await?;
    let closing = super::deadlines::closing(app, &mut tx, &case, Outcome::Mediation, today).await?;
    super::withdraw::cancel_planned_hearing(&mut tx, case_id, &now, &actor.username, "案件已调解结案").await?;
    if !cases::close(&mut tx, case_id, &[Status::Accepted, Status::Scheduled, Status::Heard], &closing, &now).await? {
        return Err(AppError::Conflict("案件状态已变化，请刷新后重试".into()));
    }
    events::append(
        &mut tx,
        &events::NewEvent {
            case_id,
            at: &now,
            actor: &actor.username,
            action: "mediated",
            before: Some(case.status.code()),
            after: Some(Status::Closed.code()),
            note: Some(&number),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Issued { documents: vec![doc] })
}
