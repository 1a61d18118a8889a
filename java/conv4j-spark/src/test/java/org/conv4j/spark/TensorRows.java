package org.conv4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.conv4j.Backends;
import org.conv4j.Conv2dPlan;
import org.conv4j.Conv2dProblem;
import org.conv4j.Tensor;
import org.conv4j.backend.NativeLibrary;

/** Test data: rows of random tensors for a problem, and what the core's native plan makes of them in one process. */
final class TensorRows {
    final Conv2dProblem problem;
    final float[] weights, bias;
    final List<float[]> inputs = new ArrayList<>(), residuals = new ArrayList<>();

    TensorRows(Conv2dProblem problem, int rows, long seed) {
        this.problem = problem;
        SplittableRandom rnd = new SplittableRandom(seed);
        weights = random(rnd, (int) problem.weightElements());
        bias = problem.hasBias() ? random(rnd, (int) problem.k()) : null;
        for (int i = 0; i < rows; i++) {
            inputs.add(random(rnd, (int) problem.inputElements()));
            residuals.add(problem.epilogue().sum() ? random(rnd, (int) problem.outputElements()) : null);
        }
    }

    /** General floats in [-2, 2): sums are inexact, so equality tests the same arithmetic, not luck. */
    static float[] random(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rnd.nextDouble() * 4 - 2);
        return a;
    }

    /** Row i through the core's native plan in this process, OpenBLAS on 1 thread as in a Spark task. */
    float[] expected(int i) {
        NativeLibrary.setOpenblasThreads(1);
        try (Conv2dPlan plan = Backends.nativeBackend().plan(problem);
             Tensor x = Tensor.of(inputs.get(i), problem.inputShape());
             Tensor w = Tensor.of(weights, problem.weightShape());
             Tensor b = bias == null ? null : Tensor.of(bias, problem.biasShape());
             Tensor y = Tensor.zeros(problem.outputShape())) {
            if (residuals.get(i) != null) y.copyFrom(residuals.get(i));
            plan.forward(x, w, b, y);
            return y.toArray();
        }
    }

    /** Columns id:int, tensor (format), shape:array<int>, and skip (the residual) when the epilogue sums. */
    Dataset<Row> dataset(SparkSession spark, TensorFormat format, int partitions) {
        StructType schema = new StructType().add("id", DataTypes.IntegerType, false)
                .add("tensor", format.sparkType(), true)
                .add("shape", DataTypes.createArrayType(DataTypes.IntegerType, false), true);
        if (problem.epilogue().sum()) schema = schema.add("skip", format.sparkType(), true);
        List<Integer> shape = Arrays.stream(problem.inputShape()).mapToObj(d -> (int) d).toList();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Object x = format.encode(inputs.get(i));
            rows.add(problem.epilogue().sum()
                    ? RowFactory.create(i, x, shape, format.encode(residuals.get(i)))
                    : RowFactory.create(i, x, shape));
        }
        return spark.createDataFrame(rows, schema).repartition(partitions);
    }

    /** The floats of an output column value in {@code format}. */
    static float[] floats(TensorFormat format, Object value) throws CorruptRowException {
        int n = format == TensorFormat.BINARY_F32LE ? ((byte[]) value).length / 4 : TensorFormat.asList(value).size();
        float[] out = new float[n];
        format.decode("output", value, out);
        return out;
    }
}
