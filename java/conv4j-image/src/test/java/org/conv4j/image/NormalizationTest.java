package org.conv4j.image;

import static org.conv4j.image.ImageTensorsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NormalizationTest {
    @Test
    void tableIsTheFormulaInFloat() {
        Normalization n = new Normalization(1f / 255, new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});
        for (int c = 0; c < 3; c++) {
            float[] t = n.table(c);
            for (int x = 0; x < 256; x++) {
                assertEquals((x * (1f / 255) - n.mean()[c]) / n.std()[c], t[x], "c " + c + " x " + x);
            }
        }
        assertEquals(n, Normalization.IMAGENET);
        assertEquals(-0.485f / 0.229f, Normalization.IMAGENET.table(0)[0]);
        assertEquals(1f, Normalization.UNIT.table(2)[255]);
        assertEquals(200f, Normalization.NONE.table(1)[200]);
    }

    @Test
    void rejectsZeroStdAndMissingChannels() {
        assertMessage(() -> Normalization.of(1, 0, 0), "std must be finite and non-zero, got [0.0]");
        assertMessage(() -> Normalization.of(Float.NaN, 0, 1), "scale must be finite, got NaN");
        assertMessage(() -> Normalization.IMAGENET.table(3), "mean has 3 entries");
    }
}
