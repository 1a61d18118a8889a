package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The whole parameter space, hostile values included (0, 1, negative, 2^31, 2^63-1, ...): every
 * combination either computes the reference's result on every available backend (bit for bit on integer
 * data) or raises {@link IllegalArgumentException} with a message; never another exception, a crash or a
 * native error. Problems too large to compute here are planned only when the plan is cheap, and those
 * beyond what a tensor can hold must be rejected by every backend's plan before allocating.
 */
class HostileParametersTest {
    /** Largest problem computed on every backend (in elements and in multiply-adds). */
    static final long COMPUTE_LIMIT = 20_000;

    static final Long[] HOSTILE = {0L, -1L, -7L, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE / 2,
        (long) Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, 1L << 32, 1L << 40, 1L << 62, 46_341L, 65_536L, 3_037_000_500L};

    @Provide
    Arbitrary<Long> size() {
        return mix(Arbitraries.longs().between(1, 6));
    }

    @Provide
    Arbitrary<Long> step() {
        return mix(Arbitraries.longs().between(1, 3));
    }

    @Provide
    Arbitrary<Long> pad() {
        return mix(Arbitraries.longs().between(0, 4));
    }

    /** Mostly valid values, a hostile one about once in 25 draws. */
    static Arbitrary<Long> mix(Arbitrary<Long> valid) {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(24, valid),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(HOSTILE)));
    }

    @Provide
    Arbitrary<Float> bound() {
        return Arbitraries.frequency(net.jqwik.api.Tuple.of(3, -3f), net.jqwik.api.Tuple.of(3, 0f),
                net.jqwik.api.Tuple.of(3, 2f), net.jqwik.api.Tuple.of(3, 6f), net.jqwik.api.Tuple.of(1, Float.NaN),
                net.jqwik.api.Tuple.of(1, Float.NEGATIVE_INFINITY), net.jqwik.api.Tuple.of(1, Float.POSITIVE_INFINITY));
    }

    @Property(tries = 8_000, seed = "20261126", shrinking = ShrinkingMode.BOUNDED, generation = GenerationMode.RANDOMIZED)
    void everyCombinationComputesOrIsRejected(
            @ForAll("size") long n, @ForAll("size") long c, @ForAll("size") long h, @ForAll("size") long w,
            @ForAll("size") long k, @ForAll("size") long r, @ForAll("size") long s,
            @ForAll("step") long sh, @ForAll("step") long sw, @ForAll("step") long dh, @ForAll("step") long dw,
            @ForAll("pad") long pt, @ForAll("pad") long pl, @ForAll("pad") long pb, @ForAll("pad") long pr,
            @ForAll @IntRange(min = 0, max = 6) int groupChoice, @ForAll boolean bias, @ForAll Mode mode,
            @ForAll Border border, @ForAll AutoPad autoPad, @ForAll @IntRange(min = 0, max = 9) int activation,
            @ForAll boolean sum, @ForAll("bound") float lo, @ForAll("bound") float hi,
            @ForAll @IntRange(min = 0, max = 9) int workspaceChoice) {
        Conv2dProblem.Builder b = Conv2dProblem.builder().input(n, c, h, w).filters(k, r, s).stride(sh, sw)
                .dilation(dh, dw).bias(bias).mode(mode).border(border)
                // groups: 1 (most often), 2, 3, depthwise (C), or 0
                .groups(groupChoice <= 2 ? 1 : groupChoice == 5 ? c : groupChoice == 6 ? 0 : groupChoice - 1);
        if (autoPad == AutoPad.NOTSET) b.pad(pt, pl, pb, pr); else b.autoPad(autoPad);
        if (workspaceChoice == 0) b.workspaceLimitBytes(1 + (pt & 63));
        if (workspaceChoice == 1) b.workspaceLimitBytes(pb - 2);
        Conv2dProblem p;
        try {
            Epilogue e = activation <= 3 ? Epilogue.NONE : activation <= 5 ? Epilogue.relu()
                    : activation <= 8 ? Epilogue.clamp(lo, hi) : new Epilogue(false, null, lo, hi);
            p = b.epilogue(sum ? e.withSum() : e).build();
        } catch (IllegalArgumentException rejected) {
            assertTrue(rejected.getMessage() != null && !rejected.getMessage().isEmpty());
            Statistics.collect("rejected by the descriptor");
            return;
        }
        assertTrue(p.p() >= 1 && p.q() >= 1 && p.tileRows() >= 1 && p.tileRows() <= p.p(), p::toString);
        assertEquals(p.toString(), Conv2dProblem.parse(p.toString()).toString(), "descriptor round trip");
        Statistics.collect(small(p) ? "computed" : "planned only");
        if (small(p)) {
            computeOnEveryBackend(p);
        } else {
            planOnEveryBackend(p);
        }
    }

    static boolean small(Conv2dProblem p) {
        return p.inputElements() <= COMPUTE_LIMIT && p.weightElements() <= COMPUTE_LIMIT
                && p.outputElements() <= COMPUTE_LIMIT && p.outputElements() * p.reduction() <= COMPUTE_LIMIT;
    }

    static void computeOnEveryBackend(Conv2dProblem p) {
        SplittableRandom rnd = new SplittableRandom(p.hashCode());
        float[] x = RandomProblems.integers(rnd, p.inputElements(), 6);
        float[] wt = RandomProblems.integers(rnd, p.weightElements(), 3);
        float[] bias = p.hasBias() ? RandomProblems.integers(rnd, p.k(), 9) : null;
        float[] yIn = p.epilogue().sum() ? RandomProblems.integers(rnd, p.outputElements(), 9) : null;
        for (Conv2dBackend backend : Backends.all()) {
            if (!backend.isAvailable()) continue;
            FidelityReport rep;
            try {
                rep = Fidelity.check(p, backend, x, wt, bias, yIn);
            } catch (IllegalArgumentException beyondBackend) { // e.g. the java backend's 32-bit index range
                assertTrue(beyondBackend.getMessage().contains(p.toString()), beyondBackend::getMessage);
                Statistics.collect("rejected by the " + backend.name() + " backend");
                continue;
            }
            assertEquals(rep.elements(), rep.bitIdentical(), () -> backend.name() + " on integer data: " + rep);
        }
    }

    /**
     * A valid problem too large to compute here: planning either succeeds (and is closed at once) or is an
     * IllegalArgumentException; any problem a tensor cannot hold must be rejected. Plans whose workspace
     * would be large are not attempted (they would allocate it).
     */
    static void planOnEveryBackend(Conv2dProblem p) {
        boolean tensorsFit = p.inputElements() <= Tensor.MAX_ELEMENTS && p.weightElements() <= Tensor.MAX_ELEMENTS
                && p.outputElements() <= Tensor.MAX_ELEMENTS;
        boolean workspaceFits = p.workspaceElements() <= Tensor.MAX_ELEMENTS;
        for (Conv2dBackend backend : Backends.all()) {
            if (!backend.isAvailable()) continue;
            boolean mustReject = !tensorsFit || (!workspaceFits && backend.name().equals("native"));
            if (!mustReject && p.workspaceBytes() > 64L << 20) continue; // planning would allocate it
            try (Conv2dPlan plan = backend.plan(p)) {
                assertTrue(!mustReject, () -> backend.name() + " planned " + p + ", which it cannot run");
            } catch (IllegalArgumentException rejected) {
                assertTrue(rejected.getMessage().contains(p.toString()), rejected::getMessage);
            }
        }
    }
}
