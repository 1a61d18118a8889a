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
            if (!(p.cPerGroup() == 1 && p.r() >= 2 && p.s() >= 2 && p.r() + p.s() < p.r() * p.s()
                    && p.r() <= Separable.MAX_ROWS)) {
                return false;
            }
            return paddedRow(p) <= Math.min(p.workspaceLimitBytes() / 4, Integer.MAX_VALUE - 8) / p.kPerGroup()
                    && depthwiseWorkspace(p) <= Tensor.MAX_ELEMENTS;
        }

        /**
         * The dense filters' ring ({@link #depthwiseWorkspace}: always allowed, as on {@link #DEPTHWISE}), then one
         * padded row per filter of the group (within the limit).
         */
        @Override
        public long workspaceElements(Conv2dProblem p, Schedule schedule) {
            return depthwiseWorkspace(p) + p.kPerGroup() * paddedRow(p);
        }
    },
    /**
     * One input channel per output channel (C/groups = 1, groups > 1): direct loop nest over a ring of padded input
     * rows ({@link #depthwiseWorkspace}), no GEMM; 3x3 filters at stride 1 share each load over 4 output rows.
     * The ring is this algorithm's least workspace, as one band of output rows is im2col's: the workspace limit
     * always allows it.
     */
    DEPTHWISE(2) {
        @Override
        public boolean applies(Conv2dProblem p) {
            return p.cPerGroup() == 1 && p.groups() > 1 && depthwiseWorkspace(p) <= Tensor.MAX_ELEMENTS;
        }

        @Override
        public long workspaceElements(Conv2dProblem p, Schedule schedule) {
            return depthwiseWorkspace(p);
        }
    },
    /**
     * 1x1 kernel, stride 1, no padding: the input already is the column matrix of one GEMM per band. Chosen where
     * {@link #DIRECT_BLOCKED} (which reads such an input where it lies) is not.
     */
    DIRECT_GEMM(1) {
        @Override
        public boolean applies(Conv2dProblem p) {
            return inputIsColumnMatrix(p);
        }

        @Override
        public boolean chosenFor(Conv2dProblem p) {
            return !(DIRECT_BLOCKED.applies(p) && DIRECT_BLOCKED.chosenFor(p));
        }
    },
    /**
     * Small reductions ({@code (C/groups)*R*S <=} {@link #DIRECT_SMALL_MAX_REDUCTION}, {@code K/groups <=}
     * {@link #DIRECT_SMALL_MAX_FILTERS}, stride 1 along the width), e.g. gray images with a few filters: a direct loop
     * nest over output rows, vectorised along output columns; the GEMM would have M = K/groups and
     * K = (C/groups)*R*S too small for sgemm's speed. The Java backend runs it as {@link #IM2COL_GEMM}.
     */
    DIRECT_SMALL_REDUCTION(3) {
        @Override
        public boolean applies(Conv2dProblem p) {
            return p.reduction() <= DIRECT_SMALL_MAX_REDUCTION && p.kPerGroup() <= DIRECT_SMALL_MAX_FILTERS
                    && p.strideW() == 1;
        }

        /**
         * Where {@link #DIRECT_BLOCKED} is not chosen (fewer than 8 filters per group, or a reduction below 16):
         * on prep-batch32-5x5 (C = 3, K = 16, 5x5) the blocked kernel ran 2.3x faster (Zen 5, 1 thread, a C++
         * driver over both native paths; in ./conv4j bench, 27.6 ms against 61.7 the run before,
         * benchmarks/results/direct-blocked.md).
         */
        @Override
        public boolean chosenFor(Conv2dProblem p) {
            return !(DIRECT_BLOCKED.applies(p) && DIRECT_BLOCKED.chosenFor(p));
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
    /**
     * Register-blocked direct convolution without im2col ({@code native/src/direct_blocked.h}): per band of output
     * rows, the input window is copied once into at most {@code sh*sw} phase planes per channel (the border resolved
     * there), every tap (r, s) is then a shift of one flat index over them, and a micro-kernel keeps
     * {@link #DIRECT_BLOCKED_K_BLOCK} output channels x up to 48 outputs in vector registers over the whole
     * reduction, reading the filters packed once per constant-weight plan (per band otherwise). Runs any stride,
     * dilation, padding, border and groups with {@code R*S <=} {@link #DIRECT_BLOCKED_MAX_TAPS} whose workspace
     * for bands of one row fits the limit or needs no more than im2col's band of one row; chosen where {@code K/groups >=} {@link #DIRECT_BLOCKED_K_BLOCK} and {@code (C/groups)*R*S >=}
     * {@link #DIRECT_BLOCKED_MIN_REDUCTION}. One multiply-add per term (fused where the vector body has FMA), in the order c, r, s: judged by
     * the classical bound like any order of the sum. The Java backend runs it as {@link #IM2COL_GEMM}.
     */
    DIRECT_BLOCKED(7) {
        @Override
        public boolean applies(Conv2dProblem p) {
            if (p.r() * p.s() > DIRECT_BLOCKED_MAX_TAPS) return false;
            try {  // bands of one row within the limit, or needing no more than im2col's band of one row
                return directBlockedWorkspace(p, 1) <= Math.max(p.workspaceLimitBytes() / 4, Math.multiplyExact(p.reduction(), p.q()));
            } catch (ArithmeticException e) {
                return false;
            }
        }

        /** Where it is faster than im2col + sgemm: at least one full filter block, and a reduction worth the copy. */
        @Override
        public boolean chosenFor(Conv2dProblem p) {
            return p.kPerGroup() >= DIRECT_BLOCKED_K_BLOCK && p.reduction() >= DIRECT_BLOCKED_MIN_REDUCTION;
        }

        @Override
        public long workspaceElements(Conv2dProblem p, Schedule schedule) {
            return directBlockedWorkspace(p, schedule.tileRows());
        }

        @Override
        public Algorithm javaImplementation() {
            return IM2COL_GEMM;
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

    /** Output channels of one packed filter block of {@link #DIRECT_BLOCKED} (native: CONV4J_DIRECT_BLOCKED_K_BLOCK). */
    public static final long DIRECT_BLOCKED_K_BLOCK = 8;
    /** Largest {@code R*S} of {@link #DIRECT_BLOCKED} (native: CONV4J_DIRECT_BLOCKED_MAX_TAPS). */
    public static final long DIRECT_BLOCKED_MAX_TAPS = 64;
    /**
     * Smallest {@code (C/groups)*R*S} {@link #DIRECT_BLOCKED} takes: below it the copy of each band's input
     * costs more than the GEMM it saves.
     */
    public static final long DIRECT_BLOCKED_MIN_REDUCTION = 16;
    /**
     * Bytes of one worker's {@link #DIRECT_BLOCKED} workspace its bands aim at: half of a 1 MiB L2 (Zen 4/5; on
     * Zen 5, 7 rows of strided-3x3-s2 ran 7 % faster than 14, and vgg16-conv3 was within 3 % from 4 to 14 rows).
     */
    public static final long DIRECT_BLOCKED_BAND_BYTES = 512L << 10;

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
     * {@link #applies}. True, except for the Winograd variants (the one {@link Winograd#choose} picks, a measured
     * rule, and none where it picks none), {@link #DIRECT_BLOCKED} (where it was measured faster), and
     * {@link #DIRECT_GEMM} and {@link #DIRECT_SMALL_REDUCTION} (where {@link #DIRECT_BLOCKED} is not chosen).
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
     * Floats of {@link #DEPTHWISE}'s ring of padded input rows per worker ({@code native/src/depthwise.h}): {@code
     * L = (R-1)*dh + 1 + 3*sh} rows (what a block of 4 output rows reads), each split into its sw column phases of
     * {@code PW = round16(round16(Q) + (S-1)*dw/sw)} floats: {@code L * sw * PW}. Saturates at {@link Long#MAX_VALUE}
     * (then no limit admits it).
     */
    static long depthwiseWorkspace(Conv2dProblem p) {
        try {
            long rows = Math.addExact(Math.multiplyExact(p.r() - 1, p.dilationH()) + 1, Math.multiplyExact(3L, p.strideH()));
            long pw = round16(Math.addExact(round16(p.q()), Math.multiplyExact(p.s() - 1, p.dilationW()) / p.strideW()));
            return Math.multiplyExact(Math.multiplyExact(rows, p.strideW()), pw);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Floats of one padded row of {@link #SEPARABLE}'s vertical pass: the columns the horizontal pass reads,
     * {@code (Q-1)*sw + (S-1)*dw + 1}, and at least {@code pl + W} (the input's columns at their padded place).
     */
    static long paddedRow(Conv2dProblem p) {
        long read = (p.q() - 1) * p.strideW() + (p.s() - 1) * p.dilationW() + 1;
        return Math.max(read, p.padLeft() + p.w());
    }

    /**
     * Floats of one worker's workspace on {@link #DIRECT_BLOCKED} for bands of {@code rows} output rows
     * ({@code native/src/direct_blocked.h}): the phase planes of one band, {@code Cg * phases * PS +
     * round16((S-1)*dw/sw) + 16} with PS = {@code round16(PR * WQ)}, PR = {@code rows + (R-1)*dh/sh}, WQ =
     * {@code Q + (S-1)*dw/sw} and {@code phases} the row phases times the column phases the taps read
     * ({@link #phases}); the output stage, {@code 8 * round16(rows * WQ)}; one block of filters packed per call,
     * {@code 8 * Cg*R*S}. {@link ArithmeticException} when it overflows 64 bits.
     */
    static long directBlockedWorkspace(Conv2dProblem p, long rows) {
        long planeRows = Math.addExact(rows, Math.multiplyExact(p.r() - 1, p.dilationH()) / p.strideH());
        long planeCols = Math.addExact(p.q(), Math.multiplyExact(p.s() - 1, p.dilationW()) / p.strideW());
        long phases = phases(p.r(), p.dilationH(), p.strideH()) * phases(p.s(), p.dilationW(), p.strideW());
        long planes = Math.addExact(Math.multiplyExact(Math.multiplyExact(p.cPerGroup(), phases),
                round16(Math.multiplyExact(planeRows, planeCols))), round16((p.s() - 1) * p.dilationW() / p.strideW()) + 16);
        long stage = Math.multiplyExact(DIRECT_BLOCKED_K_BLOCK, round16(Math.multiplyExact(rows, planeCols)));
        // the packed block rounded to 16 floats too, so that a next worker's workspace starts on a 64-byte line
        return Math.addExact(Math.addExact(planes, stage), round16(Math.multiplyExact(DIRECT_BLOCKED_K_BLOCK, p.reduction())));
    }

    /**
     * Output rows per band on {@link #DIRECT_BLOCKED}: as many as keep one worker's workspace within
     * {@link #DIRECT_BLOCKED_BAND_BYTES} (the phase planes stay in a core's L2 while every filter block reads
     * them) and within the workspace limit, at least 1, balanced so that no band is much shorter than the others.
     */
    static long directBlockedRows(Conv2dProblem p) {
        long budget = Math.min(p.workspaceLimitBytes(), DIRECT_BLOCKED_BAND_BYTES) / 4;
        long lo = 1, hi = p.p();  // the largest rows in [1, P] within budget (the workspace grows with rows)
        while (lo < hi) {
            long mid = lo + (hi - lo + 1) / 2;
            boolean fits;
            try {
                fits = directBlockedWorkspace(p, mid) <= budget;
            } catch (ArithmeticException overflow) {
                fits = false;
            }
            if (fits) lo = mid; else hi = mid - 1;
        }
        long balanced = (p.p() + lo - 1) / lo;
        return (p.p() + balanced - 1) / balanced;
    }

    /**
     * 1x1 kernel, stride 1, no padding: each input plane is its own row of the column matrix, which
     * {@link #DIRECT_GEMM} multiplies as it lies and {@link #DIRECT_BLOCKED}'s native code reads in place.
     */
    static boolean inputIsColumnMatrix(Conv2dProblem p) {
        return p.r() == 1 && p.s() == 1 && p.strideH() == 1 && p.strideW() == 1
                && p.padTop() == 0 && p.padLeft() == 0 && p.padBottom() == 0 && p.padRight() == 0;
    }

    /** How many distinct {@code (t*d) % stride} the taps {@code t < taps} give: the phases one axis reads. */
    static long phases(long taps, long d, long stride) {
        long[] seen = new long[(int) taps];
        int count = 0;
        for (long t = 0; t < taps; t++) {
            long v = Math.floorMod(Math.multiplyExact(t, d), stride);
            boolean known = false;
            for (int i = 0; i < count; i++) known |= seen[i] == v;
            if (!known) seen[count++] = v;
        }
        return count;
    }

    private static long round16(long v) {
        return Math.addExact(v, 15) / 16 * 16;
    }

    /**
     * The first algorithm after this one in the registry that applies to {@code problem} and is {@link #chosenFor}
     * it (what runs in its place).
     */
    public Algorithm fallback(Conv2dProblem problem) {
        Algorithm[] all = values();
        for (int i = ordinal() + 1; i < all.length; i++) {
            if (all[i].applies(problem) && all[i].chosenFor(problem)) return all[i];
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
