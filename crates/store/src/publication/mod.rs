//! Công khai — what the standing office has published on the public pages: the communes'
//! reform-index ranking of a year, the periodic report of a period.
//!
//! A trait implemented by the same stores, reached through [`crate::Repository::publication`].
//! The SQL is in [`sql`], written once and expanded for each backend. Every write is one
//! transaction with its audit entry.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::execution::AuditDraft;
use crate::Result;

pub(crate) mod sql;

/// Loại công bố — what kind of item is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PublicationKind {
    /// Xếp hạng chỉ số CCHC các xã: the subject is the year.
    Ranking,
    /// Báo cáo CCHC định kỳ: the subject is the period code.
    Report,
}

impl PublicationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PublicationKind::Ranking => "ranking",
            PublicationKind::Report => "report",
        }
    }
    pub fn parse(s: &str) -> Option<PublicationKind> {
        match s {
            "ranking" => Some(PublicationKind::Ranking),
            "report" => Some(PublicationKind::Report),
            _ => None,
        }
    }
}

/// Công bố — one published item. `published_by` is kept for the audit and the office's pages,
/// never shown on a public page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    pub kind: PublicationKind,
    pub subject: String,
    pub published_by: String,
    pub published_at: DateTime<Utc>,
}

/// The publication queries, on either database.
#[async_trait]
pub trait PublicationRepository: Send + Sync {
    /// Every published item, newest first.
    async fn publications(&self) -> Result<Vec<Publication>>;
    /// The item, if it is published.
    async fn publication(
        &self,
        kind: PublicationKind,
        subject: &str,
    ) -> Result<Option<Publication>>;
    /// Publishes the item (`Some`, replacing an earlier time) or withdraws it (`None`), with
    /// its audit entry, in one transaction. Returns whether anything changed: withdrawing an
    /// item that is not published writes nothing and no audit entry.
    async fn set_publication(
        &self,
        kind: PublicationKind,
        subject: &str,
        published: Option<(&str, DateTime<Utc>)>,
        audit: &AuditDraft,
    ) -> Result<bool>;
}
