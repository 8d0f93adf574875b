//! Communes' plans on SQLite and PostgreSQL: drafts written in one transaction, an issued plan
//! never replaced, the signed file's record written with the issue, each write audited.

use cchc_domain::commune_plan::{CommunePlanStatus, ParentPlan};
use cchc_domain::plan::{Decision, Plan, UnitRef, FORMAT};
use cchc_domain::UnitId;
use cchc_store::commune_plan::{CommunePlanRecord, PlanIssue};
use cchc_store::execution::{AuditDraft, AuditFilter, FileRecord};
use cchc_store::{Store, StoreError};
use chrono::{NaiveDate, Utc};

cchc_store::backend_tests!(
    drafts_round_trip_and_an_issued_plan_is_never_replaced,
    a_refused_write_leaves_nothing_behind,
);

fn plan(unit: &str, title: &str) -> Plan {
    Plan {
        format: FORMAT.into(),
        decision: Decision {
            number: String::new(),
            date: None,
            place: None,
            title: title.into(),
            signer: None,
            legal_basis: vec!["Quyết định số 60/QĐ-UBND".into()],
            recipients: vec![],
        },
        year: 2024,
        owner: UnitRef::unit(UnitId::parse(unit).unwrap(), format!("UBND {unit}")),
        areas: vec![],
        targets: vec![],
        solutions: vec![],
        sections: vec![],
        commune_plans_due: None,
        diagnostics: vec![],
    }
}

fn draft(unit: &str) -> CommunePlanRecord {
    CommunePlanRecord {
        year: 2024,
        unit: unit.into(),
        parent: ParentPlan {
            plan_id: 1,
            version: "abcdef0123456789".into(),
        },
        status: CommunePlanStatus::Draft,
        imported: false,
        edited: false,
        plan: plan(unit, "Kế hoạch CCHC năm 2024"),
        issue: None,
        updated_by: "office".into(),
        updated_at: Utc::now(),
    }
}

fn audit(action: &str) -> AuditDraft {
    AuditDraft::new("tester", action, "commune_plan:2024".into(), None)
}

async fn audit_len(store: &Store) -> usize {
    store
        .execution()
        .list_audit(&AuditFilter::default())
        .await
        .unwrap()
        .len()
}

fn file(unit: &str) -> FileRecord {
    FileRecord {
        id: "f".repeat(64),
        period: "2024".into(),
        unit: unit.into(),
        name: "ke-hoach.pdf".into(),
        kind: "pdf".into(),
        size: 10,
        sha256: "0".repeat(64),
        uploaded_by: "xa".into(),
        uploaded_at: Utc::now(),
    }
}

async fn drafts_round_trip_and_an_issued_plan_is_never_replaced(store: Store) {
    let c = store.commune_plans();
    let before = audit_len(&store).await;
    c.put_commune_plans(
        &[draft("xa-tung-anh"), draft("xa-hoa-lac")],
        None,
        &audit("commune_plan.generate"),
    )
    .await
    .unwrap();
    assert_eq!(
        audit_len(&store).await,
        before + 1,
        "one entry for the whole generation"
    );
    let all = c.commune_plans(2024).await.unwrap();
    assert_eq!(
        all.iter().map(|r| r.unit.as_str()).collect::<Vec<_>>(),
        vec!["xa-hoa-lac", "xa-tung-anh"]
    );
    assert!(c.commune_plans(2025).await.unwrap().is_empty());

    // The commune edits its draft, then issues it with its file.
    let mut edited = draft("xa-tung-anh");
    edited.edited = true;
    edited.plan.decision.title = "Kế hoạch CCHC năm 2024 của UBND xã Tùng Ảnh".into();
    c.put_commune_plans(&[edited.clone()], None, &audit("commune_plan.edit"))
        .await
        .unwrap();
    let got = c.commune_plan(2024, "xa-tung-anh").await.unwrap().unwrap();
    assert!(got.edited);
    assert_eq!(got.plan, edited.plan);
    assert_eq!(got.parent, edited.parent);

    let mut issued = edited;
    issued.status = CommunePlanStatus::Issued;
    let f = file("xa-tung-anh");
    issued.issue = Some(PlanIssue {
        number: "15/KH-UBND".into(),
        date: NaiveDate::from_ymd_opt(2024, 2, 3).unwrap(),
        file_id: Some(f.id.clone()),
    });
    c.put_commune_plans(&[issued.clone()], Some(&f), &audit("commune_plan.issue"))
        .await
        .unwrap();
    let got = c.commune_plan(2024, "xa-tung-anh").await.unwrap().unwrap();
    assert_eq!(got.status, CommunePlanStatus::Issued);
    assert_eq!(got.issue, issued.issue);
    let stored_file = store.execution().get_file(&f.id).await.unwrap().unwrap();
    assert_eq!(stored_file.unit, "xa-tung-anh");

    // Regenerating all drafts now refuses: Tùng Ảnh's plan is issued.
    let again = c
        .put_commune_plans(
            &[draft("xa-hoa-lac"), draft("xa-tung-anh")],
            None,
            &audit("commune_plan.generate"),
        )
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let got = c.commune_plan(2024, "xa-tung-anh").await.unwrap().unwrap();
    assert_eq!(got.issue, issued.issue, "the issued plan is unchanged");
}

async fn a_refused_write_leaves_nothing_behind(store: Store) {
    let c = store.commune_plans();
    let mut issued = draft("xa-tung-anh");
    issued.status = CommunePlanStatus::Issued;
    issued.issue = Some(PlanIssue {
        number: "3/KH-UBND".into(),
        date: NaiveDate::from_ymd_opt(2024, 2, 10).unwrap(),
        file_id: None,
    });
    c.put_commune_plans(&[issued], None, &audit("commune_plan.import"))
        .await
        .unwrap();
    let before = audit_len(&store).await;
    // Hòa Lạc comes first in the write; the refusal over Tùng Ảnh must undo it.
    let refused = c
        .put_commune_plans(
            &[draft("xa-hoa-lac"), draft("xa-tung-anh")],
            Some(&file("xa-hoa-lac")),
            &audit("commune_plan.generate"),
        )
        .await;
    assert!(matches!(refused, Err(StoreError::Conflict(_))));
    assert!(c.commune_plan(2024, "xa-hoa-lac").await.unwrap().is_none());
    assert!(store
        .execution()
        .get_file(&"f".repeat(64))
        .await
        .unwrap()
        .is_none());
    assert_eq!(audit_len(&store).await, before);
}
