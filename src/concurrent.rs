//! Running several futures at once on the one (current-thread) runtime, without spawning:
//! the futures may borrow the session, and their results keep the order they were given in.

use std::future::Future;

use futures_util::{StreamExt, stream};

/// Every future's output, in the order given, with at most `limit` of them running at a
/// time. futures-util's `buffer_unordered` keeps `limit` running whatever order they end
/// in, and the outputs are put back in order at the end: `buffered` would keep finished
/// outputs in its window until those before them end, so one slow server would hold back
/// the start of the others.
pub(crate) async fn join_bounded<F: Future>(
    futures: impl IntoIterator<Item = F>,
    limit: usize,
) -> Vec<F::Output> {
    let numbered = futures
        .into_iter()
        .enumerate()
        .map(|(i, future)| async move { (i, future.await) });
    let mut outputs: Vec<(usize, F::Output)> = stream::iter(numbered)
        .buffer_unordered(limit.max(1))
        .collect()
        .await;
    outputs.sort_by_key(|(i, _)| *i);
    outputs.into_iter().map(|(_, output)| output).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::time::Duration;

    #[test]
    fn keeps_order_and_bounds_how_many_run() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let running = Cell::new(0);
        let most = Cell::new(0);
        let out = runtime.block_on(join_bounded(
            (0..10u64).map(|i| {
                let (running, most) = (&running, &most);
                async move {
                    running.set(running.get() + 1);
                    most.set(most.get().max(running.get()));
                    // Later ones finish first: order must come from the input.
                    tokio::time::sleep(Duration::from_millis(50 - 4 * i)).await;
                    running.set(running.get() - 1);
                    i * 2
                }
            }),
            4,
        ));
        assert_eq!(out, (0..10).map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(most.get(), 4);
        let empty: Vec<std::future::Ready<u8>> = Vec::new();
        assert!(runtime.block_on(join_bounded(empty, 4)).is_empty());
    }
}
