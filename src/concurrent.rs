//! Running several futures at once on the one (current-thread) runtime, without spawning:
//! the futures may borrow the session, and their results keep the order they were given in.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

/// Every future's output, in order, with at most `limit` of them in progress at a time.
pub async fn join_bounded<F: Future>(
    futures: impl IntoIterator<Item = F>,
    limit: usize,
) -> Vec<F::Output> {
    let mut pending: Vec<Option<Pin<Box<F>>>> =
        futures.into_iter().map(|f| Some(Box::pin(f))).collect();
    let mut results: Vec<Option<F::Output>> = pending.iter().map(|_| None).collect();
    let limit = limit.max(1);
    std::future::poll_fn(|cx| {
        // The first `limit` unfinished futures: all those started, and the next to start.
        let mut in_window = 0;
        for (slot, result) in pending.iter_mut().zip(results.iter_mut()) {
            if in_window == limit {
                break;
            }
            let Some(future) = slot else { continue };
            match future.as_mut().poll(cx) {
                Poll::Ready(output) => {
                    *result = Some(output);
                    *slot = None;
                }
                Poll::Pending => in_window += 1,
            }
        }
        if in_window == 0 {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    results
        .into_iter()
        .map(|r| r.expect("every future has finished"))
        .collect()
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
