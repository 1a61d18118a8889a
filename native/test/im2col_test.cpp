// im2col_rows against the definition, band by band, in exactly sized buffers (ASan sees any overrun):
// col[(c*R + r)*S + s][(p - p0)*Q + q] = xpad[c][p*sh - pt + r'*dh][q*sw - pl + s'*dw].
#include <algorithm>
#include <vector>

#include "edge_geometries.h"
#include "im2col.h"
#include "test_support.h"

using namespace conv4j_test;

namespace {

void check_bands(Report &rep, const Geometry &g) {
    const conv4j_problem pr = make_problem(g);
    uint64_t st = 42;
    const std::vector<float> x = integers(st, pr.c_per_group * pr.h * pr.w, 9);
    for (int64_t p0 = 0; p0 < pr.p; p0 += pr.tile_rows) {
        const int64_t rows = std::min(pr.tile_rows, pr.p - p0), band = rows * pr.q;
        std::vector<float> col(pr.reduction * band, -1000.0f), expected(pr.reduction * band);
        for (int64_t c = 0; c < pr.c_per_group; ++c)
            for (int64_t r = 0; r < pr.r; ++r)
                for (int64_t s = 0; s < pr.s; ++s)
                    for (int64_t p = p0; p < p0 + rows; ++p)
                        for (int64_t q = 0; q < pr.q; ++q) {
                            const int64_t rr = pr.flip ? pr.r - 1 - r : r, ss = pr.flip ? pr.s - 1 - s : s;
                            const int64_t ih = padded_index(pr.border, p * pr.stride_h - pr.pad_top + rr * pr.dil_h, pr.h);
                            const int64_t iw = padded_index(pr.border, q * pr.stride_w - pr.pad_left + ss * pr.dil_w, pr.w);
                            expected[((c * pr.r + r) * pr.s + s) * band + (p - p0) * pr.q + q] =
                                ih < 0 || iw < 0 ? 0.0f : x[(c * pr.h + ih) * pr.w + iw];
                        }
        conv4j::im2col_rows(pr, x.data(), p0, rows, col.data());
        rep.expect_equal("im2col_rows band p0=" + std::to_string(p0), g, expected.data(), col.data(),
                         (int64_t)col.size());
    }
}

}  // namespace

int main() {
    Report rep;
    for (const Geometry &edge : edge_geometries()) {
        for (const Geometry &g : variants(edge)) check_bands(rep, g);
    }
    for (const Geometry &g : random_geometries(1500, 7)) check_bands(rep, g);
    return rep.finish("im2col_test");
}
