//! The plan and unit SQL, shared by the two backends: a plan flattened into rows, row
//! decoding, and the queries.
//!
//! The SQL is written once: `$n` placeholders, `ON CONFLICT … DO UPDATE`, `excluded` and
//! `RETURNING` mean the same on SQLite and PostgreSQL. [`impl_repository!`] expands it for each
//! backend, because a function generic over sqlx's `Database` needs a wall of higher-ranked
//! bounds that would hide the SQL.

use std::collections::HashSet;

use cchc_domain::{
    Deadline, DeadlineKind, GroupId, Plan, RefTarget, Unit, UnitId, UnitKind, UnitRef,
};
use chrono::NaiveDate;

use crate::{Result, StoreError};

/// The `plans` row of a plan.
pub(crate) struct PlanHeader<'a> {
    pub decision_number: &'a str,
    pub decision_date: Option<NaiveDate>,
    pub owner_text: &'a str,
    pub owner_unit_id: Option<&'a str>,
    pub year: i32,
    pub title: &'a str,
    pub document: String,
}

/// A `plan_targets` row.
pub(crate) struct TargetRow<'a> {
    pub code: &'a str,
    pub area: i64,
    pub text: &'a str,
    pub ord: i64,
}

/// A `plan_activities` row.
pub(crate) struct ActivityRow<'a> {
    pub key: &'a str,
    pub section_code: &'a str,
    pub part_code: Option<&'a str>,
    pub row_no: &'a str,
    pub task_code: Option<&'a str>,
    pub code: Option<&'a str>,
    pub text: &'a str,
    pub outputs: Option<&'a str>,
    pub funding: Option<&'a str>,
    pub deadline_text: Option<&'a str>,
    pub deadline_kind: Option<&'static str>,
    pub deadline_start: Option<NaiveDate>,
    pub deadline_end: Option<NaiveDate>,
    pub ord: i64,
}

/// An `activity_units` row.
pub(crate) struct ActivityUnitRow<'a> {
    pub activity_key: &'a str,
    pub role: &'static str,
    pub ord: i64,
    pub unit_id: Option<&'a str>,
    pub group_id: Option<&'static str>,
    pub unresolved: Option<&'a str>,
    pub text: &'a str,
}

/// A plan as the rows it is stored in; building one checks that the keys are usable.
pub(crate) struct PlanRows<'a> {
    pub header: PlanHeader<'a>,
    pub targets: Vec<TargetRow<'a>>,
    pub activities: Vec<ActivityRow<'a>>,
    pub units: Vec<ActivityUnitRow<'a>>,
}

pub(crate) const LEAD: &str = "lead";
pub(crate) const COORDINATOR: &str = "coordinator";

impl<'a> PlanRows<'a> {
    pub fn new(plan: &'a Plan) -> Result<Self> {
        if plan.decision.number.trim().is_empty() {
            return Err(StoreError::Invalid(
                "kế hoạch chưa có số, ký hiệu quyết định".into(),
            ));
        }
        let document = serde_json::to_string(plan).map_err(|e| {
            StoreError::Invalid(format!("không chuyển được kế hoạch sang JSON: {e}"))
        })?;
        let header = PlanHeader {
            decision_number: &plan.decision.number,
            decision_date: plan.decision.date,
            owner_text: &plan.owner.text,
            owner_unit_id: match &plan.owner.target {
                RefTarget::Unit(id) => Some(id.as_str()),
                _ => None,
            },
            year: plan.year,
            title: &plan.decision.title,
            document,
        };

        let mut codes = HashSet::new();
        let mut targets = Vec::with_capacity(plan.targets.len());
        for (ord, t) in plan.targets.iter().enumerate() {
            if !codes.insert(t.code.as_str()) {
                return Err(StoreError::Invalid(format!(
                    "mã chỉ tiêu «{}» xuất hiện hai lần trong kế hoạch; mỗi chỉ tiêu cần một mã riêng",
                    t.code
                )));
            }
            targets.push(TargetRow {
                code: &t.code,
                area: t.area.into(),
                text: &t.text,
                ord: ord as i64,
            });
        }

        let mut keys = HashSet::new();
        let mut activities = Vec::new();
        let mut units = Vec::new();
        for (ord, ctx) in plan.activities().enumerate() {
            let a = ctx.activity;
            if a.id.is_empty() {
                return Err(StoreError::Invalid(format!(
                    "hoạt động «{}» (phần {}, dòng {}) chưa được gán khóa; cần gọi Plan::assign_ids trước khi lưu",
                    a.text, ctx.section.code, ctx.row.no
                )));
            }
            if !keys.insert(a.id.as_str()) {
                return Err(StoreError::Invalid(format!(
                    "khóa hoạt động «{}» xuất hiện hai lần trong kế hoạch",
                    a.id
                )));
            }
            activities.push(ActivityRow {
                key: &a.id,
                section_code: &ctx.section.code,
                part_code: ctx.part.code.as_deref(),
                row_no: &ctx.row.no,
                task_code: ctx.task.code.as_deref(),
                code: a.code.as_deref(),
                text: &a.text,
                outputs: a.outputs.as_deref(),
                funding: a.funding.as_deref(),
                deadline_text: a.deadline.as_ref().map(|d| d.text.as_str()),
                deadline_kind: a.deadline.as_ref().map(|d| deadline_kind_str(d.kind)),
                deadline_start: a.deadline.as_ref().and_then(|d| d.start),
                deadline_end: a.deadline.as_ref().and_then(|d| d.end),
                ord: ord as i64,
            });
            for (role, refs) in [(LEAD, &a.lead), (COORDINATOR, &a.coordinators)] {
                for (ord, r) in refs.iter().enumerate() {
                    let (unit_id, group_id, unresolved) = match &r.target {
                        RefTarget::Unit(id) => (Some(id.as_str()), None, None),
                        RefTarget::Group(g) => (None, Some(g.as_str()), None),
                        RefTarget::Unresolved(s) => (None, None, Some(s.as_str())),
                    };
                    units.push(ActivityUnitRow {
                        activity_key: &a.id,
                        role,
                        ord: ord as i64,
                        unit_id,
                        group_id,
                        unresolved,
                        text: &r.text,
                    });
                }
            }
        }
        Ok(PlanRows {
            header,
            targets,
            activities,
            units,
        })
    }
}

/// The columns of a `units` row other than `id` and `ord`, as stored.
pub(crate) type UnitColumns = (String, String, Option<String>, String, String);

/// A unit's stored columns: name, kind, parent_id, aliases (JSON), source.
pub(crate) fn unit_columns(u: &Unit) -> UnitColumns {
    (
        u.name.clone(),
        u.kind.as_str().to_string(),
        u.parent.as_ref().map(|p| p.as_str().to_string()),
        serde_json::to_string(&u.aliases).expect("a list of strings serializes"),
        u.source.clone(),
    )
}

/// Reads a unit back from its row.
pub(crate) fn unit_from_row(id: String, cols: UnitColumns) -> Result<Unit> {
    let (name, kind, parent, aliases, source) = cols;
    let bad = |what: String| StoreError::Invalid(format!("bảng units, đơn vị «{id}»: {what}"));
    Ok(Unit {
        id: UnitId::parse(&id).map_err(bad)?,
        name,
        kind: UnitKind::parse(&kind)
            .ok_or_else(|| bad(format!("loại đơn vị «{kind}» không hợp lệ")))?,
        parent: parent.map(|p| UnitId::parse(&p)).transpose().map_err(bad)?,
        aliases: serde_json::from_str(&aliases)
            .map_err(|e| bad(format!("danh sách tên gọi khác không đọc được: {e}")))?,
        source,
    })
}

pub(crate) fn deadline_kind_str(kind: DeadlineKind) -> &'static str {
    match kind {
        DeadlineKind::Date => "date",
        DeadlineKind::Period => "period",
        DeadlineKind::Recurring => "recurring",
        DeadlineKind::Conditional => "conditional",
    }
}

/// Reads a deadline back from its columns; `None` when the activity states none.
pub(crate) fn deadline_from_row(
    key: &str,
    text: Option<String>,
    kind: Option<String>,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
) -> Result<Option<Deadline>> {
    let (Some(text), Some(kind)) = (text, kind) else {
        return Ok(None);
    };
    let kind = match kind.as_str() {
        "date" => DeadlineKind::Date,
        "period" => DeadlineKind::Period,
        "recurring" => DeadlineKind::Recurring,
        "conditional" => DeadlineKind::Conditional,
        other => {
            return Err(StoreError::Invalid(format!(
                "hoạt động «{key}»: loại thời hạn «{other}» không hợp lệ"
            )))
        }
    };
    Ok(Some(Deadline {
        text,
        kind,
        start,
        end,
    }))
}

/// Reads a unit reference back from an `activity_units` row.
pub(crate) fn unit_ref_from_row(
    key: &str,
    unit_id: Option<String>,
    group_id: Option<String>,
    unresolved: Option<String>,
    text: String,
) -> Result<UnitRef> {
    let bad = |what: String| StoreError::Invalid(format!("hoạt động «{key}»: {what}"));
    let target = match (unit_id, group_id, unresolved) {
        (Some(id), None, None) => RefTarget::Unit(UnitId::parse(&id).map_err(bad)?),
        (None, Some(g), None) => RefTarget::Group(
            GroupId::parse(&g).ok_or_else(|| bad(format!("nhóm đơn vị «{g}» không hợp lệ")))?,
        ),
        (None, None, Some(s)) => RefTarget::Unresolved(s),
        _ => return Err(bad("tham chiếu đơn vị phải có đúng một loại".into())),
    };
    Ok(UnitRef { target, text })
}

pub(crate) fn duplicate_plan(number: &str, owner: &str) -> StoreError {
    StoreError::Conflict(format!(
        "đã có kế hoạch theo quyết định số {number} của «{owner}»; hãy thay thế kế hoạch đó thay vì thêm mới"
    ))
}

/// Implements [`crate::Repository`] for a store type over one sqlx database. The store provides
/// `pool()`, `begin_write()` (the backend's write transaction) and `LOCK_UNITS` (a statement
/// that serializes unit imports, where the transaction alone does not).
/// A stored plan's document (`cchc-plan/1` JSON) read back.
pub(crate) fn plan_document(id: crate::PlanId, document: &str) -> Result<Plan> {
    serde_json::from_str(document).map_err(|e| {
        StoreError::Invalid(format!(
            "tài liệu của kế hoạch mã {id} trong cơ sở dữ liệu không đọc được: {e}"
        ))
    })
}

macro_rules! impl_repository {
    ($store:ty, $db:ty, $backend:literal) => {
        const _: () = {
            use std::collections::{HashMap, HashSet};

            use async_trait::async_trait;
            use cchc_domain::{Plan, Unit};
            use sqlx::{Database, Row};

            use $crate::plan::sql::{self, PlanRows};
            use $crate::{
                ActivityRecord, PlanId, PlanSummary, Repository, Result, StoreError,
                UnitImportSummary,
            };

            type Conn = <$db as Database>::Connection;

            /// Deletes the plan's rows of `table` whose `column` is not in `keep`.
            async fn delete_missing(
                conn: &mut Conn,
                plan_id: i64,
                table: &'static str,
                column: &'static str,
                keep: &HashSet<&str>,
            ) -> Result<()> {
                let stored: Vec<String> =
                    sqlx::query_scalar(&format!("SELECT {column} FROM {table} WHERE plan_id = $1"))
                        .bind(plan_id)
                        .fetch_all(&mut *conn)
                        .await?;
                let delete = format!("DELETE FROM {table} WHERE plan_id = $1 AND {column} = $2");
                for value in stored.iter().filter(|v| !keep.contains(v.as_str())) {
                    sqlx::query(&delete)
                        .bind(plan_id)
                        .bind(value)
                        .execute(&mut *conn)
                        .await?;
                }
                Ok(())
            }

            /// Writes the targets, activities and their units of a plan. On a replace, rows
            /// whose key survives are updated in place rather than deleted and inserted again,
            /// so that what later refers to them (execution reports, indicators) stays attached.
            async fn write_children(conn: &mut Conn, plan_id: i64, rows: &PlanRows<'_>) -> Result<()> {
                sqlx::query("DELETE FROM activity_units WHERE plan_id = $1")
                    .bind(plan_id)
                    .execute(&mut *conn)
                    .await?;

                let keep: HashSet<&str> = rows.activities.iter().map(|a| a.key).collect();
                delete_missing(conn, plan_id, "plan_activities", "key", &keep).await?;
                let keep: HashSet<&str> = rows.targets.iter().map(|t| t.code).collect();
                delete_missing(conn, plan_id, "plan_targets", "code", &keep).await?;

                for t in &rows.targets {
                    sqlx::query(
                        "INSERT INTO plan_targets (plan_id, code, area, text, ord)
                         VALUES ($1, $2, $3, $4, $5)
                         ON CONFLICT (plan_id, code) DO UPDATE SET
                             area = excluded.area, text = excluded.text, ord = excluded.ord",
                    )
                    .bind(plan_id)
                    .bind(t.code)
                    .bind(t.area)
                    .bind(t.text)
                    .bind(t.ord)
                    .execute(&mut *conn)
                    .await?;
                }

                for a in &rows.activities {
                    sqlx::query(
                        "INSERT INTO plan_activities (plan_id, key, section_code, part_code, row_no,
                             task_code, code, text, outputs, funding, deadline_text, deadline_kind,
                             deadline_start, deadline_end, ord)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
                         ON CONFLICT (plan_id, key) DO UPDATE SET
                             section_code = excluded.section_code, part_code = excluded.part_code,
                             row_no = excluded.row_no, task_code = excluded.task_code,
                             code = excluded.code, text = excluded.text,
                             outputs = excluded.outputs, funding = excluded.funding,
                             deadline_text = excluded.deadline_text,
                             deadline_kind = excluded.deadline_kind,
                             deadline_start = excluded.deadline_start,
                             deadline_end = excluded.deadline_end, ord = excluded.ord",
                    )
                    .bind(plan_id)
                    .bind(a.key)
                    .bind(a.section_code)
                    .bind(a.part_code)
                    .bind(a.row_no)
                    .bind(a.task_code)
                    .bind(a.code)
                    .bind(a.text)
                    .bind(a.outputs)
                    .bind(a.funding)
                    .bind(a.deadline_text)
                    .bind(a.deadline_kind)
                    .bind(a.deadline_start)
                    .bind(a.deadline_end)
                    .bind(a.ord)
                    .execute(&mut *conn)
                    .await?;
                }

                for u in &rows.units {
                    sqlx::query(
                        "INSERT INTO activity_units (plan_id, activity_key, role, ord, unit_id,
                             group_id, unresolved, text)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(plan_id)
                    .bind(u.activity_key)
                    .bind(u.role)
                    .bind(u.ord)
                    .bind(u.unit_id)
                    .bind(u.group_id)
                    .bind(u.unresolved)
                    .bind(u.text)
                    .execute(&mut *conn)
                    .await?;
                }
                Ok(())
            }

            #[async_trait]
            impl Repository for $store {
                fn backend(&self) -> &'static str {
                    $backend
                }

                fn execution(&self) -> &dyn $crate::ExecutionRepository {
                    self
                }

                async fn data_version(&self) -> Result<Option<u64>> {
                    $crate::version::seen_or(self.content_version()).await
                }

                fn evaluation(&self) -> &dyn $crate::EvaluationRepository {
                    self
                }

                fn reform_index(&self) -> &dyn $crate::ReformIndexRepository {
                    self
                }

                fn commune_plans(&self) -> &dyn $crate::CommunePlanRepository {
                    self
                }

                fn reminders(&self) -> &dyn $crate::ReminderRepository {
                    self
                }

                fn publication(&self) -> &dyn $crate::PublicationRepository {
                    self
                }

                async fn import_units(&self, units: &[Unit]) -> Result<UnitImportSummary> {
                    let mut tx = self.begin_write().await?;
                    if let Some(lock) = Self::LOCK_UNITS {
                        sqlx::query(lock).execute(&mut *tx).await?;
                    }
                    let mut summary = UnitImportSummary { read: units.len(), ..Default::default() };
                    let mut last_ord: i64 =
                        sqlx::query_scalar("SELECT COALESCE(MAX(ord), 0) FROM units")
                            .fetch_one(&mut *tx)
                            .await?;
                    for unit in units {
                        let new = sql::unit_columns(unit);
                        let stored: Option<sql::UnitColumns> = sqlx::query_as(
                            "SELECT name, kind, parent_id, aliases, source FROM units WHERE id = $1",
                        )
                        .bind(unit.id.as_str())
                        .fetch_optional(&mut *tx)
                        .await?;
                        match stored {
                            Some(old) if old == new => summary.unchanged += 1,
                            Some(_) => {
                                sqlx::query(
                                    "UPDATE units SET name = $2, kind = $3, parent_id = $4,
                                         aliases = $5, source = $6
                                     WHERE id = $1",
                                )
                                .bind(unit.id.as_str())
                                .bind(new.0)
                                .bind(new.1)
                                .bind(new.2)
                                .bind(new.3)
                                .bind(new.4)
                                .execute(&mut *tx)
                                .await?;
                                summary.updated += 1;
                            }
                            None => {
                                last_ord += 1;
                                sqlx::query(
                                    "INSERT INTO units (id, name, kind, parent_id, aliases, source, ord)
                                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                                )
                                .bind(unit.id.as_str())
                                .bind(new.0)
                                .bind(new.1)
                                .bind(new.2)
                                .bind(new.3)
                                .bind(new.4)
                                .bind(last_ord)
                                .execute(&mut *tx)
                                .await?;
                                summary.inserted += 1;
                            }
                        }
                    }
                    tx.commit().await?;
                    Ok(summary)
                }

                async fn list_units(&self) -> Result<Vec<Unit>> {
                    let rows: Vec<(String, String, String, Option<String>, String, String)> =
                        sqlx::query_as(
                            "SELECT id, name, kind, parent_id, aliases, source FROM units ORDER BY ord",
                        )
                        .fetch_all(self.pool())
                        .await?;
                    rows.into_iter()
                        .map(|(id, name, kind, parent, aliases, source)| {
                            sql::unit_from_row(id, (name, kind, parent, aliases, source))
                        })
                        .collect()
                }

                async fn find_plan(
                    &self,
                    decision_number: &str,
                    owner_text: &str,
                ) -> Result<Option<PlanId>> {
                    let id: Option<i64> = sqlx::query_scalar(
                        "SELECT id FROM plans WHERE decision_number = $1 AND owner_text = $2",
                    )
                    .bind(decision_number)
                    .bind(owner_text)
                    .fetch_optional(self.pool())
                    .await?;
                    Ok(id.map(PlanId))
                }

                async fn insert_plan(&self, plan: &Plan) -> Result<PlanId> {
                    let rows = PlanRows::new(plan)?;
                    let h = &rows.header;
                    let now = chrono::Utc::now();
                    let mut tx = self.begin_write().await?;
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO plans (decision_number, decision_date, owner_text,
                             owner_unit_id, year, title, document, imported_at, updated_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
                         RETURNING id",
                    )
                    .bind(h.decision_number)
                    .bind(h.decision_date)
                    .bind(h.owner_text)
                    .bind(h.owner_unit_id)
                    .bind(h.year)
                    .bind(h.title)
                    .bind(&h.document)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| match $crate::is_unique_violation(&e) {
                        true => sql::duplicate_plan(h.decision_number, h.owner_text),
                        false => e.into(),
                    })?;
                    write_children(&mut tx, id, &rows).await?;
                    tx.commit().await?;
                    Ok(PlanId(id))
                }

                async fn replace_plan(&self, id: PlanId, plan: &Plan) -> Result<()> {
                    let rows = PlanRows::new(plan)?;
                    let h = &rows.header;
                    let mut tx = self.begin_write().await?;
                    let done = sqlx::query(
                        "UPDATE plans SET decision_number = $2, decision_date = $3,
                             owner_text = $4, owner_unit_id = $5, year = $6, title = $7,
                             document = $8, updated_at = $9, revision = revision + 1
                         WHERE id = $1",
                    )
                    .bind(id.0)
                    .bind(h.decision_number)
                    .bind(h.decision_date)
                    .bind(h.owner_text)
                    .bind(h.owner_unit_id)
                    .bind(h.year)
                    .bind(h.title)
                    .bind(&h.document)
                    .bind(chrono::Utc::now())
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| match $crate::is_unique_violation(&e) {
                        true => sql::duplicate_plan(h.decision_number, h.owner_text),
                        false => e.into(),
                    })?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound(format!("kế hoạch mã {id}")));
                    }
                    write_children(&mut tx, id.0, &rows).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn list_plans(&self) -> Result<Vec<PlanSummary>> {
                    let rows = sqlx::query(
                        "SELECT p.id, p.decision_number, p.decision_date, p.owner_text, p.year,
                             p.title, p.imported_at,
                             (SELECT COUNT(*) FROM plan_activities a WHERE a.plan_id = p.id)
                                 AS activities,
                             (SELECT COUNT(*) FROM plan_targets t WHERE t.plan_id = p.id)
                                 AS targets
                         FROM plans p
                         ORDER BY p.id",
                    )
                    .fetch_all(self.pool())
                    .await?;
                    rows.iter()
                        .map(|r| {
                            Ok(PlanSummary {
                                id: PlanId(r.try_get("id")?),
                                decision_number: r.try_get("decision_number")?,
                                decision_date: r.try_get("decision_date")?,
                                owner_text: r.try_get("owner_text")?,
                                year: r.try_get("year")?,
                                title: r.try_get("title")?,
                                activities: r.try_get("activities")?,
                                targets: r.try_get("targets")?,
                                imported_at: r.try_get("imported_at")?,
                            })
                        })
                        .collect()
                }

                async fn get_plan(&self, id: PlanId) -> Result<Option<Plan>> {
                    let document: Option<String> =
                        sqlx::query_scalar("SELECT document FROM plans WHERE id = $1")
                            .bind(id.0)
                            .fetch_optional(self.pool())
                            .await?;
                    document.map(|d| sql::plan_document(id, &d)).transpose()
                }

                async fn get_plan_shared(&self, id: PlanId) -> Result<Option<std::sync::Arc<Plan>>> {
                    let revision: Option<i64> =
                        sqlx::query_scalar("SELECT revision FROM plans WHERE id = $1")
                            .bind(id.0)
                            .fetch_optional(self.pool())
                            .await?;
                    let Some(revision) = revision else {
                        return Ok(None);
                    };
                    if let Some(plan) = self.plans.get(id, revision) {
                        return Ok(Some(plan));
                    }
                    // The document and the revision it is, read together: a replace in between
                    // is read as the revision it made.
                    let row: Option<(String, i64)> =
                        sqlx::query_as("SELECT document, revision FROM plans WHERE id = $1")
                            .bind(id.0)
                            .fetch_optional(self.pool())
                            .await?;
                    let Some((document, revision)) = row else {
                        return Ok(None);
                    };
                    let plan = std::sync::Arc::new(sql::plan_document(id, &document)?);
                    self.plans.put(id, revision, plan.clone());
                    Ok(Some(plan))
                }

                async fn list_activities(&self, id: PlanId) -> Result<Vec<ActivityRecord>> {
                    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM plans WHERE id = $1")
                        .bind(id.0)
                        .fetch_optional(self.pool())
                        .await?;
                    if exists.is_none() {
                        return Err(StoreError::NotFound(format!("kế hoạch mã {id}")));
                    }

                    let mut refs: HashMap<(String, String), Vec<cchc_domain::UnitRef>> = HashMap::new();
                    let unit_rows = sqlx::query(
                        "SELECT activity_key, role, unit_id, group_id, unresolved, text
                         FROM activity_units WHERE plan_id = $1
                         ORDER BY activity_key, role, ord",
                    )
                    .bind(id.0)
                    .fetch_all(self.pool())
                    .await?;
                    for r in &unit_rows {
                        let key: String = r.try_get("activity_key")?;
                        let role: String = r.try_get("role")?;
                        let unit_ref = sql::unit_ref_from_row(
                            &key,
                            r.try_get("unit_id")?,
                            r.try_get("group_id")?,
                            r.try_get("unresolved")?,
                            r.try_get("text")?,
                        )?;
                        refs.entry((key, role)).or_default().push(unit_ref);
                    }

                    let rows = sqlx::query(
                        "SELECT key, section_code, part_code, row_no, task_code, code, text,
                             outputs, funding, deadline_text, deadline_kind, deadline_start,
                             deadline_end
                         FROM plan_activities WHERE plan_id = $1
                         ORDER BY ord",
                    )
                    .bind(id.0)
                    .fetch_all(self.pool())
                    .await?;
                    rows.iter()
                        .map(|r| {
                            let key: String = r.try_get("key")?;
                            let deadline = sql::deadline_from_row(
                                &key,
                                r.try_get("deadline_text")?,
                                r.try_get("deadline_kind")?,
                                r.try_get("deadline_start")?,
                                r.try_get("deadline_end")?,
                            )?;
                            let mut take = |role: &str| {
                                refs.remove(&(key.clone(), role.to_string())).unwrap_or_default()
                            };
                            let lead = take(sql::LEAD);
                            let coordinators = take(sql::COORDINATOR);
                            Ok(ActivityRecord {
                                section_code: r.try_get("section_code")?,
                                part_code: r.try_get("part_code")?,
                                row_no: r.try_get("row_no")?,
                                task_code: r.try_get("task_code")?,
                                code: r.try_get("code")?,
                                text: r.try_get("text")?,
                                outputs: r.try_get("outputs")?,
                                funding: r.try_get("funding")?,
                                deadline,
                                lead,
                                coordinators,
                                key,
                            })
                        })
                        .collect()
                }
            }
        };
    };
}

pub(crate) use impl_repository;
