package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A property test on JUnit alone: a body run on many seeded cases ({@link Gen}), each failure reported with
 * its descriptor and the one seed that re-creates it.
 *
 * <p>Cases. Each case has a 64-bit case seed; the first is the property's seed, each next one is drawn
 * from the previous. The seed's lowest bit says whether the case is hostile ({@link Gen#HOSTILE} values
 * mixed in): the first {@link #SMALL_SHARE} of the tries are small (bit 0), the rest hostile (bit 1), so
 * small, readable failures come first and a case seed alone fixes everything its case draws.
 *
 * <p>Reproducing. At its start a property prints one line {@code property <Class#method>: tries = N, seed = S}.
 * A failure names the case seed C and the line that re-runs exactly that case:
 * <pre>
 *   mvn -B -o -pl java/conv4j verify -Dtest='HostileParametersTest#everyCombinationComputesOrIsRejected' -Dconv4j.seed=C
 * </pre>
 * {@code -Dconv4j.seed=S} runs the case S alone; with {@code -Dconv4j.tries=N} too, the N cases from S
 * (so {@code -Dconv4j.seed=S -Dconv4j.tries=N} with the printed S and N repeats a whole run), and
 * {@code -Dconv4j.tries=N} alone overrides the count. Surefire passes {@code -D} properties of the Maven
 * command line to the test JVM. The shares checked by {@link Result#assertShare} are not checked on runs
 * of fewer than {@link Result#MIN_TRIES_FOR_SHARES} tries (a re-run of one case).
 */
final class Property {
    /** Share of the tries, first, that draw no hostile values. */
    static final double SMALL_SHARE = 0.2;

    private Property() {
    }

    /**
     * Runs {@code body} on {@code tries} cases from {@code seed} ({@code -Dconv4j.tries}, {@code -Dconv4j.seed}
     * override them); the first failing case fails the test with its case seed, descriptor and draws.
     */
    static Result check(Class<?> test, String method, int tries, long seed, Consumer<Gen> body) {
        String name = test.getSimpleName() + "#" + method;
        Long given = Long.getLong("conv4j.seed");
        int n = Integer.getInteger("conv4j.tries", given != null ? 1 : tries);
        int small = (int) Math.ceil(n * SMALL_SHARE);
        long caseSeed = given != null ? given : phase(seed, 0 < small);
        System.out.println("property " + name + ": tries = " + n + ", seed = " + caseSeed);
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            if (i > 0) caseSeed = phase(new SplittableRandom(caseSeed).nextLong(), i < small);
            Gen gen = new Gen(caseSeed);
            try {
                body.accept(gen);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError(String.format("property %s failed on try %d of %d, case seed %d (%s): %s%n"
                        + "re-run this case alone: mvn -B -o -pl java/conv4j verify -Dtest='%s' -Dconv4j.seed=%d%n"
                        + "failure: %s", name, i + 1, n, caseSeed, gen.hostile() ? "hostile" : "small", gen, name,
                        caseSeed, e), e);
            }
            for (String label : gen.labels()) counts.merge(label, 1, Integer::sum);
        }
        return new Result(name, n, counts);
    }

    private static long phase(long seed, boolean small) {
        return small ? seed & ~1L : seed | 1L;
    }

    /** How many cases ended under each {@link Gen#count} label. */
    record Result(String name, int tries, Map<String, Integer> counts) {
        static final int MIN_TRIES_FOR_SHARES = 100;

        int count(String label) {
            return counts.getOrDefault(label, 0);
        }

        /**
         * Fails unless at least {@code share} of the tries counted {@code label}: the property did not pass by
         * rejecting (or skipping) nearly everything. Not checked below {@link #MIN_TRIES_FOR_SHARES} tries.
         */
        void assertShare(String label, double share) {
            if (tries < MIN_TRIES_FOR_SHARES) return;
            assertTrue(count(label) >= share * tries, () -> String.format(
                    "property %s: '%s' in %d of %d tries, expected at least %.0f %%; all outcomes: %s",
                    name, label, count(label), tries, 100 * share, counts));
        }
    }
}
