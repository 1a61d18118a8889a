package org.conv4j.cli.filter;

import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A PNG encoder for 8-bit gray or RGB pixels held as planes (C planes of H*W bytes, C = 1 or 3), over the
 * JDK's {@link Deflater}. Hand-written because ImageIO's PNG writer takes a {@link java.awt.image.BufferedImage}
 * (one more copy of every pixel through {@code setRGB}) and tries five row filters per row at deflate
 * level 9, which made encoding most of a filter run's time; no maintained Java library writes PNG
 * from planar bytes with a chosen level. Output: signature, IHDR (bit depth 8, colour type 0 or 2, no
 * interlace), one IDAT, IEND; decoded by any PNG reader to exactly the input pixels.
 *
 * <p>Every row uses one PNG row filter, {@link RowFilter}: {@code filtered[x] = raw[x] - predictor}, with
 * a = the byte one pixel left, b = the byte above, c = the byte above-left (0 outside the image). The
 * default, {@link RowFilter#UP} (predictor b), costs about a tenth of {@link RowFilter#PAETH} (a loop the JIT
 * vectorises against a branch-free but scalar one: 2 vs 27 ms per 1080p RGB image on a Zen 5 core) for
 * PNGs about 10 % larger on photographs and their filtered versions; Paeth gives the smallest of the
 * five filters there (libpng's per-row heuristic chose it for nearly every row). Measured end to end in
 * {@code benchmarks/results/filter-end-to-end.md}.
 *
 * <p>Not thread-safe: one encoder per thread (it keeps its deflater and row buffers between images).
 * Deterministic: the same pixels and level give the same bytes.
 */
public final class PngEncoder implements AutoCloseable {
    /** Deflate level used unless asked otherwise: level 1 ({@link Deflater#BEST_SPEED}), as OpenCV's default. */
    public static final int DEFAULT_LEVEL = 1;
    /** Row filter used unless asked otherwise. */
    public static final RowFilter DEFAULT_FILTER = RowFilter.UP;

    /** The PNG row filters offered (PNG filter types 0, 1, 2 and 4; type 3, Average, is never the best here). */
    public enum RowFilter {
        /** Type 0: the raw bytes. */
        NONE(0),
        /** Type 1: predictor a, the same channel one pixel left. */
        SUB(1),
        /** Type 2: predictor b, the byte above. */
        UP(2),
        /** Type 4: Paeth's predictor, whichever of a, b, c is nearest to a + b - c. */
        PAETH(4);

        final byte type;

        RowFilter(int type) {
            this.type = (byte) type;
        }
    }
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    /** Rows filtered, counted and handed to the deflater together. */
    static final int BLOCK_ROWS = 32;
    /** One row in this many has its zero residuals counted to choose the block's deflate strategy. */
    private static final int ZERO_SAMPLE = 4;

    private byte[] prev = new byte[0], cur = new byte[0], block = new byte[0];
    private final RowFilter filter;
    private int strategy;
    private byte[] out = new byte[1 << 16];
    private int size;

    /** An encoder deflating at {@code level} (0 = stored, 1 = fastest .. 9 = smallest) with the default row filter. */
    public PngEncoder(int level) {
        this(level, DEFAULT_FILTER);
    }

    /** An encoder deflating at {@code level} (0 = stored, 1 = fastest .. 9 = smallest) with {@code filter} on every row. */
    public PngEncoder(int level, RowFilter filter) {
        if (level < 0 || level > 9) throw new IllegalArgumentException("PNG compression level must be 0-9, got " + level);
        if (filter == null) throw new IllegalArgumentException("PNG row filter must not be null");
        this.filter = filter;
        deflater = new Deflater(level);
        strategy = Deflater.DEFAULT_STRATEGY;
    }

    /**
     * The PNG of {@code channels} planes of {@code h} x {@code w} bytes read from {@code planes} at
     * {@code offset}: plane {@code ch} holds channel ch (R, G, B; or gray), row-major. Reads only that range.
     */
    public byte[] encode(byte[] planes, int offset, int channels, int h, int w) {
        return Arrays.copyOf(out, encodeToBuffer(planes, offset, channels, h, w));
    }

    /**
     * As {@link #encode}, into this encoder's own buffer: returns the PNG's length; the bytes are
     * {@code buffer()[0, length)} until the next call.
     */
    public int encodeToBuffer(byte[] planes, int offset, int channels, int h, int w) {
        encodeRows(planes, offset, channels, h, w);
        return size;
    }

    /** The buffer {@link #encodeToBuffer} fills. */
    public byte[] buffer() {
        return out;
    }

    private void encodeRows(byte[] planes, int offset, int channels, int h, int w) {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        if (h < 1 || w < 1) throw new IllegalArgumentException("image must be at least 1x1, got " + w + "x" + h);
        int rowBytes = Math.multiplyExact(channels, w);
        if (cur.length < rowBytes) {
            prev = new byte[rowBytes];
            cur = new byte[rowBytes];
            block = new byte[BLOCK_ROWS * (rowBytes + 1)];
        }
        size = 0;
        put(SIGNATURE, 0, SIGNATURE.length);
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, w);
        putInt(ihdr, 4, h);
        ihdr[8] = 8;                                 // bit depth
        ihdr[9] = (byte) (channels == 3 ? 2 : 0);    // colour type: truecolour or greyscale
        chunk("IHDR", ihdr, 0, 13);
        int idatStart = size;
        reserve(8);
        size += 8;                                   // IDAT length and type, filled in below
        deflater.reset();
        Arrays.fill(prev, 0, rowBytes, (byte) 0);
        int plane = h * w;
        for (int y0 = 0; y0 < h; y0 += BLOCK_ROWS) {
            int rows = Math.min(BLOCK_ROWS, h - y0), zeros = 0;
            for (int r = 0; r < rows; r++) {
                interleave(planes, offset + (y0 + r) * w, plane, channels, w, cur);
                int at = r * (rowBytes + 1);
                filterRow(filter, cur, prev, channels, rowBytes, block, at);
                if (r % ZERO_SAMPLE == 0) zeros += zeros(block, at + 1, rowBytes);
                byte[] t = prev;
                prev = cur;
                cur = t;
            }
            // Mostly non-zero residuals (photographs, their noise): LZ77 finds few matches, and Huffman
            // coding alone is both smaller and about twice as fast. Runs of zeros (flat areas): LZ77.
            int sampled = (rows + ZERO_SAMPLE - 1) / ZERO_SAMPLE;
            int want = 4L * zeros > (long) sampled * rowBytes ? Deflater.DEFAULT_STRATEGY : Deflater.HUFFMAN_ONLY;
            if (want != strategy) {
                drain(false);
                deflater.setStrategy(want);
                strategy = want;
            }
            deflater.setInput(block, 0, rows * (rowBytes + 1));
            drain(false);
        }
        deflater.finish();
        drain(true);
        int dataLength = size - idatStart - 8;
        putInt(out, idatStart, dataLength);
        out[idatStart + 4] = 'I';
        out[idatStart + 5] = 'D';
        out[idatStart + 6] = 'A';
        out[idatStart + 7] = 'T';
        crc.reset();
        crc.update(out, idatStart + 4, dataLength + 4);
        reserve(4);
        putInt(out, size, (int) crc.getValue());
        size += 4;
        chunk("IEND", new byte[0], 0, 0);
    }

    /** {@code row[x*C + ch] = planes[from + ch*plane + x]}: one image row, channels interleaved. */
    private static void interleave(byte[] planes, int from, int plane, int channels, int w, byte[] row) {
        if (channels == 1) {
            System.arraycopy(planes, from, row, 0, w);
            return;
        }
        int g = from + plane, b = from + 2 * plane;
        for (int x = 0, o = 0; x < w; x++, o += 3) {
            row[o] = planes[from + x];
            row[o + 1] = planes[g + x];
            row[o + 2] = planes[b + x];
        }
    }

    /** {@code line[at] = type; line[at + 1 + i] = cur[i] - predictor(i)} for the n bytes of one row. */
    private static void filterRow(RowFilter filter, byte[] cur, byte[] prev, int bpp, int n, byte[] line, int at) {
        line[at] = filter.type;
        switch (filter) {
            case NONE -> System.arraycopy(cur, 0, line, at + 1, n);
            case SUB -> {
                System.arraycopy(cur, 0, line, at + 1, Math.min(bpp, n));
                for (int i = bpp; i < n; i++) line[at + 1 + i] = (byte) (cur[i] - cur[i - bpp]);
            }
            case UP -> {
                for (int i = 0; i < n; i++) line[at + 1 + i] = (byte) (cur[i] - prev[i]);
            }
            case PAETH -> paeth(cur, prev, bpp, n, line, at + 1);
        }
    }

    /** {@code line[at + i] = cur[i] - paeth(cur[i - bpp], prev[i], prev[i - bpp])} (a = c = 0 in the first pixel). */
    private static void paeth(byte[] cur, byte[] prev, int bpp, int n, byte[] line, int at) {
        for (int i = 0; i < bpp; i++) line[at + i] = (byte) (cur[i] - prev[i]); // a = c = 0: the predictor is b
        for (int i = bpp; i < n; i++) {
            int a = cur[i - bpp] & 0xFF, b = prev[i] & 0xFF, c = prev[i - bpp] & 0xFF;
            int pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
            // pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c, without branches (photo residuals are
            // noise: the branches mispredicted and made this loop most of the encoder's time)
            int notA = (pb - pa) >> 31 | (pc - pa) >> 31, cOverB = (pc - pb) >> 31;
            int pred = a & ~notA | (b & ~cOverB | c & cOverB) & notA;
            line[at + i] = (byte) (cur[i] - pred);
        }
    }

    /** How many of {@code line[from, from + n)} are 0. */
    private static int zeros(byte[] line, int from, int n) {
        int z = 0;
        for (int i = from; i < from + n; i++) if (line[i] == 0) z++;
        return z;
    }

    private void drain(boolean finishing) {
        while (finishing ? !deflater.finished() : !deflater.needsInput()) {
            reserve(1 << 15);
            size += deflater.deflate(out, size, out.length - size);
        }
    }

    private void chunk(String type, byte[] data, int from, int length) {
        reserve(12 + length);
        putInt(out, size, length);
        for (int i = 0; i < 4; i++) out[size + 4 + i] = (byte) type.charAt(i);
        System.arraycopy(data, from, out, size + 8, length);
        crc.reset();
        crc.update(out, size + 4, 4 + length);
        putInt(out, size + 8 + length, (int) crc.getValue());
        size += 12 + length;
    }

    private void put(byte[] b, int from, int length) {
        reserve(length);
        System.arraycopy(b, from, out, size, length);
        size += length;
    }

    private void reserve(int more) {
        if (out.length - size < more) out = Arrays.copyOf(out, Math.max(out.length * 2, size + more));
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /** Releases the deflater's native memory. */
    @Override
    public void close() {
        deflater.end();
    }
}
