package org.conv4j.image;

import java.nio.FloatBuffer;

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
 * NaN maps to 0 in both rules (to 128 in {@link #SIGNED_OFFSET}). Thread-safe (stateless).
 */
public enum ToneMap {
    CLAMP,
    ABS_NORMALIZE,
    /**
     * For signed outputs whose sign matters (a derivative's direction): {@code byte = clamp(128 +
     * round(127 * y / max|y|), 1, 255)}, zero at mid-gray 128, the maximum as for {@link #ABS_NORMALIZE}.
     * Never chosen by {@link #forWeights}.
     */
    SIGNED_OFFSET;

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
        toBytes(FloatBuffer.wrap(y), new int[] {from}, count, out, outFrom);
    }

    /**
     * Maps {@code from.length} ranges of {@code count} values of {@code y} (read by absolute index from
     * each {@code from[j]}) into {@code out} from {@code outFrom}, range after range; the maximum of
     * {@link #ABS_NORMALIZE} is taken over all of them. Reads through a small chunk, so the values are
     * never copied whole (a 1080p RGB output is 25 MB of floats).
     */
    public void toBytes(FloatBuffer y, int[] from, int count, byte[] out, int outFrom) {
        float[] chunk = new float[Math.min(count, CHUNK)];
        double scale = 0;
        if (this != CLAMP) {
            float max = 0;
            for (int f : from) {
                for (int i = 0; i < count; i += CHUNK) {
                    int n = Math.min(CHUNK, count - i);
                    y.get(f + i, chunk, 0, n);
                    for (int j = 0; j < n; j++) {
                        float a = Math.abs(chunk[j]);
                        if (a > max) max = a; // NaN never compares greater
                    }
                }
            }
            scale = max > 0 && Float.isFinite(max) ? (this == ABS_NORMALIZE ? 255.0 : 127.0) / max : 0;
        }
        int o = outFrom;
        for (int f : from) {
            for (int i = 0; i < count; i += CHUNK) {
                int n = Math.min(CHUNK, count - i);
                y.get(f + i, chunk, 0, n);
                if (this == CLAMP) {
                    for (int j = 0; j < n; j++) out[o + j] = (byte) clamp(chunk[j]);
                } else if (this == SIGNED_OFFSET) {
                    for (int j = 0; j < n; j++) out[o + j] = (byte) Math.max(1, Math.min(255, 128 + Math.round(chunk[j] * scale)));
                } else {
                    // NaN (and Inf * 0) round to 0, as Math.round does
                    for (int j = 0; j < n; j++) out[o + j] = (byte) Math.min(255, Math.round(Math.abs(chunk[j]) * scale));
                }
                o += n;
            }
        }
    }

    /** Floats read from the output per step: small enough to stay in the L1 cache. */
    private static final int CHUNK = 2048;

    /** {@code clamp(round(v), 0, 255)}, NaN to 0 (Math.round(NaN) is 0). */
    private static int clamp(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }
}
