//! `cchc backup` and `cchc restore` as an administrator runs them: a database with a plan,
//! dossiers, accounts, a report and evidence files is backed up while its server runs, restored
//! into an empty place and compared table by table and file by file; a damaged archive and a
//! target that holds data are refused.

mod common;

use std::io::{Read, Write};
use std::path::Path;

use common::{decision, dump_files, dump_postgres, dump_sqlite, http, Cchc, Server, COMMUNE};

/// A database with something in every part, and files in the files directory. Returns the
/// server, still running, so that the backup is taken while it serves.
fn populate(c: &Cchc) -> Server {
    c.ok(&["plan", "import", decision().to_str().unwrap()]);
    c.gen_dossiers(1500, 3, "gen");
    c.ok(&["catalog", "import", "gen/danh-muc-tthc.csv"]);
    c.ok(&["dossiers", "import", "gen/ho-so.csv"]);
    c.add_user("so", "phong-noi-vu", "standing_office");
    c.add_user("xa", COMMUNE, "reporter");
    let server = c.serve(&["--no-seed"]);
    let (so, so_csrf) = server.login("so");
    let r = http(
        &server.addr,
        "POST",
        "/api/v1/periods",
        Some(&so),
        Some(&so_csrf),
        Some(r#"{"period":"2024-Q1","due":"2099-04-20T17:00:00+07:00"}"#),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let (xa, xa_csrf) = server.login("xa");
    let url = format!("/api/v1/periods/2024-Q1/reports/{COMMUNE}");
    let report = server.get(&url, Some(&xa)).json();
    let activity = report["items"][0]["activity"].as_str().unwrap().to_string();
    let body = serde_json::json!({"version": 0, "items": [
        {"activity": activity, "status": "in_progress", "note": "Đang triển khai, đã họp"}
    ]});
    let r = http(
        &server.addr,
        "PUT",
        &url,
        Some(&xa),
        Some(&xa_csrf),
        Some(&body.to_string()),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    // Evidence files: any bytes, flat and in a folder; an upload still being written is not
    // part of a backup.
    std::fs::create_dir_all(c.files.join("ab")).unwrap();
    std::fs::write(
        c.files.join("ab/chung-tu.pdf"),
        b"%PDF-1.4\nbien ban\n%%EOF",
    )
    .unwrap();
    let binary: Vec<u8> = (0..70_000u32).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(c.files.join("0f3a9c"), &binary).unwrap();
    std::fs::write(c.files.join("dang-ghi.part"), b"half").unwrap();
    server
}

fn files_without_parts(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = dump_files(dir);
    files.retain(|name, _| !name.ends_with(".part"));
    files
}

/// The archive with one member's bytes changed and its manifest left as it was.
fn tamper(archive: &Path, member: &str, out: &Path) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(archive).unwrap()).unwrap();
    let mut w = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if name == member {
            bytes[10] ^= 0x20;
        }
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(&bytes).unwrap();
    }
    w.finish().unwrap();
}

fn assert_key_tables_filled(tables: &std::collections::BTreeMap<String, Vec<String>>) {
    for t in [
        "units",
        "plans",
        "plan_activities",
        "dossier_rows",
        "service_totals",
        "users",
        "sessions",
        "reports",
        "audit_log",
        "_sqlx_migrations",
    ] {
        assert!(
            tables.get(t).is_some_and(|rows| !rows.is_empty()),
            "table {t} is empty or missing: the comparison would prove nothing"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_backup_restores_every_table_and_file() {
    let src = Cchc::sqlite();
    let mut server = populate(&src);
    let archive = src.path("sao-luu.zip");
    let (_, stderr) = src.ok(&["backup", "--out", archive.to_str().unwrap()]);
    assert!(stderr.contains("Đã sao lưu"), "{stderr}");
    server.kill();
    let manifest: serde_json::Value = {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&archive).unwrap()).unwrap();
        serde_json::from_reader(zip.by_name("manifest.json").unwrap()).unwrap()
    };
    assert_eq!(manifest["format"], "cchc-backup/1");
    assert_eq!(manifest["database"]["kind"], "sqlite");
    assert!(manifest["database"]["migration"].as_i64().unwrap() >= 20240607000000);
    let names: Vec<&str> = manifest["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["database.sqlite", "files/0f3a9c", "files/ab/chung-tu.pdf"]
    );

    let dst = Cchc::sqlite();
    let (_, stderr) = dst.ok(&["restore", archive.to_str().unwrap()]);
    assert!(stderr.contains("Nhật ký nguyên vẹn"), "{stderr}");
    let before = dump_sqlite(&src.db_file()).await;
    assert_key_tables_filled(&before);
    assert_eq!(before, dump_sqlite(&dst.db_file()).await);
    assert_eq!(files_without_parts(&src.files), dump_files(&dst.files));
    dst.assert_consistent();

    // The restored place now holds data: refused, then replaced on request.
    let out = dst.run(&["restore", archive.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("đã có dữ liệu (bảng «"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    dst.ok(&["restore", "--force", archive.to_str().unwrap()]);
    assert_eq!(before, dump_sqlite(&dst.db_file()).await);

    // A files directory that holds files is a non-empty target too.
    let other = Cchc::sqlite();
    std::fs::create_dir_all(&other.files).unwrap();
    std::fs::write(other.files.join("cu.pdf"), b"%PDF-1.4").unwrap();
    let out = other.run(&["restore", archive.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("thư mục tệp kiểm chứng") && stderr.contains("cu.pdf"),
        "{stderr}"
    );
    assert!(!other.db_file().exists(), "nothing restored");
}

#[test]
fn a_damaged_archive_is_refused_naming_the_member_and_nothing_is_written() {
    let src = Cchc::sqlite();
    src.ok(&["plan", "import", decision().to_str().unwrap()]);
    std::fs::create_dir_all(src.files.join("ab")).unwrap();
    std::fs::write(
        src.files.join("ab/chung-tu.pdf"),
        b"%PDF-1.4\nbien ban\n%%EOF",
    )
    .unwrap();
    let archive = src.path("sao-luu.zip");
    src.ok(&["backup", "--out", archive.to_str().unwrap()]);
    for member in ["files/ab/chung-tu.pdf", "database.sqlite"] {
        let bad = src.path("hong.zip");
        tamper(&archive, member, &bad);
        let dst = Cchc::sqlite();
        let out = dst.run(&["restore", bad.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(
            stderr.contains("bị hỏng") && stderr.contains(&format!("thành phần «{member}»")),
            "{stderr}"
        );
        assert!(!dst.db_file().exists());
        assert!(dump_files(&dst.files).is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_backup_restores_every_table_and_file() {
    if !has_program("pg_dump") || !has_program("psql") {
        assert!(
            std::env::var("CCHC_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "CCHC_REQUIRE_POSTGRES=1 but pg_dump or psql is missing (apt-get install postgresql-client)"
        );
        eprintln!("notice: pg_dump or psql is not on PATH; PostgreSQL backup test skipped");
        return;
    }
    let Some(a) = cchc_store::testing::TestDatabase::create().await else {
        return;
    };
    let Some(b) = cchc_store::testing::TestDatabase::create().await else {
        return;
    };
    let (src_url, dst_url) = (a.url().to_string(), b.url().to_string());
    let outcome = tokio::spawn(async move {
        let src = Cchc::with_db(&src_url);
        let mut server = populate(&src);
        let archive = src.path("sao-luu.zip");
        src.ok(&["backup", "--out", archive.to_str().unwrap()]);
        server.kill();
        let dst = Cchc::with_db(&dst_url);
        let (_, stderr) = dst.ok(&["restore", archive.to_str().unwrap()]);
        assert!(stderr.contains("Nhật ký nguyên vẹn"), "{stderr}");
        let before = dump_postgres(&src_url).await;
        assert_key_tables_filled(&before);
        assert_eq!(before, dump_postgres(&dst_url).await);
        assert_eq!(files_without_parts(&src.files), dump_files(&dst.files));
        dst.assert_consistent();
        let out = dst.run(&["restore", archive.to_str().unwrap()]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("đã có dữ liệu"));
        dst.ok(&["restore", "--force", archive.to_str().unwrap()]);
        assert_eq!(before, dump_postgres(&dst_url).await);
        // An SQLite archive does not go into PostgreSQL.
        let lite = Cchc::sqlite();
        lite.ok(&["plan", "import", decision().to_str().unwrap()]);
        let lite_archive = lite.path("lite.zip");
        lite.ok(&["backup", "--out", lite_archive.to_str().unwrap()]);
        let out = dst.run(&["restore", "--force", lite_archive.to_str().unwrap()]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("chứa cơ sở dữ liệu sqlite"));
    })
    .await;
    a.drop().await;
    b.drop().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

fn has_program(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
}
