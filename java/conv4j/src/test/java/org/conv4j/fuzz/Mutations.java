package org.conv4j.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Format-blind mutations of a valid file: truncation, bit flips, interesting bytes and integers
 * (0, -1, 2^31-1, sizes that overflow when multiplied) written little- or big-endian over a field,
 * inserted, deleted and duplicated ranges, and splices of two files. Stateless.
 */
public final class Mutations {
    /** Values that break size arithmetic: zero, negative, at and past the int and short ranges. */
    public static final long[] INTERESTING = {0, 1, -1, 2, 7, 255, 256, 0x7F, 0x80, 0xFFFF, 0x10000, 20000, 65500,
        Integer.MAX_VALUE, Integer.MIN_VALUE, 0x7FFFFFF8, 0x40000000, 0x10000001, 1L << 32, Long.MAX_VALUE};

    private Mutations() {
    }

    /** {@code seed} with 1 to {@code maxOps} mutations applied; {@code others} may be spliced in. */
    public static byte[] mutate(SplittableRandom rnd, byte[] seed, int maxOps, List<byte[]> others) {
        byte[] b = seed.clone();
        int ops = 1 + rnd.nextInt(maxOps);
        for (int k = 0; k < ops; k++) b = once(rnd, b, others);
        return b;
    }

    private static byte[] once(SplittableRandom rnd, byte[] b, List<byte[]> others) {
        if (b.length == 0) return new byte[] {(byte) rnd.nextInt(256)};
        int at = rnd.nextInt(b.length);
        switch (rnd.nextInt(9)) {
            case 0: // truncate
                return Arrays.copyOf(b, rnd.nextInt(b.length));
            case 1: // flip one to eight bits
                for (int n = 1 + rnd.nextInt(8); n > 0; n--) {
                    int i = rnd.nextInt(b.length);
                    b[i] ^= (byte) (1 << rnd.nextInt(8));
                }
                return b;
            case 2: // an interesting byte
                b[at] = (byte) INTERESTING[rnd.nextInt(INTERESTING.length)];
                return b;
            case 3: // an interesting 2- or 4-byte integer, either byte order
                return putInt(b, at, INTERESTING[rnd.nextInt(INTERESTING.length)], rnd.nextBoolean() ? 2 : 4,
                        rnd.nextBoolean());
            case 4: // insert random bytes
                return splice(b, at, at, randomBytes(rnd, 1 + rnd.nextInt(64)));
            case 5: // delete a range
                return splice(b, at, Math.min(b.length, at + 1 + rnd.nextInt(64)), new byte[0]);
            case 6: { // duplicate a range elsewhere
                int from = rnd.nextInt(b.length), len = Math.min(b.length - from, 1 + rnd.nextInt(256));
                return splice(b, at, at, Arrays.copyOfRange(b, from, from + len));
            }
            case 7: // random bytes over a range
                for (int i = at, end = Math.min(b.length, at + 1 + rnd.nextInt(32)); i < end; i++) b[i] = (byte) rnd.nextInt(256);
                return b;
            default: { // this file's head, another's tail
                byte[] o = others.isEmpty() ? b : others.get(rnd.nextInt(others.size()));
                int from = rnd.nextInt(o.length);
                return splice(b, at, b.length, Arrays.copyOfRange(o, from, o.length));
            }
        }
    }

    /** Writes the low {@code bytes} bytes of {@code value} at {@code at} (as far as {@code b} reaches). */
    public static byte[] putInt(byte[] b, int at, long value, int bytes, boolean littleEndian) {
        ByteBuffer v = ByteBuffer.allocate(8).order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        v.putLong(0, value);
        for (int k = 0; k < bytes && at + k < b.length; k++) {
            b[at + k] = v.get(littleEndian ? k : 8 - bytes + k);
        }
        return b;
    }

    /** {@code b} with {@code [from, to)} replaced by {@code insert}. */
    public static byte[] splice(byte[] b, int from, int to, byte[] insert) {
        byte[] out = new byte[b.length - (to - from) + insert.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(b, to, out, from + insert.length, b.length - to);
        return out;
    }

    public static byte[] randomBytes(SplittableRandom rnd, int n) {
        byte[] r = new byte[n];
        for (int i = 0; i < n; i++) r[i] = (byte) rnd.nextInt(256);
        return r;
    }
}
