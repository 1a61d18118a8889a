package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * {@link Segments#wrap} on JDK 22+ (compiled with release 22 and run on that JDK by the jdk22-segments
 * profile of java/conv4j/pom.xml; the JDK 17 test run excludes it).
 */
class SegmentsTest {
    private static void assertRejected(String expected, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void wrapsANativeSegmentWithoutCopyingAndLeavesItToTheCaller() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(4L * 6, 4);
            try (Tensor t = Segments.wrap(s, 2, 3)) {
                assertFalse(t.ownsMemory());
                s.setAtIndex(ValueLayout.JAVA_FLOAT, 5, 4.5f);
                assertEquals(4.5f, t.toArray()[5]);
                t.copyFrom(new float[] {1, 2, 3, 4, 5, 6});
                assertEquals(3f, s.getAtIndex(ValueLayout.JAVA_FLOAT, 2));
            }
            assertTrue(s.scope().isAlive(), "closing the tensor leaves the arena open");
            assertEquals(6f, s.getAtIndex(ValueLayout.JAVA_FLOAT, 5));
        }
    }

    @Test
    void aTensorOverASegmentOfAClosedArenaCountsAsClosed() {
        Arena arena = Arena.ofConfined();
        Tensor t = Segments.wrap(arena.allocate(16, 4), 4);
        try (Tensor view = t.slice(1, 3)) {
            arena.close();
            assertTrue(t.isClosed() && view.isClosed());
            IllegalStateException e = assertThrows(IllegalStateException.class, t::toArray);
            assertTrue(e.getMessage().contains("arena is closed"), e.getMessage());
            assertThrows(IllegalStateException.class, view::toArray);
        }
        t.close();
    }

    @Test
    void rejectsSegmentsItCannotWrap() {
        assertRejected("heap MemorySegment", () -> Segments.wrap(MemorySegment.ofArray(new float[4]), 4));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(20, 4);
            assertRejected("read-only", () -> Segments.wrap(s.asSlice(0, 16).asReadOnly(), 4));
            assertRejected("holds 20 bytes but tensor shape [4] needs 16", () -> Segments.wrap(s, 4));
            assertRejected("4-byte aligned", () -> Segments.wrap(s.asSlice(1, 16), 4));
        }
        Arena closed = Arena.ofConfined();
        MemorySegment gone = closed.allocate(16, 4);
        closed.close();
        assertRejected("arena is already closed", () -> Segments.wrap(gone, 4));
    }

    @Test
    void convolvesSegmentsInPlaceOnEveryBackend() {
        Conv2dProblem p = Conv2dProblem.parse("n1c1h3w3k1r2s2");
        for (Conv2dBackend b : Backends.all()) {
            if (!b.isAvailable()) continue;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment x = arena.allocate(4 * 9, 4), y = arena.allocate(4 * 4, 4);
                for (int i = 0; i < 9; i++) x.setAtIndex(ValueLayout.JAVA_FLOAT, i, i + 1);
                try (Tensor tx = Segments.wrap(x, p.inputShape()); Tensor ty = Segments.wrap(y, p.outputShape());
                     Tensor w = Tensor.of(new float[] {1, 0, 0, 1}, p.weightShape());
                     ConstantWeightPlan plan = b.plan(p, w, null)) {
                    plan.forward(tx, ty);
                }
                assertArrayEquals(new float[] {6, 8, 12, 14}, y.toArray(ValueLayout.JAVA_FLOAT), b.name());
            }
        }
    }
}
