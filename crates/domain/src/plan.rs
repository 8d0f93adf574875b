//! The reform plan (kế hoạch CCHC) in the shape of the `cchc-plan/1` contract
//! (`shared/spec/plan-format.md`). Field names here are the contract: add, never rename.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::deadline::Deadline;
use crate::diagnostic::Diagnostic;
use crate::group::GroupId;
use crate::measure::Measure;
use crate::unit::UnitId;

pub const FORMAT: &str = "cchc-plan/1";

/// Kế hoạch CCHC — one plan, as issued by a decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub format: String,
    pub decision: Decision,
    pub year: i32,
    pub owner: UnitRef,
    pub areas: Vec<Area>,
    pub targets: Vec<Target>,
    pub solutions: Vec<Solution>,
    pub sections: Vec<Section>,
    /// Hạn ban hành kế hoạch CCHC của xã: the day by which the decision asks every commune
    /// to issue its own plan ("… của UBND cấp xã … trước ngày 05/02/2024"), when it says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commune_plans_due: Option<NaiveDate>,
    #[serde(default)]
    pub diagnostics: Vec<Diagnostic>,
}

/// Quyết định — the decision that issues the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Số, ký hiệu: "60/QĐ-UBND".
    pub number: String,
    pub date: Option<NaiveDate>,
    pub place: Option<String>,
    pub title: String,
    pub signer: Option<Signer>,
    /// Căn cứ.
    pub legal_basis: Vec<String>,
    /// Nơi nhận.
    pub recipients: Vec<String>,
}

/// Người ký — the signer's title and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    pub title: String,
    pub name: String,
}

/// Lĩnh vực — one of the plan's reform areas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    pub no: u32,
    pub title: String,
}

/// Chỉ tiêu chủ yếu — a key target of part II.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub code: String,
    pub area: u32,
    pub text: String,
    pub measures: Vec<Measure>,
}

/// Nhiệm vụ, giải pháp chung — a bullet of part III.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Solution {
    pub area: u32,
    pub text: String,
}

/// Phần của phụ lục — a section (I, II, …) of the appendix matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub code: String,
    pub title: String,
    pub parts: Vec<Part>,
}

/// Mục con (A, B) of a section; `code` null when the section has none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    pub code: Option<String>,
    pub title: Option<String>,
    pub rows: Vec<Row>,
}

/// Dòng (TT) of the matrix: one objective and its tasks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub no: String,
    pub objective: Option<Objective>,
    pub tasks: Vec<Task>,
}

/// Mục tiêu — the first column of a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Objective {
    pub code: Option<String>,
    pub text: String,
}

/// Nhiệm vụ — the second column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub code: Option<String>,
    pub text: String,
    pub activities: Vec<Activity>,
}

/// Hoạt động — the unit of execution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// Stable key within the plan (added to the contract): see [`Plan::assign_ids`].
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    pub code: Option<String>,
    pub text: String,
    /// Kết quả, sản phẩm.
    pub outputs: Option<String>,
    /// Chủ trì.
    pub lead: Vec<UnitRef>,
    /// Phối hợp.
    pub coordinators: Vec<UnitRef>,
    /// Thời gian hoàn thành.
    pub deadline: Option<Deadline>,
    /// Kinh phí.
    pub funding: Option<String>,
}

/// Tham chiếu đơn vị — the words of the source and what they name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRef {
    #[serde(flatten)]
    pub target: RefTarget,
    pub text: String,
}

/// What a unit reference resolves to: exactly one of unit, group, unresolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RefTarget {
    Unit(UnitId),
    Group(GroupId),
    Unresolved(String),
}

impl UnitRef {
    pub fn unit(id: UnitId, text: impl Into<String>) -> Self {
        UnitRef {
            target: RefTarget::Unit(id),
            text: text.into(),
        }
    }
    pub fn group(g: GroupId, text: impl Into<String>) -> Self {
        UnitRef {
            target: RefTarget::Group(g),
            text: text.into(),
        }
    }
    pub fn unresolved(text: impl Into<String>) -> Self {
        let text = text.into();
        UnitRef {
            target: RefTarget::Unresolved(text.clone()),
            text,
        }
    }
}

/// Where an activity sits in the matrix, for listing it beside its context.
#[derive(Debug, Clone, Copy)]
pub struct ActivityCtx<'a> {
    pub section: &'a Section,
    pub part: &'a Part,
    pub row: &'a Row,
    pub task: &'a Task,
    pub activity: &'a Activity,
}

impl ActivityCtx<'_> {
    /// Số hoạt động as the decision writes it ("3.1"); the key when the document gives none.
    pub fn number(&self) -> &str {
        self.activity.code.as_deref().unwrap_or(&self.activity.id)
    }

    /// Where that number stands in the decision: "nhiệm vụ 2.1, mục II" (part "A" and the
    /// task's number when the document gives them).
    pub fn context_vi(&self) -> String {
        let mut parts = Vec::new();
        if let Some(t) = &self.task.code {
            parts.push(format!("nhiệm vụ {t}"));
        }
        let part = self.part.code.as_deref().unwrap_or("");
        parts.push(format!("mục {}{part}", self.section.code));
        parts.join(", ")
    }

    /// "Hoạt động 3.1 (nhiệm vụ 2.1, mục II)": the activity named as the decision numbers it.
    pub fn label_vi(&self) -> String {
        format!("Hoạt động {} ({})", self.number(), self.context_vi())
    }
}

impl Plan {
    /// Every activity with its section, part, row and task, in document order.
    pub fn activities(&self) -> impl Iterator<Item = ActivityCtx<'_>> {
        self.sections.iter().flat_map(|section| {
            section.parts.iter().flat_map(move |part| {
                part.rows.iter().flat_map(move |row| {
                    row.tasks.iter().flat_map(move |task| {
                        task.activities.iter().map(move |activity| ActivityCtx {
                            section,
                            part,
                            row,
                            task,
                            activity,
                        })
                    })
                })
            })
        })
    }

    pub fn activity(&self, id: &str) -> Option<ActivityCtx<'_>> {
        self.activities().find(|a| a.activity.id == id)
    }

    /// Gives every activity a stable key: `{section}[{part}].{row no}.{activity code}`, e.g.
    /// `I.1.3.2` or `VIIA.1.3.1`; an activity without a code takes `a{n}` (its place in the
    /// row), and a key met twice gains `-2`, `-3`. Keys depend only on the document's own
    /// numbering, so re-importing a corrected document keeps the keys of unchanged items.
    pub fn assign_ids(&mut self) {
        let mut seen: HashMap<String, u32> = HashMap::new();
        for section in &mut self.sections {
            for part in &mut section.parts {
                let prefix = format!("{}{}", section.code, part.code.as_deref().unwrap_or(""));
                for row in &mut part.rows {
                    let mut n = 0;
                    for task in &mut row.tasks {
                        for a in &mut task.activities {
                            n += 1;
                            let code = a.code.clone().unwrap_or_else(|| format!("a{n}"));
                            let base = format!("{prefix}.{}.{code}", row.no);
                            let count = seen.entry(base.clone()).or_insert(0);
                            *count += 1;
                            a.id = if *count == 1 {
                                base
                            } else {
                                format!("{base}-{count}")
                            };
                        }
                    }
                }
            }
        }
    }

    pub fn area_title(&self, no: u32) -> Option<&str> {
        self.areas
            .iter()
            .find(|a| a.no == no)
            .map(|a| a.title.as_str())
    }

    /// The reform area an appendix section belongs to: its position among the sections
    /// (section I is area 1, …), as the appendix follows the areas' order.
    pub fn section_area(&self, section_code: &str) -> Option<u32> {
        self.sections
            .iter()
            .position(|s| s.code == section_code)
            .map(|i| i as u32 + 1)
    }
}
