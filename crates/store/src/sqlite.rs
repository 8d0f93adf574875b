//! The SQLite store (kho SQLite): one file, WAL journal, every write under `BEGIN IMMEDIATE`.

use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};

use cchc_domain::service::Dossier;

use crate::delivery::DossierRow;
use crate::{Result, StoreError};

/// How long a write waits for another writer before giving up with "database is locked".
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Kho SQLite — the repository on an SQLite file.
pub struct SqliteStore {
    pool: SqlitePool,
    location: String,
    /// Parsed plan documents by revision (`Repository::get_plan_shared`).
    plans: crate::plan::PlanCache,
    /// The file's data version (`Repository::data_version`); none for an in-memory database,
    /// which no second connection can see.
    version: Option<std::sync::Mutex<crate::sqlite_raw::VersionProbe>>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("location", &self.location)
            .finish()
    }
}

impl SqliteStore {
    /// Opens `sqlite://PATH` (creating the file and its directory) or `sqlite::memory:`.
    pub async fn connect(url: &str) -> Result<Self> {
        let invalid = |e: sqlx::Error| {
            StoreError::Invalid(format!("địa chỉ cơ sở dữ liệu SQLite không hợp lệ: {e}"))
        };
        if url.contains(":memory:") || url.contains("mode=memory") {
            let options = SqliteConnectOptions::from_str(url).map_err(invalid)?;
            return Self::with_options(options, true, url.to_string()).await;
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .map(|rest| rest.split('?').next().unwrap_or(rest))
            .filter(|p| !p.is_empty())
            .ok_or_else(|| {
                StoreError::Invalid(
                    "địa chỉ cơ sở dữ liệu SQLite phải có dạng «sqlite://ĐƯỜNG_DẪN_TỆP»".into(),
                )
            })?;
        create_parent_dir(Path::new(path))?;
        let options = SqliteConnectOptions::from_str(url)
            .map_err(invalid)?
            .create_if_missing(true);
        Self::with_options(options, false, url.to_string()).await
    }

    /// Opens the database file at `path`, creating it and its directory when absent.
    pub async fn open(path: &Path) -> Result<Self> {
        create_parent_dir(path)?;
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true);
        Self::with_options(options, false, path.display().to_string()).await
    }

    async fn with_options(
        options: SqliteConnectOptions,
        in_memory: bool,
        location: String,
    ) -> Result<Self> {
        // 16 KiB pages (for a new file; an existing one keeps its own): a dossier import
        // writes a tenth fewer B-tree pages and splits than with the 4 KiB default.
        let (level, after) = crate::SLOW_STATEMENTS;
        let options = sqlx::ConnectOptions::log_slow_statements(options, level, after)
            .page_size(16384)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let probe_path = (!in_memory).then(|| options.get_filename().to_path_buf());
        // An in-memory database lives as long as its one connection: never let the pool close it.
        let pool = if in_memory {
            SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
        } else {
            SqlitePoolOptions::new().max_connections(8)
        }
        .connect_with(options)
        .await?;
        crate::migrate_with_notice!(sqlx::migrate!("./migrations/sqlite"), &pool)?;
        tracing::info!(database = %location, "opened SQLite store");
        let version = probe_path
            .map(|path| crate::sqlite_raw::VersionProbe::open(&path).map(std::sync::Mutex::new))
            .transpose()?;
        Ok(SqliteStore {
            pool,
            location,
            plans: Default::default(),
            version,
        })
    }

    /// The connection pool, for maintenance and tests.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// `PRAGMA data_version` on the store's own probe connection: a short call on the
    /// caller's thread (no query crosses to a pool connection's worker).
    async fn content_version(&self) -> Result<Option<u64>> {
        match &self.version {
            Some(probe) => {
                let mut probe = probe.lock().unwrap_or_else(|e| e.into_inner());
                probe.read().map(Some)
            }
            None => Ok(None),
        }
    }

    /// Starts a write transaction that takes the write lock at once: a deferred transaction
    /// that reads first fails with SQLITE_BUSY, without waiting, when another writer holds it.
    async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>> {
        crate::version::forget();
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Settings for a bulk dossier import, inside its transaction: a larger page cache (128 MiB,
    /// a fixed bound) so that index pages stay in memory. Durability settings stay as they are.
    async fn prepare_bulk(tx: &mut Transaction<'static, Sqlite>) -> Result<()> {
        sqlx::query("PRAGMA cache_size = -131072")
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// After a bulk import has committed: copy the WAL into the database file and truncate it,
    /// so that the next reader (often another process) need not scan hundreds of MB of WAL.
    /// Best effort: a reader holding an old snapshot only delays it to a later checkpoint.
    async fn after_bulk(pool: &SqlitePool) {
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(pool)
            .await
        {
            tracing::warn!(error = %e, "WAL checkpoint after import failed");
        }
    }

    /// A chunk of an import into an empty dossier table, written through SQLite's C API with
    /// one prepared multi-row statement. Returns, for each row whose code an earlier row of the
    /// import stored (in this chunk or before), its index in `rows` and that earlier row.
    async fn insert_fresh(
        tx: &mut Transaction<'static, Sqlite>,
        import_id: i64,
        rows: &[(usize, &Dossier)],
    ) -> Result<Option<Vec<(usize, i64)>>> {
        use crate::delivery::DOSSIER_WRITE_COUNT;
        use crate::sqlite_raw::{
            dossier_values, insert_dossiers_sql, DateBuffers, Statement, Value, ROWS_PER_INSERT,
        };
        let mut handle = tx.lock_handle().await?;
        let db = handle.as_raw_handle().as_ptr();
        // SAFETY (every `prepare` below): the locked handle keeps the connection to this task;
        // the statements are declared after it and so dropped (finalized) before it is given
        // back.
        let mut full = unsafe { Statement::prepare(db, &insert_dossiers_sql(ROWS_PER_INSERT))? };
        let mut lookup: Option<Statement> = None;
        let mut duplicates = Vec::new();
        for (g, group) in rows.chunks(ROWS_PER_INSERT).enumerate() {
            let mut buffers = [DateBuffers::default(); ROWS_PER_INSERT];
            let mut values = Vec::with_capacity(DOSSIER_WRITE_COUNT * ROWS_PER_INSERT);
            for ((row, d), buf) in group.iter().zip(buffers.iter_mut()) {
                values.extend(dossier_values(d, import_id, *row, buf));
            }
            let inserted = if group.len() == ROWS_PER_INSERT {
                full.execute(&values)?
            } else {
                let mut last =
                    unsafe { Statement::prepare(db, &insert_dossiers_sql(group.len()))? };
                last.execute(&values)?
            };
            if inserted == group.len() as u64 {
                continue;
            }
            // Some codes were stored before: the rows whose code another row holds.
            let q = match &mut lookup {
                Some(q) => q,
                None => lookup.insert(unsafe {
                    Statement::prepare(db, "SELECT import_row FROM dossiers WHERE code = ?")?
                }),
            };
            for (k, (row, d)) in group.iter().enumerate() {
                let first = q.query_int(&[Value::Text(d.code.as_str())])?;
                if first != Some(*row as i64) {
                    duplicates.push((g * ROWS_PER_INSERT + k, first.unwrap_or(0)));
                }
            }
        }
        Ok(Some(duplicates))
    }

    /// The stored dossiers of some codes, each with the import that last wrote it and its row
    /// there, looked up one by one through SQLite's C API (a prepared point lookup per code;
    /// sqlx's copies of every value across its worker thread were most of a re-import's time).
    async fn stored_dossiers(
        tx: &mut Transaction<'static, Sqlite>,
        codes: &[&str],
    ) -> Result<Option<HashMap<String, (DossierRow, i64, i64)>>> {
        use crate::sqlite_raw::{stored_dossier, stored_dossier_sql, Statement, Value};
        let mut handle = tx.lock_handle().await?;
        let db = handle.as_raw_handle().as_ptr();
        // SAFETY: the locked handle keeps the connection to this task; the statement is
        // declared after it and so finalized before it is given back.
        let mut q = unsafe { Statement::prepare(db, &stored_dossier_sql())? };
        let mut found = HashMap::with_capacity(codes.len());
        for code in codes {
            q.for_each_row(&[Value::Text(code)], |r| {
                let (row, import_id, import_row) = stored_dossier(r)?;
                found.insert(row.code.clone(), (row, import_id, import_row));
                Ok(())
            })?;
        }
        Ok(Some(found))
    }

    /// Writes an import's rows through SQLite's C API: a changed or new dossier in full, an
    /// unchanged one only marked as seen by this import. Returns true (written).
    async fn write_dossiers(
        tx: &mut Transaction<'static, Sqlite>,
        import_id: i64,
        rows: &[(usize, DossierRow, bool)],
    ) -> Result<bool> {
        use crate::sqlite_raw::{
            row_values, upsert_dossier_sql, Statement, Value, MARK_DOSSIER_SQL,
        };
        let mut handle = tx.lock_handle().await?;
        let db = handle.as_raw_handle().as_ptr();
        // SAFETY: as in `stored_dossiers`.
        let mut upsert = unsafe { Statement::prepare(db, &upsert_dossier_sql())? };
        let mut mark = unsafe { Statement::prepare(db, MARK_DOSSIER_SQL)? };
        for (row, d, changed) in rows {
            if *changed {
                upsert.execute(&row_values(d, import_id, *row))?;
            } else {
                mark.execute(&[
                    Value::Int(import_id),
                    Value::Int(*row as i64),
                    Value::Text(&d.code),
                ])?;
            }
        }
        Ok(true)
    }

    /// The totals rows `sql` selects between `from` and `to` (months or spans): (unit,
    /// procedure, month or span, counters in `Tally::FIELDS` order), read through SQLite's C
    /// API. sqlx hands every row from its worker thread as owned copies of each value, which
    /// made this read of a few thousand rows take tens of milliseconds: most of the answer to
    /// `cchc indicators`.
    async fn read_totals(
        pool: &SqlitePool,
        sql: &str,
        from: &str,
        to: &str,
    ) -> Result<Option<Vec<crate::delivery::sql::MonthTotals>>> {
        use crate::sqlite_raw::{Statement, Value};
        let mut conn = pool.acquire().await?;
        let mut handle = conn.lock_handle().await?;
        let db = handle.as_raw_handle().as_ptr();
        // SAFETY: the locked handle keeps the connection to this task; the statement is
        // declared after it and so finalized before it is given back.
        let mut q = unsafe { Statement::prepare(db, sql)? };
        let mut out = Vec::new();
        q.for_each_row(&[Value::Text(from), Value::Text(to)], |r| {
            let mut counts = [0i64; 13];
            for (i, c) in counts.iter_mut().enumerate() {
                *c = r.int(3 + i);
            }
            out.push((
                r.text(0)?.to_string(),
                r.text(1)?.to_string(),
                r.text(2)?.to_string(),
                counts,
            ));
            Ok(())
        })?;
        Ok(Some(out))
    }

    /// `BEGIN IMMEDIATE` already serializes writers.
    const LOCK_UNITS: Option<&'static str> = None;
    const LOCK_AUDIT: Option<&'static str> = None;
    const LOCK_DOSSIERS: Option<&'static str> = None;
}

fn create_parent_dir(path: &Path) -> Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir).map_err(|e| {
            StoreError::Invalid(format!("không tạo được thư mục «{}»: {e}", dir.display()))
        }),
        _ => Ok(()),
    }
}

crate::plan::sql::impl_repository!(SqliteStore, Sqlite, "sqlite");
crate::execution::sql::impl_execution!(SqliteStore, Sqlite);
crate::evaluation::sql::impl_evaluation!(SqliteStore, Sqlite);
crate::reform_index::sql::impl_reform_index!(SqliteStore, Sqlite);
crate::commune_plan::sql::impl_commune_plans!(SqliteStore, Sqlite);
crate::reminder::sql::impl_reminders!(SqliteStore, Sqlite, "");
crate::publication::sql::impl_publication!(SqliteStore, Sqlite);
crate::delivery::sql::impl_service_repository!(SqliteStore, Sqlite, SqliteDossierImport, true);
