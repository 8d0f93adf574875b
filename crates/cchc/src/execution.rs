//! `cchc user …`, `cchc audit verify`, the first administrator and the demo data.

use anyhow::{anyhow, bail, Result};
use cchc_app::execution::{self as service, Session};
use cchc_app::Settings;
use cchc_app::{App, Error};
use cchc_domain::execution::{
    report_activities, verify_chain, AuditAction, ItemStatus, ReportContent, Role,
};
use cchc_domain::Period;
use cchc_store::execution::{AuditDraft, AuditFilter, NewUser};
use cchc_store::Store;

fn err(e: Error) -> anyhow::Error {
    anyhow!("{}", e.message)
}

pub fn state(store: &Store, settings: Settings) -> App {
    App::new(store.clone(), settings)
}

/// The password from stdin (`--password-stdin`), or a generated one that is printed.
pub fn password(from_stdin: bool) -> Result<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        let pw = line.trim_end_matches(['\r', '\n']).to_string();
        if pw.is_empty() {
            bail!("không đọc được mật khẩu từ đầu vào chuẩn (stdin)");
        }
        Ok((pw, false))
    } else {
        Ok((service::random_password(), true))
    }
}

pub async fn user_add(
    store: &Store,
    username: &str,
    unit: &str,
    role: &str,
    from_stdin: bool,
    email: Option<&str>,
) -> Result<()> {
    let role = Role::parse(role).map_err(|e| anyhow!("--role: {e}"))?;
    let (pw, generated) = password(from_stdin)?;
    let st = state(store, Settings::default());
    let u = match email {
        Some(e) => service::add_user_with_email(&st, "cli", username, unit, role, &pw, e).await,
        None => service::add_user(&st, "cli", username, unit, role, &pw, false).await,
    }
    .map_err(err)?;
    eprintln!(
        "Đã tạo tài khoản «{}» ({}, đơn vị {}).",
        u.username,
        u.role.label_vi(),
        u.unit
    );
    if generated {
        println!("Mật khẩu: {pw}");
    }
    Ok(())
}

pub async fn user_email(store: &Store, username: &str, email: &str) -> Result<()> {
    let st = state(store, Settings::default());
    match cchc_app::reminders::set_email(&st, "cli", username, email)
        .await
        .map_err(err)?
    {
        Some(e) => eprintln!("Đã đặt thư điện tử «{e}» cho «{username}»."),
        None => eprintln!("Đã bỏ thư điện tử của «{username}»."),
    }
    Ok(())
}

pub async fn user_passwd(store: &Store, username: &str, from_stdin: bool) -> Result<()> {
    let (pw, generated) = password(from_stdin)?;
    let st = state(store, Settings::default());
    service::set_password(&st, "cli", username, &pw)
        .await
        .map_err(err)?;
    eprintln!("Đã đặt mật khẩu mới cho «{username}»; các phiên đăng nhập cũ đã kết thúc.");
    if generated {
        println!("Mật khẩu: {pw}");
    }
    Ok(())
}

pub async fn user_disable(store: &Store, username: &str) -> Result<()> {
    let st = state(store, Settings::default());
    service::disable_user(&st, "cli", username)
        .await
        .map_err(err)?;
    eprintln!("Đã khóa tài khoản «{username}».");
    Ok(())
}

pub async fn user_list(store: &Store) -> Result<()> {
    let x = store.execution();
    for u in x.list_users().await? {
        println!(
            "{}\t{}\t{}{}{}",
            u.username,
            u.unit,
            u.role,
            if u.disabled { "\tđã khóa" } else { "" },
            if u.demo { "\tdemo" } else { "" }
        );
    }
    Ok(())
}

/// `cchc audit verify`: Ok(number of entries) or the first broken entry.
pub async fn audit_verify(store: &Store) -> Result<usize> {
    let x = store.execution();
    let entries = x.list_audit(&AuditFilter::default()).await?;
    verify_chain(&entries).map_err(|e| anyhow!(e))
}

/// On first start (no account yet), creates `admin` with a one-time password printed once.
pub async fn first_admin(store: &Store) -> Result<()> {
    let x = store.execution();
    if x.count_users().await? > 0 {
        return Ok(());
    }
    let units = store.list_units().await?;
    let unit = units
        .iter()
        .find(|u| u.id.as_str() == "phong-noi-vu")
        .or(units.first())
        .ok_or_else(|| anyhow!("chưa có danh mục đơn vị"))?;
    let pw = service::random_password();
    let st = state(store, Settings::default());
    match service::add_user_one_time(&st, "system", "admin", unit.id.as_str(), Role::Admin, &pw)
        .await
    {
        Ok(_) => {}
        // Another server starting on the same database created it first and printed its
        // password.
        Err(e) if e.kind == cchc_app::ErrorKind::Conflict => return Ok(()),
        Err(e) => return Err(err(e)),
    }
    println!("Tài khoản quản trị đầu tiên: admin / {pw}\n(chỉ in một lần; mật khẩu dùng một lần: lần đăng nhập đầu phải đổi mật khẩu tại /doi-mat-khau)");
    Ok(())
}

/// `serve --demo`: demo accounts (`demo-…`) for every unit, a standing-office and a leader
/// account, one shared random password printed once, and sample progress in period 2024-Q1.
pub async fn demo(store: &Store, settings: &Settings) -> Result<()> {
    let x = store.execution();
    if x.find_user("demo-thuong-truc").await?.is_some() {
        eprintln!("Dữ liệu minh họa đã có (tài khoản demo-…).");
        return Ok(());
    }
    let pw = service::random_password();
    let hash = service::hash_blocking(&pw).await.map_err(err)?;
    let units = store.list_units().await?;
    let office = units
        .iter()
        .find(|u| u.id.as_str() == "phong-noi-vu")
        .unwrap_or(&units[0])
        .id
        .to_string();
    let leader_unit = units
        .iter()
        .find(|u| u.id.as_str() == "ubnd-huyen")
        .map(|u| u.id.to_string())
        .unwrap_or_else(|| office.clone());
    let mut made = vec![
        (
            "demo-thuong-truc".to_string(),
            office.clone(),
            Role::StandingOffice,
        ),
        ("demo-lanh-dao".to_string(), leader_unit, Role::Leader),
    ];
    for u in &units {
        made.push((format!("demo-{}", u.id), u.id.to_string(), Role::Reporter));
    }
    for (name, unit, role) in &made {
        let audit = AuditDraft::new(
            "system",
            AuditAction::UserAddDemo.as_str(),
            format!("user:{name}"),
            Some(unit),
        );
        x.create_user(
            &NewUser {
                username: name,
                unit,
                role: *role,
                password_hash: &hash,
                demo: true,
                must_change_password: false,
                email: None,
            },
            &audit,
        )
        .await?;
    }
    let st = state(store, settings.clone());
    let office_s = as_user(x, "demo-thuong-truc").await?;
    if x.get_period("2024-Q1").await?.is_none() {
        service::open_period(&st, &office_s, "2024-Q1", "2024-04-20T17:00:00+07:00")
            .await
            .map_err(err)?;
    }
    let (_, plan, registry) = cchc_app::plan::plan_for(&st, Some(2024))
        .await
        .map_err(err)?;
    let q1 = Period::parse("2024-Q1").expect("a valid period");
    // Two units in three report something; every other one of those submits.
    for (i, u) in units.iter().enumerate().filter(|(i, _)| i % 3 != 2) {
        let acts = report_activities(&plan, &registry, &u.id, q1);
        if acts.is_empty() {
            continue;
        }
        let s = as_user(x, &format!("demo-{}", u.id)).await?;
        let view = service::report(&st, &s, "2024-Q1", u.id.as_str())
            .await
            .map_err(err)?;
        let mut content = ReportContent::default();
        for (j, l) in view.lines.iter().enumerate() {
            let mut item = l.item.clone();
            item.status = [
                ItemStatus::Done,
                ItemStatus::InProgress,
                ItemStatus::DoneLate,
                ItemStatus::NotStarted,
            ][(i + j) % 4];
            item.note = "[MINH HỌA] Nội dung mẫu của chế độ demo.".into();
            content.items.push(item);
        }
        let view = service::save_report(&st, &s, "2024-Q1", u.id.as_str(), view.version, content)
            .await
            .map_err(err)?;
        if i % 2 == 0 {
            service::submit_report(&st, &s, "2024-Q1", u.id.as_str(), Some(view.version))
                .await
                .map_err(err)?;
        }
    }
    println!("Tài khoản minh họa (demo-<mã đơn vị>, demo-thuong-truc, demo-lanh-dao), mật khẩu chung: {pw}");
    Ok(())
}

async fn as_user(x: &dyn cchc_store::ExecutionRepository, name: &str) -> Result<Session> {
    let user = x
        .find_user(name)
        .await?
        .ok_or_else(|| anyhow!("thiếu tài khoản {name}"))?;
    Ok(Session {
        user,
        csrf_token: String::new(),
        token_hash: String::new(),
    })
}
