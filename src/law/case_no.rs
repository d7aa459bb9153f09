//! Case numbers (案号): `{prefix}〔{year}〕第{seq}号`, numbered per year and never reused.

use std::fmt;

/// A case number allotted at acceptance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseNo {
    pub prefix: String,
    pub year: i32,
    pub seq: i64,
}

impl fmt::Display for CaseNo {
    /// e.g. `中劳人仲案字〔2026〕第123号` (rules.md §4.1; year in 六角括号, no leading zeros).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}〔{}〕第{}号", self.prefix, self.year, self.seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_number_uses_hexagonal_brackets_and_no_leading_zeros() {
        let n = CaseNo { prefix: "中劳人仲案字".into(), year: 2026, seq: 7 };
        assert_eq!(n.to_string(), "中劳人仲案字〔2026〕第7号");
    }
}
