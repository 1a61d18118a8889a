package org.conv4j;

/**
 * The registry of convolution algorithms, in the order they are tried: like oneDNN's implementation list
 * ({@code src/cpu/cpu_convolution_list.cpp}), the first constant whose {@link #applies(Conv2dProblem)} holds
 * runs a problem, unless {@link Conv2dProblem.Builder#algorithm(Algorithm)} forces one.
 * {@link #IM2COL_GEMM}, last, applies to every problem.
 *
 * <p>Each algorithm declares what the backends and the checks need to know about it: which problems it
 * runs, the workspace each thread of a native plan owns ({@link #workspaceElements(Conv2dProblem, Schedule)}),
 * the error bound its results are judged by ({@link #errorBound(Conv2dProblem, double)}, used by
 * {@link Fidelity} and {@link CheckedBackend}), its code in the native library ({@link #nativeCode()},
 * {@code enum conv4j_path} of {@code native/include/conv4j.h}, checked when the library loads) and the
 * algorithm the pure-Java backend runs for it ({@link #javaImplementation()}).
 *
 * <p>Tests iterate {@link #values()}, so an algorithm added here is run by every border, epilogue,
 * special-value, hostile-parameter and ONNX conformance test wherever it applies. Thread-safe (constants).
 */
public enum Algorithm {
    /**
     * Filters of one input channel ({@code C/groups = 1}: image filter banks, depthwise layers) of R x S with
     * {@code R + S < R*S} (R, S >= 2, not 2x2), {@code R <=} {@link Separable#MAX_ROWS}: each filter that is
     * rank 1 within its rounding ({@link Separable}) runs as a vertical pass of R taps then a horizontal pass
     * of S taps, filters of a group with the same vertical factor sharing the first pass; the others run
     * {@link #DEPTHWISE}'s loop nest. When no filter of the weights factors, the whole problem runs
     * {@link #fallback(Conv2dProblem)}. Its own bound, {@code gamma(R + S + sigma + inexact)}
     * ({@link Separable#errorBound}), lies within the classical one, which is what it is judged by (it also
     * covers its dense filters). Needs {@code K/groups} padded rows of workspace per thread, within the
     * workspace limit.
     */
    SEPARABLE(4) {
        @Override
        public boolean applies(Conv2dProblem p) {
            return p.cPerGroup() == 1 && p.r() >= 2 && p.s() >= 2 && p.r() + p.s() < p.r() * p.s()
                    && p.r() <= Separable.MAX_ROWS
                    && paddedRow(p) <= Math.min(p.workspaceLimitBytes() / 4, Integer.MAX_VALUE - 8) / p.kPerGroup();
        }

        @Override
        public long workspaceElements(Conv2dProblem p, Schedule schedule) {
            return p.kPerGroup() * paddedRow(p);
        }
    },
    /** One input channel per output channel (C/groups = 1, groups > 1): direct loop nest, no GEMM. */
    DEPTHWISE(2) {
        @Override
        public boolean applies(Conv2dProblem p) {
            return p.cPerGroup() == 1 && p.groups() > 1;
        }
    },
    /** 1x1 kernel, stride 1, no padding: the input already is the column matrix of one GEMM per band. */
    DIRECT_GEMM(1) {
        @Override
        public boolean applies(Conv2dProblem p) {
            return p.r() == 1 && p.s() == 1 && p.strideH() == 1 && p.strideW() == 1
                    && p.padTop() == 0 && p.padLeft() == 0 && p.padBottom() == 0 && p.padRight() == 0;
        }
    },
    /**
     * Small reductions ({@code (C/groups)*R*S <=} {@link #DIRECT_SMALL_MAX_REDUCTION}, {@code K/groups <=}
     * {@link #DIRECT_SMALL_MAX_FILTERS}, stride 1 along the width), e.g. 3-channel images: a direct loop
     * nest over output rows, vectorised along output columns; the GEMM would have M = K/groups and
     * K = (C/groups)*R*S too small for sgemm's speed. The Java backend runs it as {@link #IM2COL_GEMM}.
     */
    DIRECT_SMALL_REDUCTION(3) {
        @Override
        public boolean applies(Conv2dProblem p) {
            return p.reduction() <= DIRECT_SMALL_MAX_REDUCTION && p.kPerGroup() <= DIRECT_SMALL_MAX_FILTERS
                    && p.strideW() == 1;
        }

        @Override
        public Algorithm javaImplementation() {
            return IM2COL_GEMM;
        }
    },
    /**
     * Winograd F(2x2, 3x3) ({@link Winograd#F2}): 3x3, stride 1, dilation 1 under {@link Precision#FAST}, judged by
     * its own bound ({@link Winograd#bound}). Chosen by the registry where {@link Winograd#choose} picks it.
     */
    WINOGRAD_F2(5, Winograd.F2) {
        @Override
        public boolean applies(Conv2dProblem p) {
            return Winograd.applies(p);
        }
    },
    /** Winograd F(4x4, 3x3) ({@link Winograd#F4}), as {@link #WINOGRAD_F2}. */
    WINOGRAD_F4(6, Winograd.F4) {
        @Override
        public boolean applies(Conv2dProblem p) {
            return Winograd.applies(p);
        }
    },
    /** im2col of a band of output rows into the thread's workspace, then one GEMM per band and group. */
    IM2COL_GEMM(0) {
        @Override
        public boolean applies(Conv2dProblem p) {
            return true;
        }

        @Override
        public long workspaceElements(Conv2dProblem p, Schedule schedule) {
            return p.reduction() * schedule.tileRows() * p.q();
        }
    };

    /** Largest {@code (C/groups)*R*S} of {@link #DIRECT_SMALL_REDUCTION} (native: CONV4J_DIRECT_SMALL_MAX_REDUCTION). */
    public static final long DIRECT_SMALL_MAX_REDUCTION = 80;
    /**
     * Largest {@code K/groups} of {@link #DIRECT_SMALL_REDUCTION}: beyond it the direct loop re-reads
     * its input rows once per 4 filters and im2col + sgemm, whose M grows, overtakes it.
     */
    public static final long DIRECT_SMALL_MAX_FILTERS = 32;

    private final int nativeCode;
    private final Winograd winograd;

    Algorithm(int nativeCode) {
        this(nativeCode, null);
    }

    Algorithm(int nativeCode, Winograd winograd) {
        this.nativeCode = nativeCode;
        this.winograd = winograd;
    }

    /** Whether this algorithm can run {@code problem} (its geometry, border and epilogue). */
    public abstract boolean applies(Conv2dProblem problem);

    /**
     * Floats of workspace each participant of a native plan owns while it runs one work item of
     * {@code schedule}; 0 (the default) when the algorithm writes straight into the output.
     */
    public long workspaceElements(Conv2dProblem problem, Schedule schedule) {
        return 0;
    }

    /**
     * The bound on {@code |y' - y|} that one output {@code y'} of this algorithm must meet, for an output
     * whose exact value {@code y} has {@code absSum = sum |x*w| + |bias| (+ |y_in|)}. The default is
     * {@link Fidelity#classicalBound(Conv2dProblem, double)}, the bound of any summation order of the dot
     * product; an algorithm that transforms the data (fewer multiplications, other rounding) overrides it
     * with its own derived bound.
     */
    public double errorBound(Conv2dProblem problem, double absSum) {
        return Fidelity.classicalBound(problem, absSum);
    }

    /**
     * Whether the registry runs this algorithm on {@code problem} when nothing is forced; only asked where it
     * {@link #applies}. True, except for the Winograd variants: the one {@link Winograd#choose} picks (a measured
     * rule), and none where it picks none.
     */
    public boolean chosenFor(Conv2dProblem problem) {
        return winograd() == null || winograd() == Winograd.choose(problem);
    }

    /**
     * The Winograd variant this algorithm is, whose data-dependent bound ({@link Winograd#bound}) replaces
     * {@link #errorBound(Conv2dProblem, double)} in {@link Fidelity} and {@link CheckedBackend}; null for the others.
     */
    public Winograd winograd() {
        return winograd;
    }

    /** Its code in {@code enum conv4j_path} ({@code native/include/conv4j.h}, named {@code CONV4J_PATH_} + name). */
    public int nativeCode() {
        return nativeCode;
    }

    /** The algorithm the pure-Java backend runs for this one: itself, unless it has no Java body of its own. */
    public Algorithm javaImplementation() {
        return this;
    }

    /**
     * Floats of one padded row of {@link #SEPARABLE}'s vertical pass: the columns the horizontal pass reads,
     * {@code (Q-1)*sw + (S-1)*dw + 1}, and at least {@code pl + W} (the input's columns at their padded place).
     */
    static long paddedRow(Conv2dProblem p) {
        long read = (p.q() - 1) * p.strideW() + (p.s() - 1) * p.dilationW() + 1;
        return Math.max(read, p.padLeft() + p.w());
    }

    /** The first algorithm after this one in the registry that applies to {@code problem} (what runs in its place). */
    public Algorithm fallback(Conv2dProblem problem) {
        Algorithm[] all = values();
        for (int i = ordinal() + 1; i < all.length; i++) {
            if (all[i].applies(problem)) return all[i];
        }
        throw new IllegalStateException(this + " is last and has no fallback");
    }

    /** The first algorithm of the registry that applies to {@code problem} and is {@link #chosenFor} it. */
    public static Algorithm choose(Conv2dProblem problem) {
        for (Algorithm a : values()) {
            if (a.applies(problem) && a.chosenFor(problem)) return a;
        }
        throw new AssertionError("IM2COL_GEMM applies to every problem");
    }

    /** The descriptor token of this algorithm: its name in lower case with dashes, e.g. {@code im2col-gemm}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The algorithm whose {@link #label()} is {@code label}; {@link IllegalArgumentException} naming the known ones. */
    public static Algorithm ofLabel(String label) {
        for (Algorithm a : values()) {
            if (a.label().equals(label)) return a;
        }
        StringBuilder known = new StringBuilder();
        for (Algorithm a : values()) known.append(known.length() == 0 ? "" : ", ").append(a.label());
        throw new IllegalArgumentException("unknown algorithm '" + label + "'; known: " + known);
    }
}
