package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * NaN and infinities propagate as in PyTorch (a NaN in a window gives NaN; Inf * 0 gives NaN, also for an
 * infinite weight over a zero border); subnormal inputs are computed, not flushed; the native code leaves
 * the floating-point mode of Java threads alone. On every path (im2col, direct GEMM, depthwise) of both
 * backends; expected values are worked out by hand.
 */
class SpecialValuesTest {
    static final float NAN = Float.NaN, INF = Float.POSITIVE_INFINITY;

    /** 1 channel 3x3 input, a 2x2 kernel of ones, no padding: y[p][q] = sum of the 2x2 window at (p, q). */
    static final Conv2dProblem WINDOW = Conv2dProblem.parse("n1c1h3w3k1r2s2");
    /** The same with a zero border of 1: the 4x4 output reads the border at every edge. */
    static final Conv2dProblem PADDED = Conv2dProblem.parse("n1c1h3w3k1r2s2pt1pl1pb1pr1");

    static float[] run(String backend, String problem, float[] x, float[] w) {
        Conv2dProblem p = Conv2dProblem.parse(problem);
        return Run.forward(backend, p, x, w, p.hasBias() ? new float[(int) p.k()] : null);
    }

    @ParameterizedTest
    @MethodSource("org.conv4j.Run#backends")
    void aNanInAWindowGivesNanExactlyWhereTheWindowCoversIt(String backend) {
        float[] x = {1, 2, 3, 4, NAN, 6, 7, 8, 9};
        // centre NaN lies in all four 2x2 windows
        assertTrue(allNan(run(backend, WINDOW.toString(), x, new float[] {1, 1, 1, 1})));
        float[] corner = {NAN, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] y = run(backend, WINDOW.toString(), corner, new float[] {1, 1, 1, 1});
        assertTrue(Float.isNaN(y[0]));
        assertArrayEquals(new float[] {2 + 3 + 5 + 6, 4 + 5 + 7 + 8, 5 + 6 + 8 + 9}, Arrays.copyOfRange(y, 1, 4), backend);
    }

    @ParameterizedTest
    @MethodSource("org.conv4j.Run#backends")
    void infinityTimesZeroIsNanAlsoForAnInfiniteWeightOverAZeroBorder(String backend) {
        float[] ones = new float[9];
        Arrays.fill(ones, 1);
        // Inf weight at tap (0,0): outputs whose tap (0,0) reads the zero border are Inf*0 = NaN, the others Inf
        float[] y = run(backend, PADDED.toString(), ones, new float[] {INF, 1, 1, 1});
        for (int p = 0; p < 4; p++) {
            for (int q = 0; q < 4; q++) {
                float v = y[p * 4 + q];
                boolean border = p == 0 || q == 0; // tap (0,0) of output (p,q) reads input (p-1, q-1)
                assertTrue(border ? Float.isNaN(v) : v == INF, backend + " y[" + p + "][" + q + "] = " + v);
            }
        }
        // Inf input times a zero weight: NaN; Inf + (-Inf): NaN
        float[] x = {INF, 1, 1, 1, 1, 1, 1, 1, -INF};
        float[] z = run(backend, WINDOW.toString(), x, new float[] {0, 1, 1, 1});
        assertTrue(Float.isNaN(z[0]) && z[1] == 3 && z[2] == 3 && z[3] == -INF, backend + " " + Arrays.toString(z));
        float[] s = run(backend, "n1c1h3w3k1r3s3", x, new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1});
        assertTrue(Float.isNaN(s[0]), backend + " Inf + -Inf = " + s[0]);
    }

    @ParameterizedTest
    @MethodSource("org.conv4j.Run#backends")
    void nanAndInfinityOnEveryPath(String backend) {
        String[] paths = {"n1c2h3w3k2r1s1", "n1c2h3w3k2r2s2", "n1c2h3w3k2r2s2pt1pl1pb1pr1g2"}; // direct, im2col, depthwise
        for (String problem : paths) {
            Conv2dProblem p = Conv2dProblem.parse(problem);
            float[] x = new float[(int) p.inputElements()];
            Arrays.fill(x, 1);
            x[4] = NAN; // centre of channel 0
            x[9 + 4] = INF; // centre of channel 1
            float[] w = new float[(int) p.weightElements()];
            Arrays.fill(w, 1);
            float[] ref = Run.forward("reference", p, x, w, null);
            float[] got = Run.forward(backend, p, x, w, null);
            for (int i = 0; i < ref.length; i++) {
                int at = i;
                assertTrue(Float.compare(ref[i], got[i]) == 0 || Float.isNaN(ref[i]) && Float.isNaN(got[i]),
                        () -> backend + " " + p + " at " + at + ": " + got[at] + " vs reference " + ref[at]);
            }
            assertTrue(hasNan(ref), p::toString);
            if (p.path() == Conv2dProblem.Path.DEPTHWISE) assertTrue(hasInf(ref), p::toString);
        }
    }

    @ParameterizedTest
    @MethodSource("org.conv4j.Run#backends")
    void activationsLetNanThrough(String backend) {
        float[] x = {NAN, 1, 1, 1, 1, 1, 1, 1, 1};
        for (String problem : new String[] {"n1c1h3w3k1r2s2_relu", "n1c1h3w3k1r2s2_clamp0:6"}) {
            float[] y = run(backend, problem, x, new float[] {1, 1, 1, 1});
            assertTrue(Float.isNaN(y[0]) && y[3] == 4, backend + " " + problem + " " + Arrays.toString(y));
        }
    }

    @ParameterizedTest
    @MethodSource("org.conv4j.Run#backends")
    void subnormalInputsAreComputedNotFlushed(String backend) {
        float tiny = Float.MIN_VALUE; // 2^-149, the smallest subnormal
        float[] x = {tiny, 2 * tiny, 3 * tiny, 4 * tiny, 5 * tiny, 6 * tiny, 7 * tiny, 8 * tiny, 9 * tiny};
        for (String problem : new String[] {"n1c1h3w3k1r2s2", "n1c1h3w3k1r1s1", "n1c2h3w3k2r2s2g2"}) {
            Conv2dProblem p = Conv2dProblem.parse(problem);
            float[] xs = new float[(int) p.inputElements()];
            for (int i = 0; i < xs.length; i++) xs[i] = x[i % 9];
            float[] w = new float[(int) p.weightElements()];
            Arrays.fill(w, 1);
            float[] y = Run.forward(backend, p, xs, w, null);
            // window sums of subnormal multiples of 2^-149 are exact: (1+2+4+5) * 2^-149, ...
            float[] expected = r1s1(p) ? Arrays.copyOf(xs, xs.length) : windowSums(x, tiny, p);
            for (int i = 0; i < y.length; i++) {
                assertEquals(expected[i], y[i], 0f, backend + " " + p + " at " + i);
                assertTrue(y[i] != 0, backend + " flushed a subnormal to zero at " + i);
            }
        }
        // and a subnormal weight on normal input: 3 * 2^-140 * 1 summed over a window
        float[] y = run(backend, "n1c1h3w3k1r2s2", new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1},
                new float[] {0x1p-140f, 0x1p-140f, 0x1p-140f, 0x1p-140f});
        assertEquals(0x1p-138f, y[0], 0f, backend);
    }

    @Test
    void nativeCallsLeaveTheJavaThreadFloatingPointModeAlone() throws Exception {
        Run.backend("native");
        assertGradualUnderflowInJava("before native calls");
        for (int i = 0; i < 20; i++) {
            run("native", "n1c4h9w9k4r3s3pt1pl1pb1pr1", new float[324], new float[144]);
            run("native", "n1c4h9w9k4r3s3pt1pl1pb1pr1g4", new float[324], new float[36]);
            run("native", "n1c4h9w9k4r1s1", new float[324], new float[16]);
        }
        assertGradualUnderflowInJava("after native calls on this thread");
        Thread other = new Thread(() -> run("native", "n1c16h16w16k16r3s3", new float[4096], new float[2304]));
        other.start();
        other.join();
        assertGradualUnderflowInJava("after native calls on another thread");
    }

    static volatile float half = 0.5f, minNormal = Float.MIN_NORMAL, minSub = Float.MIN_VALUE;

    /** FTZ would make the product 0; DAZ would make the subnormal operand 0. Volatile reads defeat constant folding. */
    static void assertGradualUnderflowInJava(String when) {
        float product = minNormal * half;          // 2^-127, subnormal
        assertEquals(Float.floatToIntBits(0x1p-127f), Float.floatToIntBits(product), "FTZ in effect " + when);
        float sum = minSub + minSub;               // subnormal operands
        assertEquals(Float.floatToIntBits(0x1p-148f), Float.floatToIntBits(sum), "DAZ in effect " + when);
        double d = (double) minSub * 4;
        assertEquals(0x1p-147, d, 0.0, "subnormal to double " + when);
    }

    static boolean r1s1(Conv2dProblem p) {
        return p.r() == 1;
    }

    static float[] windowSums(float[] x, float tiny, Conv2dProblem p) {
        float[] out = new float[(int) p.outputElements()];
        int plane = (int) (p.p() * p.q());
        for (int i = 0; i < out.length; i++) {
            int pq = i % plane, r = pq / (int) p.q(), c = pq % (int) p.q();
            float s = 0;
            for (int dr = 0; dr < 2; dr++) for (int dc = 0; dc < 2; dc++) s += x[(r + dr) * 3 + c + dc];
            out[i] = s;
        }
        return out;
    }

    static boolean allNan(float[] a) {
        for (float v : a) if (!Float.isNaN(v)) return false;
        return true;
    }

    static boolean hasNan(float[] a) {
        for (float v : a) if (Float.isNaN(v)) return true;
        return false;
    }

    static boolean hasInf(float[] a) {
        for (float v : a) if (Float.isInfinite(v)) return true;
        return false;
    }

}
