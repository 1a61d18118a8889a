package org.conv4j;

import java.util.ArrayList;
import java.util.List;

/**
 * The rank-1 factors of a bank of filters of one input channel each ({@code C/groups = 1}), found at plan
 * time for {@link Algorithm#SEPARABLE}: filter k as applied to the padded input ({@code a[r][s] = w[k][0][r][s]},
 * rotated by 180 degrees in {@link Mode#CONVOLUTION}) is separable when float factors {@code u} (R) and
 * {@code v} (S) reproduce every weight exactly, {@code u[r]*v[s] == a[r][s]}, or to within its own rounding,
 * {@code fl(u[r]*v[s]) == a[r][s]} with {@code a[r][s]} a normal float (then the filter is <i>inexact</i>).
 * Dyadic filters (Sobel, binomial Gaussians, box filters of a power-of-two area) factor exactly.
 *
 * <p>Scaling: {@code v} is scaled by a power of two (exact) so that {@code max |v|} lies in (1/4, 1/2], and
 * the first non-zero {@code u[r]} is positive; filters of one group whose {@code u} are then bit-identical
 * share one vertical pass.
 *
 * <p><b>The bound.</b> With {@code t[s] = fl(sum_r u[r] x[r][s])} (R products, Higham's {@code gamma_R}) and
 * {@code y' = fl(bias + y_in + sum_s v[s] t[s])} (S products and 1 + sigma addends, sigma = 1 with a summing
 * epilogue: {@code gamma_{S+1+sigma}}),
 * {@code |y' - y| <= (gamma_R + gamma_{S+1+sigma} + gamma_R gamma_{S+1+sigma}) (sum |u v x| + |bias| + |y_in|)
 * <= gamma_{R+S+1+sigma} (...)} (Higham, Lemma 3.3). For an inexact filter {@code |u v - a| <= 2^-24 |a|}
 * adds one more: {@code gamma_{R+S+2+sigma}}. In {@link Fidelity#gamma(long)}'s notation
 * ({@code gamma(n) = gamma_{n+1}}) that is {@code gamma(R + S + sigma + inexact)}, at most the classical
 * {@code gamma(R*S + sigma)} whenever {@code R + S < R*S}, which {@link Algorithm#SEPARABLE} requires. Gradual
 * underflow: the vertical pass's at most {@code (2R-1) * 2^-150} per column reaches {@code y'} times
 * {@code |v[s]| <= 1/2}, so all of it stays below the classical absolute term {@code (R*S+1) * 2^-149}.
 * Not covered (as for any float algorithm): overflow of the intermediate {@code t} where the reference's
 * double sums stay finite, possible only for inputs within a factor {@code R / min|v|} of the float range.
 *
 * <p>Immutable after construction; thread-safe.
 */
public final class Separable {
    /** Tallest filter the native vertical pass takes (its row table). */
    public static final long MAX_ROWS = 64;

    private final int r, s;
    private final int[] vertical;
    private final float[] verticalFactors, horizontalFactors;
    private final int separable;
    private final boolean inexact;

    private Separable(int r, int s, int[] vertical, float[] verticalFactors, float[] horizontalFactors,
                      int separable, boolean inexact) {
        this.r = r;
        this.s = s;
        this.vertical = vertical;
        this.verticalFactors = verticalFactors;
        this.horizontalFactors = horizontalFactors;
        this.separable = separable;
        this.inexact = inexact;
    }

    /**
     * The factors of {@code w} (KCRS, {@link Conv2dProblem#weightElements()} floats) for {@code problem},
     * which must have {@code C/groups = 1}. Filters that are not finite, all zero or not rank 1 stay dense.
     */
    public static Separable of(Conv2dProblem problem, float[] w) {
        if (problem.cPerGroup() != 1) throw new IllegalArgumentException("separable factors need C/groups = 1: " + problem);
        int k = (int) problem.k(), kg = (int) problem.kPerGroup(), rr = (int) problem.r(), ss = (int) problem.s();
        boolean flip = problem.mode() == Mode.CONVOLUTION;
        int[] vertical = new int[k];
        float[] hf = new float[k * ss];
        List<float[]> distinct = new ArrayList<>();
        int separable = 0;
        boolean anyInexact = false;
        float[] a = new float[rr * ss], u = new float[rr], v = new float[ss];
        for (int f = 0; f < k; f++) {
            for (int i = 0; i < rr * ss; i++) a[i] = w[f * rr * ss + (flip ? rr * ss - 1 - i : i)];
            int kind = factor(a, rr, ss, u, v);
            if (kind == DENSE) {
                vertical[f] = -1;
                continue;
            }
            separable++;
            anyInexact |= kind == INEXACT;
            System.arraycopy(v, 0, hf, f * ss, ss);
            int shared = -1;
            for (int j = f - f % kg; j < f && shared < 0; j++) { // an earlier filter of the same group
                if (vertical[j] >= 0 && share(distinct, vertical[j], u, f, vertical, hf, ss, f - f % kg)) shared = vertical[j];
            }
            if (shared < 0) {
                shared = distinct.size();
                distinct.add(u.clone());
            }
            vertical[f] = shared;
        }
        float[] vf = new float[Math.max(1, distinct.size()) * rr];
        for (int i = 0; i < distinct.size(); i++) System.arraycopy(distinct.get(i), 0, vf, i * rr, rr);
        return new Separable(rr, ss, vertical, vf, hf, separable, anyInexact);
    }

    /**
     * Whether filter f (factors u and {@code hf[f*S ..]}) can share distinct factor d: {@code u = 2^c d}
     * exactly. The shared factor becomes the larger of the two, so that every horizontal factor using it
     * only shrinks by a power of two (staying within |v| <= 1/2) and each must do so exactly.
     */
    private static boolean share(List<float[]> distinct, int d, float[] u, int f, int[] vertical, float[] hf, int ss,
                                 int groupStart) {
        float[] du = distinct.get(d);
        int first = 0;
        while (du[first] == 0) first++;
        if (u[first] == 0) return false;
        int c = Math.getExponent(u[first]) - Math.getExponent(du[first]);
        for (int i = 0; i < u.length; i++) {
            if (Math.scalb(du[i], c) != u[i]) return false;
        }
        if (c == 0) return true;
        // the horizontal factors that shrink: f's own when u is the smaller, else those already on d
        int lo = c < 0 ? f : groupStart, hi = c < 0 ? f + 1 : f;
        int shift = c < 0 ? c : -c;
        for (int k = lo; k < hi; k++) {
            if (k != f && vertical[k] != d) continue;
            for (int j = 0; j < ss; j++) {
                if (Math.scalb(Math.scalb(hf[k * ss + j], shift), -shift) != hf[k * ss + j]) return false;
            }
        }
        for (int k = lo; k < hi; k++) {
            if (k != f && vertical[k] != d) continue;
            for (int j = 0; j < ss; j++) hf[k * ss + j] = Math.scalb(hf[k * ss + j], shift);
        }
        if (c > 0) distinct.set(d, u.clone());
        return true;
    }

    /** {@link #of(Conv2dProblem, float[])} over an off-heap weight tensor (read once). */
    public static Separable of(Conv2dProblem problem, Tensor w) {
        return of(problem, w.toArray());
    }

    static final int DENSE = 0, EXACT = 1, INEXACT = 2;

    /**
     * Factors one R x S filter {@code a} into {@code u} (R) and {@code v} (S), scaled and signed as the
     * class comment says: {@link #EXACT}, {@link #INEXACT}, or {@link #DENSE} when it is not rank 1 within
     * its rounding, not finite or all zero ({@code u}, {@code v} then undefined). Tries three candidates
     * through the pivot (largest |a|) at row r0, column s0 and keeps the first exact one, else the first
     * inexact one: v = row r0 made integer by a power of two and divided by its gcd, u = column s0 / v[s0]
     * (exact for integer and dyadic filters such as Sobel and the binomial Gaussians); v = row r0, u = column
     * s0 / pivot; u = column s0, v = row r0 / pivot; for a square filter with a non-negative diagonal,
     * u = v = sqrt of the diagonal (recovers g of a float outer product {@code fl(g[r]*g[s])}, e.g. a sampled
     * Gaussian, since {@code fl(sqrt(fl(g*g))) = |g|}).
     */
    static int factor(float[] a, int rr, int ss, float[] u, float[] v) {
        int pivot = 0;
        for (int i = 0; i < a.length; i++) {
            if (!Float.isFinite(a[i])) return DENSE;
            if (Math.abs(a[i]) > Math.abs(a[pivot])) pivot = i;
        }
        if (a[pivot] == 0) return DENSE;
        int r0 = pivot / ss, s0 = pivot % ss, best = DENSE;
        float[] bu = new float[rr], bv = new float[ss];
        for (int candidate = 0; candidate < 4; candidate++) {
            if (!candidate(a, rr, ss, r0, s0, candidate, u, v) || !normalize(u, v)) continue;
            int kind = verify(a, rr, ss, u, v);
            if (kind == EXACT) return EXACT;
            if (kind == INEXACT && best == DENSE) {
                best = INEXACT;
                System.arraycopy(u, 0, bu, 0, rr);
                System.arraycopy(v, 0, bv, 0, ss);
            }
        }
        System.arraycopy(bu, 0, u, 0, rr);
        System.arraycopy(bv, 0, v, 0, ss);
        return best;
    }

    private static boolean candidate(float[] a, int rr, int ss, int r0, int s0, int which, float[] u, float[] v) {
        double m = a[r0 * ss + s0];
        switch (which) {
            case 0: {
                long[] ints = new long[ss];
                int k = 0;
                while (!integral(a, r0 * ss, ss, k)) {
                    if (++k > 60) return false;
                }
                long g = 0;
                for (int j = 0; j < ss; j++) {
                    ints[j] = (long) Math.scalb((double) a[r0 * ss + j], k);
                    g = gcd(g, Math.abs(ints[j]));
                }
                for (int j = 0; j < ss; j++) v[j] = (float) (ints[j] / g);
                for (int i = 0; i < rr; i++) u[i] = (float) (a[i * ss + s0] / (double) v[s0]);
                return true;
            }
            case 1:
                for (int j = 0; j < ss; j++) v[j] = a[r0 * ss + j];
                for (int i = 0; i < rr; i++) u[i] = (float) (a[i * ss + s0] / m);
                return true;
            case 2:
                for (int i = 0; i < rr; i++) u[i] = a[i * ss + s0];
                for (int j = 0; j < ss; j++) v[j] = (float) (a[r0 * ss + j] / m);
                return true;
            default: // a symmetric outer product fl(g g^T), e.g. a sampled Gaussian: fl(sqrt(fl(g*g))) = |g|
                if (rr != ss) return false;
                for (int i = 0; i < rr; i++) {
                    float d = a[i * ss + i];
                    if (d < 0 || a[i * ss + s0] * (double) m < 0) return false;
                    u[i] = v[i] = (float) Math.sqrt(d);
                }
                return true;
        }
    }

    /** Whether {@code a[from .. from+len) * 2^k} are all integers below 2^53. */
    private static boolean integral(float[] a, int from, int len, int k) {
        for (int j = from; j < from + len; j++) {
            double x = Math.scalb((double) a[j], k);
            if (x != Math.rint(x) || Math.abs(x) >= 0x1p53) return false;
        }
        return true;
    }

    private static long gcd(long x, long y) {
        while (y != 0) {
            long t = x % y;
            x = y;
            y = t;
        }
        return x;
    }

    /** Scales v by a power of two to {@code max |v|} in (1/4, 1/2] and u inversely, then signs u's first non-zero positive. */
    private static boolean normalize(float[] u, float[] v) {
        float mv = 0;
        for (float x : v) mv = Math.max(mv, Math.abs(x));
        if (mv == 0 || !Float.isFinite(mv)) return false;
        int e = Math.getExponent(mv) + (mv == Math.scalb(1f, Math.getExponent(mv)) ? 1 : 2); // 2^e = 2 * pow2 >= mv
        for (int j = 0; j < v.length; j++) v[j] = Math.scalb(v[j], -e);
        for (int i = 0; i < u.length; i++) u[i] = Math.scalb(u[i], e);
        int first = 0;
        while (first < u.length && u[first] == 0) first++;
        if (first == u.length) return false;
        if (u[first] < 0) {
            for (int i = 0; i < u.length; i++) u[i] = -u[i];
            for (int j = 0; j < v.length; j++) v[j] = -v[j];
        }
        return true;
    }

    /** {@link #EXACT} when {@code u[r]*v[s] == a[r][s]} everywhere, {@link #INEXACT} when within each normal weight's rounding. */
    private static int verify(float[] a, int rr, int ss, float[] u, float[] v) {
        int kind = EXACT;
        for (int i = 0; i < rr; i++) {
            if (!Float.isFinite(u[i])) return DENSE;
            for (int j = 0; j < ss; j++) {
                double exact = (double) u[i] * v[j]; // a product of two floats is exact in double
                float want = a[i * ss + j];
                if (exact == want) continue;
                if ((float) exact != want || Math.abs(want) < Float.MIN_NORMAL) return DENSE;
                kind = INEXACT;
            }
        }
        return kind;
    }

    /** Filter k's index into {@link #verticalFactors()}, or -1 when it is dense. */
    public int[] vertical() {
        return vertical.clone();
    }

    /** The distinct vertical factors, R floats each (at least R floats, zeros when none). */
    public float[] verticalFactors() {
        return verticalFactors.clone();
    }

    /** Filter k's horizontal factor at {@code [k*S, (k+1)*S)} (zeros for a dense filter). */
    public float[] horizontalFactors() {
        return horizontalFactors.clone();
    }

    /** Filters that factor. */
    public int separableFilters() {
        return separable;
    }

    /** Distinct vertical passes per image (filters of a group with the same {@code u} share one). */
    public int verticalPasses() {
        return verticalFactors.length / r - (separable == 0 ? 1 : 0);
    }

    /** Whether some filter factors only to within its weights' rounding. */
    public boolean inexact() {
        return inexact;
    }

    /**
     * The bound of the separable passes (class comment) for an output of {@code problem} with
     * {@code absSum = sum |x*w| + |bias| (+ |y_in|)}: {@code gamma(R + S + sigma + inexact)} in place of the
     * classical {@code gamma(R*S + sigma)}, the same double and underflow terms as
     * {@link Fidelity#classicalBound(Conv2dProblem, double)}.
     */
    public static double errorBound(Conv2dProblem problem, boolean inexact, double absSum) {
        long n = problem.r() + problem.s() + (problem.epilogue().sum() ? 1 : 0) + (inexact ? 1 : 0);
        long terms = problem.reduction() + 1;
        return (Fidelity.gamma(n) + terms * 0x1p-53) * absSum + terms * 0x1p-149;
    }

    @Override
    public String toString() {
        return separable + "/" + vertical.length + " filters of " + r + "x" + s + " separable, " + verticalPasses()
                + " vertical pass(es)" + (inexact ? ", some inexact" : "");
    }
}
