// Depthwise convolution over a ring of padded, phase-split input rows (depthwise.h): each input row is copied
// once with its border resolved, then every output column is a vector lane and every tap a contiguous load.
#include "depthwise.h"

#include <algorithm>

#include "border.h"
#include "epilogue.h"
#include "multiversion.h"

namespace conv4j {

namespace {

// Per-plane tables (tap offsets, phases, a row's slots) hold their first kCached entries; wider ones compute the
// rest as they go.
constexpr int64_t kCached = 64;
// Output rows a block computes at most (kRows below): what the ring is sized for on every vector unit.
constexpr int64_t kMaxRows = 4;

// at(i) for i in [0, count): the first kCached found once, the rest as they are asked for.
template <class T, class At>
struct FirstCached {
    At at;
    T cached[kCached];

    FirstCached(int64_t count, At a) : at(a) {
        for (int64_t i = 0; i < std::min(count, kCached); ++i) cached[i] = at(i);
    }
    CONV4J_INLINE T operator()(int64_t i) const { return i < kCached ? cached[i] : at(i); }
};

struct Ring {
    int64_t slots, phases, pw, last_col;  // L, sw, PW, the last padded column a tap reads
};

Ring ring_of(const conv4j_problem &pr) {
    Ring g;
    g.slots = (pr.r - 1) * pr.dil_h + 1 + (kMaxRows - 1) * pr.stride_h;  // what a block of output rows reads
    g.phases = pr.stride_w;
    g.pw = round16(round16(pr.q) + (pr.s - 1) * pr.dil_w / pr.stride_w);
    g.last_col = (pr.q - 1) * pr.stride_w + (pr.s - 1) * pr.dil_w;
    return g;
}

// Phase f of a slot: slot[f*PW + j] = xpad[row][j*sw + f] for j < used (0 past last_col), the input column
// j*sw + off for lo <= j < hi, the border's outside.
struct Phase {
    int64_t off, lo, hi, used;
};

struct PhaseAt {
    const conv4j_problem &pr;
    const Ring &g;
    Phase operator()(int64_t f) const {
        Phase h;
        h.off = f - pr.pad_left;  // padded column j*sw + f reads input column j*sw + off
        h.used = f > g.last_col ? 0 : std::min(g.pw, (g.last_col - f) / pr.stride_w + 1);
        inside_q_range(h.off, pr.stride_w, pr.w, h.used, h.lo, h.hi);
        return h;
    }
};
typedef FirstCached<Phase, PhaseAt> Phases;

// The slot of input row `row` (already inside the input): every phase's columns below `used`, its border
// resolved (the zeros past `used`, and a zero border's columns, are written once per plane: zero_columns).
template <int V>
CONV4J_INLINE void fill_slot(const conv4j_problem &pr, const Ring &g, const Phases &phases, const float *row,
                             float *slot) {
    typedef typename Vec<V>::unaligned unaligned_vec;
    for (int64_t f = 0; f < g.phases; ++f) {
        float *dst = slot + f * g.pw;
        const Phase h = phases(f);
        const bool zero = pr.border == CONV4J_BORDER_ZERO;
        for (int64_t j = 0; j < (zero ? 0 : h.lo); ++j) {
            const int64_t iw = border_index(pr.border, j * pr.stride_w + h.off, pr.w);
            dst[j] = iw < 0 ? 0.0f : row[iw];
        }
        if (pr.stride_w == 1) {
            int64_t j = h.lo;
            for (; j + V <= h.hi; j += V) {
                *reinterpret_cast<unaligned_vec *>(dst + j) = *reinterpret_cast<const unaligned_vec *>(row + j + h.off);
            }
            for (; j < h.hi; ++j) dst[j] = row[j + h.off];
        } else {
            for (int64_t j = h.lo; j < h.hi; ++j) dst[j] = row[j * pr.stride_w + h.off];
        }
        for (int64_t j = h.hi; j < (zero ? h.hi : h.used); ++j) {
            const int64_t iw = border_index(pr.border, j * pr.stride_w + h.off, pr.w);
            dst[j] = iw < 0 ? 0.0f : row[iw];
        }
    }
}

// The zeros of every slot, phase by phase, which fill_slot leaves as they are: the columns past `used`, and those
// outside [lo, hi) when the border is zero.
inline void zero_columns(const conv4j_problem &pr, const Ring &g, const Phases &phases, float *ring) {
    for (int64_t i = 0; i < g.slots * g.phases; ++i) {
        float *dst = ring + i * g.pw;
        const Phase h = phases(i % g.phases);
        std::fill(dst + h.used, dst + g.pw, 0.0f);
        if (pr.border != CONV4J_BORDER_ZERO) continue;
        std::fill(dst, dst + h.lo, 0.0f);
        std::fill(dst + h.hi, dst + h.used, 0.0f);
    }
}

// Where tap s (as applied: s' = S-1-s when flipped) starts in a slot: phase (s'*dw) mod sw, index (s'*dw) / sw.
struct TapOffsetAt {
    const conv4j_problem &pr;
    const Ring &g;
    int64_t operator()(int64_t s) const {
        const int64_t col = (pr.flip ? pr.s - 1 - s : s) * pr.dil_w;
        return col % pr.stride_w * g.pw + col / pr.stride_w;
    }
};
typedef FirstCached<int64_t, TapOffsetAt> TapOffsets;

// Whether padded row j lies in a zero border (other borders read some input row).
inline bool in_zero_border(const conv4j_problem &pr, int64_t j) {
    return pr.border == CONV4J_BORDER_ZERO && (j < pr.pad_top || j - pr.pad_top >= pr.h);
}

// The slot of padded row j, or null when it lies in a zero border.
inline const float *slot_of(const conv4j_problem &pr, const Ring &g, const float *ring, int64_t j) {
    return in_zero_border(pr, j) ? nullptr : ring + j % g.slots * g.phases * g.pw;
}

// The slots output row p's filter rows read (r as applied: rr = R-1-r when flipped).
struct RowSlotAt {
    const conv4j_problem &pr;
    const Ring &g;
    const float *ring;
    int64_t p;
    const float *operator()(int64_t r) const {
        return slot_of(pr, g, ring, p * pr.stride_h + (pr.flip ? pr.r - 1 - r : r) * pr.dil_h);
    }
};
typedef FirstCached<const float *, RowSlotAt> RowSlots;

// One output row p at U vectors of columns from q, any filter: bias (+ y_in), then every tap in the order r, s,
// then the activation.
template <int V, int U>
CONV4J_INLINE void row_block(const conv4j_problem &pr, const RowSlots &rows, const TapOffsets &offset,
                             const float *w, float bias, const float *y_in, int64_t q, float *dst) {
    typedef typename Vec<V>::type vec;
    typedef typename Vec<V>::unaligned unaligned_vec;
    const int64_t R = pr.r, S = pr.s;
    vec acc[U];
    for (int u = 0; u < U; ++u) {
        acc[u] = vec{} + bias;
        if (pr.epi_sum) acc[u] = *reinterpret_cast<const unaligned_vec *>(y_in + u * V) + bias;
    }
    for (int64_t r = 0; r < R; ++r) {
        const float *slot = rows(r);
        if (slot == nullptr) {  // a row of the zero border
            for (int64_t s = 0; s < S; ++s) {
                const float zero_term = zero_border_term(w[r * S + s]);
                if (leaves_nan(zero_term)) for (int u = 0; u < U; ++u) acc[u] += zero_term;
            }
            continue;
        }
        slot += q;
        for (int64_t s = 0; s < S; ++s) {
            const float wt = w[r * S + s], *src = slot + offset(s);
            for (int u = 0; u < U; ++u) acc[u] += wt * *reinterpret_cast<const unaligned_vec *>(src + u * V);
        }
    }
    for (int u = 0; u < U; ++u) {
        vec v = acc[u];
        activate(pr, v);
        *reinterpret_cast<unaligned_vec *>(dst + u * V) = v;
    }
}

// ROWS output rows from p of an RT x ST filter at stride 1 and dilation 1 along the height, at U vectors of columns
// from q, each output summed as row_block sums it (bias (+ y_in), taps in the order r, s). The block's
// RT + ROWS - 1 padded rows are visited once each, in the order of r (increasing padded row, decreasing when
// flipped: r = RT-1-rr), and each vector loaded feeds every output row that reads it: for 3x3 and 4 rows, 6
// rows of loads for 12 rows of taps. All of it unrolled, so every sum stays in a register.
template <int V, int U, int ROWS, int RT, int ST, bool FLIP>
CONV4J_INLINE void rows_block(const conv4j_problem &pr, const float *const *slots, const TapOffsets &offset,
                              const float *w, float bias, int64_t p, float *y, int64_t q) {
    typedef typename Vec<V>::type vec;
    typedef typename Vec<V>::unaligned unaligned_vec;
    vec acc[ROWS][U];
    for (int i = 0; i < ROWS; ++i) {
        for (int u = 0; u < U; ++u) {
            acc[i][u] = vec{} + bias;
            if (pr.epi_sum) acc[i][u] = *reinterpret_cast<const unaligned_vec *>(y + (p + i) * pr.q + q + u * V) + bias;
        }
    }
    int64_t offsets[ST];
    for (int s = 0; s < ST; ++s) offsets[s] = offset(s) + q;
    vec weight[RT * ST];  // broadcast once per block
    for (int t = 0; t < RT * ST; ++t) weight[t] = vec{} + w[t];
    constexpr int span = RT + ROWS - 1;
#pragma GCC unroll 16
    for (int step = 0; step < span; ++step) {
        const int t = FLIP ? span - 1 - step : step;  // padded row p + t; output row i reads it at rr = t - i
        const float *slot = slots[t];
        const bool zero = slot == nullptr;
#pragma GCC unroll 16
        for (int s = 0; s < ST; ++s) {
            vec x[U];
            if (!zero) {
                for (int u = 0; u < U; ++u) x[u] = *reinterpret_cast<const unaligned_vec *>(slot + offsets[s] + u * V);
            }
#pragma GCC unroll 16
            for (int i = 0; i < ROWS; ++i) {
                const int rr = t - i;
                if (rr < 0 || rr >= RT) continue;  // known at compile time
                const int r = FLIP ? RT - 1 - rr : rr;
                const float wt = w[r * ST + s];
                if (zero) {
                    const float zero_term = zero_border_term(wt);
                    if (leaves_nan(zero_term)) for (int u = 0; u < U; ++u) acc[i][u] += zero_term;
                } else {
                    for (int u = 0; u < U; ++u) acc[i][u] += weight[r * ST + s] * x[u];
                }
            }
        }
    }
    for (int i = 0; i < ROWS; ++i) {
        for (int u = 0; u < U; ++u) {
            vec v = acc[i][u];
            activate(pr, v);
            *reinterpret_cast<unaligned_vec *>(y + (p + i) * pr.q + q + u * V) = v;
        }
    }
}

// Registers a 3x3 block holds: on AVX-512 12 sums, 9 weights and 3 loaded vectors of the 32; on AVX2 and SSE
// 6 sums and 3 vectors of the 16, and the weights that do not fit are broadcast from memory again (NEON has 32
// registers of 4 lanes, but runs the 2-row block of the other 4-lane body).
template <int V>
constexpr int kRows = V >= 16 ? 4 : 2;  // output rows rows_block shares its loads over
constexpr int64_t kMaxVectors = 3;      // a row's vectors in one rows_block

template <int V, int RT, int ST, bool FLIP>
CONV4J_INLINE void rows_block_of(int64_t vectors, const conv4j_problem &pr, const float *const *slots,
                                 const TapOffsets &offset, const float *w, float bias, int64_t p, float *y, int64_t q) {
    constexpr int RW = kRows<V>;
    switch (vectors) {
        case 1: rows_block<V, 1, RW, RT, ST, FLIP>(pr, slots, offset, w, bias, p, y, q); return;
        case 2: rows_block<V, 2, RW, RT, ST, FLIP>(pr, slots, offset, w, bias, p, y, q); return;
        default: rows_block<V, 3, RW, RT, ST, FLIP>(pr, slots, offset, w, bias, p, y, q); return;
    }
}

// kRows output rows from p of a 3x3 filter at stride and dilation 1 along the height, the whole vectors of a row.
// Returns the first column not done.
template <int V>
CONV4J_INLINE int64_t rows_3x3(const conv4j_problem &pr, const float *const *slots, const TapOffsets &offset,
                               const float *w, float bias, int64_t p, float *y) {
    int64_t q = 0;
    while (q + V <= pr.q) {
        const int64_t vectors = std::min<int64_t>(kMaxVectors, (pr.q - q) / V);
        if (pr.flip) {
            rows_block_of<V, 3, 3, true>(vectors, pr, slots, offset, w, bias, p, y, q);
        } else {
            rows_block_of<V, 3, 3, false>(vectors, pr, slots, offset, w, bias, p, y, q);
        }
        q += vectors * V;
    }
    return q;
}

// Output row p from column q on: blocks of up to 8 vectors, then the last columns as one vector through a
// buffer (the ring's columns past Q are zeros, computed and dropped).
template <int V>
CONV4J_INLINE void output_row(const conv4j_problem &pr, const RowSlots &rows, const TapOffsets &offset,
                              const float *w, float bias, int64_t p, int64_t q, float *y) {
    float *dst = y + p * pr.q;
    for (; q + 8 * V <= pr.q; q += 8 * V) row_block<V, 8>(pr, rows, offset, w, bias, dst + q, q, dst + q);
    if (q + 4 * V <= pr.q) row_block<V, 4>(pr, rows, offset, w, bias, dst + q, q, dst + q), q += 4 * V;
    if (q + 2 * V <= pr.q) row_block<V, 2>(pr, rows, offset, w, bias, dst + q, q, dst + q), q += 2 * V;
    if (q + V <= pr.q) row_block<V, 1>(pr, rows, offset, w, bias, dst + q, q, dst + q), q += V;
    if (q == pr.q) return;
    float in[V] = {}, out[V];
    if (pr.epi_sum) std::copy(dst + q, dst + pr.q, in);
    row_block<V, 1>(pr, rows, offset, w, bias, in, q, out);
    std::copy(out, out + (pr.q - q), dst + q);
}

// Output rows kRows at a time: 3x3 filters at stride and dilation 1 along the height through rows_3x3 (the
// columns past its whole vectors, and every other filter, row by row).
template <int V>
CONV4J_INLINE void plane(const conv4j_problem &pr, const float *x, const float *w, float bias, float *y,
                         float *ring) {
    const Ring g = ring_of(pr);
    const TapOffsets offset(pr.s, TapOffsetAt{pr, g});
    const Phases phases(g.phases, PhaseAt{pr, g});
    const int64_t slot_floats = g.phases * g.pw;
    zero_columns(pr, g, phases, ring);
    const bool shared = pr.r == 3 && pr.s == 3 && pr.stride_h == 1 && pr.dil_h == 1;
    int64_t filled = -1;  // the padded rows up to here that lie inside the input are in the ring
    int64_t next = 0;     // (filled + 1) mod L
    for (int64_t p = 0; p < pr.p; p += kRows<V>) {
        const int64_t rows = std::min<int64_t>(kRows<V>, pr.p - p);
        const int64_t first = p * pr.stride_h, last = (p + rows - 1) * pr.stride_h + (pr.r - 1) * pr.dil_h;
        if (first > filled + 1) next = first % g.slots;  // rows skipped by a stride taller than the filter
        for (int64_t i = std::max(filled + 1, first); i <= last; ++i) {
            const int64_t ih = border_index(pr.border, i - pr.pad_top, pr.h);
            if (ih >= 0) fill_slot<V>(pr, g, phases, x + ih * pr.w, ring + next * slot_floats);
            if (++next == g.slots) next = 0;
        }
        filled = last;
        int64_t q = 0;
        if (shared && rows == kRows<V>) {
            const float *slots[kRows<V> + 2];  // padded rows p .. p + kRows + 1
            int64_t at = p % g.slots;
            for (int64_t t = 0; t < kRows<V> + 2; ++t) {
                slots[t] = in_zero_border(pr, p + t) ? nullptr : ring + at * slot_floats;
                if (++at == g.slots) at = 0;
            }
            q = rows_3x3<V>(pr, slots, offset, w, bias, p, y);
        }
        if (q == pr.q) continue;
        for (int64_t i = 0; i < rows; ++i) {
            const RowSlots row_slots(pr.r, RowSlotAt{pr, g, ring, p + i});
            output_row<V>(pr, row_slots, offset, w, bias, p + i, q, y);
        }
    }
}

}  // namespace

int64_t depthwise_workspace(const conv4j_problem &pr) {
    const Ring g = ring_of(pr);
    return g.slots * g.phases * g.pw;
}

void depthwise_plane(const conv4j_problem &pr, const float *x, const float *w, float bias, float *y,
                     float *workspace) {
    run_widest_vectors([&](auto v) CONV4J_ALWAYS_INLINE { plane<decltype(v)::value>(pr, x, w, bias, y, workspace); });
}

}  // namespace conv4j
