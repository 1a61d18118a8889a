package org.conv4j.backend;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.conv4j.ConstantWeightPlan;
import org.conv4j.Conv2dBackend;
import org.conv4j.Conv2dPlan;
import org.conv4j.Conv2dProblem;
import org.conv4j.Tensor;
import org.conv4j.Winograd;
import org.conv4j.jni.Conv4jNative;

/**
 * One Winograd variant in native code ({@code native/src/winograd.cpp}): input transform, {@code alpha^2}
 * GEMMs per group and block of tiles (the library's own vector kernel, over weights packed for it), output
 * transform with the epilogue fused. Runs only
 * what {@link Winograd#applies} accepts. Threads as {@link NativeIm2colGemmBackend}: work items
 * ({@link Winograd#workItems(Conv2dProblem, int)}) over the native pool, OpenBLAS held at 1 thread when more than one is used.
 *
 * <p>Memory, all allocated when the plan is made, none per call: the transformed weights
 * ({@link Winograd#transformedWeightElements}, {@code alpha^2 G Kp C/G} floats, Kp = K/G rounded up to a multiple
 * of {@link Winograd#K_BLOCK}: 16/9 of the weights for F(2,3), 4x for F(4,3)) and one workspace per participant
 * ({@link Winograd#workspacePerThread(Conv2dProblem, int)}: at most {@code Winograd.MAX_TILES} tiles and
 * {@link Winograd#BLOCK_BYTES} or 16 tiles, whichever is larger). A per-call plan transforms the weights on every call into its
 * own buffer; a constant-weight plan once. Stateless and thread-safe; plans are not.
 */
public final class NativeWinogradBackend implements Conv2dBackend {
    private final Winograd variant;
    private final int threads;

    /** All the processors this JVM sees. */
    public NativeWinogradBackend(Winograd variant) {
        this(variant, Runtime.getRuntime().availableProcessors());
    }

    public NativeWinogradBackend(Winograd variant, int threads) {
        if (variant == null) throw new IllegalArgumentException("Winograd variant must not be null");
        if (threads < 1) throw new IllegalArgumentException("native backend threads must be >= 1, got " + threads);
        this.variant = variant;
        this.threads = threads;
    }

    /** {@code native-winograd-f2} or {@code native-winograd-f4}. */
    @Override
    public String name() {
        return "native-" + variant.label();
    }

    @Override
    public boolean isAvailable() {
        return NativeLibrary.isAvailable();
    }

    @Override
    public Winograd winograd(Conv2dProblem problem) {
        return variant;
    }

    @Override
    public Conv2dPlan plan(Conv2dProblem problem) {
        Native n = open(problem);
        return new Conv2dPlan(problem) {
            @Override
            protected void compute(Tensor x, Tensor w, Tensor bias, Tensor y) {
                Conv4jNative.conv4j_winograd_transform_weights(n.desc, variant.m(), w.pointer(), n.u);
                n.run(x, bias == null ? null : bias.pointer(), y);
            }

            @Override
            protected void release() {
                n.close();
            }
        };
    }

    @Override
    public ConstantWeightPlan plan(Conv2dProblem problem, Tensor weights, Tensor bias) {
        JavaWinogradBackend.requireApplicable(problem, variant);
        return new ConstantWeightPlan(problem, weights, bias) {
            private final Native n = open(problem);
            private final FloatPointer b = copy(bias, n);

            {
                Conv4jNative.conv4j_winograd_transform_weights(n.desc, variant.m(), weights.pointer(), n.u);
            }

            @Override
            protected void compute(Tensor x, Tensor y) {
                n.run(x, b, y);
            }

            @Override
            protected void release() {
                n.close();
                if (b != null) b.close();
            }
        };
    }

    private static FloatPointer copy(Tensor bias, Native n) {
        if (bias == null) return null;
        FloatPointer b = new AlignedFloats(bias.size());
        if (b.isNull()) {
            n.close();
            throw new OutOfMemoryError("cannot allocate a bias of " + bias.size() + " floats");
        }
        Pointer.memcpy(b, bias.pointer(), bias.size() * 4);
        return b;
    }

    private Native open(Conv2dProblem pr) {
        JavaWinogradBackend.requireApplicable(pr, variant);
        checkIndexable(pr);
        NativeLibrary.require();
        int workers = (int) Math.max(1, Math.min(threads, variant.workItems(pr, threads)));
        if (workers > 1) NativeLibrary.setOpenblasThreads(1);
        return new Native(pr, variant, workers, threads);
    }

    /** Workspaces, transformed weights and output planes fit what a tensor may hold. */
    private void checkIndexable(Conv2dProblem pr) {
        long[] sizes = {variant.transformedWeightElements(pr), variant.workspacePerThread(pr, threads), pr.p() * pr.q()};
        String[] names = {"transformed weights alpha^2*G*Kp*C/G", "workspace alpha^2*((C/G+Kp)*tiles+32)", "output plane P*Q"};
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] > Tensor.MAX_ELEMENTS) {
                throw new IllegalArgumentException("problem " + pr + ": " + names[i] + " = " + sizes[i]
                        + " floats exceeds what the native " + variant.label() + " path allocates (" + Tensor.MAX_ELEMENTS + ")");
            }
        }
    }

    /** The descriptor, transformed-weight buffer and workspaces of one plan. */
    private static final class Native implements AutoCloseable {
        final Conv4jNative.Problem desc;
        final FloatPointer u, workspace;
        private final Winograd variant;
        private final Conv2dProblem pr;

        /** {@code threads}: what the blocks are sized for; {@code workers}: the participants that run them. */
        Native(Conv2dProblem pr, Winograd variant, int workers, int threads) {
            this.pr = pr;
            this.variant = variant;
            long perThread = variant.workspacePerThread(pr, threads);
            desc = NativeIm2colGemmBackend.describe(pr, workers, variant.tilesPerBlock(pr, threads), perThread);
            u = new AlignedFloats(variant.transformedWeightElements(pr));
            workspace = new AlignedFloats(perThread * workers);
            if (u.isNull() || workspace.isNull()) {
                close();
                throw new OutOfMemoryError("cannot allocate the " + variant.label() + " weights and " + workers
                        + " workspaces of " + pr);
            }
        }

        void run(Tensor x, FloatPointer bias, Tensor y) {
            NativeIm2colGemmBackend.requireOk(Conv4jNative.conv4j_winograd_forward(desc, variant.m(), x.pointer(), u,
                    bias, y.pointer(), workspace), pr);
        }

        @Override
        public void close() {
            desc.close();
            u.close();
            workspace.close();
        }
    }
}
