//! Execution on the web (tổ chức thực hiện): sign-in cookies and the authorisation layer
//! (`auth`), the JSON API (`api`), the sign-in pages and the reports home (`pages`), a unit's
//! report form and the review board (`work`), the office's pages (`office`), the period's
//! documents (`documents`), all assembled in `routes`. The operations themselves, and every
//! scope check, are in `cchc_app::execution`.

pub mod api;
pub mod auth;
pub mod documents;
pub mod office;
pub mod pages;
pub mod reminders;
pub mod routes;
pub mod work;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cchc_app::ErrorKind;
use cchc_store::StoreError;

/// A refusal as the web sends it: an HTTP status, the stable reference code and the Vietnamese
/// message. The API answers `{"error": code, "message": …}`; pages show the message.
#[derive(Debug, Clone)]
pub struct ExecError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ExecError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ExecError {
            status,
            code,
            message: message.into(),
        }
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        cchc_app::Error::forbidden(message).into()
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        cchc_app::Error::not_found(message).into()
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        cchc_app::Error::invalid(message).into()
    }
    /// No session, or an expired one.
    pub fn not_signed_in() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "NotSignedIn",
            "chưa đăng nhập hoặc phiên đã hết hạn; hãy đăng nhập lại",
        )
    }
}

/// The status of each kind of refusal.
fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorKind::UnsupportedType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorKind::Throttled => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<cchc_app::Error> for ExecError {
    fn from(e: cchc_app::Error) -> Self {
        ExecError {
            status: status_of(e.kind),
            code: e.code,
            message: e.message,
        }
    }
}

impl From<StoreError> for ExecError {
    fn from(e: StoreError) -> Self {
        cchc_app::Error::from(e).into()
    }
}

impl IntoResponse for ExecError {
    fn into_response(self) -> Response {
        (
            self.status,
            axum::Json(serde_json::json!({"error": self.code, "message": self.message})),
        )
            .into_response()
    }
}
