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
    fn a_claim_must_be_positive_and_below_the_maximum() {
        assert_eq!(Amount::parse_claim("0.00", MAX_CLAIM).unwrap_err().code, "not_positive");
        assert_eq!(Amount::parse_claim("100000000.01", MAX_CLAIM).unwrap_err().code, "too_large");
        assert!(Amount::parse_claim("100000000.00", MAX_CLAIM).is_ok());
        assert_eq!(Amount::parse("9999999999999999999").unwrap_err().code, "too_large");
    }
}
