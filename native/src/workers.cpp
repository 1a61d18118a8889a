// The process-wide helper pool behind run_items. It is created on first use, grows to the largest
// helper count any call asked for, and is never destroyed (its threads may still be waiting when the
// process exits; destroying the mutex under them would be undefined).
//
// Waking a thread blocked on a condition variable takes tens of microseconds (more under a hypervisor), as
// long as a whole depthwise layer at 2 threads; so, as OpenMP runtimes do (libgomp's spin count, oneDNN's and
// PyTorch's pools), a helper that finishes a job first watches for the next one for kSpin before it sleeps,
// and a caller watches for its helpers to finish for as long before it sleeps. Both read an atomic and pause;
// they never spin longer, so a pool left idle holds no core.
#include "workers.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace conv4j {

namespace {

constexpr std::chrono::microseconds kSpin(200);

inline void cpu_pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

// Polls ready() for up to kSpin; true as soon as it holds.
template <typename Pred>
bool spin_until(Pred ready) {
    const auto until = std::chrono::steady_clock::now() + kSpin;
    for (;;) {
        for (int i = 0; i < 64; ++i) {
            if (ready()) return true;
            cpu_pause();
        }
        if (std::chrono::steady_clock::now() >= until) return ready();
    }
}

// condition_variable::wait(unique_lock&) is an exported symbol versioned GLIBCXX_3.4.30 by GCC 12's
// libstdc++, which would make the released library need a GCC 12 runtime. wait_for is inline
// (pthread_cond_clockwait, glibc 2.30), so waiting in long timed slices keeps the floor at glibc.
template <typename Pred>
void wait_until(std::condition_variable &cv, std::unique_lock<std::mutex> &lock, Pred ready) {
    while (!cv.wait_for(lock, std::chrono::hours(1), ready)) {
    }
}

// Items are cut into one contiguous chunk per participant (at most kChunks), claimed from a counter per chunk:
// worker w first takes its own chunk w mod chunks, then helps with the others in turn. So, as under an OpenMP
// static schedule, back-to-back calls give a participant the same items (the same planes, the same bands) and the
// data it wrote or read last time is still in its core's caches, while a participant that is late (a helper
// still waking, a core shared with another process) has its items taken by the others.
constexpr int64_t kChunks = 64;

struct Job {
    void (*body)(void *, int64_t, int64_t);
    void *ctx;
    int64_t items;
    int64_t chunks;  // min(participants, items, kChunks); chunk c is [c*items/chunks, (c+1)*items/chunks)
    std::atomic<int64_t> next[kChunks];
    int64_t max_helpers;  // the rest changed under Pool::mutex
    int64_t joined = 0;
    std::atomic<int64_t> active{0};  // read without it by the caller's spin; a helper's decrement is its last access

    void start(int64_t participants) {
        chunks = std::max<int64_t>(1, std::min(std::min(participants, items), kChunks));
        for (int64_t c = 0; c < chunks; ++c) next[c].store(begin(c), std::memory_order_relaxed);
    }
    int64_t begin(int64_t c) const { return c * items / chunks; }

    void work(int64_t worker) {
        for (int64_t k = 0; k < chunks; ++k) {
            const int64_t c = (worker + k) % chunks, end = begin(c + 1);
            for (int64_t i = next[c].fetch_add(1); i < end; i = next[c].fetch_add(1)) body(ctx, worker, i);
        }
    }
};

class Pool {
  public:
    // Starts helpers until there are `wanted` (or thread creation fails); returns how many run.
    int64_t grow(int64_t wanted) {
        std::lock_guard<std::mutex> lock(mutex_);
        while (helpers_ < wanted) {
            try {
                std::thread([this] { serve(); }).detach();
            } catch (...) {
                break;
            }
            ++helpers_;
        }
        return helpers_;
    }

    void run(Job &job) {
        try {
            std::lock_guard<std::mutex> lock(mutex_);
            queue_.push_back(&job);
            publish_queued();
        } catch (...) {  // no memory for the queue entry: no helper can join, run inline
            job.work(0);
            return;
        }
        for (int64_t i = 0; i < job.max_helpers; ++i) work_cv_.notify_one();
        job.work(0);
        {
            std::lock_guard<std::mutex> lock(mutex_);
            for (auto it = queue_.begin(); it != queue_.end(); ++it) {
                if (*it == &job) {
                    queue_.erase(it);
                    break;
                }
            }
            publish_queued();
        }
        // No helper joins any more; those that did may still be running their last items: wait for them.
        const auto done = [&job] { return job.active.load(std::memory_order_acquire) == 0; };
        if (spin_until(done)) return;
        std::unique_lock<std::mutex> lock(mutex_);
        wait_until(done_cv_, lock, done);
    }

  private:
    // queued_ = queue_.size(); under mutex_, after every change of the queue.
    void publish_queued() { queued_.store(static_cast<int64_t>(queue_.size()), std::memory_order_release); }

    void serve() {
        for (;;) {
            spin_until([this] { return queued_.load(std::memory_order_acquire) > 0; });
            std::unique_lock<std::mutex> lock(mutex_);
            wait_until(work_cv_, lock, [this] { return !queue_.empty(); });
            Job *job = queue_.front();
            const int64_t worker = ++job->joined;
            job->active.fetch_add(1, std::memory_order_relaxed);
            if (job->joined == job->max_helpers) {
                queue_.pop_front();
                publish_queued();
            }
            lock.unlock();
            job->work(worker);
            lock.lock();
            // the last access to *job: once active reaches 0 its caller may return and free it
            if (job->active.fetch_sub(1, std::memory_order_acq_rel) == 1) done_cv_.notify_all();
        }
    }

    std::mutex mutex_;
    std::condition_variable work_cv_, done_cv_;
    std::deque<Job *> queue_;
    std::atomic<int64_t> queued_{0};  // queue_.size(), written under mutex_, polled without it by idle helpers
    int64_t helpers_ = 0;
};

Pool &pool() {
    static Pool *p = new Pool();  // never destroyed, see above
    return *p;
}

}  // namespace

void run_items(int64_t items, int64_t threads, void (*body)(void *, int64_t, int64_t), void *ctx) {
    Job job;
    job.body = body;
    job.ctx = ctx;
    job.items = items;
    job.max_helpers = std::min(threads, items) - 1;
    if (job.max_helpers > 0) {
        try {
            job.max_helpers = std::min(job.max_helpers, pool().grow(job.max_helpers));
        } catch (...) {  // std::system_error from a mutex or allocation failure: run inline
            job.max_helpers = 0;
        }
    }
    job.max_helpers = std::max<int64_t>(job.max_helpers, 0);
    job.start(job.max_helpers + 1);
    if (job.max_helpers == 0) {
        job.work(0);
        return;
    }
    pool().run(job);
}

}  // namespace conv4j
