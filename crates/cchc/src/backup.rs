//! `cchc backup` and `cchc restore` (sao lưu, khôi phục): the database and every evidence file
//! in one zip archive with a `manifest.json` that gives each member's size and SHA-256.
//!
//! SQLite is copied with `VACUUM INTO` (one read transaction: a consistent copy while a server
//! writes); PostgreSQL with `pg_dump` (plain SQL), restored by `psql` in one transaction. The
//! database is copied before the files: a file is written before the row that names it, so
//! every file the copied database names is in the archive.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use anyhow::{anyhow, bail, Context, Result};
use cchc_store::maintenance::{self, Kind};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

/// The archive format this build writes and reads.
pub const FORMAT: &str = "cchc-backup/1";
const MANIFEST: &str = "manifest.json";
const FILES_PREFIX: &str = "files/";
/// What to install when PostgreSQL's client programs are missing.
const PG_CLIENT_HINT: &str = "cài gói PostgreSQL client, ví dụ: apt-get install postgresql-client";

/// `manifest.json`: what the archive holds.
#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub created_at: String,
    pub cchc_version: String,
    pub database: DatabaseEntry,
    pub members: Vec<Member>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct DatabaseEntry {
    /// "sqlite" or "postgres".
    pub kind: String,
    /// The latest migration applied to the copied database.
    pub migration: Option<i64>,
    /// The member that holds it.
    pub member: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Member {
    pub name: String,
    pub size: u64,
    pub sha256: String,
}

/// A writer that counts and hashes what passes through it.
struct Hashing<W> {
    inner: W,
    hash: Sha256,
    size: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `cchc backup --out FILE`.
pub async fn backup(url: &str, files_dir: &Path, out: &Path) -> Result<ExitCode> {
    let kind = Kind::of(url)?;
    let out_dir = out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("không tạo được thư mục «{}»", out_dir.display()))?;
    // Work files beside the archive: the copy of a large database may not fit in /tmp.
    let work = tempfile::Builder::new()
        .prefix(".cchc-backup-")
        .tempdir_in(out_dir)
        .with_context(|| format!("không tạo được thư mục tạm trong «{}»", out_dir.display()))?;

    let (member, dump) = match kind {
        Kind::Sqlite => {
            let source = maintenance::sqlite_path(url).ok_or_else(|| {
                anyhow!("không sao lưu được cơ sở dữ liệu SQLite trong bộ nhớ (sqlite::memory:)")
            })?;
            let dest = work.path().join("database.sqlite");
            maintenance::sqlite_snapshot(&source, &dest)
                .await
                .with_context(|| {
                    format!("không sao chép được cơ sở dữ liệu «{}»", source.display())
                })?;
            ("database.sqlite", dest)
        }
        Kind::Postgres => {
            let dest = work.path().join("database.sql");
            pg_dump(url, &dest)?;
            ("database.sql", dest)
        }
    };
    let migration = match kind {
        Kind::Sqlite => {
            maintenance::schema_version(&format!("sqlite://{}", dump.display())).await?
        }
        Kind::Postgres => maintenance::schema_version(url).await?,
    };

    let files = list_files(files_dir)?;
    let part = work.path().join("archive.zip");
    let mut zip = zip::ZipWriter::new(BufWriter::new(
        File::create(&part).with_context(|| format!("không tạo được «{}»", part.display()))?,
    ));
    let mut members = Vec::new();
    members.push(add_member(&mut zip, member, &dump)?);
    for rel in &files {
        let name = format!("{FILES_PREFIX}{rel}");
        members.push(add_member(&mut zip, &name, &files_dir.join(rel))?);
    }
    let manifest = Manifest {
        format: FORMAT.into(),
        created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        cchc_version: env!("CARGO_PKG_VERSION").into(),
        database: DatabaseEntry {
            kind: kind.as_str().into(),
            migration,
            member: member.into(),
        },
        members,
    };
    zip.start_file(MANIFEST, SimpleFileOptions::default())?;
    serde_json::to_writer_pretty(&mut zip, &manifest)?;
    let file = zip
        .finish()?
        .into_inner()
        .map_err(|e| anyhow!("không ghi được «{}»: {}", part.display(), e.error()))?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&part, out).with_context(|| format!("không ghi được «{}»", out.display()))?;
    let bytes: u64 = manifest.members.iter().map(|m| m.size).sum();
    eprintln!(
        "Đã sao lưu vào «{}»: cơ sở dữ liệu {} (phiên bản cấu trúc {}), {} tệp kiểm chứng; {} \
         thành phần, {} byte trước khi nén.",
        out.display(),
        kind.as_str(),
        migration.map_or("chưa có".to_string(), |v| v.to_string()),
        files.len(),
        manifest.members.len(),
        bytes
    );
    Ok(ExitCode::SUCCESS)
}

fn add_member<W: Write + std::io::Seek>(
    zip: &mut zip::ZipWriter<W>,
    name: &str,
    path: &Path,
) -> Result<Member> {
    let mut src = BufReader::new(
        File::open(path).with_context(|| format!("không đọc được «{}»", path.display()))?,
    );
    let len = std::fs::metadata(path)?.len();
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .large_file(len >= u32::MAX as u64);
    zip.start_file(name, options)?;
    let mut w = Hashing {
        inner: &mut *zip,
        hash: Sha256::new(),
        size: 0,
    };
    std::io::copy(&mut src, &mut w)
        .with_context(|| format!("không đọc được «{}»", path.display()))?;
    Ok(Member {
        name: name.into(),
        size: w.size,
        sha256: hex(&w.hash.finalize()),
    })
}

/// The evidence files below `dir`, as relative paths with `/`, sorted; an upload being
/// written (`.part`) is left out. A missing directory holds none.
fn list_files(dir: &Path) -> Result<Vec<String>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => bail!("không đọc được thư mục tệp «{}»: {e}", dir.display()),
        };
        for entry in entries {
            let entry = entry?;
            let path = entry.path();
            let kind = entry.file_type()?;
            if kind.is_dir() {
                walk(root, &path, out)?;
            } else if kind.is_file() && path.extension().is_none_or(|e| e != "part") {
                let rel = path.strip_prefix(root).unwrap_or(&path);
                let rel = rel
                    .to_str()
                    .ok_or_else(|| anyhow!("tên tệp «{}» không phải UTF-8", path.display()))?;
                out.push(rel.replace(std::path::MAIN_SEPARATOR, "/"));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

/// A PostgreSQL URL without its password, and the password (for `PGPASSWORD`), so that the
/// password does not show in the process list.
fn pg_url_and_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_string(), None);
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    if let Some((userinfo, host)) = authority.rsplit_once('@') {
        if let Some((user, password)) = userinfo.split_once(':') {
            return (
                format!("{scheme}://{user}@{host}{tail}"),
                Some(percent_decode(password)),
            );
        }
    }
    (url.to_string(), None)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let digits = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
            if let Ok(v) = u8::from_str_radix(digits, 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A PostgreSQL client program (`pg_dump`, `psql`) for `url`, or a refusal naming what to
/// install when it is not on PATH.
fn pg_command(program: &str, url: &str, purpose: &str) -> Result<Command> {
    let found = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()));
    if !found {
        bail!(
            "không tìm thấy chương trình «{program}» (cần để {purpose} cơ sở dữ liệu PostgreSQL); \
             {PG_CLIENT_HINT}"
        );
    }
    let (url, password) = pg_url_and_password(url);
    let mut cmd = Command::new(program);
    cmd.arg(format!("--dbname={url}"));
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    Ok(cmd)
}

fn pg_dump(url: &str, dest: &Path) -> Result<()> {
    let out = pg_command("pg_dump", url, "sao lưu")?
        .args(["--format=plain", "--no-owner", "--no-privileges", "--file"])
        .arg(dest)
        .stdin(Stdio::null())
        .output()
        .context("không chạy được pg_dump")?;
    if !out.status.success() {
        bail!(
            "pg_dump không sao lưu được cơ sở dữ liệu {}: {}",
            cchc_store::redact_url(url),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

/// `cchc restore FILE [--force]`.
pub async fn restore(url: &str, files_dir: &Path, archive: &Path, force: bool) -> Result<ExitCode> {
    let kind = Kind::of(url)?;
    let mut zip =
        zip::ZipArchive::new(BufReader::new(File::open(archive).with_context(|| {
            format!("không mở được tệp sao lưu «{}»", archive.display())
        })?))
        .map_err(|e| {
            anyhow!(
                "«{}» không phải tệp sao lưu của cchc (zip): {e}",
                archive.display()
            )
        })?;
    let manifest = read_manifest(&mut zip, archive)?;
    verify_members(&mut zip, &manifest, archive)?;

    // What the archive holds must fit the target.
    if manifest.database.kind != kind.as_str() {
        bail!(
            "tệp sao lưu «{}» chứa cơ sở dữ liệu {}, không khôi phục được vào {} ({})",
            archive.display(),
            manifest.database.kind,
            kind.as_str(),
            cchc_store::redact_url(url)
        );
    }
    if let Some(v) = manifest.database.migration {
        if v > kind.latest_migration() {
            bail!(
                "tệp sao lưu «{}» do cchc {} tạo, với cấu trúc cơ sở dữ liệu mới hơn phiên bản \
                 này biết ({v} > {}); hãy khôi phục bằng cchc mới hơn",
                archive.display(),
                manifest.cchc_version,
                kind.latest_migration()
            );
        }
    }
    let files: Vec<&Member> = manifest
        .members
        .iter()
        .filter(|m| m.name.starts_with(FILES_PREFIX))
        .collect();

    // A target that holds data is only replaced on request.
    if !force {
        if let Some((table, rows)) = maintenance::first_table_with_rows(url).await? {
            bail!(
                "cơ sở dữ liệu đích {} đã có dữ liệu (bảng «{table}»: {rows} dòng); không khôi \
                 phục đè lên. Dùng --force để thay thế toàn bộ.",
                cchc_store::redact_url(url)
            );
        }
        if let Some(first) = list_files(files_dir)?.first() {
            bail!(
                "thư mục tệp kiểm chứng «{}» đã có tệp (ví dụ «{first}»); không khôi phục đè lên. \
                 Dùng --force để ghi đè.",
                files_dir.display()
            );
        }
    }

    let db_member = &manifest.database.member;
    match kind {
        Kind::Sqlite => {
            let target = maintenance::sqlite_path(url).ok_or_else(|| {
                anyhow!("không khôi phục được vào cơ sở dữ liệu SQLite trong bộ nhớ")
            })?;
            restore_sqlite(&mut zip, db_member, &target).await?;
        }
        Kind::Postgres => {
            let work = tempfile::tempdir().context("không tạo được thư mục tạm")?;
            let dump = work.path().join("database.sql");
            extract(&mut zip, db_member, &dump)?;
            restore_postgres(url, &dump).await?;
        }
    }
    for m in &files {
        let rel = safe_relative(&m.name[FILES_PREFIX.len()..]).ok_or_else(|| {
            anyhow!(
                "tệp sao lưu «{}»: thành phần «{}» có đường dẫn không hợp lệ",
                archive.display(),
                m.name
            )
        })?;
        let dest = files_dir.join(rel);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("không tạo được thư mục «{}»", parent.display()))?;
        }
        extract(&mut zip, &m.name, &dest)?;
    }

    // Open as every command does (migrations), then check the audit chain.
    let store = cchc_store::connect(url).await.with_context(|| {
        format!(
            "đã khôi phục nhưng không mở được cơ sở dữ liệu {}",
            cchc_store::redact_url(url)
        )
    })?;
    match crate::execution::audit_verify(&store).await {
        Ok(n) => {
            eprintln!(
                "Đã khôi phục từ «{}» (tạo lúc {}, cchc {}): cơ sở dữ liệu {}, {} tệp kiểm \
                 chứng vào «{}». Nhật ký nguyên vẹn: {n} mục, chuỗi mã băm khớp.",
                archive.display(),
                manifest.created_at,
                manifest.cchc_version,
                kind.as_str(),
                files.len(),
                files_dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("lỗi: đã khôi phục nhưng nhật ký không nguyên vẹn: {e}");
            Ok(ExitCode::from(2))
        }
    }
}

fn read_manifest<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    archive: &Path,
) -> Result<Manifest> {
    let mut text = String::new();
    zip.by_name(MANIFEST)
        .map_err(|_| anyhow!("tệp sao lưu «{}» không có {MANIFEST}", archive.display()))?
        .read_to_string(&mut text)
        .map_err(|e| {
            anyhow!(
                "tệp sao lưu «{}»: không đọc được {MANIFEST}: {e}",
                archive.display()
            )
        })?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| {
        anyhow!(
            "tệp sao lưu «{}»: {MANIFEST} không hợp lệ: {e}",
            archive.display()
        )
    })?;
    if manifest.format != FORMAT {
        bail!(
            "tệp sao lưu «{}» có định dạng «{}», phiên bản này chỉ đọc «{FORMAT}»",
            archive.display(),
            manifest.format
        );
    }
    if !manifest
        .members
        .iter()
        .any(|m| m.name == manifest.database.member)
    {
        bail!(
            "tệp sao lưu «{}»: {MANIFEST} không liệt kê thành phần cơ sở dữ liệu «{}»",
            archive.display(),
            manifest.database.member
        );
    }
    Ok(manifest)
}

/// Every member against the manifest, before anything is written: each listed member present
/// with its size and SHA-256, and no member the manifest does not list.
fn verify_members<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    manifest: &Manifest,
    archive: &Path,
) -> Result<()> {
    let damaged = |name: &str, what: String| {
        anyhow!(
            "tệp sao lưu «{}» bị hỏng, không khôi phục gì: thành phần «{name}» {what}",
            archive.display()
        )
    };
    let listed: std::collections::HashSet<&str> =
        manifest.members.iter().map(|m| m.name.as_str()).collect();
    let names: Vec<String> = zip
        .file_names()
        .map(|n| n.map(|n| n.into_owned()))
        .collect::<Result<_, _>>()
        .map_err(|e| anyhow!("tệp sao lưu «{}» bị hỏng: {e}", archive.display()))?;
    if let Some(extra) = names
        .iter()
        .find(|n| n.as_str() != MANIFEST && !listed.contains(n.as_str()))
    {
        return Err(damaged(extra, format!("không có trong {MANIFEST}")));
    }
    for m in &manifest.members {
        let mut f = zip
            .by_name(&m.name)
            .map_err(|_| damaged(&m.name, "bị thiếu".into()))?;
        let mut w = Hashing {
            inner: std::io::sink(),
            hash: Sha256::new(),
            size: 0,
        };
        std::io::copy(&mut f, &mut w)
            .map_err(|e| damaged(&m.name, format!("không đọc được ({e})")))?;
        let sha = hex(&w.hash.finalize());
        if w.size != m.size || sha != m.sha256 {
            return Err(damaged(
                &m.name,
                format!(
                    "có {} byte, SHA-256 {sha}; {MANIFEST} ghi {} byte, SHA-256 {}",
                    w.size, m.size, m.sha256
                ),
            ));
        }
    }
    Ok(())
}

/// A member's relative path as a path below the files directory, or `None` when it would
/// leave it (absolute, `..`).
fn safe_relative(rel: &str) -> Option<PathBuf> {
    let p = Path::new(rel);
    let ok = !rel.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)));
    ok.then(|| p.to_path_buf())
}

/// Writes a member to `dest` atomically: a temporary file beside it, flushed to disk, renamed.
fn extract<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
    dest: &Path,
) -> Result<()> {
    let tmp = dest.with_file_name(format!(
        ".{}.restore-{}",
        dest.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        std::process::id()
    ));
    let result = (|| -> Result<()> {
        let mut src = zip.by_name(name)?;
        let mut out = BufWriter::new(File::create(&tmp)?);
        std::io::copy(&mut src, &mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&tmp, dest)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("không ghi được «{}» (thành phần «{name}»)", dest.display()))
}

async fn restore_sqlite<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    member: &str,
    target: &Path,
) -> Result<()> {
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .with_context(|| format!("không tạo được thư mục «{}»", dir.display()))?;
    let side = |suffix: &str| {
        let mut s = target.as_os_str().to_owned();
        s.push(suffix);
        PathBuf::from(s)
    };
    // An existing target's write-ahead log would be replayed onto the restored file: fold it
    // into its own file first (the old database stays whole if we stop here), then remove it.
    if target.exists() {
        maintenance::sqlite_checkpoint(target)
            .await
            .with_context(|| {
                format!(
                    "không đóng được nhật ký ghi (WAL) của «{}»; hãy dừng máy chủ cchc đang \
                     dùng tệp này rồi thử lại",
                    target.display()
                )
            })?;
    }
    for suffix in ["-wal", "-shm"] {
        match std::fs::remove_file(side(suffix)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => bail!("không xóa được «{}»: {e}", side(suffix).display()),
        }
    }
    extract(zip, member, target)?;
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

async fn restore_postgres(url: &str, dump: &Path) -> Result<()> {
    // The target's own tables and views go in the same transaction as the dump's statements:
    // a failure leaves the target as it was.
    let mut drops = String::new();
    for t in maintenance::view_names(url).await? {
        drops.push_str(&format!("DROP VIEW IF EXISTS \"{t}\" CASCADE;\n"));
    }
    for t in maintenance::table_names(url).await? {
        drops.push_str(&format!("DROP TABLE IF EXISTS \"{t}\" CASCADE;\n"));
    }
    drops.push_str("DROP TABLE IF EXISTS \"_sqlx_migrations\" CASCADE;\n");
    let out = pg_command("psql", url, "khôi phục")?
        .args([
            "--no-psqlrc",
            "--quiet",
            "--set=ON_ERROR_STOP=1",
            "--single-transaction",
        ])
        .arg("--command")
        .arg(&drops)
        .arg("--file")
        .arg(dump)
        .stdin(Stdio::null())
        .output()
        .context("không chạy được psql")?;
    if !out.status.success() {
        bail!(
            "psql không khôi phục được vào {} (không thay đổi gì): {}",
            cchc_store::redact_url(url),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_url_for_the_environment() {
        assert_eq!(
            pg_url_and_password("postgres://cchc:s%40cret@db:5432/cchc?sslmode=require"),
            (
                "postgres://cchc@db:5432/cchc?sslmode=require".to_string(),
                Some("s@cret".to_string())
            )
        );
        assert_eq!(
            pg_url_and_password("postgres://postgres@127.0.0.1/test"),
            ("postgres://postgres@127.0.0.1/test".to_string(), None)
        );
    }

    #[test]
    fn member_paths_cannot_leave_the_files_directory() {
        assert!(safe_relative("ab/cd").is_some());
        assert!(safe_relative("../etc/passwd").is_none());
        assert!(safe_relative("/etc/passwd").is_none());
        assert!(safe_relative("a/../../b").is_none());
        assert!(safe_relative("").is_none());
    }
}
