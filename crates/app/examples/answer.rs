//! Answering from the totals in process, for `scripts/bench-service`: opens the store once,
//! then for each period computes every indicator (all scopes) as `cchc indicators --json`
//! does, REPEAT times, and keeps the median. Prints `seconds=<sum of the medians>`: the
//! counterpart of DuckDB's query on its loaded table, both in a process already running.
//!
//! `cargo run --release -p cchc-app --example answer -- DATABASE_URL REPEAT PERIOD…`

use std::time::Instant;

use cchc_app::delivery::indicators::{load_inputs, report};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: answer DATABASE_URL REPEAT PERIOD…");
        std::process::exit(2);
    }
    let repeat: usize = args[2].parse().expect("REPEAT is a number");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let store = cchc_store::connect(&args[1]).await.expect("the database");
        let mut total = 0.0;
        for p in &args[3..] {
            let period = cchc_domain::Period::parse(p).expect("a period");
            let mut times = Vec::with_capacity(repeat);
            for _ in 0..repeat.max(1) {
                let started = Instant::now();
                let inputs = load_inputs(&store, period, false)
                    .await
                    .expect("the totals");
                let r = report(&inputs, period, &Default::default());
                let json = serde_json::to_vec(&r).expect("JSON");
                assert!(!json.is_empty());
                times.push(started.elapsed().as_secs_f64());
            }
            times.sort_by(f64::total_cmp);
            total += times[times.len() / 2];
        }
        println!("seconds={total:.5}");
    });
}
