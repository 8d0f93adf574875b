//! The execution pages: sign in, sign out, change password, one's own sessions, and a reporting
//! home listing the periods and the signed-in unit's overdue work. Authorisation is declared beside each route,
//! as in the API; forms carry the session's CSRF token in a hidden `csrf` field.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Form, Router};
use maud::{html, Markup};
use serde::Deserialize;

use super::api::ClientAddr;
use super::auth::{self, authorize, Session, ANY};
use super::work::vn_time;
use super::ExecError;
use crate::shell::view::View;
use crate::AppState;
use crate::Req;
use cchc_app::execution as service;

pub fn routes(state: &AppState) -> Router<AppState> {
    let allow = |roles| from_fn_with_state((state.clone(), roles), authorize);
    Router::new()
        .route("/dang-nhap", get(login_form).post(login))
        .route(
            "/dang-xuat",
            axum::routing::post(logout).route_layer(allow(ANY)),
        )
        .route(
            "/doi-mat-khau",
            get(password_form)
                .post(change_password)
                .route_layer(allow(ANY)),
        )
        .route("/bao-cao", get(reports_home).route_layer(allow(ANY)))
        .route(SESSIONS, get(sessions_page).route_layer(allow(ANY)))
        .route(
            "/tai-khoan/phien/ket-thuc",
            axum::routing::post(end_session).route_layer(allow(ANY)),
        )
        .route(
            "/tai-khoan/phien/ket-thuc-khac",
            axum::routing::post(end_other_sessions).route_layer(allow(ANY)),
        )
}

/// The page of one's own sessions.
pub const SESSIONS: &str = "/tai-khoan/phien";

fn page(req: &Req, title: &str, body: Markup) -> Response {
    let v: View = req.view();
    v.page(title, false, body).into_response()
}

fn error_page(req: &Req, title: &str, e: &ExecError, form: Markup) -> Response {
    let body = html! {
        h1 { (title) }
        p.error role="alert" { (e.message) }
        (form)
    };
    (e.status, page(req, title, body)).into_response()
}

#[derive(Deserialize, Default)]
pub struct Next {
    tiep: Option<String>,
}

fn login_markup(next: &str) -> Markup {
    html! {
        form method="post" action="/dang-nhap" {
            input type="hidden" name="tiep" value=(next);
            p { label { "Tên đăng nhập " input name="username" autocomplete="username" required; } }
            p { label { "Mật khẩu " input type="password" name="password" autocomplete="current-password" required; } }
            p { button type="submit" { "Đăng nhập" } }
        }
    }
}

async fn login_form(req: Req, axum::extract::Query(q): axum::extract::Query<Next>) -> Response {
    let next = q.tiep.unwrap_or_else(|| "/bao-cao".into());
    page(
        &req,
        "Đăng nhập",
        html! { h1 { "Đăng nhập" } (login_markup(&next)) },
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    tiep: String,
}

/// Only local paths: `tiep` must not send the user to another site.
fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/bao-cao"
    }
}

async fn login(
    State(st): State<AppState>,
    req: Req,
    headers: HeaderMap,
    addr: ClientAddr,
    Form(f): Form<LoginForm>,
) -> Response {
    match service::login(&st, f.username.trim(), &f.password, &addr.0).await {
        Ok((token, _, _)) => {
            let cookie = auth::session_cookie(&token, auth::secure(&st, &headers));
            (
                [(header::SET_COOKIE, cookie)],
                Redirect::to(safe_next(&f.tiep)),
            )
                .into_response()
        }
        Err(e) => error_page(&req, "Đăng nhập", &e.into(), login_markup(&f.tiep)),
    }
}

async fn logout(
    State(st): State<AppState>,
    headers: HeaderMap,
    Extension(s): Extension<Session>,
) -> Response {
    if let Err(e) = service::logout(&st, &s).await {
        return ExecError::from(e).into_response();
    }
    (
        [(
            header::SET_COOKIE,
            auth::clear_cookie(auth::secure(&st, &headers)),
        )],
        Redirect::to("/dang-nhap"),
    )
        .into_response()
}

fn password_markup(s: &Session) -> Markup {
    html! {
        form method="post" action="/doi-mat-khau" {
            input type="hidden" name="csrf" value=(s.csrf_token);
            p { label { "Mật khẩu hiện tại " input type="password" name="old_password" autocomplete="current-password" required; } }
            p { label { "Mật khẩu mới (ít nhất 10 ký tự) " input type="password" name="new_password" autocomplete="new-password" required; } }
            p { button type="submit" { "Đổi mật khẩu" } }
        }
    }
}

async fn password_form(req: Req, Extension(s): Extension<Session>) -> Response {
    let v = req.view();
    page(
        &req,
        "Đổi mật khẩu",
        html! {
            h1 { "Đổi mật khẩu" }
            @if s.user.must_change_password { p.notice #phai-doi role="status" { (v.t("w_must_change")) } }
            (password_markup(&s))
        },
    )
}

#[derive(Deserialize)]
pub struct PasswordForm {
    old_password: String,
    new_password: String,
}

async fn change_password(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Form(f): Form<PasswordForm>,
) -> Response {
    match service::change_password(&st, &s, &f.old_password, &f.new_password).await {
        Ok(()) => Redirect::to("/dang-nhap?tiep=/bao-cao").into_response(),
        Err(e) => error_page(&req, "Đổi mật khẩu", &e.into(), password_markup(&s)),
    }
}

/// `/bao-cao`: the periods, the unit's report links, its overdue work and what falls due soon.
async fn reports_home(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
) -> Response {
    let result = async {
        let periods = service::periods(&st).await?;
        let today = st.today();
        // The same list as /qua-han for this account: the district's for those who see every
        // unit, else what the unit leads.
        let overdue = service::by_activity(&service::overdue_for(&st, &s, None).await?);
        let soon = service::due_soon_for(&st, &s.user.unit, today, 30).await?;
        Ok::<_, ExecError>((periods, overdue, soon))
    }
    .await;
    let (periods, overdue, soon) = match result {
        Ok(x) => x,
        Err(e) => {
            return (
                e.status,
                page(&req, "Báo cáo", html! { p.error { (e.message) } }),
            )
                .into_response()
        }
    };
    let body = html! {
        h1 { "Báo cáo thực hiện" }
        p { a href=(SESSIONS) { (req.view().t("w_sessions")) } }
        h2 { "Kỳ báo cáo" }
        @if periods.is_empty() { p { "Chưa có kỳ báo cáo nào được mở." } }
        ul { @for p in &periods {
            li { (p.code) " — hạn nộp " (p.due_at.with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap()).format("%H:%M %d/%m/%Y"))
                 " · " a href=(format!("/bao-cao/{}/{}", p.code, s.user.unit)) { "báo cáo của đơn vị" }
                 @if s.user.role.sees_all() {
                     " · " a href=(format!("/bao-cao/{}", p.code)) { "bảng theo dõi" }
                     " · " a href=(format!("/bao-cao/ky/{}/van-ban", p.code)) { "báo cáo kỳ (.docx), bảng tính" }
                 } }
        } }
        h2 #qua-han { "Quá hạn (" span #so-qua-han data-count=(overdue.len()) { (overdue.len()) } ")" }
        p.definition { (req.view().t("overdue_definition")) }
        @if s.user.role.sees_all() {
            p { a href="/qua-han" { "Xem danh sách quá hạn theo đơn vị và lĩnh vực" } }
        } @else {
            ul { @for o in &overdue { li { (o.activity) ": " (o.text) " — " (o.deadline) " (" (o.days_late) " ngày)" } } }
        }
        h2 { "Đến hạn trong 30 ngày (" (soon.len()) ")" }
        ul { @for (id, text, d) in &soon { li { (id) ": " (text) " — " (d.text) } } }
    };
    let _ = StatusCode::OK;
    page(&req, "Báo cáo", body)
}

// ---------------------------------------------------------------------------------------------
// One's own sessions

/// `/tai-khoan/phien`: the account's sessions (started, last seen, this one marked), each with
/// a form to end it, and one to end all the others.
async fn sessions_page(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
) -> Response {
    let lines = match service::my_sessions(&st, &s).await {
        Ok(l) => l,
        Err(e) => return super::work::fail(&req, &s, e),
    };
    let v = req.view();
    let csrf = html! { input type="hidden" name="csrf" value=(s.csrf_token); };
    let body = html! {
        h1 { (v.t("w_sessions")) }
        p { (v.t("w_sessions_intro")) }
        table.list.sessions {
            thead { tr {
                th { (v.t("w_session_id")) } th { (v.t("w_session_created")) }
                th { (v.t("w_session_seen")) } th {}
            } }
            tbody { @for l in &lines {
                tr data-session=(l.id) data-current[l.current] {
                    td data-label=(v.t("w_session_id")) {
                        code { (l.id) }
                        @if l.current { " " strong.current { "(" (v.t("w_session_current")) ")" } }
                    }
                    td data-label=(v.t("w_session_created")) { (vn_time(l.created_at)) }
                    td data-label=(v.t("w_session_seen")) { (vn_time(l.last_seen_at)) }
                    td {
                        form.inline method="post" action="/tai-khoan/phien/ket-thuc" {
                            (csrf)
                            input type="hidden" name="id" value=(l.id);
                            button type="submit" { (v.t("w_session_end")) }
                        }
                    }
                }
            } }
        }
        @if lines.len() > 1 {
            form method="post" action="/tai-khoan/phien/ket-thuc-khac" {
                (csrf)
                button type="submit" data-confirm=(v.t("w_session_end_others")) { (v.t("w_session_end_others")) }
            }
        }
    };
    super::work::page(&req, &s, v.t("w_sessions"), false, body)
}

#[derive(Deserialize)]
pub struct EndSession {
    id: String,
}

/// Ends one of the account's sessions (the app refuses, and audits, an id that is not one of
/// them); ending this one signs out.
async fn end_session(
    State(st): State<AppState>,
    req: Req,
    headers: HeaderMap,
    Extension(s): Extension<Session>,
    Form(f): Form<EndSession>,
) -> Response {
    let current = cchc_app::execution::session_id(&s.token_hash) == f.id;
    if let Err(e) = service::end_session(&st, &s, f.id.trim()).await {
        return super::work::fail(&req, &s, e);
    }
    if current {
        return (
            [(
                header::SET_COOKIE,
                auth::clear_cookie(auth::secure(&st, &headers)),
            )],
            Redirect::to("/dang-nhap"),
        )
            .into_response();
    }
    Redirect::to(SESSIONS).into_response()
}

async fn end_other_sessions(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
) -> Response {
    match service::end_other_sessions(&st, &s).await {
        Ok(_) => Redirect::to(SESSIONS).into_response(),
        Err(e) => super::work::fail(&req, &s, e),
    }
}
