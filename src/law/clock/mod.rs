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
}

impl Default for ClockRules {
    fn default() -> Self {
        Self { roll_forward_award_due: true, exclusive_notice_reading: true }
    }
}

/// The kind of award, for the windows that follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AwardKind {
    /// 终局裁决 (Law Art. 47)
    Final,
    /// 非终局裁决
    NonFinal,
}

/// What is known of the award: when it was made and when each side received it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AwardFacts {
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
    pub award: Option<AwardFacts>,
    /// Today, for a suspension still running.
    pub today: NaiveDate,
}

/// The windows after an award (Law Art. 47–50), calendar days from each side's receipt.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AppealWindows {
    /// Last day for the worker to sue (Law Art. 48 final; Art. 50 non-final).
    pub worker_may_sue_by: Option<NaiveDate>,
    /// Last day for the employer to sue against a non-final award (Law Art. 50).
    pub employer_may_sue_by: Option<NaiveDate>,
    /// Last day for the employer to petition the intermediate court to revoke a final award (Law Art. 49).
    pub employer_may_petition_by: Option<NaiveDate>,
    /// The day the award takes effect if nobody sues (final: the day made, Law Art. 47).
    pub effective_on: Option<NaiveDate>,
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
    /// 答辩期限: known once the respondent has received the copy; null when the period is waived.
    pub defence_by: Option<NaiveDate>,
    /// The earliest day a hearing may lawfully be held.
    pub hearing_not_before: Option<NaiveDate>,
    /// The last day to serve the notice of the hearing that is set.
    pub hearing_notice_by: Option<NaiveDate>,
    /// The last day a party may ask to postpone the hearing that is set.
    pub postpone_by: Option<NaiveDate>,
    /// 审限: the award deadline; null while the case is suspended.
    pub award_due: Option<NaiveDate>,
    /// The day the award period runs from: acceptance or the latest restart.
    pub award_period_from: Option<NaiveDate>,
    pub extended: bool,
    pub extension_days: u32,
    pub suspended_days: i64,
    pub public_notice_days: i64,
    /// The day a suspension still running began.
    pub suspended_since: Option<NaiveDate>,
    pub appeal: Option<AppealWindows>,
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
    let buffer = u32::from(rules.exclusive_notice_reading);

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
    let mut defence_days = Some(DEFENCE_WORKING_DAYS);
    let mut period_from = accepted;
    let mut extension = 0;
    let mut open_suspension: Option<NaiveDate> = None;
    // Periods [from, to) left out of the award period (Rules Art. 46(6)); empty vectors do not allocate.
    let mut suspensions: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    let mut notices: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for e in case.events {
        match &e.event {
            E::CopyServed => copy_received = copy_received.or(Some(e.on)),
            // CPL Art. 95 via Rules Art. 20: public notice is deemed served 30 days after publication.
            E::PublicNotice => {
                let end = e.on + Days::new(PUBLIC_NOTICE_DAYS as u64);
                copy_received = copy_received.or(Some(end));
                notices.push((e.on, end));
            }
            // Rules §3: on the green and simple tracks the respondent may waive or shorten the defence period.
            E::DefenceWaived { days } => defence_days = *days,
            E::Suspended { .. } => open_suspension = open_suspension.or(Some(e.on)),
            E::Resumed => {
                if let Some(from) = open_suspension.take() {
                    suspensions.push((from, e.on));
                }
            }
            // Law Art. 43; Rules Art. 45: one extension of at most 15 calendar days.
            E::Extended { days, .. } => extension = (*days).min(events::MAX_EXTENSION_DAYS),
            // Rules Art. 46(1)–(5): the award period starts again from the restart event.
            E::Restarted { .. } => period_from = period_from.max(e.on),
            E::TribunalNotified => {}
        }
    }
    if let Some(from) = open_suspension {
        suspensions.push((from, case.today.max(from)));
    }
    out.suspended_days = overlap_days(&suspensions, period_from);
    out.public_notice_days = overlap_days(&notices, period_from);

    // Law Art. 30; Rules Art. 33: defence within 10 working days of receiving the copy.
    if let (Some(received), Some(days)) = (copy_received, defence_days) {
        out.defence_by = Some(take("defence_by", cal.add_working_days(received, days)));
    }

    // Law Art. 35; Rules Art. 38: the hearing notice is served at least 5 working days ahead, at
    // the earliest on the day of acceptance; unless waived the hearing follows the defence period.
    let notice_from = case.hearing.and_then(|h| h.notice_served_on).unwrap_or(accepted);
    let by_notice = take("hearing_not_before", cal.add_working_days(notice_from, 5 + buffer));
    let by_defence = match (defence_days, out.defence_by) {
        (None, _) => None,
        (Some(_), Some(defence_by)) => Some(take("hearing_not_before", cal.add_working_days(defence_by, 1))),
        (Some(days), None) => Some(take("hearing_not_before", cal.add_working_days(accepted, days + 1))),
    };
    out.hearing_not_before = Some(by_notice.max(by_defence.unwrap_or(by_notice)));
    if let Some(h) = case.hearing {
        out.hearing_notice_by = cal.latest_working_day_before(h.on, 5 + buffer).map(|c| take("hearing_notice_by", c));
        // Law Art. 35; Rules Art. 38: postponement asked at least 3 working days before the hearing.
        out.postpone_by = cal.latest_working_day_before(h.on, 3 + buffer).map(|c| take("postpone_by", c));
    }

    out.award_period_from = Some(period_from);
    out.extended = extension > 0;
    out.extension_days = extension;
    out.suspended_since = open_suspension;
    if open_suspension.is_none() {
        // Law Art. 43; Rules Art. 45–46: 45 days from acceptance or restart, plus the extension,
        // plus the suspended and public-notice days; rolled to a working day per CPL Art. 85.
        let excluded_days = if notices.is_empty() || suspensions.is_empty() {
            out.suspended_days + out.public_notice_days
        } else {
            suspensions.extend_from_slice(&notices);
            overlap_days(&suspensions, period_from)
        };
        let days = AWARD_PERIOD_DAYS as i64 + extension as i64 + excluded_days;
        let due = cal.add_calendar_days(period_from, days.clamp(0, u32::MAX as i64) as u32, rules.roll_forward_award_due);
        out.award_due = Some(take("award_due", due));
    }

    if let Some(award) = case.award {
        out.appeal = Some(appeal_windows(cal, &award, &mut take));
    }
    out.provisional = !provisional.is_empty();
    out.provisional_fields = provisional;
    out
}

fn appeal_windows(
    cal: &WorkingCalendar,
    award: &AwardFacts,
    take: &mut impl FnMut(&'static str, CalendarDate) -> NaiveDate,
) -> AppealWindows {
    // Periods facing the courts: calendar days, start excluded, rolled forward (CPL Art. 85).
    let mut period = |from: Option<NaiveDate>, days: u32| from.map(|d| take("appeal", cal.add_calendar_days(d, days, true)));
    match award.kind {
        AwardKind::Final => AppealWindows {
            // Law Art. 48: the worker may sue within 15 days of receiving a final award.
            worker_may_sue_by: period(award.worker_served_on, 15),
            employer_may_sue_by: None,
            // Law Art. 49: the employer may petition to revoke within 30 days of receipt.
            employer_may_petition_by: period(award.employer_served_on, 30),
            // Law Art. 47: a final award takes effect on the day it is made.
            effective_on: Some(award.made_on),
        },
        AwardKind::NonFinal => {
            // Law Art. 50: either party may sue within 15 days of receipt; otherwise the award takes effect.
            let worker = period(award.worker_served_on, 15);
            let employer = period(award.employer_served_on, 15);
            let effective_on = match (worker, employer) {
                (Some(w), Some(e)) => Some(w.max(e) + Days::new(1)),
                _ => None,
            };
            AppealWindows { worker_may_sue_by: worker, employer_may_sue_by: employer, employer_may_petition_by: None, effective_on }
        }
    }
}

/// Days of the union of the half-open periods `[from, to)` that fall on or after `start`.
fn overlap_days(periods: &[(NaiveDate, NaiveDate)], start: NaiveDate) -> i64 {
    let mut clipped: Vec<(NaiveDate, NaiveDate)> =
        periods.iter().map(|&(a, b)| (a.max(start), b)).filter(|(a, b)| a < b).collect();
    if clipped.len() > 1 {
        clipped.sort_unstable();
    }
    let mut total = 0;
    let mut current: Option<(NaiveDate, NaiveDate)> = None;
    for (a, b) in clipped {
        current = match current {
            Some((ca, cb)) if a <= cb => Some((ca, cb.max(b))),
            Some((ca, cb)) => {
                total += (cb - ca).num_days();
                Some((a, b))
            }
            None => Some((a, b)),
        };
    }
    total + current.map_or(0, |(a, b)| (b - a).num_days())
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
/// the case is suspended: its proceedings, and so its deadlines, are stopped.
pub fn next_deadline(d: &Deadlines, case: &CaseClock) -> Option<(DeadlineKind, NaiveDate)> {
    if d.suspended_since.is_some() {
        return None;
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
        if case.award.is_none() {
            open.push((DeadlineKind::AwardDue, d.award_due));
        }
    }
    open.into_iter().filter_map(|(k, due)| due.map(|due| (k, due))).min_by_key(|&(_, due)| due)
}

#[cfg(test)]
mod tests;
