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
    /// Cơ quan chủ quản, e.g. "UBND tỉnh Hà Tĩnh"; not printed above a People's Committee,
    /// which heads its documents alone (see [`issuer_heading`]).
    pub issuer_parent: Option<String>,
    /// Cơ quan ban hành, e.g. "UBND huyện Đức Thọ", as the body's sentences name it.
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
    /// The activities of the period (due in it, or recurring: the rule of a unit's report)
    /// with their status, for appendix I.
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
    /// The unit leads (chủ trì) the activity: only leads' documents are cited in the body.
    pub lead: bool,
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
    /// The unit leads (chủ trì) the activity.
    pub lead: bool,
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
    /// The activity's key (I.1.3.1).
    pub activity: String,
    /// Its number as the decision writes it ("3.1"); empty: the key is printed alone.
    pub number: String,
    pub text: String,
    /// The task (nhiệm vụ) it serves, as the decision writes it ("3. Rà soát, đánh giá …");
    /// printed once above its activities; empty: no task row.
    pub task: String,
    pub deadline: String,
    /// The area (1 to 7) the activity belongs to; 0 when unknown.
    pub area: u32,
    /// Each unit reporting it in the period; empty when none does.
    pub units: Vec<UnitStatus>,
    /// Chủ trì as the plan names it, shown when no unit reports the activity in the period.
    pub lead: String,
}

/// Status printed for a unit that has not sent its report for the period (none, a draft, or
/// one returned to it and not sent again).
pub const NOT_REPORTED: &str = "Chưa báo cáo";
/// Status printed for a unit whose report was sent but is not accepted yet: its content does
/// not count until the standing office accepts it.
pub const NOT_ACCEPTED: &str = "Đã gửi, chưa tiếp nhận";

/// One unit's status on an activity.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UnitStatus {
    pub unit: String,
    /// The group counted together in summaries, e.g. "xã, thị trấn", "cơ quan, đơn vị cấp huyện".
    pub group: String,
    /// Chủ trì (true) or phối hợp.
    pub lead: bool,
    /// "Hoàn thành", "Đang triển khai", …, [`NOT_ACCEPTED`] or [`NOT_REPORTED`].
    pub status: String,
}

impl UnitStatus {
    pub fn is_done(&self) -> bool {
        self.status.starts_with("Hoàn thành")
    }
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

/// The issuing body's lines in the header block. A People's Committee (Ủy ban nhân dân) heads
/// its documents with its own name only, on two lines, the generic name then the place, as
/// Decree 30/2020 shows it: "UBND huyện Đức Thọ" → "Ủy ban nhân dân\nhuyện Đức Thọ" (printed
/// upper case). `None` for any other body, which keeps its name and its parent body.
pub fn issuer_heading(issuer: &str) -> Option<String> {
    let name = issuer.trim();
    let place = [
        "UBND ",
        "Ủy ban nhân dân ",
        "ỦY BAN NHÂN DÂN ",
        "Uỷ ban nhân dân ",
    ]
    .iter()
    .find_map(|p| name.strip_prefix(p))?
    .trim();
    (!place.is_empty()).then(|| format!("Ủy ban nhân dân\n{place}"))
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
        area_blocks(&mut body, area, &input.activities);
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
        .filter(|u| u.is_done())
        .count();
    let due: Vec<&ActivityStatusRow> = input
        .activities
        .iter()
        .filter(|a| a.units.iter().any(|u| u.lead))
        .collect();
    let lead_done = due
        .iter()
        .filter(|a| a.units.iter().filter(|u| u.lead).all(|u| u.is_done()))
        .count();
    body.push(Block::heading(1, "III. ĐÁNH GIÁ CHUNG"));
    body.push(Block::Paragraph(vec![
        Run::plain(format!(
            "Theo báo cáo đã được cơ quan thường trực CCHC chấp nhận, đến hết {} các cơ quan, đơn \
             vị đã hoàn thành ",
            input.period_label
        )),
        Run::bold(format!("{done}/{total}")),
        Run::plain(" lượt nhiệm vụ phải thực hiện trong kỳ; "),
        Run::bold(format!("{lead_done}/{}", due.len())),
        Run::plain(" hoạt động đến hạn trong kỳ đã được đơn vị chủ trì báo cáo hoàn thành "),
        Run::italic("(chi tiết tại Phụ lục I kèm theo)"),
        Run::plain("."),
    ]));
    let n_late: usize = input
        .areas
        .iter()
        .map(|a| by_activity(&a.late, |l| &l.activity).len())
        .sum();
    if n_late > 0 {
        body.push(Block::para(format!(
            "Còn {n_late} hoạt động chậm tiến độ hoặc có đơn vị chưa hoàn thành; nguyên nhân và \
             khó khăn nêu tại từng lĩnh vực ở Mục I."
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
    let (issuer_parent, issuer) = match issuer_heading(&input.issuer) {
        Some(heading) => (None, heading),
        None => (input.issuer_parent.clone(), input.issuer.clone()),
    };
    OfficialDocument {
        issuer_parent,
        issuer,
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

fn area_blocks(body: &mut Vec<Block>, area: &AreaReport, activities: &[ActivityStatusRow]) {
    let row_of = |id: &String| activities.iter().find(|a| &a.activity == id);
    body.push(Block::heading(2, format!("{}. {}", area.no, area.title)));

    body.push(Block::heading(4, "a) Kết quả đạt được"));
    if area.done.is_empty() {
        body.push(Block::para(
            "Trong kỳ chưa có nhiệm vụ nào của lĩnh vực được báo cáo hoàn thành.",
        ));
    }
    // One dash per activity: the lead's result with its documents, then how many of the
    // coordinating units have done it. A district report counts; it does not repeat the
    // activity for every commune.
    for group in by_activity(&area.done, |d| &d.activity) {
        let d0 = group[0];
        let mut runs = vec![Run::plain(format!("{} ", sentence(&d0.text)))];
        let row = row_of(&d0.activity);
        let leads: Vec<&UnitStatus> = row
            .map(|r| r.units.iter().filter(|u| u.lead).collect())
            .unwrap_or_default();
        let done_leads: Vec<&&DoneActivity> = group.iter().filter(|d| d.lead).collect();
        let mut said_lead = false;
        if leads.len() == 1 {
            let l = leads[0];
            runs.push(Run::bold(l.unit.clone()));
            runs.push(Run::plain(format!(" (chủ trì) {}", lower_first(&l.status))));
            if let Some(d) = done_leads.first() {
                if !d.note.trim().is_empty() {
                    runs.push(Run::plain(format!(
                        ": {}",
                        lower_first(d.note.trim().trim_end_matches('.'))
                    )));
                }
            }
            said_lead = true;
        } else if leads.len() > 1 {
            runs.push(Run::plain(format!(
                "Đơn vị chủ trì: {}",
                count_summary(&leads)
            )));
            said_lead = true;
        }
        let docs: Vec<&EvidenceRef> = done_leads.iter().flat_map(|d| &d.evidence).collect();
        if !docs.is_empty() {
            runs.push(Run::italic(format!(" ({})", cite_few(&docs, MAX_CITED))));
        }
        let coord: Vec<&UnitStatus> = row
            .map(|r| r.units.iter().filter(|u| !u.lead).collect())
            .unwrap_or_default();
        if !coord.is_empty() {
            runs.push(Run::plain(if said_lead {
                "; đơn vị phối hợp: "
            } else {
                "Đơn vị thực hiện: "
            }));
            runs.push(Run::plain(count_summary(&coord)));
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
    // Each activity once: who has not finished it, then the difficulties they gave, said once
    // each and only a few of them.
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
        let row = row_of(&l0.activity);
        let of = |lead: bool| -> Vec<&UnitStatus> {
            row.map(|r| r.units.iter().filter(|u| u.lead == lead).collect())
                .unwrap_or_default()
        };
        let (all_leads, all_coord) = (of(true), of(false));
        let leads: Vec<&UnitStatus> = all_leads.iter().copied().filter(|u| !u.is_done()).collect();
        let coord: Vec<&UnitStatus> = all_coord.iter().copied().filter(|u| !u.is_done()).collect();
        let mut parts = Vec::new();
        if all_leads.len() == 1 {
            let l = all_leads[0];
            let overdue = group.iter().any(|x| x.lead && x.overdue);
            parts.push(vec![
                Run::bold(l.unit.clone()),
                Run::plain(format!(
                    " (chủ trì) {}{}",
                    lower_first(&l.status),
                    if overdue { ", đã quá hạn" } else { "" }
                )),
            ]);
        } else if !leads.is_empty() {
            parts.push(vec![Run::plain(format!(
                "đơn vị chủ trì: {}",
                open_summary(&all_leads)
            ))]);
        }
        if !coord.is_empty() {
            parts.push(vec![Run::plain(format!(
                "đơn vị phối hợp: {}",
                open_summary(&all_coord)
            ))]);
        }
        if parts.is_empty() {
            // The input says the activity is late but its row does not: name the units.
            parts.push(vec![Run::plain(
                group
                    .iter()
                    .map(|l| format!("{} ({})", l.unit, lower_first(&l.status)))
                    .collect::<Vec<_>>()
                    .join(", "),
            )]);
        }
        for (k, p) in parts.into_iter().enumerate() {
            if k > 0 {
                runs.push(Run::plain("; "));
            }
            runs.extend(p);
        }
        let reasons = distinct(group.iter().map(|l| l.reason.as_str()));
        if !reasons.is_empty() {
            runs.push(Run::plain(". Khó khăn, nguyên nhân: "));
            let shown: Vec<String> = reasons
                .iter()
                .take(MAX_QUOTED)
                .map(|(r, n)| {
                    let q = format!("“{}”", r.trim().trim_end_matches('.'));
                    if *n > 1 {
                        format!("{q} ({n} đơn vị)")
                    } else {
                        q
                    }
                })
                .collect();
            runs.push(Run::italic(shown.join("; ")));
            if reasons.len() > MAX_QUOTED {
                runs.push(Run::plain(format!(
                    "; … và {} ý kiến khác",
                    reasons.len() - MAX_QUOTED
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
    for (text, mut units) in seen {
        units.dedup();
        let who = if units.len() <= 3 {
            units.join(", ")
        } else {
            format!(
                "{}, {} và {} đơn vị khác",
                units[0],
                units[1],
                units.len() - 2
            )
        };
        body.push(Block::Bullet(vec![
            Run::bold(format!("{who}: ")),
            Run::plain(sentence(text)),
        ]));
    }
}

/// Documents cited in the body for one activity, at most.
const MAX_CITED: usize = 3;
/// Difficulties quoted for one activity, at most.
const MAX_QUOTED: usize = 2;

/// "số 1/KH-UBND ngày 02/04/2024, số 5/BC-UBND ngày 10/05/2024 và 4 văn bản khác".
fn cite_few(docs: &[&EvidenceRef], max: usize) -> String {
    let mut cites: Vec<String> = Vec::new();
    for d in docs {
        let c = cite_short(d);
        if !c.is_empty() && !cites.contains(&c) {
            cites.push(c);
        }
    }
    let more = cites.len().saturating_sub(max);
    cites.truncate(max);
    let mut s = cites.join(", ");
    if more > 0 {
        s.push_str(&format!(" và {more} văn bản khác"));
    }
    s
}

/// Distinct non-empty texts with how many times each was given, in first-seen order.
fn distinct<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<(&'a str, usize)> {
    let mut out: Vec<(&str, usize)> = Vec::new();
    for t in texts.map(str::trim).filter(|t| !t.is_empty()) {
        match out.iter_mut().find(|(x, _)| *x == t) {
            Some((_, n)) => *n += 1,
            None => out.push((t, 1)),
        }
    }
    out
}

/// Summary label of a status: "chưa báo cáo", "đang triển khai", …; a report sent and not
/// accepted reads "đã gửi nhưng chưa được tiếp nhận" (no comma: counts are comma-separated).
fn status_word(status: &str) -> String {
    if status == NOT_ACCEPTED {
        "đã gửi nhưng chưa được tiếp nhận".into()
    } else {
        lower_first(status)
    }
}

/// "16/16 xã, thị trấn hoàn thành; 2/5 cơ quan, đơn vị cấp huyện hoàn thành, 2 đang triển
/// khai, 1 chưa báo cáo": units counted by group, groups in first-seen order.
pub fn count_summary(units: &[&UnitStatus]) -> String {
    let mut groups: Vec<(&str, Vec<&UnitStatus>)> = Vec::new();
    for u in units {
        match groups.iter_mut().find(|(g, _)| *g == u.group) {
            Some((_, v)) => v.push(u),
            None => groups.push((&u.group, vec![u])),
        }
    }
    groups
        .iter()
        .map(|(g, us)| {
            let done = us.iter().filter(|u| u.is_done()).count();
            let mut s = format!("{done}/{} {g} hoàn thành", us.len());
            let mut rest: Vec<(String, usize)> = Vec::new();
            for u in us.iter().filter(|u| !u.is_done()) {
                let w = status_word(&u.status);
                match rest.iter_mut().find(|(x, _)| *x == w) {
                    Some((_, n)) => *n += 1,
                    None => rest.push((w, 1)),
                }
            }
            rest.sort_by_key(|(w, _)| status_rank(w));
            for (w, n) in rest {
                s.push_str(&format!(", {n} {w}"));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// "4/16 xã, thị trấn chưa hoàn thành": the units of each group that have not finished, out
/// of the group's units (the statuses are in "what was done" and appendix I).
pub fn open_summary(units: &[&UnitStatus]) -> String {
    let mut groups: Vec<(&str, usize, usize)> = Vec::new();
    for u in units {
        let i = match groups.iter().position(|(g, _, _)| *g == u.group) {
            Some(i) => i,
            None => {
                groups.push((&u.group, 0, 0));
                groups.len() - 1
            }
        };
        groups[i].2 += 1;
        if !u.is_done() {
            groups[i].1 += 1;
        }
    }
    groups
        .iter()
        .filter(|(_, open, _)| *open > 0)
        .map(|(g, open, all)| format!("{open}/{all} {g} chưa hoàn thành"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Order of the statuses in a tally: done first, the rest from nearest to furthest.
fn status_rank(word: &str) -> u8 {
    match word {
        w if w.starts_with("hoàn thành") => 0,
        "đang triển khai" | "đang thực hiện" => 1,
        "chưa triển khai" => 2,
        "không thực hiện được" => 3,
        "đã gửi nhưng chưa được tiếp nhận" => 5,
        "chưa báo cáo" => 6,
        _ => 4,
    }
}

/// "Xã, thị trấn: 12 hoàn thành (2 trễ hạn), 3 đang triển khai, 1 chưa báo cáo" for
/// appendix I: each group's units counted by status.
pub fn status_tally(units: &[&UnitStatus]) -> String {
    let mut groups: Vec<(&str, Vec<&UnitStatus>)> = Vec::new();
    for u in units {
        match groups.iter_mut().find(|(g, _)| *g == u.group) {
            Some((_, v)) => v.push(u),
            None => groups.push((&u.group, vec![u])),
        }
    }
    groups
        .into_iter()
        .map(|(g, us)| {
            let done = us.iter().filter(|u| u.is_done()).count();
            let late = us
                .iter()
                .filter(|u| u.is_done() && u.status.contains("trễ hạn"))
                .count();
            let mut counts: Vec<(String, usize)> = Vec::new();
            if done > 0 {
                counts.push((
                    if late > 0 {
                        format!("hoàn thành ({late} trễ hạn)")
                    } else {
                        "hoàn thành".into()
                    },
                    done,
                ));
            }
            for u in us.iter().filter(|u| !u.is_done()) {
                let w = status_word(&u.status);
                match counts.iter_mut().find(|(x, _)| *x == w) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((w, 1)),
                }
            }
            counts.sort_by_key(|(w, _)| status_rank(w));
            format!(
                "{}: {}",
                upper_first(g),
                counts
                    .iter()
                    .map(|(w, n)| match w.strip_prefix("hoàn thành ") {
                        Some(late) => format!("{n} hoàn thành {late}"),
                        None => format!("{n} {w}"),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Consecutive items grouped by activity, in first-seen order.
fn by_activity<T>(items: &[T], key: impl Fn(&T) -> &String) -> Vec<Vec<&T>> {
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
    // One row per activity; 11 pt as appendices of this size are printed.
    let mut t = Table::new(vec![6, 11, 52, 14, 34, 50]);
    t.font_pt = 11;
    t.header = vec![vec![
        Cell::bold("TT"),
        Cell::bold("Số"),
        Cell::bold("Hoạt động"),
        Cell::bold("Thời gian hoàn thành"),
        Cell::bold("Đơn vị chủ trì, tình trạng"),
        Cell::bold("Đơn vị phối hợp (tổng hợp)"),
    ]];
    let mut task = "";
    for (i, a) in rows.iter().enumerate() {
        if !a.task.is_empty() && a.task != task {
            task = &a.task;
            let mut c = Cell::text("").span(6);
            c.runs = vec![Run::bold(format!("Nhiệm vụ: {task}"))];
            t.rows.push(vec![c]);
        }
        let leads: Vec<&UnitStatus> = a.units.iter().filter(|u| u.lead).collect();
        let coord: Vec<&UnitStatus> = a.units.iter().filter(|u| !u.lead).collect();
        let lead = if a.units.is_empty() {
            format!("{}: không có đơn vị báo cáo trong danh mục", a.lead)
        } else if leads.is_empty() {
            format!("{}: không báo cáo trong kỳ", a.lead)
        } else if leads.len() <= 3 {
            leads
                .iter()
                .map(|u| format!("{}: {}", u.unit, lower_first(&status_word(&u.status))))
                .collect::<Vec<_>>()
                .join("; ")
        } else {
            status_tally(&leads)
        };
        t.rows.push(vec![
            Cell::center((i + 1).to_string()),
            number_cell(a),
            Cell::text(a.text.clone()),
            Cell::center(a.deadline.clone()),
            Cell::text(lead),
            Cell::text(status_tally(&coord)),
        ]);
    }
    t
}

/// The decision's number ("3.1") and, under it in italics, the key (I.1.3.1).
fn number_cell(a: &ActivityStatusRow) -> Cell {
    let mut c = Cell::center(if a.number.is_empty() {
        &a.activity
    } else {
        &a.number
    });
    if !a.number.is_empty() && a.number != a.activity {
        c.runs.push(Run::italic(format!("\n{}", a.activity)));
    }
    c
}

fn timeliness_table(rows: &[TimelinessRow]) -> Table {
    // Wide enough for "19/07/2024" on one line.
    let mut t = Table::new(vec![6, 36, 10, 10, 10, 18, 18]);
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
