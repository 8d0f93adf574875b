//! The browser test: the app on 127.0.0.1:0 with the real Đức Thọ plan in a fresh SQLite file,
//! driven by `node --test e2e/plan.test.mjs` (playwright-core and Debian's Chromium); and the
//! service pages, with files uploaded through the import page (`e2e/service.test.mjs`); the
//! report flow (`e2e/execution.test.mjs`); the header on a phone and a public activity page's
//! progress (`e2e/shell.test.mjs`); overdue and the dashboard (`e2e/overdue.test.mjs`); a
//! commune plan issued from its derived draft (`e2e/commune_plan.test.mjs`); year-end forecasts
//! and the SVG charts at 1366 and 390 px (`e2e/forecast.test.mjs`).
//!
//! Without `/usr/bin/chromium`, `node` or `e2e/node_modules`, the test says so and passes,
//! unless `CCHC_REQUIRE_BROWSER=1`, when it fails. `SCREENSHOT_DIR` is passed on to the script.

mod common;

use std::future::IntoFuture;
use std::path::{Path, PathBuf};
use std::process::Command;

use cchc_app::execution as service;
use cchc_domain::execution::Role;
use cchc_store::execution::{AuditDraft, PeriodRecord};
use common::TestApp;

const CHROMIUM: &str = "/usr/bin/chromium";

fn e2e_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e")
}

/// What is missing to run the browser test, if anything.
fn missing_parts() -> Vec<String> {
    let mut missing = Vec::new();
    if !Path::new(CHROMIUM).exists() {
        missing.push(format!("{CHROMIUM} (apt-get install chromium)"));
    }
    if !e2e_dir().join("node_modules/playwright-core").is_dir() {
        missing.push("e2e/node_modules (cd e2e && npm ci)".to_string());
    }
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("node".to_string());
    }
    missing
}

/// Whether the browser test can run; panics when it cannot and `CCHC_REQUIRE_BROWSER=1`.
fn browser_ready() -> bool {
    let missing = missing_parts();
    if missing.is_empty() {
        return true;
    }
    let msg = format!("browser test skipped, missing: {}", missing.join(", "));
    if std::env::var("CCHC_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!("{msg} (CCHC_REQUIRE_BROWSER=1)");
    }
    eprintln!("NOTICE: {msg}");
    false
}

/// Serves `router` on 127.0.0.1:0 and runs `node --test SCRIPT` against it.
async fn run_script(router: axum::Router, script: &'static str, env: Vec<(&'static str, String)>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(axum::serve(listener, router).into_future());
    let output = tokio::task::spawn_blocking(move || {
        let mut cmd = Command::new("node");
        cmd.args(["--test", "--test-reporter=spec", script])
            .current_dir(e2e_dir())
            .env("BASE_URL", &base_url)
            .envs(env);
        cmd.output()
    })
    .await
    .unwrap()
    .expect("run node");
    server.abort();
    println!("{}", String::from_utf8_lossy(&output.stdout));
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        output.status.success(),
        "node --test e2e/{script} failed: {}",
        output.status
    );
}

/// Opens the reporting period `code`, due at `due` (RFC 3339), as the user `test`.
async fn open_period(app: &TestApp, code: &str, due: &str) {
    let period = PeriodRecord {
        code: code.into(),
        due_at: due.parse().unwrap(),
        opened_by: "test".into(),
        opened_at: chrono::Utc::now(),
    };
    let audit = AuditDraft::new("test", "period.open", format!("period:{code}"), None);
    app.store
        .execution()
        .open_period(&period, &audit)
        .await
        .unwrap();
}

/// The standing office's account `so` with the password `pw`.
async fn add_standing_office(app: &TestApp, pw: &str) {
    let st = cchc_web::AppState::new(app.store.clone(), cchc_web::Settings::default());
    service::add_user(
        &st,
        "test",
        "so",
        "phong-noi-vu",
        Role::StandingOffice,
        pw,
        false,
    )
    .await
    .unwrap();
}

/// The script's `PASSWORD`, and `SCREENSHOT_DIR` when it is set.
fn password_and_screenshots(pw: &str) -> Vec<(&'static str, String)> {
    let mut env = vec![("PASSWORD", pw.to_string())];
    if let Ok(dir) = std::env::var("SCREENSHOT_DIR") {
        env.push(("SCREENSHOT_DIR", dir));
    }
    env
}

/// A catalogue of 40 procedures and 3000 dossiers of 2024 generated over the registry, in a
/// temporary directory (kept while the first value lives): (directory, catalogue, dossiers).
fn service_files(app: &TestApp) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let files = tempfile::tempdir().unwrap();
    let catalog = files.path().join("danh-muc-tthc.csv");
    let dossiers = files.path().join("ho-so.csv");
    let procs =
        cchc_ingest::service_gen::write_catalog(std::fs::File::create(&catalog).unwrap(), 40, 5)
            .unwrap();
    let units = cchc_ingest::service_gen::receiving_units(app.registry.units());
    cchc_ingest::service_gen::write_dossiers(
        std::fs::File::create(&dossiers).unwrap(),
        3000,
        5,
        2024,
        &units,
        &procs,
    )
    .unwrap();
    (files, catalog, dossiers)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_import_and_figures_work_in_chromium() {
    if !browser_ready() {
        return;
    }
    let app = TestApp::duc_tho().await;
    // Files to upload, generated over the registry: 40 procedures, 3000 dossiers.
    let (_files, catalog, dossiers) = service_files(&app);

    let plan_id = app.plan_id.to_string();
    // Imports are for the standing office: the script signs in first.
    const PW: &str = "mat-khau-trinh-duyet";
    add_standing_office(&app, PW).await;
    run_script(
        app.router(),
        "service.test.mjs",
        vec![
            ("USERNAME", "so".to_string()),
            ("PASSWORD", PW.to_string()),
            ("CATALOG_FILE", catalog.display().to_string()),
            ("DOSSIER_FILE", dossiers.display().to_string()),
            ("PLAN_ID", plan_id),
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plan_pages_work_in_chromium() {
    if !browser_ready() {
        return;
    }
    let app = TestApp::duc_tho().await;
    run_script(app.router(), "plan.test.mjs", vec![]).await;
}

/// The whole report flow through the pages: report, return, revise, resubmit, accept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_flow_works_in_chromium() {
    if !browser_ready() {
        return;
    }
    const PW: &str = "mat-khau-trinh-duyet";
    let app = TestApp::duc_tho().await;
    let files = tempfile::tempdir().unwrap();
    let settings = cchc_web::Settings {
        files_dir: files.path().join("files"),
        ..Default::default()
    };
    let st = cchc_web::AppState::new(app.store.clone(), settings.clone());
    for (name, unit, role) in [
        ("so", "phong-noi-vu", Role::StandingOffice),
        ("xa", "xa-tung-anh", Role::Reporter),
    ] {
        service::add_user(&st, "test", name, unit, role, PW, false)
            .await
            .unwrap();
    }
    open_period(&app, "2024-Q1", "2099-04-20T10:00:00Z").await;
    let router = cchc_web::router_with(app.store.clone(), settings);
    let env = password_and_screenshots(PW);
    run_script(router, "execution.test.mjs", env).await;
}

/// One header on every page at 390 px (the account's menu, whole words, sign-out) and a
/// public activity page showing a unit's accepted status.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn header_and_progress_work_in_chromium() {
    if !browser_ready() {
        return;
    }
    const PW: &str = "mat-khau-trinh-duyet";
    const UNIT: &str = "xa-tung-anh";
    let app = TestApp::duc_tho().await;
    let st = cchc_web::AppState::new(app.store.clone(), cchc_web::Settings::default());
    for (name, unit, role) in [
        ("so", "phong-noi-vu", Role::StandingOffice),
        ("xa", UNIT, Role::Reporter),
    ] {
        service::add_user(&st, "test", name, unit, role, PW, false)
            .await
            .unwrap();
    }
    let session = |name: &'static str| {
        let st = st.clone();
        async move {
            let (token, _, _) = service::login(&st, name, PW, "test").await.unwrap();
            service::load_session(&st, &token).await.unwrap().unwrap()
        }
    };
    let so = session("so").await;
    let xa = session("xa").await;
    service::open_period(&st, &so, "2024-Q2", "2099-07-20T17:00:00+07:00")
        .await
        .unwrap();
    let q2 = cchc_domain::Period::parse("2024-Q2").unwrap();
    let unit = cchc_domain::UnitId::parse(UNIT).unwrap();
    let acts = cchc_domain::execution::report_activities(&app.plan, &app.registry, &unit, q2);
    let activity = acts
        .first()
        .expect("the commune reports in 2024-Q2")
        .0
        .id
        .clone();
    let content = cchc_domain::execution::ReportContent {
        items: vec![cchc_domain::execution::ReportItem {
            activity: activity.clone(),
            status: cchc_domain::execution::ItemStatus::Done,
            note: String::new(),
            evidence: vec![],
            difficulties: String::new(),
            proposals: String::new(),
        }],
        targets: vec![],
    };
    service::save_report(&st, &xa, "2024-Q2", UNIT, 0, content)
        .await
        .unwrap();
    service::submit_report(&st, &xa, "2024-Q2", UNIT, None)
        .await
        .unwrap();
    service::review_report(&st, &so, "2024-Q2", UNIT, "accept", "", Default::default())
        .await
        .unwrap();
    // Activity keys (I.1.3.1) need no escaping in a path.
    let path = format!("/ke-hoach/{}/hoat-dong/{activity}", app.plan_id);
    run_script(
        app.router(),
        "shell.test.mjs",
        vec![
            ("PASSWORD", PW.to_string()),
            ("UNIT", UNIT.to_string()),
            ("ACTIVITY_PATH", path),
        ],
    )
    .await;
}

/// Overdue and the dashboard in the pages: "hết hạn" against "quá hạn", one count on
/// /tong-quan, /qua-han and /bao-cao, and the stacked bars on a 390 px phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overdue_and_dashboard_work_in_chromium() {
    use cchc_domain::execution::{report_activities, Involvement};
    if !browser_ready() {
        return;
    }
    const PW: &str = "mat-khau-trinh-duyet";
    // The home affairs office leads several dated activities (a commune leads one).
    const UNIT: &str = "phong-noi-vu";
    let app = TestApp::duc_tho().await;
    let files = tempfile::tempdir().unwrap();
    let settings = cchc_web::Settings {
        files_dir: files.path().join("files"),
        ..Default::default()
    };
    let st = cchc_web::AppState::new(app.store.clone(), settings.clone());
    for (name, unit, role) in [
        ("so", "phong-noi-vu", Role::StandingOffice),
        ("nv", UNIT, Role::Reporter),
    ] {
        service::add_user(&st, "test", name, unit, role, PW, false)
            .await
            .unwrap();
    }
    open_period(&app, "2024", "2099-04-20T10:00:00Z").await;
    // Two activities the unit leads in its 2024 report whose dates have passed (the plan is
    // 2024's).
    let today = cchc_app::Clock::System.today();
    let led: Vec<String> = report_activities(
        &app.plan,
        &app.registry,
        &cchc_domain::UnitId::parse(UNIT).unwrap(),
        cchc_domain::Period::parse("2024").unwrap(),
    )
    .into_iter()
    .filter(|(a, i)| {
        *i == Involvement::Lead && a.deadline.as_ref().is_some_and(|d| d.is_past(today))
    })
    .map(|(a, _)| a.id.clone())
    .collect();
    assert!(
        led.len() >= 2,
        "the unit leads two dated activities of 2024: {led:?}"
    );
    let router = cchc_web::router_with(app.store.clone(), settings);
    let env = vec![
        ("PASSWORD", PW.to_string()),
        ("PLAN_ID", app.plan_id.to_string()),
        ("UNIT", UNIT.to_string()),
        ("DONE_ACTIVITY", led[0].clone()),
        ("LATE_ACTIVITY", led[1].clone()),
    ];
    run_script(router, "overdue.test.mjs", env).await;
}

/// The reform index and the survey through the pages: self-score, submit, appraise, rank; an
/// answer from the public form moves the unit's satisfaction figure.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reform_index_and_survey_work_in_chromium() {
    if !browser_ready() {
        return;
    }
    const PW: &str = "mat-khau-trinh-duyet";
    let app = TestApp::duc_tho().await;
    let st = cchc_web::AppState::new(app.store.clone(), cchc_web::Settings::default());
    for (name, unit, role) in [
        ("so", "phong-noi-vu", Role::StandingOffice),
        ("xa", "xa-tung-anh", Role::Reporter),
    ] {
        service::add_user(&st, "test", name, unit, role, PW, false)
            .await
            .unwrap();
    }
    run_script(
        app.router(),
        "reform_index.test.mjs",
        vec![("PASSWORD", PW.to_string())],
    )
    .await;
}

/// Communes' plans: the standing office generates the drafts, a commune reporter edits one
/// activity and issues its plan with number, date and file; the overview's count goes up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commune_plan_is_issued_from_its_draft_in_chromium() {
    if !browser_ready() {
        return;
    }
    const PW: &str = "mat-khau-trinh-duyet";
    let app = TestApp::duc_tho().await;
    let files = tempfile::tempdir().unwrap();
    let settings = cchc_web::Settings {
        files_dir: files.path().join("files"),
        ..Default::default()
    };
    let st = cchc_web::AppState::new(app.store.clone(), settings.clone());
    for (name, unit, role) in [
        ("so", "phong-noi-vu", Role::StandingOffice),
        ("xa", "xa-tung-anh", Role::Reporter),
    ] {
        service::add_user(&st, "test", name, unit, role, PW, false)
            .await
            .unwrap();
    }
    // A period of 2024, whose board counts the communes' plans.
    open_period(&app, "2024-Q1", "2099-04-20T10:00:00Z").await;
    let router = cchc_web::router_with(app.store.clone(), settings);
    run_script(
        router,
        "commune_plan.test.mjs",
        vec![("PASSWORD", PW.to_string())],
    )
    .await;
}

/// Forecasts and the SVG charts on the dashboard and a measure page, at 1366 and 390 px, over
/// a generated year of dossiers (`e2e/forecast.test.mjs`; `SCREENSHOT_DIR` keeps the pictures).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forecasts_and_charts_work_in_chromium() {
    if !browser_ready() {
        return;
    }
    const PW: &str = "mat-khau-trinh-duyet";
    let app = TestApp::duc_tho().await;
    let (_files, catalog, dossiers) = service_files(&app);
    let o = cchc_app::delivery::ImportOptions::default();
    cchc_app::delivery::import_catalog(&app.store, &catalog, &o)
        .await
        .unwrap();
    cchc_app::delivery::import_dossiers(&app.store, &dossiers, &o, |_| {})
        .await
        .unwrap();
    add_standing_office(&app, PW).await;
    open_period(&app, "2024-Q2", "2099-07-20T10:00:00Z").await;
    let env = password_and_screenshots(PW);
    run_script(app.router(), "forecast.test.mjs", env).await;
}

/// The public pages on a 390 px phone, signed out, with a period's report published.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_pages_fit_a_phone_in_chromium() {
    if !browser_ready() {
        return;
    }
    let app = TestApp::duc_tho().await;
    let st = cchc_web::AppState::new(app.store.clone(), cchc_web::Settings::default());
    service::add_user(
        &st,
        "test",
        "so",
        "phong-noi-vu",
        Role::StandingOffice,
        "mat-khau-trinh-duyet",
        false,
    )
    .await
    .unwrap();
    let user = app
        .store
        .execution()
        .find_user("so")
        .await
        .unwrap()
        .unwrap();
    let so = cchc_app::access::Session {
        user,
        csrf_token: String::new(),
        token_hash: String::new(),
    };
    service::open_period(&st, &so, "2024-Q2", "2099-07-10T17:00:00+07:00")
        .await
        .unwrap();
    cchc_app::public::publish(
        &st,
        &so,
        cchc_app::public::PublicationKind::Report,
        "2024-Q2",
        true,
    )
    .await
    .unwrap();
    let mut env = vec![("PERIOD", "2024-Q2".to_string())];
    if let Ok(dir) = std::env::var("SCREENSHOT_DIR") {
        env.push(("SCREENSHOT_DIR", dir));
    }
    run_script(app.router(), "public.test.mjs", env).await;
}
