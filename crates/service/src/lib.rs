//! Operations that span the readers and the store (dịch vụ): catalogue and dossier imports
//! with progress and summaries, and the service indicators of a period read from the totals.
//! Used by the command line and the web alike.

pub mod import;
pub mod indicators;

pub use import::{
    import_catalog, import_dossiers, ImportFailure, ImportOptions, ImportSummary, Progress,
};
pub use indicators::{report, IndicatorReport, ScopeRequest};
