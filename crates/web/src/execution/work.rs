//! The report pages (báo cáo): a unit's report for a period (form, autosave, submit, approve,
//! review with a comment per item, versions compared side by side), the standing office's
//! board of a period and the periods admin. Every handler calls `service`; roles are declared
//! beside each route; every form carries the session's CSRF token.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Multipart, Path, Query, State};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use cchc_domain::execution::{Evidence, ItemStatus, ReportContent, ReportState, Role, TargetValue};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use maud::{html, Markup};
use serde::Deserialize;

use super::auth::{authorize, Session, ANY, HEADS, READ_ALL, REVIEWERS, UNIT_EDITORS};
use super::ExecError;
use crate::shell::view::{enc, View};
use crate::AppState;
use crate::Req;
use cchc_app::execution::{self as service, ReportView};

pub fn routes(state: &AppState) -> Router<AppState> {
    let allow = |roles| from_fn_with_state((state.clone(), roles), authorize);
    Router::new()
        .route("/bao-cao/{period}", get(board).route_layer(allow(READ_ALL)))
        .route(
            "/bao-cao/{period}/{unit}",
            get(report_page).route_layer(allow(ANY)),
        )
        .route(
            "/bao-cao/{period}/{unit}/luu",
            post(save_form).route_layer(allow(UNIT_EDITORS)),
        )
        .route(
            "/bao-cao/{period}/{unit}/duyet",
            post(approve_form).route_layer(allow(HEADS)),
        )
        .route(
            "/bao-cao/{period}/{unit}/tham-dinh",
            post(review_form).route_layer(allow(REVIEWERS)),
        )
        .route(
            "/bao-cao/{period}/{unit}/phien-ban",
            get(versions_page).route_layer(allow(ANY)),
        )
        .route(
            "/ky-bao-cao",
            get(periods_page).route_layer(allow(READ_ALL)),
        )
        .route(
            "/ky-bao-cao/mo",
            post(open_period_form).route_layer(allow(REVIEWERS)),
        )
        .route(
            "/ky-bao-cao/duyet",
            post(approval_form).route_layer(allow(REVIEWERS)),
        )
}

// ---------------------------------------------------------------------------------------------
// Shared page parts

/// `hh:mm dd/mm/yyyy` in Vietnam time.
pub fn vn_time(t: DateTime<Utc>) -> String {
    let vn = FixedOffset::east_opt(7 * 3600).expect("a valid offset");
    t.with_timezone(&vn).format("%H:%M %d/%m/%Y").to_string()
}

pub(crate) fn page(
    req: &Req,
    _s: &Session,
    title: &str,
    wide: bool,
    body: impl maud::Render,
) -> Response {
    req.view().page(title, wide, body).into_response()
}

/// A page whose body is the same for every account of one role and unit, in one language,
/// while the database and the day are unchanged: `build` makes it once and `App::memo` keeps
/// it under `what` (the page and its query) with those; the frame around it is each account's.
pub(crate) async fn kept_page<F, Fut>(
    st: &AppState,
    req: &Req,
    s: &Session,
    what: String,
    wide: bool,
    build: F,
) -> Response
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<(String, Markup), ExecError>>,
{
    let key = format!(
        "{what}:{}:{}:{}",
        req.lang.code(),
        s.user.role.as_str(),
        s.user.unit
    );
    match st.memo(key, build).await {
        Ok(b) => page(req, s, &b.0, wide, &b.1),
        Err(e) => fail(req, s, e),
    }
}

/// A refusal as a page with its status and Vietnamese message.
pub(crate) fn fail(req: &Req, s: &Session, e: impl Into<ExecError>) -> Response {
    let e: ExecError = e.into();
    let status = e.status;
    let body = html! {
        h1 { "Không thực hiện được" }
        p.error role="alert" { (e.message) }
        p { a href="/bao-cao" { "Về trang báo cáo" } }
    };
    (status, page(req, s, "Lỗi", false, body)).into_response()
}

/// The session's CSRF token as a form's hidden field.
pub(crate) fn csrf(s: &Session) -> Markup {
    html! { input type="hidden" name="csrf" value=(s.csrf_token); }
}

pub fn state_badge(st: Option<ReportState>) -> Markup {
    match st {
        Some(st) => html! { span class={ "badge st-" (st.as_str()) } { (st.label_vi()) } },
        None => html! { span.badge.st-none { "chưa có" } },
    }
}

fn report_url(period: &str, unit: &str) -> String {
    format!("/bao-cao/{}/{}", enc(period), enc(unit))
}

// ---------------------------------------------------------------------------------------------
// The unit's report

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    da_luu: Option<String>,
}

async fn report_page(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path((period, unit)): Path<(String, String)>,
    Query(q): Query<ReportQuery>,
) -> Response {
    let loaded = async {
        let view = service::report(&st, &s, &period, &unit).await?;
        let year = cchc_domain::Period::parse(&view.period)
            .map(|p| p.year())
            .ok();
        let (plan_id, plan, _) = cchc_app::plan::plan_for(&st, year).await?;
        let mut files = HashMap::new();
        for l in &view.lines {
            for ev in &l.item.evidence {
                for id in &ev.files {
                    if let Some(f) = service::file_info(&st, &s, id).await? {
                        files.insert(id.clone(), f.name);
                    }
                }
            }
        }
        Ok::<_, ExecError>((view, plan_id, plan, files))
    }
    .await;
    let (view, plan_id, plan, files) = match loaded {
        Ok(x) => x,
        Err(e) => return fail(&req, &s, e),
    };
    let v = req.view();
    let editable = view.state.editable() && s.user.role == Role::Reporter && s.user.unit == unit;
    let review_items = view
        .review
        .as_ref()
        .filter(|r| r.decision == "return")
        .map(|r| r.items.clone())
        .unwrap_or_default();
    let title = format!(
        "{} {} — {}",
        v.t("w_report_of"),
        view.period,
        view.unit_name
    );
    let body = html! {
        h1 { (title) }
        dl.meta {
            dt { (v.t("w_state")) } dd #trang-thai { (state_badge(Some(view.state))) }
            dt { (v.t("w_due_at")) } dd { (vn_time(view.due_at)) }
            @if let Some(t) = view.submitted_at {
                dt { (v.t("w_submitted_at")) } dd {
                    (vn_time(t))
                    @if t > view.due_at { " " span.badge.overdue { (v.t("w_late")) } }
                }
            }
            dt { (v.t("w_version")) } dd { (view.version) " · " a href=(format!("{}/phien-ban", report_url(&view.period, &view.unit))) { (v.t("w_versions")) } }
            @if view.state == ReportState::Accepted {
                dt { (v.t("w_accepted_by")) } dd #tiep-nhan {
                    @match view.review.as_ref().filter(|r| r.decision == "accept") {
                        Some(r) => {
                            (r.by) @if let Some(at) = r.at { ", " (vn_time(at)) }
                            @if !r.comment.is_empty() { " — " (r.comment) }
                        }
                        None => { "—" }
                    }
                }
            }
        }
        (summary(&view))
        @if q.da_luu.is_some() { p.notice.ok role="status" { "Đã lưu." } }
        @if let Some(r) = view.review.as_ref().filter(|r| r.decision == "return" && view.state == ReportState::Returned) {
            div.notice.returned role="alert" {
                b { "Báo cáo bị trả lại để bổ sung" } " (" (r.by) @if let Some(at) = r.at { ", " (vn_time(at)) } ")"
                @if !r.comment.is_empty() { p { (v.t("w_comment")) ": " (r.comment) } }
            }
        }
        @if editable {
            (report_form(&v, &s, &view, plan_id, &plan, &files, &review_items))
        } @else {
            @if !view.state.editable() { p.muted { (v.t("w_read_only")) } }
            (report_read_only(&v, &view, plan_id, &plan, &files, &review_items))
            (actions(&v, &s, &view))
        }
    };
    page(&req, &s, &title, true, body)
}

/// The report's counts by status, at the top of the page.
fn summary(view: &ReportView) -> Markup {
    let n = |f: &dyn Fn(ItemStatus) -> bool| view.lines.iter().filter(|l| f(l.item.status)).count();
    let done = n(&|s: ItemStatus| s.is_done());
    let progress = n(&|s| s == ItemStatus::InProgress);
    let not_started = n(&|s| s == ItemStatus::NotStarted);
    let not_feasible = n(&|s| s == ItemStatus::NotFeasible);
    html! {
        p.report-summary #tom-tat {
            b { (view.lines.len()) } " hoạt động: "
            span.s-done-t { b data-n="done" { (done) } " hoàn thành" } " · "
            span { b data-n="in_progress" { (progress) } " đang triển khai" } " · "
            span { b data-n="not_started" { (not_started) } " chưa triển khai" }
            @if not_feasible > 0 { " · " span { b data-n="not_feasible" { (not_feasible) } " không thực hiện được" } }
        }
    }
}

/// An area's number and title, and its report lines with their index in the report.
type AreaLines<'v> = (u32, String, Vec<(usize, &'v service::ReportLine)>);

/// The report's lines grouped by area (lĩnh vực), in plan order, each with its index.
fn by_area<'v>(view: &'v ReportView, plan: &cchc_domain::Plan) -> Vec<AreaLines<'v>> {
    let mut out: Vec<AreaLines<'v>> = Vec::new();
    for (i, l) in view.lines.iter().enumerate() {
        let area = plan
            .activity(&l.activity)
            .and_then(|c| plan.section_area(&c.section.code))
            .unwrap_or(0);
        match out.iter_mut().find(|g| g.0 == area) {
            Some(g) => g.2.push((i, l)),
            None => out.push((
                area,
                plan.area_title(area).unwrap_or("").to_string(),
                vec![(i, l)],
            )),
        }
    }
    out
}

/// One area's items, folded unless it holds unfinished or returned items.
fn area_details(
    area: u32,
    title: &str,
    lines: &[(usize, &service::ReportLine)],
    comments: &BTreeMap<String, String>,
    items: Markup,
) -> Markup {
    let open = lines
        .iter()
        .any(|(_, l)| !l.item.status.is_done() || comments.contains_key(&l.activity));
    let done = lines
        .iter()
        .filter(|(_, l)| l.item.status.is_done())
        .count();
    html! {
        details.area open[open] data-area=(area) {
            summary { h2 { (area) ". " (title) } span.muted { " " (done) "/" (lines.len()) " hoàn thành" } }
            (items)
        }
    }
}

/// A read-only field's text, or "—" when empty.
fn or_dash(s: &str) -> &str {
    if s.trim().is_empty() {
        "—"
    } else {
        s
    }
}

fn item_head(v: &View, l: &service::ReportLine, plan_id: cchc_store::PlanId) -> Markup {
    html! {
        legend {
            a.act href=(crate::shell::view::activity_url(plan_id, &l.activity)) { (crate::plan::view::activity_tag(&l.number, Some(&l.context), &l.activity)) }
            " " (l.text)
        }
        p.muted.small {
            @match l.involvement {
                cchc_domain::execution::Involvement::Lead => { (v.t("w_lead")) }
                _ => { (v.t("w_coord")) }
            }
            @if let Some(d) = &l.deadline { " · " (v.t("w_deadline")) ": " (d) }
        }
    }
}

fn reviewer_note(v: &View, comments: &BTreeMap<String, String>, activity: &str) -> Markup {
    html! {
        @if let Some(c) = comments.get(activity) {
            p.review-note role="note" { b { (v.t("w_reviewer_says")) ": " } (c) }
        }
    }
}

fn file_link(files: &HashMap<String, String>, id: &str) -> Markup {
    let name = files.get(id).map(String::as_str).unwrap_or("tệp");
    html! { a.file href=(format!("/api/v1/files/{id}")) data-id=(id) { (name) } }
}

#[allow(clippy::too_many_arguments)]
fn report_form(
    v: &View,
    s: &Session,
    view: &ReportView,
    plan_id: cchc_store::PlanId,
    plan: &cchc_domain::Plan,
    files: &HashMap<String, String>,
    comments: &BTreeMap<String, String>,
) -> Markup {
    let url = report_url(&view.period, &view.unit);
    let targets: HashMap<&str, &TargetValue> = view
        .targets
        .iter()
        .map(|t| (t.target.as_str(), t))
        .collect();
    let areas = by_area(view, plan);
    html! {
        form #bao-cao method="post" action=(format!("{url}/luu")) enctype="multipart/form-data"
            data-api=(format!("/api/v1/periods/{}/reports/{}", enc(&view.period), enc(&view.unit)))
            data-csrf=(s.csrf_token) {
            (csrf(s))
            input type="hidden" name="version" value=(view.version);
            p #autosave.autosave role="status" aria-live="polite" {}
            @for (area, title, lines) in &areas {
              (area_details(*area, title, lines, comments, html! {
              @for (i, l) in lines.iter().copied() {
                fieldset.item data-idx=(i) data-activity=(l.activity) {
                    (item_head(v, l, plan_id))
                    (reviewer_note(v, comments, &l.activity))
                    div.grid2 {
                        label { (v.t("w_status")) " "
                            select name={ "s" (i) } {
                                @for st in ItemStatus::ALL {
                                    option value=(st.as_str()) selected[st == l.item.status] { (st.label_vi()) }
                                }
                            }
                        }
                    }
                    label.block { (v.t("w_note")) textarea name={ "n" (i) } rows="3" { (l.item.note) } }
                    div.evidence {
                        p.h { (v.t("w_evidence")) }
                        @for (k, ev) in l.item.evidence.iter().enumerate() {
                            (evidence_row(v, i, k, ev, files))
                        }
                        (evidence_row(v, i, l.item.evidence.len(), &Evidence::default(), files))
                        button.add-ev.secondary type="button" data-idx=(i) { "+ " (v.t("w_ev_add")) }
                    }
                    div.grid2 {
                        label.block { (v.t("w_difficulties")) textarea name={ "k" (i) } rows="2" { (l.item.difficulties) } }
                        label.block { (v.t("w_proposals")) textarea name={ "d" (i) } rows="2" { (l.item.proposals) } }
                    }
                }
              }
              }))
            }
            @if !plan.targets.is_empty() {
                details.targets open[!view.targets.is_empty()] {
                    summary { (v.t("w_targets")) " (" (view.targets.len()) ")" }
                    p.muted { "Chỉ nhập cho chỉ tiêu đơn vị chủ trì và chưa có nguồn số liệu tự động." }
                    @for t in &plan.targets {
                        label.block.target {
                            b { (t.code) } " " (t.text)
                            input type="text" name={ "t." (t.code) } data-target=(t.code)
                                value=(targets.get(t.code.as_str()).map(|x| x.value.as_str()).unwrap_or(""));
                        }
                    }
                }
            }
            div.actions {
                button.secondary type="submit" name="action" value="save" { (v.t("w_save")) }
                button.primary type="submit" name="action" value="submit"
                    data-confirm="Gửi báo cáo? Sau khi gửi, báo cáo bị khóa cho đến khi được trả lại." {
                    (v.t("w_submit"))
                }
                @if view.approval_required { span.muted { " Sau khi gửi, thủ trưởng đơn vị duyệt rồi mới đến cơ quan thường trực." } }
            }
        }
    }
}

fn evidence_row(
    v: &View,
    i: usize,
    k: usize,
    ev: &Evidence,
    files: &HashMap<String, String>,
) -> Markup {
    let n = |f: &str| format!("e{i}.{k}.{f}");
    html! {
        div.ev-row {
            label { (v.t("w_ev_number")) input name=(n("number")) data-f="number" value=(ev.number); }
            label { (v.t("w_ev_date")) input type="date" name=(n("date")) data-f="date" value=(ev.date.map(|d| d.to_string()).unwrap_or_default()); }
            label { (v.t("w_ev_issuer")) input name=(n("issuer")) data-f="issuer" value=(ev.issuer); }
            label.wide { (v.t("w_ev_title")) input name=(n("title")) data-f="title" value=(ev.title); }
            input type="hidden" name=(n("files")) data-f="files" value=(ev.files.join(","));
            span.files { @for id in &ev.files { (file_link(files, id)) " " } }
            label.up { (v.t("w_ev_file")) input type="file" name=(n("up")) data-f="up" accept=".pdf,.docx,.xlsx,.png,.jpg,.jpeg"; }
        }
    }
}

fn report_read_only(
    v: &View,
    view: &ReportView,
    plan_id: cchc_store::PlanId,
    plan: &cchc_domain::Plan,
    files: &HashMap<String, String>,
    comments: &BTreeMap<String, String>,
) -> Markup {
    html! {
        @for (area, title, lines) in &by_area(view, plan) {
          (area_details(*area, title, lines, comments, html! {
          @for (_, l) in lines {
            fieldset.item.ro data-activity=(l.activity) {
                (item_head(v, l, plan_id))
                (reviewer_note(v, comments, &l.activity))
                dl.fields {
                    dt { (v.t("w_status")) } dd.status { (l.item.status.label_vi()) }
                    dt { (v.t("w_note")) } dd { (or_dash(&l.item.note)) }
                    dt { (v.t("w_evidence")) } dd {
                        @if l.item.evidence.is_empty() { "—" }
                        @for ev in &l.item.evidence {
                            div.ev {
                                (ev.number) @if let Some(d) = ev.date { ", " (crate::shell::view::date(d)) }
                                @if !ev.issuer.is_empty() { ", " (ev.issuer) }
                                @if !ev.title.is_empty() { ": " (ev.title) }
                                @for id in &ev.files { " " (file_link(files, id)) }
                            }
                        }
                    }
                    dt { (v.t("w_difficulties")) } dd { (or_dash(&l.item.difficulties)) }
                    dt { (v.t("w_proposals")) } dd { (or_dash(&l.item.proposals)) }
                }
            }
          }
          }))
        }
        @if !view.targets.is_empty() {
            h2 { (v.t("w_targets")) }
            ul { @for t in &view.targets { li { b { (t.target) } ": " (or_dash(&t.value)) } } }
        }
    }
}

/// What the reader may do with a submitted report: approve (unit head) or review (office).
fn actions(v: &View, s: &Session, view: &ReportView) -> Markup {
    let url = report_url(&view.period, &view.unit);
    let head_may =
        s.user.role == Role::UnitHead && s.user.unit == view.unit && view.approval_required;
    let office_may = s.user.role == Role::StandingOffice
        && matches!(view.state, ReportState::Submitted | ReportState::Approved);
    html! {
        @if head_may && view.state == ReportState::Submitted {
            form method="post" action=(format!("{url}/duyet")) {
                (csrf(s))
                button.primary type="submit" { (v.t("w_approve")) }
            }
        }
        @if office_may {
            section.review {
                h2 { (v.t("w_review")) }
                @if view.approval_required && view.state == ReportState::Submitted {
                    p.muted { "Báo cáo chưa được thủ trưởng đơn vị duyệt: chỉ có thể trả lại." }
                }
                form #tham-dinh method="post" action=(format!("{url}/tham-dinh")) {
                    (csrf(s))
                    @for (i, l) in view.lines.iter().enumerate() {
                        label.block { (v.t("w_item_comment")) " " b { (l.activity) }
                            textarea name={ "y" (i) } rows="2" data-activity=(l.activity) {}
                        }
                    }
                    label.block { (v.t("w_comment")) textarea name="comment" rows="2" {} }
                    div.actions {
                        button.primary type="submit" name="decision" value="accept" { (v.t("w_accept")) }
                        button.secondary type="submit" name="decision" value="return"
                            data-confirm="Trả lại báo cáo cho đơn vị để bổ sung?" { (v.t("w_return")) }
                    }
                }
            }
        }
    }
}

/// The report form's fields, read from a multipart body.
#[derive(Default)]
struct Fields {
    text: HashMap<String, String>,
    uploads: Vec<(String, String, Vec<u8>)>,
}

impl Fields {
    fn get(&self, k: &str) -> &str {
        self.text.get(k).map(String::as_str).unwrap_or("")
    }

    async fn read(mut m: Multipart) -> Result<Fields, ExecError> {
        let mut f = Fields::default();
        while let Some(field) = m
            .next_field()
            .await
            .map_err(|e| ExecError::invalid(format!("nội dung biểu mẫu không đọc được: {e}")))?
        {
            let name = field.name().unwrap_or("").to_string();
            let file_name = field.file_name().map(str::to_string);
            let bytes = field
                .bytes()
                .await
                .map_err(|e| ExecError::invalid(format!("trường «{name}» không đọc được: {e}")))?;
            match file_name {
                Some(fname) if !fname.is_empty() && !bytes.is_empty() => {
                    f.uploads.push((name, fname, bytes.to_vec()))
                }
                Some(_) => {}
                None => {
                    // NFC at the boundary, line by line so that paragraphs stay.
                    let text = String::from_utf8_lossy(&bytes)
                        .lines()
                        .map(cchc_domain::text::clean)
                        .collect::<Vec<_>>()
                        .join("\n");
                    f.text.insert(name, text);
                }
            }
        }
        Ok(f)
    }
}

/// The content the form says, with uploaded files stored first.
async fn content_from_form(
    st: &AppState,
    s: &Session,
    view: &ReportView,
    f: &Fields,
) -> Result<ReportContent, ExecError> {
    let mut uploaded: HashMap<String, Vec<String>> = HashMap::new();
    for (name, fname, bytes) in &f.uploads {
        let rec = service::upload(st, s, &view.period, &view.unit, fname, bytes).await?;
        let key = name.trim_end_matches(".up").to_string();
        uploaded.entry(key).or_default().push(rec.id);
    }
    let mut items = Vec::new();
    for (i, l) in view.lines.iter().enumerate() {
        let mut item = l.item.clone();
        if let Some(sv) = ItemStatus::parse(f.get(&format!("s{i}"))) {
            item.status = sv;
        }
        item.note = f.get(&format!("n{i}")).trim().to_string();
        item.difficulties = f.get(&format!("k{i}")).trim().to_string();
        item.proposals = f.get(&format!("d{i}")).trim().to_string();
        let prefix = format!("e{i}.");
        let mut rows: Vec<usize> = f
            .text
            .keys()
            .chain(f.uploads.iter().map(|u| &u.0))
            .filter_map(|k| k.strip_prefix(&prefix)?.split('.').next()?.parse().ok())
            .collect();
        rows.sort_unstable();
        rows.dedup();
        item.evidence = Vec::new();
        for k in rows {
            let g = |x: &str| f.get(&format!("e{i}.{k}.{x}")).trim().to_string();
            let date = match g("date") {
                d if d.is_empty() => None,
                d => Some(NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| {
                    ExecError::invalid(format!(
                        "hoạt động {}, văn bản {}: ngày «{d}» không hợp lệ (dạng 2024-01-15)",
                        l.activity,
                        k + 1
                    ))
                })?),
            };
            let mut files: Vec<String> = g("files")
                .split(',')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect();
            files.extend(
                uploaded
                    .get(&format!("e{i}.{k}"))
                    .cloned()
                    .unwrap_or_default(),
            );
            let ev = Evidence {
                number: g("number"),
                date,
                issuer: g("issuer"),
                title: g("title"),
                files,
            };
            if ev != Evidence::default() {
                item.evidence.push(ev);
            }
        }
        items.push(item);
    }
    let targets = f
        .text
        .iter()
        .filter_map(|(k, val)| {
            let code = k.strip_prefix("t.")?;
            let val = val.trim();
            (!val.is_empty()).then(|| {
                (
                    code.to_string(),
                    TargetValue {
                        target: code.to_string(),
                        value: val.to_string(),
                        evidence: vec![],
                    },
                )
            })
        })
        .collect::<BTreeMap<_, _>>()
        .into_values()
        .collect();
    Ok(ReportContent { items, targets })
}

/// Saves the form (no-JS path and the submit button), then submits when asked.
async fn save_form(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path((period, unit)): Path<(String, String)>,
    m: Multipart,
) -> Response {
    let done = async {
        let f = Fields::read(m).await?;
        let version: i64 = f
            .get("version")
            .parse()
            .map_err(|_| ExecError::invalid("thiếu trường «version»; hãy tải lại trang"))?;
        let view = service::report(&st, &s, &period, &unit).await?;
        let content = content_from_form(&st, &s, &view, &f).await?;
        let saved = service::save_report(&st, &s, &period, &unit, version, content).await?;
        if f.get("action") == "submit" {
            service::submit_report(&st, &s, &period, &unit, Some(saved.version)).await?;
        }
        Ok::<_, ExecError>(())
    }
    .await;
    match done {
        Ok(()) => Redirect::to(&format!("{}?da_luu=1", report_url(&period, &unit))).into_response(),
        Err(e) => fail(&req, &s, e),
    }
}

async fn approve_form(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path((period, unit)): Path<(String, String)>,
) -> Response {
    match service::approve_report(&st, &s, &period, &unit).await {
        Ok(_) => Redirect::to(&report_url(&period, &unit)).into_response(),
        Err(e) => fail(&req, &s, e),
    }
}

async fn review_form(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path((period, unit)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let done = async {
        let view = service::report(&st, &s, &period, &unit).await?;
        let get = |k: &str| {
            fields
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.as_str())
                .unwrap_or("")
        };
        let items: BTreeMap<String, String> = view
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| (l.activity.clone(), get(&format!("y{i}")).trim().to_string()))
            .collect();
        service::review_report(
            &st,
            &s,
            &period,
            &unit,
            get("decision"),
            get("comment"),
            items,
        )
        .await
    }
    .await;
    match done {
        Ok(_) => Redirect::to(&format!("/bao-cao/{}", enc(&period))).into_response(),
        Err(e) => fail(&req, &s, e),
    }
}

// ---------------------------------------------------------------------------------------------
// Versions

#[derive(Deserialize, Default)]
pub struct CompareQuery {
    a: Option<i64>,
    b: Option<i64>,
}

fn evidence_text(ev: &[Evidence]) -> String {
    ev.iter()
        .map(|e| {
            format!(
                "{} {} {} {} [{} tệp]",
                e.number,
                e.date.map(crate::shell::view::date).unwrap_or_default(),
                e.issuer,
                e.title,
                e.files.len()
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

async fn versions_page(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path((period, unit)): Path<(String, String)>,
    Query(q): Query<CompareQuery>,
) -> Response {
    let versions = match service::report_versions(&st, &s, &period, &unit).await {
        Ok(v) => v,
        Err(e) => return fail(&req, &s, e),
    };
    let v = req.view();
    let last = versions.last().map_or(0, |x| x.version);
    let b = q.b.unwrap_or(last);
    // By default: what changed since the report was last returned (else the version before).
    let a = q.a.unwrap_or_else(|| {
        versions
            .iter()
            .rev()
            .find(|x| x.state == ReportState::Returned && x.version < b)
            .map_or(b - 1, |x| x.version)
    });
    let va = versions.iter().find(|x| x.version == a);
    let vb = versions.iter().find(|x| x.version == b);
    let title = format!("{} — {period} / {unit}", v.t("w_versions"));
    let body = html! {
        h1 { (title) }
        p { a href=(report_url(&period, &unit)) { "← " (v.t("w_reports")) } }
        table.list {
            thead { tr { th { (v.t("w_version")) } th { (v.t("w_state")) } th { (v.t("w_who")) } th { (v.t("w_when")) } } }
            tbody { @for x in &versions { tr {
                td { (x.version) } td { (state_badge(Some(x.state))) } td { (x.saved_by) } td { (vn_time(x.saved_at)) }
            } } }
        }
        form.filters method="get" {
            label { (v.t("w_version")) " A " select name="a" { @for x in &versions { option value=(x.version) selected[x.version == a] { (x.version) } } } }
            label { " B " select name="b" { @for x in &versions { option value=(x.version) selected[x.version == b] { (x.version) } } } }
            button type="submit" { (v.t("w_compare")) }
        }
        @if let (Some(va), Some(vb)) = (va, vb) {
            h2 { (v.t("w_compare")) " " (a) " ↔ " (b) }
            table.compare {
                thead { tr { th { "" } th { (v.t("w_version")) " " (a) } th { (v.t("w_version")) " " (b) } } }
                tbody {
                    (cmp_row(v.t("w_state"), va.state.label_vi(), vb.state.label_vi()))
                    @for ib in &vb.content.items {
                        @let ia = va.content.item(&ib.activity);
                        tr.act { th colspan="3" { (ib.activity) } }
                        (cmp_row(v.t("w_status"), ia.map_or("", |x| x.status.label_vi()), ib.status.label_vi()))
                        (cmp_row(v.t("w_note"), ia.map_or("", |x| x.note.as_str()), &ib.note))
                        (cmp_row(v.t("w_evidence"), &ia.map(|x| evidence_text(&x.evidence)).unwrap_or_default(), &evidence_text(&ib.evidence)))
                        (cmp_row(v.t("w_difficulties"), ia.map_or("", |x| x.difficulties.as_str()), &ib.difficulties))
                        (cmp_row(v.t("w_proposals"), ia.map_or("", |x| x.proposals.as_str()), &ib.proposals))
                    }
                }
            }
        }
    };
    page(&req, &s, &title, true, body)
}

fn cmp_row(label: &str, a: &str, b: &str) -> Markup {
    let changed = a != b;
    html! {
        tr class=(if changed { "changed" } else { "" }) {
            th { (label) @if changed { span.vh { " (đã thay đổi)" } } }
            td { (a) } td { (b) }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Board

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    /// `on_time`, `late`, `missing` or `in`.
    tinh_trang: Option<String>,
}

async fn board(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path(period): Path<String>,
    Query(q): Query<BoardQuery>,
) -> Response {
    let what = format!("board:{period}:{}", q.tinh_trang.as_deref().unwrap_or(""));
    kept_page(&st, &req, &s, what, true, || {
        board_body(&st, &req, &period, q.tinh_trang.clone())
    })
    .await
}

/// The board's title and body for `period`, its lines filtered by timeliness (`tinh_trang`).
async fn board_body(
    st: &AppState,
    req: &Req,
    period: &str,
    tinh_trang: Option<String>,
) -> Result<(String, Markup), ExecError> {
    let (rec, lines) = service::board(st, period).await?;
    // The communes' plans of the period's year, counted against the plan's deadline (none
    // when the year has no district plan).
    let year = cchc_domain::Period::parse(&rec.code).map(|p| p.year()).ok();
    let communes = match year {
        Some(y) => cchc_app::commune_plan::overview(st, y).await.ok(),
        None => None,
    };
    let v = req.view();
    let filter = tinh_trang.unwrap_or_default();
    let shown: Vec<_> = lines
        .iter()
        .filter(|l| match filter.as_str() {
            "" => true,
            "in" => l.timeliness != "missing",
            f => l.timeliness == f,
        })
        .collect();
    let count = |t: &str| lines.iter().filter(|l| l.timeliness == t).count();
    let title = format!("{} {}", v.t("w_board"), rec.code);
    let link = |t: &str| format!("/bao-cao/{}?tinh_trang={t}", enc(&rec.code));
    let body = html! {
        h1 { (title) }
        p { (v.t("w_due_at")) ": " b { (vn_time(rec.due_at)) } }
        p.documents {
            a.button href=(format!("/bao-cao/ky/{}/bao-cao.docx", enc(&rec.code))) { "Tải báo cáo của huyện (.docx)" }
            " · " a href=(format!("/bao-cao/ky/{}/van-ban", enc(&rec.code))) { "Bảng tính của kỳ (.xlsx)" }
            " · " a #ke-hoach-xa href=(format!("/ke-hoach-xa/{}", rec.code.get(..4).unwrap_or_default())) { "Kế hoạch CCHC của các xã" }
        }
        @if let Some(c) = &communes {
            p.counts.commune-plans {
                a href=(format!("/ke-hoach-xa/{}", c.year)) { "Kế hoạch CCHC năm " (c.year) " của các xã: " }
                b #so-xa-ban-hanh { (c.issued) } "/" (c.rows.len()) " đã ban hành"
                " (đúng hạn " (c.on_time) ", muộn " (c.late) ", chưa ban hành " (c.not_issued) ")"
            }
        }
        p.counts {
            a href=(format!("/bao-cao/{}", enc(&rec.code))) { "Tất cả: " b { (lines.len()) } } " · "
            a href=(link("on_time")) { (v.t("w_on_time")) ": " b #so-dung-han { (count("on_time")) } } " · "
            a href=(link("late")) { (v.t("w_late")) ": " b #so-tre-han { (count("late")) } } " · "
            a href=(link("missing")) { (v.t("w_missing")) ": " b #so-chua-gui { (count("missing")) } }
        }
        table.list.board {
            thead { tr {
                th { (v.t("w_unit")) } th { (v.t("w_activities")) } th { (v.t("w_state")) }
                th { (v.t("w_submitted_at")) } th { (v.t("w_timeliness")) } th { "" }
            } }
            tbody { @for l in &shown {
                tr data-unit=(l.unit) {
                    td data-label=(v.t("w_unit")) { (l.unit_name) }
                    td data-label=(v.t("w_activities")) { (l.activities) }
                    td data-label=(v.t("w_state")) { (state_badge(l.state)) }
                    td data-label=(v.t("w_submitted_at")) { (l.submitted_at.map(vn_time).unwrap_or_default()) }
                    td data-label=(v.t("w_timeliness")) {
                        @match l.timeliness {
                            "on_time" => span.badge.ok { (v.t("w_on_time")) },
                            "late" => span.badge.overdue { (v.t("w_late")) },
                            _ => span.badge.st-none { (v.t("w_missing")) },
                        }
                    }
                    td { a href=(report_url(&rec.code, &l.unit)) { (v.t("w_open")) } }
                }
            } }
        }
    };
    Ok((title, body))
}

// ---------------------------------------------------------------------------------------------
// Periods

async fn periods_page(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
) -> Response {
    let loaded = async {
        Ok::<_, ExecError>((
            service::periods(&st).await?,
            service::approval_required(&st).await?,
        ))
    }
    .await;
    let (periods, approval) = match loaded {
        Ok(x) => x,
        Err(e) => return fail(&req, &s, e),
    };
    let v = req.view();
    let office = s.user.role == Role::StandingOffice;
    let body = html! {
        h1 { (v.t("w_periods")) }
        table.list {
            thead { tr { th { "Kỳ" } th { (v.t("w_due_at")) } th { "Mở bởi" } th { "" } } }
            tbody { @for p in &periods { tr {
                td { (p.code) } td { (vn_time(p.due_at)) } td { (p.opened_by) }
                td { a href=(format!("/bao-cao/{}", enc(&p.code))) { (v.t("w_board")) } " · "
                     a href=(format!("/tong-quan?ky={}", enc(&p.code))) { (v.t("w_dashboard")) } }
            } } }
        }
        @if office {
            h2 { (v.t("w_open_period")) }
            form.stack method="post" action="/ky-bao-cao/mo" {
                (csrf(&s))
                label { (v.t("w_period_code")) input name="period" required placeholder="2024-Q2"; }
                label { (v.t("w_due_at")) " (giờ Việt Nam)" input type="datetime-local" name="due" required; }
                button.primary type="submit" { (v.t("w_open_period")) }
            }
            h2 { (v.t("w_approval_switch")) }
            form method="post" action="/ky-bao-cao/duyet" {
                (csrf(&s))
                p { "Hiện: " b #duyet { (if approval { v.t("w_on") } else { v.t("w_off") }) } }
                input type="hidden" name="required" value=(if approval { "false" } else { "true" });
                button type="submit" data-confirm="Đổi bước duyệt của thủ trưởng đơn vị?" {
                    (if approval { v.t("w_off") } else { v.t("w_on") })
                }
            }
        }
    };
    page(&req, &s, v.t("w_periods"), false, body)
}

#[derive(Deserialize)]
pub struct OpenPeriodForm {
    period: String,
    due: String,
}

async fn open_period_form(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Form(f): Form<OpenPeriodForm>,
) -> Response {
    match service::open_period(&st, &s, &f.period, &f.due).await {
        Ok(_) => Redirect::to("/ky-bao-cao").into_response(),
        Err(e) => fail(&req, &s, e),
    }
}

#[derive(Deserialize)]
pub struct ApprovalForm {
    required: String,
}

async fn approval_form(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Form(f): Form<ApprovalForm>,
) -> Response {
    match service::set_approval(&st, &s, f.required == "true").await {
        Ok(()) => Redirect::to("/ky-bao-cao").into_response(),
        Err(e) => fail(&req, &s, e),
    }
}
