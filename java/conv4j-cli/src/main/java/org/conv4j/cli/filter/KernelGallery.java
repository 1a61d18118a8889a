package org.conv4j.cli.filter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.conv4j.cli.BadInputException;

/** The built-in 3x3 kernels, in the order the default run shows them. */
public final class KernelGallery {
    private static final Map<String, Kernel> KERNELS = new LinkedHashMap<>();

    static {
        add(Kernel.of("identity", 3, 3, 0, 0, 0, 0, 1, 0, 0, 0, 0));
        add(Kernel.of("sobel-x", 3, 3, -1, 0, 1, -2, 0, 2, -1, 0, 1));
        add(Kernel.of("sobel-y", 3, 3, -1, -2, -1, 0, 0, 0, 1, 2, 1));
        float n = 1f / 9;
        add(Kernel.of("box-blur", 3, 3, n, n, n, n, n, n, n, n, n));
        add(Kernel.of("gaussian-blur", 3, 3, 1 / 16f, 2 / 16f, 1 / 16f, 2 / 16f, 4 / 16f, 2 / 16f, 1 / 16f, 2 / 16f, 1 / 16f));
        add(Kernel.of("sharpen", 3, 3, 0, -1, 0, -1, 5, -1, 0, -1, 0));
        add(Kernel.of("laplacian", 3, 3, 0, 1, 0, 1, -4, 1, 0, 1, 0));
        add(Kernel.of("emboss", 3, 3, -2, -1, 0, -1, 1, 1, 0, 1, 2));
    }

    private KernelGallery() {
    }

    private static void add(Kernel k) {
        KERNELS.put(k.name(), k);
    }

    /** Every gallery kernel, in gallery order. */
    public static List<Kernel> all() {
        return new ArrayList<>(KERNELS.values());
    }

    public static List<String> names() {
        return new ArrayList<>(KERNELS.keySet());
    }

    /**
     * The kernels of a run: the gallery kernels named by {@code --kernels} (null: none), then those of
     * {@code --kernel-file} (null: none); the whole gallery when both are null. A file kernel whose name a
     * gallery kernel already has is bad input.
     */
    public static List<Kernel> choose(String names, Path kernelFile) {
        List<Kernel> chosen = new ArrayList<>();
        if (names != null) chosen.addAll(byNames(names));
        if (kernelFile != null) chosen.addAll(KernelFile.read(kernelFile));
        if (chosen.isEmpty()) chosen.addAll(all());
        Set<String> seen = new HashSet<>();
        for (Kernel k : chosen) {
            if (!seen.add(k.name())) {
                throw new BadInputException("--kernel-file " + kernelFile + ": kernel name '" + k.name()
                        + "' is already taken by a gallery kernel; rename the file");
            }
        }
        return chosen;
    }

    /** The kernels named in a comma-separated list; an unknown name is bad input naming {@code --kernels}. */
    public static List<Kernel> byNames(String list) {
        List<Kernel> out = new ArrayList<>();
        for (String part : list.split(",", -1)) {
            String name = part.trim();
            Kernel k = KERNELS.get(name);
            if (k == null) {
                throw new BadInputException("--kernels: unknown kernel '" + name + "'; known: " + String.join(", ", names()));
            }
            if (!out.contains(k)) out.add(k);
        }
        return out;
    }
}
