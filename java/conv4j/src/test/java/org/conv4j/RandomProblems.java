package org.conv4j;

import java.util.SplittableRandom;

/** Seeded random problems over the whole parameter space, and data for them. */
final class RandomProblems {
    private RandomProblems() {
    }

    /**
     * A valid random problem: strides 1-4, asymmetric pads, dilation 1-3, groups incl. depthwise,
     * non-square kernels, N up to 4, and often P, Q, H or W = 1.
     */
    static Conv2dProblem next(SplittableRandom rnd) {
        while (true) {
            int groups = switch (rnd.nextInt(4)) {
                case 0 -> 1 + rnd.nextInt(4);
                case 1 -> 1;
                default -> 1 + rnd.nextInt(2);
            };
            int c = groups * (1 + rnd.nextInt(4));
            boolean depthwise = rnd.nextInt(5) == 0;
            if (depthwise) groups = c;
            int k = groups * (1 + rnd.nextInt(depthwise ? 2 : 4));
            int h = rnd.nextInt(6) == 0 ? 1 : 1 + rnd.nextInt(14);
            int w = rnd.nextInt(6) == 0 ? 1 : 1 + rnd.nextInt(14);
            int r = 1 + rnd.nextInt(4), s = 1 + rnd.nextInt(4);
            Conv2dProblem.Builder b = Conv2dProblem.builder().input(1 + rnd.nextInt(4), c, h, w)
                    .filters(k, r, s).stride(1 + rnd.nextInt(4), 1 + rnd.nextInt(4))
                    .dilation(1 + rnd.nextInt(3), 1 + rnd.nextInt(3)).groups(groups)
                    .bias(rnd.nextBoolean()).mode(rnd.nextInt(4) == 0 ? Mode.CONVOLUTION : Mode.CROSS_CORRELATION);
            switch (rnd.nextInt(5)) {
                case 0 -> b.autoPad(AutoPad.values()[1 + rnd.nextInt(3)]);
                case 1 -> { }
                default -> b.pad(rnd.nextInt(4), rnd.nextInt(4), rnd.nextInt(4), rnd.nextInt(4));
            }
            b.border(rnd.nextBoolean() ? Border.ZERO : Border.values()[1 + rnd.nextInt(4)]);
            b.epilogue(randomEpilogue(rnd));
            // A third of the problems run the general im2col path, whatever path their shape would pick,
            // so every path keeps random coverage (small reductions would otherwise take most of them).
            if (rnd.nextInt(3) == 0) b.algorithm(Algorithm.IM2COL_GEMM);
            if (rnd.nextInt(8) == 0) b.workspaceLimitBytes(1 + rnd.nextInt(4096)); // many small bands
            try {
                return b.build();
            } catch (IllegalArgumentException kernelTooLarge) {
                // draw again
            }
        }
    }

    static Epilogue randomEpilogue(SplittableRandom rnd) {
        Epilogue e = switch (rnd.nextInt(4)) {
            case 0 -> Epilogue.relu();
            case 1 -> Epilogue.clamp(-3 - rnd.nextInt(10), rnd.nextInt(20));
            default -> Epilogue.NONE;
        };
        return rnd.nextInt(3) == 0 ? e.withSum() : e;
    }

    /** Small integers: every partial sum is an exact float, so any order gives the same bits. */
    static float[] integers(SplittableRandom rnd, long n, int bound) {
        float[] a = new float[(int) n];
        for (int i = 0; i < a.length; i++) a[i] = rnd.nextInt(2 * bound + 1) - bound;
        return a;
    }

    static float[] gaussian(SplittableRandom rnd, long n) {
        float[] a = new float[(int) n];
        for (int i = 0; i < a.length; i++) {
            double u = rnd.nextDouble(), v = rnd.nextDouble();
            a[i] = (float) (Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v));
        }
        return a;
    }
}
