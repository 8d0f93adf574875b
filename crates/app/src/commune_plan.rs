//! Kế hoạch CCHC của xã: the standing office derives each commune's draft from the district
//! plan, the commune (its reporter or head) edits and issues it with number, date and signed
//! file, and everyone signed in sees who issued on time. A commune plan may also be imported
//! from its decision text, linked to the district plan, with its differences from the derived
//! draft listed. Every scope check is here.

use std::sync::Arc;

use cchc_domain::commune_plan::{
    self, activity_mut, add_activity, is_commune, parse_issue_number, remove_activity,
    CommunePlanStatus, ParentPlan, Timeliness,
};
use cchc_domain::execution::{AuditAction, Role};
use cchc_domain::{Deadline, Plan, Registry, Unit, UnitId};
use cchc_store::commune_plan::{CommunePlanRecord, PlanIssue};
use cchc_store::execution::AuditDraft;
use cchc_store::{CommunePlanRepository, PlanId};
use chrono::{NaiveDate, Utc};

use crate::access::{can_read, denied, scope, Session};
use crate::{App, Error, Result as R};

fn repo(app: &App) -> &dyn CommunePlanRepository {
    app.store.commune_plans()
}

/// The district plan of the year (shared, not copied) and its registry.
async fn district(app: &App, year: i32) -> R<(PlanId, Arc<Plan>, Registry)> {
    let (id, plan, registry) = crate::plan::plan_for(app, Some(year)).await?;
    if plan.year != year {
        return Err(Error::not_found(format!(
            "chưa có kế hoạch CCHC năm {year} của huyện"
        )));
    }
    Ok((id, plan, registry))
}

/// The parent reference a derived or imported commune plan carries: the district plan's id
/// and content fingerprint (hashed only by the writes that store it, not by the overview).
fn parent_of(id: PlanId, plan: &Plan) -> ParentPlan {
    ParentPlan {
        plan_id: id.0,
        version: ParentPlan::version_of(plan),
    }
}

fn commune_of<'r>(registry: &'r Registry, unit: &str) -> R<&'r Unit> {
    UnitId::parse(unit)
        .ok()
        .and_then(|id| registry.get(&id))
        .filter(|u| is_commune(u))
        .ok_or_else(|| Error::not_found(format!("không có xã, thị trấn mã «{unit}»")))
}

/// One commune's line of the overview.
#[derive(Debug, Clone)]
pub struct OverviewRow {
    pub unit: Unit,
    pub status: Option<CommunePlanStatus>,
    pub issue: Option<PlanIssue>,
    pub timeliness: Timeliness,
    pub imported: bool,
}

/// Tình hình ban hành kế hoạch của xã: every commune with its plan's state, against the
/// deadline the district plan gives, and the counts.
#[derive(Debug, Clone)]
pub struct Overview {
    pub year: i32,
    pub due: Option<NaiveDate>,
    pub rows: Vec<OverviewRow>,
    pub on_time: usize,
    pub late: usize,
    /// Issued in all (on time, late, or with no deadline to judge by).
    pub issued: usize,
    pub not_issued: usize,
    pub drafts: usize,
}

/// The overview of a year, for any signed-in account.
pub async fn overview(app: &App, year: i32) -> R<Overview> {
    let (_, plan, registry) = district(app, year).await?;
    let stored = repo(app).commune_plans(year).await?;
    let rows: Vec<OverviewRow> = registry
        .units()
        .iter()
        .filter(|u| is_commune(u))
        .map(|u| {
            let rec = stored.iter().find(|r| r.unit == u.id.as_str());
            let issued_on = rec
                .filter(|r| r.status == CommunePlanStatus::Issued)
                .and_then(|r| r.issue.as_ref())
                .map(|i| i.date);
            OverviewRow {
                unit: u.clone(),
                status: rec.map(|r| r.status),
                issue: rec.and_then(|r| r.issue.clone()),
                timeliness: Timeliness::of(issued_on, plan.commune_plans_due),
                imported: rec.is_some_and(|r| r.imported),
            }
        })
        .collect();
    let count = |f: fn(&Timeliness) -> bool| rows.iter().filter(|r| f(&r.timeliness)).count();
    Ok(Overview {
        year,
        due: plan.commune_plans_due,
        on_time: count(|t| *t == Timeliness::OnTime),
        late: count(|t| matches!(t, Timeliness::Late(_))),
        not_issued: count(|t| *t == Timeliness::NotIssued),
        issued: count(|t| *t != Timeliness::NotIssued),
        drafts: rows
            .iter()
            .filter(|r| r.status == Some(CommunePlanStatus::Draft))
            .count(),
        rows,
    })
}

/// What generating drafts did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Generated {
    /// Communes that got a fresh draft (new or replacing an unedited one).
    pub written: Vec<String>,
    /// Communes whose edited draft was kept (regenerate with `overwrite_edited` to replace).
    pub kept_edited: Vec<String>,
    /// Communes whose plan is issued already (never replaced).
    pub issued: Vec<String>,
}

/// Lập dự thảo: the standing office derives the drafts of every commune (or of `only`) from
/// the district plan of `year`, in one transaction with one audit entry. A draft the commune
/// edited is replaced only with `overwrite_edited`; an issued plan never.
pub async fn generate(
    app: &App,
    s: &Session,
    year: i32,
    only: Option<&str>,
    overwrite_edited: bool,
) -> R<Generated> {
    if s.user.role != Role::StandingOffice {
        denied(app, s, &format!("commune_plan:{year} generate"), None).await;
        return Err(Error::forbidden(
            "chỉ cơ quan thường trực CCHC được lập dự thảo kế hoạch của các xã",
        ));
    }
    let (id, plan, registry) = district(app, year).await?;
    let parent = parent_of(id, &plan);
    let communes: Vec<&Unit> = match only {
        Some(unit) => vec![commune_of(&registry, unit)?],
        None => registry.units().iter().filter(|u| is_commune(u)).collect(),
    };
    let stored = repo(app).commune_plans(year).await?;
    let mut out = Generated::default();
    let mut records = Vec::new();
    for u in communes {
        match stored.iter().find(|r| r.unit == u.id.as_str()) {
            Some(r) if r.status == CommunePlanStatus::Issued => {
                out.issued.push(u.name.clone());
                continue;
            }
            Some(r) if r.edited && !overwrite_edited => {
                out.kept_edited.push(u.name.clone());
                continue;
            }
            _ => {}
        }
        out.written.push(u.name.clone());
        records.push(CommunePlanRecord {
            year,
            unit: u.id.as_str().to_string(),
            parent: parent.clone(),
            status: CommunePlanStatus::Draft,
            imported: false,
            edited: false,
            plan: commune_plan::derive(&plan, &registry, u),
            issue: None,
            updated_by: s.user.username.clone(),
            updated_at: Utc::now(),
        });
    }
    if records.is_empty() {
        return Ok(out);
    }
    let audit = AuditDraft::new(
        &s.user.username,
        AuditAction::CommunePlanGenerate.as_str(),
        match only {
            Some(unit) => format!("commune_plan:{year}/{unit}"),
            None => format!("commune_plan:{year}"),
        },
        only,
    )
    .change(String::new(), out.written.join(", "));
    repo(app).put_commune_plans(&records, None, &audit).await?;
    Ok(out)
}

/// A commune's plan of the year, when the account may read its unit.
pub async fn get(app: &App, s: &Session, year: i32, unit: &str) -> R<Option<CommunePlanRecord>> {
    scope(
        app,
        s,
        unit,
        &format!("commune_plan:{year}/{unit}"),
        can_read(s, unit),
    )
    .await?;
    Ok(repo(app).commune_plan(year, unit).await?)
}

/// Only the commune's own reporter or head changes or issues its plan.
async fn check_commune_writer(app: &App, s: &Session, year: i32, unit: &str, what: &str) -> R<()> {
    let object = format!("commune_plan:{year}/{unit} {what}");
    scope(app, s, unit, &object, s.user.unit == unit).await?;
    if !matches!(s.user.role, Role::Reporter | Role::UnitHead) {
        denied(app, s, &object, Some(unit)).await;
        return Err(Error::forbidden(format!(
            "chỉ người báo cáo hoặc thủ trưởng của đơn vị «{unit}» được sửa, ban hành kế hoạch \
             của đơn vị; vai trò «{}» thì không",
            s.user.role.label_vi()
        )));
    }
    Ok(())
}

/// The commune's draft, refused when there is none or it is issued.
async fn draft_of(app: &App, year: i32, unit: &str) -> R<CommunePlanRecord> {
    let rec = repo(app).commune_plan(year, unit).await?.ok_or_else(|| {
        Error::not_found(format!(
            "chưa có dự thảo kế hoạch năm {year} của đơn vị «{unit}»: cơ quan thường trực lập \
             dự thảo trước"
        ))
    })?;
    if rec.status == CommunePlanStatus::Issued {
        return Err(Error::conflict(format!(
            "kế hoạch năm {year} của đơn vị «{unit}» đã ban hành, không sửa được nữa"
        )));
    }
    Ok(rec)
}

/// Sửa dự thảo: one change to a commune's draft.
#[derive(Debug, Clone)]
pub enum Edit {
    /// Bỏ hoạt động.
    Remove { key: String },
    /// Sửa kết quả, sản phẩm và thời gian hoàn thành of an activity.
    Change {
        key: String,
        outputs: String,
        deadline: String,
    },
    /// Thêm hoạt động của xã.
    Add {
        text: String,
        outputs: String,
        deadline: String,
    },
}

/// Applies one edit to the commune's draft (its reporter or head), audited.
pub async fn edit(app: &App, s: &Session, year: i32, unit: &str, e: Edit) -> R<()> {
    check_commune_writer(app, s, year, unit, "edit").await?;
    let mut rec = draft_of(app, year, unit).await?;
    let missing = |key: &str| {
        Error::invalid(format!(
            "Hoạt động: không có hoạt động «{key}» trong dự thảo"
        ))
    };
    let after = match &e {
        Edit::Remove { key } => {
            if !remove_activity(&mut rec.plan, key) {
                return Err(missing(key));
            }
            format!("bỏ {key}")
        }
        Edit::Change {
            key,
            outputs,
            deadline,
        } => {
            let deadline = parse_deadline(deadline, year)?;
            let a = activity_mut(&mut rec.plan, key).ok_or_else(|| missing(key))?;
            let outputs = cchc_domain::text::clean(outputs);
            a.outputs = (!outputs.is_empty()).then_some(outputs);
            a.deadline = Some(deadline);
            format!("sửa {key}")
        }
        Edit::Add {
            text,
            outputs,
            deadline,
        } => {
            if cchc_domain::text::clean(text).is_empty() {
                return Err(Error::invalid("Nội dung hoạt động: chưa nhập"));
            }
            let d = parse_deadline(deadline, year)?;
            let key = add_activity(&mut rec.plan, text, Some(outputs), &d.text);
            format!("thêm {key}")
        }
    };
    rec.edited = true;
    rec.updated_by = s.user.username.clone();
    rec.updated_at = Utc::now();
    let audit = AuditDraft::new(
        &s.user.username,
        AuditAction::CommunePlanEdit.as_str(),
        format!("commune_plan:{year}/{unit}"),
        Some(unit),
    )
    .change(String::new(), after);
    repo(app).put_commune_plans(&[rec], None, &audit).await?;
    Ok(())
}

/// A deadline the commune writes: any form the plan's own cells use; refused when none fits.
fn parse_deadline(text: &str, year: i32) -> R<Deadline> {
    Deadline::try_parse(text, year).ok_or_else(|| {
        Error::invalid(format!(
            "Thời gian hoàn thành: «{}» không đọc được; viết như «Trước 15/03/{year}», \
             «Quý II/{year}», «Tháng 6/{year}» hoặc «Thường xuyên»",
            cchc_domain::text::clean(text)
        ))
    })
}

/// Ngày ban hành as a form gives it: `2024-02-03` (a date field) or `03/02/2024`.
fn parse_issue_date(text: &str, today: NaiveDate) -> R<NaiveDate> {
    let t = text.trim();
    if t.is_empty() {
        return Err(Error::invalid("Ngày ban hành: chưa nhập"));
    }
    let date = NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y"))
        .map_err(|_| {
            Error::invalid(format!(
                "Ngày ban hành: «{t}» không phải ngày (viết như 03/02/2024)"
            ))
        })?;
    if date > today {
        return Err(Error::invalid(format!(
            "Ngày ban hành: {} là ngày trong tương lai",
            date.format("%d/%m/%Y")
        )));
    }
    Ok(date)
}

/// Ban hành: the commune's draft becomes its issued plan, with number, date and the signed
/// file (checked like evidence files), in one transaction; afterwards it is read-only.
pub async fn issue(
    app: &App,
    s: &Session,
    year: i32,
    unit: &str,
    number: &str,
    date: &str,
    file: Option<(&str, &[u8])>,
) -> R<()> {
    check_commune_writer(app, s, year, unit, "issue").await?;
    let mut rec = draft_of(app, year, unit).await?;
    let number = parse_issue_number(number).map_err(|m| Error::invalid(format!("Số hiệu: {m}")))?;
    let date = parse_issue_date(date, app.today())?;
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Err(Error::invalid(
            "Tệp kế hoạch đã ký: chưa chọn tệp (PDF, DOCX, XLSX, PNG hoặc JPEG)",
        ));
    };
    let (f, path) = crate::files::save_file(app, s, &year.to_string(), unit, name, bytes)?;
    rec.plan.decision.number = number.clone();
    rec.plan.decision.date = Some(date);
    rec.status = CommunePlanStatus::Issued;
    rec.issue = Some(PlanIssue {
        number: number.clone(),
        date,
        file_id: Some(f.id.clone()),
    });
    rec.updated_by = s.user.username.clone();
    rec.updated_at = Utc::now();
    let audit = AuditDraft::new(
        &s.user.username,
        AuditAction::CommunePlanIssue.as_str(),
        format!("commune_plan:{year}/{unit}"),
        Some(unit),
    )
    .change(
        String::new(),
        format!("{number} ngày {}, tệp {}", date.format("%d/%m/%Y"), f.name),
    );
    if let Err(e) = repo(app).put_commune_plans(&[rec], Some(&f), &audit).await {
        let _ = std::fs::remove_file(&path);
        return Err(e.into());
    }
    Ok(())
}

/// What importing a commune's decision text found.
#[derive(Debug, Clone)]
pub struct Imported {
    pub number: String,
    pub date: Option<NaiveDate>,
    /// Differences from the draft derived for the commune, in Vietnamese.
    pub differences: Vec<String>,
}

/// Nhập kế hoạch của xã từ văn bản: the commune's issued plan read by the decision reader,
/// linked to the district plan of its year and stored as issued (unless the commune issued
/// one already), with its differences from the derived draft. The standing office or the
/// commune's reporter or head may import.
pub async fn import(app: &App, s: &Session, year: i32, unit: &str, text: &str) -> R<Imported> {
    if s.user.role != Role::StandingOffice {
        check_commune_writer(app, s, year, unit, "import").await?;
    }
    let (id, district_plan, registry) = district(app, year).await?;
    let parent = parent_of(id, &district_plan);
    let commune = commune_of(&registry, unit)?.clone();
    let plan = cchc_ingest::decision::parse_decision(text, &registry)
        .map_err(|e| Error::invalid(format!("Văn bản kế hoạch của {}: {e}", commune.name)))?;
    if plan.year != year {
        return Err(Error::invalid(format!(
            "Văn bản kế hoạch của {}: kế hoạch năm {}, không phải năm {year}",
            commune.name, plan.year
        )));
    }
    let Some(date) = plan.decision.date else {
        return Err(Error::invalid(format!(
            "Văn bản kế hoạch của {}: không tìm thấy ngày ban hành («…, ngày … tháng … năm …»)",
            commune.name
        )));
    };
    let derived = commune_plan::derive(&district_plan, &registry, &commune);
    let differences = cchc_domain::diff::diff(&derived, &plan).describe_vi();
    let number = plan.decision.number.clone();
    let rec = CommunePlanRecord {
        year,
        unit: unit.to_string(),
        parent,
        status: CommunePlanStatus::Issued,
        imported: true,
        edited: false,
        plan,
        issue: Some(PlanIssue {
            number: number.clone(),
            date,
            file_id: None,
        }),
        updated_by: s.user.username.clone(),
        updated_at: Utc::now(),
    };
    let audit = AuditDraft::new(
        &s.user.username,
        AuditAction::CommunePlanImport.as_str(),
        format!("commune_plan:{year}/{unit}"),
        Some(unit),
    )
    .change(
        String::new(),
        format!("{number}; {} khác biệt", differences.len()),
    );
    repo(app).put_commune_plans(&[rec], None, &audit).await?;
    Ok(Imported {
        number,
        date: Some(date),
        differences,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_dates_are_checked_against_today() {
        let today = NaiveDate::from_ymd_opt(2024, 2, 10).unwrap();
        assert_eq!(
            parse_issue_date("2024-02-03", today).unwrap(),
            NaiveDate::from_ymd_opt(2024, 2, 3).unwrap()
        );
        assert_eq!(
            parse_issue_date("03/02/2024", today).unwrap(),
            NaiveDate::from_ymd_opt(2024, 2, 3).unwrap()
        );
        let future = parse_issue_date("2024-02-11", today).unwrap_err();
        assert!(future.message.contains("tương lai"), "{}", future.message);
        assert!(parse_issue_date("", today)
            .unwrap_err()
            .message
            .contains("chưa nhập"));
        assert!(parse_issue_date("31/02/2024", today).is_err());
    }
}
