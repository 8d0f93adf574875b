//! The dossier list export: rows in list order under the Vietnamese headers, continued on a
//! new sheet when one is full.

mod common;

use cchc_docs::{DossiersXlsx, DOSSIER_HEADERS};
use cchc_domain::service::{Channel, Dossier, DossierCode, DossierStatus, ProcedureCode, Rating};
use cchc_domain::unit::{Registry, Unit, UnitKind};
use cchc_domain::UnitId;
use common::Book;

fn dossier(n: u32) -> Dossier {
    let at = |d: u32, h: u32| {
        chrono::NaiveDate::from_ymd_opt(2024, 3, d)
            .unwrap()
            .and_hms_opt(h, 30, 0)
            .unwrap()
    };
    Dossier {
        code: DossierCode::parse(&format!("HS-{n}")).unwrap(),
        procedure: ProcedureCode::parse("1.001").unwrap(),
        unit: UnitId::parse("xa-tung-anh").unwrap(),
        channel: Channel::Online,
        received: at(n, 8),
        due: at(n + 3, 17),
        returned: n.is_multiple_of(2).then(|| at(n + 1, 9)),
        status: if n.is_multiple_of(2) {
            DossierStatus::Returned
        } else {
            DossierStatus::InProgress
        },
        inputs_digitized: true,
        results_digitized: n.is_multiple_of(2),
        data_reused: false,
        paid_online: false,
        rating: (n == 2).then_some(Rating::VerySatisfied),
        apology: false,
    }
}

fn registry() -> Registry {
    Registry::new(vec![Unit {
        id: UnitId::parse("xa-tung-anh").unwrap(),
        name: "UBND xã Tùng Ảnh".into(),
        kind: UnitKind::Commune,
        parent: None,
        aliases: vec![],
        source: "plan".into(),
    }])
}

#[test]
fn a_long_list_continues_on_numbered_sheets_in_order() {
    let registry = registry();
    let mut book = DossiersXlsx::with_rows_per_sheet(2).unwrap();
    for n in 1..=5 {
        book.push(&dossier(n), &registry).unwrap();
    }
    let mut xlsx = Book::open(book.finish().unwrap());
    assert_eq!(xlsx.sheet_names(), ["Hồ sơ", "Hồ sơ (2)", "Hồ sơ (3)"]);
    let mut codes = Vec::new();
    for name in xlsx.sheet_names() {
        let sheet = xlsx.sheet(&name);
        assert_eq!(sheet.row(0, 15), DOSSIER_HEADERS, "{name}");
        for r in 1..=sheet.last_row() {
            codes.push(sheet.text(r, 0));
        }
    }
    assert_eq!(codes, ["HS-1", "HS-2", "HS-3", "HS-4", "HS-5"]);
    let first = xlsx.sheet("Hồ sơ");
    assert_eq!(
        first.row(2, 15),
        [
            "HS-2",
            "1.001",
            "xa-tung-anh",
            "UBND xã Tùng Ảnh",
            Channel::Online.label_vi(),
            "2024-03-02 08:30:00",
            "2024-03-05 17:30:00",
            "2024-03-03 09:30:00",
            DossierStatus::Returned.label_vi(),
            "Có",
            "Có",
            "Không",
            "Không",
            Rating::VerySatisfied.label_vi(),
            "Không",
        ]
    );
}

#[test]
fn an_empty_list_is_a_sheet_of_headers() {
    let mut xlsx = Book::open(DossiersXlsx::new().unwrap().finish().unwrap());
    assert_eq!(xlsx.sheet_names(), ["Hồ sơ"]);
    let sheet = xlsx.sheet("Hồ sơ");
    assert_eq!(sheet.row(0, 15), DOSSIER_HEADERS);
    assert_eq!(sheet.last_row(), 0);
}
