package org.conv4j.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * Conversions between images and planar (CHW) pixel values 0..255. Gray images are read from their
 * raster samples: {@link BufferedImage#getRGB} would pass them through a gamma conversion.
 */
public final class Planes {
    private Planes() {
    }

    /**
     * Writes {@code img} into {@code dst} from {@code offset} as {@code channels} planes of H*W bytes
     * holding the pixel values 0..255 (read them with {@code & 0xFF}): 3 = R, G, B; 1 = gray (the gray
     * samples, 16-bit ones shifted to 8 bits, or BT.601 luma {@code round(0.299R + 0.587G + 0.114B)}).
     */
    public static void toPlanes(BufferedImage img, int channels, byte[] dst, int offset) {
        int w = img.getWidth(), h = img.getHeight(), plane = w * h;
        if (isGray(img)) {
            int[] gray = img.getRaster().getSamples(0, 0, w, h, 0, (int[]) null);
            int shift = img.getRaster().getSampleModel().getSampleSize(0) - 8;
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < plane; i++) dst[offset + c * plane + i] = (byte) (shift > 0 ? gray[i] >> shift : gray[i]);
            }
            return;
        }
        if (channels == 3 && isPlainBgr(img)) {
            bgrToPlanes(((DataBufferByte) img.getRaster().getDataBuffer()).getData(), plane, dst, offset);
            return;
        }
        int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < plane; i++) {
            int r = rgb[i] >> 16 & 0xFF, g = rgb[i] >> 8 & 0xFF, b = rgb[i] & 0xFF;
            if (channels == 3) {
                dst[offset + i] = (byte) r;
                dst[offset + plane + i] = (byte) g;
                dst[offset + 2 * plane + i] = (byte) b;
            } else {
                dst[offset + i] = (byte) Math.round(0.299f * r + 0.587f * g + 0.114f * b);
            }
        }
    }

    /**
     * {@code TYPE_3BYTE_BGR} over its own whole buffer (what ImageIO decodes JPEGs and most RGB PNGs to):
     * its bytes are the sRGB components that {@link BufferedImage#getRGB} returns, read here without the
     * per-pixel colour-model call.
     */
    private static boolean isPlainBgr(BufferedImage img) {
        Raster r = img.getRaster();
        return img.getType() == BufferedImage.TYPE_3BYTE_BGR && r.getParent() == null && r.getMinX() == 0
                && r.getMinY() == 0 && r.getSampleModelTranslateX() == 0 && r.getSampleModelTranslateY() == 0
                && r.getSampleModel() instanceof PixelInterleavedSampleModel sm && sm.getPixelStride() == 3
                && sm.getScanlineStride() == 3 * img.getWidth() && r.getDataBuffer().getNumBanks() == 1
                && r.getDataBuffer().getOffset() == 0 && r.getDataBuffer().getSize() == 3 * img.getWidth() * img.getHeight();
    }

    /** {@code dst[offset + ch*plane + i] = bgr[3i + 2 - ch]} for ch = R, G, B. */
    private static void bgrToPlanes(byte[] bgr, int plane, byte[] dst, int offset) {
        int g = offset + plane, b = offset + 2 * plane;
        for (int i = 0, j = 0; i < plane; i++, j += 3) {
            dst[offset + i] = bgr[j + 2];
            dst[g + i] = bgr[j + 1];
            dst[b + i] = bgr[j];
        }
    }

    /** {@code dst[to + i] = src[from + i] & 0xFF} for i in [0, n): pixel bytes to the floats a tensor takes. */
    public static void widen(byte[] src, int from, float[] dst, int to, int n) {
        for (int i = 0; i < n; i++) dst[to + i] = src[from + i] & 0xFF;
    }

    private static boolean isGray(BufferedImage img) {
        Raster r = img.getRaster();
        return r.getNumBands() == 1 && img.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY
                && r.getSampleModel().getSampleSize(0) <= 16;
    }

    /** An 8-bit image from {@code channels} byte planes of H*W (3 = RGB, 1 = gray). */
    public static BufferedImage fromPlanes(byte[] planes, int channels, int h, int w) {
        int plane = h * w;
        if (channels == 1) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            WritableRaster r = img.getRaster();
            r.setDataElements(0, 0, w, h, java.util.Arrays.copyOf(planes, plane));
            return img;
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[plane];
        for (int i = 0; i < plane; i++) {
            rgb[i] = (planes[i] & 0xFF) << 16 | (planes[plane + i] & 0xFF) << 8 | planes[2 * plane + i] & 0xFF;
        }
        img.setRGB(0, 0, w, h, rgb, 0, w);
        return img;
    }

    /**
     * An 8-bit ARGB image ({@code TYPE_INT_ARGB}) from {@code channels} byte planes of H*W (3 = RGB, 1 = gray,
     * copied into R, G and B) and an alpha plane of H*W.
     */
    public static BufferedImage withAlpha(byte[] planes, int channels, byte[] alpha, int h, int w) {
        int plane = h * w, g = channels == 3 ? plane : 0, b = channels == 3 ? 2 * plane : 0;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        int[] argb = new int[plane];
        for (int i = 0; i < plane; i++) {
            argb[i] = (alpha[i] & 0xFF) << 24 | (planes[i] & 0xFF) << 16 | (planes[g + i] & 0xFF) << 8 | planes[b + i] & 0xFF;
        }
        img.setRGB(0, 0, w, h, argb, 0, w);
        return img;
    }
}
