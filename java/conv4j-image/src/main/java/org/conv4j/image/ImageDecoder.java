package org.conv4j.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes PNG, JPEG and BMP images (the JDK's ImageIO readers, as {@link ImageIO#read} does) with a
 * pixel limit, as Pillow's {@code MAX_IMAGE_PIXELS}: the width and height are read from the header
 * ({@link ImageReader#getWidth}, which parses no pixel data) and an image declaring more than
 * {@link #maxPixels} pixels is refused before anything is decoded. A 1 MB PNG can declare 20000 x 20000
 * pixels (its rows of zeros deflate 1000:1); decoded it is 1.2 GB, and 4.8 GB more as float planes.
 *
 * <p>Exceptions, and only these:
 * <ul>
 *   <li>{@link ImageTooLargeException} (an {@link IllegalArgumentException}): over the limit;</li>
 *   <li>{@link ImageFormatException} (an {@link IOException}): not a PNG, JPEG or BMP, a BMP holding an
 *       embedded JPEG or PNG, or the decoder fails on it (truncated, corrupt, a header declaring no
 *       pixels): whatever the JDK's reader throws, checked or not, is wrapped;</li>
 *   <li>{@link IOException} naming the file: the file cannot be opened.</li>
 * </ul>
 * Every message starts with the image's name. Ancillary metadata (text, ICC profiles) is not read.
 *
 * <p>The default limit, {@link #DEFAULT_MAX_PIXELS} = 2<sup>24</sup> = 16,777,216 pixels (4096 x 4096;
 * 4K UHD and a 16 MP photo fit), is what the default heap holds while the {@code filter} command's
 * default run (the whole 8-kernel gallery and a contact sheet) works on one such image. The default
 * heap is a quarter of the memory, 4 GiB on a 16 GiB machine; measured (JDK 17, G1, one black RGB PNG):
 * <pre>
 *   4096 x 4096, 8 kernels + sheet:   2 GiB out of memory, 3 GiB runs
 *   4096 x 4096, 1 kernel + sheet:    2 GiB runs
 *   8192 x 4096, 1 kernel:            2 GiB out of memory, 3 GiB runs
 *   8192 x 4096, 8 kernels + sheet:   4 GiB out of memory
 * </pre>
 * That is 130-190 heap bytes per pixel for the default run, 65-95 for one kernel: the decoded image
 * (3-4 bytes, 8 with 16-bit samples), the ARGB ints it is read through (4), the float planes and their
 * staging copy (12 + 12), each kernel's output (12), the tone map to 8 bits (12 + 3 + 4 + 4), each
 * kernel's 8-bit image kept for the sheet (4), and the collector's headroom for arrays this large; the
 * native tensors (12 + 12 per kernel) are off the heap. A larger limit wants about 200 bytes of heap
 * per pixel ({@code -Xmx}). Thread-safe and immutable.
 *
 * @param maxPixels the largest width x height decoded, at least 1
 */
public record ImageDecoder(long maxPixels) implements Serializable {
    public static final long DEFAULT_MAX_PIXELS = 1L << 24;
    private static final String NOT_AN_IMAGE = "not a " + ImageFiles.DESCRIPTION + " image";
    /** Offsets in a BMP file of the info header's size and (in headers of 40 bytes or more) its compression. */
    private static final int BMP_HEADER_SIZE = 14, BMP_COMPRESSION = 30;
    /** The most characters of the reader's words a message repeats (some describe a whole raster). */
    private static final int MESSAGE = 120;

    public ImageDecoder {
        if (maxPixels < 1) throw new IllegalArgumentException("the pixel limit must be at least 1, got " + maxPixels);
    }

    /** The decoder with {@link #DEFAULT_MAX_PIXELS}. */
    public static ImageDecoder withDefaultLimit() {
        return new ImageDecoder(DEFAULT_MAX_PIXELS);
    }

    /** Checks the format and the declared size of {@code file}, decoding no pixel. */
    public void probe(Path file) throws IOException {
        try (ImageInputStream in = open(file)) {
            read(in, file.toString(), false);
        }
    }

    /** Decodes {@code file}. */
    public BufferedImage decode(Path file) throws IOException {
        try (ImageInputStream in = open(file)) {
            return read(in, file.toString(), true);
        }
    }

    /** Decodes the encoded image {@code content}; {@code name} names it in messages. */
    public BufferedImage decode(byte[] content, String name) throws IOException {
        if (content == null) throw new ImageFormatException(name, "content is null", null);
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(content))) {
            return read(in, name, true);
        }
    }

    private static ImageInputStream open(Path file) throws IOException {
        try {
            return new FileImageInputStream(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The header's size checked against the limit, then (if {@code decode}) the image, as ImageIO.read. */
    private BufferedImage read(ImageInputStream in, String name, boolean decode) throws IOException {
        ImageReader reader = null;
        try {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (readers.hasNext()) reader = readers.next();
            if (reader == null || !ImageFiles.EXTENSIONS.contains(reader.getFormatName().toLowerCase(Locale.ROOT))) {
                throw new ImageFormatException(name, NOT_AN_IMAGE, null);
            }
            if (reader.getFormatName().equalsIgnoreCase("bmp")) refuseEmbeddedImage(in, name);
            reader.setInput(in, true, true); // forward only, metadata ignored
            int w = reader.getWidth(0), h = reader.getHeight(0);
            if (w < 1 || h < 1) throw new ImageFormatException(name, "header declares " + w + " x " + h + " pixels", null);
            if ((long) w * h > maxPixels) throw new ImageTooLargeException(name, w, h, maxPixels);
            return decode ? reader.read(0, reader.getDefaultReadParam()) : null;
        } catch (ImageFormatException | ImageTooLargeException e) {
            throw e;
        } catch (javax.imageio.IIOException e) {
            if (String.valueOf(e.getMessage()).contains("Unsupported Image Type")) { // the JDK's JPEG reader on CMYK/YCCK
                throw new ImageFormatException(name, "a CMYK or YCCK JPEG, which the JDK's decoder does not read;"
                        + " convert it to RGB (e.g. convert in.jpg -colorspace sRGB out.jpg)", e);
            }
            throw new ImageFormatException(name, "cannot decode: " + why(e), e);
        } catch (IOException | RuntimeException e) { // the JDK's readers throw anything on corrupt input
            throw new ImageFormatException(name, "cannot decode: " + why(e), e);
        } finally {
            if (reader != null) reader.dispose();
        }
    }

    /**
     * Refuses a BMP whose compression is 4 or 5: a JPEG or PNG embedded whole (a printer format). The
     * JDK's reader allocates the header's data size for it before reading a byte: an 82-byte file asks
     * for 2 GB, whatever width and height it declares.
     */
    private static void refuseEmbeddedImage(ImageInputStream in, String name) throws IOException {
        byte[] h = new byte[BMP_COMPRESSION + 4];
        in.mark();
        int n = 0;
        for (int k; n < h.length && (k = in.read(h, n, h.length - n)) > 0; ) n += k;
        in.reset();
        if (n < h.length) return; // too short for the field: the reader reports the truncation
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        int headerSize = b.getInt(BMP_HEADER_SIZE), compression = b.getInt(BMP_COMPRESSION);
        if (headerSize >= 40 && (compression == 4 || compression == 5)) {
            throw new ImageFormatException(name, "BMP with an embedded " + (compression == 4 ? "JPEG" : "PNG")
                    + " (compression " + compression + ") is not supported", null);
        }
    }

    /**
     * The reader's own words: an I/O error's message and its cause's ("Error reading PNG image data:
     * incorrect data check"); for an unchecked exception (an index or array size the reader took from
     * the file unchecked), "corrupt data" and its message.
     */
    private static String why(Exception e) {
        String m = e.getMessage() == null ? "" : e.getMessage().strip().replaceAll(":$", "");
        String why;
        if (e instanceof RuntimeException || m.isEmpty()) {
            why = m.isEmpty() ? "corrupt data" : "corrupt data (" + m + ")";
        } else {
            Throwable c = e.getCause();
            String cause = c == null || c.getMessage() == null ? "" : c.getMessage().strip();
            why = cause.isEmpty() || m.contains(cause) ? m : m + ": " + cause;
        }
        return why.length() <= MESSAGE ? why : why.substring(0, MESSAGE) + "...";
    }
}
