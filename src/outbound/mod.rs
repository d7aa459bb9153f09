//! Where messages leave the service: e-mail through an SMTP relay (`mail`) and SMS through an
//! HTTP gateway (`sms`). Adapters only: what to send and when is decided in `app::services`.

pub mod http;
pub mod mail;
pub mod sms;
