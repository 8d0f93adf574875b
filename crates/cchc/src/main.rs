//! `cchc`: the command line and the server's start-up.

mod backup;
mod bootstrap;
mod cli;
mod config;
mod execution;
mod reform_index_cli;
mod report_cli;
mod service_cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    // The server logs what it does; a one-shot command only speaks when something is wrong.
    let default_level = if args.is_serve() { "info" } else { "warn" };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CCHC_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level)),
        )
        .with_writer(std::io::stderr)
        .init();
    cchc_store::on_upgrade(|steps| {
        eprintln!(
            "Đang nâng cấp cơ sở dữ liệu lên phiên bản mới ({steps} bước); việc này chỉ làm một \
             lần, có thể mất vài phút khi dữ liệu lớn…"
        )
    });
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("lỗi: không khởi động được bộ thực thi: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli::run(args)) {
        Ok(code) => code,
        // A reader that stops early (`cchc units list | head`) is not an error.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("lỗi: {e:#}");
            ExitCode::FAILURE
        }
    }
}
