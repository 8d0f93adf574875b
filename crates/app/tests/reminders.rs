//! Nhắc việc through the application with a clock set by the test, on SQLite and PostgreSQL:
//! what is due on a day, each reminder given once however many rounds run, a failed e-mail
//! retried and then given up (the in-app notice given anyway), and the schedule editable by the
//! standing office only, audited.

use cchc_app::execution::{self as service, Session};
use cchc_app::reminders::{self, Round, SmtpSettings};
use cchc_app::{App, Clock, ErrorKind, Settings};
use cchc_domain::execution::Role;
use cchc_domain::Registry;
use cchc_store::execution::{AuditFilter, User, UserId};
use cchc_store::reminder::state;
use cchc_store::Store;
use chrono::{DateTime, Utc};

cchc_store::backend_tests!(
    reminders_due_on_a_day_are_given_once_in_app,
    a_failed_email_is_retried_then_given_up_with_its_notice,
    only_the_standing_office_edits_the_schedule,
);

const UNITS: &str = include_str!("../../../data/duc-tho-2024/units.csv");
const DECISION: &str = include_str!("../../../data/duc-tho-2024/duc-tho-2024-qd60.txt");
const COMMUNE: &str = "xa-tung-anh";

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// The app over `store` with the clock fixed at `now` and these reminder settings.
fn app_at(store: &Store, now: &str, r: reminders::ReminderSettings) -> App {
    App::new(
        store.clone(),
        Settings {
            clock: Clock::Fixed(at(now)),
            reminders: r,
            ..Settings::default()
        },
    )
}

fn office() -> Session {
    Session {
        user: User {
            id: UserId(1),
            username: "thuong-truc".into(),
            unit: "phong-noi-vu".into(),
            role: Role::StandingOffice,
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

async fn as_user(app: &App, username: &str) -> Session {
    Session {
        user: app.x().find_user(username).await.unwrap().unwrap(),
        csrf_token: "t".into(),
        token_hash: "h".into(),
    }
}

/// The Đức Thọ plan, a reporter of the commune with an e-mail and its head without one, and
/// 2024-Q1 due on 15 April 2024.
async fn seeded(store: &Store) -> App {
    let units = cchc_ingest::units_csv::read_units_csv(UNITS.as_bytes()).unwrap();
    store.import_units(&units).await.unwrap();
    let plan = cchc_ingest::decision::parse_decision(DECISION, &Registry::new(units)).unwrap();
    store.insert_plan(&plan).await.unwrap();
    let app = app_at(store, "2024-04-12T08:00:00+07:00", Default::default());
    let pw = "mat-khau-dai-du-10";
    service::add_user_with_email(
        &app,
        "test",
        "xa",
        COMMUNE,
        Role::Reporter,
        pw,
        "xa@tung-anh.vn",
    )
    .await
    .unwrap();
    service::add_user(&app, "test", "ct", COMMUNE, Role::UnitHead, pw, false)
        .await
        .unwrap();
    service::open_period(&app, &office(), "2024-Q1", "2024-04-15T17:00:00+07:00")
        .await
        .unwrap();
    app
}

async fn reminders_due_on_a_day_are_given_once_in_app(store: Store) {
    let app = seeded(&store).await;
    // 11 April: before the first step (3 days before the due date) nothing is due.
    let early = app_at(&store, "2024-04-11T08:00:00+07:00", Default::default());
    assert!(reminders::due_reminders(&early, early.now())
        .await
        .unwrap()
        .is_empty());

    let due = reminders::due_reminders(&app, app.now()).await.unwrap();
    let missing: Vec<_> = due.iter().filter(|r| r.kind == "missing").collect();
    assert_eq!(
        missing.len(),
        2,
        "the commune's reporter and head: {missing:#?}"
    );
    assert!(missing
        .iter()
        .all(|r| r.unit == COMMUNE && r.step == -3 && r.period == "2024-Q1"));
    assert_eq!(
        missing
            .iter()
            .find(|r| r.recipient == "xa")
            .unwrap()
            .email
            .as_deref(),
        Some("xa@tung-anh.vn")
    );
    assert!(
        missing[0].subject.contains("Quý I năm 2024"),
        "{}",
        missing[0].subject
    );
    assert!(
        missing[0].body.contains("15/04/2024"),
        "{}",
        missing[0].body
    );
    // Reminders go only to the accounts of units that report: no other unit has one.
    assert!(due.iter().all(|r| r.unit == COMMUNE));

    let first = reminders::run_once(&app).await.unwrap();
    assert_eq!(first.queued, due.len() as u64);
    assert_eq!(
        first.sent, first.queued,
        "no mail server: in-app only, each given"
    );
    assert_eq!(
        reminders::run_once(&app).await.unwrap(),
        Round::default(),
        "none twice"
    );

    let xa = as_user(&app, "xa").await;
    let notices = reminders::notices(&app, &xa).await.unwrap();
    assert_eq!(
        notices.len(),
        due.iter().filter(|r| r.recipient == "xa").count()
    );
    assert_eq!(
        reminders::unread(&app, &xa).await.unwrap(),
        notices.len() as i64
    );
    reminders::mark_read(&app, &xa).await.unwrap();
    assert_eq!(reminders::unread(&app, &xa).await.unwrap(), 0);

    // 16 April, one day after the due date: the next step, once.
    let later = app_at(&store, "2024-04-16T08:00:00+07:00", Default::default());
    let next = reminders::run_once(&later).await.unwrap();
    assert!(next.queued >= 2 && next.sent == next.queued, "{next:?}");
    assert_eq!(reminders::run_once(&later).await.unwrap(), Round::default());
    let sent = app
        .x()
        .list_audit(&AuditFilter::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "reminder.sent")
        .count() as u64;
    assert_eq!(sent, first.sent + next.sent, "each send audited once");
}

async fn a_failed_email_is_retried_then_given_up_with_its_notice(store: Store) {
    seeded(&store).await;
    // A mail server that is not there: port 9 of this machine refuses the connection.
    let down = || reminders::ReminderSettings {
        smtp: Some(SmtpSettings {
            host: "127.0.0.1".into(),
            port: 9,
            from: "cchc@duc-tho.vn".into(),
            user: None,
            password: None,
        }),
        max_attempts: 2,
        ..Default::default()
    };
    let app = app_at(&store, "2024-04-12T08:00:00+07:00", down());
    let round = reminders::run_once(&app).await.unwrap();
    assert!(
        round.failed >= 1 && round.sent >= 1,
        "only xa has an address: {round:?}"
    );
    let xa = as_user(&app, "xa").await;
    let jobs = store.reminders().list_reminders(100).await.unwrap();
    let job = jobs
        .iter()
        .find(|j| j.recipient == "xa" && j.kind == "missing")
        .unwrap();
    assert_eq!(job.state, state::PENDING);
    assert!(!job.last_error.is_empty());
    let notices_before = reminders::notices(&app, &xa).await.unwrap().len();
    // Not tried again before the wait is over; then tried once more and given up.
    assert_eq!(reminders::run_once(&app).await.unwrap().failed, 0);
    let later = app_at(&store, "2024-04-12T08:05:00+07:00", down());
    assert_eq!(
        reminders::run_once(&later).await.unwrap().failed,
        round.failed
    );
    let jobs = store.reminders().list_reminders(100).await.unwrap();
    let job = jobs.iter().find(|j| j.id == job.id).unwrap();
    assert_eq!(job.state, state::FAILED);
    assert_eq!(job.attempts, 2);
    assert_eq!(
        reminders::notices(&later, &xa).await.unwrap().len(),
        notices_before + round.failed as usize,
        "given up: the notice is given anyway"
    );
}

async fn only_the_standing_office_edits_the_schedule(store: Store) {
    let app = seeded(&store).await;
    let xa = as_user(&app, "xa").await;
    let e = reminders::set_schedule(&app, &xa, "0", "0")
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    let e = reminders::set_schedule(&app, &office(), "-3, hai", "7")
        .await
        .unwrap_err();
    assert!(e.message.contains("mốc thứ 2 «hai»"), "{}", e.message);
    // 12 April is 3 days before the due date: with only "on the due day" nothing is due yet.
    let s = reminders::set_schedule(&app, &office(), "0", "0")
        .await
        .unwrap();
    assert_eq!(s.offsets(), &[0]);
    assert_eq!(reminders::schedule(&app).await.unwrap(), s);
    assert!(reminders::due_reminders(&app, app.now())
        .await
        .unwrap()
        .is_empty());
    let audited = app
        .x()
        .list_audit(&AuditFilter::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "reminder.schedule")
        .count();
    assert_eq!(audited, 1);
}
