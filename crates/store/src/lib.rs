//! The repository interface (kho dữ liệu) and its SQLite and PostgreSQL implementations.
//!
//! Callers hold an [`Store`] (`Arc<dyn Repository>`) and never see which database is behind it.

use std::sync::Arc;

use async_trait::async_trait;
use cchc_domain::{Plan, Unit};

// One module per feature (plans and units, execution, service delivery, evaluation): its types in
// `mod.rs`, its SQL in `sql.rs`, written once and expanded for each backend by a macro.
pub mod commune_plan;
pub mod delivery;
pub mod evaluation;
pub mod execution;
pub mod plan;
pub mod publication;
pub mod reform_index;
pub mod reminder;
pub mod version;

pub mod maintenance;

pub mod postgres;
pub mod sqlite;
mod sqlite_raw;
#[cfg(feature = "testing")]
pub mod testing;

pub use commune_plan::CommunePlanRepository;
pub use evaluation::EvaluationRepository;
pub use execution::ExecutionRepository;
pub use plan::{ActivityRecord, PlanId, PlanSummary, UnitImportSummary};
pub use postgres::PgStore;
pub use publication::PublicationRepository;
pub use reform_index::ReformIndexRepository;
pub use reminder::ReminderRepository;
pub use sqlite::SqliteStore;

pub use delivery::{
    BatchOutcome, Deltas, DossierImport, DossierPage, DossierQuery, DuplicateCode, ImportCounts,
    ServiceRepository, TotalsRow,
};

/// Told, before an existing database is brought up to date, how many steps (migrations) it
/// lacks: a large database takes seconds, and the official at the terminal should know why.
static UPGRADE_NOTICE: std::sync::OnceLock<fn(usize)> = std::sync::OnceLock::new();

/// Sets what is told before an existing database is upgraded (once per process; the binary
/// prints a Vietnamese line). A new, empty database is created without a notice.
pub fn on_upgrade(notice: fn(usize)) {
    let _ = UPGRADE_NOTICE.set(notice);
}

/// Runs `migrator` on `pool`, telling [`on_upgrade`]'s notice first when the database has
/// migrations already and lacks some.
macro_rules! migrate_with_notice {
    ($migrator:expr, $pool:expr) => {{
        let migrator = $migrator;
        // An error here means no migration table yet: a new database, not an upgrade.
        if let Ok(applied) = sqlx::query_scalar::<_, i64>("SELECT version FROM _sqlx_migrations")
            .fetch_all($pool)
            .await
        {
            let steps = migrator
                .iter()
                .filter(|m| !applied.contains(&m.version))
                .count();
            if steps > 0 && !applied.is_empty() {
                tracing::info!(steps, "upgrading the database schema");
                if let Some(notice) = $crate::UPGRADE_NOTICE.get() {
                    notice(steps);
                }
            }
        }
        migrator.run($pool).await
    }};
}
pub(crate) use migrate_with_notice;

/// sqlx logs a statement slower than a second, with its whole SQL, as a warning. Upgrading a
/// large database on first open takes that long, and a one-shot command (which shows warnings)
/// would print the migration's SQL to the official at the terminal: these are information.
pub(crate) const SLOW_STATEMENTS: (log::LevelFilter, std::time::Duration) =
    (log::LevelFilter::Info, std::time::Duration::from_secs(1));

/// Lỗi kho dữ liệu — storage errors.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("không tìm thấy: {0}")]
    NotFound(String),
    #[error("dữ liệu không hợp lệ: {0}")]
    Invalid(String),
    /// Trùng dữ liệu: the row already exists (e.g. a second plan for the same decision).
    #[error("trùng dữ liệu: {0}")]
    Conflict(String),
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Database(#[from] sqlx::Error),
    /// An error reported by the database's own API (SQLite's C interface), outside sqlx.
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Native(String),
    #[error("lỗi cập nhật cấu trúc cơ sở dữ liệu: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Whether an error is a unique-constraint violation.
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
}

/// The repository interface: every query the product makes, on either database (service
/// delivery's queries are in [`ServiceRepository`], execution's behind
/// [`Repository::execution`]).
#[async_trait]
pub trait Repository: ServiceRepository + Send + Sync {
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
    /// [`Repository::get_plan`], shared: the document is parsed once per (plan, revision) in
    /// this process and kept (a stored revision never changes), and the revision is read on
    /// every call, so that a replace by any server shows on the next read.
    async fn get_plan_shared(&self, id: PlanId) -> Result<Option<std::sync::Arc<Plan>>>;
    /// The plan's activities as stored in their rows, in document order; `NotFound` when the
    /// plan does not exist.
    async fn list_activities(&self, id: PlanId) -> Result<Vec<ActivityRecord>>;

    /// Phiên bản dữ liệu — a number that changes whenever anything is committed to the
    /// database, by this process or any other (another app server, a command-line import):
    /// what is computed from the database under one version may be kept until it changes.
    /// SQLite reads `PRAGMA data_version` on a connection of its own; PostgreSQL its current
    /// snapshot (which transactions are seen). `None` when it cannot be told (an in-memory
    /// database): keep nothing. Read once per request inside [`version::one_version_per_task`].
    async fn data_version(&self) -> Result<Option<u64>>;

    /// The execution queries of the same database (accounts, reports, audit); every store
    /// has them.
    fn execution(&self) -> &dyn ExecutionRepository;

    /// The evaluation registries of the same database (inspections, initiatives, dialogues,
    /// staffing quotas); every store has them.
    fn evaluation(&self) -> &dyn EvaluationRepository;
    /// The reform-index queries (criteria sets, communes' evaluations, survey answers).
    fn reform_index(&self) -> &dyn ReformIndexRepository;
    /// The communes' plans (kế hoạch CCHC của xã) derived from the district plan.
    fn commune_plans(&self) -> &dyn CommunePlanRepository;
    /// The reminder jobs and in-app notices (nhắc việc, thông báo).
    fn reminders(&self) -> &dyn ReminderRepository;
    /// What is published on the public pages (the ranking of a year, a period's report).
    fn publication(&self) -> &dyn PublicationRepository;
}

/// The handle the rest of the product holds.
pub type Store = Arc<dyn Repository>;

/// Opens the database a URL names and brings its schema up to date: `sqlite://PATH` (the file
/// and its directory are created when absent), `sqlite::memory:`, or `postgres://…`.
pub async fn connect(url: &str) -> Result<Store> {
    match url.split_once(':').map(|(scheme, _)| scheme) {
        Some("sqlite") => Ok(Arc::new(SqliteStore::connect(url).await?)),
        Some("postgres" | "postgresql") => Ok(Arc::new(PgStore::connect(url).await?)),
        other => Err(StoreError::Invalid(format!(
            "địa chỉ cơ sở dữ liệu phải bắt đầu bằng «sqlite://» (tệp SQLite) hoặc \
             «postgres://» (PostgreSQL){}",
            match other {
                Some(scheme) => format!(", không phải «{scheme}:»"),
                None => String::new(),
            }
        ))),
    }
}

/// The URL with its password replaced by `***`, for logs and `Debug`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_url_hides_the_password_only() {
        assert_eq!(
            redact_url("postgres://cchc:s3cr3t@db.example:5432/cchc?sslmode=require"),
            "postgres://cchc:***@db.example:5432/cchc?sslmode=require"
        );
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
        assert_eq!(
            redact_url("sqlite:///var/lib/cchc/cchc.db"),
            "sqlite:///var/lib/cchc/cchc.db"
        );
    }
}
