package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every rule of the façade: IllegalArgumentException naming the parameter and echoing the values. */
class ValidationTest {
    static Conv2dProblem.Builder base() {
        return Conv2dProblem.builder().input(1, 4, 8, 8).filters(4, 3, 3);
    }

    static void rejects(Executable e, String... fragments) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String f : fragments) {
            assertTrue(ex.getMessage().contains(f), () -> "message '" + ex.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void rejectsKernelLargerThanPaddedInput() {
        rejects(() -> Conv2dProblem.builder().input(1, 1, 8, 8).filters(1, 7, 7).dilation(2, 2).pad(1, 1, 1, 1).build(),
                "kernel 7x7", "dilation 2x2", "spans 13x13", "padded input 10x10");
    }

    @Test
    void rejectsGroupsNotDividingChannels() {
        rejects(() -> base().groups(3).build(), "groups 3", "C=4", "K=4");
        rejects(() -> Conv2dProblem.builder().input(1, 4, 8, 8).filters(6, 3, 3).groups(4).build(), "groups 4", "K=6");
        rejects(() -> base().groups(0).build(), "groups", "0");
    }

    @Test
    void rejectsNonPositiveStrideAndDilation() {
        rejects(() -> base().stride(0, 1).build(), "stride", "0,1");
        rejects(() -> base().stride(1, -2).build(), "stride", "1,-2");
        rejects(() -> base().dilation(0, 1).build(), "dilation", "0,1");
    }

    @Test
    void rejectsNegativePadding() {
        rejects(() -> base().pad(0, -1, 0, 0).build(), "padding", "0,-1,0,0");
    }

    @Test
    void rejectsPadTogetherWithAutoPad() {
        rejects(() -> base().pad(1, 1, 1, 1).autoPad(AutoPad.SAME_UPPER).build(), "auto-padding SAME_UPPER");
    }

    @Test
    void rejectsNonPositiveDimensions() {
        rejects(() -> Conv2dProblem.builder().input(0, 1, 5, 5).filters(1, 3, 3).build(), "N", "0");
        rejects(() -> Conv2dProblem.builder().input(1, 1, 5, 5).filters(1, -3, 3).build(), "R", "-3");
    }

    @Test
    void rejectsWeightAndBiasShapesThatDoNotMatch() {
        Conv2dProblem p = base().bias(true).build();
        try (Tensor x = Tensor.zeros(p.inputShape()); Tensor wrongW = Tensor.zeros(4, 4, 3, 2);
             Tensor w = Tensor.zeros(p.weightShape()); Tensor wrongB = Tensor.zeros(3); Tensor b = Tensor.zeros(4)) {
            rejects(() -> Conv2d.forward(p, x, wrongW, b, Backends.reference()), "weight", "[4, 4, 3, 2]", "[4, 4, 3, 3]");
            rejects(() -> Conv2d.forward(p, x, w, wrongB, Backends.reference()), "bias", "[3]", "[4]");
            rejects(() -> Conv2d.forward(p, x, w, null, Backends.reference()), "bias", "null");
        }
        Conv2dProblem noBias = base().build();
        try (Tensor x = Tensor.zeros(noBias.inputShape()); Tensor w = Tensor.zeros(noBias.weightShape());
             Tensor b = Tensor.zeros(4)) {
            rejects(() -> Conv2d.forward(noBias, x, w, b, Backends.reference()), "bias given");
        }
    }

    @Test
    void rejectsOutputTensorOfWrongShape() {
        Conv2dProblem p = base().build();
        try (Tensor x = Tensor.zeros(p.inputShape()); Tensor w = Tensor.zeros(p.weightShape());
             Tensor y = Tensor.zeros(1, 4, 8, 8)) {
            rejects(() -> Conv2d.forward(p, x, w, null, y, Backends.reference()), "output", "[1, 4, 8, 8]", "[1, 4, 6, 6]");
        }
    }

    @Test
    void rejectsArrayLengthNotMatchingShape() {
        rejects(() -> Tensor.of(new float[24], 1, 1, 5, 5), "array length 24", "[1, 1, 5, 5]", "25");
        try (Tensor t = Tensor.zeros(2, 2)) {
            rejects(() -> t.copyTo(new float[3]), "array length 3");
        }
    }

    @Test
    void rejectsClosedTensor() {
        Conv2dProblem p = base().build();
        Tensor x = Tensor.zeros(p.inputShape());
        x.close();
        try (Tensor w = Tensor.zeros(p.weightShape())) {
            rejects(() -> Conv2d.forward(p, x, w, null, Backends.reference()), "input", "closed");
        }
        assertThrows(IllegalStateException.class, x::toArray);
        assertThrows(IllegalStateException.class, x::pointer);
    }

    @Test
    void rejectsElementCountsBeyondWhatCanBeIndexed() {
        rejects(() -> Tensor.zeros(1 << 16, 1 << 16), "more than", "elements");
        Conv2dProblem huge = Conv2dProblem.builder().input(1, 1, 1 << 16, 1 << 16).filters(1, 1, 1).pad(0, 0, 0, 1).build();
        rejects(() -> Backends.nativeBackend().plan(huge), "exceeds what the native backend can index");
        rejects(() -> Conv2dProblem.builder().input(1L << 40, 1L << 20, 1L << 20, 1).filters(1, 1, 1).build(), "overflow");
    }

    @Test
    void rejectsUnknownBackend() {
        rejects(() -> Backends.byName("gpu"), "unknown backend 'gpu'");
    }

    @Test
    void rejectsMalformedDescriptor() {
        rejects(() -> Conv2dProblem.parse("n1c1x5"), "cannot parse", "n1c1x5");
    }

    @Test
    void describesProblemsCompactlyAndParsesThemBack() {
        Conv2dProblem p = Conv2dProblem.builder().input(1, 64, 56, 56).filters(64, 3, 3).pad(1, 1, 1, 1).bias(true).build();
        assertEquals("n1c64h56w56k64r3s3sh1sw1pt1pl1pb1pr1dh1dw1g1b1", p.toString());
        assertEquals(p, Conv2dProblem.parse(p.toString()));
    }
}
