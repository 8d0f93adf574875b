//! Execution on the web (tổ chức thực hiện): sign-in and sessions (`auth`), the operations both
//! pages and API call (`service`), the JSON API (`api`) and the pages (`pages`).

pub mod api;
pub mod auth;
pub mod office;
pub mod pages;
pub mod service;
pub mod work;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cchc_store::{ExecutionRepository, Store, StoreError};

/// Cấu hình phần thực hiện: where files go, cookie and session rules, limits.
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

/// What every handler holds: the store and the settings.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Arc<Settings>,
}

impl FromRef<AppState> for Store {
    fn from_ref(s: &AppState) -> Store {
        s.store.clone()
    }
}

impl AppState {
    /// The execution queries; every store the product opens has them.
    pub fn x(&self) -> Result<&dyn ExecutionRepository, ExecError> {
        Ok(self.store.execution())
    }
}

/// Lỗi nghiệp vụ — a refusal with a stable reference code and a Vietnamese message saying
/// what and where. The API answers `{"error": code, "message": …}`; pages show the message.
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
        Self::new(StatusCode::FORBIDDEN, "Forbidden", message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "NotFound", message)
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "Invalid", message)
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "Conflict", message)
    }
}

impl From<StoreError> for ExecError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(m) => ExecError::not_found(format!("không tìm thấy: {m}")),
            StoreError::Conflict(m) => ExecError::conflict(m),
            StoreError::Invalid(m) => ExecError::invalid(m),
            other => {
                tracing::error!(error = %other, "store error");
                ExecError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "ServerError",
                    "lỗi máy chủ khi đọc hoặc ghi cơ sở dữ liệu; hãy thử lại sau",
                )
            }
        }
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
