//! The limitation period for applying (仲裁时效): a warning for the tribunal, never a refusal.

use chrono::{Months, NaiveDate};

use super::application::Application;

/// A warning that a claim may be time-barred; the respondent may raise it, the tribunal decides.
pub fn warnings(app: &Application, filed_on: NaiveDate) -> Vec<String> {
    let Some(end) = app.employment.end else {
        // Law Art. 27(4): while employment lasts, unpaid remuneration is not time-barred; other claims run
        // from when the worker knew of the infringement, which the application does not state.
        return Vec::new();
    };
    // Law Art. 27(1),(4): one year, for wage arrears counted from the end of the employment.
    let barred_after = end.checked_add_months(Months::new(12)).unwrap_or(end);
    if filed_on <= barred_after {
        return Vec::new();
    }
    app.claims
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!(
                "第{}项请求（{}）：劳动关系于{end}终止，申请日距今已超过一年，可能已过仲裁时效（《劳动争议调解仲裁法》第二十七条）。是否中断、中止由仲裁庭审查，不影响受理。",
                i + 1,
                c.kind.label()
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::application::{Application, RawApplication};

    fn app(end: Option<&str>) -> Application {
        let mut raw: RawApplication = serde_json::from_value(serde_json::json!({
            "applicants": [{"name": "张三", "id_number": "11010519491231002X", "phone": "13800138000", "address": "中山市"}],
            "respondents": [{"name": "某某公司", "address": "中山市"}],
            "claims": [{"kind": "unpaid_wages", "amount": "8600.00"}],
            "employment": {"start": "2020-03-01"},
            "facts": "拖欠工资"
        }))
        .unwrap();
        raw.employment.as_mut().unwrap().end = end.map(String::from);
        Application::parse(&raw, NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()).unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn wage_claim_during_employment_has_no_limitation_warning() {
        assert!(warnings(&app(None), d("2026-11-22")).is_empty());
    }

    #[test]
    fn wage_claim_filed_exactly_one_year_after_the_end_is_not_warned() {
        assert!(warnings(&app(Some("2025-11-22")), d("2026-11-22")).is_empty());
    }

    #[test]
    fn wage_claim_filed_a_year_and_a_day_after_the_end_is_warned() {
        let w = warnings(&app(Some("2025-11-21")), d("2026-11-22"));
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("第二十七条"));
    }
}
