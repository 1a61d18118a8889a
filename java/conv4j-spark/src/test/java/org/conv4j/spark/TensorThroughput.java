package org.conv4j.spark;

import java.util.Iterator;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.conv4j.AutoPad;
import org.conv4j.Backends;
import org.conv4j.Border;
import org.conv4j.Conv2dPlan;
import org.conv4j.Conv2dProblem;
import org.conv4j.Tensor;
import org.conv4j.backend.NativeLibrary;

/**
 * Throughput of the tensor path, not a unit test: {@code IMAGES} generated 1080p RGB tensors (binary
 * f32le rows, made inside the executors from their id) through a depthwise 3x3 SAME reflect filter,
 * Spark {@code MASTER} versus one process running the same plan in a loop on 1 OpenBLAS thread.
 * Both sides generate, decode/encode and convolve every image; Spark's rows are counted by a sum so
 * nothing is collected. Run by {@code java/conv4j-spark/bench.sh IMAGES MASTER}.
 */
public final class TensorThroughput {
    static final Conv2dProblem PROBLEM = Conv2dProblem.builder().input(1, 3, 1080, 1920).filters(3, 3, 3)
            .groups(3).autoPad(AutoPad.SAME_UPPER).border(Border.REFLECT).build();
    static final float[] SOBEL_X = {-1, 0, 1, -2, 0, 2, -1, 0, 1, -1, 0, 1, -2, 0, 2, -1, 0, 1,
                                    -1, 0, 1, -2, 0, 2, -1, 0, 1};

    public static void main(String[] args) {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        String master = args.length > 1 ? args[1] : "local[2]";
        System.out.println("problem " + PROBLEM + ", " + images + " images, OpenBLAS " + NativeLibrary.openblasCoreName());
        double single = single(images);
        System.out.printf("single process (1 thread): %.1f s, %.2f images/s%n", single, images / single);
        double spark = spark(images, master);
        System.out.printf("Spark %s: %.1f s, %.2f images/s (%.2fx the single process)%n",
                master, spark, images / spark, single / spark);
    }

    static byte[] image(long id) {
        SplittableRandom rnd = new SplittableRandom(id);
        float[] px = new float[(int) PROBLEM.inputElements()];
        for (int i = 0; i < px.length; i++) px[i] = rnd.nextInt(256);
        return (byte[]) TensorFormat.BINARY_F32LE.encode(px);
    }

    private static double single(int images) {
        NativeLibrary.setOpenblasThreads(1);
        long t0 = System.nanoTime();
        double checksum = 0;
        try (Conv2dPlan plan = Backends.nativeBackend().plan(PROBLEM);
             Tensor x = Tensor.zeros(PROBLEM.inputShape());
             Tensor w = Tensor.of(SOBEL_X, PROBLEM.weightShape());
             Tensor y = Tensor.zeros(PROBLEM.outputShape())) {
            float[] in = new float[(int) x.size()];
            for (int i = 0; i < images; i++) {
                try {
                    TensorFormat.BINARY_F32LE.decode("tensor", image(i), in);
                } catch (CorruptRowException e) {
                    throw new IllegalStateException(e);
                }
                x.copyFrom(in);
                plan.forward(x, w, null, y);
                checksum += ((byte[]) TensorFormat.BINARY_F32LE.encode(y.toArray())).length;
            }
        }
        if (checksum == 0) throw new IllegalStateException("nothing computed");
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double spark(int images, String master) {
        SparkSession spark = SparkSession.builder().master(master).appName("TensorThroughput")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        try {
            StructType schema = new StructType().add("id", DataTypes.LongType)
                    .add("tensor", DataTypes.BinaryType).add("shape", DataTypes.createArrayType(DataTypes.IntegerType));
            long t0 = System.nanoTime();
            Dataset<Row> rows = spark.range(0, images, 1, 2 * spark.sparkContext().defaultParallelism()).toDF()
                    .mapPartitions((MapPartitionsFunction<Row, Row>) it -> new Iterator<>() {
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        public Row next() {
                            long id = it.next().getLong(0);
                            return RowFactory.create(id, image(id), TensorFormat.seq(new int[] {1, 3, 1080, 1920}));
                        }
                    }, Encoders.row(schema));
            long n = SparkConv2d.of(PROBLEM, SOBEL_X, null).transform(rows)
                    .selectExpr("length(output) AS bytes").filter("bytes > 0").count();
            if (n != images) throw new IllegalStateException("Spark returned " + n + " of " + images + " images");
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            spark.stop();
        }
    }
}
