package org.conv4j.bench;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

import java.util.SplittableRandom;
import org.bytedeco.javacpp.FloatPointer;
import org.conv4j.Conv2dProblem;

/**
 * The bare OpenBLAS sgemm of a problem's GEMM shapes, without im2col, bias or epilogue: per image n
 * and group g, {@code Y[n,g][M x N] = W_g[M x K] * B[K x N]} with {@code M = K/groups} (filters per group),
 * {@code N = P*Q}, {@code K = (C/groups)*R*S} (the reduction), all from the descriptor. {@code B} stands for the
 * whole column matrix of one image and group (one buffer shared by all, filled once). Its time is what
 * the GEMM alone costs; conv time over it is the price of im2col and the epilogue.
 * Views are built once, so {@link #run()} allocates nothing.
 */
final class BareSgemm implements AutoCloseable {
    private final int m, n, k;
    private final FloatPointer col;
    private final FloatPointer[] a, c;

    BareSgemm(Workload wl) {
        Conv2dProblem pr = wl.problem;
        m = Math.toIntExact(pr.kPerGroup());
        n = Math.toIntExact(pr.p() * pr.q());
        k = Math.toIntExact(pr.reduction());
        col = new FloatPointer((long) k * n);
        fill(col, (long) k * n, new SplittableRandom(Workload.SEED + 1));
        int count = Math.toIntExact(pr.n() * pr.groups());
        a = new FloatPointer[count];
        c = new FloatPointer[count];
        FloatPointer w = wl.w.pointer(), y = wl.y.pointer();
        for (int img = 0; img < pr.n(); img++) {
            for (int g = 0; g < pr.groups(); g++) {
                int i = Math.toIntExact(img * pr.groups() + g);
                a[i] = new FloatPointer(w).position((long) g * m * k);
                c[i] = new FloatPointer(y).position(((long) img * pr.groups() + g) * m * n);
            }
        }
    }

    private static void fill(FloatPointer p, long count, SplittableRandom rnd) {
        float[] chunk = new float[1 << 16];
        for (long off = 0; off < count; off += chunk.length) {
            int len = (int) Math.min(chunk.length, count - off);
            for (int i = 0; i < len; i++) chunk[i] = (float) (rnd.nextDouble() * 2 - 1);
            p.position(off).put(chunk, 0, len);
        }
        p.position(0);
    }

    /** One GEMM per image and group. */
    void run() {
        for (int i = 0; i < a.length; i++) {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1f, a[i], k, col, n, 0f, c[i], n);
        }
    }

    @Override
    public void close() {
        col.close();
    }
}
