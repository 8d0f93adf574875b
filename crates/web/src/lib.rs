//! The web interface (giao diện web): read-only pages of the plans and the unit registry, in
//! Vietnamese first (`?lang=en` or the `lang` cookie switches to English).
//!
//! Every handler reads what it shows from the [`Store`] on each request: nothing is cached,
//! as several app servers may share one PostgreSQL database.

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use cchc_store::{Store, StoreError};
use maud::html;

pub mod exec;
mod i18n;
mod pages;
pub mod report;
pub mod service_pages;
mod view;

pub use i18n::Lang;

use view::View;

pub use exec::{AppState, Settings};

/// The application's routes over `store`, with default settings.
pub fn router(store: Store) -> Router {
    router_with(store, Settings::default())
}

/// The application's routes: the plan pages, execution pages and the API.
pub fn router_with(store: Store, settings: Settings) -> Router {
    let state = AppState {
        store,
        settings: std::sync::Arc::new(settings),
    };
    let (api, _) = exec::api::routes(&state);
    Router::new()
        .route("/", get(pages::home))
        .route("/ke-hoach/{plan_id}", get(pages::plan))
        .route(
            "/ke-hoach/{plan_id}/hoat-dong/{activity_id}",
            get(pages::activity),
        )
        .route("/ke-hoach/{plan_id}/chi-tieu/{code}", get(pages::target))
        .route("/ke-hoach/{plan_id}/canh-bao", get(pages::diagnostics))
        .route("/don-vi", get(pages::units))
        .route("/don-vi/{unit_id}", get(pages::unit))
        .route("/healthz", get(pages::healthz))
        .route("/static/app.css", get(css))
        .route("/static/app.js", get(js))
        .route("/api/openapi.json", get(exec::api::openapi))
        .merge(api)
        .merge(exec::pages::routes(&state))
        .merge(exec::work::routes(&state))
        .merge(exec::office::routes(&state))
        .merge(service_pages::service_routes())
        // Imports change data: a session with its CSRF token (outer layer), then the
        // administrator, the standing office or a public service centre's staff.
        .merge(
            service_pages::import_routes()
                .layer(middleware::from_fn_with_state(
                    state.clone(),
                    exec::auth::authorize_import,
                ))
                .layer(middleware::from_fn_with_state(
                    (state.clone(), exec::auth::ANY),
                    exec::auth::authorize,
                )),
        )
        // Periodic report and table exports (report.rs).
        .merge(report::routes(&state))
        .fallback(not_found)
        .layer(axum::extract::DefaultBodyLimit::max(
            state.settings.max_upload_bytes + 1024 * 1024,
        ))
        .layer(middleware::from_fn(remember_lang))
        .with_state(state)
}

/// Binds `addr`, logs the URL and serves until Ctrl-C.
pub async fn serve(store: Store, settings: Settings, addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("cchc web listening on http://{}", listener.local_addr()?);
    axum::serve(
        listener,
        router_with(store, settings).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

/// Ctrl-C, or SIGTERM from a service manager or container runtime.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}

/// The language and address of a request.
pub(crate) struct Req {
    pub lang: Lang,
    pub uri: Uri,
}

impl Req {
    pub fn view(&self) -> View<'_> {
        View {
            lang: self.lang,
            uri: &self.uri,
        }
    }
}

fn query_lang(uri: &Uri) -> Option<Lang> {
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

impl<S: Send + Sync> FromRequestParts<S> for Req {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        let lang = query_lang(&parts.uri)
            .or_else(|| cookie_lang(parts))
            .unwrap_or_default();
        Ok(Req {
            lang,
            uri: parts.uri.clone(),
        })
    }
}

/// `?lang=xx` is remembered in a cookie, so the links of the page keep the language.
async fn remember_lang(req: Request, next: Next) -> Response {
    let chosen = query_lang(req.uri());
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

/// Why a page could not be shown.
pub(crate) enum AppError {
    NotFound(Lang),
    Store(Lang, StoreError),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (lang, status, title, text) = match &self {
            AppError::NotFound(lang) => {
                (*lang, StatusCode::NOT_FOUND, "not_found", "not_found_text")
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
        let v = View { lang, uri: &uri };
        let body = html! {
            h1 { (lang.t(title)) }
            p { (lang.t(text)) }
            p { a href="/" { (lang.t("back_home")) } }
        };
        (status, v.page(lang.t(title), false, body)).into_response()
    }
}

async fn not_found(req: Req) -> AppError {
    AppError::NotFound(req.lang)
}

const CSS: &str = include_str!("../assets/app.css");
const JS: &str = include_str!("../assets/app.js");

async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        CSS,
    )
}

async fn js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        JS,
    )
}
