//! The standing office's and leaders' pages: overdue work (quá hạn), the dashboard (tổng quan)
//! with inline-SVG bars whose every figure links to its records, the audit trail (nhật ký) and
//! the accounts admin (quản trị tài khoản). Handlers call `service`; roles sit beside routes.

use axum::extract::{Path, Query, State};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use cchc_domain::execution::Role;
use maud::{html, Markup};
use serde::Deserialize;

use super::api::AuditQuery;
use super::auth::{authorize, Session, ANY, OFFICE, READ_ALL};
use super::work::{fail, page, vn_time};
use super::ExecError;
use crate::shell::view::{activity_url, enc, with_query};
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
    let mut by_unit: Vec<(&str, &str, usize)> = Vec::new();
    let mut by_area: std::collections::BTreeMap<u32, usize> = Default::default();
    for l in &lines {
        match by_unit.iter_mut().find(|x| x.0 == l.unit) {
            Some(x) => x.2 += 1,
            None => by_unit.push((&l.unit, &l.unit_name, 1)),
        }
        *by_area.entry(l.area).or_default() += 1;
    }
    by_unit.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(b.1)));
    let area_s = q.linh_vuc.map(|a| a.to_string()).unwrap_or_default();
    let body = html! {
        h1 { (v.t("w_overdue_list")) " (" span #so-qua-han { (lines.len()) } ")" }
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
        table.list {
            thead { tr { th { (v.t("w_unit")) } th { "Hoạt động" } th { (v.t("w_deadline")) } th { (v.t("w_status")) } } }
            tbody { @for l in &lines { tr {
                td data-label=(v.t("w_unit")) { (l.unit_name) }
                td data-label="Hoạt động" { a href=(activity_url(plan_id, &l.activity)) { b { (l.activity) } " " (l.text) } }
                td data-label=(v.t("w_deadline")) { (l.deadline) }
                td data-label=(v.t("w_status")) { (l.status.map_or("chưa báo cáo", |x| x.label_vi())) }
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

/// Horizontal bars: (label, percent, figure text, link). A narrow drawing, so that its text
/// stays readable when a phone scales it down.
fn bars(rows: &[(String, u32, String, String)]) -> Markup {
    let h = 26;
    let height = rows.len() * h + 4;
    html! {
        svg.bars viewBox=(format!("0 0 400 {height}")) role="img" xmlns="http://www.w3.org/2000/svg" {
            @for (i, (label, pct, fig, href)) in rows.iter().enumerate() {
                @let y = i * h + 2;
                a href=(href) {
                    title { (label) ": " (fig) }
                    text x="0" y=(y + 16) { (truncate(label, 24)) }
                    rect x="160" y=(y + 3) width="160" height="18" fill="#eef0f3" {}
                    rect.bar x="160" y=(y + 3) width=(pct * 16 / 10) height="18" fill="#9f1c20" {}
                    text x="326" y=(y + 16) { (fig) }
                }
            }
        }
    }
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
    let loaded = async {
        let periods = service::periods(&st).await?;
        let code = match q.ky.clone().filter(|k| !k.is_empty()) {
            Some(k) => k,
            None => periods
                .iter()
                .max_by_key(|p| p.due_at)
                .map(|p| p.code.clone())
                .ok_or_else(|| ExecError::not_found("chưa có kỳ báo cáo nào được mở"))?,
        };
        let (d, plan_id) = service::dashboard_with_plan(&st, &code).await?;
        Ok::<_, ExecError>((periods, d, plan_id))
    }
    .await;
    let (periods, d, plan_id) = match loaded {
        Ok(x) => x,
        Err(e) => return fail(&req, &s, e),
    };
    let v = req.view();
    let board = format!("/bao-cao/{}", enc(&d.period));
    let pct = |a: usize, b: usize| (a * 100).checked_div(b).unwrap_or(0) as u32;
    let area_rows: Vec<_> = d
        .by_area
        .iter()
        .map(|(a, (title, t))| {
            (
                format!("{a}. {title}"),
                t.percent(),
                format!("{}/{} ({}%)", t.done, t.total, t.percent()),
                format!("/ke-hoach/{plan_id}?han={}", enc(&d.period)),
            )
        })
        .collect();
    let mut units: Vec<_> = d.by_unit.iter().filter(|u| u.2.total > 0).collect();
    units.sort_by(|a, b| b.2.percent().cmp(&a.2.percent()).then(a.1.cmp(&b.1)));
    let unit_rows: Vec<_> = units
        .iter()
        .map(|(id, name, t)| {
            (
                name.clone(),
                t.percent(),
                format!("{}/{} ({}%)", t.done, t.total, t.percent()),
                format!("/bao-cao/{}/{}", enc(&d.period), enc(id)),
            )
        })
        .collect();
    let submission_rows = vec![
        (
            "Đã gửi".to_string(),
            pct(d.submitted, d.units_expected),
            format!("{}/{}", d.submitted, d.units_expected),
            format!("{board}?tinh_trang=in"),
        ),
        (
            "Đúng hạn".to_string(),
            pct(d.on_time, d.units_expected),
            format!("{}/{}", d.on_time, d.units_expected),
            format!("{board}?tinh_trang=on_time"),
        ),
        (
            "Trễ hạn".to_string(),
            pct(d.late, d.units_expected),
            format!("{}/{}", d.late, d.units_expected),
            format!("{board}?tinh_trang=late"),
        ),
    ];
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
            a href="/qua-han" { b #so-qua-han { (d.overdue) } "hoạt động quá hạn" }
        }
        h2 { (v.t("w_submission")) }
        (bars(&submission_rows))
        h2 { (v.t("w_completion")) " — " (v.t("w_by_area")) }
        (bars(&area_rows))
        h2 { (v.t("w_completion")) " — " (v.t("w_by_unit")) }
        (bars(&unit_rows))
    };
    page(&req, &s, &title, false, body)
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
        Ok::<_, ExecError>((page_no, service::audit_page(&st, &filter, page_no).await?))
    }
    .await;
    let (page_no, found) = match loaded {
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
    let body = html! {
        h1 { (v.t("w_audit")) }
        form.filters method="get" {
            label { (v.t("w_unit")) " " input name="unit" value=(val(&q.unit)) placeholder="xa-tung-anh"; }
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
                td data-label=(v.t("w_what")) { code { (e.action) } }
                td data-label=(v.t("w_object")) { (e.object) }
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

async fn accounts(st: &AppState, req: &Req, s: &Session, msg: Option<ExecError>) -> Response {
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
                td data-label=(v.t("w_unit")) { (u.unit) }
                td data-label=(v.t("w_role")) { (u.role.label_vi()) }
                td {
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
        service::add_user(
            &st,
            &s.user.username,
            &f.username,
            &f.unit,
            role,
            &f.password,
            false,
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
