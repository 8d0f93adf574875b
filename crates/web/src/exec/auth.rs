//! Đăng nhập và phiên: Argon2id password hashes, server-side sessions keyed by the SHA-256 of
//! a random cookie token, CSRF tokens, and the authorisation layer declared beside each route.

use std::net::SocketAddr;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::SaltString;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use cchc_domain::execution::{sha256_hex, Role};
use cchc_store::execution::{AuditDraft, User};
use chrono::Utc;
use rand::RngCore;

use super::{AppState, ExecError};

pub const COOKIE: &str = "cchc_sid";

/// The signed-in account of a request, put in the request's extensions by [`authorize`].
#[derive(Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub token_hash: String,
}

/// Hashes a password with Argon2id (the crate's defaults: 19 MiB, 2 passes).
pub fn hash_password(password: &str) -> Result<String, ExecError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| {
            tracing::error!(error = %e, "password hashing failed");
            ExecError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "ServerError",
                "không mã hóa được mật khẩu",
            )
        })
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A password policy short enough to remember: at least 10 characters.
pub fn check_new_password(password: &str) -> Result<(), ExecError> {
    if password.chars().count() < 10 {
        return Err(ExecError::invalid("mật khẩu mới phải có ít nhất 10 ký tự"));
    }
    Ok(())
}

/// 32 random bytes as hex.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A password for people to type: 16 letters and digits without look-alikes.
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut b = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter()
        .map(|x| ALPHABET[*x as usize % ALPHABET.len()] as char)
        .collect()
}

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

/// Loads the session of a cookie token, ending it when idle or too old.
pub async fn load_session(state: &AppState, token: &str) -> Result<Option<Session>, ExecError> {
    let x = state.x()?;
    let token_hash = sha256_hex(token.as_bytes());
    let Some(s) = x.get_session(&token_hash).await? else {
        return Ok(None);
    };
    let now = Utc::now();
    let idle = chrono::Duration::from_std(state.settings.idle_timeout).unwrap_or_default();
    let absolute = chrono::Duration::from_std(state.settings.absolute_timeout).unwrap_or_default();
    if s.user.disabled || now - s.last_seen_at > idle || now - s.created_at > absolute {
        x.delete_session(&token_hash).await?;
        return Ok(None);
    }
    // Touch at most once a minute: a page view need not be a write.
    if now - s.last_seen_at > chrono::Duration::seconds(60) {
        x.touch_session(&token_hash, now).await?;
    }
    Ok(Some(Session {
        user: s.user,
        csrf_token: s.csrf_token,
        token_hash,
    }))
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
        Some(t) => match load_session(&state, &t).await {
            Ok(s) => s,
            Err(e) => return e.into_response(),
        },
        None => None,
    };
    let Some(session) = session else {
        if api {
            return ExecError::new(
                StatusCode::UNAUTHORIZED,
                "NotSignedIn",
                "chưa đăng nhập hoặc phiên đã hết hạn; hãy đăng nhập lại",
            )
            .into_response();
        }
        let next_url = req.uri().path().to_string();
        return Redirect::to(&format!("/dang-nhap?tiep={}", crate::view::enc(&next_url)))
            .into_response();
    };
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

/// Who may import the procedure catalogue and dossiers, behind [`authorize`] (any role): the
/// administrator and the standing office, and the staff (reporter, unit head) of a public
/// service centre (Trung tâm Phục vụ hành chính công), whose one-stop system the files come from.
pub async fn authorize_import(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(session) = req.extensions().get::<Session>().cloned() else {
        return ExecError::new(
            StatusCode::UNAUTHORIZED,
            "NotSignedIn",
            "chưa đăng nhập hoặc phiên đã hết hạn; hãy đăng nhập lại",
        )
        .into_response();
    };
    if may_import(&state, &session.user).await {
        return next.run(req).await;
    }
    let what = format!("{} {}", req.method(), req.uri().path());
    denied(&state, &session, &what, None).await;
    ExecError::forbidden(format!(
        "chỉ cơ quan thường trực CCHC, quản trị hệ thống và cán bộ Trung tâm Phục vụ hành chính \
         công được nhập danh mục TTHC và hồ sơ; tài khoản «{}» ({}) không được phép ({what})",
        session.user.username,
        session.user.role.label_vi()
    ))
    .into_response()
}

async fn may_import(state: &AppState, user: &User) -> bool {
    if OFFICE.contains(&user.role) {
        return true;
    }
    if !matches!(user.role, Role::Reporter | Role::UnitHead) {
        return false;
    }
    match state.store.list_units().await {
        Ok(units) => units.iter().any(|u| {
            u.id.as_str() == user.unit && u.kind == cchc_domain::unit::UnitKind::PublicServiceCentre
        }),
        Err(e) => {
            tracing::error!(error = %e, "cannot read the units to authorise an import");
            false
        }
    }
}

/// Logs and audits a refused access (a user who edits an id in a URL or a body).
pub async fn denied(state: &AppState, session: &Session, what: &str, unit: Option<&str>) {
    tracing::warn!(user = %session.user.username, unit = %session.user.unit, what, "access denied");
    if let Ok(x) = state.x() {
        let draft = AuditDraft::new(
            &session.user.username,
            "access.denied",
            what.to_string(),
            unit,
        );
        if let Err(e) = x.append_audit(&draft).await {
            tracing::error!(error = %e, "cannot audit a refused access");
        }
    }
}
