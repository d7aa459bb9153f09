//! Identity numbers of the parties: the resident ID (GB 11643), the unified
//! social credit code (GB 32100) and the mainland mobile number.

use chrono::NaiveDate;
use std::fmt;

use super::Violation;

/// 公民身份号码: an 18-character resident identity number with a valid birth date and check digit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidentId(String);

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

impl ResidentId {
    /// Parses an 18-character ID; `today` bounds the birth date.
    pub fn parse(input: &str, today: NaiveDate) -> Result<Self, Violation> {
        let s = input.trim();
        if s.is_empty() {
            return Err(Violation::new("required", "请填写公民身份号码"));
        }
        if s.chars().count() != 18 {
            return Err(Violation::new("length", "公民身份号码应为18位"));
        }
        let chars: Vec<char> = s.chars().collect();
        if !chars[..17].iter().all(|c| c.is_ascii_digit()) {
            return Err(Violation::new("format", "公民身份号码前17位应为数字"));
        }
        // GB/T 2260: every address code begins with a province code; none begins with 0.
        if chars[0] == '0' {
            return Err(Violation::new("area_code", "公民身份号码前6位地址码无效，请核对"));
        }
        let last = chars[17];
        if last == 'x' {
            return Err(Violation::new("format", "公民身份号码末位校验码应为大写X"));
        }
        if !(last.is_ascii_digit() || last == 'X') {
            return Err(Violation::new("format", "公民身份号码末位应为数字或大写X"));
        }
        let birth = NaiveDate::parse_from_str(&s[6..14], "%Y%m%d")
            .ok()
            .filter(|d| *d <= today && *d >= NaiveDate::from_ymd_opt(1850, 1, 1).unwrap());
        if birth.is_none() {
            return Err(Violation::new("birth_date", "公民身份号码中的出生日期无效"));
        }
        // GB 11643-1999 §6.1: ISO 7064 MOD 11-2 over the first 17 digits.
        let sum: u32 = chars[..17].iter().zip(ID_WEIGHTS).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
        if ID_CHECK[(sum % 11) as usize] != last {
            return Err(Violation::new("check_digit", "公民身份号码校验位错误，请核对每一位数字"));
        }
        Ok(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The birth date encoded in positions 7–14.
    pub fn birth_date(&self) -> NaiveDate {
        NaiveDate::parse_from_str(&self.0[6..14], "%Y%m%d").expect("checked at parse")
    }

    /// 男 or 女, as documents write it: the 17th digit is odd for men (GB 11643-1999).
    pub fn sex(&self) -> &'static str {
        if (self.0.as_bytes()[16] - b'0') % 2 == 1 { "男" } else { "女" }
    }
}

impl fmt::Display for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// 统一社会信用代码: 18 characters over the GB 32100 alphabet with a valid check character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditCode(String);

const USCC_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

impl CreditCode {
    pub fn parse(input: &str) -> Result<Self, Violation> {
        let s = input.trim().to_ascii_uppercase();
        if s.is_empty() {
            return Err(Violation::new("required", "请填写统一社会信用代码"));
        }
        if s.chars().count() != 18 {
            return Err(Violation::new("length", "统一社会信用代码应为18位"));
        }
        let values: Option<Vec<u32>> = s.chars().map(|c| USCC_ALPHABET.find(c).map(|i| i as u32)).collect();
        let Some(values) = values else {
            return Err(Violation::new("format", "统一社会信用代码只能包含数字和大写字母（不含I、O、Z、S、V）"));
        };
        // GB 32100-2015 表1 (with its amendment): the registration authority's code.
        if !"123456789ANY".contains(&s[..1]) {
            return Err(Violation::new("authority_code", "统一社会信用代码第1位（登记管理部门代码）应为1—9、A、N或Y，请核对营业执照"));
        }
        // GB 11714-1997: the organisation code in positions 9–17 carries its own check character.
        if !organisation_code_checks(&s[8..17]) {
            return Err(Violation::new("organisation_code", "统一社会信用代码第9至17位（组织机构代码）校验错误，请核对营业执照"));
        }
        // GB 32100-2015 §6.2: weights 3^(i-1) mod 31, check = 31 - (sum mod 31).
        let sum: u32 = values[..17].iter().zip(USCC_WEIGHTS).map(|(v, w)| v * w).sum();
        let check = (31 - sum % 31) % 31;
        if values[17] != check {
            return Err(Violation::new("check_digit", "统一社会信用代码校验位错误，请核对营业执照"));
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// GB 11714-1997: weights 3 7 9 10 5 8 4 2 over the first eight characters (digits, and letters
/// as A = 10 … Z = 35); check = 11 − (sum mod 11), written X for 10 and 0 for 11.
fn organisation_code_checks(code: &str) -> bool {
    const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let chars: Vec<char> = code.chars().collect();
    let values: Option<Vec<u32>> = chars[..8].iter().map(|c| c.to_digit(36)).collect();
    let Some(values) = values else { return false };
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let expected = match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        n => char::from_digit(n, 10).expect("a digit"),
    };
    chars[8] == expected
}

/// A mainland mobile number, normalised to its 11 digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MobileNumber(String);

impl MobileNumber {
    pub fn parse(input: &str) -> Result<Self, Violation> {
        let compact: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if compact.is_empty() {
            return Err(Violation::new("required", "请填写手机号码"));
        }
        let digits = compact.strip_prefix("+86").or_else(|| compact.strip_prefix("0086")).unwrap_or(&compact);
        let ok = digits.len() == 11
            && digits.chars().all(|c| c.is_ascii_digit())
            && digits.starts_with('1')
            && matches!(digits.as_bytes()[1], b'3'..=b'9');
        if !ok {
            return Err(Violation::new("format", "手机号码应为1开头的11位数字，例如13800138000"));
        }
        Ok(Self(digits.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address for service (送达地址确认书): one `@`, a local part and a dotted domain of
/// letters, digits and hyphens, at most 254 characters; kept as typed, the domain in lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, Violation> {
        let s = input.trim();
        if s.is_empty() {
            return Err(Violation::new("required", "请填写电子邮箱"));
        }
        let bad = || Violation::new("format", "电子邮箱格式不正确，例如 zhangsan@example.com");
        let (local, domain) = s.rsplit_once('@').ok_or_else(bad)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            && labels.last().is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
        if !local_ok || !domain_ok || s.len() > 254 {
            return Err(bad());
        }
        Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    #[test]
    fn an_email_needs_one_at_a_local_part_and_a_dotted_domain() {
        assert_eq!(EmailAddress::parse(" Zhang.San@Example.COM ").unwrap().as_str(), "Zhang.San@example.com");
        for bad in [
            "zhangsan",
            "@example.com",
            "zhangsan@",
            "zhangsan@localhost",
            "a..b@example.com",
            "张三@example.com",
            "a@exa_mple.com",
            "a@example.c0m",
        ] {
            assert_eq!(EmailAddress::parse(bad).unwrap_err().code, "format", "{bad}");
        }
        assert_eq!(EmailAddress::parse("  ").unwrap_err().code, "required");
    }

    #[test]
    fn the_seventeenth_digit_tells_the_sex_and_the_eighth_to_fourteenth_the_birth_date() {
        let woman = ResidentId::parse("11010519491231002X", today()).unwrap();
        assert_eq!((woman.sex(), woman.birth_date()), ("女", NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()));
        let man = ResidentId::parse("440524188001010014", today()).unwrap();
        assert_eq!(man.sex(), "男");
    }

    #[test]
    fn resident_ids_printed_in_the_standard_pass() {
        for id in ["11010519491231002X", "440524188001010014", "110101199003074477"] {
            assert!(ResidentId::parse(id, today()).is_ok(), "{id}");
        }
    }

    #[test]
    fn resident_id_with_one_wrong_digit_fails_the_check() {
        let e = ResidentId::parse("110101199003074478", today()).unwrap_err();
        assert_eq!(e.code, "check_digit");
    }

    #[test]
    fn resident_id_with_lower_case_x_is_refused() {
        assert_eq!(ResidentId::parse("11010519491231002x", today()).unwrap_err().code, "format");
    }

    #[test]
    fn resident_id_with_impossible_or_future_birth_date_is_refused() {
        // 1990-02-30 does not exist.
        assert_eq!(ResidentId::parse("110101199002300000", today()).unwrap_err().code, "birth_date");
        assert_eq!(ResidentId::parse("110101203001010000", today()).unwrap_err().code, "birth_date");
    }

    #[test]
    fn resident_id_of_wrong_length_is_refused() {
        assert_eq!(ResidentId::parse("1101011990030744", today()).unwrap_err().code, "length");
    }

    #[test]
    fn credit_codes_from_the_standard_and_a_real_company_pass() {
        assert!(CreditCode::parse("91350100M000100Y43").is_ok());
        assert!(CreditCode::parse("914403001922038216").is_ok());
    }

    #[test]
    fn credit_code_with_wrong_check_character_fails() {
        assert_eq!(CreditCode::parse("91350100M000100Y44").unwrap_err().code, "check_digit");
    }

    #[test]
    fn credit_code_with_a_wrong_organisation_code_check_fails_although_its_own_check_holds() {
        // GB 11714: positions 9–17 carry their own check ("M000100Y4"; here 5).
        assert_eq!(CreditCode::parse("91350100M000100Y56").unwrap_err().code, "organisation_code");
    }

    #[test]
    fn credit_code_with_an_unknown_registration_authority_fails() {
        assert_eq!(CreditCode::parse("01350100M000100Y4C").unwrap_err().code, "authority_code");
    }

    #[test]
    fn credit_code_in_lower_case_is_read_in_upper_case() {
        assert_eq!(CreditCode::parse("91350100m000100y43").unwrap().as_str(), "91350100M000100Y43");
    }

    #[test]
    fn resident_id_with_area_code_000000_is_refused() {
        assert_eq!(ResidentId::parse("00000019900307447X", today()).unwrap_err().code, "area_code");
    }

    #[test]
    fn credit_code_with_forbidden_letter_fails_format() {
        assert_eq!(CreditCode::parse("91350100M000100I43").unwrap_err().code, "format");
    }

    #[test]
    fn mobile_numbers_are_normalised() {
        assert_eq!(MobileNumber::parse("+86 138-0013-8000").unwrap().as_str(), "13800138000");
        assert_eq!(MobileNumber::parse("12800138000").unwrap_err().code, "format");
        assert_eq!(MobileNumber::parse("1380013800").unwrap_err().code, "format");
    }
}
