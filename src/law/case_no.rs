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

/// What staff type to find a case by its number: a year and a number, or a number alone. Tolerant
/// of what people paste (issue 23): the sub-number of a split award (`第6-1号`), ASCII or full-width
/// digits and brackets, no 第 or 号, `2026第6号`, or the digits only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberQuery {
    pub year: Option<i32>,
    pub seq: i64,
}

impl NumberQuery {
    /// `None` when the text has no digits, or more than a year, a number and a sub-number.
    pub fn parse(input: &str) -> Option<NumberQuery> {
        let ascii: String = input
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '－' | '—' | '–' => '-',
                c => c,
            })
            .collect();
        let runs: Vec<&str> = ascii.split(|c: char| !c.is_ascii_digit()).filter(|r| !r.is_empty()).collect();
        let year_like = |r: &str| r.len() == 4 && r.parse::<i32>().is_ok_and(|y| (2000..=2099).contains(&y));
        let (year, rest) = match runs.as_slice() {
            [y, rest @ ..] if year_like(y) && !rest.is_empty() => (y.parse().ok(), rest),
            all => (None, all),
        };
        // A number, then at most the part of a split award (the 1 of 第6-1号), which finds its case.
        let seq = match rest {
            [seq] => seq,
            [seq, part] if ascii.contains(&format!("{seq}-{part}")) => seq,
            _ => return None,
        };
        let seq = seq.parse::<i64>().ok().filter(|n| (1..=9_999_999).contains(n))?;
        Some(NumberQuery { year, seq })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_find_a_case_number_however_it_is_typed() {
        let both = Some(NumberQuery { year: Some(2026), seq: 6 });
        for typed in [
            "中劳人仲案字〔2026〕第6号",
            "中劳人仲案字〔2026〕第6-1号",
            "中劳人仲案字[2026]第6-2号",
            "(2026)6",
            "（２０２６）第６号",
            "2026第6号",
            "2026-6",
        ] {
            assert_eq!(NumberQuery::parse(typed), both, "{typed}");
        }
        assert_eq!(NumberQuery::parse("6"), Some(NumberQuery { year: None, seq: 6 }));
        assert_eq!(NumberQuery::parse("第6号"), Some(NumberQuery { year: None, seq: 6 }));
        assert_eq!(NumberQuery::parse("张三"), None);
        assert_eq!(NumberQuery::parse("2026年3月5日"), None, "a date is not a case number");
    }

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
