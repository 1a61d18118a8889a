// run_items (workers.h): every item runs exactly once, on a worker below `threads`, whatever the item and thread
// counts: fewer items than threads, a remainder in the chunks, more participants than chunks (workers.cpp's
// kChunks = 64), and back-to-back calls that reuse the pool.
#include <atomic>
#include <cstdio>
#include <vector>

#include "workers.h"

int main() {
    int checks = 0, failures = 0;
    const int64_t item_counts[] = {0, 1, 2, 3, 7, 32, 63, 64, 65, 1000};
    const int64_t thread_counts[] = {1, 2, 3, 5, 70};
    for (int64_t items : item_counts) {
        for (int64_t threads : thread_counts) {
            for (int repeat = 0; repeat < 3; ++repeat) {
                std::vector<std::atomic<int>> runs(items);
                std::atomic<int> bad_worker{0};
                conv4j::parallel_items(items, threads, [&](int64_t worker, int64_t item) {
                    if (worker < 0 || worker >= threads) bad_worker.fetch_add(1);
                    runs[item].fetch_add(1);
                });
                ++checks;
                int64_t wrong = -1;
                for (int64_t i = 0; i < items && wrong < 0; ++i) {
                    if (runs[i].load() != 1) wrong = i;
                }
                if (wrong >= 0 || bad_worker.load() != 0) {
                    if (++failures <= 5) {
                        std::printf("FAIL run_items(items %lld, threads %lld), call %d: item %lld ran %d times, "
                                    "%d calls with a worker outside [0, threads)\n",
                                    (long long)items, (long long)threads, repeat, (long long)wrong,
                                    wrong >= 0 ? runs[wrong].load() : 1, bad_worker.load());
                    }
                }
            }
        }
    }
    std::printf("workers_test: %d checks, %d failures\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
