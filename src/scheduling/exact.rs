//! Exact search for tiny problems: every placement of every case, depth first with a cost bound.
//! Used when the whole problem is small enough that the optimum is cheap to prove.

use super::grid::{Ctx, Grid, Placement, span};
use super::solution::{Solution, case_cost};

/// Largest product of per-case option counts searched exhaustively.
const TINY: f64 = 2.0e6;

/// The optimal plan when the problem is tiny, else `None`.
pub(crate) fn solve_tiny(ctx: &Ctx<'_>) -> Option<Solution> {
    let p = ctx.p;
    if p.cases.len() > 8 {
        return None;
    }
    // An upper bound on the options before enumerating any, so that a large problem costs nothing here.
    let mut bound = 1.0f64;
    for (c, case) in p.cases.iter().enumerate() {
        let days = if case.has_window() { (case.hi - case.lo + 1) as f64 } else { 0.0 };
        let starts: u32 = p.sessions.iter().map(|&ss| (ss + 1).saturating_sub(case.slots)).sum();
        let rooms = (ctx.nr - ctx.room_from[c]) as f64;
        bound *= days * f64::from(starts) * rooms * (ctx.na as f64).powi(case.panel.min(8) as i32) + 1.0;
        if bound > TINY {
            return None;
        }
    }
    let grid = Grid::with_booked(ctx);
    let mut options = Vec::with_capacity(p.cases.len());
    let mut size = 1.0f64;
    for c in 0..p.cases.len() {
        let o = all_placements(ctx, &grid, c);
        size *= (o.len() + 1) as f64;
        if size > TINY {
            return None;
        }
        options.push(o);
    }
    let mut dfs = Dfs { ctx, grid, options, current: vec![None; p.cases.len()], best: None, best_cost: u64::MAX };
    dfs.go(0, 0);
    let placements = dfs.best.expect("leaving every case unscheduled is always a plan");
    Some(Solution { cost: dfs.best_cost, placements, iterations: 0 })
}

struct Dfs<'c, 'p> {
    ctx: &'c Ctx<'p>,
    grid: Grid,
    options: Vec<Vec<Placement>>,
    current: Vec<Option<Placement>>,
    best: Option<Vec<Option<Placement>>>,
    best_cost: u64,
}

impl Dfs<'_, '_> {
    fn go(&mut self, c: usize, cost: u64) {
        if cost >= self.best_cost {
            return;
        }
        let p = self.ctx.p;
        if c == p.cases.len() {
            self.best_cost = cost;
            self.best = Some(self.current.clone());
            return;
        }
        let slots = p.cases[c].slots;
        for i in 0..self.options[c].len() {
            let pl = self.options[c][i].clone();
            if fits(self.ctx, &self.grid, slots, &pl) {
                self.grid.take(slots, &pl);
                let step = case_cost(p, c, Some(&pl));
                self.current[c] = Some(pl);
                self.go(c + 1, cost + step);
                let pl = self.current[c].take().expect("just set");
                self.grid.release(slots, &pl);
            }
        }
        self.go(c + 1, cost + case_cost(p, c, None));
    }
}

fn fits(ctx: &Ctx<'_>, grid: &Grid, slots: u32, pl: &Placement) -> bool {
    let (d, s) = (pl.day as usize, pl.session as usize);
    let m = span(u32::from(pl.slot), slots);
    grid.room_busy(d, s, pl.room as usize) & m == 0
        && pl.arbitrators.iter().all(|&a| {
            let a = a as usize;
            grid.arb_busy(d, s, a) & m == 0 && grid.hearings(d, a) < ctx.p.arbitrators[a].max_per_day
        })
}

/// Every placement of case `c` allowed by rules 1–4 and free in `grid`; panels as sets (the
/// wing members in index order), since their order does not matter.
pub(crate) fn all_placements(ctx: &Ctx<'_>, grid: &Grid, c: usize) -> Vec<Placement> {
    let p = ctx.p;
    let case = &p.cases[c];
    let mut out = Vec::new();
    if !case.has_window() || case.panel as usize > ctx.na {
        return out;
    }
    for d in case.window() {
        let eligible: Vec<u16> = ctx.on_duty[d].iter().copied().filter(|&a| !case.exclude.contains(&(a as usize))).collect();
        for (s, &ss) in p.sessions.iter().enumerate() {
            if case.slots > ss {
                continue;
            }
            for t in 0..=(ss - case.slots) {
                for &r in &ctx.rooms_by_seats[ctx.room_from[c]..] {
                    for &pres in eligible.iter().filter(|&&a| p.arbitrators[a as usize].presides) {
                        let wings: Vec<u16> = eligible.iter().copied().filter(|&a| a != pres).collect();
                        for combo in combinations(&wings, case.panel as usize - 1) {
                            let mut arbitrators = vec![pres];
                            arbitrators.extend(combo);
                            let pl = Placement { day: d as u16, session: s as u8, slot: t as u8, room: r, arbitrators };
                            if fits(ctx, grid, case.slots, &pl) {
                                out.push(pl);
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

fn combinations(items: &[u16], k: usize) -> Vec<Vec<u16>> {
    if k == 0 {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    for i in 0..items.len() {
        for mut rest in combinations(&items[i + 1..], k - 1) {
            rest.insert(0, items[i]);
            out.push(rest);
        }
    }
    out
}
