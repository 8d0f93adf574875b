//! SQLite's C API under sqlx, for the two paths where sqlx's per-row cost (owned copies of
//! every value sent between the connection's worker thread and the caller) outweighs SQLite's
//! own work: a dossier import into an empty table, and reading a period's totals.
//!
//! The connection is borrowed from sqlx with `lock_handle`; every statement prepared here is
//! finalized before the lock is given back.

use std::ffi::{c_int, CStr};
use std::ptr;

use cchc_domain::service::Dossier;
use libsqlite3_sys as ffi;

use crate::delivery::{
    write_datetime, DateTimeText, DossierRow, DOSSIER_COLUMNS, DOSSIER_WRITE_COLUMNS,
    DOSSIER_WRITE_COUNT,
};
use crate::{Result, StoreError};

/// A value bound for one execution of a statement.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Value<'a> {
    Text(&'a str),
    Int(i64),
    Null,
}

/// A prepared statement on a borrowed connection, finalized when dropped.
pub(crate) struct Statement {
    db: *mut ffi::sqlite3,
    stmt: *mut ffi::sqlite3_stmt,
}

fn error(db: *mut ffi::sqlite3, what: &str) -> StoreError {
    // SAFETY: `db` is an open connection; the message is copied before any other call.
    let msg = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(db)) }
        .to_string_lossy()
        .into_owned();
    StoreError::Native(format!("SQLite, {what}: {msg}"))
}

impl Statement {
    /// Prepares `sql` on `db`.
    ///
    /// # Safety
    /// `db` must be an open connection that nothing else uses until the statement is dropped.
    pub unsafe fn prepare(db: *mut ffi::sqlite3, sql: &str) -> Result<Statement> {
        let mut stmt = ptr::null_mut();
        let rc = ffi::sqlite3_prepare_v2(
            db,
            sql.as_ptr().cast(),
            sql.len() as c_int,
            &mut stmt,
            ptr::null_mut(),
        );
        if rc != ffi::SQLITE_OK || stmt.is_null() {
            return Err(error(db, "chuẩn bị câu lệnh"));
        }
        Ok(Statement { db, stmt })
    }

    fn bind(&mut self, values: &[Value<'_>]) -> Result<()> {
        for (i, v) in values.iter().enumerate() {
            let i = i as c_int + 1;
            // SAFETY: the statement is live; text is bound SQLITE_STATIC, which is sound
            // because `values` outlives the step and the bindings are cleared before return.
            let rc = unsafe {
                match *v {
                    Value::Text(s) => ffi::sqlite3_bind_text(
                        self.stmt,
                        i,
                        s.as_ptr().cast(),
                        s.len() as c_int,
                        ffi::SQLITE_STATIC(),
                    ),
                    Value::Int(n) => ffi::sqlite3_bind_int64(self.stmt, i, n),
                    Value::Null => ffi::sqlite3_bind_null(self.stmt, i),
                }
            };
            if rc != ffi::SQLITE_OK {
                return Err(error(self.db, "gán tham số"));
            }
        }
        Ok(())
    }

    fn finish(&mut self) {
        // SAFETY: the statement is live.
        unsafe {
            ffi::sqlite3_reset(self.stmt);
            ffi::sqlite3_clear_bindings(self.stmt);
        }
    }

    /// Runs a statement that returns no rows; returns the rows it changed.
    pub fn execute(&mut self, values: &[Value<'_>]) -> Result<u64> {
        let result = self.bind(values).and_then(|()| {
            // SAFETY: the statement is live and bound.
            match unsafe { ffi::sqlite3_step(self.stmt) } {
                ffi::SQLITE_DONE => Ok(unsafe { ffi::sqlite3_changes(self.db) } as u64),
                _ => Err(error(self.db, "ghi dữ liệu")),
            }
        });
        self.finish();
        result
    }

    /// Runs a query and hands each row to `f`; a text column's `&str` lives for that call.
    pub fn for_each_row(
        &mut self,
        values: &[Value<'_>],
        mut f: impl FnMut(&RowRef<'_>) -> Result<()>,
    ) -> Result<()> {
        let result = self.bind(values).and_then(|()| loop {
            // SAFETY: the statement is live and bound; rows are read before the next step.
            match unsafe { ffi::sqlite3_step(self.stmt) } {
                ffi::SQLITE_ROW => f(&RowRef {
                    stmt: self.stmt,
                    _life: std::marker::PhantomData,
                })?,
                ffi::SQLITE_DONE => break Ok(()),
                _ => break Err(error(self.db, "đọc dữ liệu")),
            }
        });
        self.finish();
        result
    }

    /// Runs a query for its first row's first column as an integer (`None` without a row).
    pub fn query_int(&mut self, values: &[Value<'_>]) -> Result<Option<i64>> {
        let result = self.bind(values).and_then(|()| {
            // SAFETY: the statement is live and bound; the column is read before the reset.
            match unsafe { ffi::sqlite3_step(self.stmt) } {
                ffi::SQLITE_ROW => Ok(Some(unsafe { ffi::sqlite3_column_int64(self.stmt, 0) })),
                ffi::SQLITE_DONE => Ok(None),
                _ => Err(error(self.db, "đọc dữ liệu")),
            }
        });
        self.finish();
        result
    }
}

/// The current row of a query.
pub(crate) struct RowRef<'a> {
    stmt: *mut ffi::sqlite3_stmt,
    _life: std::marker::PhantomData<&'a Statement>,
}

impl RowRef<'_> {
    /// A column as an integer (NULL reads as 0).
    pub fn int(&self, i: usize) -> i64 {
        // SAFETY: the statement is on a row for as long as this borrow lives.
        unsafe { ffi::sqlite3_column_int64(self.stmt, i as c_int) }
    }

    /// A column as text, `None` when NULL; invalid UTF-8 is an error.
    pub fn opt_text(&self, i: usize) -> Result<Option<&str>> {
        // SAFETY: the statement is on a row for as long as this borrow lives.
        if unsafe { ffi::sqlite3_column_type(self.stmt, i as c_int) } == ffi::SQLITE_NULL {
            return Ok(None);
        }
        self.text(i).map(Some)
    }

    /// A column as text (NULL reads as empty); invalid UTF-8 is an error.
    pub fn text(&self, i: usize) -> Result<&str> {
        // SAFETY: as above; the pointer stays valid until the next step or reset, which
        // cannot happen while this row is borrowed.
        let bytes = unsafe {
            let p = ffi::sqlite3_column_text(self.stmt, i as c_int);
            let n = ffi::sqlite3_column_bytes(self.stmt, i as c_int);
            if p.is_null() {
                return Ok("");
            }
            std::slice::from_raw_parts(p, n as usize)
        };
        std::str::from_utf8(bytes)
            .map_err(|_| StoreError::Native("SQLite: cột văn bản không phải UTF-8".into()))
    }
}

impl Drop for Statement {
    fn drop(&mut self) {
        // SAFETY: the statement was prepared on `db` and is finalized once.
        unsafe {
            ffi::sqlite3_finalize(self.stmt);
        }
    }
}

/// Rows per insert statement of a fresh import: one statement opens its cursors and finds
/// the end of each B-tree once for all its rows (a statement per row did that per row, which
/// cost more than writing the row). 64 × 17 parameters is far under SQLite's limit.
pub(crate) const ROWS_PER_INSERT: usize = 64;

/// The insert of `rows` dossiers in a fresh import: a code already stored is left alone.
///
/// `OR IGNORE`, not `ON CONFLICT (code) DO NOTHING`: with the latter a `NOT NULL` column may
/// still abort the statement midway, so SQLite keeps a statement journal, copying every page
/// the insert touches to a temporary file. The one constraint that can fail here is the code's:
/// [`dossier_values`] binds a value to every `NOT NULL` column, and the table has no other.
pub(crate) fn insert_dossiers_sql(rows: usize) -> String {
    format!(
        "INSERT OR IGNORE INTO dossier_rows ({}) VALUES {}",
        DOSSIER_WRITE_COLUMNS,
        crate::delivery::sql::placeholders(true, 1, rows, DOSSIER_WRITE_COUNT)
    )
}

/// Buffers for one dossier's three date-times while its values are bound.
pub(crate) type DateBuffers = [DateTimeText; 3];

/// One dossier's values, in the order of `DOSSIER_WRITE_COLUMNS`, its times written into `buf`.
pub(crate) fn dossier_values<'a>(
    d: &'a Dossier,
    import_id: i64,
    row: usize,
    buf: &'a mut DateBuffers,
) -> [Value<'a>; DOSSIER_WRITE_COUNT] {
    let [received, due, returned] = buf;
    let received = write_datetime(d.received, received);
    let due = write_datetime(d.due, due);
    let returned = d.returned.map(|t| write_datetime(t, returned));
    let flag = |b: bool| Value::Int(i64::from(b));
    [
        Value::Text(d.code.as_str()),
        Value::Text(d.procedure.as_str()),
        Value::Text(d.unit.as_str()),
        Value::Text(d.channel.code()),
        Value::Text(received),
        Value::Text(due),
        returned.map_or(Value::Null, Value::Text),
        Value::Text(d.status.code()),
        flag(d.inputs_digitized),
        flag(d.results_digitized),
        flag(d.data_reused),
        flag(d.paid_online),
        d.rating.map_or(Value::Null, |r| Value::Text(r.code())),
        flag(d.apology),
        Value::Int(crate::delivery::sql::month_key(d.day())),
        Value::Int(import_id),
        Value::Int(row as i64),
    ]
}

/// A stored dossier found by its code, with the import that last wrote it and its row there.
pub(crate) fn stored_dossier_sql() -> String {
    format!("SELECT {DOSSIER_COLUMNS}, import_id, import_row FROM dossiers WHERE code = ?")
}

/// The row [`stored_dossier_sql`] selects: (the dossier as stored, import, row in it).
pub(crate) fn stored_dossier(r: &RowRef<'_>) -> Result<(DossierRow, i64, i64)> {
    let text = |i: usize| r.text(i).map(str::to_string);
    let opt = |i: usize| r.opt_text(i).map(|t| t.map(str::to_string));
    Ok((
        DossierRow {
            code: text(0)?,
            procedure_code: text(1)?,
            unit_id: text(2)?,
            channel: text(3)?,
            received_at: text(4)?,
            received_on: text(5)?,
            due_at: text(6)?,
            due_on: text(7)?,
            returned_at: opt(8)?,
            returned_on: opt(9)?,
            status: text(10)?,
            inputs_digitized: r.int(11),
            results_digitized: r.int(12),
            data_reused: r.int(13),
            paid_online: r.int(14),
            rating: opt(15)?,
            apology: r.int(16),
        },
        r.int(17),
        r.int(18),
    ))
}

/// One dossier written whatever is stored under its code (a statement per row: a multi-row
/// upsert would keep a statement journal, see [`insert_dossiers_sql`]).
pub(crate) fn upsert_dossier_sql() -> String {
    format!(
        "INSERT INTO dossier_rows ({}) VALUES {} ON CONFLICT (code) DO {}",
        DOSSIER_WRITE_COLUMNS,
        crate::delivery::sql::placeholders(true, 1, 1, DOSSIER_WRITE_COUNT),
        crate::delivery::sql::DOSSIER_UPSERT_SET
    )
}

/// A stored dossier that an import found unchanged, marked as seen by it.
pub(crate) const MARK_DOSSIER_SQL: &str =
    "UPDATE dossier_rows SET import_id = ?, import_row = ? WHERE code = ?";

/// A stored-shape dossier's values, in the order of `DOSSIER_WRITE_COLUMNS`.
pub(crate) fn row_values(
    d: &DossierRow,
    import_id: i64,
    row: usize,
) -> [Value<'_>; DOSSIER_WRITE_COUNT] {
    fn opt(t: &Option<String>) -> Value<'_> {
        t.as_deref().map_or(Value::Null, Value::Text)
    }
    [
        Value::Text(&d.code),
        Value::Text(&d.procedure_code),
        Value::Text(&d.unit_id),
        Value::Text(&d.channel),
        Value::Text(&d.received_at),
        Value::Text(&d.due_at),
        opt(&d.returned_at),
        Value::Text(&d.status),
        Value::Int(d.inputs_digitized),
        Value::Int(d.results_digitized),
        Value::Int(d.data_reused),
        Value::Int(d.paid_online),
        opt(&d.rating),
        Value::Int(d.apology),
        Value::Int(crate::delivery::sql::month_key_of_day(&d.received_on)),
        Value::Int(import_id),
        Value::Int(row as i64),
    ]
}

/// A connection of its own that only asks `PRAGMA data_version` (phiên bản dữ liệu): the
/// number changes whenever another connection, of this process or of another one, commits to
/// the file. It never writes, so every commit it sees is someone else's.
pub(crate) struct VersionProbe {
    // Declared first: finalized before the connection closes.
    stmt: Option<Statement>,
    db: *mut ffi::sqlite3,
}

// SAFETY: the connection is opened with SQLITE_OPEN_NOMUTEX and used by one thread at a time
// (the store keeps it behind a mutex).
unsafe impl Send for VersionProbe {}

impl VersionProbe {
    /// Opens `path`, which must exist (the store opens it first and runs the migrations).
    pub fn open(path: &std::path::Path) -> Result<VersionProbe> {
        let c_path = std::ffi::CString::new(path.to_string_lossy().as_bytes())
            .map_err(|_| StoreError::Invalid("đường dẫn tệp SQLite chứa ký tự NUL".into()))?;
        let mut db = ptr::null_mut();
        // SAFETY: `c_path` is a NUL-terminated string; `db` receives the handle.
        let rc = unsafe {
            ffi::sqlite3_open_v2(
                c_path.as_ptr(),
                &mut db,
                ffi::SQLITE_OPEN_READWRITE | ffi::SQLITE_OPEN_NOMUTEX,
                ptr::null(),
            )
        };
        let mut probe = VersionProbe { stmt: None, db };
        if rc != ffi::SQLITE_OK {
            return Err(error(db, "mở kết nối đọc phiên bản"));
        }
        // SAFETY: `db` is open and only this probe uses it.
        probe.stmt = Some(unsafe { Statement::prepare(db, "PRAGMA data_version") }?);
        Ok(probe)
    }

    /// The file's data version now (the statement is reset at once, so no read snapshot is
    /// held between calls).
    pub fn read(&mut self) -> Result<u64> {
        let stmt = self.stmt.as_mut().expect("prepared at open");
        Ok(stmt.query_int(&[])?.unwrap_or_default() as u64)
    }
}

impl Drop for VersionProbe {
    fn drop(&mut self) {
        self.stmt = None;
        // SAFETY: the connection was opened by `open` (or is null) and is closed once, after
        // its statement.
        unsafe {
            ffi::sqlite3_close(self.db);
        }
    }
}
