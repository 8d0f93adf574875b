//! The JSON API under `/api/v1`, described by `assets/openapi.json`. Each route is registered
//! with the roles that may call it (`None`: no session needed), and the list is kept so that a
//! test checks the description covers every route.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Multipart, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put, MethodRouter};
use axum::{Extension, Json, Router};
use cchc_domain::execution::{ReportContent, Role};
use cchc_store::execution::AuditFilter;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Value};

use super::auth::{
    self, authorize, Roles, Session, ANY, HEADS, OFFICE, READ_ALL, REVIEWERS, UNIT_EDITORS,
};
use super::ExecError;
use crate::AppState;
use cchc_app::execution::{self as service, ReportView};

pub(crate) type ApiResult = Result<Response, ExecError>;

/// A route of the API: method, path, who may call it.
pub type RouteSpec = (&'static str, &'static str, Option<Roles>);

/// Registers API routes with their roles and keeps their list (each room's API uses it).
pub(crate) struct Builder {
    state: AppState,
    router: Router<AppState>,
    routes: Vec<RouteSpec>,
}

impl Builder {
    pub(crate) fn new(state: &AppState) -> Self {
        Builder {
            state: state.clone(),
            router: Router::new(),
            routes: Vec::new(),
        }
    }

    pub(crate) fn finish(self) -> (Router<AppState>, Vec<RouteSpec>) {
        (self.router, self.routes)
    }

    pub(crate) fn add(
        mut self,
        method: &'static str,
        path: &'static str,
        roles: Option<Roles>,
        mr: MethodRouter<AppState>,
    ) -> Self {
        let mr = match roles {
            Some(r) => mr.route_layer(from_fn_with_state((self.state.clone(), r), authorize)),
            None => mr,
        };
        self.router = self.router.route(path, mr);
        self.routes.push((method, path, roles));
        self
    }
}

const REPORT: &str = "/api/v1/periods/{period}/reports/{unit}";

/// The API's router and the list of its routes.
pub fn routes(state: &AppState) -> (Router<AppState>, Vec<RouteSpec>) {
    let b = Builder {
        state: state.clone(),
        router: Router::new(),
        routes: Vec::new(),
    }
    .add("POST", "/api/v1/session", None, post(post_session))
    .add(
        "DELETE",
        "/api/v1/session",
        Some(ANY),
        delete(delete_session),
    )
    .add("GET", "/api/v1/me", Some(ANY), get(me))
    .add(
        "PUT",
        "/api/v1/me/password",
        Some(ANY),
        put(change_password),
    )
    .add("GET", "/api/v1/periods", Some(ANY), get(list_periods))
    .add(
        "POST",
        "/api/v1/periods",
        Some(REVIEWERS),
        post(open_period),
    )
    .add(
        "GET",
        "/api/v1/periods/{period}/reports",
        Some(READ_ALL),
        get(board),
    )
    .add("GET", REPORT, Some(ANY), get(get_report))
    .add("PUT", REPORT, Some(UNIT_EDITORS), put(put_report))
    .add(
        "POST",
        "/api/v1/periods/{period}/reports/{unit}/submit",
        Some(UNIT_EDITORS),
        post(submit),
    )
    .add(
        "POST",
        "/api/v1/periods/{period}/reports/{unit}/approve",
        Some(HEADS),
        post(approve),
    )
    .add(
        "POST",
        "/api/v1/periods/{period}/reports/{unit}/review",
        Some(REVIEWERS),
        post(review),
    )
    .add(
        "GET",
        "/api/v1/periods/{period}/reports/{unit}/versions",
        Some(ANY),
        get(versions),
    )
    .add(
        "POST",
        "/api/v1/periods/{period}/reports/{unit}/files",
        Some(UNIT_EDITORS),
        post(upload),
    )
    .add("GET", "/api/v1/files/{id}", Some(ANY), get(download))
    .add(
        "GET",
        "/api/v1/periods/{period}/dashboard",
        Some(READ_ALL),
        get(dashboard),
    )
    .add("GET", "/api/v1/overdue", Some(ANY), get(overdue))
    .add("GET", "/api/v1/audit", Some(OFFICE), get(audit))
    .add(
        "PUT",
        "/api/v1/settings/approval",
        Some(REVIEWERS),
        put(set_approval),
    )
    .add("GET", "/api/v1/users", Some(OFFICE), get(list_users))
    .add("POST", "/api/v1/users", Some(OFFICE), post(add_user))
    .add(
        "POST",
        "/api/v1/users/{username}/password",
        Some(OFFICE),
        post(user_password),
    )
    .add(
        "POST",
        "/api/v1/users/{username}/disable",
        Some(OFFICE),
        post(user_disable),
    );
    b.finish()
}

pub const OPENAPI: &str = include_str!("../../assets/openapi.json");

pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// The client's IP address, for throttling.
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string())
                .unwrap_or_else(|| "local".into()),
        ))
    }
}

#[derive(Deserialize)]
struct Login {
    username: String,
    password: String,
}

async fn post_session(
    State(st): State<AppState>,
    headers: HeaderMap,
    addr: ClientAddr,
    Json(body): Json<Login>,
) -> ApiResult {
    let (token, csrf, user) =
        service::login(&st, body.username.trim(), &body.password, &addr.0).await?;
    let cookie = auth::session_cookie(&token, auth::secure(&st, &headers));
    Ok((
        [(header::SET_COOKIE, cookie)],
        Json(json!({"csrf_token": csrf, "username": user.username, "unit": user.unit, "role": user.role,
            "must_change_password": user.must_change_password})),
    )
        .into_response())
}

async fn delete_session(
    State(st): State<AppState>,
    headers: HeaderMap,
    Extension(s): Extension<Session>,
) -> ApiResult {
    service::logout(&st, &s).await?;
    Ok((
        [(
            header::SET_COOKIE,
            auth::clear_cookie(auth::secure(&st, &headers)),
        )],
        StatusCode::NO_CONTENT,
    )
        .into_response())
}

async fn me(Extension(s): Extension<Session>) -> ApiResult {
    Ok(Json(json!({"username": s.user.username, "unit": s.user.unit, "role": s.user.role, "csrf_token": s.csrf_token})).into_response())
}

#[derive(Deserialize)]
struct ChangePassword {
    old_password: String,
    new_password: String,
}

async fn change_password(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    Json(b): Json<ChangePassword>,
) -> ApiResult {
    service::change_password(&st, &s, &b.old_password, &b.new_password).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn list_periods(State(st): State<AppState>) -> ApiResult {
    let periods = service::periods(&st).await?;
    Ok(Json(json!({"periods": periods})).into_response())
}

#[derive(Deserialize)]
struct OpenPeriod {
    period: String,
    due: String,
}

async fn open_period(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    Json(b): Json<OpenPeriod>,
) -> ApiResult {
    let p = service::open_period(&st, &s, &b.period, &b.due).await?;
    Ok((StatusCode::CREATED, Json(p)).into_response())
}

async fn board(State(st): State<AppState>, Path(period): Path<String>) -> ApiResult {
    let (p, lines) = service::board(&st, &period).await?;
    Ok(Json(json!({"period": p.code, "due": p.due_at, "reports": lines})).into_response())
}

/// The report in the contract's shape.
pub fn report_json(v: &ReportView) -> Value {
    let items: Vec<Value> = v
        .lines
        .iter()
        .map(|l| {
            json!({
                "activity": l.activity, "text": l.text, "deadline": l.deadline,
                "involvement": l.involvement, "status": l.item.status, "note": l.item.note,
                "evidence": l.item.evidence, "difficulties": l.item.difficulties,
                "proposals": l.item.proposals,
            })
        })
        .collect();
    json!({
        "period": v.period, "unit": v.unit, "unit_name": v.unit_name, "state": v.state,
        "version": v.version, "due": v.due_at, "submitted_at": v.submitted_at, "items": items,
        "targets": v.targets, "review": v.review, "approval_required": v.approval_required,
    })
}

async fn get_report(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    Path((period, unit)): Path<(String, String)>,
) -> ApiResult {
    Ok(Json(report_json(
        &service::report(&st, &s, &period, &unit).await?,
    ))
    .into_response())
}

#[derive(Deserialize)]
struct PutReport {
    version: i64,
    #[serde(flatten)]
    content: ReportContent,
}

async fn put_report(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    Path((period, unit)): Path<(String, String)>,
    Json(b): Json<PutReport>,
) -> ApiResult {
    Ok(Json(report_json(
        &service::save_report(&st, &s, &period, &unit, b.version, b.content).await?,
    ))
    .into_response())
}

#[derive(Deserialize, Default)]
struct VersionOnly {
    version: Option<i64>,
}

async fn submit(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    Path((period, unit)): Path<(String, String)>,
    body: Option<Json<VersionOnly>>,
) -> ApiResult {
    let version = body.and_then(|b| b.0.version);
    Ok(Json(report_json(
        &service::submit_report(&st, &s, &period, &unit, version).await?,
    ))
    .into_response())
}

async fn approve(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    Path((period, unit)): Path<(String, String)>,
) -> ApiResult {
    Ok(Json(report_json(
        &service::approve_report(&st, &s, &period, &unit).await?,
    ))
    .into_response())
}

#[derive(Deserialize)]
struct ReviewBody {
    decision: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    items: BTreeMap<String, String>,
}

async fn review(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    Path((period, unit)): Path<(String, String)>,
    Json(b): Json<ReviewBody>,
) -> ApiResult {
    Ok(Json(report_json(
        &service::review_report(&st, &s, &period, &unit, &b.decision, &b.comment, b.items).await?,
    ))
    .into_response())
}

async fn versions(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    Path((period, unit)): Path<(String, String)>,
) -> ApiResult {
    Ok(
        Json(json!({"versions": service::report_versions(&st, &s, &period, &unit).await?}))
            .into_response(),
    )
}

/// Reads the first `file` part of a multipart body.
pub async fn read_file_part(mut m: Multipart) -> Result<(String, Vec<u8>), ExecError> {
    while let Some(field) = m
        .next_field()
        .await
        .map_err(|e| ExecError::invalid(format!("nội dung tải lên không đọc được: {e}")))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("tep").to_string();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| ExecError::invalid(format!("tệp «{name}» không đọc được: {e}")))?;
            return Ok((name, bytes.to_vec()));
        }
    }
    Err(ExecError::invalid("không có tệp nào trong trường «file»"))
}

async fn upload(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    Path((period, unit)): Path<(String, String)>,
    m: Multipart,
) -> ApiResult {
    let (name, bytes) = read_file_part(m).await?;
    let f = service::upload(&st, &s, &period, &unit, &name, &bytes).await?;
    Ok((StatusCode::CREATED, Json(f)).into_response())
}

pub fn file_response(f: &cchc_store::execution::FileRecord, bytes: Vec<u8>) -> Response {
    let mime = cchc_domain::execution::FileKind::parse(&f.kind)
        .map_or("application/octet-stream", |k| k.mime());
    let ascii: String = f
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
                    crate::shell::view::enc(&f.name)
                ),
            ),
            (
                header::HeaderName::from_static("x-content-type-options"),
                "nosniff".to_string(),
            ),
            (
                header::HeaderName::from_static("x-checksum-sha256"),
                f.sha256.clone(),
            ),
        ],
        bytes,
    )
        .into_response()
}

async fn download(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    Path(id): Path<String>,
) -> ApiResult {
    let (f, bytes) = service::download(&st, &s, &id).await?;
    Ok(file_response(&f, bytes))
}

async fn dashboard(State(st): State<AppState>, Path(period): Path<String>) -> ApiResult {
    Ok(Json(service::dashboard(&st, &period).await?).into_response())
}

#[derive(Deserialize)]
struct OverdueQuery {
    unit: Option<String>,
}

async fn overdue(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    Query(q): Query<OverdueQuery>,
) -> ApiResult {
    let lines = service::overdue_for(&st, &s, q.unit.as_deref()).await?;
    let activities = service::by_activity(&lines).len();
    Ok(Json(json!({
        "overdue": lines,
        "activities": activities,
        "definition": service::OVERDUE_DEFINITION,
    }))
    .into_response())
}

#[derive(Deserialize)]
pub struct AuditQuery {
    pub unit: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// The page, from 1 (`?page=` on the API, `?trang=` on `/nhat-ky`).
    pub page: Option<String>,
    pub trang: Option<String>,
}

impl AuditQuery {
    /// The page asked for, 1 when none.
    pub fn page_number(&self) -> Result<i64, ExecError> {
        let (field, v) = match (&self.page, &self.trang) {
            (Some(v), _) => ("page", v),
            (None, Some(v)) => ("trang", v),
            (None, None) => return Ok(1),
        };
        if v.is_empty() {
            return Ok(1);
        }
        v.parse::<i64>().ok().filter(|n| *n >= 1).ok_or_else(|| {
            ExecError::invalid(format!(
                "tham số «{field}»: «{v}» không phải số trang (1, 2, …)"
            ))
        })
    }

    /// The query string of page `page` with the same filter, under the parameter `name`.
    pub fn with_page(&self, name: &str, page: i64) -> String {
        let mut q: Vec<String> = Vec::new();
        for (k, v) in [("unit", &self.unit), ("from", &self.from), ("to", &self.to)] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                q.push(format!("{k}={}", crate::shell::view::enc(v)));
            }
        }
        q.push(format!("{name}={page}"));
        q.join("&")
    }

    pub fn filter(&self) -> Result<AuditFilter, ExecError> {
        let time = |field: &str,
                    v: &Option<String>,
                    end: bool|
         -> Result<Option<DateTime<Utc>>, ExecError> {
            let Some(v) = v.as_deref().filter(|v| !v.is_empty()) else {
                return Ok(None);
            };
            if let Ok(t) = DateTime::parse_from_rfc3339(v) {
                return Ok(Some(t.with_timezone(&Utc)));
            }
            let d = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| {
                ExecError::invalid(format!(
                    "tham số «{field}»: «{v}» không phải ngày (2024-06-20) hoặc thời điểm RFC 3339"
                ))
            })?;
            let t = if end {
                d.and_hms_opt(23, 59, 59)
            } else {
                d.and_hms_opt(0, 0, 0)
            }
            .expect("valid time");
            Ok(Some((t - chrono::Duration::hours(7)).and_utc()))
        };
        Ok(AuditFilter {
            unit: self.unit.clone().filter(|u| !u.is_empty()),
            from: time("from", &self.from, false)?,
            to: time("to", &self.to, true)?,
        })
    }
}

/// A page of the audit log, newest first, with the total and the links to the pages around.
async fn audit(State(st): State<AppState>, Query(q): Query<AuditQuery>) -> ApiResult {
    let page = q.page_number()?;
    let found = service::audit_page(&st, &q.filter()?, page).await?;
    let per = service::AUDIT_PAGE_SIZE;
    let pages = (found.total + per - 1) / per;
    let link = |p: i64| format!("/api/v1/audit?{}", q.with_page("page", p));
    Ok(Json(json!({
        "entries": found.entries,
        "page": page,
        "per_page": per,
        "total": found.total,
        "pages": pages,
        "next": (page < pages).then(|| link(page + 1)),
        "prev": (page > 1).then(|| link((page - 1).min(pages.max(1)))),
    }))
    .into_response())
}

#[derive(Deserialize)]
struct Approval {
    required: bool,
}

async fn set_approval(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    Json(b): Json<Approval>,
) -> ApiResult {
    service::set_approval(&st, &s, b.required).await?;
    Ok(Json(json!({"required": b.required})).into_response())
}

async fn list_users(State(st): State<AppState>) -> ApiResult {
    Ok(Json(json!({"users": service::users(&st).await?})).into_response())
}

#[derive(Deserialize)]
struct AddUser {
    username: String,
    unit: String,
    role: String,
    password: String,
}

/// Only the administrator creates administrators and standing-office accounts.
pub(crate) fn may_grant(s: &Session, role: Role) -> Result<(), ExecError> {
    if s.user.role != Role::Admin && matches!(role, Role::Admin | Role::StandingOffice) {
        return Err(ExecError::forbidden(
            "chỉ quản trị hệ thống được tạo tài khoản quản trị hoặc cơ quan thường trực",
        ));
    }
    Ok(())
}

async fn add_user(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    Json(b): Json<AddUser>,
) -> ApiResult {
    let role = Role::parse(&b.role).map_err(ExecError::invalid)?;
    may_grant(&s, role)?;
    let u = service::add_user(
        &st,
        &s.user.username,
        &b.username,
        &b.unit,
        role,
        &b.password,
        false,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(u)).into_response())
}

#[derive(Deserialize)]
struct NewPassword {
    password: String,
}

async fn user_password(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    Path(username): Path<String>,
    Json(b): Json<NewPassword>,
) -> ApiResult {
    service::set_password(&st, &s.user.username, &username, &b.password).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn user_disable(
    State(st): State<AppState>,
    Extension(s): Extension<Session>,
    Path(username): Path<String>,
) -> ApiResult {
    service::disable_user(&st, &s.user.username, &username).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Reads a JSON object into a form-shaped input (every field text, as the pages send it):
/// numbers and booleans are taken as their text and `null` as empty, so `{"year": 2024}` and
/// `{"year": "2024"}` are the same; the operation parses and checks each field.
pub(crate) fn form_body<T: serde::de::DeserializeOwned>(body: Value) -> Result<T, ExecError> {
    let Value::Object(map) = body else {
        return Err(ExecError::invalid(
            "nội dung gửi lên phải là một đối tượng JSON ({\"tên trường\": giá trị, …})",
        ));
    };
    let map: serde_json::Map<String, Value> = map
        .into_iter()
        .map(|(k, v)| {
            let v = match v {
                Value::Null => Value::String(String::new()),
                Value::Number(n) => Value::String(n.to_string()),
                Value::Bool(b) => Value::String(b.to_string()),
                v => v,
            };
            (k, v)
        })
        .collect();
    serde_json::from_value(Value::Object(map))
        .map_err(|e| ExecError::invalid(format!("nội dung gửi lên không hợp lệ: {e}")))
}
