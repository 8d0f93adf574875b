//! The public satisfaction survey (khảo sát sự hài lòng, SIPAS-style): a form per unit, no
//! sign-in; its QR code; the results for the office and the unit.
//!
//! Anonymous answers are bounded by a random device id in a cookie (`ks_dev`, one year; the
//! store keeps only its SHA-256): one answer per device, unit and day; and by the address:
//! at most [`ri::SURVEY_PER_ADDRESS_PER_HOUR`] answers an hour, refused with a 429 page. CSRF is
//! a double-submit token: the form's hidden `csrf` field must equal the `ks_csrf` cookie
//! (`SameSite=Strict`), which another site can neither read nor set.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use cchc_app::reform_index as ri;
use cchc_domain::evaluation::{SatisfactionSummary, SipasFactor};
use cchc_domain::Period;
use maud::{html, Markup};
use serde::Deserialize;

use crate::execution::auth::{client_addr, secure, Session};
use crate::execution::work::{fail, page};
use crate::execution::ExecError;
use crate::{AppState, Req};

const DEVICE: &str = "ks_dev";
const CSRF: &str = "ks_csrf";

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(name)?.strip_prefix('='))
        .filter(|v| !v.is_empty())
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A public page (no account navigation) with its status.
fn public(req: &Req, status: StatusCode, title: &str, body: Markup) -> Response {
    (status, req.view().page(title, false, body)).into_response()
}

fn refusal(req: &Req, e: impl Into<ExecError>, unit: &str) -> Response {
    let e: ExecError = e.into();
    let body = html! {
        h1 { "Không gửi được phiếu khảo sát" }
        p.error role="alert" { (e.message) }
        p { a href=(format!("/khao-sat/{unit}")) { "Về phiếu khảo sát" } }
    };
    public(req, e.status, "Khảo sát sự hài lòng", body)
}

fn form_url(state: &AppState, headers: &HeaderMap, unit: &str) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if secure(state, headers) {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}/khao-sat/{unit}")
}

pub async fn form(
    State(st): State<AppState>,
    req: Req,
    Path(unit): Path<String>,
    headers: HeaderMap,
) -> Response {
    let u = match ri::survey_unit(&st, &unit).await {
        Ok(u) => u,
        Err(e) => return refusal(&req, e, &unit),
    };
    let flags = if secure(&st, &headers) {
        "; Secure"
    } else {
        ""
    };
    let mut set_cookies = Vec::new();
    if cookie(&headers, DEVICE).is_none() {
        let id = cchc_app::execution::random_token();
        set_cookies.push(format!(
            "{DEVICE}={id}; Path=/khao-sat; Max-Age=31536000; HttpOnly; SameSite=Lax{flags}"
        ));
    }
    let token = match cookie(&headers, CSRF) {
        Some(t) => t.to_string(),
        None => {
            let t = cchc_app::execution::random_token();
            set_cookies.push(format!(
                "{CSRF}={t}; Path=/khao-sat; HttpOnly; SameSite=Strict{flags}"
            ));
            t
        }
    };
    let body = html! {
        h1 { "Phiếu khảo sát sự hài lòng" }
        p.en lang="en" { "Satisfaction survey (anonymous)" }
        h2 { (u.name) }
        p { "Phiếu không ghi tên. Mỗi câu chọn một mức từ 1 (rất không hài lòng) đến 5 (rất hài lòng); câu nào không có ý kiến thì để trống. Mỗi thiết bị gửi một phiếu cho một đơn vị mỗi ngày." }
        form method="post" action=(format!("/khao-sat/{unit}")) #phieu {
            input type="hidden" name="csrf" value=(token);
            @for (k, f) in SipasFactor::ALL.iter().enumerate() {
                fieldset.sipas {
                    legend { (k + 1) ". " (f.label_vi()) }
                    @for v in 1..=5u8 {
                        label { input type="radio" name=(format!("f{}", k + 1)) value=(v); " " (v) }
                    }
                }
            }
            label { "Ý kiến khác (không bắt buộc) " textarea name="y_kien" rows="3" maxlength="2000" {} }
            button type="submit" { "Gửi phiếu" }
        }
    };
    let mut resp = public(&req, StatusCode::OK, "Khảo sát sự hài lòng", body);
    for c in set_cookies {
        if let Ok(v) = c.parse() {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        "no-store".parse().expect("a header value"),
    );
    resp
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    csrf: String,
    f1: Option<String>,
    f2: Option<String>,
    f3: Option<String>,
    f4: Option<String>,
    f5: Option<String>,
    #[serde(default)]
    y_kien: String,
}

pub async fn answer(
    State(st): State<AppState>,
    req: Req,
    Path(unit): Path<String>,
    request: axum::extract::Request,
) -> Response {
    use axum::extract::FromRequest;
    let headers = request.headers().clone();
    let addr = client_addr(request.extensions());
    let Form(f) = match Form::<AnswerForm>::from_request(request, &st).await {
        Ok(f) => f,
        Err(e) => {
            return refusal(
                &req,
                ExecError::invalid(format!("phiếu khảo sát không đọc được: {e}")),
                &unit,
            )
        }
    };
    if !cookie(&headers, CSRF).is_some_and(|t| same(t, &f.csrf)) {
        tracing::warn!(unit = %unit, "survey answer without a matching CSRF token refused");
        return refusal(
            &req,
            ExecError::forbidden(
                "phiếu khảo sát: thiếu hoặc sai mã chống giả mạo; hãy mở lại phiếu rồi gửi",
            ),
            &unit,
        );
    }
    let mut ratings = [None; 5];
    for (k, v) in [&f.f1, &f.f2, &f.f3, &f.f4, &f.f5].into_iter().enumerate() {
        if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            match v.parse::<u8>() {
                Ok(n) => ratings[k] = Some(n),
                Err(_) => {
                    return refusal(
                        &req,
                        ExecError::invalid(format!(
                            "phiếu khảo sát, câu {}: mức «{v}» không hợp lệ",
                            k + 1
                        )),
                        &unit,
                    )
                }
            }
        }
    }
    let device = cookie(&headers, DEVICE).unwrap_or("");
    let done = ri::answer_survey(
        &st,
        ri::SurveyForm {
            unit: &unit,
            ratings,
            comment: &f.y_kien,
            device,
            addr: &addr,
        },
    )
    .await;
    match done {
        Ok(()) => public(
            &req,
            StatusCode::OK,
            "Khảo sát sự hài lòng",
            html! {
                h1 { "Cảm ơn ông, bà đã gửi phiếu" }
                p #da-gui role="status" { "Phiếu khảo sát đã được ghi nhận." }
            },
        ),
        Err(e) => refusal(&req, e, &unit),
    }
}

/// The form's address as a QR code (SVG), for printing at the unit's one-stop desk.
pub async fn qr(
    State(st): State<AppState>,
    req: Req,
    Path(unit): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(e) = ri::survey_unit(&st, &unit).await {
        return refusal(&req, e, &unit);
    }
    let url = form_url(&st, &headers, &unit);
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color>()
                .min_dimensions(240, 240)
                .build();
            ([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response()
        }
        Err(e) => refusal(
            &req,
            cchc_app::Error::internal(format!("không tạo được mã QR: {e}")),
            &unit,
        ),
    }
}

#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    ky: Option<String>,
}

fn period_of(st: &AppState, q: &PeriodQuery) -> Result<Period, ExecError> {
    match q.ky.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => Period::parse(k).map_err(|m| ExecError::invalid(format!("kỳ «{k}»: {m}"))),
        None => Ok(Period::Year(chrono::Datelike::year(&st.today()))),
    }
}

fn pct(s: &SatisfactionSummary) -> String {
    s.overall
        .percent()
        .map_or("chưa có đánh giá".to_string(), |p| format!("{p:.1}%"))
}

pub async fn results(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path(unit): Path<String>,
    Query(q): Query<PeriodQuery>,
    headers: HeaderMap,
) -> Response {
    let r = async {
        let period = period_of(&st, &q)?;
        Ok::<_, ExecError>(ri::survey_results(&st, &s, &unit, period).await?)
    }
    .await;
    let r = match r {
        Ok(r) => r,
        Err(e) => return fail(&req, &s, e),
    };
    let url = form_url(&st, &headers, &unit);
    let body = html! {
        h1 { "Khảo sát sự hài lòng: " (r.unit.name) " " span.en lang="en" { "(survey results)" } }
        form method="get" { label { "Kỳ " input type="text" name="ky" value=(r.period.to_string()); } button { "Xem" } }
        p { "Kỳ " (r.period.to_string()) ": " b { (r.summary.answers) } " phiếu; mức độ hài lòng chung "
            b #hai-long { (pct(&r.summary)) } " (đánh giá mức 4, 5 trên mọi đánh giá)." }
        p #phieu-giay { "Trong đó phiếu giấy do cơ quan thường trực nhập: " b { (r.paper.answers) }
            " phiếu (" (pct(&r.paper)) "); trực tuyến: " b { (r.summary.answers - r.paper.answers) } " phiếu." }
        table.list {
            thead { tr { th { "Yếu tố" } th { "Hài lòng" } th { "Tỷ lệ" } } }
            tbody { @for f in SipasFactor::ALL {
                @let x = r.summary.factor(f);
                tr { td { (f.label_vi()) } td { (x.numerator) " / " (x.denominator) }
                     td { (x.percent().map_or("—".to_string(), |p| format!("{p:.1}%"))) } }
            } }
        }
        @if !r.comments.is_empty() {
            h2 { "Ý kiến" }
            ul { @for (d, c) in &r.comments { li { (d.format("%d/%m/%Y")) ": " (c) } } }
        }
        section.print-qr {
            h2 { "Mã QR của phiếu khảo sát (để in)" }
            img src=(format!("/khao-sat/{unit}/qr.svg")) alt=(format!("Mã QR dẫn tới {url}")) width="240" height="240";
            p { a href=(url.clone()) { (url) } }
        }
    };
    page(&req, &s, "Kết quả khảo sát", true, body)
}

pub async fn overview(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Query(q): Query<PeriodQuery>,
) -> Response {
    let r = async {
        let period = period_of(&st, &q)?;
        let (all, units) = ri::survey_overview(&st, &s, period).await?;
        Ok::<_, ExecError>((period, all, units))
    }
    .await;
    let (period, all, units) = match r {
        Ok(r) => r,
        Err(e) => return fail(&req, &s, e),
    };
    let ky = period.to_string();
    let body = html! {
        h1 { "Khảo sát sự hài lòng " span.en lang="en" { "(satisfaction survey)" } }
        form method="get" { label { "Kỳ " input type="text" name="ky" value=(ky); } button { "Xem" } }
        p { "Toàn huyện, kỳ " (ky) ": " (all.answers) " phiếu, hài lòng " b #hai-long-chung { (pct(&all)) } " (chỉ tiêu 3.6: ≥ 94%)." }
        table.list {
            thead { tr { th { "Đơn vị" } th { "Phiếu" } th { "Hài lòng" } th { "" } } }
            tbody { @for (u, x) in &units {
                tr data-unit=(u.id.as_str()) {
                    td { (u.name) } td { (x.answers) } td { (pct(x)) }
                    td { a href=(format!("/khao-sat/{}/ket-qua?ky={ky}", u.id)) { "Kết quả, mã QR" } " · "
                         a href=(format!("/khao-sat/{}", u.id)) { "Phiếu" } }
                }
            } }
        }
    };
    page(&req, &s, "Khảo sát sự hài lòng", true, body)
}
