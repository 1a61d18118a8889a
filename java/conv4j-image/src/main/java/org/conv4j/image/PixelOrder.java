package org.conv4j.image;

/**
 * The channel order of raw interleaved 8-bit pixels (HWC: row after row, each pixel's samples
 * together), as camera SDKs, OpenCV ({@link #BGR}) and video decoders hand them over.
 */
public enum PixelOrder {
    RGB(3, 0, 1, 2, -1),
    BGR(3, 2, 1, 0, -1),
    RGBA(4, 0, 1, 2, 3),
    BGRA(4, 2, 1, 0, 3),
    GRAY(1, 0, 0, 0, -1);

    private final int bytesPerPixel;
    private final int red, green, blue, alpha;

    PixelOrder(int bytesPerPixel, int red, int green, int blue, int alpha) {
        this.bytesPerPixel = bytesPerPixel;
        this.red = red;
        this.green = green;
        this.blue = blue;
        this.alpha = alpha;
    }

    /** Bytes of one pixel: 1, 3 or 4. */
    public int bytesPerPixel() {
        return bytesPerPixel;
    }

    /** Whether each pixel carries an alpha sample. */
    public boolean hasAlpha() {
        return alpha >= 0;
    }

    /**
     * Where tensor channel {@code c} sits in a pixel, for a tensor of {@code channels} channels in the
     * order R, G, B[, A] (or the gray channel): the byte offset, or -1 when the tensor channel is
     * computed (luma from R, G, B when a colour order is packed into 1 channel).
     */
    int offset(int c, int channels) {
        if (this == GRAY) return 0;
        if (channels == 1) return -1;
        switch (c) {
            case 0: return red;
            case 1: return green;
            case 2: return blue;
            default: return alpha;
        }
    }

    int red() {
        return red;
    }

    int green() {
        return green;
    }

    int blue() {
        return blue;
    }
}
