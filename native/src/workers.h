#ifndef CONV4J_WORKERS_H
#define CONV4J_WORKERS_H

#include <cstdint>
#include <type_traits>

namespace conv4j {

/*
 * Runs body(worker, item) once for every item in [0, items) on up to `threads` participants: the
 * calling thread (worker 0) and helpers of one process-wide pool of std::threads (workers
 * 1..threads-1). Between calls a helper watches for the next job for at most 200 us, then sleeps on a
 * condition variable; a caller likewise watches its helpers finish for 200 us before it blocks. So
 * back-to-back calls skip the wake-up latency, and an idle pool holds no core.
 * Items are cut into one contiguous chunk per participant; each claims its own chunk's items in order, then the
 * rest of the others' (workers.cpp), so back-to-back calls give a participant the same items and their data is
 * still in its core's caches, and a late participant delays no one. `worker` < threads names the participant,
 * e.g. its workspace. Returns when every item is done. Never throws: when helpers cannot be started, or are all busy with other calls, the
 * caller runs the items itself, so any number of concurrent callers make progress.
 */
void run_items(int64_t items, int64_t threads, void (*body)(void *ctx, int64_t worker, int64_t item), void *ctx);

/* run_items over a callable f(worker, item), without allocating. */
template <typename F>
void parallel_items(int64_t items, int64_t threads, F &&f) {
    typedef typename std::remove_reference<F>::type Fn;
    run_items(items, threads, [](void *ctx, int64_t worker, int64_t item) { (*static_cast<Fn *>(ctx))(worker, item); },
              const_cast<void *>(static_cast<const void *>(&f)));
}

}  // namespace conv4j

#endif
