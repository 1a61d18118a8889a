package org.conv4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of {@code conv4j bench}:
 * {@code [--cases a,b] [--backends native,native-winograd-f2,native-winograd-f4,java,reference,sgemm] [--threads 1|all] [--precision strict|fast] [--weights per-call|constant] [--quick] [--csv FILE] [--report DIR]}.
 * Bad options are an {@link IllegalArgumentException} with one clear message.
 */
final class BenchArgs {
    static final String USAGE = "usage: conv4j bench [--cases a,b] [--backends native,native-winograd-f2,native-winograd-f4,java,reference,sgemm]"
            + " [--threads 1|all] [--precision strict|fast] [--weights per-call|constant] [--quick] [--csv FILE] [--report DIR]";

    List<String> cases = new ArrayList<>(Shapes.all().keySet());
    List<String> backends = new ArrayList<>(BenchBackends.ALL);
    List<String> threads = List.of("1", "all");
    org.conv4j.Precision precision = org.conv4j.Precision.STRICT;
    /** {@code per-call} (a {@link org.conv4j.Conv2dPlan}: weights read on every call) or {@code constant} (a {@link org.conv4j.ConstantWeightPlan}). */
    String weights = "per-call";
    boolean quick;
    Path csv;
    Path report;

    static BenchArgs parse(String... args) {
        BenchArgs a = new BenchArgs();
        for (int i = 0; i < args.length; i++) {
            String opt = args[i];
            switch (opt) {
                case "--quick": a.quick = true; break;
                case "--cases": a.cases = a.list(opt, value(args, ++i, opt), Shapes.all().keySet()); break;
                case "--backends": a.backends = a.list(opt, value(args, ++i, opt), BenchBackends.ALL); break;
                case "--threads": {
                    String t = value(args, ++i, opt);
                    if (!t.equals("1") && !t.equals("all")) {
                        throw new IllegalArgumentException("--threads must be 1 or all, got '" + t + "'");
                    }
                    a.threads = List.of(t);
                    break;
                }
                case "--precision": a.precision = org.conv4j.Precision.parse(value(args, ++i, opt)); break;
                case "--weights": {
                    String wt = value(args, ++i, opt);
                    if (!wt.equals("per-call") && !wt.equals("constant")) {
                        throw new IllegalArgumentException("--weights must be per-call or constant, got '" + wt + "'");
                    }
                    a.weights = wt;
                    break;
                }
                case "--csv": a.csv = Path.of(value(args, ++i, opt)); break;
                case "--report": a.report = Path.of(value(args, ++i, opt)); break;
                default: throw new IllegalArgumentException("unknown option '" + opt + "'; " + USAGE);
            }
        }
        return a;
    }

    private static String value(String[] args, int i, String opt) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(opt + " needs a value; " + USAGE);
        }
        return args[i];
    }

    private List<String> list(String opt, String csv, java.util.Collection<String> known) {
        List<String> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            String t = s.trim();
            if (t.isEmpty()) continue;
            if (!known.contains(t)) {
                throw new IllegalArgumentException(opt + ": unknown '" + t + "'; known: " + String.join(",", known));
            }
            if (!out.contains(t)) out.add(t);
        }
        if (out.isEmpty()) throw new IllegalArgumentException(opt + " needs at least one name");
        return out;
    }
}
