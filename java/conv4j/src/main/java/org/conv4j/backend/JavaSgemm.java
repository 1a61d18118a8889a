package org.conv4j.backend;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A cache-blocked single-precision GEMM in plain Java whose inner loop the C2 JIT vectorises:
 * {@code C[M x N] = A[M x K] * B[K x N]}, M = filters of a group, K = the reduction (C/groups)*R*S,
 * N = the columns of one band of output rows.
 *
 * <p>Layouts. A is packed once per call into blocks of {@link #MR} rows and pairs of reduction indices;
 * M is padded to a multiple of {@link #MR} and K to a multiple of 2 with zero weights (the matching B row
 * is a zero row, so padding adds exact zeros). B and C are arrays of row arrays ({@code b[k][j]},
 * {@code c[i][j]}): C2 (JDK 17) vectorises the micro-kernel only when every row it touches is a distinct
 * array parameter; rows inside one array at different offsets defeat its alias analysis.
 *
 * <p>Summation order. Every output {@code c[i][j]} accumulates its terms in the same order, k = 0, 1, ...,
 * two per fused multiply-add chain, whatever the blocking, the band and the thread: results do not depend
 * on how the columns are split. {@link Math#fma} rounds once per term in scalar and vector code alike.
 */
final class JavaSgemm {
    /** Rows of C per micro-kernel call (register block). */
    static final int MR = 4;
    /** Reduction indices per cache block: a KC x NC block of B stays in L2 while every row block of A passes. */
    static final int KC = 256;
    /** Columns per cache block; the MR rows of C it touches stay in L1. */
    static final int NC = 512;

    private JavaSgemm() {
    }

    /** M rounded up to a multiple of {@link #MR}. */
    static long paddedRows(long m) {
        return (m + MR - 1) / MR * MR;
    }

    /** K rounded up to a multiple of 2. */
    static long paddedReduction(long k) {
        return (k + 1) / 2 * 2;
    }

    /**
     * Packs {@code A[i][k] = w[wBase + i*k + kk]} (i < m, kk < k; row-major KCRS weights of one group) into
     * {@code ap[apBase + ((i/MR) * kPad/2 + kk/2) * 2*MR + (i%MR)*2 + kk%2]}, zeros in the padding.
     * Each weight row is fetched from off-heap memory with one bulk get into {@code row} (length >= k).
     */
    static void packA(FloatBuffer w, int wBase, int m, int k, float[] row, float[] ap, int apBase) {
        final int mPad = (int) paddedRows(m), kPad = (int) paddedReduction(k);
        Arrays.fill(ap, apBase, apBase + mPad * kPad, 0f);
        for (int i = 0; i < m; i++) {
            final int block = apBase + (i / MR) * kPad * MR + (i % MR) * 2;
            w.get(wBase + i * k, row, 0, k);
            for (int kk = 0; kk < k; kk++) ap[block + (kk / 2) * 2 * MR + kk % 2] = row[kk];
        }
    }

    /**
     * {@code c[i][j] = sum_kk A[i][kk] * b[kk][j]} for i < mPad, j < n, kk < kPad (overwrites c):
     * blocks of NC columns, then KC reduction indices, then MR rows, then pairs of reduction indices.
     * {@code b} has kPad rows (a zero last row when K is odd), {@code c} mPad rows, all of length >= n.
     */
    static void multiply(float[] ap, int apBase, int mPad, int kPad, float[][] b, int n, float[][] c) {
        for (int i = 0; i < mPad; i++) Arrays.fill(c[i], 0, n, 0f);
        for (int j0 = 0; j0 < n; j0 += NC) {
            final int j1 = Math.min(n, j0 + NC);
            for (int k0 = 0; k0 < kPad; k0 += KC) {
                final int k1 = Math.min(kPad, k0 + KC);
                for (int i = 0; i < mPad; i += MR) {
                    final float[] c0 = c[i], c1 = c[i + 1], c2 = c[i + 2], c3 = c[i + 3];
                    int a = apBase + i * kPad + k0 * MR;
                    for (int kk = k0; kk < k1; kk += 2, a += 2 * MR) {
                        kernel4x2(ap, a, b[kk], b[kk + 1], j0, j1, c0, c1, c2, c3);
                    }
                }
            }
        }
    }

    /**
     * The micro-kernel: {@code c_t[j] += A[t][0] * b0[j] + A[t][1] * b1[j]} (two chained FMAs) for
     * t < 4, j in [j0, j1), with {@code A[t][u] = ap[a + 2t + u]}. Six distinct row arrays, eight
     * loop-invariant scalars: the shape C2 turns into 256-bit vector FMAs (measured; 4x1 and 2x4 shapes
     * vectorise less well or not at all, and 4x3 or 8x1 not at all).
     */
    private static void kernel4x2(float[] ap, int a, float[] b0, float[] b1, int j0, int j1,
                                  float[] c0, float[] c1, float[] c2, float[] c3) {
        final float a00 = ap[a], a01 = ap[a + 1], a10 = ap[a + 2], a11 = ap[a + 3];
        final float a20 = ap[a + 4], a21 = ap[a + 5], a30 = ap[a + 6], a31 = ap[a + 7];
        for (int j = j0; j < j1; j++) {
            final float x0 = b0[j], x1 = b1[j];
            c0[j] = Math.fma(a01, x1, Math.fma(a00, x0, c0[j]));
            c1[j] = Math.fma(a11, x1, Math.fma(a10, x0, c1[j]));
            c2[j] = Math.fma(a21, x1, Math.fma(a20, x0, c2[j]));
            c3[j] = Math.fma(a31, x1, Math.fma(a30, x0, c3[j]));
        }
    }
}
