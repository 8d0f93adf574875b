//! `cchc evaluation …`: the reform index of communes from the command line.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, Result};
use cchc_domain::evaluation::Points;
use cchc_store::Store;
use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum EvaluationCmd {
    /// Nhập bộ chỉ số CCHC cấp xã của một năm từ tệp CSV hoặc XLSX (import a criteria set);
    /// tệp có lỗi thì không nhập gì
    ImportCriteria {
        file: PathBuf,
        /// Năm áp dụng
        #[arg(long)]
        year: i32,
        /// Tên bộ chỉ số
        #[arg(long)]
        name: String,
        /// Căn cứ: văn bản ban hành bộ chỉ số
        #[arg(long, default_value = "")]
        source: String,
        /// Tổng điểm công bố
        #[arg(long, default_value = "100")]
        total: String,
    },
    /// Ghi quyết định công bố kết quả chỉ số CCHC cấp xã của một năm, kèm phụ lục xếp hạng
    /// (.docx, thể thức Nghị định 30/2020)
    RankingDocx {
        /// Năm đánh giá
        #[arg(long)]
        year: i32,
        /// Tệp ghi ra (mặc định xep-hang-chi-so-cchc-NĂM.docx)
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
}

pub async fn run(store: Store, cmd: EvaluationCmd) -> Result<ExitCode> {
    match cmd {
        EvaluationCmd::ImportCriteria {
            file,
            year,
            name,
            source,
            total,
        } => {
            let total = Points::parse(&total).map_err(|m| anyhow!("--total: {m}"))?;
            let app = cchc_app::App::new(store, cchc_app::Settings::default());
            let meta = cchc_app::reform_index::meta(year, &name, &source, total)?;
            let set = cchc_app::reform_index::import_criteria(&app, "cli", &file, meta).await?;
            eprintln!(
                "Đã nhập bộ chỉ số «{}» năm {}: {} tiêu chí, {} tiêu chí chấm điểm, tổng {} điểm.",
                set.name(),
                set.year(),
                set.criteria().len(),
                set.leaves().count(),
                set.total()
            );
            Ok(ExitCode::SUCCESS)
        }
        EvaluationCmd::RankingDocx { year, out } => {
            let app = cchc_app::App::new(store, cchc_app::Settings::default());
            let bytes = cchc_app::execution::documents::ranking_docx(&app, year).await?;
            let out = out.unwrap_or_else(|| {
                PathBuf::from(cchc_app::execution::documents::ranking_docx_name(year))
            });
            std::fs::write(&out, bytes).map_err(|e| anyhow!("ghi {}: {e}", out.display()))?;
            eprintln!("Đã ghi {}.", out.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}
