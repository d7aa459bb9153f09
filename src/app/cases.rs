//! Reading cases: one case for staff or for its applicant (by access code), and filtered lists.

use crate::law::case::Outcome;
use crate::law::case::Status;
use chrono::NaiveDate;
use serde::Serialize;

use super::accounts::Staff;
use super::register::{StoredRouting, TrackOverride};
use super::secrets::hash_access_code;
use super::throttle;
use super::{App, AppError};
use crate::law::application::ClaimKind;

use super::deadlines::{CaseDates, entries_by_case};
use crate::law::clock::{ClockEntry, Deadlines};
use crate::law::money::Amount;
use crate::law::routing::Track;
use crate::law::{FieldError, Violation};
use crate::store::cases::{self as store, CaseFilter};
use crate::store::clock as clock_store;
use crate::store::events::{self, EventRow};
use crate::store::hearings as hearing_store;

/// Who is reading a case.
pub enum Viewer<'a> {
    Staff(&'a Staff),
    /// An applicant holding the case's access code, asking from a client address.
    Applicant {
        code: &'a str,
        from: std::net::IpAddr,
    },
    /// A party signed in to this case (`POST /api/v1/party/login`).
    Party(&'a super::parties::Party),
}

/// A case as the API shows it (api.md "Cases").
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseView {
    pub id: String,
    /// Null until accepted.
    pub case_no: Option<String>,
    pub status: Status,
    pub outcome: Option<Outcome>,
    pub track: Track,
    pub routing: RoutingView,
    pub applicants: Vec<PartyView>,
    pub respondents: Vec<PartyView>,
    pub claims: Vec<ClaimView>,
    pub claimed_total: String,
    pub employment: EmploymentView,
    pub facts: String,
    pub filed_at: String,
    pub filed_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub rejected_on: Option<NaiveDate>,
    pub reject_reason: Option<String>,
    pub deadlines: Deadlines,
    /// Latest first.
    pub hearings: Vec<HearingView>,
    /// Issued documents, oldest first.
    pub documents: Vec<super::documents::DocumentView>,
    pub warnings: Vec<String>,
    /// The audit trail; staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<EventRow>>,
}

/// A hearing of the case, with its notices.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HearingView {
    pub hearing_id: i64,
    pub day: String,
    /// `HH:MM`
    pub start: String,
    pub end: String,
    pub room_id: i64,
    /// The presiding arbitrator first.
    pub arbitrator_ids: Vec<i64>,
    /// `planned`, `held` or `cancelled`.
    pub status: String,
    /// Grows with every change (the calendar feeds' SEQUENCE).
    pub sequence: i64,
    pub notices: Vec<NoticeView>,
}

/// A hearing notice: issued, and when and how it was served.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NoticeView {
    pub issued_on: String,
    pub served_on: Option<String>,
    pub channel: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoutingView {
    /// The track routing chose (the case's `track` differs if a clerk overrode it).
    pub track: Track,
    pub reasons: Vec<String>,
    pub min_wage_monthly: String,
    pub final_award_limit: String,
    pub simplified_ceiling: String,
    pub thresholds_on: NaiveDate,
    pub r#override: Option<TrackOverride>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PartyView {
    pub name: String,
    pub id_number: Option<String>,
    pub credit_code: Option<String>,
    pub phone: Option<String>,
    pub address: String,
    pub legal_representative: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClaimView {
    pub kind: ClaimKind,
    pub kind_label: String,
    /// Yuan, two decimals; absent for claims that ask for no money.
    pub amount: Option<String>,
    pub description: String,
    /// Whether the item, as claimed, is within the final-award limit (Law Art. 47).
    pub final_eligible: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EmploymentView {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub monthly_wage: Option<String>,
}

/// One line of a case list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseSummary {
    pub id: String,
    pub case_no: Option<String>,
    pub status: Status,
    pub track: Track,
    pub applicant: String,
    pub respondent: String,
    pub claimed_total: String,
    pub filed_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    /// For closed cases: how and when.
    pub outcome: Option<Outcome>,
    pub closed_on: Option<NaiveDate>,
    /// For filed cases: the last day to decide on acceptance, and working days left after today.
    pub accept_by: Option<NaiveDate>,
    pub working_days_left: Option<i64>,
}

/// A page of cases.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CasePage {
    pub items: Vec<CaseSummary>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// Filters of a case list as given by the caller.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub status: Option<String>,
    pub track: Option<String>,
    pub q: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub page: Option<String>,
    /// A party's identity number or unified social credit code.
    pub party_id: Option<String>,
    /// `award`, `mediation`, `withdrawn`, `deemed_withdrawn`, `revoked`.
    pub outcome: Option<String>,
}

pub const PER_PAGE: i64 = 50;

/// The filters of a search as the access log keeps them.
fn search_terms(q: &ListQuery) -> String {
    [
        ("q", &q.q),
        ("party_id", &q.party_id),
        ("status", &q.status),
        ("track", &q.track),
        ("outcome", &q.outcome),
        ("from", &q.from),
        ("to", &q.to),
    ]
    .iter()
    .filter_map(|(k, v)| v.as_deref().filter(|v| !v.is_empty()).map(|v| format!("{k}={v}")))
    .collect::<Vec<_>>()
    .join("&")
}

/// Whether `code` opens case `id` (whose stored hash is `hash`), counted against guessing.
async fn check_code(app: &App, id: &str, hash: Option<String>, code: &str, from: std::net::IpAddr) -> Result<(), AppError> {
    let well_formed = !id.is_empty() && id.len() <= 40 && id.chars().all(|c| c.is_ascii_alphanumeric());
    let mut keys = vec![throttle::Key::code_address(from)];
    if well_formed {
        keys.push(throttle::Key::case_code(id));
    }
    throttle::check(app, &keys).await?;
    // One answer for an unknown case and a wrong code: a guess learns nothing of which it was.
    if hash.is_none_or(|h| hash_access_code(code) != h) {
        throttle::failed(app, &keys).await?;
        return Err(AppError::NotFound("案件不存在，或查询码不正确"));
    }
    Ok(())
}

/// The applicant's access code opens case `id`.
pub async fn applicant_access(app: &App, id: &str, code: &str, from: std::net::IpAddr) -> Result<(), AppError> {
    let well_formed = !id.is_empty() && id.len() <= 40 && id.chars().all(|c| c.is_ascii_alphanumeric());
    let hash = if well_formed {
        let mut conn = app.db.reader.acquire().await?;
        store::access_code_hash(&mut conn, id).await?
    } else {
        None
    };
    check_code(app, id, hash, code, from).await
}

/// One case, if the viewer may see it (an applicant with a wrong code sees nothing: 404).
pub async fn get(app: &App, id: &str, viewer: Viewer<'_>) -> Result<CaseView, AppError> {
    // Case ids are ten letters and digits; anything else names no case (and never reaches the database).
    let well_formed = !id.is_empty() && id.len() <= 40 && id.chars().all(|c| c.is_ascii_alphanumeric());
    let mut conn = app.db.reader.acquire().await?;
    let hash = if well_formed { store::access_code_hash(&mut conn, id).await? } else { None };
    let is_staff = match viewer {
        Viewer::Staff(_) if hash.is_none() => return Err(AppError::NotFound("案件不存在")),
        Viewer::Staff(s) => {
            drop(conn);
            super::access::read_case(app, s, id, "view_case", None, "").await?;
            conn = app.db.reader.acquire().await?;
            true
        }
        Viewer::Applicant { code, from } => {
            drop(conn);
            check_code(app, id, hash, code, from).await?;
            conn = app.db.reader.acquire().await?;
            false
        }
        // A party's session reaches its own case only.
        Viewer::Party(p) if p.case_id != id || hash.is_none() => return Err(AppError::NotFound("案件不存在")),
        Viewer::Party(_) => false,
    };
    let row = store::get(&mut conn, id).await?.ok_or(AppError::NotFound("案件不存在"))?;
    let parties = store::parties(&mut conn, id).await?;
    let claims = store::claims(&mut conn, id).await?;
    let events = if is_staff { Some(events::for_case(&mut conn, id).await?) } else { None };
    // Applicants see the documents addressed to them too; staff see every one.
    let documents: Vec<_> =
        crate::store::documents::of_case(&mut conn, id).await?.into_iter().map(super::documents::DocumentView::of).collect();
    let entries = clock_store::entries(&mut conn, id).await?;
    let mut hearings = Vec::new();
    for h in hearing_store::of_case(&mut conn, id).await? {
        let notices = hearing_store::notices(&mut conn, h.id).await?;
        hearings.push(HearingView {
            hearing_id: h.id,
            day: h.day,
            start: h.start_time,
            end: h.end_time,
            room_id: h.room_id,
            arbitrator_ids: h.arbitrator_ids,
            status: h.status,
            sequence: h.sequence,
            notices: notices
                .into_iter()
                .map(|n| NoticeView { issued_on: n.issued_on, served_on: n.served_on, channel: n.channel })
                .collect(),
        });
    }
    let awards = crate::store::awards::of_case(&mut conn, id).await?;
    let mut v = view(app, row, parties, claims, events, &entries)?;
    // The planned hearing moves the notice and postponement deadlines (Law Art. 35); the awards'
    // service gives the appeal windows and the day each takes effect (Law Art. 42, 47–50).
    let planned = hearings.iter().find(|h| h.status == "planned").and_then(|h| {
        let on = h.day.parse().ok()?;
        let served = h.notices.last().and_then(|n| n.served_on.as_deref()).and_then(|s| s.parse().ok());
        Some(crate::law::clock::HearingFacts { on, notice_served_on: served })
    });
    if planned.is_some() || !awards.is_empty() {
        let dates = CaseDates { status: v.status, filed_on: v.filed_on, accepted_on: v.accepted_on };
        v.deadlines = app.deadlines_full(&dates, &entries, planned, &awards);
    }
    v.hearings = hearings;
    v.documents = documents;
    if let Viewer::Party(p) = viewer {
        // A party sees the documents served on it, and of the other side what the application copy
        // carries: names, addresses, an employer's registration; never a worker's ID number or phone.
        let served: Vec<i64> = super::services::party_documents(app, p).await?.into_iter().map(|d| d.id).collect();
        v.documents.retain(|d| served.contains(&d.id));
        let other = if p.role == "applicant" { &mut v.respondents } else { &mut v.applicants };
        for o in other.iter_mut() {
            o.id_number = None;
            o.phone = None;
        }
    }
    Ok(v)
}

fn view(
    app: &App,
    row: store::CaseRow,
    parties: Vec<store::PartyRow>,
    claims: Vec<store::ClaimRow>,
    events: Option<Vec<EventRow>>,
    entries: &[ClockEntry],
) -> Result<CaseView, AppError> {
    let date = |s: &str| s.parse::<NaiveDate>().map_err(|e| AppError::Internal(anyhow::anyhow!("bad date {s}: {e}")));
    let opt_date = |s: &Option<String>| s.as_deref().map(date).transpose();
    let routing: StoredRouting = serde_json::from_str(&row.routing).map_err(anyhow::Error::from)?;
    let filed_on = date(&row.filed_on)?;
    let accepted_on = opt_date(&row.accepted_on)?;
    let deadlines = app.deadlines_of(&CaseDates { status: row.status, filed_on, accepted_on }, entries);
    let party = |p: &store::PartyRow| PartyView {
        name: p.name.clone(),
        id_number: p.id_number.clone(),
        credit_code: p.credit_code.clone(),
        phone: p.phone.clone(),
        address: p.address.clone(),
        legal_representative: p.legal_representative.clone(),
    };
    Ok(CaseView {
        track: row.track,
        routing: RoutingView {
            track: routing.routing.track,
            reasons: routing.routing.reasons,
            min_wage_monthly: routing.routing.thresholds.min_wage_monthly.to_string(),
            final_award_limit: routing.routing.thresholds.final_award_limit.to_string(),
            simplified_ceiling: routing.routing.thresholds.simplified_ceiling.to_string(),
            thresholds_on: routing.routing.thresholds.on,
            r#override: routing.r#override,
        },
        applicants: parties.iter().filter(|p| p.role == "applicant").map(party).collect(),
        respondents: parties.iter().filter(|p| p.role == "respondent").map(party).collect(),
        claims: claims
            .iter()
            .map(|c| {
                let kind = ClaimKind::parse(&c.kind).ok_or_else(|| anyhow::anyhow!("bad claim kind {}", c.kind))?;
                Ok(ClaimView {
                    kind,
                    kind_label: kind.label().to_string(),
                    amount: c.amount_fen.map(|f| Amount::from_fen(f).to_string()),
                    description: c.description.clone(),
                    final_eligible: c.final_eligible == 1,
                })
            })
            .collect::<Result<_, AppError>>()?,
        claimed_total: Amount::from_fen(row.claimed_total_fen).to_string(),
        employment: EmploymentView {
            start: date(&row.employment_start)?,
            end: opt_date(&row.employment_end)?,
            monthly_wage: row.monthly_wage_fen.map(|f| Amount::from_fen(f).to_string()),
        },
        facts: row.facts,
        filed_at: row.filed_at,
        filed_on,
        accepted_on,
        rejected_on: opt_date(&row.rejected_on)?,
        reject_reason: row.reject_reason,
        deadlines,
        hearings: Vec::new(),
        documents: Vec::new(),
        warnings: serde_json::from_str(&row.warnings).map_err(anyhow::Error::from)?,
        events,
        id: row.id,
        case_no: row.case_no,
        status: row.status,
        outcome: row.outcome,
    })
}

/// A filtered page of cases for staff (every filter validated; problems name their parameter).
pub async fn list(app: &App, viewer: &Staff, q: &ListQuery) -> Result<CasePage, AppError> {
    list_sized(app, viewer, q, PER_PAGE).await
}

/// How pages name these cases (案号, track, parties), for a list of results such as a planning
/// run's; one entry in the access log naming the `listing`. Clerks and administrators.
pub async fn labels(app: &App, viewer: &Staff, ids: &[String], listing: &str) -> Result<Vec<crate::store::cases::CaseLabelRow>, AppError> {
    viewer.require(&[super::accounts::Role::Clerk, super::accounts::Role::Admin])?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    super::documents::log(app, viewer, "search", None, None, &format!("{listing} {} 件", ids.len())).await?;
    let mut conn = app.db.reader.acquire().await?;
    Ok(crate::store::cases::labels(&mut conn, ids).await?)
}

/// How many cases stand at each stage, for the clerk's navigation (clerks and administrators).
pub async fn stage_counts(app: &App, viewer: &Staff) -> Result<Vec<(Status, i64)>, AppError> {
    viewer.require(&[super::accounts::Role::Clerk, super::accounts::Role::Admin])?;
    let mut conn = app.db.reader.acquire().await?;
    let rows = crate::store::cases::count_by_status(&mut conn).await?;
    Ok(rows.into_iter().filter_map(|(s, n)| Status::parse(&s).map(|s| (s, n))).collect())
}

/// The most cases one export holds.
pub const EXPORT_MAX: i64 = 50_000;

/// Every case the filters match, for a spreadsheet (at most [`EXPORT_MAX`]; more is refused with
/// what to narrow).
pub async fn export(app: &App, viewer: &Staff, q: &ListQuery) -> Result<Vec<CaseSummary>, AppError> {
    let q = ListQuery { page: None, ..q.clone() };
    let page = list_sized(app, viewer, &q, EXPORT_MAX).await?;
    if page.total > EXPORT_MAX {
        return Err(AppError::field(
            "to",
            "too_many",
            format!("符合条件的案件有{}件，超过一次导出上限{EXPORT_MAX}件：请缩短立案日期范围或加上程序、状态条件", page.total),
        ));
    }
    Ok(page.items)
}

async fn list_sized(app: &App, viewer: &Staff, q: &ListQuery, per_page: i64) -> Result<CasePage, AppError> {
    let mut errs = Vec::new();
    let blank = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from);
    let status = blank(&q.status).and_then(|s| {
        Status::parse(&s).or_else(|| {
            errs.push(FieldError::new("status", Violation::new("unknown_status", format!("未知的案件状态“{s}”"))));
            None
        })
    });
    let track = blank(&q.track).and_then(|t| {
        Track::parse(&t).or_else(|| {
            let why = format!("未知的程序“{t}”，应为 green、simple、ordinary 或 collective");
            errs.push(FieldError::new("track", Violation::new("unknown_track", why)));
            None
        })
    });
    let mut date = |name: &str, v: &Option<String>| -> Option<NaiveDate> {
        let s = blank(v)?;
        s.parse::<NaiveDate>()
            .map_err(|_| errs.push(FieldError::new(name, Violation::new("format", format!("{name} 应写成 YYYY-MM-DD")))))
            .ok()
    };
    let from = date("from", &q.from);
    let to = date("to", &q.to);
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        errs.push(FieldError::new("to", Violation::new("before_from", "结束日期不能早于开始日期")));
    }
    let page = match blank(&q.page) {
        None => 1,
        Some(p) => match p.parse::<i64>() {
            Ok(n) if (1..=100_000).contains(&n) => n,
            _ => {
                errs.push(FieldError::new("page", Violation::new("format", "page 应为1到100000之间的整数")));
                1
            }
        },
    };
    let text = blank(&q.q);
    if text.as_ref().is_some_and(|t| t.chars().count() > 100) {
        errs.push(FieldError::new("q", Violation::new("too_long", "查询内容不能超过100个字")));
    }
    if text.as_ref().is_some_and(|t| t.chars().any(char::is_control)) {
        errs.push(FieldError::new("q", Violation::new("format", "查询内容含有不可见的控制字符")));
    }
    let party_id = blank(&q.party_id).map(|p| p.to_uppercase());
    if party_id.as_ref().is_some_and(|p| p.len() != 18 || !p.chars().all(|c| c.is_ascii_alphanumeric())) {
        errs.push(FieldError::new("party_id", Violation::new("format", "party_id 应为18位公民身份号码或统一社会信用代码")));
    }
    let outcome = blank(&q.outcome).and_then(|o| {
        Outcome::parse(&o).or_else(|| {
            let codes: Vec<&str> = Outcome::ALL.iter().map(|x| x.code()).collect();
            let why = format!("未知的结案方式“{o}”，应为 {}", codes.join("、"));
            errs.push(FieldError::new("outcome", Violation::new("unknown_outcome", why)));
            None
        })
    });
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let tribunal_of = super::access::tribunal_of(viewer)?;
    // A list shows parties' names: every staff search is in the access log.
    super::documents::log(app, viewer, "search", None, None, &search_terms(q)).await?;
    let filter = CaseFilter {
        status,
        track,
        q: text,
        filed_from: from,
        filed_to: to,
        party_id,
        outcome,
        tribunal_of,
        limit: per_page,
        offset: (page - 1) * per_page,
    };
    let mut conn = app.db.reader.acquire().await?;
    let (rows, total) = store::list(&mut conn, &filter).await?;
    let filed: Vec<&str> = rows.iter().filter(|r| r.status == Status::Filed).map(|r| r.id.as_str()).collect();
    let entries = entries_by_case(&clock_store::for_cases(&mut conn, &filed).await?)?;
    drop(conn);
    let today = app.time.today();
    let calendar = app.calendar();
    let items = rows
        .into_iter()
        .map(|r| {
            let filed_on: NaiveDate = r.filed_on.parse().map_err(anyhow::Error::from)?;
            let (accept_by, left) = if r.status == Status::Filed {
                let dates = CaseDates { status: r.status, filed_on, accepted_on: None };
                let list = entries.get(&r.id).map(Vec::as_slice).unwrap_or_default();
                let by = app.deadlines_of(&dates, list).accept_by.expect("a filed case has an acceptance deadline");
                let left = calendar.working_days_left(today, by);
                (Some(by), Some(left))
            } else {
                (None, None)
            };
            Ok(CaseSummary {
                track: r.track,
                accepted_on: r.accepted_on.as_deref().map(str::parse).transpose().map_err(anyhow::Error::from)?,
                closed_on: r.closed_on.as_deref().map(str::parse).transpose().map_err(anyhow::Error::from)?,
                outcome: r.outcome,
                id: r.id,
                case_no: r.case_no,
                status: r.status,
                applicant: r.applicant,
                respondent: r.respondent,
                claimed_total: Amount::from_fen(r.claimed_total_fen).to_string(),
                filed_on,
                accept_by,
                working_days_left: left,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(CasePage { items, total, page, per_page })
}
