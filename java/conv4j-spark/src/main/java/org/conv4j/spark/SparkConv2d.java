package org.conv4j.spark;

import java.util.Arrays;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.conv4j.Backends;
import org.conv4j.Conv2dProblem;

/**
 * Applies one {@link Conv2dProblem} (any border, mode, groups, epilogue the core supports) to every row
 * of a {@code Dataset<Row>} holding an NCHW tensor, the way a Spark ML transformer does: the input rows
 * come back in order with three columns appended, see {@link TensorColumns}, and without the input
 * tensor column unless {@link #keepInput} asks for it (it is as large as the output).
 *
 * <pre>{@code
 * SparkConv2d conv = SparkConv2d.of(problem, weights, bias);           // KCRS weights, K biases (or null)
 * Dataset<Row> out = conv.transform(spark.read().parquet("tensors/"));  // + output, output_shape, error
 * SparkConv2d.writeParquet(out, "features/");                           // committed, rerun-safe
 * }</pre>
 *
 * <p>Per partition the constant-weight plan (weights prepared once), workspace and tensors are made once
 * and closed at its end, also when the task fails; the backend runs one thread per task (native pool and
 * OpenBLAS), so Spark's task slots are the only parallelism. Rows are processed in Spark's internal
 * form: a tensor is copied once from the input row into off-heap memory and once from the output tensor
 * into the output row, with no {@code Row} objects in between.
 * A row whose tensor is null, of the wrong length, has a null element, or whose shape column differs
 * from the problem's input shape gets null outputs and the reason in the error column; the other rows
 * go on. Immutable; configure on the driver, then call {@link #transform}.
 */
public final class SparkConv2d {
    private final ProblemSpec spec;
    private final Conv2dProblem problem;
    private final float[] weights, bias;
    private final String backend;
    private final TensorColumns columns;
    private final boolean keepInput;

    private SparkConv2d(Conv2dProblem problem, float[] weights, float[] bias, String backend, TensorColumns cols,
                        boolean keepInput) {
        this.spec = ProblemSpec.of(problem);
        this.problem = problem;
        this.weights = weights;
        this.bias = bias;
        this.backend = backend;
        this.columns = cols;
        this.keepInput = keepInput;
    }

    /**
     * The problem with its weights ({@link Conv2dProblem#weightElements()} floats, KCRS) and bias
     * ({@code K} floats, or null when the problem has none), on the native backend, default columns.
     */
    public static SparkConv2d of(Conv2dProblem problem, float[] weights, float[] bias) {
        if (problem == null) throw new IllegalArgumentException("problem must not be null");
        checkLength("weights", weights, problem.weightElements(), problem);
        if (problem.hasBias()) {
            checkLength("bias", bias, problem.k(), problem);
        } else if (bias != null) {
            throw new IllegalArgumentException("bias given but problem " + problem + " has none (b0)");
        }
        if (problem.inputElements() > Integer.MAX_VALUE / 4 || problem.outputElements() > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("problem " + problem + ": a row's tensor must fit a Java array"
                    + " of bytes (at most " + Integer.MAX_VALUE / 4 + " floats)");
        }
        return new SparkConv2d(problem, weights.clone(), bias == null ? null : bias.clone(), "native",
                TensorColumns.DEFAULT, false);
    }

    /** The same on backend {@code native} or {@code reference} (see {@link Backends#byName}). */
    public SparkConv2d backend(String name) {
        return new SparkConv2d(problem, weights, bias, Backends.byName(name).name(), columns, keepInput);
    }

    /** The same with other column names. */
    public SparkConv2d columns(TensorColumns cols) {
        if (cols == null) throw new IllegalArgumentException("columns must not be null");
        return new SparkConv2d(problem, weights, bias, backend, cols, keepInput);
    }

    /** The same, keeping the input tensor column in the output ({@code false} by default: it is dropped). */
    public SparkConv2d keepInput(boolean keep) {
        return new SparkConv2d(problem, weights, bias, backend, columns, keep);
    }

    public Conv2dProblem problem() {
        return problem;
    }

    public TensorColumns columns() {
        return columns;
    }

    /** The schema {@link #transform} returns for {@code in}; validates the columns it reads. */
    public StructType outputSchema(StructType in) {
        TensorFormat format = formatOf(in);
        StructType kept = new StructType();
        for (int i : kept(in)) kept = kept.add(in.fields()[i]);
        return kept.add(columns.output(), format.sparkType(), true)
                .add(columns.outputShape(), DataTypes.createArrayType(DataTypes.IntegerType, false), true)
                .add(columns.error(), DataTypes.StringType, true);
    }

    /**
     * The rows of {@code in} with output, output shape and error appended, the input tensor column dropped
     * unless {@link #keepInput} (lazy, as every Spark transform). Needs a classic (not Spark Connect) session.
     */
    public Dataset<Row> transform(Dataset<Row> in) {
        StructType schema = in.schema();
        StructType out = outputSchema(schema);
        TensorFormat format = formatOf(schema);
        int shape = columns.shape() == null ? -1 : schema.fieldIndex(columns.shape());
        boolean longs = shape >= 0 && ((ArrayType) schema.fields()[shape].dataType()).elementType()
                .equals(DataTypes.LongType);
        int residual = columns.residual() == null ? -1 : schema.fieldIndex(columns.residual());
        int[] kept = kept(schema);
        DataType[] keptTypes = Arrays.stream(kept).mapToObj(i -> schema.fields()[i].dataType()).toArray(DataType[]::new);
        TensorPartitionMapper mapper = new TensorPartitionMapper(spec, weights, bias, backend, columns, format,
                kept, keptTypes, schema.fieldIndex(columns.input()), shape, longs, residual);
        if (!(in instanceof org.apache.spark.sql.classic.Dataset<Row> classic)) {
            throw new IllegalArgumentException("SparkConv2d needs a classic Spark session's Dataset, got a "
                    + in.getClass().getName() + " (Spark Connect is not supported)");
        }
        RDD<InternalRow> rows = classic.queryExecution().toRdd().toJavaRDD().mapPartitions(mapper).rdd();
        return classic.sparkSession().internalCreateDataFrame(rows, out, false);
    }

    /** The indices of the input columns the output keeps: all but the input tensor unless {@link #keepInput}. */
    private int[] kept(StructType in) {
        int input = in.fieldIndex(columns.input());
        return java.util.stream.IntStream.range(0, in.size()).filter(i -> keepInput || i != input).toArray();
    }

    /**
     * Writes {@code rows} as Parquet to {@code path} through Spark's file committer, replacing what is
     * there: only committed task attempts reach the output, so a rerun writes the same files and a
     * killed task leaves none.
     */
    public static void writeParquet(Dataset<Row> rows, String path) {
        rows.write().mode(SaveMode.Overwrite).parquet(path);
    }

    private TensorFormat formatOf(StructType in) {
        TensorFormat format = TensorFormat.of(columns.input(), typeOf(in, columns.input(), "input"));
        for (String name : new String[] {columns.output(), columns.outputShape(), columns.error()}) {
            if (Arrays.asList(in.fieldNames()).contains(name)) {
                throw new IllegalArgumentException("output column '" + name + "' already exists in the input "
                        + in.simpleString());
            }
        }
        if (columns.shape() != null) {
            DataType t = typeOf(in, columns.shape(), "shape");
            if (!(t instanceof ArrayType a) || !(a.elementType().equals(DataTypes.IntegerType)
                    || a.elementType().equals(DataTypes.LongType))) {
                throw new IllegalArgumentException("shape column '" + columns.shape() + "' has type "
                        + t.simpleString() + "; expected array<int> or array<bigint> (N, C, H, W)");
            }
        }
        boolean sum = problem.epilogue().sum();
        if (sum != (columns.residual() != null)) {
            throw new IllegalArgumentException(sum
                    ? "problem " + problem + " sums a residual: name its column with TensorColumns.withResidual"
                    : "residual column '" + columns.residual() + "' given but problem " + problem + " does not sum");
        }
        if (sum) {
            DataType t = typeOf(in, columns.residual(), "residual");
            if (!t.equals(format.sparkType()) && TensorFormat.of(columns.residual(), t) != format) {
                throw new IllegalArgumentException("residual column '" + columns.residual() + "' has type "
                        + t.simpleString() + " but the input is " + format.sparkType().simpleString());
            }
        }
        return format;
    }

    private static DataType typeOf(StructType in, String name, String role) {
        if (!Arrays.asList(in.fieldNames()).contains(name)) {
            throw new IllegalArgumentException(role + " column '" + name + "' not found in " + in.simpleString());
        }
        return in.apply(name).dataType();
    }

    private static void checkLength(String name, float[] values, long expected, Conv2dProblem p) {
        if (values == null || values.length != expected) {
            throw new IllegalArgumentException(name + " has " + (values == null ? "null" : values.length + " values")
                    + " but problem " + p + " needs " + expected);
        }
    }
}
