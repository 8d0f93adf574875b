//! Targets 1.2, 1.3, 3.7 and 4.2 measured from records entered through the application, on
//! SQLite and PostgreSQL, over the Đức Thọ registry and its 2024 plan. Each expected figure is a
//! hand count of the records entered, worked out beside it.

use cchc_app::evaluation::{
    self as eval, DialogueInput, InitiativeInput, InspectionInput, MeasuredTarget, QuotaInput,
    RemediationInput,
};
use cchc_app::execution::Session;
use cchc_app::{App, ErrorKind, Settings};
use cchc_domain::execution::Role;
use cchc_domain::service::TargetStatus;
use cchc_domain::Registry;
use cchc_store::execution::{AuditFilter, User, UserId};
use cchc_store::Store;
use chrono::NaiveDate;

cchc_store::backend_tests!(
    target_1_3_is_distinct_units_inspected_over_the_scope,
    target_1_2_counts_initiatives_accepted_by_the_province,
    target_3_7_counts_the_dialogues_of_the_year,
    target_4_2_is_last_years_posts_minus_this_years,
    out_of_scope_and_bad_dates_are_refused_in_vietnamese,
    the_periodic_report_shows_a_measured_target_with_its_basis,
    a_coverage_is_forecast_from_each_units_first_inspection,
    the_periodic_report_shows_the_survey_satisfaction_of_its_period,
    the_ranking_docx_lists_every_ranked_commune_with_points_rank_and_band,
);

const UNITS: &str = include_str!("../../../data/duc-tho-2024/units.csv");
const DECISION: &str = include_str!("../../../data/duc-tho-2024/duc-tho-2024-qd60.txt");

async fn app(store: Store) -> App {
    let units = cchc_ingest::units_csv::read_units_csv(UNITS.as_bytes()).unwrap();
    store.import_units(&units).await.unwrap();
    let plan = cchc_ingest::decision::parse_decision(DECISION, &Registry::new(units)).unwrap();
    store.insert_plan(&plan).await.unwrap();
    App::new(store, Settings::default())
}

fn session(username: &str, unit: &str, role: Role) -> Session {
    Session {
        user: User {
            id: UserId(1),
            username: username.into(),
            unit: unit.into(),
            role,
            password_hash: String::new(),
            disabled: false,
            demo: false,
            must_change_password: false,
            email: None,
        },
        csrf_token: "t".into(),
        token_hash: "h".into(),
    }
}

fn office() -> Session {
    session("thuong-truc", "phong-noi-vu", Role::StandingOffice)
}

async fn figure(app: &App, code: &str) -> Vec<MeasuredTarget> {
    eval::measure(app, 2024, None)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.figure.target == code)
        .collect()
}

fn held(unit: &str, date: &str) -> InspectionInput {
    InspectionInput {
        year: "2024".into(),
        unit: unit.into(),
        planned: String::new(),
        held: date.into(),
        team: "Đoàn kiểm tra CCHC huyện".into(),
        content: "Kiểm tra công tác CCHC năm 2024".into(),
        findings: String::new(),
        minutes: String::new(),
    }
}

async fn target_1_3_is_distinct_units_inspected_over_the_scope(store: Store) {
    let app = app(store).await;
    let s = office();
    // Held in 2024, in scope: 11 communes (xa-…) → 11 units.
    let communes = [
        "xa-tung-anh",
        "xa-hoa-lac",
        "xa-tan-dan",
        "xa-duc-lang",
        "xa-tan-huong",
        "xa-duc-dong",
        "xa-quang-vinh",
        "xa-bui-la-nhan",
        "xa-yen-ho",
        "xa-thanh-binh-thinh",
        "xa-lam-trung-thuy",
    ];
    for (k, u) in communes.iter().enumerate() {
        eval::add_inspection(&app, &s, &held(u, &format!("{:02}/05/2024", k + 1)))
            .await
            .unwrap();
    }
    // Not counted: a second inspection of xa-tung-anh, the police (outside the scope), a
    // planned-only inspection of phong-noi-vu.
    eval::add_inspection(&app, &s, &held("xa-tung-anh", "2024-10-02"))
        .await
        .unwrap();
    eval::add_inspection(&app, &s, &held("cong-an-huyen", "03/06/2024"))
        .await
        .unwrap();
    let mut planned = held("phong-noi-vu", "");
    planned.planned = "20/11/2024".into();
    let planned_id = eval::add_inspection(&app, &s, &planned).await.unwrap();

    // Scope: 12 district offices + the centre + 1 public service unit + 2 schools + 1 township
    // + 15 communes = 32. 11/32 = 34,375% < 35%.
    let f = figure(&app, "1.3").await.remove(0);
    assert_eq!((f.figure.numerator, f.figure.denominator), (11, Some(32)));
    assert_eq!(f.figure.status, TargetStatus::NotMet);
    assert_eq!(f.records.len(), 11, "one line per unit counted");
    assert_eq!(
        f.figure.threshold.display_vi(),
        "≥ 35%",
        "the plan's first 1.3 threshold"
    );
    assert_eq!(f.value_vi(), "34,38% (11/32)");

    // The planned inspection is held: 12/32 = 37,5%, met.
    let mut now_held = planned.clone();
    now_held.held = "21/11/2024".into();
    now_held.findings = "Chưa cập nhật niêm yết".into();
    eval::update_inspection(&app, &s, planned_id, &now_held)
        .await
        .unwrap();
    let f = figure(&app, "1.3").await.remove(0);
    assert_eq!(
        (f.figure.numerator, f.figure.status),
        (12, TargetStatus::Met)
    );
    assert_eq!(f.figure.value, Some(37.5));

    // A remediation item past its deadline is overdue until done.
    let r = eval::add_remediation(
        &app,
        &s,
        planned_id,
        &RemediationInput {
            description: "Cập nhật bảng niêm yết".into(),
            deadline: "15/12/2024".into(),
            done: String::new(),
        },
    )
    .await
    .unwrap();
    let day = NaiveDate::from_ymd_opt(2024, 12, 20).unwrap();
    assert_eq!(
        eval::overdue_remediation(&app, 2024, day)
            .await
            .unwrap()
            .len(),
        1
    );
    eval::update_remediation(
        &app,
        &s,
        r,
        &RemediationInput {
            description: "Cập nhật bảng niêm yết".into(),
            deadline: "15/12/2024".into(),
            done: "18/12/2024".into(),
        },
    )
    .await
    .unwrap();
    assert!(eval::overdue_remediation(&app, 2024, day)
        .await
        .unwrap()
        .is_empty());
}

async fn target_1_2_counts_initiatives_accepted_by_the_province(store: Store) {
    let app = app(store).await;
    // Nothing recorded: no data.
    let f = figure(&app, "1.2").await.remove(0);
    assert_eq!(f.figure.status, TargetStatus::NoData);
    let ini = |unit: &str, title: &str, status: &str| InitiativeInput {
        year: "2024".into(),
        unit: unit.into(),
        title: title.into(),
        status: status.into(),
        decision_number: String::new(),
        decision_date: String::new(),
    };
    // A commune proposes its own; the office records two more, one accepted by the district.
    let reporter = session("bc-tung-anh", "xa-tung-anh", Role::Reporter);
    let own = eval::add_initiative(
        &app,
        &reporter,
        &ini("xa-tung-anh", "Số hóa sổ hộ tịch", ""),
    )
    .await
    .unwrap();
    let s = office();
    eval::add_initiative(
        &app,
        &s,
        &ini(
            "phong-noi-vu",
            "Phần mềm theo dõi CCHC",
            "accepted_district",
        ),
    )
    .await
    .unwrap();
    eval::add_initiative(&app, &s, &ini("tt-duc-tho", "Một cửa lưu động", "proposed"))
        .await
        .unwrap();
    // Proposals only: 0 accepted by the province, not met.
    let f = figure(&app, "1.2").await.remove(0);
    assert_eq!(
        (f.figure.numerator, f.figure.status),
        (0, TargetStatus::NotMet)
    );
    // The province accepts the commune's initiative: 1, met; it is the record listed.
    let mut accepted = ini("xa-tung-anh", "Số hóa sổ hộ tịch", "accepted_province");
    accepted.decision_number = "25/QĐ-HĐTĐ".into();
    accepted.decision_date = "10/12/2024".into();
    eval::update_initiative(&app, &s, own, &accepted)
        .await
        .unwrap();
    let f = figure(&app, "1.2").await.remove(0);
    assert_eq!(
        (f.figure.numerator, f.figure.status),
        (1, TargetStatus::Met)
    );
    assert_eq!(f.records.len(), 1);
    assert!(f.records[0].text.contains("25/QĐ-HĐTĐ"));
    assert!(f.basis.contains("trong 3 sáng kiến"), "{}", f.basis);
    // Counted by the date of the decision: a report up to June does not count it.
    let june = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
    let early = eval::measure(&app, 2024, Some(june)).await.unwrap();
    assert_eq!(early[0].figure.numerator, 0);
}

async fn target_3_7_counts_the_dialogues_of_the_year(store: Store) {
    let app = app(store).await;
    let dlg = |unit: &str, date: &str| DialogueInput {
        unit: unit.into(),
        date: date.into(),
        chair: "Chủ tịch UBND".into(),
        topic: "Giải quyết TTHC đất đai".into(),
        participants: "Người dân, doanh nghiệp".into(),
        attendance: "85".into(),
    };
    let s = office();
    eval::add_dialogue(&app, &s, &dlg("ubnd-huyen", "12/04/2024"))
        .await
        .unwrap();
    // A commune enters its own; one of 2023 is not counted.
    let head = session("tt-tung-anh", "xa-tung-anh", Role::UnitHead);
    eval::add_dialogue(&app, &head, &dlg("xa-tung-anh", "2024-09-05"))
        .await
        .unwrap();
    eval::add_dialogue(&app, &s, &dlg("ubnd-huyen", "28/12/2023"))
        .await
        .unwrap();
    // 2 in 2024: met ("từ 2 đến 3", met from 2).
    let f = figure(&app, "3.7").await.remove(0);
    assert_eq!(
        (f.figure.numerator, f.figure.status),
        (2, TargetStatus::Met)
    );
    assert_eq!(f.figure.threshold.display_vi(), "từ 2 đến 3");
    assert_eq!(f.records.len(), 2);
    // A fourth… still met: "ít nhất" has no ceiling.
    for date in ["01/10/2024", "02/11/2024"] {
        eval::add_dialogue(&app, &s, &dlg("ubnd-huyen", date))
            .await
            .unwrap();
    }
    let f = figure(&app, "3.7").await.remove(0);
    assert_eq!(
        (f.figure.numerator, f.figure.status),
        (4, TargetStatus::Met)
    );
    // Up to the end of Q2 only the April one counts.
    let q2 = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
    let f = eval::measure(&app, 2024, Some(q2)).await.unwrap();
    let f = f.iter().find(|m| m.figure.target == "3.7").unwrap();
    assert_eq!(
        (f.figure.numerator, f.figure.status),
        (1, TargetStatus::NotMet)
    );
}

async fn target_4_2_is_last_years_posts_minus_this_years(store: Store) {
    let app = app(store).await;
    let s = office();
    let q = |unit: &str, year: &str, cs: &str, pe: &str| QuotaInput {
        unit: unit.into(),
        year: year.into(),
        civil_servants: cs.into(),
        public_employees: pe.into(),
    };
    // 2023: 60 + 23 + 22 = 105 civil servants; 0 + 0 + 310 + 40 = 350 public employees.
    for (u, cs, pe) in [
        ("phong-noi-vu", "60", "0"),
        ("xa-tung-anh", "23", "0"),
        ("xa-hoa-lac", "22", ""),
        ("phong-gd-dt", "", "310"),
        ("trung-tam-vh-tt", "0", "40"),
    ] {
        eval::set_quota(&app, &s, &q(u, "2023", cs, pe))
            .await
            .unwrap();
    }
    // 2024: 52 + 20 + 19 = 91 (cut 14, met); 300 + 38 = 338 (cut 12 < 15, not met).
    for (u, cs, pe) in [
        ("phong-noi-vu", "52", "0"),
        ("xa-tung-anh", "20", "0"),
        ("xa-hoa-lac", "19", "0"),
        ("phong-gd-dt", "0", "300"),
        ("trung-tam-vh-tt", "0", "38"),
    ] {
        eval::set_quota(&app, &s, &q(u, "2024", cs, pe))
            .await
            .unwrap();
    }
    let f = figure(&app, "4.2").await;
    assert_eq!(f.len(), 2);
    assert_eq!(
        (f[0].figure.numerator, f[0].figure.status),
        (14, TargetStatus::Met)
    );
    assert_eq!(f[0].value_vi(), "giảm 14");
    assert!(
        f[0].basis.contains("105 (năm 2023) → 91 (năm 2024)"),
        "{}",
        f[0].basis
    );
    assert_eq!(
        (f[1].figure.numerator, f[1].figure.status),
        (12, TargetStatus::NotMet)
    );
    assert_eq!(f[1].figure.threshold.value, 15.0);
    // Editing a row replaces it: the centre down to 35 → 335, cut 15, met.
    eval::set_quota(&app, &s, &q("trung-tam-vh-tt", "2024", "0", "35"))
        .await
        .unwrap();
    let f = figure(&app, "4.2").await;
    assert_eq!(
        (f[1].figure.numerator, f[1].figure.status),
        (15, TargetStatus::Met)
    );
}

async fn out_of_scope_and_bad_dates_are_refused_in_vietnamese(store: Store) {
    let app = app(store).await;
    let reporter = session("bc-tung-anh", "xa-tung-anh", Role::Reporter);
    let dlg = DialogueInput {
        unit: "xa-hoa-lac".into(),
        date: "12/04/2024".into(),
        chair: "Chủ tịch UBND xã".into(),
        topic: "TTHC".into(),
        participants: String::new(),
        attendance: String::new(),
    };
    // Another commune's dialogue: refused, and the refusal audited.
    let e = eval::add_dialogue(&app, &reporter, &dlg).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    assert!(
        e.message
            .contains("không được ghi cuộc đối thoại của đơn vị «xa-hoa-lac»"),
        "{}",
        e.message
    );
    let audit = app.x().list_audit(&AuditFilter::default()).await.unwrap();
    assert!(audit
        .iter()
        .any(|a| a.action == "access.denied" && a.actor == "bc-tung-anh"));
    // A reporter cannot record a recognition, nor plan inspections; a leader writes nothing.
    let ini = InitiativeInput {
        year: "2024".into(),
        unit: "xa-tung-anh".into(),
        title: "Sáng kiến".into(),
        status: "accepted_province".into(),
        decision_number: String::new(),
        decision_date: String::new(),
    };
    assert_eq!(
        eval::add_initiative(&app, &reporter, &ini)
            .await
            .unwrap_err()
            .kind,
        ErrorKind::Forbidden
    );
    let e = eval::add_inspection(&app, &reporter, &held("xa-tung-anh", "02/05/2024"))
        .await
        .unwrap_err();
    assert!(
        e.message.contains("chỉ cơ quan thường trực CCHC"),
        "{}",
        e.message
    );
    let leader = session("lanh-dao", "ubnd-huyen", Role::Leader);
    let mut own = dlg.clone();
    own.unit = "ubnd-huyen".into();
    assert_eq!(
        eval::add_dialogue(&app, &leader, &own)
            .await
            .unwrap_err()
            .kind,
        ErrorKind::Forbidden
    );

    // Bad input: located, in Vietnamese, nothing written.
    let mut bad = dlg.clone();
    bad.unit = "xa-tung-anh".into();
    bad.date = "31/02/2024".into();
    let e = eval::add_dialogue(&app, &reporter, &bad).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Invalid);
    assert!(
        e.message
            .starts_with("Ngày tổ chức: \"31/02/2024\" không phải ngày hợp lệ"),
        "{}",
        e.message
    );
    let e = eval::add_inspection(&app, &office(), &held("xa-tung-anh", "05/03/2023"))
        .await
        .unwrap_err();
    assert_eq!(
        e.message,
        "Ngày kiểm tra: ngày 05/03/2023 không thuộc năm 2024"
    );
    let e = eval::add_inspection(&app, &office(), &held("xa-khong-co", "05/03/2024"))
        .await
        .unwrap_err();
    assert!(
        e.message
            .starts_with("Đơn vị được kiểm tra: \"xa-khong-co\" không có trong danh mục"),
        "{}",
        e.message
    );
    let mut q = QuotaInput {
        unit: "xa-tung-anh".into(),
        year: "2024".into(),
        civil_servants: "-3".into(),
        public_employees: String::new(),
    };
    let e = eval::set_quota(&app, &office(), &q).await.unwrap_err();
    assert!(
        e.message.starts_with("Biên chế công chức năm 2024: \"-3\""),
        "{}",
        e.message
    );
    q.civil_servants = "20".into();
    eval::set_quota(&app, &office(), &q).await.unwrap();
    assert!(eval::list_dialogues(&app, 2024).await.unwrap().is_empty());
    assert!(eval::list_inspections(&app, 2024).await.unwrap().is_empty());
}

async fn the_periodic_report_shows_a_measured_target_with_its_basis(store: Store) {
    let app = app(store).await;
    let s = office();
    cchc_app::execution::open_period(&app, &s, "2024-Q2", "2024-07-05T17:00:00+07:00")
        .await
        .unwrap();
    let dlg = |date: &str| DialogueInput {
        unit: "ubnd-huyen".into(),
        date: date.into(),
        chair: "Chủ tịch UBND huyện".into(),
        topic: "Đất đai".into(),
        participants: String::new(),
        attendance: String::new(),
    };
    // Two in Q2's reach, one after it.
    for date in ["10/04/2024", "20/06/2024", "15/09/2024"] {
        eval::add_dialogue(&app, &s, &dlg(date)).await.unwrap();
    }
    let input = cchc_app::execution::documents::gather(&app, "2024-Q2", None)
        .await
        .unwrap();
    let f = figure_of(&input, "3.7", "sổ theo dõi");
    assert_eq!(f.value, "2");
    assert_eq!(f.status, "Đạt");
    assert_eq!(f.threshold, "từ 2 đến 3");
    // The inspections target has records of none: a figure of 0 of 32, not "no data".
    let t = input
        .areas
        .iter()
        .flat_map(|a| &a.targets)
        .find(|t| t.code == "1.3")
        .unwrap();
    assert!(
        t.figures.iter().any(|f| f.value == "0,00% (0/32)"),
        "{:?}",
        t.figures
    );
}

/// Target 1.3 as of 31 March: units first inspected in January (2) and February (1), a second
/// inspection of a unit in March (not counted again), one in April (after the date) → 3.125
/// points of 32 units a month in January… : [6.25, 3.125, 0] → 9.375% so far, 3.125 a month,
/// 9 months left → 9.375 + 28.125 = 37.5%; range 9.375% (months like March) .. 9.375 + 56.25 =
/// 65.625% (like January): the value meets 35%, the low end does not → "Cần theo dõi".
async fn a_coverage_is_forecast_from_each_units_first_inspection(store: Store) {
    use cchc_domain::forecast::{ForecastStatus, Series};
    let app = app(store).await;
    let s = office();
    for (u, d) in [
        ("xa-tung-anh", "10/01/2024"),
        ("xa-hoa-lac", "20/01/2024"),
        ("xa-tan-dan", "05/02/2024"),
        ("xa-tung-anh", "15/03/2024"),
        ("xa-duc-lang", "02/04/2024"),
    ] {
        eval::add_inspection(&app, &s, &held(u, d)).await.unwrap();
    }
    let until = NaiveDate::from_ymd_opt(2024, 3, 31);
    let f = eval::measure(&app, 2024, until)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.figure.target == "1.3")
        .unwrap();
    assert_eq!(f.series, Series::Count(vec![6.25, 3.125, 0.0]));
    let p = f.forecast.projection().expect("three months");
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    assert!(close(p.actual, 9.375) && close(p.value, 37.5), "{p:?}");
    assert!(close(p.low, 9.375) && close(p.high, 65.625), "{p:?}");
    assert_eq!(p.status, ForecastStatus::Watch);
}

/// The report's figure of a target whose label says `what`.
fn figure_of<'a>(
    input: &'a cchc_docs::report::PeriodicReportInput,
    code: &str,
    what: &str,
) -> &'a cchc_docs::report::Figure {
    let t = input
        .areas
        .iter()
        .flat_map(|a| &a.targets)
        .find(|t| t.code == code)
        .unwrap_or_else(|| panic!("no target {code}"));
    t.figures
        .iter()
        .find(|f| f.label.contains(what))
        .unwrap_or_else(|| panic!("no figure «{what}» in {:?}", t.figures))
}

/// Stores an answer dated `date` straight through the store (the public form dates it today).
async fn survey_answer(app: &App, n: usize, date: &str, ratings: [Option<u8>; 5]) {
    use cchc_domain::evaluation::{SurveyAnswer, SurveyRating};
    let answer = SurveyAnswer {
        unit: cchc_domain::UnitId::parse("xa-tung-anh").unwrap(),
        date: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
        ratings: ratings.map(|r| r.map(|v| SurveyRating::new(v).unwrap())),
    };
    let audit =
        cchc_store::execution::AuditDraft::new("khach", "survey.answer", "khao-sat".into(), None);
    let device = format!("device-{n}");
    app.store
        .reform_index()
        .add_survey_answer(
            &cchc_store::reform_index::NewSurveyAnswer {
                answer: &answer,
                comment: "",
                device_hash: &device,
                addr_hash: &device,
                at: chrono::Utc::now(),
                per_address_per_hour: 100,
            },
            &audit,
        )
        .await
        .unwrap();
}

async fn the_periodic_report_shows_the_survey_satisfaction_of_its_period(store: Store) {
    let app = app(store).await;
    let s = office();
    cchc_app::execution::open_period(&app, &s, "2024-Q2", "2024-07-05T17:00:00+07:00")
        .await
        .unwrap();
    // In Q2: 2 of 4 ratings satisfied, then 5 of 5; in Q3 (outside): 0 of 5.
    survey_answer(
        &app,
        1,
        "2024-04-10",
        [Some(5), Some(4), Some(3), Some(2), None],
    )
    .await;
    survey_answer(&app, 2, "2024-06-30", [Some(5); 5]).await;
    survey_answer(&app, 3, "2024-07-01", [Some(1); 5]).await;
    let input = cchc_app::execution::documents::gather(&app, "2024-Q2", None)
        .await
        .unwrap();
    let f = figure_of(&input, "3.6", "khảo sát");
    // 7 of 9 ratings = 77,78%, below 94%.
    assert_eq!(f.value, "77,78% (7/9)");
    assert_eq!(f.status, "Chưa đạt");
    assert!(f.label.contains("quý II năm 2024 (2 phiếu)"), "{}", f.label);
    // The .docx says it too.
    let bytes = cchc_app::execution::documents::report_docx(&app, "2024-Q2", None)
        .await
        .unwrap();
    let text = docx_text(&bytes);
    assert!(text.contains("77,78% (7/9)"), "{text}");
    assert!(text.contains("khảo sát sự hài lòng quý II năm 2024"));
}

/// The text of a .docx's body, tags dropped.
pub fn docx_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let mut out = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

async fn the_ranking_docx_lists_every_ranked_commune_with_points_rank_and_band(store: Store) {
    use cchc_app::reform_index as ri;
    use cchc_domain::evaluation::{CriterionCode, Evidence, Points, SelfScore};
    let app = app(store).await;
    let scored = |c: &str, p: i64| SelfScore {
        criterion: CriterionCode::parse(c).unwrap(),
        score: Points::whole(p),
        evidence: vec![Evidence::Document {
            number: "12/KH-UBND".into(),
            date: NaiveDate::from_ymd_opt(2024, 1, 15).unwrap(),
        }],
    };
    // Xã Tùng Ảnh scores 1 + 3, Xã Đức Lạng 1; only Tùng Ảnh submits.
    let a = session("a", "xa-tung-anh", Role::Reporter);
    let b = session("b", "xa-duc-lang", Role::Reporter);
    for (s, unit, scores) in [
        (&a, "xa-tung-anh", vec![("1.1.1", 1), ("1.3", 3)]),
        (&b, "xa-duc-lang", vec![("1.1.1", 1)]),
    ] {
        for (c, p) in scores {
            ri::self_score(&app, s, 2024, unit, scored(c, p))
                .await
                .unwrap();
        }
    }
    ri::submit(&app, &a, 2024, "xa-tung-anh").await.unwrap();
    let bytes = cchc_app::execution::documents::ranking_docx(&app, 2024)
        .await
        .unwrap();
    let text = docx_text(&bytes);
    assert!(text.contains("QUYẾT ĐỊNH"), "{text}");
    assert!(text.contains("Chỉ số cải cách hành chính năm 2024"));
    assert!(
        text.to_lowercase().contains("huyện đức thọ"),
        "the heading block: {text}"
    );
    assert!(text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    // The appendix rows: rank, name, points, maximum, index, band, note; best first.
    let first = text
        .find("1Xã Tùng Ảnh4,00100,004,00Yếu")
        .unwrap_or_else(|| panic!("{text}"));
    let second = text
        .find("2Xã Đức Lạng1,00100,001,00Yếu")
        .unwrap_or_else(|| panic!("{text}"));
    assert!(first < second);
    assert!(text.contains("chưa gửi thẩm định"));
    assert!(text.contains("còn 2 tiêu chí chưa thẩm định"));
    // The same bytes for the same data: documents read no clock.
    let again = cchc_app::execution::documents::ranking_docx(&app, 2024)
        .await
        .unwrap();
    assert_eq!(bytes, again);
}
