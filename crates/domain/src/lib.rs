//! The pure domain core of cchc: units and groups, the reform plan, deadlines, measures and
//! the plan's lint. Nothing here performs IO; every other crate depends on this one.

pub mod commune_plan;
pub mod deadline;
pub mod diagnostic;
pub mod diff;
pub mod evaluation;
pub mod execution;
#[cfg(test)]
mod fixtures;
pub mod forecast;
pub mod group;
pub mod lint;
pub mod measure;
pub mod period;
pub mod plan;
pub mod query;
pub mod reminder;
pub mod service;
pub mod text;
pub mod unit;

pub use deadline::{Deadline, DeadlineKind};
pub use diagnostic::{Diagnostic, Severity};
pub use group::GroupId;
pub use measure::{Measure, MeasureOp, MeasureUnit};
pub use period::Period;
pub use plan::*;
pub use unit::{Registry, Unit, UnitId, UnitKind, UnitLevel};
