package org.conv4j.bench;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.conv4j.Tensor;
import org.conv4j.image.ImageTensors;
import org.conv4j.image.Normalization;
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
 * One 1080p RGB image (1920 x 1080) into a {@code [1, 3, 1080, 1920]} tensor allocated once, with the
 * ImageNet normalisation {@code (x/255 - mean[c]) / std[c]}: 6,220,800 bytes of pixels in, 24,883,200
 * bytes of floats out per operation. The image is {@code TYPE_3BYTE_BGR}, what ImageIO decodes JPEGs
 * and RGB PNGs to ({@code type = bgr}), or {@code TYPE_INT_RGB} ({@code type = intRgb}).
 * <ul>
 *   <li>{@code imageTensors}: {@link ImageTensors#write} (raster read directly, table lookup per sample);</li>
 *   <li>{@code getRgbLoop}: what a user writes by hand, {@code getRGB(x, y)} per pixel, the formula per
 *       sample into a {@code float[]}, then one {@link Tensor#copyFrom(float[])};</li>
 *   <li>{@code rawBgrPixels}: {@link ImageTensors#fromPixels} over the image's own interleaved bytes (a new
 *       tensor per call, so it includes a 25 MB allocation, zeroing and free).</li>
 * </ul>
 * One JVM thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class ImageToTensorBenchmark {
    private static final int H = 1080, W = 1920;
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f}, STD = {0.229f, 0.224f, 0.225f};

    @Param({"bgr", "intRgb"})
    public String type;

    private BufferedImage image;
    private byte[] bgr;
    private float[] heap;
    private Tensor target;

    @Setup(Level.Trial)
    public void setup() {
        image = new BufferedImage(W, H, type.equals("bgr") ? BufferedImage.TYPE_3BYTE_BGR : BufferedImage.TYPE_INT_RGB);
        SplittableRandom rnd = new SplittableRandom(42);
        int[] row = new int[W];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) row[x] = rnd.nextInt(1 << 24);
            image.setRGB(0, y, W, 1, row, 0, W);
        }
        BufferedImage b = new BufferedImage(W, H, BufferedImage.TYPE_3BYTE_BGR);
        b.getGraphics().drawImage(image, 0, 0, null);
        bgr = ((DataBufferByte) b.getRaster().getDataBuffer()).getData();
        heap = new float[3 * H * W];
        target = Tensor.zeros(1, 3, H, W);
    }

    @Benchmark
    public Tensor imageTensors() {
        ImageTensors.write(image, 0, Normalization.IMAGENET, target);
        return target;
    }

    @Benchmark
    public Tensor getRgbLoop() {
        float s = 1f / 255;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int p = image.getRGB(x, y), i = y * W + x;
                heap[i] = ((p >> 16 & 0xFF) * s - MEAN[0]) / STD[0];
                heap[H * W + i] = ((p >> 8 & 0xFF) * s - MEAN[1]) / STD[1];
                heap[2 * H * W + i] = ((p & 0xFF) * s - MEAN[2]) / STD[2];
            }
        }
        target.copyFrom(heap);
        return target;
    }

    @Benchmark
    public long rawBgrPixels() {
        try (Tensor t = ImageTensors.fromPixels(bgr, 1, H, W, org.conv4j.image.PixelOrder.BGR, 3, Normalization.IMAGENET)) {
            return t.size();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        target.close();
    }
}
