//! Who and what is busy when: rooms and arbitrators per working day and session as slot masks,
//! hearings per arbitrator and day, and the search for the best free placement of one case on one day.

use super::problem::Problem;

/// Where and with whom one case is heard; indices into the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    /// Working-day index.
    pub day: u16,
    pub session: u8,
    pub slot: u8,
    pub room: u16,
    /// The presiding arbitrator first.
    pub arbitrators: Vec<u16>,
}

/// What never changes during a search: the problem and its indexes.
pub(crate) struct Ctx<'p> {
    pub p: &'p Problem,
    pub ns: usize,
    pub nr: usize,
    pub na: usize,
    /// Rooms by seats, smallest first.
    pub rooms_by_seats: Vec<u16>,
    /// Per case, the position in `rooms_by_seats` of the first room with enough seats.
    pub room_from: Vec<usize>,
    /// Per working day, the arbitrators not off and able to hear at least one case.
    pub on_duty: Vec<Vec<u16>>,
}

impl<'p> Ctx<'p> {
    pub fn new(p: &'p Problem) -> Self {
        let mut rooms_by_seats: Vec<u16> = (0..p.rooms.len() as u16).collect();
        rooms_by_seats.sort_by_key(|&r| (p.rooms[r as usize].seats, r));
        let room_from = p.cases.iter().map(|c| rooms_by_seats.partition_point(|&r| p.rooms[r as usize].seats < c.seats)).collect();
        let on_duty = (0..p.workdays.len())
            .map(|d| {
                (0..p.arbitrators.len() as u16)
                    .filter(|&a| {
                        let a = &p.arbitrators[a as usize];
                        !a.off[d] && a.max_per_day > 0
                    })
                    .collect()
            })
            .collect();
        Ctx { p, ns: p.sessions.len(), nr: p.rooms.len(), na: p.arbitrators.len(), rooms_by_seats, room_from, on_duty }
    }
}

/// Slot mask of `n` slots from `t`.
#[inline]
pub fn span(t: u32, n: u32) -> u64 {
    (if n >= 64 { u64::MAX } else { (1u64 << n) - 1 }) << t
}

/// How snugly `n` slots from `t` sit against busy slots or the session's ends (0–2).
#[inline]
fn snug(busy: u64, t: u32, n: u32, session_slots: u32) -> i32 {
    let left = t == 0 || busy & (1u64 << (t - 1)) != 0;
    let right = t + n == session_slots || busy & (1u64 << (t + n)) != 0;
    left as i32 + right as i32
}

/// Free slots left of `t` and right of `t + n` up to the next busy slot or the session's end.
#[inline]
fn gaps(busy: u64, t: u32, n: u32, session_slots: u32) -> (u32, u32) {
    let below = busy & ((1u64 << t) - 1);
    let left = if below == 0 { t } else { t - (64 - below.leading_zeros()) };
    let end = t + n;
    let above = if end >= 64 { 0 } else { busy >> end };
    let right = if above == 0 { session_slots - end } else { above.trailing_zeros().min(session_slots - end) };
    (left, right)
}

/// A candidate arbitrator for one day: index, may preside, busy mask in the session at hand.
#[derive(Clone, Copy)]
struct Cand {
    a: u16,
    presides: bool,
    busy: u64,
}

/// Reusable buffers of the placement search.
#[derive(Default)]
pub(crate) struct Scratch {
    cands: Vec<Cand>,
    free: Vec<(i32, u16, bool)>,
}

/// Occupancy of rooms and arbitrators over the horizon's working days.
#[derive(Clone)]
pub(crate) struct Grid {
    ns: usize,
    nr: usize,
    na: usize,
    /// `room[(d * ns + s) * nr + r]`: busy slots of room `r`.
    room: Vec<u64>,
    /// `arb[(d * ns + s) * na + a]`: busy slots of arbitrator `a`.
    arb: Vec<u64>,
    /// `count[d * na + a]`: hearings of arbitrator `a` on day `d`.
    count: Vec<u32>,
}

impl Grid {
    /// The grid with the problem's booked hearings that fall on its working days.
    pub fn with_booked(ctx: &Ctx<'_>) -> Grid {
        let nd = ctx.p.workdays.len();
        let mut g = Grid {
            ns: ctx.ns,
            nr: ctx.nr,
            na: ctx.na,
            room: vec![0; nd * ctx.ns * ctx.nr],
            arb: vec![0; nd * ctx.ns * ctx.na],
            count: vec![0; nd * ctx.na],
        };
        for b in &ctx.p.booked {
            if let Some(d) = ctx.p.workday(b.day) {
                let m = span(b.slot, b.slots);
                g.room[(d * g.ns + b.session) * g.nr + b.room] |= m;
                for &a in &b.arbitrators {
                    g.arb[(d * g.ns + b.session) * g.na + a] |= m;
                    g.count[d * g.na + a] += 1;
                }
            }
        }
        // Version 2: an arbitrator's busy times hold its slots like a hearing, without counting as one.
        for (a, arb) in ctx.p.arbitrators.iter().enumerate() {
            for (&(d, s), &m) in &arb.busy {
                g.arb[(d * g.ns + s) * g.na + a] |= m;
            }
        }
        g
    }

    /// Take the placement's room, arbitrators and slots.
    pub fn take(&mut self, slots: u32, pl: &Placement) {
        self.mark(slots, pl, true);
    }

    /// Give back what `take` took.
    pub fn release(&mut self, slots: u32, pl: &Placement) {
        self.mark(slots, pl, false);
    }

    fn mark(&mut self, slots: u32, pl: &Placement, on: bool) {
        let (d, s) = (pl.day as usize, pl.session as usize);
        let m = span(pl.slot as u32, slots);
        let cell = &mut self.room[(d * self.ns + s) * self.nr + pl.room as usize];
        debug_assert_eq!(*cell & m, if on { 0 } else { m });
        *cell ^= m;
        for &a in &pl.arbitrators {
            let cell = &mut self.arb[(d * self.ns + s) * self.na + a as usize];
            debug_assert_eq!(*cell & m, if on { 0 } else { m });
            *cell ^= m;
            let n = &mut self.count[d * self.na + a as usize];
            if on { *n += 1 } else { *n -= 1 }
        }
    }

    /// Busy slots of a room.
    pub fn room_busy(&self, d: usize, s: usize, r: usize) -> u64 {
        self.room[(d * self.ns + s) * self.nr + r]
    }

    /// Busy slots of an arbitrator.
    pub fn arb_busy(&self, d: usize, s: usize, a: usize) -> u64 {
        self.arb[(d * self.ns + s) * self.na + a]
    }

    /// Hearings of an arbitrator on a day.
    pub fn hearings(&self, d: usize, a: usize) -> u32 {
        self.count[d * self.na + a]
    }

    /// The best free placement of case `c` on working day `d`, if any: the smallest room with enough
    /// seats, presiders kept for presiding, and hearings packed against what is already there.
    pub fn find(&self, ctx: &Ctx<'_>, sc: &mut Scratch, c: usize, d: usize) -> Option<Placement> {
        let p = ctx.p;
        let case = &p.cases[c];
        let n = case.slots;
        let panel = case.panel as usize;
        let rooms = &ctx.rooms_by_seats[ctx.room_from[c]..];
        if rooms.is_empty() || panel > ctx.na {
            return None;
        }
        let mut best: Option<(i32, Placement)> = None;
        for (s, &ss) in p.sessions.iter().enumerate() {
            if n > ss {
                continue;
            }
            let base = (d * self.ns + s) * self.nr;
            let room_row = &self.room[base..base + self.nr];
            let abase = (d * self.ns + s) * self.na;
            sc.cands.clear();
            for &a in &ctx.on_duty[d] {
                let ai = a as usize;
                let arb = &p.arbitrators[ai];
                if self.count[d * self.na + ai] < arb.max_per_day && !case.exclude.contains(&ai) {
                    sc.cands.push(Cand { a, presides: arb.presides, busy: self.arb[abase + ai] });
                }
            }
            if sc.cands.len() < panel || !sc.cands.iter().any(|x| x.presides) {
                continue;
            }
            for t in 0..=(ss - n) {
                let m = span(t, n);
                // The room: no leftover gap of one slot (nothing fits it), snug, and not much bigger than needed.
                let mut choice: Option<(i32, u16)> = None;
                for &r in rooms {
                    let busy = room_row[r as usize];
                    if busy & m != 0 {
                        continue;
                    }
                    let (left, right) = gaps(busy, t, n, ss);
                    let waste = (left == 1) as i32 + (right == 1) as i32;
                    let snug = (left == 0) as i32 + (right == 0) as i32;
                    let spare = (p.rooms[r as usize].seats - case.seats) as i32;
                    let score = waste * 12 - snug * 3 + spare / 4;
                    if choice.is_none_or(|(b, _)| score < b) {
                        choice = Some((score, r));
                    }
                }
                let Some((room_score, room)) = choice else { continue };
                // The presiding arbitrator: the most snug presider.
                let mut pres: Option<(i32, u16)> = None;
                sc.free.clear();
                for x in &sc.cands {
                    if x.busy & m != 0 {
                        continue;
                    }
                    let fit = snug(x.busy, t, n, ss);
                    if x.presides && pres.is_none_or(|(f, _)| fit > f) {
                        pres = Some((fit, x.a));
                    }
                    sc.free.push((fit, x.a, x.presides));
                }
                let Some((pres_fit, president)) = pres else { continue };
                if sc.free.len() < panel {
                    continue;
                }
                let mut arbitrators = Vec::with_capacity(panel);
                arbitrators.push(president);
                let mut score = room_score - pres_fit;
                if panel > 1 {
                    // Wing members: arbitrators who cannot preside first, then the most snug.
                    sc.free.retain(|f| f.1 != president);
                    sc.free.sort_unstable_by_key(|&(fit, a, presides)| (presides, -fit, a));
                    for &(fit, a, _) in &sc.free[..panel - 1] {
                        arbitrators.push(a);
                        score -= fit;
                    }
                }
                if best.as_ref().is_none_or(|(b, _)| score < *b) {
                    best = Some((score, Placement { day: d as u16, session: s as u8, slot: t as u8, room, arbitrators }));
                }
            }
        }
        best.map(|(_, pl)| pl)
    }
}
