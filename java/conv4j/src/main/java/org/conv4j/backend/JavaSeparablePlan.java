package org.conv4j.backend;

import java.nio.FloatBuffer;
import org.conv4j.Conv2dProblem;
import org.conv4j.Epilogue;
import org.conv4j.Separable;
import org.conv4j.Tensor;

/**
 * {@link org.conv4j.Algorithm#SEPARABLE} on the Java backend: the weights are factored ({@link Separable})
 * when they are loaded, per call or once for a constant-weight plan; then one work item per image and
 * group runs, output row by output row, the vertical pass {@code t[j] = sum_r u[r] * xpad[p*sh + r*dh][j]}
 * of each distinct vertical factor into a padded row and the horizontal pass
 * {@code y[p][q] = act(bias + y_in + sum_s v[s] * t[q*sw + s*dw])} of each separable filter; dense filters
 * run {@link JavaDepthwise#plane}. Weights of which no filter factors run the fallback algorithm's plan.
 * Heap buffers allocated here once; not thread-safe (a plan per thread).
 */
final class JavaSeparablePlan extends JavaPlan {
    private final JavaWorkers workers;
    /** The fallback algorithm's plan, made the first time weights do not factor. */
    private JavaIm2colGemmPlan fallback;
    private final float[] weights, bias;
    private final int rowLength;
    private final float[][] in, rows, out;
    private Separable factors;
    private int[] vertical;
    private float[] uf, vf;

    JavaSeparablePlan(Conv2dProblem pr, JavaWorkers workers) {
        super(pr);
        JavaIm2colGemmBackend.checkIndexable(pr);
        this.workers = workers;
        weights = new float[(int) pr.weightElements()];
        bias = pr.hasBias() ? new float[(int) pr.k()] : null;
        rowLength = (int) (pr.workspaceElements() / pr.kPerGroup());
        int items = (int) Math.min(Integer.MAX_VALUE, pr.n() * pr.groups()), threads = workers.participants(items);
        in = new float[threads][(int) (pr.h() * pr.w())];
        rows = new float[threads][(int) pr.workspaceElements()];
        out = new float[threads][(int) Math.max(pr.q(), pr.p() * pr.q())];
    }

    /** Reads and factors the weights (and copies the bias); the fallback plan loads them when none factors. */
    @Override
    void loadWeights(Tensor w, Tensor b) {
        w.pointer().asBuffer().get(0, weights);
        if (bias != null) b.pointer().asBuffer().get(0, bias);
        factors = Separable.of(problem(), weights);
        vertical = factors.vertical();
        uf = factors.verticalFactors();
        vf = factors.horizontalFactors();
        if (factors.separableFilters() == 0) {
            if (fallback == null) {
                fallback = new JavaIm2colGemmPlan(problem().fallbackProblem(), workers);
            }
            fallback.loadWeights(w, b);
        }
    }

    /** The factors of the weights last loaded. */
    Separable factors() {
        return factors;
    }

    @Override
    void run(Tensor x, Tensor y) {
        if (factors.separableFilters() == 0) {
            fallback.run(x, y);
            return;
        }
        final Conv2dProblem pr = problem();
        final FloatBuffer xb = x.pointer().asBuffer(), yb = y.pointer().asBuffer();
        workers.run((int) (pr.n() * pr.groups()), (worker, item) -> group(pr, xb, yb, worker, item));
    }

    /** Every output plane of image {@code item / G}, group {@code item % G}. */
    private void group(Conv2dProblem pr, FloatBuffer xb, FloatBuffer yb, int worker, int item) {
        final int G = (int) pr.groups(), n = item / G, g = item % G, kg = (int) pr.kPerGroup();
        final int H = (int) pr.h(), W = (int) pr.w(), P = (int) pr.p(), Q = (int) pr.q(), R = (int) pr.r();
        final float[] x = in[worker], t = rows[worker], o = out[worker];
        xb.get((int) ((n * pr.c() + g) * H * W), x, 0, H * W);
        final long yPlane = (long) P * Q, yImage = n * pr.k() * yPlane;
        for (int p = 0; p < P; p++) {
            for (int i = 0; i < kg; i++) {
                final int k = g * kg + i;
                if (vertical[k] < 0) continue;
                int first = 0;
                while (vertical[g * kg + first] != vertical[k]) first++;
                if (first == i) paddedVertical(pr, x, uf, vertical[k] * R, p, t, first * rowLength);
                final int at = (int) (yImage + k * yPlane + (long) p * Q);
                horizontal(pr, t, first * rowLength, vf, k * (int) pr.s(), bias == null ? 0f : bias[k], yb, at, o);
            }
        }
        for (int i = 0; i < kg; i++) {
            final int k = g * kg + i;
            if (vertical[k] >= 0) continue;
            JavaDepthwise.plane(pr, x, weights, (int) (k * pr.r() * pr.s()), o);
            final int at = (int) (yImage + k * yPlane);
            for (int j = 0; j < P * Q; j++) {
                float v = bias == null ? o[j] : o[j] + bias[k];
                o[j] = pr.epilogue().sum() ? v + yb.get(at + j) : v;
            }
            activate(pr.epilogue(), o, P * Q);
            yb.put(at, o, 0, P * Q);
        }
    }

    /**
     * {@code t[base + pl + c] = sum_r u[r] x[row_r][c]} for the input columns c, rows through the border
     * (a zero row is skipped: u is finite); the other padded columns read t through the border.
     */
    private void paddedVertical(Conv2dProblem pr, float[] x, float[] u, int uBase, int p, float[] t, int base) {
        final int W = (int) pr.w(), H = (int) pr.h(), R = (int) pr.r(), pl = (int) pr.padLeft();
        final int origin = base + pl;
        java.util.Arrays.fill(t, origin, origin + W, 0f);
        for (int r = 0; r < R; r++) {
            final int ih = JavaIm2col.source(pr.border(), (int) (p * pr.strideH() - pr.padTop() + r * pr.dilationH()), H);
            if (ih < 0) continue;
            final float ur = u[uBase + r];
            final int row = ih * W;
            for (int c = 0; c < W; c++) t[origin + c] += ur * x[row + c];
        }
        for (int j = 0; j < rowLength; j++) {
            if (j == pl) j = pl + W;
            if (j >= rowLength) break;
            final int c = JavaIm2col.source(pr.border(), j - pl, W);
            t[base + j] = c < 0 ? 0f : t[origin + c];
        }
    }

    /** {@code y[at + q] = act(bias + (sum ? y : 0) + sum_s v[s] t[base + q*sw + s*dw])} for q < Q. */
    private static void horizontal(Conv2dProblem pr, float[] t, int base, float[] v, int vBase, float bias,
                                   FloatBuffer yb, int at, float[] o) {
        final int Q = (int) pr.q(), S = (int) pr.s(), sw = (int) pr.strideW(), dw = (int) pr.dilationW();
        final Epilogue epi = pr.epilogue();
        if (epi.sum()) {
            yb.get(at, o, 0, Q);
            for (int q = 0; q < Q; q++) o[q] += bias;
        } else {
            java.util.Arrays.fill(o, 0, Q, bias);
        }
        for (int s = 0; s < S; s++) {
            final float vs = v[vBase + s];
            final int off = base + s * dw;
            if (sw == 1) {
                for (int q = 0; q < Q; q++) o[q] += vs * t[off + q];
            } else {
                for (int q = 0; q < Q; q++) o[q] += vs * t[off + q * sw];
            }
        }
        activate(epi, o, Q);
        yb.put(at, o, 0, Q);
    }

    private static void activate(Epilogue epi, float[] o, int len) {
        if (epi.activation() == Epilogue.Activation.NONE) return;
        for (int j = 0; j < len; j++) o[j] = epi.activate(o[j]);
    }

    @Override
    protected void release() {
        if (fallback != null) fallback.close();
    }
}
