//! Whether an award is final, item by item, and how a mixed award is split (Law Art. 47; Rules Art. 50).

use serde::Serialize;

use super::application::ClaimKind;
use super::money::Amount;
use super::routing::final_eligible;

/// Final (终局) or not: decides the rights notice and who may go to which court.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Finality {
    Final,
    NonFinal,
}

/// One award document of a case: its finality, the indexes of its items, and the suffix of its number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardPart {
    pub finality: Finality,
    pub items: Vec<usize>,
    /// `-1` for the final part and `-2` for the other when a case is split; `None` when it is not.
    pub suffix: Option<&'static str>,
}

/// Interp-I Art. 19: each item is tested by the amount awarded, not the amount claimed.
pub fn item_finality(kind: ClaimKind, awarded: Amount, limit: Amount) -> Finality {
    if final_eligible(kind, Some(awarded), limit) { Finality::Final } else { Finality::NonFinal }
}

/// Rules Art. 50 para 2: final and non-final items go into separate awards, numbered `…-1号` and `…-2号`.
pub fn split(items: &[(ClaimKind, Amount)], limit: Amount) -> Vec<AwardPart> {
    let (finals, others): (Vec<usize>, Vec<usize>) =
        (0..items.len()).partition(|&i| item_finality(items[i].0, items[i].1, limit) == Finality::Final);
    match (finals.is_empty(), others.is_empty()) {
        (false, true) => vec![AwardPart { finality: Finality::Final, items: finals, suffix: None }],
        (true, _) => vec![AwardPart { finality: Finality::NonFinal, items: others, suffix: None }],
        (false, false) => vec![
            AwardPart { finality: Finality::Final, items: finals, suffix: Some("-1") },
            AwardPart { finality: Finality::NonFinal, items: others, suffix: Some("-2") },
        ],
    }
}

/// The number of one part: `中劳人仲案字〔2026〕第12号` with suffix `-1` → `中劳人仲案字〔2026〕第12-1号`.
pub fn part_number(case_no: &str, suffix: Option<&str>) -> String {
    match suffix {
        Some(s) => format!("{}{s}号", case_no.strip_suffix('号').unwrap_or(case_no)),
        None => case_no.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: Amount = Amount::from_yuan(24_960);

    #[test]
    fn wages_within_twelve_months_minimum_wage_are_final_by_the_amount_awarded() {
        assert_eq!(item_finality(ClaimKind::UnpaidWages, Amount::from_yuan(24_960), LIMIT), Finality::Final);
        assert_eq!(item_finality(ClaimKind::UnpaidWages, Amount::from_fen(2_496_001), LIMIT), Finality::NonFinal);
        // A claim dismissed in full is decided finally too (awarded 0 ≤ the limit).
        assert_eq!(item_finality(ClaimKind::EconomicCompensation, Amount::ZERO, LIMIT), Finality::Final);
    }

    #[test]
    fn working_time_standards_are_final_whatever_the_amount_and_confirming_employment_never() {
        assert_eq!(item_finality(ClaimKind::WorkingTimeStandards, Amount::from_yuan(90_000), LIMIT), Finality::Final);
        assert_eq!(item_finality(ClaimKind::ConfirmEmployment, Amount::ZERO, LIMIT), Finality::NonFinal);
    }

    #[test]
    fn a_mixed_award_splits_into_dash_one_final_and_dash_two_non_final() {
        let items = [
            (ClaimKind::UnpaidWages, Amount::from_yuan(8_600)),
            (ClaimKind::UnlawfulTerminationDamages, Amount::from_yuan(60_000)),
            (ClaimKind::OvertimePay, Amount::from_yuan(3_000)),
        ];
        let parts = split(&items, LIMIT);
        assert_eq!(parts.len(), 2);
        assert_eq!((parts[0].finality, &parts[0].items[..], parts[0].suffix), (Finality::Final, &[0, 2][..], Some("-1")));
        assert_eq!((parts[1].finality, &parts[1].items[..], parts[1].suffix), (Finality::NonFinal, &[1][..], Some("-2")));
        assert_eq!(part_number("中劳人仲案字〔2026〕第12号", Some("-1")), "中劳人仲案字〔2026〕第12-1号");
    }

    #[test]
    fn an_award_with_only_final_items_is_one_final_award_under_the_case_number() {
        let parts = split(&[(ClaimKind::UnpaidWages, Amount::from_yuan(100))], LIMIT);
        assert_eq!(parts, vec![AwardPart { finality: Finality::Final, items: vec![0], suffix: None }]);
        assert_eq!(part_number("中劳人仲案字〔2026〕第12号", None), "中劳人仲案字〔2026〕第12号");
    }
}
