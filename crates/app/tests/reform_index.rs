//! The reform index and the survey through `cchc_app::reform_index`, on SQLite and on
//! PostgreSQL (`CCHC_TEST_POSTGRES_URL`): criteria files refused whole, scoring scope,
//! appraisal, ranking, and the survey's throttling.

use cchc_app::access::Session;
use cchc_app::reform_index as ri;
use cchc_app::{App, ErrorKind, Settings};
use cchc_domain::evaluation::{
    Appraisal, AppraisalDecision, CriterionCode, Evidence, Points, SelfScore,
};
use cchc_domain::execution::Role;
use cchc_domain::{Unit, UnitId, UnitKind};
use cchc_store::execution::{User, UserId};
use cchc_store::Store;

cchc_store::backend_tests!(
    bad_criteria_files_are_refused_and_nothing_is_stored,
    scoring_stays_in_scope_and_the_appraisal_changes_the_ranking,
    the_survey_takes_one_answer_per_device_a_day_and_bounds_an_address,
    paper_answers_are_entered_with_their_dates_all_or_nothing,
);

fn unit(id: &str, name: &str, kind: UnitKind) -> Unit {
    Unit {
        id: UnitId::parse(id).unwrap(),
        name: name.into(),
        kind,
        parent: None,
        aliases: vec![],
        source: "test".into(),
    }
}

async fn app(store: Store) -> App {
    store
        .import_units(&[
            unit("xa-a", "Xã A", UnitKind::Commune),
            unit("xa-b", "Xã B", UnitKind::Commune),
            unit("phong-noi-vu", "Phòng Nội vụ", UnitKind::DistrictOffice),
        ])
        .await
        .unwrap();
    App::new(store, Settings::default())
}

fn session(name: &str, unit: &str, role: Role) -> Session {
    Session {
        user: User {
            id: UserId(1),
            username: name.into(),
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

async fn bad_criteria_files_are_refused_and_nothing_is_stored(store: Store) {
    let app = app(store.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "vong-lap.csv",
            "ma,ma_cha,ten,diem_toi_da\n1,,Lĩnh vực,10\n1.1,1.2,A,\n1.2,1.1,B,\n",
            "vòng lặp tiêu chí cha",
        ),
        (
            "cong-sai.csv",
            "ma,ten,diem_toi_da\n1,Lĩnh vực,10\n1.1,A,3\n1.2,B,3\n",
            "cộng lại 6",
        ),
        (
            "cha-la.csv",
            "ma,ma_cha,ten,diem_toi_da\n1,,Lĩnh vực,10\n1.1,9,A,10\n",
            "tiêu chí cha «9» không có trong bộ chỉ số",
        ),
    ];
    for (name, text, reason) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let meta = ri::meta(2025, "Bộ thử", "thử", Points::whole(10)).unwrap();
        let e = ri::import_criteria(&app, "so", &path, meta)
            .await
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Invalid, "{name}: {e}");
        assert!(e.message.contains(reason), "{name}: {}", e.message);
        assert!(e.message.contains("dòng"), "{name}: located: {}", e.message);
        assert!(
            e.message.contains(name),
            "{name}: names the file: {}",
            e.message
        );
        assert!(
            store
                .reform_index()
                .criteria_set(2025)
                .await
                .unwrap()
                .is_none(),
            "{name}"
        );
    }
    assert!(store
        .reform_index()
        .criteria_years()
        .await
        .unwrap()
        .is_empty());
    // A good file is stored, for its year.
    let path = dir.path().join("dung.csv");
    std::fs::write(
        &path,
        "ma,ten,diem_toi_da\n1,Lĩnh vực,10\n1.1,A,4\n1.2,B,6\n",
    )
    .unwrap();
    let meta = ri::meta(2025, "Bộ thử", "thử", Points::whole(10)).unwrap();
    ri::import_criteria(&app, "so", &path, meta).await.unwrap();
    assert_eq!(
        store.reform_index().criteria_years().await.unwrap(),
        vec![2025]
    );
}

fn code(s: &str) -> CriterionCode {
    CriterionCode::parse(s).unwrap()
}

fn scored(c: &str, p: Points) -> SelfScore {
    SelfScore {
        criterion: code(c),
        score: p,
        evidence: vec![Evidence::Document {
            number: "12/KH-UBND".into(),
            date: chrono::NaiveDate::from_ymd_opt(2024, 1, 15).unwrap(),
        }],
    }
}

async fn scoring_stays_in_scope_and_the_appraisal_changes_the_ranking(store: Store) {
    let app = app(store.clone()).await;
    let a = session("xa-a", "xa-a", Role::Reporter);
    let b = session("xa-b", "xa-b", Role::Reporter);
    let so = session("so", "phong-noi-vu", Role::StandingOffice);
    // The sample set is there on first use.
    let view = ri::criteria_set(&app, 2024).await.unwrap();
    assert!(view.sample);
    // A commune cannot score another commune.
    let e = ri::self_score(&app, &b, 2024, "xa-a", scored("1.1.1", Points::whole(1)))
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden, "{e}");
    // Evidence is mandatory.
    let mut bare = scored("1.1.1", Points::whole(1));
    bare.evidence.clear();
    let e = ri::self_score(&app, &a, 2024, "xa-a", bare)
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Invalid, "{e}");
    assert!(store
        .reform_index()
        .evaluation(2024, "xa-a")
        .await
        .unwrap()
        .is_none());
    ri::self_score(&app, &a, 2024, "xa-a", scored("1.1.1", Points::whole(1)))
        .await
        .unwrap();
    ri::self_score(
        &app,
        &a,
        2024,
        "xa-a",
        scored("1.1.2", Points::from_hundredths(50)),
    )
    .await
    .unwrap();
    // Appraisal before submission is refused, and a reporter never appraises.
    let change = Appraisal {
        criterion: code("1.1.1"),
        decision: AppraisalDecision::Change {
            score: Points::ZERO,
            reason: "Ban hành quá hạn".into(),
        },
    };
    let e = ri::appraise(&app, &so, 2024, "xa-a", change.clone())
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict, "{e}");
    ri::submit(&app, &a, 2024, "xa-a").await.unwrap();
    let e = ri::appraise(&app, &a, 2024, "xa-a", change.clone())
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden, "{e}");
    // Submitted: the commune cannot change its scores any more.
    let e = ri::self_score(&app, &a, 2024, "xa-a", scored("1.1.1", Points::ZERO))
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict, "{e}");
    let before = ri::ranking(&app, 2024).await.unwrap();
    assert_eq!(before.rows.len(), 1);
    assert_eq!(before.rows[0].ranked.total, Points::from_hundredths(150));
    ri::appraise(&app, &so, 2024, "xa-a", change).await.unwrap();
    let after = ri::ranking(&app, 2024).await.unwrap();
    assert_eq!(after.rows[0].ranked.total, Points::from_hundredths(50));
    // A change without a reason is refused.
    let e = ri::appraise(
        &app,
        &so,
        2024,
        "xa-a",
        Appraisal {
            criterion: code("1.1.2"),
            decision: AppraisalDecision::Change {
                score: Points::ZERO,
                reason: " ".into(),
            },
        },
    )
    .await
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Invalid, "{e}");
    // Another commune cannot read xa-a's scorecard; the office can.
    assert_eq!(
        ri::scorecard(&app, &b, 2024, "xa-a")
            .await
            .unwrap_err()
            .kind,
        ErrorKind::Forbidden
    );
    let card = ri::scorecard(&app, &so, 2024, "xa-a").await.unwrap();
    assert_eq!(card.card.total, Points::from_hundredths(50));
    // The refusals were audited.
    let audit = store
        .execution()
        .list_audit(&Default::default())
        .await
        .unwrap();
    assert!(audit.iter().filter(|e| e.action == "access.denied").count() >= 3);
    assert!(audit.iter().any(|e| e.action == "reform_index.appraise"));
}

async fn the_survey_takes_one_answer_per_device_a_day_and_bounds_an_address(store: Store) {
    let app = app(store.clone()).await;
    let device = "d".repeat(32);
    let form = |device: &'static str, addr: &'static str| ri::SurveyForm {
        unit: "xa-a",
        ratings: [Some(5), Some(4), Some(3), None, Some(5)],
        comment: "  Cán bộ   nhiệt tình ",
        device,
        addr,
    };
    let device: &'static str = Box::leak(device.into_boxed_str());
    ri::answer_survey(&app, form(device, "10.0.0.1"))
        .await
        .unwrap();
    // The same device, the same day: refused, from any address.
    let e = ri::answer_survey(&app, form(device, "10.0.0.2"))
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind, e.code),
        (ErrorKind::Throttled, "SurveyRepeated"),
        "{e}"
    );
    // The same device about another unit is a new answer.
    let mut other = form(device, "10.0.0.1");
    other.unit = "xa-b";
    ri::answer_survey(&app, other).await.unwrap();
    // One address: 20 answers an hour (2 given already), the 21st refused.
    for k in 0..18 {
        let d: &'static str = Box::leak(format!("device-{k:02}-xxxxxxxxxxxxxxxx").into_boxed_str());
        ri::answer_survey(&app, form(d, "10.0.0.1")).await.unwrap();
    }
    let e = ri::answer_survey(&app, form("device-last-xxxxxxxxxxxxxxxx", "10.0.0.1"))
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind, e.code),
        (ErrorKind::Throttled, "SurveyThrottled"),
        "{e}"
    );
    ri::answer_survey(&app, form("device-last-xxxxxxxxxxxxxxxx", "10.0.0.9"))
        .await
        .unwrap();
    // A rating out of 1–5 is refused.
    let mut bad = form("device-bad-xxxxxxxxxxxxxxxxx", "10.0.0.8");
    bad.ratings[0] = Some(6);
    assert_eq!(
        ri::answer_survey(&app, bad).await.unwrap_err().kind,
        ErrorKind::Invalid
    );
    // xa-a: 20 answers (1 + 18 + 1), each 3 of 4 ratings satisfied.
    let so = session("so", "phong-noi-vu", Role::StandingOffice);
    let year = chrono::Datelike::year(&cchc_app::Clock::System.today());
    let r = ri::survey_results(&app, &so, "xa-a", cchc_domain::Period::Year(year))
        .await
        .unwrap();
    assert_eq!(r.summary.answers, 20);
    assert_eq!(
        (r.summary.overall.numerator, r.summary.overall.denominator),
        (60, 80)
    );
    assert_eq!(r.comments[0].1, "Cán bộ nhiệt tình");
    // Another commune cannot read xa-a's results.
    let b = session("xa-b", "xa-b", Role::Reporter);
    assert_eq!(
        ri::survey_results(&app, &b, "xa-a", cchc_domain::Period::Year(year))
            .await
            .unwrap_err()
            .kind,
        ErrorKind::Forbidden
    );
}

async fn paper_answers_are_entered_with_their_dates_all_or_nothing(store: Store) {
    use cchc_domain::Period;
    let app = app(store.clone()).await;
    let so = session("so", "phong-noi-vu", Role::StandingOffice);
    let dir = tempfile::tempdir().unwrap();
    let file = |text: &str| {
        let p = dir.path().join("phieu.csv");
        std::fs::write(&p, text).unwrap();
        p
    };
    let header = "don_vi,ngay,c1,c2,c3,c4,c5,y_kien\n";
    // One good row and three bad ones: refused whole, each problem located, nothing stored.
    let bad = file(&format!(
        "{header}xa-a,10/05/2024,5,5,5,5,5,\nxa-z,10/05/2024,5,,,,,\nxa-a,11/05/2024,5,7,,,,\nxa-b,31/02/2024,4,,,,,\n"
    ));
    let e = ri::import_paper_survey(&app, &so, &bad, "phieu.csv")
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Invalid);
    assert!(
        e.message
            .contains("phieu.csv, dòng 3, cột «don_vi»: không có đơn vị «xa-z»"),
        "{e}"
    );
    assert!(e.message.contains("dòng 4, cột «c2»"), "{e}");
    assert!(e.message.contains("dòng 5, cột «ngay»"), "{e}");
    assert!(e.message.contains("chưa lưu phiếu nào"), "{e}");
    let year = Period::Year(2024);
    assert!(store
        .reform_index()
        .survey_answers(None, year.start(), year.end())
        .await
        .unwrap()
        .is_empty());
    // Only the office enters paper answers.
    let good = file(&format!(
        "{header}xa-a,10/05/2024,5,5,4,3,,\nxa-a,2024-06-20,2,2,2,2,2,Chờ lâu\nxa-b,01/11/2024,5,5,5,5,5,Tốt\n"
    ));
    let a = session("xa-a", "xa-a", Role::Reporter);
    let e = ri::import_paper_survey(&app, &a, &good, "phieu.csv")
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    assert_eq!(
        ri::import_paper_survey(&app, &so, &good, "phieu.csv")
            .await
            .unwrap(),
        3
    );
    // 2024-Q2 counts xa-a's two: 3 of 4 ratings satisfied, then 0 of 5.
    let q2 = ri::survey_in(&app.store, Period::Quarter(2024, 2))
        .await
        .unwrap();
    assert_eq!(
        (q2.answers, q2.overall.numerator, q2.overall.denominator),
        (2, 3, 9)
    );
    // An online answer (dated today) is told apart from the paper ones in the results.
    ri::answer_survey(
        &app,
        ri::SurveyForm {
            unit: "xa-b",
            ratings: [Some(5); 5],
            comment: "",
            device: "device-online-xxxxxxxxxxxxxxxx",
            addr: "10.0.0.1",
        },
    )
    .await
    .unwrap();
    let this_year = Period::Year(chrono::Datelike::year(&cchc_app::Clock::System.today()));
    let r = ri::survey_results(&app, &so, "xa-b", this_year)
        .await
        .unwrap();
    assert_eq!((r.summary.answers, r.paper.answers), (1, 0));
    let r = ri::survey_results(&app, &so, "xa-b", year).await.unwrap();
    assert_eq!((r.summary.answers, r.paper.answers), (1, 1));
    assert_eq!(
        r.comments,
        vec![(
            chrono::NaiveDate::from_ymd_opt(2024, 11, 1).unwrap(),
            "Tốt".to_string()
        )]
    );
    let audit = store
        .execution()
        .list_audit(&cchc_store::execution::AuditFilter::default())
        .await
        .unwrap();
    assert_eq!(
        audit.iter().filter(|e| e.action == "survey.paper").count(),
        1
    );
}
