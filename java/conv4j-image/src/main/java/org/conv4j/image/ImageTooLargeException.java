package org.conv4j.image;

import java.util.Locale;

/**
 * An image whose header declares more pixels than the decoder's limit ({@link ImageDecoder#maxPixels()}):
 * refused before any pixel is decoded, so a small file declaring a huge image (a decompression bomb)
 * cannot exhaust the heap. The message names the image, its size and the limit. Immutable.
 */
public final class ImageTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int width, height;
    private final long maxPixels;

    public ImageTooLargeException(String image, int width, int height, long maxPixels) {
        super(image + ": " + fault(width, height, maxPixels));
        this.width = width;
        this.height = height;
        this.maxPixels = maxPixels;
    }

    /** What is wrong, without the image's name: its size and the limit. */
    public String fault() {
        return fault(width, height, maxPixels);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public long maxPixels() {
        return maxPixels;
    }

    private static String fault(int width, int height, long maxPixels) {
        return String.format(Locale.ROOT, "%d x %d = %,d pixels, above the limit of %,d pixels", width, height,
                (long) width * height, maxPixels);
    }
}
