//! Execution (tổ chức thực hiện): roles, report states and their transitions, item statuses,
//! which activities a unit reports on for a period, overdue, upload types and the audit chain.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::plan::{Activity, Plan, RefTarget};
use crate::{Deadline, DeadlineKind, Period, Registry, UnitId};

/// Vai trò — what an account may do. Every account belongs to one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Quản trị hệ thống.
    Admin,
    /// Cơ quan thường trực CCHC (Phòng Nội vụ): periods, accounts, review; sees everything.
    StandingOffice,
    /// Người báo cáo của đơn vị: edits and submits its unit's reports.
    Reporter,
    /// Thủ trưởng đơn vị: approves the unit's report when the approval step is on.
    UnitHead,
    /// Lãnh đạo huyện: sees everything, changes nothing.
    Leader,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::StandingOffice,
        Role::Reporter,
        Role::UnitHead,
        Role::Leader,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::StandingOffice => "standing_office",
            Role::Reporter => "reporter",
            Role::UnitHead => "unit_head",
            Role::Leader => "leader",
        }
    }

    /// Parses `admin`, `standing_office`, `reporter`, `unit_head` or `leader`.
    pub fn parse(s: &str) -> Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| {
                format!(
                    "vai trò «{s}» không hợp lệ; dùng một trong: admin, standing_office, \
                     reporter, unit_head, leader"
                )
            })
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Role::Admin => "Quản trị hệ thống",
            Role::StandingOffice => "Cơ quan thường trực CCHC",
            Role::Reporter => "Người báo cáo",
            Role::UnitHead => "Thủ trưởng đơn vị",
            Role::Leader => "Lãnh đạo",
        }
    }

    /// Whether the role reads every unit's reports (not only its own unit's).
    pub fn sees_all(self) -> bool {
        matches!(self, Role::Admin | Role::StandingOffice | Role::Leader)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Trạng thái báo cáo — where a unit's report for a period stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportState {
    /// Bản nháp.
    Draft,
    /// Đã gửi.
    Submitted,
    /// Thủ trưởng đã duyệt.
    Approved,
    /// Bị trả lại, yêu cầu bổ sung.
    Returned,
    /// Đã tiếp nhận.
    Accepted,
}

/// What someone does to a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportAction {
    Save,
    Submit,
    Approve,
    Accept,
    Return,
}

impl ReportAction {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportAction::Save => "save",
            ReportAction::Submit => "submit",
            ReportAction::Approve => "approve",
            ReportAction::Accept => "accept",
            ReportAction::Return => "return",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            ReportAction::Save => "lưu",
            ReportAction::Submit => "gửi",
            ReportAction::Approve => "duyệt",
            ReportAction::Accept => "tiếp nhận",
            ReportAction::Return => "trả lại",
        }
    }
}

impl ReportState {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportState::Draft => "draft",
            ReportState::Submitted => "submitted",
            ReportState::Approved => "approved",
            ReportState::Returned => "returned",
            ReportState::Accepted => "accepted",
        }
    }

    pub fn parse(s: &str) -> Option<ReportState> {
        [
            ReportState::Draft,
            ReportState::Submitted,
            ReportState::Approved,
            ReportState::Returned,
            ReportState::Accepted,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            ReportState::Draft => "bản nháp",
            ReportState::Submitted => "đã gửi",
            ReportState::Approved => "thủ trưởng đã duyệt",
            ReportState::Returned => "bị trả lại",
            ReportState::Accepted => "đã tiếp nhận",
        }
    }

    /// Whether the unit may still edit the report.
    pub fn editable(self) -> bool {
        matches!(self, ReportState::Draft | ReportState::Returned)
    }

    /// Whether the report has reached the standing office (submitted at least once and not
    /// sent back).
    pub fn is_in(self) -> bool {
        matches!(
            self,
            ReportState::Submitted | ReportState::Approved | ReportState::Accepted
        )
    }

    /// The state after `action`, or a Vietnamese message saying why it is not allowed.
    /// `approval` is the switch of the unit-head approval step.
    pub fn apply(self, action: ReportAction, approval: bool) -> Result<ReportState, String> {
        use ReportAction as A;
        use ReportState as S;
        let next = match (self, action) {
            (S::Draft | S::Returned, A::Save) => Some(self),
            (S::Draft | S::Returned, A::Submit) => Some(S::Submitted),
            (S::Submitted, A::Approve) if approval => Some(S::Approved),
            (S::Submitted, A::Return) if approval => Some(S::Returned),
            (S::Submitted, A::Accept | A::Return) if !approval => Some(match action {
                A::Accept => S::Accepted,
                _ => S::Returned,
            }),
            (S::Approved, A::Accept) => Some(S::Accepted),
            (S::Approved, A::Return) => Some(S::Returned),
            _ => None,
        };
        next.ok_or_else(|| {
            let why = match (self, action) {
                (S::Submitted | S::Approved | S::Accepted, A::Save | A::Submit) => {
                    "báo cáo đã gửi thì bị khóa, chỉ sửa được khi bị trả lại".to_string()
                }
                (S::Submitted, A::Accept) => {
                    "báo cáo cần được thủ trưởng đơn vị duyệt trước khi tiếp nhận".to_string()
                }
                (_, A::Approve) if !approval => "bước duyệt của thủ trưởng đang tắt".to_string(),
                _ => format!("báo cáo đang ở trạng thái «{}»", self.label_vi()),
            };
            format!("không thể {} báo cáo: {why}", action.label_vi())
        })
    }
}

impl fmt::Display for ReportState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Tình trạng thực hiện của một hoạt động.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// Chưa triển khai.
    #[default]
    NotStarted,
    /// Đang triển khai.
    InProgress,
    /// Hoàn thành.
    Done,
    /// Hoàn thành trễ hạn.
    DoneLate,
    /// Không thực hiện được.
    NotFeasible,
}

impl ItemStatus {
    pub const ALL: [ItemStatus; 5] = [
        ItemStatus::NotStarted,
        ItemStatus::InProgress,
        ItemStatus::Done,
        ItemStatus::DoneLate,
        ItemStatus::NotFeasible,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::NotStarted => "not_started",
            ItemStatus::InProgress => "in_progress",
            ItemStatus::Done => "done",
            ItemStatus::DoneLate => "done_late",
            ItemStatus::NotFeasible => "not_feasible",
        }
    }

    pub fn parse(s: &str) -> Option<ItemStatus> {
        ItemStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            ItemStatus::NotStarted => "chưa triển khai",
            ItemStatus::InProgress => "đang triển khai",
            ItemStatus::Done => "hoàn thành",
            ItemStatus::DoneLate => "hoàn thành trễ hạn",
            ItemStatus::NotFeasible => "không thực hiện được",
        }
    }

    pub fn is_done(self) -> bool {
        matches!(self, ItemStatus::Done | ItemStatus::DoneLate)
    }
}

/// Tài liệu kiểm chứng — a document that proves what was done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Evidence {
    /// Số, ký hiệu văn bản.
    #[serde(default)]
    pub number: String,
    /// Ngày ban hành.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// Cơ quan ban hành.
    #[serde(default)]
    pub issuer: String,
    /// Trích yếu.
    #[serde(default)]
    pub title: String,
    /// Ids of uploaded files.
    #[serde(default)]
    pub files: Vec<String>,
}

/// Một dòng báo cáo: what the unit says about one activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportItem {
    /// `Activity.id`.
    pub activity: String,
    #[serde(default)]
    pub status: ItemStatus,
    /// Kết quả thực hiện.
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// Khó khăn, vướng mắc.
    #[serde(default)]
    pub difficulties: String,
    /// Đề xuất, kiến nghị.
    #[serde(default)]
    pub proposals: String,
}

/// Giá trị chỉ tiêu đơn vị báo cáo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetValue {
    /// `Target.code`.
    pub target: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

/// Nội dung báo cáo — what a unit reports for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ReportContent {
    #[serde(default)]
    pub items: Vec<ReportItem>,
    #[serde(default)]
    pub targets: Vec<TargetValue>,
}

impl ReportContent {
    pub fn item(&self, activity: &str) -> Option<&ReportItem> {
        self.items.iter().find(|i| i.activity == activity)
    }
}

/// How a unit takes part in an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Involvement {
    /// Chủ trì.
    Lead,
    /// Phối hợp.
    Coordinator,
}

/// Whether `unit` leads or coordinates `activity`, groups expanded through the registry.
pub fn involvement(activity: &Activity, unit: &UnitId, registry: &Registry) -> Option<Involvement> {
    let names = |refs: &[crate::UnitRef]| {
        refs.iter().any(|r| match &r.target {
            RefTarget::Unit(id) => id == unit,
            RefTarget::Group(g) => registry.get(unit).is_some_and(|u| g.contains(u)),
            RefTarget::Unresolved(_) => false,
        })
    };
    if names(&activity.lead) {
        Some(Involvement::Lead)
    } else if names(&activity.coordinators) {
        Some(Involvement::Coordinator)
    } else {
        None
    }
}

/// Whether an activity belongs in a report for `period`: its deadline falls in the period, or
/// it recurs ("thường xuyên") and so is reported every period.
pub fn due_in(deadline: Option<&Deadline>, period: Period) -> bool {
    match deadline {
        Some(d) if d.kind == DeadlineKind::Recurring => true,
        Some(d) => d.falls_within(period.start(), period.end()),
        None => false,
    }
}

/// The activities of a unit's report for a period, in document order, with how it takes part.
pub fn report_activities<'p>(
    plan: &'p Plan,
    registry: &Registry,
    unit: &UnitId,
    period: Period,
) -> Vec<(&'p Activity, Involvement)> {
    plan.activities()
        .filter(|c| due_in(c.activity.deadline.as_ref(), period))
        .filter_map(|c| involvement(c.activity, unit, registry).map(|i| (c.activity, i)))
        .collect()
}

/// Quá hạn: a dated activity past its end on `today` and not reported done.
pub fn is_overdue(
    deadline: Option<&Deadline>,
    status: Option<ItemStatus>,
    today: NaiveDate,
) -> bool {
    deadline.is_some_and(|d| d.is_past(today)) && !status.is_some_and(ItemStatus::is_done)
}

/// Whether a dated activity falls due between `today` and `today + days` (inclusive).
pub fn due_soon(deadline: Option<&Deadline>, today: NaiveDate, days: i64) -> bool {
    match deadline {
        Some(d) if matches!(d.kind, DeadlineKind::Date | DeadlineKind::Period) => d
            .end
            .is_some_and(|end| today <= end && end <= today + chrono::Duration::days(days)),
        _ => false,
    }
}

/// Loại tệp kiểm chứng, recognised by its content (magic bytes), never by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Pdf,
    Docx,
    Xlsx,
    Png,
    Jpeg,
}

impl FileKind {
    /// The kind of a file from its first bytes; `None` for anything not accepted. Office files
    /// are ZIP archives told apart by the part names their directory holds.
    pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
        if bytes.starts_with(b"%PDF-") {
            Some(FileKind::Pdf)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(FileKind::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileKind::Jpeg)
        } else if bytes.starts_with(b"PK\x03\x04") {
            let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
            if has(b"word/") {
                Some(FileKind::Docx)
            } else if has(b"xl/") {
                Some(FileKind::Xlsx)
            } else {
                None
            }
        } else {
            None
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Docx => "docx",
            FileKind::Xlsx => "xlsx",
            FileKind::Png => "png",
            FileKind::Jpeg => "jpeg",
        }
    }

    pub fn parse(s: &str) -> Option<FileKind> {
        [
            FileKind::Pdf,
            FileKind::Docx,
            FileKind::Xlsx,
            FileKind::Png,
            FileKind::Jpeg,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
        }
    }
}

/// SHA-256 of `bytes` as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Hành động trong nhật ký — every action the application writes to the audit log, with the
/// label the audit page shows. The app names actions only through this type, so that every
/// entry it writes has a Vietnamese label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    Login,
    LoginFailed,
    Logout,
    UserAdd,
    /// A demo account made by `serve --demo`.
    UserAddDemo,
    UserPasswd,
    UserDisable,
    PeriodOpen,
    SettingApproval,
    FileUpload,
    AccessDenied,
    /// A report written by `serve --demo`.
    ReportDemo,
    /// `report.save`, `report.submit`, … : what was done to a report.
    Report(ReportAction),
    /// Evaluation records (inspections, remediation, initiatives, dialogues, staffing).
    InspectionAdd,
    InspectionEdit,
    InspectionDelete,
    RemediationAdd,
    RemediationEdit,
    RemediationDelete,
    InitiativeAdd,
    InitiativeEdit,
    InitiativeDelete,
    DialogueAdd,
    DialogueEdit,
    DialogueDelete,
    QuotaSet,
    QuotaDelete,
    /// One's own sessions ended from `/tai-khoan/phien`.
    SessionEnd,
    SessionEndOthers,
    /// The communes' reform index and the satisfaction survey.
    ReformIndexSample,
    ReformIndexImport,
    ReformIndexSelfScore,
    ReformIndexSubmit,
    ReformIndexAppraise,
    SurveyAnswer,
    /// Communes' plans (kế hoạch CCHC của xã): drafts derived, edited, issued, imported.
    CommunePlanGenerate,
    CommunePlanEdit,
    CommunePlanIssue,
    CommunePlanImport,
    /// Phiếu khảo sát giấy: the standing office entered paper answers with their dates.
    SurveyPaper,
    /// Nhắc việc: the schedule changed, a reminder sent, a send failed, an account's e-mail,
    /// notices read.
    ReminderSchedule,
    ReminderSent,
    ReminderFailed,
    UserEmail,
    NoticeRead,
    /// Công khai: the standing office publishes an item on the public pages (the communes'
    /// ranking of a year, the periodic report of a period), or withdraws it.
    Publish,
    Unpublish,
}

impl AuditAction {
    pub const ALL: &'static [AuditAction] = &[
        AuditAction::Login,
        AuditAction::LoginFailed,
        AuditAction::Logout,
        AuditAction::UserAdd,
        AuditAction::UserAddDemo,
        AuditAction::UserPasswd,
        AuditAction::UserDisable,
        AuditAction::PeriodOpen,
        AuditAction::SettingApproval,
        AuditAction::FileUpload,
        AuditAction::AccessDenied,
        AuditAction::ReportDemo,
        AuditAction::Report(ReportAction::Save),
        AuditAction::Report(ReportAction::Submit),
        AuditAction::Report(ReportAction::Approve),
        AuditAction::Report(ReportAction::Accept),
        AuditAction::Report(ReportAction::Return),
        AuditAction::InspectionAdd,
        AuditAction::InspectionEdit,
        AuditAction::InspectionDelete,
        AuditAction::RemediationAdd,
        AuditAction::RemediationEdit,
        AuditAction::RemediationDelete,
        AuditAction::InitiativeAdd,
        AuditAction::InitiativeEdit,
        AuditAction::InitiativeDelete,
        AuditAction::DialogueAdd,
        AuditAction::DialogueEdit,
        AuditAction::DialogueDelete,
        AuditAction::QuotaSet,
        AuditAction::QuotaDelete,
        AuditAction::SessionEnd,
        AuditAction::SessionEndOthers,
        AuditAction::ReformIndexSample,
        AuditAction::ReformIndexImport,
        AuditAction::ReformIndexSelfScore,
        AuditAction::ReformIndexSubmit,
        AuditAction::ReformIndexAppraise,
        AuditAction::SurveyAnswer,
        AuditAction::CommunePlanGenerate,
        AuditAction::CommunePlanEdit,
        AuditAction::CommunePlanIssue,
        AuditAction::CommunePlanImport,
        AuditAction::SurveyPaper,
        AuditAction::ReminderSchedule,
        AuditAction::ReminderSent,
        AuditAction::ReminderFailed,
        AuditAction::UserEmail,
        AuditAction::NoticeRead,
        AuditAction::Publish,
        AuditAction::Unpublish,
    ];

    /// The stored code: `login`, `report.submit`, `user.add`, …
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Login => "login",
            AuditAction::LoginFailed => "login.failed",
            AuditAction::Logout => "logout",
            AuditAction::UserAdd => "user.add",
            AuditAction::UserAddDemo => "user.add.demo",
            AuditAction::UserPasswd => "user.passwd",
            AuditAction::UserDisable => "user.disable",
            AuditAction::PeriodOpen => "period.open",
            AuditAction::SettingApproval => "setting.approval",
            AuditAction::FileUpload => "file.upload",
            AuditAction::AccessDenied => "access.denied",
            AuditAction::ReportDemo => "report.demo",
            AuditAction::Report(ReportAction::Save) => "report.save",
            AuditAction::Report(ReportAction::Submit) => "report.submit",
            AuditAction::Report(ReportAction::Approve) => "report.approve",
            AuditAction::Report(ReportAction::Accept) => "report.accept",
            AuditAction::Report(ReportAction::Return) => "report.return",
            AuditAction::InspectionAdd => "inspection.add",
            AuditAction::InspectionEdit => "inspection.edit",
            AuditAction::InspectionDelete => "inspection.delete",
            AuditAction::RemediationAdd => "remediation.add",
            AuditAction::RemediationEdit => "remediation.edit",
            AuditAction::RemediationDelete => "remediation.delete",
            AuditAction::InitiativeAdd => "initiative.add",
            AuditAction::InitiativeEdit => "initiative.edit",
            AuditAction::InitiativeDelete => "initiative.delete",
            AuditAction::DialogueAdd => "dialogue.add",
            AuditAction::DialogueEdit => "dialogue.edit",
            AuditAction::DialogueDelete => "dialogue.delete",
            AuditAction::QuotaSet => "quota.set",
            AuditAction::QuotaDelete => "quota.delete",
            AuditAction::SessionEnd => "session.end",
            AuditAction::SessionEndOthers => "session.end_others",
            AuditAction::ReformIndexSample => "reform_index.sample",
            AuditAction::ReformIndexImport => "reform_index.import",
            AuditAction::ReformIndexSelfScore => "reform_index.self_score",
            AuditAction::ReformIndexSubmit => "reform_index.submit",
            AuditAction::ReformIndexAppraise => "reform_index.appraise",
            AuditAction::SurveyAnswer => "survey.answer",
            AuditAction::CommunePlanGenerate => "commune_plan.generate",
            AuditAction::CommunePlanEdit => "commune_plan.edit",
            AuditAction::CommunePlanIssue => "commune_plan.issue",
            AuditAction::CommunePlanImport => "commune_plan.import",
            AuditAction::SurveyPaper => "survey.paper",
            AuditAction::ReminderSchedule => "reminder.schedule",
            AuditAction::ReminderSent => "reminder.sent",
            AuditAction::ReminderFailed => "reminder.failed",
            AuditAction::UserEmail => "user.email",
            AuditAction::NoticeRead => "notice.read",
            AuditAction::Publish => "public.publish",
            AuditAction::Unpublish => "public.unpublish",
        }
    }

    /// The action of a stored code, if it is one the application writes.
    pub fn parse(s: &str) -> Option<AuditAction> {
        AuditAction::ALL.iter().copied().find(|a| a.as_str() == s)
    }

    /// What the audit page says: "Đăng nhập", "Gửi báo cáo", …
    pub fn label_vi(self) -> &'static str {
        match self {
            AuditAction::Login => "Đăng nhập",
            AuditAction::LoginFailed => "Đăng nhập không thành công",
            AuditAction::Logout => "Đăng xuất",
            AuditAction::UserAdd => "Tạo tài khoản",
            AuditAction::UserAddDemo => "Tạo tài khoản minh họa",
            AuditAction::UserPasswd => "Đặt mật khẩu",
            AuditAction::UserDisable => "Khóa tài khoản",
            AuditAction::PeriodOpen => "Mở kỳ báo cáo",
            AuditAction::SettingApproval => "Đổi bước duyệt của thủ trưởng",
            AuditAction::FileUpload => "Tải lên tệp kiểm chứng",
            AuditAction::AccessDenied => "Truy cập bị từ chối",
            AuditAction::ReportDemo => "Lập báo cáo minh họa",
            AuditAction::Report(ReportAction::Save) => "Lưu báo cáo",
            AuditAction::Report(ReportAction::Submit) => "Gửi báo cáo",
            AuditAction::Report(ReportAction::Approve) => "Thủ trưởng duyệt báo cáo",
            AuditAction::Report(ReportAction::Accept) => "Tiếp nhận báo cáo",
            AuditAction::Report(ReportAction::Return) => "Trả lại báo cáo",
            AuditAction::InspectionAdd => "Thêm cuộc kiểm tra CCHC",
            AuditAction::InspectionEdit => "Sửa cuộc kiểm tra CCHC",
            AuditAction::InspectionDelete => "Xóa cuộc kiểm tra CCHC",
            AuditAction::RemediationAdd => "Thêm việc khắc phục sau kiểm tra",
            AuditAction::RemediationEdit => "Sửa việc khắc phục sau kiểm tra",
            AuditAction::RemediationDelete => "Xóa việc khắc phục sau kiểm tra",
            AuditAction::InitiativeAdd => "Thêm sáng kiến CCHC",
            AuditAction::InitiativeEdit => "Sửa sáng kiến CCHC",
            AuditAction::InitiativeDelete => "Xóa sáng kiến CCHC",
            AuditAction::DialogueAdd => "Thêm cuộc đối thoại",
            AuditAction::DialogueEdit => "Sửa cuộc đối thoại",
            AuditAction::DialogueDelete => "Xóa cuộc đối thoại",
            AuditAction::QuotaSet => "Ghi biên chế",
            AuditAction::QuotaDelete => "Xóa biên chế",
            AuditAction::SessionEnd => "Kết thúc một phiên đăng nhập",
            AuditAction::SessionEndOthers => "Kết thúc các phiên đăng nhập khác",
            AuditAction::ReformIndexSample => "Nạp bộ chỉ số mẫu",
            AuditAction::ReformIndexImport => "Nhập bộ chỉ số CCHC",
            AuditAction::ReformIndexSelfScore => "Tự chấm điểm chỉ số CCHC",
            AuditAction::ReformIndexSubmit => "Gửi tự chấm điểm để thẩm định",
            AuditAction::ReformIndexAppraise => "Thẩm định điểm chỉ số CCHC",
            AuditAction::SurveyAnswer => "Phiếu khảo sát sự hài lòng",
            AuditAction::CommunePlanGenerate => "Lập dự thảo kế hoạch CCHC của xã",
            AuditAction::CommunePlanEdit => "Sửa dự thảo kế hoạch CCHC của xã",
            AuditAction::CommunePlanIssue => "Ban hành kế hoạch CCHC của xã",
            AuditAction::CommunePlanImport => "Nhập kế hoạch CCHC của xã từ văn bản",
            AuditAction::SurveyPaper => "Nhập phiếu khảo sát giấy",
            AuditAction::ReminderSchedule => "Đổi lịch nhắc việc",
            AuditAction::ReminderSent => "Gửi nhắc việc",
            AuditAction::ReminderFailed => "Gửi nhắc việc không thành công",
            AuditAction::UserEmail => "Đặt thư điện tử của tài khoản",
            AuditAction::NoticeRead => "Đọc thông báo",
            AuditAction::Publish => "Công khai trên trang công khai",
            AuditAction::Unpublish => "Thôi công khai",
        }
    }
}

/// The object of an audit entry in words: `report:2024-Q2/xa-tung-anh` → "Báo cáo kỳ 2024-Q2
/// của UBND xã Tùng Ảnh", `user:u1` → "Tài khoản u1"; `unit_name` names a unit id. `None` for
/// an object of no known form (the page then shows the code).
pub fn audit_object_vi(object: &str, unit_name: impl Fn(&str) -> Option<String>) -> Option<String> {
    let (kind, rest) = object.split_once(':')?;
    // A refused access names the attempt after the object ("report:2024-Q2/x save").
    let (rest, what) = match rest.split_once(' ') {
        Some((r, w)) => (r, Some(w)),
        None => (rest, None),
    };
    let mut out = match kind {
        "report" => {
            let (period, unit) = rest.split_once('/')?;
            let name = unit_name(unit).unwrap_or_else(|| unit.to_string());
            format!("Báo cáo kỳ {period} của {name}")
        }
        "user" => format!("Tài khoản {rest}"),
        "period" => format!("Kỳ báo cáo {rest}"),
        "file" => format!("Tệp {}", &rest[..rest.len().min(12)]),
        "setting" if rest == "approval_required" => "Bước duyệt của thủ trưởng".to_string(),
        "setting" if rest == "reminder_schedule" => "Lịch nhắc việc".to_string(),
        "reminder" => format!("Nhắc việc số {rest}"),
        "setting" => format!("Thiết lập {rest}"),
        "inspection" => format!("Cuộc kiểm tra CCHC số {rest}"),
        "remediation" => format!("Việc khắc phục số {rest}"),
        "initiative" => format!("Sáng kiến số {rest}"),
        "dialogue" => format!("Cuộc đối thoại số {rest}"),
        "commune_plan" => match rest.split_once('/') {
            Some((year, unit)) => {
                let name = unit_name(unit).unwrap_or_else(|| unit.to_string());
                format!("Kế hoạch CCHC năm {year} của {name}")
            }
            None => format!("Kế hoạch CCHC của xã năm {rest}"),
        },
        "publication" => match rest.split_once('/')? {
            ("ranking", year) => format!("Xếp hạng chỉ số CCHC các xã năm {year}"),
            ("report", period) => format!("Báo cáo CCHC định kỳ kỳ {period}"),
            _ => return None,
        },
        "quota" => {
            let (unit, year) = rest.split_once(':')?;
            let name = unit_name(unit).unwrap_or_else(|| unit.to_string());
            format!("Biên chế năm {year} của {name}")
        }
        _ => return None,
    };
    if let Some(w) = what {
        let w = match w {
            "save" => "lưu",
            "submit" => "gửi",
            "approve" => "duyệt",
            "versions" => "xem các phiên bản",
            other => other,
        };
        out.push_str(&format!(" ({w})"));
    }
    Some(out)
}

/// The hash before the first audit entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Nhật ký — one entry of the append-only audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// 1, 2, 3, … with no gap.
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// Username, or `cli` / `system`.
    pub actor: String,
    /// What was done: `report.submit`, `user.add`, `login.failed`, `access.denied`, …
    pub action: String,
    /// What it was done to: `report:2024-Q1/xa-tung-anh`, `user:u1`, …
    pub object: String,
    /// The unit the object belongs to, for filtering.
    pub unit: Option<String>,
    /// JSON before and after (empty when not applicable).
    pub before: String,
    pub after: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEntry {
    /// The canonical form hashed: every field but `hash`, as one JSON array (unambiguous).
    pub fn canonical(&self) -> String {
        serde_json::json!([
            self.seq,
            self.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            self.actor,
            self.action,
            self.object,
            self.unit,
            self.before,
            self.after,
        ])
        .to_string()
    }

    /// SHA-256 over the previous hash and the canonical entry.
    pub fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.prev_hash.as_bytes());
        h.update(b"\n");
        h.update(self.canonical().as_bytes());
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Checks a whole log in `seq` order: numbering without gaps, each entry linked to the one
/// before and hashed as stored. The error names the first broken entry, in Vietnamese.
pub fn verify_chain(entries: &[AuditEntry]) -> Result<usize, String> {
    let mut prev = GENESIS_HASH.to_string();
    for (i, e) in entries.iter().enumerate() {
        let expected_seq = i as i64 + 1;
        if e.seq != expected_seq {
            return Err(format!(
                "nhật ký bị xóa: thiếu mục số {expected_seq} (mục tiếp theo là số {})",
                e.seq
            ));
        }
        if e.prev_hash != prev {
            return Err(format!(
                "nhật ký bị sửa hoặc xóa: mục số {} không nối với mục trước",
                e.seq
            ));
        }
        if e.compute_hash() != e.hash {
            return Err(format!(
                "nhật ký bị sửa: nội dung mục số {} ({}, {}) không khớp mã băm",
                e.seq, e.action, e.object
            ));
        }
        prev = e.hash.clone();
    }
    Ok(entries.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dl(text: &str) -> Deadline {
        Deadline::parse(text, 2024)
    }

    #[test]
    fn report_transitions_follow_the_approval_switch() {
        use ReportAction as A;
        use ReportState as S;
        assert_eq!(S::Draft.apply(A::Submit, false), Ok(S::Submitted));
        assert_eq!(S::Submitted.apply(A::Accept, false), Ok(S::Accepted));
        assert_eq!(S::Submitted.apply(A::Return, false), Ok(S::Returned));
        assert_eq!(S::Returned.apply(A::Save, false), Ok(S::Returned));
        assert_eq!(S::Returned.apply(A::Submit, false), Ok(S::Submitted));
        let locked = S::Submitted.apply(A::Save, false).unwrap_err();
        assert!(locked.contains("khóa"), "{locked}");
        assert!(S::Accepted.apply(A::Return, false).is_err());
        assert!(S::Draft.apply(A::Accept, false).is_err());
        // With the approval step on, the head approves before the office accepts.
        let e = S::Submitted.apply(A::Accept, true).unwrap_err();
        assert!(e.contains("thủ trưởng"), "{e}");
        assert_eq!(S::Submitted.apply(A::Approve, true), Ok(S::Approved));
        assert_eq!(S::Approved.apply(A::Accept, true), Ok(S::Accepted));
        assert!(S::Submitted.apply(A::Approve, false).is_err());
    }

    #[test]
    fn periods_take_dated_activities_in_them_and_every_recurring_one() {
        let q1 = Period::parse("2024-Q1").unwrap();
        assert!(due_in(Some(&dl("Trước 15/01/2024")), q1));
        assert!(!due_in(Some(&dl("Quý II/2024")), q1));
        assert!(due_in(Some(&dl("Thường xuyên")), q1));
        assert!(!due_in(Some(&dl("Khi có chỉ đạo của tỉnh")), q1));
        assert!(!due_in(None, q1));
    }

    #[test]
    fn overdue_means_past_and_not_done() {
        let today = NaiveDate::from_ymd_opt(2024, 2, 1).unwrap();
        let d = dl("Trước 15/01/2024");
        assert!(is_overdue(Some(&d), None, today));
        assert!(is_overdue(Some(&d), Some(ItemStatus::InProgress), today));
        assert!(!is_overdue(Some(&d), Some(ItemStatus::DoneLate), today));
        assert!(!is_overdue(Some(&dl("Thường xuyên")), None, today));
        assert!(due_soon(Some(&dl("Trước 20/02/2024")), today, 30));
        assert!(!due_soon(Some(&dl("Quý II/2024")), today, 30));
    }

    #[test]
    fn every_audit_action_has_its_own_code_and_a_label() {
        let mut codes = std::collections::HashSet::new();
        for a in AuditAction::ALL.iter().copied() {
            assert!(codes.insert(a.as_str()), "{} twice", a.as_str());
            assert_eq!(AuditAction::parse(a.as_str()), Some(a));
            assert!(
                !a.label_vi().is_empty() && !a.label_vi().is_ascii(),
                "{a:?}"
            );
        }
        assert_eq!(AuditAction::parse("report.unknown"), None);
    }

    #[test]
    fn audit_objects_read_as_words() {
        let names = |u: &str| (u == "xa-tung-anh").then(|| "UBND xã Tùng Ảnh".to_string());
        assert_eq!(
            audit_object_vi("report:2024-Q2/xa-tung-anh", names).as_deref(),
            Some("Báo cáo kỳ 2024-Q2 của UBND xã Tùng Ảnh")
        );
        assert_eq!(
            audit_object_vi("report:2024-Q2/xa-tung-anh save", names).as_deref(),
            Some("Báo cáo kỳ 2024-Q2 của UBND xã Tùng Ảnh (lưu)")
        );
        assert_eq!(
            audit_object_vi("user:u1", names).as_deref(),
            Some("Tài khoản u1")
        );
        assert_eq!(
            audit_object_vi("quota:xa-tung-anh:2024", names).as_deref(),
            Some("Biên chế năm 2024 của UBND xã Tùng Ảnh")
        );
        assert_eq!(
            audit_object_vi("inspection:7", names).as_deref(),
            Some("Cuộc kiểm tra CCHC số 7")
        );
        assert_eq!(
            audit_object_vi("publication:ranking/2024", names).as_deref(),
            Some("Xếp hạng chỉ số CCHC các xã năm 2024")
        );
        assert_eq!(
            audit_object_vi("publication:report/2024-Q2", names).as_deref(),
            Some("Báo cáo CCHC định kỳ kỳ 2024-Q2")
        );
        assert_eq!(audit_object_vi("GET /nhat-ky", names), None);
    }

    #[test]
    fn file_kinds_come_from_content() {
        assert_eq!(FileKind::sniff(b"%PDF-1.7\n..."), Some(FileKind::Pdf));
        assert_eq!(
            FileKind::sniff(b"\x89PNG\r\n\x1a\n...."),
            Some(FileKind::Png)
        );
        assert_eq!(
            FileKind::sniff(b"PK\x03\x04....word/document.xml"),
            Some(FileKind::Docx)
        );
        assert_eq!(
            FileKind::sniff(b"PK\x03\x04....xl/workbook.xml"),
            Some(FileKind::Xlsx)
        );
        assert_eq!(FileKind::sniff(b"PK\x03\x04....other"), None);
        assert_eq!(FileKind::sniff(b"MZ\x90\x00 an executable"), None);
        assert_eq!(FileKind::sniff(b"<html>"), None);
    }

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let mut e = AuditEntry {
                    seq,
                    at: DateTime::from_timestamp(1_700_000_000 + seq, 0).unwrap(),
                    actor: "u".into(),
                    action: "report.save".into(),
                    object: format!("report:{seq}"),
                    unit: None,
                    before: "{}".into(),
                    after: format!("{{\"n\":{seq}}}"),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = e.compute_hash();
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    #[test]
    fn audit_chain_detects_altered_and_deleted_entries() {
        let good = chain(4);
        assert_eq!(verify_chain(&good), Ok(4));
        let mut altered = good.clone();
        altered[1].after = "{\"n\":99}".into();
        assert!(verify_chain(&altered).unwrap_err().contains("số 2"));
        let mut deleted = good.clone();
        deleted.remove(2);
        assert!(verify_chain(&deleted)
            .unwrap_err()
            .contains("thiếu mục số 3"));
        // Deleting the last entries and renumbering nothing still leaves a valid prefix; but
        // rewriting a middle entry with a fresh hash breaks the next link.
        let mut rehashed = good.clone();
        rehashed[1].after = "{}".into();
        rehashed[1].hash = rehashed[1].compute_hash();
        assert!(verify_chain(&rehashed).unwrap_err().contains("số 3"));
    }
}
