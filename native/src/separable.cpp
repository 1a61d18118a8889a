// The separable algorithm: a vertical pass of R taps into a padded row, then a horizontal pass of S taps,
// instead of R*S taps per output. Java found the factors (org.conv4j.Separable) and owns the error bound.
#include "separable.h"

#include <algorithm>

#include "border.h"
#include "depthwise.h"
#include "epilogue.h"
#include "multiversion.h"

namespace conv4j {
namespace {

typedef const float *Row;

// t[c] = sum_r u[r] * rows[r][c] for c < W, in that order of r (null row: a zero row, skipped: u is finite).
template <int V>
CONV4J_INLINE void vertical(const Row *rows, const float *u, int64_t R, int64_t W, float *t) {
    typedef typename Vec<V>::type vec;
    typedef typename Vec<V>::unaligned unaligned_vec;
    constexpr int U = 4;
    int64_t c = 0;
    for (; c + U * V <= W; c += U * V) {
        vec acc[U];
        for (int i = 0; i < U; ++i) acc[i] = vec{};
        for (int64_t r = 0; r < R; ++r) {
            if (rows[r] == nullptr) continue;
            const float ur = u[r];
            const float *src = rows[r] + c;
            for (int i = 0; i < U; ++i) acc[i] += ur * *reinterpret_cast<const unaligned_vec *>(src + i * V);
        }
        for (int i = 0; i < U; ++i) *reinterpret_cast<unaligned_vec *>(t + c + i * V) = acc[i];
    }
    for (; c < W; ++c) {
        float acc = 0.0f;
        for (int64_t r = 0; r < R; ++r) {
            if (rows[r] != nullptr) acc += u[r] * rows[r][c];
        }
        t[c] = acc;
    }
}

// dst[q] = act(bias + (epi_sum ? dst[q] : 0) + sum_s v[s] * tp[q*sw + s*dw]) for q < Q, in that order of s.
template <int V>
CONV4J_INLINE void horizontal(const conv4j_problem &pr, const float *tp, const float *v, float bias, float *dst) {
    typedef typename Vec<V>::type vec;
    typedef typename Vec<V>::unaligned unaligned_vec;
    constexpr int U = 4;
    const int64_t S = pr.s, dw = pr.dil_w, sw = pr.stride_w, Q = pr.q;
    int64_t q = 0;
    if (sw == 1) {
        for (; q + U * V <= Q; q += U * V) {
            vec acc[U];
            for (int i = 0; i < U; ++i) {
                acc[i] = vec{} + bias;
                if (pr.epi_sum) acc[i] = *reinterpret_cast<const unaligned_vec *>(dst + q + i * V) + bias;
            }
            for (int64_t s = 0; s < S; ++s) {
                const float vs = v[s];
                const float *src = tp + q + s * dw;
                for (int i = 0; i < U; ++i) acc[i] += vs * *reinterpret_cast<const unaligned_vec *>(src + i * V);
            }
            for (int i = 0; i < U; ++i) {
                activate(pr, acc[i]);
                *reinterpret_cast<unaligned_vec *>(dst + q + i * V) = acc[i];
            }
        }
    }
    for (; q < Q; ++q) {
        float acc = pr.epi_sum ? dst[q] + bias : bias;
        for (int64_t s = 0; s < S; ++s) acc += v[s] * tp[q * sw + s * dw];
        activate(pr, acc);
        dst[q] = acc;
    }
}

// The padded row tp[j], j < L, of the vertical pass of output row p: tp[pad_left + c] = t[c] for the input
// columns c, the other columns read through the border as xpad does (t is linear in each column).
template <int V>
CONV4J_INLINE void padded_vertical(const conv4j_problem &pr, const Row *rows, const float *u, int64_t L, float *tp) {
    const int64_t pl = pr.pad_left;
    vertical<V>(rows, u, pr.r, pr.w, tp + pl);
    for (int64_t j = 0; j < L; ++j) {
        if (j == pl) j = pl + pr.w;
        if (j >= L) break;
        const int64_t c = border_index(pr.border, j - pl, pr.w);
        tp[j] = c < 0 ? 0.0f : tp[pl + c];
    }
}

template <int V>
CONV4J_INLINE void rows_separable(const conv4j_problem &pr, const float *x, const float *uf, const float *vf,
                                  const int32_t *vertical, const float *bias, int64_t g, int64_t p0, int64_t rows,
                                  float *y, float *workspace) {
    const int64_t kg = pr.k_per_group, L = (pr.workspace_per_thread - depthwise_workspace(pr)) / kg, PQ = pr.p * pr.q;
    Row in[64];  // R <= 64: Java's Separable takes no taller filter
    for (int64_t p = p0; p < p0 + rows; ++p) {
        for (int64_t r = 0; r < pr.r; ++r) {
            const int64_t ih = border_index(pr.border, p * pr.stride_h - pr.pad_top + r * pr.dil_h, pr.h);
            in[r] = ih < 0 ? nullptr : x + ih * pr.w;
        }
        for (int64_t i = 0; i < kg; ++i) {
            const int64_t k = g * kg + i;
            if (vertical[k] < 0) continue;
            int64_t first = 0;  // the first filter of the group with this vertical factor owns its row
            while (vertical[g * kg + first] != vertical[k]) ++first;
            float *tp = workspace + depthwise_workspace(pr) + first * L;
            if (first == i) padded_vertical<V>(pr, in, uf + vertical[k] * pr.r, L, tp);
            horizontal<V>(pr, tp, vf + k * pr.s, pr.has_bias ? bias[k] : 0.0f, y + k * PQ + p * pr.q);
        }
    }
}

}  // namespace

void separable_rows(const conv4j_problem &pr, const float *x, const float *w, const float *vertical_factors,
                    const float *horizontal_factors, const int32_t *vertical, const float *bias, int64_t g,
                    int64_t p0, int64_t rows, float *y, float *workspace) {
    run_widest_vectors([&](auto v) CONV4J_ALWAYS_INLINE {
        rows_separable<decltype(v)::value>(pr, x, vertical_factors, horizontal_factors, vertical, bias, g, p0, rows,
                                           y, workspace);
    });
    conv4j_problem band = pr;  // the dense filters: depthwise_plane over these rows only
    band.p = rows;
    band.pad_top = pr.pad_top - p0 * pr.stride_h;
    const int64_t PQ = pr.p * pr.q, RS = pr.r * pr.s;
    for (int64_t k = g * pr.k_per_group; k < (g + 1) * pr.k_per_group; ++k) {
        if (vertical[k] >= 0) continue;
        depthwise_plane(band, x, w + k * RS, pr.has_bias ? bias[k] : 0.0f, y + k * PQ + p0 * pr.q, workspace);
    }
}

}  // namespace conv4j
