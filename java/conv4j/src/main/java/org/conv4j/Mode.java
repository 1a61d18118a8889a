package org.conv4j;

/** Which of the two classic definitions of 2D convolution a problem computes. Thread-safe (an enum). */
public enum Mode {
    /**
     * {@code y[p][q] = sum w[r][s] * x[p*sh - pt + r*dh][q*sw - pl + s*dw]}: what PyTorch, ONNX and
     * every CNN framework call convolution. The default.
     */
    CROSS_CORRELATION,
    /**
     * The signal-processing definition (scipy.signal.convolve2d): cross-correlation with the kernel
     * rotated 180 degrees, {@code w[R-1-r][S-1-s]} in place of {@code w[r][s]}.
     */
    CONVOLUTION
}
