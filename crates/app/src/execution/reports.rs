//! Kỳ báo cáo và báo cáo của đơn vị: periods, a unit's report, its transitions (save, submit,
//! approve, accept or return), versions, and evidence files.

use std::collections::{BTreeMap, HashMap};

use cchc_domain::execution::{
    report_activities, AuditAction, Involvement, ItemStatus, ReportAction, ReportContent,
    ReportItem, ReportState, Role,
};
use cchc_domain::{Period, UnitId};
use cchc_store::execution::{
    AuditDraft, FileRecord, PeriodRecord, ReportRecord, ReportWrite, Review,
};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{can_read, scope, Session};
use crate::plan::plan_for;
use crate::{App, Error, Result as R};

const APPROVAL_KEY: &str = "approval_required";

// ---------------------------------------------------------------------------------------------
// Periods and scope

pub async fn open_period(state: &App, s: &Session, code: &str, due: &str) -> R<PeriodRecord> {
    let period =
        Period::parse(code).map_err(|e| Error::invalid(format!("trường «period»: {e}")))?;
    let due_at = DateTime::parse_from_rfc3339(due.trim())
        .map(|d| d.with_timezone(&Utc))
        .or_else(|_| {
            // A form's datetime-local, read as Vietnam time.
            chrono::NaiveDateTime::parse_from_str(due.trim(), "%Y-%m-%dT%H:%M")
                .map(|n| n - chrono::Duration::hours(7))
                .map(|n| n.and_utc())
        })
        .map_err(|_| {
            Error::invalid(format!(
                "trường «due»: hạn nộp «{due}» không hợp lệ; dùng dạng 2024-06-20T17:00:00+07:00"
            ))
        })?;
    let p = PeriodRecord {
        code: period.to_string(),
        due_at,
        opened_by: s.user.username.clone(),
        opened_at: Utc::now(),
    };
    let after = serde_json::to_string(&p).unwrap_or_default();
    state
        .x()
        .open_period(
            &p,
            &AuditDraft::new(
                &s.user.username,
                AuditAction::PeriodOpen.as_str(),
                format!("period:{}", p.code),
                None,
            )
            .change(String::new(), after),
        )
        .await?;
    Ok(p)
}

pub async fn get_period(state: &App, code: &str) -> R<(PeriodRecord, Period)> {
    let p = Period::parse(code).map_err(Error::not_found)?;
    let rec = state
        .x()
        .get_period(&p.to_string())
        .await?
        .ok_or_else(|| Error::not_found(format!("kỳ báo cáo {code} chưa được mở")))?;
    Ok((rec, p))
}

// ---------------------------------------------------------------------------------------------
// Reports

/// One activity of a report, as shown.
#[derive(Debug, Clone, Serialize)]
pub struct ReportLine {
    pub activity: String,
    /// The activity's number as the decision writes it ("3.1").
    pub number: String,
    /// Where that number stands: "nhiệm vụ 2.1, mục II".
    pub context: String,
    pub text: String,
    pub deadline: Option<String>,
    pub involvement: Involvement,
    pub item: ReportItem,
}

/// A report as pages and API show it.
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    pub period: String,
    pub unit: String,
    pub unit_name: String,
    pub state: ReportState,
    pub version: i64,
    pub due_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub lines: Vec<ReportLine>,
    pub targets: Vec<cchc_domain::execution::TargetValue>,
    pub review: Option<Review>,
    pub approval_required: bool,
}

pub async fn approval_required(state: &App) -> R<bool> {
    Ok(state.x().get_setting(APPROVAL_KEY).await?.as_deref() == Some("true"))
}

pub async fn set_approval(state: &App, s: &Session, on: bool) -> R<()> {
    let before = approval_required(state).await?;
    state
        .x()
        .set_setting(
            APPROVAL_KEY,
            if on { "true" } else { "false" },
            &AuditDraft::new(
                &s.user.username,
                AuditAction::SettingApproval.as_str(),
                "setting:approval_required".into(),
                None,
            )
            .change(before.to_string(), on.to_string()),
        )
        .await?;
    Ok(())
}

pub async fn report(state: &App, s: &Session, period: &str, unit: &str) -> R<ReportView> {
    scope(
        state,
        s,
        unit,
        &format!("report:{period}/{unit}"),
        can_read(s, unit),
    )
    .await?;
    let (rec, p) = get_period(state, period).await?;
    let (_, plan, registry) = plan_for(state, Some(p.year())).await?;
    let unit_id = UnitId::parse(unit).map_err(Error::not_found)?;
    let unit_name = registry
        .get(&unit_id)
        .map(|u| u.name.clone())
        .ok_or_else(|| Error::not_found(format!("đơn vị «{unit}»")))?;
    let stored = state.x().get_report(&rec.code, unit).await?;
    let content = stored
        .as_ref()
        .map(|r| r.content.clone())
        .unwrap_or_default();
    let lines = report_activities(&plan, &registry, &unit_id, p)
        .into_iter()
        .map(|(a, inv)| ReportLine {
            activity: a.id.clone(),
            number: plan
                .activity(&a.id)
                .map_or_else(|| a.id.clone(), |c| c.number().to_string()),
            context: plan
                .activity(&a.id)
                .map(|c| c.context_vi())
                .unwrap_or_default(),
            text: a.text.clone(),
            deadline: a.deadline.as_ref().map(|d| d.text.clone()),
            involvement: inv,
            item: content
                .item(&a.id)
                .cloned()
                .unwrap_or_else(|| blank_item(&a.id)),
        })
        .collect();
    Ok(ReportView {
        period: rec.code.clone(),
        unit: unit.to_string(),
        unit_name,
        state: stored.as_ref().map_or(ReportState::Draft, |r| r.state),
        version: stored.as_ref().map_or(0, |r| r.version),
        due_at: rec.due_at,
        submitted_at: stored.as_ref().and_then(|r| r.submitted_at),
        lines,
        targets: content.targets.clone(),
        review: stored.and_then(|r| r.review),
        approval_required: approval_required(state).await?,
    })
}

fn blank_item(activity: &str) -> ReportItem {
    ReportItem {
        activity: activity.to_string(),
        status: ItemStatus::NotStarted,
        note: String::new(),
        evidence: vec![],
        difficulties: String::new(),
        proposals: String::new(),
    }
}

/// Applies `action` to the stored report (or a new draft) and writes it with `content`.
async fn transition(
    state: &App,
    s: &Session,
    view: &ReportView,
    action: ReportAction,
    expected_version: Option<i64>,
    content: ReportContent,
    review: Option<Review>,
) -> R<ReportView> {
    let approval = view.approval_required;
    let next = view
        .state
        .apply(action, approval)
        .map_err(|m| Error::conflict(m).with_code("IllegalTransition"))?;
    let expected = expected_version.unwrap_or(view.version);
    if expected != view.version {
        return Err(Error::conflict(format!("báo cáo kỳ {} của đơn vị {} vừa được người khác lưu (phiên bản {} thay vì {expected}); hãy tải lại trang để xem bản mới nhất rồi nhập lại thay đổi của mình", view.period, view.unit, view.version)));
    }
    let now = Utc::now();
    let before = serde_json::json!({"state": view.state, "version": view.version}).to_string();
    let rec = ReportRecord {
        period: view.period.clone(),
        unit: view.unit.clone(),
        state: next,
        version: expected + 1,
        content,
        review: review.or_else(|| view.review.clone()),
        submitted_at: match (action, view.submitted_at) {
            (ReportAction::Submit, None) => Some(now),
            (_, t) => t,
        },
        updated_at: now,
        updated_by: s.user.username.clone(),
    };
    let after = serde_json::json!({"state": next, "version": rec.version, "items": rec.content.items.len(), "review": rec.review}).to_string();
    let audit = AuditDraft::new(
        &s.user.username,
        AuditAction::Report(action).as_str(),
        format!("report:{}/{}", view.period, view.unit),
        Some(&view.unit),
    )
    .change(before, after);
    let write = ReportWrite {
        report: &rec,
        expected_version: expected,
        keep_version: action != ReportAction::Save,
    };
    state.x().put_report(&write, &audit).await?;
    report(state, s, &view.period, &view.unit).await
}

/// The report of `unit` for an action that only its own `role` may take (`what` names the
/// action in the log and audit of a refusal).
async fn own_unit_report(
    state: &App,
    s: &Session,
    period: &str,
    unit: &str,
    role: Role,
    what: &str,
) -> R<ReportView> {
    let allowed = s.user.role == role && s.user.unit == unit;
    let object = format!("report:{period}/{unit} {what}");
    scope(state, s, unit, &object, allowed).await?;
    report(state, s, period, unit).await
}

/// Lưu bản nháp: only the unit's reporter, only activities of the report, only its files.
pub async fn save_report(
    state: &App,
    s: &Session,
    period: &str,
    unit: &str,
    version: i64,
    content: ReportContent,
) -> R<ReportView> {
    let view = own_unit_report(state, s, period, unit, Role::Reporter, "save").await?;
    let allowed: HashMap<&str, ()> = view
        .lines
        .iter()
        .map(|l| (l.activity.as_str(), ()))
        .collect();
    for (i, item) in content.items.iter().enumerate() {
        if !allowed.contains_key(item.activity.as_str()) {
            return Err(Error::invalid(format!(
                "dòng {} («items[{i}]»): hoạt động «{}» không thuộc báo cáo kỳ {} của đơn vị này",
                i + 1,
                item.activity,
                view.period
            )));
        }
        for ev in &item.evidence {
            for f in &ev.files {
                let rec = state.x().get_file(f).await?;
                if !rec.is_some_and(|r| r.unit == unit && r.period == view.period) {
                    return Err(Error::invalid(format!(
                        "hoạt động «{}»: tệp kiểm chứng «{f}» không thuộc báo cáo này",
                        item.activity
                    )));
                }
            }
        }
    }
    transition(
        state,
        s,
        &view,
        ReportAction::Save,
        Some(version),
        content,
        None,
    )
    .await
}

fn stored_content(view: &ReportView) -> ReportContent {
    ReportContent {
        items: view.lines.iter().map(|l| l.item.clone()).collect(),
        targets: view.targets.clone(),
    }
}

pub async fn submit_report(
    state: &App,
    s: &Session,
    period: &str,
    unit: &str,
    version: Option<i64>,
) -> R<ReportView> {
    let view = own_unit_report(state, s, period, unit, Role::Reporter, "submit").await?;
    let content = stored_content(&view);
    transition(
        state,
        s,
        &view,
        ReportAction::Submit,
        version,
        content,
        None,
    )
    .await
}

pub async fn approve_report(state: &App, s: &Session, period: &str, unit: &str) -> R<ReportView> {
    let view = own_unit_report(state, s, period, unit, Role::UnitHead, "approve").await?;
    let review = Review {
        decision: "approve".into(),
        comment: String::new(),
        items: BTreeMap::new(),
        by: s.user.username.clone(),
        at: Some(Utc::now()),
    };
    let content = stored_content(&view);
    transition(
        state,
        s,
        &view,
        ReportAction::Approve,
        None,
        content,
        Some(review),
    )
    .await
}

/// Thẩm định: accept, or return with a comment on each item that needs work.
pub async fn review_report(
    state: &App,
    s: &Session,
    period: &str,
    unit: &str,
    decision: &str,
    comment: &str,
    items: BTreeMap<String, String>,
) -> R<ReportView> {
    let action = match decision {
        "accept" => ReportAction::Accept,
        "return" => ReportAction::Return,
        other => {
            return Err(Error::invalid(format!(
                "trường «decision»: «{other}» không hợp lệ; dùng «accept» hoặc «return»"
            )))
        }
    };
    let view = report(state, s, period, unit).await?;
    if action == ReportAction::Return
        && comment.trim().is_empty()
        && items.values().all(|c| c.trim().is_empty())
    {
        return Err(Error::invalid(
            "trả lại báo cáo cần có ý kiến: nêu chung hoặc cho từng hoạt động cần bổ sung",
        ));
    }
    let keys: Vec<&str> = view.lines.iter().map(|l| l.activity.as_str()).collect();
    if let Some(k) = items.keys().find(|k| !keys.contains(&k.as_str())) {
        return Err(Error::invalid(format!(
            "trường «items»: hoạt động «{k}» không thuộc báo cáo này"
        )));
    }
    let items = items
        .into_iter()
        .filter(|(_, c)| !c.trim().is_empty())
        .collect();
    let review = Review {
        decision: decision.into(),
        comment: comment.trim().into(),
        items,
        by: s.user.username.clone(),
        at: Some(Utc::now()),
    };
    let content = stored_content(&view);
    transition(state, s, &view, action, None, content, Some(review)).await
}

pub async fn report_versions(
    state: &App,
    s: &Session,
    period: &str,
    unit: &str,
) -> R<Vec<cchc_store::execution::ReportVersion>> {
    scope(
        state,
        s,
        unit,
        &format!("report:{period}/{unit} versions"),
        can_read(s, unit),
    )
    .await?;
    Ok(state.x().list_report_versions(period, unit).await?)
}

// ---------------------------------------------------------------------------------------------
// Files

/// A file's record, when the account may read its unit (for showing names on pages).
pub async fn file_info(state: &App, s: &Session, id: &str) -> R<Option<FileRecord>> {
    let valid = id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit());
    if !valid {
        return Ok(None);
    }
    Ok(state
        .x()
        .get_file(id)
        .await?
        .filter(|f| can_read(s, &f.unit)))
}

/// Kỳ báo cáo: every opened period.
pub async fn periods(state: &App) -> R<Vec<PeriodRecord>> {
    Ok(state.x().list_periods().await?)
}

pub async fn upload(
    state: &App,
    s: &Session,
    period: &str,
    unit: &str,
    name: &str,
    bytes: &[u8],
) -> R<FileRecord> {
    let ok = s.user.role == Role::Reporter && s.user.unit == unit;
    scope(state, s, unit, &format!("file upload {period}/{unit}"), ok).await?;
    let (rec, _) = get_period(state, period).await?;
    crate::files::store_file(state, s, &rec.code, unit, name, bytes).await
}

pub async fn download(state: &App, s: &Session, id: &str) -> R<(FileRecord, Vec<u8>)> {
    let valid = id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit());
    let f = match valid {
        true => state.x().get_file(id).await?,
        false => None,
    }
    .ok_or_else(|| Error::not_found("tệp kiểm chứng"))?;
    scope(
        state,
        s,
        &f.unit,
        &format!("file:{id}"),
        can_read(s, &f.unit),
    )
    .await?;
    let bytes = std::fs::read(state.settings.files_dir.join(&f.id))
        .map_err(|e| crate::files::io_error("đọc tệp", e))?;
    Ok((f, bytes))
}
