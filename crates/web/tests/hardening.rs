//! Web hardening, on SQLite and PostgreSQL: the security headers of every response, pages
//! without inline script, the forced password change of a one-time password, one's own
//! sessions (listed, ended, never another account's), and the audit log by pages.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use cchc_domain::execution::Role;
use cchc_store::execution::AuditDraft;
use cchc_web::{AppState, Settings};
use serde_json::{json, Value};
use tower::ServiceExt;

const PW: &str = "mat-khau-dai-du-10";

struct T {
    app: common::TestApp,
    router: Router,
    state: AppState,
    _files: tempfile::TempDir,
}

struct Res {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
    json: Value,
}

impl Res {
    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .map_or("", |v| v.to_str().unwrap())
    }
}

/// A signed-in client: the cookie and the CSRF token.
#[derive(Clone)]
struct C {
    cookie: String,
    csrf: String,
}

impl T {
    async fn on(app: common::TestApp) -> T {
        let files = tempfile::tempdir().unwrap();
        let settings = Settings {
            files_dir: files.path().join("files"),
            ..Default::default()
        };
        let state = AppState::new(app.store.clone(), settings.clone());
        let router = cchc_web::router_with(Arc::clone(&app.store), settings);
        T {
            app,
            router,
            state,
            _files: files,
        }
    }

    async fn add(&self, name: &str, unit: &str, role: Role) {
        cchc_app::execution::add_user(&self.state, "test", name, unit, role, PW, false)
            .await
            .unwrap();
    }

    async fn send(
        &self,
        c: Option<&C>,
        method: &str,
        uri: &str,
        body: Option<(&str, String)>,
    ) -> Res {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(c) = c {
            req = req.header(header::COOKIE, &c.cookie);
            if method != "GET"
                && !matches!(&body, Some((t, _)) if t.starts_with("application/x-www"))
            {
                req = req.header("x-csrf-token", &c.csrf);
            }
        }
        let body = match body {
            Some((ctype, b)) => {
                req = req.header(header::CONTENT_TYPE, ctype);
                Body::from(b)
            }
            None => Body::empty(),
        };
        let res = self
            .router
            .clone()
            .oneshot(req.body(body).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = String::from_utf8_lossy(&bytes).to_string();
        if headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.to_str().unwrap().starts_with("text/html"))
        {
            common::assert_no_inline_script(uri, &body);
        }
        let json = serde_json::from_str(&body).unwrap_or(Value::Null);
        Res {
            status,
            headers,
            body,
            json,
        }
    }

    async fn get(&self, c: Option<&C>, uri: &str) -> Res {
        self.send(c, "GET", uri, None).await
    }

    async fn json(&self, c: Option<&C>, method: &str, uri: &str, v: Value) -> Res {
        self.send(c, method, uri, Some(("application/json", v.to_string())))
            .await
    }

    /// A page form with the client's CSRF token in its `csrf` field.
    async fn form(&self, c: &C, uri: &str, fields: &str) -> Res {
        let body = if fields.is_empty() {
            format!("csrf={}", c.csrf)
        } else {
            format!("{fields}&csrf={}", c.csrf)
        };
        self.send(
            Some(c),
            "POST",
            uri,
            Some(("application/x-www-form-urlencoded", body)),
        )
        .await
    }

    async fn login_with(&self, user: &str, password: &str) -> (C, Res) {
        let r = self
            .json(
                None,
                "POST",
                "/api/v1/session",
                json!({"username": user, "password": password}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "login {user}: {}", r.body);
        let cookie = r.headers[header::SET_COOKIE].to_str().unwrap();
        let c = C {
            cookie: cookie.split(';').next().unwrap().to_string(),
            csrf: r.json["csrf_token"].as_str().unwrap().to_string(),
        };
        (c, r)
    }

    async fn login(&self, user: &str) -> C {
        self.login_with(user, PW).await.0
    }

    async fn actions(&self) -> Vec<String> {
        let all = self
            .app
            .store
            .execution()
            .list_audit(&Default::default())
            .await
            .unwrap();
        all.into_iter().map(|e| e.action).collect()
    }
}

macro_rules! both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(super::T::on(super::common::TestApp::duc_tho().await).await).await })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let Some(db) = cchc_store::testing::TestDatabase::create().await else { return };
                let app = super::common::TestApp::duc_tho_at(db.url(), None).await;
                let t = super::T::on(app).await;
                let outcome = tokio::spawn(super::$name(t)).await;
                db.drop().await;
                if let Err(e) = outcome { std::panic::resume_unwind(e.into_panic()); }
            })*
        }
    };
}

both!(
    every_response_carries_the_security_headers,
    no_page_has_inline_script,
    a_one_time_password_must_be_changed_first,
    own_sessions_are_listed_and_ended_but_not_another_accounts,
    the_audit_log_pages_newest_first,
);

fn assert_headers(what: &str, r: &Res) {
    let h = |n: header::HeaderName| {
        r.headers
            .get(&n)
            .unwrap_or_else(|| panic!("{what}: no {n}"))
            .to_str()
            .unwrap()
            .to_string()
    };
    let csp = h(header::CONTENT_SECURITY_POLICY);
    for part in [
        "default-src 'self'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ] {
        assert!(csp.contains(part), "{what}: {part} in {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert_eq!(h(header::X_FRAME_OPTIONS), "DENY", "{what}");
    assert_eq!(h(header::X_CONTENT_TYPE_OPTIONS), "nosniff", "{what}");
    assert_eq!(h(header::REFERRER_POLICY), "same-origin", "{what}");
}

async fn every_response_carries_the_security_headers(t: T) {
    let page = t.get(None, "/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_headers("page /", &page);
    let api = t.get(None, "/api/v1/me").await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    assert_headers("API 401", &api);
    t.add("so", "phong-noi-vu", Role::StandingOffice).await;
    let so = t.login("so").await;
    let me = t.get(Some(&so), "/api/v1/me").await;
    assert_eq!(me.status, StatusCode::OK);
    assert_headers("API 200", &me);
    for asset in ["/static/app.js", "/static/app.css", "/api/openapi.json"] {
        let r = t.get(None, asset).await;
        assert_eq!(r.status, StatusCode::OK, "{asset}");
        assert_headers(asset, &r);
    }
    let missing = t.get(None, "/khong-co-trang-nay").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_headers("404", &missing);
    let redirect = t.get(None, "/bao-cao").await;
    assert_eq!(redirect.status, StatusCode::SEE_OTHER);
    assert_headers("redirect to sign-in", &redirect);
}

async fn no_page_has_inline_script(t: T) {
    // The check itself finds what the policy would block.
    let flaws = common::inline_script_flaws(
        "<p>a &lt;script&gt;</p><script>alert(1)</script><script src=\"/static/app.js\" defer></script>\
         <a href=\"#\" onclick=\"x()\">x</a><li style=\"--d:1\">y</li><a href=\"javascript:go()\">z</a>",
    );
    assert_eq!(
        flaws,
        vec![
            "<script> without src",
            "<a onclick=…>",
            "<li style=…>",
            "<a href=\"javascript:…\">"
        ]
    );
    t.add("so", "phong-noi-vu", Role::StandingOffice).await;
    t.add("adm", "phong-noi-vu", Role::Admin).await;
    t.add("xa", "xa-tung-anh", Role::Reporter).await;
    let so = t.login("so").await;
    let r = t
        .json(
            Some(&so),
            "POST",
            "/api/v1/periods",
            json!({"period": "2024-Q1", "due": "2099-04-20T17:00:00+07:00"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let adm = t.login("adm").await;
    let xa = t.login("xa").await;
    let plan = format!("/ke-hoach/{}", t.app.plan_id);
    let public = [
        "/".to_string(),
        plan.clone(),
        format!("{plan}?q=tiep+nhan"),
        "/don-vi".into(),
        "/don-vi/xa-tung-anh".into(),
        "/chi-so".into(),
        "/dang-nhap".into(),
        "/khong-co".into(),
    ];
    let mut seen = 0;
    for uri in &public {
        let r = t.get(None, uri).await;
        assert!(r.body.contains("<html"), "{uri}: a page");
        seen += 1;
    }
    let office = [
        "/bao-cao",
        "/bao-cao/2024-Q1",
        "/bao-cao/2024-Q1/xa-tung-anh",
        "/tong-quan?ky=2024-Q1",
        "/qua-han",
        "/nhat-ky",
        "/quan-tri/tai-khoan",
        "/ky-bao-cao",
        "/bao-cao/ky/2024-Q1/van-ban",
        "/tai-khoan/phien",
        "/doi-mat-khau",
        "/nhap-du-lieu",
        "/nhac-viec",
        "/thong-bao",
    ];
    for (c, uris) in [(&so, &office[..]), (&adm, &office[..])] {
        for uri in uris {
            let r = t.get(Some(c), uri).await;
            assert!(r.body.contains("<html"), "{uri}: a page ({})", r.status);
            seen += 1;
        }
    }
    for uri in [
        "/bao-cao",
        "/bao-cao/2024-Q1/xa-tung-anh",
        "/qua-han",
        "/tai-khoan/phien",
    ] {
        let r = t.get(Some(&xa), uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        seen += 1;
    }
    // The import page's script now lives in app.js.
    let js = t.get(None, "/static/app.js").await;
    assert!(js.body.contains("form.import"));
    assert!(seen > 30);
}

async fn a_one_time_password_must_be_changed_first(t: T) {
    // What `cchc serve` does on first start: the administrator with a one-time password.
    let one_time = "mot-lan-duy-nhat-1";
    cchc_app::execution::add_user_one_time(
        &t.state,
        "system",
        "admin",
        "phong-noi-vu",
        Role::Admin,
        one_time,
    )
    .await
    .unwrap();
    let (adm, r) = t.login_with("admin", one_time).await;
    assert_eq!(r.json["must_change_password"], true);
    // Every page sends to the change-password page; the API refuses.
    for uri in [
        "/bao-cao",
        "/nhat-ky",
        "/quan-tri/tai-khoan",
        "/tai-khoan/phien",
    ] {
        let r = t.get(Some(&adm), uri).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{uri}");
        assert_eq!(r.location(), "/doi-mat-khau", "{uri}");
    }
    // The public pages too, while signed in; signed out they show as ever.
    for uri in ["/", "/don-vi", "/chi-so"] {
        let r = t.get(Some(&adm), uri).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{uri}");
        assert_eq!(r.location(), "/doi-mat-khau", "{uri}");
        assert_eq!(t.get(None, uri).await.status, StatusCode::OK, "{uri}");
    }
    for (method, uri) in [
        ("GET", "/api/v1/me"),
        ("GET", "/api/v1/users"),
        ("GET", "/api/v1/audit"),
    ] {
        let r = t.send(Some(&adm), method, uri, None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri}");
        assert_eq!(r.json["error"], "PasswordChangeRequired", "{uri}");
        assert!(
            r.json["message"]
                .as_str()
                .unwrap()
                .contains("phải đổi mật khẩu"),
            "{}",
            r.json
        );
    }
    let add = t
        .json(
            Some(&adm),
            "POST",
            "/api/v1/users",
            json!({"username": "x", "unit": "xa-tung-anh", "role": "reporter", "password": PW}),
        )
        .await;
    assert_eq!(add.json["error"], "PasswordChangeRequired");
    let page = t.get(Some(&adm), "/doi-mat-khau").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"phai-doi\""), "the page says why");
    // The change ends the session; signing in with the new password works normally.
    let r = t
        .json(
            Some(&adm),
            "PUT",
            "/api/v1/me/password",
            json!({"old_password": one_time, "new_password": PW}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(
        t.get(Some(&adm), "/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    let (adm, r) = t.login_with("admin", PW).await;
    assert_eq!(r.json["must_change_password"], false);
    assert_eq!(t.get(Some(&adm), "/api/v1/me").await.status, StatusCode::OK);
    assert_eq!(t.get(Some(&adm), "/").await.status, StatusCode::OK);
    assert_eq!(t.get(Some(&adm), "/bao-cao").await.status, StatusCode::OK);
    assert!(!t
        .get(Some(&adm), "/doi-mat-khau")
        .await
        .body
        .contains("id=\"phai-doi\""));
    // A reset by the administrator makes the next sign-in change it again; signing out is
    // still allowed meanwhile.
    t.add("xa", "xa-tung-anh", Role::Reporter).await;
    let r = t
        .json(
            Some(&adm),
            "POST",
            "/api/v1/users/xa/password",
            json!({"password": "dat-lai-boi-quan-tri"}),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let (xa, _) = t.login_with("xa", "dat-lai-boi-quan-tri").await;
    assert_eq!(
        t.get(Some(&xa), "/api/v1/periods").await.json["error"],
        "PasswordChangeRequired"
    );
    let out = t.send(Some(&xa), "DELETE", "/api/v1/session", None).await;
    assert!(out.status.is_success(), "{}", out.body);
    // Through the page form this time.
    let (xa, _) = t.login_with("xa", "dat-lai-boi-quan-tri").await;
    assert_eq!(
        t.get(Some(&xa), "/bao-cao").await.location(),
        "/doi-mat-khau"
    );
    let r = t
        .form(
            &xa,
            "/doi-mat-khau",
            "old_password=dat-lai-boi-quan-tri&new_password=mat-khau-cua-toi",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (xa, _) = t.login_with("xa", "mat-khau-cua-toi").await;
    assert_eq!(t.get(Some(&xa), "/bao-cao").await.status, StatusCode::OK);
}

/// The short ids of the sessions listed on the page, and which one is marked current.
fn listed(body: &str) -> (Vec<String>, Vec<String>) {
    let mut ids = Vec::new();
    let mut current = Vec::new();
    for (name, attrs) in common::tags(body) {
        if name != "tr" {
            continue;
        }
        if let Some((_, id)) = attrs.iter().find(|(k, _)| k == "data-session") {
            ids.push(id.clone());
            if attrs.iter().any(|(k, _)| k == "data-current") {
                current.push(id.clone());
            }
        }
    }
    (ids, current)
}

async fn own_sessions_are_listed_and_ended_but_not_another_accounts(t: T) {
    t.add("xa", "xa-tung-anh", Role::Reporter).await;
    t.add("xa2", "xa-duc-lang", Role::Reporter).await;
    let first = t.login("xa").await;
    let second = t.login("xa").await;
    let page = t.get(Some(&first), "/tai-khoan/phien").await;
    assert_eq!(page.status, StatusCode::OK);
    let (ids, current) = listed(&page.body);
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert_eq!(current.len(), 1);
    let mine = current[0].clone();
    let other = ids.iter().find(|i| **i != mine).unwrap().clone();
    assert_eq!(mine.len(), 8);
    // Neither the cookie's token nor the stored hash of it is on the page.
    let token = first.cookie.split('=').nth(1).unwrap();
    assert!(!page.body.contains(token));
    assert!(!page
        .body
        .contains(&cchc_domain::execution::sha256_hex(token.as_bytes())));
    // The second browser sees itself as current.
    let (_, cur2) = listed(&t.get(Some(&second), "/tai-khoan/phien").await.body);
    assert_eq!(cur2, vec![other.clone()]);

    // Another account cannot end xa's session: refused, audited, and the session lives.
    let intruder = t.login("xa2").await;
    let r = t
        .form(
            &intruder,
            "/tai-khoan/phien/ket-thuc",
            &format!("id={other}"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r
        .body
        .contains("không phải là một phiên đăng nhập của tài khoản «xa2»"));
    assert!(t.actions().await.contains(&"access.denied".to_string()));
    assert_eq!(
        t.get(Some(&second), "/api/v1/me").await.status,
        StatusCode::OK
    );
    // Without the CSRF field the form is refused.
    let r = t
        .send(
            Some(&first),
            "POST",
            "/tai-khoan/phien/ket-thuc",
            Some(("application/x-www-form-urlencoded", format!("id={other}"))),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        t.get(Some(&second), "/api/v1/me").await.status,
        StatusCode::OK
    );

    // Ending the other one makes its cookie invalid; this one stays.
    let r = t
        .form(&first, "/tai-khoan/phien/ket-thuc", &format!("id={other}"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/tai-khoan/phien");
    assert_eq!(
        t.get(Some(&second), "/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        t.get(Some(&first), "/api/v1/me").await.status,
        StatusCode::OK
    );
    let (ids, _) = listed(&t.get(Some(&first), "/tai-khoan/phien").await.body);
    assert_eq!(ids, vec![mine.clone()]);

    // End all others: two more browsers, one form.
    let third = t.login("xa").await;
    let fourth = t.login("xa").await;
    let r = t.form(&first, "/tai-khoan/phien/ket-thuc-khac", "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    for c in [&third, &fourth] {
        assert_eq!(
            t.get(Some(c), "/api/v1/me").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        t.get(Some(&first), "/api/v1/me").await.status,
        StatusCode::OK
    );
    assert_eq!(
        t.get(Some(&intruder), "/api/v1/me").await.status,
        StatusCode::OK,
        "another account's session is untouched"
    );
    // Ending this one signs out.
    let r = t
        .form(&first, "/tai-khoan/phien/ket-thuc", &format!("id={mine}"))
        .await;
    assert_eq!(r.location(), "/dang-nhap");
    assert_eq!(
        t.get(Some(&first), "/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    let actions = t.actions().await;
    assert_eq!(actions.iter().filter(|a| *a == "session.end").count(), 2);
    assert!(actions.contains(&"session.end_others".to_string()));
}

async fn the_audit_log_pages_newest_first(t: T) {
    t.add("so", "phong-noi-vu", Role::StandingOffice).await;
    let so = t.login("so").await;
    let x = t.app.store.execution();
    for i in 0..230 {
        let unit = if i % 2 == 0 {
            "xa-tung-anh"
        } else {
            "xa-duc-lang"
        };
        x.append_audit(&AuditDraft::new(
            "tester",
            &format!("test.{i}"),
            format!("o:{i}"),
            Some(unit),
        ))
        .await
        .unwrap();
    }
    let all = x.list_audit(&Default::default()).await.unwrap();
    let total = all.len() as i64;
    let newest = all.last().unwrap().seq;
    let r = t.get(Some(&so), "/api/v1/audit?page=2").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json["total"], total);
    assert_eq!(r.json["page"], 2);
    assert_eq!(r.json["per_page"], 100);
    let seqs: Vec<i64> = r.json["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(
        seqs,
        ((newest - 199)..=(newest - 100)).rev().collect::<Vec<_>>()
    );
    assert_eq!(r.json["next"], "/api/v1/audit?page=3");
    assert_eq!(r.json["prev"], "/api/v1/audit?page=1");
    let last = t.get(Some(&so), "/api/v1/audit?page=3").await;
    assert_eq!(
        last.json["entries"].as_array().unwrap().len() as i64,
        total - 200
    );
    assert!(last.json["next"].is_null());
    // Filtered by unit: the total and the links keep the filter.
    let r = t
        .get(Some(&so), "/api/v1/audit?unit=xa-duc-lang&page=2")
        .await;
    assert_eq!(r.json["total"], 115);
    assert_eq!(r.json["entries"].as_array().unwrap().len(), 15);
    assert!(r.json["entries"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["unit"] == "xa-duc-lang"));
    assert_eq!(r.json["prev"], "/api/v1/audit?unit=xa-duc-lang&page=1");
    let bad = t.get(Some(&so), "/api/v1/audit?page=0").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.json["message"].as_str().unwrap().contains("«page»"));
    // The page: page 2 holds the same entries, with links both ways.
    let page = t.get(Some(&so), "/nhat-ky?trang=2").await;
    assert_eq!(page.status, StatusCode::OK);
    let rows: Vec<String> = common::tags(&page.body)
        .into_iter()
        .filter(|(n, a)| n == "tr" && a.iter().any(|(k, _)| k == "data-action"))
        .map(|(_, a)| a.into_iter().find(|(k, _)| k == "data-action").unwrap().1)
        .collect();
    let expected: Vec<String> = all
        .iter()
        .rev()
        .skip(100)
        .take(100)
        .map(|e| e.action.clone())
        .collect();
    assert_eq!(rows, expected);
    assert!(page.body.contains("href=\"/nhat-ky?trang=3\""));
    assert!(page.body.contains("href=\"/nhat-ky?trang=1\""));
    assert!(page.body.contains(&format!("{total} mục")));
}
