//! Two `cchc serve` processes on one PostgreSQL database: both first starts at once seed it
//! once, a session made on one works on the other, a stale version is refused by either, and
//! concurrent saves and sign-ins through both leave one audit chain.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use common::{http, Cchc, Server, COMMUNE};
use sqlx::Connection;

const SAVES: usize = 20;

async fn count(url: &str, sql: &str) -> i64 {
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
}

fn report_url() -> String {
    format!("/api/v1/periods/2024-Q1/reports/{COMMUNE}")
}

fn put(server: &Server, cookie: &str, csrf: &str, version: i64, note: &str) -> common::Response {
    let activity = server.get(&report_url(), Some(cookie)).json()["items"][0]["activity"]
        .as_str()
        .unwrap()
        .to_string();
    let body = serde_json::json!({"version": version, "items": [
        {"activity": activity, "status": "in_progress", "note": note}
    ]});
    http(
        &server.addr,
        "PUT",
        &report_url(),
        Some(cookie),
        Some(csrf),
        Some(&body.to_string()),
    )
}

/// Signs in anew and saves the report `SAVES` times through `server`, reading the current
/// version before each save and trying again when the other server saved in between (409).
fn save_loop(server: &Server, tag: &str, saved: &AtomicUsize) {
    for i in 0..SAVES {
        let (cookie, csrf) = server.login("xa");
        loop {
            let version = server.get(&report_url(), Some(&cookie)).json()["version"]
                .as_i64()
                .unwrap();
            let r = put(server, &cookie, &csrf, version, &format!("{tag} {i}"));
            match r.status {
                200 => break,
                409 => continue,
                other => panic!("save through {tag}: {other} {}", r.body),
            }
        }
        saved.fetch_add(1, Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_share_sessions_versions_and_one_audit_chain() {
    let Some(db) = cchc_store::testing::TestDatabase::create().await else {
        return;
    };
    let url = db.url().to_string();
    let outcome = tokio::spawn(async move {
        let (one, two) = (Cchc::with_db(&url), Cchc::with_db(&url));
        // Both first starts at once, each seeding the empty database.
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(|| one.serve(&[]));
            let b = s.spawn(|| two.serve(&[]));
            (a.join().unwrap(), b.join().unwrap())
        });
        assert_eq!(count(&url, "SELECT COUNT(*) FROM plans").await, 1);
        assert_eq!(count(&url, "SELECT COUNT(*) FROM users").await, 1);
        let printed = [&a, &b]
            .iter()
            .filter(|s| s.output().contains("Tài khoản quản trị đầu tiên"))
            .count();
        assert_eq!(
            printed, 1,
            "exactly one server creates and prints the first admin"
        );
        one.add_user("so", "phong-noi-vu", "standing_office");
        one.add_user("xa", COMMUNE, "reporter");

        let (so, so_csrf) = a.login("so");
        let r = http(
            &b.addr,
            "POST",
            "/api/v1/periods",
            Some(&so),
            Some(&so_csrf),
            Some(r#"{"period":"2024-Q1","due":"2099-04-20T17:00:00+07:00"}"#),
        );
        assert_eq!(
            r.status, 201,
            "a session made on one server works on the other: {}",
            r.body
        );

        // Signed in on A, saved on B; a stale version is refused by either.
        let (xa, xa_csrf) = a.login("xa");
        let r = put(&b, &xa, &xa_csrf, 0, "lưu trên máy chủ B");
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["version"], 1);
        for server in [&a, &b] {
            let r = put(server, &xa, &xa_csrf, 0, "bản cũ");
            assert_eq!(r.status, 409, "{}", r.body);
        }
        assert_eq!(
            a.get(&report_url(), Some(&xa)).json()["items"][0]["note"],
            "lưu trên máy chủ B"
        );

        // Concurrent sign-ins and saves through both.
        let saved = AtomicUsize::new(0);
        std::thread::scope(|s| {
            s.spawn(|| save_loop(&a, "A", &saved));
            s.spawn(|| save_loop(&b, "B", &saved));
        });
        assert_eq!(saved.load(Ordering::SeqCst), 2 * SAVES);
        let version = b.get(&report_url(), Some(&xa)).json()["version"]
            .as_i64()
            .unwrap();
        assert_eq!(version, 1 + 2 * SAVES as i64, "every save is one version");
        assert_eq!(
            count(
                &url,
                "SELECT COUNT(*) FROM audit_log WHERE action = 'report.save'"
            )
            .await,
            version
        );
        let (out, _) = one.ok(&["audit", "verify"]);
        assert!(out.contains("Nhật ký nguyên vẹn"), "{out}");
        drop((a, b));
    })
    .await;
    db.drop().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
