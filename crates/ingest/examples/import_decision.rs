//! Prints the plan read from a decision document as `cchc-plan/1` JSON, and the time it took.
//! Usage: cargo run -p cchc-ingest --example import_decision -- DECISION.txt UNITS.csv

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(doc), Some(units)) = (args.get(1), args.get(2)) else {
        eprintln!("cách dùng: import_decision QUYET-DINH.txt DON-VI.csv");
        std::process::exit(2);
    };
    let units = cchc_ingest::units_csv::read_units_csv(&std::fs::read(units)?).map_err(|errs| {
        errs.iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    let registry = cchc_domain::unit::Registry::new(units);
    let bytes = std::fs::read(doc)?;
    let started = Instant::now();
    let plan = cchc_ingest::plan_json::read_plan_file(&bytes, &registry)?;
    let took = started.elapsed();
    // A few more runs for a steadier figure (the first one warms caches).
    let runs = 20;
    let again = Instant::now();
    for _ in 0..runs {
        let _ = cchc_ingest::plan_json::read_plan_file(&bytes, &registry)?;
    }
    let mean = again.elapsed() / runs;
    let lint_started = Instant::now();
    for _ in 0..runs {
        let _ = cchc_domain::lint::lint(&plan);
    }
    let lint_mean = lint_started.elapsed() / runs;
    eprintln!("trong đó kiểm tra (lint) trung bình {lint_mean:?}");
    println!("{}", serde_json::to_string_pretty(&plan)?);
    eprintln!("đọc lần đầu trong {took:?}; trung bình {mean:?} qua {runs} lần");
    Ok(())
}
