package org.conv4j;

/**
 * What happens to each output after the dot product, in the pass that writes it:
 * {@code y = act(conv(x, w) + bias + (sum ? y_in : 0))}, where {@code y_in} is the caller's output
 * tensor's content before the call (a residual add) and {@code act} is the identity, ReLU
 * ({@code max(v, 0)}) or a clamp to {@code [lo, hi]} (ReLU6 = clamp(0, 6)). NaN stays NaN through
 * every activation, as in PyTorch. Immutable and thread-safe.
 *
 * @param sum        add the output tensor's previous content
 * @param activation the activation applied last
 * @param lo         clamp lower bound (CLAMP only)
 * @param hi         clamp upper bound (CLAMP only)
 */
public record Epilogue(boolean sum, Activation activation, float lo, float hi) {
    /** The activation of an {@link Epilogue}. */
    public enum Activation { NONE, RELU, CLAMP }

    /** Bias only (when the problem has one). */
    public static final Epilogue NONE = new Epilogue(false, Activation.NONE, 0, 0);

    public Epilogue {
        if (activation == null) throw new IllegalArgumentException("activation must not be null");
        if (activation == Activation.CLAMP && !(lo <= hi)) {
            throw new IllegalArgumentException("clamp bounds must satisfy lo <= hi (and not be NaN), got lo="
                    + lo + " hi=" + hi);
        }
        if (activation != Activation.CLAMP) {
            lo = 0;
            hi = 0;
        }
    }

    public static Epilogue relu() {
        return new Epilogue(false, Activation.RELU, 0, 0);
    }

    public static Epilogue clamp(float lo, float hi) {
        return new Epilogue(false, Activation.CLAMP, lo, hi);
    }

    /** This epilogue, also adding the output tensor's previous content. */
    public Epilogue withSum() {
        return new Epilogue(true, activation, lo, hi);
    }

    /** The activation applied to one value. */
    public float activate(float v) {
        switch (activation) {
            case RELU: return v < 0 ? 0f : v;
            case CLAMP: return v < lo ? lo : (v > hi ? hi : v);
            default: return v;
        }
    }

    /** As {@link #activate(float)} in double, for the reference's exact value. */
    public double activate(double v) {
        switch (activation) {
            case RELU: return v < 0 ? 0 : v;
            case CLAMP: return v < lo ? lo : (v > hi ? hi : v);
            default: return v;
        }
    }

    /**
     * Parses the CLI/descriptor spelling: {@code none}, {@code relu}, {@code clamp:LO,HI}
     * (optionally prefixed by {@code sum+}).
     */
    public static Epilogue parse(String text) {
        String t = text.trim();
        boolean sum = false;
        if (t.startsWith("sum+")) {
            sum = true;
            t = t.substring(4);
        } else if (t.equals("sum")) {
            return NONE.withSum();
        }
        Epilogue e;
        if (t.equals("none")) {
            e = NONE;
        } else if (t.equals("relu")) {
            e = relu();
        } else if (t.startsWith("clamp:")) {
            String[] b = t.substring(6).split(",");
            if (b.length != 2) throw new IllegalArgumentException("activation '" + text + "': expected clamp:LO,HI");
            try {
                e = clamp(Float.parseFloat(b[0].trim()), Float.parseFloat(b[1].trim()));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("activation '" + text + "': clamp bounds must be numbers");
            }
        } else {
            throw new IllegalArgumentException("unknown activation '" + text + "'; expected none, relu or clamp:LO,HI");
        }
        return sum ? e.withSum() : e;
    }

    /** The descriptor suffix: empty, {@code _sum}, {@code _relu}, {@code _clamp0:6}, combined. */
    String suffix() {
        StringBuilder sb = new StringBuilder();
        if (sum) sb.append("_sum");
        if (activation == Activation.RELU) sb.append("_relu");
        if (activation == Activation.CLAMP) sb.append("_clamp").append(fmt(lo)).append(':').append(fmt(hi));
        return sb.toString();
    }

    private static String fmt(float v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : Float.toString(v);
    }
}
