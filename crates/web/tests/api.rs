//! The JSON API over the real Đức Thọ plan, on SQLite and on PostgreSQL: the report flow and
//! every forbidden path (wrong password, throttling, CSRF, scope, stale version, illegal
//! transitions, file type and size, file download out of scope).

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use cchc_domain::execution::{report_activities, verify_chain, AuditAction, Role};
use cchc_domain::{Period, UnitId};
use cchc_store::execution::AuditFilter;
use cchc_web::Settings;
use serde_json::{json, Value};
use tower::ServiceExt;

struct Api {
    app: common::TestApp,
    router: Router,
    settings: Settings,
    _files: tempfile::TempDir,
}

struct Client {
    cookie: Option<String>,
    csrf: Option<String>,
}

struct Res {
    status: StatusCode,
    json: Value,
    set_cookie: Option<String>,
    bytes: Vec<u8>,
}

const PW: &str = "mat-khau-dai-du-10";
const COMMUNE: &str = "xa-tung-anh";

impl Api {
    async fn on(app: common::TestApp) -> Api {
        let files = tempfile::tempdir().unwrap();
        let settings = Settings {
            files_dir: files.path().join("files"),
            max_upload_bytes: 64 * 1024,
            ..Default::default()
        };
        let router = cchc_web::router_with(Arc::clone(&app.store), settings.clone());
        let api = Api {
            app,
            router,
            settings,
            _files: files,
        };
        let st = cchc_web::AppState::new(api.app.store.clone(), Settings::default());
        for (name, unit, role) in [
            ("so", "phong-noi-vu", Role::StandingOffice),
            ("xa", COMMUNE, Role::Reporter),
            ("xa2", "xa-duc-lang", Role::Reporter),
            ("lead", "ubnd-huyen", Role::Leader),
        ] {
            let unit = if api
                .app
                .registry
                .get(&UnitId::parse(unit).unwrap())
                .is_some()
            {
                unit
            } else {
                "phong-noi-vu"
            };
            cchc_app::execution::add_user(&st, "test", name, unit, role, PW, false)
                .await
                .unwrap();
        }
        api
    }

    async fn send(
        &self,
        c: &Client,
        method: &str,
        uri: &str,
        body: Option<Value>,
        csrf: bool,
    ) -> Res {
        self.send_via(&self.router, c, method, uri, body, csrf)
            .await
    }

    /// Another app server on the same database: nothing kept yet.
    fn other_server(&self) -> Router {
        cchc_web::router_with(Arc::clone(&self.app.store), self.settings.clone())
    }

    async fn send_via(
        &self,
        router: &Router,
        c: &Client,
        method: &str,
        uri: &str,
        body: Option<Value>,
        csrf: bool,
    ) -> Res {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(k) = &c.cookie {
            req = req.header(header::COOKIE, k);
        }
        if csrf {
            if let Some(t) = &c.csrf {
                req = req.header("x-csrf-token", t);
            }
        }
        let body = match body {
            Some(v) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.raw_via(router, req.body(body).unwrap()).await
    }

    async fn raw(&self, req: Request<Body>) -> Res {
        self.raw_via(&self.router, req).await
    }

    async fn raw_via(&self, router: &Router, req: Request<Body>) -> Res {
        let uri = req.uri().to_string();
        let res = router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let html = res
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.to_str().unwrap().starts_with("text/html"));
        let set_cookie = res
            .headers()
            .get(header::SET_COOKIE)
            .map(|v| v.to_str().unwrap().to_string());
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        if html {
            common::assert_no_inline_script(&uri, &String::from_utf8_lossy(&bytes));
        }
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Res {
            status,
            json,
            set_cookie,
            bytes,
        }
    }

    async fn login(&self, user: &str) -> Client {
        let anon = Client {
            cookie: None,
            csrf: None,
        };
        let r = self
            .send(
                &anon,
                "POST",
                "/api/v1/session",
                Some(json!({"username": user, "password": PW})),
                false,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "login {user}: {}", r.json);
        let cookie = r.set_cookie.unwrap();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        Client {
            cookie: Some(cookie.split(';').next().unwrap().to_string()),
            csrf: Some(r.json["csrf_token"].as_str().unwrap().to_string()),
        }
    }

    async fn upload(&self, c: &Client, unit: &str, name: &str, bytes: &[u8]) -> Res {
        let url = format!("/api/v1/periods/2024-Q1/reports/{unit}/files");
        self.upload_to(c, &url, name, bytes).await
    }

    /// Posts a file as the multipart field `file` to `url`.
    async fn upload_to(&self, c: &Client, url: &str, name: &str, bytes: &[u8]) -> Res {
        let boundary = "XyZb0undary";
        let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let req = Request::builder()
            .method("POST")
            .uri(url)
            .header(header::COOKIE, c.cookie.as_deref().unwrap())
            .header("x-csrf-token", c.csrf.as_deref().unwrap())
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.raw(req).await
    }

    async fn audit_actions(&self) -> Vec<String> {
        let x = self.app.store.execution();
        let all = x.list_audit(&AuditFilter::default()).await.unwrap();
        assert!(verify_chain(&all).is_ok());
        all.into_iter().map(|e| e.action).collect()
    }
}

macro_rules! both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(super::Api::on(super::common::TestApp::duc_tho().await).await).await })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let Some(db) = cchc_store::testing::TestDatabase::create().await else { return };
                let app = super::common::TestApp::duc_tho_at(db.url(), None).await;
                let api = super::Api::on(app).await;
                let outcome = tokio::spawn(super::$name(api)).await;
                db.drop().await;
                if let Err(e) = outcome { std::panic::resume_unwind(e.into_panic()); }
            })*
        }
    };
}

both!(
    report_flow_submit_return_revise_resubmit_accept,
    wrong_password_is_401_and_throttled_after_five,
    state_changes_without_csrf_are_403,
    out_of_scope_units_and_files_are_refused_and_audited,
    stale_version_is_409_and_nothing_is_overwritten,
    uploads_are_checked_by_content_and_size,
    openapi_lists_every_api_route,
    pages_sign_in_refuse_forms_without_csrf_and_sign_out,
    report_pages_enforce_scope_roles_and_csrf,
    public_pages_show_sent_and_accepted_progress_only,
    every_audit_entry_reads_in_words,
    overdue_is_lead_work_not_reported_done,
    evaluation_api_lists_and_creates_records_in_scope,
    reform_index_api_scores_submits_appraises_and_ranks,
    evaluation_evidence_files_are_checked_stored_and_read_in_scope,
    paper_survey_file_is_entered_by_the_office_and_counted_in_its_period,
    reminder_schedule_and_emails_are_set_through_the_pages,
    kept_pages_show_every_change_at_once,
);

fn two_activities(api: &Api) -> (String, String) {
    let acts = report_activities(
        &api.app.plan,
        &api.app.registry,
        &UnitId::parse(COMMUNE).unwrap(),
        Period::parse("2024-Q1").unwrap(),
    );
    assert!(acts.len() >= 2, "the commune has activities in 2024-Q1");
    (acts[0].0.id.clone(), acts[1].0.id.clone())
}

/// Saves the report at `url` over `version` with `items` (PUT, with the CSRF token).
async fn save_report(api: &Api, c: &Client, url: &str, version: i64, items: Value) -> Res {
    let body = json!({"version": version, "items": items});
    api.send(c, "PUT", url, Some(body), true).await
}

/// Sends the report at `url` to the standing office, at `version`.
async fn submit_report(api: &Api, c: &Client, url: &str, version: i64) -> Res {
    let body = json!({"version": version});
    api.send(c, "POST", &format!("{url}/submit"), Some(body), true)
        .await
}

/// The standing office's review of the report at `url`: accept, or return with comments.
async fn review_report(api: &Api, c: &Client, url: &str, decision: Value) -> Res {
    api.send(c, "POST", &format!("{url}/review"), Some(decision), true)
        .await
}

async fn open_q1(api: &Api, so: &Client) {
    let r = api
        .send(
            so,
            "POST",
            "/api/v1/periods",
            Some(json!({"period": "2024-Q1", "due": "2099-04-20T17:00:00+07:00"})),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
}

async fn report_flow_submit_return_revise_resubmit_accept(api: Api) {
    let so = api.login("so").await;
    open_q1(&api, &so).await;
    let xa = api.login("xa").await;
    let me = api.send(&xa, "GET", "/api/v1/me", None, false).await;
    assert_eq!(me.json["unit"], COMMUNE);
    assert_eq!(me.json["role"], "reporter");
    let url = format!("/api/v1/periods/2024-Q1/reports/{COMMUNE}");
    let r = api.send(&xa, "GET", &url, None, false).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["state"], "draft");
    assert_eq!(r.json["version"], 0);
    let (a1, a2) = two_activities(&api);
    let f = api
        .upload(&xa, COMMUNE, "bien-ban.pdf", b"%PDF-1.4\nbien ban\n%%EOF")
        .await;
    assert_eq!(f.status, StatusCode::CREATED, "{}", f.json);
    let file_id = f.json["id"].as_str().unwrap().to_string();
    assert_eq!(f.json["sha256"].as_str().unwrap().len(), 64);
    let items = json!([
        {"activity": a1, "status": "done", "note": "Đã ban hành kế hoạch", "evidence": [{"number": "12/KH-UBND", "date": "2024-01-10", "issuer": "UBND xã Tùng Ảnh", "title": "Kế hoạch CCHC", "files": [file_id]}]},
        {"activity": a2, "status": "in_progress", "note": "Đang làm"}
    ]);
    let saved = save_report(&api, &xa, &url, 0, json!(items)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.json);
    assert_eq!(saved.json["version"], 1);
    let sub = submit_report(&api, &xa, &url, 1).await;
    assert_eq!(sub.status, StatusCode::OK, "{}", sub.json);
    assert_eq!(sub.json["state"], "submitted");
    // Locked after submission.
    let locked = save_report(&api, &xa, &url, 2, json!([])).await;
    assert_eq!(locked.status, StatusCode::CONFLICT);
    assert!(locked.json["message"].as_str().unwrap().contains("khóa"));
    // The board shows it on time.
    let board = api
        .send(&so, "GET", "/api/v1/periods/2024-Q1/reports", None, false)
        .await;
    let line = board.json["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["unit"] == COMMUNE)
        .unwrap()
        .clone();
    assert_eq!(line["timeliness"], "on_time");
    // Returned with a comment on one item.
    let ret = api.send(&so, "POST", &format!("{url}/review"), Some(json!({"decision": "return", "comment": "Bổ sung", "items": {a2.clone(): "Nêu tiến độ cụ thể"}})), true).await;
    assert_eq!(ret.status, StatusCode::OK, "{}", ret.json);
    assert_eq!(ret.json["state"], "returned");
    assert_eq!(ret.json["review"]["items"][&a2], "Nêu tiến độ cụ thể");
    // Revised and resubmitted.
    let v = ret.json["version"].as_i64().unwrap();
    let items2 = json!([{"activity": a1, "status": "done", "note": "Đã ban hành kế hoạch", "evidence": [{"number": "12/KH-UBND", "files": [file_id]}]}, {"activity": a2, "status": "done", "note": "Hoàn thành ngày 20/3"}]);
    let saved = save_report(&api, &xa, &url, v, json!(items2)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.json);
    let sub = api
        .send(&xa, "POST", &format!("{url}/submit"), None, true)
        .await;
    assert_eq!(sub.json["state"], "submitted");
    // Accepting twice is an illegal transition.
    let acc = review_report(&api, &so, &url, json!({"decision": "accept"})).await;
    assert_eq!(acc.json["state"], "accepted");
    let again = review_report(&api, &so, &url, json!({"decision": "accept"})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.json["error"], "IllegalTransition");
    // Unit-head approval is off: approving is refused for a reporter by role.
    let appr = api
        .send(&xa, "POST", &format!("{url}/approve"), None, true)
        .await;
    assert_eq!(appr.status, StatusCode::FORBIDDEN);
    // Every version is kept: submit, return, submit, accept.
    let versions = api
        .send(&so, "GET", &format!("{url}/versions"), None, false)
        .await;
    let states: Vec<&str> = versions.json["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["submitted", "returned", "submitted", "accepted"]);
    // Dashboard counts the two done activities; the leader reads it, the commune does not.
    let lead = api.login("lead").await;
    let dash = api
        .send(
            &lead,
            "GET",
            "/api/v1/periods/2024-Q1/dashboard",
            None,
            false,
        )
        .await;
    assert_eq!(dash.status, StatusCode::OK);
    let unit = dash.json["by_unit"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u[0] == COMMUNE)
        .unwrap()
        .clone();
    assert_eq!(unit[2]["done"], 2);
    assert_eq!(
        api.send(&xa, "GET", "/api/v1/periods/2024-Q1/dashboard", None, false)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // The audit trail has every step, filterable by unit.
    let audit = api
        .send(
            &so,
            "GET",
            &format!("/api/v1/audit?unit={COMMUNE}"),
            None,
            false,
        )
        .await;
    let actions: Vec<&str> = audit.json["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for step in [
        "file.upload",
        "report.save",
        "report.submit",
        "report.return",
        "report.accept",
    ] {
        assert!(actions.contains(&step), "{step} in {actions:?}");
    }
    // Logging out ends the session.
    assert_eq!(
        api.send(&xa, "DELETE", "/api/v1/session", None, true)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        api.send(&xa, "GET", "/api/v1/me", None, false).await.status,
        StatusCode::UNAUTHORIZED
    );
}

async fn wrong_password_is_401_and_throttled_after_five(api: Api) {
    let anon = Client {
        cookie: None,
        csrf: None,
    };
    for _ in 0..5 {
        let r = api
            .send(
                &anon,
                "POST",
                "/api/v1/session",
                Some(json!({"username": "xa", "password": "sai-mat-khau"})),
                false,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.json["error"], "InvalidUsernameOrPassword");
    }
    // Even the right password is refused while the account is paused.
    let r = api
        .send(
            &anon,
            "POST",
            "/api/v1/session",
            Some(json!({"username": "xa", "password": PW})),
            false,
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.json["message"].as_str().unwrap().contains("15 phút"));
    // Another account is not paused by it.
    api.login("so").await;
    let unknown = api
        .send(
            &anon,
            "POST",
            "/api/v1/session",
            Some(json!({"username": "khong-co", "password": PW})),
            false,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert!(
        api.audit_actions()
            .await
            .iter()
            .filter(|a| *a == "login.failed")
            .count()
            >= 6
    );
    // Sessions rotate: two logins, two different cookies.
    let a = api.login("so").await;
    let b = api.login("so").await;
    assert_ne!(a.cookie, b.cookie);
}

async fn state_changes_without_csrf_are_403(api: Api) {
    let so = api.login("so").await;
    let r = api
        .send(
            &so,
            "POST",
            "/api/v1/periods",
            Some(json!({"period": "2024-Q1", "due": "2099-04-20T17:00:00+07:00"})),
            false,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.json["message"].as_str().unwrap().contains("CSRF"));
    let wrong = Client {
        cookie: so.cookie.clone(),
        csrf: Some("0".repeat(64)),
    };
    assert_eq!(
        api.send(
            &wrong,
            "POST",
            "/api/v1/periods",
            Some(json!({"period": "2024-Q1", "due": "2099-04-20T17:00:00+07:00"})),
            true
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        api.send(&so, "GET", "/api/v1/periods", None, false)
            .await
            .json["periods"]
            .as_array()
            .unwrap()
            .len(),
        0,
        "nothing opened"
    );
    assert_eq!(
        api.send(&so, "DELETE", "/api/v1/session", None, false)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

async fn out_of_scope_units_and_files_are_refused_and_audited(api: Api) {
    let so = api.login("so").await;
    open_q1(&api, &so).await;
    let xa = api.login("xa").await;
    let xa2 = api.login("xa2").await;
    let f = api
        .upload(&xa, COMMUNE, "a.png", b"\x89PNG\r\n\x1a\nabc")
        .await;
    assert_eq!(f.status, StatusCode::CREATED);
    let id = f.json["id"].as_str().unwrap();
    // The owner and the standing office download it; another commune does not.
    let own = api
        .send(&xa, "GET", &format!("/api/v1/files/{id}"), None, false)
        .await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.bytes, b"\x89PNG\r\n\x1a\nabc");
    assert_eq!(
        api.send(&so, "GET", &format!("/api/v1/files/{id}"), None, false)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        api.send(&xa2, "GET", &format!("/api/v1/files/{id}"), None, false)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Editing another unit's id in the URL.
    let other = format!("/api/v1/periods/2024-Q1/reports/{COMMUNE}");
    assert_eq!(
        api.send(&xa2, "GET", &other, None, false).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        api.send(
            &xa2,
            "PUT",
            &other,
            Some(json!({"version": 0, "items": []})),
            true
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        api.upload(&xa2, COMMUNE, "b.pdf", b"%PDF-1.4").await.status,
        StatusCode::FORBIDDEN
    );
    // A body naming an activity outside the report, or a file of another unit.
    let (a1, _) = two_activities(&api);
    let g = api
        .upload(&xa2, "xa-duc-lang", "c.pdf", b"%PDF-1.4 x")
        .await;
    let foreign = g.json["id"].as_str().unwrap_or("x");
    let r = api.send(&xa, "PUT", &other, Some(json!({"version": 0, "items": [{"activity": a1, "status": "done", "evidence": [{"files": [foreign]}]}]})), true).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.json);
    let r = save_report(
        &api,
        &xa,
        &other,
        0,
        json!([{"activity": "khong-co", "status": "done"}]),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Reporters cannot review or read the board or the audit log.
    assert_eq!(
        api.send(
            &xa,
            "POST",
            &format!("{other}/review"),
            Some(json!({"decision": "accept"})),
            true
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        api.send(&xa, "GET", "/api/v1/periods/2024-Q1/reports", None, false)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        api.send(&xa, "GET", "/api/v1/audit", None, false)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        api.send(
            &xa2,
            "GET",
            &format!("/api/v1/overdue?unit={COMMUNE}"),
            None,
            false
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let denied = api
        .audit_actions()
        .await
        .iter()
        .filter(|a| *a == "access.denied")
        .count();
    assert!(denied >= 8, "refusals are audited: {denied}");
}

async fn stale_version_is_409_and_nothing_is_overwritten(api: Api) {
    let so = api.login("so").await;
    open_q1(&api, &so).await;
    let one = api.login("xa").await;
    let two = api.login("xa").await;
    let url = format!("/api/v1/periods/2024-Q1/reports/{COMMUNE}");
    let (a1, _) = two_activities(&api);
    let r = api.send(&one, "PUT", &url, Some(json!({"version": 0, "items": [{"activity": a1, "status": "in_progress", "note": "một"}]})), true).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = api
        .send(
            &two,
            "PUT",
            &url,
            Some(
                json!({"version": 0, "items": [{"activity": a1, "status": "done", "note": "hai"}]}),
            ),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.json["message"].as_str().unwrap().contains("người khác"),
        "{}",
        r.json
    );
    let now = api.send(&one, "GET", &url, None, false).await;
    assert_eq!(now.json["version"], 1);
    let item = now.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["activity"] == a1.as_str())
        .unwrap()
        .clone();
    assert_eq!(item["note"], "một");
}

async fn uploads_are_checked_by_content_and_size(api: Api) {
    let so = api.login("so").await;
    open_q1(&api, &so).await;
    let xa = api.login("xa").await;
    let r = api
        .upload(&xa, COMMUNE, "virus.pdf", b"MZ\x90\x00 not a pdf")
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(r.json["message"].as_str().unwrap().contains("virus.pdf"));
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(65 * 1024, b'a');
    let r = api.upload(&xa, COMMUNE, "to.pdf", &big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    let docx = api
        .upload(
            &xa,
            COMMUNE,
            "bao-cao.docx",
            b"PK\x03\x04....word/document.xml",
        )
        .await;
    assert_eq!(docx.status, StatusCode::CREATED);
    assert_eq!(docx.json["kind"], "docx");
    // Stored under a generated name, not the uploaded one.
    let id = docx.json["id"].as_str().unwrap();
    let dir = api._files.path().join("files");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, vec![id.to_string()]);
}

async fn openapi_lists_every_api_route(api: Api) {
    let anon = Client {
        cookie: None,
        csrf: None,
    };
    let doc = api
        .send(&anon, "GET", "/api/openapi.json", None, false)
        .await
        .json;
    assert_eq!(doc["openapi"], "3.1.0");
    let st = cchc_web::AppState::new(api.app.store.clone(), Settings::default());
    let routes = cchc_web::api_routes(&st);
    assert!(routes.len() >= 35);
    for path in [
        "/api/v1/evaluation/inspections",
        "/api/v1/reform-index/{year}/ranking",
    ] {
        assert!(routes.iter().any(|r| r.1 == path), "{path} is a route");
    }
    for (method, path, roles) in routes {
        let op = &doc["paths"][path][method.to_lowercase()];
        assert!(op.is_object(), "{method} {path} is described");
        assert_eq!(
            op["x-roles"].is_null(),
            roles.is_none(),
            "{method} {path}: roles documented"
        );
    }
}

async fn form(api: &Api, cookie: Option<&str>, uri: &str, body: &str) -> Res {
    let mut req = Request::builder()
        .method("POST")
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    api.raw(req.body(Body::from(body.to_string())).unwrap())
        .await
}

async fn pages_sign_in_refuse_forms_without_csrf_and_sign_out(api: Api) {
    let anon = Client {
        cookie: None,
        csrf: None,
    };
    // Without a session the reports page sends to the login page.
    let r = api.send(&anon, "GET", "/bao-cao", None, false).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let bad = form(
        &api,
        None,
        "/dang-nhap",
        "username=xa&password=sai&tiep=%2Fbao-cao",
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert!(String::from_utf8_lossy(&bad.bytes).contains("mật khẩu không đúng"));
    let ok = form(
        &api,
        None,
        "/dang-nhap",
        &format!("username=xa&password={PW}&tiep=https%3A%2F%2Fevil.example"),
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let cookie = ok.set_cookie.unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    let cookie = cookie.split(';').next().unwrap().to_string();
    let c = Client {
        cookie: Some(cookie.clone()),
        csrf: None,
    };
    let home = api.send(&c, "GET", "/bao-cao", None, false).await;
    assert_eq!(home.status, StatusCode::OK);
    let html = String::from_utf8_lossy(&home.bytes).to_string();
    assert!(html.contains("Quá hạn"));
    let marker = "name=\"csrf\" value=\"";
    let at = html.find(marker).expect("a CSRF field") + marker.len();
    let csrf = &html[at..at + 64];
    // A form without the token is refused; with it, the session ends.
    assert_eq!(
        form(&api, Some(&cookie), "/dang-xuat", "").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        form(&api, Some(&cookie), "/dang-xuat", &format!("csrf={csrf}"))
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        api.send(&c, "GET", "/bao-cao", None, false).await.status,
        StatusCode::SEE_OTHER
    );
}

fn html(r: &Res) -> String {
    String::from_utf8_lossy(&r.bytes).to_string()
}

async fn multipart(api: &Api, c: &Client, uri: &str, fields: &[(&str, &str)]) -> Res {
    let boundary = "PageB0undary";
    let mut body = String::new();
    for (k, v) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    let req = Request::builder()
        .method("POST")
        .uri(uri)
        .header(header::COOKIE, c.cookie.as_deref().unwrap())
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    api.raw(req).await
}

/// Posts a page form without its CSRF field, which must be refused (403), then with it; the
/// second answer is returned.
async fn form_refused_without_csrf(
    api: &Api,
    cookie: &str,
    uri: &str,
    body: &str,
    csrf: &str,
) -> Res {
    assert_eq!(
        form(api, Some(cookie), uri, body).await.status,
        StatusCode::FORBIDDEN
    );
    form(api, Some(cookie), uri, &format!("{body}&csrf={csrf}")).await
}

async fn report_pages_enforce_scope_roles_and_csrf(api: Api) {
    let so = api.login("so").await;
    let so_csrf = so.csrf.clone().unwrap();
    let so_cookie = so.cookie.clone().unwrap();
    // Opening a period through the page: refused without the CSRF field, done with it.
    let body = "period=2024-Q1&due=2099-04-20T17%3A00";
    let opened =
        form_refused_without_csrf(&api, &so_cookie, "/ky-bao-cao/mo", body, &so_csrf).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", html(&opened));

    let xa = api.login("xa").await;
    let csrf = xa.csrf.clone().unwrap();
    // Another commune's report page, the board, dashboard, audit: refused to a reporter.
    let other = api
        .send(&xa, "GET", "/bao-cao/2024-Q1/xa-duc-lang", None, false)
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    assert!(
        html(&other).contains("không được truy cập"),
        "{}",
        html(&other)
    );
    for uri in [
        "/bao-cao/2024-Q1",
        "/tong-quan",
        "/nhat-ky",
        "/quan-tri/tai-khoan",
        "/nhac-viec",
    ] {
        let r = api.send(&xa, "GET", uri, None, false).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri}");
    }
    // The own report page is a form carrying the CSRF field and the version.
    let page = api
        .send(&xa, "GET", "/bao-cao/2024-Q1/xa-tung-anh", None, false)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let text = html(&page);
    assert!(text.contains("id=\"bao-cao\""));
    assert!(text.contains(&format!("name=\"csrf\" value=\"{csrf}\"")));
    assert!(text.contains("hoàn thành trễ hạn"));
    let (a1, _) = two_activities(&api);
    assert!(text.contains(&format!("data-activity=\"{a1}\"")));

    // Saving and submitting through the form: refused without the field, done with it.
    let fields = [
        ("version", "0"),
        ("s0", "done"),
        ("n0", "Đã ban hành kế hoạch"),
        ("e0.0.number", "12/KH-UBND"),
        ("e0.0.date", "2024-02-15"),
        ("action", "submit"),
    ];
    let uri = "/bao-cao/2024-Q1/xa-tung-anh/luu";
    assert_eq!(
        multipart(&api, &xa, uri, &fields).await.status,
        StatusCode::FORBIDDEN
    );
    let mut with = vec![("csrf", csrf.as_str())];
    with.extend_from_slice(&fields);
    let saved = multipart(&api, &xa, uri, &with).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", html(&saved));
    let r = api
        .send(
            &xa,
            "GET",
            "/api/v1/periods/2024-Q1/reports/xa-tung-anh",
            None,
            false,
        )
        .await;
    assert_eq!(r.json["state"], "submitted");
    assert_eq!(r.json["items"][0]["status"], "done");
    assert_eq!(r.json["items"][0]["evidence"][0]["number"], "12/KH-UBND");
    assert_eq!(r.json["items"][0]["evidence"][0]["date"], "2024-02-15");
    // Submitted: read-only, no form.
    let ro = api
        .send(&xa, "GET", "/bao-cao/2024-Q1/xa-tung-anh", None, false)
        .await;
    assert!(!html(&ro).contains("id=\"bao-cao\""));

    // A reporter cannot review, even with the token; the office can, not without it.
    let review = "decision=return&y0=B%E1%BB%95+sung";
    let r = form(
        &api,
        xa.cookie.as_deref(),
        "/bao-cao/2024-Q1/xa-tung-anh/tham-dinh",
        &format!("{review}&csrf={csrf}"),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let uri = "/bao-cao/2024-Q1/xa-tung-anh/tham-dinh";
    let r = form_refused_without_csrf(&api, &so_cookie, uri, review, &so_csrf).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", html(&r));
    let page = api
        .send(&xa, "GET", "/bao-cao/2024-Q1/xa-tung-anh", None, false)
        .await;
    assert!(
        html(&page).contains("Bổ sung"),
        "the comment beside the item"
    );

    // The office's pages render and trace: board, dashboard, audit with the steps.
    let board = api.send(&so, "GET", "/bao-cao/2024-Q1", None, false).await;
    assert_eq!(board.status, StatusCode::OK);
    assert!(html(&board).contains("bị trả lại"));
    // The period's page carries the district report's button.
    assert!(html(&board).contains("href=\"/bao-cao/ky/2024-Q1/bao-cao.docx\""));
    let docx = api
        .send(&so, "GET", "/bao-cao/ky/2024-Q1/bao-cao.docx", None, false)
        .await;
    assert_eq!(docx.status, StatusCode::OK);
    let dash = api
        .send(&so, "GET", "/tong-quan?ky=2024-Q1", None, false)
        .await;
    assert_eq!(dash.status, StatusCode::OK);
    assert!(html(&dash).contains("/bao-cao/2024-Q1?tinh_trang=on_time"));
    let audit = api
        .send(&so, "GET", "/nhat-ky?unit=xa-tung-anh", None, false)
        .await;
    for a in ["report.save", "report.submit", "report.return"] {
        assert!(
            html(&audit).contains(&format!("data-action=\"{a}\"")),
            "{a}"
        );
    }
    // Accounts: added through the page, refused without the token.
    let add = "username=xa3&unit=xa-tung-anh&role=reporter&password=mat-khau-moi-du-dai";
    let r = form_refused_without_csrf(&api, &so_cookie, "/quan-tri/tai-khoan", add, &so_csrf).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", html(&r));
    let list = api
        .send(&so, "GET", "/quan-tri/tai-khoan", None, false)
        .await;
    assert!(html(&list).contains("xa3"));
    let overdue = api
        .send(&xa, "GET", "/qua-han?don_vi=xa-duc-lang", None, false)
        .await;
    assert_eq!(overdue.status, StatusCode::FORBIDDEN);
}

/// The row of `unit` in the activity page's progress table.
fn progress_row(page: &str, unit: &str) -> String {
    let at = page
        .find(&format!("<tr data-unit=\"{unit}\">"))
        .unwrap_or_else(|| panic!("no progress row of {unit}"));
    let end = page[at..].find("</tr>").unwrap();
    page[at..at + end].to_string()
}

/// The activity, target and unit pages are public: they show a unit's status once its report
/// is sent, and its state (accepted) once the office accepts it; never a draft, nor a note.
async fn public_pages_show_sent_and_accepted_progress_only(api: Api) {
    let anon = Client {
        cookie: None,
        csrf: None,
    };
    let so = api.login("so").await;
    open_q1(&api, &so).await;
    let xa = api.login("xa").await;
    let (a1, a2) = two_activities(&api);
    let plan = api.app.plan_id;
    let target = api.app.plan.targets.iter().find(|t| t.area == 1).unwrap();
    let activity_page = format!("/ke-hoach/{plan}/hoat-dong/{a1}");
    let target_page = format!("/ke-hoach/{plan}/chi-tieu/{}", target.code);
    let public = |uri: String| {
        let api = &api;
        let anon = &anon;
        async move {
            let r = api.send(anon, "GET", &uri, None, false).await;
            assert_eq!(r.status, StatusCode::OK, "{uri}");
            html(&r)
        }
    };
    let url = format!("/api/v1/periods/2024-Q1/reports/{COMMUNE}");
    let items = json!([
        {"activity": a1, "status": "done", "note": "Ghi chú nội bộ của bản nháp"},
        {"activity": a2, "status": "in_progress"}
    ]);
    let targets = json!([{"target": target.code, "value": "97,5%"}]);
    let saved = api
        .send(
            &xa,
            "PUT",
            &url,
            Some(json!({"version": 0, "items": items, "targets": targets})),
            true,
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.json);
    // A draft counts for nothing.
    let page = public(activity_page.clone()).await;
    assert!(page.contains("Tiến độ thực hiện"));
    assert!(progress_row(&page, COMMUNE).contains("chưa báo cáo"));
    assert!(!page.contains("Ghi chú nội bộ"));
    let page = public(target_page.clone()).await;
    assert!(page.contains("id=\"chua-co-so-lieu\""), "no figures yet");
    assert!(!page.contains("97,5%"));
    // Sent: the status counts, the state says it is not accepted yet.
    let sub = api
        .send(&xa, "POST", &format!("{url}/submit"), None, true)
        .await;
    assert_eq!(sub.json["state"], "submitted", "{}", sub.json);
    let row = progress_row(&public(activity_page.clone()).await, COMMUNE);
    assert!(
        row.contains("hoàn thành") && row.contains("đã gửi"),
        "{row}"
    );
    // Accepted.
    let acc = review_report(&api, &so, &url, json!({"decision": "accept"})).await;
    assert_eq!(acc.json["state"], "accepted", "{}", acc.json);
    let page = public(activity_page.clone()).await;
    let row = progress_row(&page, COMMUNE);
    assert!(
        row.contains("hoàn thành") && row.contains("kỳ 2024-Q1") && row.contains("đã tiếp nhận"),
        "{row}"
    );
    assert!(!page.contains("Ghi chú nội bộ"), "no note on a public page");
    assert!(!page.contains(">xa<"), "no account name on a public page");
    let page = public(target_page).await;
    assert!(
        page.contains("97,5%") && page.contains("Tùng Ảnh"),
        "the reported value"
    );
    let page = public(format!("/don-vi/{COMMUNE}")).await;
    let at = page
        .find("<tr data-period=\"2024-Q1\">")
        .expect("the unit's Q1 report");
    let row = &page[at..at + page[at..].find("</tr>").unwrap()];
    assert!(
        row.contains("badge st-accepted") && row.contains("đã tiếp nhận"),
        "{row}"
    );
    assert!(page.contains(&format!("href=\"/bao-cao/2024-Q1/{COMMUNE}\"")));
    // The plan's matrix counts the units that reported it done.
    let page = public(format!("/ke-hoach/{plan}")).await;
    let row = &page[page.find(&format!("<tr id=\"hd-{a1}\"")).unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("đơn vị hoàn thành"), "{row}");
}

/// Every action the application writes to the audit log has a label, and the audit page shows
/// labels and objects in words with the codes in titles, units by name.
async fn every_audit_entry_reads_in_words(api: Api) {
    let so = api.login("so").await;
    open_q1(&api, &so).await;
    let xa = api.login("xa").await;
    let url = format!("/api/v1/periods/2024-Q1/reports/{COMMUNE}");
    let (a1, _) = two_activities(&api);
    let f = api
        .upload(&xa, COMMUNE, "bien-ban.pdf", b"%PDF-1.4\nbien ban\n%%EOF")
        .await;
    assert_eq!(f.status, StatusCode::CREATED);
    let items = json!([{"activity": a1, "status": "done"}]);
    save_report(&api, &xa, &url, 0, json!(items)).await;
    api.send(&xa, "POST", &format!("{url}/submit"), None, true)
        .await;
    review_report(
        &api,
        &so,
        &url,
        json!({"decision": "return", "comment": "Bổ sung"}),
    )
    .await;
    // Out of scope, and a wrong password: both audited.
    let other = api
        .send(
            &xa,
            "GET",
            "/api/v1/periods/2024-Q1/reports/xa-duc-lang",
            None,
            false,
        )
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    let anon = Client {
        cookie: None,
        csrf: None,
    };
    api.send(
        &anon,
        "POST",
        "/api/v1/session",
        Some(json!({"username": "xa", "password": "sai-mat-khau-roi"})),
        false,
    )
    .await;
    api.send(&xa, "DELETE", "/api/v1/session", None, true).await;
    let actions = api.audit_actions().await;
    for want in [
        "login",
        "login.failed",
        "logout",
        "user.add",
        "period.open",
        "file.upload",
        "report.save",
        "report.submit",
        "report.return",
        "access.denied",
    ] {
        assert!(actions.iter().any(|a| a == want), "{want} in {actions:?}");
    }
    for a in &actions {
        assert!(
            AuditAction::parse(a).is_some(),
            "the action «{a}» has no label"
        );
    }
    let page = html(&api.send(&so, "GET", "/nhat-ky", None, false).await);
    assert!(page.contains("<span title=\"report.submit\">Gửi báo cáo</span>"));
    assert!(page.contains("<span title=\"login\">Đăng nhập</span>"));
    assert!(
        page.contains(&format!(
            "<span title=\"report:2024-Q1/{COMMUNE}\">Báo cáo kỳ 2024-Q1 của Xã Tùng Ảnh</span>"
        )),
        "the object in words"
    );
    assert!(!page.contains("<code>report.submit</code>"));
    // The unit filter is a list of units by name; the header names the account's unit.
    assert!(page.contains("<select name=\"unit\">"));
    assert!(page.contains("<option value=\"xa-tung-anh\">"));
    assert!(
        page.contains("Cơ quan thường trực CCHC · Phòng Nội vụ"),
        "the unit by name in the header"
    );
}

/// Quá hạn has one definition: per unit, the dated activities past their end that it leads
/// and has not reported done; coordinated work is not counted; the district's list is the sum
/// of the units' lists; a done report takes the activity off the unit's list (and the plan
/// badge becomes "hết hạn" for that unit).
async fn overdue_is_lead_work_not_reported_done(api: Api) {
    use cchc_app::execution::{by_activity, is_late, latest_statuses, overdue};
    use cchc_domain::execution::{involvement, Involvement};
    let st = cchc_web::AppState::new(api.app.store.clone(), Settings::default());
    let day = chrono::NaiveDate::from_ymd_opt(2025, 1, 15).unwrap();
    let commune = UnitId::parse(COMMUNE).unwrap();
    let (plan, registry) = (&api.app.plan, &api.app.registry);
    let past =
        |a: &cchc_domain::plan::Activity| a.deadline.as_ref().is_some_and(|d| d.is_past(day));
    // An activity the commune leads in its 2024-Q1 report, with a date that has passed.
    let led = report_activities(plan, registry, &commune, Period::parse("2024-Q1").unwrap())
        .into_iter()
        .find(|(a, i)| *i == Involvement::Lead && past(a))
        .map(|(a, _)| a.clone())
        .expect("the commune leads a dated activity of 2024-Q1");
    // An activity the commune only coordinates, past by the end of the year.
    let coordinated = plan
        .activities()
        .map(|c| c.activity)
        .find(|a| past(a) && involvement(a, &commune, registry) == Some(Involvement::Coordinator))
        .expect("the commune coordinates a dated activity")
        .clone();

    let ids = |lines: &[cchc_app::execution::OverdueLine]| -> Vec<String> {
        lines.iter().map(|l| l.activity.clone()).collect()
    };
    let district = overdue(&st, None, day).await.unwrap();
    let mine = overdue(&st, Some(COMMUNE), day).await.unwrap();
    assert!(
        ids(&mine).contains(&led.id),
        "nothing reported yet: {} is overdue",
        led.id
    );
    assert!(
        !ids(&mine).contains(&coordinated.id),
        "coordinated work ({}) is not the commune's overdue work",
        coordinated.id
    );
    let district_mine: Vec<_> = district
        .iter()
        .filter(|l| l.unit == COMMUNE)
        .cloned()
        .collect();
    assert_eq!(
        ids(&district_mine),
        ids(&mine),
        "the district's list is the units' lists"
    );
    assert!(district
        .iter()
        .all(|l| l.days_late == (day - l.deadline_end).num_days() && l.days_late > 0));
    assert!(
        by_activity(&district).len() < district.len(),
        "one activity, several lead units"
    );
    let statuses = latest_statuses(&st).await.unwrap();
    assert!(is_late(&led, registry, &statuses, Some(&commune), day));

    // The plan page's "Đã quá hạn" filter follows the same definition.
    let filtered = format!("/ke-hoach/{}?han=qua_han&don_vi={COMMUNE}", api.app.plan_id);
    let link = format!("/hoat-dong/{}\"", enc_key(&led.id));
    let page = html(
        &api.send(
            &Client {
                cookie: None,
                csrf: None,
            },
            "GET",
            &filtered,
            None,
            false,
        )
        .await,
    );
    assert!(page.contains(&link), "{} is listed as overdue", led.id);

    // The commune reports the activity done: a draft says nothing yet, the sent report does.
    let so = api.login("so").await;
    open_q1(&api, &so).await;
    let xa = api.login("xa").await;
    let url = format!("/api/v1/periods/2024-Q1/reports/{COMMUNE}");
    let r = save_report(
        &api,
        &xa,
        &url,
        0,
        json!([{"activity": led.id, "status": "done"}]),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let still = overdue(&st, Some(COMMUNE), day).await.unwrap();
    assert!(ids(&still).contains(&led.id), "a draft does not count");
    let statuses = latest_statuses(&st).await.unwrap();
    assert!(is_late(&led, registry, &statuses, Some(&commune), day));
    let r = submit_report(&api, &xa, &url, 1).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);

    let after = overdue(&st, None, day).await.unwrap();
    let mine_after = overdue(&st, Some(COMMUNE), day).await.unwrap();
    assert!(
        !ids(&mine_after).contains(&led.id),
        "a done report removes it"
    );
    assert_eq!(mine_after.len(), mine.len() - 1);
    assert_eq!(
        after.len(),
        district.len() - 1,
        "only the commune's line goes"
    );
    let statuses = latest_statuses(&st).await.unwrap();
    assert!(
        !is_late(&led, registry, &statuses, Some(&commune), day),
        "hết hạn for the commune"
    );
    let others_late = after.iter().any(|l| l.activity == led.id);
    assert_eq!(
        is_late(&led, registry, &statuses, None, day),
        others_late,
        "plan pages: late while a lead unit is not done"
    );

    let page = html(
        &api.send(
            &Client {
                cookie: None,
                csrf: None,
            },
            "GET",
            &filtered,
            None,
            false,
        )
        .await,
    );
    assert!(
        !page.contains(&link),
        "{} done: no longer under «Đã quá hạn»",
        led.id
    );

    // The API gives the same list, its count of activities and the definition.
    let r = api.send(&xa, "GET", "/api/v1/overdue", None, false).await;
    assert_eq!(r.status, StatusCode::OK);
    let lines = r.json["overdue"].as_array().unwrap();
    assert!(lines.iter().all(|l| l["unit"] == COMMUNE));
    assert!(!lines.iter().any(|l| l["activity"] == led.id.as_str()));
    assert!(lines.iter().all(|l| l["days_late"].as_i64().unwrap() > 0));
    assert!(r.json["activities"].as_u64().unwrap() as usize <= lines.len());
    assert!(r.json["definition"].as_str().unwrap().contains("chủ trì"));
}

/// An activity key as the pages write it in a link (the characters a key holds stay as they are).
fn enc_key(k: &str) -> String {
    k.chars()
        .map(|c| match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '.' | '_' | '~' => c.to_string(),
            c => c.to_string().bytes().map(|b| format!("%{b:02X}")).collect(),
        })
        .collect()
}

async fn evaluation_api_lists_and_creates_records_in_scope(api: Api) {
    let so = api.login("so").await;
    let xa = api.login("xa").await;
    // The office enters an inspection; numbers are taken as the forms' text.
    let r = api
        .send(
            &so,
            "POST",
            "/api/v1/evaluation/inspections",
            Some(json!({"year": 2024, "unit": COMMUNE, "held": "2024-05-02",
                "team": "Đoàn kiểm tra CCHC huyện", "content": "Công tác CCHC"})),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert!(r.json["id"].as_i64().unwrap() > 0);
    // Without the CSRF header: refused.
    let r = api
        .send(
            &so,
            "POST",
            "/api/v1/evaluation/inspections",
            Some(json!({"year": 2024, "unit": COMMUNE})),
            false,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A commune's reporter may not enter inspections (role declared beside the route).
    let r = api
        .send(
            &xa,
            "POST",
            "/api/v1/evaluation/inspections",
            Some(json!({"year": 2024, "unit": COMMUNE})),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let list = api
        .send(
            &xa,
            "GET",
            "/api/v1/evaluation/2024/inspections",
            None,
            false,
        )
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.json["inspections"].as_array().unwrap().len(), 1);
    assert_eq!(list.json["inspections"][0]["unit"], COMMUNE);

    // A reporter enters its own unit's dialogue, not another unit's (checked in the app).
    let dialogue = |unit: &str, date: &str| {
        json!({"unit": unit, "date": date, "chair": "Chủ tịch UBND xã", "topic": "Đất đai",
            "attendance": 40})
    };
    let r = api
        .send(
            &xa,
            "POST",
            "/api/v1/evaluation/dialogues",
            Some(dialogue(COMMUNE, "12/06/2024")),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let r = api
        .send(
            &xa,
            "POST",
            "/api/v1/evaluation/dialogues",
            Some(dialogue("xa-duc-lang", "12/06/2024")),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json["error"], "Forbidden", "{}", r.json);
    assert!(r.json["message"].as_str().unwrap().contains("xa-duc-lang"));
    // A bad date is refused with the field named, nothing stored.
    let r = api
        .send(
            &xa,
            "POST",
            "/api/v1/evaluation/dialogues",
            Some(dialogue(COMMUNE, "31/02/2024")),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.json["message"].as_str().unwrap().contains("Ngày tổ chức"),
        "{}",
        r.json
    );
    let list = api
        .send(&so, "GET", "/api/v1/evaluation/2024/dialogues", None, false)
        .await;
    assert_eq!(list.json["dialogues"].as_array().unwrap().len(), 1);
    // An initiative proposed by the commune, listed.
    let r = api
        .send(
            &xa,
            "POST",
            "/api/v1/evaluation/initiatives",
            Some(json!({"year": 2024, "unit": COMMUNE, "title": "Một cửa lưu động"})),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let list = api
        .send(
            &so,
            "GET",
            "/api/v1/evaluation/2024/initiatives",
            None,
            false,
        )
        .await;
    assert_eq!(list.json["initiatives"][0]["title"], "Một cửa lưu động");
    // Staffing: the office sets two years, the list has both.
    for (year, cs) in [(2023, 30), (2024, 27)] {
        let r = api
            .send(
                &so,
                "PUT",
                "/api/v1/evaluation/staffing",
                Some(json!({"unit": COMMUNE, "year": year, "civil_servants": cs})),
                true,
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.json);
    }
    let r = api
        .send(
            &xa,
            "PUT",
            "/api/v1/evaluation/staffing",
            Some(json!({"unit": COMMUNE, "year": 2024, "civil_servants": 1})),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let q = api
        .send(&so, "GET", "/api/v1/evaluation/2024/staffing", None, false)
        .await;
    assert_eq!(q.json["quotas"].as_array().unwrap().len(), 2, "{}", q.json);
    // The measured targets count the records: one dialogue for 3.7, 4.2 a cut of 3.
    let t = api
        .send(&so, "GET", "/api/v1/evaluation/2024/targets", None, false)
        .await;
    let of = |code: &str| {
        t.json["targets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["figure"]["target"] == code)
            .unwrap_or_else(|| panic!("{code} in {}", t.json))
            .clone()
    };
    assert_eq!(of("3.7")["figure"]["numerator"], 1);
    assert_eq!(of("4.2")["figure"]["numerator"], 3);
}

async fn reform_index_api_scores_submits_appraises_and_ranks(api: Api) {
    let so = api.login("so").await;
    let xa = api.login("xa").await;
    let xa2 = api.login("xa2").await;
    let c = api
        .send(
            &xa,
            "GET",
            "/api/v1/reform-index/2024/criteria",
            None,
            false,
        )
        .await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.json);
    assert_eq!(c.json["sample"], true);
    let card = format!("/api/v1/reform-index/2024/units/{COMMUNE}");
    let scores = format!("{card}/scores");
    // Without evidence a self-score is refused, in Vietnamese, naming the criterion.
    let r = api
        .send(
            &xa,
            "PUT",
            &scores,
            Some(json!({"criterion": "1.3", "score": 3})),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.json);
    assert!(
        r.json["message"].as_str().unwrap().contains("1.3"),
        "{}",
        r.json
    );
    let with_evidence = json!({"criterion": "1.3", "score": "3",
        "evidence": [{"type": "document", "number": "12/BC-UBND", "date": "2024-11-20"}]});
    let r = api
        .send(&xa, "PUT", &scores, Some(with_evidence.clone()), true)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["scorecard"]["self_assessed"], 3.0);
    // Another commune may neither score nor read it.
    let r = api
        .send(&xa2, "PUT", &scores, Some(with_evidence), true)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = api.send(&xa2, "GET", &card, None, false).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Submitted, then appraised by the office: 3 changed to 2 with a reason.
    let r = api
        .send(&xa, "POST", &format!("{card}/submit"), None, true)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["state"], "submitted");
    let appraisals = format!("{card}/appraisals");
    let r = api
        .send(
            &so,
            "POST",
            &appraisals,
            Some(json!({"criterion": "1.3", "decision": "keep"})),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = api
        .send(
            &so,
            "POST",
            &appraisals,
            Some(json!({"criterion": "1.3", "decision": "change",
            "score": 2, "reason": "Chưa xử lý hết tồn tại sau kiểm tra"})),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["scorecard"]["self_assessed"], 2.0);
    let rank = api
        .send(
            &xa2,
            "GET",
            "/api/v1/reform-index/2024/ranking",
            None,
            false,
        )
        .await;
    assert_eq!(rank.status, StatusCode::OK);
    let row = &rank.json["ranking"][0];
    assert_eq!(row["unit"], COMMUNE, "{}", rank.json);
    assert_eq!(
        (row["rank"].as_i64(), row["total"].as_f64()),
        (Some(1), Some(2.0))
    );
}

/// The names of the files on disk.
fn stored_files(api: &Api) -> Vec<String> {
    match std::fs::read_dir(api._files.path().join("files")) {
        Ok(d) => d
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect(),
        Err(_) => Vec::new(),
    }
}

async fn evaluation_evidence_files_are_checked_stored_and_read_in_scope(api: Api) {
    let so = api.login("so").await;
    let xa = api.login("xa").await;
    let xa2 = api.login("xa2").await;
    let files = format!("/api/v1/reform-index/2024/units/{COMMUNE}/files");
    let before = api.audit_actions().await.len();
    // Refused by content and by size, in Vietnamese; nothing on disk, nothing recorded.
    let r = api
        .upload_to(&xa, &files, "anh.pdf", b"MZ\x90\x00 not a pdf")
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(r.json["error"], "FileType");
    assert!(r.json["message"]
        .as_str()
        .unwrap()
        .contains("«anh.pdf» không phải PDF"));
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(65 * 1024, b'a');
    let r = api.upload_to(&xa, &files, "lon.pdf", &big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.json["message"]
        .as_str()
        .unwrap()
        .contains("lớn hơn giới hạn"));
    assert!(stored_files(&api).is_empty());
    let actions = api.audit_actions().await;
    assert_eq!(actions.len(), before, "a refused upload is not recorded");
    // Another commune may not upload for this one.
    let r = api
        .upload_to(&xa2, &files, "kh.pdf", b"%PDF-1.4\n kh")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(stored_files(&api).is_empty());
    // The commune's own reporter: stored, audited, then cited by a self-score.
    let r = api
        .upload_to(&xa, &files, "ke-hoach.pdf", b"%PDF-1.4\n ke hoach")
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let id = r.json["id"].as_str().unwrap().to_string();
    assert_eq!(stored_files(&api), vec![id.clone()]);
    assert_eq!(
        api.audit_actions().await.last().map(String::as_str),
        Some(AuditAction::FileUpload.as_str())
    );
    let scores = format!("/api/v1/reform-index/2024/units/{COMMUNE}/scores");
    let cite = |id: &str| json!({"criterion": "1.4", "score": 2, "evidence": [{"type": "file", "id": id}]});
    let r = api.send(&xa, "PUT", &scores, Some(cite(&id)), true).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["files"][0]["name"], "ke-hoach.pdf");
    // A file id that is not this commune's is refused.
    let r = api
        .send(&xa, "PUT", &scores, Some(cite(&"0".repeat(64))), true)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json["message"]
        .as_str()
        .unwrap()
        .contains("tệp kiểm chứng"));
    // Downloaded by the commune and the office, not by another commune.
    let url = format!("/api/v1/files/{id}");
    assert_eq!(
        api.send(&xa, "GET", &url, None, false).await.status,
        StatusCode::OK
    );
    let got = api.send(&so, "GET", &url, None, false).await;
    assert_eq!(got.bytes, b"%PDF-1.4\n ke hoach");
    assert_eq!(
        api.send(&xa2, "GET", &url, None, false).await.status,
        StatusCode::FORBIDDEN
    );

    // Inspection minutes: the office uploads, the inspected commune reads, another does not.
    let r = api
        .send(
            &so,
            "POST",
            "/api/v1/evaluation/inspections",
            Some(json!({"year": 2024, "unit": COMMUNE, "held": "2024-05-02",
                "team": "Đoàn kiểm tra CCHC huyện", "content": "Công tác CCHC"})),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let inspection = r.json["id"].as_i64().unwrap();
    let minutes = format!("/api/v1/evaluation/inspections/{inspection}/files");
    let r = api
        .upload_to(&xa, &minutes, "bien-ban.pdf", b"%PDF-1.4\n bb")
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "only the office enters minutes"
    );
    let r = api
        .upload_to(&so, &minutes, "bien-ban.png", b"GIF89a not png")
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = api
        .upload_to(&so, &minutes, "bien-ban.pdf", b"%PDF-1.4\n bb")
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let mid = r.json["id"].as_str().unwrap().to_string();
    assert_eq!(stored_files(&api).len(), 2);
    let list = api.send(&xa, "GET", &minutes, None, false).await;
    assert_eq!(list.json["files"][0]["id"], mid.as_str());
    let url = format!("/api/v1/files/{mid}");
    assert_eq!(
        api.send(&xa, "GET", &url, None, false).await.status,
        StatusCode::OK
    );
    assert_eq!(
        api.send(&xa2, "GET", &url, None, false).await.status,
        StatusCode::FORBIDDEN
    );
}

async fn paper_survey_file_is_entered_by_the_office_and_counted_in_its_period(api: Api) {
    let so = api.login("so").await;
    let xa = api.login("xa").await;
    let csv = format!(
        "don_vi,ngay,c1,c2,c3,c4,c5,y_kien\n{COMMUNE},15/03/2024,5,5,5,5,5,\n{COMMUNE},16/03/2024,1,1,,,,\n"
    );
    let r = api
        .upload_to(&xa, "/api/v1/survey/paper", "phieu.csv", csv.as_bytes())
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let bad = format!("don_vi,ngay,c1\n{COMMUNE},hôm qua,5\n");
    let r = api
        .upload_to(&so, "/api/v1/survey/paper", "phieu.csv", bad.as_bytes())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.json["message"]
            .as_str()
            .unwrap()
            .contains("dòng 2, cột «ngay»"),
        "{}",
        r.json
    );
    let r = api
        .upload_to(&so, "/api/v1/survey/paper", "phieu.csv", csv.as_bytes())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["stored"], 2);
    // The results page of 2024-Q1 counts them, as paper answers.
    let page = api
        .send(
            &so,
            "GET",
            &format!("/khao-sat/{COMMUNE}/ket-qua?ky=2024-Q1"),
            None,
            false,
        )
        .await;
    let html = String::from_utf8(page.bytes).unwrap();
    assert!(
        html.contains("<b id=\"hai-long\">71.4%</b>"),
        "5 of 7 ratings: {html}"
    );
    assert!(
        html.contains("phiếu giấy do cơ quan thường trực nhập: <b>2</b>"),
        "{html}"
    );
}

async fn reminder_schedule_and_emails_are_set_through_the_pages(api: Api) {
    let so = api.login("so").await;
    let (cookie, csrf) = (so.cookie.clone().unwrap(), so.csrf.clone().unwrap());
    let page = api.send(&so, "GET", "/nhac-viec", None, false).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        html(&page).contains("value=\"-3, 1, 7\""),
        "the default schedule"
    );
    let bad = form_refused_without_csrf(
        &api,
        &cookie,
        "/nhac-viec",
        "offsets=-3%2C+ba&repeat=7",
        &csrf,
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html(&bad).contains("mốc thứ 2 «ba»"), "{}", html(&bad));
    let ok = form(
        &api,
        Some(&cookie),
        "/nhac-viec",
        &format!("offsets=7%2C+-2&repeat=0&csrf={csrf}"),
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", html(&ok));
    let page = api.send(&so, "GET", "/nhac-viec", None, false).await;
    assert!(html(&page).contains("value=\"-2, 7\""), "{}", html(&page));

    let uri = "/quan-tri/tai-khoan/xa/thu";
    let bad = form_refused_without_csrf(&api, &cookie, uri, "email=xa%40", &csrf).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html(&bad).contains("thư điện tử «xa@» không hợp lệ"),
        "{}",
        html(&bad)
    );
    let ok = form(
        &api,
        Some(&cookie),
        uri,
        &format!("email=xa%40tung-anh.vn&csrf={csrf}"),
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", html(&ok));
    let accounts = api
        .send(&so, "GET", "/quan-tri/tai-khoan", None, false)
        .await;
    assert!(html(&accounts).contains("value=\"xa@tung-anh.vn\""));

    let xa = api.login("xa").await;
    let notices = api.send(&xa, "GET", "/thong-bao", None, false).await;
    assert_eq!(notices.status, StatusCode::OK);
    assert!(html(&notices).contains("Chưa có thông báo."));
    let actions: Vec<String> = api
        .send(&so, "GET", "/api/v1/audit", None, false)
        .await
        .json["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str().map(str::to_string))
        .collect();
    assert!(
        actions.iter().any(|a| a == "reminder.schedule"),
        "{actions:?}"
    );
    assert!(actions.iter().any(|a| a == "user.email"), "{actions:?}");
}

/// The dashboard and the board are kept while nothing is committed (`cchc_app::memo`), and
/// every change shows on the next request: a report sent through this server, a review, and
/// a sign-out made on another server of the same database. What this server shows is each
/// time what a server that has kept nothing shows.
async fn kept_pages_show_every_change_at_once(api: Api) {
    const PAGES: [&str; 2] = ["/tong-quan?ky=2024-Q1", "/bao-cao/2024-Q1"];
    let so = api.login("so").await;
    open_q1(&api, &so).await;
    let xa = api.login("xa").await;
    // Shown as a server that keeps nothing shows it, and the same again while unchanged.
    let shown = |label: &'static str| {
        let api = &api;
        let so = &so;
        async move {
            let mut out = Vec::new();
            for p in PAGES {
                let here = api.send(so, "GET", p, None, false).await;
                assert_eq!(here.status, StatusCode::OK, "{label} {p}");
                let again = api.send(so, "GET", p, None, false).await;
                assert!(
                    here.bytes == again.bytes,
                    "{label} {p}: the same while unchanged"
                );
                let fresh = api
                    .send_via(&api.other_server(), so, "GET", p, None, false)
                    .await;
                assert!(
                    here.bytes == fresh.bytes,
                    "{label} {p}: what a fresh server shows"
                );
                out.push(here.bytes);
            }
            out
        }
    };
    let before = shown("before").await;

    let url = format!("/api/v1/periods/2024-Q1/reports/{COMMUNE}");
    let (a1, a2) = two_activities(&api);
    let items = json!([
        {"activity": a1, "status": "done", "note": "Đã ban hành kế hoạch"},
        {"activity": a2, "status": "done", "note": "Đã xong"}
    ]);
    let saved = save_report(&api, &xa, &url, 0, json!(items)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.json);
    let sub = submit_report(&api, &xa, &url, 1).await;
    assert_eq!(sub.status, StatusCode::OK, "{}", sub.json);
    let sent = shown("sent").await;
    assert!(sent[1] != before[1], "the board shows the sent report");
    assert!(sent[0] != before[0], "the dashboard counts the sent report");

    let acc = review_report(&api, &so, &url, json!({"decision": "accept"})).await;
    assert_eq!(acc.status, StatusCode::OK, "{}", acc.json);
    let accepted = shown("accepted").await;
    assert!(accepted[1] != sent[1], "the board shows the acceptance");

    // Signed out on the other server: refused here on the next request.
    let out = api
        .send_via(
            &api.other_server(),
            &so,
            "DELETE",
            "/api/v1/session",
            None,
            true,
        )
        .await;
    assert!(out.status.is_success(), "sign-out: {}", out.status);
    for p in PAGES {
        let r = api.send(&so, "GET", p, None, false).await;
        assert_ne!(r.status, StatusCode::OK, "{p} after signing out elsewhere");
    }
    let me = api.send(&so, "GET", "/api/v1/me", None, false).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
}
