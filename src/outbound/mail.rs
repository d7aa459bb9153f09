//! E-mail through an SMTP relay (lettre): a document's PDF attached, a stable Message-ID per
//! service so a retried send is recognisable as the same message.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// One e-mail to send.
pub struct Mail<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    /// `(file name, PDF)` to attach.
    pub attachment: Option<(&'a str, &'a [u8])>,
    /// The Message-ID's left part, unique per service.
    pub message_id: &'a str,
}

/// The relay's answer to an accepted message: `250 …`.
#[derive(Debug, Clone)]
pub struct Accepted {
    pub reply: String,
}

/// An SMTP relay.
#[derive(Clone)]
pub struct Relay {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    domain: String,
}

impl Relay {
    /// A relay at `host:port`, plain SMTP (a relay on the commission's own network).
    pub fn new(host: &str, port: u16, from: &str) -> Result<Relay, String> {
        let from: Mailbox = from.parse().map_err(|e| format!("发件人无效：{e}"))?;
        let domain = from.email.domain().to_string();
        let transport =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).port(port).timeout(Some(Duration::from_secs(20))).build();
        Ok(Relay { transport, from, domain })
    }

    /// Hands the mail to the relay; `Ok` only on its 2xx acceptance.
    pub async fn send(&self, m: &Mail<'_>) -> Result<Accepted, String> {
        let to: Mailbox = m.to.parse().map_err(|e| format!("收件人无效：{e}"))?;
        let text = SinglePart::builder().header(ContentType::TEXT_PLAIN).body(m.body.to_string());
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject)
            .message_id(Some(format!("<{}@{}>", m.message_id, self.domain)));
        let message = match m.attachment {
            Some((name, pdf)) => {
                let pdf =
                    Attachment::new(name.to_string()).body(pdf.to_vec(), ContentType::parse("application/pdf").expect("a valid type"));
                builder.multipart(MultiPart::mixed().singlepart(text).singlepart(pdf))
            }
            None => builder.singlepart(text),
        }
        .map_err(|e| format!("邮件无法生成：{e}"))?;
        let resp = self.transport.send(message).await.map_err(|e| format!("邮件服务器拒收或不可达：{e}"))?;
        let reply = format!("{} {}", resp.code(), resp.message().collect::<Vec<_>>().join(" "));
        if resp.is_positive() { Ok(Accepted { reply }) } else { Err(format!("邮件服务器拒收：{reply}")) }
    }
}
