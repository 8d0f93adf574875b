//! The repository test suite: every test runs on a fresh SQLite file and on a fresh PostgreSQL
//! database (from `CCHC_TEST_POSTGRES_URL`; skipped with a notice when unset, unless
//! `CCHC_REQUIRE_POSTGRES=1`).

use cchc_domain::{
    Activity, Area, Deadline, DeadlineKind, Decision, Diagnostic, GroupId, Measure, MeasureOp,
    MeasureUnit, Objective, Part, Plan, Row, Section, Signer, Solution, Target, Task, Unit, UnitId,
    UnitKind, UnitRef, FORMAT,
};
use cchc_store::{ActivityRecord, PlanId, Store, StoreError, UnitImportSummary};
use chrono::NaiveDate;

// ---------------------------------------------------------------------------------------------
// Harness

// Each test once per backend: `sqlite::NAME` and `postgres::NAME`.
cchc_store::backend_tests!(
    units_round_trip_in_registry_order,
    importing_the_same_units_again_changes_nothing,
    updated_unit_keeps_its_place_and_new_units_come_last,
    child_unit_may_come_before_its_parent,
    plan_reads_back_equal_to_what_was_stored,
    activity_rows_mirror_the_plan,
    found_plan_is_replaced_in_place_keeping_its_id,
    two_plans_coexist,
    same_decision_number_of_another_owner_is_another_plan,
    second_plan_for_same_decision_is_rejected_and_first_stays_intact,
    replace_that_collides_with_another_plan_changes_nothing,
    plan_without_activity_keys_is_rejected_and_nothing_is_stored,
    replacing_or_listing_a_missing_plan_is_not_found,
    list_plans_counts_activities_and_targets,
    concurrent_writers_wait_for_each_other_instead_of_failing,
);

// Tests that open a second store on the same database.
mod two_stores {
    use super::*;
    cchc_store::backend_tests!(
        with_url: a_shared_plan_shows_another_servers_replace_at_once,
        data_version_moves_on_every_commit_from_any_connection
    );
}

// ---------------------------------------------------------------------------------------------
// Fixtures

fn uid(s: &str) -> UnitId {
    UnitId::parse(s).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn unit(id: &str, name: &str, kind: UnitKind, parent: Option<&str>) -> Unit {
    Unit {
        id: uid(id),
        name: name.into(),
        kind,
        parent: parent.map(uid),
        aliases: vec![],
        source: "standard".into(),
    }
}

fn registry() -> Vec<Unit> {
    let mut noi_vu = unit(
        "phong-noi-vu",
        "Phòng Nội vụ",
        UnitKind::DistrictOffice,
        Some("ubnd-huyen"),
    );
    noi_vu.aliases = vec!["P. Nội vụ".into(), "Phòng NV".into()];
    vec![
        unit("ubnd-huyen", "UBND huyện Đức Thọ", UnitKind::District, None),
        noi_vu,
        unit(
            "van-phong",
            "Văn phòng HĐND và UBND huyện",
            UnitKind::DistrictOffice,
            Some("ubnd-huyen"),
        ),
        unit(
            "xa-tung-anh",
            "UBND xã Tùng Ảnh",
            UnitKind::Commune,
            Some("ubnd-huyen"),
        ),
    ]
}

fn activity(
    code: &str,
    text: &str,
    lead: Vec<UnitRef>,
    coordinators: Vec<UnitRef>,
    deadline: Option<Deadline>,
) -> Activity {
    Activity {
        id: String::new(),
        code: Some(code.into()),
        text: text.into(),
        outputs: Some("Kế hoạch".into()),
        lead,
        coordinators,
        deadline,
        funding: None,
    }
}

fn deadline(
    text: &str,
    kind: DeadlineKind,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
) -> Option<Deadline> {
    Some(Deadline {
        text: text.into(),
        kind,
        start,
        end,
    })
}

/// A small plan that still uses every part of the contract: all three kinds of unit
/// reference, all four kinds of deadline, measures with and without `max`, sections with and
/// without parts, an activity without a code and one without a deadline.
fn sample_plan(number: &str) -> Plan {
    let noi_vu = || UnitRef::unit(uid("phong-noi-vu"), "Phòng Nội vụ");
    let mut plan = Plan {
        format: FORMAT.into(),
        decision: Decision {
            number: number.into(),
            date: day(2024, 1, 11),
            place: Some("Đức Thọ".into()),
            title: "Về việc ban hành Kế hoạch cải cách hành chính huyện Đức Thọ năm 2024".into(),
            signer: Some(Signer {
                title: "Chủ tịch".into(),
                name: "Trần Hoài Đức".into(),
            }),
            legal_basis: vec!["Luật Tổ chức Chính quyền địa phương ngày 19/6/2015;".into()],
            recipients: vec!["Như Điều 2".into(), "UBND tỉnh (B/C)".into()],
        },
        year: 2024,
        owner: UnitRef::unit(uid("ubnd-huyen"), "UBND huyện Đức Thọ"),
        areas: vec![
            Area {
                no: 1,
                title: "Chỉ đạo điều hành CCHC".into(),
            },
            Area {
                no: 2,
                title: "Cải cách thủ tục hành chính".into(),
            },
        ],
        targets: vec![
            Target {
                code: "1.1".into(),
                area: 1,
                text: "100% kế hoạch được ban hành đúng hạn".into(),
                measures: vec![Measure {
                    op: MeasureOp::Ge,
                    value: 100.0,
                    max: None,
                    unit: MeasureUnit::Percent,
                    scope: None,
                }],
            },
            Target {
                code: "2.1".into(),
                area: 2,
                text: "Số hóa kết quả giải quyết TTHC đạt từ 75% đến 80%, giảm tối thiểu 2,5%"
                    .into(),
                measures: vec![
                    Measure {
                        op: MeasureOp::Between,
                        value: 75.0,
                        max: Some(80.0),
                        unit: MeasureUnit::Percent,
                        scope: Some("cấp xã".into()),
                    },
                    Measure {
                        op: MeasureOp::Ge,
                        value: 2.5,
                        max: None,
                        unit: MeasureUnit::PercentReduction,
                        scope: Some("biên chế".into()),
                    },
                ],
            },
        ],
        solutions: vec![Solution {
            area: 1,
            text: "Tiếp tục chỉ đạo đồng bộ".into(),
        }],
        sections: vec![
            Section {
                code: "I".into(),
                title: "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CCHC".into(),
                parts: vec![Part {
                    code: None,
                    title: None,
                    rows: vec![Row {
                        no: "1".into(),
                        objective: Some(Objective {
                            code: Some("1.1".into()),
                            text: "Nâng cao chất lượng".into(),
                        }),
                        tasks: vec![Task {
                            code: Some("2.1".into()),
                            text: "Ban hành Kế hoạch CCHC năm 2024".into(),
                            activities: vec![
                                activity(
                                    "3.1",
                                    "Xây dựng dự thảo văn bản",
                                    vec![noi_vu()],
                                    vec![UnitRef::group(
                                        GroupId::DistrictAgencies,
                                        "các phòng, ban, ngành cấp huyện",
                                    )],
                                    deadline(
                                        "Trước 15/01/2024",
                                        DeadlineKind::Date,
                                        None,
                                        day(2024, 1, 15),
                                    ),
                                ),
                                activity(
                                    "3.2",
                                    "Kiểm tra công tác CCHC",
                                    vec![
                                        noi_vu(),
                                        UnitRef::unresolved("Thành viên Đoàn kiểm tra CCHC huyện"),
                                    ],
                                    vec![],
                                    deadline(
                                        "Quý II, III/2024",
                                        DeadlineKind::Period,
                                        day(2024, 4, 1),
                                        day(2024, 9, 30),
                                    ),
                                ),
                            ],
                        }],
                    }],
                }],
            },
            Section {
                code: "VII".into(),
                title: "CHUYỂN ĐỔI SỐ".into(),
                parts: vec![
                    Part {
                        code: Some("A".into()),
                        title: Some("Chính quyền số".into()),
                        rows: vec![Row {
                            no: "1".into(),
                            objective: None,
                            tasks: vec![Task {
                                code: None,
                                text: "Vận hành hệ thống".into(),
                                activities: vec![
                                    activity(
                                        "1",
                                        "Cập nhật dữ liệu",
                                        vec![UnitRef::group(
                                            GroupId::Communes,
                                            "UBND các xã, thị trấn",
                                        )],
                                        vec![UnitRef::unit(
                                            uid("van-phong"),
                                            "Văn phòng HĐND và UBND huyện",
                                        )],
                                        deadline(
                                            "Thường xuyên",
                                            DeadlineKind::Recurring,
                                            None,
                                            None,
                                        ),
                                    ),
                                    Activity {
                                        code: None,
                                        funding: Some("Ngân sách huyện".into()),
                                        deadline: None,
                                        ..activity(
                                            "",
                                            "Hoạt động không số",
                                            vec![noi_vu()],
                                            vec![],
                                            None,
                                        )
                                    },
                                ],
                            }],
                        }],
                    },
                    Part {
                        code: Some("B".into()),
                        title: Some("Xã hội số".into()),
                        rows: vec![Row {
                            no: "1".into(),
                            objective: None,
                            tasks: vec![Task {
                                code: Some("1".into()),
                                text: "Triển khai đề án".into(),
                                activities: vec![activity(
                                    "1",
                                    "Triển khai theo lộ trình",
                                    vec![UnitRef::unresolved("Tổ công tác đề án 06")],
                                    vec![UnitRef::group(GroupId::Related, "các cơ quan liên quan")],
                                    deadline(
                                        "Theo lộ trình đề án được phê duyệt",
                                        DeadlineKind::Conditional,
                                        None,
                                        None,
                                    ),
                                )],
                            }],
                        }],
                    },
                ],
            },
        ],
        commune_plans_due: None,
        diagnostics: vec![Diagnostic::warning(
            "unresolved-unit",
            "Không xác định được đơn vị «Tổ công tác đề án 06»",
            "PL.VIIB.1.1",
        )],
    };
    plan.assign_ids();
    plan
}

/// The activity rows a plan should produce, built from the plan alone.
fn expected_records(plan: &Plan) -> Vec<ActivityRecord> {
    plan.activities()
        .map(|c| ActivityRecord {
            key: c.activity.id.clone(),
            section_code: c.section.code.clone(),
            part_code: c.part.code.clone(),
            row_no: c.row.no.clone(),
            task_code: c.task.code.clone(),
            code: c.activity.code.clone(),
            text: c.activity.text.clone(),
            outputs: c.activity.outputs.clone(),
            funding: c.activity.funding.clone(),
            deadline: c.activity.deadline.clone(),
            lead: c.activity.lead.clone(),
            coordinators: c.activity.coordinators.clone(),
        })
        .collect()
}

fn keys(records: &[ActivityRecord]) -> Vec<&str> {
    records.iter().map(|r| r.key.as_str()).collect()
}

// ---------------------------------------------------------------------------------------------
// Units

async fn units_round_trip_in_registry_order(store: Store) {
    let units = registry();
    let summary = store.import_units(&units).await.unwrap();
    assert_eq!(
        summary,
        UnitImportSummary {
            read: 4,
            inserted: 4,
            updated: 0,
            unchanged: 0
        }
    );
    assert_eq!(store.list_units().await.unwrap(), units);
}

async fn importing_the_same_units_again_changes_nothing(store: Store) {
    store.import_units(&registry()).await.unwrap();
    let summary = store.import_units(&registry()).await.unwrap();
    assert_eq!(
        summary,
        UnitImportSummary {
            read: 4,
            inserted: 0,
            updated: 0,
            unchanged: 4
        }
    );
    assert_eq!(store.list_units().await.unwrap(), registry());
}

async fn updated_unit_keeps_its_place_and_new_units_come_last(store: Store) {
    store.import_units(&registry()).await.unwrap();
    let mut renamed = registry()[1].clone();
    renamed.name = "Phòng Nội vụ huyện".into();
    renamed.aliases.push("Phòng Nội vụ huyện Đức Thọ".into());
    let added = unit(
        "xa-duc-lang",
        "UBND xã Đức Lạng",
        UnitKind::Commune,
        Some("ubnd-huyen"),
    );

    let summary = store
        .import_units(&[added.clone(), renamed.clone()])
        .await
        .unwrap();
    assert_eq!(
        summary,
        UnitImportSummary {
            read: 2,
            inserted: 1,
            updated: 1,
            unchanged: 0
        }
    );

    let mut expected = registry();
    expected[1] = renamed;
    expected.push(added);
    assert_eq!(store.list_units().await.unwrap(), expected);
}

async fn child_unit_may_come_before_its_parent(store: Store) {
    let mut units = registry();
    units.reverse();
    let summary = store.import_units(&units).await.unwrap();
    assert_eq!(summary.inserted, 4);
    assert_eq!(store.list_units().await.unwrap(), units);
}

// ---------------------------------------------------------------------------------------------
// Plans

async fn plan_reads_back_equal_to_what_was_stored(store: Store) {
    let plan = sample_plan("60/QĐ-UBND");
    let id = store.insert_plan(&plan).await.unwrap();
    assert_eq!(store.get_plan(id).await.unwrap(), Some(plan));
}

async fn activity_rows_mirror_the_plan(store: Store) {
    let plan = sample_plan("60/QĐ-UBND");
    let id = store.insert_plan(&plan).await.unwrap();
    let records = store.list_activities(id).await.unwrap();
    assert_eq!(
        keys(&records),
        ["I.1.3.1", "I.1.3.2", "VIIA.1.1", "VIIA.1.a2", "VIIB.1.1"]
    );
    assert_eq!(records, expected_records(&plan));
}

async fn found_plan_is_replaced_in_place_keeping_its_id(store: Store) {
    let plan = sample_plan("60/QĐ-UBND");
    let id = store.insert_plan(&plan).await.unwrap();
    assert_eq!(
        store
            .find_plan("60/QĐ-UBND", "UBND huyện Đức Thọ")
            .await
            .unwrap(),
        Some(id)
    );

    // A corrected document: one activity dropped, one reworded with another lead, one added,
    // and one target dropped.
    let mut corrected = plan.clone();
    corrected.decision.title = "Kế hoạch CCHC năm 2024 (sửa đổi)".into();
    corrected.targets.pop();
    let activities = &mut corrected.sections[0].parts[0].rows[0].tasks[0].activities;
    activities.remove(0);
    activities[0].text = "Kiểm tra công tác CCHC tại các xã".into();
    activities[0].lead = vec![UnitRef::unit(uid("van-phong"), "Văn phòng")];
    activities.push(activity(
        "3.3",
        "Tổng kết",
        vec![UnitRef::unresolved("Ban Chỉ đạo")],
        vec![],
        deadline(
            "Tháng 12/2024",
            DeadlineKind::Period,
            day(2024, 12, 1),
            day(2024, 12, 31),
        ),
    ));
    corrected.assign_ids();

    store.replace_plan(id, &corrected).await.unwrap();

    assert_eq!(
        store
            .find_plan("60/QĐ-UBND", "UBND huyện Đức Thọ")
            .await
            .unwrap(),
        Some(id)
    );
    assert_eq!(store.get_plan(id).await.unwrap(), Some(corrected.clone()));
    let records = store.list_activities(id).await.unwrap();
    assert_eq!(
        keys(&records),
        ["I.1.3.2", "I.1.3.3", "VIIA.1.1", "VIIA.1.a2", "VIIB.1.1"]
    );
    assert_eq!(records, expected_records(&corrected));

    let plans = store.list_plans().await.unwrap();
    assert_eq!(plans.len(), 1);
    assert_eq!(
        (plans[0].id, plans[0].activities, plans[0].targets),
        (id, 5, 1)
    );
    assert_eq!(plans[0].title, "Kế hoạch CCHC năm 2024 (sửa đổi)");
}

async fn two_plans_coexist(store: Store) {
    let first = sample_plan("60/QĐ-UBND");
    let mut second = sample_plan("12/QĐ-UBND");
    second.year = 2025;
    second.sections.truncate(1);
    let a = store.insert_plan(&first).await.unwrap();
    let b = store.insert_plan(&second).await.unwrap();
    assert_ne!(a, b);
    assert_eq!(store.get_plan(a).await.unwrap(), Some(first.clone()));
    assert_eq!(store.get_plan(b).await.unwrap(), Some(second.clone()));
    assert_eq!(
        store.list_activities(a).await.unwrap(),
        expected_records(&first)
    );
    assert_eq!(
        store.list_activities(b).await.unwrap(),
        expected_records(&second)
    );
    assert_eq!(
        store
            .find_plan("12/QĐ-UBND", "UBND huyện Đức Thọ")
            .await
            .unwrap(),
        Some(b)
    );
    assert_eq!(
        store
            .find_plan("99/QĐ-UBND", "UBND huyện Đức Thọ")
            .await
            .unwrap(),
        None
    );
}

async fn same_decision_number_of_another_owner_is_another_plan(store: Store) {
    let district = sample_plan("60/QĐ-UBND");
    let mut commune = sample_plan("60/QĐ-UBND");
    commune.owner = UnitRef::unit(uid("xa-tung-anh"), "UBND xã Tùng Ảnh");
    let a = store.insert_plan(&district).await.unwrap();
    let b = store.insert_plan(&commune).await.unwrap();
    assert_ne!(a, b);
    assert_eq!(
        store
            .find_plan("60/QĐ-UBND", "UBND xã Tùng Ảnh")
            .await
            .unwrap(),
        Some(b)
    );
    assert_eq!(
        store
            .find_plan("60/QĐ-UBND", "UBND huyện Đức Thọ")
            .await
            .unwrap(),
        Some(a)
    );
}

async fn second_plan_for_same_decision_is_rejected_and_first_stays_intact(store: Store) {
    let first = sample_plan("60/QĐ-UBND");
    let id = store.insert_plan(&first).await.unwrap();
    let mut again = sample_plan("60/QĐ-UBND");
    again.sections.truncate(1);
    again.targets.clear();

    let err = store.insert_plan(&again).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert!(err.to_string().contains("60/QĐ-UBND"), "{err}");

    let plans = store.list_plans().await.unwrap();
    assert_eq!(plans.len(), 1);
    assert_eq!(
        (plans[0].id, plans[0].activities, plans[0].targets),
        (id, 5, 2)
    );
    assert_eq!(store.get_plan(id).await.unwrap(), Some(first.clone()));
    assert_eq!(
        store.list_activities(id).await.unwrap(),
        expected_records(&first)
    );
}

async fn replace_that_collides_with_another_plan_changes_nothing(store: Store) {
    let first = sample_plan("60/QĐ-UBND");
    let second = sample_plan("12/QĐ-UBND");
    let a = store.insert_plan(&first).await.unwrap();
    store.insert_plan(&second).await.unwrap();

    let mut colliding = sample_plan("12/QĐ-UBND");
    colliding.sections.truncate(1);
    let err = store.replace_plan(a, &colliding).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");

    assert_eq!(store.get_plan(a).await.unwrap(), Some(first.clone()));
    assert_eq!(
        store.list_activities(a).await.unwrap(),
        expected_records(&first)
    );
}

async fn plan_without_activity_keys_is_rejected_and_nothing_is_stored(store: Store) {
    let mut plan = sample_plan("60/QĐ-UBND");
    plan.sections[0].parts[0].rows[0].tasks[0].activities[1]
        .id
        .clear();
    let err = store.insert_plan(&plan).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert!(err.to_string().contains("Kiểm tra công tác CCHC"), "{err}");
    assert!(store.list_plans().await.unwrap().is_empty());
    assert_eq!(
        store
            .find_plan("60/QĐ-UBND", "UBND huyện Đức Thọ")
            .await
            .unwrap(),
        None
    );
}

async fn replacing_or_listing_a_missing_plan_is_not_found(store: Store) {
    let err = store
        .replace_plan(PlanId(4242), &sample_plan("60/QĐ-UBND"))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
    let err = store.list_activities(PlanId(4242)).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
    assert_eq!(store.get_plan(PlanId(4242)).await.unwrap(), None);
    assert!(store.list_plans().await.unwrap().is_empty());
}

async fn list_plans_counts_activities_and_targets(store: Store) {
    let full = sample_plan("60/QĐ-UBND");
    let mut small = sample_plan("12/QĐ-UBND");
    small.year = 2025;
    small.sections.truncate(1);
    small.targets.truncate(1);
    let a = store.insert_plan(&full).await.unwrap();
    let b = store.insert_plan(&small).await.unwrap();

    let plans = store.list_plans().await.unwrap();
    let rows: Vec<_> = plans
        .iter()
        .map(|p| {
            (
                p.id,
                p.decision_number.as_str(),
                p.year,
                p.activities,
                p.targets,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [(a, "60/QĐ-UBND", 2024, 5, 2), (b, "12/QĐ-UBND", 2025, 2, 1)]
    );
    assert_eq!(plans[0].decision_date, day(2024, 1, 11));
    assert_eq!(plans[0].owner_text, "UBND huyện Đức Thọ");
    assert_eq!(plans[0].title, full.decision.title);
}

/// Readers that upgrade to writers are where SQLite fails with SQLITE_BUSY unless every write
/// takes the lock up front; on PostgreSQL two imports could both insert the same unit.
async fn concurrent_writers_wait_for_each_other_instead_of_failing(store: Store) {
    let mut tasks = Vec::new();
    for n in 0..6 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            // Every import shares the registry and adds a unit of its own.
            let mut units = registry();
            units.push(unit(
                &format!("xa-{n}"),
                &format!("UBND xã số {n}"),
                UnitKind::Commune,
                None,
            ));
            let summary = store.import_units(&units).await.unwrap();
            store
                .insert_plan(&sample_plan(&format!("{n}/QĐ-UBND")))
                .await
                .unwrap();
            summary
        }));
    }
    let mut inserted = 0;
    for t in tasks {
        inserted += t.await.unwrap().inserted;
    }
    assert_eq!(inserted, 4 + 6);
    let units = store.list_units().await.unwrap();
    assert_eq!(units.len(), 10);
    assert_eq!(units[..4], registry()[..]);
    assert_eq!(store.list_plans().await.unwrap().len(), 6);
}

// ---------------------------------------------------------------------------------------------
// Connecting

#[tokio::test]
async fn unknown_url_scheme_is_refused_in_vietnamese() {
    let Err(err) = cchc_store::connect("mysql://root:hunter2@localhost/cchc").await else {
        panic!("a mysql:// URL was accepted");
    };
    let message = err.to_string();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert!(
        message.contains("sqlite://") && message.contains("postgres://"),
        "{message}"
    );
    assert!(message.contains("mysql:"), "{message}");
    assert!(!message.contains("hunter2"), "{message}");
}

#[tokio::test]
async fn sqlite_file_uses_wal_and_enforces_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a/b/cchc.db");
    let store = cchc_store::SqliteStore::open(&path).await.unwrap();
    assert!(path.exists());
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(fk, 1);
}

#[tokio::test]
async fn sqlite_file_keeps_plans_across_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/cchc.db", dir.path().display());
    let plan = sample_plan("60/QĐ-UBND");
    let id = cchc_store::connect(&url)
        .await
        .unwrap()
        .insert_plan(&plan)
        .await
        .unwrap();
    let reopened = cchc_store::connect(&url).await.unwrap();
    assert_eq!(reopened.get_plan(id).await.unwrap(), Some(plan));
}

#[tokio::test]
async fn sqlite_in_memory_store_works() {
    let store = cchc_store::connect("sqlite::memory:").await.unwrap();
    store.import_units(&registry()).await.unwrap();
    let id = store.insert_plan(&sample_plan("60/QĐ-UBND")).await.unwrap();
    assert_eq!(store.list_units().await.unwrap().len(), 4);
    assert_eq!(store.list_activities(id).await.unwrap().len(), 5);
    // Nothing else can write to it, and nothing may be kept on a version it cannot tell.
    assert_eq!(store.data_version().await.unwrap(), None);
}

#[test]
fn test_database_url_replaces_only_the_database_name() {
    assert_eq!(
        cchc_store::testing::with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        cchc_store::testing::with_database("postgres://u:p@h/test?sslmode=disable", "x"),
        "postgres://u:p@h/x?sslmode=disable"
    );
    assert_eq!(
        cchc_store::testing::with_database("postgresql://h:5432", "x"),
        "postgresql://h:5432/x"
    );
}

/// Two servers on one database: the one that keeps the parsed plan reads the other's replace on
/// its next read, and a plan that is gone is gone.
async fn a_shared_plan_shows_another_servers_replace_at_once(a: Store, url: String) {
    let b = cchc_store::connect(&url).await.unwrap();
    let plan = sample_plan("60/QĐ-UBND");
    let id = a.insert_plan(&plan).await.unwrap();
    let first = a.get_plan_shared(id).await.unwrap().unwrap();
    assert_eq!(*first, plan);
    let again = a.get_plan_shared(id).await.unwrap().unwrap();
    assert!(
        std::sync::Arc::ptr_eq(&first, &again),
        "parsed once while unchanged"
    );

    let mut corrected = plan.clone();
    corrected.decision.title = "Kế hoạch CCHC năm 2024 (sửa đổi)".into();
    b.replace_plan(id, &corrected).await.unwrap();
    let seen = a.get_plan_shared(id).await.unwrap().unwrap();
    assert_eq!(seen.decision.title, "Kế hoạch CCHC năm 2024 (sửa đổi)");
    assert_eq!(*seen, b.get_plan(id).await.unwrap().unwrap());
    // Replaced again with the first text: a new revision, not the first one kept.
    b.replace_plan(id, &plan).await.unwrap();
    assert_eq!(*a.get_plan_shared(id).await.unwrap().unwrap(), plan);
    assert!(a
        .get_plan_shared(PlanId(id.0 + 1000))
        .await
        .unwrap()
        .is_none());
}

/// The version results are kept under: changed by a commit on this store and by one on
/// another connection to the same database (another app server, an import run from the command
/// line); on SQLite also unchanged by reads (a PostgreSQL cluster's other databases, used by
/// tests running beside this one, move its version too).
async fn data_version_moves_on_every_commit_from_any_connection(a: Store, url: String) {
    let b = cchc_store::connect(&url).await.unwrap();
    let quiet = url.starts_with("sqlite");
    let v0 = a
        .data_version()
        .await
        .unwrap()
        .expect("a database file tells its version");
    a.list_units().await.unwrap();
    a.list_plans().await.unwrap();
    if quiet {
        assert_eq!(
            a.data_version().await.unwrap(),
            Some(v0),
            "reads change nothing"
        );
    }

    a.import_units(&registry()).await.unwrap();
    let v1 = a.data_version().await.unwrap().unwrap();
    assert_ne!(v1, v0, "own commit");

    b.insert_plan(&sample_plan("60/QĐ-UBND")).await.unwrap();
    let v2 = a.data_version().await.unwrap().unwrap();
    assert_ne!(v2, v1, "another connection's commit");
    if quiet {
        assert_eq!(
            a.data_version().await.unwrap(),
            Some(v2),
            "steady while nothing commits"
        );
    }
}
