//! Service delivery on the web (giải quyết TTHC): the measure pages, the dossiers behind a
//! figure and their export, and the import page.

pub mod pages;
pub mod routes;

pub use pages::{target_badges, target_section};
