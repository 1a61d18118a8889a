package org.conv4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.conv4j.Backends;
import org.conv4j.Border;
import org.conv4j.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The filter bank against correlation written out here: {@code out[c][y][x] = sum w[r][s] in[c][y + r - (R-1)/2][x + s - (S-1)/2]},
 * zero outside the image (SAME_UPPER: an even kernel's extra row and column of padding go below and right).
 */
class FilterBankTest {
    private static final int H = 5, W = 6;

    private static BufferedImage image(long seed) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_3BYTE_BGR);
        java.util.Random r = new java.util.Random(seed);
        for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) img.setRGB(x, y, r.nextInt(1 << 24));
        return img;
    }

    private static float[] byHand(BufferedImage img, Kernel k) {
        float[] out = new float[3 * H * W];
        float[] w = k.weights();
        int top = (k.rows() - 1) / 2, left = (k.cols() - 1) / 2;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    double s = 0;
                    for (int r = 0; r < k.rows(); r++) {
                        for (int q = 0; q < k.cols(); q++) {
                            int iy = y + r - top, ix = x + q - left;
                            if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                            s += w[r * k.cols() + q] * (double) (img.getRGB(ix, iy) >> (16 - 8 * c) & 0xFF);
                        }
                    }
                    out[(c * H + y) * W + x] = (float) s;
                }
            }
        }
        return out;
    }

    @Test
    void everyKernelOfMixedSizesMatchesTheCorrelationByHand() throws IOException {
        List<Kernel> kernels = List.of(Kernels.sobel(1, 0, 3), Kernels.box(2), KernelGallery.byName("sharpen"), Kernels.sobel(0, 1, 5));
        BufferedImage img = image(1);
        List<String> seen = new ArrayList<>();
        try (FilterBank bank = new FilterBank(Backends.reference(), kernels, 3, Normalization.NONE, Border.ZERO, Mode.CROSS_CORRELATION)) {
            for (int pass = 0; pass < 2; pass++) { // the second image reuses the plans
                bank.filter(img, "img", (name, k, out) -> {
                    seen.add(k.name());
                    assertArrayEquals(new long[] {1, 3, H, W}, out.shape());
                    float[] want = byHand(img, k), got = out.toArray();
                    for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-3f, k.name() + " at " + i);
                });
            }
        }
        assertEquals(8, seen.size());
        assertTrue(seen.containsAll(List.of("sobel-dx1-dy0-3x3", "box-2x2", "sharpen", "sobel-dx0-dy1-5x5")), seen.toString());
    }

    @Test
    void runGoesOnPastAnImageThatDoesNotDecodeAndNamesIt(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a.png"), bad = dir.resolve("bad.png"), b = dir.resolve("b.png");
        ImageIO.write(image(2), "png", a.toFile());
        Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        ImageIO.write(image(3), "png", b.toFile());
        List<String> written = new ArrayList<>();
        List<Integer> steps = new ArrayList<>();
        FilterBank.Report report;
        try (FilterBank bank = new FilterBank(Backends.reference(), List.of(KernelGallery.byName("identity")), 1, Normalization.UNIT,
                Border.REFLECT, Mode.CROSS_CORRELATION)) {
            report = bank.run(List.of(a, bad, b), ImageDecoder.withDefaultLimit(),
                    (name, k, out) -> written.add(name), (done, total) -> steps.add(done * 10 + total));
        }
        assertEquals(List.of(a.toString(), b.toString()), written);
        assertEquals(List.of(13, 23, 33), steps);
        assertEquals(2, report.filtered());
        assertEquals(1, report.failures().size());
        assertEquals(bad, report.failures().get(0).file());
        assertTrue(report.failures().get(0).message().startsWith(bad.toString()), report.failures().get(0).message());
    }
}
