package org.conv4j.cli;

import java.io.PrintWriter;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.conv4j.AutoPad;
import org.conv4j.Backends;
import org.conv4j.Conv2dProblem;
import org.conv4j.Fidelity;
import org.conv4j.FidelityReport;
import org.conv4j.Mode;
import org.conv4j.backend.NativeLibrary;
import org.conv4j.cli.support.Failures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code conv4j verify}: runs seeded random problems on the native backend and on the reference and
 * prints the fidelity table. Exits 1 if any case exceeds the rigorous error bound of {@link Fidelity}.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Run N random problems on native and reference; print the fidelity table; exit 1 if any exceeds the bound.")
final class VerifyCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--cases", paramLabel = "N", converter = Options.PositiveInt.class,
            description = "Number of random problems (default 20).")
    private int cases = 20;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default 1).")
    private long seed = 1;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        NativeLibrary.require();
        SplittableRandom rnd = new SplittableRandom(seed);
        out.printf("native (OpenBLAS %s) vs reference, %d cases, seed %d%n", NativeLibrary.openblasCoreName(), cases, seed);
        out.println("a case passes when error/bound <= 1 (its error is within the proven rounding bound); bit-identical %, max ulp"
                + " and digits are information: a different summation order changes the last bits without being wrong");
        out.printf("%-56s %9s %8s %7s %12s%n", "problem", "bit-id %", "max ulp", "digits", "error/bound");
        int failed = 0;
        for (int i = 0; i < cases; i++) {
            Conv2dProblem p = randomProblem(rnd);
            float[] x = gaussian(rnd, p.inputElements());
            float[] w = gaussian(rnd, p.weightElements());
            float[] b = p.hasBias() ? gaussian(rnd, p.k()) : null;
            FidelityReport r = Fidelity.check(p, Backends.nativeBackend(), x, w, b);
            boolean ok = r.withinBound();
            if (!ok) failed++;
            out.printf("%-56s %9.2f %8d %7.1f %12.3g%s%n", p, r.bitIdenticalPercent(), r.maxUlp(), r.minDigits(),
                    r.worstBoundRatio(), ok ? "" : "  EXCEEDS BOUND at index " + r.worstIndex());
        }
        out.println(failed == 0 ? "all " + cases + " cases within the error bound"
                : failed + " of " + cases + " cases exceed the error bound");
        return failed == 0 ? Failures.OK : Failures.FAILED;
    }

    /** Strides 1-3, asymmetric or auto padding, dilation 1-2, groups incl. depthwise, N 1-3, sizes 1-24. */
    static Conv2dProblem randomProblem(SplittableRandom rnd) {
        while (true) {
            int groups = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(4) : 1;
            int c = groups * (1 + rnd.nextInt(4));
            if (rnd.nextInt(5) == 0) groups = c; // depthwise
            int k = groups * (1 + rnd.nextInt(4));
            Conv2dProblem.Builder b = Conv2dProblem.builder()
                    .input(1 + rnd.nextInt(3), c, 1 + rnd.nextInt(24), 1 + rnd.nextInt(24))
                    .filters(k, 1 + rnd.nextInt(5), 1 + rnd.nextInt(5))
                    .stride(1 + rnd.nextInt(3), 1 + rnd.nextInt(3)).dilation(1 + rnd.nextInt(2), 1 + rnd.nextInt(2))
                    .groups(groups).bias(rnd.nextBoolean())
                    .mode(rnd.nextInt(4) == 0 ? Mode.CONVOLUTION : Mode.CROSS_CORRELATION);
            if (rnd.nextInt(4) == 0) {
                b.autoPad(AutoPad.values()[1 + rnd.nextInt(3)]);
            } else {
                b.pad(rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(3));
            }
            try {
                return b.build();
            } catch (IllegalArgumentException kernelLargerThanInput) {
                // draw again
            }
        }
    }

    static float[] gaussian(SplittableRandom rnd, long n) {
        float[] a = new float[(int) n];
        for (int i = 0; i < a.length; i++) {
            double u = rnd.nextDouble(), v = rnd.nextDouble();
            a[i] = (float) (Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v));
        }
        return a;
    }
}
