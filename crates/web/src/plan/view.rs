//! Plan page parts: unit references, deadlines, the appendix matrix, the unit tree.

use std::collections::{HashMap, HashSet};

use cchc_app::plan::progress::{Reported, Tally};

use cchc_domain::plan::{Activity, ActivityCtx, Part, Plan, RefTarget, UnitRef};
use cchc_domain::text::fold;
use cchc_domain::{Deadline, DeadlineKind, Registry, Unit, UnitId};
use cchc_store::PlanId;
use chrono::NaiveDate;
use maud::{html, Markup};

use crate::shell::view::*;

/// What the matrix shows of execution: each activity's units done out of involved, and the
/// activities still late (quá hạn rather than hết hạn).
#[derive(Clone, Copy)]
pub struct MatrixStatus<'a> {
    pub progress: &'a HashMap<String, Tally>,
    pub late: &'a HashSet<String>,
}

impl View<'_> {
    /// A reference to a unit, a group (expandable to its units) or an unresolved phrase.
    pub fn unit_ref(&self, registry: &Registry, r: &UnitRef) -> Markup {
        match &r.target {
            RefTarget::Unit(id) => match registry.get(id) {
                Some(u) => html! { a.unit href=(unit_url(id)) title=(u.name) { (r.text) } },
                None => self.unresolved(&r.text),
            },
            RefTarget::Group(g) => {
                let units = registry.expand(*g);
                html! {
                    details.grp {
                        summary title=(g.label_vi()) { (r.text) }
                        div.grp-units {
                            p.muted {
                                (self.t("group")) ": " (g.label_vi()) " · "
                                (units.len()) " " (self.t("units_in_group"))
                            }
                            @if units.is_empty() {
                                p { (self.t("group_empty")) }
                            } @else {
                                ul { @for u in &units { li { a href=(unit_url(&u.id)) { (u.name) } } } }
                            }
                        }
                    }
                }
            }
            RefTarget::Unresolved(_) => self.unresolved(&r.text),
        }
    }

    fn unresolved(&self, text: &str) -> Markup {
        html! {
            span.unres title=(self.t("unresolved")) {
                (text) sup aria-hidden="true" { "?" }
                span.vh { " (" (self.t("unresolved")) ")" }
            }
        }
    }

    /// Several references, one per line.
    pub fn unit_refs(&self, registry: &Registry, refs: &[UnitRef]) -> Markup {
        html! {
            @if !refs.is_empty() {
                ul.refs { @for r in refs { li { (self.unit_ref(registry, r)) } } }
            }
        }
    }

    /// The deadline's source words, the span they mean, and whether it has passed: "quá hạn"
    /// when the work is `late` (unfinished, `cchc_app::execution::is_late`), else "hết hạn".
    pub fn deadline(&self, d: Option<&Deadline>, today: NaiveDate, late: bool) -> Markup {
        let Some(d) = d else { return html! {} };
        html! {
            span.dl-text { (d.text) }
            @match (d.kind, d.start, d.end) {
                (DeadlineKind::Date, _, Some(end)) => {
                    " " span.span { "(" (self.t("due")) " " (date(end)) ")" }
                }
                (DeadlineKind::Period, start, Some(end)) => {
                    " " span.span { "(" (date(start.unwrap_or(end))) " – " (date(end)) ")" }
                }
                // The kind's badge, unless the source words already say it ("Thường xuyên").
                (DeadlineKind::Recurring, _, _) if fold(&d.text) != fold(self.t("w_recurring")) => {
                    " " span.badge.recurring { (self.t("w_recurring")) }
                }
                (DeadlineKind::Conditional, _, _) => {
                    " " span.badge.conditional { (self.t("w_conditional")) }
                }
                _ => {}
            }
            @if d.is_past(today) {
                @if late {
                    " " span.badge.overdue { (self.t("overdue")) }
                } @else {
                    " " span.badge.expired title=(self.t("expired_hint")) { (self.t("expired")) }
                }
            }
        }
    }

    /// The appendix matrix restricted to `selected`, keeping each match's section, part, row,
    /// objective and task headings. Tables become stacked cards on narrow screens (CSS).
    pub fn matrix(
        &self,
        plan_id: PlanId,
        plan: &Plan,
        registry: &Registry,
        selected: &[ActivityCtx<'_>],
        today: NaiveDate,
        status: MatrixStatus<'_>,
    ) -> Markup {
        let MatrixStatus { progress, late } = status;
        let keep: HashSet<*const Activity> = selected
            .iter()
            .map(|c| c.activity as *const Activity)
            .collect();
        let kept = |a: &Activity| keep.contains(&(a as *const Activity));
        html! {
            @for section in &plan.sections {
                @let any = section.parts.iter().flat_map(|p| &p.rows).flat_map(|r| &r.tasks)
                    .flat_map(|t| &t.activities).any(&kept);
                @if any {
                    section.sec id={ "phan-" (section.code) } {
                        h3 { (section.code) ". " (section.title) }
                        @for part in &section.parts {
                            @let rows: Vec<_> = part.rows.iter().filter_map(|row| {
                                let tasks: Vec<(&cchc_domain::Task, Vec<&Activity>)> = row.tasks.iter()
                                    .map(|t| (t, t.activities.iter().filter(|a| kept(a)).collect::<Vec<_>>()))
                                    .filter(|(_, acts)| !acts.is_empty())
                                    .collect();
                                (!tasks.is_empty()).then_some((row, tasks))
                            }).collect();
                            @if !rows.is_empty() {
                                @if part.code.is_some() || part.title.is_some() {
                                    h4 { (part_heading(part)) }
                                }
                                table.matrix {
                                    thead { tr {
                                        th.c-no { (self.t("col_no")) }
                                        th.c-obj { (self.t("col_objective")) }
                                        th.c-task { (self.t("col_task")) }
                                        th.c-act { (self.t("col_activity")) }
                                        th.c-out { (self.t("col_output")) }
                                        th.c-lead { (self.t("col_lead")) }
                                        th.c-coord { (self.t("col_coord")) }
                                        th.c-dl { (self.t("col_deadline")) }
                                        th.c-fund { (self.t("col_funding")) }
                                    } }
                                    @for (row, tasks) in &rows {
                                        @let n: usize = tasks.iter().map(|(_, a)| a.len()).sum();
                                        tbody.mrow {
                                            @for (ti, (task, acts)) in tasks.iter().enumerate() {
                                                @for (ai, a) in acts.iter().enumerate() {
                                                    tr id={ "hd-" (a.id) } {
                                                        @if ti == 0 && ai == 0 {
                                                            td.c-no rowspan=(n) data-label=(self.t("col_no")) { (row.no) }
                                                            td.c-obj rowspan=(n) data-label=(self.t("col_objective")) {
                                                                @if let Some(o) = &row.objective {
                                                                    @if let Some(c) = &o.code { b { (c) } " " }
                                                                    (o.text)
                                                                }
                                                            }
                                                        }
                                                        @if ai == 0 {
                                                            td.c-task rowspan=(acts.len()) data-label=(self.t("col_task")) {
                                                                @if let Some(c) = &task.code { b { (c) } " " }
                                                                (task.text)
                                                            }
                                                        }
                                                        td.c-act data-label=(self.t("col_activity")) {
                                                            a.act href=(activity_url(plan_id, &a.id)) {
                                                                (activity_tag(a.code.as_deref().unwrap_or(&a.id), None, &a.id))
                                                                " " (a.text)
                                                            }
                                                            @if let Some(t) = progress.get(&a.id) {
                                                                " " (progress_badge(t))
                                                            }
                                                        }
                                                        td.c-out data-label=(self.t("col_output")) { (a.outputs.as_deref().unwrap_or("")) }
                                                        td.c-lead data-label=(self.t("col_lead")) { (self.unit_refs(registry, &a.lead)) }
                                                        td.c-coord data-label=(self.t("col_coord")) { (self.unit_refs(registry, &a.coordinators)) }
                                                        td.c-dl data-label=(self.t("col_deadline")) { (self.deadline(a.deadline.as_ref(), today, late.contains(&a.id))) }
                                                        td.c-fund data-label=(self.t("col_funding")) { (a.funding.as_deref().unwrap_or("")) }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// An activity named as the decision numbers it: its number in bold ("3.1"), where that
/// number stands ("nhiệm vụ 2.1, mục II") when asked, and its key (I.2.3.1) as a small
/// secondary label. Every page that names an activity calls this (or [`activity_label`]).
pub fn activity_tag(number: &str, context: Option<&str>, key: &str) -> Markup {
    html! {
        b.act-no { (number) }
        @if let Some(c) = context.filter(|c| !c.is_empty()) { " " span.act-ctx { "(" (c) ")" } }
        @if number != key { " " small.key title="Mã hoạt động" { (key) } }
    }
}

/// [`activity_tag`] for an activity of `plan` by its key, with its context; the key alone
/// when the plan has no such activity.
pub fn activity_label(plan: &Plan, key: &str) -> Markup {
    match plan.activity(key) {
        Some(c) => activity_tag(c.number(), Some(&c.context_vi()), key),
        None => html! { b { (key) } },
    }
}

/// How far an activity has got, from the counted reports: "2/3 đơn vị hoàn thành".
pub fn progress_badge(t: &Tally) -> Markup {
    html! {
        @if t.units > 0 {
            @let class = if t.done == t.units { "badge ok" } else if t.reported > 0 { "badge st-submitted" } else { "badge st-none" };
            span class=(class) title="Theo báo cáo đã gửi, đã tiếp nhận của các đơn vị" {
                @if t.reported == 0 {
                    "chưa có báo cáo"
                } @else {
                    (t.done) "/" (t.units) " đơn vị hoàn thành"
                }
            }
        }
    }
}

/// A unit's latest reported status on an activity, or "chưa báo cáo".
pub fn status_badge(r: Option<&Reported>) -> Markup {
    html! {
        @match r {
            Some(r) => {
                @let class = if r.status.is_done() { "badge ok" } else { "badge st-submitted" };
                span class=(class) { (r.status.label_vi()) }
                " " span.muted.small { "kỳ " (r.period) ", báo cáo " (r.state.label_vi()) }
            }
            None => span.badge.st-none { "chưa báo cáo" },
        }
    }
}

/// "A. Xây dựng …": a part's code and title, whichever it has.
pub fn part_heading(part: &Part) -> String {
    let parts: Vec<&str> = [part.code.as_deref(), part.title.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    parts.join(". ")
}

/// The units of a registry as a tree: roots are units without a (known) parent.
pub fn unit_tree(registry: &Registry) -> Vec<(usize, &Unit)> {
    fn walk<'r>(
        registry: &'r Registry,
        u: &'r Unit,
        depth: usize,
        seen: &mut HashSet<UnitId>,
        out: &mut Vec<(usize, &'r Unit)>,
    ) {
        if !seen.insert(u.id.clone()) {
            return; // a cycle in the registry: show each unit once
        }
        out.push((depth, u));
        for c in registry.children(&u.id) {
            walk(registry, c, depth + 1, seen, out);
        }
    }
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let roots = registry
        .units()
        .iter()
        .filter(|u| u.parent.as_ref().is_none_or(|p| registry.get(p).is_none()));
    for u in roots {
        walk(registry, u, 0, &mut seen, &mut out);
    }
    // Units caught in a parent cycle have no root: list them last rather than lose them.
    for u in registry.units() {
        if !seen.contains(&u.id) {
            walk(registry, u, 0, &mut seen, &mut out);
        }
    }
    out
}
