//! The plan on the web (kế hoạch): the plans, a plan's matrix with its filters, an activity, a
//! target, the plan's flaws, the unit registry.

pub mod pages;
pub mod routes;
pub mod view;
