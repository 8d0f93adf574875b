//! The command line: `cchc plan …`, `cchc units …`, `cchc serve`; service delivery's commands
//! (`catalog`, `dossiers`, `indicators`, `dev`) are in `service_cli.rs`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, Context, Result};
use cchc_domain::{Diagnostic, Plan, Registry, Severity};
use cchc_store::{PlanId, Store};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::service_cli::{CatalogCmd, DevCmd, DossiersCmd, IndicatorsArgs};
use crate::{bootstrap, config, execution, service_cli};

/// cchc — lập kế hoạch, theo dõi và đánh giá cải cách hành chính.
#[derive(Parser, Debug)]
#[command(name = "cchc", version, about)]
pub struct Cli {
    /// Cơ sở dữ liệu: sqlite://ĐƯỜNG_DẪN hoặc postgres://… (database URL)
    #[arg(long, global = true, env = "CCHC_DATABASE_URL")]
    db: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Kế hoạch CCHC: nhập, xem, xuất, kiểm tra (plans)
    #[command(subcommand)]
    Plan(PlanCmd),
    /// Danh mục đơn vị (units)
    #[command(subcommand)]
    Units(UnitsCmd),
    /// Chạy máy chủ web (run the web server)
    Serve(ServeArgs),
    /// Tài khoản (accounts)
    #[command(subcommand)]
    User(UserCmd),
    /// Nhật ký (audit log)
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Danh mục thủ tục hành chính (procedure catalogue)
    #[command(subcommand)]
    Catalog(CatalogCmd),
    /// Hồ sơ giải quyết TTHC (dossiers)
    #[command(subcommand)]
    Dossiers(DossiersCmd),
    /// Chỉ số giải quyết TTHC theo kỳ, cấp, đơn vị (service indicators)
    Indicators(IndicatorsArgs),
    /// Công cụ cho phát triển và đo hiệu năng (developer tools)
    #[command(subcommand)]
    Dev(DevCmd),
    /// Báo cáo định kỳ kết quả CCHC của kỳ (.docx, Nghị định 30/2020)
    Report(crate::report_cli::ReportArgs),
    /// Xuất bảng tính của kỳ: matrix, board, indicators (.xlsx)
    Export(crate::report_cli::ExportArgs),
    /// Sao lưu cơ sở dữ liệu và mọi tệp kiểm chứng vào một tệp .zip (backup)
    Backup {
        /// Tệp sao lưu sẽ tạo (.zip)
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        files: FilesDir,
    },
    /// Khôi phục từ tệp sao lưu vào cơ sở dữ liệu và thư mục tệp còn trống (restore)
    Restore {
        /// Tệp sao lưu (.zip) do `cchc backup` tạo
        file: PathBuf,
        /// Thay thế cả khi cơ sở dữ liệu hoặc thư mục tệp đích đã có dữ liệu
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        files: FilesDir,
    },
    /// Chỉ số CCHC cấp xã: bộ chỉ số (reform index of communes)
    #[command(subcommand)]
    Evaluation(crate::reform_index_cli::EvaluationCmd),
}

#[derive(Args, Debug)]
struct FilesDir {
    /// Thư mục lưu tệp kiểm chứng
    #[arg(long, env = "CCHC_FILES_DIR", default_value = "cchc-data/files")]
    files_dir: PathBuf,
}

#[derive(Subcommand, Debug)]
enum UserCmd {
    /// Thêm tài khoản; không có --password-stdin thì tạo và in mật khẩu ngẫu nhiên
    Add {
        #[arg(long)]
        username: String,
        /// Mã đơn vị (xem `cchc units list`)
        #[arg(long)]
        unit: String,
        /// admin, standing_office, reporter, unit_head, leader
        #[arg(long)]
        role: String,
        #[arg(long)]
        password_stdin: bool,
        /// Thư điện tử nhận nhắc việc
        #[arg(long)]
        email: Option<String>,
    },
    /// Đặt thư điện tử nhận nhắc việc (để trống: bỏ)
    Email { username: String, email: String },
    /// Đặt lại mật khẩu
    Passwd {
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Khóa tài khoản
    Disable { username: String },
    /// Danh sách tài khoản
    List,
}

#[derive(Subcommand, Debug)]
enum AuditCmd {
    /// Kiểm tra chuỗi mã băm của nhật ký: phát hiện mục bị sửa hoặc xóa
    Verify,
}

#[derive(Subcommand, Debug)]
enum PlanCmd {
    /// Nhập quyết định (văn bản) hoặc tệp JSON cchc-plan/1
    Import {
        file: PathBuf,
        /// Chỉ đọc và kiểm tra, không lưu
        #[arg(long)]
        dry_run: bool,
        /// In kế hoạch dạng JSON cchc-plan/1 ra stdout
        #[arg(long)]
        json: bool,
        /// Thay thế kế hoạch đã có của cùng quyết định
        #[arg(long)]
        replace: bool,
    },
    /// Danh sách kế hoạch
    List,
    /// Xem một kế hoạch (mặc định: kế hoạch mới nhất)
    Show {
        id: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Xuất kế hoạch ra tệp
    Export {
        id: Option<i64>,
        #[arg(long, value_enum)]
        format: ExportFormat,
        #[arg(long)]
        out: PathBuf,
    },
    /// Kiểm tra lỗi của kế hoạch (tệp hoặc mã kế hoạch đã lưu)
    Lint {
        target: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum ExportFormat {
    Json,
    Xlsx,
}

#[derive(Subcommand, Debug)]
enum UnitsCmd {
    /// Danh sách đơn vị (dạng cây)
    List {
        #[arg(long)]
        json: bool,
    },
    /// Nhập danh mục đơn vị từ tệp CSV (id,name,kind,parent,aliases,source)
    Import { file: PathBuf },
}

#[derive(Args, Debug)]
struct ServeArgs {
    /// Địa chỉ lắng nghe
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: std::net::SocketAddr,
    /// Không nạp dữ liệu mẫu Đức Thọ 2024 khi cơ sở dữ liệu còn trống
    #[arg(long)]
    no_seed: bool,
    /// Thêm tài khoản minh họa cho mọi đơn vị và tiến độ mẫu (kỳ 2024-Q1)
    #[arg(long)]
    demo: bool,
    /// Thư mục lưu tệp kiểm chứng (không phục vụ trực tiếp qua web)
    #[arg(long, env = "CCHC_FILES_DIR", default_value = "cchc-data/files")]
    files_dir: PathBuf,
    /// Cookie phiên có cờ Secure (khi chạy sau TLS)
    #[arg(long, env = "CCHC_COOKIE_SECURE")]
    cookie_secure: bool,
    /// Đồng hồ bắt đầu từ thời điểm này (thử nghiệm, trình diễn), ví dụ 2024-04-12T08:00:00+07:00
    #[arg(long, env = "CCHC_CLOCK")]
    clock: Option<String>,
    /// Nhắc việc: số giây giữa hai lần rà soát (0: không chạy)
    #[arg(long, env = "CCHC_REMINDER_INTERVAL", default_value_t = 300)]
    reminder_interval: u64,
    /// Địa chỉ của trang web, mở đầu các liên kết trong thư nhắc việc
    #[arg(long, env = "CCHC_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
    public_url: String,
    /// Máy chủ thư SMTP (không có: chỉ thông báo trong ứng dụng)
    #[arg(long, env = "CCHC_SMTP_HOST")]
    smtp_host: Option<String>,
    #[arg(long, env = "CCHC_SMTP_PORT", default_value_t = 25)]
    smtp_port: u16,
    /// Địa chỉ người gửi thư nhắc việc
    #[arg(long, env = "CCHC_SMTP_FROM", default_value = "cchc@localhost")]
    smtp_from: String,
    #[arg(long, env = "CCHC_SMTP_USER")]
    smtp_user: Option<String>,
    #[arg(long, env = "CCHC_SMTP_PASSWORD", hide_env_values = true)]
    smtp_password: Option<String>,
}

impl ServeArgs {
    /// The clock and the reminder settings the flags and environment give.
    fn reminder_settings(
        &self,
    ) -> Result<(cchc_app::Clock, cchc_app::reminders::ReminderSettings)> {
        let clock = match &self.clock {
            Some(c) => cchc_app::Clock::parse(c).map_err(|e| anyhow!("--clock: {}", e.message))?,
            None => cchc_app::Clock::System,
        };
        let smtp = self
            .smtp_host
            .as_ref()
            .map(|host| cchc_app::reminders::SmtpSettings {
                host: host.clone(),
                port: self.smtp_port,
                from: self.smtp_from.clone(),
                user: self.smtp_user.clone(),
                password: self.smtp_password.clone(),
            });
        let settings = cchc_app::reminders::ReminderSettings {
            interval: (self.reminder_interval > 0)
                .then(|| std::time::Duration::from_secs(self.reminder_interval)),
            smtp,
            base_url: self.public_url.clone(),
            ..Default::default()
        };
        Ok((clock, settings))
    }
}

impl Cli {
    pub fn is_serve(&self) -> bool {
        matches!(self.command, Command::Serve(_))
    }
}

async fn open(db: Option<&str>) -> Result<Store> {
    let url = config::database_url(db);
    cchc_store::connect(&url)
        .await
        .with_context(|| format!("không mở được cơ sở dữ liệu {}", config::redact(&url)))
}

pub async fn run(cli: Cli) -> Result<ExitCode> {
    let db = cli.db.as_deref();
    match cli.command {
        Command::Serve(args) => {
            let store = open(db).await?;
            if !args.no_seed {
                bootstrap::seed(&store).await?;
            }
            let (clock, reminders) = args.reminder_settings()?;
            let settings = cchc_app::Settings {
                files_dir: args.files_dir.clone(),
                cookie_secure: args.cookie_secure,
                clock,
                reminders,
                ..Default::default()
            };
            if !store.list_units().await?.is_empty() {
                execution::first_admin(&store).await?;
                if args.demo {
                    execution::demo(&store, &settings).await?;
                    crate::report_cli::demo_q2(&store).await?;
                    crate::report_cli::demo_dossiers(&store).await?;
                }
            }
            tracing::info!(db = %config::redact(&config::database_url(db)), "database ready");
            let _worker = cchc_app::reminders::spawn_worker(cchc_app::App::new(
                store.clone(),
                settings.clone(),
            ));
            cchc_web::serve(store, settings, args.addr)
                .await
                .context("máy chủ web dừng vì lỗi")?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Units(UnitsCmd::List { json }) => {
            let store = open(db).await?;
            let registry = bootstrap::registry(&store).await?;
            units_list(&registry, json)
        }
        Command::Units(UnitsCmd::Import { file }) => {
            let bytes = read_file(&file)?;
            let store = open(db).await?;
            let stored: std::collections::HashSet<_> = store
                .list_units()
                .await?
                .into_iter()
                .map(|u| u.id)
                .collect();
            let known = |id: &cchc_domain::UnitId| stored.contains(id);
            let units =
                cchc_ingest::units_csv::read_units_csv_into(&bytes, &known).map_err(|errors| {
                    let shown: Vec<String> = errors
                        .iter()
                        .take(100)
                        .map(|e| format!("  {}: {e}", file.display()))
                        .collect();
                    let more = errors.len().saturating_sub(100);
                    anyhow!(
                        "tệp đơn vị có {} lỗi, không nhập gì:\n{}{}",
                        errors.len(),
                        shown.join("\n"),
                        if more > 0 {
                            format!("\n  … và {more} lỗi khác")
                        } else {
                            String::new()
                        }
                    )
                })?;
            let s = store.import_units(&units).await?;
            eprintln!(
                "Đã nhập danh mục đơn vị: đọc {}, thêm mới {}, cập nhật {}, không đổi {}.",
                s.read, s.inserted, s.updated, s.unchanged
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Plan(cmd) => plan(db, cmd).await,
        Command::User(cmd) => {
            let store = open(db).await?;
            match cmd {
                UserCmd::Add {
                    username,
                    unit,
                    role,
                    password_stdin,
                    email,
                } => {
                    bootstrap::registry(&store).await?;
                    let email = email.as_deref();
                    execution::user_add(&store, &username, &unit, &role, password_stdin, email)
                        .await?
                }
                UserCmd::Email { username, email } => {
                    execution::user_email(&store, &username, &email).await?
                }
                UserCmd::Passwd {
                    username,
                    password_stdin,
                } => execution::user_passwd(&store, &username, password_stdin).await?,
                UserCmd::Disable { username } => execution::user_disable(&store, &username).await?,
                UserCmd::List => execution::user_list(&store).await?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit(AuditCmd::Verify) => {
            let store = open(db).await?;
            match execution::audit_verify(&store).await {
                Ok(n) => {
                    println!("Nhật ký nguyên vẹn: {n} mục, chuỗi mã băm khớp.");
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    eprintln!("lỗi: {e}");
                    Ok(ExitCode::from(2))
                }
            }
        }
        Command::Catalog(cmd) => service_cli::catalog(open(db).await?, cmd).await,
        Command::Dossiers(cmd) => service_cli::dossiers(open(db).await?, cmd).await,
        Command::Indicators(args) => service_cli::indicators(open(db).await?, args).await,
        Command::Dev(cmd) => service_cli::dev(cmd).await,
        Command::Report(args) => crate::report_cli::report(open(db).await?, args).await,
        Command::Export(args) => crate::report_cli::export(open(db).await?, args).await,
        Command::Backup { out, files } => {
            crate::backup::backup(&config::database_url(db), &files.files_dir, &out).await
        }
        Command::Restore { file, force, files } => {
            crate::backup::restore(&config::database_url(db), &files.files_dir, &file, force).await
        }
        Command::Evaluation(cmd) => crate::reform_index_cli::run(open(db).await?, cmd).await,
    }
}

async fn plan(db: Option<&str>, cmd: PlanCmd) -> Result<ExitCode> {
    match cmd {
        PlanCmd::Import {
            file,
            dry_run,
            json,
            replace,
        } => {
            let store = open(db).await?;
            // A dry run writes nothing, not even the built-in registry.
            let registry = if dry_run {
                let units = store.list_units().await?;
                if units.is_empty() {
                    bootstrap::builtin_registry()?
                } else {
                    Registry::new(units)
                }
            } else {
                bootstrap::registry(&store).await?
            };
            let plan = read_plan(&file, &registry)?;
            print_diagnostics(&plan.diagnostics);
            if json {
                print_json(&plan)?;
            }
            eprintln!("{}", summary_line(&plan));
            if dry_run {
                eprintln!("Chạy thử (--dry-run): không lưu gì.");
                return Ok(ExitCode::SUCCESS);
            }
            store_plan(&store, &plan, replace).await
        }
        PlanCmd::List => {
            let store = open(db).await?;
            let plans = store.list_plans().await?;
            if plans.is_empty() {
                eprintln!("Chưa có kế hoạch nào. Nhập bằng: cchc plan import TỆP");
            }
            let mut out = std::io::stdout().lock();
            for p in plans {
                writeln!(
                    out,
                    "{}\t{}\t{}\tnăm {}\t{} chỉ tiêu\t{} hoạt động\t{}",
                    p.id,
                    p.decision_number,
                    p.decision_date
                        .map(|d| d.format("%d/%m/%Y").to_string())
                        .unwrap_or_default(),
                    p.year,
                    p.targets,
                    p.activities,
                    p.title
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        PlanCmd::Show { id, json } => {
            let store = open(db).await?;
            let (_, plan) = load_plan(&store, id).await?;
            if json {
                print_json(&plan)?;
            } else {
                print_plan(&plan)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        PlanCmd::Export { id, format, out } => {
            let store = open(db).await?;
            let (_, plan) = load_plan(&store, id).await?;
            let bytes = match format {
                ExportFormat::Json => serde_json::to_vec_pretty(&plan)?,
                ExportFormat::Xlsx => {
                    let registry = Registry::new(store.list_units().await?);
                    cchc_docs::plan_matrix_xlsx(&plan, &registry)
                        .map_err(|e| anyhow!("không tạo được tệp Excel: {e}"))?
                }
            };
            write_atomically(&out, &bytes)?;
            eprintln!(
                "Đã xuất kế hoạch {} ra {}.",
                plan.decision.number,
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        PlanCmd::Lint { target, json } => {
            let store = open(db).await?;
            let stored = match target.parse::<i64>() {
                Ok(n) if !Path::new(&target).exists() => Some(load_plan(&store, Some(n)).await?.1),
                _ => None,
            };
            let plan = match stored {
                Some(p) => p,
                None => {
                    let units = store.list_units().await?;
                    let registry = if units.is_empty() {
                        bootstrap::builtin_registry()?
                    } else {
                        Registry::new(units)
                    };
                    read_plan(Path::new(&target), &registry)?
                }
            };
            let diagnostics = cchc_app::plan::lint_all(&plan);
            if json {
                let counts = count_by_code(&diagnostics);
                print_json(&serde_json::json!({
                    "decision": plan.decision.number,
                    "counts": counts,
                    "diagnostics": diagnostics,
                }))?;
            } else {
                let mut out = std::io::stdout().lock();
                for d in &diagnostics {
                    writeln!(out, "{}", format_diagnostic(d))?;
                }
                writeln!(out, "\nTổng cộng {} cảnh báo:", diagnostics.len())?;
                for (code, n) in count_by_code(&diagnostics) {
                    writeln!(out, "  {code}: {n}")?;
                }
            }
            let has_error = diagnostics.iter().any(|d| d.severity == Severity::Error);
            Ok(if has_error {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

fn count_by_code(diagnostics: &[Diagnostic]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for d in diagnostics {
        *counts.entry(d.code.clone()).or_insert(0) += 1;
    }
    counts
}

fn read_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        anyhow!(
            "không đọc được tệp {}: {}",
            path.display(),
            cchc_ingest::io_reason_vi(&e)
        )
    })
}

fn read_plan(path: &Path, registry: &Registry) -> Result<Plan> {
    let bytes = read_file(path)?;
    cchc_ingest::plan_json::read_plan_file(&bytes, registry)
        .map_err(|e| anyhow!("{}: {e}", path.display()))
}

fn app(store: &Store) -> cchc_app::App {
    cchc_app::App::new(store.clone(), cchc_app::Settings::default())
}

async fn load_plan(store: &Store, id: Option<i64>) -> Result<(PlanId, Plan)> {
    cchc_app::plan::load_plan(&app(store), id)
        .await
        .map_err(|e| anyhow!(e.message))
}

/// Stores the plan and says what happened.
async fn store_plan(store: &Store, plan: &Plan, replace: bool) -> Result<ExitCode> {
    use cchc_app::plan::Stored;
    let number = &plan.decision.number;
    match cchc_app::plan::store_plan(&app(store), plan, replace)
        .await
        .map_err(|e| anyhow!(e.message))?
    {
        Stored::Inserted(id) => eprintln!("Đã lưu kế hoạch {number} với mã {id}."),
        Stored::Unchanged(id) => eprintln!(
            "Kế hoạch {number} đã có (mã {id}) và không khác gì tệp này: không thay đổi gì."
        ),
        Stored::Replaced(id, lines) => {
            eprintln!("Đã thay thế kế hoạch {number} (mã {id}):");
            for line in lines {
                eprintln!("  {line}");
            }
        }
        Stored::Differs(id, lines) => {
            eprintln!("Kế hoạch {number} đã có (mã {id}). Tệp này khác ở những điểm sau:");
            for line in lines {
                eprintln!("  {line}");
            }
            eprintln!("Không thay đổi gì. Chạy lại với --replace để thay thế.");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| anyhow!("đường dẫn {} không phải tệp", path.display()))?;
    let tmp = dir.join(format!(".{}.tmp", name.to_string_lossy()));
    std::fs::write(&tmp, bytes).with_context(|| format!("không ghi được tệp {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("không ghi được tệp {}", path.display()))
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

fn format_diagnostic(d: &Diagnostic) -> String {
    format!(
        "{} [{}] {}: {}",
        d.severity.label_vi(),
        d.code,
        d.location,
        d.message
    )
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{}", format_diagnostic(d));
    }
}

fn summary_line(plan: &Plan) -> String {
    let rows: usize = plan
        .sections
        .iter()
        .flat_map(|s| &s.parts)
        .map(|p| p.rows.len())
        .sum();
    format!(
        "Đã đọc kế hoạch {} năm {}: {} lĩnh vực, {} chỉ tiêu, {} giải pháp, {} phần phụ lục, {} dòng, {} hoạt động, {} cảnh báo.",
        plan.decision.number,
        plan.year,
        plan.areas.len(),
        plan.targets.len(),
        plan.solutions.len(),
        plan.sections.len(),
        rows,
        plan.activities().count(),
        plan.diagnostics.len()
    )
}

fn print_plan(plan: &Plan) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let d = &plan.decision;
    writeln!(out, "Quyết định số {} — {}", d.number, d.title)?;
    if let Some(date) = d.date {
        writeln!(
            out,
            "{}, ngày {}",
            d.place.as_deref().unwrap_or(""),
            date.format("%d/%m/%Y")
        )?;
    }
    if let Some(s) = &d.signer {
        writeln!(out, "Người ký: {} {}", s.title, s.name)?;
    }
    writeln!(out, "\nCHỈ TIÊU CHỦ YẾU")?;
    for area in &plan.areas {
        writeln!(out, "{}. {}", area.no, area.title)?;
        for t in plan.targets.iter().filter(|t| t.area == area.no) {
            let m: Vec<String> = t.measures.iter().map(|m| m.display_vi()).collect();
            let m = if m.is_empty() {
                String::new()
            } else {
                format!(" [{}]", m.join("; "))
            };
            writeln!(out, "  {} {}{}", t.code, t.text, m)?;
        }
    }
    writeln!(out, "\nPHỤ LỤC")?;
    for s in &plan.sections {
        let n: usize = s
            .parts
            .iter()
            .flat_map(|p| &p.rows)
            .flat_map(|r| &r.tasks)
            .map(|t| t.activities.len())
            .sum();
        writeln!(out, "{}. {} — {} hoạt động", s.code, s.title, n)?;
    }
    writeln!(out, "\n{}", summary_line(plan))?;
    Ok(())
}

fn units_list(registry: &Registry, json: bool) -> Result<ExitCode> {
    if json {
        print_json(&registry.units())?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    let known: std::collections::HashSet<_> = registry.units().iter().map(|u| &u.id).collect();
    // Roots are units without a parent or whose parent is not in the registry.
    let mut stack: Vec<(&cchc_domain::Unit, usize)> = registry
        .units()
        .iter()
        .filter(|u| u.parent.as_ref().is_none_or(|p| !known.contains(p)))
        .rev()
        .map(|u| (u, 0))
        .collect();
    let mut seen = std::collections::HashSet::new();
    while let Some((u, depth)) = stack.pop() {
        if !seen.insert(&u.id) {
            continue;
        }
        writeln!(
            out,
            "{}{}\t{}\t{}",
            "  ".repeat(depth),
            u.id,
            u.name,
            u.kind.label_vi()
        )?;
        let children: Vec<_> = registry.children(&u.id).collect();
        stack.extend(children.into_iter().rev().map(|c| (c, depth + 1)));
    }
    Ok(ExitCode::SUCCESS)
}
