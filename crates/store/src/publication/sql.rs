//! The SQL of [`crate::publication::PublicationRepository`], written once for both backends
//! like `reform_index/sql.rs`: [`impl_publication!`] expands it per store type. The store
//! provides `pool()`, `begin_write()` and `LOCK_AUDIT`.

macro_rules! impl_publication {
    ($store:ty, $db:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use chrono::{DateTime, Utc};
            use sqlx::{Database, Row};

            use $crate::execution::sql::micros;
            use $crate::execution::AuditDraft;
            use $crate::publication::*;
            use $crate::{Result, StoreError};

            $crate::execution::sql::audit_append!($store, $db);

            fn publication_row(r: &<$db as Database>::Row) -> Result<Publication> {
                let kind: String = r.try_get("kind")?;
                Ok(Publication {
                    kind: PublicationKind::parse(&kind).ok_or_else(|| {
                        StoreError::Invalid(format!("loại công bố «{kind}» không hợp lệ"))
                    })?,
                    subject: r.try_get("subject")?,
                    published_by: r.try_get("published_by")?,
                    published_at: r.try_get("published_at")?,
                })
            }

            #[async_trait]
            impl PublicationRepository for $store {
                async fn publications(&self) -> Result<Vec<Publication>> {
                    let rows = sqlx::query(
                        "SELECT kind, subject, published_by, published_at FROM publications
                         ORDER BY published_at DESC, kind, subject",
                    )
                    .fetch_all(self.pool())
                    .await?;
                    rows.iter().map(publication_row).collect()
                }

                async fn publication(
                    &self,
                    kind: PublicationKind,
                    subject: &str,
                ) -> Result<Option<Publication>> {
                    let row = sqlx::query(
                        "SELECT kind, subject, published_by, published_at FROM publications
                         WHERE kind = $1 AND subject = $2",
                    )
                    .bind(kind.as_str())
                    .bind(subject)
                    .fetch_optional(self.pool())
                    .await?;
                    row.as_ref().map(publication_row).transpose()
                }

                async fn set_publication(
                    &self,
                    kind: PublicationKind,
                    subject: &str,
                    published: Option<(&str, DateTime<Utc>)>,
                    audit: &AuditDraft,
                ) -> Result<bool> {
                    let mut tx = self.begin_write().await?;
                    let removed =
                        sqlx::query("DELETE FROM publications WHERE kind = $1 AND subject = $2")
                            .bind(kind.as_str())
                            .bind(subject)
                            .execute(&mut *tx)
                            .await?
                            .rows_affected();
                    if let Some((by, at)) = published {
                        sqlx::query(
                            "INSERT INTO publications (kind, subject, published_by, published_at)
                             VALUES ($1, $2, $3, $4)",
                        )
                        .bind(kind.as_str())
                        .bind(subject)
                        .bind(by)
                        .bind(micros(at))
                        .execute(&mut *tx)
                        .await?;
                    } else if removed == 0 {
                        return Ok(false);
                    }
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(true)
                }
            }
        };
    };
}
pub(crate) use impl_publication;
