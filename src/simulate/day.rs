//! One simulated working day of the commission, through greenlane's own use cases: filings,
//! acceptances, service of every document issued, the parties' answers, withdrawals,
//! postponements, hearings held, awards and mediation statements, planning. Every choice a person
//! makes is drawn from the scenario with a roll fixed by the seed and what it is about, so a day
//! stopped half-way runs again to the same end.

use chrono::{Datelike, Days, NaiveDate};
use rand::SeedableRng;
use rand::rngs::StdRng;
use sha2::{Digest, Sha256};

use super::people;
use super::scenario::Scenario;
use crate::app::accounts::{Role, Staff};
use crate::app::addresses::AddressInput;
use crate::app::award::{AwardInput, ItemInput, MediationInput};
use crate::app::clock::{ClockAction, ClockEventInput};
use crate::app::held::HeldInput;
use crate::app::parties::{DefenceInput, Party};
use crate::app::party_requests::AnswersInput;
use crate::app::replan::{PostponementDecision, PostponementInput, ReplanInput};
use crate::app::services::{DeliveredInput, FailedInput, ReserveInput, SentInput};
use crate::app::withdraw::WithdrawInput;
use crate::app::{App, AppError};
use crate::documents::kinds::Kind;
use crate::law::case::Status;
use crate::law::routing::Track;
use crate::law::service::Channel;
use crate::store::simulation as store;
use crate::time::Time;

/// A number in `[0, 1)` fixed by the seed and what it is about.
pub fn roll(seed: u64, about: &str) -> f64 {
    let h = Sha256::new().chain_update(seed.to_le_bytes()).chain_update(about.as_bytes()).finalize();
    let n = u64::from_le_bytes(h[..8].try_into().expect("8 bytes"));
    (n >> 11) as f64 / (1u64 << 53) as f64
}

/// A whole number of days from `range`, fixed like [`roll`].
pub fn days_in(seed: u64, about: &str, range: [u32; 2]) -> u32 {
    let span = f64::from(range[1] - range[0] + 1);
    range[0] + ((roll(seed, about) * span) as u32).min(range[1] - range[0])
}

/// How a case will end, drawn once from the scenario's shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Mediation,
    Withdrawal,
    Award,
}

/// The simulated commission: the app, the scenario, the seed, and the clerk who acts.
pub struct Commission {
    pub app: App,
    pub scenario: Scenario,
    pub seed: u64,
    clerk: Staff,
    /// Heard cases' award day and presiding arbitrator, worked out once (a resumed run works them
    /// out again from the database).
    award_days: std::sync::Mutex<std::collections::HashMap<String, (NaiveDate, i64)>>,
}

/// What one day did, for the progress line.
#[derive(Debug, Default, Clone, Copy)]
pub struct DayDone {
    pub filed: u64,
    pub planned: u64,
}

impl Commission {
    pub fn new(app: App, scenario: Scenario, seed: u64) -> Self {
        let clerk = Staff { user_id: 0, username: "模拟书记员".into(), role: Role::Clerk, arbitrator_id: None };
        Commission { app, scenario, seed, clerk, award_days: Default::default() }
    }

    fn at(&self, day: NaiveDate) -> App {
        self.app.with_time(Time::fixed(day))
    }

    fn ending(&self, case_id: &str) -> Ending {
        let o = self.scenario.outcomes;
        let r = roll(self.seed, &format!("{case_id}:ending"));
        if r < o.mediation {
            Ending::Mediation
        } else if r < o.mediation + o.withdrawal {
            Ending::Withdrawal
        } else {
            Ending::Award
        }
    }

    /// Runs one working day.
    pub async fn day(&self, day: NaiveDate) -> Result<DayDone, AppError> {
        let at = self.at(day);
        let mut lap = Lap::start();
        let filed = self.intake(day).await?;
        lap.mark("intake");
        self.accept(&at, day).await?;
        lap.mark("accept");
        at.drain_jobs().await?;
        lap.mark("jobs");
        self.serve(&at, day).await?;
        lap.mark("serve");
        self.withdraw(&at, day).await?;
        lap.mark("settle");
        self.postpone(&at, day).await?;
        lap.mark("postpone");
        self.hold(&at, day).await?;
        lap.mark("hold");
        self.decide(&at, day).await?;
        lap.mark("decide");
        let mut planned = 0;
        if self.plans_on(day) {
            self.extend(&at, day).await?;
            lap.mark("extend");
            planned = crate::app::schedule::schedule(&at, &self.clerk, false).await?.planned.len() as u64;
            lap.mark("plan");
        }
        at.drain_jobs().await?;
        lap.mark("jobs");
        // Documents put on the platform today may be opened today.
        self.serve(&at, day).await?;
        lap.mark("serve");
        lap.report(day);
        let mut conn = self.app.db.writer.acquire().await?;
        store::day_done(&mut conn, &day.to_string(), &self.app.time.now_text()).await?;
        Ok(DayDone { filed, planned })
    }

    fn plans_on(&self, day: NaiveDate) -> bool {
        let p = &self.scenario.planning;
        p.every == "daily" || day.weekday().number_from_monday() == p.weekday
    }

    /// The cases filed on `day`: those not yet registered when the day is run again.
    async fn intake(&self, day: NaiveDate) -> Result<u64, AppError> {
        let due = super::intake::on(&self.scenario, &self.app.calendar(), day);
        let mut conn = self.app.db.reader.acquire().await?;
        let done = store::filed_on(&mut conn, &day.to_string()).await? as u64;
        drop(conn);
        let t = self.scenario.intake.tracks;
        for i in done..due {
            let about = format!("{day}:{i}");
            let mut rng =
                StdRng::seed_from_u64(self.seed ^ u64::from_le_bytes(Sha256::digest(about.as_bytes())[..8].try_into().expect("8")));
            let r = roll(self.seed, &format!("{about}:track"));
            let track = if r < t.green {
                Track::Green
            } else if r < t.green + t.simple {
                Track::Simple
            } else if r < t.green + t.simple + t.ordinary {
                Track::Ordinary
            } else {
                Track::Collective
            };
            let electronic = roll(self.seed, &format!("{about}:electronic")) < self.scenario.service.applicant_electronic;
            let raw = people::application(&mut rng, day, track, electronic);
            let app = self.at(day).with_case_ids(rand::Rng::random(&mut rng));
            crate::app::register::register(&app, &raw, None).await?;
        }
        Ok(due.saturating_sub(done))
    }

    /// Acceptance within the clerks' working days (Law Art. 29).
    async fn accept(&self, at: &App, day: NaiveDate) -> Result<(), AppError> {
        let mut conn = self.app.db.reader.acquire().await?;
        let filed = store::in_states(&mut conn, &[Status::Filed]).await?;
        drop(conn);
        let calendar = self.app.calendar();
        for c in filed {
            let filed_on: NaiveDate = c.filed_on.parse().map_err(anyhow::Error::from)?;
            let wait = days_in(self.seed, &format!("{}:accept", c.id), self.scenario.clerks.accept_days);
            if calendar.add_working_days(filed_on, wait).date <= day {
                crate::app::decide::accept(at, &self.clerk, &c.id, Some(day)).await?;
            }
        }
        Ok(())
    }

    /// Every document not yet served: platform documents opened, letters posted and signed for,
    /// unreachable respondents served by public notice; a respondent who has the notice to answer
    /// may sign in, take platform service and waive the defence period.
    async fn serve(&self, at: &App, day: NaiveDate) -> Result<(), AppError> {
        let mut conn = self.app.db.reader.acquire().await?;
        let open = crate::store::services::unserved(&mut conn, i64::MAX).await?;
        drop(conn);
        let v = self.scenario.service;
        let mut forward = Vec::new();
        for s in open {
            let (Ok(channel), Ok(issued)) = (s.channel(), s.document_issued_on.parse::<NaiveDate>()) else { continue };
            if s.status == "failed" || s.replaced > 0 {
                continue;
            }
            let about = format!("service-{}", s.id);
            match channel {
                Channel::Platform => {
                    if issued + Days::new(days_in(self.seed, &about, v.platform_days).into()) <= day {
                        crate::app::services::opened(at, s.document_id, &[s.party_id]).await?;
                    }
                }
                Channel::PublicNotice | Channel::Email | Channel::Sms => {}
                _ => {
                    if s.status == "pending" {
                        let sent = SentInput { on: Some(issued.to_string()), ems_number: Some(format!("EA{:09}CN", s.id)) };
                        crate::app::services::mark_sent(at, &self.clerk, s.id, &sent).await?;
                    }
                    let signed = issued + Days::new(days_in(self.seed, &about, v.post_days).into());
                    if signed > day {
                        continue;
                    }
                    let notice_to_answer = s.document_kind == Kind::RespondentNotice.code() && s.role == "respondent";
                    if notice_to_answer && roll(self.seed, &format!("{}:unreachable", s.case_id)) < v.public_notice {
                        let failed = FailedInput { reason: Some("邮件退回：查无此单位，被申请人下落不明".into()) };
                        crate::app::services::record_failed(at, &self.clerk, s.id, &failed).await?;
                        let again = ReserveInput { channel: Some("public_notice".into()), on: Some(day.to_string()) };
                        crate::app::services::reserve(at, &self.clerk, s.id, &again).await?;
                        continue;
                    }
                    let input = DeliveredInput { on: Some(signed.to_string()), evidence: Some(format!("{}签收邮件", s.name)) };
                    crate::app::services::mark_delivered(at, &self.clerk, s.id, &input).await?;
                    if notice_to_answer && let Some(h) = self.answer_online(at, &s.case_id, s.party_id, &s.address).await? {
                        forward.push(h);
                    }
                }
            }
        }
        self.bring_forward(at, forward).await
    }

    /// A respondent with the notice to answer in hand signs in with the code on it (if the
    /// scenario says it does), takes platform service, and may waive the defence period; the
    /// hearing to bring forward then, if one is fixed.
    async fn answer_online(&self, at: &App, case_id: &str, party_id: i64, address: &str) -> Result<Option<i64>, AppError> {
        let v = self.scenario.service;
        if roll(self.seed, &format!("{case_id}:online")) >= v.respondent_online {
            return Ok(None);
        }
        let party = Party { case_id: case_id.to_string(), role: "respondent".into(), party_id };
        let answers = AnswersInput {
            address: AddressInput {
                address: Some(address.to_string()),
                platform: Some(true),
                electronic_awards: Some(true),
                ..AddressInput::default()
            },
            simplified: Some(true),
            informal_service: Some(true),
            mediation: Some(self.ending(case_id) == Ending::Mediation),
        };
        crate::app::party_requests::answer(at, &party, case_id, &answers).await?;
        let mut conn = self.app.db.reader.acquire().await?;
        let track = crate::store::cases::get(&mut conn, case_id).await?.map(|c| c.track);
        drop(conn);
        let waives = track.is_some_and(Track::is_simplified) && roll(self.seed, &format!("{case_id}:waiver")) < v.waiver;
        let text = "被申请人对申请人的请求有异议，具体意见将在庭审中陈述。";
        let defence = DefenceInput { text: Some(text.into()), waive_defence_period: Some(waives) };
        crate::app::parties::defend(at, &party, case_id, &defence).await?;
        if !waives {
            return Ok(None);
        }
        let mut conn = self.app.db.reader.acquire().await?;
        Ok(store::planned_of(&mut conn, case_id).await?)
    }

    /// The defence period waived, the clerk brings the hearings already fixed forward, all of the
    /// day's in one re-planning.
    async fn bring_forward(&self, at: &App, hearings: Vec<i64>) -> Result<(), AppError> {
        if hearings.is_empty() {
            return Ok(());
        }
        let input = ReplanInput {
            hearing_ids: Some(hearings),
            dry_run: false,
            short_notice: Some(self.scenario.service.short_notice_on_waiver),
            reason: Some("被申请人放弃答辩期，提前开庭".into()),
        };
        crate::app::replan::replan(at, &self.clerk, &input).await?;
        Ok(())
    }

    /// Settlements before the hearing, some days after acceptance: the applicant withdraws, or
    /// the parties sign a mediation statement before the tribunal that will hear the case
    /// (庭前调解). A withdrawal comes on the hearing day at the latest (see [`Commission::hold`]).
    async fn withdraw(&self, at: &App, day: NaiveDate) -> Result<(), AppError> {
        let mut conn = self.app.db.reader.acquire().await?;
        let open = store::in_states(&mut conn, &[Status::Accepted, Status::Scheduled]).await?;
        drop(conn);
        let o = self.scenario.outcomes;
        for c in open {
            let Some(accepted) = c.accepted_on.as_deref().and_then(|d| d.parse::<NaiveDate>().ok()) else { continue };
            if accepted + Days::new(days_in(self.seed, &format!("{}:settle", c.id), o.settle_days).into()) > day {
                continue;
            }
            match self.ending(&c.id) {
                Ending::Withdrawal => self.withdraw_one(at, &c.id).await?,
                Ending::Mediation if roll(self.seed, &format!("{}:early", c.id)) < o.mediated_before_hearing => {
                    let mut conn = self.app.db.reader.acquire().await?;
                    let planned = store::planned_of(&mut conn, &c.id).await?;
                    let presiding = match planned {
                        Some(h) => store::presiding(&mut conn, h).await?,
                        None => None,
                    };
                    drop(conn);
                    // Mediated by the tribunal: only once a hearing (and with it the tribunal) is fixed.
                    if let Some(a) = presiding {
                        self.mediate(at, &c.id, a).await?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// A mediation statement signed before the presiding arbitrator: the parties settle for seven
    /// tenths of what was claimed.
    async fn mediate(&self, at: &App, case_id: &str, presiding: i64) -> Result<(), AppError> {
        let mut conn = self.app.db.reader.acquire().await?;
        let claims = crate::store::cases::claims(&mut conn, case_id).await?;
        drop(conn);
        let arbitrator = Staff { user_id: 0, username: "模拟仲裁员".into(), role: Role::Arbitrator, arbitrator_id: Some(presiding) };
        let agreed = claims.iter().filter_map(|c| c.amount_fen).sum::<i64>() / 100 * 7 / 10;
        let items = vec![ItemInput {
            claim: None,
            awarded: Some(format!("{agreed}.00")),
            text: Some(format!("被申请人于本调解书送达之日起十日内一次性支付申请人{agreed}元，双方劳动争议就此了结")),
            reasoning: None,
        }];
        crate::app::award::mediation(at, &arbitrator, case_id, &MediationInput { items: Some(items) }).await?;
        Ok(())
    }

    async fn withdraw_one(&self, at: &App, case_id: &str) -> Result<(), AppError> {
        let input = WithdrawInput { withdrawn_on: None, reason: Some("双方已自行和解，申请人撤回仲裁申请".into()) };
        crate::app::withdraw::withdraw(at, &self.clerk, case_id, &input).await?;
        Ok(())
    }

    /// A party asks to postpone a hearing four working days ahead (the request must come three
    /// working days before, Rules Art. 38), and the commission grants it.
    async fn postpone(&self, at: &App, day: NaiveDate) -> Result<(), AppError> {
        let ahead = self.app.calendar().add_working_days(day, 4).date;
        let mut conn = self.app.db.reader.acquire().await?;
        let hearings = store::planned_between(&mut conn, &ahead.to_string(), &ahead.to_string()).await?;
        drop(conn);
        for h in hearings {
            // A moved hearing keeps its id: the roll is of the hearing on its day.
            if roll(self.seed, &format!("hearing-{}-{}:postpone", h.id, h.day)) >= self.scenario.service.postponement {
                continue;
            }
            let input = PostponementInput {
                party: Some(if h.id % 2 == 0 { "applicant" } else { "respondent" }.into()),
                reason: Some("当事人因病住院，无法按期到庭".into()),
                requested_on: None,
            };
            let asked = crate::app::replan::request_postponement(at, &self.clerk, h.id, &input).await?;
            let decision =
                PostponementDecision { granted: Some(true), note: Some("理由正当，准许延期".into()), short_notice: None };
            crate::app::replan::decide_postponement(at, &self.clerk, asked.id, &decision).await?;
        }
        Ok(())
    }

    /// Today's hearings: held (or the applicant stays away, and the application is treated as
    /// withdrawn), unless the applicant withdraws first.
    async fn hold(&self, at: &App, day: NaiveDate) -> Result<(), AppError> {
        let mut conn = self.app.db.reader.acquire().await?;
        let hearings = store::planned_between(&mut conn, "0000", &day.to_string()).await?;
        drop(conn);
        for h in hearings {
            if self.ending(&h.case_id) == Ending::Withdrawal {
                self.withdraw_one(at, &h.case_id).await?;
                continue;
            }
            let arbitrator =
                Staff { user_id: 0, username: "模拟仲裁员".into(), role: Role::Arbitrator, arbitrator_id: Some(h.presiding) };
            let absent = roll(self.seed, &format!("hearing-{}:no-show", h.id)) < self.scenario.service.no_show;
            let input = |absent: bool| HeldInput {
                held_on: Some(h.day.clone()),
                record: Some(if absent {
                    "申请人经书面通知，无正当理由拒不到庭。".into()
                } else {
                    "双方到庭，围绕工资支付及解除劳动合同事实进行举证质证和辩论。".into()
                }),
                applicant_attended: Some(!absent),
                respondent_attended: Some(true),
                treat_as_withdrawn: Some(absent),
            };
            match crate::app::held::held(at, &arbitrator, h.id, &input(absent)).await {
                // Rules Art. 59: without a notice served in writing the absence grounds nothing; heard as usual.
                Err(AppError::Conflict(_)) if absent => {
                    crate::app::held::held(at, &arbitrator, h.id, &input(false)).await?;
                }
                other => {
                    other?;
                }
            }
        }
        Ok(())
    }

    /// Heard cases: a mediation statement on the hearing day, or an award after the drafting days.
    async fn decide(&self, at: &App, day: NaiveDate) -> Result<(), AppError> {
        let mut conn = self.app.db.reader.acquire().await?;
        let heard = store::in_states(&mut conn, &[Status::Heard]).await?;
        drop(conn);
        let calendar = self.app.calendar();
        let d = self.scenario.outcomes.drafting_days;
        for c in heard {
            let (award_on, presiding) = match self.award_days.lock().unwrap_or_else(|e| e.into_inner()).get(&c.id) {
                Some(known) => *known,
                None => (NaiveDate::MIN, 0),
            };
            let (award_on, presiding) = if presiding != 0 {
                (award_on, presiding)
            } else {
                let mut conn = self.app.db.reader.acquire().await?;
                let Some((held_on, presiding)) = store::last_held(&mut conn, &c.id).await? else { continue };
                let entries = crate::store::clock::entries(&mut conn, &c.id).await?;
                drop(conn);
                if self.ending(&c.id) == Ending::Mediation {
                    self.mediate(at, &c.id, presiding).await?;
                    continue;
                }
                let held_on: NaiveDate = held_on.parse().map_err(anyhow::Error::from)?;
                let range = match c.track {
                    Track::Green => d.green,
                    Track::Simple => d.simple,
                    Track::Ordinary => d.ordinary,
                    Track::Collective => d.collective,
                };
                let drafting = days_in(self.seed, &format!("{}:drafting", c.id), range);
                // The award is written within the limit (Law Art. 43), however long the drafting would take.
                let dates = crate::app::deadlines::CaseDates::parse(c.status, &c.filed_on, c.accepted_on.as_deref())?;
                let due = self.app.deadlines_of(&dates, &entries).award_due;
                let on = calendar.add_working_days(held_on, drafting).date.min(due.unwrap_or(NaiveDate::MAX)).max(held_on);
                self.award_days.lock().unwrap_or_else(|e| e.into_inner()).insert(c.id.clone(), (on, presiding));
                (on, presiding)
            };
            if award_on > day {
                continue;
            }
            let arbitrator =
                Staff { user_id: 0, username: "模拟仲裁员".into(), role: Role::Arbitrator, arbitrator_id: Some(presiding) };
            let mut conn = self.app.db.reader.acquire().await?;
            let claims = crate::store::cases::claims(&mut conn, &c.id).await?;
            drop(conn);
            let items = claims
                .iter()
                .enumerate()
                .map(|(i, claim)| match claim.amount_fen {
                    Some(fen) => {
                        let yuan = fen / 100 * 9 / 10;
                        ItemInput {
                            claim: Some(i as i64),
                            awarded: Some(format!("{yuan}.00")),
                            text: Some(format!("被申请人于本裁决生效之日起五日内支付申请人{}{yuan}元", claim.description)),
                            reasoning: None,
                        }
                    }
                    // A claim without an amount (to confirm the employment) is decided with 0.00.
                    None => ItemInput {
                        claim: Some(i as i64),
                        awarded: Some("0.00".into()),
                        text: Some("确认申请人与被申请人之间存在劳动关系".into()),
                        reasoning: None,
                    },
                })
                .collect();
            let input = AwardInput {
                findings: Some("申请人在被申请人处工作，被申请人未足额支付劳动报酬。".into()),
                reasoning: Some(
                    "用人单位应当按照劳动合同约定和国家规定，向劳动者及时足额支付劳动报酬（《中华人民共和国劳动合同法》第三十条）。".into(),
                ),
                defence: None,
                items: Some(items),
                dismiss_other_claims: Some(true),
                elements: None,
            };
            crate::app::award::award(at, &arbitrator, &c.id, &input).await?;
        }
        Ok(())
    }

    /// Before planning, a case that still waits for a hearing ten days before its limit gets the
    /// 15 days Law Art. 43 allows, approved by the director (once).
    async fn extend(&self, at: &App, day: NaiveDate) -> Result<(), AppError> {
        let mut conn = self.app.db.reader.acquire().await?;
        let open = crate::app::deadlines::open_case_clocks(&mut conn, false).await?;
        drop(conn);
        for (row, entries) in open {
            if row.status != Status::Accepted || entries.iter().any(|e| matches!(e.event, crate::law::clock::ClockEvent::Extended { .. })) {
                continue;
            }
            let Ok(dates) = crate::app::deadlines::CaseDates::parse(row.status, &row.filed_on, row.accepted_on.as_deref()) else {
                continue;
            };
            let due = self.app.deadlines_of(&dates, &entries).award_due;
            if due.is_some_and(|due| (due - day).num_days() <= 10) {
                let input = ClockEventInput {
                    days: Some(15),
                    approver: Some("仲裁委员会主任".into()),
                    note: Some("案件尚未开庭，经批准延长审理期限".into()),
                    ..ClockEventInput::default()
                };
                crate::app::clock::record(at, &self.clerk, &row.id, ClockAction::Extend, &input).await?;
            }
        }
        Ok(())
    }
}

/// Where a day's time went, printed per day when `GREENLANE_SIM_TIMING` is set (for tuning).
struct Lap {
    on: bool,
    at: std::time::Instant,
    parts: Vec<(&'static str, f64)>,
}

impl Lap {
    fn start() -> Self {
        Lap { on: std::env::var_os("GREENLANE_SIM_TIMING").is_some(), at: std::time::Instant::now(), parts: Vec::new() }
    }

    fn mark(&mut self, what: &'static str) {
        if self.on {
            self.parts.push((what, self.at.elapsed().as_secs_f64()));
            self.at = std::time::Instant::now();
        }
    }

    fn report(&self, day: NaiveDate) {
        if self.on {
            let parts: Vec<String> = self.parts.iter().map(|(w, s)| format!("{w} {:.0}ms", s * 1000.0)).collect();
            eprintln!("{day}: {}", parts.join(" · "));
        }
    }
}
