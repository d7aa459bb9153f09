//! A case's lifecycle: its status and how it ended, with the codes stored and shown by the API
//! and the labels people read.

use serde::{Deserialize, Serialize};

/// Where a case stands (api.md "Statuses").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 待受理: registered, waiting for the decision on acceptance (Law Art. 29).
    Filed,
    /// 已受理
    Accepted,
    /// 不予受理
    Rejected,
    /// 已安排开庭
    Scheduled,
    /// 已开庭
    Heard,
    /// 中止审理 (Rules Art. 47)
    Suspended,
    /// 已结案, with an [`Outcome`]
    Closed,
}

impl Status {
    pub const ALL: [Status; 7] =
        [Status::Filed, Status::Accepted, Status::Rejected, Status::Scheduled, Status::Heard, Status::Suspended, Status::Closed];

    /// Accepted and not yet ended: the award period runs (or is suspended).
    pub const RUNNING: [Status; 4] = [Status::Accepted, Status::Scheduled, Status::Heard, Status::Suspended];

    pub const fn code(self) -> &'static str {
        match self {
            Status::Filed => "filed",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
            Status::Scheduled => "scheduled",
            Status::Heard => "heard",
            Status::Suspended => "suspended",
            Status::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.code() == s)
    }

    /// The status in the commission's words.
    pub fn label(self) -> &'static str {
        match self {
            Status::Filed => "待受理",
            Status::Accepted => "已受理",
            Status::Rejected => "不予受理",
            Status::Scheduled => "已安排开庭",
            Status::Heard => "已开庭",
            Status::Suspended => "中止审理",
            Status::Closed => "已结案",
        }
    }

    /// Accepted and not yet ended: the award period runs (or is suspended).
    pub fn is_running(self) -> bool {
        Status::RUNNING.contains(&self)
    }

    /// Ended, by refusal or closure: nothing more may be recorded on the clock.
    pub fn is_final(self) -> bool {
        matches!(self, Status::Rejected | Status::Closed)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// How a closed case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 裁决 (Law Art. 47–50)
    Award,
    /// 调解 (Law Art. 42)
    Mediation,
    /// 撤回申请 (Rules Art. 35)
    Withdrawn,
    /// 按撤回申请处理 (Law Art. 36)
    DeemedWithdrawn,
    /// 撤销案件 (Rules Art. 32)
    Revoked,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [Outcome::Award, Outcome::Mediation, Outcome::Withdrawn, Outcome::DeemedWithdrawn, Outcome::Revoked];

    pub const fn code(self) -> &'static str {
        match self {
            Outcome::Award => "award",
            Outcome::Mediation => "mediation",
            Outcome::Withdrawn => "withdrawn",
            Outcome::DeemedWithdrawn => "deemed_withdrawn",
            Outcome::Revoked => "revoked",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|x| x.code() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Award => "裁决",
            Outcome::Mediation => "调解",
            Outcome::Withdrawn => "撤回申请",
            Outcome::DeemedWithdrawn => "按撤回申请处理",
            Outcome::Revoked => "撤销案件",
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_and_outcome_reads_back_from_its_code() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(s));
        }
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.code()), Some(o));
        }
        assert_eq!(Status::parse("open"), None);
    }

    #[test]
    fn a_running_case_is_accepted_and_not_ended() {
        assert!(!Status::Filed.is_running() && Status::Suspended.is_running() && !Status::Closed.is_running());
        assert!(Status::Rejected.is_final() && Status::Closed.is_final() && !Status::Heard.is_final());
    }
}
