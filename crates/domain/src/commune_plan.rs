//! Kế hoạch CCHC của xã — a commune's own reform plan, derived from the district plan: the
//! district's activities the commune leads or coordinates and the targets that apply to
//! communes, which the commune edits and then issues (số hiệu, ngày ban hành, tệp).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::deadline::Deadline;
use crate::execution::{involvement, sha256_hex};
use crate::plan::{Activity, Decision, Plan, Section, Target, UnitRef};
use crate::text::{clean, fold};
use crate::unit::{Registry, Unit, UnitLevel};

/// Kế hoạch cấp trên — the district plan a commune plan was derived from: its stored id and
/// the fingerprint of its content then (a re-imported district plan has another).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParentPlan {
    pub plan_id: i64,
    pub version: String,
}

impl ParentPlan {
    /// The fingerprint of a plan's content: the first 16 hex digits of the SHA-256 of its
    /// `cchc-plan/1` JSON (diagnostics left out, as they are not the decision's words).
    pub fn version_of(plan: &Plan) -> String {
        let mut p = plan.clone();
        p.diagnostics.clear();
        let json = serde_json::to_vec(&p).unwrap_or_default();
        sha256_hex(&json)[..16].to_string()
    }
}

/// Trạng thái kế hoạch của xã — a draft the commune may edit, or issued (read-only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommunePlanStatus {
    /// Dự thảo.
    Draft,
    /// Đã ban hành.
    Issued,
}

impl CommunePlanStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CommunePlanStatus::Draft => "draft",
            CommunePlanStatus::Issued => "issued",
        }
    }
    pub fn parse(s: &str) -> Option<CommunePlanStatus> {
        match s {
            "draft" => Some(CommunePlanStatus::Draft),
            "issued" => Some(CommunePlanStatus::Issued),
            _ => None,
        }
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            CommunePlanStatus::Draft => "Dự thảo",
            CommunePlanStatus::Issued => "Đã ban hành",
        }
    }
}

/// Whether a target of the district plan applies to communes: its words name the commune
/// level ("cấp xã", "các xã", "công chức xã", "xã, thị trấn").
pub fn applies_to_communes(text: &str) -> bool {
    let k = fold(text);
    [
        "cap xa",
        "cac xa",
        "cong chuc xa",
        "xa, thi tran",
        "xa thi tran",
    ]
    .iter()
    .any(|w| k.contains(w))
}

/// Dự thảo kế hoạch của xã: the district plan's activities `commune` leads or coordinates
/// (groups expanded through `registry`; outputs, deadlines and keys kept) under their
/// sections, tasks and rows, and the targets and solutions that apply to communes. The draft
/// is owned by the commune, has no number or date yet, and cites the district decision.
pub fn derive(district: &Plan, registry: &Registry, commune: &Unit) -> Plan {
    let mut sections: Vec<Section> = district.sections.clone();
    for section in &mut sections {
        for part in &mut section.parts {
            for row in &mut part.rows {
                for task in &mut row.tasks {
                    task.activities
                        .retain(|a| involvement(a, &commune.id, registry).is_some());
                }
                row.tasks.retain(|t| !t.activities.is_empty());
            }
            part.rows.retain(|r| !r.tasks.is_empty());
        }
        section.parts.retain(|p| !p.rows.is_empty());
    }
    sections.retain(|s| !s.parts.is_empty());
    let targets: Vec<Target> = district
        .targets
        .iter()
        .filter(|t| applies_to_communes(&t.text))
        .cloned()
        .collect();
    let solutions = district
        .solutions
        .iter()
        .filter(|s| applies_to_communes(&s.text))
        .cloned()
        .collect();
    let name = commune_name(commune);
    let d = &district.decision;
    let basis = match d.date {
        Some(date) => format!(
            "Quyết định số {} ngày {} ({})",
            d.number,
            date.format("%d/%m/%Y"),
            d.title
        ),
        None => format!("Quyết định số {} ({})", d.number, d.title),
    };
    Plan {
        format: district.format.clone(),
        decision: Decision {
            number: String::new(),
            date: None,
            place: None,
            title: format!(
                "Kế hoạch cải cách hành chính năm {} của {name}",
                district.year
            ),
            signer: None,
            legal_basis: vec![basis],
            recipients: vec![],
        },
        year: district.year,
        owner: UnitRef::unit(commune.id.clone(), name),
        areas: district.areas.clone(),
        targets,
        solutions,
        sections,
        commune_plans_due: None,
        diagnostics: vec![],
    }
}

/// "UBND xã Tùng Ảnh": how a commune's plan names its issuer.
fn commune_name(u: &Unit) -> String {
    u.aliases
        .iter()
        .find(|a| fold(a).starts_with("ubnd "))
        .cloned()
        .unwrap_or_else(|| format!("UBND {}", u.name))
}

/// Whether a unit issues a commune plan (communes and townships).
pub fn is_commune(u: &Unit) -> bool {
    u.kind.level() == UnitLevel::Commune
}

/// Removes the activity with this key; `false` when the plan has none. Tasks, rows, parts
/// and sections left empty go with it.
pub fn remove_activity(plan: &mut Plan, key: &str) -> bool {
    let mut found = false;
    for section in &mut plan.sections {
        for part in &mut section.parts {
            for row in &mut part.rows {
                for task in &mut row.tasks {
                    let before = task.activities.len();
                    task.activities.retain(|a| a.id != key);
                    found |= task.activities.len() != before;
                }
                row.tasks.retain(|t| !t.activities.is_empty());
            }
            part.rows.retain(|r| !r.tasks.is_empty());
        }
        section.parts.retain(|p| !p.rows.is_empty());
    }
    plan.sections.retain(|s| !s.parts.is_empty());
    found
}

/// The activity with this key, to change in place.
pub fn activity_mut<'p>(plan: &'p mut Plan, key: &str) -> Option<&'p mut Activity> {
    plan.sections
        .iter_mut()
        .flat_map(|s| &mut s.parts)
        .flat_map(|p| &mut p.rows)
        .flat_map(|r| &mut r.tasks)
        .flat_map(|t| &mut t.activities)
        .find(|a| a.id == key)
}

/// The section holding the commune's own activities (hoạt động bổ sung của xã).
pub const OWN_SECTION: &str = "BS";

/// Adds an activity of the commune's own, led by the plan's owner, under the section
/// [`OWN_SECTION`] (created when absent); its key is `BS.1.{n}`. Returns the key.
pub fn add_activity(plan: &mut Plan, text: &str, outputs: Option<&str>, deadline: &str) -> String {
    use crate::plan::{Part, Row, Task};
    let year = plan.year;
    let lead = plan.owner.clone();
    if !plan.sections.iter().any(|s| s.code == OWN_SECTION) {
        plan.sections.push(Section {
            code: OWN_SECTION.into(),
            title: "HOẠT ĐỘNG BỔ SUNG CỦA XÃ".into(),
            parts: vec![Part {
                code: None,
                title: None,
                rows: vec![Row {
                    no: "1".into(),
                    objective: None,
                    tasks: vec![Task {
                        code: None,
                        text: "Nhiệm vụ do xã bổ sung".into(),
                        activities: vec![],
                    }],
                }],
            }],
        });
    }
    let section = plan
        .sections
        .iter_mut()
        .find(|s| s.code == OWN_SECTION)
        .expect("the own section was just ensured");
    let task = &mut section.parts[0].rows[0].tasks[0];
    let n = task
        .activities
        .iter()
        .filter_map(|a| a.code.as_deref()?.parse::<u32>().ok())
        .max()
        .unwrap_or(0)
        + 1;
    let key = format!("{OWN_SECTION}.1.{n}");
    task.activities.push(Activity {
        id: key.clone(),
        code: Some(n.to_string()),
        text: clean(text),
        outputs: outputs.map(clean).filter(|o| !o.is_empty()),
        lead: vec![lead],
        coordinators: vec![],
        deadline: Some(Deadline::parse(deadline, year)),
        funding: None,
    });
    key
}

/// Số hiệu kế hoạch: "15/KH-UBND" (a number, "/KH-", the issuer's abbreviation). Spaces
/// around the parts are dropped; a wrong form is refused with what is expected.
pub fn parse_issue_number(s: &str) -> Result<String, String> {
    let compact: String = clean(s).chars().filter(|c| !c.is_whitespace()).collect();
    let bad = || {
        format!(
            "số hiệu «{}» không đúng dạng «số/KH-cơ quan», ví dụ «15/KH-UBND»",
            clean(s)
        )
    };
    let (num, rest) = compact.split_once('/').ok_or_else(bad)?;
    let issuer = rest.strip_prefix("KH-").ok_or_else(bad)?;
    let num_ok = !num.is_empty() && num.len() <= 6 && num.bytes().all(|b| b.is_ascii_digit());
    let issuer_ok = !issuer.is_empty()
        && issuer.len() <= 30
        && issuer
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    if !num_ok || !issuer_ok || num.bytes().all(|b| b == b'0') {
        return Err(bad());
    }
    Ok(compact)
}

/// Đúng hạn / muộn / chưa ban hành: a commune's plan against the district's deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "days")]
pub enum Timeliness {
    /// Ban hành đúng hạn (on or before the deadline).
    OnTime,
    /// Ban hành muộn, by this many days.
    Late(i64),
    /// Ban hành, but the district plan gives no deadline to judge it by.
    Issued,
    /// Chưa ban hành.
    NotIssued,
}

impl Timeliness {
    pub fn of(issued_on: Option<NaiveDate>, due: Option<NaiveDate>) -> Timeliness {
        match (issued_on, due) {
            (None, _) => Timeliness::NotIssued,
            (Some(_), None) => Timeliness::Issued,
            (Some(d), Some(due)) if d <= due => Timeliness::OnTime,
            (Some(d), Some(due)) => Timeliness::Late((d - due).num_days()),
        }
    }

    pub fn label_vi(self) -> String {
        match self {
            Timeliness::OnTime => "Ban hành đúng hạn".into(),
            Timeliness::Late(days) => format!("Ban hành muộn {days} ngày"),
            Timeliness::Issued => "Đã ban hành".into(),
            Timeliness::NotIssued => "Chưa ban hành".into(),
        }
    }
}

/// Hạn ban hành kế hoạch của xã as the district decision writes it: a sentence naming the
/// communes' reform plan ("Kế hoạch CCHC năm … của UBND cấp xã …") and "trước ngày dd/mm/yyyy".
/// The importer calls this on each paragraph of the decision's text.
pub fn commune_plans_due_in(paragraph: &str) -> Option<NaiveDate> {
    let k = fold(paragraph);
    let names_plan = k.contains("ke hoach cchc") || k.contains("ke hoach cai cach hanh chinh");
    let names_communes = k.contains("cap xa") || k.contains("cac xa");
    if !(names_plan && names_communes) {
        return None;
    }
    let at = k.find("truoc ngay")? + "truoc ngay".len();
    let date: String = k[at..]
        .trim_start_matches([' ', '*'])
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '/')
        .collect();
    NaiveDate::parse_from_str(&date, "%d/%m/%Y").ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;
    use crate::group::GroupId;
    use crate::unit::{UnitId, UnitKind};

    fn commune() -> Unit {
        Unit {
            id: UnitId::parse("xa-tung-anh").unwrap(),
            name: "Xã Tùng Ảnh".into(),
            kind: UnitKind::Commune,
            parent: None,
            aliases: vec!["UBND xã Tùng Ảnh".into()],
            source: String::new(),
        }
    }

    #[test]
    fn derive_keeps_what_the_commune_takes_part_in() {
        // fixtures::act has the communes coordinate; b and the second section's do not.
        let a = fixtures::act("3.1");
        let mut b = fixtures::act("3.2");
        b.coordinators = vec![UnitRef::group(GroupId::Schools, "các trường học")];
        let mut row = fixtures::simple_row(1);
        row.tasks[0].activities = vec![a, b];
        let mut other = fixtures::simple_row(1);
        other.tasks[0].activities[0].coordinators.clear();
        let mut p = fixtures::plan(
            vec![
                fixtures::target("1.1", "100% UBND cấp xã ban hành kế hoạch", vec![]),
                fixtures::target("1.2", "Tối thiểu 90% văn bản của huyện", vec![]),
            ],
            vec![
                fixtures::section("I", vec![row]),
                fixtures::section("II", vec![other]),
            ],
        );
        p.assign_ids();
        let u = commune();
        let reg = Registry::new(vec![u.clone()]);
        let d = derive(&p, &reg, &u);
        let keys: Vec<_> = d.activities().map(|c| c.activity.id.clone()).collect();
        assert_eq!(keys, vec!["I.1.3.1"]);
        assert_eq!(
            d.sections.len(),
            1,
            "a section without the commune's activity goes"
        );
        assert_eq!(d.targets.len(), 1);
        assert_eq!(d.targets[0].code, "1.1");
        assert_eq!(d.owner.text, "UBND xã Tùng Ảnh");
        assert!(d.decision.legal_basis[0].contains("60/QĐ-UBND"));
    }

    #[test]
    fn edits_remove_change_and_add() {
        let mut p = fixtures::plan(
            vec![],
            vec![fixtures::section("I", vec![fixtures::simple_row(1)])],
        );
        p.assign_ids();
        let key = p.activities().next().unwrap().activity.id.clone();
        activity_mut(&mut p, &key).unwrap().outputs = Some("Báo cáo".into());
        assert_eq!(
            p.activity(&key).unwrap().activity.outputs.as_deref(),
            Some("Báo cáo")
        );
        let added = add_activity(&mut p, "Tuyên truyền CCHC trên loa xã", None, "Quý II/2024");
        assert_eq!(added, "BS.1.1");
        assert_eq!(add_activity(&mut p, "Khác", None, "Thường xuyên"), "BS.1.2");
        assert!(remove_activity(&mut p, &key));
        assert!(!remove_activity(&mut p, &key));
        assert_eq!(p.sections.len(), 1);
        assert_eq!(p.sections[0].code, OWN_SECTION);
    }

    #[test]
    fn issue_numbers_are_checked() {
        assert_eq!(parse_issue_number(" 15 / KH-UBND ").unwrap(), "15/KH-UBND");
        for bad in [
            "15/QĐ-UBND",
            "KH-UBND",
            "abc/KH-UBND",
            "0/KH-UBND",
            "15/KH-",
            "",
        ] {
            let e = parse_issue_number(bad).unwrap_err();
            assert!(e.contains("15/KH-UBND"), "{bad}: {e}");
        }
    }

    #[test]
    fn timeliness_counts_days_late() {
        let due = fixtures::date(2024, 2, 5);
        assert_eq!(Timeliness::of(Some(due), Some(due)), Timeliness::OnTime);
        assert_eq!(
            Timeliness::of(Some(fixtures::date(2024, 2, 8)), Some(due)),
            Timeliness::Late(3)
        );
        assert_eq!(Timeliness::of(None, Some(due)), Timeliness::NotIssued);
        assert_eq!(Timeliness::of(Some(due), None), Timeliness::Issued);
    }

    #[test]
    fn the_deadline_sentence_is_read() {
        let s = "Kế hoạch CCHC năm 2024 của UBND cấp xã báo cáo về UBND cấp huyện trước ngày **05/02/2024** để tổng hợp, theo dõi.";
        assert_eq!(commune_plans_due_in(s), Some(fixtures::date(2024, 2, 5)));
        assert_eq!(commune_plans_due_in("Báo cáo trước ngày 05/02/2024"), None);
    }
}
