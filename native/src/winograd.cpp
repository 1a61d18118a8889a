// Winograd F(m x m, 3 x 3), m = 2 and 4 (conv4j_winograd.h; the algorithm and its bound: org.conv4j.Winograd).
// Transforms run on V tiles at once, one tile per vector lane, compiled for the widest vector unit
// (multiversion.h); the alpha^2 GEMMs per block go to OpenBLAS (gemm.h).
#include "conv4j_winograd.h"

#include <algorithm>

#include "border.h"
#include "epilogue.h"
#include "gemm.h"
#include "multiversion.h"
#include "workers.h"

namespace conv4j {
namespace {

// B^T (alpha x alpha), G (alpha x 3), A^T (m x alpha) of org.conv4j.Winograd, entry for entry.
template <int M> struct Matrices;

template <> struct Matrices<2> {
    static constexpr float bt[4][4] = {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
    static constexpr double g[4][3] = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
    static constexpr float at[2][4] = {{1, 1, 1, 0}, {0, 1, -1, -1}};
};

template <> struct Matrices<4> {
    static constexpr float bt[6][6] = {{4, 0, -5, 0, 1, 0}, {0, -4, -4, 1, 1, 0}, {0, 4, -4, -1, 1, 0},
                                       {0, -2, -1, 2, 1, 0}, {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}};
    static constexpr double g[6][3] = {{1 / 4.0, 0, 0}, {-1 / 6.0, -1 / 6.0, -1 / 6.0}, {-1 / 6.0, 1 / 6.0, -1 / 6.0},
                                       {1 / 24.0, 1 / 12.0, 1 / 6.0}, {1 / 24.0, -1 / 12.0, 1 / 6.0}, {0, 0, 1}};
    static constexpr float at[4][6] = {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}};
};

// out[i][j] = sum_k a[i][k] * in[k][j] over a's nonzeros, in k order (the Java plan's order): rows x cols.
template <int R, int K, int C, typename T>
CONV4J_INLINE void left(const float (&a)[R][K], const T *in, T *out) {
    for (int i = 0; i < R; ++i) {
        for (int j = 0; j < C; ++j) {
            T s = T{};
            for (int k = 0; k < K; ++k) {
                if (a[i][k] != 0) s += a[i][k] * in[k * C + j];
            }
            out[i * C + j] = s;
        }
    }
}

// out[i][j] = sum_k in[i][k] * a[j][k] over a's nonzeros, in k order: in is R x K, out R x J.
template <int R, int K, int J, typename T>
CONV4J_INLINE void right(const float (&a)[J][K], const T *in, T *out) {
    for (int i = 0; i < R; ++i) {
        for (int j = 0; j < J; ++j) {
            T s = T{};
            for (int k = 0; k < K; ++k) {
                if (a[j][k] != 0) s += in[i * K + k] * a[j][k];
            }
            out[i * J + j] = s;
        }
    }
}

struct Tiling {
    int64_t th, tw, per_image, total;
};

Tiling tiling_of(const conv4j_problem &pr, int m) {
    Tiling t;
    t.th = (pr.p + m - 1) / m;
    t.tw = (pr.q + m - 1) / m;
    t.per_image = t.th * t.tw;
    t.total = pr.n * t.per_image;
    return t;
}

// d[a1][a2] = xpad[p0 + a1][q0 + a2] of one channel plane (the border outside the input, zeros beyond the padded
// input): the cells of lane `lane` of the vectors d.
template <int A, typename T>
CONV4J_INLINE void load_tile(const conv4j_problem &pr, const float *plane, int64_t p0, int64_t q0, int lane, T *d) {
    const int64_t padded_h = pr.p + 2, padded_w = pr.q + 2;  // stride 1, 3x3: P = H + pt + pb - 2
    const int64_t ih0 = p0 - pr.pad_top, iw0 = q0 - pr.pad_left;
    if (ih0 >= 0 && ih0 + A <= pr.h && iw0 >= 0 && iw0 + A <= pr.w) {
        for (int a1 = 0; a1 < A; ++a1) {
            const float *row = plane + (ih0 + a1) * pr.w + iw0;
            for (int a2 = 0; a2 < A; ++a2) d[a1 * A + a2][lane] = row[a2];
        }
        return;
    }
    for (int a1 = 0; a1 < A; ++a1) {
        const int64_t ih = p0 + a1 < padded_h ? border_index(pr.border, ih0 + a1, pr.h) : -1;
        for (int a2 = 0; a2 < A; ++a2) {
            const int64_t iw = q0 + a2 < padded_w ? border_index(pr.border, iw0 + a2, pr.w) : -1;
            d[a1 * A + a2][lane] = ih >= 0 && iw >= 0 ? plane[ih * pr.w + iw] : 0.0f;
        }
    }
}

// One work item: group g, tiles [t_first, t_first + count) of all images.
template <int M, int V>
CONV4J_INLINE void block(const conv4j_problem &pr, const float *x, const float *u, const float *bias, float *y,
                         float *ws, int64_t g, int64_t t_first, int64_t count) {
    typedef typename Vec<V>::type vec;
    typedef typename Vec<V>::unaligned uvec;
    constexpr int A = M + 2, A2 = A * A;
    typedef Matrices<M> Mat;
    const Tiling tl = tiling_of(pr, M);
    const int64_t cg = pr.c_per_group, kg = pr.k_per_group, tb = pr.tile_rows, HW = pr.h * pr.w, PQ = pr.p * pr.q;
    float *v = ws, *mm = ws + A2 * cg * tb;
    vec d[A2], z[A2], out[A2];
    // V[xi][c][t] = (B^T d B)[xi], V tiles per pass (zeros in the lanes past count)
    for (int64_t c = 0; c < cg; ++c) {
        for (int64_t t0 = 0; t0 < count; t0 += V) {
            for (int i = 0; i < A2; ++i) d[i] = vec{};
            const int lanes = (int)std::min<int64_t>(V, count - t0);
            for (int l = 0; l < lanes; ++l) {
                const int64_t t = t_first + t0 + l, n = t / tl.per_image, r = t % tl.per_image;
                load_tile<A>(pr, x + (n * pr.c + g * cg + c) * HW, r / tl.tw * M, r % tl.tw * M, l, d);
            }
            left<A, A, A>(Mat::bt, d, z);
            right<A, A, A>(Mat::bt, z, out);
            for (int i = 0; i < A2; ++i) *(uvec *)(v + (i * cg + c) * tb + t0) = out[i];
        }
    }
    // M[xi] (Kg x count) = U[g][xi] (Kg x Cg) * V[xi] (Cg x count)
    for (int i = 0; i < A2; ++i) {
        sgemm_rowmajor(kg, count, cg, u + (g * A2 + i) * kg * cg, cg, v + i * cg * tb, tb, mm + i * kg * tb, tb, false);
    }
    // y = act(fl(fl(A^T M A + bias) + y_in)) on the outputs inside P x Q
    for (int64_t k = 0; k < kg; ++k) {
        const int64_t ko = g * kg + k;
        const float b = pr.has_bias ? bias[ko] : 0.0f;
        for (int64_t t0 = 0; t0 < count; t0 += V) {
            for (int i = 0; i < A2; ++i) d[i] = *(const uvec *)(mm + (i * kg + k) * tb + t0);
            left<M, A, A>(Mat::at, d, z);
            right<M, A, M>(Mat::at, z, out);
            const int lanes = (int)std::min<int64_t>(V, count - t0);
            for (int l = 0; l < lanes; ++l) {
                const int64_t t = t_first + t0 + l, n = t / tl.per_image, r = t % tl.per_image;
                const int64_t p0 = r / tl.tw * M, q0 = r % tl.tw * M;
                const int rows = (int)std::min<int64_t>(M, pr.p - p0), cols = (int)std::min<int64_t>(M, pr.q - q0);
                float *yp = y + (n * pr.k + ko) * PQ + p0 * pr.q + q0;
                for (int o1 = 0; o1 < rows; ++o1) {
                    for (int o2 = 0; o2 < cols; ++o2) {
                        float val = out[o1 * M + o2][l];
                        if (pr.has_bias) val += b;
                        if (pr.epi_sum) val += yp[o1 * pr.q + o2];
                        activate(pr, val);
                        yp[o1 * pr.q + o2] = val;
                    }
                }
            }
        }
    }
}

template <int M>
void forward(const conv4j_problem &pr, const float *x, const float *u, const float *bias, float *y, float *workspace) {
    const Tiling tl = tiling_of(pr, M);
    const int64_t blocks = (tl.total + pr.tile_rows - 1) / pr.tile_rows;
    parallel_items(pr.groups * blocks, pr.threads, [&](int64_t worker, int64_t item) {
        const int64_t g = item / blocks, t_first = item % blocks * pr.tile_rows;
        const int64_t count = std::min(pr.tile_rows, tl.total - t_first);
        float *ws = workspace + worker * pr.workspace_per_thread;
        run_widest_vectors([&](auto vw) CONV4J_ALWAYS_INLINE {
            block<M, decltype(vw)::value>(pr, x, u, bias, y, ws, g, t_first, count);
        });
    });
}

template <int M>
void transform_weights(const conv4j_problem &pr, const float *w, float *u) {
    constexpr int A = M + 2, A2 = A * A;
    typedef Matrices<M> Mat;
    const int64_t cg = pr.c_per_group, kg = pr.k_per_group;
    for (int64_t k = 0; k < pr.k; ++k) {
        const int64_t g = k / kg, kk = k % kg;
        for (int64_t c = 0; c < cg; ++c) {
            const float *f = w + (k * cg + c) * 9;
            double t[A][3];
            for (int i = 0; i < A; ++i) {
                for (int s = 0; s < 3; ++s) {
                    double acc = 0;
                    for (int r = 0; r < 3; ++r) acc += Mat::g[i][r] * f[pr.flip ? 8 - (r * 3 + s) : r * 3 + s];
                    t[i][s] = acc;
                }
            }
            for (int i = 0; i < A; ++i) {
                for (int j = 0; j < A; ++j) {
                    const double s = t[i][0] * Mat::g[j][0] + t[i][1] * Mat::g[j][1] + t[i][2] * Mat::g[j][2];
                    u[((g * A2 + i * A + j) * kg + kk) * cg + c] = (float)s;
                }
            }
        }
    }
}

}  // namespace
}  // namespace conv4j

extern "C" void conv4j_winograd_transform_weights(const conv4j_problem *prob, int32_t m, const float *w, float *u) {
    if (m == 2) {
        conv4j::transform_weights<2>(*prob, w, u);
    } else {
        conv4j::transform_weights<4>(*prob, w, u);
    }
}

extern "C" int conv4j_winograd_forward(const conv4j_problem *prob, int32_t m, const float *x, const float *u,
                                       const float *bias, float *y, float *workspace) {
    if (m == 2) {
        conv4j::forward<2>(*prob, x, u, bias, y, workspace);
    } else {
        conv4j::forward<4>(*prob, x, u, bias, y, workspace);
    }
    return CONV4J_OK;
}
