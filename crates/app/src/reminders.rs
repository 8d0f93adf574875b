//! Nhắc việc — reminders by e-mail and in-app: the schedule the standing office edits, what is
//! due at "now" (by the settings' clock), the worker that queues and sends it, the notices an
//! account reads, and accounts' e-mail addresses.
//!
//! Several servers may share one PostgreSQL database: each computes the same reminders, the
//! jobs table keeps one row per (period, unit, kind, step, recipient), and a claim hands each
//! row to one worker. A claimed job is sent at most once: a server that dies between claiming
//! and finishing leaves it `sending` (shown on /nhac-viec), never sent twice.

use std::collections::BTreeMap;
use std::time::Duration;

use cchc_domain::execution::{AuditAction, ReportState, Role};
use cchc_domain::reminder::{reminder_message, ReminderFacts, ReminderKind, ReminderSchedule};
use cchc_domain::Period;
use cchc_store::execution::{AuditDraft, User};
use cchc_store::reminder::{NewReminder, Notice, Outcome, ReminderJob};
use chrono::{DateTime, Utc};

use crate::access::{denied, Session};
use crate::execution::{board_with, overdue, period_data};
use crate::{vietnam_day, App, Error, Result as R};

/// An overdue activity in a message: its number, text and days late.
type OverdueItem = (String, String, i64);

/// The setting that holds the schedule (JSON).
const SCHEDULE_KEY: &str = "reminder_schedule";
/// How many jobs a worker claims at a time.
const CLAIM_BATCH: i64 = 20;

/// Máy chủ thư — where reminder e-mails go (SMTP without TLS, to a relay).
#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    /// The sender's address, `Phòng Nội vụ <cchc@example.vn>` or a bare address.
    pub from: String,
    pub user: Option<String>,
    pub password: Option<String>,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("from", &self.from)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// Cấu hình nhắc việc.
#[derive(Debug, Clone)]
pub struct ReminderSettings {
    /// How often the worker looks for reminders; `None`: no worker (one-shot commands, tests).
    pub interval: Option<Duration>,
    /// `None`: reminders are in-app only.
    pub smtp: Option<SmtpSettings>,
    /// The address the links in messages start with (`https://cchc.example.vn`).
    pub base_url: String,
    /// Tries of one e-mail before giving up (the in-app notice is given anyway).
    pub max_attempts: i64,
    /// The wait before the first retry, doubled at each further one.
    pub retry_after: Duration,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        ReminderSettings {
            interval: None,
            smtp: None,
            base_url: "http://127.0.0.1:8080".to_string(),
            max_attempts: 5,
            retry_after: Duration::from_secs(60),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Schedule

/// Lịch nhắc as stored, else the default (3 days before, 1 and 7 days after, every 7 days).
pub async fn schedule(app: &App) -> R<ReminderSchedule> {
    match app.x().get_setting(SCHEDULE_KEY).await? {
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| Error::internal(format!("lịch nhắc đã lưu không đọc được: {e}"))),
        None => Ok(ReminderSchedule::default()),
    }
}

/// Only the standing office (and the administrator) edits the schedule and reads the log.
async fn office_only(app: &App, s: &Session, what: &str) -> R<()> {
    if matches!(s.user.role, Role::StandingOffice | Role::Admin) {
        return Ok(());
    }
    denied(app, s, what, None).await;
    Err(Error::forbidden(
        "chỉ cơ quan thường trực CCHC được xem và sửa lịch nhắc việc",
    ))
}

/// Sửa lịch nhắc: the offsets as written ("-3, 0, 1, 7") and the repeat in days; audited.
pub async fn set_schedule(
    app: &App,
    s: &Session,
    offsets: &str,
    repeat_days: &str,
) -> R<ReminderSchedule> {
    office_only(app, s, "setting:reminder_schedule").await?;
    let new = ReminderSchedule::parse(offsets, repeat_days).map_err(Error::invalid)?;
    let before = serde_json::to_string(&schedule(app).await?).expect("a schedule serializes");
    let after = serde_json::to_string(&new).expect("a schedule serializes");
    app.x()
        .set_setting(
            SCHEDULE_KEY,
            &after,
            &AuditDraft::new(
                &s.user.username,
                AuditAction::ReminderSchedule.as_str(),
                format!("setting:{SCHEDULE_KEY}"),
                None,
            )
            .change(before, after.clone()),
        )
        .await?;
    Ok(new)
}

/// What /nhac-viec shows: the schedule and the latest reminders (newest first).
pub async fn overview(
    app: &App,
    s: &Session,
    limit: i64,
) -> R<(ReminderSchedule, Vec<ReminderJob>)> {
    office_only(app, s, "reminders").await?;
    Ok((
        schedule(app).await?,
        app.store.reminders().list_reminders(limit).await?,
    ))
}

// ---------------------------------------------------------------------------------------------
// What is due

/// Who is reminded for a unit: its reporters and its head, with an account in use.
fn recipients<'a>(users: &'a [User], unit: &'a str) -> impl Iterator<Item = &'a User> + 'a {
    users.iter().filter(move |u| {
        u.unit == unit && !u.disabled && matches!(u.role, Role::Reporter | Role::UnitHead)
    })
}

/// The reminders due at `now` by the schedule: for every open period whose step has come, each
/// unit whose report is missing (none, or a draft) or returned; and, with the latest such
/// period, each lead unit of an overdue activity ([`crate::execution::overdue`], the one
/// definition). One per account of the unit ([`recipients`]), its message written.
pub async fn due_reminders(app: &App, now: DateTime<Utc>) -> R<Vec<NewReminder>> {
    let today = vietnam_day(now);
    let sched = schedule(app).await?;
    let users = app.x().list_users().await?;
    let base = app.settings.reminders.base_url.trim_end_matches('/');
    let mut out = Vec::new();
    let mut add = |rec_code: &str,
                   label: &str,
                   due,
                   unit: &str,
                   unit_name: &str,
                   kind,
                   step,
                   overdue: &[(String, String, i64)],
                   link: String| {
        let (subject, body) = reminder_message(&ReminderFacts {
            kind,
            unit_name,
            period_label: label,
            due,
            step,
            overdue,
            link: &link,
        });
        for u in recipients(&users, unit) {
            out.push(NewReminder {
                period: rec_code.to_string(),
                unit: unit.to_string(),
                kind: kind.as_str().to_string(),
                step,
                recipient: u.username.clone(),
                email: u.email.clone(),
                subject: subject.clone(),
                body: body.clone(),
                link: link.clone(),
            });
        }
    };
    // The period overdue work is reminded with: the latest due whose step has come.
    let mut latest = None;
    for rec in app.x().list_periods().await? {
        let due = vietnam_day(rec.due_at);
        let Some(step) = sched.step_on(due, today) else {
            continue;
        };
        let data = match period_data(app, &rec.code).await {
            Ok(d) => d,
            Err(e) => {
                tracing::warn!(period = %rec.code, error = %e, "no reminders for a period");
                continue;
            }
        };
        let label = data.period.label_vi();
        for line in board_with(&data) {
            let kind = match line.state {
                None | Some(ReportState::Draft) => ReminderKind::Missing,
                Some(ReportState::Returned) => ReminderKind::Returned,
                Some(_) => continue,
            };
            let link = format!("{base}/bao-cao/{}/{}", rec.code, line.unit);
            add(
                &rec.code,
                &label,
                due,
                &line.unit,
                &line.unit_name,
                kind,
                step,
                &[],
                link,
            );
        }
        if latest.as_ref().is_none_or(|(d, _, _, _)| due >= *d) {
            latest = Some((due, rec.code.clone(), label, step));
        }
    }
    if let Some((due, code, label, step)) = latest {
        let mut by_unit: BTreeMap<(String, String), Vec<OverdueItem>> = BTreeMap::new();
        for l in overdue(app, None, today).await? {
            by_unit.entry((l.unit, l.unit_name)).or_default().push((
                l.activity,
                l.text,
                l.days_late,
            ));
        }
        for ((unit, unit_name), lines) in by_unit {
            let link = format!("{base}/qua-han?don_vi={unit}");
            add(
                &code,
                &label,
                due,
                &unit,
                &unit_name,
                ReminderKind::Overdue,
                step,
                &lines,
                link,
            );
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// The worker

/// What one round of the worker did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    /// New jobs queued.
    pub queued: u64,
    pub sent: u64,
    /// Sends that failed (retried later or given up).
    pub failed: u64,
}

/// One round at the settings' clock: queue what is due, then send what is claimed.
pub async fn run_once(app: &App) -> R<Round> {
    let now = app.now();
    let r = app.store.reminders();
    let mut round = Round {
        queued: r
            .enqueue_reminders(&due_reminders(app, now).await?, now)
            .await?,
        ..Round::default()
    };
    let mailer = app.settings.reminders.smtp.as_ref().map(Mailer::new);
    loop {
        let jobs = r.claim_reminders(now, CLAIM_BATCH).await?;
        if jobs.is_empty() {
            return Ok(round);
        }
        for job in jobs {
            let outcome = match (&mailer, job.email.as_deref()) {
                (Some(m), Some(to)) => match m.send(to, &job.subject, &job.body).await {
                    Ok(()) => Outcome::Sent,
                    Err(error) => Outcome::Failed {
                        retry_at: retry_at(&app.settings.reminders, job.attempts, now),
                        error,
                    },
                },
                // No address or no mail server: the in-app notice is the reminder.
                _ => Outcome::Sent,
            };
            let (action, count) = match &outcome {
                Outcome::Sent => (AuditAction::ReminderSent, &mut round.sent),
                Outcome::Failed { error, .. } => {
                    tracing::warn!(job = job.id, error = %error, "reminder e-mail not sent");
                    (AuditAction::ReminderFailed, &mut round.failed)
                }
            };
            let after = serde_json::json!({
                "period": job.period, "kind": job.kind, "step": job.step,
                "recipient": job.recipient, "email": job.email, "attempt": job.attempts,
            });
            let audit = AuditDraft::new(
                "system",
                action.as_str(),
                format!("reminder:{}", job.id),
                Some(&job.unit),
            )
            .change(String::new(), after.to_string());
            r.finish_reminder(job.id, &outcome, app.now(), &audit)
                .await?;
            *count += 1;
        }
    }
}

/// When a failed e-mail is tried again: `retry_after`, doubled at each further attempt;
/// `None` after the last attempt.
fn retry_at(s: &ReminderSettings, attempts: i64, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if attempts >= s.max_attempts {
        return None;
    }
    let wait = s.retry_after * 2u32.saturating_pow(attempts.clamp(1, 16) as u32 - 1);
    Some(now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1)))
}

/// Starts the worker (a tokio task) when the settings give it an interval: one round, then
/// one every interval, until the process ends. Errors are logged and the next round tries again.
pub fn spawn_worker(app: App) -> Option<tokio::task::JoinHandle<()>> {
    let every = app.settings.reminders.interval?;
    if app.settings.reminders.smtp.is_none() {
        tracing::info!("no SMTP server configured: reminders are in-app only");
    }
    Some(tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match run_once(&app).await {
                Ok(r) if r != Round::default() => {
                    tracing::info!(
                        queued = r.queued,
                        sent = r.sent,
                        failed = r.failed,
                        "reminders"
                    )
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "reminder round failed"),
            }
        }
    }))
}

/// The SMTP transport (lettre) over the settings.
struct Mailer {
    transport: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
    from: String,
}

impl Mailer {
    fn new(s: &SmtpSettings) -> Mailer {
        let mut b = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::builder_dangerous(
            s.host.as_str(),
        )
        .port(s.port)
        .timeout(Some(Duration::from_secs(30)));
        if let (Some(user), Some(pw)) = (&s.user, &s.password) {
            b = b.credentials(lettre::transport::smtp::authentication::Credentials::new(
                user.clone(),
                pw.clone(),
            ));
        }
        Mailer {
            transport: b.build(),
            from: s.from.clone(),
        }
    }

    /// Sends a plain-text UTF-8 message (base64 body); the error in English.
    async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), String> {
        use lettre::message::header::{ContentTransferEncoding, ContentType};
        use lettre::message::SinglePart;
        use lettre::AsyncTransport;
        let msg = lettre::Message::builder()
            .from(
                self.from
                    .parse()
                    .map_err(|e| format!("sender address: {e}"))?,
            )
            .to(to.parse().map_err(|e| format!("recipient address: {e}"))?)
            .subject(subject)
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .header(ContentTransferEncoding::Base64)
                    .body(body.to_string()),
            )
            .map_err(|e| format!("message: {e}"))?;
        self.transport
            .send(msg)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

// ---------------------------------------------------------------------------------------------
// Notices and e-mail addresses

/// Thông báo of the signed-in account, newest first.
pub async fn notices(app: &App, s: &Session) -> R<Vec<Notice>> {
    Ok(app
        .store
        .reminders()
        .list_notices(&s.user.username, 200)
        .await?)
}

/// The number of unread notices (the header's badge).
pub async fn unread(app: &App, s: &Session) -> R<i64> {
    let u = &s.user.username;
    let n = app
        .memo(format!("unread:{u}"), || async {
            Ok::<_, crate::Error>(app.store.reminders().count_unread_notices(u).await?)
        })
        .await?;
    Ok(*n)
}

/// Marks the account's notices read (audited when there were any).
pub async fn mark_read(app: &App, s: &Session) -> R<u64> {
    let u = &s.user.username;
    Ok(app
        .store
        .reminders()
        .mark_notices_read(
            u,
            app.now(),
            &AuditDraft::new(
                u,
                AuditAction::NoticeRead.as_str(),
                format!("user:{u}"),
                None,
            ),
        )
        .await?)
}

/// An e-mail address as typed: trimmed; empty is none; refused in Vietnamese when malformed.
pub fn parse_email(s: &str) -> R<Option<String>> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<lettre::Address>() {
        Ok(a) if s.len() <= 254 => Ok(Some(a.to_string())),
        _ => Err(Error::invalid(format!(
            "thư điện tử «{s}» không hợp lệ; ghi theo dạng ten@donvi.gov.vn"
        ))),
    }
}

/// Đặt thư điện tử of an account (`actor`: a username or `cli`); audited.
pub async fn set_email(app: &App, actor: &str, username: &str, email: &str) -> R<Option<String>> {
    let email = parse_email(email)?;
    let before = app
        .x()
        .find_user(username)
        .await?
        .ok_or_else(|| Error::not_found(format!("không có tài khoản «{username}»")))?
        .email;
    app.x()
        .set_email(
            username,
            email.as_deref(),
            &AuditDraft::new(
                actor,
                AuditAction::UserEmail.as_str(),
                format!("user:{username}"),
                None,
            )
            .change(
                serde_json::json!({ "email": before }).to_string(),
                serde_json::json!({ "email": email }).to_string(),
            ),
        )
        .await?;
    Ok(email)
}

/// Sets an account's e-mail as an administrator or the standing office does from the accounts
/// page, or the account itself.
pub async fn set_email_as(
    app: &App,
    s: &Session,
    username: &str,
    email: &str,
) -> R<Option<String>> {
    let allowed =
        s.user.username == username || matches!(s.user.role, Role::Admin | Role::StandingOffice);
    if !allowed {
        denied(app, s, &format!("user:{username} email"), None).await;
        return Err(Error::forbidden(
            "chỉ quản trị, cơ quan thường trực hoặc chính tài khoản được đặt thư điện tử",
        ));
    }
    set_email(app, &s.user.username, username, email).await
}

/// A period code's label, for pages: «Quý I năm 2024», or the code when it is not one.
pub fn period_label(code: &str) -> String {
    Period::parse(code).map_or_else(|_| code.to_string(), Period::label_vi)
}
