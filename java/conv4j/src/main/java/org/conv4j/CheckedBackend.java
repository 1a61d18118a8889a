package org.conv4j;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.conv4j.backend.ReferenceDirect;
import org.conv4j.backend.ReferenceDirect.Source;

/**
 * The silent-corruption guard: a backend decorator that, after every call, recomputes a random sample
 * of the output elements with the reference's arithmetic ({@link ReferenceDirect#dotRun}) and throws
 * {@link FidelityException} if any lies outside {@link Fidelity}'s rigorous error bound (for a Winograd
 * algorithm of {@link Precision#FAST}, its own bound {@link Winograd#bound}). The tensors are
 * read in place through {@link java.nio.FloatBuffer} views of their off-heap memory: nothing is copied
 * but the sampled residual inputs of a summing epilogue (read before the call overwrites them).
 *
 * <p>Each call checks {@code E = max(1, round(rate * outputs))} elements, each a Java dot product of
 * length {@link Conv2dProblem#reduction()}, drawn as blocks of {@code L x M} outputs: {@code L} consecutive
 * output positions of the flattened {@code (n, p, q)} grid from a uniformly random first one (cyclically,
 * so every position is equally likely), times {@code M} consecutive channels from a uniformly random first
 * one (cyclically), {@code L = min(16, N*P*Q)}, {@code M = max(1, min(K, K / L))}; the last block is cut at E.
 * Every element is thus sampled with the same probability. The blocks are what makes the check cheap:
 * its cost is cache misses, not arithmetic (a sampled element's input window is cold after the call), and
 * L neighbours along q share their input rows and their output cache line, M channels their input window.
 * Single elements scattered at random cost a miss per input row read and were about 15 times slower; one
 * position with all K channels (the previous scheme) missed on K output lines and, for depthwise layers,
 * K input windows, and cost 7 % of a depthwise layer. The cost at {@link #DEFAULT_RATE} is measured by
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

    /**
     * The wrapped backend's constant-weight plan, checked like every call: the wrapped backend prepares
     * the weights its way; the check recomputes samples from its own copy of them.
     */
    @Override
    public Winograd winograd(Conv2dProblem problem) {
        return inner.winograd(problem);
    }

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
        /** Most consecutive output positions of one block: one 64-byte line of output floats. */
        private static final int RUN = 16;
        private final Conv2dPlan inner;
        private final SplittableRandom random = new SplittableRandom();
        private final long positions; // N*P*Q
        private final long run, channels; // L and M of a block
        private final long[] blockStart;
        private final long[] blockChannel;
        private final int elements;
        private final float[] residual;
        private final Winograd winograd;
        private final double[] sums, mags;

        Plan(Conv2dProblem pr, Conv2dPlan inner, double rate, Winograd winograd) {
            super(pr);
            this.inner = inner;
            this.winograd = winograd;
            long m = pr.outputElements();
            elements = (int) Math.max(1, Math.min(m, Math.round(rate * m)));
            positions = pr.n() * pr.p() * pr.q();
            boolean all = elements == m; // rate 1: every element once, one block over everything
            run = all ? positions : Math.min(RUN, positions);
            channels = all ? pr.k() : Math.max(1, Math.min(pr.k(), pr.k() / run));
            int blocks = (int) ((elements + run * channels - 1) / (run * channels));
            blockStart = new long[blocks];
            blockChannel = new long[blocks];
            residual = new float[pr.epilogue().sum() ? elements : 0];
            int longest = (int) Math.min(run, pr.q());
            sums = new double[longest];
            mags = new double[longest];
        }

        @Override
        protected void compute(Tensor x, Tensor w, Tensor bias, Tensor y) {
            Conv2dProblem pr = problem();
            long pq = pr.p() * pr.q();
            boolean all = elements == pr.outputElements();
            for (int i = 0; i < blockStart.length; i++) {
                blockStart[i] = all ? 0 : random.nextLong(positions);
                blockChannel[i] = all ? 0 : random.nextLong(pr.k());
            }
            FloatBuffer out = y.view();
            for (int e = 0; e < residual.length; e++) residual[e] = out.get((int) element(pr, e));
            inner.compute(x, w, bias, y);
            Source xs = Source.of(x.view()), ws = Source.of(w.view());
            Source bs = bias == null ? null : Source.of(bias.view());
            // Element e = b*L*M + m*L + l: the run of block b along the flattened (n, p, q) grid, cut into
            // pieces that stay within one output row, each piece's outputs computed together.
            for (int e = 0; e < elements; ) {
                long at = element(pr, e), n = at / (pr.k() * pq), k = at / pq % pr.k(), p = at % pq / pr.q(), q = at % pr.q();
                int inRun = (int) (run - e % (run * channels) % run);
                int piece = (int) Math.min(Math.min(inRun, elements - e), pr.q() - q);
                ReferenceDirect.dotRun(pr, xs, ws, bs, n, k, p, q, piece, sums, mags);
                for (int l = 0; l < piece; l++, e++, at++) {
                    double sum = sums[l], mag = mags[l];
                    if (pr.epilogue().sum()) {
                        sum += residual[e];
                        mag += Math.abs((double) residual[e]);
                    }
                    double exact = pr.epilogue().activate(sum);
                    double bound = winograd == null ? Fidelity.bound(pr, mag) : winograd.bound(pr, xs, ws, n, k, p, q + l,
                            (bs == null ? 0 : Math.abs((double) bs.get(k)))
                                    + (pr.epilogue().sum() ? Math.abs((double) residual[e]) : 0));
                    float got = out.get((int) at);
                    if (bound != Double.POSITIVE_INFINITY && !(Fidelity.boundRatio(got, exact, bound) <= 1)) {
                        throw new FidelityException(pr, at, got, exact, bound);
                    }
                }
            }
        }

        /**
         * Flat NCHW index of sampled element e: block b = e / (L*M), j = e mod (L*M); channel
         * (blockChannel[b] + j / L) mod K at flat position (blockStart[b] + j mod L) mod N*P*Q.
         */
        private long element(Conv2dProblem pr, int e) {
            long pq = pr.p() * pr.q(), size = run * channels;
            int b = (int) (e / size);
            long j = e % size;
            long k = (blockChannel[b] + j / run) % pr.k(), position = (blockStart[b] + j % run) % positions;
            return (position / pq * pr.k() + k) * pq + position % pq;
        }

        @Override
        protected void release() {
            inner.close();
        }
    }
}
