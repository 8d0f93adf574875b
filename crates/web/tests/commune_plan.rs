//! Communes' plans through the pages, on SQLite and PostgreSQL: the standing office derives
//! the drafts, a commune edits and issues its own (bad input refused in Vietnamese, nothing
//! written), the overview counts it, an issued plan is read-only, an import lists its
//! differences; every page passes the CSP check.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use cchc_domain::execution::{verify_chain, Role};
use cchc_store::execution::AuditFilter;
use cchc_web::Settings;
use common::{assert_no_inline_script, TestApp};
use tower::ServiceExt;

const COMMUNE: &str = "xa-tung-anh";
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

struct Ctx {
    app: TestApp,
    router: Router,
    _files: tempfile::TempDir,
}

struct Res {
    status: StatusCode,
    location: String,
    body: String,
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl Ctx {
    fn on(app: TestApp) -> Ctx {
        let files = tempfile::tempdir().unwrap();
        let settings = Settings {
            files_dir: files.path().join("files"),
            ..Default::default()
        };
        let router = cchc_web::router_with(Arc::clone(&app.store), settings);
        Ctx {
            app,
            router,
            _files: files,
        }
    }

    async fn send(&self, req: Request<Body>) -> Res {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let location = res
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        Res {
            status,
            location,
            body: String::from_utf8(bytes.to_vec()).unwrap(),
        }
    }

    async fn page(&self, uri: &str, cookie: &str) -> Res {
        let r = self
            .send(
                Request::get(uri)
                    .header(header::COOKIE, cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_no_inline_script(uri, &r.body);
        r
    }

    async fn post(&self, uri: &str, cookie: &str, form: &str) -> Res {
        self.send(
            Request::post(uri)
                .header(header::COOKIE, cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form.to_string()))
                .unwrap(),
        )
        .await
    }

    async fn multipart(
        &self,
        uri: &str,
        cookie: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &[u8])>,
    ) -> Res {
        let boundary = "XyZb0undary";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        if let Some((name, bytes)) = file {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.send(
            Request::post(uri)
                .header(header::COOKIE, cookie)
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    async fn issued_count(&self, cookie: &str) -> usize {
        let r = self.page("/ke-hoach-xa/2024", cookie).await;
        let marker = "id=\"so-da-ban-hanh\">";
        let at = r.body.find(marker).expect("the issued count") + marker.len();
        r.body[at..at + r.body[at..].find('<').unwrap()]
            .parse()
            .unwrap()
    }

    async fn audit_actions(&self) -> Vec<String> {
        let all = self
            .app
            .store
            .execution()
            .list_audit(&AuditFilter::default())
            .await
            .unwrap();
        assert!(verify_chain(&all).is_ok());
        all.into_iter().map(|e| e.action).collect()
    }
}

async fn a_commune_edits_and_issues_its_derived_draft_and_the_overview_counts_it(c: Ctx) {
    let (office, office_csrf) = c.app.sign_in_office().await;
    let (xa, xa_csrf) = c.app.sign_in_as("xa-ta", COMMUNE, Role::Reporter).await;
    let url = format!("/ke-hoach-xa/2024/{COMMUNE}");

    // Before any draft: the commune's page says so; the overview counts nobody.
    let r = c.page(&url, &xa).await;
    assert!(r.body.contains("Chưa có dự thảo"), "{}", r.body);
    assert_eq!(c.issued_count(&office).await, 0);
    let overview = c.page("/ke-hoach-xa/2024", &office).await;
    assert!(
        overview.body.contains("05/02/2024"),
        "the deadline comes from the plan"
    );

    // A reporter may not generate.
    let r = c
        .post(
            "/ke-hoach-xa/2024/lap-du-thao",
            &xa,
            &format!("csrf={xa_csrf}&don_vi="),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let r = c
        .post(
            "/ke-hoach-xa/2024/lap-du-thao",
            &office,
            &format!("csrf={office_csrf}&don_vi="),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_no_inline_script("/ke-hoach-xa/2024/lap-du-thao", &r.body);
    let communes = c
        .app
        .registry
        .units()
        .iter()
        .filter(|u| cchc_domain::commune_plan::is_commune(u))
        .count();
    assert!(
        r.body.contains(&format!("<b>{communes}</b> đơn vị")),
        "{}",
        r.body
    );

    // The draft holds what the derivation gives, with edit forms for the commune.
    let commune = c
        .app
        .registry
        .get(&cchc_domain::UnitId::parse(COMMUNE).unwrap())
        .unwrap()
        .clone();
    let derived = cchc_domain::commune_plan::derive(&c.app.plan, &c.app.registry, &commune);
    let r = c.page(&url, &xa).await;
    assert_eq!(
        r.body.matches("<tr data-key=").count(),
        derived.activities().count()
    );
    assert!(r.body.contains("id=\"ban-hanh\""));
    let first = derived.activities().next().unwrap().activity.id.clone();

    // Edit one thing: the first activity's output and deadline; a bad deadline is refused.
    let bad = c
        .post(
            &format!("{url}/sua"),
            &xa,
            &format!(
                "csrf={xa_csrf}&thao_tac=sua&key={}&ket_qua=x&thoi_han={}",
                enc(&first),
                enc("sớm nhất có thể")
            ),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("Thời gian hoàn thành"), "{}", bad.body);
    let r = c
        .post(
            &format!("{url}/sua"),
            &xa,
            &format!(
                "csrf={xa_csrf}&thao_tac=sua&key={}&ket_qua={}&thoi_han={}",
                enc(&first),
                enc("Kế hoạch của xã"),
                enc("Trước 31/01/2024")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let rec = c
        .app
        .store
        .commune_plans()
        .commune_plan(2024, COMMUNE)
        .await
        .unwrap()
        .unwrap();
    assert!(rec.edited);
    let a = rec.plan.activity(&first).unwrap().activity.clone();
    assert_eq!(a.outputs.as_deref(), Some("Kế hoạch của xã"));
    assert_eq!(a.deadline.unwrap().text, "Trước 31/01/2024");

    // Regenerating keeps the edited draft unless confirmed.
    let r = c
        .post(
            "/ke-hoach-xa/2024/lap-du-thao",
            &office,
            &format!("csrf={office_csrf}&don_vi={COMMUNE}"),
        )
        .await;
    assert!(r.body.contains("id=\"da-sua\""), "{}", r.body);
    let kept = c
        .app
        .store
        .commune_plans()
        .commune_plan(2024, COMMUNE)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.plan, rec.plan);

    // Issuing: a wrong number, a future date and a missing file are each refused, in words.
    let issue = format!("{url}/ban-hanh");
    for (number, date, file, words) in [
        ("15/QĐ-UBND", "2024-02-03", Some(("kh.pdf", PDF)), "Số hiệu"),
        (
            "15/KH-UBND",
            "2999-01-01",
            Some(("kh.pdf", PDF)),
            "tương lai",
        ),
        ("15/KH-UBND", "2024-02-03", None, "Tệp kế hoạch đã ký"),
        (
            "15/KH-UBND",
            "2024-02-03",
            Some(("kh.txt", b"not a pdf".as_slice())),
            "không phải PDF",
        ),
    ] {
        let r = c
            .multipart(
                &issue,
                &xa,
                &[("csrf", &xa_csrf), ("so_hieu", number), ("ngay", date)],
                file,
            )
            .await;
        assert_ne!(r.status, StatusCode::SEE_OTHER, "{number} {date}");
        assert!(r.body.contains(words), "{words}: {}", r.body);
    }
    assert_eq!(
        c.issued_count(&office).await,
        0,
        "nothing was issued by a refusal"
    );

    let r = c
        .multipart(
            &issue,
            &xa,
            &[
                ("csrf", &xa_csrf),
                ("so_hieu", "15/KH-UBND"),
                ("ngay", "2024-02-03"),
            ],
            Some(("ke-hoach.pdf", PDF)),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location, url);
    assert_eq!(c.issued_count(&office).await, 1);
    let overview = c.page("/ke-hoach-xa/2024", &office).await;
    assert!(overview.body.contains("Ban hành đúng hạn"));
    assert!(overview.body.contains("id=\"so-dung-han\">1<"));

    // Issued: read-only.
    let r = c.page(&url, &xa).await;
    assert!(r.body.contains("15/KH-UBND"));
    assert!(!r.body.contains("id=\"ban-hanh\""));
    let again = c
        .post(
            &format!("{url}/sua"),
            &xa,
            &format!("csrf={xa_csrf}&thao_tac=bo&key={}", enc(&first)),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);

    let actions = c.audit_actions().await;
    for a in [
        "commune_plan.generate",
        "commune_plan.edit",
        "commune_plan.issue",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
    }
}

async fn another_commune_cannot_touch_a_draft_and_an_import_lists_differences(c: Ctx) {
    let (office, office_csrf) = c.app.sign_in_office().await;
    let (other, other_csrf) = c
        .app
        .sign_in_as("xa-khac", "xa-hoa-lac", Role::Reporter)
        .await;
    c.post(
        "/ke-hoach-xa/2024/lap-du-thao",
        &office,
        &format!("csrf={office_csrf}&don_vi="),
    )
    .await;
    let url = format!("/ke-hoach-xa/2024/{COMMUNE}");
    let r = c
        .multipart(
            &format!("{url}/ban-hanh"),
            &other,
            &[
                ("csrf", &other_csrf),
                ("so_hieu", "1/KH-UBND"),
                ("ngay", "2024-02-01"),
            ],
            Some(("kh.pdf", PDF)),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(c.audit_actions().await.iter().any(|a| a == "access.denied"));

    // The district's own decision text, imported as if it were the commune's plan: linked to
    // the district plan, issued, and its differences from the derived draft listed.
    let text = include_str!("../../../data/duc-tho-2024/duc-tho-2024-qd60.txt");
    let r = c
        .multipart(
            &format!("{url}/nhap"),
            &office,
            &[("csrf", &office_csrf)],
            Some(("ke-hoach.txt", text.as_bytes())),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_no_inline_script("import", &r.body);
    assert!(r.body.contains("id=\"khac-biet\""), "{}", r.body);
    assert!(r.body.contains("Hoạt động thêm mới"), "{}", r.body);
    let rec = c
        .app
        .store
        .commune_plans()
        .commune_plan(2024, COMMUNE)
        .await
        .unwrap()
        .unwrap();
    assert!(rec.imported);
    assert_eq!(rec.parent.plan_id, c.app.plan_id.0);
    assert_eq!(c.issued_count(&office).await, 1);
}

macro_rules! both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(super::Ctx::on(super::common::TestApp::duc_tho().await)).await })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let Some(db) = cchc_store::testing::TestDatabase::create().await else { return };
                let app = super::common::TestApp::duc_tho_at(db.url(), None).await;
                let outcome = tokio::spawn(super::$name(super::Ctx::on(app))).await;
                db.drop().await;
                if let Err(e) = outcome { std::panic::resume_unwind(e.into_panic()); }
            })*
        }
    };
}

both!(
    a_commune_edits_and_issues_its_derived_draft_and_the_overview_counts_it,
    another_commune_cannot_touch_a_draft_and_an_import_lists_differences,
);
