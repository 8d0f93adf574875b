//! Chỉ số CCHC cấp xã and khảo sát sự hài lòng: the year's criteria set (imported, or the
//! shipped SAMPLE on first use), a commune's self-assessment with evidence and its submission,
//! the standing office's appraisal, the ranking with bands and the change from the year before,
//! and the public satisfaction survey whose share gives the set's survey criteria their points
//! (proportionally: a criterion's maximum × satisfied ratings ÷ ratings, `Points::scaled`).
//! Every scope check is here.

use cchc_domain::execution::AuditAction;
use std::path::Path;

use cchc_domain::evaluation::{
    rank, satisfaction, year_over_year, Appraisal, Band, BandScheme, CriteriaSet, CriterionCode,
    CriterionKind, Evaluation, Points, RankedUnit, SatisfactionSummary, Scorecard, SelfScore,
    SurveyAnswer, SurveyRating, YearChange,
};
use cchc_domain::execution::{sha256_hex, Role};
use cchc_domain::{Period, Unit, UnitId, UnitLevel};
use cchc_ingest::criteria_file::{
    ha_tinh_commune_sample_meta, read_criteria_csv, read_criteria_file, CriteriaMeta,
};
use cchc_ingest::service_files::ColumnMap;
use cchc_store::execution::AuditDraft;
use cchc_store::reform_index::{EvaluationRecord, EvaluationState, NewSurveyAnswer, SurveyOutcome};
use cchc_store::{ReformIndexRepository, Store};
use chrono::Utc;

use crate::access::{can_read, scope, Session};
use crate::{App, Error, ErrorKind, Result as R};

/// The shipped SAMPLE Hà Tĩnh commune set, stored on first use for its year.
pub const SAMPLE_CSV: &[u8] = include_bytes!("../../../../data/chi-so-cchc-xa/ha-tinh-2024.csv");

/// Answers one address may give in an hour (a shared office or café connection gives many).
pub const SURVEY_PER_ADDRESS_PER_HOUR: i64 = 20;

fn ri(app: &App) -> &dyn ReformIndexRepository {
    app.store.reform_index()
}

/// The set of a year and whether it is the shipped sample.
#[derive(Debug, Clone)]
pub struct CriteriaView {
    pub set: CriteriaSet,
    pub sample: bool,
}

fn is_sample(set: &CriteriaSet) -> bool {
    set.id() == &ha_tinh_commune_sample_meta().id
}

/// The shipped sample, read from the embedded file.
pub fn sample_set() -> R<CriteriaSet> {
    read_criteria_csv(
        "ha-tinh-2024.csv",
        Box::new(std::io::Cursor::new(SAMPLE_CSV)),
        ha_tinh_commune_sample_meta(),
        &ColumnMap::default(),
    )
    .map_err(|e| Error::internal(format!("bộ chỉ số mẫu không đọc được: {e}")))
}

/// The year's set; the sample is stored on first use when it is for that year.
pub async fn criteria_set(app: &App, year: i32) -> R<CriteriaView> {
    if let Some(set) = ri(app).criteria_set(year).await? {
        return Ok(CriteriaView {
            sample: is_sample(&set),
            set,
        });
    }
    if ha_tinh_commune_sample_meta().year != year {
        return Err(Error::not_found(format!(
            "chưa có bộ chỉ số CCHC cấp xã năm {year}; cơ quan thường trực nhập bộ chỉ số tại \
             /chi-so-cchc/bo-tieu-chi"
        )));
    }
    let set = sample_set()?;
    let audit = AuditDraft::new(
        "he-thong",
        AuditAction::ReformIndexSample.as_str(),
        set.id().to_string(),
        None,
    );
    if let Err(e) = ri(app).put_criteria_set(&set, "he-thong", &audit).await {
        // Another request stored it first: read what is there.
        tracing::info!(error = %e, "sample criteria set not stored");
        if let Some(set) = ri(app).criteria_set(year).await? {
            return Ok(CriteriaView {
                sample: is_sample(&set),
                set,
            });
        }
        return Err(e.into());
    }
    Ok(CriteriaView { set, sample: true })
}

/// Years with a set, newest first (the sample's year when none is stored).
pub async fn years(app: &App) -> R<Vec<i32>> {
    let mut y = ri(app).criteria_years().await?;
    let sample = ha_tinh_commune_sample_meta().year;
    if !y.contains(&sample) {
        y.push(sample);
        y.sort_unstable_by(|a, b| b.cmp(a));
    }
    Ok(y)
}

/// What an imported file does not say about itself.
pub fn meta(year: i32, name: &str, source: &str, total: Points) -> R<CriteriaMeta> {
    let name = cchc_domain::text::clean(name);
    if name.is_empty() {
        return Err(Error::invalid("bộ chỉ số: chưa ghi tên bộ chỉ số"));
    }
    Ok(CriteriaMeta {
        id: cchc_domain::evaluation::CriteriaSetId::parse(&format!("chi-so-xa-{year}"))
            .map_err(Error::invalid)?,
        name,
        year,
        source: cchc_domain::text::clean(source),
        total,
    })
}

/// Who may import a set or appraise: the standing office (and the administrator for imports).
fn office(s: &Session) -> bool {
    matches!(s.user.role, Role::StandingOffice | Role::Admin)
}

/// Imports a criteria file (CSV, or XLSX by its extension) for its year, signed in.
pub async fn import_criteria_as(
    app: &App,
    s: &Session,
    path: &Path,
    meta: CriteriaMeta,
) -> R<CriteriaSet> {
    if !office(s) {
        crate::access::denied(app, s, "reform_index.import", None).await;
        return Err(Error::forbidden(
            "bộ chỉ số: chỉ cơ quan thường trực CCHC hoặc quản trị được nhập bộ chỉ số",
        ));
    }
    import_criteria(app, &s.user.username, path, meta).await
}

/// Imports a criteria file for its year (the command line's path: its operator is trusted).
/// A file with any problem is refused with the reader's located messages and nothing is
/// stored; so is a year whose communes already scored against another set.
pub async fn import_criteria(
    app: &App,
    by: &str,
    path: &Path,
    meta: CriteriaMeta,
) -> R<CriteriaSet> {
    let path = path.to_path_buf();
    let set =
        tokio::task::spawn_blocking(move || read_criteria_file(&path, meta, &ColumnMap::default()))
            .await
            .map_err(|e| Error::internal(format!("đọc tệp bộ chỉ số thất bại: {e}")))?
            .map_err(|e| Error::invalid(e.to_string().trim_end().to_string()))?;
    let scored = ri(app).evaluations(set.year()).await?;
    if let Some(other) = scored.iter().find(|r| r.evaluation.set_id() != set.id()) {
        return Err(Error::conflict(format!(
            "năm {}: đã có {} xã chấm điểm theo bộ chỉ số «{}» (ví dụ «{}»); không thay bộ chỉ số \
             được nữa",
            set.year(),
            scored.len(),
            other.evaluation.set_id(),
            other.evaluation.unit()
        )));
    }
    let before = ri(app)
        .criteria_set(set.year())
        .await?
        .map(|s| s.id().to_string())
        .unwrap_or_default();
    let audit = AuditDraft::new(
        by,
        AuditAction::ReformIndexImport.as_str(),
        format!("bo-chi-so/{}", set.year()),
        None,
    )
    .change(
        before,
        format!("{} ({} tiêu chí)", set.id(), set.criteria().len()),
    );
    ri(app).put_criteria_set(&set, by, &audit).await?;
    Ok(set)
}

// ---------------------------------------------------------------------------------------------
// Scoring

async fn commune(app: &App, unit: &str) -> R<Unit> {
    let u = app
        .store
        .list_units()
        .await?
        .into_iter()
        .find(|u| u.id.as_str() == unit)
        .ok_or_else(|| Error::not_found(format!("đơn vị «{unit}»")))?;
    if u.kind.level() != UnitLevel::Commune {
        return Err(Error::invalid(format!(
            "«{}» không phải đơn vị cấp xã; chỉ số CCHC cấp xã chỉ chấm cho xã, thị trấn",
            u.name
        )));
    }
    Ok(u)
}

/// A unit's evaluation as it stands, with its survey points applied.
#[derive(Debug, Clone)]
pub struct CardView {
    pub unit: Unit,
    pub criteria: CriteriaView,
    pub state: Option<EvaluationState>,
    pub evaluation: Evaluation,
    pub card: Scorecard,
    pub survey: SatisfactionSummary,
    pub band: Band,
    /// May this account self-score (the commune's reporter, while a draft)?
    pub may_score: bool,
    /// May this account appraise (the standing office, once submitted)?
    pub may_appraise: bool,
}

/// The survey's points for each survey criterion of the set: its maximum scaled by the
/// satisfied share of the unit's ratings of the set's year; none without a rating.
pub fn survey_points(set: &CriteriaSet, s: &SatisfactionSummary) -> Vec<(CriterionCode, Points)> {
    if s.overall.denominator == 0 {
        return Vec::new();
    }
    set.leaves()
        .filter(|c| c.kind == CriterionKind::Survey)
        .filter_map(|c| {
            let p = c
                .max_points
                .scaled(s.overall.numerator, s.overall.denominator)?;
            Some((c.code.clone(), p))
        })
        .collect()
}

async fn unit_satisfaction(app: &App, unit: &UnitId, year: i32) -> R<SatisfactionSummary> {
    let period = Period::Year(year);
    let answers: Vec<SurveyAnswer> = ri(app)
        .survey_answers(Some(unit.as_str()), period.start(), period.end())
        .await?
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    Ok(satisfaction(&answers, Some(unit), period))
}

fn with_survey(set: &CriteriaSet, e: &Evaluation, s: &SatisfactionSummary) -> Evaluation {
    let mut e = e.clone();
    for (code, p) in survey_points(set, s) {
        // The points are the criterion's maximum scaled by a share ≤ 1: always in range.
        let _ = e.record_survey(set, &code, p);
    }
    e
}

async fn load(app: &App, year: i32, unit: &Unit) -> R<(CriteriaView, Option<EvaluationRecord>)> {
    let criteria = criteria_set(app, year).await?;
    let record = ri(app).evaluation(year, unit.id.as_str()).await?;
    Ok((criteria, record))
}

/// A commune's scorecard for a year: the commune itself, the office and leaders may read it.
pub async fn scorecard(app: &App, s: &Session, year: i32, unit: &str) -> R<CardView> {
    scope(app, s, unit, "reform_index.scorecard", can_read(s, unit)).await?;
    let u = commune(app, unit).await?;
    let (criteria, record) = load(app, year, &u).await?;
    let state = record.as_ref().map(|r| r.state);
    let evaluation = record
        .map(|r| r.evaluation)
        .unwrap_or_else(|| Evaluation::new(&criteria.set, u.id.clone()));
    let survey = unit_satisfaction(app, &u.id, year).await?;
    let card = with_survey(&criteria.set, &evaluation, &survey).scorecard(&criteria.set);
    let band = BandScheme::default().band(card.index());
    let mine = s.user.role == Role::Reporter && s.user.unit == unit;
    Ok(CardView {
        may_score: mine && state != Some(EvaluationState::Submitted),
        may_appraise: s.user.role == Role::StandingOffice
            && state == Some(EvaluationState::Submitted),
        unit: u,
        criteria,
        state,
        evaluation,
        card,
        survey,
        band,
    })
}

/// Only the commune's own reporter scores and submits.
async fn check_reporter(app: &App, s: &Session, unit: &str, what: &str) -> R<()> {
    scope(app, s, unit, what, s.user.unit == unit).await?;
    if s.user.role != Role::Reporter {
        crate::access::denied(app, s, what, Some(unit)).await;
        return Err(Error::forbidden(format!(
            "chỉ người báo cáo của đơn vị «{unit}» được tự chấm điểm chỉ số CCHC; vai trò «{}» thì \
             không",
            s.user.role.label_vi()
        )));
    }
    Ok(())
}

async fn write(
    app: &App,
    s: &Session,
    e: Evaluation,
    state: EvaluationState,
    action: &str,
    change: (String, String),
) -> R<()> {
    let unit = e.unit().to_string();
    let record = EvaluationRecord {
        evaluation: e,
        state,
        updated_by: s.user.username.clone(),
        updated_at: Utc::now(),
    };
    let audit = AuditDraft::new(
        &s.user.username,
        action,
        format!("chi-so-cchc/{}/{unit}", record.evaluation.year()),
        Some(&unit),
    )
    .change(change.0, change.1);
    ri(app).put_evaluation(&record, &audit).await?;
    Ok(())
}

/// The key evidence files of a commune's self-assessment are stored under.
pub fn evidence_owner(year: i32) -> String {
    format!("chi-so-cchc/{year}")
}

/// Stores an evidence file for the commune's self-assessment of `year` (its own reporter, while
/// a draft), with the report files' limits and checks; a self-score then cites it as
/// `Evidence::File`. Whoever may read the scorecard may download it.
pub async fn upload_evidence(
    app: &App,
    s: &Session,
    year: i32,
    unit: &str,
    name: &str,
    bytes: &[u8],
) -> R<cchc_store::execution::FileRecord> {
    check_reporter(app, s, unit, "reform_index.evidence").await?;
    let u = commune(app, unit).await?;
    if ri(app)
        .evaluation(year, unit)
        .await?
        .is_some_and(|r| r.state == EvaluationState::Submitted)
    {
        return Err(Error::conflict(format!(
            "chỉ số CCHC năm {year} của «{}» đã gửi thẩm định; không thêm tài liệu kiểm chứng được nữa",
            u.name
        )));
    }
    crate::files::store_file(app, s, &evidence_owner(year), unit, name, bytes).await
}

/// The evidence files uploaded for a commune's year (after [`scorecard`] checked the scope).
pub async fn evidence_files(
    app: &App,
    year: i32,
    unit: &str,
) -> R<Vec<cchc_store::execution::FileRecord>> {
    Ok(app
        .store
        .execution()
        .list_files(&evidence_owner(year), unit)
        .await?)
}

/// A self-score may cite only files uploaded for the same commune and year.
async fn check_files(app: &App, year: i32, u: &Unit, score: &SelfScore) -> R<()> {
    for e in &score.evidence {
        let cchc_domain::evaluation::Evidence::File { id } = e else {
            continue;
        };
        let ok = app
            .store
            .execution()
            .get_file(id.trim())
            .await?
            .is_some_and(|f| f.unit == u.id.as_str() && f.period == evidence_owner(year));
        if !ok {
            return Err(Error::invalid(format!(
                "chỉ số CCHC năm {year} của «{}», tiêu chí {}: không có tệp kiểm chứng «{}» đã tải                  lên cho xã trong năm này",
                u.name, score.criterion, id
            )));
        }
    }
    Ok(())
}

/// Records (or replaces) a self-score of the commune's own evaluation, while a draft.
pub async fn self_score(app: &App, s: &Session, year: i32, unit: &str, score: SelfScore) -> R<()> {
    check_reporter(app, s, unit, "reform_index.self_score").await?;
    let u = commune(app, unit).await?;
    let (criteria, record) = load(app, year, &u).await?;
    if record
        .as_ref()
        .is_some_and(|r| r.state == EvaluationState::Submitted)
    {
        return Err(Error::conflict(format!(
            "chỉ số CCHC năm {year} của «{}» đã gửi thẩm định; không sửa điểm tự chấm được nữa",
            u.name
        )));
    }
    let mut e = record
        .map(|r| r.evaluation)
        .unwrap_or_else(|| Evaluation::new(&criteria.set, u.id.clone()));
    let before = e
        .self_score(&score.criterion)
        .map(|x| x.score.to_string())
        .unwrap_or_default();
    check_files(app, year, &u, &score).await?;
    let code = score.criterion.to_string();
    let after = format!("{code}: {}", score.score);
    e.record_self(&criteria.set, score)
        .map_err(|m| Error::invalid(format!("chỉ số CCHC năm {year} của «{}»: {m}", u.name)))?;
    write(
        app,
        s,
        e,
        EvaluationState::Draft,
        AuditAction::ReformIndexSelfScore.as_str(),
        (before, after),
    )
    .await
}

/// Sends the commune's self-assessment to the standing office.
pub async fn submit(app: &App, s: &Session, year: i32, unit: &str) -> R<()> {
    check_reporter(app, s, unit, "reform_index.submit").await?;
    let u = commune(app, unit).await?;
    let (criteria, record) = load(app, year, &u).await?;
    let Some(record) = record else {
        return Err(Error::invalid(format!(
            "chỉ số CCHC năm {year} của «{}»: chưa chấm tiêu chí nào, chưa gửi được",
            u.name
        )));
    };
    if record.state == EvaluationState::Submitted {
        return Err(Error::conflict(format!(
            "chỉ số CCHC năm {year} của «{}» đã gửi thẩm định rồi",
            u.name
        )));
    }
    let card = record.evaluation.scorecard(&criteria.set);
    write(
        app,
        s,
        record.evaluation,
        EvaluationState::Submitted,
        AuditAction::ReformIndexSubmit.as_str(),
        (
            String::new(),
            format!("tự chấm {} điểm", card.self_assessed),
        ),
    )
    .await
}

/// The standing office's decision on one criterion of a submitted evaluation.
pub async fn appraise(app: &App, s: &Session, year: i32, unit: &str, a: Appraisal) -> R<()> {
    if s.user.role != Role::StandingOffice {
        crate::access::denied(app, s, "reform_index.appraise", Some(unit)).await;
        return Err(Error::forbidden(format!(
            "chỉ cơ quan thường trực CCHC được thẩm định chỉ số CCHC của «{unit}»; vai trò «{}» \
             thì không",
            s.user.role.label_vi()
        )));
    }
    let u = commune(app, unit).await?;
    let (criteria, record) = load(app, year, &u).await?;
    let Some(record) = record.filter(|r| r.state == EvaluationState::Submitted) else {
        return Err(Error::conflict(format!(
            "chỉ số CCHC năm {year} của «{}» chưa được xã gửi thẩm định",
            u.name
        )));
    };
    let mut e = record.evaluation;
    let after = serde_json::to_string(&a).unwrap_or_default();
    e.record_appraisal(&criteria.set, a).map_err(|m| {
        Error::invalid(format!(
            "thẩm định chỉ số CCHC năm {year} của «{}»: {m}",
            u.name
        ))
    })?;
    write(
        app,
        s,
        e,
        EvaluationState::Submitted,
        AuditAction::ReformIndexAppraise.as_str(),
        (String::new(), after),
    )
    .await
}

/// A ranked commune with its band, state and the change from the year before.
#[derive(Debug, Clone)]
pub struct RankRow {
    pub unit: Unit,
    pub ranked: RankedUnit,
    pub band: Band,
    pub state: EvaluationState,
    pub pending: usize,
    pub change: Option<YearChange>,
}

/// The ranking of a year's communes with an evaluation.
#[derive(Debug, Clone)]
pub struct Ranking {
    pub criteria: CriteriaView,
    pub rows: Vec<RankRow>,
    pub scheme: BandScheme,
}

/// The scorecards of a year's evaluations against `set`; with `submitted_only`, drafts (a
/// commune still scoring) are left out.
async fn cards(
    app: &App,
    set: &CriteriaSet,
    year: i32,
    submitted_only: bool,
) -> R<Vec<(Scorecard, EvaluationRecord)>> {
    let mut out = Vec::new();
    for r in ri(app).evaluations(year).await? {
        if r.evaluation.set_id() != set.id()
            || (submitted_only && r.state != EvaluationState::Submitted)
        {
            continue;
        }
        let survey = unit_satisfaction(app, r.evaluation.unit(), year).await?;
        out.push((with_survey(set, &r.evaluation, &survey).scorecard(set), r));
    }
    Ok(out)
}

/// Any signed-in account may see the ranking.
pub async fn ranking(app: &App, year: i32) -> R<Ranking> {
    ranking_of(app, year, false).await
}

/// The ranking of the communes that sent their self-assessment (no draft), ranked among
/// themselves: what the public page shows once the ranking is published.
pub async fn submitted_ranking(app: &App, year: i32) -> R<Ranking> {
    ranking_of(app, year, true).await
}

async fn ranking_of(app: &App, year: i32, submitted_only: bool) -> R<Ranking> {
    let criteria = criteria_set(app, year).await?;
    let units = app.store.list_units().await?;
    let now = cards(app, &criteria.set, year, submitted_only).await?;
    let scorecards: Vec<Scorecard> = now.iter().map(|(c, _)| c.clone()).collect();
    let ranked = rank(&scorecards);
    let previous = match ri(app).criteria_set(year - 1).await? {
        Some(prev) => {
            let c: Vec<Scorecard> = cards(app, &prev, year - 1, submitted_only)
                .await?
                .into_iter()
                .map(|(c, _)| c)
                .collect();
            rank(&c)
        }
        None => Vec::new(),
    };
    let changes = year_over_year(&ranked, &previous);
    let scheme = BandScheme::default();
    let rows = ranked
        .into_iter()
        .filter_map(|r| {
            let (card, rec) = now.iter().find(|(c, _)| c.unit == r.unit)?;
            let unit = units.iter().find(|u| u.id == r.unit)?.clone();
            Some(RankRow {
                band: scheme.band(r.index),
                state: rec.state,
                pending: card.pending_appraisal.len(),
                change: changes.iter().find(|c| c.unit == r.unit).cloned(),
                unit,
                ranked: r,
            })
        })
        .collect();
    Ok(Ranking {
        criteria,
        rows,
        scheme,
    })
}

// ---------------------------------------------------------------------------------------------
// Survey

/// A public answer as the form sends it.
pub struct SurveyForm<'a> {
    pub unit: &'a str,
    /// Ratings 1–5 in `SipasFactor::ALL` order; `None` where left blank.
    pub ratings: [Option<u8>; 5],
    pub comment: &'a str,
    /// The device's random cookie id (only its SHA-256 is stored).
    pub device: &'a str,
    /// The client's address (only its SHA-256 is stored).
    pub addr: &'a str,
}

/// Stores an anonymous answer: refused when the device already answered about the unit today,
/// or the address gave [`SURVEY_PER_ADDRESS_PER_HOUR`] answers in the last hour.
pub async fn answer_survey(app: &App, f: SurveyForm<'_>) -> R<()> {
    let unit = app
        .store
        .list_units()
        .await?
        .into_iter()
        .find(|u| u.id.as_str() == f.unit)
        .ok_or_else(|| Error::not_found(format!("đơn vị «{}»", f.unit)))?;
    let mut ratings = [None; 5];
    for (k, r) in f.ratings.iter().enumerate() {
        if let Some(v) = r {
            ratings[k] = Some(SurveyRating::new(*v).map_err(|m| {
                Error::invalid(format!(
                    "phiếu khảo sát «{}», câu {}: {m}",
                    unit.name,
                    k + 1
                ))
            })?);
        }
    }
    if ratings.iter().all(Option::is_none) {
        return Err(Error::invalid(format!(
            "phiếu khảo sát «{}»: hãy chọn mức hài lòng cho ít nhất một câu",
            unit.name
        )));
    }
    let comment = cchc_domain::text::clean(f.comment);
    if comment.chars().count() > 2000 {
        return Err(Error::invalid(format!(
            "phiếu khảo sát «{}»: ý kiến dài quá 2000 ký tự",
            unit.name
        )));
    }
    if f.device.len() < 16 {
        return Err(Error::invalid(
            "phiếu khảo sát: trình duyệt chưa nhận mã thiết bị; hãy tải lại trang rồi gửi lại",
        ));
    }
    let answer = SurveyAnswer {
        unit: unit.id.clone(),
        date: app.today(),
        ratings,
    };
    let device_hash = sha256_hex(format!("survey-device:{}", f.device).as_bytes());
    let addr_hash = sha256_hex(format!("survey-addr:{}", f.addr).as_bytes());
    let audit = AuditDraft::new(
        "khach",
        AuditAction::SurveyAnswer.as_str(),
        format!("khao-sat/{}", unit.id),
        Some(unit.id.as_str()),
    );
    let outcome = ri(app)
        .add_survey_answer(
            &NewSurveyAnswer {
                answer: &answer,
                comment: &comment,
                device_hash: &device_hash,
                addr_hash: &addr_hash,
                at: Utc::now(),
                per_address_per_hour: SURVEY_PER_ADDRESS_PER_HOUR,
            },
            &audit,
        )
        .await?;
    match outcome {
        SurveyOutcome::Stored => Ok(()),
        SurveyOutcome::SameDeviceToday => Err(Error::new(
            ErrorKind::Throttled,
            "SurveyRepeated",
            format!(
                "phiếu khảo sát «{}»: thiết bị này đã gửi phiếu hôm nay; mỗi thiết bị gửi một phiếu \
                 cho một đơn vị mỗi ngày",
                unit.name
            ),
        )),
        SurveyOutcome::AddressLimit => Err(Error::new(
            ErrorKind::Throttled,
            "SurveyThrottled",
            format!(
                "phiếu khảo sát «{}»: địa chỉ mạng này đã gửi {SURVEY_PER_ADDRESS_PER_HOUR} phiếu \
                 trong một giờ qua; hãy thử lại sau",
                unit.name
            ),
        )),
    }
}

/// The public form's unit (any unit of the registry).
pub async fn survey_unit(app: &App, unit: &str) -> R<Unit> {
    app.store
        .list_units()
        .await?
        .into_iter()
        .find(|u| u.id.as_str() == unit)
        .ok_or_else(|| Error::not_found(format!("đơn vị «{unit}»")))
}

/// A unit's survey results in a period, with the comments.
#[derive(Debug, Clone)]
pub struct SurveyResults {
    pub unit: Unit,
    pub period: Period,
    pub summary: SatisfactionSummary,
    /// Of `summary`, the answers the office entered from paper questionnaires.
    pub paper: SatisfactionSummary,
    pub comments: Vec<(chrono::NaiveDate, String)>,
}

/// The office, leaders and the unit itself may read a unit's results.
pub async fn survey_results(
    app: &App,
    s: &Session,
    unit: &str,
    period: Period,
) -> R<SurveyResults> {
    scope(app, s, unit, "survey.results", can_read(s, unit)).await?;
    let u = survey_unit(app, unit).await?;
    let rows = ri(app)
        .survey_answers(Some(unit), period.start(), period.end())
        .await?;
    let answers: Vec<SurveyAnswer> = rows.iter().map(|(a, _)| a.clone()).collect();
    let paper = paper_satisfaction(app, Some(&u), period).await?;
    Ok(SurveyResults {
        summary: satisfaction(&answers, Some(&u.id), period),
        paper,
        comments: rows
            .into_iter()
            .filter(|(_, c)| !c.is_empty())
            .map(|(a, c)| (a.date, c))
            .collect(),
        unit: u,
        period,
    })
}

/// Every unit's satisfaction in a period (in registry order), for the office's list.
pub async fn survey_overview(
    app: &App,
    s: &Session,
    period: Period,
) -> R<(SatisfactionSummary, Vec<(Unit, SatisfactionSummary)>)> {
    if !s.user.role.sees_all() {
        crate::access::denied(app, s, "survey.overview", None).await;
        return Err(Error::forbidden(
            "kết quả khảo sát của mọi đơn vị chỉ dành cho cơ quan thường trực và lãnh đạo",
        ));
    }
    let answers: Vec<SurveyAnswer> = ri(app)
        .survey_answers(None, period.start(), period.end())
        .await?
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    let units = app.store.list_units().await?;
    let per_unit = units
        .into_iter()
        .map(|u| {
            let s = satisfaction(&answers, Some(&u.id), period);
            (u, s)
        })
        .collect();
    Ok((satisfaction(&answers, None, period), per_unit))
}

/// Target 3.6 from the survey: every unit's answers of the year (for the key-target list).
pub async fn survey_figure(store: &Store, year: i32) -> R<SatisfactionSummary> {
    survey_in(store, Period::Year(year)).await
}

/// Every unit's answers dated in a period, online and entered from paper alike (the periodic
/// report's 3.6 figure).
pub async fn survey_in(store: &Store, period: Period) -> R<SatisfactionSummary> {
    let answers: Vec<SurveyAnswer> = store
        .reform_index()
        .survey_answers(None, period.start(), period.end())
        .await?
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    Ok(satisfaction(&answers, None, period))
}

/// Phiếu khảo sát giấy: the standing office enters paper questionnaires from a CSV or XLSX
/// file (`cchc_ingest::survey_file`), each dated the day it was answered, so that a year's
/// survey figure counts them even when typed in later. Every row is checked first; any problem
/// (unknown unit, bad date or rating, a day in the future, no rating) refuses the whole file
/// with located Vietnamese messages, and nothing is stored. Returns the answers stored.
pub async fn import_paper_survey(app: &App, s: &Session, path: &Path, file_name: &str) -> R<usize> {
    if !office(s) {
        crate::access::denied(app, s, "survey.paper", None).await;
        return Err(Error::forbidden(
            "phiếu khảo sát giấy: chỉ cơ quan thường trực CCHC hoặc quản trị được nhập",
        ));
    }
    let p = path.to_path_buf();
    let rows = tokio::task::spawn_blocking(move || cchc_ingest::survey_file::read_paper_survey(&p))
        .await
        .map_err(|e| Error::internal(format!("đọc tệp phiếu khảo sát thất bại: {e}")))?;
    let at = |row: usize, column: &str, m: String| {
        format!("{file_name}, dòng {row}, cột «{column}»: {m}")
    };
    let rows = rows.map_err(|es| {
        Error::invalid(
            es.iter()
                .map(|e| e.to_string().replace(&e.file, file_name))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })?;
    let units = app.store.list_units().await?;
    let today = app.today();
    let mut answers = Vec::new();
    let mut errors = Vec::new();
    for r in &rows {
        let unit = r.cells[0].trim();
        let Some(u) = units.iter().find(|u| u.id.as_str() == unit) else {
            errors.push(at(
                r.row,
                "don_vi",
                format!("không có đơn vị «{unit}» trong danh mục"),
            ));
            continue;
        };
        let date = match crate::evaluation::required_date("Ngày", &r.cells[1]) {
            Ok(d) if d > today => {
                errors.push(at(
                    r.row,
                    "ngay",
                    format!("ngày {} chưa đến", d.format("%d/%m/%Y")),
                ));
                continue;
            }
            Ok(d) => d,
            Err(e) => {
                errors.push(at(r.row, "ngay", e.message));
                continue;
            }
        };
        let mut ratings = [None; 5];
        let mut ok = true;
        for (k, slot) in ratings.iter_mut().enumerate() {
            let t = r.cells[2 + k].trim();
            if t.is_empty() {
                continue;
            }
            match t
                .parse::<u8>()
                .map_err(|_| format!("«{t}» không phải số"))
                .and_then(SurveyRating::new)
            {
                Ok(v) => *slot = Some(v),
                Err(m) => {
                    errors.push(at(r.row, &format!("c{}", k + 1), m));
                    ok = false;
                }
            }
        }
        if ok && ratings.iter().all(Option::is_none) {
            errors.push(at(
                r.row,
                "c1",
                "phiếu không có câu nào được đánh giá".into(),
            ));
            continue;
        }
        if ok {
            let answer = SurveyAnswer {
                unit: u.id.clone(),
                date,
                ratings,
            };
            answers.push((answer, cchc_domain::text::clean(&r.cells[7])));
        }
    }
    if !errors.is_empty() {
        return Err(Error::invalid(format!(
            "tệp phiếu khảo sát giấy không được nhập ({} lỗi, chưa lưu phiếu nào):\n{}",
            errors.len(),
            errors.join("\n")
        )));
    }
    if answers.is_empty() {
        return Err(Error::invalid(format!(
            "{file_name}: tệp không có phiếu nào"
        )));
    }
    let first = answers.iter().map(|(a, _)| a.date).min().unwrap_or(today);
    let last = answers.iter().map(|(a, _)| a.date).max().unwrap_or(today);
    let audit = AuditDraft::new(
        &s.user.username,
        AuditAction::SurveyPaper.as_str(),
        "khao-sat/phieu-giay".into(),
        None,
    )
    .change(
        String::new(),
        format!(
            "{} phiếu giấy từ tệp «{file_name}», ngày {} – {}",
            answers.len(),
            first.format("%d/%m/%Y"),
            last.format("%d/%m/%Y")
        ),
    );
    let batch = crate::access::random_token();
    Ok(ri(app)
        .add_paper_answers(&answers, &s.user.username, &batch, &audit)
        .await?)
}

/// The paper answers of a unit (or all) in a period, apart from the online ones.
pub async fn paper_satisfaction(
    app: &App,
    unit: Option<&Unit>,
    period: Period,
) -> R<SatisfactionSummary> {
    let answers: Vec<SurveyAnswer> = ri(app)
        .survey_answers_by(
            unit.map(|u| u.id.as_str()),
            period.start(),
            period.end(),
            true,
        )
        .await?
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    Ok(satisfaction(&answers, unit.map(|u| &u.id), period))
}
