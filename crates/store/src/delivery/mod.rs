//! Service delivery in the store (dịch vụ công): the catalogue, dossiers and running totals.
//!
//! Kept apart from the plan repository (its own trait, SQL and migration) so that it merges
//! cleanly with work on other areas. The SQL is in [`sql`].

use async_trait::async_trait;
use cchc_domain::service::{
    parse_datetime, Channel, Dossier, DossierCode, DossierStatus, Procedure, ProcedureCode, Rating,
    RatioPart, ServiceMeasure, Tally,
};
use cchc_domain::UnitId;
use chrono::NaiveDate;
use serde::Serialize;

use crate::{Result, StoreError};
pub use sql::Deltas;

pub(crate) mod sql;

/// What an import did: read, new, updated, unchanged (and, filled by the caller, rejected).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    pub read: u64,
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
    /// Procedures a whole-catalogue import marked retired (đánh dấu bãi bỏ).
    pub retired: u64,
}

impl ImportCounts {
    pub fn add(&mut self, o: &ImportCounts) {
        self.read += o.read;
        self.new += o.new;
        self.updated += o.updated;
        self.unchanged += o.unchanged;
        self.rejected += o.rejected;
        self.retired += o.retired;
    }
}

/// A code already seen in this import: its row now and the row that first had it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateCode {
    pub code: DossierCode,
    pub row: usize,
    pub first_row: usize,
}

/// A batch's result.
#[derive(Debug, Clone, Default)]
pub struct BatchOutcome {
    pub counts: ImportCounts,
    pub duplicates: Vec<DuplicateCode>,
}

/// Một lần nhập hồ sơ — an open import: one write transaction fed batch by batch.
/// Dropping it without [`DossierImport::commit`] stores nothing.
#[async_trait]
pub trait DossierImport: Send {
    /// Stores a batch of (row, dossier): new codes are inserted, changed ones replaced (their
    /// old contribution leaves the totals, the new one enters), identical ones left alone.
    /// A code already seen in this import is not stored and comes back as a duplicate.
    async fn add(&mut self, batch: &[(usize, Dossier)]) -> Result<BatchOutcome>;
    /// Whether the caller may sum the rows' totals itself (on the thread that reads the file,
    /// off the one that writes): true for a fresh import, one that began on an empty dossier
    /// table, which stores every row as new but a duplicate code. Once this has returned true
    /// the import no longer sums: [`DossierImport::add`] only takes a duplicate's contribution
    /// back out, and the caller's sum of every row it passed goes to [`DossierImport::commit`].
    fn sum_in_caller(&mut self) -> bool;
    /// Writes the remaining totals, with `summed` (the caller's sum, when
    /// [`DossierImport::sum_in_caller`] said so), and commits.
    async fn commit(self: Box<Self>, summed: Option<Deltas>) -> Result<()>;
}

/// Tổng số liệu — a row of totals summed over a span: per unit and procedure, and per month
/// when asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotalsRow {
    pub unit: String,
    pub procedure: String,
    /// `YYYY-MM`, when grouped by month.
    pub month: Option<String>,
    pub tally: Tally,
}

/// The dossiers behind a figure.
#[derive(Debug, Clone, PartialEq)]
pub struct DossierQuery {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Only these receiving units; `None` for every unit.
    pub units: Option<Vec<UnitId>>,
    /// Only this part of this measure; `None` for every dossier received (withdrawn too).
    pub measure: Option<(ServiceMeasure, RatioPart)>,
    /// Only dossiers whose code or procedure contains this text.
    pub search: Option<String>,
    pub offset: u64,
    /// At most this many; `None` for all (exports).
    pub limit: Option<u64>,
}

/// One page of a dossier list and the count of the whole list.
#[derive(Debug, Clone, PartialEq)]
pub struct DossierPage {
    pub total: u64,
    pub dossiers: Vec<Dossier>,
}

/// The service-delivery queries, on either database.
#[async_trait]
pub trait ServiceRepository: Send + Sync {
    /// Upserts the catalogue by code in one transaction. With `whole` (the codes of every row
    /// of a file that is the whole catalogue, rejected rows included), every stored procedure
    /// whose code is not among them is marked retired (`ImportCounts::retired`); a listed one
    /// that was retired comes back.
    async fn import_procedures(
        &self,
        procedures: &[Procedure],
        whole: Option<&std::collections::HashSet<String>>,
    ) -> Result<ImportCounts>;
    /// The catalogue, by code, retired procedures included.
    async fn list_procedures(&self) -> Result<Vec<Procedure>>;
    /// Opens a dossier import (one write transaction) for a file.
    async fn begin_dossier_import(&self, file: &str) -> Result<Box<dyn DossierImport>>;
    /// Totals summed over the months that hold `start` and `end` (periods are whole months), per
    /// unit and procedure (and month).
    async fn service_totals(
        &self,
        start: NaiveDate,
        end: NaiveDate,
        by_month: bool,
    ) -> Result<Vec<TotalsRow>>;
    /// Every totals row as stored (unit, procedure, month, counts), for checking the
    /// incremental path against a recompute.
    async fn all_service_totals(&self) -> Result<Vec<(String, String, String, Tally)>>;
    /// Rebuilds the totals from the dossiers, in one transaction; returns the rows written.
    async fn recompute_service_totals(&self) -> Result<u64>;
    /// The dossiers behind a figure, ordered by day received then code.
    async fn list_dossiers(&self, query: &DossierQuery) -> Result<DossierPage>;
    /// Every dossier of the list `query` names (its offset and limit aside), in list order,
    /// handed to `f` one at a time as the database reads them: one query, no count, and
    /// memory that does not grow with the list (an export). Returns how many.
    async fn for_each_dossier(
        &self,
        query: &DossierQuery,
        f: &mut (dyn FnMut(Dossier) -> Result<()> + Send),
    ) -> Result<u64>;
    /// How many dossiers are stored.
    async fn count_dossiers(&self) -> Result<u64>;
}

/// A dossier as its row stores it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub(crate) struct DossierRow {
    pub code: String,
    pub procedure_code: String,
    pub unit_id: String,
    pub channel: String,
    pub received_at: String,
    pub received_on: String,
    pub due_at: String,
    pub due_on: String,
    pub returned_at: Option<String>,
    pub returned_on: Option<String>,
    pub status: String,
    pub inputs_digitized: i64,
    pub results_digitized: i64,
    pub data_reused: i64,
    pub paid_online: i64,
    pub rating: Option<String>,
    pub apology: i64,
}

/// How many columns [`DOSSIER_WRITE_COLUMNS`] names.
pub(crate) const DOSSIER_WRITE_COUNT: usize = 17;

/// The columns an insert writes: the days (`*_on`) are computed from the times by the database.
pub(crate) const DOSSIER_WRITE_COLUMNS: &str = "code, procedure_code, unit_id, channel, \
     received_at, due_at, returned_at, status, inputs_digitized, results_digitized, data_reused, \
     paid_online, rating, apology, received_month, import_id, import_row";

pub(crate) const DOSSIER_COLUMNS: &str = "code, procedure_code, unit_id, channel, received_at, \
     received_on, due_at, due_on, returned_at, returned_on, status, inputs_digitized, \
     results_digitized, data_reused, paid_online, rating, apology";

/// A date-time as the store writes it, `YYYY-MM-DD HH:MM:SS`.
pub(crate) type DateTimeText = [u8; 19];

/// Writes `t` into `buf` as the store compares date-times, and returns it; its first ten bytes
/// are the day. By hand, without allocating: chrono's `format` parses its pattern on every
/// call, and an import writes three date-times per dossier.
pub(crate) fn write_datetime(t: chrono::NaiveDateTime, buf: &mut DateTimeText) -> &str {
    use chrono::{Datelike, Timelike};
    let put = |buf: &mut DateTimeText, at: usize, n: u32, width: usize| {
        let mut n = n;
        for i in (0..width).rev() {
            buf[at + i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
    };
    *buf = *b"0000-00-00 00:00:00";
    put(buf, 0, t.year() as u32, 4);
    put(buf, 5, t.month(), 2);
    put(buf, 8, t.day(), 2);
    put(buf, 11, t.hour(), 2);
    put(buf, 14, t.minute(), 2);
    put(buf, 17, t.second(), 2);
    std::str::from_utf8(buf).expect("ASCII digits")
}

impl DossierRow {
    pub fn of(d: &Dossier) -> DossierRow {
        let mut buf = DateTimeText::default();
        let mut dt = |t| write_datetime(t, &mut buf).to_string();
        let (received_at, due_at) = (dt(d.received), dt(d.due));
        let returned_at = d.returned.map(dt);
        let day = |t: &str| t[..10].to_string();
        DossierRow {
            code: d.code.to_string(),
            procedure_code: d.procedure.to_string(),
            unit_id: d.unit.to_string(),
            channel: d.channel.code().to_string(),
            received_on: day(&received_at),
            received_at,
            due_on: day(&due_at),
            due_at,
            returned_on: returned_at.as_deref().map(day),
            returned_at,
            status: d.status.code().to_string(),
            inputs_digitized: d.inputs_digitized.into(),
            results_digitized: d.results_digitized.into(),
            data_reused: d.data_reused.into(),
            paid_online: d.paid_online.into(),
            rating: d.rating.map(|r| r.code().to_string()),
            apology: d.apology.into(),
        }
    }

    pub fn to_dossier(&self) -> Result<Dossier> {
        let bad =
            |e: String| StoreError::Invalid(format!("bảng dossiers, hồ sơ «{}»: {e}", self.code));
        Ok(Dossier {
            code: DossierCode::parse(&self.code).map_err(bad)?,
            procedure: ProcedureCode::parse(&self.procedure_code).map_err(bad)?,
            unit: UnitId::parse(&self.unit_id).map_err(bad)?,
            channel: Channel::parse(&self.channel).map_err(bad)?,
            received: parse_datetime(&self.received_at).map_err(bad)?,
            due: parse_datetime(&self.due_at).map_err(bad)?,
            returned: self
                .returned_at
                .as_deref()
                .map(parse_datetime)
                .transpose()
                .map_err(bad)?,
            status: DossierStatus::parse(&self.status).map_err(bad)?,
            inputs_digitized: self.inputs_digitized != 0,
            results_digitized: self.results_digitized != 0,
            data_reused: self.data_reused != 0,
            paid_online: self.paid_online != 0,
            rating: self
                .rating
                .as_deref()
                .map(Rating::parse)
                .transpose()
                .map_err(bad)?,
            apology: self.apology != 0,
        })
    }
}

/// The SQL condition selecting a part of a measure, over `dossiers d JOIN procedures p`: the
/// per-dossier form of `ServiceMeasure::ratio_of` (a test holds the two together).
pub(crate) fn measure_condition(m: ServiceMeasure, part: RatioPart) -> String {
    let population = "d.status <> 'rut'";
    let decided = "d.status IN ('da_tra', 'tu_choi') AND d.returned_on IS NOT NULL";
    let (den, num) = match m {
        ServiceMeasure::ResultsDigitizedRate => {
            ("d.status = 'da_tra'".to_string(), "d.results_digitized = 1")
        }
        ServiceMeasure::InputsDigitizedRate => (population.into(), "d.inputs_digitized = 1"),
        ServiceMeasure::OnlineRate => (
            format!("{population} AND p.online_level IN ('toan_trinh', 'mot_phan')"),
            "d.channel = 'truc_tuyen'",
        ),
        ServiceMeasure::FullOnlineRate => (
            format!("{population} AND p.online_level = 'toan_trinh'"),
            "d.channel = 'truc_tuyen'",
        ),
        ServiceMeasure::DataReuseRate => (population.into(), "d.data_reused = 1"),
        ServiceMeasure::OnlinePaymentRate => (
            format!("{population} AND p.has_fee = 1"),
            "d.paid_online = 1",
        ),
        ServiceMeasure::SatisfactionRate => (
            format!("{population} AND d.rating IS NOT NULL"),
            "d.rating IN ('rat_hai_long', 'hai_long')",
        ),
        ServiceMeasure::OnTimeRate => (decided.into(), "d.returned_on <= d.due_on"),
        ServiceMeasure::LateApologyRate => (
            format!("{decided} AND d.returned_on > d.due_on"),
            "d.apology = 1",
        ),
    };
    match part {
        RatioPart::Denominator => den,
        RatioPart::Numerator => format!("{den} AND {num}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_are_written_as_the_store_compares_them() {
        let mut buf = [0u8; 19];
        let t = cchc_domain::service::parse_datetime("05/01/2024 07:08:09").unwrap();
        let s = write_datetime(t, &mut buf);
        assert_eq!(s, "2024-01-05 07:08:09");
        assert_eq!(s, t.format("%Y-%m-%d %H:%M:%S").to_string());
        assert_eq!(&s[..10], "2024-01-05");
    }
}
