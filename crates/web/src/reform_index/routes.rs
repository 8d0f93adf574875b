//! The reform index's and the survey's routes; who may call each is declared beside it (the
//! operations check the scope again). The survey form is public: no sign-in.

use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;

use crate::execution::auth::{authorize, ANY, OFFICE, READ_ALL, REVIEWERS, UNIT_EDITORS};
use crate::AppState;

pub fn routes(state: &AppState) -> Router<AppState> {
    let allow = |roles| from_fn_with_state((state.clone(), roles), authorize);
    use super::{pages as p, survey as s};
    Router::new()
        .merge(super::api::routes(state).0)
        .route("/chi-so-cchc", get(p::home).route_layer(allow(ANY)))
        .route(
            "/chi-so-cchc/bo-tieu-chi",
            get(p::criteria_page).route_layer(allow(ANY)),
        )
        .route(
            "/chi-so-cchc/bo-tieu-chi/nhap",
            post(p::import_criteria).route_layer(allow(OFFICE)),
        )
        .route(
            "/chi-so-cchc/{year}",
            get(p::ranking_page).route_layer(allow(ANY)),
        )
        .route(
            "/chi-so-cchc/{year}/xep-hang.xlsx",
            get(p::ranking_xlsx).route_layer(allow(ANY)),
        )
        .route(
            "/chi-so-cchc/{year}/xep-hang.docx",
            get(p::ranking_docx).route_layer(allow(ANY)),
        )
        .route(
            "/chi-so-cchc/{year}/{unit}",
            get(p::scorecard_page).route_layer(allow(ANY)),
        )
        .route(
            "/chi-so-cchc/{year}/{unit}/tu-cham",
            post(p::self_score).route_layer(allow(UNIT_EDITORS)),
        )
        .route(
            "/chi-so-cchc/{year}/{unit}/nop",
            post(p::submit).route_layer(allow(UNIT_EDITORS)),
        )
        .route(
            "/chi-so-cchc/{year}/{unit}/tham-dinh",
            post(p::appraise).route_layer(allow(REVIEWERS)),
        )
        .route("/khao-sat", get(s::overview).route_layer(allow(READ_ALL)))
        .route(
            "/khao-sat/{unit}/ket-qua",
            get(s::results).route_layer(allow(ANY)),
        )
        .route("/khao-sat/{unit}", get(s::form).post(s::answer))
        .route("/khao-sat/{unit}/qr.svg", get(s::qr))
}
