//! Fuzzing the domain's parsers: deadlines, periods, the spec's dates and booleans, codes and
//! vocabularies, measures. None panics on any text; a refusal says why in Vietnamese; what is
//! read, written in a form the parser reads and read again, is the same value.
//!
//! Bounded for CI (a few seconds in a debug build). proptest reads `PROPTEST_CASES` only into
//! `ProptestConfig::default()`, which a literal `cases: N` overrides, so [`config`] reads it:
//! `PROPTEST_CASES=20000 cargo test -p cchc-domain --test fuzz_parsers` runs longer.

use cchc_domain::deadline::{Deadline, DeadlineKind};
use cchc_domain::measure::{parse_measures, MeasureUnit};
use cchc_domain::period::Period;
use cchc_domain::service::{
    parse_bool, parse_datetime, Channel, DossierCode, DossierStatus, OnlineLevel, ProcedureCode,
    Rating,
};
use cchc_domain::text::clean;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use proptest::prelude::*;

/// `ci_cases`, unless `PROPTEST_CASES` says otherwise.
fn config(ci_cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(ci_cases);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

/// A refusal a user reads: not empty, with a Vietnamese letter, not a Rust `Debug` string.
fn vietnamese(msg: &str) -> bool {
    const VI: &str = "ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ";
    // What is quoted «…» is the input as written: judge the words around it.
    let words: String = msg
        .split('«')
        .enumerate()
        .map(|(i, part)| match (i, part.split_once('»')) {
            (0, _) => part.to_string(),
            (_, Some((_, rest))) => format!("«…»{rest}"),
            (_, None) => "«…".to_string(),
        })
        .collect();
    let t = words.trim();
    !msg.trim().is_empty()
        && t.to_lowercase().chars().any(|c| VI.contains(c))
        && !["Error", "Some(", "Err(", "kind:", "invalid", "ParseError"]
            .iter()
            .any(|d| t.starts_with(d) || t.contains(&format!(" {d}")))
}

/// Deadline words: the forms of the plans, cut and mixed with other words and numbers.
fn deadline_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(vec![
            "Trước",
            "trước ngày",
            "Từ",
            "đến",
            "Quý",
            "quý",
            "I",
            "II",
            "III",
            "IV",
            "V",
            "Tháng",
            "tháng",
            "6 tháng đầu năm",
            "6 tháng cuối năm",
            "năm",
            "Năm",
            "Thường xuyên",
            "Hằng năm",
            "Khi có chỉ đạo",
            "Theo",
            "ngày",
            "/",
            "-",
            "–",
            ",",
            "và",
            "đến",
            ";",
            "0",
            "1",
            "12",
            "13",
            "29",
            "31",
            "2024",
            "1899",
            "2200",
            "2201",
            "24",
            "99",
            "4294967295",
            "99999999999",
            "0/0",
            "31/02",
            "29/02/2023",
        ])
        .prop_map(str::to_string),
        (0u32..40).prop_map(|n| n.to_string()),
        (1890u32..2210).prop_map(|n| n.to_string()),
        "\\PC{1,4}",
    ];
    prop::collection::vec(piece, 0..8).prop_map(|v| v.join(" "))
}

/// A day written as a deadline reads it back.
fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn a_deadline_reads_any_text_into_a_consistent_value(
        text in prop_oneof![deadline_text(), "\\PC{0,40}"],
        plan_year in prop_oneof![1900i32..=2200, any::<i32>(), Just(i32::MAX), Just(i32::MIN)],
    ) {
        let parsed = Deadline::parse(&text, plan_year);
        prop_assert_eq!(&parsed.text, &clean(&text));
        let tried = Deadline::try_parse(&text, plan_year);
        match &tried {
            Some(d) => prop_assert_eq!(d, &parsed),
            None => prop_assert_eq!(
                (parsed.kind, parsed.start, parsed.end),
                (DeadlineKind::Conditional, None, None)
            ),
        }
        match (parsed.kind, parsed.start, parsed.end) {
            (DeadlineKind::Date, None, Some(_)) => {}
            (DeadlineKind::Period, Some(s), Some(e)) => prop_assert!(s <= e, "{:?}", parsed),
            (DeadlineKind::Recurring | DeadlineKind::Conditional, None, None) => {}
            _ => prop_assert!(false, "inconsistent deadline {:?}", parsed),
        }
    }

    /// A dated deadline written back as days ("Trước dd/mm/yyyy", "Từ … đến …") and read again
    /// gives the same span.
    #[test]
    fn a_dated_deadline_written_as_days_reads_back_the_same(
        text in deadline_text(),
        plan_year in 1900i32..=2200,
    ) {
        let d = Deadline::parse(&text, plan_year);
        let written = match (d.kind, d.start, d.end) {
            (DeadlineKind::Date, _, Some(e)) => format!("Trước {}", dmy(e)),
            (DeadlineKind::Period, Some(s), Some(e)) => format!("Từ {} đến {}", dmy(s), dmy(e)),
            _ => return Ok(()),
        };
        let again = Deadline::parse(&written, plan_year);
        let want = match d.kind {
            // Two days make a period, even the same day twice.
            DeadlineKind::Period => (DeadlineKind::Period, d.start, d.end),
            _ => (DeadlineKind::Date, None, d.end),
        };
        prop_assert_eq!((again.kind, again.start, again.end), want, "{}", written);
    }

    #[test]
    fn a_deadline_of_a_known_form_reads_its_span(
        year in 1900i32..=2200,
        q in 1u32..=4, q2 in 1u32..=4,
        m in 1u32..=12,
        form in 0usize..4,
    ) {
        const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];
        let (lo, hi) = (q.min(q2), q.max(q2));
        let (text, start, end) = match form {
            0 => (
                format!("Quý {}/{year}", ROMAN[(q - 1) as usize]),
                NaiveDate::from_ymd_opt(year, 3 * q - 2, 1),
                Period::Quarter(year, q).end(),
            ),
            1 => (
                format!("Quý {} - {} năm {year}", ROMAN[(lo - 1) as usize], ROMAN[(hi - 1) as usize]),
                NaiveDate::from_ymd_opt(year, 3 * lo - 2, 1),
                Period::Quarter(year, hi).end(),
            ),
            2 => (
                format!("Tháng {m}/{year}"),
                NaiveDate::from_ymd_opt(year, m, 1),
                Period::Month(year, m).end(),
            ),
            _ => (format!("Năm {year}"), NaiveDate::from_ymd_opt(year, 1, 1), Period::Year(year).end()),
        };
        let d = Deadline::try_parse(&text, 2024);
        prop_assert_eq!(
            d.map(|d| (d.kind, d.start, d.end)),
            Some((DeadlineKind::Period, start, Some(end))),
            "{}", text
        );
    }
}

fn period() -> impl Strategy<Value = Period> {
    let y = 1900i32..=2200;
    prop_oneof![
        y.clone().prop_map(Period::Year),
        (y.clone(), 1u32..=4).prop_map(|(y, q)| Period::Quarter(y, q)),
        (y.clone(), 1u32..=2).prop_map(|(y, h)| Period::Half(y, h)),
        y.clone().prop_map(Period::NineMonths),
        (y, 1u32..=12).prop_map(|(y, m)| Period::Month(y, m)),
    ]
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn a_period_code_is_read_or_refused_in_vietnamese(
        s in prop_oneof![
            "\\PC{0,12}",
            "[0-9+ -]{0,5}-[0-9QqHhMm+ -]{0,3}",
            "(19|20|21|22)[0-9]{2}(-(Q[0-9]|H[0-9]|[0-9]M|[0-9]{2}))?",
        ]
    ) {
        match Period::parse(&s) {
            Ok(p) => {
                prop_assert_eq!(Period::parse(&p.to_string()), Ok(p));
                prop_assert!(p.start() <= p.end());
                prop_assert!(vietnamese(&p.label_vi()) || p.label_vi().starts_with("Năm"));
            }
            Err(e) => prop_assert!(vietnamese(&e) && e.contains("không hợp lệ"), "{}", e),
        }
    }

    #[test]
    fn a_period_prints_and_reads_back_the_same(p in period()) {
        prop_assert_eq!(Period::parse(&p.to_string()), Ok(p));
        prop_assert_eq!(Period::parse(&p.to_string().to_lowercase()), Ok(p));
        let json = serde_json::to_string(&p).unwrap();
        prop_assert_eq!(serde_json::from_str::<Period>(&json).unwrap(), p);
        prop_assert!(p.contains(p.start()) && p.contains(p.end()));
        prop_assert_eq!(p.cumulative_start(), Period::Year(p.year()).start());
    }
}

fn datetime() -> impl Strategy<Value = NaiveDateTime> {
    let first = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
    let days = NaiveDate::from_ymd_opt(2200, 12, 31).unwrap() - first;
    (0..=days.num_days(), 0u32..86_400).prop_map(move |(d, s)| {
        (first + chrono::Duration::days(d))
            .and_time(NaiveTime::from_num_seconds_from_midnight_opt(s, 0).unwrap())
    })
}

proptest! {
    #![proptest_config(config(1000))]

    /// Every form of the spec, written from a date-time, reads back the same (to the minute
    /// or the day when the form has no seconds or no time).
    #[test]
    fn a_spec_date_written_in_any_form_reads_back(t in datetime(), pad in "[ ]{0,2}") {
        use chrono::Timelike;
        let minute = t.with_second(0).unwrap();
        let day = t.date().and_time(NaiveTime::MIN);
        for (fmt, want) in [
            ("%Y-%m-%d %H:%M:%S", t),
            ("%Y-%m-%dT%H:%M:%S", t),
            ("%d/%m/%Y %H:%M:%S", t),
            ("%Y-%m-%d %H:%M", minute),
            ("%Y-%m-%dT%H:%M", minute),
            ("%d/%m/%Y %H:%M", minute),
            ("%Y-%m-%d", day),
            ("%d/%m/%Y", day),
        ] {
            let s = format!("{pad}{}{pad}", t.format(fmt));
            prop_assert_eq!(parse_datetime(&s), Ok(want), "{}", s);
        }
    }

    #[test]
    fn a_spec_date_is_read_or_refused_in_vietnamese(
        s in prop_oneof!["\\PC{0,24}", "[0-9/: T-]{0,22}"]
    ) {
        match parse_datetime(&s) {
            Ok(t) => {
                use chrono::Datelike;
                prop_assert!((1900..=2200).contains(&t.year()), "{} → {}", s, t);
                prop_assert_eq!(
                    parse_datetime(&t.format("%Y-%m-%d %H:%M:%S").to_string()),
                    Ok(t)
                );
            }
            Err(e) => prop_assert!(vietnamese(&e) && e.contains("không hợp lệ"), "{}", e),
        }
    }

    #[test]
    fn a_boolean_is_read_or_refused_in_vietnamese(
        s in prop_oneof![
            "\\PC{0,8}",
            prop::sample::select(vec!["1", "0", "true", "FALSE", "Có", "KHÔNG", "x", "X", " ", "co"])
                .prop_map(str::to_string),
        ]
    ) {
        if let Err(e) = parse_bool(&s) {
            prop_assert!(vietnamese(&e), "{}", e);
        }
    }

    #[test]
    fn codes_and_vocabularies_are_read_back_or_refused_in_vietnamese(s in "\\PC{0,110}") {
        for r in [ProcedureCode::parse(&s).map(|c| c.to_string()), DossierCode::parse(&s).map(|c| c.to_string())] {
            match r {
                Ok(c) => {
                    prop_assert_eq!(&c, s.trim());
                    prop_assert_eq!(ProcedureCode::parse(&c).map(|p| p.to_string()), Ok(c.clone()));
                }
                Err(e) => prop_assert!(vietnamese(&e), "{}", e),
            }
        }
        let errors = [
            OnlineLevel::parse(&s).err(),
            Channel::parse(&s).err(),
            DossierStatus::parse(&s).err(),
            Rating::parse(&s).err(),
        ];
        for e in errors.into_iter().flatten() {
            prop_assert!(vietnamese(&e), "{}", e);
        }
    }

    #[test]
    fn every_code_of_a_vocabulary_reads_back_in_any_case(k in any::<prop::sample::Index>(), upper in any::<bool>()) {
        let case = |c: &str| if upper { c.to_uppercase() } else { format!(" {c} ") };
        let s = OnlineLevel::ALL[k.index(OnlineLevel::ALL.len())];
        prop_assert_eq!(OnlineLevel::parse(&case(s.code())), Ok(s));
        let s = Channel::ALL[k.index(Channel::ALL.len())];
        prop_assert_eq!(Channel::parse(&case(s.code())), Ok(s));
        let s = DossierStatus::ALL[k.index(DossierStatus::ALL.len())];
        prop_assert_eq!(DossierStatus::parse(&case(s.code())), Ok(s));
        let s = Rating::ALL[k.index(Rating::ALL.len())];
        prop_assert_eq!(Rating::parse(&case(s.code())), Ok(s));
    }
}

proptest! {
    #![proptest_config(config(500))]

    #[test]
    fn measures_never_panic_and_say_themselves_in_vietnamese(
        s in prop_oneof![
            "\\PC{0,80}",
            prop::collection::vec(
                prop::sample::select(vec![
                    "tối thiểu", "đạt", "trên", "từ", "đến", "trở lên", "giảm", "ít nhất", "%",
                    "100%", "2,5%", "1.000", "01", "cấp huyện", "cấp xã", ",", ";", "và",
                    "60/2021/NĐ-CP", "9001:2015", "2021-2030", "B1", "99999999999999999999999",
                    "1e308", "0,0", "biên chế", "sáng kiến",
                ]),
                0..12,
            ).prop_map(|v| v.join(" ")),
        ]
    ) {
        for m in parse_measures(&s) {
            prop_assert!(m.value.is_finite() || m.value == f64::MAX, "{:?}", m);
            prop_assert!(!m.display_vi().is_empty());
            if let Some(max) = m.max {
                prop_assert!(!max.is_nan());
            }
        }
    }

    #[test]
    fn a_stated_percent_is_read_as_its_value(
        n in 1u32..=100,
        frac in prop::option::of(1u32..10),
        qualifier in prop::sample::select(vec!["tối thiểu", "đạt", "ít nhất", "đạt trên", ""]),
    ) {
        let (written, value) = match frac {
            Some(f) if n < 100 => (format!("{n},{f}"), f64::from(n) + f64::from(f) / 10.0),
            _ => (n.to_string(), f64::from(n)),
        };
        let text = format!("Tỷ lệ hồ sơ giải quyết đúng hạn {qualifier} {written}%");
        let ms = parse_measures(&text);
        prop_assert!(
            ms.iter().any(|m| m.unit == MeasureUnit::Percent && (m.value - value).abs() < 1e-9),
            "{} → {:?}", text, ms
        );
    }
}
