package org.conv4j.spark;

import java.io.Serializable;
import org.conv4j.Border;
import org.conv4j.Conv2dProblem;
import org.conv4j.Epilogue;
import org.conv4j.Mode;
import org.conv4j.Precision;

/**
 * A {@link Conv2dProblem} in a form Spark can ship to executors: every builder field, with the padding
 * already resolved. {@link #of} checks that {@link #toProblem()} rebuilds a problem equal to the
 * original (same descriptor string and workspace limit), so the executors run exactly the driver's problem.
 */
record ProblemSpec(long n, long c, long h, long w, long k, long r, long s,
                   long strideH, long strideW, long padTop, long padLeft, long padBottom, long padRight,
                   long dilH, long dilW, long groups, boolean bias, Mode mode, Border border,
                   boolean sum, Epilogue.Activation activation, float lo, float hi,
                   long workspaceLimitBytes, Precision precision) implements Serializable {

    static ProblemSpec of(Conv2dProblem p) {
        Epilogue e = p.epilogue();
        ProblemSpec spec = new ProblemSpec(p.n(), p.c(), p.h(), p.w(), p.k(), p.r(), p.s(),
                p.strideH(), p.strideW(), p.padTop(), p.padLeft(), p.padBottom(), p.padRight(),
                p.dilationH(), p.dilationW(), p.groups(), p.hasBias(), p.mode(), p.border(),
                e.sum(), e.activation(), e.lo(), e.hi(), p.workspaceLimitBytes(), p.precision());
        Conv2dProblem back = spec.toProblem();
        if (!back.equals(p)) {
            throw new IllegalStateException("problem " + p + " does not survive serialization: rebuilt as " + back);
        }
        return spec;
    }

    Conv2dProblem toProblem() {
        return Conv2dProblem.builder().input(n, c, h, w).filters(k, r, s).stride(strideH, strideW)
                .pad(padTop, padLeft, padBottom, padRight).dilation(dilH, dilW).groups(groups).bias(bias)
                .mode(mode).border(border).epilogue(new Epilogue(sum, activation, lo, hi))
                .workspaceLimitBytes(workspaceLimitBytes).precision(precision).build();
    }
}
