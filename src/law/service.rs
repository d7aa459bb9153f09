//! Service of documents (送达): the channels, which channel the law allows for which document on
//! which consent, and the steps a service moves through (service.md; CPL Art. 87–95 via Rules Art. 20).

use serde::Serialize;

use super::Violation;

/// How a document reaches a party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// greenlane's own party pages: delivered when the party opens the document (CPL Art. 90).
    Platform,
    /// E-mail with the PDF attached, to the address the party confirmed (CPL Art. 90).
    Email,
    /// An SMS prompt to look at the party pages: informal service (Rules Art. 59).
    Sms,
    /// 邮寄送达, 仲裁专递: served on the return receipt's date (CPL Art. 91).
    Post,
    /// 直接送达: served on the date the recipient signs (CPL Art. 87–88).
    InPerson,
    /// 留置送达: left at the address when the recipient refuses to sign (CPL Art. 89).
    LeftAtAddress,
    /// 公告送达: deemed served 30 days after publication (CPL Art. 95).
    PublicNotice,
}

impl Channel {
    pub const ALL: [Channel; 7] =
        [Channel::Platform, Channel::Email, Channel::Sms, Channel::Post, Channel::InPerson, Channel::LeftAtAddress, Channel::PublicNotice];

    /// The stable code stored and sent over the API.
    pub const fn code(self) -> &'static str {
        match self {
            Channel::Platform => "platform",
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Post => "post",
            Channel::InPerson => "in_person",
            Channel::LeftAtAddress => "left_at_address",
            Channel::PublicNotice => "public_notice",
        }
    }

    /// The channel in the commission's words.
    pub fn label(self) -> &'static str {
        match self {
            Channel::Platform => "平台送达",
            Channel::Email => "电子邮件送达",
            Channel::Sms => "短信送达",
            Channel::Post => "邮寄送达",
            Channel::InPerson => "直接送达",
            Channel::LeftAtAddress => "留置送达",
            Channel::PublicNotice => "公告送达",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == s)
    }

    /// Electronic service (CPL Art. 90): the commission's system records the delivery.
    pub fn is_electronic(self) -> bool {
        matches!(self, Channel::Platform | Channel::Email | Channel::Sms)
    }

    /// Informal service under the simplified procedure (Rules Art. 59): it grounds no default award
    /// or deemed withdrawal until the party confirms it.
    pub fn is_informal(self) -> bool {
        matches!(self, Channel::Sms)
    }

    /// Channels whose every step a clerk records from paper evidence.
    pub fn is_recorded_by_clerk(self) -> bool {
        matches!(self, Channel::Post | Channel::InPerson | Channel::LeftAtAddress | Channel::PublicNotice)
    }

    /// The heading of the hearing-notice record this channel fills in.
    pub fn notice_channel(self) -> &'static str {
        match self {
            Channel::Platform | Channel::Email | Channel::Sms => "electronic",
            Channel::Post => "post",
            Channel::InPerson | Channel::LeftAtAddress => "in_person",
            Channel::PublicNotice => "public_notice",
        }
    }
}

/// Where a service stands: `pending` → `sent` → `delivered` | `failed`; `cancelled` when another
/// service replaced it before it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ServiceStatus {
    Pending,
    Sent,
    Delivered,
    Failed,
    Cancelled,
}

impl ServiceStatus {
    pub const ALL: [ServiceStatus; 5] =
        [ServiceStatus::Pending, ServiceStatus::Sent, ServiceStatus::Delivered, ServiceStatus::Failed, ServiceStatus::Cancelled];

    pub const fn code(self) -> &'static str {
        match self {
            ServiceStatus::Pending => "pending",
            ServiceStatus::Sent => "sent",
            ServiceStatus::Delivered => "delivered",
            ServiceStatus::Failed => "failed",
            ServiceStatus::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ServiceStatus::Pending => "待发送",
            ServiceStatus::Sent => "已发出",
            ServiceStatus::Delivered => "已送达",
            ServiceStatus::Failed => "送达失败",
            ServiceStatus::Cancelled => "已撤销",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == s)
    }

    /// A service that has ended: nothing more is recorded on it.
    pub fn is_final(self) -> bool {
        matches!(self, ServiceStatus::Delivered | ServiceStatus::Failed | ServiceStatus::Cancelled)
    }
}

/// A step recorded on a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Sent,
    Delivered,
    Failed,
    Cancelled,
}

impl Step {
    /// The status the step leads to.
    pub fn status(self) -> ServiceStatus {
        match self {
            Step::Sent => ServiceStatus::Sent,
            Step::Delivered => ServiceStatus::Delivered,
            Step::Failed => ServiceStatus::Failed,
            Step::Cancelled => ServiceStatus::Cancelled,
        }
    }
}

/// A step of a service's history (as stored) in the words of the case page.
pub fn step_label(code: &str) -> &'static str {
    match code {
        "created" => "开始送达",
        "sent" => "已发出",
        "delivered" => "已送达",
        "failed" => "送达不成",
        "cancelled" => "已撤回",
        "scan" => "上传回证扫描件",
        _ => "其他",
    }
}

/// Whether `step` may follow `status`: a service is sent once, then ends once.
pub fn check_step(status: ServiceStatus, step: Step) -> Result<(), Violation> {
    match (status, step) {
        (ServiceStatus::Pending, _) => Ok(()),
        (ServiceStatus::Sent, Step::Delivered | Step::Failed | Step::Cancelled) => Ok(()),
        (ServiceStatus::Sent, Step::Sent) => Err(Violation::new("already_sent", "该送达已记录发出")),
        (s, _) => Err(Violation::new("service_final", format!("该送达已{}，不能再记录；如需重新送达，请选择其他方式重新送达", s.label()))),
    }
}

/// What a party agreed to in its service-address confirmation (送达地址确认书).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, utoipa::ToSchema)]
pub struct Consent {
    /// Documents on greenlane's party pages.
    pub platform: bool,
    /// An SMS prompt when a document is waiting (a notice, not service).
    pub sms_notice: bool,
    /// Documents by e-mail to the confirmed address.
    pub email: bool,
    /// Electronic service of awards and mediation statements too (CPL Art. 90 needs it explicitly).
    pub electronic_awards: bool,
}

/// What the law needs to know to pick or check a channel for one document to one party.
#[derive(Debug, Clone, Copy)]
pub struct Occasion {
    /// An award or a mediation statement (裁决书, 调解书), not a notice.
    pub decision: bool,
    /// The case runs under the simplified procedure (green or simple track).
    pub simplified: bool,
    /// The applicant's consent to informal service (SMS, telephone, e-mail) at registration.
    pub informal_consent: bool,
    pub consent: Consent,
    pub has_email: bool,
    pub has_phone: bool,
    /// An earlier service of this document to this party failed (public notice may follow).
    pub after_failure: bool,
}

/// The channel a new service takes when nobody chose one: the party's consented electronic
/// channel where the law allows it, else post.
pub fn default_channel(o: &Occasion) -> Channel {
    let c = o.consent;
    let allowed = |ch| check_channel(ch, o).is_ok();
    match () {
        _ if c.email && o.has_email && allowed(Channel::Email) => Channel::Email,
        _ if c.platform && allowed(Channel::Platform) => Channel::Platform,
        _ => Channel::Post,
    }
}

/// Whether `channel` may serve this document on this party, citing the rule it breaks.
pub fn check_channel(channel: Channel, o: &Occasion) -> Result<(), Violation> {
    let c = o.consent;
    match channel {
        // Rules Art. 59: informal means (SMS, telephone, e-mail) never serve an award or mediation statement under the simplified procedure.
        Channel::Sms | Channel::Email if o.decision && o.simplified => Err(Violation::new(
            "informal_decision",
            "简易处理案件的裁决书、调解书不得以短信、电话、电子邮件等简便方式送达（《劳动人事争议仲裁办案规则》第五十九条），请改用平台、邮寄或直接送达",
        )),
        Channel::Sms if o.decision => Err(Violation::new("sms_decision", "短信只能提示查收，不能送达裁决书、调解书")),
        // Rules Art. 59: informal service is a means of the simplified procedure, on the party's consent.
        Channel::Sms if !o.simplified => Err(Violation::new("sms_not_simplified", "短信送达仅适用于简易处理案件")),
        Channel::Sms if !o.informal_consent => Err(Violation::new("no_consent", "当事人未同意以短信等简便方式送达")),
        Channel::Sms if !o.has_phone => Err(Violation::new("no_phone", "当事人未留手机号码")),
        // CPL Art. 90: electronic service of a judgment-like document needs the recipient's explicit consent.
        Channel::Platform | Channel::Email if o.decision && !c.electronic_awards => {
            Err(Violation::new("no_consent_awards", "当事人未同意以电子方式送达裁决书、调解书（《民事诉讼法》第九十条），请邮寄或直接送达"))
        }
        // CPL Art. 90: electronic service only with the recipient's consent to that channel.
        Channel::Email if !c.email => Err(Violation::new("no_consent", "当事人未同意电子邮件送达")),
        Channel::Email if !o.has_email => Err(Violation::new("no_email", "当事人未留电子邮箱")),
        Channel::Platform if !c.platform => Err(Violation::new("no_consent", "当事人未同意平台送达")),
        // CPL Art. 95: public notice only after the other methods failed or the party cannot be found.
        Channel::PublicNotice if !o.after_failure => Err(Violation::new(
            "public_notice_first",
            "公告送达须在其他方式送达失败或下落不明时采用（《民事诉讼法》第九十五条），请先记录送达失败",
        )),
        _ => Ok(()),
    }
}

/// How the commission reads the delivery of an e-mail (CPL Art. 90: when it reaches the
/// recipient's system): the relay's acceptance, or the party's opening of the linked document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EmailDelivery {
    #[default]
    RelayAccepted,
    Opened,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn occasion(decision: bool, simplified: bool, consent: Consent) -> Occasion {
        Occasion { decision, simplified, informal_consent: true, consent, has_email: true, has_phone: true, after_failure: false }
    }

    const ALL_CONSENT: Consent = Consent { platform: true, sms_notice: true, email: true, electronic_awards: true };

    #[test]
    fn no_award_is_served_by_sms_or_email_under_the_simplified_procedure_rules_art_59() {
        let o = occasion(true, true, ALL_CONSENT);
        assert_eq!(check_channel(Channel::Email, &o).unwrap_err().code, "informal_decision");
        assert_eq!(check_channel(Channel::Sms, &o).unwrap_err().code, "informal_decision");
        assert!(check_channel(Channel::Platform, &o).is_ok());
        assert_eq!(default_channel(&o), Channel::Platform);
    }

    #[test]
    fn electronic_service_of_an_award_needs_its_own_consent_cpl_90() {
        let consent = Consent { electronic_awards: false, ..ALL_CONSENT };
        let o = occasion(true, false, consent);
        assert_eq!(check_channel(Channel::Email, &o).unwrap_err().code, "no_consent_awards");
        assert_eq!(check_channel(Channel::Platform, &o).unwrap_err().code, "no_consent_awards");
        assert_eq!(default_channel(&o), Channel::Post);
        assert_eq!(default_channel(&occasion(false, false, consent)), Channel::Email);
    }

    #[test]
    fn without_consent_a_notice_goes_by_post() {
        assert_eq!(default_channel(&occasion(false, true, Consent::default())), Channel::Post);
        let platform_only = Consent { platform: true, ..Consent::default() };
        assert_eq!(default_channel(&occasion(false, true, platform_only)), Channel::Platform);
    }

    #[test]
    fn sms_service_is_informal_and_only_for_the_simplified_procedure() {
        assert!(check_channel(Channel::Sms, &occasion(false, true, Consent::default())).is_ok());
        assert_eq!(check_channel(Channel::Sms, &occasion(false, false, Consent::default())).unwrap_err().code, "sms_not_simplified");
        assert!(Channel::Sms.is_informal() && !Channel::Email.is_informal());
    }

    #[test]
    fn public_notice_only_after_another_channel_failed_cpl_95() {
        let mut o = occasion(false, false, Consent::default());
        assert_eq!(check_channel(Channel::PublicNotice, &o).unwrap_err().code, "public_notice_first");
        o.after_failure = true;
        assert!(check_channel(Channel::PublicNotice, &o).is_ok());
    }

    #[test]
    fn a_service_is_sent_once_and_ends_once() {
        assert!(check_step(ServiceStatus::Pending, Step::Delivered).is_ok());
        assert!(check_step(ServiceStatus::Sent, Step::Failed).is_ok());
        assert_eq!(check_step(ServiceStatus::Sent, Step::Sent).unwrap_err().code, "already_sent");
        for done in [ServiceStatus::Delivered, ServiceStatus::Failed, ServiceStatus::Cancelled] {
            assert_eq!(check_step(done, Step::Delivered).unwrap_err().code, "service_final");
        }
    }

    #[test]
    fn codes_read_back() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.code()), Some(c));
        }
        for s in ServiceStatus::ALL {
            assert_eq!(ServiceStatus::parse(s.code()), Some(s));
        }
    }
}
