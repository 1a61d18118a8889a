package org.conv4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.conv4j.Conv2dProblem;

/**
 * The standard workload set, {@code shapes.csv} (copied from the project's shared bench set; names kept):
 * one row per case, {@code name,N,C,H,W,K,R,S,stride_h,stride_w,pad_top,pad_left,pad_bottom,pad_right,dil_h,dil_w,groups,bias},
 * NCHW float32 cross-correlation. Each row becomes a {@link Conv2dProblem}, which owns all arithmetic
 * (output size, FLOPs).
 */
public final class Shapes {
    private static final Map<String, Conv2dProblem> CASES = load();

    private Shapes() {
    }

    /** Every case, in file order. */
    public static Map<String, Conv2dProblem> all() {
        return CASES;
    }

    /** The problem of one case; unknown names are an {@link IllegalArgumentException} listing the known. */
    /** The case {@code name} under {@code precision} (the CSV's cases are {@link org.conv4j.Precision#STRICT}). */
    public static Conv2dProblem get(String name, org.conv4j.Precision precision) {
        Conv2dProblem p = get(name);
        return precision == org.conv4j.Precision.FAST ? Conv2dProblem.parse(p.toString() + "_fast") : p;
    }

    public static Conv2dProblem get(String name) {
        Conv2dProblem p = CASES.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown case '" + name + "'; known: " + String.join(",", CASES.keySet()));
        }
        return p;
    }

    static Conv2dProblem parseRow(String line) {
        String[] f = line.split(",");
        if (f.length != 18) {
            throw new IllegalArgumentException("shapes.csv row needs 18 fields, got " + f.length + ": " + line);
        }
        long[] v = new long[17];
        for (int i = 0; i < 17; i++) v[i] = Long.parseLong(f[i + 1].trim());
        return Conv2dProblem.builder()
                .input(v[0], v[1], v[2], v[3]).filters(v[4], v[5], v[6])
                .stride(v[7], v[8]).pad(v[9], v[10], v[11], v[12]).dilation(v[13], v[14])
                .groups(v[15]).bias(v[16] != 0).build();
    }

    private static Map<String, Conv2dProblem> load() {
        Map<String, Conv2dProblem> m = new LinkedHashMap<>();
        try (InputStream in = Shapes.class.getResourceAsStream("shapes.csv");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("#")) continue;
                m.put(t.substring(0, t.indexOf(',')), parseRow(t));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableMap(m);
    }
}
