//! Công khai — what citizens see without signing in on `/cong-khai`: the plan, each area's
//! progress, the key targets with their values, the units' report timeliness, and what the
//! standing office has published (the communes' reform-index ranking of a year, the periodic
//! report of a period), with the publish and withdraw actions themselves.
//!
//! Nothing here names a person: no account, no reviewer's comment, no note of a draft or a
//! returned report. Progress is read through [`crate::plan::progress`] (sent or accepted
//! reports only), targets through the periodic report's own figures
//! ([`crate::execution::documents::assemble`]), timeliness through the board
//! ([`crate::execution::board_with`]).

use cchc_docs::report::TargetFigures;
use cchc_domain::execution::{AuditAction, Role};
use cchc_domain::plan::Area;
use cchc_domain::Period;
use cchc_store::execution::AuditDraft;
pub use cchc_store::publication::{Publication, PublicationKind};
use chrono::{DateTime, NaiveDate, Utc};

use crate::access::{denied, Session};
use crate::execution::documents;
use crate::plan::plan_for;
use crate::plan::progress::{standings, Standing};
use crate::reform_index::{submitted_ranking, Ranking};
use crate::{App, Error, Result as R};

// ---------------------------------------------------------------------------------------------
// Publishing

/// The audit object of an item: `publication:ranking/2024`, `publication:report/2024-Q2`.
fn object(kind: PublicationKind, subject: &str) -> String {
    format!("publication:{}/{subject}", kind.as_str())
}

/// Công bố / thôi công bố: the standing office (or the administrator) publishes an item on the
/// public pages (`on`) or withdraws it. A ranking is published only when every commune that
/// sent its self-assessment has been appraised on every criterion; communes still scoring are
/// left out of the public ranking. Returns whether anything changed.
pub async fn publish(
    app: &App,
    s: &Session,
    kind: PublicationKind,
    subject: &str,
    on: bool,
) -> R<bool> {
    let what = object(kind, subject);
    if !matches!(s.user.role, Role::StandingOffice | Role::Admin) {
        denied(app, s, &what, None).await;
        return Err(Error::forbidden(format!(
            "chỉ cơ quan thường trực CCHC được công khai hoặc thôi công khai; vai trò «{}» thì \
             không",
            s.user.role.label_vi()
        )));
    }
    let subject = match kind {
        PublicationKind::Ranking => {
            let year: i32 = subject.trim().parse().map_err(|_| {
                Error::invalid(format!("công khai xếp hạng: năm «{subject}» không hợp lệ"))
            })?;
            if on {
                check_ranking_final(&submitted_ranking(app, year).await?, year)?;
            }
            year.to_string()
        }
        PublicationKind::Report => {
            let (rec, _) = crate::execution::get_period(app, subject.trim()).await?;
            rec.code
        }
    };
    let action = if on {
        AuditAction::Publish
    } else {
        AuditAction::Unpublish
    };
    let at = Utc::now();
    let audit = AuditDraft::new(
        &s.user.username,
        action.as_str(),
        object(kind, &subject),
        None,
    )
    .change(
        String::new(),
        if on { at.to_rfc3339() } else { String::new() },
    );
    let published = on.then_some((s.user.username.as_str(), at));
    Ok(app
        .store
        .publication()
        .set_publication(kind, &subject, published, &audit)
        .await?)
}

/// A ranking may be published once it holds a commune and none waits for appraisal.
fn check_ranking_final(r: &Ranking, year: i32) -> R<()> {
    if r.rows.is_empty() {
        return Err(Error::invalid(format!(
            "chưa công khai được xếp hạng chỉ số CCHC năm {year}: chưa có xã nào gửi tự chấm \
             điểm để thẩm định"
        )));
    }
    let pending: Vec<String> = r
        .rows
        .iter()
        .filter(|row| row.pending > 0)
        .map(|row| format!("{} ({} tiêu chí)", row.unit.name, row.pending))
        .collect();
    if !pending.is_empty() {
        return Err(Error::conflict(format!(
            "chưa công khai được xếp hạng chỉ số CCHC năm {year}: còn tiêu chí chờ thẩm định ở {}",
            pending.join(", ")
        )));
    }
    Ok(())
}

/// The item, when it is published.
pub async fn published(app: &App, kind: PublicationKind, subject: &str) -> R<Option<Publication>> {
    Ok(app.store.publication().publication(kind, subject).await?)
}

/// Every published item, newest first.
pub async fn publications(app: &App) -> R<Vec<Publication>> {
    Ok(app.store.publication().publications().await?)
}

/// The title of a published item, as the public pages and the feed give it.
pub fn title_vi(kind: PublicationKind, subject: &str) -> String {
    match kind {
        PublicationKind::Ranking => format!("Xếp hạng chỉ số CCHC các xã năm {subject}"),
        PublicationKind::Report => match Period::parse(subject) {
            Ok(p) => format!(
                "Báo cáo kết quả CCHC {}",
                documents::lower_period(&p.label_vi())
            ),
            Err(_) => format!("Báo cáo kết quả CCHC kỳ {subject}"),
        },
    }
}

/// The public page of a published item: `/cong-khai/chi-so-cchc/2024`,
/// `/cong-khai/bao-cao/2024-Q2`.
pub fn path(kind: PublicationKind, subject: &str) -> String {
    match kind {
        PublicationKind::Ranking => format!("/cong-khai/chi-so-cchc/{subject}"),
        PublicationKind::Report => format!("/cong-khai/bao-cao/{subject}"),
    }
}

// ---------------------------------------------------------------------------------------------
// The plan and its areas

/// One activity on an area's public page.
#[derive(Debug, Clone)]
pub struct ActivityLine {
    pub id: String,
    /// As the decision numbers it.
    pub number: String,
    pub text: String,
    pub deadline: String,
    pub standing: Standing,
}

/// Tiến độ một lĩnh vực — an area with its activities and their count by standing.
#[derive(Debug, Clone)]
pub struct AreaProgress {
    pub area: Area,
    pub activities: Vec<ActivityLine>,
}

impl AreaProgress {
    pub fn count(&self, s: Standing) -> usize {
        self.activities.iter().filter(|a| a.standing == s).count()
    }
}

/// Trang công khai: the plan summary and each area's progress on `today`.
#[derive(Debug, Clone)]
pub struct Overview {
    pub plan_id: cchc_store::PlanId,
    pub title: String,
    pub decision: String,
    pub decision_date: Option<NaiveDate>,
    pub owner: String,
    pub year: i32,
    pub targets: usize,
    pub areas: Vec<AreaProgress>,
    pub today: NaiveDate,
}

/// The latest plan and where each of its activities stands, by area.
pub async fn overview(app: &App) -> R<Overview> {
    let (plan_id, plan, registry) = plan_for(app, None).await?;
    let day = app.today();
    let standing = standings(app, &plan, &registry, day).await?;
    let mut areas: Vec<AreaProgress> = plan
        .areas
        .iter()
        .map(|a| AreaProgress {
            area: a.clone(),
            activities: Vec::new(),
        })
        .collect();
    for c in plan.activities() {
        let no = plan.section_area(&c.section.code).unwrap_or(0);
        let Some(area) = areas.iter_mut().find(|x| x.area.no == no) else {
            continue;
        };
        let a = c.activity;
        area.activities.push(ActivityLine {
            id: a.id.clone(),
            number: c.number().to_string(),
            text: a.text.clone(),
            deadline: a
                .deadline
                .as_ref()
                .map(|d| d.text.clone())
                .unwrap_or_default(),
            standing: standing
                .get(&a.id)
                .copied()
                .unwrap_or(Standing::NotReported),
        });
    }
    Ok(Overview {
        plan_id,
        title: plan.decision.title.clone(),
        decision: plan.decision.number.clone(),
        decision_date: plan.decision.date,
        owner: plan.owner.text.clone(),
        year: plan.year,
        targets: plan.targets.len(),
        areas,
        today: day,
    })
}

// ---------------------------------------------------------------------------------------------
// Targets

/// Chỉ tiêu công khai — the key targets with their current values and sources, as the periodic
/// report of `period` gives them (`None`: no period of the plan's year is open yet, and the
/// targets come without values).
#[derive(Debug, Clone)]
pub struct PublicTargets {
    pub period: Option<Period>,
    pub targets: Vec<(u32, TargetFigures)>,
}

/// The latest opened period of `year`, by its last day.
async fn latest_period(app: &App, year: i32) -> R<Option<Period>> {
    Ok(crate::execution::periods(app)
        .await?
        .iter()
        .filter_map(|p| Period::parse(&p.code).ok())
        .filter(|p| p.year() == year)
        .max_by_key(|p| (p.end(), std::cmp::Reverse(p.start()))))
}

/// The key targets of the latest plan with their values in its year's latest opened period.
pub async fn targets(app: &App) -> R<PublicTargets> {
    let (_, plan, _) = plan_for(app, None).await?;
    let Some(period) = latest_period(app, plan.year).await? else {
        return Ok(PublicTargets {
            period: None,
            targets: plan
                .targets
                .iter()
                .map(|t| {
                    (
                        t.area,
                        TargetFigures {
                            code: t.code.clone(),
                            text: t.text.clone(),
                            figures: Vec::new(),
                        },
                    )
                })
                .collect(),
        });
    };
    let data = documents::load(app, &period.to_string(), None).await?;
    let input = documents::assemble(&data, "");
    Ok(PublicTargets {
        period: Some(period),
        targets: input
            .areas
            .into_iter()
            .flat_map(|a| a.targets.into_iter().map(move |t| (a.no, t)))
            .collect(),
    })
}

// ---------------------------------------------------------------------------------------------
// Timeliness

/// Tính kịp thời — one unit's report in one period, as the public sees it: on time, late or
/// missing, and the day it was sent (Vietnam time).
#[derive(Debug, Clone)]
pub struct TimelinessLine {
    pub unit_name: String,
    /// `on_time`, `late` or `missing` (the board's rule).
    pub timeliness: &'static str,
    pub sent_on: Option<NaiveDate>,
}

/// A period's due time and its units' timeliness.
#[derive(Debug, Clone)]
pub struct PeriodTimeliness {
    pub period: Period,
    pub due_at: DateTime<Utc>,
    pub lines: Vec<TimelinessLine>,
}

/// Every opened period, latest due first, with each reporting unit's timeliness.
pub async fn timeliness(app: &App) -> R<Vec<PeriodTimeliness>> {
    let vietnam = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7");
    let mut periods = crate::execution::periods(app).await?;
    periods.sort_by_key(|p| std::cmp::Reverse(p.due_at));
    let mut out = Vec::new();
    for p in periods {
        let Ok(period) = Period::parse(&p.code) else {
            continue;
        };
        let (rec, lines) = crate::execution::board(app, &p.code).await?;
        out.push(PeriodTimeliness {
            period,
            due_at: rec.due_at,
            lines: lines
                .into_iter()
                .map(|l| TimelinessLine {
                    unit_name: l.unit_name,
                    timeliness: l.timeliness,
                    sent_on: l
                        .submitted_at
                        .filter(|_| l.timeliness != "missing")
                        .map(|t| t.with_timezone(&vietnam).date_naive()),
                })
                .collect(),
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Published items

fn not_published(what: String) -> Error {
    Error::not_found(format!("{what} chưa được công khai"))
}

/// The communes' ranking of `year`, once published (no draft: communes still scoring are left
/// out); not found before.
pub async fn ranking(app: &App, year: i32) -> R<(Publication, Ranking)> {
    let subject = year.to_string();
    let Some(p) = published(app, PublicationKind::Ranking, &subject).await? else {
        return Err(not_published(title_vi(PublicationKind::Ranking, &subject)));
    };
    Ok((p, submitted_ranking(app, year).await?))
}

/// A published periodic report: its publication and the report's input (areas, timeliness),
/// for the page's summary. Not found before it is published.
pub async fn report(
    app: &App,
    period: &str,
) -> R<(Publication, cchc_docs::report::PeriodicReportInput)> {
    let Some(p) = published(app, PublicationKind::Report, period).await? else {
        return Err(not_published(title_vi(PublicationKind::Report, period)));
    };
    Ok((p, documents::gather(app, period, None).await?))
}

/// The `.docx` of a published periodic report (the same bytes as the office's download).
pub async fn report_docx(app: &App, period: &str) -> R<Vec<u8>> {
    if published(app, PublicationKind::Report, period)
        .await?
        .is_none()
    {
        return Err(not_published(title_vi(PublicationKind::Report, period)));
    }
    documents::report_docx(app, period, None).await
}
