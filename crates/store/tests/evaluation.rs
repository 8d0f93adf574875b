//! Evaluation storage on SQLite and PostgreSQL: inspections with their remediation items,
//! initiatives, dialogues and staffing quotas, each write with its audit entry.

use cchc_domain::execution::verify_chain;
use cchc_store::evaluation::{
    DialogueDraft, InitiativeDraft, InspectionDraft, QuotaRecord, RemediationDraft,
};
use cchc_store::execution::{AuditDraft, AuditFilter};
use cchc_store::{Store, StoreError};
use chrono::NaiveDate;

cchc_store::backend_tests!(
    inspections_keep_their_remediation_and_every_write_is_audited,
    initiatives_dialogues_and_quotas_round_trip_by_year,
);

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn audit(action: &str) -> AuditDraft {
    AuditDraft::new(
        "tester",
        action,
        format!("test:{action}"),
        Some("xa-tung-anh"),
    )
}

fn inspection(unit: &str, held: Option<NaiveDate>) -> InspectionDraft {
    InspectionDraft {
        year: 2024,
        unit: unit.into(),
        planned: Some(d(2024, 5, 10)),
        held,
        team: "Đoàn kiểm tra CCHC huyện".into(),
        content: "Công tác CCHC năm 2024".into(),
        findings: String::new(),
        minutes: String::new(),
    }
}

async fn inspections_keep_their_remediation_and_every_write_is_audited(store: Store) {
    let e = store.evaluation();
    let before = store
        .execution()
        .list_audit(&AuditFilter::default())
        .await
        .unwrap()
        .len();
    let a = e
        .insert_inspection(&inspection("xa-tung-anh", None), &audit("inspection.add"))
        .await
        .unwrap();
    let b = e
        .insert_inspection(
            &inspection("phong-noi-vu", Some(d(2024, 6, 3))),
            &audit("inspection.add"),
        )
        .await
        .unwrap();
    let mut held = inspection("xa-tung-anh", Some(d(2024, 5, 14)));
    held.findings = "Niêm yết TTHC chưa đầy đủ".into();
    held.minutes = "Biên bản số 12/BB-ĐKT ngày 14/5/2024".into();
    e.update_inspection(a, &held, &audit("inspection.held"))
        .await
        .unwrap();
    let late = RemediationDraft {
        description: "Cập nhật bảng niêm yết".into(),
        deadline: d(2024, 6, 30),
        done: None,
    };
    let early = RemediationDraft {
        description: "Bổ sung sổ theo dõi".into(),
        deadline: d(2024, 6, 15),
        done: Some(d(2024, 6, 10)),
    };
    let r1 = e
        .insert_remediation(a, &late, &audit("remediation.add"))
        .await
        .unwrap();
    e.insert_remediation(a, &early, &audit("remediation.add"))
        .await
        .unwrap();
    assert!(matches!(
        e.insert_remediation(9999, &late, &audit("remediation.add"))
            .await,
        Err(StoreError::NotFound(_))
    ));

    let list = e.list_inspections(2024).await.unwrap();
    assert_eq!(list.len(), 2);
    // By unit: phong-noi-vu before xa-tung-anh.
    assert_eq!(list[0].id, b);
    let got = &list[1];
    assert_eq!(got.held, Some(d(2024, 5, 14)));
    assert_eq!(got.minutes, "Biên bản số 12/BB-ĐKT ngày 14/5/2024");
    let items: Vec<_> = got.remediation.iter().map(|r| r.deadline).collect();
    assert_eq!(
        items,
        vec![d(2024, 6, 15), d(2024, 6, 30)],
        "in deadline order"
    );
    assert!(e.list_inspections(2023).await.unwrap().is_empty());

    let mut done = late.clone();
    done.done = Some(d(2024, 7, 2));
    e.update_remediation(r1, &done, &audit("remediation.done"))
        .await
        .unwrap();
    assert_eq!(
        e.get_remediation(r1).await.unwrap().unwrap().done,
        Some(d(2024, 7, 2))
    );
    assert!(matches!(
        e.update_inspection(9999, &held, &audit("inspection.edit"))
            .await,
        Err(StoreError::NotFound(_))
    ));

    e.delete_inspection(a, &audit("inspection.delete"))
        .await
        .unwrap();
    assert!(e.get_inspection(a).await.unwrap().is_none());
    assert!(
        e.get_remediation(r1).await.unwrap().is_none(),
        "items go with it"
    );
    assert!(matches!(
        e.delete_inspection(a, &audit("inspection.delete")).await,
        Err(StoreError::NotFound(_))
    ));

    // Seven writes succeeded, each with one entry; the refused ones wrote none.
    let entries = store
        .execution()
        .list_audit(&AuditFilter::default())
        .await
        .unwrap();
    assert_eq!(entries.len() - before, 7);
    let actions: Vec<&str> = entries[before..]
        .iter()
        .map(|x| x.action.as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "inspection.add",
            "inspection.add",
            "inspection.held",
            "remediation.add",
            "remediation.add",
            "remediation.done",
            "inspection.delete"
        ]
    );
    verify_chain(&entries).unwrap();
}

async fn initiatives_dialogues_and_quotas_round_trip_by_year(store: Store) {
    let e = store.evaluation();
    let mut i = InitiativeDraft {
        year: 2024,
        unit: "xa-tung-anh".into(),
        title: "Số hóa hồ sơ một cửa".into(),
        status: "proposed".into(),
        decision_number: String::new(),
        decision_date: None,
    };
    let id = e
        .insert_initiative(&i, &audit("initiative.add"))
        .await
        .unwrap();
    i.status = "accepted_province".into();
    i.decision_number = "1234/QĐ-HĐTĐ".into();
    i.decision_date = Some(d(2024, 11, 20));
    e.update_initiative(id, &i, &audit("initiative.edit"))
        .await
        .unwrap();
    let list = e.list_initiatives(2024).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].draft, i);
    assert!(e.list_initiatives(2023).await.unwrap().is_empty());
    // The status is one of three.
    let mut bad = i.clone();
    bad.status = "maybe".into();
    assert!(e
        .insert_initiative(&bad, &audit("initiative.add"))
        .await
        .is_err());

    let dlg = |date| DialogueDraft {
        unit: "ubnd-huyen".into(),
        date,
        chair: "Chủ tịch UBND huyện".into(),
        topic: "Giải quyết TTHC đất đai".into(),
        participants: "Người dân, doanh nghiệp".into(),
        attendance: Some(120),
    };
    let d1 = e
        .insert_dialogue(&dlg(d(2024, 4, 2)), &audit("dialogue.add"))
        .await
        .unwrap();
    e.insert_dialogue(&dlg(d(2023, 12, 30)), &audit("dialogue.add"))
        .await
        .unwrap();
    let y24 = e.list_dialogues(2024).await.unwrap();
    assert_eq!(y24.len(), 1);
    assert_eq!(y24[0].draft.attendance, Some(120));
    // Moving its date moves its year.
    e.update_dialogue(d1, &dlg(d(2023, 3, 1)), &audit("dialogue.edit"))
        .await
        .unwrap();
    assert!(e.list_dialogues(2024).await.unwrap().is_empty());
    assert_eq!(e.list_dialogues(2023).await.unwrap().len(), 2);
    e.delete_dialogue(d1, &audit("dialogue.delete"))
        .await
        .unwrap();
    assert_eq!(e.list_dialogues(2023).await.unwrap().len(), 1);

    let q = |unit: &str, year, cs, pe| QuotaRecord {
        unit: unit.into(),
        year,
        civil_servants: cs,
        public_employees: pe,
    };
    e.put_quota(&q("xa-tung-anh", 2023, 23, 0), &audit("quota.set"))
        .await
        .unwrap();
    e.put_quota(&q("xa-tung-anh", 2024, 22, 0), &audit("quota.set"))
        .await
        .unwrap();
    // Set again: replaced, not doubled.
    e.put_quota(&q("xa-tung-anh", 2024, 21, 0), &audit("quota.set"))
        .await
        .unwrap();
    e.put_quota(&q("phong-giao-duc", 2024, 5, 310), &audit("quota.set"))
        .await
        .unwrap();
    let all = e.list_quotas(&[2023, 2024]).await.unwrap();
    assert_eq!(
        all,
        vec![
            q("xa-tung-anh", 2023, 23, 0),
            q("phong-giao-duc", 2024, 5, 310),
            q("xa-tung-anh", 2024, 21, 0),
        ]
    );
    e.delete_quota("phong-giao-duc", 2024, &audit("quota.delete"))
        .await
        .unwrap();
    assert!(matches!(
        e.delete_quota("phong-giao-duc", 2024, &audit("quota.delete"))
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(e.list_quotas(&[2024]).await.unwrap().len(), 1);
    verify_chain(
        &store
            .execution()
            .list_audit(&AuditFilter::default())
            .await
            .unwrap(),
    )
    .unwrap();
}
