package org.conv4j.backend;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.Loader;
import org.conv4j.BackendUnavailableException;
import org.conv4j.BuildInfo;
import org.conv4j.jni.Conv4jNative;

/**
 * The single availability check of the native library. Loading happens once and includes comparing the
 * library's table of codes and limits with Java's ({@link NativeAbi}); a failure is kept and turned into
 * a message naming the Maven artifact (and classifier) that is missing, or every code that differs.
 * Thread-safe (loading is synchronized; the OpenBLAS thread count is process-wide, set it before running
 * convolutions).
 */
public final class NativeLibrary {
    private static volatile Throwable failure;
    private static volatile boolean loaded;

    private NativeLibrary() {
    }

    /** Whether the native library loads on this machine. */
    public static boolean isAvailable() {
        return tryLoad() == null;
    }

    /** Loads the library or throws {@link BackendUnavailableException} naming what to add. */
    public static void require() {
        Throwable t = tryLoad();
        if (t != null) throw new BackendUnavailableException(missingMessage(t), t);
    }

    /** The OpenBLAS kernel name (e.g. {@code Haswell}, {@code Cooperlake}), or "unavailable". */
    public static String openblasCoreName() {
        if (!isAvailable()) return "unavailable";
        return Conv4jNative.openblas_get_corename().getString().trim();
    }

    /**
     * The vector unit conv4j's own kernels run on: {@code avx512}, {@code avx2} (AVX + FMA) or {@code baseline}
     * (SSE2 on x86-64, NEON on arm64), as detected once per process and lowered by the environment variable
     * {@code CONV4J_VECTOR_ISA} (same names), which tests use to run every body on one machine.
     */
    public static String vectorIsa() {
        require();
        int width = Conv4jNative.conv4j_vector_width();
        return width == 16 ? "avx512" : width == 8 ? "avx2" : "baseline";
    }

    /** The OpenBLAS thread count actually in effect (not the preset's -1 placeholder). */
    public static int openblasThreads() {
        require();
        return Conv4jNative.openblas_get_num_threads();
    }

    /** Sets the OpenBLAS thread count for the whole process (OpenBLAS keeps one global setting). */
    public static void setOpenblasThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("OpenBLAS threads must be >= 1, got " + threads);
        require();
        if (Conv4jNative.openblas_get_num_threads() != threads) Conv4jNative.openblas_set_num_threads(threads);
    }

    private static synchronized Throwable tryLoad() {
        if (loaded) return null;
        if (failure != null) return failure;
        if (Boolean.getBoolean("conv4j.native.disable")) {
            failure = new UnsatisfiedLinkError("disabled by -Dconv4j.native.disable=true");
            return failure;
        }
        try {
            Loader.load(Conv4jNative.class);
            NativeAbi.check(exportedAbi());
            loaded = true;
            return null;
        } catch (Throwable t) {
            failure = t;
            return t;
        }
    }

    /** The library's table of codes and limits, C name to value; the library must be loaded. */
    static Map<String, Long> exportedAbi() {
        int size;
        try {
            size = Conv4jNative.conv4j_abi_size();
        } catch (UnsatisfiedLinkError e) { // a JNI library built before the table existed
            throw new NativeAbi.MismatchError(List.of("the library exports no table of codes"
                    + " (conv4j_abi_*): it is older than this jar"));
        }
        Map<String, Long> table = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            table.put(Conv4jNative.conv4j_abi_name(i).getString(), Conv4jNative.conv4j_abi_value(i));
        }
        return table;
    }

    static String missingMessage(Throwable cause) {
        String platform = Loader.getPlatform();
        ClassLoader cl = NativeLibrary.class.getClassLoader();
        String what;
        if (cause instanceof NativeAbi.MismatchError) {
            what = cause.getMessage();
        } else if (cl.getResource("org/conv4j/jni/" + platform + "/") == null) {
            what = dependency("org.conv4j", "conv4j", BuildInfo.version(), platform);
        } else if (cl.getResource("org/bytedeco/openblas/" + platform + "/") == null) {
            what = dependency("org.bytedeco", "openblas", BuildInfo.openblasVersion(), platform);
        } else if (cl.getResource("org/bytedeco/javacpp/" + platform + "/") == null) {
            what = dependency("org.bytedeco", "javacpp", BuildInfo.javacppVersion(), platform);
        } else {
            what = "the artifacts are present but loading failed: " + cause;
        }
        return "conv4j native backend unavailable on " + platform + ": " + what
                + ". The reference and java backends work without it.";
    }

    /** "add the dependency G:A:V:PLATFORM (classifier PLATFORM), or G:A-platform:V". */
    private static String dependency(String group, String artifact, String version, String platform) {
        return "add the dependency " + group + ":" + artifact + ":" + version + ":" + platform + " (classifier "
                + platform + "), or " + group + ":" + artifact + "-platform:" + version;
    }
}
