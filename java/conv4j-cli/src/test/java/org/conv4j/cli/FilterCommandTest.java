package org.conv4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.conv4j.image.KernelGallery;
import org.conv4j.cli.filter.SampleImage;
import org.conv4j.fuzz.PngChunks;
import org.conv4j.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code conv4j filter} end to end through the main class. */
class FilterCommandTest {
    @TempDir
    Path dir;

    @Test
    void defaultRunWritesEveryKernelAndTheContactSheet() throws IOException {
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("filter", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        for (String k : KernelGallery.names()) {
            BufferedImage img = ImageIO.read(out.resolve("sample-" + k + ".png").toFile());
            assertNotNull(img, k + ": " + r);
            assertEquals(SampleImage.WIDTH, img.getWidth());
            assertEquals(SampleImage.HEIGHT, img.getHeight());
        }
        assertNotNull(ImageIO.read(out.resolve("sample-contact-sheet.png").toFile()));
        assertEquals(KernelGallery.names().size() + 1, Cli.fileCount(out), "nothing else written");
        for (String s : new String[] {"images/s", "megapixels/s", "GFLOP/s", "backend: native", "OpenBLAS kernel",
                                      "bit-identical", "ulp", "digits", "DEPTHWISE"}) {
            assertTrue(r.out().contains(s), "report shows " + s + ": " + r);
        }
    }

    /** Identity through the depthwise problem returns every channel unchanged: channel g*F+f is kernel f on g. */
    @Test
    void identityReproducesTheInputExactlyBesideOtherKernels() throws IOException {
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("filter", "--kernels", "sobel-x,identity,box-blur", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        BufferedImage in = SampleImage.create(), id = ImageIO.read(out.resolve("sample-identity.png").toFile());
        assertArrayEquals(rgb(in), rgb(id));
    }

    @Test
    void directoryInputsOfMixedSizesAndFormatsMirrorTheTree() throws IOException {
        Path in = dir.resolve("in"), out = dir.resolve("out");
        Files.createDirectories(in.resolve("sub"));
        write(solid(7, 5, 0x804020), "png", in.resolve("a.png"));
        write(solid(7, 5, 0x102030), "bmp", in.resolve("b.bmp"));
        write(solid(4, 9, 0xFFFFFF), "jpg", in.resolve("sub/c.jpg"));
        write(solid(7, 5, 0x000000), "png", in.resolve("d.png"));
        Files.writeString(in.resolve("notes.txt"), "ignored: not an image extension");
        Cli.Result r = Cli.run("filter", "--in", in.toString(), "--kernels", "identity,laplacian", "--batch", "2",
                "--threads", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        for (String stem : new String[] {"a", "b", "sub/c", "d"}) {
            for (String k : new String[] {"identity", "laplacian"}) {
                assertTrue(Files.isRegularFile(out.resolve(stem + "-" + k + ".png")), stem + "-" + k + ": " + r);
            }
        }
        assertEquals(8, Cli.fileCount(out), "no contact sheets for several images by default");
        assertArrayEquals(rgb(solid(7, 5, 0x804020)), rgb(ImageIO.read(out.resolve("a-identity.png").toFile())));
        assertTrue(r.out().contains("4 images"), r.toString());
    }

    @Test
    void grayRunsOneChannelWithAKernelFile() throws IOException {
        Path in = dir.resolve("step.png"), out = dir.resolve("out"), kf = dir.resolve("ddx.txt");
        // 6x4 gray: columns 0-2 are 0, 3-5 are 100
        BufferedImage img = new BufferedImage(6, 4, BufferedImage.TYPE_BYTE_GRAY);
        for (int yy = 0; yy < 4; yy++) for (int xx = 3; xx < 6; xx++) img.getRaster().setSample(xx, yy, 0, 100);
        write(img, "png", in);
        Files.writeString(kf, "# forward difference\n-1, 1\n");
        Cli.Result r = Cli.run("filter", "--gray", "--in", in.toString(), "--kernel-file", kf.toString(), "--out",
                out.toString(), "--no-contact-sheets", "--border", "zero");
        assertEquals(0, r.code(), r.toString());
        BufferedImage y = ImageIO.read(out.resolve("step-ddx.png").toFile());
        // 1x2 kernel, SAME_UPPER pads 1 column on the right: y[q] = x[q+1] - x[q]; sum 0 -> |y| / max|y| * 255.
        // Zero border, row: 0 0 100 0 0 -100 -> 0 0 255 0 0 255
        int[] row = y.getRaster().getSamples(0, 0, 6, 1, 0, (int[]) null);
        assertArrayEquals(new int[] {0, 0, 255, 0, 0, 255}, row);
        assertTrue(r.out().contains("gray"), r.toString());
        // The default reflect border reads x[4] = 100 beyond the right edge: 0 0 100 0 0 0 -> 0 0 255 0 0 0
        r = Cli.run("filter", "--gray", "--in", in.toString(), "--kernel-file", kf.toString(), "--out",
                out.toString(), "--no-contact-sheets");
        assertEquals(0, r.code(), r.toString());
        row = ImageIO.read(out.resolve("step-ddx.png").toFile()).getRaster().getSamples(0, 0, 6, 1, 0, (int[]) null);
        assertArrayEquals(new int[] {0, 0, 255, 0, 0, 0}, row);
    }

    @Test
    void kernelFileAsNpyWithSeveralKernels() throws IOException {
        Path kf = dir.resolve("bank.npy"), out = dir.resolve("out");
        Npy.write(kf, new long[] {2, 1, 1}, new float[] {1, 0.5f});
        Cli.Result r = Cli.run("filter", "--kernel-file", kf.toString(), "--out", out.toString(), "--backend", "reference");
        assertEquals(0, r.code(), r.toString());
        assertTrue(Files.isRegularFile(out.resolve("sample-bank-0.png")));
        assertTrue(Files.isRegularFile(out.resolve("sample-bank-1.png")));
        assertTrue(r.out().contains("reference backend is the oracle"), r.toString());
    }

    /** Integer kernels on integer pixels are exact, so native and reference agree bit for bit. */
    @Test
    void largeImageIsCheckedOnACropAndIntegerKernelsAreBitIdentical() throws IOException {
        Path in = dir.resolve("large.png"), out = dir.resolve("out");
        BufferedImage img = new BufferedImage(900, 800, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 800; y++) for (int x = 0; x < 900; x++) img.setRGB(x, y, (x * 7 % 256) << 16 | (y % 256) << 8 | (x ^ y) & 0xFF);
        write(img, "png", in);
        Cli.Result r = Cli.run("filter", "--in", in.toString(), "--kernels", "identity,sobel-x", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("top-left crop): 100.00% bit-identical, max 0 ulp"), r.toString());
        assertArrayEquals(rgb(img), rgb(ImageIO.read(out.resolve("large-identity.png").toFile())));
    }

    // ---- bad input ---------------------------------------------------------------------------

    private void assertRejected(Cli.Result r, Path out, String... fragments) throws IOException {
        Cli.assertBadInput(r, fragments);
        assertEquals(0, Cli.fileCount(out), "no output written: " + r);
    }

    @Test
    void rejectsUnknownKernel() throws IOException {
        Path out = dir.resolve("out");
        assertRejected(Cli.run("filter", "--kernels", "sobel-x,blurry", "--out", out.toString()), out, "--kernels", "blurry");
    }

    @Test
    void rejectsMissingAndNonImageInputs() throws IOException {
        Path out = dir.resolve("out");
        assertRejected(Cli.run("filter", "--in", dir.resolve("nope.png").toString(), "--out", out.toString()), out,
                "nope.png", "no such file");
        Path txt = Files.writeString(dir.resolve("fake.png"), "not really a png");
        assertRejected(Cli.run("filter", "--in", txt.toString(), "--out", out.toString()), out, "fake.png", "not a PNG");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertRejected(Cli.run("filter", "--in", empty.toString(), "--out", out.toString()), out, "empty", "no PNG");
    }

    @Test
    void truncatedImageMidStreamIsNamedAtTheEndWhileTheOthersAreWritten() throws IOException {
        Path in = Files.createDirectories(dir.resolve("in")), out = dir.resolve("out");
        write(solid(30, 20, 0x336699), "png", in.resolve("a.png"));
        write(solid(30, 20, 0x996633), "png", in.resolve("b.png"));
        write(solid(30, 20, 0x663399), "png", in.resolve("c.png"));
        byte[] b = Files.readAllBytes(in.resolve("b.png"));
        Files.write(in.resolve("b.png"), java.util.Arrays.copyOf(b, 60)); // header intact, data cut
        Cli.Result r = Cli.run("filter", "--in", in.toString(), "--kernels", "identity", "--batch", "1", "--out", out.toString());
        Cli.assertBadInput(r, "b.png", "1 of 3 images failed");
        assertTrue(Files.notExists(out.resolve("b-identity.png")), r.toString());
        assertTrue(Files.isRegularFile(out.resolve("a-identity.png")) && Files.isRegularFile(out.resolve("c-identity.png")),
                "the other images are written: " + r);
        try (var files = Files.walk(out)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    /** The 1.2 MB PNG declaring 20000 x 20000 that took the tool to "out of memory" after 12 s and 2 GB of RSS. */
    @Test
    void refusesADecompressionBombFromItsHeaderBeforeAnyOutput() throws IOException {
        Path in = Files.createDirectories(dir.resolve("in")), out = dir.resolve("out");
        write(solid(7, 5, 0x102030), "png", in.resolve("a.png"));
        Files.write(in.resolve("bomb.png"), PngChunks.bomb(20000, 20000));
        assertRejected(Cli.run("filter", "--in", in.toString(), "--out", out.toString()), out, "--in", "bomb.png",
                "20000 x 20000 = 400,000,000 pixels", "limit of 16,777,216 pixels", "--max-pixels");
    }

    @Test
    void maxPixelsSetsTheLimit() throws IOException {
        Path in = dir.resolve("small.png"), out = dir.resolve("out");
        write(solid(7, 5, 0), "png", in);
        assertRejected(Cli.run("filter", "--in", in.toString(), "--max-pixels", "34", "--out", out.toString()), out,
                "small.png", "7 x 5 = 35 pixels", "limit of 34 pixels");
        Cli.Result r = Cli.run("filter", "--in", in.toString(), "--max-pixels", "35", "--kernels", "identity", "--out",
                out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(Files.isRegularFile(out.resolve("small-identity.png")), r.toString());
    }

    @Test
    void rejectsInputsWhoseOutputsWouldCollide() throws IOException {
        Path in = Files.createDirectories(dir.resolve("in")), out = dir.resolve("out");
        write(solid(3, 3, 0), "png", in.resolve("a.png"));
        write(solid(3, 3, 0), "bmp", in.resolve("a.bmp"));
        assertRejected(Cli.run("filter", "--in", in.toString(), "--out", out.toString()), out, "a.bmp", "a.png", "would both write");
    }

    @Test
    void rejectsUnwritableOutputDirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        Cli.Result r = Cli.run("filter", "--out", file.resolve("out").toString());
        Cli.assertBadInput(r, "--out", "plain-file");
    }

    @Test
    void rejectsMalformedKernelFiles() throws IOException {
        Path out = dir.resolve("out"), kf = dir.resolve("k.txt");
        Files.writeString(kf, "1 2 3\n4 5\n");
        assertRejected(Cli.run("filter", "--kernel-file", kf.toString(), "--out", out.toString()), out,
                "--kernel-file", "k.txt", "line 2");
        Files.writeString(kf, "1 x 3\n");
        assertRejected(Cli.run("filter", "--kernel-file", kf.toString(), "--out", out.toString()), out, "'x'");
        Path npy = dir.resolve("k.npy");
        Files.writeString(npy, "garbage, definitely not a numpy array");
        assertRejected(Cli.run("filter", "--kernel-file", npy.toString(), "--out", out.toString()), out,
                "--kernel-file", "k.npy", "bad magic");
    }

    @Test
    void rejectsNonsenseNumbersAndModes() throws IOException {
        Path out = dir.resolve("out");
        assertRejected(Cli.run("filter", "--batch", "0", "--out", out.toString()), out, "--batch");
        assertRejected(Cli.run("filter", "--threads", "-2", "--out", out.toString()), out, "--threads");
        assertRejected(Cli.run("filter", "--mode", "sideways", "--out", out.toString()), out, "--mode");
        assertRejected(Cli.run("filter", "--backend", "gpu", "--out", out.toString()), out, "--backend");
        assertRejected(Cli.run("filter", "--max-pixels", "0", "--out", out.toString()), out, "--max-pixels");
        assertRejected(Cli.run("filter", "--max-pixels", "lots", "--out", out.toString()), out, "--max-pixels", "'lots'");
    }

    private static BufferedImage solid(int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, rgb);
        return img;
    }

    private static void write(BufferedImage img, String format, Path file) throws IOException {
        assertTrue(ImageIO.write(img, format, file.toFile()), format);
    }

    private static int[] rgb(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
