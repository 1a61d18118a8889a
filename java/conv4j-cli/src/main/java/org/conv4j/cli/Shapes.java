package org.conv4j.cli;

/** Shapes as NumPy prints them, {@code (2, 3, 5, 5)} and {@code (4,)}, for messages. */
final class Shapes {
    private Shapes() {
    }

    static String text(long[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? ", " : "").append(shape[i]);
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }
}
