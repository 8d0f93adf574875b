//! Reform-index storage (lưu trữ chỉ số CCHC cấp xã): the criteria set of each year, each
//! commune's evaluation (self-scores, appraisal) and the satisfaction survey's answers.
//!
//! A third trait implemented by the same stores, reached through
//! [`crate::Repository::reform_index`]. The SQL is in [`sql`], written once and expanded for
//! each backend. Every write is one transaction with its audit entry.

use async_trait::async_trait;
use cchc_domain::evaluation::{CriteriaSet, Evaluation, SurveyAnswer};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::execution::AuditDraft;
use crate::Result;

pub(crate) mod sql;

/// Trạng thái chấm điểm — `Draft` while the commune scores, `Submitted` once it has sent its
/// self-assessment to the standing office for appraisal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvaluationState {
    Draft,
    Submitted,
}

impl EvaluationState {
    pub fn as_str(self) -> &'static str {
        match self {
            EvaluationState::Draft => "draft",
            EvaluationState::Submitted => "submitted",
        }
    }
    pub fn parse(s: &str) -> Option<EvaluationState> {
        match s {
            "draft" => Some(EvaluationState::Draft),
            "submitted" => Some(EvaluationState::Submitted),
            _ => None,
        }
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            EvaluationState::Draft => "đang tự chấm",
            EvaluationState::Submitted => "đã gửi thẩm định",
        }
    }
}

/// Kết quả chấm điểm as stored: a commune's evaluation of a year and its state.
#[derive(Debug, Clone, PartialEq)]
pub struct EvaluationRecord {
    pub evaluation: Evaluation,
    pub state: EvaluationState,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

/// Phiếu khảo sát to store: the answer, its comment, and the hashes that bound how often a
/// device and an address may answer.
pub struct NewSurveyAnswer<'a> {
    pub answer: &'a SurveyAnswer,
    pub comment: &'a str,
    /// SHA-256 of the device's random cookie id.
    pub device_hash: &'a str,
    /// SHA-256 of the client's address.
    pub addr_hash: &'a str,
    pub at: DateTime<Utc>,
    /// At most this many answers from one address in the hour before `at`.
    pub per_address_per_hour: i64,
}

/// Whether a survey answer was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurveyOutcome {
    Stored,
    /// This device already answered about this unit on this day.
    SameDeviceToday,
    /// The address reached its hourly limit.
    AddressLimit,
}

/// The reform-index queries, on either database.
#[async_trait]
pub trait ReformIndexRepository: Send + Sync {
    /// The criteria set stored for a year, if any.
    async fn criteria_set(&self, year: i32) -> Result<Option<CriteriaSet>>;
    /// Years with a stored set, newest first.
    async fn criteria_years(&self) -> Result<Vec<i32>>;
    /// Stores (or replaces) the year's set, with its audit entry, in one transaction.
    async fn put_criteria_set(&self, set: &CriteriaSet, by: &str, audit: &AuditDraft)
        -> Result<()>;

    async fn evaluation(&self, year: i32, unit: &str) -> Result<Option<EvaluationRecord>>;
    /// Every commune's evaluation of a year, by unit id.
    async fn evaluations(&self, year: i32) -> Result<Vec<EvaluationRecord>>;
    /// Writes a unit's evaluation with its audit entry, in one transaction.
    async fn put_evaluation(&self, record: &EvaluationRecord, audit: &AuditDraft) -> Result<()>;

    /// Stores an answer unless its device answered about the unit that day or its address
    /// reached the limit; the check and the insert are one transaction.
    async fn add_survey_answer(
        &self,
        answer: &NewSurveyAnswer<'_>,
        audit: &AuditDraft,
    ) -> Result<SurveyOutcome>;
    /// Answers dated from `from` to `to` (inclusive), for one unit or all.
    async fn survey_answers(
        &self,
        unit: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(SurveyAnswer, String)>> {
        self.survey_answers_by(unit, from, to, false).await
    }
    /// [`Self::survey_answers`], or only those entered from paper (`paper_only`).
    async fn survey_answers_by(
        &self,
        unit: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
        paper_only: bool,
    ) -> Result<Vec<(SurveyAnswer, String)>>;
    /// Phiếu khảo sát giấy: stores answers entered by `entered_by` from paper questionnaires,
    /// dated as answered (no device or address limits), all or none, with one audit entry;
    /// `batch` (random) keeps each row's stand-in device id unique.
    async fn add_paper_answers(
        &self,
        answers: &[(SurveyAnswer, String)],
        entered_by: &str,
        batch: &str,
        audit: &AuditDraft,
    ) -> Result<usize>;
}
