//! Procedure catalogue and dossier files (danh mục TTHC, hồ sơ): CSV or XLSX, read row by row.
//!
//! Columns are found by their code (`ma_ho_so`) or Vietnamese label (`Mã hồ sơ`), compared
//! without case or diacritics; a [`ColumnMap`] maps any other header. Each row is parsed into
//! a domain type or into every [`LocatedError`] it has (file, row, column, value, reason).
//! Nothing here holds more than one row: memory stays flat however long the file is.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use cchc_domain::service::{
    parse_bool, parse_datetime, Channel, Dossier, DossierCode, DossierStatus, OnlineLevel,
    Procedure, ProcedureCode, Rating,
};
use cchc_domain::text::{clean, fold};
use cchc_domain::UnitId;

/// Lỗi có vị trí — one problem of a row: file, row (the header is row 1), column, value, reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocatedError {
    pub file: String,
    pub row: usize,
    pub column: String,
    pub value: String,
    pub reason: String,
}

impl fmt::Display for LocatedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        // Row 0 is the file as a whole (it cannot be opened, say), not a line of it.
        if self.row > 0 {
            write!(f, ", dòng {}", self.row)?;
        }
        if !self.column.is_empty() {
            write!(f, ", cột «{}»", self.column)?;
        }
        if !self.value.is_empty() {
            write!(f, ", giá trị «{}»", self.value)?;
        }
        write!(f, ": {}", self.reason)
    }
}

impl std::error::Error for LocatedError {}

/// A column of the spec: its code and its Vietnamese label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub code: &'static str,
    pub label: &'static str,
    /// A column the file may leave out; its cells then read as empty.
    pub optional: bool,
}

pub(crate) const fn col(code: &'static str, label: &'static str) -> Column {
    Column {
        code,
        label,
        optional: false,
    }
}

pub(crate) const fn optional_col(code: &'static str, label: &'static str) -> Column {
    Column {
        code,
        label,
        optional: true,
    }
}

/// The catalogue's columns, in the spec's order.
pub const CATALOG_COLUMNS: [Column; 8] = [
    col("ma_tthc", "Mã TTHC"),
    col("ten_tthc", "Tên TTHC"),
    col("linh_vuc", "Lĩnh vực"),
    col("cap_thuc_hien", "Cấp thực hiện"),
    col("muc_do_dvc", "Mức độ DVC"),
    col("co_nghia_vu_tai_chinh", "Có phí, lệ phí"),
    col("thanh_toan_truc_tuyen", "Thanh toán trực tuyến"),
    col("noi_bo", "TTHC nội bộ"),
];

/// The dossier file's columns, in the spec's order.
pub const DOSSIER_COLUMNS: [Column; 14] = [
    col("ma_ho_so", "Mã hồ sơ"),
    col("ma_tthc", "Mã TTHC"),
    col("ma_don_vi", "Đơn vị tiếp nhận"),
    col("kenh_nop", "Hình thức nộp"),
    col("ngay_tiep_nhan", "Ngày tiếp nhận"),
    col("han_tra", "Ngày hẹn trả"),
    col("ngay_tra", "Ngày trả kết quả"),
    col("trang_thai", "Trạng thái"),
    col("so_hoa_ho_so", "Số hóa thành phần hồ sơ"),
    col("so_hoa_ket_qua", "Số hóa kết quả"),
    col("tai_su_dung", "Tái sử dụng dữ liệu"),
    col("da_thanh_toan_truc_tuyen", "Đã thanh toán trực tuyến"),
    col("danh_gia", "Đánh giá"),
    col("xin_loi", "Thư xin lỗi"),
];

/// Ánh xạ cột — headers of the user's file mapped to column codes (`--columns`).
#[derive(Debug, Clone, Default)]
pub struct ColumnMap(HashMap<String, String>);

impl ColumnMap {
    /// Parses `Tiêu đề A=ma_ho_so;Tiêu đề B=ngay_tiep_nhan` (`;` or new lines between pairs).
    pub fn parse(s: &str) -> Result<ColumnMap, String> {
        let mut map = HashMap::new();
        for pair in s
            .split([';', '\n'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let Some((header, code)) = pair.rsplit_once('=') else {
                return Err(format!(
                    "ánh xạ cột «{pair}» không hợp lệ; dùng dạng «Tiêu đề trong tệp=mã_cột», \
                     các cặp cách nhau bởi dấu ;"
                ));
            };
            map.insert(fold(header), code.trim().to_string());
        }
        Ok(ColumnMap(map))
    }
}

/// A header row resolved: for each spec column, its index in the record.
#[derive(Debug, Clone)]
struct Header {
    index: Vec<usize>,
}

fn resolve_header(
    file: &str,
    headers: &[String],
    columns: &[Column],
    map: &ColumnMap,
) -> Result<Header, LocatedError> {
    let mut found: Vec<Option<usize>> = vec![None; columns.len()];
    for (i, h) in headers.iter().enumerate() {
        let key = fold(h.trim_start_matches('\u{feff}'));
        let code = map.0.get(&key).map(|c| fold(c)).unwrap_or(key);
        if let Some(c) = columns
            .iter()
            .position(|c| code == c.code || code == fold(c.label))
        {
            found[c].get_or_insert(i);
        }
    }
    let missing: Vec<String> = columns
        .iter()
        .zip(&found)
        .filter(|(c, f)| f.is_none() && !c.optional)
        .map(|(c, _)| format!("{} ({})", c.code, c.label))
        .collect();
    if !missing.is_empty() {
        return Err(LocatedError {
            file: file.to_string(),
            row: 1,
            column: String::new(),
            value: String::new(),
            reason: format!(
                "dòng tiêu đề thiếu cột: {}; các cột có trong tệp: {}. Đổi tên cột hoặc dùng \
                 --columns \"Tiêu đề=mã_cột\" để ánh xạ",
                missing.join(", "),
                if headers.is_empty() {
                    "(không có)".to_string()
                } else {
                    headers.join(", ")
                }
            ),
        });
    }
    // An absent optional column points past every record: its cells read as empty.
    Ok(Header {
        index: found.into_iter().map(|f| f.unwrap_or(usize::MAX)).collect(),
    })
}

/// A source of records: a CSV stream or an XLSX sheet, one row at a time.
enum Records {
    Csv(csv::Reader<Box<dyn Read + Send>>, csv::StringRecord),
    Xlsx(Box<dyn Iterator<Item = Result<Vec<String>, String>> + Send>),
}

/// Tệp dữ liệu — an open catalogue or dossier file, read row by row.
pub struct RowReader {
    file: String,
    records: Records,
    header: Header,
    columns: &'static [Column],
    /// The 1-based row of the last record read (the header is row 1).
    row: usize,
    /// Bytes read so far and the file's size, for progress.
    size: u64,
}

/// One data row: its number, its raw cells in the spec's column order, and the cells as read.
#[derive(Debug, Clone)]
pub struct RawRow {
    pub row: usize,
    pub cells: Vec<String>,
}

impl RowReader {
    /// Opens a file (CSV, or XLSX by its `.xlsx` extension) with the spec's columns.
    pub fn open(
        path: &Path,
        columns: &'static [Column],
        map: &ColumnMap,
    ) -> Result<RowReader, LocatedError> {
        let name = path.display().to_string();
        let fail = |reason: String| LocatedError {
            file: name.clone(),
            row: 0,
            column: String::new(),
            value: String::new(),
            reason,
        };
        let size = std::fs::metadata(path)
            .map(|m| m.len())
            .map_err(|e| fail(format!("không đọc được tệp: {}", crate::io_reason_vi(&e))))?;
        let is_xlsx = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        if is_xlsx {
            let rows = crate::xlsx_rows::open(path).map_err(fail)?;
            return Self::from_xlsx(name, rows, size, columns, map);
        }
        let f = File::open(path)
            .map_err(|e| fail(format!("không mở được tệp: {}", crate::io_reason_vi(&e))))?;
        Self::from_csv(
            name,
            Box::new(BufReader::with_capacity(1 << 16, f)),
            size,
            columns,
            map,
        )
    }

    /// Reads CSV from any stream; `name` is how errors name the file.
    pub fn from_csv(
        name: String,
        input: Box<dyn Read + Send>,
        size: u64,
        columns: &'static [Column],
        map: &ColumnMap,
    ) -> Result<RowReader, LocatedError> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        let mut first = csv::StringRecord::new();
        let empty = || LocatedError {
            file: name.clone(),
            row: 1,
            column: String::new(),
            value: String::new(),
            reason: "tệp trống: không có dòng tiêu đề".into(),
        };
        match rdr.read_record(&mut first) {
            Ok(true) => {}
            Ok(false) => return Err(empty()),
            Err(e) => return Err(csv_error(&name, 1, e)),
        }
        let headers: Vec<String> = first.iter().map(clean).collect();
        if headers
            .iter()
            .all(|h| h.trim_start_matches('\u{feff}').is_empty())
        {
            return Err(empty());
        }
        let header = resolve_header(&name, &headers, columns, map)?;
        Ok(RowReader {
            file: name,
            records: Records::Csv(rdr, csv::StringRecord::new()),
            header,
            columns,
            row: 1,
            size,
        })
    }

    fn from_xlsx(
        name: String,
        mut rows: Box<dyn Iterator<Item = Result<Vec<String>, String>> + Send>,
        size: u64,
        columns: &'static [Column],
        map: &ColumnMap,
    ) -> Result<RowReader, LocatedError> {
        let headers = match rows.next() {
            None => {
                return Err(LocatedError {
                    file: name,
                    row: 1,
                    column: String::new(),
                    value: String::new(),
                    reason: "tệp trống: không có dòng tiêu đề".into(),
                })
            }
            Some(Err(e)) => {
                return Err(LocatedError {
                    file: name,
                    row: 1,
                    column: String::new(),
                    value: String::new(),
                    reason: e,
                })
            }
            Some(Ok(h)) => h.iter().map(|h| clean(h)).collect::<Vec<_>>(),
        };
        let header = resolve_header(&name, &headers, columns, map)?;
        Ok(RowReader {
            file: name,
            records: Records::Xlsx(rows),
            header,
            columns,
            row: 1,
            size,
        })
    }

    pub fn file(&self) -> &str {
        &self.file
    }

    /// Bytes read so far and the file's size (for XLSX, rows give no byte position: 0).
    pub fn progress(&self) -> (u64, u64) {
        match &self.records {
            Records::Csv(r, _) => (r.position().byte(), self.size),
            Records::Xlsx(_) => (0, self.size),
        }
    }

    /// The next data row, skipping rows whose cells are all empty; `None` at the end.
    pub fn next_row(&mut self) -> Option<Result<RawRow, LocatedError>> {
        let mut row = RawRow {
            row: 0,
            cells: Vec::new(),
        };
        match self.next_into(&mut row)? {
            Ok(()) => Some(Ok(row)),
            Err(e) => Some(Err(e)),
        }
    }

    /// [`Self::next_row`] into a row kept by the caller: its cells' buffers are reused, so a
    /// long file is read without an allocation per cell.
    pub fn next_into(&mut self, out: &mut RawRow) -> Option<Result<(), LocatedError>> {
        out.cells.resize_with(self.header.index.len(), String::new);
        loop {
            self.row += 1;
            out.row = self.row;
            let index = &self.header.index;
            match &mut self.records {
                Records::Csv(rdr, rec) => match rdr.read_record(rec) {
                    Ok(false) => return None,
                    Ok(true) => fill(&mut out.cells, index, |i| rec.get(i)),
                    Err(e) => return Some(Err(csv_error(&self.file, self.row, e))),
                },
                Records::Xlsx(rows) => match rows.next()? {
                    Ok(r) => fill(&mut out.cells, index, |i| r.get(i).map(String::as_str)),
                    Err(e) => {
                        return Some(Err(LocatedError {
                            file: self.file.clone(),
                            row: self.row,
                            column: String::new(),
                            value: String::new(),
                            reason: e,
                        }))
                    }
                },
            };
            if out.cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            return Some(Ok(()));
        }
    }

    /// The column codes, in the order of [`RawRow::cells`].
    pub fn columns(&self) -> &'static [Column] {
        self.columns
    }
}

/// Copies the cells at `index` into `cells`, reusing their buffers.
fn fill<'a>(cells: &mut [String], index: &[usize], get: impl Fn(usize) -> Option<&'a str>) {
    for (cell, &i) in cells.iter_mut().zip(index) {
        cell.clear();
        cell.push_str(get(i).unwrap_or(""));
    }
}

fn csv_error(file: &str, row: usize, e: csv::Error) -> LocatedError {
    let reason = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => {
            "tệp không phải văn bản UTF-8; hãy lưu lại tệp với bảng mã UTF-8".to_string()
        }
        _ => format!("dòng CSV không đọc được: {e}"),
    };
    LocatedError {
        file: file.to_string(),
        row,
        column: String::new(),
        value: String::new(),
        reason,
    }
}

/// Collects the errors of one row.
struct RowCheck<'a> {
    file: &'a str,
    row: &'a RawRow,
    columns: &'static [Column],
    errors: Vec<LocatedError>,
}

impl RowCheck<'_> {
    fn cell(&self, i: usize) -> &str {
        self.row.cells[i].trim()
    }

    fn push(&mut self, i: usize, reason: String) {
        self.errors.push(LocatedError {
            file: self.file.to_string(),
            row: self.row.row,
            column: self.columns[i].code.to_string(),
            value: self.cell(i).to_string(),
            reason,
        });
    }

    fn take<T>(&mut self, i: usize, r: Result<T, String>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.push(i, e);
                None
            }
        }
    }
}

/// Parses one catalogue row (columns in [`CATALOG_COLUMNS`] order).
pub fn parse_procedure(file: &str, row: &RawRow) -> Result<Procedure, Vec<LocatedError>> {
    let mut c = RowCheck {
        file,
        row,
        columns: &CATALOG_COLUMNS,
        errors: Vec::new(),
    };
    let code = c.take(0, ProcedureCode::parse(c.cell(0)));
    let name = clean(c.cell(1));
    if name.is_empty() {
        c.push(1, "tên TTHC trống".into());
    }
    let levels = {
        let v = fold(c.cell(3));
        let parts: Vec<&str> = v.split([',', ';']).map(str::trim).collect();
        if parts.iter().all(|p| *p == "huyen" || *p == "xa") {
            Some((parts.contains(&"huyen"), parts.contains(&"xa")))
        } else {
            c.push(3, "cấp thực hiện phải là huyen, xa hoặc huyen,xa".into());
            None
        }
    };
    let online = c.take(4, OnlineLevel::parse(c.cell(4)));
    let fee = c.take(5, parse_bool(c.cell(5)));
    let pay = c.take(6, parse_bool(c.cell(6)));
    let internal = c.take(7, parse_bool(c.cell(7)));
    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    let (district, commune) = levels.expect("no error");
    Ok(Procedure {
        code: code.expect("no error"),
        name,
        field: clean(c.cell(2)),
        district,
        commune,
        online_level: online.expect("no error"),
        has_fee: fee.expect("no error"),
        online_payment: pay.expect("no error"),
        internal: internal.expect("no error"),
        retired: false,
    })
}

/// What a dossier row is checked against: the catalogue and the unit registry.
pub struct DossierContext {
    pub procedures: HashSet<ProcedureCode>,
    pub units: HashSet<UnitId>,
}

/// Parses one dossier row (columns in [`DOSSIER_COLUMNS`] order).
pub fn parse_dossier(
    file: &str,
    row: &RawRow,
    ctx: &DossierContext,
) -> Result<Dossier, Vec<LocatedError>> {
    let mut c = RowCheck {
        file,
        row,
        columns: &DOSSIER_COLUMNS,
        errors: Vec::new(),
    };
    let code = c.take(0, DossierCode::parse(c.cell(0)));
    let procedure = c.take(1, ProcedureCode::parse(c.cell(1)));
    if let Some(p) = &procedure {
        if !ctx.procedures.contains(p) {
            c.push(
                1,
                format!("TTHC «{p}» không có trong danh mục; hãy nhập danh mục TTHC trước"),
            );
        }
    }
    let unit = c.take(2, UnitId::parse(c.cell(2)));
    if let Some(u) = &unit {
        if !ctx.units.contains(u) {
            c.push(2, format!("đơn vị «{u}» không có trong danh mục đơn vị"));
        }
    }
    let channel = c.take(3, Channel::parse(c.cell(3)));
    let received = c.take(4, parse_datetime(c.cell(4)));
    let due = c.take(5, parse_datetime(c.cell(5)));
    let returned = if c.cell(6).is_empty() {
        Some(None)
    } else {
        c.take(6, parse_datetime(c.cell(6)).map(Some))
    };
    let status = c.take(7, DossierStatus::parse(c.cell(7)));
    let inputs = c.take(8, parse_bool(c.cell(8)));
    let results = c.take(9, parse_bool(c.cell(9)));
    let reused = c.take(10, parse_bool(c.cell(10)));
    let paid = c.take(11, parse_bool(c.cell(11)));
    let rating = if c.cell(12).is_empty() {
        Some(None)
    } else {
        c.take(12, Rating::parse(c.cell(12)).map(Some))
    };
    let apology = c.take(13, parse_bool(c.cell(13)));
    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    Ok(Dossier {
        code: code.expect("no error"),
        procedure: procedure.expect("no error"),
        unit: unit.expect("no error"),
        channel: channel.expect("no error"),
        received: received.expect("no error"),
        due: due.expect("no error"),
        returned: returned.expect("no error"),
        status: status.expect("no error"),
        inputs_digitized: inputs.expect("no error"),
        results_digitized: results.expect("no error"),
        data_reused: reused.expect("no error"),
        paid_online: paid.expect("no error"),
        rating: rating.expect("no error"),
        apology: apology.expect("no error"),
    })
}

/// Danh sách lỗi — the errors of a refused file: the first 100 kept, the rest counted.
#[derive(Debug, Clone, Default)]
pub struct ErrorList {
    pub shown: Vec<LocatedError>,
    pub total: usize,
}

impl ErrorList {
    pub const LIMIT: usize = 100;

    pub fn push(&mut self, e: LocatedError) {
        self.total += 1;
        if self.shown.len() < Self::LIMIT {
            self.shown.push(e);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }
}

impl fmt::Display for ErrorList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "tệp có {} lỗi, không nhập gì:", self.total)?;
        for e in &self.shown {
            writeln!(f, "  {e}")?;
        }
        let more = self.total - self.shown.len();
        if more > 0 {
            writeln!(f, "  … và {more} lỗi khác")?;
        }
        Ok(())
    }
}

/// Writes rejected rows with their reasons: the spec's columns, then `dong` and `ly_do`.
pub struct RejectWriter<W: std::io::Write> {
    out: csv::Writer<W>,
}

impl<W: std::io::Write> RejectWriter<W> {
    pub fn new(out: W, columns: &[Column]) -> csv::Result<Self> {
        let mut out = csv::Writer::from_writer(out);
        let mut header: Vec<&str> = columns.iter().map(|c| c.code).collect();
        header.extend(["dong", "ly_do"]);
        out.write_record(&header)?;
        Ok(RejectWriter { out })
    }

    pub fn write(&mut self, row: &RawRow, errors: &[LocatedError]) -> csv::Result<()> {
        let reasons: Vec<String> = errors
            .iter()
            .map(|e| match e.column.is_empty() {
                true => e.reason.clone(),
                false => format!("{}: {}", e.column, e.reason),
            })
            .collect();
        let mut rec: Vec<String> = row.cells.clone();
        rec.push(row.row.to_string());
        rec.push(reasons.join("; "));
        self.out.write_record(&rec)
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}
