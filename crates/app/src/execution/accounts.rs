//! Tài khoản và phiên: sign-in with throttling, sessions, passwords (Argon2id), accounts.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::SaltString;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use rand::RngCore;

use cchc_domain::execution::{sha256_hex, AuditAction, Role};
use cchc_domain::{Registry, UnitId};
use cchc_store::execution::{AuditDraft, NewUser, SessionInfo, User};
use chrono::{DateTime, Utc};

use super::Session;
use crate::{App, Error, ErrorKind, Result as R};

// ---------------------------------------------------------------------------------------------
// Sign-in

/// Đăng nhập: checks throttling, then the password; on success a new session (a new id every
/// time: rotation at login). Returns the cookie token and the CSRF token.
pub async fn login(
    state: &App,
    username: &str,
    password: &str,
    addr: &str,
) -> R<(String, String, User)> {
    let x = state.x();
    let since =
        Utc::now() - chrono::Duration::from_std(state.settings.throttle_window).unwrap_or_default();
    let user_key = format!("user:{username}");
    let addr_key = format!("addr:{addr}");
    if x.count_login_failures(&user_key, since).await? >= state.settings.max_failures_per_account
        || x.count_login_failures(&addr_key, since).await?
            >= state.settings.max_failures_per_address
    {
        tracing::warn!(username, "login throttled");
        return Err(Error::new(
            ErrorKind::Throttled,
            "Throttled",
            "đăng nhập sai quá nhiều lần; hãy đợi 15 phút rồi thử lại",
        ));
    }
    let user = x.find_user(username).await?;
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    let pw = password.to_string();
    // Verify even for an unknown name, so that timing does not tell which names exist.
    let ok = tokio::task::spawn_blocking(move || match hash {
        Some(h) => verify_password(&pw, &h),
        None => {
            let _ = verify_password(&pw, DUMMY_HASH);
            false
        }
    })
    .await
    .unwrap_or(false);
    match user {
        Some(u) if ok && !u.disabled => {
            x.clear_login_failures(&user_key).await?;
            let token = random_token();
            let csrf = random_token();
            x.create_session(&sha256_hex(token.as_bytes()), u.id, &csrf, Utc::now())
                .await?;
            x.append_audit(&AuditDraft::new(
                &u.username,
                AuditAction::Login.as_str(),
                format!("user:{}", u.username),
                Some(&u.unit),
            ))
            .await?;
            Ok((token, csrf, u))
        }
        _ => {
            x.record_login_failure(&[user_key, addr_key], Utc::now())
                .await?;
            x.append_audit(&AuditDraft::new(
                username,
                AuditAction::LoginFailed.as_str(),
                format!("user:{username}"),
                None,
            ))
            .await?;
            tracing::info!(username, "failed login");
            Err(Error::new(
                ErrorKind::Unauthorized,
                "InvalidUsernameOrPassword",
                "tên đăng nhập hoặc mật khẩu không đúng",
            ))
        }
    }
}

/// An Argon2id hash of a random string, verified against when the name is unknown.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0hc7bJpKqvZ8dUQ1Nh8L3WgS5cM8e7Z7pX6xUOv9T1c";

pub async fn logout(state: &App, s: &Session) -> R<()> {
    let x = state.x();
    x.delete_session(&s.token_hash).await?;
    x.append_audit(&AuditDraft::new(
        &s.user.username,
        AuditAction::Logout.as_str(),
        format!("user:{}", s.user.username),
        Some(&s.user.unit),
    ))
    .await?;
    Ok(())
}

pub async fn change_password(state: &App, s: &Session, old: &str, new: &str) -> R<()> {
    let x = state.x();
    let user = x
        .find_user(&s.user.username)
        .await?
        .ok_or_else(|| Error::not_found("tài khoản"))?;
    if !verify_password(old, &user.password_hash) {
        return Err(Error::new(
            ErrorKind::Unauthorized,
            "InvalidUsernameOrPassword",
            "mật khẩu hiện tại không đúng",
        ));
    }
    check_new_password(new)?;
    let hash = hash_blocking(new).await?;
    x.set_password(
        &user.username,
        &hash,
        false,
        &AuditDraft::new(
            &user.username,
            AuditAction::UserPasswd.as_str(),
            format!("user:{}", user.username),
            Some(&user.unit),
        ),
    )
    .await?;
    Ok(())
}

pub async fn hash_blocking(password: &str) -> R<String> {
    let pw = password.to_string();
    tokio::task::spawn_blocking(move || hash_password(&pw))
        .await
        .map_err(|_| Error::invalid("không mã hóa được mật khẩu"))?
}

// ---------------------------------------------------------------------------------------------
// Accounts

/// Thêm tài khoản (administrator or standing office; CLI uses `actor = "cli"`).
pub async fn add_user(
    state: &App,
    actor: &str,
    username: &str,
    unit: &str,
    role: Role,
    password: &str,
    demo: bool,
) -> R<User> {
    create_user(
        state, actor, username, unit, role, password, demo, false, None,
    )
    .await
}

/// Thêm tài khoản with its e-mail address (where its reminders go), validated first: the
/// account and its address are written together.
#[allow(clippy::too_many_arguments)]
pub async fn add_user_with_email(
    state: &App,
    actor: &str,
    username: &str,
    unit: &str,
    role: Role,
    password: &str,
    email: &str,
) -> R<User> {
    let email = crate::reminders::parse_email(email)?;
    create_user(
        state,
        actor,
        username,
        unit,
        role,
        password,
        false,
        false,
        email.as_deref(),
    )
    .await
}

/// Thêm tài khoản with a one-time password (the first administrator's): the account must
/// change it at its first sign-in before doing anything else.
pub async fn add_user_one_time(
    state: &App,
    actor: &str,
    username: &str,
    unit: &str,
    role: Role,
    password: &str,
) -> R<User> {
    create_user(
        state, actor, username, unit, role, password, false, true, None,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn create_user(
    state: &App,
    actor: &str,
    username: &str,
    unit: &str,
    role: Role,
    password: &str,
    demo: bool,
    must_change_password: bool,
    email: Option<&str>,
) -> R<User> {
    let x = state.x();
    let username = username.trim();
    if username.is_empty()
        || username.len() > 64
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        return Err(Error::invalid(format!("tên đăng nhập «{username}» không hợp lệ; chỉ dùng chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới")));
    }
    let registry = Registry::new(state.store.list_units().await?);
    let unit_id = UnitId::parse(unit).map_err(Error::invalid)?;
    if registry.get(&unit_id).is_none() {
        return Err(Error::invalid(format!(
            "đơn vị «{unit}» không có trong danh mục đơn vị"
        )));
    }
    check_new_password(password)?;
    let hash = hash_blocking(password).await?;
    let after =
        serde_json::json!({"username": username, "unit": unit, "role": role, "email": email})
            .to_string();
    let audit = AuditDraft::new(
        actor,
        AuditAction::UserAdd.as_str(),
        format!("user:{username}"),
        Some(unit),
    )
    .change(String::new(), after);
    Ok(x.create_user(
        &NewUser {
            username,
            unit,
            role,
            password_hash: &hash,
            demo,
            must_change_password,
            email,
        },
        &audit,
    )
    .await?)
}

/// Đặt lại mật khẩu. A password set by someone else (an administrator on the web, `cchc user
/// passwd` as `cli`) must be changed by the account at its next sign-in; one set by the account
/// itself need not.
pub async fn set_password(state: &App, actor: &str, username: &str, password: &str) -> R<()> {
    check_new_password(password)?;
    let hash = hash_blocking(password).await?;
    let must_change = actor != username;
    state
        .x()
        .set_password(
            username,
            &hash,
            must_change,
            &AuditDraft::new(
                actor,
                AuditAction::UserPasswd.as_str(),
                format!("user:{username}"),
                None,
            )
            .change(
                String::new(),
                format!("{{\"must_change_password\":{must_change}}}"),
            ),
        )
        .await?;
    Ok(())
}

/// Refuses everything but changing the password or signing out while the account's password
/// is one it did not choose (`PasswordChangeRequired`).
pub fn require_own_password(s: &Session, what: &str) -> R<()> {
    if !s.user.must_change_password {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Forbidden,
        "PasswordChangeRequired",
        format!(
            "tài khoản «{}» phải đổi mật khẩu trước khi dùng hệ thống ({what}); hãy đổi mật khẩu tại /doi-mat-khau (API: PUT /api/v1/me/password)",
            s.user.username
        ),
    ))
}

// ---------------------------------------------------------------------------------------------
// One's own sessions

/// One of the signed-in account's sessions: a short id that is not a secret (the first 8 hex
/// digits of the SHA-256 of the stored hash; the cookie token cannot be derived from it).
#[derive(Debug, Clone, serde::Serialize)]
pub struct SessionLine {
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// The session of this request.
    pub current: bool,
}

/// The short id of a session, from the SHA-256 of its token.
pub fn session_id(token_hash: &str) -> String {
    sha256_hex(token_hash.as_bytes())[..8].to_string()
}

fn line(s: &Session, i: &SessionInfo) -> SessionLine {
    SessionLine {
        id: session_id(&i.token_hash),
        created_at: i.created_at,
        last_seen_at: i.last_seen_at,
        current: i.token_hash == s.token_hash,
    }
}

/// Phiên đăng nhập của tôi: the account's own sessions, the most recently seen first.
pub async fn my_sessions(state: &App, s: &Session) -> R<Vec<SessionLine>> {
    let all = state.x().list_sessions(s.user.id).await?;
    Ok(all.iter().map(|i| line(s, i)).collect())
}

/// Ends one of the account's own sessions by its short id. An id that is not one of them (an
/// id of another account's session, or none) is refused and audited.
pub async fn end_session(state: &App, s: &Session, id: &str) -> R<()> {
    let x = state.x();
    let mine: Vec<String> = x
        .list_sessions(s.user.id)
        .await?
        .into_iter()
        .filter(|i| session_id(&i.token_hash) == id)
        .map(|i| i.token_hash)
        .collect();
    if mine.is_empty() {
        super::denied(state, s, &format!("session.end:{id}"), None).await;
        return Err(Error::forbidden(format!(
            "phiên «{id}» không phải là một phiên đăng nhập của tài khoản «{}» (trang Phiên đăng nhập)",
            s.user.username
        )));
    }
    let audit = AuditDraft::new(
        &s.user.username,
        AuditAction::SessionEnd.as_str(),
        format!("user:{}", s.user.username),
        Some(&s.user.unit),
    )
    .change(String::new(), format!("{{\"session\":\"{id}\"}}"));
    x.end_sessions(s.user.id, &mine, &audit).await?;
    Ok(())
}

/// Ends every session of the account but this one; returns how many ended.
pub async fn end_other_sessions(state: &App, s: &Session) -> R<u64> {
    let x = state.x();
    let others: Vec<String> = x
        .list_sessions(s.user.id)
        .await?
        .into_iter()
        .map(|i| i.token_hash)
        .filter(|h| *h != s.token_hash)
        .collect();
    let audit = AuditDraft::new(
        &s.user.username,
        AuditAction::SessionEndOthers.as_str(),
        format!("user:{}", s.user.username),
        Some(&s.user.unit),
    )
    .change(String::new(), format!("{{\"ended\":{}}}", others.len()));
    Ok(x.end_sessions(s.user.id, &others, &audit).await?)
}

pub async fn disable_user(state: &App, actor: &str, username: &str) -> R<()> {
    let audit = AuditDraft::new(
        actor,
        AuditAction::UserDisable.as_str(),
        format!("user:{username}"),
        None,
    )
    .change("{\"disabled\":false}".into(), "{\"disabled\":true}".into());
    state.x().set_disabled(username, true, &audit).await?;
    Ok(())
}

/// Tài khoản: every account.
pub async fn users(state: &App) -> R<Vec<User>> {
    Ok(state.x().list_users().await?)
}

// ---------------------------------------------------------------------------------------------
// Passwords, tokens, sessions

/// Hashes a password with Argon2id (the crate's defaults: 19 MiB, 2 passes).
pub fn hash_password(password: &str) -> R<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| {
            tracing::error!(error = %e, "password hashing failed");
            Error::internal("không mã hóa được mật khẩu")
        })
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A password policy short enough to remember: at least 10 characters.
pub fn check_new_password(password: &str) -> R<()> {
    if password.chars().count() < 10 {
        return Err(Error::invalid("mật khẩu mới phải có ít nhất 10 ký tự"));
    }
    Ok(())
}

pub use crate::access::random_token;

/// A password for people to type: 16 letters and digits without look-alikes.
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut b = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter()
        .map(|x| ALPHABET[*x as usize % ALPHABET.len()] as char)
        .collect()
}

/// The name of an account's unit (its id when the registry does not know it).
pub async fn unit_name(state: &App, unit: &str) -> R<String> {
    let name = state
        .memo(format!("unit-name:{unit}"), || async {
            Ok::<_, crate::Error>(
                state
                    .store
                    .list_units()
                    .await?
                    .into_iter()
                    .find(|u| u.id.as_str() == unit)
                    .map_or_else(|| unit.to_string(), |u| u.name),
            )
        })
        .await?;
    Ok(name.as_ref().clone())
}

/// Loads the session of a cookie token, ending it when idle or too old.
pub async fn load_session(state: &App, token: &str) -> R<Option<Session>> {
    let x = state.x();
    let token_hash = sha256_hex(token.as_bytes());
    // The row as read under the database's current version: any write (a sign-out or a
    // touch on any server, a disabled account) changes the version and reads it again.
    let kept = state
        .memo(format!("session:{token_hash}"), || async {
            Ok::<_, crate::Error>(x.get_session(&token_hash).await?)
        })
        .await?;
    let Some(s) = kept.as_ref().clone() else {
        return Ok(None);
    };
    let now = Utc::now();
    let idle = chrono::Duration::from_std(state.settings.idle_timeout).unwrap_or_default();
    let absolute = chrono::Duration::from_std(state.settings.absolute_timeout).unwrap_or_default();
    if s.user.disabled || now - s.last_seen_at > idle || now - s.created_at > absolute {
        x.delete_session(&token_hash).await?;
        return Ok(None);
    }
    // Touch at most once a minute: a page view need not be a write.
    if now - s.last_seen_at > chrono::Duration::seconds(60) {
        x.touch_session(&token_hash, now).await?;
    }
    Ok(Some(Session {
        user: s.user,
        csrf_token: s.csrf_token,
        token_hash,
    }))
}
