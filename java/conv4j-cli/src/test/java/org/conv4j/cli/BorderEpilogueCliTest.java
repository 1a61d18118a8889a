package org.conv4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.conv4j.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --border}, {@code --activation} and {@code --accumulate} end to end. */
class BorderEpilogueCliTest {
    @TempDir
    Path dir;

    private Cli.Result conv(String... extra) throws IOException {
        Path x = dir.resolve("x.npy"), w = dir.resolve("w.npy");
        Npy.write(x, new long[] {1, 1, 1, 3}, new float[] {1, 2, 3});
        Npy.write(w, new long[] {1, 1, 1, 3}, new float[] {1, 1, 1});
        String[] base = {"conv", "--input", x.toString(), "--weight", w.toString(), "--pad", "0,2,0,2",
                         "--output", dir.resolve("y.npy").toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return Cli.run(args);
    }

    /** [1 2 3] padded by 2 per side (by hand: 0 0 1 2 3 0 0, 3 2 1 2 3 2 1, ...) under a 1x3 box. */
    @ParameterizedTest
    @CsvSource({"zero,1 3 6 5 3", "reflect,6 5 6 7 6", "symmetric,4 4 6 8 8", "replicate,3 4 6 8 9", "circular,6 6 6 6 6"})
    void borderModesOnConv(String border, String expected) throws IOException {
        for (String backend : new String[] {"native", "reference"}) {
            Cli.Result r = conv("--border", border, "--backend", backend);
            assertEquals(0, r.code(), r.toString());
            assertArrayEquals(floats(expected), Npy.read(dir.resolve("y.npy")).data(), 0f, border + " " + backend);
        }
    }

    @Test
    void activationAndAccumulateAfterBias() throws IOException {
        Path yIn = dir.resolve("yin.npy");
        Npy.write(yIn, new long[] {1, 1, 1, 5}, new float[] {-10, 0, 0, 0, 10});
        Cli.Result r = conv("--activation", "clamp:0,12", "--accumulate", yIn.toString());
        assertEquals(0, r.code(), r.toString());
        // zero border box sums 1 3 6 5 3, plus the residual, then clamped to [0, 12]
        assertArrayEquals(new float[] {0, 3, 6, 5, 12}, Npy.read(dir.resolve("y.npy")).data(), 0f);
        r = conv("--activation", "relu", "--border", "reflect", "--accumulate", yIn.toString());
        assertEquals(0, r.code(), r.toString());
        assertArrayEquals(new float[] {0, 5, 6, 7, 16}, Npy.read(dir.resolve("y.npy")).data(), 0f);
    }

    @Test
    void badBorderActivationAndAccumulateShapeAreOneLineErrors() throws IOException {
        Cli.assertBadInput(conv("--border", "mirror"), "--border", "mirror");
        Cli.assertBadInput(conv("--activation", "gelu"), "--activation", "gelu");
        Cli.assertBadInput(conv("--activation", "clamp:5,1"), "--activation", "lo <= hi");
        Path yIn = dir.resolve("yin.npy");
        Npy.write(yIn, new long[] {1, 1, 1, 4}, new float[4]);
        Cli.assertBadInput(conv("--accumulate", yIn.toString()), "--accumulate", "(1, 1, 1, 4)", "(1, 1, 1, 5)");
        assertFalse(Files.exists(dir.resolve("y.npy")), "no output after a failed run");
    }

    /** A flat 200-grey image under box-blur: reflect keeps the corner at 200, zero darkens it to 200*4/9. */
    @Test
    void filterDefaultsToReflectAndZeroDarkensTheRim() throws IOException {
        BufferedImage flat = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 8; i++) for (int j = 0; j < 6; j++) flat.setRGB(i, j, 0xC8C8C8);
        Path in = dir.resolve("flat.png");
        ImageIO.write(flat, "png", in.toFile());
        Cli.Result r = Cli.run("filter", "--in", in.toString(), "--kernels", "box-blur", "--out", dir.resolve("reflect").toString());
        assertEquals(0, r.code(), r.toString());
        r = Cli.run("filter", "--in", in.toString(), "--kernels", "box-blur", "--border", "zero", "--out", dir.resolve("zero").toString());
        assertEquals(0, r.code(), r.toString());
        BufferedImage reflect = ImageIO.read(dir.resolve("reflect/flat-box-blur.png").toFile());
        BufferedImage zero = ImageIO.read(dir.resolve("zero/flat-box-blur.png").toFile());
        assertEquals(200, reflect.getRGB(0, 0) & 0xFF);
        assertEquals(200, reflect.getRGB(3, 3) & 0xFF);
        assertEquals(89, zero.getRGB(0, 0) & 0xFF);        // round(200 * 4/9)
        assertEquals(133, zero.getRGB(3, 0) & 0xFF);       // round(200 * 6/9) on the top edge
        assertEquals(200, zero.getRGB(3, 3) & 0xFF);
        Cli.assertBadInput(Cli.run("filter", "--border", "wrap"), "--border", "wrap");
    }

    private static float[] floats(String s) {
        String[] p = s.trim().split(" ");
        float[] f = new float[p.length];
        for (int i = 0; i < p.length; i++) f[i] = Float.parseFloat(p[i]);
        return f;
    }
}
