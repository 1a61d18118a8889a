package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Fidelity#check} over tensors (owned, wrapped, views) reports what the array overload reports. */
class FidelityTest {
    @Test
    void theTensorOverloadReportsWhatTheArrayOverloadReports() {
        Conv2dProblem p = Conv2dProblem.parse("n2c3h7w7k4r3s3pt1pl1pb1pr1b1_sum_relu");
        SplittableRandom rnd = new SplittableRandom(5);
        float[] x = RandomProblems.gaussian(rnd, p.inputElements()), w = RandomProblems.gaussian(rnd, p.weightElements());
        float[] bias = RandomProblems.gaussian(rnd, p.k()), yIn = RandomProblems.gaussian(rnd, p.outputElements());
        Conv2dBackend java = Run.backend("java");
        FidelityReport arrays = Fidelity.check(p, java, x, w, bias, yIn);
        ByteBuffer wBytes = ByteBuffer.allocateDirect(4 * w.length).order(ByteOrder.nativeOrder());
        wBytes.asFloatBuffer().put(w);
        try (Tensor batch = Tensor.zeros(3, 3, 7, 7); Tensor tx = batch.slice(1, 3);
             Tensor tw = Tensor.wrap(wBytes, p.weightShape()); Tensor tb = Tensor.of(bias, p.biasShape());
             Tensor ty = Tensor.of(yIn, p.outputShape())) {
            tx.copyFrom(x);
            FidelityReport tensors = Fidelity.check(p, java, tx, tw, tb, ty);
            assertEquals(arrays.toString(), tensors.toString());
            assertTrue(tensors.worstBoundRatio() <= 1, tensors.toString());
            assertEquals(yIn[0], ty.toArray()[0], "yIn is only read");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Fidelity.check(p, java, tx, tw, tb, tx));
            assertTrue(e.getMessage().contains("previous output yIn tensor has shape [2, 3, 7, 7]"), e.getMessage());
        }
    }
}
