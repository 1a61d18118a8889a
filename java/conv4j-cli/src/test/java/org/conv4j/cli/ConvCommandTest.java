package org.conv4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.conv4j.io.Npy;
import org.conv4j.io.NpyArray;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code conv4j conv} end to end through the main class: known answers, then every bad-input case. */
class ConvCommandTest {
    @TempDir
    Path dir;
    Path x, w, y;

    /** The README's example: a 5x5 gradient x[i][j] = 10(i+1)(j+1) under sobel-x. */
    @BeforeEach
    void writeSobelExample() throws IOException {
        float[] image = new float[25];
        for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) image[i * 5 + j] = 10 * (i + 1) * (j + 1);
        x = dir.resolve("x.npy");
        w = dir.resolve("w.npy");
        y = dir.resolve("y.npy");
        Npy.write(x, new long[] {1, 1, 5, 5}, image);
        Npy.write(w, new long[] {1, 1, 3, 3}, new float[] {-1, 0, 1, -2, 0, 2, -1, 0, 1});
    }

    private Cli.Result conv(String... extra) {
        String[] base = {"conv", "--input", x.toString(), "--weight", w.toString(), "--output", y.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return Cli.run(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "reference"})
    void computesReadmeSobelExample(String backend) throws IOException {
        Cli.Result r = conv("--backend", backend);
        assertEquals(0, r.code(), r.toString());
        NpyArray out = Npy.read(y);
        assertArrayEquals(new long[] {1, 1, 3, 3}, out.shape());
        // row i of x is 10(i+1)*(1..5): each row's x-derivative is 20(i+1), weighted 1,2,1 over rows i..i+2
        assertArrayEquals(new float[] {160, 160, 160, 240, 240, 240, 320, 320, 320}, out.data(), 0f, r.toString());
        assertTrue(r.out().contains("n1c1h5w5k1r3s3"), r.toString());
    }

    @Test
    void precisionFastReachesTheProblemAndKeepsTheAnswer() throws IOException {
        Cli.Result r = conv("--precision", "fast");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("_fast"), r.toString());
        assertArrayEquals(new float[] {160, 160, 160, 240, 240, 240, 320, 320, 320}, Npy.read(y).data(), 0f, r.toString());
    }

    @Test
    void rejectsUnknownPrecisionEchoingIt() {
        Cli.assertBadInput(conv("--precision", "quick"), "--precision", "quick");
    }

    @Test
    void convolutionModeFlipsTheKernel() throws IOException {
        Cli.Result r = conv("--mode", "convolution", "--pad", "1,1,1,1");
        assertEquals(0, r.code(), r.toString());
        float[] out = Npy.read(y).data();
        assertEquals(25, out.length);
        // centre x[2][2]: flipped sobel-x = -(correlation); correlation there is 4*10*... = 240, so -240
        assertEquals(-240f, out[12], 0f);
    }

    @Test
    void stridePaddingDilationAndBiasShapeTheOutput() throws IOException {
        Path b = dir.resolve("b.npy");
        Npy.write(b, new long[] {1}, new float[] {0.5f});
        Cli.Result r = conv("--stride", "2,1", "--pad", "1,0,1,2", "--dilation", "1,2", "--bias", b.toString());
        assertEquals(0, r.code(), r.toString());
        // P = (5+2-3)/2+1 = 3, Q = (5+2-5)/1+1 = 3
        assertArrayEquals(new long[] {1, 1, 3, 3}, Npy.read(y).shape());
    }

    @Test
    void autoPadSameUpperKeepsTheSize() throws IOException {
        Cli.Result r = conv("--auto-pad", "same-upper");
        assertEquals(0, r.code(), r.toString());
        assertArrayEquals(new long[] {1, 1, 5, 5}, Npy.read(y).shape());
    }

    @Test
    void float64InputIsConvertedAndSaysSo() throws IOException {
        writeRaw(x, "<f8", "(1, 1, 5, 5)", 25 * 8, bb -> {
            for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) bb.putDouble(10.0 * (i + 1) * (j + 1));
        });
        Cli.Result r = conv();
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("float64") && r.err().contains("x.npy"), r.toString());
        assertEquals(160f, Npy.read(y).data()[0], 0f);
    }

    // ---- bad input: exit 2, one line naming file or flag, no output file ---------------------

    private void assertRejected(Cli.Result r, String... fragments) throws IOException {
        Cli.assertBadInput(r, fragments);
        assertFalse(Files.exists(y), "no output written: " + r);
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file left");
        }
    }

    @Test
    void rejectsMissingInput() throws IOException {
        Files.delete(x);
        assertRejected(conv(), "x.npy", "no such file");
    }

    @Test
    void rejectsMissingRequiredFlag() throws IOException {
        assertRejected(Cli.run("conv", "--input", x.toString(), "--output", y.toString()), "--weight");
    }

    @Test
    void rejectsBadMagic() throws IOException {
        Files.writeString(x, "this is not a numpy file at all, just text");
        assertRejected(conv(), "x.npy", "bad magic");
    }

    @Test
    void rejectsTruncatedData() throws IOException {
        byte[] full = Files.readAllBytes(x);
        Files.write(x, java.util.Arrays.copyOf(full, full.length - 7));
        assertRejected(conv(), "x.npy", "truncated");
    }

    @Test
    void rejectsHeaderClaimingMoreDataThanPresent() throws IOException {
        writeRaw(x, "<f4", "(1, 1, 50, 50)", 25 * 4, bb -> { });
        assertRejected(conv(), "x.npy", "truncated");
    }

    @Test
    void rejectsUnsupportedDtype() throws IOException {
        writeRaw(x, "<i4", "(1, 1, 5, 5)", 25 * 4, bb -> { });
        assertRejected(conv(), "x.npy", "dtype", "<i4");
    }

    @Test
    void rejectsFortranOrder() throws IOException {
        writeRaw(x, "<f4", "(1, 1, 5, 5)", 25 * 4, true, bb -> { });
        assertRejected(conv(), "x.npy", "Fortran");
    }

    @Test
    void rejectsWrongRank() throws IOException {
        Npy.write(x, new long[] {5, 5}, new float[25]);
        assertRejected(conv(), "x.npy", "--input", "rank 4", "(5, 5)");
    }

    @Test
    void rejectsWeightsWhoseChannelsDoNotFitTheInput() throws IOException {
        Npy.write(w, new long[] {1, 2, 3, 3}, new float[18]);
        assertRejected(conv(), "w.npy", "--weight", "C/groups = 1");
    }

    @Test
    void rejectsKernelLargerThanTheInput() throws IOException {
        Npy.write(w, new long[] {1, 1, 7, 7}, new float[49]);
        assertRejected(conv(), "larger than the padded input");
    }

    @Test
    void rejectsBiasOfWrongLength() throws IOException {
        Path b = dir.resolve("b.npy");
        Npy.write(b, new long[] {3}, new float[3]);
        assertRejected(conv("--bias", b.toString()), "b.npy", "--bias", "K = 1");
    }

    @Test
    void rejectsZeroStride() throws IOException {
        assertRejected(conv("--stride", "0,1"), "--stride", ">= 1");
    }

    @Test
    void rejectsNegativePad() throws IOException {
        assertRejected(conv("--pad", "-1,0,0,0"), "--pad", ">= 0");
    }

    @Test
    void rejectsMalformedPad() throws IOException {
        assertRejected(conv("--pad", "1,1"), "--pad", "4 comma-separated");
    }

    @Test
    void rejectsGroupsThatDoNotDivideChannels() throws IOException {
        Npy.write(x, new long[] {1, 4, 5, 5}, new float[100]);
        Npy.write(w, new long[] {5, 1, 3, 3}, new float[45]);
        assertRejected(conv("--groups", "5"), "groups 5", "C=4");
    }

    @Test
    void rejectsPadTogetherWithAutoPad() throws IOException {
        assertRejected(conv("--pad", "1,1,1,1", "--auto-pad", "valid"), "--pad", "--auto-pad");
    }

    @Test
    void rejectsUnknownAutoPadModeAndBackend() throws IOException {
        assertRejected(conv("--auto-pad", "same"), "--auto-pad");
        assertRejected(conv("--mode", "fft"), "--mode");
        assertRejected(conv("--backend", "gpu"), "--backend", "gpu");
    }

    @Test
    void rejectsUnwritableOutputDirectory() throws IOException {
        y = dir.resolve("no-such-dir").resolve("y.npy");
        assertRejected(conv(), "--output", "does not exist");
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        y = file.resolve("y.npy");
        assertRejected(conv(), "--output", "does not exist");
    }

    interface Filler {
        void fill(ByteBuffer bb);
    }

    static void writeRaw(Path file, String descr, String shape, int dataBytes, Filler f) throws IOException {
        writeRaw(file, descr, shape, dataBytes, false, f);
    }

    /** A .npy written byte by byte as NumPy lays it out, for formats Npy.write does not produce. */
    static void writeRaw(Path file, String descr, String shape, int dataBytes, boolean fortran, Filler f)
            throws IOException {
        StringBuilder h = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False")
                + ", 'shape': " + shape + ", }");
        while ((10 + h.length() + 1) % 64 != 0) h.append(' ');
        h.append('\n');
        ByteBuffer bb = ByteBuffer.allocate(10 + h.length() + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length());
        bb.put(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        f.fill(bb);
        Files.write(file, bb.array());
    }
}
