//! The browser test: the app on 127.0.0.1:0 with the real Đức Thọ plan in a fresh SQLite file,
//! driven by `node --test e2e/plan.test.mjs` (playwright-core and Debian's Chromium); and the
//! service pages, with files uploaded through the import page (`e2e/service.test.mjs`).
//!
//! Without `/usr/bin/chromium`, `node` or `e2e/node_modules`, the test says so and passes,
//! unless `CCHC_REQUIRE_BROWSER=1`, when it fails. `SCREENSHOT_DIR` is passed on to the script.

mod common;

use std::future::IntoFuture;
use std::path::{Path, PathBuf};
use std::process::Command;

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plan_pages_work_in_chromium() {
    let missing = missing_parts();
    if !missing.is_empty() {
        let msg = format!("browser test skipped, missing: {}", missing.join(", "));
        if std::env::var("CCHC_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("{msg} (CCHC_REQUIRE_BROWSER=1)");
        }
        eprintln!("NOTICE: {msg}");
        return;
    }

    let app = TestApp::duc_tho().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(axum::serve(listener, app.router()).into_future());

    let output = tokio::task::spawn_blocking(move || {
        let mut cmd = Command::new("node");
        cmd.args(["--test", "--test-reporter=spec", "plan.test.mjs"])
            .current_dir(e2e_dir())
            .env("BASE_URL", &base_url);
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
        "node --test e2e/plan.test.mjs failed: {}",
        output.status
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_import_and_figures_work_in_chromium() {
    let missing = missing_parts();
    if !missing.is_empty() {
        let msg = format!("browser test skipped, missing: {}", missing.join(", "));
        if std::env::var("CCHC_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("{msg} (CCHC_REQUIRE_BROWSER=1)");
        }
        eprintln!("NOTICE: {msg}");
        return;
    }
    let app = TestApp::duc_tho().await;
    // Files to upload, generated over the registry: 40 procedures, 3000 dossiers.
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

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(axum::serve(listener, app.router()).into_future());
    let plan_id = app.plan_id.to_string();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .args(["--test", "--test-reporter=spec", "service.test.mjs"])
            .current_dir(e2e_dir())
            .env("BASE_URL", &base_url)
            .env("CATALOG_FILE", &catalog)
            .env("DOSSIER_FILE", &dossiers)
            .env("PLAN_ID", plan_id)
            .output()
    })
    .await
    .unwrap()
    .expect("run node");
    server.abort();
    println!("{}", String::from_utf8_lossy(&output.stdout));
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        output.status.success(),
        "node --test e2e/service.test.mjs failed: {}",
        output.status
    );
}
