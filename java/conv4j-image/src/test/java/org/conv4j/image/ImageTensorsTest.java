package org.conv4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.conv4j.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Images to NCHW and back. Expected values come from the definitions, computed here: a pixel's sRGB
 * components as {@link BufferedImage#getRGB} gives them (the colour model's conversion) for colour
 * images, the raster samples for gray ones, and {@code (x * scale - mean[c]) / std[c]} in float.
 */
class ImageTensorsTest {
    private static final int H = 5, W = 7;
    private static final int[] COLOUR_TYPES = {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR,
            BufferedImage.TYPE_4BYTE_ABGR_PRE, BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB,
            BufferedImage.TYPE_INT_ARGB_PRE, BufferedImage.TYPE_INT_BGR, BufferedImage.TYPE_BYTE_INDEXED,
            BufferedImage.TYPE_USHORT_565_RGB, BufferedImage.TYPE_USHORT_555_RGB};

    private static BufferedImage random(int type, long seed) {
        BufferedImage img = new BufferedImage(W, H, type);
        Random r = new Random(seed);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) img.setRGB(x, y, (0x80 + r.nextInt(0x80)) << 24 | r.nextInt(1 << 24));
        }
        return img;
    }

    /** The definition: {@code getRGB} per pixel, channel c of R, G, B, A, normalised by the formula. */
    private static float[] expected(BufferedImage img, int channels, Normalization n) {
        float[] out = new float[channels * H * W];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int p = img.getRGB(x, y), v;
                    if (channels == 1) {
                        v = Math.round(0.299f * (p >> 16 & 0xFF) + 0.587f * (p >> 8 & 0xFF) + 0.114f * (p & 0xFF));
                    } else {
                        v = c == 3 ? (img.getColorModel().hasAlpha() ? p >>> 24 : 255) : p >> (16 - 8 * c) & 0xFF;
                    }
                    float m = n.mean().length == 1 ? n.mean()[0] : n.mean()[c], s = n.std().length == 1 ? n.std()[0] : n.std()[c];
                    out[(c * H + y) * W + x] = (v * n.scale() - m) / s;
                }
            }
        }
        return out;
    }

    private static float[] convert(BufferedImage img, int channels, Normalization n) {
        try (Tensor t = ImageTensors.toTensor(img, channels, n)) {
            assertArrayEquals(new long[] {1, channels, H, W}, t.shape());
            return t.toArray();
        }
    }

    @Test
    void everyColourTypeMatchesItsColourModelWithImagenetNormalisation() {
        for (int type : COLOUR_TYPES) {
            BufferedImage img = random(type, type);
            assertArrayEquals(expected(img, 3, Normalization.IMAGENET), convert(img, 3, Normalization.IMAGENET), "type " + type);
            assertArrayEquals(expected(img, 1, Normalization.NONE), convert(img, 1, Normalization.NONE), "luma, type " + type);
            assertArrayEquals(expected(img, 4, Normalization.UNIT), convert(img, 4, Normalization.UNIT), "RGBA, type " + type);
        }
    }

    @Test
    void imagenetOnePixelByHand() {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR);
        img.setRGB(0, 0, 0xFF8000); // R 255, G 128, B 0
        try (Tensor t = ImageTensors.toTensor(img, 3, Normalization.IMAGENET)) {
            float s = 1f / 255;
            assertArrayEquals(new float[] {(255 * s - 0.485f) / 0.229f, (128 * s - 0.456f) / 0.224f, (0 * s - 0.406f) / 0.225f},
                    t.toArray());
            assertEquals(2.2489083f, t.toArray()[0], 1e-6f); // (1 - 0.485) / 0.229
        }
    }

    @Test
    void grayImagesUseTheirSamplesNotTheGammaOfGetRgb() {
        BufferedImage g8 = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage g16 = new BufferedImage(W, H, BufferedImage.TYPE_USHORT_GRAY);
        float[] e8 = new float[H * W], e16 = new float[H * W];
        for (int i = 0; i < H * W; i++) {
            g8.getRaster().setSample(i % W, i / W, 0, i * 7);
            g16.getRaster().setSample(i % W, i / W, 0, i * 1871);
            e8[i] = i * 7;
            e16[i] = i * 1871 / 257f;
        }
        assertArrayEquals(e8, convert(g8, 1, Normalization.NONE));
        assertArrayEquals(e16, convert(g16, 1, Normalization.NONE));
        float[] rgb = convert(g8, 3, Normalization.NONE);
        for (int c = 0; c < 3; c++) assertArrayEquals(e8, java.util.Arrays.copyOfRange(rgb, c * H * W, (c + 1) * H * W));
    }

    @Test
    void cmykImagesConvertThroughTheirColourModel() {
        ColorSpace cmyk = new ColorSpace(ColorSpace.TYPE_CMYK, 4) {
            private static final long serialVersionUID = 1L;
            // naive CMYK: R = (1 - C)(1 - K), etc.
            @Override public float[] toRGB(float[] v) {
                return new float[] {(1 - v[0]) * (1 - v[3]), (1 - v[1]) * (1 - v[3]), (1 - v[2]) * (1 - v[3])};
            }
            @Override public float[] fromRGB(float[] rgb) {
                return new float[] {1 - rgb[0], 1 - rgb[1], 1 - rgb[2], 0};
            }
            @Override public float[] toCIEXYZ(float[] v) {
                return ColorSpace.getInstance(ColorSpace.CS_sRGB).toCIEXYZ(toRGB(v));
            }
            @Override public float[] fromCIEXYZ(float[] xyz) {
                return fromRGB(ColorSpace.getInstance(ColorSpace.CS_sRGB).fromCIEXYZ(xyz));
            }
        };
        ComponentColorModel cm = new ComponentColorModel(cmyk, false, false, java.awt.Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        WritableRaster r = cm.createCompatibleWritableRaster(W, H);
        Random rnd = new Random(3);
        for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) for (int b = 0; b < 4; b++) r.setSample(x, y, b, rnd.nextInt(256));
        BufferedImage img = new BufferedImage(cm, r, false, null);
        assertArrayEquals(expected(img, 3, Normalization.NONE), convert(img, 3, Normalization.NONE));
    }

    @Test
    void aBatchPacksImageAfterImage() {
        BufferedImage a = random(BufferedImage.TYPE_3BYTE_BGR, 1), b = random(BufferedImage.TYPE_INT_RGB, 2);
        try (Tensor t = ImageTensors.toTensor(List.of(a, b), 3, Normalization.UNIT)) {
            assertArrayEquals(new long[] {2, 3, H, W}, t.shape());
            float[] all = t.toArray(), ea = expected(a, 3, Normalization.UNIT), eb = expected(b, 3, Normalization.UNIT);
            assertArrayEquals(ea, java.util.Arrays.copyOfRange(all, 0, ea.length));
            assertArrayEquals(eb, java.util.Arrays.copyOfRange(all, ea.length, all.length));
        }
    }

    @Test
    void largeImagesCrossTheStagingBlocks() {
        BufferedImage img = new BufferedImage(300, 250, BufferedImage.TYPE_3BYTE_BGR);
        Random r = new Random(9);
        for (int y = 0; y < 250; y++) for (int x = 0; x < 300; x++) img.setRGB(x, y, r.nextInt(1 << 24));
        try (Tensor t = ImageTensors.toTensor(img, 3, Normalization.NONE)) {
            float[] v = t.toArray();
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 250; y += 7) {
                    for (int x = 0; x < 300; x += 11) {
                        assertEquals(img.getRGB(x, y) >> (16 - 8 * c) & 0xFF, v[(c * 250 + y) * 300 + x], "c " + c + " y " + y + " x " + x);
                    }
                }
            }
        }
    }

    @Test
    void rawPixelsInEveryOrder() {
        // two 1x2 images; pixel (R, G, B, A) = (10k+1, 10k+2, 10k+3, 10k+4) for pixel k = 0..3
        int n = 2, h = 1, w = 2;
        for (PixelOrder order : PixelOrder.values()) {
            int bpp = order.bytesPerPixel();
            byte[] px = new byte[n * h * w * bpp];
            for (int k = 0; k < 4; k++) {
                int[] rgba = {10 * k + 1, 10 * k + 2, 10 * k + 3, 10 * k + 4};
                int[] layout = switch (order) {
                    case RGB -> new int[] {rgba[0], rgba[1], rgba[2]};
                    case BGR -> new int[] {rgba[2], rgba[1], rgba[0]};
                    case RGBA -> rgba;
                    case BGRA -> new int[] {rgba[2], rgba[1], rgba[0], rgba[3]};
                    case GRAY -> new int[] {rgba[0]};
                };
                for (int b = 0; b < bpp; b++) px[k * bpp + b] = (byte) layout[b];
            }
            int channels = order == PixelOrder.GRAY ? 1 : order.hasAlpha() ? 4 : 3;
            float[] expected = new float[n * channels * h * w];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < channels; c++) {
                    for (int p = 0; p < 2; p++) expected[(i * channels + c) * 2 + p] = 10 * (2 * i + p) + 1 + c;
                }
            }
            ByteBuffer direct = ByteBuffer.allocateDirect(px.length + 3);
            direct.position(3);
            direct.slice().put(px);
            for (Tensor t : new Tensor[] {ImageTensors.fromPixels(px, n, h, w, order, channels, Normalization.NONE),
                    ImageTensors.fromPixels(direct, n, h, w, order, channels, Normalization.NONE)}) {
                try (t) {
                    assertArrayEquals(new long[] {n, channels, h, w}, t.shape(), order.toString());
                    assertArrayEquals(expected, t.toArray(), order.toString());
                }
            }
            assertEquals(3, direct.position(), "the buffer's position is left alone");
        }
    }

    @Test
    void rawColourToOneChannelIsLuma() {
        byte[] bgr = {30, (byte) 200, 100}; // B 30, G 200, R 100
        try (Tensor t = ImageTensors.fromPixels(bgr, 1, 1, 1, PixelOrder.BGR, 1, Normalization.NONE)) {
            assertArrayEquals(new float[] {Math.round(0.299f * 100 + 0.587f * 200 + 0.114f * 30)}, t.toArray());
        }
    }

    @Test
    void backToAnImageRoundTripsAndCarriesAlpha() {
        BufferedImage img = random(BufferedImage.TYPE_INT_ARGB, 5);
        try (Tensor t = ImageTensors.toTensor(img, 3, Normalization.NONE)) {
            BufferedImage back = ImageTensors.toImage(t, 0, ToneMap.CLAMP, ImageTensors.alpha(img));
            for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) assertEquals(img.getRGB(x, y), back.getRGB(x, y));
            BufferedImage opaque = ImageTensors.toImage(t, 0, ToneMap.CLAMP);
            assertEquals(img.getRGB(1, 1) | 0xFF000000, opaque.getRGB(1, 1));
        }
        assertNull(ImageTensors.alpha(random(BufferedImage.TYPE_INT_RGB, 1)));
        BufferedImage gray = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(2, 3, 0, 77);
        try (Tensor t = ImageTensors.toTensor(gray, 1, Normalization.NONE)) {
            BufferedImage back = ImageTensors.toImage(t, 0, ToneMap.CLAMP);
            assertEquals(BufferedImage.TYPE_BYTE_GRAY, back.getType());
            assertEquals(77, back.getRaster().getSample(2, 3, 0));
        }
    }

    @Test
    void rejectsWhatDoesNotFitNamingIt() {
        BufferedImage a = random(BufferedImage.TYPE_INT_RGB, 1), b = new BufferedImage(W + 1, H, BufferedImage.TYPE_INT_RGB);
        assertMessage(() -> ImageTensors.toTensor(List.of(a, b), 3, Normalization.NONE), "image 1 is 8x5 but image 0 is 7x5");
        assertMessage(() -> ImageTensors.toTensor(a, 2, Normalization.NONE), "channels must be 1 (gray), 3 (RGB) or 4 (RGBA), got 2");
        assertMessage(() -> ImageTensors.toTensor(a, 4, Normalization.IMAGENET), "mean has 3 entries");
        assertMessage(() -> ImageTensors.fromPixels(new byte[5], 1, 1, 2, PixelOrder.RGB, 3, Normalization.NONE),
                "5 bytes remaining but 1 images of 1x2 RGB need 6");
        assertMessage(() -> ImageTensors.fromPixels(new byte[6], 1, 1, 2, PixelOrder.RGB, 4, Normalization.NONE), "needs an order with alpha");
    }

    static void assertMessage(Runnable r, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
