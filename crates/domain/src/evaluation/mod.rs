//! Evaluation (đánh giá, chấm điểm Chỉ số CCHC): the reform-index criteria tree of communes, a
//! commune's self-assessment and its appraisal, index, bands and ranking, and the registries
//! that answer the plan's evaluation targets (inspections 1.3, initiatives 1.2, satisfaction
//! 3.6, dialogues 3.7, staff quotas 4.2). Pure: no IO; readers live in `cchc-ingest`.

pub mod criteria;
pub mod registries;
pub mod scoring;

pub use criteria::{
    CriteriaError, CriteriaSet, CriteriaSetDraft, CriteriaSetId, Criterion, CriterionCode,
    CriterionDraft, CriterionField, CriterionKind, EvidenceRequirement, Points, ScoringRule,
};
pub use registries::{
    dialogues_held, initiatives_accepted, inspection_coverage, inspection_scope, satisfaction,
    satisfaction_target, staff_reduction, Dialogue, Initiative, InitiativeStatus, Inspection,
    RemediationItem, SatisfactionSummary, SipasFactor, StaffQuota, SurveyAnswer, SurveyRating,
    TargetFigure,
};
pub use scoring::{
    rank, year_over_year, Appraisal, AppraisalDecision, Band, BandScheme, Evaluation, Evidence,
    NodeScore, RankedUnit, Scorecard, SelfScore, YearChange,
};
