// The geometries both native tests sweep: hand-picked edges, then a seeded random sweep.
#ifndef CONV4J_TEST_EDGE_GEOMETRIES_H
#define CONV4J_TEST_EDGE_GEOMETRIES_H

#include <vector>

#include "test_support.h"

namespace conv4j_test {

// Hand-picked: P or Q = 1, stride > kernel, pads > input, dilation, groups, depthwise, 1x1 (direct GEMM),
// tiny bands; each later expanded over every border, both modes and every epilogue.
std::vector<Geometry> edge_geometries();

// count valid random geometries (small sizes) from a fixed seed; all parameters and flags vary.
std::vector<Geometry> random_geometries(int count, uint64_t seed);

// Every border x flip x epilogue variant of g.
std::vector<Geometry> variants(const Geometry &g);

}  // namespace conv4j_test

#endif
