package org.conv4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Runs the tool through its main class with captured streams. */
final class Cli {
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli() {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Conv4jCli.run(o, e, args);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Exit 2, exactly one line on stderr containing every fragment, no stack trace. */
    static void assertBadInput(Result r, String... fragments) {
        assertEquals(2, r.code(), r.toString());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "one line on stderr: " + r);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace or exception name: " + r);
        for (String f : fragments) assertTrue(err.contains(f), "stderr names '" + f + "': " + r);
    }

    /** Files in {@code dir} (recursively), for checking that a failed run left nothing behind. */
    static long fileCount(Path dir) throws IOException {
        if (!Files.exists(dir)) return 0;
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }
}
