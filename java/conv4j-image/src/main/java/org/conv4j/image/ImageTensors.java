package org.conv4j.image;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.List;
import org.conv4j.Tensor;

/**
 * Images to NCHW float32 tensors and back, with the inference normalisation fused into the same pass.
 *
 * <p>To a tensor: sample {@code x} (0..255) of tensor channel {@code c} becomes
 * {@code (x * scale - mean[c]) / std[c]} ({@link Normalization}), channels in the order
 * <ul>
 *   <li>{@code channels = 3}: R, G, B (a gray image gives three equal planes);</li>
 *   <li>{@code channels = 1}: the gray sample of a gray image, else BT.601 luma
 *       {@code round(0.299 R + 0.587 G + 0.114 B)};</li>
 *   <li>{@code channels = 4}: R, G, B, A (A = 255 for an opaque image).</li>
 * </ul>
 * {@link BufferedImage}s of every type ImageIO decodes are read ({@link PixelRows} lists the fast paths;
 * the rest go through the image's colour model, which converts CMYK, indexed and premultiplied images to
 * sRGB). Raw interleaved 8-bit pixels (HWC, {@link PixelOrder}) are read from a {@code byte[]} or a
 * {@link ByteBuffer}. The caller owns (closes) every tensor returned.
 *
 * <p>Back: {@link #toImage} maps one image of a tensor to 8-bit pixels with a {@link ToneMap}; one
 * channel gives a gray image, three an RGB one, and an alpha plane given alongside is carried through.
 */
public final class ImageTensors {
    /** Floats staged per channel before one copy into the tensor (128 KB: stays in the L2 cache). */
    private static final int BLOCK = 1 << 15;

    private ImageTensors() {
    }

    /** One image as a {@code [1, channels, H, W]} tensor. */
    public static Tensor toTensor(BufferedImage image, int channels, Normalization norm) {
        return toTensor(List.of(image), channels, norm);
    }

    /**
     * {@code images} (at least one, all of one size) as a {@code [N, channels, H, W]} batch, image
     * {@code n} at index n. An empty list, images of different sizes, a channel count other than 1, 3
     * or 4 or a normalisation without an entry per channel is an {@link IllegalArgumentException}.
     */
    public static Tensor toTensor(List<BufferedImage> images, int channels, Normalization norm) {
        if (images == null || images.isEmpty()) throw new IllegalArgumentException("images: need at least one image");
        BufferedImage first = images.get(0);
        int h = first.getHeight(), w = first.getWidth();
        for (int i = 1; i < images.size(); i++) {
            BufferedImage b = images.get(i);
            if (b.getHeight() != h || b.getWidth() != w) {
                throw new IllegalArgumentException("images: image " + i + " is " + b.getWidth() + "x" + b.getHeight()
                        + " but image 0 is " + w + "x" + h + "; a batch holds images of one size");
            }
        }
        requireChannels(channels);
        norm.requireChannels(channels);
        Tensor t = Tensor.zeros(images.size(), channels, h, w);
        try {
            for (int i = 0; i < images.size(); i++) write(images.get(i), i, norm, t);
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /**
     * Writes {@code image} as image {@code n} of the NCHW tensor {@code dst}, whose C (1, 3 or 4), H and
     * W it must match: a batch tensor (or one of {@link Tensor#wrap}) is filled in place, image by image.
     */
    public static void write(BufferedImage image, int n, Normalization norm, Tensor dst) {
        long[] s = dst.shape();
        if (s.length != 4 || n < 0 || n >= s[0] || s[2] != image.getHeight() || s[3] != image.getWidth()) {
            throw new IllegalArgumentException("tensor " + java.util.Arrays.toString(s) + " has no image " + n + " of "
                    + image.getHeight() + "x" + image.getWidth() + " (expected [N, C, H, W] with n < N)");
        }
        int c = (int) s[1], h = (int) s[2], w = (int) s[3];
        requireChannels(c);
        float[][] lut = tables(norm, c);
        PixelRows rows = new PixelRows(image);
        Block block = new Block(dst, n, c, h, w);
        for (int y = 0; y < h; y++) {
            rows.read(y);
            int at = block.row(y);
            for (int ch = 0; ch < c; ch++) {
                float[] out = block.plane[ch], t = lut[ch];
                if (rows.gray()) {
                    float[] g = rows.grayRow;
                    if (ch == 3) {
                        for (int x = 0; x < w; x++) out[at + x] = t[255];
                    } else {
                        for (int x = 0; x < w; x++) {
                            float v = g[x];
                            int i = (int) v;
                            out[at + x] = i == v ? t[i] : norm.apply(v, ch); // 16-bit samples fall between the table's
                        }
                    }
                    continue;
                }
                int[] px = rows.argb;
                if (c == 1) {
                    for (int x = 0; x < w; x++) out[at + x] = t[luma(px[x] >> 16 & 0xFF, px[x] >> 8 & 0xFF, px[x] & 0xFF)];
                } else {
                    int shift = ch == 3 ? 24 : 16 - 8 * ch;
                    for (int x = 0; x < w; x++) out[at + x] = t[px[x] >>> shift & 0xFF];
                }
            }
        }
        block.flush(h);
    }

    /**
     * {@code n} images of H x W raw interleaved 8-bit pixels in {@code order}, image after image, row
     * after row ({@code pixels.length = n*H*W*order.bytesPerPixel()}), as a {@code [n, channels, H, W]}
     * tensor. {@code channels} is 3 (R, G, B), 1 (gray, or luma of a colour order) or 4 (R, G, B, A;
     * only from an order with alpha).
     */
    public static Tensor fromPixels(byte[] pixels, int n, int h, int w, PixelOrder order, int channels, Normalization norm) {
        if (pixels == null) throw new IllegalArgumentException("pixels: null");
        return fromPixels(ByteBuffer.wrap(pixels), n, h, w, order, channels, norm);
    }

    /**
     * As {@link #fromPixels(byte[], int, int, int, PixelOrder, int, Normalization)} from the
     * {@code remaining()} bytes of {@code pixels} (heap or direct), read by absolute index from its
     * position, which is left unchanged.
     */
    public static Tensor fromPixels(ByteBuffer pixels, int n, int h, int w, PixelOrder order, int channels, Normalization norm) {
        if (pixels == null) throw new IllegalArgumentException("pixels: null");
        if (n < 1 || h < 1 || w < 1) throw new IllegalArgumentException("pixels: n, h, w must be >= 1, got " + n + ", " + h + ", " + w);
        requireChannels(channels);
        if (channels == 4 && !order.hasAlpha()) {
            throw new IllegalArgumentException("channels 4 (R, G, B, A) needs an order with alpha, got " + order);
        }
        norm.requireChannels(channels);
        long bytes = (long) n * h * w * order.bytesPerPixel();
        if (pixels.remaining() != bytes) {
            throw new IllegalArgumentException("pixels: " + pixels.remaining() + " bytes remaining but " + n + " images of "
                    + h + "x" + w + " " + order + " need " + bytes);
        }
        Tensor t = Tensor.zeros(n, channels, h, w);
        try {
            float[][] lut = tables(norm, channels);
            int bpp = order.bytesPerPixel(), start = pixels.position();
            byte[] row = new byte[w * bpp];
            for (int i = 0; i < n; i++) {
                Block block = new Block(t, i, channels, h, w);
                for (int y = 0; y < h; y++) {
                    pixels.get(start + (int) (((long) i * h + y) * w * bpp), row);
                    int at = block.row(y);
                    for (int ch = 0; ch < channels; ch++) {
                        float[] out = block.plane[ch], tab = lut[ch];
                        int off = order.offset(ch, channels);
                        if (off >= 0) {
                            for (int x = 0, p = off; x < w; x++, p += bpp) out[at + x] = tab[row[p] & 0xFF];
                        } else {
                            int r = order.red(), g = order.green(), b = order.blue();
                            for (int x = 0, p = 0; x < w; x++, p += bpp) {
                                out[at + x] = tab[luma(row[p + r] & 0xFF, row[p + g] & 0xFF, row[p + b] & 0xFF)];
                            }
                        }
                    }
                }
                block.flush(h);
            }
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /**
     * Image {@code n} of an NCHW tensor with C = 1 (gray) or 3 (RGB) as an 8-bit image, each value mapped
     * by {@code map} (its {@link ToneMap#ABS_NORMALIZE} maximum taken over that image's channels).
     * {@code alpha}, if not null, holds H*W alpha samples carried through unfiltered: the result is then
     * {@code TYPE_4BYTE_ABGR} (colour) or gray-alpha as ARGB.
     */
    public static BufferedImage toImage(Tensor t, int n, ToneMap map, byte[] alpha) {
        long[] s = t.shape();
        if (s.length != 4 || (s[1] != 1 && s[1] != 3) || n < 0 || n >= s[0]) {
            throw new IllegalArgumentException("tensor " + java.util.Arrays.toString(s) + ": expected [N, 1 or 3, H, W] and"
                    + " an image index below N, got " + n);
        }
        int c = (int) s[1], h = (int) s[2], w = (int) s[3], plane = Math.multiplyExact(h, w);
        if (alpha != null && alpha.length != plane) {
            throw new IllegalArgumentException("alpha: " + alpha.length + " samples for an image of " + w + "x" + h);
        }
        byte[] bytes = new byte[Math.multiplyExact(c, plane)];
        try (Tensor one = t.slice(n, n + 1)) {
            FloatBuffer y = one.pointer().asBuffer();
            int[] from = new int[c];
            for (int ch = 0; ch < c; ch++) from[ch] = ch * plane;
            map.toBytes(y, from, plane, bytes, 0);
        }
        return alpha == null ? Planes.fromPlanes(bytes, c, h, w) : Planes.withAlpha(bytes, c, alpha, h, w);
    }

    /** {@link #toImage(Tensor, int, ToneMap, byte[])} without alpha. */
    public static BufferedImage toImage(Tensor t, int n, ToneMap map) {
        return toImage(t, n, map, null);
    }

    /** The image's alpha samples (H*W, 8 bits), or null when it has no alpha. */
    public static byte[] alpha(BufferedImage image) {
        PixelRows rows = new PixelRows(image);
        if (!rows.hasAlpha() || rows.gray()) return null;
        int w = image.getWidth(), h = image.getHeight();
        byte[] a = new byte[Math.multiplyExact(w, h)];
        for (int y = 0; y < h; y++) {
            rows.read(y);
            for (int x = 0; x < w; x++) a[y * w + x] = (byte) (rows.argb[x] >>> 24);
        }
        return a;
    }

    /** BT.601 luma rounded half up, as {@link Planes#toPlanes} computes it. */
    private static int luma(int r, int g, int b) {
        return Math.round(0.299f * r + 0.587f * g + 0.114f * b);
    }

    private static float[][] tables(Normalization norm, int channels) {
        float[][] t = new float[channels][];
        for (int c = 0; c < channels; c++) t[c] = norm.table(c);
        return t;
    }

    private static void requireChannels(int channels) {
        if (channels != 1 && channels != 3 && channels != 4) {
            throw new IllegalArgumentException("channels must be 1 (gray), 3 (RGB) or 4 (RGBA), got " + channels);
        }
    }

    /**
     * Rows of image {@code n}'s C planes staged in heap arrays, copied into the tensor a block of rows at
     * a time: element {@code ((n*C + c)*H + y)*W + x}.
     */
    private static final class Block {
        final float[][] plane;
        private final Tensor dst;
        private final int n, c, h, w, rows;
        private int first;

        Block(Tensor dst, int n, int c, int h, int w) {
            this.dst = dst;
            this.n = n;
            this.c = c;
            this.h = h;
            this.w = w;
            this.rows = Math.max(1, Math.min(h, BLOCK / w));
            this.plane = new float[c][rows * w];
        }

        /** Where row {@code y} starts in the staging planes, flushing the previous block first if full. */
        int row(int y) {
            if (y - first == rows) {
                flush(y);
            }
            return (y - first) * w;
        }

        /** Copies staged rows {@code [first, end)} into the tensor. */
        void flush(int end) {
            int len = (end - first) * w;
            if (len == 0) return;
            for (int ch = 0; ch < c; ch++) {
                dst.copyFrom(((long) (n * c + ch) * h + first) * w, plane[ch], 0, len);
            }
            first = end;
        }
    }
}
