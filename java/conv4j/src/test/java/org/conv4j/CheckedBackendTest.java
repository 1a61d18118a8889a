package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The silent-corruption guard: passes correct backends through, catches a corrupted element. */
class CheckedBackendTest {
    /** A backend that computes correctly, then adds {@code delta} to output element {@code index} (all if -1). */
    static Conv2dBackend corrupting(Conv2dBackend inner, long index, float delta) {
        return new Conv2dBackend() {
            public String name() { return "corrupting"; }
            public boolean isAvailable() { return true; }
            public Conv2dPlan plan(Conv2dProblem problem) {
                Conv2dPlan plan = inner.plan(problem);
                return new Conv2dPlan(problem) {
                    protected void compute(Tensor x, Tensor w, Tensor bias, Tensor y) {
                        plan.forward(x, w, bias, y);
                        float[] v = y.toArray();
                        for (int i = 0; i < v.length; i++) if (index < 0 || i == index) v[i] += delta;
                        y.copyFrom(v);
                    }
                    protected void release() { plan.close(); }
                };
            }
        };
    }

    @Test
    void checkedNativeGivesTheSameBitsAsNativeOnRandomProblems() {
        Conv2dBackend nat = Run.backend("native");
        Conv2dBackend checked = Backends.checked(nat, 0.5);
        SplittableRandom rnd = new SplittableRandom(99);
        for (int i = 0; i < 300; i++) {
            Conv2dProblem p = RandomProblems.next(rnd);
            float[] x = RandomProblems.gaussian(rnd, p.inputElements()), w = RandomProblems.gaussian(rnd, p.weightElements());
            float[] b = p.hasBias() ? RandomProblems.gaussian(rnd, p.k()) : null;
            float[] yIn = RandomProblems.gaussian(rnd, p.outputElements());
            assertArrayEquals(forward(nat, p, x, w, b, yIn), forward(checked, p, x, w, b, yIn), 0f, p.toString());
        }
    }

    @Test
    void rejectsEveryElementOffByMoreThanTheBound() {
        Conv2dProblem p = Conv2dProblem.parse("n1c3h8w8k4r3s3pt1pl1pb1pr1b1_relu");
        SplittableRandom rnd = new SplittableRandom(5);
        float[] x = RandomProblems.gaussian(rnd, p.inputElements()), w = RandomProblems.gaussian(rnd, p.weightElements());
        float[] b = RandomProblems.gaussian(rnd, p.k());
        Conv2dBackend bad = Backends.checked(corrupting(Backends.reference(), -1, 1e-3f), CheckedBackend.DEFAULT_RATE);
        FidelityException e = assertThrows(FidelityException.class, () -> forward(bad, p, x, w, b, null));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
    }

    @Test
    void rateOneFindsASingleCorruptedElementAndNamesIt() {
        Conv2dProblem p = Conv2dProblem.parse("n2c4h6w5k6r3s2sh2sw1pt1pl0pb2pr1dh1dw2g2b1_sum");
        SplittableRandom rnd = new SplittableRandom(6);
        float[] x = RandomProblems.integers(rnd, p.inputElements(), 5), w = RandomProblems.integers(rnd, p.weightElements(), 5);
        float[] b = RandomProblems.integers(rnd, p.k(), 5), yIn = RandomProblems.integers(rnd, p.outputElements(), 5);
        long at = p.outputElements() - 7;
        FidelityException e = assertThrows(FidelityException.class,
                () -> forward(Backends.checked(corrupting(Backends.reference(), at, 0.5f), 1.0), p, x, w, b, yIn));
        assertEquals(at, e.index(), e.getMessage());
        // and the uncorrupted backend passes at rate 1 with the residual read before it is overwritten
        forward(Backends.checked(Backends.reference(), 1.0), p, x, w, b, yIn);
    }

    /**
     * The sample is drawn in blocks, yet every element is equally likely: a corrupted element at the first
     * output, the last one (where a block's run wraps around the flattened grid) and in the middle is caught
     * in a share of calls close to E / outputs (E = 6 of 1,440 here: 0.42 %, 20,000 calls: 83 expected, within 4.5 sigma).
     */
    @Test
    void blocksSampleEveryElementAlike() {
        Conv2dProblem p = Conv2dProblem.parse("n2c2h10w12k6r3s3pt1pl1pb1pr1"); // 2*6*10*12 = 1,440 outputs
        double rate = 6.0 / p.outputElements();
        SplittableRandom rnd = new SplittableRandom(7);
        float[] x = RandomProblems.integers(rnd, p.inputElements(), 5), w = RandomProblems.integers(rnd, p.weightElements(), 5);
        int calls = 20_000;
        double expected = calls * 6.0 / p.outputElements(), sigma = Math.sqrt(expected);
        for (long at : new long[] {0, p.outputElements() - 1, 777}) {
            Conv2dBackend checked = Backends.checked(corrupting(Run.backend("native"), at, 0.5f), rate);
            int caught = 0;
            try (Tensor xt = Tensor.of(x, p.inputShape()); Tensor wt = Tensor.of(w, p.weightShape());
                 Tensor y = Tensor.zeros(p.outputShape()); Conv2dPlan plan = checked.plan(p)) {
                for (int call = 0; call < calls; call++) {
                    try {
                        plan.forward(xt, wt, null, y);
                    } catch (FidelityException e) {
                        assertEquals(at, e.index(), e.getMessage());
                        caught++;
                    }
                }
            }
            assertTrue(Math.abs(caught - expected) < 4.5 * sigma,
                    "element " + at + " caught in " + caught + " of " + calls + " calls, expected about " + expected + " (" + p + ")");
        }
    }

    @Test
    void rejectsSampleRatesOutsideZeroToOne() {
        for (double r : new double[] {0, -0.1, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Backends.checked(Backends.reference(), r));
            assertTrue(e.getMessage().contains("sample rate"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Backends.checked(null));
    }

    static float[] forward(Conv2dBackend backend, Conv2dProblem p, float[] x, float[] w, float[] b, float[] yIn) {
        try (Tensor tx = Tensor.of(x, p.inputShape()); Tensor tw = Tensor.of(w, p.weightShape());
             Tensor tb = b == null ? null : Tensor.of(b, p.biasShape());
             Tensor ty = yIn == null ? Tensor.zeros(p.outputShape()) : Tensor.of(yIn, p.outputShape());
             Conv2dPlan plan = backend.plan(p)) {
            plan.forward(tx, tw, tb, ty);
            return ty.toArray();
        }
    }
}
