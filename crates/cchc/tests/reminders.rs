//! Nhắc việc across two `cchc serve` processes on one PostgreSQL database, with the same clock
//! set by the test and a one-second worker: every reminder reaches the SMTP sink started here
//! exactly once, in Vietnamese, and matches the sent log; a later clock sends the next step's
//! reminders, none of the earlier ones again, and none to a unit that has sent its report.

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use common::{http, wait_until, Cchc, Server, COMMUNE, PW};
use sqlx::Connection;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// A second commune, whose reporter sends its report between the two clocks.
const OTHER: &str = "xa-hoa-lac";

/// One message the sink received: the recipient and the decoded subject and body.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Mail {
    to: String,
    subject: String,
    body: String,
}

/// A small SMTP server (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) on its own thread and
/// runtime, keeping every message it accepts.
fn smtp_sink() -> (u16, Arc<Mutex<Vec<Mail>>>) {
    let mails = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&mails);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap().port()).unwrap();
            loop {
                let (socket, _) = listener.accept().await.unwrap();
                tokio::spawn(session(socket, Arc::clone(&kept)));
            }
        });
    });
    (rx.recv().unwrap(), mails)
}

async fn session(socket: tokio::net::TcpStream, mails: Arc<Mutex<Vec<Mail>>>) {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
    let mut rcpt = Vec::new();
    while let Ok(Some(line)) = lines.next_line().await {
        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" | "HELO" => b"250 sink\r\n",
            "MAIL" => {
                rcpt.clear();
                b"250 OK\r\n"
            }
            "RCPT" => {
                let to = line.split_once(':').map_or("", |(_, a)| a);
                rcpt.push(to.trim().trim_matches(['<', '>']).to_string());
                b"250 OK\r\n"
            }
            "DATA" => {
                write.write_all(b"354 go on\r\n").await.unwrap();
                let mut data = Vec::new();
                while let Ok(Some(l)) = lines.next_line().await {
                    if l == "." {
                        break;
                    }
                    // A line the client began with a dot has one more.
                    data.push(match l.strip_prefix("..") {
                        Some(rest) => format!(".{rest}"),
                        None => l,
                    });
                }
                let (subject, body) = decode(&data);
                for to in &rcpt {
                    mails.lock().unwrap().push(Mail {
                        to: to.clone(),
                        subject: subject.clone(),
                        body: body.clone(),
                    });
                }
                b"250 queued\r\n"
            }
            "QUIT" => {
                let _ = write.write_all(b"221 bye\r\n").await;
                return;
            }
            _ => b"250 OK\r\n",
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}

/// The subject (RFC 2047 encoded words, B or Q, folded over lines) and the base64 body.
fn decode(data: &[String]) -> (String, String) {
    let split = data.iter().position(String::is_empty).unwrap_or(data.len());
    let (headers, body) = data.split_at(split);
    let mut subject = String::new();
    let mut in_subject = false;
    for h in headers {
        if let Some(v) = h.strip_prefix("Subject:") {
            in_subject = true;
            subject.push_str(v.trim());
        } else if in_subject && h.starts_with([' ', '\t']) {
            subject.push(' ');
            subject.push_str(h.trim());
        } else {
            in_subject = false;
        }
    }
    let words: Vec<String> = subject.split_whitespace().map(decode_word).collect();
    let b64: String = body.concat();
    let body = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map(|b| String::from_utf8(b).unwrap())
        .unwrap_or(b64);
    (words.concat(), body)
}

fn decode_word(w: &str) -> String {
    let parts: Vec<&str> = w.split('?').collect();
    match parts.as_slice() {
        ["=", _charset, enc, text, "="] if enc.eq_ignore_ascii_case("b") => String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .unwrap(),
        )
        .unwrap(),
        ["=", _charset, enc, text, "="] if enc.eq_ignore_ascii_case("q") => {
            let mut out = Vec::new();
            let b = text.as_bytes();
            let mut i = 0;
            while i < b.len() {
                match b[i] {
                    b'_' => out.push(b' '),
                    b'=' if i + 2 < b.len() => {
                        out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
                        i += 2;
                    }
                    c => out.push(c),
                }
                i += 1;
            }
            String::from_utf8(out).unwrap()
        }
        _ => format!(" {w} "),
    }
}

async fn rows(url: &str, sql: &str) -> Vec<(String, String, String, i64, String)> {
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    sqlx::query_as(sql).fetch_all(&mut conn).await.unwrap()
}

fn serve(c: &Cchc, clock: &str, smtp_port: u16) -> Server {
    c.serve(&[
        "--clock",
        clock,
        "--reminder-interval",
        "1",
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        &smtp_port.to_string(),
        "--smtp-from",
        "Phong Noi vu <cchc@duc-tho.example>",
        "--public-url",
        "http://cchc.duc-tho.example",
    ])
}

fn add_user(c: &Cchc, name: &str, unit: &str, role: &str, email: &str) {
    c.ok_with_stdin(
        &[
            "user",
            "add",
            "--username",
            name,
            "--unit",
            unit,
            "--role",
            role,
            "--password-stdin",
            "--email",
            email,
        ],
        &format!("{PW}\n"),
    );
}

/// Waits until every job is sent and the sink holds as many messages as jobs were e-mailed,
/// then a few more worker rounds on both servers, and returns the sink's messages.
fn settle(url: &str, mails: &Arc<Mutex<Vec<Mail>>>, rt: &tokio::runtime::Handle) -> Vec<Mail> {
    let sent_sql = "SELECT recipient, kind, period, step, state FROM reminder_jobs ORDER BY id";
    wait_until(Duration::from_secs(90), "every reminder sent", || {
        let jobs = rt.block_on(rows(url, sent_sql));
        !jobs.is_empty()
            && jobs.iter().all(|j| j.4 == "sent")
            && mails.lock().unwrap().len() >= jobs.len()
    });
    // Several more rounds of both workers: nothing more may arrive.
    std::thread::sleep(Duration::from_secs(4));
    let mut got = mails.lock().unwrap().clone();
    got.sort();
    got
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_reminder_is_sent_once_across_two_servers_in_vietnamese() {
    let Some(db) = cchc_store::testing::TestDatabase::create().await else {
        return;
    };
    let url = db.url().to_string();
    let rt = tokio::runtime::Handle::current();
    let outcome = tokio::task::spawn_blocking(move || {
        let (port, mails) = smtp_sink();
        let (one, two) = (Cchc::with_db(&url), Cchc::with_db(&url));
        // 12 April 2024: 3 days before 2024-Q1's due date (15 April), the first step.
        let clock = "2024-04-12T08:00:00+07:00";
        let a = serve(&one, clock, port);
        let b = serve(&two, clock, port);
        one.add_user("so", "phong-noi-vu", "standing_office");
        add_user(&one, "xa", COMMUNE, "reporter", "xa@tung-anh.example");
        add_user(&one, "ct", COMMUNE, "unit_head", "chu-tich@tung-anh.example");
        add_user(&one, "hl", OTHER, "reporter", "hl@hoa-lac.example");
        let (so, so_csrf) = a.login("so");
        let r = http(
            &b.addr,
            "POST",
            "/api/v1/periods",
            Some(&so),
            Some(&so_csrf),
            Some(r#"{"period":"2024-Q1","due":"2024-04-15T17:00:00+07:00"}"#),
        );
        assert_eq!(r.status, 201, "{}", r.body);

        let first = settle(&url, &mails, &rt);
        let jobs_sql = "SELECT recipient, kind, period, step, state FROM reminder_jobs ORDER BY id";
        let jobs = rt.block_on(rows(&url, jobs_sql));
        assert_eq!(first.len(), jobs.len(), "one message per job: {first:#?}");
        let mut seen = BTreeMap::new();
        for m in &first {
            *seen.entry((m.to.clone(), m.subject.clone())).or_insert(0) += 1;
        }
        assert!(seen.values().all(|n| *n == 1), "a message arrived twice: {seen:#?}");
        for to in ["xa@tung-anh.example", "chu-tich@tung-anh.example", "hl@hoa-lac.example"] {
            let missing: Vec<_> = first
                .iter()
                .filter(|m| m.to == to && m.subject.contains("Nhắc gửi báo cáo"))
                .collect();
            assert_eq!(missing.len(), 1, "{to}: {first:#?}");
            let m = missing[0];
            assert!(m.subject.contains("Quý I năm 2024"), "{}", m.subject);
            assert!(m.subject.contains("3 ngày trước hạn"), "{}", m.subject);
            assert!(m.body.contains("hạn nộp ngày 15/04/2024"), "{}", m.body);
            assert!(m.body.contains("Kính gửi: Xã "), "{}", m.body);
            assert!(m.body.contains("http://cchc.duc-tho.example/bao-cao/2024-Q1/"), "{}", m.body);
        }
        assert!(first
            .iter()
            .any(|m| m.to == "xa@tung-anh.example" && m.body.contains("Kính gửi: Xã Tùng Ảnh.")));
        // The sent log says the same: each job sent, to these accounts, audited once.
        let mut log: Vec<String> = jobs.iter().map(|j| j.0.clone()).collect();
        log.sort();
        let mut to: Vec<String> = first
            .iter()
            .map(|m| m.to.split('@').next().unwrap().to_string())
            .map(|local| match local.as_str() {
                "chu-tich" => "ct".to_string(),
                other => other.to_string(),
            })
            .collect();
        to.sort();
        assert_eq!(log, to);
        let audited = rt.block_on(rows(
            &url,
            "SELECT actor, action, object, 0::BIGINT, '' FROM audit_log WHERE action = 'reminder.sent'",
        ));
        assert_eq!(audited.len(), jobs.len());
        let notices = a.get("/thong-bao", Some(&a.login("xa").0));
        assert_eq!(notices.status, 200);
        assert!(notices.body.contains("Quý I năm 2024"), "{}", notices.body);

        // Xã Hòa Lạc sends its report; then the clock moves to 16 April, 1 day after the due date.
        let (hl, hl_csrf) = b.login("hl");
        let report = format!("/api/v1/periods/2024-Q1/reports/{OTHER}");
        let items: Vec<serde_json::Value> = b.get(&report, Some(&hl)).json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| serde_json::json!({"activity": i["activity"], "status": "in_progress", "note": "đang làm"}))
            .collect();
        let body = serde_json::json!({"version": 0, "items": items}).to_string();
        let r = http(&b.addr, "PUT", &report, Some(&hl), Some(&hl_csrf), Some(&body));
        assert_eq!(r.status, 200, "{}", r.body);
        let r = http(
            &b.addr,
            "POST",
            &format!("{report}/submit"),
            Some(&hl),
            Some(&hl_csrf),
            Some(r#"{"version":1}"#),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        drop((a, b));
        let later = "2024-04-16T08:00:00+07:00";
        let (a, b) = (serve(&one, later, port), serve(&two, later, port));
        wait_until(Duration::from_secs(90), "the next step queued", || {
            rt.block_on(rows(&url, jobs_sql)).iter().any(|j| j.3 == 1)
        });
        let all = settle(&url, &mails, &rt);
        let jobs = rt.block_on(rows(&url, jobs_sql));
        assert_eq!(all.len(), jobs.len(), "one message per job: {all:#?}");
        let new: Vec<&Mail> = all.iter().filter(|m| !first.contains(m)).collect();
        assert_eq!(all.len(), first.len() + new.len(), "no earlier message again");
        assert!(new.iter().all(|m| !m.subject.contains("3 ngày trước hạn")));
        for to in ["xa@tung-anh.example", "chu-tich@tung-anh.example"] {
            assert_eq!(
                new.iter()
                    .filter(|m| m.to == to && m.subject.contains("1 ngày sau hạn"))
                    .count(),
                1,
                "{to}: {new:#?}"
            );
        }
        assert!(
            !new.iter()
                .any(|m| m.to == "hl@hoa-lac.example" && m.subject.contains("Nhắc gửi báo cáo")),
            "a unit that sent its report is not reminded: {new:#?}"
        );
        drop((a, b));
    })
    .await;
    db.drop().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
