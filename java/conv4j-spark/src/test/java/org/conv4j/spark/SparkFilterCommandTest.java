package org.conv4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code conv4j spark-filter} through its main class, on this class's local[2,2] session. */
class SparkFilterCommandTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeAll
    static void start() {
        spark = SparkSessions.local("SparkFilterCommandTest");
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = SparkFilterCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void assertBadInput(Result r, String... fragments) {
        assertEquals(2, r.code(), r.toString());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "one line on stderr: " + r);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + r);
        for (String f : fragments) assertTrue(err.contains(f), "stderr names '" + f + "': " + r);
    }

    @Test
    void writesWhatTheSingleProcessFilterWritesAndARerunReplacesIt() throws Exception {
        Path in = dir.resolve("in"), out = dir.resolve("out");
        TestImages.write(in);
        TestImages.cliFilter(in, dir.resolve("cli"), "--kernels", "sobel-x,emboss", "--border", "zero", "--gray");
        for (int run = 0; run < 2; run++) {
            Result r = run("--in", in.toString(), "--out", out.toString(), "--kernels", "sobel-x,emboss",
                    "--border", "zero", "--gray");
            assertEquals(0, r.code(), r.toString());
            assertTrue(r.out().contains("6 images, 2 kernels, gray (C=1), border zero"), r.toString());
            assertTrue(r.out().contains("wrote 12 PNG files"), r.toString());
            TestImages.assertSamePngs("spark-filter run " + run, dir.resolve("cli"), out);
        }
    }

    @Test
    void corruptImagesExitTwoNamingThemAfterWritingTheOthers() throws Exception {
        Path in = dir.resolve("in"), good = dir.resolve("good"), out = dir.resolve("out");
        TestImages.write(in);
        TestImages.write(good);
        Files.writeString(in.resolve("sub/notes.png"), "not a PNG");
        TestImages.cliFilter(good, dir.resolve("cli"), "--kernels", "sharpen");
        Result r = run("--in", in.toString(), "--out", out.toString(), "--kernels", "sharpen");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("not filtered: file:" + in.toAbsolutePath() + "/sub/notes.png: not a PNG, JPEG or BMP image"),
                r.toString());
        assertTrue(r.err().contains("1 image not filtered (listed above); the others are written"), r.toString());
        TestImages.assertSamePngs("the good images", dir.resolve("cli"), out);
    }

    /** 23 x 17 = 391 pixels (a.png, b.png) pass a limit of 256; the others (at most 16 x 16 = 256) do not. */
    @Test
    void maxPixelsReportsTheImagesAboveItAndWritesTheOthers() throws Exception {
        Path in = dir.resolve("in"), out = dir.resolve("out");
        TestImages.write(in);
        Result r = run("--in", in.toString(), "--out", out.toString(), "--kernels", "sharpen", "--max-pixels", "256");
        assertEquals(2, r.code(), r.toString());
        for (String name : new String[] {"a.png", "b.png"}) {
            assertTrue(r.err().contains("not filtered: file:" + in.toAbsolutePath() + "/" + name
                    + ": 23 x 17 = 391 pixels, above the limit of 256 pixels"), r.toString());
        }
        assertTrue(r.err().contains("2 images not filtered"), r.toString());
        assertEquals(java.util.Set.of("d-sharpen.png", "e-sharpen.png", "f-sharpen.png", "sub/c-sharpen.png"),
                TestImages.pngs(out).keySet(), r.toString());
        assertBadInput(run("--in", in.toString(), "--out", out.toString(), "--max-pixels", "-1"), "--max-pixels");
    }

    @Test
    void badInputExitsTwoWithOneLineAndTouchesNothing() throws Exception {
        Path in = dir.resolve("in"), foreign = dir.resolve("foreign"), empty = dir.resolve("empty");
        TestImages.write(in);
        Files.createDirectories(foreign);
        Files.createDirectories(empty);
        Files.writeString(foreign.resolve("keep.txt"), "mine");
        assertBadInput(run("--in", dir.resolve("nope").toString(), "--out", dir.resolve("o").toString()),
                "--in", "nope", "no such directory");
        assertBadInput(run("--in", in.toString(), "--out", foreign.toString()), "--out", "foreign",
                "not an earlier spark-filter output");
        assertEquals("mine", Files.readString(foreign.resolve("keep.txt")));
        assertBadInput(run("--in", in.toString(), "--out", in.resolve("sub").toString()), "--out", "overlaps --in");
        assertBadInput(run("--in", empty.toString(), "--out", dir.resolve("o").toString()), "--in",
                "no PNG, JPEG or BMP images");
        assertBadInput(run("--in", in.toString(), "--out", dir.resolve("o").toString(), "--kernels", "blur"),
                "--kernels", "unknown kernel 'blur'");
        assertBadInput(run("--in", in.toString(), "--out", dir.resolve("o").toString(), "--border", "mirror"),
                "--border", "mirror");
        assertBadInput(run("--in", in.toString()), "--out");
        assertFalse(Files.exists(dir.resolve("o")), "no output for bad input");
    }
}
