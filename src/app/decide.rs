//! The clerk's decisions on a filed case: accept (受理) with a case number, reject (不予受理),
//! and override the routed track.

use crate::law::case::Status;
use chrono::NaiveDate;

use super::accounts::{Role, Staff};
use super::documents::enqueue_notice;
use super::register::{StoredRouting, TrackOverride};
use super::{App, AppError};
use crate::documents::kinds::{Acceptance, GroundLine, Kind, Rejection, RespondentNotice, SignIn, chinese_date};
use crate::law::case_no::CaseNo;
use crate::law::refusal::Ground;
use crate::law::routing::Track;
use crate::law::{FieldError, Violation};
use crate::store::cases::CaseRow;
use crate::store::{cases, events};

/// Accepts a filed case, allotting the next case number of the acceptance year.
///
/// `accepted_on` is the real acceptance date if the clerk records one (not in the future, not
/// before filing); today otherwise.
/// A case accepted: its 案号, and each respondent's sign-in code (given once, to the clerk).
#[derive(Debug, Clone)]
pub struct Accepted {
    pub case_no: String,
    pub party_codes: Vec<super::parties::PartyCode>,
}

pub async fn accept(app: &App, actor: &Staff, case_id: &str, accepted_on: Option<NaiveDate>) -> Result<Accepted, AppError> {
    actor.require(&[Role::Clerk])?;
    let today = app.time.today();
    let accepted_on = accepted_on.unwrap_or(today);
    if accepted_on > today {
        return Err(AppError::field("accepted_on", "future_date", format!("受理日期不能晚于今天（{today}）")));
    }
    let now = app.time.now_text();
    let mut tx = app.db.begin().await?;
    // Take the case first: a second clerk accepting the same case waits here, then finds it taken.
    if !cases::claim_filed(&mut tx, case_id).await? {
        return Err(state_conflict(&mut tx, case_id, "受理").await);
    }
    let case = cases::get(&mut tx, case_id).await?.ok_or(AppError::NotFound("案件不存在"))?;
    let filed_on: NaiveDate = case.filed_on.parse().map_err(anyhow::Error::from)?;
    if accepted_on < filed_on {
        return Err(AppError::field("accepted_on", "before_filing", format!("受理日期不能早于申请日期（{filed_on}）")));
    }
    let year = chrono::Datelike::year(&accepted_on);
    let seq = cases::next_case_seq(&mut tx, year).await?;
    let case_no = CaseNo { prefix: app.config.case_no_prefix.clone(), year, seq }.to_string();
    cases::mark_accepted(&mut tx, case_id, &accepted_on.to_string(), year, seq, &case_no, &now).await?;
    events::append(
        &mut tx,
        &events::NewEvent {
            case_id,
            at: &now,
            actor: &actor.username,
            action: "accepted",
            before: Some(Status::Filed.code()),
            after: Some(Status::Accepted.code()),
            note: Some(&case_no),
        },
    )
    .await?;
    // Law Art. 29; Rules Art. 30: the applicant is told in writing, with the award deadline,
    // dated with the calendar in force as this transaction commits.
    super::calendar::hold(app, &mut tx).await?;
    let entries = crate::store::clock::entries(&mut tx, case_id).await?;
    let dates = super::deadlines::CaseDates { status: Status::Accepted, filed_on, accepted_on: Some(accepted_on) };
    let award_due = app.deadlines_of(&dates, &entries).award_due.map(chinese_date).unwrap_or_default();
    let accepted = CaseRow { case_no: Some(case_no.clone()), accepted_on: Some(accepted_on.to_string()), ..case };
    let procedure = accepted.track.procedure();
    enqueue_notice(app, &mut tx, &accepted, Kind::AcceptanceNotice, &actor.username, |head| Acceptance {
        head,
        filed_on: chinese_date(filed_on),
        accepted_on: chinese_date(accepted_on),
        procedure: procedure.into(),
        award_due,
    })
    .await?;
    // Each respondent's own sign-in code, printed on its notice (issue 22).
    let party_codes = super::parties::issue_codes(app, &mut tx, case_id).await?;
    let sign_in: Vec<SignIn> = party_codes.iter().map(|c| SignIn { name: c.name.clone(), code: c.code.clone() }).collect();
    let link = super::notify::link(app);
    // Law Art. 30: the respondent gets the application copy with its notice to answer.
    enqueue_notice(app, &mut tx, &accepted, Kind::RespondentNotice, &actor.username, |head| RespondentNotice {
        head,
        accepted_on: chinese_date(accepted_on),
        procedure: procedure.into(),
        link,
        sign_in,
    })
    .await?;
    // A notification to the applicants (not service: the acceptance notice is served).
    let facts = crate::notifications::Facts { case_no: case_no.clone(), date: chinese_date(accepted_on), ..Default::default() };
    super::notify::parties(app, &mut tx, case_id, super::notify::To::Applicants, crate::notifications::Occasion::Accepted, "case", &facts)
        .await?;
    tx.commit().await?;
    Ok(Accepted { case_no, party_codes })
}

/// A refusal as the clerk decides it: standard grounds, the clerk's own words, and for a refusal
/// on jurisdiction the commission to apply to instead.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct RejectInput {
    /// Codes of `Ground` (`out_of_scope`, `no_clear_claims`, `applicant_not_concerned`,
    /// `no_clear_respondent`, `no_jurisdiction`, `already_decided`; `time_barred` where offered).
    pub grounds: Option<Vec<String>>,
    /// The clerk's own words; required when no ground is given.
    pub reason: Option<String>,
    /// The competent commission, for a refusal on jurisdiction (Rules Art. 31).
    pub competent: Option<String>,
}

/// A refusal's parsed input.
struct Refusal {
    grounds: Vec<Ground>,
    reason: String,
    competent: Option<String>,
}

fn parse_refusal(input: &RejectInput, time_bar: bool) -> Result<Refusal, AppError> {
    let mut errs = Vec::new();
    let mut grounds = Vec::new();
    for (i, code) in input.grounds.as_deref().unwrap_or_default().iter().enumerate() {
        match Ground::parse(code, time_bar) {
            Ok(g) if !grounds.contains(&g) => grounds.push(g),
            Ok(_) => {}
            Err(v) => errs.push(FieldError::new(format!("grounds[{i}]"), v)),
        }
    }
    let reason = input.reason.as_deref().map(str::trim).unwrap_or_default().to_string();
    if grounds.is_empty() && reason.is_empty() && errs.is_empty() {
        errs.push(FieldError::new("reason", Violation::new("required", "请选择不予受理的理由，或写明理由")));
    }
    if reason.chars().count() > 1000 {
        errs.push(FieldError::new("reason", Violation::new("too_long", "不予受理的理由不能超过1000个字")));
    }
    let competent = input.competent.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
    if competent.is_some() && !grounds.contains(&Ground::NoJurisdiction) {
        errs.push(FieldError::new(
            "competent",
            Violation::new("not_allowed", "只有以“不属于本委管辖”不予受理时才写明有管辖权的仲裁委员会"),
        ));
    }
    if competent.as_ref().is_some_and(|c| c.chars().count() > 100) {
        errs.push(FieldError::new("competent", Violation::new("too_long", "仲裁委员会名称不能超过100个字")));
    }
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    Ok(Refusal { grounds, reason, competent })
}

/// The clerk's words as one sentence of the notice: a full stop at the end if it has none.
fn sentence(text: &str) -> String {
    let t = text.trim();
    match t.chars().last() {
        None => String::new(),
        Some(c) if "。！？".contains(c) => t.to_string(),
        Some(c) if "，；：、,;:.".contains(c) => format!("{}。", &t[..t.len() - c.len_utf8()]),
        Some(_) => format!("{t}。"),
    }
}

/// Refuses a filed case in writing, with its grounds and their articles and a number of its own
/// (Law Art. 29; Rules Art. 30–31, 34).
pub async fn reject(app: &App, actor: &Staff, case_id: &str, input: &RejectInput) -> Result<(), AppError> {
    actor.require(&[Role::Clerk])?;
    let refusal = parse_refusal(input, app.config.refuse_on_time_bar)?;
    let labels: Vec<&str> = refusal.grounds.iter().map(|g| g.label()).collect();
    let recorded = [labels.join("；"), refusal.reason.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join("：");
    let now = app.time.now_text();
    let today = app.time.today();
    let mut tx = app.db.begin().await?;
    if !cases::mark_rejected(&mut tx, case_id, &today.to_string(), &recorded, &now).await? {
        return Err(state_conflict(&mut tx, case_id, "不予受理").await);
    }
    events::append(
        &mut tx,
        &events::NewEvent {
            case_id,
            at: &now,
            actor: &actor.username,
            action: "rejected",
            before: Some(Status::Filed.code()),
            after: Some(Status::Rejected.code()),
            note: Some(&recorded),
        },
    )
    .await?;
    // Law Art. 29; Rules Art. 31: the refusal in writing, numbered, with its grounds and the way to court.
    let case = cases::get(&mut tx, case_id).await?.ok_or(AppError::NotFound("案件不存在"))?;
    let filed_on: NaiveDate = case.filed_on.parse().map_err(anyhow::Error::from)?;
    let year = chrono::Datelike::year(&today);
    let seq = crate::store::documents::next_number(&mut tx, "refusal", year).await?;
    let number = CaseNo { prefix: app.config.refusal_no_prefix.clone(), year, seq }.to_string();
    let applicants = cases::parties(&mut tx, case_id).await?.iter().filter(|p| p.role == "applicant").count();
    let numbered = CaseRow { case_no: Some(number), ..case };
    let grounds = refusal.grounds.iter().map(|g| GroundLine { text: g.sentence().into(), basis: g.basis().into() }).collect();
    enqueue_notice(app, &mut tx, &numbered, Kind::RejectionNotice, &actor.username, |head| Rejection {
        head,
        filed_on: chinese_date(filed_on),
        grounds,
        reason: sentence(&refusal.reason),
        addressee: if applicants > 1 { "你们".into() } else { "你".into() },
        competent: refusal.competent.clone(),
    })
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Changes the track of a filed or accepted case, keeping the routed decision and the reason.
pub async fn override_track(app: &App, actor: &Staff, case_id: &str, track: &str, reason: &str) -> Result<(), AppError> {
    actor.require(&[Role::Clerk])?;
    let new_track = Track::parse(track.trim());
    let reason = required_reason(reason, "reason", "调整程序的理由");
    let (new_track, reason) = match (new_track, reason) {
        (Some(t), Ok(r)) => (t, r),
        (t, r) => {
            let mut fields = Vec::new();
            if t.is_none() {
                fields.push(FieldError::new("track", Violation::new("unknown_track", "程序应为 green、simple、ordinary 或 collective")));
            }
            if let Err(AppError::Validation(f)) = r {
                fields.extend(f);
            }
            return Err(AppError::Validation(fields));
        }
    };
    let now = app.time.now_text();
    let mut tx = app.db.begin().await?;
    let case = cases::get(&mut tx, case_id).await?.ok_or(AppError::NotFound("案件不存在"))?;
    let mut stored: StoredRouting = serde_json::from_str(&case.routing).map_err(anyhow::Error::from)?;
    stored.r#override = Some(TrackOverride { track: new_track, reason: reason.clone(), by: actor.username.clone(), at: now.clone() });
    let json = serde_json::to_string(&stored).map_err(anyhow::Error::from)?;
    if !cases::set_track(&mut tx, case_id, new_track.code(), &json, &now).await? {
        return Err(AppError::Conflict("只有待受理或已受理的案件可以调整程序".into()));
    }
    events::append(
        &mut tx,
        &events::NewEvent {
            case_id,
            at: &now,
            actor: &actor.username,
            action: "track_overridden",
            before: Some(case.track.code()),
            after: Some(new_track.code()),
            note: Some(&reason),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn required_reason(reason: &str, field: &str, label: &str) -> Result<String, AppError> {
    let mut errs = Vec::new();
    super::input::required_text(Some(reason), field, label, 1000, &mut errs).ok_or(AppError::Validation(errs))
}

/// The error for a decision on a case that is not (or no longer) waiting for one.
async fn state_conflict(tx: &mut crate::store::Tx, case_id: &str, what: &str) -> AppError {
    match cases::get(tx, case_id).await {
        Ok(None) => AppError::NotFound("案件不存在"),
        Ok(Some(c)) => {
            let state = match c.status {
                Status::Rejected => "已作出不予受理决定".to_string(),
                _ => format!("已受理，案号{}", c.case_no.unwrap_or_default()),
            };
            AppError::Conflict(format!("该案件{state}，不能再{what}"))
        }
        Err(e) => e.into(),
    }
}
