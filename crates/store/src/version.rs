//! Một phiên bản cho mỗi yêu cầu — one read of the data version per request.
//!
//! A page asks for the data version several times (the session, the account's unit, its
//! unread notices, the page's own body, each kept by `cchc_app::memo`). Inside
//! [`one_version_per_task`] the first answer is remembered for the rest of the task and later
//! asks take it without a query; a write transaction begun in the task forgets it, so what the
//! task reads after its own write is read under a new version. Outside it every ask queries.
//!
//! Taking the version read at a request's start is as fresh as the request needs: a result
//! kept under it was computed after it was read, so it is never older than the last commit
//! before the request began.

use std::cell::Cell;
use std::future::Future;

use crate::Result;

tokio::task_local! {
    static SEEN: Cell<Option<u64>>;
}

/// Runs `fut` (one request) reading the data version at most once, until it writes.
pub async fn one_version_per_task<F: Future>(fut: F) -> F::Output {
    SEEN.scope(Cell::new(None), fut).await
}

/// The version remembered in this task, or `read`'s answer (remembered when in a scope).
pub(crate) async fn seen_or<F>(read: F) -> Result<Option<u64>>
where
    F: Future<Output = Result<Option<u64>>>,
{
    if let Ok(Some(v)) = SEEN.try_with(Cell::get) {
        return Ok(Some(v));
    }
    let v = read.await?;
    let _ = SEEN.try_with(|c| c.set(v));
    Ok(v)
}

/// This task is about to write: the version it remembered no longer holds.
pub(crate) fn forget() {
    let _ = SEEN.try_with(|c| c.set(None));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[tokio::test]
    async fn read_once_in_a_scope_until_a_write_and_every_time_outside() {
        let reads = AtomicU64::new(0);
        let read = || async { Ok(Some(reads.fetch_add(1, Ordering::SeqCst) + 10)) };
        assert_eq!(seen_or(read()).await.unwrap(), Some(10));
        assert_eq!(
            seen_or(read()).await.unwrap(),
            Some(11),
            "no scope: every ask reads"
        );
        one_version_per_task(async {
            assert_eq!(seen_or(read()).await.unwrap(), Some(12));
            assert_eq!(seen_or(read()).await.unwrap(), Some(12), "remembered");
            forget();
            assert_eq!(
                seen_or(read()).await.unwrap(),
                Some(13),
                "read again after a write"
            );
            assert_eq!(seen_or(read()).await.unwrap(), Some(13));
        })
        .await;
        assert_eq!(reads.load(Ordering::SeqCst), 4);
    }
}
