package org.conv4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.conv4j.Border;
import org.conv4j.Conv2dBackend;
import org.conv4j.Conv2dPlan;
import org.conv4j.Conv2dProblem;
import org.conv4j.Epilogue;
import org.conv4j.Tensor;
import org.conv4j.cli.support.BadInputException;
import org.conv4j.cli.support.Converters;
import org.conv4j.cli.support.Failures;
import org.conv4j.io.Npy;
import org.conv4j.io.NpyArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code conv4j conv}: {@code Y = act(conv(X, W) + B (+ Y_IN))} on NumPy files, any border mode. X is NCHW, W is KCRS with
 * {@code C/groups} channels per filter, B is K; Y is written as float32 .npy (atomically).
 * float64 inputs are narrowed to float32, with a note on stderr.
 */
@Command(name = "conv", mixinStandardHelpOptions = true,
        description = "One convolution on NumPy files: Y = conv(X, W) + B (float32 .npy, C order).")
final class ConvCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "X.npy", description = "Input, shape (N, C, H, W).")
    private Path input;

    @Option(names = "--weight", required = true, paramLabel = "W.npy", description = "Weights, shape (K, C/groups, R, S).")
    private Path weight;

    @Option(names = "--bias", paramLabel = "B.npy", description = "Bias, shape (K,).")
    private Path bias;

    @Mixin
    private Geometry geometry;

    @Mixin
    private Options.ModeOption mode;

    @Mixin
    private Options.BackendOption backend;

    @Mixin
    private Options.PrecisionOption precision;

    @Option(names = "--border", paramLabel = "zero|reflect|symmetric|replicate|circular",
            converter = Converters.BorderConverter.class,
            description = "What the padding holds (numpy.pad modes; default zero).")
    private Border border = Border.ZERO;

    @Option(names = "--activation", paramLabel = "none|relu|clamp:LO,HI", converter = Options.ActivationConverter.class,
            description = "Activation fused after bias (and --accumulate): none (default), relu, clamp:LO,HI (ReLU6 = clamp:0,6).")
    private Epilogue activation = Epilogue.NONE;

    @Option(names = "--accumulate", paramLabel = "Y_IN.npy",
            description = "Residual added before the activation: Y = act(conv(X, W) + B + Y_IN); shape (N, K, P, Q).")
    private Path accumulate;

    @Option(names = "--output", required = true, paramLabel = "Y.npy", description = "Output, shape (N, K, P, Q).")
    private Path output;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Conv2dBackend be = backend.resolve();
        OutputFiles.requireWritableParent("--output", output);
        NpyArray x = read("--input", input, 4, "(N, C, H, W)", err);
        NpyArray w = read("--weight", weight, 4, "(K, C/groups, R, S)", err);
        NpyArray b = bias == null ? null : read("--bias", bias, 1, "(K,)", err);
        NpyArray yIn = accumulate == null ? null : read("--accumulate", accumulate, 4, "(N, K, P, Q)", err);
        Epilogue epilogue = accumulate == null ? activation : activation.withSum();
        long[] xs = x.shape(), ws = w.shape();
        Conv2dProblem problem;
        try {
            problem = geometry.applyTo(Conv2dProblem.builder().input(xs[0], xs[1], xs[2], xs[3])
                    .filters(ws[0], ws[2], ws[3])).bias(b != null).mode(mode.mode).border(border)
                    .epilogue(epilogue).precision(precision.precision).build();
        } catch (IllegalArgumentException e) {
            throw new BadInputException("shapes " + input + " " + Shapes.text(xs) + " and " + weight + " "
                    + Shapes.text(ws) + " do not fit: " + e.getMessage());
        }
        if (ws[1] != problem.cPerGroup()) {
            throw new BadInputException(weight + " (--weight): shape " + Shapes.text(ws) + " has " + ws[1]
                    + " channels per filter, but input " + Shapes.text(xs) + " with --groups " + problem.groups()
                    + " needs C/groups = " + problem.cPerGroup());
        }
        if (b != null && b.shape()[0] != problem.k()) {
            throw new BadInputException(bias + " (--bias): shape " + Shapes.text(b.shape()) + " but the weights have K = "
                    + problem.k() + " filters");
        }
        if (yIn != null && !java.util.Arrays.equals(yIn.shape(), problem.outputShape())) {
            throw new BadInputException(accumulate + " (--accumulate): shape " + Shapes.text(yIn.shape())
                    + " does not match the output shape " + Shapes.text(problem.outputShape()) + " of " + problem);
        }
        float[] y;
        long t0 = System.nanoTime();
        try (Tensor tx = Tensor.of(x.data(), problem.inputShape());
             Tensor tw = Tensor.of(w.data(), problem.weightShape());
             Tensor tb = b == null ? null : Tensor.of(b.data(), problem.biasShape());
             Conv2dPlan plan = be.plan(problem);
             Tensor ty = Tensor.zeros(problem.outputShape())) {
            if (yIn != null) ty.copyFrom(yIn.data());
            plan.forward(tx, tw, tb, ty);
            y = ty.toArray();
        }
        long nanos = System.nanoTime() - t0;
        Npy.write(output, problem.outputShape(), y);
        spec.commandLine().getOut().printf("%s: shape %s, problem %s, backend %s, %.3f ms%n", output,
                Shapes.text(problem.outputShape()), problem, be.name(), nanos / 1e6);
        return Failures.OK;
    }

    private static NpyArray read(String flag, Path file, int rank, String layout, PrintWriter err) throws IOException {
        NpyArray a;
        try {
            a = Npy.read(file);
        } catch (IOException e) {
            throw new BadInputException(flag + ": " + Failures.message(e), e);
        }
        if (a.rank() != rank) {
            throw new BadInputException(file + " (" + flag + "): expected rank " + rank + " " + layout + ", got shape "
                    + Shapes.text(a.shape()));
        }
        for (long d : a.shape()) {
            if (d == 0) throw new BadInputException(file + " (" + flag + "): shape " + Shapes.text(a.shape()) + " is empty");
        }
        if (a.converted()) err.println("conv4j conv: note: " + file + " holds float64; converted to float32");
        return a;
    }
}
