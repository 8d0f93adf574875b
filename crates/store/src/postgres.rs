//! The PostgreSQL store (kho PostgreSQL), for installations that serve many users.

use std::collections::HashMap;
use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Postgres, Transaction};

use crate::delivery::DossierRow;
use crate::{redact_url, Result, StoreError};

/// Kho PostgreSQL — the repository on a PostgreSQL database.
pub struct PgStore {
    pool: PgPool,
    /// The URL with its password redacted: `PgConnectOptions`' own `Debug` prints the password.
    location: String,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("location", &self.location)
            .finish()
    }
}

impl PgStore {
    /// Connects to `postgres://…` and brings the schema up to date.
    pub async fn connect(url: &str) -> Result<Self> {
        let options = PgConnectOptions::from_str(url).map_err(|e| {
            StoreError::Invalid(format!(
                "địa chỉ cơ sở dữ liệu PostgreSQL không hợp lệ: {e}"
            ))
        })?;
        Self::with_options(options, redact_url(url)).await
    }

    /// Connects with options built by the caller; `location` is what logs show of it.
    pub async fn with_options(options: PgConnectOptions, location: String) -> Result<Self> {
        let (level, after) = crate::SLOW_STATEMENTS;
        let options = sqlx::ConnectOptions::log_slow_statements(options, level, after);
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .connect_with(options)
            .await?;
        crate::migrate_with_notice!(sqlx::migrate!("./migrations/postgres"), &pool)?;
        tracing::info!(database = %location, "opened PostgreSQL store");
        Ok(PgStore { pool, location })
    }

    /// The connection pool, for maintenance and tests.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    async fn begin_write(&self) -> Result<Transaction<'static, Postgres>> {
        Ok(self.pool.begin().await?)
    }

    /// Nothing to change for a bulk import on PostgreSQL.
    async fn prepare_bulk(_tx: &mut Transaction<'static, Postgres>) -> Result<()> {
        Ok(())
    }

    /// Nothing to do after a bulk import on PostgreSQL.
    async fn after_bulk(_pool: &PgPool) {}

    /// No native path: the shared query finds them.
    async fn stored_dossiers(
        _tx: &mut Transaction<'static, Postgres>,
        _codes: &[&str],
    ) -> Result<Option<HashMap<String, (DossierRow, i64, i64)>>> {
        Ok(None)
    }

    /// No native path: the shared multi-row upsert writes them.
    async fn write_dossiers(
        _tx: &mut Transaction<'static, Postgres>,
        _import_id: i64,
        _rows: &[(usize, DossierRow, bool)],
    ) -> Result<bool> {
        Ok(false)
    }

    /// No native path: the shared query reads the totals.
    async fn read_totals(
        _pool: &PgPool,
        _sql: &str,
        _from: &str,
        _to: &str,
    ) -> Result<Option<Vec<crate::delivery::sql::MonthTotals>>> {
        Ok(None)
    }

    /// No native path: a fresh import uses the shared multi-row statement.
    async fn insert_fresh(
        _tx: &mut Transaction<'static, Postgres>,
        _import_id: i64,
        _rows: &[(usize, &cchc_domain::service::Dossier)],
    ) -> Result<Option<Vec<(usize, i64)>>> {
        Ok(None)
    }

    /// Two imports that both find a unit missing would both insert it (and both pick the next
    /// `ord`); the lock makes the second wait for the first, as `BEGIN IMMEDIATE` does on SQLite.
    /// It still lets readers through.
    const LOCK_UNITS: Option<&'static str> = Some("LOCK TABLE units IN SHARE ROW EXCLUSIVE MODE");

    /// Two dossier imports would each decide what is new from what they read; the lock makes
    /// the second wait for the first, as `BEGIN IMMEDIATE` does on SQLite. Readers pass.
    const LOCK_DOSSIERS: Option<&'static str> =
        Some("LOCK TABLE dossiers IN SHARE ROW EXCLUSIVE MODE");

    /// Two appends that both read the last entry would fork the chain; the lock orders them.
    const LOCK_AUDIT: Option<&'static str> = Some("LOCK TABLE audit_log IN EXCLUSIVE MODE");
}

crate::plan::sql::impl_repository!(PgStore, Postgres, "postgres");
crate::execution::sql::impl_execution!(PgStore, Postgres);
crate::evaluation::sql::impl_evaluation!(PgStore, Postgres);
crate::reform_index::sql::impl_reform_index!(PgStore, Postgres);
crate::commune_plan::sql::impl_commune_plans!(PgStore, Postgres);
crate::reminder::sql::impl_reminders!(PgStore, Postgres, " FOR UPDATE SKIP LOCKED");
crate::publication::sql::impl_publication!(PgStore, Postgres);
crate::delivery::sql::impl_service_repository!(PgStore, Postgres, PgDossierImport, false);
