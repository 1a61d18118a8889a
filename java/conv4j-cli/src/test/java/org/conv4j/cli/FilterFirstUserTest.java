package org.conv4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The frictions a first user of {@code conv4j filter} hit (issue 11, section 5), one test each. */
class FilterFirstUserTest {
    @TempDir
    Path dir;

    private Path png(String name, int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, (x * 37 + y * 11) * 0x010203 & 0xFFFFFF);
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    @Test
    void positionalInputsWork() throws IOException {
        Path a = png("a.png", 6, 4), out = dir.resolve("out");
        Cli.Result r = Cli.run("filter", a.toString(), "--kernels", "identity", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(Files.isRegularFile(out.resolve("a-identity.png")), r.toString());
    }

    @Test
    void outEqualToOrInsideAnInputDirectoryIsRefused() throws IOException {
        Path in = dir.resolve("in");
        png("in/a.png", 6, 4);
        Cli.assertBadInput(Cli.run("filter", "--in", in.toString(), "--out", in.toString()), "--out", "is the input directory");
        Cli.assertBadInput(Cli.run("filter", "--in", in.toString(), "--out", in.resolve("out").toString()), "--out",
                "is inside the input directory");
        assertEquals(1, Cli.fileCount(in), "nothing written into the input");
    }

    @Test
    void outputsGetTheUmasksPermissions() throws IOException {
        Path a = png("a.png", 6, 4), out = dir.resolve("out");
        Cli.Result r = Cli.run("filter", a.toString(), "--kernels", "identity", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        Path probe = out.resolve("probe");
        try (OutputStream o = Files.newOutputStream(probe)) {
            o.write(1); // a plain new file: 0666 minus the umask
        }
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(probe)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("a-identity.png"))));
    }

    @Test
    void noCheckSkipsTheFidelityCheck() throws IOException {
        Path a = png("a.png", 6, 4), out = dir.resolve("out");
        Cli.Result r = Cli.run("filter", a.toString(), "--kernels", "identity", "--no-check", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("fidelity: not checked (--no-check)"), r.toString());
        r = Cli.run("filter", a.toString(), "--kernels", "identity", "--out", dir.resolve("out2").toString());
        assertTrue(r.out().contains("fidelity vs reference (first image)") && r.out().contains("check took"), r.toString());
    }

    @Test
    void generatorsAndRepeatedKernelFilesReachTheBank() throws IOException {
        Path a = png("a.png", 9, 7), out = dir.resolve("out"), k1 = dir.resolve("k1.txt"), k2 = dir.resolve("k2.txt");
        Files.writeString(k1, "1/9 1/9 1/9\n1/9 1/9 1/9\n1/9 1/9 1/9\n");
        Files.writeString(k2, "0 1\n1 0\n");
        Cli.Result r = Cli.run("filter", a.toString(), "--kernels", "gaussian:sigma=1,sobel:dx=1:ksize=5", "--kernel-file", k1.toString(),
                "--kernel-file", k2.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        for (String k : new String[] {"gaussian-sigma1-9x9", "sobel-dx1-dy0-5x5", "k1", "k2"}) {
            assertTrue(Files.isRegularFile(out.resolve("a-" + k + ".png")), k + ": " + r);
        }
    }

    @Test
    void formatNpyWritesTheFloatOutputAndJpegDecodes() throws IOException {
        Path a = png("a.png", 6, 4), out = dir.resolve("out");
        Cli.Result r = Cli.run("filter", a.toString(), "--kernels", "identity,sobel-x", "--format", "npy", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        org.conv4j.io.NpyArray id = org.conv4j.io.Npy.read(out.resolve("a-identity.npy"));
        assertEquals(java.util.List.of(3L, 4L, 6L), java.util.Arrays.stream(id.shape()).boxed().toList());
        BufferedImage in = ImageIO.read(a.toFile());
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 6; x++) {
                    assertEquals(in.getRGB(x, y) >> (16 - 8 * c) & 0xFF, id.data()[(c * 4 + y) * 6 + x], "identity is the input, no tone map");
                }
            }
        }
        org.conv4j.io.NpyArray sx = org.conv4j.io.Npy.read(out.resolve("a-sobel-x.npy"));
        boolean negative = false;
        for (float v : sx.data()) negative |= v < 0;
        assertTrue(negative, "sobel's signed output, not tone-mapped");
        assertEquals(2, Cli.fileCount(out), "no contact sheet with npy: " + r);
        r = Cli.run("filter", a.toString(), "--kernels", "identity", "--format", "jpeg", "--out", dir.resolve("jpg").toString());
        assertEquals(0, r.code(), r.toString());
        assertEquals(6, ImageIO.read(dir.resolve("jpg/a-identity.jpg").toFile()).getWidth());
        Cli.assertBadInput(Cli.run("filter", a.toString(), "--format", "tiff"), "--format", "expected png, jpeg or npy");
    }

    @Test
    void helpListsEveryCommand() {
        Cli.Result r = Cli.run("--help");
        assertEquals(0, r.code(), r.toString());
        for (String c : new String[] {"filter", "conv", "verify", "bench", "spark-filter"}) assertTrue(r.out().contains(c), c + ": " + r);
    }

    @Test
    void verifyExplainsItsColumns() {
        Cli.Result r = Cli.run("verify", "--cases", "2");
        assertTrue(r.out().contains("a case passes when error/bound <= 1"), r.toString());
    }
}
