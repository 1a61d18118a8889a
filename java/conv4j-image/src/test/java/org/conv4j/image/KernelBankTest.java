package org.conv4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Grouping by size and the depthwise weight layout w[g*F + f] = kernel f. */
class KernelBankTest {
    @Test
    void groupsKernelsBySizeInOrder() {
        Kernel a = Kernel.of("a", 1, 2, 1, 2), b = Kernel.of("b", 3, 1, 3, 4, 5), c = Kernel.of("c", 1, 2, 6, 7);
        KernelBank bank = new KernelBank(List.of(a, b, c));
        assertEquals(2, bank.groups().size());
        assertEquals(List.of(a, c), bank.groups().get(0).kernels());
        assertEquals(List.of(b), bank.groups().get(1).kernels());
    }

    @Test
    void rgbWeightsRepeatTheKernelsPerChannel() {
        KernelBank.Group g = new KernelBank(List.of(Kernel.of("a", 1, 2, 1, 2), Kernel.of("c", 1, 2, 6, 7))).groups().get(0);
        assertArrayEquals(new float[] {1, 2, 6, 7}, g.weights(1));
        assertArrayEquals(new float[] {1, 2, 6, 7, 1, 2, 6, 7, 1, 2, 6, 7}, g.weights(3));
    }
}
