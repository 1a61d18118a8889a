package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/** Tensors over their own memory, over the caller's (wrap) and over a parent's (slice); copies in and out. */
class TensorTest {
    private static FloatBuffer directFloats(int n) {
        return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static float[] iota(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = i + 1;
        return a;
    }

    private static void assertRejected(String expectedInMessage, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }

    @Test
    void wrapsADirectFloatBufferFromItsPositionWithoutCopying() {
        FloatBuffer buf = directFloats(8);
        buf.position(2);
        try (Tensor t = Tensor.wrap(buf, 2, 3)) {
            assertFalse(t.ownsMemory());
            buf.put(2, 7f);
            assertEquals(7f, t.toArray()[0]); // the buffer's write is seen: no copy
            t.copyFrom(new float[] {1, 2, 3, 4, 5, 6});
            assertEquals(6f, buf.get(7));     // and the tensor's
        }
        assertEquals(6f, buf.get(7), "closing the tensor leaves the caller's buffer alone");
    }

    @Test
    void wrapsALittleEndianDirectByteBufferWithoutCopying() {
        ByteBuffer bytes = ByteBuffer.allocateDirect(20).order(ByteOrder.LITTLE_ENDIAN);
        bytes.position(4);
        try (Tensor t = Tensor.wrap(bytes, 4)) {
            bytes.putFloat(4, 1.5f).putFloat(16, 2.5f);
            assertArrayEquals(new float[] {1.5f, 0, 0, 2.5f}, t.toArray());
        }
    }

    @Test
    void rejectsBuffersItCannotWrapNamingWhyAndTheValues() {
        assertRejected("heap FloatBuffer", () -> Tensor.wrap(FloatBuffer.allocate(4), 4));
        assertRejected("heap ByteBuffer", () -> Tensor.wrap(ByteBuffer.allocate(16), 4));
        assertRejected("byte order is BIG_ENDIAN",
                () -> Tensor.wrap(ByteBuffer.allocateDirect(16).order(ByteOrder.BIG_ENDIAN), 4));
        assertRejected("byte order is BIG_ENDIAN",
                () -> Tensor.wrap(ByteBuffer.allocateDirect(16).order(ByteOrder.BIG_ENDIAN).asFloatBuffer(), 4));
        assertRejected("read-only", () -> Tensor.wrap(directFloats(4).asReadOnlyBuffer(), 4));
        assertRejected("holds 12 bytes but tensor shape [4] needs 16", () -> Tensor.wrap(directFloats(3), 4));
        ByteBuffer odd = ByteBuffer.allocateDirect(17).order(ByteOrder.nativeOrder());
        odd.position(1);
        assertRejected("4-byte aligned", () -> Tensor.wrap(odd, 4));
        assertRejected("null FloatBuffer", () -> Tensor.wrap((FloatBuffer) null, 4));
        assertRejected("dimension < 1", () -> Tensor.wrap(directFloats(4), 0, 4));
    }

    @Test
    void wrapsAJavaCppPointerFromItsPositionAndNeverFreesIt() {
        try (FloatPointer fp = new FloatPointer(iota(6))) {
            long trackedBefore = Pointer.totalBytes();
            Tensor t = Tensor.wrap(fp.position(2), 2, 2);
            assertArrayEquals(new float[] {3, 4, 5, 6}, t.toArray());
            t.copyFrom(new float[] {9, 9, 9, 9});
            t.close();
            assertEquals(trackedBefore, Pointer.totalBytes());
            assertFalse(fp.isNull(), "closing the tensor must not deallocate the caller's pointer");
            assertEquals(9f, fp.position(0).get(5));
        }
    }

    @Test
    void aPointerOfUnknownExtentIsTrustedAKnownOneMustMatch() {
        try (FloatPointer fp = new FloatPointer(4)) {
            assertRejected("holds 16 bytes but tensor shape [5] needs 20", () -> Tensor.wrap(fp, 5));
            try (FloatPointer unknown = new FloatPointer(2)) {
                Pointer noExtent = new FloatPointer(unknown).capacity(0); // as JavaCPP returns from native calls
                try (Tensor t = Tensor.wrap(noExtent, 2)) {
                    assertEquals(2, t.toArray().length);
                }
            }
        }
        assertRejected("null Pointer", () -> Tensor.wrap((Pointer) null, 1));
        assertRejected("address 0", () -> Tensor.wrap(new FloatPointer(), 1));
    }

    /** The contract: deallocating the wrapped Pointer object itself makes the tensor closed, never a stray read. */
    @Test
    void aTensorOverADeallocatedPointerCountsAsClosed() {
        FloatPointer fp = new FloatPointer(4);
        Tensor t = Tensor.wrap(fp, 4);
        fp.close();
        assertTrue(t.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, t::toArray);
        assertTrue(e.getMessage().contains("deallocated"), e.getMessage());
        t.close(); // still idempotent
    }

    @Test
    void aSliceIsAViewOfImagesWithoutCopying() {
        try (Tensor x = Tensor.of(iota(24), 3, 2, 2, 2); Tensor v = x.slice(1, 3)) {
            assertArrayEquals(new long[] {2, 2, 2, 2}, v.shape());
            assertFalse(v.ownsMemory());
            float[] expected = new float[16];
            System.arraycopy(iota(24), 8, expected, 0, 16);
            assertArrayEquals(expected, v.toArray());
            v.copyFrom(0, new float[] {-1}, 0, 1);
            assertEquals(-1f, x.toArray()[8]); // the view's write lands in the parent
            try (Tensor vv = v.slice(1, 2)) {
                assertEquals(17f, vv.toArray()[0]);
            }
        }
    }

    @Test
    void closingAViewFreesNothingClosingTheParentClosesTheView() {
        Tensor x = Tensor.of(iota(8), 2, 4);
        Tensor v = x.slice(0, 1), vv = v.slice(0, 1);
        long tracked = Pointer.totalBytes();
        v.close();
        assertEquals(tracked, Pointer.totalBytes());
        assertArrayEquals(iota(8), x.toArray());
        assertThrows(IllegalStateException.class, v::toArray);
        Tensor w = x.slice(1, 2);
        x.close();
        assertTrue(w.isClosed() && vv.isClosed(), "views of a closed parent are closed");
        IllegalStateException e = assertThrows(IllegalStateException.class, w::toArray);
        assertTrue(e.getMessage().contains("parent tensor [2, 4] is closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> w.slice(0, 1));
        w.close();
    }

    @Test
    void rejectsSlicesOutsideTheFirstAxis() {
        try (Tensor x = Tensor.zeros(3, 2)) {
            assertRejected("slice [2, 4) of tensor [3, 2] must satisfy 0 <= from < to <= 3", () -> x.slice(2, 4));
            assertRejected("slice [1, 1)", () -> x.slice(1, 1));
            assertRejected("slice [-1, 1)", () -> x.slice(-1, 1));
        }
    }

    @Test
    void copiesRangesFromAndToArraysAndBuffersOfEitherByteOrder() {
        try (Tensor t = Tensor.zeros(2, 3)) {
            t.copyFrom(2, new float[] {0, 7, 8, 0}, 1, 2);
            assertArrayEquals(new float[] {0, 0, 7, 8, 0, 0}, t.toArray());
            float[] out = new float[3];
            t.copyTo(3, out, 1, 2);
            assertArrayEquals(new float[] {0, 8, 0}, out);

            FloatBuffer big = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).asFloatBuffer();
            big.put(new float[] {1, 2, 3, 4}).flip();
            big.position(1);
            t.copyFrom(1, big); // 3 floats converted from big-endian bytes
            assertEquals(4, big.position(), "advances the source like FloatBuffer.put(FloatBuffer)");
            assertArrayEquals(new float[] {0, 2, 3, 4, 0, 0}, t.toArray());

            FloatBuffer heap = FloatBuffer.allocate(6);
            t.copyTo(heap);
            assertEquals(6, heap.position());
            assertArrayEquals(t.toArray(), heap.array());
            FloatBuffer direct = directFloats(2);
            t.copyTo(2, direct);
            assertEquals(3f, direct.get(0));
            assertEquals(4f, direct.get(1));
            t.copyFrom(FloatBuffer.wrap(iota(6)));
            assertArrayEquals(iota(6), t.toArray());
        }
    }

    @Test
    void rejectsCopiesOutsideTheTensorOrTheArray() {
        try (Tensor t = Tensor.zeros(4)) {
            assertRejected("element range [3, 3 + 2) lies outside tensor [4]", () -> t.copyFrom(3, new float[2], 0, 2));
            assertRejected("element range [-1", () -> t.copyTo(-1, new float[2], 0, 1));
            assertRejected("source array range [1, 1 + 2) lies outside an array of length 2",
                    () -> t.copyFrom(0, new float[2], 1, 2));
            assertRejected("FloatBuffer remaining() 3 does not match tensor shape [4]",
                    () -> t.copyFrom(FloatBuffer.allocate(3)));
            assertRejected("element range [2, 2 + 3)", () -> t.copyTo(2, FloatBuffer.allocate(3)));
            assertRejected("array length 5", () -> t.copyFrom(new float[5]));
        }
    }

    @Test
    void anOutputSharingMemoryWithTheInputIsRejected() {
        Conv2dProblem p = Conv2dProblem.parse("n1c1h3w3k1r1s1");
        try (Tensor both = Tensor.zeros(2, 1, 3, 3); Tensor x = both.slice(0, 1); Tensor y = both.slice(0, 1);
             Tensor w = Tensor.of(new float[] {2}, p.weightShape()); Conv2dPlan plan = Backends.reference().plan(p)) {
            assertRejected("share memory", () -> plan.forward(x, w, null, y));
            try (Tensor other = both.slice(1, 2)) {
                plan.forward(x, w, null, other); // disjoint images of one tensor are fine
            }
        }
    }
}
