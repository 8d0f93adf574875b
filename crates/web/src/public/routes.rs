//! The public pages' routes (no sign-in), and the office's publish buttons (signed in, the
//! standing office and the administrator; the operation checks the role again).

use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;

use super::pages as p;
use crate::execution::auth::{authorize, OFFICE};
use crate::AppState;

pub fn routes(state: &AppState) -> Router<AppState> {
    let office = || from_fn_with_state((state.clone(), OFFICE), authorize);
    Router::new()
        .route("/cong-khai", get(p::home))
        .route("/cong-khai/linh-vuc/{no}", get(p::area))
        .route("/cong-khai/chi-tieu", get(p::targets))
        .route("/cong-khai/don-vi", get(p::timeliness))
        .route("/cong-khai/chi-so-cchc/{year}", get(p::ranking))
        .route("/cong-khai/bao-cao/{period}", get(p::report))
        .route(
            "/cong-khai/bao-cao/{period}/bao-cao.docx",
            get(p::report_docx),
        )
        .route("/cong-khai/atom.xml", get(p::atom))
        .route(
            "/chi-so-cchc/{year}/cong-khai",
            post(p::publish).route_layer(office()),
        )
        .route(
            "/bao-cao/ky/{period}/cong-khai",
            post(p::publish).route_layer(office()),
        )
}
