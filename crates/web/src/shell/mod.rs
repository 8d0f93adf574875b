//! The shell every page shares (giao diện chung): the request's language (`?lang=en` or the
//! `lang` cookie), the page layout (`view`), labels in both languages (`i18n`), the page
//! error, the not-found page, and the embedded CSS and JS.

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cchc_app::execution::Session;
use cchc_store::StoreError;
use maud::html;

use crate::AppState;

pub mod chart;
pub mod forecast;
pub mod i18n;
pub mod view;

pub use i18n::Lang;
pub(crate) use view::Account;
use view::View;

/// The language and address of a request, and the signed-in account when there is one (every
/// page shows the same header: the account's menu and sign-out when signed in).
pub(crate) struct Req {
    pub lang: Lang,
    pub uri: Uri,
    pub account: Option<Account>,
}

impl Req {
    pub fn view(&self) -> View<'_> {
        View {
            lang: self.lang,
            uri: &self.uri,
            account: self.account.as_ref(),
        }
    }
}

pub(crate) fn query_lang(uri: &Uri) -> Option<Lang> {
    uri.query()?
        .split('&')
        .find_map(|p| p.strip_prefix("lang="))
        .and_then(Lang::parse)
}

fn cookie_lang(parts: &Parts) -> Option<Lang> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("lang="))
        .and_then(Lang::parse)
}

impl FromRequestParts<AppState> for Req {
    type Rejection = Response;

    /// The session is the one the `authorize` layer found, else the cookie's when it is valid
    /// (a public page); a session that cannot be read shows the page signed out. A public page
    /// sends an account that must change its password to the change-password page, as the
    /// `authorize` layer does on the others.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let lang = query_lang(&parts.uri)
            .or_else(|| cookie_lang(parts))
            .unwrap_or_default();
        let session = match parts.extensions.get::<Session>() {
            Some(s) => Some(s.clone()),
            None => match crate::execution::auth::session_token(&parts.headers) {
                Some(t) => cchc_app::execution::load_session(state, &t)
                    .await
                    .unwrap_or_else(|e| {
                        tracing::warn!(error = %e.message, "cannot read the session of a page");
                        None
                    }),
                None => None,
            },
        };
        if let Some(s) = &session {
            let refused = crate::execution::auth::require_own_password_page(
                s,
                &parts.method,
                parts.uri.path(),
            );
            if let Some(refused) = refused {
                return Err(refused);
            }
        }
        let account = match session {
            Some(session) => {
                let unit_name = cchc_app::execution::unit_name(state, &session.user.unit)
                    .await
                    .unwrap_or_else(|_| session.user.unit.clone());
                let unread = cchc_app::reminders::unread(state, &session)
                    .await
                    .unwrap_or_else(|e| {
                        tracing::warn!(error = %e.message, "cannot count the unread notices");
                        0
                    });
                Some(Account {
                    session,
                    unit_name,
                    unread,
                })
            }
            None => None,
        };
        Ok(Req {
            lang,
            uri: parts.uri.clone(),
            account,
        })
    }
}

/// `?lang=xx` is remembered in a cookie, so the links of the page keep the language.
/// Not on the public pages: they are cached for everyone, so they set no cookie (their
/// language is the address's `?lang=`).
pub(crate) async fn remember_lang(req: Request, next: Next) -> Response {
    let chosen = query_lang(req.uri()).filter(|_| !crate::public::is_public(req.uri().path()));
    let mut res = next.run(req).await;
    if let Some(lang) = chosen {
        let cookie = format!(
            "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.code()
        );
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// The policy every response carries: scripts and styles only from this site's own files (no
/// inline `<script>`, no `on…=` handlers, no `style=` attributes: the pages use classes), no
/// framing, no `<base>`, forms only to this site. The dashboard's bars are inline SVG, which
/// needs no source.
pub(crate) const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self'; object-src 'none'; frame-ancestors 'none'; \
     base-uri 'none'; form-action 'self'";

/// Adds the security headers to every response (pages, the API, static files, errors), unless
/// a handler set its own.
pub(crate) async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
    ] {
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    }
    res
}

/// Why a page could not be shown.
pub(crate) enum AppError {
    NotFound(Lang),
    Store(Lang, StoreError),
    /// An operation of `cchc_app` failed (its store, mostly).
    App(Lang, cchc_app::Error),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (lang, status, title, text) = match &self {
            AppError::NotFound(lang) => {
                (*lang, StatusCode::NOT_FOUND, "not_found", "not_found_text")
            }
            AppError::App(lang, e) => {
                tracing::error!(error = %e.message, "application error while rendering a page");
                (
                    *lang,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "server_error",
                    "server_error_text",
                )
            }
            AppError::Store(lang, e) => {
                tracing::error!(error = %e, "store error while rendering a page");
                (
                    *lang,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "server_error",
                    "server_error_text",
                )
            }
        };
        let uri = Uri::from_static("/");
        let v = View {
            lang,
            uri: &uri,
            account: None,
        };
        let body = html! {
            h1 { (lang.t(title)) }
            p { (lang.t(text)) }
            p { a href="/" { (lang.t("back_home")) } }
        };
        (status, v.page(lang.t(title), false, body)).into_response()
    }
}

pub(crate) async fn not_found(req: Req) -> AppError {
    AppError::NotFound(req.lang)
}

const CSS: &str = include_str!("../../assets/app.css");
const JS: &str = include_str!("../../assets/app.js");

pub(crate) async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        CSS,
    )
}

pub(crate) async fn js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        JS,
    )
}
