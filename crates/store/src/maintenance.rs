//! Maintenance of a database as a whole, outside the repository (bảo trì): the schema version,
//! whether a database holds data, and a consistent copy of an SQLite file. Used by
//! `cchc backup` and `cchc restore`; they open the database by URL without migrating it.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, Row};

use crate::{Result, StoreError};

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

impl Kind {
    /// The kind of `url`, or a Vietnamese refusal naming the accepted schemes.
    pub fn of(url: &str) -> Result<Kind> {
        match url.split_once(':').map(|(scheme, _)| scheme) {
            Some("sqlite") => Ok(Kind::Sqlite),
            Some("postgres" | "postgresql") => Ok(Kind::Postgres),
            _ => Err(StoreError::Invalid(
                "địa chỉ cơ sở dữ liệu phải bắt đầu bằng «sqlite://» hoặc «postgres://»".into(),
            )),
        }
    }

    /// "sqlite" or "postgres", as [`crate::Repository::backend`] says.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Sqlite => "sqlite",
            Kind::Postgres => "postgres",
        }
    }

    /// The latest schema version (migration) this build knows for the kind.
    pub fn latest_migration(self) -> i64 {
        let migrator = match self {
            Kind::Sqlite => sqlx::migrate!("./migrations/sqlite"),
            Kind::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        migrator.iter().map(|m| m.version).max().unwrap_or(0)
    }
}

/// The file of an `sqlite://PATH` URL (`None` for an in-memory database).
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    if url.contains(":memory:") || url.contains("mode=memory") {
        return None;
    }
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or(rest))
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
}

async fn sqlite_conn(path: &Path) -> Result<sqlx::SqliteConnection> {
    Ok(SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .busy_timeout(std::time::Duration::from_secs(10))
        .connect()
        .await?)
}

async fn pg_conn(url: &str) -> Result<sqlx::PgConnection> {
    let options = PgConnectOptions::from_str(url).map_err(|e| {
        StoreError::Invalid(format!(
            "địa chỉ cơ sở dữ liệu PostgreSQL không hợp lệ: {e}"
        ))
    })?;
    Ok(options.connect().await?)
}

/// Writes a consistent copy of the SQLite file at `source` to `dest` (which must not exist)
/// with `VACUUM INTO`: one read transaction, so a server may keep writing meanwhile.
pub async fn sqlite_snapshot(source: &Path, dest: &Path) -> Result<()> {
    if !source.is_file() {
        return Err(StoreError::NotFound(format!(
            "tệp cơ sở dữ liệu SQLite «{}»",
            source.display()
        )));
    }
    let mut conn = sqlite_conn(source).await?;
    let dest = dest.to_str().ok_or_else(|| {
        StoreError::Invalid(format!("đường dẫn «{}» không phải UTF-8", dest.display()))
    })?;
    sqlx::query("VACUUM INTO ?1")
        .bind(dest)
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    Ok(())
}

/// The latest migration applied to the database at `url` (`None`: no schema yet, or no
/// database file).
pub async fn schema_version(url: &str) -> Result<Option<i64>> {
    const SQL: &str = "SELECT MAX(version) FROM _sqlx_migrations";
    match Kind::of(url)? {
        Kind::Sqlite => {
            let Some(path) = sqlite_path(url).filter(|p| p.is_file()) else {
                return Ok(None);
            };
            let mut conn = sqlite_conn(&path).await?;
            Ok(sqlx::query_scalar::<_, Option<i64>>(SQL)
                .fetch_one(&mut conn)
                .await
                .ok()
                .flatten())
        }
        Kind::Postgres => {
            let mut conn = pg_conn(url).await?;
            Ok(sqlx::query_scalar::<_, Option<i64>>(SQL)
                .fetch_one(&mut conn)
                .await
                .ok()
                .flatten())
        }
    }
}

/// The first table of the database at `url` that holds rows, with its row count; `None` when
/// the database is absent or holds no data (a new, migrated schema holds none). The
/// migrations' own table does not count.
pub async fn first_table_with_rows(url: &str) -> Result<Option<(String, i64)>> {
    let tables = table_names(url).await?;
    match Kind::of(url)? {
        Kind::Sqlite => {
            let Some(path) = sqlite_path(url).filter(|p| p.is_file()) else {
                return Ok(None);
            };
            let mut conn = sqlite_conn(&path).await?;
            for t in tables {
                let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM \"{t}\""))
                    .fetch_one(&mut conn)
                    .await?;
                if n > 0 {
                    return Ok(Some((t, n)));
                }
            }
        }
        Kind::Postgres => {
            let mut conn = pg_conn(url).await?;
            for t in tables {
                let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM \"{t}\""))
                    .fetch_one(&mut conn)
                    .await?;
                if n > 0 {
                    return Ok(Some((t, n)));
                }
            }
        }
    }
    Ok(None)
}

/// The user tables of the database at `url`, by name (not views, not the migrations' table).
pub async fn table_names(url: &str) -> Result<Vec<String>> {
    match Kind::of(url)? {
        Kind::Sqlite => {
            let Some(path) = sqlite_path(url).filter(|p| p.is_file()) else {
                return Ok(Vec::new());
            };
            let mut conn = sqlite_conn(&path).await?;
            let rows = sqlx::query(
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
            )
            .fetch_all(&mut conn)
            .await?;
            Ok(rows.iter().map(|r| r.get::<String, _>(0)).collect())
        }
        Kind::Postgres => {
            let mut conn = pg_conn(url).await?;
            let rows = sqlx::query(
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
                 AND table_name <> '_sqlx_migrations' ORDER BY table_name",
            )
            .fetch_all(&mut conn)
            .await?;
            Ok(rows.iter().map(|r| r.get::<String, _>(0)).collect())
        }
    }
}

/// The views of the PostgreSQL database at `url`, by name.
pub async fn view_names(url: &str) -> Result<Vec<String>> {
    let mut conn = pg_conn(url).await?;
    let rows = sqlx::query(
        "SELECT table_name::text FROM information_schema.views \
         WHERE table_schema = current_schema() ORDER BY table_name",
    )
    .fetch_all(&mut conn)
    .await?;
    Ok(rows.iter().map(|r| r.get::<String, _>(0)).collect())
}

/// Folds the write-ahead log of the SQLite file at `path` into the file and empties it; fails
/// when another connection (a running server) keeps it from finishing.
pub async fn sqlite_checkpoint(path: &Path) -> Result<()> {
    let mut conn = sqlite_conn(path).await?;
    let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
        .fetch_one(&mut conn)
        .await?;
    conn.close().await?;
    if busy != 0 {
        return Err(StoreError::Native(format!(
            "tệp «{}» đang được một kết nối khác dùng",
            path.display()
        )));
    }
    Ok(())
}
