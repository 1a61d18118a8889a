package org.conv4j.spark;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.TaskCompletionListener;
import org.conv4j.Conv2dProblem;

/**
 * The per-partition function of {@link SparkConv2d}, on Spark's internal rows: the kept input columns
 * plus output, output shape and error out, in order. A tensor goes from the input row's memory into the
 * partition's off-heap input tensor and from its output tensor into the output value, one copy each (see
 * {@link InternalTensors}); no {@code Row} is made. The {@link PartitionConv} is made at the first row
 * and closed at the end of the partition, or by the task completion listener when the task fails or is
 * killed first.
 *
 * <p>An output row refers to the input row's values and to the reused output buffer: it is valid until
 * the next call, which is how Spark's RDD scan consumes it (projecting it into its own row at once).
 */
final class TensorPartitionMapper implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
    private static final long serialVersionUID = 1L;

    private final ProblemSpec spec;
    private final float[] weights, bias;
    private final String backend;
    private final TensorColumns cols;
    private final TensorFormat format;
    private final int[] kept;
    private final DataType[] keptTypes;
    private final int inputIndex, shapeIndex, residualIndex;
    private final boolean longs;

    /**
     * Column indices come from the validated input schema: {@code kept} are the input columns copied to
     * the output (types {@code keptTypes}); -1 for an absent shape or residual column; {@code longs}: the
     * shape column is {@code array<bigint>}, not {@code array<int>}.
     */
    TensorPartitionMapper(ProblemSpec spec, float[] weights, float[] bias, String backend, TensorColumns cols,
                          TensorFormat format, int[] kept, DataType[] keptTypes, int inputIndex, int shapeIndex,
                          boolean longs, int residualIndex) {
        this.spec = spec;
        this.weights = weights;
        this.bias = bias;
        this.backend = backend;
        this.cols = cols;
        this.format = format;
        this.kept = kept;
        this.keptTypes = keptTypes;
        this.inputIndex = inputIndex;
        this.shapeIndex = shapeIndex;
        this.residualIndex = residualIndex;
        this.longs = longs;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
        return new Iterator<>() {
            private PartitionConv conv;
            private InternalTensors output;
            private ArrayData outShape;

            @Override
            public boolean hasNext() {
                boolean more = rows.hasNext();
                if (!more && conv != null) conv.close();
                return more;
            }

            @Override
            public InternalRow next() {
                if (!rows.hasNext()) throw new NoSuchElementException();
                InternalRow row = rows.next();
                if (conv == null) open();
                Object[] v = new Object[kept.length + 3];
                for (int i = 0; i < kept.length; i++) v[i] = row.isNullAt(kept[i]) ? null : row.get(kept[i], keptTypes[i]);
                try {
                    checkShape(row);
                    InternalTensors.read(format, cols.input(), row, inputIndex, conv.input());
                    if (residualIndex >= 0) InternalTensors.read(format, cols.residual(), row, residualIndex, conv.output());
                    conv.forward();
                    v[kept.length] = output.value(conv.output());
                    v[kept.length + 1] = outShape;
                } catch (CorruptRowException e) {
                    v[kept.length + 2] = UTF8String.fromString(e.getMessage() + " (problem " + conv.problem() + ")");
                }
                return new GenericInternalRow(v);
            }

            private void open() {
                PartitionConv c = new PartitionConv(spec.toProblem(), weights, bias, backend);
                TaskContext task = TaskContext.get();
                if (task != null) task.addTaskCompletionListener((TaskCompletionListener) ctx -> c.close());
                conv = c;
                Conv2dProblem p = c.problem();
                output = new InternalTensors(format, p.outputElements());
                outShape = UnsafeArrayData.fromPrimitiveArray(Arrays.stream(p.outputShape()).mapToInt(d -> (int) d).toArray());
            }
        };
    }

    private void checkShape(InternalRow row) throws CorruptRowException {
        if (shapeIndex < 0) return;
        if (row.isNullAt(shapeIndex)) throw new CorruptRowException(cols.shape() + " is null");
        ArrayData shape = row.getArray(shapeIndex);
        long[] expected = {spec.n(), spec.c(), spec.h(), spec.w()};
        boolean same = shape.numElements() == 4;
        for (int i = 0; same && i < 4; i++) {
            same = !shape.isNullAt(i) && (longs ? shape.getLong(i) : shape.getInt(i)) == expected[i];
        }
        if (!same) {
            Object[] got = new Object[shape.numElements()];
            for (int i = 0; i < got.length; i++) got[i] = shape.isNullAt(i) ? null : longs ? shape.getLong(i) : shape.getInt(i);
            throw new CorruptRowException(cols.shape() + " is " + Arrays.toString(got) + ", expected "
                    + Arrays.toString(expected));
        }
    }
}
