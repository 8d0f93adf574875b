//! Dossier imports in the store, on SQLite and on PostgreSQL (where a fresh import goes by
//! COPY): what is stored reads back as it was given, whatever the text holds, and a code seen
//! twice is caught with its first row, in one batch or across batches.

use cchc_domain::service::{
    parse_datetime, Channel, Dossier, DossierCode, DossierStatus, ProcedureCode, Rating,
};
use cchc_domain::UnitId;
use cchc_store::{Deltas, DossierQuery, Store};
use chrono::NaiveDate;

cchc_store::backend_tests!(
    tricky_text_reads_back_field_by_field_after_a_fresh_import,
    a_code_seen_twice_is_caught_with_its_first_row_in_and_across_batches,
);

/// A dossier with the given code, procedure and unit; `pending` leaves the return date and the
/// rating empty (stored as NULL).
fn dossier(code: &str, procedure: &str, unit: &str, day: u32, pending: bool) -> Dossier {
    let at = |s: String| parse_datetime(&s).unwrap();
    Dossier {
        code: DossierCode::parse(code).unwrap(),
        procedure: ProcedureCode::parse(procedure).unwrap(),
        unit: UnitId::parse(unit).unwrap(),
        channel: if pending {
            Channel::parse("truc_tuyen")
        } else {
            Channel::parse("buu_chinh")
        }
        .unwrap(),
        received: at(format!("2024-02-{day:02} 07:08:09")),
        due: at(format!("2024-03-{day:02} 23:59:59")),
        returned: (!pending).then(|| at(format!("2024-03-{:02} 00:00:01", day + 1))),
        status: DossierStatus::parse(if pending { "dang_xu_ly" } else { "da_tra" }).unwrap(),
        inputs_digitized: pending,
        results_digitized: !pending,
        data_reused: day.is_multiple_of(2),
        paid_online: day.is_multiple_of(3),
        rating: (!pending).then(|| Rating::parse("rat_hai_long").unwrap()),
        apology: day % 2 == 1,
    }
}

/// Values COPY's text format reads specially or a careless writer would mangle, in the codes
/// (a unit id is plain by its own rules): backslashes (also before `N`, `t`, `.` and digits),
/// quotes, Vietnamese text; the returned time and rating are NULL in every other dossier.
fn tricky() -> Vec<Dossier> {
    vec![
        dossier(r"HS\N", r"1.1\", "xa-tung-anh", 1, false),
        dossier(r"a\tb\nc\r", "TTHC «Đức Thọ»", "don-vi", 2, true),
        dossier(r"C:\thư mục\001\x41", "1'2\"3", "u-1", 3, false),
        dossier("\"quoted\" 'single' `tick`", r"\\", "ho-so", 4, true),
        dossier(
            "Hồ sơ số 5 của UBND xã Đức Lạng — ngày 05/02",
            "1.2",
            "ubnd",
            5,
            false,
        ),
        dossier(r"\.", "1.3", "n", 6, true),
    ]
}

/// Runs one import of `batches` as the app does (the caller sums a fresh import); returns the
/// duplicates found, as (code, row, first row).
async fn import(store: &Store, batches: &[Vec<(usize, Dossier)>]) -> Vec<(String, usize, usize)> {
    let mut import = store.begin_dossier_import("tep.csv").await.unwrap();
    let mut summed = import.sum_in_caller().then(Deltas::default);
    let mut duplicates = Vec::new();
    for batch in batches {
        if let Some(s) = summed.as_mut() {
            batch.iter().for_each(|(_, d)| s.add(d, 1));
        }
        let out = import.add(batch).await.unwrap();
        duplicates.extend(
            out.duplicates
                .into_iter()
                .map(|d| (d.code.to_string(), d.row, d.first_row)),
        );
    }
    import.commit(summed).await.unwrap();
    duplicates
}

async fn stored(store: &Store) -> Vec<Dossier> {
    let query = DossierQuery {
        start: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        end: NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
        units: None,
        measure: None,
        search: None,
        offset: 0,
        limit: None,
    };
    store.list_dossiers(&query).await.unwrap().dossiers
}

/// Totals as stored, against the same rebuilt from the dossiers.
async fn assert_totals_equal_a_recompute(store: &Store) {
    let incremental = totals(store).await;
    assert!(!incremental.is_empty());
    store.recompute_service_totals().await.unwrap();
    assert_eq!(incremental, totals(store).await);
}

async fn totals(store: &Store) -> Vec<(String, String, String, [i64; 13])> {
    let mut rows: Vec<_> = store
        .all_service_totals()
        .await
        .unwrap()
        .into_iter()
        .map(|(u, p, m, t)| (u, p, m, t.to_array()))
        .collect();
    rows.sort();
    rows
}

async fn tricky_text_reads_back_field_by_field_after_a_fresh_import(store: Store) {
    let given = tricky();
    let batch: Vec<_> = given
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, d)| (i + 2, d))
        .collect();
    assert!(import(&store, &[batch]).await.is_empty());
    let back = stored(&store).await;
    assert_eq!(back.len(), given.len());
    // The list is ordered by day received, as the fixtures are.
    for (b, g) in back.iter().zip(&given) {
        assert_eq!(b.code, g.code);
        assert_eq!(b.procedure, g.procedure, "{}", g.code);
        assert_eq!(b.unit, g.unit, "{}", g.code);
        assert_eq!(b.channel, g.channel, "{}", g.code);
        assert_eq!(b.received, g.received, "{}", g.code);
        assert_eq!(b.due, g.due, "{}", g.code);
        assert_eq!(b.returned, g.returned, "{}", g.code);
        assert_eq!(b.status, g.status, "{}", g.code);
        assert_eq!(b.inputs_digitized, g.inputs_digitized, "{}", g.code);
        assert_eq!(b.results_digitized, g.results_digitized, "{}", g.code);
        assert_eq!(b.data_reused, g.data_reused, "{}", g.code);
        assert_eq!(b.paid_online, g.paid_online, "{}", g.code);
        assert_eq!(b.rating, g.rating, "{}", g.code);
        assert_eq!(b.apology, g.apology, "{}", g.code);
    }
    assert_totals_equal_a_recompute(&store).await;

    // The same file again (no longer fresh) finds every row unchanged.
    let mut again = store.begin_dossier_import("tep.csv").await.unwrap();
    assert!(!again.sum_in_caller());
    let batch: Vec<_> = given
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, d)| (i + 2, d))
        .collect();
    let out = again.add(&batch).await.unwrap();
    again.commit(None).await.unwrap();
    assert_eq!(
        (out.counts.unchanged, out.counts.new, out.counts.updated),
        (6, 0, 0)
    );
    assert_eq!(stored(&store).await, given);
}

async fn a_code_seen_twice_is_caught_with_its_first_row_in_and_across_batches(store: Store) {
    let d = tricky();
    let first = vec![(2, d[0].clone()), (3, d[1].clone()), (4, d[2].clone())];
    // Row 6 repeats row 3 within the batch; the second batch repeats rows 2 and 6's code.
    let mut twice = d[1].clone();
    twice.paid_online = !twice.paid_online;
    let mut first = first;
    first.push((5, d[3].clone()));
    first.push((6, twice));
    let second = vec![(7, d[4].clone()), (8, d[0].clone()), (9, d[5].clone())];
    let duplicates = import(&store, &[first, second]).await;
    assert_eq!(
        duplicates,
        vec![(d[1].code.to_string(), 6, 3), (d[0].code.to_string(), 8, 2),]
    );
    // The first row of a code is the one stored; the rest of the file is stored whole.
    assert_eq!(stored(&store).await, d);
    assert_totals_equal_a_recompute(&store).await;
}
