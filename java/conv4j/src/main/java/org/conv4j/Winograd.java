package org.conv4j;

import org.conv4j.backend.ReferenceDirect.Source;

/**
 * Winograd's minimal filtering F(m x m, 3 x 3) (Lavin and Gray, "Fast Algorithms for Convolutional Neural
 * Networks", 2016) for 3x3, stride-1, dilation-1 problems under {@link Precision#FAST}, and its rigorous
 * elementwise forward-error bound. Each output tile of m x m is
 * <pre>
 *   Y = A^T [ sum_c (G g_c G^T) (.) (B^T d_c B) ] A        (alpha = m + 2; (.) the elementwise product)
 * </pre>
 * over the alpha x alpha input tile {@code d_c} at output {@code (i*m, j*m)} of each input channel c of the
 * group and the 3x3 filter {@code g_c} (rotated for {@link Mode#CONVOLUTION}); the sum over c, for each of
 * the alpha^2 positions, is a GEMM of {@code K/G x C/G} by {@code C/G x tiles}. F(2,3) needs 16 multiplications
 * per 4 outputs and channel where the direct sum needs 36 (2.25x fewer), F(4,3) 36 per 16 (4x fewer).
 * Input cells of a tile outside the padded input (the last tile's rows and columns beyond P+1, Q+1) are
 * zeros; cells inside it read the {@link Border}.
 *
 * <h2>The bound</h2>
 * With {@code u = 2^-24} and {@code gamma_n = n u / (1 - n u)} (Higham, 2nd ed., section 3.1), every computed
 * output {@code y'} of exact value {@code y} satisfies
 * <pre>
 *   |y' - y| &lt;= gamma_N * (M + |bias| + |y_in|) + E_underflow,
 *   M = |A^T| [ sum_c (|G| |g_c| |G^T|) (.) (|B^T| |d_c| |B|) ] |A|   (the output's entry),
 *   N = 2 + 2 t_B + C/G + 2 t_A + 1 (+ 1 with a summing epilogue)
 * </pre>
 * where t_B and t_A are the most nonzeros in a row of B^T and A^T ({@link #inputTerms()}, {@link #outputTerms()}).
 * Derivation, one stage at a time, each stage's error relative to the absolute values it combines:
 * <ol>
 * <li>Weights: {@code G g G^T} is computed in double and rounded once to float, so
 *     {@code |U' - U| <= (u + 6 * 2^-53) |G||g||G^T| <= gamma_2 |G||g||G^T|}: 2 roundings.</li>
 * <li>Input: {@code B^T d B} as two passes of dot products of at most t_B terms (coefficients are
 *     integers, so exact): a pass has {@code |Z' - Z| <= gamma_tB |B^T||d|}, and Lemma 3.3 of Higham
 *     ({@code (1 + gamma_j)(1 + gamma_k) <= 1 + gamma_(j+k)}) composes the two into {@code gamma_(2 tB)}.</li>
 * <li>The GEMM: each of the alpha^2 sums over C/G channels is a dot product of C/G terms in any order:
 *     {@code gamma_(C/G)} times {@code sum_c |U'||V'|}, and {@code |U'||V'| <= (1+gamma_2)(1+gamma_(2 tB)) |U||V|}
 *     in absolute terms.</li>
 * <li>Output: {@code A^T M A}, two passes of at most t_A terms (coefficients 1, 2, 4, 8: exact),
 *     {@code gamma_(2 tA)} times {@code |A^T||M'||A|}.</li>
 * <li>Bias (and the residual of a summing epilogue): one rounding each. ReLU and clamp are 1-Lipschitz.</li>
 * </ol>
 * Composing the stages with Lemma 3.3 gives gamma_N over M. Because
 * {@code sum_i |A^T_oi| |G_ir| |B^T_ia| >= |sum_i A^T_oi G_ir B^T_ia| = [a = o + r]}, M is at least the strict
 * bound's {@code sum |x*w|}; N, though, counts C/G + 21 (F(4,3)) or C/G + 13 (F(2,3)) roundings where the strict
 * bound counts 9 C/G + 1, so for F(2,3) on data where M is close to {@code sum |x*w|} the Winograd bound can be the
 * smaller of the two. What FAST costs in practice is the measured error against the strict bound,
 * {@link FidelityReport#digitsBeyondStrict()}. Underflow: additions of floats
 * are exact when they underflow; each product may add at most 2^-150, amplified by the later stages, which
 * {@code E_underflow = 2^-148 t_B ||A^T||_inf^2 sum_(c, xi) (|U| + |V| + 1)} covers. The bound assumes no
 * intermediate overflows and finite data: a tile whose magnitudes reach 2^127, or that holds an Inf or NaN,
 * makes every output of that tile unspecified (the bound is then infinite: in practice such outputs are NaN
 * where the direct sum would give an infinity).
 *
 * <p>Thread-safe (an enum of constants).
 */
public enum Winograd {
    /** F(2x2, 3x3): interpolation points 0, 1, -1, infinity. */
    F2(2,
            new double[][] {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}},
            new double[][] {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}},
            new double[][] {{1, 1, 1, 0}, {0, 1, -1, -1}}),
    /** F(4x4, 3x3): interpolation points 0, 1, -1, 2, -2, infinity. */
    F4(4,
            new double[][] {{4, 0, -5, 0, 1, 0}, {0, -4, -4, 1, 1, 0}, {0, 4, -4, -1, 1, 0},
                            {0, -2, -1, 2, 1, 0}, {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}},
            new double[][] {{1 / 4.0, 0, 0}, {-1 / 6.0, -1 / 6.0, -1 / 6.0}, {-1 / 6.0, 1 / 6.0, -1 / 6.0},
                            {1 / 24.0, 1 / 12.0, 1 / 6.0}, {1 / 24.0, -1 / 12.0, 1 / 6.0}, {0, 0, 1}},
            new double[][] {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}});

    private final int m;
    private final double[][] bt, g, at;
    private final int inputTerms, outputTerms;
    private final double atNorm;

    Winograd(int m, double[][] bt, double[][] g, double[][] at) {
        this.m = m;
        this.bt = bt;
        this.g = g;
        this.at = at;
        inputTerms = maxNonzeros(bt);
        outputTerms = maxNonzeros(at);
        double norm = 0;
        for (double[] row : at) {
            double s = 0;
            for (double v : row) s += Math.abs(v);
            norm = Math.max(norm, s);
        }
        atNorm = norm;
    }

    private static int maxNonzeros(double[][] a) {
        int most = 0;
        for (double[] row : a) {
            int t = 0;
            for (double v : row) t += v != 0 ? 1 : 0;
            most = Math.max(most, t);
        }
        return most;
    }

    /** Outputs per tile side. */
    public int m() { return m; }

    /** Input tile side {@code m + 2}; the GEMMs per group and block of tiles are alpha^2. */
    public int alpha() { return m + 2; }

    /** Most nonzeros in a row of B^T (t_B). */
    public int inputTerms() { return inputTerms; }

    /** Most nonzeros in a row of A^T (t_A). */
    public int outputTerms() { return outputTerms; }

    /** {@code B^T[i][j]}, alpha x alpha. */
    public double bt(int i, int j) { return bt[i][j]; }

    /** {@code G[i][r]}, alpha x 3. */
    public double g(int i, int r) { return g[i][r]; }

    /** {@code A^T[o][i]}, m x alpha. */
    public double at(int o, int i) { return at[o][i]; }

    /** Lower-case label, e.g. {@code winograd-f4}. */
    public String label() {
        return "winograd-" + name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether a Winograd variant can run {@code pr}: 3x3, stride 1, dilation 1, under {@link Precision#FAST}. */
    public static boolean applies(Conv2dProblem pr) {
        return pr.precision() == Precision.FAST && pr.r() == 3 && pr.s() == 3 && pr.strideH() == 1
                && pr.strideW() == 1 && pr.dilationH() == 1 && pr.dilationW() == 1;
    }

    /**
     * The variant the registry runs on {@code pr} (which {@link #applies}), or null where neither pays: F(4,3) when
     * the GEMMs have many channels ({@code C/G >=} {@link #MIN_CHANNELS} and {@code K/G >=} {@link #MIN_CHANNELS}),
     * else none: the strict {@link Algorithm#DIRECT_BLOCKED}, whose bound is the classical one, runs as fast there,
     * and depthwise layers and RGB input layers keep their direct paths. Measured with {@code ./conv4j bench
     * --precision fast} (benchmarks/results/winograd-bench.md, direct-blocked.md): F(4,3) ran faster than F(2,3) on
     * resnet50-res2-3x3, vgg16-conv3 and resnet50-res4-3x3-b16; with constant weights it ran 1.9x (vgg16-conv3) and
     * 1.5x (res4-b16, 256 channels) faster than DIRECT_BLOCKED at 1 thread, but 1.06x at 1 thread and 0.97x at 2 on
     * res2-3x3 (64 channels), where its transforms take two thirds of its time. Since its row tiles cross the border
     * by vector copies (benchmarks/results/aligned.md), F(4,3) on res2-3x3 runs 1.30x / 1.16x as fast as
     * DIRECT_BLOCKED with constant weights at 1 / 2 threads, 1.18x / 0.94x per call (benchmarks/results/one-tap.md),
     * so 64 channels are in. F(4,3)'s bound is the larger (the README's table gives both in digits): FAST is what
     * allows it.
     */
    public static Winograd choose(Conv2dProblem pr) {
        return pr.cPerGroup() >= MIN_CHANNELS && pr.kPerGroup() >= MIN_CHANNELS ? F4 : null;
    }

    /** {@link #choose}'s threshold on {@code C/G} and {@code K/G}, the smallest channel count measured (res2-3x3's 64). */
    public static final long MIN_CHANNELS = 64;

    /** Tiles of m outputs along the output height: {@code ceil(P / m)}. */
    public long tilesH(Conv2dProblem pr) { return (pr.p() + m - 1) / m; }

    /** Tiles of m outputs along the output width: {@code ceil(Q / m)}. */
    public long tilesW(Conv2dProblem pr) { return (pr.q() + m - 1) / m; }

    /**
     * Most bytes of the transformed tiles of one block ({@code alpha^2 (C/G + Kp)} floats a tile; the workspace adds
     * {@code 2 alpha^2} {@link #MATRIX_PAD}) on the native path; see {@link #tilesPerBlock}.
     */
    public static final long BLOCK_BYTES = 16L << 20;

    /** Tiles of all images: {@code N * tilesH * tilesW}. */
    public long tiles(Conv2dProblem pr) { return pr.n() * tilesH(pr) * tilesW(pr); }

    /** Most tiles a block of the native path takes (resnet50-res2-3x3 ran fastest in one block of all 196 tiles). */
    static final long MAX_TILES = 256;

    /**
     * Tiles per block of the native path, the N of its GEMMs, for {@code threads} participants: the multiple of 16 (the
     * kernel's columns are whole vectors of AVX-512 lanes) up to {@link #MAX_TILES} whose blocks give the threads the
     * least work each, {@code ceil(blocks / threads) * tiles}, the larger on a tie; at most what keeps V and M of one
     * block within {@link #BLOCK_BYTES}. Blocks run across images. (With the GEMMs on OpenBLAS, which packs U on
     * each call, blocks had to be as large as possible; the library's own kernel reads U packed once.)
     */
    public long tilesPerBlock(Conv2dProblem pr, int threads) {
        long perTile = 4L * alpha() * alpha() * (pr.cPerGroup() + paddedKPerGroup(pr));
        long cap = Math.max(16, Math.min(MAX_TILES, BLOCK_BYTES / perTile / 16 * 16));
        long t = tiles(pr), best = 16, bestSpan = Long.MAX_VALUE;
        for (long tb = 16; tb <= cap; tb += 16) {
            long blocks = (t + tb - 1) / tb, span = (blocks + threads - 1) / threads * tb;
            if (span <= bestSpan) {
                best = tb;
                bestSpan = span;
            }
        }
        return best;
    }

    /**
     * Output channels per block of the native path's packed weights and GEMM kernel (native: CONV4J_WINOGRAD_K_BLOCK,
     * checked when the library loads); {@code K/G} is padded to a multiple of it.
     */
    public static final long K_BLOCK = 8;

    /** {@code K/G} rounded up to a multiple of {@link #K_BLOCK}: the rows of the native path's U and M per group. */
    public static long paddedKPerGroup(Conv2dProblem pr) {
        return (pr.kPerGroup() + K_BLOCK - 1) / K_BLOCK * K_BLOCK;
    }

    /**
     * Floats of one participant's workspace on the native path: {@code alpha^2 ((C/G + Kp) Tr + 2 MATRIX_PAD)}, Tr =
     * {@link #tilesPerBlock} rounded up to a multiple of 16 (the rows of V and M hold whole vectors of AVX-512 lanes).
     */
    public long workspacePerThread(Conv2dProblem pr, int threads) {
        long rows = (tilesPerBlock(pr, threads) + 15) / 16 * 16;
        return (long) alpha() * alpha() * ((pr.cPerGroup() + paddedKPerGroup(pr)) * rows + 2 * MATRIX_PAD);
    }

    /**
     * Floats after each of the alpha^2 matrices of V and of M in the native workspace (native:
     * CONV4J_WINOGRAD_MATRIX_PAD, checked when the library loads): one cache line, so that the alpha^2 cells of one
     * tile do not share one L1 set when the matrices' size is a multiple of 4 KiB (any C/G multiple of 64).
     */
    public static final long MATRIX_PAD = 16;

    /** Floats of the native path's transformed weights: {@code alpha^2 G Kp C/G} (Kp: {@link #paddedKPerGroup}). */
    public long transformedWeightElements(Conv2dProblem pr) {
        return (long) alpha() * alpha() * pr.groups() * paddedKPerGroup(pr) * pr.cPerGroup();
    }

    /** Work items of the native path: one per group and block of tiles. */
    public long workItems(Conv2dProblem pr, int threads) {
        long per = tilesPerBlock(pr, threads);
        return pr.groups() * ((tiles(pr) + per - 1) / per);
    }

    /** N of gamma_N in the class comment: {@code 2 + 2 tB + C/G + 2 tA + 1}, one more with a summing epilogue. */
    public long roundings(Conv2dProblem pr) {
        return 2 + 2L * inputTerms + pr.cPerGroup() + 2L * outputTerms + 1 + (pr.epilogue().sum() ? 1 : 0);
    }

    /** {@code |G| |g| |G^T|} of one 3x3 filter {@code f[r*3 + s]} (already rotated if the mode flips), alpha^2. */
    void absWeights(float[] f, double[] out) {
        int a = alpha();
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < a; j++) {
                double s = 0;
                for (int r = 0; r < 3; r++) {
                    for (int c = 0; c < 3; c++) s += Math.abs(g[i][r]) * Math.abs(f[r * 3 + c]) * Math.abs(g[j][c]);
                }
                out[i * a + j] = s;
            }
        }
    }

    /** {@code |B^T| |d| |B|} of one input tile {@code d[a1*alpha + a2]}, alpha^2. */
    void absInput(float[] d, double[] out) {
        int a = alpha();
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < a; j++) {
                double s = 0;
                for (int x = 0; x < a; x++) {
                    if (bt[i][x] == 0) continue;
                    for (int y = 0; y < a; y++) s += Math.abs(bt[i][x]) * Math.abs(d[x * a + y]) * Math.abs(bt[j][y]);
                }
                out[i * a + j] = s;
            }
        }
    }

    /**
     * The bound of the class comment on {@code |y' - y|} for output {@code (n, k, p, q)}, from the problem's
     * data (read as {@link org.conv4j.backend.ReferenceDirect} reads it); {@code rest} is {@code |bias| + |y_in|}.
     * Infinite where the tile's magnitudes are not finite or reach 2^127. For {@link CheckedBackend}'s samples
     * and {@link Fidelity}: about {@code C/G * alpha^3 * 4} operations.
     */
    public double bound(Conv2dProblem pr, Source x, Source w, long n, long k, long p, long q, double rest) {
        double[] ms = new double[2];
        magnitude(pr, x, w, n, k, p, q, ms);
        return combine(pr, ms[0], rest, ms[1]);
    }

    /**
     * {@code ms[0] = M} of the class comment for output {@code (n, k, p, q)} and
     * {@code ms[1] = sum_(c, xi) (|U| + |V| + 1)}, the sum E_underflow scales.
     */
    void magnitude(Conv2dProblem pr, Source x, Source w, long n, long k, long p, long q, double[] ms) {
        int a = alpha();
        float[] d = new float[a * a], f = new float[9];
        double[] absU = new double[a * a], absV = new double[a * a], acc = new double[a * a];
        long p0 = p / m * m, q0 = q / m * m;
        double spread = 0;
        long c0 = k / pr.kPerGroup() * pr.cPerGroup();
        for (long c = 0; c < pr.cPerGroup(); c++) {
            tileOf(pr, x, n, c0 + c, p0, q0, d);
            filter(pr, w, k, c, f);
            absInput(d, absV);
            absWeights(f, absU);
            for (int i = 0; i < a * a; i++) {
                acc[i] += absU[i] * absV[i];
                spread += absU[i] + absV[i] + 1;
            }
        }
        double mag = 0;
        int o1 = (int) (p - p0), o2 = (int) (q - q0);
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < a; j++) mag += Math.abs(at[o1][i]) * acc[i * a + j] * Math.abs(at[o2][j]);
        }
        ms[0] = mag;
        ms[1] = spread;
    }

    /** gamma_N (M + rest) + the reference's double error + E_underflow; infinite past 2^127 or when not finite. */
    double combine(Conv2dProblem pr, double mag, double rest, double spread) {
        double total = mag + rest;
        if (!(total < 0x1p127) || !(spread < 0x1p127)) return Double.POSITIVE_INFINITY;
        long terms = pr.reduction() + 2;
        double underflow = 0x1p-148 * inputTerms * atNorm * atNorm * spread;
        return (Fidelity.gamma(roundings(pr) - 1) + terms * 0x1p-53) * total + underflow;
    }

    /** Input tile at output (p0, q0) of channel c: padded-input cells via the border, zeros beyond the padded input. */
    public static void tileOf(Conv2dProblem pr, Source x, long n, long c, long p0, long q0, float[] d) {
        int a = (int) Math.sqrt(d.length);
        long paddedH = pr.h() + pr.padTop() + pr.padBottom(), paddedW = pr.w() + pr.padLeft() + pr.padRight();
        for (int i = 0; i < a; i++) {
            long ph = p0 + i;
            long ih = ph < paddedH ? pr.border().index(ph - pr.padTop(), pr.h()) : -1;
            for (int j = 0; j < a; j++) {
                long pw = q0 + j;
                long iw = pw < paddedW ? pr.border().index(pw - pr.padLeft(), pr.w()) : -1;
                d[i * a + j] = ih >= 0 && iw >= 0 ? x.get(((n * pr.c() + c) * pr.h() + ih) * pr.w() + iw) : 0f;
            }
        }
    }

    /** The 3x3 filter of output channel k and group channel c as cross-correlation taps (rotated in convolution mode). */
    static void filter(Conv2dProblem pr, Source w, long k, long c, float[] f) {
        boolean flip = pr.mode() == Mode.CONVOLUTION;
        long base = (k * pr.cPerGroup() + c) * 9;
        for (int t = 0; t < 9; t++) f[t] = w.get(base + (flip ? 8 - t : t));
    }
}
