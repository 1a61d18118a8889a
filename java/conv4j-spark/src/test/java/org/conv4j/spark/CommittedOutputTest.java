package org.conv4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.conv4j.Conv2dProblem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Output through Spark's committer: reruns replace, a task killed mid-partition leaves nothing behind. */
class CommittedOutputTest {
    private static final int ROWS = 40, PARTITIONS = 4;
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.local("CommittedOutputTest");
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    @Test
    void rerunOverwritesWithTheSameRowsAndNoDuplicates() throws Exception {
        TensorRows data = new TensorRows(SparkConv2dTest.PROBLEMS.get(0), ROWS, 3);
        Dataset<Row> out = SparkConv2d.of(data.problem, data.weights, data.bias)
                .transform(data.dataset(spark, TensorFormat.FLOAT_ARRAY, PARTITIONS));
        String path = dir.resolve("out").toString();
        SparkConv2d.writeParquet(out, path);
        long firstFiles = dataFiles(dir.resolve("out"));
        SparkConv2d.writeParquet(out, path);
        assertEquals(firstFiles, dataFiles(dir.resolve("out")), "part files after the rerun");
        assertComplete(data, path);
    }

    /** Throws in partition 0's first attempt after it has handed one row to the writer. */
    static final class KillFirstAttempt implements MapPartitionsFunction<Row, Row> {
        static final AtomicInteger KILLED = new AtomicInteger();

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            TaskContext task = TaskContext.get();
            boolean kill = task.partitionId() == 0 && task.attemptNumber() == 0;
            return new Iterator<>() {
                int passed;

                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public Row next() {
                    if (kill && passed == 1) {
                        KILLED.incrementAndGet();
                        throw new IllegalStateException("test hook: task killed mid-partition");
                    }
                    passed++;
                    return rows.next();
                }
            };
        }
    }

    @Test
    void taskKilledMidPartitionLeavesNoPartialOutputAndTheRetryCompletesIt() throws Exception {
        TensorRows data = new TensorRows(SparkConv2dTest.PROBLEMS.get(1), ROWS, 5);
        Dataset<Row> out = SparkConv2d.of(data.problem, data.weights, data.bias)
                .transform(data.dataset(spark, TensorFormat.BINARY_F32LE, PARTITIONS));
        Dataset<Row> killed = out.mapPartitions(new KillFirstAttempt(), Encoders.row(out.schema()));
        String path = dir.resolve("killed").toString();
        KillFirstAttempt.KILLED.set(0);
        SparkConv2d.writeParquet(killed, path);
        assertEquals(1, KillFirstAttempt.KILLED.get(), "the hook killed one attempt");
        assertEquals(0, PartitionConv.OPEN.get(), "partition resources of the killed attempt left open");
        assertComplete(data, path);
    }

    @Test
    void namedFilesOfAKilledTaskAreWrittenOnceByItsRetryAndByARerun() throws Exception {
        int n = 12;
        TensorRows data = new TensorRows(SparkConv2dTest.PROBLEMS.get(3), n, 9);
        Dataset<Row> out = SparkConv2d.of(data.problem, data.weights, data.bias)
                .transform(data.dataset(spark, TensorFormat.BINARY_F32LE, PARTITIONS))
                .selectExpr("concat('t', id, '.f32') AS name", "output AS bytes");
        Dataset<Row> killed = out.mapPartitions(new KillFirstAttempt(), Encoders.row(out.schema()));
        Path files = dir.resolve("files");
        for (int run = 0; run < 2; run++) {
            KillFirstAttempt.KILLED.set(0);
            NamedFiles.write(killed, "name", "bytes", files.toString());
            assertEquals(1, KillFirstAttempt.KILLED.get(), "run " + run + ": the hook killed one attempt");
            java.util.Set<String> names = new java.util.TreeSet<>();
            try (Stream<Path> all = Files.walk(files)) {
                all.filter(Files::isRegularFile).forEach(f -> names.add(files.relativize(f).toString()));
            }
            java.util.Set<String> expected = new java.util.TreeSet<>(List.of("_SUCCESS", "._SUCCESS.crc"));
            for (int i = 0; i < n; i++) expected.add("t" + i + ".f32");
            for (int i = 0; i < n; i++) expected.add(".t" + i + ".f32.crc");
            assertEquals(expected, names, "run " + run + ": files in " + files);
            for (int i = 0; i < n; i++) {
                byte[] bytes = Files.readAllBytes(files.resolve("t" + i + ".f32"));
                SparkConv2dTest.assertBitsEqual(data.problem, TensorFormat.BINARY_F32LE, i, data.expected(i),
                        TensorRows.floats(TensorFormat.BINARY_F32LE, bytes));
            }
        }
        assertEquals(0, PartitionConv.OPEN.get(), "partition resources left open");
    }

    /** Every row once, bit-for-bit the single-process result, and only committed files in the directory. */
    private void assertComplete(TensorRows data, String path) throws Exception {
        Conv2dProblem p = data.problem;
        try (Stream<Path> files = Files.walk(Path.of(path))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                assertTrue(name.matches("\\.?(_SUCCESS|part-\\d+-[-0-9a-f]+-c000(\\.snappy)?\\.parquet)(\\.crc)?"),
                        "uncommitted or unexpected file " + f);
            }
        }
        Dataset<Row> back = spark.read().parquet(path);
        TensorFormat format = TensorFormat.of("output", back.schema().apply("output").dataType());
        List<Row> rows = SparkConv2dTest.byId(back.collectAsList());
        assertEquals(ROWS, rows.size(), "rows in " + path);
        for (int i = 0; i < ROWS; i++) {
            Row row = rows.get(i);
            assertEquals(i, row.getInt(0), "row ids of " + path);
            assertNull(row.getAs("error"), p + " row " + i);
            SparkConv2dTest.assertBitsEqual(p, format, i, data.expected(i),
                    TensorRows.floats(format, row.getAs("output")));
        }
    }

    private static long dataFiles(Path out) throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".parquet")).count();
        }
    }
}
