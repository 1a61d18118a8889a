package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Border modes against hand-computed (and numpy.pad-printed) expectations, on every backend and every
 * algorithm that can read a border (each forced with {@link Conv2dProblem.Builder#path}; the direct GEMM
 * runs unpadded problems only). Each problem also runs as two groups of one channel, so the depthwise
 * path applies; each test asserts the paths it reached.
 */
class BorderTest {
    /** np.pad([1, 2, 3], (7, 8), mode) for each mode: pads wider than the input repeat periodically. */
    static final float[][] PADDED_7_8 = {
        {0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0},
        {2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3},
        {1, 1, 2, 3, 3, 2, 1, 1, 2, 3, 3, 2, 1, 1, 2, 3, 3, 2},
        {1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3},
        {3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2},
    };

    /** [1, 2, 3] padded by 2 per side, then summed over windows of 3 (by hand). */
    static final float[][] BOX3_PAD2 = {
        {1, 3, 6, 5, 3},   // 0 0 1 2 3 0 0
        {6, 5, 6, 7, 6},   // 3 2 1 2 3 2 1
        {4, 4, 6, 8, 8},   // 2 1 1 2 3 3 2
        {3, 4, 6, 8, 9},   // 1 1 1 2 3 3 3
        {6, 6, 6, 6, 6},   // 2 3 1 2 3 1 2
    };

    static Stream<Arguments> cases() {
        return Run.backends().flatMap(b -> Stream.of(Border.values()).map(m -> Arguments.of(b, m)));
    }

    @Test
    void indexMatchesNumpyPadForWidePads() {
        for (Border m : Border.values()) {
            float[] got = new float[18];
            for (int i = 0; i < 18; i++) {
                long src = m.index(i - 7, 3);
                got[i] = src < 0 ? 0 : src + 1;
            }
            assertArrayEquals(PADDED_7_8[m.ordinal()], got, 0f, m.toString());
        }
    }

    /**
     * {@code h x w} input, one {@code r x s} filter, the padding and border of {@code padded}: as one channel and
     * as two groups of one channel, each on every path that applies; {@code check} gets every output plane.
     * Returns the problems run.
     */
    static List<Conv2dProblem> onEveryPath(String backend, Conv2dProblem.Builder padded, long h, long w, long r, long s,
                                           float[] plane, float[] filter, BiConsumer<String, float[]> check) {
        List<Conv2dProblem> ran = new ArrayList<>();
        for (long c = 1; c <= 2; c++) {
            Run.planes(backend, Run.paths(padded.input(1, c, h, w).filters(c, r, s).groups(c)), plane, filter, ran, check);
        }
        return ran;
    }

    static Conv2dProblem.Builder padded(Border mode, long top, long left, long bottom, long right) {
        return Conv2dProblem.builder().pad(top, left, bottom, right).border(mode);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void oneByOneKernelReproducesNumpyPadAlongWidthAndHeight(String backend, Border mode) {
        float[] expected = PADDED_7_8[mode.ordinal()], x = {1, 2, 3}, one = {1};
        List<Conv2dProblem> ran = new ArrayList<>(onEveryPath(backend, padded(mode, 0, 7, 0, 8), 1, 3, 1, 1, x, one,
                (what, y) -> assertArrayEquals(expected, y, 0f, what)));
        ran.addAll(onEveryPath(backend, padded(mode, 7, 0, 8, 0), 3, 1, 1, 1, x, one,
                (what, y) -> assertArrayEquals(expected, y, 0f, what)));
        Run.assertEveryAlgorithm(ran, Algorithm.DIRECT_GEMM);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void boxFilterOverPaddedRow(String backend, Border mode) {
        List<Conv2dProblem> ran = onEveryPath(backend, padded(mode, 0, 2, 0, 2), 1, 3, 1, 3, new float[] {1, 2, 3},
                new float[] {1, 1, 1}, (what, y) -> assertArrayEquals(BOX3_PAD2[mode.ordinal()], y, 0f, what));
        Run.assertEveryAlgorithm(ran, Algorithm.DIRECT_GEMM);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void sizeOneInputWithWidePadding(String backend, Border mode) {
        List<Conv2dProblem> ran = onEveryPath(backend, padded(mode, 3, 3, 3, 3), 1, 1, 1, 1, new float[] {5},
                new float[] {1}, (what, y) -> {
                    for (int i = 0; i < 49; i++) assertEquals(mode == Border.ZERO && i != 24 ? 0 : 5, y[i], what + " at " + i);
                });
        Run.assertEveryAlgorithm(ran, Algorithm.DIRECT_GEMM);
    }

    @Test
    void parsesLabelsAndRejectsUnknown() {
        assertEquals(Border.SYMMETRIC, Border.parse("Symmetric"));
        ValidationTest.rejects(() -> Border.parse("mirror"), "unknown border 'mirror'");
        Conv2dProblem p = Conv2dProblem.builder().input(1, 1, 4, 4).filters(1, 3, 3).border(Border.CIRCULAR)
                .epilogue(Epilogue.clamp(0, 6).withSum()).build();
        assertEquals("n1c1h4w4k1r3s3sh1sw1pt0pl0pb0pr0dh1dw1g1b0_circular_sum_clamp0:6", p.toString());
        assertEquals(p, Conv2dProblem.parse(p.toString()));
    }
}
