//! A solution: a plan as placements, its cost and the cost of one case's fate (contract, "Cost").

use super::grid::Placement;
use super::plan::{HearingFile, PlanFile, UNSCHEDULED_PENALTY};
use super::problem::Problem;

/// A plan as placements: `None` for a case left unscheduled.
#[derive(Clone, Debug)]
pub struct Solution {
    pub placements: Vec<Option<Placement>>,
    pub cost: u64,
    /// Improvement iterations run, over all threads.
    pub iterations: u64,
}

impl Solution {
    /// Cases left unscheduled.
    pub fn unscheduled(&self) -> usize {
        self.placements.iter().filter(|p| p.is_none()).count()
    }

    /// The plan file of this solution.
    pub fn to_plan(&self, p: &Problem) -> PlanFile {
        let mut hearings = Vec::new();
        let mut unscheduled = Vec::new();
        for (c, pl) in self.placements.iter().enumerate() {
            let id = p.cases[c].id.clone();
            match pl {
                None => unscheduled.push(id),
                Some(pl) => hearings.push(HearingFile {
                    case: id,
                    day: p.workdays[pl.day as usize].format("%Y-%m-%d").to_string(),
                    session: i64::from(pl.session),
                    slot: i64::from(pl.slot),
                    room: p.rooms[pl.room as usize].id.clone(),
                    arbitrators: pl.arbitrators.iter().map(|&a| p.arbitrators[a as usize].id.clone()).collect(),
                }),
            }
        }
        PlanFile { version: serde_json::Value::from(1), hearings, unscheduled }
    }
}

/// Cost of one case's fate (contract, "Cost").
pub(crate) fn case_cost(p: &Problem, c: usize, pl: Option<&Placement>) -> u64 {
    let case = &p.cases[c];
    match pl {
        Some(pl) => u64::from(case.weight) * (pl.day as usize - case.lo) as u64,
        None => u64::from(case.weight) * UNSCHEDULED_PENALTY,
    }
}
