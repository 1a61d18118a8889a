package org.conv4j.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.conv4j.io.Npy;
import org.conv4j.io.NpyArray;

/**
 * Kernels from a file: a {@code .npy} of shape (R, S) (one kernel) or (F, R, S) (F kernels named
 * {@code stem-0}, {@code stem-1}, ...), or a plain-text matrix: one row per line, values separated by
 * spaces, tabs or commas, each a number or a fraction such as {@code 1/9}, {@code #} starts a comment,
 * every row the same length. The kernel's name is the file name without extension. A file that does not
 * hold kernels is an {@link IllegalArgumentException} whose message starts with the file's path.
 */
public final class KernelFile {
    private KernelFile() {
    }

    public static List<Kernel> read(Path file) {
        String fileName = file.getFileName().toString();
        String stem = fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
        if (!Files.isRegularFile(file)) throw bad(file, "no such file");
        if (!Files.isReadable(file)) throw bad(file, "not readable");
        try {
            return fileName.toLowerCase(Locale.ROOT).endsWith(".npy") ? readNpy(file, stem) : readText(file, stem);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static List<Kernel> readNpy(Path file, String stem) throws IOException {
        NpyArray a = Npy.read(file);
        long[] s = a.shape();
        if (a.rank() != 2 && a.rank() != 3) {
            throw bad(file, "expected shape (R, S) or (F, R, S), got rank " + a.rank());
        }
        int f = a.rank() == 3 ? (int) s[0] : 1;
        int r = (int) s[a.rank() - 2], c = (int) s[a.rank() - 1];
        if (f < 1 || r < 1 || c < 1) throw bad(file, "kernel shape has a zero dimension");
        requireFinite(file, a.data());
        List<Kernel> out = new ArrayList<>();
        for (int i = 0; i < f; i++) {
            float[] w = new float[r * c];
            System.arraycopy(a.data(), i * r * c, w, 0, r * c);
            out.add(Kernel.of(f == 1 ? stem : stem + "-" + i, r, c, w));
        }
        return out;
    }

    private static List<Kernel> readText(Path file, String stem) throws IOException {
        List<float[]> rows = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file)) {
            lineNo++;
            String body = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
            body = body.trim();
            if (body.isEmpty()) continue;
            String[] parts = body.split("[\\s,]+");
            float[] row = new float[parts.length];
            for (int i = 0; i < parts.length; i++) {
                row[i] = number(parts[i], file, lineNo);
            }
            if (!rows.isEmpty() && row.length != rows.get(0).length) {
                throw bad(file, "line " + lineNo + ": " + row.length + " values, expected " + rows.get(0).length
                        + " like the first row");
            }
            rows.add(row);
        }
        if (rows.isEmpty()) throw bad(file, "no kernel values (expected a matrix, one row per line)");
        int r = rows.size(), c = rows.get(0).length;
        float[] w = new float[r * c];
        for (int i = 0; i < r; i++) System.arraycopy(rows.get(i), 0, w, i * c, c);
        requireFinite(file, w);
        return List.of(Kernel.of(stem, r, c, w));
    }

    /** A number, or a fraction {@code a/b} of two numbers evaluated in double and rounded once to float. */
    private static float number(String text, Path file, int lineNo) {
        int slash = text.indexOf('/');
        try {
            if (slash < 0) return Float.parseFloat(text);
            double num = Double.parseDouble(text.substring(0, slash)), den = Double.parseDouble(text.substring(slash + 1));
            if (den == 0) throw bad(file, "line " + lineNo + ": '" + text + "' divides by zero");
            return (float) (num / den);
        } catch (NumberFormatException e) {
            throw bad(file, "line " + lineNo + ": '" + text + "' is not a number or a fraction a/b");
        }
    }

    private static void requireFinite(Path file, float[] w) {
        for (float v : w) {
            if (!Float.isFinite(v)) throw bad(file, "kernel holds a non-finite value " + v);
        }
    }

    private static IllegalArgumentException bad(Path file, String problem) {
        return new IllegalArgumentException(file + ": " + problem);
    }
}
