//! Evaluation's routes: every page behind a session; the inspections and quotas written by the
//! office, initiatives and dialogues also by a unit's reporter or head (their own unit, checked
//! in `cchc_app::evaluation`). Every form carries the session's CSRF token.

use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;
use cchc_domain::execution::Role;

use super::pages as p;
use crate::execution::auth::{authorize, Roles, ANY, OFFICE};
use crate::AppState;

/// Who may enter initiatives and dialogues: the office, and a unit's reporter or head.
pub(crate) const UNIT_WRITERS: Roles = &[
    Role::Admin,
    Role::StandingOffice,
    Role::Reporter,
    Role::UnitHead,
];

pub fn routes(state: &AppState) -> Router<AppState> {
    let allow = |roles| from_fn_with_state((state.clone(), roles), authorize);
    Router::new()
        .merge(super::api::routes(state).0)
        .route("/danh-gia", get(p::overview).route_layer(allow(ANY)))
        .route(
            "/danh-gia/kiem-tra",
            get(p::inspections_page).route_layer(allow(ANY)),
        )
        .route(
            "/danh-gia/kiem-tra/them",
            post(p::add_inspection).route_layer(allow(OFFICE)),
        )
        .route(
            "/danh-gia/kiem-tra/{id}",
            post(p::update_inspection).route_layer(allow(OFFICE)),
        )
        .route(
            "/danh-gia/kiem-tra/{id}/xoa",
            post(p::delete_inspection).route_layer(allow(OFFICE)),
        )
        .route(
            "/danh-gia/kiem-tra/{id}/khac-phuc",
            post(p::add_remediation).route_layer(allow(OFFICE)),
        )
        .route(
            "/danh-gia/khac-phuc/{id}",
            post(p::update_remediation).route_layer(allow(OFFICE)),
        )
        .route(
            "/danh-gia/khac-phuc/{id}/xoa",
            post(p::delete_remediation).route_layer(allow(OFFICE)),
        )
        .route(
            "/danh-gia/sang-kien",
            get(p::initiatives_page).route_layer(allow(ANY)),
        )
        .route(
            "/danh-gia/sang-kien/them",
            post(p::add_initiative).route_layer(allow(UNIT_WRITERS)),
        )
        .route(
            "/danh-gia/sang-kien/{id}",
            post(p::update_initiative).route_layer(allow(UNIT_WRITERS)),
        )
        .route(
            "/danh-gia/sang-kien/{id}/xoa",
            post(p::delete_initiative).route_layer(allow(UNIT_WRITERS)),
        )
        .route(
            "/danh-gia/doi-thoai",
            get(p::dialogues_page).route_layer(allow(ANY)),
        )
        .route(
            "/danh-gia/doi-thoai/them",
            post(p::add_dialogue).route_layer(allow(UNIT_WRITERS)),
        )
        .route(
            "/danh-gia/doi-thoai/{id}/xoa",
            post(p::delete_dialogue).route_layer(allow(UNIT_WRITERS)),
        )
        .route(
            "/danh-gia/bien-che",
            get(p::quotas_page).route_layer(allow(ANY)),
        )
        .route(
            "/danh-gia/bien-che/luu",
            post(p::set_quota).route_layer(allow(OFFICE)),
        )
}
