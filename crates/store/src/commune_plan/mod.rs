//! Communes' plans in the store (kế hoạch CCHC của xã): each commune's plan of a year with its
//! parent (the district plan), status, issue number, date and signed file.
//!
//! A trait implemented by the same stores, reached through [`crate::Repository::commune_plans`].
//! The SQL is in [`sql`], written once and expanded for each backend. Every write is one
//! transaction with its audit entry (and, when a plan is issued, its file's record).

use async_trait::async_trait;
use cchc_domain::commune_plan::{CommunePlanStatus, ParentPlan};
use cchc_domain::Plan;
use chrono::{DateTime, NaiveDate, Utc};

use crate::execution::{AuditDraft, FileRecord};
use crate::Result;

pub(crate) mod sql;

/// Thông tin ban hành — the number, date and signed file of an issued commune plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanIssue {
    /// Số hiệu: "15/KH-UBND".
    pub number: String,
    pub date: NaiveDate,
    /// The evidence file holding the signed plan, when one was uploaded.
    pub file_id: Option<String>,
}

/// Kế hoạch CCHC của xã as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct CommunePlanRecord {
    pub year: i32,
    pub unit: String,
    pub parent: ParentPlan,
    pub status: CommunePlanStatus,
    /// Read from the commune's own decision text rather than derived.
    pub imported: bool,
    /// Whether the commune changed the draft since it was derived: regenerating asks first.
    pub edited: bool,
    pub plan: Plan,
    pub issue: Option<PlanIssue>,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

/// The commune-plan queries, on either database.
#[async_trait]
pub trait CommunePlanRepository: Send + Sync {
    async fn commune_plan(&self, year: i32, unit: &str) -> Result<Option<CommunePlanRecord>>;
    /// Every commune's plan of a year, by unit id.
    async fn commune_plans(&self, year: i32) -> Result<Vec<CommunePlanRecord>>;
    /// Writes the plans (replacing a stored draft of the same year and unit), the signed
    /// file's record when given, and one audit entry, in one transaction. A plan already
    /// issued is never replaced: the whole write is refused with `Conflict`.
    async fn put_commune_plans(
        &self,
        plans: &[CommunePlanRecord],
        file: Option<&FileRecord>,
        audit: &AuditDraft,
    ) -> Result<()>;
}
