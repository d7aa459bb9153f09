//! Track routing (green channel 小额速裁, simplified 简易, ordinary, collective) and the per-item
//! final-award test, each decision with reasons a worker can read.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::application::{Application, ClaimKind};
use super::calendar::WorkingCalendar;
use super::money::Amount;
use super::thresholds::ThresholdsOn;

/// The procedure a case follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Track {
    /// 小额速裁绿色通道
    Green,
    /// 简易处理
    Simple,
    /// 普通程序
    Ordinary,
    /// 集体劳动人事争议
    Collective,
}

impl Track {
    pub const ALL: [Track; 4] = [Track::Green, Track::Simple, Track::Ordinary, Track::Collective];

    pub fn code(self) -> &'static str {
        match self {
            Track::Green => "green",
            Track::Simple => "simple",
            Track::Ordinary => "ordinary",
            Track::Collective => "collective",
        }
    }

    pub fn parse(s: &str) -> Option<Track> {
        Self::ALL.into_iter().find(|t| t.code() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Track::Green => "小额速裁（绿色通道）",
            Track::Simple => "简易处理",
            Track::Ordinary => "普通程序",
            Track::Collective => "集体争议",
        }
    }

    /// The track in a few characters, for calendars and narrow tables.
    pub fn short_label(self) -> &'static str {
        match self {
            Track::Green => "小额速裁",
            Track::Simple => "简易处理",
            Track::Ordinary => "普通程序",
            Track::Collective => "集体争议",
        }
    }

    /// Under the simplified procedure (green channel included): a sole arbitrator, short notice
    /// and informal service are open to it (Rules Art. 56–61).
    pub fn is_simplified(self) -> bool {
        matches!(self, Track::Green | Track::Simple)
    }

    /// Arbitrators on the tribunal: three for a collective dispute (Law Art. 31; Org-Rules
    /// Art. 13(1)), one under the simplified procedure (Law Art. 31; Rules Art. 56), and the
    /// commission's choice, `ordinary`, otherwise.
    pub fn panel_size(self, ordinary: u32) -> u32 {
        match self {
            Track::Collective => 3,
            Track::Green | Track::Simple => 1,
            Track::Ordinary => ordinary,
        }
    }

    /// The procedure a document names: green-channel and simple cases go by the simplified
    /// procedure (Rules ch. 3, Art. 56–61; rules.md §1.10, §2), the rest by the ordinary one.
    pub fn procedure(self) -> &'static str {
        match self {
            Track::Green | Track::Simple => "简易处理程序",
            Track::Ordinary | Track::Collective => "普通程序",
        }
    }
}

impl std::fmt::Display for Track {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// The routing decision: the track, why, and the thresholds it was measured against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Routing {
    pub track: Track,
    pub reasons: Vec<String>,
    pub thresholds: ThresholdsOn,
}

/// Whether a claim item could be decided by final award (终局裁决), per item (Law Art. 47; Interp-I Art. 19).
///
/// At intake the claimed amount stands in for the awarded amount, which decides at award time.
pub fn final_eligible(kind: ClaimKind, amount: Option<Amount>, limit: Amount) -> bool {
    if kind.is_standards_kind() {
        // Law Art. 47(2): standards disputes are final without an amount cap.
        return true;
    }
    // Law Art. 47(1): money items not above 12 × the local monthly minimum wage.
    kind.is_capped_final_kind() && amount.is_some_and(|a| a <= limit)
}

/// The day whose thresholds routing applies: the earliest day an award could be made, which is
/// what decides finality (Law Art. 47; Interp-I Art. 19 test the award). That is the earliest
/// lawful hearing if the case were accepted on the day it is filed, the defence period waived and
/// the hearing notice served the same day: `notice_working_days` working days after filing.
pub fn earliest_award_day(cal: &WorkingCalendar, filed_on: NaiveDate, notice_working_days: u32) -> NaiveDate {
    cal.add_working_days(filed_on, notice_working_days).date
}

fn chinese_day(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// Routes an application (rules.md §1.10, §1.11, §2 "Recommended routing rules") against the
/// thresholds in force on the earliest day an award could be made ([`earliest_award_day`]).
pub fn route(app: &Application, t: &ThresholdsOn) -> Routing {
    let workers = app.applicants.len();
    if workers >= t.collective_min_workers {
        return Routing {
            track: Track::Collective,
            reasons: vec![format!(
                "申请人共{workers}人（{}人以上），且请求针对同一被申请人，属于集体劳动人事争议，应优先立案、优先审理（《劳动人事争议仲裁办案规则》第五条），由三名仲裁员组成仲裁庭（《劳动争议调解仲裁法》第三十一条，《劳动人事争议仲裁组织规则》第十三条第一项）",
                t.collective_min_workers
            )],
            thresholds: *t,
        };
    }

    let total = app.claimed_total();
    let mut green_ok = true;
    let mut reasons = Vec::new();
    let labels = |pick: fn(&ClaimKind) -> bool| -> Vec<&str> {
        let mut v: Vec<&str> = app.claims.iter().filter(|c| pick(&c.kind)).map(|c| c.kind.label()).collect();
        v.dedup();
        v
    };

    let outside = labels(|k| !(k.is_capped_final_kind() || k.is_standards_kind()));
    let all_final_kinds = outside.is_empty();
    if all_final_kinds {
        reasons.push("全部请求属于劳动报酬、工伤医疗费、经济补偿、赔偿金或劳动标准争议（《劳动争议调解仲裁法》第四十七条）".to_string());
    } else {
        green_ok = false;
        reasons.push(format!("请求“{}”不在终局裁决的范围内（《劳动争议调解仲裁法》第四十七条），不适用小额速裁", outside.join("、")));
    }

    let basis = format!("按最早可能作出裁决之日{}适用的标准", chinese_day(t.on));
    let capped: Vec<_> = app.claims.iter().filter(|c| c.kind.is_capped_final_kind()).collect();
    let over: Vec<String> = capped
        .iter()
        .filter(|c| c.amount.is_some_and(|a| a > t.final_award_limit))
        .map(|c| format!("{}{}元", c.kind.label(), c.amount.expect("filtered on an amount")))
        .collect();
    if !capped.is_empty() && over.is_empty() {
        reasons.push(format!(
            "劳动报酬、工伤医疗费、经济补偿或赔偿金的请求每项均不超过当地月最低工资{}元的十二倍即{}元（{basis}{}）{}（《劳动争议调解仲裁法》第四十七条第一项）",
            t.min_wage_monthly,
            t.final_award_limit,
            t.min_wage_note(),
            if all_final_kinds { "，可终局裁决" } else { "" }
        ));
    } else if !over.is_empty() {
        green_ok = false;
        reasons.push(format!(
            "{}超过当地月最低工资的十二倍（{}元，{basis}{}），不能终局裁决，不适用小额速裁",
            over.join("、"),
            t.final_award_limit,
            t.min_wage_note()
        ));
    }

    let standards = labels(|k| k.is_standards_kind());
    if !standards.is_empty() {
        reasons.push(format!(
            "“{}”属于《劳动争议调解仲裁法》第四十七条第二项规定的争议，不受金额限制{}",
            standards.join("、"),
            if all_final_kinds && over.is_empty() { "，可终局裁决" } else { "" }
        ));
    }

    let within_ceiling = total <= t.simplified_ceiling;
    if within_ceiling {
        reasons.push(format!(
            "请求总额{total}元不超过本省上年度职工年平均工资{}元{}，符合简易处理条件（《劳动人事争议仲裁办案规则》第五十六条）",
            t.simplified_ceiling,
            t.ceiling_note()
        ));
    } else {
        green_ok = false;
        reasons.push(format!(
            "请求总额{total}元超过本省上年度职工年平均工资{}元{}，按普通程序审理",
            t.simplified_ceiling,
            t.ceiling_note()
        ));
    }

    if app.claims.iter().any(|c| c.kind == ClaimKind::ConfirmEmployment) {
        green_ok = false;
        reasons.push("请求确认劳动关系，事实有待查明，不适用小额速裁".to_string());
    }

    if app.consents.simplified && app.consents.informal_service {
        reasons.push("申请人同意简易处理并同意以短信、电话等简便方式送达".to_string());
    } else {
        green_ok = false;
        reasons.push("申请人未同时同意简易处理和简便方式送达，不适用小额速裁".to_string());
    }

    let track = if green_ok {
        reasons.push("分流至小额速裁绿色通道：独任仲裁员审理，力争受理后30日内结案（法定审限仍为45日）".to_string());
        Track::Green
    } else if within_ceiling {
        Track::Simple
    } else {
        Track::Ordinary
    };
    Routing { track, reasons, thresholds: *t }
}

/// Rules Art. 57: a respondent whose whereabouts are unknown (served by public notice) excludes
/// simplified handling. A green or simple case goes on by the ordinary procedure, its limit still
/// running from acceptance (Rules Art. 61). The new track and the reason, or `None` if unchanged.
pub fn after_public_notice(track: Track) -> Option<(Track, String)> {
    match track {
        Track::Green | Track::Simple => Some((
            Track::Ordinary,
            format!(
                "被申请人下落不明，已公告送达，不得简易处理（《劳动人事争议仲裁办案规则》第五十七条），由{}转为按一般程序处理，仲裁期限仍自受理之日起计算（第六十一条）",
                track.label()
            ),
        )),
        Track::Ordinary | Track::Collective => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::application::{Applicant, Claim, Consents, Employment, Respondent};
    use crate::law::identity::{MobileNumber, ResidentId};
    use crate::law::thresholds::Thresholds;
    use chrono::NaiveDate;

    fn on() -> ThresholdsOn {
        Thresholds::zhongshan().on(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()).unwrap()
    }

    fn app(claims: Vec<(ClaimKind, Option<i64>)>, workers: usize, consent: bool) -> Application {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let worker = Applicant {
            name: "张三".into(),
            id_number: ResidentId::parse("11010519491231002X", today).unwrap(),
            phone: MobileNumber::parse("13800138000").unwrap(),
            address: "中山市".into(),
            email: None,
        };
        Application {
            applicants: vec![worker; workers],
            respondents: vec![Respondent {
                name: "某公司".into(),
                credit_code: None,
                legal_representative: None,
                address: "中山市".into(),
                phone: None,
                email: None,
            }],
            claims: claims
                .into_iter()
                .map(|(kind, yuan)| Claim { kind, amount: yuan.map(Amount::from_yuan), description: String::new() })
                .collect(),
            employment: Employment { start: today, end: None, monthly_wage: None },
            facts: "事实".into(),
            consents: Consents { simplified: consent, informal_service: consent, ..Consents::default() },
        }
    }

    #[test]
    fn small_wage_claim_with_consent_goes_to_the_green_channel() {
        let r = route(&app(vec![(ClaimKind::UnpaidWages, Some(8600))], 1, true), &on());
        assert_eq!(r.track, Track::Green);
        assert!(r.reasons.iter().any(|s| s.contains("24960.00")), "{:?}", r.reasons);
    }

    #[test]
    fn an_item_exactly_at_twelve_minimum_wages_is_still_green() {
        assert_eq!(route(&app(vec![(ClaimKind::UnpaidWages, Some(24_960))], 1, true), &on()).track, Track::Green);
        assert_eq!(route(&app(vec![(ClaimKind::UnpaidWages, Some(24_961))], 1, true), &on()).track, Track::Simple);
    }

    #[test]
    fn the_cap_is_per_item_not_on_the_total() {
        let claims = vec![(ClaimKind::UnpaidWages, Some(20_000)), (ClaimKind::EconomicCompensation, Some(20_000))];
        assert_eq!(route(&app(claims, 1, true), &on()).track, Track::Green);
    }

    #[test]
    fn without_consent_a_small_claim_is_simple_not_green() {
        let r = route(&app(vec![(ClaimKind::UnpaidWages, Some(8600))], 1, false), &on());
        assert_eq!(r.track, Track::Simple);
        assert!(r.reasons.iter().any(|s| s.contains("未同时同意")));
    }

    #[test]
    fn confirming_employment_is_never_green() {
        let claims = vec![(ClaimKind::ConfirmEmployment, None), (ClaimKind::UnpaidWages, Some(1000))];
        assert_eq!(route(&app(claims, 1, true), &on()).track, Track::Simple);
    }

    #[test]
    fn a_total_above_the_provincial_average_wage_is_ordinary() {
        let claims = vec![(ClaimKind::UnlawfulTerminationDamages, Some(131_419))];
        assert_eq!(route(&app(claims, 1, true), &on()).track, Track::Ordinary);
    }

    #[test]
    fn ten_workers_make_a_collective_dispute() {
        assert_eq!(route(&app(vec![(ClaimKind::UnpaidWages, Some(100))], 10, true), &on()).track, Track::Collective);
        assert_eq!(route(&app(vec![(ClaimKind::UnpaidWages, Some(100))], 9, true), &on()).track, Track::Green);
    }

    #[test]
    fn a_standards_dispute_is_final_whatever_the_amount_and_the_reason_says_so() {
        // Law Art. 47(2): social insurance and working-time standards disputes have no amount cap.
        for kind in [ClaimKind::SocialInsurance, ClaimKind::WorkingTimeStandards] {
            let r = route(&app(vec![(kind, Some(30_000))], 1, true), &on());
            assert_eq!(r.track, Track::Green);
            assert!(
                r.reasons.iter().any(|s| s.contains("属于《劳动争议调解仲裁法》第四十七条第二项规定的争议，不受金额限制")),
                "{:?}",
                r.reasons
            );
            assert!(!r.reasons.iter().any(|s| s.contains("每项") && s.contains("不超过")), "no claim on the 47(1) cap: {:?}", r.reasons);
        }
    }

    #[test]
    fn no_reason_says_final_when_an_item_is_outside_article_47() {
        for outside in [ClaimKind::Other, ClaimKind::ConfirmEmployment] {
            let amount = (outside == ClaimKind::Other).then_some(500);
            let claims = vec![(outside, amount), (ClaimKind::UnpaidWages, Some(1000)), (ClaimKind::SocialInsurance, Some(800))];
            let r = route(&app(claims, 1, true), &on());
            assert_ne!(r.track, Track::Green);
            assert!(!r.reasons.iter().any(|s| s.contains("可终局裁决")), "{:?}", r.reasons);
        }
    }

    #[test]
    fn routing_uses_the_threshold_in_force_on_the_earliest_award_day() {
        // Filed Friday 2025-02-28: the earliest hearing, and so award, is six working days later,
        // 2025-03-10, when 12 × 2080 = 24960 applies (粤府函〔2025〕23号 from 2025-03-01).
        let cal = WorkingCalendar::shipped();
        let filed = NaiveDate::from_ymd_opt(2025, 2, 28).unwrap();
        let day = earliest_award_day(&cal, filed, 6);
        assert_eq!(day, NaiveDate::from_ymd_opt(2025, 3, 10).unwrap());
        let t = Thresholds::zhongshan().on(day).unwrap();
        let r = route(&app(vec![(ClaimKind::UnpaidWages, Some(24_960))], 1, true), &t);
        assert_eq!(r.track, Track::Green);
        assert!(r.reasons.iter().any(|s| s.contains("2025年3月10日") && s.contains("24960.00")), "{:?}", r.reasons);
        let on_filing = Thresholds::zhongshan().on(filed).unwrap();
        assert_eq!(route(&app(vec![(ClaimKind::UnpaidWages, Some(24_960))], 1, true), &on_filing).track, Track::Simple);
    }

    #[test]
    fn a_stale_ceiling_is_named_in_the_routing_reason() {
        let r = route(&app(vec![(ClaimKind::UnpaidWages, Some(8600))], 1, true), &on());
        assert!(r.reasons.iter().any(|s| s.contains("131418.00元（标准暂按2024年公布数，待更新）")), "{:?}", r.reasons);
    }

    #[test]
    fn a_collective_tribunal_of_three_cites_the_law_not_the_priority_article() {
        let r = route(&app(vec![(ClaimKind::UnpaidWages, Some(100))], 10, true), &on());
        assert!(r.reasons[0].contains("第三十一条") && r.reasons[0].contains("组织规则》第十三条"), "{:?}", r.reasons);
    }

    #[test]
    fn a_public_notice_takes_a_case_off_the_simplified_procedure() {
        for track in [Track::Green, Track::Simple] {
            let (to, why) = after_public_notice(track).unwrap();
            assert_eq!(to, Track::Ordinary);
            assert!(why.contains("第五十七条"));
        }
        assert_eq!(after_public_notice(Track::Ordinary), None);
        assert_eq!(after_public_notice(Track::Collective), None);
    }

    #[test]
    fn final_eligibility_is_per_item_and_standards_disputes_have_no_cap() {
        let limit = Amount::from_yuan(24_960);
        assert!(final_eligible(ClaimKind::OvertimePay, Some(Amount::from_yuan(24_960)), limit));
        assert!(!final_eligible(ClaimKind::OvertimePay, Some(Amount::from_yuan(24_961)), limit));
        assert!(final_eligible(ClaimKind::SocialInsurance, Some(Amount::from_yuan(99_999)), limit));
        assert!(!final_eligible(ClaimKind::ConfirmEmployment, None, limit));
        assert!(!final_eligible(ClaimKind::InjuryBenefits, Some(Amount::from_yuan(100)), limit));
    }
}
