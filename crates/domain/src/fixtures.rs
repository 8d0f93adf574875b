//! Hand-built plans for the domain's unit tests.

use chrono::NaiveDate;

use crate::deadline::{Deadline, DeadlineKind};
use crate::group::GroupId;
use crate::measure::{Measure, MeasureOp, MeasureUnit};
use crate::plan::*;
use crate::unit::UnitId;

pub(crate) fn plan(targets: Vec<Target>, sections: Vec<Section>) -> Plan {
    Plan {
        format: FORMAT.into(),
        decision: Decision {
            number: "60/QĐ-UBND".into(),
            date: None,
            place: None,
            title: "Kế hoạch".into(),
            signer: None,
            legal_basis: vec![],
            recipients: vec![],
        },
        year: 2024,
        owner: UnitRef::unit(UnitId::parse("ubnd-huyen").unwrap(), "UBND huyện"),
        areas: vec![],
        targets,
        solutions: vec![],
        sections,
        commune_plans_due: None,
        diagnostics: vec![],
    }
}

pub(crate) fn target(code: &str, text: &str, measures: Vec<Measure>) -> Target {
    let area = code.split('.').next().unwrap().parse().unwrap();
    Target {
        code: code.into(),
        area,
        text: text.into(),
        measures,
    }
}

pub(crate) fn pct(value: f64, scope: Option<&str>) -> Measure {
    Measure {
        op: MeasureOp::Ge,
        value,
        max: None,
        unit: MeasureUnit::Percent,
        scope: scope.map(Into::into),
    }
}

pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A complete activity: a lead unit, an output, a deadline inside 2024.
pub(crate) fn act(code: &str) -> Activity {
    Activity {
        id: String::new(),
        code: Some(code.into()),
        text: format!("Hoạt động {code}"),
        outputs: Some("Kế hoạch".into()),
        lead: vec![UnitRef::unit(
            UnitId::parse("phong-noi-vu").unwrap(),
            "Phòng Nội vụ",
        )],
        coordinators: vec![UnitRef::group(GroupId::Communes, "UBND các xã, thị trấn")],
        deadline: Some(Deadline {
            text: "Trước 15/01/2024".into(),
            kind: DeadlineKind::Date,
            start: None,
            end: Some(date(2024, 1, 15)),
        }),
        funding: None,
    }
}

pub(crate) fn task(code: &str, activities: Vec<Activity>) -> Task {
    Task {
        code: Some(code.into()),
        text: format!("Nhiệm vụ {code}"),
        activities,
    }
}

pub(crate) fn row(no: &str, objective: &str, tasks: Vec<Task>) -> Row {
    Row {
        no: no.into(),
        objective: Some(Objective {
            code: Some(objective.into()),
            text: format!("Mục tiêu {objective}"),
        }),
        tasks,
    }
}

/// A row numbered `no` with objective 1.`no`, one task 2.`no` and one activity 3.`no`.
pub(crate) fn simple_row(no: u32) -> Row {
    row(
        &no.to_string(),
        &format!("1.{no}"),
        vec![task(&format!("2.{no}"), vec![act(&format!("3.{no}"))])],
    )
}

/// Gives a `simple_row` the objective, task and activity codes 1.`n`, 2.`n` and 3.`n`.
pub(crate) fn renumber(r: &mut Row, n: usize) {
    r.objective.as_mut().unwrap().code = Some(format!("1.{n}"));
    r.tasks[0].code = Some(format!("2.{n}"));
    r.tasks[0].activities[0].code = Some(format!("3.{n}"));
}

pub(crate) fn section(code: &str, rows: Vec<Row>) -> Section {
    Section {
        code: code.into(),
        title: format!("Phần {code}"),
        parts: vec![part(None, rows)],
    }
}

/// A part of a section, untitled; `None` for a section's only part.
pub(crate) fn part(code: Option<&str>, rows: Vec<Row>) -> Part {
    Part {
        code: code.map(Into::into),
        title: None,
        rows,
    }
}

/// A plan whose only section `code` has row 1, objective 1.1 and task 2.1 holding `activities`.
pub(crate) fn one_task_plan(code: &str, activities: Vec<Activity>) -> Plan {
    plan(
        vec![],
        vec![section(
            code,
            vec![row("1", "1.1", vec![task("2.1", activities)])],
        )],
    )
}
