//! The solver: a greedy construction by weight and slack, then large-neighbourhood search (remove a
//! few related hearings, re-insert them earliest-first, with ejection chains that push hearings with later
//! deadlines on) under late-acceptance hill climbing.
//! Deterministic for a seed and a number of iterations; the time limit only decides how many run.

use std::time::{Duration, Instant};

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use super::grid::{Ctx, Grid, Placement, Scratch, span};
use super::problem::Problem;
use super::solution::{Solution, case_cost};

/// How long and how wide to search.
#[derive(Clone, Debug)]
pub struct Options {
    /// Stop improving after this long (the construction always finishes).
    pub time_limit: Duration,
    /// Independent searches run side by side, sharing their best plan between epochs.
    pub threads: usize,
    pub seed: u64,
    /// Stop after this many improvement iterations per thread (for reproducible runs).
    pub max_iterations: Option<u64>,
    /// Stop once the best plan has not improved for this long (the service's default: a small docket
    /// settles in well under a second, so it need not wait out the whole time limit).
    pub stall: Option<Duration>,
    /// Set by the caller to stop improving at once (the service shutting down); the best plan so
    /// far is returned, as at the time limit.
    pub cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
}

impl Options {
    fn cancelled(&self) -> bool {
        self.cancel.as_ref().is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed))
    }
}

impl Default for Options {
    fn default() -> Self {
        Options { time_limit: Duration::from_secs(10), threads: 1, seed: 1, max_iterations: None, stall: None, cancel: None }
    }
}

/// Where the search stands, reported between epochs.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    pub cost: u64,
    pub unscheduled: usize,
    pub iterations: u64,
    pub elapsed: Duration,
}

/// Iterations of each thread between two exchanges of the best plan.
const EPOCH: u64 = 500;
/// Length of the late-acceptance history.
const HISTORY: usize = 400;
/// How many hearings deep an ejection chain may push, and how many one link may take out.
const CHAIN_DEPTH: u32 = 3;
const CHAIN_WIDTH: usize = 4;
/// Runs tried when looking for one held only by hearings that may move later.
const RUN_TRIES: usize = 60;

/// Solve a problem: always returns a valid plan, the best found within the limits.
pub fn solve(p: &Problem, opts: &Options, mut progress: impl FnMut(Progress)) -> Solution {
    let started = Instant::now();
    let deadline = started + opts.time_limit;
    let ctx = Ctx::new(p);
    if let Some(exact) = super::exact::solve_tiny(&ctx) {
        return exact;
    }
    let threads = opts.threads.max(1);
    let first = Search::construct(&ctx, opts.seed);
    let mut searches: Vec<Search<'_, '_>> = (0..threads).map(|i| first.fork(opts.seed.wrapping_add(0x9E37_79B9 * i as u64))).collect();
    let mut best = first.snapshot();
    let mut iterations = 0u64;
    progress(Progress { cost: best.cost, unscheduled: best.unscheduled(), iterations, elapsed: started.elapsed() });
    let limit = opts.max_iterations.unwrap_or(u64::MAX);
    let mut done_per_thread = 0u64;
    // Nothing to gain once every case that can be heard is heard on its first day.
    let floor: u64 = (0..p.cases.len()).filter(|c| !first.movable.contains(&(*c as u32))).map(|c| case_cost(p, c, None)).sum();
    let mut last_gain = Instant::now();
    while Instant::now() < deadline && done_per_thread < limit && best.cost > floor && !opts.cancelled() {
        if opts.stall.is_some_and(|stall| last_gain.elapsed() >= stall) {
            break;
        }
        let epoch = EPOCH.min(limit - done_per_thread);
        let run = |s: &mut Search<'_, '_>| s.run(epoch, deadline);
        if threads == 1 {
            run(&mut searches[0]);
        } else {
            std::thread::scope(|scope| {
                for s in searches.iter_mut() {
                    scope.spawn(move || run(s));
                }
            });
        }
        done_per_thread += epoch;
        iterations = searches.iter().map(|s| s.iterations).sum();
        let (lead, _) = searches.iter().enumerate().min_by_key(|(i, s)| (s.best_cost, *i)).expect("one search at least");
        if searches[lead].best_cost < best.cost {
            best = searches[lead].best.clone().expect("a search that improved holds its best");
            best.cost = searches[lead].best_cost;
            last_gain = Instant::now();
        }
        // Threads that fell behind continue from the best plan, each with its own random stream.
        if threads > 1 {
            for s in searches.iter_mut() {
                if s.cost > best.cost + best.cost / 50 {
                    s.adopt(&best);
                }
            }
        }
        progress(Progress { cost: best.cost, unscheduled: best.unscheduled(), iterations, elapsed: started.elapsed() });
    }
    best.iterations = iterations;
    best
}

/// One search: the current plan, its occupancy, and the random stream that drives it.
struct Search<'c, 'p> {
    ctx: &'c Ctx<'p>,
    grid: Grid,
    place: Vec<Option<Placement>>,
    cost: u64,
    /// Cases planned on each working day, and each case's position in its day's list.
    by_day: Vec<Vec<u32>>,
    pos: Vec<u32>,
    /// Unscheduled cases that could be heard (a non-empty window, a session long enough, a room).
    waiting: Vec<u32>,
    waiting_pos: Vec<u32>,
    /// Cases worth moving: those that are not hopeless.
    movable: Vec<u32>,
    rng: SmallRng,
    scratch: Scratch,
    history: Vec<u64>,
    /// What each case touched by the current step held before it, for undoing the step.
    journal: Vec<(usize, Option<Placement>)>,
    /// The iteration that last touched each case.
    touched: Vec<u64>,
    iterations: u64,
    best: Option<Solution>,
    best_cost: u64,
}

const NONE: u32 = u32::MAX;

impl<'c, 'p> Search<'c, 'p> {
    /// Place every case, most weight and least slack first, each on its earliest free day.
    fn construct(ctx: &'c Ctx<'p>, seed: u64) -> Self {
        let p = ctx.p;
        let n = p.cases.len();
        let mut s = Search {
            ctx,
            grid: Grid::with_booked(ctx),
            place: vec![None; n],
            cost: 0,
            by_day: vec![Vec::new(); p.workdays.len()],
            pos: vec![NONE; n],
            waiting: Vec::new(),
            waiting_pos: vec![NONE; n],
            movable: Vec::new(),
            rng: SmallRng::seed_from_u64(seed),
            scratch: Scratch::default(),
            history: Vec::new(),
            journal: Vec::new(),
            touched: vec![0; n],
            iterations: 0,
            best: None,
            best_cost: u64::MAX,
        };
        for c in 0..n {
            s.cost += case_cost(p, c, None);
            if super::explain::hopeless(ctx, c).is_none() {
                s.movable.push(c as u32);
            }
        }
        // Earliest deadline first, heavier first on the same deadline, with the deadline moved up by
        // `gamma` days per unit of weight; the cheapest of a few such orders is kept.
        let mut best: Option<(u64, Grid, Vec<Option<Placement>>)> = None;
        for gamma in [0.0, 1.0, 2.0, 3.0] {
            let mut order = s.movable.clone();
            order.sort_by_key(|&c| {
                let case = &p.cases[c as usize];
                let due = case.hi as f64 - gamma * f64::from(case.weight);
                ((due * 64.0) as i64, std::cmp::Reverse(case.weight), case.lo, c)
            });
            let mut trial = Search { grid: Grid::with_booked(ctx), place: vec![None; n], ..s.fork(seed) };
            trial.by_day = vec![Vec::new(); p.workdays.len()];
            trial.pos = vec![NONE; n];
            for &c in &order {
                trial.insert(c as usize, 0.0);
            }
            if best.as_ref().is_none_or(|b| trial.cost < b.0) {
                best = Some((trial.cost, trial.grid, trial.place));
            }
        }
        let (_, _, place) = best.expect("at least one order");
        for (c, pl) in place.into_iter().enumerate() {
            match pl {
                Some(pl) => s.put(c, pl),
                None if s.movable.contains(&(c as u32)) => s.wait(c),
                None => {}
            }
        }
        s.history = vec![s.cost; HISTORY];
        s.best_cost = s.cost;
        s.best = Some(s.snapshot());
        s
    }

    /// A copy with its own random stream.
    fn fork(&self, seed: u64) -> Self {
        Search {
            ctx: self.ctx,
            grid: self.grid.clone(),
            place: self.place.clone(),
            cost: self.cost,
            by_day: self.by_day.clone(),
            pos: self.pos.clone(),
            waiting: self.waiting.clone(),
            waiting_pos: self.waiting_pos.clone(),
            movable: self.movable.clone(),
            rng: SmallRng::seed_from_u64(seed),
            scratch: Scratch::default(),
            history: self.history.clone(),
            journal: Vec::new(),
            touched: vec![0; self.place.len()],
            iterations: 0,
            best: None,
            best_cost: self.cost,
        }
    }

    /// Continue from another plan.
    fn adopt(&mut self, sol: &Solution) {
        for c in 0..self.place.len() {
            if self.place[c].is_some() {
                self.unplace(c);
                self.wait(c);
            }
        }
        for (c, pl) in sol.placements.iter().enumerate() {
            if let Some(pl) = pl {
                if self.waiting_pos[c] != NONE {
                    self.unwait(c);
                }
                self.put(c, pl.clone());
            }
        }
        debug_assert_eq!(self.cost, sol.cost);
        self.history.fill(self.cost);
    }

    fn snapshot(&self) -> Solution {
        Solution { placements: self.place.clone(), cost: self.cost, iterations: 0 }
    }

    fn put(&mut self, c: usize, pl: Placement) {
        let p = self.ctx.p;
        self.cost -= case_cost(p, c, None);
        self.cost += case_cost(p, c, Some(&pl));
        self.grid.take(p.cases[c].slots, &pl);
        let day = &mut self.by_day[pl.day as usize];
        self.pos[c] = day.len() as u32;
        day.push(c as u32);
        self.place[c] = Some(pl);
    }

    fn unplace(&mut self, c: usize) {
        let p = self.ctx.p;
        let pl = self.place[c].take().expect("unplace a placed case");
        self.grid.release(p.cases[c].slots, &pl);
        self.cost -= case_cost(p, c, Some(&pl));
        self.cost += case_cost(p, c, None);
        let day = &mut self.by_day[pl.day as usize];
        let i = self.pos[c] as usize;
        day.swap_remove(i);
        if let Some(&moved) = day.get(i) {
            self.pos[moved as usize] = i as u32;
        }
        self.pos[c] = NONE;
    }

    fn wait(&mut self, c: usize) {
        self.waiting_pos[c] = self.waiting.len() as u32;
        self.waiting.push(c as u32);
    }

    fn unwait(&mut self, c: usize) {
        let i = self.waiting_pos[c] as usize;
        self.waiting.swap_remove(i);
        if let Some(&moved) = self.waiting.get(i) {
            self.waiting_pos[moved as usize] = i as u32;
        }
        self.waiting_pos[c] = NONE;
    }

    /// Put case `c` on its earliest day with a free placement; `blink` is the chance of passing a day by.
    fn insert(&mut self, c: usize, blink: f64) -> bool {
        let case = &self.ctx.p.cases[c];
        for d in case.window() {
            if blink > 0.0 && d < case.hi && self.rng.random::<f64>() < blink {
                continue;
            }
            if let Some(pl) = self.grid.find(self.ctx, &mut self.scratch, c, d) {
                self.put(c, pl);
                return true;
            }
        }
        false
    }

    /// Run `iterations` improvement steps, or until the deadline.
    fn run(&mut self, iterations: u64, deadline: Instant) {
        for _ in 0..iterations {
            if self.movable.is_empty() || Instant::now() >= deadline {
                return;
            }
            self.step();
        }
    }

    /// One step: remove related hearings, re-insert them, keep the result if late acceptance allows.
    fn step(&mut self) {
        self.iterations += 1;
        let before = self.cost;
        let (removed, lead) = self.destroy();
        self.journal.clear();
        for &c in &removed {
            self.take_out(c);
        }
        let mode = self.rng.random_range(0..3u8);
        let mut order: Vec<(u64, usize)> = removed
            .iter()
            .map(|&c| {
                let case = &self.ctx.p.cases[c];
                let noise = self.rng.random_range(0.75..1.25);
                let slack = (case.hi - case.lo) as f64 + 1.0;
                // Heavier and tighter first; a little noise so that orders vary.
                let key = match mode {
                    // Bin packing: the longest hearings first, then the bigger rooms.
                    0 => (f64::from(case.slots) * 100.0 + f64::from(case.seats)) * noise,
                    // The tightest windows first.
                    1 => 1000.0 * noise / slack,
                    // Heavy and tight first.
                    _ => f64::from(case.weight.max(1)) * noise * 100.0 / slack.sqrt(),
                };
                (u64::MAX - key as u64, c)
            })
            .collect();
        // After an ejection the case it was made for goes first.
        if let (Some(first), true) = (order.first_mut(), lead) {
            first.0 = 0;
        }
        order.sort_unstable();
        let blink = if self.rng.random_bool(0.5) { 0.0 } else { 0.05 };
        let depth = if self.rng.random_bool(0.5) { CHAIN_DEPTH } else { 0 };
        for &(_, c) in &order {
            if !self.insert(c, blink) && !self.chain_insert(c, depth) {
                self.wait(c);
            }
        }
        let v = (self.iterations as usize) % HISTORY;
        if self.cost <= before || self.cost < self.history[v] {
            if self.cost < self.best_cost {
                self.best_cost = self.cost;
                self.best = Some(self.snapshot());
            }
        } else {
            // Undo: take every touched case out, then restore what each held before the step.
            let journal = std::mem::take(&mut self.journal);
            for &(c, _) in &journal {
                if self.place[c].is_some() {
                    self.unplace(c);
                } else if self.waiting_pos[c] != NONE {
                    self.unwait(c);
                }
            }
            for (c, was) in journal.iter().cloned() {
                match was {
                    Some(pl) => self.put(c, pl),
                    None => self.wait(c),
                }
            }
            self.journal = journal;
            debug_assert_eq!(self.cost, before);
        }
        if self.cost < self.history[v] {
            self.history[v] = self.cost;
        }
    }

    /// Take a case out of the plan (or off the waiting list), noting what it held the first time
    /// this step touches it.
    fn take_out(&mut self, c: usize) {
        if self.touched[c] != self.iterations {
            self.touched[c] = self.iterations;
            self.journal.push((c, self.place[c].clone()));
        }
        if self.place[c].is_some() {
            self.unplace(c);
        } else if self.waiting_pos[c] != NONE {
            self.unwait(c);
        }
    }

    /// An ejection chain: make room for `c` on a day of its window by taking out the hearings that
    /// hold one run it could use, all due later than `c`, then re-insert those elsewhere, each allowed
    /// a shorter chain of its own. Deadlines grow along the chain, so it heads for the days with room.
    fn chain_insert(&mut self, c: usize, depth: u32) -> bool {
        if depth == 0 {
            return false;
        }
        let mut ejected = Vec::new();
        for _ in 0..2 {
            ejected.clear();
            let Some(d) = self.eject_later(c, &mut ejected) else { continue };
            if ejected.len() > CHAIN_WIDTH {
                continue;
            }
            let held: Vec<(usize, Placement)> =
                ejected.iter().map(|&e| (e, self.place[e].clone().expect("ejected from the plan"))).collect();
            for &e in &ejected {
                self.take_out(e);
            }
            if let Some(pl) = self.grid.find(self.ctx, &mut self.scratch, c, d) {
                self.put(c, pl);
                for &e in &ejected {
                    if !self.insert(e, 0.0) && !self.chain_insert(e, depth - 1) {
                        self.wait(e);
                    }
                }
                return true;
            }
            for (e, pl) in held {
                self.put(e, pl);
            }
        }
        false
    }

    /// Choose cases to take out: hearings around one day, around one waiting case, or at random.
    fn destroy(&mut self) -> (Vec<usize>, bool) {
        let nd = self.by_day.len();
        let k = self.rng.random_range(2..=12usize);
        let mut out: Vec<usize> = Vec::with_capacity(2 * k + 1);
        let choice = self.rng.random_range(0..10);
        let mut lead = false;
        if choice < 2 && !self.waiting.is_empty() {
            // A waiting case, and whatever fills a run of a room for it with later deadlines.
            let u = self.waiting[self.rng.random_range(0..self.waiting.len())] as usize;
            out.push(u);
            lead = true;
            self.eject_later(u, &mut out);
        } else if choice < 3 && !self.waiting.is_empty() {
            // Ejection: a waiting case, and the hearings that hold one slot it needs.
            let u = self.waiting[self.rng.random_range(0..self.waiting.len())] as usize;
            out.push(u);
            lead = true;
            let case = &self.ctx.p.cases[u];
            let d = self.rng.random_range(case.lo..=case.hi);
            self.eject_for(u, d, &mut out);
        } else if choice < 6 {
            // Pull a late, heavy hearing forward, ejecting what holds a slot on an earlier day.
            let mut g = None;
            let mut worst = 0u64;
            for _ in 0..4 {
                let c = self.movable[self.rng.random_range(0..self.movable.len())] as usize;
                if let Some(pl) = &self.place[c] {
                    let late = case_cost(self.ctx.p, c, Some(pl));
                    if late > worst {
                        worst = late;
                        g = Some((c, pl.day as usize));
                    }
                }
            }
            if let Some((g, day)) = g {
                out.push(g);
                lead = true;
                let d = self.rng.random_range(self.ctx.p.cases[g].lo..day);
                self.eject_for(g, d, &mut out);
            }
        } else if choice < 7 {
            // One day's hearings, and some later hearings that could move up to it.
            let d = self.rng.random_range(0..nd);
            let k = if self.rng.random_bool(0.3) { k * 4 } else { k };
            self.sample_day(d, k, &mut out);
            for _ in 0..k {
                let later = (d + self.rng.random_range(1..=5)).min(nd - 1);
                if let Some(c) = self.pick_on(later)
                    && self.ctx.p.cases[c].lo <= d
                {
                    push_new(&mut out, c);
                }
            }
        } else {
            for _ in 0..k {
                let c = self.movable[self.rng.random_range(0..self.movable.len())] as usize;
                push_new(&mut out, c);
            }
        }
        (out, lead)
    }

    /// Take out whatever holds one random slot case `u` could use: the room's hearings there, and
    /// the hearings (or, at their daily limit, one hearing of the day) of the arbitrators it would need.
    fn eject_for(&mut self, u: usize, d: usize, out: &mut Vec<usize>) {
        let ctx = self.ctx;
        let p = ctx.p;
        let case = &p.cases[u];
        let sessions: Vec<usize> = (0..ctx.ns).filter(|&s| p.sessions[s] >= case.slots).collect();
        let s = sessions[self.rng.random_range(0..sessions.len())];
        let t = self.rng.random_range(0..=p.sessions[s] - case.slots);
        let m = span(t, case.slots);
        let rooms = &ctx.rooms_by_seats[ctx.room_from[u]..];
        // Smaller rooms are likelier: the square of a uniform draw leans to the front.
        let x: f64 = self.rng.random();
        let r = rooms[((x * x) * rooms.len() as f64) as usize % rooms.len()];
        let eligible: Vec<u16> = ctx.on_duty[d].iter().copied().filter(|&a| !case.exclude.contains(&(a as usize))).collect();
        let presiders: Vec<u16> = eligible.iter().copied().filter(|&a| p.arbitrators[a as usize].presides).collect();
        if presiders.is_empty() || eligible.len() < case.panel as usize {
            return;
        }
        let mut panel = vec![presiders[self.rng.random_range(0..presiders.len())]];
        while panel.len() < case.panel as usize {
            let a = eligible[self.rng.random_range(0..eligible.len())];
            if !panel.contains(&a) {
                panel.push(a);
            }
        }
        let mut day_of: Vec<usize> = Vec::new();
        for &a in &panel {
            let ai = a as usize;
            let busy = self.grid.arb_busy(d, s, ai) & m != 0;
            let full = self.grid.hearings(d, ai) >= p.arbitrators[ai].max_per_day;
            if !busy && !full {
                continue;
            }
            day_of.clear();
            for &c in &self.by_day[d] {
                let pl = self.place[c as usize].as_ref().expect("listed on its day");
                if pl.arbitrators.contains(&a) {
                    if pl.session as usize == s && span(u32::from(pl.slot), p.cases[c as usize].slots) & m != 0 {
                        push_new(out, c as usize);
                    } else {
                        day_of.push(c as usize);
                    }
                }
            }
            if full && !busy && !day_of.is_empty() {
                let c = day_of[self.rng.random_range(0..day_of.len())];
                push_new(out, c);
            }
        }
        for &c in &self.by_day[d] {
            let pl = self.place[c as usize].as_ref().expect("listed on its day");
            if pl.session as usize == s && pl.room == r && span(u32::from(pl.slot), p.cases[c as usize].slots) & m != 0 {
                push_new(out, c as usize);
            }
        }
    }

    /// Take out the hearings that fill one run of a room a waiting case could use, when every one of
    /// them may still be heard later than the waiting case's last day: they can move on, it cannot.
    fn eject_later(&mut self, u: usize, out: &mut Vec<usize>) -> Option<usize> {
        let ctx = self.ctx;
        let p = ctx.p;
        let case = &p.cases[u];
        let rooms = &ctx.rooms_by_seats[ctx.room_from[u]..];
        let sessions: Vec<usize> = (0..ctx.ns).filter(|&s| p.sessions[s] >= case.slots).collect();
        if rooms.is_empty() || sessions.is_empty() {
            return None;
        }
        let mut held: Vec<usize> = Vec::new();
        for _ in 0..RUN_TRIES {
            // Late days of the window are likelier: their hearings are likelier to have later deadlines.
            let x: f64 = self.rng.random();
            let d = case.hi - ((x * x) * (case.hi - case.lo + 1) as f64) as usize;
            let s = sessions[self.rng.random_range(0..sessions.len())];
            let m = span(self.rng.random_range(0..=p.sessions[s] - case.slots), case.slots);
            let r = rooms[self.rng.random_range(0..rooms.len())];
            held.clear();
            let mut covered = 0u64;
            let mut movable = true;
            for &c in &self.by_day[d] {
                let pl = self.place[c as usize].as_ref().expect("listed on its day");
                if pl.session as usize != s || pl.room != r {
                    continue;
                }
                let cm = span(u32::from(pl.slot), p.cases[c as usize].slots);
                if cm & m != 0 {
                    movable &= p.cases[c as usize].hi > case.hi;
                    covered |= cm;
                    held.push(c as usize);
                }
            }
            // Booked hearings cannot move: every busy slot of the run must belong to a held hearing.
            if movable && !held.is_empty() && self.grid.room_busy(d, s, r as usize) & m & !covered == 0 {
                for &c in &held {
                    push_new(out, c);
                }
                return Some(d);
            }
        }
        None
    }

    fn pick_on(&mut self, d: usize) -> Option<usize> {
        let day = &self.by_day[d];
        (!day.is_empty()).then(|| day[self.rng.random_range(0..day.len())] as usize)
    }

    fn sample_day(&mut self, d: usize, k: usize, out: &mut Vec<usize>) {
        for _ in 0..k {
            if let Some(c) = self.pick_on(d) {
                push_new(out, c);
            }
        }
    }
}

fn push_new(out: &mut Vec<usize>, c: usize) {
    if !out.contains(&c) {
        out.push(c);
    }
}
