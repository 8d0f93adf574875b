//! The public pages (/cong-khai) without a session, over data that holds what must never show:
//! a draft, a returned report, reviewers' comments, an appraisal's reason, account names.
//! Every link reachable from /cong-khai is walked: public pages answer 200, cacheable, with an
//! ETag (304 on If-None-Match) and no cookie, and show none of those strings; every other link
//! and every signed-in route tried without a session is refused (403, 404, 401 for the API) or,
//! for a page that exists for signed-in users, redirected to the sign-in page (the authorize
//! layer's answer everywhere: the redirect carries no data). The ranking and a period's report
//! appear only once published, and the Atom feed lists exactly what is published. On SQLite
//! and PostgreSQL.

mod common;

use std::collections::{BTreeSet, VecDeque};

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use cchc_app::access::Session;
use cchc_app::App;
use cchc_domain::evaluation::{
    Appraisal, AppraisalDecision, CriterionCode, Evidence, Points, SelfScore,
};
use cchc_domain::execution::{
    involvement, Involvement, ItemStatus, ReportContent, ReportItem, Role,
};
use common::TestApp;
use tower::ServiceExt;

macro_rules! both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(super::common::TestApp::duc_tho().await).await })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let Some(db) = cchc_store::testing::TestDatabase::create().await else { return };
                let app = super::common::TestApp::duc_tho_at(db.url(), None).await;
                let outcome = tokio::spawn(super::$name(app)).await;
                db.drop().await;
                if let Err(e) = outcome { std::panic::resume_unwind(e.into_panic()); }
            })*
        }
    };
}

both!(public_pages_show_only_what_is_sent_or_published_and_nothing_personal);

/// Strings seeded where the public must not see them.
const DRAFT_NOTE: &str = "GHI-CHU-BAN-NHAP-7731";
const DRAFT_DIFFICULTY: &str = "VUONG-MAC-BAN-NHAP-7732";
const RETURNED_NOTE: &str = "GHI-CHU-BI-TRA-LAI-7733";
const RETURN_COMMENT: &str = "Y-KIEN-TRA-LAI-7734";
const RETURN_ITEM_COMMENT: &str = "Y-KIEN-TUNG-VIEC-7735";
const ACCEPT_COMMENT: &str = "Y-KIEN-TIEP-NHAN-7736";
const ACCEPTED_NOTE: &str = "GHI-CHU-DA-TIEP-NHAN-7737";
const APPRAISAL_REASON: &str = "LY-DO-THAM-DINH-7738";
const OFFICE_USER: &str = "can-bo-nguyen-van-an";
const REPORTER_A: &str = "nguoi-bao-cao-tran-thi-binh";
const REPORTER_B: &str = "nguoi-bao-cao-le-van-cuong";
const REPORTER_C: &str = "nguoi-bao-cao-pham-thi-dung";
const COMMUNE_USER: &str = "can-bo-xa-hoang-van-em";

const SECRETS: [&str; 13] = [
    DRAFT_NOTE,
    DRAFT_DIFFICULTY,
    RETURNED_NOTE,
    RETURN_COMMENT,
    RETURN_ITEM_COMMENT,
    ACCEPT_COMMENT,
    ACCEPTED_NOTE,
    APPRAISAL_REASON,
    OFFICE_USER,
    REPORTER_A,
    REPORTER_B,
    REPORTER_C,
    COMMUNE_USER,
];

fn session(username: &str, unit: &str, role: Role) -> Session {
    Session {
        user: cchc_store::execution::User {
            id: cchc_store::execution::UserId(1),
            username: username.into(),
            unit: unit.into(),
            role,
            password_hash: String::new(),
            disabled: false,
            demo: false,
            must_change_password: false,
            email: None,
        },
        csrf_token: "t".into(),
        token_hash: "h".into(),
    }
}

struct Res {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Res {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn header(&self, h: header::HeaderName) -> String {
        self.headers
            .get(h)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }
}

async fn send(app: &TestApp, req: Request<Body>) -> Res {
    let res = app.router().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    Res {
        status,
        headers,
        body,
    }
}

async fn get(app: &TestApp, uri: &str) -> Res {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post_form(app: &TestApp, uri: &str, cookie: Option<&str>, form: &str) -> Res {
    let mut r =
        Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    send(app, r.body(Body::from(form.to_string())).unwrap()).await
}

/// The `href`s of an HTML page's links, without fragments.
fn links(html: &str) -> Vec<String> {
    common::tags(html)
        .into_iter()
        .filter(|(name, _)| name == "a")
        .filter_map(|(_, attrs)| attrs.into_iter().find(|(k, _)| k == "href").map(|(_, v)| v))
        .map(|h| h.replace("&amp;", "&"))
        .map(|h| h.split('#').next().unwrap_or("").to_string())
        .filter(|h| h.starts_with('/'))
        .collect()
}

fn assert_no_secret(uri: &str, text: &str) {
    for s in SECRETS {
        assert!(!text.contains(s), "{uri} shows «{s}»");
    }
}

/// A refusal without a session: 401 (the API), 403, 404, or the redirect to sign in.
fn assert_refused(uri: &str, r: &Res) {
    let to_sign_in =
        r.status == StatusCode::SEE_OTHER && r.header(header::LOCATION).starts_with("/dang-nhap");
    assert!(
        to_sign_in
            || matches!(
                r.status,
                StatusCode::UNAUTHORIZED
                    | StatusCode::FORBIDDEN
                    | StatusCode::NOT_FOUND
                    | StatusCode::METHOD_NOT_ALLOWED
            ),
        "{uri} without a session answered {} {}",
        r.status,
        r.header(header::LOCATION)
    );
    assert_no_secret(uri, &r.text());
}

/// Walks every link reachable from /cong-khai: public pages are followed, any other link is
/// fetched once. Returns the public pages seen.
async fn crawl(app: &TestApp) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut public = BTreeSet::new();
    let mut queue = VecDeque::from(["/cong-khai".to_string()]);
    while let Some(uri) = queue.pop_front() {
        if !seen.insert(uri.clone()) {
            continue;
        }
        let r = get(app, &uri).await;
        let path = uri.split('?').next().unwrap();
        let is_public = path == "/cong-khai" || path.starts_with("/cong-khai/");
        assert_no_secret(&uri, &r.text());
        assert!(
            r.headers.get(header::SET_COOKIE).is_none() || !is_public,
            "{uri} sets a cookie"
        );
        if !is_public {
            // A page of the plan (public already) or one for signed-in users.
            if r.status != StatusCode::OK {
                assert_refused(&uri, &r);
            }
            continue;
        }
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert_eq!(
            r.header(header::CACHE_CONTROL),
            "public, max-age=300",
            "{uri}"
        );
        let etag = r.header(header::ETAG);
        assert!(
            etag.starts_with('"') && etag.len() > 10,
            "{uri}: ETag {etag}"
        );
        let again = send(
            app,
            Request::get(&uri)
                .header(header::IF_NONE_MATCH, &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{uri}");
        assert!(again.body.is_empty(), "{uri}");
        assert_eq!(again.header(header::ETAG), etag);
        public.insert(uri.clone());
        if r.header(header::CONTENT_TYPE).starts_with("text/html") {
            common::assert_no_inline_script(&uri, &r.text());
            for l in links(&r.text()) {
                if !seen.contains(&l) {
                    queue.push_back(l);
                }
            }
        }
    }
    public
}

/// The feed's entry ids, after checking that it is well-formed XML with the Atom root.
fn feed_ids(xml: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut ids, mut path, mut root) = (Vec::new(), Vec::<String>::new(), None);
    loop {
        match reader.read_event().expect("the feed is well-formed XML") {
            Event::Start(e) => {
                let name = e.name().0.to_string();
                if root.is_none() {
                    let ns = e
                        .attributes()
                        .map(|a| a.unwrap())
                        .find(|a| a.key.0 == "xmlns")
                        .map(|a| a.value.into_owned());
                    root = Some((name.clone(), ns));
                }
                path.push(name);
            }
            Event::End(_) => {
                path.pop();
            }
            Event::Text(t) if path.ends_with(&["entry".to_string(), "id".to_string()]) => {
                ids.push(t.xml10_content().into_owned());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(
        root,
        Some((
            "feed".to_string(),
            Some("http://www.w3.org/2005/Atom".to_string())
        ))
    );
    ids
}

/// An activity of the unit's report in the period that the unit alone leads.
fn sole_lead(app: &TestApp, view: &cchc_app::execution::ReportView, unit: &str) -> String {
    let uid = cchc_domain::UnitId::parse(unit).unwrap();
    view.lines
        .iter()
        .find(|l| {
            let a = app.plan.activity(&l.activity).unwrap().activity;
            l.involvement == Involvement::Lead
                && app
                    .registry
                    .units()
                    .iter()
                    .filter(|u| involvement(a, &u.id, &app.registry) == Some(Involvement::Lead))
                    .all(|u| u.id == uid)
        })
        .map(|l| l.activity.clone())
        .unwrap_or_else(|| panic!("{unit} leads an activity alone in 2024-Q2"))
}

fn done(activity: &str, note: &str, difficulties: &str) -> ReportContent {
    ReportContent {
        items: vec![ReportItem {
            activity: activity.to_string(),
            status: ItemStatus::Done,
            note: note.to_string(),
            evidence: Vec::new(),
            difficulties: difficulties.to_string(),
            proposals: String::new(),
        }],
        targets: Vec::new(),
    }
}

/// The standing an area page gives an activity.
async fn standing(app: &TestApp, activity: &str) -> String {
    let area = {
        let c = app.plan.activity(activity).unwrap();
        app.plan.section_area(&c.section.code).unwrap()
    };
    let page = get(app, &format!("/cong-khai/linh-vuc/{area}"))
        .await
        .text();
    let row = &page[page
        .find(&format!("data-activity=\"{activity}\""))
        .unwrap_or_else(|| panic!("area {area} lists {activity}"))..];
    let at = row.find("data-standing=\"").unwrap() + "data-standing=\"".len();
    row[at..at + row[at..].find('"').unwrap()].to_string()
}

async fn public_pages_show_only_what_is_sent_or_published_and_nothing_personal(app: TestApp) {
    use cchc_app::execution as x;
    let state = App::new(app.store.clone(), Default::default());
    let office = session(OFFICE_USER, "phong-noi-vu", Role::StandingOffice);
    x::open_period(&state, &office, "2024-Q1", "2024-04-10T17:00:00+07:00")
        .await
        .unwrap();
    x::open_period(&state, &office, "2024-Q2", "2099-07-10T17:00:00+07:00")
        .await
        .unwrap();

    // A: sent and accepted (with the office's comment); B: a draft saying done; C: sent, then
    // returned with comments.
    let (ua, ub, uc) = ("phong-tu-phap", "phong-tc-kh", "phong-vh-tt");
    let mut acts = Vec::new();
    for (unit, user, note, difficulty) in [
        (ua, REPORTER_A, ACCEPTED_NOTE, ""),
        (ub, REPORTER_B, DRAFT_NOTE, DRAFT_DIFFICULTY),
        (uc, REPORTER_C, RETURNED_NOTE, ""),
    ] {
        let s = session(user, unit, Role::Reporter);
        let view = x::report(&state, &s, "2024-Q2", unit).await.unwrap();
        let act = sole_lead(&app, &view, unit);
        x::save_report(
            &state,
            &s,
            "2024-Q2",
            unit,
            view.version,
            done(&act, note, difficulty),
        )
        .await
        .unwrap();
        if unit != ub {
            x::submit_report(&state, &s, "2024-Q2", unit, None)
                .await
                .unwrap();
        }
        acts.push(act);
    }
    x::review_report(
        &state,
        &office,
        "2024-Q2",
        ua,
        "accept",
        ACCEPT_COMMENT,
        Default::default(),
    )
    .await
    .unwrap();
    x::review_report(
        &state,
        &office,
        "2024-Q2",
        uc,
        "return",
        RETURN_COMMENT,
        [(acts[2].clone(), RETURN_ITEM_COMMENT.to_string())].into(),
    )
    .await
    .unwrap();
    // Only the accepted report makes its activity done; the draft and the returned one count
    // for nothing.
    assert_eq!(standing(&app, &acts[0]).await, "done");
    assert_ne!(standing(&app, &acts[1]).await, "done");
    assert_ne!(standing(&app, &acts[2]).await, "done");

    // Reform index: one commune sent and appraised (with a reason), one still scoring.
    let code = |c: &str| CriterionCode::parse(c).unwrap();
    let score = SelfScore {
        criterion: code("1.1.1"),
        score: Points::from_hundredths(100),
        evidence: vec![Evidence::Document {
            number: "12/KH-UBND".into(),
            date: chrono::NaiveDate::from_ymd_opt(2024, 1, 15).unwrap(),
        }],
    };
    let (sent, scoring) = ("xa-tung-anh", "xa-hoa-lac");
    for unit in [sent, scoring] {
        let s = session(COMMUNE_USER, unit, Role::Reporter);
        cchc_app::reform_index::self_score(&state, &s, 2024, unit, score.clone())
            .await
            .unwrap();
    }
    cchc_app::reform_index::submit(
        &state,
        &session(COMMUNE_USER, sent, Role::Reporter),
        2024,
        sent,
    )
    .await
    .unwrap();

    // Publishing goes through the office's buttons, signed in.
    let (cookie, csrf) = app
        .sign_in_as(OFFICE_USER, "phong-noi-vu", Role::StandingOffice)
        .await;
    let publish = |uri: String, on: bool| {
        let (app, cookie, form) = (
            &app,
            cookie.clone(),
            format!("csrf={csrf}&bat={}", u8::from(on)),
        );
        async move { post_form(app, &uri, Some(&cookie), &form).await }
    };
    // Not before every sent commune is appraised: refused in Vietnamese, nothing stored.
    let r = publish("/chi-so-cchc/2024/cong-khai".into(), true).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text().contains("chờ thẩm định"), "{}", r.text());
    cchc_app::reform_index::appraise(
        &state,
        &office,
        2024,
        sent,
        Appraisal {
            criterion: code("1.1.1"),
            decision: AppraisalDecision::Change {
                score: Points::ZERO,
                reason: APPRAISAL_REASON.into(),
            },
        },
    )
    .await
    .unwrap();

    // Before publishing: no ranking, no report, an empty feed.
    assert_eq!(
        get(&app, "/cong-khai/chi-so-cchc/2024").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, "/cong-khai/bao-cao/2024-Q2").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, "/cong-khai/bao-cao/2024-Q2/bao-cao.docx")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let feed = get(&app, "/cong-khai/atom.xml").await;
    assert!(feed
        .header(header::CONTENT_TYPE)
        .starts_with("application/atom+xml"));
    assert!(feed_ids(&feed.text()).is_empty());
    let before = crawl(&app).await;
    assert!(
        !before
            .iter()
            .any(|u| u.starts_with("/cong-khai/chi-so-cchc")),
        "{before:?}"
    );

    // Without a session, the buttons are refused and nothing is published.
    for uri in [
        "/chi-so-cchc/2024/cong-khai",
        "/bao-cao/ky/2024-Q2/cong-khai",
    ] {
        let r = post_form(&app, uri, None, "bat=1").await;
        assert_refused(uri, &r);
    }
    assert!(app
        .store
        .publication()
        .publications()
        .await
        .unwrap()
        .is_empty());

    for uri in [
        "/chi-so-cchc/2024/cong-khai",
        "/bao-cao/ky/2024-Q2/cong-khai",
    ] {
        let r = publish(uri.into(), true).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{uri}: {}", r.text());
    }
    let ranking = get(&app, "/cong-khai/chi-so-cchc/2024").await;
    assert_eq!(ranking.status, StatusCode::OK);
    assert!(ranking.text().contains(&format!("data-unit=\"{sent}\"")));
    assert!(
        !ranking.text().contains(&format!("data-unit=\"{scoring}\"")),
        "a draft is ranked"
    );
    let docx = get(&app, "/cong-khai/bao-cao/2024-Q2/bao-cao.docx").await;
    assert_eq!(docx.status, StatusCode::OK);
    assert!(docx.body.starts_with(b"PK"));
    assert_eq!(
        get(&app, "/cong-khai/bao-cao/2024-Q1").await.status,
        StatusCode::NOT_FOUND
    );

    // The walk now reaches both published items, and the feed lists exactly them.
    let after = crawl(&app).await;
    for uri in [
        "/cong-khai/chi-so-cchc/2024",
        "/cong-khai/bao-cao/2024-Q2",
        "/cong-khai/bao-cao/2024-Q2/bao-cao.docx",
        "/cong-khai/chi-tieu",
        "/cong-khai/don-vi",
        "/cong-khai/atom.xml",
        "/cong-khai/linh-vuc/1",
        "/cong-khai/linh-vuc/7",
    ] {
        assert!(after.contains(uri), "{uri} not reached: {after:?}");
    }
    let ids = feed_ids(&get(&app, "/cong-khai/atom.xml").await.text());
    assert_eq!(
        ids.iter().collect::<BTreeSet<_>>(),
        [
            "tag:cchc,2024:cong-khai/bao-cao/2024-Q2".to_string(),
            "tag:cchc,2024:cong-khai/chi-so-cchc/2024".to_string()
        ]
        .iter()
        .collect()
    );

    // Withdrawn: the ranking is gone from the pages and the feed; the audit log has both.
    let r = publish("/chi-so-cchc/2024/cong-khai".into(), false).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        get(&app, "/cong-khai/chi-so-cchc/2024").await.status,
        StatusCode::NOT_FOUND
    );
    let ids = feed_ids(&get(&app, "/cong-khai/atom.xml").await.text());
    assert_eq!(ids, ["tag:cchc,2024:cong-khai/bao-cao/2024-Q2"]);
    let actions: Vec<(String, String)> = app
        .store
        .execution()
        .list_audit(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action.starts_with("public."))
        .map(|e| (e.action, e.object))
        .collect();
    assert_eq!(actions.len(), 3, "{actions:?}");
    assert!(actions.contains(&("public.unpublish".into(), "publication:ranking/2024".into())));

    // Signed-in routes without a session.
    for uri in [
        "/bao-cao",
        "/bao-cao/2024-Q2",
        &format!("/bao-cao/2024-Q2/{ua}"),
        &format!("/bao-cao/2024-Q2/{uc}"),
        "/bao-cao/ky/2024-Q2/van-ban",
        "/bao-cao/ky/2024-Q2/bao-cao.docx",
        "/bao-cao/ky/2024-Q2/ma-tran.xlsx",
        "/tong-quan",
        "/qua-han",
        "/ky-bao-cao",
        "/nhat-ky",
        "/quan-tri/tai-khoan",
        "/danh-gia",
        "/chi-so-cchc",
        "/chi-so-cchc/2024",
        "/chi-so-cchc/2024/xep-hang.xlsx",
        &format!("/chi-so-cchc/2024/{sent}"),
        "/khao-sat",
        "/api/v1/periods",
        &format!("/api/v1/periods/2024-Q2/reports/{ub}"),
        "/api/v1/audit",
        "/api/v1/users",
        "/cong-khai/chi-so-cchc/2023",
        "/cong-khai/chi-so-cchc/x",
        "/cong-khai/bao-cao/2024-Q1",
        "/cong-khai/bao-cao/2024-Q1/bao-cao.docx",
        "/cong-khai/linh-vuc/99",
    ] {
        assert_refused(uri, &get(&app, uri).await);
    }
}
