//! Tổ chức thực hiện: accounts and sessions (`accounts`), reporting periods, unit reports and
//! evidence (`reports`), the board, overdue work and the dashboard (`board`), and the
//! period's documents (`documents`). The scope checks are `crate::access`.

pub mod accounts;
pub mod board;
pub mod documents;
pub mod reports;

pub(crate) use crate::access::scope;
pub use crate::access::{can_read, denied, may_grant, Session};

pub use accounts::*;
pub use board::*;
pub use reports::*;
