package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/** Off-heap memory stays flat over 100,000 calls of varying shapes; closed tensors and plans are never read. */
class NativeMemoryFlatTest {
    /**
     * The process's resident bytes minus the Java heap's committed bytes: what native allocations (and
     * the JVM's own code and metadata) hold. The heap grows while a test allocates tensors' Java objects,
     * and that growth alone once made the process's resident size grow by 68-91 MB here under load; a
     * native leak of a few hundred bytes per call still shows, as it grows with the call count.
     * One-off growth (C2's compiler arenas kept by malloc, which a loaded machine delays past the
     * warm-up: 76 MB once in a run at load 19) does not, which is why the tests measure two windows of
     * calls and fail when both grew: a leak grows in each.
     */
    static long residentBeyondHeap() {
        return Pointer.physicalBytes() - ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    }

    @Test
    void hundredThousandCallsOfVaryingShapesKeepOffHeapMemoryFlat() {
        Conv2dBackend nat = Run.backend("native");
        SplittableRandom rnd = new SplittableRandom(100_000);
        Conv2dProblem[] shapes = new Conv2dProblem[64];
        for (int i = 0; i < shapes.length; i++) {
            Conv2dProblem p;
            do {
                p = RandomProblems.next(rnd);
            } while (p.outputElements() * p.reduction() > 20_000);
            shapes[i] = p;
        }
        long trackedBefore = 0;
        long[] resident = new long[3];
        for (int call = 0; call < 100_000; call++) {
            if (call == 30_000) { // after warm-up: JIT, Java heap size, OpenBLAS buffers and malloc arenas settled
                System.gc();
                trackedBefore = Pointer.totalBytes();
                resident[0] = residentBeyondHeap();
            }
            if (call == 65_000) {
                System.gc();
                resident[1] = residentBeyondHeap();
            }
            Conv2dProblem p = shapes[call % shapes.length];
            try (Tensor x = Tensor.zeros(p.inputShape()); Tensor w = Tensor.zeros(p.weightShape());
                 Tensor b = p.hasBias() ? Tensor.zeros(p.biasShape()) : null; Tensor y = Tensor.zeros(p.outputShape());
                 Conv2dPlan plan = nat.plan(p)) {
                plan.forward(x, w, b, y);
            }
        }
        System.gc();
        resident[2] = residentBeyondHeap();
        assertEquals(0, Pointer.totalBytes() - trackedBefore, "JavaCPP-tracked off-heap bytes grew over 70,000 calls");
        assertFlat(resident, "35,000 calls", 16L << 20); // a 1 KB-per-call leak: 35 MB
    }

    private static final int FORWARDS_PER_PLAN = 8;

    @Test
    void repeatedConstantWeightPlanForwardAndCloseKeepOffHeapMemoryFlat() {
        Conv2dBackend nat = Run.backend("native");
        Conv2dProblem[] shapes = {Conv2dProblem.parse("n1c3h12w12k8r3s3pt1pl1pb1pr1b1"), // small reduction
                                  Conv2dProblem.parse("n1c8h6w6k8r3s3b1_alg-im2col-gemm"),
                                  Conv2dProblem.parse("n1c8h6w6k4r1s1"), Conv2dProblem.parse("n1c4h9w9k4r3s3g4b1")};
        long trackedBefore = 0;
        long[] resident = new long[3];
        for (int call = 0; call < 20_000; call++) {
            if (call == 5_000) {
                System.gc();
                trackedBefore = Pointer.totalBytes();
                resident[0] = residentBeyondHeap();
            }
            if (call == 12_500) {
                System.gc();
                resident[1] = residentBeyondHeap();
            }
            Conv2dProblem p = shapes[call % shapes.length];
            try (Tensor x = Tensor.zeros(p.inputShape()); Tensor y = Tensor.zeros(p.outputShape());
                 Tensor w = Tensor.zeros(p.weightShape()); Tensor b = p.hasBias() ? Tensor.zeros(p.biasShape()) : null;
                 ConstantWeightPlan plan = nat.plan(p, w, b)) {
                // enough calls per plan that a 1 KB-per-call leak in the forward alone (60 MB a window) shows
                for (int f = 0; f < FORWARDS_PER_PLAN; f++) plan.forward(x, y);
            }
        }
        System.gc();
        resident[2] = residentBeyondHeap();
        assertEquals(0, Pointer.totalBytes() - trackedBefore, "JavaCPP-tracked off-heap bytes grew over 15,000 constant-weight plans");
        assertFlat(resident, "7,500 plans", 16L << 20);
    }

    /** Fails when resident memory beyond the heap grew by {@code limit} bytes or more in both windows {@code [0, 1]} and {@code [1, 2]}. */
    private static void assertFlat(long[] resident, String window, long limit) {
        long first = resident[1] - resident[0], second = resident[2] - resident[1];
        assertTrue(Math.min(first, second) < limit, "resident memory beyond the Java heap grew in both windows of "
                + window + ": by " + first + " and " + second + " bytes");
    }

    @Test
    void aClosedTensorIsNeverRead() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        t.close();
        t.close(); // idempotent
        assertTrue(t.isClosed());
        assertThrows(IllegalStateException.class, t::toArray);
        assertThrows(IllegalStateException.class, t::pointer);
        assertThrows(IllegalStateException.class, () -> t.copyFrom(new float[4]));
        assertThrows(IllegalStateException.class, () -> t.copyTo(new float[4]));
    }

    @Test
    void closedTensorsAndPlansAreRejectedBeforeAnyNativeCall() {
        for (String name : new String[] {"native", "reference"}) {
            Conv2dBackend backend = Run.backend(name);
            Conv2dProblem p = Conv2dProblem.parse("n1c2h5w5k3r3s3b1");
            try (Tensor x = Tensor.zeros(p.inputShape()); Tensor w = Tensor.zeros(p.weightShape());
                 Tensor b = Tensor.zeros(p.biasShape()); Tensor y = Tensor.zeros(p.outputShape())) {
                Conv2dPlan plan = backend.plan(p);
                for (Tensor closed : new Tensor[] {x, w, b, y}) {
                    Tensor c = Tensor.zeros(closed.shape());
                    c.close();
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plan.forward(
                            closed == x ? c : x, closed == w ? c : w, closed == b ? c : b, closed == y ? c : y));
                    assertTrue(e.getMessage().contains("closed"), e.getMessage());
                }
                plan.close();
                plan.close(); // idempotent
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> plan.forward(x, w, b, y));
                assertTrue(e.getMessage().contains("closed"), e.getMessage());
            }
        }
    }
}
