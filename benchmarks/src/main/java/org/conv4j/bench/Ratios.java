package org.conv4j.bench;

import java.util.List;
import java.util.Locale;

/**
 * The ratios the performance targets are stated in, per case: native time over bare sgemm time
 * (1 thread; target <= 1.1), native all-cores speed over 1-thread speed (target >= 1.6), native
 * (1 thread) speed over the reference's (target >= 80) and the java backend's speed at 1 thread.
 */
final class Ratios {
    private Ratios() {
    }

    static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder("\n## Ratios\n\n");
        sb.append("| case | native/sgemm time (1 thr) | native all/1 thr speed | native/reference speed | java/native speed (1 thr) |\n");
        sb.append("| --- | ---: | ---: | ---: | ---: |\n");
        rows.stream().map(Row::shape).distinct().forEach(c -> {
            double n1 = ms(rows, c, "native", 1), nAll = ms(rows, c, "native", Runtime.getRuntime().availableProcessors());
            double s1 = ms(rows, c, "sgemm", 1), ref = ms(rows, c, "reference", 1), j1 = ms(rows, c, "java", 1);
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", c, f(n1 / s1), f(n1 / nAll),
                    f(ref / n1), f(n1 / j1)));
        });
        return sb.toString();
    }

    private static double ms(List<Row> rows, String shape, String backend, int threads) {
        return rows.stream().filter(r -> r.shape().equals(shape) && r.backend().equals(backend)
                && r.threads() == threads && r.ran()).mapToDouble(Row::ms).findFirst().orElse(Double.NaN);
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }
}
