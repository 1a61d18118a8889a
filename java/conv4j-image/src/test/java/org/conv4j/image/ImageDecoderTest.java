package org.conv4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.conv4j.fuzz.HostileImages;
import org.conv4j.fuzz.PngChunks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pixel limit read from the header (decompression bombs), and the decoder's documented exceptions. */
class ImageDecoderTest {
    @TempDir
    Path dir;

    /** 1.2 MB of PNG declaring 20000 x 20000: decoded it would be 1.2 GB, and 4.8 GB more as float planes. */
    @Test
    void refusesADecompressionBombFromItsHeaderAllocatingNothingOfItsSize() throws IOException {
        byte[] bomb = PngChunks.bomb(20000, 20000);
        assertTrue(bomb.length < 1_300_000, bomb.length + " bytes");
        Path file = Files.write(dir.resolve("bomb.png"), bomb);
        ImageDecoder d = ImageDecoder.withDefaultLimit();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        ImageTooLargeException e = assertThrows(ImageTooLargeException.class, () -> d.decode(file));
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 4L << 20, allocated + " bytes allocated before refusing");
        assertEquals(file + ": 20000 x 20000 = 400,000,000 pixels, above the limit of 16,777,216 pixels", e.getMessage());
        assertEquals(20000, e.width());
        assertEquals(ImageDecoder.DEFAULT_MAX_PIXELS, e.maxPixels());
        assertThrows(ImageTooLargeException.class, () -> d.probe(file));
        assertThrows(ImageTooLargeException.class, () -> d.decode(bomb, "in memory"));
    }

    /**
     * BMP compression 4 and 5 embed a JPEG or a PNG, for which the JDK's reader allocates the header's
     * data size before reading (2 GB for an 82-byte file declaring 1 x 1 pixels; found by
     * {@link ImageDecoderFuzzTest}): refused, whether the data is there or not.
     */
    @Test
    void refusesBmpsEmbeddingAPngOrJpeg() throws IOException {
        byte[] bomb = PngChunks.bomb(20000, 20000);
        ByteBuffer bmp = ByteBuffer.allocate(54 + bomb.length).order(ByteOrder.LITTLE_ENDIAN);
        bmp.put((byte) 'B').put((byte) 'M').putInt(bmp.capacity()).putInt(0).putInt(54); // file header
        bmp.putInt(40).putInt(1).putInt(1).putShort((short) 1).putShort((short) 0).putInt(5).putInt(bomb.length)
                .putInt(0).putInt(0).putInt(0).putInt(0).put(bomb); // info header: 1 x 1, BI_PNG
        ImageDecoder d = ImageDecoder.withDefaultLimit();
        assertFault(d, "wrapped.bmp", bmp.array(), "BMP with an embedded PNG (compression 5) is not supported");
        byte[] small = Arrays.copyOf(bmp.array(), 82);
        small[30] = 4;
        ByteBuffer.wrap(small).order(ByteOrder.LITTLE_ENDIAN).putInt(34, Integer.MAX_VALUE - 8); // 2 GB of JPEG, it says
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        assertFault(d, "small.bmp", small, "BMP with an embedded JPEG (compression 4) is not supported");
        assertTrue(mx.getCurrentThreadAllocatedBytes() - before < 4L << 20, "allocated nothing of the size it declares");
    }

    @Test
    void anImageOfExactlyTheLimitDecodesAndOnePixelLessRefusesIt() throws IOException {
        byte[] png = PngChunks.bomb(100, 50);
        BufferedImage img = new ImageDecoder(5000).decode(png, "black.png");
        assertEquals(100, img.getWidth());
        assertEquals(50, img.getHeight());
        ImageTooLargeException e = assertThrows(ImageTooLargeException.class, () -> new ImageDecoder(4999).decode(png, "black.png"));
        assertEquals("black.png: 100 x 50 = 5,000 pixels, above the limit of 4,999 pixels", e.getMessage());
    }

    @Test
    void decodesWhatImageIoDecodes() throws IOException {
        for (HostileImages.Seed s : HostileImages.seeds()) {
            BufferedImage expected = ImageIO.read(new java.io.ByteArrayInputStream(s.bytes()));
            BufferedImage got = ImageDecoder.withDefaultLimit().decode(s.bytes(), "seed." + s.extension());
            int w = expected.getWidth(), h = expected.getHeight();
            assertEquals(expected.getType(), got.getType(), s.extension());
            assertArrayEquals(expected.getRGB(0, 0, w, h, null, 0, w), got.getRGB(0, 0, w, h, null, 0, w), s.extension());
        }
    }

    @Test
    void foreignTruncatedAndSizelessFilesAreImageFormatExceptionsNamingThem() throws IOException {
        ImageDecoder d = ImageDecoder.withDefaultLimit();
        assertFault(d, "notes.png", "not really an image".getBytes(), "not a PNG, JPEG or BMP image");
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        java.io.ByteArrayOutputStream gif = new java.io.ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, "gif", gif));
        assertFault(d, "a.gif", gif.toByteArray(), "not a PNG, JPEG or BMP image");
        byte[] png = PngChunks.bomb(64, 64);
        assertFault(d, "cut.png", Arrays.copyOf(png, png.length - 30), "cannot decode: ");
        byte[] sizeless = PngChunks.write(java.util.List.of(new PngChunks.Chunk("IHDR", PngChunks.ihdr(0, 5, 8, 2)),
                PngChunks.parse(png).get(1), new PngChunks.Chunk("IEND", new byte[0])));
        assertFault(d, "empty.png", sizeless, "");
        assertFault(d, "null", null, "content is null");
        IOException e = assertThrows(IOException.class, () -> d.decode(dir.resolve("absent.png")));
        assertTrue(e.getMessage().startsWith(dir.resolve("absent.png") + ": cannot read"), e.getMessage());
    }

    @Test
    void rejectsALimitBelowOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ImageDecoder(0));
        assertTrue(e.getMessage().contains("at least 1, got 0"), e.getMessage());
    }

    private static void assertFault(ImageDecoder d, String name, byte[] content, String fault) {
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> d.decode(content, name), name);
        assertTrue(e.getMessage().startsWith(name + ": ") && e.fault().startsWith(fault), e.getMessage());
    }
}
