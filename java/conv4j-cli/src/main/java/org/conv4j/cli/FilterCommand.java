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
import org.conv4j.cli.filter.ImageSource;
import org.conv4j.cli.filter.OutputFormat;
import org.conv4j.cli.filter.Progress;
import org.conv4j.cli.support.BadInputException;
import org.conv4j.cli.support.Converters;
import org.conv4j.cli.support.Failures;
import org.conv4j.image.ImageDecoder;
import org.conv4j.image.Kernel;
import org.conv4j.image.KernelBank;
import org.conv4j.image.KernelGallery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

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

    @Parameters(paramLabel = "FILE|DIR", arity = "0..*", description = "More inputs, as --in: `filter a.png photos/`.")
    private List<Path> positional = new ArrayList<>();

    @Option(names = "--max-pixels", paramLabel = "N", converter = Converters.PositiveLong.class,
            description = "Refuse (exit 2) an input whose header declares more than N pixels, before decoding it "
                    + "(default 16777216 = 4096x4096, which a 3 GiB heap filters with the whole gallery; allow ~200 bytes of heap per pixel).")
    private long maxPixels = ImageDecoder.DEFAULT_MAX_PIXELS;

    @Option(names = "--kernels", paramLabel = "SPEC,...",
            description = "Gallery kernels (identity, sobel-x, sobel-y, box-blur, gaussian-blur, sharpen, laplacian, emboss) and "
                    + "generators with :name=value parameters: gaussian:sigma=S[:size=N], box[:size=N], sobel[:dx=1][:dy=0][:ksize=3|5|7], "
                    + "scharr[:dx=1][:dy=0], laplacian[:ksize=1|3|5|7], log:sigma=S, gabor:sigma=S:lambda=L[:theta=DEG][:orientations=N] "
                    + "(e.g. gaussian:sigma=2,sobel:dx=1:ksize=5; default: the whole gallery, unless --kernel-file is given).")
    private String kernels;

    @Option(names = "--kernel-file", paramLabel = "FILE",
            description = "Kernels from a .npy of shape (R,S) or (F,R,S), or a plain-text matrix (one row per line, fractions such as "
                    + "1/9 allowed); repeatable.")
    private List<Path> kernelFiles = new ArrayList<>();

    @Option(names = "--format", paramLabel = "png|jpeg|npy", converter = Options.FormatConverter.class,
            description = "Output per image and kernel: png (default), jpeg (both through the kernel's tone map), or npy: "
                    + "the float32 output itself, shape (C, H, W), no tone map (no contact sheet).")
    private OutputFormat format = OutputFormat.PNG;

    @Option(names = "--no-check", description = "Skip the native-vs-reference fidelity check of the first image of each kernel size.")
    private boolean noCheck;

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
            description = "Decoder threads, encoder threads and convolution threads, each (default: available processors).")
    private int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--contact-sheets", negatable = true,
            description = "Write <image>-contact-sheet.png for every image (default: only when there is one image).")
    private Boolean contactSheets;

    @Mixin
    private Options.BackendOption backend;

    @Mixin
    private Options.PrecisionOption precision;

    @Option(names = "--border", paramLabel = "zero|reflect|symmetric|replicate|circular",
            converter = Converters.BorderConverter.class,
            description = "What the filters read beyond the image edge (numpy.pad modes; default reflect: no dark rim).")
    private Border border = Border.REFLECT;

    @Option(names = "--png-compression", paramLabel = "0-9", converter = Options.PngLevel.class,
            description = "Deflate level of the PNGs: 0 stored, 1 fastest (default, as OpenCV), 9 smallest.")
    private int pngLevel = org.conv4j.image.PngEncoder.DEFAULT_LEVEL;

    @Option(names = "--png-filter", paramLabel = "up|paeth|sub|none",
            converter = Options.PngFilterConverter.class,
            description = "PNG row filter: up (default: fastest, as measured), paeth (PNGs ~10%% smaller, encoding ~1.4x the CPU), sub, none.")
    private org.conv4j.image.PngEncoder.RowFilter pngFilter = org.conv4j.image.PngEncoder.DEFAULT_FILTER;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        Conv2dBackend named = backend.resolve(), be = withThreads(named, threads);
        List<Kernel> chosen = KernelGallery.choose(kernels, kernelFiles);
        List<Path> all = new ArrayList<>(inputs);
        all.addAll(positional);
        refuseOutInsideIn(all);
        List<ImageSource> sources = all.isEmpty() ? List.of(ImageSource.sample()) : ImageSource.expand(all, new ImageDecoder(maxPixels));
        OutputFiles.createDirectory("--out", out);
        if (named == Backends.nativeBackend()) NativeLibrary.setOpenblasThreads(1); // the pool's threads instead
        boolean sheets = format != OutputFormat.NPY && (contactSheets != null ? contactSheets : sources.size() == 1);
        KernelBank bank = new KernelBank(chosen);
        FilterPipeline.Settings settings = new FilterPipeline.Settings(be, bank, gray ? 1 : 3, mode.mode, border, batch,
                threads, out, sheets, pngLevel, pngFilter, !noCheck, format, precision.precision);
        FilterStats st;
        try (FilterPipeline pipeline = new FilterPipeline(settings); Progress progress = Progress.forTerminal(sources.size())) {
            st = pipeline.run(sources, progress);
        }
        report(o, be, bank, st);
        if (st.failures().isEmpty()) return Failures.OK;
        spec.commandLine().getErr().printf("conv4j filter: %d of %d images failed, the others were written: %s%n",
                st.failures().size(), st.failures().size() + st.images(), String.join("; ", st.failures()));
        return Failures.BAD_INPUT;
    }

    /** {@code --out} equal to or inside an input directory would be read back as input on the next run: bad input. */
    private void refuseOutInsideIn(List<Path> ins) {
        Path o = out.toAbsolutePath().normalize();
        for (Path in : ins) {
            Path i = in.toAbsolutePath().normalize();
            if (java.nio.file.Files.isDirectory(in) && o.startsWith(i)) {
                throw new BadInputException("--out " + out + ": is " + (o.equals(i) ? "" : "inside ") + "the input directory " + in
                        + "; give a separate directory");
            }
        }
    }

    /**
     * The backend {@code --backend} names, on {@code threads} threads: the native pool (OpenBLAS held at 1
     * thread beside it) or the Java backend's workers; the reference runs on the calling thread.
     */
    static Conv2dBackend withThreads(Conv2dBackend named, int threads) {
        if (named == Backends.nativeBackend()) return new org.conv4j.backend.NativeIm2colGemmBackend(threads);
        if (named == Backends.javaBackend()) return new org.conv4j.backend.JavaIm2colGemmBackend(threads);
        return named;
    }

    private void report(PrintWriter o, Conv2dBackend be, KernelBank bank, FilterStats st) {
        o.printf("conv4j filter: %d image%s, %d kernel%s (%s), %s%n", st.images(), st.images() == 1 ? "" : "s",
                bank.kernels().size(), bank.kernels().size() == 1 ? "" : "s",
                bank.kernels().stream().map(Kernel::name).collect(Collectors.joining(", ")),
                gray ? "gray (C=1)" : "RGB depthwise (C=3, groups=3)");
        String blas = be instanceof org.conv4j.backend.NativeIm2colGemmBackend
                ? "up to " + threads + " native thread(s), OpenBLAS kernel " + NativeLibrary.openblasCoreName() + " at "
                        + NativeLibrary.openblasThreads() + " thread(s)"
                : be instanceof org.conv4j.backend.JavaIm2colGemmBackend ? "up to " + threads + " Java thread(s), no BLAS"
                : "1 thread, no BLAS";
        String paths = st.firstProblems().stream().map(p -> p + " (" + p.algorithm() + ")").collect(Collectors.joining(", "));
        o.printf("backend: %s (%s); problem: %s%n", be.name(), blas, paths);
        o.printf("throughput: %.1f images/s, %.2f megapixels/s (%.3f s wall); conv2d: %.2f GFLOP/s (%.3f s)%n",
                st.imagesPerSecond(), st.megapixelsPerSecond(), st.wallSeconds(), st.gflopsPerSecond(), st.convSeconds());
        o.printf("time: %s%n", st.timeSplit());
        if (noCheck) {
            o.println("fidelity: not checked (--no-check)");
        } else if (st.fidelity().isEmpty()) {
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
        o.printf("wrote %d %s files to %s%n", st.filesWritten(), format == OutputFormat.PNG ? "PNG" : format.name(), out);
    }
}
