//! Lọc hoạt động — selecting the activities of a plan by area, unit and role, deadline window
//! and free text. Pure: the caller passes the registry and "today".

use chrono::NaiveDate;

use crate::deadline::{Deadline, DeadlineKind};
use crate::group::GroupId;
use crate::plan::{Activity, ActivityCtx, Plan, RefTarget, UnitRef};
use crate::text::fold;
use crate::unit::{Registry, Unit};

/// Vai trò — whether a unit leads an activity, coordinates it, or either.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Role {
    /// chủ trì
    Lead,
    /// phối hợp
    Coordinator,
    /// tất cả
    #[default]
    Any,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Any, Role::Lead, Role::Coordinator];

    /// The query-string spelling: `chu_tri`, `phoi_hop`, `tat_ca`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Lead => "chu_tri",
            Role::Coordinator => "phoi_hop",
            Role::Any => "tat_ca",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }
}

/// Khoảng thời hạn — which deadlines a filter keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Window {
    /// A quarter, a month or a year, both ends inclusive: dated deadlines whose span meets it.
    Span { from: NaiveDate, to: NaiveDate },
    /// quá hạn: a dated deadline whose last day is before today.
    Overdue,
    /// thường xuyên
    Recurring,
    /// có điều kiện
    Conditional,
}

impl Window {
    /// Parses `2024-Q2`, `2024-03`, `2024`, `qua_han`, `thuong_xuyen`, `co_dieu_kien`.
    pub fn parse(s: &str) -> Option<Window> {
        let s = s.trim();
        match s {
            "qua_han" => return Some(Window::Overdue),
            "thuong_xuyen" => return Some(Window::Recurring),
            "co_dieu_kien" => return Some(Window::Conditional),
            _ => {}
        }
        let (year, rest) = match s.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (s, None),
        };
        if year.len() != 4 {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let (first_month, months) = match rest {
            None => (1, 12),
            Some(r) if r.starts_with(['Q', 'q']) => {
                let q: u32 = r[1..].parse().ok()?;
                if !(1..=4).contains(&q) || r.len() != 2 {
                    return None;
                }
                (3 * q - 2, 3)
            }
            Some(r) => {
                let m: u32 = r.parse().ok()?;
                if !(1..=12).contains(&m) || r.len() != 2 {
                    return None;
                }
                (m, 1)
            }
        };
        let from = NaiveDate::from_ymd_opt(year, first_month, 1)?;
        let to = last_day_of_month(year, first_month + months - 1)?;
        Some(Window::Span { from, to })
    }

    /// Whether an activity with this deadline (or none) belongs in the window on `today`.
    pub fn matches(&self, deadline: Option<&Deadline>, today: NaiveDate) -> bool {
        let Some(d) = deadline else { return false };
        match *self {
            Window::Span { from, to } => d.falls_within(from, to),
            Window::Overdue => d.is_past(today),
            Window::Recurring => d.kind == DeadlineKind::Recurring,
            Window::Conditional => d.kind == DeadlineKind::Conditional,
        }
    }
}

fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

/// How a unit takes part in a set of references: named itself, or through a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The reference names the unit.
    Direct,
    /// The reference names a group the unit belongs to.
    Group(GroupId),
}

/// Whether `refs` name `unit`, directly first, else through a group that contains it.
pub fn names_unit(refs: &[UnitRef], unit: &Unit) -> Option<Via> {
    let direct = refs
        .iter()
        .any(|r| matches!(&r.target, RefTarget::Unit(id) if *id == unit.id));
    if direct {
        return Some(Via::Direct);
    }
    refs.iter().find_map(|r| match r.target {
        RefTarget::Group(g) if g.contains(unit) => Some(Via::Group(g)),
        _ => None,
    })
}

/// Sự tham gia — how a unit takes part in one activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Involvement {
    pub lead: Option<Via>,
    pub coordinator: Option<Via>,
}

impl Involvement {
    /// How `unit` takes part in `activity`, groups expanded.
    pub fn of(activity: &Activity, unit: &Unit) -> Self {
        Involvement {
            lead: names_unit(&activity.lead, unit),
            coordinator: names_unit(&activity.coordinators, unit),
        }
    }

    /// Whether the unit takes part in the given role.
    pub fn has(&self, role: Role) -> bool {
        match role {
            Role::Lead => self.lead.is_some(),
            Role::Coordinator => self.coordinator.is_some(),
            Role::Any => self.lead.is_some() || self.coordinator.is_some(),
        }
    }
}

/// The search fields of an activity in its context, folded: activity, task, objective, output,
/// and the unit references (the source words, the registry names and the group labels).
pub fn search_fields(ctx: &ActivityCtx<'_>, registry: &Registry) -> Vec<String> {
    let a = ctx.activity;
    let mut parts: Vec<&str> = vec![&a.text, &ctx.task.text];
    parts.extend(ctx.row.objective.as_ref().map(|o| o.text.as_str()));
    parts.extend(a.outputs.as_deref());
    for r in a.lead.iter().chain(&a.coordinators) {
        parts.push(&r.text);
        match &r.target {
            RefTarget::Unit(id) => parts.extend(registry.get(id).map(|u| u.name.as_str())),
            RefTarget::Group(g) => parts.push(g.label_vi()),
            RefTarget::Unresolved(_) => {}
        }
    }
    parts.into_iter().map(fold).collect()
}

fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Whether the words of `query` occur in `field` (already folded) one after the other, each
/// the beginning of a word: "noi vu" finds "Phòng Nội vụ" but not "nội bộ … nhiệm vụ"; "so hoa"
/// finds "số hóa". Diacritics and case are ignored.
pub fn matches_phrase(field: &str, query: &str) -> bool {
    let q = fold(query);
    let q: Vec<&str> = words(&q).collect();
    if q.is_empty() {
        return true;
    }
    let f: Vec<&str> = words(field).collect();
    f.windows(q.len())
        .any(|w| w.iter().zip(&q).all(|(fw, qw)| fw.starts_with(qw)))
}

/// Bộ lọc — the criteria of the plan page; every criterion left `None` keeps everything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// lĩnh vực: the reform area of the activity's section.
    pub area: Option<u32>,
    /// đơn vị: the unit that must take part (groups expanded) in `role`.
    pub unit: Option<Unit>,
    pub role: Role,
    pub window: Option<Window>,
    /// Free text: a phrase matched without diacritics or case, see [`matches_phrase`].
    pub text: Option<String>,
}

impl Filter {
    /// Whether no criterion is set.
    pub fn is_empty(&self) -> bool {
        self.area.is_none()
            && self.unit.is_none()
            && self.window.is_none()
            && self.text.as_deref().is_none_or(|t| fold(t).is_empty())
    }

    /// Whether one activity passes every criterion.
    pub fn matches(
        &self,
        plan: &Plan,
        ctx: &ActivityCtx<'_>,
        registry: &Registry,
        today: NaiveDate,
    ) -> bool {
        if let Some(area) = self.area {
            if plan.section_area(&ctx.section.code) != Some(area) {
                return false;
            }
        }
        if let Some(unit) = &self.unit {
            if !Involvement::of(ctx.activity, unit).has(self.role) {
                return false;
            }
        }
        if let Some(w) = &self.window {
            if !w.matches(ctx.activity.deadline.as_ref(), today) {
                return false;
            }
        }
        if let Some(q) = &self.text {
            if !search_fields(ctx, registry)
                .iter()
                .any(|f| matches_phrase(f, q))
            {
                return false;
            }
        }
        true
    }

    /// The activities of `plan` that pass, in document order.
    pub fn select<'p>(
        &self,
        plan: &'p Plan,
        registry: &Registry,
        today: NaiveDate,
    ) -> Vec<ActivityCtx<'p>> {
        plan.activities()
            .filter(|ctx| self.matches(plan, ctx, registry, today))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::unit::{UnitId, UnitKind};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn unit(id: &str, name: &str, kind: UnitKind) -> Unit {
        Unit {
            id: UnitId::parse(id).unwrap(),
            name: name.into(),
            kind,
            parent: None,
            aliases: vec![],
            source: "test".into(),
        }
    }

    fn registry() -> Registry {
        Registry::new(vec![
            unit("phong-noi-vu", "Phòng Nội vụ", UnitKind::DistrictOffice),
            unit("phong-tu-phap", "Phòng Tư pháp", UnitKind::DistrictOffice),
            unit("xa-tung-anh", "Xã Tùng Ảnh", UnitKind::Commune),
            unit("cong-an-huyen", "Công an huyện", UnitKind::Police),
        ])
    }

    /// Two sections: I (area 1) with a dated activity of Phòng Nội vụ coordinated by the
    /// communes; II (area 2) with a Quý II activity of Phòng Tư pháp, a recurring one and a
    /// conditional one with an unresolved coordinator.
    fn plan() -> Plan {
        let json = serde_json::json!({
            "format": "cchc-plan/1",
            "decision": { "number": "60/QĐ-UBND", "date": "2024-01-11", "place": "Đức Thọ",
                "title": "Kế hoạch", "signer": null, "legal_basis": [], "recipients": [] },
            "year": 2024,
            "owner": { "unit": "phong-noi-vu", "text": "UBND huyện" },
            "areas": [ { "no": 1, "title": "Chỉ đạo điều hành" }, { "no": 2, "title": "Thể chế" } ],
            "targets": [], "solutions": [],
            "sections": [
                { "code": "I", "title": "CHỈ ĐẠO", "parts": [ { "code": null, "title": null, "rows": [
                    { "no": "1", "objective": { "code": "1.1", "text": "Nâng cao chất lượng chỉ đạo" },
                      "tasks": [ { "code": "2.1", "text": "Ban hành Kế hoạch CCHC", "activities": [
                        { "code": "3.1", "text": "Xây dựng dự thảo văn bản",
                          "outputs": "Văn bản", "lead": [ { "unit": "phong-noi-vu", "text": "Phòng Nội vụ" } ],
                          "coordinators": [ { "group": "communes", "text": "UBND các xã, thị trấn" } ],
                          "deadline": { "text": "Trước 15/01/2024", "kind": "date", "start": null, "end": "2024-01-15" },
                          "funding": null } ] } ] } ] } ] },
                { "code": "II", "title": "THỂ CHẾ", "parts": [ { "code": null, "title": null, "rows": [
                    { "no": "2", "objective": { "code": "1.2", "text": "Rà soát văn bản QPPL" },
                      "tasks": [ { "code": "2.2", "text": "Nâng cao chất lượng xây dựng pháp luật", "activities": [
                        { "code": "3.4", "text": "Hướng dẫn nghiệp vụ chuyên sâu",
                          "outputs": "Hội nghị tập huấn", "lead": [ { "unit": "phong-tu-phap", "text": "Phòng Tư pháp" } ],
                          "coordinators": [ { "group": "district-agencies", "text": "Các phòng, ban, ngành cấp huyện" } ],
                          "deadline": { "text": "Quý II", "kind": "period", "start": "2024-04-01", "end": "2024-06-30" },
                          "funding": "Theo dự toán được cấp" },
                        { "code": "3.5", "text": "Tăng cường kiểm tra đăng ký văn bản",
                          "outputs": null, "lead": [ { "unit": "phong-tu-phap", "text": "Phòng Tư pháp" } ],
                          "coordinators": [ { "group": "communes", "text": "UBND các xã, thị trấn" } ],
                          "deadline": { "text": "Thường xuyên", "kind": "recurring", "start": null, "end": null },
                          "funding": null },
                        { "code": "3.6", "text": "Sắp xếp đơn vị hành chính",
                          "outputs": null, "lead": [ { "unit": "phong-noi-vu", "text": "Phòng Nội vụ" } ],
                          "coordinators": [ { "unresolved": "Đoàn kiểm tra", "text": "Đoàn kiểm tra" } ],
                          "deadline": { "text": "Khi có chỉ đạo của tỉnh", "kind": "conditional", "start": null, "end": null },
                          "funding": null } ] } ] } ] } ] }
            ]
        });
        let mut p: Plan = serde_json::from_value(json).unwrap();
        p.assign_ids();
        p
    }

    fn ids(f: &Filter, today: NaiveDate) -> Vec<String> {
        let p = plan();
        f.select(&p, &registry(), today)
            .iter()
            .map(|c| c.activity.id.clone())
            .collect()
    }

    fn unit_of(id: &str) -> Unit {
        registry().get(&UnitId::parse(id).unwrap()).unwrap().clone()
    }

    const TODAY: fn() -> NaiveDate = || d(2024, 5, 1);

    #[test]
    fn window_parses_quarter_month_year_and_keywords() {
        assert_eq!(
            Window::parse("2024-Q2"),
            Some(Window::Span {
                from: d(2024, 4, 1),
                to: d(2024, 6, 30)
            })
        );
        assert_eq!(
            Window::parse("2024-q4"),
            Some(Window::Span {
                from: d(2024, 10, 1),
                to: d(2024, 12, 31)
            })
        );
        assert_eq!(
            Window::parse("2024-02"),
            Some(Window::Span {
                from: d(2024, 2, 1),
                to: d(2024, 2, 29)
            })
        );
        assert_eq!(
            Window::parse("2024"),
            Some(Window::Span {
                from: d(2024, 1, 1),
                to: d(2024, 12, 31)
            })
        );
        assert_eq!(Window::parse("qua_han"), Some(Window::Overdue));
        assert_eq!(Window::parse("thuong_xuyen"), Some(Window::Recurring));
        assert_eq!(Window::parse("co_dieu_kien"), Some(Window::Conditional));
        for bad in [
            "2024-Q5", "2024-Q0", "2024-13", "2024-3", "24-Q1", "", "quy2", "2024-Q22",
        ] {
            assert_eq!(Window::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn role_round_trips() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("lead"), None);
    }

    #[test]
    fn empty_filter_keeps_every_activity() {
        assert!(Filter::default().is_empty());
        assert_eq!(
            ids(&Filter::default(), TODAY()),
            ["I.1.3.1", "II.2.3.4", "II.2.3.5", "II.2.3.6"]
        );
    }

    #[test]
    fn area_filter_keeps_the_sections_of_that_area() {
        let f = Filter {
            area: Some(2),
            ..Default::default()
        };
        assert_eq!(ids(&f, TODAY()), ["II.2.3.4", "II.2.3.5", "II.2.3.6"]);
        let f = Filter {
            area: Some(7),
            ..Default::default()
        };
        assert!(ids(&f, TODAY()).is_empty());
    }

    #[test]
    fn commune_sees_activities_assigned_to_the_communes_group() {
        let f = Filter {
            unit: Some(unit_of("xa-tung-anh")),
            ..Default::default()
        };
        assert_eq!(ids(&f, TODAY()), ["I.1.3.1", "II.2.3.5"]);
        let f = Filter {
            unit: Some(unit_of("xa-tung-anh")),
            role: Role::Lead,
            ..Default::default()
        };
        assert!(ids(&f, TODAY()).is_empty());
    }

    #[test]
    fn unit_role_separates_lead_from_coordination() {
        let tp = unit_of("phong-tu-phap");
        let lead = Filter {
            unit: Some(tp.clone()),
            role: Role::Lead,
            ..Default::default()
        };
        assert_eq!(ids(&lead, TODAY()), ["II.2.3.4", "II.2.3.5"]);
        // Phòng Tư pháp is a district office, so it coordinates through "các phòng, ban, ngành".
        let coord = Filter {
            unit: Some(tp),
            role: Role::Coordinator,
            ..Default::default()
        };
        assert_eq!(ids(&coord, TODAY()), ["II.2.3.4"]);
        let police = Filter {
            unit: Some(unit_of("cong-an-huyen")),
            ..Default::default()
        };
        assert!(ids(&police, TODAY()).is_empty());
    }

    #[test]
    fn involvement_says_whether_through_a_group() {
        let p = plan();
        let a = p.activity("I.1.3.1").unwrap().activity;
        let inv = Involvement::of(a, &unit_of("xa-tung-anh"));
        assert_eq!(inv.lead, None);
        assert_eq!(inv.coordinator, Some(Via::Group(GroupId::Communes)));
        let inv = Involvement::of(a, &unit_of("phong-noi-vu"));
        assert_eq!(inv.lead, Some(Via::Direct));
    }

    #[test]
    fn quarter_window_keeps_overlapping_periods_and_dates_inside() {
        let f = Filter {
            window: Window::parse("2024-Q2"),
            ..Default::default()
        };
        assert_eq!(ids(&f, TODAY()), ["II.2.3.4"]);
        let f = Filter {
            window: Window::parse("2024-01"),
            ..Default::default()
        };
        assert_eq!(ids(&f, TODAY()), ["I.1.3.1"]);
        let f = Filter {
            window: Window::parse("2024-Q3"),
            ..Default::default()
        };
        assert!(ids(&f, TODAY()).is_empty());
    }

    #[test]
    fn overdue_depends_on_today() {
        let f = Filter {
            window: Some(Window::Overdue),
            ..Default::default()
        };
        assert!(
            ids(&f, d(2024, 1, 15)).is_empty(),
            "due on the 15th is not late on the 15th"
        );
        assert_eq!(ids(&f, d(2024, 1, 16)), ["I.1.3.1"]);
        assert_eq!(ids(&f, d(2024, 7, 1)), ["I.1.3.1", "II.2.3.4"]);
    }

    #[test]
    fn recurring_and_conditional_windows() {
        let f = Filter {
            window: Some(Window::Recurring),
            ..Default::default()
        };
        assert_eq!(ids(&f, TODAY()), ["II.2.3.5"]);
        let f = Filter {
            window: Some(Window::Conditional),
            ..Default::default()
        };
        assert_eq!(ids(&f, TODAY()), ["II.2.3.6"]);
    }

    #[test]
    fn text_search_ignores_diacritics_and_case_across_context() {
        let q = |s: &str| {
            ids(
                &Filter {
                    text: Some(s.into()),
                    ..Default::default()
                },
                TODAY(),
            )
        };
        assert_eq!(q("dang ky"), ["II.2.3.5"]);
        assert_eq!(q("ĐĂNG KÝ"), ["II.2.3.5"]);
        // objective text
        assert_eq!(q("ra soat van ban"), ["II.2.3.4", "II.2.3.5", "II.2.3.6"]);
        // words apart do not make the phrase
        assert!(q("ra soat qppl").is_empty());
        // the group label of the coordinators, and the registry name of the lead
        assert_eq!(q("noi vu"), ["I.1.3.1", "II.2.3.6"]);
        assert_eq!(q("thi tran"), ["I.1.3.1", "II.2.3.5"]);
        // unresolved reference text
        assert_eq!(q("doan kiem tra"), ["II.2.3.6"]);
        assert!(q("khong co gi nhu the").is_empty());
    }

    #[test]
    fn phrase_words_must_follow_each_other_from_word_starts() {
        let key = fold("Quy trình nội bộ thực hiện nhiệm vụ chuyên môn");
        assert!(!matches_phrase(&key, "noi vu"));
        assert!(matches_phrase(&key, "noi bo"));
        assert!(matches_phrase(&key, "NHIỆM VỤ chuyen"));
        assert!(
            matches_phrase(&key, "nhiem v"),
            "the last word may be typed in part"
        );
        assert!(
            !matches_phrase(&key, "hiem vu"),
            "a word matches from its start"
        );
        assert!(matches_phrase(&fold("Phòng Nội vụ"), "noi vu"));
        assert!(matches_phrase(&fold("Số hóa kết quả"), "so hoa"));
        assert!(
            matches_phrase(&key, "  "),
            "an empty query keeps everything"
        );
    }

    #[test]
    fn criteria_combine() {
        let f = Filter {
            unit: Some(unit_of("phong-tu-phap")),
            role: Role::Lead,
            window: Window::parse("2024-Q2"),
            ..Default::default()
        };
        assert_eq!(ids(&f, TODAY()), ["II.2.3.4"]);
        let f = Filter {
            text: Some("huong dan".into()),
            area: Some(1),
            ..Default::default()
        };
        assert!(ids(&f, TODAY()).is_empty());
    }
}
