//! The reform index's JSON API under `/api/v1/reform-index`: the year's criteria set, the
//! ranking, a commune's scorecard, its self-scores and submission, the office's appraisal.
//! Every scope check is in `cchc_app::reform_index`.

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post, put};
use axum::{Extension, Json, Router};
use cchc_domain::evaluation::{Appraisal, AppraisalDecision, Evidence, SelfScore};
use serde::Deserialize;
use serde_json::{json, Value};

use super::pages::{code, points};
use crate::execution::api::{read_file_part, ApiResult, Builder, RouteSpec};
use crate::execution::auth::{Session, ANY, OFFICE, REVIEWERS, UNIT_EDITORS};
use crate::execution::ExecError;
use crate::AppState;
use cchc_app::reform_index as ri;

const CARD: &str = "/api/v1/reform-index/{year}/units/{unit}";

pub fn routes(state: &AppState) -> (Router<AppState>, Vec<RouteSpec>) {
    Builder::new(state)
        .add(
            "GET",
            "/api/v1/reform-index/{year}/criteria",
            Some(ANY),
            get(criteria),
        )
        .add(
            "POST",
            "/api/v1/survey/paper",
            Some(OFFICE),
            post(paper_survey),
        )
        .add(
            "GET",
            "/api/v1/reform-index/{year}/ranking",
            Some(ANY),
            get(ranking),
        )
        .add("GET", CARD, Some(ANY), get(scorecard))
        .add(
            "PUT",
            "/api/v1/reform-index/{year}/units/{unit}/scores",
            Some(UNIT_EDITORS),
            put(self_score),
        )
        .add(
            "POST",
            "/api/v1/reform-index/{year}/units/{unit}/files",
            Some(UNIT_EDITORS),
            post(upload),
        )
        .add(
            "POST",
            "/api/v1/reform-index/{year}/units/{unit}/submit",
            Some(UNIT_EDITORS),
            post(submit),
        )
        .add(
            "POST",
            "/api/v1/reform-index/{year}/units/{unit}/appraisals",
            Some(REVIEWERS),
            post(appraise),
        )
        .finish()
}

async fn criteria(State(st): State<AppState>, Path(year): Path<i32>) -> ApiResult {
    let v = ri::criteria_set(&st, year).await?;
    Ok(Json(json!({ "year": year, "sample": v.sample, "set": v.set })).into_response())
}

async fn ranking(State(st): State<AppState>, Path(year): Path<i32>) -> ApiResult {
    let r = ri::ranking(&st, year).await?;
    let rows: Vec<Value> = r
        .rows
        .iter()
        .map(|row| {
            json!({
                "unit": row.unit.id, "unit_name": row.unit.name, "rank": row.ranked.rank,
                "total": row.ranked.total, "max": row.ranked.max, "index": row.ranked.index,
                "band": row.band, "band_vi": row.band.label_vi(), "state": row.state,
                "pending_appraisal": row.pending, "change": row.change,
            })
        })
        .collect();
    Ok(Json(json!({
        "year": year, "set": r.criteria.set.id(), "sample": r.criteria.sample, "ranking": rows,
    }))
    .into_response())
}

/// A commune's card as the API shows it: scores, evidence, appraisal, survey, band.
async fn card_json(st: &AppState, s: &Session, year: i32, unit: &str) -> ApiResult {
    let c = ri::scorecard(st, s, year, unit).await?;
    let files = ri::evidence_files(st, year, unit).await?;
    Ok(Json(json!({
        "files": files,
        "year": year, "unit": c.unit.id, "unit_name": c.unit.name, "state": c.state,
        "index": c.card.index(), "band": c.band, "band_vi": c.band.label_vi(),
        "scorecard": c.card, "evaluation": c.evaluation, "survey": c.survey,
        "may_score": c.may_score, "may_appraise": c.may_appraise,
    }))
    .into_response())
}

async fn scorecard(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    Path((year, unit)): Path<(i32, String)>,
) -> ApiResult {
    card_json(&st, &s, year, &unit).await
}

/// Points as a JSON number (`2.5`) or text (`"2,5"`).
fn points_of(v: &Value, criterion: &str) -> Result<cchc_domain::evaluation::Points, ExecError> {
    let text = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => String::new(),
    };
    points(&text, criterion)
}

#[derive(Deserialize)]
struct ScoreBody {
    criterion: String,
    #[serde(default)]
    score: Value,
    /// `[{"type": "document", "number": …, "date": "2024-12-15"}, {"type": "file", "id": …},
    /// {"type": "explanation", "text": …}]`.
    #[serde(default)]
    evidence: Value,
}

async fn self_score(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    Path((year, unit)): Path<(i32, String)>,
    Json(b): Json<ScoreBody>,
) -> ApiResult {
    let evidence: Vec<Evidence> = match b.evidence {
        Value::Null => Vec::new(),
        v => serde_json::from_value(v).map_err(|e| {
            ExecError::invalid(format!(
                "tiêu chí «{}»: tài liệu kiểm chứng không hợp lệ ({e}); mỗi mục là \
                 {{\"type\": \"document\", \"number\", \"date\"}}, {{\"type\": \"file\", \"id\"}} \
                 hoặc {{\"type\": \"explanation\", \"text\"}}",
                b.criterion
            ))
        })?,
    };
    let score = SelfScore {
        criterion: code(&b.criterion)?,
        score: points_of(&b.score, &b.criterion)?,
        evidence,
    };
    ri::self_score(&st, &s, year, &unit, score).await?;
    card_json(&st, &s, year, &unit).await
}

/// An evidence file (multipart field `file`); a self-score then cites its id.
async fn upload(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    Path((year, unit)): Path<(i32, String)>,
    m: Multipart,
) -> ApiResult {
    let (name, bytes) = read_file_part(m).await?;
    let f = ri::upload_evidence(&st, &s, year, &unit, &name, &bytes).await?;
    Ok((StatusCode::CREATED, Json(f)).into_response())
}

/// Paper questionnaires as a CSV or XLSX file (multipart field `file`), all or none.
async fn paper_survey(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    m: Multipart,
) -> ApiResult {
    let (name, bytes) = read_file_part(m).await?;
    let tmp = super::pages::temp_copy("phieu-giay-", &name, &bytes)?;
    let n = ri::import_paper_survey(&st, &s, tmp.path(), &name).await?;
    Ok((StatusCode::CREATED, Json(json!({ "stored": n }))).into_response())
}

async fn submit(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    Path((year, unit)): Path<(i32, String)>,
) -> ApiResult {
    ri::submit(&st, &s, year, &unit).await?;
    card_json(&st, &s, year, &unit).await
}

#[derive(Deserialize)]
struct AppraisalBody {
    criterion: String,
    /// `accept` or `change`.
    decision: String,
    #[serde(default)]
    score: Value,
    #[serde(default)]
    reason: String,
}

async fn appraise(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    Path((year, unit)): Path<(i32, String)>,
    Json(b): Json<AppraisalBody>,
) -> ApiResult {
    let decision = match b.decision.trim() {
        "accept" => AppraisalDecision::Accept,
        "change" => AppraisalDecision::Change {
            score: points_of(&b.score, &b.criterion)?,
            reason: cchc_domain::text::clean(&b.reason),
        },
        other => {
            return Err(ExecError::invalid(format!(
                "tiêu chí «{}»: kết luận «{other}» không hợp lệ; chỉ «accept» (giữ nguyên) hoặc \
                 «change» (điều chỉnh điểm, kèm lý do)",
                b.criterion
            )))
        }
    };
    let a = Appraisal {
        criterion: code(&b.criterion)?,
        decision,
    };
    ri::appraise(&st, &s, year, &unit, a).await?;
    card_json(&st, &s, year, &unit).await
}
