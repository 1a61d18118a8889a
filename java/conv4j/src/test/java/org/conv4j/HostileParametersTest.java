package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The whole parameter space, hostile values included (0, 1, negative, 2^31, 2^63-1, ...): every
 * combination, on its automatic or a forced algorithm, either computes the reference's result on every
 * backend (bit for bit on integer data) or raises {@link IllegalArgumentException} with a message; never
 * another exception, a crash or a native error. Problems too large to compute here are planned only when
 * the plan is cheap, and those beyond what a tensor can hold must be rejected by every backend's plan
 * before allocating. A {@link Property}: a failure prints the seed that re-runs it.
 */
class HostileParametersTest {
    /** Largest problem computed on every backend (in elements and in multiply-adds). */
    static final long COMPUTE_LIMIT = 20_000;

    /** Clamp bounds; hostile cases add NaN and the infinities ({@link #HOSTILE_BOUNDS}). */
    static final Float[] BOUNDS = {-3f, 0f, 2f, 6f};
    static final Float[] HOSTILE_BOUNDS = {-3f, -3f, -3f, 0f, 0f, 0f, 2f, 2f, 2f, 6f, 6f, 6f,
        Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};

    @Test
    void everyCombinationComputesOrIsRejected() {
        Property.Result r = Property.check(HostileParametersTest.class, "everyCombinationComputesOrIsRejected",
                10_000, 20261126L, HostileParametersTest::oneCombination);
        // not vacuous: about 35 % computed (4-20 % on each path), 5 % planned, 60 % rejected (jqwik's: 14 % computed)
        r.assertShare("computed", 0.2);
        r.assertShare("planned only", 0.02);
        r.assertShare("rejected by the descriptor", 0.2);
        for (Algorithm path : Algorithm.values()) {
            // the Winograd algorithms need Precision.FAST, which these strict combinations never set (WinogradTest)
            if (path.winograd() == null) r.assertShare("computed on " + path, 0.02);
        }
    }

    static void oneCombination(Gen g) {
        Conv2dProblem.Builder b = builder(g);
        Conv2dProblem p;
        try {
            b.epilogue(epilogue(g));
            // half the problems forced onto one of the algorithms that apply to them
            List<Conv2dProblem> forced = Run.paths(b);
            p = g.bool("forcePath") ? g.oneOf("path", forced) : b.build();
        } catch (IllegalArgumentException rejected) {
            assertTrue(rejected.getMessage() != null && !rejected.getMessage().isEmpty());
            g.count("rejected by the descriptor");
            return;
        }
        g.describe(p);
        assertTrue(p.p() >= 1 && p.q() >= 1 && p.tileRows() >= 1 && p.tileRows() <= p.p(), p::toString);
        assertEquals(p.toString(), Conv2dProblem.parse(p.toString()).toString(), "descriptor round trip");
        g.count(small(p) ? "computed" : "planned only");
        if (small(p)) {
            g.count("computed on " + p.algorithm());
            computeOnEveryBackend(p, g);
        } else {
            planOnEveryBackend(p);
        }
    }

    /** Shape, strides, dilations, pads, groups, mode, border, workspace limit: mostly valid, hostile at times. */
    static Conv2dProblem.Builder builder(Gen g) {
        // groups: 1 (most often), 2, 3, depthwise (C), or (hostile cases) a hostile value. Three times in
        // four C and K are multiples of the 2 or 3 groups and K of the depthwise C; else most likely rejected.
        int groupChoice = g.between("groupChoice", 0, g.hostile() ? 6 : 5);
        boolean divisible = g.between("divisible", 0, 3) > 0;
        long multiple = (groupChoice == 3 || groupChoice == 4) && divisible ? groupChoice - 1 : 1;
        long n = size(g, "n"), c = multiple * size(g, "c"), h = size(g, "h"), w = size(g, "w");
        long k = groupChoice == 5 && divisible ? c * g.between("multiplier", 1, 2) : multiple * size(g, "k");
        // one in eight 1x1, stride 1 and unpadded, the direct GEMM's problems (else about 1 in 2,000)
        boolean pointwise = g.between("pointwise", 0, 7) == 0;
        long r = pointwise ? 1 : size(g, "r"), s = pointwise ? 1 : size(g, "s");
        Conv2dProblem.Builder b = Conv2dProblem.builder().input(n, c, h, w).filters(k, r, s)
                .stride(pointwise ? 1 : step(g, "sh"), pointwise ? 1 : step(g, "sw")).dilation(step(g, "dh"), step(g, "dw"))
                .bias(g.bool("bias")).mode(g.oneOf("mode", Mode.values())).border(g.oneOf("border", Border.values()));
        b.groups(groupChoice <= 2 ? 1 : groupChoice == 5 ? c : groupChoice == 6 ? g.oneOf("groups", Gen.HOSTILE) : groupChoice - 1);
        long pt = pad(g, "pt"), pl = pad(g, "pl"), pb = pad(g, "pb"), pr = pad(g, "pr");
        AutoPad autoPad = g.oneOf("autoPad", AutoPad.values());
        if (pointwise) b.pad(0, 0, 0, 0); else if (autoPad == AutoPad.NOTSET) b.pad(pt, pl, pb, pr); else b.autoPad(autoPad);
        int workspaceChoice = g.between("workspaceChoice", 0, 9);
        if (workspaceChoice == 0) b.workspaceLimitBytes(1 + (pt & 63));
        if (workspaceChoice == 1 && g.hostile()) b.workspaceLimitBytes(pb - 2);
        return b;
    }

    /**
     * None, ReLU or a clamp, with or without the residual sum. A quarter of the inverted clamps stay inverted (lo > hi); hostile
     * cases add NaN and infinite bounds and a null activation, all of which must be rejected or pass through.
     */
    static Epilogue epilogue(Gen g) {
        int activation = g.between("activation", 0, g.hostile() ? 9 : 8);
        Float[] bounds = g.hostile() ? HOSTILE_BOUNDS : BOUNDS;
        float lo = g.oneOf("lo", bounds), hi = g.oneOf("hi", bounds);
        if (lo > hi && g.between("sortBounds", 0, 3) > 0) {
            float t = lo;
            lo = hi;
            hi = t;
        }
        boolean sum = g.bool("sum");
        Epilogue e = activation <= 3 ? Epilogue.NONE : activation <= 5 ? Epilogue.relu()
                : activation <= 8 ? Epilogue.clamp(lo, hi) : new Epilogue(false, null, lo, hi);
        return sum ? e.withSum() : e;
    }

    static long size(Gen g, String name) {
        return g.mixed(name, 1, 6);
    }

    static long step(Gen g, String name) {
        return g.mixed(name, 1, 3);
    }

    static long pad(Gen g, String name) {
        return g.mixed(name, 0, 4);
    }

    static boolean small(Conv2dProblem p) {
        return p.inputElements() <= COMPUTE_LIMIT && p.weightElements() <= COMPUTE_LIMIT
                && p.outputElements() <= COMPUTE_LIMIT && p.outputElements() * p.reduction() <= COMPUTE_LIMIT;
    }

    static void computeOnEveryBackend(Conv2dProblem p, Gen g) {
        SplittableRandom rnd = new SplittableRandom(p.hashCode());
        float[] x = RandomProblems.integers(rnd, p.inputElements(), 6);
        float[] wt = RandomProblems.integers(rnd, p.weightElements(), 3);
        float[] bias = p.hasBias() ? RandomProblems.integers(rnd, p.k(), 9) : null;
        float[] yIn = p.epilogue().sum() ? RandomProblems.integers(rnd, p.outputElements(), 9) : null;
        for (Conv2dBackend backend : Run.testedBackends()) {
            FidelityReport rep;
            try {
                rep = Fidelity.check(p, backend, x, wt, bias, yIn);
            } catch (IllegalArgumentException beyondBackend) { // e.g. the java backend's 32-bit index range
                assertTrue(beyondBackend.getMessage().contains(p.toString()), beyondBackend::getMessage);
                g.count("rejected by the " + backend.name() + " backend");
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
        for (Conv2dBackend backend : Run.testedBackends()) {
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
