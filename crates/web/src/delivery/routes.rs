//! Service delivery's routes: the read-only measure and dossier pages, and the import page,
//! which changes data and so sits behind a session, its CSRF token and the import scope.

use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use cchc_app::execution::Session;

use super::pages::{
    dossier_list, import_page, job_status, measure_page, overview, start_import, JOBS,
};
use crate::execution::auth::{authorize, ANY};
use crate::execution::ExecError;
use crate::AppState;

pub fn routes(state: &AppState) -> Router<AppState> {
    let reading = Router::new()
        .route("/chi-so", get(overview))
        .route("/chi-so/{measure}", get(measure_page))
        .route("/ho-so", get(dossier_list));
    // A session with its CSRF token (outer layer), then the import scope.
    let importing = Router::new()
        .route("/nhap-du-lieu", get(import_page))
        .route("/nhap-du-lieu/{kind}", post(start_import))
        .route("/nhap-du-lieu/tien-do/{job}", get(job_status))
        .layer(Extension(JOBS.clone()))
        .layer(middleware::from_fn_with_state(state.clone(), may_import))
        .layer(middleware::from_fn_with_state(
            (state.clone(), ANY),
            authorize,
        ));
    reading.merge(importing)
}

/// The administrator, the standing office or a public service centre's staff
/// (`cchc_app::delivery::authorize_import`).
async fn may_import(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(session) = req.extensions().get::<Session>().cloned() else {
        return ExecError::not_signed_in().into_response();
    };
    let what = format!("{} {}", req.method(), req.uri().path());
    match cchc_app::delivery::authorize_import(&state, &session, &what).await {
        Ok(()) => next.run(req).await,
        Err(e) => ExecError::from(e).into_response(),
    }
}
