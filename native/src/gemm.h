#ifndef CONV4J_GEMM_H
#define CONV4J_GEMM_H

#include <cstdint>

namespace conv4j {

/*
 * The single place that calls BLAS.
 * Row-major C[M x N] (ldc) = A[M x K] (lda) * B[K x N] (ldb) + (accumulate ? C : 0).
 */
void sgemm_rowmajor(int64_t M, int64_t N, int64_t K, const float *A, int64_t lda,
                    const float *B, int64_t ldb, float *C, int64_t ldc, bool accumulate);

}  // namespace conv4j

#endif
