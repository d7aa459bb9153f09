//! greenlane: the service a labor-dispute arbitration commission runs.
//!
//! A pure core (`law`, `scheduling`, `documents`) under a thin shell (`store`, `app`, `http`); see
//! `ARCHITECTURE.md`. `demo` fills a database with generated commissions through the use cases.

pub mod app;
pub mod config;
pub mod demo;
pub mod documents;
pub mod figures;
pub mod http;
pub mod law;
pub mod notifications;
pub mod outbound;
pub mod scheduling;
pub mod simulate;
pub mod store;
pub mod time;
