package org.conv4j.spark;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.TaskCompletionListener;
import org.conv4j.Conv2dProblem;

/**
 * The per-partition function of {@link SparkConv2d}: rows in, the same rows plus output, output shape
 * and error out, in order. The {@link PartitionConv} is made at the first row and closed at the end of
 * the partition, or by the task completion listener when the task fails or is killed first.
 */
final class TensorPartitionMapper implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final ProblemSpec spec;
    private final float[] weights, bias;
    private final String backend;
    private final TensorColumns cols;
    private final TensorFormat format;
    private final int width, inputIndex, shapeIndex, residualIndex;

    /** Column indices come from the validated input schema; -1 for an absent shape or residual column. */
    TensorPartitionMapper(ProblemSpec spec, float[] weights, float[] bias, String backend, TensorColumns cols,
                          TensorFormat format, int width, int inputIndex, int shapeIndex, int residualIndex) {
        this.spec = spec;
        this.weights = weights;
        this.bias = bias;
        this.backend = backend;
        this.cols = cols;
        this.format = format;
        this.width = width;
        this.inputIndex = inputIndex;
        this.shapeIndex = shapeIndex;
        this.residualIndex = residualIndex;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new Iterator<>() {
            private PartitionConv conv;
            private float[] x, residual;
            private Object outShape;

            @Override
            public boolean hasNext() {
                boolean more = rows.hasNext();
                if (!more && conv != null) conv.close();
                return more;
            }

            @Override
            public Row next() {
                if (!rows.hasNext()) throw new NoSuchElementException();
                Row row = rows.next();
                if (conv == null) open();
                Object[] v = new Object[width + 3];
                for (int i = 0; i < width; i++) v[i] = row.get(i);
                try {
                    checkShape(row);
                    format.decode(cols.input(), row.get(inputIndex), x);
                    if (residual != null) format.decode(cols.residual(), row.get(residualIndex), residual);
                    v[width] = format.encode(conv.forward(x, residual));
                    v[width + 1] = outShape;
                } catch (CorruptRowException e) {
                    v[width + 2] = e.getMessage() + " (problem " + conv.problem() + ")";
                }
                return RowFactory.create(v);
            }

            private void open() {
                PartitionConv c = new PartitionConv(spec.toProblem(), weights, bias, backend);
                TaskContext task = TaskContext.get();
                if (task != null) task.addTaskCompletionListener((TaskCompletionListener) ctx -> c.close());
                conv = c;
                Conv2dProblem p = c.problem();
                x = new float[(int) p.inputElements()];
                residual = p.epilogue().sum() ? new float[(int) p.outputElements()] : null;
                outShape = TensorFormat.seq(Arrays.stream(p.outputShape()).mapToInt(d -> (int) d).toArray());
            }
        };
    }

    private void checkShape(Row row) throws CorruptRowException {
        if (shapeIndex < 0) return;
        Object value = row.get(shapeIndex);
        if (value == null) throw new CorruptRowException(cols.shape() + " is null");
        List<?> shape = TensorFormat.asList(value);
        long[] expected = {spec.n(), spec.c(), spec.h(), spec.w()};
        boolean same = shape.size() == 4;
        for (int i = 0; same && i < 4; i++) {
            same = shape.get(i) != null && ((Number) shape.get(i)).longValue() == expected[i];
        }
        if (!same) {
            throw new CorruptRowException(cols.shape() + " is " + shape + ", expected " + Arrays.toString(expected));
        }
    }
}
