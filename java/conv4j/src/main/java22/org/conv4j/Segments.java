package org.conv4j;

import java.lang.foreign.MemorySegment;

/**
 * Tensors over {@link MemorySegment}s, on JDK 22 and later: this class lives in the jar's
 * {@code META-INF/versions/22} only (a multi-release jar), so it exists for code running on 22+ and is
 * absent on JDK 17-21, where {@link Tensor#wrap(java.nio.ByteBuffer, long...)} serves instead.
 */
public final class Segments {
    private Segments() {
    }

    /**
     * A tensor over {@code segment} without copying: writes through either are seen by the other. The
     * segment must be native (off-heap; a heap segment has no address to hand to native code), writable,
     * 4-byte aligned, hold exactly the shape's element count times 4 bytes, and be alive.
     *
     * <p>The caller keeps ownership: closing the tensor does not close the arena or free anything. Once
     * the segment's arena is closed the tensor counts as closed and every use throws
     * {@link IllegalStateException} instead of touching freed memory; the tensor keeps the segment
     * reachable, so an automatic arena cannot free it while the tensor is open. Closing a shared arena
     * while another thread is inside a call on the tensor is the caller's error, as for any wrapped memory
     * (see {@link Tensor}).
     */
    public static Tensor wrap(MemorySegment segment, long... shape) {
        if (segment == null) throw new IllegalArgumentException("cannot wrap a null MemorySegment");
        if (!segment.isNative()) {
            throw new IllegalArgumentException("cannot wrap a heap MemorySegment (no native address): allocate it"
                    + " from an Arena, or copy it into a tensor with copyFrom(segment.asByteBuffer().asFloatBuffer())");
        }
        if (segment.isReadOnly()) {
            throw new IllegalArgumentException("cannot wrap a read-only MemorySegment: a tensor may be written");
        }
        if (!segment.scope().isAlive()) {
            throw new IllegalArgumentException("cannot wrap a MemorySegment whose arena is already closed");
        }
        return Tensor.lent(shape, segment.address(), segment.byteSize(), segment, () -> segment.scope().isAlive(),
                "the wrapped MemorySegment's arena is closed");
    }
}
