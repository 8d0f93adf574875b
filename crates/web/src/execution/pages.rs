//! The execution pages: sign in, sign out, change password, and a reporting home listing the
//! periods and the signed-in unit's overdue work. Authorisation is declared beside each route,
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
}

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
    page(
        &req,
        "Đổi mật khẩu",
        html! { h1 { "Đổi mật khẩu" } (password_markup(&s)) },
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
        let today = cchc_app::today();
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
