package org.conv4j.image;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
     * The kernels of a command-line run: those of {@code specs} ({@link KernelSpecs}; null: none), then
     * those of each kernel file ({@link KernelFile}), the whole gallery when there are none. A problem is an
     * {@link IllegalArgumentException} whose message names the flag as the {@code conv4j} tools spell it
     * ({@code --kernels}, {@code --kernel-file}), as does a name two different kernels share (the outputs
     * are named after kernels). The same kernel twice is kept once.
     */
    public static List<Kernel> choose(String specs, List<Path> kernelFiles) {
        List<Kernel> chosen = new ArrayList<>();
        if (specs != null) {
            try {
                chosen.addAll(KernelSpecs.parse(specs));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--kernels: " + e.getMessage(), e);
            }
        }
        Map<String, String> origin = new HashMap<>();
        for (Kernel k : chosen) origin.put(k.name(), "--kernels");
        for (Path f : kernelFiles) {
            List<Kernel> read;
            try {
                read = KernelFile.read(f);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--kernel-file " + e.getMessage(), e);
            }
            for (Kernel k : read) {
                String other = origin.putIfAbsent(k.name(), "--kernel-file " + f);
                if (other != null) {
                    throw new IllegalArgumentException("--kernel-file " + f + ": kernel name '" + k.name()
                            + "' is already taken (by " + other + "); rename the file");
                }
            }
            chosen.addAll(read);
        }
        if (chosen.isEmpty()) chosen.addAll(all());
        return chosen;
    }

    /** {@link #choose(String, List)} with at most one kernel file (null: none). */
    public static List<Kernel> choose(String specs, Path kernelFile) {
        return choose(specs, kernelFile == null ? List.of() : List.of(kernelFile));
    }

    /** The kernels of a {@link KernelSpecs} list (gallery names and generators). */
    public static List<Kernel> byNames(String list) {
        return KernelSpecs.parse(list);
    }

    /** The gallery kernel called {@code name}, or null. */
    public static Kernel byName(String name) {
        return KERNELS.get(name);
    }
}
