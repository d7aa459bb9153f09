//! greenlane: the service a labor-dispute arbitration commission runs.
//!
//! A pure core (`law`) under a thin shell (`store`, `app`, `http`); see `../shared/design/architecture.md`.

pub mod app;
pub mod config;
pub mod documents;
pub mod figures;
pub mod http;
pub mod law;
pub mod scheduling;
pub mod store;
pub mod time;
