//! Track routing (green channel 小额速裁, simplified 简易, ordinary, collective) and the per-item
//! final-award test, each decision with reasons a worker can read.

use serde::{Deserialize, Serialize};

use super::application::{Application, ClaimKind};
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

    /// The procedure a document names: green-channel and simple cases go by the simplified
    /// procedure (Rules ch. 3, Art. 56–61; rules.md §1.10, §2), the rest by the ordinary one.
    pub fn procedure(self) -> &'static str {
        match self {
            Track::Green | Track::Simple => "简易处理程序",
            Track::Ordinary | Track::Collective => "普通程序",
        }
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

/// Routes an application (rules.md §1.10, §1.11, §2 "Recommended routing rules").
pub fn route(app: &Application, t: &ThresholdsOn) -> Routing {
    let workers = app.applicants.len();
    if workers >= t.collective_min_workers {
        return Routing {
            track: Track::Collective,
            reasons: vec![format!(
                "申请人共{workers}人（{}人以上），且请求针对同一被申请人，属于集体劳动人事争议，应优先立案、优先审理，由三名仲裁员组成仲裁庭（《劳动人事争议仲裁办案规则》第五条）",
                t.collective_min_workers
            )],
            thresholds: *t,
        };
    }

    let total = app.claimed_total();
    let mut green_ok = true;
    let mut reasons = Vec::new();

    let outside: Vec<&str> = app
        .claims
        .iter()
        .filter(|c| !(c.kind.is_capped_final_kind() || c.kind.is_standards_kind()))
        .map(|c| c.kind.label())
        .collect();
    if outside.is_empty() {
        reasons.push("全部请求属于劳动报酬、工伤医疗费、经济补偿、赔偿金或劳动标准争议（《劳动争议调解仲裁法》第四十七条）".to_string());
    } else {
        green_ok = false;
        reasons.push(format!(
            "请求“{}”不属于可终局裁决的事项（《劳动争议调解仲裁法》第四十七条），不适用小额速裁",
            outside.join("、")
        ));
    }

    let over: Vec<String> = app
        .claims
        .iter()
        .filter(|c| c.kind.is_capped_final_kind() && c.amount.is_some_and(|a| a > t.final_award_limit))
        .map(|c| format!("{}{}元", c.kind.label(), c.amount.unwrap()))
        .collect();
    if over.is_empty() {
        reasons.push(format!(
            "每项金额请求均不超过当地月最低工资{}元的十二倍即{}元，可终局裁决（《劳动争议调解仲裁法》第四十七条第一项）",
            t.min_wage_monthly, t.final_award_limit
        ));
    } else {
        green_ok = false;
        reasons.push(format!(
            "{}超过当地月最低工资的十二倍（{}元），不能终局裁决，不适用小额速裁",
            over.join("、"),
            t.final_award_limit
        ));
    }

    let within_ceiling = total <= t.simplified_ceiling;
    if within_ceiling {
        reasons.push(format!(
            "请求总额{total}元不超过本省上年度职工年平均工资{}元，符合简易处理条件（《劳动人事争议仲裁办案规则》简易处理一节）",
            t.simplified_ceiling
        ));
    } else {
        green_ok = false;
        reasons.push(format!(
            "请求总额{total}元超过本省上年度职工年平均工资{}元，按普通程序审理",
            t.simplified_ceiling
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
        };
        Application {
            applicants: vec![worker; workers],
            respondents: vec![Respondent {
                name: "某公司".into(),
                credit_code: None,
                legal_representative: None,
                address: "中山市".into(),
            }],
            claims: claims
                .into_iter()
                .map(|(kind, yuan)| Claim { kind, amount: yuan.map(Amount::from_yuan), description: String::new() })
                .collect(),
            employment: Employment { start: today, end: None, monthly_wage: None },
            facts: "事实".into(),
            consents: Consents { simplified: consent, informal_service: consent },
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
    fn final_eligibility_is_per_item_and_standards_disputes_have_no_cap() {
        let limit = Amount::from_yuan(24_960);
        assert!(final_eligible(ClaimKind::OvertimePay, Some(Amount::from_yuan(24_960)), limit));
        assert!(!final_eligible(ClaimKind::OvertimePay, Some(Amount::from_yuan(24_961)), limit));
        assert!(final_eligible(ClaimKind::SocialInsurance, Some(Amount::from_yuan(99_999)), limit));
        assert!(!final_eligible(ClaimKind::ConfirmEmployment, None, limit));
        assert!(!final_eligible(ClaimKind::InjuryBenefits, Some(Amount::from_yuan(100)), limit));
    }
}
