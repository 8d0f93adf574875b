//! The reform-index pages: the criteria set and its import, the year's ranking (and its
//! `.xlsx`), a commune's scorecard with the self-score and appraisal forms. Handlers read the
//! request, call `cchc_app::reform_index` and render.

use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use cchc_app::reform_index as ri;
use cchc_docs::xlsx_table::{write_table_xlsx, Column, TableSheet, Value};
use cchc_domain::evaluation::{
    Appraisal, AppraisalDecision, CriterionCode, CriterionKind, Evidence, Points, SelfScore,
};
use maud::{html, Markup};
use serde::Deserialize;

use crate::execution::auth::Session;
use crate::execution::work::{fail, page};
use crate::execution::ExecError;
use crate::{AppState, Req};

fn csrf(s: &Session) -> Markup {
    html! { input type="hidden" name="csrf" value=(s.csrf_token); }
}

fn card_url(year: i32, unit: &str) -> String {
    format!("/chi-so-cchc/{year}/{unit}")
}

fn sample_note(sample: bool, source: &str) -> Markup {
    html! {
        @if sample { p.notice #mau role="note" { b { "Bộ chỉ số mẫu. " } (source) } }
        @else { p { "Căn cứ: " (source) } }
    }
}

fn nav(year: i32) -> Markup {
    html! {
        nav.toc aria-label="Chỉ số CCHC cấp xã" {
            a href=(format!("/chi-so-cchc/{year}")) { "Xếp hạng chỉ số CCHC " (year) }
            a href="/chi-so-cchc/bo-tieu-chi" { "Bộ tiêu chí" }
            a href="/khao-sat" { "Khảo sát sự hài lòng" }
        }
    }
}

pub async fn home(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
) -> Response {
    match ri::years(&st).await {
        Ok(y) => Redirect::to(&format!(
            "/chi-so-cchc/{}",
            y.first().copied().unwrap_or(2024)
        ))
        .into_response(),
        Err(e) => fail(&req, &s, e),
    }
}

// ---------------------------------------------------------------------------------------------
// Criteria set

pub async fn criteria_page(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
) -> Response {
    let years = match ri::years(&st).await {
        Ok(y) => y,
        Err(e) => return fail(&req, &s, e),
    };
    let year = years.first().copied().unwrap_or(2024);
    let view = match ri::criteria_set(&st, year).await {
        Ok(v) => v,
        Err(e) => return fail(&req, &s, e),
    };
    let set = &view.set;
    let office = matches!(
        s.user.role,
        cchc_domain::execution::Role::StandingOffice | cchc_domain::execution::Role::Admin
    );
    let body = html! {
        (nav(year))
        h1 { "Bộ tiêu chí chỉ số CCHC cấp xã " span.en lang="en" { "(reform index criteria)" } }
        h2 { (set.name()) " — năm " (set.year()) }
        (sample_note(view.sample, set.source()))
        p { "Tổng " b { (set.total()) } " điểm: tự đánh giá "
            (set.points_of(CriterionKind::SelfAssessed)) ", điều tra xã hội học "
            (set.points_of(CriterionKind::Survey)) " (điểm điều tra = điểm tối đa × tỷ lệ đánh giá hài lòng của khảo sát trong năm)." }
        table.list {
            thead { tr { th { "Mã" } th { "Tiêu chí" } th { "Điểm tối đa" } th { "Loại" } th { "Minh chứng" } } }
            tbody { @for c in set.criteria() {
                tr class=(format!("depth{}", c.depth)) {
                    td { (c.code) } td { (c.name) } td { (c.max_points) }
                    td { @if c.is_leaf { (c.kind.label_vi()) } }
                    td { @if c.is_leaf { (c.evidence.label_vi()) } }
                }
            } }
        }
        @if office {
            h2 { "Nhập bộ tiêu chí " span.en lang="en" { "(import)" } }
            p { "Tệp CSV hoặc XLSX, mỗi dòng một tiêu chí: cột ma, ma_cha (tùy chọn), ten, diem_toi_da, loai (tu_danh_gia, dieu_tra), cach_cham, minh_chung. Tệp có lỗi thì không nhập gì." }
            form method="post" action="/chi-so-cchc/bo-tieu-chi/nhap" enctype="multipart/form-data" {
                (csrf(&s))
                label { "Năm " input type="number" name="nam" value=(year) required; }
                label { "Tên bộ chỉ số " input type="text" name="ten" required; }
                label { "Căn cứ (văn bản ban hành) " input type="text" name="can_cu"; }
                label { "Tổng điểm " input type="text" name="tong_diem" value="100" required; }
                label { "Tệp " input type="file" name="tep" accept=".csv,.xlsx" required; }
                button type="submit" { "Nhập bộ tiêu chí" }
            }
        }
    };
    page(&req, &s, "Bộ tiêu chí chỉ số CCHC", true, body)
}

pub async fn import_criteria(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    mut m: Multipart,
) -> Response {
    let done = async {
        let (mut year, mut name, mut source, mut total) =
            (String::new(), String::new(), String::new(), String::new());
        let mut file: Option<(String, Vec<u8>)> = None;
        while let Some(f) = m.next_field().await.map_err(|e| {
            ExecError::invalid(format!("biểu mẫu nhập bộ chỉ số không đọc được: {e}"))
        })? {
            let field = f.name().unwrap_or("").to_string();
            let fname = f.file_name().map(str::to_string);
            let bytes = f
                .bytes()
                .await
                .map_err(|e| ExecError::invalid(format!("tệp bộ chỉ số không đọc được: {e}")))?;
            let text = || String::from_utf8_lossy(&bytes).to_string();
            match field.as_str() {
                "nam" => year = text(),
                "ten" => name = text(),
                "can_cu" => source = text(),
                "tong_diem" => total = text(),
                "tep" => file = Some((fname.unwrap_or_else(|| "tep.csv".into()), bytes.to_vec())),
                _ => {}
            }
        }
        let year: i32 = year
            .trim()
            .parse()
            .map_err(|_| ExecError::invalid(format!("bộ chỉ số: năm «{year}» không hợp lệ")))?;
        let total = Points::parse(total.trim())
            .map_err(|m| ExecError::invalid(format!("bộ chỉ số: tổng điểm: {m}")))?;
        let (fname, bytes) = file
            .filter(|(_, b)| !b.is_empty())
            .ok_or_else(|| ExecError::invalid("bộ chỉ số: chưa chọn tệp"))?;
        let meta = ri::meta(year, &name, &source, total)?;
        let tmp = temp_copy("bo-chi-so-", &fname, &bytes)?;
        let set = ri::import_criteria_as(&st, &s, tmp.path(), meta).await?;
        Ok::<_, ExecError>(set.year())
    }
    .await;
    match done {
        Ok(_) => Redirect::to("/chi-so-cchc/bo-tieu-chi").into_response(),
        Err(e) => fail(&req, &s, e),
    }
}

/// An uploaded CSV or XLSX file in a temporary file (the readers take a path; XLSX is told by
/// its extension), removed when dropped.
pub(crate) fn temp_copy(
    prefix: &str,
    fname: &str,
    bytes: &[u8],
) -> Result<tempfile::NamedTempFile, ExecError> {
    let suffix = if fname.to_lowercase().ends_with(".xlsx") {
        ".xlsx"
    } else {
        ".csv"
    };
    let tmp = tempfile::Builder::new()
        .prefix(prefix)
        .suffix(suffix)
        .tempfile()
        .map_err(|e| {
            ExecError::from(cchc_app::Error::internal(format!(
                "không tạo được tệp tạm: {e}"
            )))
        })?;
    std::fs::write(tmp.path(), bytes).map_err(|e| {
        ExecError::from(cchc_app::Error::internal(format!(
            "không ghi được tệp tạm: {e}"
        )))
    })?;
    Ok(tmp)
}

// ---------------------------------------------------------------------------------------------
// Ranking

pub async fn ranking_page(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path(year): Path<i32>,
) -> Response {
    let r = match ri::ranking(&st, year).await {
        Ok(r) => r,
        Err(e) => return fail(&req, &s, e),
    };
    let mine = s.user.unit.clone();
    let office = matches!(
        s.user.role,
        cchc_domain::execution::Role::StandingOffice | cchc_domain::execution::Role::Admin
    );
    let published = match cchc_app::public::published(
        &st,
        cchc_app::public::PublicationKind::Ranking,
        &year.to_string(),
    )
    .await
    {
        Ok(p) => p,
        Err(e) => return fail(&req, &s, e),
    };
    let body = html! {
        (nav(year))
        h1 { "Xếp hạng chỉ số CCHC cấp xã năm " (year) " " span.en lang="en" { "(reform index ranking)" } }
        @if office {
            (crate::public::pages::publish_form(&s, &format!("/chi-so-cchc/{year}/cong-khai"), published.as_ref()))
        } @else if published.is_some() {
            p { a href=(format!("/cong-khai/chi-so-cchc/{year}")) { "Đã công khai trên trang công khai" } }
        }
        (sample_note(r.criteria.sample, r.criteria.set.source()))
        p { "Xếp loại: tốt từ " (r.scheme.good) ", khá từ " (r.scheme.fair) ", trung bình từ " (r.scheme.average) " điểm chỉ số (" (r.scheme.source) ")." }
        p { a href=(format!("/chi-so-cchc/{year}/xep-hang.xlsx")) download { "Tải bảng xếp hạng (.xlsx)" } }
        p { a href=(format!("/chi-so-cchc/{year}/xep-hang.docx")) download { "Tải quyết định công bố kết quả, kèm phụ lục xếp hạng (.docx)" } }
        @if s.user.role == cchc_domain::execution::Role::Reporter {
            p { a href=(card_url(year, &mine)) { "Bảng điểm của đơn vị" } }
        }
        @if r.rows.is_empty() { p { "Chưa có xã nào chấm điểm năm " (year) "." } }
        @else {
            table.list #xep-hang {
                thead { tr { th { "Hạng" } th { "Đơn vị" } th { "Tổng điểm" } th { "Chỉ số" } th { "Xếp loại" } th { "So với năm trước" } th { "Trạng thái" } } }
                tbody { @for row in &r.rows {
                    tr data-unit=(row.unit.id.as_str()) {
                        td { (row.ranked.rank) }
                        td { a href=(card_url(year, row.unit.id.as_str())) { (row.unit.name) } }
                        td.total { (row.ranked.total) " / " (row.ranked.max) }
                        td { (format!("{:.2}", row.ranked.index)) }
                        td { (row.band.label_vi()) }
                        td { @match row.change.as_ref().and_then(|c| c.index_change.zip(c.rank_change)) {
                            Some((d, rk)) => { (format!("{d:+.2} điểm, hạng {rk:+}")) }
                            None => { "—" }
                        } }
                        td { (row.state.label_vi()) @if row.pending > 0 { " (" (row.pending) " tiêu chí chờ thẩm định)" } }
                    }
                } }
            }
        }
    };
    page(&req, &s, "Xếp hạng chỉ số CCHC", true, body)
}

/// The ranking as the committee's decision with its appendix (Decree 30/2020 layout).
pub async fn ranking_docx(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path(year): Path<i32>,
) -> Response {
    use cchc_app::execution::documents as d;
    match d::ranking_docx(&st, year).await {
        Ok(b) => crate::execution::documents::file(
            &d::ranking_docx_name(year),
            crate::execution::documents::DOCX,
            b,
        ),
        Err(e) => fail(&req, &s, e),
    }
}

pub async fn ranking_xlsx(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path(year): Path<i32>,
) -> Response {
    let r = match ri::ranking(&st, year).await {
        Ok(r) => r,
        Err(e) => return fail(&req, &s, e),
    };
    let sheet = TableSheet {
        name: format!("Xếp hạng {year}"),
        title: Some(format!("KẾT QUẢ XẾP HẠNG CHỈ SỐ CCHC CẤP XÃ NĂM {year}")),
        subtitle: Some(format!(
            "({}{})",
            r.criteria.set.name(),
            if r.criteria.sample {
                "; bộ chỉ số mẫu"
            } else {
                ""
            }
        )),
        columns: vec![
            Column::centred("Hạng", 8.0),
            Column::new("Đơn vị", 30.0),
            Column::centred("Tổng điểm", 12.0),
            Column::centred("Điểm tối đa", 12.0),
            Column::centred("Chỉ số", 10.0),
            Column::centred("Xếp loại", 14.0),
            Column::new("Trạng thái", 20.0),
        ],
        rows: r
            .rows
            .iter()
            .map(|row| {
                vec![
                    Value::Integer(row.ranked.rank as i64),
                    Value::Text(row.unit.name.clone()),
                    Value::Number(row.ranked.total.as_f64()),
                    Value::Number(row.ranked.max.as_f64()),
                    Value::Number(row.ranked.index),
                    Value::Text(row.band.label_vi().to_string()),
                    Value::Text(row.state.label_vi().to_string()),
                ]
            })
            .collect(),
        landscape: true,
    };
    match write_table_xlsx(&[sheet]) {
        Ok(bytes) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"chi-so-cchc-{year}.xlsx\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => fail(
            &req,
            &s,
            cchc_app::Error::internal(format!("không tạo được bảng xếp hạng: {e}")),
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Scorecard

fn evidence(e: &Evidence) -> Markup {
    match e {
        Evidence::Document { number, date } => {
            html! { "Văn bản số " b { (number) } " ngày " (date.format("%d/%m/%Y")) }
        }
        Evidence::File { id } => html! { "Tệp " (id) },
        Evidence::Explanation { text } => html! { "Giải trình: " (text) },
    }
}

pub async fn scorecard_page(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path((year, unit)): Path<(i32, String)>,
) -> Response {
    let v = match ri::scorecard(&st, &s, year, &unit).await {
        Ok(v) => v,
        Err(e) => return fail(&req, &s, e),
    };
    let set = &v.criteria.set;
    let url = card_url(year, &unit);
    let survey_pct = v.survey.overall.percent();
    let body = html! {
        (nav(year))
        h1 { "Bảng điểm chỉ số CCHC năm " (year) ": " (v.unit.name) " " span.en lang="en" { "(scorecard)" } }
        (sample_note(v.criteria.sample, set.source()))
        p { "Tổng điểm: " b #tong-diem { (v.card.total) } " / " (v.card.max)
            " (tự đánh giá " (v.card.self_assessed) ", điều tra xã hội học " (v.card.survey) "); xếp loại " (v.band.label_vi()) "." }
        p { "Trạng thái: " b #trang-thai { (v.state.map_or("chưa tự chấm", |s| s.label_vi())) }
            @if !v.card.pending_appraisal.is_empty() { "; " (v.card.pending_appraisal.len()) " tiêu chí chờ thẩm định" } }
        p { "Điểm điều tra xã hội học = điểm tối đa × tỷ lệ đánh giá hài lòng (mức 4, 5) trên mọi đánh giá của phiếu khảo sát năm " (year) ": "
            @match survey_pct { Some(p) => { (format!("{p:.1}%")) " của " (v.survey.answers) " phiếu" } None => { "chưa có phiếu" } }
            ". " a href=(format!("/khao-sat/{unit}/ket-qua?ky={year}")) { "Kết quả khảo sát" } }
        @if v.may_score {
            form method="post" action=(format!("{url}/nop")) {
                (csrf(&s))
                button type="submit" #gui-tham-dinh { "Gửi thẩm định" }
            }
        }
        table.list.scorecard {
            thead { tr { th { "Mã" } th { "Tiêu chí" } th { "Tối đa" } th { "Tự chấm" } th { "Sau thẩm định" } th { "Minh chứng, thẩm định" } } }
            tbody { @for c in set.criteria() {
                @let n = v.card.node(&c.code);
                tr class=(format!("depth{}", c.depth)) data-code=(c.code.as_str()) {
                    td { (c.code) }
                    td { (c.name) }
                    td { (c.max_points) }
                    td.self { @if let Some(n) = n { (n.self_score) } }
                    td.final { @if let Some(n) = n { (n.final_score) } }
                    td {
                        @if c.is_leaf && c.kind == CriterionKind::SelfAssessed {
                            @if let Some(sc) = v.evaluation.self_score(&c.code) {
                                ul.evidence { @for e in &sc.evidence { li { (evidence(e)) } } }
                            }
                            @match v.evaluation.appraisal(&c.code) {
                                Some(AppraisalDecision::Accept) => { p.appraisal { "Thẩm định: giữ nguyên" } }
                                Some(AppraisalDecision::Change { score, reason }) => { p.appraisal { "Thẩm định: điều chỉnh thành " b { (score) } " điểm — " (reason) } }
                                None => {}
                            }
                            @if v.may_score {
                                details.tu-cham {
                                    summary { "Tự chấm" }
                                    form method="post" action=(format!("{url}/tu-cham")) {
                                        (csrf(&s))
                                        input type="hidden" name="ma" value=(c.code.as_str());
                                        label { "Điểm (0–" (c.max_points) ") " input type="text" name="diem" inputmode="decimal" required; }
                                        label { "Số văn bản " input type="text" name="so_van_ban"; }
                                        label { "Ngày văn bản " input type="date" name="ngay"; }
                                        label { "Hoặc giải trình " textarea name="giai_trinh" rows="2" {} }
                                        button type="submit" { "Lưu điểm" }
                                    }
                                }
                            }
                            @if v.may_appraise {
                                details.tham-dinh {
                                    summary { "Thẩm định" }
                                    form method="post" action=(format!("{url}/tham-dinh")) {
                                        (csrf(&s))
                                        input type="hidden" name="ma" value=(c.code.as_str());
                                        label { "Kết luận " select name="ket_luan" {
                                            option value="giu" { "Giữ nguyên điểm tự chấm" }
                                            option value="doi" { "Điều chỉnh điểm" }
                                        } }
                                        label { "Điểm thẩm định " input type="text" name="diem" inputmode="decimal"; }
                                        label { "Lý do điều chỉnh " textarea name="ly_do" rows="2" {} }
                                        button type="submit" { "Ghi thẩm định" }
                                    }
                                }
                            }
                        } @else if c.is_leaf { "Điều tra xã hội học" }
                    }
                }
            } }
        }
    };
    page(&req, &s, "Bảng điểm chỉ số CCHC", true, body)
}

#[derive(Deserialize)]
pub struct SelfScoreForm {
    ma: String,
    diem: String,
    #[serde(default)]
    so_van_ban: String,
    #[serde(default)]
    ngay: String,
    #[serde(default)]
    giai_trinh: String,
}

pub(crate) fn code(s: &str) -> Result<CriterionCode, ExecError> {
    CriterionCode::parse(s).map_err(|m| ExecError::invalid(format!("mã tiêu chí: {m}")))
}

pub(crate) fn points(s: &str, what: &str) -> Result<Points, ExecError> {
    Points::parse(s.trim()).map_err(|m| ExecError::invalid(format!("tiêu chí «{what}»: điểm: {m}")))
}

pub async fn self_score(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path((year, unit)): Path<(i32, String)>,
    Form(f): Form<SelfScoreForm>,
) -> Response {
    let done = async {
        let criterion = code(&f.ma)?;
        let score = points(&f.diem, &f.ma)?;
        let mut evidence = Vec::new();
        if !f.so_van_ban.trim().is_empty() || !f.ngay.trim().is_empty() {
            let date = chrono::NaiveDate::parse_from_str(f.ngay.trim(), "%Y-%m-%d").map_err(|_| {
                ExecError::invalid(format!("tiêu chí «{}»: văn bản kiểm chứng cần cả số và ngày (ngày «{}» không hợp lệ)", f.ma, f.ngay))
            })?;
            evidence.push(Evidence::Document { number: cchc_domain::text::clean(&f.so_van_ban), date });
        }
        if !f.giai_trinh.trim().is_empty() {
            evidence.push(Evidence::Explanation { text: cchc_domain::text::clean(&f.giai_trinh) });
        }
        ri::self_score(&st, &s, year, &unit, SelfScore { criterion, score, evidence }).await?;
        Ok::<_, ExecError>(())
    }
    .await;
    match done {
        Ok(()) => Redirect::to(&card_url(year, &unit)).into_response(),
        Err(e) => fail(&req, &s, e),
    }
}

pub async fn submit(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path((year, unit)): Path<(i32, String)>,
) -> Response {
    match ri::submit(&st, &s, year, &unit).await {
        Ok(()) => Redirect::to(&card_url(year, &unit)).into_response(),
        Err(e) => fail(&req, &s, e),
    }
}

#[derive(Deserialize)]
pub struct AppraiseForm {
    ma: String,
    ket_luan: String,
    #[serde(default)]
    diem: String,
    #[serde(default)]
    ly_do: String,
}

pub async fn appraise(
    State(st): State<AppState>,
    req: Req,
    Extension(s): Extension<Session>,
    Path((year, unit)): Path<(i32, String)>,
    Form(f): Form<AppraiseForm>,
) -> Response {
    let done = async {
        let criterion = code(&f.ma)?;
        let decision = match f.ket_luan.as_str() {
            "giu" => AppraisalDecision::Accept,
            "doi" => AppraisalDecision::Change {
                score: points(&f.diem, &f.ma)?,
                reason: cchc_domain::text::clean(&f.ly_do),
            },
            other => {
                return Err(ExecError::invalid(format!(
                    "tiêu chí «{}»: kết luận thẩm định «{other}» không hợp lệ",
                    f.ma
                )))
            }
        };
        ri::appraise(
            &st,
            &s,
            year,
            &unit,
            Appraisal {
                criterion,
                decision,
            },
        )
        .await?;
        Ok(())
    }
    .await;
    match done {
        Ok(()) => Redirect::to(&card_url(year, &unit)).into_response(),
        Err(e) => fail(&req, &s, e),
    }
}
