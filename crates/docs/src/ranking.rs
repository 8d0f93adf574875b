//! Quyết định công bố Chỉ số CCHC cấp xã: the year's ranking of communes as a Decree 30/2020
//! decision of the district's committee with the ranking as its appendix (points, rank, band,
//! last year's index). Plain input, no store: `cchc_app::reform_index::ranking_docx` fills it.

use crate::docx::{Appendix, Block, Cell, OfficialDocument, Signer, Table};
use crate::report::issuer_heading;

/// Một dòng xếp hạng — one commune of the appendix, its figures as printed ("85,50").
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RankingLine {
    pub rank: usize,
    pub unit: String,
    pub total: String,
    pub max: String,
    pub index: String,
    pub band: String,
    /// Last year's index and rank ("78,25 (hạng 3)"); empty when not ranked last year.
    pub previous: String,
    /// Left empty once final; otherwise what is still open ("còn 2 tiêu chí chưa thẩm định").
    pub note: String,
}

/// Kết quả Chỉ số CCHC cấp xã — what the decision needs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RankingInput {
    pub issuer_parent: Option<String>,
    /// "UBND huyện Đức Thọ".
    pub issuer: String,
    /// Địa danh, e.g. "Đức Thọ".
    pub place: String,
    pub year: i32,
    /// The criteria set's name, and whether it is the shipped sample.
    pub set_name: String,
    pub sample: bool,
    pub lines: Vec<RankingLine>,
    pub signer_name: String,
}

/// "Công bố kết quả Chỉ số cải cách hành chính năm 2024 của UBND các xã, thị trấn".
pub fn ranking_title(year: i32) -> String {
    format!(
        "Về việc công bố kết quả Chỉ số cải cách hành chính năm {year}\ncủa UBND các xã, thị trấn"
    )
}

fn table(lines: &[RankingLine]) -> Table {
    let mut t = Table::new(vec![6, 30, 11, 11, 11, 11, 18, 20]);
    t.font_pt = 12;
    t.header = vec![vec![
        Cell::bold("Hạng"),
        Cell::bold("Đơn vị"),
        Cell::bold("Tổng điểm"),
        Cell::bold("Điểm tối đa"),
        Cell::bold("Chỉ số (%)"),
        Cell::bold("Xếp loại"),
        Cell::bold("Năm trước"),
        Cell::bold("Ghi chú"),
    ]];
    t.rows = lines
        .iter()
        .map(|l| {
            vec![
                Cell::center(l.rank.to_string()),
                Cell::text(l.unit.clone()),
                Cell::right(l.total.clone()),
                Cell::right(l.max.clone()),
                Cell::right(l.index.clone()),
                Cell::center(l.band.clone()),
                Cell::center(l.previous.clone()),
                Cell::text(l.note.clone()),
            ]
        })
        .collect();
    t
}

/// The decision with the ranking as its appendix.
pub fn build_ranking_decision(input: &RankingInput) -> OfficialDocument {
    let y = input.year;
    let mut body = vec![
        Block::para(format!(
            "Căn cứ Kế hoạch cải cách hành chính năm {y} và kết quả tự đánh giá, chấm điểm của \
             UBND các xã, thị trấn đã được Hội đồng thẩm định Chỉ số CCHC của huyện thẩm định;"
        )),
        Block::para("Theo đề nghị của Trưởng phòng Nội vụ (cơ quan thường trực CCHC)."),
        Block::heading(1, "QUYẾT ĐỊNH:"),
        Block::para(format!(
            "Điều 1. Công bố kết quả Chỉ số cải cách hành chính năm {y} của {} xã, thị trấn theo \
             bộ chỉ số «{}»{} (chi tiết tại Phụ lục kèm theo).",
            input.lines.len(),
            input.set_name,
            if input.sample {
                " (BỘ CHỈ SỐ MẪU, chưa phải bộ chỉ số chính thức)"
            } else {
                ""
            }
        )),
        Block::para(
            "Điều 2. UBND các xã, thị trấn căn cứ kết quả được công bố, rà soát những tiêu chí bị \
             trừ điểm, đề ra giải pháp khắc phục trong năm tiếp theo.",
        ),
        Block::para(
            "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng HĐND và UBND huyện, \
             Trưởng phòng Nội vụ, Chủ tịch UBND các xã, thị trấn và các cơ quan, đơn vị liên quan \
             chịu trách nhiệm thi hành Quyết định này./.",
        ),
    ];
    if input.lines.is_empty() {
        body.insert(
            3,
            Block::para(format!("Năm {y} chưa có xã, thị trấn nào được chấm điểm.")),
        );
    }
    let (issuer_parent, issuer) = match issuer_heading(&input.issuer) {
        Some(heading) => (None, heading),
        None => (input.issuer_parent.clone(), input.issuer.clone()),
    };
    OfficialDocument {
        issuer_parent,
        issuer,
        number: "        /QĐ-UBND".into(),
        place_date: format!("{}, ngày      tháng      năm {}", input.place, y + 1),
        kind_title: "Quyết định".into(),
        title: ranking_title(y),
        body,
        recipients: vec![
            "Như Điều 3".into(),
            "Sở Nội vụ".into(),
            "Chủ tịch, các PCT UBND huyện".into(),
            "Lưu: VT, NV.".into(),
        ],
        signer: Signer {
            authority: Some("TM. Ủy ban nhân dân".into()),
            title: "Chủ tịch".into(),
            name: input.signer_name.clone(),
        },
        appendices: vec![Appendix {
            label: "Phụ lục".into(),
            title: format!("KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {y} CỦA UBND CÁC XÃ, THỊ TRẤN"),
            note: Some(format!(
                "(Kèm theo Quyết định số        /QĐ-UBND ngày      /     /{} của {})",
                y + 1,
                input.issuer
            )),
            landscape: true,
            body: vec![Block::Table(table(&input.lines))],
        }],
    }
}
