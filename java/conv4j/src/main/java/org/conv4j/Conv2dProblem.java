package org.conv4j;

/**
 * One 2D convolution problem, immutable and validated: the single owner of all shape arithmetic
 * (output size, reduction length, element counts, FLOPs, workspace, parameter count). Backends and
 * the native code receive these numbers and never re-derive them.
 *
 * <p>Layouts: input NCHW {@code [N,C,H,W]}; weights KCRS {@code [K, C/groups, R, S]}; bias {@code [K]};
 * output NCHW {@code [N,K,P,Q]} with
 * {@code P = floor((H + pt + pb - dh*(R-1) - 1) / sh) + 1} and likewise Q over W, pl, pr, dw, sw.
 * Padding order is top, left, bottom, right (ONNX's {@code pads} order for 2D); what the padding holds
 * is the {@link Border} (zeros by default).
 *
 * <p>{@code y[n][k][p][q] = act(bias[k] + sum_{c<C/G, r<R, s<S} w[k][c][r'][s'] * xpad[n][g*C/G + c][p*sh + r*dh][q*sw + s*dw] + (sum ? y_in : 0))}
 * with {@code g = k / (K/G)}; {@code r' = r, s' = s} for {@link Mode#CROSS_CORRELATION} and
 * {@code r' = R-1-r, s' = S-1-s} for {@link Mode#CONVOLUTION}; {@code act} and {@code sum} from the
 * {@link Epilogue}.
 *
 * <p>Its compact string form ({@link #toString()}, parsed back by {@link #parse(String)}; grammar in
 * {@link Descriptor}) is what test names, error messages and benchmark parameters show, e.g.
 * {@code n1c64h56w56k64r3s3sh1sw1pt1pl1pb1pr1dh1dw1g1b1}. The algorithm that runs it comes from the
 * registry ({@link Algorithm}), its bands and work items from its {@link Schedule}. Thread-safe (immutable).
 */
public final class Conv2dProblem {
    /**
     * Default upper bound of the im2col workspace of one band of output rows: 2 MiB, about the L2 cache
     * of one core (1-2 MiB on current x86), so the band OpenBLAS packs from is still cached. Measured with
     * benchmarks/ on resnet50-res2-3x3, vgg16-conv3, strided-3x3-s2 and the prep-* cases over
     * 256 KiB-16 MiB: 1-2 MiB best, 16 MiB 25-40 % slower on the prep-* cases.
     */
    public static final long DEFAULT_WORKSPACE_LIMIT_BYTES = 2L << 20;

    private final long n, c, h, w, k, r, s;
    private final long strideH, strideW, padTop, padLeft, padBottom, padRight, dilH, dilW, groups;
    private final boolean bias;
    private final Mode mode;
    private final Border border;
    private final Epilogue epilogue;
    private final AutoPad autoPad;
    private final Precision precision;
    private final long workspaceLimitBytes;
    private final long p, q;
    private final Algorithm forcedAlgorithm, algorithm;
    private final Schedule schedule;
    /** {@link #fallbackProblem()}, made on first use (a benign race: every thread makes an equal one). */
    private volatile Conv2dProblem fallback;

    private Conv2dProblem(Builder b) {
        n = b.n; c = b.c; h = b.h; w = b.w; k = b.k; r = b.r; s = b.s;
        strideH = b.strideH; strideW = b.strideW; dilH = b.dilH; dilW = b.dilW; groups = b.groups;
        bias = b.bias; mode = b.mode; border = b.border; epilogue = b.epilogue; autoPad = b.autoPad; precision = b.precision; workspaceLimitBytes = b.workspaceLimitBytes;
        validate(b);
        long[] ph;
        long[] pw;
        long spanH, spanW, paddedH, paddedW;
        try { // exact: an overflowing span or padded size would make every derived shape wrong
            ph = resolvePads(b.autoPad, h, r, strideH, dilH, b.padTop, b.padBottom);
            pw = resolvePads(b.autoPad, w, s, strideW, dilW, b.padLeft, b.padRight);
            spanH = Math.addExact(Math.multiplyExact(dilH, r - 1), 1);
            spanW = Math.addExact(Math.multiplyExact(dilW, s - 1), 1);
            paddedH = Math.addExact(Math.addExact(h, ph[0]), ph[1]);
            paddedW = Math.addExact(Math.addExact(w, pw[0]), pw[1]);
            // headroom for the backends' index arithmetic, which adds a stride to padded positions
            Math.addExact(paddedH, strideH);
            Math.addExact(paddedW, strideW);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(String.format("%s with stride %d,%d, padding %d,%d,%d,%d (%s) and"
                    + " dilation %d,%d: the padded input or the dilated kernel overflows 64-bit index arithmetic",
                    describe(), strideH, strideW, b.padTop, b.padLeft, b.padBottom, b.padRight, b.autoPad, dilH, dilW));
        }
        padTop = ph[0]; padBottom = ph[1]; padLeft = pw[0]; padRight = pw[1];
        if (spanH > paddedH || spanW > paddedW) {
            throw new IllegalArgumentException(String.format(
                    "kernel %dx%d with dilation %dx%d spans %dx%d, larger than the padded input %dx%d (%s)",
                    r, s, dilH, dilW, spanH, spanW, paddedH, paddedW, describe()));
        }
        p = (paddedH - spanH) / strideH + 1;
        q = (paddedW - spanW) / strideW + 1;
        checkCounts();
        forcedAlgorithm = b.algorithm;
        if (forcedAlgorithm != null && !forcedAlgorithm.applies(this)) {
            throw new IllegalArgumentException("algorithm " + forcedAlgorithm + " cannot run " + this
                    + "; these apply: " + java.util.Arrays.stream(Algorithm.values()).filter(a -> a.applies(this)).toList());
        }
        algorithm = forcedAlgorithm != null ? forcedAlgorithm : Algorithm.choose(this);
        schedule = new Schedule(this, algorithm);
    }

    private void validate(Builder b) {
        requirePositive("N", n); requirePositive("C", c); requirePositive("H", h); requirePositive("W", w);
        requirePositive("K", k); requirePositive("R", r); requirePositive("S", s);
        if (strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException("stride must be >= 1, got " + strideH + "," + strideW);
        }
        if (dilH < 1 || dilW < 1) {
            throw new IllegalArgumentException("dilation must be >= 1, got " + dilH + "," + dilW);
        }
        if (b.padTop < 0 || b.padLeft < 0 || b.padBottom < 0 || b.padRight < 0) {
            throw new IllegalArgumentException("padding (top,left,bottom,right) must be >= 0, got "
                    + b.padTop + "," + b.padLeft + "," + b.padBottom + "," + b.padRight);
        }
        if (b.autoPad != AutoPad.NOTSET && b.explicitPad) {
            throw new IllegalArgumentException("explicit padding and auto-padding " + b.autoPad
                    + " exclude each other; give one of them");
        }
        if (groups < 1) throw new IllegalArgumentException("groups must be >= 1, got " + groups);
        if (c % groups != 0 || k % groups != 0) {
            throw new IllegalArgumentException("groups " + groups + " must divide both input channels C="
                    + c + " and output channels K=" + k);
        }
        if (workspaceLimitBytes < 1) {
            throw new IllegalArgumentException("workspace limit must be >= 1 byte, got " + workspaceLimitBytes);
        }
        if (mode == null) throw new IllegalArgumentException("mode must not be null");
        if (border == null) throw new IllegalArgumentException("border must not be null");
        if (epilogue == null) throw new IllegalArgumentException("epilogue must not be null");
        if (autoPad == null) throw new IllegalArgumentException("autoPad must not be null");
        if (precision == null) throw new IllegalArgumentException("precision must not be null");
    }

    private static void requirePositive(String name, long v) {
        if (v < 1) throw new IllegalArgumentException("dimension " + name + " must be >= 1, got " + v);
    }

    /** {begin, end} padding of one axis. */
    private static long[] resolvePads(AutoPad ap, long in, long kernel, long stride, long dil,
                                      long begin, long end) {
        switch (ap) {
            case NOTSET: return new long[] {begin, end};
            case VALID: return new long[] {0, 0};
            default:
                long out = Math.addExact(in, stride - 1) / stride;
                long total = Math.max(0, Math.addExact(Math.addExact(Math.multiplyExact(out - 1, stride),
                        Math.multiplyExact(kernel - 1, dil)), 1 - in));
                long start = ap == AutoPad.SAME_UPPER ? total / 2 : (total + 1) / 2;
                return new long[] {start, total - start};
        }
    }

    /** Every element and byte count must fit in a long; checked once here with exact arithmetic. */
    private void checkCounts() {
        try {
            Math.multiplyExact(inputElements(), 4L);
            Math.multiplyExact(weightElements(), 4L);
            Math.multiplyExact(outputElements(), 4L);
            Math.multiplyExact(flops(), 1L);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("element counts of " + describe() + " overflow 64 bits");
        }
    }

    // ---- accessors -------------------------------------------------------------------------

    public long n() { return n; }
    public long c() { return c; }
    public long h() { return h; }
    public long w() { return w; }
    public long k() { return k; }
    public long r() { return r; }
    public long s() { return s; }
    public long strideH() { return strideH; }
    public long strideW() { return strideW; }
    public long padTop() { return padTop; }
    public long padLeft() { return padLeft; }
    public long padBottom() { return padBottom; }
    public long padRight() { return padRight; }
    public long dilationH() { return dilH; }
    public long dilationW() { return dilW; }
    public long groups() { return groups; }
    public boolean hasBias() { return bias; }
    public Mode mode() { return mode; }
    /** What is read outside the input (numpy.pad semantics); {@link Border#ZERO} by default. */
    public Border border() { return border; }
    /** What is applied to each output after bias: residual sum, activation. */
    public Epilogue epilogue() { return epilogue; }
    /** How the padding was given; {@link #padTop()} etc. always hold the resolved values. */
    public AutoPad autoPad() { return autoPad; }
    public long workspaceLimitBytes() { return workspaceLimitBytes; }
    /** Which algorithms this problem allows; {@link Precision#STRICT} by default. */
    public Precision precision() { return precision; }

    /** Output height {@code P = floor((H + pt + pb - dh*(R-1) - 1) / sh) + 1}. */
    public long p() { return p; }
    /** Output width {@code Q = floor((W + pl + pr - dw*(S-1) - 1) / sw) + 1}. */
    public long q() { return q; }
    public long cPerGroup() { return c / groups; }
    public long kPerGroup() { return k / groups; }
    /** Terms in each output's dot product: {@code (C/groups) * R * S}. */
    public long reduction() { return cPerGroup() * r * s; }

    public long[] inputShape() { return new long[] {n, c, h, w}; }
    public long[] weightShape() { return new long[] {k, cPerGroup(), r, s}; }
    public long[] biasShape() { return new long[] {k}; }
    public long[] outputShape() { return new long[] {n, k, p, q}; }
    public long inputElements() { return Math.multiplyExact(Math.multiplyExact(n, c), Math.multiplyExact(h, w)); }
    public long weightElements() { return Math.multiplyExact(Math.multiplyExact(k, cPerGroup()), Math.multiplyExact(r, s)); }
    public long outputElements() { return Math.multiplyExact(Math.multiplyExact(n, k), Math.multiplyExact(p, q)); }

    /** Multiply-adds counted as 2 FLOPs: {@code 2 * N*K*P*Q * (C/groups)*R*S} (bias not counted). */
    public long flops() { return Math.multiplyExact(2L * outputElements(), reduction()); }

    /** Learned parameters: {@code K*(C/groups)*R*S}, plus K with a bias. */
    public long parameterCount() { return weightElements() + (bias ? k : 0); }

    /**
     * The algorithm backends run: the one forced with {@link Builder#algorithm(Algorithm)}, else the first
     * of the registry ({@link Algorithm#values()}, in order) that applies.
     */
    public Algorithm algorithm() { return algorithm; }

    /** Whether {@code candidate} can run this problem ({@link Algorithm#applies}). */
    public boolean applies(Algorithm candidate) { return candidate.applies(this); }

    /** The algorithm given with {@link Builder#algorithm(Algorithm)}, or null when the registry chooses it. */
    public Algorithm forcedAlgorithm() { return forcedAlgorithm; }

    /**
     * This problem with {@code algorithm} forced (padding as resolved, so {@link #autoPad()} becomes
     * {@link AutoPad#NOTSET}); {@link IllegalArgumentException} when it does not apply.
     */
    public Conv2dProblem withAlgorithm(Algorithm algorithm) {
        return builder().input(n, c, h, w).filters(k, r, s).stride(strideH, strideW)
                .pad(padTop, padLeft, padBottom, padRight).dilation(dilH, dilW).groups(groups).bias(bias)
                .mode(mode).border(border).epilogue(epilogue).workspaceLimitBytes(workspaceLimitBytes)
                .algorithm(algorithm).build();
    }

    /**
     * This problem forced to what runs in place of {@link #algorithm()} when it cannot run the weights
     * ({@link Algorithm#fallback}, e.g. {@link Algorithm#SEPARABLE} with weights of which no filter
     * factors); made once per problem (a plan per call must not build it again).
     */
    public Conv2dProblem fallbackProblem() {
        Conv2dProblem f = fallback;
        if (f == null) fallback = f = withAlgorithm(algorithm.fallback(this));
        return f;
    }

    /** How {@link #algorithm()} cuts the work into bands and work items. */
    public Schedule schedule() { return schedule; }

    /** Output rows per band ({@link Schedule#tileRows()}). */
    public long tileRows() { return schedule.tileRows(); }

    /** Floats of workspace of one native thread ({@link Schedule#workspaceElements()}): im2col's band, else 0. */
    public long workspaceElements() { return schedule.workspaceElements(); }

    public long workspaceBytes() { return workspaceElements() * 4; }

    /**
     * The workspace of {@code workers} threads that each own one band's workspace:
     * {@code workers * }{@link #workspaceElements()} floats; {@link IllegalArgumentException} past 64 bits.
     */
    public long workspaceElements(int workers) {
        try {
            return Math.multiplyExact(workspaceElements(), (long) workers);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("the im2col workspaces of " + workers + " threads for " + this
                    + " overflow 64 bits");
        }
    }

    /** Units of work the native backend spreads over threads ({@link Schedule#workItems()}). */
    public long workItems() { return schedule.workItems(); }

    // ---- string form ---------------------------------------------------------------------

    private String describe() {
        return Descriptor.shape(this);
    }

    /**
     * The compact descriptor ({@link Descriptor}), e.g. {@code n1c3h5w5k2r3s3sh1sw1pt0pl0pb0pr0dh1dw1g1b1},
     * followed by {@code _conv} (convolution mode), the border when not zero ({@code _reflect}, ...), the
     * epilogue ({@code _sum}, {@code _relu}, {@code _clamp0:6}) and a forced algorithm ({@code _alg-im2col-gemm}).
     */
    @Override
    public String toString() {
        return Descriptor.format(this);
    }

    /**
     * Parses the compact form ({@link Descriptor}). Missing fields take the builder defaults (stride 1,
     * pad 0, dilation 1, groups 1, no bias); suffixes as {@link #toString()} writes them.
     */
    public static Conv2dProblem parse(String text) {
        return Descriptor.parse(text);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Conv2dProblem && toString().equals(o.toString())
                && workspaceLimitBytes == ((Conv2dProblem) o).workspaceLimitBytes;
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with the defaults of ONNX Conv: stride 1, no padding, dilation 1, groups 1, no bias. */
    public static final class Builder {
        private long n = -1, c = -1, h = -1, w = -1, k = -1, r = -1, s = -1;
        private long strideH = 1, strideW = 1, padTop, padLeft, padBottom, padRight, dilH = 1, dilW = 1;
        private long groups = 1;
        private boolean bias, explicitPad;
        private Mode mode = Mode.CROSS_CORRELATION;
        private Border border = Border.ZERO;
        private Epilogue epilogue = Epilogue.NONE;
        private Algorithm algorithm;
        private AutoPad autoPad = AutoPad.NOTSET;
        private Precision precision = Precision.STRICT;
        private long workspaceLimitBytes = DEFAULT_WORKSPACE_LIMIT_BYTES;

        private Builder() {
        }

        /** Input shape NCHW. */
        public Builder input(long n, long c, long h, long w) {
            this.n = n; this.c = c; this.h = h; this.w = w;
            return this;
        }

        /** K filters of R x S (each spans C/groups channels). */
        public Builder filters(long k, long r, long s) {
            this.k = k; this.r = r; this.s = s;
            return this;
        }

        public Builder stride(long sh, long sw) {
            strideH = sh; strideW = sw;
            return this;
        }

        /** Explicit zero padding in the order top, left, bottom, right. */
        public Builder pad(long top, long left, long bottom, long right) {
            padTop = top; padLeft = left; padBottom = bottom; padRight = right;
            explicitPad = true;
            return this;
        }

        public Builder autoPad(AutoPad autoPad) {
            this.autoPad = autoPad;
            return this;
        }

        public Builder dilation(long dh, long dw) {
            dilH = dh; dilW = dw;
            return this;
        }

        public Builder groups(long groups) {
            this.groups = groups;
            return this;
        }

        public Builder bias(boolean bias) {
            this.bias = bias;
            return this;
        }

        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /** What is read outside the input; see {@link Border}. */
        public Builder border(Border border) {
            this.border = border;
            return this;
        }

        /**
         * Forces the algorithm (default null: the registry chooses, see {@link Conv2dProblem#algorithm()});
         * for benchmarks and tests. {@link Algorithm#IM2COL_GEMM} runs every problem; an algorithm that
         * cannot run the problem is rejected by {@link #build()}.
         */
        public Builder algorithm(Algorithm algorithm) {
            this.algorithm = algorithm;
            return this;
        }

        /** Residual sum and activation after the bias; see {@link Epilogue}. */
        public Builder epilogue(Epilogue epilogue) {
            this.epilogue = epilogue;
            return this;
        }

        /**
         * {@link Precision#STRICT} (the default) or {@link Precision#FAST}, which also allows algorithms
         * with a larger but still rigorous error bound (see {@link Precision}).
         */
        public Builder precision(Precision precision) {
            this.precision = precision;
            return this;
        }

        /** Upper bound of the im2col workspace (one band of output rows is always allowed). */
        public Builder workspaceLimitBytes(long bytes) {
            workspaceLimitBytes = bytes;
            return this;
        }

        /** Validates and derives every shape; throws {@link IllegalArgumentException} naming the bad values. */
        public Conv2dProblem build() {
            return new Conv2dProblem(this);
        }
    }
}
