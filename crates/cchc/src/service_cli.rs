//! `cchc catalog …`, `cchc dossiers …`, `cchc indicators …`, `cchc dev gen-dossiers`: service
//! delivery on the command line. Kept apart from `cli.rs` to ease merging with other work.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use cchc_app::delivery::import::{ImportFailure, ImportOptions, Progress};
use cchc_app::delivery::indicators::{load_inputs, report, ScopeRequest};
use cchc_domain::service::TargetStatus;
use cchc_domain::{Period, UnitId, UnitLevel};
use cchc_ingest::service_files::ColumnMap;
use cchc_store::Store;
use clap::{Args, Subcommand, ValueEnum};

use crate::bootstrap;

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Tệp CSV hoặc XLSX
    file: PathBuf,
    /// Ánh xạ tiêu đề khác: "Tiêu đề trong tệp=mã_cột;…"
    #[arg(long)]
    columns: Option<String>,
    /// Nhập các dòng hợp lệ, ghi các dòng bị loại kèm lý do vào tệp CSV này
    #[arg(long, value_name = "REJECTS_CSV")]
    skip_invalid: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct CatalogImportArgs {
    #[command(flatten)]
    common: ImportArgs,
    /// Tệp là toàn bộ danh mục: TTHC đã lưu mà tệp không có được đánh dấu đã bãi bỏ (hồ sơ của
    /// chúng vẫn được tính; chỉ số danh mục không tính chúng)
    #[arg(long)]
    replace: bool,
}

#[derive(Subcommand, Debug)]
pub enum CatalogCmd {
    /// Nhập danh mục TTHC (CSV hoặc XLSX)
    Import(CatalogImportArgs),
}

#[derive(Subcommand, Debug)]
pub enum DossiersCmd {
    /// Nhập hồ sơ (CSV hoặc XLSX); nhập lại cùng tệp không thay đổi gì
    Import(ImportArgs),
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum LevelArg {
    Huyen,
    Xa,
}

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct IndicatorsArgs {
    #[command(subcommand)]
    cmd: Option<IndicatorsCmd>,
    /// Kỳ: 2024, 2024-Q1, 2024-H1, 2024-9M, 2024-03
    #[arg(long, required = true)]
    period: Option<String>,
    /// Cấp: huyen hoặc xa
    #[arg(long, value_enum)]
    level: Option<LevelArg>,
    /// Một đơn vị (mã đơn vị)
    #[arg(long)]
    unit: Option<String>,
    /// Thêm một dòng cho mỗi đơn vị
    #[arg(long)]
    by_unit: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand, Debug)]
pub enum IndicatorsCmd {
    /// Tính lại toàn bộ số liệu cộng dồn từ hồ sơ đã lưu
    Recompute,
}

#[derive(Subcommand, Debug)]
pub enum DevCmd {
    /// Sinh tệp danh mục TTHC và tệp hồ sơ mẫu (tất định theo seed)
    GenDossiers {
        #[arg(long)]
        rows: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 2024)]
        year: i32,
        /// Số TTHC trong danh mục
        #[arg(long, default_value_t = 120)]
        procedures: usize,
    },
}

fn options(args: &ImportArgs) -> Result<ImportOptions> {
    Ok(ImportOptions {
        columns: match &args.columns {
            Some(m) => ColumnMap::parse(m).map_err(anyhow::Error::msg)?,
            None => ColumnMap::default(),
        },
        skip_invalid: args.skip_invalid.clone(),
        display_name: None,
        whole_catalog: false,
    })
}

fn failure(e: ImportFailure) -> anyhow::Error {
    match e {
        // The list already says "tệp có N lỗi, không nhập gì:".
        ImportFailure::Rows(list) => anyhow::anyhow!("{}", list.to_string().trim_end()),
        other => anyhow::anyhow!("{other}"),
    }
}

/// A progress line on a terminal, redrawn in place; nothing when stderr is not a terminal.
fn progress_printer() -> impl FnMut(Progress) + Send {
    let tty = std::io::stderr().is_terminal();
    move |p: Progress| {
        if !tty {
            return;
        }
        let eta = match p.eta_seconds() {
            Some(s) if p.bytes < p.size => format!(", còn khoảng {:.0} giây", s),
            _ => String::new(),
        };
        let pct = (p.bytes * 100)
            .checked_div(p.size)
            .map(|pct| format!("{:>3}% ", pct.min(100)))
            .unwrap_or_default();
        eprint!(
            "\r{pct}{} dòng, {:.0} dòng/giây{eta}          ",
            p.rows,
            p.rows_per_second()
        );
        let _ = std::io::stderr().flush();
    }
}

pub async fn catalog(store: Store, cmd: CatalogCmd) -> Result<ExitCode> {
    let CatalogCmd::Import(args) = cmd;
    let options = ImportOptions {
        whole_catalog: args.replace,
        ..options(&args.common)?
    };
    let s = cchc_app::delivery::import_catalog(&store, &args.common.file, &options)
        .await
        .map_err(failure)?;
    eprintln!("Đã nhập danh mục TTHC: {}.", s.line_vi());
    Ok(ExitCode::SUCCESS)
}

pub async fn dossiers(store: Store, cmd: DossiersCmd) -> Result<ExitCode> {
    let DossiersCmd::Import(args) = cmd;
    bootstrap::registry(&store).await?;
    let result = cchc_app::delivery::import_dossiers(
        &store,
        &args.file,
        &options(&args)?,
        progress_printer(),
    )
    .await;
    if std::io::stderr().is_terminal() {
        eprintln!();
    }
    let s = result.map_err(failure)?;
    eprintln!(
        "Đã nhập hồ sơ: {} ({:.1} giây, {:.0} dòng/giây).",
        s.line_vi(),
        s.elapsed_ms as f64 / 1000.0,
        s.counts.read as f64 * 1000.0 / s.elapsed_ms.max(1) as f64
    );
    if let Some(p) = &args.skip_invalid {
        if s.counts.rejected > 0 {
            eprintln!("Các dòng bị loại và lý do: {}", p.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn indicators(store: Store, args: IndicatorsArgs) -> Result<ExitCode> {
    if let Some(IndicatorsCmd::Recompute) = args.cmd {
        let started = std::time::Instant::now();
        let rows = store.recompute_service_totals().await?;
        eprintln!(
            "Đã tính lại số liệu cộng dồn: {rows} dòng ({:.1} giây).",
            started.elapsed().as_secs_f64()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let period =
        Period::parse(args.period.as_deref().unwrap_or_default()).map_err(anyhow::Error::msg)?;
    let unit = args
        .unit
        .as_deref()
        .map(UnitId::parse)
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let inputs = load_inputs(&store, period, false).await?;
    if let Some(u) = &unit {
        if inputs.registry.get(u).is_none() {
            bail!("không có đơn vị «{u}» trong danh mục đơn vị");
        }
    }
    let req = ScopeRequest {
        level: args.level.map(|l| match l {
            LevelArg::Huyen => UnitLevel::District,
            LevelArg::Xa => UnitLevel::Commune,
        }),
        unit,
        by_unit: args.by_unit,
    };
    let r = report(&inputs, period, &req);
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &r).context("không ghi được kết quả")?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "Chỉ số giải quyết TTHC — {} ({} đến {})",
        period.label_vi(),
        r.start,
        r.end
    )?;
    let mut scope = String::new();
    for i in &r.indicators {
        if i.scope != scope {
            scope.clone_from(&i.scope);
            let name = cchc_domain::service::Scope::name_of_code(&i.scope, &inputs.registry);
            writeln!(out, "\n{name}")?;
        }
        let label = cchc_domain::service::measure_label_vi(i.measure);
        let value = i
            .value
            .map(|v| format!("{v:.2}%"))
            .unwrap_or_else(|| "—".into());
        let target = i
            .target
            .as_ref()
            .map(|t| {
                format!(
                    " chỉ tiêu {} {} {}%",
                    t["code"].as_str().unwrap_or(""),
                    t["op"].as_str().unwrap_or(""),
                    t["value"]
                )
            })
            .unwrap_or_default();
        let status = match i.status {
            TargetStatus::NoTarget => String::new(),
            s => format!(" — {}", s.label_vi()),
        };
        writeln!(
            out,
            "  {label}: {value} ({}/{}){target}{status}",
            i.numerator, i.denominator
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn dev(cmd: DevCmd) -> Result<ExitCode> {
    let DevCmd::GenDossiers {
        rows,
        seed,
        out,
        year,
        procedures,
    } = cmd;
    std::fs::create_dir_all(&out)
        .with_context(|| format!("không tạo được thư mục «{}»", out.display()))?;
    // Over the Đức Thọ units the binary carries: no database needed.
    let units = bootstrap::builtin_registry()?;
    let receiving = cchc_ingest::service_gen::receiving_units(units.units());
    if receiving.is_empty() {
        bail!("danh mục đơn vị không có trung tâm HCC hay xã, thị trấn nào để tiếp nhận hồ sơ");
    }
    let cat_path = out.join("danh-muc-tthc.csv");
    let dos_path = out.join("ho-so.csv");
    let create = |p: &PathBuf| {
        std::fs::File::create(p).with_context(|| format!("không tạo được tệp «{}»", p.display()))
    };
    let procs = cchc_ingest::service_gen::write_catalog(create(&cat_path)?, procedures, seed)?;
    cchc_ingest::service_gen::write_dossiers(
        create(&dos_path)?,
        rows,
        seed,
        year,
        &receiving,
        &procs,
    )?;
    eprintln!(
        "Đã sinh {} TTHC vào {} và {rows} hồ sơ vào {}.",
        procedures,
        cat_path.display(),
        dos_path.display()
    );
    Ok(ExitCode::SUCCESS)
}
