//! The evaluation pages: the overview of the targets measured from records, the inspection
//! plan and its results with remediation tracked to done, initiatives, dialogues and staffing
//! quotas; and the measured figures for the plan's pages. Handlers parse, call
//! `cchc_app::evaluation` once and render; a refusal re-renders the page with its message.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use cchc_app::evaluation::{self as eval, MeasuredTarget};
use cchc_app::execution::Session;
use cchc_domain::service::TargetStatus;
use cchc_domain::Registry;
use cchc_store::Store;
use chrono::{Datelike, NaiveDate};
use maud::{html, Markup};
use serde::Deserialize;

use crate::execution::work::{fail, page};
use crate::execution::ExecError;
use crate::shell::forecast;
use crate::shell::view::{date, enc, View};
use crate::shell::Lang;
use crate::{AppState, Req};

/// A label in the page's language.
fn tr(v: &View, vi: &'static str, en: &'static str) -> &'static str {
    match v.lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

fn csrf(s: &Session) -> Markup {
    html! { input type="hidden" name="csrf" value=(s.csrf_token); }
}

fn year_field(year: i32) -> Markup {
    html! { input type="hidden" name="nam" value=(year); }
}

fn status_badge(s: TargetStatus) -> Markup {
    let class = match s {
        TargetStatus::Met => "st-met",
        TargetStatus::NotMet => "st-not-met",
        TargetStatus::NoData => "st-no-data",
        TargetStatus::NoTarget => "st-no-target",
    };
    let code = serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    html! { span class={ "status " (class) } data-status=(code) { (s.label_vi()) } }
}

fn day(d: Option<NaiveDate>) -> String {
    d.map(date).unwrap_or_default()
}

fn unit_name(reg: &Registry, id: &str) -> String {
    cchc_domain::UnitId::parse(id)
        .ok()
        .and_then(|u| reg.get(&u).map(|u| u.name.clone()))
        .unwrap_or_else(|| id.to_string())
}

/// The units a form may name: all for the office, the account's own otherwise.
fn unit_select(reg: &Registry, s: &Session, name: &str, selected: &str) -> Markup {
    let office = eval::is_office(s);
    html! {
        select name=(name) required {
            @for u in reg.units().iter().filter(|u| office || u.id.as_str() == s.user.unit) {
                option value=(u.id.as_str()) selected[u.id.as_str() == selected] { (u.name) }
            }
        }
    }
}

fn date_input(name: &str, value: Option<NaiveDate>, required: bool) -> Markup {
    html! {
        input type="text" name=(name) value=(day(value)) placeholder="ngày/tháng/năm"
            inputmode="numeric" autocomplete="off" required[required];
    }
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    nam: Option<String>,
}

/// The year asked for, else the latest plan's, else this year.
async fn year_of(st: &AppState, asked: Option<&str>) -> i32 {
    if let Some(y) = asked.and_then(|y| y.trim().parse::<i32>().ok()) {
        return y;
    }
    match cchc_app::plan::plan_for(st, None).await {
        Ok((_, plan, _)) => plan.year,
        Err(_) => st.today().year(),
    }
}

/// What a form sends besides its record: the page's year, to come back to.
#[derive(Deserialize)]
pub struct WithYear<T> {
    #[serde(default)]
    nam: String,
    #[serde(flatten)]
    input: T,
}

fn back(path: &str, year: &str, anchor: &str) -> Response {
    Redirect::to(&format!("{path}?nam={}{anchor}", enc(year.trim()))).into_response()
}

fn with_status(res: Response, msg: &Option<ExecError>) -> Response {
    match msg {
        Some(e) => (e.status, res).into_response(),
        None => res,
    }
}

fn message(msg: &Option<ExecError>) -> Markup {
    html! { @if let Some(e) = msg { p.error role="alert" { (e.message) } } }
}

fn sub_nav(v: &View, year: i32) -> Markup {
    let links = [
        ("/danh-gia", tr(v, "Tổng hợp", "Overview")),
        (
            "/danh-gia/kiem-tra",
            tr(v, "Kiểm tra CCHC (1.3)", "Inspections (1.3)"),
        ),
        (
            "/danh-gia/sang-kien",
            tr(v, "Sáng kiến (1.2)", "Initiatives (1.2)"),
        ),
        (
            "/danh-gia/doi-thoai",
            tr(v, "Đối thoại (3.7)", "Dialogues (3.7)"),
        ),
        (
            "/danh-gia/bien-che",
            tr(v, "Biên chế (4.2)", "Staffing (4.2)"),
        ),
    ];
    html! {
        nav.toc aria-label="evaluation" {
            @for (href, label) in links { a href={ (href) "?nam=" (year) } { (label) } " " }
        }
    }
}

/// The figure of a measured target in a line: value, threshold, status.
fn figure_line(m: &MeasuredTarget) -> Markup {
    html! {
        span.target-status data-target=(m.figure.target) {
            b.value { (m.value_vi()) } " — chỉ tiêu " (m.figure.threshold.display_vi()) " "
            (status_badge(m.figure.status))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Overview

pub(crate) async fn overview(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Query(q): Query<YearQuery>,
) -> Response {
    let year = year_of(&st, q.nam.as_deref()).await;
    let loaded = async {
        let figures = eval::measure(&st, year, None).await?;
        let overdue = eval::overdue_remediation(&st, year, st.today()).await?;
        Ok::<_, ExecError>((figures, overdue))
    }
    .await;
    let (figures, overdue) = match loaded {
        Ok(x) => x,
        Err(e) => return fail(&req, &s, e),
    };
    let v = req.view();
    let title = tr(&v, "Đánh giá kết quả thực hiện", "Evaluation");
    let body = html! {
        h1 { (title) " — " (tr(&v, "năm", "year")) " " (year) }
        (sub_nav(&v, year))
        p.muted { (tr(&v,
            "Các chỉ tiêu dưới đây được tính từ sổ theo dõi (cuộc kiểm tra, sáng kiến, cuộc đối thoại, biên chế); bấm vào chỉ tiêu để xem các bản ghi tạo nên nó.",
            "These targets are computed from the registries; follow a target to its records.")) }
        table.list #chi-tieu-do {
            thead { tr {
                th { (tr(&v, "Chỉ tiêu", "Target")) } th { (tr(&v, "Nội dung", "What")) }
                th { (tr(&v, "Kết quả", "Value")) } th { (tr(&v, "Chỉ tiêu kế hoạch", "Threshold")) }
                th { (tr(&v, "Đánh giá", "Status")) } th { (tr(&v, "Căn cứ", "Basis")) }
            } }
            tbody { @for m in &figures {
                tr data-target=(m.figure.target) {
                    td data-label="Chỉ tiêu" { a href={ (m.path) "?nam=" (year) } { b { (m.figure.target) } } }
                    td data-label="Nội dung" { (m.figure.label_vi) }
                    td data-label="Kết quả" { b.value { (m.value_vi()) } }
                    td data-label="Chỉ tiêu kế hoạch" { (m.figure.threshold.display_vi()) }
                    td data-label="Đánh giá" { (status_badge(m.figure.status)) }
                    td data-label="Căn cứ" {
                        (m.basis)
                        @if !m.records.is_empty() {
                            details { summary { (m.records.len()) " " (tr(&v, "bản ghi", "records")) }
                                ul { @for r in &m.records { li {
                                    (r.unit_name) @if let Some(d) = r.date { " (" (date(d)) ")" } ": " (r.text)
                                } } }
                            }
                        }
                    }
                }
            } }
        }
        p #khac-phuc-qua-han {
            a href={ "/danh-gia/kiem-tra?nam=" (year) "#qua-han" } {
                (tr(&v, "Việc khắc phục sau kiểm tra quá hạn", "Overdue remediation")) ": " b { (overdue.len()) }
            }
        }
    };
    page(&req, &s, title, true, body)
}

// ---------------------------------------------------------------------------------------------
// Inspections

pub(crate) async fn inspections_page(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Query(q): Query<YearQuery>,
) -> Response {
    let year = year_of(&st, q.nam.as_deref()).await;
    inspections(&st, &req, &s, year, None).await
}

async fn inspections(
    st: &AppState,
    req: &Req,
    s: &Session,
    year: i32,
    msg: Option<ExecError>,
) -> Response {
    let today = st.today();
    let loaded = async {
        let list = eval::list_inspections(st, year).await?;
        let figures = eval::measure(st, year, None).await?;
        let overdue = eval::overdue_remediation(st, year, today).await?;
        let reg = Registry::new(st.store.list_units().await?);
        Ok::<_, ExecError>((list, figures, overdue, reg))
    }
    .await;
    let (list, figures, overdue, reg) = match loaded {
        Ok(x) => x,
        Err(e) => return fail(req, s, e),
    };
    let v = req.view();
    let office = eval::is_office(s);
    let title = tr(&v, "Kiểm tra công tác CCHC", "Reform inspections");
    let body = html! {
        h1 { (title) " " (year) }
        (sub_nav(&v, year))
        (message(&msg))
        @for m in figures.iter().filter(|m| m.figure.target == "1.3") {
            p { b { "Chỉ tiêu 1.3: " } (figure_line(m)) br; span.muted { (m.basis) } }
        }
        h2 #qua-han { (tr(&v, "Việc khắc phục quá hạn", "Overdue remediation")) " (" span #so-qua-han { (overdue.len()) } ")" }
        @if overdue.is_empty() {
            p.muted { (tr(&v, "Không có việc khắc phục quá hạn.", "None overdue.")) }
        } @else {
            ul { @for o in &overdue { li {
                a href={ "#kiem-tra-" (o.item.inspection) } { (o.unit_name) } ": " (o.item.description)
                " — " (tr(&v, "hạn", "due")) " " (date(o.item.deadline)) " " span.badge.overdue { "Quá hạn" }
            } } }
        }
        h2 { (tr(&v, "Kế hoạch và kết quả kiểm tra", "Inspection plan and results")) " (" (list.len()) ")" }
        table.list #kiem-tra {
            thead { tr {
                th { "Đơn vị" } th { "Ngày dự kiến" } th { "Ngày kiểm tra" } th { "Đoàn, nội dung" }
                th { "Kết luận, biên bản" } th { "Việc khắc phục" }
            } }
            tbody { @for i in &list {
                tr #{ "kiem-tra-" (i.id) } data-held=(i.held.is_some()) {
                    td data-label="Đơn vị" { (unit_name(&reg, &i.unit)) }
                    td data-label="Ngày dự kiến" { (day(i.planned)) }
                    td data-label="Ngày kiểm tra" {
                        @match i.held { Some(d) => (date(d)), None => span.badge { "chưa kiểm tra" } }
                    }
                    td data-label="Đoàn, nội dung" { (i.team) br; span.muted { (i.content) } }
                    td data-label="Kết luận, biên bản" { (i.findings) @if !i.minutes.is_empty() { br; span.muted { "Biên bản: " (i.minutes) } } }
                    td data-label="Việc khắc phục" {
                        ul { @for r in &i.remediation {
                            li data-remediation=(r.id) {
                                (r.description) " — hạn " (date(r.deadline)) " "
                                @match r.done {
                                    Some(d) => span.badge.ok { "hoàn thành " (date(d)) },
                                    None if today > r.deadline => span.badge.overdue { "Quá hạn" },
                                    None => span.badge { "đang thực hiện" },
                                }
                                @if office {
                                    form.inline method="post" action={ "/danh-gia/khac-phuc/" (r.id) } {
                                        (csrf(s)) (year_field(year))
                                        input type="hidden" name="description" value=(r.description);
                                        input type="hidden" name="deadline" value=(date(r.deadline));
                                        label { "Ngày hoàn thành " (date_input("done", r.done, false)) }
                                        button type="submit" { "Lưu" }
                                    }
                                    form.inline method="post" action={ "/danh-gia/khac-phuc/" (r.id) "/xoa" } {
                                        (csrf(s)) (year_field(year))
                                        button type="submit" data-confirm="Xóa việc khắc phục này?" { "Xóa" }
                                    }
                                }
                            }
                        } }
                        @if office {
                            details { summary { "Thêm việc khắc phục" }
                                form.stack method="post" action={ "/danh-gia/kiem-tra/" (i.id) "/khac-phuc" } {
                                    (csrf(s)) (year_field(year))
                                    label { "Nội dung khắc phục" input name="description" required; }
                                    label { "Hạn khắc phục" (date_input("deadline", None, true)) }
                                    button type="submit" { "Thêm" }
                                }
                            }
                        }
                    }
                }
                @if office {
                    tr.edit { td colspan="6" {
                        details { summary { "Cập nhật kết quả kiểm tra" }
                            (inspection_form(&reg, s, year, Some(i), &format!("/danh-gia/kiem-tra/{}", i.id)))
                        }
                        form.inline method="post" action={ "/danh-gia/kiem-tra/" (i.id) "/xoa" } {
                            (csrf(s)) (year_field(year))
                            button type="submit" data-confirm="Xóa cuộc kiểm tra này cùng các việc khắc phục?" { "Xóa cuộc kiểm tra" }
                        }
                    } }
                }
            } }
        }
        @if office {
            h2 { (tr(&v, "Thêm cuộc kiểm tra", "Add an inspection")) }
            (inspection_form(&reg, s, year, None, "/danh-gia/kiem-tra/them"))
        }
    };
    with_status(page(req, s, title, true, body), &msg)
}

fn inspection_form(
    reg: &Registry,
    s: &Session,
    year: i32,
    i: Option<&cchc_store::evaluation::InspectionRecord>,
    action: &str,
) -> Markup {
    html! {
        form.stack method="post" action=(action) {
            (csrf(s))
            input type="hidden" name="year" value=(i.map_or(year, |i| i.year));
            (year_field(year))
            label { "Đơn vị được kiểm tra" (unit_select(reg, s, "unit", i.map_or("", |i| i.unit.as_str()))) }
            label { "Ngày dự kiến" (date_input("planned", i.and_then(|i| i.planned), false)) }
            label { "Ngày kiểm tra" (date_input("held", i.and_then(|i| i.held), false)) }
            label { "Đoàn kiểm tra" input name="team" required value=(i.map_or("Đoàn kiểm tra CCHC huyện", |i| i.team.as_str())); }
            label { "Nội dung kiểm tra" input name="content" required value=(i.map_or("", |i| i.content.as_str())); }
            label { "Kết luận, tồn tại" textarea name="findings" rows="3" { (i.map_or("", |i| i.findings.as_str())) } }
            label { "Biên bản (số, ngày)" input name="minutes" value=(i.map_or("", |i| i.minutes.as_str())); }
            button.primary type="submit" { "Lưu" }
        }
    }
}

pub(crate) async fn add_inspection(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Form(f): Form<WithYear<eval::InspectionInput>>,
) -> Response {
    match eval::add_inspection(&st, &s, &f.input).await {
        Ok(id) => back("/danh-gia/kiem-tra", &f.nam, &format!("#kiem-tra-{id}")),
        Err(e) => {
            inspections(
                &st,
                &req,
                &s,
                year_of(&st, Some(&f.nam)).await,
                Some(e.into()),
            )
            .await
        }
    }
}

pub(crate) async fn update_inspection(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path(id): Path<i64>,
    Form(f): Form<WithYear<eval::InspectionInput>>,
) -> Response {
    match eval::update_inspection(&st, &s, id, &f.input).await {
        Ok(()) => back("/danh-gia/kiem-tra", &f.nam, &format!("#kiem-tra-{id}")),
        Err(e) => {
            inspections(
                &st,
                &req,
                &s,
                year_of(&st, Some(&f.nam)).await,
                Some(e.into()),
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct YearOnly {
    #[serde(default)]
    nam: String,
}

pub(crate) async fn delete_inspection(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path(id): Path<i64>,
    Form(f): Form<YearOnly>,
) -> Response {
    match eval::delete_inspection(&st, &s, id).await {
        Ok(()) => back("/danh-gia/kiem-tra", &f.nam, ""),
        Err(e) => {
            inspections(
                &st,
                &req,
                &s,
                year_of(&st, Some(&f.nam)).await,
                Some(e.into()),
            )
            .await
        }
    }
}

pub(crate) async fn add_remediation(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path(id): Path<i64>,
    Form(f): Form<WithYear<eval::RemediationInput>>,
) -> Response {
    match eval::add_remediation(&st, &s, id, &f.input).await {
        Ok(_) => back("/danh-gia/kiem-tra", &f.nam, &format!("#kiem-tra-{id}")),
        Err(e) => {
            inspections(
                &st,
                &req,
                &s,
                year_of(&st, Some(&f.nam)).await,
                Some(e.into()),
            )
            .await
        }
    }
}

pub(crate) async fn update_remediation(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path(id): Path<i64>,
    Form(f): Form<WithYear<eval::RemediationInput>>,
) -> Response {
    match eval::update_remediation(&st, &s, id, &f.input).await {
        Ok(()) => back("/danh-gia/kiem-tra", &f.nam, ""),
        Err(e) => {
            inspections(
                &st,
                &req,
                &s,
                year_of(&st, Some(&f.nam)).await,
                Some(e.into()),
            )
            .await
        }
    }
}

pub(crate) async fn delete_remediation(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path(id): Path<i64>,
    Form(f): Form<YearOnly>,
) -> Response {
    match eval::delete_remediation(&st, &s, id).await {
        Ok(()) => back("/danh-gia/kiem-tra", &f.nam, ""),
        Err(e) => {
            inspections(
                &st,
                &req,
                &s,
                year_of(&st, Some(&f.nam)).await,
                Some(e.into()),
            )
            .await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Initiatives

pub(crate) async fn initiatives_page(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Query(q): Query<YearQuery>,
) -> Response {
    let year = year_of(&st, q.nam.as_deref()).await;
    initiatives(&st, &req, &s, year, None).await
}

async fn initiatives(
    st: &AppState,
    req: &Req,
    s: &Session,
    year: i32,
    msg: Option<ExecError>,
) -> Response {
    let loaded = async {
        let list = eval::list_initiatives(st, year).await?;
        let figures = eval::measure(st, year, None).await?;
        let reg = Registry::new(st.store.list_units().await?);
        Ok::<_, ExecError>((list, figures, reg))
    }
    .await;
    let (list, figures, reg) = match loaded {
        Ok(x) => x,
        Err(e) => return fail(req, s, e),
    };
    let v = req.view();
    let office = eval::is_office(s);
    let writer = office
        || matches!(
            s.user.role,
            cchc_domain::execution::Role::Reporter | cchc_domain::execution::Role::UnitHead
        );
    let title = tr(&v, "Sáng kiến CCHC", "Reform initiatives");
    let body = html! {
        h1 { (title) " " (year) }
        (sub_nav(&v, year))
        (message(&msg))
        @for m in figures.iter().filter(|m| m.figure.target == "1.2") {
            p { b { "Chỉ tiêu 1.2: " } (figure_line(m)) br; span.muted { (m.basis) } }
        }
        table.list #sang-kien {
            thead { tr { th { "Đơn vị" } th { "Tên sáng kiến" } th { "Trạng thái" } th { "Quyết định công nhận" } th { "" } } }
            tbody { @for i in &list {
                tr #{ "sang-kien-" (i.id) } data-status=(i.draft.status) {
                    td data-label="Đơn vị" { (unit_name(&reg, &i.draft.unit)) }
                    td data-label="Tên sáng kiến" { (i.draft.title) }
                    td data-label="Trạng thái" { (eval::status_of(&i.draft.status).map_or("", |x| x.label_vi())) }
                    td data-label="Quyết định công nhận" { (i.draft.decision_number) " " (day(i.draft.decision_date)) }
                    td {
                        @if office {
                            form.inline method="post" action={ "/danh-gia/sang-kien/" (i.id) } {
                                (csrf(s)) (year_field(year))
                                input type="hidden" name="year" value=(i.draft.year);
                                input type="hidden" name="unit" value=(i.draft.unit);
                                input type="hidden" name="title" value=(i.draft.title);
                                (status_select(&i.draft.status, true))
                                input name="decision_number" placeholder="Số quyết định" value=(i.draft.decision_number);
                                (date_input("decision_date", i.draft.decision_date, false))
                                button type="submit" { "Lưu" }
                            }
                        }
                        @if office || (eval::may_enter_for(s, &i.draft.unit) && i.draft.status == "proposed") {
                            form.inline method="post" action={ "/danh-gia/sang-kien/" (i.id) "/xoa" } {
                                (csrf(s)) (year_field(year))
                                button type="submit" data-confirm="Xóa sáng kiến này?" { "Xóa" }
                            }
                        }
                    }
                }
            } }
        }
        @if writer {
            h2 { (tr(&v, "Thêm sáng kiến", "Add an initiative")) }
            form.stack method="post" action="/danh-gia/sang-kien/them" {
                (csrf(s)) (year_field(year))
                input type="hidden" name="year" value=(year);
                label { "Đơn vị" (unit_select(&reg, s, "unit", &s.user.unit)) }
                label { "Tên sáng kiến" input name="title" required; }
                label { "Trạng thái" (status_select("proposed", office)) }
                @if office {
                    label { "Số quyết định công nhận" input name="decision_number"; }
                    label { "Ngày quyết định công nhận" (date_input("decision_date", None, false)) }
                }
                button.primary type="submit" { "Thêm" }
            }
        }
    };
    with_status(page(req, s, title, true, body), &msg)
}

fn status_select(current: &str, all: bool) -> Markup {
    html! {
        select name="status" {
            @for st in eval::INITIATIVE_STATUSES {
                @let code = eval::status_code(st);
                @if all || code == "proposed" {
                    option value=(code) selected[code == current] { (st.label_vi()) }
                }
            }
        }
    }
}

pub(crate) async fn add_initiative(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Form(f): Form<WithYear<eval::InitiativeInput>>,
) -> Response {
    match eval::add_initiative(&st, &s, &f.input).await {
        Ok(id) => back("/danh-gia/sang-kien", &f.nam, &format!("#sang-kien-{id}")),
        Err(e) => {
            initiatives(
                &st,
                &req,
                &s,
                year_of(&st, Some(&f.nam)).await,
                Some(e.into()),
            )
            .await
        }
    }
}

pub(crate) async fn update_initiative(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path(id): Path<i64>,
    Form(f): Form<WithYear<eval::InitiativeInput>>,
) -> Response {
    match eval::update_initiative(&st, &s, id, &f.input).await {
        Ok(()) => back("/danh-gia/sang-kien", &f.nam, &format!("#sang-kien-{id}")),
        Err(e) => {
            initiatives(
                &st,
                &req,
                &s,
                year_of(&st, Some(&f.nam)).await,
                Some(e.into()),
            )
            .await
        }
    }
}

pub(crate) async fn delete_initiative(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path(id): Path<i64>,
    Form(f): Form<YearOnly>,
) -> Response {
    match eval::delete_initiative(&st, &s, id).await {
        Ok(()) => back("/danh-gia/sang-kien", &f.nam, ""),
        Err(e) => {
            initiatives(
                &st,
                &req,
                &s,
                year_of(&st, Some(&f.nam)).await,
                Some(e.into()),
            )
            .await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Dialogues

pub(crate) async fn dialogues_page(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Query(q): Query<YearQuery>,
) -> Response {
    let year = year_of(&st, q.nam.as_deref()).await;
    dialogues(&st, &req, &s, year, None).await
}

async fn dialogues(
    st: &AppState,
    req: &Req,
    s: &Session,
    year: i32,
    msg: Option<ExecError>,
) -> Response {
    let loaded = async {
        let list = eval::list_dialogues(st, year).await?;
        let figures = eval::measure(st, year, None).await?;
        let reg = Registry::new(st.store.list_units().await?);
        Ok::<_, ExecError>((list, figures, reg))
    }
    .await;
    let (list, figures, reg) = match loaded {
        Ok(x) => x,
        Err(e) => return fail(req, s, e),
    };
    let v = req.view();
    let writer = eval::is_office(s)
        || matches!(
            s.user.role,
            cchc_domain::execution::Role::Reporter | cchc_domain::execution::Role::UnitHead
        );
    let title = tr(
        &v,
        "Đối thoại với người dân, doanh nghiệp",
        "Dialogues with citizens and businesses",
    );
    let default_unit = if eval::is_office(s) {
        "ubnd-huyen"
    } else {
        s.user.unit.as_str()
    };
    let body = html! {
        h1 { (title) " " (year) }
        (sub_nav(&v, year))
        (message(&msg))
        @for m in figures.iter().filter(|m| m.figure.target == "3.7") {
            p { b { "Chỉ tiêu 3.7: " } (figure_line(m)) br; span.muted { (m.basis) } }
        }
        table.list #doi-thoai {
            thead { tr { th { "Ngày tổ chức" } th { "Đơn vị" } th { "Chủ trì" } th { "Chủ đề" } th { "Thành phần" } th { "Số người" } th { "" } } }
            tbody { @for d in &list {
                tr #{ "doi-thoai-" (d.id) } {
                    td data-label="Ngày tổ chức" { (date(d.draft.date)) }
                    td data-label="Đơn vị" { (unit_name(&reg, &d.draft.unit)) }
                    td data-label="Chủ trì" { (d.draft.chair) }
                    td data-label="Chủ đề" { (d.draft.topic) }
                    td data-label="Thành phần" { (d.draft.participants) }
                    td data-label="Số người" { @if let Some(n) = d.draft.attendance { (n) } }
                    td { @if eval::may_enter_for(s, &d.draft.unit) {
                        form.inline method="post" action={ "/danh-gia/doi-thoai/" (d.id) "/xoa" } {
                            (csrf(s)) (year_field(year))
                            button type="submit" data-confirm="Xóa cuộc đối thoại này?" { "Xóa" }
                        }
                    } }
                }
            } }
        }
        @if writer {
            h2 { (tr(&v, "Thêm cuộc đối thoại", "Add a dialogue")) }
            form.stack method="post" action="/danh-gia/doi-thoai/them" {
                (csrf(s)) (year_field(year))
                label { "Đơn vị tổ chức" (unit_select(&reg, s, "unit", default_unit)) }
                label { "Ngày tổ chức" (date_input("date", None, true)) }
                label { "Người chủ trì" input name="chair" required; }
                label { "Chủ đề" input name="topic" required; }
                label { "Thành phần tham dự" input name="participants"; }
                label { "Số người tham dự" input name="attendance" inputmode="numeric"; }
                button.primary type="submit" { "Thêm" }
            }
        }
    };
    with_status(page(req, s, title, true, body), &msg)
}

pub(crate) async fn add_dialogue(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Form(f): Form<WithYear<eval::DialogueInput>>,
) -> Response {
    match eval::add_dialogue(&st, &s, &f.input).await {
        Ok(id) => back("/danh-gia/doi-thoai", &f.nam, &format!("#doi-thoai-{id}")),
        Err(e) => {
            dialogues(
                &st,
                &req,
                &s,
                year_of(&st, Some(&f.nam)).await,
                Some(e.into()),
            )
            .await
        }
    }
}

pub(crate) async fn delete_dialogue(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path(id): Path<i64>,
    Form(f): Form<YearOnly>,
) -> Response {
    match eval::delete_dialogue(&st, &s, id).await {
        Ok(()) => back("/danh-gia/doi-thoai", &f.nam, ""),
        Err(e) => {
            dialogues(
                &st,
                &req,
                &s,
                year_of(&st, Some(&f.nam)).await,
                Some(e.into()),
            )
            .await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Staffing quotas

pub(crate) async fn quotas_page(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Query(q): Query<YearQuery>,
) -> Response {
    let year = year_of(&st, q.nam.as_deref()).await;
    quotas(&st, &req, &s, year, None).await
}

async fn quotas(
    st: &AppState,
    req: &Req,
    s: &Session,
    year: i32,
    msg: Option<ExecError>,
) -> Response {
    let base = year - 1;
    let loaded = async {
        let rows = eval::list_quotas(st, &[base, year]).await?;
        let figures = eval::measure(st, year, None).await?;
        let reg = Registry::new(st.store.list_units().await?);
        Ok::<_, ExecError>((rows, figures, reg))
    }
    .await;
    let (rows, figures, reg) = match loaded {
        Ok(x) => x,
        Err(e) => return fail(req, s, e),
    };
    let v = req.view();
    let office = eval::is_office(s);
    let get = |unit: &str, y: i32| rows.iter().find(|r| r.unit == unit && r.year == y);
    // The units counted by the inspections target, and any other unit with a row.
    let scope = cchc_domain::evaluation::inspection_scope(&reg);
    let units: Vec<&cchc_domain::Unit> = reg
        .units()
        .iter()
        .filter(|u| scope.contains(&u.id) || rows.iter().any(|r| r.unit == u.id.as_str()))
        .collect();
    let total = |y: i32, f: fn(&cchc_store::evaluation::QuotaRecord) -> i32| -> i32 {
        rows.iter().filter(|r| r.year == y).map(f).sum()
    };
    let title = tr(&v, "Biên chế được giao", "Staffing quotas");
    let cell = |unit: &str, y: i32, name: &str, value: Option<i32>| {
        html! {
            @if office {
                input form={ "bc-" (unit) "-" (y) } name=(name) inputmode="numeric" size="4"
                    value=(value.map(|n| n.to_string()).unwrap_or_default())
                    aria-label={ (name) " " (y) };
            } @else {
                @if let Some(n) = value { (n) }
            }
        }
    };
    let body = html! {
        h1 { (title) " " (base) "–" (year) }
        (sub_nav(&v, year))
        (message(&msg))
        @for m in figures.iter().filter(|m| m.figure.target == "4.2") {
            p { b { "Chỉ tiêu 4.2: " } (m.figure.label_vi) ": " (figure_line(m)) br; span.muted { (m.basis) } }
        }
        table.list #bien-che {
            thead {
                tr { th rowspan="2" { "Đơn vị" } th colspan="2" { "Năm " (base) } th colspan="2" { "Năm " (year) } @if office { th rowspan="2" { "" } } }
                tr { th { "Công chức" } th { "Viên chức" } th { "Công chức" } th { "Viên chức" } }
            }
            tbody {
                @for u in &units {
                    @let id = u.id.as_str();
                    tr data-unit=(id) {
                        td data-label="Đơn vị" { (u.name) }
                        td { (cell(id, base, "civil_servants", get(id, base).map(|r| r.civil_servants))) }
                        td { (cell(id, base, "public_employees", get(id, base).map(|r| r.public_employees))) }
                        td { (cell(id, year, "civil_servants", get(id, year).map(|r| r.civil_servants))) }
                        td { (cell(id, year, "public_employees", get(id, year).map(|r| r.public_employees))) }
                        @if office { td {
                            @for y in [base, year] {
                                form.inline #{ "bc-" (id) "-" (y) } method="post" action="/danh-gia/bien-che/luu" {
                                    (csrf(s)) (year_field(year))
                                    input type="hidden" name="unit" value=(id);
                                    input type="hidden" name="year" value=(y);
                                    button type="submit" { "Lưu " (y) }
                                }
                            }
                        } }
                    }
                }
                tr.total {
                    th scope="row" { "Tổng" }
                    td { (total(base, |r| r.civil_servants)) } td { (total(base, |r| r.public_employees)) }
                    td { (total(year, |r| r.civil_servants)) } td { (total(year, |r| r.public_employees)) }
                    @if office { td {} }
                }
            }
        }
        @if office { p.muted { "Để trống cả hai ô của một năm rồi bấm Lưu để xóa dòng biên chế năm đó." } }
    };
    with_status(page(req, s, title, true, body), &msg)
}

pub(crate) async fn set_quota(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Form(f): Form<WithYear<eval::QuotaInput>>,
) -> Response {
    match eval::set_quota(&st, &s, &f.input).await {
        Ok(()) => back("/danh-gia/bien-che", &f.nam, ""),
        Err(e) => {
            quotas(
                &st,
                &req,
                &s,
                year_of(&st, Some(&f.nam)).await,
                Some(e.into()),
            )
            .await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// For the dashboard and the measures' overview

/// Targets 1.2, 1.3, 3.7 and 4.2 measured from the records of `year` (up to a period's last
/// day), and target 3.6 from the satisfaction survey of `period`, as one table, each row
/// linking to what it is counted from: the dashboard (`/tong-quan`) and `/chi-so` show it.
pub fn measured_targets_table(
    measured: &[MeasuredTarget],
    survey: &cchc_domain::evaluation::SatisfactionSummary,
    period: cchc_domain::Period,
) -> Markup {
    let year = period.year();
    let s = cchc_domain::evaluation::satisfaction_target(survey);
    html! {
        table.list.eval-targets {
            thead { tr { th { "Chỉ tiêu" } th { "Nội dung" } th { "Kết quả" } th { "Chỉ tiêu kế hoạch" } th { "Đánh giá" } th { "Dự báo cuối năm" } } }
            tbody {
                @for m in measured { tr data-target=(m.figure.target) {
                    td data-label="Chỉ tiêu" { a href={ (m.path) "?nam=" (year) } { (m.figure.target) } }
                    td data-label="Nội dung" { (m.figure.label_vi) }
                    td data-label="Kết quả" { b { (m.value_vi()) } }
                    td data-label="Chỉ tiêu kế hoạch" { (m.figure.threshold.display_vi()) }
                    td data-label="Đánh giá" { (m.figure.status.label_vi()) }
                    td data-label="Dự báo cuối năm" { (forecast::badge(&m.forecast, m.figure.threshold.unit == cchc_domain::MeasureUnit::Percent)) }
                } }
                tr data-target="3.6" data-source="khao-sat" {
                    td data-label="Chỉ tiêu" { a href="/khao-sat" { "3.6" } }
                    td data-label="Nội dung" { (s.label_vi) " — theo khảo sát " (period.label_vi()) " (" (survey.answers) " phiếu)" }
                    td data-label="Kết quả" { b { (cchc_app::format::percent_vi(survey.overall.percent(), survey.overall.numerator, survey.overall.denominator)) } }
                    td data-label="Chỉ tiêu kế hoạch" { (s.threshold.display_vi()) }
                    td data-label="Đánh giá" { (s.status.label_vi()) }
                    td data-label="Dự báo cuối năm" { "—" }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// For the plan's pages

/// For the plan page's key-target list: per measured target code, its figures, each linking
/// to its records.
pub async fn target_badges(
    store: &Store,
    year: i32,
    today: chrono::NaiveDate,
) -> HashMap<String, Markup> {
    let Ok(figures) = eval::measure_store(store, year, None, today).await else {
        return HashMap::new();
    };
    let mut by_code: HashMap<String, Vec<Markup>> = HashMap::new();
    for m in &figures {
        by_code
            .entry(m.figure.target.clone())
            .or_default()
            .push(html! {
                a.target-status href={ (m.path) "?nam=" (year) } data-target=(m.figure.target) {
                    (m.value_vi()) " " (status_badge(m.figure.status))
                }
            });
    }
    by_code
        .into_iter()
        .map(|(code, items)| {
            (
                code,
                html! { span.service-status { @for i in items { (i) " " } } },
            )
        })
        .collect()
}

/// For a key target's page: its figures measured from records, their basis and records.
pub async fn target_section(
    store: &Store,
    year: i32,
    code: &str,
    today: chrono::NaiveDate,
) -> Option<Markup> {
    let figures: Vec<MeasuredTarget> = eval::measure_store(store, year, None, today)
        .await
        .ok()?
        .into_iter()
        .filter(|m| m.figure.target == code)
        .collect();
    if figures.is_empty() {
        return None;
    }
    let as_of = cchc_app::forecast::as_of(cchc_domain::Period::Year(year), today);
    let months = cchc_app::forecast::months_to(year, as_of);
    Some(html! {
        section.evaluation-status {
            h2 { "Kết quả thực hiện năm " (year) " (theo sổ theo dõi)" }
            @for m in &figures {
                p { (m.figure.label_vi) ": " (figure_line(m)) br; span.muted { (m.basis) } }
                (forecast_block(m, year))
                @if !m.records.is_empty() {
                    ul { @for r in &m.records { li { (r.unit_name) @if let Some(d) = r.date { " (" (date(d)) ")" } ": " (r.text) } } }
                }
                p { a href={ (m.path) "?nam=" (year) } { "Xem và cập nhật sổ theo dõi" } }
            }
            @let series: Vec<&cchc_domain::forecast::Series> = figures.iter().map(|m| &m.series).collect();
            (forecast::method(&series, as_of, months))
        }
    })
}

/// A measured target's forecast and its monthly trend (a coverage in percent, a count as it
/// is; a reduction has no months, so no chart).
fn forecast_block(m: &MeasuredTarget, year: i32) -> Markup {
    let percent = m.figure.threshold.unit == cchc_domain::MeasureUnit::Percent;
    let title = format!("{} lũy kế theo tháng năm {year}", m.figure.label_vi);
    let threshold = Some(m.figure.threshold.value);
    forecast::with_trend(&title, &m.series, &m.forecast, threshold, percent)
}
