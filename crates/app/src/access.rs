//! Quyền truy cập: the signed-in account, and the scope checks every feature shares (which
//! unit's records an account may read, who may grant which role). A refusal is logged and
//! audited here.

use cchc_domain::execution::{AuditAction, Role};
use cchc_store::execution::{AuditDraft, User};

use crate::{App, Error, Result as R};

/// The signed-in account of a request (phiên đăng nhập): its user, its CSRF token and the
/// SHA-256 of its cookie token (the token itself is never kept).
#[derive(Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub token_hash: String,
}

/// Whether the account may read the unit's records.
pub fn can_read(s: &Session, unit: &str) -> bool {
    s.user.role.sees_all() || s.user.unit == unit
}

/// Refuses, logs and audits an out-of-scope access.
pub(crate) async fn scope(
    state: &App,
    s: &Session,
    unit: &str,
    what: &str,
    allowed: bool,
) -> R<()> {
    if allowed {
        return Ok(());
    }
    denied(state, s, what, Some(unit)).await;
    Err(Error::forbidden(format!(
        "tài khoản «{}» của đơn vị «{}» không được truy cập dữ liệu của đơn vị «{unit}»",
        s.user.username, s.user.unit
    )))
}

/// Logs and audits a refused access (a user who edits an id in a URL or a body).
pub async fn denied(state: &App, session: &Session, what: &str, unit: Option<&str>) {
    tracing::warn!(user = %session.user.username, unit = %session.user.unit, what, "access denied");
    let draft = AuditDraft::new(
        &session.user.username,
        AuditAction::AccessDenied.as_str(),
        what.to_string(),
        unit,
    );
    if let Err(e) = state.x().append_audit(&draft).await {
        tracing::error!(error = %e, "cannot audit a refused access");
    }
}

/// Only the administrator creates administrators and standing-office accounts.
pub fn may_grant(s: &Session, role: Role) -> R<()> {
    if s.user.role != Role::Admin && matches!(role, Role::Admin | Role::StandingOffice) {
        return Err(Error::forbidden(
            "chỉ quản trị hệ thống được tạo tài khoản quản trị hoặc cơ quan thường trực",
        ));
    }
    Ok(())
}

/// 32 random bytes as hex: session and CSRF tokens, file ids.
pub fn random_token() -> String {
    use rand::RngCore;
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}
