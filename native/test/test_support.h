// Test support for the native core: a problem builder that derives the descriptor's numbers from the
// formulas in README "Parameter semantics" (independently of the Java descriptor), a direct loop nest
// over the definition with its own numpy.pad border walk, and a tiny check/report harness.
#ifndef CONV4J_TEST_SUPPORT_H
#define CONV4J_TEST_SUPPORT_H

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "conv4j.h"

namespace conv4j_test {

struct Geometry {
    int64_t n = 1, c = 1, h = 1, w = 1, k = 1, r = 1, s = 1;
    int64_t sh = 1, sw = 1, pt = 0, pl = 0, pb = 0, pr = 0, dh = 1, dw = 1, groups = 1;
    int32_t flip = 0, bias = 0, border = CONV4J_BORDER_ZERO, sum = 0, act = CONV4J_ACT_NONE;
    float lo = 0, hi = 0;
    int64_t tile_rows = 0;  // 0: all output rows in one band
};

// The compact descriptor (as org.conv4j.Conv2dProblem#toString writes it) for failure messages.
std::string describe(const Geometry &g);

// False when the dilated kernel does not fit the padded input (the Java descriptor rejects those).
bool valid(const Geometry &g);

// Fills every field of conv4j_problem: p, q, reduction, tile_rows, path, the schedule ... .
conv4j_problem make_problem(const Geometry &g);

// Sets bands, work_items and workspace_per_thread for pr's path (what org.conv4j.Schedule computes in Java);
// call again after changing pr.path.
void schedule(conv4j_problem &pr);

// Floats of conv4j_prepare_weights's output for pr's path (conv4j.h, direct_blocked.h).
int64_t prepared_elements(const conv4j_problem &pr);

// numpy.pad index walk, one reflection at a time (deliberately not border.h's periodic formula).
int64_t padded_index(int32_t border, int64_t i, int64_t n);

// y = act(bias + sum x*w (+ y_in)) accumulated in double: exact for small integer data.
void direct_loops(const conv4j_problem &pr, const float *x, const float *w, const float *bias, float *y);

// Small integers in [-bound, bound] from a fixed-seed generator.
std::vector<float> integers(uint64_t &state, int64_t count, int bound);

// Counts failures; prints the first few with the descriptor and the first bad index.
struct Report {
    int checks = 0, failures = 0;
    void expect_equal(const std::string &what, const Geometry &g, const float *expected, const float *actual,
                      int64_t count);
    int finish(const char *suite) const;
};

}  // namespace conv4j_test

#endif
