//! What a signed-in party sees of its own case (issue 22 §2): the progress as a timeline, the
//! hearing with its place, its address and what to bring, the documents served on it, the
//! evidence, the defence, and after the award the outcome and each right with its last day.

use chrono::{Datelike, NaiveDate};

use super::cases::{self, CaseView, Viewer};
use super::evidence::{self, EvidenceView};
use super::parties::Party;
use super::{App, AppError};
use crate::documents::kinds::{chinese_date, chinese_date_text, chinese_time};
use crate::law::case::{Outcome, Status};
use crate::law::clock::AwardKind;
use crate::law::routing::Track;
use crate::store::hearings as hearing_store;
use crate::store::party_access;

/// One step of the case's progress.
#[derive(Debug, Clone)]
pub struct Step {
    pub label: &'static str,
    /// What happened, or what is expected, in plain words with a Chinese date.
    pub detail: String,
    pub state: StepState,
}

/// Where the case stands against a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepState {
    Done,
    Current,
    Pending,
}

impl StepState {
    /// The class the page gives the step.
    pub fn class(self) -> &'static str {
        match self {
            StepState::Done => "done",
            StepState::Current => "current",
            StepState::Pending => "pending",
        }
    }
}

/// The planned hearing, as the party is told it.
#[derive(Debug, Clone)]
pub struct HearingFacts {
    /// 2026年12月18日（星期五）
    pub day: String,
    /// 上午9时30分
    pub time: String,
    pub room: String,
    /// The commission's address (a setting).
    pub address: String,
    /// What to bring, for the case's track (`templates/party/`).
    pub bring: Vec<String>,
    /// When the hearing was moved: what the earlier notice said.
    pub moved_from: Option<String>,
    /// The last day to ask for a postponement (Law Art. 35, Rules Art. 38: 3 days before).
    pub postpone_by: Option<String>,
}

/// An award or mediation statement served on the party, with its results.
#[derive(Debug, Clone)]
pub struct OutcomeDoc {
    /// 仲裁裁决书（中劳人仲案字〔2026〕第6-1号）
    pub title: String,
    /// What kind of decision it is, in plain words.
    pub finality: &'static str,
    pub items: Vec<OutcomeItem>,
}

/// One result, with the claim it answers.
#[derive(Debug, Clone)]
pub struct OutcomeItem {
    /// 第1项请求（拖欠工资）
    pub claim: Option<String>,
    pub text: String,
    /// 8600.00 元, when it awards money.
    pub amount: Option<String>,
}

/// A right the party holds after the award, with its last day.
#[derive(Debug, Clone)]
pub struct Right {
    pub document: String,
    pub text: String,
}

/// The party's own page of its case.
#[derive(Debug, Clone)]
pub struct PartyCase {
    pub case: CaseView,
    /// `applicant` or `respondent`.
    pub role: String,
    pub steps: Vec<Step>,
    pub hearing: Option<HearingFacts>,
    pub evidence: Vec<EvidenceView>,
    /// The respondent's defences (the respondent sees its own; the applicant sees that one came).
    pub defences: Vec<party_access::DefenceRow>,
    pub rights: Vec<Right>,
    /// The defence period's last day, while it runs.
    pub defence_by: Option<String>,
    pub waived: bool,
    /// The party's service address and consents in force.
    pub address: Option<super::addresses::AddressView>,
    /// The party's procedural answers in force (consents, mediation).
    pub answers: Option<crate::store::party_requests::AnswerRow>,
    /// The arbitrators of the planned hearing's tribunal, for a recusal request.
    pub tribunal: Vec<(i64, String)>,
    /// The party's own requests.
    pub requests: Vec<super::party_requests::RequestView>,
    /// The awards and mediation statements served on the party, result by result.
    pub outcomes: Vec<OutcomeDoc>,
}

/// What to bring to a hearing of `track`: the lines of its list in `templates/party/`.
pub fn what_to_bring(track: Track) -> Vec<String> {
    let text = match track {
        Track::Green => include_str!("../../templates/party/bring_green.txt"),
        Track::Simple => include_str!("../../templates/party/bring_simple.txt"),
        Track::Ordinary => include_str!("../../templates/party/bring_ordinary.txt"),
        Track::Collective => include_str!("../../templates/party/bring_collective.txt"),
    };
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from).collect()
}

/// 2026-12-18 → 2026年12月18日（星期五）.
pub fn day_with_weekday(d: NaiveDate) -> String {
    const DAYS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
    format!("{}（星期{}）", chinese_date(d), DAYS[d.weekday().num_days_from_monday() as usize])
}

/// The party's page of its case.
pub async fn of_party(app: &App, party: &Party) -> Result<PartyCase, AppError> {
    let case = cases::get(app, &party.case_id, Viewer::Party(party)).await?;
    let evidence = evidence::for_party(app, party, &party.case_id).await?;
    let mut conn = app.db.reader.acquire().await?;
    let defences = party_access::defences(&mut conn, &party.case_id).await?;
    let address = crate::store::settings::get(&mut conn).await?.address.unwrap_or_else(|| app.config.commission_address.clone());
    let hearing = match case.hearings.iter().find(|h| h.status == "planned") {
        Some(h) => {
            let room = hearing_store::room_name(&mut conn, h.room_id).await?;
            let moved_from = hearing_store::previous_notice(&mut conn, h.hearing_id).await?.and_then(|(day, start, room)| {
                let day = day?.parse::<NaiveDate>().ok()?;
                let changed = day.to_string() != h.day || start.as_deref() != Some(h.start.as_str());
                changed.then(|| {
                    format!("{} {} {}", day_with_weekday(day), chinese_time(start.as_deref().unwrap_or("")), room.unwrap_or_default())
                })
            });
            let day = h.day.parse::<NaiveDate>().map(day_with_weekday).unwrap_or_else(|_| h.day.clone());
            Some(HearingFacts {
                day,
                time: chinese_time(&h.start),
                room,
                address: address.clone(),
                bring: what_to_bring(case.track),
                moved_from,
                postpone_by: case.deadlines.postpone_by.map(chinese_date),
            })
        }
        None => None,
    };
    let address = crate::store::services::recipients(&mut conn, &party.case_id)
        .await?
        .iter()
        .find(|r| r.party_id == party.party_id)
        .map(super::addresses::AddressView::of);
    let answers =
        crate::store::party_requests::answers_of_case(&mut conn, &party.case_id).await?.into_iter().find(|a| a.party_id == party.party_id);
    let tribunal = match case.hearings.iter().find(|h| h.status == "planned") {
        Some(h) => {
            let names = crate::store::resources::arbitrator_names(&mut conn, &h.arbitrator_ids).await?;
            h.arbitrator_ids.iter().copied().zip(names).collect()
        }
        None => Vec::new(),
    };
    let items = crate::store::awards::items_of_case(&mut conn, &party.case_id).await?;
    drop(conn);
    let outcomes = outcomes(&case, &items);
    let requests = super::party_requests::of_party(app, party).await?;
    let waived = defences.iter().any(|d| d.waived == 1);
    let defence_by = case.deadlines.defence_by.filter(|_| !case.status.is_final()).map(chinese_date);
    let steps = steps(&case);
    let rights = rights(app, &case, &party.role);
    Ok(PartyCase {
        case,
        role: party.role.clone(),
        steps,
        hearing,
        evidence,
        defences,
        rights,
        defence_by,
        waived,
        address,
        answers,
        tribunal,
        requests,
        outcomes,
    })
}

/// The case's progress: filed → accepted → served → hearing → award or mediation → effective.
fn steps(c: &CaseView) -> Vec<Step> {
    use StepState::*;
    let d = chinese_date;
    let mut out = vec![Step { label: "提交申请", detail: d(c.filed_on), state: Done }];
    if c.status == Status::Rejected {
        let on = c.rejected_on.map(d).unwrap_or_default();
        out.push(Step { label: "不予受理", detail: on, state: Done });
        return out;
    }
    let accepted = match c.accepted_on {
        Some(on) => Step { label: "受理", detail: d(on), state: Done },
        None => Step {
            label: "受理",
            detail: c.deadlines.accept_by.map(|by| format!("仲裁委员会将在{}前决定是否受理", d(by))).unwrap_or_default(),
            state: Current,
        },
    };
    out.push(accepted);
    let served = match (c.accepted_on, c.deadlines.copy_served_on) {
        (_, Some(on)) => Step { label: "送达被申请人", detail: d(on), state: Done },
        (Some(_), None) => Step { label: "送达被申请人", detail: "正在送达应诉材料".into(), state: Current },
        (None, None) => Step { label: "送达被申请人", detail: String::new(), state: Pending },
    };
    let served_done = served.state == Done;
    out.push(served);
    let held = c.hearings.iter().find(|h| h.status == "held");
    let planned = c.hearings.iter().find(|h| h.status == "planned");
    let hearing = match (held, planned) {
        (Some(h), _) => Step { label: "开庭", detail: chinese_date_text(&h.day), state: Done },
        (None, Some(h)) => {
            Step { label: "开庭", detail: format!("定于{}{}", chinese_date_text(&h.day), chinese_time(&h.start)), state: Current }
        }
        (None, None) if c.status == Status::Closed => Step { label: "开庭", detail: "未开庭".into(), state: Done },
        (None, None) => Step { label: "开庭", detail: "等待安排".into(), state: if served_done { Current } else { Pending } },
    };
    out.push(hearing);
    let windows: Vec<_> = c.deadlines.appeal.as_ref().map(|a| a.windows().to_vec()).unwrap_or_default();
    let closing = match c.outcome {
        Some(o @ (Outcome::Award | Outcome::Mediation)) => {
            let issued = c.documents.iter().filter(|x| is_outcome_document(&x.kind)).map(|x| chinese_date_text(&x.issued_on)).next();
            Step { label: if o == Outcome::Award { "裁决" } else { "调解" }, detail: issued.unwrap_or_default(), state: Done }
        }
        Some(o) => Step { label: "结案", detail: o.label().to_string(), state: Done },
        None => Step {
            label: "裁决或调解",
            detail: c.deadlines.award_due.map(|due| format!("应在{}前结案", d(due))).unwrap_or_default(),
            state: if held.is_some() { Current } else { Pending },
        },
    };
    let decided = matches!(c.outcome, Some(Outcome::Award | Outcome::Mediation));
    out.push(closing);
    if decided || c.outcome.is_none() {
        let effective: Vec<NaiveDate> = windows.iter().filter_map(|w| w.effective_on).collect();
        let step = match effective.iter().max() {
            Some(on) if effective.len() == windows.len() => Step { label: "生效", detail: d(*on), state: Done },
            _ if decided => Step { label: "生效", detail: "文书送达并经过法定期限后生效".into(), state: Current },
            _ => Step { label: "生效", detail: String::new(), state: Pending },
        };
        out.push(step);
    }
    if c.status == Status::Closed && !decided {
        // Withdrawn or otherwise closed: what never happened is no longer under way.
        for s in out.iter_mut().filter(|s| s.state == Current) {
            s.state = Pending;
            s.detail = String::new();
        }
    }
    out
}

/// The results of each award or mediation statement the party holds (Law Art. 47: final items are
/// named apart from the rest).
fn outcomes(c: &CaseView, items: &[crate::store::awards::ItemRow]) -> Vec<OutcomeDoc> {
    c.documents
        .iter()
        .filter(|d| is_outcome_document(&d.kind) && d.corrects.is_none())
        .map(|d| OutcomeDoc {
            title: format!("{}（{}）", d.title, d.case_no),
            finality: match d.kind.as_str() {
                "award_final" => "终局裁决：自作出之日起发生法律效力，劳动者不服可以起诉，用人单位只能依法申请撤销",
                "award_nonfinal" => "非终局裁决：任何一方不服，可以在收到裁决书之日起15日内起诉",
                _ => "调解书：双方签收后发生法律效力",
            },
            items: items
                .iter()
                .filter(|i| i.document_id == d.id)
                .map(|i| OutcomeItem {
                    claim: i.claim_position.and_then(|p| {
                        let claim = c.claims.get(p as usize)?;
                        Some(format!("第{}项请求（{}）", p + 1, claim.kind_label))
                    }),
                    text: i.text.clone(),
                    amount: (i.awarded_fen > 0).then(|| format!("{}元", crate::law::money::Amount::from_fen(i.awarded_fen))),
                })
                .collect(),
        })
        .collect()
}

fn is_outcome_document(kind: &str) -> bool {
    matches!(kind, "award_final" | "award_nonfinal" | "mediation")
}

/// Each right the party holds after the award or mediation, with its last day (Law Art. 42, 47–50).
fn rights(app: &App, c: &CaseView, role: &str) -> Vec<Right> {
    let Some(appeal) = &c.deadlines.appeal else { return Vec::new() };
    let number = |id: Option<i64>| {
        id.and_then(|id| c.documents.iter().find(|d| d.id == id)).map(|d| format!("{}（{}）", d.title, d.case_no)).unwrap_or_default()
    };
    let d = chinese_date;
    let mut out = Vec::new();
    for w in appeal.windows() {
        let document = number(w.document_id);
        let text = match (w.kind, role) {
            (AwardKind::Mediation, _) => match w.effective_on {
                Some(on) => format!("调解书已于{}发生法律效力，双方应当履行（《劳动争议调解仲裁法》第四十二条）。", d(on)),
                None => "调解书经双方当事人签收后发生法律效力（《劳动争议调解仲裁法》第四十二条）。".into(),
            },
            (AwardKind::Final, "applicant") => match w.worker_may_sue_by {
                Some(by) => {
                    format!("本裁决为终局裁决。您如不服，可在{}前（含当日）向人民法院起诉（《劳动争议调解仲裁法》第四十八条）。", d(by))
                }
                None => "本裁决为终局裁决。您如不服，可自收到裁决书之日起15日内向人民法院起诉（《劳动争议调解仲裁法》第四十八条）。".into(),
            },
            (AwardKind::Final, _) => match w.employer_may_petition_by {
                Some(by) => format!(
                    "本裁决为终局裁决，自作出之日起发生法律效力。用人单位有证据证明裁决有法定情形的，可在{}前（含当日）向{}申请撤销（《劳动争议调解仲裁法》第四十九条）。",
                    d(by),
                    app.config.intermediate_court
                ),
                None => format!(
                    "本裁决为终局裁决。用人单位有证据证明裁决有法定情形的，可自收到裁决书之日起30日内向{}申请撤销（《劳动争议调解仲裁法》第四十九条）。",
                    app.config.intermediate_court
                ),
            },
            (AwardKind::NonFinal, r) => {
                let by = if r == "applicant" { w.worker_may_sue_by } else { w.employer_may_sue_by };
                match by {
                    Some(by) => format!(
                        "您如不服本裁决，可在{}前（含当日）向人民法院起诉；期满不起诉的，裁决书发生法律效力（《劳动争议调解仲裁法》第五十条）。",
                        d(by)
                    ),
                    None => "您如不服本裁决，可自收到裁决书之日起15日内向人民法院起诉（《劳动争议调解仲裁法》第五十条）。".into(),
                }
            }
        };
        out.push(Right { document, text });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hearing_day_reads_with_its_weekday() {
        assert_eq!(day_with_weekday(NaiveDate::from_ymd_opt(2026, 12, 18).unwrap()), "2026年12月18日（星期五）");
        assert_eq!(day_with_weekday(NaiveDate::from_ymd_opt(2026, 12, 20).unwrap()), "2026年12月20日（星期日）");
    }

    #[test]
    fn every_track_has_a_list_of_what_to_bring() {
        for t in Track::ALL {
            let list = what_to_bring(t);
            assert!(list.len() >= 3, "{t:?}");
            assert!(list.iter().all(|l| !l.starts_with('#')));
            assert!(list[0].contains("身份证"));
        }
    }
}
