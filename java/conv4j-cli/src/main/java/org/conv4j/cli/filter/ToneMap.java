package org.conv4j.cli.filter;

/**
 * The rule that maps a filter's float output back to 8-bit pixels. Inputs are pixel values 0..255 as
 * floats (integers, so integer kernels give exact sums), and a kernel's rule follows from its weights:
 *
 * <ul>
 *   <li>{@link #CLAMP}, for kernels whose weights sum to about 1 or more generally not to 0 (identity,
 *       blurs, sharpen, emboss): {@code byte = clamp(round(y), 0, 255)}, rounding half up.</li>
 *   <li>{@link #ABS_NORMALIZE}, for kernels whose weights sum to 0 (edge and derivative kernels: sobel,
 *       laplacian), whose outputs are signed with no fixed range:
 *       {@code byte = round(255 * |y| / max|y|)}, the maximum taken over every channel of that image's
 *       output for that kernel (an all-zero output stays 0).</li>
 * </ul>
 * NaN maps to 0 in both rules. Thread-safe (stateless).
 */
public enum ToneMap {
    CLAMP,
    ABS_NORMALIZE;

    /** Weights summing to 0 within float rounding (relative to their magnitude) are edge kernels. */
    public static ToneMap forWeights(float[] weights) {
        double sum = 0, mag = 0;
        for (float w : weights) {
            sum += w;
            mag += Math.abs(w);
        }
        return Math.abs(sum) <= 1e-6 * mag ? ABS_NORMALIZE : CLAMP;
    }

    /** Maps {@code count} values of {@code y} from {@code from} into {@code out} from {@code outFrom}. */
    public void toBytes(float[] y, int from, int count, byte[] out, int outFrom) {
        if (this == CLAMP) {
            for (int i = 0; i < count; i++) out[outFrom + i] = (byte) clamp(y[from + i]);
            return;
        }
        float max = 0;
        for (int i = 0; i < count; i++) {
            float a = Math.abs(y[from + i]);
            if (a > max) max = a; // NaN never compares greater
        }
        double scale = max > 0 && Float.isFinite(max) ? 255.0 / max : 0;
        for (int i = 0; i < count; i++) {
            float a = Math.abs(y[from + i]);
            out[outFrom + i] = (byte) (Float.isNaN(a) ? 0 : Math.min(255, Math.round(a * scale)));
        }
    }

    private static int clamp(float v) {
        if (Float.isNaN(v)) return 0;
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
