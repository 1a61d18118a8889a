package org.conv4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ./conv4j} launcher on the shaded jar (failsafe runs this after {@code package}).
 * CONV4J_NO_BUILD=1 keeps the launcher from starting a nested Maven build.
 */
class LauncherIT {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private Run launch(String... args) throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("conv4j.repo.root", "../..")).toAbsolutePath().normalize();
        List<String> cmd = new java.util.ArrayList<>(List.of(root.resolve("conv4j").toString()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("stdout.txt"), err = dir.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("CONV4J_NO_BUILD", "1");
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "launcher finished");
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void defaultFilterRunWritesIntoConv4jOutOfTheWorkingDirectory() throws Exception {
        Run r = launch("filter");
        assertEquals(0, r.code(), r.toString());
        assertTrue(Files.isRegularFile(dir.resolve("conv4j-out/sample-sobel-x.png")), r.toString());
        assertTrue(Files.isRegularFile(dir.resolve("conv4j-out/sample-contact-sheet.png")), r.toString());
        assertTrue(r.out().contains("GFLOP/s"), r.toString());
        assertTrue(!r.err().contains("WARNING"), "no JVM warnings: " + r);
    }

    @Test
    void badInputExitsTwoWithOneLine() throws Exception {
        Run r = launch("conv", "--input", "x.npy", "--weight", "w.npy", "--output", "y.npy", "--stride", "0,1");
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.err().strip().lines().count(), r.toString());
        assertTrue(r.err().contains("--stride"), r.toString());
    }
}
