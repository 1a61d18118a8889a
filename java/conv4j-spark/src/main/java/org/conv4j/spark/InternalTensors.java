package org.conv4j.spark;

import java.nio.ByteOrder;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.unsafe.Platform;
import org.conv4j.Tensor;

/**
 * Moves a tensor column of Spark's internal rows into an off-heap {@link Tensor} and a tensor back out
 * as a column value, each with one memory copy: a binary or {@code array<float>} value of an
 * {@link UnsafeRow} is copied straight from the row's memory, with no {@code byte[]}, {@code float[]} or
 * {@code Row} in between. The floats of {@link TensorFormat#BINARY_F32LE} are little-endian, the native
 * order of every platform conv4j ships natives for, so the bytes are the tensor's bytes.
 *
 * <p>{@link #value} returns a buffer this object reuses for every row: the row holding it must be
 * consumed (Spark's scan projects it into its own {@code UnsafeRow} at once) before the next call.
 * Not thread-safe: one per task.
 */
final class InternalTensors {
    static {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException("conv4j-spark's binary tensors are float32 little-endian; this platform is "
                    + ByteOrder.nativeOrder());
        }
    }

    private final TensorFormat format;
    private final int floats;
    private final Object out;

    /** For output tensors of {@code floats} elements in {@code format}. */
    InternalTensors(TensorFormat format, long floats) {
        this.format = format;
        this.floats = Math.toIntExact(floats);
        this.out = format == TensorFormat.BINARY_F32LE ? new byte[4 * this.floats]
                : UnsafeArrayData.createFreshArray(this.floats, 4);
    }

    /**
     * Copies column {@code ordinal} of {@code row} (named {@code column} in messages) into {@code into},
     * or throws {@link CorruptRowException} saying why it cannot: null, wrong length, a null element.
     */
    static void read(TensorFormat format, String column, InternalRow row, int ordinal, Tensor into)
            throws CorruptRowException {
        if (row.isNullAt(ordinal)) throw new CorruptRowException(column + " is null");
        long address = into.pointer().address(), n = into.size();
        if (format == TensorFormat.BINARY_F32LE) {
            if (row instanceof UnsafeRow u) {
                long offsetAndSize = u.getLong(ordinal);
                int offset = (int) (offsetAndSize >> 32), size = (int) offsetAndSize;
                checkBytes(column, size, n);
                Platform.copyMemory(u.getBaseObject(), u.getBaseOffset() + offset, null, address, size);
            } else {
                byte[] bytes = row.getBinary(ordinal);
                checkBytes(column, bytes.length, n);
                Platform.copyMemory(bytes, Platform.BYTE_ARRAY_OFFSET, null, address, bytes.length);
            }
            return;
        }
        ArrayData a = row.getArray(ordinal);
        if (a.numElements() != n) {
            throw new CorruptRowException(column + " holds " + a.numElements() + " elements, expected " + n);
        }
        if (a instanceof UnsafeArrayData u) {
            int nulls = firstNull(u);
            if (nulls >= 0) throw new CorruptRowException(column + " has a null element at index " + nulls);
            Platform.copyMemory(u.getBaseObject(), u.getBaseOffset() + UnsafeArrayData.calculateHeaderPortionInBytes((int) n),
                    null, address, 4 * n);
        } else {
            for (int i = 0; i < n; i++) {
                if (a.isNullAt(i)) throw new CorruptRowException(column + " has a null element at index " + i);
            }
            into.copyFrom(a.toFloatArray());
        }
    }

    /** The column value holding {@code t}'s floats (this object's reused buffer, see the class comment). */
    Object value(Tensor t) {
        if (t.size() != floats) {
            throw new IllegalArgumentException("tensor of " + t.size() + " floats, this codec holds " + floats);
        }
        long address = t.pointer().address();
        if (out instanceof byte[] bytes) {
            Platform.copyMemory(null, address, bytes, Platform.BYTE_ARRAY_OFFSET, bytes.length);
        } else {
            UnsafeArrayData a = (UnsafeArrayData) out;
            Platform.copyMemory(null, address, a.getBaseObject(),
                    a.getBaseOffset() + UnsafeArrayData.calculateHeaderPortionInBytes(floats), 4L * floats);
        }
        return out;
    }

    TensorFormat format() {
        return format;
    }

    /** The index of the first null element of {@code a}, or -1; reads the null bit set a word at a time. */
    private static int firstNull(UnsafeArrayData a) {
        int n = a.numElements();
        for (int word = 0; word * 64 < n; word++) {
            if (Platform.getLong(a.getBaseObject(), a.getBaseOffset() + 8 + 8L * word) != 0) {
                for (int i = word * 64; i < Math.min(n, word * 64 + 64); i++) {
                    if (a.isNullAt(i)) return i;
                }
            }
        }
        return -1;
    }

    private static void checkBytes(String column, long bytes, long floats) throws CorruptRowException {
        if (bytes != 4 * floats) {
            throw new CorruptRowException(column + " holds " + bytes + " bytes, expected " + 4 * floats
                    + " (" + floats + " float32)");
        }
    }
}
