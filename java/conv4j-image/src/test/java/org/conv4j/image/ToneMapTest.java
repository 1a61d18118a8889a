package org.conv4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The float to 8-bit rule, on hand-computed values. */
class ToneMapTest {
    private static int[] map(ToneMap m, float... y) {
        byte[] b = new byte[y.length];
        m.toBytes(y, 0, y.length, b, 0);
        int[] out = new int[y.length];
        for (int i = 0; i < y.length; i++) out[i] = b[i] & 0xFF;
        return out;
    }

    @Test
    void clampRoundsHalfUpAndSaturates() {
        assertArrayEquals(new int[] {0, 0, 12, 13, 255, 255, 0}, map(ToneMap.CLAMP, -3, 0, 12.49f, 12.5f, 254.6f, 300, Float.NaN));
    }

    @Test
    void absNormalizeScalesTheLargestMagnitudeTo255() {
        // max |y| = 4: 255*4/4 = 255, 255*2/4 = 127.5 -> 128, 0, 255/4 = 63.75 -> 64
        assertArrayEquals(new int[] {255, 128, 0, 64}, map(ToneMap.ABS_NORMALIZE, -4, 2, 0, 1));
    }

    @Test
    void absNormalizeOfZerosAndNaNIsBlack() {
        assertArrayEquals(new int[] {0, 0, 0}, map(ToneMap.ABS_NORMALIZE, 0, -0f, Float.NaN));
    }

    @Test
    void mapsOnlyTheGivenRange() {
        byte[] b = new byte[4];
        ToneMap.CLAMP.toBytes(new float[] {9, 10, 11, 12}, 1, 2, b, 2);
        assertArrayEquals(new byte[] {0, 0, 10, 11}, b);
    }

    @Test
    void edgeKernelsNormaliseAndOthersClamp() {
        for (Kernel k : KernelGallery.all()) {
            boolean edge = k.name().startsWith("sobel") || k.name().equals("laplacian");
            assertEquals(edge ? ToneMap.ABS_NORMALIZE : ToneMap.CLAMP, k.toneMap(), k.toString());
        }
        assertEquals(ToneMap.ABS_NORMALIZE, ToneMap.forWeights(new float[] {0.1f, 0.2f, -0.3f}));
    }
}
