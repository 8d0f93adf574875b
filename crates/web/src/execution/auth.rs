//! Đăng nhập và phiên on the web: the session cookie, the CSRF token a request carries, and
//! the authorisation layer declared beside each route. Sessions and passwords themselves are
//! `cchc_app::execution::accounts`.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use cchc_domain::execution::Role;

pub use cchc_app::execution::{denied, Session};

use super::ExecError;
use crate::AppState;

pub const COOKIE: &str = "cchc_sid";

pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            c.trim()
                .strip_prefix(&format!("{COOKIE}="))
                .map(str::to_string)
        })
        .filter(|t| !t.is_empty())
}

/// Whether the cookie must be `Secure`: configured so, or the proxy says the client used TLS.
pub fn secure(state: &AppState, headers: &HeaderMap) -> bool {
    state.settings.cookie_secure
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_cookie(secure: bool) -> String {
    format!(
        "{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The client's address for throttling: the socket's peer (a proxy's own address when behind
/// one; a deployment behind a proxy should throttle there as well).
pub fn client_addr(req_ext: &axum::http::Extensions) -> String {
    req_ext
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "local".to_string())
}

/// Compares without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The CSRF token a request carries: `X-CSRF-Token`, or a form's `csrf` field.
fn carried_csrf(headers: &HeaderMap, body: &[u8]) -> Option<String> {
    if let Some(v) = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        return Some(v.to_string());
    }
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if ctype.starts_with("application/x-www-form-urlencoded") {
        let text = std::str::from_utf8(body).ok()?;
        return text
            .split('&')
            .find_map(|p| p.strip_prefix("csrf="))
            .map(str::to_string);
    }
    if ctype.starts_with("multipart/form-data") {
        let marker = b"name=\"csrf\"\r\n\r\n";
        let at = body.windows(marker.len()).position(|w| w == marker)? + marker.len();
        let end = body[at..].windows(2).position(|w| w == b"\r\n")?;
        return std::str::from_utf8(&body[at..at + end])
            .ok()
            .map(str::to_string);
    }
    None
}

/// Who may call a route. Declared beside each route in the routers:
/// `.route_layer(allow(&state, ANY))`.
pub type Roles = &'static [Role];

pub const ANY: Roles = &Role::ALL;
pub const OFFICE: Roles = &[Role::Admin, Role::StandingOffice];
pub const REVIEWERS: Roles = &[Role::StandingOffice];
pub const READ_ALL: Roles = &[Role::Admin, Role::StandingOffice, Role::Leader];
pub const UNIT_EDITORS: Roles = &[Role::Reporter];
pub const HEADS: Roles = &[Role::UnitHead];

/// The change-password page.
pub const PASSWORD_PAGE: &str = "/doi-mat-khau";

/// What an account whose password must be changed may still do: change it, or sign out.
fn allowed_before_password_change(method: &Method, path: &str) -> bool {
    matches!(
        (method.as_str(), path),
        ("GET" | "POST", PASSWORD_PAGE)
            | ("POST", "/dang-xuat")
            | ("PUT", "/api/v1/me/password")
            | ("DELETE", "/api/v1/session")
    )
}

/// The refusal of a request whose account must change its password first, unless the request
/// is one of what it may still do: a page is sent to the change-password page and the API
/// answers 403 `PasswordChangeRequired`. `None` lets it through.
pub(crate) fn require_own_password_page(
    session: &Session,
    method: &Method,
    path: &str,
) -> Option<Response> {
    if allowed_before_password_change(method, path) {
        return None;
    }
    let e =
        cchc_app::execution::require_own_password(session, &format!("{method} {path}")).err()?;
    Some(if path.starts_with("/api/") {
        ExecError::from(e).into_response()
    } else {
        Redirect::to(PASSWORD_PAGE).into_response()
    })
}

/// The authorisation middleware: a valid session, one of `roles`, and for every
/// state-changing method a matching CSRF token. A page request without a session is sent to
/// the login page; an API request gets 401.
pub async fn authorize(
    State((state, roles)): State<(AppState, Roles)>,
    req: Request,
    next: Next,
) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let token = session_token(req.headers());
    let session = match token {
        Some(t) => match cchc_app::execution::load_session(&state, &t).await {
            Ok(s) => s,
            Err(e) => return ExecError::from(e).into_response(),
        },
        None => None,
    };
    let Some(session) = session else {
        if api {
            return ExecError::not_signed_in().into_response();
        }
        let next_url = req.uri().path().to_string();
        return Redirect::to(&format!(
            "/dang-nhap?tiep={}",
            crate::shell::view::enc(&next_url)
        ))
        .into_response();
    };
    // A one-time password (the first administrator's, a reset) must be changed first: pages
    // send to the change-password page, the API answers 403 `PasswordChangeRequired`.
    if let Some(refused) = require_own_password_page(&session, req.method(), req.uri().path()) {
        return refused;
    }
    if !roles.contains(&session.user.role) {
        let what = format!("{} {}", req.method(), req.uri().path());
        denied(&state, &session, &what, None).await;
        return ExecError::forbidden(format!(
            "vai trò «{}» không được phép thực hiện thao tác này ({what})",
            session.user.role.label_vi()
        ))
        .into_response();
    }
    let (parts, body) = req.into_parts();
    let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    let refuse = |session: &Session, path: &str| {
        tracing::warn!(user = %session.user.username, path = %path, "request without a valid CSRF token refused");
        ExecError::forbidden(
            "thiếu hoặc sai mã chống giả mạo (CSRF); hãy tải lại trang rồi thử lại",
        )
        .into_response()
    };
    // A token in the header lets the body stream to the handler untouched (large imports);
    // otherwise the form body is read to find it, within the upload limit.
    let header_token = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if !unsafe_method || header_token.is_some() {
        if unsafe_method && !header_token.is_some_and(|t| same(&t, &session.csrf_token)) {
            return refuse(&session, parts.uri.path());
        }
        let mut req = Request::from_parts(parts, body);
        req.extensions_mut().insert(session);
        return next.run(req).await;
    }
    let limit = state.settings.max_upload_bytes + 1024 * 1024;
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => {
            return ExecError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "TooLarge",
                format!(
                    "nội dung gửi lên vượt quá {} MB",
                    state.settings.max_upload_bytes / (1024 * 1024)
                ),
            )
            .into_response()
        }
    };
    if !carried_csrf(&parts.headers, &bytes).is_some_and(|t| same(&t, &session.csrf_token)) {
        return refuse(&session, parts.uri.path());
    }
    let mut req = Request::from_parts(parts, Body::from(bytes));
    req.extensions_mut().insert(session);
    next.run(req).await
}
