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

/// Kế hoạch đã đọc — parsed plan documents by (plan id, revision), for
/// [`Repository::get_plan_shared`](crate::Repository::get_plan_shared). An entry is never
/// stale: a stored revision's document does not change. The newest few are kept.
#[derive(Default)]
pub(crate) struct PlanCache(
    std::sync::Mutex<Vec<(PlanId, i64, std::sync::Arc<cchc_domain::Plan>)>>,
);

impl PlanCache {
    /// Entries kept: a few plans (years), each at its latest revision.
    const KEEP: usize = 8;

    pub(crate) fn get(
        &self,
        id: PlanId,
        revision: i64,
    ) -> Option<std::sync::Arc<cchc_domain::Plan>> {
        let entries = self.0.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .iter()
            .find(|(i, r, _)| *i == id && *r == revision)
            .map(|(_, _, p)| p.clone())
    }

    pub(crate) fn put(&self, id: PlanId, revision: i64, plan: std::sync::Arc<cchc_domain::Plan>) {
        let mut entries = self.0.lock().unwrap_or_else(|e| e.into_inner());
        entries.retain(|(i, r, _)| *i != id || *r > revision);
        if entries.iter().any(|(i, _, _)| *i == id) {
            return; // a newer revision is kept already
        }
        entries.push((id, revision, plan));
        if entries.len() > Self::KEEP {
            entries.remove(0);
        }
    }
}
