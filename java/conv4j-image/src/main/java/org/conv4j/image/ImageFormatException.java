package org.conv4j.image;

import java.io.IOException;

/**
 * An image that cannot be decoded: not a PNG, JPEG or BMP, truncated, corrupt, or with a header the
 * decoder rejects. The message is {@code <image>: <fault>}; {@link #fault()} is the part after the name.
 * Immutable.
 */
public final class ImageFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String fault;

    public ImageFormatException(String image, String fault, Throwable cause) {
        super(image + ": " + fault, cause);
        this.fault = fault;
    }

    /** What is wrong, without the image's name. */
    public String fault() {
        return fault;
    }
}
