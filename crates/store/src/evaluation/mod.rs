//! Evaluation storage (lưu trữ đánh giá): the registries behind the plan's targets 1.2, 1.3,
//! 3.7 and 4.2 — reform inspections with their remediation items, initiatives, dialogues and
//! the units' staffing quotas.
//!
//! A third trait implemented by the same stores, reached through
//! [`crate::Repository::evaluation`]. Every write is one transaction that appends its audit
//! entry (the audit log of [`crate::execution`]). The SQL is in [`sql`], written once.

use async_trait::async_trait;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::execution::AuditDraft;
use crate::Result;

pub(crate) mod sql;

/// Việc khắc phục — a finding an inspected unit must remedy by a deadline, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemediationRecord {
    pub id: i64,
    pub inspection: i64,
    pub description: String,
    pub deadline: NaiveDate,
    /// Ngày hoàn thành; `None` while open.
    pub done: Option<NaiveDate>,
}

/// A remediation item to write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemediationDraft {
    pub description: String,
    pub deadline: NaiveDate,
    pub done: Option<NaiveDate>,
}

/// Cuộc kiểm tra CCHC — one inspection of a unit in a year's inspection plan, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectionRecord {
    pub id: i64,
    pub year: i32,
    pub unit: String,
    /// Ngày dự kiến.
    pub planned: Option<NaiveDate>,
    /// Ngày kiểm tra: `None` while only planned.
    pub held: Option<NaiveDate>,
    /// Đoàn kiểm tra.
    pub team: String,
    /// Nội dung kiểm tra.
    pub content: String,
    /// Kết luận, tồn tại.
    pub findings: String,
    /// Biên bản: its number and date, or where it is kept.
    pub minutes: String,
    /// In deadline order.
    pub remediation: Vec<RemediationRecord>,
}

/// An inspection to write (its remediation items are written on their own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectionDraft {
    pub year: i32,
    pub unit: String,
    pub planned: Option<NaiveDate>,
    pub held: Option<NaiveDate>,
    pub team: String,
    pub content: String,
    pub findings: String,
    pub minutes: String,
}

/// Sáng kiến CCHC, as stored; `status` is `proposed`, `accepted_district` or
/// `accepted_province`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitiativeRecord {
    pub id: i64,
    #[serde(flatten)]
    pub draft: InitiativeDraft,
}

/// An initiative to write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitiativeDraft {
    pub year: i32,
    pub unit: String,
    pub title: String,
    pub status: String,
    /// Số quyết định công nhận.
    pub decision_number: String,
    pub decision_date: Option<NaiveDate>,
}

/// Cuộc đối thoại, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DialogueRecord {
    pub id: i64,
    #[serde(flatten)]
    pub draft: DialogueDraft,
}

/// A dialogue to write; its year is its date's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DialogueDraft {
    /// The unit that held it (the district's committee for the district's dialogues).
    pub unit: String,
    pub date: NaiveDate,
    /// Chủ trì.
    pub chair: String,
    pub topic: String,
    /// Thành phần tham dự.
    pub participants: String,
    /// Số người tham dự, when counted.
    pub attendance: Option<i32>,
}

/// Biên chế được giao — a unit's posts in a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaRecord {
    pub unit: String,
    pub year: i32,
    /// Biên chế công chức.
    pub civil_servants: i32,
    /// Biên chế viên chức (số người làm việc).
    pub public_employees: i32,
}

/// The evaluation queries, on either database. A write of a row that does not exist is
/// `NotFound`; every write appends its audit entry in the same transaction.
#[async_trait]
pub trait EvaluationRepository: Send + Sync {
    /// The year's inspections, each with its remediation items, by unit then date.
    async fn list_inspections(&self, year: i32) -> Result<Vec<InspectionRecord>>;
    async fn get_inspection(&self, id: i64) -> Result<Option<InspectionRecord>>;
    async fn insert_inspection(&self, i: &InspectionDraft, audit: &AuditDraft) -> Result<i64>;
    async fn update_inspection(
        &self,
        id: i64,
        i: &InspectionDraft,
        audit: &AuditDraft,
    ) -> Result<()>;
    /// Deletes the inspection and its remediation items.
    async fn delete_inspection(&self, id: i64, audit: &AuditDraft) -> Result<()>;

    async fn get_remediation(&self, id: i64) -> Result<Option<RemediationRecord>>;
    async fn insert_remediation(
        &self,
        inspection: i64,
        r: &RemediationDraft,
        audit: &AuditDraft,
    ) -> Result<i64>;
    async fn update_remediation(
        &self,
        id: i64,
        r: &RemediationDraft,
        audit: &AuditDraft,
    ) -> Result<()>;
    async fn delete_remediation(&self, id: i64, audit: &AuditDraft) -> Result<()>;

    async fn list_initiatives(&self, year: i32) -> Result<Vec<InitiativeRecord>>;
    async fn get_initiative(&self, id: i64) -> Result<Option<InitiativeRecord>>;
    async fn insert_initiative(&self, i: &InitiativeDraft, audit: &AuditDraft) -> Result<i64>;
    async fn update_initiative(
        &self,
        id: i64,
        i: &InitiativeDraft,
        audit: &AuditDraft,
    ) -> Result<()>;
    async fn delete_initiative(&self, id: i64, audit: &AuditDraft) -> Result<()>;

    /// The dialogues dated in `year`, by date.
    async fn list_dialogues(&self, year: i32) -> Result<Vec<DialogueRecord>>;
    async fn get_dialogue(&self, id: i64) -> Result<Option<DialogueRecord>>;
    async fn insert_dialogue(&self, d: &DialogueDraft, audit: &AuditDraft) -> Result<i64>;
    async fn update_dialogue(&self, id: i64, d: &DialogueDraft, audit: &AuditDraft) -> Result<()>;
    async fn delete_dialogue(&self, id: i64, audit: &AuditDraft) -> Result<()>;

    /// The quotas of the given years, by year then unit.
    async fn list_quotas(&self, years: &[i32]) -> Result<Vec<QuotaRecord>>;
    /// Sets a unit's quota for a year (inserted or replaced).
    async fn put_quota(&self, q: &QuotaRecord, audit: &AuditDraft) -> Result<()>;
    async fn delete_quota(&self, unit: &str, year: i32, audit: &AuditDraft) -> Result<()>;
}
