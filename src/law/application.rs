//! The application for arbitration (仲裁申请, Law Art. 28): raw input parsed into typed values,
//! with every problem reported against the field it concerns.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::identity::{CreditCode, EmailAddress, MobileNumber, ResidentId};
use super::money::{Amount, MAX_CLAIM};
use super::{FieldError, Violation};

/// Most applicants one application may name (a large collective dispute).
pub const MAX_APPLICANTS: usize = 500;
pub const MAX_RESPONDENTS: usize = 20;
pub const MAX_CLAIMS: usize = 30;

/// What a claim asks for; the kinds integrations rely on (api.md "Cases").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    UnpaidWages,
    OvertimePay,
    AnnualLeavePay,
    DoubleWages,
    EconomicCompensation,
    UnlawfulTerminationDamages,
    InjuryMedicalExpenses,
    InjuryBenefits,
    SocialInsurance,
    WorkingTimeStandards,
    ConfirmEmployment,
    Other,
}

impl ClaimKind {
    pub const ALL: [ClaimKind; 12] = [
        ClaimKind::UnpaidWages,
        ClaimKind::OvertimePay,
        ClaimKind::AnnualLeavePay,
        ClaimKind::DoubleWages,
        ClaimKind::EconomicCompensation,
        ClaimKind::UnlawfulTerminationDamages,
        ClaimKind::InjuryMedicalExpenses,
        ClaimKind::InjuryBenefits,
        ClaimKind::SocialInsurance,
        ClaimKind::WorkingTimeStandards,
        ClaimKind::ConfirmEmployment,
        ClaimKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ClaimKind::UnpaidWages => "unpaid_wages",
            ClaimKind::OvertimePay => "overtime_pay",
            ClaimKind::AnnualLeavePay => "annual_leave_pay",
            ClaimKind::DoubleWages => "double_wages",
            ClaimKind::EconomicCompensation => "economic_compensation",
            ClaimKind::UnlawfulTerminationDamages => "unlawful_termination_damages",
            ClaimKind::InjuryMedicalExpenses => "injury_medical_expenses",
            ClaimKind::InjuryBenefits => "injury_benefits",
            ClaimKind::SocialInsurance => "social_insurance",
            ClaimKind::WorkingTimeStandards => "working_time_standards",
            ClaimKind::ConfirmEmployment => "confirm_employment",
            ClaimKind::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The name a worker reads on the form.
    pub fn label(self) -> &'static str {
        match self {
            ClaimKind::UnpaidWages => "拖欠工资",
            ClaimKind::OvertimePay => "加班费",
            ClaimKind::AnnualLeavePay => "未休年休假工资",
            ClaimKind::DoubleWages => "未签劳动合同二倍工资",
            ClaimKind::EconomicCompensation => "经济补偿",
            ClaimKind::UnlawfulTerminationDamages => "违法解除劳动合同赔偿金",
            ClaimKind::InjuryMedicalExpenses => "工伤医疗费",
            ClaimKind::InjuryBenefits => "工伤保险待遇",
            ClaimKind::SocialInsurance => "社会保险",
            ClaimKind::WorkingTimeStandards => "工作时间、休息休假",
            ClaimKind::ConfirmEmployment => "确认劳动关系",
            ClaimKind::Other => "其他",
        }
    }

    /// Whether the claim must state an amount of money.
    pub fn requires_amount(self) -> bool {
        !matches!(self, ClaimKind::ConfirmEmployment | ClaimKind::SocialInsurance | ClaimKind::WorkingTimeStandards | ClaimKind::Other)
    }

    /// Whether the claim may not state an amount (it asks for a declaration, not money).
    pub fn forbids_amount(self) -> bool {
        matches!(self, ClaimKind::ConfirmEmployment)
    }

    /// Law Art. 47(1): remuneration, injury medical costs, compensation or damages (final up to the limit).
    pub fn is_capped_final_kind(self) -> bool {
        matches!(
            self,
            ClaimKind::UnpaidWages
                | ClaimKind::OvertimePay
                | ClaimKind::AnnualLeavePay
                | ClaimKind::DoubleWages
                | ClaimKind::EconomicCompensation
                | ClaimKind::UnlawfulTerminationDamages
                | ClaimKind::InjuryMedicalExpenses
        )
    }

    /// Law Art. 47(2): disputes over national standards on working time, rest and leave, social insurance.
    pub fn is_standards_kind(self) -> bool {
        matches!(self, ClaimKind::WorkingTimeStandards | ClaimKind::SocialInsurance)
    }
}

/// Raw input as it arrives (JSON body or page form), before any rule is checked.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct RawApplication {
    #[schema(required = true, min_items = 1)]
    pub applicants: Option<Vec<RawApplicant>>,
    #[schema(required = true, min_items = 1)]
    pub respondents: Option<Vec<RawRespondent>>,
    #[schema(required = true, min_items = 1)]
    pub claims: Option<Vec<RawClaim>>,
    #[schema(required = true)]
    pub employment: Option<RawEmployment>,
    #[schema(required = true, min_length = 1)]
    pub facts: Option<String>,
    pub consents: Option<RawConsents>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct RawApplicant {
    pub name: Option<String>,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// For service by e-mail, with `consents.electronic_service`.
    pub email: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct RawRespondent {
    pub name: Option<String>,
    pub credit_code: Option<String>,
    pub legal_representative: Option<String>,
    pub address: Option<String>,
    /// The respondent's mobile number and e-mail as the applicant knows them (no consent of theirs).
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct RawClaim {
    pub kind: Option<String>,
    /// Yuan as a decimal string, at most two decimals.
    pub amount: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct RawEmployment {
    pub start: Option<String>,
    pub end: Option<String>,
    pub monthly_wage: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct RawConsents {
    pub simplified: Option<bool>,
    pub informal_service: Option<bool>,
    /// Documents on the party pages and, with an e-mail given, by e-mail (default false).
    pub electronic_service: Option<bool>,
    /// Electronic service of awards and mediation statements too (default false; CPL Art. 90).
    pub electronic_awards: Option<bool>,
    /// An SMS when a document is waiting (default: as `electronic_service`).
    pub sms_notice: Option<bool>,
}

/// A worker who applies (申请人).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicant {
    pub name: String,
    pub id_number: ResidentId,
    pub phone: MobileNumber,
    pub address: String,
    pub email: Option<EmailAddress>,
}

/// An employer named as respondent (被申请人).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Respondent {
    pub name: String,
    pub credit_code: Option<CreditCode>,
    pub legal_representative: Option<String>,
    pub address: String,
    pub phone: Option<MobileNumber>,
    pub email: Option<EmailAddress>,
}

/// One claim item (仲裁请求).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub kind: ClaimKind,
    pub amount: Option<Amount>,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Employment {
    pub start: NaiveDate,
    /// `None` while the employment relationship lasts.
    pub end: Option<NaiveDate>,
    pub monthly_wage: Option<Amount>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Consents {
    /// The applicant agrees to simplified handling (简易处理).
    pub simplified: bool,
    /// The applicant agrees to service by SMS, telephone or e-mail.
    pub informal_service: bool,
    /// The applicant agrees to electronic service: the party pages, and e-mail when given (CPL Art. 90).
    pub electronic_service: bool,
    /// The applicant agrees to electronic service of awards and mediation statements (CPL Art. 90).
    pub electronic_awards: bool,
    /// The applicant wants an SMS when a document is waiting.
    pub sms_notice: bool,
}

/// A complete, valid application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub applicants: Vec<Applicant>,
    pub respondents: Vec<Respondent>,
    pub claims: Vec<Claim>,
    pub employment: Employment,
    pub facts: String,
    pub consents: Consents,
}

impl Application {
    /// The sum of all claimed amounts (标的额).
    pub fn claimed_total(&self) -> Amount {
        self.claims.iter().filter_map(|c| c.amount).fold(Amount::ZERO, |a, b| a.checked_add(b).unwrap_or(a))
    }

    /// Parses raw input filed on `today`; every problem found is reported, not just the first.
    pub fn parse(raw: &RawApplication, today: NaiveDate) -> Result<Self, Vec<FieldError>> {
        let mut errs = Errors::default();
        let applicants = list(&mut errs, "applicants", raw.applicants.as_deref(), MAX_APPLICANTS, "申请人")
            .iter()
            .enumerate()
            .filter_map(|(i, a)| parse_applicant(&mut errs, &format!("applicants[{i}]"), a, today))
            .collect();
        let respondents = list(&mut errs, "respondents", raw.respondents.as_deref(), MAX_RESPONDENTS, "被申请人")
            .iter()
            .enumerate()
            .filter_map(|(i, r)| parse_respondent(&mut errs, &format!("respondents[{i}]"), r))
            .collect();
        let claims = list(&mut errs, "claims", raw.claims.as_deref(), MAX_CLAIMS, "仲裁请求")
            .iter()
            .enumerate()
            .filter_map(|(i, c)| parse_claim(&mut errs, &format!("claims[{i}]"), c))
            .collect();
        let employment = parse_employment(&mut errs, raw.employment.as_ref(), today);
        let facts = errs.text("facts", raw.facts.as_deref(), 1, 5000, "事实和理由");
        let consents = raw.consents.clone().unwrap_or_default();
        let electronic_service = consents.electronic_service.unwrap_or(false);
        let consents = Consents {
            simplified: consents.simplified.unwrap_or(false),
            informal_service: consents.informal_service.unwrap_or(false),
            electronic_service,
            electronic_awards: consents.electronic_awards.unwrap_or(false),
            sms_notice: consents.sms_notice.unwrap_or(electronic_service),
        };
        if !errs.0.is_empty() {
            return Err(errs.0);
        }
        Ok(Application {
            applicants,
            respondents,
            claims,
            employment: employment.expect("no errors"),
            facts: facts.expect("no errors"),
            consents,
        })
    }
}

#[derive(Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn push(&mut self, field: &str, v: Violation) {
        self.0.push(FieldError::new(field, v));
    }

    /// Required text, trimmed, between `min` and `max` characters, without control characters.
    fn text(&mut self, field: &str, v: Option<&str>, min: usize, max: usize, label: &str) -> Option<String> {
        let v = v.map(str::trim).unwrap_or("");
        let n = v.chars().count();
        if n == 0 && min > 0 {
            self.push(field, Violation::new("required", format!("请填写{label}")));
            None
        } else if n < min {
            self.push(field, Violation::new("too_short", format!("{label}至少{min}个字")));
            None
        } else if n > max {
            self.push(field, Violation::new("too_long", format!("{label}不能超过{max}个字（现有{n}个）")));
            None
        } else if v.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
            self.push(field, Violation::new("format", format!("{label}含有不可见的控制字符")));
            None
        } else if v.chars().any(is_bidi_control) {
            self.push(field, Violation::new("bidi_control", format!("{label}含有改变文字方向的控制字符，请重新输入")));
            None
        } else if n > 0 && v.chars().all(is_invisible) {
            self.push(field, Violation::new("invisible", format!("{label}不能只由不可见的字符组成")));
            None
        } else {
            Some(v.to_string())
        }
    }

    /// Optional text: absent or blank is `None`, otherwise bounded like `text`.
    fn optional_text(&mut self, field: &str, v: Option<&str>, max: usize, label: &str) -> Result<Option<String>, ()> {
        match v.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => self.text(field, Some(s), 1, max, label).map(Some).ok_or(()),
        }
    }

    fn date(&mut self, field: &str, v: Option<&str>, label: &str, today: NaiveDate) -> Option<NaiveDate> {
        let s = v.map(str::trim).unwrap_or("");
        if s.is_empty() {
            self.push(field, Violation::new("required", format!("请填写{label}")));
            return None;
        }
        match super::dates::parse_padded(s).ok_or(()) {
            Err(()) => {
                self.push(field, Violation::new("format", format!("{label}应写成 YYYY-MM-DD，例如 2026-03-01")));
                None
            }
            Ok(d) if d < earliest_employment() => {
                self.push(field, Violation::new("out_of_range", format!("{label}不能早于1950年1月1日")));
                None
            }
            Ok(d) if d > today => {
                self.push(field, Violation::new("future_date", format!("{label}不能晚于今天（{today}）")));
                None
            }
            Ok(d) => Some(d),
        }
    }
}

/// Marks that reorder how text is shown (U+202A–U+202E, U+2066–U+2069): a name carrying one can
/// read differently from what is stored.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that show nothing: spaces (the ideographic one included) and zero-width marks.
fn is_invisible(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{3164}' | '\u{115F}' | '\u{1160}')
}

/// No employment a worker can claim on began before 1950.
fn earliest_employment() -> NaiveDate {
    NaiveDate::from_ymd_opt(1950, 1, 1).expect("a valid date")
}

fn list<'a, T>(errs: &mut Errors, field: &str, v: Option<&'a [T]>, max: usize, label: &str) -> &'a [T] {
    let items = v.unwrap_or(&[]);
    if items.is_empty() {
        errs.push(field, Violation::new("required", format!("至少需要一项{label}")));
    } else if items.len() > max {
        errs.push(field, Violation::new("too_many", format!("{label}不能超过{max}项")));
        return &[];
    }
    items
}

fn parse_applicant(errs: &mut Errors, at: &str, a: &RawApplicant, today: NaiveDate) -> Option<Applicant> {
    let name = errs.text(&format!("{at}.name"), a.name.as_deref(), 1, 50, "申请人姓名");
    let id = ResidentId::parse(a.id_number.as_deref().unwrap_or(""), today).map_err(|v| errs.push(&format!("{at}.id_number"), v)).ok();
    let phone = MobileNumber::parse(a.phone.as_deref().unwrap_or("")).map_err(|v| errs.push(&format!("{at}.phone"), v)).ok();
    let address = errs.text(&format!("{at}.address"), a.address.as_deref(), 1, 200, "申请人住址");
    let email = optional(errs, &format!("{at}.email"), a.email.as_deref(), EmailAddress::parse);
    Some(Applicant { name: name?, id_number: id?, phone: phone?, address: address?, email: email.ok()? })
}

fn parse_respondent(errs: &mut Errors, at: &str, r: &RawRespondent) -> Option<Respondent> {
    let name = errs.text(&format!("{at}.name"), r.name.as_deref(), 2, 100, "被申请人名称");
    let credit_code = match r.credit_code.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => CreditCode::parse(s).map(Some).map_err(|v| errs.push(&format!("{at}.credit_code"), v)),
    };
    let rep = errs.optional_text(&format!("{at}.legal_representative"), r.legal_representative.as_deref(), 50, "法定代表人");
    let address = errs.text(&format!("{at}.address"), r.address.as_deref(), 1, 200, "被申请人住所地");
    let phone = optional(errs, &format!("{at}.phone"), r.phone.as_deref(), MobileNumber::parse);
    let email = optional(errs, &format!("{at}.email"), r.email.as_deref(), EmailAddress::parse);
    Some(Respondent {
        name: name?,
        credit_code: credit_code.ok()?,
        legal_representative: rep.ok()?,
        address: address?,
        phone: phone.ok()?,
        email: email.ok()?,
    })
}

/// An optional field: blank is `None`, anything else must parse.
fn optional<T>(errs: &mut Errors, field: &str, raw: Option<&str>, parse: impl Fn(&str) -> Result<T, Violation>) -> Result<Option<T>, ()> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => parse(s).map(Some).map_err(|v| errs.push(field, v)),
    }
}

fn parse_claim(errs: &mut Errors, at: &str, c: &RawClaim) -> Option<Claim> {
    let kind_text = c.kind.as_deref().map(str::trim).unwrap_or("");
    let kind = if kind_text.is_empty() {
        errs.push(&format!("{at}.kind"), Violation::new("required", "请选择请求类型"));
        None
    } else {
        let k = ClaimKind::parse(kind_text);
        if k.is_none() {
            errs.push(&format!("{at}.kind"), Violation::new("unknown_kind", format!("未知的请求类型“{kind_text}”")));
        }
        k
    };
    let amount_text = c.amount.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let amount_field = format!("{at}.amount");
    let amount = match (kind, amount_text) {
        (Some(k), Some(_)) if k.forbids_amount() => {
            errs.push(&amount_field, Violation::new("amount_not_allowed", format!("“{}”不涉及金额，请不要填写金额", k.label())));
            Err(())
        }
        (Some(k), None) if k.requires_amount() => {
            errs.push(&amount_field, Violation::new("amount_required", format!("“{}”请填写请求金额（元）", k.label())));
            Err(())
        }
        (_, Some(s)) => Amount::parse_claim(s, MAX_CLAIM).map(Some).map_err(|v| errs.push(&amount_field, v)),
        (_, None) => Ok(None),
    };
    let description = errs.optional_text(&format!("{at}.description"), c.description.as_deref(), 500, "请求说明");
    Some(Claim { kind: kind?, amount: amount.ok()?, description: description.ok()?.unwrap_or_default() })
}

fn parse_employment(errs: &mut Errors, e: Option<&RawEmployment>, today: NaiveDate) -> Option<Employment> {
    let Some(e) = e else {
        errs.push("employment", Violation::new("required", "请填写劳动关系的起止时间"));
        return None;
    };
    let start = errs.date("employment.start", e.start.as_deref(), "入职日期", today);
    let end = match e.end.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => errs.date("employment.end", Some(s), "离职日期", today).map(Some).ok_or(()),
    };
    if let (Some(s), Ok(Some(en))) = (start, end)
        && en < s
    {
        errs.push("employment.end", Violation::new("before_start", "离职日期不能早于入职日期"));
        return None;
    }
    let wage = match e.monthly_wage.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => Amount::parse_claim(s, Amount::from_yuan(10_000_000)).map(Some).map_err(|v| errs.push("employment.monthly_wage", v)),
    };
    Some(Employment { start: start?, end: end.ok()?, monthly_wage: wage.ok()? })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn good() -> RawApplication {
        serde_json::from_value(serde_json::json!({
            "applicants": [{"name": "张三", "id_number": "11010519491231002X", "phone": "13800138000", "address": "中山市石岐区"}],
            "respondents": [{"name": "中山市某某电器有限公司", "credit_code": "91350100M000100Y43", "address": "中山市火炬开发区"}],
            "claims": [{"kind": "unpaid_wages", "amount": "8600.00", "description": "2026年8—9月工资"}],
            "employment": {"start": "2024-03-01", "end": "2026-09-30", "monthly_wage": "4300.00"},
            "facts": "拖欠工资两个月",
            "consents": {"simplified": true, "informal_service": true}
        }))
        .unwrap()
    }

    fn fields(r: Result<Application, Vec<FieldError>>) -> Vec<(String, String)> {
        r.unwrap_err().into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn a_name_of_invisible_characters_or_with_a_direction_override_is_refused() {
        for (name, code) in
            [("\u{200B}\u{200B}", "invisible"), ("\u{3164}", "invisible"), ("张\u{202E}三", "bidi_control"), ("张\0三", "format")]
        {
            let mut raw = good();
            raw.applicants.as_mut().unwrap()[0].name = Some(name.into());
            assert_eq!(fields(Application::parse(&raw, today())), [("applicants[0].name".to_string(), code.to_string())], "{name:?}");
        }
    }

    #[test]
    fn employment_dates_must_be_padded_and_not_before_1950() {
        for (start, code) in
            [("0000-01-01", "out_of_range"), ("-0001-01-01", "format"), ("2024-3-1", "format"), ("1949-12-31", "out_of_range")]
        {
            let mut raw = good();
            raw.employment.as_mut().unwrap().start = Some(start.into());
            assert_eq!(fields(Application::parse(&raw, today())), [("employment.start".to_string(), code.to_string())], "{start}");
        }
    }

    #[test]
    fn a_complete_application_parses() {
        let a = Application::parse(&good(), today()).unwrap();
        assert_eq!(a.claimed_total(), Amount::from_yuan(8600));
        assert!(a.consents.simplified);
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let mut raw = good();
        raw.applicants.as_mut().unwrap()[0].id_number = Some("11010519491231002Y".into());
        raw.claims.as_mut().unwrap()[0].amount = Some("12.345".into());
        raw.employment.as_mut().unwrap().end = Some("2024-01-01".into());
        raw.facts = None;
        assert_eq!(
            fields(Application::parse(&raw, today())),
            vec![
                ("applicants[0].id_number".into(), "format".into()),
                ("claims[0].amount".into(), "too_many_decimals".into()),
                ("employment.end".into(), "before_start".into()),
                ("facts".into(), "required".into()),
            ]
        );
    }

    #[test]
    fn an_application_needs_an_applicant_a_respondent_and_a_claim() {
        let f = fields(Application::parse(&RawApplication::default(), today()));
        for field in ["applicants", "respondents", "claims", "employment", "facts"] {
            assert!(f.iter().any(|(name, code)| name == field && code == "required"), "{field}: {f:?}");
        }
    }

    #[test]
    fn confirming_employment_asks_for_no_money_and_wages_need_an_amount() {
        let mut raw = good();
        raw.claims = Some(vec![
            RawClaim { kind: Some("confirm_employment".into()), amount: Some("1".into()), description: None },
            RawClaim { kind: Some("overtime_pay".into()), amount: None, description: None },
            RawClaim { kind: Some("bonus".into()), amount: None, description: None },
        ]);
        assert_eq!(
            fields(Application::parse(&raw, today())),
            vec![
                ("claims[0].amount".into(), "amount_not_allowed".into()),
                ("claims[1].amount".into(), "amount_required".into()),
                ("claims[2].kind".into(), "unknown_kind".into()),
            ]
        );
    }

    #[test]
    fn employment_dates_in_the_future_are_refused() {
        let mut raw = good();
        raw.employment.as_mut().unwrap().end = Some("2026-11-23".into());
        assert_eq!(fields(Application::parse(&raw, today())), vec![("employment.end".into(), "future_date".into())]);
    }

    #[test]
    fn an_overlong_name_is_refused() {
        let mut raw = good();
        raw.applicants.as_mut().unwrap()[0].name = Some("张".repeat(51));
        assert_eq!(fields(Application::parse(&raw, today())), vec![("applicants[0].name".into(), "too_long".into())]);
    }
}
