//! Đánh giá: the registries behind the plan's targets 1.2, 1.3, 3.7 and 4.2 — inspections and
//! their remediation (`records`), initiatives, dialogues, staffing quotas — and the figures
//! measured from them (`measures`). Every scope check of evaluation is in this module:
//!
//! - the administrator and the standing office write every record;
//! - a unit's reporter or head proposes initiatives of its own unit (and edits or withdraws them
//!   while still proposed) and enters its own unit's dialogues;
//! - every signed-in account reads; leaders only read.

pub mod measures;
pub mod records;

use cchc_domain::execution::Role;
use cchc_domain::{Registry, UnitId};
use chrono::NaiveDate;

pub use measures::*;
pub use records::*;

use crate::access::{denied, Session};
use crate::{App, Error, Result as R};

/// The administrator or the standing office.
pub fn is_office(s: &Session) -> bool {
    matches!(s.user.role, Role::Admin | Role::StandingOffice)
}

/// Whether the account may enter records of `unit` that units enter themselves (initiative
/// proposals, dialogues): the office for every unit, a reporter or unit head for its own.
pub fn may_enter_for(s: &Session, unit: &str) -> bool {
    is_office(s) || (matches!(s.user.role, Role::Reporter | Role::UnitHead) && s.user.unit == unit)
}

/// Refuses, logs and audits a write outside the account's role or unit; `what` says which
/// record, in Vietnamese.
async fn require(state: &App, s: &Session, allowed: bool, what: &str, unit: Option<&str>) -> R<()> {
    if allowed {
        return Ok(());
    }
    denied(state, s, what, unit).await;
    Err(Error::forbidden(match unit {
        Some(u) => format!(
            "tài khoản «{}» ({}, đơn vị «{}») không được ghi {what} của đơn vị «{u}»",
            s.user.username,
            s.user.role.label_vi(),
            s.user.unit
        ),
        None => format!(
            "tài khoản «{}» ({}) không được ghi {what}; chỉ cơ quan thường trực CCHC và quản trị \
             hệ thống được ghi",
            s.user.username,
            s.user.role.label_vi()
        ),
    }))
}

// ---------------------------------------------------------------------------------------------
// Reading form fields, with located messages

/// A date typed as `dd/mm/yyyy` (as documents write it) or `yyyy-mm-dd` (a date input); empty
/// is `None`. The refusal names the field: «Ngày tổ chức: "31/02/2024" không phải ngày hợp lệ».
pub fn parse_date(field: &str, text: &str) -> R<Option<NaiveDate>> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(t, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(t, "%Y-%m-%d"))
        .map(Some)
        .map_err(|_| {
            Error::invalid(format!(
                "{field}: \"{t}\" không phải ngày hợp lệ; hãy nhập theo dạng ngày/tháng/năm, \
                 ví dụ 15/05/2024"
            ))
        })
}

/// A date that must be given.
pub fn required_date(field: &str, text: &str) -> R<NaiveDate> {
    parse_date(field, text)?.ok_or_else(|| Error::invalid(format!("{field}: chưa nhập ngày")))
}

/// A non-empty text, NFC with folded white space.
pub fn required_text(field: &str, text: &str) -> R<String> {
    let t = clean(text);
    if t.is_empty() {
        return Err(Error::invalid(format!("{field}: chưa nhập")));
    }
    Ok(t)
}

/// NFC with white space folded, as every boundary keeps text.
pub fn clean(text: &str) -> String {
    cchc_domain::text::clean(text)
}

/// A whole number from 0 (empty: `None`).
pub fn parse_count(field: &str, text: &str) -> R<Option<i32>> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.replace('.', "")
        .parse::<i32>()
        .ok()
        .filter(|n| *n >= 0)
        .map(Some)
        .ok_or_else(|| Error::invalid(format!("{field}: \"{t}\" không phải số nguyên không âm")))
}

/// A year from 2000 to 2100.
pub fn parse_year(field: &str, text: &str) -> R<i32> {
    text.trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| {
            Error::invalid(format!(
                "{field}: \"{}\" không phải năm hợp lệ",
                text.trim()
            ))
        })
}

/// The unit id, checked against the registry.
pub fn known_unit(registry: &Registry, field: &str, text: &str) -> R<String> {
    let id = UnitId::parse(text).map_err(|e| Error::invalid(format!("{field}: {e}")))?;
    registry
        .get(&id)
        .map(|u| u.id.as_str().to_string())
        .ok_or_else(|| {
            Error::invalid(format!(
                "{field}: \"{}\" không có trong danh mục đơn vị",
                text.trim()
            ))
        })
}

/// A date that must fall in `year`.
fn in_year(field: &str, d: Option<NaiveDate>, year: i32) -> R<()> {
    use chrono::Datelike;
    match d {
        Some(d) if d.year() != year => Err(Error::invalid(format!(
            "{field}: ngày {} không thuộc năm {year}",
            d.format("%d/%m/%Y")
        ))),
        _ => Ok(()),
    }
}

async fn registry(state: &App) -> R<Registry> {
    Ok(Registry::new(state.store.list_units().await?))
}
