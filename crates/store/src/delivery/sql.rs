//! The service-delivery SQL, written once for both databases and expanded per backend by
//! [`impl_service_repository!`], as `plan/sql.rs` does for plans.

use std::collections::HashMap;

use cchc_domain::service::{Dossier, Tally};
use chrono::Datelike;

/// `($1, $2, …), (…)`: placeholders for `rows` rows of `cols` columns, numbered from `first`;
/// with `anonymous`, `(?, ?, …)` in the same order. SQLite looks a numbered parameter's name
/// up by a linear scan, which makes binding thousands of `$n` quadratic: there it is `?`.
pub(crate) fn placeholders(anonymous: bool, first: usize, rows: usize, cols: usize) -> String {
    let mut s = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        if r > 0 {
            s.push_str(", ");
        }
        s.push('(');
        for c in 0..cols {
            if c > 0 {
                s.push_str(", ");
            }
            if anonymous {
                s.push('?');
            } else {
                s.push('$');
                s.push_str(&(first + r * cols + c).to_string());
            }
        }
        s.push(')');
    }
    s
}

/// What a stored dossier takes from a newer row of the same code (`ON CONFLICT (code) DO …`).
pub(crate) const DOSSIER_UPSERT_SET: &str = "UPDATE SET
     procedure_code = excluded.procedure_code,
     unit_id = excluded.unit_id, channel = excluded.channel,
     received_at = excluded.received_at,
     due_at = excluded.due_at, returned_at = excluded.returned_at,
     status = excluded.status,
     inputs_digitized = excluded.inputs_digitized,
     results_digitized = excluded.results_digitized,
     data_reused = excluded.data_reused,
     paid_online = excluded.paid_online, rating = excluded.rating,
     apology = excluded.apology,
     received_month = excluded.received_month,
     import_id = excluded.import_id,
     import_row = excluded.import_row";

/// Rows per multi-row statement: 500 × 17 parameters stays under both databases' limits.
pub(crate) const CHUNK: usize = 500;

/// Deltas kept in memory before they are written; bounded by the grain, not the file.
pub(crate) const MAX_PENDING_DELTAS: usize = 50_000;

/// The month of a day as the dossier table keys it: `YYYYMM`.
pub(crate) fn month_key(day: chrono::NaiveDate) -> i64 {
    i64::from(day.year()) * 100 + i64::from(day.month())
}

/// A [`month_key`] as the totals store it: `YYYY-MM`.
pub(crate) fn month_text(key: i64) -> String {
    format!("{:04}-{:02}", key / 100, key % 100)
}

/// [`month_key`] of a stored day (`YYYY-MM-DD`).
pub(crate) fn month_key_of_day(day: &str) -> i64 {
    let digits = |r: std::ops::Range<usize>| day.get(r).and_then(|d| d.parse::<i64>().ok());
    digits(0..4).unwrap_or(0) * 100 + digits(5..7).unwrap_or(0)
}

/// A multiply-rotate hash (as rustc's `FxHasher`) for the maps an import touches per dossier:
/// short keys of its own, not attacker-chosen in a way that matters to a one-off import.
#[derive(Default, Clone, Copy)]
pub(crate) struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FastHasher>>;

/// The totals rows of a run of months (`$1`..=`$2`, `YYYY-MM`), in the order of [`MonthTotals`].
pub(crate) fn month_totals_sql() -> String {
    format!(
        "SELECT unit_id, procedure_code, month, {} FROM service_totals
         WHERE month >= $1 AND month <= $2",
        Tally::FIELDS.join(", ")
    )
}

/// The rolled-up totals rows of a run of spans (`$1`..=`$2`: one year `YYYY`, or quarters
/// `YYYY-Qn` of one year), in the order of [`MonthTotals`].
pub(crate) fn span_totals_sql() -> String {
    format!(
        "SELECT unit_id, procedure_code, span, {} FROM service_totals_span
         WHERE span >= $1 AND span <= $2",
        Tally::FIELDS.join(", ")
    )
}

/// A totals row as stored: unit, procedure, month (`YYYY-MM`) or span, counters in
/// `Tally::FIELDS` order.
pub(crate) type MonthTotals = (String, String, String, [i64; 13]);

/// A piece of a run of months, read from the totals: months (`YYYY-MM`..=`YYYY-MM`) from the
/// month rows, or spans (a year `YYYY`..=`YYYY`, or quarters `YYYY-Qa`..=`YYYY-Qb` of one
/// year) from the rolled-up rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TotalsPiece {
    Months(String, String),
    Spans(String, String),
}

/// Splits the months `from..=to` (`YYYYMM` keys) into whole years, runs of whole quarters and
/// runs of the months left, so that a year reads one row per unit and procedure.
pub(crate) fn totals_pieces(from: i64, to: i64) -> Vec<TotalsPiece> {
    let next = |m: i64| if m % 100 == 12 { m + 89 } else { m + 1 };
    let mut pieces = Vec::new();
    let mut m = from;
    while m <= to {
        let (y, mo) = (m / 100, m % 100);
        if mo == 1 && y * 100 + 12 <= to {
            pieces.push(TotalsPiece::Spans(y.to_string(), y.to_string()));
            m = (y + 1) * 100 + 1;
        } else if mo % 3 == 1 && m + 2 <= to {
            let first = (mo + 2) / 3;
            let mut last = first;
            while last < 4 && y * 100 + (last + 1) * 3 <= to {
                last += 1;
            }
            pieces.push(TotalsPiece::Spans(
                format!("{y}-Q{first}"),
                format!("{y}-Q{last}"),
            ));
            m = next(y * 100 + last * 3);
        } else {
            let mut end = m;
            while end < to && next(end) % 100 % 3 != 1 {
                end = next(end);
            }
            pieces.push(TotalsPiece::Months(month_text(m), month_text(end)));
            m = next(end);
        }
    }
    pieces
}

/// The years (`YYYY`) and quarters (`YYYY-Qn`) of some months (`YYYYMM`), each with its first
/// and last month (`YYYY-MM`): the rolled-up rows to derive again after those months changed.
pub(crate) fn spans_of(months: impl IntoIterator<Item = u32>) -> Vec<(String, String, String)> {
    let mut spans = std::collections::BTreeSet::new();
    for m in months {
        let (y, mo) = (m / 100, m % 100);
        let q = mo.div_ceil(3);
        spans.insert((y.to_string(), format!("{y}-01"), format!("{y}-12")));
        spans.insert((
            format!("{y}-Q{q}"),
            format!("{y}-{:02}", q * 3 - 2),
            format!("{y}-{:02}", q * 3),
        ));
    }
    spans.into_iter().collect()
}

/// Derives one span's rolled-up rows (`$1`) from the month rows `$2..=$3`.
pub(crate) fn span_refresh_sql() -> String {
    let sums: Vec<String> = Tally::FIELDS
        .iter()
        .map(|f| format!("CAST(SUM({f}) AS BIGINT)"))
        .collect();
    format!(
        "INSERT INTO service_totals_span (span, unit_id, procedure_code, {})
         SELECT CAST($1 AS TEXT), unit_id, procedure_code, {} FROM service_totals
         WHERE month >= $2 AND month <= $3 GROUP BY unit_id, procedure_code",
        Tally::FIELDS.join(", "),
        sums.join(", ")
    )
}

/// Pending changes to the totals (thay đổi số liệu tổng hợp), kept by an import, or summed on
/// the thread that reads a fresh import's file (`DossierImport::sum_in_caller`). The grain is a receiving unit, a procedure and the month
/// received: every period (year, quarter, half, nine months, month) is a run of whole months,
/// so no figure needs a finer one, and the totals stay far smaller than the dossiers.
///
/// Units and procedures are numbered as first met and the month kept as `YYYYMM`, so that
/// adding a dossier allocates nothing: this runs for every dossier of an import.
#[derive(Debug, Default)]
pub struct Deltas {
    ids: FastMap<String, u32>,
    names: Vec<String>,
    tallies: FastMap<(u32, u32, u32), Tally>,
}

impl Deltas {
    fn id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }

    /// Adds (`sign` 1) or takes away (`sign` -1) a dossier's contribution.
    pub fn add(&mut self, d: &Dossier, sign: i64) {
        let day = d.day();
        let key = (
            self.id(d.unit.as_str()),
            self.id(d.procedure.as_str()),
            month_key(day) as u32,
        );
        let t = Tally::of(d);
        let e = self.tallies.entry(key).or_default();
        if sign > 0 {
            e.add(&t)
        } else {
            e.sub(&t)
        }
    }

    /// Adds the changes summed elsewhere (another thread's [`Deltas`]).
    pub fn merge(&mut self, other: Deltas) {
        for ((u, p, m), t) in other.tallies {
            let key = (
                self.id(&other.names[u as usize]),
                self.id(&other.names[p as usize]),
                m,
            );
            self.tallies.entry(key).or_default().add(&t);
        }
    }

    /// The months (`YYYYMM`) with a pending change.
    pub(crate) fn months(&self) -> impl Iterator<Item = u32> + '_ {
        self.tallies.keys().map(|&(_, _, m)| m)
    }

    /// Grains with a pending change.
    pub(crate) fn len(&self) -> usize {
        self.tallies.len()
    }

    /// Takes the non-zero changes out: (unit, procedure, month `YYYY-MM`, change).
    pub fn drain(&mut self) -> Vec<(String, String, String, Tally)> {
        let names = &self.names;
        self.tallies
            .drain()
            .filter(|(_, t)| !t.is_zero())
            .map(|((u, p, m), t)| {
                (
                    names[u as usize].clone(),
                    names[p as usize].clone(),
                    month_text(i64::from(m)),
                    t,
                )
            })
            .collect()
    }
}

/// `INSERT … ON CONFLICT DO UPDATE` adding deltas to the totals.
pub(crate) fn totals_upsert_sql(anonymous: bool, rows: usize) -> String {
    let fields = Tally::FIELDS;
    let sets: Vec<String> = fields
        .iter()
        .map(|f| format!("{f} = service_totals.{f} + excluded.{f}"))
        .collect();
    format!(
        "INSERT INTO service_totals (unit_id, procedure_code, month, {}) VALUES {}
         ON CONFLICT (month, unit_id, procedure_code) DO UPDATE SET {}",
        fields.join(", "),
        placeholders(anonymous, 1, rows, 3 + fields.len()),
        sets.join(", ")
    )
}

macro_rules! impl_service_repository {
    ($store:ty, $db:ty, $import:ident, $anonymous:literal) => {
        const _: () = {
            use std::collections::HashMap;

            use async_trait::async_trait;
            use cchc_domain::service::{
                OnlineLevel, Procedure, ProcedureCode, Tally,
            };
            use sqlx::{Database, Row, Transaction};

            use $crate::delivery::{
                measure_condition, BatchOutcome, DossierImport, DossierPage, DossierQuery,
                DossierRow, DuplicateCode, ImportCounts, ServiceRepository, TotalsRow,
                DOSSIER_COLUMNS, DOSSIER_WRITE_COLUMNS, DOSSIER_WRITE_COUNT,
            };
            use $crate::delivery::sql::{self as sql, Deltas, CHUNK};
            use $crate::{Result, StoreError};

            type DbRow = <$db as Database>::Row;

            fn dossier_row(r: &DbRow) -> Result<DossierRow> {
                Ok(DossierRow {
                    code: r.try_get("code")?,
                    procedure_code: r.try_get("procedure_code")?,
                    unit_id: r.try_get("unit_id")?,
                    channel: r.try_get("channel")?,
                    received_at: r.try_get("received_at")?,
                    received_on: r.try_get("received_on")?,
                    due_at: r.try_get("due_at")?,
                    due_on: r.try_get("due_on")?,
                    returned_at: r.try_get("returned_at")?,
                    returned_on: r.try_get("returned_on")?,
                    status: r.try_get("status")?,
                    inputs_digitized: r.try_get("inputs_digitized")?,
                    results_digitized: r.try_get("results_digitized")?,
                    data_reused: r.try_get("data_reused")?,
                    paid_online: r.try_get("paid_online")?,
                    rating: r.try_get("rating")?,
                    apology: r.try_get("apology")?,
                })
            }

            fn tally_from(r: &DbRow) -> Result<Tally> {
                let mut a = [0i64; 13];
                for (i, f) in Tally::FIELDS.iter().enumerate() {
                    a[i] = r.try_get::<Option<i64>, _>(*f)?.unwrap_or(0);
                }
                Ok(Tally::from_array(a))
            }

            /// Adds the pending deltas to the month rows; the months they touch join `touched`.
            async fn write_deltas(
                tx: &mut Transaction<'static, $db>,
                deltas: &mut Deltas,
                touched: &mut std::collections::BTreeSet<u32>,
            ) -> Result<()> {
                touched.extend(deltas.months());
                let pending = deltas.drain();
                for chunk in pending.chunks(CHUNK) {
                    let text = sql::totals_upsert_sql($anonymous, chunk.len());
                    let mut q = sqlx::query(&text);
                    for (unit, procedure, day, t) in chunk {
                        q = q.bind(unit).bind(procedure).bind(day);
                        for v in t.to_array() {
                            q = q.bind(v);
                        }
                    }
                    q.execute(&mut **tx).await?;
                }
                Ok(())
            }

            /// Derives again the rolled-up rows (years, quarters) of the months `touched`,
            /// after the month rows changed.
            async fn refresh_spans(
                tx: &mut Transaction<'static, $db>,
                touched: &std::collections::BTreeSet<u32>,
            ) -> Result<()> {
                let insert = sql::span_refresh_sql();
                for (span, from, to) in sql::spans_of(touched.iter().copied()) {
                    sqlx::query("DELETE FROM service_totals_span WHERE span = $1")
                        .bind(&span)
                        .execute(&mut **tx)
                        .await?;
                    sqlx::query(&insert)
                        .bind(&span)
                        .bind(&from)
                        .bind(&to)
                        .execute(&mut **tx)
                        .await?;
                }
                Ok(())
            }

            /// `FROM … WHERE …` of a dossier list (parameters numbered as [`bind_filter`] binds
            /// them); `None` when it is empty whatever is stored (no unit in scope).
            fn dossier_filter(query: &DossierQuery) -> Option<String> {
                // The month bounds (integers, written in) let the month index find the rows.
                let mut cond = vec![
                    format!(
                        "d.received_month BETWEEN {} AND {}",
                        sql::month_key(query.start),
                        sql::month_key(query.end)
                    ),
                    "d.received_on >= $1".to_string(),
                    "d.received_on <= $2".to_string(),
                ];
                let mut n = 2;
                if let Some(units) = &query.units {
                    if units.is_empty() {
                        return None;
                    }
                    let ph: Vec<String> = units.iter().map(|_| { n += 1; format!("${n}") }).collect();
                    cond.push(format!("d.unit_id IN ({})", ph.join(", ")));
                }
                if let Some((m, part)) = query.measure {
                    cond.push(measure_condition(m, part));
                }
                if query.search.is_some() {
                    n += 1;
                    cond.push(format!("(d.code LIKE ${n} OR d.procedure_code LIKE ${n})"));
                }
                Some(format!(
                    "FROM dossiers d LEFT JOIN procedures p ON p.code = d.procedure_code
                     WHERE {}",
                    cond.join(" AND ")
                ))
            }

            /// The dossiers of a list's `FROM … WHERE …`, in list order: by day received, then code.
            fn dossier_select(from: &str) -> String {
                let cols = DOSSIER_COLUMNS
                    .split(", ")
                    .map(|c| format!("d.{}", c.trim()))
                    .collect::<Vec<_>>()
                    .join(", ");
                format!("SELECT {cols} {from} ORDER BY d.received_on, d.code")
            }

            /// Binds the parameters of [`dossier_filter`], in its order.
            fn bind_filter<'q, Q: BindFilter<'q>>(q: Q, query: &'q DossierQuery) -> Q {
                let mut q = q.bind_text(query.start.to_string()).bind_text(query.end.to_string());
                if let Some(units) = &query.units {
                    for u in units {
                        q = q.bind_text(u.as_str().to_string());
                    }
                }
                if let Some(s) = &query.search {
                    q = q.bind_text(format!("%{s}%"));
                }
                q
            }

            /// A query that takes text parameters: rows or a scalar.
            trait BindFilter<'q> {
                fn bind_text(self, v: String) -> Self;
            }

            impl<'q> BindFilter<'q> for sqlx::query::Query<'q, $db, <$db as Database>::Arguments<'q>> {
                fn bind_text(self, v: String) -> Self {
                    self.bind(v)
                }
            }

            impl<'q, O> BindFilter<'q> for sqlx::query::QueryScalar<'q, $db, O, <$db as Database>::Arguments<'q>> {
                fn bind_text(self, v: String) -> Self {
                    self.bind(v)
                }
            }

            /// An open dossier import on this backend.
            pub struct $import {
                tx: Transaction<'static, $db>,
                pool: sqlx::Pool<$db>,
                import_id: i64,
                deltas: Deltas,
                /// The dossier table was empty when the import began: every stored code is
                /// this import's, so nothing needs looking up before it is inserted.
                fresh: bool,
                /// The caller sums the rows (see `DossierImport::sum_in_caller`).
                caller_sums: bool,
                /// Months (`YYYYMM`) whose totals this import changed.
                touched: std::collections::BTreeSet<u32>,
            }

            /// Inserts dossier rows in one multi-row statement; a code already stored is
            /// replaced (`update`) or left alone. Returns how many rows were written.
            async fn insert_dossiers(
                tx: &mut Transaction<'static, $db>,
                import_id: i64,
                write: Vec<(usize, DossierRow)>,
                update: bool,
            ) -> Result<u64> {
                let conflict = if update {
                    format!("DO {}", sql::DOSSIER_UPSERT_SET)
                } else {
                    "DO NOTHING".to_string()
                };
                let text = format!(
                    "INSERT INTO dossier_rows ({DOSSIER_WRITE_COLUMNS}) VALUES {}
                     ON CONFLICT (code) {conflict}",
                    sql::placeholders($anonymous, 1, write.len(), DOSSIER_WRITE_COUNT)
                );
                let mut q = sqlx::query(&text);
                for (row, d) in write {
                    let month = sql::month_key_of_day(&d.received_on);
                    q = q
                        .bind(d.code)
                        .bind(d.procedure_code)
                        .bind(d.unit_id)
                        .bind(d.channel)
                        .bind(d.received_at)
                        .bind(d.due_at)
                        .bind(d.returned_at)
                        .bind(d.status)
                        .bind(d.inputs_digitized)
                        .bind(d.results_digitized)
                        .bind(d.data_reused)
                        .bind(d.paid_online)
                        .bind(d.rating)
                        .bind(d.apology)
                        .bind(month)
                        .bind(import_id)
                        .bind(row as i64);
                }
                Ok(q.execute(&mut **tx).await?.rows_affected())
            }

            /// A fresh chunk by one multi-row statement: a code an earlier row of this file
            /// stored is left alone by the insert, then found with that row. Returns those rows'
            /// indexes in `rows` and the earlier rows.
            async fn fresh_by_statement(
                tx: &mut Transaction<'static, $db>,
                import_id: i64,
                rows: &[(usize, &cchc_domain::service::Dossier)],
            ) -> Result<Vec<(usize, i64)>> {
                let write = rows.iter().map(|(row, d)| (*row, DossierRow::of(d))).collect();
                let inserted = insert_dossiers(tx, import_id, write, false).await?;
                if inserted == rows.len() as u64 {
                    return Ok(Vec::new());
                }
                let text = format!(
                    "SELECT code, import_row FROM dossiers WHERE code IN ({})",
                    sql::placeholders($anonymous, 1, rows.len(), 1).replace(['(', ')'], "")
                );
                let mut q = sqlx::query(&text);
                for (_, d) in rows {
                    q = q.bind(d.code.as_str());
                }
                let mut stored = HashMap::new();
                for r in q.fetch_all(&mut **tx).await? {
                    stored.insert(r.try_get::<String, _>("code")?, r.try_get::<i64, _>("import_row")?);
                }
                Ok(rows
                    .iter()
                    .enumerate()
                    .filter_map(|(i, (row, d))| match stored.get(d.code.as_str()) {
                        Some(&first) if first as usize != *row => Some((i, first)),
                        _ => None,
                    })
                    .collect())
            }

            impl $import {
                /// A chunk of an import into an empty table: inserted without a lookup. A code an
                /// earlier row of this file stored (in this chunk or another) is left alone by the
                /// insert and then found, with that row, as a duplicate.
                async fn add_fresh(
                    &mut self,
                    rows: &[(usize, &cchc_domain::service::Dossier)],
                    out: &mut BatchOutcome,
                ) -> Result<()> {
                    let duplicates =
                        match <$store>::insert_fresh(&mut self.tx, self.import_id, rows).await? {
                            Some(d) => d,
                            None => {
                                let mut d = Vec::new();
                                for (c, part) in rows.chunks(CHUNK).enumerate() {
                                    let found =
                                        fresh_by_statement(&mut self.tx, self.import_id, part)
                                            .await?;
                                    d.extend(found.into_iter().map(|(i, f)| (c * CHUNK + i, f)));
                                }
                                d
                            }
                        };
                    let mut duplicates = duplicates.into_iter().peekable();
                    for (i, (row, d)) in rows.iter().enumerate() {
                        match duplicates.next_if(|(j, _)| *j == i) {
                            Some((_, first_row)) => {
                                if self.caller_sums {
                                    self.deltas.add(d, -1);
                                }
                                out.duplicates.push(DuplicateCode {
                                    code: d.code.clone(),
                                    row: *row,
                                    first_row: first_row as usize,
                                })
                            }
                            None => {
                                if !self.caller_sums {
                                    self.deltas.add(d, 1);
                                }
                                out.counts.new += 1;
                            }
                        }
                    }
                    Ok(())
                }
            }

            #[async_trait]
            impl DossierImport for $import {
                async fn add(
                    &mut self,
                    batch: &[(usize, cchc_domain::service::Dossier)],
                ) -> Result<BatchOutcome> {
                    let mut out = BatchOutcome::default();
                    out.counts.read = batch.len() as u64;
                    if self.fresh {
                        // The insert itself finds a code seen before, in this batch or another.
                        let rows: Vec<_> = batch.iter().map(|(row, d)| (*row, d)).collect();
                        self.add_fresh(&rows, &mut out).await?;
                        return Ok(out);
                    }
                    for part in batch.chunks(CHUNK) {
                        // A code twice within the chunk: the later row is the duplicate.
                        let mut first: HashMap<&str, usize> = HashMap::new();
                        let mut rows = Vec::with_capacity(part.len());
                        for (row, d) in part {
                            match first.get(d.code.as_str()) {
                                Some(&first_row) => out.duplicates.push(DuplicateCode {
                                    code: d.code.clone(),
                                    row: *row,
                                    first_row,
                                }),
                                None => {
                                    first.insert(d.code.as_str(), *row);
                                    rows.push((*row, d));
                                }
                            }
                        }
                        let codes: Vec<&str> = rows.iter().map(|(_, d)| d.code.as_str()).collect();
                        let existing = match <$store>::stored_dossiers(&mut self.tx, &codes).await? {
                            Some(found) => found,
                            None => {
                                let text = format!(
                                    "SELECT {DOSSIER_COLUMNS}, import_id, import_row FROM dossiers \
                                     WHERE code IN ({})",
                                    sql::placeholders($anonymous, 1, rows.len(), 1)
                                        .replace(['(', ')'], "")
                                );
                                let mut q = sqlx::query(&text);
                                for code in &codes {
                                    q = q.bind(*code);
                                }
                                let mut found: HashMap<String, (DossierRow, i64, i64)> =
                                    HashMap::new();
                                for r in q.fetch_all(&mut *self.tx).await? {
                                    let row = dossier_row(&r)?;
                                    let import_id: i64 = r.try_get("import_id")?;
                                    let import_row: i64 = r.try_get("import_row")?;
                                    found.insert(row.code.clone(), (row, import_id, import_row));
                                }
                                found
                            }
                        };
                        // (row, contents, whether they differ from what is stored)
                        let mut write: Vec<(usize, DossierRow, bool)> =
                            Vec::with_capacity(rows.len());
                        for (row, d) in rows {
                            let new = DossierRow::of(d);
                            let mut changed = true;
                            match existing.get(&new.code) {
                                Some((_, id, first_row)) if *id == self.import_id => {
                                    out.duplicates.push(DuplicateCode {
                                        code: d.code.clone(),
                                        row,
                                        first_row: *first_row as usize,
                                    });
                                    continue;
                                }
                                Some((old, _, _)) if *old == new => {
                                    out.counts.unchanged += 1;
                                    changed = false;
                                }
                                Some((old, _, _)) => {
                                    let old = old.to_dossier()?;
                                    self.deltas.add(&old, -1);
                                    self.deltas.add(d, 1);
                                    out.counts.updated += 1;
                                }
                                None => {
                                    self.deltas.add(d, 1);
                                    out.counts.new += 1;
                                }
                            }
                            // Unchanged rows are marked too: the import marks every code it has
                            // seen, so that a later row with the same code is caught.
                            write.push((row, new, changed));
                        }
                        if write.is_empty()
                            || <$store>::write_dossiers(&mut self.tx, self.import_id, &write).await?
                        {
                            continue;
                        }
                        let write = write.into_iter().map(|(row, d, _)| (row, d)).collect();
                        insert_dossiers(&mut self.tx, self.import_id, write, true).await?;
                    }
                    if self.deltas.len() > sql::MAX_PENDING_DELTAS {
                        write_deltas(&mut self.tx, &mut self.deltas, &mut self.touched).await?;
                    }
                    Ok(out)
                }

                fn sum_in_caller(&mut self) -> bool {
                    self.caller_sums = self.fresh;
                    self.caller_sums
                }

                async fn commit(mut self: Box<Self>, summed: Option<Deltas>) -> Result<()> {
                    debug_assert_eq!(summed.is_some(), self.caller_sums);
                    if let Some(summed) = summed {
                        self.deltas.merge(summed);
                    }
                    let started = std::time::Instant::now();
                    write_deltas(&mut self.tx, &mut self.deltas, &mut self.touched).await?;
                    sqlx::query("DELETE FROM service_totals WHERE received = 0 AND withdrawn = 0")
                        .execute(&mut *self.tx)
                        .await?;
                    refresh_spans(&mut self.tx, &self.touched).await?;
                    let totals = started.elapsed();
                    self.tx.commit().await?;
                    let committed = started.elapsed();
                    <$store>::after_bulk(&self.pool).await;
                    tracing::debug!(
                        totals_ms = totals.as_millis() as u64,
                        commit_ms = (committed - totals).as_millis() as u64,
                        after_ms = (started.elapsed() - committed).as_millis() as u64,
                        "dossier import committed"
                    );
                    Ok(())
                }
            }

            fn procedure_from(r: &DbRow) -> Result<Procedure> {
                let code: String = r.try_get("code")?;
                let bad = |e: String| StoreError::Invalid(format!("bảng procedures, TTHC «{code}»: {e}"));
                let level: String = r.try_get("online_level")?;
                Ok(Procedure {
                    code: ProcedureCode::parse(&code).map_err(bad)?,
                    name: r.try_get("name")?,
                    field: r.try_get("field")?,
                    district: r.try_get::<i64, _>("district")? != 0,
                    commune: r.try_get::<i64, _>("commune")? != 0,
                    online_level: OnlineLevel::parse(&level).map_err(bad)?,
                    has_fee: r.try_get::<i64, _>("has_fee")? != 0,
                    online_payment: r.try_get::<i64, _>("online_payment")? != 0,
                    internal: r.try_get::<i64, _>("internal")? != 0,
                    retired: r.try_get::<i64, _>("retired")? != 0,
                })
            }

            #[async_trait]
            impl ServiceRepository for $store {
                async fn import_procedures(
                    &self,
                    procedures: &[Procedure],
                    whole: Option<&std::collections::HashSet<String>>,
                ) -> Result<ImportCounts> {
                    let mut tx = self.begin_write().await?;
                    let mut counts = ImportCounts { read: procedures.len() as u64, ..Default::default() };
                    for p in procedures {
                        let old = sqlx::query("SELECT * FROM procedures WHERE code = $1")
                            .bind(p.code.as_str())
                            .fetch_optional(&mut *tx)
                            .await?
                            .map(|r| procedure_from(&r))
                            .transpose()?;
                        match old {
                            Some(old) if old == *p => {
                                counts.unchanged += 1;
                                continue;
                            }
                            Some(_) => counts.updated += 1,
                            None => counts.new += 1,
                        }
                        sqlx::query(
                            "INSERT INTO procedures (code, name, field, district, commune,
                                 online_level, has_fee, online_payment, internal, retired)
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                             ON CONFLICT (code) DO UPDATE SET name = excluded.name,
                                 field = excluded.field, district = excluded.district,
                                 commune = excluded.commune, online_level = excluded.online_level,
                                 has_fee = excluded.has_fee,
                                 online_payment = excluded.online_payment,
                                 internal = excluded.internal, retired = excluded.retired",
                        )
                        .bind(p.code.as_str())
                        .bind(&p.name)
                        .bind(&p.field)
                        .bind(i64::from(p.district))
                        .bind(i64::from(p.commune))
                        .bind(p.online_level.code())
                        .bind(i64::from(p.has_fee))
                        .bind(i64::from(p.online_payment))
                        .bind(i64::from(p.internal))
                        .bind(i64::from(p.retired))
                        .execute(&mut *tx)
                        .await?;
                    }
                    if let Some(whole) = whole {
                        let current: Vec<String> =
                            sqlx::query_scalar("SELECT code FROM procedures WHERE retired = 0")
                                .fetch_all(&mut *tx)
                                .await?;
                        for code in current.iter().filter(|c| !whole.contains(c.as_str())) {
                            sqlx::query("UPDATE procedures SET retired = 1 WHERE code = $1")
                                .bind(code)
                                .execute(&mut *tx)
                                .await?;
                            counts.retired += 1;
                        }
                    }
                    tx.commit().await?;
                    Ok(counts)
                }

                async fn list_procedures(&self) -> Result<Vec<Procedure>> {
                    sqlx::query("SELECT * FROM procedures ORDER BY code")
                        .fetch_all(self.pool())
                        .await?
                        .iter()
                        .map(procedure_from)
                        .collect()
                }

                async fn begin_dossier_import(&self, file: &str) -> Result<Box<dyn DossierImport>> {
                    let mut tx = self.begin_write().await?;
                    let import_id: i64 = sqlx::query_scalar(
                        "INSERT INTO service_imports (kind, file, imported_at)
                         VALUES ('dossiers', $1, $2) RETURNING id",
                    )
                    .bind(file)
                    .bind(chrono::Utc::now().to_rfc3339())
                    .fetch_one(&mut *tx)
                    .await?;
                    if let Some(lock) = Self::LOCK_DOSSIERS {
                        sqlx::query(lock).execute(&mut *tx).await?;
                    }
                    let fresh: bool = sqlx::query_scalar::<_, i64>(
                        "SELECT CAST(CASE WHEN EXISTS (SELECT 1 FROM dossiers) THEN 0 ELSE 1 END
                         AS BIGINT)",
                    )
                    .fetch_one(&mut *tx)
                    .await?
                        == 1;
                    Self::prepare_bulk(&mut tx).await?;
                    Ok(Box::new($import {
                        tx,
                        pool: self.pool().clone(),
                        import_id,
                        deltas: Deltas::default(),
                        fresh,
                        caller_sums: false,
                        touched: Default::default(),
                    }))
                }

                async fn service_totals(
                    &self,
                    start: chrono::NaiveDate,
                    end: chrono::NaiveDate,
                    by_month: bool,
                ) -> Result<Vec<TotalsRow>> {
                    // Whole years and quarters from the rolled-up rows, other months from
                    // the month rows, summed here: a GROUP BY made the database sort rows
                    // already in key order. By month, only month rows.
                    let (from, to) = (sql::month_key(start), sql::month_key(end));
                    let pieces = if by_month {
                        vec![sql::TotalsPiece::Months(sql::month_text(from), sql::month_text(to))]
                    } else {
                        sql::totals_pieces(from, to)
                    };
                    let mut rows = Vec::new();
                    for piece in pieces {
                        let (text, first, last) = match piece {
                            sql::TotalsPiece::Months(a, b) => (sql::month_totals_sql(), a, b),
                            sql::TotalsPiece::Spans(a, b) => (sql::span_totals_sql(), a, b),
                        };
                        match <$store>::read_totals(self.pool(), &text, &first, &last).await? {
                            Some(part) => rows.extend(part),
                            None => {
                                for r in sqlx::query(&text)
                                    .bind(&first)
                                    .bind(&last)
                                    .fetch_all(self.pool())
                                    .await?
                                {
                                    let mut a = [0i64; 13];
                                    for (i, v) in a.iter_mut().enumerate() {
                                        *v = r.try_get(3 + i)?;
                                    }
                                    rows.push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, a));
                                }
                            }
                        }
                    }
                    let mut out: Vec<TotalsRow> = Vec::new();
                    let mut at: HashMap<(String, String), usize> = HashMap::new();
                    for (unit, procedure, month, counts) in rows {
                        let tally = Tally::from_array(counts);
                        if by_month {
                            out.push(TotalsRow { unit, procedure, month: Some(month), tally });
                            continue;
                        }
                        match at.entry((unit, procedure)) {
                            std::collections::hash_map::Entry::Occupied(e) => {
                                out[*e.get()].tally.add(&tally)
                            }
                            std::collections::hash_map::Entry::Vacant(e) => {
                                let (unit, procedure) = e.key().clone();
                                e.insert(out.len());
                                out.push(TotalsRow { unit, procedure, month: None, tally });
                            }
                        }
                    }
                    Ok(out)
                }

                async fn all_service_totals(&self) -> Result<Vec<(String, String, String, Tally)>> {
                    sqlx::query(
                        "SELECT * FROM service_totals ORDER BY month, unit_id, procedure_code",
                    )
                    .fetch_all(self.pool())
                    .await?
                    .iter()
                    .map(|r| {
                        Ok((
                            r.try_get("unit_id")?,
                            r.try_get("procedure_code")?,
                            r.try_get("month")?,
                            tally_from(r)?,
                        ))
                    })
                    .collect()
                }

                async fn recompute_service_totals(&self) -> Result<u64> {
                    let mut tx = self.begin_write().await?;
                    sqlx::query("DELETE FROM service_totals").execute(&mut *tx).await?;
                    // Grains are few (units × procedures × months): they fit in memory where
                    // the dossiers, read a page at a time, need not.
                    let mut deltas = Deltas::default();
                    let mut after = String::new();
                    loop {
                        let page = sqlx::query(&format!(
                            "SELECT {DOSSIER_COLUMNS} FROM dossiers WHERE code > $1
                             ORDER BY code LIMIT 10000"
                        ))
                        .bind(&after)
                        .fetch_all(&mut *tx)
                        .await?;
                        let Some(last) = page.last() else { break };
                        after = last.try_get("code")?;
                        for r in &page {
                            let d = dossier_row(r)?.to_dossier()?;
                            deltas.add(&d, 1);
                        }
                    }
                    let rows = deltas.len() as u64;
                    let mut touched = Default::default();
                    write_deltas(&mut tx, &mut deltas, &mut touched).await?;
                    sqlx::query("DELETE FROM service_totals_span").execute(&mut *tx).await?;
                    refresh_spans(&mut tx, &touched).await?;
                    tx.commit().await?;
                    Ok(rows)
                }

                async fn list_dossiers(&self, query: &DossierQuery) -> Result<DossierPage> {
                    let Some(from) = dossier_filter(query) else {
                        return Ok(DossierPage { total: 0, dossiers: Vec::new() });
                    };
                    let count_sql = format!("SELECT COUNT(*) {from}");
                    let total: i64 = bind_filter(sqlx::query_scalar(&count_sql), query)
                        .fetch_one(self.pool())
                        .await?;
                    let limit = query.limit.map(|l| l as i64).unwrap_or(i64::MAX);
                    let page_sql = format!("{} LIMIT {limit} OFFSET {}", dossier_select(&from), query.offset);
                    let rows = bind_filter(sqlx::query(&page_sql), query)
                        .fetch_all(self.pool())
                        .await?;
                    let dossiers = rows
                        .iter()
                        .map(|r| dossier_row(r)?.to_dossier())
                        .collect::<Result<Vec<_>>>()?;
                    Ok(DossierPage { total: total as u64, dossiers })
                }

                async fn for_each_dossier(
                    &self,
                    query: &DossierQuery,
                    f: &mut (dyn FnMut(cchc_domain::service::Dossier) -> Result<()> + Send),
                ) -> Result<u64> {
                    use futures_util::TryStreamExt;
                    let Some(from) = dossier_filter(query) else { return Ok(0) };
                    let text = dossier_select(&from);
                    let mut rows = bind_filter(sqlx::query(&text), query).fetch(self.pool());
                    let mut n = 0;
                    while let Some(r) = rows.try_next().await? {
                        f(dossier_row(&r)?.to_dossier()?)?;
                        n += 1;
                    }
                    Ok(n)
                }

                async fn count_dossiers(&self) -> Result<u64> {
                    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM dossiers")
                        .fetch_one(self.pool())
                        .await?;
                    Ok(n as u64)
                }
            }
        };
    };
}

pub(crate) use impl_service_repository;

#[cfg(test)]
mod tests {
    use super::{spans_of, totals_pieces, TotalsPiece};

    fn months(p: &TotalsPiece) -> Vec<i64> {
        let key = |s: &str| s[..4].parse::<i64>().unwrap() * 100;
        let (a, b) = match p {
            TotalsPiece::Months(a, b) => (
                key(a) + a[5..].parse::<i64>().unwrap(),
                key(b) + b[5..].parse::<i64>().unwrap(),
            ),
            TotalsPiece::Spans(a, b) if a.len() == 4 => {
                assert_eq!(a, b, "one year per piece");
                (key(a) + 1, key(a) + 12)
            }
            TotalsPiece::Spans(a, b) => {
                assert_eq!(a[..4], b[..4], "quarters of one year");
                let q = |s: &str| s[6..].parse::<i64>().unwrap();
                (key(a) + q(a) * 3 - 2, key(b) + q(b) * 3)
            }
        };
        (a..=b).filter(|m| (1..=12).contains(&(m % 100))).collect()
    }

    #[test]
    fn a_run_of_months_splits_into_years_quarters_and_months() {
        let m = |a: &str, b: &str| TotalsPiece::Months(a.into(), b.into());
        let s = |a: &str, b: &str| TotalsPiece::Spans(a.into(), b.into());
        assert_eq!(totals_pieces(202401, 202412), [s("2024", "2024")]);
        assert_eq!(totals_pieces(202404, 202406), [s("2024-Q2", "2024-Q2")]);
        assert_eq!(totals_pieces(202401, 202409), [s("2024-Q1", "2024-Q3")]);
        assert_eq!(totals_pieces(202405, 202405), [m("2024-05", "2024-05")]);
        assert_eq!(
            totals_pieces(202402, 202411),
            [
                m("2024-02", "2024-03"),
                s("2024-Q2", "2024-Q3"),
                m("2024-10", "2024-11")
            ]
        );
        assert_eq!(
            totals_pieces(202311, 202412),
            [m("2023-11", "2023-12"), s("2024", "2024")]
        );
        // Every run, over three years: the pieces hold each of its months once, in order.
        let all: Vec<i64> = (2023..=2025)
            .flat_map(|y| (1..=12).map(move |mo| y * 100 + mo))
            .collect();
        for (i, &from) in all.iter().enumerate() {
            for &to in &all[i..] {
                let got: Vec<i64> = totals_pieces(from, to).iter().flat_map(months).collect();
                let want: Vec<i64> = all
                    .iter()
                    .copied()
                    .filter(|m| (from..=to).contains(m))
                    .collect();
                assert_eq!(got, want, "{from}..{to}");
            }
        }
    }

    #[test]
    fn changed_months_name_their_quarter_and_year() {
        assert_eq!(
            spans_of([202402, 202403, 202312]),
            [
                ("2023".into(), "2023-01".into(), "2023-12".into()),
                ("2023-Q4".into(), "2023-10".into(), "2023-12".into()),
                ("2024".into(), "2024-01".into(), "2024-12".into()),
                ("2024-Q1".into(), "2024-01".into(), "2024-03".into()),
            ]
        );
    }
}
