//! What is published on the public pages, on SQLite and PostgreSQL: publishing, publishing
//! again, withdrawing, each change with its audit entry and the chain intact.

use cchc_domain::execution::verify_chain;
use cchc_store::execution::{AuditDraft, AuditFilter};
use cchc_store::publication::PublicationKind::{Ranking, Report};
use cchc_store::Store;
use chrono::{TimeZone, Utc};

cchc_store::backend_tests!(publishing_and_withdrawing_are_stored_and_audited);

fn audit(action: &str, object: &str) -> AuditDraft {
    AuditDraft::new("thuong-truc", action, object.to_string(), None)
}

async fn audit_count(store: &Store) -> usize {
    store
        .execution()
        .list_audit(&AuditFilter::default())
        .await
        .unwrap()
        .len()
}

async fn publishing_and_withdrawing_are_stored_and_audited(store: Store) {
    let p = store.publication();
    assert!(p.publications().await.unwrap().is_empty());
    let t1 = Utc.with_ymd_and_hms(2024, 7, 20, 3, 0, 0).unwrap();
    let t2 = Utc.with_ymd_and_hms(2024, 7, 21, 3, 0, 0).unwrap();
    let before = audit_count(&store).await;

    assert!(p
        .set_publication(
            Report,
            "2024-Q2",
            Some(("thuong-truc", t1)),
            &audit("public.publish", "publication:report/2024-Q2"),
        )
        .await
        .unwrap());
    assert!(p
        .set_publication(
            Ranking,
            "2024",
            Some(("thuong-truc", t2)),
            &audit("public.publish", "publication:ranking/2024"),
        )
        .await
        .unwrap());
    let all = p.publications().await.unwrap();
    // Newest first.
    assert_eq!(
        all.iter()
            .map(|x| (x.kind, x.subject.as_str(), x.published_at))
            .collect::<Vec<_>>(),
        vec![(Ranking, "2024", t2), (Report, "2024-Q2", t1)]
    );
    assert_eq!(all[0].published_by, "thuong-truc");
    assert!(p.publication(Ranking, "2023").await.unwrap().is_none());
    assert!(p.publication(Report, "2024").await.unwrap().is_none());

    // Publishing again keeps one row, with the new time.
    let t3 = Utc.with_ymd_and_hms(2024, 7, 22, 3, 0, 0).unwrap();
    p.set_publication(
        Report,
        "2024-Q2",
        Some(("thuong-truc", t3)),
        &audit("public.publish", "publication:report/2024-Q2"),
    )
    .await
    .unwrap();
    let again = p.publication(Report, "2024-Q2").await.unwrap().unwrap();
    assert_eq!(again.published_at, t3);
    assert_eq!(p.publications().await.unwrap().len(), 2);

    // Withdrawn: gone; withdrawing again changes nothing and writes no audit entry.
    assert!(p
        .set_publication(
            Ranking,
            "2024",
            None,
            &audit("public.unpublish", "publication:ranking/2024"),
        )
        .await
        .unwrap());
    assert!(p.publication(Ranking, "2024").await.unwrap().is_none());
    let entries = audit_count(&store).await;
    assert!(!p
        .set_publication(
            Ranking,
            "2024",
            None,
            &audit("public.unpublish", "publication:ranking/2024"),
        )
        .await
        .unwrap());
    assert_eq!(audit_count(&store).await, entries);
    assert_eq!(entries, before + 4);

    let log = store
        .execution()
        .list_audit(&AuditFilter::default())
        .await
        .unwrap();
    verify_chain(&log).unwrap();
    assert!(log
        .iter()
        .any(|e| e.action == "public.unpublish" && e.object == "publication:ranking/2024"));
}
