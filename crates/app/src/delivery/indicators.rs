//! Service indicators (chỉ số dịch vụ công) for a period: read from the running totals, never
//! from the dossiers, and set against the thresholds of the plan stored for that year.

use std::collections::{BTreeMap, HashMap};

use cchc_domain::forecast::{forecast, Forecast, Series};
use cchc_domain::service::{
    target_for, AnyMeasure, CatalogMeasure, MeasureSet, ProcedureTraits, Ratio, Scope,
    ServiceMeasure, TargetStatus, TargetThreshold,
};
use cchc_domain::{Period, Plan, Registry, UnitId, UnitLevel};
use cchc_store::{Store, StoreError, TotalsRow};
use serde::Serialize;
use serde_json::{json, Value};

/// The scopes asked for.
#[derive(Debug, Clone, Default)]
pub struct ScopeRequest {
    pub level: Option<UnitLevel>,
    pub unit: Option<UnitId>,
    pub by_unit: bool,
}

/// One figure: a measure in a scope.
#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    pub measure: &'static str,
    pub scope: String,
    pub numerator: i64,
    pub denominator: i64,
    /// Rounded to two decimals, for display; `null` without data.
    pub value: Option<f64>,
    pub target: Option<Value>,
    pub status: TargetStatus,
}

/// `cchc indicators --json`.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorReport {
    pub period: String,
    pub start: String,
    pub end: String,
    pub indicators: Vec<Indicator>,
}

/// What the figures of a period are computed from: totals, catalogue, registry, plan.
pub struct Inputs {
    pub rows: Vec<TotalsRow>,
    pub traits: HashMap<String, ProcedureTraits>,
    pub procedures: Vec<cchc_domain::service::Procedure>,
    pub registry: Registry,
    pub plan: Option<Plan>,
}

/// The plan stored for a year (the latest imported), if any.
pub async fn plan_for_year(store: &Store, year: i32) -> Result<Option<Plan>, StoreError> {
    let mut plans = store.list_plans().await?;
    plans.retain(|p| p.year == year);
    match plans.iter().max_by_key(|p| (p.imported_at, p.id)) {
        Some(p) => store.get_plan(p.id).await,
        None => Ok(None),
    }
}

pub async fn load_inputs(
    store: &Store,
    period: Period,
    by_month: bool,
) -> Result<Inputs, StoreError> {
    let rows = store
        .service_totals(period.start(), period.end(), by_month)
        .await?;
    let procedures = store.list_procedures().await?;
    let traits = procedures
        .iter()
        .map(|p| (p.code.to_string(), p.traits()))
        .collect();
    let registry = Registry::new(store.list_units().await?);
    let plan = plan_for_year(store, period.year()).await?;
    Ok(Inputs {
        rows,
        traits,
        procedures,
        registry,
        plan,
    })
}

impl Inputs {
    pub fn level_of(&self, unit: &str) -> Option<UnitLevel> {
        let id = UnitId::parse(unit).ok()?;
        self.registry.get(&id).map(|u| u.kind.level())
    }

    /// Whether a totals row's unit is in a scope.
    pub fn in_scope(&self, scope: &Scope, unit: &str) -> bool {
        match scope {
            Scope::All => true,
            Scope::Level(l) => self.level_of(unit) == Some(*l),
            Scope::Unit(id) => id.as_str() == unit,
            Scope::Catalog => false,
        }
    }

    /// Every dossier measure's ratio in a scope (optionally one month, `YYYY-MM`).
    pub fn measures(&self, scope: &Scope, month: Option<&str>) -> MeasureSet {
        let mut set = MeasureSet::default();
        for r in &self.rows {
            if month.is_some() && r.month.as_deref() != month {
                continue;
            }
            if !self.in_scope(scope, &r.unit) {
                continue;
            }
            // A procedure no longer in the catalogue counts only where no procedure
            // attribute matters.
            let t = self
                .traits
                .get(&r.procedure)
                .copied()
                .unwrap_or(ProcedureTraits {
                    online_level: cchc_domain::service::OnlineLevel::None,
                    has_fee: false,
                });
            set.add(&t, &r.tally);
        }
        set
    }

    /// The level whose threshold applies to a scope.
    pub fn scope_level(&self, scope: &Scope) -> Option<UnitLevel> {
        match scope {
            Scope::Level(l) => Some(*l),
            Scope::Unit(id) => self.level_of(id.as_str()),
            _ => None,
        }
    }

    pub fn target(&self, m: AnyMeasure, scope: &Scope) -> Option<TargetThreshold> {
        target_for(self.plan.as_ref()?, m, self.scope_level(scope))
    }

    /// Units with dossiers in the totals, in registry order.
    pub fn units_with_data(&self) -> Vec<UnitId> {
        let present: std::collections::HashSet<&str> =
            self.rows.iter().map(|r| r.unit.as_str()).collect();
        let mut ids: Vec<UnitId> = self
            .registry
            .units()
            .iter()
            .filter(|u| present.contains(u.id.as_str()))
            .map(|u| u.id.clone())
            .collect();
        // Units the registry no longer holds still show, after the others.
        let known: std::collections::HashSet<&str> = ids.iter().map(|u| u.as_str()).collect();
        let mut others: Vec<&str> = present.into_iter().filter(|u| !known.contains(u)).collect();
        others.sort();
        let others: Vec<UnitId> = others
            .into_iter()
            .filter_map(|u| UnitId::parse(u).ok())
            .collect();
        ids.extend(others);
        ids
    }
}

/// The JSON form of a threshold: `{"code":"3.2","op":">=","value":70}`.
pub fn target_json(t: &TargetThreshold) -> Value {
    let num = |v: f64| {
        if v.fract() == 0.0 && v.abs() < 1e15 {
            json!(v as i64)
        } else {
            json!(v)
        }
    };
    let mut j = json!({"code": t.code, "op": t.measure.op, "value": num(t.measure.value)});
    if let Some(max) = t.measure.max {
        j["max"] = num(max);
    }
    j
}

pub fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn indicator(
    measure: &'static str,
    scope: String,
    ratio: Ratio,
    target: Option<TargetThreshold>,
) -> Indicator {
    Indicator {
        measure,
        scope,
        numerator: ratio.numerator,
        denominator: ratio.denominator,
        value: ratio.percent().map(round2),
        status: TargetStatus::of(&ratio, target.as_ref()),
        target: target.as_ref().map(target_json),
    }
}

/// Every measure of the spec for the requested scopes.
pub fn report(inputs: &Inputs, period: Period, req: &ScopeRequest) -> IndicatorReport {
    let mut scopes: Vec<Scope> = match (&req.unit, req.level) {
        (Some(u), _) => vec![Scope::Unit(u.clone())],
        (None, Some(l)) => vec![Scope::Level(l)],
        (None, None) => vec![
            Scope::All,
            Scope::Level(UnitLevel::District),
            Scope::Level(UnitLevel::Commune),
        ],
    };
    if req.by_unit {
        for u in inputs.units_with_data() {
            if req
                .level
                .is_none_or(|l| inputs.level_of(u.as_str()) == Some(l))
                && req.unit.as_ref().is_none_or(|x| *x == u)
                && !scopes.contains(&Scope::Unit(u.clone()))
            {
                scopes.push(Scope::Unit(u));
            }
        }
    }
    let mut indicators = Vec::new();
    for scope in &scopes {
        let set = inputs.measures(scope, None);
        for m in ServiceMeasure::ALL {
            indicators.push(indicator(
                m.id(),
                scope.code(),
                set.get(m),
                inputs.target(AnyMeasure::Dossier(m), scope),
            ));
        }
    }
    for m in CatalogMeasure::ALL {
        indicators.push(indicator(
            m.id(),
            Scope::Catalog.code(),
            m.ratio(&inputs.procedures),
            inputs.target(AnyMeasure::Catalog(m), &Scope::Catalog),
        ));
    }
    IndicatorReport {
        period: period.to_string(),
        start: period.start().to_string(),
        end: period.end().to_string(),
        indicators,
    }
}

/// A measure month by month over a year, for the trend chart: `YYYY-MM` → ratio.
pub fn monthly(inputs: &Inputs, measure: ServiceMeasure, scope: &Scope) -> BTreeMap<String, Ratio> {
    let months: std::collections::BTreeSet<&str> = inputs
        .rows
        .iter()
        .filter_map(|r| r.month.as_deref())
        .collect();
    months
        .into_iter()
        .map(|m| (m.to_string(), inputs.measures(scope, Some(m)).get(measure)))
        .collect()
}

/// Dự báo cuối năm of a service measure in a scope: its monthly rates so far and their
/// projection to December against the plan's threshold.
#[derive(Debug, Clone)]
pub struct ServiceForecast {
    pub measure: ServiceMeasure,
    pub scope: Scope,
    pub target: Option<TargetThreshold>,
    pub series: Series,
    pub forecast: Forecast,
}

/// A measure's forecast in a scope from the first `months` whole months of the year whose
/// month totals `yearly` holds (loaded with `by_month`).
pub fn service_forecast(
    yearly: &Inputs,
    measure: ServiceMeasure,
    scope: &Scope,
    year: i32,
    months: u32,
) -> ServiceForecast {
    let by_month = monthly(yearly, measure, scope);
    let series = Series::Rate(
        (1..=months.min(12))
            .map(|m| {
                let r = by_month
                    .get(&format!("{year}-{m:02}"))
                    .copied()
                    .unwrap_or_default();
                (r.numerator as f64, r.denominator as f64)
            })
            .collect(),
    );
    let target = yearly.target(AnyMeasure::Dossier(measure), scope);
    let forecast = forecast(&series, target.as_ref().map(|t| &t.measure));
    ServiceForecast {
        measure,
        scope: scope.clone(),
        target,
        series,
        forecast,
    }
}

/// The forecasts of every dossier measure that answers a plan target, as of the end of
/// `period` but never after `today`: for the district as a whole where the plan sets one
/// threshold, else for each level it sets one for.
pub async fn forecasts(
    store: &Store,
    period: Period,
    today: chrono::NaiveDate,
) -> Result<Vec<ServiceForecast>, StoreError> {
    let year = period.year();
    let months = crate::forecast::months_to(year, crate::forecast::as_of(period, today));
    let yearly = load_inputs(store, Period::Year(year), true).await?;
    let mut out = Vec::new();
    for m in ServiceMeasure::ALL {
        let any = AnyMeasure::Dossier(m);
        let scopes = if yearly.target(any, &Scope::All).is_some() {
            vec![Scope::All]
        } else {
            [UnitLevel::District, UnitLevel::Commune]
                .into_iter()
                .map(Scope::Level)
                .filter(|s| yearly.target(any, s).is_some())
                .collect()
        };
        for s in scopes {
            out.push(service_forecast(&yearly, m, &s, year, months));
        }
    }
    Ok(out)
}

/// A measure unit by unit at one level (chart bars): each unit of the level with dossiers in
/// the totals, its name and ratio, and the level's threshold.
#[derive(Debug, Clone)]
pub struct UnitFigures {
    pub measure: ServiceMeasure,
    pub level: UnitLevel,
    pub target: Option<TargetThreshold>,
    pub units: Vec<(UnitId, String, Ratio)>,
}

pub fn unit_figures(inputs: &Inputs, measure: ServiceMeasure, level: UnitLevel) -> UnitFigures {
    let units = inputs
        .units_with_data()
        .into_iter()
        .filter(|u| inputs.level_of(u.as_str()) == Some(level))
        .map(|u| {
            let scope = Scope::Unit(u.clone());
            let name = scope.name_vi(&inputs.registry);
            let ratio = inputs.measures(&scope, None).get(measure);
            (u, name, ratio)
        })
        .collect();
    UnitFigures {
        measure,
        level,
        target: inputs.target(AnyMeasure::Dossier(measure), &Scope::Level(level)),
        units,
    }
}

/// What the dashboard shows of service delivery for a period: the forecasts of the measures
/// that answer plan targets (as of the period's end, never after today), the months they are
/// made from, and the online rate (target 3.2) commune by commune.
#[derive(Debug, Clone)]
pub struct ServiceBoard {
    pub forecasts: Vec<ServiceForecast>,
    pub as_of: chrono::NaiveDate,
    pub months: u32,
    pub units: UnitFigures,
    pub registry: Registry,
}

pub async fn service_board(state: &crate::App, period: Period) -> crate::Result<ServiceBoard> {
    let today = state.today();
    let as_of = crate::forecast::as_of(period, today);
    let inputs = load_inputs(&state.store, period, false).await?;
    Ok(ServiceBoard {
        forecasts: forecasts(&state.store, period, today).await?,
        as_of,
        months: crate::forecast::months_to(period.year(), as_of),
        units: unit_figures(&inputs, ServiceMeasure::OnlineRate, UnitLevel::Commune),
        registry: inputs.registry,
    })
}
