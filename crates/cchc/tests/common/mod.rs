//! What the binary's process tests share: the real `cchc` binary run in a working directory of
//! its own, a `cchc serve` child that is killed when dropped, a small HTTP/1.1 client, and
//! dumps of every table of a database for comparison.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::{Connection, Row};

pub const PW: &str = "mat-khau-dai-du-10";
pub const COMMUNE: &str = "xa-tung-anh";

pub fn decision() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/duc-tho-2024/duc-tho-2024-qd60.txt")
}

/// A working directory, a database URL and a files directory, as one user runs `cchc`.
pub struct Cchc {
    pub dir: tempfile::TempDir,
    pub db: String,
    pub files: PathBuf,
}

impl Cchc {
    pub fn sqlite() -> Cchc {
        let dir = tempfile::tempdir().unwrap();
        let db = format!("sqlite://{}/data/cchc.db", dir.path().display());
        let files = dir.path().join("data/files");
        Cchc { dir, db, files }
    }

    pub fn with_db(db: &str) -> Cchc {
        let dir = tempfile::tempdir().unwrap();
        let files = dir.path().join("files");
        Cchc {
            dir,
            db: db.to_string(),
            files,
        }
    }

    /// The SQLite file (for an `sqlite://` database).
    pub fn db_file(&self) -> PathBuf {
        PathBuf::from(self.db.strip_prefix("sqlite://").expect("an SQLite URL"))
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_cchc"));
        c.args(args)
            .env("CCHC_DATABASE_URL", &self.db)
            .env("CCHC_FILES_DIR", &self.files)
            .env("NO_COLOR", "1")
            .env_remove("CCHC_LOG")
            .current_dir(self.dir.path());
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// Runs `cchc ARGS`, asserts success, returns (stdout, stderr).
    pub fn ok(&self, args: &[&str]) -> (String, String) {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "cchc {args:?} failed:\n{stderr}");
        (String::from_utf8_lossy(&out.stdout).into_owned(), stderr)
    }

    /// Runs `cchc ARGS` with `input` on stdin, asserts success.
    pub fn ok_with_stdin(&self, args: &[&str], input: &str) {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "cchc {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn add_user(&self, name: &str, unit: &str, role: &str) {
        self.ok_with_stdin(
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
            ],
            &format!("{PW}\n"),
        );
    }

    /// `cchc dev gen-dossiers` into the folder `out` of the working directory.
    pub fn gen_dossiers(&self, rows: u32, seed: u32, out: &str) {
        self.ok(&[
            "dev",
            "gen-dossiers",
            "--rows",
            &rows.to_string(),
            "--seed",
            &seed.to_string(),
            "--out",
            out,
        ]);
    }

    /// After whatever happened: the store opens, `audit verify` passes, and the indicators of
    /// 2024 read from the running totals are the bytes they are after a recompute.
    pub fn assert_consistent(&self) {
        let (before, _) = self.ok(&["indicators", "--period", "2024", "--json"]);
        self.ok(&["indicators", "recompute"]);
        let (after, _) = self.ok(&["indicators", "--period", "2024", "--json"]);
        assert_eq!(before, after, "running totals differ from a recompute");
        let (out, _) = self.ok(&["audit", "verify"]);
        assert!(out.contains("Nhật ký nguyên vẹn"), "{out}");
    }

    /// Starts `cchc serve ARGS --addr 127.0.0.1:0` and waits until it answers.
    pub fn serve(&self, args: &[&str]) -> Server {
        let mut all = vec!["serve", "--addr", "127.0.0.1:0"];
        all.extend_from_slice(args);
        Server::start(self.command(&all))
    }
}

/// A running `cchc serve`, killed (SIGKILL) and reaped when dropped, even when a test fails.
pub struct Server {
    child: Option<Child>,
    pub addr: String,
    output: Arc<Mutex<String>>,
}

impl Server {
    pub fn start(mut cmd: Command) -> Server {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let output = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let output = Arc::clone(&output);
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if let Some(at) = line.find("listening on http://") {
                        let rest = &line[at + "listening on http://".len()..];
                        let addr: String = rest
                            .chars()
                            .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ':')
                            .collect();
                        let _ = tx.send(addr);
                    }
                    output.lock().unwrap().push_str(&(line + "\n"));
                }
            });
        }
        // Only the readers hold senders now: a server that exits early ends the wait.
        drop(tx);
        let mut server = Server {
            child: Some(child),
            addr: String::new(),
            output,
        };
        match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(addr) => server.addr = addr,
            Err(_) => panic!("cchc serve did not start:\n{}", server.output()),
        }
        server
    }

    /// What the server printed so far (stdout and stderr).
    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// SIGKILL, then reap.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    pub fn get(&self, path: &str, cookie: Option<&str>) -> Response {
        http(&self.addr, "GET", path, cookie, None, None)
    }

    /// Signs in through the API: (cookie, CSRF token).
    pub fn login(&self, user: &str) -> (String, String) {
        let body = serde_json::json!({"username": user, "password": PW}).to_string();
        let r = http(
            &self.addr,
            "POST",
            "/api/v1/session",
            None,
            None,
            Some(&body),
        );
        assert_eq!(r.status, 200, "login {user}: {}", r.body);
        let cookie = r
            .header("set-cookie")
            .expect("a session cookie")
            .split(';')
            .next()
            .unwrap()
            .to_string();
        (cookie, r.json()["csrf_token"].as_str().unwrap().to_string())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// One HTTP/1.1 request on a connection of its own (`Connection: close`); panics when the
/// server does not answer (use [`try_http`] where it may be gone).
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    csrf: Option<&str>,
    json: Option<&str>,
) -> Response {
    try_http(addr, method, path, cookie, csrf, json)
        .unwrap_or_else(|e| panic!("{method} {path} on {addr}: {e}"))
}

pub fn try_http(
    addr: &str,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    csrf: Option<&str>,
    json: Option<&str>,
) -> std::io::Result<Response> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    let body = json.unwrap_or("");
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(c) = cookie {
        req.push_str(&format!("Cookie: {c}\r\n"));
    }
    if let Some(t) = csrf {
        req.push_str(&format!("X-CSRF-Token: {t}\r\n"));
    }
    if json.is_some() {
        req.push_str("Content-Type: application/json\r\n");
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    s.write_all(req.as_bytes())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no HTTP header in the answer"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other("no HTTP status"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut payload = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        payload = dechunk(&payload);
    }
    Ok(Response {
        status,
        headers,
        body: String::from_utf8_lossy(&payload).into_owned(),
    })
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&b[..eol])
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = eol + 2;
        let end = (start + size).min(b.len());
        out.extend_from_slice(&b[start..end]);
        b = &b[(end + 2).min(b.len())..];
    }
    out
}

/// Waits until `done` holds, polling; panics after `limit` (a bound, not a measurement).
pub fn wait_until(limit: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// A small seeded generator (xorshift), so that a "random" moment is the same on every run.
pub struct Seeded(pub u64);

impl Seeded {
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// Every table of the SQLite file at `path`, each row rendered as text, rows sorted.
pub async fn dump_sqlite(path: &Path) -> BTreeMap<String, Vec<String>> {
    let url = format!("sqlite://{}", path.display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'sqlite_stat1' ORDER BY name",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let mut out = BTreeMap::new();
    for t in tables {
        let cols: Vec<String> = sqlx::query(&format!("PRAGMA table_info(\"{t}\")"))
            .fetch_all(&mut conn)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<String, _>("name"))
            .collect();
        let expr = cols
            .iter()
            .map(|c| format!("quote(\"{c}\")"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let order = (1..=cols.len())
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let cols_sql = cols
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let mut rows: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT {expr} FROM (SELECT {cols_sql} FROM \"{t}\" ORDER BY {order})"
        ))
        .fetch_all(&mut conn)
        .await
        .unwrap();
        rows.sort();
        out.insert(t, rows);
    }
    out
}

/// Every table of the PostgreSQL database at `url`, each row rendered as text, rows sorted.
pub async fn dump_postgres(url: &str) -> BTreeMap<String, Vec<String>> {
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let mut out = BTreeMap::new();
    for t in tables {
        let mut rows: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT CAST(t AS text) FROM \"{t}\" AS t ORDER BY 1"
        ))
        .fetch_all(&mut conn)
        .await
        .unwrap();
        rows.sort();
        out.insert(t, rows);
    }
    out
}

/// Every file below `dir`: relative path → bytes.
pub fn dump_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.map(Result::unwrap) {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}
