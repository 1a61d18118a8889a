package org.conv4j.image;

import static org.conv4j.image.ImageTensorsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generators against the kernels OpenCV and scipy document, written out by hand. */
class KernelsTest {
    @Test
    void sobel3IsTheGallerysSobel() {
        assertArrayEquals(KernelGallery.byName("sobel-x").weights(), Kernels.sobel(1, 0, 3).weights());
        assertArrayEquals(KernelGallery.byName("sobel-y").weights(), Kernels.sobel(0, 1, 3).weights());
        assertArrayEquals(new float[] {1, -2, 1, 2, -4, 2, 1, -2, 1}, Kernels.sobel(2, 0, 3).weights());
        assertArrayEquals(new float[] {1, 0, -1, 0, 0, 0, -1, 0, 1}, Kernels.sobel(1, 1, 3).weights());
    }

    @Test
    void sobel5IsOpenCvsOuterProduct() {
        // cv2.getDerivKernels(1, 0, 5): kx = [-1 -2 0 2 1], ky = [1 4 6 4 1]
        int[] kx = {-1, -2, 0, 2, 1}, ky = {1, 4, 6, 4, 1};
        float[] w = new float[25];
        for (int r = 0; r < 5; r++) for (int s = 0; s < 5; s++) w[r * 5 + s] = ky[r] * kx[s];
        Kernel k = Kernels.sobel(1, 0, 5);
        assertArrayEquals(w, k.weights());
        assertEquals("sobel-dx1-dy0-5x5", k.name());
        assertEquals(ToneMap.ABS_NORMALIZE, k.toneMap());
        // ksize 7, order 0 is the binomial row 1 6 15 20 15 6 1
        assertArrayEquals(new double[] {1, 6, 15, 20, 15, 6, 1}, Kernels.deriv(0, 7));
        assertArrayEquals(new double[] {-1, -4, -5, 0, 5, 4, 1}, Kernels.deriv(1, 7));
    }

    @Test
    void scharrAndLaplacian() {
        assertArrayEquals(new float[] {-3, 0, 3, -10, 0, 10, -3, 0, 3}, Kernels.scharr(1, 0).weights());
        assertArrayEquals(new float[] {-3, -10, -3, 0, 0, 0, 3, 10, 3}, Kernels.scharr(0, 1).weights());
        assertArrayEquals(new float[] {0, 1, 0, 1, -4, 1, 0, 1, 0}, Kernels.laplacian(1).weights());
        assertArrayEquals(new float[] {2, 0, 2, 0, -8, 0, 2, 0, 2}, Kernels.laplacian(3).weights());
        float sum = 0;
        for (float v : Kernels.laplacian(5).weights()) sum += v;
        assertEquals(0, sum);
    }

    @Test
    void gaussianHasScipysRadiusAndTheFormula() {
        assertEquals(17, Kernels.gaussian(2).rows()); // scipy.ndimage: radius int(4 * 2 + 0.5) = 8
        assertEquals(9, Kernels.gaussian(1).rows());
        Kernel g = Kernels.gaussian(1, 3);
        double e = Math.exp(-0.5), sum = 1 + 2 * e;
        float[] want = new float[9];
        double[] f = {e / sum, 1 / sum, e / sum};
        for (int r = 0; r < 3; r++) for (int s = 0; s < 3; s++) want[r * 3 + s] = (float) (f[r] * f[s]);
        assertArrayEquals(want, g.weights());
        assertEquals(ToneMap.CLAMP, g.toneMap());
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, Kernels.box(2).weights());
    }

    @Test
    void logSumsToZeroAndIsNegativeAtTheCentre() {
        Kernel k = Kernels.log(1.4);
        double sum = 0;
        for (float v : k.weights()) sum += v;
        assertEquals(0, sum, 1e-6);
        int c = k.rows() / 2;
        float centre = k.weights()[c * k.cols() + c];
        for (float v : k.weights()) assertTrue(centre <= v);
    }

    @Test
    void gaborIsOpenCvsFormula() {
        // theta 0, psi 0: w[k - y][k - x] = exp(-(x^2 + gamma^2 y^2) / (2 sigma^2)) cos(2 pi x / lambda)
        Kernel k = Kernels.gabor(5, 2, 0, 4, 0.5, 0);
        for (int y = -2; y <= 2; y++) {
            for (int x = -2; x <= 2; x++) {
                double v = Math.exp(-(x * x + 0.25 * y * y) / 8.0) * Math.cos(2 * Math.PI * x / 4);
                assertEquals((float) v, k.weights()[(2 - y) * 5 + (2 - x)], 1e-7, "x " + x + " y " + y);
            }
        }
        assertEquals(1f, k.weights()[12]);
        List<Kernel> bank = Kernels.gaborBank(4, 2, 6);
        Set<String> names = new HashSet<>();
        for (Kernel b : bank) names.add(b.name());
        assertEquals(4, names.size(), names.toString());
        assertEquals(13, bank.get(0).rows());
    }

    @Test
    void rejectsWhatTheLibrariesReject() {
        assertMessage(() -> Kernels.sobel(1, 0, 4), "sobel ksize must be 3, 5 or 7, got 4");
        assertMessage(() -> Kernels.sobel(0, 0, 3), "not both 0");
        assertMessage(() -> Kernels.sobel(3, 0, 3), "got dx 3");
        assertMessage(() -> Kernels.gaussian(0), "sigma must be a finite number > 0, got 0.0");
        assertMessage(() -> Kernels.gaussian(1, 4), "size must be odd and >= 1, got 4");
        assertMessage(() -> Kernels.laplacian(2), "laplacian ksize must be 1, 3, 5 or 7, got 2");
        assertMessage(() -> Kernels.scharr(1, 1), "(1, 1)");
    }
}
