package org.conv4j.image;

import java.util.List;
import java.util.Locale;

/**
 * The image files a filter run reads and the names its outputs take, in one place for the CLI, Spark
 * and library users: inputs are PNG, JPEG and BMP ({@link #EXTENSIONS}, what {@link ImageDecoder}
 * accepts), and an input whose path relative to the searched directory is {@code a/b.png} writes
 * {@code a/b-<kernel>.png}.
 */
public final class ImageFiles {
    /** File extensions of the inputs, lower case. */
    public static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp");
    /** What a message calls them. */
    public static final String DESCRIPTION = "PNG, JPEG or BMP";

    private ImageFiles() {
    }

    /** Whether the file name (or '/'-separated path) has one of the {@link #EXTENSIONS}, in any case. */
    public static boolean isImage(String name) {
        return EXTENSIONS.contains(extension(name));
    }

    /** The extension after the last dot of the last path element, lower case; "" when none. */
    public static String extension(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** A '/'-separated relative path without the extension of its last element: the output stem. */
    public static String stem(String relativePath) {
        int dot = relativePath.lastIndexOf('.');
        return dot > relativePath.lastIndexOf('/') ? relativePath.substring(0, dot) : relativePath;
    }

    /** {@code <stem>-<kernel>.<extension>}. */
    public static String outputName(String stem, String kernel, String extension) {
        return stem + "-" + kernel + "." + extension;
    }
}
