//! The commune plans' routes; who may call each is declared beside it (the operations in
//! `cchc_app::commune_plan` check the scope again).

use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;
use cchc_domain::execution::Role;

use crate::execution::auth::{authorize, Roles, ANY, REVIEWERS};
use crate::AppState;

/// A commune's reporter or head edits and issues; the standing office may also import.
const COMMUNE_WRITERS: Roles = &[Role::Reporter, Role::UnitHead];
const IMPORTERS: Roles = &[Role::Reporter, Role::UnitHead, Role::StandingOffice];

pub fn routes(state: &AppState) -> Router<AppState> {
    let allow = |roles| from_fn_with_state((state.clone(), roles), authorize);
    use super::pages as p;
    Router::new()
        .route("/ke-hoach-xa", get(p::home).route_layer(allow(ANY)))
        .route(
            "/ke-hoach-xa/{year}",
            get(p::overview).route_layer(allow(ANY)),
        )
        .route(
            "/ke-hoach-xa/{year}/lap-du-thao",
            post(p::generate).route_layer(allow(REVIEWERS)),
        )
        .route(
            "/ke-hoach-xa/{year}/{unit}",
            get(p::plan_page).route_layer(allow(ANY)),
        )
        .route(
            "/ke-hoach-xa/{year}/{unit}/sua",
            post(p::edit).route_layer(allow(COMMUNE_WRITERS)),
        )
        .route(
            "/ke-hoach-xa/{year}/{unit}/ban-hanh",
            post(p::issue).route_layer(allow(COMMUNE_WRITERS)),
        )
        .route(
            "/ke-hoach-xa/{year}/{unit}/nhap",
            post(p::import).route_layer(allow(IMPORTERS)),
        )
}
