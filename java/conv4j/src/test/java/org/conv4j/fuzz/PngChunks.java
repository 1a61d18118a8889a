package org.conv4j.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * PNG files written chunk by chunk (length, type, data, CRC-32), for hostile inputs a PNG encoder would
 * never produce: a decompression bomb, and chunk-level mutations of a valid file that keep every CRC
 * right, so a reader gets past the checksum to the fault. Stateless.
 */
public final class PngChunks {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final String[] TYPES = {"IHDR", "PLTE", "IDAT", "IEND", "tRNS", "iCCP", "zTXt", "iTXt", "gAMA",
        "sBIT", "bKGD", "pHYs", "acTL", "IDAT", "IDAT"};

    /** One chunk: a four-letter type and its data. */
    public record Chunk(String type, byte[] data) {
    }

    private PngChunks() {
    }

    /**
     * A PNG of {@code width} x {@code height} 8-bit RGB pixels, all black: its IHDR is honest and its IDAT
     * is the zlib stream of the h * (1 + 3w) zero bytes the rows are (filter type 0, then the samples),
     * about 1 KB per MB. 20000 x 20000 is a 1.2 MB file that decodes to 1.2 GB. Made in milliseconds:
     * the deflate output of each further MiB of zeros after a full flush is the same bytes, so it is
     * computed once and repeated.
     */
    public static byte[] bomb(int width, int height) {
        long raw = height * (1 + 3L * width);
        int unit = 1 << 20;
        long units = raw / unit;
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] zeros = new byte[unit];
        byte[] first = deflate(d, zeros, unit, false), repeat = deflate(d, zeros, unit, false);
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        z.write(0x78);
        z.write(0xDA);
        if (units > 0) z.writeBytes(first);
        for (long u = 1; u < units; u++) z.writeBytes(repeat);
        z.writeBytes(deflate(d, zeros, (int) (raw % unit), true));
        d.end();
        long adler = (raw % 65521) << 16 | 1; // Adler-32 of n zero bytes: s1 = 1, s2 = n mod 65521
        z.writeBytes(ByteBuffer.allocate(4).putInt((int) adler).array());
        return write(List.of(new Chunk("IHDR", ihdr(width, height, 8, 2)), new Chunk("IDAT", z.toByteArray()),
                new Chunk("IEND", new byte[0])));
    }

    /** {@code len} bytes of {@code in} deflated, ending with a full flush, or with the stream's end if {@code last}. */
    private static byte[] deflate(Deflater d, byte[] in, int len, boolean last) {
        d.setInput(in, 0, len);
        if (last) d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        if (last) {
            while (!d.finished()) out.write(buf, 0, d.deflate(buf));
        } else {
            do {
                n = d.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH);
                out.write(buf, 0, n);
            } while (n == buf.length);
        }
        return out.toByteArray();
    }

    /** The 13 data bytes of an IHDR (compression, filter and interlace method 0). */
    public static byte[] ihdr(int width, int height, int bitDepth, int colorType) {
        return ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) bitDepth).put((byte) colorType)
                .put((byte) 0).put((byte) 0).put((byte) 0).array();
    }

    /** The signature and every chunk with its length and CRC. */
    public static byte[] write(List<Chunk> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE);
        for (Chunk c : chunks) {
            byte[] type = c.type().getBytes(StandardCharsets.ISO_8859_1);
            CRC32 crc = new CRC32();
            crc.update(type);
            crc.update(c.data());
            out.writeBytes(ByteBuffer.allocate(8).putInt(c.data().length).put(type).array());
            out.writeBytes(c.data());
            out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        }
        return out.toByteArray();
    }

    /** The chunks of a well-formed PNG (a seed file), CRCs not checked. */
    public static List<Chunk> parse(byte[] png) {
        if (png.length < 8 || !Arrays.equals(Arrays.copyOf(png, 8), SIGNATURE)) {
            throw new IllegalArgumentException("not a PNG");
        }
        List<Chunk> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(png, 8, png.length - 8);
        while (b.remaining() >= 12) {
            int len = b.getInt();
            byte[] type = new byte[4], data = new byte[len];
            b.get(type).get(data).getInt();
            out.add(new Chunk(new String(type, StandardCharsets.ISO_8859_1), data));
        }
        return out;
    }

    /**
     * {@code png} (well formed) with one to three chunk-level mutations, CRCs recomputed: IHDR fields
     * set to interesting values (sizes zero, negative, huge; unknown depth, colour type, interlace),
     * garbage chunks of real types inserted (an IDAT of deflated noise, a PLTE of the wrong length, an
     * iCCP), chunks dropped, duplicated or swapped, and one chunk's data mutated format-blind.
     */
    public static byte[] mutate(SplittableRandom rnd, byte[] png) {
        List<Chunk> chunks = new ArrayList<>(parse(png));
        for (int ops = 1 + rnd.nextInt(3); ops > 0 && !chunks.isEmpty(); ops--) {
            int at = rnd.nextInt(chunks.size());
            switch (rnd.nextInt(6)) {
                case 0: { // an IHDR field
                    byte[] h = ihdrOf(chunks).clone();
                    int field = rnd.nextInt(7);
                    if (field < 2) Mutations.putInt(h, 4 * field, Mutations.INTERESTING[rnd.nextInt(Mutations.INTERESTING.length)], 4, false);
                    else h[6 + field] = (byte) (rnd.nextInt(4) == 0 ? rnd.nextInt(256) : new int[] {0, 1, 2, 3, 4, 6, 8, 16}[rnd.nextInt(8)]);
                    chunks.set(0, new Chunk("IHDR", h));
                    break;
                }
                case 1: // a garbage chunk of a real type
                    chunks.add(1 + rnd.nextInt(chunks.size()), new Chunk(TYPES[rnd.nextInt(TYPES.length)], garbage(rnd)));
                    break;
                case 2:
                    chunks.remove(at);
                    break;
                case 3:
                    chunks.add(rnd.nextInt(chunks.size() + 1), chunks.get(at));
                    break;
                case 4: {
                    int other = rnd.nextInt(chunks.size());
                    Chunk c = chunks.get(at);
                    chunks.set(at, chunks.get(other));
                    chunks.set(other, c);
                    break;
                }
                default: {
                    Chunk c = chunks.get(at);
                    byte[] data = c.data().length == 0 ? Mutations.randomBytes(rnd, 4)
                            : Mutations.mutate(rnd, c.data(), 3, List.of());
                    chunks.set(at, new Chunk(c.type(), data));
                }
            }
        }
        return write(chunks);
    }

    private static byte[] ihdrOf(List<Chunk> chunks) {
        Chunk c = chunks.get(0);
        return c.type().equals("IHDR") && c.data().length == 13 ? c.data() : ihdr(7, 5, 8, 2);
    }

    /** Raw noise, or a valid zlib stream of noise (so the reader inflates it and meets garbage scanlines). */
    private static byte[] garbage(SplittableRandom rnd) {
        byte[] noise = Mutations.randomBytes(rnd, rnd.nextInt(rnd.nextBoolean() ? 16 : 2048));
        if (rnd.nextBoolean()) return noise;
        Deflater d = new Deflater();
        d.setInput(noise);
        d.finish();
        byte[] out = new byte[noise.length + 64];
        int n = d.deflate(out);
        d.end();
        return Arrays.copyOf(out, n);
    }
}
