// The table behind conv4j_abi_* (conv4j.h). Each name is its constant's identifier as the preprocessor
// spells it, so a name cannot drift from its value.
#include "conv4j.h"
#include "conv4j_winograd.h"
#include "multiversion.h"

namespace {

struct Entry {
    const char *name;
    int64_t value;
};

#define CONV4J_ENTRY(constant) {#constant, constant}
const Entry kTable[] = {
    CONV4J_ENTRY(CONV4J_ABI_VERSION),
    CONV4J_ENTRY(CONV4J_PATH_IM2COL_GEMM),
    CONV4J_ENTRY(CONV4J_PATH_DIRECT_GEMM),
    CONV4J_ENTRY(CONV4J_PATH_DEPTHWISE),
    CONV4J_ENTRY(CONV4J_PATH_DIRECT_SMALL_REDUCTION),
    CONV4J_ENTRY(CONV4J_PATH_SEPARABLE),
    CONV4J_ENTRY(CONV4J_PATH_WINOGRAD_F2),
    CONV4J_ENTRY(CONV4J_PATH_WINOGRAD_F4),
    CONV4J_ENTRY(CONV4J_PATH_DIRECT_BLOCKED),
    CONV4J_ENTRY(CONV4J_DIRECT_SMALL_MAX_REDUCTION),
    CONV4J_ENTRY(CONV4J_DIRECT_SMALL_MAX_FILTERS),
    CONV4J_ENTRY(CONV4J_DIRECT_BLOCKED_K_BLOCK),
    CONV4J_ENTRY(CONV4J_DIRECT_BLOCKED_MAX_TAPS),
    CONV4J_ENTRY(CONV4J_WINOGRAD_K_BLOCK),
    CONV4J_ENTRY(CONV4J_WINOGRAD_MATRIX_PAD),
    CONV4J_ENTRY(CONV4J_BORDER_ZERO),
    CONV4J_ENTRY(CONV4J_BORDER_REFLECT),
    CONV4J_ENTRY(CONV4J_BORDER_SYMMETRIC),
    CONV4J_ENTRY(CONV4J_BORDER_REPLICATE),
    CONV4J_ENTRY(CONV4J_BORDER_CIRCULAR),
    CONV4J_ENTRY(CONV4J_ACT_NONE),
    CONV4J_ENTRY(CONV4J_ACT_RELU),
    CONV4J_ENTRY(CONV4J_ACT_CLAMP),
    CONV4J_ENTRY(CONV4J_OK),
    CONV4J_ENTRY(CONV4J_UNKNOWN_PATH),
};
#undef CONV4J_ENTRY

}  // namespace

extern "C" int32_t conv4j_abi_size(void) { return (int32_t)(sizeof kTable / sizeof kTable[0]); }

extern "C" const char *conv4j_abi_name(int32_t i) { return kTable[i].name; }

extern "C" int64_t conv4j_abi_value(int32_t i) { return kTable[i].value; }

extern "C" int32_t conv4j_vector_width(void) {
    switch (conv4j::vector_isa()) {
        case conv4j::VectorIsa::avx512: return 16;
        case conv4j::VectorIsa::avx_fma: return 8;
        default: return 4;
    }
}
