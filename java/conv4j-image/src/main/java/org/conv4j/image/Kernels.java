package org.conv4j.image;

import java.util.ArrayList;
import java.util.List;

/**
 * Kernel generators with the definitions of OpenCV and scipy, as correlation kernels ({@code w[r][s]}
 * multiplies the input at row offset {@code r - R/2}, column offset {@code s - S/2}; conv4j's default
 * mode, and what {@code cv2.filter2D} computes). Each result carries the tone map its weights call for
 * ({@link ToneMap#forWeights}); weights are computed in double and rounded once to float.
 */
public final class Kernels {
    private Kernels() {
    }

    /**
     * A normalised 2D Gaussian {@code g[r][s] = e(r) e(s) / (sum e)^2}, {@code e(i) = exp(-(i - k)^2 / (2 sigma^2))},
     * k = size/2, of radius {@code (int) (4 sigma + 0.5)} as {@code scipy.ndimage.gaussian_filter}'s
     * default {@code truncate=4.0}.
     */
    public static Kernel gaussian(double sigma) {
        requirePositive("sigma", sigma);
        return gaussian(sigma, 2 * (int) (4 * sigma + 0.5) + 1);
    }

    /** {@link #gaussian(double)} of an explicit odd {@code size} (as {@code cv2.getGaussianKernel(size, sigma)}). */
    public static Kernel gaussian(double sigma, int size) {
        requirePositive("sigma", sigma);
        requireOdd("size", size);
        double[] e = gauss1d(sigma, size);
        return outer("gaussian-sigma" + num(sigma) + "-" + size + "x" + size, e, e);
    }

    /** A {@code size x size} mean filter, every weight {@code 1/size^2}. */
    public static Kernel box(int size) {
        if (size < 1) throw new IllegalArgumentException("box size must be >= 1, got " + size);
        double[] e = new double[size];
        java.util.Arrays.fill(e, 1.0 / size);
        return outer("box-" + size + "x" + size, e, e);
    }

    /**
     * OpenCV's Sobel kernel ({@code cv2.getDerivKernels(dx, dy, ksize)}, unnormalised): row factor
     * {@code kx}, column factor {@code ky}, {@code w[r][s] = ky[r] kx[s]}, where the factor of derivative
     * order d and size k has the coefficients of {@code (1 + z)^(k-1-d) (z - 1)^d} (ksize 3, d 1: -1 0 1;
     * d 0: 1 2 1). {@code ksize} is 3, 5 or 7; {@code dx, dy >= 0}, not both 0, each below ksize.
     */
    public static Kernel sobel(int dx, int dy, int ksize) {
        if (ksize != 3 && ksize != 5 && ksize != 7) throw new IllegalArgumentException("sobel ksize must be 3, 5 or 7, got " + ksize);
        if (dx < 0 || dy < 0 || dx + dy == 0 || dx >= ksize || dy >= ksize) {
            throw new IllegalArgumentException("sobel needs 0 <= dx, dy < ksize " + ksize + ", not both 0; got dx " + dx + ", dy " + dy);
        }
        return outer("sobel-dx" + dx + "-dy" + dy + "-" + ksize + "x" + ksize, deriv(dy, ksize), deriv(dx, ksize));
    }

    /** OpenCV's 3x3 Scharr kernel: derivative factor -1 0 1, smoothing factor 3 10 3; exactly one of dx, dy is 1. */
    public static Kernel scharr(int dx, int dy) {
        if (!(dx == 1 && dy == 0 || dx == 0 && dy == 1)) {
            throw new IllegalArgumentException("scharr needs (dx, dy) = (1, 0) or (0, 1), got (" + dx + ", " + dy + ")");
        }
        double[] d = {-1, 0, 1}, s = {3, 10, 3};
        return outer("scharr-dx" + dx + "-dy" + dy, dy == 1 ? d : s, dx == 1 ? d : s);
    }

    /**
     * OpenCV's Laplacian kernel: ksize 1 is {@code [0 1 0; 1 -4 1; 0 1 0]}; ksize 3, 5, 7 is
     * {@code sobel(2, 0, ksize) + sobel(0, 2, ksize)} (ksize 3: {@code [2 0 2; 0 -8 0; 2 0 2]}).
     */
    public static Kernel laplacian(int ksize) {
        String name = "laplacian-" + ksize + "x" + ksize;
        if (ksize == 1) return Kernel.of("laplacian-1", 3, 3, 0, 1, 0, 1, -4, 1, 0, 1, 0);
        if (ksize != 3 && ksize != 5 && ksize != 7) {
            throw new IllegalArgumentException("laplacian ksize must be 1, 3, 5 or 7, got " + ksize);
        }
        double[] d2 = deriv(2, ksize), s = deriv(0, ksize);
        float[] w = new float[ksize * ksize];
        for (int r = 0; r < ksize; r++) {
            for (int c = 0; c < ksize; c++) w[r * ksize + c] = (float) (s[r] * d2[c] + d2[r] * s[c]) + 0f;
        }
        return Kernel.of(name, ksize, ksize, w);
    }

    /**
     * Laplacian of Gaussian, {@code -(1 - q) exp(-q) / (pi sigma^4)} with {@code q = (x^2 + y^2) / (2 sigma^2)},
     * minus its mean so the weights sum to 0 (a flat region gives 0), radius {@code (int) (4 sigma + 0.5)}.
     */
    public static Kernel log(double sigma) {
        requirePositive("sigma", sigma);
        int size = 2 * (int) (4 * sigma + 0.5) + 1, k = size / 2;
        double[] v = new double[size * size];
        double mean = 0;
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                double q = ((r - k) * (r - k) + (c - k) * (c - k)) / (2 * sigma * sigma);
                v[r * size + c] = -(1 - q) * Math.exp(-q) / (Math.PI * sigma * sigma * sigma * sigma);
                mean += v[r * size + c];
            }
        }
        mean /= v.length;
        float[] w = new float[v.length];
        for (int i = 0; i < v.length; i++) w[i] = (float) (v[i] - mean);
        return new Kernel("log-sigma" + num(sigma) + "-" + size + "x" + size, size, size, w, ToneMap.ABS_NORMALIZE);
    }

    /**
     * OpenCV's {@code cv2.getGaborKernel((size, size), sigma, theta, lambda, gamma, psi)}:
     * {@code w[k - y][k - x] = exp(-(xr^2 + gamma^2 yr^2) / (2 sigma^2)) cos(2 pi xr / lambda + psi)},
     * {@code xr = x cos(theta) + y sin(theta)}, {@code yr = -x sin(theta) + y cos(theta)}, x, y in [-k, k], k = size/2.
     */
    public static Kernel gabor(int size, double sigma, double theta, double lambda, double gamma, double psi) {
        requireOdd("size", size);
        requirePositive("sigma", sigma);
        requirePositive("lambda", lambda);
        requirePositive("gamma", gamma);
        if (!Double.isFinite(theta) || !Double.isFinite(psi)) {
            throw new IllegalArgumentException("gabor theta and psi must be finite, got " + theta + ", " + psi);
        }
        int k = size / 2;
        double c = Math.cos(theta), s = Math.sin(theta), sy = sigma / gamma;
        float[] w = new float[size * size];
        for (int y = -k; y <= k; y++) {
            for (int x = -k; x <= k; x++) {
                double xr = x * c + y * s, yr = -x * s + y * c;
                double v = Math.exp(-0.5 * (xr * xr / (sigma * sigma) + yr * yr / (sy * sy))) * Math.cos(2 * Math.PI * xr / lambda + psi);
                w[(k - y) * size + (k - x)] = (float) v;
            }
        }
        String name = "gabor-sigma" + num(sigma) + "-theta" + num(Math.toDegrees(theta)) + "-lambda" + num(lambda)
                + (gamma == 0.5 ? "" : "-gamma" + num(gamma)) + (psi == 0 ? "" : "-psi" + num(psi)) + "-" + size + "x" + size;
        return new Kernel(name, size, size, w, ToneMap.ABS_NORMALIZE);
    }

    /**
     * A bank of {@code orientations} Gabor kernels, theta = {@code i * pi / orientations}, gamma 0.5,
     * psi 0, size {@code 2 * ceil(3 sigma) + 1}.
     */
    public static List<Kernel> gaborBank(int orientations, double sigma, double lambda) {
        if (orientations < 1) throw new IllegalArgumentException("gabor orientations must be >= 1, got " + orientations);
        requirePositive("sigma", sigma);
        int size = 2 * (int) Math.ceil(3 * sigma) + 1;
        List<Kernel> bank = new ArrayList<>();
        for (int i = 0; i < orientations; i++) bank.add(gabor(size, sigma, i * Math.PI / orientations, lambda, 0.5, 0));
        return bank;
    }

    /** Coefficients of {@code (1 + z)^(k-1-d) (z - 1)^d}, lowest power first. */
    static double[] deriv(int d, int k) {
        double[] p = {1};
        for (int i = 0; i < k - 1 - d; i++) p = times(p, 1, 1);
        for (int i = 0; i < d; i++) p = times(p, -1, 1);
        return p;
    }

    /** {@code p(z) (a + b z)}. */
    private static double[] times(double[] p, double a, double b) {
        double[] q = new double[p.length + 1];
        for (int i = 0; i < p.length; i++) {
            q[i] += a * p[i];
            q[i + 1] += b * p[i];
        }
        return q;
    }

    private static double[] gauss1d(double sigma, int size) {
        int k = size / 2;
        double[] e = new double[size];
        double sum = 0;
        for (int i = 0; i < size; i++) sum += e[i] = Math.exp(-(double) (i - k) * (i - k) / (2 * sigma * sigma));
        for (int i = 0; i < size; i++) e[i] /= sum;
        return e;
    }

    /** {@code w[r][s] = col[r] * row[s]}. */
    private static Kernel outer(String name, double[] col, double[] row) {
        float[] w = new float[col.length * row.length];
        for (int r = 0; r < col.length; r++) {
            for (int s = 0; s < row.length; s++) w[r * row.length + s] = (float) (col[r] * row[s]) + 0f; // + 0: no -0 weights
        }
        return Kernel.of(name, col.length, row.length, w);
    }

    private static void requirePositive(String what, double v) {
        if (!(v > 0) || !Double.isFinite(v)) throw new IllegalArgumentException(what + " must be a finite number > 0, got " + v);
    }

    private static void requireOdd(String what, int size) {
        if (size < 1 || size % 2 == 0) throw new IllegalArgumentException(what + " must be odd and >= 1, got " + size);
    }

    /** 2.0 as "2", 1.5 as "1.5": for kernel names (which become file names). */
    static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : Double.toString(v);
    }
}
