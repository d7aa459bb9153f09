//! The kinds of document and the typed data each one's template reads.

use serde::Serialize;

use crate::law::money::Amount;

/// A document kind: its stable code, its title and its template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    AwardFinal,
    AwardNonfinal,
    Mediation,
    AcceptanceNotice,
    RejectionNotice,
    RespondentNotice,
    TribunalNotice,
    HearingNotice,
    ExtensionNotice,
    SuspensionNotice,
    /// 答辩书副本: the respondent's defence, served on the applicants (Law Art. 30).
    DefenceCopy,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::AwardFinal,
        Kind::AwardNonfinal,
        Kind::Mediation,
        Kind::AcceptanceNotice,
        Kind::RejectionNotice,
        Kind::RespondentNotice,
        Kind::TribunalNotice,
        Kind::HearingNotice,
        Kind::ExtensionNotice,
        Kind::SuspensionNotice,
        Kind::DefenceCopy,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::AwardFinal => "award_final",
            Kind::AwardNonfinal => "award_nonfinal",
            Kind::Mediation => "mediation",
            Kind::AcceptanceNotice => "acceptance_notice",
            Kind::RejectionNotice => "rejection_notice",
            Kind::RespondentNotice => "respondent_notice",
            Kind::TribunalNotice => "tribunal_notice",
            Kind::HearingNotice => "hearing_notice",
            Kind::ExtensionNotice => "extension_notice",
            Kind::SuspensionNotice => "suspension_notice",
            Kind::DefenceCopy => "defence_copy",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The title printed on the document.
    pub fn title(self) -> &'static str {
        match self {
            Kind::AwardFinal | Kind::AwardNonfinal => "仲裁裁决书",
            Kind::Mediation => "仲裁调解书",
            Kind::AcceptanceNotice => "受理通知书",
            Kind::RejectionNotice => "不予受理通知书",
            Kind::RespondentNotice => "应诉通知书",
            Kind::TribunalNotice => "仲裁庭组成通知书",
            Kind::HearingNotice => "开庭通知书",
            Kind::ExtensionNotice => "延期审理通知书",
            Kind::SuspensionNotice => "中止审理通知书",
            Kind::DefenceCopy => "答辩书副本",
        }
    }

    /// The template file under `templates/documents/`.
    pub fn template(self) -> &'static str {
        match self {
            Kind::AwardFinal | Kind::AwardNonfinal => "award.txt",
            Kind::Mediation => "mediation.txt",
            Kind::AcceptanceNotice => "acceptance_notice.txt",
            Kind::RejectionNotice => "rejection_notice.txt",
            Kind::RespondentNotice => "respondent_notice.txt",
            Kind::TribunalNotice => "tribunal_notice.txt",
            Kind::HearingNotice => "hearing_notice.txt",
            Kind::ExtensionNotice => "extension_notice.txt",
            Kind::SuspensionNotice => "suspension_notice.txt",
            Kind::DefenceCopy => "defence_copy.txt",
        }
    }
}

/// An amount as documents print it: figures and capital numerals.
#[derive(Debug, Clone, Serialize)]
pub struct Money {
    pub figures: String,
    pub capital: String,
    /// Nothing to pay (a dismissed item, or one that asks for no money): no amount is printed.
    pub zero: bool,
}

impl From<Amount> for Money {
    fn from(a: Amount) -> Self {
        // Whole yuan print without decimals, as awards write them ("8600元").
        let figures = if a.fen() % 100 == 0 { (a.fen() / 100).to_string() } else { a.to_string() };
        Money { figures, capital: a.capital(), zero: a.fen() == 0 }
    }
}

/// A worker: name, sex and date of birth (from the identity number), number, address.
#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub name: String,
    pub sex: String,
    pub born: String,
    pub id_number: String,
    pub address: String,
}

/// An employer: name, credit code, domicile, legal representative.
#[derive(Debug, Clone, Serialize)]
pub struct Employer {
    pub name: String,
    pub credit_code: Option<String>,
    pub address: String,
    pub legal_representative: Option<String>,
}

/// What every document shows at its head.
#[derive(Debug, Clone, Serialize)]
pub struct Head {
    pub commission: String,
    pub title: String,
    /// The document's number (the case number, or `…-1号` for one part of a split award).
    pub number: String,
    /// 成文日期, in Arabic numerals (GB/T 9704-2012 §7.3.5).
    pub date: String,
    pub applicants: Vec<Person>,
    pub respondents: Vec<Employer>,
}

/// A claim as the application states it.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimLine {
    pub text: String,
    pub amount: Option<Money>,
}

/// A member of the tribunal.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    /// 首席仲裁员, 仲裁员.
    pub role: String,
    /// How the member signs: 首席仲裁员, 仲　裁　员 (spaced to the width of 首席仲裁员), or
    /// 独任仲裁员 for a sole arbitrator (the judicial signature block).
    pub signs_as: String,
    pub name: String,
}

impl Member {
    /// A tribunal from its arbitrators' names, the presiding one first: a sole arbitrator is
    /// 仲裁员; of three, the first is 首席仲裁员 (Law Art. 31).
    pub fn panel(names: Vec<String>) -> Vec<Member> {
        let sole = names.len() == 1;
        names
            .into_iter()
            .enumerate()
            .map(|(i, name)| {
                let (role, signs_as) = match (sole, i) {
                    (true, _) => ("仲裁员", "独任仲裁员"),
                    (false, 0) => ("首席仲裁员", "首席仲裁员"),
                    (false, _) => ("仲裁员", "仲　裁　员"),
                };
                Member { role: role.into(), signs_as: signs_as.into(), name }
            })
            .collect()
    }
}

/// The judicial signature block of an award or a mediation statement (rules.md §4.2 item 11):
/// the tribunal, the date in Chinese numerals with the commission's seal over it, the clerk.
#[derive(Debug, Clone, Serialize)]
pub struct Signature {
    pub tribunal: Vec<Member>,
    /// 二〇二六年十二月十八日.
    pub date: String,
    /// 书记员: the clerk of the case.
    pub clerk: String,
}

/// One result item of an award or a mediation.
#[derive(Debug, Clone, Serialize)]
pub struct ResultItem {
    pub text: String,
    pub awarded: Money,
    /// The item's text already states the sum in figures; otherwise the document inserts it
    /// before the sum in words ("工资5386元（伍仟叁佰捌拾陆元整）").
    pub states_amount: bool,
}

impl ResultItem {
    /// An item as the tribunal wrote it, with the sum it awards.
    pub fn new(text: String, awarded: Amount) -> ResultItem {
        let money = Money::from(awarded);
        let plain: String = text.chars().filter(|c| *c != ',' && *c != '，').collect();
        // The sum stands on its own: "18600元" does not state 8600.
        let states = |figures: &str| {
            let needle = format!("{figures}元");
            plain.match_indices(&needle).any(|(i, _)| !plain[..i].ends_with(|c: char| c.is_ascii_digit() || c == '.'))
        };
        let states_amount = money.zero || states(&money.figures) || states(&awarded.to_string());
        ResultItem { text, awarded: money, states_amount }
    }
}

/// 仲裁裁决书 (Law Art. 46; rules.md §4.2).
#[derive(Debug, Clone, Serialize)]
pub struct Award {
    pub head: Head,
    pub accepted_on: String,
    pub procedure: String,
    pub tribunal: Vec<Member>,
    pub hearing_dates: Vec<String>,
    pub respondent_absent: bool,
    pub claims: Vec<ClaimLine>,
    pub defence: Option<String>,
    pub findings: String,
    pub reasoning: String,
    pub items: Vec<ResultItem>,
    pub dismiss_other_claims: bool,
    pub is_final: bool,
    /// The other part's number when the case was split (rules.md §4.3: each cross-refers).
    pub sibling: Option<String>,
    /// The intermediate court that hears an employer's petition to revoke (Law Art. 49).
    pub court: String,
    pub signature: Signature,
    /// The element-style award (要素式裁决书) of a small claim: the facts as a table of elements,
    /// the undisputed ones confirmed, the disputed ones each with the tribunal's finding. Empty:
    /// the narrative award.
    pub elements: Vec<Element>,
}

/// One element of an element-style award: a fact the claims turn on.
#[derive(Debug, Clone, Serialize)]
pub struct Element {
    /// 入职时间, 月工资标准, 欠付工资 …
    pub name: String,
    /// What the applicant states (for an undisputed element, what both sides agree).
    pub applicant: String,
    pub respondent: String,
    pub disputed: bool,
    /// The tribunal's finding on a disputed element.
    pub finding: String,
}

/// A part an award must have that is missing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("裁决书缺少必备内容：{0}")]
pub struct Incomplete(pub &'static str);

impl Award {
    /// Law Art. 46 (Rules Art. 53): claims, facts found, reasons, result, date and arbitrators.
    pub fn check(&self) -> Result<(), Incomplete> {
        let blank = |s: &str| s.trim().is_empty();
        if self.claims.is_empty() {
            return Err(Incomplete("仲裁请求"));
        }
        // An element-style award states the facts in its table of elements.
        if blank(&self.findings) && self.elements.is_empty() {
            return Err(Incomplete("查明的事实"));
        }
        if self.elements.iter().any(|e| e.disputed && blank(&e.finding)) {
            return Err(Incomplete("争议要素的认定"));
        }
        if blank(&self.reasoning) {
            return Err(Incomplete("裁决理由"));
        }
        if self.items.is_empty() || self.items.iter().any(|i| blank(&i.text)) {
            return Err(Incomplete("裁决结果"));
        }
        if blank(&self.head.date) {
            return Err(Incomplete("裁决日期"));
        }
        if self.tribunal.is_empty() {
            return Err(Incomplete("仲裁员"));
        }
        Ok(())
    }
}

/// 仲裁调解书 (Law Art. 42).
#[derive(Debug, Clone, Serialize)]
pub struct Mediation {
    pub head: Head,
    pub accepted_on: String,
    pub tribunal: Vec<Member>,
    pub claims: Vec<ClaimLine>,
    pub items: Vec<ResultItem>,
    pub signature: Signature,
}

/// 受理通知书 (Law Art. 29; Rules Art. 30).
#[derive(Debug, Clone, Serialize)]
pub struct Acceptance {
    pub head: Head,
    pub filed_on: String,
    pub accepted_on: String,
    pub procedure: String,
    pub award_due: String,
}

/// 不予受理通知书 (Law Art. 29; Rules Art. 31).
#[derive(Debug, Clone, Serialize)]
pub struct Rejection {
    pub head: Head,
    pub filed_on: String,
    /// Each ground as the notice states it, with its legal basis.
    pub grounds: Vec<GroundLine>,
    /// The clerk's own words, a full sentence (may be empty when a standard ground says it all).
    pub reason: String,
    /// 你 for one applicant, 你们 for several.
    pub addressee: String,
    /// For a refusal on jurisdiction: where to apply instead (Rules Art. 31).
    pub competent: Option<String>,
}

/// A ground of refusal as printed: what it is and the articles it rests on.
#[derive(Debug, Clone, Serialize)]
pub struct GroundLine {
    pub text: String,
    pub basis: String,
}

/// 应诉通知书 (Law Art. 30; Rules Art. 10, 33, 36).
#[derive(Debug, Clone, Serialize)]
pub struct RespondentNotice {
    pub head: Head,
    pub accepted_on: String,
    pub procedure: String,
    /// Where the parties sign in.
    pub link: String,
    /// Each respondent's own sign-in code (issue 22).
    pub sign_in: Vec<SignIn>,
}

/// 答辩书副本 (Law Art. 30): the defence as the respondent submitted it online, served on the
/// applicants within five days.
#[derive(Debug, Clone, Serialize)]
pub struct DefenceCopy {
    pub head: Head,
    /// Who answered: the respondent's name.
    pub respondent: String,
    pub received_on: String,
    /// Submitted after the defence period.
    pub late: bool,
    /// The respondent waived the rest of the defence period with it.
    pub waived: bool,
    /// The defence, one paragraph per line.
    pub paragraphs: Vec<String>,
}

/// A respondent's sign-in code as its notice prints it.
#[derive(Debug, Clone, Serialize)]
pub struct SignIn {
    pub name: String,
    pub code: String,
}

/// 仲裁庭组成通知书 (Law Art. 32; Rules Art. 37).
#[derive(Debug, Clone, Serialize)]
pub struct TribunalNotice {
    pub head: Head,
    pub tribunal: Vec<Member>,
    /// The tribunal was composed before, differently: this notice changes it.
    pub changed: bool,
}

/// 延期审理通知书 (Law Art. 43; Rules Art. 45).
#[derive(Debug, Clone, Serialize)]
pub struct ExtensionNotice {
    pub head: Head,
    pub days: u32,
    /// Who approved, for the record: the notice says only "经本委主任批准" (Law Art. 43).
    pub approver: String,
    pub reason: String,
    pub award_due: String,
    /// The new last day rests on a holiday arrangement not yet published: the notice then does not
    /// state it as final.
    pub provisional: bool,
}

/// 中止审理通知书 (Rules Art. 47).
#[derive(Debug, Clone, Serialize)]
pub struct SuspensionNotice {
    pub head: Head,
    pub ground: String,
    pub from: String,
    pub note: Option<String>,
}

/// 开庭通知书 (Law Art. 35–36; Rules Art. 38–39).
#[derive(Debug, Clone, Serialize)]
pub struct HearingNotice {
    pub head: Head,
    pub day: String,
    /// 上午9时30分.
    pub start: String,
    /// The commission's address and the hearing room: 中山市…号第一审理庭.
    pub place: String,
    pub tribunal: Vec<Member>,
    pub postpone_by: String,
    /// The day, time and place the hearing was set for before it moved (变更开庭通知).
    pub before: Option<String>,
}

/// 2026-10-16 → 2026年10月16日.
pub fn chinese_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// 2026-12-18 → 二〇二六年十二月十八日: the date of an award or a mediation statement, as judicial
/// documents write it.
pub fn numeral_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let year: String = d.year().to_string().chars().map(|c| c.to_digit(10).map_or(c, |n| DIGITS[n as usize])).collect();
    let small = |n: u32| match n {
        1..=9 => DIGITS[n as usize].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", DIGITS[(n % 10) as usize]),
        _ if n.is_multiple_of(10) => format!("{}十", DIGITS[(n / 10) as usize]),
        _ => format!("{}十{}", DIGITS[(n / 10) as usize], DIGITS[(n % 10) as usize]),
    };
    format!("{year}年{}月{}日", small(d.month()), small(d.day()))
}

/// A stored `YYYY-MM-DD` as a Chinese date (anything else as it is): what pages and papers print.
pub fn chinese_date_text(text: &str) -> String {
    text.parse::<chrono::NaiveDate>().map(chinese_date).unwrap_or_else(|_| text.to_string())
}

/// 09:30 → 上午9时30分, 14:00 → 下午2时: a time as a notice to a party says it.
pub fn chinese_time(hhmm: &str) -> String {
    let Some((h, m)) = hhmm.split_once(':').and_then(|(h, m)| Some((h.parse::<u32>().ok()?, m.parse::<u32>().ok()?))) else {
        return hhmm.to_string();
    };
    let (part, hour) = match h {
        0..=11 => ("上午", h),
        12 => ("中午", 12),
        13..=17 => ("下午", h - 12),
        _ => ("晚上", h - 12),
    };
    if m == 0 { format!("{part}{hour}时") } else { format!("{part}{hour}时{m}分") }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    #[test]
    fn an_award_is_dated_in_chinese_numerals() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(super::numeral_date(d(2026, 12, 18)), "二〇二六年十二月十八日");
        assert_eq!(super::numeral_date(d(2027, 1, 10)), "二〇二七年一月十日");
        assert_eq!(super::numeral_date(d(2026, 10, 30)), "二〇二六年十月三十日");
        assert_eq!(super::numeral_date(d(2026, 11, 21)), "二〇二六年十一月二十一日");
    }

    #[test]
    fn an_item_without_its_figure_gets_it_and_one_with_it_does_not() {
        use crate::law::money::Amount;
        let bare = super::ResultItem::new("支付申请人拖欠最后一个月工资".into(), Amount::from_fen(538_600));
        assert!(!bare.states_amount);
        let stated = super::ResultItem::new("支付申请人工资5,386元".into(), Amount::from_fen(538_600));
        assert!(stated.states_amount);
        let cents = super::ResultItem::new("支付申请人工资5386.50元".into(), Amount::from_fen(538_650));
        assert!(cents.states_amount);
        let larger = super::ResultItem::new("支付申请人工资15386元中的一部分".into(), Amount::from_fen(538_600));
        assert!(!larger.states_amount, "15386元 does not state 5386");
    }

    #[test]
    fn a_sole_arbitrator_signs_as_such_and_a_panel_spaces_its_members() {
        let sole = super::Member::panel(vec!["黄志明".into()]);
        assert_eq!((sole[0].role.as_str(), sole[0].signs_as.as_str()), ("仲裁员", "独任仲裁员"));
        let three = super::Member::panel(vec!["甲".into(), "乙".into(), "丙".into()]);
        let signs: Vec<&str> = three.iter().map(|m| m.signs_as.as_str()).collect();
        assert_eq!(signs, ["首席仲裁员", "仲　裁　员", "仲　裁　员"]);
    }

    #[test]
    fn a_hearing_time_reads_as_a_notice_says_it() {
        assert_eq!(super::chinese_time("09:30"), "上午9时30分");
        assert_eq!(super::chinese_time("14:00"), "下午2时");
        assert_eq!(super::chinese_time("12:00"), "中午12时");
    }
}
