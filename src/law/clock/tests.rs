use super::*;
use crate::law::routing::Track;
use events::{Refusal, check_next};
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn at(on: &str, event: ClockEvent) -> ClockEntry {
    ClockEntry { on: d(on), event }
}

fn clock<'a>(accepted: &str, events: &'a [ClockEntry]) -> CaseClock<'a> {
    let accepted = d(accepted);
    CaseClock { filed_on: accepted, accepted_on: Some(accepted), events, hearing: None, award: None, today: d("2026-11-22") }
}

fn compute(c: &CaseClock) -> Deadlines {
    deadlines(&WorkingCalendar::shipped(), ClockRules::default(), c)
}

// The worked examples of rules.md §1.8.

#[test]
fn serve_by_counts_the_sunday_makeup_day() {
    assert_eq!(compute(&clock("2025-01-20", &[])).serve_by, Some(d("2025-01-26")));
}

#[test]
fn serve_by_counts_the_national_day_makeup_and_skips_the_block() {
    assert_eq!(compute(&clock("2025-09-26", &[])).serve_by, Some(d("2025-10-10")));
}

#[test]
fn serve_by_counts_the_spring_festival_makeup_saturday() {
    assert_eq!(compute(&clock("2026-02-10", &[])).serve_by, Some(d("2026-02-24")));
}

#[test]
fn defence_by_is_ten_working_days_after_the_copy_is_received() {
    let served = [at("2025-01-24", ClockEvent::CopyServed)];
    assert_eq!(compute(&clock("2025-01-20", &served)).defence_by, Some(d("2025-02-13")));
    let served = [at("2025-09-30", ClockEvent::CopyServed)];
    assert_eq!(compute(&clock("2025-09-26", &served)).defence_by, Some(d("2025-10-21")));
}

#[test]
fn award_due_is_45_calendar_days_after_acceptance() {
    let dl = compute(&clock("2024-09-27", &[]));
    assert_eq!(dl.award_due, Some(d("2024-11-11")));
    assert!(!dl.provisional && !dl.extended);
}

#[test]
fn extended_award_due_landing_on_saturday_rolls_to_monday() {
    let ext = [at("2026-03-01", ClockEvent::Extended { days: 15, approver: "主任".into() })];
    let dl = compute(&clock("2026-02-10", &ext));
    assert_eq!(dl.award_due, Some(d("2026-04-13")));
    assert!(dl.extended);
}

#[test]
fn award_due_does_not_roll_when_the_commission_says_so() {
    let ext = [at("2026-03-01", ClockEvent::Extended { days: 15, approver: "主任".into() })];
    let rules = ClockRules { roll_forward_award_due: false, ..ClockRules::default() };
    let dl = deadlines(&WorkingCalendar::shipped(), rules, &clock("2026-02-10", &ext));
    assert_eq!(dl.award_due, Some(d("2026-04-11")));
}

#[test]
fn award_due_skips_national_day_holiday() {
    // Accepted 2025-08-20: day 45 is Saturday 2025-10-04, inside the 10-01..10-08 block.
    assert_eq!(compute(&clock("2025-08-20", &[])).award_due, Some(d("2025-10-09")));
}

#[test]
fn accept_by_skips_the_spring_festival_block() {
    // Filed Friday 2026-02-13: 02-14 (make-up Saturday) counts, 02-15..02-23 are off.
    let c = CaseClock { accepted_on: None, filed_on: d("2026-02-13"), ..clock("2026-02-13", &[]) };
    assert_eq!(compute(&c).accept_by, Some(d("2026-02-27")));
    assert_eq!(compute(&c).award_due, None);
}

#[test]
fn completed_materials_reset_the_receipt_date() {
    let done = [at("2026-11-18", ClockEvent::Restarted { cause: RestartCause::MaterialsCompleted })];
    let c = CaseClock { accepted_on: None, filed_on: d("2026-11-16"), ..clock("2026-11-16", &done) };
    assert_eq!(compute(&c).accept_by, Some(d("2026-11-25")));
}

#[test]
fn a_suspension_adds_its_days_to_the_award_period() {
    let ev = [
        at("2026-03-02", ClockEvent::Suspended { ground: SuspensionGround::AwaitingAssessment }),
        at("2026-03-12", ClockEvent::Resumed),
    ];
    let dl = compute(&clock("2026-02-10", &ev));
    assert_eq!(dl.suspended_days, 10);
    // 2026-03-27 (Fri) + 10 days = 2026-04-06, inside the 清明 block (04-04..04-06) → 04-07.
    assert_eq!(dl.award_due, Some(d("2026-04-07")));
}

#[test]
fn a_running_suspension_stops_the_clock() {
    let ev = [at("2026-11-02", ClockEvent::Suspended { ground: SuspensionGround::ForceMajeure })];
    let dl = compute(&clock("2026-10-20", &ev));
    assert_eq!(dl.award_due, None);
    assert_eq!(dl.suspended_since, Some(d("2026-11-02")));
    assert_eq!(dl.suspended_days, 20);
}

#[test]
fn public_notice_is_deemed_served_after_thirty_days_and_not_counted() {
    let ev = [at("2026-03-02", ClockEvent::PublicNotice)];
    let dl = compute(&clock("2026-02-26", &ev));
    assert_eq!(dl.public_notice_days, 30);
    // Deemed served 2026-04-01; ten working days later (清明 04-04..04-06 off) is 2026-04-16.
    assert_eq!(dl.defence_by, Some(d("2026-04-16")));
    // 2026-02-26 + 75 days = 2026-05-12 (Tue).
    assert_eq!(dl.award_due, Some(d("2026-05-12")));
}

#[test]
fn a_restart_runs_the_award_period_from_the_restart_day() {
    let ev = [at("2026-03-10", ClockEvent::Restarted { cause: RestartCause::ClaimsChanged })];
    let dl = compute(&clock("2026-02-10", &ev));
    assert_eq!(dl.award_period_from, Some(d("2026-03-10")));
    // 2026-03-10 + 45 = 2026-04-24 (Fri).
    assert_eq!(dl.award_due, Some(d("2026-04-24")));
}

#[test]
fn a_suspension_before_a_restart_no_longer_counts() {
    let ev = [
        at("2026-02-12", ClockEvent::Suspended { ground: SuspensionGround::Other }),
        at("2026-02-26", ClockEvent::Resumed),
        at("2026-03-10", ClockEvent::Restarted { cause: RestartCause::CounterclaimMerged }),
    ];
    let dl = compute(&clock("2026-02-10", &ev));
    assert_eq!(dl.suspended_days, 0);
    assert_eq!(dl.award_due, Some(d("2026-04-24")));
}

#[test]
fn a_waived_defence_lets_the_hearing_follow_the_notice() {
    let ev = [at("2026-11-16", ClockEvent::DefenceWaived { days: None }), at("2026-11-16", ClockEvent::CopyServed)];
    let dl = compute(&clock("2026-11-16", &ev));
    assert_eq!(dl.defence_by, None);
    // Notice at the earliest on acceptance day, 5 working days + 1 of buffer: 2026-11-24.
    assert_eq!(dl.hearing_not_before, Some(d("2026-11-24")));
}

#[test]
fn without_a_waiver_the_hearing_follows_the_defence_period() {
    let ev = [at("2026-11-17", ClockEvent::CopyServed)];
    let dl = compute(&clock("2026-11-16", &ev));
    assert_eq!(dl.defence_by, Some(d("2026-12-01")));
    assert_eq!(dl.hearing_not_before, Some(d("2026-12-02")));
}

#[test]
fn hearing_notice_and_postponement_read_exclusively_by_default() {
    let mut c = clock("2026-11-02", &[]);
    c.hearing = Some(HearingFacts { on: d("2026-11-30"), notice_served_on: Some(d("2026-11-20")) });
    let dl = compute(&c);
    // Hearing Monday 11-30: 6 working days before is Friday 11-20; 4 before is Tuesday 11-24.
    assert_eq!(dl.hearing_notice_by, Some(d("2026-11-20")));
    assert_eq!(dl.postpone_by, Some(d("2026-11-24")));
    let inclusive = ClockRules { exclusive_notice_reading: false, ..ClockRules::default() };
    let dl = deadlines(&WorkingCalendar::shipped(), inclusive, &c);
    assert_eq!(dl.hearing_notice_by, Some(d("2026-11-23")));
    assert_eq!(dl.postpone_by, Some(d("2026-11-25")));
}

#[test]
fn final_award_windows_run_from_each_sides_receipt() {
    let mut c = clock("2026-08-03", &[]);
    c.award = Some(AwardFacts {
        kind: AwardKind::Final,
        made_on: d("2026-09-10"),
        worker_served_on: Some(d("2026-09-11")),
        employer_served_on: Some(d("2026-09-14")),
    });
    let appeal = compute(&c).appeal.unwrap();
    // 09-11 + 15 = 09-26 (Sat, inside 中秋? no: 09-25..09-27 off) → next working day 09-28.
    assert_eq!(appeal.worker_may_sue_by, Some(d("2026-09-28")));
    // 09-14 + 30 = 10-14 (Wed).
    assert_eq!(appeal.employer_may_petition_by, Some(d("2026-10-14")));
    assert_eq!(appeal.effective_on, Some(d("2026-09-10")));
}

#[test]
fn non_final_award_takes_effect_after_both_sides_windows() {
    let mut c = clock("2026-08-03", &[]);
    c.award = Some(AwardFacts {
        kind: AwardKind::NonFinal,
        made_on: d("2026-09-01"),
        worker_served_on: Some(d("2026-09-02")),
        employer_served_on: Some(d("2026-09-03")),
    });
    let appeal = compute(&c).appeal.unwrap();
    assert_eq!(appeal.worker_may_sue_by, Some(d("2026-09-17")));
    assert_eq!(appeal.employer_may_sue_by, Some(d("2026-09-18")));
    assert_eq!(appeal.effective_on, Some(d("2026-09-19")));
}

#[test]
fn a_deadline_in_a_year_not_loaded_is_provisional() {
    let dl = compute(&clock("2026-12-01", &[]));
    assert_eq!(dl.award_due, Some(d("2027-01-15")));
    assert!(dl.provisional);
    assert_eq!(dl.provisional_fields, vec!["award_due"], "serve_by (2026-12-08) rests on 2026 only");
    assert!(!compute(&clock("2026-10-09", &[])).provisional);
}

#[test]
fn next_deadline_is_the_earliest_obligation_still_open() {
    let ev = [at("2026-11-17", ClockEvent::CopyServed)];
    let c = clock("2026-11-16", &ev);
    let dl = compute(&c);
    assert_eq!(next_deadline(&dl, &c), Some((DeadlineKind::TribunalNoticeBy, d("2026-11-23"))));
}

#[test]
fn a_suspended_case_has_no_next_deadline() {
    let ev = [at("2026-11-17", ClockEvent::Suspended { ground: SuspensionGround::WorkerDied })];
    let c = clock("2026-11-16", &ev);
    assert_eq!(next_deadline(&compute(&c), &c), None);
}

// What may be recorded when.

fn check(recorded: &[ClockEntry], track: Track, next: ClockEntry) -> Result<(), Refusal> {
    let c = clock("2026-10-09", recorded);
    let due = compute(&c).award_due;
    check_next(c.accepted_on, c.filed_on, track, recorded, due, d("2026-11-22"), &next)
}

#[test]
fn resume_without_a_suspension_is_refused() {
    assert!(matches!(check(&[], Track::Ordinary, at("2026-11-02", ClockEvent::Resumed)), Err(Refusal::Conflict(_))));
}

#[test]
fn a_second_extension_is_refused() {
    let ext = || ClockEvent::Extended { days: 5, approver: "院长".into() };
    let once = [at("2026-10-20", ext())];
    assert!(matches!(check(&once, Track::Ordinary, at("2026-11-02", ext())), Err(Refusal::Conflict(_))));
}

#[test]
fn an_extension_over_fifteen_days_is_refused() {
    let e = check(&[], Track::Ordinary, at("2026-11-02", ClockEvent::Extended { days: 16, approver: "主任".into() }));
    assert!(matches!(e, Err(Refusal::Invalid { field: "days", code: "extension_too_long", .. })));
}

#[test]
fn an_extension_after_the_deadline_is_refused() {
    // Accepted 2026-10-09: due 2026-11-23; an extension recorded on 11-24 would come too late.
    let c = clock("2026-10-09", &[]);
    let due = compute(&c).award_due;
    let late = at("2026-11-24", ClockEvent::Extended { days: 5, approver: "主任".into() });
    let e = check_next(c.accepted_on, c.filed_on, Track::Ordinary, &[], due, d("2026-11-30"), &late);
    assert!(matches!(e, Err(Refusal::Conflict(_))));
}

#[test]
fn a_defence_waiver_on_the_ordinary_track_is_refused() {
    let waive = at("2026-11-02", ClockEvent::DefenceWaived { days: None });
    assert!(matches!(check(&[], Track::Ordinary, waive.clone()), Err(Refusal::Conflict(_))));
    assert!(check(&[], Track::Green, waive).is_ok());
}

#[test]
fn nothing_but_resume_while_suspended() {
    let susp = [at("2026-10-20", ClockEvent::Suspended { ground: SuspensionGround::Other })];
    assert!(matches!(check(&susp, Track::Green, at("2026-11-02", ClockEvent::CopyServed)), Err(Refusal::Conflict(_))));
    assert!(check(&susp, Track::Green, at("2026-11-02", ClockEvent::Resumed)).is_ok());
}

#[test]
fn an_event_before_the_last_one_or_in_the_future_is_refused() {
    let last = [at("2026-10-20", ClockEvent::CopyServed)];
    let e = check(&last, Track::Green, at("2026-10-19", ClockEvent::TribunalNotified));
    assert!(matches!(e, Err(Refusal::Invalid { code: "before_last_event", .. })));
    let e = check(&[], Track::Green, at("2026-11-23", ClockEvent::TribunalNotified));
    assert!(matches!(e, Err(Refusal::Invalid { code: "future_date", .. })));
}

// Properties.

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (0i64..365 * 4).prop_map(|n| d("2023-06-01") + chrono::Duration::days(n))
}

proptest! {
    #[test]
    fn adding_working_days_lands_on_a_working_day_and_passes_exactly_n(from in any_date(), n in 1u32..40) {
        let cal = WorkingCalendar::shipped();
        let r = cal.add_working_days(from, n).date;
        prop_assert!(cal.is_working_day(r).0);
        prop_assert_eq!(cal.working_days_between(from, r), n as i64);
        prop_assert_eq!(cal.working_days_between(from, r - Days::new(1)), n as i64 - 1);
    }

    #[test]
    fn a_suspension_of_k_days_moves_award_due_by_at_least_k(accepted in any_date(), start in 0u64..40, k in 1u64..90) {
        let accepted_s = accepted.to_string();
        let from = accepted + Days::new(start);
        let ev = [
            ClockEntry { on: from, event: ClockEvent::Suspended { ground: SuspensionGround::Other } },
            ClockEntry { on: from + Days::new(k), event: ClockEvent::Resumed },
        ];
        let cal = WorkingCalendar::shipped();
        let exact = ClockRules { roll_forward_award_due: false, ..ClockRules::default() };
        let base = deadlines(&cal, exact, &clock(&accepted_s, &[])).award_due.unwrap();
        let moved = deadlines(&cal, exact, &clock(&accepted_s, &ev)).award_due.unwrap();
        prop_assert!((moved - base).num_days() >= k as i64);
        // Rolled forward, the deadline moves by at least k from the unrolled one, and never back.
        let rolled_base = compute(&clock(&accepted_s, &[])).award_due.unwrap();
        let rolled = compute(&clock(&accepted_s, &ev)).award_due.unwrap();
        prop_assert!(rolled >= base + Days::new(k) && rolled >= rolled_base);
    }

    #[test]
    fn award_due_is_never_before_acceptance_plus_45(accepted in any_date(), ext in 0u32..=15) {
        let ev: Vec<ClockEntry> = (ext > 0)
            .then(|| ClockEntry { on: accepted, event: ClockEvent::Extended { days: ext, approver: "主任".into() } })
            .into_iter()
            .collect();
        let due = compute(&clock(&accepted.to_string(), &ev)).award_due.unwrap();
        prop_assert!(due >= accepted + Days::new(45 + ext as u64));
        prop_assert!(WorkingCalendar::shipped().is_working_day(due).0);
    }
}
