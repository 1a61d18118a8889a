package org.conv4j.examples;

import org.conv4j.BackendUnavailableException;
import org.conv4j.Backends;
import org.conv4j.Conv2d;
import org.conv4j.Conv2dProblem;
import org.conv4j.Tensor;

/**
 * Sobel-x over a 5x5 gradient image (row i, column j holds 10*(i+1)*(j+1)) on the native backend.
 * Prints {@code [[160,160,160],[240,240,240],[320,320,320]]}; without the native jar for this machine it
 * prints the library's message naming the artifact to add and exits with status 1.
 */
public final class Sobel {
    private Sobel() {
    }

    public static void main(String[] args) {
        float[] image = new float[25];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) image[i * 5 + j] = 10 * (i + 1) * (j + 1);
        }
        float[] sobelX = {-1, 0, 1, -2, 0, 2, -1, 0, 1};
        Conv2dProblem sobel = Conv2dProblem.builder().input(1, 1, 5, 5).filters(1, 3, 3).build();
        try (Tensor x = Tensor.of(image, sobel.inputShape());
             Tensor w = Tensor.of(sobelX, sobel.weightShape());
             Tensor y = Conv2d.forward(sobel, x, w, null, Backends.nativeBackend())) {
            System.out.println(rows(y.toArray(), 3));
        } catch (BackendUnavailableException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    /** {@code [[a,b,c],[d,e,f],...]}, integers without a decimal point. */
    static String rows(float[] v, int width) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            s.append(i % width == 0 ? (i == 0 ? "[" : "],[") : ",");
            s.append(v[i] == Math.rint(v[i]) ? Long.toString((long) v[i]) : Float.toString(v[i]));
        }
        return s.append("]]").toString();
    }
}
