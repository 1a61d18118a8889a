#include "gemm.h"

#include <cblas.h>

namespace conv4j {

// The Java descriptor guarantees every dimension and leading dimension fits in blasint.
void sgemm_rowmajor(int64_t M, int64_t N, int64_t K, const float *A, int64_t lda,
                    const float *B, int64_t ldb, float *C, int64_t ldc, bool accumulate) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (blasint)M, (blasint)N, (blasint)K,
                1.0f, A, (blasint)lda, B, (blasint)ldb, accumulate ? 1.0f : 0.0f, C, (blasint)ldc);
}

}  // namespace conv4j
