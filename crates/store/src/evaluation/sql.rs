//! The SQL of [`crate::evaluation::EvaluationRepository`], written once for both backends like
//! `execution/sql.rs`: [`impl_evaluation!`] expands it per store type. Dates bind as
//! `NaiveDate` (SQLite keeps `YYYY-MM-DD` text, PostgreSQL a `DATE`).

macro_rules! impl_evaluation {
    ($store:ty, $db:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use sqlx::{Database, Row};

            use $crate::evaluation::*;
            use $crate::execution::AuditDraft;
            use $crate::{Result, StoreError};

            $crate::execution::sql::audit_append!($store, $db);

            const INSPECTION_COLS: &str =
                "id, year, unit_id, planned_on, held_on, team, content, findings, minutes";
            const REMEDIATION_COLS: &str = "id, inspection_id, description, deadline, done_on";
            const INITIATIVE_COLS: &str =
                "id, year, unit_id, title, status, decision_number, decision_date";
            const DIALOGUE_COLS: &str =
                "id, unit_id, held_on, chair, topic, participants, attendance";

            fn inspection_row(r: &<$db as Database>::Row) -> Result<InspectionRecord> {
                Ok(InspectionRecord {
                    id: r.try_get("id")?,
                    year: r.try_get("year")?,
                    unit: r.try_get("unit_id")?,
                    planned: r.try_get("planned_on")?,
                    held: r.try_get("held_on")?,
                    team: r.try_get("team")?,
                    content: r.try_get("content")?,
                    findings: r.try_get("findings")?,
                    minutes: r.try_get("minutes")?,
                    remediation: Vec::new(),
                })
            }

            fn remediation_row(r: &<$db as Database>::Row) -> Result<RemediationRecord> {
                Ok(RemediationRecord {
                    id: r.try_get("id")?,
                    inspection: r.try_get("inspection_id")?,
                    description: r.try_get("description")?,
                    deadline: r.try_get("deadline")?,
                    done: r.try_get("done_on")?,
                })
            }

            fn initiative_row(r: &<$db as Database>::Row) -> Result<InitiativeRecord> {
                Ok(InitiativeRecord {
                    id: r.try_get("id")?,
                    draft: InitiativeDraft {
                        year: r.try_get("year")?,
                        unit: r.try_get("unit_id")?,
                        title: r.try_get("title")?,
                        status: r.try_get("status")?,
                        decision_number: r.try_get("decision_number")?,
                        decision_date: r.try_get("decision_date")?,
                    },
                })
            }

            fn dialogue_row(r: &<$db as Database>::Row) -> Result<DialogueRecord> {
                Ok(DialogueRecord {
                    id: r.try_get("id")?,
                    draft: DialogueDraft {
                        unit: r.try_get("unit_id")?,
                        date: r.try_get("held_on")?,
                        chair: r.try_get("chair")?,
                        topic: r.try_get("topic")?,
                        participants: r.try_get("participants")?,
                        attendance: r.try_get("attendance")?,
                    },
                })
            }

            /// The refusal of a write to a row that does not exist.
            fn missing(what: &str, id: i64) -> StoreError {
                StoreError::NotFound(format!("{what} số {id}"))
            }

            /// Deletes the row `id` of `table` (a constant of this file) with its audit entry.
            async fn delete_row(
                store: &$store,
                table: &str,
                what: &str,
                id: i64,
                audit: &AuditDraft,
            ) -> Result<()> {
                let mut tx = store.begin_write().await?;
                let done = sqlx::query(&format!("DELETE FROM {table} WHERE id = $1"))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(missing(what, id));
                }
                append(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            /// The remediation items of some inspections, attached to each in deadline order.
            async fn attach_remediation(
                store: &$store,
                list: &mut [InspectionRecord],
                filter: &str,
                key: i64,
            ) -> Result<()> {
                let rows = sqlx::query(&format!(
                    "SELECT r.id, r.inspection_id, r.description, r.deadline, r.done_on
                     FROM remediation_items r JOIN inspections i ON i.id = r.inspection_id
                     WHERE {filter} = $1 ORDER BY r.deadline, r.id"
                ))
                .bind(key)
                .fetch_all(store.pool())
                .await?;
                for r in &rows {
                    let item = remediation_row(r)?;
                    if let Some(i) = list.iter_mut().find(|i| i.id == item.inspection) {
                        i.remediation.push(item);
                    }
                }
                Ok(())
            }

            #[async_trait]
            impl EvaluationRepository for $store {
                async fn list_inspections(&self, year: i32) -> Result<Vec<InspectionRecord>> {
                    let rows = sqlx::query(&format!(
                        "SELECT {INSPECTION_COLS} FROM inspections WHERE year = $1
                         ORDER BY unit_id, COALESCE(held_on, planned_on), id"
                    ))
                    .bind(year)
                    .fetch_all(self.pool())
                    .await?;
                    let mut list = rows
                        .iter()
                        .map(inspection_row)
                        .collect::<Result<Vec<_>>>()?;
                    attach_remediation(self, &mut list, "i.year", i64::from(year)).await?;
                    Ok(list)
                }

                async fn get_inspection(&self, id: i64) -> Result<Option<InspectionRecord>> {
                    let row = sqlx::query(&format!(
                        "SELECT {INSPECTION_COLS} FROM inspections WHERE id = $1"
                    ))
                    .bind(id)
                    .fetch_optional(self.pool())
                    .await?;
                    let Some(row) = row else {
                        return Ok(None);
                    };
                    let mut list = vec![inspection_row(&row)?];
                    attach_remediation(self, &mut list, "i.id", id).await?;
                    Ok(list.pop())
                }

                async fn insert_inspection(
                    &self,
                    i: &InspectionDraft,
                    audit: &AuditDraft,
                ) -> Result<i64> {
                    let mut tx = self.begin_write().await?;
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO inspections (year, unit_id, planned_on, held_on, team,
                             content, findings, minutes)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    )
                    .bind(i.year)
                    .bind(&i.unit)
                    .bind(i.planned)
                    .bind(i.held)
                    .bind(&i.team)
                    .bind(&i.content)
                    .bind(&i.findings)
                    .bind(&i.minutes)
                    .fetch_one(&mut *tx)
                    .await?;
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(id)
                }

                async fn update_inspection(
                    &self,
                    id: i64,
                    i: &InspectionDraft,
                    audit: &AuditDraft,
                ) -> Result<()> {
                    let mut tx = self.begin_write().await?;
                    let done = sqlx::query(
                        "UPDATE inspections SET year = $2, unit_id = $3, planned_on = $4,
                             held_on = $5, team = $6, content = $7, findings = $8, minutes = $9
                         WHERE id = $1",
                    )
                    .bind(id)
                    .bind(i.year)
                    .bind(&i.unit)
                    .bind(i.planned)
                    .bind(i.held)
                    .bind(&i.team)
                    .bind(&i.content)
                    .bind(&i.findings)
                    .bind(&i.minutes)
                    .execute(&mut *tx)
                    .await?;
                    if done.rows_affected() == 0 {
                        return Err(missing("cuộc kiểm tra", id));
                    }
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn delete_inspection(&self, id: i64, audit: &AuditDraft) -> Result<()> {
                    let mut tx = self.begin_write().await?;
                    sqlx::query("DELETE FROM remediation_items WHERE inspection_id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    let done = sqlx::query("DELETE FROM inspections WHERE id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    if done.rows_affected() == 0 {
                        return Err(missing("cuộc kiểm tra", id));
                    }
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn get_remediation(&self, id: i64) -> Result<Option<RemediationRecord>> {
                    let row = sqlx::query(&format!(
                        "SELECT {REMEDIATION_COLS} FROM remediation_items WHERE id = $1"
                    ))
                    .bind(id)
                    .fetch_optional(self.pool())
                    .await?;
                    row.as_ref().map(remediation_row).transpose()
                }

                async fn insert_remediation(
                    &self,
                    inspection: i64,
                    r: &RemediationDraft,
                    audit: &AuditDraft,
                ) -> Result<i64> {
                    let mut tx = self.begin_write().await?;
                    let exists: Option<i64> =
                        sqlx::query_scalar("SELECT id FROM inspections WHERE id = $1")
                            .bind(inspection)
                            .fetch_optional(&mut *tx)
                            .await?;
                    if exists.is_none() {
                        return Err(missing("cuộc kiểm tra", inspection));
                    }
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO remediation_items (inspection_id, description, deadline,
                             done_on)
                         VALUES ($1, $2, $3, $4) RETURNING id",
                    )
                    .bind(inspection)
                    .bind(&r.description)
                    .bind(r.deadline)
                    .bind(r.done)
                    .fetch_one(&mut *tx)
                    .await?;
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(id)
                }

                async fn update_remediation(
                    &self,
                    id: i64,
                    r: &RemediationDraft,
                    audit: &AuditDraft,
                ) -> Result<()> {
                    let mut tx = self.begin_write().await?;
                    let done = sqlx::query(
                        "UPDATE remediation_items SET description = $2, deadline = $3,
                             done_on = $4
                         WHERE id = $1",
                    )
                    .bind(id)
                    .bind(&r.description)
                    .bind(r.deadline)
                    .bind(r.done)
                    .execute(&mut *tx)
                    .await?;
                    if done.rows_affected() == 0 {
                        return Err(missing("việc khắc phục", id));
                    }
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn delete_remediation(&self, id: i64, audit: &AuditDraft) -> Result<()> {
                    delete_row(self, "remediation_items", "việc khắc phục", id, audit).await
                }

                async fn list_initiatives(&self, year: i32) -> Result<Vec<InitiativeRecord>> {
                    let rows = sqlx::query(&format!(
                        "SELECT {INITIATIVE_COLS} FROM initiatives WHERE year = $1
                         ORDER BY unit_id, id"
                    ))
                    .bind(year)
                    .fetch_all(self.pool())
                    .await?;
                    rows.iter().map(initiative_row).collect()
                }

                async fn get_initiative(&self, id: i64) -> Result<Option<InitiativeRecord>> {
                    let row = sqlx::query(&format!(
                        "SELECT {INITIATIVE_COLS} FROM initiatives WHERE id = $1"
                    ))
                    .bind(id)
                    .fetch_optional(self.pool())
                    .await?;
                    row.as_ref().map(initiative_row).transpose()
                }

                async fn insert_initiative(
                    &self,
                    i: &InitiativeDraft,
                    audit: &AuditDraft,
                ) -> Result<i64> {
                    let mut tx = self.begin_write().await?;
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO initiatives (year, unit_id, title, status, decision_number,
                             decision_date)
                         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                    )
                    .bind(i.year)
                    .bind(&i.unit)
                    .bind(&i.title)
                    .bind(&i.status)
                    .bind(&i.decision_number)
                    .bind(i.decision_date)
                    .fetch_one(&mut *tx)
                    .await?;
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(id)
                }

                async fn update_initiative(
                    &self,
                    id: i64,
                    i: &InitiativeDraft,
                    audit: &AuditDraft,
                ) -> Result<()> {
                    let mut tx = self.begin_write().await?;
                    let done = sqlx::query(
                        "UPDATE initiatives SET year = $2, unit_id = $3, title = $4, status = $5,
                             decision_number = $6, decision_date = $7
                         WHERE id = $1",
                    )
                    .bind(id)
                    .bind(i.year)
                    .bind(&i.unit)
                    .bind(&i.title)
                    .bind(&i.status)
                    .bind(&i.decision_number)
                    .bind(i.decision_date)
                    .execute(&mut *tx)
                    .await?;
                    if done.rows_affected() == 0 {
                        return Err(missing("sáng kiến", id));
                    }
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn delete_initiative(&self, id: i64, audit: &AuditDraft) -> Result<()> {
                    delete_row(self, "initiatives", "sáng kiến", id, audit).await
                }

                async fn list_dialogues(&self, year: i32) -> Result<Vec<DialogueRecord>> {
                    let rows = sqlx::query(&format!(
                        "SELECT {DIALOGUE_COLS} FROM dialogues WHERE year = $1
                         ORDER BY held_on, id"
                    ))
                    .bind(year)
                    .fetch_all(self.pool())
                    .await?;
                    rows.iter().map(dialogue_row).collect()
                }

                async fn get_dialogue(&self, id: i64) -> Result<Option<DialogueRecord>> {
                    let row = sqlx::query(&format!(
                        "SELECT {DIALOGUE_COLS} FROM dialogues WHERE id = $1"
                    ))
                    .bind(id)
                    .fetch_optional(self.pool())
                    .await?;
                    row.as_ref().map(dialogue_row).transpose()
                }

                async fn insert_dialogue(
                    &self,
                    d: &DialogueDraft,
                    audit: &AuditDraft,
                ) -> Result<i64> {
                    use chrono::Datelike;
                    let mut tx = self.begin_write().await?;
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO dialogues (year, unit_id, held_on, chair, topic,
                             participants, attendance)
                         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    )
                    .bind(d.date.year())
                    .bind(&d.unit)
                    .bind(d.date)
                    .bind(&d.chair)
                    .bind(&d.topic)
                    .bind(&d.participants)
                    .bind(d.attendance)
                    .fetch_one(&mut *tx)
                    .await?;
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(id)
                }

                async fn update_dialogue(
                    &self,
                    id: i64,
                    d: &DialogueDraft,
                    audit: &AuditDraft,
                ) -> Result<()> {
                    use chrono::Datelike;
                    let mut tx = self.begin_write().await?;
                    let done = sqlx::query(
                        "UPDATE dialogues SET year = $2, unit_id = $3, held_on = $4, chair = $5,
                             topic = $6, participants = $7, attendance = $8
                         WHERE id = $1",
                    )
                    .bind(id)
                    .bind(d.date.year())
                    .bind(&d.unit)
                    .bind(d.date)
                    .bind(&d.chair)
                    .bind(&d.topic)
                    .bind(&d.participants)
                    .bind(d.attendance)
                    .execute(&mut *tx)
                    .await?;
                    if done.rows_affected() == 0 {
                        return Err(missing("cuộc đối thoại", id));
                    }
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn delete_dialogue(&self, id: i64, audit: &AuditDraft) -> Result<()> {
                    delete_row(self, "dialogues", "cuộc đối thoại", id, audit).await
                }

                async fn list_quotas(&self, years: &[i32]) -> Result<Vec<QuotaRecord>> {
                    let mut out = Vec::new();
                    for y in years {
                        let rows = sqlx::query(
                            "SELECT unit_id, year, civil_servants, public_employees
                             FROM staff_quotas WHERE year = $1 ORDER BY unit_id",
                        )
                        .bind(*y)
                        .fetch_all(self.pool())
                        .await?;
                        for r in &rows {
                            out.push(QuotaRecord {
                                unit: r.try_get("unit_id")?,
                                year: r.try_get("year")?,
                                civil_servants: r.try_get("civil_servants")?,
                                public_employees: r.try_get("public_employees")?,
                            });
                        }
                    }
                    Ok(out)
                }

                async fn put_quota(&self, q: &QuotaRecord, audit: &AuditDraft) -> Result<()> {
                    let mut tx = self.begin_write().await?;
                    sqlx::query(
                        "INSERT INTO staff_quotas (unit_id, year, civil_servants,
                             public_employees)
                         VALUES ($1, $2, $3, $4)
                         ON CONFLICT (unit_id, year) DO UPDATE SET
                             civil_servants = excluded.civil_servants,
                             public_employees = excluded.public_employees",
                    )
                    .bind(&q.unit)
                    .bind(q.year)
                    .bind(q.civil_servants)
                    .bind(q.public_employees)
                    .execute(&mut *tx)
                    .await?;
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn delete_quota(
                    &self,
                    unit: &str,
                    year: i32,
                    audit: &AuditDraft,
                ) -> Result<()> {
                    let mut tx = self.begin_write().await?;
                    let done =
                        sqlx::query("DELETE FROM staff_quotas WHERE unit_id = $1 AND year = $2")
                            .bind(unit)
                            .bind(year)
                            .execute(&mut *tx)
                            .await?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound(format!(
                            "biên chế năm {year} của đơn vị «{unit}»"
                        )));
                    }
                    append(&mut tx, audit).await?;
                    tx.commit().await?;
                    Ok(())
                }
            }
        };
    };
}

pub(crate) use impl_evaluation;
