package org.conv4j.spark;

import java.io.Serializable;

/**
 * The column names {@link SparkConv2d} reads and appends. Inputs: {@code input} (the NCHW tensor,
 * {@code array<float>} or binary), {@code shape} ({@code array<int>} or {@code array<bigint>} of 4
 * entries N, C, H, W; null = no shape column, the length alone is checked) and {@code residual} (the
 * tensor a summing epilogue adds, in the output's shape and the input's format; null unless the
 * problem's epilogue sums). Appended: {@code output} (same format as the input), {@code outputShape}
 * ({@code array<int>} N, K, P, Q) and {@code error} (null on success, else why the row failed).
 */
public record TensorColumns(String input, String shape, String residual, String output, String outputShape,
                            String error) implements Serializable {
    /** {@code tensor, shape, -, output, output_shape, error}. */
    public static final TensorColumns DEFAULT =
            new TensorColumns("tensor", "shape", null, "output", "output_shape", "error");

    public TensorColumns {
        for (String[] c : new String[][] {{"input", input}, {"output", output}, {"outputShape", outputShape},
                {"error", error}}) {
            if (c[1] == null || c[1].isBlank()) {
                throw new IllegalArgumentException(c[0] + " column name must not be empty, got " + c[1]);
            }
        }
    }

    public TensorColumns withInput(String name) {
        return new TensorColumns(name, shape, residual, output, outputShape, error);
    }

    /** {@code null}: rows carry no shape column. */
    public TensorColumns withShape(String name) {
        return new TensorColumns(input, name, residual, output, outputShape, error);
    }

    public TensorColumns withResidual(String name) {
        return new TensorColumns(input, shape, name, output, outputShape, error);
    }

    public TensorColumns withOutput(String name, String shapeName) {
        return new TensorColumns(input, shape, residual, name, shapeName, error);
    }

    public TensorColumns withError(String name) {
        return new TensorColumns(input, shape, residual, output, outputShape, name);
    }
}
