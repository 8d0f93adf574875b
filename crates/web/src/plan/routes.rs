//! The plan's routes: public pages, read from the store on each request.

use axum::routing::get;
use axum::Router;

use super::pages;
use crate::AppState;

pub fn routes() -> Router<AppState> {
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
}
