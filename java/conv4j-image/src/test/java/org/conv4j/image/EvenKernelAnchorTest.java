package org.conv4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.conv4j.AutoPad;
import org.conv4j.Backends;
import org.conv4j.Conv2d;
import org.conv4j.Conv2dProblem;
import org.conv4j.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The anchor of even-sized kernels (README, Preprocessing images). Each library's rule is written out
 * from its documentation, in correlation form with zero borders, and computed here on small integers
 * (exact in float):
 * <ul>
 *   <li>{@code scipy.signal.correlate2d(in, k, 'same')}: the 'full' correlation
 *       {@code full[i] = sum_r k[r] in[i + r - (R-1)]}, cropped centred: {@code same[y] = full[y + (R-1)//2]},
 *       so the offset is {@code (R-1) - (R-1)//2};</li>
 *   <li>{@code scipy.ndimage.correlate(in, k, mode='constant', origin=0)}: centre {@code R//2}, offset {@code R//2};</li>
 *   <li>{@code cv2.filter2D(in, -1, k, anchor=(-1, -1), borderType=BORDER_CONSTANT)}: anchor {@code (S//2, R//2)}.</li>
 * </ul>
 * All three are conv4j's {@code SAME_LOWER}; {@code SAME_UPPER} (ONNX, TensorFlow, {@code ./conv4j filter}) has offset {@code (R-1)//2}.
 */
class EvenKernelAnchorTest {
    private static final int H = 5, W = 6;
    private static final float[] IN = new float[H * W];

    static {
        for (int i = 0; i < IN.length; i++) IN[i] = (i * 7) % 11;
    }

    /** {@code out[y][x] = sum k[r][s] in[y + r - oy][x + s - ox]}, zero outside. */
    private static float[] byOffsets(int rows, int cols, float[] k, int oy, int ox) {
        float[] out = new float[H * W];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                float s = 0;
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        int iy = y + r - oy, ix = x + c - ox;
                        if (iy >= 0 && iy < H && ix >= 0 && ix < W) s += k[r * cols + c] * IN[iy * W + ix];
                    }
                }
                out[y * W + x] = s;
            }
        }
        return out;
    }

    private static float[] conv4j(int rows, int cols, float[] k, AutoPad pad) {
        Conv2dProblem p = Conv2dProblem.builder().input(1, 1, H, W).filters(1, rows, cols).autoPad(pad).build();
        try (Tensor x = Tensor.of(IN, p.inputShape()); Tensor w = Tensor.of(k, p.weightShape());
             Tensor y = Conv2d.forward(p, x, w, null, Backends.reference())) {
            return y.toArray();
        }
    }

    private static float[] kernel(int rows, int cols) {
        float[] k = new float[rows * cols];
        for (int i = 0; i < k.length; i++) k[i] = i + 1;
        return k;
    }

    @Test
    void scipySignalSameIsSameLower() {
        for (int[] rs : new int[][] {{2, 2}, {4, 2}, {3, 4}}) {
            int r = rs[0], s = rs[1];
            float[] k = kernel(r, s);
            assertArrayEquals(byOffsets(r, s, k, (r - 1) - (r - 1) / 2, (s - 1) - (s - 1) / 2), conv4j(r, s, k, AutoPad.SAME_LOWER),
                    r + "x" + s);
        }
    }

    @Test
    void scipyNdimageIsSameLower() {
        for (int[] rs : new int[][] {{2, 2}, {4, 2}, {3, 4}}) {
            float[] k = kernel(rs[0], rs[1]);
            assertArrayEquals(byOffsets(rs[0], rs[1], k, rs[0] / 2, rs[1] / 2), conv4j(rs[0], rs[1], k, AutoPad.SAME_LOWER));
        }
    }

    @Test
    void cvFilter2dDefaultAnchorIsSameLower() {
        for (int[] rs : new int[][] {{2, 2}, {4, 2}, {3, 4}}) {
            float[] k = kernel(rs[0], rs[1]);
            int anchorX = rs[1] / 2, anchorY = rs[0] / 2; // Point(-1, -1) means the kernel centre (ksize / 2)
            assertArrayEquals(byOffsets(rs[0], rs[1], k, anchorY, anchorX), conv4j(rs[0], rs[1], k, AutoPad.SAME_LOWER));
        }
    }

    @Test
    void sameUpperPutsTheAnchorOneEarlierForEvenKernelsOnly() {
        float[] k2 = kernel(2, 2), k3 = kernel(3, 3);
        float[] upper = conv4j(2, 2, k2, AutoPad.SAME_UPPER);
        assertArrayEquals(byOffsets(2, 2, k2, 0, 0), upper);
        assertFalse(Arrays.equals(upper, conv4j(2, 2, k2, AutoPad.SAME_LOWER)));
        assertArrayEquals(conv4j(3, 3, k3, AutoPad.SAME_LOWER), conv4j(3, 3, k3, AutoPad.SAME_UPPER));
        assertArrayEquals(byOffsets(3, 3, k3, 1, 1), conv4j(3, 3, k3, AutoPad.SAME_UPPER));
    }
}
