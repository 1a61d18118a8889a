package org.conv4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

/** GFLOP/s per case (x) and backend with its thread count (one bar series each), on a log scale. */
final class Chart {
    private Chart() {
    }

    static void write(Path png, List<Row> rows) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> cases = rows.stream().filter(Row::ran).map(Row::shape).distinct().toList();
        if (cases.isEmpty()) return;
        Map<String, List<Number>> series = new LinkedHashMap<>();
        for (Row r : rows) {
            if (!r.ran()) continue;
            String name = r.backend() + " (" + r.threads() + " thr)";
            List<Number> ys = series.computeIfAbsent(name, k -> {
                List<Number> l = new ArrayList<>();
                for (int i = 0; i < cases.size(); i++) l.add(null);
                return l;
            });
            ys.set(cases.indexOf(r.shape()), r.gflops());
        }
        CategoryChart chart = new CategoryChartBuilder().width(1400).height(700)
                .title("conv4j: GFLOP/s per case and backend (log scale)").xAxisTitle("case")
                .yAxisTitle("GFLOP/s").build();
        CategoryStyler s = chart.getStyler();
        double min = rows.stream().filter(Row::ran).mapToDouble(Row::gflops).min().orElse(1);
        s.setYAxisLogarithmic(true);
        s.setYAxisMin(Math.pow(10, Math.floor(Math.log10(min)))); // bars start here: a log axis has no 0
        s.setXAxisLabelRotation(30);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        for (Map.Entry<String, List<Number>> e : series.entrySet()) chart.addSeries(e.getKey(), cases, e.getValue());
        Files.createDirectories(png.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(png.toAbsolutePath().getParent(), ".gflops", ".png");
        try {
            BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
            Table.readableByAll(tmp);
            Files.move(tmp, png, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
