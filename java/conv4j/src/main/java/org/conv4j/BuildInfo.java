package org.conv4j;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The versions this build of conv4j was made with: conv4j's own and those of the JavaCPP and OpenBLAS
 * artifacts its native backend needs, as Maven wrote them into {@code org/conv4j/conv4j-build.properties}
 * at build time (resource filtering), so no version is copied from the pom into code. Each is
 * {@code "unknown"} when the classes were built without Maven's filtering (e.g. by an IDE). Thread-safe
 * (read once).
 */
public final class BuildInfo {
    private static final String RESOURCE = "conv4j-build.properties";
    private static final Properties PROPERTIES = load();

    private BuildInfo() {
    }

    /** conv4j's version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        return get("version");
    }

    /** The version of {@code org.bytedeco:javacpp} the native backend was built against. */
    public static String javacppVersion() {
        return get("javacpp.version");
    }

    /** The version of {@code org.bytedeco:openblas} the native backend was built against, e.g. {@code 0.3.31-1.5.13}. */
    public static String openblasVersion() {
        return get("openblas.version");
    }

    private static String get(String key) {
        String v = PROPERTIES.getProperty(key);
        return v == null || v.isBlank() || v.startsWith("${") ? "unknown" : v;
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // left empty: every version reads "unknown"
        }
        return p;
    }
}
