#ifndef CONV4J_REGISTER_BLOCK_H
#define CONV4J_REGISTER_BLOCK_H

// The register-blocked micro-kernel of DIRECT_BLOCKED (direct_blocked.cpp) and of Winograd's GEMMs (winograd.cpp).
#include <cstdint>

#include "multiversion.h"

namespace conv4j {

/*
 * Register blocking of the channels x columns micro-kernels (register_block below), which hold
 * kernel_channels<V, Block> of a block of Block output channels by kernel_vectors<V> vectors of columns in
 * accumulators, one pass per kernel_channels: AVX-512 8 x 3 (24 of its 32 registers); AVX2 4 x 3, two passes a
 * block of 8 (12 of 16: 7 loads per 12 FMAs and 12 chains to hide the FMA's latency, where 8 x 1 had 9 per 8 and 8;
 * 1.2-1.45x as fast on Zen 5's AVX2 body); SSE2/NEON 8 x 1.
 */
template <int V>
constexpr int kernel_vectors = V >= 8 ? 3 : 1;
template <int V, int Block>
constexpr int kernel_channels = V == 8 ? 4 : Block;

/*
 * out[j*ldo + t*V + l] = sum_{c < cg, tap < taps} w[(c*taps + tap)*KB + j] * in(c, tap)[t*V + l] for j < N, t < TV,
 * l < V: N x TV vector accumulators over the whole reduction, summed in the order c, then tap, one multiply-add a term
 * (fused where the body has FMA); per term one vector load of the input (TV per tap) shared by the N channels, one
 * broadcast of a weight shared by the TV vectors. w holds KB channels per term, of which these are the first N (the
 * caller offsets w and out to a pass's channels). in(c, tap): where the term's TV vectors start.
 */
template <int V, int TV, int N, int KB, typename In>
CONV4J_INLINE void register_block(In in, int64_t taps, int64_t cg, const float *w, float *out, int64_t ldo) {
    typedef typename Vec<V>::type vec;
    typedef typename Vec<V>::unaligned uvec;
    vec acc[N][TV];
    for (int j = 0; j < N; ++j) {
        for (int t = 0; t < TV; ++t) acc[j][t] = vec{};
    }
    for (int64_t c = 0; c < cg; ++c) {
        const float *wc = w + c * taps * KB;
        for (int64_t tap = 0; tap < taps; ++tap) {
            const float *x = in(c, tap);
            vec v[TV];
            for (int t = 0; t < TV; ++t) v[t] = *(const uvec *)(x + t * V);
            const float *wt = wc + tap * KB;
            for (int j = 0; j < N; ++j) {
                const float s = wt[j];
                for (int t = 0; t < TV; ++t) acc[j][t] += s * v[t];
            }
        }
    }
    for (int j = 0; j < N; ++j) {
        for (int t = 0; t < TV; ++t) *(uvec *)(out + j * ldo + t * V) = acc[j][t];
    }
}

}  // namespace conv4j

#endif
