//! The standing office's and leaders' pages: overdue work (quá hạn), the dashboard (tổng quan)
//! with inline-SVG bars whose every figure links to its records, the audit trail (nhật ký) and
//! the accounts admin (quản trị tài khoản). Handlers call `service`; roles sit beside routes.

use axum::extract::{Path, Query, State};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use cchc_domain::execution::{audit_object_vi, AuditAction, Role};
use maud::{html, Markup};
use serde::Deserialize;

use super::api::AuditQuery;
use super::auth::{authorize, Session, ANY, OFFICE, READ_ALL};
use super::work::{fail, kept_page, page, vn_time};
use super::ExecError;
use crate::shell::view::{activity_url, enc, with_query};
use crate::shell::{chart, forecast};
use crate::AppState;
use crate::Req;
use cchc_app::execution as service;
use cchc_app::execution::may_grant;

pub fn routes(state: &AppState) -> Router<AppState> {
    let allow = |roles| from_fn_with_state((state.clone(), roles), authorize);
    Router::new()
        .route("/qua-han", get(overdue_page).route_layer(allow(ANY)))
        .route(
            "/tong-quan",
            get(dashboard_page).route_layer(allow(READ_ALL)),
        )
        .route("/nhat-ky", get(audit_page).route_layer(allow(OFFICE)))
        .route(
            "/quan-tri/tai-khoan",
            get(accounts_page)
                .post(add_account)
                .route_layer(allow(OFFICE)),
        )
        .route(
            "/quan-tri/tai-khoan/{username}/mat-khau",
            post(reset_password).route_layer(allow(OFFICE)),
        )
        .route(
            "/quan-tri/tai-khoan/{username}/khoa",
            post(disable_account).route_layer(allow(OFFICE)),
        )
}

fn csrf(s: &Session) -> Markup {
    html! { input type="hidden" name="csrf" value=(s.csrf_token); }
}

// ---------------------------------------------------------------------------------------------
// Overdue

#[derive(Deserialize, Default)]
pub struct OverdueQuery {
    don_vi: Option<String>,
    linh_vuc: Option<u32>,
}

async fn overdue_page(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Query(q): Query<OverdueQuery>,
) -> Response {
    let unit = q.don_vi.clone().filter(|u| !u.is_empty());
    let loaded = async {
        let lines = service::overdue_for(&st, &s, unit.as_deref()).await?;
        let (plan_id, plan, _) = cchc_app::plan::plan_for(&st, None).await?;
        Ok::<_, ExecError>((lines, plan_id, plan))
    }
    .await;
    let (lines, plan_id, plan) = match loaded {
        Ok(x) => x,
        Err(e) => return fail(&req, &s, e),
    };
    let v = req.view();
    let lines: Vec<_> = lines
        .into_iter()
        .filter(|l| q.linh_vuc.is_none_or(|a| a == l.area))
        .collect();
    let groups = service::by_activity(&lines);
    // Per unit: the activities it leads and has not reported done; per area: activities.
    let mut by_unit: Vec<(&str, &str, usize)> = Vec::new();
    for l in &lines {
        match by_unit.iter_mut().find(|x| x.0 == l.unit) {
            Some(x) => x.2 += 1,
            None => by_unit.push((&l.unit, &l.unit_name, 1)),
        }
    }
    let mut by_area: std::collections::BTreeMap<u32, usize> = Default::default();
    for g in &groups {
        *by_area.entry(g.area).or_default() += 1;
    }
    by_unit.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(b.1)));
    let area_s = q.linh_vuc.map(|a| a.to_string()).unwrap_or_default();
    let body = html! {
        h1 { (v.t("w_overdue_list")) " (" span #so-qua-han data-count=(groups.len()) { (groups.len()) } ")" }
        p.definition #dinh-nghia-qua-han { (v.t("overdue_definition")) }
        @if unit.is_some() || q.linh_vuc.is_some() { p { a href="/qua-han" { "Bỏ lọc" } } }
        div.grid2 {
            section {
                h2 { (v.t("w_by_unit")) }
                ul { @for (u, name, n) in &by_unit {
                    li { a href=(with_query("/qua-han", &[("don_vi", u), ("linh_vuc", &area_s)])) { (name) } ": " b { (n) } }
                } }
            }
            section {
                h2 { (v.t("w_by_area")) }
                ul { @for (a, n) in &by_area {
                    li { a href=(with_query("/qua-han", &[("don_vi", unit.as_deref().unwrap_or("")), ("linh_vuc", &a.to_string())])) {
                        (a) ". " (plan.area_title(*a).unwrap_or("")) } ": " b { (n) } }
                } }
            }
        }
        table.list.overdue {
            thead { tr { th { "Hoạt động" } th { (v.t("w_deadline")) } th.num { (v.t("w_days_late")) } th { (v.t("w_lead_units_late")) } } }
            tbody { @for g in &groups { tr data-activity=(g.activity) {
                td data-label="Hoạt động" { a href=(activity_url(plan_id, &g.activity)) { b { (crate::plan::view::activity_label(&plan, &g.activity)) } " " (g.text) } }
                td data-label=(v.t("w_deadline")) { (g.deadline) }
                td.num data-label=(v.t("w_days_late")) data-days=(g.days_late) { (g.days_late) }
                td data-label=(v.t("w_lead_units_late")) {
                    ul.units { @for (_, name, st) in &g.units {
                        li { (name) " — " span.muted { (st.map_or("chưa báo cáo", |x| x.label_vi())) } }
                    } }
                }
            } } }
        }
    };
    page(&req, &s, v.t("w_overdue_list"), true, body)
}

// ---------------------------------------------------------------------------------------------
// Dashboard

#[derive(Deserialize, Default)]
pub struct DashQuery {
    ky: Option<String>,
}

/// One bar of a stacked chart: its label, the records behind it, and its parts.
pub(crate) struct Stack {
    pub(crate) label: String,
    pub(crate) href: String,
    /// (CSS class, legend label, count), in legend order.
    pub(crate) parts: Vec<(&'static str, &'static str, usize)>,
    /// The figure written beside the bar ("114/221 hoàn thành (51%)").
    pub(crate) figure: String,
}

/// The parts of an activity tally, coloured by meaning.
fn status_parts(t: &service::Tally) -> Vec<(&'static str, &'static str, usize)> {
    vec![
        ("s-done", "hoàn thành", t.done),
        ("s-progress", "đang triển khai", t.in_progress),
        ("s-not-started", "chưa triển khai", t.not_started),
        ("s-not-feasible", "không thực hiện được", t.not_feasible),
        ("s-missing", "chưa báo cáo", t.not_reported),
    ]
}

/// Stacked horizontal bars in HTML and CSS (no drawing to scale down): the label wraps above
/// the bar on a phone, each part's width is its share, the figure is never cut, and the whole
/// row links to the records behind it.
pub(crate) fn stacked(rows: &[Stack]) -> Markup {
    let legend: Vec<(&str, &str)> = rows
        .first()
        .map(|r| r.parts.iter().map(|(c, l, _)| (*c, *l)).collect())
        .unwrap_or_default();
    html! {
        ul.legend aria-label="Chú giải" {
            @for (class, label) in &legend { li { span.(class).sw aria-hidden="true" {} (label) } }
        }
        div.stacks role="list" {
            @for r in rows {
                @let total: usize = r.parts.iter().map(|p| p.2).sum();
                @let said: Vec<String> = r.parts.iter().filter(|p| p.2 > 0).map(|p| format!("{} {}", p.1, p.2)).collect();
                div.stack role="listitem" {
                    a.stack-label href=(r.href) { (r.label) }
                    a.stack-bar href=(r.href) aria-label=(format!("{}: {}", r.label, said.join(", "))) {
                        @for (class, label, n) in &r.parts {
                            @if *n > 0 {
                                span class=(format!("seg {class} g{}", share(*n, total))) title=(format!("{label}: {n}/{total}")) {}
                            }
                        }
                    }
                    a.stack-fig href=(r.href) { (r.figure) }
                }
            }
        }
    }
}

/// A part's share of its bar in whole percent, at least 1 for a part that is there: the width
/// comes from a class (`.g1` … `.g100` in app.css), since the CSP allows no inline style.
fn share(n: usize, total: usize) -> usize {
    ((n * 100 + total / 2) / total.max(1)).clamp(1, 100)
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

async fn dashboard_page(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Query(q): Query<DashQuery>,
) -> Response {
    let what = format!("dashboard:{}", q.ky.as_deref().unwrap_or(""));
    kept_page(&st, &req, &s, what, false, || {
        dashboard_body(&st, &req, q.ky.clone())
    })
    .await
}

/// The dashboard's title and body for the period `ky` (the one due last when none is named).
async fn dashboard_body(
    st: &AppState,
    req: &Req,
    ky: Option<String>,
) -> Result<(String, Markup), ExecError> {
    let periods = service::periods(st).await?;
    let code = match ky.filter(|k| !k.is_empty()) {
        Some(k) => k,
        None => periods
            .iter()
            .max_by_key(|p| p.due_at)
            .map(|p| p.code.clone())
            .ok_or_else(|| ExecError::not_found("chưa có kỳ báo cáo nào được mở"))?,
    };
    let (d, plan_id) = service::dashboard_with_plan(st, &code).await?;
    // Targets measured from the evaluation records, up to the period's last day.
    let p = cchc_domain::Period::parse(&d.period).map_err(ExecError::invalid)?;
    let measured = cchc_app::evaluation::measure(st, p.year(), Some(p.end())).await?;
    let service = cchc_app::delivery::indicators::service_board(st, p).await?;
    let survey = cchc_app::reform_index::survey_in(&st.store, p).await?;
    let year = p.year();
    let v = req.view();
    let board = format!("/bao-cao/{}", enc(&d.period));
    let pct = |a: usize, b: usize| (a * 100).checked_div(b).unwrap_or(0);
    let done_figure =
        |t: &service::Tally| format!("{}/{} hoàn thành ({}%)", t.done, t.total, t.percent());
    let area_rows: Vec<_> = d
        .by_area
        .iter()
        .map(|(a, (title, t))| Stack {
            label: format!("{a}. {title}"),
            href: with_query(
                &format!("/ke-hoach/{plan_id}"),
                &[("linh_vuc", &a.to_string()), ("han", &d.period)],
            ),
            parts: status_parts(t),
            figure: done_figure(t),
        })
        .collect();
    let mut units: Vec<_> = d.by_unit.iter().filter(|u| u.2.total > 0).collect();
    units.sort_by(|a, b| b.2.percent().cmp(&a.2.percent()).then(a.1.cmp(&b.1)));
    let unit_rows: Vec<_> = units
        .iter()
        .map(|(id, name, t)| Stack {
            label: name.clone(),
            href: format!("/bao-cao/{}/{}", enc(&d.period), enc(id)),
            parts: status_parts(t),
            figure: done_figure(t),
        })
        .collect();
    let missing = d.units_expected - d.submitted;
    let submission_rows = vec![Stack {
        label: "Đơn vị phải báo cáo".to_string(),
        href: board.clone(),
        parts: vec![
            ("s-done", "gửi đúng hạn", d.on_time),
            ("s-not-started", "gửi trễ hạn", d.late),
            ("s-missing", "chưa gửi", missing),
        ],
        figure: format!(
            "{}/{} đã gửi ({}%)",
            d.submitted,
            d.units_expected,
            pct(d.submitted, d.units_expected)
        ),
    }];
    let title = format!("{} {}", v.t("w_dashboard"), d.period);
    let body = html! {
        h1 { (title) }
        form.filters method="get" {
            label { "Kỳ " select name="ky" { @for p in &periods { option value=(p.code) selected[p.code == d.period] { (p.code) } } } }
            button type="submit" { (v.t("w_filter")) }
        }
        div.figures {
            a href=(format!("{board}?tinh_trang=in")) { b #so-da-gui { (d.submitted) "/" (d.units_expected) } "đơn vị đã gửi báo cáo" }
            a href=(format!("{board}?tinh_trang=on_time")) { b #so-dung-han { (d.on_time) } "gửi đúng hạn" }
            a href=(format!("{board}?tinh_trang=late")) { b { (d.late) } "gửi trễ hạn" }
            a href=(format!("{board}?tinh_trang=missing")) { b { (d.units_expected - d.submitted) } "chưa gửi" }
            a href="/qua-han" { b #so-qua-han data-count=(d.overdue) { (d.overdue) } "hoạt động quá hạn (hôm nay)" }
        }
        p.definition #dinh-nghia-qua-han { (v.t("overdue_definition")) }
        h2 #chi-tieu-so-theo-doi { "Chỉ tiêu đo từ sổ theo dõi (năm " (year) ", đến hết kỳ)" }
        (crate::evaluation::measured_targets_table(&measured, &survey, p))
        h2 #chi-tieu-dich-vu-cong { "Chỉ tiêu đo từ hồ sơ TTHC (năm " (year) ", đến hết kỳ)" }
        table.list.service-targets {
            thead { tr { th { "Chỉ tiêu" } th { "Chỉ số" } th { "Phạm vi" } th { "Lũy kế" } th { "Chỉ tiêu kế hoạch" } th { "Dự báo cuối năm" } } }
            tbody { @for f in &service.forecasts { tr data-measure=(f.measure.id()) data-scope=(f.scope.code()) {
                td data-label="Chỉ tiêu" { @if let Some(t) = &f.target { (t.code) } }
                td data-label="Chỉ số" { a href=(with_query(&format!("/chi-so/{}", f.measure.id()), &[("ky", &d.period), ("pham_vi", &f.scope.code())])) { (f.measure.label_vi()) } }
                td data-label="Phạm vi" { (f.scope.name_vi(&service.registry)) }
                td data-label="Lũy kế" { b { (f.series.to_date().last().copied().flatten().map(|x| chart::value_vi(x, true)).unwrap_or_else(|| "—".into())) } }
                td data-label="Chỉ tiêu kế hoạch" { @if let Some(t) = &f.target { (t.measure.display_vi()) } }
                td data-label="Dự báo cuối năm" { (forecast::badge(&f.forecast, true)) }
            } } }
        }
        @let series: Vec<&cchc_domain::forecast::Series> = measured.iter().map(|m| &m.series).chain(service.forecasts.iter().map(|f| &f.series)).collect();
        (forecast::method(&series, service.as_of, service.months))
        h2 #bieu-do-don-vi { "Theo xã, thị trấn" }
        (chart::measure_units(&service.units, &p.label_vi(), &|u| with_query(&format!("/chi-so/{}", service.units.measure.id()), &[("ky", &d.period), ("pham_vi", u.as_str())])))
        h2 { (v.t("w_submission")) }
        (stacked(&submission_rows))
        h2 { (v.t("w_completion")) " — " (v.t("w_by_area")) }
        p.muted { "Mỗi hoạt động đến hạn trong kỳ (hoặc thường xuyên) tính một lượt cho mỗi đơn vị chủ trì hoặc phối hợp, theo trạng thái trong báo cáo kỳ " (d.period) " của đơn vị." }
        div #bieu-do-linh-vuc { (stacked(&area_rows)) }
        h2 { (v.t("w_completion")) " — " (v.t("w_by_unit")) }
        (stacked(&unit_rows))
    };
    Ok((title, body))
}

// ---------------------------------------------------------------------------------------------
// Audit

async fn audit_page(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Query(q): Query<AuditQuery>,
) -> Response {
    let loaded = async {
        let filter = q.filter()?;
        let page_no = q.page_number()?;
        let found = service::audit_page(&st, &filter, page_no).await?;
        let units = st.store.list_units().await.map_err(ExecError::from)?;
        Ok::<_, ExecError>((page_no, found, cchc_domain::Registry::new(units)))
    }
    .await;
    let (page_no, found, registry) = match loaded {
        Ok(x) => x,
        Err(e) => return fail(&req, &s, e),
    };
    let entries = found.entries;
    let pages = (found.total + service::AUDIT_PAGE_SIZE - 1) / service::AUDIT_PAGE_SIZE;
    let page_link = |p: i64| format!("/nhat-ky?{}", q.with_page("trang", p));
    let v = req.view();
    let pager = html! {
        nav.pager aria-label=(v.t("w_pages")) {
            @if page_no > 1 { a rel="prev" href=(page_link((page_no - 1).min(pages.max(1)))) { "← " (v.t("w_page_prev")) } " " }
            span { (v.t("w_page")) " " (page_no) " / " (pages.max(1)) }
            @if page_no < pages { " " a rel="next" href=(page_link(page_no + 1)) { (v.t("w_page_next")) " →" } }
        }
    };
    let val = |o: &Option<String>| o.clone().unwrap_or_default();
    let unit_name = |id: &str| {
        cchc_domain::UnitId::parse(id)
            .ok()
            .and_then(|id| registry.get(&id))
            .map(|u| u.name.clone())
    };
    let chosen = val(&q.unit);
    let body = html! {
        h1 { (v.t("w_audit")) }
        form.filters method="get" {
            label { (v.t("w_unit")) " " select name="unit" {
                option value="" { (v.t("all")) }
                @for (depth, u) in crate::plan::view::unit_tree(&registry) {
                    option value=(u.id) selected[chosen == u.id.as_str()] {
                        @for _ in 0..depth { "\u{a0}\u{a0}" }
                        (u.name)
                    }
                }
            } }
            label { (v.t("w_from")) " " input type="date" name="from" value=(val(&q.from)); }
            label { (v.t("w_to")) " " input type="date" name="to" value=(val(&q.to)); }
            button type="submit" { (v.t("w_filter")) }
        }
        p.muted #audit-total { (found.total) " " (v.t("w_audit_count")) " " (service::AUDIT_PAGE_SIZE) "." }
        (pager)
        table.list.audit {
            thead { tr { th { "#" } th { (v.t("w_when")) } th { (v.t("w_who")) } th { (v.t("w_what")) } th { (v.t("w_object")) } th { (v.t("w_before_after")) } } }
            tbody { @for e in &entries { tr data-action=(e.action) {
                td data-label="#" { (e.seq) }
                td data-label=(v.t("w_when")) { (vn_time(e.at)) }
                td data-label=(v.t("w_who")) { (e.actor) }
                td data-label=(v.t("w_what")) {
                    @match AuditAction::parse(&e.action) {
                        Some(a) => span title=(e.action) { (a.label_vi()) },
                        None => code { (e.action) },
                    }
                }
                td data-label=(v.t("w_object")) {
                    @match audit_object_vi(&e.object, unit_name) {
                        Some(words) => span title=(e.object) { (words) },
                        None => code { (e.object) },
                    }
                }
                td data-label=(v.t("w_before_after")) {
                    @if !e.before.is_empty() || !e.after.is_empty() {
                        pre.change { (truncate(&e.before, 300)) " → " (truncate(&e.after, 600)) }
                    }
                }
            } } }
        }
        (pager)
    };
    page(&req, &s, v.t("w_audit"), true, body)
}

// ---------------------------------------------------------------------------------------------
// Accounts

async fn accounts_page(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
) -> Response {
    accounts(&st, &req, &s, None).await
}

pub(crate) async fn accounts(
    st: &AppState,
    req: &Req,
    s: &Session,
    msg: Option<ExecError>,
) -> Response {
    let loaded = async {
        let users = service::users(st).await?;
        let (_, _, registry) = cchc_app::plan::plan_for(st, None).await?;
        Ok::<_, ExecError>((users, registry))
    }
    .await;
    let (users, registry) = match loaded {
        Ok(x) => x,
        Err(e) => return fail(req, s, e),
    };
    let v = req.view();
    let status = msg.as_ref().map(|e| e.status);
    let body = html! {
        h1 { (v.t("w_accounts")) }
        @if let Some(e) = &msg { p.error role="alert" { (e.message) } }
        table.list {
            thead { tr { th { (v.t("w_username")) } th { (v.t("w_unit")) } th { (v.t("w_role")) } th { "" } } }
            tbody { @for u in &users { tr {
                td data-label=(v.t("w_username")) { (u.username) @if u.disabled { " " span.badge.overdue { (v.t("w_disabled")) } } @if u.demo { " " span.badge { "demo" } } }
                td data-label=(v.t("w_unit")) { (cchc_domain::UnitId::parse(&u.unit).ok().and_then(|id| registry.get(&id)).map_or(u.unit.as_str(), |x| x.name.as_str())) }
                td data-label=(v.t("w_role")) { (u.role.label_vi()) }
                td {
                    form.inline method="post" action=(format!("/quan-tri/tai-khoan/{}/thu", enc(&u.username))) {
                        (csrf(s))
                        input type="email" name="email" value=(u.email.as_deref().unwrap_or("")) aria-label=(v.t("w_email")) placeholder="ten@donvi.gov.vn";
                        button type="submit" { (v.t("w_set_email")) }
                    }
                    form.inline method="post" action=(format!("/quan-tri/tai-khoan/{}/mat-khau", enc(&u.username))) {
                        (csrf(s))
                        input type="password" name="password" autocomplete="new-password" required minlength="10" aria-label=(v.t("w_password")) placeholder="mật khẩu mới";
                        button type="submit" { (v.t("w_reset_password")) }
                    }
                    @if !u.disabled {
                        form.inline method="post" action=(format!("/quan-tri/tai-khoan/{}/khoa", enc(&u.username))) {
                            (csrf(s))
                            button type="submit" data-confirm=(format!("Khóa tài khoản {}?", u.username)) { (v.t("w_disable")) }
                        }
                    }
                }
            } } }
        }
        h2 { (v.t("w_add_account")) }
        form.stack method="post" action="/quan-tri/tai-khoan" {
            (csrf(s))
            label { (v.t("w_username")) input name="username" required pattern="[A-Za-z0-9._-]+"; }
            label { (v.t("w_unit")) select name="unit" { @for u in registry.units() { option value=(u.id.as_str()) { (u.name) } } } }
            label { (v.t("w_role")) select name="role" { @for r in Role::ALL {
                @if s.user.role == Role::Admin || !matches!(r, Role::Admin | Role::StandingOffice) {
                    option value=(r.as_str()) selected[r == Role::Reporter] { (r.label_vi()) }
                }
            } } }
            label { (v.t("w_password")) input type="password" name="password" autocomplete="new-password" required minlength="10"; }
            label { (v.t("w_email")) input type="email" name="email" placeholder="ten@donvi.gov.vn"; }
            button.primary type="submit" { (v.t("w_add_account")) }
        }
    };
    let res = page(req, s, v.t("w_accounts"), false, body);
    match status {
        Some(code) => (code, res).into_response(),
        None => res,
    }
}

#[derive(Deserialize)]
pub struct AddForm {
    username: String,
    unit: String,
    role: String,
    password: String,
    #[serde(default)]
    email: String,
}

async fn add_account(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Form(f): Form<AddForm>,
) -> Response {
    let done = async {
        let role = Role::parse(&f.role).map_err(cchc_app::Error::invalid)?;
        may_grant(&s, role)?;
        service::add_user_with_email(
            &st,
            &s.user.username,
            &f.username,
            &f.unit,
            role,
            &f.password,
            &f.email,
        )
        .await
    }
    .await;
    match done {
        Ok(_) => Redirect::to("/quan-tri/tai-khoan").into_response(),
        Err(e) => accounts(&st, &req, &s, Some(e.into())).await,
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    password: String,
}

async fn reset_password(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path(username): Path<String>,
    Form(f): Form<PasswordForm>,
) -> Response {
    match service::set_password(&st, &s.user.username, &username, &f.password).await {
        Ok(()) => Redirect::to("/quan-tri/tai-khoan").into_response(),
        Err(e) => accounts(&st, &req, &s, Some(e.into())).await,
    }
}

async fn disable_account(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path(username): Path<String>,
) -> Response {
    match service::disable_user(&st, &s.user.username, &username).await {
        Ok(()) => Redirect::to("/quan-tri/tai-khoan").into_response(),
        Err(e) => accounts(&st, &req, &s, Some(e.into())).await,
    }
}
