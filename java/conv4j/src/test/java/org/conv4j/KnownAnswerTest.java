package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Hand-computed answers, on every backend. */
class KnownAnswerTest {
    static java.util.stream.Stream<String> backends() {
        return Run.backends();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void sobelXOnGradientImage(String backend) {
        float[] x = new float[25];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) x[i * 5 + j] = 10 * (i + 1) * (j + 1);
        }
        float[] sobelX = {-1, 0, 1, -2, 0, 2, -1, 0, 1};
        Conv2dProblem p = Conv2dProblem.builder().input(1, 1, 5, 5).filters(1, 3, 3).build();
        float[] y = Run.forward(backend, p, x, sobelX, null);
        assertArrayEquals(new float[] {160, 160, 160, 240, 240, 240, 320, 320, 320}, y, 0f, p.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void threeChannelTwoByTwo(String backend) {
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        float[] w = {1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1};
        Conv2dProblem p = Conv2dProblem.builder().input(1, 3, 2, 2).filters(1, 2, 2).build();
        // R: 1+4 = 5, G: 6+7 = 13, B: 9+10+11+12 = 42
        assertArrayEquals(new float[] {60}, Run.forward(backend, p, x, w, null), 0f, p.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void rgbFourByFour(String backend) {
        float[] x = {
            255, 200, 150, 100, 220, 180, 140, 80, 180, 140, 100, 60, 140, 100, 60, 40,
            100, 120, 140, 160, 80, 100, 120, 140, 60, 80, 100, 120, 40, 60, 80, 100,
            50, 80, 110, 140, 70, 100, 130, 160, 90, 120, 150, 180, 110, 140, 170, 200};
        float[] w = {
            1, 0, -1, 2, 0, -2, 1, 0, -1,
            0, 1, 0, 1, -4, 1, 0, 1, 0,
            -1, -1, -1, -1, 8, -1, -1, -1, -1};
        Conv2dProblem p = Conv2dProblem.builder().input(1, 3, 4, 4).filters(1, 3, 3).build();
        assertArrayEquals(new float[] {345, 380, 320, 320}, Run.forward(backend, p, x, w, null), 0f, p.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void biasIsAddedPerOutputChannel(String backend) {
        Conv2dProblem p = Conv2dProblem.builder().input(1, 1, 2, 2).filters(2, 1, 1).bias(true).build();
        float[] y = Run.forward(backend, p, new float[] {1, 2, 3, 4}, new float[] {1, 10}, new float[] {0.5f, -100});
        assertArrayEquals(new float[] {1.5f, 2.5f, 3.5f, 4.5f, -90, -80, -70, -60}, y, 0f, p.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void convolutionModeRotatesTheKernel(String backend) {
        // x = 3x3 ramp 1..9, kernel with a single 1 at (0,0): correlation picks x[p][q], convolution x[p+1][q+1].
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] w = {1, 0, 0, 0};
        Conv2dProblem corr = Conv2dProblem.builder().input(1, 1, 3, 3).filters(1, 2, 2).build();
        Conv2dProblem conv = Conv2dProblem.builder().input(1, 1, 3, 3).filters(1, 2, 2).mode(Mode.CONVOLUTION).build();
        assertArrayEquals(new float[] {1, 2, 4, 5}, Run.forward(backend, corr, x, w, null), 0f);
        assertArrayEquals(new float[] {5, 6, 8, 9}, Run.forward(backend, conv, x, w, null), 0f);
    }

    @Test
    void parameterCounts() {
        assertEquals(1_792, Conv2dProblem.builder().input(1, 3, 32, 32).filters(64, 3, 3).bias(true).build().parameterCount());
        assertEquals(73_856, Conv2dProblem.builder().input(1, 64, 32, 32).filters(128, 3, 3).bias(true).build().parameterCount());
        assertEquals(1_728, Conv2dProblem.builder().input(1, 3, 32, 32).filters(64, 3, 3).build().parameterCount());
    }
}
