package org.conv4j.cli.filter;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The encoding stage of a filter run: one kernel's 8-bit planes of one image ({@link #toneMapped}) into a
 * PNG ({@link PngEncoder}, one per encoder thread), and the contact sheet, each written to a temporary
 * file and renamed into place. Thread-safe: every call works on its own image and kernel.
 */
public final class FilteredImageWriter {
    private final FilterPipeline.Settings s;
    private final FilterStats stats;
    private final ThreadLocal<PngEncoder> encoders;

    FilteredImageWriter(FilterPipeline.Settings settings, FilterStats stats) {
        this.s = settings;
        this.stats = stats;
        this.encoders = ThreadLocal.withInitial(() -> new PngEncoder(settings.pngLevel(), settings.pngFilter()));
        ImageIO.setUseCache(false); // contact sheets: encode in memory, not through a temporary cache file
    }

    /** Encodes {@code planes} (C planes of H*W bytes) and writes them as {@code <stem>-<kernel>.png}. */
    void writeKernel(ImageSource src, String kernel, byte[] planes, int h, int w) throws IOException {
        long t0 = FilterStats.cpuNanos();
        PngEncoder encoder = encoders.get();
        int length = encoder.encodeToBuffer(planes, 0, s.channels(), h, w);
        long t1 = FilterStats.cpuNanos();
        write(src.stem() + "-" + kernel + ".png", encoder.buffer(), length);
        stats.encoded(t1 - t0, FilterStats.cpuNanos() - t1);
    }

    /** Writes {@code <stem>-contact-sheet.png}: the input beside each kernel's output, labelled. */
    void writeSheet(DecodedImage d, List<String> kernels, List<byte[]> planes) throws IOException {
        long t0 = FilterStats.cpuNanos();
        List<BufferedImage> tiles = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        tiles.add(d.original());
        labels.add("input");
        for (int i = 0; i < kernels.size(); i++) {
            tiles.add(Planes.fromPlanes(planes.get(i), s.channels(), d.h(), d.w()));
            labels.add(kernels.get(i));
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        if (!ImageIO.write(ContactSheet.of(tiles, labels), "png", png)) throw new IOException("no PNG encoder in this JDK");
        long t1 = FilterStats.cpuNanos();
        write(d.source().stem() + "-contact-sheet.png", png.toByteArray(), png.size());
        stats.encoded(t1 - t0, FilterStats.cpuNanos() - t1);
    }

    /**
     * The 8-bit planes of kernel {@code k} of group {@code g} on image {@code i} of a batch output {@code y}
     * (NKHW, K = C*F, read by absolute index): output channel {@code ch*F + k} is kernel k on channel ch,
     * mapped by the kernel's {@link ToneMap} into {@code bytes} (C*H*W, returned).
     */
    public static byte[] toneMapped(FloatBuffer y, int i, int c, KernelBank.Group g, int k, int h, int w, byte[] bytes) {
        g.kernels().get(k).toneMap().toBytes(y, planeStarts(i, c, g, k, h, w), h * w, bytes, 0);
        return bytes;
    }

    /** Where the C planes of kernel {@code k} on image {@code i} start in a batch output: {@code ((i*C + ch)*F + k) * H*W}. */
    public static int[] planeStarts(int i, int c, KernelBank.Group g, int k, int h, int w) {
        int[] from = new int[c];
        for (int ch = 0; ch < c; ch++) from[ch] = ((i * c + ch) * g.size() + k) * h * w;
        return from;
    }

    /** Writes {@code bytes[0, length)} to a temporary sibling of the output and renames it into place. */
    private void write(String name, byte[] bytes, int length) throws IOException {
        Path file = s.outDir().resolve(name).toAbsolutePath();
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(bytes, 0, length);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp); // after a failure; gone already after the move
        }
        stats.wrote(1);
    }
}
