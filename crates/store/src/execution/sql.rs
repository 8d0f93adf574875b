//! The SQL of [`crate::ExecutionRepository`], written once for both backends like the plan
//! SQL in `plan/sql.rs`: [`impl_execution!`] expands it per store type. The store provides
//! `pool()`, `begin_write()` and `LOCK_AUDIT` (what serializes audit appends where the
//! transaction alone does not).

use cchc_domain::execution::{ReportContent, ReportState, Role};

use crate::execution::{Review, User, UserId};
use crate::{Result, StoreError};

// One argument per column of `USER_COLS`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn user_from_parts(
    id: i64,
    username: String,
    unit: String,
    role: String,
    password_hash: String,
    disabled: bool,
    demo: bool,
    must_change_password: bool,
    email: Option<String>,
) -> Result<User> {
    Ok(User {
        id: UserId(id),
        role: Role::parse(&role)
            .map_err(|e| StoreError::Invalid(format!("tài khoản «{username}»: {e}")))?,
        username,
        unit,
        password_hash,
        disabled,
        demo,
        must_change_password,
        email,
    })
}

pub(crate) fn state_from(s: &str) -> Result<ReportState> {
    ReportState::parse(s)
        .ok_or_else(|| StoreError::Invalid(format!("trạng thái báo cáo «{s}» không hợp lệ")))
}

pub(crate) fn content_from(s: &str) -> Result<ReportContent> {
    serde_json::from_str(s)
        .map_err(|e| StoreError::Invalid(format!("nội dung báo cáo không đọc được: {e}")))
}

/// The statuses of a report's content, the rest skipped unread into values.
pub(crate) fn statuses_from(s: &str) -> Result<Vec<(String, cchc_domain::execution::ItemStatus)>> {
    #[derive(serde::Deserialize)]
    struct Item {
        activity: String,
        #[serde(default)]
        status: cchc_domain::execution::ItemStatus,
    }
    #[derive(serde::Deserialize)]
    struct Content {
        #[serde(default)]
        items: Vec<Item>,
    }
    let c: Content = serde_json::from_str(s)
        .map_err(|e| StoreError::Invalid(format!("nội dung báo cáo không đọc được: {e}")))?;
    Ok(c.items
        .into_iter()
        .map(|i| (i.activity, i.status))
        .collect())
}

pub(crate) fn review_from(s: Option<String>) -> Result<Option<Review>> {
    s.map(|s| {
        serde_json::from_str(&s)
            .map_err(|e| StoreError::Invalid(format!("ý kiến thẩm định không đọc được: {e}")))
    })
    .transpose()
}

pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("report data serializes")
}

/// Micro-second precision: what PostgreSQL keeps, so that a hashed timestamp reads back equal.
pub(crate) fn micros(t: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    use chrono::Timelike;
    t.with_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t)
}

/// Defines `append(conn, draft)`, which appends an audit entry after the last one inside the
/// caller's transaction (taking the store's `LOCK_AUDIT` first): every room whose writes are
/// audited expands it inside its own `impl_…!`, so that the change and its entry commit together.
macro_rules! audit_append {
    ($store:ty, $db:ty) => {
        /// Appends `draft` after the last entry, inside the caller's transaction.
        async fn append(
            conn: &mut <$db as sqlx::Database>::Connection,
            draft: &$crate::execution::AuditDraft,
        ) -> $crate::Result<()> {
            if let Some(lock) = <$store>::LOCK_AUDIT {
                sqlx::query(lock).execute(&mut *conn).await?;
            }
            let last: Option<(i64, String)> =
                sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                    .fetch_optional(&mut *conn)
                    .await?;
            let (seq, prev_hash) = match last {
                Some((s, h)) => (s + 1, h),
                None => (1, cchc_domain::execution::GENESIS_HASH.to_string()),
            };
            let mut e = cchc_domain::execution::AuditEntry {
                seq,
                at: $crate::execution::sql::micros(chrono::Utc::now()),
                actor: draft.actor.clone(),
                action: draft.action.clone(),
                object: draft.object.clone(),
                unit: draft.unit.clone(),
                before: draft.before.clone(),
                after: draft.after.clone(),
                prev_hash,
                hash: String::new(),
            };
            e.hash = e.compute_hash();
            sqlx::query(
                "INSERT INTO audit_log (seq, at, actor, action, object, unit_id, before,
                         after, prev_hash, hash)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(e.seq)
            .bind(e.at)
            .bind(&e.actor)
            .bind(&e.action)
            .bind(&e.object)
            .bind(&e.unit)
            .bind(&e.before)
            .bind(&e.after)
            .bind(&e.prev_hash)
            .bind(&e.hash)
            .execute(&mut *conn)
            .await?;
            Ok(())
        }
    };
}

pub(crate) use audit_append;

/// `insert_file_row`: an evidence file's record written inside the caller's transaction
/// (execution's uploads and a commune plan's signed file).
macro_rules! file_insert {
    ($db:ty) => {
        async fn insert_file_row(
            conn: &mut <$db as sqlx::Database>::Connection,
            f: &$crate::execution::FileRecord,
        ) -> $crate::Result<()> {
            sqlx::query(
                "INSERT INTO evidence_files (id, period, unit_id, name, kind, size,
                     sha256, uploaded_by, uploaded_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(&f.id)
            .bind(&f.period)
            .bind(&f.unit)
            .bind(&f.name)
            .bind(&f.kind)
            .bind(f.size)
            .bind(&f.sha256)
            .bind(&f.uploaded_by)
            .bind(f.uploaded_at)
            .execute(&mut *conn)
            .await?;
            Ok(())
        }
    };
}
pub(crate) use file_insert;

macro_rules! impl_execution {
    ($store:ty, $db:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use cchc_domain::execution::AuditEntry;
            use chrono::{DateTime, Utc};
            use sqlx::{Database, Row};

            use $crate::execution::sql as x;
            use $crate::execution::*;
            use $crate::{Result, StoreError};

            const USER_COLS: &str =
                "id, username, unit_id, role, password_hash, disabled, demo, must_change_password, \
                 email";
            const REPORT_COLS: &str = "period, unit_id, state, version, content, review, \
                 submitted_at, updated_at, updated_by";

            fn user_row(r: &<$db as Database>::Row) -> Result<User> {
                x::user_from_parts(
                    r.try_get("id")?,
                    r.try_get("username")?,
                    r.try_get("unit_id")?,
                    r.try_get("role")?,
                    r.try_get("password_hash")?,
                    r.try_get("disabled")?,
                    r.try_get("demo")?,
                    r.try_get("must_change_password")?,
                    r.try_get("email")?,
                )
            }

            fn audit_row(r: &<$db as Database>::Row) -> Result<AuditEntry> {
                Ok(AuditEntry {
                    seq: r.try_get("seq")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    object: r.try_get("object")?,
                    unit: r.try_get("unit_id")?,
                    before: r.try_get("before")?,
                    after: r.try_get("after")?,
                    prev_hash: r.try_get("prev_hash")?,
                    hash: r.try_get("hash")?,
                })
            }

            fn report_row(r: &<$db as Database>::Row) -> Result<ReportRecord> {
                let state: String = r.try_get("state")?;
                let content: String = r.try_get("content")?;
                Ok(ReportRecord {
                    period: r.try_get("period")?,
                    unit: r.try_get("unit_id")?,
                    state: x::state_from(&state)?,
                    version: r.try_get("version")?,
                    content: x::content_from(&content)?,
                    review: x::review_from(r.try_get("review")?)?,
                    submitted_at: r.try_get("submitted_at")?,
                    updated_at: r.try_get("updated_at")?,
                    updated_by: r.try_get("updated_by")?,
                })
            }

            /// The columns `cols` of the reports of one period or of all, by period and unit.
            async fn report_rows(
                store: &$store,
                cols: &str,
                period: Option<&str>,
            ) -> Result<Vec<<$db as Database>::Row>> {
                Ok(match period {
                    Some(p) => sqlx::query(&format!(
                        "SELECT {cols} FROM reports WHERE period = $1 ORDER BY unit_id"
                    ))
                    .bind(p)
                    .fetch_all(store.pool())
                    .await?,
                    None => sqlx::query(&format!(
                        "SELECT {cols} FROM reports ORDER BY period, unit_id"
                    ))
                    .fetch_all(store.pool())
                    .await?,
                })
            }

            fn period_row(r: &<$db as Database>::Row) -> Result<PeriodRecord> {
                Ok(PeriodRecord {
                    code: r.try_get("code")?,
                    due_at: r.try_get("due_at")?,
                    opened_by: r.try_get("opened_by")?,
                    opened_at: r.try_get("opened_at")?,
                })
            }

            fn file_row(r: &<$db as Database>::Row) -> Result<FileRecord> {
                Ok(FileRecord {
                    id: r.try_get("id")?,
                    period: r.try_get("period")?,
                    unit: r.try_get("unit_id")?,
                    name: r.try_get("name")?,
                    kind: r.try_get("kind")?,
                    size: r.try_get("size")?,
                    sha256: r.try_get("sha256")?,
                    uploaded_by: r.try_get("uploaded_by")?,
                    uploaded_at: r.try_get("uploaded_at")?,
                })
            }

            $crate::execution::sql::audit_append!($store, $db);
            $crate::execution::sql::file_insert!($db);

            /// Runs `sql` (an `UPDATE users … WHERE username = $1 RETURNING id` setting `$2` to
            /// `value`) and ends the account's sessions in the same transaction, so that a new
            /// password or a disabled account signs the user out everywhere at once.
            async fn update_account<'a, V>(
                store: &$store,
                sql: &'a str,
                username: &'a str,
                value: V,
                audit: &AuditDraft,
            ) -> Result<()>
            where
                V: 'a + Send + sqlx::Encode<'a, $db> + sqlx::Type<$db>,
            {
                let mut tx = store.begin_write().await?;
                let id: Option<i64> = sqlx::query_scalar(sql)
                    .bind(username)
                    .bind(value)
                    .fetch_optional(&mut *tx)
                    .await?;
                let id =
                    id.ok_or_else(|| StoreError::NotFound(format!("tài khoản «{username}»")))?;
                sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                append(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            #[async_trait]
            impl ExecutionRepository for $store {
                async fn count_users(&self) -> Result<i64> {
                    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
                        .fetch_one(self.pool())
                        .await?)
                }

                async fn create_user(&self, u: &NewUser<'_>, audit: &AuditDraft) -> Result<User> {
                    let mut tx = self.begin_write().await?;
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO users (username, unit_id, role, password_hash, disabled,
                             demo, created_at, must_change_password, email)
                         VALUES ($1, $2, $3, $4, FALSE, $5, $6, $7, $8) RETURNING id",
                    )
                    .bind(u.username)
                    .bind(u.unit)
                    .bind(u.role.as_str())
                    .bind(u.password_hash)
                    .bind(u.demo)
                    .bind(Utc::now())
                    .bind(u.must_change_password)
                    .bind(u.email)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| match $crate::is_unique_violation(&e) {
                        true => StoreError::Conflict(format!(
                            "tên đăng nhập «{}» đã có người dùng",
                            u.username
                        )),
                        false => e.into(),
                    })?;
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(User {
                        id: UserId(id),
                        username: u.username.to_string(),
                        unit: u.unit.to_string(),
                        role: u.role,
                        password_hash: u.password_hash.to_string(),
                        disabled: false,
                        demo: u.demo,
                        must_change_password: u.must_change_password,
                        email: u.email.map(str::to_string),
                    })
                }

                async fn find_user(&self, username: &str) -> Result<Option<User>> {
                    let row = sqlx::query(&format!(
                        "SELECT {USER_COLS} FROM users WHERE username = $1"
                    ))
                    .bind(username)
                    .fetch_optional(self.pool())
                    .await?;
                    row.as_ref().map(user_row).transpose()
                }

                async fn list_users(&self) -> Result<Vec<User>> {
                    let rows = sqlx::query(&format!("SELECT {USER_COLS} FROM users ORDER BY id"))
                        .fetch_all(self.pool())
                        .await?;
                    rows.iter().map(user_row).collect()
                }

                async fn set_password(
                    &self,
                    username: &str,
                    hash: &str,
                    must_change: bool,
                    audit: &AuditDraft,
                ) -> Result<()> {
                    let sql = if must_change {
                        "UPDATE users SET password_hash = $2, must_change_password = TRUE
                         WHERE username = $1 RETURNING id"
                    } else {
                        "UPDATE users SET password_hash = $2, must_change_password = FALSE
                         WHERE username = $1 RETURNING id"
                    };
                    update_account(self, sql, username, hash, audit).await
                }

                async fn set_email(
                    &self,
                    username: &str,
                    email: Option<&str>,
                    audit: &AuditDraft,
                ) -> Result<()> {
                    let mut tx = self.begin_write().await?;
                    let done = sqlx::query("UPDATE users SET email = $2 WHERE username = $1")
                        .bind(username)
                        .bind(email)
                        .execute(&mut *tx)
                        .await?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound(format!("tài khoản «{username}»")));
                    }
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn set_disabled(
                    &self,
                    username: &str,
                    disabled: bool,
                    audit: &AuditDraft,
                ) -> Result<()> {
                    update_account(
                        self,
                        "UPDATE users SET disabled = $2 WHERE username = $1 RETURNING id",
                        username,
                        disabled,
                        audit,
                    )
                    .await
                }

                async fn create_session(
                    &self,
                    token_hash: &str,
                    user: UserId,
                    csrf_token: &str,
                    now: DateTime<Utc>,
                ) -> Result<()> {
                    let mut tx = self.begin_write().await?;
                    sqlx::query(
                        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at,
                             last_seen_at)
                         VALUES ($1, $2, $3, $4, $4)",
                    )
                    .bind(token_hash)
                    .bind(user.0)
                    .bind(csrf_token)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn get_session(&self, token_hash: &str) -> Result<Option<SessionRecord>> {
                    let row = sqlx::query(
                        "SELECT u.id, u.username, u.unit_id, u.role, u.password_hash,
                             u.disabled, u.demo, u.must_change_password, u.email, s.csrf_token,
                             s.created_at, s.last_seen_at
                         FROM sessions s JOIN users u ON u.id = s.user_id
                         WHERE s.token_hash = $1",
                    )
                    .bind(token_hash)
                    .fetch_optional(self.pool())
                    .await?;
                    row.map(|r| {
                        Ok(SessionRecord {
                            user: user_row(&r)?,
                            csrf_token: r.try_get("csrf_token")?,
                            created_at: r.try_get("created_at")?,
                            last_seen_at: r.try_get("last_seen_at")?,
                        })
                    })
                    .transpose()
                }

                async fn touch_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<()> {
                    let mut tx = self.begin_write().await?;
                    sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
                        .bind(token_hash)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn delete_session(&self, token_hash: &str) -> Result<()> {
                    let mut tx = self.begin_write().await?;
                    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                        .bind(token_hash)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn list_sessions(&self, user: UserId) -> Result<Vec<SessionInfo>> {
                    let rows = sqlx::query(
                        "SELECT token_hash, created_at, last_seen_at FROM sessions
                         WHERE user_id = $1 ORDER BY last_seen_at DESC, created_at DESC",
                    )
                    .bind(user.0)
                    .fetch_all(self.pool())
                    .await?;
                    rows.iter()
                        .map(|r| {
                            Ok(SessionInfo {
                                token_hash: r.try_get("token_hash")?,
                                created_at: r.try_get("created_at")?,
                                last_seen_at: r.try_get("last_seen_at")?,
                            })
                        })
                        .collect()
                }

                async fn end_sessions(
                    &self,
                    user: UserId,
                    token_hashes: &[String],
                    audit: &AuditDraft,
                ) -> Result<u64> {
                    let mut tx = self.begin_write().await?;
                    let mut ended = 0;
                    for h in token_hashes {
                        ended += sqlx::query(
                            "DELETE FROM sessions WHERE user_id = $1 AND token_hash = $2",
                        )
                        .bind(user.0)
                        .bind(h)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    }
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(ended)
                }

                async fn record_login_failure(
                    &self,
                    keys: &[String],
                    at: DateTime<Utc>,
                ) -> Result<()> {
                    let mut tx = self.begin_write().await?;
                    for k in keys {
                        sqlx::query("INSERT INTO login_failures (key, at) VALUES ($1, $2)")
                            .bind(k)
                            .bind(at)
                            .execute(&mut *tx)
                            .await?;
                    }
                    tx.commit().await?;
                    Ok(())
                }

                async fn count_login_failures(
                    &self,
                    key: &str,
                    since: DateTime<Utc>,
                ) -> Result<i64> {
                    // Compared in Rust: SQLite stores the times as text.
                    let times: Vec<DateTime<Utc>> =
                        sqlx::query_scalar("SELECT at FROM login_failures WHERE key = $1")
                            .bind(key)
                            .fetch_all(self.pool())
                            .await?;
                    Ok(times.iter().filter(|t| **t >= since).count() as i64)
                }

                async fn clear_login_failures(&self, key: &str) -> Result<()> {
                    let mut tx = self.begin_write().await?;
                    sqlx::query("DELETE FROM login_failures WHERE key = $1")
                        .bind(key)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn open_period(&self, p: &PeriodRecord, audit: &AuditDraft) -> Result<()> {
                    let mut tx = self.begin_write().await?;
                    sqlx::query(
                        "INSERT INTO periods (code, due_at, opened_by, opened_at)
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(&p.code)
                    .bind(p.due_at)
                    .bind(&p.opened_by)
                    .bind(p.opened_at)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| match $crate::is_unique_violation(&e) {
                        true => StoreError::Conflict(format!("kỳ báo cáo {} đã được mở", p.code)),
                        false => e.into(),
                    })?;
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn list_periods(&self) -> Result<Vec<PeriodRecord>> {
                    let rows = sqlx::query(
                        "SELECT code, due_at, opened_by, opened_at FROM periods ORDER BY due_at, code",
                    )
                    .fetch_all(self.pool())
                    .await?;
                    rows.iter().map(period_row).collect()
                }

                async fn get_period(&self, code: &str) -> Result<Option<PeriodRecord>> {
                    let row = sqlx::query(
                        "SELECT code, due_at, opened_by, opened_at FROM periods WHERE code = $1",
                    )
                    .bind(code)
                    .fetch_optional(self.pool())
                    .await?;
                    row.as_ref().map(period_row).transpose()
                }

                async fn get_report(&self, period: &str, unit: &str) -> Result<Option<ReportRecord>> {
                    let row = sqlx::query(&format!(
                        "SELECT {REPORT_COLS} FROM reports WHERE period = $1 AND unit_id = $2"
                    ))
                    .bind(period)
                    .bind(unit)
                    .fetch_optional(self.pool())
                    .await?;
                    row.as_ref().map(report_row).transpose()
                }

                async fn list_reports(&self, period: Option<&str>) -> Result<Vec<ReportRecord>> {
                    report_rows(self, REPORT_COLS, period).await?.iter().map(report_row).collect()
                }

                async fn list_report_heads(&self, period: Option<&str>) -> Result<Vec<ReportHead>> {
                    let cols = "period, unit_id, state, version, content, submitted_at, updated_at";
                    report_rows(self, cols, period)
                        .await?
                        .iter()
                        .map(|r| {
                            let state: String = r.try_get("state")?;
                            let content: String = r.try_get("content")?;
                            Ok(ReportHead {
                                period: r.try_get("period")?,
                                unit: r.try_get("unit_id")?,
                                state: x::state_from(&state)?,
                                version: r.try_get("version")?,
                                submitted_at: r.try_get("submitted_at")?,
                                updated_at: r.try_get("updated_at")?,
                                items: x::statuses_from(&content)?,
                            })
                        })
                        .collect()
                }

                async fn put_report(&self, w: &ReportWrite<'_>, audit: &AuditDraft) -> Result<()> {
                    let r = w.report;
                    let content = x::to_json(&r.content);
                    let review = r.review.as_ref().map(x::to_json);
                    let conflict = || {
                        StoreError::Conflict(format!(
                            "báo cáo kỳ {} của đơn vị {} vừa được người khác lưu; hãy tải lại \
                             trang để xem bản mới nhất rồi nhập lại thay đổi của mình",
                            r.period, r.unit
                        ))
                    };
                    let mut tx = self.begin_write().await?;
                    if w.expected_version == 0 {
                        sqlx::query(&format!(
                            "INSERT INTO reports ({REPORT_COLS})
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                        ))
                        .bind(&r.period)
                        .bind(&r.unit)
                        .bind(r.state.as_str())
                        .bind(r.version)
                        .bind(&content)
                        .bind(&review)
                        .bind(r.submitted_at)
                        .bind(r.updated_at)
                        .bind(&r.updated_by)
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| match $crate::is_unique_violation(&e) {
                            true => conflict(),
                            false => e.into(),
                        })?;
                    } else {
                        let done = sqlx::query(
                            "UPDATE reports SET state = $3, version = $4, content = $5,
                                 review = $6, submitted_at = $7, updated_at = $8, updated_by = $9
                             WHERE period = $1 AND unit_id = $2 AND version = $10",
                        )
                        .bind(&r.period)
                        .bind(&r.unit)
                        .bind(r.state.as_str())
                        .bind(r.version)
                        .bind(&content)
                        .bind(&review)
                        .bind(r.submitted_at)
                        .bind(r.updated_at)
                        .bind(&r.updated_by)
                        .bind(w.expected_version)
                        .execute(&mut *tx)
                        .await?;
                        if done.rows_affected() == 0 {
                            return Err(conflict());
                        }
                    }
                    if w.keep_version {
                        sqlx::query(
                            "INSERT INTO report_versions (period, unit_id, version, state,
                                 content, review, saved_at, saved_by)
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                        )
                        .bind(&r.period)
                        .bind(&r.unit)
                        .bind(r.version)
                        .bind(r.state.as_str())
                        .bind(&content)
                        .bind(&review)
                        .bind(r.updated_at)
                        .bind(&r.updated_by)
                        .execute(&mut *tx)
                        .await?;
                    }
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn list_report_versions(
                    &self,
                    period: &str,
                    unit: &str,
                ) -> Result<Vec<ReportVersion>> {
                    let rows = sqlx::query(
                        "SELECT version, state, content, review, saved_at, saved_by
                         FROM report_versions WHERE period = $1 AND unit_id = $2
                         ORDER BY version",
                    )
                    .bind(period)
                    .bind(unit)
                    .fetch_all(self.pool())
                    .await?;
                    rows.iter()
                        .map(|r| {
                            let state: String = r.try_get("state")?;
                            let content: String = r.try_get("content")?;
                            Ok(ReportVersion {
                                version: r.try_get("version")?,
                                state: x::state_from(&state)?,
                                content: x::content_from(&content)?,
                                review: x::review_from(r.try_get("review")?)?,
                                saved_at: r.try_get("saved_at")?,
                                saved_by: r.try_get("saved_by")?,
                            })
                        })
                        .collect()
                }

                async fn insert_file(&self, f: &FileRecord, audit: &AuditDraft) -> Result<()> {
                    let mut tx = self.begin_write().await?;
                    insert_file_row(&mut tx, f).await?;
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn get_file(&self, id: &str) -> Result<Option<FileRecord>> {
                    let row = sqlx::query(
                        "SELECT id, period, unit_id, name, kind, size, sha256, uploaded_by,
                             uploaded_at
                         FROM evidence_files WHERE id = $1",
                    )
                    .bind(id)
                    .fetch_optional(self.pool())
                    .await?;
                    row.as_ref().map(file_row).transpose()
                }

                async fn list_files(&self, owner: &str, unit: &str) -> Result<Vec<FileRecord>> {
                    let rows = sqlx::query(
                        "SELECT id, period, unit_id, name, kind, size, sha256, uploaded_by,
                             uploaded_at
                         FROM evidence_files WHERE period = $1 AND unit_id = $2
                         ORDER BY uploaded_at, id",
                    )
                    .bind(owner)
                    .bind(unit)
                    .fetch_all(self.pool())
                    .await?;
                    rows.iter().map(file_row).collect()
                }

                async fn get_setting(&self, key: &str) -> Result<Option<String>> {
                    Ok(sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
                        .bind(key)
                        .fetch_optional(self.pool())
                        .await?)
                }

                async fn set_setting(&self, key: &str, value: &str, audit: &AuditDraft) -> Result<()> {
                    let mut tx = self.begin_write().await?;
                    sqlx::query(
                        "INSERT INTO settings (key, value) VALUES ($1, $2)
                         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    )
                    .bind(key)
                    .bind(value)
                    .execute(&mut *tx)
                    .await?;
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn append_audit(&self, audit: &AuditDraft) -> Result<()> {
                    let mut tx = self.begin_write().await?;
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn list_audit(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
                    let sql = "SELECT seq, at, actor, action, object, unit_id, before, after,
                                   prev_hash, hash
                               FROM audit_log";
                    let rows = match &filter.unit {
                        Some(u) => sqlx::query(&format!("{sql} WHERE unit_id = $1 ORDER BY seq"))
                            .bind(u)
                            .fetch_all(self.pool())
                            .await?,
                        None => sqlx::query(&format!("{sql} ORDER BY seq"))
                            .fetch_all(self.pool())
                            .await?,
                    };
                    let mut out = Vec::with_capacity(rows.len());
                    for r in &rows {
                        let e = audit_row(r)?;
                        if filter.from.is_some_and(|f| e.at < f)
                            || filter.to.is_some_and(|t| e.at > t)
                        {
                            continue;
                        }
                        out.push(e);
                    }
                    Ok(out)
                }

                async fn audit_page(
                    &self,
                    filter: &AuditFilter,
                    offset: i64,
                    limit: i64,
                ) -> Result<AuditPage> {
                    // The filter's conditions, numbered in the order they are bound. On SQLite
                    // `at` is RFC 3339 text in UTC written by the same encoder as the bound
                    // value, so text order is time order.
                    let mut conds = Vec::new();
                    if filter.unit.is_some() {
                        conds.push(format!("unit_id = ${}", conds.len() + 1));
                    }
                    if filter.from.is_some() {
                        conds.push(format!("at >= ${}", conds.len() + 1));
                    }
                    if filter.to.is_some() {
                        conds.push(format!("at <= ${}", conds.len() + 1));
                    }
                    let n = conds.len();
                    let cond = if conds.is_empty() {
                        String::new()
                    } else {
                        format!(" WHERE {}", conds.join(" AND "))
                    };
                    let count_sql = format!("SELECT COUNT(*) FROM audit_log{cond}");
                    let page_sql = format!(
                        "SELECT seq, at, actor, action, object, unit_id, before, after,
                             prev_hash, hash
                         FROM audit_log{cond} ORDER BY seq DESC LIMIT ${} OFFSET ${}",
                        n + 1,
                        n + 2
                    );
                    let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
                    let mut page = sqlx::query(&page_sql);
                    if let Some(u) = &filter.unit {
                        count = count.bind(u);
                        page = page.bind(u);
                    }
                    if let Some(f) = filter.from {
                        count = count.bind(f);
                        page = page.bind(f);
                    }
                    if let Some(t) = filter.to {
                        count = count.bind(t);
                        page = page.bind(t);
                    }
                    let total = count.fetch_one(self.pool()).await?;
                    let rows = page
                        .bind(limit.max(0))
                        .bind(offset.max(0))
                        .fetch_all(self.pool())
                        .await?;
                    Ok(AuditPage {
                        entries: rows.iter().map(audit_row).collect::<Result<_>>()?,
                        total,
                    })
                }
            }
        };
    };
}

pub(crate) use impl_execution;
