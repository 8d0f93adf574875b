//! Nghiệp vụ — the operations that pages and API both call, with every scope check. Handlers
//! stay thin: parse, call one function here, render.

use std::collections::{BTreeMap, HashMap};

use cchc_domain::execution::{
    due_in, due_soon, involvement, is_overdue, report_activities, sha256_hex, FileKind,
    Involvement, ItemStatus, ReportAction, ReportContent, ReportItem, ReportState, Role,
};
use cchc_domain::{Deadline, Period, Plan, Registry, UnitId};
use cchc_store::execution::{
    AuditDraft, AuditFilter, FileRecord, NewUser, PeriodRecord, ReportRecord, ReportWrite, Review,
    User,
};
use cchc_store::PlanId;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::auth::{self, Session};
use super::{AppState, ExecError};

type R<T> = Result<T, ExecError>;

/// Today in Vietnam (UTC+7), the reference of "overdue".
pub fn today() -> NaiveDate {
    let vietnam = chrono::FixedOffset::east_opt(7 * 3600).expect("a valid offset");
    Utc::now().with_timezone(&vietnam).date_naive()
}

const APPROVAL_KEY: &str = "approval_required";

// ---------------------------------------------------------------------------------------------
// Sign-in

/// Đăng nhập: checks throttling, then the password; on success a new session (a new id every
/// time: rotation at login). Returns the cookie token and the CSRF token.
pub async fn login(
    state: &AppState,
    username: &str,
    password: &str,
    addr: &str,
) -> R<(String, String, User)> {
    let x = state.x()?;
    let since =
        Utc::now() - chrono::Duration::from_std(state.settings.throttle_window).unwrap_or_default();
    let user_key = format!("user:{username}");
    let addr_key = format!("addr:{addr}");
    if x.count_login_failures(&user_key, since).await? >= state.settings.max_failures_per_account
        || x.count_login_failures(&addr_key, since).await?
            >= state.settings.max_failures_per_address
    {
        tracing::warn!(username, "login throttled");
        return Err(ExecError::new(
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            "Throttled",
            "đăng nhập sai quá nhiều lần; hãy đợi 15 phút rồi thử lại",
        ));
    }
    let user = x.find_user(username).await?;
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    let pw = password.to_string();
    // Verify even for an unknown name, so that timing does not tell which names exist.
    let ok = tokio::task::spawn_blocking(move || match hash {
        Some(h) => auth::verify_password(&pw, &h),
        None => {
            let _ = auth::verify_password(&pw, DUMMY_HASH);
            false
        }
    })
    .await
    .unwrap_or(false);
    match user {
        Some(u) if ok && !u.disabled => {
            x.clear_login_failures(&user_key).await?;
            let token = auth::random_token();
            let csrf = auth::random_token();
            x.create_session(&sha256_hex(token.as_bytes()), u.id, &csrf, Utc::now())
                .await?;
            x.append_audit(&AuditDraft::new(
                &u.username,
                "login",
                format!("user:{}", u.username),
                Some(&u.unit),
            ))
            .await?;
            Ok((token, csrf, u))
        }
        _ => {
            x.record_login_failure(&[user_key, addr_key], Utc::now())
                .await?;
            x.append_audit(&AuditDraft::new(
                username,
                "login.failed",
                format!("user:{username}"),
                None,
            ))
            .await?;
            tracing::info!(username, "failed login");
            Err(ExecError::new(
                axum::http::StatusCode::UNAUTHORIZED,
                "InvalidUsernameOrPassword",
                "tên đăng nhập hoặc mật khẩu không đúng",
            ))
        }
    }
}

/// An Argon2id hash of a random string, verified against when the name is unknown.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0hc7bJpKqvZ8dUQ1Nh8L3WgS5cM8e7Z7pX6xUOv9T1c";

pub async fn logout(state: &AppState, s: &Session) -> R<()> {
    let x = state.x()?;
    x.delete_session(&s.token_hash).await?;
    x.append_audit(&AuditDraft::new(
        &s.user.username,
        "logout",
        format!("user:{}", s.user.username),
        Some(&s.user.unit),
    ))
    .await?;
    Ok(())
}

pub async fn change_password(state: &AppState, s: &Session, old: &str, new: &str) -> R<()> {
    let x = state.x()?;
    let user = x
        .find_user(&s.user.username)
        .await?
        .ok_or_else(|| ExecError::not_found("tài khoản"))?;
    if !auth::verify_password(old, &user.password_hash) {
        return Err(ExecError::new(
            axum::http::StatusCode::UNAUTHORIZED,
            "InvalidUsernameOrPassword",
            "mật khẩu hiện tại không đúng",
        ));
    }
    auth::check_new_password(new)?;
    let hash = hash_blocking(new).await?;
    x.set_password(
        &user.username,
        &hash,
        &AuditDraft::new(
            &user.username,
            "user.passwd",
            format!("user:{}", user.username),
            Some(&user.unit),
        ),
    )
    .await?;
    Ok(())
}

pub async fn hash_blocking(password: &str) -> R<String> {
    let pw = password.to_string();
    tokio::task::spawn_blocking(move || auth::hash_password(&pw))
        .await
        .map_err(|_| ExecError::invalid("không mã hóa được mật khẩu"))?
}

// ---------------------------------------------------------------------------------------------
// Accounts

/// Thêm tài khoản (administrator or standing office; CLI uses `actor = "cli"`).
pub async fn add_user(
    state: &AppState,
    actor: &str,
    username: &str,
    unit: &str,
    role: Role,
    password: &str,
    demo: bool,
) -> R<User> {
    let x = state.x()?;
    let username = username.trim();
    if username.is_empty()
        || username.len() > 64
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        return Err(ExecError::invalid(format!("tên đăng nhập «{username}» không hợp lệ; chỉ dùng chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới")));
    }
    let registry = Registry::new(state.store.list_units().await?);
    let unit_id = UnitId::parse(unit).map_err(ExecError::invalid)?;
    if registry.get(&unit_id).is_none() {
        return Err(ExecError::invalid(format!(
            "đơn vị «{unit}» không có trong danh mục đơn vị"
        )));
    }
    auth::check_new_password(password)?;
    let hash = hash_blocking(password).await?;
    let after = serde_json::json!({"username": username, "unit": unit, "role": role}).to_string();
    let audit = AuditDraft::new(actor, "user.add", format!("user:{username}"), Some(unit))
        .change(String::new(), after);
    Ok(x.create_user(
        &NewUser {
            username,
            unit,
            role,
            password_hash: &hash,
            demo,
        },
        &audit,
    )
    .await?)
}

pub async fn set_password(state: &AppState, actor: &str, username: &str, password: &str) -> R<()> {
    auth::check_new_password(password)?;
    let hash = hash_blocking(password).await?;
    state
        .x()?
        .set_password(
            username,
            &hash,
            &AuditDraft::new(actor, "user.passwd", format!("user:{username}"), None),
        )
        .await?;
    Ok(())
}

pub async fn disable_user(state: &AppState, actor: &str, username: &str) -> R<()> {
    let audit = AuditDraft::new(actor, "user.disable", format!("user:{username}"), None)
        .change("{\"disabled\":false}".into(), "{\"disabled\":true}".into());
    state.x()?.set_disabled(username, true, &audit).await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Periods and scope

pub async fn open_period(state: &AppState, s: &Session, code: &str, due: &str) -> R<PeriodRecord> {
    let period =
        Period::parse(code).map_err(|e| ExecError::invalid(format!("trường «period»: {e}")))?;
    let due_at = DateTime::parse_from_rfc3339(due.trim())
        .map(|d| d.with_timezone(&Utc))
        .or_else(|_| {
            // A form's datetime-local, read as Vietnam time.
            chrono::NaiveDateTime::parse_from_str(due.trim(), "%Y-%m-%dT%H:%M")
                .map(|n| n - chrono::Duration::hours(7))
                .map(|n| n.and_utc())
        })
        .map_err(|_| {
            ExecError::invalid(format!(
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
        .x()?
        .open_period(
            &p,
            &AuditDraft::new(
                &s.user.username,
                "period.open",
                format!("period:{}", p.code),
                None,
            )
            .change(String::new(), after),
        )
        .await?;
    Ok(p)
}

pub async fn get_period(state: &AppState, code: &str) -> R<(PeriodRecord, Period)> {
    let p = Period::parse(code).map_err(ExecError::not_found)?;
    let rec = state
        .x()?
        .get_period(&p.to_string())
        .await?
        .ok_or_else(|| ExecError::not_found(format!("kỳ báo cáo {code} chưa được mở")))?;
    Ok((rec, p))
}

/// The plan of the period's year (else the latest) and the registry.
pub async fn plan_for(state: &AppState, year: Option<i32>) -> R<(PlanId, Plan, Registry)> {
    let plans = state.store.list_plans().await?;
    let chosen = year
        .and_then(|y| plans.iter().rev().find(|p| p.year == y))
        .or(plans.last())
        .ok_or_else(|| ExecError::not_found("chưa có kế hoạch nào"))?;
    let plan = state
        .store
        .get_plan(chosen.id)
        .await?
        .ok_or_else(|| ExecError::not_found("kế hoạch"))?;
    let registry = Registry::new(state.store.list_units().await?);
    Ok((chosen.id, plan, registry))
}

/// Whether the account may read the unit's records.
pub fn can_read(s: &Session, unit: &str) -> bool {
    s.user.role.sees_all() || s.user.unit == unit
}

/// Refuses, logs and audits an out-of-scope access.
async fn scope(state: &AppState, s: &Session, unit: &str, what: &str, allowed: bool) -> R<()> {
    if allowed {
        return Ok(());
    }
    auth::denied(state, s, what, Some(unit)).await;
    Err(ExecError::forbidden(format!(
        "tài khoản «{}» của đơn vị «{}» không được truy cập dữ liệu của đơn vị «{unit}»",
        s.user.username, s.user.unit
    )))
}

// ---------------------------------------------------------------------------------------------
// Reports

/// One activity of a report, as shown.
#[derive(Debug, Clone, Serialize)]
pub struct ReportLine {
    pub activity: String,
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

pub async fn approval_required(state: &AppState) -> R<bool> {
    Ok(state.x()?.get_setting(APPROVAL_KEY).await?.as_deref() == Some("true"))
}

pub async fn set_approval(state: &AppState, s: &Session, on: bool) -> R<()> {
    let before = approval_required(state).await?;
    state
        .x()?
        .set_setting(
            APPROVAL_KEY,
            if on { "true" } else { "false" },
            &AuditDraft::new(
                &s.user.username,
                "setting.approval",
                "setting:approval_required".into(),
                None,
            )
            .change(before.to_string(), on.to_string()),
        )
        .await?;
    Ok(())
}

pub async fn report(state: &AppState, s: &Session, period: &str, unit: &str) -> R<ReportView> {
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
    let unit_id = UnitId::parse(unit).map_err(ExecError::not_found)?;
    let unit_name = registry
        .get(&unit_id)
        .map(|u| u.name.clone())
        .ok_or_else(|| ExecError::not_found(format!("đơn vị «{unit}»")))?;
    let stored = state.x()?.get_report(&rec.code, unit).await?;
    let content = stored
        .as_ref()
        .map(|r| r.content.clone())
        .unwrap_or_default();
    let lines = report_activities(&plan, &registry, &unit_id, p)
        .into_iter()
        .map(|(a, inv)| ReportLine {
            activity: a.id.clone(),
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
    state: &AppState,
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
        .map_err(|m| ExecError::conflict(m).with_code("IllegalTransition"))?;
    let expected = expected_version.unwrap_or(view.version);
    if expected != view.version {
        return Err(ExecError::conflict(format!("báo cáo kỳ {} của đơn vị {} vừa được người khác lưu (phiên bản {} thay vì {expected}); hãy tải lại trang để xem bản mới nhất rồi nhập lại thay đổi của mình", view.period, view.unit, view.version)));
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
        &format!("report.{}", action.as_str()),
        format!("report:{}/{}", view.period, view.unit),
        Some(&view.unit),
    )
    .change(before, after);
    let write = ReportWrite {
        report: &rec,
        expected_version: expected,
        keep_version: action != ReportAction::Save,
    };
    state.x()?.put_report(&write, &audit).await?;
    report(state, s, &view.period, &view.unit).await
}

impl ExecError {
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }
}

/// The report of `unit` for an action that only its own `role` may take (`what` names the
/// action in the log and audit of a refusal).
async fn own_unit_report(
    state: &AppState,
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
    state: &AppState,
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
            return Err(ExecError::invalid(format!(
                "dòng {} («items[{i}]»): hoạt động «{}» không thuộc báo cáo kỳ {} của đơn vị này",
                i + 1,
                item.activity,
                view.period
            )));
        }
        for ev in &item.evidence {
            for f in &ev.files {
                let rec = state.x()?.get_file(f).await?;
                if !rec.is_some_and(|r| r.unit == unit && r.period == view.period) {
                    return Err(ExecError::invalid(format!(
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
    state: &AppState,
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

pub async fn approve_report(
    state: &AppState,
    s: &Session,
    period: &str,
    unit: &str,
) -> R<ReportView> {
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
    state: &AppState,
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
            return Err(ExecError::invalid(format!(
                "trường «decision»: «{other}» không hợp lệ; dùng «accept» hoặc «return»"
            )))
        }
    };
    let view = report(state, s, period, unit).await?;
    if action == ReportAction::Return
        && comment.trim().is_empty()
        && items.values().all(|c| c.trim().is_empty())
    {
        return Err(ExecError::invalid(
            "trả lại báo cáo cần có ý kiến: nêu chung hoặc cho từng hoạt động cần bổ sung",
        ));
    }
    let keys: Vec<&str> = view.lines.iter().map(|l| l.activity.as_str()).collect();
    if let Some(k) = items.keys().find(|k| !keys.contains(&k.as_str())) {
        return Err(ExecError::invalid(format!(
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
    state: &AppState,
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
    Ok(state.x()?.list_report_versions(period, unit).await?)
}

// ---------------------------------------------------------------------------------------------
// Files

/// A file's record, when the account may read its unit (for showing names on pages).
pub async fn file_info(state: &AppState, s: &Session, id: &str) -> R<Option<FileRecord>> {
    let valid = id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit());
    if !valid {
        return Ok(None);
    }
    Ok(state
        .x()?
        .get_file(id)
        .await?
        .filter(|f| can_read(s, &f.unit)))
}

/// Tài khoản: every account.
pub async fn users(state: &AppState) -> R<Vec<User>> {
    Ok(state.x()?.list_users().await?)
}

/// Quá hạn as a signed-in account may see it: its own unit unless it sees every unit.
pub async fn overdue_for(state: &AppState, s: &Session, unit: Option<&str>) -> R<Vec<OverdueLine>> {
    let unit = match (s.user.role.sees_all(), unit) {
        (true, u) => u.map(str::to_string),
        (false, Some(u)) if u != s.user.unit => {
            scope(state, s, u, &format!("overdue:{u}"), false).await?;
            None
        }
        (false, _) => Some(s.user.unit.clone()),
    };
    overdue(state, unit.as_deref(), today()).await
}

/// Kỳ báo cáo: every opened period.
pub async fn periods(state: &AppState) -> R<Vec<PeriodRecord>> {
    Ok(state.x()?.list_periods().await?)
}

pub async fn upload(
    state: &AppState,
    s: &Session,
    period: &str,
    unit: &str,
    name: &str,
    bytes: &[u8],
) -> R<FileRecord> {
    let ok = s.user.role == Role::Reporter && s.user.unit == unit;
    scope(state, s, unit, &format!("file upload {period}/{unit}"), ok).await?;
    let (rec, _) = get_period(state, period).await?;
    if bytes.len() > state.settings.max_upload_bytes {
        return Err(ExecError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "TooLarge",
            format!(
                "tệp «{name}» lớn hơn giới hạn {} MB",
                state.settings.max_upload_bytes / (1024 * 1024)
            ),
        ));
    }
    let kind = FileKind::sniff(bytes).ok_or_else(|| ExecError::new(axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE, "FileType", format!("tệp «{name}» không phải PDF, DOCX, XLSX, PNG hoặc JPEG (kiểm tra theo nội dung tệp)")))?;
    let id = auth::random_token();
    std::fs::create_dir_all(&state.settings.files_dir)
        .map_err(|e| io_error("tạo thư mục lưu tệp", e))?;
    let path = state.settings.files_dir.join(&id);
    let tmp = state.settings.files_dir.join(format!("{id}.part"));
    std::fs::write(&tmp, bytes)
        .and_then(|_| std::fs::rename(&tmp, &path))
        .map_err(|e| io_error("ghi tệp", e))?;
    let clean: String = name
        .chars()
        .filter(|c| !c.is_control() && !"/\\".contains(*c))
        .take(200)
        .collect();
    let f = FileRecord {
        id,
        period: rec.code,
        unit: unit.into(),
        name: clean,
        kind: kind.as_str().into(),
        size: bytes.len() as i64,
        sha256: sha256_hex(bytes),
        uploaded_by: s.user.username.clone(),
        uploaded_at: Utc::now(),
    };
    let after = serde_json::to_string(&f).unwrap_or_default();
    if let Err(e) = state
        .x()?
        .insert_file(
            &f,
            &AuditDraft::new(
                &s.user.username,
                "file.upload",
                format!("file:{}", f.id),
                Some(unit),
            )
            .change(String::new(), after),
        )
        .await
    {
        let _ = std::fs::remove_file(&path);
        return Err(e.into());
    }
    Ok(f)
}

fn io_error(what: &str, e: std::io::Error) -> ExecError {
    tracing::error!(error = %e, what, "file storage error");
    ExecError::new(
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        "ServerError",
        format!("lỗi máy chủ khi {what}"),
    )
}

pub async fn download(state: &AppState, s: &Session, id: &str) -> R<(FileRecord, Vec<u8>)> {
    let valid = id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit());
    let f = match valid {
        true => state.x()?.get_file(id).await?,
        false => None,
    }
    .ok_or_else(|| ExecError::not_found("tệp kiểm chứng"))?;
    scope(
        state,
        s,
        &f.unit,
        &format!("file:{id}"),
        can_read(s, &f.unit),
    )
    .await?;
    let bytes =
        std::fs::read(state.settings.files_dir.join(&f.id)).map_err(|e| io_error("đọc tệp", e))?;
    Ok((f, bytes))
}

// ---------------------------------------------------------------------------------------------
// Board, overdue, dashboard

/// One unit's line on the review board.
#[derive(Debug, Clone, Serialize)]
pub struct BoardLine {
    pub unit: String,
    pub unit_name: String,
    pub activities: usize,
    pub state: Option<ReportState>,
    pub version: i64,
    pub submitted_at: Option<DateTime<Utc>>,
    /// `on_time`, `late` or `missing`.
    pub timeliness: &'static str,
}

/// The period's stored reports, by unit.
async fn reports_by_unit(state: &AppState, period: &str) -> R<HashMap<String, ReportRecord>> {
    Ok(state
        .x()?
        .list_reports(Some(period))
        .await?
        .into_iter()
        .map(|r| (r.unit.clone(), r))
        .collect())
}

/// Bảng theo dõi — every unit that has something to report in the period.
pub async fn board(state: &AppState, period: &str) -> R<(PeriodRecord, Vec<BoardLine>)> {
    let (rec, p) = get_period(state, period).await?;
    let (_, plan, registry) = plan_for(state, Some(p.year())).await?;
    let reports = reports_by_unit(state, &rec.code).await?;
    let lines = registry
        .units()
        .iter()
        .filter_map(|u| {
            let n = report_activities(&plan, &registry, &u.id, p).len();
            (n > 0).then(|| {
                let r = reports.get(u.id.as_str());
                let submitted_at = r.and_then(|r| r.submitted_at);
                let timeliness = match (r.map(|r| r.state), submitted_at) {
                    (Some(st), Some(t)) if st != ReportState::Draft => {
                        if t <= rec.due_at {
                            "on_time"
                        } else {
                            "late"
                        }
                    }
                    _ => "missing",
                };
                BoardLine {
                    unit: u.id.to_string(),
                    unit_name: u.name.clone(),
                    activities: n,
                    state: r.map(|r| r.state),
                    version: r.map_or(0, |r| r.version),
                    submitted_at,
                    timeliness,
                }
            })
        })
        .collect();
    Ok((rec, lines))
}

/// One overdue activity of one unit.
#[derive(Debug, Clone, Serialize)]
pub struct OverdueLine {
    pub unit: String,
    pub unit_name: String,
    pub area: u32,
    pub activity: String,
    pub text: String,
    pub deadline: String,
    pub status: Option<ItemStatus>,
}

/// The latest reported status of every (unit, activity).
async fn latest_statuses(state: &AppState) -> R<HashMap<(String, String), ItemStatus>> {
    let mut reports = state.x()?.list_reports(None).await?;
    reports.sort_by_key(|r| r.updated_at);
    let mut out = HashMap::new();
    for r in reports {
        for i in r.content.items {
            out.insert((r.unit.clone(), i.activity), i.status);
        }
    }
    Ok(out)
}

/// Quá hạn: dated activities past their end that the lead unit has not reported done;
/// `unit` narrows to one unit (and includes what it coordinates).
pub async fn overdue(
    state: &AppState,
    unit: Option<&str>,
    today: NaiveDate,
) -> R<Vec<OverdueLine>> {
    let (_, plan, registry) = plan_for(state, None).await?;
    let statuses = latest_statuses(state).await?;
    let mut out = Vec::new();
    for c in plan.activities() {
        let a = c.activity;
        if !a.deadline.as_ref().is_some_and(|d| d.is_past(today)) {
            continue;
        }
        for u in registry.units() {
            let inv = involvement(a, &u.id, &registry);
            let take = match unit {
                Some(x) => x == u.id.as_str() && inv.is_some(),
                None => inv == Some(Involvement::Lead),
            };
            if !take {
                continue;
            }
            let status = statuses.get(&(u.id.to_string(), a.id.clone())).copied();
            if is_overdue(a.deadline.as_ref(), status, today) {
                out.push(OverdueLine {
                    unit: u.id.to_string(),
                    unit_name: u.name.clone(),
                    area: plan.section_area(&c.section.code).unwrap_or(0),
                    activity: a.id.clone(),
                    text: a.text.clone(),
                    deadline: a
                        .deadline
                        .as_ref()
                        .map(|d| d.text.clone())
                        .unwrap_or_default(),
                    status,
                });
            }
        }
    }
    Ok(out)
}

/// What falls due for a unit in the next `days` days.
pub async fn due_soon_for(
    state: &AppState,
    unit: &str,
    today: NaiveDate,
    days: i64,
) -> R<Vec<(String, String, Deadline)>> {
    let (_, plan, registry) = plan_for(state, None).await?;
    let uid = UnitId::parse(unit).map_err(ExecError::not_found)?;
    Ok(plan
        .activities()
        .filter(|c| {
            due_soon(c.activity.deadline.as_ref(), today, days)
                && involvement(c.activity, &uid, &registry).is_some()
        })
        .map(|c| {
            (
                c.activity.id.clone(),
                c.activity.text.clone(),
                c.activity.deadline.clone().unwrap(),
            )
        })
        .collect())
}

/// A count with the records behind it.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Tally {
    pub done: usize,
    pub total: usize,
}

impl Tally {
    pub fn percent(&self) -> u32 {
        (self.done * 100).checked_div(self.total).unwrap_or(0) as u32
    }
}

/// Tổng quan của một kỳ.
#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub period: String,
    pub by_area: BTreeMap<u32, (String, Tally)>,
    pub by_unit: Vec<(String, String, Tally)>,
    pub units_expected: usize,
    pub submitted: usize,
    pub on_time: usize,
    pub late: usize,
    pub overdue: usize,
}

pub async fn dashboard(state: &AppState, period: &str) -> R<Dashboard> {
    let (rec, lines) = board(state, period).await?;
    let p = Period::parse(&rec.code).map_err(ExecError::invalid)?;
    let (_, plan, registry) = plan_for(state, Some(p.year())).await?;
    let reports = reports_by_unit(state, &rec.code).await?;
    let mut by_area: BTreeMap<u32, (String, Tally)> = BTreeMap::new();
    let mut by_unit = Vec::new();
    for l in &lines {
        let uid = UnitId::parse(&l.unit).map_err(ExecError::invalid)?;
        let mut t = Tally::default();
        for c in plan
            .activities()
            .filter(|c| due_in(c.activity.deadline.as_ref(), p))
        {
            if involvement(c.activity, &uid, &registry) != Some(Involvement::Lead)
                && involvement(c.activity, &uid, &registry).is_none()
            {
                continue;
            }
            let done = reports
                .get(&l.unit)
                .and_then(|r| r.content.item(&c.activity.id))
                .is_some_and(|i| i.status.is_done());
            let area = plan.section_area(&c.section.code).unwrap_or(0);
            let e = by_area.entry(area).or_insert_with(|| {
                (
                    plan.area_title(area).unwrap_or("").to_string(),
                    Tally::default(),
                )
            });
            e.1.total += 1;
            t.total += 1;
            if done {
                e.1.done += 1;
                t.done += 1;
            }
        }
        by_unit.push((l.unit.clone(), l.unit_name.clone(), t));
    }
    let submitted = lines.iter().filter(|l| l.timeliness != "missing").count();
    Ok(Dashboard {
        period: rec.code,
        by_area,
        by_unit,
        units_expected: lines.len(),
        submitted,
        on_time: lines.iter().filter(|l| l.timeliness == "on_time").count(),
        late: lines.iter().filter(|l| l.timeliness == "late").count(),
        overdue: overdue(state, None, today()).await?.len(),
    })
}

pub async fn audit(
    state: &AppState,
    filter: &AuditFilter,
) -> R<Vec<cchc_domain::execution::AuditEntry>> {
    Ok(state.x()?.list_audit(filter).await?)
}
