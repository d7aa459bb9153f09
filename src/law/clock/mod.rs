//! The statutory clock: every deadline of a case, computed from its dates and events.
//!
//! Working days for "三日/五日/十日", calendar days for "十五日/四十五日" (Rules, 附则), start day
//! excluded (CPL Art. 85 via Rules Art. 19).

pub mod events;

use chrono::{Days, NaiveDate};
use serde::Serialize;

pub use events::{ClockEntry, ClockEvent, RestartCause, SuspensionGround};
use events::{DEFENCE_WORKING_DAYS, PUBLIC_NOTICE_DAYS};

use super::calendar::{CalendarDate, WorkingCalendar};

/// Award period in calendar days (Law Art. 43; Rules Art. 45).
pub const AWARD_PERIOD_DAYS: u32 = 45;

/// How the commission reads the clock where the statute leaves room (rules.md §1.8–§1.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockRules {
    /// Move an award deadline that lands on a rest day to the next working day (CPL Art. 85).
    pub roll_forward_award_due: bool,
    /// Read "at least 5 (3) days before the hearing" exclusively: one extra working day of buffer.
    pub exclusive_notice_reading: bool,
    /// Move a public notice's deemed service (publication + 30 days) that lands on a rest day to
    /// the next working day (CPL Art. 85 applied to CPL Art. 95).
    pub roll_forward_public_notice: bool,
}

impl Default for ClockRules {
    fn default() -> Self {
        Self { roll_forward_award_due: true, exclusive_notice_reading: true, roll_forward_public_notice: true }
    }
}

impl ClockRules {
    /// Working days between a notice's service and the hearing: 5 (Law Art. 35), plus one under
    /// the exclusive reading.
    pub fn notice_working_days(self) -> u32 {
        5 + u32::from(self.exclusive_notice_reading)
    }
}

/// The kind of document that ends a case, for the windows that follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AwardKind {
    /// 终局裁决 (Law Art. 47)
    Final,
    /// 非终局裁决
    NonFinal,
    /// 调解书 (Law Art. 42): no appeal; effective once both parties have signed for it.
    Mediation,
}

/// What is known of one award (or mediation statement): when it was made and when each side received it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AwardFacts {
    /// The document, when the service issued it (`None` from the command line).
    pub document_id: Option<i64>,
    pub kind: AwardKind,
    pub made_on: NaiveDate,
    pub worker_served_on: Option<NaiveDate>,
    pub employer_served_on: Option<NaiveDate>,
}

/// The next hearing, if one is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HearingFacts {
    pub on: NaiveDate,
    pub notice_served_on: Option<NaiveDate>,
}

/// Everything the clock reads about one case.
#[derive(Debug, Clone, Copy)]
pub struct CaseClock<'a> {
    /// The day the application was received.
    pub filed_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    /// Clock events, oldest first.
    pub events: &'a [ClockEntry],
    pub hearing: Option<HearingFacts>,
    /// The awards and mediation statements issued, each with its service on each side.
    pub awards: &'a [AwardFacts],
    /// Today, for a suspension still running.
    pub today: NaiveDate,
}

/// The windows after one award (Law Art. 47–50), calendar days from each side's receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AppealWindows {
    /// The award or mediation statement (null when computed from the command line).
    pub document_id: Option<i64>,
    pub kind: AwardKind,
    /// True for a final award (Law Art. 47).
    #[serde(rename = "final")]
    pub is_final: bool,
    /// Last day for the worker to sue (Law Art. 48 final; Art. 50 non-final); null until served.
    pub worker_may_sue_by: Option<NaiveDate>,
    /// Last day for the employer to sue against a non-final award (Law Art. 50).
    pub employer_may_sue_by: Option<NaiveDate>,
    /// Last day for the employer to petition the intermediate court to revoke a final award (Law Art. 49).
    pub employer_may_petition_by: Option<NaiveDate>,
    /// The day the document takes effect (final: the day made, Law Art. 47; non-final: when
    /// both sides' windows have run, Law Art. 50; mediation: when both have signed, Law Art. 42).
    pub effective_on: Option<NaiveDate>,
}

/// `deadlines.appeal` (api.md "Clock facts of an award's service"): one object for a case with one
/// award, a list for a split award.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum Appeal {
    One(AppealWindows),
    Split(Vec<AppealWindows>),
}

impl Appeal {
    /// Every award's windows, in the order issued.
    pub fn windows(&self) -> &[AppealWindows] {
        match self {
            Appeal::One(w) => std::slice::from_ref(w),
            Appeal::Split(list) => list,
        }
    }
}

/// Every deadline of a case as far as its events so far determine them (api.md `deadlines`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Deadlines {
    /// 受理期限: decide on acceptance by this day.
    pub accept_by: Option<NaiveDate>,
    /// 送达期限: serve the application copy on the respondent by this day.
    pub serve_by: Option<NaiveDate>,
    /// Notify the parties of the tribunal's composition by this day.
    pub tribunal_notice_by: Option<NaiveDate>,
    /// The day the respondent received the copy, or is deemed to have received it after a public notice.
    pub copy_served_on: Option<NaiveDate>,
    /// 答辩期限: known once the respondent has received the copy; null when the period is waived.
    pub defence_by: Option<NaiveDate>,
    /// The earliest day a hearing may lawfully be held.
    pub hearing_not_before: Option<NaiveDate>,
    /// The last day to serve the notice of the hearing that is set.
    pub hearing_notice_by: Option<NaiveDate>,
    /// The last day a party may ask to postpone the hearing that is set.
    pub postpone_by: Option<NaiveDate>,
    /// 审限: the award deadline; null while a suspension that began within it runs.
    pub award_due: Option<NaiveDate>,
    /// The day the award period runs from: acceptance or the latest restart.
    pub award_period_from: Option<NaiveDate>,
    pub extended: bool,
    pub extension_days: u32,
    /// Days of suspension left out of the award period (only those that began within it).
    pub suspended_days: i64,
    /// Days of public notice left out of the award period (only those that began within it).
    pub public_notice_days: i64,
    /// The day a suspension still running began.
    pub suspended_since: Option<NaiveDate>,
    /// Suspensions and public notices that began after the award period had run out: recorded,
    /// but they do not move `award_due` (Rules Art. 46(6) leaves out periods within the limit).
    pub late_exclusions: Vec<NaiveDate>,
    /// The defence-period waiver was voided by a later public notice (Rules Art. 57–58).
    pub waiver_voided: bool,
    pub appeal: Option<Appeal>,
    /// True when a date rests on a year whose official holiday calendar is not loaded yet.
    pub provisional: bool,
    /// Which of the dates above are provisional (`appeal` for the windows after the award).
    #[schema(value_type = Vec<String>)]
    pub provisional_fields: Vec<&'static str>,
}

impl Deadlines {
    /// Whether the date in `field` rests on a year not loaded yet.
    pub fn is_provisional(&self, field: &str) -> bool {
        self.provisional_fields.contains(&field)
    }
}

/// A period left out of the award period (Rules Art. 46(6)): `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Exclusion {
    from: NaiveDate,
    to: NaiveDate,
    suspension: bool,
}

/// The day a public notice published on `published` is deemed served: 30 days later (CPL Art. 95
/// via Rules Art. 20), rolled to a working day when the commission reads CPL Art. 85 so.
pub fn deemed_served(cal: &WorkingCalendar, rules: ClockRules, published: NaiveDate) -> CalendarDate {
    cal.add_calendar_days(published, PUBLIC_NOTICE_DAYS, rules.roll_forward_public_notice)
}

/// Computes every deadline of `case`.
pub fn deadlines(cal: &WorkingCalendar, rules: ClockRules, case: &CaseClock) -> Deadlines {
    use ClockEvent as E;
    let mut provisional: Vec<&'static str> = Vec::new();
    let mut take = |field: &'static str, c: CalendarDate| {
        if c.provisional && !provisional.contains(&field) {
            provisional.push(field);
        }
        c.date
    };
    let mut out = Deadlines::default();

    // Rules Art. 46(2): completing the materials resets the receipt date.
    let received = case
        .events
        .iter()
        .filter(|e| e.event == (E::Restarted { cause: RestartCause::MaterialsCompleted }))
        .filter(|e| case.accepted_on.is_none_or(|a| e.on <= a))
        .map(|e| e.on)
        .max()
        .unwrap_or(case.filed_on);
    // Law Art. 29; Rules Art. 30: decide on acceptance within 5 working days of receipt.
    out.accept_by = Some(take("accept_by", cal.add_working_days(received, 5)));

    let Some(accepted) = case.accepted_on else {
        out.provisional = !provisional.is_empty();
        out.provisional_fields = provisional;
        return out;
    };
    // Law Art. 30; Rules Art. 33: serve the application copy within 5 working days of acceptance;
    // Law Art. 32; Rules Art. 37: notify the tribunal's composition within the same 5 working days.
    let five_after_acceptance = cal.add_working_days(accepted, 5);
    out.serve_by = Some(take("serve_by", five_after_acceptance));
    out.tribunal_notice_by = Some(take("tribunal_notice_by", five_after_acceptance));

    let mut copy_received = None;
    let mut waiver: Option<Option<u32>> = None;
    let mut public_notice = false;
    let mut period_from = accepted;
    let mut extension = 0;
    let mut open_suspension: Option<NaiveDate> = None;
    let mut exclusions: Vec<Exclusion> = Vec::new();
    for e in case.events {
        match &e.event {
            E::CopyServed => copy_received = copy_received.or(Some(e.on)),
            // CPL Art. 95 via Rules Art. 20: public notice is deemed served 30 days after publication.
            E::PublicNotice => {
                let end = take("copy_served_on", deemed_served(cal, rules, e.on));
                copy_received = copy_received.or(Some(end));
                public_notice = true;
                exclusions.push(Exclusion { from: e.on, to: end, suspension: false });
            }
            // Rules Art. 58: under the simplified procedure the respondent may waive or shorten the defence period.
            E::DefenceWaived { days } => waiver = Some(*days),
            E::Suspended { .. } => open_suspension = open_suspension.or(Some(e.on)),
            E::Resumed => {
                if let Some(from) = open_suspension.take() {
                    exclusions.push(Exclusion { from, to: e.on, suspension: true });
                }
            }
            // Law Art. 43; Rules Art. 45: one extension of at most 15 calendar days.
            E::Extended { days, .. } => extension = (*days).min(events::MAX_EXTENSION_DAYS),
            // Rules Art. 46(1)–(5): the award period starts again from the restart event.
            E::Restarted { .. } => period_from = period_from.max(e.on),
            E::TribunalNotified => {}
        }
    }
    out.copy_served_on = copy_received;
    // Rules Art. 57: a respondent who can only be reached by public notice excludes the
    // simplified procedure, and with it the waiver that presupposed contact (Rules Art. 58).
    out.waiver_voided = public_notice && waiver.is_some();
    // A period shortened to nothing is a waiver: no defence deadline on the day of receipt itself.
    let defence_days = match waiver {
        Some(days) if !public_notice => days.filter(|d| *d > 0),
        _ => Some(DEFENCE_WORKING_DAYS),
    };

    // Law Art. 30; Rules Art. 33: defence within 10 working days of receiving the copy.
    if let (Some(received), Some(days)) = (copy_received, defence_days) {
        out.defence_by = Some(take("defence_by", cal.add_working_days(received, days)));
    }

    // Law Art. 35; Rules Art. 38: the hearing notice is served at least 5 working days ahead, at
    // the earliest on the day of acceptance and never before the respondent is (deemed) served;
    // unless waived the hearing follows the defence period.
    let notice_from = case.hearing.and_then(|h| h.notice_served_on).unwrap_or(accepted).max(copy_received.unwrap_or(accepted));
    let by_notice = take("hearing_not_before", cal.add_working_days(notice_from, rules.notice_working_days()));
    let by_defence = match (defence_days, out.defence_by) {
        (None, _) => None,
        (Some(_), Some(defence_by)) => Some(take("hearing_not_before", cal.add_working_days(defence_by, 1))),
        (Some(days), None) => Some(take("hearing_not_before", cal.add_working_days(accepted, days + 1))),
    };
    out.hearing_not_before = Some(by_notice.max(by_defence.unwrap_or(by_notice)));
    if let Some(h) = case.hearing {
        out.hearing_notice_by = cal.latest_working_day_before(h.on, rules.notice_working_days()).map(|c| take("hearing_notice_by", c));
        // Law Art. 35; Rules Art. 38: postponement asked at least 3 working days before the hearing.
        let postpone_days = 3 + u32::from(rules.exclusive_notice_reading);
        out.postpone_by = cal.latest_working_day_before(h.on, postpone_days).map(|c| take("postpone_by", c));
    }

    out.award_period_from = Some(period_from);
    out.extended = extension > 0;
    out.extension_days = extension;
    if let Some(from) = open_suspension {
        exclusions.push(Exclusion { from, to: case.today.max(from), suspension: true });
    }
    // Law Art. 43; Rules Art. 45–46: 45 days from acceptance or restart, plus the extension, plus
    // the suspended and public-notice days that began within the limit; rolled per CPL Art. 85.
    let base = period_from + Days::new(u64::from(AWARD_PERIOD_DAYS + extension));
    let roll = |day: NaiveDate| cal.add_calendar_days(day, 0, rules.roll_forward_award_due);
    let counted = count_exclusions(&exclusions, period_from, base, |d| roll(d).date);
    out.suspended_days = counted.suspended_days;
    out.public_notice_days = counted.public_notice_days;
    out.late_exclusions = counted.late;
    let stopped = open_suspension.filter(|from| !out.late_exclusions.contains(from));
    out.suspended_since = open_suspension;
    if stopped.is_none() {
        out.award_due = Some(take("award_due", roll(counted.due)));
    }

    let windows: Vec<AppealWindows> = case.awards.iter().map(|a| appeal_windows(cal, a, &mut take)).collect();
    out.appeal = match windows.len() {
        0 => None,
        1 => windows.into_iter().next().map(Appeal::One),
        _ => Some(Appeal::Split(windows)),
    };
    out.provisional = !provisional.is_empty();
    out.provisional_fields = provisional;
    out
}

/// What the exclusions do to the award period.
struct Counted {
    /// The deadline before rolling to a working day.
    due: NaiveDate,
    suspended_days: i64,
    public_notice_days: i64,
    /// Start days of exclusions that began after the deadline then in force.
    late: Vec<NaiveDate>,
}

/// Rules Art. 46(6): suspension and public-notice periods within the award period are not
/// counted. Taken in order of their start, each adds its days not already covered, provided it
/// begins on or before the deadline in force at that moment (rolled as `in_force` says); one that
/// begins later cannot revive a limit that has already run out.
fn count_exclusions(
    exclusions: &[Exclusion],
    period_from: NaiveDate,
    base: NaiveDate,
    in_force: impl Fn(NaiveDate) -> NaiveDate,
) -> Counted {
    let mut sorted: Vec<Exclusion> =
        exclusions.iter().map(|e| Exclusion { from: e.from.max(period_from), ..*e }).filter(|e| e.from <= e.to).collect();
    sorted.sort_by_key(|e| (e.from, e.to));
    let mut out = Counted { due: base, suspended_days: 0, public_notice_days: 0, late: Vec::new() };
    let mut covered_until = period_from;
    for e in sorted {
        if e.from > in_force(out.due) {
            out.late.push(e.from);
            continue;
        }
        let added = (e.to - e.from.max(covered_until)).num_days().max(0);
        let own = (e.to - e.from).num_days();
        if e.suspension {
            out.suspended_days += own;
        } else {
            out.public_notice_days += own;
        }
        out.due = out.due + Days::new(added as u64);
        covered_until = covered_until.max(e.to);
    }
    out
}

fn appeal_windows(
    cal: &WorkingCalendar,
    award: &AwardFacts,
    take: &mut impl FnMut(&'static str, CalendarDate) -> NaiveDate,
) -> AppealWindows {
    // Periods facing the courts: calendar days, start excluded, rolled forward (CPL Art. 85).
    let mut period = |from: Option<NaiveDate>, days: u32| from.map(|d| take("appeal", cal.add_calendar_days(d, days, true)));
    let mut w = AppealWindows {
        document_id: award.document_id,
        kind: award.kind,
        is_final: award.kind == AwardKind::Final,
        worker_may_sue_by: None,
        employer_may_sue_by: None,
        employer_may_petition_by: None,
        effective_on: None,
    };
    match award.kind {
        AwardKind::Final => {
            // Law Art. 48: the worker may sue within 15 days of receiving a final award.
            w.worker_may_sue_by = period(award.worker_served_on, 15);
            // Law Art. 49: the employer may petition to revoke within 30 days of receipt.
            w.employer_may_petition_by = period(award.employer_served_on, 30);
            // Law Art. 47: a final award takes effect on the day it is made.
            w.effective_on = Some(award.made_on);
        }
        AwardKind::NonFinal => {
            // Law Art. 50: either party may sue within 15 days of receipt; otherwise the award takes effect.
            w.worker_may_sue_by = period(award.worker_served_on, 15);
            w.employer_may_sue_by = period(award.employer_served_on, 15);
            w.effective_on = match (w.worker_may_sue_by, w.employer_may_sue_by) {
                (Some(a), Some(b)) => Some(a.max(b) + Days::new(1)),
                _ => None,
            };
        }
        // Law Art. 42: a mediation statement takes effect once both parties have signed for it.
        AwardKind::Mediation => {
            w.effective_on = match (award.worker_served_on, award.employer_served_on) {
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            }
        }
    }
    w
}

/// A deadline that is still to be met, for the deadline board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    AcceptBy,
    ServeBy,
    TribunalNoticeBy,
    AwardDue,
}

impl DeadlineKind {
    /// The field of [`Deadlines`] this deadline is.
    pub fn field(self) -> &'static str {
        match self {
            DeadlineKind::AcceptBy => "accept_by",
            DeadlineKind::ServeBy => "serve_by",
            DeadlineKind::TribunalNoticeBy => "tribunal_notice_by",
            DeadlineKind::AwardDue => "award_due",
        }
    }

    /// The deadline in the commission's words, with its article.
    pub fn label(self) -> &'static str {
        match self {
            DeadlineKind::AcceptBy => "受理审查（调解仲裁法第二十九条）",
            DeadlineKind::ServeBy => "送达申请书副本（调解仲裁法第三十条）",
            DeadlineKind::TribunalNoticeBy => "书面通知仲裁庭组成（调解仲裁法第三十二条）",
            DeadlineKind::AwardDue => "审限届满（调解仲裁法第四十三条）",
        }
    }
}

/// The earliest deadline of a case still to be met: acceptance while filed; service of the copy
/// and the tribunal notice until recorded; the award deadline until the award is made. None while
/// a suspension that began within the limit runs: its proceedings, and so its deadlines, are
/// stopped. A suspension recorded after the limit ran out stops nothing: the award deadline stays.
pub fn next_deadline(d: &Deadlines, case: &CaseClock) -> Option<(DeadlineKind, NaiveDate)> {
    if d.suspended_since.is_some() {
        return d.award_due.filter(|_| case.awards.is_empty()).map(|due| (DeadlineKind::AwardDue, due));
    }
    let done = |kind: fn(&ClockEvent) -> bool| case.events.iter().any(|e| kind(&e.event));
    let mut open = Vec::with_capacity(4);
    if case.accepted_on.is_none() {
        open.push((DeadlineKind::AcceptBy, d.accept_by));
    } else {
        if !done(|e| matches!(e, ClockEvent::CopyServed | ClockEvent::PublicNotice)) {
            open.push((DeadlineKind::ServeBy, d.serve_by));
        }
        if !done(|e| matches!(e, ClockEvent::TribunalNotified)) {
            open.push((DeadlineKind::TribunalNoticeBy, d.tribunal_notice_by));
        }
        if case.awards.is_empty() {
            open.push((DeadlineKind::AwardDue, d.award_due));
        }
    }
    open.into_iter().filter_map(|(k, due)| due.map(|due| (k, due))).min_by_key(|&(_, due)| due)
}

#[cfg(test)]
mod tests;
