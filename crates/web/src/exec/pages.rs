//! The execution pages (placeholder until the pages land).
use super::AppState;
use axum::Router;
pub fn routes(_state: &AppState) -> Router<AppState> {
    Router::new()
}
