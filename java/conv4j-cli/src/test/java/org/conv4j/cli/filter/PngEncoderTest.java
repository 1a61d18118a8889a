package org.conv4j.cli.filter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The hand-written PNG encoder against the JDK's PNG decoder: every pixel decodes back exactly, for gray
 * and RGB, every deflate level and row filter, sizes that end mid-block, noise (Huffman-only blocks), flat areas (LZ77
 * blocks) and both mixed in one image (strategy switches mid-stream).
 */
class PngEncoderTest {
    /** C planes of H*W: noise in the top half, a flat colour below, a hand-checkable corner. */
    private static byte[] planes(int c, int h, int w, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] p = new byte[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    p[(ch * h + y) * w + x] = (byte) (y < h / 2 ? rnd.nextInt(256) : 40 * ch + 7);
                }
            }
        }
        return p;
    }

    /** Decodes with ImageIO and returns C planes (R, G, B or gray) of the decoded image's pixels. */
    private static byte[] decode(byte[] png, int c) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        int h = img.getHeight(), w = img.getWidth();
        byte[] p = new byte[c * h * w];
        Planes.toPlanes(img, c, p, 0);
        if (c == 1) assertEquals(BufferedImage.TYPE_BYTE_GRAY, img.getType(), "gray stays gray");
        return p;
    }

    @Test
    void everyPixelDecodesBackAtEveryLevel() throws IOException {
        int[][] sizes = {{1, 1}, {1, 7}, {7, 1}, {33, 5}, {65, 130}, {2 * PngEncoder.BLOCK_ROWS + 3, 17}};
        for (int level = 0; level <= 9; level++) {
            try (PngEncoder enc = new PngEncoder(level)) {
                for (int c : new int[] {1, 3}) {
                    for (int[] hw : sizes) {
                        byte[] p = planes(c, hw[0], hw[1], level * 100 + c);
                        byte[] png = enc.encode(p, 0, c, hw[0], hw[1]);
                        String what = "level " + level + ", C=" + c + ", " + hw[1] + "x" + hw[0];
                        assertArrayEquals(p, decode(png, c), what);
                    }
                }
            }
        }
    }

    @Test
    void everyPixelDecodesBackWithEveryRowFilter() throws IOException {
        int[][] sizes = {{1, 1}, {1, 7}, {7, 1}, {65, 130}, {2 * PngEncoder.BLOCK_ROWS + 3, 17}};
        for (PngEncoder.RowFilter f : PngEncoder.RowFilter.values()) {
            for (int level : new int[] {0, 1, 6}) {
                try (PngEncoder enc = new PngEncoder(level, f)) {
                    for (int c : new int[] {1, 3}) {
                        for (int[] hw : sizes) {
                            byte[] p = planes(c, hw[0], hw[1], f.ordinal() * 1000 + level * 10 + c);
                            String what = f + ", level " + level + ", C=" + c + ", " + hw[1] + "x" + hw[0];
                            assertArrayEquals(p, decode(enc.encode(p, 0, c, hw[0], hw[1]), c), what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void eachRowCarriesItsFilterType() {
        // Level 0 stores the filtered rows verbatim after the zlib header (2 bytes) and the stored block's
        // header (5 bytes): the first row's type byte and its residuals are readable at a known offset.
        // 1x2 gray image [10, 30] over nothing above: NONE 10 30, SUB 10 20, UP 10 30, PAETH 10 20.
        byte[] p = {10, 30};
        int[][] want = {{0, 10, 30}, {1, 10, 20}, {2, 10, 30}, {4, 10, 20}};
        for (PngEncoder.RowFilter f : PngEncoder.RowFilter.values()) {
            try (PngEncoder enc = new PngEncoder(0, f)) {
                byte[] png = enc.encode(p, 0, 1, 1, 2);
                int idat = 8 + 25 + 8 + 2 + 5; // signature, IHDR chunk, IDAT length + type, zlib and block headers
                int[] w = want[f.ordinal()];
                for (int i = 0; i < 3; i++) assertEquals(w[i], png[idat + i] & 0xFF, f + " byte " + i);
            }
        }
    }

    @Test
    void readsOnlyItsRangeOfALargerArray() throws IOException {
        byte[] p = planes(3, 9, 11, 5);
        byte[] padded = new byte[p.length + 20];
        System.arraycopy(p, 0, padded, 13, p.length);
        try (PngEncoder enc = new PngEncoder(1)) {
            assertArrayEquals(p, decode(enc.encode(padded, 13, 3, 9, 11), 3));
        }
    }

    @Test
    void sameImageSameBytesWhateverCameBefore() {
        byte[] a = planes(3, 70, 50, 1), flat = new byte[3 * 70 * 50];
        try (PngEncoder fresh = new PngEncoder(1); PngEncoder used = new PngEncoder(1)) {
            used.encode(flat, 0, 3, 70, 50); // leaves the deflater in the LZ77 strategy
            assertArrayEquals(fresh.encode(a, 0, 3, 70, 50), used.encode(a, 0, 3, 70, 50));
        }
    }

    @Test
    void aKnownTwoPixelImage() throws IOException {
        // R, G, B planes of a 2x1 image: (10, 20, 30) and (200, 100, 0)
        byte[] p = {10, (byte) 200, 20, 100, 30, 0};
        try (PngEncoder enc = new PngEncoder(6)) {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(enc.encode(p, 0, 3, 1, 2)));
            assertEquals(0x0A141E, img.getRGB(0, 0) & 0xFFFFFF);
            assertEquals(0xC86400, img.getRGB(1, 0) & 0xFFFFFF);
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new PngEncoder(10));
        assertThrows(IllegalArgumentException.class, () -> new PngEncoder(-1));
        assertThrows(IllegalArgumentException.class, () -> new PngEncoder(1, null));
        try (PngEncoder enc = new PngEncoder(1)) {
            assertThrows(IllegalArgumentException.class, () -> enc.encode(new byte[4], 0, 2, 1, 2));
            assertThrows(IllegalArgumentException.class, () -> enc.encode(new byte[4], 0, 1, 0, 2));
        }
    }
}
