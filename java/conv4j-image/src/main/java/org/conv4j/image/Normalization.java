package org.conv4j.image;

import java.util.Arrays;

/**
 * The per-channel affine map an inference model expects of its input pixels, fused into the conversion
 * of {@link ImageTensors}: {@code y = (x * scale - mean[c]) / std[c]} for an 8-bit sample {@code x} of
 * channel {@code c}, evaluated in float exactly as written (so results equal that expression in Java,
 * bit for bit). Channel order is the tensor's: R, G, B (or the single gray channel; a fourth entry
 * applies to alpha when it is packed).
 *
 * @param scale applied to the raw sample first, e.g. {@code 1/255f}; finite
 * @param mean  per channel, one entry (used for every channel) or one per channel; finite
 * @param std   per channel, same count rule as {@code mean}; finite and non-zero
 */
public record Normalization(float scale, float[] mean, float[] std) {
    /** The raw sample values 0..255 as floats: what the {@code filter} command convolves. */
    public static final Normalization NONE = new Normalization(1f, new float[] {0f}, new float[] {1f});
    /** Samples scaled to [0, 1]: {@code x / 255}, as torchvision's {@code ToTensor}. */
    public static final Normalization UNIT = new Normalization(1f / 255, new float[] {0f}, new float[] {1f});
    /**
     * torchvision's ImageNet normalisation (R, G, B): scale 1/255, mean (0.485, 0.456, 0.406),
     * std (0.229, 0.224, 0.225).
     */
    public static final Normalization IMAGENET = new Normalization(1f / 255,
            new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    public Normalization {
        if (!Float.isFinite(scale)) throw new IllegalArgumentException("normalization scale must be finite, got " + scale);
        if (mean == null || std == null || mean.length == 0 || std.length == 0) {
            throw new IllegalArgumentException("normalization mean and std need at least one entry, got mean "
                    + Arrays.toString(mean) + ", std " + Arrays.toString(std));
        }
        for (float m : mean) {
            if (!Float.isFinite(m)) throw new IllegalArgumentException("normalization mean must be finite, got " + Arrays.toString(mean));
        }
        for (float s : std) {
            if (!Float.isFinite(s) || s == 0) {
                throw new IllegalArgumentException("normalization std must be finite and non-zero, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** {@code y = (x * scale - mean) / std} for every channel. */
    public static Normalization of(float scale, float mean, float std) {
        return new Normalization(scale, new float[] {mean}, new float[] {std});
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /**
     * The 256 outputs of channel {@code c} for samples 0..255: the conversion is a table lookup. A
     * normalisation with one mean/std entry applies it to every channel; with several, {@code c} must
     * have one, else an {@link IllegalArgumentException} names the counts.
     */
    public float[] table(int c) {
        float m = entry(mean, c, "mean"), s = entry(std, c, "std");
        float[] t = new float[256];
        for (int x = 0; x < 256; x++) t[x] = (x * scale - m) / s;
        return t;
    }

    /** {@code (x * scale - mean[c]) / std[c]} for one (possibly non-integer) sample value. */
    public float apply(float x, int c) {
        return (x * scale - entry(mean, c, "mean")) / entry(std, c, "std");
    }

    /** Checks that this normalisation covers {@code channels} channels. */
    void requireChannels(int channels) {
        entry(mean, channels - 1, "mean");
        entry(std, channels - 1, "std");
    }

    private static float entry(float[] v, int c, String what) {
        if (v.length == 1) return v[0];
        if (c >= v.length) {
            throw new IllegalArgumentException("normalization " + what + " has " + v.length + " entries "
                    + Arrays.toString(v) + " but channel " + c + " is packed; give one entry or one per channel");
        }
        return v[c];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Float.compare(scale, n.scale) == 0 && Arrays.equals(mean, n.mean)
                && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Float.hashCode(scale) + Arrays.hashCode(mean)) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization[scale=" + scale + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
