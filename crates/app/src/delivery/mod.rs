//! Giải quyết TTHC: catalogue and dossier imports with progress and summaries (`import`), the
//! service indicators of a period read from the running totals (`indicators`), and who may
//! import.

pub mod import;
pub mod indicators;

use cchc_domain::execution::Role;
use cchc_domain::unit::UnitKind;

use crate::access::{denied, Session};
use crate::{App, Error, Result as R};

pub use import::{
    import_catalog, import_dossiers, ImportFailure, ImportOptions, ImportSummary, Progress,
};
pub use indicators::{report, IndicatorReport, ScopeRequest};

/// Who may import the procedure catalogue and dossiers: the administrator and the standing
/// office, and the staff (reporter, unit head) of a public service centre (Trung tâm Phục vụ
/// hành chính công), whose one-stop system the files come from. A refusal is logged and
/// audited; `what` names the attempt.
pub async fn authorize_import(state: &App, session: &Session, what: &str) -> R<()> {
    if may_import(state, session).await? {
        return Ok(());
    }
    denied(state, session, what, None).await;
    Err(Error::forbidden(format!(
        "chỉ cơ quan thường trực CCHC, quản trị hệ thống và cán bộ Trung tâm Phục vụ hành chính \
         công được nhập danh mục TTHC và hồ sơ; tài khoản «{}» ({}) không được phép ({what})",
        session.user.username,
        session.user.role.label_vi()
    )))
}

async fn may_import(state: &App, session: &Session) -> R<bool> {
    let user = &session.user;
    if matches!(user.role, Role::Admin | Role::StandingOffice) {
        return Ok(true);
    }
    if !matches!(user.role, Role::Reporter | Role::UnitHead) {
        return Ok(false);
    }
    let units = state.store.list_units().await?;
    Ok(units
        .iter()
        .any(|u| u.id.as_str() == user.unit && u.kind == UnitKind::PublicServiceCentre))
}
