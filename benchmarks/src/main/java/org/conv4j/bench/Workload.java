package org.conv4j.bench;

import java.util.SplittableRandom;
import org.conv4j.Conv2dProblem;
import org.conv4j.Tensor;

/** The tensors of one problem, filled once from a fixed seed with uniform values in [-1, 1). */
final class Workload implements AutoCloseable {
    static final long SEED = 20240611L;

    final Conv2dProblem problem;
    final Tensor x, w, bias, y;

    Workload(Conv2dProblem problem) {
        this.problem = problem;
        SplittableRandom rnd = new SplittableRandom(SEED);
        x = random(rnd, problem.inputShape());
        w = random(rnd, problem.weightShape());
        bias = problem.hasBias() ? random(rnd, problem.biasShape()) : null;
        y = random(rnd, problem.outputShape());
    }

    static Tensor random(SplittableRandom rnd, long... shape) {
        float[] v = new float[Math.toIntExact(Tensor.elementCount(shape))];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextDouble() * 2 - 1);
        return Tensor.of(v, shape);
    }

    @Override
    public void close() {
        x.close();
        w.close();
        if (bias != null) bias.close();
        y.close();
    }
}
