package org.conv4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .npy reader and writer: files NumPy wrote, round trips, and every malformed-file case. */
class NpyTest {
    @TempDir
    Path dir;

    static Path onnx(String caseName, String file) {
        try {
            return Path.of(NpyTest.class.getResource("/onnx/" + caseName + "/" + file).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsFilesWrittenByNumPy() throws IOException {
        NpyArray x = Npy.read(onnx("test_basic_conv_without_padding", "input.npy"));
        assertArrayEquals(new long[] {1, 1, 5, 5}, x.shape());
        float[] ramp = new float[25];
        for (int i = 0; i < 25; i++) ramp[i] = i;
        assertArrayEquals(ramp, x.data(), 0f);
        assertFalse(x.converted());
        // all-ones 3x3 over 0..24: top-left window 0+1+2+5+6+7+10+11+12 = 54, each step right +9, down +45
        NpyArray y = Npy.read(onnx("test_basic_conv_without_padding", "expected.npy"));
        assertArrayEquals(new float[] {54, 63, 72, 99, 108, 117, 144, 153, 162}, y.data(), 0f);
        NpyArray bias = Npy.read(onnx("test_Conv2d", "bias.npy"));
        assertArrayEquals(new long[] {4}, bias.shape());
    }

    @Test
    void roundTripKeepsShapeAndEveryBit() throws IOException {
        float[] v = {0f, -0f, 1.5f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY, Float.NaN, -3.25e-20f};
        Path f = dir.resolve("v.npy");
        Npy.write(f, new long[] {2, 4}, v);
        NpyArray a = Npy.read(f);
        assertArrayEquals(new long[] {2, 4}, a.shape());
        for (int i = 0; i < v.length; i++) {
            assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(a.data()[i]), "element " + i);
        }
    }

    @Test
    void writesTheLayoutNumPyWrites() throws IOException {
        Path f = dir.resolve("one.npy");
        Npy.write(f, new long[] {3}, new float[] {1, 2, 3});
        byte[] b = Files.readAllBytes(f);
        int headerLen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLen) % 64, "header padded to a multiple of 64");
        String header = new String(b, 10, headerLen, StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"), header);
        assertTrue(header.endsWith("\n"));
        assertEquals(10 + headerLen + 12, b.length);
    }

    @Test
    void narrowsFloat64AndSaysSo() throws IOException {
        Path f = raw("d.npy", 1, "<f8", "False", "(2,)", 16, bb -> bb.putDouble(0.1).putDouble(-2));
        NpyArray a = Npy.read(f);
        assertTrue(a.converted());
        assertArrayEquals(new float[] {0.1f, -2f}, a.data(), 0f);
    }

    @Test
    void readsVersion2Headers() throws IOException {
        Path f = raw("v2.npy", 2, "<f4", "False", "(1, 2)", 8, bb -> bb.putFloat(7).putFloat(8));
        assertArrayEquals(new float[] {7, 8}, Npy.read(f).data(), 0f);
    }

    /** 2^28 + 2 float64 values: 2 GiB + 16 bytes of data, more than one buffer holds (a 1 GiB float[] out). */
    @Test
    void readsDataBeyondTwoGibibytes() throws IOException {
        long count = (1L << 28) + 2;
        byte[] head = Files.readAllBytes(raw("h.npy", 1, "<f8", "False", "(" + count + ",)", 8, bb -> bb.putDouble(1.5)));
        NpyArray a = Npy.read(new MemoryChannel(head, head.length - 8 + count * 8), dir.resolve("big.npy")); // then zeros
        assertArrayEquals(new long[] {count}, a.shape());
        assertEquals(1.5f, a.data()[0]);
        assertEquals(0f, a.data()[(int) count - 1]);
        assertTrue(a.converted());
    }

    @Test
    void rejectsBadMagic() throws IOException {
        Path f = Files.write(dir.resolve("m.npy"), "PK\u0003\u0004 this is a zip, not a npy file".getBytes(StandardCharsets.ISO_8859_1));
        assertFault(f, "bad magic");
    }

    @Test
    void rejectsTruncatedPreambleAndData() throws IOException {
        assertFault(Files.write(dir.resolve("p.npy"), new byte[] {(byte) 0x93, 'N', 'U'}), "truncated");
        Path f = dir.resolve("t.npy");
        Npy.write(f, new long[] {4}, new float[] {1, 2, 3, 4});
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length - 1));
        assertFault(f, "truncated");
    }

    @Test
    void rejectsHeaderClaimingMoreDataThanTheFileHolds() throws IOException {
        assertFault(raw("big.npy", 1, "<f4", "False", "(1000, 1000)", 16, bb -> { }), "truncated", "(1000, 1000)");
    }

    @Test
    void rejectsHeaderLongerThanTheFile() throws IOException {
        byte[] b = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) 0xff, 0x7f, '{'};
        assertFault(Files.write(dir.resolve("h.npy"), b), "header length");
    }

    @Test
    void rejectsFortranOrder() throws IOException {
        assertFault(raw("f.npy", 1, "<f4", "True", "(2, 2)", 16, bb -> { }), "Fortran");
    }

    @Test
    void rejectsUnsupportedDtypes() throws IOException {
        for (String dtype : new String[] {"<i4", ">f4", "<f2", "|u1", ">f8"}) {
            assertFault(raw("d.npy", 1, dtype, "False", "(2,)", 16, bb -> { }), "unsupported dtype", dtype);
        }
    }

    @Test
    void rejectsUnsupportedVersionScalarsAndBadShapes() throws IOException {
        assertFault(raw("v.npy", 9, "<f4", "False", "(1,)", 4, bb -> { }), "version 9");
        assertFault(raw("s.npy", 1, "<f4", "False", "()", 4, bb -> { }), "scalar");
        assertFault(raw("n.npy", 1, "<f4", "False", "(2, -1)", 4, bb -> { }), "bad shape");
        assertFault(raw("k.npy", 1, "<f4", "False", "", 4, bb -> { }), "shape");
    }

    @Test
    void rejectsMissingFile() {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(dir.resolve("absent.npy")));
        assertTrue(e.getMessage().contains("absent.npy") && e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void writeRejectsDataNotMatchingTheShape() {
        assertThrows(IllegalArgumentException.class, () -> Npy.write(dir.resolve("x.npy"), new long[] {2, 2}, new float[3]));
        assertFalse(Files.exists(dir.resolve("x.npy")));
    }

    @Test
    void failedWriteLeavesNothingAndOverwriteReplacesWhole() throws IOException {
        Path missing = dir.resolve("no-dir").resolve("y.npy");
        assertThrows(IOException.class, () -> Npy.write(missing, new long[] {1}, new float[] {1}));
        assertFalse(Files.exists(missing.getParent()));
        Path f = dir.resolve("y.npy");
        Npy.write(f, new long[] {100}, new float[100]);
        Npy.write(f, new long[] {1}, new float[] {5});
        assertArrayEquals(new float[] {5}, Npy.read(f).data(), 0f);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left beside y.npy");
        }
    }

    private void assertFault(Path f, String... fragments) {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(f), f.toString());
        assertTrue(e.getMessage().startsWith(f.toString()), "message names the file: " + e.getMessage());
        for (String s : fragments) assertTrue(e.getMessage().contains(s), "'" + s + "' in: " + e.getMessage());
    }

    interface Filler {
        void fill(ByteBuffer bb);
    }

    /** A .npy laid out byte by byte as NumPy writes it (version 1: 2-byte header length, 2 and later: 4). */
    private Path raw(String name, int major, String descr, String fortran, String shape, int dataBytes, Filler f)
            throws IOException {
        int lenBytes = major == 1 ? 2 : 4;
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", "
                + (shape.isEmpty() ? "" : "'shape': " + shape + ", ") + "}";
        StringBuilder h = new StringBuilder(dict);
        while ((8 + lenBytes + h.length() + 1) % 64 != 0) h.append(' ');
        h.append('\n');
        ByteBuffer bb = ByteBuffer.allocate(8 + lenBytes + h.length() + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (lenBytes == 2) bb.putShort((short) h.length()); else bb.putInt(h.length());
        bb.put(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        f.fill(bb);
        return Files.write(dir.resolve(name), bb.array());
    }
}
