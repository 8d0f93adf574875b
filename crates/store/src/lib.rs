//! The repository interface (kho dữ liệu) and its SQLite and PostgreSQL implementations.
//!
//! Callers hold an [`Store`] (`Arc<dyn Repository>`) and never see which database is behind it.

use std::sync::Arc;

use async_trait::async_trait;
use cchc_domain::{Plan, Unit};
use serde::Serialize;

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

/// Lỗi kho dữ liệu — storage errors.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("không tìm thấy: {0}")]
    NotFound(String),
    #[error("dữ liệu không hợp lệ: {0}")]
    Invalid(String),
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Database(#[from] sqlx::Error),
    #[error("lỗi cập nhật cấu trúc cơ sở dữ liệu: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The repository interface: every query the product makes, on either database.
#[async_trait]
pub trait Repository: Send + Sync {
    /// Which database this is: "sqlite" or "postgres".
    fn backend(&self) -> &'static str;

    /// Upserts units by id, in one transaction; parents may come after children in the slice.
    async fn import_units(&self, units: &[Unit]) -> Result<UnitImportSummary>;
    /// All units, in registry (insertion) order.
    async fn list_units(&self) -> Result<Vec<Unit>>;

    /// The plan stored for this decision number and owner unit (owner by its text), if any.
    async fn find_plan(&self, decision_number: &str, owner_text: &str) -> Result<Option<PlanId>>;
    /// Stores a new plan, in one transaction. Activity ids must already be assigned.
    async fn insert_plan(&self, plan: &Plan) -> Result<PlanId>;
    /// Replaces a stored plan's content in one transaction, keeping its id.
    async fn replace_plan(&self, id: PlanId, plan: &Plan) -> Result<()>;
    async fn list_plans(&self) -> Result<Vec<PlanSummary>>;
    async fn get_plan(&self, id: PlanId) -> Result<Option<Plan>>;
}

/// The handle the rest of the product holds.
pub type Store = Arc<dyn Repository>;
