package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Native vs reference over seeded random problems. */
class DifferentialTest {
    static final int PROBLEMS = 2_000;

    @Test
    void nativeWithinBoundOnRandomProblems() {
        Conv2dBackend nat = Run.backend("native");
        SplittableRandom rnd = new SplittableRandom(20261126);
        for (int i = 0; i < PROBLEMS; i++) {
            Conv2dProblem p = RandomProblems.next(rnd);
            boolean integer = i % 2 == 0;
            float[] x = integer ? RandomProblems.integers(rnd, p.inputElements(), 8) : RandomProblems.gaussian(rnd, p.inputElements());
            float[] w = integer ? RandomProblems.integers(rnd, p.weightElements(), 4) : RandomProblems.gaussian(rnd, p.weightElements());
            float[] b = !p.hasBias() ? null : integer ? RandomProblems.integers(rnd, p.k(), 16) : RandomProblems.gaussian(rnd, p.k());
            float[] yIn = !p.epilogue().sum() ? null : integer ? RandomProblems.integers(rnd, p.outputElements(), 50)
                    : RandomProblems.gaussian(rnd, p.outputElements());
            FidelityReport rep = Fidelity.check(p, nat, x, w, b, yIn);
            assertTrue(rep.withinBound(), () -> "case " + " " + rep + " worst at flat index " + rep.worstIndex());
            if (integer) {
                assertEquals(rep.elements(), rep.bitIdentical(), () -> "integer data must be bit-exact: " + rep);
            }
        }
    }

    @Test
    void convolutionEqualsCorrelationWithRotatedKernel() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 300; i++) {
            Conv2dProblem conv = RandomProblems.next(rnd);
            if (conv.mode() != Mode.CONVOLUTION) continue;
            Conv2dProblem corr = Conv2dProblem.parse(conv.toString().replace("_conv", ""));
            float[] x = RandomProblems.integers(rnd, conv.inputElements(), 9);
            float[] w = RandomProblems.integers(rnd, conv.weightElements(), 9);
            float[] rotated = new float[w.length];
            int rs = (int) (conv.r() * conv.s());
            for (int f = 0; f < w.length / rs; f++) {
                for (int j = 0; j < rs; j++) rotated[f * rs + j] = w[f * rs + rs - 1 - j];
            }
            float[] b = conv.hasBias() ? RandomProblems.integers(rnd, conv.k(), 5) : null;
            if (conv.epilogue().sum()) continue;
            for (String backend : Run.backends().toArray(String[]::new)) {
                float[] a = Run.forward(backend, conv, x, w, b);
                float[] e = Run.forward(backend, corr, x, rotated, b);
                org.junit.jupiter.api.Assertions.assertArrayEquals(e, a, 0f, backend + " " + conv);
            }
        }
    }
}
