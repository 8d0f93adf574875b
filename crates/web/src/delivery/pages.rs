//! Service delivery on the web (chỉ số giải quyết TTHC): a page per measure (value per period
//! and per unit, monthly trend, communes ranked), the dossiers behind every figure (paged,
//! filtered, exported to XLSX), and the import page with its progress.
//!
//! Read-only pages are in [`service_routes`]; the import routes, which change data, are in
//! [`import_routes`] so that the caller can wrap them with authorisation (standing office,
//! public service centre staff).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use cchc_app::delivery::import::{ImportFailure, ImportOptions, Progress};
use cchc_app::delivery::indicators::{
    forecasts, load_inputs, round2, service_forecast, unit_figures, Inputs, ServiceForecast,
};
use cchc_domain::service::{AnyMeasure, RatioPart, Scope, ServiceMeasure, TargetStatus};
use cchc_domain::{Period, UnitId, UnitLevel};
use cchc_store::{DossierQuery, Store};
use maud::{html, Markup};
use serde::{Deserialize, Serialize};

use crate::shell::view::with_query;
use crate::shell::{chart, forecast};
use crate::{AppError, AppState, Req};

type PageResult = Result<Response, AppError>;

/// `?ky=2024-Q1&pham_vi=xa` and the list's own parameters.
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    ky: Option<String>,
    pham_vi: Option<String>,
    chi_so: Option<String>,
    phan: Option<String>,
    trang: Option<u64>,
    tim: Option<String>,
    xuat: Option<String>,
}

/// Without `?ky=`: the year of the latest plan (its figures are the ones asked for), else this
/// year.
async fn default_period(store: &Store, today: chrono::NaiveDate) -> Period {
    let plans = store.list_plans().await.unwrap_or_default();
    let year = plans
        .iter()
        .max_by_key(|p| (p.year, p.id))
        .map(|p| p.year)
        .unwrap_or_else(|| chrono::Datelike::year(&today));
    Period::Year(year)
}

async fn period_of(store: &Store, p: &Params, today: chrono::NaiveDate) -> Period {
    match p.ky.as_deref().and_then(|k| Period::parse(k).ok()) {
        Some(period) => period,
        None => default_period(store, today).await,
    }
}

/// `all`, `huyen`, `xa` or a unit id.
fn scope_of(p: &Params) -> Scope {
    match p.pham_vi.as_deref() {
        None | Some("all") | Some("") => Scope::All,
        Some("huyen") => Scope::Level(UnitLevel::District),
        Some("xa") => Scope::Level(UnitLevel::Commune),
        Some(id) => UnitId::parse(id).map(Scope::Unit).unwrap_or(Scope::All),
    }
}

fn scope_name(inputs: &Inputs, s: &Scope) -> String {
    s.name_vi(&inputs.registry)
}

fn pct(v: Option<f64>) -> String {
    match v {
        Some(v) => format!("{:.2}%", round2(v)).replace('.', ","),
        None => "—".into(),
    }
}

fn status_badge(s: TargetStatus) -> Markup {
    let class = match s {
        TargetStatus::Met => "st-met",
        TargetStatus::NotMet => "st-not-met",
        TargetStatus::NoData => "st-no-data",
        TargetStatus::NoTarget => "st-no-target",
    };
    html! { span class={ "status " (class) } data-status=(serde_json::to_value(s).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()) { (s.label_vi()) } }
}

fn measure_url(m: ServiceMeasure, period: Period, scope: &Scope) -> String {
    with_query(
        &format!("/chi-so/{}", m.id()),
        &[("ky", &period.to_string()), ("pham_vi", &scope.code())],
    )
}

fn list_url(m: ServiceMeasure, part: RatioPart, period: Period, scope: &Scope) -> String {
    with_query(
        "/ho-so",
        &[
            ("chi_so", m.id()),
            (
                "phan",
                match part {
                    RatioPart::Numerator => "tu_so",
                    RatioPart::Denominator => "mau_so",
                },
            ),
            ("ky", &period.to_string()),
            ("pham_vi", &scope.code()),
        ],
    )
}

/// A figure: value, and numerator / denominator each linking to its dossiers.
fn figure(m: ServiceMeasure, period: Period, scope: &Scope, inputs: &Inputs) -> Markup {
    let r = inputs.measures(scope, None).get(m);
    let target = inputs.target(AnyMeasure::Dossier(m), scope);
    let status = TargetStatus::of(&r, target.as_ref());
    html! {
        span.figure {
            a.value href=(measure_url(m, period, scope)) { (pct(r.percent())) }
            " ("
            a.num href=(list_url(m, RatioPart::Numerator, period, scope)) title="Tử số: xem hồ sơ" { (r.numerator) }
            "/"
            a.den href=(list_url(m, RatioPart::Denominator, period, scope)) title="Mẫu số: xem hồ sơ" { (r.denominator) }
            ") "
            @if let Some(t) = &target { span.target { "chỉ tiêu " (t.code) " " (t.measure.display_vi()) } " " }
            @if status != TargetStatus::NoTarget { (status_badge(status)) }
        }
    }
}

async fn inputs_for(
    store: &Store,
    req: &Req,
    period: Period,
    by_month: bool,
) -> Result<Inputs, AppError> {
    load_inputs(store, period, by_month)
        .await
        .map_err(|e| AppError::Store(req.lang, e))
}

fn period_picker(current: Period, path: &str, scope: &Scope) -> Markup {
    let y = current.year();
    let mut periods: Vec<Period> = Period::year_and_quarters(y).to_vec();
    periods.extend([
        Period::Half(y, 1),
        Period::NineMonths(y),
        Period::Year(y - 1),
    ]);
    html! {
        nav.periods aria-label="Kỳ" {
            @for p in periods {
                @if p == current { strong { (p.label_vi()) } } @else {
                    a href=(with_query(path, &[("ky", &p.to_string()), ("pham_vi", &scope.code())])) { (p.label_vi()) }
                }
                " "
            }
        }
    }
}

/// `/chi-so`: every measure for the district, each level, in a period.
pub(crate) async fn overview(
    State(st): State<AppState>,
    req: Req,
    Query(p): Query<Params>,
) -> PageResult {
    let v = req.view();
    let store = &st.store;
    let period = period_of(store, &p, st.today()).await;
    let inputs = inputs_for(store, &req, period, false).await?;
    // The targets measured from the records and the survey, up to the period's last day.
    let measured = cchc_app::evaluation::measure(&st, period.year(), Some(period.end()))
        .await
        .map_err(|e| AppError::App(req.lang, e))?;
    let survey = cchc_app::reform_index::survey_in(store, period)
        .await
        .map_err(|e| AppError::App(req.lang, e))?;
    let scopes = [
        Scope::All,
        Scope::Level(UnitLevel::District),
        Scope::Level(UnitLevel::Commune),
    ];
    let title = "Chỉ số giải quyết TTHC";
    let body = html! {
        (v.crumbs(&[], title))
        h1 { (title) " — " (period.label_vi()) }
        (period_picker(period, "/chi-so", &Scope::All))
        p.muted { "Số liệu đọc từ số liệu cộng dồn của hồ sơ đã nhập. Bấm vào tử số hoặc mẫu số để xem danh sách hồ sơ." }
        table.indicators {
            thead { tr { th { "Chỉ số" } @for s in &scopes { th { (scope_name(&inputs, s)) } } } }
            tbody {
                @for m in ServiceMeasure::ALL {
                    tr data-measure=(m.id()) {
                        th scope="row" { a href=(measure_url(m, period, &Scope::All)) { (m.label_vi()) } }
                        @for s in &scopes { td { (figure(m, period, s, &inputs)) } }
                    }
                }
            }
        }
        h2 { "Danh mục TTHC" }
        ul {
            @for m in cchc_domain::service::CatalogMeasure::ALL {
                @let r = m.ratio(&inputs.procedures);
                @let t = inputs.target(AnyMeasure::Catalog(m), &Scope::Catalog);
                li { (m.label_vi()) ": " (pct(r.percent())) " (" (r.numerator) "/" (r.denominator) ")"
                    @if let Some(t) = &t { " — chỉ tiêu " (t.code) " " (t.measure.display_vi()) " " (status_badge(TargetStatus::of(&r, Some(t)))) } }
            }
        }
        p { a href="/nhap-du-lieu" { "Nhập danh mục TTHC và hồ sơ" } }
        h2 #chi-tieu-so-theo-doi { "Chỉ tiêu đo từ sổ theo dõi và khảo sát (" (period.label_vi()) ")" }
        (crate::evaluation::measured_targets_table(&measured, &survey, period))
        p { a href="/danh-gia" { "Sổ theo dõi: kiểm tra, sáng kiến, đối thoại, biên chế" } }
    };
    Ok(v.page(title, true, body).into_response())
}

/// The forecast of a service measure over its trend chart.
fn forecast_trend(f: &ServiceForecast, title: &str) -> Markup {
    let threshold = f.target.as_ref().map(|t| t.measure.value);
    forecast::with_trend(title, &f.series, &f.forecast, threshold, true)
}

/// `/chi-so/{measure}`: a measure by period and unit, its monthly trend, the communes ranked.
pub(crate) async fn measure_page(
    State(AppState {
        store, settings, ..
    }): State<AppState>,
    req: Req,
    Path(measure): Path<String>,
    Query(p): Query<Params>,
) -> PageResult {
    let v = req.view();
    let m = ServiceMeasure::parse(&measure).ok_or(AppError::NotFound(req.lang))?;
    let period = period_of(&store, &p, settings.clock.today()).await;
    let scope = scope_of(&p);
    let year = Period::Year(period.year());
    let yearly = inputs_for(&store, &req, year, true).await?;
    let inputs = inputs_for(&store, &req, period, false).await?;
    let path = format!("/chi-so/{}", m.id());

    // Value per period of the year, in the chosen scope.
    let mut periods: Vec<Period> = Period::year_and_quarters(period.year()).to_vec();
    periods.extend([
        Period::Half(period.year(), 1),
        Period::NineMonths(period.year()),
    ]);
    let mut by_period = Vec::new();
    for per in periods {
        by_period.push((per, inputs_for(&store, &req, per, false).await?));
    }
    // The year to date month by month, and its forecast to December.
    let as_of = cchc_app::forecast::as_of(period, settings.clock.today());
    let months = cchc_app::forecast::months_to(period.year(), as_of);
    let fc = service_forecast(&yearly, m, &scope, period.year(), months);
    // Bars: the units of the level in scope (communes unless the district level is chosen).
    let bar_level = match &scope {
        Scope::Level(UnitLevel::District) => UnitLevel::District,
        Scope::Unit(u) if inputs.level_of(u.as_str()) == Some(UnitLevel::District) => {
            UnitLevel::District
        }
        _ => UnitLevel::Commune,
    };
    let bars = unit_figures(&inputs, m, bar_level);
    let trend_title = format!(
        "{} lũy kế theo tháng năm {}, {}",
        m.label_vi(),
        period.year(),
        scope_name(&inputs, &scope)
    );
    // Units: each with data, and the communes ranked by value (no data last).
    let units = inputs.units_with_data();
    let mut communes: Vec<(UnitId, cchc_domain::service::Ratio)> = units
        .iter()
        .filter(|u| inputs.level_of(u.as_str()) == Some(UnitLevel::Commune))
        .map(|u| {
            (
                u.clone(),
                inputs.measures(&Scope::Unit(u.clone()), None).get(m),
            )
        })
        .collect();
    communes.sort_by(|a, b| {
        b.1.percent()
            .unwrap_or(-1.0)
            .partial_cmp(&a.1.percent().unwrap_or(-1.0))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.0.cmp(&b.0))
    });
    let scopes = [
        Scope::All,
        Scope::Level(UnitLevel::District),
        Scope::Level(UnitLevel::Commune),
    ];
    let title = m.label_vi();
    let body = html! {
        (v.crumbs(&[("Chỉ số giải quyết TTHC", "/chi-so".to_string())], title))
        h1 { (title) }
        p.muted { (scope_name(&inputs, &scope)) " · " (period.label_vi()) }
        (period_picker(period, &path, &scope))
        nav.scopes aria-label="Phạm vi" {
            @for s in &scopes {
                @if *s == scope { strong { (scope_name(&inputs, s)) } } @else {
                    a href=(measure_url(m, period, s)) { (scope_name(&inputs, s)) }
                }
                " "
            }
        }
        p.headline { (figure(m, period, &scope, &inputs)) }
        h2 { "Theo kỳ" }
        table.by-period {
            thead { tr { th { "Kỳ" } @for s in &scopes { th { (scope_name(&inputs, s)) } } } }
            tbody {
                @for (per, inp) in &by_period {
                    tr { th scope="row" { (per.label_vi()) } @for s in &scopes { td { (figure(m, *per, s, inp)) } } }
                }
            }
        }
        h2 #du-bao { "Xu hướng và dự báo cuối năm " (period.year()) }
        (forecast_trend(&fc, &trend_title))
        (forecast::method(&[&fc.series], as_of, months))
        h2 { "Theo đơn vị — biểu đồ" }
        (chart::measure_units(&bars, &period.label_vi(), &|u| measure_url(m, period, &Scope::Unit(u.clone()))))
        h2 { "Theo đơn vị" }
        table.by-unit {
            thead { tr { th { "Đơn vị" } th { "Cấp" } th { "Giá trị" } } }
            tbody {
                @for u in &units {
                    @let s = Scope::Unit(u.clone());
                    tr data-unit=(u.as_str()) {
                        th scope="row" { a href=(measure_url(m, period, &s)) { (scope_name(&inputs, &s)) } }
                        td { @if inputs.level_of(u.as_str()) == Some(UnitLevel::Commune) { "xã" } @else { "huyện" } }
                        td { (figure(m, period, &s, &inputs)) }
                    }
                }
            }
        }
        h2 { "Xếp hạng xã, thị trấn" }
        ol.ranking {
            @for (u, r) in &communes {
                li data-unit=(u.as_str()) { (scope_name(&inputs, &Scope::Unit(u.clone()))) ": "
                    a href=(list_url(m, RatioPart::Denominator, period, &Scope::Unit(u.clone()))) { (pct(r.percent())) }
                    " (" (r.numerator) "/" (r.denominator) ")" }
            }
        }
    };
    Ok(v.page(title, true, body).into_response())
}

const PAGE_SIZE: u64 = 50;

fn scope_units(inputs: &Inputs, scope: &Scope) -> Option<Vec<UnitId>> {
    match scope {
        Scope::All | Scope::Catalog => None,
        Scope::Unit(id) => Some(vec![id.clone()]),
        Scope::Level(l) => Some(
            inputs
                .registry
                .units()
                .iter()
                .filter(|u| u.kind.level() == *l)
                .map(|u| u.id.clone())
                .collect(),
        ),
    }
}

/// The dossiers of `query` as an `.xlsx` body: row by row from one query into sheets kept in
/// temporary files, zipped off the async workers into a temporary file that is sent as it is
/// read (gone from the disk once opened), so that memory does not grow with the list.
async fn dossiers_xlsx(
    store: &Store,
    query: &DossierQuery,
    registry: &cchc_domain::unit::Registry,
) -> Result<Body, cchc_store::StoreError> {
    let invalid = |e: cchc_docs::DocsError| cchc_store::StoreError::Invalid(e.to_string());
    let file_failed = |e: &dyn std::fmt::Display| {
        cchc_store::StoreError::Invalid(format!("không tạo được tệp Excel tạm trên máy chủ: {e}"))
    };
    let mut book = cchc_docs::DossiersXlsx::new().map_err(invalid)?;
    store
        .for_each_dossier(query, &mut |d| book.push(&d, registry).map_err(invalid))
        .await?;
    let tmp = tempfile::NamedTempFile::new().map_err(|e| file_failed(&e))?;
    let path = tmp.path().to_path_buf();
    tokio::task::spawn_blocking(move || book.finish_to(&path))
        .await
        .map_err(|e| file_failed(&e))?
        .map_err(invalid)?;
    let file = tokio::fs::File::open(tmp.path())
        .await
        .map_err(|e| file_failed(&e))?;
    drop(tmp);
    Ok(file_body(file))
}

/// A file's bytes as a response body, read as they are sent.
fn file_body(file: tokio::fs::File) -> Body {
    use tokio::io::AsyncReadExt;
    let chunks = futures_util::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(axum::body::Bytes::from(buf)), Some(file)))
            }
            // The error ends the body; nothing is read after it.
            Err(e) => Some((Err(e), None)),
        }
    });
    Body::from_stream(chunks)
}

/// `/ho-so?chi_so=…&phan=tu_so|mau_so&ky=…&pham_vi=…&trang=N&tim=…[&xuat=xlsx]`: the dossiers
/// behind a figure.
pub(crate) async fn dossier_list(
    State(AppState {
        store, settings, ..
    }): State<AppState>,
    req: Req,
    Query(p): Query<Params>,
) -> PageResult {
    let v = req.view();
    let period = period_of(&store, &p, settings.clock.today()).await;
    let scope = scope_of(&p);
    let measure = p.chi_so.as_deref().and_then(ServiceMeasure::parse);
    let part = match p.phan.as_deref() {
        Some("tu_so") => RatioPart::Numerator,
        _ => RatioPart::Denominator,
    };
    let inputs = inputs_for(&store, &req, period, false).await?;
    let search = p.tim.clone().filter(|s| !s.trim().is_empty());
    let mut query = DossierQuery {
        start: period.start(),
        end: period.end(),
        units: scope_units(&inputs, &scope),
        measure: measure.map(|m| (m, part)),
        search: search.clone(),
        offset: 0,
        limit: Some(PAGE_SIZE),
    };
    let store_err = |e| AppError::Store(req.lang, e);
    if p.xuat.as_deref() == Some("xlsx") {
        let bytes = dossiers_xlsx(&store, &query, &inputs.registry)
            .await
            .map_err(store_err)?;
        return Ok((
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"ho-so.xlsx\"",
                ),
            ],
            bytes,
        )
            .into_response());
    }
    let page_no = p.trang.unwrap_or(1).max(1);
    query.offset = (page_no - 1) * PAGE_SIZE;
    let page = store.list_dossiers(&query).await.map_err(store_err)?;
    let pages = page.total.div_ceil(PAGE_SIZE).max(1);
    let mut base: Vec<(&str, String)> = vec![("ky", period.to_string()), ("pham_vi", scope.code())];
    if let Some(m) = measure {
        base.push(("chi_so", m.id().to_string()));
        base.push((
            "phan",
            if part == RatioPart::Numerator {
                "tu_so"
            } else {
                "mau_so"
            }
            .to_string(),
        ));
    }
    if let Some(s) = &search {
        base.push(("tim", s.clone()));
    }
    let link = |extra: &[(&str, String)]| {
        let mut all: Vec<(&str, &str)> = base.iter().map(|(k, v)| (*k, v.as_str())).collect();
        all.extend(extra.iter().map(|(k, v)| (*k, v.as_str())));
        with_query("/ho-so", &all)
    };
    let title = match measure {
        Some(m) => format!(
            "Hồ sơ — {} của «{}»",
            if part == RatioPart::Numerator {
                "tử số"
            } else {
                "mẫu số"
            },
            m.label_vi()
        ),
        None => "Hồ sơ".to_string(),
    };
    let body = html! {
        (v.crumbs(&[("Chỉ số giải quyết TTHC", "/chi-so".to_string())], "Hồ sơ"))
        h1 { (title) }
        p.muted { (scope_name(&inputs, &scope)) " · " (period.label_vi()) }
        form.search method="get" action="/ho-so" {
            @for (k, val) in &base { @if *k != "tim" { input type="hidden" name=(k) value=(val); } }
            label { "Tìm mã hồ sơ hoặc mã TTHC " input type="search" name="tim" value=(search.clone().unwrap_or_default()); }
            button type="submit" { "Lọc" }
        }
        p { span #total data-total=(page.total) { (page.total) " hồ sơ" } " · "
            a.export href=(link(&[("xuat", "xlsx".into())])) { "Xuất Excel (XLSX)" } }
        table.dossiers {
            thead { tr { th { "Mã hồ sơ" } th { "Mã TTHC" } th { "Đơn vị" } th { "Hình thức nộp" } th { "Tiếp nhận" } th { "Hẹn trả" } th { "Trả kết quả" } th { "Trạng thái" } th { "Đánh giá" } } }
            tbody {
                @for d in &page.dossiers {
                    tr.dossier {
                        td { (d.code) } td { (d.procedure) }
                        td { (scope_name(&inputs, &Scope::Unit(d.unit.clone()))) }
                        td { (d.channel.label_vi()) }
                        td { (d.received.format("%d/%m/%Y %H:%M")) }
                        td { (d.due.format("%d/%m/%Y")) }
                        td { @if let Some(r) = d.returned { (r.format("%d/%m/%Y")) } }
                        td { (d.status.label_vi()) }
                        td { @if let Some(r) = d.rating { (r.label_vi()) } }
                    }
                }
            }
        }
        nav.pager {
            @if page_no > 1 { a rel="prev" href=(link(&[("trang", (page_no - 1).to_string())])) { "‹ Trang trước" } " " }
            "Trang " (page_no) "/" (pages)
            @if page_no < pages { " " a rel="next" href=(link(&[("trang", (page_no + 1).to_string())])) { "Trang sau ›" } }
        }
    };
    Ok(v.page(&title, true, body).into_response())
}

/// The status of the service figures for a plan's key target (3.1, 3.2, …), for its page.
pub async fn target_section(
    store: &Store,
    year: i32,
    code: &str,
    today: chrono::NaiveDate,
) -> Option<Markup> {
    let measures: Vec<ServiceMeasure> = ServiceMeasure::ALL
        .into_iter()
        .filter(|m| cchc_domain::service::target_code(AnyMeasure::Dossier(*m)) == Some(code))
        .collect();
    if measures.is_empty() {
        return None;
    }
    let period = Period::Year(year);
    let inputs = load_inputs(store, period, false).await.ok()?;
    let as_of = cchc_app::forecast::as_of(period, today);
    let months = cchc_app::forecast::months_to(year, as_of);
    let mut fcs = forecasts(store, period, today).await.ok()?;
    fcs.retain(|f| measures.contains(&f.measure));
    let scopes = [
        Scope::All,
        Scope::Level(UnitLevel::District),
        Scope::Level(UnitLevel::Commune),
    ];
    Some(html! {
        section.service-status {
            h2 { "Kết quả thực hiện (" (period.label_vi()) ")" }
            table.indicators {
                thead { tr { th { "Chỉ số" } @for s in &scopes { th { (scope_name(&inputs, s)) } } } }
                tbody {
                    @for m in &measures {
                        tr data-measure=(m.id()) {
                            th scope="row" { a href=(measure_url(*m, period, &Scope::All)) { (m.label_vi()) } }
                            @for s in &scopes { td { (figure(*m, period, s, &inputs)) } }
                        }
                    }
                }
            }
            h2 #du-bao { "Dự báo cuối năm " (year) }
            @for f in &fcs {
                @let title = format!("{} lũy kế theo tháng năm {year}, {}", f.measure.label_vi(), scope_name(&inputs, &f.scope));
                h3 { a href=(measure_url(f.measure, period, &f.scope)) { (title) } }
                (forecast_trend(f, &title))
            }
            @let series: Vec<&cchc_domain::forecast::Series> = fcs.iter().map(|f| &f.series).collect();
            (forecast::method(&series, as_of, months))
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Imports

/// An import running or done, as the page polls it.
#[derive(Debug, Clone, Serialize)]
struct JobState {
    kind: String,
    file: String,
    done: bool,
    progress: Progress,
    summary: Option<String>,
    errors: Vec<String>,
    error_total: usize,
}

/// Imports of this server process. Progress is per process: the upload and its polling go to
/// the same server.
#[derive(Clone, Default)]
pub(crate) struct Jobs {
    next: Arc<AtomicU64>,
    states: Arc<Mutex<HashMap<u64, JobState>>>,
}

/// The imports of this process: every router built in it (tests build many) sees the same.
pub(crate) static JOBS: std::sync::LazyLock<Jobs> = std::sync::LazyLock::new(Jobs::default);

impl Jobs {
    fn update(&self, id: u64, f: impl FnOnce(&mut JobState)) {
        if let Some(s) = self.states.lock().expect("not poisoned").get_mut(&id) {
            f(s);
        }
    }
}

pub(crate) async fn import_page(
    session: Option<Extension<cchc_app::execution::Session>>,
    req: Req,
) -> Response {
    let v = req.view();
    // The upload sends the session's CSRF token in a header: the body is the file itself.
    let csrf = session.map(|Extension(s)| s.csrf_token).unwrap_or_default();
    let title = "Nhập danh mục TTHC và hồ sơ";
    let body = html! {
        (v.crumbs(&[("Chỉ số giải quyết TTHC", "/chi-so".to_string())], "Nhập dữ liệu"))
        h1 { (title) }
        p { "Tệp CSV (UTF-8) hoặc XLSX, cột theo mã hoặc tiêu đề tiếng Việt của đặc tả. Cả tệp được nhập trong một giao dịch: nếu có dòng lỗi, không có gì được lưu và mọi lỗi được liệt kê. Nhập lại cùng tệp không thay đổi gì." }
        @for (kind, label) in [("danh-muc", "Danh mục TTHC"), ("ho-so", "Hồ sơ")] {
            form.import data-kind=(kind) {
                fieldset {
                    legend { (label) }
                    label { "Tệp " input type="file" name="file" accept=".csv,.xlsx" required; }
                    " "
                    label { "Ánh xạ cột (không bắt buộc) " input type="text" name="columns" placeholder="Tiêu đề trong tệp=mã_cột;…"; }
                    " "
                    @if kind == "danh-muc" {
                        label { input type="checkbox" name="whole"; " Tệp là toàn bộ danh mục (TTHC không có trong tệp được đánh dấu đã bãi bỏ)" }
                        " "
                    }
                    button type="submit" { "Nhập" }
                }
            }
        }
        div #import-status aria-live="polite" data-csrf=(csrf) {
            progress #import-progress max="100" value="0" hidden {}
            p #import-progress-text {}
            div #import-result {}
        }
    };
    v.page(title, false, body).into_response()
}

#[derive(Debug, Deserialize)]
pub(crate) struct UploadParams {
    ten: Option<String>,
    cot: Option<String>,
    /// `1`: the catalogue file is the whole catalogue; procedures it does not list are retired.
    toan_bo: Option<String>,
}

/// `POST /nhap-du-lieu/{danh-muc|ho-so}?ten=FILE[&cot=MAP][&toan_bo=1]` with the file as the body: the
/// body is streamed to a temporary file, then imported in the background.
pub(crate) async fn start_import(
    State(AppState { store, .. }): State<AppState>,
    Extension(jobs): Extension<Jobs>,
    Path(kind): Path<String>,
    Query(params): Query<UploadParams>,
    body: Body,
) -> Response {
    let bad = |msg: String| (StatusCode::BAD_REQUEST, msg).into_response();
    if kind != "danh-muc" && kind != "ho-so" {
        return bad(format!("không có loại dữ liệu «{kind}»"));
    }
    let name = params.ten.unwrap_or_else(|| "tep.csv".into());
    let columns = match params
        .cot
        .as_deref()
        .map(cchc_ingest::service_files::ColumnMap::parse)
    {
        Some(Err(e)) => return bad(e),
        Some(Ok(m)) => m,
        None => Default::default(),
    };
    let ext = if name.to_ascii_lowercase().ends_with(".xlsx") {
        ".xlsx"
    } else {
        ".csv"
    };
    let tmp = match tempfile::Builder::new().suffix(ext).tempfile() {
        Ok(t) => t,
        Err(e) => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("không tạo được tệp tạm: {e}"),
            )
                .into_response()
        }
    };
    if let Err(e) = save_body(body, tmp.path()).await {
        return bad(format!("không nhận được tệp: {e}"));
    }
    let id = jobs.next.fetch_add(1, Ordering::Relaxed) + 1;
    let mut states = jobs.states.lock().expect("not poisoned");
    // Keep the last 100 finished imports' reports, not every one since start.
    if states.len() >= 100 {
        if let Some(old) = states.iter().filter(|(_, s)| s.done).map(|(k, _)| *k).min() {
            states.remove(&old);
        }
    }
    states.insert(
        id,
        JobState {
            kind: kind.clone(),
            file: name.clone(),
            done: false,
            progress: Progress::default(),
            summary: None,
            errors: Vec::new(),
            error_total: 0,
        },
    );
    drop(states);
    let options = ImportOptions {
        columns,
        skip_invalid: None,
        display_name: Some(name),
        whole_catalog: kind == "danh-muc" && params.toan_bo.as_deref() == Some("1"),
    };
    let jobs2 = jobs.clone();
    tokio::spawn(async move {
        let result = if kind == "danh-muc" {
            cchc_app::delivery::import_catalog(&store, tmp.path(), &options).await
        } else {
            let progress_jobs = jobs2.clone();
            cchc_app::delivery::import_dossiers(&store, tmp.path(), &options, move |p| {
                progress_jobs.update(id, |s| s.progress = p)
            })
            .await
        };
        jobs2.update(id, |s| {
            s.done = true;
            match result {
                Ok(summary) => s.summary = Some(summary.line_vi()),
                Err(ImportFailure::Rows(list)) => {
                    s.errors = list.shown.iter().map(|e| e.to_string()).collect();
                    s.error_total = list.total;
                }
                Err(e) => {
                    s.errors = vec![e.to_string()];
                    s.error_total = 1;
                }
            }
        });
        drop(tmp);
    });
    Json(serde_json::json!({ "job": id })).into_response()
}

async fn save_body(body: Body, path: &std::path::Path) -> std::io::Result<()> {
    use http_body_util::BodyExt;
    use tokio::io::AsyncWriteExt;
    let mut f = tokio::fs::File::create(path).await?;
    let mut body = body;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(std::io::Error::other)?;
        if let Ok(data) = frame.into_data() {
            f.write_all(&data).await?;
        }
    }
    f.flush().await
}

pub(crate) async fn job_status(Extension(jobs): Extension<Jobs>, Path(job): Path<u64>) -> Response {
    match jobs.states.lock().expect("not poisoned").get(&job) {
        Some(s) => Json(s.clone()).into_response(),
        None => (StatusCode::NOT_FOUND, "không có lần nhập này").into_response(),
    }
}

/// For the plan page: per key-target code, the status of each of its dossier measures in each
/// scope that has a threshold, each linking to the measure's page.
pub async fn target_badges(store: &Store, year: i32) -> HashMap<String, Markup> {
    let period = Period::Year(year);
    let Ok(inputs) = load_inputs(store, period, false).await else {
        return HashMap::new();
    };
    let scopes = [
        Scope::All,
        Scope::Level(UnitLevel::District),
        Scope::Level(UnitLevel::Commune),
    ];
    let mut by_code: HashMap<String, Vec<Markup>> = HashMap::new();
    for m in ServiceMeasure::ALL {
        let Some(code) = cchc_domain::service::target_code(AnyMeasure::Dossier(m)) else {
            continue;
        };
        let set: Vec<(Scope, TargetStatus)> = scopes
            .iter()
            .filter_map(|s| {
                let t = inputs.target(AnyMeasure::Dossier(m), s)?;
                // An unscoped threshold applies to every scope: show it once, for the district.
                if t.measure.scope.is_none() && *s != Scope::All {
                    return None;
                }
                let r = inputs.measures(s, None).get(m);
                Some((s.clone(), TargetStatus::of(&r, Some(&t))))
            })
            .collect();
        for (s, status) in set {
            by_code.entry(code.to_string()).or_default().push(html! {
                a.target-status href=(measure_url(m, period, &s)) data-measure=(m.id()) {
                    (m.label_vi()) ", " (scope_name(&inputs, &s)) ": "
                    (pct(inputs.measures(&s, None).get(m).percent())) " " (status_badge(status))
                }
            });
        }
    }
    // Target 3.6 also from the public satisfaction survey, beside the dossiers' own rating.
    if let Ok(sv) = cchc_app::reform_index::survey_figure(store, year).await {
        by_code.entry("3.6".to_string()).or_default().push(html! {
            a.target-status.survey href="/khao-sat" data-measure="survey" {
                "Khảo sát sự hài lòng (" (sv.answers) " phiếu): " (pct(sv.overall.percent()))
            }
        });
    }
    by_code
        .into_iter()
        .map(|(code, items)| {
            (
                code,
                html! { span.service-status { @for i in items { (i) " " } } },
            )
        })
        .collect()
}
