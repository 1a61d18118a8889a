package org.conv4j;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.conv4j.backend.ReferenceDirect;
import org.conv4j.backend.ReferenceDirect.Source;

/**
 * The silent-corruption guard: a backend decorator that, after every call, recomputes a random sample
 * of the output elements with the reference's arithmetic ({@link ReferenceDirect#dot}) and throws
 * {@link FidelityException} if any lies outside {@link Fidelity}'s rigorous error bound (for a Winograd
 * algorithm of {@link Precision#FAST}, its own bound {@link Winograd#bound}). The tensors are
 * read in place through {@link java.nio.FloatBuffer} views of their off-heap memory: nothing is copied
 * but the sampled residual inputs of a summing epilogue (read before the call overwrites them).
 *
 * <p>Each call checks {@code E = max(1, round(rate * outputs))} elements, each a Java dot product of
 * length {@link Conv2dProblem#reduction()}: {@code ceil(E / K)} output positions {@code (n, p, q)} drawn
 * uniformly (with replacement) and, at each, up to K consecutive channels from a random first one. Checking whole positions keeps the input window
 * of a position in cache across its K dot products; scattered single elements cost a cache miss per
 * input row read and were about 15 times slower. The cost at {@link #DEFAULT_RATE} is measured by
 * {@code benchmarks/.../CheckedOverheadBenchmark}. Obtain one with {@link Backends#checked}.
 *
 * <p>Thread safety: the decorator is stateless and thread-safe like the backend it wraps; its plans are
 * not (one plan per thread, as for every {@link Conv2dPlan}).
 */
public final class CheckedBackend implements Conv2dBackend {
    /** Default fraction of output elements recomputed per call. */
    public static final double DEFAULT_RATE = 2.5e-4;

    private final Conv2dBackend inner;
    private final double rate;

    CheckedBackend(Conv2dBackend inner, double rate) {
        if (inner == null) throw new IllegalArgumentException("backend to check must not be null");
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("sample rate must be in (0, 1], got " + rate);
        }
        this.inner = inner;
        this.rate = rate;
    }

    /** {@code checked:} and the wrapped backend's name. */
    @Override
    public String name() {
        return "checked:" + inner.name();
    }

    @Override
    public boolean isAvailable() {
        return inner.isAvailable();
    }

    public double rate() {
        return rate;
    }

    @Override
    public Conv2dPlan plan(Conv2dProblem problem) {
        return new Plan(problem, inner.plan(problem), rate, inner.winograd(problem));
    }

    @Override
    public Winograd winograd(Conv2dProblem problem) {
        return inner.winograd(problem);
    }

    /**
     * The wrapped backend's constant-weight plan, checked like every call: the wrapped backend prepares
     * the weights its way; the check recomputes samples from its own copy of them.
     */
    @Override
    public ConstantWeightPlan plan(Conv2dProblem problem, Tensor weights, Tensor bias) {
        ConstantWeightPlan prepared = inner.plan(problem, weights, bias);
        try {
            return ConstantWeightPlan.copying(problem, weights, bias,
                    () -> new Plan(problem, prepared.asPerCallPlan(), rate,
                    inner.winograd(problem)));
        } catch (RuntimeException | Error e) {
            prepared.close();
            throw e;
        }
    }

    private static final class Plan extends Conv2dPlan {
        private final Conv2dPlan inner;
        private final SplittableRandom random = new SplittableRandom();
        private final long[] positions;
        private final long[] firstChannel;
        private final int elements;
        private final float[] residual;
        private final Winograd winograd;

        Plan(Conv2dProblem pr, Conv2dPlan inner, double rate, Winograd winograd) {
            super(pr);
            this.inner = inner;
            this.winograd = winograd;
            long m = pr.outputElements();
            elements = (int) Math.max(1, Math.min(m, Math.round(rate * m)));
            positions = new long[(int) ((elements + pr.k() - 1) / pr.k())];
            firstChannel = new long[positions.length];
            residual = new float[pr.epilogue().sum() ? elements : 0];
        }

        @Override
        protected void compute(Tensor x, Tensor w, Tensor bias, Tensor y) {
            Conv2dProblem pr = problem();
            long pq = pr.p() * pr.q();
            boolean all = elements == pr.outputElements(); // rate 1: every element, not a sample with repeats
            for (int i = 0; i < positions.length; i++) {
                positions[i] = all ? i : random.nextLong(pr.n() * pq);
                firstChannel[i] = all ? 0 : random.nextLong(pr.k());
            }
            FloatBuffer out = y.pointer().asBuffer();
            for (int e = 0; e < residual.length; e++) residual[e] = out.get((int) element(pr, e));
            inner.compute(x, w, bias, y);
            Source xs = Source.of(x.pointer().asBuffer()), ws = Source.of(w.pointer().asBuffer());
            Source bs = bias == null ? null : Source.of(bias.pointer().asBuffer());
            double[] mag = new double[1];
            // consecutive elements share a position: its input window stays in cache across their dot products
            for (int e = 0; e < elements; e++) {
                long at = element(pr, e), position = positions[(int) (e / pr.k())];
                long n = position / pq, p = position / pr.q() % pr.p(), q = position % pr.q();
                double sum = ReferenceDirect.dot(pr, xs, ws, bs, n, at / pq % pr.k(), p, q, mag);
                if (pr.epilogue().sum()) {
                    sum += residual[e];
                    mag[0] += Math.abs((double) residual[e]);
                }
                long k = at / pq % pr.k();
                double exact = pr.epilogue().activate(sum);
                double bound = winograd == null ? Fidelity.bound(pr, mag[0]) : winograd.bound(pr, xs, ws, n, k, p, q,
                        (bs == null ? 0 : Math.abs((double) bs.get(k))) + (pr.epilogue().sum() ? Math.abs((double) residual[e]) : 0));
                float got = out.get((int) at);
                if (bound != Double.POSITIVE_INFINITY && !(Fidelity.boundRatio(got, exact, bound) <= 1)) {
                    throw new FidelityException(pr, at, got, exact, bound);
                }
            }
        }

        /** Flat NCHW index of sampled element e: channel (first + j) mod K at position e / K, j = e mod K. */
        private long element(Conv2dProblem pr, int e) {
            long pq = pr.p() * pr.q(), i = e / pr.k();
            long k = (firstChannel[(int) i] + e % pr.k()) % pr.k();
            return (positions[(int) i] / pq * pr.k() + k) * pq + positions[(int) i] % pq;
        }

        @Override
        protected void release() {
            inner.close();
        }
    }
}
