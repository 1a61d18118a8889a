package org.conv4j.image;

import java.util.Arrays;

/**
 * One named 2D filter kernel, {@code rows x cols} weights in row-major order, with the rule that maps
 * its output back to 8-bit pixels ({@link ToneMap#forWeights}). Its name names the output files of a filter
 * run ({@code <image>-<name>.png}).
 */
public record Kernel(String name, int rows, int cols, float[] weights, ToneMap toneMap) implements java.io.Serializable {
    public Kernel {
        if (rows < 1 || cols < 1 || weights.length != rows * cols) {
            throw new IllegalArgumentException("kernel " + name + ": " + weights.length + " weights for "
                    + rows + "x" + cols);
        }
        weights = weights.clone();
    }

    /** A kernel with the tone map its weights call for. */
    public static Kernel of(String name, int rows, int cols, float... weights) {
        return new Kernel(name, rows, cols, weights, ToneMap.forWeights(weights));
    }

    @Override
    public float[] weights() {
        return weights.clone();
    }

    /** Same name, size, weights (compared as arrays) and tone map. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Kernel k && name.equals(k.name) && rows == k.rows && cols == k.cols
                && Arrays.equals(weights, k.weights) && toneMap == k.toneMap;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        return name + " " + rows + "x" + cols + " " + Arrays.toString(weights);
    }
}
