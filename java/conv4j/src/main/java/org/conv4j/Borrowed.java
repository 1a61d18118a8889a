package org.conv4j;

import java.nio.Buffer;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * A FloatPointer over memory that nothing here frees (the caller's, or a parent tensor's): it has no
 * deallocator, so closing or collecting it frees nothing. What {@link Tensor#wrap} and
 * {@link Tensor#slice} tensors point with; plus the checks and the address of a direct buffer to wrap.
 */
final class Borrowed extends FloatPointer {
    Borrowed(long address, long elements) {
        super((Pointer) null);
        this.address = address;
        this.limit = elements;
        this.capacity = elements;
    }

    /** Native address of {@code buffer}'s element at its position (JNI GetDirectBufferAddress: no Pointer made). */
    static long addressOf(Buffer buffer) {
        return getDirectBufferAddress(buffer) + (long) buffer.position() * (buffer instanceof FloatBuffer ? 4 : 1);
    }

    /** A buffer a tensor may point into: direct (a heap one has no native address) and writable; a valid shape. */
    static void requireWrappable(Buffer buffer, String type, long[] shape) {
        if (buffer == null) throw new IllegalArgumentException("cannot wrap a null " + type);
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("cannot wrap a heap " + type + " (no native address): use a direct"
                    + " buffer, or copy it into a tensor with copyFrom(FloatBuffer)");
        }
        if (buffer.isReadOnly()) {
            throw new IllegalArgumentException("cannot wrap a read-only " + type + ": a tensor may be written");
        }
        Tensor.elementCount(shape);
    }
}
