package org.conv4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.conv4j.fuzz.Fuzzer;
import org.conv4j.fuzz.HostileImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code conv4j filter} end to end on 200 mutated images (a run costs milliseconds, not microseconds):
 * it exits 0 having written every kernel's PNG and the contact sheet, or exits 2 with one line naming
 * the file and no file at all (not even a temporary one) in {@code --out}; never 1, never a hang.
 */
class FilterFuzzTest {
    @TempDir
    Path dir;

    @Test
    void mutatedImagesAreFilteredWholeOrRefusedLeavingNothing() throws IOException {
        List<HostileImages.Seed> seeds = HostileImages.seeds();
        List<byte[]> all = seeds.stream().map(HostileImages.Seed::bytes).toList();
        Set<String> whole = Set.of("x-identity.png", "x-sobel-x.png", "x-contact-sheet.png");
        int[] exits = new int[3];
        Fuzzer.of("filter", 200).maxAllocatedBytes(256L << 20).run(
                (rnd, i) -> HostileImages.mutate(rnd, seeds.get(i % seeds.size()), all),
                (input, i) -> {
                    Path in = Files.createDirectories(dir.resolve("in")), out = dir.resolve("out");
                    Path file = Files.write(in.resolve("x." + seeds.get(i % seeds.size()).extension()), input);
                    Cli.Result r = Cli.run("filter", "--in", file.toString(), "--out", out.toString(),
                            "--kernels", "identity,sobel-x", "--threads", "1", "--max-pixels", "65536");
                    if (r.code() == 0) {
                        assertEquals(whole, names(out), "every output of a filtered image: " + r);
                    } else if (r.code() == 2) {
                        Cli.assertBadInput(r, file.toString());
                        assertEquals(0, Cli.fileCount(out), "nothing written for a refused image: " + r);
                    } else {
                        fail("exit 0 or 2 only: " + r);
                    }
                    exits[r.code()]++;
                    delete(in);
                    delete(out);
                });
        assertTrue(exits[0] > 0 && exits[2] > 0, "filtered " + exits[0] + ", refused " + exits[2] + ": both outcomes reached");
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
