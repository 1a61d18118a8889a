package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.conv4j.backend.JavaWinogradBackend;
import org.conv4j.backend.ReferenceDirect;
import org.junit.jupiter.api.Test;

/** The checked mode judges a Winograd algorithm by its own bound: within it passes, beyond it throws. */
class WinogradCheckedTest {
    @Test
    void checkedWinogradPassesOnOrdinaryData() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < 50; i++) {
            Conv2dProblem p = WinogradCases.next(rnd);
            float[] x = RandomProblems.gaussian(rnd, p.inputElements()), w = RandomProblems.gaussian(rnd, p.weightElements());
            float[] b = p.hasBias() ? RandomProblems.gaussian(rnd, p.k()) : null;
            for (Conv2dBackend backend : WinogradCases.backends()) Run.forward(Backends.checked(backend, 1.0), p, x, w, b);
        }
    }

    @Test
    void checkedModeEnforcesTheAlgorithmsBound() {
        Conv2dProblem p = Conv2dProblem.parse("n1c16h6w6k2r3s3pt1pl1pb1pr1_fast");
        SplittableRandom rnd = new SplittableRandom(2);
        float[] x = RandomProblems.gaussian(rnd, p.inputElements()), w = RandomProblems.gaussian(rnd, p.weightElements());
        // output 0 moved to half its Winograd bound: past the strict bound, inside F(4,3)'s: accepted
        Run.forward(Backends.checked(offBy(Winograd.F4, x, w, 0.5), 1.0), p, x, w, null);
        // moved to twice its Winograd bound: rejected
        assertThrows(FidelityException.class,
                () -> Run.forward(Backends.checked(offBy(Winograd.F4, x, w, 2.0), 1.0), p, x, w, null));
    }

    /** A backend claiming {@code v} that returns the exact result with output 0 moved by {@code times} its bound. */
    private static Conv2dBackend offBy(Winograd v, float[] x, float[] w, double times) {
        return new Conv2dBackend() {
            @Override public String name() { return "off-by"; }
            @Override public boolean isAvailable() { return true; }
            @Override public Winograd winograd(Conv2dProblem problem) { return v; }
            @Override public Conv2dPlan plan(Conv2dProblem problem) {
                return new Conv2dPlan(problem) {
                    @Override protected void compute(Tensor tx, Tensor tw, Tensor bias, Tensor y) {
                        float[] out = new float[(int) problem.outputElements()];
                        double[] exact = new double[out.length];
                        ReferenceDirect.compute(problem, x, w, null, null, out, exact, null);
                        double bound = v.bound(problem, ReferenceDirect.Source.of(x), ReferenceDirect.Source.of(w), 0, 0, 0, 0, 0);
                        if (!(times * bound > Fidelity.bound(problem, 1e-30))) throw new AssertionError("vacuous bound");
                        out[0] = (float) (exact[0] + times * bound);
                        y.copyFrom(out);
                    }
                };
            }
        };
    }
}
