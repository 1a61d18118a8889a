package org.conv4j.cli.filter;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.conv4j.io.Npy;
import org.conv4j.image.ImageFiles;
import org.conv4j.image.KernelBank;
import org.conv4j.image.Planes;
import org.conv4j.image.PngEncoder;

/**
 * The encoding stage of a filter run: one kernel's 8-bit planes of one image ({@link KernelBank.Group#toneMapped}) into a
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

    /**
     * Writes one kernel's output on one image as {@code <stem>-<kernel>.<ext>}: {@code planes} holds C planes
     * of H*W tone-mapped bytes (PNG, JPEG: encoded here) or the whole .npy file (NPY: written as is).
     */
    void writeKernel(ImageSource src, String kernel, byte[] planes, int h, int w) throws IOException {
        long t0 = FilterStats.cpuNanos();
        String name = ImageFiles.outputName(src.stem(), kernel, s.format().extension());
        byte[] bytes = planes;
        int length = planes.length;
        if (s.format() == OutputFormat.PNG) {
            PngEncoder encoder = encoders.get();
            length = encoder.encodeToBuffer(planes, 0, s.channels(), h, w);
            bytes = encoder.buffer();
        } else if (s.format() == OutputFormat.JPEG) {
            ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
            if (!ImageIO.write(Planes.fromPlanes(planes, s.channels(), h, w), "jpeg", jpeg)) throw new IOException("no JPEG encoder in this JDK");
            bytes = jpeg.toByteArray();
            length = bytes.length;
        }
        long t1 = FilterStats.cpuNanos();
        write(name, bytes, length);
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

    /** Writes {@code bytes[0, length)} as {@code name} under the output directory, atomically (umask permissions). */
    private void write(String name, byte[] bytes, int length) throws IOException {
        Path file = s.outDir().resolve(name).toAbsolutePath();
        Files.createDirectories(file.getParent());
        Npy.writeAtomically(file, bytes, length);
    }
}
