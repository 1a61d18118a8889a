package org.conv4j.cli.filter;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.conv4j.Backends;
import org.conv4j.Border;
import org.conv4j.Conv2dBackend;
import org.conv4j.Conv2dProblem;
import org.conv4j.Fidelity;
import org.conv4j.FidelityReport;
import org.conv4j.Mode;
import org.conv4j.cli.support.BadInputException;
import org.conv4j.image.KernelBank;
import org.conv4j.image.PlanSlots;
import org.conv4j.image.Planes;
import org.conv4j.image.PngEncoder;
import org.conv4j.Precision;

/**
 * The streaming filter run: decode, convolve, encode overlap. Decoders and encoders are pools of
 * {@code threads}; the convolution runs on the calling thread, one batch of up to {@code batch}
 * same-sized images per kernel size. Both hand-offs are bounded windows of futures taken in order, so
 * at most {@code 2*batch} decoded images and the outputs of {@link #ENCODING_BATCHES} batches besides
 * the one convolving exist at once (each batch at most {@link #BATCH_BYTES} of tensors), whatever the
 * number of inputs. Outputs are written to a temporary file and renamed, never half-written.
 */
public final class FilterPipeline implements AutoCloseable {
    /** Budget of input + output tensor bytes of one convolution call; bounds memory for large images. */
    static final long BATCH_BYTES = 64L << 20;
    /** Batches whose outputs may be encoding while the next one convolves. */
    static final int ENCODING_BATCHES = 2;
    /** Most outputs the fidelity check compares (about 20 bytes of reference arrays each). */
    static final long CHECK_OUTPUTS = 4L << 20;
    /** The fidelity check's budget: this share of the convolution time of the batch it checks. */
    static final double CHECK_SHARE = 0.05;
    /** Multiply-adds of the first, calibrating crop of the check. */
    static final long CALIBRATION_MACS = 1L << 20;
    /** How a run is configured. {@code channels} is 3 (RGB, depthwise) or 1 (gray). */
    public record Settings(Conv2dBackend backend, KernelBank bank, int channels, Mode mode, Border border, int batch,
                           int threads, Path outDir, boolean contactSheets, int pngLevel,
                           PngEncoder.RowFilter pngFilter, boolean check, OutputFormat format, Precision precision) {
    }

    private final Settings s;
    private final ExecutorService decoders, encoders;
    private final PlanSlots slots;
    private final FilteredImageWriter writer;
    private final FilterStats stats = new FilterStats();
    private final boolean[] checked;
    /** The tone-mapped planes of the batches being encoded and the one being mapped. */
    private final BytePool pool;

    public FilterPipeline(Settings settings) {
        this.s = settings;
        decoders = Executors.newFixedThreadPool(settings.threads(), daemon("conv4j-decode"));
        encoders = Executors.newFixedThreadPool(settings.threads(), daemon("conv4j-encode"));
        slots = new PlanSlots(settings.backend());
        writer = new FilteredImageWriter(settings, stats);
        checked = new boolean[settings.bank().groups().size()];
        pool = new BytePool((ENCODING_BATCHES + 1) * settings.batch() * settings.bank().kernels().size());
    }

    /**
     * Filters every source; returns the statistics. An image that does not decode is left out and listed
     * in {@link FilterStats#failures()}; the first other failure (unwritable file, internal error) is thrown.
     */
    public FilterStats run(List<ImageSource> sources, Progress progress) throws IOException {
        long t0 = System.nanoTime();
        int window = 2 * s.batch();
        Deque<Future<DecodedImage>> decoding = new ArrayDeque<>();
        Deque<List<Future<?>>> encoding = new ArrayDeque<>();
        Iterator<ImageSource> next = sources.iterator();
        List<DecodedImage> batch = new ArrayList<>();
        while (true) {
            while (decoding.size() < window && next.hasNext()) {
                ImageSource src = next.next();
                decoding.add(decoders.submit(() -> decode(src)));
            }
            if (decoding.isEmpty()) break;
            DecodedImage d;
            try {
                d = await(decoding.poll());
            } catch (BadInputException e) { // the image does not decode: named at the end, the others go on
                stats.failures.add(e.getMessage());
                progress.step();
                continue;
            }
            if (!batch.isEmpty() && (batch.size() >= batchLimit(d.h(), d.w()) || batch.get(0).h() != d.h()
                    || batch.get(0).w() != d.w())) {
                convolveAndEncode(batch, encoding, progress);
                batch = new ArrayList<>();
            }
            batch.add(d);
        }
        if (!batch.isEmpty()) convolveAndEncode(batch, encoding, progress);
        while (!encoding.isEmpty()) awaitAll(encoding.poll());
        stats.wallNanos = System.nanoTime() - t0 - stats.checkNanos;
        return stats;
    }

    /**
     * Images of H x W per convolution call: {@code --batch}, but fewer when that many would pass
     * {@link #BATCH_BYTES} of input and output tensors (C + K floats per pixel), never fewer than one.
     */
    int batchLimit(int h, int w) {
        long k = 0;
        for (KernelBank.Group g : s.bank().groups()) k = Math.max(k, (long) s.channels() * g.size());
        long perImage = (s.channels() + k) * h * (long) w * Float.BYTES;
        return (int) Math.max(1, Math.min(s.batch(), BATCH_BYTES / perImage));
    }

    private DecodedImage decode(ImageSource src) throws IOException {
        long t0 = FilterStats.cpuNanos();
        BufferedImage img = src.load();
        int h = img.getHeight(), w = img.getWidth();
        byte[] planes = new byte[Math.multiplyExact(s.channels() * h, w)];
        Planes.toPlanes(img, s.channels(), planes, 0);
        stats.decodeNanos.add(FilterStats.cpuNanos() - t0);
        return new DecodedImage(src, planes, h, w, s.contactSheets() ? img : null);
    }

    Conv2dProblem problemFor(int n, int h, int w, KernelBank.Group g) {
        return g.problem(n, h, w, s.channels(), s.border(), s.mode(), s.precision());
    }

    private void convolveAndEncode(List<DecodedImage> batch, Deque<List<Future<?>>> encoding, Progress progress)
            throws IOException {
        int n = batch.size(), h = batch.get(0).h(), w = batch.get(0).w(), c = s.channels();
        List<KernelBank.Group> groups = s.bank().groups();
        List<String> names = new ArrayList<>();
        byte[][][] mapped = new byte[n][s.bank().kernels().size()][];
        for (int gi = 0, first = 0; gi < groups.size(); first += groups.get(gi).size(), gi++) {
            KernelBank.Group g = groups.get(gi);
            PlanSlots.Slot slot = slots.get(problemFor(n, h, w, g), () -> g.weights(c));
            int per = batch.get(0).planes().length;
            for (int i = 0; i < n; i++) Planes.widen(batch.get(i).planes(), 0, slot.xHeap, i * per, per);
            slot.x.copyFrom(slot.xHeap);
            long t = System.nanoTime();
            slot.plan.forward(slot.x, slot.y);
            long t1 = System.nanoTime();
            stats.convNanos += t1 - t;
            stats.flops += slot.problem.flops();
            FloatBuffer y = slot.y.pointer().asBuffer();
            if (!checked[gi]) {
                checked[gi] = true;
                stats.firstProblems.add(slot.problem);
                if (s.check() && s.backend() != Backends.reference()) {
                    long c0 = System.nanoTime();
                    stats.fidelity.add(checkFirstImage(g, h, w, slot, y, t1 - t));
                    stats.checkNanos += System.nanoTime() - c0;
                }
            }
            long m0 = FilterStats.cpuNanos();
            for (int k = 0; k < g.size(); k++) {
                names.add(g.kernels().get(k).name());
                for (int i = 0; i < n; i++) {
                    mapped[i][first + k] = s.format() == OutputFormat.NPY ? npy(y, g.planeStarts(i, c, k, h, w), h, w)
                            : g.toneMapped(y, i, c, k, h, w, pool.take(c * h * w));
                }
            }
            stats.toneMapNanos += FilterStats.cpuNanos() - m0;
        }
        stats.images += n;
        stats.pixels += (long) n * h * w;
        while (encoding.size() >= ENCODING_BATCHES) awaitAll(encoding.poll());
        List<Future<?>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            DecodedImage d = batch.get(i);
            byte[][] planes = mapped[i];
            boolean sheet = d.original() != null;
            AtomicInteger left = new AtomicInteger(planes.length + (sheet ? 1 : 0));
            for (int j = 0; j < planes.length; j++) {
                String kernel = names.get(j);
                byte[] p = planes[j];
                tasks.add(encoders.submit((Callable<Void>) () -> {
                    writer.writeKernel(d.source(), kernel, p, h, w);
                    if (!sheet && s.format() != OutputFormat.NPY) pool.give(p);
                    if (left.decrementAndGet() == 0) progress.step();
                    return null;
                }));
            }
            if (sheet) {
                tasks.add(encoders.submit((Callable<Void>) () -> {
                    writer.writeSheet(d, names, List.of(planes));
                    if (left.decrementAndGet() == 0) progress.step();
                    return null;
                }));
            }
        }
        encoding.add(tasks);
    }

    /**
     * Native vs reference on the first image of the first batch of a kernel group, bounded to cost about
     * {@link #CHECK_SHARE} of that batch's convolution time ({@code convNanos}): a small top-left crop is
     * checked first (about {@link #CALIBRATION_MACS} multiply-adds), which also measures the reference's
     * speed here; then, if the budget allows more, the largest crop (up to the whole image and at most
     * {@link #CHECK_OUTPUTS} outputs: the reference keeps three arrays per output) that fits it.
     */
    private FidelityReport checkFirstImage(KernelBank.Group g, int h, int w, PlanSlots.Slot slot, FloatBuffer y, long convNanos) {
        int c = s.channels(), k = c * g.size();
        long macsPerPixel = (long) k * g.rows() * g.cols();
        long t0 = System.nanoTime();
        FidelityReport small = checkCrop(g, h, w, slot, y, sideFor(CALIBRATION_MACS / macsPerPixel, h, w));
        double nanosPerMac = Math.max(1e-3, (System.nanoTime() - t0) / (double) (macsPerPixel * small.elements() / k));
        long budgetMacs = (long) (CHECK_SHARE * convNanos / nanosPerMac);
        long pixels = Math.min(CHECK_OUTPUTS / k, budgetMacs / macsPerPixel);
        if (pixels <= small.elements() / k) return small;
        return checkCrop(g, h, w, slot, y, sideFor(pixels, h, w));
    }

    /** A crop of at most {@code pixels} pixels: side x side, clipped to the image; at least 1 x 1. */
    private static int[] sideFor(long pixels, int h, int w) {
        if (pixels >= (long) h * w) return new int[] {h, w};
        int side = (int) Math.max(1, Math.sqrt((double) pixels));
        int ch = Math.min(h, side), cw = (int) Math.min(w, Math.max(side, pixels / ch));
        return new int[] {ch, cw};
    }

    /** The check on the top-left {@code crop[0]} x {@code crop[1]} of the first image: its own outputs if whole, else run again. */
    private FidelityReport checkCrop(KernelBank.Group g, int h, int w, PlanSlots.Slot slot, FloatBuffer y, int[] crop) {
        int c = s.channels(), k = c * g.size(), ch = crop[0], cw = crop[1];
        if (ch == h && cw == w) {
            stats.checkScope = "first image";
            float[] first = new float[k * h * w];
            y.get(0, first);
            return Fidelity.compare(problemFor(1, h, w, g), Arrays.copyOf(slot.xHeap, c * h * w), slot.weights, null, first);
        }
        stats.checkScope = "first image, " + cw + "x" + ch + " top-left crop";
        float[] part = new float[c * ch * cw];
        for (int ci = 0; ci < c; ci++) {
            for (int r = 0; r < ch; r++) System.arraycopy(slot.xHeap, (ci * h + r) * w, part, (ci * ch + r) * cw, cw);
        }
        return Fidelity.check(problemFor(1, ch, cw, g), s.backend(), part, slot.weights, null);
    }

    /** The .npy file bytes of one kernel's float planes on one image: shape (C, H, W), read from {@code from[ch]}. */
    private static byte[] npy(FloatBuffer y, int[] from, int h, int w) {
        int plane = h * w;
        float[] v = new float[from.length * plane];
        for (int ch = 0; ch < from.length; ch++) y.get(from[ch], v, ch * plane, plane);
        return org.conv4j.io.Npy.encode(new long[] {from.length, h, w}, v);
    }

    private static void awaitAll(List<Future<?>> fs) throws IOException {
        for (Future<?> f : fs) await(f);
    }

    private static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) throw (IOException) cause;
            if (cause instanceof RuntimeException) throw (RuntimeException) cause;
            if (cause instanceof Error) throw (Error) cause;
            throw new IOException(cause);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Stops the pools (abandoning queued work after a failure) and closes every plan and tensor. */
    @Override
    public void close() {
        decoders.shutdownNow();
        encoders.shutdownNow();
        try {
            decoders.awaitTermination(10, TimeUnit.SECONDS);
            encoders.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            slots.close();
        }
    }
}
