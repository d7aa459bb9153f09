//! The events that move a case's statutory clock, and the rules for when each may be recorded.

use chrono::NaiveDate;
use serde::Serialize;

use crate::law::routing::Track;

/// Grounds for suspending a case (中止, Rules Art. 47).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SuspensionGround {
    /// 劳动者死亡，需要等待继承人表明是否参加仲裁
    WorkerDied,
    /// 劳动者丧失民事行为能力，尚未确定法定代理人
    NoLegalRepresentative,
    /// 用人单位终止，尚未确定权利义务承继者
    EmployerTerminated,
    /// 一方当事人因不可抗力不能参加仲裁
    ForceMajeure,
    /// 案件审理需以其他案件的审理结果为依据，且其他案件尚未审结
    AwaitingOtherCase,
    /// 正在进行工伤认定、伤残等级鉴定或其他鉴定
    AwaitingAssessment,
    /// 其他应当中止的情形
    Other,
}

impl SuspensionGround {
    pub const ALL: [SuspensionGround; 7] = [
        Self::WorkerDied,
        Self::NoLegalRepresentative,
        Self::EmployerTerminated,
        Self::ForceMajeure,
        Self::AwaitingOtherCase,
        Self::AwaitingAssessment,
        Self::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::WorkerDied => "worker_died",
            Self::NoLegalRepresentative => "no_legal_representative",
            Self::EmployerTerminated => "employer_terminated",
            Self::ForceMajeure => "force_majeure",
            Self::AwaitingOtherCase => "awaiting_other_case",
            Self::AwaitingAssessment => "awaiting_assessment",
            Self::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::WorkerDied => "劳动者死亡，等待继承人表明是否参加仲裁",
            Self::NoLegalRepresentative => "劳动者丧失民事行为能力，尚未确定法定代理人",
            Self::EmployerTerminated => "用人单位终止，尚未确定权利义务承继者",
            Self::ForceMajeure => "一方当事人因不可抗力不能参加仲裁",
            Self::AwaitingOtherCase => "需以另一案件的审理结果为依据",
            Self::AwaitingAssessment => "等待工伤认定、伤残等级鉴定或其他鉴定结论",
            Self::Other => "其他应当中止的情形",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.code() == s)
    }
}

/// Events after which the award period starts again (Rules Art. 46).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RestartCause {
    /// 追加当事人或第三人 (Rules Art. 46(1))
    PartyAdded,
    /// 补正材料 — the receipt date becomes the completion date (Rules Art. 46(2))
    MaterialsCompleted,
    /// 增加、变更仲裁请求 (Rules Art. 46(3))
    ClaimsChanged,
    /// 反申请合并审理 (Rules Art. 46(4))
    CounterclaimMerged,
    /// 移送管辖后受理 (Rules Art. 46(5))
    TransferAccepted,
}

impl RestartCause {
    pub const ALL: [RestartCause; 5] =
        [Self::PartyAdded, Self::MaterialsCompleted, Self::ClaimsChanged, Self::CounterclaimMerged, Self::TransferAccepted];

    pub fn code(self) -> &'static str {
        match self {
            Self::PartyAdded => "party_added",
            Self::MaterialsCompleted => "materials_completed",
            Self::ClaimsChanged => "claims_changed",
            Self::CounterclaimMerged => "counterclaim_merged",
            Self::TransferAccepted => "transfer_accepted",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::PartyAdded => "追加当事人或第三人",
            Self::MaterialsCompleted => "申请人补正材料",
            Self::ClaimsChanged => "增加或变更仲裁请求",
            Self::CounterclaimMerged => "反申请合并审理",
            Self::TransferAccepted => "移送管辖后受理",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == s)
    }
}

/// One event of the clock. The date it happened on is kept beside it in [`ClockEntry`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClockEvent {
    /// The respondent received the application copy (送达回证 date).
    CopyServed,
    /// The notice of the tribunal's composition was served.
    TribunalNotified,
    /// The respondent consented to waive the defence period, or to shorten it to `days` working days.
    DefenceWaived { days: Option<u32> },
    /// 中止 with its ground.
    Suspended { ground: SuspensionGround },
    /// 恢复: the cause of the suspension ended.
    Resumed,
    /// 延长审限 by `days` calendar days, approved in writing by `approver`.
    Extended { days: u32, approver: String },
    /// The award period starts again from this day.
    Restarted { cause: RestartCause },
    /// Publication of a notice for service by public notice (公告送达).
    PublicNotice,
}

impl ClockEvent {
    /// The stable code stored and shown in the audit trail.
    pub fn code(&self) -> &'static str {
        match self {
            Self::CopyServed => "copy_served",
            Self::TribunalNotified => "tribunal_notified",
            Self::DefenceWaived { .. } => "defence_waived",
            Self::Suspended { .. } => "suspended",
            Self::Resumed => "resumed",
            Self::Extended { .. } => "extended",
            Self::Restarted { .. } => "restarted",
            Self::PublicNotice => "public_notice",
        }
    }

    /// The event in the commission's words.
    pub fn label(&self) -> String {
        match self {
            Self::CopyServed => "申请书副本已送达被申请人".into(),
            Self::TribunalNotified => "已送达仲裁庭组成通知".into(),
            Self::DefenceWaived { days: None } => "被申请人同意放弃答辩期".into(),
            Self::DefenceWaived { days: Some(n) } => format!("被申请人同意将答辩期缩短为{n}个工作日"),
            Self::Suspended { ground } => format!("中止审理：{}", ground.label()),
            Self::Resumed => "恢复审理".into(),
            Self::Extended { days, approver } => format!("延长审限{days}日（批准人：{approver}）"),
            Self::Restarted { cause } => format!("审限重新计算：{}", cause.label()),
            Self::PublicNotice => "公告送达".into(),
        }
    }
}

/// An event and the day it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockEntry {
    pub on: NaiveDate,
    pub event: ClockEvent,
}

/// Longest extension of the award period, in calendar days (Law Art. 43; Rules Art. 45).
pub const MAX_EXTENSION_DAYS: u32 = 15;
/// Defence period in working days (Law Art. 30; Rules Art. 33).
pub const DEFENCE_WORKING_DAYS: u32 = 10;

/// Why an event may not be recorded now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The event does not fit the case's state (HTTP 409).
    Conflict(String),
    /// A field of the event breaks a rule (HTTP 422).
    Invalid { field: &'static str, code: &'static str, message: String },
}

impl Refusal {
    fn invalid(field: &'static str, code: &'static str, message: impl Into<String>) -> Self {
        Refusal::Invalid { field, code, message: message.into() }
    }
}

/// Decides whether `next` may follow what is already recorded on a case.
///
/// `award_due` is the current deadline (checked for extensions); `today` bounds event dates.
pub fn check_next(
    accepted_on: Option<NaiveDate>,
    filed_on: NaiveDate,
    track: Track,
    recorded: &[ClockEntry],
    award_due: Option<NaiveDate>,
    today: NaiveDate,
    next: &ClockEntry,
) -> Result<(), Refusal> {
    use ClockEvent as E;
    if let Err(e) = crate::law::calendar::WorkingCalendar::check_supported(next.on) {
        return Err(Refusal::invalid("on", "out_of_range", e.to_string()));
    }
    if next.on > today {
        return Err(Refusal::invalid("on", "future_date", format!("日期不能晚于今天（{today}）")));
    }
    let Some(accepted_on) = accepted_on else {
        if !matches!(next.event, E::Restarted { cause: RestartCause::MaterialsCompleted }) {
            return Err(Refusal::Conflict("案件尚未受理，只能记录补正材料".into()));
        }
        if next.on < filed_on {
            return Err(Refusal::invalid("on", "before_filing", format!("日期不能早于申请日期（{filed_on}）")));
        }
        return Ok(());
    };
    if next.on < accepted_on {
        return Err(Refusal::invalid("on", "before_acceptance", format!("日期不能早于受理日期（{accepted_on}）")));
    }
    if let Some(last) = recorded.iter().map(|e| e.on).max().filter(|last| next.on < *last) {
        return Err(Refusal::invalid("on", "before_last_event", format!("日期不能早于上一个已记录的程序事件（{last}）")));
    }
    let suspended = recorded.iter().rev().find_map(|e| match e.event {
        E::Suspended { .. } => Some(true),
        E::Resumed => Some(false),
        _ => None,
    }) == Some(true);
    let once = |pred: fn(&ClockEvent) -> bool, what: &str| {
        if recorded.iter().any(|e| pred(&e.event)) { Err(Refusal::Conflict(format!("已经记录过{what}"))) } else { Ok(()) }
    };
    match &next.event {
        E::Resumed if !suspended => return Err(Refusal::Conflict("案件未中止，无需恢复".into())),
        E::Resumed => return Ok(()),
        _ if suspended => return Err(Refusal::Conflict("案件已中止，请先记录恢复审理".into())),
        _ => {}
    }
    match &next.event {
        E::CopyServed => once(|e| matches!(e, E::CopyServed), "申请书副本送达"),
        E::TribunalNotified => once(|e| matches!(e, E::TribunalNotified), "仲裁庭组成通知"),
        E::DefenceWaived { days } => {
            // Rules Art. 58: shortening or waiving the defence period is a simplified-procedure measure.
            if !matches!(track, Track::Green | Track::Simple) {
                return Err(Refusal::Conflict("只有小额速裁或简易处理的案件可以缩短或放弃答辩期".into()));
            }
            // Rules Art. 57: a respondent served by public notice cannot be reached, so no waiver.
            if recorded.iter().any(|e| e.event == E::PublicNotice) {
                return Err(Refusal::Conflict(
                    "已对被申请人公告送达，被申请人下落不明的案件不得简易处理，不能缩短或放弃答辩期（《劳动人事争议仲裁办案规则》第五十七条）".into(),
                ));
            }
            if days.is_some_and(|d| d >= DEFENCE_WORKING_DAYS) {
                return Err(Refusal::invalid("days", "not_shorter", "缩短后的答辩期应少于10个工作日"));
            }
            once(|e| matches!(e, E::DefenceWaived { .. }), "答辩期的放弃或缩短")
        }
        E::Extended { days, approver } => {
            if *days == 0 {
                return Err(Refusal::invalid("days", "extension_not_positive", "延长审限的天数应至少为1日"));
            }
            if *days > MAX_EXTENSION_DAYS {
                return Err(Refusal::invalid("days", "extension_too_long", "延长审限应为1至15日"));
            }
            if approver.trim().is_empty() {
                return Err(Refusal::invalid("approver", "required", "请填写批准延期的仲裁委员会主任或受委托的仲裁院负责人"));
            }
            // Law Art. 43; Rules Art. 45: extended once, by at most 15 days, before the period ends.
            once(|e| matches!(e, E::Extended { .. }), "延长审限（只能延长一次）")?;
            match award_due {
                Some(due) if next.on > due => Err(Refusal::Conflict(format!("审限已于{due}届满，不能再延长"))),
                _ => Ok(()),
            }
        }
        E::PublicNotice => {
            let running =
                recorded.iter().any(|e| e.event == E::PublicNotice && next.on < e.on + chrono::Days::new(PUBLIC_NOTICE_DAYS as u64));
            if running { Err(Refusal::Conflict("上一次公告送达的公告期尚未届满".into())) } else { Ok(()) }
        }
        // Rules Art. 46(1)(3)–(5): a restart re-runs a limit still running; once it has run out the
        // case is overdue (Law Art. 43) and no later decision revives it.
        E::Restarted { cause } if *cause != RestartCause::MaterialsCompleted => match award_due {
            Some(due) if next.on > due => Err(Refusal::Conflict(format!("审限已于{due}届满，逾期后不能重新计算审限"))),
            _ => Ok(()),
        },
        E::Suspended { .. } | E::Restarted { .. } => Ok(()),
        E::Resumed => unreachable!("handled above"),
    }
}

/// Public notice is deemed served this many calendar days after publication (CPL Art. 95 via Rules Art. 20).
pub const PUBLIC_NOTICE_DAYS: u32 = 30;

/// The side of an award's service. In greenlane the applicants are the workers and the
/// respondents the employers, so the rights notices follow the role (rules.md §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ServedParty {
    /// 申请人 (the worker)
    Applicant,
    /// 被申请人 (the employer)
    Respondent,
}

impl ServedParty {
    pub fn code(self) -> &'static str {
        match self {
            Self::Applicant => "applicant",
            Self::Respondent => "respondent",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Applicant, Self::Respondent].into_iter().find(|p| p.code() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Applicant => "申请人",
            Self::Respondent => "被申请人",
        }
    }
}

/// Decides whether the award (or mediation statement) `award` may be recorded as served on
/// `party` on `on`: not before it was made, not in the future, and once per side.
pub fn check_award_served(award: &super::AwardFacts, party: ServedParty, on: NaiveDate, today: NaiveDate) -> Result<(), Refusal> {
    if let Err(e) = crate::law::calendar::WorkingCalendar::check_supported(on) {
        return Err(Refusal::invalid("on", "out_of_range", e.to_string()));
    }
    if on < award.made_on {
        return Err(Refusal::invalid("on", "before_award", format!("送达日期不能早于文书作出之日（{}）", award.made_on)));
    }
    if on > today {
        return Err(Refusal::invalid("on", "future_date", format!("日期不能晚于今天（{today}）")));
    }
    let already = match party {
        ServedParty::Applicant => award.worker_served_on,
        ServedParty::Respondent => award.employer_served_on,
    };
    match already {
        Some(d) => Err(Refusal::Conflict(format!("已经记录过该文书向{}送达（{d}）", party.label()))),
        None => Ok(()),
    }
}
