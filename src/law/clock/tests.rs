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
    CaseClock { filed_on: accepted, accepted_on: Some(accepted), events, hearing: None, awards: &[], today: d("2026-11-22") }
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
    let ev =
        [at("2026-03-02", ClockEvent::Suspended { ground: SuspensionGround::AwaitingAssessment }), at("2026-03-12", ClockEvent::Resumed)];
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

fn award(kind: AwardKind, made: &str, worker: Option<&str>, employer: Option<&str>) -> AwardFacts {
    AwardFacts { document_id: Some(7), kind, made_on: d(made), worker_served_on: worker.map(d), employer_served_on: employer.map(d) }
}

fn only(appeal: Option<Appeal>) -> AppealWindows {
    match appeal {
        Some(Appeal::One(w)) => w,
        other => panic!("one award expected, got {other:?}"),
    }
}

#[test]
fn final_award_windows_run_from_each_sides_receipt() {
    let awards = [award(AwardKind::Final, "2026-09-10", Some("2026-09-11"), Some("2026-09-14"))];
    let c = CaseClock { awards: &awards, ..clock("2026-08-03", &[]) };
    let appeal = only(compute(&c).appeal);
    // Law Art. 48: 09-11 + 15 = 09-26 (Sat, inside 中秋 09-25..09-27) → next working day 09-28.
    assert_eq!(appeal.worker_may_sue_by, Some(d("2026-09-28")));
    // Law Art. 49: 09-14 + 30 = 10-14 (Wed).
    assert_eq!(appeal.employer_may_petition_by, Some(d("2026-10-14")));
    assert_eq!(appeal.effective_on, Some(d("2026-09-10")));
    assert!(appeal.is_final && appeal.employer_may_sue_by.is_none());
}

#[test]
fn non_final_award_takes_effect_after_both_sides_windows() {
    let awards = [award(AwardKind::NonFinal, "2026-09-01", Some("2026-09-02"), Some("2026-09-03"))];
    let appeal = only(compute(&CaseClock { awards: &awards, ..clock("2026-08-03", &[]) }).appeal);
    assert_eq!(appeal.worker_may_sue_by, Some(d("2026-09-17")));
    assert_eq!(appeal.employer_may_sue_by, Some(d("2026-09-18")));
    assert_eq!(appeal.effective_on, Some(d("2026-09-19")));
}

#[test]
fn appeal_windows_wait_for_each_sides_service() {
    // Law Art. 50: each side's period runs from its own receipt; until both have run it has no effect.
    let awards = [award(AwardKind::NonFinal, "2026-09-01", Some("2026-09-02"), None)];
    let appeal = only(compute(&CaseClock { awards: &awards, ..clock("2026-08-03", &[]) }).appeal);
    assert_eq!(appeal.worker_may_sue_by, Some(d("2026-09-17")));
    assert_eq!((appeal.employer_may_sue_by, appeal.effective_on), (None, None));
}

#[test]
fn a_split_award_has_windows_for_each_document() {
    // Rules Art. 50: final and non-final items go in separate awards, each with its own remedies.
    let awards = [
        award(AwardKind::Final, "2026-09-01", Some("2026-09-02"), Some("2026-09-02")),
        AwardFacts { document_id: Some(8), ..award(AwardKind::NonFinal, "2026-09-01", Some("2026-09-02"), Some("2026-09-02")) },
    ];
    let Some(Appeal::Split(list)) = compute(&CaseClock { awards: &awards, ..clock("2026-08-03", &[]) }).appeal else {
        panic!("a split award gives a list")
    };
    assert_eq!(list.iter().map(|w| (w.document_id, w.is_final)).collect::<Vec<_>>(), [(Some(7), true), (Some(8), false)]);
    assert_eq!(list[0].employer_may_petition_by, Some(d("2026-10-08")));
    assert_eq!(list[1].effective_on, Some(d("2026-09-18")));
}

#[test]
fn a_mediation_statement_takes_effect_when_both_sides_have_signed() {
    // Law Art. 42: effective once both parties have signed for it; no appeal.
    let awards = [award(AwardKind::Mediation, "2026-09-01", Some("2026-09-01"), Some("2026-09-04"))];
    let w = only(compute(&CaseClock { awards: &awards, ..clock("2026-08-03", &[]) }).appeal);
    assert_eq!(w.effective_on, Some(d("2026-09-04")));
    assert!(!w.is_final && w.worker_may_sue_by.is_none() && w.employer_may_petition_by.is_none());
}

// Exclusions after the limit has run out (Rules Art. 46(6) leaves out periods *inside* it).

#[test]
fn a_suspension_after_the_limit_ran_out_does_not_revive_it() {
    // Accepted 2025-10-05: due 2025-11-19. A suspension from 11-20 came too late to stop it.
    let ev = [at("2025-11-20", ClockEvent::Suspended { ground: SuspensionGround::Other }), at("2025-12-01", ClockEvent::Resumed)];
    let dl = compute(&clock("2025-10-05", &ev));
    assert_eq!(dl.award_due, Some(d("2025-11-19")));
    assert_eq!(dl.suspended_days, 0);
    assert_eq!(dl.late_exclusions, vec![d("2025-11-20")]);
}

#[test]
fn a_running_suspension_after_the_limit_ran_out_leaves_the_case_overdue() {
    let ev = [at("2025-11-20", ClockEvent::Suspended { ground: SuspensionGround::Other })];
    let c = clock("2025-10-05", &ev);
    let dl = compute(&c);
    assert_eq!(dl.award_due, Some(d("2025-11-19")));
    assert_eq!(dl.suspended_since, Some(d("2025-11-20")));
    assert!(dl.award_due.is_some_and(|due| d("2025-11-25") > due), "still overdue");
    assert_eq!(next_deadline(&dl, &c), Some((DeadlineKind::AwardDue, d("2025-11-19"))));
}

#[test]
fn a_public_notice_after_the_limit_ran_out_does_not_revive_it() {
    let ev = [at("2025-11-25", ClockEvent::PublicNotice)];
    let dl = compute(&clock("2025-10-05", &ev));
    assert_eq!(dl.award_due, Some(d("2025-11-19")));
    assert_eq!(dl.public_notice_days, 0);
}

#[test]
fn a_suspension_after_the_extended_limit_ran_out_does_not_revive_it() {
    let ev = [
        at("2025-11-10", ClockEvent::Extended { days: 15, approver: "主任".into() }),
        at("2025-12-05", ClockEvent::Suspended { ground: SuspensionGround::Other }),
        at("2025-12-20", ClockEvent::Resumed),
    ];
    // 2025-10-05 + 60 = 2025-12-04 (Thu).
    assert_eq!(compute(&clock("2025-10-05", &ev)).award_due, Some(d("2025-12-04")));
}

#[test]
fn a_suspension_on_the_last_day_of_the_limit_still_counts() {
    let ev = [at("2025-11-19", ClockEvent::Suspended { ground: SuspensionGround::Other }), at("2025-11-24", ClockEvent::Resumed)];
    // Five days left out: 11-19 + 5 = 11-24 (Mon).
    assert_eq!(compute(&clock("2025-10-05", &ev)).award_due, Some(d("2025-11-24")));
}

#[test]
fn an_exclusion_counts_while_the_limit_is_kept_alive_by_an_earlier_one() {
    // A suspension 10-20..10-30 pushes the limit to 11-29 (Sat) → 12-01; a public notice on
    // 11-25 is then within it and counts too.
    let ev = [
        at("2025-10-20", ClockEvent::Suspended { ground: SuspensionGround::Other }),
        at("2025-10-30", ClockEvent::Resumed),
        at("2025-11-25", ClockEvent::PublicNotice),
    ];
    let dl = compute(&clock("2025-10-05", &ev));
    assert_eq!((dl.suspended_days, dl.public_notice_days), (10, 30));
    assert_eq!(dl.award_due, Some(d("2025-12-29")));
}

// A public notice and the defence-period waiver (Rules Art. 57–58; CPL Art. 95).

#[test]
fn a_public_notice_voids_a_defence_waiver_and_the_hearing_waits_for_deemed_service() {
    let ev = [at("2025-03-03", ClockEvent::DefenceWaived { days: None }), at("2025-03-10", ClockEvent::PublicNotice)];
    let dl = compute(&clock("2025-03-03", &ev));
    assert!(dl.waiver_voided);
    // Deemed served 2025-04-09 (Wed); ten working days later (清明 04-04..04-06 is before) 04-23.
    assert_eq!(dl.copy_served_on, Some(d("2025-04-09")));
    assert_eq!(dl.defence_by, Some(d("2025-04-23")));
    assert!(dl.hearing_not_before.unwrap() > d("2025-04-17"));
}

#[test]
fn public_notice_deemed_service_on_a_holiday_rolls_to_the_next_working_day() {
    // Published 2025-09-04: 30 days later is 2025-10-04, inside the National Day block → 10-09.
    let ev = [at("2025-09-04", ClockEvent::PublicNotice)];
    let dl = compute(&clock("2025-09-01", &ev));
    assert_eq!(dl.copy_served_on, Some(d("2025-10-09")));
    assert_eq!(dl.public_notice_days, 35);
    let unrolled = ClockRules { roll_forward_public_notice: false, ..ClockRules::default() };
    let dl = deadlines(&WorkingCalendar::shipped(), unrolled, &clock("2025-09-01", &ev));
    assert_eq!(dl.copy_served_on, Some(d("2025-10-04")));
}

#[test]
fn the_hearing_never_comes_before_service_of_the_copy_plus_the_notice_period() {
    // Copy served 2026-11-20 with the defence waived: the notice cannot predate service.
    let ev = [at("2026-11-16", ClockEvent::DefenceWaived { days: None }), at("2026-11-20", ClockEvent::CopyServed)];
    let dl = compute(&clock("2026-11-16", &ev));
    // 2026-11-20 + 6 working days = 2026-11-30.
    assert_eq!(dl.hearing_not_before, Some(d("2026-11-30")));
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
fn an_extension_of_zero_days_has_its_own_code() {
    let e = check(&[], Track::Ordinary, at("2026-11-02", ClockEvent::Extended { days: 0, approver: "主任".into() }));
    assert!(matches!(e, Err(Refusal::Invalid { field: "days", code: "extension_not_positive", .. })));
}

#[test]
fn a_waiver_after_a_public_notice_is_refused() {
    let notice = [at("2026-10-20", ClockEvent::PublicNotice)];
    let e = check(&notice, Track::Green, at("2026-11-02", ClockEvent::DefenceWaived { days: None }));
    assert!(matches!(e, Err(Refusal::Conflict(m)) if m.contains("第五十七条")));
}

#[test]
fn a_restart_after_the_limit_ran_out_is_refused() {
    // Accepted 2026-10-09: due 2026-11-23; claims changed on 11-24 cannot revive it.
    let c = clock("2026-10-09", &[]);
    let due = compute(&c).award_due;
    let late = at("2026-11-24", ClockEvent::Restarted { cause: RestartCause::ClaimsChanged });
    let e = check_next(c.accepted_on, c.filed_on, Track::Ordinary, &[], due, d("2026-11-30"), &late);
    assert!(matches!(e, Err(Refusal::Conflict(_))));
}

#[test]
fn award_service_before_the_award_or_twice_is_refused() {
    let a = award(AwardKind::Final, "2026-09-10", Some("2026-09-11"), None);
    let e = events::check_award_served(&a, events::ServedParty::Respondent, d("2026-09-09"), d("2026-11-22"));
    assert!(matches!(e, Err(Refusal::Invalid { code: "before_award", .. })));
    let e = events::check_award_served(&a, events::ServedParty::Applicant, d("2026-09-12"), d("2026-11-22"));
    assert!(matches!(e, Err(Refusal::Conflict(_))));
    assert!(events::check_award_served(&a, events::ServedParty::Respondent, d("2026-09-12"), d("2026-11-22")).is_ok());
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

// A random case history, built event by event through `check_next` as the service records it:
// acceptances 2023–2026, half of them within ten days of a holiday block.

const BLOCK_STARTS: [&str; 26] = [
    "2023-01-21",
    "2023-04-29",
    "2023-06-22",
    "2023-09-29",
    "2023-12-30",
    "2024-02-10",
    "2024-04-04",
    "2024-05-01",
    "2024-06-08",
    "2024-09-15",
    "2024-10-01",
    "2025-01-28",
    "2025-04-04",
    "2025-05-01",
    "2025-05-31",
    "2025-10-01",
    "2026-01-01",
    "2026-02-15",
    "2026-04-04",
    "2026-05-01",
    "2026-06-19",
    "2026-09-25",
    "2026-10-01",
    "2023-10-06",
    "2025-10-08",
    "2026-02-23",
];

fn acceptance() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        (0usize..BLOCK_STARTS.len(), -10i64..=10).prop_map(|(i, off)| d(BLOCK_STARTS[i]) + chrono::Duration::days(off)),
        (0i64..365 * 4).prop_map(|n| d("2023-01-01") + chrono::Duration::days(n)),
    ]
}

/// One step of a history: which event, how many days after the previous one, and a parameter.
fn steps() -> impl Strategy<Value = Vec<(u8, u8, u8)>> {
    prop::collection::vec((0u8..9, 0u8..40, 0u8..=15), 0..9)
}

fn track_of(n: u8) -> Track {
    [Track::Green, Track::Simple, Track::Ordinary][n as usize % 3]
}

struct History {
    accepted: NaiveDate,
    events: Vec<ClockEntry>,
}

fn history(accepted: NaiveDate, track: Track, steps: &[(u8, u8, u8)]) -> History {
    let cal = WorkingCalendar::shipped();
    let far = d("2027-12-31");
    let mut events: Vec<ClockEntry> = Vec::new();
    let mut day = accepted;
    for &(kind, gap, param) in steps {
        day += chrono::Duration::days(gap as i64);
        let event = match kind {
            0 => ClockEvent::CopyServed,
            1 => ClockEvent::TribunalNotified,
            2 => ClockEvent::DefenceWaived { days: (param < 10).then_some(param as u32) },
            3 => ClockEvent::Suspended { ground: SuspensionGround::Other },
            4 => ClockEvent::Resumed,
            5 => ClockEvent::Extended { days: param as u32, approver: "主任".into() },
            6 => ClockEvent::Restarted { cause: RestartCause::ClaimsChanged },
            _ => ClockEvent::PublicNotice,
        };
        let next = ClockEntry { on: day, event };
        let c = CaseClock { filed_on: accepted, accepted_on: Some(accepted), events: &events, hearing: None, awards: &[], today: far };
        let due = deadlines(&cal, ClockRules::default(), &c).award_due;
        if check_next(Some(accepted), accepted, track, &events, due, far, &next).is_ok() {
            events.push(next);
        }
    }
    History { accepted, events }
}

fn compute_at(events: &[ClockEntry], accepted: NaiveDate, today: NaiveDate) -> Deadlines {
    let c = CaseClock { filed_on: accepted, accepted_on: Some(accepted), events, hearing: None, awards: &[], today };
    compute(&c)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn an_exclusion_starting_after_award_due_never_changes_it(accepted in acceptance(), track in 0u8..3, steps in steps()) {
        let h = history(accepted, track_of(track), &steps);
        let today = d("2027-12-31");
        // Leave out every suspension or public notice that began after the deadline then in
        // force (with the resumption that ended it); the deadline must not notice.
        let mut kept: Vec<ClockEntry> = Vec::new();
        let mut skipping_resume = false;
        for (i, e) in h.events.iter().enumerate() {
            let before = compute_at(&h.events[..i], h.accepted, today).award_due;
            let late = matches!(e.event, ClockEvent::Suspended { .. } | ClockEvent::PublicNotice) && before.is_some_and(|due| e.on > due);
            if late {
                skipping_resume = matches!(e.event, ClockEvent::Suspended { .. });
                continue;
            }
            if skipping_resume && e.event == ClockEvent::Resumed {
                skipping_resume = false;
                continue;
            }
            kept.push(e.clone());
        }
        let all = compute_at(&h.events, h.accepted, today);
        let without = compute_at(&kept, h.accepted, today);
        prop_assert_eq!(all.award_due, without.award_due, "{:?}", h.events);
    }

    #[test]
    fn award_due_is_never_earlier_than_the_unextended_base(accepted in acceptance(), track in 0u8..3, steps in steps()) {
        let h = history(accepted, track_of(track), &steps);
        let dl = compute_at(&h.events, h.accepted, d("2027-12-31"));
        if let (Some(due), Some(from)) = (dl.award_due, dl.award_period_from) {
            prop_assert!(due >= from + Days::new(45), "{:?}: {due} < {from} + 45", h.events);
            prop_assert!(WorkingCalendar::shipped().is_working_day(due).0);
        }
    }

    #[test]
    fn every_working_day_deadline_lands_on_a_working_day(accepted in acceptance(), track in 0u8..3, steps in steps(), hearing in 0u8..60, notice in prop::option::of(0u8..30)) {
        let h = history(accepted, track_of(track), &steps);
        let cal = WorkingCalendar::shipped();
        let on = h.accepted + Days::new(hearing as u64 + 7);
        let hearing = HearingFacts { on, notice_served_on: notice.map(|n| h.accepted + Days::new(n as u64)).filter(|n| *n <= on) };
        let c = CaseClock { hearing: Some(hearing), ..clock(&h.accepted.to_string(), &h.events) };
        let dl = compute(&c);
        for (field, date) in [
            ("accept_by", dl.accept_by), ("serve_by", dl.serve_by), ("tribunal_notice_by", dl.tribunal_notice_by),
            ("defence_by", dl.defence_by), ("hearing_not_before", dl.hearing_not_before),
            ("hearing_notice_by", dl.hearing_notice_by), ("postpone_by", dl.postpone_by),
        ] {
            if let Some(date) = date {
                prop_assert!(cal.is_working_day(date).0, "{field} {date} is a rest day: {:?}", h.events);
            }
        }
    }

    #[test]
    fn the_hearing_is_never_before_deemed_service_plus_the_notice_period(accepted in acceptance(), track in 0u8..3, steps in steps()) {
        let h = history(accepted, track_of(track), &steps);
        let cal = WorkingCalendar::shipped();
        let dl = compute_at(&h.events, h.accepted, d("2027-12-31"));
        let rules = ClockRules::default();
        let earliest = dl.hearing_not_before.unwrap();
        prop_assert!(earliest >= cal.add_working_days(h.accepted, rules.notice_working_days()).date);
        if let Some(served) = dl.copy_served_on {
            prop_assert!(earliest >= cal.add_working_days(served, rules.notice_working_days()).date, "{:?}", h.events);
            let first_service = h.events.iter().find(|e| matches!(e.event, ClockEvent::PublicNotice | ClockEvent::CopyServed));
            if let Some(notice) = first_service.filter(|e| e.event == ClockEvent::PublicNotice) {
                // CPL Art. 95: deemed served 30 days after publication, and a waiver no longer holds.
                prop_assert!(served >= notice.on + Days::new(30));
                prop_assert!(dl.defence_by.is_some());
            }
        }
    }

    #[test]
    fn the_appeal_windows_follow_the_served_dates(
        made in acceptance(), kind in 0u8..3,
        worker in prop::option::of(0u8..30), employer in prop::option::of(0u8..30),
    ) {
        let cal = WorkingCalendar::shipped();
        let kind = [AwardKind::Final, AwardKind::NonFinal, AwardKind::Mediation][kind as usize];
        let served = |n: Option<u8>| n.map(|n| made + Days::new(n as u64));
        let a = AwardFacts { document_id: Some(1), kind, made_on: made, worker_served_on: served(worker), employer_served_on: served(employer) };
        let awards = [a];
        let c = CaseClock { awards: &awards, ..clock(&(made - Days::new(40)).to_string(), &[]) };
        let w = only(compute(&c).appeal);
        // A court period: served + n calendar days, rolled to the next working day (CPL Art. 85).
        let window = |from: Option<NaiveDate>, n: u64, got: Option<NaiveDate>| -> Result<(), TestCaseError> {
            match (from, got) {
                (None, None) => Ok(()),
                (Some(s), Some(g)) => {
                    prop_assert!(g >= s + Days::new(n) && cal.is_working_day(g).0 && (g - (s + Days::new(n))).num_days() < 12);
                    Ok(())
                }
                (f, g) => Err(TestCaseError::fail(format!("served {f:?} but window {g:?}"))),
            }
        };
        match kind {
            AwardKind::Final => {
                window(a.worker_served_on, 15, w.worker_may_sue_by)?;
                window(a.employer_served_on, 30, w.employer_may_petition_by)?;
                prop_assert_eq!(w.effective_on, Some(made));
            }
            AwardKind::NonFinal => {
                window(a.worker_served_on, 15, w.worker_may_sue_by)?;
                window(a.employer_served_on, 15, w.employer_may_sue_by)?;
                let both = w.worker_may_sue_by.zip(w.employer_may_sue_by).map(|(x, y)| x.max(y) + Days::new(1));
                prop_assert_eq!(w.effective_on, both);
            }
            AwardKind::Mediation => {
                prop_assert!(w.worker_may_sue_by.is_none() && w.employer_may_petition_by.is_none());
                prop_assert_eq!(w.effective_on, a.worker_served_on.zip(a.employer_served_on).map(|(x, y)| x.max(y)));
            }
        }
    }
}
