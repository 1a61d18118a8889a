package org.conv4j.io;

import java.util.Arrays;

/**
 * A float32 array read from or written to a NumPy {@code .npy} file, C order. Not thread-safe for
 * writes: the arrays are mutable and shared, not copied.
 *
 * @param shape      the array's shape (rank 0 is not supported)
 * @param data       the values, row-major
 * @param converted  true when the file held float64 and was narrowed to float32
 */
public record NpyArray(long[] shape, float[] data, boolean converted) {
    public NpyArray {
        shape = shape.clone();
    }

    public NpyArray(long[] shape, float[] data) {
        this(shape, data, false);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    @Override
    public String toString() {
        return "NpyArray" + Arrays.toString(shape) + (converted ? " (from float64)" : "");
    }
}
