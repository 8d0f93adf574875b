//! The handlers, one per page. Each reads the plan and the units from the store per request.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cchc_domain::lint::lint;
use cchc_domain::plan::ActivityCtx;
use cchc_domain::query::{Filter, Involvement, Role, Via, Window};
use cchc_domain::{Diagnostic, GroupId, Plan, Registry, UnitId};
use cchc_store::{PlanId, Store};
use chrono::NaiveDate;
use maud::{html, Markup};

use super::view::{activity_tag, part_heading, status_badge, unit_tree, MatrixStatus};
use crate::shell::view::{activity_url, date, plan_url, target_url, unit_url, with_query, View};
use crate::{AppError, AppState, Req};

type PageResult = Result<Response, AppError>;

fn parse_plan_id(lang: crate::Lang, s: &str) -> Result<PlanId, AppError> {
    s.parse::<i64>()
        .map(PlanId)
        .map_err(|_| AppError::NotFound(lang))
}

async fn load_registry(store: &Store, lang: crate::Lang) -> Result<Registry, AppError> {
    let units = store
        .list_units()
        .await
        .map_err(|e| AppError::Store(lang, e))?;
    Ok(Registry::new(units))
}

/// The plan `id` and the unit registry, or a 404 when the plan does not exist.
async fn load_plan(
    store: &Store,
    lang: crate::Lang,
    id: &str,
) -> Result<(PlanId, Plan, Registry), AppError> {
    let id = parse_plan_id(lang, id)?;
    let plan = store
        .get_plan(id)
        .await
        .map_err(|e| AppError::Store(lang, e))?;
    let plan = plan.ok_or(AppError::NotFound(lang))?;
    let registry = load_registry(store, lang).await?;
    Ok((id, plan, registry))
}

/// An application error while reading a page's progress: logged, shown as a server error.
fn app_error(lang: crate::Lang, e: cchc_app::Error) -> AppError {
    AppError::App(lang, e)
}

fn plan_name(plan: &Plan) -> String {
    format!("{} {}", plan.decision.number, plan.decision.title)
}

/// `/healthz`: 200 when the database answers.
pub async fn healthz(State(AppState { store, .. }): State<AppState>) -> Response {
    match store.list_plans().await {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: store unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, "store unavailable").into_response()
        }
    }
}

/// `/`: the plans in the database.
pub async fn home(State(AppState { store, .. }): State<AppState>, req: Req) -> PageResult {
    let v = req.view();
    let plans = store
        .list_plans()
        .await
        .map_err(|e| AppError::Store(req.lang, e))?;
    let prominent = plans.len() == 1;
    let body = html! {
        h1 { (v.t("home_title")) }
        @if plans.is_empty() {
            p.notice { (v.t("home_empty")) }
        }
        div class=(if prominent { "plans one" } else { "plans" }) {
            @for p in &plans {
                article.plan-card {
                    h2 { a href=(plan_url(p.id)) { (p.title) } }
                    p.muted {
                        (v.t("decision")) " " (p.decision_number)
                        @if let Some(d) = p.decision_date { " · " (date(d)) }
                        " · " (p.owner_text) " · " (v.t("year")) " " (p.year)
                    }
                    p {
                        strong { (p.activities) } " " (v.t("n_activities")) " · "
                        strong { (p.targets) } " " (v.t("n_targets"))
                    }
                    p { a.button href=(plan_url(p.id)) { (v.t("open_plan")) } }
                }
            }
        }
        p { a href="/don-vi" { (v.t("units_title")) } }
    };
    Ok(v.page(v.t("home_title"), false, body).into_response())
}

/// The filter of the plan page as typed in the query string; every field may be empty.
#[derive(Debug, Default)]
struct FilterForm {
    linh_vuc: String,
    don_vi: String,
    vai_tro: String,
    han: String,
    q: String,
    ngay: String,
}

impl FilterForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut f = FilterForm::default();
        for (k, val) in pairs {
            let val = val.trim().to_string();
            match k.as_str() {
                "linh_vuc" => f.linh_vuc = val,
                "don_vi" => f.don_vi = val,
                "vai_tro" => f.vai_tro = val,
                "han" => f.han = val,
                "q" => f.q = val,
                "ngay" => f.ngay = val,
                _ => {}
            }
        }
        f
    }

    /// The domain filter, the reference date, and a notice for each value not understood
    /// (that criterion is then ignored, and said so).
    fn build(
        &self,
        plan: &Plan,
        registry: &Registry,
        v: &View,
        today: NaiveDate,
    ) -> (Filter, NaiveDate, Vec<String>) {
        let mut filter = Filter::default();
        let mut notices = Vec::new();
        let mut bad = |key: &str, val: &str| {
            notices.push(format!("{} «{val}»: {}.", v.t(key), v.t("ignored")));
        };
        if !self.linh_vuc.is_empty() {
            match self.linh_vuc.parse::<u32>() {
                Ok(n) if (1..=plan.sections.len() as u32).contains(&n) => filter.area = Some(n),
                _ => bad("bad_area", &self.linh_vuc),
            }
        }
        if !self.don_vi.is_empty() {
            let unit = UnitId::parse(&self.don_vi)
                .ok()
                .and_then(|id| registry.get(&id));
            match unit {
                Some(u) => filter.unit = Some(u.clone()),
                None => bad("bad_unit", &self.don_vi),
            }
        }
        if !self.vai_tro.is_empty() {
            match Role::parse(&self.vai_tro) {
                Some(r) => filter.role = r,
                None => bad("bad_role", &self.vai_tro),
            }
        }
        if !self.han.is_empty() {
            match Window::parse(&self.han) {
                Some(w) => filter.window = Some(w),
                None => bad("bad_window", &self.han),
            }
        }
        if !self.q.is_empty() {
            filter.text = Some(self.q.clone());
        }
        let mut day = today;
        if !self.ngay.is_empty() {
            match NaiveDate::parse_from_str(&self.ngay, "%Y-%m-%d") {
                Ok(d) => day = d,
                Err(_) => bad("bad_date", &self.ngay),
            }
        }
        (filter, day, notices)
    }
}

/// `/ke-hoach/{plan_id}`: the decision, the key targets, the filter and the matrix.
pub async fn plan(
    State(st): State<AppState>,
    req: Req,
    Path(plan_id): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> PageResult {
    let v = req.view();
    let store = &st.store;
    let (id, plan, registry) = load_plan(store, req.lang, &plan_id).await?;
    let form = FilterForm::from_pairs(pairs);
    let (filter, day, notices) = form.build(&plan, &registry, &v, st.today());
    let mut selected = filter.select(&plan, &registry, day);
    let late = cchc_app::execution::late_activities(
        &st,
        &plan,
        &registry,
        filter.unit.as_ref().map(|u| &u.id),
        day,
    )
    .await
    .map_err(|e| app_error(req.lang, e))?;
    // "Đã quá hạn" is the one definition of overdue (`OVERDUE_DEFINITION`): past work that is
    // not reported done, not every past deadline.
    if filter.window == Some(Window::Overdue) {
        selected.retain(|c| late.contains(&c.activity.id));
    }
    let total = plan.activities().count();
    let d = &plan.decision;
    let diag_count = all_diagnostics(&plan).len();
    let mut badges = crate::delivery::target_badges(store, plan.year).await;
    badges.extend(crate::evaluation::target_badges(store, plan.year, st.today()).await);
    let progress = cchc_app::plan::progress::plan_progress(&st, &plan, &registry)
        .await
        .map_err(|e| app_error(req.lang, e))?;

    let body = html! {
        (v.crumbs(&[], &d.number))
        header.decision {
            p.muted { (v.t("decision")) " " (d.number) }
            h1 { (d.title) }
            dl.meta {
                dt { (v.t("number")) } dd { (d.number) }
                @if let Some(date_) = d.date { dt { (v.t("date")) } dd { (date(date_)) } }
                @if let Some(p) = &d.place { dt { (v.t("place")) } dd { (p) } }
                @if let Some(s) = &d.signer { dt { (v.t("signer")) } dd { (s.title) " " (s.name) } }
                dt { (v.t("year")) } dd { (plan.year) }
            }
            @if !d.legal_basis.is_empty() {
                details.basis open[filter.is_empty()] {
                    summary { h2 { (v.t("legal_basis")) " (" (d.legal_basis.len()) ")" } }
                    ul { @for b in &d.legal_basis { li { (b) } } }
                }
            }
            @if !d.recipients.is_empty() {
                details.recipients {
                    summary { (v.t("recipients")) " (" (d.recipients.len()) ")" }
                    ul { @for r in &d.recipients { li { (r) } } }
                }
            }
            nav.toc {
                a href="#chi-tieu" { (v.t("key_targets")) }
                a href="#phu-luc" { (v.t("appendix")) }
                a href={ (plan_url(id)) "/canh-bao" } { (v.t("diagnostics")) " (" (diag_count) ")" }
            }
        }
        details.targets #chi-tieu open[filter.is_empty()] {
            summary { h2 { (v.t("key_targets")) " (" (plan.targets.len()) ")" } }
            (targets_by_area(&v, id, &plan, &badges))
        }
        section.appendix #phu-luc {
            h2 { (v.t("appendix")) }
            (filter_form(&v, id, &plan, &registry, &form))
            @for n in &notices { p.notice role="alert" { (n) } }
            p.count {
                (v.t("found")) " "
                strong #so-hoat-dong data-count=(selected.len()) { (selected.len()) }
                " " (v.t("of_total")) " " (total) " " (v.t("n_activities"))
                @if filter.window == Some(Window::Overdue) {
                    ", " (v.t("as_of")) " " (date(day))
                }
            }
            @if selected.is_empty() {
                p.notice { (v.t("no_match")) }
            }
            p.muted.small { (v.t("progress_rule")) }
            (v.matrix(id, &plan, &registry, &selected, day, MatrixStatus { progress: &progress, late: &late }))
        }
    };
    Ok(v.page(&d.number, true, body).into_response())
}

fn targets_by_area(
    v: &View,
    id: PlanId,
    plan: &Plan,
    badges: &std::collections::HashMap<String, Markup>,
) -> Markup {
    let mut areas: Vec<(u32, String)> =
        plan.areas.iter().map(|a| (a.no, a.title.clone())).collect();
    for t in &plan.targets {
        if !areas.iter().any(|(no, _)| *no == t.area) {
            areas.push((t.area, format!("{} {}", v.t("area"), t.area)));
        }
    }
    html! {
        @for (no, title) in &areas {
            @let targets: Vec<_> = plan.targets.iter().filter(|t| t.area == *no).collect();
            @if !targets.is_empty() {
                section.area {
                    h3 {
                        a href=(with_query(&plan_url(id), &[("linh_vuc", &no.to_string())])) {
                            (no) ". " (title)
                        }
                    }
                    ul.target-list {
                        @for t in targets {
                            li #{ "chi-tieu-" (t.code) } {
                                a href=(target_url(id, &t.code)) { b { (t.code) } } " " (t.text)
                                @if !t.measures.is_empty() {
                                    " " span.measures {
                                        @for m in &t.measures { span.measure { (m.display_vi()) } " " }
                                    }
                                }
                                @if let Some(b) = badges.get(&t.code) { " " (b) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn filter_form(v: &View, id: PlanId, plan: &Plan, registry: &Registry, f: &FilterForm) -> Markup {
    let year = plan.year;
    let roman = ["I", "II", "III", "IV"];
    html! {
        form.filters method="get" action={ (plan_url(id)) "#phu-luc" } role="search" {
            fieldset {
                legend { (v.t("filter")) }
                label {
                    span { (v.t("area")) }
                    select name="linh_vuc" {
                        option value="" { (v.t("all")) }
                        @for (i, s) in plan.sections.iter().enumerate() {
                            @let no = (i + 1).to_string();
                            @let title = plan.area_title(i as u32 + 1).unwrap_or(&s.title);
                            option value=(no) selected[f.linh_vuc == no] { (no) ". " (title) }
                        }
                    }
                }
                label {
                    span { (v.t("f_unit")) }
                    select name="don_vi" {
                        option value="" { (v.t("all")) }
                        @for (depth, u) in unit_tree(registry) {
                            option value=(u.id) selected[f.don_vi == u.id.as_str()] {
                                @for _ in 0..depth { "\u{a0}\u{a0}" }
                                (u.name)
                            }
                        }
                    }
                }
                label {
                    span { (v.t("f_role")) }
                    select name="vai_tro" {
                        @for (r, key) in [(Role::Any, "role_any"), (Role::Lead, "role_lead"), (Role::Coordinator, "role_coord")] {
                            option value=(r.as_str()) selected[f.vai_tro == r.as_str()] { (v.t(key)) }
                        }
                    }
                }
                label {
                    span { (v.t("f_window")) }
                    select name="han" {
                        option value="" { (v.t("all")) }
                        optgroup label=(v.t("quarter")) {
                            @for q in 1..=4 {
                                @let val = format!("{year}-Q{q}");
                                option value=(val) selected[f.han == val] {
                                    (v.t("quarter")) " " (roman[q - 1]) "/" (year)
                                }
                            }
                        }
                        optgroup label=(v.t("month")) {
                            @for m in 1..=12 {
                                @let val = format!("{year}-{m:02}");
                                option value=(val) selected[f.han == val] {
                                    (v.t("month")) " " (format!("{m:02}")) "/" (year)
                                }
                            }
                        }
                        @for (val, key) in [("qua_han", "w_overdue"), ("thuong_xuyen", "w_recurring"), ("co_dieu_kien", "w_conditional")] {
                            option value=(val) selected[f.han == val] { (v.t(key)) }
                        }
                    }
                }
                label.wide {
                    span { (v.t("f_text")) }
                    input type="search" name="q" value=(f.q) placeholder="noi vu, dang ky…";
                }
                label {
                    span { (v.t("f_asof")) }
                    input type="date" name="ngay" value=(f.ngay);
                }
                div.actions {
                    button type="submit" { (v.t("apply")) }
                    " " a href={ (plan_url(id)) "#phu-luc" } { (v.t("clear")) }
                }
            }
        }
    }
}

/// `/ke-hoach/{plan_id}/hoat-dong/{activity_id}`: one activity in its context.
pub async fn activity(
    State(st): State<AppState>,
    req: Req,
    Path((plan_id, activity_id)): Path<(String, String)>,
) -> PageResult {
    let v = req.view();
    let (id, plan, registry) = load_plan(&st.store, req.lang, &plan_id).await?;
    let ctx = plan
        .activity(&activity_id)
        .ok_or(AppError::NotFound(req.lang))?;
    let units = cchc_app::plan::progress::activity_progress(&st, &plan, &registry, &activity_id)
        .await
        .map_err(|e| app_error(req.lang, e))?
        .unwrap_or_default();
    let a = ctx.activity;
    let day = st.today();
    let late = cchc_app::execution::late_activities(&st, &plan, &registry, None, day)
        .await
        .map_err(|e| app_error(req.lang, e))?;
    let area = plan.section_area(&ctx.section.code);
    let title = format!("{} {}", v.t("activity"), ctx.number());
    let body = html! {
        (v.crumbs(&[(&plan.decision.number, plan_url(id))], &title))
        h1 { (title) " " small.key title=(v.t("activity_id")) { (a.id) } }
        p.muted { (ctx.context_vi()) }
        p.lead-text { (a.text) }
        dl.fields {
            dt { (v.t("activity_id")) } dd { code { (a.id) } }
            dt { (v.t("section")) }
            dd { a href={ (plan_url(id)) "#phan-" (ctx.section.code) } { (ctx.section.code) ". " (ctx.section.title) } }
            @if ctx.part.code.is_some() || ctx.part.title.is_some() {
                dt { (v.t("part")) }
                dd { (part_heading(ctx.part)) }
            }
            @if let Some(no) = area {
                dt { (v.t("area")) }
                dd {
                    a href=(with_query(&plan_url(id), &[("linh_vuc", &no.to_string())])) {
                        (no) ". " (plan.area_title(no).unwrap_or(&ctx.section.title))
                    }
                }
            }
            dt { (v.t("row")) } dd { (ctx.row.no) }
            @if let Some(o) = &ctx.row.objective {
                dt { (v.t("col_objective")) }
                dd { @if let Some(c) = &o.code { b { (c) } " " } (o.text) }
            }
            dt { (v.t("col_task")) }
            dd { @if let Some(c) = &ctx.task.code { b { (c) } " " } (ctx.task.text) }
            dt { (v.t("col_activity")) }
            dd { @if let Some(c) = &a.code { b { (c) } " " } (a.text) }
            dt { (v.t("col_output")) } dd { (a.outputs.as_deref().unwrap_or("—")) }
            dt { (v.t("col_lead")) } dd { (v.unit_refs(&registry, &a.lead)) }
            dt { (v.t("col_coord")) } dd { (v.unit_refs(&registry, &a.coordinators)) }
            dt { (v.t("col_deadline")) } dd { (v.deadline(a.deadline.as_ref(), day, late.contains(&a.id))) }
            dt { (v.t("col_funding")) } dd { (a.funding.as_deref().unwrap_or("—")) }
        }
        h2 #tien-do { (v.t("progress")) }
        p.muted.small { (v.t("progress_rule")) }
        @if units.is_empty() {
            p { (v.t("progress_no_units")) }
        } @else {
            table.list.progress {
                thead { tr { th { (v.t("w_unit")) } th { (v.t("f_role")) } th { (v.t("w_status")) } } }
                tbody { @for u in &units {
                    tr data-unit=(u.unit) {
                        td data-label=(v.t("w_unit")) { a href=(unit_url(&u.unit)) { (u.unit_name) } }
                        td data-label=(v.t("f_role")) {
                            @match u.involvement {
                                cchc_domain::execution::Involvement::Lead => span.badge.lead { (v.t("role_lead")) },
                                _ => span.badge.coord { (v.t("role_coord")) },
                            }
                        }
                        td data-label=(v.t("w_status")) { (status_badge(u.reported.as_ref())) }
                    }
                } }
            }
        }
        p { a href={ (plan_url(id)) "#hd-" (a.id) } { "← " (v.t("see_in_plan")) } }
    };
    Ok(v.page(&title, false, body).into_response())
}

/// `/ke-hoach/{plan_id}/chi-tieu/{code}`: one key target, its thresholds, and the appendix
/// rows of its area.
pub async fn target(
    State(st): State<AppState>,
    req: Req,
    Path((plan_id, code)): Path<(String, String)>,
) -> PageResult {
    let v = req.view();
    let store = &st.store;
    let (id, plan, registry) = load_plan(store, req.lang, &plan_id).await?;
    let t = plan
        .targets
        .iter()
        .find(|t| t.code == code)
        .ok_or(AppError::NotFound(req.lang))?;
    let day = st.today();
    let filter = Filter {
        area: Some(t.area),
        ..Default::default()
    };
    let rows = filter.select(&plan, &registry, day);
    let late = cchc_app::execution::late_activities(&st, &plan, &registry, None, day)
        .await
        .map_err(|e| app_error(req.lang, e))?;
    let area_title = plan
        .area_title(t.area)
        .map(str::to_string)
        .unwrap_or_default();
    let title = format!("{} {}", v.t("target"), t.code);
    let area_url = with_query(&plan_url(id), &[("linh_vuc", &t.area.to_string())]);
    // Area-3 targets measured on dossiers show their figures for the plan's year.
    let service = crate::delivery::target_section(store, plan.year, &t.code, day).await;
    // Targets 1.2, 1.3, 3.7, 4.2 show their figures measured from the evaluation records.
    let evaluation = crate::evaluation::target_section(store, plan.year, &t.code, day).await;
    let reported = cchc_app::plan::progress::target_reports(&st, &plan, &registry, &t.code)
        .await
        .map_err(|e| app_error(req.lang, e))?;
    let progress = cchc_app::plan::progress::plan_progress(&st, &plan, &registry)
        .await
        .map_err(|e| app_error(req.lang, e))?;
    let body = html! {
        (v.crumbs(&[(&plan.decision.number, plan_url(id))], &title))
        h1 { (title) }
        p.muted { (v.t("area")) " " (t.area) ". " (area_title) }
        p.lead-text { (t.text) }
        h2 { (v.t("measures")) }
        @if t.measures.is_empty() {
            p { (v.t("no_measure")) }
        } @else {
            ul.measures { @for m in &t.measures { li.measure { (m.display_vi()) } } }
        }
        @if let Some(section) = service { (section) } @else if let Some(section) = evaluation { (section) } @else {
            h2 #so-lieu { (v.t("target_values")) }
            p.muted.small { (v.t("progress_rule")) }
            @if reported.is_empty() {
                p.notice #chua-co-so-lieu { (v.t("no_figures")) }
            } @else {
                table.list.target-values {
                    thead { tr { th { (v.t("w_unit")) } th { (v.t("period")) } th { (v.t("reported_value")) } th { (v.t("w_state")) } } }
                    tbody { @for r in &reported { tr {
                        td data-label=(v.t("w_unit")) { (r.unit_name) }
                        td data-label=(v.t("period")) { (r.period) }
                        td data-label=(v.t("reported_value")) { b { (r.value) } }
                        td data-label=(v.t("w_state")) { (r.state.label_vi()) }
                    } } }
                }
            }
        }
        h2 { (v.t("area_rows")) " (" (rows.len()) " " (v.t("n_activities")) ")" }
        p { a href=(area_url) { (v.t("see_in_plan")) } }
        (v.matrix(id, &plan, &registry, &rows, day, MatrixStatus { progress: &progress, late: &late }))
    };
    Ok(v.page(&title, true, body).into_response())
}

/// `/ke-hoach/{plan_id}/canh-bao`: what the importer and the lint found in the plan.
pub async fn diagnostics(
    State(AppState { store, .. }): State<AppState>,
    req: Req,
    Path(plan_id): Path<String>,
) -> PageResult {
    let v = req.view();
    let (id, plan, _) = load_plan(&store, req.lang, &plan_id).await?;
    let all = all_diagnostics(&plan);
    let title = format!("{} · {}", v.t("diagnostics"), plan.decision.number);
    let body = html! {
        (v.crumbs(&[(&plan.decision.number, plan_url(id))], v.t("diagnostics")))
        h1 { (v.t("diagnostics")) " (" (all.len()) ")" }
        p.muted { (plan_name(&plan)) }
        @if all.is_empty() {
            p { (v.t("no_diagnostics")) }
        } @else {
            table.diag {
                thead { tr {
                    th { (v.t("severity")) } th { (v.t("diagnostic_kind")) } th { (v.t("message")) } th { (v.t("location")) }
                } }
                tbody {
                    @for d in &all {
                        tr class={ "sev-" (format!("{:?}", d.severity).to_lowercase()) } {
                            td data-label=(v.t("severity")) { (d.severity.label_vi()) }
                            td data-label=(v.t("diagnostic_kind")) {
                                @match cchc_domain::diagnostic::code_label_vi(&d.code) {
                                    Some(label) => span title=(d.code) { (label) },
                                    None => code { (d.code) },
                                }
                            }
                            td data-label=(v.t("message")) { (d.message) }
                            td data-label=(v.t("location")) {
                                @match location_url(id, &plan, &d.location) {
                                    Some(href) => a href=(href) { (d.location) },
                                    None => (d.location),
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(v.page(&title, false, body).into_response())
}

/// The stored diagnostics, then what the lint finds now that they do not already say (a plan
/// imported from JSON may carry none).
fn all_diagnostics(plan: &Plan) -> Vec<Diagnostic> {
    let mut all = plan.diagnostics.clone();
    for d in lint(plan) {
        if !all.contains(&d) {
            all.push(d);
        }
    }
    all
}

/// The page a diagnostic's location points at: `PL.I.1.3.2` an activity, `II.6.6` a target.
fn location_url(id: PlanId, plan: &Plan, location: &str) -> Option<String> {
    if let Some(key) = location.strip_prefix("PL.") {
        return plan.activity(key).map(|c| activity_url(id, &c.activity.id));
    }
    if let Some(code) = location.strip_prefix("II.") {
        return plan
            .targets
            .iter()
            .find(|t| t.code == code)
            .map(|t| target_url(id, &t.code));
    }
    plan.activity(location)
        .map(|c| activity_url(id, &c.activity.id))
}

/// `/don-vi`: the unit tree and the groups.
pub async fn units(State(AppState { store, .. }): State<AppState>, req: Req) -> PageResult {
    let v = req.view();
    let registry = load_registry(&store, req.lang).await?;
    let body = html! {
        (v.crumbs(&[], v.t("units_title")))
        h1 { (v.t("units_title")) " (" (registry.units().len()) ")" }
        ul.tree {
            @for (depth, u) in unit_tree(&registry) {
                li class={ "d" (depth.min(6)) } {
                    a href=(unit_url(&u.id)) { (u.name) }
                    " " span.muted { (u.kind.label_vi()) " · " code { (u.id) } }
                }
            }
        }
        h2 { (v.t("group")) }
        ul.groups {
            @for g in GroupId::ALL {
                @let members = registry.expand(g);
                li #{ "nhom-" (g.as_str()) } {
                    details {
                        summary { (g.label_vi()) " (" (members.len()) " " (v.t("units_in_group")) ")" }
                        @if members.is_empty() { p { (v.t("group_empty")) } }
                        ul { @for u in members { li { a href=(unit_url(&u.id)) { (u.name) } } } }
                    }
                }
            }
        }
    };
    Ok(v.page(v.t("units_title"), false, body).into_response())
}

/// `/don-vi/{unit_id}`: the unit, and what it leads and coordinates in each plan.
pub async fn unit(State(st): State<AppState>, req: Req, Path(unit_id): Path<String>) -> PageResult {
    let v = req.view();
    let lang = req.lang;
    let store = &st.store;
    let registry = load_registry(store, lang).await?;
    let uid = UnitId::parse(&unit_id).map_err(|_| AppError::NotFound(lang))?;
    let u = registry.get(&uid).ok_or(AppError::NotFound(lang))?;
    let summaries = store
        .list_plans()
        .await
        .map_err(|e| AppError::Store(lang, e))?;
    let mut plans = Vec::new();
    for s in &summaries {
        if let Some(p) = store
            .get_plan(s.id)
            .await
            .map_err(|e| AppError::Store(lang, e))?
        {
            plans.push((s.id, p));
        }
    }
    let (period_reports, statuses) =
        cchc_app::plan::progress::unit_progress(&st, plans.last().map(|(_, p)| p), &u.id)
            .await
            .map_err(|e| app_error(lang, e))?;
    let groups: Vec<GroupId> = GroupId::ALL.into_iter().filter(|g| g.contains(u)).collect();
    let children: Vec<_> = registry.children(&u.id).collect();
    let parent = u.parent.as_ref().and_then(|p| registry.get(p));
    let via = |x: Via| -> Markup {
        match x {
            Via::Direct => html! {},
            Via::Group(g) => {
                html! { " " span.muted { "(" (v.t("via_group")) " " (g.label_vi()) ")" } }
            }
        }
    };
    let body = html! {
        (v.crumbs(&[(v.t("units_title"), "/don-vi".to_string())], &u.name))
        h1 { (u.name) }
        dl.fields {
            dt { (v.t("code")) } dd { code { (u.id) } }
            dt { (v.t("kind")) } dd { (u.kind.label_vi()) }
            @if let Some(p) = parent { dt { (v.t("parent")) } dd { a href=(unit_url(&p.id)) { (p.name) } } }
            @if !children.is_empty() {
                dt { (v.t("children")) }
                dd { ul.refs { @for c in &children { li { a href=(unit_url(&c.id)) { (c.name) } } } } }
            }
            @if !u.aliases.is_empty() { dt { (v.t("aliases")) } dd { (u.aliases.join("; ")) } }
            @if !groups.is_empty() {
                dt { (v.t("member_of")) }
                dd { ul.refs { @for g in &groups { li { a href={ "/don-vi#nhom-" (g.as_str()) } { (g.label_vi()) } } } } }
            }
        }
        h2 #bao-cao { (v.t("unit_reports")) }
        @if period_reports.is_empty() {
            p { (v.t("no_periods")) }
        } @else {
            table.list.unit-reports {
                thead { tr { th { (v.t("period")) } th { (v.t("w_state")) } th { "" } } }
                tbody { @for r in &period_reports { tr data-period=(r.period) {
                    td data-label=(v.t("period")) { (r.period) }
                    td data-label=(v.t("w_state")) {
                        @match r.state {
                            Some(st) => span class={ "badge st-" (st.as_str()) } { (st.label_vi()) },
                            None => span.badge.st-none { (v.t("not_submitted")) },
                        }
                    }
                    td { a href={ "/bao-cao/" (crate::shell::view::enc(&r.period)) "/" (crate::shell::view::enc(u.id.as_str())) } { (v.t("w_open")) } }
                } } }
            }
            p.muted.small { (v.t("unit_reports_note")) }
        }
        h2 { (v.t("unit_tasks")) }
        @if plans.is_empty() { p { (v.t("no_plans")) } }
        @for (pid, plan) in &plans {
            @let sections = involvement_by_section(plan, u);
            @let leads: usize = sections.iter().flat_map(|(_, l)| l).filter(|(_, i)| i.has(Role::Lead)).count();
            @let coords: usize = sections.iter().flat_map(|(_, l)| l).filter(|(_, i)| i.has(Role::Coordinator)).count();
            section.unit-plan {
                h3 { a href=(plan_url(*pid)) { (plan_name(plan)) } }
                p {
                    a href=(with_query(&plan_url(*pid), &[("don_vi", u.id.as_str()), ("vai_tro", "chu_tri")])) {
                        (v.t("role_lead")) ": " strong.lead-count { (leads) }
                    }
                    " · "
                    a href=(with_query(&plan_url(*pid), &[("don_vi", u.id.as_str()), ("vai_tro", "phoi_hop")])) {
                        (v.t("role_coord")) ": " strong.coord-count { (coords) }
                    }
                }
                @if sections.is_empty() { p { (v.t("unit_none")) } }
                @for (section, list) in &sections {
                    h4 { (section.code) ". " (section.title) }
                    ul.unit-acts {
                        @for (c, i) in list {
                            li {
                                a href=(activity_url(*pid, &c.activity.id)) {
                                    (activity_tag(c.number(), Some(&c.context_vi()), &c.activity.id)) " " (c.activity.text)
                                }
                                br;
                                @if std::ptr::eq(plan, &plans.last().expect("a plan").1) {
                                    (status_badge(statuses.get(&c.activity.id))) " "
                                }
                                @if let Some(x) = i.lead { span.badge.lead { (v.t("role_lead")) } (via(x)) " " }
                                @if let Some(x) = i.coordinator { span.badge.coord { (v.t("role_coord")) } (via(x)) " " }
                                @if let Some(d) = &c.activity.deadline { span.muted { "· " (d.text) } }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(v.page(&u.name, false, body).into_response())
}

/// The activities `unit` leads or coordinates (groups expanded), grouped by section in
/// document order.
fn involvement_by_section<'p>(
    plan: &'p Plan,
    unit: &cchc_domain::Unit,
) -> Vec<(
    &'p cchc_domain::Section,
    Vec<(ActivityCtx<'p>, Involvement)>,
)> {
    let mut out: Vec<(&cchc_domain::Section, Vec<_>)> = Vec::new();
    for c in plan.activities() {
        let i = Involvement::of(c.activity, unit);
        if !i.has(Role::Any) {
            continue;
        }
        match out.last_mut() {
            Some((s, list)) if std::ptr::eq(*s, c.section) => list.push((c, i)),
            _ => out.push((c.section, vec![(c, i)])),
        }
    }
    out
}
