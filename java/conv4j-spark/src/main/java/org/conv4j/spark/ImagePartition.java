package org.conv4j.spark;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.conv4j.Backends;
import org.conv4j.Conv2dBackend;
import org.conv4j.backend.NativeLibrary;
import org.conv4j.image.ImageDecoder;
import org.conv4j.image.ImageFiles;
import org.conv4j.image.ImageFormatException;
import org.conv4j.image.ImageTooLargeException;
import org.conv4j.image.KernelBank;
import org.conv4j.image.Planes;
import org.conv4j.image.PlanSlots;
import org.conv4j.image.PngEncoder;

/**
 * What one Spark partition needs to filter images one after another: a plan and its tensors per
 * (kernel size, image size), the few most recent kept ({@link PlanSlots}), made on first use and
 * closed with the partition (by its iterator, or by the task completion listener when the task fails
 * or is killed). Not thread-safe: one per task.
 */
final class ImagePartition implements AutoCloseable {
    /** Instances open in this JVM; in local mode a test sees the executors' count. */
    static final AtomicInteger OPEN = new AtomicInteger();

    private final SparkImageFilter filter;
    private final String base;
    private final KernelBank bank;
    private final ImageDecoder decoder;
    private final PlanSlots slots;
    /** The CLI's default deflate level, so the PNGs equal {@code ./conv4j filter}'s byte for byte. */
    private final PngEncoder encoder = new PngEncoder(PngEncoder.DEFAULT_LEVEL);
    private boolean closed;

    /** {@code base}: the path (no scheme) stems are relative to, or null for bare file names. */
    ImagePartition(SparkImageFilter filter, String base) {
        this.filter = filter;
        this.base = base;
        bank = new KernelBank(filter.kernels());
        decoder = filter.decoder();
        Conv2dBackend backend = Backends.byName(filter.backend());
        // Spark's task slots are the parallelism: OpenBLAS threads beside them would oversubscribe the cores.
        if (backend == Backends.nativeBackend()) NativeLibrary.setOpenblasThreads(1);
        ImageIO.setUseCache(false); // decode and encode in memory, no temporary cache files
        slots = new PlanSlots(backend);
        OPEN.incrementAndGet();
    }

    /** The output rows of one image: one per kernel, or one holding the reason it cannot be filtered. */
    List<Row> filter(String path, byte[] content) {
        if (closed) throw new IllegalStateException("partition resources of " + path + " are closed");
        BufferedImage img;
        float[] planes;
        int c = filter.channels();
        try {
            img = decoder.decode(content, path);
            planes = new float[Math.multiplyExact(c * img.getHeight(), img.getWidth())];
        } catch (ImageFormatException e) {
            return List.of(row(path, null, null, null, null, null, e.fault()));
        } catch (ImageTooLargeException e) {
            return List.of(row(path, null, null, null, null, null, e.fault()));
        } catch (IOException e) { // not thrown for in-memory content
            throw new UncheckedIOException(e);
        } catch (ArithmeticException e) {
            return List.of(row(path, null, null, null, null, null, "image too large to filter"));
        }
        int h = img.getHeight(), w = img.getWidth();
        byte[] pixels = new byte[planes.length];
        Planes.toPlanes(img, c, pixels, 0);
        Planes.widen(pixels, 0, planes, 0, pixels.length);
        String stem = stem(path, base);
        float[] values = new float[planes.length];
        Object shape = TensorFormat.seq(new int[] {c, h, w});
        List<Row> out = new ArrayList<>();
        for (KernelBank.Group g : bank.groups()) {
            PlanSlots.Slot slot;
            try {
                slot = slots.get(g.problem(1, h, w, c, filter.border(), filter.mode(), filter.precision()),
                        () -> g.weights(c));
            } catch (IllegalArgumentException e) { // e.g. outputs past Tensor.MAX_ELEMENTS: this image only
                return List.of(row(path, null, null, null, null, null, w + "x" + h + " image: " + e.getMessage()));
            }
            slot.x.copyFrom(planes);
            slot.plan.forward(slot.x, slot.y);
            FloatBuffer y = slot.y.pointer().asBuffer();
            for (int k = 0; k < g.size(); k++) {
                byte[] bytes = g.toneMapped(y, 0, c, k, h, w, pixels);
                String kernel = g.kernels().get(k).name();
                byte[] tensor = null;
                if (filter.tensors()) {
                    int[] from = g.planeStarts(0, c, k, h, w);
                    for (int ch = 0; ch < c; ch++) y.get(from[ch], values, ch * h * w, h * w);
                    tensor = (byte[]) TensorFormat.BINARY_F32LE.encode(values);
                }
                byte[] png = encoder.encode(bytes, 0, c, h, w);
                out.add(row(path, kernel, ImageFiles.outputName(stem, kernel, "png"), png, tensor, shape, null));
            }
        }
        return out;
    }

    private Row row(String path, String kernel, String name, byte[] png, byte[] tensor, Object shape, String error) {
        return filter.tensors() ? RowFactory.create(path, kernel, name, png, tensor, shape, error)
                : RowFactory.create(path, kernel, name, png, error);
    }

    /**
     * The output stem of {@code path}: its path relative to {@code base} when under it, else its file
     * name, without the extension ({@code base/a/b.png} gives {@code a/b}), as the CLI's {@code --in DIR}.
     */
    static String stem(String path, String base) {
        String p = new org.apache.hadoop.fs.Path(path).toUri().getPath();
        String rel = p.substring(p.lastIndexOf('/') + 1);
        if (base != null) {
            String b = base.endsWith("/") ? base : base + "/";
            if (p.startsWith(b)) rel = p.substring(b.length());
        }
        return ImageFiles.stem(rel);
    }

    /** Closes every plan and tensor. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        slots.close();
        encoder.close();
        OPEN.decrementAndGet();
    }
}
