//! The wording of the notifications to the parties (issue 21 §7): SMS and e-mail at each step of a
//! case, which are not service. Minijinja templates under `templates/notifications/`, one per
//! occasion with a `subject`, an `sms` and an `email` block, read at start like the documents'
//! (a file missing there comes from the binary) and tried on sample data before anyone is sent one.
//! Pure: data in, text out.

use std::path::Path;

use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

use crate::documents::templates::TemplateError;

/// Why a party is sent a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occasion {
    /// The application was accepted.
    Accepted,
    /// A hearing was fixed.
    HearingSet,
    /// A hearing was moved.
    HearingChanged,
    /// A document waits on the party's pages.
    DocumentWaiting,
    /// A hearing or a period is close.
    Deadline,
    /// The respondent answered online (to the applicants).
    DefenceReceived,
}

impl Occasion {
    pub const ALL: [Occasion; 6] = [
        Occasion::Accepted,
        Occasion::HearingSet,
        Occasion::HearingChanged,
        Occasion::DocumentWaiting,
        Occasion::Deadline,
        Occasion::DefenceReceived,
    ];

    /// The stored kind.
    pub fn code(self) -> &'static str {
        match self {
            Occasion::Accepted => "accepted",
            Occasion::HearingSet => "hearing_set",
            Occasion::HearingChanged => "hearing_changed",
            Occasion::DocumentWaiting => "document_waiting",
            Occasion::Deadline => "deadline",
            Occasion::DefenceReceived => "defence_received",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Occasion::Accepted => "受理提醒",
            Occasion::HearingSet => "开庭提醒",
            Occasion::HearingChanged => "开庭变更提醒",
            Occasion::DocumentWaiting => "文书待查收提醒",
            Occasion::Deadline => "期限提醒",
            Occasion::DefenceReceived => "答辩提醒",
        }
    }

    fn template(self) -> String {
        format!("{}.txt", self.code())
    }
}

const FOOTER: &str = "_footer.txt";

/// The built-in wording.
const BUILT_IN: [(&str, &str); 7] = [
    ("accepted.txt", include_str!("../templates/notifications/accepted.txt")),
    ("hearing_set.txt", include_str!("../templates/notifications/hearing_set.txt")),
    ("hearing_changed.txt", include_str!("../templates/notifications/hearing_changed.txt")),
    ("document_waiting.txt", include_str!("../templates/notifications/document_waiting.txt")),
    ("deadline.txt", include_str!("../templates/notifications/deadline.txt")),
    ("defence_received.txt", include_str!("../templates/notifications/defence_received.txt")),
    (FOOTER, include_str!("../templates/notifications/_footer.txt")),
];

/// What fills a notification. It has no field for an access code, so none can be sent.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facts {
    pub commission: String,
    /// The party's name.
    pub name: String,
    pub case_no: String,
    /// Where the parties sign in.
    pub link: String,
    /// A Chinese date (accepted).
    pub date: String,
    /// A hearing's day and time in Chinese, its place, and before a move the old time.
    pub when: String,
    pub place: String,
    pub before: String,
    /// A deadline: what ends, when, and what to do.
    pub what: String,
    pub by: String,
    pub advice: String,
}

/// A notification ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub subject: String,
    pub body: String,
}

/// Every occasion's wording, compiled.
pub struct Wording {
    env: Environment<'static>,
}

impl Wording {
    /// Reads the wording from `dir` (any file missing there comes from the binary) and fills each
    /// with sample facts, so a placeholder the data lacks is found at start.
    pub fn load(dir: Option<&Path>) -> Result<Wording, TemplateError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        for (name, built_in) in BUILT_IN {
            let source = match dir.map(|d| d.join(name)).filter(|p| p.is_file()) {
                Some(p) => std::fs::read_to_string(&p).map_err(|e| TemplateError { file: name.into(), message: e.to_string() })?,
                None => built_in.to_string(),
            };
            env.add_template_owned(name, source).map_err(|e| error(name, &e))?;
        }
        let w = Wording { env };
        for occasion in Occasion::ALL {
            w.sms(occasion, &sample())?;
            w.email(occasion, &sample(), "https://example.cn/notifications/opt-out/x")?;
        }
        Ok(w)
    }

    fn block(&self, name: &str, block: &str, facts: &impl Serialize) -> Result<String, TemplateError> {
        let t = self.env.get_template(name).map_err(|e| error(name, &e))?;
        let mut captured = t.render_captured(minijinja::value::Serde(facts)).map_err(|e| error(name, &e))?;
        let text = captured.with_state_mut(|s| s.render_block(block)).map_err(|e| error(name, &e))?;
        Ok(text.trim().to_string())
    }

    /// The SMS text of the occasion.
    pub fn sms(&self, occasion: Occasion, facts: &Facts) -> Result<String, TemplateError> {
        self.block(&occasion.template(), "sms", facts)
    }

    /// The e-mail of the occasion, ending with the footer and its opt-out link.
    pub fn email(&self, occasion: Occasion, facts: &Facts, opt_out: &str) -> Result<Message, TemplateError> {
        let name = occasion.template();
        let subject = self.block(&name, "subject", facts)?;
        let body = self.block(&name, "email", facts)?;
        let footer_facts = serde_json::json!({ "commission": facts.commission, "opt_out": opt_out });
        let t = self.env.get_template(FOOTER).map_err(|e| error(FOOTER, &e))?;
        let footer = t.render(minijinja::value::Serde(&footer_facts)).map_err(|e| error(FOOTER, &e))?;
        Ok(Message { subject, body: format!("{body}\n\n{}\n", footer.trim()) })
    }
}

fn error(file: &str, e: &minijinja::Error) -> TemplateError {
    let line = e.line().map(|l| format!("第{l}行：")).unwrap_or_default();
    TemplateError { file: format!("notifications/{file}"), message: format!("{line}{e}") }
}

fn sample() -> Facts {
    Facts {
        commission: "中山市劳动人事争议仲裁委员会".into(),
        name: "张三".into(),
        case_no: "中劳人仲案字〔2026〕第1号".into(),
        link: "https://arb.example.cn".into(),
        date: "2026年11月16日".into(),
        when: "2026年12月2日上午9时".into(),
        place: "第一审理庭".into(),
        before: "2026年11月30日上午9时".into(),
        what: "开庭".into(),
        by: "2026年12月2日上午9时".into(),
        advice: "请按时到庭。".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_occasion_has_an_sms_and_an_email_with_an_opt_out_link() {
        let w = Wording::load(None).unwrap();
        for o in Occasion::ALL {
            let sms = w.sms(o, &sample()).unwrap();
            assert!(sms.starts_with("【中山市劳动人事争议仲裁委员会】"), "{sms}");
            let mail = w.email(o, &sample(), "https://arb.example.cn/notifications/opt-out/abc").unwrap();
            assert!(!mail.subject.is_empty() && !mail.subject.contains('\n'), "{mail:?}");
            assert!(mail.body.ends_with("https://arb.example.cn/notifications/opt-out/abc\n"), "{}", mail.body);
        }
    }

    #[test]
    fn the_document_waiting_sms_names_no_case() {
        let w = Wording::load(None).unwrap();
        let sms = w.sms(Occasion::DocumentWaiting, &sample()).unwrap();
        assert!(!sms.contains("2026") && !sms.contains("张三"), "{sms}");
    }

    #[test]
    fn a_commission_s_wording_with_an_unknown_placeholder_is_refused_at_start() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("accepted.txt"),
            "{% block subject %}x{% endblock %}{% block sms %}{{ access_code }}{% endblock %}{% block email %}y{% endblock %}",
        )
        .unwrap();
        let e = Wording::load(Some(dir.path())).err().expect("an unknown placeholder");
        assert!(e.file.contains("accepted.txt"), "{e}");
    }
}
