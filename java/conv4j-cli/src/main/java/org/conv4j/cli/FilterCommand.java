package org.conv4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.conv4j.Backends;
import org.conv4j.Border;
import org.conv4j.Conv2dBackend;
import org.conv4j.Conv2dProblem;
import org.conv4j.FidelityReport;
import org.conv4j.backend.NativeLibrary;
import org.conv4j.cli.filter.FilterPipeline;
import org.conv4j.cli.filter.FilterStats;
import org.conv4j.cli.filter.ImageDecoder;
import org.conv4j.cli.filter.ImageSource;
import org.conv4j.cli.filter.Kernel;
import org.conv4j.cli.filter.KernelBank;
import org.conv4j.cli.filter.KernelGallery;
import org.conv4j.cli.filter.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code conv4j filter}: image filter banks. Without {@code --in} it filters the embedded sample image
 * with the whole kernel gallery. Writes {@code <image>-<kernel>.png} per kernel (and a labelled
 * {@code <image>-contact-sheet.png}) into {@code --out}, and prints throughput, backend, OpenBLAS kernel
 * and the native-vs-reference fidelity of the first image.
 */
@Command(name = "filter", mixinStandardHelpOptions = true,
        description = "Filter images with a kernel bank (default: the embedded sample image and the whole gallery).")
final class FilterCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--in", paramLabel = "FILE|DIR", arity = "1..*",
            description = "Input images (PNG, JPEG, BMP) or directories (searched recursively). Default: the embedded sample.")
    private List<Path> inputs = new ArrayList<>();

    @Option(names = "--max-pixels", paramLabel = "N", converter = Options.PositiveLong.class,
            description = "Refuse (exit 2) an input whose header declares more than N pixels, before decoding it "
                    + "(default 16777216 = 4096x4096, which a 3 GiB heap filters with the whole gallery; allow ~200 bytes of heap per pixel).")
    private long maxPixels = ImageDecoder.DEFAULT_MAX_PIXELS;

    @Option(names = "--kernels", paramLabel = "NAME,...",
            description = "Gallery kernels: identity, sobel-x, sobel-y, box-blur, gaussian-blur, sharpen, laplacian, emboss "
                    + "(default: all, unless --kernel-file is given).")
    private String kernels;

    @Option(names = "--kernel-file", paramLabel = "FILE",
            description = "Kernels from a .npy of shape (R,S) or (F,R,S), or a plain-text matrix (one row per line).")
    private Path kernelFile;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "conv4j-out", description = "Output directory (default conv4j-out).")
    private Path out;

    @Mixin
    private Options.ModeOption mode;

    @Option(names = "--gray", description = "Filter the luma channel only (C = 1) instead of R, G, B depthwise.")
    private boolean gray;

    @Option(names = "--batch", paramLabel = "N", converter = Options.PositiveInt.class,
            description = "Same-sized images per convolution call, at most (default 4; fewer when they would pass 64 MiB of tensors).")
    private int batch = 4;

    @Option(names = "--threads", paramLabel = "N", converter = Options.PositiveInt.class,
            description = "Decoder and encoder threads, and OpenBLAS threads (default: available processors).")
    private int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--contact-sheets", negatable = true,
            description = "Write <image>-contact-sheet.png for every image (default: only when there is one image).")
    private Boolean contactSheets;

    @Mixin
    private Options.BackendOption backend;

    @Mixin
    private Options.PrecisionOption precision;

    @Option(names = "--border", paramLabel = "zero|reflect|symmetric|replicate|circular",
            converter = Options.BorderConverter.class,
            description = "What the filters read beyond the image edge (numpy.pad modes; default reflect: no dark rim).")
    private Border border = Border.REFLECT;

    @Option(names = "--png-compression", paramLabel = "0-9", converter = Options.PngLevel.class,
            description = "Deflate level of the PNGs: 0 stored, 1 fastest (default, as OpenCV), 9 smallest.")
    private int pngLevel = org.conv4j.cli.filter.PngEncoder.DEFAULT_LEVEL;

    @Option(names = "--png-filter", paramLabel = "up|paeth|sub|none",
            converter = Options.PngFilterConverter.class,
            description = "PNG row filter: up (default: fastest, as measured), paeth (PNGs ~10%% smaller, encoding ~1.4x the CPU), sub, none.")
    private org.conv4j.cli.filter.PngEncoder.RowFilter pngFilter = org.conv4j.cli.filter.PngEncoder.DEFAULT_FILTER;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        Conv2dBackend be = backend.resolve();
        List<Kernel> chosen = KernelGallery.choose(kernels, kernelFile);
        List<ImageSource> sources = inputs.isEmpty() ? List.of(ImageSource.sample()) : ImageSource.expand(inputs, new ImageDecoder(maxPixels));
        OutputFiles.createDirectory("--out", out);
        if (be == Backends.nativeBackend()) NativeLibrary.setOpenblasThreads(threads);
        boolean sheets = contactSheets != null ? contactSheets : sources.size() == 1;
        KernelBank bank = new KernelBank(chosen);
        FilterPipeline.Settings settings = new FilterPipeline.Settings(be, bank, gray ? 1 : 3, mode.mode, border, batch,
                threads, out, sheets, pngLevel, pngFilter, precision.precision);
        FilterStats st;
        try (FilterPipeline pipeline = new FilterPipeline(settings); Progress progress = Progress.forTerminal(sources.size())) {
            st = pipeline.run(sources, progress);
        }
        report(o, be, bank, st);
        return Failures.OK;
    }

    private void report(PrintWriter o, Conv2dBackend be, KernelBank bank, FilterStats st) {
        o.printf("conv4j filter: %d image%s, %d kernel%s (%s), %s%n", st.images(), st.images() == 1 ? "" : "s",
                bank.kernels().size(), bank.kernels().size() == 1 ? "" : "s",
                bank.kernels().stream().map(Kernel::name).collect(Collectors.joining(", ")),
                gray ? "gray (C=1)" : "RGB depthwise (C=3, groups=3)");
        String blas = be == Backends.nativeBackend()
                ? "OpenBLAS kernel " + NativeLibrary.openblasCoreName() + ", " + NativeLibrary.openblasThreads() + " thread(s)"
                : "no BLAS";
        String paths = st.firstProblems().stream().map(p -> p + " (" + p.algorithm() + ")").collect(Collectors.joining(", "));
        o.printf("backend: %s (%s); problem: %s%n", be.name(), blas, paths);
        o.printf("throughput: %.1f images/s, %.2f megapixels/s (%.3f s wall); conv2d: %.2f GFLOP/s (%.3f s)%n",
                st.imagesPerSecond(), st.megapixelsPerSecond(), st.wallSeconds(), st.gflopsPerSecond(), st.convSeconds());
        o.printf("time: %s%n", st.timeSplit());
        if (st.fidelity().isEmpty()) {
            o.println("fidelity: the reference backend is the oracle itself; run with --backend native to compare");
        } else {
            long elements = 0, identical = 0, maxUlp = 0;
            double digits = org.conv4j.Fidelity.FLOAT_DIGITS, worst = 0;
            for (FidelityReport r : st.fidelity()) {
                elements += r.elements();
                identical += r.bitIdentical();
                maxUlp = Math.max(maxUlp, r.maxUlp());
                digits = Math.min(digits, r.minDigits());
                worst = Math.max(worst, r.worstBoundRatio());
            }
            o.printf("fidelity vs reference (%s): %.2f%% bit-identical, max %d ulp, >= %.1f digits agree, "
                    + "error/bound %.3g (check took %.3f s, not counted above)%n", st.checkScope(),
                    100.0 * identical / elements, maxUlp, digits, worst,
                    st.checkSeconds());
        }
        o.printf("wrote %d PNG files to %s%n", st.filesWritten(), out);
    }
}
