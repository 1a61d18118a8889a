// conv4j_conv2d_forward_separable against the direct loop nest of test_support on small integer data, where every
// sum of both passes is exact: results must be identical. Filters are outer products u (x) v of integer factors
// (as applied, so rotated back into KCRS for the loops when the mode flips), some sharing a vertical factor within
// their group, some dense (vertical index -1, the depthwise loop nest); every border, stride, dilation, pad,
// depth multiplier, the epilogue, bands of 1 to all rows, 1 and 3 threads. Buffers are sized exactly
// (conv4j.h) so ASan reports any access outside them.
#include <algorithm>
#include <cstdio>
#include <vector>

#include "test_support.h"

using namespace conv4j_test;

namespace {

uint64_t state = 99;

int64_t next(int64_t bound) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (int64_t)((state >> 33) % (uint64_t)bound);
}

void check(Report &rep, const Geometry &g, int64_t tile_rows, int64_t threads) {
    conv4j_problem pr = make_problem(g);
    pr.path = CONV4J_PATH_SEPARABLE;
    pr.tile_rows = tile_rows;
    pr.threads = threads;
    schedule(pr);
    uint64_t st = 4242;
    const std::vector<float> x = integers(st, pr.n * pr.c * pr.h * pr.w, 6);
    const std::vector<float> bias = integers(st, pr.k, 20);
    const std::vector<float> y_in = integers(st, pr.n * pr.k * pr.p * pr.q, 50);
    // factors: vertical index per filter (-1: dense), shared by pairs within a group
    std::vector<int32_t> vertical(pr.k);
    std::vector<float> vf, hf(pr.k * pr.s), w(pr.k * pr.r * pr.s);
    int32_t verticals = 0;
    for (int64_t k = 0; k < pr.k; ++k) {
        const int64_t kk = k % pr.k_per_group;
        if (next(5) == 0) {
            vertical[k] = -1;
        } else if (kk > 0 && vertical[k - 1] >= 0 && next(2) == 0) {
            vertical[k] = vertical[k - 1];
        } else {
            vertical[k] = verticals++;
            for (int64_t r = 0; r < pr.r; ++r) vf.push_back((float)(next(7) - 3));
        }
        for (int64_t s = 0; s < pr.s; ++s) hf[k * pr.s + s] = (float)(next(7) - 3);
        for (int64_t r = 0; r < pr.r; ++r) {
            for (int64_t s = 0; s < pr.s; ++s) {
                // the applied filter w'[r][s]; the KCRS weights the loops read are w' rotated back when flip
                const int64_t rr = pr.flip ? pr.r - 1 - r : r, ss = pr.flip ? pr.s - 1 - s : s;
                const float applied = vertical[k] >= 0 ? vf[vertical[k] * pr.r + r] * hf[k * pr.s + s]
                                                       : (float)(next(9) - 4);
                w[(k * pr.r + rr) * pr.s + ss] = applied;
            }
        }
    }
    if (vf.empty()) vf.push_back(0.0f);
    std::vector<float> expected = y_in, actual = y_in, workspace(pr.workspace_per_thread * threads);
    direct_loops(pr, x.data(), w.data(), pr.has_bias ? bias.data() : nullptr, expected.data());
    const int status = conv4j_conv2d_forward_separable(&pr, x.data(), w.data(), vf.data(), hf.data(), vertical.data(),
                                                       pr.has_bias ? bias.data() : nullptr, actual.data(),
                                                       workspace.data());
    ++rep.checks;
    if (status != CONV4J_OK) {
        ++rep.failures;
        std::printf("FAIL status %d for %s\n", status, describe(g).c_str());
        return;
    }
    rep.expect_equal("separable, band " + std::to_string(tile_rows) + ", threads " + std::to_string(threads), g,
                     expected.data(), actual.data(), (int64_t)actual.size());
}

}  // namespace

int main() {
    Report rep;
    int tried = 0;
    for (int i = 0; i < 400; ++i) {
        Geometry g;
        g.n = 1 + next(2);
        g.c = 1 + next(4);
        g.groups = g.c;
        g.k = g.c * (1 + next(3));
        g.r = 2 + next(5);
        g.s = 2 + next(5);
        if (g.r == 2 && g.s == 2) g.s = 3;
        g.h = 1 + next(20);
        g.w = 1 + next(40);
        g.sh = 1 + next(2); g.sw = 1 + next(3);
        g.dh = 1 + next(2); g.dw = 1 + next(2);
        g.pt = next(4); g.pl = next(4); g.pb = next(4); g.pr = next(4);
        g.border = (int32_t)next(5);
        g.flip = (int32_t)next(2);
        g.bias = (int32_t)next(2);
        g.sum = (int32_t)next(2);
        g.act = (int32_t)next(3);
        g.lo = -40; g.hi = 60;
        if (!valid(g)) continue;
        ++tried;
        const conv4j_problem pr = make_problem(g);
        check(rep, g, pr.p, 1);
        check(rep, g, 1 + next(std::max<int64_t>(1, pr.p)), 3);
    }
    std::printf("separable_test: %d geometries\n", tried);
    return rep.finish("separable_test");
}
