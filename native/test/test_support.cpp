#include "test_support.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace conv4j_test {

std::string describe(const Geometry &g) {
    static const char *borders[] = {"", "_reflect", "_symmetric", "_replicate", "_circular"};
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "n%lldc%lldh%lldw%lldk%lldr%llds%lldsh%lldsw%lldpt%lldpl%lldpb%lldpr%llddh%llddw%lldg%lldb%d%s%s%s%s"
                  " (tile_rows %lld)",
                  (long long)g.n, (long long)g.c, (long long)g.h, (long long)g.w, (long long)g.k, (long long)g.r,
                  (long long)g.s, (long long)g.sh, (long long)g.sw, (long long)g.pt, (long long)g.pl,
                  (long long)g.pb, (long long)g.pr, (long long)g.dh, (long long)g.dw, (long long)g.groups, g.bias,
                  g.flip ? "_conv" : "", borders[g.border], g.sum ? "_sum" : "",
                  g.act == CONV4J_ACT_RELU ? "_relu" : g.act == CONV4J_ACT_CLAMP ? "_clamp" : "",
                  (long long)g.tile_rows);
    return buf;
}

bool valid(const Geometry &g) {
    return g.dh * (g.r - 1) + 1 <= g.h + g.pt + g.pb && g.dw * (g.s - 1) + 1 <= g.w + g.pl + g.pr;
}

conv4j_problem make_problem(const Geometry &g) {
    conv4j_problem pr;
    std::memset(&pr, 0, sizeof pr);
    pr.n = g.n; pr.c = g.c; pr.h = g.h; pr.w = g.w; pr.k = g.k; pr.r = g.r; pr.s = g.s;
    pr.p = (g.h + g.pt + g.pb - g.dh * (g.r - 1) - 1) / g.sh + 1;
    pr.q = (g.w + g.pl + g.pr - g.dw * (g.s - 1) - 1) / g.sw + 1;
    pr.stride_h = g.sh; pr.stride_w = g.sw; pr.pad_top = g.pt; pr.pad_left = g.pl;
    pr.dil_h = g.dh; pr.dil_w = g.dw; pr.groups = g.groups;
    pr.c_per_group = g.c / g.groups; pr.k_per_group = g.k / g.groups;
    pr.reduction = pr.c_per_group * g.r * g.s;
    pr.tile_rows = g.tile_rows > 0 ? std::min(g.tile_rows, pr.p) : pr.p;
    pr.threads = 1;
    pr.flip = g.flip; pr.has_bias = g.bias; pr.border = g.border;
    pr.epi_sum = g.sum; pr.activation = g.act; pr.clamp_lo = g.lo; pr.clamp_hi = g.hi;
    if (pr.c_per_group == 1 && g.groups > 1) {
        pr.path = CONV4J_PATH_DEPTHWISE;
    } else if (g.r == 1 && g.s == 1 && g.sh == 1 && g.sw == 1 && g.pt == 0 && g.pl == 0 && g.pb == 0 && g.pr == 0) {
        pr.path = CONV4J_PATH_DIRECT_GEMM;
    } else {
        pr.path = CONV4J_PATH_IM2COL_GEMM;
    }
    schedule(pr);
    return pr;
}

void schedule(conv4j_problem &pr) {
    pr.bands = (pr.p + pr.tile_rows - 1) / pr.tile_rows;
    pr.work_items = pr.path == CONV4J_PATH_DEPTHWISE ? pr.n * pr.k : pr.n * pr.groups * pr.bands;
    pr.workspace_per_thread = pr.path == CONV4J_PATH_IM2COL_GEMM ? pr.reduction * pr.tile_rows * pr.q : 0;
    auto round16 = [](int64_t v) { return (v + 15) / 16 * 16; };
    if (pr.path == CONV4J_PATH_DEPTHWISE || pr.path == CONV4J_PATH_SEPARABLE) {
        // depthwise.h: a ring of (R-1)*dh + 1 + 3*sh padded rows, each sw phases of round16(round16(Q) + (S-1)*dw/sw)
        pr.workspace_per_thread = ((pr.r - 1) * pr.dil_h + 1 + 3 * pr.stride_h) * pr.stride_w *
                                  round16(round16(pr.q) + (pr.s - 1) * pr.dil_w / pr.stride_w);
    }
    if (pr.path == CONV4J_PATH_SEPARABLE) {  // separable.h: then one padded row of the vertical pass per filter
        const int64_t L = std::max((pr.q - 1) * pr.stride_w + (pr.s - 1) * pr.dil_w + 1, pr.pad_left + pr.w);
        pr.workspace_per_thread += pr.k_per_group * L;
    }
    if (pr.path == CONV4J_PATH_DIRECT_BLOCKED) {
        // direct_blocked.h: phase planes, slack, output stage, one packed filter block (rounded to 16 floats)
        const int64_t kb = CONV4J_DIRECT_BLOCKED_K_BLOCK;
        const int64_t plane_rows = pr.tile_rows + (pr.r - 1) * pr.dil_h / pr.stride_h;
        const int64_t plane_cols = pr.q + (pr.s - 1) * pr.dil_w / pr.stride_w;
        auto phases = [](int64_t taps, int64_t d, int64_t stride) {  // distinct t*d mod stride
            std::vector<bool> seen(stride);
            int64_t n = 0;
            for (int64_t t = 0; t < taps; ++t) n += !seen[t * d % stride] ? (seen[t * d % stride] = true, 1) : 0;
            return n;
        };
        const int64_t planes = phases(pr.r, pr.dil_h, pr.stride_h) * phases(pr.s, pr.dil_w, pr.stride_w);
        pr.workspace_per_thread = pr.c_per_group * planes * round16(plane_rows * plane_cols) +
                                  round16((pr.s - 1) * pr.dil_w / pr.stride_w) + 16 +
                                  kb * round16(pr.tile_rows * plane_cols) + round16(kb * pr.reduction);
    }
}

int64_t prepared_elements(const conv4j_problem &pr) {
    if (pr.path == CONV4J_PATH_DIRECT_BLOCKED) {
        const int64_t kb = CONV4J_DIRECT_BLOCKED_K_BLOCK;
        return pr.groups * ((pr.k_per_group + kb - 1) / kb * kb) * pr.reduction;
    }
    return pr.k * pr.reduction * (pr.path == CONV4J_PATH_DIRECT_SMALL_REDUCTION ? 2 : 1);
}

int64_t padded_index(int32_t border, int64_t i, int64_t n) {
    if (i >= 0 && i < n) return i;
    switch (border) {
        case CONV4J_BORDER_ZERO: return -1;
        case CONV4J_BORDER_REPLICATE: return i < 0 ? 0 : n - 1;
        case CONV4J_BORDER_CIRCULAR: while (i < 0) i += n; while (i >= n) i -= n; return i;
        case CONV4J_BORDER_REFLECT:
            if (n == 1) return 0;
            while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i;
            return i;
        default:  // SYMMETRIC
            while (i < 0 || i >= n) i = i < 0 ? -i - 1 : 2 * n - 1 - i;
            return i;
    }
}

void direct_loops(const conv4j_problem &pr, const float *x, const float *w, const float *bias, float *y) {
    for (int64_t n = 0; n < pr.n; ++n)
        for (int64_t k = 0; k < pr.k; ++k)
            for (int64_t p = 0; p < pr.p; ++p)
                for (int64_t q = 0; q < pr.q; ++q) {
                    const int64_t c0 = k / pr.k_per_group * pr.c_per_group;
                    double acc = pr.has_bias ? bias[k] : 0.0;
                    for (int64_t c = 0; c < pr.c_per_group; ++c)
                        for (int64_t r = 0; r < pr.r; ++r)
                            for (int64_t s = 0; s < pr.s; ++s) {
                                const int64_t ih = padded_index(pr.border, p * pr.stride_h - pr.pad_top + r * pr.dil_h, pr.h);
                                const int64_t iw = padded_index(pr.border, q * pr.stride_w - pr.pad_left + s * pr.dil_w, pr.w);
                                const double xv = ih < 0 || iw < 0 ? 0.0 : x[((n * pr.c + c0 + c) * pr.h + ih) * pr.w + iw];
                                const int64_t wr = pr.flip ? pr.r - 1 - r : r, ws = pr.flip ? pr.s - 1 - s : s;
                                acc += xv * w[((k * pr.c_per_group + c) * pr.r + wr) * pr.s + ws];
                            }
                    float *out = y + ((n * pr.k + k) * pr.p + p) * pr.q + q;
                    if (pr.epi_sum) acc += *out;
                    float v = (float)acc;
                    if (pr.activation == CONV4J_ACT_RELU) v = std::max(v, 0.0f);
                    if (pr.activation == CONV4J_ACT_CLAMP) v = std::min(std::max(v, pr.clamp_lo), pr.clamp_hi);
                    *out = v;
                }
}

std::vector<float> integers(uint64_t &state, int64_t count, int bound) {
    std::vector<float> v(count);
    for (auto &e : v) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        e = (float)((int64_t)((state >> 33) % (uint64_t)(2 * bound + 1)) - bound);
    }
    return v;
}

void Report::expect_equal(const std::string &what, const Geometry &g, const float *expected, const float *actual,
                          int64_t count) {
    ++checks;
    for (int64_t i = 0; i < count; ++i) {
        if (!(expected[i] == actual[i] || (std::isnan(expected[i]) && std::isnan(actual[i])))) {
            if (++failures <= 10) {
                std::printf("FAIL %s %s: first difference at flat index %lld: expected %g, got %g\n", what.c_str(),
                            describe(g).c_str(), (long long)i, expected[i], actual[i]);
            }
            return;
        }
    }
}

int Report::finish(const char *suite) const {
    std::printf("%s: %d checks, %d failures\n", suite, checks, failures);
    return failures == 0 && checks > 0 ? 0 : 1;
}

}  // namespace conv4j_test
