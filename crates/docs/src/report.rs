//! Báo cáo định kỳ — the district's periodic reform report (quarter, six and nine months,
//! year) as an [`OfficialDocument`] in the layout of Decree 30/2020, built from plain data.
//!
//! [`PeriodicReportInput`] holds everything the report says, already read from the store and
//! named; [`build_periodic_report`] only lays it out, so that the same input always gives the
//! same document (no clock is read here).

use chrono::NaiveDate;

use crate::docx::{Appendix, Block, Cell, OfficialDocument, Run, Signer, Table};

/// What the periodic report says, as plain data.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PeriodicReportInput {
    /// Cơ quan chủ quản, e.g. "UBND tỉnh Hà Tĩnh".
    pub issuer_parent: Option<String>,
    /// Cơ quan ban hành, e.g. "UBND huyện Đức Thọ".
    pub issuer: String,
    /// Địa danh of the place-date line, e.g. "Đức Thọ".
    pub place: String,
    /// Year printed on the place-date line (day and month are left for the signing day).
    pub year: i32,
    /// The period as the title says it, e.g. "quý II năm 2024".
    pub period_label: String,
    /// The plan the report answers, e.g. "Quyết định số 60/QĐ-UBND ngày 11/01/2024".
    pub plan_ref: String,
    /// The seven areas, in the plan's order.
    pub areas: Vec<AreaReport>,
    /// Every activity of the plan with its status, for appendix I.
    pub activities: Vec<ActivityStatusRow>,
    /// The units' reports for the period, for appendix II.
    pub timeliness: Vec<TimelinessRow>,
    /// Name of the signer; empty leaves the place for the signature.
    pub signer_name: String,
}

/// Lĩnh vực — one reform area's part of the report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AreaReport {
    /// 1 to 7.
    pub no: u32,
    pub title: String,
    /// Completed activities from accepted reports.
    pub done: Vec<DoneActivity>,
    /// The area's key targets with their figures.
    pub targets: Vec<TargetFigures>,
    /// Activities late or held up, with the reason given.
    pub late: Vec<LateActivity>,
    /// Đề xuất, kiến nghị of the units.
    pub proposals: Vec<UnitText>,
}

/// A completed activity: who did it, what was done and the documents that prove it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DoneActivity {
    pub activity: String,
    pub text: String,
    pub unit: String,
    /// Kết quả thực hiện, as the unit wrote it.
    pub note: String,
    pub evidence: Vec<EvidenceRef>,
    /// Hoàn thành nhưng trễ hạn.
    pub late: bool,
}

/// Tài liệu kiểm chứng as cited: "Kế hoạch số 112/KH-UBND ngày 12/3/2024 của … về …".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EvidenceRef {
    pub number: String,
    pub date: Option<NaiveDate>,
    pub issuer: String,
    pub title: String,
}

/// A key target and its figures.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TargetFigures {
    pub code: String,
    pub text: String,
    pub figures: Vec<Figure>,
}

/// One figure against a threshold: "Cấp huyện: 62,40% (312/500), chỉ tiêu ≥ 50% — Đạt".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Figure {
    /// Where the figure comes from: a scope ("Toàn huyện", "Cấp xã") or a unit's name.
    pub scope: String,
    /// What is measured; empty when the target says it.
    pub label: String,
    /// The value as printed, e.g. "62,40% (312/500)" or what the unit reported.
    pub value: String,
    /// The threshold, e.g. "≥ 50%"; empty when the figure is a reported value.
    pub threshold: String,
    /// "Đạt", "Chưa đạt", "Chưa có số liệu"; empty when not judged.
    pub status: String,
}

/// An activity late or held up.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LateActivity {
    pub activity: String,
    pub text: String,
    pub unit: String,
    /// Thời gian hoàn thành as the plan says.
    pub deadline: String,
    /// Status as printed ("Đang thực hiện", "Chưa báo cáo").
    pub status: String,
    /// Past its deadline at the end of the period.
    pub overdue: bool,
    /// Khó khăn, vướng mắc the unit reported.
    pub reason: String,
}

/// A unit's text (a proposal).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UnitText {
    pub unit: String,
    pub text: String,
}

/// An activity of appendix I and its status at each unit that reports it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActivityStatusRow {
    pub activity: String,
    pub text: String,
    pub deadline: String,
    /// (unit, status) for each unit reporting it in the period; empty when none does.
    pub units: Vec<(String, String)>,
    /// Chủ trì, shown when no unit reports the activity in the period.
    pub lead: String,
}

/// Timeliness of a unit's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Timeliness {
    OnTime,
    Late,
    #[default]
    Missing,
}

/// A unit's report in appendix II.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TimelinessRow {
    pub unit: String,
    pub timeliness: Timeliness,
    /// Ngày gửi (first submission), printed dd/mm/yyyy.
    pub submitted: Option<NaiveDate>,
    /// Trạng thái of the report ("Đã chấp nhận", "Trả lại", …).
    pub state: String,
}

/// Title of the report for a period label: "Kết quả thực hiện công tác cải cách hành chính
/// quý II năm 2024".
pub fn report_title(period_label: &str) -> String {
    format!("Kết quả thực hiện công tác cải cách hành chính\n{period_label}")
}

/// "số 112/KH-UBND ngày 12/3/2024 của Phòng Nội vụ về …": how a report cites a document.
pub fn cite(e: &EvidenceRef) -> String {
    let mut s = String::new();
    if !e.number.is_empty() {
        s.push_str(&format!("số {}", e.number));
    }
    if let Some(d) = e.date {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&format!("ngày {}", d.format("%d/%m/%Y")));
    }
    if !e.issuer.is_empty() {
        s.push_str(&format!(" của {}", e.issuer));
    }
    if !e.title.is_empty() {
        s.push_str(&format!(" về {}", e.title.trim_start_matches("về ")));
    }
    s.trim().to_string()
}

/// "số 112/KH-UBND ngày 12/03/2024": a document cited by number and date.
pub fn cite_short(e: &EvidenceRef) -> String {
    cite(&EvidenceRef {
        issuer: String::new(),
        title: String::new(),
        ..e.clone()
    })
}

/// Counts of appendix II: (on time, late, missing).
pub fn timeliness_counts(rows: &[TimelinessRow]) -> (usize, usize, usize) {
    let n = |t| rows.iter().filter(|r| r.timeliness == t).count();
    (
        n(Timeliness::OnTime),
        n(Timeliness::Late),
        n(Timeliness::Missing),
    )
}

/// Lays the report out: introduction, one part per area, the units' reporting, proposals;
/// appendix I (activities) and II (timeliness).
pub fn build_periodic_report(input: &PeriodicReportInput) -> OfficialDocument {
    let mut body = vec![Block::para(format!(
        "Thực hiện {} về việc ban hành Kế hoạch cải cách hành chính năm {}, trên cơ sở báo cáo \
         của các cơ quan, đơn vị và UBND các xã, thị trấn, {} báo cáo kết quả thực hiện công tác \
         cải cách hành chính (CCHC) {} như sau:",
        input.plan_ref, input.year, input.issuer, input.period_label
    ))];

    body.push(Block::heading(
        1,
        "I. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
    ));
    for area in &input.areas {
        area_blocks(&mut body, area);
    }

    let (on_time, late, missing) = timeliness_counts(&input.timeliness);
    body.push(Block::heading(
        1,
        "II. TÌNH HÌNH BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ",
    ));
    body.push(Block::Paragraph(vec![
        Run::plain(format!(
            "Trong kỳ có {} cơ quan, đơn vị, UBND xã, thị trấn phải báo cáo; trong đó ",
            input.timeliness.len()
        )),
        Run::bold(format!("{on_time:02} đơn vị gửi đúng hạn")),
        Run::plain(", "),
        Run::bold(format!("{late:02} đơn vị gửi trễ hạn")),
        Run::plain(", "),
        Run::bold(format!("{missing:02} đơn vị chưa gửi")),
        Run::plain(" báo cáo "),
        Run::italic("(chi tiết tại Phụ lục II kèm theo)"),
        Run::plain("."),
    ]));

    let total: usize = input.activities.iter().map(|a| a.units.len()).sum();
    let done = input
        .activities
        .iter()
        .flat_map(|a| &a.units)
        .filter(|(_, s)| s.starts_with("Hoàn thành"))
        .count();
    body.push(Block::heading(1, "III. ĐÁNH GIÁ CHUNG"));
    body.push(Block::Paragraph(vec![
        Run::plain(format!(
            "Theo báo cáo đã được cơ quan thường trực CCHC chấp nhận, đến hết {} các cơ quan, đơn \
             vị đã hoàn thành ",
            input.period_label
        )),
        Run::bold(format!("{done}/{total}")),
        Run::plain(" lượt nhiệm vụ phải thực hiện trong kỳ "),
        Run::italic("(chi tiết tại Phụ lục I kèm theo)"),
        Run::plain("."),
    ]));
    let n_late: usize = input.areas.iter().map(|a| a.late.len()).sum();
    if n_late > 0 {
        body.push(Block::para(format!(
            "Còn {n_late} lượt nhiệm vụ chậm tiến độ hoặc chưa được báo cáo hoàn thành; nguyên \
             nhân và khó khăn nêu tại từng lĩnh vực ở Mục I."
        )));
    }
    body.push(Block::heading(1, "IV. ĐỀ XUẤT, KIẾN NGHỊ"));
    let proposals: Vec<&UnitText> = input.areas.iter().flat_map(|a| &a.proposals).collect();
    if proposals.is_empty() {
        body.push(Block::para(
            "Các cơ quan, đơn vị không có đề xuất, kiến nghị trong kỳ.",
        ));
    } else {
        body.push(Block::para(
            "Tổng hợp đề xuất, kiến nghị của các cơ quan, đơn vị đã nêu tại từng lĩnh vực ở Mục I; \
             đề nghị Sở Nội vụ quan tâm, hướng dẫn, hỗ trợ để huyện hoàn thành các chỉ tiêu, nhiệm \
             vụ CCHC năm.",
        ));
    }
    body.push(Block::para(format!(
        "Trên đây là báo cáo kết quả thực hiện công tác CCHC {} của {}./.",
        input.period_label, input.issuer
    )));

    let note = format!(
        "(Kèm theo Báo cáo số        /BC-UBND ngày      /     /{} của {})",
        input.year, input.issuer
    );
    OfficialDocument {
        issuer_parent: input.issuer_parent.clone(),
        issuer: input.issuer.clone(),
        number: "        /BC-UBND".into(),
        place_date: format!("{}, ngày      tháng      năm {}", input.place, input.year),
        kind_title: "Báo cáo".into(),
        title: report_title(&input.period_label),
        body,
        recipients: vec![
            "Sở Nội vụ".into(),
            "TTr Huyện ủy, HĐND huyện".into(),
            "Chủ tịch, các PCT UBND huyện".into(),
            "Lưu: VT, NV.".into(),
        ],
        signer: Signer {
            authority: Some("TM. Ủy ban nhân dân".into()),
            title: "KT. Chủ tịch\nPhó Chủ tịch".into(),
            name: input.signer_name.clone(),
        },
        appendices: vec![
            Appendix {
                label: "Phụ lục I".into(),
                title: format!(
                    "TÌNH HÌNH THỰC HIỆN CÁC HOẠT ĐỘNG CẢI CÁCH HÀNH CHÍNH {}",
                    input.period_label.to_uppercase()
                ),
                note: Some(note.clone()),
                landscape: true,
                body: vec![Block::Table(activity_table(&input.activities))],
            },
            Appendix {
                label: "Phụ lục II".into(),
                title: format!(
                    "TÌNH HÌNH GỬI BÁO CÁO CCHC {} CỦA CÁC CƠ QUAN, ĐƠN VỊ",
                    input.period_label.to_uppercase()
                ),
                note: Some(note),
                landscape: false,
                body: vec![Block::Table(timeliness_table(&input.timeliness))],
            },
        ],
    }
}

fn area_blocks(body: &mut Vec<Block>, area: &AreaReport) {
    body.push(Block::heading(2, format!("{}. {}", area.no, area.title)));

    body.push(Block::heading(4, "a) Kết quả đạt được"));
    if area.done.is_empty() {
        body.push(Block::para(
            "Trong kỳ chưa có nhiệm vụ nào của lĩnh vực được báo cáo hoàn thành.",
        ));
    }
    // One dash per activity, naming each unit that did it with its documents: a district
    // report cites, it does not repeat the activity for every commune.
    for group in by_activity(&area.done, |d| &d.activity) {
        let mut runs = vec![Run::plain(format!("{} ", sentence(&group[0].text)))];
        for (k, d) in group.iter().enumerate() {
            if k > 0 {
                runs.push(Run::plain("; "));
            }
            runs.push(Run::bold(d.unit.clone()));
            let mut said = Vec::new();
            if !d.note.is_empty() {
                said.push(d.note.trim().trim_end_matches('.').to_string());
            }
            if d.late {
                said.push("hoàn thành trễ hạn".into());
            }
            // In the body a document is cited by number and date only; the unit issued it.
            let cites: Vec<String> = d.evidence.iter().map(cite_short).collect();
            if !cites.is_empty() {
                said.push(cites.join(", "));
            }
            if !said.is_empty() {
                runs.push(Run::italic(format!(" ({})", said.join("; "))));
            }
        }
        runs.push(Run::plain("."));
        body.push(Block::Bullet(runs));
    }

    if !area.targets.is_empty() {
        body.push(Block::heading(4, "b) Kết quả thực hiện các chỉ tiêu"));
        for t in &area.targets {
            body.push(Block::Bullet(vec![
                Run::bold(format!("Chỉ tiêu {}: ", t.code)),
                Run::plain(sentence(&t.text)),
            ]));
            if t.figures.is_empty() {
                body.push(Block::para(
                    "Chưa có số liệu đo lường hoặc số liệu đơn vị báo cáo cho chỉ tiêu này.",
                ));
            }
            for f in &t.figures {
                let mut runs = vec![Run::plain("+ ")];
                if !f.scope.is_empty() {
                    runs.push(Run::plain(format!("{}: ", f.scope)));
                }
                if !f.label.is_empty() {
                    runs.push(Run::plain(format!("{} ", lower_first(&f.label))));
                }
                runs.push(Run::bold(f.value.clone()));
                if !f.threshold.is_empty() {
                    runs.push(Run::plain(format!(" (chỉ tiêu {})", f.threshold)));
                }
                if !f.status.is_empty() {
                    runs.push(Run::plain(" — "));
                    runs.push(Run::italic(f.status.clone()));
                }
                runs.push(Run::plain("."));
                body.push(Block::Paragraph(runs));
            }
        }
    }

    let c = if area.targets.is_empty() { "b" } else { "c" };
    body.push(Block::heading(
        4,
        format!("{c}) Nhiệm vụ chậm tiến độ, khó khăn, vướng mắc và nguyên nhân"),
    ));
    if area.late.is_empty() {
        body.push(Block::para(
            "Không có nhiệm vụ chậm tiến độ được báo cáo trong kỳ.",
        ));
    }
    for group in by_activity(&area.late, |l| &l.activity) {
        let l0 = group[0];
        let mut runs = vec![Run::plain(format!(
            "{} (thời hạn: {}): ",
            l0.text.trim().trim_end_matches('.'),
            if l0.deadline.is_empty() {
                "không ghi"
            } else {
                &l0.deadline
            }
        ))];
        for (k, l) in group.iter().enumerate() {
            if k > 0 {
                runs.push(Run::plain("; "));
            }
            runs.push(Run::bold(l.unit.clone()));
            runs.push(Run::plain(format!(
                " — {}{}",
                lower_first(&l.status),
                if l.overdue { ", đã quá hạn" } else { "" }
            )));
            if !l.reason.is_empty() {
                runs.push(Run::plain(", nguyên nhân: "));
                runs.push(Run::italic(lower_first(
                    l.reason.trim().trim_end_matches('.'),
                )));
            }
        }
        runs.push(Run::plain("."));
        body.push(Block::Bullet(runs));
    }

    let d = if area.targets.is_empty() { "c" } else { "d" };
    body.push(Block::heading(4, format!("{d}) Đề xuất, kiến nghị")));
    if area.proposals.is_empty() {
        body.push(Block::para("Không có."));
    }
    // The same proposal from many units is said once, with the units that made it.
    let mut seen: Vec<(&str, Vec<&str>)> = Vec::new();
    for p in &area.proposals {
        match seen.iter_mut().find(|(t, _)| *t == p.text) {
            Some((_, units)) => units.push(&p.unit),
            None => seen.push((&p.text, vec![&p.unit])),
        }
    }
    for (text, units) in seen {
        body.push(Block::Bullet(vec![
            Run::bold(format!("{}: ", units.join(", "))),
            Run::plain(sentence(text)),
        ]));
    }
}

/// Consecutive items grouped by activity, in first-seen order.
fn by_activity<'a, T>(items: &'a [T], key: impl Fn(&T) -> &String) -> Vec<Vec<&'a T>> {
    let mut out: Vec<Vec<&T>> = Vec::new();
    for it in items {
        match out.iter_mut().find(|g| key(g[0]) == key(it)) {
            Some(g) => g.push(it),
            None => out.push(vec![it]),
        }
    }
    out
}

/// Text ending with a full stop.
fn sentence(s: &str) -> String {
    let t = s.trim();
    if t.ends_with(['.', '!', '?', ':', ';']) || t.is_empty() {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn activity_table(rows: &[ActivityStatusRow]) -> Table {
    let mut t = Table::new(vec![7, 12, 60, 20, 32, 20]);
    t.header = vec![vec![
        Cell::bold("TT"),
        Cell::bold("Mã"),
        Cell::bold("Hoạt động"),
        Cell::bold("Thời gian hoàn thành"),
        Cell::bold("Đơn vị thực hiện"),
        Cell::bold("Tình trạng"),
    ]];
    for (i, a) in rows.iter().enumerate() {
        let units: Vec<(String, String)> = if a.units.is_empty() {
            vec![(a.lead.clone(), "Không thuộc kỳ báo cáo".to_string())]
        } else {
            a.units.clone()
        };
        let n = units.len() as u16;
        for (j, (unit, status)) in units.into_iter().enumerate() {
            let mut row = Vec::new();
            if j == 0 {
                row.push(Cell::center((i + 1).to_string()).rows(n));
                row.push(Cell::center(a.activity.clone()).rows(n));
                row.push(Cell::text(a.text.clone()).rows(n));
                row.push(Cell::center(a.deadline.clone()).rows(n));
            }
            row.push(Cell::text(unit));
            row.push(Cell::center(status));
            t.rows.push(row);
        }
    }
    t
}

fn timeliness_table(rows: &[TimelinessRow]) -> Table {
    let mut t = Table::new(vec![6, 40, 11, 11, 11, 14, 18]);
    t.header = vec![
        vec![
            Cell::bold("TT").rows(2),
            Cell::bold("Cơ quan, đơn vị").rows(2),
            Cell::bold("Tình hình gửi báo cáo").span(3),
            Cell::bold("Ngày gửi").rows(2),
            Cell::bold("Trạng thái").rows(2),
        ],
        vec![
            Cell::bold("Đúng hạn"),
            Cell::bold("Trễ hạn"),
            Cell::bold("Chưa gửi"),
        ],
    ];
    let mark = |r: &TimelinessRow, t: Timeliness| if r.timeliness == t { "x" } else { "" };
    for (i, r) in rows.iter().enumerate() {
        t.rows.push(vec![
            Cell::center((i + 1).to_string()),
            Cell::text(r.unit.clone()),
            Cell::center(mark(r, Timeliness::OnTime)),
            Cell::center(mark(r, Timeliness::Late)),
            Cell::center(mark(r, Timeliness::Missing)),
            Cell::center(
                r.submitted
                    .map(|d| d.format("%d/%m/%Y").to_string())
                    .unwrap_or_default(),
            ),
            Cell::center(r.state.clone()),
        ]);
    }
    let (on_time, late, missing) = timeliness_counts(rows);
    t.rows.push(vec![
        Cell::bold("Tổng cộng").span(2),
        Cell::bold(on_time.to_string()),
        Cell::bold(late.to_string()),
        Cell::bold(missing.to_string()),
        Cell::text(""),
        Cell::text(""),
    ]);
    t
}
