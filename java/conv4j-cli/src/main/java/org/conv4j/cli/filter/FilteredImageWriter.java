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
final class FilteredImageWriter {
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
            int f = g.size();
            float[] y = outputs.get(gi);
            for (int k = 0; k < f; k++) {
                for (int ch = 0; ch < c; ch++) { // output channel ch*F + k of image i is kernel k on channel ch
                    System.arraycopy(y, ((i * c * f) + ch * f + k) * plane, values, ch * plane, plane);
                }
                Kernel kernel = g.kernels().get(k);
                kernel.toneMap().toBytes(values, 0, values.length, bytes, 0);
                BufferedImage img = Planes.fromPlanes(bytes, c, d.h(), d.w());
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

    private void writePng(BufferedImage img, String name) throws IOException {
        Path file = s.outDir().resolve(name);
        Files.createDirectories(file.toAbsolutePath().getParent());
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", png)) throw new IOException("no PNG encoder in this JDK");
        Npy.writeAtomically(file, png.toByteArray()); // temporary file + rename: never a partial PNG
    }

}
