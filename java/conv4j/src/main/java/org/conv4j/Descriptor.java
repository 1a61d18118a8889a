package org.conv4j;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The compact descriptor grammar of a {@link Conv2dProblem}, in the benchdnn spirit: what test names,
 * error messages and benchmark parameters show, e.g. {@code n1c64h56w56k64r3s3sh1sw1pt1pl1pb1pr1dh1dw1g1b1}.
 * <pre>
 *   descriptor := fields suffix*
 *   fields     := (n|c|h|w|k|r|s|sh|sw|pt|pl|pb|pr|dh|dw|g|b) digits ...   (any order, each at most once)
 *   suffix     := "_conv"                     convolution mode (kernel rotated)
 *               | "_" border                  reflect, symmetric, replicate, circular (zero: no suffix)
 *               | "_sum" | "_relu" | "_clamp" lo ":" hi     the epilogue
 *               | "_fast"                     {@link Precision#FAST} (strict: no suffix)
 *               | "_alg-" algorithm           a forced {@link Algorithm}, by its {@link Algorithm#label()}
 * </pre>
 * Missing fields take the builder defaults (stride 1, pad 0, dilation 1, groups 1, no bias; other
 * dimensions 1). Stateless.
 */
final class Descriptor {
    private static final Pattern FIELD = Pattern.compile("(sh|sw|pt|pl|pb|pr|dh|dw|n|c|h|w|k|r|s|g|b)(\\d+)");

    private Descriptor() {
    }

    /** The shape part alone, e.g. {@code n1c3h5w5k2r3s3}: what messages about a not yet valid problem show. */
    static String shape(Conv2dProblem p) {
        return String.format("n%dc%dh%dw%dk%dr%ds%d", p.n(), p.c(), p.h(), p.w(), p.k(), p.r(), p.s());
    }

    /** The full descriptor of {@code p} (resolved padding), which {@link #parse(String)} reads back. */
    static String format(Conv2dProblem p) {
        return shape(p) + String.format("sh%dsw%dpt%dpl%dpb%dpr%ddh%ddw%dg%db%d", p.strideH(), p.strideW(),
                p.padTop(), p.padLeft(), p.padBottom(), p.padRight(), p.dilationH(), p.dilationW(), p.groups(),
                p.hasBias() ? 1 : 0)
                + (p.mode() == Mode.CONVOLUTION ? "_conv" : "")
                + (p.border() == Border.ZERO ? "" : "_" + p.border().label()) + p.epilogue().suffix()
                + (p.precision() == Precision.FAST ? "_fast" : "")
                + (p.forcedAlgorithm() == null ? "" : "_alg-" + p.forcedAlgorithm().label());
    }

    /** Parses {@link #format(Conv2dProblem)}'s form into a validated problem. */
    static Conv2dProblem parse(String text) {
        String[] tokens = text.trim().split("_");
        Conv2dProblem.Builder b = Conv2dProblem.builder();
        Epilogue e = Epilogue.NONE;
        for (int i = 1; i < tokens.length; i++) {
            String t = tokens[i];
            if (t.equals("conv")) {
                b.mode(Mode.CONVOLUTION);
            } else if (t.equals("fast")) {
                b.precision(Precision.FAST);
            } else if (t.startsWith("alg-")) {
                try {
                    b.algorithm(Algorithm.ofLabel(t.substring(4)));
                } catch (IllegalArgumentException unknown) {
                    throw new IllegalArgumentException(unknown.getMessage() + " in descriptor '" + text + "'");
                }
            } else if (t.equals("sum")) {
                e = e.withSum();
            } else if (t.equals("relu") || t.startsWith("clamp")) {
                Epilogue a = Epilogue.parse(t.equals("relu") ? t : "clamp:" + t.substring(5).replace(':', ','));
                e = new Epilogue(e.sum(), a.activation(), a.lo(), a.hi());
            } else {
                b.border(Border.parse(t));
            }
        }
        b.epilogue(e);
        String body = tokens[0];
        Matcher m = FIELD.matcher(body);
        long[] v = {1, 1, 1, 1, 1, 1, 1};
        long[] stride = {1, 1}, dil = {1, 1}, pad = new long[4];
        boolean padded = false;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) break;
            end = m.end();
            long x = Long.parseLong(m.group(2));
            switch (m.group(1)) {
                case "n": v[0] = x; break;
                case "c": v[1] = x; break;
                case "h": v[2] = x; break;
                case "w": v[3] = x; break;
                case "k": v[4] = x; break;
                case "r": v[5] = x; break;
                case "s": v[6] = x; break;
                case "sh": stride[0] = x; break;
                case "sw": stride[1] = x; break;
                case "pt": pad[0] = x; padded = true; break;
                case "pl": pad[1] = x; padded = true; break;
                case "pb": pad[2] = x; padded = true; break;
                case "pr": pad[3] = x; padded = true; break;
                case "dh": dil[0] = x; break;
                case "dw": dil[1] = x; break;
                case "g": b.groups(x); break;
                default: b.bias(x != 0); break;
            }
        }
        if (end != body.length() || end == 0) {
            throw new IllegalArgumentException("cannot parse problem descriptor '" + text
                    + "' near position " + end + "; expected e.g. n1c3h5w5k2r3s3sh1sw1pt0pl0pb0pr0dh1dw1g1b1");
        }
        b.input(v[0], v[1], v[2], v[3]).filters(v[4], v[5], v[6]).stride(stride[0], stride[1]).dilation(dil[0], dil[1]);
        if (padded) b.pad(pad[0], pad[1], pad[2], pad[3]);
        return b.build();
    }
}
