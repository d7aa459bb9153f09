//! What a court did with an award: whether a party sued or petitioned to revoke it, and the
//! result; which remedies each kind of award allows; and how a split case's awards sum up.

/// Whether a party took the award to court (rules.md §1.15).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CourtOutcome {
    /// 未起诉: no party sued or petitioned in time.
    NoSuit,
    /// 当事人起诉 on the dispute (Law Art. 48, 50).
    Suit,
    /// 申请撤销裁决: the employer petitioned to revoke a final award (Law Art. 49).
    RevocationPetition,
}

/// What the court decided on a suit or petition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CourtResult {
    /// 审理中
    Pending,
    /// 维持/驳回: the award stands.
    Upheld,
    /// 改判
    Changed,
    /// 撤销裁决
    Revoked,
    /// 撤诉: the award stands.
    Withdrawn,
}

impl CourtOutcome {
    pub const ALL: [CourtOutcome; 3] = [CourtOutcome::NoSuit, CourtOutcome::Suit, CourtOutcome::RevocationPetition];

    pub const fn code(self) -> &'static str {
        match self {
            CourtOutcome::NoSuit => "no_suit",
            CourtOutcome::Suit => "suit",
            CourtOutcome::RevocationPetition => "revocation_petition",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            CourtOutcome::NoSuit => "未起诉",
            CourtOutcome::Suit => "当事人起诉",
            CourtOutcome::RevocationPetition => "申请撤销裁决",
        }
    }

    pub fn parse(s: &str) -> Option<CourtOutcome> {
        CourtOutcome::ALL.into_iter().find(|o| o.code() == s)
    }

    /// Whether an award of this finality can meet this outcome: only a final award can be
    /// petitioned against (Law Art. 49); a non-final one is sued on (Law Art. 50).
    pub fn allowed_for(self, final_award: bool) -> bool {
        final_award || self != CourtOutcome::RevocationPetition
    }
}

impl CourtResult {
    pub const ALL: [CourtResult; 5] =
        [CourtResult::Pending, CourtResult::Upheld, CourtResult::Changed, CourtResult::Revoked, CourtResult::Withdrawn];

    pub const fn code(self) -> &'static str {
        match self {
            CourtResult::Pending => "pending",
            CourtResult::Upheld => "upheld",
            CourtResult::Changed => "changed",
            CourtResult::Revoked => "revoked",
            CourtResult::Withdrawn => "withdrawn",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            CourtResult::Pending => "审理中",
            CourtResult::Upheld => "维持/驳回",
            CourtResult::Changed => "改判",
            CourtResult::Revoked => "撤销裁决",
            CourtResult::Withdrawn => "撤诉",
        }
    }

    pub fn parse(s: &str) -> Option<CourtResult> {
        CourtResult::ALL.into_iter().find(|r| r.code() == s)
    }

    /// Whether the award survives this result.
    const fn award_stands(self) -> bool {
        matches!(self, CourtResult::Upheld | CourtResult::Withdrawn)
    }
}

/// The court record of one award, or of a whole case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CourtRecord {
    pub outcome: CourtOutcome,
    /// `None` exactly when no party went to court.
    pub result: Option<CourtResult>,
}

/// The case's record from those of its awards, once every award has one (`None` before).
///
/// Choice (listed in the README): a suit on any part prevents the whole from taking effect (rules.md
/// §1.15, "a suit against part of the items prevents the whole award from taking effect"), so a suit
/// outranks a petition, and a petition outranks no suit. The result is the least favourable to the
/// awards: pending while any court part is pending, else the first that undid an award, else the
/// one that left it standing.
pub fn case_record(awards: &[Option<CourtRecord>]) -> Option<CourtRecord> {
    let records: Vec<CourtRecord> = awards.iter().copied().collect::<Option<_>>()?;
    let rank = |o: CourtOutcome| match o {
        CourtOutcome::NoSuit => 0,
        CourtOutcome::RevocationPetition => 1,
        CourtOutcome::Suit => 2,
    };
    let outcome = records.iter().map(|r| r.outcome).max_by_key(|o| rank(*o))?;
    let results: Vec<CourtResult> = records.iter().filter_map(|r| r.result).collect();
    let result = if outcome == CourtOutcome::NoSuit {
        None
    } else if results.contains(&CourtResult::Pending) {
        Some(CourtResult::Pending)
    } else {
        results.iter().copied().find(|r| !r.award_stands()).or(results.first().copied())
    };
    Some(CourtRecord { outcome, result })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(outcome: CourtOutcome, result: Option<CourtResult>) -> Option<CourtRecord> {
        Some(CourtRecord { outcome, result })
    }

    #[test]
    fn a_non_final_award_is_sued_on_never_petitioned_against() {
        assert!(CourtOutcome::RevocationPetition.allowed_for(true));
        assert!(!CourtOutcome::RevocationPetition.allowed_for(false));
        assert!(CourtOutcome::Suit.allowed_for(false) && CourtOutcome::NoSuit.allowed_for(false));
    }

    #[test]
    fn a_split_case_has_no_court_record_until_both_awards_have_one() {
        assert_eq!(case_record(&[rec(CourtOutcome::NoSuit, None), None]), None);
        assert_eq!(case_record(&[]), None);
    }

    #[test]
    fn a_suit_on_the_non_final_part_outranks_no_suit_on_the_final_part() {
        let whole = case_record(&[rec(CourtOutcome::NoSuit, None), rec(CourtOutcome::Suit, Some(CourtResult::Pending))]);
        assert_eq!(whole, rec(CourtOutcome::Suit, Some(CourtResult::Pending)));
    }

    #[test]
    fn a_petition_dismissed_and_no_suit_leave_the_case_standing() {
        let whole = case_record(&[rec(CourtOutcome::RevocationPetition, Some(CourtResult::Upheld)), rec(CourtOutcome::NoSuit, None)]);
        assert_eq!(whole, rec(CourtOutcome::RevocationPetition, Some(CourtResult::Upheld)));
    }

    #[test]
    fn a_revoked_part_is_what_the_case_shows_once_nothing_is_pending() {
        let whole = case_record(&[
            rec(CourtOutcome::RevocationPetition, Some(CourtResult::Revoked)),
            rec(CourtOutcome::Suit, Some(CourtResult::Withdrawn)),
        ]);
        assert_eq!(whole, rec(CourtOutcome::Suit, Some(CourtResult::Revoked)));
    }

    #[test]
    fn codes_read_back() {
        for o in CourtOutcome::ALL {
            assert_eq!(CourtOutcome::parse(o.code()), Some(o));
        }
        for r in CourtResult::ALL {
            assert_eq!(CourtResult::parse(r.code()), Some(r));
        }
    }
}
