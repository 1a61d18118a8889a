#ifndef CONV4J_BORDER_H
#define CONV4J_BORDER_H

#include <cstdint>

#include "conv4j.h"
#include "multiversion.h"

namespace conv4j {

/*
 * The input index that position i of a padded axis of length n reads, or -1 for a zero;
 * numpy.pad semantics for any pad width (periodic beyond one reflection/wrap). Mirrors
 * org.conv4j.Border#index.
 */
inline int64_t border_index(int32_t border, int64_t i, int64_t n) {
    if (i >= 0 && i < n) return i;
    switch (border) {
        case CONV4J_BORDER_REPLICATE: return i < 0 ? 0 : n - 1;
        case CONV4J_BORDER_CIRCULAR: { int64_t m = i % n; return m < 0 ? m + n : m; }
        case CONV4J_BORDER_REFLECT: {
            if (n == 1) return 0;
            const int64_t period = 2 * (n - 1);
            int64_t m = i % period;
            if (m < 0) m += period;
            return m < n ? m : period - m;
        }
        case CONV4J_BORDER_SYMMETRIC: {
            const int64_t period = 2 * n;
            int64_t m = i % period;
            if (m < 0) m += period;
            return m < n ? m : period - 1 - m;
        }
        default: return -1;
    }
}

/*
 * A tap of weight wt over a zero border adds zero_border_term(wt) = wt * 0 to its sum: nothing, unless wt
 * is Inf or NaN, when the sum becomes NaN (as in PyTorch, which multiplies the padding's zeros). A column
 * of the border adds it like any other tap; the loops skip a whole row of the border, except for the taps
 * whose term leaves_nan(). (Functions of a float only, so the callers' loops over sums keep their shape.)
 */
CONV4J_INLINE float zero_border_term(float wt) { return wt * 0.0f; }
CONV4J_INLINE bool leaves_nan(float term) { return term != term; }

/*
 * [lo, hi): the output columns q whose input column q*sw + off lies inside [0, w), clamped to [0, Q];
 * the columns outside read the border.
 */
inline void inside_q_range(int64_t off, int64_t sw, int64_t w, int64_t Q, int64_t &lo, int64_t &hi) {
    lo = off >= 0 ? 0 : (-off + sw - 1) / sw;
    hi = w - off <= 0 ? 0 : (w - off + sw - 1) / sw;
    lo = lo < Q ? lo : Q;
    hi = hi < Q ? hi : Q;
    hi = hi > lo ? hi : lo;
}

}  // namespace conv4j

#endif
