package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry ({@link Algorithm}) and the schedule ({@link Schedule}) it gives a problem. */
class AlgorithmTest {
    @Test
    void registryIsOrderedLikeOneDnnsImplementationList() {
        assertEquals(List.of(Algorithm.SEPARABLE, Algorithm.DEPTHWISE, Algorithm.DIRECT_GEMM, Algorithm.DIRECT_SMALL_REDUCTION,
                Algorithm.WINOGRAD_F2, Algorithm.WINOGRAD_F4, Algorithm.DIRECT_BLOCKED, Algorithm.IM2COL_GEMM),
                Arrays.asList(Algorithm.values()));
    }

    @Test
    void theFirstApplyingAlgorithmWins() {
        // depthwise 1x3 over 8 channels: DEPTHWISE, DIRECT_SMALL_REDUCTION (reduction 3) and IM2COL_GEMM apply
        Conv2dProblem p = Conv2dProblem.parse("n1c8h9w9k8r1s3g8");
        assertTrue(p.applies(Algorithm.DIRECT_SMALL_REDUCTION) && p.applies(Algorithm.IM2COL_GEMM));
        assertEquals(Algorithm.DEPTHWISE, p.algorithm());
        assertEquals(Algorithm.DEPTHWISE, Algorithm.choose(p));
        // 1x1 over 64 channels: DIRECT_GEMM applies first, but DIRECT_BLOCKED is chosen where it is (64 filters,
        // reduction 64); with 4 filters, DIRECT_GEMM
        Conv2dProblem pointwise = Conv2dProblem.parse("n1c64h4w4k64r1s1");
        assertTrue(pointwise.applies(Algorithm.DIRECT_GEMM) && !Algorithm.DIRECT_GEMM.chosenFor(pointwise));
        assertEquals(Algorithm.DIRECT_BLOCKED, pointwise.algorithm());
        assertEquals(Algorithm.DIRECT_GEMM, Conv2dProblem.parse("n1c64h4w4k4r1s1").algorithm());
    }

    @Test
    void labelsRoundTripThroughTheDescriptor() {
        for (Algorithm a : Algorithm.values()) {
            assertEquals(a, Algorithm.ofLabel(a.label()));
            String shape = a == Algorithm.SEPARABLE ? "n1c2h4w4k2r3s3g2"
                    : a.winograd() != null ? "n1c2h4w4k2r3s3g2_fast" : "n1c2h4w4k2r1s1g2"; // Winograd: 3x3, FAST
            Conv2dProblem p = Conv2dProblem.parse(shape + "_alg-" + a.label());
            assertEquals(a, p.forcedAlgorithm(), p::toString);
            assertEquals(p, Conv2dProblem.parse(p.toString()));
        }
        assertEquals("direct-small-reduction", Algorithm.DIRECT_SMALL_REDUCTION.label());
    }

    @Test
    void fidelityJudgesByTheAlgorithmsOwnBound() {
        for (Conv2dProblem p : Run.paths("n1c1h6w6k2r3s3b1_sum")) {
            assertEquals(p.algorithm().errorBound(p, 100.0), Fidelity.bound(p, 100.0), p::toString);
        }
        // the classical bound by hand: reduction 9, one summed term: gamma(10) = 11u/(1-11u), 10 terms of double error
        Conv2dProblem p = Conv2dProblem.parse("n1c1h6w6k2r3s3b1_sum");
        double u = 0x1p-24, expected = (11 * u / (1 - 11 * u) + 10 * 0x1p-53) * 100.0 + 10 * 0x1p-149;
        assertEquals(expected, Fidelity.classicalBound(p, 100.0), 0.0);
    }

    @Test
    void scheduleCountsBandsAndWorkItems() {
        // one row of columns: 27 * 1920 * 4 = 207,360 bytes; 1 MiB holds 5 rows -> 216 bands of 5 per plane
        Conv2dProblem.Builder b = Conv2dProblem.builder().input(2, 3, 1080, 1920).filters(40, 3, 3).pad(1, 1, 1, 1)
                .workspaceLimitBytes(1 << 20);
        Conv2dProblem p = b.algorithm(Algorithm.IM2COL_GEMM).build();
        Schedule s = p.schedule();
        assertEquals(5, s.tileRows());
        assertEquals(216, s.bands());
        assertEquals(2 * 216, s.workItems());
        assertEquals(27L * 5 * 1920, s.workspaceElements());
        // DIRECT_BLOCKED (chosen: 40 filters, reduction 27): 5 rows, the most whose workspace is within 512 KiB
        // (6 rows: 3 * 15376 + 32 + 8 * 11536 + 224 = 138672 floats > 131072); one plane per channel of
        // (5 + 2) x (1920 + 2) = 13454 -> 13456 floats, slack round16(2) + 16, stage 8 * round16(5 * 1922 = 9610),
        // one packed block round16(8 * 27) = 224
        Conv2dProblem direct = b.algorithm(null).build();
        assertEquals(Algorithm.DIRECT_BLOCKED, direct.algorithm());
        assertEquals(5, direct.schedule().tileRows());
        assertEquals(3L * 13456 + 16 + 16 + 8L * 9616 + 224, direct.schedule().workspaceElements());
        // stride 2, 3x3: four phase planes per channel of (4 + 1) x (10 + 1) = 55 -> 64 floats
        Conv2dProblem strided = Conv2dProblem.parse("n1c2h9w20k8r3s3sh2sw2pt1pl1pb1pr1");
        assertEquals(Algorithm.DIRECT_BLOCKED, strided.algorithm());
        assertEquals(5, strided.p());
        assertEquals(10, strided.q());
        assertEquals(5, strided.tileRows());
        // planes 2 * 4 * round16(6 * 11 = 66) = 2 * 4 * 80, slack round16(1) + 16, stage 8 * round16(5 * 11), packed 8 * 18
        assertEquals(2L * 4 * 80 + 16 + 16 + 8L * 64 + 8 * 18, strided.schedule().workspaceElements());
        // P = 7 rows of 9 * 2 floats with room for 6 per band: 2 bands, balanced to 4 + 3 rows (not 6 + 1)
        Conv2dProblem ragged = Conv2dProblem.builder().input(1, 1, 9, 4).filters(40, 3, 3)
                .workspaceLimitBytes(6L * 9 * 2 * 4).build();
        assertEquals(Algorithm.IM2COL_GEMM, ragged.algorithm()); // reduction 9: not worth DIRECT_BLOCKED's copy
        assertEquals(4, ragged.schedule().tileRows(), ragged::toString);
        assertEquals(2, ragged.schedule().bands(), ragged::toString);
        // resnet50-conv1 (7x7, stride 2, C = 3): at most 54 rows within 512 KiB (12 planes of round16((r + 3) * 115),
        // stage 8 * round16(115 r), round16(8 * 147) = 1184 packed: 129728 floats; 55: 131968 > 131072), balanced to 3 bands of
        // 38; a plan of 2 workers takes 4 bands of 28 (3 items would split 2:1), of 1 worker the 38
        Conv2dProblem conv1 = Conv2dProblem.parse("n1c3h224w224k64r7s7sh2sw2pt3pl3pb3pr3");
        assertEquals(Algorithm.DIRECT_BLOCKED, conv1.algorithm());
        assertEquals(38, conv1.tileRows());
        assertEquals(3, conv1.schedule().bands());
        assertEquals(28, conv1.schedule().tileRowsFor(2));
        assertEquals(38, conv1.schedule().tileRowsFor(1));
        assertEquals(ragged.tileRows(), ragged.schedule().tileRowsFor(2)); // other algorithms keep their bands
        // vgg16-conv3: 5 rows within 512 KiB (256 planes of round16(7 * 58) = 416 floats, slack 32, stage
        // 8 * round16(5 * 58) = 2432, 8 * 2304 packed: 127392 floats; 6 rows: 256 * 464 + 32 + 2816 + 18432 = 140064),
        // 12 bands, the last of 1 row: 2 workers would run 30 and 26 rows; 14 bands of 4 give each 28. 1 worker keeps 5.
        Conv2dProblem vgg = Conv2dProblem.parse("n1c256h56w56k256r3s3pt1pl1pb1pr1");
        assertEquals(Algorithm.DIRECT_BLOCKED, vgg.algorithm());
        assertEquals(5, vgg.tileRows(), vgg::toString);
        assertEquals(4, vgg.schedule().tileRowsFor(2), vgg::toString);
        assertEquals(5, vgg.schedule().tileRowsFor(1), vgg::toString);
        // 3 workers: 12 bands of 5 give the busiest 4 * 5 = 20 rows, 19 of 3 give 7 * 3 = 21, 14 of 4 give 5 * 4 = 20: the 12
        assertEquals(5, vgg.schedule().tileRowsFor(3), vgg::toString);
        // resnet50-res2-1x1, read in place: 8 rows (256 planes of round16(8 * 56) = 448 floats, stage 8 * 448,
        // 8 * 256 packed: 120320 floats; 9 rows: 256 * 512 > 131072 alone), 7 bands; 2 workers: 8 bands of 7 rows
        // would end each band on half a vector (7 * 56 = 392), so 14 bands of 4 (224 = 14 vectors)
        Conv2dProblem res2 = Conv2dProblem.parse("n1c256h56w56k64r1s1");
        assertEquals(Algorithm.DIRECT_BLOCKED, res2.algorithm());
        assertEquals(8, res2.tileRows(), res2::toString);
        assertEquals(4, res2.schedule().tileRowsFor(2), res2::toString);
        assertEquals(8, res2.schedule().tileRowsFor(1), res2::toString);
        // 14 x 14: no band of equal rows is whole vectors (14 r % 16 != 0 for r | 14): the even split, 2 bands of 7
        Conv2dProblem narrow = Conv2dProblem.parse("n1c256h14w14k64r1s1");
        assertEquals(Algorithm.DIRECT_BLOCKED, narrow.algorithm());
        assertEquals(14, narrow.tileRows(), narrow::toString);
        assertEquals(7, narrow.schedule().tileRowsFor(2), narrow::toString);
        // depthwise: one item per image and output channel; a ring of L = (R-1)*dh + 1 + 3*sh padded rows, each sw
        // phases of PW = round16(round16(Q) + (S-1)*dw/sw) floats
        Conv2dProblem dw = Conv2dProblem.parse("n3c8h9w9k16r3s3g8_alg-depthwise");
        assertEquals(3 * 16, dw.schedule().workItems());
        assertEquals(6 * 32, dw.schedule().workspaceElements()); // Q = 7: L = 2 + 1 + 3, PW = round16(16 + 2)
        // Q = (20 + 2 - 4 - 1) / 2 + 1 = 9: L = 2*2 + 1 + 3*2 = 11, sw = 2, PW = round16(16 + 4/2) = 32
        Conv2dProblem dws = Conv2dProblem.parse("n1c4h20w20k4r3s3sh2sw2pt1pl1pb1pr1dh2dw2g4_alg-depthwise");
        assertEquals(11 * 2 * 32, dws.schedule().workspaceElements());
        // separable: the same ring for its dense filters, then K/G padded rows of max((Q-1)*sw + (S-1)*dw + 1, pl + W)
        Conv2dProblem sep = Conv2dProblem.parse("n1c3h9w9k6r3s3pt1pl1pb1pr1g3");
        assertEquals(Algorithm.SEPARABLE, sep.algorithm());
        assertEquals(6 * 32 + 2 * 11, sep.schedule().workspaceElements()); // Q = 9: PW = round16(16 + 2), row 8 + 2 + 1
    }
}
