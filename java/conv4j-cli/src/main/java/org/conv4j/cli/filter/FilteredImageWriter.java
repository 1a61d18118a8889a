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

/**
 * The encoding stage of a filter run: turns one image's slice of a batch's outputs into 8-bit PNGs
 * ({@link ToneMap}) and its contact sheet, each written to a temporary file and renamed into place.
 * Thread-safe: every call works on its own image.
 */
public final class FilteredImageWriter {
    private final FilterPipeline.Settings s;
    private final FilterStats stats;

    FilteredImageWriter(FilterPipeline.Settings settings, FilterStats stats) {
        this.s = settings;
        this.stats = stats;
        ImageIO.setUseCache(false); // encode in memory, not through a temporary cache file per image
    }

    /** Writes {@code <stem>-<kernel>.png} for every kernel (and the contact sheet) of image {@code i} of a batch. */
    void write(DecodedImage d, int i, List<float[]> outputs) throws IOException {
        int c = s.channels(), plane = d.h() * d.w();
        List<BufferedImage> sheet = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        if (d.original() != null) {
            sheet.add(d.original());
            labels.add("input");
        }
        float[] values = new float[c * plane];
        byte[] bytes = new byte[c * plane];
        int written = 0;
        for (int gi = 0; gi < outputs.size(); gi++) {
            KernelBank.Group g = s.bank().groups().get(gi);
            for (int k = 0; k < g.size(); k++) {
                Kernel kernel = g.kernels().get(k);
                BufferedImage img = kernelImage(outputs.get(gi), i, c, g, k, d.h(), d.w(), values, bytes);
                writePng(img, d.source().stem() + "-" + kernel.name() + ".png");
                written++;
                if (d.original() != null) {
                    sheet.add(img);
                    labels.add(kernel.name());
                }
            }
        }
        if (d.original() != null) {
            writePng(ContactSheet.of(sheet, labels), d.source().stem() + "-contact-sheet.png");
            written++;
        }
        stats.wrote(written);
    }

    /**
     * The 8-bit image of kernel {@code k} of group {@code g} on image {@code i} of a batch output {@code y}
     * (NKHW, K = C*F): output channel {@code ch*F + k} is kernel k on channel ch, mapped by the kernel's
     * {@link ToneMap}. {@code values} (C*H*W floats) and {@code bytes} (C*H*W) are scratch, overwritten.
     */
    public static BufferedImage kernelImage(float[] y, int i, int c, KernelBank.Group g, int k, int h, int w,
                                            float[] values, byte[] bytes) {
        int f = g.size(), plane = h * w;
        for (int ch = 0; ch < c; ch++) {
            System.arraycopy(y, ((i * c * f) + ch * f + k) * plane, values, ch * plane, plane);
        }
        g.kernels().get(k).toneMap().toBytes(values, 0, c * plane, bytes, 0);
        return Planes.fromPlanes(bytes, c, h, w);
    }

    /** The PNG encoding of {@code img} by the JDK's encoder (deterministic: same image, same bytes). */
    public static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", png)) throw new IOException("no PNG encoder in this JDK");
        return png.toByteArray();
    }

    private void writePng(BufferedImage img, String name) throws IOException {
        Path file = s.outDir().resolve(name);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Npy.writeAtomically(file, png(img)); // temporary file + rename: never a partial PNG
    }

}
