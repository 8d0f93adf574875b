//! The commune plan derived from the real Đức Thọ plan, checked against counts taken from the
//! decision's text without the importer.

mod common;

use cchc_domain::commune_plan::{applies_to_communes, derive};
use cchc_domain::text::fold;
use cchc_domain::UnitId;
use chrono::NaiveDate;

/// Whether the words of a lead or coordinating cell name communes, read without the
/// registry: the word "xã", "địa phương", the commune by name, or all agencies and units
/// ("các cơ quan, đơn vị…", which the plan means to include the communes). A cell naming
/// only some communes ("UBND các xã đạt chuẩn NTM nâng cao": which ones the registry does not
/// know) does not name this one.
fn words_name_communes(text: &str) -> bool {
    let k = fold(text);
    if k.contains("dat chuan") {
        return false;
    }
    k.split(|c: char| !c.is_alphanumeric()).any(|w| w == "xa")
        || k.contains("dia phuong")
        || k.contains("tung anh")
        || (k.starts_with("cac co quan") && k.contains("don vi"))
}

#[test]
fn a_commune_draft_holds_the_activities_and_targets_of_communes() {
    let text = common::duc_tho_text();
    let plan = common::duc_tho();
    let registry = common::duc_tho_registry();
    let commune = registry
        .get(&UnitId::parse("xa-tung-anh").unwrap())
        .expect("Tùng Ảnh in the registry")
        .clone();
    let draft = derive(&plan, &registry, &commune);

    // Counted on the cells' own words, not through the registry's groups.
    let all = plan.activities().count();
    let communes = plan
        .activities()
        .filter(|c| {
            let a = c.activity;
            a.lead
                .iter()
                .chain(&a.coordinators)
                .any(|r| words_name_communes(&r.text))
        })
        .count();
    assert_eq!(draft.activities().count(), communes);
    assert!(communes > 0 && communes < all);

    // Targets: the lines of part II whose words name the commune level, counted on the text.
    let targets_text = text
        .lines()
        .skip_while(|l| !fold(l).contains("chi tieu"))
        .take_while(|l| !fold(l).contains("nhiem vu, giai phap"))
        .filter(|l| {
            let t = l.trim_start();
            t.split_once(". ").is_some_and(|(n, _)| {
                n.split_once('.').is_some_and(|(a, b)| {
                    a.bytes().all(|c| c.is_ascii_digit())
                        && b.bytes().all(|c| c.is_ascii_digit())
                        && !b.is_empty()
                })
            }) && applies_to_communes(t)
        })
        .count();
    assert_eq!(draft.targets.len(), targets_text);
    assert!(
        draft.targets.iter().any(|t| t.code == "1.1"),
        "1.1: 100% UBND cấp xã ban hành kế hoạch"
    );

    assert_eq!(draft.year, 2024);
    assert_eq!(draft.owner.text, "UBND xã Tùng Ảnh");
    assert!(draft.decision.number.is_empty());
    for c in draft.activities() {
        let original = plan
            .activity(&c.activity.id)
            .expect("a key of the district plan");
        assert_eq!(
            original.activity, c.activity,
            "kept as the district wrote it"
        );
    }
}

#[test]
fn the_district_plan_gives_the_communes_deadline() {
    assert_eq!(
        common::duc_tho().commune_plans_due,
        NaiveDate::from_ymd_opt(2024, 2, 5)
    );
}
