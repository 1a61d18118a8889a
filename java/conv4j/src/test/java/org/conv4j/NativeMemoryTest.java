package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/** Repeated native calls must not grow off-heap memory. */
class NativeMemoryTest {
    @Test
    void tenThousandCallsDoNotGrowOffHeapMemory() {
        Conv2dBackend nat = Run.backend("native");
        Conv2dProblem[] problems = {
            Conv2dProblem.parse("n2c4h9w7k6r3s2sh2sw1pt1pl0pb2pr1dh1dw2g2b1"),
            Conv2dProblem.parse("n1c8h6w6k8r3s3pt1pl1pb1pr1g8b1"),
            Conv2dProblem.parse("n1c16h5w5k4r1s1"),
        };
        for (int round = 0; round < 2; round++) {
            long before = Pointer.totalBytes();
            long physBefore = Pointer.physicalBytes();
            for (int i = 0; i < 10_000; i++) {
                Conv2dProblem p = problems[i % problems.length];
                try (Tensor x = Tensor.zeros(p.inputShape()); Tensor w = Tensor.zeros(p.weightShape());
                     Tensor b = p.hasBias() ? Tensor.zeros(p.biasShape()) : null;
                     Conv2dPlan plan = nat.plan(p); Tensor y = plan.forward(x, w, b)) {
                    assertTrue(y.size() > 0);
                }
            }
            long grown = Pointer.totalBytes() - before;
            long physGrown = Pointer.physicalBytes() - physBefore;
            if (round == 1) {
                assertTrue(grown == 0, "JavaCPP-tracked bytes grew by " + grown);
                assertTrue(physGrown < 16L << 20, "resident memory grew by " + physGrown + " bytes");
            }
        }
    }
}
