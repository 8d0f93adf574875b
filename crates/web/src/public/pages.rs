//! The public pages: the plan and its areas' progress, the key targets, the units' report
//! timeliness, a published ranking and a published periodic report (with its `.docx`), and
//! the feed. Each handler calls one function of `cchc_app::public` and renders it with no
//! account in the header, so every visitor gets the same bytes; [`super::cached`] adds the
//! cache headers.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use cchc_app::plan::progress::Standing;
use cchc_app::public::{self as public, PublicationKind};
use cchc_app::ErrorKind;
use maud::{html, Markup};

use super::cached;
use crate::execution::office::{stacked, Stack};
use crate::shell::view::{activity_url, date, plan_url, View};
use crate::shell::{query_lang, AppError, Lang};
use crate::AppState;

/// What a public handler reads of its request: the language (from the address only, so the
/// address is the cache key), the address, and the headers for `If-None-Match`.
pub struct Public {
    lang: Lang,
    uri: Uri,
    headers: HeaderMap,
}

impl Public {
    fn new(uri: Uri, headers: HeaderMap) -> Self {
        Public {
            lang: query_lang(&uri).unwrap_or_default(),
            uri,
            headers,
        }
    }

    fn view(&self) -> View<'_> {
        View {
            lang: self.lang,
            uri: &self.uri,
            account: None,
        }
    }

    /// The page, cached.
    fn page(&self, title: &str, body: Markup) -> Response {
        let html = self.view().page(title, true, body).into_string();
        cached(
            &self.headers,
            "text/html; charset=utf-8",
            None,
            html.into_bytes(),
        )
    }

    /// A refusal of the application as the public sees it: not found, or a server error
    /// (logged); never its message, which may name an account.
    fn fail(&self, e: cchc_app::Error) -> Response {
        match e.kind {
            ErrorKind::NotFound => AppError::NotFound(self.lang).into_response(),
            _ => AppError::App(self.lang, e).into_response(),
        }
    }
}

/// The sub-pages' menu.
fn nav() -> Markup {
    html! {
        nav.toc aria-label="Công khai" {
            a href="/cong-khai" { "Tổng quan" }
            a href="/cong-khai/chi-tieu" { "Chỉ tiêu chủ yếu" }
            a href="/cong-khai/don-vi" { "Tình hình gửi báo cáo" }
            a href="/cong-khai/atom.xml" type="application/atom+xml" { "Tin công khai (Atom)" }
        }
    }
}

fn standing_class(s: Standing) -> &'static str {
    match s {
        Standing::Done => "s-done",
        Standing::InProgress => "s-progress",
        Standing::Late => "s-not-feasible",
        Standing::NotReported => "s-missing",
    }
}

fn area_url(no: u32) -> String {
    format!("/cong-khai/linh-vuc/{no}")
}

const PROGRESS_RULE: &str = "Tiến độ lấy từ các báo cáo đơn vị đã gửi hoặc đã được tiếp nhận; \
báo cáo đang soạn hoặc bị trả lại chưa được tính. Hoàn thành: mọi đơn vị chủ trì báo cáo hoàn \
thành. Quá hạn: đã qua thời hạn mà đơn vị chủ trì chưa báo cáo hoàn thành.";

/// `/cong-khai`: the plan, each area's progress, what has been published.
pub async fn home(State(st): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let p = Public::new(uri, headers);
    let (o, items) = match async {
        Ok::<_, cchc_app::Error>((
            public::overview(&st).await?,
            public::publications(&st).await?,
        ))
    }
    .await
    {
        Ok(x) => x,
        Err(e) => return p.fail(e),
    };
    let rows: Vec<Stack> = o
        .areas
        .iter()
        .map(|a| {
            let total = a.activities.len();
            Stack {
                label: format!("{}. {}", a.area.no, a.area.title),
                href: area_url(a.area.no),
                parts: Standing::ALL
                    .iter()
                    .map(|s| (standing_class(*s), s.label_vi(), a.count(*s)))
                    .collect(),
                figure: format!("{}/{total} hoàn thành", a.count(Standing::Done)),
            }
        })
        .collect();
    let body = html! {
        (nav())
        h1 { "Công khai kết quả cải cách hành chính " span.en lang="en" { "(public information)" } }
        p.lead { b { (o.title) } }
        p.muted {
            "Quyết định số " (o.decision)
            @if let Some(d) = o.decision_date { " ngày " (date(d)) }
            " · " (o.owner) " · năm " (o.year)
        }
        p { a href=(plan_url(o.plan_id)) { "Xem toàn văn kế hoạch và từng hoạt động" } " · "
            a href="/cong-khai/chi-tieu" { (o.targets) " chỉ tiêu chủ yếu" } }
        h2 { "Tiến độ theo lĩnh vực " span.en lang="en" { "(progress by area)" } }
        p.muted { (PROGRESS_RULE) " Số liệu đến ngày " (date(o.today)) "." }
        (stacked(&rows))
        table.list #linh-vuc {
            thead { tr { th { "Lĩnh vực" } th { "Hoạt động" }
                @for s in Standing::ALL { th { (s.label_vi()) } } } }
            tbody { @for a in &o.areas {
                tr data-area=(a.area.no) {
                    td data-label="Lĩnh vực" { a href=(area_url(a.area.no)) { (a.area.no) ". " (a.area.title) } }
                    td.num data-label="Hoạt động" { (a.activities.len()) }
                    @for s in Standing::ALL { td.num data-label=(s.label_vi()) data-standing=(s.as_str()) { (a.count(s)) } }
                }
            } }
        }
        h2 { "Đã công khai " span.en lang="en" { "(published)" } }
        @if items.is_empty() {
            p { "Cơ quan thường trực CCHC chưa công khai báo cáo hay kết quả xếp hạng nào." }
        } @else {
            ul #da-cong-khai { @for i in &items {
                li { a href=(public::path(i.kind, &i.subject)) { (public::title_vi(i.kind, &i.subject)) }
                    " — ngày " (date(i.published_at.date_naive())) }
            } }
        }
    };
    p.page("Công khai", body)
}

/// `/cong-khai/linh-vuc/{no}`: one area's activities and where each stands.
pub async fn area(
    State(st): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    Path(no): Path<String>,
) -> Response {
    let p = Public::new(uri, headers);
    let o = match public::overview(&st).await {
        Ok(o) => o,
        Err(e) => return p.fail(e),
    };
    let Some(a) = no
        .parse::<u32>()
        .ok()
        .and_then(|no| o.areas.iter().find(|a| a.area.no == no))
    else {
        return AppError::NotFound(p.lang).into_response();
    };
    let body = html! {
        (nav())
        h1 { "Lĩnh vực " (a.area.no) ". " (a.area.title) }
        p.muted { (PROGRESS_RULE) " Số liệu đến ngày " (date(o.today)) "." }
        p { @for (i, s) in Standing::ALL.iter().enumerate() {
            @if i > 0 { " · " }
            (s.label_vi()) ": " b data-standing=(s.as_str()) { (a.count(*s)) }
        } }
        table.list #hoat-dong {
            thead { tr { th { "Số" } th { "Hoạt động" } th { "Thời hạn" } th { "Tình hình" } } }
            tbody { @for l in &a.activities {
                tr data-activity=(l.id) {
                    td data-label="Số" { (l.number) }
                    td data-label="Hoạt động" { a href=(activity_url(o.plan_id, &l.id)) { (l.text) } }
                    td data-label="Thời hạn" { (l.deadline) }
                    td data-label="Tình hình" { span class=(format!("badge {}", standing_class(l.standing))) data-standing=(l.standing.as_str()) { (l.standing.label_vi()) } }
                }
            } }
        }
    };
    p.page(&format!("Lĩnh vực {}", a.area.no), body)
}

/// `/cong-khai/chi-tieu`: the key targets with their values and where each comes from.
pub async fn targets(State(st): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let p = Public::new(uri, headers);
    let t = match public::targets(&st).await {
        Ok(t) => t,
        Err(e) => return p.fail(e),
    };
    let body = html! {
        (nav())
        h1 { "Chỉ tiêu chủ yếu " span.en lang="en" { "(key targets)" } }
        @match t.period {
            Some(period) => p.muted { "Giá trị đến hết " (cchc_app::execution::documents::lower_period(&period.label_vi()))
                ", như báo cáo định kỳ của kỳ này: số liệu giải quyết thủ tục hành chính, sổ theo dõi của cơ quan thường trực và giá trị các đơn vị báo cáo trong báo cáo đã được tiếp nhận." },
            None => p.muted { "Chưa mở kỳ báo cáo nào của năm kế hoạch: chưa có số liệu." },
        }
        @for (area, tf) in &t.targets {
            section.target id=(format!("chi-tieu-{}", tf.code)) data-area=(area) {
                h3 { (tf.code) ". " (tf.text) }
                @if tf.figures.is_empty() { p { "Chưa có số liệu." } }
                @else {
                    table.list {
                        thead { tr { th { "Nguồn, phạm vi" } th { "Cách đo" } th { "Giá trị" } th { "Chỉ tiêu" } th { "Đánh giá" } } }
                        tbody { @for f in &tf.figures {
                            tr { td data-label="Nguồn, phạm vi" { (f.scope) } td data-label="Cách đo" { (f.label) } td data-label="Giá trị" { (f.value) } td data-label="Chỉ tiêu" { (f.threshold) } td data-label="Đánh giá" { (f.status) } }
                        } }
                    }
                }
            }
        }
    };
    p.page("Chỉ tiêu chủ yếu", body)
}

fn timeliness_vi(t: &str) -> &'static str {
    match t {
        "on_time" => "đúng hạn",
        "late" => "trễ hạn",
        _ => "chưa gửi",
    }
}

/// `/cong-khai/don-vi`: each unit's report timeliness in every opened period.
pub async fn timeliness(State(st): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let p = Public::new(uri, headers);
    let periods = match public::timeliness(&st).await {
        Ok(t) => t,
        Err(e) => return p.fail(e),
    };
    let vietnam = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7");
    let body = html! {
        (nav())
        h1 { "Tình hình gửi báo cáo của các đơn vị " span.en lang="en" { "(report timeliness)" } }
        p.muted { "Đúng hạn: gửi trước hạn nộp của kỳ; trễ hạn: gửi sau hạn; chưa gửi: chưa có báo cáo gửi đi." }
        @if periods.is_empty() { p { "Chưa mở kỳ báo cáo nào." } }
        @for pt in &periods {
            @let n = |t: &str| pt.lines.iter().filter(|l| l.timeliness == t).count();
            section id=(format!("ky-{}", pt.period)) {
                h2 { (pt.period.label_vi()) }
                p { "Hạn nộp " (pt.due_at.with_timezone(&vietnam).format("%H:%M ngày %d/%m/%Y")) ": "
                    b { (n("on_time")) } " đúng hạn, " b { (n("late")) } " trễ hạn, "
                    b { (n("missing")) } " chưa gửi, trên " (pt.lines.len()) " đơn vị." }
                table.list {
                    thead { tr { th { "Đơn vị" } th { "Tình hình" } th { "Ngày gửi" } } }
                    tbody { @for l in &pt.lines {
                        tr data-timeliness=(l.timeliness) {
                            td data-label="Đơn vị" { (l.unit_name) }
                            td data-label="Tình hình" { (timeliness_vi(l.timeliness)) }
                            td data-label="Ngày gửi" { @match l.sent_on { Some(d) => (date(d)), None => "—" } }
                        }
                    } }
                }
            }
        }
    };
    p.page("Tình hình gửi báo cáo", body)
}

/// `/cong-khai/chi-so-cchc/{year}`: the communes' ranking, once published; 404 before.
pub async fn ranking(
    State(st): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    Path(year): Path<String>,
) -> Response {
    let p = Public::new(uri, headers);
    let Ok(year) = year.parse::<i32>() else {
        return AppError::NotFound(p.lang).into_response();
    };
    let (publ, r) = match public::ranking(&st, year).await {
        Ok(x) => x,
        Err(e) => return p.fail(e),
    };
    let body = html! {
        (nav())
        h1 { (public::title_vi(PublicationKind::Ranking, &year.to_string())) }
        p.muted { "Công khai ngày " (date(publ.published_at.date_naive())) ". " (r.criteria.set.name())
            @if r.criteria.sample { " (bộ chỉ số mẫu)" } "." }
        p { "Xếp loại: tốt từ " (r.scheme.good) ", khá từ " (r.scheme.fair) ", trung bình từ " (r.scheme.average) " điểm chỉ số." }
        table.list #xep-hang {
            thead { tr { th { "Hạng" } th { "Đơn vị" } th { "Tổng điểm" } th { "Chỉ số" } th { "Xếp loại" } } }
            tbody { @for row in &r.rows {
                tr data-unit=(row.unit.id.as_str()) {
                    td data-label="Hạng" { (row.ranked.rank) }
                    td data-label="Đơn vị" { (row.unit.name) }
                    td data-label="Tổng điểm" { (row.ranked.total) " / " (row.ranked.max) }
                    td data-label="Chỉ số" { (format!("{:.2}", row.ranked.index)) }
                    td data-label="Xếp loại" { (row.band.label_vi()) }
                }
            } }
        }
    };
    p.page(&format!("Xếp hạng chỉ số CCHC {year}"), body)
}

/// `/cong-khai/bao-cao/{period}`: a published periodic report, its summary and its `.docx`.
pub async fn report(
    State(st): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    Path(period): Path<String>,
) -> Response {
    let p = Public::new(uri, headers);
    let (publ, input) = match public::report(&st, &period).await {
        Ok(x) => x,
        Err(e) => return p.fail(e),
    };
    let title = public::title_vi(PublicationKind::Report, &period);
    let body = html! {
        (nav())
        h1 { (title) }
        p.muted { "Công khai ngày " (date(publ.published_at.date_naive())) ". Báo cáo của " (input.issuer)
            " thực hiện " (input.plan_ref) ", lập từ các báo cáo đơn vị đã được tiếp nhận." }
        p { a.button href=(format!("/cong-khai/bao-cao/{period}/bao-cao.docx")) download { "Tải báo cáo (.docx)" } }
        table.list #tom-tat {
            thead { tr { th { "Lĩnh vực" } th { "Việc đã hoàn thành" } th { "Việc chậm, vướng" } th { "Chỉ tiêu" } } }
            tbody { @for a in &input.areas {
                tr data-area=(a.no) {
                    td data-label="Lĩnh vực" { (a.no) ". " (a.title) }
                    td.num data-label="Việc đã hoàn thành" { (a.done.len()) }
                    td.num data-label="Việc chậm, vướng" { (a.late.len()) }
                    td.num data-label="Chỉ tiêu" { (a.targets.len()) }
                }
            } }
        }
        p { a href="/cong-khai/don-vi" { "Tình hình gửi báo cáo của các đơn vị" } }
    };
    p.page(&title, body)
}

/// `/cong-khai/bao-cao/{period}/bao-cao.docx`: the published report's document.
pub async fn report_docx(
    State(st): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    Path(period): Path<String>,
) -> Response {
    let p = Public::new(uri, headers);
    match public::report_docx(&st, &period).await {
        Ok(bytes) => cached(
            &p.headers,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Some((
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{}\"",
                    cchc_app::execution::documents::docx_name(&period)
                ),
            )),
            bytes,
        ),
        Err(e) => p.fail(e),
    }
}

/// `/cong-khai/atom.xml`: the feed of published items.
pub async fn atom(State(st): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let p = Public::new(uri, headers);
    match public::publications(&st).await {
        Ok(items) => cached(
            &p.headers,
            "application/atom+xml; charset=utf-8",
            None,
            super::feed::atom(&items).into_bytes(),
        ),
        Err(e) => p.fail(e),
    }
}

#[derive(serde::Deserialize)]
pub struct PublishForm {
    /// `1` publishes, `0` withdraws.
    bat: String,
}

/// The office's button on the ranking page and the period's documents page: publish or
/// withdraw, then back to the page.
pub async fn publish(
    State(st): State<AppState>,
    req: crate::Req,
    axum::Extension(s): axum::Extension<crate::execution::auth::Session>,
    Path(subject): Path<String>,
    axum::Form(f): axum::Form<PublishForm>,
) -> Response {
    let kind = if req.uri.path().starts_with("/chi-so-cchc/") {
        PublicationKind::Ranking
    } else {
        PublicationKind::Report
    };
    let back = match kind {
        PublicationKind::Ranking => format!("/chi-so-cchc/{subject}"),
        PublicationKind::Report => format!("/bao-cao/ky/{subject}/van-ban"),
    };
    match public::publish(&st, &s, kind, &subject, f.bat.trim() == "1").await {
        Ok(_) => axum::response::Redirect::to(&back).into_response(),
        Err(e) => crate::execution::work::fail(&req, &s, e),
    }
}

/// The publish or withdraw form the office sees on the ranking page and on the period's
/// documents page: the state now and the button that changes it.
pub fn publish_form(
    session: &crate::execution::auth::Session,
    action: &str,
    published: Option<&public::Publication>,
) -> Markup {
    html! {
        form.publish method="post" action=(action) {
            input type="hidden" name="csrf" value=(session.csrf_token);
            @match published {
                Some(p) => {
                    p { "Đã công khai trên trang công khai ngày " (date(p.published_at.date_naive())) ". " }
                    input type="hidden" name="bat" value="0";
                    button type="submit" { "Thôi công khai" }
                }
                None => {
                    p { "Chưa công khai: người dân chưa xem được trên trang công khai." }
                    input type="hidden" name="bat" value="1";
                    button type="submit" { "Công khai" }
                }
            }
        }
    }
}
