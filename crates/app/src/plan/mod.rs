//! Kế hoạch: the plan of a year as the other features read it.

use cchc_domain::{Plan, Registry};
use cchc_store::PlanId;

use crate::{App, Error, Result as R};

/// The plan of the period's year (else the latest) and the registry.
pub async fn plan_for(state: &App, year: Option<i32>) -> R<(PlanId, Plan, Registry)> {
    let (id, plan, registry, _) = plan_and_latest(state, year).await?;
    Ok((id, plan, registry))
}

/// [`plan_for`], and the id of the latest plan (the one `plan_for(state, None)` loads), so
/// that a caller needing both loads a plan twice only when they differ.
pub async fn plan_and_latest(
    state: &App,
    year: Option<i32>,
) -> R<(PlanId, Plan, Registry, PlanId)> {
    let plans = state.store.list_plans().await?;
    let latest = plans
        .last()
        .ok_or_else(|| Error::not_found("chưa có kế hoạch nào"))?;
    let chosen = year
        .and_then(|y| plans.iter().rev().find(|p| p.year == y))
        .unwrap_or(latest);
    let plan = state
        .store
        .get_plan(chosen.id)
        .await?
        .ok_or_else(|| Error::not_found("kế hoạch"))?;
    let registry = Registry::new(state.store.list_units().await?);
    Ok((chosen.id, plan, registry, latest.id))
}
