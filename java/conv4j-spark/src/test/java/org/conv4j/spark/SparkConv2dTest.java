package org.conv4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.conv4j.Border;
import org.conv4j.Conv2dProblem;
import org.conv4j.Epilogue;
import org.conv4j.Mode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tensor path in local[2]: bit-for-bit equal to the core's native plan in one process, per-row errors. */
class SparkConv2dTest {
    private static SparkSession spark;

    /** Borders, epilogues (relu, clamp, residual sum), groups, depthwise, stride, dilation, both modes, 1x1. */
    static final List<Conv2dProblem> PROBLEMS = List.of(
            Conv2dProblem.builder().input(1, 3, 7, 9).filters(4, 3, 3).pad(1, 1, 1, 1).bias(true)
                    .border(Border.REFLECT).epilogue(Epilogue.relu()).build(),
            Conv2dProblem.builder().input(1, 4, 8, 8).filters(4, 3, 3).groups(4).stride(2, 2).pad(1, 2, 1, 0)
                    .border(Border.CIRCULAR).epilogue(Epilogue.clamp(-1, 1)).build(),
            Conv2dProblem.builder().input(2, 2, 5, 6).filters(4, 2, 3).groups(2).dilation(2, 1).pad(2, 1, 1, 1)
                    .mode(Mode.CONVOLUTION).border(Border.SYMMETRIC).bias(true).epilogue(Epilogue.NONE.withSum()).build(),
            Conv2dProblem.builder().input(1, 8, 6, 5).filters(16, 1, 1).border(Border.REPLICATE).build());

    @BeforeAll
    static void start() {
        spark = SparkSessions.local("SparkConv2dTest");
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    @Test
    void arrayRowsEqualTheNativePlanBitForBit() throws Exception {
        for (Conv2dProblem p : PROBLEMS) checkEqual(p, TensorFormat.FLOAT_ARRAY);
    }

    @Test
    void binaryRowsEqualTheNativePlanBitForBit() throws Exception {
        for (Conv2dProblem p : PROBLEMS) checkEqual(p, TensorFormat.BINARY_F32LE);
    }

    private void checkEqual(Conv2dProblem p, TensorFormat format) throws Exception {
        TensorRows data = new TensorRows(p, 7, 42);
        SparkConv2d conv = SparkConv2d.of(p, data.weights, data.bias);
        if (p.epilogue().sum()) conv = conv.columns(TensorColumns.DEFAULT.withResidual("skip"));
        List<Row> rows = byId(conv.transform(data.dataset(spark, format, 3)).collectAsList());
        assertEquals(7, rows.size(), p.toString());
        for (Row row : rows) {
            int id = row.getInt(0);
            assertNull(row.getAs("error"), p + " row " + id);
            assertEquals(java.util.Arrays.stream(p.outputShape()).mapToObj(d -> (int) d).toList(),
                    row.getList(row.fieldIndex("output_shape")), p + " row " + id);
            assertBitsEqual(p, format, id, data.expected(id), TensorRows.floats(format, row.getAs("output")));
        }
        assertEquals(0, PartitionConv.OPEN.get(), "partition resources left open after " + p);
    }

    /** The rows sorted by their id column (sorted on the driver: no extra Spark job). */
    static List<Row> byId(List<Row> rows) {
        List<Row> sorted = new java.util.ArrayList<>(rows);
        sorted.sort(java.util.Comparator.comparingInt(r -> r.getInt(0)));
        return sorted;
    }

    static void assertBitsEqual(Conv2dProblem p, TensorFormat f, int id, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, p + " " + f + " row " + id + " length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(p + " " + f + " row " + id + ": first difference at index " + i + ": single process "
                        + expected[i] + ", Spark " + actual[i]);
            }
        }
    }

    @Test
    void dropsTheInputTensorUnlessAskedToKeepIt() throws Exception {
        Conv2dProblem p = PROBLEMS.get(0);
        TensorRows data = new TensorRows(p, 3, 5);
        Dataset<Row> ds = data.dataset(spark, TensorFormat.BINARY_F32LE, 2);
        SparkConv2d conv = SparkConv2d.of(p, data.weights, data.bias);
        assertEquals(List.of("id", "shape", "output", "output_shape", "error"), List.of(conv.transform(ds).columns()));
        Dataset<Row> kept = conv.keepInput(true).transform(ds);
        assertEquals(List.of("id", "tensor", "shape", "output", "output_shape", "error"), List.of(kept.columns()));
        for (Row row : byId(kept.collectAsList())) {
            int id = row.getInt(0);
            assertArrayEquals((byte[]) TensorFormat.BINARY_F32LE.encode(data.inputs.get(id)), row.getAs("tensor"),
                    p + " row " + id + ": kept input");
            assertBitsEqual(p, TensorFormat.BINARY_F32LE, id, data.expected(id),
                    TensorRows.floats(TensorFormat.BINARY_F32LE, row.getAs("output")));
        }
    }

    @Test
    void corruptRowsAreReportedAndTheOthersSucceed() throws Exception {
        Conv2dProblem p = PROBLEMS.get(0);
        TensorRows data = new TensorRows(p, 6, 7);
        Dataset<Row> good = data.dataset(spark, TensorFormat.FLOAT_ARRAY, 2);
        // Row 1: one element short; row 2: null tensor; row 3: shape says H=8; row 4: a null element.
        Dataset<Row> bad = good.selectExpr("id",
                "CASE id WHEN 1 THEN slice(tensor, 2, size(tensor) - 1) WHEN 2 THEN NULL"
                        + " WHEN 4 THEN transform(tensor, (v, i) -> IF(i = 5, CAST(NULL AS FLOAT), v))"
                        + " ELSE tensor END AS tensor",
                "IF(id = 3, array(1, 3, 8, 9), shape) AS shape");
        List<Row> rows = byId(SparkConv2d.of(p, data.weights, data.bias).transform(bad).collectAsList());
        assertEquals(6, rows.size());
        String[] expectedError = {null, "tensor holds 188 elements, expected 189", "tensor is null",
                "shape is [1, 3, 8, 9], expected [1, 3, 7, 9]", "tensor has a null element at index 5", null};
        for (Row row : rows) {
            int id = row.getInt(0);
            String error = row.getAs("error");
            if (expectedError[id] == null) {
                assertNull(error, p + " row " + id);
                assertBitsEqual(p, TensorFormat.FLOAT_ARRAY, id, data.expected(id),
                        TensorRows.floats(TensorFormat.FLOAT_ARRAY, row.getAs("output")));
            } else {
                assertTrue(error != null && error.startsWith(expectedError[id]) && error.contains(p.toString()),
                        "row " + id + ": expected error '" + expectedError[id] + "...', got " + error);
                assertNull(row.getAs("output"), "row " + id);
                assertNull(row.getAs("output_shape"), "row " + id);
            }
        }
    }

    @Test
    void rejectsMissingColumnsAndWrongTypesOnTheDriver() {
        Conv2dProblem p = PROBLEMS.get(0);
        TensorRows data = new TensorRows(p, 1, 1);
        Dataset<Row> ds = data.dataset(spark, TensorFormat.FLOAT_ARRAY, 1);
        SparkConv2d conv = SparkConv2d.of(p, data.weights, data.bias);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conv.columns(TensorColumns.DEFAULT.withInput("pixels")).transform(ds));
        assertTrue(e.getMessage().contains("input column 'pixels' not found"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> conv.transform(ds.selectExpr("id",
                "transform(tensor, v -> CAST(v AS DOUBLE)) AS tensor", "shape")));
        assertTrue(e.getMessage().contains("has type array<double>"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SparkConv2d.of(p, new float[3], data.bias));
        assertTrue(e.getMessage().contains("weights has 3 values but problem " + p + " needs 108"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SparkConv2d.of(PROBLEMS.get(2), new float[24],
                new float[4]).transform(ds));
        assertTrue(e.getMessage().contains("sums a residual"), e.getMessage());
    }
}
