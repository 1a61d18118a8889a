package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The native direct depthwise path (native/src/depthwise.cpp: blocks of output columns, vectorised per
 * CPU) against the reference: rows wider than one block, every border, strides, dilation, epilogues,
 * and the zero border's {@code w * 0} term.
 */
class DepthwisePathTest {
    @Test
    void rowsWiderThanOneBlockAreBitExactOnIntegerData() {
        Conv2dBackend nat = Run.backend("native");
        SplittableRandom rnd = new SplittableRandom(4);
        String[] epilogues = {"", "_relu", "_sum_clamp-3:40"};
        for (Border border : Border.values()) {
            for (int stride = 1; stride <= 2; stride++) {
                for (int dil = 1; dil <= 2; dil++) {
                    String text = "n2c3h9w150k6r3s5sh" + stride + "sw" + stride + "pt2pl3pb1pr4dh" + dil + "dw" + dil + "g3b1"
                            + (border == Border.ZERO ? "" : "_" + border.label()) + epilogues[(stride + dil) % 3];
                    Conv2dProblem p = Conv2dProblem.parse(text);
                    assertEquals(Algorithm.DEPTHWISE, p.algorithm(), text);
                    float[] yIn = p.epilogue().sum() ? RandomProblems.integers(rnd, p.outputElements(), 20) : null;
                    FidelityReport rep = Fidelity.check(p, nat, RandomProblems.integers(rnd, p.inputElements(), 8),
                            RandomProblems.integers(rnd, p.weightElements(), 4), RandomProblems.integers(rnd, p.k(), 9), yIn);
                    assertEquals(rep.elements(), rep.bitIdentical(), () -> "integer data must be bit-exact: " + rep);
                }
            }
        }
    }

    @Test
    void infiniteWeightTimesZeroBorderIsNaNOnBothBackends() {
        // 2 channels of ones, 3x3 kernel of ones but w[0][0] = +Inf, zero pad 1: output (0,0) reads the pad
        // with the Inf tap (Inf * 0 = NaN); output (1,1) reads input 1 there (Inf). Width 3 takes the
        // scalar columns, width 40 the vector rows (a whole zero row above row 0).
        for (int width : new int[] {3, 40}) {
            Conv2dProblem p = Conv2dProblem.parse("n1c2h3w" + width + "k2r3s3pt1pl1pb1pr1g2");
            float[] x = new float[(int) p.inputElements()];
            java.util.Arrays.fill(x, 1f);
            float[] w = new float[18];
            java.util.Arrays.fill(w, 1f);
            w[0] = Float.POSITIVE_INFINITY;
            float[] ref = Run.forward("reference", p, x, w, null);
            float[] nat = Run.forward("native", p, x, w, null);
            assertTrue(Float.isNaN(ref[0]) && Float.isNaN(ref[width - 1]) && ref[width + 1] == Float.POSITIVE_INFINITY, () -> p + " reference " + java.util.Arrays.toString(ref));
            for (int i = 0; i < ref.length; i++) {
                assertEquals(ref[i], nat[i], 0f, p + " index " + i);
            }
        }
    }
}
