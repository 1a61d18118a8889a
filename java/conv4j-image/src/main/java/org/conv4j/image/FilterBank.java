package org.conv4j.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.conv4j.Border;
import org.conv4j.Conv2dBackend;
import org.conv4j.Mode;
import org.conv4j.Tensor;

/**
 * A bank of 2D kernels applied to a stream of images: each image is converted once
 * ({@link ImageTensors}, with a {@link Normalization}), then every group of same-sized kernels is one
 * depthwise convolution ({@link KernelBank.Group#problem}: C = 1 or 3, groups = C, SAME_UPPER padding
 * through the border mode, output the input's size), whose plan and tensors are made on first use and
 * reused for every later image of that size (the few most recent sizes are kept, {@link PlanSlots}), so
 * memory stays bounded whatever the number of images. Each kernel's output reaches a {@link Sink} as a
 * {@code [1, C, H, W]} tensor; {@link #run} goes on past an image that fails and reports it.
 *
 * <p>The {@code conv4j filter} command runs the same problems through its own concurrent pipeline
 * (decoding, convolution and PNG encoding overlapped); this class is the sequential library API. Not
 * thread-safe: one bank per thread.
 */
public final class FilterBank implements AutoCloseable {
    /** Receives each kernel's output; {@code output} is valid only during the call (it is reused). */
    @FunctionalInterface
    public interface Sink {
        void accept(String image, Kernel kernel, Tensor output) throws IOException;
    }

    /** Told after each input, done or failed: how many are finished, of how many. */
    @FunctionalInterface
    public interface Progress {
        void step(int finished, int total);
    }

    /** An input that failed and why (one line, starting with the file's path). */
    public record Failure(Path file, String message) {
    }

    /** What {@link #run} did: images filtered and the failures, in input order. */
    public record Report(int filtered, List<Failure> failures) {
    }

    private final KernelBank bank;
    private final int channels;
    private final Normalization norm;
    private final Border border;
    private final Mode mode;
    private final PlanSlots slots;
    private Tensor out;

    /**
     * A bank of {@code kernels} on {@code channels} (1 gray/luma or 3 RGB, filtered depthwise) of images
     * normalised by {@code norm}, read beyond the edges through {@code border}, in {@code mode}, on
     * {@code backend}.
     */
    public FilterBank(Conv2dBackend backend, List<Kernel> kernels, int channels, Normalization norm, Border border, Mode mode) {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        norm.requireChannels(channels);
        this.bank = new KernelBank(kernels);
        this.channels = channels;
        this.norm = norm;
        this.border = border;
        this.mode = mode;
        this.slots = new PlanSlots(backend);
    }

    /** Filters one image with every kernel, in the bank's order; {@code name} is passed to the sink. */
    public void filter(BufferedImage image, String name, Sink sink) throws IOException {
        int h = image.getHeight(), w = image.getWidth(), plane = Math.multiplyExact(h, w);
        Tensor o = output(h, w);
        for (KernelBank.Group g : bank.groups()) {
            PlanSlots.Slot slot = slots.get(g.problem(1, h, w, channels, border, mode), () -> g.weights(channels));
            ImageTensors.write(image, 0, norm, slot.x);
            slot.plan.forward(slot.x, slot.w, null, slot.y);
            FloatBuffer y = slot.y.pointer().asBuffer(), dst = o.pointer().asBuffer();
            for (int k = 0; k < g.size(); k++) {
                int[] from = g.planeStarts(0, channels, k, h, w);
                for (int ch = 0; ch < channels; ch++) dst.put(ch * plane, y, from[ch], plane);
                sink.accept(name, g.kernels().get(k), o);
            }
        }
    }

    /**
     * Decodes and filters each file in turn. A file that does not decode, is above the decoder's pixel
     * limit, or whose sink call throws an {@link IOException} or {@link IllegalArgumentException} is
     * reported in the result and the run goes on with the next one.
     */
    public Report run(List<Path> files, ImageDecoder decoder, Sink sink, Progress progress) {
        List<Failure> failures = new ArrayList<>();
        int done = 0, filtered = 0;
        for (Path f : files) {
            try {
                filter(decoder.decode(f), f.toString(), sink);
                filtered++;
            } catch (IOException | IllegalArgumentException e) {
                String m = String.valueOf(e.getMessage());
                failures.add(new Failure(f, m.startsWith(f.toString()) ? m : f + ": " + m));
            }
            progress.step(++done, files.size());
        }
        return new Report(filtered, List.copyOf(failures));
    }

    private Tensor output(int h, int w) {
        long[] shape = {1, channels, h, w};
        if (out == null || !Arrays.equals(out.shape(), shape)) {
            if (out != null) out.close();
            out = null;
            out = Tensor.zeros(shape);
        }
        return out;
    }

    /** Closes every plan and tensor. Idempotent. */
    @Override
    public void close() {
        slots.close();
        if (out != null) out.close();
        out = null;
    }
}
