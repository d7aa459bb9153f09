//! Registering a dispute (立案申请): parse, route, store with its audit event, all in one transaction.

use crate::law::case::Status;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::secrets::{hash_access_code, mask, new_access_code, sha256_hex, unhex};
use super::{App, AppError};
use crate::law::application::{Application, RawApplication};
use crate::law::routing::{Routing, Track, final_eligible, route};
use crate::law::{FieldError, Violation, limitation};
use crate::store::{cases, events, idempotency, is_unique_violation};

/// The answer to a registration (api.md "Cases", `201`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Registered {
    pub id: String,
    pub status: Status,
    pub track: Track,
    pub routing: RoutingSummary,
    /// Shown once; the service keeps only its hash.
    pub access_code: String,
    /// The commission decides on acceptance by this day (Law Art. 29).
    pub accept_by: NaiveDate,
    /// Possible time bars, for the tribunal; never a refusal.
    pub warnings: Vec<String>,
}

/// The track and the reasons for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RoutingSummary {
    pub track: Track,
    pub reasons: Vec<String>,
}

/// A client's `Idempotency-Key` and the hash of the request body it came with.
#[derive(Debug, Clone)]
pub struct Idempotency {
    pub key: String,
    pub request_hash: String,
}

impl Idempotency {
    /// Checks the header value: 1 to 200 visible ASCII characters.
    pub fn parse(key: &str, request_hash: String) -> Result<Self, AppError> {
        if key.is_empty() || key.len() > 200 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(AppError::field("Idempotency-Key", "format", "Idempotency-Key 应为1到200个可见ASCII字符"));
        }
        Ok(Self { key: key.to_string(), request_hash })
    }

    /// The key as stored: its digest, so the table never holds what a client sent.
    fn stored_key(&self) -> String {
        sha256_hex(format!("idempotency-key\0{}", self.key).as_bytes())
    }

    /// The answer as stored: the access code sealed with a pad only the raw key gives back, so a
    /// read of the table opens no case (the key is kept as its digest only).
    fn seal(&self, answer: &Registered) -> Result<String, AppError> {
        let mut sealed = answer.clone();
        sealed.access_code = format!("sealed:{}", super::secrets::hex(&mask(answer.access_code.as_bytes(), self.pad_key().as_bytes())));
        Ok(serde_json::to_string(&sealed).map_err(anyhow::Error::from)?)
    }

    /// The first answer back from its stored form.
    fn unseal(&self, stored: &str) -> Result<Registered, AppError> {
        let mut answer: Registered = serde_json::from_str(stored).map_err(anyhow::Error::from)?;
        let masked =
            answer.access_code.strip_prefix("sealed:").and_then(unhex).ok_or_else(|| anyhow::anyhow!("an unsealed stored answer"))?;
        answer.access_code = String::from_utf8(mask(&masked, self.pad_key().as_bytes())).map_err(anyhow::Error::from)?;
        Ok(answer)
    }

    fn pad_key(&self) -> String {
        format!("{}\0{}", self.key, self.request_hash)
    }
}

/// Registers a dispute filed today.
pub async fn register(app: &App, raw: &RawApplication, idem: Option<&Idempotency>) -> Result<Registered, AppError> {
    let today = app.time.today();
    let now = app.time.now_text();
    if let Some(i) = idem
        && let Some(done) = replay(app, i, &now).await?
    {
        return Ok(done);
    }
    let application = Application::parse(raw, today).map_err(AppError::Validation)?;
    // Finality is decided on the award's day (Law Art. 47): route by the earliest one possible.
    let award_day = crate::law::routing::earliest_award_day(&app.calendar(), today, app.config.clock_rules.notice_working_days());
    let thresholds = app
        .config
        .thresholds
        .on(award_day)
        .ok_or_else(|| anyhow::anyhow!("no minimum wage or simplified ceiling configured for {award_day}"))?;
    let routing = route(&application, &thresholds);
    let mut warnings = limitation::warnings(&application, today);
    warnings.extend(rare_characters(app, &application));
    let filed = super::deadlines::CaseDates { status: Status::Filed, filed_on: today, accepted_on: None };
    let accept_by = app.deadlines_of(&filed, &[]).accept_by.expect("a filed case has an acceptance deadline");

    let id = app.new_case_id();
    let access_code = new_access_code();
    let mut answer = Registered {
        id: id.clone(),
        status: Status::Filed,
        track: routing.track,
        routing: RoutingSummary { track: routing.track, reasons: routing.reasons.clone() },
        access_code: access_code.clone(),
        accept_by,
        warnings: Vec::new(),
    };

    let mut tx = app.db.begin().await?;
    warnings.extend(likely_duplicates(&mut tx, &application, today).await?);
    answer.warnings = warnings.clone();
    let stored_routing =
        serde_json::to_string(&StoredRouting { routing: routing.clone(), r#override: None }).map_err(anyhow::Error::from)?;
    let warnings_json = serde_json::to_string(&warnings).map_err(anyhow::Error::from)?;
    let (start, end) = (application.employment.start.to_string(), application.employment.end.map(|d| d.to_string()));
    let filed_on = today.to_string();
    cases::insert_case(
        &mut tx,
        &cases::NewCase {
            id: &id,
            track: routing.track.code(),
            routing: &stored_routing,
            access_code_hash: &hash_access_code(&access_code),
            filed_at: &now,
            filed_on: &filed_on,
            facts: &application.facts,
            employment_start: &start,
            employment_end: end.as_deref(),
            monthly_wage_fen: application.employment.monthly_wage.map(|a| a.fen()),
            consent_simplified: application.consents.simplified,
            consent_informal_service: application.consents.informal_service,
            claimed_total_fen: application.claimed_total().fen(),
            warnings: &warnings_json,
        },
    )
    .await?;
    let applicants = application.applicants.iter().enumerate().map(|(i, a)| cases::NewParty {
        role: "applicant",
        position: i as i64,
        name: &a.name,
        id_number: Some(a.id_number.as_str()),
        credit_code: None,
        phone: Some(a.phone.as_str()),
        address: &a.address,
        legal_representative: None,
    });
    let respondents = application.respondents.iter().enumerate().map(|(i, r)| cases::NewParty {
        role: "respondent",
        position: i as i64,
        name: &r.name,
        id_number: None,
        credit_code: r.credit_code.as_ref().map(|c| c.as_str()),
        phone: None,
        address: &r.address,
        legal_representative: r.legal_representative.as_deref(),
    });
    cases::insert_parties(&mut tx, &id, &applicants.chain(respondents).collect::<Vec<_>>()).await?;
    super::addresses::at_registration(&mut tx, &id, &application, &now).await?;
    let claims: Vec<_> = application
        .claims
        .iter()
        .enumerate()
        .map(|(i, c)| cases::NewClaim {
            position: i as i64,
            kind: c.kind.code(),
            amount_fen: c.amount.map(|a| a.fen()),
            description: &c.description,
            final_eligible: final_eligible(c.kind, c.amount, thresholds.final_award_limit),
        })
        .collect();
    cases::insert_claims(&mut tx, &id, &claims).await?;
    events::append(
        &mut tx,
        &events::NewEvent {
            case_id: &id,
            at: &now,
            actor: "申请人",
            action: "registered",
            before: None,
            after: Some(Status::Filed.code()),
            note: Some(routing.track.code()),
        },
    )
    .await?;

    if let Some(i) = idem {
        let expires = (app.time.now() + app.config.idempotency_ttl).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let body = i.seal(&answer)?;
        match idempotency::insert(&mut tx, &i.stored_key(), &i.request_hash, &body, &now, &expires).await {
            Err(e) if is_unique_violation(&e) => {
                // A concurrent request with the same key won the race: drop ours, answer with theirs.
                tx.rollback().await?;
                return replay(app, i, &now).await?.ok_or_else(|| anyhow::anyhow!("idempotency key vanished").into());
            }
            other => other?,
        }
    }
    tx.commit().await?;
    Ok(answer)
}

async fn replay(app: &App, i: &Idempotency, now: &str) -> Result<Option<Registered>, AppError> {
    let mut conn = app.db.reader.acquire().await?;
    let Some(stored) = idempotency::find(&mut conn, &i.stored_key(), now).await? else { return Ok(None) };
    if stored.request_hash != i.request_hash {
        return Err(AppError::Validation(vec![FieldError::new(
            "Idempotency-Key",
            Violation::new("reused", "此 Idempotency-Key 已用于另一份申请内容，请换一个新的键"),
        )]));
    }
    Ok(Some(i.unseal(&stored.response)?))
}

/// The routing as stored on the case: the decision, and a clerk's override if any.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredRouting {
    #[serde(flatten)]
    pub routing: Routing,
    #[serde(default)]
    pub r#override: Option<TrackOverride>,
}

/// A clerk's change of track, with the reason (the routed track stays in `routing`).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TrackOverride {
    pub track: Track,
    pub reason: String,
    pub by: String,
    pub at: String,
}

/// Cases the same applicant filed against the same respondent with the same claims in the last 7
/// days: likely the same dispute filed twice, flagged to the clerk (issue 22; never a refusal).
async fn likely_duplicates(tx: &mut crate::store::Tx, application: &Application, today: NaiveDate) -> Result<Vec<String>, AppError> {
    let (Some(a), Some(r)) = (application.applicants.first(), application.respondents.first()) else { return Ok(Vec::new()) };
    let since = (today - chrono::Days::new(7)).to_string();
    let mut wanted: Vec<(String, Option<i64>)> =
        application.claims.iter().map(|c| (c.kind.code().to_string(), c.amount.map(|x| x.fen()))).collect();
    wanted.sort();
    let mut out = Vec::new();
    for (id, filed_on) in cases::same_parties_since(tx, a.id_number.as_str(), &r.name, &since).await? {
        let mut theirs: Vec<(String, Option<i64>)> = cases::claims(tx, &id).await?.into_iter().map(|c| (c.kind, c.amount_fen)).collect();
        theirs.sort();
        if theirs == wanted {
            let on = filed_on.parse::<NaiveDate>().map(crate::documents::kinds::chinese_date).unwrap_or(filed_on);
            out.push(format!("可能重复申请：同一申请人已于{on}对同一被申请人提出相同的仲裁请求（案件编号 {id}），请核实。"));
        }
    }
    Ok(out)
}

/// Characters of the parties' names and addresses that no font of the documents has: the case goes
/// on, and its documents print them as 〓 to be written in by hand (issue 23).
fn rare_characters(app: &App, a: &Application) -> Vec<String> {
    let Ok(kit) = app.documents() else { return Vec::new() };
    let texts = a
        .applicants
        .iter()
        .flat_map(|p| [p.name.as_str(), p.address.as_str()])
        .chain(a.respondents.iter().flat_map(|r| [r.name.as_str(), r.address.as_str()]));
    let mut missing: Vec<char> = texts.flat_map(|t| kit.missing(t).unwrap_or_default()).collect();
    missing.sort_unstable();
    missing.dedup();
    if missing.is_empty() {
        return Vec::new();
    }
    let chars: Vec<String> = missing.iter().map(|c| format!("“{c}”")).collect();
    vec![format!("{}字暂时无法打印，案件照常办理；文书中将以〓代替，请书记员在打印件上手写补正。", chars.join("、"))]
}
