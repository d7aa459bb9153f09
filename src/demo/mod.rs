//! A demo commission: one account per role, arbitrators, rooms and a few dozen cases in various
//! states, so a newcomer sees a living system. Deterministic for a given seed.

use chrono::{Days, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

pub mod history;

use crate::app::accounts::{Role, Staff, add_user};
use crate::app::clock::{self, ClockAction, ClockEventInput};
use crate::app::docket::feed_digest;
use crate::app::{App, AppError, decide, register};
use crate::law::application::{RawApplicant, RawApplication, RawClaim, RawConsents, RawEmployment, RawRespondent};
use crate::store::feeds::{self, Resource};
use crate::store::{accounts as store_accounts, resources};
use crate::time::Time;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "greenlane-demo";

/// A login printed for the newcomer.
pub struct DemoLogin {
    pub username: &'static str,
    pub role: Role,
    /// The name documents print (the clerk signs awards as 书记员).
    pub full_name: &'static str,
}

pub const LOGINS: [DemoLogin; 5] = [
    DemoLogin { username: "clerk", role: Role::Clerk, full_name: "李书雅" },
    DemoLogin { username: "arbitrator", role: Role::Arbitrator, full_name: "黄志明" },
    DemoLogin { username: "liaison", role: Role::Liaison, full_name: "周法联" },
    DemoLogin { username: "admin", role: Role::Admin, full_name: "管理员" },
    DemoLogin { username: "director", role: Role::Director, full_name: "梁主任" },
];

const SURNAMES: [&str; 16] = ["张", "王", "李", "刘", "陈", "杨", "黄", "赵", "吴", "周", "梁", "何", "郭", "林", "罗", "郑"];
const GIVEN: [&str; 16] = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超"];
pub(crate) const EMPLOYERS: [&str; 8] = [
    "中山市明辉灯饰有限公司",
    "中山市华捷电器制造有限公司",
    "中山市东升五金制品厂",
    "中山市南朗物流服务有限公司",
    "中山市火炬区美佳服装有限公司",
    "中山市小榄镇顺达家具有限公司",
    "中山市石岐区好味餐饮管理有限公司",
    "中山市古镇恒光照明科技有限公司",
];
const TOWNS: [&str; 6] = ["石岐区", "东区", "火炬开发区", "小榄镇", "古镇镇", "南朗街道"];

/// The demo's arbitrators, rooms and one account per role (accounts only if none exist yet);
/// returns the arbitrators' and the rooms' ids.
pub async fn roster(app: &App) -> Result<(Vec<i64>, Vec<i64>), AppError> {
    let mut conn = app.db.reader.acquire().await?;
    let clerk_exists = store_accounts::by_username(&mut conn, "clerk").await?.is_some();
    drop(conn);
    let now = app.time.now_text();
    let mut tx = app.db.begin().await?;
    let mut arbitrator_ids = Vec::new();
    for (i, name) in ["黄志明", "李慧珍", "陈国强", "梁少芬", "何家俊", "林晓燕", "郭振华", "罗美玲"].iter().enumerate()
    {
        let id = resources::insert_arbitrator(&mut tx, name, i < 4, 4, &now).await?;
        feeds::set_token_digest(&mut tx, Resource::Arbitrator, id, &feed_digest(&crate::app::secrets::new_token())).await?;
        arbitrator_ids.push(id);
    }
    let mut room_ids = Vec::new();
    for (name, seats) in [("第一审理庭", 12), ("第二审理庭", 8), ("第三审理庭", 8), ("速裁审理庭", 6), ("大审理庭", 40)]
    {
        let id = resources::insert_room(&mut tx, name, seats, &now).await?;
        feeds::set_token_digest(&mut tx, Resource::Room, id, &feed_digest(&crate::app::secrets::new_token())).await?;
        room_ids.push(id);
    }
    tx.commit().await?;
    if !clerk_exists {
        for login in &LOGINS {
            let arb = (login.role == Role::Arbitrator).then_some(arbitrator_ids[0]);
            add_user(app, login.username, login.role, DEMO_PASSWORD, arb).await?;
            crate::app::accounts::set_full_name(app, login.username, login.full_name).await?;
        }
    }
    Ok((arbitrator_ids, room_ids))
}

/// Serves the hearing notice on every party the day after it is printed: those who read the party
/// pages open it there, the others sign for it at the counter.
async fn serve_in_person(app: &App, clerk: &Staff, notices: &[crate::app::documents::DocumentView]) -> Result<(), AppError> {
    use crate::app::services::{self, DeliveredInput};
    for doc in notices.iter().filter(|d| d.kind == "hearing_notice") {
        let list = {
            let mut conn = app.db.reader.acquire().await?;
            crate::store::services::of_document(&mut conn, doc.id).await?
        };
        for s in list {
            match (s.channel.as_str(), s.status.as_str()) {
                ("platform", "sent") => services::opened(app, doc.id, &[s.party_id]).await?,
                (_, "pending") => {
                    let input =
                        DeliveredInput { on: Some(app.time.today().to_string()), evidence: Some(format!("{}签收送达回证", s.name)) };
                    services::record_delivered(app, clerk, s.id, &input).await?;
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// Whether the database has no cases yet.
pub async fn is_empty(app: &App) -> Result<bool, AppError> {
    let mut conn = app.db.reader.acquire().await?;
    Ok(resources::count_cases(&mut conn).await? == 0)
}

/// Fills an empty database; returns false (and does nothing) if cases already exist.
pub async fn fill(app: &App, seed: u64) -> Result<bool, AppError> {
    let filled = fill_cases(app, seed).await?;
    // The notices that followed each event are issued by the outbox, dated the day of their event.
    app.drain_jobs().await?;
    Ok(filled)
}

async fn fill_cases(app: &App, seed: u64) -> Result<bool, AppError> {
    if !is_empty(app).await? {
        return Ok(false);
    }
    roster(app).await?;
    let clerk = Staff { user_id: 0, username: "clerk".into(), role: Role::Clerk, arbitrator_id: None };

    let mut rng = StdRng::seed_from_u64(seed);
    history(app, &clerk, &mut rng).await?;
    let today = app.time.today();
    for i in 0..36u64 {
        let days_ago = 30 - (i * 30 / 36);
        let filed_on = today - Days::new(days_ago);
        let raw = demo_application(&mut rng, filed_on, i);
        let filed = register::register(&app.with_time(Time::fixed(filed_on)), &raw, None).await?;
        match (days_ago, i % 9) {
            (0..=2, _) => {}
            (_, 4) if i < 20 => {
                decide::reject(
                    &app.with_time(Time::fixed(filed_on + Days::new(1))),
                    &clerk,
                    &filed.id,
                    &decide::RejectInput {
                        grounds: Some(vec!["out_of_scope".into()]),
                        reason: Some("申请人请求的是返还借款，双方之间不存在劳动关系".into()),
                        competent: None,
                    },
                )
                .await?
            }
            (_, 7) => {}
            _ => {
                let accepted_on = (filed_on + Days::new(rng.random_range(0..3))).min(today);
                decide::accept(&app.with_time(Time::fixed(accepted_on)), &clerk, &filed.id, Some(accepted_on)).await?;
                if i == 10 {
                    decide::override_track(app, &clerk, &filed.id, "ordinary", "被申请人已下落不明，需公告送达，转普通程序").await?;
                }
                clock_events(app, &clerk, &filed.id, i, accepted_on).await?;
            }
        }
    }
    Ok(true)
}

/// How a case of the demo's history ended.
#[derive(Clone, Copy)]
enum Ending {
    Award,
    Mediation,
    /// The applicant stayed away from the hearing (Law Art. 36).
    Absent,
    /// The parties settled and the applicant withdrew before the hearing (Law Art. 41).
    Withdrawn,
}

/// Cases filed two months ago that have run their course: served, heard, and decided by award
/// (one of them split into a final and a non-final part), mediated, or treated as withdrawn, each
/// step on its own day, so every kind of document and the liaison desk have something to show.
async fn history(app: &App, clerk: &Staff, rng: &mut StdRng) -> Result<(), AppError> {
    use crate::app::award::{AwardInput, ItemInput, MediationInput};
    use crate::app::held::HeldInput;
    use crate::app::placement::{PlaceInput, place, suggestions};
    let today = app.time.today();
    let endings = [
        Ending::Award,
        Ending::Mediation,
        Ending::Award,
        Ending::Absent,
        Ending::Award,
        Ending::Award,
        Ending::Mediation,
        Ending::Award,
        Ending::Withdrawn,
    ];
    let mut fixed = Vec::new();
    for (n, ending) in endings.into_iter().enumerate() {
        let i = 100 + n as u64;
        let filed_on = today - Days::new(75 - 4 * n as u64);
        let at = |day: NaiveDate| app.with_time(Time::fixed(day));
        let mut raw = demo_application(rng, filed_on, i);
        if n == 5 {
            // Wages within the final-award limit and damages above it: the award splits in two.
            raw.claims = Some(vec![
                RawClaim {
                    kind: Some("unpaid_wages".into()),
                    amount: Some("8600.00".into()),
                    description: Some("2026年8月至9月工资".into()),
                },
                RawClaim {
                    kind: Some("unlawful_termination_damages".into()),
                    amount: Some("60000.00".into()),
                    description: Some("违法解除劳动合同赔偿金".into()),
                },
            ]);
        }
        let id = register::register(&at(filed_on), &raw, None).await?.id;
        let accepted_on = filed_on + Days::new(1);
        let accepted = decide::accept(&at(accepted_on), clerk, &id, Some(accepted_on)).await?;
        let none = ClockEventInput::default;
        clock::record(&at(accepted_on + Days::new(1)), clerk, &id, ClockAction::CopyServed, &none()).await?;
        if n == 1 {
            // This employer answered online with the code on its notice; the copy went to the worker.
            defend_online(&at(accepted_on + Days::new(1)), &id, &accepted.party_codes).await?;
        }
        let planned_on = accepted_on + Days::new(2);
        clock::record(&at(planned_on), clerk, &id, ClockAction::TribunalNotified, &none()).await?;
        let slot = suggestions(&at(planned_on), clerk, &id, 1).await?.suggestions.into_iter().next();
        let Some(slot) = slot else { return Err(AppError::Conflict(format!("演示案件 {id} 找不到开庭时间"))) };
        let placed = place(
            &at(planned_on),
            clerk,
            &id,
            &PlaceInput {
                day: Some(slot.day.to_string()),
                start: Some(slot.start.clone()),
                room_id: Some(slot.room_id),
                arbitrator_ids: Some(slot.arbitrator_ids.clone()),
                ..PlaceInput::default()
            },
        )
        .await?;
        let hearing = placed.hearing_id.ok_or_else(|| anyhow::anyhow!("a placed demo hearing has an id"))?;
        let notices = crate::app::documents::print_hearing_notice(&at(planned_on), clerk, hearing).await?;
        serve_in_person(&at(planned_on + Days::new(1)), clerk, &notices).await?;
        fixed.push((n, ending, id, raw, hearing, slot));
    }
    // Every hearing is fixed before the first is held, as the planner saw them.
    for (n, ending, id, raw, hearing, slot) in fixed {
        let at = |day: NaiveDate| app.with_time(Time::fixed(day));
        if matches!(ending, Ending::Withdrawn) {
            let input = crate::app::withdraw::WithdrawInput {
                withdrawn_on: None,
                reason: Some("双方已自行和解，申请人撤回仲裁申请".into()),
            };
            crate::app::withdraw::withdraw(&at(slot.day - Days::new(1)), clerk, &id, &input).await?;
            continue;
        }
        let presiding =
            Staff { user_id: 0, username: "arbitrator".into(), role: Role::Arbitrator, arbitrator_id: Some(slot.arbitrator_ids[0]) };
        let absent = matches!(ending, Ending::Absent);
        let held = HeldInput {
            held_on: Some(slot.day.to_string()),
            record: Some(if absent {
                "申请人经书面通知，无正当理由拒不到庭。".into()
            } else {
                "双方到庭，围绕工资支付及解除劳动合同事实进行举证质证和辩论。".into()
            }),
            applicant_attended: Some(!absent),
            respondent_attended: Some(true),
            treat_as_withdrawn: Some(absent),
        };
        crate::app::held::held(&at(slot.day), &presiding, hearing, &held).await?;
        let decided = at(slot.day + Days::new(2));
        let claims = raw.claims.unwrap_or_default();
        let items = |share: u32| -> Vec<ItemInput> {
            claims
                .iter()
                .enumerate()
                .filter_map(|(c, claim)| {
                    let asked: i64 = claim.amount.as_deref()?.trim_end_matches(".00").parse().ok()?;
                    let awarded = asked * i64::from(share) / 100;
                    let what = claim.description.as_deref().unwrap_or("款项");
                    Some(ItemInput {
                        claim: Some(c as i64),
                        awarded: Some(format!("{awarded}.00")),
                        text: Some(format!("被申请人于本裁决生效之日起五日内支付申请人{what}{awarded}元")),
                        reasoning: None,
                    })
                })
                .collect()
        };
        match ending {
            Ending::Absent | Ending::Withdrawn => {}
            Ending::Mediation => {
                let items = items(70)
                    .into_iter()
                    .map(|it| ItemInput {
                        claim: None,
                        text: it.text.map(|t| t.replace("本裁决生效之日起五日内", "2026年12月31日前")),
                        ..it
                    })
                    .collect();
                crate::app::award::mediation(&decided, &presiding, &id, &MediationInput { items: Some(items) }).await?;
            }
            Ending::Award => {
                let input = AwardInput {
                    findings: Some("申请人于入职后在被申请人处从事生产工作，双方签订书面劳动合同。被申请人未按约定足额支付申请人劳动报酬，申请人多次催讨未果，遂申请仲裁。".into()),
                    reasoning: Some("用人单位应当按照劳动合同约定和国家规定，向劳动者及时足额支付劳动报酬（《中华人民共和国劳动合同法》第三十条）。被申请人未能举证证明已足额支付，应承担不利后果。".into()),
                    defence: Some("被申请人辩称申请人工作期间多次迟到早退，已按实际出勤支付工资。".into()),
                    items: Some(items(if n == 0 { 100 } else { 90 })),
                    dismiss_other_claims: Some(n != 0),
                    // The first award is element-style (要素式), as a small claim's is.
                    elements: (n == 0).then(|| {
                        let el = |name: &str, applicant: &str, respondent: &str, finding: Option<&str>| crate::app::award::ElementInput {
                            name: Some(name.into()),
                            applicant: Some(applicant.into()),
                            respondent: Some(respondent.into()),
                            disputed: Some(finding.is_some()),
                            finding: finding.map(str::to_string),
                        };
                        vec![
                            el("劳动关系", "申请人入职被申请人处从事生产工作，双方签订书面劳动合同", "无异议", None),
                            el("欠付工资", "被申请人未足额支付劳动报酬，多次催讨未果", "已按实际出勤支付工资", Some("被申请人未举证证明已足额支付，认定欠付")),
                        ]
                    }),
                };
                crate::app::award::award(&decided, &presiding, &id, &input).await?;
                if n == 0 {
                    // The court liaison heard from the parties that nobody sued within 15 days.
                    let liaison = Staff { user_id: 0, username: "liaison".into(), role: Role::Liaison, arbitrator_id: None };
                    let input = crate::app::court::CourtOutcomeInput { court_outcome: Some("no_suit".into()), ..Default::default() };
                    crate::app::court::record_court_outcome(&at(slot.day + Days::new(25)), &liaison, &id, &input).await?;
                }
            }
        }
    }
    Ok(())
}

/// The first respondent signs in with its code and submits a defence.
async fn defend_online(app: &App, id: &str, codes: &[crate::app::parties::PartyCode]) -> Result<(), AppError> {
    use crate::app::parties::{self, DefenceInput, LoginInput};
    let code = codes.first().ok_or_else(|| anyhow::anyhow!("a demo respondent without a code"))?;
    let login = LoginInput { case: Some(id.to_string()), code: Some(code.code.clone()) };
    let session = parties::login(app, &login, std::net::IpAddr::from([127, 0, 0, 1])).await?;
    let party = parties::authenticate(app, &session.token).await?.ok_or_else(|| anyhow::anyhow!("a demo session just opened"))?;
    let text = "一、被申请人已按月发放工资，申请人所称欠薪与事实不符。\n二、被申请人愿意在查明事实的基础上调解解决。";
    let input = DefenceInput { text: Some(text.into()), waive_defence_period: Some(false) };
    parties::defend(app, &party, id, &input).await?;
    Ok(())
}

/// The service events a clerk would have recorded since acceptance, and a few that move the clock:
/// some cases still wait for service (they show on the deadline board), one is served by public
/// notice, one suspended, one extended, one restarted.
async fn clock_events(app: &App, clerk: &Staff, id: &str, i: u64, accepted_on: NaiveDate) -> Result<(), AppError> {
    let today = app.time.today();
    let on = |days: u64| Some(accepted_on + Days::new(days)).filter(|d| *d <= today);
    let record = |day: NaiveDate, action: ClockAction, input: ClockEventInput| async move {
        clock::record(&app.with_time(Time::fixed(day)), clerk, id, action, &input).await.map(|_| ())
    };
    let none = ClockEventInput::default;
    if i == 10 {
        if let Some(day) = on(3) {
            record(day, ClockAction::PublicNotice, none()).await?;
        }
        return Ok(());
    }
    if i % 5 != 1 {
        if let Some(day) = on(2) {
            record(day, ClockAction::CopyServed, none()).await?;
        }
        if let Some(day) = on(3) {
            record(day, ClockAction::TribunalNotified, none()).await?;
        }
    }
    match (i, on(6)) {
        (12, Some(day)) => {
            let ground =
                ClockEventInput {
                    ground: Some("awaiting_assessment".into()), note: Some("等待伤残等级鉴定结论".into()), ..none()
                };
            record(day, ClockAction::Suspend, ground).await?;
        }
        (15, Some(day)) => {
            let extension = ClockEventInput {
                days: Some(15),
                approver: Some("仲裁院院长 陈志坚".into()),
                note: Some("案情复杂，需调取社保缴费记录".into()),
                ..none()
            };
            record(day, ClockAction::Extend, extension).await?;
        }
        (13, Some(day)) => {
            let restart =
                ClockEventInput {
                    cause: Some("claims_changed".into()), note: Some("申请人增加未休年休假工资请求".into()), ..none()
                };
            record(day, ClockAction::Restart, restart).await?;
        }
        _ => {}
    }
    Ok(())
}

pub(crate) fn person(rng: &mut StdRng) -> String {
    let s = SURNAMES[rng.random_range(0..SURNAMES.len())];
    let g1 = GIVEN[rng.random_range(0..GIVEN.len())];
    if rng.random_bool(0.5) { format!("{s}{g1}") } else { format!("{s}{g1}{}", GIVEN[rng.random_range(0..GIVEN.len())]) }
}

/// A valid resident ID of someone born in Zhongshan between 1965 and 2003.
pub fn resident_id(rng: &mut StdRng) -> String {
    let birth = NaiveDate::from_ymd_opt(1965, 1, 1).unwrap() + Days::new(rng.random_range(0..14_000));
    let body = format!("442000{}{:03}", birth.format("%Y%m%d"), rng.random_range(1..999));
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body.chars().zip(W).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
    format!("{body}{}", ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize])
}

/// A valid unified social credit code of a Zhongshan enterprise (both GB 11714 and GB 32100 checks).
pub fn credit_code(rng: &mut StdRng) -> String {
    const ORG_W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let org: String = (0..8).map(|_| char::from_digit(rng.random_range(0..10), 10).unwrap()).collect();
    let s: u32 = org.chars().zip(ORG_W).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
    let org_check = match 11 - s % 11 {
        10 => 'X',
        11 => '0',
        n => char::from_digit(n, 10).unwrap(),
    };
    let body = format!("91442000{org}{org_check}");
    const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const W: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let sum: u32 = body.chars().zip(W).map(|(c, w)| ALPHABET.find(c).unwrap() as u32 * w).sum();
    format!("{body}{}", ALPHABET.as_bytes()[((31 - sum % 31) % 31) as usize] as char)
}

/// A realistic application filed on `filed_on` (the `i`-th of a demo or benchmark run).
pub fn demo_application(rng: &mut StdRng, filed_on: NaiveDate, i: u64) -> RawApplication {
    let workers = if i == 17 { 12 } else { 1 };
    let wage = rng.random_range(2_300..9_000) as i64;
    let claims = match i % 6 {
        0..=2 => vec![("unpaid_wages", Some(wage * rng.random_range(1..4)), "拖欠工资")],
        3 => vec![
            ("unpaid_wages", Some(wage), "拖欠最后一个月工资"),
            ("economic_compensation", Some(wage * rng.random_range(1..8)), "解除劳动合同经济补偿"),
        ],
        4 => vec![
            ("overtime_pay", Some(rng.random_range(800..6_000)), "延时加班工资"),
            ("annual_leave_pay", Some(wage / 2), "未休年休假工资"),
        ],
        _ => vec![
            ("confirm_employment", None, "确认2023年起存在劳动关系"),
            ("unlawful_termination_damages", Some(wage * rng.random_range(4..30)), "违法解除劳动合同赔偿金"),
        ],
    };
    let town = TOWNS[rng.random_range(0..TOWNS.len())];
    let start = filed_on - Days::new(rng.random_range(200..1500));
    RawApplication {
        applicants: Some(
            (0..workers)
                .map(|_| RawApplicant {
                    name: Some(person(rng)),
                    id_number: Some(resident_id(rng)),
                    phone: Some(format!("13{:09}", rng.random_range(0..1_000_000_000u64))),
                    address: Some(format!("广东省中山市{town}{}号", rng.random_range(1..300))),
                    email: None,
                })
                .collect(),
        ),
        respondents: Some(vec![RawRespondent {
            name: Some(EMPLOYERS[rng.random_range(0..EMPLOYERS.len())].into()),
            credit_code: Some(credit_code(rng)),
            legal_representative: Some(person(rng)),
            address: Some(format!("广东省中山市{town}工业大道{}号", rng.random_range(1..200))),
            ..Default::default()
        }]),
        claims: Some(
            claims
                .into_iter()
                .map(|(k, yuan, d)| RawClaim { kind: Some(k.into()), amount: yuan.map(|y| format!("{y}.00")), description: Some(d.into()) })
                .collect(),
        ),
        employment: Some(RawEmployment {
            start: Some(start.to_string()),
            end: Some((filed_on - Days::new(rng.random_range(5..60))).to_string()),
            monthly_wage: Some(format!("{wage}.00")),
        }),
        facts: Some("申请人在被申请人处工作，被申请人未按约定足额支付劳动报酬，经多次催讨未果。".into()),
        consents: Some(RawConsents {
            simplified: Some(!i.is_multiple_of(5)),
            informal_service: Some(!i.is_multiple_of(5)),
            electronic_service: Some(i.is_multiple_of(2)),
            ..Default::default()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::identity::{CreditCode, ResidentId};

    #[test]
    fn demo_identity_numbers_pass_their_check_digits() {
        let mut rng = StdRng::seed_from_u64(7);
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        for _ in 0..200 {
            assert!(ResidentId::parse(&resident_id(&mut rng), today).is_ok());
            assert!(CreditCode::parse(&credit_code(&mut rng)).is_ok());
        }
    }
}
