package org.conv4j.fuzz;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Valid PNG, JPEG and BMP files written by ImageIO in the sample models it decodes to (RGB, ARGB, gray
 * 8 and 16 bit, palette, 1 bit; baseline and progressive JPEG), and mutations of them: format-blind
 * ({@link Mutations}), chunk-level for PNG ({@link PngChunks}), and header fields for BMP (sizes, bit
 * count, compression, offsets) and JPEG (the frame's height, width and component count; inserted segments).
 */
public final class HostileImages {
    /** One seed: its bytes and its format's file extension. */
    public record Seed(byte[] bytes, String extension) {
    }

    /** Offsets of the BMP header's file size, data offset, header size, width, height, planes, bit count,
     *  compression, data size and colours used. */
    private static final int[] BMP_FIELDS = {2, 10, 14, 18, 22, 26, 28, 30, 34, 46};
    private static final int BMP_COMPRESSION = 30;

    private HostileImages() {
    }

    public static List<Seed> seeds() throws IOException {
        List<Seed> out = new ArrayList<>();
        for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_BYTE_GRAY,
                                   BufferedImage.TYPE_USHORT_GRAY, BufferedImage.TYPE_BYTE_INDEXED, BufferedImage.TYPE_BYTE_BINARY}) {
            out.add(new Seed(encode(image(13, 7, type, out.size()), "png", false), "png"));
        }
        out.add(new Seed(encode(image(16, 16, BufferedImage.TYPE_INT_RGB, 10), "jpeg", false), "jpg"));
        out.add(new Seed(encode(image(9, 8, BufferedImage.TYPE_BYTE_GRAY, 11), "jpeg", false), "jpg"));
        out.add(new Seed(encode(image(17, 12, BufferedImage.TYPE_INT_RGB, 12), "jpeg", true), "jpg"));
        for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_BYTE_INDEXED, BufferedImage.TYPE_BYTE_BINARY,
                                   BufferedImage.TYPE_USHORT_565_RGB}) {
            out.add(new Seed(encode(image(11, 5, type, 20 + type), "bmp", false), "bmp"));
        }
        return out;
    }

    /** A mutation of {@code seed}: one kind of change in three is aware of the seed's format. */
    public static byte[] mutate(SplittableRandom rnd, Seed seed, List<byte[]> all) {
        if (rnd.nextInt(3) > 0) return Mutations.mutate(rnd, seed.bytes(), 4, all);
        byte[] b = seed.bytes().clone();
        switch (seed.extension()) {
            case "png":
                return PngChunks.mutate(rnd, b);
            case "bmp":
                for (int k = 1 + rnd.nextInt(3); k > 0; k--) { // fields act together: compression x data size
                    int field = BMP_FIELDS[rnd.nextInt(BMP_FIELDS.length)];
                    long v = Mutations.INTERESTING[rnd.nextInt(Mutations.INTERESTING.length)];
                    if (field == BMP_COMPRESSION && rnd.nextBoolean()) v = rnd.nextInt(7); // RGB, RLE8, RLE4, bit fields, JPEG, PNG
                    Mutations.putInt(b, field, v, field == 26 || field == 28 ? 2 : 4, true);
                }
                return b;
            default:
                return mutateJpeg(rnd, b);
        }
    }

    /** The frame header's height, width or component count set to an interesting value, or a garbage segment. */
    private static byte[] mutateJpeg(SplittableRandom rnd, byte[] b) {
        int sof = -1;
        for (int i = 2; i + 9 < b.length && sof < 0; i++) {
            if ((b[i] & 0xFF) == 0xFF && ((b[i + 1] & 0xFF) == 0xC0 || (b[i + 1] & 0xFF) == 0xC2)) sof = i;
        }
        if (sof < 0 || rnd.nextBoolean()) { // FF xx, length, noise, after the SOI marker
            byte[] noise = Mutations.randomBytes(rnd, 2 + rnd.nextInt(64));
            noise[0] = (byte) 0xFF;
            noise[1] = (byte) (0xC0 + rnd.nextInt(64));
            return Mutations.splice(b, 2, 2, Mutations.putInt(noise, 2, noise.length - 2, 2, false));
        }
        int field = new int[] {5, 7, 9}[rnd.nextInt(3)]; // height, width (2 bytes each), components (1)
        long v = Mutations.INTERESTING[rnd.nextInt(Mutations.INTERESTING.length)];
        return Mutations.putInt(b, sof + field, v, field == 9 ? 1 : 2, false);
    }

    private static BufferedImage image(int w, int h, int type, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, rnd.nextInt());
        return img;
    }

    private static byte[] encode(BufferedImage img, String format, boolean progressive) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam p = writer.getDefaultWriteParam();
            if (progressive) p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            writer.write(null, new IIOImage(img, null, null), p);
        } finally {
            writer.dispose();
        }
        if (bytes.size() == 0) throw new IOException("ImageIO wrote no " + format + " for image type " + img.getType());
        return bytes.toByteArray();
    }
}
