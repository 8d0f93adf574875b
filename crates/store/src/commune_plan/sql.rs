//! The SQL of [`crate::commune_plan::CommunePlanRepository`], written once for both backends
//! like `reform_index/sql.rs`: [`impl_commune_plans!`] expands it per store type.

use cchc_domain::Plan;
use chrono::NaiveDate;

use crate::{Result, StoreError};

pub(crate) fn plan_from(s: &str) -> Result<Plan> {
    serde_json::from_str(s)
        .map_err(|e| StoreError::Invalid(format!("kế hoạch của xã đã lưu không đọc được: {e}")))
}

pub(crate) fn day_from(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| StoreError::Invalid(format!("ngày «{s}»: {e}")))
}

macro_rules! impl_commune_plans {
    ($store:ty, $db:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use cchc_domain::commune_plan::{CommunePlanStatus, ParentPlan};
            use sqlx::{Database, Row};

            use $crate::commune_plan::sql as x;
            use $crate::commune_plan::*;
            use $crate::execution::sql::{micros, to_json};
            use $crate::execution::{AuditDraft, FileRecord};
            use $crate::{Result, StoreError};

            $crate::execution::sql::audit_append!($store, $db);
            $crate::execution::sql::file_insert!($db);

            const COLUMNS: &str = "year, unit_id, parent_plan_id, parent_version, status,
                source, edited, content, issue_number, issued_on, file_id, updated_by,
                updated_at";

            fn record(r: &<$db as Database>::Row) -> Result<CommunePlanRecord> {
                let status: String = r.try_get("status")?;
                let source: String = r.try_get("source")?;
                let content: String = r.try_get("content")?;
                let number: Option<String> = r.try_get("issue_number")?;
                let issued_on: Option<String> = r.try_get("issued_on")?;
                let issue = match (number, issued_on) {
                    (Some(number), Some(day)) => Some(PlanIssue {
                        number,
                        date: x::day_from(&day)?,
                        file_id: r.try_get("file_id")?,
                    }),
                    _ => None,
                };
                Ok(CommunePlanRecord {
                    year: r.try_get("year")?,
                    unit: r.try_get("unit_id")?,
                    parent: ParentPlan {
                        plan_id: r.try_get("parent_plan_id")?,
                        version: r.try_get("parent_version")?,
                    },
                    status: CommunePlanStatus::parse(&status).ok_or_else(|| {
                        StoreError::Invalid(format!("trạng thái kế hoạch «{status}» không hợp lệ"))
                    })?,
                    imported: source == "imported",
                    edited: r.try_get("edited")?,
                    plan: x::plan_from(&content)?,
                    issue,
                    updated_by: r.try_get("updated_by")?,
                    updated_at: r.try_get("updated_at")?,
                })
            }

            #[async_trait]
            impl CommunePlanRepository for $store {
                async fn commune_plan(
                    &self,
                    year: i32,
                    unit: &str,
                ) -> Result<Option<CommunePlanRecord>> {
                    let row = sqlx::query(&format!(
                        "SELECT {COLUMNS} FROM commune_plans WHERE year = $1 AND unit_id = $2"
                    ))
                    .bind(year)
                    .bind(unit)
                    .fetch_optional(self.pool())
                    .await?;
                    row.as_ref().map(record).transpose()
                }

                async fn commune_plans(&self, year: i32) -> Result<Vec<CommunePlanRecord>> {
                    let rows = sqlx::query(&format!(
                        "SELECT {COLUMNS} FROM commune_plans WHERE year = $1 ORDER BY unit_id"
                    ))
                    .bind(year)
                    .fetch_all(self.pool())
                    .await?;
                    rows.iter().map(record).collect()
                }

                async fn put_commune_plans(
                    &self,
                    plans: &[CommunePlanRecord],
                    file: Option<&FileRecord>,
                    audit: &AuditDraft,
                ) -> Result<()> {
                    let mut tx = self.begin_write().await?;
                    for p in plans {
                        let status: Option<String> = sqlx::query_scalar(
                            "SELECT status FROM commune_plans WHERE year = $1 AND unit_id = $2",
                        )
                        .bind(p.year)
                        .bind(&p.unit)
                        .fetch_optional(&mut *tx)
                        .await?;
                        if status.as_deref() == Some(CommunePlanStatus::Issued.as_str()) {
                            return Err(StoreError::Conflict(format!(
                                "kế hoạch năm {} của đơn vị «{}» đã ban hành, không sửa được",
                                p.year, p.unit
                            )));
                        }
                        sqlx::query("DELETE FROM commune_plans WHERE year = $1 AND unit_id = $2")
                            .bind(p.year)
                            .bind(&p.unit)
                            .execute(&mut *tx)
                            .await?;
                        let issue = p.issue.as_ref();
                        sqlx::query(&format!(
                            "INSERT INTO commune_plans ({COLUMNS})
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
                        ))
                        .bind(p.year)
                        .bind(&p.unit)
                        .bind(p.parent.plan_id)
                        .bind(&p.parent.version)
                        .bind(p.status.as_str())
                        .bind(if p.imported { "imported" } else { "derived" })
                        .bind(p.edited)
                        .bind(to_json(&p.plan))
                        .bind(issue.map(|i| i.number.clone()))
                        .bind(issue.map(|i| i.date.format("%Y-%m-%d").to_string()))
                        .bind(issue.and_then(|i| i.file_id.clone()))
                        .bind(&p.updated_by)
                        .bind(micros(p.updated_at))
                        .execute(&mut *tx)
                        .await?;
                    }
                    if let Some(f) = file {
                        insert_file_row(&mut tx, f).await?;
                    }
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(())
                }
            }
        };
    };
}
pub(crate) use impl_commune_plans;
