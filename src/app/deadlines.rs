//! The deadline facade: the one place the service asks `law::clock` for a case's deadlines, from
//! the case's stored dates, its clock entries, its hearing and its awards' service.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{App, AppError};
use crate::law::calendar::WorkingCalendar;
use crate::law::case::{Outcome, Status};
use crate::law::clock::{self, AwardFacts, CaseClock, ClockEntry, DeadlineKind, Deadlines, HearingFacts};
use crate::store::cases::{self, CaseRow, OpenCaseRow};
use crate::store::clock::{self as store, ClockEventRow};

/// The dates of a case the clock reads, as stored.
#[derive(Clone, Copy)]
pub struct CaseDates {
    pub status: Status,
    pub filed_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
}

impl CaseDates {
    /// The dates of a stored case (`YYYY-MM-DD` text).
    pub fn parse(status: Status, filed_on: &str, accepted_on: Option<&str>) -> anyhow::Result<Self> {
        Ok(CaseDates { status, filed_on: filed_on.parse()?, accepted_on: accepted_on.map(str::parse).transpose()? })
    }
}

/// Stored clock events grouped by case, each group in the order recorded.
pub fn entries_by_case(rows: &[ClockEventRow]) -> anyhow::Result<HashMap<String, Vec<ClockEntry>>> {
    let mut out: HashMap<String, Vec<ClockEntry>> = HashMap::new();
    for row in rows {
        out.entry(row.case_id.clone()).or_default().push(store::entry_of(row)?);
    }
    Ok(out)
}

/// What a case keeps when it closes on `on`: its cycle in calendar days from acceptance, and
/// whether it closed by the award deadline as the clock has it then (Law Art. 43; Rules Art. 45–47:
/// extension, suspension and restart applied). A suspended case closes within its limit: its
/// clock is stopped.
pub async fn closing<'a>(
    app: &App,
    conn: &mut sqlx::AnyConnection,
    case: &CaseRow,
    outcome: Outcome,
    on: NaiveDate,
) -> Result<cases::Closing<'a>, AppError> {
    let entries = store::entries(conn, &case.id).await?;
    let dates = CaseDates::parse(case.status, &case.filed_on, case.accepted_on.as_deref())?;
    let d = app.deadlines_of(&dates, &entries);
    let within_limit = d.award_due.map(|due| on <= due).or(d.suspended_since.map(|_| true));
    let cycle_days = dates.accepted_on.map(|a| (on - a).num_days().max(0));
    Ok(cases::Closing { outcome, on: on.to_string(), cycle_days, within_limit, award_finality: None })
}

/// Every open case with its clock events (and its parties, when `with_parties`), read on one
/// connection (or inside a transaction).
pub async fn open_case_clocks(conn: &mut sqlx::AnyConnection, with_parties: bool) -> Result<Vec<(OpenCaseRow, Vec<ClockEntry>)>, AppError> {
    let open = cases::open_cases(conn, with_parties).await?;
    let mut entries = entries_by_case(&store::for_open_cases(conn).await?)?;
    Ok(open
        .into_iter()
        .map(|c| {
            let list = entries.remove(&c.id).unwrap_or_default();
            (c, list)
        })
        .collect())
}

impl App {
    /// Every deadline of a case: the one place the service asks `law::clock`.
    pub fn deadlines_of(&self, case: &CaseDates, entries: &[ClockEntry]) -> Deadlines {
        self.deadlines_with(&self.calendar(), case, entries)
    }

    /// The deadlines of a case over a given calendar (to compare before and after a load).
    pub fn deadlines_with(&self, calendar: &WorkingCalendar, case: &CaseDates, entries: &[ClockEntry]) -> Deadlines {
        let input = self.clock_input(case, entries);
        let mut d = clock::deadlines(calendar, self.config.clock_rules, &input);
        if case.status == Status::Rejected {
            d.accept_by = None;
        }
        d
    }

    fn clock_input<'a>(&self, case: &CaseDates, entries: &'a [ClockEntry]) -> CaseClock<'a> {
        CaseClock {
            filed_on: case.filed_on,
            accepted_on: case.accepted_on,
            events: entries,
            hearing: None,
            awards: &[],
            today: self.time.today(),
        }
    }

    /// Every deadline of a case: its hearing (notice and postponement deadlines) and its awards
    /// with their service (appeal windows, effective dates).
    pub fn deadlines_full(
        &self,
        case: &CaseDates,
        entries: &[ClockEntry],
        hearing: Option<HearingFacts>,
        awards: &[AwardFacts],
    ) -> Deadlines {
        let mut input = self.clock_input(case, entries);
        input.hearing = hearing;
        input.awards = awards;
        let mut d = clock::deadlines(&self.calendar(), self.config.clock_rules, &input);
        if case.status == Status::Rejected {
            d.accept_by = None;
        }
        d
    }

    /// The deadlines of a case with its hearing set (adds the notice and postponement deadlines).
    pub fn deadlines_with_hearing(&self, case: &CaseDates, entries: &[ClockEntry], hearing: Option<HearingFacts>) -> Deadlines {
        let mut input = self.clock_input(case, entries);
        input.hearing = hearing;
        clock::deadlines(&self.calendar(), self.config.clock_rules, &input)
    }

    /// The deadlines of a case whose hearing notice would be served on `notice_on`: what planning a
    /// hearing reads (`hearing_not_before` and `award_due`).
    pub fn deadlines_if_notified(&self, case: &CaseDates, entries: &[ClockEntry], notice_on: NaiveDate) -> Deadlines {
        let mut input = self.clock_input(case, entries);
        // The hearing day itself is not known yet; only the notice day moves the dates read here.
        input.hearing = Some(HearingFacts { on: notice_on, notice_served_on: Some(notice_on) });
        clock::deadlines(&self.calendar(), self.config.clock_rules, &input)
    }

    /// The earliest deadline of an open case still to be met.
    pub fn next_deadline_of(&self, case: &CaseDates, entries: &[ClockEntry]) -> Option<(DeadlineKind, NaiveDate, bool)> {
        let d = self.deadlines_of(case, entries);
        clock::next_deadline(&d, &self.clock_input(case, entries)).map(|(k, due)| (k, due, d.provisional_fields.contains(&k.field())))
    }
}

/// The award deadline before and after a change, for the audit trail.
pub fn award_due_change(before: &Deadlines, after: &Deadlines) -> String {
    let show = |d: &Deadlines| match (d.award_due, d.suspended_since) {
        (Some(due), _) => format!("{due}{}", if d.provisional_fields.contains(&"award_due") { "（暂定）" } else { "" }),
        (None, Some(_)) => "中止中".to_string(),
        (None, None) => "未起算".to_string(),
    };
    format!("审限 {} → {}", show(before), show(after))
}
