package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * NaN and infinities propagate as in PyTorch (a NaN in a window gives NaN; Inf * 0 gives NaN, also for an
 * infinite weight over a zero border); subnormal inputs are computed, not flushed; the native code leaves
 * the floating-point mode of Java threads alone. On every backend and every algorithm that applies (each
 * forced with {@link Conv2dProblem.Builder#path}; each test asserts the paths it reached); expected values
 * are worked out by hand.
 */
class SpecialValuesTest {
    static final float NAN = Float.NaN, INF = Float.POSITIVE_INFINITY;
    static final float[] ONES_2X2 = {1, 1, 1, 1};

    /** {@link Run#planes} over every path that applies to {@code shape}. */
    static void onEveryPath(String backend, String shape, float[] plane, float[] filter, List<Conv2dProblem> ran,
                            BiConsumer<String, float[]> check) {
        Run.planes(backend, Run.paths(shape), plane, filter, ran, check);
    }

    @ParameterizedTest
    @MethodSource("org.conv4j.Run#backends")
    void aNanInAWindowGivesNanExactlyWhereTheWindowCoversIt(String backend) {
        List<Conv2dProblem> ran = new ArrayList<>();
        float[] centre = {1, 2, 3, 4, NAN, 6, 7, 8, 9}, corner = {NAN, 2, 3, 4, 5, 6, 7, 8, 9};
        for (String shape : new String[] {"n1c1h3w3k1r2s2", "n1c2h3w3k2r2s2g2"}) {
            // the centre NaN lies in all four 2x2 windows, the corner one in the first only
            onEveryPath(backend, shape, centre, ONES_2X2, ran, (what, y) -> assertTrue(allNan(y), what + " " + Arrays.toString(y)));
            onEveryPath(backend, shape, corner, ONES_2X2, ran, (what, y) -> {
                assertTrue(Float.isNaN(y[0]), what);
                assertArrayEquals(new float[] {2 + 3 + 5 + 6, 4 + 5 + 7 + 8, 5 + 6 + 8 + 9}, Arrays.copyOfRange(y, 1, 4), what);
            });
        }
        // a 1x1 window: NaN exactly where the input has it
        onEveryPath(backend, "n1c1h3w3k1r1s1", centre, new float[] {1}, ran, (what, y) -> {
            for (int i = 0; i < 9; i++) assertEquals(Float.floatToIntBits(centre[i]), Float.floatToIntBits(y[i]), what + " at " + i);
        });
        Run.assertEveryAlgorithm(ran);
    }

    @ParameterizedTest
    @MethodSource("org.conv4j.Run#backends")
    void infinityTimesZeroIsNanAlsoForAnInfiniteWeightOverAZeroBorder(String backend) {
        List<Conv2dProblem> ran = new ArrayList<>();
        float[] ones = new float[9];
        Arrays.fill(ones, 1);
        float[] infCorner = {INF, 1, 1, 1, 1, 1, 1, 1, -INF};
        for (String shape : new String[] {"n1c1h3w3k1r2s2", "n1c2h3w3k2r2s2g2"}) {
            // zero border of 1, Inf weight at tap (0,0): outputs whose tap (0,0) reads the border (p or q = 0,
            // it reads input (p-1, q-1)) are Inf*0 = NaN, the others Inf
            onEveryPath(backend, shape + "pt1pl1pb1pr1", ones, new float[] {INF, 1, 1, 1}, ran, (what, y) -> {
                for (int p = 0; p < 4; p++) {
                    for (int q = 0; q < 4; q++) {
                        float v = y[p * 4 + q];
                        assertTrue(p == 0 || q == 0 ? Float.isNaN(v) : v == INF, what + " y[" + p + "][" + q + "] = " + v);
                    }
                }
            });
            // Inf input times a zero weight: NaN; Inf + (-Inf): NaN
            onEveryPath(backend, shape, infCorner, new float[] {0, 1, 1, 1}, ran, (what, z) ->
                    assertTrue(Float.isNaN(z[0]) && z[1] == 3 && z[2] == 3 && z[3] == -INF, what + " " + Arrays.toString(z)));
            onEveryPath(backend, shape.replace("r2s2", "r3s3"), infCorner, Run.repeat(new float[] {1}, 9), ran, (what, s) ->
                    assertTrue(Float.isNaN(s[0]), what + " Inf + -Inf = " + s[0]));
        }
        // the same terms through a 1x1 kernel over two channels (unpadded: the direct GEMM's problems)
        for (Conv2dProblem p : Run.paths("n1c2h1w1k1r1s1")) {
            float[] infTimesZero = Run.forward(backend, p, new float[] {INF, 1}, new float[] {0, 1}, null);
            float[] infMinusInf = Run.forward(backend, p, new float[] {INF, -INF}, new float[] {1, 1}, null);
            assertTrue(Float.isNaN(infTimesZero[0]) && Float.isNaN(infMinusInf[0]), backend + " " + p);
            ran.add(p);
        }
        Run.assertEveryAlgorithm(ran);
    }

    @ParameterizedTest
    @MethodSource("org.conv4j.Run#backends")
    void nanAndInfinityAgreeWithTheReference(String backend) {
        List<Conv2dProblem> ran = new ArrayList<>();
        for (String shape : new String[] {"n1c2h3w3k2r1s1", "n1c2h3w3k2r2s2", "n1c2h3w3k2r2s2pt1pl1pb1pr1g2"}) {
            for (Conv2dProblem p : Run.paths(shape)) {
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
                if (p.groups() > 1) assertTrue(hasInf(ref), p::toString); // channel 1 alone: Inf, not NaN
                ran.add(p);
            }
        }
        Run.assertEveryAlgorithm(ran);
    }

    @ParameterizedTest
    @MethodSource("org.conv4j.Run#backends")
    void activationsLetNanThrough(String backend) {
        List<Conv2dProblem> ran = new ArrayList<>();
        float[] x = {NAN, 1, 1, 1, 1, 1, 1, 1, 1};
        for (String epilogue : new String[] {"_relu", "_clamp0:6"}) {
            for (String shape : new String[] {"n1c1h3w3k1r2s2", "n1c2h3w3k2r2s2g2"}) {
                onEveryPath(backend, shape + epilogue, x, ONES_2X2, ran, (what, y) ->
                        assertTrue(Float.isNaN(y[0]) && y[3] == 4, what + " " + Arrays.toString(y)));
            }
            onEveryPath(backend, "n1c1h3w3k1r1s1" + epilogue, x, new float[] {1}, ran, (what, y) ->
                    assertTrue(Float.isNaN(y[0]) && y[8] == 1, what + " " + Arrays.toString(y)));
        }
        Run.assertEveryAlgorithm(ran);
    }

    @ParameterizedTest
    @MethodSource("org.conv4j.Run#backends")
    void subnormalInputsAreComputedNotFlushed(String backend) {
        List<Conv2dProblem> ran = new ArrayList<>();
        float tiny = Float.MIN_VALUE; // 2^-149, the smallest subnormal
        float[] x = {tiny, 2 * tiny, 3 * tiny, 4 * tiny, 5 * tiny, 6 * tiny, 7 * tiny, 8 * tiny, 9 * tiny};
        for (String shape : new String[] {"n1c1h3w3k1r2s2", "n1c1h3w3k1r1s1", "n1c2h3w3k2r2s2g2"}) {
            Conv2dProblem shaped = Conv2dProblem.parse(shape);
            // window sums of subnormal multiples of 2^-149 are exact: (1+2+4+5) * 2^-149, ...
            float[] expected = shaped.r() == 1 ? x : windowSums(x);
            onEveryPath(backend, shape, x, Run.repeat(new float[] {1}, shaped.r() * shaped.s()), ran, (what, y) -> {
                for (int i = 0; i < y.length; i++) {
                    assertEquals(expected[i], y[i], 0f, what + " at " + i);
                    assertTrue(y[i] != 0, what + " flushed a subnormal to zero at " + i);
                }
            });
        }
        // and a subnormal weight on normal input: 2^-140 summed over a window of four ones
        float[] ones = Run.repeat(new float[] {1}, 9);
        onEveryPath(backend, "n1c1h3w3k1r2s2", ones, Run.repeat(new float[] {0x1p-140f}, 4), ran, (what, y) ->
                assertEquals(0x1p-138f, y[0], 0f, what));
        Run.assertEveryAlgorithm(ran);
    }

    @Test
    void nativeCallsLeaveTheJavaThreadFloatingPointModeAlone() throws Exception {
        Run.backend("native");
        assertGradualUnderflowInJava("before native calls");
        List<Conv2dProblem> ran = new ArrayList<>();
        for (String shape : new String[] {"n1c4h9w9k4r3s3pt1pl1pb1pr1", "n1c4h9w9k4r3s3pt1pl1pb1pr1g4", "n1c4h9w9k4r1s1"}) {
            ran.addAll(Run.paths(shape));
        }
        for (int i = 0; i < 20; i++) {
            for (Conv2dProblem p : ran) {
                Run.forward("native", p, new float[(int) p.inputElements()], new float[(int) p.weightElements()], null);
            }
        }
        Run.assertEveryAlgorithm(ran);
        assertGradualUnderflowInJava("after native calls on this thread");
        Conv2dProblem large = Conv2dProblem.parse("n1c16h16w16k16r3s3");
        Thread other = new Thread(() -> Run.forward("native", large, new float[4096], new float[2304], null));
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

    /** The sums of the four 2x2 windows of the 3x3 plane {@code x}. */
    static float[] windowSums(float[] x) {
        float[] out = new float[4];
        for (int i = 0; i < 4; i++) {
            int r = i / 2, c = i % 2;
            out[i] = x[r * 3 + c] + x[r * 3 + c + 1] + x[(r + 1) * 3 + c] + x[(r + 1) * 3 + c + 1];
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
