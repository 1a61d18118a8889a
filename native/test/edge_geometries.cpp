#include "edge_geometries.h"

namespace conv4j_test {

namespace {

Geometry geo(int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s) {
    Geometry g;
    g.n = n; g.c = c; g.h = h; g.w = w; g.k = k; g.r = r; g.s = s;
    return g;
}

uint64_t next(uint64_t &state, uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % bound;
}

}  // namespace

std::vector<Geometry> edge_geometries() {
    std::vector<Geometry> out;
    Geometry g;
    g = geo(1, 1, 1, 1, 1, 1, 1); out.push_back(g);                                  // everything 1 (direct GEMM)
    g = geo(2, 3, 5, 7, 4, 5, 7); out.push_back(g);                                  // P = Q = 1, kernel = input
    g = geo(1, 2, 1, 9, 3, 1, 3); out.push_back(g);                                  // H = 1, P = 1
    g = geo(1, 2, 9, 1, 3, 3, 1); out.push_back(g);                                  // W = 1, Q = 1
    g = geo(1, 2, 9, 8, 2, 2, 2); g.sh = 3; g.sw = 5; out.push_back(g);              // stride > kernel
    g = geo(1, 1, 2, 3, 2, 3, 3); g.pt = 4; g.pl = 5; g.pb = 3; g.pr = 6; out.push_back(g);  // pads > input
    g = geo(1, 1, 1, 1, 1, 3, 3); g.pt = g.pl = g.pb = g.pr = 2; out.push_back(g);   // 1x1 input, all border
    g = geo(1, 2, 9, 10, 2, 3, 2); g.dh = 3; g.dw = 4; g.pt = 1; g.pr = 2; out.push_back(g);  // dilation
    g = geo(2, 6, 5, 6, 4, 3, 3); g.groups = 2; g.pt = g.pl = g.pb = g.pr = 1; out.push_back(g);  // groups
    g = geo(2, 4, 6, 5, 8, 3, 3); g.groups = 4; g.pt = g.pl = 1; g.pb = g.pr = 2; out.push_back(g);  // grouped, Cg=1, K=2C
    g = geo(1, 3, 7, 7, 3, 3, 3); g.groups = 3; g.sh = g.sw = 2; g.pt = g.pl = g.pb = g.pr = 1;
    out.push_back(g);                                                                // depthwise, strided
    g = geo(1, 4, 5, 4, 8, 2, 3); g.groups = 4; g.dh = 2; g.pt = 3; g.pb = 0; g.pl = 4; g.pr = 1;
    out.push_back(g);                                                                // depthwise x2, pads > input
    g = geo(3, 8, 4, 5, 6, 1, 1); out.push_back(g);                                  // 1x1 direct GEMM, N = 3
    g = geo(1, 4, 6, 6, 4, 1, 1); g.sh = 2; out.push_back(g);                        // 1x1 strided: im2col
    g = geo(1, 3, 11, 6, 5, 3, 3); g.pt = g.pb = 1; g.tile_rows = 1; out.push_back(g);  // one row per band
    g = geo(2, 3, 11, 6, 5, 3, 2); g.pt = 2; g.tile_rows = 4; out.push_back(g);        // ragged last band
    // stride-2 rows wide enough for the phase planes' whole vectors of 16 and of 8 outputs (direct_blocked.cpp's
    // every_second): both column phases copy runs of 26 inputs (16 + 8 + 2 one by one), then, dilated, 19 and 18
    // (16 + the rest)
    g = geo(1, 2, 5, 52, 3, 3, 3); g.sw = 2; g.pl = 1; g.pr = 2; out.push_back(g);
    g = geo(1, 2, 6, 37, 2, 2, 3); g.sh = g.sw = 2; g.dw = 3; g.pt = 1; g.pl = 0; out.push_back(g);
    return out;
}

std::vector<Geometry> random_geometries(int count, uint64_t seed) {
    std::vector<Geometry> out;
    uint64_t st = seed;
    while ((int)out.size() < count) {
        Geometry g;
        g.groups = 1 + next(st, 3);
        g.c = g.groups * (1 + next(st, 3));
        if (next(st, 5) == 0) g.groups = g.c;
        g.k = g.groups * (1 + next(st, 3));
        g.n = 1 + next(st, 2);
        g.h = 1 + next(st, 9); g.w = 1 + next(st, 9);
        g.r = 1 + next(st, 4); g.s = 1 + next(st, 4);
        g.sh = 1 + next(st, 4); g.sw = 1 + next(st, 4);
        g.dh = 1 + next(st, 3); g.dw = 1 + next(st, 3);
        g.pt = next(st, 5); g.pl = next(st, 5); g.pb = next(st, 5); g.pr = next(st, 5);
        g.flip = next(st, 2); g.bias = next(st, 2); g.border = next(st, 5); g.sum = next(st, 2);
        g.act = next(st, 3); g.lo = -(float)next(st, 20); g.hi = (float)next(st, 20);
        g.tile_rows = next(st, 3) == 0 ? 1 + next(st, 3) : 0;
        if (valid(g)) out.push_back(g);
    }
    return out;
}

std::vector<Geometry> variants(const Geometry &g) {
    std::vector<Geometry> out;
    for (int32_t border = 0; border < 5; ++border)
        for (int32_t flip = 0; flip < 2; ++flip)
            for (int32_t epi = 0; epi < 4; ++epi) {
                Geometry v = g;
                v.border = border; v.flip = flip;
                v.bias = epi != 0; v.sum = epi == 3;
                v.act = epi == 1 ? CONV4J_ACT_RELU : epi == 2 ? CONV4J_ACT_CLAMP : CONV4J_ACT_NONE;
                v.lo = -7; v.hi = 9;
                out.push_back(v);
            }
    return out;
}

}  // namespace conv4j_test
