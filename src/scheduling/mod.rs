//! The hearing scheduler over the problem file of `schedule-problem.md`: problem → plan, the hard
//! rules and the cost, the solver, and explanations. Pure: no SQL, no HTTP, no clock but the time limit.

pub mod availability;
mod exact;
pub mod explain;
mod grid;
pub mod ics;
pub mod plan;
pub mod problem;
pub mod rules;
mod solution;
pub mod solve;

pub use grid::Placement;
pub use plan::{PlanFile, Report, check};
pub use problem::{Problem, ProblemError};
pub use rules::{HardRule, Refusal, Resource, Violation};
pub use solution::Solution;
pub use solve::{Options, Progress, solve};
