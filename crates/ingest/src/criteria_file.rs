//! A reform-index criteria tree (Bộ chỉ số CCHC) from CSV or XLSX, one criterion a row.
//!
//! Columns by code or Vietnamese label: `ma` (Mã), `ma_cha` (Mã tiêu chí cha, optional: by
//! default the parent is the code's prefix), `ten` (Tên tiêu chí), `diem_toi_da` (Điểm tối đa,
//! may be empty on a criterion with children), `loai` (Loại: tu_danh_gia, dieu_tra), `cach_cham`
//! (Cách chấm: dat_khong_dat, ty_le, tu_do), `minh_chung` (Minh chứng: van_ban, tep, khong); the
//! last three optional. The whole file is read, then the tree is checked by
//! [`CriteriaSet::new`]; every problem is returned located (row, column, value) and no set is
//! built from a file that has one.

use std::io::Read;
use std::path::Path;

use cchc_domain::evaluation::{
    CriteriaSet, CriteriaSetDraft, CriteriaSetId, CriterionCode, CriterionDraft, CriterionField,
    CriterionKind, EvidenceRequirement, Points, ScoringRule,
};
use cchc_domain::text::clean;

use crate::service_files::{
    col, optional_col, Column, ColumnMap, ErrorList, LocatedError, RawRow, RowReader,
};

/// The criteria file's columns.
pub const CRITERIA_COLUMNS: [Column; 7] = [
    col("ma", "Mã"),
    optional_col("ma_cha", "Mã tiêu chí cha"),
    col("ten", "Tên tiêu chí"),
    col("diem_toi_da", "Điểm tối đa"),
    optional_col("loai", "Loại"),
    optional_col("cach_cham", "Cách chấm"),
    optional_col("minh_chung", "Minh chứng"),
];

const CODE: usize = 0;
const PARENT: usize = 1;
const NAME: usize = 2;
const MAX: usize = 3;
const KIND: usize = 4;
const RULE: usize = 5;
const EVIDENCE: usize = 6;

/// Thông tin bộ chỉ số — what the file does not hold: the set's id, name, year, source and
/// declared total.
#[derive(Debug, Clone, PartialEq)]
pub struct CriteriaMeta {
    pub id: CriteriaSetId,
    pub name: String,
    pub year: i32,
    pub source: String,
    pub total: Points,
}

/// Reads a criteria file (XLSX by its `.xlsx` extension, CSV otherwise).
pub fn read_criteria_file(
    path: &Path,
    meta: CriteriaMeta,
    map: &ColumnMap,
) -> Result<CriteriaSet, ErrorList> {
    let reader = RowReader::open(path, &CRITERIA_COLUMNS, map).map_err(one)?;
    read_rows(reader, meta)
}

/// Reads criteria CSV from a stream; `name` is how errors name the file.
pub fn read_criteria_csv(
    name: &str,
    input: Box<dyn Read + Send>,
    meta: CriteriaMeta,
    map: &ColumnMap,
) -> Result<CriteriaSet, ErrorList> {
    let reader =
        RowReader::from_csv(name.to_string(), input, 0, &CRITERIA_COLUMNS, map).map_err(one)?;
    read_rows(reader, meta)
}

fn one(e: LocatedError) -> ErrorList {
    let mut list = ErrorList::default();
    list.push(e);
    list
}

fn read_rows(mut reader: RowReader, meta: CriteriaMeta) -> Result<CriteriaSet, ErrorList> {
    let file = reader.file().to_string();
    let mut errors = ErrorList::default();
    let mut drafts: Vec<CriterionDraft> = Vec::new();
    let mut rows: Vec<RawRow> = Vec::new();
    while let Some(next) = reader.next_row() {
        let row = match next {
            Ok(r) => r,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        match parse_row(&file, &row) {
            Ok(d) => {
                drafts.push(d);
                rows.push(row);
            }
            Err(es) => es.into_iter().for_each(|e| errors.push(e)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let draft = CriteriaSetDraft {
        id: meta.id,
        name: meta.name,
        year: meta.year,
        source: meta.source,
        total: meta.total,
        criteria: drafts,
    };
    CriteriaSet::new(draft).map_err(|es| {
        let mut list = ErrorList::default();
        for e in es {
            let row = e.index.map(|i| &rows[i]);
            let column = match e.field {
                Some(CriterionField::Code) => Some(CODE),
                Some(CriterionField::Parent) => Some(PARENT),
                Some(CriterionField::MaxPoints) => Some(MAX),
                None => None,
            };
            // A parent taken from the code's prefix: the code is the cell to look at.
            let column = match (column, row) {
                (Some(PARENT), Some(r)) if r.cells[PARENT].trim().is_empty() => Some(CODE),
                (c, _) => c,
            };
            list.push(LocatedError {
                file: file.clone(),
                row: row.map_or(0, |r| r.row),
                column: column.map_or(String::new(), |c| CRITERIA_COLUMNS[c].code.to_string()),
                value: match (row, column) {
                    (Some(r), Some(c)) => r.cells[c].trim().to_string(),
                    _ => String::new(),
                },
                reason: e.message,
            });
        }
        list
    })
}

fn parse_row(file: &str, row: &RawRow) -> Result<CriterionDraft, Vec<LocatedError>> {
    let mut errors = Vec::new();
    let cell = |i: usize| row.cells[i].trim();
    let mut take = |i: usize, r: Result<(), String>| {
        if let Err(reason) = r {
            errors.push(LocatedError {
                file: file.to_string(),
                row: row.row,
                column: CRITERIA_COLUMNS[i].code.to_string(),
                value: row.cells[i].trim().to_string(),
                reason,
            });
        }
    };
    fn opt<T>(s: &str, parse: impl Fn(&str) -> Result<T, String>) -> Result<Option<T>, String> {
        if s.is_empty() {
            Ok(None)
        } else {
            parse(s).map(Some)
        }
    }
    let code = CriterionCode::parse(cell(CODE));
    let parent = opt(cell(PARENT), CriterionCode::parse);
    let name = clean(cell(NAME));
    let max = opt(cell(MAX), Points::parse);
    let kind = opt(cell(KIND), CriterionKind::parse);
    let rule = opt(cell(RULE), ScoringRule::parse);
    let evidence = opt(cell(EVIDENCE), EvidenceRequirement::parse);
    take(CODE, code.as_ref().map(|_| ()).map_err(Clone::clone));
    take(PARENT, parent.as_ref().map(|_| ()).map_err(Clone::clone));
    take(
        NAME,
        if name.is_empty() {
            Err("tên tiêu chí trống".into())
        } else {
            Ok(())
        },
    );
    take(MAX, max.as_ref().map(|_| ()).map_err(Clone::clone));
    take(KIND, kind.as_ref().map(|_| ()).map_err(Clone::clone));
    take(RULE, rule.as_ref().map(|_| ()).map_err(Clone::clone));
    take(
        EVIDENCE,
        evidence.as_ref().map(|_| ()).map_err(Clone::clone),
    );
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(CriterionDraft {
        code: code.expect("checked"),
        parent: parent.expect("checked"),
        name,
        max_points: max.expect("checked"),
        kind: kind.expect("checked"),
        rule: rule.expect("checked"),
        evidence: evidence.expect("checked"),
    })
}

/// What the shipped Hà Tĩnh file is: a SAMPLE whose structure (9 areas, 34 criteria, 70
/// self-assessed + 30 survey points) is that of Quyết định 52/2019/QĐ-UBND, whose
/// sub-criteria are not the decision's own (see `data/chi-so-cchc-xa/README.md`).
pub fn ha_tinh_commune_sample_meta() -> CriteriaMeta {
    CriteriaMeta {
        id: CriteriaSetId::parse("ha-tinh-xa-2024-mau").expect("a valid id"),
        name: "Bộ chỉ số CCHC cấp xã tỉnh Hà Tĩnh năm 2024 (MẪU)".into(),
        year: 2024,
        source: "MẪU: cấu trúc 9 lĩnh vực, 34 tiêu chí, 70 điểm tự đánh giá + 30 điểm điều tra \
                 xã hội học theo Quyết định số 52/2019/QĐ-UBND ngày 24/9/2019 của UBND tỉnh Hà \
                 Tĩnh; tên và điểm từng tiêu chí là mẫu, chưa đối chiếu với văn bản. Hãy nhập bộ \
                 chỉ số chính thức của năm."
            .into(),
        total: Points::whole(100),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cchc_domain::evaluation::CriterionKind;

    fn meta(total: i64) -> CriteriaMeta {
        CriteriaMeta {
            id: CriteriaSetId::parse("thu").unwrap(),
            name: "Bộ thử".into(),
            year: 2024,
            source: "test".into(),
            total: Points::whole(total),
        }
    }

    fn read(text: &str, total: i64) -> Result<CriteriaSet, ErrorList> {
        read_criteria_csv(
            "tieu-chi.csv",
            Box::new(std::io::Cursor::new(text.as_bytes().to_vec())),
            meta(total),
            &ColumnMap::default(),
        )
    }

    fn lines(e: ErrorList) -> Vec<String> {
        e.shown.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn the_shipped_ha_tinh_set_has_9_areas_34_criteria_and_70_plus_30_points() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../data/chi-so-cchc-xa/ha-tinh-2024.csv");
        let set = read_criteria_file(&path, ha_tinh_commune_sample_meta(), &ColumnMap::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(set.areas().count(), 9);
        assert_eq!(set.at_depth(2).count(), 34);
        assert_eq!(
            set.points_of(CriterionKind::SelfAssessed),
            Points::whole(70)
        );
        assert_eq!(set.points_of(CriterionKind::Survey), Points::whole(30));
        assert_eq!(set.total(), Points::whole(100));
        assert!(set.name().contains("MẪU") && set.source().starts_with("MẪU"));
        let survey_area = set
            .areas()
            .find(|a| {
                set.children(&a.code)
                    .all(|c| c.kind == CriterionKind::Survey)
            })
            .expect("an area of survey criteria");
        assert_eq!(survey_area.max_points, Points::whole(30));
    }

    #[test]
    fn labels_in_any_order_and_derived_parent_points_are_read() {
        let set = read(
            "\u{feff}Tên tiêu chí,Mã,Điểm tối đa,Cách chấm,Minh chứng\n\
             Chỉ đạo điều hành,1,,,\n\
             Kế hoạch CCHC,1.1,\"1,5\",Đạt hoặc không đạt,Văn bản\n\
             Báo cáo,1.2,\"0,5\",ty_le,\n\
             ,,,,\n",
            2,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let c = |s: &str| set.get(&CriterionCode::parse(s).unwrap()).unwrap();
        assert_eq!(c("1").max_points, Points::whole(2));
        assert_eq!(c("1.1").rule, ScoringRule::Full);
        assert_eq!(c("1.1").evidence, EvidenceRequirement::Document);
        assert_eq!(c("1.2").evidence, EvidenceRequirement::None);
    }

    #[test]
    fn cell_errors_are_located_and_nothing_is_built() {
        let e = read(
            "ma,ten,diem_toi_da,loai\n\
             1,Chỉ đạo,2,\n\
             1.x,Kế hoạch,1,tu_danh_gia\n\
             1.2,,abc,khảo sát\n",
            2,
        )
        .unwrap_err();
        assert_eq!(
            lines(e),
            [
                "tieu-chi.csv, dòng 3, cột «ma», giá trị «1.x»: mã tiêu chí «1.x» không hợp lệ; dùng các số cách nhau bởi dấu chấm, ví dụ 1, 1.1, 1.1.2",
                "tieu-chi.csv, dòng 4, cột «ten»: tên tiêu chí trống",
                "tieu-chi.csv, dòng 4, cột «diem_toi_da», giá trị «abc»: số điểm «abc» không hợp lệ; viết số, tối đa hai chữ số thập phân (ví dụ 2 hoặc 2,5)",
                "tieu-chi.csv, dòng 4, cột «loai», giá trị «khảo sát»: loại tiêu chí «khảo sát» không hợp lệ; dùng một trong: tu_danh_gia (Tự đánh giá), dieu_tra (Điều tra xã hội học)",
            ]
        );
    }

    #[test]
    fn tree_errors_name_the_row_column_and_code() {
        let e = read(
            "ma,ma_cha,ten,diem_toi_da\n\
             1,,Chỉ đạo,5\n\
             1.1,,Kế hoạch,2\n\
             1.2,,Báo cáo,2\n\
             1.2,,Báo cáo lặp,2\n",
            5,
        )
        .unwrap_err();
        assert_eq!(
            lines(e),
            ["tieu-chi.csv, dòng 5, cột «ma», giá trị «1.2»: mã tiêu chí «1.2» bị lặp (đã có ở tiêu chí thứ 3)"]
        );
        let e = read(
            "ma,ma_cha,ten,diem_toi_da\n1,,Chỉ đạo,5\n1.1,,Kế hoạch,2\n1.2,,Báo cáo,2\n",
            5,
        )
        .unwrap_err();
        assert_eq!(
            lines(e),
            ["tieu-chi.csv, dòng 2, cột «diem_toi_da», giá trị «5»: tiêu chí «1»: điểm tối đa là 5 nhưng các tiêu chí con (1.1, 1.2) cộng lại 4"]
        );
        let e = read(
            "ma,ma_cha,ten,diem_toi_da\n1,,Chỉ đạo,2\n3.1,,Lạc,2\n1.1,9,Kế hoạch,2\n",
            4,
        )
        .unwrap_err();
        assert_eq!(
            lines(e),
            [
                "tieu-chi.csv, dòng 3, cột «ma», giá trị «3.1»: tiêu chí «3.1»: tiêu chí cha «3» không có trong bộ chỉ số",
                "tieu-chi.csv, dòng 4, cột «ma_cha», giá trị «9»: tiêu chí «1.1»: tiêu chí cha «9» không có trong bộ chỉ số",
            ]
        );
        let e = read("ma,ma_cha,ten,diem_toi_da\n1,2,A,1\n2,1,B,1\n", 2).unwrap_err();
        assert_eq!(
            lines(e),
            ["tieu-chi.csv, dòng 2, cột «ma_cha», giá trị «2»: tiêu chí «1» nằm trong vòng lặp tiêu chí cha: 1 → 2 → 1"]
        );
        let e = read("ma,ten,diem_toi_da\n1,A,60\n2,B,30\n", 100).unwrap_err();
        assert_eq!(
            lines(e),
            ["tieu-chi.csv: tổng điểm tối đa của các lĩnh vực (1, 2) là 90, khác tổng điểm công bố 100"]
        );
    }

    #[test]
    fn a_missing_column_is_named_on_the_header_row() {
        let e = read("ma,ten\n1,A\n", 1).unwrap_err();
        let l = lines(e);
        assert!(
            l[0].starts_with(
                "tieu-chi.csv, dòng 1: dòng tiêu đề thiếu cột: diem_toi_da (Điểm tối đa)"
            ),
            "{l:?}"
        );
    }

    fn write_xlsx(path: &Path, rows: &[[&str; 4]]) {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                // Points as numbers, as a spreadsheet holds them.
                match v.replace(',', ".").parse::<f64>() {
                    Ok(n) if c == 3 && r > 0 => sheet.write_number(r as u32, c as u16, n),
                    _ => sheet.write_string(r as u32, c as u16, *v),
                }
                .unwrap();
            }
        }
        book.save(path).unwrap();
    }

    #[test]
    fn an_xlsx_file_is_read_and_its_errors_are_located_too() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bo-chi-so.xlsx");
        write_xlsx(
            &path,
            &[
                ["Mã", "Tên tiêu chí", "Loại", "Điểm tối đa"],
                ["1", "Chỉ đạo", "", "3"],
                ["1.1", "Kế hoạch", "Tự đánh giá", "2,5"],
                ["1.2", "Hài lòng", "dieu_tra", "0,5"],
            ],
        );
        let set = read_criteria_file(&path, meta(3), &ColumnMap::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            set.points_of(CriterionKind::Survey),
            Points::from_hundredths(50)
        );
        assert_eq!(
            set.points_of(CriterionKind::SelfAssessed),
            Points::from_hundredths(250)
        );

        write_xlsx(
            &path,
            &[
                ["Mã", "Tên tiêu chí", "Loại", "Điểm tối đa"],
                ["1", "Chỉ đạo", "", "3"],
                ["1.1", "Kế hoạch", "", "-2"],
            ],
        );
        let e = read_criteria_file(&path, meta(3), &ColumnMap::default()).unwrap_err();
        let name = path.display().to_string();
        assert_eq!(
            lines(e),
            [format!(
                "{name}, dòng 3, cột «diem_toi_da», giá trị «-2»: tiêu chí «1.1»: điểm tối đa -2 là số âm"
            )]
        );
    }
}
