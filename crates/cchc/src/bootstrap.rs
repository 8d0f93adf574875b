//! The built-in dataset: the Đức Thọ 2024 decision and its unit registry, carried in the binary
//! and loaded into an empty database on first start.

use anyhow::{anyhow, Result};
use cchc_domain::{Plan, Registry};
use cchc_store::Store;

/// Decision 60/QĐ-UBND of Đức Thọ district, as text.
pub const DUC_THO_DECISION: &str = include_str!("../../../data/duc-tho-2024/duc-tho-2024-qd60.txt");
/// The unit registry of that plan.
pub const DUC_THO_UNITS: &str = include_str!("../../../data/duc-tho-2024/units.csv");

/// The built-in registry.
pub fn builtin_registry() -> Result<Registry> {
    let units =
        cchc_ingest::units_csv::read_units_csv(DUC_THO_UNITS.as_bytes()).map_err(|errors| {
            anyhow!(
                "danh mục đơn vị có sẵn bị lỗi: {}",
                errors
                    .iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        })?;
    Ok(Registry::new(units))
}

/// The registry stored in the database; when it holds no unit, the built-in one is stored first.
pub async fn registry(store: &Store) -> Result<Registry> {
    let units = store.list_units().await?;
    if !units.is_empty() {
        return Ok(Registry::new(units));
    }
    let builtin = builtin_registry()?;
    store.import_units(builtin.units()).await?;
    tracing::info!(
        units = builtin.units().len(),
        "stored the built-in unit registry"
    );
    Ok(builtin)
}

/// The built-in plan, parsed against a registry.
pub fn builtin_plan(registry: &Registry) -> Result<Plan> {
    cchc_ingest::decision::parse_decision(DUC_THO_DECISION, registry)
        .map_err(|e| anyhow!("kế hoạch có sẵn không đọc được: {e}"))
}

/// Loads the Đức Thọ registry and plan into a database that has none.
pub async fn seed(store: &Store) -> Result<()> {
    let registry = registry(store).await?;
    if store.list_plans().await?.is_empty() {
        let plan = builtin_plan(&registry)?;
        match store.insert_plan(&plan).await {
            Ok(id) => {
                tracing::info!(plan = %id, decision = %plan.decision.number, "loaded the built-in plan")
            }
            // Another server starting on the same database stored it in the meantime.
            Err(cchc_store::StoreError::Conflict(_)) => {
                tracing::info!("the built-in plan was stored by another process")
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
