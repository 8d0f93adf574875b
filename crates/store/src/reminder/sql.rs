//! The SQL of [`crate::reminder::ReminderRepository`], written once for both backends:
//! [`impl_reminders!`] expands it per store type, with the row-lock clause of the claim
//! (`FOR UPDATE SKIP LOCKED` on PostgreSQL; nothing on SQLite, whose write transaction is the
//! only writer).

macro_rules! impl_reminders {
    ($store:ty, $db:ty, $skip_locked:expr) => {
        const _: () = {
            use async_trait::async_trait;
            use chrono::{DateTime, Utc};
            use sqlx::{Database, Row};

            use $crate::execution::sql::micros;
            use $crate::execution::AuditDraft;
            use $crate::reminder::*;
            use $crate::Result;

            $crate::execution::sql::audit_append!($store, $db);

            const JOB_COLS: &str = "id, period, unit_id, kind, step, recipient, email, subject, \
                 body, link, state, attempts, next_at, created_at, sent_at, last_error";

            fn job_row(r: &<$db as Database>::Row) -> Result<ReminderJob> {
                Ok(ReminderJob {
                    id: r.try_get("id")?,
                    period: r.try_get("period")?,
                    unit: r.try_get("unit_id")?,
                    kind: r.try_get("kind")?,
                    step: r.try_get("step")?,
                    recipient: r.try_get("recipient")?,
                    email: r.try_get("email")?,
                    subject: r.try_get("subject")?,
                    body: r.try_get("body")?,
                    link: r.try_get("link")?,
                    state: r.try_get("state")?,
                    attempts: r.try_get("attempts")?,
                    next_at: r.try_get("next_at")?,
                    created_at: r.try_get("created_at")?,
                    sent_at: r.try_get("sent_at")?,
                    last_error: r.try_get("last_error")?,
                })
            }

            #[async_trait]
            impl ReminderRepository for $store {
                async fn enqueue_reminders(
                    &self,
                    jobs: &[NewReminder],
                    now: DateTime<Utc>,
                ) -> Result<u64> {
                    let now = micros(now);
                    let mut tx = self.begin_write().await?;
                    let mut added = 0;
                    for j in jobs {
                        added += sqlx::query(
                            "INSERT INTO reminder_jobs (period, unit_id, kind, step, recipient,
                                 email, subject, body, link, state, attempts, next_at, created_at,
                                 last_error)
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', 0, $10, $10, '')
                             ON CONFLICT (period, unit_id, kind, step, recipient) DO NOTHING",
                        )
                        .bind(&j.period)
                        .bind(&j.unit)
                        .bind(&j.kind)
                        .bind(j.step)
                        .bind(&j.recipient)
                        .bind(&j.email)
                        .bind(&j.subject)
                        .bind(&j.body)
                        .bind(&j.link)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    }
                    tx.commit().await?;
                    Ok(added)
                }

                async fn claim_reminders(
                    &self,
                    now: DateTime<Utc>,
                    limit: i64,
                ) -> Result<Vec<ReminderJob>> {
                    let mut tx = self.begin_write().await?;
                    let rows = sqlx::query(&format!(
                        "UPDATE reminder_jobs SET state = 'sending', attempts = attempts + 1
                         WHERE id IN (SELECT id FROM reminder_jobs
                             WHERE state = 'pending' AND next_at <= $1
                             ORDER BY id LIMIT $2{})
                         RETURNING {JOB_COLS}",
                        $skip_locked
                    ))
                    .bind(micros(now))
                    .bind(limit)
                    .fetch_all(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    let mut jobs = rows.iter().map(job_row).collect::<Result<Vec<_>>>()?;
                    jobs.sort_by_key(|j| j.id);
                    Ok(jobs)
                }

                async fn finish_reminder(
                    &self,
                    id: i64,
                    outcome: &Outcome,
                    now: DateTime<Utc>,
                    audit: &AuditDraft,
                ) -> Result<()> {
                    let now = micros(now);
                    let mut tx = self.begin_write().await?;
                    let (state, error, next_at, notice) = match outcome {
                        Outcome::Sent => (state::SENT, "", None, true),
                        Outcome::Failed { error, retry_at: Some(t) } => {
                            (state::PENDING, error.as_str(), Some(micros(*t)), false)
                        }
                        Outcome::Failed { error, retry_at: None } => {
                            (state::FAILED, error.as_str(), None, true)
                        }
                    };
                    let done = sqlx::query(
                        "UPDATE reminder_jobs SET state = $2, last_error = $3,
                             next_at = COALESCE($4, next_at),
                             sent_at = CASE WHEN $2 = 'sent' THEN $5 ELSE sent_at END
                         WHERE id = $1 AND state = 'sending'",
                    )
                    .bind(id)
                    .bind(state)
                    .bind(error)
                    .bind(next_at)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    if done.rows_affected() == 0 {
                        return Err($crate::StoreError::Conflict(format!(
                            "nhắc việc số {id} không ở trạng thái đang gửi"
                        )));
                    }
                    if notice {
                        sqlx::query(
                            "INSERT INTO notices (username, job_id, subject, body, link, created_at)
                             SELECT recipient, id, subject, body, link, $2 FROM reminder_jobs
                             WHERE id = $1
                             ON CONFLICT (job_id) DO NOTHING",
                        )
                        .bind(id)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    }
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn list_reminders(&self, limit: i64) -> Result<Vec<ReminderJob>> {
                    let rows = sqlx::query(&format!(
                        "SELECT {JOB_COLS} FROM reminder_jobs ORDER BY id DESC LIMIT $1"
                    ))
                    .bind(limit)
                    .fetch_all(self.pool())
                    .await?;
                    rows.iter().map(job_row).collect()
                }

                async fn list_notices(&self, username: &str, limit: i64) -> Result<Vec<Notice>> {
                    let rows = sqlx::query(
                        "SELECT id, username, subject, body, link, created_at, read_at
                         FROM notices WHERE username = $1 ORDER BY id DESC LIMIT $2",
                    )
                    .bind(username)
                    .bind(limit)
                    .fetch_all(self.pool())
                    .await?;
                    rows.iter()
                        .map(|r| {
                            Ok(Notice {
                                id: r.try_get("id")?,
                                username: r.try_get("username")?,
                                subject: r.try_get("subject")?,
                                body: r.try_get("body")?,
                                link: r.try_get("link")?,
                                created_at: r.try_get("created_at")?,
                                read_at: r.try_get("read_at")?,
                            })
                        })
                        .collect()
                }

                async fn count_unread_notices(&self, username: &str) -> Result<i64> {
                    Ok(sqlx::query_scalar(
                        "SELECT COUNT(*) FROM notices WHERE username = $1 AND read_at IS NULL",
                    )
                    .bind(username)
                    .fetch_one(self.pool())
                    .await?)
                }

                async fn mark_notices_read(
                    &self,
                    username: &str,
                    now: DateTime<Utc>,
                    audit: &AuditDraft,
                ) -> Result<u64> {
                    let mut tx = self.begin_write().await?;
                    let n = sqlx::query(
                        "UPDATE notices SET read_at = $2 WHERE username = $1 AND read_at IS NULL",
                    )
                    .bind(username)
                    .bind(micros(now))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if n > 0 {
                        append(&mut tx, audit).await?;
                    }
                    tx.commit().await?;
                    Ok(n)
                }
            }
        };
    };
}

pub(crate) use impl_reminders;
