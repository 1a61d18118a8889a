package org.conv4j.cli.filter;

import java.util.Locale;

/** What {@code filter --format} writes per image and kernel. */
public enum OutputFormat {
    /** 8-bit PNG through the kernel's tone map ({@link org.conv4j.image.PngEncoder}). */
    PNG("png"),
    /** 8-bit JPEG through the kernel's tone map (ImageIO's encoder, its default quality). */
    JPEG("jpg"),
    /** The float32 output itself, shape (C, H, W), no tone map: {@code numpy.load} reads it. */
    NPY("npy");

    private final String extension;

    OutputFormat(String extension) {
        this.extension = extension;
    }

    public String extension() {
        return extension;
    }

    /** png, jpeg (or jpg) or npy, any case. */
    public static OutputFormat parse(String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "png": return PNG;
            case "jpeg": case "jpg": return JPEG;
            case "npy": return NPY;
            default: throw new IllegalArgumentException("expected png, jpeg or npy, got '" + value + "'");
        }
    }
}
