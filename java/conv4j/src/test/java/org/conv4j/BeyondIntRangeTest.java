package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/**
 * Problems whose input, weights, output or im2col workspace exceed the int range, one tensor at a time:
 * each is either computed or rejected with a message naming the tensor before anything is allocated
 * (JavaCPP's byte count is unchanged). Nothing here allocates more than a few MiB.
 *
 * <ul>
 * <li>input, weights, output beyond {@link Tensor#MAX_ELEMENTS}: rejected by every backend's plan and by
 *     {@link Tensor#zeros}: a tensor's elements are copied through Java arrays, which int indexes;</li>
 * <li>im2col workspace: banded ({@link Conv2dProblem#tileRows()}), so a huge image needs only the
 *     workspace limit; only when a single output row's columns exceed the int range is the problem
 *     rejected by the native backend (the reference needs no workspace);</li>
 * <li>strides, pads, dilations beyond the int range with small tensors: computed (64-bit indexing on
 *     both backends), identically.</li>
 * </ul>
 */
class BeyondIntRangeTest {
    static void rejectedBeforeAllocating(String backend, Conv2dProblem p, String... fragments) {
        Conv2dBackend b = Run.backend(backend);
        long before = Pointer.totalBytes();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.plan(p).close(), p::toString);
        assertEquals(before, Pointer.totalBytes(), "bytes allocated before rejecting " + p);
        for (String f : fragments) assertTrue(e.getMessage().contains(f), () -> "'" + e.getMessage() + "' lacks " + f);
        assertTrue(e.getMessage().contains(p.toString()), e::getMessage);
    }

    @Test
    void inputBeyondIntRangeIsRejected() {
        Conv2dProblem p = Conv2dProblem.parse("n1c4h32768w32768k1r1s1"); // 2^32 inputs, 2^30 outputs
        for (String b : Run.backends().toList()) rejectedBeforeAllocating(b, p, "input tensor", "4294967296 elements");
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(p.inputShape()));
    }

    @Test
    void weightsBeyondIntRangeAreRejected() {
        Conv2dProblem p = Conv2dProblem.parse("n1c65536h1w1k65536r1s1"); // 2^32 weights, 65536 in and out
        for (String b : Run.backends().toList()) rejectedBeforeAllocating(b, p, "weight tensor", "4294967296 elements");
    }

    @Test
    void outputBeyondIntRangeIsRejected() {
        Conv2dProblem p = Conv2dProblem.parse("n1c1h32768w32768k4r1s1"); // 2^30 inputs, 2^32 outputs
        for (String b : Run.backends().toList()) rejectedBeforeAllocating(b, p, "output tensor", "4294967296 elements");
    }

    @Test
    void oneOutputRowOfIm2colColumnsBeyondIntRangeIsRejectedByNative() {
        // (C/G)*R*S = 589,824 columns per output, Q = 4096: one row needs 2.4e9 floats; tensors all fit
        Conv2dProblem p = Conv2dProblem.parse("n1c65536h3w4098k1r3s3");
        assertTrue(p.inputElements() <= Tensor.MAX_ELEMENTS && p.outputElements() == 4096);
        rejectedBeforeAllocating("native", p, "im2col workspace", "2415919104");
        long before = Pointer.totalBytes();
        Run.backend("reference").plan(p).close(); // the reference needs no workspace: it plans without allocating
        assertEquals(before, Pointer.totalBytes());
    }

    @Test
    void aHugeImageGetsABandedWorkspaceWithinTheLimit() {
        Conv2dProblem p = Conv2dProblem.parse("n1c1h46000w46000k8r3s3pt1pl1pb1pr1"); // 2.1e9 inputs, 1.7e10 outputs
        // the im2col path, forced (1 channel would take the separable path)
        Conv2dProblem fits = Conv2dProblem.parse("n1c1h16000w16000k8r3s3sw2pt1pl1pb1pr1_alg-im2col-gemm"); // 2.6e8 inputs, 1e9 outputs
        assertTrue(p.inputElements() <= Tensor.MAX_ELEMENTS);
        rejectedBeforeAllocating("native", p, "output tensor");
        assertTrue(fits.workspaceBytes() <= Conv2dProblem.DEFAULT_WORKSPACE_LIMIT_BYTES, fits::toString);
        long before = Pointer.totalBytes();
        Run.backend("native");
        try (Conv2dPlan plan = new org.conv4j.backend.NativeIm2colGemmBackend(2).plan(fits)) {
            long grown = Pointer.totalBytes() - before;
            assertTrue(grown >= 2 * fits.workspaceBytes() && grown <= 2 * fits.workspaceBytes() + 4096,
                    "the plan allocates one band's workspace per thread (2 x " + fits.workspaceBytes() + " bytes), got " + grown);
        }
    }

    @Test
    void stridesPadsAndDilationsBeyondIntRangeAreComputed() {
        long big = 1L << 40;
        Conv2dProblem p = Conv2dProblem.builder().input(1, 1, 3, 2).filters(1, 2, 1).stride(big, 1)
                .pad(big, 0, big, 0).dilation(big, 1).border(Border.REPLICATE).build();
        // P = floor((3 + 2^41 - (2^40 + 1)) / 2^40) + 1 = 2; output row p, tap r reads padded row (p + r - 1) * 2^40:
        // p = 0 reads rows -2^40 and 0 (both input row 0), p = 1 reads rows 0 and 2^40 (input row 2, replicated)
        assertEquals(2, p.p(), p::toString);
        float[] x = {1, 2, 3, 4, 5, 6}, w = {1, 10};
        float[] expected = {1 + 10 * 1, 2 + 10 * 2, 1 + 10 * 5, 2 + 10 * 6};
        for (String b : Run.backends().toList()) {
            if (b.equals("java")) {
                // the java backend indexes in 32 bits: it says so before allocating anything
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Run.forward(b, p, x, w, null));
                assertTrue(e.getMessage().contains("32-bit index range"), e::getMessage);
                continue;
            }
            assertArrayEquals(expected, Run.forward(b, p, x, w, null), 0f, b + " " + p);
        }
    }

    @Test
    void dilatedKernelSpanOverflowingLongIsRejected() {
        // this descriptor once overflowed the span to 1 and crashed native im2col (found by HostileParametersTest)
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Conv2dProblem.parse("n3c1h3w3k2r4s5sh2sw3pt3pl0pb3pr0dh2dw4611686018427387904"));
        assertTrue(e.getMessage().contains("overflows 64-bit"), e::getMessage);
    }
}
