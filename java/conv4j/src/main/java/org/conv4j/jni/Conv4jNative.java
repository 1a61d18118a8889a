package org.conv4j.jni;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Const;
import org.bytedeco.javacpp.annotation.Name;
import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;

/**
 * The JavaCPP binding of the native core ({@code native/include/conv4j.h}): one struct, one entry
 * point (and its constant-weight pair: prepare once, then forward), the table of codes and limits the
 * loader checks, and the OpenBLAS calls the preset's Java API does not expose (kernel name, thread count).
 *
 * <p>It inherits the {@code org.bytedeco:openblas} preset, which brings {@code cblas.h}, the link to
 * {@code libopenblas.so.0} and the preloading of its runtime. The static library {@code conv4j_core}
 * (built by CMake, {@code cmake/}) is linked in ({@code #}: never loaded on its own).
 *
 * <p>Memory: tensors are passed as {@link FloatPointer}s to off-heap memory that Java owns
 * ({@link org.conv4j.Tensor}), so a call copies nothing and allocates nothing; the problem struct is
 * allocated once per plan. Arrays would make JNI pin or copy the heap on every call.
 *
 * <p>Nothing here validates: callers go through {@link org.conv4j.Conv2dProblem}, which does.
 * Use {@link org.conv4j.backend.NativeLibrary#require()} rather than touching this class directly:
 * it turns a missing platform artifact into a message naming it.
 *
 * <p>Threads: {@code conv4j_conv2d_forward} keeps no state of its own and may run on many threads at once
 * as long as each call has its own workspace and output (a plan each); a {@link Problem} is read-only
 * during calls. The native code never changes the floating-point environment (no {@code -ffast-math},
 * no FTZ/DAZ): Java threads keep gradual underflow.
 */
@Properties(inherit = org.bytedeco.openblas.presets.openblas.class,
        value = @Platform(include = {"conv4j.h", "conv4j_winograd.h"}, link = "conv4j_core#", library = "jniConv4jNative"))
public final class Conv4jNative {
    static {
        Loader.load();
    }

    private Conv4jNative() {
    }

    /** Mirrors {@code conv4j_problem}; filled from {@link org.conv4j.Conv2dProblem} only. */
    @Name("conv4j_problem")
    public static final class Problem extends Pointer {
        static {
            Loader.load();
        }

        public Problem() {
            super((Pointer) null);
            allocate();
        }

        private native void allocate();

        public native long n(); public native Problem n(long v);
        public native long c(); public native Problem c(long v);
        public native long h(); public native Problem h(long v);
        public native long w(); public native Problem w(long v);
        public native long k(); public native Problem k(long v);
        public native long r(); public native Problem r(long v);
        public native long s(); public native Problem s(long v);
        public native long p(); public native Problem p(long v);
        public native long q(); public native Problem q(long v);
        public native long stride_h(); public native Problem stride_h(long v);
        public native long stride_w(); public native Problem stride_w(long v);
        public native long pad_top(); public native Problem pad_top(long v);
        public native long pad_left(); public native Problem pad_left(long v);
        public native long dil_h(); public native Problem dil_h(long v);
        public native long dil_w(); public native Problem dil_w(long v);
        public native long groups(); public native Problem groups(long v);
        public native long c_per_group(); public native Problem c_per_group(long v);
        public native long k_per_group(); public native Problem k_per_group(long v);
        public native long reduction(); public native Problem reduction(long v);
        public native long tile_rows(); public native Problem tile_rows(long v);
        public native long bands(); public native Problem bands(long v);
        public native long work_items(); public native Problem work_items(long v);
        public native long threads(); public native Problem threads(long v);
        public native long workspace_per_thread(); public native Problem workspace_per_thread(long v);
        public native int flip(); public native Problem flip(int v);
        public native int has_bias(); public native Problem has_bias(int v);
        public native int path(); public native Problem path(int v);
        public native int border(); public native Problem border(int v);
        public native int epi_sum(); public native Problem epi_sum(int v);
        public native int activation(); public native Problem activation(int v);
        public native float clamp_lo(); public native Problem clamp_lo(float v);
        public native float clamp_hi(); public native Problem clamp_hi(float v);
    }

    /** {@code y = conv(x, w) + bias}; see conv4j.h. Returns 0 on success. */
    public static native int conv4j_conv2d_forward(@Const Problem prob, @Const FloatPointer x,
            @Const FloatPointer w, @Const FloatPointer bias, FloatPointer y, FloatPointer workspace);

    /** Writes {@code w} rearranged once for {@code prob}'s path into {@code prepared}; see conv4j.h. */
    public static native void conv4j_prepare_weights(@Const Problem prob, @Const FloatPointer w, FloatPointer prepared);

    /** {@link #conv4j_conv2d_forward} with weights from {@link #conv4j_prepare_weights}. Returns 0 on success. */
    public static native int conv4j_conv2d_forward_prepared(@Const Problem prob, @Const FloatPointer x,
            @Const FloatPointer prepared, @Const FloatPointer bias, FloatPointer y, FloatPointer workspace);

    /**
     * The separable algorithm (path CONV4J_PATH_SEPARABLE): filter k is {@code verticalFactors[vertical[k]*R ..]}
     * times {@code horizontalFactors[k*S ..]} when {@code vertical[k] >= 0}, else dense {@code w[k]}; see conv4j.h.
     * Returns 0 on success.
     */
    public static native int conv4j_conv2d_forward_separable(@Const Problem prob, @Const FloatPointer x,
            @Const FloatPointer w, @Const FloatPointer verticalFactors, @Const FloatPointer horizontalFactors,
            @Const IntPointer vertical, @Const FloatPointer bias, FloatPointer y, FloatPointer workspace);
    /** Transformed weights of Winograd F(m x m, 3 x 3), m = 2 or 4; see conv4j_winograd.h. */
    public static native void conv4j_winograd_transform_weights(@Const Problem prob, int m, @Const FloatPointer w,
            FloatPointer u);

    /** {@code y = conv(x, w) + bias} by Winograd F(m x m, 3 x 3) over transformed weights; see conv4j_winograd.h. */
    public static native int conv4j_winograd_forward(@Const Problem prob, int m, @Const FloatPointer x,
            @Const FloatPointer u, @Const FloatPointer bias, FloatPointer y, FloatPointer workspace);

    /** Entries in the library's table of codes and limits ({@code conv4j_abi_*} in conv4j.h). */
    /** Floats per vector of the kernels' body: 16 (AVX-512), 8 (AVX + FMA), 4 (baseline); see conv4j.h. */
    public static native int conv4j_vector_width();

    public static native int conv4j_abi_size();

    /** The C name of entry {@code i}, {@code 0 <= i < conv4j_abi_size()}, e.g. {@code CONV4J_BORDER_REFLECT}. */
    public static native @Cast("const char*") BytePointer conv4j_abi_name(int i);

    /** The value of entry {@code i}, {@code 0 <= i < conv4j_abi_size()}. */
    public static native long conv4j_abi_value(int i);

    /** Name of the OpenBLAS kernel in use, e.g. {@code Haswell} or {@code Cooperlake}. */
    public static native @Cast("char*") BytePointer openblas_get_corename();

    public static native int openblas_get_num_threads();

    public static native void openblas_set_num_threads(int threads);
}
