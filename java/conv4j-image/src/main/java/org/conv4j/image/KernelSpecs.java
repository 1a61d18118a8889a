package org.conv4j.image;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses kernel lists such as {@code gaussian:sigma=2,sobel:dx=1:ksize=5,sharpen}: comma-separated
 * entries, each a {@link KernelGallery} name or a generator of {@link Kernels} with {@code :name=value}
 * parameters:
 * <pre>
 *   gaussian:sigma=S[:size=N]        box[:size=N]            (default size 3)
 *   sobel[:dx=1][:dy=0][:ksize=3]    scharr[:dx=1][:dy=0]    (dx defaults to 1 when dy is 0 or absent)
 *   laplacian[:ksize=1]              log:sigma=S
 *   gabor:sigma=S:lambda=L[:theta=DEGREES][:gamma=0.5][:psi=0][:size=N]
 *   gabor:sigma=S:lambda=L:orientations=N   (a bank of N orientations, see {@link Kernels#gaborBank})
 * </pre>
 * The same kernel named twice is kept once. Anything else is an {@link IllegalArgumentException} naming
 * the entry.
 */
public final class KernelSpecs {
    /** The generators and the parameters each accepts. */
    private static final Map<String, Set<String>> PARAMS = new LinkedHashMap<>();

    static {
        PARAMS.put("gaussian", Set.of("sigma", "size"));
        PARAMS.put("box", Set.of("size"));
        PARAMS.put("sobel", Set.of("dx", "dy", "ksize"));
        PARAMS.put("scharr", Set.of("dx", "dy"));
        PARAMS.put("laplacian", Set.of("ksize"));
        PARAMS.put("log", Set.of("sigma"));
        PARAMS.put("gabor", Set.of("sigma", "lambda", "theta", "gamma", "psi", "size", "orientations"));
    }

    private KernelSpecs() {
    }

    /** The kernels of {@code list}, in order. */
    public static List<Kernel> parse(String list) {
        if (list == null || list.isBlank()) throw new IllegalArgumentException("empty kernel list");
        List<Kernel> out = new ArrayList<>();
        for (String entry : list.split(",", -1)) {
            for (Kernel k : entry(entry.trim())) {
                if (out.contains(k)) continue;
                for (Kernel o : out) {
                    if (o.name().equals(k.name())) {
                        throw new IllegalArgumentException("two different kernels are both named '" + k.name() + "'");
                    }
                }
                out.add(k);
            }
        }
        return out;
    }

    private static List<Kernel> entry(String entry) {
        Kernel gallery = KernelGallery.byName(entry);
        if (gallery != null) return List.of(gallery);
        String[] parts = entry.split(":", -1);
        String gen = parts[0].trim().toLowerCase(Locale.ROOT);
        Set<String> allowed = PARAMS.get(gen);
        if (allowed == null) {
            throw new IllegalArgumentException("unknown kernel '" + entry + "'; known: " + String.join(", ", KernelGallery.names())
                    + " and the generators " + String.join(", ", PARAMS.keySet()) + " (e.g. gaussian:sigma=2)");
        }
        Map<String, Double> p = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", -1);
            String key = kv[0].trim().toLowerCase(Locale.ROOT);
            if (kv.length != 2 || !allowed.contains(key)) {
                throw new IllegalArgumentException("kernel '" + entry + "': '" + parts[i] + "' is not one of " + gen + "'s parameters "
                        + new java.util.TreeSet<>(allowed) + " given as name=value");
            }
            try {
                p.put(key, Double.parseDouble(kv[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("kernel '" + entry + "': " + key + " '" + kv[1] + "' is not a number");
            }
        }
        try {
            return generate(gen, p, entry);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("kernel '" + entry + "': " + e.getMessage(), e);
        }
    }

    private static List<Kernel> generate(String gen, Map<String, Double> p, String entry) {
        switch (gen) {
            case "gaussian":
                double sigma = need(p, "sigma", entry);
                return List.of(p.containsKey("size") ? Kernels.gaussian(sigma, integer(p, "size", 0)) : Kernels.gaussian(sigma));
            case "box":
                return List.of(Kernels.box(integer(p, "size", 3)));
            case "sobel": {
                int dy = integer(p, "dy", 0), dx = integer(p, "dx", dy == 0 ? 1 : 0);
                return List.of(Kernels.sobel(dx, dy, integer(p, "ksize", 3)));
            }
            case "scharr": {
                int dy = integer(p, "dy", 0), dx = integer(p, "dx", dy == 0 ? 1 : 0);
                return List.of(Kernels.scharr(dx, dy));
            }
            case "laplacian":
                return List.of(Kernels.laplacian(integer(p, "ksize", 1)));
            case "log":
                return List.of(Kernels.log(need(p, "sigma", entry)));
            default: { // gabor
                double s = need(p, "sigma", entry), lambda = need(p, "lambda", entry);
                if (p.containsKey("orientations")) {
                    for (String k : List.of("theta", "gamma", "psi", "size")) {
                        if (p.containsKey(k)) throw new IllegalArgumentException(k + " does not combine with orientations");
                    }
                    return Kernels.gaborBank(integer(p, "orientations", 0), s, lambda);
                }
                int size = integer(p, "size", 2 * (int) Math.ceil(3 * s) + 1);
                return List.of(Kernels.gabor(size, s, Math.toRadians(p.getOrDefault("theta", 0.0)), lambda,
                        p.getOrDefault("gamma", 0.5), p.getOrDefault("psi", 0.0)));
            }
        }
    }

    private static double need(Map<String, Double> p, String key, String entry) {
        Double v = p.get(key);
        if (v == null) throw new IllegalArgumentException("needs " + key + "=VALUE");
        return v;
    }

    private static int integer(Map<String, Double> p, String key, int dflt) {
        Double v = p.get(key);
        if (v == null) return dflt;
        if (v != Math.rint(v) || Math.abs(v) > 1 << 20) throw new IllegalArgumentException(key + " must be an integer, got " + v);
        return v.intValue();
    }
}
