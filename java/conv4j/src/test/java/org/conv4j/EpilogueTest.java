package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fused epilogues: bias, then residual sum, then activation, on every backend and every algorithm (each
 * forced with {@link Conv2dProblem.Builder#path}); every test asserts that its problems reached each path.
 */
class EpilogueTest {
    static java.util.stream.Stream<String> backends() {
        return Run.backends();
    }

    /**
     * x = [1 2; 3 4] per channel, 1x1 weights {1, -1}, bias {-2, 0}: pre-activation [-1 0 1 2 | -1 -2 -3 -4],
     * computed as one dense problem (C = 1) and as two groups of one channel (C = 2, the plane twice), each
     * on every algorithm that applies to it: between them, every path.
     */
    static void check(String backend, Epilogue e, float[] yIn, float[] expected) {
        Conv2dBackend be = Run.backend(backend);
        List<Conv2dProblem> ran = new ArrayList<>(
                Run.paths(Conv2dProblem.builder().input(1, 1, 2, 2).filters(2, 1, 1).bias(true).epilogue(e)));
        ran.addAll(Run.paths(Conv2dProblem.builder().input(1, 2, 2, 2).filters(2, 1, 1).groups(2).bias(true).epilogue(e)));
        for (Conv2dProblem p : ran) {
            float[] x = p.c() == 1 ? new float[] {1, 2, 3, 4} : new float[] {1, 2, 3, 4, 1, 2, 3, 4};
            assertArrayEquals(expected, run(be, p, x, new float[] {1, -1}, new float[] {-2, 0}, yIn), 0f, backend + " " + p);
        }
        Run.assertEveryAlgorithm(ran);
    }

    /** {@code p} on {@code be} into an output holding {@code yIn} (the residual of a summing epilogue). */
    static float[] run(Conv2dBackend be, Conv2dProblem p, float[] x, float[] w, float[] bias, float[] yIn) {
        try (Tensor tx = Tensor.of(x, p.inputShape()); Tensor tw = Tensor.of(w, p.weightShape());
             Tensor tb = Tensor.of(bias, p.biasShape()); Tensor y = Tensor.of(yIn, p.outputShape())) {
            Conv2d.forward(p, tx, tw, tb, y, be);
            return y.toArray();
        }
    }

    static final float[] ZEROS = new float[8];
    static final float[] RESIDUAL = {10, 10, 10, 10, 1, 1, 1, 1};

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void reluAndClampAfterBias(String backend) {
        check(backend, Epilogue.NONE, ZEROS, new float[] {-1, 0, 1, 2, -1, -2, -3, -4});
        check(backend, Epilogue.relu(), ZEROS, new float[] {0, 0, 1, 2, 0, 0, 0, 0});
        check(backend, Epilogue.clamp(-0.5f, 1.5f), ZEROS, new float[] {-0.5f, 0, 1, 1.5f, -0.5f, -0.5f, -0.5f, -0.5f});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void residualSumBeforeActivation(String backend) {
        check(backend, Epilogue.NONE.withSum(), RESIDUAL, new float[] {9, 10, 11, 12, 0, -1, -2, -3});
        check(backend, Epilogue.relu().withSum(), RESIDUAL, new float[] {9, 10, 11, 12, 0, 0, 0, 0});
        check(backend, Epilogue.clamp(0, 6).withSum(), RESIDUAL, new float[] {6, 6, 6, 6, 0, 0, 0, 0});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void clampAndResidualAfterA3x3KernelOverAReflectBorder(String backend) {
        // 3x3 box over the ramp 0..8 (channel 0) and its negative (channel 1), reflect border of 1: box sums
        // S = [24 27 30; 33 36 39; 42 45 48] (numpy.pad(ramp, 1, 'reflect')); bias {-30, 40}, residual 1,
        // ReLU6: clamp(S - 29, 0, 6) and clamp(41 - S, 0, 6). No 1x1 kernel: every path but the direct GEMM.
        Conv2dBackend be = Run.backend(backend);
        float[] x = new float[18], w = new float[18], residual = new float[18];
        for (int i = 0; i < 9; i++) {
            x[i] = i;
            x[9 + i] = -i;
        }
        Arrays.fill(w, 1);
        Arrays.fill(residual, 1);
        float[] expected = {0, 0, 1, 4, 6, 6, 6, 6, 6, /* channel 1 */ 6, 6, 6, 6, 5, 2, 0, 0, 0};
        List<Conv2dProblem> ran = Run.paths(Conv2dProblem.builder().input(1, 2, 3, 3).filters(2, 3, 3).pad(1, 1, 1, 1)
                .groups(2).border(Border.REFLECT).bias(true).epilogue(Epilogue.clamp(0, 6).withSum()));
        for (Conv2dProblem p : ran) {
            assertArrayEquals(expected, run(be, p, x, w, new float[] {-30, 40}, residual), 0f, backend + " " + p);
        }
        Run.assertEveryAlgorithm(ran, Algorithm.DIRECT_GEMM);
    }

    @Test
    void rejectsBadClampAndSumWithoutOutputTensor() {
        ValidationTest.rejects(() -> Epilogue.clamp(6, 0), "lo <= hi", "lo=6.0", "hi=0.0");
        ValidationTest.rejects(() -> Epilogue.clamp(Float.NaN, 0), "lo=NaN");
        ValidationTest.rejects(() -> Epilogue.parse("gelu"), "unknown activation 'gelu'");
        Conv2dProblem p = Conv2dProblem.builder().input(1, 1, 2, 2).filters(1, 1, 1).epilogue(Epilogue.relu().withSum()).build();
        try (Tensor x = Tensor.zeros(p.inputShape()); Tensor w = Tensor.zeros(p.weightShape())) {
            ValidationTest.rejects(() -> Conv2d.forward(p, x, w, null, Backends.reference()), "epilogue sum", "forward(x, w, bias, y)");
        }
    }
}
