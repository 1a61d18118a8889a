package org.conv4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.conv4j.Border;
import org.conv4j.Mode;
import org.conv4j.image.KernelGallery;
import org.conv4j.fuzz.PngChunks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image path in local[2]: byte-for-byte the CLI's filter, per-image errors, committed output. */
class SparkImageFilterTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.local("SparkImageFilterTest");
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    private Dataset<Row> files(Path in) {
        return spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(in.toString());
    }

    @Test
    void pngsEqualTheSingleProcessFilterByteForByteForEveryBorderModeAndGray() throws Exception {
        Path in = dir.resolve("in");
        TestImages.write(in);
        String[][] runs = {
            {"reflect", "correlation", "rgb", "identity,sobel-x,box-blur,laplacian,emboss"},
            {"zero", "convolution", "gray", "sobel-y,sharpen,gaussian-blur"},
            {"circular", "correlation", "rgb", "emboss,sobel-y"},
            {"symmetric", "convolution", "rgb", "sharpen"},
            {"replicate", "correlation", "gray", "laplacian,box-blur"}};
        for (String[] run : runs) {
            String what = String.join(" ", run);
            Path cli = dir.resolve("cli-" + run[0]), sparkOut = dir.resolve("spark-" + run[0]);
            boolean gray = run[2].equals("gray");
            if (gray) TestImages.cliFilter(in, cli, "--border", run[0], "--mode", run[1], "--kernels", run[3], "--gray");
            else TestImages.cliFilter(in, cli, "--border", run[0], "--mode", run[1], "--kernels", run[3]);
            SparkImageFilter f = SparkImageFilter.of(KernelGallery.byNames(run[3])).withBorder(Border.parse(run[0]))
                    .withMode(run[1].equals("convolution") ? Mode.CONVOLUTION : Mode.CROSS_CORRELATION)
                    .withGray(gray).stemsUnder(in.toString());
            List<String> failed = f.write(files(in), sparkOut.toString());
            assertEquals(List.of(), failed, what);
            TestImages.assertSamePngs(what, cli, sparkOut);
        }
        assertEquals(0, ImagePartition.OPEN.get(), "partition resources left open");
    }

    @Test
    void corruptImagesAreReportedAndTheOthersWritten() throws Exception {
        Path in = dir.resolve("in"), good = dir.resolve("good");
        TestImages.write(in);
        TestImages.write(good);
        byte[] png = Files.readAllBytes(in.resolve("a.png"));
        Files.write(in.resolve("garbage.png"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        Files.write(in.resolve("truncated.png"), java.util.Arrays.copyOf(png, png.length / 2));
        Files.writeString(in.resolve("text.jpg"), "not a JPEG"); // (a zero-length file Spark's file source skips)
        TestImages.cliFilter(good, dir.resolve("cli"), "--kernels", "sobel-x,gaussian-blur");
        SparkImageFilter f = SparkImageFilter.of(KernelGallery.byNames("sobel-x,gaussian-blur")).stemsUnder(in.toString());
        List<String> failed = f.write(files(in), dir.resolve("spark").toString());
        assertEquals(3, failed.size(), "failures " + failed);
        assertTrue(failed.get(0).matches(".*/garbage\\.png: not a PNG, JPEG or BMP image"), failed.get(0));
        assertTrue(failed.get(1).matches(".*/text\\.jpg: not a PNG, JPEG or BMP image"), failed.get(1));
        assertTrue(failed.get(2).matches(".*/truncated\\.png: cannot decode: .+"), failed.get(2));
        TestImages.assertSamePngs("the good images beside corrupt ones", dir.resolve("cli"), dir.resolve("spark"));

        List<Row> rows = f.transform(files(in)).filter("error IS NOT NULL").collectAsList();
        assertEquals(3, rows.size(), "error rows " + rows);
        for (Row r : rows) {
            assertNull(r.getAs("name"), r.toString());
            assertNull(r.getAs("png"), r.toString());
        }
        assertEquals(0, ImagePartition.OPEN.get(), "partition resources left open");
    }

    /** The 1.2 MB PNG declaring 20000 x 20000: decoded, it would fail the executor (and every retry) out of memory. */
    @Test
    void aDecompressionBombIsAnErrorRowRefusedFromItsHeaderAndTheOthersAreWritten() throws Exception {
        Path in = dir.resolve("in"), good = dir.resolve("good");
        TestImages.write(in);
        TestImages.write(good);
        Files.write(in.resolve("bomb.png"), PngChunks.bomb(20000, 20000));
        TestImages.cliFilter(good, dir.resolve("cli"), "--kernels", "sobel-x");
        SparkImageFilter f = SparkImageFilter.of(KernelGallery.byNames("sobel-x")).stemsUnder(in.toString());
        List<String> failed = f.write(files(in), dir.resolve("spark").toString());
        assertEquals(1, failed.size(), "failures " + failed);
        assertTrue(failed.get(0).matches(".*/bomb\\.png: 20000 x 20000 = 400,000,000 pixels, above the limit of 16,777,216 pixels"),
                failed.get(0));
        TestImages.assertSamePngs("the images beside the bomb", dir.resolve("cli"), dir.resolve("spark"));

        // withMaxPixels: 16 x 5 = 80 pixels (e.bmp) and 12 x 9 = 108 (d.png) pass 108, the others are refused
        List<Row> rows = f.withMaxPixels(108).transform(files(good)).collectAsList();
        Set<String> refused = new TreeSet<>(), filtered = new TreeSet<>();
        for (Row r : rows) {
            String name = r.<String>getAs("path").replaceAll(".*/", "");
            if (r.getAs("error") == null) filtered.add(name);
            else if (((String) r.getAs("error")).endsWith("above the limit of 108 pixels")) refused.add(name);
        }
        assertEquals(Set.of("d.png", "e.bmp"), filtered, rows.toString());
        assertEquals(Set.of("a.png", "b.png", "c.png", "f.jpg"), refused, rows.toString());
        assertEquals(0, ImagePartition.OPEN.get(), "partition resources left open");
    }

    @Test
    void identityTensorsAreThePixelValuesAndShapeIsChw() throws Exception {
        Path in = dir.resolve("in");
        TestImages.write(in);
        List<Row> rows = SparkImageFilter.of(KernelGallery.byNames("identity")).withTensors(true)
                .transform(files(in).filter("path LIKE '%/sub/c.png'")).collectAsList();
        assertEquals(1, rows.size());
        Row r = rows.get(0);
        assertEquals("c-identity.png", r.getAs("name"));
        assertEquals(List.of(3, 31, 7), r.getList(r.fieldIndex("shape")));
        java.awt.image.BufferedImage img = TestImages.rgb(7, 31, 3);
        float[] expected = new float[3 * 31 * 7];
        for (int y = 0; y < 31; y++) {
            for (int x = 0; x < 7; x++) {
                int rgb = img.getRGB(x, y), i = y * 7 + x;
                expected[i] = rgb >> 16 & 0xFF;
                expected[217 + i] = rgb >> 8 & 0xFF;
                expected[434 + i] = rgb & 0xFF;
            }
        }
        assertArrayEquals(expected, TensorRows.floats(TensorFormat.BINARY_F32LE, r.getAs("tensor")),
                "identity kernel, reflect border: y = x");
    }

    @Test
    void aTaskKilledMidPartitionLeavesNoPartialOutputAndTheRetryCompletesIt() throws Exception {
        Path in = dir.resolve("in"), out = dir.resolve("killed");
        TestImages.write(in);
        TestImages.cliFilter(in, dir.resolve("cli"), "--kernels", "sobel-x,sharpen,box-blur");
        Dataset<Row> rows = SparkImageFilter.of(KernelGallery.byNames("sobel-x,sharpen,box-blur"))
                .stemsUnder(in.toString()).transform(files(in).repartition(3));
        Dataset<Row> killed = rows.mapPartitions(new CommittedOutputTest.KillFirstAttempt(), Encoders.row(rows.schema()));
        for (int run = 0; run < 2; run++) {
            CommittedOutputTest.KillFirstAttempt.KILLED.set(0);
            NamedFiles.write(killed, "name", "png", out.toString());
            assertEquals(1, CommittedOutputTest.KillFirstAttempt.KILLED.get(), "run " + run + ": one attempt killed");
            assertEquals(0, ImagePartition.OPEN.get(), "run " + run + ": resources of the killed attempt left open");
            Set<String> other = new TreeSet<>();
            try (Stream<Path> all = Files.walk(out)) {
                all.filter(Files::isRegularFile).map(p -> out.relativize(p).toString())
                        .filter(n -> !n.endsWith(".png") && !n.endsWith(".png.crc")).forEach(other::add);
            }
            assertEquals(Set.of("_SUCCESS", "._SUCCESS.crc"), other, "run " + run + ": only PNGs and the marker");
            TestImages.assertSamePngs("run " + run + " with a killed task", dir.resolve("cli"), out);
        }
    }
}
