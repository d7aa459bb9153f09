//! The rules of the statute and of the commission, as pure functions over plain data.
//!
//! Nothing here reads a clock, a file or a database: "today" and every dated
//! threshold are passed in, so each rule can be tested against the article it cites.

pub mod application;
pub mod award;
pub mod calendar;
pub mod case;
pub mod case_no;
pub mod clock;
pub mod court;
pub mod dates;
pub mod identity;
pub mod limitation;
pub mod money;
pub mod refusal;
pub mod routing;
pub mod service;
pub mod thresholds;
pub mod typed;

use serde::Serialize;

/// A broken rule: a stable code for programs and a Chinese message for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub code: &'static str,
    pub message: String,
}

impl Violation {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
}

/// One problem with one input field, as reported in the error envelope's `fields`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// Path of the field in the request, e.g. `applicants[0].id_number`.
    pub field: String,
    /// Stable machine-readable rule name, e.g. `check_digit`.
    pub code: String,
    /// What is wrong and what to do, in Chinese.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, v: Violation) -> Self {
        Self { field: field.into(), code: v.code.to_string(), message: v.message }
    }
}
