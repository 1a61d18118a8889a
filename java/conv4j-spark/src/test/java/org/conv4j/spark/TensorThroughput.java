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
import org.conv4j.Border;
import org.conv4j.ConstantWeightPlan;
import org.conv4j.Conv2dProblem;
import org.conv4j.Tensor;
import org.conv4j.backend.NativeLibrary;

/**
 * Throughput of the tensor path, not a unit test: {@code IMAGES} generated 1080p RGB tensors (binary
 * f32le rows, made inside the executors from their id) through a depthwise 3x3 SAME reflect filter,
 * Spark {@code MASTER} versus one process running the task's plan (constant weights, 1 thread: what
 * one task slot runs) in a loop. Both sides generate, decode/encode and convolve every image; Spark's
 * rows are counted by a sum so nothing is collected. {@code ROUNDS} rounds alternate the two sides in
 * one JVM (one Spark session, warmed by a first small job) so the machine's load drifts over both; the
 * rates are totals over the rounds, and the JVM's CPU seconds per image on each side are printed too
 * (the machine's other load moves wall times, not those). Run by {@code java/conv4j-spark/bench.sh IMAGES MASTER ROUNDS}.
 */
public final class TensorThroughput {
    static final Conv2dProblem PROBLEM = Conv2dProblem.builder().input(1, 3, 1080, 1920).filters(3, 3, 3)
            .groups(3).autoPad(AutoPad.SAME_UPPER).border(Border.REFLECT).build();
    static final float[] SOBEL_X = {-1, 0, 1, -2, 0, 2, -1, 0, 1, -1, 0, 1, -2, 0, 2, -1, 0, 1,
                                    -1, 0, 1, -2, 0, 2, -1, 0, 1};

    public static void main(String[] args) {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        String master = args.length > 1 ? args[1] : "local[2]";
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        System.out.println("problem " + PROBLEM + ", " + images + " images x " + rounds + " rounds, OpenBLAS "
                + NativeLibrary.openblasCoreName() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        SparkSession spark = SparkSession.builder().master(master).appName("TensorThroughput")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        try {
            spark(spark, 4); // start-up and JIT warm-up, not timed
            double single = 0, sparkTime = 0, singleCpu = 0, sparkCpu = 0;
            for (int r = 1; r <= rounds; r++) {
                double c0 = cpuSeconds(), s = single(images), c1 = cpuSeconds(), k = spark(spark, images);
                double c2 = cpuSeconds();
                single += s;
                sparkTime += k;
                singleCpu += c1 - c0;
                sparkCpu += c2 - c1;
                System.out.printf("round %d: single process %.2f images/s, Spark %s %.2f images/s%n",
                        r, images / s, master, images / k);
            }
            // Other processes' load moves wall times; the JVM's CPU seconds per image (every thread: GC,
            // JIT, Spark's own) are what this process spent, so their ratio is the load-independent check.
            System.out.printf("CPU per image (whole JVM): single process %.3f s, Spark %.3f s, ratio %.2f%n",
                    singleCpu / (rounds * images), sparkCpu / (rounds * images), sparkCpu / singleCpu);
            double x = rounds * images / single, y = rounds * images / sparkTime;
            System.out.printf("spark tensor path: single process %.2f images/s, spark %s %.2f images/s,"
                    + " per-slot cost ratio %.2f%n", x, master, y, 2 * x / y);
        } finally {
            spark.stop();
        }
    }

    private static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    static byte[] image(long id) {
        SplittableRandom rnd = new SplittableRandom(id);
        float[] px = new float[(int) PROBLEM.inputElements()];
        for (int i = 0; i < px.length; i++) px[i] = rnd.nextInt(256);
        return (byte[]) TensorFormat.BINARY_F32LE.encode(px);
    }

    /** Seconds for {@code images} images through one task's plan (PartitionConv's backend) on this thread. */
    private static double single(int images) {
        long t0 = System.nanoTime();
        double checksum = 0;
        try (Tensor w = Tensor.of(SOBEL_X, PROBLEM.weightShape());
             ConstantWeightPlan plan = PartitionConv.taskBackend("native").plan(PROBLEM, w, null);
             Tensor x = Tensor.zeros(PROBLEM.inputShape());
             Tensor y = Tensor.zeros(PROBLEM.outputShape())) {
            float[] in = new float[(int) x.size()];
            for (int i = 0; i < images; i++) {
                try {
                    TensorFormat.BINARY_F32LE.decode("tensor", image(i), in);
                } catch (CorruptRowException e) {
                    throw new IllegalStateException(e);
                }
                x.copyFrom(in);
                plan.forward(x, y);
                checksum += ((byte[]) TensorFormat.BINARY_F32LE.encode(y.toArray())).length;
            }
        }
        if (checksum == 0) throw new IllegalStateException("nothing computed");
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Seconds for one Spark job over {@code images} images, two partitions per task slot. */
    private static double spark(SparkSession spark, int images) {
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
    }
}
