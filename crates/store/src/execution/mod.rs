//! Execution storage (lưu trữ tổ chức thực hiện): accounts, sessions, periods, reports and
//! their versions, evidence files, settings and the hash-chained audit log.
//!
//! Kept apart from [`crate::Repository`] (a second trait implemented by the same stores) so
//! that plan storage and execution storage evolve without touching each other. The SQL is in
//! [`sql`], written once and expanded for each backend.

use std::collections::BTreeMap;

use async_trait::async_trait;
use cchc_domain::execution::{AuditEntry, ReportContent, ReportState, Role};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Result;

pub(crate) mod sql;

/// Mã tài khoản.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UserId(pub i64);

/// Tài khoản — an account as stored. `Debug` leaves the password hash out.
#[derive(Clone, PartialEq, Serialize)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub unit: String,
    pub role: Role,
    #[serde(skip)]
    pub password_hash: String,
    pub disabled: bool,
    /// A demo account made by `serve --demo`.
    pub demo: bool,
    /// Its password was chosen by someone else (first start, a reset): it must be changed
    /// before anything else.
    pub must_change_password: bool,
    /// Thư điện tử: where its reminders are sent, if any.
    pub email: Option<String>,
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("unit", &self.unit)
            .field("role", &self.role)
            .field("disabled", &self.disabled)
            .field("must_change_password", &self.must_change_password)
            .finish_non_exhaustive()
    }
}

/// A new account.
pub struct NewUser<'a> {
    pub username: &'a str,
    pub unit: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
    pub demo: bool,
    pub must_change_password: bool,
    pub email: Option<&'a str>,
}

/// Phiên đăng nhập with its account.
#[derive(Clone)]
pub struct SessionRecord {
    pub user: User,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

/// One of an account's sessions as its sessions page lists it: the SHA-256 of the cookie
/// token (never the token), when it began and when it was last seen.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionInfo {
    pub token_hash: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

/// A page of the audit log, newest first, with the number of entries the filter matches.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub total: i64,
}

/// Kỳ báo cáo as opened by the standing office.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodRecord {
    /// `2024-Q1`, … (a [`cchc_domain::Period`] code).
    pub code: String,
    pub due_at: DateTime<Utc>,
    pub opened_by: String,
    pub opened_at: DateTime<Utc>,
}

/// Ý kiến thẩm định — the standing office's (or unit head's) decision on a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Review {
    /// `accept`, `return` or `approve`.
    pub decision: String,
    #[serde(default)]
    pub comment: String,
    /// Comments per activity id (or target code).
    #[serde(default)]
    pub items: BTreeMap<String, String>,
    #[serde(default)]
    pub by: String,
    pub at: Option<DateTime<Utc>>,
}

/// Báo cáo của một đơn vị trong một kỳ, as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportRecord {
    pub period: String,
    pub unit: String,
    pub state: ReportState,
    pub version: i64,
    pub content: ReportContent,
    pub review: Option<Review>,
    /// The first submission (timeliness is judged on it).
    pub submitted_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

/// Tình trạng báo cáo — a stored report without its words: what the board, the dashboard and
/// the overdue count read (its state, version, times and each activity's status; no notes,
/// evidence or target values).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportHead {
    pub period: String,
    pub unit: String,
    pub state: ReportState,
    pub version: i64,
    /// The first submission (timeliness is judged on it).
    pub submitted_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// (activity id, status), in the report's order.
    pub items: Vec<(String, cchc_domain::execution::ItemStatus)>,
}

impl ReportHead {
    /// The status the report gives an activity, if it names it.
    pub fn status(&self, activity: &str) -> Option<cchc_domain::execution::ItemStatus> {
        self.items
            .iter()
            .find(|(a, _)| a == activity)
            .map(|(_, s)| *s)
    }
}

/// Phiên bản báo cáo — a copy kept at a state change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportVersion {
    pub version: i64,
    pub state: ReportState,
    pub content: ReportContent,
    pub review: Option<Review>,
    pub saved_at: DateTime<Utc>,
    pub saved_by: String,
}

/// Tệp kiểm chứng (metadata; the bytes are on disk under `id`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileRecord {
    pub id: String,
    pub period: String,
    pub unit: String,
    pub name: String,
    pub kind: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: DateTime<Utc>,
}

/// An audit entry to append; the store numbers, timestamps and chains it.
#[derive(Debug, Clone, Default)]
pub struct AuditDraft {
    pub actor: String,
    pub action: String,
    pub object: String,
    pub unit: Option<String>,
    pub before: String,
    pub after: String,
}

impl AuditDraft {
    pub fn new(actor: &str, action: &str, object: String, unit: Option<&str>) -> Self {
        AuditDraft {
            actor: actor.to_string(),
            action: action.to_string(),
            object,
            unit: unit.map(str::to_string),
            before: String::new(),
            after: String::new(),
        }
    }

    pub fn change(mut self, before: String, after: String) -> Self {
        self.before = before;
        self.after = after;
        self
    }
}

/// Which audit entries to list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub unit: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// A report to write: the new row and whether to keep a copy as a version.
pub struct ReportWrite<'a> {
    pub report: &'a ReportRecord,
    /// The version the writer read (0: the report did not exist yet). The write is refused
    /// with `Conflict` when the stored version differs.
    pub expected_version: i64,
    pub keep_version: bool,
}

/// The execution queries, on either database. Every write is one transaction that also
/// appends its audit entry: the change and its record land together or not at all.
#[async_trait]
pub trait ExecutionRepository: Send + Sync {
    async fn count_users(&self) -> Result<i64>;
    /// `Conflict` when the username is taken.
    async fn create_user(&self, user: &NewUser<'_>, audit: &AuditDraft) -> Result<User>;
    async fn find_user(&self, username: &str) -> Result<Option<User>>;
    async fn list_users(&self) -> Result<Vec<User>>;
    /// Sets the password hash and whether it must be changed, and ends the account's sessions.
    async fn set_password(
        &self,
        username: &str,
        hash: &str,
        must_change: bool,
        audit: &AuditDraft,
    ) -> Result<()>;
    /// Sets (or clears) the account's e-mail address; `NotFound` when there is no such account.
    async fn set_email(
        &self,
        username: &str,
        email: Option<&str>,
        audit: &AuditDraft,
    ) -> Result<()>;
    /// Disables (or enables) the account and ends its sessions.
    async fn set_disabled(&self, username: &str, disabled: bool, audit: &AuditDraft) -> Result<()>;

    async fn create_session(
        &self,
        token_hash: &str,
        user: UserId,
        csrf_token: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn get_session(&self, token_hash: &str) -> Result<Option<SessionRecord>>;
    async fn touch_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<()>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;
    /// The account's sessions, the most recently seen first.
    async fn list_sessions(&self, user: UserId) -> Result<Vec<SessionInfo>>;
    /// Ends those of `token_hashes` that belong to `user`, with one audit entry; returns how
    /// many ended.
    async fn end_sessions(
        &self,
        user: UserId,
        token_hashes: &[String],
        audit: &AuditDraft,
    ) -> Result<u64>;

    async fn record_login_failure(&self, keys: &[String], at: DateTime<Utc>) -> Result<()>;
    /// Failures of `key` since `since`.
    async fn count_login_failures(&self, key: &str, since: DateTime<Utc>) -> Result<i64>;
    async fn clear_login_failures(&self, key: &str) -> Result<()>;

    /// `Conflict` when the period is already open.
    async fn open_period(&self, period: &PeriodRecord, audit: &AuditDraft) -> Result<()>;
    async fn list_periods(&self) -> Result<Vec<PeriodRecord>>;
    async fn get_period(&self, code: &str) -> Result<Option<PeriodRecord>>;

    async fn get_report(&self, period: &str, unit: &str) -> Result<Option<ReportRecord>>;
    /// Every stored report, of one period or of all.
    async fn list_reports(&self, period: Option<&str>) -> Result<Vec<ReportRecord>>;
    /// [`ExecutionRepository::list_reports`] as [`ReportHead`]s: the content is read for its
    /// statuses only.
    async fn list_report_heads(&self, period: Option<&str>) -> Result<Vec<ReportHead>>;
    /// Writes a report if its version is still the one read; `Conflict` otherwise.
    async fn put_report(&self, write: &ReportWrite<'_>, audit: &AuditDraft) -> Result<()>;
    async fn list_report_versions(&self, period: &str, unit: &str) -> Result<Vec<ReportVersion>>;

    async fn insert_file(&self, file: &FileRecord, audit: &AuditDraft) -> Result<()>;
    async fn get_file(&self, id: &str) -> Result<Option<FileRecord>>;
    /// The files of one record (`FileRecord::period`: a report's period, or an evaluation
    /// record's key such as `kiem-tra/17`) and unit, oldest first.
    async fn list_files(&self, owner: &str, unit: &str) -> Result<Vec<FileRecord>>;

    async fn get_setting(&self, key: &str) -> Result<Option<String>>;
    async fn set_setting(&self, key: &str, value: &str, audit: &AuditDraft) -> Result<()>;

    /// Appends an entry on its own (a login, a refused access).
    async fn append_audit(&self, audit: &AuditDraft) -> Result<()>;
    /// Entries in `seq` order.
    async fn list_audit(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>>;
    /// At most `limit` entries, newest first, after skipping `offset`, and the number of
    /// entries the filter matches.
    async fn audit_page(&self, filter: &AuditFilter, offset: i64, limit: i64) -> Result<AuditPage>;
}
