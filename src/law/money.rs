//! Money as integer fen (分), parsed from and shown as yuan with two decimals.

use std::fmt;

use super::Violation;

/// An amount of money in fen. Never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(i64);

/// The largest amount a single claim may state: 100,000,000.00 yuan.
pub const MAX_CLAIM: Amount = Amount(100_000_000 * 100);

impl Amount {
    pub const ZERO: Amount = Amount(0);

    pub const fn from_fen(fen: i64) -> Self {
        Self(fen)
    }

    pub const fn from_yuan(yuan: i64) -> Self {
        Self(yuan * 100)
    }

    pub const fn fen(self) -> i64 {
        self.0
    }

    /// Parses a claimed amount: a decimal string in yuan, at most two decimals, above zero, at most `max`.
    pub fn parse_claim(input: &str, max: Amount) -> Result<Self, Violation> {
        let a = Self::parse(input)?;
        if a.0 == 0 {
            return Err(Violation::new("not_positive", "金额应大于0"));
        }
        if a > max {
            return Err(Violation::new("too_large", format!("金额不能超过{}元", max)));
        }
        Ok(a)
    }

    /// Parses a non-negative decimal string in yuan (`"8600"`, `"8600.5"`, `"8600.00"`).
    pub fn parse(input: &str) -> Result<Self, Violation> {
        let s = input.trim();
        if s.is_empty() {
            return Err(Violation::new("required", "请填写金额"));
        }
        if s.starts_with('-') {
            return Err(Violation::new("not_positive", "金额不能为负数"));
        }
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        let digits_ok = |p: &str| p.chars().all(|c| c.is_ascii_digit());
        if int.is_empty() || !digits_ok(int) || !digits_ok(frac) || (s.contains('.') && frac.is_empty()) {
            return Err(Violation::new("format", "金额应写成数字，例如 8600 或 8600.50（单位：元）"));
        }
        if frac.len() > 2 {
            return Err(Violation::new("too_many_decimals", "金额最多保留两位小数（到分）"));
        }
        if int.trim_start_matches('0').len() > 12 {
            return Err(Violation::new("too_large", "金额过大"));
        }
        let yuan: i64 = int.parse().map_err(|_| Violation::new("format", "金额格式错误"))?;
        let mut fen_part = frac.to_string();
        while fen_part.len() < 2 {
            fen_part.push('0');
        }
        let fen: i64 = fen_part.parse().unwrap_or(0);
        Ok(Self(yuan * 100 + fen))
    }

    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        self.0.checked_add(other.0).map(Amount)
    }

    pub fn times(self, n: i64) -> Amount {
        Amount(self.0 * n)
    }
}

impl Amount {
    /// The amount in Chinese capital numerals (大写), as awards and receipts write it:
    /// `8600.00` → `捌仟陆佰元整`, `100005.30` → `壹拾万零伍元叁角`.
    pub fn capital(self) -> String {
        const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
        let (yuan, jiao, fen) = (self.0 / 100, (self.0 / 10) % 10, self.0 % 10);
        let mut out = String::new();
        if yuan > 0 {
            out.push_str(&capital_integer(yuan as u64, &DIGITS));
            out.push('元');
        }
        if jiao == 0 && fen == 0 {
            if yuan == 0 {
                out.push_str("零元");
            }
            out.push('整');
            return out;
        }
        if jiao > 0 {
            out.push(DIGITS[jiao as usize]);
            out.push('角');
        } else if yuan > 0 {
            out.push('零');
        }
        if fen > 0 {
            out.push(DIGITS[fen as usize]);
            out.push('分');
        }
        out
    }
}

/// A positive whole number in capital numerals, in groups of four digits (万, 亿) with one 零
/// wherever zeros come between digits.
fn capital_integer(n: u64, digits: &[char; 10]) -> String {
    const PLACES: [&str; 4] = ["", "拾", "佰", "仟"];
    const GROUPS: [&str; 4] = ["", "万", "亿", "万亿"];
    let mut groups = Vec::new();
    let mut rest = n;
    while rest > 0 {
        groups.push((rest % 10_000) as usize);
        rest /= 10_000;
    }
    let mut out = String::new();
    let mut zero_pending = false;
    for (g, &value) in groups.iter().enumerate().rev() {
        if value == 0 {
            zero_pending = !out.is_empty();
            continue;
        }
        if zero_pending || (!out.is_empty() && value < 1000) {
            out.push('零');
        }
        zero_pending = false;
        let mut zero_inside = false;
        let mut started = false;
        for place in (0..4).rev() {
            let d = value / 10usize.pow(place as u32) % 10;
            if d == 0 {
                zero_inside = started;
                continue;
            }
            if zero_inside {
                out.push('零');
                zero_inside = false;
            }
            out.push(digits[d]);
            out.push_str(PLACES[place]);
            started = true;
        }
        out.push_str(GROUPS[g]);
    }
    out
}

impl fmt::Display for Amount {
    /// Yuan with two decimals, e.g. `8600.00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_to_exact_fen() {
        assert_eq!(Amount::parse("8600.00").unwrap().fen(), 860_000);
        assert_eq!(Amount::parse("8600").unwrap().fen(), 860_000);
        assert_eq!(Amount::parse("0.5").unwrap().fen(), 50);
        assert_eq!(Amount::parse("0.07").unwrap().fen(), 7);
        assert_eq!(Amount::parse("8600.5").unwrap().to_string(), "8600.50");
    }

    #[test]
    fn amounts_with_three_decimals_or_signs_or_commas_are_refused() {
        assert_eq!(Amount::parse("1.234").unwrap_err().code, "too_many_decimals");
        assert_eq!(Amount::parse("-5").unwrap_err().code, "not_positive");
        assert_eq!(Amount::parse("8,600").unwrap_err().code, "format");
        assert_eq!(Amount::parse("12.").unwrap_err().code, "format");
        assert_eq!(Amount::parse("abc").unwrap_err().code, "format");
    }

    #[test]
    fn capital_numerals_follow_the_banking_rules_for_zeros() {
        let cap = |s: &str| Amount::parse(s).unwrap().capital();
        assert_eq!(cap("8600.00"), "捌仟陆佰元整");
        assert_eq!(cap("24960"), "贰万肆仟玖佰陆拾元整");
        assert_eq!(cap("100005.30"), "壹拾万零伍元叁角");
        assert_eq!(cap("1004.05"), "壹仟零肆元零伍分");
        assert_eq!(cap("10"), "壹拾元整");
        assert_eq!(cap("100000000"), "壹亿元整");
        assert_eq!(cap("100010000"), "壹亿零壹万元整");
        assert_eq!(cap("101000"), "壹拾万壹仟元整");
        assert_eq!(cap("100900"), "壹拾万零玖佰元整");
        assert_eq!(cap("0.07"), "柒分");
        assert_eq!(cap("0.5"), "伍角");
        assert_eq!(cap("0"), "零元整");
        assert_eq!(cap("3.21"), "叁元贰角壹分");
    }

    #[test]
    fn a_claim_must_be_positive_and_below_the_maximum() {
        assert_eq!(Amount::parse_claim("0.00", MAX_CLAIM).unwrap_err().code, "not_positive");
        assert_eq!(Amount::parse_claim("100000000.01", MAX_CLAIM).unwrap_err().code, "too_large");
        assert!(Amount::parse_claim("100000000.00", MAX_CLAIM).is_ok());
        assert_eq!(Amount::parse("9999999999999999999").unwrap_err().code, "too_large");
    }
}
