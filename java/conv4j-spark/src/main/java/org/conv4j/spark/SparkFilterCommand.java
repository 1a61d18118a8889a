package org.conv4j.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.conv4j.Border;
import org.conv4j.Mode;
import org.conv4j.cli.support.BadInputException;
import org.conv4j.cli.support.Converters;
import org.conv4j.cli.support.Failures;
import org.conv4j.image.ImageDecoder;
import org.conv4j.image.ImageFiles;
import org.conv4j.image.Kernel;
import org.conv4j.image.KernelGallery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code conv4j spark-filter}: the {@code filter} job on Spark. Reads the PNG, JPEG and BMP files under
 * {@code --in} (recursively, as {@code filter --in DIR}), writes {@code <stem>-<kernel>.png} into
 * {@code --out} through the committer, and names every image it could not filter on stderr. Embedded
 * local Spark unless {@code --master} or {@code spark-submit} says otherwise.
 *
 * <p>Exit codes as the CLI's: 0 success; 2 bad input (a flag, an unusable {@code --in}/{@code --out},
 * or some images not filtered: the others are written); 1 anything else (a failed Spark job).
 */
@Command(name = "conv4j spark-filter", mixinStandardHelpOptions = true,
        description = "Filter the images under a directory with a kernel bank, on Spark (embedded local mode by default).")
public final class SparkFilterCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--in", paramLabel = "DIR", required = true,
            description = "Directory of input images (PNG, JPEG, BMP; searched recursively), any Hadoop path.")
    private String in;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Output directory, replaced; must be absent, empty or an earlier spark-filter output.")
    private String out;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (default: spark-submit's, else local[*]: embedded, all cores).")
    private String master;

    @Option(names = "--kernels", paramLabel = "NAME,...",
            description = "Gallery kernels (default: all, unless --kernel-file is given).")
    private String kernels;

    @Option(names = "--kernel-file", paramLabel = "FILE",
            description = "Kernels from a .npy of shape (R,S) or (F,R,S), or a plain-text matrix.")
    private java.nio.file.Path kernelFile;

    @Option(names = "--mode", paramLabel = "correlation|convolution", converter = Converters.ModeConverter.class,
            description = "correlation (default) or convolution (kernel rotated 180 degrees).")
    private Mode mode = Mode.CROSS_CORRELATION;

    @Option(names = "--precision", paramLabel = "strict|fast", converter = Converters.PrecisionConverter.class,
            description = "strict (default) or fast (also algorithms with a larger rigorous bound, e.g. Winograd).")
    private org.conv4j.Precision precision = org.conv4j.Precision.STRICT;

    @Option(names = "--gray", description = "Filter the luma channel only (C = 1) instead of R, G, B depthwise.")
    private boolean gray;

    @Option(names = "--border", paramLabel = "zero|reflect|symmetric|replicate|circular",
            converter = Converters.BorderConverter.class,
            description = "What the filters read beyond the image edge (default reflect).")
    private Border border = Border.REFLECT;

    @Option(names = "--max-pixels", paramLabel = "N", converter = Converters.PositiveLong.class,
            description = "Report (not filtered) an image whose header declares more than N pixels, without decoding it "
                    + "(default 16777216 = 4096x4096; allow ~200 bytes of executor heap per pixel and task).")
    private long maxPixels = ImageDecoder.DEFAULT_MAX_PIXELS;

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the command with the given streams and returns the exit code (the tests' entry point). */
    public static int run(PrintStream out, PrintStream err, String... args) {
        // What Spark's own launcher sets on JDK 17+ (the opens come from the jar's manifest or the JVM flags).
        System.setProperty("io.netty.tryReflectionSetAccessible", "true");
        PrintWriter o = new PrintWriter(out, true), e = new PrintWriter(err, true);
        CommandLine cli = new CommandLine(new SparkFilterCommand()).setOut(o).setErr(e);
        cli.setParameterExceptionHandler((ex, a) -> {
            e.println("conv4j spark-filter: " + ex.getMessage().replaceAll("\\s*\\R\\s*", " ")
                    + " (see 'conv4j spark-filter --help')");
            return Failures.BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            e.println("conv4j spark-filter: " + Failures.message(ex));
            if (System.getenv("CONV4J_DEBUG") != null) ex.printStackTrace(e);
            return Failures.exitCode(ex);
        });
        try {
            return cli.execute(args);
        } finally {
            o.flush();
            e.flush();
        }
    }

    @Override
    public Integer call() throws IOException {
        List<Kernel> chosen = KernelGallery.choose(kernels, kernelFile);
        boolean shared = SparkSession.getDefaultSession().isDefined(); // a caller's session: use it, leave it running
        SparkSession spark = session();
        try {
            Path inDir = qualified(spark, in), outDir = qualified(spark, out);
            checkDirectories(spark, inDir, outDir);
            Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                    .load(inDir.toString()).filter((org.apache.spark.api.java.function.FilterFunction<Row>)
                            r -> ImageFiles.isImage(r.getString(0)));
            long inputs = checkNames(files, inDir);
            SparkImageFilter filter = SparkImageFilter.of(chosen).withGray(gray).withMode(mode).withBorder(border)
                    .withMaxPixels(maxPixels).withPrecision(precision).stemsUnder(inDir.toString());
            long t0 = System.nanoTime();
            List<String> failed = filter.write(files, outDir.toString());
            double seconds = (System.nanoTime() - t0) / 1e9;
            long images = inputs - failed.size();
            PrintWriter o = spec.commandLine().getOut();
            o.printf("conv4j spark-filter: %d image%s, %d kernel%s, %s, border %s, on %s%n", images,
                    images == 1 ? "" : "s", chosen.size(), chosen.size() == 1 ? "" : "s",
                    gray ? "gray (C=1)" : "RGB depthwise (C=3, groups=3)", border.name().toLowerCase(Locale.ROOT),
                    spark.sparkContext().master());
            o.printf("throughput: %.2f images/s (%.1f s wall, Spark job start-up included)%n", images / seconds, seconds);
            o.printf("wrote %d PNG files to %s%n", images * chosen.size(), outDir);
            if (failed.isEmpty()) return Failures.OK;
            PrintWriter e = spec.commandLine().getErr();
            for (String f : failed) e.println("conv4j spark-filter: not filtered: " + f);
            e.println("conv4j spark-filter: " + failed.size() + " image" + (failed.size() == 1 ? "" : "s")
                    + " not filtered (listed above); the others are written");
            return Failures.BAD_INPUT;
        } finally {
            if (!shared) spark.stop();
        }
    }

    private SparkSession session() {
        String m = master != null ? master : System.getProperty("spark.master", "local[*]");
        SparkSession.Builder b = SparkSession.builder().appName("conv4j spark-filter").master(m);
        if (m.startsWith("local")) { // embedded: no web UI, nothing listening beyond this host
            b.config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1");
        }
        return b.getOrCreate();
    }

    private static Path qualified(SparkSession spark, String dir) throws IOException {
        Path p = new Path(dir);
        return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(p);
    }

    /**
     * {@code --in} must be a directory; {@code --out}, which the write replaces, must not overlap it
     * and must be absent, empty, or an earlier output (it has the committer's {@code _SUCCESS} marker).
     */
    private static void checkDirectories(SparkSession spark, Path inDir, Path outDir) throws IOException {
        FileSystem fs = inDir.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(inDir)) throw new BadInputException("--in " + inDir + ": no such directory");
        if (!fs.getFileStatus(inDir).isDirectory()) throw new BadInputException("--in " + inDir + ": not a directory");
        String i = inDir.toString() + "/", o = outDir.toString() + "/";
        if (i.startsWith(o) || o.startsWith(i)) {
            throw new BadInputException("--out " + outDir + ": overlaps --in " + inDir + "; give a separate directory");
        }
        FileSystem ofs = outDir.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (ofs.exists(outDir) && (!ofs.getFileStatus(outDir).isDirectory()
                || ofs.listStatus(outDir).length > 0 && !ofs.exists(new Path(outDir, "_SUCCESS")))) {
            throw new BadInputException("--out " + outDir + ": exists and is not an earlier spark-filter output;"
                    + " it would be replaced, so give an absent or empty directory");
        }
    }

    /** At least one image, and no two writing the same names (as the CLI's {@code --in} checks); the count. */
    private static long checkNames(Dataset<Row> files, Path inDir) {
        List<String> paths = files.select("path").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        if (paths.isEmpty()) throw new BadInputException("--in " + inDir + ": no " + ImageFiles.DESCRIPTION + " images in this directory");
        Map<String, String> seen = new HashMap<>();
        String base = inDir.toUri().getPath();
        for (String p : paths) {
            String stem = ImagePartition.stem(p, base), other = seen.putIfAbsent(stem, p);
            if (other != null) {
                throw new BadInputException("--in: " + other + " and " + p + " would both write " + stem
                        + "-*.png; give them different names");
            }
        }
        return paths.size();
    }
}
