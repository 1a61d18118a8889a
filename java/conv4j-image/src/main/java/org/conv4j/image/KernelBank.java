package org.conv4j.image;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.conv4j.AutoPad;
import org.conv4j.Border;
import org.conv4j.Conv2dProblem;
import org.conv4j.Mode;
import org.conv4j.Precision;

/**
 * The kernels of a run, grouped by size: each group of F kernels of R x S is one convolution problem.
 *
 * <p>RGB is filtered depthwise, so one problem serves every kernel of a group on every channel:
 * C = 3, groups = 3, K = 3F, and output channel {@code g*F + f} is kernel f on channel g:
 * {@code w[g*F + f][0][r][s] = kernel_f[r][s]}. Gray: C = 1, K = F, {@code w[f][0][r][s] = kernel_f[r][s]}.
 */
public final class KernelBank {
    /** F kernels of one size. */
    public record Group(int rows, int cols, List<Kernel> kernels) {
        public int size() {
            return kernels.size();
        }

        /** The KCRS weights for {@code channels} input channels filtered depthwise (1 or 3). */
        public float[] weights(int channels) {
            int f = kernels.size(), rs = rows * cols;
            float[] w = new float[channels * f * rs];
            for (int g = 0; g < channels; g++) {
                for (int k = 0; k < f; k++) {
                    System.arraycopy(kernels.get(k).weights(), 0, w, (g * f + k) * rs, rs);
                }
            }
            return w;
        }

        /**
         * The problem of this group on {@code n} images of {@code channels} x H x W: depthwise (groups = C,
         * K = C*F), SAME_UPPER padding read through {@code border}, so the output has the input's size.
         */
        public Conv2dProblem problem(int n, int h, int w, int channels, Border border, Mode mode) {
            return problem(n, h, w, channels, border, mode, Precision.STRICT);
        }

        /** As {@link #problem(int, int, int, int, Border, Mode)}, under {@code precision} (FAST allows Winograd). */
        public Conv2dProblem problem(int n, int h, int w, int channels, Border border, Mode mode, Precision precision) {
            return Conv2dProblem.builder().input(n, channels, h, w).filters((long) channels * size(), rows, cols)
                    .groups(channels).autoPad(AutoPad.SAME_UPPER).border(border).mode(mode).precision(precision).build();
        }

        /** Where the C planes of kernel {@code k} on image {@code i} start in a batch output: {@code ((i*C + ch)*F + k) * H*W}. */
        public int[] planeStarts(int i, int c, int k, int h, int w) {
            int[] from = new int[c];
            for (int ch = 0; ch < c; ch++) from[ch] = ((i * c + ch) * size() + k) * h * w;
            return from;
        }

        /**
         * The 8-bit planes of kernel {@code k} on image {@code i} of a batch output {@code y} (NKHW, K = C*F,
         * read by absolute index), mapped by the kernel's {@link ToneMap} into {@code bytes} (C*H*W, returned).
         */
        public byte[] toneMapped(FloatBuffer y, int i, int c, int k, int h, int w, byte[] bytes) {
            kernels.get(k).toneMap().toBytes(y, planeStarts(i, c, k, h, w), h * w, bytes, 0);
            return bytes;
        }
    }

    private final List<Kernel> kernels;
    private final List<Group> groups = new ArrayList<>();

    public KernelBank(List<Kernel> kernels) {
        if (kernels.isEmpty()) throw new IllegalArgumentException("no kernels");
        this.kernels = List.copyOf(kernels);
        Map<String, List<Kernel>> bySize = new LinkedHashMap<>();
        for (Kernel k : kernels) bySize.computeIfAbsent(k.rows() + "x" + k.cols(), s -> new ArrayList<>()).add(k);
        for (List<Kernel> g : bySize.values()) groups.add(new Group(g.get(0).rows(), g.get(0).cols(), List.copyOf(g)));
    }

    public List<Kernel> kernels() {
        return kernels;
    }

    public List<Group> groups() {
        return groups;
    }
}
