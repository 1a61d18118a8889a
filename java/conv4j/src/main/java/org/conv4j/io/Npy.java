package org.conv4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reader and writer of NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0), for float32
 * ({@code <f4}) and float64 ({@code <f8}, narrowed to float32) in C order.
 *
 * <p>Hand-written: no maintained Maven Central library reads .npy without pulling a whole tensor
 * framework (ND4J, DJL). Malformed files raise {@link NpyFormatException} naming the file and the fault;
 * writes go to a temporary file in the target directory that is renamed into place, so a failed write
 * never leaves a partial file. Thread-safe (stateless); concurrent writes to the same path race.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    /** The longest header read: NumPy's are a few hundred bytes (its own reader stops at 10,000). */
    private static final int MAX_HEADER = 1 << 20;
    /** The most characters of a header value a message echoes. */
    private static final int ECHOED = 40;
    /** Bytes of data read at a time. */
    private static final int DATA_CHUNK = 1 << 16;
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /**
     * Reads a float32 or float64 .npy file. Every fault of the file (not a .npy, truncated, a header
     * that does not parse, an unsupported dtype or order, a shape of more than {@link Integer#MAX_VALUE}
     * - 8 elements or of more data than the file holds) is a {@link NpyFormatException} whose message
     * starts with the file's name; the sizes a header claims are checked against the file before
     * anything is allocated. Other {@link IOException}s are the file system's.
     */
    public static NpyArray read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NpyFormatException(file, "no such file");
        if (!Files.isReadable(file)) throw new NpyFormatException(file, "not readable");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch, file);
        }
    }

    /** {@link #read(Path)} from {@code ch}, positioned at the start of the .npy; {@code file} names it. */
    static NpyArray read(SeekableByteChannel ch, Path file) throws IOException {
        long fileSize = ch.size();
        ByteBuffer pre = readFully(ch, 10, file, "preamble");
        for (int i = 0; i < MAGIC.length; i++) {
            if (pre.get(i) != MAGIC[i]) throw new NpyFormatException(file, "bad magic: not a .npy file");
        }
        int major = pre.get(6) & 0xff;
        long headerLen;
        if (major == 1) {
            headerLen = pre.order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xffff;
        } else if (major == 2 || major == 3) {
            ByteBuffer two = readFully(ch, 2, file, "header length");
            headerLen = (pre.order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xffffL)
                    | ((two.order(ByteOrder.LITTLE_ENDIAN).getShort(0) & 0xffffL) << 16);
        } else {
            throw new NpyFormatException(file, "unsupported .npy format version " + major);
        }
        if (headerLen > MAX_HEADER) {
            throw new NpyFormatException(file, "header length " + headerLen + " is above the " + MAX_HEADER
                    + " bytes this reader accepts");
        }
        if (headerLen > fileSize - ch.position()) {
            throw new NpyFormatException(file, "header length " + headerLen + " exceeds the file");
        }
        ByteBuffer hb = readFully(ch, (int) headerLen, file, "header");
        String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = match(DESCR, header, file, "descr");
        if (match(FORTRAN, header, file, "fortran_order").equals("True")) {
            throw new NpyFormatException(file, "Fortran-order arrays are not supported; save with C order");
        }
        long[] shape = parseShape(match(SHAPE, header, file, "shape"), file);
        int itemSize;
        if (descr.equals("<f4") || (descr.equals("|f4"))) {
            itemSize = 4;
        } else if (descr.equals("<f8")) {
            itemSize = 8;
        } else {
            throw new NpyFormatException(file, "unsupported dtype '" + printable(descr)
                    + "'; expected little-endian float32 '<f4' (or float64 '<f8')");
        }
        long count = 1;
        for (long d : shape) {
            if (d != 0 && count > (Integer.MAX_VALUE - 8) / d) {
                throw new NpyFormatException(file, "shape " + shapeString(shape) + " is too large");
            }
            count *= d;
        }
        long need = count * itemSize, have = fileSize - ch.position();
        if (have < need) {
            throw new NpyFormatException(file, "truncated: header promises " + need + " data bytes for shape "
                    + shapeString(shape) + " but the file holds " + have);
        }
        return new NpyArray(shape, readData(ch, (int) count, itemSize, file), itemSize == 8);
    }

    /**
     * {@code count} little-endian values of {@code itemSize} bytes (4: float32, 8: float64 narrowed),
     * read in chunks straight into the array: no byte copy of the whole data (which would double the
     * memory, and past 2 GiB of data cannot be one buffer).
     */
    private static float[] readData(SeekableByteChannel ch, int count, int itemSize, Path file) throws IOException {
        float[] out = new float[count];
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min((long) count * itemSize, DATA_CHUNK))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int done = 0; done < count; ) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), (long) (count - done) * itemSize));
            fill(ch, chunk, file, "data");
            chunk.flip();
            int n = chunk.remaining() / itemSize;
            if (itemSize == 4) {
                chunk.asFloatBuffer().get(out, done, n);
            } else {
                for (int i = 0; i < n; i++) out[done + i] = (float) chunk.getDouble(i * 8);
            }
            done += n;
        }
        return out;
    }

    /** Writes {@code data} with {@code shape} as a float32 .npy (version 1.0), atomically. */
    public static void write(Path file, long[] shape, float[] data) throws IOException {
        writeAtomically(file, encode(shape, data));
    }

    /** The bytes of a float32 .npy (version 1.0) holding {@code data} with {@code shape}. */
    public static byte[] encode(long[] shape, float[] data) {
        long count = 1;
        for (long d : shape) count *= d;
        if (count != data.length) {
            throw new IllegalArgumentException("data length " + data.length + " does not match shape "
                    + shapeString(shape));
        }
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeString(shape) + ", }";
        int unpadded = 10 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        StringBuilder header = new StringBuilder(dict);
        while (10 + header.length() + 1 < total) header.append(' ');
        header.append('\n');
        ByteBuffer buf = ByteBuffer.allocate(total + data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        buf.put(header.toString().getBytes(StandardCharsets.ISO_8859_1));
        buf.asFloatBuffer().put(data);
        return buf.array();
    }

    /** Writes bytes to a temporary sibling and renames it over {@code file}. */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        writeAtomically(file, bytes, bytes.length);
    }

    /**
     * Writes {@code bytes[0, length)} to a temporary sibling and renames it over {@code file}, which thus
     * never exists half-written. The file gets the permissions the process's umask gives a new file (as
     * {@code open(O_CREAT, 0666)}): the sibling is created by {@link Files#newOutputStream}, not by
     * {@link Files#createTempFile}, whose files are always owner-only ({@code -rw-------}).
     */
    public static void writeAtomically(Path file, byte[] bytes, int length) throws IOException {
        Path abs = file.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong())
                + ".tmp");
        try {
            try (java.io.OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                out.write(bytes, 0, length);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static String shapeString(long[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(shape[i]);
        }
        if (shape.length == 1) sb.append(',');
        return sb.append(')').toString();
    }

    private static long[] parseShape(String body, Path file) throws NpyFormatException {
        List<Long> dims = new ArrayList<>();
        for (String part : body.split(",")) {
            String t = part.trim();
            if (t.isEmpty()) continue;
            if (t.endsWith("L")) t = t.substring(0, t.length() - 1);
            try {
                long d = Long.parseLong(t);
                if (d < 0) throw new NumberFormatException();
                dims.add(d);
            } catch (NumberFormatException e) {
                throw new NpyFormatException(file, "bad shape '(" + printable(body) + ")'");
            }
        }
        if (dims.isEmpty()) throw new NpyFormatException(file, "scalar (rank 0) arrays are not supported");
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Header text as a message may echo it: control characters as {@code \xNN} (a terminal would obey
     * them), cut after {@link #ECHOED} characters.
     */
    private static String printable(String text) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (; i < text.length() && b.length() < ECHOED; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        return i < text.length() ? b + "..." : b.toString();
    }

    private static String match(Pattern p, String header, Path file, String key) throws NpyFormatException {
        Matcher m = p.matcher(header);
        if (!m.find()) throw new NpyFormatException(file, "header has no valid '" + key + "' entry");
        return m.group(1);
    }

    private static ByteBuffer readFully(SeekableByteChannel ch, int n, Path file, String what) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        fill(ch, b, file, what);
        b.flip();
        return b;
    }

    private static void fill(SeekableByteChannel ch, ByteBuffer b, Path file, String what) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) throw new NpyFormatException(file, "truncated in the " + what);
        }
    }
}
