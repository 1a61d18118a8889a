package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The native direct loop nest for small reductions (native/src/direct_small.cpp: register blocks of 4
 * filters x 2 column vectors, then 4 x 1, the last K mod 4 filters one at a time, scalar columns at the
 * borders and the row ends; blocks of 512 output columns) against the reference: random
 * small-channel problems over every border and epilogue, rows wider than one column block, and the zero
 * border's {@code w * 0} term. Integer data: bit-exact.
 */
class DirectSmallReductionPathTest {
    @Test
    void randomSmallChannelProblemsAreBitExactOnIntegerDataForEveryBorderAndEpilogue() {
        Conv2dBackend nat = Run.backend("native");
        SplittableRandom rnd = new SplittableRandom(80);
        String[] epilogues = {"", "_relu", "_clamp-3:40", "_sum", "_sum_relu"};
        int checked = 0;
        while (checked < 200) {
            int g = 1 + rnd.nextInt(2), cg = 1 + rnd.nextInt(4), kg = 1 + rnd.nextInt(20);
            int r = 1 + rnd.nextInt(5), s = 1 + rnd.nextInt(5);
            Border border = Border.values()[checked % Border.values().length];
            String text = "n" + (1 + rnd.nextInt(2)) + "c" + g * cg + "h" + (1 + rnd.nextInt(12)) + "w" + (1 + rnd.nextInt(70))
                    + "k" + g * kg + "r" + r + "s" + s + "sh" + (1 + rnd.nextInt(2)) + "sw1pt" + rnd.nextInt(3) + "pl"
                    + rnd.nextInt(3) + "pb" + rnd.nextInt(3) + "pr" + rnd.nextInt(3) + "dh" + (1 + rnd.nextInt(2))
                    + "dw" + (1 + rnd.nextInt(2)) + "g" + g + "b" + rnd.nextInt(2) + (rnd.nextInt(4) == 0 ? "_conv" : "")
                    + (border == Border.ZERO ? "" : "_" + border.label()) + epilogues[rnd.nextInt(epilogues.length)];
            Conv2dProblem p;
            try {
                p = Conv2dProblem.parse(text);
            } catch (IllegalArgumentException kernelLargerThanInput) {
                continue;
            }
            if (!p.applies(Algorithm.DIRECT_SMALL_REDUCTION)) continue;
            p = p.withAlgorithm(Algorithm.DIRECT_SMALL_REDUCTION); // where DIRECT_BLOCKED is chosen, forced
            checkBitExact(nat, p, rnd);
            checked++;
        }
    }

    @Test
    void rowsWiderThanOneColumnBlockAreBitExact() {
        Conv2dBackend nat = Run.backend("native");
        SplittableRandom rnd = new SplittableRandom(81);
        for (String text : new String[] {"n1c3h5w1100k19r3s3pt1pl1pb1pr1b1_relu", "n2c2h4w600k8r5s5pt2pl2pb2pr2b1_symmetric_sum",
                                         "n1c1h3w530k3r1s7pl3pr3b1_conv_circular"}) {
            Conv2dProblem p = Conv2dProblem.parse(text + "_alg-direct-small-reduction");
            assertEquals(Algorithm.DIRECT_SMALL_REDUCTION, p.algorithm(), text);
            checkBitExact(nat, p, rnd);
        }
    }

    @Test
    void infiniteWeightTimesZeroBorderIsNaNAsOnTheReference() {
        // ones, 3x3 kernel of ones but w[0][0][0][0] = +Inf, zero pad 1: output (0,0) reads the pad with the
        // Inf tap (Inf * 0 = NaN), output (1,1) reads an input 1 there (Inf). Width 3: scalar columns only;
        // 40: vector columns below a whole zero row.
        for (int width : new int[] {3, 40}) {
            Conv2dProblem p = Conv2dProblem.parse("n1c2h3w" + width + "k3r3s3pt1pl1pb1pr1");
            assertEquals(Algorithm.DIRECT_SMALL_REDUCTION, p.algorithm()); // 3 filters: below DIRECT_BLOCKED's block
            float[] x = new float[(int) p.inputElements()];
            Arrays.fill(x, 1f);
            float[] w = new float[(int) p.weightElements()];
            Arrays.fill(w, 1f);
            w[0] = Float.POSITIVE_INFINITY;
            float[] ref = Run.forward("reference", p, x, w, null), nat = Run.forward("native", p, x, w, null);
            assertTrue(Float.isNaN(ref[0]) && Float.isNaN(ref[width - 1]) && ref[width + 1] == Float.POSITIVE_INFINITY,
                    () -> p + " reference " + Arrays.toString(ref));
            for (int i = 0; i < ref.length; i++) assertEquals(ref[i], nat[i], 0f, p + " index " + i);
        }
    }

    private static void checkBitExact(Conv2dBackend nat, Conv2dProblem p, SplittableRandom rnd) {
        float[] yIn = p.epilogue().sum() ? RandomProblems.integers(rnd, p.outputElements(), 20) : null;
        FidelityReport rep = Fidelity.check(p, nat, RandomProblems.integers(rnd, p.inputElements(), 8),
                RandomProblems.integers(rnd, p.weightElements(), 4), p.hasBias() ? RandomProblems.integers(rnd, p.k(), 9) : null, yIn);
        assertEquals(rep.elements(), rep.bitIdentical(), () -> "integer data must be bit-exact: " + rep);
    }
}
