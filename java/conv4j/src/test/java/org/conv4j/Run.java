package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.conv4j.Algorithm;

/** Test helpers: the backends and algorithms the tests cover, and runs over heap arrays. */
final class Run {
    private Run() {
    }

    /** Backends the tests cover: java and the reference always, native unless the build skipped it. */
    static Stream<String> backends() {
        return Stream.of("native", "java", "reference");
    }

    /**
     * The backend {@code name}; native skips the test (an assumption) only when the build skipped the native
     * library ({@code -Dconv4j.native.skip=true}), else it must load: a missing library fails loudly.
     */
    static Conv2dBackend backend(String name) {
        assumeTrue(!skipped(name), "native build skipped (-Dconv4j.native.skip=true)");
        return loaded(name);
    }

    /**
     * Every backend of {@link #backends()} with {@link #backend(String)}'s rule, for tests that loop over
     * them inside one test: native is left out only when the build skipped it, never because it fails to load.
     */
    static List<Conv2dBackend> testedBackends() {
        return backends().filter(name -> !skipped(name)).map(Run::loaded).toList();
    }

    private static boolean skipped(String name) {
        return name.equals("native") && Boolean.getBoolean("conv4j.native.skip");
    }

    private static Conv2dBackend loaded(String name) {
        if (name.equals("native")) org.conv4j.backend.NativeLibrary.require(); // fails loudly, never skips
        return Backends.byName(name);
    }

    /**
     * The problem of {@code b} once per algorithm of the registry that applies to it, each forced with
     * {@link Conv2dProblem.Builder#algorithm}, in {@link Algorithm} order; {@link Algorithm#IM2COL_GEMM}
     * always applies. The one enumeration of "every algorithm" that tests iterate, so an algorithm added to
     * the registry is covered where it applies. Leaves {@code b} without a forced algorithm.
     */
    static List<Conv2dProblem> paths(Conv2dProblem.Builder b) {
        List<Conv2dProblem> out = forEachApplying(b.algorithm(null).build(), a -> b.algorithm(a).build());
        b.algorithm(null);
        return out;
    }

    /** {@link #paths(Conv2dProblem.Builder)} for a problem given by its descriptor. */
    static List<Conv2dProblem> paths(String descriptor) {
        return forEachApplying(Conv2dProblem.parse(descriptor),
                a -> Conv2dProblem.parse(descriptor + "_alg-" + a.label()));
    }

    private static List<Conv2dProblem> forEachApplying(Conv2dProblem chosen, Function<Algorithm, Conv2dProblem> forced) {
        List<Conv2dProblem> out = new ArrayList<>();
        for (Algorithm a : Algorithm.values()) {
            if (!chosen.applies(a)) continue;
            Conv2dProblem p = forced.apply(a);
            assertEquals(a, p.algorithm(), p::toString);
            out.add(p);
        }
        return out;
    }

    /**
     * Fails unless the problems a test ran reach every {@link Algorithm} except {@code cannotApply}
     * (algorithms that cannot run any problem of the test's kind, e.g. {@link Algorithm#DIRECT_GEMM} for a
     * padded border), so a test that iterates {@link #paths} cannot silently run fewer of them.
     */
    static void assertEveryAlgorithm(Collection<Conv2dProblem> ran, Algorithm... cannotApply) {
        Set<Algorithm> expected = EnumSet.allOf(Algorithm.class);
        expected.removeAll(Arrays.asList(cannotApply));
        // The Winograd algorithms apply only under Precision.FAST, which these strict tables never ask for; their
        // own tests (WinogradTest, WinogradCheckedTest, WinogradRegistryTest) cover borders, epilogues and groups.
        expected.removeIf(a -> a.winograd() != null);
        Set<Algorithm> reached = ran.stream().map(Conv2dProblem::algorithm)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Algorithm.class)));
        assertEquals(expected, reached, () -> "algorithms reached by " + ran);
    }

    /**
     * Runs each of {@code problems} (e.g. {@link #paths}) on {@code backend}, problems whose every output plane
     * reads one input plane ({@code C/groups = 1}): {@code plane} in every input channel, {@code filter} as every
     * filter, a zero bias. {@code check} gets each output plane with a label naming the backend, the problem and
     * the plane; the problems are added to {@code ran}.
     */
    static void planes(String backend, List<Conv2dProblem> problems, float[] plane, float[] filter,
                       List<Conv2dProblem> ran, BiConsumer<String, float[]> check) {
        for (Conv2dProblem p : problems) {
            assertEquals(1, p.cPerGroup(), p::toString);
            float[] y = forward(backend, p, repeat(plane, p.n() * p.c()), repeat(filter, p.k()),
                    p.hasBias() ? new float[(int) p.k()] : null);
            int pq = (int) (p.p() * p.q());
            for (int i = 0; i < y.length; i += pq) {
                check.accept(backend + " " + p + " plane " + i / pq, Arrays.copyOfRange(y, i, i + pq));
            }
            ran.add(p);
        }
    }

    /** {@code a} repeated {@code times} times. */
    static float[] repeat(float[] a, long times) {
        float[] out = new float[(int) (a.length * times)];
        for (int i = 0; i < out.length; i++) out[i] = a[i % a.length];
        return out;
    }

    static float[] forward(String backend, Conv2dProblem p, float[] x, float[] w, float[] bias) {
        return forward(backend(backend), p, x, w, bias);
    }

    /** Runs into a zero-filled output tensor, so a summing epilogue adds a zero residual. */
    static float[] forward(Conv2dBackend b, Conv2dProblem p, float[] x, float[] w, float[] bias) {
        try (Tensor tx = Tensor.of(x, p.inputShape());
             Tensor tw = Tensor.of(w, p.weightShape());
             Tensor tb = bias == null ? null : Tensor.of(bias, p.biasShape());
             Tensor ty = Tensor.zeros(p.outputShape())) {
            Conv2d.forward(p, tx, tw, tb, ty, b);
            return ty.toArray();
        }
    }
}
