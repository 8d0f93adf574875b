//! Service pages on a real SQLite store: the import routes, the measure pages, the dossier
//! lists behind every figure, their XLSX export, and the plan's targets 3.x.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::TestApp;
use tower::ServiceExt;

const CATALOG: &str = "\
Mã TTHC,Tên TTHC,Lĩnh vực,Cấp thực hiện,Mức độ DVC,\"Có phí, lệ phí\",Thanh toán trực tuyến,TTHC nội bộ
1.1,Đăng ký khai sinh,Hộ tịch,\"huyen,xa\",toan_trinh,1,1,0
1.2,Chứng thực bản sao,Chứng thực,xa,mot_phan,0,0,0
";

/// Q1 2024: online-level procedures: D1 D2 (centre) D3 D4 (Tùng Ảnh) D5 (Hòa Lạc); online:
/// D1 D3 D5 → 3/5 for all, 1/2 district, 2/3 commune; Tùng Ảnh 1/2, Hòa Lạc 1/1.
const DOSSIERS: &str = "\
ma_ho_so,ma_tthc,ma_don_vi,kenh_nop,ngay_tiep_nhan,han_tra,ngay_tra,trang_thai,so_hoa_ho_so,so_hoa_ket_qua,tai_su_dung,da_thanh_toan_truc_tuyen,danh_gia,xin_loi
D1,1.1,trung-tam-hcc,truc_tuyen,2024-01-02 08:00,2024-01-05,2024-01-04,da_tra,1,1,1,1,hai_long,0
D2,1.1,trung-tam-hcc,truc_tiep,2024-02-02,2024-02-05,,dang_xu_ly,0,0,0,0,,0
D3,1.2,xa-tung-anh,truc_tuyen,15/03/2024,2024-03-20,2024-03-19,da_tra,1,0,1,0,,0
D4,1.2,xa-tung-anh,truc_tiep,2024-03-16,2024-03-20,2024-03-25,da_tra,0,1,0,0,khong_hai_long,1
D5,1.1,xa-hoa-lac,truc_tuyen,2024-03-31 23:59,2024-04-03,2024-04-01,da_tra,1,1,1,1,rat_hai_long,0
D6,1.1,xa-hoa-lac,truc_tuyen,2024-04-01,2024-04-03,,rut,1,1,1,1,,0
";

/// A signed-in standing-office session: (cookie, CSRF token).
type Who = (String, String);

async fn post_file(
    app: &TestApp,
    who: Option<&Who>,
    kind: &str,
    name: &str,
    body: &str,
) -> axum::response::Response {
    let mut req = Request::post(format!("/nhap-du-lieu/{kind}?ten={name}"));
    if let Some((cookie, csrf)) = who {
        req = req.header("cookie", cookie).header("x-csrf-token", csrf);
    }
    app.router()
        .oneshot(req.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap()
}

async fn upload(app: &TestApp, who: &Who, kind: &str, name: &str, body: &str) -> serde_json::Value {
    let res = post_file(app, Some(who), kind, name, body).await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    let job = serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()["job"]
        .as_u64()
        .unwrap();
    for _ in 0..200 {
        let page = app
            .get_with_cookie(&format!("/nhap-du-lieu/tien-do/{job}"), &who.0)
            .await;
        let state: serde_json::Value = serde_json::from_str(&page.body).unwrap();
        if state["done"].as_bool().unwrap() {
            return state;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the import did not finish");
}

async fn loaded() -> (TestApp, Who) {
    let app = TestApp::duc_tho().await;
    let who = app.sign_in_office().await;
    import_both(&app, &who).await;
    (app, who)
}

/// The catalogue, then the dossiers, through the upload route as `who`: all new.
async fn import_both(app: &TestApp, who: &Who) {
    let s = upload(app, who, "danh-muc", "danh-muc.csv", CATALOG).await;
    assert_eq!(
        s["summary"],
        "đọc 2, thêm mới 2, cập nhật 0, không đổi 0, bị loại 0"
    );
    let s = upload(app, who, "ho-so", "ho-so.csv", DOSSIERS).await;
    assert_eq!(
        s["summary"],
        "đọc 6, thêm mới 6, cập nhật 0, không đổi 0, bị loại 0"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_with_errors_is_refused_and_lists_them() {
    let (app, who) = loaded().await;
    let bad = DOSSIERS.replace("D3,1.2,xa-tung-anh", "D3,1.9,xa-tung-anh");
    let s = upload(&app, &who, "ho-so", "moi.csv", &bad).await;
    assert_eq!(s["error_total"], 1);
    assert_eq!(
        s["errors"][0],
        "moi.csv, dòng 4, cột «ma_tthc», giá trị «1.9»: TTHC «1.9» không có trong danh mục; hãy nhập danh mục TTHC trước"
    );
    assert!(s["summary"].is_null());
    assert_eq!(app.store.count_dossiers().await.unwrap(), 6);
    let page = app.get_with_cookie("/nhap-du-lieu", &who.0).await;
    assert!(page.body.contains("Nhập danh mục TTHC và hồ sơ"));
    assert!(page.body.contains(&format!("data-csrf=\"{}\"", who.1)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imports_need_a_standing_office_session_and_its_csrf_token() {
    let app = TestApp::duc_tho().await;
    // Without a session the page sends the user to sign in, and nothing is imported.
    let page = app.get("/nhap-du-lieu").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let res = post_file(&app, None, "danh-muc", "danh-muc.csv", CATALOG).await;
    assert_ne!(res.status(), StatusCode::OK);
    // With a session but without its CSRF token: refused.
    let who = app.sign_in_office().await;
    let forged = (who.0.clone(), "sai".to_string());
    let res = post_file(&app, Some(&forged), "danh-muc", "danh-muc.csv", CATALOG).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(app.store.list_procedures().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_public_service_centre_imports_and_a_commune_may_not() {
    use cchc_domain::execution::Role;
    let app = TestApp::duc_tho().await;
    // A commune's reporter: refused, told who may, and nothing is stored.
    let commune = app
        .sign_in_as("xa-tung-anh-bc", "xa-tung-anh", Role::Reporter)
        .await;
    let res = post_file(&app, Some(&commune), "danh-muc", "danh-muc.csv", CATALOG).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(
        text.contains("Trung tâm Phục vụ hành chính công") && text.contains("xa-tung-anh-bc"),
        "{text}"
    );
    assert!(app.store.list_procedures().await.unwrap().is_empty());
    let page = app.get_with_cookie("/nhap-du-lieu", &commune.0).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);

    // The public service centre's reporter: the page, then both files imported.
    let centre = app
        .sign_in_as("trung-tam-hcc-bc", "trung-tam-hcc", Role::Reporter)
        .await;
    let page = app.get_with_cookie("/nhap-du-lieu", &centre.0).await;
    assert_eq!(page.status, StatusCode::OK);
    import_both(&app, &centre).await;
    assert_eq!(app.store.count_dossiers().await.unwrap(), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_figure_links_to_exactly_its_dossiers() {
    let (app, _) = loaded().await;
    let page = app.get("/chi-so?ky=2024-Q1").await;
    assert_eq!(page.status, StatusCode::OK);
    let numerator = "/ho-so?chi_so=online_rate&amp;phan=tu_so&amp;ky=2024-Q1&amp;pham_vi=all";
    assert!(
        page.body.contains(&format!(
            "href=\"{numerator}\" title=\"Tử số: xem hồ sơ\">3</a>"
        )),
        "{}",
        page.body
    );

    let list = app.get(&numerator.replace("&amp;", "&")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("data-total=\"3\""));
    for code in ["D1", "D3", "D5"] {
        assert!(list.body.contains(&format!("<td>{code}</td>")), "{code}");
    }
    assert!(!list.body.contains("<td>D2</td>"));
    // Commune level: 2 online of 3; one commune: 1 of 2.
    let list = app
        .get("/ho-so?chi_so=online_rate&phan=mau_so&ky=2024-Q1&pham_vi=xa")
        .await;
    assert!(list.body.contains("data-total=\"3\""));
    let list = app
        .get("/ho-so?chi_so=online_rate&phan=tu_so&ky=2024-Q1&pham_vi=xa-tung-anh")
        .await;
    assert!(list.body.contains("data-total=\"1\"") && list.body.contains("<td>D3</td>"));
    // Search within a list.
    let list = app
        .get("/ho-so?chi_so=online_rate&phan=tu_so&ky=2024-Q1&tim=D5")
        .await;
    assert!(list.body.contains("data-total=\"1\""));
    // The export.
    let xlsx = app
        .router()
        .oneshot(
            Request::get("/ho-so?chi_so=online_rate&phan=tu_so&ky=2024-Q1&xuat=xlsx")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(xlsx.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("spreadsheetml"));
    let bytes = axum::body::to_bytes(xlsx.into_body(), usize::MAX)
        .await
        .unwrap();
    // The three dossiers of the numerator, in list order (day received, then code), under
    // the headers.
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.worksheet_range("Hồ sơ").unwrap();
    let codes: Vec<String> = sheet.rows().map(|r| r[0].to_string()).collect();
    assert_eq!(codes, ["Mã hồ sơ", "D1", "D3", "D5"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_measure_page_shows_periods_trend_units_and_ranking() {
    let (app, _) = loaded().await;
    let page = app.get("/chi-so/online_rate?ky=2024-Q1").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Tỷ lệ hồ sơ nộp trực tuyến"));
    assert!(page.body.contains("<svg class=\"trend\""));
    // Three months with data: three points; the target line at 70.
    assert_eq!(page.body.matches("<circle").count(), 3);
    assert!(page.body.contains("class=\"target\""));
    // Ranking: Hòa Lạc (100%) before Tùng Ảnh (50%).
    let ranking = &page.body[page.body.find("class=\"ranking\"").unwrap()..];
    let (hl, ta) = (
        ranking.find("xa-hoa-lac").unwrap(),
        ranking.find("xa-tung-anh").unwrap(),
    );
    assert!(hl < ta);
    assert!(ranking.contains("100,00%") && ranking.contains("50,00%"));
    assert_eq!(
        app.get("/chi-so/khong-co").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_targets_3x_show_their_status_and_link_to_the_measure() {
    let (app, _) = loaded().await;
    let page = app
        .get(&format!("/ke-hoach/{}/chi-tieu/3.2", app.plan_id))
        .await;
    assert!(page.body.contains("Kết quả thực hiện (Năm 2024)"));
    assert!(page
        .body
        .contains("href=\"/chi-so/online_rate?ky=2024&amp;pham_vi=all\""));
    // The year: online 3 of 5 (D6 withdrawn) = 60% < 70: not met.
    assert!(page.body.contains("data-status=\"not_met\""));
    let plan = app.get(&format!("/ke-hoach/{}", app.plan_id)).await;
    assert!(plan.body.contains("class=\"target-status\""));
    assert!(plan
        .body
        .contains("data-measure=\"results_digitized_rate\""));
    // A target that dossiers do not measure has no such section.
    let page = app
        .get(&format!("/ke-hoach/{}/chi-tieu/1.1", app.plan_id))
        .await;
    assert!(!page.body.contains("Kết quả thực hiện"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_period_the_pages_show_the_plan_year() {
    let (app, _) = loaded().await;
    let page = app.get("/chi-so").await;
    assert!(
        page.body.contains("Chỉ số giải quyết TTHC — Năm 2024"),
        "{}",
        page.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_larger_than_the_upload_limit_streams_through() {
    let app = TestApp::duc_tho().await;
    let who = app.sign_in_office().await;
    // Evidence uploads are limited to 1 byte (+1 MiB of form overhead) here; an import is not.
    let settings = cchc_web::Settings {
        max_upload_bytes: 1,
        ..Default::default()
    };
    let router = cchc_web::router_with(app.store.clone(), settings);
    let mut catalog = Vec::new();
    let procs = cchc_ingest::service_gen::write_catalog(&mut catalog, 20, 7).unwrap();
    let units = cchc_ingest::service_gen::receiving_units(app.registry.units());
    let mut dossiers = Vec::new();
    cchc_ingest::service_gen::write_dossiers(&mut dossiers, 12_000, 7, 2024, &units, &procs)
        .unwrap();
    assert!(dossiers.len() > 1024 * 1024 + 1, "{} bytes", dossiers.len());
    for (kind, body) in [("danh-muc", catalog), ("ho-so", dossiers)] {
        let res = router
            .clone()
            .oneshot(
                Request::post(format!("/nhap-du-lieu/{kind}?ten={kind}.csv"))
                    .header("cookie", &who.0)
                    .header("x-csrf-token", &who.1)
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{kind}");
        // The catalogue must be in before the dossiers that name its procedures.
        for _ in 0..500 {
            if app.store.list_procedures().await.unwrap().len() == 20 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }
    for _ in 0..1500 {
        if app.store.count_dossiers().await.unwrap() == 12_000 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!(
        "the streamed import did not land: {} dossiers",
        app.store.count_dossiers().await.unwrap()
    );
}

/// A form posted as a signed-in account; the status.
async fn post_form(app: &TestApp, uri: &str, cookie: &str, form: &str) -> StatusCode {
    let req = Request::post(uri)
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(form.to_string()))
        .unwrap();
    app.router().oneshot(req).await.unwrap().status()
}

/// The values of the attribute `name` on the `tag` elements of `html` that carry `class`.
fn attrs<'a>(html: &'a str, tag: &str, class: Option<&str>, name: &str) -> Vec<&'a str> {
    html.split(&format!("<{tag} "))
        .skip(1)
        .map(|t| &t[..t.find('>').unwrap()])
        .filter(|t| class.is_none_or(|c| t.contains(&format!("class=\"{c}\""))))
        .filter_map(|t| {
            let at = t
                .find(&format!(" {name}=\""))
                .or_else(|| t.starts_with(&format!("{name}=\"")).then_some(0))?;
            let rest = &t[at..];
            let rest = &rest[rest.find('"').unwrap() + 1..];
            Some(&rest[..rest.find('"').unwrap()])
        })
        .collect()
}

/// The part of `body` from `marker` to the next `end`.
fn part<'a>(body: &'a str, marker: &str, end: &str) -> &'a str {
    let r = &body[body
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} missing"))..];
    &r[..r.find(end).unwrap()]
}

/// The table row of `body` from `marker` on.
fn row<'a>(body: &'a str, marker: &str) -> &'a str {
    part(body, marker, "</tr>")
}

/// The forecast as of Q1 2024 beside the online rate (target 3.2, ≥ 70%): January 1/1,
/// February 0/1, March 2/3 → 3/5 = 60% so far and projected; 5/3 dossiers a month for the 9
/// months left, at February's 0% → 3/20 = 15%, at January's 100% → 18/20 = 90%: at risk. The
/// dialogues of January and February (target 3.7, from 2 to 3): 2 so far, 2/3 a month → 8,
/// range 2 .. 11: on track.
async fn forecasts_beside_the_targets(app: TestApp) {
    let who = app.sign_in_office().await;
    import_both(&app, &who).await;
    let (cookie, csrf) = &who;
    let opened = post_form(
        &app,
        "/ky-bao-cao/mo",
        cookie,
        &format!("csrf={csrf}&period=2024-Q1&due=2099-04-20T17%3A00"),
    )
    .await;
    assert_eq!(opened, StatusCode::SEE_OTHER);
    for date in ["10%2F01%2F2024", "20%2F02%2F2024"] {
        let added = post_form(
            &app,
            "/danh-gia/doi-thoai/them",
            cookie,
            &format!(
                "csrf={csrf}&nam=2024&unit=ubnd-huyen&date={date}&chair=Ch%E1%BB%A7+t%E1%BB%8Bch&topic=%C4%90%E1%BA%A5t+%C4%91ai&participants=&attendance=40"
            ),
        )
        .await;
        assert_eq!(added, StatusCode::SEE_OTHER);
    }

    let page = app.get("/chi-so/online_rate?ky=2024-Q1").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("style="));
    let fc = part(&page.body, "class=\"forecast-line\"", "</p>");
    assert!(fc.contains("data-forecast=\"at_risk\""), "{fc}");
    assert!(
        fc.contains("Dự báo <b class=\"fc-value\">60%</b> (khoảng 15% – 90%)"),
        "{fc}"
    );
    assert!(page.body.contains("Cách tính dự báo"));
    // The trend: one point per month with data, valued as the year to date (100%, 50%, 60%),
    // higher on the chart for a higher value; the dashed forecast runs from March to December.
    let trend = part(&page.body, "<svg class=\"trend\"", "</svg>");
    let actual = attrs(trend, "polyline", Some("actual"), "points");
    assert_eq!(actual.len(), 1);
    let ys: Vec<f64> = actual[0]
        .split(' ')
        .map(|p| p.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    assert_eq!(ys.len(), 3);
    assert!(ys[0] < ys[2] && ys[2] < ys[1], "{ys:?}");
    assert!(trend.contains("<title>T1: 100%</title>") && trend.contains("<title>T2: 50%</title>"));
    let dashed = attrs(trend, "polyline", Some("projection"), "points");
    assert_eq!(dashed[0].split(' ').count(), 10);
    assert!(trend.contains("Dự báo tháng 12: 60% (khoảng 15% – 90%)"));
    assert_eq!(attrs(trend, "line", Some("threshold"), "y1").len(), 1);
    // The communes' bars, highest first: Hòa Lạc 1/1 meets 70%, Tùng Ảnh 1/2 does not.
    let bars = part(&page.body, "<svg class=\"bars\"", "</svg>");
    assert_eq!(attrs(bars, "rect", Some("bar met"), "width").len(), 1);
    assert_eq!(attrs(bars, "rect", Some("bar not-met"), "width").len(), 1);
    assert!(bars.find("Hòa Lạc").unwrap() < bars.find("Tùng Ảnh").unwrap());

    let dash = app.get_with_cookie("/tong-quan?ky=2024-Q1", cookie).await;
    assert_eq!(dash.status, StatusCode::OK);
    assert!(!dash.body.contains("style="));
    let online = row(
        &dash.body,
        "data-measure=\"online_rate\" data-scope=\"all\"",
    );
    assert!(online.contains("data-forecast=\"at_risk\""), "{online}");
    assert!(online.contains("(khoảng 15% – 90%)"), "{online}");
    let dialogues = row(&dash.body, "data-target=\"3.7\"");
    assert!(
        dialogues.contains("data-forecast=\"on_track\""),
        "{dialogues}"
    );
    assert!(dialogues.contains(">8</b> (khoảng 2 – 11)"), "{dialogues}");
    // No initiative recorded at all: nothing to project.
    let initiatives = row(&dash.body, "data-target=\"1.2\"");
    assert!(
        initiatives.contains("data-forecast=\"none\""),
        "{initiatives}"
    );
    let posts = row(&dash.body, "data-target=\"4.2\"");
    assert!(posts.contains("Chưa đủ số liệu để dự báo"), "{posts}");
    assert!(dash.body.contains("<svg class=\"bars\""));
    assert!(dash.body.contains("Cách tính dự báo"));

    // The target's page: the year as of its end (all twelve months), no dashed part left.
    let target = app
        .get(&format!("/ke-hoach/{}/chi-tieu/3.2", app.plan_id))
        .await;
    assert!(target.body.contains("Dự báo cuối năm 2024"));
    assert!(target.body.contains("<svg class=\"trend\""));
    assert!(!target.body.contains("class=\"projection\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forecasts_beside_the_targets_on_sqlite() {
    forecasts_beside_the_targets(TestApp::duc_tho().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forecasts_beside_the_targets_on_postgres() {
    let Some(db) = cchc_store::testing::TestDatabase::create().await else {
        return;
    };
    let app = TestApp::duc_tho_at(db.url(), None).await;
    forecasts_beside_the_targets(app).await;
    db.drop().await;
}
