package org.conv4j.cli.filter;

import java.awt.image.BufferedImage;
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
     * Writes {@code img} into {@code dst} from {@code offset} as {@code channels} planes of H*W:
     * 3 = R, G, B; 1 = gray (the gray samples, or BT.601 luma {@code round(0.299R + 0.587G + 0.114B)}).
     */
    public static void toPlanes(BufferedImage img, int channels, float[] dst, int offset) {
        int w = img.getWidth(), h = img.getHeight(), plane = w * h;
        if (isGray(img)) {
            int[] gray = img.getRaster().getSamples(0, 0, w, h, 0, (int[]) null);
            int shift = img.getRaster().getSampleModel().getSampleSize(0) - 8;
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < plane; i++) dst[offset + c * plane + i] = shift > 0 ? gray[i] >> shift : gray[i];
            }
            return;
        }
        int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < plane; i++) {
            int r = rgb[i] >> 16 & 0xFF, g = rgb[i] >> 8 & 0xFF, b = rgb[i] & 0xFF;
            if (channels == 3) {
                dst[offset + i] = r;
                dst[offset + plane + i] = g;
                dst[offset + 2 * plane + i] = b;
            } else {
                dst[offset + i] = Math.round(0.299f * r + 0.587f * g + 0.114f * b);
            }
        }
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
}
