//! Kết quả đã tính — results kept while the database has not changed.
//!
//! A result computed from the database is kept under the store's data version
//! ([`cchc_store::Repository::data_version`]), read *before* computing, and under today's date
//! (what overdue and forecasts count from). A later call with the same key is answered from
//! memory while both are still the same; the first call after any commit — by this server,
//! another app server on the same PostgreSQL database, or a command-line import into the
//! SQLite file — finds a new version and computes again. So a kept result is never older than
//! the last commit before the request began, the same as reading afresh.
//!
//! Keys name what was computed and everything it depends on besides the database and the day
//! (the period, the language, the account's role and unit). Kept results are bounded in
//! number; they are all dropped when the version or the day changes.
//!
//! One computation runs at a time for a key: callers that miss while it runs wait for it and
//! take its result, so a commit seen by 64 connections at once costs one computation, not 64.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;

use crate::{App, Result};

/// At most this many results are kept; one more drops them all (a rare, cheap reset).
const MAX_ENTRIES: usize = 2048;

type Kept = Arc<dyn Any + Send + Sync>;

/// The kept results of one app server (one per [`App`], shared by its clones).
#[derive(Default)]
pub struct Memo {
    inner: Mutex<Inner>,
    computed: AtomicU64,
}

#[derive(Default)]
struct Inner {
    /// The version and day the entries were computed under.
    at: Option<(u64, NaiveDate)>,
    entries: HashMap<String, Kept>,
    /// One lock per key, held while its result is computed.
    flights: HashMap<String, Arc<tokio::sync::Mutex<()>>>,
}

impl Memo {
    /// The result kept under `key` at `at`, if it is a `T`.
    fn get<T: Send + Sync + 'static>(&self, at: (u64, NaiveDate), key: &str) -> Option<Arc<T>> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.at != Some(at) {
            return None;
        }
        inner.entries.get(key)?.clone().downcast::<T>().ok()
    }

    fn put(&self, at: (u64, NaiveDate), key: String, value: Kept) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.at != Some(at) || inner.entries.len() >= MAX_ENTRIES {
            inner.entries.clear();
            inner.at = Some(at);
        }
        inner.entries.insert(key, value);
    }

    /// The lock computing `key` holds; a dropped map only means two may compute at once.
    fn flight(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.flights.len() >= MAX_ENTRIES {
            inner.flights.clear();
        }
        inner.flights.entry(key.to_string()).or_default().clone()
    }

    /// How many times a result was computed rather than taken from memory (for tests).
    pub fn computed(&self) -> u64 {
        self.computed.load(Ordering::Relaxed)
    }

    /// How many results are kept (for tests).
    pub fn len(&self) -> usize {
        self.inner.lock().map(|i| i.entries.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl App {
    /// `compute()`'s result, or the one kept under `key` when nothing has been committed to
    /// the database since it was computed and the day is the same. A store that cannot tell
    /// its version (in memory) computes every time. An error is never kept.
    pub async fn memo<T, E, F, Fut>(&self, key: String, compute: F) -> Result<Arc<T>, E>
    where
        T: Send + Sync + 'static,
        E: From<crate::Error>,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let Some(at) = self.memo_at().await.map_err(E::from)? else {
            return compute().await.map(Arc::new);
        };
        if let Some(value) = self.memo.get(at, &key) {
            return Ok(value);
        }
        let flight = self.memo.flight(&key);
        let _computing = flight.lock().await;
        // Whoever held the lock may have computed it meanwhile: read the version again (still
        // before computing; within a request, the one it began with unless it wrote) and look
        // once more.
        let at = self.memo_at().await.map_err(E::from)?.unwrap_or(at);
        if let Some(value) = self.memo.get(at, &key) {
            return Ok(value);
        }
        self.memo.computed.fetch_add(1, Ordering::Relaxed);
        let value = Arc::new(compute().await?);
        self.memo.put(at, key, value.clone());
        Ok(value)
    }

    /// The store's data version and today, or None when the store cannot tell its version.
    async fn memo_at(&self) -> Result<Option<(u64, NaiveDate)>> {
        let version = self.store.data_version().await?;
        Ok(version.map(|v| (v, self.today())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Settings;
    use std::sync::atomic::AtomicUsize;

    fn unit(id: &str, name: &str) -> cchc_domain::Unit {
        cchc_domain::Unit {
            id: cchc_domain::UnitId::parse(id).unwrap(),
            name: name.into(),
            kind: cchc_domain::UnitKind::District,
            parent: None,
            aliases: vec![],
            source: "standard".into(),
        }
    }

    /// The names of the units, as computed now, counting computations (each takes a while,
    /// so that concurrent callers overlap).
    async fn names(app: &App, runs: &AtomicUsize) -> Arc<Vec<String>> {
        app.memo("names".into(), || async {
            runs.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            let units = app.store.list_units().await?;
            Ok::<_, crate::Error>(units.into_iter().map(|u| u.name).collect())
        })
        .await
        .unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn kept_until_any_connection_commits_and_computed_once_by_concurrent_callers() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/m.db", dir.path().display());
        let app = App::new(
            cchc_store::connect(&url).await.unwrap(),
            Settings::default(),
        );
        let other = cchc_store::connect(&url).await.unwrap();
        other
            .import_units(&[unit("ubnd-huyen", "UBND huyện")])
            .await
            .unwrap();
        let runs = AtomicUsize::new(0);

        assert_eq!(*names(&app, &runs).await, ["UBND huyện"]);
        assert_eq!(*names(&app, &runs).await, ["UBND huyện"]);
        assert_eq!(runs.load(Ordering::SeqCst), 1, "kept while unchanged");

        // Another connection (another server, a command-line import) commits.
        other
            .import_units(&[unit("ubnd-huyen", "UBND huyện Đức Thọ")])
            .await
            .unwrap();
        assert_eq!(*names(&app, &runs).await, ["UBND huyện Đức Thọ"]);
        assert_eq!(
            runs.load(Ordering::SeqCst),
            2,
            "computed again after the commit"
        );

        // Sixteen callers missing at once compute it once.
        other
            .import_units(&[unit("ubnd-huyen", "UBND huyện (mới)")])
            .await
            .unwrap();
        let runs = Arc::new(runs);
        let callers: Vec<_> = (0..16)
            .map(|_| {
                let (app, runs) = (app.clone(), runs.clone());
                tokio::spawn(async move { names(&app, &runs).await })
            })
            .collect();
        for c in callers {
            assert_eq!(*c.await.unwrap(), ["UBND huyện (mới)"]);
        }
        assert_eq!(
            runs.load(Ordering::SeqCst),
            3,
            "one computation for sixteen callers"
        );
        assert_eq!(app.memo.computed(), 3);

        // An error is not kept: the next call computes.
        let failed: Result<Arc<()>> = app
            .memo("fails".into(), || async {
                Err(crate::Error::not_found("x"))
            })
            .await;
        assert!(failed.is_err());
        let ok: Result<Arc<u8>> = app.memo("fails".into(), || async { Ok(7) }).await;
        assert_eq!(*ok.unwrap(), 7);
    }

    #[tokio::test]
    async fn an_in_memory_store_keeps_nothing() {
        let app = App::new(
            cchc_store::connect("sqlite::memory:").await.unwrap(),
            Settings::default(),
        );
        app.store
            .import_units(&[unit("ubnd-huyen", "UBND huyện")])
            .await
            .unwrap();
        let runs = AtomicUsize::new(0);
        names(&app, &runs).await;
        names(&app, &runs).await;
        assert_eq!(runs.load(Ordering::SeqCst), 2);
        assert!(app.memo.is_empty());
    }
}
