//! The SQL of [`crate::reform_index::ReformIndexRepository`], written once for both backends
//! like `execution/sql.rs`: [`impl_reform_index!`] expands it per store type. The store
//! provides `pool()`, `begin_write()` and `LOCK_AUDIT`.

use cchc_domain::evaluation::{CriteriaSet, Evaluation, SurveyRating};

use crate::{Result, StoreError};

pub(crate) fn set_from(s: &str) -> Result<CriteriaSet> {
    serde_json::from_str(s)
        .map_err(|e| StoreError::Invalid(format!("bộ chỉ số đã lưu không đọc được: {e}")))
}

pub(crate) fn evaluation_from(s: &str) -> Result<Evaluation> {
    serde_json::from_str(s)
        .map_err(|e| StoreError::Invalid(format!("kết quả chấm điểm đã lưu không đọc được: {e}")))
}

pub(crate) fn rating_from(v: Option<i32>) -> Result<Option<SurveyRating>> {
    v.map(|v| {
        u8::try_from(v)
            .map_err(|_| format!("mức đánh giá {v} không hợp lệ"))
            .and_then(SurveyRating::new)
            .map_err(StoreError::Invalid)
    })
    .transpose()
}

macro_rules! impl_reform_index {
    ($store:ty, $db:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use cchc_domain::evaluation::{CriteriaSet, SurveyAnswer};
            use cchc_domain::UnitId;
            use chrono::{Duration, NaiveDate, Utc};
            use sqlx::{Database, Row};

            use $crate::execution::sql::{micros, to_json};
            use $crate::execution::AuditDraft;
            use $crate::reform_index::sql as x;
            use $crate::reform_index::*;
            use $crate::{Result, StoreError};

            // The same chain and lock as execution's writes.
            $crate::execution::sql::audit_append!($store, $db);

            fn evaluation_row(r: &<$db as Database>::Row) -> Result<EvaluationRecord> {
                let state: String = r.try_get("state")?;
                let content: String = r.try_get("content")?;
                Ok(EvaluationRecord {
                    evaluation: x::evaluation_from(&content)?,
                    state: EvaluationState::parse(&state).ok_or_else(|| {
                        StoreError::Invalid(format!("trạng thái chấm điểm «{state}» không hợp lệ"))
                    })?,
                    updated_by: r.try_get("updated_by")?,
                    updated_at: r.try_get("updated_at")?,
                })
            }

            #[async_trait]
            impl ReformIndexRepository for $store {
                async fn criteria_set(&self, year: i32) -> Result<Option<CriteriaSet>> {
                    let doc: Option<String> =
                        sqlx::query_scalar("SELECT document FROM criteria_sets WHERE year = $1")
                            .bind(year)
                            .fetch_optional(self.pool())
                            .await?;
                    doc.as_deref().map(x::set_from).transpose()
                }

                async fn criteria_years(&self) -> Result<Vec<i32>> {
                    Ok(
                        sqlx::query_scalar("SELECT year FROM criteria_sets ORDER BY year DESC")
                            .fetch_all(self.pool())
                            .await?,
                    )
                }

                async fn put_criteria_set(
                    &self,
                    set: &CriteriaSet,
                    by: &str,
                    audit: &AuditDraft,
                ) -> Result<()> {
                    let mut tx = self.begin_write().await?;
                    sqlx::query("DELETE FROM criteria_sets WHERE year = $1")
                        .bind(set.year())
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(
                        "INSERT INTO criteria_sets (year, set_id, document, stored_by, stored_at)
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(set.year())
                    .bind(set.id().as_str())
                    .bind(to_json(set))
                    .bind(by)
                    .bind(micros(Utc::now()))
                    .execute(&mut *tx)
                    .await?;
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn evaluation(
                    &self,
                    year: i32,
                    unit: &str,
                ) -> Result<Option<EvaluationRecord>> {
                    let row = sqlx::query(
                        "SELECT state, content, updated_by, updated_at FROM reform_evaluations
                         WHERE year = $1 AND unit_id = $2",
                    )
                    .bind(year)
                    .bind(unit)
                    .fetch_optional(self.pool())
                    .await?;
                    row.as_ref().map(evaluation_row).transpose()
                }

                async fn evaluations(&self, year: i32) -> Result<Vec<EvaluationRecord>> {
                    let rows = sqlx::query(
                        "SELECT state, content, updated_by, updated_at FROM reform_evaluations
                         WHERE year = $1 ORDER BY unit_id",
                    )
                    .bind(year)
                    .fetch_all(self.pool())
                    .await?;
                    rows.iter().map(evaluation_row).collect()
                }

                async fn put_evaluation(
                    &self,
                    record: &EvaluationRecord,
                    audit: &AuditDraft,
                ) -> Result<()> {
                    let e = &record.evaluation;
                    let mut tx = self.begin_write().await?;
                    sqlx::query("DELETE FROM reform_evaluations WHERE year = $1 AND unit_id = $2")
                        .bind(e.year())
                        .bind(e.unit().as_str())
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(
                        "INSERT INTO reform_evaluations (year, unit_id, set_id, state, content,
                             updated_by, updated_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(e.year())
                    .bind(e.unit().as_str())
                    .bind(e.set_id().as_str())
                    .bind(record.state.as_str())
                    .bind(to_json(e))
                    .bind(&record.updated_by)
                    .bind(micros(record.updated_at))
                    .execute(&mut *tx)
                    .await?;
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn add_survey_answer(
                    &self,
                    a: &NewSurveyAnswer<'_>,
                    audit: &AuditDraft,
                ) -> Result<SurveyOutcome> {
                    let day = a.answer.date.format("%Y-%m-%d").to_string();
                    let mut tx = self.begin_write().await?;
                    let same: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM survey_answers
                         WHERE unit_id = $1 AND device_hash = $2 AND answered_on = $3",
                    )
                    .bind(a.answer.unit.as_str())
                    .bind(a.device_hash)
                    .bind(&day)
                    .fetch_one(&mut *tx)
                    .await?;
                    if same > 0 {
                        return Ok(SurveyOutcome::SameDeviceToday);
                    }
                    let at = micros(a.at);
                    let recent: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM survey_answers WHERE addr_hash = $1 AND at > $2",
                    )
                    .bind(a.addr_hash)
                    .bind(at - Duration::hours(1))
                    .fetch_one(&mut *tx)
                    .await?;
                    if recent >= a.per_address_per_hour {
                        return Ok(SurveyOutcome::AddressLimit);
                    }
                    let r = |k: usize| a.answer.ratings[k].map(|r| i32::from(r.value()));
                    let inserted = sqlx::query(
                        "INSERT INTO survey_answers (unit_id, answered_on, r1, r2, r3, r4, r5,
                             comment, device_hash, addr_hash, at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                    )
                    .bind(a.answer.unit.as_str())
                    .bind(&day)
                    .bind(r(0))
                    .bind(r(1))
                    .bind(r(2))
                    .bind(r(3))
                    .bind(r(4))
                    .bind(a.comment)
                    .bind(a.device_hash)
                    .bind(a.addr_hash)
                    .bind(at)
                    .execute(&mut *tx)
                    .await;
                    match inserted {
                        Err(e) if $crate::is_unique_violation(&e) => {
                            return Ok(SurveyOutcome::SameDeviceToday)
                        }
                        other => other?,
                    };
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(SurveyOutcome::Stored)
                }

                async fn add_paper_answers(
                    &self,
                    answers: &[(SurveyAnswer, String)],
                    entered_by: &str,
                    batch: &str,
                    audit: &AuditDraft,
                ) -> Result<usize> {
                    let mut tx = self.begin_write().await?;
                    let at = micros(chrono::Utc::now());
                    for (k, (a, comment)) in answers.iter().enumerate() {
                        let r = |i: usize| a.ratings[i].map(|r| i32::from(r.value()));
                        sqlx::query(
                            "INSERT INTO survey_answers (unit_id, answered_on, r1, r2, r3, r4, r5,
                                 comment, device_hash, addr_hash, at, entered_by)
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                        )
                        .bind(a.unit.as_str())
                        .bind(a.date.format("%Y-%m-%d").to_string())
                        .bind(r(0))
                        .bind(r(1))
                        .bind(r(2))
                        .bind(r(3))
                        .bind(r(4))
                        .bind(comment)
                        .bind(format!("paper:{batch}:{k}"))
                        .bind("paper")
                        .bind(at)
                        .bind(entered_by)
                        .execute(&mut *tx)
                        .await?;
                    }
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(answers.len())
                }

                async fn survey_answers_by(
                    &self,
                    unit: Option<&str>,
                    from: NaiveDate,
                    to: NaiveDate,
                    paper_only: bool,
                ) -> Result<Vec<(SurveyAnswer, String)>> {
                    let rows = sqlx::query(
                        "SELECT unit_id, answered_on, r1, r2, r3, r4, r5, comment
                         FROM survey_answers
                         WHERE ($1 IS NULL OR unit_id = $1)
                           AND answered_on >= $2 AND answered_on <= $3
                           AND ($4 = 0 OR entered_by IS NOT NULL)
                         ORDER BY answered_on, id",
                    )
                    .bind(unit)
                    .bind(from.format("%Y-%m-%d").to_string())
                    .bind(to.format("%Y-%m-%d").to_string())
                    .bind(i32::from(paper_only))
                    .fetch_all(self.pool())
                    .await?;
                    rows.iter()
                        .map(|r| {
                            let unit: String = r.try_get("unit_id")?;
                            let day: String = r.try_get("answered_on")?;
                            let mut ratings = [None; 5];
                            for (k, slot) in ratings.iter_mut().enumerate() {
                                *slot = x::rating_from(r.try_get(format!("r{}", k + 1).as_str())?)?;
                            }
                            Ok((
                                SurveyAnswer {
                                    unit: UnitId::parse(&unit).map_err(StoreError::Invalid)?,
                                    date: NaiveDate::parse_from_str(&day, "%Y-%m-%d").map_err(
                                        |e| StoreError::Invalid(format!("ngày «{day}»: {e}")),
                                    )?,
                                    ratings,
                                },
                                r.try_get("comment")?,
                            ))
                        })
                        .collect()
                }
            }
        };
    };
}
pub(crate) use impl_reform_index;
