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
    /// Parsed plan documents by revision (`Repository::get_plan_shared`).
    plans: crate::plan::PlanCache,
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
        Ok(PgStore {
            pool,
            location,
            plans: Default::default(),
        })
    }

    /// The connection pool, for maintenance and tests.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// The cluster's current snapshot (`pg_current_snapshot()`: which transactions are seen),
    /// hashed. It changes exactly when a write transaction ends, whichever server ran it, at
    /// the moment its rows become visible; so a result computed after reading it is never
    /// older than what it names. (The WAL position would move at the commit record, a moment
    /// before the rows are seen.) Writes to other databases of the cluster move it too, which
    /// only costs a recompute.
    async fn content_version(&self) -> Result<Option<u64>> {
        use std::hash::{Hash, Hasher};
        let snapshot: String = sqlx::query_scalar("SELECT pg_current_snapshot()::text")
            .fetch_one(&self.pool)
            .await?;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        snapshot.hash(&mut h);
        Ok(Some(h.finish()))
    }

    async fn begin_write(&self) -> Result<Transaction<'static, Postgres>> {
        crate::version::forget();
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

    /// A chunk of a fresh import by `COPY … FROM STDIN` (text format), inside a savepoint of
    /// the import's transaction. COPY cannot skip a conflicting row: a code an earlier row of
    /// the file stored makes it fail whole, and then the savepoint is rolled back and `None`
    /// sends the chunk through the shared multi-row statement, which finds the duplicates and
    /// their first rows as it always has. Otherwise no row of the chunk is a duplicate.
    async fn insert_fresh(
        tx: &mut Transaction<'static, Postgres>,
        import_id: i64,
        rows: &[(usize, &cchc_domain::service::Dossier)],
    ) -> Result<Option<Vec<(usize, i64)>>> {
        let mut data = Vec::with_capacity(rows.len() * 192);
        for (row, d) in rows {
            copy_dossier_line(&mut data, import_id, *row, d);
        }
        sqlx::query("SAVEPOINT dossier_copy")
            .execute(&mut **tx)
            .await?;
        let copied = async {
            let mut copy = tx.copy_in_raw(&dossier_copy_sql()).await?;
            copy.send(data).await?;
            copy.finish().await
        }
        .await;
        match copied {
            Ok(_) => {
                sqlx::query("RELEASE SAVEPOINT dossier_copy")
                    .execute(&mut **tx)
                    .await?;
                Ok(Some(Vec::new()))
            }
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("23505") => {
                for undo in [
                    "ROLLBACK TO SAVEPOINT dossier_copy",
                    "RELEASE SAVEPOINT dossier_copy",
                ] {
                    sqlx::query(undo).execute(&mut **tx).await?;
                }
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
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

/// `COPY dossier_rows (…) FROM STDIN`, the columns in [`copy_dossier_line`]'s order.
fn dossier_copy_sql() -> String {
    format!(
        "COPY dossier_rows ({}) FROM STDIN",
        crate::delivery::DOSSIER_WRITE_COLUMNS
    )
}

/// Appends a dossier as a line of COPY's text format, in the order of
/// [`DOSSIER_WRITE_COLUMNS`](crate::delivery::DOSSIER_WRITE_COLUMNS): the values the shared
/// multi-row insert binds, `\N` for none.
fn copy_dossier_line(
    out: &mut Vec<u8>,
    import_id: i64,
    row: usize,
    d: &cchc_domain::service::Dossier,
) {
    use crate::delivery::{sql::month_key, write_datetime, DateTimeText};
    use std::io::Write;
    let mut buf = DateTimeText::default();
    let flag = |b: bool| if b { "1" } else { "0" };
    let fields: [Option<&str>; 4] = [
        Some(d.code.as_str()),
        Some(d.procedure.as_str()),
        Some(d.unit.as_str()),
        Some(d.channel.code()),
    ];
    for f in fields {
        copy_field(out, f);
    }
    copy_field(out, Some(write_datetime(d.received, &mut buf)));
    copy_field(out, Some(write_datetime(d.due, &mut buf)));
    copy_field(out, d.returned.map(|t| write_datetime(t, &mut buf)));
    let fields: [Option<&str>; 7] = [
        Some(d.status.code()),
        Some(flag(d.inputs_digitized)),
        Some(flag(d.results_digitized)),
        Some(flag(d.data_reused)),
        Some(flag(d.paid_online)),
        d.rating.map(|r| r.code()),
        Some(flag(d.apology)),
    ];
    for f in fields {
        copy_field(out, f);
    }
    let numbers = [month_key(d.day()), import_id, row as i64];
    for n in numbers {
        // Digits and a sign: nothing to escape.
        let _ = write!(out, "{n}\t");
    }
    // The last field's tab becomes the line's end.
    *out.last_mut().expect("a field was written") = b'\n';
}

/// Appends one field of COPY's text format and its tab: `\N` for none; a backslash, tab,
/// line feed or carriage return escaped, every other byte (UTF-8 text) as it is.
fn copy_field(out: &mut Vec<u8>, value: Option<&str>) {
    match value {
        None => out.extend_from_slice(b"\\N"),
        Some(v) => {
            for &b in v.as_bytes() {
                match b {
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(b),
                }
            }
        }
    }
    out.push(b'\t');
}

#[cfg(test)]
mod tests {
    use super::copy_field;

    #[test]
    fn copy_fields_escape_what_the_text_format_reads_specially() {
        let mut out = Vec::new();
        copy_field(&mut out, Some("a\tb\nc\rd\\N «Đức Thọ» 'x' \"y\""));
        copy_field(&mut out, None);
        copy_field(&mut out, Some(""));
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a\\tb\\nc\\rd\\\\N «Đức Thọ» 'x' \"y\"\t\\N\t\t"
        );
    }
}

crate::plan::sql::impl_repository!(PgStore, Postgres, "postgres");
crate::execution::sql::impl_execution!(PgStore, Postgres);
crate::evaluation::sql::impl_evaluation!(PgStore, Postgres);
crate::reform_index::sql::impl_reform_index!(PgStore, Postgres);
crate::commune_plan::sql::impl_commune_plans!(PgStore, Postgres);
crate::reminder::sql::impl_reminders!(PgStore, Postgres, " FOR UPDATE SKIP LOCKED");
crate::publication::sql::impl_publication!(PgStore, Postgres);
crate::delivery::sql::impl_service_repository!(PgStore, Postgres, PgDossierImport, false);
