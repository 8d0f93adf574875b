//! The commune plans' pages. Handlers read the request, call one `cchc_app::commune_plan`
//! operation and render.

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use cchc_app::commune_plan::{self as cp, Edit, Overview};
use cchc_domain::commune_plan::{CommunePlanStatus, Timeliness};
use cchc_domain::execution::Role;
use cchc_domain::Plan;
use cchc_store::commune_plan::CommunePlanRecord;
use maud::{html, Markup};
use serde::Deserialize;

use crate::execution::auth::Session;
use crate::execution::work::{csrf, fail, page};
use crate::execution::ExecError;
use crate::shell::view::{date, enc};
use crate::{AppState, Req};

fn overview_url(year: i32) -> String {
    format!("/ke-hoach-xa/{year}")
}

fn plan_url(year: i32, unit: &str) -> String {
    format!("/ke-hoach-xa/{year}/{}", enc(unit))
}

fn timeliness_badge(t: Timeliness) -> Markup {
    let class = match t {
        Timeliness::OnTime | Timeliness::Issued => "badge ok",
        Timeliness::Late(_) => "badge overdue",
        Timeliness::NotIssued => "badge st-none",
    };
    html! { span class=(class) { (t.label_vi()) } }
}

/// The current year's overview.
pub async fn home(State(st): State<AppState>) -> Response {
    use chrono::Datelike;
    Redirect::to(&overview_url(st.today().year())).into_response()
}

pub async fn overview(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path(year): Path<i32>,
) -> Response {
    match cp::overview(&st, year).await {
        Ok(o) => page(
            &req,
            &s,
            &format!("Kế hoạch CCHC của các xã năm {year}"),
            true,
            overview_body(&s, &o),
        ),
        Err(e) => fail(&req, &s, e),
    }
}

fn overview_body(s: &Session, o: &Overview) -> Markup {
    let year = o.year;
    html! {
        h1 { "Kế hoạch CCHC năm " (year) " của các xã, thị trấn "
             span.en lang="en" { "(communes' reform plans)" } }
        @match o.due {
            Some(d) => p { "Hạn ban hành theo kế hoạch của huyện: " b #han-ban-hanh { (date(d)) } },
            None => p.notice { "Kế hoạch của huyện không ghi hạn ban hành kế hoạch của xã." },
        }
        p.counts {
            "Đã ban hành: " b #so-da-ban-hanh { (o.issued) } " / " (o.rows.len()) " · "
            "Đúng hạn: " b #so-dung-han { (o.on_time) } " · "
            "Muộn: " b #so-muon { (o.late) } " · "
            "Chưa ban hành: " b #so-chua-ban-hanh { (o.not_issued) } " · "
            "Đang dự thảo: " b #so-du-thao { (o.drafts) }
        }
        @if s.user.role == Role::StandingOffice {
            form.inline method="post" action=(format!("/ke-hoach-xa/{year}/lap-du-thao")) {
                (csrf(s))
                label { "Đơn vị "
                    select name="don_vi" {
                        option value="" { "Tất cả các xã, thị trấn" }
                        @for r in &o.rows { option value=(r.unit.id.as_str()) { (r.unit.name) } }
                    }
                }
                button type="submit" #lap-du-thao { "Lập dự thảo từ kế hoạch của huyện" }
            }
        }
        table.list {
            thead { tr { th { "Đơn vị" } th { "Trạng thái" } th { "Số hiệu" } th { "Ngày ban hành" } th { "Đúng hạn" } } }
            tbody { @for r in &o.rows {
                tr data-unit=(r.unit.id.as_str()) {
                    td data-label="Đơn vị" { a href=(plan_url(year, r.unit.id.as_str())) { (r.unit.name) } }
                    td data-label="Trạng thái" {
                        @match r.status {
                            Some(st) => { (st.label_vi()) @if r.imported { " (nhập từ văn bản)" } },
                            None => "Chưa có dự thảo",
                        }
                    }
                    td data-label="Số hiệu" { @if let Some(i) = &r.issue { (i.number) } }
                    td data-label="Ngày ban hành" { @if let Some(i) = &r.issue { (date(i.date)) } }
                    td data-label="Đúng hạn" { (timeliness_badge(r.timeliness)) }
                }
            } }
        }
    }
}

#[derive(Deserialize)]
pub struct GenerateForm {
    #[serde(default)]
    don_vi: String,
    /// Set by the confirmation form: replace drafts the communes edited.
    #[serde(default)]
    ghi_de: Option<String>,
}

pub async fn generate(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path(year): Path<i32>,
    Form(f): Form<GenerateForm>,
) -> Response {
    let only = Some(f.don_vi.trim()).filter(|u| !u.is_empty());
    let g = match cp::generate(&st, &s, year, only, f.ghi_de.is_some()).await {
        Ok(g) => g,
        Err(e) => return fail(&req, &s, e),
    };
    let body = html! {
        h1 { "Lập dự thảo kế hoạch của xã năm " (year) }
        p #da-lap { "Đã lập dự thảo cho " b { (g.written.len()) } " đơn vị"
            @if !g.written.is_empty() { ": " (g.written.join(", ")) } "." }
        @if !g.issued.is_empty() {
            p { "Đã ban hành, giữ nguyên: " (g.issued.join(", ")) "." }
        }
        @if !g.kept_edited.is_empty() {
            p.notice role="alert" #da-sua { "Các xã đã sửa dự thảo, chưa lập lại: " (g.kept_edited.join(", "))
                ". Lập lại sẽ xóa các chỉnh sửa của xã." }
            form method="post" action=(format!("/ke-hoach-xa/{year}/lap-du-thao")) {
                (csrf(&s))
                input type="hidden" name="don_vi" value=(f.don_vi);
                input type="hidden" name="ghi_de" value="1";
                button type="submit" { "Vẫn lập lại, ghi đè chỉnh sửa của xã" }
            }
        }
        p { a href=(overview_url(year)) { "Về danh sách kế hoạch của các xã" } }
    };
    page(&req, &s, "Lập dự thảo kế hoạch của xã", false, body)
}

/// Whether the account edits and issues this commune's plan.
fn writes(s: &Session, unit: &str) -> bool {
    s.user.unit == unit && matches!(s.user.role, Role::Reporter | Role::UnitHead)
}

pub async fn plan_page(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path((year, unit)): Path<(i32, String)>,
) -> Response {
    let rec = match cp::get(&st, &s, year, &unit).await {
        Ok(r) => r,
        Err(e) => return fail(&req, &s, e),
    };
    let body = match &rec {
        None => html! {
            h1 { "Kế hoạch CCHC năm " (year) }
            p { "Chưa có dự thảo kế hoạch của đơn vị này: cơ quan thường trực lập dự thảo từ kế hoạch của huyện." }
            (import_form(&s, year, &unit))
            p { a href=(overview_url(year)) { "Về danh sách kế hoạch của các xã" } }
        },
        Some(r) => plan_body(&s, r),
    };
    page(&req, &s, "Kế hoạch CCHC của xã", true, body)
}

fn plan_body(s: &Session, r: &CommunePlanRecord) -> Markup {
    let (year, unit) = (r.year, r.unit.as_str());
    let editable = r.status == CommunePlanStatus::Draft && writes(s, unit);
    let p = &r.plan;
    html! {
        h1 { (p.decision.title) }
        p { "Trạng thái: " b #trang-thai { (r.status.label_vi()) }
            @if let Some(i) = &r.issue {
                " · Số hiệu " b #so-hieu { (i.number) } " ngày " (date(i.date))
                @if let Some(f) = &i.file_id { " · " a href=(format!("/api/v1/files/{f}")) { "Tệp kế hoạch đã ký" } }
            }
        }
        p { "Căn cứ: " (p.decision.legal_basis.join("; "))
            " (kế hoạch của huyện mã " (r.parent.plan_id) ", phiên bản " code { (r.parent.version) } ")" }
        @if !p.targets.is_empty() {
            h2 { "Chỉ tiêu áp dụng cho cấp xã" }
            ul { @for t in &p.targets { li { b { (t.code) } " " (t.text) } } }
        }
        h2 { "Hoạt động " span.en lang="en" { "(activities)" } }
        (activities_table(s, r, p, editable))
        @if editable {
            h2 { "Thêm hoạt động của xã" }
            form method="post" action=(format!("{}/sua", plan_url(year, unit))) {
                (csrf(s))
                input type="hidden" name="thao_tac" value="them";
                label { "Nội dung " input type="text" name="noi_dung" required; }
                label { "Kết quả, sản phẩm " input type="text" name="ket_qua"; }
                label { "Thời gian hoàn thành " input type="text" name="thoi_han" placeholder="Quý II/2024" required; }
                button type="submit" { "Thêm hoạt động" }
            }
            h2 { "Ban hành kế hoạch " span.en lang="en" { "(issue)" } }
            form #ban-hanh method="post" action=(format!("{}/ban-hanh", plan_url(year, unit))) enctype="multipart/form-data" {
                (csrf(s))
                label { "Số hiệu " input type="text" name="so_hieu" placeholder="15/KH-UBND" required; }
                label { "Ngày ban hành " input type="date" name="ngay" required; }
                label { "Tệp kế hoạch đã ký (PDF, DOCX, …) " input type="file" name="tep" required; }
                button type="submit" { "Ban hành" }
            }
        }
        @if r.status == CommunePlanStatus::Draft { (import_form(s, year, unit)) }
        p { a href=(overview_url(year)) { "Về danh sách kế hoạch của các xã" } }
    }
}

fn activities_table(s: &Session, r: &CommunePlanRecord, p: &Plan, editable: bool) -> Markup {
    let action = format!("{}/sua", plan_url(r.year, &r.unit));
    html! {
        table.list {
            thead { tr { th { "Số" } th { "Hoạt động" } th { "Kết quả, sản phẩm" } th { "Thời gian hoàn thành" }
                @if editable { th { "" } } } }
            tbody { @for c in p.activities() {
                @let a = c.activity;
                tr data-key=(a.id) {
                    td data-label="Số" { (c.number()) }
                    td data-label="Hoạt động" { (a.text) }
                    @if editable {
                        td colspan="2" {
                            form.inline method="post" action=(action) {
                                (csrf(s))
                                input type="hidden" name="thao_tac" value="sua";
                                input type="hidden" name="key" value=(a.id);
                                input type="text" name="ket_qua" aria-label="Kết quả, sản phẩm" value=(a.outputs.as_deref().unwrap_or(""));
                                input type="text" name="thoi_han" aria-label="Thời gian hoàn thành" value=(a.deadline.as_ref().map(|d| d.text.as_str()).unwrap_or(""));
                                button type="submit" { "Lưu" }
                            }
                        }
                        td {
                            form.inline method="post" action=(action) {
                                (csrf(s))
                                input type="hidden" name="thao_tac" value="bo";
                                input type="hidden" name="key" value=(a.id);
                                button type="submit" { "Bỏ" }
                            }
                        }
                    } @else {
                        td data-label="Kết quả, sản phẩm" { (a.outputs.as_deref().unwrap_or("")) }
                        td data-label="Thời gian hoàn thành" { (a.deadline.as_ref().map(|d| d.text.as_str()).unwrap_or("")) }
                    }
                }
            } }
        }
    }
}

fn import_form(s: &Session, year: i32, unit: &str) -> Markup {
    let may = s.user.role == Role::StandingOffice || writes(s, unit);
    html! {
        @if may {
            h2 { "Nhập kế hoạch đã ban hành từ văn bản " span.en lang="en" { "(import)" } }
            p { "Tệp văn bản (.txt) của kế hoạch đã ký; các khác biệt với dự thảo lập từ kế hoạch của huyện được liệt kê." }
            form method="post" action=(format!("{}/nhap", plan_url(year, unit))) enctype="multipart/form-data" {
                (csrf(s))
                label { "Tệp " input type="file" name="tep" accept=".txt" required; }
                button type="submit" { "Nhập kế hoạch" }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct EditForm {
    thao_tac: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    ket_qua: String,
    #[serde(default)]
    thoi_han: String,
    #[serde(default)]
    noi_dung: String,
}

pub async fn edit(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path((year, unit)): Path<(i32, String)>,
    Form(f): Form<EditForm>,
) -> Response {
    let e = match f.thao_tac.as_str() {
        "bo" => Edit::Remove { key: f.key },
        "sua" => Edit::Change {
            key: f.key,
            outputs: f.ket_qua,
            deadline: f.thoi_han,
        },
        "them" => Edit::Add {
            text: f.noi_dung,
            outputs: f.ket_qua,
            deadline: f.thoi_han,
        },
        other => {
            return fail(
                &req,
                &s,
                ExecError::invalid(format!("Thao tác «{other}» không có (bo, sua, them)")),
            )
        }
    };
    match cp::edit(&st, &s, year, &unit, e).await {
        Ok(()) => Redirect::to(&plan_url(year, &unit)).into_response(),
        Err(e) => fail(&req, &s, e),
    }
}

/// The fields of a multipart form, text and at most one file (`tep`).
async fn read_multipart(
    mut m: Multipart,
) -> Result<(Vec<(String, String)>, Option<(String, Vec<u8>)>), ExecError> {
    let mut fields = Vec::new();
    let mut file = None;
    while let Some(f) = m
        .next_field()
        .await
        .map_err(|e| ExecError::invalid(format!("biểu mẫu không đọc được: {e}")))?
    {
        let name = f.name().unwrap_or("").to_string();
        let fname = f.file_name().map(str::to_string);
        let bytes = f
            .bytes()
            .await
            .map_err(|e| ExecError::invalid(format!("tệp gửi lên không đọc được: {e}")))?;
        if name == "tep" {
            file = Some((fname.unwrap_or_else(|| "tep".into()), bytes.to_vec()));
        } else {
            fields.push((name, String::from_utf8_lossy(&bytes).to_string()));
        }
    }
    Ok((fields, file))
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

pub async fn issue(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path((year, unit)): Path<(i32, String)>,
    m: Multipart,
) -> Response {
    let done = async {
        let (fields, file) = read_multipart(m).await?;
        let file = file.as_ref().map(|(n, b)| (n.as_str(), b.as_slice()));
        cp::issue(
            &st,
            &s,
            year,
            &unit,
            field(&fields, "so_hieu"),
            field(&fields, "ngay"),
            file,
        )
        .await?;
        Ok::<_, ExecError>(())
    }
    .await;
    match done {
        Ok(()) => Redirect::to(&plan_url(year, &unit)).into_response(),
        Err(e) => fail(&req, &s, e),
    }
}

pub async fn import(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path((year, unit)): Path<(i32, String)>,
    m: Multipart,
) -> Response {
    let done = async {
        let (_, file) = read_multipart(m).await?;
        let (_, bytes) = file
            .filter(|(_, b)| !b.is_empty())
            .ok_or_else(|| ExecError::invalid("Tệp văn bản kế hoạch: chưa chọn tệp"))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            ExecError::invalid("Tệp văn bản kế hoạch: không phải văn bản UTF-8 (.txt)")
        })?;
        Ok::<_, ExecError>(cp::import(&st, &s, year, &unit, &text).await?)
    }
    .await;
    let i = match done {
        Ok(i) => i,
        Err(e) => return fail(&req, &s, e),
    };
    let body = html! {
        h1 { "Đã nhập kế hoạch số " (i.number) }
        @if let Some(d) = i.date { p { "Ngày ban hành: " (date(d)) } }
        h2 { "Khác biệt so với dự thảo lập từ kế hoạch của huyện" }
        @if i.differences.is_empty() { p #khong-khac { "Không có khác biệt." } }
        @else { ul #khac-biet { @for d in &i.differences { li { (d) } } } }
        p { a href=(plan_url(year, &unit)) { "Xem kế hoạch" } }
    };
    page(&req, &s, "Nhập kế hoạch của xã", false, body)
}
