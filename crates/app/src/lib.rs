//! The application (ứng dụng): every operation of cchc, with its scope checks, in one place.
//! The web's handlers and the command line are thin adapters over it: they parse, call one
//! function here, and render or print.
//!
//! - [`access`]: the signed-in account and the scope checks every feature shares.
//! - [`plan`]: the plan of a year.
//! - [`commune_plan`]: communes' plans derived from the district plan, edited and issued.
//! - [`execution`]: accounts and sessions, reporting periods, unit reports and their review,
//!   evidence files, the board, overdue work, the dashboard, the audit log, and the period's
//!   documents (the periodic report and its tables).
//! - [`delivery`]: service delivery — catalogue and dossier imports, indicators.
//! - [`evaluation`]: the registries behind targets 1.2, 1.3, 3.7 and 4.2 (inspections and
//!   remediation, initiatives, dialogues, staffing quotas) and the figures measured from them.
//! - [`forecast`]: the whole months a year-end forecast (dự báo) of a measured target is made from.
//! - [`public`]: the public pages' content (công khai) and publishing.

pub mod access;
pub mod commune_plan;
pub mod delivery;
mod error;
pub mod evaluation;
pub mod execution;
pub mod files;
pub mod forecast;
pub mod format;
pub mod memo;
pub mod plan;
pub mod public;
pub mod reform_index;
pub mod reminders;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use cchc_store::{ExecutionRepository, Store};
use chrono::{DateTime, NaiveDate, Utc};

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
    /// Đồng hồ: what "now" and "today" are (the system's, or set for tests and demos).
    pub clock: Clock,
    /// Nhắc việc: how often the worker looks for reminders, the mail server, and the address
    /// the links in messages start with.
    pub reminders: reminders::ReminderSettings,
}

/// Đồng hồ — the application's clock: the system's, fixed at an instant (tests), or running
/// from an instant set at start (`CCHC_CLOCK`, for tests and demos of a day in the plan).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum Clock {
    #[default]
    System,
    Fixed(DateTime<Utc>),
    /// The system's time shifted by this much.
    Offset(chrono::Duration),
}

impl Clock {
    /// A clock that reads `start` now and runs on from there.
    pub fn starting_at(start: DateTime<Utc>) -> Clock {
        Clock::Offset(start - Utc::now())
    }

    /// `CCHC_CLOCK`'s value: an RFC 3339 instant (`2024-04-12T08:00:00+07:00`), the clock
    /// running from it. Refused in Vietnamese.
    pub fn parse(s: &str) -> Result<Clock> {
        DateTime::parse_from_rfc3339(s.trim())
            .map(|t| Clock::starting_at(t.with_timezone(&Utc)))
            .map_err(|_| {
                Error::invalid(format!(
                    "đồng hồ «{s}» không hợp lệ; ghi theo dạng 2024-04-12T08:00:00+07:00"
                ))
            })
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => *t,
            Clock::Offset(d) => Utc::now() + *d,
        }
    }

    /// Today in Vietnam (UTC+7, no daylight saving), whatever the server's time zone.
    pub fn today(&self) -> NaiveDate {
        vietnam_day(self.now())
    }
}

/// The day in Vietnam (UTC+7) of an instant.
pub fn vietnam_day(t: DateTime<Utc>) -> NaiveDate {
    let vietnam = chrono::FixedOffset::east_opt(7 * 3600).expect("a valid offset");
    t.with_timezone(&vietnam).date_naive()
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
            clock: Clock::System,
            reminders: reminders::ReminderSettings::default(),
        }
    }
}

/// The application over one store: what every operation takes first.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub settings: Arc<Settings>,
    /// Results kept while the database is unchanged ([`App::memo`]).
    pub memo: Arc<memo::Memo>,
}

impl App {
    pub fn new(store: Store, settings: Settings) -> Self {
        App {
            store,
            settings: Arc::new(settings),
            memo: Default::default(),
        }
    }

    /// Now, by the settings' clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.settings.clock.now()
    }

    /// Today in Vietnam by the settings' clock: the reference of "overdue".
    pub fn today(&self) -> NaiveDate {
        self.settings.clock.today()
    }

    /// The execution queries (every store has them).
    pub fn x(&self) -> &dyn ExecutionRepository {
        self.store.execution()
    }
}
