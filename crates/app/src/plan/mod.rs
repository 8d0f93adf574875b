//! Kế hoạch: the plan of a year as the other features read it, and the progress its public
//! pages show (`progress`).

pub mod progress;

use cchc_domain::{Plan, Registry};
use cchc_store::PlanId;

use crate::{App, Error, Result as R};

/// The plan of the period's year (else the latest) and the registry.
pub async fn plan_for(state: &App, year: Option<i32>) -> R<(PlanId, Plan, Registry)> {
    let plans = state.store.list_plans().await?;
    let chosen = year
        .and_then(|y| plans.iter().rev().find(|p| p.year == y))
        .or(plans.last())
        .ok_or_else(|| Error::not_found("chưa có kế hoạch nào"))?;
    let plan = state
        .store
        .get_plan(chosen.id)
        .await?
        .ok_or_else(|| Error::not_found("kế hoạch"))?;
    let registry = Registry::new(state.store.list_units().await?);
    Ok((chosen.id, plan, registry))
}
