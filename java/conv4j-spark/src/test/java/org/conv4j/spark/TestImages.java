package org.conv4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.conv4j.cli.Conv4jCli;

/** Small seeded images in every format the filter reads, and the single-process CLI run on them. */
final class TestImages {
    private TestImages() {
    }

    /**
     * Writes under {@code dir}: two RGB PNGs of the same size (the CLI batches them), an odd-sized RGB PNG
     * in a subdirectory, an 8-bit gray PNG, a BMP and a JPEG.
     */
    static void write(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("sub"));
        save(rgb(23, 17, 1), dir.resolve("a.png"), "png");
        save(rgb(23, 17, 2), dir.resolve("b.png"), "png");
        save(rgb(7, 31, 3), dir.resolve("sub/c.png"), "png");
        save(gray(12, 9, 4), dir.resolve("d.png"), "png");
        save(rgb(16, 5, 5), dir.resolve("e.bmp"), "bmp");
        save(rgb(16, 16, 6), dir.resolve("f.jpg"), "jpeg");
    }

    static BufferedImage rgb(int w, int h, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, rnd.nextInt(1 << 24));
        return img;
    }

    static BufferedImage gray(int w, int h, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, rnd.nextInt(256));
        return img;
    }

    static void save(BufferedImage img, Path file, String format) throws IOException {
        if (!ImageIO.write(img, format, file.toFile())) throw new IOException("no " + format + " writer");
    }

    /** {@code ./conv4j filter --in IN --out OUT ARGS...} in this JVM; fails the test unless it exits 0. */
    static void cliFilter(Path in, Path out, String... args) {
        List<String> all = new ArrayList<>(List.of("filter", "--in", in.toString(), "--out", out.toString(),
                "--threads", "1"));
        all.addAll(List.of(args));
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Conv4jCli.run(new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8), all.toArray(String[]::new));
        assertEquals(0, code, "conv4j " + all + "\n" + o + e);
    }

    /** The PNG files under {@code dir} by relative path ('/'-separated), with their bytes. */
    static TreeMap<String, byte[]> pngs(Path dir) throws IOException {
        TreeMap<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".png") && !p.getFileName().toString().startsWith("."))
                    .toList()) {
                out.put(dir.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
            }
        }
        return out;
    }

    /**
     * At least one PNG, the same names, and every file byte for byte the same (the JDK's PNG encoder is
     * deterministic). Two empty trees fail: a run that wrote nothing must not pass as a match.
     */
    static void assertSamePngs(String what, Path expected, Path actual) throws IOException {
        TreeMap<String, byte[]> e = pngs(expected), a = pngs(actual);
        assertFalse(e.isEmpty(), what + ": no PNG under " + expected + " (and " + a.size() + " under " + actual + ")");
        assertEquals(e.keySet(), a.keySet(), what + ": PNG names of " + actual + " vs " + expected);
        for (String name : e.keySet()) assertArrayEquals(e.get(name), a.get(name), what + ": " + name);
    }
}
