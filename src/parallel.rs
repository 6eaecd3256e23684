//! Work on thousands of returns, a contiguous share per core.

/// `each` applied to consecutive shares of `items`, one share per core and at least `least`
/// items in each, on scoped threads; the results in the order of the items. A share whose
/// thread panicked comes back as `Err` with its items, for the caller to report.
pub fn by_share<'a, T: Sync, R: Send>(
    items: &'a [T],
    least: usize,
    each: impl Fn(&'a [T]) -> R + Sync,
) -> Vec<Result<R, &'a [T]>> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let share = items.len().div_ceil(cores).max(least.max(1));
    let each = &each;
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(share)
            .map(|chunk| (chunk, scope.spawn(move || each(chunk))))
            .collect();
        workers
            .into_iter()
            .map(|(chunk, worker)| worker.join().map_err(|_| chunk))
            .collect()
    })
}

/// `each` of every item, in order, computed a share per core as [`by_share`] does. For work
/// that cannot fail: a share whose thread panicked is worked again on the calling thread,
/// as if there were one core.
pub fn map<T: Sync, R: Send>(items: &[T], least: usize, each: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let each = &each;
    map_shares(items, least, |share| {
        share.iter().map(each).collect::<Vec<R>>()
    })
    .into_iter()
    .flatten()
    .collect()
}

/// `each` of consecutive shares of `items` as [`by_share`] makes them, the results in order;
/// a share whose thread panicked is worked again on the calling thread. Too few items for a
/// second share are worked on the calling thread from the start (a thread costs more).
pub fn map_shares<'a, T: Sync, R: Send>(
    items: &'a [T],
    least: usize,
    each: impl Fn(&'a [T]) -> R + Sync,
) -> Vec<R> {
    if items.len() <= least {
        return vec![each(items)];
    }
    by_share(items, least, &each)
        .into_iter()
        .map(|share| share.unwrap_or_else(&each))
        .collect()
}

/// Lets `value` go on a thread of its own when it holds at least `least` items, so that
/// nothing waits while thousands of small allocations are freed; fewer are freed here.
pub fn free_beside<T: Send + 'static>(value: Vec<T>, least: usize) {
    if value.len() < least {
        return;
    }
    // (should the thread not start, the value is freed here, as if it were small)
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_come_back_in_order() {
        let items: Vec<u32> = (0..1000).collect();
        let sums: Vec<u32> = super::by_share(&items, 64, |share| share.iter().sum::<u32>())
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(sums.iter().sum::<u32>(), items.iter().sum::<u32>());
        let firsts: Vec<Vec<u32>> = super::by_share(&items, 64, |share| share.to_vec())
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(firsts.concat(), items);
        assert!(super::by_share(&[] as &[u32], 64, |s| s.len()).is_empty());
    }

    #[test]
    fn map_gives_every_result_in_order_even_where_a_share_stopped_once() {
        let items: Vec<u32> = (0..1000).collect();
        let doubled = super::map(&items, 64, |n| n * 2);
        assert_eq!(doubled, items.iter().map(|n| n * 2).collect::<Vec<_>>());
        // The last item panics on its share's thread only; worked again here, it gives.
        let here = std::thread::current().id();
        let once = super::map(&items, 64, |&n| {
            assert!(n != 999 || std::thread::current().id() == here, "stops");
            n + 1
        });
        assert_eq!(once, (1..=1000).collect::<Vec<u32>>());
    }

    #[test]
    fn a_share_that_panics_comes_back_as_its_items_alone_or_among_others() {
        let few: Vec<u32> = (0..10).collect();
        let alone = super::by_share(&few, 64, |share| -> u32 { panic!("{}", share.len()) });
        assert_eq!(alone, vec![Err(&few[..])]);
        let many: Vec<u32> = (0..1000).collect();
        let shares = super::by_share(&many, 64, |share| {
            assert!(!share.contains(&999), "the last share stops");
            share.len()
        });
        assert!(shares.len() > 1 && shares[0].is_ok());
        assert!(
            shares
                .last()
                .unwrap()
                .as_ref()
                .is_err_and(|items| items.contains(&999))
        );
    }

    #[test]
    fn what_is_freed_beside_is_freed_here_when_small_and_soon_when_large() {
        let held = std::sync::Arc::new(());
        super::free_beside(vec![held.clone(); 3], 4);
        assert_eq!(
            std::sync::Arc::strong_count(&held),
            1,
            "three of four: freed here"
        );
        super::free_beside(vec![held.clone(); 4], 4);
        let start = std::time::Instant::now();
        while std::sync::Arc::strong_count(&held) > 1 {
            assert!(start.elapsed().as_secs() < 30, "four of four: never freed");
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }
}
