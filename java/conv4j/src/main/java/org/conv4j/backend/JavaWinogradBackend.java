package org.conv4j.backend;

import org.conv4j.ConstantWeightPlan;
import org.conv4j.Conv2dBackend;
import org.conv4j.Conv2dPlan;
import org.conv4j.Conv2dProblem;
import org.conv4j.Tensor;
import org.conv4j.Winograd;

/**
 * One Winograd variant in plain Java ({@link JavaWinogradPlan}), on the calling thread. It runs only the
 * problems {@link Winograd#applies} accepts (3x3, stride 1, dilation 1, {@link org.conv4j.Precision#FAST});
 * every padding, border, group count, mode and epilogue. Stateless and thread-safe; plans are not.
 */
public final class JavaWinogradBackend implements Conv2dBackend {
    private final Winograd variant;

    public JavaWinogradBackend(Winograd variant) {
        if (variant == null) throw new IllegalArgumentException("Winograd variant must not be null");
        this.variant = variant;
    }

    /** {@code java-winograd-f2} or {@code java-winograd-f4}. */
    @Override
    public String name() {
        return "java-" + variant.label();
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public Winograd winograd(Conv2dProblem problem) {
        return variant;
    }

    /** Per-call plan: transforms the weights on every call into the plan's own buffer. */
    @Override
    public Conv2dPlan plan(Conv2dProblem problem) {
        requireApplicable(problem, variant);
        JavaIm2colGemmBackend.checkIndexable(problem);
        return new Conv2dPlan(problem) {
            private final JavaWinogradPlan plan = new JavaWinogradPlan(problem, variant);

            @Override
            protected void compute(Tensor x, Tensor w, Tensor bias, Tensor y) {
                plan.loadWeights(w.pointer().asBuffer(), bias == null ? null : bias.pointer().asBuffer());
                plan.run(x.pointer().asBuffer(), y.pointer().asBuffer());
            }
        };
    }

    /** The weights transformed once, here; a call runs only the input transform, the GEMMs and the output transform. */
    @Override
    public ConstantWeightPlan plan(Conv2dProblem problem, Tensor weights, Tensor bias) {
        requireApplicable(problem, variant);
        JavaIm2colGemmBackend.checkIndexable(problem);
        return new ConstantWeightPlan(problem, weights, bias) {
            private final JavaWinogradPlan plan = new JavaWinogradPlan(problem, variant);

            {
                plan.loadWeights(weights.pointer().asBuffer(), bias == null ? null : bias.pointer().asBuffer());
            }

            @Override
            protected void compute(Tensor x, Tensor y) {
                plan.run(x.pointer().asBuffer(), y.pointer().asBuffer());
            }
        };
    }

    /** {@link IllegalArgumentException} naming the problem and the conditions when {@code variant} cannot run it. */
    static void requireApplicable(Conv2dProblem problem, Winograd variant) {
        if (!Winograd.applies(problem)) {
            throw new IllegalArgumentException(variant.label() + " cannot run " + problem + ": it needs a 3x3 kernel,"
                    + " stride 1, dilation 1 and precision fast (got " + problem.r() + "x" + problem.s() + ", stride "
                    + problem.strideH() + "," + problem.strideW() + ", dilation " + problem.dilationH() + ","
                    + problem.dilationW() + ", precision " + problem.precision().label() + ")");
        }
    }
}
