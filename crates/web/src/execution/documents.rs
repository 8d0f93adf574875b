//! The period's documents on the web (văn bản của kỳ): the page with the report button and the
//! table links, and the downloads; the files are made by `cchc_app::execution::documents`.

use axum::extract::{Path, State};
use axum::http::header;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::html;

use cchc_app::execution::documents::{docx_name, report_docx, table_xlsx, TableKind};
use cchc_app::execution::{self as service};

use super::auth::{authorize, READ_ALL};
use super::ExecError;
use crate::{AppState, Req};

/// The period's documents: a page with the report button and the table links, and the files.
/// Standing office, leaders and administrators.
pub fn routes(state: &AppState) -> Router<AppState> {
    let allow = || from_fn_with_state((state.clone(), READ_ALL), authorize);
    Router::new()
        .route(
            "/bao-cao/ky/{period}/van-ban",
            get(page).route_layer(allow()),
        )
        .route(
            "/bao-cao/ky/{period}/bao-cao.docx",
            get(docx).route_layer(allow()),
        )
        .route(
            "/bao-cao/ky/{period}/{table}",
            get(xlsx).route_layer(allow()),
        )
}

/// A refusal on the documents page, with its status and Vietnamese message.
fn refused(req: &Req, e: cchc_app::Error) -> Response {
    let e = ExecError::from(e);
    (
        e.status,
        req.view()
            .page("Văn bản", false, html! { p.error { (e.message) } }),
    )
        .into_response()
}

async fn page(State(st): State<AppState>, req: Req, Path(period): Path<String>) -> Response {
    let (rec, p) = match service::get_period(&st, &period).await {
        Ok(x) => x,
        Err(e) => return refused(&req, e),
    };
    let label = p.label_vi();
    let published = match cchc_app::public::published(
        &st,
        cchc_app::public::PublicationKind::Report,
        &rec.code,
    )
    .await
    {
        Ok(p) => p,
        Err(e) => return refused(&req, e),
    };
    let office = req.account.as_ref().map(|a| &a.session).filter(|s| {
        matches!(
            s.user.role,
            cchc_domain::execution::Role::StandingOffice | cchc_domain::execution::Role::Admin
        )
    });
    let body = html! {
        h1 { "Văn bản, bảng tính kỳ " (label) }
        @if let Some(s) = office {
            (crate::public::pages::publish_form(s, &format!("/bao-cao/ky/{}/cong-khai", rec.code), published.as_ref()))
        }
        p { "Báo cáo kết quả thực hiện công tác CCHC của huyện theo thể thức Nghị định 30/2020/NĐ-CP, lập từ các báo cáo đã được chấp nhận, số liệu giải quyết TTHC và tình hình gửi báo cáo của các đơn vị." }
        p { a.button href=(format!("/bao-cao/ky/{}/bao-cao.docx", rec.code)) { "Tải báo cáo kỳ (.docx)" } }
        h2 { "Bảng tính (.xlsx)" }
        ul {
            li { a href=(format!("/bao-cao/ky/{}/ma-tran.xlsx", rec.code)) { "Tình hình thực hiện từng hoạt động" } }
            li { a href=(format!("/bao-cao/ky/{}/bang-theo-doi.xlsx", rec.code)) { "Tình hình gửi báo cáo của các đơn vị" } }
            li { a href=(format!("/bao-cao/ky/{}/chi-so.xlsx", rec.code)) { "Chỉ số giải quyết TTHC theo đơn vị và kỳ" } }
        }
        p { a href="/bao-cao" { "← Kỳ báo cáo" } }
    };
    req.view()
        .page(&format!("Văn bản kỳ {label}"), false, body)
        .into_response()
}

pub(crate) fn file(name: &str, mime: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

pub(crate) const DOCX: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn docx(State(st): State<AppState>, Path(period): Path<String>) -> Response {
    match report_docx(&st, &period, None).await {
        Ok(b) => file(&docx_name(&period), DOCX, b),
        Err(e) => ExecError::from(e).into_response(),
    }
}

async fn xlsx(
    State(st): State<AppState>,
    Path((period, table)): Path<(String, String)>,
) -> Response {
    let kind = match table.as_str() {
        "ma-tran.xlsx" => TableKind::Matrix,
        "bang-theo-doi.xlsx" => TableKind::Board,
        "chi-so.xlsx" => TableKind::Indicators,
        _ => return ExecError::not_found(format!("không có bảng «{table}»")).into_response(),
    };
    match table_xlsx(&st, &period, kind).await {
        Ok(b) => file(&format!("{}-{period}", table), XLSX, b),
        Err(e) => ExecError::from(e).into_response(),
    }
}
