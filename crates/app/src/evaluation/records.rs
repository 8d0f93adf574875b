//! Sổ theo dõi: creating, changing, deleting and listing the evaluation records. Each
//! operation takes what a form or the API sent as text, reads it with located Vietnamese
//! messages, checks the account's scope, and writes one transaction with its audit entry.

use cchc_domain::evaluation::InitiativeStatus;
use cchc_domain::execution::AuditAction;
use cchc_store::evaluation::{
    DialogueDraft, DialogueRecord, InitiativeDraft, InitiativeRecord, InspectionDraft,
    InspectionRecord, QuotaRecord, RemediationDraft, RemediationRecord,
};
use cchc_store::execution::AuditDraft;
use serde::{Deserialize, Serialize};

use super::{
    clean, in_year, is_office, known_unit, may_enter_for, parse_count, parse_date, parse_year,
    registry, require, required_date, required_text,
};
use crate::access::Session;
use crate::{App, Error, Result as R};

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn audit<T: Serialize>(
    s: &Session,
    action: &str,
    object: String,
    unit: &str,
    before: Option<&T>,
    after: Option<&T>,
) -> AuditDraft {
    AuditDraft::new(&s.user.username, action, object, Some(unit)).change(
        before.map(json).unwrap_or_default(),
        after.map(json).unwrap_or_default(),
    )
}

// ---------------------------------------------------------------------------------------------
// Inspections

/// Một cuộc kiểm tra as a form sends it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct InspectionInput {
    pub year: String,
    pub unit: String,
    #[serde(default)]
    pub planned: String,
    #[serde(default)]
    pub held: String,
    #[serde(default)]
    pub team: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub findings: String,
    #[serde(default)]
    pub minutes: String,
}

async fn read_inspection(state: &App, i: &InspectionInput) -> R<InspectionDraft> {
    let reg = registry(state).await?;
    let year = parse_year("Năm", &i.year)?;
    let planned = parse_date("Ngày dự kiến", &i.planned)?;
    let held = parse_date("Ngày kiểm tra", &i.held)?;
    in_year("Ngày dự kiến", planned, year)?;
    in_year("Ngày kiểm tra", held, year)?;
    if planned.is_none() && held.is_none() {
        return Err(Error::invalid(
            "Ngày dự kiến, Ngày kiểm tra: cần ít nhất một trong hai ngày",
        ));
    }
    Ok(InspectionDraft {
        year,
        unit: known_unit(&reg, "Đơn vị được kiểm tra", &i.unit)?,
        planned,
        held,
        team: required_text("Đoàn kiểm tra", &i.team)?,
        content: required_text("Nội dung kiểm tra", &i.content)?,
        findings: clean(&i.findings),
        minutes: clean(&i.minutes),
    })
}

pub async fn list_inspections(state: &App, year: i32) -> R<Vec<InspectionRecord>> {
    Ok(state.store.evaluation().list_inspections(year).await?)
}

async fn inspection(state: &App, id: i64) -> R<InspectionRecord> {
    state
        .store
        .evaluation()
        .get_inspection(id)
        .await?
        .ok_or_else(|| Error::not_found(format!("không có cuộc kiểm tra số {id}")))
}

pub async fn add_inspection(state: &App, s: &Session, i: &InspectionInput) -> R<i64> {
    require(state, s, is_office(s), "kế hoạch kiểm tra CCHC", None).await?;
    let draft = read_inspection(state, i).await?;
    let a = audit(
        s,
        AuditAction::InspectionAdd.as_str(),
        "inspection:new".into(),
        &draft.unit,
        None,
        Some(&draft),
    );
    Ok(state
        .store
        .evaluation()
        .insert_inspection(&draft, &a)
        .await?)
}

/// Changes an inspection: typically records it held, with its findings and minutes.
pub async fn update_inspection(state: &App, s: &Session, id: i64, i: &InspectionInput) -> R<()> {
    require(state, s, is_office(s), "kết quả kiểm tra CCHC", None).await?;
    let before = inspection(state, id).await?;
    let draft = read_inspection(state, i).await?;
    let old = InspectionDraft {
        year: before.year,
        unit: before.unit.clone(),
        planned: before.planned,
        held: before.held,
        team: before.team.clone(),
        content: before.content.clone(),
        findings: before.findings.clone(),
        minutes: before.minutes.clone(),
    };
    let a = audit(
        s,
        AuditAction::InspectionEdit.as_str(),
        format!("inspection:{id}"),
        &draft.unit,
        Some(&old),
        Some(&draft),
    );
    Ok(state
        .store
        .evaluation()
        .update_inspection(id, &draft, &a)
        .await?)
}

/// The key an inspection's minutes files are stored under.
pub fn minutes_owner(id: i64) -> String {
    format!("kiem-tra/{id}")
}

/// Biên bản kiểm tra: stores a file of an inspection's minutes (the office), with the report
/// files' limits and checks, under the inspected unit: the unit, the office and leaders may
/// download it.
pub async fn upload_minutes(
    state: &App,
    s: &Session,
    id: i64,
    name: &str,
    bytes: &[u8],
) -> R<cchc_store::execution::FileRecord> {
    require(state, s, is_office(s), "biên bản kiểm tra CCHC", None).await?;
    let i = inspection(state, id).await?;
    crate::files::store_file(state, s, &minutes_owner(id), &i.unit, name, bytes).await
}

/// The files of an inspection's minutes.
pub async fn minutes_files(state: &App, id: i64) -> R<Vec<cchc_store::execution::FileRecord>> {
    let i = inspection(state, id).await?;
    Ok(state
        .store
        .execution()
        .list_files(&minutes_owner(id), &i.unit)
        .await?)
}

pub async fn delete_inspection(state: &App, s: &Session, id: i64) -> R<()> {
    require(state, s, is_office(s), "kế hoạch kiểm tra CCHC", None).await?;
    let before = inspection(state, id).await?;
    let a = audit(
        s,
        AuditAction::InspectionDelete.as_str(),
        format!("inspection:{id}"),
        &before.unit,
        Some(&before),
        None,
    );
    Ok(state.store.evaluation().delete_inspection(id, &a).await?)
}

/// Việc khắc phục as a form sends it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RemediationInput {
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub deadline: String,
    #[serde(default)]
    pub done: String,
}

fn read_remediation(r: &RemediationInput) -> R<RemediationDraft> {
    Ok(RemediationDraft {
        description: required_text("Nội dung khắc phục", &r.description)?,
        deadline: required_date("Hạn khắc phục", &r.deadline)?,
        done: parse_date("Ngày hoàn thành", &r.done)?,
    })
}

pub async fn add_remediation(
    state: &App,
    s: &Session,
    inspection_id: i64,
    r: &RemediationInput,
) -> R<i64> {
    require(state, s, is_office(s), "việc khắc phục sau kiểm tra", None).await?;
    let i = inspection(state, inspection_id).await?;
    let draft = read_remediation(r)?;
    let a = audit(
        s,
        AuditAction::RemediationAdd.as_str(),
        format!("inspection:{inspection_id}"),
        &i.unit,
        None,
        Some(&draft),
    );
    Ok(state
        .store
        .evaluation()
        .insert_remediation(inspection_id, &draft, &a)
        .await?)
}

async fn remediation(state: &App, id: i64) -> R<(RemediationRecord, InspectionRecord)> {
    let r = state
        .store
        .evaluation()
        .get_remediation(id)
        .await?
        .ok_or_else(|| Error::not_found(format!("không có việc khắc phục số {id}")))?;
    let i = inspection(state, r.inspection).await?;
    Ok((r, i))
}

/// Changes a remediation item; a done date marks it done, an empty one reopens it.
pub async fn update_remediation(state: &App, s: &Session, id: i64, r: &RemediationInput) -> R<()> {
    require(state, s, is_office(s), "việc khắc phục sau kiểm tra", None).await?;
    let (before, i) = remediation(state, id).await?;
    let draft = read_remediation(r)?;
    let a = AuditDraft::new(
        &s.user.username,
        AuditAction::RemediationEdit.as_str(),
        format!("remediation:{id}"),
        Some(&i.unit),
    )
    .change(json(&before), json(&draft));
    Ok(state
        .store
        .evaluation()
        .update_remediation(id, &draft, &a)
        .await?)
}

pub async fn delete_remediation(state: &App, s: &Session, id: i64) -> R<()> {
    require(state, s, is_office(s), "việc khắc phục sau kiểm tra", None).await?;
    let (before, i) = remediation(state, id).await?;
    let a = audit(
        s,
        AuditAction::RemediationDelete.as_str(),
        format!("remediation:{id}"),
        &i.unit,
        Some(&before),
        None,
    );
    Ok(state.store.evaluation().delete_remediation(id, &a).await?)
}

// ---------------------------------------------------------------------------------------------
// Initiatives

/// The stored code of a status.
pub fn status_code(s: InitiativeStatus) -> &'static str {
    match s {
        InitiativeStatus::Proposed => "proposed",
        InitiativeStatus::AcceptedByDistrict => "accepted_district",
        InitiativeStatus::AcceptedByProvince => "accepted_province",
    }
}

pub const INITIATIVE_STATUSES: [InitiativeStatus; 3] = [
    InitiativeStatus::Proposed,
    InitiativeStatus::AcceptedByDistrict,
    InitiativeStatus::AcceptedByProvince,
];

/// The status of a stored code.
pub fn status_of(code: &str) -> Option<InitiativeStatus> {
    INITIATIVE_STATUSES
        .into_iter()
        .find(|s| status_code(*s) == code.trim())
}

/// Một sáng kiến as a form sends it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct InitiativeInput {
    pub year: String,
    pub unit: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub decision_number: String,
    #[serde(default)]
    pub decision_date: String,
}

async fn read_initiative(state: &App, i: &InitiativeInput) -> R<InitiativeDraft> {
    let reg = registry(state).await?;
    let status = if i.status.trim().is_empty() {
        InitiativeStatus::Proposed
    } else {
        status_of(&i.status).ok_or_else(|| {
            Error::invalid(format!(
                "Trạng thái: \"{}\" không hợp lệ; chọn Đề xuất, Được huyện công nhận hoặc Được \
                 Hội đồng thẩm định tỉnh công nhận",
                i.status.trim()
            ))
        })?
    };
    Ok(InitiativeDraft {
        year: parse_year("Năm", &i.year)?,
        unit: known_unit(&reg, "Đơn vị", &i.unit)?,
        title: required_text("Tên sáng kiến", &i.title)?,
        status: status_code(status).to_string(),
        decision_number: clean(&i.decision_number),
        decision_date: parse_date("Ngày quyết định công nhận", &i.decision_date)?,
    })
}

pub async fn list_initiatives(state: &App, year: i32) -> R<Vec<InitiativeRecord>> {
    Ok(state.store.evaluation().list_initiatives(year).await?)
}

/// A unit may write its own proposals; only the office records a recognition.
fn may_write_initiative(s: &Session, d: &InitiativeDraft) -> bool {
    is_office(s) || (may_enter_for(s, &d.unit) && d.status == "proposed")
}

pub async fn add_initiative(state: &App, s: &Session, i: &InitiativeInput) -> R<i64> {
    let draft = read_initiative(state, i).await?;
    require(
        state,
        s,
        may_write_initiative(s, &draft),
        "sáng kiến CCHC",
        Some(&draft.unit),
    )
    .await?;
    let a = audit(
        s,
        AuditAction::InitiativeAdd.as_str(),
        "initiative:new".into(),
        &draft.unit,
        None,
        Some(&draft),
    );
    Ok(state
        .store
        .evaluation()
        .insert_initiative(&draft, &a)
        .await?)
}

async fn initiative(state: &App, id: i64) -> R<InitiativeRecord> {
    state
        .store
        .evaluation()
        .get_initiative(id)
        .await?
        .ok_or_else(|| Error::not_found(format!("không có sáng kiến số {id}")))
}

pub async fn update_initiative(state: &App, s: &Session, id: i64, i: &InitiativeInput) -> R<()> {
    let before = initiative(state, id).await?;
    let draft = read_initiative(state, i).await?;
    let allowed = may_write_initiative(s, &before.draft) && may_write_initiative(s, &draft);
    require(
        state,
        s,
        allowed,
        "sáng kiến CCHC",
        Some(&before.draft.unit),
    )
    .await?;
    let a = audit(
        s,
        AuditAction::InitiativeEdit.as_str(),
        format!("initiative:{id}"),
        &draft.unit,
        Some(&before.draft),
        Some(&draft),
    );
    Ok(state
        .store
        .evaluation()
        .update_initiative(id, &draft, &a)
        .await?)
}

pub async fn delete_initiative(state: &App, s: &Session, id: i64) -> R<()> {
    let before = initiative(state, id).await?;
    let allowed = may_write_initiative(s, &before.draft);
    require(
        state,
        s,
        allowed,
        "sáng kiến CCHC",
        Some(&before.draft.unit),
    )
    .await?;
    let a = audit(
        s,
        AuditAction::InitiativeDelete.as_str(),
        format!("initiative:{id}"),
        &before.draft.unit,
        Some(&before.draft),
        None,
    );
    Ok(state.store.evaluation().delete_initiative(id, &a).await?)
}

// ---------------------------------------------------------------------------------------------
// Dialogues

/// Một cuộc đối thoại as a form sends it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DialogueInput {
    pub unit: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub chair: String,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub participants: String,
    #[serde(default)]
    pub attendance: String,
}

async fn read_dialogue(state: &App, d: &DialogueInput) -> R<DialogueDraft> {
    let reg = registry(state).await?;
    Ok(DialogueDraft {
        unit: known_unit(&reg, "Đơn vị tổ chức", &d.unit)?,
        date: required_date("Ngày tổ chức", &d.date)?,
        chair: required_text("Người chủ trì", &d.chair)?,
        topic: required_text("Chủ đề", &d.topic)?,
        participants: clean(&d.participants),
        attendance: parse_count("Số người tham dự", &d.attendance)?,
    })
}

pub async fn list_dialogues(state: &App, year: i32) -> R<Vec<DialogueRecord>> {
    Ok(state.store.evaluation().list_dialogues(year).await?)
}

pub async fn add_dialogue(state: &App, s: &Session, d: &DialogueInput) -> R<i64> {
    let draft = read_dialogue(state, d).await?;
    require(
        state,
        s,
        may_enter_for(s, &draft.unit),
        "cuộc đối thoại",
        Some(&draft.unit),
    )
    .await?;
    let a = audit(
        s,
        AuditAction::DialogueAdd.as_str(),
        "dialogue:new".into(),
        &draft.unit,
        None,
        Some(&draft),
    );
    Ok(state.store.evaluation().insert_dialogue(&draft, &a).await?)
}

async fn dialogue(state: &App, id: i64) -> R<DialogueRecord> {
    state
        .store
        .evaluation()
        .get_dialogue(id)
        .await?
        .ok_or_else(|| Error::not_found(format!("không có cuộc đối thoại số {id}")))
}

pub async fn update_dialogue(state: &App, s: &Session, id: i64, d: &DialogueInput) -> R<()> {
    let before = dialogue(state, id).await?;
    let draft = read_dialogue(state, d).await?;
    let allowed = may_enter_for(s, &before.draft.unit) && may_enter_for(s, &draft.unit);
    require(
        state,
        s,
        allowed,
        "cuộc đối thoại",
        Some(&before.draft.unit),
    )
    .await?;
    let a = audit(
        s,
        AuditAction::DialogueEdit.as_str(),
        format!("dialogue:{id}"),
        &draft.unit,
        Some(&before.draft),
        Some(&draft),
    );
    Ok(state
        .store
        .evaluation()
        .update_dialogue(id, &draft, &a)
        .await?)
}

pub async fn delete_dialogue(state: &App, s: &Session, id: i64) -> R<()> {
    let before = dialogue(state, id).await?;
    let allowed = may_enter_for(s, &before.draft.unit);
    require(
        state,
        s,
        allowed,
        "cuộc đối thoại",
        Some(&before.draft.unit),
    )
    .await?;
    let a = audit(
        s,
        AuditAction::DialogueDelete.as_str(),
        format!("dialogue:{id}"),
        &before.draft.unit,
        Some(&before.draft),
        None,
    );
    Ok(state.store.evaluation().delete_dialogue(id, &a).await?)
}

// ---------------------------------------------------------------------------------------------
// Staffing quotas

/// A unit's posts for a year as a form sends them; both empty removes the row.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct QuotaInput {
    pub unit: String,
    pub year: String,
    #[serde(default)]
    pub civil_servants: String,
    #[serde(default)]
    pub public_employees: String,
}

pub async fn list_quotas(state: &App, years: &[i32]) -> R<Vec<QuotaRecord>> {
    Ok(state.store.evaluation().list_quotas(years).await?)
}

/// Sets (or, with both counts empty, removes) a unit's quota for a year.
pub async fn set_quota(state: &App, s: &Session, q: &QuotaInput) -> R<()> {
    require(state, s, is_office(s), "biên chế", None).await?;
    let reg = registry(state).await?;
    let unit = known_unit(&reg, "Đơn vị", &q.unit)?;
    let year = parse_year("Năm", &q.year)?;
    let cs = parse_count(&format!("Biên chế công chức năm {year}"), &q.civil_servants)?;
    let pe = parse_count(
        &format!("Biên chế viên chức năm {year}"),
        &q.public_employees,
    )?;
    let e = state.store.evaluation();
    let before = e
        .list_quotas(&[year])
        .await?
        .into_iter()
        .find(|r| r.unit == unit);
    let object = format!("quota:{unit}:{year}");
    if cs.is_none() && pe.is_none() {
        if before.is_none() {
            return Ok(());
        }
        let a = audit(
            s,
            AuditAction::QuotaDelete.as_str(),
            object,
            &unit,
            before.as_ref(),
            None,
        );
        return Ok(e.delete_quota(&unit, year, &a).await?);
    }
    let row = QuotaRecord {
        unit: unit.clone(),
        year,
        civil_servants: cs.unwrap_or(0),
        public_employees: pe.unwrap_or(0),
    };
    let a = audit(
        s,
        AuditAction::QuotaSet.as_str(),
        object,
        &unit,
        before.as_ref(),
        Some(&row),
    );
    Ok(e.put_quota(&row, &a).await?)
}
