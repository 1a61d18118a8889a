package org.conv4j.bench;

import java.util.Locale;
import java.util.SplittableRandom;
import org.conv4j.Conv2dBackend;
import org.conv4j.Conv2dPlan;
import org.conv4j.Conv2dProblem;
import org.conv4j.Fidelity;
import org.conv4j.Tensor;
import org.conv4j.Winograd;
import org.conv4j.backend.NativeIm2colGemmBackend;
import org.conv4j.backend.NativeWinogradBackend;
import org.conv4j.backend.ReferenceDirect;

/**
 * The README's accuracy table of the Winograd variants on the {@code shapes.csv} cases they apply to, beside the
 * strict native path: per case and algorithm, the largest error over the strict bound and the fewest correct digits
 * relative to the terms' magnitude (both over every output, against the reference) and the largest error over the
 * variant's own bound on a seeded sample of {@link #SAMPLE} outputs
 * ({@link Winograd#bound} costs about {@code C/G * alpha^4} operations an output). Data: {@link Workload}'s seeded
 * uniform [-1, 1). Run: {@code java -cp benchmarks/target/benchmarks.jar org.conv4j.bench.WinogradAccuracy}.
 */
public final class WinogradAccuracy {
    static final int SAMPLE = 2000;

    private WinogradAccuracy() {
    }

    public static void main(String[] args) {
        System.out.println("| case | algorithm | max error / strict bound | digits beyond strict"
                + " | min digits of sum abs(x*w) | max error / own bound (2,000 sampled) |");
        System.out.println("| --- | --- | ---: | ---: | ---: | ---: |");
        for (String name : Shapes.all().keySet()) {
            Conv2dProblem p = Shapes.get(name, org.conv4j.Precision.FAST);
            if (!Winograd.applies(p)) continue;
            try (Workload wl = new Workload(p)) {
                float[] x = wl.x.toArray(), w = wl.w.toArray(), b = wl.bias == null ? null : wl.bias.toArray();
                int m = (int) p.outputElements();
                float[] ref = new float[m];
                double[] exact = new double[m], mag = new double[m];
                ReferenceDirect.compute(p, x, w, b, null, ref, exact, mag);
                Conv2dProblem strict = Shapes.get(name);
                row(name, "native (strict)", strict, run(new NativeIm2colGemmBackend(1), strict, wl), exact, mag, Double.NaN);
                for (Winograd v : Winograd.values()) {
                    float[] y = run(new NativeWinogradBackend(v, 1), p, wl);
                    row(name, v.label(), p, y, exact, mag, ownBoundSample(p, v, x, w, b, y, exact));
                }
            }
        }
    }

    private static float[] run(Conv2dBackend backend, Conv2dProblem p, Workload wl) {
        try (Conv2dPlan plan = backend.plan(p); Tensor out = plan.forward(wl.x, wl.w, wl.bias)) {
            return out.toArray();
        }
    }

    /**
     * One table row: the largest error over the strict bound, its log10 when above 1 (the digits FAST spends), and the
     * fewest correct digits relative to each output's {@code sum |x*w| + |bias|}, {@code -log10(|y - exact| / mag)}.
     */
    private static void row(String name, String algorithm, Conv2dProblem p, float[] y, double[] exact, double[] mag,
                            double own) {
        double worst = 0, digits = Fidelity.FLOAT_DIGITS;
        for (int i = 0; i < y.length; i++) {
            double err = Math.abs(y[i] - exact[i]);
            worst = Math.max(worst, err / Fidelity.bound(p, mag[i]));
            if (err > 0) digits = Math.min(digits, -Math.log10(err / mag[i]));
        }
        System.out.printf(Locale.ROOT, "| %s | %s | %.3g | %.2f | %.1f | %s |%n", name, algorithm, worst,
                worst > 1 ? Math.log10(worst) : 0, digits, Double.isNaN(own) ? "-" : String.format(Locale.ROOT, "%.3g", own));
    }

    /** Largest {@code |y - exact| / own bound} over a seeded sample of outputs. */
    static double ownBoundSample(Conv2dProblem p, Winograd v, float[] x, float[] w, float[] b, float[] y, double[] exact) {
        SplittableRandom rnd = new SplittableRandom(7);
        ReferenceDirect.Source xs = ReferenceDirect.Source.of(x), ws = ReferenceDirect.Source.of(w);
        long pq = p.p() * p.q();
        double worst = 0;
        for (int i = 0; i < SAMPLE; i++) {
            long e = rnd.nextLong(p.outputElements()), n = e / pq / p.k(), k = e / pq % p.k();
            long row = e / p.q() % p.p(), col = e % p.q();
            double bound = v.bound(p, xs, ws, n, k, row, col, b == null ? 0 : Math.abs((double) b[(int) k]));
            worst = Math.max(worst, Math.abs(y[(int) e] - exact[(int) e]) / bound);
        }
        return worst;
    }
}
