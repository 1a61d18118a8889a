package org.conv4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.conv4j.AutoPad;
import org.conv4j.Conv2dProblem;
import org.conv4j.backend.ReferenceDirect;
import org.conv4j.io.Npy;
import org.conv4j.io.NpyArray;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every ONNX Conv conformance case (the core module's test resources, copied here by the build; README
 * there) through {@code conv4j conv}, judged as that README says: exact cases value-identical, others
 * within {@code 4 * K_eff * 2^-24 * sum|x*w| + 1e-30}.
 */
class OnnxConformanceCliTest {
    static final int CASES = 18;

    @TempDir
    Path tmp;

    static Path root() {
        try {
            return Path.of(OnnxConformanceCliTest.class.getResource("/onnx/README.md").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> cases() throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(root())) {
            s.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().forEach(names::add);
        }
        assertEquals(CASES, names.size(), "conformance case count");
        return Stream.of("native", "reference").flatMap(b -> names.stream().map(n -> Arguments.of(b, n)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesOnnxExpectedOutput(String backend, String name) throws IOException {
        Path dir = root().resolve(name), out = tmp.resolve("y.npy");
        String json = Files.readString(dir.resolve("params.json"));
        boolean hasBias = json.contains("\"has_bias\": true");
        List<String> args = new ArrayList<>(List.of("conv", "--input", dir.resolve("input.npy").toString(),
                "--weight", dir.resolve("weight.npy").toString(), "--output", out.toString(), "--backend", backend,
                "--stride", pair(json, "stride"), "--dilation", pair(json, "dilation"),
                "--groups", String.valueOf(ints(json, "groups")[0])));
        String autoPad = string(json, "auto_pad");
        if (autoPad.equals("NOTSET")) {
            args.addAll(List.of("--pad", join(ints(json, "pad"))));
        } else {
            args.addAll(List.of("--auto-pad", autoPad.toLowerCase().replace('_', '-')));
        }
        if (hasBias) args.addAll(List.of("--bias", dir.resolve("bias.npy").toString()));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), name + ": " + r);

        NpyArray y = Npy.read(out), expected = Npy.read(dir.resolve("expected.npy"));
        assertArrayEquals(expected.shape(), y.shape(), name + " output shape");
        if (json.contains("\"exact\": true")) {
            assertArrayEquals(expected.data(), y.data(), 0f, name + " " + r.out());
            return;
        }
        NpyArray x = Npy.read(dir.resolve("input.npy")), w = Npy.read(dir.resolve("weight.npy"));
        float[] bias = hasBias ? Npy.read(dir.resolve("bias.npy")).data() : null;
        Conv2dProblem p = problem(x.shape(), w.shape(), json, autoPad, hasBias);
        double[] mag = new double[y.data().length];
        ReferenceDirect.compute(p, x.data(), w.data(), bias, null, new float[mag.length], null, mag);
        long kEff = p.reduction() + (hasBias ? 1 : 0);
        for (int i = 0; i < mag.length; i++) {
            double tol = 4.0 * kEff * 0x1p-24 * mag[i] + 1e-30;
            double err = Math.abs((double) y.data()[i] - expected.data()[i]);
            if (!(err <= tol)) {
                fail(String.format("%s %s: output %d is %s, expected %s (|diff| %.3g > tol %.3g)", name, p, i,
                        y.data()[i], expected.data()[i], err, tol));
            }
        }
    }

    /** The problem, for the magnitudes sum|x*w| of the tolerance. */
    private static Conv2dProblem problem(long[] xs, long[] ws, String json, String autoPad, boolean bias) {
        long[] st = ints(json, "stride"), dil = ints(json, "dilation"), pad = ints(json, "pad");
        Conv2dProblem.Builder b = Conv2dProblem.builder().input(xs[0], xs[1], xs[2], xs[3]).filters(ws[0], ws[2], ws[3])
                .stride(st[0], st[1]).dilation(dil[0], dil[1]).groups(ints(json, "groups")[0]).bias(bias);
        if (autoPad.equals("NOTSET")) b.pad(pad[0], pad[1], pad[2], pad[3]);
        else b.autoPad(AutoPad.valueOf(autoPad));
        return b.build();
    }

    private static String pair(String json, String key) {
        return join(ints(json, key));
    }

    private static String join(long[] v) {
        StringBuilder sb = new StringBuilder();
        for (long x : v) sb.append(sb.length() > 0 ? "," : "").append(x);
        return sb.toString();
    }

    private static String string(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": \"(\\w+)\"").matcher(json);
        return m.find() ? m.group(1) : "NOTSET";
    }

    private static long[] ints(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": \\[?([-\\d, ]+)\\]?").matcher(json);
        if (!m.find()) throw new IllegalArgumentException("params.json lacks " + key);
        return Stream.of(m.group(1).split(",")).map(String::trim).filter(t -> !t.isEmpty())
                .mapToLong(Long::parseLong).toArray();
    }
}
