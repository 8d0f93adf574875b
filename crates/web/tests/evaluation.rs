//! The evaluation pages through the router: forms with the session's CSRF token write the
//! records, refusals come back on the page in Vietnamese, and the measured figures show on
//! `/danh-gia`, the plan's key-target list and a target's page.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use cchc_domain::execution::Role;
use common::{Page, TestApp};
use tower::ServiceExt;

/// Posts a form (fields already URL-encoded) with the session cookie.
async fn post(app: &TestApp, uri: &str, cookie: &str, form: &str) -> (StatusCode, String, String) {
    let res = app
        .router()
        .oneshot(
            Request::post(uri)
                .header(header::COOKIE, cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form.to_string()))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = res.status();
    let location = res
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, location, String::from_utf8(bytes.to_vec()).unwrap())
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn inspection_form(csrf: &str, unit: &str, held: &str) -> String {
    format!(
        "csrf={csrf}&nam=2024&year=2024&unit={unit}&planned=&held={}&team={}&content={}&findings=&minutes=",
        enc(held),
        enc("Đoàn kiểm tra CCHC huyện"),
        enc("Công tác CCHC năm 2024")
    )
}

#[tokio::test]
async fn inspections_entered_through_the_page_give_target_1_3_everywhere() {
    let app = TestApp::duc_tho().await;
    let (cookie, csrf) = app.sign_in_office().await;
    // Three units inspected, one of them twice: 3 of the 32 in scope = 9,38%.
    for (unit, held) in [
        ("xa-tung-anh", "02/05/2024"),
        ("xa-hoa-lac", "2024-05-03"),
        ("phong-tu-phap", "04/06/2024"),
        ("xa-tung-anh", "01/10/2024"),
    ] {
        let (status, location, _) = post(
            &app,
            "/danh-gia/kiem-tra/them",
            &cookie,
            &inspection_form(&csrf, unit, held),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{unit}");
        assert!(
            location.starts_with("/danh-gia/kiem-tra?nam=2024#kiem-tra-"),
            "{location}"
        );
    }
    // Without the CSRF token: refused, nothing written.
    let no_token = inspection_form("", "xa-tan-dan", "05/06/2024");
    let (status, _, _) = post(&app, "/danh-gia/kiem-tra/them", &cookie, &no_token).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A date that does not exist: the page again, with the located message.
    let (status, _, body) = post(
        &app,
        "/danh-gia/kiem-tra/them",
        &cookie,
        &inspection_form(&csrf, "xa-tan-dan", "31/02/2024"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("Ngày kiểm tra: &quot;31/02/2024&quot; không phải ngày hợp lệ"),
        "{body}"
    );

    let overview: Page = app.get_with_cookie("/danh-gia?nam=2024", &cookie).await;
    assert_eq!(overview.status, StatusCode::OK);
    let row = &overview.body[overview.body.find("data-target=\"1.3\"").unwrap()..];
    assert!(
        row.contains("9,38% (3/32)"),
        "{}",
        &row[..600.min(row.len())]
    );
    assert!(row.contains("Chưa đạt"));
    assert!(
        overview.body.contains("href=\"/danh-gia\""),
        "the navigation links here"
    );

    let list = app
        .get_with_cookie("/danh-gia/kiem-tra?nam=2024", &cookie)
        .await;
    assert_eq!(list.body.matches("data-held=\"true\"").count(), 4);

    // The plan's key-target list and the target's page show the same figure, with a link.
    let plan = app.get_plan("").await;
    let item = &plan.body[plan.body.find("id=\"chi-tieu-1.3\"").unwrap()..];
    let item = &item[..item.find("</li>").unwrap()];
    assert!(item.contains("9,38% (3/32)"), "{item}");
    assert!(
        item.contains("href=\"/danh-gia/kiem-tra?nam=2024\""),
        "{item}"
    );
    let target = app
        .get(&format!("/ke-hoach/{}/chi-tieu/1.3", app.plan_id))
        .await;
    assert!(target.body.contains("theo sổ theo dõi"));
    assert!(
        target.body.contains("Phòng Tư pháp"),
        "the records behind it are listed"
    );

    // The dashboard of a period shows it too, counted up to the period's last day: none had
    // been inspected by the end of Q1, three by the end of the year.
    for (period, figure) in [("2024-Q1", "0,00% (0/32)"), ("2024", "9,38% (3/32)")] {
        let (status, _, body) = post(
            &app,
            "/ky-bao-cao/mo",
            &cookie,
            &format!("csrf={csrf}&period={period}&due=2099-04-20T17%3A00"),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let dash = app
            .get_with_cookie(&format!("/tong-quan?ky={period}"), &cookie)
            .await;
        assert_eq!(dash.status, StatusCode::OK);
        let row = &dash.body[dash
            .body
            .find("data-target=\"1.3\"")
            .expect("1.3 on the dashboard")..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(row.contains(figure), "{period}: {row}");
        assert!(
            row.contains("href=\"/danh-gia/kiem-tra?nam=2024\""),
            "{row}"
        );
    }

    // One survey answer in February (4 of 5 ratings satisfied), one in July: target 3.6 from
    // the survey, beside the records' targets, on the dashboard and on /chi-so, counting only
    // the period's answers.
    survey_answer(&app, "device-1", "2024-02-10", [5, 5, 5, 4, 2]).await;
    survey_answer(&app, "device-2", "2024-07-01", [1, 1, 1, 1, 1]).await;
    for (period, survey, inspected) in [
        ("2024-Q1", "80,00% (4/5)", "0,00% (0/32)"),
        ("2024", "40,00% (4/10)", "9,38% (3/32)"),
    ] {
        let dash = app
            .get_with_cookie(&format!("/tong-quan?ky={period}"), &cookie)
            .await;
        let overview = app
            .get_with_cookie(&format!("/chi-so?ky={period}"), &cookie)
            .await;
        for page in [&dash, &overview] {
            assert_eq!(page.status, StatusCode::OK);
            let row = |target: &str| {
                let at = page
                    .body
                    .find(&format!("data-target=\"{target}\""))
                    .unwrap_or_else(|| panic!("{target} on the page"));
                let row = &page.body[at..];
                row[..row.find("</tr>").unwrap()].to_string()
            };
            assert!(row("1.3").contains(inspected), "{period}: {}", row("1.3"));
            let s = row("3.6");
            assert!(s.contains(survey), "{period}: {s}");
            assert!(s.contains("khảo sát"), "{s}");
        }
    }
}

/// Stores one survey answer of Xã Tùng Ảnh dated `date` (the public form dates it today).
async fn survey_answer(app: &TestApp, device: &str, date: &str, ratings: [u8; 5]) {
    use cchc_domain::evaluation::{SurveyAnswer, SurveyRating};
    let answer = SurveyAnswer {
        unit: cchc_domain::UnitId::parse("xa-tung-anh").unwrap(),
        date: chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
        ratings: ratings.map(|r| Some(SurveyRating::new(r).unwrap())),
    };
    let audit =
        cchc_store::execution::AuditDraft::new("khach", "survey.answer", "khao-sat".into(), None);
    app.store
        .reform_index()
        .add_survey_answer(
            &cchc_store::reform_index::NewSurveyAnswer {
                answer: &answer,
                comment: "",
                device_hash: device,
                addr_hash: device,
                at: chrono::Utc::now(),
                per_address_per_hour: 100,
            },
            &audit,
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_reporter_enters_its_own_dialogue_and_is_refused_another_units() {
    let app = TestApp::duc_tho().await;
    let (cookie, csrf) = app
        .sign_in_as("bc-tung-anh", "xa-tung-anh", Role::Reporter)
        .await;
    let form = |unit: &str, date: &str| {
        format!(
            "csrf={csrf}&nam=2024&unit={unit}&date={}&chair={}&topic={}&participants=&attendance=40",
            enc(date),
            enc("Chủ tịch UBND xã"),
            enc("Thủ tục đất đai")
        )
    };
    let (status, _, _) = post(
        &app,
        "/danh-gia/doi-thoai/them",
        &cookie,
        &form("xa-tung-anh", "12/04/2024"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, body) = post(
        &app,
        "/danh-gia/doi-thoai/them",
        &cookie,
        &form("xa-hoa-lac", "12/04/2024"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body.contains("không được ghi cuộc đối thoại của đơn vị «xa-hoa-lac»"),
        "{body}"
    );
    let (status, _, body) = post(
        &app,
        "/danh-gia/doi-thoai/them",
        &cookie,
        &form("xa-tung-anh", "31/02/2024"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("Ngày tổ chức: &quot;31/02/2024&quot; không phải ngày hợp lệ"),
        "{body}"
    );
    // A reporter may not plan inspections: the route's roles refuse it.
    let (status, _, _) = post(
        &app,
        "/danh-gia/kiem-tra/them",
        &cookie,
        &inspection_form(&csrf, "xa-tung-anh", "02/05/2024"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // One dialogue counted: 3.7 not met (from 2).
    let page = app
        .get_with_cookie("/danh-gia/doi-thoai?nam=2024", &cookie)
        .await;
    assert_eq!(page.body.matches("id=\"doi-thoai-").count(), 1);
    let overview = app
        .get_with_cookie("/danh-gia?nam=2024&lang=en", &cookie)
        .await;
    let row = &overview.body[overview.body.find("data-target=\"3.7\"").unwrap()..];
    assert!(
        row.contains("<b class=\"value\">1</b>"),
        "{}",
        &row[..400.min(row.len())]
    );
    assert!(overview.body.contains("Evaluation"));
}
