package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Fused epilogues: bias, then residual sum, then activation, on every backend and path. */
class EpilogueTest {
    static java.util.stream.Stream<String> backends() {
        return Run.backends();
    }

    /** x = [1 2; 3 4] per channel, 1x1 weights {1, -1}, bias {-2, 0}: pre-activation [-1 0 1 2 | -1 -2 -3 -4]. */
    static float[] run(String backend, Epilogue e, Conv2dProblem.Path path, float[] yIn) {
        Conv2dProblem.Builder b = Conv2dProblem.builder().input(1, 1, 2, 2).filters(2, 1, 1).bias(true).epilogue(e);
        if (path == Conv2dProblem.Path.IM2COL_GEMM) b.pad(0, 0, 0, 0).stride(1, 1).dilation(1, 1).filters(2, 1, 1);
        Conv2dProblem p = path == Conv2dProblem.Path.DEPTHWISE
                ? Conv2dProblem.builder().input(1, 1, 2, 2).filters(2, 1, 1).bias(true).epilogue(e).groups(1).build()
                : b.build();
        Conv2dBackend be = Run.backend(backend);
        try (Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, p.inputShape());
             Tensor w = Tensor.of(new float[] {1, -1}, p.weightShape());
             Tensor bias = Tensor.of(new float[] {-2, 0}, p.biasShape());
             Tensor y = Tensor.of(yIn, p.outputShape())) {
            Conv2d.forward(p, x, w, bias, y, be);
            return y.toArray();
        }
    }

    static final float[] ZEROS = new float[8];
    static final float[] RESIDUAL = {10, 10, 10, 10, 1, 1, 1, 1};

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void reluAndClampAfterBias(String backend) {
        assertArrayEquals(new float[] {-1, 0, 1, 2, -1, -2, -3, -4}, run(backend, Epilogue.NONE, null, ZEROS), 0f);
        assertArrayEquals(new float[] {0, 0, 1, 2, 0, 0, 0, 0}, run(backend, Epilogue.relu(), null, ZEROS), 0f);
        assertArrayEquals(new float[] {-0.5f, 0, 1, 1.5f, -0.5f, -0.5f, -0.5f, -0.5f},
                run(backend, Epilogue.clamp(-0.5f, 1.5f), null, ZEROS), 0f);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void residualSumBeforeActivation(String backend) {
        assertArrayEquals(new float[] {9, 10, 11, 12, 0, -1, -2, -3}, run(backend, Epilogue.NONE.withSum(), null, RESIDUAL), 0f);
        assertArrayEquals(new float[] {9, 10, 11, 12, 0, 0, 0, 0}, run(backend, Epilogue.relu().withSum(), null, RESIDUAL), 0f);
        assertArrayEquals(new float[] {6, 6, 6, 6, 0, 0, 0, 0}, run(backend, Epilogue.clamp(0, 6).withSum(), null, RESIDUAL), 0f);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void depthwiseAndIm2colPathsApplyTheSameEpilogue(String backend) {
        // 3x3 box over a 3x3 ramp with reflect border, two depthwise channels, ReLU6 + residual.
        Conv2dProblem p = Conv2dProblem.builder().input(1, 2, 3, 3).filters(2, 3, 3).pad(1, 1, 1, 1).groups(2)
                .border(Border.REPLICATE).bias(true).epilogue(Epilogue.clamp(0, 6).withSum()).build();
        Conv2dProblem dense = Conv2dProblem.parse(p.toString().replace("g2", "g1").replace("c2", "c1"));
        float[] x = {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0};
        float[] ones = new float[9];
        java.util.Arrays.fill(ones, 1);
        Conv2dBackend be = Run.backend(backend);
        try (Tensor tx = Tensor.of(x, p.inputShape()); Tensor tw = Tensor.zeros(p.weightShape());
             Tensor tb = Tensor.of(new float[] {0.5f, 7}, p.biasShape()); Tensor y = Tensor.zeros(p.outputShape())) {
            float[] w = new float[18];
            System.arraycopy(ones, 0, w, 0, 9);
            System.arraycopy(ones, 0, w, 9, 9);
            tw.copyFrom(w);
            float[] yIn = new float[18];
            java.util.Arrays.fill(yIn, 1);
            y.copyFrom(yIn);
            Conv2d.forward(p, tx, tw, tb, y, be);
            // channel 0: box sum of a centred 1 is 1 everywhere (+0.5 bias +1 residual = 2.5);
            // channel 1: -1 + 7 + 1 = 7 -> clamped to 6.
            float[] expected = new float[18];
            java.util.Arrays.fill(expected, 0, 9, 2.5f);
            java.util.Arrays.fill(expected, 9, 18, 6f);
            assertArrayEquals(expected, y.toArray(), 0f, p.toString());
        }
        org.junit.jupiter.api.Assertions.assertEquals(Conv2dProblem.Path.DEPTHWISE, p.path());
        // one channel, 3x3, stride 1: the direct small-reduction path (IM2COL_GEMM before it existed)
        org.junit.jupiter.api.Assertions.assertEquals(Conv2dProblem.Path.DIRECT_SMALL_REDUCTION, dense.path());
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
