//! The page shell: the layout every page shares (head, header, navigation, language switch),
//! breadcrumbs, dates and addresses.

use cchc_app::execution::Session;
use cchc_domain::execution::Role;
use cchc_domain::UnitId;
use cchc_store::PlanId;
use chrono::NaiveDate;
use maud::{html, Markup, DOCTYPE};

use crate::shell::i18n::Lang;

/// What every page needs to know about the request.
pub struct View<'a> {
    pub lang: Lang,
    /// The path and query of the request, for the language switch.
    pub uri: &'a axum::http::Uri,
    /// The signed-in account, for the header's menu and sign-out.
    pub account: Option<&'a Account>,
}

/// Tài khoản đang đăng nhập: the session and the name of its unit, as the header shows them.
#[derive(Clone)]
pub struct Account {
    pub session: Session,
    pub unit_name: String,
    /// Thông báo chưa đọc: the header's count.
    pub unread: i64,
}

/// `dd/mm/yyyy`, as Vietnamese documents write dates.
pub fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Percent-encodes a path segment or query value (everything but unreserved ASCII).
pub fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn plan_url(plan: PlanId) -> String {
    format!("/ke-hoach/{plan}")
}

pub fn activity_url(plan: PlanId, activity_id: &str) -> String {
    format!("/ke-hoach/{plan}/hoat-dong/{}", enc(activity_id))
}

pub fn target_url(plan: PlanId, code: &str) -> String {
    format!("/ke-hoach/{plan}/chi-tieu/{}", enc(code))
}

pub fn unit_url(id: &UnitId) -> String {
    format!("/don-vi/{}", enc(id.as_str()))
}

/// A URL with query parameters, empty values left out.
pub fn with_query(path: &str, params: &[(&str, &str)]) -> String {
    let q: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect();
    if q.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", q.join("&"))
    }
}

impl View<'_> {
    /// The label of `key` in the page's language.
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    /// The current address with `lang` set to the other language.
    fn switch_url(&self) -> String {
        let other = self.lang.other().code();
        let kept: Vec<&str> = self
            .uri
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("lang="))
            .collect();
        let mut q = kept.join("&");
        if !q.is_empty() {
            q.push('&');
        }
        format!("{}?{q}lang={other}", self.uri.path())
    }

    /// The whole page: head, header with navigation and the language switch, `body`.
    pub fn page(&self, title: &str, wide: bool, body: impl maud::Render) -> Markup {
        html! {
            (DOCTYPE)
            html lang=(self.lang.code()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) " · " (self.t("site")) }
                    link rel="stylesheet" href="/static/app.css";
                    script src="/static/app.js" defer {}
                }
                body {
                    a.skip href="#noi-dung" { (self.t("skip")) }
                    (self.header())
                    main #noi-dung class=(if wide { "wide" } else { "narrow" }) { (body) }
                }
            }
        }
    }

    /// The one header of every page: the public menu, then the signed-in account's work menu
    /// by role, who is signed in and sign-out (or the sign-in link). The menu wraps link by
    /// link on a narrow screen; no link breaks inside.
    fn header(&self) -> Markup {
        let here = self.uri.path();
        let link = |href: &'static str, key: &str| {
            let current = href == here || (href != "/" && here.starts_with(&format!("{href}/")));
            html! { a href=(href) aria-current=[current.then_some("page")] { (self.t(key)) } }
        };
        html! {
            header.site {
                div.bar {
                    a.brand href="/" { "CCHC" }
                    a.lang href=(self.switch_url()) hreflang=(self.lang.other().code()) {
                        (self.t("switch_lang"))
                    }
                }
                nav.menu aria-label=(self.t("nav_menu")) {
                    (link("/", "nav_plans"))
                    (link("/don-vi", "nav_units"))
                    (link("/chi-so", "nav_service"))
                    (link("/cong-khai", "nav_public"))
                    @if let Some(acc) = self.account {
                        @let role = acc.session.user.role;
                        (link("/bao-cao", "w_reports"))
                        @if role.sees_all() {
                            (link("/tong-quan", "w_dashboard"))
                            (link("/ky-bao-cao", "w_periods"))
                        }
                        (link("/qua-han", "w_overdue_list"))
                        (link("/danh-gia", "nav_evaluation"))
                        (link("/chi-so-cchc", "nav_reform_index"))
                        (link("/ke-hoach-xa", "nav_commune_plans"))
                        @if matches!(role, Role::Admin | Role::StandingOffice) {
                            (link("/nhat-ky", "w_audit"))
                            (link("/nhac-viec", "w_reminders"))
                            (link("/quan-tri/tai-khoan", "w_accounts"))
                        }
                    }
                }
                div.account {
                    @if let Some(acc) = self.account {
                        @let u = &acc.session.user;
                        span.who title=(u.unit) {
                            b { (u.username) } " · " (u.role.label_vi()) " · " (acc.unit_name)
                        }
                        a href="/thong-bao" aria-current=[(here == "/thong-bao").then_some("page")] {
                            (self.t("w_notices")) @if acc.unread > 0 { " " span.badge.overdue { (acc.unread) } }
                        }
                        a href="/doi-mat-khau" { (self.t("change_password")) }
                        form.signout method="post" action="/dang-xuat" {
                            input type="hidden" name="csrf" value=(acc.session.csrf_token);
                            button type="submit" { (self.t("sign_out")) }
                        }
                    } @else {
                        a href="/dang-nhap" { (self.t("sign_in")) }
                    }
                }
            }
        }
    }

    /// A breadcrumb trail: links, then the current page's name.
    pub fn crumbs(&self, links: &[(&str, String)], here: &str) -> Markup {
        html! {
            nav.crumbs aria-label="breadcrumb" {
                a href="/" { (self.t("home")) }
                @for (label, href) in links { " › " a href=(href) { (label) } }
                " › " span aria-current="page" { (here) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enc_keeps_activity_keys_and_escapes_the_rest() {
        assert_eq!(enc("VIIA.1.3.1-2"), "VIIA.1.3.1-2");
        assert_eq!(enc("nội vụ/x"), "n%E1%BB%99i%20v%E1%BB%A5%2Fx");
    }

    #[test]
    fn with_query_drops_empty_values() {
        assert_eq!(
            with_query(
                "/ke-hoach/1",
                &[("don_vi", "phong-noi-vu"), ("q", ""), ("han", "2024-Q2")]
            ),
            "/ke-hoach/1?don_vi=phong-noi-vu&han=2024-Q2"
        );
        assert_eq!(with_query("/x", &[("q", "")]), "/x");
    }
}
