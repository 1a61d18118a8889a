package org.conv4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code java} block of README.md is compiled by CI: those after a {@code <!-- ci:run expect="..." -->} comment
 * are built and run by {@code .ci/consumer.sh}; those after {@code <!-- ci:compile spark -->} (fragments that need
 * a Spark session and data) are compiled here, on this module's test classpath, as the body of a method given
 * {@code spark}, {@code problem} and the {@code float[]}s {@code weights} and {@code bias}. A block with neither
 * comment fails this test.
 */
class ReadmeSparkExamplesTest {
    private static final String HEADER = "import java.util.*;\nimport org.apache.spark.sql.*;\nimport org.conv4j.*;\n"
            + "import org.conv4j.image.*;\nimport org.conv4j.spark.*;\n";

    @Test
    void everyJavaBlockIsRunOrCompiled(@TempDir Path dir) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("../../README.md"));
        List<String> fragments = new ArrayList<>();
        List<String> unmarked = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).equals("```java")) continue;
            String marker = i > 0 ? lines.get(i - 1) : "";
            StringBuilder body = new StringBuilder();
            int j = i + 1;
            for (; j < lines.size() && !lines.get(j).equals("```"); j++) body.append(lines.get(j)).append('\n');
            if (marker.equals("<!-- ci:compile spark -->")) {
                fragments.add(body.toString());
            } else if (!marker.startsWith("<!-- ci:run expect=")) {
                unmarked.add("README.md line " + (i + 1));
            }
            i = j;
        }
        assertEquals(List.of(), unmarked, "java blocks without <!-- ci:run expect=\"...\" --> or <!-- ci:compile spark -->");
        assertTrue(fragments.size() >= 2, "the Spark section's two fragments: found " + fragments.size());
        List<String> files = new ArrayList<>();
        for (int k = 0; k < fragments.size(); k++) {
            Path f = dir.resolve("ReadmeExample" + k + ".java");
            Files.writeString(f, HEADER + "class ReadmeExample" + k + " {\n    static void example(SparkSession spark, "
                    + "Conv2dProblem problem, float[] weights, float[] bias) throws Exception {\n" + fragments.get(k) + "    }\n}\n");
            files.add(f.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("-d", dir.toString(), "-cp", System.getProperty("java.class.path")));
        args.addAll(files);
        int rc = javac.run(null, out, out, args.toArray(new String[0]));
        assertEquals(0, rc, "README Spark fragments do not compile:\n" + out.toString(java.nio.charset.StandardCharsets.UTF_8));
    }
}
