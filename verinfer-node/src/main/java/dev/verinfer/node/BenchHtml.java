package dev.verinfer.node;

import dev.verinfer.bench.model.ModelResult;

import java.util.List;
import java.util.function.Function;

/** The benchmark as a self-contained HTML page: a log-scale bar chart of the timings (inline SVG) and the table. */
final class BenchHtml {
    private record Series(String name, String colour, Function<ModelResult, Double> millis) {}

    private static final List<Series> SERIES = List.of(
            new Series("ONNX Runtime", "#7f7f7f", ModelResult::ortMillis),
            new Series("integer executor", "#bcbd22", ModelResult::integerMillis),
            new Series("setup", "#1f77b4", ModelResult::setupMillis),
            new Series("prove", "#d62728", ModelResult::proveMillis),
            new Series("verify", "#2ca02c", ModelResult::verifyMillis));
    private static final int LABEL = 130, WIDTH = 600, BAR = 14, GAP = 3, TITLE = 20, GROUP_GAP = 14;
    private static final double MIN_MS = 0.01;

    private BenchHtml() {}

    static String page(BenchReport report) {
        StringBuilder b = new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>verinfer whole-model benchmark</title>
                <style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;font-size:13px}
                td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}td:first-child,td:last-child,th{text-align:left}
                svg text{font-size:12px}</style></head><body>
                <h1>verinfer whole-model benchmark</h1>
                """);
        b.append("<p>").append(esc(report.date())).append(" · ").append(report.machine().processors()).append(" processors, ")
                .append(report.threads()).append(" threads · ").append(esc(report.machine().java())).append(" · medians of ")
                .append(report.runs()).append(" runs after ").append(report.warmup()).append(" warm-up runs</p>\n");
        b.append(chart(report.results()));
        b.append("<table>\n");
        b.append(tableRow(BenchTable.headers(), "th"));
        report.results().forEach(r -> b.append(tableRow(BenchTable.cells(r), "td")));
        b.append("</table>\n<p>Inputs: ");
        report.results().forEach(r -> b.append(esc(r.model())).append(" on <code>").append(esc(String.valueOf(r.input()))).append("</code>; "));
        b.append("</p>\n</body></html>\n");
        return b.toString();
    }

    private static String chart(List<ModelResult> results) {
        double max = results.stream().flatMap(r -> SERIES.stream().map(s -> s.millis().apply(r))).filter(v -> v != null)
                .mapToDouble(Double::doubleValue).max().orElse(1);
        int groupHeight = TITLE + SERIES.size() * (BAR + GAP) + GROUP_GAP;
        int height = results.size() * groupHeight + 40;
        StringBuilder b = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + (LABEL + WIDTH + 120) + "\" height=\"" + height + "\">\n");
        for (int m = 0; m < results.size(); m++) {
            ModelResult r = results.get(m);
            int y0 = m * groupHeight;
            b.append(text(0, y0 + TITLE - 6, r.model() + " (" + r.commitmentSecurity() + ", " + r.status() + ")", "font-weight:bold"));
            for (int s = 0; s < SERIES.size(); s++) {
                Series series = SERIES.get(s);
                Double v = series.millis().apply(r);
                int y = y0 + TITLE + s * (BAR + GAP);
                b.append(text(12, y + BAR - 3, series.name(), "fill:#555"));
                if (v == null) {
                    b.append(text(LABEL, y + BAR - 3, "n/a", "fill:#999"));
                    continue;
                }
                int w = (int) Math.max(1, WIDTH * Math.log10(Math.max(v, MIN_MS) / MIN_MS) / Math.log10(max / MIN_MS));
                b.append("<rect x=\"").append(LABEL).append("\" y=\"").append(y).append("\" width=\"").append(w).append("\" height=\"").append(BAR)
                        .append("\" fill=\"").append(series.colour()).append("\"/>\n");
                b.append(text(LABEL + w + 4, y + BAR - 3, BenchTable.ms(v) + " ms", ""));
            }
        }
        b.append(text(LABEL, height - 12, "log scale, milliseconds (median)", "fill:#555"));
        return b.append("</svg>\n").toString();
    }

    private static String text(int x, int y, String s, String style) {
        return "<text x=\"" + x + "\" y=\"" + y + "\" style=\"" + style + "\">" + esc(s) + "</text>\n";
    }

    private static String tableRow(List<String> cells, String cell) {
        StringBuilder b = new StringBuilder("<tr>");
        for (String c : cells) b.append('<').append(cell).append('>').append(esc(c)).append("</").append(cell).append('>');
        return b.append("</tr>\n").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
