//! Execution storage on SQLite and PostgreSQL: accounts, sessions, reports with optimistic
//! concurrency, versions and the hash-chained audit log.

use cchc_domain::execution::{
    verify_chain, ItemStatus, ReportContent, ReportItem, ReportState, Role,
};
use cchc_store::execution::{
    AuditDraft, AuditFilter, NewUser, PeriodRecord, ReportRecord, ReportWrite,
};
use cchc_store::{Store, StoreError};
use chrono::Utc;

cchc_store::backend_tests!(
    with_url:
    accounts_are_unique_and_password_change_ends_sessions,
    second_save_of_a_stale_version_is_refused_and_changes_nothing,
    audit_chain_verifies_and_detects_tampering,
    audit_pages_newest_first_with_the_total,
    sessions_are_listed_and_ended_only_for_their_account,
);

fn audit(action: &str) -> AuditDraft {
    AuditDraft::new(
        "tester",
        action,
        format!("test:{action}"),
        Some("xa-tung-anh"),
    )
}

async fn accounts_are_unique_and_password_change_ends_sessions(store: Store, _url: String) {
    let x = store.execution();
    let new = NewUser {
        username: "a",
        unit: "xa-tung-anh",
        role: Role::Reporter,
        password_hash: "h1",
        demo: false,
        must_change_password: true,
        email: None,
    };
    let u = x.create_user(&new, &audit("user.add")).await.unwrap();
    assert!(matches!(
        x.create_user(&new, &audit("user.add")).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(x.count_users().await.unwrap(), 1);
    x.create_session("t1", u.id, "c1", Utc::now())
        .await
        .unwrap();
    let s = x.get_session("t1").await.unwrap().unwrap();
    assert_eq!(s.user.username, "a");
    assert_eq!(s.user.role, Role::Reporter);
    assert!(
        !format!("{:?}", s.user).contains("h1"),
        "Debug hides the hash"
    );
    assert!(s.user.must_change_password, "kept as created");
    x.set_password("a", "h2", false, &audit("user.passwd"))
        .await
        .unwrap();
    assert!(x.get_session("t1").await.unwrap().is_none());
    let a = x.find_user("a").await.unwrap().unwrap();
    assert_eq!(a.password_hash, "h2");
    assert!(!a.must_change_password, "cleared by the change");
    x.set_password("a", "h3", true, &audit("user.passwd"))
        .await
        .unwrap();
    assert!(
        x.find_user("a")
            .await
            .unwrap()
            .unwrap()
            .must_change_password
    );
    assert!(matches!(
        x.set_disabled("nobody", true, &audit("user.disable")).await,
        Err(StoreError::NotFound(_))
    ));
}

fn report(version: i64, note: &str) -> ReportRecord {
    ReportRecord {
        period: "2024-Q1".into(),
        unit: "xa-tung-anh".into(),
        state: ReportState::Draft,
        version,
        content: ReportContent {
            items: vec![ReportItem {
                activity: "I.1.1.1".into(),
                status: ItemStatus::InProgress,
                note: note.into(),
                evidence: vec![],
                difficulties: String::new(),
                proposals: String::new(),
            }],
            targets: vec![],
        },
        review: None,
        submitted_at: None,
        updated_at: Utc::now(),
        updated_by: "a".into(),
    }
}

async fn second_save_of_a_stale_version_is_refused_and_changes_nothing(store: Store, _url: String) {
    let x = store.execution();
    let p = PeriodRecord {
        code: "2024-Q1".into(),
        due_at: Utc::now(),
        opened_by: "so".into(),
        opened_at: Utc::now(),
    };
    x.open_period(&p, &audit("period.open")).await.unwrap();
    assert!(matches!(
        x.open_period(&p, &audit("period.open")).await,
        Err(StoreError::Conflict(_))
    ));
    let w = |r, expected| ReportWrite {
        report: r,
        expected_version: expected,
        keep_version: false,
    };
    let r1 = report(1, "first");
    x.put_report(&w(&r1, 0), &audit("report.save"))
        .await
        .unwrap();
    let r2 = report(2, "alice");
    x.put_report(&w(&r2, 1), &audit("report.save"))
        .await
        .unwrap();
    let before = x.list_audit(&AuditFilter::default()).await.unwrap().len();
    // Bob read version 1 too.
    let bob = report(2, "bob");
    let err = x
        .put_report(&w(&bob, 1), &audit("report.save"))
        .await
        .unwrap_err();
    match err {
        StoreError::Conflict(m) => assert!(m.contains("người khác"), "{m}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let stored = x
        .get_report("2024-Q1", "xa-tung-anh")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.version, 2);
    assert_eq!(stored.content.items[0].note, "alice");
    assert_eq!(
        x.list_audit(&AuditFilter::default()).await.unwrap().len(),
        before,
        "no audit entry for a refused save"
    );
    // A version kept on a state change reads back.
    let mut submitted = report(3, "alice");
    submitted.state = ReportState::Submitted;
    x.put_report(
        &ReportWrite {
            report: &submitted,
            expected_version: 2,
            keep_version: true,
        },
        &audit("report.submit"),
    )
    .await
    .unwrap();
    let versions = x
        .list_report_versions("2024-Q1", "xa-tung-anh")
        .await
        .unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].version, 3);
    assert_eq!(versions[0].state, ReportState::Submitted);

    // The heads read the states, versions, times and statuses of the whole reports, the notes,
    // difficulties and proposals skipped (a period without reports reads none).
    let mut two = report(4, "ghi chú \"có\" dấu\tvà tab");
    two.state = ReportState::Accepted;
    two.submitted_at = Some(Utc::now());
    two.content.items.push(ReportItem {
        activity: "I.2.1.1".into(),
        status: ItemStatus::DoneLate,
        note: String::new(),
        evidence: vec![],
        difficulties: "khó".into(),
        proposals: "đề xuất".into(),
    });
    x.put_report(&w(&two, 3), &audit("report.accept"))
        .await
        .unwrap();
    for period in [Some("2024-Q1"), None, Some("2024-Q2")] {
        let whole = x.list_reports(period).await.unwrap();
        let heads = x.list_report_heads(period).await.unwrap();
        assert_eq!(heads.len(), whole.len());
        for (h, r) in heads.iter().zip(&whole) {
            assert_eq!(
                (
                    &h.period,
                    &h.unit,
                    h.state,
                    h.version,
                    h.submitted_at,
                    h.updated_at
                ),
                (
                    &r.period,
                    &r.unit,
                    r.state,
                    r.version,
                    r.submitted_at,
                    r.updated_at
                )
            );
            let statuses: Vec<_> = r
                .content
                .items
                .iter()
                .map(|i| (i.activity.clone(), i.status))
                .collect();
            assert_eq!(h.items, statuses);
            assert_eq!(h.status("I.2.1.1"), Some(ItemStatus::DoneLate));
        }
    }
}

async fn audit_chain_verifies_and_detects_tampering(store: Store, url: String) {
    let x = store.execution();
    for i in 0..5 {
        x.append_audit(&audit(&format!("a{i}")).change("{}".into(), format!("{{\"i\":{i}}}")))
            .await
            .unwrap();
    }
    let all = x.list_audit(&AuditFilter::default()).await.unwrap();
    assert_eq!(verify_chain(&all), Ok(5));
    let filtered = x
        .list_audit(&AuditFilter {
            unit: Some("xa-khac".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(filtered.is_empty());
    // Tamper through SQL, as someone with database access would.
    let sql_update = "UPDATE audit_log SET after = '{\"i\":42}' WHERE seq = 3";
    let sql_delete = "DELETE FROM audit_log WHERE seq = 2";
    exec_sql(&url, sql_update).await;
    let e = verify_chain(&x.list_audit(&AuditFilter::default()).await.unwrap()).unwrap_err();
    assert!(e.contains("số 3"), "{e}");
    exec_sql(&url, sql_delete).await;
    let e = verify_chain(&x.list_audit(&AuditFilter::default()).await.unwrap()).unwrap_err();
    assert!(e.contains("thiếu mục số 2"), "{e}");
}

async fn audit_pages_newest_first_with_the_total(store: Store, _url: String) {
    let x = store.execution();
    for i in 0..25 {
        let unit = if i % 5 == 0 { "xa-khac" } else { "xa-tung-anh" };
        x.append_audit(&AuditDraft::new(
            "tester",
            &format!("a{i}"),
            format!("o{i}"),
            Some(unit),
        ))
        .await
        .unwrap();
    }
    let all = AuditFilter::default();
    let p1 = x.audit_page(&all, 0, 10).await.unwrap();
    assert_eq!(p1.total, 25);
    let seqs =
        |p: &cchc_store::execution::AuditPage| p.entries.iter().map(|e| e.seq).collect::<Vec<_>>();
    assert_eq!(seqs(&p1), (16..=25).rev().collect::<Vec<_>>());
    let p2 = x.audit_page(&all, 10, 10).await.unwrap();
    assert_eq!(seqs(&p2), (6..=15).rev().collect::<Vec<_>>());
    assert_eq!(p2.entries[0].action, "a14");
    let p3 = x.audit_page(&all, 20, 10).await.unwrap();
    assert_eq!(seqs(&p3), (1..=5).rev().collect::<Vec<_>>());
    assert!(x.audit_page(&all, 30, 10).await.unwrap().entries.is_empty());
    // The filter counts and pages the same entries as the full list filtered.
    let other = AuditFilter {
        unit: Some("xa-khac".into()),
        ..Default::default()
    };
    let p = x.audit_page(&other, 2, 2).await.unwrap();
    assert_eq!(p.total, 5);
    assert_eq!(seqs(&p), vec![11, 6]);
    let entries = x.list_audit(&AuditFilter::default()).await.unwrap();
    let middle = entries[9].at;
    let from = AuditFilter {
        from: Some(middle),
        ..Default::default()
    };
    let p = x.audit_page(&from, 0, 100).await.unwrap();
    let expected = entries.iter().filter(|e| e.at >= middle).count();
    assert_eq!(p.total as usize, expected);
    assert_eq!(p.entries.len(), expected);
    assert!(p.entries.iter().all(|e| e.at >= middle));
    let to = AuditFilter {
        to: Some(middle),
        ..Default::default()
    };
    let p = x.audit_page(&to, 0, 100).await.unwrap();
    assert_eq!(
        p.total as usize,
        entries.iter().filter(|e| e.at <= middle).count()
    );
}

async fn sessions_are_listed_and_ended_only_for_their_account(store: Store, _url: String) {
    let x = store.execution();
    let mk = |name: &'static str| NewUser {
        username: name,
        unit: "xa-tung-anh",
        role: Role::Reporter,
        password_hash: "h",
        demo: false,
        must_change_password: false,
        email: None,
    };
    let a = x.create_user(&mk("a"), &audit("user.add")).await.unwrap();
    let b = x.create_user(&mk("b"), &audit("user.add")).await.unwrap();
    let t0 = Utc::now();
    x.create_session("a1", a.id, "c", t0).await.unwrap();
    x.create_session("a2", a.id, "c", t0 + chrono::Duration::seconds(5))
        .await
        .unwrap();
    x.create_session("b1", b.id, "c", t0).await.unwrap();
    let listed = x.list_sessions(a.id).await.unwrap();
    let hashes: Vec<_> = listed.iter().map(|s| s.token_hash.as_str()).collect();
    assert_eq!(hashes, vec!["a2", "a1"], "most recently seen first");
    // A's account cannot end B's session, even naming its hash.
    let ended = x
        .end_sessions(a.id, &["b1".into(), "a1".into()], &audit("session.end"))
        .await
        .unwrap();
    assert_eq!(ended, 1);
    assert!(x.get_session("b1").await.unwrap().is_some());
    assert!(x.get_session("a1").await.unwrap().is_none());
    assert!(x.get_session("a2").await.unwrap().is_some());
}

async fn exec_sql(url: &str, sql: &str) {
    if url.starts_with("sqlite") {
        let s = cchc_store::SqliteStore::connect(url).await.unwrap();
        sqlx::query(sql).execute(s.pool()).await.unwrap();
    } else {
        let s = cchc_store::PgStore::connect(url).await.unwrap();
        sqlx::query(sql).execute(s.pool()).await.unwrap();
    }
}
