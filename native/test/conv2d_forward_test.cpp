// The driver conv4j_conv2d_forward and its constant-weight pair conv4j_prepare_weights +
// conv4j_conv2d_forward_prepared (every path, border, mode and epilogue; the direct small-reduction and the
// direct blocked paths on every geometry they can take; 1 and 3 threads) against a direct loop nest
// on small integer data, where every float sum is exact: results must be identical. Buffers are sized
// exactly so ASan reports any read or write outside them.
#include <cmath>
#include <cstdio>
#include <vector>

#include "direct_blocked.h"
#include "edge_geometries.h"
#include "test_support.h"

using namespace conv4j_test;

namespace {

// The path check_forward runs: the one make_problem picks, or another where it can run the geometry.
enum class Force { none, small, blocked };

// threads: participants of the driver's pool; force: the direct small-reduction or the direct blocked path, if
// eligible.
void check_forward(Report &rep, const Geometry &g, int64_t threads = 1, Force force = Force::none) {
    conv4j_problem pr = make_problem(g);
    pr.threads = threads;
    if (force == Force::blocked) {
        if (pr.r * pr.s > CONV4J_DIRECT_BLOCKED_MAX_TAPS) return;
        pr.path = CONV4J_PATH_DIRECT_BLOCKED;
    }
    if (force == Force::small) {
        if (pr.reduction > CONV4J_DIRECT_SMALL_MAX_REDUCTION || pr.k_per_group > CONV4J_DIRECT_SMALL_MAX_FILTERS ||
            pr.stride_w != 1 || pr.path == CONV4J_PATH_DEPTHWISE) {
            return;
        }
        pr.path = CONV4J_PATH_DIRECT_SMALL_REDUCTION;
    }
    uint64_t st = 1234567;
    const std::vector<float> x = integers(st, pr.n * pr.c * pr.h * pr.w, 8);
    const std::vector<float> w = integers(st, pr.k * pr.reduction, 4);
    const std::vector<float> bias = integers(st, pr.k, 20);
    const std::vector<float> y_in = integers(st, pr.n * pr.k * pr.p * pr.q, 50);
    std::vector<float> expected = y_in, actual = y_in;
    schedule(pr);
    if (pr.path == CONV4J_PATH_DIRECT_BLOCKED) {  // test_support's sizes, from the header's formulas, are the code's
        ++rep.checks;
        if (pr.workspace_per_thread != conv4j::direct_blocked_workspace(pr) ||
            prepared_elements(pr) != conv4j::direct_blocked_packed_elements(pr)) {
            ++rep.failures;
            std::printf("FAIL direct blocked sizes for %s: workspace %lld vs %lld, packed %lld vs %lld\n",
                        describe(g).c_str(), (long long)pr.workspace_per_thread,
                        (long long)conv4j::direct_blocked_workspace(pr), (long long)prepared_elements(pr),
                        (long long)conv4j::direct_blocked_packed_elements(pr));
        }
    }
    const int64_t ws = pr.workspace_per_thread * threads;
    std::vector<float> workspace(ws, std::nanf(""));  // poisoned: a path must write what it reads
    direct_loops(pr, x.data(), w.data(), pr.has_bias ? bias.data() : nullptr, expected.data());
    const int status = conv4j_conv2d_forward(&pr, x.data(), w.data(), pr.has_bias ? bias.data() : nullptr,
                                             actual.data(), ws > 0 ? workspace.data() : nullptr);
    ++rep.checks;
    if (status != CONV4J_OK) {
        ++rep.failures;
        std::printf("FAIL status %d for %s\n", status, describe(g).c_str());
        return;
    }
    rep.expect_equal("conv4j_conv2d_forward path " + std::to_string(pr.path) + ", threads " + std::to_string(threads), g, expected.data(), actual.data(),
                     (int64_t)actual.size());
    // The same with weights prepared once (sized exactly as conv4j.h says): bit-identical to the call above.
    std::vector<float> prepared(prepared_elements(pr));
    std::vector<float> from_prepared = y_in;
    conv4j_prepare_weights(&pr, w.data(), prepared.data());
    const int prepared_status = conv4j_conv2d_forward_prepared(&pr, x.data(), prepared.data(),
            pr.has_bias ? bias.data() : nullptr, from_prepared.data(), ws > 0 ? workspace.data() : nullptr);
    ++rep.checks;
    if (prepared_status != CONV4J_OK) {
        ++rep.failures;
        std::printf("FAIL prepared status %d for %s\n", prepared_status, describe(g).c_str());
        return;
    }
    rep.expect_equal("conv4j_conv2d_forward_prepared path " + std::to_string(pr.path), g, actual.data(),
                     from_prepared.data(), (int64_t)actual.size());
}

void rejects_unknown_path(Report &rep) {
    Geometry g;
    conv4j_problem pr = make_problem(g);
    pr.path = 99;
    float x = 1, w = 1, y = 7;
    ++rep.checks;
    if (conv4j_conv2d_forward(&pr, &x, &w, nullptr, &y, nullptr) != CONV4J_UNKNOWN_PATH || y != 7) {
        ++rep.failures;
        std::printf("FAIL unknown path must return CONV4J_UNKNOWN_PATH and leave y alone\n");
    }
}

// clamp to [-0, hi] of an all-negative output gives -0 in every element (as std::max(v, -0.0f) and Java's
// Epilogue do) on every path, in the vector interior and at the scalar edges alike.
void clamp_keeps_negative_zero(Report &rep) {
    Geometry dense;
    dense.c = 2; dense.h = 5; dense.w = 45; dense.k = 3; dense.r = 3; dense.s = 3;
    dense.pt = dense.pl = dense.pb = dense.pr = 1;
    Geometry depthwise = dense, one_by_one = dense;
    depthwise.groups = depthwise.c; depthwise.k = 2 * depthwise.c;
    one_by_one.r = one_by_one.s = 1; one_by_one.pt = one_by_one.pl = one_by_one.pb = one_by_one.pr = 0;
    for (Geometry g : {dense, depthwise, one_by_one}) {
        g.act = CONV4J_ACT_CLAMP; g.lo = -0.0f; g.hi = 5;
        for (int small = 0; small < 2; ++small) {
            conv4j_problem pr = make_problem(g);
            if (small) pr.path = CONV4J_PATH_DIRECT_SMALL_REDUCTION;
            schedule(pr);
            const std::vector<float> x(pr.n * pr.c * pr.h * pr.w, 1.0f), w(pr.k * pr.reduction, -1.0f);
            std::vector<float> y(pr.n * pr.k * pr.p * pr.q, 7.0f), workspace(pr.workspace_per_thread + 1);
            conv4j_conv2d_forward(&pr, x.data(), w.data(), nullptr, y.data(), workspace.data());
            ++rep.checks;
            for (size_t i = 0; i < y.size(); ++i) {
                if (y[i] != 0.0f || !std::signbit(y[i])) {
                    ++rep.failures;
                    std::printf("FAIL clamp to [-0, 5], path %d, %s: flat index %zu is %g, expected -0\n", pr.path,
                                describe(g).c_str(), i, y[i]);
                    break;
                }
            }
        }
    }
}

// Depthwise planes wide enough for whole vectors of every width (16, 8, 4 lanes) and tall enough for blocks of 4
// output rows and a remainder: the 3x3 stride-1 kernel that shares loads over output rows, and the row kernel
// (5x3, strided, dilated) beside it, over every pad, border, flip and epilogue.
std::vector<Geometry> depthwise_geometries() {
    std::vector<Geometry> out;
    const int64_t sizes[][2] = {{6, 16}, {9, 37}, {11, 70}, {4, 129}};
    const int64_t shapes[][6] = {// r, s, sh, sw, dh, dw
                                 {3, 3, 1, 1, 1, 1}, {3, 3, 1, 2, 1, 1}, {5, 3, 1, 1, 1, 1}, {3, 3, 2, 2, 1, 1},
                                 {3, 3, 1, 1, 2, 2}};
    const int64_t pads[][4] = {{1, 1, 1, 1}, {0, 0, 0, 0}, {2, 0, 1, 3}};
    for (const auto &hw : sizes)
        for (const auto &sh : shapes)
            for (const auto &pd : pads) {
                Geometry g;
                g.n = 1; g.c = 2; g.groups = 2; g.k = 4; g.h = hw[0]; g.w = hw[1];
                g.r = sh[0]; g.s = sh[1]; g.sh = sh[2]; g.sw = sh[3]; g.dh = sh[4]; g.dw = sh[5];
                g.pt = pd[0]; g.pl = pd[1]; g.pb = pd[2]; g.pr = pd[3];
                if (valid(g)) out.push_back(g);
            }
    return out;
}

// Direct blocked problems of 32 output channels a group and more, which AVX-512 runs by the transposed
// micro-kernel when the filters are packed (direct_blocked.h): K = 32, 40 (a block of 32, then one of 8), 36 (a
// last block of 8 with 4 filters), 72, two groups of 32, rows of 1 to 33 columns (1 to 3 segments), strides,
// dilations, ragged bands and a 1x1 filter read in place.
std::vector<Geometry> wide_geometries() {
    std::vector<Geometry> out;
    Geometry g;
    g.c = 2; g.h = 5; g.w = 6; g.k = 32; g.r = g.s = 3; g.pt = g.pl = g.pb = g.pr = 1;
    out.push_back(g);
    g = Geometry(); g.n = 2; g.c = 3; g.h = 7; g.w = 17; g.k = 40; g.r = g.s = 3; g.pt = 1; g.pl = 2; g.pr = 1;
    out.push_back(g);
    g = Geometry(); g.c = 4; g.groups = 2; g.h = 6; g.w = 31; g.k = 64; g.r = 3; g.s = 2; g.sw = 2; g.pl = 1;
    out.push_back(g);
    g = Geometry(); g.c = 2; g.h = 9; g.w = 33; g.k = 72; g.r = 2; g.s = 3; g.dh = 2; g.dw = 3; g.pt = 2; g.pr = 3;
    g.sh = 2; out.push_back(g);
    g = Geometry(); g.c = 1; g.h = 3; g.w = 1; g.k = 36; g.r = 3; g.s = 1; g.pt = g.pb = 1;
    out.push_back(g);
    g = Geometry(); g.c = 3; g.h = 5; g.w = 7; g.k = 32; g.tile_rows = 2;
    out.push_back(g);
    g = Geometry(); g.c = 2; g.h = 7; g.w = 15; g.k = 32; g.r = g.s = 3; g.pt = g.pb = 1; g.tile_rows = 3;
    out.push_back(g);
    g = Geometry(); g.n = 2; g.c = 4; g.groups = 2; g.h = 4; g.w = 9; g.k = 120; g.r = g.s = 3; g.pt = g.pl = 1;
    out.push_back(g);  // 60 filters a group: a second block of 32 holds 28 (channels past them must not be written)
    return out;
}

// Non-integer data, where the order of the sums shows in the bits, on reductions of 256 terms and more, where the
// rule takes the transposed kernel: its prepared results must equal the per-call ones (the columns kernel) bit for
// bit, by rule (-1) and forced (1), at 1 and 3 threads.
void transposed_keeps_bits(Report &rep) {
    Geometry g;
    g.n = 2; g.c = 128; g.h = 6; g.w = 14; g.k = 60; g.r = g.s = 3; g.pt = g.pl = g.pb = g.pr = 1; g.bias = 1;
    Geometry strided = g;
    strided.sh = strided.sw = 2; strided.w = 27; strided.act = CONV4J_ACT_RELU; strided.sum = 1;
    Geometry one_by_one = g;  // read in place: the band's rows * Q columns as one row of segments
    one_by_one.c = 256; one_by_one.r = one_by_one.s = 1; one_by_one.pt = one_by_one.pl = one_by_one.pb = one_by_one.pr = 0;
    for (const Geometry &geo : {g, strided, one_by_one}) {
        for (int transposed : {-1, 1}) {
            for (int64_t threads : {1, 3}) {
                conv4j::direct_blocked_transposed = transposed;
                conv4j_problem pr = make_problem(geo);
                pr.threads = threads;
                pr.path = CONV4J_PATH_DIRECT_BLOCKED;
                schedule(pr);
                uint64_t st = 99;
                auto real = [&st](int64_t count) {
                    std::vector<float> v(count);
                    for (float &e : v) {
                        st = st * 6364136223846793005ULL + 1442695040888963407ULL;
                        e = (float)((double)(st >> 11) / 9007199254740992.0 - 0.5);
                    }
                    return v;
                };
                const std::vector<float> x = real(pr.n * pr.c * pr.h * pr.w), w = real(pr.k * pr.reduction),
                                         bias = real(pr.k), y_in = real(pr.n * pr.k * pr.p * pr.q);
                std::vector<float> per_call = y_in, from_prepared = y_in, prepared(prepared_elements(pr));
                std::vector<float> workspace(pr.workspace_per_thread * threads, std::nanf(""));
                conv4j_conv2d_forward(&pr, x.data(), w.data(), bias.data(), per_call.data(), workspace.data());
                conv4j_prepare_weights(&pr, w.data(), prepared.data());
                conv4j_conv2d_forward_prepared(&pr, x.data(), prepared.data(), bias.data(), from_prepared.data(),
                                               workspace.data());
                rep.expect_equal("transposed kernel (" + std::to_string(transposed) + ", " + std::to_string(threads) +
                                     " threads) against the columns kernel", geo, per_call.data(), from_prepared.data(),
                                 (int64_t)per_call.size());
            }
        }
    }
    conv4j::direct_blocked_transposed = -1;
}

}  // namespace

int main() {
    Report rep;
    for (const Geometry &edge : edge_geometries()) {
        for (const Geometry &g : variants(edge)) {
            check_forward(rep, g);
            check_forward(rep, g, 1, Force::small);
            check_forward(rep, g, 1, Force::blocked);
            check_forward(rep, g, 3);
            check_forward(rep, g, 3, Force::blocked);
        }
    }
    for (const Geometry &g : random_geometries(1500, 11)) {
        check_forward(rep, g);
        check_forward(rep, g, 1, Force::small);
        check_forward(rep, g, 1, Force::blocked);
        check_forward(rep, g, 3);
        check_forward(rep, g, 3, Force::blocked);
    }
    for (const Geometry &dw : depthwise_geometries()) {
        for (const Geometry &g : variants(dw)) {
            check_forward(rep, g);
            check_forward(rep, g, 3);
        }
    }
    // the transposed micro-kernel wherever it can run (1), then where it pays (-1); its prepared results must equal
    // the per-call ones, which the vectors-of-columns micro-kernel computes, bit for bit (and the exact sums)
    for (int transposed : {1, -1}) {
        conv4j::direct_blocked_transposed = transposed;
        for (const Geometry &wide : wide_geometries()) {
            for (const Geometry &g : variants(wide)) {
                check_forward(rep, g, 1, Force::blocked);
                check_forward(rep, g, 3, Force::blocked);
            }
        }
    }
    transposed_keeps_bits(rep);
    rejects_unknown_path(rep);
    clamp_keeps_negative_zero(rep);
    return rep.finish("conv2d_forward_test");
}
