package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.conv4j.backend.JavaWinogradBackend;
import org.conv4j.backend.ReferenceDirect;
import org.conv4j.io.Npy;
import org.junit.jupiter.api.Test;

/**
 * Every Winograd implementation ({@link WinogradCases#backends()}) in FAST mode: known answers, the ONNX
 * conformance vectors, seeded random problems and adversarial data, each within the algorithm's own bound.
 */
class WinogradTest {
    @Test
    void computesHandCheckedSumsOfAllOnesFilter() {
        // 4x4 input 1..16, 3x3 ones, no padding: the four 3x3 window sums 54 63 90 99 (by hand).
        Conv2dProblem p = Conv2dProblem.parse("n1c1h4w4k1r3s3_fast");
        float[] x = new float[16];
        for (int i = 0; i < 16; i++) x[i] = i + 1;
        float[] w = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        for (Conv2dBackend b : WinogradCases.backends()) {
            float[] y = Run.forward(b, p, x, w, null);
            // F(2,3)'s transforms of small integers are exact (halves only); F(4,3)'s G holds 1/6 and 1/24.
            assertArrayEquals(new float[] {54, 63, 90, 99}, y, b.winograd(p) == Winograd.F2 ? 0f : 1e-4f, b.name());
        }
    }

    @Test
    void withinOwnBoundOnOnnxConformanceSet() throws IOException {
        int ran = 0;
        for (String name : OnnxConformanceTest.caseNames()) {
            Path dir = OnnxConformanceTest.root().resolve(name);
            Conv2dProblem p = OnnxConformanceTest.problemOf(dir).precision(Precision.FAST).build();
            if (!Winograd.applies(p)) continue;
            float[] x = Npy.read(dir.resolve("input.npy")).data(), w = Npy.read(dir.resolve("weight.npy")).data();
            float[] bias = p.hasBias() ? Npy.read(dir.resolve("bias.npy")).data() : null;
            for (Conv2dBackend b : WinogradCases.backends()) {
                FidelityReport rep = Fidelity.check(p, b, x, w, bias);
                assertTrue(rep.withinBound(), () -> name + " " + b.name() + ": " + rep);
                assertEquals(b.winograd(p).label(), rep.bound());
            }
            ran++;
        }
        assertTrue(ran >= 5, "3x3 stride-1 cases of the ONNX set run: " + ran);
    }

    @Test
    void withinOwnBoundOnRandomProblems() {
        SplittableRandom rnd = new SplittableRandom(20261202);
        for (int i = 0; i < 200; i++) {
            Conv2dProblem p = WinogradCases.next(rnd);
            float[] x = RandomProblems.gaussian(rnd, p.inputElements()), w = RandomProblems.gaussian(rnd, p.weightElements());
            float[] b = p.hasBias() ? RandomProblems.gaussian(rnd, p.k()) : null;
            float[] yIn = p.epilogue().sum() ? RandomProblems.gaussian(rnd, p.outputElements()) : null;
            for (Conv2dBackend backend : WinogradCases.backends()) {
                FidelityReport rep = Fidelity.check(p, backend, x, w, b, yIn);
                assertTrue(rep.withinBound(), () -> backend.name() + " " + rep + " worst at " + rep.worstIndex());
            }
        }
    }

    @Test
    void withinOwnBoundOnDynamicRangeAndCancellation() {
        SplittableRandom rnd = new SplittableRandom(41);
        for (int i = 0; i < 100; i++) {
            Conv2dProblem p = WinogradCases.next(rnd);
            float[] x = new float[(int) p.inputElements()], w = new float[(int) p.weightElements()];
            if (i % 2 == 0) { // magnitudes 1e-4..1e4 side by side in every window, both signs
                for (int j = 0; j < x.length; j++) x[j] = signed(rnd, Math.pow(10, -4 + 8 * rnd.nextDouble()));
                for (int j = 0; j < w.length; j++) w[j] = signed(rnd, Math.pow(10, -4 + 8 * rnd.nextDouble()));
            } else { // cancellation: a large constant plus small noise under filters whose taps sum to ~0
                for (int j = 0; j < x.length; j++) x[j] = 1e4f + (float) rnd.nextDouble();
                for (int f = 0; f < w.length / 9; f++) {
                    float sum = 0;
                    for (int t = 0; t < 8; t++) {
                        w[f * 9 + t] = (float) rnd.nextDouble() - 0.5f;
                        sum += w[f * 9 + t];
                    }
                    w[f * 9 + 8] = -sum;
                }
            }
            float[] b = p.hasBias() ? RandomProblems.gaussian(rnd, p.k()) : null;
            float[] yIn = p.epilogue().sum() ? RandomProblems.gaussian(rnd, p.outputElements()) : null;
            for (Conv2dBackend backend : WinogradCases.backends()) {
                FidelityReport rep = Fidelity.check(p, backend, x, w, b, yIn);
                assertTrue(rep.withinBound(), () -> backend.name() + " " + rep + " worst at " + rep.worstIndex());
            }
        }
    }

    private static float signed(SplittableRandom rnd, double v) {
        return (float) (rnd.nextBoolean() ? v : -v);
    }

    @Test
    void constantWeightPlanMatchesPerCallPlanBitForBit() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 40; i++) {
            Conv2dProblem p = WinogradCases.next(rnd);
            if (p.epilogue().sum()) continue;
            float[] x = RandomProblems.gaussian(rnd, p.inputElements()), w = RandomProblems.gaussian(rnd, p.weightElements());
            float[] b = p.hasBias() ? RandomProblems.gaussian(rnd, p.k()) : null;
            for (Conv2dBackend backend : WinogradCases.backends()) {
                float[] perCall = Run.forward(backend, p, x, w, b);
                try (Tensor tx = Tensor.of(x, p.inputShape()); Tensor tw = Tensor.of(w, p.weightShape());
                     Tensor tb = b == null ? null : Tensor.of(b, p.biasShape());
                     ConstantWeightPlan plan = backend.plan(p, tw, tb); Tensor y = plan.forward(tx)) {
                    assertArrayEquals(perCall, y.toArray(), 0f, backend.name() + " " + p);
                }
            }
        }
    }

    @Test
    void magnitudeIsNeverBelowStrictMagnitude() {
        // M >= sum |x*w| elementwise (class comment of Winograd): the sum of |A^T| |G| |B^T| covers every tap.
        SplittableRandom rnd = new SplittableRandom(9);
        for (int i = 0; i < 50; i++) {
            Conv2dProblem p = WinogradCases.next(rnd);
            float[] x = RandomProblems.gaussian(rnd, p.inputElements()), w = RandomProblems.gaussian(rnd, p.weightElements());
            float[] ref = new float[(int) p.outputElements()];
            double[] mag = new double[ref.length];
            float[] b = p.hasBias() ? new float[(int) p.k()] : null;
            ReferenceDirect.compute(p, x, w, b, new float[ref.length], ref, null, mag);
            long pq = p.p() * p.q();
            for (Winograd v : Winograd.values()) {
                for (int e = 0; e < ref.length; e++) {
                    double[] ms = new double[2];
                    v.magnitude(p, ReferenceDirect.Source.of(x), ReferenceDirect.Source.of(w), e / pq / p.k(),
                            e / pq % p.k(), e / p.q() % p.p(), e % p.q(), ms);
                    assertTrue(ms[0] >= mag[e] * (1 - 1e-12), v + " " + p + " output " + e + ": " + ms[0] + " < " + mag[e]);
                }
            }
        }
    }

    @Test
    void reportsErrorAgainstStrictBoundToo() {
        SplittableRandom rnd = new SplittableRandom(3);
        Conv2dProblem p = Conv2dProblem.parse("n1c64h12w12k8r3s3pt1pl1pb1pr1_fast");
        float[] x = RandomProblems.gaussian(rnd, p.inputElements()), w = RandomProblems.gaussian(rnd, p.weightElements());
        FidelityReport rep = Fidelity.check(p, new JavaWinogradBackend(Winograd.F4), x, w, null);
        assertTrue(rep.withinBound(), rep::toString);
        assertEquals("winograd-f4", rep.bound());
        assertTrue(rep.worstStrictRatio() > rep.worstBoundRatio(), rep::toString);
        assertTrue(rep.toString().contains("error/strict bound"), rep::toString);
    }

    @Test
    void rejectsProblemsOutsideItsDomainNamingThem() {
        JavaWinogradBackend f4 = new JavaWinogradBackend(Winograd.F4);
        IllegalArgumentException strict = assertThrows(IllegalArgumentException.class,
                () -> f4.plan(Conv2dProblem.parse("n1c1h8w8k1r3s3")));
        assertTrue(strict.getMessage().contains("precision strict"), strict.getMessage());
        IllegalArgumentException strided = assertThrows(IllegalArgumentException.class,
                () -> f4.plan(Conv2dProblem.parse("n1c1h8w8k1r3s3sh2sw2_fast")));
        assertTrue(strided.getMessage().contains("stride 2,2"), strided.getMessage());
    }

    @Test
    void precisionRoundTripsThroughTheDescriptor() {
        Conv2dProblem p = Conv2dProblem.parse("n1c2h5w5k2r3s3_relu_fast");
        assertEquals(Precision.FAST, p.precision());
        assertEquals(p, Conv2dProblem.parse(p.toString()));
        assertEquals(Precision.STRICT, Conv2dProblem.parse("n1c2h5w5k2r3s3").precision());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("quick"));
        assertTrue(e.getMessage().contains("'quick'"), e.getMessage());
    }
}
