package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Arrays and tensors that do not match a valid problem (wrong lengths, shapes, ranks, a missing or extra
 * bias, a closed tensor, the output aliasing an input): always {@link IllegalArgumentException} before
 * any native call, and the plan still computes correctly afterwards, on every backend. A {@link Property}:
 * a failure prints the seed that re-runs it.
 */
class MismatchedTensorsTest {
    /** Kinds of fault, 0 to {@code FAULTS - 1}: see the switch below. */
    static final int FAULTS = 10;

    @Test
    void mismatchesAreRejectedAndLeaveThePlanUsable() {
        Property.Result r = Property.check(MismatchedTensorsTest.class, "mismatchesAreRejectedAndLeaveThePlanUsable",
                2_500, 20261128L, MismatchedTensorsTest::oneMismatch);
        for (int fault = 0; fault < FAULTS; fault++) r.assertShare("fault " + fault, 0.5 / FAULTS);
    }

    static void oneMismatch(Gen g) {
        int fault = g.between("fault", 0, FAULTS - 1), which = g.between("which", 0, 3), delta = g.between("delta", -3, 3);
        SplittableRandom rnd = g.random();
        Conv2dProblem p = RandomProblems.next(rnd);
        g.describe(p);
        g.count("fault " + fault);
        float[] x = RandomProblems.integers(rnd, p.inputElements(), 5);
        float[] w = RandomProblems.integers(rnd, p.weightElements(), 5);
        float[] b = p.hasBias() ? RandomProblems.integers(rnd, p.k(), 5) : null;
        for (Conv2dBackend backend : Run.testedBackends()) {
            try (Tensor tx = Tensor.of(x, p.inputShape()); Tensor tw = Tensor.of(w, p.weightShape());
                 Tensor tb = b == null ? null : Tensor.of(b, p.biasShape());
                 Tensor ty = Tensor.zeros(p.outputShape()); Conv2dPlan plan = backend.plan(p)) {
                Tensor[] args = {tx, tw, tb, ty};
                long[][] shapes = {p.inputShape(), p.weightShape(), p.biasShape(), p.outputShape()};
                int d = delta == 0 ? 1 : delta;
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
                    switch (fault) {
                        case 0 -> Tensor.of(new float[(int) Math.max(0, Tensor.elementCount(shapes[which]) + d)], shapes[which]).close();
                        case 1, 2 -> { // one dimension off (>= 1 so the tensor can exist)
                            long[] bad = shapes[which].clone();
                            int axis = Math.floorMod(delta, bad.length);
                            bad[axis] = bad[axis] + d >= 1 ? bad[axis] + d : bad[axis] + 1;
                            try (Tensor t = Tensor.zeros(bad)) {
                                args[which] = t;
                                if (which == 2 && !p.hasBias()) args[2] = t; // an extra bias
                                plan.forward(args[0], args[1], args[2], args[3]);
                            }
                        }
                        case 3 -> { // rank changed: the same elements, flattened
                            try (Tensor t = Tensor.zeros(Tensor.elementCount(shapes[which]) * (which == 2 ? 2 : 1))) {
                                args[which] = t;
                                plan.forward(args[0], args[1], args[2], args[3]);
                            }
                        }
                        case 4 -> plan.forward(tx, tw, p.hasBias() ? null : tx, ty);    // bias missing / extra
                        case 5 -> { // a closed tensor
                            Tensor t = Tensor.zeros(shapes[which]);
                            t.close();
                            args[which] = t;
                            plan.forward(args[0], args[1], args[2], args[3]);
                        }
                        case 6 -> plan.forward(which % 2 == 0 ? null : tx, which % 2 == 0 ? tw : null, tb, ty);
                        case 7 -> plan.forward(tx, tw, tb, null);
                        case 8 -> Tensor.zeros(new long[] {delta, 2, 3, 4, 5}.clone()).close(); // rank 5 / dim <= 0
                        default -> Tensor.zeros(shapes[which][0] * -1, 4).close();
                    }
                });
                assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
                plan.forward(tx, tw, tb, ty); // the plan is still usable
                if (!p.epilogue().sum()) {
                    float[] ref = Run.forward("reference", p, x, w, b);
                    assertArrayEquals(ref, ty.toArray(), 0f, () -> backend.name() + " after a rejected call: " + p);
                }
            }
        }
    }
}
