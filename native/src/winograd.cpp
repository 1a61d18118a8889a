// Winograd F(m x m, 3 x 3), m = 2 and 4 (conv4j_winograd.h; the algorithm and its bound: org.conv4j.Winograd).
// Transforms run on V tiles at once, one tile per vector lane, compiled for the widest vector unit
// (multiversion.h); so are the alpha^2 GEMMs per block (tuple_gemm), over weights packed for them once.
//
// The GEMMs' columns are the tiles of a block in their global order t = (n TH + th) TW + tw, V at a time (a
// segment). Where V tiles lie side by side in one row of tiles, lane l reads input columns (tw0 + l) m + a2 -
// pad_left, a2 < alpha: cell a2 of all lanes is the stride-m slice of one input row, taken from m contiguous
// vector loads by m - 1 two-vector shuffles (deinterleave), and the output transform's m vectors of an output row
// go back to m contiguous vectors by the inverse shuffles (interleave). Other segments (rows of fewer than V
// tiles, a row's last tiles) are copied tile by tile through a small buffer, one tile per lane.
#include "conv4j_winograd.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "border.h"
#include "epilogue.h"
#include "multiversion.h"
#include "register_block.h"
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

// e = [a0 a2 .. a_(V-2) b0 b2 .. b_(V-2)]: the even elements of the 2V floats a, b. (Results through references,
// as everywhere here: a vector returned by value from a function compiled without its vector unit changes the ABI.)
template <typename T, int... I>
CONV4J_INLINE void evens(const T &a, const T &b, std::integer_sequence<int, I...>, T &e) {
    e = __builtin_shufflevector(a, b, (2 * I)...);
}

// o = [a1 a3 .. a_(V-1) b1 b3 .. b_(V-1)]: the odd elements of the 2V floats a, b.
template <typename T, int... I>
CONV4J_INLINE void odds(const T &a, const T &b, std::integer_sequence<int, I...>, T &o) {
    o = __builtin_shufflevector(a, b, (2 * I + 1)...);
}

// n = [a1 a2 .. a_(V-1) b_K]: a moved down one lane, element K of b in the last.
template <int K, typename T, int... I>
CONV4J_INLINE void next(const T &a, const T &b, std::integer_sequence<int, I...>, T &n) {
    n = __builtin_shufflevector(a, b, (I + 1 < (int)sizeof...(I) ? I + 1 : (int)sizeof...(I) + K)...);
}

// z = [a0 b0 a1 b1 ..] (the first halves, H = 0) or [a_(V/2) b_(V/2) ..] (the second, H = 1): a and b interleaved.
template <int H, typename T, int... I>
CONV4J_INLINE void zip(const T &a, const T &b, std::integer_sequence<int, I...>, T &z) {
    z = __builtin_shufflevector(a, b, (H * (int)sizeof...(I) / 2 + I / 2 + (I % 2) * (int)sizeof...(I))...);
}

// p[h][j] = s[(h V + j) % M][(h V + j) / M] for h < M, j < V: the M vectors interleaved into M contiguous vectors.
template <int M, int V>
CONV4J_INLINE void interleave(const typename Vec<V>::type *s, typename Vec<V>::type *p) {
    typedef typename Vec<V>::type vec;
    constexpr auto seq = std::make_integer_sequence<int, V>();
    if constexpr (M == 2) {
        zip<0>(s[0], s[1], seq, p[0]);
        zip<1>(s[0], s[1], seq, p[1]);
    } else {
        vec ac0, ac1, bd0, bd1;
        zip<0>(s[0], s[2], seq, ac0);
        zip<1>(s[0], s[2], seq, ac1);
        zip<0>(s[1], s[3], seq, bd0);
        zip<1>(s[1], s[3], seq, bd1);
        zip<0>(ac0, bd0, seq, p[0]);
        zip<1>(ac0, bd0, seq, p[1]);
        zip<0>(ac1, bd1, seq, p[2]);
        zip<1>(ac1, bd1, seq, p[3]);
    }
}

// Tile t = (n TH + th) TW + tw, its image and place.
struct Tile {
    int64_t n, th, tw;
};

struct Tiling {
    int64_t th, tw, per_image, total;

    Tile at(int64_t t) const {
        const int64_t r = t % per_image;
        return Tile{t / per_image, r / tw, r % tw};
    }
};

Tiling tiling_of(const conv4j_problem &pr, int m) {
    Tiling t;
    t.th = (pr.p + m - 1) / m;
    t.tw = (pr.q + m - 1) / m;
    t.per_image = t.th * t.tw;
    t.total = pr.n * t.per_image;
    return t;
}

// The tiles [t, t + lanes) of a block, its columns [col, col + lanes): in one row of tiles (image n, tile row th,
// first tile column tw0) when `row`, else consecutive tiles across rows and images, each found from t.
struct Segment {
    int64_t t, col, n, th, tw0;
    int lanes;
    bool row;
};

// The segments of tiles [t_first, t_first + count) in order: the tiles of one row of tiles from that tile on, up to
// V, where they fill at least half a vector; else up to V tiles across rows (so that narrow outputs still fill the
// vectors).
template <int V, typename F>
CONV4J_INLINE void for_segments(const Tiling &tl, int64_t t_first, int64_t count, F &&f) {
    for (int64_t t = t_first, col = 0; col < count;) {
        const Tile first = tl.at(t);
        const int in_row = (int)std::min<int64_t>({(int64_t)V, tl.tw - first.tw, count - col});
        const bool row = 2 * in_row >= V;
        const int lanes = row ? in_row : (int)std::min<int64_t>(V, count - col);
        f(Segment{t, col, first.n, first.th, first.tw, lanes, row});
        t += lanes;
        col += lanes;
    }
}

// buf[j] = xpad[row][q0 + j] for j < span, of one channel plane and a padded row whose input row is ih (the border
// resolved; -1: a row of zeros): the columns inside the input copied by vectors, the others of the padded input
// through the border, zeros past the padded input.
template <int V>
CONV4J_INLINE void pad_row(const conv4j_problem &pr, const float *plane, int64_t ih, int64_t q0, int64_t span,
                           float *buf) {
    typedef typename Vec<V>::unaligned uvec;
    if (ih < 0) {
        for (int64_t j = 0; j < span; ++j) buf[j] = 0.0f;
        return;
    }
    const int64_t padded_w = pr.q + 2, iw0 = q0 - pr.pad_left;  // stride 1, 3x3: Q = W + pl + pr - 2
    // [0, lo) left border, [lo, hi) inside the input (copied), [hi, end) right border, [end, span) past the padding
    const int64_t lo = std::min<int64_t>(span, std::max<int64_t>(0, -iw0));
    const int64_t hi = std::max(lo, std::min<int64_t>({span, pr.w - iw0, padded_w - q0}));
    const int64_t end = std::max(hi, std::min<int64_t>(span, padded_w - q0));
    const float *src = plane + ih * pr.w;
    auto border = [&](int64_t j) CONV4J_ALWAYS_INLINE {
        const int64_t iw = border_index(pr.border, iw0 + j, pr.w);
        buf[j] = iw >= 0 ? src[iw] : 0.0f;
    };
    int64_t j = 0;
    for (; j < lo; ++j) border(j);
    for (; j + V <= hi; j += V) *(uvec *)(buf + j) = *(const uvec *)(src + iw0 + j);  // by vectors (a memmove call
    for (; j < hi; ++j) buf[j] = src[iw0 + j];                                        // per row cost ~10 % of res2)
    for (; j < end; ++j) border(j);
    for (; j < span; ++j) buf[j] = 0.0f;
}

// The input row of padded row p0 + a1 (the border resolved; -1: zeros).
CONV4J_INLINE int64_t padded_row(const conv4j_problem &pr, int64_t p0, int a1) {
    return p0 + a1 < pr.p + 2 ? border_index(pr.border, p0 + a1 - pr.pad_top, pr.h) : -1;  // P = H + pt + pb - 2
}

// V lanes of int32 (a member, as Vec's: a local typedef loses its vector attribute in a template).
template <int V>
struct VecI {
    typedef int32_t type __attribute__((vector_size(4 * V)));
    typedef int32_t unaligned __attribute__((vector_size(4 * V), aligned(4), may_alias));
};

// 16 zeros, 16 all-ones, 16 zeros: V lanes read from kWindow + 16 - a are all-ones at lanes >= a, from kWindow + 32 - b
// at lanes < b (a, b in [0, V], V <= 16). Lane masks without a vector compare, which GCC scalarises for 16 lanes under
// target("avx512f") alone (no AVX512DQ to turn a k-mask into a vector).
alignas(64) constexpr int32_t kWindow[48] = {0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
                                             -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                             0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0};

// m = all-ones at lanes [a, b) of V, a and b clamped to [0, V].
template <int V>
CONV4J_INLINE void lanes_between(int64_t a, int64_t b, typename VecI<V>::type &m) {
    typedef typename VecI<V>::unaligned uivec;
    a = std::min<int64_t>(V, std::max<int64_t>(0, a));
    b = std::min<int64_t>(V, std::max<int64_t>(0, b));
    m = *(const uivec *)(kWindow + 16 - a) & *(const uivec *)(kWindow + 32 - b);
}

// How H vectors of padded-row columns [q0, q0 + H V) come from a channel plane: straight from the input when the border
// is zero (or the columns stay inside the input row), as vector loads whose lanes outside the row mask[h] zeroes;
// else through pad_row. (Read back from pad_row's buffer, each vector waited on store-to-load forwarding, the
// buffer's border columns being scalar stores: a load spanning several stores cannot forward.)
template <int V, int H>
struct RowLoad {
    typename VecI<V>::type mask[H];
    int64_t iw0;
    bool direct;

    RowLoad(const conv4j_problem &pr, int64_t q0) : iw0(q0 - pr.pad_left) {
        direct = pr.border == CONV4J_BORDER_ZERO || (iw0 >= 0 && iw0 + H * V <= pr.w);
        for (int h = 0; h < H; ++h) lanes_between<V>(-iw0 - h * V, pr.w - iw0 - h * V, mask[h]);
    }

    // r[h][j] = xpad[row][q0 + h V + j] for the padded row whose input row is ih (-1: zeros), of the plane at
    // `plane` among x's xn floats (a load that would leave them goes through pad_row).
    CONV4J_INLINE void load(const conv4j_problem &pr, const float *x, int64_t xn, const float *plane, int64_t ih,
                            typename Vec<V>::type *r) const {
        typedef typename Vec<V>::type vec;
        typedef typename Vec<V>::unaligned uvec;
        typedef typename VecI<V>::type ivec;
        if (ih < 0) {
            for (int h = 0; h < H; ++h) r[h] = vec{};
            return;
        }
        const float *src = plane + ih * pr.w + iw0;
        if (direct && src >= x && src + H * V <= x + xn) {
            for (int h = 0; h < H; ++h) r[h] = (vec)((ivec) * (const uvec *)(src + h * V) & mask[h]);
            return;
        }
        float buf[H * V];
        pad_row<V>(pr, plane, ih, iw0 + pr.pad_left, H * V, buf);
        for (int h = 0; h < H; ++h) r[h] = *(const uvec *)(buf + h * V);
    }
};

// c[a2][l] = row[l M + a2] for a2 < A = M + 2, l < V, from the row's first M + 1 vectors: its M phases (two rounds of
// even/odd splits), then phases 0 and 1 moved down a lane for a2 = M, M + 1 (10 shuffles for F(4,3) where strided
// loads of each a2 took 18).
template <int M, int V>
CONV4J_INLINE void cells_of_row(const typename Vec<V>::type *r, typename Vec<V>::type *c) {
    typedef typename Vec<V>::type vec;
    constexpr auto seq = std::make_integer_sequence<int, V>();
    if constexpr (M == 2) {
        evens(r[0], r[1], seq, c[0]);
        odds(r[0], r[1], seq, c[1]);
    } else {
        vec e01, o01, e23, o23;
        evens(r[0], r[1], seq, e01);
        odds(r[0], r[1], seq, o01);
        evens(r[2], r[3], seq, e23);
        odds(r[2], r[3], seq, o23);
        evens(e01, e23, seq, c[0]);
        evens(o01, o23, seq, c[1]);
        odds(e01, e23, seq, c[2]);
        odds(o01, o23, seq, c[3]);
    }
    next<0>(c[0], r[M], seq, c[M]);
    next<1>(c[1], r[M], seq, c[M + 1]);
}

// d[a1*A + a2][l] = xpad[p0 + a1][q0 + l M + a2] of one channel plane for l < V (the border outside the input,
// zeros beyond the padded input; lanes past the segment read whatever lies there, or zeros). The plane is among x's
// xn floats.
template <int M, int V>
CONV4J_INLINE void load_row_tiles(const conv4j_problem &pr, const float *x, int64_t xn, const float *plane, int64_t p0,
                                  int64_t q0, typename Vec<V>::type *d) {
    constexpr int A = M + 2, H = M + 1;  // lane V - 1 of a2 = A - 1 reads column M V + 1
    const RowLoad<V, H> rl(pr, q0);
    for (int a1 = 0; a1 < A; ++a1) {
        typename Vec<V>::type r[H];
        rl.load(pr, x, xn, plane, padded_row(pr, p0, a1), r);
        cells_of_row<M, V>(r, d + a1 * A);
    }
}

// f(l0, len, first) for each run of a segment's lanes [l0, l0 + len) in one row of tiles, from its tile first.
template <typename F>
CONV4J_INLINE void for_pieces(const Tiling &tl, const Segment &s, F &&f) {
    for (int l = 0; l < s.lanes;) {
        const Tile first = tl.at(s.t + l);
        const int len = (int)std::min<int64_t>(s.lanes - l, tl.tw - first.tw);
        f(l, len, first);
        l += len;
    }
}

// d[a1*A + a2][l0 + l] = xpad[p0 + a1][q0 + l M + a2] for l < len, one run of a segment (for_pieces) of one channel
// plane from its tile at (p0, q0); the other lanes of d are kept, or zeroed by the first piece (l0 = 0). The piece's
// A padded rows of len M + 2 columns each fit two vectors where len < V/2 (every piece of a segment across rows, but
// one starting a block in the middle of a wide row): each cell is then one two-vector permute of its row, merged into
// d by the piece's lanes. (Lane by lane through memory, the cells' vector read-back waited on store-to-load
// forwarding: 12 % of resnet50-res4-3x3-b16, whose rows of 4 tiles make every segment 4 pieces.) Else lane by lane.
template <int M, int V>
CONV4J_INLINE void load_piece(const conv4j_problem &pr, const float *x, int64_t xn, const float *plane, int64_t p0,
                              int64_t q0, int l0, int len, typename Vec<V>::type *d) {
    typedef typename Vec<V>::type vec;
    typedef typename VecI<V>::type ivec;
    constexpr int A = M + 2, SPAN = M * V + A;
    const int64_t span = (int64_t)len * M + 2;
    if (span <= 2 * V) {
        ivec lane;
        for (int l = 0; l < V; ++l) lane[l] = l;
        const ivec first = lane * M - l0 * M;  // the piece's lanes: its tile's first column in the row
        // (lanes >= l0 + len would be overwritten by a later piece or dropped as past the segment: the upper bound only
        // keeps the last piece's junk lanes zero, as the lane-by-lane path does)
        ivec in_piece;
        lanes_between<V>(l0, l0 + len, in_piece);
        const ivec keep = l0 == 0 ? ivec{} : ~in_piece;  // the first piece zeroes the other lanes
        const RowLoad<V, 2> rl(pr, q0);
        for (int a1 = 0; a1 < A; ++a1) {
            vec r[2];
            rl.load(pr, x, xn, plane, padded_row(pr, p0, a1), r);
            for (int a2 = 0; a2 < A; ++a2) {
                const ivec cell = (ivec)__builtin_shuffle(r[0], r[1], first + a2);
                d[a1 * A + a2] = (vec)((cell & in_piece) | ((ivec)d[a1 * A + a2] & keep));
            }
        }
        return;
    }
    if (l0 == 0) {
        for (int i = 0; i < A * A; ++i) d[i] = vec{};
    }
    float rows[A][SPAN];
    for (int a1 = 0; a1 < A; ++a1) pad_row<V>(pr, plane, padded_row(pr, p0, a1), q0, span, rows[a1]);
    for (int a1 = 0; a1 < A; ++a1) {
        for (int a2 = 0; a2 < A; ++a2) {
            for (int l = 0; l < len; ++l) d[a1 * A + a2][l0 + l] = rows[a1][l * M + a2];
        }
    }
}

// y[o] = act(fl(fl(val + bias) + y_in)) for one output.
CONV4J_INLINE void store_output(const conv4j_problem &pr, float b, float val, float *y) {
    if (pr.has_bias) val += b;
    if (pr.epi_sum) val += *y;
    activate(pr, val);
    *y = val;
}

// Output channels per micro-kernel call: the rows of U broadcast against the tiles' vectors. U's rows are padded
// to a multiple of it (conv4j_winograd.h), so every call has all of them.
constexpr int KR = CONV4J_WINOGRAD_K_BLOCK;

int64_t padded_k(const conv4j_problem &pr) { return (pr.k_per_group + KR - 1) / KR * KR; }

// The row stride of V and M: tile_rows rounded up to a multiple of 16 (the GEMM kernel's columns, whole vectors).
int64_t block_stride(const conv4j_problem &pr) { return round16(pr.tile_rows); }

// Floats after each of the alpha^2 matrices of V (and of M), past its rows x block_stride (conv4j_winograd.h): one
// cache line, so that the alpha^2 cells of one tile, stored (and read back) together, fall in distinct L1 sets.
// Unpadded, the matrices lie C/G x Tr floats apart, a multiple of 4 KiB whenever C/G is a multiple of 64 (Tr is one
// of 16): all alpha^2 cells then map to one set and thrash its ways. It also holds the last row's overhang of a
// whole-vector store or load (block below).
constexpr int64_t kMatrixPad = CONV4J_WINOGRAD_MATRIX_PAD;

// m[j][t] = sum_c up[c*KR + j] * v[c][t] for j < N, t < TV*V (up and m start at the first of the N channels):
// N x TV vector accumulators over the reduction, one broadcast of U and TV vector loads of V per c (U packed
// KR-interleaved at plan time: conv4j_winograd.h).
template <int V, int TV, int N>
CONV4J_INLINE void micro_kernel(const float *up, const float *v, int64_t ldv, int64_t cg, float *m, int64_t ldm) {
    register_block<V, TV, N, KR>([&](int64_t c, int64_t) CONV4J_ALWAYS_INLINE { return v + c * ldv; }, 1, cg, up, m, ldm);
}

// M[xi] (Kp x cols) = U[g][xi] (Kp x Cg) * V[xi] (Cg x cols), cols = count rounded up to whole vectors (the lanes
// past count are computed, and the output transform drops them). Columns by TV vectors (as KR/N passes of N
// channels), then one at a time.
template <int V>
CONV4J_INLINE void tuple_gemm(const float *u, const float *v, int64_t cg, int64_t kp, int64_t tb, int64_t count,
                              float *m) {
    constexpr int TV = kernel_vectors<V>, N = kernel_channels<V, KR>;  // register_block.h
    const int64_t cols = (count + V - 1) / V * V;
    for (int64_t kb = 0; kb < kp; kb += KR) {
        const float *up = u + kb * cg;
        int64_t t = 0;
        for (; t + TV * V <= cols; t += TV * V) {
            for (int j0 = 0; j0 < KR; j0 += N) {
                micro_kernel<V, TV, N>(up + j0, v + t, tb, cg, m + (kb + j0) * tb + t, tb);
            }
        }
        for (; t < cols; t += V) micro_kernel<V, 1, KR>(up, v + t, tb, cg, m + kb * tb + t, tb);
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
    const int64_t cg = pr.c_per_group, kg = pr.k_per_group, kp = padded_k(pr), tb = block_stride(pr);
    const int64_t HW = pr.h * pr.w, PQ = pr.p * pr.q, xn = pr.n * pr.c * HW;
    static_assert(kMatrixPad >= V - 1, "a vector from a segment's first column overhangs its row by up to V - 1");
    const int64_t vs = cg * tb + kMatrixPad, ms = kp * tb + kMatrixPad;  // V[xi] and M[xi] strides
    float *v = ws, *mm = ws + A2 * vs;
    vec d[A2], z[A2], out[A2], flat[M * M];
    // V[xi][c][col] = (B^T d B)[xi]; lanes past the last segment's tiles hold junk (whole-vector stores, below)
    for (int64_t c = 0; c < cg; ++c) {
        for_segments<V>(tl, t_first, count, [&](const Segment &s) CONV4J_ALWAYS_INLINE {
            const int64_t base = g * cg + c;
            if (s.row) {
                load_row_tiles<M, V>(pr, x, xn, x + (s.n * pr.c + base) * HW, s.th * M, s.tw0 * M, d);
            } else {
                for_pieces(tl, s, [&](int l0, int len, const Tile &first) CONV4J_ALWAYS_INLINE {
                    load_piece<M, V>(pr, x, xn, x + (first.n * pr.c + base) * HW, first.th * M, first.tw * M, l0, len, d);
                });
            }
            left<A, A, A>(Mat::bt, d, z);
            right<A, A, A>(Mat::bt, z, out);
            // whole vectors: lanes past the segment's land on columns that a later segment of this channel writes,
            // on columns past the block's tiles (whose results nothing uses), on the first columns of the next channel's row
            // (written later) or, past the last channel's row, in kMatrixPad (a lane loop here cost ~10 % of
            // resnet50-res2-3x3, whose rows of 14 tiles fill 14 of AVX-512's 16 lanes)
            for (int i = 0; i < A2; ++i) *(uvec *)(v + i * vs + c * tb + s.col) = out[i];
        });
    }
    // M[xi] (Kp x count) = U[g][xi] (Kp x Cg) * V[xi] (Cg x count)
    for (int i = 0; i < A2; ++i) tuple_gemm<V>(u + (g * A2 + i) * kp * cg, v + i * vs, cg, kp, tb, count, mm + i * ms);
    // y = act(fl(fl(A^T M A + bias) + y_in)) on the outputs inside P x Q
    for (int64_t k = 0; k < kg; ++k) {
        const int64_t ko = g * kg + k;
        const float b = pr.has_bias ? bias[ko] : 0.0f;
        for_segments<V>(tl, t_first, count, [&](const Segment &s) CONV4J_ALWAYS_INLINE {
            // whole vectors (within M's rows or kMatrixPad); lanes past the segment's are computed and dropped
            for (int i = 0; i < A2; ++i) d[i] = *(const uvec *)(mm + i * ms + k * tb + s.col);
            left<M, A, A>(Mat::at, d, z);
            right<M, A, M>(Mat::at, z, out);
            // flat[o1][l M + o2] = output (o1, o2) of lane l's tile: each run of lanes in one row of tiles is then M
            // contiguous stretches of output rows
            for (int o1 = 0; o1 < M; ++o1) interleave<M, V>(out + o1 * M, flat + o1 * M);
            const float *fl = (const float *)flat;
            for_pieces(tl, s, [&](int l0, int len, const Tile &first) CONV4J_ALWAYS_INLINE {
                const int64_t p0 = first.th * M, q0 = first.tw * M;
                const int rows = (int)std::min<int64_t>(M, pr.p - p0);
                const int cols = (int)std::min<int64_t>((int64_t)M * len, pr.q - q0);
                float *yp = y + (first.n * pr.k + ko) * PQ + p0 * pr.q + q0;
                for (int o1 = 0; o1 < rows; ++o1) {
                    const float *src = fl + o1 * M * V + l0 * M;
                    float *yr = yp + o1 * pr.q;
                    int j = 0;
                    for (; j + V <= cols; j += V) {
                        vec val = *(const uvec *)(src + j);
                        if (pr.has_bias) val += b;
                        if (pr.epi_sum) val += *(const uvec *)(yr + j);
                        activate(pr, val);
                        *(uvec *)(yr + j) = val;
                    }
                    for (; j < cols; ++j) store_output(pr, b, src[j], yr + j);
                }
            });
        });
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

// L doubles as one GCC vector (a member, as Vec's: a local typedef loses its vector attribute in a template).
template <int L>
struct VecD {
    typedef double type __attribute__((vector_size(8 * L)));
};

// f[j] = (p[0][t], .., p[L-1][t]) for j < 9, t = j (8 - j when flip): the L filters' taps as vectors built in
// registers, not lane by lane through memory, whose vector read-back waits on store-to-load forwarding. With the
// results stored as vectors too, vgg16-conv3's weight transform (chunked, below) ran 0.99-1.08 -> 0.69-0.79 ms.
template <typename D, int... I>
CONV4J_INLINE void taps_of(const float *const *p, bool flip, std::integer_sequence<int, I...>, D *f) {
    for (int j = 0; j < 9; ++j) {
        const int tap = flip ? 8 - j : j;
        f[j] = D{(double)p[I][tap]...};
    }
}

// U of the L filters (g Kg + kk0 + l, c), l < lanes, one per lane of L doubles: t = G f, then t G^T, in double, as
// the scalar definition orders each sum (every term, zeros included, so an Inf or NaN weight spreads as there).
// The lanes are consecutive output channels of one block of KR, so each of the alpha^2 results is one run of
// floats: result xi goes to out + xi * xi_stride + kk0 % KR.
template <int M, int L>
CONV4J_INLINE void transform_filters(const conv4j_problem &pr, const float *w, float *out, int64_t xi_stride,
                                     int64_t g, int64_t kk0, int64_t c, int lanes) {
    typedef typename VecD<L>::type vd;
    constexpr int A = M + 2;
    typedef Matrices<M> Mat;
    const int64_t cg = pr.c_per_group, kg = pr.k_per_group;
    vd f[9];
    if (lanes == L) {
        const float *src[L];
        for (int l = 0; l < L; ++l) src[l] = w + ((g * kg + kk0 + l) * cg + c) * 9;
        taps_of(src, pr.flip != 0, std::make_integer_sequence<int, L>{}, f);
    } else {
        for (int j = 0; j < 9; ++j) f[j] = vd{};
        for (int l = 0; l < lanes; ++l) {
            const float *src = w + ((g * kg + kk0 + l) * cg + c) * 9;
            for (int j = 0; j < 9; ++j) f[j][l] = src[pr.flip ? 8 - j : j];
        }
    }
    vd t[A][3];
    for (int i = 0; i < A; ++i) {
        for (int s = 0; s < 3; ++s) {
            vd acc = vd{};
            for (int r = 0; r < 3; ++r) acc += Mat::g[i][r] * f[r * 3 + s];
            t[i][s] = acc;
        }
    }
    for (int i = 0; i < A; ++i) {
        for (int j = 0; j < A; ++j) {
            const vd s = t[i][0] * Mat::g[j][0] + t[i][1] * Mat::g[j][1] + t[i][2] * Mat::g[j][2];
            float *dst = out + (i * A + j) * xi_stride + kk0 % KR;
            if (lanes == L) {
                *(typename Vec<L>::unaligned *)dst = __builtin_convertvector(s, typename Vec<L>::type);
            } else {
                for (int l = 0; l < lanes; ++l) dst[l] = (float)s[l];
            }
        }
    }
}

// Group channels per chunk of transform_weights: its alpha^2 runs of kChunk x KR floats (256 bytes) are computed
// into a stack buffer, then copied to u's alpha^2 matrices. Stored straight into u, each filter block's alpha^2
// results went to alpha^2 lines Kp x C/G floats apart (vgg16-conv3: 256 KiB, so one L1 and one L2 set, thrashed),
// each line written in two halves (two channels of 8 floats): 1.9-2.1 -> 0.8-0.98 ms for vgg16-conv3's 65536
// filters (Zen 5, 1 thread).
constexpr int64_t kChunk = 8;

// Work items: blocks of KR output channels (one writer per run of u); the rows past K/G are zeros.
template <int M>
void transform_weights(const conv4j_problem &pr, const float *w, float *u) {
    constexpr int A = M + 2, A2 = A * A;
    const int64_t cg = pr.c_per_group, kg = pr.k_per_group, kp = padded_k(pr), blocks = kp / KR;
    parallel_items(pr.groups * blocks, pr.threads, [&](int64_t, int64_t item) {
        const int64_t g = item / blocks, kb = item % blocks * KR;
        run_widest_vectors([&](auto vw) CONV4J_ALWAYS_INLINE {
            constexpr int L = decltype(vw)::value / 2;
            float chunk[A2 * kChunk * KR];
            std::fill(chunk, chunk + A2 * kChunk * KR, 0.0f);  // the lanes of rows k >= K/G stay zero
            for (int64_t c0 = 0; c0 < cg; c0 += kChunk) {
                const int64_t cn = std::min<int64_t>(kChunk, cg - c0);
                for (int64_t c = c0; c < c0 + cn; ++c) {
                    for (int64_t k0 = kb; k0 < std::min(kb + KR, kg); k0 += L) {
                        transform_filters<M, L>(pr, w, chunk + (c - c0) * KR, kChunk * KR, g, k0, c,
                                                (int)std::min<int64_t>(L, std::min(kb + KR, kg) - k0));
                    }
                }
                for (int64_t xi = 0; xi < A2; ++xi) {
                    float *dst = u + ((g * A2 + xi) * kp + kb) * cg + c0 * KR;
                    const float *src = chunk + xi * kChunk * KR;
                    // a whole chunk by its constant size: inlined as vector moves (std::copy of a run-time count
                    // became rep movsq, whose start-up cost ~ the move itself at 256 bytes)
                    if (cn == kChunk) {
                        std::memcpy(dst, src, sizeof(float) * kChunk * KR);
                    } else {
                        std::copy(src, src + cn * KR, dst);
                    }
                }
            }
        });
    });
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
