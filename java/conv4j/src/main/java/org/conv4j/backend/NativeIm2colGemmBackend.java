package org.conv4j.backend;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.conv4j.Algorithm;
import org.conv4j.ConstantWeightPlan;
import org.conv4j.Conv2dBackend;
import org.conv4j.Conv2dPlan;
import org.conv4j.Conv2dProblem;
import org.conv4j.Mode;
import org.conv4j.Separable;
import org.conv4j.Tensor;
import org.conv4j.Winograd;
import org.conv4j.jni.Conv4jNative;

/**
 * The native backend: C++ im2col over bands of output rows plus OpenBLAS {@code sgemm}, a direct GEMM
 * for 1x1 stride-1 unpadded problems, a direct depthwise loop nest and a direct loop nest for small
 * reductions (native/src); the Winograd algorithms of {@link org.conv4j.Precision#FAST} through
 * {@link NativeWinogradBackend}.
 *
 * <p>Threads: a plan spreads its work items ({@link Conv2dProblem#workItems()}) over
 * {@code min(threads, workItems)} threads of one process-wide native pool (the calling thread plus helpers
 * that sleep between calls), each with its own im2col workspace; results are bit-identical for every
 * thread count. OpenBLAS is then held at 1 thread: planning with more than one thread calls
 * {@link NativeLibrary#setOpenblasThreads(int) setOpenblasThreads(1)}, which is process-wide (OpenBLAS has
 * one global setting), because OpenBLAS's spinning threads beside the pool's would oversubscribe the
 * cores (measured 3-60x slower on 2 cores). {@code new NativeIm2colGemmBackend(1)} leaves OpenBLAS's
 * setting alone and runs on the calling thread (and OpenBLAS's threads, if set).
 *
 * <p>Thread safety: the backend is stateless and thread-safe. A plan owns a workspace and is not: give
 * each Java thread its own plan; input, weight and bias tensors may be shared read-only. Tested with 8
 * threads x 1,000 calls and 200 threads at once beside OpenBLAS's own threads (results bit-identical to
 * sequential calls); the preset's OpenBLAS is built with MAX_THREADS=64 and, beyond that many callers,
 * warns and allocates auxiliary thread metadata rather than failing (OpenBLAS issues #539, #5958 describe
 * crashes of older or differently built OpenBLAS under many concurrent callers).
 */
public final class NativeIm2colGemmBackend implements Conv2dBackend {
    /** Largest GEMM dimension or leading dimension OpenBLAS's 32-bit {@code blasint} takes. */
    static final long MAX_BLAS_DIM = Integer.MAX_VALUE;

    private final int threads;

    /** All the processors this JVM sees ({@link Runtime#availableProcessors()}). */
    public NativeIm2colGemmBackend() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** At most {@code threads} threads per call (>= 1; see the class comment for OpenBLAS's threads). */
    public NativeIm2colGemmBackend(int threads) {
        if (threads < 1) throw new IllegalArgumentException("native backend threads must be >= 1, got " + threads);
        this.threads = threads;
    }

    /** The largest number of threads a plan of this backend uses. */
    public int threads() {
        return threads;
    }

    @Override
    public String name() {
        return "native";
    }

    @Override
    public boolean isAvailable() {
        return NativeLibrary.isAvailable();
    }

    @Override
    public Conv2dPlan plan(Conv2dProblem problem) {
        Winograd v = problem.algorithm().winograd();
        if (v != null) return new NativeWinogradBackend(v, threads).plan(problem);
        checkIndexable(problem);
        if (problem.algorithm() == Algorithm.SEPARABLE) return new SeparablePlan(problem, threads);
        return new Plan(problem, workers(problem, threads), true);
    }

    /**
     * The weights rearranged once by native code ({@code conv4j_prepare_weights}) into plan-owned memory:
     * a copy in KCRS order, which the GEMM and depthwise paths read as it is, and on the small-reduction
     * path also each group's filters transposed, which a per-call plan builds per band. Bias copied too.
     */
    @Override
    public ConstantWeightPlan plan(Conv2dProblem problem, Tensor weights, Tensor bias) {
        Winograd v = problem.algorithm().winograd();
        if (v != null) return new NativeWinogradBackend(v, threads).plan(problem, weights, bias);
        checkIndexable(problem);
        if (problem.algorithm() == Algorithm.SEPARABLE) return new ConstantSeparablePlan(problem, weights, bias, threads);
        return new ConstantPlan(problem, weights, bias, threads);
    }

    /** Loads the library and returns the threads a plan of {@code problem} uses (OpenBLAS set to 1 when > 1). */
    static int workers(Conv2dProblem problem, int threads) {
        NativeLibrary.require();
        int workers = (int) Math.max(1, Math.min(threads, problem.workItems()));
        if (workers > 1) NativeLibrary.setOpenblasThreads(1);
        return workers;
    }

    /** Floats of the prepared weights (conv4j.h): a KCRS copy, plus its per-group transpose on the small-reduction path. */
    static long preparedElements(Conv2dProblem pr) {
        if (pr.algorithm() == Algorithm.DIRECT_BLOCKED) {  // exact: checkIndexable bounds it first
            long kb = Algorithm.DIRECT_BLOCKED_K_BLOCK, kp = (pr.kPerGroup() + kb - 1) / kb * kb;
            return Math.multiplyExact(Math.multiplyExact(pr.groups(), kp), pr.reduction());
        }
        return pr.weightElements() * (pr.algorithm() == Algorithm.DIRECT_SMALL_REDUCTION ? 2 : 1);
    }

    /**
     * GEMM sizes must fit OpenBLAS's int arguments and the workspace of one band the int range; checked
     * before anything is allocated.
     */
    static void checkIndexable(Conv2dProblem pr) {
        long pq = pr.p() * pr.q(), hw = pr.h() * pr.w();
        long band = pr.tileRows() * pr.q();
        long[] dims = {pr.reduction(), pq, hw, band, pr.kPerGroup()};
        String[] names = {"reduction (C/groups)*R*S", "output plane P*Q", "input plane H*W",
                          "im2col band rows*Q", "filters per group"};
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] > MAX_BLAS_DIM) {
                throw new IllegalArgumentException("problem " + pr + ": " + names[i] + " = " + dims[i]
                        + " exceeds what the native backend can index (" + MAX_BLAS_DIM + ")");
            }
        }
        if (pr.algorithm() == Algorithm.DIRECT_BLOCKED && pr.weightElements() > Tensor.MAX_ELEMENTS / Algorithm.DIRECT_BLOCKED_K_BLOCK) {
            throw new IllegalArgumentException("problem " + pr + ": the packed filters of DIRECT_BLOCKED (up to "
                    + Algorithm.DIRECT_BLOCKED_K_BLOCK + " x the " + pr.weightElements()
                    + " weights) exceed what the native backend allocates (" + Tensor.MAX_ELEMENTS + ")");
        }
        if (pr.workspaceElements() > Tensor.MAX_ELEMENTS) {
            throw new IllegalArgumentException("problem " + pr + ": the im2col workspace of one band of "
                    + pr.tileRows() + " output row(s), (C/groups)*R*S*rows*Q = " + pr.workspaceElements()
                    + " floats, exceeds what the native backend allocates (" + Tensor.MAX_ELEMENTS + ")");
        }
    }

    /**
     * The native descriptor of {@code pr} for {@code workers} participants; {@code tileRows} and
     * {@code workspacePerThread} as the path reads them (conv4j.h, conv4j_winograd.h). Allocated: the caller closes it.
     */
    static Conv4jNative.Problem describe(Conv2dProblem pr, int workers, long tileRows, long workspacePerThread) {
        Conv4jNative.Problem desc = new Conv4jNative.Problem();
        desc.n(pr.n()).c(pr.c()).h(pr.h()).w(pr.w()).k(pr.k()).r(pr.r()).s(pr.s())
                .p(pr.p()).q(pr.q()).stride_h(pr.strideH()).stride_w(pr.strideW())
                .pad_top(pr.padTop()).pad_left(pr.padLeft()).dil_h(pr.dilationH()).dil_w(pr.dilationW())
                .groups(pr.groups()).c_per_group(pr.cPerGroup()).k_per_group(pr.kPerGroup())
                .reduction(pr.reduction()).tile_rows(tileRows)
                .bands(pr.schedule().bands()).work_items(pr.workItems())
                .threads(workers).workspace_per_thread(workspacePerThread)
                .flip(pr.mode() == Mode.CONVOLUTION ? 1 : 0).has_bias(pr.hasBias() ? 1 : 0)
                .path(NativeAbi.code(pr.algorithm())).border(NativeAbi.code(pr.border()))
                .epi_sum(pr.epilogue().sum() ? 1 : 0).activation(NativeAbi.code(pr.epilogue().activation()))
                .clamp_lo(pr.epilogue().lo()).clamp_hi(pr.epilogue().hi());
        return desc;
    }

    static void requireOk(int status, Conv2dProblem pr) {
        if (status != NativeAbi.OK) throw new IllegalStateException("native conv2d returned status " + status + " for " + pr);
    }

    /**
     * A per-call plan. On {@link Algorithm#DIRECT_BLOCKED} it also owns a buffer of packed filters, filled from the
     * call's weights once per call ({@code conv4j_prepare_weights}, then the prepared entry point) rather than per
     * band and filter block, as {@code conv4j_conv2d_forward} alone would.
     */
    private static final class Plan extends Conv2dPlan {
        private final Conv4jNative.Problem desc;
        private final FloatPointer workspace, packed;

        Plan(Conv2dProblem pr, int workers) {
            this(pr, workers, false);
        }

        /** packPerCall: allocate the packed-filter buffer (per-call plans on DIRECT_BLOCKED). */
        Plan(Conv2dProblem pr, int workers, boolean packPerCall) {
            super(pr);
            long rows = pr.schedule().tileRowsFor(workers), bands = (pr.p() + rows - 1) / rows;
            desc = describe(pr, workers, rows, pr.workspaceElements());
            if (rows != pr.tileRows()) desc.bands(bands).work_items(pr.n() * pr.groups() * bands);
            long ws = pr.workspaceElements(workers);
            workspace = ws > 0 ? new AlignedFloats(ws) : null;
            packed = packPerCall && pr.algorithm() == Algorithm.DIRECT_BLOCKED ? new AlignedFloats(preparedElements(pr)) : null;
            if ((workspace != null && workspace.isNull()) || (packed != null && packed.isNull())) {
                release();
                throw new OutOfMemoryError("cannot allocate the " + workers + " x " + pr.workspaceBytes()
                        + "-byte workspaces" + (packed != null ? " and " + preparedElements(pr) * 4 + " bytes of packed filters" : "")
                        + " of " + pr);
            }
        }

        @Override
        protected void compute(Tensor x, Tensor w, Tensor bias, Tensor y) {
            FloatPointer b = bias == null ? null : bias.pointer();
            if (packed != null) {
                Conv4jNative.conv4j_prepare_weights(desc, w.pointer(), packed);
                requireOk(Conv4jNative.conv4j_conv2d_forward_prepared(desc, x.pointer(), packed, b, y.pointer(),
                        workspace), problem());
            } else {
                requireOk(Conv4jNative.conv4j_conv2d_forward(desc, x.pointer(), w.pointer(), b, y.pointer(), workspace),
                        problem());
            }
        }

        @Override
        protected void release() {
            desc.close();
            if (workspace != null) workspace.close();
            if (packed != null) packed.close();
        }
    }

    private static final class ConstantPlan extends ConstantWeightPlan {
        private final Plan plan;
        private final FloatPointer prepared, bias;

        /** After the weight checks of {@link ConstantWeightPlan}: loads the library, allocates, prepares. */
        ConstantPlan(Conv2dProblem pr, Tensor weights, Tensor b, int threads) {
            super(pr, weights, b);
            plan = new Plan(pr, workers(pr, threads));
            try {
                prepared = new AlignedFloats(preparedElements(pr));
                bias = b == null ? null : new AlignedFloats(pr.k());
                if (prepared.isNull() || (bias != null && bias.isNull())) {
                    throw new OutOfMemoryError("cannot allocate the " + preparedElements(pr) * 4
                            + "-byte prepared weights of " + pr);
                }
            } catch (RuntimeException | Error e) {
                release();
                throw e;
            }
            Conv4jNative.conv4j_prepare_weights(plan.desc, weights.pointer(), prepared);
            if (bias != null) Pointer.memcpy(bias, b.pointer(), pr.k() * 4);
        }

        @Override
        protected void compute(Tensor x, Tensor y) {
            requireOk(Conv4jNative.conv4j_conv2d_forward_prepared(plan.desc, x.pointer(), prepared, bias,
                    y.pointer(), plan.workspace), problem());
        }

        @Override
        protected void release() {
            plan.close();
            if (prepared != null) prepared.close();
            if (bias != null) bias.close();
        }
    }

    /**
     * {@link Algorithm#SEPARABLE}: the weights factored per call ({@link Separable}) into plan-owned native
     * arrays, then {@code conv4j_conv2d_forward_separable}; weights of which no filter factors run the
     * fallback algorithm's plan.
     */
    private static final class SeparablePlan extends Conv2dPlan {
        private final Plan plan;
        private final int threads;
        private final FloatPointer verticalFactors, horizontalFactors;
        private final IntPointer vertical;
        /** The fallback algorithm's plan, made on the first call whose weights do not factor. */
        private Plan fallback;

        SeparablePlan(Conv2dProblem pr, int threads) {
            super(pr);
            this.threads = threads;
            plan = new Plan(pr, workers(pr, threads));
            verticalFactors = new AlignedFloats(pr.k() * pr.r());
            horizontalFactors = new AlignedFloats(pr.k() * pr.s());
            vertical = new IntPointer(pr.k());
            if (verticalFactors.isNull() || horizontalFactors.isNull() || vertical.isNull()) {
                release();
                throw new OutOfMemoryError("cannot allocate the separable factors of " + pr);
            }
        }

        /** Copies {@code f} into the native arrays the next {@link #run} reads. */
        void load(Separable f) {
            float[] u = f.verticalFactors();
            verticalFactors.put(u, 0, (int) Math.min(u.length, problem().k() * problem().r()));
            horizontalFactors.put(f.horizontalFactors());
            vertical.put(f.vertical());
        }

        void run(FloatPointer x, FloatPointer w, FloatPointer bias, FloatPointer y) {
            requireOk(Conv4jNative.conv4j_conv2d_forward_separable(plan.desc, x, w, verticalFactors, horizontalFactors,
                    vertical, bias, y, plan.workspace), problem());
        }

        @Override
        protected void compute(Tensor x, Tensor w, Tensor bias, Tensor y) {
            Separable f = Separable.of(problem(), w);
            if (f.separableFilters() == 0) {  // nothing to copy for the native pass: tiny calls pay only the analysis
                if (fallback == null) {
                    Conv2dProblem fb = problem().fallbackProblem();
                    fallback = new Plan(fb, workers(fb, threads), true);
                }
                fallback.compute(x, w, bias, y);
            } else {
                load(f);
                run(x.pointer(), w.pointer(), bias == null ? null : bias.pointer(), y.pointer());
            }
        }

        @Override
        protected void release() {
            plan.close();
            if (fallback != null) fallback.close();
            verticalFactors.close();
            horizontalFactors.close();
            vertical.close();
        }
    }

    /**
     * {@link SeparablePlan} with the weights factored once and copied (with the bias) into plan-owned memory;
     * weights of which no filter factors get the fallback algorithm's constant-weight plan.
     */
    private static final class ConstantSeparablePlan extends ConstantWeightPlan {
        private final SeparablePlan plan;
        private final ConstantPlan fallback;
        private final FloatPointer weights, bias;

        /** After the weight checks of {@link ConstantWeightPlan}: factors, then allocates and copies. */
        ConstantSeparablePlan(Conv2dProblem pr, Tensor w, Tensor b, int threads) {
            super(pr, w, b);
            Separable factors = Separable.of(pr, w);
            if (factors.separableFilters() == 0) {
                fallback = new ConstantPlan(pr.fallbackProblem(), w, b, threads);
                plan = null;
                weights = bias = null;
                return;
            }
            fallback = null;
            plan = new SeparablePlan(pr, threads);
            weights = new AlignedFloats(pr.weightElements());
            bias = b == null ? null : new AlignedFloats(pr.k());
            if (weights.isNull() || (bias != null && bias.isNull())) {
                release();
                throw new OutOfMemoryError("cannot allocate the " + pr.weightElements() * 4 + "-byte weights of " + pr);
            }
            Pointer.memcpy(weights, w.pointer(), pr.weightElements() * 4);
            if (bias != null) Pointer.memcpy(bias, b.pointer(), pr.k() * 4);
            plan.load(factors);
        }

        @Override
        protected void compute(Tensor x, Tensor y) {
            if (fallback != null) {
                fallback.forward(x, y);
            } else {
                plan.run(x.pointer(), weights, bias, y.pointer());
            }
        }

        @Override
        protected void release() {
            if (fallback != null) fallback.close();
            if (plan != null) plan.close();
            if (weights != null) weights.close();
            if (bias != null) bias.close();
        }
    }
}
