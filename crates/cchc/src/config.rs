//! Where the database is: `--db`, `CCHC_DATABASE_URL`, or the embedded SQLite default.

/// The default database: an SQLite file beside the working directory.
pub const DEFAULT_DB: &str = "sqlite://cchc-data/cchc.db";

/// The database URL to use, from the flag or environment (clap fills both), else the default.
pub fn database_url(flag: Option<&str>) -> String {
    flag.map(str::to_string).unwrap_or_else(|| DEFAULT_DB.to_string())
}

/// The URL with any password replaced, for messages and logs.
pub fn redact(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://") {
        if let Some((creds, host)) = rest.split_once('@') {
            let user = creds.split(':').next().unwrap_or("");
            if creds.contains(':') {
                return format!("{scheme}://{user}:***@{host}");
            }
        }
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_hides_the_password_only() {
        assert_eq!(redact("postgres://cchc:secret@db:5432/cchc"), "postgres://cchc:***@db:5432/cchc");
        assert_eq!(redact("postgres://cchc@db/cchc"), "postgres://cchc@db/cchc");
        assert_eq!(redact("sqlite://cchc-data/cchc.db"), "sqlite://cchc-data/cchc.db");
    }
}
