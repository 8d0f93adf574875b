//! Kế hoạch: the plan of a year as the other features read it, and the progress its public
//! pages show (`progress`).

pub mod progress;

use std::sync::Arc;

use cchc_domain::{Plan, Registry};
use cchc_store::PlanId;

use crate::{App, Error, Result as R};

/// The plan of the period's year (else the latest) and the registry.
pub async fn plan_for(state: &App, year: Option<i32>) -> R<(PlanId, Arc<Plan>, Registry)> {
    let (id, plan, registry, _) = plan_and_latest(state, year).await?;
    Ok((id, plan, registry))
}

/// [`plan_for`], and the id of the latest plan (the one `plan_for(state, None)` loads), so
/// that a caller needing both loads a plan twice only when they differ.
pub async fn plan_and_latest(
    state: &App,
    year: Option<i32>,
) -> R<(PlanId, Arc<Plan>, Registry, PlanId)> {
    let plans = state.store.list_plans().await?;
    let latest = plans
        .last()
        .ok_or_else(|| Error::not_found("chưa có kế hoạch nào"))?;
    let chosen = year
        .and_then(|y| plans.iter().rev().find(|p| p.year == y))
        .unwrap_or(latest);
    // Parsed once per stored revision, checked on every request (several servers may share
    // the database).
    let plan = state
        .store
        .get_plan_shared(chosen.id)
        .await?
        .ok_or_else(|| Error::not_found("kế hoạch"))?;
    let registry = Registry::new(state.store.list_units().await?);
    Ok((chosen.id, plan, registry, latest.id))
}

/// What storing a plan did (lưu kế hoạch): a decision already stored is left unchanged
/// unless `replace`, and the differences are listed either way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// A new plan under this id.
    Inserted(PlanId),
    /// The same decision, nothing different.
    Unchanged(PlanId),
    /// Replaced; what changed, in Vietnamese.
    Replaced(PlanId, Vec<String>),
    /// Stored already and different; nothing written (no `replace`).
    Differs(PlanId, Vec<String>),
}

/// Stores `plan` in one transaction, or compares it with the stored plan of the same
/// decision and owner.
pub async fn store_plan(state: &App, plan: &Plan, replace: bool) -> R<Stored> {
    let store = &state.store;
    let Some(id) = store
        .find_plan(&plan.decision.number, &plan.owner.text)
        .await?
    else {
        return Ok(Stored::Inserted(store.insert_plan(plan).await?));
    };
    let old = store
        .get_plan(id)
        .await?
        .ok_or_else(|| Error::not_found(format!("kế hoạch mã {id} vừa bị xóa")))?;
    let diff = cchc_domain::diff::diff(&old, plan);
    if diff.is_empty() {
        return Ok(Stored::Unchanged(id));
    }
    if replace {
        store.replace_plan(id, plan).await?;
        return Ok(Stored::Replaced(id, diff.describe_vi()));
    }
    Ok(Stored::Differs(id, diff.describe_vi()))
}

/// The plan with this id, or the latest one (by year, then id).
pub async fn load_plan(state: &App, id: Option<i64>) -> R<(PlanId, Plan)> {
    let id =
        match id {
            Some(n) => PlanId(n),
            None => {
                let plans = state.store.list_plans().await?;
                match plans.iter().max_by_key(|p| (p.year, p.id)) {
                    Some(p) => p.id,
                    None => return Err(Error::not_found(
                        "chưa có kế hoạch nào trong cơ sở dữ liệu; nhập bằng: cchc plan import TỆP",
                    )),
                }
            }
        };
    let plan = state.store.get_plan(id).await?.ok_or_else(|| {
        Error::not_found(format!(
            "không có kế hoạch mã {id}; xem danh sách bằng: cchc plan list"
        ))
    })?;
    Ok((id, plan))
}

/// The importer's diagnostics and a fresh lint, without repeats.
pub fn lint_all(plan: &Plan) -> Vec<cchc_domain::Diagnostic> {
    let mut all = plan.diagnostics.clone();
    for d in cchc_domain::lint::lint(plan) {
        if !all.contains(&d) {
            all.push(d);
        }
    }
    all
}
