package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.conv4j.backend.NativeIm2colGemmBackend;
import org.conv4j.backend.NativeLibrary;
import org.junit.jupiter.api.Test;

/**
 * The native backend's work items spread over its thread pool (native/src/workers.cpp): every thread
 * count gives the 1-thread bits on Gaussian data (each output is computed by one item with the same
 * arithmetic), on every path, and the plan holds OpenBLAS at 1 thread.
 */
class NativeThreadsTest {
    @Test
    void threeThreadsGiveTheOneThreadBitsOnRandomProblems() {
        Run.backend("native");
        Conv2dBackend one = new NativeIm2colGemmBackend(1), three = new NativeIm2colGemmBackend(3);
        SplittableRandom rnd = new SplittableRandom(41);
        int multiItem = 0;
        for (int i = 0; i < 300; i++) {
            Conv2dProblem p = RandomProblems.next(rnd);
            if (p.workItems() > 1) multiItem++;
            assertSameBits(p, one, three, rnd);
        }
        assertTrue(multiItem > 150, "too few problems with more than one work item: " + multiItem);
    }

    @Test
    void everyPathAndManyBandsGiveTheOneThreadBits() {
        Run.backend("native");
        Conv2dBackend one = new NativeIm2colGemmBackend(1), two = new NativeIm2colGemmBackend(2);
        SplittableRandom rnd = new SplittableRandom(42);
        for (long limit : new long[] {Conv2dProblem.DEFAULT_WORKSPACE_LIMIT_BYTES, 1}) { // 1: a band per row
            Conv2dProblem[] problems = {
                Conv2dProblem.builder().input(2, 16, 23, 17).filters(24, 3, 3).pad(1, 1, 1, 1).bias(true)
                        .epilogue(Epilogue.relu()).workspaceLimitBytes(limit).algorithm(Algorithm.IM2COL_GEMM)
                        .build(),                                                               // im2col + sgemm
                Conv2dProblem.builder().input(2, 16, 23, 40).filters(24, 3, 3).stride(2, 1).pad(1, 1, 1, 1)
                        .bias(true).epilogue(Epilogue.relu()).workspaceLimitBytes(limit)
                        .build(),                                                               // direct blocked
                Conv2dProblem.builder().input(3, 16, 9, 7).filters(8, 1, 1).bias(true)
                        .epilogue(Epilogue.NONE.withSum()).workspaceLimitBytes(limit).algorithm(Algorithm.DIRECT_GEMM)
                        .build(),                                                               // direct GEMM
                Conv2dProblem.builder().input(3, 96, 9, 7).filters(40, 1, 1).bias(true).epilogue(Epilogue.NONE.withSum())
                        .workspaceLimitBytes(Math.max(limit, 1 << 16)).build(),                 // blocked, in place
                Conv2dProblem.builder().input(2, 8, 10, 10).filters(8, 3, 3).stride(2, 2).pad(1, 1, 1, 1).groups(8)
                        .bias(true).workspaceLimitBytes(limit).algorithm(Algorithm.DEPTHWISE).build(), // depthwise
                Conv2dProblem.builder().input(2, 3, 31, 40).filters(8, 3, 3).pad(1, 1, 1, 1).bias(true)
                        .border(Border.REFLECT).epilogue(Epilogue.clamp(-1, 3)).workspaceLimitBytes(limit)
                        .algorithm(Algorithm.DIRECT_SMALL_REDUCTION).build(),
            };
            String[] paths = {"IM2COL_GEMM", "DIRECT_BLOCKED", "DIRECT_GEMM", "DIRECT_BLOCKED", "DEPTHWISE",
                "DIRECT_SMALL_REDUCTION"};
            for (int i = 0; i < problems.length; i++) {
                Conv2dProblem p = problems[i];
                assertEquals(paths[i], p.algorithm().name(), p::toString);
                assertTrue(p.workItems() >= 2, p::toString);
                assertSameBits(p, one, two, rnd);
            }
        }
    }

    @Test
    void planningWithSeveralThreadsHoldsOpenblasAtOne() {
        Run.backend("native");
        NativeLibrary.setOpenblasThreads(2);
        new NativeIm2colGemmBackend(2).plan(Conv2dProblem.parse("n2c16h8w8k16r3s3")).close();
        assertEquals(1, NativeLibrary.openblasThreads());
    }

    @Test
    void rejectsThreadCountBelowOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NativeIm2colGemmBackend(0));
        assertTrue(e.getMessage().contains("threads must be >= 1, got 0"), e.getMessage());
    }

    private static void assertSameBits(Conv2dProblem p, Conv2dBackend a, Conv2dBackend b, SplittableRandom rnd) {
        float[] x = RandomProblems.gaussian(rnd, p.inputElements()), w = RandomProblems.gaussian(rnd, p.weightElements());
        float[] bias = p.hasBias() ? RandomProblems.gaussian(rnd, p.k()) : null;
        float[] ya = Run.forward(a, p, x, w, bias), yb = Run.forward(b, p, x, w, bias);
        for (int i = 0; i < ya.length; i++) {
            int idx = i;
            assertEquals(Float.floatToIntBits(ya[i]), Float.floatToIntBits(yb[i]),
                    () -> p + " (" + p.algorithm() + ", " + p.workItems() + " items) index " + idx + ": 1 thread " + ya[idx]
                            + ", several " + yb[idx]);
        }
    }
}
