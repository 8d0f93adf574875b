//! The unit registry (danh mục đơn vị) as CSV: `id,name,kind,parent,aliases,source`.

use std::collections::HashMap;
use std::fmt;

use cchc_domain::text::clean;
use cchc_domain::unit::{Unit, UnitId, UnitKind};

/// Lỗi dòng — one problem of a registry file: row (1-based line of the file, the header is
/// line 1), column, the value found and why it is wrong, in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub value: String,
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "dòng {}", self.row)?;
        if !self.column.is_empty() {
            write!(f, ", cột «{}»", self.column)?;
        }
        if !self.value.is_empty() {
            write!(f, ", giá trị «{}»", self.value)?;
        }
        write!(f, ": {}", self.reason)
    }
}

impl std::error::Error for RowError {}

const REQUIRED: [&str; 3] = ["id", "name", "kind"];
const OPTIONAL: [&str; 3] = ["parent", "aliases", "source"];

/// Reads a registry CSV (columns in any order, with or without BOM; `aliases` separated by
/// `|`). All or nothing: every problem of the file is returned, located, and no unit.
pub fn read_units_csv(bytes: &[u8]) -> Result<Vec<Unit>, Vec<RowError>> {
    read_units_csv_into(bytes, &|_| false)
}

/// [`read_units_csv`] for a file that adds to a registry: a parent may also be a unit that
/// `known` says is already stored.
pub fn read_units_csv_into(
    bytes: &[u8],
    known: &dyn Fn(&UnitId) -> bool,
) -> Result<Vec<Unit>, Vec<RowError>> {
    let err = |row: usize, column: &str, value: &str, reason: String| RowError {
        row,
        column: column.to_string(),
        value: value.to_string(),
        reason,
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let offset = e.valid_up_to();
            let row = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
            return Err(vec![err(
                row,
                "",
                "",
                format!("tệp không phải văn bản UTF-8 (byte thứ {offset}); hãy lưu lại với bảng mã UTF-8"),
            )]);
        }
    };
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(vec![err(
            1,
            "",
            "",
            "tệp trống: cần dòng tiêu đề id,name,kind,parent,aliases,source".into(),
        )]);
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_lowercase()).collect(),
        Err(e) => {
            return Err(vec![err(
                1,
                "",
                "",
                format!("không đọc được dòng tiêu đề ({e})"),
            )])
        }
    };
    let mut errors = Vec::new();
    let col = |name: &str| headers.iter().position(|h| h == name);
    for name in REQUIRED {
        if col(name).is_none() {
            errors.push(err(1, name, "", format!("thiếu cột «{name}» (cần các cột id, name, kind; có thể thêm parent, aliases, source)")));
        }
    }
    for (k, h) in headers.iter().enumerate() {
        if h.is_empty() || (!REQUIRED.contains(&h.as_str()) && !OPTIONAL.contains(&h.as_str())) {
            errors.push(err(1, h, h, format!("cột thứ {} không thuộc danh mục đơn vị; chỉ dùng id, name, kind, parent, aliases, source", k + 1)));
        } else if headers.iter().filter(|o| *o == h).count() > 1 && col(h) != Some(k) {
            errors.push(err(1, h, h, "cột bị lặp".into()));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let (c_id, c_name, c_kind) = (col("id"), col("name"), col("kind"));
    let (c_parent, c_aliases, c_source) = (col("parent"), col("aliases"), col("source"));

    let mut units: Vec<(usize, Unit)> = Vec::new();
    let mut first_row: HashMap<UnitId, usize> = HashMap::new();
    let mut parents: Vec<(usize, String)> = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let row = e.position().map_or(0, |p| p.line() as usize);
                errors.push(err(row, "", "", format!("dòng CSV không đọc được ({e})")));
                continue;
            }
        };
        let row = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let field = |c: Option<usize>| c.and_then(|k| record.get(k)).map(clean).unwrap_or_default();
        let (id_s, name, kind_s) = (field(c_id), field(c_name), field(c_kind));
        let parent_s = field(c_parent);
        let id = match UnitId::parse(&id_s) {
            Ok(id) => Some(id),
            Err(reason) => {
                errors.push(err(row, "id", &id_s, reason));
                None
            }
        };
        if name.is_empty() {
            errors.push(err(row, "name", "", "thiếu tên đơn vị".into()));
        }
        let kind = UnitKind::parse(&kind_s);
        if kind.is_none() {
            let all: Vec<&str> = UnitKind::ALL.iter().map(|k| k.as_str()).collect();
            errors.push(err(
                row,
                "kind",
                &kind_s,
                format!(
                    "loại đơn vị không hợp lệ; dùng một trong: {}",
                    all.join(", ")
                ),
            ));
        }
        let parent = if parent_s.is_empty() {
            None
        } else {
            match UnitId::parse(&parent_s) {
                Ok(p) => {
                    parents.push((row, parent_s.clone()));
                    Some(p)
                }
                Err(reason) => {
                    errors.push(err(row, "parent", &parent_s, reason));
                    None
                }
            }
        };
        let (Some(id), Some(kind)) = (id, kind) else {
            continue;
        };
        if let Some(first) = first_row.get(&id) {
            errors.push(err(
                row,
                "id",
                id.as_str(),
                format!("mã đơn vị trùng với dòng {first}"),
            ));
            continue;
        }
        if parent.as_ref() == Some(&id) {
            errors.push(err(
                row,
                "parent",
                &parent_s,
                "đơn vị không thể là đơn vị cấp trên của chính nó".into(),
            ));
        }
        first_row.insert(id.clone(), row);
        let aliases: Vec<String> = field(c_aliases)
            .split('|')
            .map(clean)
            .filter(|a| !a.is_empty())
            .collect();
        units.push((
            row,
            Unit {
                id,
                name,
                kind,
                parent,
                aliases,
                source: field(c_source),
            },
        ));
    }
    for (row, p) in &parents {
        let found = UnitId::parse(p).is_ok_and(|id| first_row.contains_key(&id) || known(&id));
        if !found {
            errors.push(err(
                *row,
                "parent",
                p,
                "đơn vị cấp trên không có trong tệp cũng như trong danh mục đã lưu; để trống nếu là đơn vị gốc".into(),
            ));
        }
    }
    // A parent chain that loops never reaches a root.
    let parent_of: HashMap<&UnitId, &UnitId> = units
        .iter()
        .filter_map(|(_, u)| u.parent.as_ref().map(|p| (&u.id, p)))
        .collect();
    for (row, u) in &units {
        let mut cur = &u.id;
        let mut steps = 0;
        while let Some(p) = parent_of.get(cur) {
            cur = p;
            steps += 1;
            if cur == &u.id && steps > 1 {
                errors.push(err(
                    *row,
                    "parent",
                    u.parent.as_ref().map_or("", |p| p.as_str()),
                    "quan hệ cấp trên tạo thành vòng lặp".into(),
                ));
                break;
            }
            if steps > units.len() {
                break;
            }
        }
    }
    if units.is_empty() && errors.is_empty() {
        errors.push(err(2, "", "", "tệp không có đơn vị nào".into()));
    }
    if errors.is_empty() {
        Ok(units.into_iter().map(|(_, u)| u).collect())
    } else {
        errors.sort_by_key(|e| e.row);
        Err(errors)
    }
}
