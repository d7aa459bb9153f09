//! A small HTTPS client for the gateways (rustls with the web PKI roots).

use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

type Https = hyper_rustls::HttpsConnector<HttpConnector>;

/// A shared client; connections are pooled.
#[derive(Clone)]
pub struct HttpClient {
    client: Client<Https, Full<Bytes>>,
    timeout: Duration,
}

impl Default for HttpClient {
    fn default() -> Self {
        Self::new(Duration::from_secs(15))
    }
}

impl HttpClient {
    pub fn new(timeout: Duration) -> Self {
        let https = hyper_rustls::HttpsConnectorBuilder::new().with_webpki_roots().https_or_http().enable_http1().build();
        HttpClient { client: Client::builder(TokioExecutor::new()).build(https), timeout }
    }

    /// Sends `req` and reads the whole answer: status and body, or what went wrong.
    pub async fn send(&self, req: hyper::Request<Full<Bytes>>) -> Result<(u16, Vec<u8>), String> {
        let call = async {
            let resp = self.client.request(req).await.map_err(|e| format!("连接失败：{e}"))?;
            let status = resp.status().as_u16();
            let body = resp.into_body().collect().await.map_err(|e| format!("读取应答失败：{e}"))?.to_bytes();
            Ok((status, body.to_vec()))
        };
        tokio::time::timeout(self.timeout, call).await.map_err(|_| format!("{} 秒内无应答", self.timeout.as_secs()))?
    }
}

/// A page fetched with its cache validators.
#[derive(Debug)]
pub struct Fetched {
    pub status: u16,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub body: Vec<u8>,
}

impl HttpClient {
    /// `GET url`, conditional on the validators of the last fetch, reading at most `max` bytes.
    pub async fn get(&self, url: &str, etag: Option<&str>, since: Option<&str>, max: usize) -> Result<Fetched, String> {
        let mut req = hyper::Request::get(url).header("user-agent", "greenlane-calendar/1");
        if let Some(e) = etag {
            req = req.header("if-none-match", e);
        }
        if let Some(s) = since {
            req = req.header("if-modified-since", s);
        }
        let req = req.body(Full::new(Bytes::new())).map_err(|e| format!("地址无效：{e}"))?;
        let call = async {
            let resp = self.client.request(req).await.map_err(|e| format!("连接失败：{e}"))?;
            let status = resp.status().as_u16();
            let header = |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok()).map(String::from);
            let (etag, last_modified) = (header("etag"), header("last-modified"));
            let body = http_body_util::Limited::new(resp.into_body(), max)
                .collect()
                .await
                .map_err(|_| format!("日历文件超过 {} MB", max / (1024 * 1024)))?
                .to_bytes();
            Ok(Fetched { status, etag, last_modified, body: body.to_vec() })
        };
        tokio::time::timeout(self.timeout, call).await.map_err(|_| format!("{} 秒内无应答", self.timeout.as_secs()))?
    }
}
