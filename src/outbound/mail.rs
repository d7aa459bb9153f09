//! E-mail through an SMTP relay (lettre): a document's PDF attached, a stable Message-ID per
//! service so a retried send is recognisable as the same message.

use std::time::Duration;

use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::extension::ClientId;

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

/// How long connecting, or one message's whole exchange, may take.
const TIMEOUT: Duration = Duration::from_secs(20);
/// Idle connections kept for the next messages.
const KEEP: usize = 4;

/// An SMTP relay. Connections are kept open between messages, with `TCP_NODELAY`: lettre's own
/// transport leaves Nagle's algorithm on, and a small message's last write then waits for the
/// relay's delayed ACK (about 40 ms a notification, measured against aiosmtpd).
#[derive(Clone)]
pub struct Relay {
    host: String,
    port: u16,
    from: Mailbox,
    domain: String,
    idle: std::sync::Arc<std::sync::Mutex<Vec<AsyncSmtpConnection>>>,
}

impl Relay {
    /// A relay at `host:port`, plain SMTP (a relay on the commission's own network).
    pub fn new(host: &str, port: u16, from: &str) -> Result<Relay, String> {
        let from: Mailbox = from.parse().map_err(|e| format!("发件人无效：{e}"))?;
        let domain = from.email.domain().to_string();
        Ok(Relay { host: host.to_string(), port, from, domain, idle: Default::default() })
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, String> {
        let unreachable = |e: &dyn std::fmt::Display| format!("邮件服务器拒收或不可达：{e}");
        let stream = tokio::time::timeout(TIMEOUT, tokio::net::TcpStream::connect((self.host.as_str(), self.port)))
            .await
            .map_err(|e| unreachable(&e))?
            .map_err(|e| unreachable(&e))?;
        stream.set_nodelay(true).map_err(|e| unreachable(&e))?;
        let hello = ClientId::Domain(self.domain.clone());
        tokio::time::timeout(TIMEOUT, AsyncSmtpConnection::connect_with_transport(Box::new(stream), &hello))
            .await
            .map_err(|e| unreachable(&e))?
            .map_err(|e| unreachable(&e))
    }

    /// A kept connection that still answers, or a new one.
    async fn connection(&self) -> Result<AsyncSmtpConnection, String> {
        loop {
            let kept = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
            let Some(mut c) = kept else { return self.connect().await };
            if !c.has_broken() && c.test_connected().await {
                return Ok(c);
            }
        }
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
        let mut conn = self.connection().await?;
        let sent = tokio::time::timeout(TIMEOUT, conn.send(message.envelope(), &message.formatted())).await;
        let resp = match sent {
            Ok(Ok(resp)) => resp,
            Ok(Err(e)) => return Err(format!("邮件服务器拒收或不可达：{e}")),
            Err(_) => return Err("邮件服务器无响应（超时）".into()),
        };
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < KEEP && !conn.has_broken() {
            idle.push(conn);
        }
        drop(idle);
        let reply = format!("{} {}", resp.code(), resp.message().collect::<Vec<_>>().join(" "));
        if resp.is_positive() { Ok(Accepted { reply }) } else { Err(format!("邮件服务器拒收：{reply}")) }
    }
}
