import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.conv4j.Border;
import org.conv4j.ConstantWeightPlan;
import org.conv4j.Conv2dProblem;
import org.conv4j.Epilogue;
import org.conv4j.Tensor;
import org.conv4j.backend.NativeIm2colGemmBackend;
import org.conv4j.backend.NativeLibrary;
import org.conv4j.spark.SparkConv2d;

/**
 * The tensor job .ci/spark-cluster.sh submits: ROWS seeded tensors generated inside the executors
 * (PARTITIONS partitions, each pausing DELAY_MS first so that the job lasts long enough to lose an
 * executor in its middle), through SparkConv2d, written as Parquet to OUT; then read back and every row
 * compared bit for bit with the same problem run by the native plan in this (the driver's) process.
 * Prints "tensors identical: N" and exits 0, or names the first difference and exits 1.
 * Usage: ClusterTensorJob OUT ROWS PARTITIONS DELAY_MS
 */
public final class ClusterTensorJob {
    static final Conv2dProblem PROBLEM = Conv2dProblem.builder().input(1, 3, 360, 640).filters(4, 3, 3)
            .pad(1, 1, 1, 1).bias(true).border(Border.REFLECT).epilogue(Epilogue.relu()).build();

    public static void main(String[] args) {
        String out = args[0];
        int rows = Integer.parseInt(args[1]), partitions = Integer.parseInt(args[2]);
        long delay = Long.parseLong(args[3]);
        float[] w = floats(-1, (int) PROBLEM.weightElements()), b = floats(-2, (int) PROBLEM.k());
        SparkSession spark = SparkSession.builder().appName("conv4j cluster tensor job").getOrCreate();
        try {
            StructType schema = new StructType().add("id", DataTypes.LongType).add("tensor", DataTypes.BinaryType);
            Dataset<Row> in = spark.range(0, rows, 1, partitions).toDF()
                    .mapPartitions((MapPartitionsFunction<Row, Row>) it -> {
                        Thread.sleep(delay);
                        return new Iterator<>() {
                            public boolean hasNext() {
                                return it.hasNext();
                            }

                            public Row next() {
                                long id = it.next().getLong(0);
                                return RowFactory.create(id, bytes(floats(id, (int) PROBLEM.inputElements())));
                            }
                        };
                    }, Encoders.row(schema));
            SparkConv2d conv = SparkConv2d.of(PROBLEM, w, b)
                    .columns(org.conv4j.spark.TensorColumns.DEFAULT.withShape(null));
            SparkConv2d.writeParquet(conv.transform(in), out);
            List<Row> back = spark.read().parquet(out).select("id", "output", "error").collectAsList();
            if (back.size() != rows) fail(out + " holds " + back.size() + " rows, expected " + rows);
            boolean[] seen = new boolean[rows];
            NativeLibrary.setOpenblasThreads(1);
            try (Tensor tw = Tensor.of(w, PROBLEM.weightShape()); Tensor tb = Tensor.of(b, PROBLEM.biasShape());
                 ConstantWeightPlan plan = new NativeIm2colGemmBackend(1).plan(PROBLEM, tw, tb);
                 Tensor x = Tensor.zeros(PROBLEM.inputShape()); Tensor y = Tensor.zeros(PROBLEM.outputShape())) {
                for (Row r : back) {
                    int id = (int) r.getLong(0);
                    if (seen[id]) fail("row " + id + " written twice");
                    seen[id] = true;
                    if (!r.isNullAt(2)) fail("row " + id + ": " + r.getString(2));
                    x.copyFrom(floats(id, (int) PROBLEM.inputElements()));
                    plan.forward(x, y);
                    byte[] expected = bytes(y.toArray()), actual = r.getAs(1);
                    if (!Arrays.equals(expected, actual)) {
                        fail(PROBLEM + " row " + id + ": cluster output differs from the native plan in one process at byte "
                                + Arrays.mismatch(expected, actual));
                    }
                }
            }
            System.out.println("tensors identical: " + rows);
        } finally {
            spark.stop();
        }
    }

    static float[] floats(long seed, int n) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rnd.nextDouble() * 4 - 2);
        return a;
    }

    static byte[] bytes(float[] v) {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(4 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(v);
        return bb.array();
    }

    private static void fail(String message) {
        System.err.println("ClusterTensorJob: " + message);
        System.exit(1);
    }
}
