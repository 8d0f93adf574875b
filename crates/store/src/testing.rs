//! Test support shared by every crate's tests: a PostgreSQL database of one's own, and the
//! harness that runs one test on both backends ([`backend_tests!`](crate::backend_tests)).
//!
//! Enabled by the `testing` feature (dev-dependencies only).

use std::future::Future;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection;

use crate::Store;

/// Declares each test once per backend, as `sqlite::NAME` and `postgres::NAME`, on a fresh
/// store each (see [`on_sqlite`] and [`on_postgres`]). A test is `async fn NAME(store: Store)`
/// beside the call, or `async fn NAME(store: Store, url: String)` for the names after
/// `with_url:`. The calling crate needs `tokio` and `tempfile`.
#[macro_export]
macro_rules! backend_tests {
    (@each $($name:ident: $test:expr),*) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let dir = tempfile::tempdir().unwrap();
                $crate::testing::on_sqlite(dir.path(), $test).await
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                $crate::testing::on_postgres($test).await
            })*
        }
    };
    (with_url: $($name:ident),* $(,)?) => {
        $crate::backend_tests!(@each $($name: super::$name),*);
    };
    ($($name:ident),* $(,)?) => {
        $crate::backend_tests!(@each $($name: |store, _url| super::$name(store)),*);
    };
}

/// Runs a test on a fresh SQLite file below `dir`, in a directory that does not exist yet.
pub async fn on_sqlite<F, Fut>(dir: &Path, test: F)
where
    F: FnOnce(Store, String) -> Fut,
    Fut: Future<Output = ()>,
{
    let url = format!("sqlite://{}/nested/cchc.db", dir.display());
    let store = crate::connect(&url).await.unwrap();
    assert_eq!(store.backend(), "sqlite");
    test(store, url).await;
}

/// Runs a test on a database of its own, created on the server of `CCHC_TEST_POSTGRES_URL` and
/// dropped afterwards, even when the test fails; skipped as [`TestDatabase::create`] says.
pub async fn on_postgres<F, Fut>(test: F)
where
    F: FnOnce(Store, String) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(db) = TestDatabase::create().await else {
        return;
    };
    let store = crate::connect(db.url()).await.unwrap();
    assert_eq!(store.backend(), "postgres");
    // Run the test as a task so that a failure comes back here and the database is dropped.
    let outcome = tokio::spawn(test(store, db.url().to_string())).await;
    db.drop().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

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
