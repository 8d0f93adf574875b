//! Tệp kiểm chứng: evidence files, one store for every record that takes them (a unit's
//! report, a commune's self-score, an inspection's minutes), with the same limits, checks by
//! content and audit. Each feature checks the scope before calling [`store_file`].

use cchc_domain::execution::{sha256_hex, AuditAction, FileKind};
use cchc_store::execution::{AuditDraft, FileRecord};
use chrono::Utc;

use crate::access::Session;
use crate::{App, Error, ErrorKind, Result as R};

/// Tệp kiểm chứng: checks a file's size and type (by its content), writes it under a random
/// id and records it for `owner` (a report's period, or an evaluation record's key such as
/// `kiem-tra/17`) and `unit`, audited. A refused or failed upload leaves no file and no row.
/// The caller has checked the scope.
pub async fn store_file(
    state: &App,
    s: &Session,
    owner: &str,
    unit: &str,
    name: &str,
    bytes: &[u8],
) -> R<FileRecord> {
    let (f, path) = save_file(state, s, owner, unit, name, bytes)?;
    let after = serde_json::to_string(&f).unwrap_or_default();
    if let Err(e) = state
        .x()
        .insert_file(
            &f,
            &AuditDraft::new(
                &s.user.username,
                AuditAction::FileUpload.as_str(),
                format!("file:{}", f.id),
                Some(unit),
            )
            .change(String::new(), after),
        )
        .await
    {
        let _ = std::fs::remove_file(&path);
        return Err(e.into());
    }
    Ok(f)
}

/// The checks and the write of [`store_file`] without the row: for a record that stores the
/// file's row in its own transaction (a commune plan's issue). The caller removes the file at
/// the returned path when storing fails.
pub(crate) fn save_file(
    state: &App,
    s: &Session,
    owner: &str,
    unit: &str,
    name: &str,
    bytes: &[u8],
) -> R<(FileRecord, std::path::PathBuf)> {
    if bytes.len() > state.settings.max_upload_bytes {
        return Err(Error::new(
            ErrorKind::TooLarge,
            "TooLarge",
            format!(
                "tệp «{name}» lớn hơn giới hạn {} MB",
                state.settings.max_upload_bytes / (1024 * 1024)
            ),
        ));
    }
    let kind = FileKind::sniff(bytes).ok_or_else(|| Error::new(ErrorKind::UnsupportedType, "FileType", format!("tệp «{name}» không phải PDF, DOCX, XLSX, PNG hoặc JPEG (kiểm tra theo nội dung tệp)")))?;
    let id = crate::access::random_token();
    std::fs::create_dir_all(&state.settings.files_dir)
        .map_err(|e| io_error("tạo thư mục lưu tệp", e))?;
    let path = state.settings.files_dir.join(&id);
    let tmp = state.settings.files_dir.join(format!("{id}.part"));
    std::fs::write(&tmp, bytes)
        .and_then(|_| std::fs::rename(&tmp, &path))
        .map_err(|e| io_error("ghi tệp", e))?;
    let clean: String = name
        .chars()
        .filter(|c| !c.is_control() && !"/\\".contains(*c))
        .take(200)
        .collect();
    let f = FileRecord {
        id,
        period: owner.into(),
        unit: unit.into(),
        name: clean,
        kind: kind.as_str().into(),
        size: bytes.len() as i64,
        sha256: sha256_hex(bytes),
        uploaded_by: s.user.username.clone(),
        uploaded_at: Utc::now(),
    };
    Ok((f, path))
}

pub(crate) fn io_error(what: &str, e: std::io::Error) -> Error {
    tracing::error!(error = %e, what, "file storage error");
    Error::new(
        ErrorKind::Internal,
        "ServerError",
        format!("lỗi máy chủ khi {what}"),
    )
}
