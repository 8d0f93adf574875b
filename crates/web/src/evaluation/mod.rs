//! Evaluation on the web (đánh giá): the registries behind targets 1.2, 1.3, 3.7 and 4.2 —
//! the overview `/danh-gia`, inspections and their remediation `/danh-gia/kiem-tra`,
//! initiatives `/danh-gia/sang-kien`, dialogues `/danh-gia/doi-thoai`, staffing quotas
//! `/danh-gia/bien-che` — and the measured figures other pages show (the plan's key-target list
//! and a target's page). The operations and their scope checks are `cchc_app::evaluation`.

pub mod api;
pub mod pages;
pub mod routes;

pub use pages::{measured_targets_table, target_badges, target_section};
