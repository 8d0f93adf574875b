//! The command line as a user runs it: the real binary, a fresh database, the real document.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel)
}

fn decision() -> PathBuf {
    shared("plan-documents/duc-tho-2024-qd60.txt")
}

/// One user's session: a working directory and a database URL.
struct Cli {
    dir: tempfile::TempDir,
    db: String,
}

impl Cli {
    fn sqlite() -> Cli {
        let dir = tempfile::tempdir().unwrap();
        let db = format!("sqlite://{}/cchc.db", dir.path().display());
        Cli { dir, db }
    }

    fn with_db(db: &str) -> Cli {
        Cli {
            dir: tempfile::tempdir().unwrap(),
            db: db.to_string(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_cchc"))
            .args(args)
            .env("CCHC_DATABASE_URL", &self.db)
            .env_remove("CCHC_LOG")
            .current_dir(self.dir.path())
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> (String, String) {
        let out = self.run(args);
        let (stdout, stderr) = text(&out);
        assert!(out.status.success(), "cchc {args:?} failed:\n{stderr}");
        (stdout, stderr)
    }

    /// `cchc dev gen-dossiers`: `rows` generated dossiers and their catalogue, from `seed`,
    /// into the folder `out`.
    fn gen_dossiers(&self, rows: u32, seed: u32, out: &str) {
        let (rows, seed) = (rows.to_string(), seed.to_string());
        self.ok(&[
            "dev",
            "gen-dossiers",
            "--rows",
            &rows,
            "--seed",
            &seed,
            "--out",
            out,
        ]);
    }

    fn plan_count(&self) -> usize {
        self.ok(&["plan", "list"]).0.lines().count()
    }
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn dry_run_prints_the_plan_as_json_and_stores_nothing() {
    let cli = Cli::sqlite();
    let (stdout, stderr) = cli.ok(&["plan", "import", "--dry-run", "--json", arg(&decision())]);
    let plan: Value = serde_json::from_str(&stdout).expect("stdout is the plan JSON");
    assert_eq!(plan["format"], "cchc-plan/1");
    assert_eq!(plan["decision"]["number"], "60/QĐ-UBND");
    assert_eq!(plan["targets"].as_array().unwrap().len(), 26);
    // Diagnostics go to stderr and into the JSON.
    assert!(stderr.contains("[duplicate-target] II.6.6"), "{stderr}");
    assert!(plan["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "duplicate-target"));
    assert!(stderr.contains("không lưu gì"));
    assert_eq!(cli.plan_count(), 0);
}

#[test]
fn importing_the_same_decision_again_changes_nothing_unless_replace() {
    let cli = Cli::sqlite();
    let (_, stderr) = cli.ok(&["plan", "import", arg(&decision())]);
    assert!(
        stderr.contains("Đã lưu kế hoạch 60/QĐ-UBND với mã 1"),
        "{stderr}"
    );
    let (_, stderr) = cli.ok(&["plan", "import", arg(&decision())]);
    assert!(stderr.contains("không khác gì tệp này"), "{stderr}");

    // The same decision with a changed activity: refused without --replace, named by its key.
    let (json, _) = cli.ok(&["plan", "show", "--json"]);
    let mut plan: Value = serde_json::from_str(&json).unwrap();
    plan["sections"][1]["parts"][0]["rows"][0]["tasks"][0]["activities"][0]["outputs"] =
        Value::String("Báo cáo đã sửa".into());
    let edited = cli.path("sua.json");
    std::fs::write(&edited, serde_json::to_vec(&plan).unwrap()).unwrap();
    let (_, stderr) = cli.ok(&["plan", "import", arg(&edited)]);
    assert!(
        stderr.contains("Hoạt động sửa đổi (1): II.1.3.1"),
        "{stderr}"
    );
    assert!(stderr.contains("--replace"));
    let (json, _) = cli.ok(&["plan", "show", "1", "--json"]);
    assert!(!json.contains("Báo cáo đã sửa"));

    cli.ok(&["plan", "import", "--replace", arg(&edited)]);
    let (json, _) = cli.ok(&["plan", "show", "1", "--json"]);
    assert!(json.contains("Báo cáo đã sửa"));
    assert_eq!(cli.plan_count(), 1);
}

#[test]
fn exported_json_imports_into_another_database_unchanged() {
    let first = Cli::sqlite();
    first.ok(&["plan", "import", arg(&decision())]);
    let out = first.path("ke-hoach.json");
    first.ok(&["plan", "export", "--format", "json", "--out", arg(&out)]);

    let second = Cli::sqlite();
    second.ok(&["plan", "import", arg(&out)]);
    let again = second.path("lai.json");
    second.ok(&[
        "plan",
        "export",
        "1",
        "--format",
        "json",
        "--out",
        arg(&again),
    ]);
    let a: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let b: Value = serde_json::from_slice(&std::fs::read(&again).unwrap()).unwrap();
    assert_eq!(a, b);
}

#[test]
fn xlsx_export_writes_a_workbook() {
    let cli = Cli::sqlite();
    cli.ok(&["plan", "import", arg(&decision())]);
    let out = cli.path("ke-hoach.xlsx");
    cli.ok(&["plan", "export", "--format", "xlsx", "--out", arg(&out)]);
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[..2], b"PK", "an .xlsx is a zip archive");
    assert!(bytes.len() > 5_000);
}

#[test]
fn lint_of_the_shared_document_counts_its_known_flaws() {
    let cli = Cli::sqlite();
    let (stdout, _) = cli.ok(&["plan", "lint", arg(&decision()), "--json"]);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let counts = &report["counts"];
    assert_eq!(counts["duplicate-target"], 1);
    assert_eq!(counts["target-number-gap"], 1);
    assert_eq!(counts["target-threshold-mismatch"], 1);
    assert!(counts["unresolved-unit"].as_u64().unwrap() > 0);
    assert!(counts["vague-coordinator"].as_u64().unwrap() > 0);
    let total: u64 = counts
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(
        total as usize,
        report["diagnostics"].as_array().unwrap().len()
    );

    // The stored plan lints the same.
    cli.ok(&["plan", "import", arg(&decision())]);
    let (stored, _) = cli.ok(&["plan", "lint", "1", "--json"]);
    let stored: Value = serde_json::from_str(&stored).unwrap();
    assert_eq!(stored["counts"], report["counts"]);
}

#[test]
fn a_file_that_is_not_a_plan_is_refused_with_a_located_vietnamese_message() {
    let cli = Cli::sqlite();
    let bad = cli.path("thu.txt");
    std::fs::write(&bad, "Kính gửi anh chị\nđây là một lá thư\n").unwrap();
    let out = cli.run(&["plan", "import", arg(&bad)]);
    let (_, stderr) = text(&out);
    assert!(!out.status.success());
    assert!(stderr.contains("dòng 1"), "{stderr}");
    assert!(stderr.contains("không tìm thấy số quyết định"), "{stderr}");

    let json = cli.path("hong.json");
    std::fs::write(&json, "{\n  \"format\": \"cchc-plan/1\",\n  \"year\": ,\n}").unwrap();
    let out = cli.run(&["plan", "import", arg(&json)]);
    let (_, stderr) = text(&out);
    assert!(!out.status.success());
    assert!(stderr.contains("dòng 3"), "{stderr}");
    assert_eq!(cli.plan_count(), 0);
}

#[test]
fn units_import_reports_every_bad_row_and_stores_nothing() {
    let cli = Cli::sqlite();
    // The first look at the units stores the built-in registry; new units may hang under it.
    cli.ok(&["units", "list"]);
    let csv = cli.path("don-vi.csv");
    std::fs::write(
        &csv,
        "id,name,kind,parent,aliases,source\n\
         xa-moi,Xã Mới,commune,ubnd-huyen,,test\n\
         Xa Sai,Xã Sai,commune,,,test\n\
         xa-khac,Xã Khác,village,,,test\n",
    )
    .unwrap();
    let out = cli.run(&["units", "import", arg(&csv)]);
    let (_, stderr) = text(&out);
    assert!(!out.status.success());
    assert!(stderr.contains("2 lỗi"), "{stderr}");
    assert!(
        stderr.contains("Xa Sai") && stderr.contains("village"),
        "{stderr}"
    );
    let (units, _) = cli.ok(&["units", "list", "--json"]);
    assert!(!units.contains("xa-moi"));

    std::fs::write(
        &csv,
        "id,name,kind,parent,aliases,source\nxa-moi,Xã Mới,commune,ubnd-huyen,,test\n",
    )
    .unwrap();
    let (_, stderr) = cli.ok(&["units", "import", arg(&csv)]);
    assert!(stderr.contains("thêm mới 1"), "{stderr}");
    let (tree, _) = cli.ok(&["units", "list"]);
    let line = tree.lines().find(|l| l.contains("xa-moi")).unwrap();
    // A commune sits under the district, below the province: indented twice.
    assert!(line.starts_with("    xa-moi"), "{tree}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_commands_work_on_postgresql() {
    let Some(db) = cchc_store::testing::TestDatabase::create().await else {
        return;
    };
    let cli = Cli::with_db(db.url());
    let result = std::panic::catch_unwind(|| {
        cli.ok(&["plan", "import", arg(&decision())]);
        let (list, _) = cli.ok(&["plan", "list"]);
        assert!(
            list.contains("60/QĐ-UBND") && list.contains("68 hoạt động"),
            "{list}"
        );
        let (_, stderr) = cli.ok(&["plan", "import", arg(&decision())]);
        assert!(stderr.contains("không khác gì tệp này"), "{stderr}");
        let (units, _) = cli.ok(&["units", "list", "--json"]);
        assert!(units.contains("phong-noi-vu"));
    });
    db.drop().await;
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

// ---------------------------------------------------------------------------------------------
// Service delivery

#[test]
fn generated_files_are_the_same_for_the_same_seed() {
    let cli = Cli::sqlite();
    cli.gen_dossiers(2000, 3, "a");
    cli.gen_dossiers(2000, 3, "b");
    cli.gen_dossiers(2000, 4, "c");
    let read = |d: &str| std::fs::read(cli.path(d).join("ho-so.csv")).unwrap();
    assert_eq!(read("a"), read("b"));
    assert_ne!(read("a"), read("c"));
    let text = String::from_utf8(read("a")).unwrap();
    assert_eq!(text.lines().count(), 2001);
    // Every format the spec allows appears.
    for needle in ["/2024 ", "T", ",có,", ",x,", ",true,", ",rut,", ",tu_choi,"] {
        assert!(text.contains(needle), "{needle}");
    }
}

#[test]
fn dossiers_import_then_indicators_answer_in_the_issue_json_shape() {
    let cli = Cli::sqlite();
    cli.ok(&["plan", "import", arg(&decision())]);
    cli.gen_dossiers(3000, 9, "gen");
    let (_, stderr) = cli.ok(&["catalog", "import", "gen/danh-muc-tthc.csv"]);
    assert!(
        stderr.contains("Đã nhập danh mục TTHC: đọc 120, thêm mới 120"),
        "{stderr}"
    );
    let (_, stderr) = cli.ok(&["dossiers", "import", "gen/ho-so.csv"]);
    assert!(
        stderr
            .contains("Đã nhập hồ sơ: đọc 3000, thêm mới 3000, cập nhật 0, không đổi 0, bị loại 0"),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\r'),
        "no progress line when stderr is not a terminal"
    );
    let (_, stderr) = cli.ok(&["dossiers", "import", "gen/ho-so.csv"]);
    assert!(
        stderr.contains("thêm mới 0, cập nhật 0, không đổi 3000"),
        "{stderr}"
    );

    let (json, _) = cli.ok(&["indicators", "--period", "2024-Q1", "--json"]);
    let r: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        (r["period"].as_str(), r["start"].as_str(), r["end"].as_str()),
        (Some("2024-Q1"), Some("2024-01-01"), Some("2024-03-31"))
    );
    let all = r["indicators"].as_array().unwrap();
    // 9 dossier measures × (all, huyen, xa) + 2 catalogue measures.
    assert_eq!(all.len(), 29);
    let online = all
        .iter()
        .find(|i| i["measure"] == "online_rate" && i["scope"] == "all")
        .unwrap();
    assert_eq!(
        online["target"],
        serde_json::json!({"code": "3.2", "op": ">=", "value": 70})
    );
    let (num, den) = (
        online["numerator"].as_i64().unwrap(),
        online["denominator"].as_i64().unwrap(),
    );
    let value = online["value"].as_f64().unwrap();
    assert!((value - (num as f64 * 100.0 / den as f64 * 100.0).round() / 100.0).abs() < 1e-9);
    assert_eq!(
        online["status"],
        if value >= 70.0 { "met" } else { "not_met" }
    );
    // The township and communes, one by one.
    let (json, _) = cli.ok(&[
        "indicators",
        "--period",
        "2024",
        "--level",
        "xa",
        "--by-unit",
        "--json",
    ]);
    let r: Value = serde_json::from_str(&json).unwrap();
    let scopes: std::collections::BTreeSet<&str> = r["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["scope"].as_str().unwrap())
        .collect();
    assert!(scopes.contains("xa") && scopes.contains("tt-duc-tho") && !scopes.contains("huyen"));
    // Recompute gives the same answer.
    let (before, _) = cli.ok(&["indicators", "--period", "2024", "--json"]);
    let (_, stderr) = cli.ok(&["indicators", "recompute"]);
    assert!(stderr.contains("Đã tính lại số liệu cộng dồn"), "{stderr}");
    assert_eq!(
        cli.ok(&["indicators", "--period", "2024", "--json"]).0,
        before
    );
    let (text, _) = cli.ok(&["indicators", "--period", "2024-Q2"]);
    assert!(
        text.contains("Quý II năm 2024") && text.contains("Tỷ lệ hồ sơ nộp trực tuyến"),
        "{text}"
    );
}

#[test]
fn a_whole_catalogue_import_retires_the_procedures_it_no_longer_lists() {
    let cli = Cli::sqlite();
    cli.gen_dossiers(100, 5, "gen");
    cli.ok(&["catalog", "import", "gen/danh-muc-tthc.csv"]);
    // The same catalogue less its last 20 procedures.
    let text = std::fs::read_to_string(cli.path("gen/danh-muc-tthc.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let kept = lines[..lines.len() - 20].join("\n") + "\n";
    std::fs::write(cli.path("gen/kept.csv"), kept).unwrap();
    let (_, stderr) = cli.ok(&["catalog", "import", "gen/kept.csv"]);
    assert!(stderr.contains("không đổi 100, bị loại 0."), "{stderr}");
    let (_, stderr) = cli.ok(&["catalog", "import", "gen/kept.csv", "--replace"]);
    assert!(
        stderr.contains("không đổi 100, bị loại 0, đánh dấu bãi bỏ 20."),
        "{stderr}"
    );
}

#[test]
fn a_bad_dossier_file_is_refused_with_every_error_or_split_with_skip_invalid() {
    let cli = Cli::sqlite();
    cli.gen_dossiers(500, 2, "gen");
    cli.ok(&["catalog", "import", "gen/danh-muc-tthc.csv"]);
    let good = std::fs::read_to_string(cli.path("gen/ho-so.csv")).unwrap();
    // 150 rows get an unknown unit.
    let bad: Vec<String> = good
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if (1..=150).contains(&i) {
                l.replacen(",trung-tam-hcc,", ",xa-ma,", 1)
                    .replacen(",xa-", ",xa-ma-", 1)
            } else {
                l.to_string()
            }
        })
        .collect();
    let bad_rows = bad.iter().filter(|l| l.contains(",xa-ma")).count();
    std::fs::write(cli.path("bad.csv"), bad.join("\n")).unwrap();
    let out = cli.run(&["dossiers", "import", "bad.csv"]);
    let (_, stderr) = text(&out);
    assert!(!out.status.success());
    assert!(
        stderr.contains(&format!("tệp có {bad_rows} lỗi, không nhập gì")),
        "{stderr}"
    );
    assert!(
        stderr.contains("bad.csv, dòng 2, cột «ma_don_vi», giá trị «xa-ma"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("… và {} lỗi khác", bad_rows - 100)),
        "{stderr}"
    );
    let (json, _) = cli.ok(&["indicators", "--period", "2024", "--json"]);
    assert!(json.contains("\"denominator\":0"), "nothing stored");

    let (_, stderr) = cli.ok(&[
        "dossiers",
        "import",
        "bad.csv",
        "--skip-invalid",
        "loai.csv",
    ]);
    assert!(
        stderr.contains(&format!(
            "đọc 500, thêm mới {}, cập nhật 0, không đổi 0, bị loại {bad_rows}",
            500 - bad_rows
        )),
        "{stderr}"
    );
    let rejects = std::fs::read_to_string(cli.path("loai.csv")).unwrap();
    assert_eq!(rejects.lines().count(), bad_rows + 1);
    assert!(rejects
        .lines()
        .nth(1)
        .unwrap()
        .contains("ma_don_vi: đơn vị «xa-ma"));
}
