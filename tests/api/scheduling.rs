//! The scheduler as a pure library: a malformed problem is refused naming the place, the validator
//! catches each broken hard rule, every solved plan is valid, and on tiny problems the solver's cost
//! is the optimum found by plain enumeration.

use greenlane::scheduling::plan::{HearingFile, PlanFile};
use greenlane::scheduling::{Options, Problem, check, solve};
use proptest::prelude::*;
use serde_json::{Value, json};

/// Two working days (Mon 2 and Tue 3 March 2026; the 4th is a holiday), one room, three arbitrators.
fn small() -> Value {
    json!({
        "version": 1, "start": "2026-03-02", "end": "2026-03-04",
        "workdays": { "holidays": ["2026-03-04"], "extra_workdays": [] },
        "slot_minutes": 30,
        "sessions": [ { "start": "09:00", "slots": 6 }, { "start": "13:30", "slots": 8 } ],
        "arbitrators": [
            { "id": "A1", "presides": true, "max_per_day": 2, "off": ["2026-03-03"] },
            { "id": "A2", "presides": true, "max_per_day": 4, "off": [] },
            { "id": "A3", "presides": false, "max_per_day": 4, "off": [] }
        ],
        "rooms": [ { "id": "R1", "seats": 6 }, { "id": "R2", "seats": 20 } ],
        "booked": [ { "day": "2026-03-02", "session": 0, "slot": 0, "slots": 2, "room": "R1", "arbitrators": ["A2"] } ],
        "cases": [
            { "id": "C1", "track": "green", "earliest": "2026-03-02", "latest": "2026-03-10", "panel": 1, "slots": 2, "seats": 3, "weight": 4, "exclude": ["A9"] },
            { "id": "C2", "track": "ordinary", "earliest": "2026-03-01", "latest": "2026-03-03", "panel": 3, "slots": 5, "seats": 8, "weight": 1, "exclude": [] },
            { "id": "C3", "track": "simple", "earliest": "2026-03-04", "latest": "2026-03-04", "panel": 1, "slots": 3, "seats": 4, "weight": 2 }
        ]
    })
}

fn problem(v: &Value) -> Problem {
    Problem::from_json(&v.to_string()).expect("a valid problem")
}

fn refusal(v: &Value) -> (String, String) {
    let e = Problem::from_json(&v.to_string()).expect_err("a malformed problem");
    (e.code.to_string(), e.place)
}

fn hearing(case: &str, day: &str, session: i64, slot: i64, room: &str, arbs: &[&str]) -> HearingFile {
    HearingFile {
        case: case.into(),
        day: day.into(),
        session,
        slot,
        room: room.into(),
        arbitrators: arbs.iter().map(|a| a.to_string()).collect(),
    }
}

fn plan(hearings: Vec<HearingFile>, unscheduled: &[&str]) -> PlanFile {
    PlanFile { version: json!(1), hearings, unscheduled: unscheduled.iter().map(|s| s.to_string()).collect() }
}

fn rules_broken(p: &Problem, plan: &PlanFile) -> Vec<u8> {
    let mut rules: Vec<u8> = check(p, plan).violations.iter().map(|v| v.rule.number()).collect();
    rules.sort_unstable();
    rules.dedup();
    rules
}

#[test]
fn window_counts_working_days_only_and_an_empty_window_costs_its_penalty() {
    let p = problem(&small());
    assert_eq!(p.workdays.len(), 2, "the 4th is a holiday");
    let c3 = &p.cases[2];
    assert!(!c3.has_window(), "C3 may only be heard on the holiday");
    let ok =
        plan(vec![hearing("C1", "2026-03-03", 0, 0, "R1", &["A2"]), hearing("C2", "2026-03-02", 1, 0, "R2", &["A1", "A2", "A3"])], &["C3"]);
    let r = check(&p, &ok);
    assert!(r.violations.is_empty(), "{:?}", r.violations);
    // C1 one working day late (4), C3 unscheduled (2 × 1000).
    assert_eq!(r.cost, Some(4 + 2000));
}

#[test]
fn a_hearing_in_an_arbitrators_busy_time_breaks_rule_4() {
    let mut v = small();
    v["version"] = json!(2);
    v["arbitrators"][1]["busy"] = json!([{ "day": "2026-03-03", "session": 0, "slot": 0, "slots": 2 }]);
    let p = problem(&v);
    let c2 = hearing("C2", "2026-03-02", 1, 0, "R2", &["A1", "A2", "A3"]);
    let inside = plan(vec![hearing("C1", "2026-03-03", 0, 1, "R1", &["A2"]), c2.clone()], &["C3"]);
    assert_eq!(rules_broken(&p, &inside), [4]);
    let after = plan(vec![hearing("C1", "2026-03-03", 0, 2, "R1", &["A2"]), c2], &["C3"]);
    assert!(check(&p, &after).violations.is_empty());
}

#[test]
fn validator_names_each_broken_rule() {
    let p = problem(&small());
    let cases: Vec<(PlanFile, u8)> = vec![
        (plan(vec![hearing("C1", "2026-03-04", 0, 2, "R1", &["A2"])], &["C2", "C3"]), 1),
        (plan(vec![hearing("C1", "2026-03-02", 0, 5, "R1", &["A2"])], &["C2", "C3"]), 2),
        (plan(vec![hearing("C2", "2026-03-02", 1, 0, "R1", &["A1", "A2", "A3"])], &["C1", "C3"]), 3),
        (plan(vec![hearing("C1", "2026-03-02", 0, 2, "R1", &["A3"])], &["C2", "C3"]), 4),
        (plan(vec![hearing("C1", "2026-03-03", 0, 2, "R1", &["A1"])], &["C2", "C3"]), 4),
        (plan(vec![hearing("C1", "2026-03-02", 0, 1, "R2", &["A2"])], &["C2", "C3"]), 5),
        (plan(vec![hearing("C1", "2026-03-02", 0, 0, "R1", &["A1"])], &["C2", "C3"]), 5),
        (plan(vec![hearing("C1", "2026-03-02", 0, 2, "R1", &["A1"])], &["C1", "C2", "C3"]), 0),
        (plan(vec![], &["C1", "C2"]), 0),
        (PlanFile { version: json!(2), ..plan(vec![], &["C1", "C2", "C3"]) }, 0),
    ];
    for (i, (pl, rule)) in cases.iter().enumerate() {
        assert_eq!(rules_broken(&p, pl), vec![*rule], "case {i}: {:?}", check(&p, pl).violations);
        assert_eq!(check(&p, pl).cost, None);
    }
}

#[test]
fn daily_limit_counts_booked_hearings() {
    let mut v = small();
    v["arbitrators"][1]["max_per_day"] = json!(1);
    let p = problem(&v);
    // A2 already has the booked hearing on the 2nd.
    let pl = plan(vec![hearing("C1", "2026-03-02", 1, 0, "R1", &["A2"])], &["C2", "C3"]);
    assert_eq!(rules_broken(&p, &pl), vec![6]);
}

#[test]
fn malformed_problems_are_refused_naming_the_place() {
    let mut v = small();
    v["booked"][0]["room"] = json!("R9");
    assert_eq!(refusal(&v), ("unknown_room".into(), "problem.booked[0].room".into()));

    let mut v = small();
    v["booked"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "day": "2026-03-02", "session": 0, "slot": 1, "slots": 2, "room": "R2", "arbitrators": ["A2"] }));
    assert_eq!(refusal(&v).0, "booked_conflict");

    let mut v = small();
    v["cases"][0]["earliest"] = json!("2026-3-2");
    assert_eq!(refusal(&v).0, "bad_field");

    let mut v = small();
    v["version"] = json!(3);
    assert_eq!(refusal(&v), ("bad_version".into(), "problem.version".into()));
    // Busy times need version 2, and lie inside their session.
    let mut v = small();
    v["arbitrators"][1]["busy"] = json!([{ "day": "2026-03-03", "session": 1, "slot": 0, "slots": 8 }]);
    assert_eq!(refusal(&v), ("bad_version".into(), "problem.version".into()));
    v["version"] = json!(2);
    assert!(Problem::from_json(&v.to_string()).is_ok());
    v["arbitrators"][1]["busy"] = json!([{ "day": "2026-03-03", "session": 1, "slot": 4, "slots": 5 }]);
    assert_eq!(refusal(&v), ("outside_session".into(), "problem.arbitrators[1].busy[0].slots".into()));
    v["arbitrators"][1]["busy"] = json!([{ "day": "2026-03-03", "session": 2, "slot": 0, "slots": 1 }]);
    assert_eq!(refusal(&v), ("no_session".into(), "problem.arbitrators[1].busy[0].session".into()));

    let mut v = small();
    v["cases"][1]["id"] = json!("C1");
    assert_eq!(refusal(&v), ("duplicate_id".into(), "problem.cases[1].id".into()));

    let mut v = small();
    v["booked"][0]["arbitrators"] = json!(["A2", "A7"]);
    assert_eq!(refusal(&v), ("unknown_arbitrator".into(), "problem.booked[0].arbitrators[1]".into()));

    let mut v = small();
    v["sessions"][0]["slots"] = json!(0);
    assert_eq!(refusal(&v).0, "session_slots");

    assert_eq!(Problem::from_json("{\"version\": 1,").unwrap_err().code, "bad_json");
}

#[test]
fn solver_plans_the_small_problem_at_its_optimum() {
    let p = problem(&small());
    let sol = solve(&p, &Options { max_iterations: Some(200), ..Options::default() }, |_| {});
    let r = check(&p, &sol.to_plan(&p));
    assert!(r.violations.is_empty(), "{:?}", r.violations);
    // C1 and C2 both on the 2nd (C2 needs A1, who is off on the 3rd); C3 cannot be heard.
    assert_eq!(r.cost, Some(2000));
    assert_eq!(brute_force(&p), 2000);
}

/// A random small problem: 1–3 working days, 1–3 rooms, 2–4 arbitrators, a few booked hearings.
fn random_problem(seed: u64, cases: usize) -> Value {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    let days = ["2026-03-02", "2026-03-03", "2026-03-04"];
    let ndays = 1 + next(3) as usize;
    let nrooms = 1 + next(3);
    let narbs = 2 + next(3);
    let arbitrators: Vec<Value> = (0..narbs)
        .map(|a| {
            let off: Vec<&str> = if next(4) == 0 { vec![days[next(ndays as u64) as usize]] } else { vec![] };
            json!({ "id": format!("A{a}"), "presides": a == 0 || next(2) == 0, "max_per_day": 1 + next(3), "off": off })
        })
        .collect();
    let rooms: Vec<Value> = (0..nrooms).map(|r| json!({ "id": format!("R{r}"), "seats": 3 + next(8) })).collect();
    let cases: Vec<Value> = (0..cases)
        .map(|c| {
            let lo = next(ndays as u64) as usize;
            let hi = lo + next((ndays - lo) as u64) as usize;
            let exclude: Vec<String> = if next(3) == 0 { vec![format!("A{}", next(narbs))] } else { vec![] };
            json!({
                "id": format!("C{c}"), "track": "green", "earliest": days[lo], "latest": days[hi],
                "panel": if next(4) == 0 { 2 } else { 1 }, "slots": 1 + next(3), "seats": 2 + next(8),
                "weight": 1 + next(4), "exclude": exclude
            })
        })
        .collect();
    json!({
        "version": 1, "start": days[0], "end": days[ndays - 1],
        "workdays": { "holidays": [], "extra_workdays": [] },
        "slot_minutes": 30, "sessions": [ { "slots": 3 }, { "slots": 2 } ],
        "arbitrators": arbitrators, "rooms": rooms,
        "booked": [ { "day": days[0], "session": 0, "slot": 0, "slots": 1, "room": "R0", "arbitrators": ["A0"] } ],
        "cases": cases
    })
}

/// A version 2 problem: the same, with busy times for some arbitrators (part-time arbitrators'
/// other work), some of them whole sessions.
fn random_problem_v2(seed: u64, cases: usize) -> Value {
    let mut v = random_problem(seed, cases);
    let mut x = seed.wrapping_mul(0xD1B5_4A32_D192_ED03) | 1;
    let mut next = |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    let days: Vec<String> = {
        let (start, end) = (v["start"].as_str().unwrap().to_string(), v["end"].as_str().unwrap().to_string());
        ["2026-03-02", "2026-03-03", "2026-03-04"]
            .iter()
            .filter(|d| **d >= start.as_str() && **d <= end.as_str())
            .map(|d| d.to_string())
            .collect()
    };
    for a in v["arbitrators"].as_array_mut().unwrap() {
        let mut busy = Vec::new();
        for _ in 0..next(4) {
            let session = next(2);
            let slots_in = if session == 0 { 3 } else { 2 };
            let slot = next(slots_in);
            busy.push(json!({ "day": days[next(days.len() as u64) as usize], "session": session, "slot": slot, "slots": 1 + next(slots_in - slot) }));
        }
        a["busy"] = json!(busy);
    }
    v["version"] = json!(2);
    v
}

/// Whether a planned hearing of the plan overlaps a busy time of one of its arbitrators, read
/// straight from the problem's JSON (not through the validator).
fn uses_a_busy_slot(v: &Value, plan: &greenlane::scheduling::plan::PlanFile) -> Option<String> {
    let slots_of = |case: &str| v["cases"].as_array().unwrap().iter().find(|c| c["id"] == case).unwrap()["slots"].as_i64().unwrap();
    for h in &plan.hearings {
        let (from, to) = (h.slot, h.slot + slots_of(&h.case));
        for a in &h.arbitrators {
            let arb = v["arbitrators"].as_array().unwrap().iter().find(|x| x["id"] == a.as_str()).unwrap();
            for b in arb["busy"].as_array().into_iter().flatten() {
                let (bf, bt) = (b["slot"].as_i64().unwrap(), b["slot"].as_i64().unwrap() + b["slots"].as_i64().unwrap());
                if b["day"] == h.day.as_str() && b["session"].as_i64() == Some(h.session) && from < bt && bf < to {
                    return Some(format!("{} with {a} on {} session {} slots {from}..{to} overlaps {b}", h.case, h.day, h.session));
                }
            }
        }
    }
    None
}

/// The optimum by plain enumeration: every case unscheduled or at every (day, session, slot, room,
/// panel in any order), each full combination judged by the validator.
fn brute_force(p: &Problem) -> u64 {
    let mut options: Vec<Vec<Option<HearingFile>>> = Vec::new();
    for c in &p.cases {
        let mut o = vec![None];
        for day in &p.workdays {
            let day = day.format("%Y-%m-%d").to_string();
            for (s, &ss) in p.sessions.iter().enumerate() {
                for t in 0..ss {
                    for r in &p.rooms {
                        for panel in panels(&p.arbitrators.iter().map(|a| a.id.clone()).collect::<Vec<_>>(), c.panel as usize) {
                            let h = HearingFile {
                                case: c.id.clone(),
                                day: day.clone(),
                                session: s as i64,
                                slot: i64::from(t),
                                room: r.id.clone(),
                                arbitrators: panel,
                            };
                            // Keep only placements valid on their own, so that the product stays small.
                            let alone = PlanFile {
                                version: json!(1),
                                hearings: vec![h.clone()],
                                unscheduled: p.cases.iter().filter(|x| x.id != c.id).map(|x| x.id.clone()).collect(),
                            };
                            if check(p, &alone).cost.is_some() {
                                o.push(Some(h));
                            }
                        }
                    }
                }
            }
        }
        options.push(o);
    }
    let mut best = u64::MAX;
    let mut pick = vec![0usize; options.len()];
    loop {
        let mut hearings = Vec::new();
        let mut unscheduled = Vec::new();
        for (c, &k) in pick.iter().enumerate() {
            match &options[c][k] {
                Some(h) => hearings.push(h.clone()),
                None => unscheduled.push(p.cases[c].id.clone()),
            }
        }
        if let Some(cost) = check(p, &PlanFile { version: json!(1), hearings, unscheduled }).cost {
            best = best.min(cost);
        }
        // Next combination (odometer).
        let mut i = 0;
        loop {
            if i == pick.len() {
                return best;
            }
            pick[i] += 1;
            if pick[i] < options[i].len() {
                break;
            }
            pick[i] = 0;
            i += 1;
        }
    }
}

/// Every ordered panel of `k` distinct arbitrators.
fn panels(ids: &[String], k: usize) -> Vec<Vec<String>> {
    if k == 0 {
        return vec![vec![]];
    }
    let mut out = Vec::new();
    for (i, a) in ids.iter().enumerate() {
        let rest: Vec<String> = ids.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, x)| x.clone()).collect();
        for mut tail in panels(&rest, k - 1) {
            tail.insert(0, a.clone());
            out.push(tail);
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Whatever the problem, the plan keeps every hard rule and its cost is the validator's.
    #[test]
    fn every_plan_on_random_small_problems_is_valid(seed in any::<u64>(), cases in 0usize..14, threads in 1usize..3) {
        let p = problem(&random_problem(seed, cases));
        let sol = solve(&p, &Options { max_iterations: Some(300), threads, seed, ..Options::default() }, |_| {});
        let r = check(&p, &sol.to_plan(&p));
        prop_assert!(r.violations.is_empty(), "{:?}", r.violations);
        prop_assert_eq!(r.cost, Some(sol.cost));
    }

    /// Version 2: every plan keeps the rules, and no hearing sits in an arbitrator's busy time.
    #[test]
    fn every_plan_on_random_small_version_2_problems_is_valid_and_never_uses_a_busy_slot(seed in any::<u64>(), cases in 0usize..14) {
        let v = random_problem_v2(seed, cases);
        let p = problem(&v);
        let sol = solve(&p, &Options { max_iterations: Some(300), seed, ..Options::default() }, |_| {});
        let plan = sol.to_plan(&p);
        let r = check(&p, &plan);
        prop_assert!(r.violations.is_empty(), "{:?}", r.violations);
        prop_assert_eq!(uses_a_busy_slot(&v, &plan), None);
    }

    /// On tiny version 2 problems, too, nothing beats the solver's plan.
    #[test]
    fn cost_on_tiny_version_2_problems_equals_the_brute_force_optimum(seed in any::<u64>(), cases in 1usize..4) {
        let p = problem(&random_problem_v2(seed, cases));
        let sol = solve(&p, &Options { max_iterations: Some(300), seed, ..Options::default() }, |_| {});
        prop_assert_eq!(sol.cost, brute_force(&p));
    }

    /// On tiny problems nothing beats the solver's plan.
    #[test]
    fn cost_on_tiny_problems_equals_the_brute_force_optimum(seed in any::<u64>(), cases in 1usize..4) {
        let p = problem(&random_problem(seed, cases));
        let sol = solve(&p, &Options { max_iterations: Some(300), seed, ..Options::default() }, |_| {});
        prop_assert_eq!(sol.cost, brute_force(&p));
    }
}

#[test]
fn same_seed_and_iterations_give_the_same_plan() {
    let v = random_problem(7, 40);
    let p = problem(&v);
    let opts = Options { max_iterations: Some(400), seed: 3, ..Options::default() };
    let a = solve(&p, &opts, |_| {});
    let b = solve(&p, &opts, |_| {});
    assert_eq!(a.to_plan(&p), b.to_plan(&p));
}

#[test]
fn a_problem_where_nothing_can_be_heard_is_not_searched_and_says_why() {
    let mut v = small();
    v["rooms"] = json!([{ "id": "R1", "seats": 2 }]);
    v["booked"] = json!([]);
    // More cases than the exact search takes, so that the search itself must see there is nothing to do.
    let mut cases = v["cases"].as_array().unwrap().clone();
    for i in 0..9 {
        cases.push(json!({ "id": format!("X{i}"), "earliest": "2026-03-02", "latest": "2026-03-03", "panel": 1, "slots": 1, "seats": 5, "weight": 0 }));
    }
    v["cases"] = json!(cases);
    let p = problem(&v);
    let mut reports = 0;
    let sol = solve(&p, &Options { time_limit: std::time::Duration::from_secs(30), ..Options::default() }, |_| reports += 1);
    assert_eq!(reports, 1, "only the construction is reported: no search when nothing can move");
    assert_eq!(sol.unscheduled(), 12);
    assert_eq!(sol.cost, (4 + 1 + 2) * 1000);
    let reasons = greenlane::scheduling::explain::reasons(&p, &sol);
    let codes: Vec<&str> = reasons.iter().take(3).map(|(_, r)| r.code()).collect();
    assert_eq!(codes, ["no_room_with_enough_seats", "no_room_with_enough_seats", "no_working_day"]);
}

#[test]
fn a_cancelled_search_returns_the_constructed_plan_at_once() {
    // The service sets the flag when it stops: the search must not run out its time limit.
    let p = problem(&random_problem(7, 40));
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let opts = Options { time_limit: std::time::Duration::from_secs(3600), cancel: Some(cancel), ..Options::default() };
    let sol = solve(&p, &opts, |_| {});
    assert_eq!(sol.iterations, 0);
    assert!(check(&p, &sol.to_plan(&p)).violations.is_empty());
    // Not cancelled, the same problem is searched (so the test above could fail).
    let searched = solve(&p, &Options { max_iterations: Some(500), ..Options::default() }, |_| {});
    assert!(searched.iterations > 0, "the small problem leaves room to improve");
}
