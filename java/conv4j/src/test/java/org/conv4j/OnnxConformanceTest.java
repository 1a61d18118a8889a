package org.conv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.conv4j.io.Npy;
import org.conv4j.io.NpyArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ONNX's own Conv test vectors (src/test/resources/onnx, Apache-2.0, see its README), judged as that
 * README says: exact cases value-identical, others within 4 * K_eff * 2^-24 * sum|x*w| + 1e-30.
 */
class OnnxConformanceTest {
    static final int CASES = 18;

    static Path root() {
        try {
            return Path.of(OnnxConformanceTest.class.getResource("/onnx/README.md").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> caseNames() throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(root())) {
            s.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().forEach(names::add);
        }
        return names;
    }

    static Stream<Arguments> cases() throws IOException {
        List<String> names = caseNames();
        assertEquals(CASES, names.size(), "conformance case count");
        return Run.backends().flatMap(b -> names.stream().map(n -> Arguments.of(b, n)));
    }

    /** The problem params.json describes (explicit pads, or the auto_pad attribute itself). */
    static Conv2dProblem.Builder problemOf(Path dir) throws IOException {
        String json = Files.readString(dir.resolve("params.json"));
        long[] in = ints(json, "input_shape"), wt = ints(json, "weight_shape");
        long[] stride = ints(json, "stride"), pad = ints(json, "pad"), dil = ints(json, "dilation");
        Conv2dProblem.Builder b = Conv2dProblem.builder().input(in[0], in[1], in[2], in[3])
                .filters(wt[0], wt[2], wt[3]).stride(stride[0], stride[1]).dilation(dil[0], dil[1])
                .groups(ints(json, "groups")[0]).bias(json.contains("\"has_bias\": true"));
        Matcher ap = Pattern.compile("\"auto_pad\": \"(\\w+)\"").matcher(json);
        String autoPad = ap.find() ? ap.group(1) : "NOTSET";
        if (autoPad.equals("NOTSET")) {
            b.pad(pad[0], pad[1], pad[2], pad[3]);
        } else {
            b.autoPad(AutoPad.valueOf(autoPad));
        }
        return b;
    }

    static long[] ints(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": \\[?([-\\d, ]+)\\]?").matcher(json);
        if (!m.find()) throw new IllegalArgumentException("params.json lacks " + key);
        return Stream.of(m.group(1).split(",")).map(String::trim).filter(t -> !t.isEmpty())
                .mapToLong(Long::parseLong).toArray();
    }

    /** Every algorithm of the registry that applies to the case ({@link Run#paths}), each judged alike. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesOnnxExpectedOutput(String backend, String name) throws IOException {
        Path dir = root().resolve(name);
        NpyArray x = Npy.read(dir.resolve("input.npy")), w = Npy.read(dir.resolve("weight.npy"));
        NpyArray expected = Npy.read(dir.resolve("expected.npy"));
        boolean exact = Files.readString(dir.resolve("params.json")).contains("\"exact\": true");
        List<Conv2dProblem> algorithms = Run.paths(problemOf(dir));
        for (Conv2dProblem p : algorithms) {
            float[] bias = p.hasBias() ? Npy.read(dir.resolve("bias.npy")).data() : null;
            assertArrayEquals(expected.shape(), p.outputShape(), "output shape of " + p);
            float[] y = Run.forward(backend, p, x.data(), w.data(), bias);
            if (exact) {
                assertArrayEquals(expected.data(), y, 0f, name + " " + p);
                continue;
            }
            float[] ref = new float[y.length];
            double[] mag = new double[y.length];
            org.conv4j.backend.ReferenceDirect.compute(p, x.data(), w.data(), bias, null, ref, null, mag);
            long kEff = p.reduction() + (p.hasBias() ? 1 : 0);
            for (int i = 0; i < y.length; i++) {
                double tol = 4.0 * kEff * 0x1p-24 * mag[i] + 1e-30;
                double err = Math.abs((double) y[i] - expected.data()[i]);
                if (!(err <= tol)) {
                    fail(String.format("%s %s: output %d is %s, expected %s (|diff| %.3g > tol %.3g)",
                            name, p, i, y[i], expected.data()[i], err, tol));
                }
            }
            assertTrue(y.length > 0);
        }
    }
}
