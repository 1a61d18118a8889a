package org.conv4j.cli.filter;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
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
import org.conv4j.image.ToneMap;

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

    /** Encodes {@code planes} (C planes of H*W bytes) and writes them as {@code <stem>-<kernel>.png}. */
    void writeKernel(ImageSource src, String kernel, byte[] planes, int h, int w) throws IOException {
        long t0 = FilterStats.cpuNanos();
        PngEncoder encoder = encoders.get();
        int length = encoder.encodeToBuffer(planes, 0, s.channels(), h, w);
        long t1 = FilterStats.cpuNanos();
        write(ImageFiles.outputName(src.stem(), kernel, "png"), encoder.buffer(), length);
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
