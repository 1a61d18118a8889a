package org.conv4j;

/**
 * ONNX auto-padding. For SAME_*: {@code out = ceil(in / stride)} and
 * {@code total = max(0, (out - 1) * stride + (k - 1) * dilation + 1 - in)};
 * SAME_UPPER puts {@code floor(total / 2)} at the start (the odd extra pad at the end),
 * SAME_LOWER puts {@code ceil(total / 2)} at the start. Thread-safe (an enum).
 */
public enum AutoPad {
    /** Padding is given explicitly (top, left, bottom, right). */
    NOTSET,
    /** No padding. */
    VALID,
    SAME_UPPER,
    SAME_LOWER
}
