//! Nhắc việc storage: the reminder jobs (one row per reminder to one account, unique per
//! period, unit, kind, step and recipient, so it is inserted and sent once however many servers
//! compute it) and the in-app notices (thông báo). SQL in [`sql`], expanded per backend; a
//! claim takes due rows with `FOR UPDATE SKIP LOCKED` on PostgreSQL, and inside SQLite's one
//! write transaction there.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::execution::AuditDraft;
use crate::Result;

pub(crate) mod sql;

/// A reminder to insert (nhắc việc): who, about what, and the message already written.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReminder {
    pub period: String,
    pub unit: String,
    /// `missing`, `returned`, `overdue` (a `cchc_domain::reminder::ReminderKind`).
    pub kind: String,
    /// Days from the period's due date (see `ReminderSchedule::step_on`).
    pub step: i64,
    /// The account's username.
    pub recipient: String,
    /// Its e-mail when the job was made; `None`: in-app only.
    pub email: Option<String>,
    pub subject: String,
    pub body: String,
    pub link: String,
}

/// Trạng thái nhắc việc.
pub mod state {
    /// Waiting for its `next_at` (first try or a retry).
    pub const PENDING: &str = "pending";
    /// Claimed by a worker, being sent.
    pub const SENDING: &str = "sending";
    pub const SENT: &str = "sent";
    /// Gave up after the last retry (the in-app notice is still given).
    pub const FAILED: &str = "failed";
}

/// A reminder job as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReminderJob {
    pub id: i64,
    pub period: String,
    pub unit: String,
    pub kind: String,
    pub step: i64,
    pub recipient: String,
    pub email: Option<String>,
    pub subject: String,
    pub body: String,
    pub link: String,
    /// One of [`state`].
    pub state: String,
    pub attempts: i64,
    pub next_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// The last send error, in English as the mail server gave it (empty when none).
    pub last_error: String,
}

/// Thông báo — an in-app notice to one account.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notice {
    pub id: i64,
    pub username: String,
    pub subject: String,
    pub body: String,
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// How a claimed job ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Delivered (by e-mail, or in-app only when it has no address): the notice is given.
    Sent,
    /// Not delivered; tried again at `retry_at`, or given up (`None`), the notice then given
    /// anyway.
    Failed {
        error: String,
        retry_at: Option<DateTime<Utc>>,
    },
}

/// The reminder queries, on either database.
#[async_trait]
pub trait ReminderRepository: Send + Sync {
    /// Inserts the reminders not inserted before (by their unique key), due at `now`; returns
    /// how many were new.
    async fn enqueue_reminders(&self, jobs: &[NewReminder], now: DateTime<Utc>) -> Result<u64>;
    /// Claims at most `limit` pending jobs due at `now` (state `sending`, one more attempt):
    /// concurrent claimers get disjoint jobs.
    async fn claim_reminders(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<ReminderJob>>;
    /// Ends a claimed job: its state, the account's notice when delivered or given up, and
    /// the audit entry, in one transaction.
    async fn finish_reminder(
        &self,
        id: i64,
        outcome: &Outcome,
        now: DateTime<Utc>,
        audit: &AuditDraft,
    ) -> Result<()>;
    /// The latest `limit` jobs, newest first.
    async fn list_reminders(&self, limit: i64) -> Result<Vec<ReminderJob>>;
    /// The account's latest `limit` notices, newest first.
    async fn list_notices(&self, username: &str, limit: i64) -> Result<Vec<Notice>>;
    async fn count_unread_notices(&self, username: &str) -> Result<i64>;
    /// Marks every unread notice of the account read; returns how many (audited when any).
    async fn mark_notices_read(
        &self,
        username: &str,
        now: DateTime<Utc>,
        audit: &AuditDraft,
    ) -> Result<u64>;
}
