//! Where the database is: `--db`, `CCHC_DATABASE_URL`, or the embedded SQLite default.

/// The default database: an SQLite file under the working directory.
pub const DEFAULT_DB: &str = "sqlite://cchc-data/cchc.db";

/// The database URL to use, from the flag or environment (clap fills both), else the default.
pub fn database_url(flag: Option<&str>) -> String {
    flag.map(str::to_string)
        .unwrap_or_else(|| DEFAULT_DB.to_string())
}

pub use cchc_store::redact_url as redact;
