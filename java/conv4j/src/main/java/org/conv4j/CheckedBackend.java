package org.conv4j;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.conv4j.backend.ReferenceDirect;
import org.conv4j.backend.ReferenceDirect.Source;

/**
 * The silent-corruption guard: a backend decorator that, after every call, recomputes a random sample
 * of the output elements with the reference's arithmetic ({@link ReferenceDirect#dot}) and throws
 * {@link FidelityException} if any lies outside {@link Fidelity}'s rigorous error bound. The tensors are
 * read in place through {@link java.nio.FloatBuffer} views of their off-heap memory: nothing is copied
 * but the sampled residual inputs of a summing epilogue (read before the call overwrites them).
 *
 * <p>Each call checks {@code max(1, round(rate * outputs))} elements drawn uniformly (with replacement)
 * from a generator seeded per plan. Its cost is that many dot products of length
 * {@link Conv2dProblem#reduction()} in Java; at {@link #DEFAULT_RATE} it is measured by
 * {@code benchmarks/.../CheckedOverheadBenchmark}. Obtain one with {@link Backends#checked}.
 *
 * <p>Thread safety: the decorator is stateless and thread-safe like the backend it wraps; its plans are
 * not (one plan per thread, as for every {@link Conv2dPlan}).
 */
public final class CheckedBackend implements Conv2dBackend {
    /** Default fraction of output elements recomputed per call. */
    public static final double DEFAULT_RATE = 1e-3;

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
        return new Plan(problem, inner.plan(problem), rate);
    }

    private static final class Plan extends Conv2dPlan {
        private final Conv2dPlan inner;
        private final SplittableRandom random = new SplittableRandom();
        private final long[] sample;
        private final float[] residual;

        Plan(Conv2dProblem pr, Conv2dPlan inner, double rate) {
            super(pr);
            this.inner = inner;
            long m = pr.outputElements();
            int count = (int) Math.max(1, Math.min(m, Math.round(rate * m)));
            sample = new long[count];
            residual = new float[pr.epilogue().sum() ? count : 0];
        }

        @Override
        protected void compute(Tensor x, Tensor w, Tensor bias, Tensor y) {
            Conv2dProblem pr = problem();
            long m = pr.outputElements();
            for (int i = 0; i < sample.length; i++) sample[i] = random.nextLong(m);
            FloatBuffer out = y.pointer().asBuffer();
            for (int i = 0; i < residual.length; i++) residual[i] = out.get((int) sample[i]);
            inner.compute(x, w, bias, y);
            Source xs = Source.of(x.pointer().asBuffer()), ws = Source.of(w.pointer().asBuffer());
            Source bs = bias == null ? null : Source.of(bias.pointer().asBuffer());
            double[] mag = new double[1];
            long pq = pr.p() * pr.q(), kpq = pr.k() * pq;
            for (int i = 0; i < sample.length; i++) {
                long at = sample[i];
                double sum = ReferenceDirect.dot(pr, xs, ws, bs, at / kpq, at / pq % pr.k(), at / pr.q() % pr.p(),
                        at % pr.q(), mag);
                if (pr.epilogue().sum()) {
                    sum += residual[i];
                    mag[0] += Math.abs((double) residual[i]);
                }
                double exact = pr.epilogue().activate(sum);
                float got = out.get((int) at);
                double ratio = Fidelity.boundRatio(got, exact, Fidelity.bound(pr, mag[0]));
                if (!(ratio <= 1)) throw new FidelityException(pr, at, got, exact, Fidelity.bound(pr, mag[0]));
            }
        }

        @Override
        protected void release() {
            inner.close();
        }
    }
}
