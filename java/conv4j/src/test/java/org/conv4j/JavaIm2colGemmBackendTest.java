package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.bytedeco.javacpp.Pointer;
import org.conv4j.backend.JavaIm2colGemmBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pure-Java im2col + GEMM backend against the reference, across thread counts. */
class JavaIm2colGemmBackendTest {
    private static final JavaIm2colGemmBackend[] BY_THREADS = {
        new JavaIm2colGemmBackend(1), new JavaIm2colGemmBackend(2), new JavaIm2colGemmBackend(3)};

    /**
     * Shapes past the GEMM's blocking: reduction above 2*KC, bands wider than NC columns, K odd and
     * filters per group not a multiple of 4, groups, strides, dilation, direct 1x1 with odd C, depthwise
     * with a multiplier, many small bands, N > 1.
     */
    static final String[] LARGE = {
        "n1c64h23w29k13r3s3pt1pl1pb1pr1b1",
        "n2c33h40w17k6r3s2sh2sw1pt0pl1pb2pr0dh2dw1g3b1",
        "n1c301h30w30k7r1s1b1",
        "n1c8h50w50k16r5s5pt2pl2pb2pr2g8b1_conv",
        "n3c5h31w37k9r7s3sh3sw2pt3pl1pb0pr1b0",
        "n1c128h12w12k20r3s3pt1pl1pb1pr1dh1dw1g2b1",
    };

    private static float[][] data(Conv2dProblem p, SplittableRandom rnd, boolean integer) {
        float[] x = integer ? RandomProblems.integers(rnd, p.inputElements(), 8) : RandomProblems.gaussian(rnd, p.inputElements());
        float[] w = integer ? RandomProblems.integers(rnd, p.weightElements(), 4) : RandomProblems.gaussian(rnd, p.weightElements());
        float[] b = !p.hasBias() ? null : integer ? RandomProblems.integers(rnd, p.k(), 16) : RandomProblems.gaussian(rnd, p.k());
        return new float[][] {x, w, b};
    }

    private static void checkAgainstReference(Conv2dProblem p, Conv2dBackend backend, float[][] d, boolean integer) {
        FidelityReport rep = Fidelity.check(p, backend, d[0], d[1], d[2]);
        assertTrue(rep.withinBound(), () -> rep + " worst at flat index " + rep.worstIndex());
        if (integer) assertEquals(rep.elements(), rep.bitIdentical(), () -> "integer data must be bit-exact: " + rep);
    }

    @Test
    void withinBoundOnRandomProblems() {
        SplittableRandom rnd = new SplittableRandom(20261127);
        for (int i = 0; i < 2_000; i++) {
            Conv2dProblem p = RandomProblems.next(rnd);
            boolean integer = i % 2 == 0;
            checkAgainstReference(p, BY_THREADS[i % BY_THREADS.length], data(p, rnd, integer), integer);
        }
    }

    @Test
    void withinBoundOnShapesPastTheBlocking() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (String s : LARGE) {
            Conv2dProblem p = Conv2dProblem.parse(s);
            for (boolean integer : new boolean[] {true, false}) {
                checkAgainstReference(p, BY_THREADS[1], data(p, rnd, integer), integer);
            }
        }
        Conv2dProblem manyBands = Conv2dProblem.builder().input(2, 24, 33, 21).filters(10, 3, 3).pad(1, 1, 1, 1)
                .bias(true).workspaceLimitBytes(24 * 9 * 21 * 4 * 2).build();
        // DIRECT_BLOCKED chosen, with bands of 7 rows; the Java backend runs it as im2col in bands of 2
        assertEquals(Algorithm.DIRECT_BLOCKED, manyBands.algorithm());
        assertEquals(7, manyBands.tileRows(), manyBands::toString);
        assertEquals(2, manyBands.withAlgorithm(Algorithm.IM2COL_GEMM).tileRows(), manyBands::toString);
        checkAgainstReference(manyBands, BY_THREADS[2], data(manyBands, rnd, true), true);
    }

    /** Every output is summed in one fixed order, so any data gives the same bits on any thread count. */
    @Test
    void threadCountsGiveIdenticalBits() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 300 + LARGE.length; i++) {
            Conv2dProblem p = i < LARGE.length ? Conv2dProblem.parse(LARGE[i]) : RandomProblems.next(rnd);
            float[][] d = data(p, rnd, i % 2 == 1);
            float[] one = Run.forward(BY_THREADS[0], p, d[0], d[1], d[2]);
            for (int t = 1; t < BY_THREADS.length; t++) {
                float[] many = Run.forward(BY_THREADS[t], p, d[0], d[1], d[2]);
                for (int j = 0; j < one.length; j++) {
                    if (Float.floatToRawIntBits(one[j]) != Float.floatToRawIntBits(many[j])) {
                        throw new AssertionError(p + " with " + (t + 1) + " threads differs from 1 thread at flat index "
                                + j + ": " + many[j] + " vs " + one[j]);
                    }
                }
            }
        }
    }

    @Test
    void repeatedPlansDoNotGrowOffHeapMemory() {
        Conv2dProblem[] problems = {
            Conv2dProblem.parse("n2c4h9w7k6r3s2sh2sw1pt1pl0pb2pr1dh1dw2g2b1"),
            Conv2dProblem.parse("n1c8h6w6k8r3s3pt1pl1pb1pr1g8b1"),
            Conv2dProblem.parse("n1c16h5w5k4r1s1"),
        };
        for (int round = 0; round < 2; round++) {
            long before = Pointer.totalBytes();
            for (int i = 0; i < 3_000; i++) {
                Conv2dProblem p = problems[i % problems.length];
                try (Tensor x = Tensor.zeros(p.inputShape()); Tensor w = Tensor.zeros(p.weightShape());
                     Tensor b = p.hasBias() ? Tensor.zeros(p.biasShape()) : null;
                     Conv2dPlan plan = BY_THREADS[1].plan(p); Tensor y = plan.forward(x, w, b)) {
                    assertTrue(y.size() > 0);
                }
            }
            long grown = Pointer.totalBytes() - before;
            if (round == 1) assertEquals(0, grown, "JavaCPP-tracked bytes grew by " + grown);
        }
    }

    @Test
    void closedPlanRejectsForward() {
        Conv2dProblem p = Conv2dProblem.parse("n1c2h4w4k2r3s3");
        Conv2dPlan plan = BY_THREADS[0].plan(p);
        plan.close();
        try (Tensor x = Tensor.zeros(p.inputShape()); Tensor w = Tensor.zeros(p.weightShape())) {
            assertThrows(IllegalStateException.class, () -> plan.forward(x, w, null));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -3})
    void rejectsThreadCountBelowOne(int threads) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new JavaIm2colGemmBackend(threads));
        assertTrue(e.getMessage().contains("got " + threads), e.getMessage());
    }

    @Test
    void isRegisteredAsJava() {
        assertSame(Backends.javaBackend(), Backends.byName("java"));
        assertTrue(Backends.all().contains(Backends.javaBackend()));
        assertEquals(Backends.nativeBackend().isAvailable() ? "native" : "java", Backends.best().name());
    }
}
