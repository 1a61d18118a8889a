package org.conv4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.conv4j.fuzz.Fuzzer;
import org.conv4j.fuzz.Mutations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .npy reader on 10,000 hostile files: valid files written by {@link Npy#write} (and float64 and
 * version 2 ones) mutated byte by byte, and headers built from hostile parts (huge, negative, overflowing
 * and malformed shapes, wrong dtypes, versions and header lengths, data too short or too long). The
 * reader must return an array whose data matches its shape, or throw {@link NpyFormatException} naming
 * the file in a short printable message (a terminal shows it), allocating no more than the file holds.
 */
class NpyFuzzTest {
    private static final String[] DESCRS = {"<f4", "|f4", "<f8", ">f4", ">f8", "<i4", "<f2", "|u1", "<c8", "", "<f4'",
        "O", "<U3", "<f16"};
    private static final String[] DIMS = {"0", "1", "2", "3", "7", "-1", "-0", "2147483647", "2147483648", "4294967296",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "65536", "3L", "1e3", "0x10", " 4 ", "",
        "a", "+2", "1_000"};

    @TempDir
    Path dir;

    @Test
    void hostileFilesGiveAnArrayOrANpyFormatExceptionNamingTheFile() throws IOException {
        List<byte[]> seeds = seeds();
        Path file = dir.resolve("fuzz.npy");
        int[] outcomes = new int[2]; // read, refused
        Fuzzer.of("npy", 10_000).maxAllocatedBytes(16L << 20).run(
                (rnd, i) -> i % 2 == 0 ? Mutations.mutate(rnd, seeds.get(rnd.nextInt(seeds.size())), 4, seeds)
                        : hostileHeader(rnd),
                (input, i) -> {
                    try {
                        // every 100th through a file, the rest from memory: the reader is the same after the open
                        NpyArray a = i % 100 == 0 ? Npy.read(Files.write(file, input)) : Npy.read(new MemoryChannel(input, input.length), file);
                        long count = 1;
                        for (long d : a.shape()) count *= d;
                        assertEquals(count, a.data().length, "data length of shape " + Npy.shapeString(a.shape()));
                        outcomes[0]++;
                    } catch (NpyFormatException e) {
                        assertTrue(e.getMessage().startsWith(file + ": "), "names the file: " + e.getMessage());
                        String fault = e.getMessage().substring(file.toString().length() + 2);
                        assertTrue(fault.length() <= 200 && fault.chars().noneMatch(Character::isISOControl),
                                "a short printable line, whatever bytes the file echoes: " + fault);
                        outcomes[1]++;
                    }
                });
        int n = outcomes[0] + outcomes[1];
        assertTrue(outcomes[0] > n / 50 && outcomes[1] > n / 50, "read, refused: " + outcomes[0] + ", " + outcomes[1]
                + ": the inputs reach both outcomes");
    }

    /** Files Npy writes, a float64 one and a version 2.0 one. */
    private List<byte[]> seeds() throws IOException {
        List<byte[]> out = new ArrayList<>();
        long[][] shapes = {{3}, {2, 3}, {1, 1, 2, 2}, {0}, {4, 1, 3}, {2, 0, 5}};
        for (long[] shape : shapes) {
            long n = 1;
            for (long d : shape) n *= d;
            float[] v = new float[(int) n];
            for (int i = 0; i < v.length; i++) v[i] = i * 0.5f - 1;
            Path f = dir.resolve("seed.npy");
            Npy.write(f, shape, v);
            out.add(Files.readAllBytes(f));
        }
        out.add(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", -1, new byte[32]));
        out.add(npy(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }", -1, new byte[20]));
        return out;
    }

    /** A preamble and a header assembled from hostile parts, then some data. */
    private static byte[] hostileHeader(SplittableRandom rnd) {
        StringBuilder shape = new StringBuilder("(");
        for (int k = rnd.nextInt(5); k > 0; k--) shape.append(DIMS[rnd.nextInt(DIMS.length)]).append(", ");
        if (rnd.nextInt(4) == 0) shape.append(DIMS[rnd.nextInt(DIMS.length)]);
        shape.append(rnd.nextInt(10) == 0 ? "" : ")");
        List<String> entries = new ArrayList<>(List.of("'descr': '" + DESCRS[rnd.nextInt(DESCRS.length)] + "'",
                "'fortran_order': " + (rnd.nextInt(8) == 0 ? "Maybe" : rnd.nextInt(4) == 0 ? "True" : "False"),
                "'shape': " + shape));
        if (rnd.nextInt(8) == 0) entries.remove(rnd.nextInt(entries.size()));
        if (rnd.nextInt(8) == 0) entries.add(entries.get(rnd.nextInt(entries.size())).replace("'", rnd.nextBoolean() ? "\"" : "'"));
        String dict = "{" + String.join(", ", entries) + ", }";
        int major = rnd.nextInt(8) == 0 ? new int[] {0, 4, 255}[rnd.nextInt(3)] : 1 + rnd.nextInt(3);
        long declared = rnd.nextInt(6) == 0 ? Mutations.INTERESTING[rnd.nextInt(Mutations.INTERESTING.length)] : -1;
        int dataBytes = rnd.nextInt(4) == 0 ? 0 : 4 * rnd.nextInt(64) + (rnd.nextInt(4) == 0 ? rnd.nextInt(8) : 0);
        return npy(major, dict, declared, Mutations.randomBytes(rnd, dataBytes));
    }

    /**
     * Magic, version {@code major}.0, the header length ({@code declared}, or the true one when negative;
     * 2 bytes in version 1, 4 after), the header padded with spaces and a newline, then {@code data}.
     */
    private static byte[] npy(int major, String dict, long declared, byte[] data) {
        int lenBytes = major == 1 ? 2 : 4;
        byte[] header = (dict + " ".repeat(63 - (8 + lenBytes + dict.length()) % 64) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + lenBytes + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        long len = declared < 0 ? header.length : declared;
        if (lenBytes == 2) b.putShort((short) len); else b.putInt((int) len);
        return b.put(header).put(data).array();
    }
}
