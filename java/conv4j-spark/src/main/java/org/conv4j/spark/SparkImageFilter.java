package org.conv4j.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.conv4j.Backends;
import org.conv4j.Border;
import org.conv4j.Mode;
import org.conv4j.Precision;
import org.conv4j.image.ImageDecoder;
import org.conv4j.image.Kernel;

/**
 * The {@code filter} job of the command-line tool on Spark: applies a kernel bank to the rows of Spark's
 * {@code binaryFile} data source ({@code path}, {@code content}) and returns one row per image and kernel
 * holding the PNG the single-process {@code ./conv4j filter} writes for it, byte for byte.
 *
 * <pre>{@code
 * SparkImageFilter f = SparkImageFilter.of(KernelGallery.all()).stemsUnder("images/");
 * Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load("images/");
 * List<String> failed = f.write(files, "filtered/");   // <stem>-<kernel>.png, committed; "path: reason" per bad image
 * }</pre>
 *
 * Each image runs as the CLI runs it ({@code FilterPipeline.problemFor}): RGB depthwise (C = 3,
 * groups = 3, K = 3F) or gray (C = 1, K = F) per kernel size, SAME_UPPER padding read through the
 * border (default reflect), then the kernel's {@code ToneMap} to 8 bits. Output columns:
 * {@code path}, {@code kernel}, {@code name} ({@code <stem>-<kernel>.png}), {@code png}, with
 * {@link #withTensors} also {@code tensor} (the kernel's float output before the tone map, C x H x W
 * float32 little-endian) and {@code shape} ({@code array<int>} C, H, W), and {@code error}. An image
 * that cannot be decoded, or whose header declares more than {@link #withMaxPixels maxPixels} pixels
 * (a decompression bomb, refused before decoding: see {@link ImageDecoder}), gives one row with only
 * {@code path} and {@code error} set; the others go on.
 *
 * @param stemsUnder the directory whose relative paths name the outputs ({@code a/b.png} under it
 *                   writes {@code a/b-<kernel>.png}); null: the file name alone
 * @param maxPixels  the largest width x height decoded (default {@link ImageDecoder#DEFAULT_MAX_PIXELS})
 * @param precision  the filters' problems' {@link Precision} (default strict)
 */
public record SparkImageFilter(List<Kernel> kernels, boolean gray, Mode mode, Border border, boolean tensors,
                               String stemsUnder, String backend, long maxPixels, Precision precision)
        implements Serializable {
    public SparkImageFilter {
        if (kernels == null || kernels.isEmpty()) throw new IllegalArgumentException("kernels must not be empty");
        if (mode == null || border == null) throw new IllegalArgumentException("mode and border must not be null");
        if (precision == null) throw new IllegalArgumentException("precision must not be null");
        Backends.byName(backend); // an unknown name fails here, on the driver
        if (maxPixels < 1) throw new IllegalArgumentException("maxPixels must be at least 1, got " + maxPixels);
        kernels = List.copyOf(kernels);
    }

    /** The CLI's defaults: RGB, cross-correlation, reflect border, PNGs only, file names as stems, native. */
    public static SparkImageFilter of(List<Kernel> kernels) {
        return new SparkImageFilter(kernels, false, Mode.CROSS_CORRELATION, Border.REFLECT, false, null, "native",
                ImageDecoder.DEFAULT_MAX_PIXELS, Precision.STRICT);
    }

    /** {@code true}: filter BT.601 luma (C = 1, K = F) as {@code --gray}; {@code false}: R, G, B depthwise. */
    public SparkImageFilter withGray(boolean g) {
        return new SparkImageFilter(kernels, g, mode, border, tensors, stemsUnder, backend, maxPixels, precision);
    }

    /** Cross-correlation (default) or convolution (kernels rotated 180 degrees), as {@code --mode}. */
    public SparkImageFilter withMode(Mode m) {
        return new SparkImageFilter(kernels, gray, m, border, tensors, stemsUnder, backend, maxPixels, precision);
    }

    /** What the kernels read beyond the image edge, as {@code --border} (default reflect). */
    public SparkImageFilter withBorder(Border b) {
        return new SparkImageFilter(kernels, gray, mode, b, tensors, stemsUnder, backend, maxPixels, precision);
    }

    /** {@code true}: also return each kernel's float output ({@code tensor}, {@code shape} columns). */
    public SparkImageFilter withTensors(boolean t) {
        return new SparkImageFilter(kernels, gray, mode, border, t, stemsUnder, backend, maxPixels, precision);
    }

    /** Output names relative to directory {@code dir} (any Hadoop path; null: file names only). */
    public SparkImageFilter stemsUnder(String dir) {
        return new SparkImageFilter(kernels, gray, mode, border, tensors, dir, backend, maxPixels, precision);
    }

    /** The conv4j backend by name (default native: OpenBLAS on 1 thread per task). */
    public SparkImageFilter withBackend(String name) {
        return new SparkImageFilter(kernels, gray, mode, border, tensors, stemsUnder, name, maxPixels, precision);
    }

    /**
     * Images whose header declares more than {@code n} pixels get an error row instead of being decoded
     * (default {@link ImageDecoder#DEFAULT_MAX_PIXELS}, sized for the CLI's default heap). Each running
     * task holds one image: allow about 200 bytes of executor heap per pixel for each concurrent task
     * ({@code spark.executor.memory} is 1 GiB unless set).
     */
    public SparkImageFilter withMaxPixels(long n) {
        return new SparkImageFilter(kernels, gray, mode, border, tensors, stemsUnder, backend, n, precision);
    }

    /** {@link Precision#STRICT} (default) or {@link Precision#FAST}, as {@code --precision}: the filters' problems carry it. */
    public SparkImageFilter withPrecision(Precision p) {
        return new SparkImageFilter(kernels, gray, mode, border, tensors, stemsUnder, backend, maxPixels, p);
    }

    /** The decoder of every image, with this filter's pixel limit. */
    ImageDecoder decoder() {
        return new ImageDecoder(maxPixels);
    }

    /** Input channels of every problem: 1 (gray) or 3 (R, G, B). */
    int channels() {
        return gray ? 1 : 3;
    }

    /** The schema {@link #transform} returns. */
    public StructType outputSchema() {
        StructType s = new StructType().add("path", DataTypes.StringType, false)
                .add("kernel", DataTypes.StringType, true).add("name", DataTypes.StringType, true)
                .add("png", DataTypes.BinaryType, true);
        if (tensors) {
            s = s.add("tensor", DataTypes.BinaryType, true)
                    .add("shape", DataTypes.createArrayType(DataTypes.IntegerType, false), true);
        }
        return s.add("error", DataTypes.StringType, true);
    }

    /**
     * One row per image and kernel (lazy). {@code files} needs {@code path} (string) and {@code content}
     * (binary) columns, as {@code spark.read().format("binaryFile")} gives; other columns are dropped.
     */
    public Dataset<Row> transform(Dataset<Row> files) {
        StructType in = files.schema();
        int path = index(in, "path", DataTypes.StringType), content = index(in, "content", DataTypes.BinaryType);
        String base = null;
        if (stemsUnder != null) { // qualified on the driver, as binaryFile's paths are (file:/..., hdfs://...)
            try {
                Path dir = new Path(stemsUnder);
                base = dir.getFileSystem(files.sparkSession().sparkContext().hadoopConfiguration())
                        .makeQualified(dir).toUri().getPath();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot resolve " + stemsUnder, e);
            }
        }
        return files.mapPartitions(new ImagePartitionMapper(this, base, path, content), Encoders.row(outputSchema()));
    }

    /**
     * Filters {@code files} and replaces directory {@code outDir} by the PNGs, through the committer of
     * {@link NamedFiles} (a rerun writes the same files, a killed task none). Output names must be unique.
     * Returns {@code "path: reason"} for every image that could not be filtered, sorted; the rest are written.
     */
    public List<String> write(Dataset<Row> files, String outDir) {
        CollectionAccumulator<String> failures =
                files.sparkSession().sparkContext().collectionAccumulator("conv4j images not filtered");
        Dataset<Row> out = transform(files);
        int path = out.schema().fieldIndex("path"), error = out.schema().fieldIndex("error");
        Dataset<Row> filtered = out.filter((FilterFunction<Row>) r -> {
            if (r.isNullAt(error)) return true;
            failures.add(r.getString(path) + ": " + r.getString(error));
            return false;
        });
        NamedFiles.write(filtered, "name", "png", outDir);
        return new ArrayList<>(new TreeSet<>(failures.value())); // a retried task may report an image twice
    }

    private static int index(StructType in, String name, DataType type) {
        if (!Arrays.asList(in.fieldNames()).contains(name) || !in.apply(name).dataType().equals(type)) {
            throw new IllegalArgumentException("image rows need a " + type.simpleString() + " column '" + name
                    + "' (spark.read().format(\"binaryFile\")), got " + in.simpleString());
        }
        return in.fieldIndex(name);
    }
}
