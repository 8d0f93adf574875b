//! A database made before the month index (migration 20240604) is carried over when it is
//! opened: its dossiers keep every field, gain their month and computed days, and are found by
//! period and by measure as new ones are; its month totals are rolled up into quarters and the
//! year (20240606); its procedures stay in the catalogue (20240607).

use std::borrow::Cow;

use cchc_domain::service::{parse_datetime, RatioPart, ServiceMeasure};
use cchc_store::{testing::TestDatabase, DossierQuery, Store};
use chrono::NaiveDate;
use sqlx::migrate::Migrator;

const MONTH_INDEX: i64 = 20240604000000;

/// The migrations before the month index.
fn before_month_index(mut m: Migrator) -> Migrator {
    let n = m
        .migrations
        .iter()
        .position(|x| x.version == MONTH_INDEX)
        .expect("the month-index migration is embedded");
    m.migrations = Cow::Owned(m.migrations[..n].to_vec());
    m
}

/// Two dossiers in the old shape (days stored beside the times): one returned on time in May,
/// one pending in June.
const OLD_DOSSIERS: &str = "INSERT INTO dossiers (code, procedure_code, unit_id, channel,
     received_at, received_on, due_at, due_on, returned_at, returned_on, status,
     inputs_digitized, results_digitized, data_reused, paid_online, rating, apology, import_id,
     import_row)
     VALUES ('HS1', '1.1', 'xa-tung-anh', 'truc_tuyen', '2024-05-08 13:29:08', '2024-05-08',
             '2024-05-23 13:29:08', '2024-05-23', '2024-05-20 08:00:00', '2024-05-20', 'da_tra',
             1, 1, 0, 1, 'hai_long', 0, 1, 2),
            ('HS2', '1.1', 'xa-tung-anh', 'truc_tiep', '2024-06-30 23:59:00', '2024-06-30',
             '2024-07-05 00:00:00', '2024-07-05', NULL, NULL, 'dang_xu_ly',
             0, 0, 0, 0, NULL, 0, 1, 3)";

/// Their month totals, and their procedure.
const OLD_TOTALS: [&str; 3] = [
    "INSERT INTO service_totals (unit_id, procedure_code, month, received, withdrawn, returned,
         returned_digitized, inputs_digitized, online, reused, paid_online, rated, satisfied,
         decided, on_time, late_apologized)
     VALUES ('xa-tung-anh', '1.1', '2024-05', 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0)",
    "INSERT INTO service_totals (unit_id, procedure_code, month, received, withdrawn, returned,
         returned_digitized, inputs_digitized, online, reused, paid_online, rated, satisfied,
         decided, on_time, late_apologized)
     VALUES ('xa-tung-anh', '1.1', '2024-06', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)",
    "INSERT INTO procedures (code, name, field, district, commune, online_level, has_fee,
         online_payment, internal)
     VALUES ('1.1', 'Đăng ký khai sinh', 'Hộ tịch', 1, 1, 'toan_trinh', 1, 1, 0)",
];

/// The steps the last upgrade notice told. The notice is one per process: the tests take
/// turns, so that one's notice cannot land in the other's check.
static TOLD: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn remember(steps: usize) {
    TOLD.store(steps, std::sync::atomic::Ordering::SeqCst);
}

/// How many migrations come from the month index on: what opening an old database runs.
fn steps_from_month_index(m: &Migrator) -> usize {
    m.iter().filter(|x| x.version >= MONTH_INDEX).count()
}

/// Brings the database of `$pool` to the schema before the month index (the migrations in
/// `$dir`) and stores the old rows in it.
macro_rules! old_database {
    ($pool:expr, $dir:literal) => {{
        before_month_index(sqlx::migrate!($dir))
            .run($pool)
            .await
            .unwrap();
        for q in std::iter::once(OLD_DOSSIERS).chain(OLD_TOTALS) {
            sqlx::query(q).execute($pool).await.unwrap();
        }
    }};
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn query(start: &str, end: &str, measure: Option<(ServiceMeasure, RatioPart)>) -> DossierQuery {
    DossierQuery {
        start: day(start),
        end: day(end),
        units: None,
        measure,
        search: None,
        offset: 0,
        limit: None,
    }
}

fn codes(page: &cchc_store::DossierPage) -> Vec<&str> {
    page.dossiers.iter().map(|d| d.code.as_str()).collect()
}

async fn check_carried_over(store: Store) {
    let may = store
        .list_dossiers(&query("2024-05-01", "2024-05-31", None))
        .await
        .unwrap();
    assert_eq!(codes(&may), ["HS1"]);
    let hs1 = &may.dossiers[0];
    assert_eq!(hs1.received, parse_datetime("2024-05-08 13:29:08").unwrap());
    assert_eq!(
        hs1.returned,
        Some(parse_datetime("2024-05-20 08:00:00").unwrap())
    );
    assert!(hs1.paid_online && hs1.inputs_digitized && !hs1.data_reused);
    // The last minute of June is in June, and in no other month.
    let june = store
        .list_dossiers(&query("2024-06-01", "2024-06-30", None))
        .await
        .unwrap();
    assert_eq!(codes(&june), ["HS2"]);
    assert_eq!(june.dossiers[0].returned, None);
    let july = store
        .list_dossiers(&query("2024-07-01", "2024-07-31", None))
        .await
        .unwrap();
    assert_eq!(july.total, 0);
    // The computed days answer the measures' conditions: HS1 was returned on time, HS2 is not
    // decided at all.
    let on_time = store
        .list_dossiers(&query(
            "2024-01-01",
            "2024-12-31",
            Some((ServiceMeasure::OnTimeRate, RatioPart::Numerator)),
        ))
        .await
        .unwrap();
    assert_eq!(codes(&on_time), ["HS1"]);
    assert_eq!(store.count_dossiers().await.unwrap(), 2);
    // The year and the second quarter are read from the rolled-up rows: both dossiers.
    for (start, end) in [("2024-01-01", "2024-12-31"), ("2024-04-01", "2024-06-30")] {
        let rows = store
            .service_totals(day(start), day(end), false)
            .await
            .unwrap();
        assert_eq!(rows.len(), 1, "{start}");
        let t = &rows[0].tally;
        assert_eq!((t.received, t.returned, t.online), (2, 1, 1), "{start}");
    }
    let procedures = store.list_procedures().await.unwrap();
    assert_eq!(procedures.len(), 1);
    assert!(!procedures[0].retired);
}

#[tokio::test]
async fn sqlite_dossiers_stored_before_the_month_index_are_carried_over() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
        old_database!(&pool, "./migrations/sqlite");
        pool.close().await;
    }
    cchc_store::on_upgrade(remember);
    let store = cchc_store::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    // The official was told before the upgrade ran.
    let steps = steps_from_month_index(&sqlx::migrate!("./migrations/sqlite"));
    assert!(steps >= 4);
    assert_eq!(TOLD.load(std::sync::atomic::Ordering::SeqCst), steps);
    check_carried_over(store).await;
    // Opened again, nothing to upgrade: nothing told.
    TOLD.store(0, std::sync::atomic::Ordering::SeqCst);
    cchc_store::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    assert_eq!(TOLD.load(std::sync::atomic::Ordering::SeqCst), 0);
}

#[tokio::test]
async fn postgres_dossiers_stored_before_the_month_index_are_carried_over() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(db) = TestDatabase::create().await else {
        return;
    };
    let outcome = {
        let url = db.url().to_string();
        tokio::spawn(async move {
            let pool = sqlx::PgPool::connect(&url).await.unwrap();
            old_database!(&pool, "./migrations/postgres");
            pool.close().await;
            check_carried_over(cchc_store::connect(&url).await.unwrap()).await;
        })
        .await
    };
    db.drop().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
