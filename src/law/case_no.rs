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

/// How a party names its case when signing in: the case's id, or its 案号 as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseRef {
    /// The 10-character id given at registration.
    Id(String),
    /// A 案号's year and number (the prefix is the commission's own and not needed to find it).
    Number { year: i32, seq: i64 },
}

impl CaseRef {
    /// Reads a case id, or a 案号 with the year in any brackets (〔2026〕, (2026), （2026）, [2026]
    /// or none) and with or without 第…号: `中劳人仲案字〔2026〕第6号`, `(2026)6号`, `2026第6号`.
    pub fn parse(input: &str) -> Option<CaseRef> {
        let t: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if t.len() == 10 && t.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Some(CaseRef::Id(t.to_ascii_uppercase()));
        }
        // The first run of four digits is the year, the next run of digits the number.
        let mut runs = t.split(|c: char| !c.is_ascii_digit()).filter(|r| !r.is_empty());
        let year = runs.next().filter(|y| y.len() == 4)?.parse::<i32>().ok()?;
        let seq = runs.next()?.parse::<i64>().ok().filter(|n| *n > 0)?;
        // Anything after the number but 号 (and a trailing 案, as in 第6号案) is not a 案号.
        let tail = t.rsplit(|c: char| c.is_ascii_digit()).next().unwrap_or("");
        if runs.next().is_some() || !matches!(tail, "" | "号" | "号案") {
            return None;
        }
        Some(CaseRef::Number { year, seq })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_number_is_found_however_its_year_is_bracketed() {
        let n = Some(CaseRef::Number { year: 2026, seq: 6 });
        for typed in ["中劳人仲案字〔2026〕第6号", "中劳人仲案字(2026)6号", "（2026）第6号", "2026第6号", "[2026]6", " 〔2026〕 第 6 号 "]
        {
            assert_eq!(CaseRef::parse(typed), n, "{typed}");
        }
        assert_eq!(CaseRef::parse("ab12cd34ef"), Some(CaseRef::Id("AB12CD34EF".into())));
        for wrong in ["", "第6号", "2026", "〔2026〕第6号之1", "26第6号", "〔2026〕第0号"] {
            assert_eq!(CaseRef::parse(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn case_number_uses_hexagonal_brackets_and_no_leading_zeros() {
        let n = CaseNo { prefix: "中劳人仲案字".into(), year: 2026, seq: 7 };
        assert_eq!(n.to_string(), "中劳人仲案字〔2026〕第7号");
    }
}
