//! The test app: a fresh SQLite database loaded with the real Đức Thọ 2024 plan and its unit
//! registry, read through the real importer.

#![allow(dead_code)] // each test binary uses a different part of the helper

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use cchc_domain::{Plan, Registry};
use cchc_store::{PlanId, Store};
use tower::ServiceExt;

pub const DECISION: &str = include_str!("../../../../data/duc-tho-2024/duc-tho-2024-qd60.txt");
pub const UNITS_CSV: &[u8] = include_bytes!("../../../../data/duc-tho-2024/units.csv");

pub struct TestApp {
    pub store: Store,
    pub plan_id: PlanId,
    /// The plan as the importer read it, to compare pages with.
    pub plan: Plan,
    pub registry: Registry,
    _dir: Option<tempfile::TempDir>,
}

/// One page as the browser gets it.
pub struct Page {
    pub status: StatusCode,
    pub set_cookie: Option<String>,
    pub content_type: String,
    pub body: String,
}

impl Page {
    /// The number of matching activities the plan page announces.
    pub fn count(&self) -> usize {
        let marker = "data-count=\"";
        let at = self.body.find(marker).expect("the page shows a count") + marker.len();
        let end = self.body[at..].find('"').unwrap();
        self.body[at..at + end].parse().unwrap()
    }

    /// The activity keys of the matrix rows on the page, in order.
    pub fn activity_rows(&self) -> Vec<String> {
        self.body
            .match_indices("<tr id=\"hd-")
            .map(|(i, m)| {
                let rest = &self.body[i + m.len()..];
                rest[..rest.find('"').unwrap()].to_string()
            })
            .collect()
    }
}

impl TestApp {
    /// A fresh SQLite file in a temporary directory, with the real registry and plan.
    pub async fn duc_tho() -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/t.db", dir.path().display());
        TestApp::duc_tho_at(&url, Some(dir)).await
    }

    /// The real registry and plan loaded into the (empty) database at `url`.
    pub async fn duc_tho_at(url: &str, dir: Option<tempfile::TempDir>) -> TestApp {
        let store = cchc_store::connect(url).await.expect("open the store");
        let units = cchc_ingest::units_csv::read_units_csv(UNITS_CSV).expect("read units.csv");
        store.import_units(&units).await.unwrap();
        let registry = Registry::new(units);
        let plan = cchc_ingest::decision::parse_decision(DECISION, &registry).expect("read QĐ 60");
        let plan_id = store.insert_plan(&plan).await.unwrap();
        TestApp {
            store,
            plan_id,
            plan,
            registry,
            _dir: dir,
        }
    }

    pub fn router(&self) -> Router {
        cchc_web::router(Arc::clone(&self.store))
    }

    pub async fn get(&self, uri: &str) -> Page {
        get(self.router(), uri, None).await
    }

    pub async fn get_with_cookie(&self, uri: &str, cookie: &str) -> Page {
        get(self.router(), uri, Some(cookie)).await
    }

    /// Adds a standing-office account and signs it in through the API: (cookie, CSRF token).
    #[allow(dead_code)] // not every test binary signs in
    pub async fn sign_in_office(&self) -> (String, String) {
        self.sign_in_as(
            "thuong-truc",
            "phong-noi-vu",
            cchc_domain::execution::Role::StandingOffice,
        )
        .await
    }

    /// Adds an account of `role` in `unit` and signs it in through the API: (cookie, CSRF
    /// token).
    #[allow(dead_code)] // not every test binary signs in
    pub async fn sign_in_as(
        &self,
        username: &str,
        unit: &str,
        role: cchc_domain::execution::Role,
    ) -> (String, String) {
        const PW: &str = "mat-khau-thu-nghiem";
        let state = cchc_web::AppState::new(Arc::clone(&self.store), cchc_web::Settings::default());
        cchc_app::execution::add_user(&state, "test", username, unit, role, PW, false)
            .await
            .unwrap();
        let res = self
            .router()
            .oneshot(
                Request::post("/api/v1/session")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(format!(
                        r#"{{"username":"{username}","password":"{PW}"}}"#
                    )))
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let cookie = res.headers()[header::SET_COOKIE].to_str().unwrap();
        let cookie = cookie.split(';').next().unwrap().to_string();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        (cookie, json["csrf_token"].as_str().unwrap().to_string())
    }

    /// The plan page with a query string (without '?').
    pub async fn get_plan(&self, query: &str) -> Page {
        self.get(&format!("/ke-hoach/{}?{query}", self.plan_id))
            .await
    }
}

pub async fn get(router: Router, uri: &str, cookie: Option<&str>) -> Page {
    let mut req = Request::builder().uri(uri);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let res = router
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let header_str = |h| {
        res.headers()
            .get(h)
            .map(|v: &header::HeaderValue| v.to_str().unwrap().to_string())
    };
    let set_cookie = header_str(header::SET_COOKIE);
    let content_type = header_str(header::CONTENT_TYPE).unwrap_or_default();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    let body = String::from_utf8(bytes.to_vec()).unwrap();
    if content_type.starts_with("text/html") {
        assert_no_inline_script(uri, &body);
    }
    Page {
        status,
        set_cookie,
        content_type,
        body,
    }
}

/// The tags of an HTML document: (name, [(attribute, value)]), lower-case names. Text and
/// attribute values cannot hold `<` or `>` unescaped in maud's output, so the scan is exact for
/// the pages; the contents of `<script>` and `<style>` are skipped as raw text.
pub fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if rest.starts_with("!--") {
            rest = rest.find("-->").map_or("", |e| &rest[e + 3..]);
            continue;
        }
        let Some(end) = rest.find('>') else { break };
        let inner = &rest[..end];
        rest = &rest[end + 1..];
        if inner.starts_with('/') || inner.starts_with('!') || inner.starts_with('?') {
            continue;
        }
        let name_end = inner
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(inner.len());
        let name = inner[..name_end].to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut a = inner[name_end..].trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        while !a.is_empty() {
            let n_end = a
                .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
                .unwrap_or(a.len());
            let attr = a[..n_end].to_ascii_lowercase();
            a = &a[n_end..];
            let mut value = String::new();
            if let Some(v) = a.strip_prefix('=') {
                if let Some(q) = v.chars().next().filter(|c| *c == '"' || *c == '\'') {
                    let close = v[1..].find(q).map_or(v.len(), |i| i + 1);
                    value = v[1..close].to_string();
                    a = v.get(close + 1..).unwrap_or("");
                } else {
                    let e = v.find(char::is_whitespace).unwrap_or(v.len());
                    value = v[..e].to_string();
                    a = &v[e..];
                }
            }
            if !attr.is_empty() {
                attrs.push((attr, value));
            }
            a = a.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        }
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            rest = rest.find(&close).map_or("", |e| &rest[e..]);
        }
        out.push((name, attrs));
    }
    out
}

/// What the Content-Security-Policy would block in `html`: a `<script>` without `src`, an
/// `on…=` handler, a `style=` attribute or a `<style>` block, a `javascript:` URL.
pub fn inline_script_flaws(html: &str) -> Vec<String> {
    let mut flaws = Vec::new();
    for (name, attrs) in tags(html) {
        if name == "script" && !attrs.iter().any(|(k, _)| k == "src") {
            flaws.push("<script> without src".to_string());
        }
        if name == "style" {
            flaws.push("<style> block".to_string());
        }
        for (k, v) in &attrs {
            if k.starts_with("on") {
                flaws.push(format!("<{name} {k}=…>"));
            }
            if k == "style" {
                flaws.push(format!("<{name} style=…>"));
            }
            if v.trim_start()
                .to_ascii_lowercase()
                .starts_with("javascript:")
            {
                flaws.push(format!("<{name} {k}=\"javascript:…\">"));
            }
        }
    }
    flaws
}

/// Every page a test renders is held to the Content-Security-Policy.
pub fn assert_no_inline_script(uri: &str, html: &str) {
    let flaws = inline_script_flaws(html);
    assert!(flaws.is_empty(), "{uri}: {flaws:?}");
}
