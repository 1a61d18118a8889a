package org.conv4j;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.stream.Stream;

/** Test helpers: run a problem on a named backend over heap arrays. */
final class Run {
    private Run() {
    }

    /** Backends the tests cover: java and the reference always, native unless the build skipped it. */
    static Stream<String> backends() {
        return Stream.of("native", "java", "reference");
    }

    static Conv2dBackend backend(String name) {
        Conv2dBackend b = Backends.byName(name);
        assumeTrue(!Boolean.getBoolean("conv4j.native.skip") || !name.equals("native"),
                "native build skipped (-Dconv4j.native.skip=true)");
        if (name.equals("native")) org.conv4j.backend.NativeLibrary.require(); // fails loudly, never skips
        return b;
    }

    static float[] forward(String backend, Conv2dProblem p, float[] x, float[] w, float[] bias) {
        return forward(backend(backend), p, x, w, bias);
    }

    /** Runs into a zero-filled output tensor, so a summing epilogue adds a zero residual. */
    static float[] forward(Conv2dBackend b, Conv2dProblem p, float[] x, float[] w, float[] bias) {
        try (Tensor tx = Tensor.of(x, p.inputShape());
             Tensor tw = Tensor.of(w, p.weightShape());
             Tensor tb = bias == null ? null : Tensor.of(bias, p.biasShape());
             Tensor ty = Tensor.zeros(p.outputShape())) {
            Conv2d.forward(p, tx, tw, tb, ty, b);
            return ty.toArray();
        }
    }
}
