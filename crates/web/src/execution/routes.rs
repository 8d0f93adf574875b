//! Execution's routes: the JSON API and its description, the sign-in pages, the unit's
//! report form and the board, the office's pages and the period's documents. Who may call each
//! is declared beside it in its module.

use axum::routing::get;
use axum::Router;

use crate::AppState;

pub fn routes(state: &AppState) -> Router<AppState> {
    let (api, _) = super::api::routes(state);
    Router::new()
        .route("/api/openapi.json", get(super::api::openapi))
        .merge(api)
        .merge(super::pages::routes(state))
        .merge(super::work::routes(state))
        .merge(super::office::routes(state))
        .merge(super::reminders::routes(state))
        .merge(super::documents::routes(state))
}
