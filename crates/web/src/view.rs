//! Shared page parts: the page shell, unit references, deadlines and the appendix matrix.

use std::collections::HashSet;

use cchc_domain::plan::{Activity, ActivityCtx, Part, Plan, RefTarget, UnitRef};
use cchc_domain::text::fold;
use cchc_domain::{Deadline, DeadlineKind, Registry, Unit, UnitId};
use cchc_store::PlanId;
use chrono::NaiveDate;
use maud::{html, Markup, DOCTYPE};

use crate::i18n::Lang;

/// What every page needs to know about the request.
pub struct View<'a> {
    pub lang: Lang,
    /// The path and query of the request, for the language switch.
    pub uri: &'a axum::http::Uri,
}

/// `dd/mm/yyyy`, as Vietnamese documents write dates.
pub fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Percent-encodes a path segment or query value (everything but unreserved ASCII).
pub fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn plan_url(plan: PlanId) -> String {
    format!("/ke-hoach/{plan}")
}

pub fn activity_url(plan: PlanId, activity_id: &str) -> String {
    format!("/ke-hoach/{plan}/hoat-dong/{}", enc(activity_id))
}

pub fn target_url(plan: PlanId, code: &str) -> String {
    format!("/ke-hoach/{plan}/chi-tieu/{}", enc(code))
}

pub fn unit_url(id: &UnitId) -> String {
    format!("/don-vi/{}", enc(id.as_str()))
}

/// A URL with query parameters, empty values left out.
pub fn with_query(path: &str, params: &[(&str, &str)]) -> String {
    let q: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect();
    if q.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", q.join("&"))
    }
}

impl View<'_> {
    /// The label of `key` in the page's language.
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    /// The current address with `lang` set to the other language.
    fn switch_url(&self) -> String {
        let other = self.lang.other().code();
        let kept: Vec<&str> = self
            .uri
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("lang="))
            .collect();
        let mut q = kept.join("&");
        if !q.is_empty() {
            q.push('&');
        }
        format!("{}?{q}lang={other}", self.uri.path())
    }

    /// The whole page: head, header with navigation and the language switch, `body`.
    pub fn page(&self, title: &str, wide: bool, body: Markup) -> Markup {
        html! {
            (DOCTYPE)
            html lang=(self.lang.code()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) " · " (self.t("site")) }
                    link rel="stylesheet" href="/static/app.css";
                    script src="/static/app.js" defer {}
                }
                body {
                    a.skip href="#noi-dung" { (self.t("skip")) }
                    header.site {
                        a.brand href="/" { "CCHC" }
                        nav {
                            a href="/" { (self.t("nav_plans")) }
                            a href="/don-vi" { (self.t("nav_units")) }
                            a href="/chi-so" { (self.t("nav_service")) }
                        }
                        a.lang href=(self.switch_url()) hreflang=(self.lang.other().code()) {
                            (self.t("switch_lang"))
                        }
                    }
                    main #noi-dung class=(if wide { "wide" } else { "narrow" }) { (body) }
                }
            }
        }
    }

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

    /// The deadline's source words, the span they mean, and whether it has passed.
    pub fn deadline(&self, d: Option<&Deadline>, today: NaiveDate) -> Markup {
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
                " " span.badge.overdue { (self.t("overdue")) }
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
    ) -> Markup {
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
                                                                @if let Some(c) = &a.code { b { (c) } " " }
                                                                (a.text)
                                                            }
                                                        }
                                                        td.c-out data-label=(self.t("col_output")) { (a.outputs.as_deref().unwrap_or("")) }
                                                        td.c-lead data-label=(self.t("col_lead")) { (self.unit_refs(registry, &a.lead)) }
                                                        td.c-coord data-label=(self.t("col_coord")) { (self.unit_refs(registry, &a.coordinators)) }
                                                        td.c-dl data-label=(self.t("col_deadline")) { (self.deadline(a.deadline.as_ref(), today)) }
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

    /// A breadcrumb trail: links, then the current page's name.
    pub fn crumbs(&self, links: &[(&str, String)], here: &str) -> Markup {
        html! {
            nav.crumbs aria-label="breadcrumb" {
                a href="/" { (self.t("home")) }
                @for (label, href) in links { " › " a href=(href) { (label) } }
                " › " span aria-current="page" { (here) }
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enc_keeps_activity_keys_and_escapes_the_rest() {
        assert_eq!(enc("VIIA.1.3.1-2"), "VIIA.1.3.1-2");
        assert_eq!(enc("nội vụ/x"), "n%E1%BB%99i%20v%E1%BB%A5%2Fx");
    }

    #[test]
    fn with_query_drops_empty_values() {
        assert_eq!(
            with_query(
                "/ke-hoach/1",
                &[("don_vi", "phong-noi-vu"), ("q", ""), ("han", "2024-Q2")]
            ),
            "/ke-hoach/1?don_vi=phong-noi-vu&han=2024-Q2"
        );
        assert_eq!(with_query("/x", &[("q", "")]), "/x");
    }
}
