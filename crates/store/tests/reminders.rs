//! Reminder jobs and notices on SQLite and PostgreSQL: a reminder is inserted once by its key,
//! concurrent claimers (two stores on one database) get disjoint jobs, a failed send waits for
//! its retry, a sent one gives its notice once and is never claimed again.

use cchc_store::execution::AuditDraft;
use cchc_store::reminder::{state, NewReminder, Outcome};
use cchc_store::Store;
use chrono::{Duration, TimeZone, Utc};

cchc_store::backend_tests!(
    with_url:
    reminders_are_inserted_once_and_claimed_by_one_claimer_only,
    a_failed_send_is_retried_later_and_a_sent_one_gives_one_notice,
);

fn job(unit: &str, recipient: &str, step: i64) -> NewReminder {
    NewReminder {
        period: "2024-Q1".into(),
        unit: unit.into(),
        kind: "missing".into(),
        step,
        recipient: recipient.into(),
        email: Some(format!("{recipient}@example.vn")),
        subject: "Nhắc gửi báo cáo Quý I năm 2024".into(),
        body: "Kính gửi".into(),
        link: "http://x/bao-cao".into(),
    }
}

fn audit(action: &str) -> AuditDraft {
    AuditDraft::new("system", action, "reminder:1".into(), None)
}

async fn reminders_are_inserted_once_and_claimed_by_one_claimer_only(store: Store, url: String) {
    let now = Utc.with_ymd_and_hms(2024, 4, 12, 1, 0, 0).unwrap();
    let r = store.reminders();
    let jobs: Vec<_> = (0..40)
        .map(|i| job(&format!("u{}", i % 10), &format!("a{i}"), -3))
        .collect();
    assert_eq!(r.enqueue_reminders(&jobs, now).await.unwrap(), 40);
    // The same reminders computed again (by this server or another) add nothing.
    assert_eq!(r.enqueue_reminders(&jobs, now).await.unwrap(), 0);
    assert_eq!(
        r.enqueue_reminders(&[job("u0", "a0", 1)], now)
            .await
            .unwrap(),
        1,
        "another step is new"
    );
    // Not yet due a second before they were made.
    assert!(r
        .claim_reminders(now - Duration::seconds(1), 100)
        .await
        .unwrap()
        .is_empty());

    // Two stores on one database claim at once, in small batches, until nothing is left.
    let other = cchc_store::connect(&url).await.unwrap();
    let claim_all = |s: Store| async move {
        let mut got = Vec::new();
        loop {
            let batch = s.reminders().claim_reminders(now, 3).await.unwrap();
            if batch.is_empty() {
                return got;
            }
            assert!(batch
                .iter()
                .all(|j| j.state == state::SENDING && j.attempts == 1));
            got.extend(batch.into_iter().map(|j| j.id));
        }
    };
    let (a, b) = tokio::join!(
        tokio::spawn(claim_all(store.clone())),
        tokio::spawn(claim_all(other))
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    let mut all: Vec<i64> = a.iter().chain(&b).copied().collect();
    all.sort_unstable();
    let before = all.len();
    all.dedup();
    assert_eq!(before, all.len(), "no job claimed twice");
    assert_eq!(all.len(), 41, "every job claimed");
    assert!(r.claim_reminders(now, 100).await.unwrap().is_empty());
}

async fn a_failed_send_is_retried_later_and_a_sent_one_gives_one_notice(
    store: Store,
    _url: String,
) {
    let now = Utc.with_ymd_and_hms(2024, 4, 12, 1, 0, 0).unwrap();
    let r = store.reminders();
    r.enqueue_reminders(&[job("u1", "xa", -3)], now)
        .await
        .unwrap();
    let j = r.claim_reminders(now, 10).await.unwrap().remove(0);
    let retry = now + Duration::minutes(5);
    let failed = Outcome::Failed {
        error: "connection refused".into(),
        retry_at: Some(retry),
    };
    r.finish_reminder(j.id, &failed, now, &audit("reminder.failed"))
        .await
        .unwrap();
    assert!(
        r.list_notices("xa", 10).await.unwrap().is_empty(),
        "no notice before delivery"
    );
    assert!(r
        .claim_reminders(now + Duration::minutes(4), 10)
        .await
        .unwrap()
        .is_empty());
    let again = r.claim_reminders(retry, 10).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].attempts, 2);
    assert_eq!(again[0].last_error, "connection refused");

    r.finish_reminder(j.id, &Outcome::Sent, retry, &audit("reminder.sent"))
        .await
        .unwrap();
    // A second finish of the same job is refused: it is no longer being sent.
    assert!(r
        .finish_reminder(j.id, &Outcome::Sent, retry, &audit("reminder.sent"))
        .await
        .is_err());
    let listed = r.list_reminders(10).await.unwrap();
    assert_eq!(listed[0].state, state::SENT);
    assert!(listed[0].sent_at.is_some());
    assert!(r
        .claim_reminders(retry + Duration::days(30), 10)
        .await
        .unwrap()
        .is_empty());

    let notices = r.list_notices("xa", 10).await.unwrap();
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].subject, "Nhắc gửi báo cáo Quý I năm 2024");
    assert_eq!(r.count_unread_notices("xa").await.unwrap(), 1);
    assert_eq!(r.count_unread_notices("other").await.unwrap(), 0);
    assert_eq!(
        r.mark_notices_read("xa", retry, &audit("notice.read"))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        r.mark_notices_read("xa", retry, &audit("notice.read"))
            .await
            .unwrap(),
        0
    );
    assert_eq!(r.count_unread_notices("xa").await.unwrap(), 0);
    let actions: Vec<String> = store
        .execution()
        .list_audit(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["reminder.failed", "reminder.sent", "notice.read"]);
}
