//! Plans and units in the store (kế hoạch, đơn vị): the types the plan queries of
//! [`crate::Repository`] answer with. The SQL is in [`sql`], written once and expanded for
//! each backend.

use cchc_domain::{Deadline, UnitRef};
use serde::Serialize;

pub(crate) mod sql;

/// Mã kế hoạch — a plan's id in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct PlanId(pub i64);

impl std::fmt::Display for PlanId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One line of `cchc plan list`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanSummary {
    pub id: PlanId,
    pub decision_number: String,
    pub decision_date: Option<chrono::NaiveDate>,
    pub owner_text: String,
    pub year: i32,
    pub title: String,
    pub activities: i64,
    pub targets: i64,
    pub imported_at: chrono::DateTime<chrono::Utc>,
}

/// What an import of units did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UnitImportSummary {
    pub read: usize,
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Hoạt động as its row stores it: the activity, where it sits in the matrix, and its units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityRecord {
    /// `Activity.id`, the key execution reports refer to.
    pub key: String,
    pub section_code: String,
    pub part_code: Option<String>,
    pub row_no: String,
    pub task_code: Option<String>,
    pub code: Option<String>,
    pub text: String,
    pub outputs: Option<String>,
    pub funding: Option<String>,
    pub deadline: Option<Deadline>,
    pub lead: Vec<UnitRef>,
    pub coordinators: Vec<UnitRef>,
}
