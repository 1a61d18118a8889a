package org.conv4j.backend;

import java.nio.FloatBuffer;
import org.conv4j.Algorithm;
import org.conv4j.Conv2dProblem;
import org.conv4j.Epilogue;
import org.conv4j.Tensor;

/**
 * A problem prepared on the Java backend: the driver over images, groups and bands of output rows. Every
 * heap buffer a call needs (packed weights, per-worker im2col rows, result rows, input row or plane) is
 * allocated here once, on the heap (nothing off-heap to release on close); a call allocates only a few
 * small objects (buffer views, the work counter).
 *
 * <p>Tensors live off-heap. The input is read through a {@code FloatBuffer} view with bulk absolute gets
 * (each input row once per band and kernel row), weights once per call into the packed panel, and each
 * band of results is written back with one bulk put per output row: about {@code 4 * (N*C*H*W*R +
 * K*(C/groups)*R*S + N*K*P*Q)} bytes of copying per call, under 1% of the arithmetic on the large cases.
 * A constant-weight plan packs the weights once ({@link #loadWeights}) and then only runs.
 */
final class JavaIm2colGemmPlan extends JavaPlan {
    private final JavaWorkers workers;
    private final Algorithm algorithm;
    /** Output rows per work item: at most the descriptor's tile rows; fewer to bound the result rows or feed threads. */
    private final int itemRows, bandsPerPlane, items;
    private final int mPad, kPad;
    /** Packed weights of every group (GEMM paths) or a heap copy of the weights (depthwise). */
    private final float[] weights;
    private final float[] bias;
    /** One weight row (GEMM paths), the staging row of {@link JavaSgemm#packA}. */
    private final float[] weightRow;
    private final Scratch[] scratch;

    /** What one worker thread writes during a call. */
    private static final class Scratch {
        final float[][] col;   // kPad x band columns (GEMM B); a zero last row when K is odd
        final float[][] out;   // mPad x band columns (GEMM C)
        final float[] in;      // one input row (im2col) or one input plane (depthwise)
        final float[] plane;   // one output plane (depthwise)

        Scratch(int kPad, int mPad, int cols, int inLength, int planeLength) {
            col = new float[kPad][cols];
            out = new float[mPad][cols];
            in = new float[inLength];
            plane = new float[planeLength];
        }
    }

    JavaIm2colGemmPlan(Conv2dProblem pr, JavaWorkers workers) {
        super(pr);
        JavaIm2colGemmBackend.checkIndexable(pr); // after the tensor checks of Conv2dPlan, before allocating
        this.workers = workers;
        algorithm = pr.algorithm().javaImplementation();
        bias = pr.hasBias() ? new float[(int) pr.k()] : null;
        if (algorithm == Algorithm.DEPTHWISE) {
            itemRows = (int) pr.p();
            bandsPerPlane = 1;
            items = (int) Math.min(Integer.MAX_VALUE, pr.n() * pr.k());
            mPad = kPad = 0;
            weights = new float[(int) pr.weightElements()];
            weightRow = null;
        } else {
            mPad = (int) JavaSgemm.paddedRows(pr.kPerGroup());
            kPad = (int) JavaSgemm.paddedReduction(pr.reduction());
            // The band's result rows obey the workspace limit too (native writes them straight into y).
            // Bands of im2col's rows: those of an algorithm the Java backend runs as im2col (DIRECT_BLOCKED's fit
            // its own, smaller workspace) would overrun the limit with im2col's columns.
            long im2colRows = pr.algorithm() == algorithm ? pr.tileRows() : pr.withAlgorithm(algorithm).tileRows();
            long rows = Math.min(im2colRows, Math.max(1, pr.workspaceLimitBytes() / (4L * mPad * pr.q())));
            long planes = pr.n() * pr.groups(), bands = ceilDiv(pr.p(), rows);
            // Enough items that the last one finishes close to the others (at most 1/4 of a thread idle).
            long wanted = workers.threads() == 1 ? 1 : 4L * workers.threads();
            long split = planes * bands >= wanted ? 1 : Math.min(rows, ceilDiv(wanted, planes * bands));
            itemRows = (int) ceilDiv(rows, split);
            bandsPerPlane = (int) ceilDiv(pr.p(), itemRows);
            items = (int) Math.min(Integer.MAX_VALUE, planes * bandsPerPlane);
            weights = new float[(int) (mPad * (long) kPad * pr.groups())];
            weightRow = new float[kPad];
        }
        scratch = new Scratch[workers.participants(items)];
        for (int i = 0; i < scratch.length; i++) {
            scratch[i] = algorithm == Algorithm.DEPTHWISE
                    ? new Scratch(0, 0, 0, (int) (pr.h() * pr.w()), (int) (pr.p() * pr.q()))
                    : new Scratch(kPad, mPad, (int) (itemRows * pr.q()), (int) pr.w(), 0);
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /**
     * Copies the bias and packs the weights into the heap layout {@link #run} reads (per group for
     * {@link JavaSgemm#packA}; a plain copy for depthwise): per call, or once for a constant-weight plan.
     */
    @Override
    void loadWeights(Tensor w, Tensor b) {
        final Conv2dProblem pr = problem();
        final FloatBuffer wb = w.pointer().asBuffer();
        if (bias != null) b.pointer().asBuffer().get(0, bias);
        if (algorithm == Algorithm.DEPTHWISE) {
            wb.get(0, weights);
            return;
        }
        final int kg = (int) pr.kPerGroup(), red = (int) pr.reduction();
        for (int g = 0; g < pr.groups(); g++) {
            JavaSgemm.packA(wb, g * kg * red, kg, red, weightRow, weights, g * mPad * kPad);
        }
    }

    /** The convolution of x into y with the weights last loaded. */
    @Override
    void run(Tensor x, Tensor y) {
        final Conv2dProblem pr = problem();
        final FloatBuffer xb = x.pointer().asBuffer(), yb = y.pointer().asBuffer();
        if (algorithm == Algorithm.DEPTHWISE) {
            workers.run(items, (worker, item) -> depthwisePlane(pr, xb, yb, scratch[worker], item));
        } else {
            workers.run(items, (worker, item) -> band(pr, xb, yb, scratch[worker], item));
        }
    }

    /**
     * One band of one image and group: {@code Y_g[Kg x band] = W_g[Kg x (C/G)RS] * col[(C/G)RS x band]},
     * M = Kg, K = (C/G)*R*S, N = band rows * Q; then the epilogue writes the band's rows of y.
     */
    private void band(Conv2dProblem pr, FloatBuffer xb, FloatBuffer yb, Scratch s, int item) {
        final int plane = item / bandsPerPlane, p0 = (item % bandsPerPlane) * itemRows;
        final int groups = (int) pr.groups(), n = plane / groups, g = plane % groups;
        final int rows = (int) Math.min(itemRows, pr.p() - p0), q = (int) pr.q(), cols = rows * q;
        final int cg = (int) pr.cPerGroup(), kg = (int) pr.kPerGroup();
        final int xBase = (int) ((n * pr.c() + g * cg) * pr.h() * pr.w());
        if (algorithm == Algorithm.DIRECT_GEMM) {
            JavaIm2col.directBand(pr, xb, xBase, p0, rows, s.col);
        } else {
            JavaIm2col.band(pr, xb, xBase, p0, rows, s.col, s.in);
        }
        JavaSgemm.multiply(weights, g * mPad * kPad, mPad, kPad, s.col, cols, s.out);
        final long pq = pr.p() * q, yBase = (n * pr.k() + (long) g * kg) * pq + (long) p0 * q;
        for (int i = 0; i < kg; i++) epilogue(s.out[i], cols, g * kg + i, yb, (int) (yBase + i * pq));
    }

    /** Output plane {@code item = n*K + k} of a depthwise problem; reads input channel {@code k / (K/G)}. */
    private void depthwisePlane(Conv2dProblem pr, FloatBuffer xb, FloatBuffer yb, Scratch s, int item) {
        final long k = item % pr.k(), n = item / pr.k();
        final int hw = (int) (pr.h() * pr.w()), pq = (int) (pr.p() * pr.q());
        xb.get((int) ((n * pr.c() + k / pr.kPerGroup()) * hw), s.in, 0, hw);
        JavaDepthwise.plane(pr, s.in, weights, (int) (k * pr.r() * pr.s()), s.plane);
        epilogue(s.plane, pq, (int) k, yb, item * pq);
    }

    /**
     * The one place results leave a band:
     * {@code y[yIndex + j] = act(row[j] + bias[k] + (sum ? y[yIndex + j] : 0))} for j < cols, the problem's
     * {@link org.conv4j.Epilogue} in the reference's order (bias only if the problem has one).
     */
    private void epilogue(float[] row, int cols, int k, FloatBuffer yb, int yIndex) {
        if (bias != null) {
            final float bk = bias[k];
            for (int j = 0; j < cols; j++) row[j] += bk;
        }
        final Epilogue epi = problem().epilogue();
        if (epi.sum()) {
            for (int j = 0; j < cols; j++) row[j] += yb.get(yIndex + j);
        }
        if (epi.activation() != Epilogue.Activation.NONE) {
            for (int j = 0; j < cols; j++) row[j] = epi.activate(row[j]);
        }
        yb.put(yIndex, row, 0, cols);
    }
}
