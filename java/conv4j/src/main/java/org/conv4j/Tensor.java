package org.conv4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.conv4j.backend.AlignedFloats;

/**
 * A dense float32 tensor in native (off-heap) memory, row-major (NCHW for rank 4, KCRS for weights,
 * K for a bias), in the platform's native byte order.
 *
 * <p>Who owns the memory. {@link #zeros} and {@link #of} allocate it: the tensor owns it and frees it
 * in {@link #close()}. {@link #wrap(FloatBuffer, long...) wrap} tensors and {@link #slice} views only
 * borrow it and never free it: closing them ends their own use, nothing else. The rule for every
 * borrowing tensor: it is usable while its lender is (the caller's memory; for a view, the parent
 * tensor), and once the lender is gone every use throws {@link IllegalStateException}:
 * <ul>
 * <li>a view of a closed parent (or of a view whose parent closed) is closed, so a view can never
 *     read memory its parent freed, nor free it itself;</li>
 * <li>a wrapped direct buffer cannot be freed while the tensor is open: the tensor keeps it reachable;</li>
 * <li>a wrapped JavaCPP {@link Pointer} that the caller deallocates (closes) is detected (its address
 *     becomes 0) and the tensor counts as closed;</li>
 * <li>memory the caller frees by any other means while a tensor wraps it (another {@code Pointer}
 *     aliasing it, a native {@code free}) cannot be detected: that is the caller's error, and a later
 *     use of the tensor reads or writes freed memory (wrong results or a crash of the JVM). Close the
 *     tensor first, then free the memory.</li>
 * </ul>
 * Any use after close throws {@link IllegalStateException} and never touches the memory.
 *
 * <p>Memory a tensor owns starts on a 64-byte boundary ({@link AlignedFloats}); wrapped memory is used where it lies.
 *
 * <p>Not thread-safe for writes or close; concurrent reads (for example one weight tensor shared by
 * many threads running convolutions) are safe as long as nobody closes it, or frees what it borrows,
 * meanwhile.
 */
public final class Tensor implements AutoCloseable {
    /** Largest element count a tensor may hold: what the Java side can copy through one buffer. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /** Floats per NIO view in the buffer copies: 1 GiB, under a ByteBuffer's int capacity in bytes. */
    private static final int CHUNK = 1 << 28;

    private final long[] shape;
    private final long size;
    /** Element 0 at position 0, limit = capacity = size; null once closed. */
    private FloatPointer data;
    private FloatBuffer view;
    private final boolean owner;
    /** What lends the memory (caller's buffer, Pointer or segment; the parent of a view), kept reachable; null if owned. */
    private Object lender;
    private final BooleanSupplier lenderValid;
    private final String lenderGone;

    private Tensor(long[] shape) {
        this.shape = shape.clone();
        this.size = elementCount(this.shape);
        FloatPointer fp = new AlignedFloats(size);
        if (fp.isNull()) {
            throw new OutOfMemoryError("cannot allocate " + size * 4 + " bytes off-heap for tensor "
                    + Arrays.toString(shape));
        }
        this.data = fp;
        this.owner = true;
        this.lenderValid = () -> true;
        this.lenderGone = null;
    }

    private Tensor(long[] shape, long address, Object lender, BooleanSupplier lenderValid, String lenderGone) {
        this.shape = shape.clone();
        this.size = elementCount(this.shape);
        this.data = new Borrowed(address, size);
        this.owner = false;
        this.lender = lender;
        this.lenderValid = lenderValid;
        this.lenderGone = lenderGone;
    }

    /** The number of elements of {@code shape}, validated: every dimension {@code >= 1}, product at most {@link #MAX_ELEMENTS}. */
    public static long elementCount(long... shape) {
        if (shape == null || shape.length < 1 || shape.length > 4) {
            throw new IllegalArgumentException("tensor shape must have rank 1 to 4, got "
                    + (shape == null ? "null" : Arrays.toString(shape)));
        }
        long size = 1;
        for (long d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("tensor shape " + Arrays.toString(shape)
                        + " has a dimension < 1");
            }
            if (size > MAX_ELEMENTS / d) {
                throw new IllegalArgumentException("tensor shape " + Arrays.toString(shape)
                        + " holds more than " + MAX_ELEMENTS + " elements");
            }
            size *= d;
        }
        return size;
    }

    /** A zero-filled tensor of {@code shape}. */
    public static Tensor zeros(long... shape) {
        Tensor t = new Tensor(shape);
        t.data.zero();
        return t;
    }

    /** A tensor holding a copy of {@code values}, whose length must equal the product of {@code shape}. */
    public static Tensor of(float[] values, long... shape) {
        Tensor t = new Tensor(shape);
        try {
            t.copyFrom(values);
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    /**
     * A tensor over the {@code remaining()} floats of {@code buffer} (from its position), without copying:
     * writes through either are seen by the other. The buffer must be direct, writable, in native byte
     * order, 4-byte aligned and hold exactly the shape's element count; a heap buffer is rejected (copy it
     * with {@link #copyFrom(FloatBuffer)} instead). The caller keeps ownership: see the class comment.
     */
    public static Tensor wrap(FloatBuffer buffer, long... shape) {
        Borrowed.requireWrappable(buffer, "FloatBuffer", shape);
        if (buffer.order() != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException("FloatBuffer byte order is " + buffer.order() + " but tensors hold "
                    + ByteOrder.nativeOrder() + " floats; copy it with copyFrom(FloatBuffer) instead");
        }
        return lent(shape, Borrowed.addressOf(buffer), buffer.remaining() * 4L, buffer, () -> true, null);
    }

    /**
     * As {@link #wrap(FloatBuffer, long...)} over the {@code remaining()} bytes of a direct ByteBuffer,
     * which must be in native byte order ({@link ByteOrder#LITTLE_ENDIAN} on every supported platform). A
     * big-endian buffer is rejected: set {@code buffer.order(ByteOrder.nativeOrder())} if its bytes are
     * native floats, or copy it with {@code copyFrom(buffer.asFloatBuffer())}, which converts.
     */
    public static Tensor wrap(ByteBuffer buffer, long... shape) {
        Borrowed.requireWrappable(buffer, "ByteBuffer", shape);
        if (buffer.order() != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException("ByteBuffer byte order is " + buffer.order() + " but tensors hold "
                    + ByteOrder.nativeOrder() + " floats; set buffer.order(ByteOrder.nativeOrder()) if its bytes are"
                    + " native floats, else copy with copyFrom(buffer.asFloatBuffer())");
        }
        return lent(shape, Borrowed.addressOf(buffer), buffer.remaining(), buffer, () -> true, null);
    }

    /**
     * A tensor over the native memory at {@code pointer}'s address plus its position, without copying.
     * When the pointer knows its extent (a limit, else a capacity), the bytes from its position to there
     * must be exactly the shape's; a pointer of unknown extent (both 0, as JavaCPP returns from native
     * calls) is trusted to hold them. The caller keeps ownership; deallocating this same {@code Pointer}
     * object later makes the tensor count as closed (see the class comment for other ways of freeing).
     */
    public static Tensor wrap(Pointer pointer, long... shape) {
        if (pointer == null || pointer.isNull()) {
            throw new IllegalArgumentException("cannot wrap a " + (pointer == null ? "null Pointer" : "Pointer at address 0"));
        }
        long end = pointer.limit() > 0 ? pointer.limit() : pointer.capacity();
        long bytes = end > 0 ? (end - pointer.position()) * pointer.sizeof() : -1;
        long address = pointer.address() + pointer.position() * pointer.sizeof();
        return lent(shape, address, bytes, pointer, () -> !pointer.isNull(), "the wrapped Pointer was deallocated");
    }

    /**
     * The borrowing tensor behind every {@code wrap}: {@code bytes} must be the shape's (-1: unknown,
     * trusted), the address non-zero and float-aligned. {@code lender} is kept reachable until close;
     * once {@code valid} turns false every use throws, saying {@code gone} (why).
     */
    static Tensor lent(long[] shape, long address, long bytes, Object lender, BooleanSupplier valid, String gone) {
        long elements = elementCount(shape);
        if (bytes >= 0 && bytes != elements * 4) {
            throw new IllegalArgumentException("memory to wrap holds " + bytes + " bytes but tensor shape "
                    + Arrays.toString(shape) + " needs " + elements * 4 + " (" + elements + " floats)");
        }
        if (address == 0 || address % 4 != 0) {
            throw new IllegalArgumentException("memory to wrap starts at address 0x" + Long.toHexString(address)
                    + ", which is not a valid 4-byte aligned float address");
        }
        return new Tensor(shape, address, lender, valid, gone);
    }

    /**
     * A view of entries {@code [from, to)} along the first axis (images {@code [n0, n1)} of an NCHW
     * tensor): shape {@code [to - from, rest...]}, no copy, writes seen by both. The view borrows this
     * tensor's memory: closing the view frees nothing; closing this tensor closes the view (every later
     * use of it throws {@link IllegalStateException}).
     */
    public Tensor slice(long from, long to) {
        long address = address();
        if (from < 0 || to > shape[0] || from >= to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") of tensor " + Arrays.toString(shape)
                    + " must satisfy 0 <= from < to <= " + shape[0]);
        }
        long[] s = shape.clone();
        s[0] = to - from;
        long inner = size / shape[0];
        return new Tensor(s, address + from * inner * 4, this, () -> !isClosed(),
                "its parent tensor " + Arrays.toString(shape) + " is closed");
    }

    /** Copies {@code values} (length = {@link #size()}) into this tensor. */
    public void copyFrom(float[] values) {
        requireLength("array length", values == null ? -1 : values.length);
        copyFrom(0, values, 0, values.length);
    }

    /** Copies {@code src[srcOffset, srcOffset + length)} into elements {@code [offset, offset + length)}. */
    public void copyFrom(long offset, float[] src, int srcOffset, int length) {
        long at = range(offset, length);
        requireArrayRange("source", src, srcOffset, length);
        new Borrowed(at, length).put(src, srcOffset, length);
    }

    /** Copies the tensor into {@code out} (length = {@link #size()}). */
    public void copyTo(float[] out) {
        requireLength("array length", out == null ? -1 : out.length);
        copyTo(0, out, 0, out.length);
    }

    /** Copies elements {@code [offset, offset + length)} into {@code dst[dstOffset, dstOffset + length)}. */
    public void copyTo(long offset, float[] dst, int dstOffset, int length) {
        long at = range(offset, length);
        requireArrayRange("destination", dst, dstOffset, length);
        new Borrowed(at, length).get(dst, dstOffset, length);
    }

    /**
     * Copies the {@code remaining()} floats of {@code src} (exactly {@link #size()}) into this tensor and
     * advances its position, as {@link FloatBuffer#put(FloatBuffer)} does. Any buffer: heap or direct,
     * either byte order.
     */
    public void copyFrom(FloatBuffer src) {
        requireLength("FloatBuffer remaining()", src == null ? -1 : src.remaining());
        copyFrom(0, src);
    }

    /** Copies the {@code remaining()} floats of {@code src} into elements from {@code offset}; advances its position. */
    public void copyFrom(long offset, FloatBuffer src) {
        transfer(offset, src, true);
    }

    /** Fills the {@code remaining()} floats of {@code dst} (exactly {@link #size()}); advances its position. */
    public void copyTo(FloatBuffer dst) {
        requireLength("FloatBuffer remaining()", dst == null ? -1 : dst.remaining());
        copyTo(0, dst);
    }

    /** Fills the {@code remaining()} floats of {@code dst} from elements {@code [offset, ...)}; advances its position. */
    public void copyTo(long offset, FloatBuffer dst) {
        transfer(offset, dst, false);
    }

    private void transfer(long offset, FloatBuffer other, boolean into) {
        if (other == null) throw new IllegalArgumentException("FloatBuffer is null");
        final int n = other.remaining(), start = other.position();
        long at = range(offset, n);
        for (int done = 0; done < n; done += CHUNK) {
            int len = Math.min(CHUNK, n - done);
            FloatBuffer mine = new Borrowed(at + done * 4L, len).asBuffer(), theirs = other.slice(start + done, len);
            if (into) {
                mine.put(theirs);
            } else {
                theirs.put(mine);
            }
        }
        other.position(start + n);
    }

    /** The address of element {@code offset} after checking {@code [offset, offset + length)} lies inside. */
    private long range(long offset, long length) {
        long address = address();
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IllegalArgumentException("element range [" + offset + ", " + offset + " + " + length
                    + ") lies outside tensor " + Arrays.toString(shape) + " (" + size + " elements)");
        }
        return address + offset * 4;
    }

    private void requireLength(String what, long length) {
        if (length != size) {
            throw new IllegalArgumentException(what + " " + (length < 0 ? "null" : length)
                    + " does not match tensor shape " + Arrays.toString(shape) + " (" + size + " elements)");
        }
    }

    private static void requireArrayRange(String name, float[] a, int offset, int length) {
        if (a == null || offset < 0 || length < 0 || offset > a.length - length) {
            throw new IllegalArgumentException(name + " array range [" + offset + ", " + offset + " + " + length
                    + ") lies outside an array of length " + (a == null ? "null" : a.length));
        }
    }

    /** A new tensor that owns a copy of the contents (one native memcpy). */
    Tensor copy() {
        Tensor t = new Tensor(shape);
        Pointer.memcpy(t.data, pointer(), size * 4);
        return t;
    }

    /** A new heap copy of the contents. */
    public float[] toArray() {
        float[] out = new float[(int) size];
        copyTo(out);
        return out;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long size() {
        return size;
    }

    /** Whether this tensor can no longer be used: closed, or its lender gone (see the class comment). */
    public boolean isClosed() {
        return data == null || !lenderValid.getAsBoolean();
    }

    /** Whether {@link #close()} frees the memory ({@link #zeros}, {@link #of}); false for wraps and views. */
    public boolean ownsMemory() {
        return owner;
    }

    /**
     * The off-heap memory, for backends: element 0 at position 0, limit and capacity {@link #size()}.
     * Throws if closed. Do not close or deallocate it: it belongs to the tensor (or to its lender).
     */
    public FloatPointer pointer() {
        checkOpen();
        return data;
    }

    /**
     * A {@link FloatBuffer} over the memory, made once (a view costs about a microsecond, more than the
     * checked mode's whole sample on small layers): for reads by absolute index only, never repositioned,
     * so threads may share it. Throws if closed.
     */
    FloatBuffer view() {
        checkOpen();
        FloatBuffer v = view;
        if (v == null) view = v = data.asBuffer();
        return v;
    }

    boolean hasShape(long[] expected) {
        return Arrays.equals(shape, expected);
    }

    /** Whether the two tensors' memory overlaps (both open; false when either is null). */
    boolean overlaps(Tensor other) {
        if (other == null) return false;
        long a = address(), b = other.address();
        return a < b + other.size * 4 && b < a + size * 4;
    }

    private long address() {
        checkOpen();
        return data.address() + data.position() * 4;
    }

    private void checkOpen() {
        if (data == null) {
            throw new IllegalStateException("tensor " + Arrays.toString(shape) + " is closed");
        }
        if (!lenderValid.getAsBoolean()) {
            throw new IllegalStateException("tensor " + Arrays.toString(shape) + " is unusable: " + lenderGone);
        }
    }

    /** Frees the memory now if this tensor owns it; for a wrap or a view, only ends its use. Idempotent. */
    @Override
    public void close() {
        FloatPointer d = data;
        data = null;
        view = null;
        lender = null;
        if (d != null && owner) d.close();
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + (isClosed() ? " (closed)" : owner ? "" : " (borrowed)");
    }
}
