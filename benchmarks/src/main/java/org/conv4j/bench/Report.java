package org.conv4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report directory: {@code jmh.json} (every JMH result of the run), {@code report.md} (command, date,
 * machine, kernel, the table, the ratios the targets are stated in, the epilogue costs) and
 * {@code gflops.png} ({@link Chart}). Each file is written whole or not at all.
 */
final class Report {
    private Report() {
    }

    static void write(Path dir, String command, List<Row> rows, List<Row> epilogue, String kernel, List<Path> jsons)
            throws IOException {
        Files.createDirectories(dir);
        Table.writeAtomically(dir.resolve("jmh.json"), mergeJson(jsons).getBytes(StandardCharsets.UTF_8));
        Table.writeAtomically(dir.resolve("report.md"), markdown(command, rows, epilogue, kernel)
                .getBytes(StandardCharsets.UTF_8));
        Chart.write(dir.resolve("gflops.png"), rows);
    }

    /** JMH writes one JSON array per run; the report holds one array of all their elements. */
    static String mergeJson(List<Path> jsons) throws IOException {
        List<String> parts = new ArrayList<>();
        for (Path j : jsons) {
            String t = Files.exists(j) ? Files.readString(j).trim() : "";
            if (t.length() < 2) continue;
            String body = t.substring(1, t.length() - 1).trim();
            if (!body.isEmpty()) parts.add(body);
        }
        return "[\n" + String.join(",\n", parts) + "\n]\n";
    }

    static String markdown(String command, List<Row> rows, List<Row> epilogue, String kernel) {
        StringBuilder sb = new StringBuilder("# conv4j benchmark report\n\n");
        sb.append("- command: `").append(command).append("`\n");
        sb.append("- date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
        sb.append("- machine: ").append(Machine.describe()).append('\n');
        sb.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.version")).append('\n');
        sb.append("- OpenBLAS kernel: ").append(kernel).append("; threads: 1 = one OpenBLAS thread (and ")
                .append("-XX:ActiveProcessorCount=1 for Java backends), ")
                .append(Runtime.getRuntime().availableProcessors()).append(" = all cores\n");
        sb.append("- GFLOP/s = Conv2dProblem.flops() / time (2 FLOPs per multiply-add, bias not counted)\n\n");
        sb.append("## Results\n\nms: the median call (JMH sample mode), like the peer harness.\n\n| case | backend | threads | ms | GFLOP/s |\n| --- | --- | ---: | ---: | ---: |\n");
        for (Row r : rows) {
            sb.append(String.format("| %s | %s | %s | %s | %s |%n", r.shape(), r.backend(),
                    r.threads() == 0 ? "-" : r.threads(), BenchMain.fmt(r.ms()), r.ran() ? BenchMain.fmt(r.gflops()) : r.note()));
        }
        sb.append(Ratios.markdown(rows));
        if (!epilogue.isEmpty()) sb.append(epilogueMarkdown(epilogue));
        return sb.toString();
    }

    private static String epilogueMarkdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder("\n## Epilogue (native, 1 OpenBLAS thread)\n\n");
        sb.append("`fused_*`: relu (and residual sum) applied by the native pass that writes the output; ")
                .append("`separate_*`: a bias-only conv, then a second pass over the whole output in Java. ")
                .append("Differences of a few percent need the full (not `--quick`) iteration counts on a quiet machine.\n\n");
        sb.append("ms: the mean call (JMH average time).\n\n| case | variant | ms | time / bias |\n| --- | --- | ---: | ---: |\n");
        for (Row r : rows) {
            double bias = rows.stream().filter(o -> o.shape().equals(r.shape()) && o.backend().equals("bias"))
                    .mapToDouble(Row::ms).findFirst().orElse(Double.NaN);
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %.3f |%n", r.shape(), r.backend(),
                    BenchMain.fmt(r.ms()), r.ms() / bias));
        }
        return sb.toString();
    }
}
