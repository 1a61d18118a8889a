package org.conv4j.backend;

import org.conv4j.Algorithm;
import org.conv4j.ConstantWeightPlan;
import org.conv4j.Conv2dBackend;
import org.conv4j.Conv2dPlan;
import org.conv4j.Conv2dProblem;
import org.conv4j.Tensor;
import org.conv4j.Winograd;

/**
 * The pure-Java backend written for speed: im2col over bands of output rows plus a cache-blocked GEMM
 * whose inner loop the C2 JIT vectorises ({@link JavaSgemm}), a band copy instead of im2col for 1x1
 * stride-1 unpadded problems, and a direct loop nest for depthwise problems. Runs wherever Java runs:
 * the fallback on platforms without native artifacts. Uses no OpenBLAS and no incubator module.
 *
 * <p>Threads: a fixed count of Java worker threads per backend instance (the caller plus
 * {@code threads - 1} daemon pool threads), splitting the work over images, groups and bands of output
 * rows. Every output is summed in the same order whatever the thread count, so results are bit-identical
 * for any number of threads. The default count is the system property {@value #THREADS_PROPERTY}, else
 * the available processors. Thread-safe (plans are not; see {@link Conv2dPlan}).
 */
public final class JavaIm2colGemmBackend implements Conv2dBackend {
    /** System property giving the default thread count of {@link #JavaIm2colGemmBackend()}. */
    public static final String THREADS_PROPERTY = "conv4j.java.threads";

    private final JavaWorkers workers;

    /** A backend with the default thread count (see the class comment). */
    public JavaIm2colGemmBackend() {
        this(defaultThreads());
    }

    /** A backend running each call on {@code threads} threads (>= 1; the caller counts as one). */
    public JavaIm2colGemmBackend(int threads) {
        workers = new JavaWorkers(threads);
    }

    private static int defaultThreads() {
        String v = System.getProperty(THREADS_PROPERTY);
        if (v == null || v.isBlank()) return Runtime.getRuntime().availableProcessors();
        try {
            int t = Integer.parseInt(v.trim());
            if (t >= 1) return t;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property " + THREADS_PROPERTY + " must be an integer >= 1, got '"
                + v + "'");
    }

    /** Worker threads per call, counting the caller. */
    public int threads() {
        return workers.threads();
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public Conv2dPlan plan(Conv2dProblem problem) {
        Winograd v = problem.algorithm().winograd();
        if (v != null) return new JavaWinogradBackend(v).plan(problem);
        return newPlan(problem);
    }

    private JavaPlan newPlan(Conv2dProblem problem) {
        if (problem.algorithm().javaImplementation() == Algorithm.SEPARABLE) return new JavaSeparablePlan(problem, workers);
        return new JavaIm2colGemmPlan(problem, workers);
    }

    /**
     * The weights loaded once: packed into the GEMM's panel layout (a heap copy for depthwise; factored for
     * the separable algorithm), then only run per call.
     */
    @Override
    public ConstantWeightPlan plan(Conv2dProblem problem, Tensor weights, Tensor bias) {
        Winograd v = problem.algorithm().winograd();
        if (v != null) return new JavaWinogradBackend(v).plan(problem, weights, bias);
        return new ConstantWeightPlan(problem, weights, bias) {
            private final JavaPlan plan = newPlan(problem);

            {
                plan.loadWeights(weights, bias);
            }

            @Override
            protected void compute(Tensor x, Tensor y) {
                plan.run(x, y);
            }

            @Override
            protected void release() {
                plan.close();
            }
        };
    }

    /** Largest padded input extent whose index arithmetic ({@code p*sh - pt + r*dh}) stays exact in int. */
    static final long MAX_PADDED_EXTENT = 1L << 30;

    /** Heap arrays and index arithmetic are int; checked before anything is allocated. */
    static void checkIndexable(Conv2dProblem pr) {
        long paddedH = pr.h() + pr.padTop() + pr.padBottom(), paddedW = pr.w() + pr.padLeft() + pr.padRight();
        long step = Math.max(Math.max(pr.strideH(), pr.strideW()), Math.max(pr.dilationH(), pr.dilationW()));
        if (paddedH > MAX_PADDED_EXTENT || paddedW > MAX_PADDED_EXTENT || step > MAX_PADDED_EXTENT) {
            throw new IllegalArgumentException("problem " + pr + ": padded input " + paddedH + "x" + paddedW
                    + " or a stride/dilation of " + step + " exceeds the java backend's 32-bit index range ("
                    + MAX_PADDED_EXTENT + " per axis); use the native or reference backend");
        }
        long kPad = JavaSgemm.paddedReduction(pr.reduction()), mPad = JavaSgemm.paddedRows(pr.kPerGroup());
        long[] sizes = {pr.tileRows() * pr.q(), kPad * mPad * pr.groups(), pr.h() * pr.w(), pr.p() * pr.q()};
        String[] names = {"band columns tileRows*Q", "packed weights (C/groups)*R*S*K (padded)",
                          "input plane H*W", "output plane P*Q"};
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("problem " + pr + ": " + names[i] + " = " + sizes[i]
                        + " exceeds what the java backend can index (" + (Integer.MAX_VALUE - 8) + ")");
            }
        }
    }
}
