//! What re-importing a plan would change (so-sánh kế hoạch), by stable keys.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::plan::Plan;

/// Thay đổi — the difference between a stored plan and a newly read one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PlanDiff {
    /// Decision fields whose value differs (`title`, `date`, …).
    pub decision_fields: Vec<String>,
    pub targets_added: Vec<String>,
    pub targets_removed: Vec<String>,
    pub targets_changed: Vec<String>,
    pub activities_added: Vec<String>,
    pub activities_removed: Vec<String>,
    pub activities_changed: Vec<String>,
    /// Whether the solutions, areas or section headings differ.
    pub other_changed: bool,
}

impl PlanDiff {
    pub fn is_empty(&self) -> bool {
        *self == PlanDiff::default()
    }

    /// Lines in Vietnamese for the command line.
    pub fn describe_vi(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut list = |label: &str, items: &[String]| {
            if !items.is_empty() {
                out.push(format!("{label} ({}): {}", items.len(), items.join(", ")));
            }
        };
        list("Thông tin quyết định thay đổi", &self.decision_fields);
        list("Chỉ tiêu thêm mới", &self.targets_added);
        list("Chỉ tiêu bị bỏ", &self.targets_removed);
        list("Chỉ tiêu sửa đổi", &self.targets_changed);
        list("Hoạt động thêm mới", &self.activities_added);
        list("Hoạt động bị bỏ", &self.activities_removed);
        list("Hoạt động sửa đổi", &self.activities_changed);
        if self.other_changed {
            out.push("Lĩnh vực, giải pháp hoặc tiêu đề các phần của phụ lục thay đổi".into());
        }
        out
    }
}

fn keyed<'a, T: PartialEq + 'a>(
    items: impl Iterator<Item = (String, &'a T)>,
) -> BTreeMap<String, &'a T> {
    let mut map = BTreeMap::new();
    for (k, v) in items {
        // A repeated key (the document's own duplicate numbering) gets a suffix so that
        // neither copy is lost from the comparison.
        let mut key = k.clone();
        let mut n = 1;
        while map.contains_key(&key) {
            n += 1;
            key = format!("{k}-{n}");
        }
        map.insert(key, v);
    }
    map
}

fn compare<T: PartialEq>(
    old: BTreeMap<String, &T>,
    new: BTreeMap<String, &T>,
    added: &mut Vec<String>,
    removed: &mut Vec<String>,
    changed: &mut Vec<String>,
) {
    for (k, v) in &new {
        match old.get(k) {
            None => added.push(k.clone()),
            Some(o) if o != v => changed.push(k.clone()),
            _ => {}
        }
    }
    removed.extend(old.keys().filter(|k| !new.contains_key(*k)).cloned());
}

/// The matrix without its activities: sections, parts, rows, objectives and tasks.
fn skeleton(p: &Plan) -> Vec<crate::plan::Section> {
    let mut sections = p.sections.clone();
    for t in sections
        .iter_mut()
        .flat_map(|s| &mut s.parts)
        .flat_map(|p| &mut p.rows)
        .flat_map(|r| &mut r.tasks)
    {
        t.activities.clear();
    }
    sections
}

/// Compares two plans by target code and activity id; diagnostics are not compared.
pub fn diff(old: &Plan, new: &Plan) -> PlanDiff {
    let mut d = PlanDiff::default();
    let (a, b) = (&old.decision, &new.decision);
    let fields: [(&str, bool); 7] = [
        ("number", a.number != b.number),
        ("date", a.date != b.date),
        ("place", a.place != b.place),
        ("title", a.title != b.title),
        ("signer", a.signer != b.signer),
        ("legal_basis", a.legal_basis != b.legal_basis),
        ("recipients", a.recipients != b.recipients),
    ];
    d.decision_fields = fields
        .iter()
        .filter(|(_, c)| *c)
        .map(|(f, _)| f.to_string())
        .collect();
    if old.year != new.year {
        d.decision_fields.push("year".into());
    }
    if old.owner != new.owner {
        d.decision_fields.push("owner".into());
    }
    compare(
        keyed(old.targets.iter().map(|t| (t.code.clone(), t))),
        keyed(new.targets.iter().map(|t| (t.code.clone(), t))),
        &mut d.targets_added,
        &mut d.targets_removed,
        &mut d.targets_changed,
    );
    compare(
        keyed(
            old.activities()
                .map(|c| (c.activity.id.clone(), c.activity)),
        ),
        keyed(
            new.activities()
                .map(|c| (c.activity.id.clone(), c.activity)),
        ),
        &mut d.activities_added,
        &mut d.activities_removed,
        &mut d.activities_changed,
    );
    d.other_changed =
        old.areas != new.areas || old.solutions != new.solutions || skeleton(old) != skeleton(new);
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;
    use crate::plan::*;

    fn plan() -> Plan {
        let mut p = fixtures::plan(
            vec![fixtures::target("1.1", "A", vec![])],
            vec![fixtures::section("I", vec![fixtures::simple_row(1)])],
        );
        p.assign_ids();
        p
    }

    #[test]
    fn identical_plans_have_no_diff() {
        assert!(diff(&plan(), &plan()).is_empty());
    }

    #[test]
    fn changed_added_and_removed_items_are_named_by_key() {
        let old = plan();
        let mut new = plan();
        new.targets[0].text = "B".into();
        new.targets.push(Target {
            code: "1.2".into(),
            area: 1,
            text: "C".into(),
            measures: vec![],
        });
        new.sections[0].parts[0].rows[0].tasks[0].activities[0].funding =
            Some("Theo dự toán".into());
        let d = diff(&old, &new);
        assert_eq!(d.targets_changed, vec!["1.1"]);
        assert_eq!(d.targets_added, vec!["1.2"]);
        assert_eq!(d.activities_changed, vec!["I.1.3.1"]);
        assert!(d.activities_removed.is_empty());
        assert!(!d.other_changed);
        let reverse = diff(&new, &old);
        assert_eq!(reverse.targets_removed, vec!["1.2"]);
        assert_eq!(reverse.describe_vi().len(), 3);
    }
}
