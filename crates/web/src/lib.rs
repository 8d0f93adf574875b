//! The web interface (giao diện web) and the JSON API: a thin adapter over `cchc-app`. Each
//! feature has its room — `plan/`, `execution/`, `delivery/` — with its routes, pages and API;
//! `shell/` holds what every page shares (layout, language, labels, errors).
//!
//! Every handler shows what the store holds when the request begins, as several app servers
//! may share one PostgreSQL database. The heaviest pages (the dashboard, the board) and what
//! every page's frame needs (the session, the unit's name, unread notices) are kept by
//! `cchc_app::memo` under the store's data version, read once per request
//! (`cchc_store::version`): any commit, by any server, makes the next request compute afresh.

use std::net::SocketAddr;

use axum::middleware;
use axum::routing::get;
use axum::Router;
use cchc_store::Store;

mod commune_plan;
mod delivery;
mod evaluation;
pub mod execution;
mod plan;
mod public;
mod reform_index;
mod shell;

pub use cchc_app::{App as AppState, Settings};
pub use shell::Lang;
pub(crate) use shell::{AppError, Req};

/// Every route of the JSON API with the roles that may call it (what `assets/openapi.json`
/// must describe).
pub fn api_routes(state: &AppState) -> Vec<execution::api::RouteSpec> {
    let mut all = execution::api::routes(state).1;
    all.extend(evaluation::api::routes(state).1);
    all.extend(reform_index::api::routes(state).1);
    all
}

/// The application's routes over `store`, with default settings.
pub fn router(store: Store) -> Router {
    router_with(store, Settings::default())
}

/// The application's routes: the plan pages, execution pages and the API, service delivery.
pub fn router_with(store: Store, settings: Settings) -> Router {
    let state = AppState::new(store, settings);
    Router::new()
        .merge(plan::routes::routes())
        .merge(execution::routes::routes(&state))
        .merge(delivery::routes::routes(&state))
        .merge(evaluation::routes::routes(&state))
        .merge(reform_index::routes::routes(&state))
        .merge(commune_plan::routes::routes(&state))
        .merge(public::routes::routes(&state))
        .route("/static/app.css", get(shell::css))
        .route("/static/app.js", get(shell::js))
        .fallback(shell::not_found)
        .layer(axum::extract::DefaultBodyLimit::max(
            state.settings.max_upload_bytes + 1024 * 1024,
        ))
        .layer(middleware::from_fn(shell::remember_lang))
        .layer(middleware::from_fn(shell::security_headers))
        // One read of the data version per request, for everything it keeps or takes kept.
        .layer(middleware::from_fn(
            |req: axum::extract::Request, next: middleware::Next| {
                cchc_store::version::one_version_per_task(next.run(req))
            },
        ))
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
