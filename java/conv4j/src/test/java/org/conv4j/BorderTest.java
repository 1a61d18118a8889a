package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Border modes against hand-computed (and numpy.pad-printed) expectations, on every backend. */
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

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void oneByOneKernelReproducesNumpyPadAlongWidthAndHeight(String backend, Border mode) {
        Conv2dProblem row = Conv2dProblem.builder().input(1, 1, 1, 3).filters(1, 1, 1).pad(0, 7, 0, 8).border(mode).build();
        assertArrayEquals(PADDED_7_8[mode.ordinal()], Run.forward(backend, row, new float[] {1, 2, 3}, new float[] {1}, null),
                0f, row.toString());
        Conv2dProblem col = Conv2dProblem.builder().input(1, 1, 3, 1).filters(1, 1, 1).pad(7, 0, 8, 0).border(mode).build();
        assertArrayEquals(PADDED_7_8[mode.ordinal()], Run.forward(backend, col, new float[] {1, 2, 3}, new float[] {1}, null),
                0f, col.toString());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void boxFilterOverPaddedRow(String backend, Border mode) {
        Conv2dProblem p = Conv2dProblem.builder().input(1, 1, 1, 3).filters(1, 1, 3).pad(0, 2, 0, 2).border(mode).build();
        assertArrayEquals(BOX3_PAD2[mode.ordinal()], Run.forward(backend, p, new float[] {1, 2, 3}, new float[] {1, 1, 1}, null),
                0f, p.toString());
        // the same through the depthwise path: two channels, groups = 2
        Conv2dProblem dw = Conv2dProblem.builder().input(1, 2, 1, 3).filters(2, 1, 3).pad(0, 2, 0, 2).groups(2).border(mode).build();
        float[] y = Run.forward(backend, dw, new float[] {1, 2, 3, 1, 2, 3}, new float[] {1, 1, 1, 2, 2, 2}, null);
        for (int q = 0; q < 5; q++) {
            assertEquals(BOX3_PAD2[mode.ordinal()][q], y[q], dw.toString());
            assertEquals(2 * BOX3_PAD2[mode.ordinal()][q], y[5 + q], dw.toString());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void sizeOneInputWithWidePadding(String backend, Border mode) {
        Conv2dProblem p = Conv2dProblem.builder().input(1, 1, 1, 1).filters(1, 1, 1).pad(3, 3, 3, 3).border(mode).build();
        float[] y = Run.forward(backend, p, new float[] {5}, new float[] {1}, null);
        for (int i = 0; i < 49; i++) {
            float expected = mode == Border.ZERO && i != 24 ? 0 : 5;
            assertEquals(expected, y[i], p + " at " + i);
        }
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
