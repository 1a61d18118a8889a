package org.conv4j;

import java.util.Arrays;
import org.bytedeco.javacpp.FloatPointer;

/**
 * A dense float32 tensor in native (off-heap) memory, row-major (NCHW for rank 4, KCRS for weights,
 * K for a bias). It owns its memory and releases it in {@link #close()}; any use after close throws
 * {@link IllegalStateException} and never touches freed memory.
 *
 * <p>Not thread-safe for writes or close; concurrent reads (for example one weight tensor shared by
 * many threads running convolutions) are safe as long as nobody closes it meanwhile.
 */
public final class Tensor implements AutoCloseable {
    /** Largest element count a tensor may hold: what the Java side can copy through one buffer. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final long[] shape;
    private final long size;
    private FloatPointer data;

    private Tensor(long[] shape) {
        this.shape = shape.clone();
        this.size = elementCount(this.shape);
        FloatPointer fp = new FloatPointer(size);
        if (fp.isNull()) {
            throw new OutOfMemoryError("cannot allocate " + size * 4 + " bytes off-heap for tensor "
                    + Arrays.toString(shape));
        }
        this.data = fp;
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

    /** Copies {@code values} (length = {@link #size()}) into this tensor. */
    public void copyFrom(float[] values) {
        checkOpen();
        if (values == null || values.length != size) {
            throw new IllegalArgumentException("array length " + (values == null ? "null" : values.length)
                    + " does not match tensor shape " + Arrays.toString(shape) + " (" + size + " elements)");
        }
        data.put(values, 0, values.length);
    }

    /** Copies the tensor into {@code out} (length = {@link #size()}). */
    public void copyTo(float[] out) {
        checkOpen();
        if (out == null || out.length != size) {
            throw new IllegalArgumentException("array length " + (out == null ? "null" : out.length)
                    + " does not match tensor shape " + Arrays.toString(shape) + " (" + size + " elements)");
        }
        data.get(out, 0, out.length);
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

    public boolean isClosed() {
        return data == null;
    }

    /**
     * The off-heap memory, for backends. Throws if closed.
     */
    public FloatPointer pointer() {
        checkOpen();
        return data;
    }

    boolean hasShape(long[] expected) {
        return Arrays.equals(shape, expected);
    }

    private void checkOpen() {
        if (data == null) {
            throw new IllegalStateException("tensor " + Arrays.toString(shape) + " is closed");
        }
    }

    /** Releases the off-heap memory now. Idempotent. */
    @Override
    public void close() {
        FloatPointer d = data;
        data = null;
        if (d != null) d.close();
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + (data == null ? " (closed)" : "");
    }
}
