package org.conv4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the report says about the machine: CPU model, processors, AVX-512, load, and the measured FMA peak
 * handed in by the launcher as {@code -Dconv4j.bench.fmaPeak=GFLOPS} (measured by benchmarks/tools/fma_peak.cpp).
 */
final class Machine {
    private Machine() {
    }

    static String describe() {
        String model = "unknown CPU";
        boolean avx512 = false;
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String l : lines) {
                if (l.startsWith("model name")) model = l.substring(l.indexOf(':') + 1).trim();
                if (l.startsWith("flags")) avx512 |= l.contains(" avx512f");
            }
        } catch (IOException | RuntimeException e) {
            model = System.getProperty("os.arch");
        }
        String peak = System.getProperty("conv4j.bench.fmaPeak");
        String load = "";
        try {
            load = ", load average at start " + Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0]
                    + " (other processes share the cores when it is above 0)";
        } catch (IOException | RuntimeException e) {
            load = "";
        }
        return model + ", " + Runtime.getRuntime().availableProcessors() + " cores, AVX-512 "
                + (avx512 ? "yes" : "no") + ", measured FMA peak "
                + (peak == null ? "not measured" : peak + " GFLOP/s per core") + load;
    }
}
