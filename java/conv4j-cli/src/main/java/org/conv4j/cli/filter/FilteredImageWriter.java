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
        this.encoders = ThreadLocal.withInitial(() -> new PngEncoder(settings.pngLevel()));
        ImageIO.setUseCache(false); // contact sheets: encode in memory, not through a temporary cache file
    }

    /** Encodes {@code planes} (C planes of H*W bytes) and writes them as {@code <stem>-<kernel>.png}. */
    void writeKernel(ImageSource src, String kernel, byte[] planes, int h, int w) throws IOException {
        long t0 = FilterStats.cpuNanos();
        byte[] png = encoders.get().encode(planes, 0, s.channels(), h, w);
        long t1 = FilterStats.cpuNanos();
        write(src.stem() + "-" + kernel + ".png", png);
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
        write(d.source().stem() + "-contact-sheet.png", png.toByteArray());
        stats.encoded(t1 - t0, FilterStats.cpuNanos() - t1);
    }

    /**
     * The 8-bit planes of kernel {@code k} of group {@code g} on image {@code i} of a batch output {@code y}
     * (NKHW, K = C*F, read by absolute index): output channel {@code ch*F + k} is kernel k on channel ch,
     * mapped by the kernel's {@link ToneMap} into a new array of C*H*W bytes. {@code values} (C*H*W
     * floats) is scratch and holds the kernel's float outputs afterwards.
     */
    public static byte[] toneMapped(FloatBuffer y, int i, int c, KernelBank.Group g, int k, int h, int w, float[] values) {
        int f = g.size(), plane = h * w;
        for (int ch = 0; ch < c; ch++) {
            y.get(((i * c * f) + ch * f + k) * plane, values, ch * plane, plane);
        }
        byte[] bytes = new byte[c * plane];
        g.kernels().get(k).toneMap().toBytes(values, 0, c * plane, bytes, 0);
        return bytes;
    }

    private void write(String name, byte[] bytes) throws IOException {
        Path file = s.outDir().resolve(name);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Npy.writeAtomically(file, bytes); // temporary file + rename: never a partial PNG
        stats.wrote(1);
    }
}
