package org.conv4j.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Reads one row of a {@link BufferedImage} as 8-bit samples, the fastest way its type allows:
 * <ul>
 *   <li>gray (one band, gray colour space, 1-16 bits): the raster's samples, 16-bit ones as
 *       {@code v / 257} (0..255, not rounded) so no precision is lost; never through
 *       {@link BufferedImage#getRGB}, which would apply a gamma conversion;</li>
 *   <li>8-bit interleaved sRGB bytes ({@code TYPE_3BYTE_BGR}, {@code TYPE_4BYTE_ABGR}, custom RGB/RGBA byte
 *       rasters, not premultiplied): straight from the data buffer;</li>
 *   <li>packed sRGB ints ({@code TYPE_INT_RGB}, {@code TYPE_INT_ARGB}, {@code TYPE_INT_BGR}): from the
 *       data buffer through the colour model's masks;</li>
 *   <li>everything else (indexed, premultiplied, 16-bit colour, CMYK or other colour spaces):
 *       {@link BufferedImage#getRGB}, which converts to non-premultiplied sRGB through the image's colour
 *       model, 8 bits per sample.</li>
 * </ul>
 * Not thread-safe (it owns its row buffers); one per conversion.
 */
final class PixelRows {
    private final BufferedImage img;
    private final int w;
    private final Raster raster;
    private final boolean gray, hasAlpha;
    /** Interleaved bytes: the array, its pixel stride, scanline stride, and R, G, B, A band offsets (A -1 if none). */
    private final byte[] bytes;
    private final int pixelStride, scanline, base;
    private final int[] band;
    /** Packed ints: the array, scanline stride and the colour model (masks). */
    private final int[] ints;
    private final DirectColorModel direct;
    /** The row as ARGB ints (colour images) or gray sample values. */
    final int[] argb;
    final float[] grayRow;
    private final int[] samples;

    PixelRows(BufferedImage img) {
        this.img = img;
        this.w = img.getWidth();
        this.raster = img.getRaster();
        ColorModel cm = img.getColorModel();
        this.gray = raster.getNumBands() == 1 && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && raster.getSampleModel().getSampleSize(0) <= 16;
        this.hasAlpha = cm.hasAlpha();
        byte[] b = null;
        int ps = 0, ss = 0, bs = 0;
        int[] bands = null;
        if (!gray && cm instanceof ComponentColorModel && cm.getColorSpace().isCS_sRGB() && !cm.isAlphaPremultiplied()
                && raster.getSampleModel() instanceof PixelInterleavedSampleModel sm && raster.getDataBuffer() instanceof DataBufferByte db
                && db.getNumBanks() == 1 && raster.getNumBands() >= 3 && sm.getSampleSize(0) == 8) {
            b = db.getData();
            ps = sm.getPixelStride();
            ss = sm.getScanlineStride();
            // raster (x, y) is sample-model (x - translateX, y - translateY); getOffset would add band 0's offset
            bs = db.getOffset() - raster.getSampleModelTranslateX() * ps - raster.getSampleModelTranslateY() * ss;
            int[] off = sm.getBandOffsets();
            bands = new int[] {off[0], off[1], off[2], raster.getNumBands() > 3 ? off[3] : -1};
        }
        this.bytes = b;
        this.pixelStride = ps;
        this.band = bands;
        int[] in = null;
        DirectColorModel dcm = null;
        if (b == null && !gray && cm instanceof DirectColorModel d && d.getColorSpace().isCS_sRGB() && !d.isAlphaPremultiplied()
                && raster.getSampleModel() instanceof SinglePixelPackedSampleModel sp && raster.getDataBuffer() instanceof DataBufferInt di
                && di.getNumBanks() == 1 && d.getPixelSize() <= 32 && allBytes(d)) {
            in = di.getData();
            dcm = d;
            ss = sp.getScanlineStride();
            bs = di.getOffset() + sp.getOffset(-raster.getSampleModelTranslateX(), -raster.getSampleModelTranslateY());
        }
        this.ints = in;
        this.direct = dcm;
        this.scanline = ss;
        this.base = bs;
        this.argb = gray ? null : new int[w];
        this.grayRow = gray ? new float[w] : null;
        this.samples = gray ? new int[w] : null;
    }

    /** Every mask of the colour model is 8 contiguous bits (0xFF shifted), or absent (alpha of INT_RGB). */
    private static boolean allBytes(DirectColorModel d) {
        for (int m : new int[] {d.getRedMask(), d.getGreenMask(), d.getBlueMask()}) {
            if (m == 0 || Integer.bitCount(m) != 8 || (m >>> Integer.numberOfTrailingZeros(m)) != 0xFF) return false;
        }
        int a = d.getAlphaMask();
        return a == 0 || Integer.bitCount(a) == 8 && (a >>> Integer.numberOfTrailingZeros(a)) == 0xFF;
    }

    /** Whether the image is gray: rows land in {@link #grayRow}, else in {@link #argb}. */
    boolean gray() {
        return gray;
    }

    boolean hasAlpha() {
        return hasAlpha;
    }

    /** Reads row {@code y} into {@link #grayRow} or {@link #argb} (alpha 0xFF where the image has none). */
    void read(int y) {
        if (gray) {
            readGray(y);
        } else if (bytes != null) {
            int p = base + y * scanline, r = band[0], g = band[1], b = band[2], a = band[3];
            for (int x = 0; x < w; x++, p += pixelStride) {
                int alpha = a < 0 ? 0xFF : bytes[p + a] & 0xFF;
                argb[x] = alpha << 24 | (bytes[p + r] & 0xFF) << 16 | (bytes[p + g] & 0xFF) << 8 | bytes[p + b] & 0xFF;
            }
        } else if (ints != null) {
            int p = base + y * scanline;
            int rs = Integer.numberOfTrailingZeros(direct.getRedMask()), gs = Integer.numberOfTrailingZeros(direct.getGreenMask()),
                    bs = Integer.numberOfTrailingZeros(direct.getBlueMask()), am = direct.getAlphaMask(),
                    as = Integer.numberOfTrailingZeros(am);
            for (int x = 0; x < w; x++) {
                int v = ints[p + x];
                int alpha = am == 0 ? 0xFF : v >>> as & 0xFF;
                argb[x] = alpha << 24 | (v >>> rs & 0xFF) << 16 | (v >>> gs & 0xFF) << 8 | v >>> bs & 0xFF;
            }
        } else {
            img.getRGB(0, y, w, 1, argb, 0, w);
            if (img.getColorModel().getTransparency() == Transparency.OPAQUE) {
                for (int x = 0; x < w; x++) argb[x] |= 0xFF000000;
            }
        }
    }

    private void readGray(int y) {
        int bits = raster.getSampleModel().getSampleSize(0);
        int[] s = raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, samples);
        if (bits == 8) {
            for (int x = 0; x < w; x++) grayRow[x] = s[x];
        } else {
            float max = (1 << bits) - 1;
            for (int x = 0; x < w; x++) grayRow[x] = s[x] * 255f / max;
        }
    }
}
