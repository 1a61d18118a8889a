package org.conv4j.bench;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.conv4j.image.PngEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The filter job's encode path on one 1920x1080 RGB output: conv4j's {@link PngEncoder} from 8-bit planes
 * (what the tone map produces) against the JDK's ImageIO PNG writer as the job used it before (planes to a
 * {@code TYPE_INT_RGB} image through {@code setRGB}, then {@code ImageIO.write} at its default settings).
 * The image is a seeded photo-like field (smooth colour, +-8 noise), as {@code GenerateImages} makes.
 * Reported per PNG; the encoded size is printed once per trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class PngEncodeBenchmark {
    static final int W = 1920, H = 1080;

    /** {@code conv4j-L}: PngEncoder at deflate level L; {@code imageio}: the JDK's writer, default settings. */
    @Param({"conv4j-1", "conv4j-6", "imageio"})
    public String encoder;

    private byte[] planes;
    private PngEncoder png;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        planes = photoLike(new SplittableRandom(7));
        if (encoder.startsWith("conv4j-")) png = new PngEncoder(Integer.parseInt(encoder.substring(7)));
        System.out.printf("%n%s: %d bytes per PNG%n", encoder, encode().length);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (png != null) png.close();
    }

    @Benchmark
    public byte[] encode() throws IOException {
        if (png != null) return png.encode(planes, 0, 3, H, W);
        int plane = H * W;
        int[] rgb = new int[plane];
        for (int i = 0; i < plane; i++) {
            rgb[i] = (planes[i] & 0xFF) << 16 | (planes[plane + i] & 0xFF) << 8 | planes[2 * plane + i] & 0xFF;
        }
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, W, H, rgb, 0, W);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.setUseCache(false);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** R, G, B planes: {@code 128 + 100 sin(...)}-style smooth fields plus uniform noise in [-8, 8]. */
    static byte[] photoLike(SplittableRandom rnd) {
        int plane = H * W;
        byte[] p = new byte[3 * plane];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double u = Math.sin(5.0 * x / W * 6.28) * Math.cos(3.0 * y / H * 6.28);
                int i = y * W + x;
                p[i] = px(128 + 100 * u + rnd.nextInt(17) - 8);
                p[plane + i] = px(128 + 90 * Math.sin(u * 3) + rnd.nextInt(17) - 8);
                p[2 * plane + i] = px(255.0 * y / H + rnd.nextInt(17) - 8);
            }
        }
        return p;
    }

    private static byte px(double v) {
        return (byte) Math.max(0, Math.min(255, Math.round(v)));
    }
}
