package org.conv4j;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.conv4j.backend.JavaWinogradBackend;

/** Test helpers for the Winograd algorithms: every implementation, and random problems they apply to. */
final class WinogradCases {
    private WinogradCases() {
    }

    /** Every Winograd implementation the tests cover. */
    static List<Conv2dBackend> backends() {
        List<Conv2dBackend> all = new ArrayList<>();
        for (Winograd v : Winograd.values()) all.add(new JavaWinogradBackend(v));
        if (!Boolean.getBoolean("conv4j.native.skip")) {
            org.conv4j.backend.NativeLibrary.require(); // fails loudly, never skips
            for (Winograd v : Winograd.values()) all.add(new org.conv4j.backend.NativeWinogradBackend(v));
        }
        return all;
    }

    /**
     * A random 3x3 stride-1 problem under FAST: N 1-3, channels per group 1-6, groups 1-3, H and W 1-17 (partial
     * tiles of both variants), pads 0-3 (more than the kernel's reach too), every border, mode and epilogue.
     */
    static Conv2dProblem next(SplittableRandom rnd) {
        while (true) {
            int groups = 1 + rnd.nextInt(3);
            Conv2dProblem.Builder b = Conv2dProblem.builder()
                    .input(1 + rnd.nextInt(3), groups * (1 + rnd.nextInt(6)), 1 + rnd.nextInt(17), 1 + rnd.nextInt(17))
                    .filters(groups * (1 + rnd.nextInt(5)), 3, 3).groups(groups).bias(rnd.nextBoolean())
                    .pad(rnd.nextInt(4), rnd.nextInt(4), rnd.nextInt(4), rnd.nextInt(4))
                    .mode(rnd.nextInt(4) == 0 ? Mode.CONVOLUTION : Mode.CROSS_CORRELATION)
                    .border(Border.values()[rnd.nextInt(Border.values().length)])
                    .epilogue(RandomProblems.randomEpilogue(rnd)).precision(Precision.FAST);
            try {
                return b.build();
            } catch (IllegalArgumentException kernelTooLarge) {
                // draw again
            }
        }
    }
}
