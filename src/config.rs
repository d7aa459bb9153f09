//! Configuration: defaults that run a demo commission, then a TOML file, then `GREENLANE_*`
//! environment variables (which win), read once at start and validated into typed values.

use chrono::NaiveDate;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::law::calendar::WorkingCalendar;
use crate::law::clock::ClockRules;
use crate::law::money::Amount;
use crate::law::thresholds::{Dated, DatedTable, Thresholds};

/// Settings as written in the file or environment, before validation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct RawConfig {
    pub addr: String,
    pub database_url: String,
    pub today: Option<String>,
    pub commission_name: String,
    pub case_no_prefix: String,
    /// The prefix of a refusal notice's number (文号): 中劳人仲不字〔2026〕第3号.
    pub refusal_no_prefix: String,
    /// Whether the limitation period is offered as a ground of refusal (rules.md §1.1 treats it as
    /// a defence for the tribunal; some commissions refuse on it).
    pub refuse_on_time_bar: bool,
    /// The intermediate court that hears employers' petitions to revoke a final award (Law Art. 49).
    pub intermediate_court: String,
    /// The commission's street address, printed for the parties where the hearing is held and in
    /// the home page's footer.
    pub commission_address: String,
    /// The commission's public telephone.
    pub commission_phone: String,
    /// When the commission's counter is open.
    pub commission_hours: String,
    /// Where the document templates are read from (a file missing there comes from the binary).
    pub documents_dir: Option<PathBuf>,
    /// A directory holding Fandol's fonts; found in the usual places when not set.
    pub font_dir: Option<PathBuf>,
    /// The fallback font for characters the main faces lack, `path` or `path#face`.
    pub fallback_font: Option<String>,
    pub rate_limit_per_minute: u32,
    /// Addresses (or `addr/prefix` networks) of reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<String>,
    /// The address the public reaches the service at; `https://…` makes cookies `Secure`.
    pub public_url: Option<String>,
    /// Seconds a client may take to send a request's headers; an idle keep-alive connection is
    /// closed after as long.
    pub header_read_timeout_seconds: u64,
    /// Seconds a client may take to send a request's body.
    pub body_read_timeout_seconds: u64,
    /// Client connections held at once (at most the open-file limit less a reserve); more wait
    /// in the kernel's queue.
    pub max_connections: usize,
    pub body_limit_bytes: usize,
    pub token_ttl_hours: u32,
    pub idempotency_hours: u32,
    pub sqlite_synchronous: String,
    pub database_max_connections: u32,
    /// Jobs of the outbox one instance runs at once (sending e-mail overlaps its waits).
    pub job_workers: usize,
    /// The largest evidence file a party may upload, in MB.
    pub evidence_max_mb: usize,
    /// How many evidence files each side of a case may upload.
    pub evidence_max_files: i64,
    /// Working days the clerk has to review an evidence file.
    pub evidence_review_days: u32,
    /// Whether an arbitrator's calendar may be subscribed to at a loopback or private address
    /// (off: such an address is refused, so the service cannot be made to fetch its own network).
    pub calendar_private_hosts: bool,
    pub calendar_file: Option<PathBuf>,
    pub award_due_roll_forward: bool,
    pub public_notice_roll_forward: bool,
    pub hearing_notice_reading: String,
    pub log_format: String,
    pub shutdown_grace_seconds: u64,
    pub min_wage_monthly: Vec<Dated<String>>,
    pub simplified_ceiling: Vec<Dated<String>>,
    pub collective_min_workers: usize,
    /// Hearing sessions of a day as `HH:MM-HH:MM`, cut into slots of `slot_minutes`.
    pub hearing_sessions: Vec<String>,
    pub slot_minutes: u32,
    /// How long one `POST /api/v1/schedule` may search.
    pub schedule_time_limit_seconds: f64,
    /// A run ends early once its best plan has not improved for this long.
    pub schedule_stall_seconds: f64,
    /// Hearing length in slots, by track.
    pub hearing_slots: TrackNumbers,
    /// Scheduling priority, by track (the weight of a day's delay).
    pub hearing_weights: TrackNumbers,
    /// Working days kept free between the last hearing day and the award deadline, for drafting.
    pub drafting_buffer: TrackNumbers,
    /// Arbitrators on an ordinary case's tribunal (1 or 3).
    pub ordinary_panel: u32,
    /// Seats a collective case needs at least (a large room).
    pub collective_seats: u32,
    /// The SMTP relay documents are e-mailed through, `smtp://host:port`; unset: no e-mail service.
    pub smtp_url: Option<String>,
    /// The sender of the commission's e-mail, `名称 <address>` or an address.
    pub mail_from: String,
    /// When an e-mailed document counts as delivered (CPL Art. 90): `relay_accepted` (the relay
    /// took it for the recipient's domain) or `opened` (the party opened its link).
    pub email_delivered: String,
    /// The SMS gateway: `none`, `aliyun` (Alibaba Cloud SMS, `SendSms`) or `webhook` (a plain JSON POST).
    pub sms_gateway: String,
    /// The gateway's address (`https://dysmsapi.aliyuncs.com/` for aliyun).
    pub sms_url: Option<String>,
    pub sms_access_key_id: Option<String>,
    pub sms_access_key_secret: Option<String>,
    /// The registered signature (签名) and template code of the aliyun gateway.
    pub sms_sign_name: Option<String>,
    pub sms_template_code: Option<String>,
    /// The shared secret the gateway signs its delivery receipts with (HMAC-SHA256 of the body).
    pub sms_callback_secret: Option<String>,
}

/// One number per track.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct TrackNumbers {
    pub green: u32,
    pub simple: u32,
    pub ordinary: u32,
    pub collective: u32,
}

impl TrackNumbers {
    /// The number of a track.
    pub fn of(&self, track: crate::law::routing::Track) -> u32 {
        use crate::law::routing::Track;
        match track {
            Track::Green => self.green,
            Track::Simple => self.simple,
            Track::Collective => self.collective,
            Track::Ordinary => self.ordinary,
        }
    }
}

/// How hearings are planned: the day's sessions, slot length, and the numbers per track.
#[derive(Debug, Clone)]
pub struct HearingSettings {
    pub slot_minutes: u32,
    /// Each session's start and its number of slots.
    pub sessions: Vec<(chrono::NaiveTime, u32)>,
    pub time_limit: Duration,
    pub stall: Duration,
    pub slots: TrackNumbers,
    pub weights: TrackNumbers,
    pub drafting_buffer: TrackNumbers,
    pub ordinary_panel: u32,
    pub collective_seats: u32,
    /// A fixed budget of improvement iterations instead of the clock (the simulator: the same plan
    /// on every machine); `None` in the service, which stops on `time_limit` or `stall`.
    pub max_iterations: Option<u64>,
}

impl Default for RawConfig {
    fn default() -> Self {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        Self {
            addr: "127.0.0.1:8080".into(),
            database_url: "sqlite:data/greenlane.db".into(),
            today: None,
            commission_name: "中山市劳动人事争议仲裁委员会".into(),
            case_no_prefix: "中劳人仲案字".into(),
            refusal_no_prefix: "中劳人仲不字".into(),
            refuse_on_time_bar: false,
            intermediate_court: "中山市中级人民法院".into(),
            commission_address: "中山市东区中山五路（演示地址）".into(),
            commission_phone: "0760-12345678（演示）".into(),
            commission_hours: "周一至周五 上午8:30–12:00，下午2:30–5:30（法定节假日除外）".into(),
            documents_dir: Some("templates/documents".into()),
            font_dir: None,
            fallback_font: None,
            rate_limit_per_minute: 120,
            trusted_proxies: Vec::new(),
            public_url: None,
            header_read_timeout_seconds: 10,
            body_read_timeout_seconds: 30,
            max_connections: 10_000,
            body_limit_bytes: 256 * 1024,
            token_ttl_hours: 12,
            idempotency_hours: 24,
            sqlite_synchronous: "full".into(),
            database_max_connections: 8,
            job_workers: 2,
            evidence_max_mb: 20,
            evidence_max_files: 50,
            evidence_review_days: 5,
            calendar_private_hosts: false,
            calendar_file: None,
            // rules.md §1.8: roll the 45-day period forward like CPL Art. 85 (a practice question).
            award_due_roll_forward: true,
            // CPL Art. 85 applied to CPL Art. 95: a deemed service on a rest day moves to the next working day.
            public_notice_roll_forward: true,
            // rules.md §1.9: one extra working day of buffer before a hearing.
            hearing_notice_reading: "exclusive".into(),
            log_format: "text".into(),
            shutdown_grace_seconds: 30,
            // rules.md §3.1: Zhongshan (tier 2); the 2018 and 2021 figures are unconfirmed there.
            min_wage_monthly: vec![
                Dated { from: d("2018-07-01"), value: "1720".into() },
                Dated { from: d("2021-12-01"), value: "1900".into() },
                Dated { from: d("2025-03-01"), value: "2080".into() },
            ],
            // rules.md §3.3: Guangdong 2023 non-private average annual wage, in use from mid-2024.
            simplified_ceiling: vec![Dated { from: d("2024-07-01"), value: "131418".into() }],
            collective_min_workers: 10,
            hearing_sessions: vec!["09:00-12:00".into(), "13:30-17:30".into()],
            slot_minutes: 30,
            schedule_time_limit_seconds: 5.0,
            schedule_stall_seconds: 1.0,
            hearing_slots: TrackNumbers { green: 2, simple: 3, ordinary: 4, collective: 6 },
            hearing_weights: TrackNumbers { green: 4, simple: 2, ordinary: 1, collective: 3 },
            drafting_buffer: TrackNumbers { green: 3, simple: 5, ordinary: 5, collective: 5 },
            ordinary_panel: 3,
            collective_seats: 20,
            smtp_url: None,
            mail_from: "中山市劳动人事争议仲裁委员会 <noreply@greenlane.invalid>".into(),
            email_delivered: "relay_accepted".into(),
            sms_gateway: "none".into(),
            sms_url: None,
            sms_access_key_id: None,
            sms_access_key_secret: None,
            sms_sign_name: None,
            sms_template_code: None,
            sms_callback_secret: None,
        }
    }
}

/// Which database a URL selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// SQLite's durability setting: `full` syncs every commit; `normal` survives a process crash but not power loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqliteSync {
    Normal,
    Full,
}

/// Validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub database_url: String,
    pub backend: Backend,
    pub today: Option<NaiveDate>,
    pub commission_name: String,
    pub case_no_prefix: String,
    pub refusal_no_prefix: String,
    pub refuse_on_time_bar: bool,
    pub intermediate_court: String,
    pub commission_address: String,
    pub commission_phone: String,
    pub commission_hours: String,
    pub documents_dir: Option<PathBuf>,
    pub font_dir: Option<PathBuf>,
    pub fallback_font: Option<String>,
    /// `None` turns the public endpoint's rate limit off.
    pub rate_limit_per_minute: Option<NonZeroU32>,
    pub trusted_proxies: Vec<Network>,
    /// Cookies carry `Secure` (the public address is https).
    pub secure_cookies: bool,
    /// The address the public reaches the service at, when set (feed links are made absolute with it).
    pub public_url: Option<String>,
    pub network: NetworkLimits,
    pub body_limit_bytes: usize,
    pub token_ttl: chrono::Duration,
    pub idempotency_ttl: chrono::Duration,
    pub sqlite_synchronous: SqliteSync,
    pub database_max_connections: u32,
    /// Jobs of the outbox one instance runs at once (sending e-mail overlaps its waits).
    pub job_workers: usize,
    /// The largest evidence file a party may upload, in MB.
    pub evidence_max_mb: usize,
    /// How many evidence files each side of a case may upload.
    pub evidence_max_files: i64,
    /// Working days the clerk has to review an evidence file.
    pub evidence_review_days: u32,
    pub calendar_private_hosts: bool,
    pub calendar: WorkingCalendar,
    pub clock_rules: ClockRules,
    pub log_json: bool,
    pub shutdown_grace: Duration,
    pub thresholds: Thresholds,
    pub hearings: HearingSettings,
    pub outbound: Outbound,
    /// Whether documents are laid out as PDF (always in the service; the simulator may keep only
    /// their text with `--documents off`).
    pub typeset: bool,
}

/// Where e-mail and SMS leave the service.
#[derive(Debug, Clone, Default)]
pub struct Outbound {
    /// The SMTP relay's host and port.
    pub smtp: Option<(String, u16)>,
    pub mail_from: String,
    pub email_delivery: crate::law::service::EmailDelivery,
    pub sms: SmsSettings,
    pub sms_callback_secret: Option<String>,
}

/// The SMS gateway and its credentials.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SmsSettings {
    #[default]
    None,
    Aliyun {
        url: String,
        access_key_id: String,
        access_key_secret: String,
        sign_name: String,
        template_code: String,
    },
    Webhook {
        url: String,
    },
}

/// Reads `smtp://host:port`.
fn smtp_relay(url: &str) -> Option<(String, u16)> {
    let rest = url.trim().strip_prefix("smtp://")?;
    let (host, port) = rest.trim_end_matches('/').rsplit_once(':')?;
    let port = port.parse::<u16>().ok().filter(|p| *p > 0)?;
    (!host.is_empty()).then(|| (host.trim_matches(['[', ']']).to_string(), port))
}

fn outbound(raw: &RawConfig, errs: &mut Vec<String>) -> Outbound {
    let smtp = raw.smtp_url.as_deref().map(str::trim).filter(|u| !u.is_empty()).and_then(|u| {
        smtp_relay(u).or_else(|| {
            errs.push(format!("smtp_url：“{u}”应为 smtp://主机:端口，例如 smtp://127.0.0.1:25"));
            None
        })
    });
    if raw.mail_from.parse::<lettre::message::Mailbox>().is_err() {
        errs.push(format!("mail_from：“{}”不是有效的发件人，例如 仲裁委 <noreply@example.cn>", raw.mail_from));
    }
    let email_delivery = match raw.email_delivered.as_str() {
        "relay_accepted" => crate::law::service::EmailDelivery::RelayAccepted,
        "opened" => crate::law::service::EmailDelivery::Opened,
        other => {
            errs.push(format!("email_delivered：“{other}”应为 relay_accepted 或 opened"));
            Default::default()
        }
    };
    let need = |name: &str, v: &Option<String>, errs: &mut Vec<String>| -> String {
        let v = v.as_deref().map(str::trim).unwrap_or("");
        if v.is_empty() {
            errs.push(format!("{name}：使用短信网关时必须设置"));
        }
        v.to_string()
    };
    let sms = match raw.sms_gateway.as_str() {
        "none" => SmsSettings::None,
        "aliyun" => SmsSettings::Aliyun {
            url: raw.sms_url.clone().filter(|u| !u.trim().is_empty()).unwrap_or_else(|| "https://dysmsapi.aliyuncs.com/".into()),
            access_key_id: need("sms_access_key_id", &raw.sms_access_key_id, errs),
            access_key_secret: need("sms_access_key_secret", &raw.sms_access_key_secret, errs),
            sign_name: need("sms_sign_name", &raw.sms_sign_name, errs),
            template_code: need("sms_template_code", &raw.sms_template_code, errs),
        },
        "webhook" => SmsSettings::Webhook { url: need("sms_url", &raw.sms_url, errs) },
        other => {
            errs.push(format!("sms_gateway：“{other}”应为 none、aliyun 或 webhook"));
            SmsSettings::None
        }
    };
    if let SmsSettings::Aliyun { url, .. } | SmsSettings::Webhook { url } = &sms
        && !url.is_empty()
        && !(url.starts_with("http://") || url.starts_with("https://"))
    {
        errs.push(format!("sms_url：“{url}”应以 https:// 或 http:// 开头"));
    }
    let sms_callback_secret = raw.sms_callback_secret.clone().filter(|s| !s.trim().is_empty());
    if sms != SmsSettings::None && sms_callback_secret.as_ref().is_none_or(|s| s.len() < 16) {
        errs.push("sms_callback_secret：使用短信网关时必须设置，至少 16 个字符（回执签名密钥）".into());
    }
    Outbound { smtp, mail_from: raw.mail_from.clone(), email_delivery, sms, sms_callback_secret }
}

/// How long a client may take, and how many may be connected at once.
#[derive(Debug, Clone, Copy)]
pub struct NetworkLimits {
    pub header_read_timeout: Duration,
    pub body_read_timeout: Duration,
    pub max_connections: usize,
}

/// An address or a network (`10.0.0.0/8`, `::1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    addr: std::net::IpAddr,
    prefix: u8,
}

impl Network {
    /// `None` when `text` is neither an address nor `address/prefix`.
    pub fn parse(text: &str) -> Option<Network> {
        let (addr, prefix) = match text.trim().split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text.trim(), None),
        };
        let addr: std::net::IpAddr = addr.parse().ok()?;
        let full = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => full,
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= full)?,
        };
        Some(Network { addr, prefix })
    }

    /// Whether `ip` lies in the network.
    pub fn contains(&self, ip: std::net::IpAddr) -> bool {
        let bits = |ip: std::net::IpAddr| -> (u128, u8) {
            match ip {
                std::net::IpAddr::V4(a) => (u128::from(u32::from(a)), 32),
                std::net::IpAddr::V6(a) => (u128::from(a), 128),
            }
        };
        let ((a, wa), (b, wb)) = (bits(self.addr), bits(ip.to_canonical()));
        if wa != wb {
            return false;
        }
        let shift = u32::from(wa - self.prefix);
        shift >= 128 || (a >> shift) == (b >> shift)
    }
}

/// Every problem found in the configuration, each naming its setting.
#[derive(Debug, thiserror::Error)]
#[error("配置有误：\n{}", .0.join("\n"))]
pub struct ConfigError(pub Vec<String>);

impl Config {
    /// Reads defaults, then `file` (if given; it must exist), then the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut fig = Figment::from(Serialized::defaults(RawConfig::default()));
        if let Some(path) = file {
            if !path.exists() {
                return Err(ConfigError(vec![format!("配置文件 {} 不存在", path.display())]));
            }
            fig = fig.merge(Toml::file(path));
        }
        fig = fig.merge(Env::prefixed("GREENLANE_").ignore(&["config", "password"]));
        let raw: RawConfig =
            fig.extract().map_err(|e| ConfigError(e.into_iter().map(|e| format!("{}（{}）", e, e.path.join("."))).collect()))?;
        Self::from_raw(raw)
    }

    /// Validates raw settings; every problem is reported at once.
    pub fn from_raw(raw: RawConfig) -> Result<Self, ConfigError> {
        let mut errs = Vec::new();
        let addr = raw
            .addr
            .parse::<SocketAddr>()
            .map_err(|_| errs.push(format!("addr（GREENLANE_ADDR）：“{}”不是 主机:端口 形式的地址，例如 127.0.0.1:8080", raw.addr)))
            .ok();
        let backend = if raw.database_url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if raw.database_url.starts_with("postgres://") || raw.database_url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            errs.push("database_url（GREENLANE_DATABASE_URL）：应以 sqlite: 或 postgres:// 开头".into());
            None
        };
        let today = match raw.today.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| errs.push(format!("today（GREENLANE_TODAY）：“{s}”应为 YYYY-MM-DD")))
                .ok(),
        };
        if raw.refusal_no_prefix.trim().is_empty() {
            errs.push("refusal_no_prefix：不予受理通知书文号前缀不能为空".into());
        }
        if raw.case_no_prefix.trim().is_empty() {
            errs.push("case_no_prefix：案号前缀不能为空".into());
        }
        if raw.commission_name.trim().is_empty() {
            errs.push("commission_name：仲裁委员会名称不能为空".into());
        }
        if !(1..=100).contains(&raw.evidence_max_mb) {
            errs.push("evidence_max_mb（GREENLANE_EVIDENCE_MAX_MB）：应为 1 到 100".into());
        }
        if !(1..=1000).contains(&raw.evidence_max_files) {
            errs.push("evidence_max_files（GREENLANE_EVIDENCE_MAX_FILES）：应为 1 到 1000".into());
        }
        if !(1..=30).contains(&raw.evidence_review_days) {
            errs.push("evidence_review_days（GREENLANE_EVIDENCE_REVIEW_DAYS）：应为 1 到 30 个工作日".into());
        }
        if !(1..=16).contains(&raw.job_workers) {
            errs.push("job_workers（GREENLANE_JOB_WORKERS）：应为 1 到 16".into());
        }
        if raw.body_limit_bytes < 1024 {
            errs.push("body_limit_bytes：至少 1024 字节".into());
        }
        if raw.token_ttl_hours == 0 {
            errs.push("token_ttl_hours：至少 1 小时".into());
        }
        if raw.database_max_connections == 0 {
            errs.push("database_max_connections：至少 1".into());
        }
        let sqlite_synchronous = match raw.sqlite_synchronous.as_str() {
            "full" => SqliteSync::Full,
            "normal" => SqliteSync::Normal,
            other => {
                errs.push(format!("sqlite_synchronous：“{other}”应为 full 或 normal"));
                SqliteSync::Full
            }
        };
        let log_json = match raw.log_format.as_str() {
            "json" => true,
            "text" => false,
            other => {
                errs.push(format!("log_format：“{other}”应为 text 或 json"));
                false
            }
        };
        let min_wage = dated_amounts("min_wage_monthly", &raw.min_wage_monthly, &mut errs);
        let ceiling = dated_amounts("simplified_ceiling", &raw.simplified_ceiling, &mut errs);
        if raw.collective_min_workers < 2 {
            errs.push("collective_min_workers：至少 2".into());
        }
        let calendar = match &raw.calendar_file {
            None => Some(WorkingCalendar::shipped()),
            Some(p) => match std::fs::read_to_string(p) {
                Err(e) => {
                    errs.push(format!("calendar_file：无法读取 {}：{e}", p.display()));
                    None
                }
                Ok(text) => WorkingCalendar::from_toml(&text).map_err(|e| errs.push(format!("calendar_file：{e}"))).ok(),
            },
        };
        let exclusive_notice_reading = match raw.hearing_notice_reading.as_str() {
            "exclusive" => true,
            "inclusive" => false,
            other => {
                errs.push(format!("hearing_notice_reading：“{other}”应为 exclusive 或 inclusive"));
                true
            }
        };
        let hearings = hearing_settings(&raw, &mut errs);
        let trusted_proxies: Vec<Network> = raw
            .trusted_proxies
            .iter()
            .enumerate()
            .filter_map(|(i, t)| {
                Network::parse(t)
                    .ok_or_else(|| errs.push(format!("trusted_proxies[{i}]：“{t}”应为 IP 地址或 地址/前缀长度，例如 10.0.0.0/8")))
                    .ok()
            })
            .collect();
        let secure_cookies = match raw.public_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            None => false,
            Some(u) if u.starts_with("https://") => true,
            Some(u) if u.starts_with("http://") => false,
            Some(u) => {
                errs.push(format!("public_url：“{u}”应以 https:// 或 http:// 开头"));
                false
            }
        };
        for (name, v) in
            [("header_read_timeout_seconds", raw.header_read_timeout_seconds), ("body_read_timeout_seconds", raw.body_read_timeout_seconds)]
        {
            if !(1..=3600).contains(&v) {
                errs.push(format!("{name}：“{v}”应在 1 到 3600 秒之间"));
            }
        }
        if !(16..=100_000).contains(&raw.max_connections) {
            errs.push(format!("max_connections：“{}”应在 16 到 100000 之间", raw.max_connections));
        }
        let outbound = outbound(&raw, &mut errs);
        if !errs.is_empty() {
            return Err(ConfigError(errs));
        }
        Ok(Config {
            addr: addr.unwrap(),
            database_url: raw.database_url,
            backend: backend.unwrap(),
            today,
            commission_name: raw.commission_name,
            intermediate_court: raw.intermediate_court,
            commission_address: raw.commission_address,
            commission_phone: raw.commission_phone,
            commission_hours: raw.commission_hours,
            documents_dir: raw.documents_dir,
            font_dir: raw.font_dir,
            fallback_font: raw.fallback_font,
            case_no_prefix: raw.case_no_prefix,
            refusal_no_prefix: raw.refusal_no_prefix,
            refuse_on_time_bar: raw.refuse_on_time_bar,
            rate_limit_per_minute: NonZeroU32::new(raw.rate_limit_per_minute),
            trusted_proxies,
            secure_cookies,
            public_url: raw.public_url.as_deref().map(str::trim).filter(|u| !u.is_empty()).map(str::to_string),
            network: NetworkLimits {
                header_read_timeout: Duration::from_secs(raw.header_read_timeout_seconds),
                body_read_timeout: Duration::from_secs(raw.body_read_timeout_seconds),
                max_connections: raw.max_connections,
            },
            body_limit_bytes: raw.body_limit_bytes,
            token_ttl: chrono::Duration::hours(raw.token_ttl_hours as i64),
            idempotency_ttl: chrono::Duration::hours(raw.idempotency_hours.max(1) as i64),
            sqlite_synchronous,
            database_max_connections: raw.database_max_connections,
            job_workers: raw.job_workers,
            evidence_max_mb: raw.evidence_max_mb,
            evidence_max_files: raw.evidence_max_files,
            evidence_review_days: raw.evidence_review_days,
            calendar_private_hosts: raw.calendar_private_hosts,
            calendar: calendar.unwrap(),
            clock_rules: ClockRules {
                roll_forward_award_due: raw.award_due_roll_forward,
                exclusive_notice_reading,
                roll_forward_public_notice: raw.public_notice_roll_forward,
            },
            log_json,
            shutdown_grace: Duration::from_secs(raw.shutdown_grace_seconds),
            thresholds: Thresholds {
                min_wage_monthly: min_wage.unwrap(),
                simplified_ceiling: ceiling.unwrap(),
                collective_min_workers: raw.collective_min_workers,
            },
            hearings,
            outbound,
            typeset: true,
        })
    }
}

fn hearing_settings(raw: &RawConfig, errs: &mut Vec<String>) -> HearingSettings {
    let minutes = raw.slot_minutes;
    if !(5..=240).contains(&minutes) {
        errs.push(format!("slot_minutes：“{minutes}”应在 5 到 240 分钟之间"));
    }
    let mut sessions = Vec::new();
    for (i, text) in raw.hearing_sessions.iter().enumerate() {
        let parsed = text.split_once('-').and_then(|(a, b)| {
            let a = chrono::NaiveTime::parse_from_str(a.trim(), "%H:%M").ok()?;
            let b = chrono::NaiveTime::parse_from_str(b.trim(), "%H:%M").ok()?;
            (b > a).then_some((a, (b - a).num_minutes()))
        });
        // With a bad slot length (reported above) only the session's own shape is judged.
        let step = if (5..=240).contains(&minutes) { i64::from(minutes) } else { 1 };
        match parsed {
            Some((start, len)) if step == 1 || (len >= step && len / step <= 64) => sessions.push((start, (len / step).min(64) as u32)),
            _ => errs.push(format!("hearing_sessions[{i}]：“{text}”应为 HH:MM-HH:MM，结束晚于开始，且容纳 1 到 64 个时段")),
        }
    }
    if raw.hearing_sessions.is_empty() {
        errs.push("hearing_sessions：至少需要一个开庭时段".into());
    }
    if !(raw.schedule_time_limit_seconds > 0.0 && raw.schedule_time_limit_seconds <= 600.0) {
        errs.push("schedule_time_limit_seconds：应大于 0 且不超过 600 秒".into());
    }
    if !(raw.schedule_stall_seconds > 0.0 && raw.schedule_stall_seconds <= 600.0) {
        errs.push("schedule_stall_seconds：应大于 0 且不超过 600 秒".into());
    }
    for (name, t) in [("hearing_slots", raw.hearing_slots), ("hearing_weights", raw.hearing_weights)] {
        if [t.green, t.simple, t.ordinary, t.collective].iter().any(|&n| n == 0 || n > 64) {
            errs.push(format!("{name}：每个程序的数值应在 1 到 64 之间"));
        }
    }
    let b = raw.drafting_buffer;
    if [b.green, b.simple, b.ordinary, b.collective].iter().any(|&n| n > 30) {
        errs.push("drafting_buffer：每个程序的数值应在 0 到 30 个工作日之间".into());
    }
    if !matches!(raw.ordinary_panel, 1 | 3) {
        errs.push("ordinary_panel：普通程序仲裁庭应为 1 或 3 名仲裁员".into());
    }
    if raw.collective_seats == 0 {
        errs.push("collective_seats：至少 1".into());
    }
    HearingSettings {
        slot_minutes: minutes,
        sessions,
        // NaN passes `clamp` unchanged and would panic in `from_secs_f64`; it is reported above.
        time_limit: Duration::from_secs_f64(if raw.schedule_time_limit_seconds.is_nan() {
            5.0
        } else {
            raw.schedule_time_limit_seconds.clamp(0.001, 600.0)
        }),
        stall: Duration::from_secs_f64(if raw.schedule_stall_seconds.is_nan() {
            1.0
        } else {
            raw.schedule_stall_seconds.clamp(0.001, 600.0)
        }),
        slots: raw.hearing_slots,
        weights: raw.hearing_weights,
        drafting_buffer: raw.drafting_buffer,
        ordinary_panel: raw.ordinary_panel,
        collective_seats: raw.collective_seats,
        max_iterations: None,
    }
}

fn dated_amounts(name: &str, raw: &[Dated<String>], errs: &mut Vec<String>) -> Option<DatedTable<Amount>> {
    let mut entries = Vec::new();
    for e in raw {
        match Amount::parse(&e.value) {
            Ok(a) if a > Amount::ZERO => entries.push(Dated { from: e.from, value: a }),
            _ => errs.push(format!("{name}：{} 起的金额“{}”应为大于0的元金额", e.from, e.value)),
        }
    }
    let table = DatedTable::new(entries);
    if table.is_none() {
        errs.push(format!("{name}：至少需要一项，且每个起始日期只能出现一次"));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_run_a_demo_commission_on_sqlite() {
        let c = Config::from_raw(RawConfig::default()).unwrap();
        assert_eq!(c.backend, Backend::Sqlite);
        assert_eq!(c.rate_limit_per_minute.map(|n| n.get()), Some(120));
    }

    #[test]
    fn every_bad_setting_is_reported_by_name() {
        let raw = RawConfig {
            addr: "localhost".into(),
            database_url: "mysql://x".into(),
            today: Some("2026-13-01".into()),
            sqlite_synchronous: "off".into(),
            hearing_notice_reading: "loose".into(),
            ..RawConfig::default()
        };
        let e = Config::from_raw(raw).unwrap_err().0.join("\n");
        for name in ["addr", "database_url", "today", "sqlite_synchronous", "hearing_notice_reading"] {
            assert!(e.contains(name), "{name} missing in {e}");
        }
    }

    #[test]
    fn bad_hearing_settings_are_reported_by_name() {
        let raw = RawConfig {
            hearing_sessions: vec!["09:00-12:00".into(), "14:00-13:00".into()],
            slot_minutes: 0,
            schedule_time_limit_seconds: f64::NAN,
            schedule_stall_seconds: 0.0,
            hearing_slots: TrackNumbers { green: 0, simple: 3, ordinary: 4, collective: 6 },
            drafting_buffer: TrackNumbers { green: 31, simple: 5, ordinary: 5, collective: 5 },
            ordinary_panel: 2,
            ..RawConfig::default()
        };
        let e = Config::from_raw(raw).unwrap_err().0.join("\n");
        for name in [
            "hearing_sessions[1]",
            "slot_minutes",
            "schedule_time_limit_seconds",
            "schedule_stall_seconds",
            "hearing_slots",
            "drafting_buffer",
            "ordinary_panel",
        ] {
            assert!(e.contains(name), "{name} missing in {e}");
        }
        assert!(!e.contains("hearing_sessions[0]"), "{e}");
    }

    #[test]
    fn the_default_day_has_a_morning_of_six_and_an_afternoon_of_eight_slots() {
        let c = Config::from_raw(RawConfig::default()).unwrap();
        let slots: Vec<u32> = c.hearings.sessions.iter().map(|(_, n)| *n).collect();
        assert_eq!(slots, vec![6, 8]);
    }

    #[test]
    fn a_rate_limit_of_zero_turns_it_off() {
        let c = Config::from_raw(RawConfig { rate_limit_per_minute: 0, ..RawConfig::default() }).unwrap();
        assert!(c.rate_limit_per_minute.is_none());
    }

    #[test]
    fn bad_network_settings_are_reported_by_name() {
        let raw = RawConfig {
            trusted_proxies: vec!["10.0.0.0/8".into(), "10.0.0.0/33".into(), "proxy".into()],
            public_url: Some("ftp://arb.example".into()),
            header_read_timeout_seconds: 0,
            max_connections: 3,
            ..RawConfig::default()
        };
        let errs = Config::from_raw(raw).unwrap_err().0;
        for name in ["trusted_proxies[1]", "trusted_proxies[2]", "public_url", "header_read_timeout_seconds", "max_connections"] {
            assert!(errs.iter().any(|e| e.starts_with(name)), "{name} named: {errs:?}");
        }
        assert!(!errs.iter().any(|e| e.starts_with("trusted_proxies[0]")), "{errs:?}");
    }

    #[test]
    fn a_trusted_network_holds_its_addresses_only() {
        let n = Network::parse("10.0.0.0/8").unwrap();
        assert!(n.contains("10.200.1.2".parse().unwrap()));
        assert!(!n.contains("11.0.0.1".parse().unwrap()));
        assert!(!n.contains("::1".parse().unwrap()));
        assert!(Network::parse("::1").unwrap().contains("::1".parse().unwrap()));
    }
}
