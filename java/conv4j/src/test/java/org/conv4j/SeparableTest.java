package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.conv4j.backend.ReferenceDirect;
import org.junit.jupiter.api.Test;

/**
 * {@link Algorithm#SEPARABLE}: the factors {@link Separable} finds (known answers by hand), where the algorithm
 * applies, and both backends against the reference over every border, epilogue, mode, stride, dilation and
 * banks that mix separable, shared and dense filters: integer data bit for bit, general data within the
 * separable bound {@code gamma(R + S + sigma + inexact)} (tighter than the classical one).
 */
class SeparableTest {
    static final float[] SOBEL_X = {-1, 0, 1, -2, 0, 2, -1, 0, 1};
    static final float[] SOBEL_Y = {-1, -2, -1, 0, 0, 0, 1, 2, 1};
    static final float[] GAUSS = {1 / 16f, 2 / 16f, 1 / 16f, 2 / 16f, 4 / 16f, 2 / 16f, 1 / 16f, 2 / 16f, 1 / 16f};
    static final float[] LAPLACIAN = {0, 1, 0, 1, -4, 1, 0, 1, 0};

    @Test
    void factorsSobelAndGaussianByHand() {
        float[] u = new float[3], v = new float[3];
        // pivot -2 at (1,0), 2^e = 4: v = row 1 / 4, u = column 0 / -2 * 4; first u positive
        assertEquals(Separable.EXACT, Separable.factor(SOBEL_X, 3, 3, u, v));
        assertArrayEquals(new float[] {2, 4, 2}, u);
        assertArrayEquals(new float[] {-0.5f, 0, 0.5f}, v);
        // pivot 1/4 at (1,1), 2^e = 1/2: v = row 1 * 2, u = column 1 / (1/4) / 2
        assertEquals(Separable.EXACT, Separable.factor(GAUSS, 3, 3, u, v));
        assertArrayEquals(new float[] {0.25f, 0.5f, 0.25f}, u);
        assertArrayEquals(new float[] {0.25f, 0.5f, 0.25f}, v);
        assertEquals(Separable.DENSE, Separable.factor(LAPLACIAN, 3, 3, u, v));   // rank 2
        assertEquals(Separable.DENSE, Separable.factor(new float[9], 3, 3, u, v)); // all zero
        float[] inf = SOBEL_X.clone();
        inf[4] = Float.POSITIVE_INFINITY;
        assertEquals(Separable.DENSE, Separable.factor(inf, 3, 3, u, v));
    }

    @Test
    void factorsWithinTheWeightsOwnRoundingAreInexact() {
        // a[r][s] = fl(u[r] * v[s]) for non-dyadic u, v: rank 1 only to within each weight's rounding
        float[] u0 = {1, 1 / 3f, 1 / 7f}, v0 = {1, 1 / 5f, 1 / 11f}, a = new float[9];
        for (int i = 0; i < 9; i++) a[i] = (float) ((double) u0[i / 3] * v0[i % 3]);
        float[] u = new float[3], v = new float[3];
        assertEquals(Separable.INEXACT, Separable.factor(a, 3, 3, u, v));
        for (int i = 0; i < 9; i++) assertEquals(a[i], (float) ((double) u[i / 3] * v[i % 3]), "weight " + i);
        // a sampled 9x9 Gaussian as a float outer product fl(g[r]*g[s]): found through the diagonal's square roots
        float[] g = new float[9], gg = new float[81];
        for (int i = 0; i < 9; i++) g[i] = (float) Math.exp(-(i - 4) * (i - 4) / (2 * 1.7 * 1.7));
        for (int i = 0; i < 81; i++) gg[i] = g[i / 9] * g[i % 9];
        float[] u9 = new float[9], v9 = new float[9];
        assertTrue(Separable.factor(gg, 9, 9, u9, v9) != Separable.DENSE);
        a[4] = Math.nextUp(Math.nextUp(a[4])); // two ulps off: no longer within its rounding
        assertEquals(Separable.DENSE, Separable.factor(a, 3, 3, u, v));
    }

    @Test
    void filtersOfAGroupWithOneVerticalFactorShareItsPass() {
        float[] sobelX2 = new float[9];
        for (int i = 0; i < 9; i++) sobelX2[i] = 2 * SOBEL_X[i];
        float[] bank = concat(SOBEL_X, GAUSS, LAPLACIAN, sobelX2, SOBEL_Y);
        Conv2dProblem gray = Conv2dProblem.parse("n1c1h8w8k5r3s3");
        Separable f = Separable.of(gray, bank);
        // Sobel-x's u = [2, 4, 2]; the Gaussian's [1/4, 1/2, 1/4] = 2^-3 u and 2 * Sobel-x's [4, 8, 4] = 2 u share it
        assertArrayEquals(new int[] {0, 0, -1, 0, 1}, f.vertical(), f::toString);
        assertEquals(4, f.separableFilters());
        assertEquals(2, f.verticalPasses());
        assertArrayEquals(new float[] {4, 8, 4}, java.util.Arrays.copyOf(f.verticalFactors(), 3)); // the largest
        assertArrayEquals(new float[] {-0.25f, 0, 0.25f, 1 / 64f, 1 / 32f, 1 / 64f},
                java.util.Arrays.copyOf(f.horizontalFactors(), 6)); // shrunk by the powers of two that u grew
        // depthwise RGB: the same bank on each channel, no pass shared across channels
        Conv2dProblem rgb = Conv2dProblem.parse("n1c3h8w8k15r3s3g3");
        Separable fr = Separable.of(rgb, concat(bank, bank, bank));
        assertArrayEquals(new int[] {0, 0, -1, 0, 1, 2, 2, -1, 2, 3, 4, 4, -1, 4, 5}, fr.vertical(), fr::toString);
    }

    @Test
    void appliesToOneInputChannelPerFilterWhenTwoPassesAreFewerTaps() {
        assertEquals(Algorithm.SEPARABLE, Conv2dProblem.parse("n1c3h64w64k24r3s3pt1pl1pb1pr1g3").algorithm());
        assertEquals(Algorithm.SEPARABLE, Conv2dProblem.parse("n1c1h64w64k4r9s9").algorithm());
        assertEquals(Algorithm.SEPARABLE, Conv2dProblem.parse("n1c1h64w64k4r2s3").algorithm()); // 5 < 6 taps
        assertFalse(Conv2dProblem.parse("n1c1h64w64k4r2s2").applies(Algorithm.SEPARABLE));      // 4 = 4 taps
        assertFalse(Conv2dProblem.parse("n1c1h64w64k4r1s9").applies(Algorithm.SEPARABLE));
        assertFalse(Conv2dProblem.parse("n1c2h64w64k4r3s3").applies(Algorithm.SEPARABLE));      // C/groups = 2
        assertEquals(Algorithm.DEPTHWISE, Algorithm.SEPARABLE.fallback(Conv2dProblem.parse("n1c3h9w9k6r3s3g3")));
        assertEquals(Algorithm.DIRECT_SMALL_REDUCTION, Algorithm.SEPARABLE.fallback(Conv2dProblem.parse("n1c1h9w9k6r3s3")));
    }

    /** A bank mixing separable, shared and dense filters, each border, epilogue and mode, integer data: bit for bit. */
    @Test
    void integerDataIsBitExactOnEveryBorderEpilogueAndMode() {
        SplittableRandom rnd = new SplittableRandom(12);
        String[] shapes = {"n2c3h11w70k12r3s3pt1pl1pb1pr1g3b1", "n1c1h9w41k4r5s5pt2pl4pb2pr0b1",
                           "n1c2h13w37k4r3s5sh2sw2pt3pl2pb1pr2dh2dw1g2b1", "n1c1h7w19k4r3s3sw3pt1pl7pb1pr7b1"};
        String[] epilogues = {"", "_relu", "_sum", "_sum_clamp-20:300"};
        int ran = 0;
        for (Conv2dBackend b : Run.testedBackends()) {
            if (b.name().equals("reference")) continue;
            for (String shape : shapes) {
                for (Border border : Border.values()) {
                    for (int e = 0; e < epilogues.length; e++) {
                        String text = shape + (e % 2 == 1 ? "_conv" : "") + (border == Border.ZERO ? "" : "_" + border.label())
                                + epilogues[e];
                        Conv2dProblem p = Conv2dProblem.parse(text);
                        assertEquals(Algorithm.SEPARABLE, p.algorithm(), text);
                        float[] w = mixedBank(p, rnd);
                        float[] x = RandomProblems.integers(rnd, p.inputElements(), 9);
                        float[] bias = RandomProblems.integers(rnd, p.k(), 9);
                        float[] yIn = p.epilogue().sum() ? RandomProblems.integers(rnd, p.outputElements(), 30) : null;
                        FidelityReport rep = Fidelity.check(p, b, x, w, bias, yIn);
                        assertEquals(rep.elements(), rep.bitIdentical(), () -> b.name() + " " + rep);
                        try (Tensor tw = Tensor.of(w, p.weightShape()); Tensor tb = Tensor.of(bias, p.biasShape());
                             ConstantWeightPlan plan = b.plan(p, tw, tb);
                             Tensor tx = Tensor.of(x, p.inputShape());
                             Tensor ty = yIn == null ? Tensor.zeros(p.outputShape()) : Tensor.of(yIn, p.outputShape())) {
                            plan.forward(tx, ty);
                            FidelityReport cr = Fidelity.compare(p, x, w, bias, yIn, ty.toArray());
                            assertEquals(cr.elements(), cr.bitIdentical(), () -> b.name() + " constant-weight plan " + cr);
                        }
                        ran++;
                    }
                }
            }
        }
        assertTrue(ran >= 2 * 4 * 5 * 4 || Boolean.getBoolean("conv4j.native.skip"), "ran " + ran);
    }

    /** General float data and weights: within the separable bound, tighter than the classical one. */
    @Test
    void generalDataStaysWithinTheSeparableBound() {
        SplittableRandom rnd = new SplittableRandom(13);
        String[] shapes = {"n1c3h17w53k6r5s5pt2pl2pb2pr2g3b1_reflect_sum", "n1c1h12w40k3r9s9pt4pl4pb4pr4b1_replicate",
                           "n1c1h10w30k2r3s7pt1pl3pb1pr3_conv_circular"};
        for (Conv2dBackend b : Run.testedBackends()) {
            if (b.name().equals("reference")) continue;
            for (String shape : shapes) {
                Conv2dProblem p = Conv2dProblem.parse(shape);
                int rr = (int) p.r(), ss = (int) p.s();
                float[] w = new float[(int) p.weightElements()];
                for (int k = 0; k < p.k(); k++) { // random float u times v of signed powers of two: rank 1, general weights
                    float[] u = floats(rnd, rr), v = new float[ss];
                    for (int j = 0; j < ss; j++) v[j] = (rnd.nextBoolean() ? 1 : -1) * Math.scalb(1f, rnd.nextInt(-3, 3));
                    for (int i = 0; i < rr * ss; i++) w[k * rr * ss + i] = u[i / ss] * v[i % ss];
                }
                Separable f = Separable.of(p, w);
                assertEquals(p.k(), f.separableFilters(), f::toString);
                float[] x = floats(rnd, p.inputElements()), bias = p.hasBias() ? floats(rnd, p.k()) : null;
                float[] yIn = p.epilogue().sum() ? floats(rnd, p.outputElements()) : new float[(int) p.outputElements()];
                float[] y = forward(b, p, x, w, bias, yIn);
                int m = y.length;
                float[] ref = new float[m];
                double[] exact = new double[m], mag = new double[m];
                ReferenceDirect.compute(p, x, w, bias, yIn, ref, exact, mag);
                for (int i = 0; i < m; i++) {
                    double bound = Separable.errorBound(p, f.inexact(), mag[i]);
                    assertTrue(bound <= Fidelity.classicalBound(p, mag[i]), p::toString);
                    int at = i;
                    assertTrue(Math.abs(y[i] - exact[i]) <= bound, () -> b.name() + " " + p + " output " + at + ": " + y[at]
                            + " vs exact " + exact[at] + ", bound " + bound);
                }
            }
        }
    }

    private static float[] forward(Conv2dBackend b, Conv2dProblem p, float[] x, float[] w, float[] bias, float[] yIn) {
        try (Tensor tx = Tensor.of(x, p.inputShape()); Tensor tw = Tensor.of(w, p.weightShape());
             Tensor tb = bias == null ? null : Tensor.of(bias, p.biasShape()); Tensor ty = Tensor.of(yIn, p.outputShape())) {
            Conv2d.forward(p, tx, tw, tb, ty, b);
            return ty.toArray();
        }
    }

    /** Per group: a random integer rank-1 filter, the same again doubled (shares it), a dense one, another rank 1. */
    static float[] mixedBank(Conv2dProblem p, SplittableRandom rnd) {
        int rr = (int) p.r(), ss = (int) p.s(), kg = (int) p.kPerGroup();
        List<float[]> filters = new ArrayList<>();
        for (int g = 0; g < p.groups(); g++) {
            float[] u = RandomProblems.integers(rnd, rr, 4), v = RandomProblems.integers(rnd, ss, 4);
            u[0] = 1;
            v[ss - 1] = 3;
            for (int i = 0; i < kg; i++) {
                float[] f = new float[rr * ss];
                if (i % 4 == 2) {
                    f = RandomProblems.integers(rnd, rr * ss, 4);
                    f[0] = 1; f[1] = 5; f[rr * ss - 1] = -2; f[ss] = 7; // rank >= 2
                } else {
                    float[] uu = i % 4 == 3 ? RandomProblems.integers(rnd, rr, 3) : u;
                    if (i % 4 == 3) uu[rr - 1] = 2;
                    for (int j = 0; j < rr * ss; j++) f[j] = uu[j / ss] * v[j % ss] * (i % 4 == 1 ? 2 : 1);
                }
                filters.add(f);
            }
        }
        return concat(filters.toArray(new float[0][]));
    }

    private static float[] floats(SplittableRandom rnd, long n) {
        float[] a = new float[(int) n];
        for (int i = 0; i < n; i++) a[i] = (float) (rnd.nextDouble(-1, 1) * Math.scalb(1.0, rnd.nextInt(-6, 6)));
        return a;
    }

    private static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] a : parts) n += a.length;
        float[] out = new float[n];
        int at = 0;
        for (float[] a : parts) {
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
        return out;
    }
}
