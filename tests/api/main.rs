//! The integration suite in one binary: the real router and use cases over a fresh database,
//! each test on SQLite and on PostgreSQL (`on_both_backends!`), and the command line.

#[macro_use]
mod common;

mod abuse;
mod acceptance;
mod accounts;
mod authorization;
mod availability;
mod cli;
mod clock;
mod demo;
mod document_kinds;
mod documents;
mod figures;
mod hearings;
mod instances;
mod openapi;
mod pages;
mod parties;
mod races;
mod registration;
mod rescheduling;
mod schedule_cli;
mod scheduling;
mod schema;
mod secrets;
mod server;
mod services;
mod settings;
mod simulate;
