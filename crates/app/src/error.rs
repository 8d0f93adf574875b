//! Lỗi nghiệp vụ: a refusal with a kind (what an adapter turns into an HTTP status or an exit
//! code), a stable reference code and a Vietnamese message saying what and where.

use cchc_store::StoreError;

/// What kind of refusal: the web maps it to a status, the command line prints the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input is wrong (422).
    Invalid,
    /// Not signed in, or a wrong password (401).
    Unauthorized,
    /// Out of the account's role or scope (403).
    Forbidden,
    NotFound,
    /// A stale version, an illegal transition, a duplicate (409).
    Conflict,
    TooLarge,
    UnsupportedType,
    /// Too many attempts (429).
    Throttled,
    /// The server could not read or write (500).
    Internal,
}

/// A refusal of the application (lỗi nghiệp vụ): `code` is stable (the API's `error`),
/// `message` is Vietnamese.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub kind: ErrorKind,
    pub code: &'static str,
    pub message: String,
}

impl Error {
    pub fn new(kind: ErrorKind, code: &'static str, message: impl Into<String>) -> Self {
        Error {
            kind,
            code,
            message: message.into(),
        }
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Forbidden, "Forbidden", message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, "NotFound", message)
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Invalid, "Invalid", message)
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, "Conflict", message)
    }
    pub fn unauthorized(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unauthorized, code, message)
    }
    /// A server-side failure; `message` says what the server was doing.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, "ServerError", message)
    }
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(m) => Error::not_found(format!("không tìm thấy: {m}")),
            StoreError::Conflict(m) => Error::conflict(m),
            StoreError::Invalid(m) => Error::invalid(m),
            other => {
                tracing::error!(error = %other, "store error");
                Error::internal("lỗi máy chủ khi đọc hoặc ghi cơ sở dữ liệu; hãy thử lại sau")
            }
        }
    }
}
