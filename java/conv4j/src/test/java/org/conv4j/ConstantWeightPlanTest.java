package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Plans with constant weights against per-call plans on the same backend: bit for bit on every path
 * (forced where more than one applies), independent of the caller's weight tensor after planning, and
 * validated before anything is allocated.
 */
class ConstantWeightPlanTest {
    /** Shapes that reach every path: GEMM with groups, 1x1, depthwise with a multiplier, small reductions. */
    private static final String[] SHAPES = {
        "n2c4h9w8k6r3s3sh2pt1pl1pb1pr1g2b1_relu",
        "n2c8h5w7k6r1s1b1",
        "n2c4h7w9k8r3s3pt1pl1pb1pr1g4b1_reflect",
        "n1c3h11w21k10r3s3pt1pl1pb1pr1b1_sum",
        "n3c2h6w40k5r2s5dh2pt1pl2pb1pr2b0_conv_circular",
        "n1c4h8w30k12r3s3g2pt1pl1pb1pr1b1_clamp-1:2",
    };

    static Stream<String> backends() {
        return Stream.of("native", "java", "reference", "checked:native", "checked:java");
    }

    private static Conv2dBackend backend(String name) {
        return name.startsWith("checked:") ? Backends.checked(Run.backend(name.substring(8)), 1.0) : Run.backend(name);
    }

    /** Every shape with every path that applies to it, forced. */
    private static List<Conv2dProblem> problems() {
        List<Conv2dProblem> out = new ArrayList<>();
        for (String shape : SHAPES) {
            Conv2dProblem p = Conv2dProblem.parse(shape);
            for (Algorithm path : Algorithm.values()) {
                if (p.applies(path)) {
                    out.add(Conv2dProblem.parse(shape + "_alg-" + path.label()));
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("backends")
    void constantWeightResultsEqualPerCallResultsBitForBitOnEveryPath(String name) {
        Conv2dBackend b = backend(name);
        SplittableRandom rnd = new SplittableRandom(11);
        int paths = 0;
        for (Conv2dProblem p : problems()) {
            float[] x = RandomProblems.gaussian(rnd, p.inputElements()), w = RandomProblems.gaussian(rnd, p.weightElements());
            float[] bias = p.hasBias() ? RandomProblems.gaussian(rnd, p.k()) : null;
            float[] residual = RandomProblems.gaussian(rnd, p.outputElements());
            try (Tensor tx = Tensor.of(x, p.inputShape()); Tensor tw = Tensor.of(w, p.weightShape());
                 Tensor tb = bias == null ? null : Tensor.of(bias, p.biasShape());
                 Tensor perCall = Tensor.of(residual, p.outputShape()); Tensor constant = Tensor.of(residual, p.outputShape());
                 Conv2dPlan plan = b.plan(p); ConstantWeightPlan fixed = b.plan(p, tw, tb)) {
                plan.forward(tx, tw, tb, perCall);
                fixed.forward(tx, constant);
                assertBitEqual(p, perCall.toArray(), constant.toArray());
                paths++;
            }
        }
        assertTrue(paths > SHAPES.length, "forced paths were tried: " + paths);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theCallersWeightsMayChangeOrCloseAfterPlanning(String name) {
        Conv2dBackend b = backend(name);
        SplittableRandom rnd = new SplittableRandom(12);
        for (Conv2dProblem p : problems()) {
            if (p.epilogue().sum()) continue;
            float[] x = RandomProblems.gaussian(rnd, p.inputElements()), w = RandomProblems.gaussian(rnd, p.weightElements());
            float[] bias = p.hasBias() ? RandomProblems.gaussian(rnd, p.k()) : null;
            float[] expected = Run.forward(b, p, x, w, bias);
            Tensor tw = Tensor.of(w, p.weightShape()), tb = bias == null ? null : Tensor.of(bias, p.biasShape());
            try (Tensor tx = Tensor.of(x, p.inputShape()); ConstantWeightPlan fixed = b.plan(p, tw, tb)) {
                tw.copyFrom(RandomProblems.gaussian(rnd, p.weightElements()));
                if (tb != null) tb.copyFrom(new float[(int) p.k()]);
                try (Tensor y = fixed.forward(tx)) {
                    assertBitEqual(p, expected, y.toArray());
                }
                tw.close();
                if (tb != null) tb.close();
                try (Tensor y = fixed.forward(tx)) {
                    assertBitEqual(p, expected, y.toArray());
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void rejectsWeightsOrBiasThatDoNotFitBeforeAllocatingAnything(String name) {
        Conv2dBackend b = backend(name);
        Conv2dProblem p = Conv2dProblem.parse("n1c4h6w6k6r3s3g2b1"), noBias = Conv2dProblem.parse("n1c4h6w6k6r3s3g2b0");
        try (Tensor w = Tensor.zeros(p.weightShape()); Tensor wrong = Tensor.zeros(6, 4, 3, 3);
             Tensor bias = Tensor.zeros(p.biasShape()); Tensor shortBias = Tensor.zeros(5)) {
            Tensor closed = Tensor.zeros(p.weightShape());
            closed.close();
            long tracked = Pointer.totalBytes();
            assertRejected("weight tensor has shape [6, 4, 3, 3] but problem " + p + " needs [6, 2, 3, 3]",
                    () -> b.plan(p, wrong, bias));
            assertRejected("weight tensor is null", () -> b.plan(p, null, bias));
            assertRejected("closed", () -> b.plan(p, closed, bias));
            assertRejected("bias tensor is null; problem " + p + " needs [6]", () -> b.plan(p, w, null));
            assertRejected("bias tensor has shape [5]", () -> b.plan(p, w, shortBias));
            assertRejected("bias given but problem " + noBias + " has none", () -> b.plan(noBias, w, bias));
            assertEquals(tracked, Pointer.totalBytes(), "nothing allocated off-heap before the checks failed");
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void forwardValidatesTheInputAndOutputAndAClosedPlanRefuses(String name) {
        Conv2dBackend b = backend(name);
        Conv2dProblem p = Conv2dProblem.parse("n2c1h4w4k1r3s3_sum");
        try (Tensor w = Tensor.zeros(p.weightShape()); Tensor x = Tensor.zeros(p.inputShape());
             Tensor y = Tensor.zeros(p.outputShape()); Tensor wrongX = Tensor.zeros(1, 1, 4, 4)) {
            ConstantWeightPlan fixed = b.plan(p, w, null);
            assertRejected("input tensor has shape [1, 1, 4, 4]", () -> fixed.forward(wrongX, y));
            assertRejected("output tensor is null", () -> fixed.forward(x, null));
            assertRejected("epilogue sum", () -> fixed.forward(x));
            fixed.forward(x, y);
            fixed.close();
            fixed.close(); // idempotent
            assertThrows(IllegalStateException.class, () -> fixed.forward(x, y));
        }
    }

    private static void assertRejected(String expected, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static void assertBitEqual(Conv2dProblem p, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(p + ": element " + i + " per-call " + expected[i] + " but constant-weight " + actual[i]);
            }
        }
    }
}
