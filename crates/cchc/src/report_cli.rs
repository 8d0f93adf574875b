//! `cchc report` and `cchc export`: the periodic report (.docx) and the period's tables
//! (.xlsx), written by the same functions the period's page uses (`cchc_web::report`); and the
//! demo's second quarter (`serve --demo`), which gives the report something to say.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{anyhow, Context, Result};
use cchc_domain::execution::{
    report_activities, Evidence, ItemStatus, ReportContent, ReportItem, ReportState, TargetValue,
};
use cchc_domain::{Period, Registry};
use cchc_store::execution::{AuditDraft, PeriodRecord, ReportRecord, ReportWrite};
use cchc_store::{PlanId, Store};
use cchc_web::report::{report_docx, table_xlsx, TableKind};
use cchc_web::Settings;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use clap::{Args, ValueEnum};

use crate::execution;

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Kỳ báo cáo đã mở: 2024-Q2, 2024-H1, 2024-9M, 2024
    #[arg(long)]
    period: String,
    /// Mã kế hoạch (mặc định: kế hoạch của năm)
    #[arg(long)]
    plan: Option<i64>,
    /// Tệp .docx ghi ra
    #[arg(long)]
    out: PathBuf,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum TableArg {
    /// Tình hình thực hiện từng hoạt động
    Matrix,
    /// Tình hình gửi báo cáo của các đơn vị
    Board,
    /// Chỉ số giải quyết TTHC theo đơn vị và kỳ
    Indicators,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    table: TableArg,
    #[arg(long)]
    period: String,
    /// Tệp .xlsx ghi ra
    #[arg(long)]
    out: PathBuf,
}

fn write(out: &PathBuf, bytes: &[u8]) -> Result<()> {
    std::fs::write(out, bytes).with_context(|| format!("không ghi được tệp «{}»", out.display()))
}

pub async fn report(store: Store, args: ReportArgs) -> Result<ExitCode> {
    let st = execution::state(&store, Settings::default());
    let started = Instant::now();
    let bytes = report_docx(&st, &args.period, args.plan.map(PlanId))
        .await
        .map_err(|e| anyhow!(e.message))?;
    let took = started.elapsed();
    write(&args.out, &bytes)?;
    eprintln!(
        "Đã ghi báo cáo kỳ {} vào {} ({} byte, lập trong {:.0} ms).",
        args.period,
        args.out.display(),
        bytes.len(),
        took.as_secs_f64() * 1000.0
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn export(store: Store, args: ExportArgs) -> Result<ExitCode> {
    let st = execution::state(&store, Settings::default());
    let kind = match args.table {
        TableArg::Matrix => TableKind::Matrix,
        TableArg::Board => TableKind::Board,
        TableArg::Indicators => TableKind::Indicators,
    };
    let bytes = table_xlsx(&st, &args.period, kind)
        .await
        .map_err(|e| anyhow!(e.message))?;
    write(&args.out, &bytes)?;
    eprintln!("Đã ghi {}.", args.out.display());
    Ok(ExitCode::SUCCESS)
}

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    // Vietnam is UTC+7; demo times are office hours there.
    Utc.with_ymd_and_hms(y, m, d, h.saturating_sub(7), 0, 0)
        .single()
        .expect("a valid time")
}

/// `serve --demo`, second part: period 2024-Q2 (due 20/7/2024) with reports written as if in
/// July 2024 — most accepted with evidence, difficulties and proposals, some late, some
/// missing — so that the period's report and exports have content. Runs once.
pub async fn demo_q2(store: &Store) -> Result<()> {
    let x = store
        .execution()
        .ok_or_else(|| anyhow!("cơ sở dữ liệu không có phần tài khoản"))?;
    if x.get_period("2024-Q2").await?.is_some() {
        return Ok(());
    }
    let due = at(2024, 7, 20, 17);
    x.open_period(
        &PeriodRecord {
            code: "2024-Q2".into(),
            due_at: due,
            opened_by: "demo-thuong-truc".into(),
            opened_at: at(2024, 6, 20, 8),
        },
        &AuditDraft::new(
            "demo-thuong-truc",
            "period.open",
            "period:2024-Q2".into(),
            None,
        ),
    )
    .await?;
    let plans = store.list_plans().await?;
    let Some(meta) = plans.iter().rev().find(|p| p.year == 2024) else {
        return Ok(());
    };
    let plan = store
        .get_plan(meta.id)
        .await?
        .ok_or_else(|| anyhow!("kế hoạch"))?;
    let registry = Registry::new(store.list_units().await?);
    let q2 = Period::Quarter(2024, 2);
    let mut n = 0u32;
    for (i, u) in registry.units().iter().enumerate() {
        let acts = report_activities(&plan, &registry, &u.id, q2);
        if acts.is_empty() {
            continue;
        }
        // Every seventh unit has not sent; every fifth sent late; the rest on time. Two in
        // three of those sent are accepted, the others wait for review.
        if i % 7 == 3 {
            continue;
        }
        let submitted = if i % 5 == 1 {
            at(2024, 7, 24, 10)
        } else {
            at(2024, 7, 15 + (i % 5) as u32, 9)
        };
        let state = if i % 3 == 2 {
            ReportState::Submitted
        } else {
            ReportState::Accepted
        };
        let mut content = ReportContent::default();
        for (j, (a, _)) in acts.iter().enumerate() {
            let status = [
                ItemStatus::Done,
                ItemStatus::Done,
                ItemStatus::InProgress,
                ItemStatus::DoneLate,
                ItemStatus::NotStarted,
            ][(i + j) % 5];
            let mut item = ReportItem {
                activity: a.id.clone(),
                status,
                note: String::new(),
                evidence: vec![],
                difficulties: String::new(),
                proposals: String::new(),
            };
            if status.is_done() {
                n += 1;
                item.note = "[MINH HỌA] Đã triển khai theo kế hoạch".into();
                item.evidence.push(Evidence {
                    number: format!("{}/BC-{}", 100 + n, short(u.id.as_str())),
                    date: NaiveDate::from_ymd_opt(2024, 4 + (n % 3), 5 + (n % 20)),
                    issuer: u.name.clone(),
                    title: "[MINH HỌA] kết quả thực hiện nhiệm vụ".into(),
                    files: vec![],
                });
            } else if (i + j) % 3 == 0 {
                item.difficulties =
                    "[MINH HỌA] Thiếu nhân lực và kinh phí để triển khai trong quý".into();
                if j % 2 == 0 {
                    item.proposals =
                        "[MINH HỌA] Đề nghị bố trí kinh phí bổ sung trong quý III".into();
                }
            }
            content.items.push(item);
        }
        if u.id.as_str() == "phong-noi-vu" {
            for t in plan.targets.iter().filter(|t| t.area != 3) {
                content.targets.push(TargetValue {
                    target: t.code.clone(),
                    value: "[MINH HỌA] Đạt 100% kế hoạch của kỳ".into(),
                    evidence: vec![],
                });
            }
        }
        let rec = ReportRecord {
            period: "2024-Q2".into(),
            unit: u.id.to_string(),
            state,
            version: 1,
            content,
            review: None,
            submitted_at: Some(submitted),
            updated_at: submitted,
            updated_by: format!("demo-{}", u.id),
        };
        let audit = AuditDraft::new(
            &rec.updated_by,
            "report.demo",
            format!("report:2024-Q2/{}", u.id),
            Some(u.id.as_str()),
        );
        x.put_report(
            &ReportWrite {
                report: &rec,
                expected_version: 0,
                keep_version: true,
            },
            &audit,
        )
        .await?;
    }
    eprintln!("Dữ liệu minh họa kỳ 2024-Q2: báo cáo của các đơn vị, phần lớn đã được chấp nhận.");
    Ok(())
}

/// "NV" from "phong-noi-vu": an abbreviation for demo document numbers.
fn short(id: &str) -> String {
    id.split('-')
        .skip(1)
        .filter_map(|w| w.chars().next())
        .collect::<String>()
        .to_uppercase()
}

#[cfg(test)]
mod tests {
    //! The report for 2024-Q2 on the demo data, checked against the database, and as
    //! LibreOffice lays it out.

    use std::collections::HashMap;
    use std::process::Command;

    use cchc_docs::docx::Block;
    use cchc_docs::report::{build_periodic_report, timeliness_counts};
    use cchc_service::import::{import_catalog, import_dossiers, ImportOptions};
    use cchc_service::indicators::{load_inputs, report as indicators, ScopeRequest};
    use cchc_web::report::{gather, percent_vi};

    use super::*;

    async fn demo_store(dir: &std::path::Path) -> Store {
        let store = cchc_store::connect(&format!("sqlite://{}/t.db", dir.display()))
            .await
            .unwrap();
        crate::bootstrap::seed(&store).await.unwrap();
        let settings = Settings {
            files_dir: dir.join("files"),
            ..Default::default()
        };
        execution::demo(&store, &settings).await.unwrap();
        demo_q2(&store).await.unwrap();
        // Service data as `cchc dev gen-dossiers` makes it.
        let units = crate::bootstrap::builtin_registry().unwrap();
        let receiving = cchc_ingest::service_gen::receiving_units(units.units());
        let cat = dir.join("cat.csv");
        let dos = dir.join("dos.csv");
        let procs =
            cchc_ingest::service_gen::write_catalog(std::fs::File::create(&cat).unwrap(), 60, 7)
                .unwrap();
        cchc_ingest::service_gen::write_dossiers(
            std::fs::File::create(&dos).unwrap(),
            4000,
            7,
            2024,
            &receiving,
            &procs,
        )
        .unwrap();
        let o = ImportOptions::default();
        import_catalog(&store, &cat, &o).await.unwrap();
        import_dossiers(&store, &dos, &o, |_| {}).await.unwrap();
        store
    }

    #[tokio::test]
    async fn q2_report_on_demo_data_agrees_with_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let store = demo_store(dir.path()).await;
        let st = execution::state(&store, Settings::default());
        let started = Instant::now();
        let input = gather(&st, "2024-Q2", None).await.unwrap();
        let doc = build_periodic_report(&input);
        let bytes = cchc_docs::docx::write_docx(&doc).unwrap();
        eprintln!(
            "2024-Q2 report: gathered and written in {:.0} ms ({} bytes)",
            started.elapsed().as_secs_f64() * 1000.0,
            bytes.len()
        );

        assert_eq!(input.issuer, "UBND huyện Đức Thọ");
        assert_eq!(input.issuer_parent.as_deref(), Some("UBND tỉnh Hà Tĩnh"));
        assert_eq!(input.period_label, "quý II năm 2024");
        // One part per area of the plan.
        let plan = cchc_service::indicators::plan_for_year(&store, 2024)
            .await
            .unwrap()
            .unwrap();
        let areas: Vec<String> = doc
            .body
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level: 2, text } => Some(text.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(areas.len(), plan.areas.len());
        assert_eq!(plan.areas.len(), 7);

        // Every cited document is in an accepted report of the unit that cites it.
        let x = store.execution().unwrap();
        let reports = x.list_reports(Some("2024-Q2")).await.unwrap();
        let registry = Registry::new(store.list_units().await.unwrap());
        let name_of: HashMap<String, String> = registry
            .units()
            .iter()
            .map(|u| (u.id.to_string(), u.name.clone()))
            .collect();
        let mut cited = 0;
        for area in &input.areas {
            for d in &area.done {
                let r = reports
                    .iter()
                    .find(|r| name_of[&r.unit] == d.unit)
                    .expect("the unit's report");
                assert_eq!(r.state, ReportState::Accepted, "{} cited", d.unit);
                let item = r.content.item(&d.activity).expect("the item");
                assert!(item.status.is_done());
                for e in &d.evidence {
                    assert!(item
                        .evidence
                        .iter()
                        .any(|s| s.number == e.number && s.date == e.date));
                    cited += 1;
                }
            }
        }
        assert!(cited > 10, "the demo cites documents ({cited})");

        // Every measured figure is what `cchc indicators --period 2024-Q2` computes.
        let q2 = Period::Quarter(2024, 2);
        let inputs = load_inputs(&store, q2, false).await.unwrap();
        let computed = indicators(&inputs, q2, &ScopeRequest::default());
        let area3 = input.areas.iter().find(|a| a.no == 3).unwrap();
        let figures: Vec<_> = area3
            .targets
            .iter()
            .flat_map(|t| t.figures.iter().filter(|f| !f.threshold.is_empty()))
            .collect();
        let judged: Vec<_> = computed
            .indicators
            .iter()
            .filter(|i| i.target.is_some())
            .collect();
        assert!(!figures.is_empty());
        assert_eq!(figures.len(), judged.len());
        for i in judged {
            let v = percent_vi(i.value, i.numerator, i.denominator);
            assert!(i.denominator > 0 || i.value.is_none());
            assert!(
                figures
                    .iter()
                    .any(|f| f.value == v && f.status == i.status.label_vi()),
                "{} {} = {v} is in the report",
                i.measure,
                i.scope
            );
        }

        // The timeliness table counts what the board counts.
        let (_, board) = cchc_web::exec::service::board(&st, "2024-Q2")
            .await
            .unwrap();
        let count = |t: &str| board.iter().filter(|l| l.timeliness == t).count();
        let (on_time, late, missing) = timeliness_counts(&input.timeliness);
        assert_eq!(
            (on_time, late, missing),
            (count("on_time"), count("late"), count("missing"))
        );
        assert!(on_time > 0 && late > 0 && missing > 0);

        // The same data gives the same bytes.
        let again = cchc_docs::docx::write_docx(&build_periodic_report(
            &gather(&st, "2024-Q2", None).await.unwrap(),
        ))
        .unwrap();
        assert_eq!(bytes, again);

        libreoffice_page_one(&bytes, dir.path());
    }

    fn has(tool: &str, arg: &str) -> bool {
        Command::new(tool)
            .arg(arg)
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    }

    /// Converts with LibreOffice (its own profile) and reads page 1 back with poppler.
    fn libreoffice_page_one(docx: &[u8], dir: &std::path::Path) {
        if !(has("soffice", "--version") && has("pdftotext", "-v") && has("pdfinfo", "-v")) {
            if std::env::var("CCHC_REQUIRE_OFFICE").as_deref() == Ok("1") {
                panic!("soffice, pdftotext or pdfinfo is missing and CCHC_REQUIRE_OFFICE=1");
            }
            eprintln!("notice: soffice or poppler-utils missing; LibreOffice check skipped");
            return;
        }
        let path = dir.join("bao-cao.docx");
        std::fs::write(&path, docx).unwrap();
        let out = Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}/profile",
                dir.display()
            ))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(dir)
            .arg(&path)
            .output()
            .unwrap();
        let pdf = dir.join("bao-cao.pdf");
        assert!(out.status.success() && pdf.exists(), "conversion failed");
        let text = |args: &[&str]| {
            let o = Command::new("pdftotext")
                .args(args)
                .arg(&pdf)
                .arg("-")
                .output()
                .unwrap();
            String::from_utf8(o.stdout).unwrap()
        };
        let page1 = text(&["-f", "1", "-l", "1"]);
        let page1: String = unicode_nfc(&page1);
        for want in [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "UBND TỈNH HÀ TĨNH",
            "UBND HUYỆN ĐỨC THỌ",
            "/BC-UBND",
            "BÁO CÁO",
            "quý II năm 2024",
        ] {
            assert!(page1.contains(want), "page 1 lacks «{want}»:\n{page1}");
        }
        let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
        let info = String::from_utf8(info.stdout).unwrap();
        let pages: usize = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        eprintln!("2024-Q2 report: {pages} pages in LibreOffice");
        // A body of several pages and the two appendices, not a runaway listing. (The demo
        // reports every activity of every commune, which makes appendix I long.)
        assert!((5..=120).contains(&pages), "{pages} pages");
        let all = unicode_nfc(&text(&[]));
        assert!(all.contains("PHỤ LỤC I") || all.contains("Phụ lục I"));
        assert!(all.contains("Nơi nhận"));
    }

    fn unicode_nfc(s: &str) -> String {
        // pdftotext may give decomposed letters; compare in NFC like everything else.
        cchc_domain::text::clean(s)
    }
}
