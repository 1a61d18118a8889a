package org.conv4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.Pointer;
import org.conv4j.Tensor;
import org.junit.jupiter.api.Test;

/** 64-byte aligned allocations: the boundary, the whole extent usable, freed once, counted by JavaCPP. */
class AlignedFloatsTest {
    private static final long[] SIZES = {0, 1, 3, 15, 16, 17, 255, 1000, 65_536, 1 << 20, 3 * 224 * 224 + 5};

    @Test
    void everyBlockStartsOnTheBoundaryAndHoldsItsElements() {
        for (long n : SIZES) {
            try (AlignedFloats a = new AlignedFloats(n)) {
                assertTrue(!a.isNull(), () -> "null block of " + n + " floats");
                assertEquals(0, a.address() % AlignedFloats.ALIGNMENT, () -> n + " floats at " + a.address());
                assertEquals(n, a.limit(), () -> "limit of " + n);
                assertEquals(4, a.sizeof());
                if (n == 0) continue;  // JavaCPP views an empty extent as one element: no buffer to check
                FloatBuffer b = a.asBuffer();
                assertEquals(n, b.capacity(), () -> "buffer of " + n);
                for (int i = 0; i < n; i++) b.put(i, i * 0.5f);  // every element, up to the last, is the block's
                for (int i = 0; i < n; i++) assertEquals(i * 0.5f, a.get(i));
            }
        }
    }

    @Test
    void ownedTensorsAreAlignedViewsAreWhereTheyPoint() {
        for (long n : SIZES) {
            if (n == 0) continue;
            try (Tensor t = Tensor.zeros(n); Tensor u = Tensor.of(new float[(int) n], 1, n)) {
                assertEquals(0, t.pointer().address() % 64, () -> "zeros(" + n + ") at " + t.pointer().address());
                assertEquals(0, u.pointer().address() % 64, () -> "of(" + n + ") at " + u.pointer().address());
                for (int i = 0; i < n; i++) assertEquals(0f, t.pointer().get(i));
            }
        }
    }

    @Test
    void closeFreesTheBlockOnceAndNullsThePointer() {
        long before = Pointer.totalBytes();
        AlignedFloats a = new AlignedFloats(10_000);
        long held = Pointer.totalBytes() - before;
        assertTrue(held >= 10_000 * 4L, "JavaCPP counts the block: " + held + " bytes");
        a.close();
        assertTrue(a.isNull(), "null after close");
        assertEquals(0, a.limit());
        a.close();  // idempotent
        assertEquals(before, Pointer.totalBytes(), "bytes left after close");
    }

    @Test
    void aNegativeCountIsRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AlignedFloats(-1));
        assertTrue(e.getMessage().contains("elements = -1"), e.getMessage());
    }
}
