//! SMS through an HTTP gateway, behind [`SmsGateway`]: Alibaba Cloud's `SendSms` (RPC API,
//! signature version 1.0, HMAC-SHA1 as its documentation gives it) and a plain JSON webhook.
//! An SMS is only ever a prompt; the document itself is never in it.

use std::future::Future;

use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use http_body_util::Full;
use hyper::body::Bytes;

use super::http::HttpClient;
use crate::config::SmsSettings;

/// One SMS to send.
#[derive(Debug, Clone)]
pub struct Sms<'a> {
    /// Eleven digits.
    pub to: &'a str,
    /// The full text, as the webhook sends it.
    pub text: &'a str,
    /// The template's one parameter (the address to look at), as a template gateway sends it.
    pub link: &'a str,
    /// Our id for the message, echoed back in the delivery receipt.
    pub out_id: &'a str,
}

/// A gateway that sends SMS and answers with its id for the message (the receipt names it).
pub trait SmsGateway {
    fn send(&self, sms: &Sms<'_>) -> impl Future<Output = Result<String, String>> + Send;
}

/// Alibaba Cloud SMS (dysmsapi, `SendSms`, version 2017-05-25).
pub struct Aliyun {
    pub url: String,
    pub access_key_id: String,
    pub access_key_secret: String,
    pub sign_name: String,
    pub template_code: String,
    pub client: HttpClient,
}

/// RFC 3986 percent-encoding as the RPC signature needs it (`~` kept, space as `%20`).
pub fn percent(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Aliyun {
    /// The signed query string of a `SendSms` call (sorted parameters, then `Signature`).
    pub fn signed_query(&self, sms: &Sms<'_>, nonce: &str, now: DateTime<Utc>) -> String {
        let template_param = serde_json::json!({ "link": sms.link }).to_string();
        let timestamp = now.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let mut params: Vec<(&str, &str)> = vec![
            ("AccessKeyId", &self.access_key_id),
            ("Action", "SendSms"),
            ("Format", "JSON"),
            ("OutId", sms.out_id),
            ("PhoneNumbers", sms.to),
            ("RegionId", "cn-hangzhou"),
            ("SignName", &self.sign_name),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", nonce),
            ("SignatureVersion", "1.0"),
            ("TemplateCode", &self.template_code),
            ("TemplateParam", &template_param),
            ("Timestamp", &timestamp),
            ("Version", "2017-05-25"),
        ];
        params.sort_by(|a, b| a.0.cmp(b.0));
        let canonical = params.iter().map(|(k, v)| format!("{}={}", percent(k), percent(v))).collect::<Vec<_>>().join("&");
        let to_sign = format!("GET&{}&{}", percent("/"), percent(&canonical));
        let mut mac = Hmac::<sha1::Sha1>::new_from_slice(format!("{}&", self.access_key_secret).as_bytes()).expect("any key length");
        mac.update(to_sign.as_bytes());
        let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        format!("Signature={}&{canonical}", percent(&signature))
    }
}

impl SmsGateway for Aliyun {
    async fn send(&self, sms: &Sms<'_>) -> Result<String, String> {
        let nonce = uuid::Uuid::new_v4().to_string();
        let url = format!("{}?{}", self.url.trim_end_matches('?'), self.signed_query(sms, &nonce, Utc::now()));
        let req = hyper::Request::get(url).body(Full::new(Bytes::new())).map_err(|e| e.to_string())?;
        let (status, body) = self.client.send(req).await?;
        let answer: serde_json::Value = serde_json::from_slice(&body).map_err(|_| format!("短信网关应答无法读取（HTTP {status}）"))?;
        match (answer["Code"].as_str(), answer["BizId"].as_str()) {
            (Some("OK"), Some(id)) => Ok(id.to_string()),
            _ => Err(format!("短信网关拒绝：{} {}", answer["Code"].as_str().unwrap_or("?"), answer["Message"].as_str().unwrap_or(""))),
        }
    }
}

/// A plain webhook: `POST {"to","text","out_id"}`, answered with `{"id"}`.
pub struct Webhook {
    pub url: String,
    pub client: HttpClient,
}

impl SmsGateway for Webhook {
    async fn send(&self, sms: &Sms<'_>) -> Result<String, String> {
        let body = serde_json::json!({ "to": sms.to, "text": sms.text, "out_id": sms.out_id }).to_string();
        let req = hyper::Request::post(&self.url)
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| e.to_string())?;
        let (status, body) = self.client.send(req).await?;
        if !(200..300).contains(&status) {
            return Err(format!("短信网关应答 HTTP {status}"));
        }
        let answer: serde_json::Value = serde_json::from_slice(&body).map_err(|_| "短信网关应答无法读取".to_string())?;
        answer["id"].as_str().map(str::to_string).ok_or_else(|| "短信网关应答缺少 id".into())
    }
}

/// The gateway configured, if any.
pub enum Gateway {
    Aliyun(Aliyun),
    Webhook(Webhook),
}

impl Gateway {
    pub fn from_settings(s: &SmsSettings) -> Option<Gateway> {
        let client = HttpClient::default();
        match s.clone() {
            SmsSettings::None => None,
            SmsSettings::Aliyun { url, access_key_id, access_key_secret, sign_name, template_code } => {
                Some(Gateway::Aliyun(Aliyun { url, access_key_id, access_key_secret, sign_name, template_code, client }))
            }
            SmsSettings::Webhook { url } => Some(Gateway::Webhook(Webhook { url, client })),
        }
    }
}

impl SmsGateway for Gateway {
    async fn send(&self, sms: &Sms<'_>) -> Result<String, String> {
        match self {
            Gateway::Aliyun(g) => g.send(sms).await,
            Gateway::Webhook(g) => g.send(sms).await,
        }
    }
}

/// One delivery receipt, in Alibaba Cloud's report shape (`SmsReport`), which the webhook uses too.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct Receipt {
    /// The gateway's id for the message (`BizId`).
    pub biz_id: String,
    pub success: bool,
    #[serde(default)]
    pub err_code: Option<String>,
    #[serde(default)]
    pub err_msg: Option<String>,
    /// When the handset took it, `YYYY-MM-DD HH:MM:SS` Beijing time.
    #[serde(default)]
    pub report_time: Option<String>,
}

/// Whether `signature` (`sha256=<hex>`) is the HMAC-SHA256 of `body` under `secret`.
pub fn receipt_signed(secret: &str, body: &[u8], signature: &str) -> bool {
    let Some(hex) = signature.trim().strip_prefix("sha256=") else { return false };
    let Some(given) = crate::app::secrets::unhex(hex) else { return false };
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    mac.verify_slice(&given).is_ok()
}

/// The signature a gateway puts on a receipt body (for tests and the gateway's side).
pub fn sign_receipt(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    format!("sha256={}", crate::app::secrets::hex(&mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding_follows_rfc_3986_as_the_signature_needs() {
        assert_eq!(percent("a b*~/"), "a%20b%2A~%2F");
        assert_eq!(percent("阿里"), "%E9%98%BF%E9%87%8C");
    }

    #[test]
    fn aliyun_query_is_sorted_and_signed_with_the_secret_and_an_ampersand() {
        let g = Aliyun {
            url: "https://dysmsapi.aliyuncs.com/".into(),
            access_key_id: "testId".into(),
            access_key_secret: "testSecret".into(),
            sign_name: "阿里云短信测试专用".into(),
            template_code: "SMS_71390007".into(),
            client: HttpClient::default(),
        };
        let sms = Sms { to: "15300000001", text: "", link: "https://x", out_id: "123" };
        let now = DateTime::parse_from_rfc3339("2017-07-12T02:42:19Z").unwrap().with_timezone(&Utc);
        let q = g.signed_query(&sms, "45e25e9b-0a6f-4070-8c85-2956eda1b466", now);
        let (sig, rest) = q.split_once('&').unwrap();
        assert!(rest.starts_with("AccessKeyId=testId&Action=SendSms&Format=JSON&OutId=123&PhoneNumbers=15300000001"));
        // Computed independently with Python's hmac and urllib.parse.quote(safe="~") from the documented recipe.
        assert_eq!(sig, format!("Signature={}", percent("KBi3+hc3mJOWVKxBewx22LEFi3s=")));
    }

    #[test]
    fn a_receipt_signed_with_another_secret_is_refused() {
        let body = br#"[{"biz_id":"1","success":true}]"#;
        let good = sign_receipt("a-long-shared-secret", body);
        assert!(receipt_signed("a-long-shared-secret", body, &good));
        assert!(!receipt_signed("another-secret-entirely", body, &good));
        assert!(!receipt_signed("a-long-shared-secret", b"[]", &good));
        assert!(!receipt_signed("a-long-shared-secret", body, "sha256=zz"));
    }
}
