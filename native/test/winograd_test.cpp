// conv4j_winograd_transform_weights + conv4j_winograd_forward, F(2x2,3x3) and F(4x4,3x3), against the direct
// loop nest of test_support (double sums) on small integer data: every output within 1e-4 * (sum |x*w| + |bias| +
// |y_in|), far below what a wrong tile, lane, border cell or epilogue gives (an error of the size of a term) and
// far above the variants' rounding on these sizes (org.conv4j.Winograd states the rigorous bound; the Java tests
// hold each output to it). Geometries reach both ways tiles are loaded (V tiles of one row by shuffles, and
// narrower rows tile by tile), blocks that end mid-row, partial last tiles, every border, groups, the epilogue,
// true convolution, 1 and 3 threads, and every vector body the CPU has (run again with CONV4J_VECTOR_ISA).
// Buffers are sized exactly (conv4j_winograd.h) so ASan reports any access outside them.
#include <cmath>
#include <cstdio>
#include <vector>

#include "conv4j_winograd.h"
#include "test_support.h"

using namespace conv4j_test;

namespace {

// |x| conv |w| + |bias| + |y_in|: what an output's error is measured against.
std::vector<double> magnitudes(const conv4j_problem &pr, const std::vector<float> &x, const std::vector<float> &w,
                               const std::vector<float> &bias, const std::vector<float> &y_in) {
    conv4j_problem plain = pr;
    plain.has_bias = 0;
    plain.epi_sum = 0;
    plain.activation = CONV4J_ACT_NONE;
    std::vector<float> ax(x.size()), aw(w.size()), m(y_in.size());
    for (size_t i = 0; i < x.size(); ++i) ax[i] = std::fabs(x[i]);
    for (size_t i = 0; i < w.size(); ++i) aw[i] = std::fabs(w[i]);
    direct_loops(plain, ax.data(), aw.data(), nullptr, m.data());
    std::vector<double> out(m.size());
    const int64_t pq = pr.p * pr.q;
    for (size_t i = 0; i < m.size(); ++i) {
        const int64_t k = (int64_t)i / pq % pr.k;
        out[i] = m[i] + (pr.has_bias ? std::fabs(bias[k]) : 0.0) + (pr.epi_sum ? std::fabs(y_in[i]) : 0.0);
    }
    return out;
}

void check(Report &rep, const Geometry &g, int m, int64_t tiles_per_block, int64_t threads) {
    conv4j_problem pr = make_problem(g);
    const int64_t a2 = (m + 2) * (m + 2);
    pr.path = m == 2 ? CONV4J_PATH_WINOGRAD_F2 : CONV4J_PATH_WINOGRAD_F4;
    pr.tile_rows = tiles_per_block;
    pr.threads = threads;
    const int64_t kp = (pr.k_per_group + CONV4J_WINOGRAD_K_BLOCK - 1) / CONV4J_WINOGRAD_K_BLOCK * CONV4J_WINOGRAD_K_BLOCK;
    pr.workspace_per_thread = a2 * ((pr.c_per_group + kp) * ((tiles_per_block + 15) / 16 * 16) +
                                      2 * CONV4J_WINOGRAD_MATRIX_PAD);  // conv4j_winograd.h
    uint64_t st = 7654321 + (uint64_t)m;
    const std::vector<float> x = integers(st, pr.n * pr.c * pr.h * pr.w, 8);
    const std::vector<float> w = integers(st, pr.k * pr.reduction, 4);
    const std::vector<float> bias = integers(st, pr.k, 20);
    const std::vector<float> y_in = integers(st, pr.n * pr.k * pr.p * pr.q, 50);
    std::vector<float> expected = y_in, actual = y_in;
    direct_loops(pr, x.data(), w.data(), pr.has_bias ? bias.data() : nullptr, expected.data());
    const std::vector<double> mag = magnitudes(pr, x, w, bias, y_in);
    std::vector<float> u(a2 * pr.groups * kp * pr.c_per_group), workspace(pr.workspace_per_thread * threads);
    conv4j_winograd_transform_weights(&pr, m, w.data(), u.data());
    const int status = conv4j_winograd_forward(&pr, m, x.data(), u.data(), pr.has_bias ? bias.data() : nullptr,
                                               actual.data(), workspace.data());
    ++rep.checks;
    const std::string what = "F(" + std::to_string(m) + ",3) block " + std::to_string(tiles_per_block) + " threads " +
                             std::to_string(threads);
    if (status != CONV4J_OK) {
        ++rep.failures;
        std::printf("FAIL %s: status %d for %s\n", what.c_str(), status, describe(g).c_str());
        return;
    }
    for (size_t i = 0; i < actual.size(); ++i) {
        const double err = std::fabs((double)actual[i] - expected[i]);
        if (!(err <= 1e-4 * mag[i])) {
            ++rep.failures;
            std::printf("FAIL %s, %s: flat index %zu is %.9g, expected %.9g (allowed %.3g)\n", what.c_str(),
                        describe(g).c_str(), i, actual[i], expected[i], 1e-4 * mag[i]);
            return;
        }
    }
}

// 3x3, stride 1, dilation 1: the variants' domain.
Geometry three_by_three(uint64_t &st, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k) {
    auto next = [&st](int64_t bound) {
        st = st * 6364136223846793005ull + 1442695040888963407ull;
        return (int64_t)((st >> 33) % (uint64_t)bound);
    };
    Geometry g;
    g.n = n; g.c = c; g.h = h; g.w = w; g.k = k; g.r = g.s = 3;
    g.pt = next(3); g.pl = next(3); g.pb = next(3); g.pr = next(3);
    g.border = (int32_t)next(5);
    g.flip = (int32_t)next(2);
    g.bias = (int32_t)next(2);
    g.sum = (int32_t)next(2);
    g.act = (int32_t)next(3);
    g.lo = -30; g.hi = 40;
    if (c % 2 == 0 && k % 2 == 0 && next(3) == 0) g.groups = 2;
    return g;
}

}  // namespace

int main() {
    Report rep;
    uint64_t st = 2024;
    const int64_t widths[] = {1, 3, 6, 14, 31, 64, 70, 131};
    const int64_t heights[] = {1, 2, 5, 9};
    int tried = 0;
    for (int m : {2, 4}) {
        for (int64_t w : widths) {
            for (int64_t h : heights) {
                for (int64_t c : {1, 4, 17}) {
                    Geometry g = three_by_three(st, 1 + (int64_t)(st >> 60) % 2, c, h, w, c == 17 ? 5 : 6);
                    if (!valid(g)) continue;
                    ++tried;
                    check(rep, g, m, 16, 1);
                    check(rep, g, m, 48, 3);
                    check(rep, g, m, 21, 2);
                }
            }
        }
    }
    // every border mode on one narrow and one wide plane, each variant, with and without the epilogue
    for (int m : {2, 4}) {
        for (int32_t border = 0; border < 5; ++border) {
            for (int64_t w : {13, 97}) {
                Geometry g = three_by_three(st, 2, 3, 11, w, 4);
                g.border = border;
                g.pt = g.pl = g.pb = g.pr = 2;
                ++tried;
                check(rep, g, m, 32, 2);
            }
        }
    }
    // whole filter blocks (K/G a multiple of 8: the weight transform's full-lane path on every body) and a partial
    // last block, both orientations, more channels than one chunk of the weight transform
    for (int m : {2, 4}) {
        for (int64_t k : {16, 19}) {
            for (int32_t flip : {0, 1}) {
                Geometry g = three_by_three(st, 1, 11, 7, 10, k);
                g.flip = flip;
                g.groups = 1;
                ++tried;
                check(rep, g, m, 16, 1);
            }
        }
    }
    std::printf("winograd_test: %d geometries\n", tried);
    return rep.finish("winograd_test");
}
