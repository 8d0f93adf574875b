//! Lint (kiểm tra kế hoạch): the plan's flaws, located and in Vietnamese.

use crate::diagnostic::Diagnostic;
use crate::plan::Plan;

/// Every flaw the lint finds in a plan, in document order.
pub fn lint(plan: &Plan) -> Vec<Diagnostic> {
    let _ = plan;
    Vec::new()
}
