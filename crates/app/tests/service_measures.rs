//! Service delivery end to end: files → import → totals → indicators, on SQLite and on
//! PostgreSQL (from `CCHC_TEST_POSTGRES_URL`). Every expected figure is worked out by hand in
//! the comments beside it.

use std::future::Future;
use std::path::{Path, PathBuf};

use cchc_app::delivery::import::{ImportFailure, ImportOptions};
use cchc_app::delivery::indicators::{load_inputs, report, IndicatorReport, ScopeRequest};
use cchc_app::delivery::{import_catalog, import_dossiers};
use cchc_domain::service::{RatioPart, ServiceMeasure, TargetStatus};
use cchc_domain::{Period, Registry, UnitId, UnitLevel};
use cchc_store::{DossierQuery, Store};

macro_rules! service_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                super::on_sqlite(super::$name).await
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                super::on_postgres(super::$name).await
            })*
        }
    };
}

service_tests!(
    every_measure_matches_the_hand_computed_figures,
    periods_take_a_dossier_by_its_date_received,
    importing_the_same_file_again_changes_nothing,
    a_newer_export_replaces_changed_dossiers_in_the_totals,
    bad_files_are_refused_whole_with_located_errors,
    skip_invalid_stores_good_rows_and_writes_the_rejected,
    headers_by_vietnamese_label_or_mapping_are_accepted,
    dossier_lists_hold_exactly_the_dossiers_behind_each_figure,
    incremental_totals_equal_a_full_recompute,
    a_whole_catalogue_retires_what_it_no_longer_lists,
);

async fn on_sqlite<F, Fut>(test: F)
where
    F: FnOnce(Store, PathBuf) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/cchc.db", dir.path().display());
    let store = cchc_store::connect(&url).await.unwrap();
    seed(&store).await;
    test(store, dir.path().to_path_buf()).await;
}

async fn on_postgres<F, Fut>(test: F)
where
    F: FnOnce(Store, PathBuf) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(db) = cchc_store::testing::TestDatabase::create().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let store = cchc_store::connect(db.url()).await.unwrap();
    seed(&store).await;
    let outcome = tokio::spawn(test(store, dir.path().to_path_buf())).await;
    db.drop().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

const UNITS: &str = include_str!("../../../data/duc-tho-2024/units.csv");
const DECISION: &str = include_str!("../../../data/duc-tho-2024/duc-tho-2024-qd60.txt");

/// The Đức Thọ registry and its 2024 plan (thresholds 3.1 80/75, 3.2 100/70/90, 3.5 80/45/40 …).
async fn seed(store: &Store) {
    let units = cchc_ingest::units_csv::read_units_csv(UNITS.as_bytes()).unwrap();
    store.import_units(&units).await.unwrap();
    let plan = cchc_ingest::decision::parse_decision(DECISION, &Registry::new(units)).unwrap();
    store.insert_plan(&plan).await.unwrap();
}

/// P1 fully online with a fee paid online; P2 partly online, no fee; P3 not online, with a fee
/// not payable online; P4 internal. Non-internal: 3, of which online 2 (66.67%); with a fee 2,
/// payable online 1 (50%).
const CATALOG: &str = "\
ma_tthc,ten_tthc,linh_vuc,cap_thuc_hien,muc_do_dvc,co_nghia_vu_tai_chinh,thanh_toan_truc_tuyen,noi_bo
1.1,Đăng ký khai sinh,Hộ tịch,\"huyen,xa\",toan_trinh,1,có,0
1.2,Chứng thực bản sao,Chứng thực,xa,mot_phan,0,không,false
1.3,Cấp phép xây dựng,Xây dựng,huyen,khong,true,,0
1.4,Trao đổi nội bộ,Nội vụ,huyen,toan_trinh,0,0,x
";

const HEADER: &str = "ma_ho_so,ma_tthc,ma_don_vi,kenh_nop,ngay_tiep_nhan,han_tra,ngay_tra,trang_thai,so_hoa_ho_so,so_hoa_ket_qua,tai_su_dung,da_thanh_toan_truc_tuyen,danh_gia,xin_loi";

/// D1–D4 district (centre), D5 withdrawn, D6–D7 a commune, D8 a township; D9 is in Q2 and
/// D10 in 2023. Q1 2024's population P: D1 D2 D3 D4 D6 D7 D8 (7; D5 withdrawn).
const DOSSIERS: &[&str] = &[
    // on time on its due date (times differ), at the first minute of the year
    "D1,1.1,trung-tam-hcc,truc_tuyen,2024-01-01 00:00,2024-01-05,2024-01-05 23:59,da_tra,1,1,1,1,rat_hai_long,0",
    // last second of Q1 in DD/MM form; late, with an apology; unrated
    "D2,1.1,trung-tam-hcc,truc_tiep,31/03/2024 23:59:59,05/04/2024,2024-04-08,da_tra,0,0,0,0,,1",
    // refused, late, without an apology; not-online procedure with a fee
    "D3,1.3,trung-tam-hcc,truc_tiep,2024-02-10T08:30,2024-02-15,2024-02-20,tu_choi,có,không,có,không,khong_hai_long,không",
    // pending: no return date
    "D4,1.1,trung-tam-hcc,truc_tuyen,2024-03-15,2024-03-20,,dang_xu_ly,x,,,x,,",
    // withdrawn: counts nowhere
    "D5,1.3,trung-tam-hcc,truc_tiep,2024-01-20,2024-01-25,2024-01-21,rut,1,1,1,1,hai_long,1",
    // partly online, no fee, on time
    "D6,1.2,xa-tung-anh,truc_tuyen,2024-02-29 12:00,2024-03-05,2024-03-01,da_tra,true,true,true,false,hai_long,false",
    // by post; returned on its due date in the afternoon: on time
    "D7,1.2,xa-tung-anh,buu_chinh,01/03/2024,2024-03-10,2024-03-10 17:00,da_tra,0,1,0,0,binh_thuong,0",
    // township (commune level), last minute of Q1 with a T
    "D8,1.1,tt-duc-tho,truc_tiep,2024-03-31T23:59,2024-04-03,02/04/2024 08:00,da_tra,1,0,1,1,rat_hai_long,0",
    // first second of Q2
    "D9,1.1,tt-duc-tho,truc_tuyen,2024-04-01 00:00:00,2024-04-05,,dang_xu_ly,1,0,1,1,,0",
    // last minute of 2023
    "D10,1.2,xa-tung-anh,truc_tuyen,2023-12-31 23:59,2024-01-05,2024-01-02,da_tra,1,1,1,0,hai_long,0",
];

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn dossier_file(dir: &Path, name: &str, rows: &[&str]) -> PathBuf {
    let mut text = String::from(HEADER);
    text.push('\n');
    for r in rows {
        text.push_str(r);
        text.push('\n');
    }
    write(dir, name, &text)
}

async fn load(store: &Store, dir: &Path) {
    let cat = write(dir, "catalog.csv", CATALOG);
    let s = import_catalog(store, &cat, &ImportOptions::default())
        .await
        .unwrap();
    assert_eq!((s.counts.read, s.counts.new), (4, 4));
    let f = dossier_file(dir, "dossiers.csv", DOSSIERS);
    let s = import_dossiers(store, &f, &ImportOptions::default(), |_| {})
        .await
        .unwrap();
    assert_eq!(
        (s.counts.read, s.counts.new, s.counts.rejected),
        (10, 10, 0)
    );
}

async fn indicators(store: &Store, period: &str, req: ScopeRequest) -> IndicatorReport {
    let period = Period::parse(period).unwrap();
    let inputs = load_inputs(store, period, false).await.unwrap();
    report(&inputs, period, &req)
}

/// (numerator, denominator, value, status, target value) of a measure in a scope.
fn fig(
    r: &IndicatorReport,
    measure: &str,
    scope: &str,
) -> (i64, i64, Option<f64>, TargetStatus, Option<f64>) {
    let i = r
        .indicators
        .iter()
        .find(|i| i.measure == measure && i.scope == scope)
        .unwrap_or_else(|| panic!("no {measure} for {scope}"));
    (
        i.numerator,
        i.denominator,
        i.value,
        i.status,
        i.target.as_ref().map(|t| t["value"].as_f64().unwrap()),
    )
}

use TargetStatus::{Met, NoData, NoTarget, NotMet};

async fn every_measure_matches_the_hand_computed_figures(store: Store, dir: PathBuf) {
    load(&store, &dir).await;
    let r = indicators(&store, "2024-Q1", ScopeRequest::default()).await;
    assert_eq!(
        (r.start.as_str(), r.end.as_str()),
        ("2024-01-01", "2024-03-31")
    );

    // Results digitised: returned D1 D2 D6 D7 D8; digitised D1 D6 D7. District D1 D2 → 1/2,
    // commune D6 D7 D8 → 2/3. 3.1 sets 80 (district) and 75 (commune), nothing for all.
    assert_eq!(
        fig(&r, "results_digitized_rate", "all"),
        (3, 5, Some(60.0), NoTarget, None)
    );
    assert_eq!(
        fig(&r, "results_digitized_rate", "huyen"),
        (1, 2, Some(50.0), NotMet, Some(80.0))
    );
    assert_eq!(
        fig(&r, "results_digitized_rate", "xa"),
        (2, 3, Some(66.67), NotMet, Some(75.0))
    );
    // Inputs digitised: D1 D3 D4 D6 D8 of 7.
    assert_eq!(
        fig(&r, "inputs_digitized_rate", "all"),
        (5, 7, Some(71.43), NoTarget, None)
    );
    assert_eq!(
        fig(&r, "inputs_digitized_rate", "huyen"),
        (3, 4, Some(75.0), NoTarget, None)
    );
    // Online: procedures P1 P2 → D1 D2 D4 D6 D7 D8; online D1 D4 D6. 3.2: 70.
    assert_eq!(
        fig(&r, "online_rate", "all"),
        (3, 6, Some(50.0), NotMet, Some(70.0))
    );
    assert_eq!(
        fig(&r, "online_rate", "huyen"),
        (2, 3, Some(66.67), NotMet, Some(70.0))
    );
    assert_eq!(
        fig(&r, "online_rate", "xa"),
        (1, 3, Some(33.33), NotMet, Some(70.0))
    );
    // Fully online: P1 → D1 D2 D4 D8; online D1 D4. 3.2: 90 ("toàn trình").
    assert_eq!(
        fig(&r, "full_online_rate", "all"),
        (2, 4, Some(50.0), NotMet, Some(90.0))
    );
    assert_eq!(
        fig(&r, "full_online_rate", "xa"),
        (0, 1, Some(0.0), NotMet, Some(90.0))
    );
    // Data reused: D1 D3 D6 D8 of 7. 3.3: 70.
    assert_eq!(
        fig(&r, "data_reuse_rate", "all"),
        (4, 7, Some(57.14), NotMet, Some(70.0))
    );
    // Online payment: fee procedures P1 P3 → D1 D2 D3 D4 D8; paid D1 D4 D8.
    // District D1–D4, paid 2 → 50 ≥ 45 met; commune D8 paid → 100 ≥ 40 met.
    assert_eq!(
        fig(&r, "online_payment_rate", "all"),
        (3, 5, Some(60.0), NoTarget, None)
    );
    assert_eq!(
        fig(&r, "online_payment_rate", "huyen"),
        (2, 4, Some(50.0), Met, Some(45.0))
    );
    assert_eq!(
        fig(&r, "online_payment_rate", "xa"),
        (1, 1, Some(100.0), Met, Some(40.0))
    );
    // Satisfaction: rated D1 D3 D6 D7 D8; satisfied D1 D6 D8. 3.6: 94.
    assert_eq!(
        fig(&r, "satisfaction_rate", "all"),
        (3, 5, Some(60.0), NotMet, Some(94.0))
    );
    // On time: decided D1 D2 D3 D6 D7 D8; late D2 D3.
    assert_eq!(
        fig(&r, "on_time_rate", "all"),
        (4, 6, Some(66.67), NoTarget, None)
    );
    assert_eq!(
        fig(&r, "on_time_rate", "huyen"),
        (1, 3, Some(33.33), NoTarget, None)
    );
    assert_eq!(
        fig(&r, "on_time_rate", "xa"),
        (3, 3, Some(100.0), NoTarget, None)
    );
    // Late with an apology: D2 yes, D3 no; no commune dossier is late: no data.
    assert_eq!(
        fig(&r, "late_apology_rate", "all"),
        (1, 2, Some(50.0), NoTarget, None)
    );
    assert_eq!(
        fig(&r, "late_apology_rate", "xa"),
        (0, 0, None, NoData, None)
    );
    // Catalogue: 2 of 3 non-internal online (3.2: 100); 1 of 2 with a fee payable (3.5: 80).
    assert_eq!(
        fig(&r, "online_service_rate", "catalog"),
        (2, 3, Some(66.67), NotMet, Some(100.0))
    );
    assert_eq!(
        fig(&r, "online_payment_offered_rate", "catalog"),
        (1, 2, Some(50.0), NotMet, Some(80.0))
    );

    // One unit, and --by-unit: the commune's own figures against the commune threshold.
    let r = indicators(
        &store,
        "2024-Q1",
        ScopeRequest {
            unit: Some(UnitId::parse("xa-tung-anh").unwrap()),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(
        fig(&r, "results_digitized_rate", "xa-tung-anh"),
        (2, 2, Some(100.0), Met, Some(75.0))
    );
    assert!(r
        .indicators
        .iter()
        .all(|i| i.scope == "xa-tung-anh" || i.scope == "catalog"));
    let r = indicators(
        &store,
        "2024-Q1",
        ScopeRequest {
            level: Some(UnitLevel::Commune),
            by_unit: true,
            ..Default::default()
        },
    )
    .await;
    let scopes: std::collections::BTreeSet<&str> =
        r.indicators.iter().map(|i| i.scope.as_str()).collect();
    assert_eq!(
        scopes,
        ["catalog", "tt-duc-tho", "xa", "xa-tung-anh"].into()
    );
    assert_eq!(
        fig(&r, "online_rate", "tt-duc-tho"),
        (0, 1, Some(0.0), NotMet, Some(70.0))
    );
}

async fn periods_take_a_dossier_by_its_date_received(store: Store, dir: PathBuf) {
    load(&store, &dir).await;
    let received = |r: &IndicatorReport, scope: &str| fig(r, "inputs_digitized_rate", scope).1;
    // March: D2 (31/03 23:59:59), D4, D7 (01/03), D8 (31/03 23:59).
    assert_eq!(
        received(
            &indicators(&store, "2024-03", Default::default()).await,
            "all"
        ),
        4
    );
    // Q2 holds only D9 (1 April 00:00:00); 2023 only D10; the year 2024 eight (D5 withdrawn).
    assert_eq!(
        received(
            &indicators(&store, "2024-Q2", Default::default()).await,
            "all"
        ),
        1
    );
    assert_eq!(
        received(&indicators(&store, "2023", Default::default()).await, "all"),
        1
    );
    assert_eq!(
        received(&indicators(&store, "2024", Default::default()).await, "all"),
        8
    );
    assert_eq!(
        received(
            &indicators(&store, "2024-H1", Default::default()).await,
            "all"
        ),
        8
    );
    let q4 = indicators(&store, "2024-Q4", Default::default()).await;
    assert_eq!(
        fig(&q4, "online_rate", "all"),
        (0, 0, None, NoData, Some(70.0))
    );
}

async fn importing_the_same_file_again_changes_nothing(store: Store, dir: PathBuf) {
    load(&store, &dir).await;
    let before = store.all_service_totals().await.unwrap();
    let f = dossier_file(&dir, "again.csv", DOSSIERS);
    let s = import_dossiers(&store, &f, &ImportOptions::default(), |_| {})
        .await
        .unwrap();
    assert_eq!(
        (
            s.counts.read,
            s.counts.new,
            s.counts.updated,
            s.counts.unchanged
        ),
        (10, 0, 0, 10)
    );
    assert_eq!(store.all_service_totals().await.unwrap(), before);
    assert_eq!(store.count_dossiers().await.unwrap(), 10);
    let cat = write(&dir, "catalog.csv", CATALOG);
    let s = import_catalog(&store, &cat, &ImportOptions::default())
        .await
        .unwrap();
    assert_eq!(
        (s.counts.new, s.counts.updated, s.counts.unchanged),
        (0, 0, 4)
    );
}

async fn a_newer_export_replaces_changed_dossiers_in_the_totals(store: Store, dir: PathBuf) {
    load(&store, &dir).await;
    // D4 is now returned on time with its result digitised; D6 moved to March 2 and rated
    // worse; D2 unchanged; D11 is new.
    let newer = [
        DOSSIERS[1],
        "D4,1.1,trung-tam-hcc,truc_tuyen,2024-03-15,2024-03-20,2024-03-18,da_tra,1,1,0,1,,0",
        "D6,1.2,xa-tung-anh,truc_tuyen,2024-03-02 12:00,2024-03-05,2024-03-01,da_tra,1,1,1,0,khong_hai_long,0",
        "D11,1.2,xa-tung-anh,truc_tiep,2024-03-03,2024-03-05,,dang_xu_ly,0,0,0,0,,0",
    ];
    let f = dossier_file(&dir, "newer.csv", &newer);
    let s = import_dossiers(&store, &f, &ImportOptions::default(), |_| {})
        .await
        .unwrap();
    assert_eq!(
        (s.counts.new, s.counts.updated, s.counts.unchanged),
        (1, 2, 1)
    );
    let r = indicators(&store, "2024-Q1", Default::default()).await;
    // Results digitised: returned now D1 D2 D4 D6 D7 D8, digitised D1 D4 D6 D7 → 4/6.
    assert_eq!(fig(&r, "results_digitized_rate", "all").0, 4);
    assert_eq!(fig(&r, "results_digitized_rate", "all").1, 6);
    // Satisfaction: D6 now dissatisfied → satisfied D1 D8 of rated D1 D3 D6 D7 D8.
    assert_eq!(fig(&r, "satisfaction_rate", "all").0, 2);
    // February lost D6, March gained it.
    let feb = indicators(&store, "2024-02", Default::default()).await;
    assert_eq!(
        fig(&feb, "inputs_digitized_rate", "all").1,
        1,
        "only D3 left in February"
    );
    let totals = store.all_service_totals().await.unwrap();
    store.recompute_service_totals().await.unwrap();
    assert_eq!(store.all_service_totals().await.unwrap(), totals);
}

async fn expect_refused(store: &Store, path: &Path) -> String {
    let before = store.count_dossiers().await.unwrap();
    let totals = store.all_service_totals().await.unwrap();
    let e = import_dossiers(store, path, &ImportOptions::default(), |_| {})
        .await
        .expect_err("the file is refused");
    assert!(matches!(e, ImportFailure::Rows(_)), "{e}");
    assert_eq!(
        store.count_dossiers().await.unwrap(),
        before,
        "nothing stored"
    );
    assert_eq!(
        store.all_service_totals().await.unwrap(),
        totals,
        "totals untouched"
    );
    e.to_string()
}

async fn bad_files_are_refused_whole_with_located_errors(store: Store, dir: PathBuf) {
    let cat = write(&dir, "catalog.csv", CATALOG);
    import_catalog(&store, &cat, &ImportOptions::default())
        .await
        .unwrap();
    let good = DOSSIERS[0];

    let f = write(&dir, "header.csv", "ma_ho_so,ma_tthc,don_vi\nD1,1.1,x\n");
    let e = expect_refused(&store, &f).await;
    assert!(
        e.contains("header.csv, dòng 1")
            && e.contains("thiếu cột")
            && e.contains("ma_don_vi (Đơn vị tiếp nhận)"),
        "{e}"
    );

    let f = dossier_file(
        &dir,
        "proc.csv",
        &[
            good,
            "D2,9.999,trung-tam-hcc,truc_tiep,2024-01-02,2024-01-05,,dang_xu_ly,0,0,0,0,,0",
        ],
    );
    let e = expect_refused(&store, &f).await;
    assert!(e.contains("proc.csv, dòng 3, cột «ma_tthc», giá trị «9.999»: TTHC «9.999» không có trong danh mục"), "{e}");

    let f = dossier_file(
        &dir,
        "unit.csv",
        &[
            good,
            "D2,1.1,xa-khong-co,truc_tiep,2024-01-02,2024-01-05,,dang_xu_ly,0,0,0,0,,0",
        ],
    );
    let e = expect_refused(&store, &f).await;
    assert!(e.contains("unit.csv, dòng 3, cột «ma_don_vi», giá trị «xa-khong-co»: đơn vị «xa-khong-co» không có"), "{e}");

    let f = dossier_file(
        &dir,
        "date.csv",
        &[
            good,
            "D2,1.1,trung-tam-hcc,truc_tiep,2024-02-30,05/13/2024,,dang_xu_ly,0,0,0,0,,0",
        ],
    );
    let e = expect_refused(&store, &f).await;
    assert!(e.contains("tệp có 2 lỗi"), "{e}");
    assert!(e.contains("date.csv, dòng 3, cột «ngay_tiep_nhan», giá trị «2024-02-30»: ngày «2024-02-30» không hợp lệ"), "{e}");
    assert!(e.contains("cột «han_tra», giá trị «05/13/2024»"), "{e}");

    // A code twice, far apart (different batches) and close together.
    let mut rows: Vec<String> = (0..4500)
        .map(|i| {
            format!("X{i},1.1,trung-tam-hcc,truc_tiep,2024-01-02,2024-01-05,,dang_xu_ly,0,0,0,0,,0")
        })
        .collect();
    rows.push(rows[10].clone());
    rows.insert(3, rows[2].clone());
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    let f = dossier_file(&dir, "dup.csv", &refs);
    let e = expect_refused(&store, &f).await;
    assert!(e.contains("tệp có 2 lỗi"), "{e}");
    assert!(
        e.contains("dup.csv, dòng 5, cột «ma_ho_so», giá trị «X2»: mã hồ sơ «X2» đã có ở dòng 4"),
        "{e}"
    );
    assert!(
        e.contains("dòng 4503, cột «ma_ho_so», giá trị «X10»: mã hồ sơ «X10» đã có ở dòng 13"),
        "{e}"
    );

    let f = write(&dir, "empty.csv", "");
    let e = expect_refused(&store, &f).await;
    assert!(e.contains("empty.csv, dòng 1: tệp trống"), "{e}");
    let f = dossier_file(&dir, "only-header.csv", &[]);
    let e = expect_refused(&store, &f).await;
    assert!(e.contains("không có dòng hồ sơ nào"), "{e}");

    // 250 bad rows: the first 100 listed, then the count.
    let rows: Vec<String> = (0..250)
        .map(|i| format!("B{i},1.1,trung-tam-hcc,fax,2024-01-02,2024-01-05,,dang_xu_ly,0,0,0,0,,0"))
        .collect();
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    let f = dossier_file(&dir, "many.csv", &refs);
    let e = expect_refused(&store, &f).await;
    assert!(
        e.contains("tệp có 250 lỗi") && e.contains("… và 150 lỗi khác"),
        "{e}"
    );
    assert_eq!(e.matches("hình thức nộp «fax» không hợp lệ").count(), 100);

    // After a good import, a bad file leaves the stored dossiers and totals as they were.
    let f = dossier_file(&dir, "good.csv", DOSSIERS);
    import_dossiers(&store, &f, &ImportOptions::default(), |_| {})
        .await
        .unwrap();
    let f = dossier_file(
        &dir,
        "late-error.csv",
        &[
            DOSSIERS[0],
            "D77,1.1,trung-tam-hcc,truc_tiep,hôm qua,2024-01-05,,dang_xu_ly,0,0,0,0,,0",
        ],
    );
    expect_refused(&store, &f).await;
}

async fn skip_invalid_stores_good_rows_and_writes_the_rejected(store: Store, dir: PathBuf) {
    let cat = write(&dir, "catalog.csv", CATALOG);
    import_catalog(&store, &cat, &ImportOptions::default())
        .await
        .unwrap();
    let mut rows: Vec<&str> = DOSSIERS.to_vec();
    rows.push("E1,1.1,nowhere,truc_tiep,2024-01-02,2024-01-05,,dang_xu_ly,0,0,0,0,,0");
    // D1 again, received a year earlier: rejected, it must leave no trace in the totals (a
    // fresh import sums the rows as they are read and takes a duplicate back out).
    let again = DOSSIERS[0].replacen(",2024-", ",2023-", 1);
    assert_ne!(again, DOSSIERS[0]);
    rows.push(&again);
    let f = dossier_file(&dir, "mixed.csv", &rows);
    let rejects = dir.join("rejects.csv");
    let options = ImportOptions {
        skip_invalid: Some(rejects.clone()),
        ..Default::default()
    };
    let s = import_dossiers(&store, &f, &options, |_| {}).await.unwrap();
    assert_eq!(
        (s.counts.read, s.counts.new, s.counts.rejected),
        (12, 10, 2)
    );
    assert_eq!(store.count_dossiers().await.unwrap(), 10);
    let incremental = store.all_service_totals().await.unwrap();
    assert!(!incremental
        .iter()
        .any(|(unit, _, month, _)| unit == "trung-tam-hcc" && month == "2023-01"));
    store.recompute_service_totals().await.unwrap();
    assert_eq!(incremental, store.all_service_totals().await.unwrap());
    let text = std::fs::read_to_string(&rejects).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].ends_with("dong,ly_do"));
    assert!(
        lines[1].starts_with("E1,")
            && lines[1].contains(",12,ma_don_vi: đơn vị «nowhere» không có"),
        "{text}"
    );
    assert!(
        lines[2].starts_with("D1,") && lines[2].contains("đã có ở dòng 2"),
        "{text}"
    );
}

async fn headers_by_vietnamese_label_or_mapping_are_accepted(store: Store, dir: PathBuf) {
    let cat = write(&dir, "catalog.csv", CATALOG);
    import_catalog(&store, &cat, &ImportOptions::default())
        .await
        .unwrap();
    // Labels in any case, without diacritics, in another order, with a BOM and an extra column.
    let text = "\u{feff}ghi chu,MÃ HỒ SƠ,ma tthc,don vi tiep nhan,Hình thức nộp,Ngày tiếp nhận,Ngay hen tra,Ngày trả kết quả,trang thai,So hoa thanh phan ho so,Số hóa kết quả,Tái sử dụng dữ liệu,Đã thanh toán trực tuyến,Đánh giá,Số hiệu thư\r\n\
        x,L1,1.1,trung-tam-hcc,truc_tuyen,2024-01-03,2024-01-05,,dang_xu_ly,1,0,1,0,,0\r\n";
    let f = write(&dir, "labels.csv", text);
    let e = import_dossiers(&store, &f, &ImportOptions::default(), |_| {})
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("thiếu cột: xin_loi (Thư xin lỗi)"),
        "{e}"
    );
    let options = ImportOptions {
        columns: cchc_ingest::service_files::ColumnMap::parse("Số hiệu thư=xin_loi").unwrap(),
        ..Default::default()
    };
    let s = import_dossiers(&store, &f, &options, |_| {}).await.unwrap();
    assert_eq!(s.counts.new, 1);
    let r = indicators(&store, "2024-Q1", Default::default()).await;
    assert_eq!(fig(&r, "data_reuse_rate", "huyen").0, 1);
}

async fn dossier_lists_hold_exactly_the_dossiers_behind_each_figure(store: Store, dir: PathBuf) {
    // Generated data: every measure's numerator and denominator, for each level and the whole
    // district, equal the length of the list of dossiers behind it.
    let registry = Registry::new(store.list_units().await.unwrap());
    generate(&store, &dir, 3000, 11, &registry).await;
    let period = Period::parse("2024-Q2").unwrap();
    let inputs = load_inputs(&store, period, false).await.unwrap();
    let commune: Vec<UnitId> = registry
        .units()
        .iter()
        .filter(|u| u.kind.level() == UnitLevel::Commune)
        .map(|u| u.id.clone())
        .collect();
    for (scope, units) in [
        (cchc_domain::service::Scope::All, None),
        (
            cchc_domain::service::Scope::Level(UnitLevel::Commune),
            Some(commune.clone()),
        ),
    ] {
        let set = inputs.measures(&scope, None);
        for m in ServiceMeasure::ALL {
            let ratio = set.get(m);
            for (part, expected) in [
                (RatioPart::Numerator, ratio.numerator),
                (RatioPart::Denominator, ratio.denominator),
            ] {
                let mut query = DossierQuery {
                    start: period.start(),
                    end: period.end(),
                    units: units.clone(),
                    measure: Some((m, part)),
                    search: None,
                    offset: 0,
                    limit: Some(5),
                };
                let page = store.list_dossiers(&query).await.unwrap();
                assert_eq!(page.total as i64, expected, "{m:?} {part:?} {scope:?}");
                assert!(page.dossiers.len() <= 5);
                // The export reads the same list, whole and in the same order.
                query.limit = None;
                let whole = store.list_dossiers(&query).await.unwrap().dossiers;
                let mut streamed = Vec::new();
                let n = store
                    .for_each_dossier(&query, &mut |d| {
                        streamed.push(d);
                        Ok(())
                    })
                    .await
                    .unwrap();
                assert_eq!(n as i64, expected, "{m:?} {part:?} {scope:?}");
                assert_eq!(streamed, whole, "{m:?} {part:?} {scope:?}");
                assert_eq!(&whole[..page.dossiers.len()], &page.dossiers[..]);
            }
        }
        assert!(
            set.get(ServiceMeasure::OnlineRate).denominator > 100,
            "enough data to mean something"
        );
    }
}

async fn generate(store: &Store, dir: &Path, rows: u64, seed: u64, registry: &Registry) {
    use cchc_ingest::service_gen::{receiving_units, write_catalog, write_dossiers};
    let cat = dir.join("gen-catalog.csv");
    let procs = write_catalog(std::fs::File::create(&cat).unwrap(), 60, 1).unwrap();
    import_catalog(store, &cat, &ImportOptions::default())
        .await
        .unwrap();
    let f = dir.join(format!("gen-{seed}-{rows}.csv"));
    let units = receiving_units(registry.units());
    write_dossiers(
        std::fs::File::create(&f).unwrap(),
        rows,
        seed,
        2024,
        &units,
        &procs,
    )
    .unwrap();
    let s = import_dossiers(store, &f, &ImportOptions::default(), |_| {})
        .await
        .unwrap();
    assert_eq!(s.counts.read, rows);
}

async fn incremental_totals_equal_a_full_recompute(store: Store, dir: PathBuf) {
    // A sequence of imports over overlapping codes: codes are numbered from 0 in every file,
    // so each later file replaces the dossiers of the earlier ones it shares codes with,
    // moving them between days, units, procedures and states.
    let registry = Registry::new(store.list_units().await.unwrap());
    let mut seeds = cchc_ingest::service_gen::Rng::new(2024);
    for step in 0..5 {
        let rows = 200 + seeds.below(1500);
        let seed = if step == 3 {
            1
        } else {
            seeds.next_u64() % 1000
        };
        generate(&store, &dir, rows, seed, &registry).await;
        let incremental = store.all_service_totals().await.unwrap();
        assert!(
            incremental.iter().all(|(_, _, _, t)| !t.is_zero()),
            "no empty rows kept"
        );
        let spans = rolled_up(&store).await;
        store.recompute_service_totals().await.unwrap();
        let full = store.all_service_totals().await.unwrap();
        assert_eq!(incremental, full, "step {step}: {rows} rows, seed {seed}");
        assert_eq!(
            spans,
            rolled_up(&store).await,
            "step {step}: years and quarters"
        );
    }
}

/// The totals of the year, its quarters and runs of months across them, each read as one
/// span (whole years and quarters from the rolled-up rows) and checked against the same span
/// summed from the month rows.
async fn rolled_up(store: &Store) -> Vec<Vec<cchc_store::TotalsRow>> {
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let mut out = Vec::new();
    for (a, b) in [
        ("2024-01-01", "2024-12-31"),
        ("2024-01-01", "2024-03-31"),
        ("2024-04-01", "2024-09-30"),
        ("2024-10-01", "2024-12-31"),
        ("2024-02-01", "2024-11-30"),
        ("2023-12-01", "2024-12-31"),
    ] {
        let mut spans = store.service_totals(day(a), day(b), false).await.unwrap();
        let mut summed: std::collections::BTreeMap<(String, String), cchc_domain::service::Tally> =
            Default::default();
        for r in store.service_totals(day(a), day(b), true).await.unwrap() {
            summed
                .entry((r.unit, r.procedure))
                .or_default()
                .add(&r.tally);
        }
        spans.sort_by(|x, y| (&x.unit, &x.procedure).cmp(&(&y.unit, &y.procedure)));
        let from_months: Vec<_> = summed
            .into_iter()
            .map(|((unit, procedure), tally)| cchc_store::TotalsRow {
                unit,
                procedure,
                month: None,
                tally,
            })
            .collect();
        assert_eq!(spans, from_months, "{a}..{b}");
        assert!(!spans.is_empty(), "{a}..{b}");
        out.push(spans);
    }
    out
}

/// An XLSX export: labels as headers, real date cells and text dates, numbers for booleans.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_xlsx_dossier_file_imports_like_its_csv() {
    on_sqlite(|store: Store, dir: PathBuf| async move {
        let cat = write(&dir, "catalog.csv", CATALOG);
        import_catalog(&store, &cat, &ImportOptions::default())
            .await
            .unwrap();
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let labels: Vec<&str> = cchc_ingest::service_files::DOSSIER_COLUMNS
            .iter()
            .map(|c| c.label)
            .collect();
        for (c, l) in labels.iter().enumerate() {
            sheet.write_string(0, c as u16, *l).unwrap();
        }
        let date_fmt = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy hh:mm");
        let received =
            rust_xlsxwriter::ExcelDateTime::parse_from_str("2024-03-31 23:59:00").unwrap();
        // X1: received as a date cell on 31 March at 23:59 (Q1), online, fully-online procedure.
        sheet.write_string(1, 0, "X1").unwrap();
        sheet.write_string(1, 1, "1.1").unwrap();
        sheet.write_string(1, 2, "tt-duc-tho").unwrap();
        sheet.write_string(1, 3, "truc_tuyen").unwrap();
        sheet
            .write_datetime_with_format(1, 4, &received, &date_fmt)
            .unwrap();
        sheet.write_string(1, 5, "05/04/2024").unwrap();
        sheet.write_string(1, 7, "dang_xu_ly").unwrap();
        for c in 8..=11 {
            sheet.write_number(1, c, 1.0).unwrap();
        }
        sheet.write_number(1, 13, 0.0).unwrap();
        let path = dir.join("ho-so.xlsx");
        book.save(&path).unwrap();
        let s = import_dossiers(&store, &path, &ImportOptions::default(), |_| {})
            .await
            .unwrap();
        assert_eq!((s.counts.read, s.counts.new), (1, 1));
        let r = indicators(&store, "2024-Q1", Default::default()).await;
        assert_eq!(fig(&r, "full_online_rate", "xa").0, 1);
        assert_eq!(
            fig(&r, "data_reuse_rate", "xa"),
            (1, 1, Some(100.0), Met, Some(70.0))
        );
    })
    .await
}

async fn a_whole_catalogue_retires_what_it_no_longer_lists(store: Store, dir: PathBuf) {
    load(&store, &dir).await;
    let dossier_figures = |r: &IndicatorReport| {
        r.indicators
            .iter()
            .filter(|i| i.scope != "catalog")
            .map(|i| (i.measure, i.scope.clone(), i.numerator, i.denominator))
            .collect::<Vec<_>>()
    };
    let before = indicators(&store, "2024", Default::default()).await;
    // Non-internal 1.1 1.2 1.3: online 1.1 1.2 → 2/3; with a fee 1.1 1.3, paid online 1.1 → 1/2.
    assert_eq!(fig(&before, "online_service_rate", "catalog").0, 2);
    assert_eq!(fig(&before, "online_service_rate", "catalog").1, 3);
    assert_eq!(fig(&before, "online_payment_offered_rate", "catalog").1, 2);

    // The catalogue now: 1.1, 1.2 and a new 1.5; 1.3 and the internal 1.4 are gone. The row of
    // 1.2 has an error and is skipped, but it names 1.2: that one is not retired.
    let whole = "ma_tthc,ten_tthc,linh_vuc,cap_thuc_hien,muc_do_dvc,co_nghia_vu_tai_chinh,thanh_toan_truc_tuyen,noi_bo
1.1,Đăng ký khai sinh,Hộ tịch,\"huyen,xa\",toan_trinh,1,có,0
1.2,Chứng thực bản sao,Chứng thực,xa,sai_muc_do,0,không,false
1.5,Đăng ký kết hôn,Hộ tịch,xa,toan_trinh,1,1,0
";
    let f = write(&dir, "whole.csv", whole);
    let options = ImportOptions {
        whole_catalog: true,
        skip_invalid: Some(dir.join("rejected-catalog.csv")),
        ..Default::default()
    };
    let s = import_catalog(&store, &f, &options).await.unwrap();
    assert_eq!(
        s.line_vi(),
        "đọc 3, thêm mới 1, cập nhật 0, không đổi 1, bị loại 1, đánh dấu bãi bỏ 2"
    );
    let retired: Vec<String> = store
        .list_procedures()
        .await
        .unwrap()
        .into_iter()
        .filter(|p| p.retired)
        .map(|p| p.code.to_string())
        .collect();
    assert_eq!(retired, ["1.3", "1.4"], "1.2, rejected but named, stays");

    // Catalogue measures: 1.1 1.2 1.5, all online; with a fee 1.1 1.5, both paid online.
    let after = indicators(&store, "2024", Default::default()).await;
    assert_eq!(fig(&after, "online_service_rate", "catalog").0, 3);
    assert_eq!(fig(&after, "online_service_rate", "catalog").1, 3);
    assert_eq!(fig(&after, "online_payment_offered_rate", "catalog").0, 2);
    assert_eq!(fig(&after, "online_payment_offered_rate", "catalog").1, 2);
    // The dossiers of 1.3 count as before, and a new one is still accepted.
    assert_eq!(dossier_figures(&after), dossier_figures(&before));
    let more = dossier_file(
        &dir,
        "more.csv",
        &["D11,1.3,trung-tam-hcc,truc_tiep,2024-05-02,2024-05-09,,dang_xu_ly,0,0,0,0,,0"],
    );
    let s = import_dossiers(&store, &more, &ImportOptions::default(), |_| {})
        .await
        .unwrap();
    assert_eq!(s.counts.new, 1);

    // The old catalogue again, not as a whole: 1.3 and 1.4 come back, 1.5 stays.
    let cat = write(&dir, "catalog.csv", CATALOG);
    let s = import_catalog(&store, &cat, &ImportOptions::default())
        .await
        .unwrap();
    assert_eq!(
        s.line_vi(),
        "đọc 4, thêm mới 0, cập nhật 2, không đổi 2, bị loại 0"
    );
    assert!(store
        .list_procedures()
        .await
        .unwrap()
        .iter()
        .all(|p| !p.retired));
}
