//! Crash safety: the real binary killed (SIGKILL) in the middle of a dossier import, a plan
//! import and report saves through a running server. Afterwards the database opens, holds all
//! or nothing of what was being written, its running totals equal a recompute, the audit
//! chain verifies, and a report's version matches its stored content.

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{decision, try_http, wait_until, Cchc, Seeded, COMMUNE};
use sqlx::Connection;

const LIMIT: Duration = Duration::from_secs(120);

async fn count(c: &Cchc, sql: &str) -> i64 {
    let mut conn = sqlx::SqliteConnection::connect(&c.db).await.unwrap();
    sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
}

/// Bytes the process has read so far (`rchar` of `/proc/PID/io`).
fn bytes_read(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/io"))
        .ok()
        .and_then(|io| {
            io.lines()
                .find_map(|l| l.strip_prefix("rchar: ").map(|n| n.trim().parse().ok()))
                .flatten()
        })
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_dossier_import_leaves_all_or_nothing() {
    const ROWS: i64 = 40_000;
    let c = Cchc::sqlite();
    c.ok(&["plan", "import", decision().to_str().unwrap()]);
    c.gen_dossiers(ROWS as u32, 11, "gen");
    c.ok(&["catalog", "import", "gen/danh-muc-tthc.csv"]);
    let file = c.path("gen/ho-so.csv");
    let size = std::fs::metadata(&file).unwrap().len();
    let mut rng = Seeded(0x5eed_0001);
    for _ in 0..2 {
        // Kill once between a fifth and four fifths of the file read.
        let at = size / 5 + rng.below(size * 3 / 5);
        let mut child = c
            .command(&["dossiers", "import", "gen/ho-so.csv"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let pid = child.id();
        let mut exited = false;
        wait_until(LIMIT, "the import to read its file", || {
            exited = child.try_wait().unwrap().is_some();
            exited || bytes_read(pid) >= at
        });
        assert!(
            !exited,
            "the import ended before it was killed: use a larger file"
        );
        child.kill().unwrap();
        child.wait().unwrap();
        let n = count(&c, "SELECT COUNT(*) FROM dossier_rows").await;
        assert!(
            n == 0 || n == ROWS,
            "a killed import left {n} of {ROWS} dossiers"
        );
        c.assert_consistent();
    }
    // And the file then imports whole.
    c.ok(&["dossiers", "import", "gen/ho-so.csv"]);
    assert_eq!(count(&c, "SELECT COUNT(*) FROM dossier_rows").await, ROWS);
    c.assert_consistent();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_plan_import_leaves_the_plan_whole_or_absent() {
    let c = Cchc::sqlite();
    c.ok(&["plan", "import", decision().to_str().unwrap()]);
    let activities = count(&c, "SELECT COUNT(*) FROM plan_activities").await;
    let targets = count(&c, "SELECT COUNT(*) FROM plan_targets").await;
    assert!(activities > 50 && targets > 20);
    let (json, _) = c.ok(&[
        "plan",
        "import",
        "--dry-run",
        "--json",
        decision().to_str().unwrap(),
    ]);
    let variant = |k: u32| {
        let mut plan: serde_json::Value = serde_json::from_str(&json).unwrap();
        plan["decision"]["number"] = format!("{}/QĐ-UBND", 600 + k).into();
        let path = c.path(&format!("ke-hoach-{k}.json"));
        std::fs::write(&path, plan.to_string()).unwrap();
        path
    };
    // How long one such import takes here, from the process' start: kills fall within it.
    let first = variant(0);
    let started = Instant::now();
    c.ok(&["plan", "import", first.to_str().unwrap()]);
    let span = started.elapsed().as_micros() as u64;
    let mut rng = Seeded(0x5eed_0002);
    let mut killed_running = 0;
    for k in 1..=8 {
        let path = variant(k);
        let mut child = c
            .command(&["plan", "import", path.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.below(span)));
        if child.try_wait().unwrap().is_none() {
            killed_running += 1;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        // Every stored plan is whole.
        let mut conn = sqlx::SqliteConnection::connect(&c.db).await.unwrap();
        let plans: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT p.id, \
               (SELECT COUNT(*) FROM plan_activities a WHERE a.plan_id = p.id), \
               (SELECT COUNT(*) FROM plan_targets t WHERE t.plan_id = p.id) \
             FROM plans p ORDER BY p.id",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap();
        for (id, a, t) in plans {
            assert_eq!((a, t), (activities, targets), "plan {id} is partly stored");
        }
        c.assert_consistent();
    }
    assert!(killed_running > 0, "no import was killed while it ran");
}

/// Saves the report in a loop as `xa` until the server is gone; `acked` is the last version
/// the server answered.
fn save_until_gone(addr: String, cookie: String, csrf: String, start: i64, acked: Arc<AtomicI64>) {
    let url = format!("/api/v1/periods/2024-Q1/reports/{COMMUNE}");
    let activity = {
        let r = try_http(&addr, "GET", &url, Some(&cookie), None, None).unwrap();
        r.json()["items"][0]["activity"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let mut version = start;
    loop {
        let body = serde_json::json!({"version": version, "items": [
            {"activity": activity, "status": "in_progress", "note": format!("lưu {version}")}
        ]});
        match try_http(
            &addr,
            "PUT",
            &url,
            Some(&cookie),
            Some(&csrf),
            Some(&body.to_string()),
        ) {
            Ok(r) if r.status == 200 => {
                version = r.json()["version"].as_i64().unwrap();
                acked.store(version, Ordering::SeqCst);
            }
            Ok(r) => panic!("save refused: {} {}", r.status, r.body),
            Err(_) => return,
        }
    }
}

/// The report's stored version and content, and how many saves the audit log records (each
/// save writes its version and its audit entry in one transaction).
async fn stored_report(db: &str) -> (i64, String, i64) {
    let mut conn = sqlx::SqliteConnection::connect(db).await.unwrap();
    let (version, content): (i64, String) = sqlx::query_as(
        "SELECT version, content FROM reports WHERE period = '2024-Q1' AND unit_id = ?",
    )
    .bind(COMMUNE)
    .fetch_one(&mut conn)
    .await
    .unwrap();
    let saves: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'report.save' AND object = ?",
    )
    .bind(format!("report:2024-Q1/{COMMUNE}"))
    .fetch_one(&mut conn)
    .await
    .unwrap();
    (version, content, saves)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_during_report_saves_keeps_versions_and_content_together() {
    let c = Cchc::sqlite();
    c.ok(&["plan", "import", decision().to_str().unwrap()]);
    c.add_user("so", "phong-noi-vu", "standing_office");
    c.add_user("xa", COMMUNE, "reporter");
    let mut rng = Seeded(0x5eed_0003);
    let mut version = 0;
    for round in 0..3 {
        let mut server = c.serve(&["--no-seed"]);
        if round == 0 {
            let (so, csrf) = server.login("so");
            let r = common::http(
                &server.addr,
                "POST",
                "/api/v1/periods",
                Some(&so),
                Some(&csrf),
                Some(r#"{"period":"2024-Q1","due":"2099-04-20T17:00:00+07:00"}"#),
            );
            assert_eq!(r.status, 201, "{}", r.body);
        }
        let (cookie, csrf) = server.login("xa");
        let acked = Arc::new(AtomicI64::new(version));
        let client = {
            let (addr, acked) = (server.addr.clone(), Arc::clone(&acked));
            std::thread::spawn(move || save_until_gone(addr, cookie, csrf, version, acked))
        };
        let kill_after = version + 3 + rng.below(20) as i64;
        wait_until(LIMIT, "saves to be answered", || {
            acked.load(Ordering::SeqCst) >= kill_after || client.is_finished()
        });
        server.kill();
        client.join().expect("the client saw no refusal");
        let last_acked = acked.load(Ordering::SeqCst);
        let (stored, content, saves) = stored_report(&c.db).await;
        // The save in flight when the server died is either wholly stored or not at all.
        assert!(
            stored == last_acked || stored == last_acked + 1,
            "stored version {stored}, last answered {last_acked}"
        );
        assert_eq!(stored, saves, "every stored version has its audit entry");
        let content: serde_json::Value = serde_json::from_str(&content).unwrap();
        assert_eq!(
            content["items"][0]["note"],
            format!("lưu {}", stored - 1),
            "version {stored} holds another save's content"
        );
        c.assert_consistent();
        version = stored;
    }
    assert!(Path::new(&c.db_file()).exists());
}
