package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Shape arithmetic against hand computation. */
class Conv2dProblemTest {
    @Test
    void outputSizeFollowsTheFormula() {
        // P = floor((7 + 1 + 1 - 3) / 2) + 1 = 4, Q = floor((5 + 0 + 0 - 3) / 2) + 1 = 2
        Conv2dProblem p = Conv2dProblem.builder().input(1, 1, 7, 5).filters(1, 3, 3).stride(2, 2).pad(1, 0, 1, 0).build();
        assertEquals(4, p.p());
        assertEquals(2, p.q());
        // dilation 2 on a 3x3 spans 5: (8 + 2 - 5) / 2 + 1 = 3
        Conv2dProblem d = Conv2dProblem.builder().input(2, 3, 8, 8).filters(2, 3, 3).stride(2, 2).pad(1, 1, 1, 1).dilation(2, 2).build();
        assertEquals(3, d.p());
        assertEquals(3, d.q());
    }

    @Test
    void samePaddingPutsTheOddPadAtTheEndForUpperAndTheStartForLower() {
        // in 6, stride 1, k 4: out 6, total = 5*1 + 3 + 1 - 6 = 3
        Conv2dProblem up = Conv2dProblem.builder().input(1, 1, 6, 6).filters(1, 4, 4).autoPad(AutoPad.SAME_UPPER).build();
        assertEquals(1, up.padTop());
        assertEquals(2, up.padBottom());
        Conv2dProblem low = Conv2dProblem.builder().input(1, 1, 6, 6).filters(1, 4, 4).autoPad(AutoPad.SAME_LOWER).build();
        assertEquals(2, low.padTop());
        assertEquals(1, low.padBottom());
        assertEquals(6, low.p());
    }

    @Test
    void sameOutputIsCeilOfInputOverStrideAtAnyStride() {
        for (int stride = 1; stride <= 5; stride++) {
            for (int in = 1; in <= 17; in++) {
                Conv2dProblem p = Conv2dProblem.builder().input(1, 1, in, in).filters(1, 3, 3).stride(stride, stride)
                        .dilation(2, 1).autoPad(AutoPad.SAME_UPPER).build();
                assertEquals((in + stride - 1) / stride, p.p(), p.toString());
                assertEquals((in + stride - 1) / stride, p.q(), p.toString());
            }
        }
    }

    @Test
    void validMeansNoPadding() {
        Conv2dProblem p = Conv2dProblem.builder().input(1, 1, 5, 5).filters(1, 3, 3).autoPad(AutoPad.VALID).build();
        assertEquals(3, p.p());
        assertEquals(0, p.padTop() + p.padLeft() + p.padBottom() + p.padRight());
    }

    @Test
    void derivedCounts() {
        Conv2dProblem p = Conv2dProblem.builder().input(2, 8, 10, 12).filters(6, 3, 2).groups(2).bias(true).build();
        assertEquals(4 * 3 * 2, p.reduction());
        assertEquals(2L * 6 * 8 * 11 * 24 * 2, p.flops());
        assertEquals(6 * 4 * 3 * 2 + 6, p.parameterCount());
        assertEquals(Algorithm.DIRECT_SMALL_REDUCTION, p.algorithm()); // reduction 24, 6 filters, stride 1 along W
    }

    @Test
    void workspaceIsBoundedByBandsOfOutputRows() {
        // one row of columns: 27 * 1920 * 4 = 207,360 bytes; 1 MiB holds 5 rows -> 216 bands of 5
        // (40 filters: beyond the direct small-reduction path, which needs no workspace; im2col forced, as the
        // registry would pick DIRECT_BLOCKED, whose bands are the same: AlgorithmTest)
        Conv2dProblem p = Conv2dProblem.builder().input(1, 3, 1080, 1920).filters(40, 3, 3).pad(1, 1, 1, 1)
                .workspaceLimitBytes(1 << 20).algorithm(Algorithm.IM2COL_GEMM).build();
        assertEquals(Algorithm.IM2COL_GEMM, p.algorithm());
        assertEquals(5, p.tileRows());
        assertEquals(27L * 5 * 1920 * 4, p.workspaceBytes());
        Conv2dProblem tiny = Conv2dProblem.builder().input(1, 3, 20, 20).filters(8, 3, 3).workspaceLimitBytes(1).build();
        assertEquals(1, tiny.tileRows());
    }

    @Test
    void aForcedPathRoundTripsAndMustApply() {
        Conv2dProblem p = Conv2dProblem.builder().input(1, 3, 8, 8).filters(4, 3, 3).pad(1, 1, 1, 1)
                .algorithm(Algorithm.IM2COL_GEMM).build();
        assertEquals(Algorithm.IM2COL_GEMM, p.algorithm());
        assertEquals("n1c3h8w8k4r3s3sh1sw1pt1pl1pb1pr1dh1dw1g1b0_alg-im2col-gemm", p.toString());
        assertEquals(p, Conv2dProblem.parse(p.toString()));
        ValidationTest.rejects(() -> Conv2dProblem.builder().input(1, 3, 8, 8).filters(4, 3, 3)
                .algorithm(Algorithm.DEPTHWISE).build(), "algorithm DEPTHWISE cannot run", "IM2COL_GEMM");
        ValidationTest.rejects(() -> Conv2dProblem.parse("n1c1h5w5k1r3s3_alg-winograd"), "unknown algorithm 'winograd'",
                "im2col-gemm", "n1c1h5w5k1r3s3_alg-winograd");
    }

    @Test
    void picksThePath() {
        assertEquals(Algorithm.DIRECT_BLOCKED, Conv2dProblem.parse("n1c256h56w56k64r1s1").algorithm());
        assertEquals(Algorithm.DIRECT_GEMM, Conv2dProblem.parse("n1c12h56w56k64r1s1").algorithm()); // reduction 12
        assertEquals(Algorithm.SEPARABLE, Conv2dProblem.parse("n1c32h112w112k32r3s3pt1pl1pb1pr1g32").algorithm());
        assertEquals(Algorithm.DEPTHWISE, Conv2dProblem.parse("n1c32h112w112k32r1s3pt0pl1pb0pr1g32").algorithm());
        assertEquals(Algorithm.SEPARABLE, Conv2dProblem.parse("n1c1h5w5k1r3s3").algorithm());
        assertEquals(Algorithm.DIRECT_SMALL_REDUCTION, Conv2dProblem.parse("n1c1h5w5k1r2s2").algorithm());
        // the prep-* cases: DIRECT_SMALL_REDUCTION applies first, DIRECT_BLOCKED is chosen (8 and 16 filters)
        assertEquals(Algorithm.DIRECT_BLOCKED, Conv2dProblem.parse("n1c3h1080w1920k8r3s3pt1pl1pb1pr1b1").algorithm());
        assertEquals(Algorithm.DIRECT_BLOCKED, Conv2dProblem.parse("n32c3h224w224k16r5s5pt2pl2pb2pr2b1").algorithm());
        assertEquals(Algorithm.DIRECT_SMALL_REDUCTION, Conv2dProblem.parse("n1c3h1080w1920k4r3s3pt1pl1pb1pr1b1").algorithm());
        assertEquals(Algorithm.IM2COL_GEMM, Conv2dProblem.parse("n1c2h5w5k1r3s3sw2").algorithm()); // stride along W
        assertEquals(Algorithm.SEPARABLE, Conv2dProblem.parse("n1c1h5w5k33r3s3sw2").algorithm());  // C/groups = 1
        assertEquals(Algorithm.IM2COL_GEMM, Conv2dProblem.parse("n1c9h5w5k1r3s3").algorithm());    // reduction 81, 1 filter
        assertEquals(Algorithm.DIRECT_BLOCKED, Conv2dProblem.parse("n1c2h5w5k33r3s3").algorithm()); // 33 filters
        assertEquals(Algorithm.DIRECT_BLOCKED, Conv2dProblem.parse("n1c2h5w5k8r3s3sw2").algorithm()); // 8, stride along W
        assertEquals(Algorithm.IM2COL_GEMM, Conv2dProblem.parse("n1c2h5w5k7r3s3sw2").algorithm());  // 7: below a block
        assertEquals(Algorithm.IM2COL_GEMM, Conv2dProblem.parse("n1c2h9w20k8r1s7sw2").algorithm()); // reduction 14 < 16
        assertEquals(Algorithm.DIRECT_BLOCKED, Conv2dProblem.parse("n1c16h5w5k64r3s3g2").algorithm());
        assertEquals(Algorithm.DIRECT_SMALL_REDUCTION, Conv2dProblem.parse("n1c16h5w5k12r3s3g2").algorithm()); // 6 filters a group
    }
}
