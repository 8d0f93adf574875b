//! Test support shared by every crate's tests: a PostgreSQL database of one's own.
//!
//! Enabled by the `testing` feature (dev-dependencies only).

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection;

/// A fresh database on the server named by `CCHC_TEST_POSTGRES_URL`, dropped by [`drop`].
///
/// [`drop`]: TestDatabase::drop
pub struct TestDatabase {
    admin: sqlx::PgConnection,
    name: String,
    url: String,
}

impl TestDatabase {
    /// Creates the database; `None` (with a notice) when no server is configured, and a panic
    /// instead when `CCHC_REQUIRE_POSTGRES=1`, so CI cannot skip PostgreSQL silently.
    pub async fn create() -> Option<TestDatabase> {
        let Ok(server) = std::env::var("CCHC_TEST_POSTGRES_URL") else {
            if std::env::var("CCHC_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!("CCHC_REQUIRE_POSTGRES=1 but CCHC_TEST_POSTGRES_URL is not set");
            }
            eprintln!("notice: CCHC_TEST_POSTGRES_URL is not set; PostgreSQL test skipped");
            return None;
        };
        static SEQ: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!(
            "cchc_test_{}_{}_{}",
            std::process::id(),
            nanos,
            SEQ.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = sqlx::PgConnection::connect(&server)
            .await
            .unwrap_or_else(|e| panic!("cannot reach the PostgreSQL test server: {e}"));
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
        let url = with_database(&server, &name);
        Some(TestDatabase { admin, name, url })
    }

    /// The URL of the fresh database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Drops the database, closing any connection still open to it.
    pub async fn drop(mut self) {
        let sql = format!("DROP DATABASE {} WITH (FORCE)", self.name);
        if let Err(e) = sqlx::query(&sql).execute(&mut self.admin).await {
            eprintln!("warning: could not drop test database {}: {e}", self.name);
        }
    }
}

/// The server URL with its database name replaced.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let server = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{server}/{database}?{q}"),
        None => format!("{server}/{database}"),
    }
}
