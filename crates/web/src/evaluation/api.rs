//! Evaluation's JSON API under `/api/v1/evaluation`: the registries behind targets 1.2, 1.3,
//! 3.7 and 4.2 (inspections, initiatives, dialogues, staffing) and the targets measured from
//! them. Bodies take the pages' fields (text or numbers); `cchc_app::evaluation` parses them
//! and checks the scope, as for the pages.

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post, put};
use axum::{Extension, Json, Router};
use serde_json::{json, Value};

use super::routes::UNIT_WRITERS;
use crate::execution::api::{form_body, read_file_part, ApiResult, Builder, RouteSpec};
use crate::execution::auth::{Session, ANY, OFFICE};
use crate::AppState;
use cchc_app::evaluation as eval;

pub fn routes(state: &AppState) -> (Router<AppState>, Vec<RouteSpec>) {
    Builder::new(state)
        .add(
            "GET",
            "/api/v1/evaluation/{year}/targets",
            Some(ANY),
            get(targets),
        )
        .add(
            "GET",
            "/api/v1/evaluation/{year}/inspections",
            Some(ANY),
            get(inspections),
        )
        .add(
            "POST",
            "/api/v1/evaluation/inspections",
            Some(OFFICE),
            post(add_inspection),
        )
        .add(
            "GET",
            "/api/v1/evaluation/inspections/{id}/files",
            Some(ANY),
            get(minutes_files),
        )
        .add(
            "POST",
            "/api/v1/evaluation/inspections/{id}/files",
            Some(OFFICE),
            post(upload_minutes),
        )
        .add(
            "GET",
            "/api/v1/evaluation/{year}/initiatives",
            Some(ANY),
            get(initiatives),
        )
        .add(
            "POST",
            "/api/v1/evaluation/initiatives",
            Some(UNIT_WRITERS),
            post(add_initiative),
        )
        .add(
            "GET",
            "/api/v1/evaluation/{year}/dialogues",
            Some(ANY),
            get(dialogues),
        )
        .add(
            "POST",
            "/api/v1/evaluation/dialogues",
            Some(UNIT_WRITERS),
            post(add_dialogue),
        )
        .add(
            "GET",
            "/api/v1/evaluation/{year}/staffing",
            Some(ANY),
            get(staffing),
        )
        .add(
            "PUT",
            "/api/v1/evaluation/staffing",
            Some(OFFICE),
            put(set_staffing),
        )
        .finish()
}

fn created(id: i64) -> ApiResult {
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

async fn targets(State(st): State<AppState>, Path(year): Path<i32>) -> ApiResult {
    Ok(
        Json(json!({ "year": year, "targets": eval::measure(&st, year, None).await? }))
            .into_response(),
    )
}

async fn inspections(State(st): State<AppState>, Path(year): Path<i32>) -> ApiResult {
    Ok(
        Json(json!({ "year": year, "inspections": eval::list_inspections(&st, year).await? }))
            .into_response(),
    )
}

async fn add_inspection(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    Json(b): Json<Value>,
) -> ApiResult {
    created(eval::add_inspection(&st, &s, &form_body(b)?).await?)
}

async fn minutes_files(State(st): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    Ok(Json(json!({ "files": eval::minutes_files(&st, id).await? })).into_response())
}

/// A file of the inspection's minutes (multipart field `file`).
async fn upload_minutes(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    Path(id): Path<i64>,
    m: Multipart,
) -> ApiResult {
    let (name, bytes) = read_file_part(m).await?;
    let f = eval::upload_minutes(&st, &s, id, &name, &bytes).await?;
    Ok((StatusCode::CREATED, Json(f)).into_response())
}

async fn initiatives(State(st): State<AppState>, Path(year): Path<i32>) -> ApiResult {
    Ok(
        Json(json!({ "year": year, "initiatives": eval::list_initiatives(&st, year).await? }))
            .into_response(),
    )
}

async fn add_initiative(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    Json(b): Json<Value>,
) -> ApiResult {
    created(eval::add_initiative(&st, &s, &form_body(b)?).await?)
}

async fn dialogues(State(st): State<AppState>, Path(year): Path<i32>) -> ApiResult {
    Ok(
        Json(json!({ "year": year, "dialogues": eval::list_dialogues(&st, year).await? }))
            .into_response(),
    )
}

async fn add_dialogue(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    Json(b): Json<Value>,
) -> ApiResult {
    created(eval::add_dialogue(&st, &s, &form_body(b)?).await?)
}

/// The year's quotas and the year before's (target 4.2 compares them).
async fn staffing(State(st): State<AppState>, Path(year): Path<i32>) -> ApiResult {
    Ok(Json(json!({
        "year": year,
        "quotas": eval::list_quotas(&st, &[year - 1, year]).await?,
    }))
    .into_response())
}

async fn set_staffing(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    Json(b): Json<Value>,
) -> ApiResult {
    eval::set_quota(&st, &s, &form_body(b)?).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
