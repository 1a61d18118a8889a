package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** WINOGRAD_F2 / WINOGRAD_F4 in the registry: chosen under FAST by Winograd.choose, never under STRICT. */
class WinogradRegistryTest {
    @Test
    void strictProblemsNeverRunWinograd() {
        Conv2dProblem p = Conv2dProblem.parse("n1c64h56w56k64r3s3pt1pl1pb1pr1");
        assertEquals(Algorithm.DIRECT_BLOCKED, p.algorithm());
        assertTrue(!p.applies(Algorithm.WINOGRAD_F2) && !p.applies(Algorithm.WINOGRAD_F4));
    }

    @Test
    void fastProblemsRunTheMeasuredChoice() {
        assertEquals(Algorithm.WINOGRAD_F4, Conv2dProblem.parse("n1c256h56w56k256r3s3pt1pl1pb1pr1_fast").algorithm());
        // 64 channels (resnet50-res2-3x3): F(4,3) 1.16-1.30x DIRECT_BLOCKED with constant weights (benchmarks/results/one-tap.md)
        assertEquals(Algorithm.WINOGRAD_F4, Conv2dProblem.parse("n1c64h56w56k64r3s3pt1pl1pb1pr1_fast").algorithm());
        // fewer than 64 on either side: not measured to pay, the strict direct kernel
        assertEquals(Algorithm.DIRECT_BLOCKED, Conv2dProblem.parse("n1c63h56w56k64r3s3pt1pl1pb1pr1_fast").algorithm());
        assertEquals(Algorithm.DIRECT_BLOCKED, Conv2dProblem.parse("n1c64h56w56k63r3s3pt1pl1pb1pr1_fast").algorithm());
        // depthwise and 3-channel layers keep their strict paths (SEPARABLE, first in the registry, takes
        // every C/groups = 1 problem and hands unfactored filters to DEPTHWISE)
        assertEquals(Algorithm.SEPARABLE, Conv2dProblem.parse("n1c32h112w112k32r3s3pt1pl1pb1pr1g32_fast").algorithm());
        assertEquals(Algorithm.DEPTHWISE, Algorithm.SEPARABLE.fallback(Conv2dProblem.parse("n1c32h112w112k32r3s3pt1pl1pb1pr1g32_fast")));
        assertEquals(Algorithm.DIRECT_BLOCKED, Conv2dProblem.parse("n1c3h64w64k8r3s3pt1pl1pb1pr1_fast").algorithm());
        assertNull(Winograd.choose(Conv2dProblem.parse("n1c8h64w64k64r3s3_fast")));
        Conv2dProblem forced = Conv2dProblem.parse("n1c64h8w8k64r3s3_fast_alg-winograd-f4");
        assertEquals(Algorithm.WINOGRAD_F4, forced.algorithm());
        assertEquals(forced, Conv2dProblem.parse(forced.toString()));
    }

    @Test
    void nativeAndJavaBackendsRunTheRegistrysWinogradWithinItsBound() {
        SplittableRandom rnd = new SplittableRandom(13);
        for (String d : new String[] {"n2c72h9w11k72r3s3pt1pl1pb1pr1b1_reflect_relu_fast", // the registry's choice
                                      "n1c32h7w7k16r3s3pt1pl1pb1pr1g2_fast_alg-winograd-f4"}) {
            Conv2dProblem p = Conv2dProblem.parse(d);
            float[] x = RandomProblems.gaussian(rnd, p.inputElements()), w = RandomProblems.gaussian(rnd, p.weightElements());
            float[] b = p.hasBias() ? RandomProblems.gaussian(rnd, p.k()) : null;
            for (Conv2dBackend backend : Run.testedBackends()) {
                FidelityReport rep = Fidelity.check(p, backend, x, w, b);
                assertEquals(p.algorithm().winograd().label(), rep.bound(), backend.name());
                assertTrue(rep.withinBound(), () -> backend.name() + " " + rep);
                Run.forward(Backends.checked(backend, 1.0), p, x, w, b);
            }
        }
    }
}
