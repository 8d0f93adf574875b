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
