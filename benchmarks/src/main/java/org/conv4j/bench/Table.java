package org.conv4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The result table: as text for the terminal and as CSV with the header {@code case,backend,threads,ms,gflops}. */
final class Table {
    static final String CSV_HEADER = "case,backend,threads,ms,gflops";

    private Table() {
    }

    /** Rows in the order of the requested cases, then backends, then thread counts. */
    static List<Row> ordered(List<Row> rows, BenchArgs a) {
        List<Row> out = new ArrayList<>(rows);
        out.sort(Comparator.<Row>comparingInt(r -> a.cases.indexOf(r.shape()))
                .thenComparingInt(r -> a.backends.indexOf(r.backend()))
                .thenComparingInt(Row::threads));
        return out;
    }

    static String text(List<Row> rows, String kernel) {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-22s %-10s %7s %12s %10s  %s%n";
        sb.append(String.format(fmt, "case", "backend", "threads", "ms", "GFLOP/s", "kernel"));
        for (Row r : rows) {
            String k = r.backend().startsWith("native") || r.backend().equals("sgemm") ? kernel : "-";
            if (r.ran() && !r.note().isEmpty()) k += " " + r.note();
            sb.append(String.format(fmt, r.shape(), r.backend(), r.threads() == 0 ? "-" : Integer.toString(r.threads()),
                    BenchMain.fmt(r.ms()), BenchMain.fmt(r.gflops()), r.ran() ? k : r.note()));
        }
        return sb.toString();
    }

    /** Writes the CSV whole or not at all (a temporary file moved into place). */
    static void writeCsv(List<Row> rows, Path file) throws IOException {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (Row r : rows) sb.append(r.csvLine()).append('\n');
        writeAtomically(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Temporary files are created owner-only; results are ordinary files (rw-r--r--) where POSIX. */
    static void readableByAll(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            readableByAll(tmp);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
