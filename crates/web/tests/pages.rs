//! The pages over a real SQLite store holding the real Đức Thọ 2024 plan.

mod common;

use std::sync::Arc;

use async_trait::async_trait;
use axum::http::StatusCode;
use cchc_domain::{Plan, Unit};
use cchc_store::{PlanId, PlanSummary, Repository, StoreError, UnitImportSummary};
use common::{get, TestApp};

/// The key of the activity whose text starts with `prefix`.
fn key_of(app: &TestApp, prefix: &str) -> String {
    let found: Vec<_> = app
        .plan
        .activities()
        .filter(|c| c.activity.text.starts_with(prefix))
        .collect();
    assert_eq!(found.len(), 1, "one activity starts with «{prefix}»");
    found[0].activity.id.clone()
}

#[tokio::test]
async fn plan_page_shows_decision_targets_and_the_whole_matrix() {
    let app = TestApp::duc_tho().await;
    let page = app.get_plan("").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = &page.body;
    assert!(html.contains("<html lang=\"vi\">"));
    assert!(html.contains("name=\"viewport\""));
    assert!(html.contains("60/QĐ-UBND"));
    assert!(html.contains("Trần Hoài Đức"), "signer");
    assert!(html.contains("11/01/2024"), "decision date as dd/mm/yyyy");
    assert!(
        html.contains("Căn cứ Nghị quyết số 76/NQ-CP") || html.contains("Nghị quyết số 76/NQ-CP")
    );
    assert!(
        html.contains("<details class=\"recipients\">"),
        "recipients collapsed"
    );
    // Key targets with thresholds, e.g. 3.1: cấp huyện 80%, cấp xã 75%.
    let t31 = app.plan.targets.iter().find(|t| t.code == "3.1").unwrap();
    assert!(!t31.measures.is_empty());
    for m in &t31.measures {
        assert!(html.contains(&m.display_vi()), "measure {}", m.display_vi());
    }
    let total = app.plan.activities().count();
    assert!(total > 50);
    assert_eq!(page.count(), total);
    assert_eq!(
        page.activity_rows().len(),
        total,
        "every activity has a row"
    );
    // Group references expand to their units; unit references link to unit pages.
    assert!(html.contains("<details class=\"grp\">"));
    assert!(html.contains("href=\"/don-vi/xa-tung-anh\""));
    assert!(html.contains("href=\"/don-vi/phong-noi-vu\""));
}

#[tokio::test]
async fn filter_by_justice_office_and_second_quarter() {
    let app = TestApp::duc_tho().await;
    let guidance = key_of(&app, "Hướng dẫn nghiệp vụ chuyên sâu");
    let self_check = key_of(&app, "Tổ chức tự kiểm tra văn bản QPPL");
    let inspection = key_of(&app, "Thành lập Đoàn kiểm tra liên ngành");

    let lead = app
        .get_plan("don_vi=phong-tu-phap&vai_tro=chu_tri&han=2024-Q2")
        .await;
    assert_eq!(lead.status, StatusCode::OK);
    let rows = lead.activity_rows();
    assert!(
        rows.contains(&guidance),
        "Quý II activity of Phòng Tư pháp: {rows:?}"
    );
    assert!(!rows.contains(&self_check), "recurring, not in Quý II");
    assert!(!rows.contains(&inspection), "Quý IV");
    assert_eq!(lead.count(), rows.len());
    // The form keeps the chosen values.
    assert!(lead
        .body
        .contains("<option value=\"phong-tu-phap\" selected>"));
    assert!(lead.body.contains("<option value=\"2024-Q2\" selected>"));

    let all_roles = app.get_plan("don_vi=phong-tu-phap&han=2024-Q2").await;
    assert!(all_roles.count() >= lead.count());
    let all_year = app.get_plan("don_vi=phong-tu-phap&vai_tro=chu_tri").await;
    assert!(all_year.activity_rows().contains(&self_check));
    assert!(all_year.activity_rows().contains(&inspection));
}

#[tokio::test]
async fn a_commune_sees_what_the_communes_group_is_given() {
    let app = TestApp::duc_tho().await;
    let commune_check = key_of(&app, "Kiểm tra văn bản quy phạm pháp luật của UBND các xã");
    let page = app.get_plan("don_vi=xa-tung-anh").await;
    assert!(page.activity_rows().contains(&commune_check));
    let coord = app.get_plan("don_vi=xa-tung-anh&vai_tro=phoi_hop").await;
    let lead = app.get_plan("don_vi=xa-tung-anh&vai_tro=chu_tri").await;
    assert!(coord.count() > 0);
    assert!(lead.count() < page.count());
    assert!(coord.count() + lead.count() >= page.count());
}

#[tokio::test]
async fn search_ignores_diacritics_and_keeps_the_matrix_context() {
    let app = TestApp::duc_tho().await;
    let e_cert = key_of(&app, "Triển khai chứng thực điện tử");
    let page = app.get_plan("q=chung+thuc+dien+tu").await;
    assert!(page.activity_rows().contains(&e_cert));
    assert!(page.count() >= 1 && page.count() < app.plan.activities().count());
    let ctx = app.plan.activity(&e_cert).unwrap();
    assert!(page.body.contains(&ctx.task.text), "task heading kept");
    assert!(
        page.body.contains(&ctx.section.title),
        "section heading kept"
    );

    let noi_vu = app.get_plan("q=noi%20vu").await;
    let upper = app.get_plan("q=N%E1%BB%98I+V%E1%BB%A4").await; // "NỘI VỤ"
    assert!(noi_vu.count() > 5, "Phòng Nội vụ leads many activities");
    assert_eq!(noi_vu.count(), upper.count());

    let none = app.get_plan("q=khong+co+tu+nay+xyz").await;
    assert_eq!(none.count(), 0);
    assert!(none.body.contains("Không có hoạt động nào phù hợp"));
}

#[tokio::test]
async fn area_filter_and_overdue_as_of_a_date() {
    let app = TestApp::duc_tho().await;
    let area2 = app.get_plan("linh_vuc=2").await;
    let in_area2 = app.plan.sections[1]
        .parts
        .iter()
        .flat_map(|p| &p.rows)
        .flat_map(|r| &r.tasks);
    assert_eq!(
        area2.count(),
        in_area2.map(|t| t.activities.len()).sum::<usize>()
    );

    let draft = key_of(&app, "Xây dựng dự thảo văn bản đề xuất mục tiêu");
    let guidance = key_of(&app, "Hướng dẫn nghiệp vụ chuyên sâu");
    let feb = app.get_plan("han=qua_han&ngay=2024-02-01").await;
    assert!(feb.body.contains("tính đến ngày 01/02/2024"));
    assert!(feb.activity_rows().contains(&draft), "due 15/01/2024");
    assert!(!feb.activity_rows().contains(&guidance), "due in Quý II");
    let july = app.get_plan("han=qua_han&ngay=2024-07-01").await;
    assert!(july.activity_rows().contains(&guidance));
    assert!(july.count() > feb.count());

    let recurring = app.get_plan("han=thuong_xuyen").await;
    let conditional = app.get_plan("han=co_dieu_kien").await;
    assert!(recurring.count() > 10);
    assert!(conditional.count() >= 1);
    assert!(conditional.body.contains("Khi có chỉ đạo của tỉnh"));
}

#[tokio::test]
async fn values_not_understood_are_named_and_ignored() {
    let app = TestApp::duc_tho().await;
    let page = app.get_plan("han=quy-2&don_vi=khong-co&linh_vuc=42").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Không hiểu thời hạn"));
    assert!(page.body.contains("Không có đơn vị mã «khong-co»"));
    assert!(page.body.contains("Không có lĩnh vực số «42»"));
    assert_eq!(page.count(), app.plan.activities().count());
}

#[tokio::test]
async fn activity_page_shows_its_context_and_links_its_units() {
    let app = TestApp::duc_tho().await;
    let key = key_of(&app, "Thông báo lịch kiểm tra và tiến hành kiểm tra");
    assert!(key.contains('.'));
    let page = app
        .get(&format!("/ke-hoach/{}/hoat-dong/{key}", app.plan_id))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let ctx = app.plan.activity(&key).unwrap();
    for text in [&ctx.section.title, &ctx.task.text, &ctx.activity.text] {
        assert!(page.body.contains(text.as_str()), "{text}");
    }
    assert!(page.body.contains("Quý II, III/2024"));
    assert!(
        page.body.contains("01/04/2024 – 30/09/2024"),
        "computed span"
    );
    assert!(page.body.contains("href=\"/don-vi/phong-noi-vu\""));

    // Every activity of the plan has a page of its own.
    for c in app.plan.activities().step_by(7) {
        let p = app
            .get(&format!(
                "/ke-hoach/{}/hoat-dong/{}",
                app.plan_id, c.activity.id
            ))
            .await;
        assert_eq!(p.status, StatusCode::OK, "{}", c.activity.id);
    }
}

#[tokio::test]
async fn unknown_addresses_get_a_vietnamese_404() {
    let app = TestApp::duc_tho().await;
    for uri in [
        format!("/ke-hoach/{}/hoat-dong/IX.99.3.1", app.plan_id),
        format!("/ke-hoach/{}/chi-tieu/9.9", app.plan_id),
        "/ke-hoach/999".to_string(),
        "/ke-hoach/abc".to_string(),
        "/don-vi/khong-co".to_string(),
        "/don-vi/Không".to_string(),
        "/khong-co-trang-nay".to_string(),
    ] {
        let page = app.get(&uri).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(page.body.contains("Không tìm thấy trang"), "{uri}");
        assert!(page.body.contains("<html lang=\"vi\">"));
    }
}

#[tokio::test]
async fn target_page_lists_thresholds_and_rows_of_its_area() {
    let app = TestApp::duc_tho().await;
    let page = app
        .get(&format!("/ke-hoach/{}/chi-tieu/3.1", app.plan_id))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let t = app.plan.targets.iter().find(|t| t.code == "3.1").unwrap();
    assert!(page.body.contains(&t.text));
    for m in &t.measures {
        assert!(page.body.contains(&m.display_vi()));
    }
    let area3: Vec<String> = app
        .plan
        .activities()
        .filter(|c| app.plan.section_area(&c.section.code) == Some(3))
        .map(|c| c.activity.id.clone())
        .collect();
    assert!(!area3.is_empty());
    assert_eq!(page.activity_rows(), area3);
}

#[tokio::test]
async fn unit_tree_indents_by_parent() {
    let app = TestApp::duc_tho().await;
    let page = app.get("/don-vi").await;
    assert_eq!(page.status, StatusCode::OK);
    for u in app.registry.units() {
        assert!(
            page.body.contains(&format!("href=\"/don-vi/{}\"", u.id)),
            "{}",
            u.id
        );
    }
    // ubnd-tinh › ubnd-huyen › vp-hdnd-ubnd › trung-tam-hcc
    assert!(page
        .body
        .contains("<li class=\"d0\"><a href=\"/don-vi/ubnd-tinh\""));
    assert!(page
        .body
        .contains("<li class=\"d2\"><a href=\"/don-vi/vp-hdnd-ubnd\""));
    assert!(page
        .body
        .contains("<li class=\"d3\"><a href=\"/don-vi/trung-tam-hcc\""));
}

#[tokio::test]
async fn unit_page_counts_trace_to_the_filtered_plan() {
    let app = TestApp::duc_tho().await;
    for unit in ["xa-tung-anh", "phong-tu-phap", "phong-noi-vu"] {
        let page = app.get(&format!("/don-vi/{unit}")).await;
        assert_eq!(page.status, StatusCode::OK);
        for (class, role) in [("lead-count", "chu_tri"), ("coord-count", "phoi_hop")] {
            let marker = format!("<strong class=\"{class}\">");
            let at = page.body.find(&marker).unwrap() + marker.len();
            let n: usize = page.body[at..at + page.body[at..].find('<').unwrap()]
                .parse()
                .unwrap();
            let filtered = app.get_plan(&format!("don_vi={unit}&vai_tro={role}")).await;
            assert_eq!(n, filtered.count(), "{unit} {role}");
        }
    }
    let commune = app.get("/don-vi/xa-tung-anh").await;
    assert!(commune.body.contains("qua nhóm UBND các xã, thị trấn"));
}

#[tokio::test]
async fn diagnostics_page_lists_the_plan_warnings() {
    let app = TestApp::duc_tho().await;
    let page = app
        .get(&format!("/ke-hoach/{}/canh-bao", app.plan_id))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !app.plan.diagnostics.is_empty(),
        "the importer flags the Đức Thọ plan"
    );
    for d in &app.plan.diagnostics {
        let escaped = maud::html! { (d.message) }.into_string();
        assert!(page.body.contains(&escaped), "{}", d.message);
    }
    // The count the plan page links with is the number of warnings listed.
    let listed = page.body.matches("<tr class=\"sev-").count();
    assert!(page.body.contains(&format!("<h1>Cảnh báo ({listed})</h1>")));
    let plan_page = app.get_plan("").await;
    assert!(plan_page
        .body
        .contains(&format!("/canh-bao\">Cảnh báo ({listed})</a>")));
}

#[tokio::test]
async fn english_is_chosen_by_query_and_remembered_by_cookie() {
    let app = TestApp::duc_tho().await;
    let en = app.get_plan("lang=en").await;
    assert!(en.body.contains("<html lang=\"en\">"));
    assert!(en.body.contains("Key targets"));
    let cookie = en.set_cookie.expect("the choice is remembered");
    assert!(cookie.starts_with("lang=en"));
    let next = app.get_with_cookie("/don-vi", "lang=en").await;
    assert!(next.body.contains("Unit registry"));
    let back = app.get_with_cookie("/don-vi?lang=vi", "lang=en").await;
    assert!(back.body.contains("Danh mục đơn vị"));
}

#[tokio::test]
async fn home_health_and_static_files() {
    let app = TestApp::duc_tho().await;
    let home = app.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home
        .body
        .contains(&format!("href=\"/ke-hoach/{}\"", app.plan_id)));
    assert!(
        home.body.contains("class=\"plans one\""),
        "the only plan is shown prominently"
    );
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
    let css = app.get("/static/app.css").await;
    assert!(css.content_type.starts_with("text/css"));
    assert!(css.body.contains("@media (max-width: 800px)"));
}

#[tokio::test]
async fn postgresql_shows_the_same_plan_as_sqlite() {
    let Some(db) = cchc_store::testing::TestDatabase::create().await else {
        return;
    };
    let pg = TestApp::duc_tho_at(db.url(), None).await;
    let lite = TestApp::duc_tho().await;
    for q in [
        "",
        "don_vi=phong-tu-phap&vai_tro=chu_tri&han=2024-Q2",
        "don_vi=xa-tung-anh&vai_tro=phoi_hop",
        "q=noi+vu",
        "han=qua_han&ngay=2024-07-01",
        "linh_vuc=7",
    ] {
        let (a, b) = (pg.get_plan(q).await, lite.get_plan(q).await);
        assert_eq!(a.status, StatusCode::OK);
        assert_eq!(a.count(), b.count(), "{q}");
        assert_eq!(a.activity_rows(), b.activity_rows(), "{q}");
    }
    let key = key_of(&pg, "Hướng dẫn nghiệp vụ chuyên sâu");
    let page = pg
        .get(&format!("/ke-hoach/{}/hoat-dong/{key}", pg.plan_id))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(pg.get("/don-vi").await.body, lite.get("/don-vi").await.body);
    drop(pg);
    db.drop().await;
}

/// A repository whose database is down.
struct DownStore;

#[async_trait]
impl Repository for DownStore {
    fn backend(&self) -> &'static str {
        "down"
    }
    async fn import_units(&self, _: &[Unit]) -> cchc_store::Result<UnitImportSummary> {
        Err(StoreError::Invalid("down".into()))
    }
    async fn list_units(&self) -> cchc_store::Result<Vec<Unit>> {
        Err(StoreError::Invalid("down".into()))
    }
    async fn find_plan(&self, _: &str, _: &str) -> cchc_store::Result<Option<PlanId>> {
        Err(StoreError::Invalid("down".into()))
    }
    async fn insert_plan(&self, _: &Plan) -> cchc_store::Result<PlanId> {
        Err(StoreError::Invalid("down".into()))
    }
    async fn replace_plan(&self, _: PlanId, _: &Plan) -> cchc_store::Result<()> {
        Err(StoreError::Invalid("down".into()))
    }
    async fn list_plans(&self) -> cchc_store::Result<Vec<PlanSummary>> {
        Err(StoreError::Invalid("down".into()))
    }
    async fn get_plan(&self, _: PlanId) -> cchc_store::Result<Option<Plan>> {
        Err(StoreError::Invalid("down".into()))
    }
    async fn get_plan_shared(&self, _: PlanId) -> cchc_store::Result<Option<std::sync::Arc<Plan>>> {
        Err(StoreError::Invalid("down".into()))
    }
    async fn list_activities(
        &self,
        _: PlanId,
    ) -> cchc_store::Result<Vec<cchc_store::ActivityRecord>> {
        Err(StoreError::Invalid("down".into()))
    }
    async fn data_version(&self) -> cchc_store::Result<Option<u64>> {
        Err(StoreError::Invalid("down".into()))
    }
    fn execution(&self) -> &dyn cchc_store::ExecutionRepository {
        self
    }
    fn evaluation(&self) -> &dyn cchc_store::EvaluationRepository {
        self
    }
    fn reform_index(&self) -> &dyn cchc_store::ReformIndexRepository {
        self
    }
    fn commune_plans(&self) -> &dyn cchc_store::CommunePlanRepository {
        self
    }
    fn publication(&self) -> &dyn cchc_store::PublicationRepository {
        self
    }
    fn reminders(&self) -> &dyn cchc_store::ReminderRepository {
        self
    }
}

#[async_trait]
impl cchc_store::ReminderRepository for DownStore {
    async fn enqueue_reminders(
        &self,
        _: &[cchc_store::reminder::NewReminder],
        _: chrono::DateTime<chrono::Utc>,
    ) -> cchc_store::Result<u64> {
        Err(StoreError::Invalid("down".into()))
    }
    async fn claim_reminders(
        &self,
        _: chrono::DateTime<chrono::Utc>,
        _: i64,
    ) -> cchc_store::Result<Vec<cchc_store::reminder::ReminderJob>> {
        Err(StoreError::Invalid("down".into()))
    }
    async fn finish_reminder(
        &self,
        _: i64,
        _: &cchc_store::reminder::Outcome,
        _: chrono::DateTime<chrono::Utc>,
        _: &cchc_store::execution::AuditDraft,
    ) -> cchc_store::Result<()> {
        Err(StoreError::Invalid("down".into()))
    }
    async fn list_reminders(
        &self,
        _: i64,
    ) -> cchc_store::Result<Vec<cchc_store::reminder::ReminderJob>> {
        Err(StoreError::Invalid("down".into()))
    }
    async fn list_notices(
        &self,
        _: &str,
        _: i64,
    ) -> cchc_store::Result<Vec<cchc_store::reminder::Notice>> {
        Err(StoreError::Invalid("down".into()))
    }
    async fn count_unread_notices(&self, _: &str) -> cchc_store::Result<i64> {
        Err(StoreError::Invalid("down".into()))
    }
    async fn mark_notices_read(
        &self,
        _: &str,
        _: chrono::DateTime<chrono::Utc>,
        _: &cchc_store::execution::AuditDraft,
    ) -> cchc_store::Result<u64> {
        Err(StoreError::Invalid("down".into()))
    }
}

/// Its publications fail the same way.
mod down_publication {
    use async_trait::async_trait;
    use cchc_store::execution::AuditDraft;
    use cchc_store::publication::{Publication, PublicationKind, PublicationRepository};
    use cchc_store::{Result, StoreError};
    use chrono::{DateTime, Utc};

    use super::DownStore;

    fn down<T>() -> Result<T> {
        Err(StoreError::Invalid("down".into()))
    }

    #[async_trait]
    impl PublicationRepository for DownStore {
        async fn publications(&self) -> Result<Vec<Publication>> {
            down()
        }
        async fn publication(&self, _: PublicationKind, _: &str) -> Result<Option<Publication>> {
            down()
        }
        async fn set_publication(
            &self,
            _: PublicationKind,
            _: &str,
            _: Option<(&str, DateTime<Utc>)>,
            _: &AuditDraft,
        ) -> Result<bool> {
            down()
        }
    }
}

/// Its reform-index queries fail the same way.
mod down_reform_index {
    use async_trait::async_trait;
    use cchc_domain::evaluation::{CriteriaSet, SurveyAnswer};
    use cchc_store::commune_plan::CommunePlanRecord;
    use cchc_store::execution::AuditDraft;
    use cchc_store::reform_index::{EvaluationRecord, NewSurveyAnswer, SurveyOutcome};
    use cchc_store::{Result, StoreError};
    use chrono::NaiveDate;

    use super::DownStore;

    fn down<T>() -> Result<T> {
        Err(StoreError::Invalid("down".into()))
    }

    #[async_trait]
    impl cchc_store::ReformIndexRepository for DownStore {
        async fn criteria_set(&self, _: i32) -> Result<Option<CriteriaSet>> {
            down()
        }
        async fn criteria_years(&self) -> Result<Vec<i32>> {
            down()
        }
        async fn put_criteria_set(&self, _: &CriteriaSet, _: &str, _: &AuditDraft) -> Result<()> {
            down()
        }
        async fn evaluation(&self, _: i32, _: &str) -> Result<Option<EvaluationRecord>> {
            down()
        }
        async fn evaluations(&self, _: i32) -> Result<Vec<EvaluationRecord>> {
            down()
        }
        async fn put_evaluation(&self, _: &EvaluationRecord, _: &AuditDraft) -> Result<()> {
            down()
        }
        async fn add_survey_answer(
            &self,
            _: &NewSurveyAnswer<'_>,
            _: &AuditDraft,
        ) -> Result<SurveyOutcome> {
            down()
        }
        async fn survey_answers_by(
            &self,
            _: Option<&str>,
            _: NaiveDate,
            _: NaiveDate,
            _: bool,
        ) -> Result<Vec<(SurveyAnswer, String)>> {
            down()
        }
        async fn add_paper_answers(
            &self,
            _: &[(SurveyAnswer, String)],
            _: &str,
            _: &str,
            _: &AuditDraft,
        ) -> Result<usize> {
            down()
        }
    }

    #[async_trait]
    impl cchc_store::CommunePlanRepository for DownStore {
        async fn commune_plan(&self, _: i32, _: &str) -> Result<Option<CommunePlanRecord>> {
            down()
        }
        async fn commune_plans(&self, _: i32) -> Result<Vec<CommunePlanRecord>> {
            down()
        }
        async fn put_commune_plans(
            &self,
            _: &[CommunePlanRecord],
            _: Option<&cchc_store::execution::FileRecord>,
            _: &AuditDraft,
        ) -> Result<()> {
            down()
        }
    }
}

/// Its execution queries fail the same way.
mod down_execution {
    use async_trait::async_trait;
    use cchc_domain::execution::AuditEntry;
    use cchc_store::execution::{
        AuditDraft, AuditFilter, AuditPage, FileRecord, NewUser, PeriodRecord, ReportRecord,
        ReportVersion, ReportWrite, SessionInfo, SessionRecord, User, UserId,
    };
    use cchc_store::StoreError;
    use chrono::{DateTime, Utc};

    use super::DownStore;
    #[async_trait]
    impl cchc_store::ExecutionRepository for DownStore {
        async fn count_users(&self) -> cchc_store::Result<i64> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn create_user(&self, _: &NewUser<'_>, _: &AuditDraft) -> cchc_store::Result<User> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn find_user(&self, _: &str) -> cchc_store::Result<Option<User>> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn list_users(&self) -> cchc_store::Result<Vec<User>> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn set_password(
            &self,
            _: &str,
            _: &str,
            _: bool,
            _: &AuditDraft,
        ) -> cchc_store::Result<()> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn set_disabled(&self, _: &str, _: bool, _: &AuditDraft) -> cchc_store::Result<()> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn set_email(
            &self,
            _: &str,
            _: Option<&str>,
            _: &AuditDraft,
        ) -> cchc_store::Result<()> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn create_session(
            &self,
            _: &str,
            _: UserId,
            _: &str,
            _: DateTime<Utc>,
        ) -> cchc_store::Result<()> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn get_session(&self, _: &str) -> cchc_store::Result<Option<SessionRecord>> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn touch_session(&self, _: &str, _: DateTime<Utc>) -> cchc_store::Result<()> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn delete_session(&self, _: &str) -> cchc_store::Result<()> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn list_sessions(&self, _: UserId) -> cchc_store::Result<Vec<SessionInfo>> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn end_sessions(
            &self,
            _: UserId,
            _: &[String],
            _: &AuditDraft,
        ) -> cchc_store::Result<u64> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn record_login_failure(
            &self,
            _: &[String],
            _: DateTime<Utc>,
        ) -> cchc_store::Result<()> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn count_login_failures(&self, _: &str, _: DateTime<Utc>) -> cchc_store::Result<i64> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn clear_login_failures(&self, _: &str) -> cchc_store::Result<()> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn open_period(&self, _: &PeriodRecord, _: &AuditDraft) -> cchc_store::Result<()> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn list_periods(&self) -> cchc_store::Result<Vec<PeriodRecord>> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn get_period(&self, _: &str) -> cchc_store::Result<Option<PeriodRecord>> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn get_report(&self, _: &str, _: &str) -> cchc_store::Result<Option<ReportRecord>> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn list_reports(&self, _: Option<&str>) -> cchc_store::Result<Vec<ReportRecord>> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn list_report_heads(
            &self,
            _: Option<&str>,
        ) -> cchc_store::Result<Vec<cchc_store::execution::ReportHead>> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn put_report(&self, _: &ReportWrite<'_>, _: &AuditDraft) -> cchc_store::Result<()> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn list_report_versions(
            &self,
            _: &str,
            _: &str,
        ) -> cchc_store::Result<Vec<ReportVersion>> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn insert_file(&self, _: &FileRecord, _: &AuditDraft) -> cchc_store::Result<()> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn get_file(&self, _: &str) -> cchc_store::Result<Option<FileRecord>> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn list_files(&self, _: &str, _: &str) -> cchc_store::Result<Vec<FileRecord>> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn get_setting(&self, _: &str) -> cchc_store::Result<Option<String>> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn set_setting(&self, _: &str, _: &str, _: &AuditDraft) -> cchc_store::Result<()> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn append_audit(&self, _: &AuditDraft) -> cchc_store::Result<()> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn list_audit(&self, _: &AuditFilter) -> cchc_store::Result<Vec<AuditEntry>> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn audit_page(
            &self,
            _: &AuditFilter,
            _: i64,
            _: i64,
        ) -> cchc_store::Result<AuditPage> {
            Err(StoreError::Invalid("down".into()))
        }
    }
}

/// Its evaluation queries fail the same way.
mod down_evaluation {
    use async_trait::async_trait;
    use cchc_store::evaluation::{
        DialogueDraft, DialogueRecord, InitiativeDraft, InitiativeRecord, InspectionDraft,
        InspectionRecord, QuotaRecord, RemediationDraft, RemediationRecord,
    };
    use cchc_store::execution::AuditDraft;
    use cchc_store::StoreError;

    use super::DownStore;
    #[async_trait]
    impl cchc_store::EvaluationRepository for DownStore {
        async fn list_inspections(&self, _: i32) -> cchc_store::Result<Vec<InspectionRecord>> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn get_inspection(&self, _: i64) -> cchc_store::Result<Option<InspectionRecord>> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn insert_inspection(
            &self,
            _: &InspectionDraft,
            _: &AuditDraft,
        ) -> cchc_store::Result<i64> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn update_inspection(
            &self,
            _: i64,
            _: &InspectionDraft,
            _: &AuditDraft,
        ) -> cchc_store::Result<()> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn delete_inspection(&self, _: i64, _: &AuditDraft) -> cchc_store::Result<()> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn get_remediation(&self, _: i64) -> cchc_store::Result<Option<RemediationRecord>> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn insert_remediation(
            &self,
            _: i64,
            _: &RemediationDraft,
            _: &AuditDraft,
        ) -> cchc_store::Result<i64> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn update_remediation(
            &self,
            _: i64,
            _: &RemediationDraft,
            _: &AuditDraft,
        ) -> cchc_store::Result<()> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn delete_remediation(&self, _: i64, _: &AuditDraft) -> cchc_store::Result<()> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn list_initiatives(&self, _: i32) -> cchc_store::Result<Vec<InitiativeRecord>> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn get_initiative(&self, _: i64) -> cchc_store::Result<Option<InitiativeRecord>> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn insert_initiative(
            &self,
            _: &InitiativeDraft,
            _: &AuditDraft,
        ) -> cchc_store::Result<i64> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn update_initiative(
            &self,
            _: i64,
            _: &InitiativeDraft,
            _: &AuditDraft,
        ) -> cchc_store::Result<()> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn delete_initiative(&self, _: i64, _: &AuditDraft) -> cchc_store::Result<()> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn list_dialogues(&self, _: i32) -> cchc_store::Result<Vec<DialogueRecord>> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn get_dialogue(&self, _: i64) -> cchc_store::Result<Option<DialogueRecord>> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn insert_dialogue(
            &self,
            _: &DialogueDraft,
            _: &AuditDraft,
        ) -> cchc_store::Result<i64> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn update_dialogue(
            &self,
            _: i64,
            _: &DialogueDraft,
            _: &AuditDraft,
        ) -> cchc_store::Result<()> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn delete_dialogue(&self, _: i64, _: &AuditDraft) -> cchc_store::Result<()> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn list_quotas(&self, _: &[i32]) -> cchc_store::Result<Vec<QuotaRecord>> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn put_quota(&self, _: &QuotaRecord, _: &AuditDraft) -> cchc_store::Result<()> {
            Err(StoreError::Invalid("down".into()))
        }
        async fn delete_quota(&self, _: &str, _: i32, _: &AuditDraft) -> cchc_store::Result<()> {
            Err(StoreError::Invalid("down".into()))
        }
    }
}

#[async_trait]
impl cchc_store::ServiceRepository for DownStore {
    async fn import_procedures(
        &self,
        _: &[cchc_domain::service::Procedure],
        _: Option<&std::collections::HashSet<String>>,
    ) -> cchc_store::Result<cchc_store::ImportCounts> {
        Err(StoreError::Invalid("down".into()))
    }
    async fn list_procedures(&self) -> cchc_store::Result<Vec<cchc_domain::service::Procedure>> {
        Err(StoreError::Invalid("down".into()))
    }
    async fn begin_dossier_import(
        &self,
        _: &str,
    ) -> cchc_store::Result<Box<dyn cchc_store::DossierImport>> {
        Err(StoreError::Invalid("down".into()))
    }
    async fn service_totals(
        &self,
        _: chrono::NaiveDate,
        _: chrono::NaiveDate,
        _: bool,
    ) -> cchc_store::Result<Vec<cchc_store::TotalsRow>> {
        Err(StoreError::Invalid("down".into()))
    }
    async fn all_service_totals(
        &self,
    ) -> cchc_store::Result<Vec<(String, String, String, cchc_domain::service::Tally)>> {
        Err(StoreError::Invalid("down".into()))
    }
    async fn recompute_service_totals(&self) -> cchc_store::Result<u64> {
        Err(StoreError::Invalid("down".into()))
    }
    async fn list_dossiers(
        &self,
        _: &cchc_store::DossierQuery,
    ) -> cchc_store::Result<cchc_store::DossierPage> {
        Err(StoreError::Invalid("down".into()))
    }
    async fn for_each_dossier(
        &self,
        _: &cchc_store::DossierQuery,
        _: &mut (dyn FnMut(cchc_domain::service::Dossier) -> cchc_store::Result<()> + Send),
    ) -> cchc_store::Result<u64> {
        Err(StoreError::Invalid("down".into()))
    }
    async fn count_dossiers(&self) -> cchc_store::Result<u64> {
        Err(StoreError::Invalid("down".into()))
    }
}

#[tokio::test]
async fn a_store_failure_gives_a_vietnamese_500() {
    let router = cchc_web::router(Arc::new(DownStore));
    for uri in [
        "/",
        "/ke-hoach/1",
        "/don-vi",
        "/don-vi/phong-noi-vu",
        "/chi-so",
        "/ho-so",
    ] {
        let page = get(router.clone(), uri, None).await;
        assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR, "{uri}");
        assert!(page.body.contains("Lỗi hệ thống"));
    }
    assert_eq!(
        get(router, "/healthz", None).await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
}
