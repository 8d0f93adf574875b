//! The application (ứng dụng): every operation of cchc, with its scope checks, in one place.
//! The web's handlers and the command line are thin adapters over it: they parse, call one
//! function here, and render or print.
//!
//! - [`access`]: the signed-in account and the scope checks every feature shares.
//! - [`plan`]: the plan of a year.
//! - [`execution`]: accounts and sessions, reporting periods, unit reports and their review,
//!   evidence files, the board, overdue work, the dashboard, the audit log, and the period's
//!   documents (the periodic report and its tables).
//! - [`delivery`]: service delivery — catalogue and dossier imports, indicators.
//! - [`evaluation`]: the registries behind targets 1.2, 1.3, 3.7 and 4.2 (inspections and
//!   remediation, initiatives, dialogues, staffing quotas) and the figures measured from them.
//! - [`public`]: the public pages' content (công khai) and publishing.

pub mod access;
pub mod delivery;
mod error;
pub mod evaluation;
pub mod execution;
pub mod format;
pub mod plan;
pub mod public;
pub mod reform_index;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use cchc_store::{ExecutionRepository, Store};
use chrono::{NaiveDate, Utc};

pub use error::{Error, ErrorKind};

/// A result of the application.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Cấu hình ứng dụng: where files go, cookie and session rules, limits.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Evidence files, outside any served folder.
    pub files_dir: PathBuf,
    /// Mark the session cookie `Secure` (set when served behind TLS). Requests that arrive
    /// with `X-Forwarded-Proto: https` get it anyway.
    pub cookie_secure: bool,
    pub max_upload_bytes: usize,
    pub idle_timeout: Duration,
    pub absolute_timeout: Duration,
    /// Failed logins of one account within `throttle_window` before it is paused.
    pub max_failures_per_account: i64,
    /// Failed logins from one address within `throttle_window`.
    pub max_failures_per_address: i64,
    pub throttle_window: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            files_dir: PathBuf::from("cchc-data/files"),
            cookie_secure: false,
            max_upload_bytes: 10 * 1024 * 1024,
            idle_timeout: Duration::from_secs(60 * 60),
            absolute_timeout: Duration::from_secs(12 * 60 * 60),
            max_failures_per_account: 5,
            max_failures_per_address: 30,
            throttle_window: Duration::from_secs(15 * 60),
        }
    }
}

/// The application over one store: what every operation takes first.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub settings: Arc<Settings>,
}

impl App {
    pub fn new(store: Store, settings: Settings) -> Self {
        App {
            store,
            settings: Arc::new(settings),
        }
    }

    /// The execution queries (every store has them).
    pub fn x(&self) -> &dyn ExecutionRepository {
        self.store.execution()
    }
}

/// Today in Vietnam (UTC+7), the reference of "overdue".
pub fn today() -> NaiveDate {
    let vietnam = chrono::FixedOffset::east_opt(7 * 3600).expect("a valid offset");
    Utc::now().with_timezone(&vietnam).date_naive()
}
