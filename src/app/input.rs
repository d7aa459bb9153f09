//! Field checks shared by use cases: required text and dates, each failure named by field.

use chrono::NaiveDate;

use crate::law::{FieldError, Violation};
use crate::scheduling::problem::IsoDate;

/// Trimmed text of at most `max` characters, required.
pub fn required_text(raw: Option<&str>, field: &str, label: &str, max: usize, errs: &mut Vec<FieldError>) -> Option<String> {
    let t = raw.map(str::trim).unwrap_or("");
    if t.is_empty() {
        errs.push(FieldError::new(field, Violation::new("required", format!("请填写{label}"))));
        None
    } else if t.chars().count() > max {
        errs.push(FieldError::new(field, Violation::new("too_long", format!("{label}不能超过{max}个字"))));
        None
    } else {
        Some(t.to_string())
    }
}

/// A strict `YYYY-MM-DD` date; blank is `None` and no error.
pub fn optional_date(raw: Option<&str>, field: &str, label: &str, errs: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let s = raw.map(str::trim).filter(|s| !s.is_empty())?;
    let d = IsoDate::parse(s);
    if d.is_none() {
        errs.push(FieldError::new(field, Violation::new("bad_date", format!("{label}“{s}”应为 YYYY-MM-DD 格式的日期"))));
    }
    d
}

/// A strict `YYYY-MM-DD` date, required.
pub fn required_date(raw: Option<&str>, field: &str, label: &str, errs: &mut Vec<FieldError>) -> Option<NaiveDate> {
    if raw.map(str::trim).unwrap_or("").is_empty() {
        errs.push(FieldError::new(field, Violation::new("required", format!("请填写{label}"))));
        return None;
    }
    optional_date(raw, field, label, errs)
}
