//! The grounds on which a commission refuses an application (不予受理), each with the articles
//! it rests on (Law Art. 29; Rules Art. 30–31, 34).
//!
//! Rules Art. 30 lists the conditions of acceptance: scope, clear claims with facts and reasons,
//! an applicant directly concerned and a clear respondent, the commission's own jurisdiction
//! (rules.md §1.2; the list is marked unconfirmed there). The limitation period is not among them
//! (rules.md §1.1): it is a defence for the tribunal, and offered as a ground only where a
//! commission's practice differs (`refuse_on_time_bar`).

use super::Violation;

/// A standard ground of refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Ground {
    /// 不属于受理范围 (Law Art. 2; Rules Art. 2, 30(1)).
    OutOfScope,
    /// 没有明确的仲裁请求和事实、理由 (Rules Art. 30(2)).
    NoClearClaims,
    /// 申请人不适格 (Rules Art. 30(3)).
    ApplicantNotConcerned,
    /// 没有明确的被申请人 (Rules Art. 30(3)).
    NoClearRespondent,
    /// 不属于本委管辖 (Law Art. 21; Rules Art. 8, 30(4), 31).
    NoJurisdiction,
    /// 一事不再理 (Rules Art. 34).
    AlreadyDecided,
    /// 超过仲裁时效 (Law Art. 27), only where the commission refuses on it.
    TimeBarred,
}

impl Ground {
    pub const ALL: [Ground; 7] = [
        Ground::OutOfScope,
        Ground::NoClearClaims,
        Ground::ApplicantNotConcerned,
        Ground::NoClearRespondent,
        Ground::NoJurisdiction,
        Ground::AlreadyDecided,
        Ground::TimeBarred,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Ground::OutOfScope => "out_of_scope",
            Ground::NoClearClaims => "no_clear_claims",
            Ground::ApplicantNotConcerned => "applicant_not_concerned",
            Ground::NoClearRespondent => "no_clear_respondent",
            Ground::NoJurisdiction => "no_jurisdiction",
            Ground::AlreadyDecided => "already_decided",
            Ground::TimeBarred => "time_barred",
        }
    }

    /// The ground as the clerk picks it.
    pub fn label(self) -> &'static str {
        match self {
            Ground::OutOfScope => "不属于受理范围",
            Ground::NoClearClaims => "没有明确的仲裁请求和事实理由",
            Ground::ApplicantNotConcerned => "申请人不适格",
            Ground::NoClearRespondent => "没有明确的被申请人",
            Ground::NoJurisdiction => "不属于本委管辖",
            Ground::AlreadyDecided => "一事不再理",
            Ground::TimeBarred => "超过仲裁时效",
        }
    }

    /// The sentence the notice states, without its full stop.
    pub fn sentence(self) -> &'static str {
        match self {
            Ground::OutOfScope => "申请人的仲裁请求不属于劳动人事争议仲裁的受理范围",
            Ground::NoClearClaims => "仲裁申请没有明确的仲裁请求和事实、理由",
            Ground::ApplicantNotConcerned => "申请人不是与本案有直接利害关系的当事人",
            Ground::NoClearRespondent => "仲裁申请没有明确的被申请人",
            Ground::NoJurisdiction => "本案不属于本委管辖",
            Ground::AlreadyDecided => "申请人就同一事实、理由和仲裁请求已申请仲裁，本委已依法处理",
            Ground::TimeBarred => "申请人的仲裁申请已超过仲裁时效",
        }
    }

    /// The articles the ground rests on, as the notice cites them.
    pub fn basis(self) -> &'static str {
        match self {
            Ground::OutOfScope => "《中华人民共和国劳动争议调解仲裁法》第二条、《劳动人事争议仲裁办案规则》第二条和第三十条第（一）项",
            Ground::NoClearClaims => "《劳动人事争议仲裁办案规则》第三十条第（二）项",
            Ground::ApplicantNotConcerned | Ground::NoClearRespondent => "《劳动人事争议仲裁办案规则》第三十条第（三）项",
            Ground::NoJurisdiction => {
                "《中华人民共和国劳动争议调解仲裁法》第二十一条、《劳动人事争议仲裁办案规则》第八条和第三十条第（四）项"
            }
            Ground::AlreadyDecided => "《劳动人事争议仲裁办案规则》第三十四条",
            Ground::TimeBarred => "《中华人民共和国劳动争议调解仲裁法》第二十七条",
        }
    }

    /// The grounds a commission offers: all but the time bar unless it refuses on that.
    pub fn offered(time_bar: bool) -> impl Iterator<Item = Ground> {
        Ground::ALL.into_iter().filter(move |g| time_bar || *g != Ground::TimeBarred)
    }

    /// Parses a ground's code among those offered.
    pub fn parse(code: &str, time_bar: bool) -> Result<Ground, Violation> {
        Ground::offered(time_bar).find(|g| g.code() == code.trim()).ok_or_else(|| {
            let known: Vec<String> = Ground::offered(time_bar).map(|g| format!("{}（{}）", g.code(), g.label())).collect();
            Violation::new("unknown_ground", format!("不予受理的理由应为：{}", known.join("、")))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ground_names_its_article() {
        for g in Ground::ALL {
            assert!(g.basis().contains('第') && g.basis().contains('条'), "{g:?}");
        }
    }

    #[test]
    fn the_time_bar_is_no_ground_unless_the_commission_refuses_on_it() {
        assert_eq!(Ground::parse("time_barred", false).unwrap_err().code, "unknown_ground");
        assert_eq!(Ground::parse("time_barred", true).unwrap(), Ground::TimeBarred);
        assert_eq!(Ground::parse(" out_of_scope ", false).unwrap(), Ground::OutOfScope);
    }
}
