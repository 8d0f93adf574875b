//! Nhắc việc on the web: an account's notices (`/thong-bao`, marked read by a form), the
//! standing office's schedule and log of reminders (`/nhac-viec`), and an account's e-mail set
//! from the accounts page. Operations and scope checks are in `cchc_app::reminders`.

use axum::extract::{Path, State};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use cchc_app::reminders as service;
use cchc_domain::reminder::{ReminderKind, ReminderSchedule};
use cchc_store::reminder::state;
use maud::html;
use serde::Deserialize;

use super::auth::{authorize, Session, ANY, OFFICE};
use super::work::{fail, page, vn_time};
use super::ExecError;
use crate::{AppState, Req};

pub fn routes(state: &AppState) -> Router<AppState> {
    let allow = |roles| from_fn_with_state((state.clone(), roles), authorize);
    Router::new()
        .route(
            "/thong-bao",
            get(notices_page).post(mark_read).route_layer(allow(ANY)),
        )
        .route(
            "/nhac-viec",
            get(reminders_page)
                .post(save_schedule)
                .route_layer(allow(OFFICE)),
        )
        .route(
            "/quan-tri/tai-khoan/{username}/thu",
            post(set_email).route_layer(allow(OFFICE)),
        )
}

async fn notices_page(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
) -> Response {
    let notices = match service::notices(&st, &s).await {
        Ok(n) => n,
        Err(e) => return fail(&req, &s, e),
    };
    let v = req.view();
    let unread = notices.iter().any(|n| n.read_at.is_none());
    let body = html! {
        h1 { (v.t("w_notices")) }
        @if notices.is_empty() { p { (v.t("w_notices_none")) } }
        @if unread {
            form method="post" action="/thong-bao" {
                input type="hidden" name="csrf" value=(s.csrf_token);
                button type="submit" { (v.t("w_notices_read")) }
            }
        }
        @for n in &notices {
            article.notice {
                h2 {
                    @if n.read_at.is_none() { span.badge.overdue { (v.t("w_unread")) } " " }
                    (n.subject)
                }
                p.muted { (vn_time(n.created_at)) }
                @for line in n.body.lines().filter(|l| !l.is_empty()) { p { (line) } }
                p { a href=(local_link(&n.link)) { (n.link) } }
            }
        }
    };
    page(&req, &s, v.t("w_notices"), false, body)
}

/// The path of a link written with the public address, so that it opens on this server.
fn local_link(link: &str) -> &str {
    link.find("://")
        .and_then(|i| link[i + 3..].find('/').map(|j| &link[i + 3 + j..]))
        .unwrap_or(link)
}

async fn mark_read(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
) -> Response {
    match service::mark_read(&st, &s).await {
        Ok(_) => Redirect::to("/thong-bao").into_response(),
        Err(e) => fail(&req, &s, e),
    }
}

async fn reminders_page(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
) -> Response {
    reminders(&st, &req, &s, None).await
}

async fn reminders(
    st: &AppState,
    req: &Req,
    s: &Session,
    msg: Option<(ExecError, String, String)>,
) -> Response {
    let (sched, jobs) = match service::overview(st, s, 200).await {
        Ok(x) => x,
        Err(e) => return fail(req, s, e),
    };
    let v = req.view();
    let (offsets, repeat) = match &msg {
        Some((_, o, r)) => (o.clone(), r.clone()),
        None => (sched.offsets_text(), sched.repeat_days().to_string()),
    };
    let body = html! {
        h1 { (v.t("w_reminders")) }
        h2 { (v.t("w_reminder_schedule")) }
        @if let Some((e, _, _)) = &msg { p.error role="alert" { (e.message) } }
        form.stack method="post" action="/nhac-viec" {
            input type="hidden" name="csrf" value=(s.csrf_token);
            label { (v.t("w_reminder_offsets")) input name="offsets" value=(offsets) required; }
            label { (v.t("w_reminder_repeat")) input name="repeat" value=(repeat) inputmode="numeric"; }
            button.primary type="submit" { (v.t("w_reminder_save")) }
        }
        h2 { (v.t("w_reminder_log")) }
        @if jobs.is_empty() { p { (v.t("w_reminder_none")) } }
        @else {
            table.list {
                thead { tr {
                    th { (v.t("w_time")) } th { (v.t("w_recipient")) } th { (v.t("w_reminder_kind")) }
                    th { (v.t("w_reminder_step")) } th { (v.t("w_reminder_state")) }
                } }
                tbody { @for j in &jobs { tr {
                    td data-label=(v.t("w_time")) { (vn_time(j.sent_at.unwrap_or(j.created_at))) }
                    td data-label=(v.t("w_recipient")) {
                        (j.recipient) @if let Some(e) = &j.email { " · " (e) }
                    }
                    td data-label=(v.t("w_reminder_kind")) {
                        (ReminderKind::parse(&j.kind).map_or(j.kind.as_str(), |k| k.label_vi()))
                        " · " (service::period_label(&j.period)) " · " (j.unit)
                    }
                    td data-label=(v.t("w_reminder_step")) { (ReminderSchedule::step_vi(j.step)) }
                    td data-label=(v.t("w_reminder_state")) {
                        (state_vi(&j.state)) @if j.attempts > 1 { " (" (j.attempts) " lần)" }
                        @if !j.last_error.is_empty() { br; small.muted { (j.last_error) } }
                    }
                } } }
            }
        }
    };
    let res = page(req, s, v.t("w_reminders"), true, body);
    match msg {
        Some((e, _, _)) => (e.status, res).into_response(),
        None => res,
    }
}

fn state_vi(s: &str) -> &str {
    match s {
        state::PENDING => "Chờ gửi",
        state::SENDING => "Đang gửi",
        state::SENT => "Đã gửi",
        state::FAILED => "Gửi không được",
        other => other,
    }
}

#[derive(Deserialize)]
pub struct ScheduleForm {
    offsets: String,
    #[serde(default)]
    repeat: String,
}

async fn save_schedule(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Form(f): Form<ScheduleForm>,
) -> Response {
    match service::set_schedule(&st, &s, &f.offsets, &f.repeat).await {
        Ok(_) => Redirect::to("/nhac-viec").into_response(),
        Err(e) => reminders(&st, &req, &s, Some((e.into(), f.offsets, f.repeat))).await,
    }
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

async fn set_email(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path(username): Path<String>,
    Form(f): Form<EmailForm>,
) -> Response {
    match service::set_email_as(&st, &s, &username, &f.email).await {
        Ok(_) => Redirect::to("/quan-tri/tai-khoan").into_response(),
        Err(e) => super::office::accounts(&st, &req, &s, Some(e.into())).await,
    }
}
