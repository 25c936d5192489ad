package dev.verinfer.node;

import dev.verinfer.bench.model.ModelResult;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The benchmark as a text table and as a Markdown table (the README's), one row per model. */
final class BenchTable {
    private record Column(String title, Function<ModelResult, String> cell) {}

    private static final List<Column> COLUMNS = List.of(
            new Column("model", ModelResult::model),
            new Column("commitment", ModelResult::commitmentSecurity),
            new Column("params", r -> r.parameters() == null ? "-" : String.format("%,d", r.parameters())),
            new Column("ORT ms", r -> ms(r.ortMillis())),
            new Column("integer ms", r -> ms(r.integerMillis())),
            new Column("setup ms", r -> ms(r.setupMillis())),
            new Column("prove ms", r -> ms(r.proveMillis())),
            new Column("online ms", r -> ms(r.proveOnlineMillis())),
            new Column("offline ms", r -> ms(r.proveOfflineMillis())),
            new Column("online/plain", r -> r.pairedOnlineOverPlain() == null ? "-" : String.format("%.2fx", r.pairedOnlineOverPlain())),
            new Column("reserve", r -> r.reserveHeapBytes() == null ? "-" : Sizes.bytes(r.reserveHeapBytes())),
            new Column("verify ms", r -> ms(r.verifyMillis())),
            new Column("proof", r -> r.proofBytes() == null ? "-" : Sizes.bytes(r.proofBytes())),
            new Column("peak heap", r -> r.peakProveHeapBytes() == null ? "-" : Sizes.bytes(r.peakProveHeapBytes())),
            new Column("prove/ORT", r -> r.proveOverOrt() == null ? "-" : String.format("%,.0fx", r.proveOverOrt())),
            new Column("status", ModelResult::status));

    /** What the prove columns mean (printed under the table). */
    static final String PROVE_NOTE = "prove ms: a whole proof (its randomness and everything derived from it made in the proof);"
            + " zero-knowledge rows: online ms, a proof from a reserve of its input-independent randomness prepared before its clock"
            + " started (ProofMaskReserve; a served request's cost when the next reserve is prepared in the background), offline ms,"
            + " that preparation; online + offline is the proof's total work; online/plain (--with-plain): the median over rounds of"
            + " one plain proof and one proof from a reserve, in alternating order, of their ratio (both under the machine's same"
            + " state, unlike the two rows' medians); reserve: the heap one prepared reserve holds";

    private BenchTable() {}

    static List<String> headers() {
        return COLUMNS.stream().map(Column::title).toList();
    }

    static List<String> cells(ModelResult r) {
        return COLUMNS.stream().map(c -> c.cell().apply(r).replace("|", "/")).toList();
    }

    static List<String> text(List<ModelResult> results) {
        int[] widths = COLUMNS.stream().mapToInt(c -> c.title().length()).toArray();
        for (ModelResult r : results) {
            for (int i = 0; i < widths.length - 1; i++) widths[i] = Math.max(widths[i], COLUMNS.get(i).cell().apply(r).length());
        }
        List<String> lines = new ArrayList<>();
        lines.add(row(headers(), widths));
        for (ModelResult r : results) lines.add(row(cells(r), widths));
        return lines;
    }

    /** Where a proof's bytes go: each part that has any, as "name size". */
    static String parts(ModelResult r) {
        return r.proofBytesByPart().entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + " " + Sizes.bytes(e.getValue())).collect(java.util.stream.Collectors.joining(", "));
    }

    static List<String> markdown(List<ModelResult> results) {
        List<String> lines = new ArrayList<>();
        lines.add("| " + String.join(" | ", headers()) + " |");
        lines.add("|" + "---|".repeat(COLUMNS.size()));
        for (ModelResult r : results) lines.add("| " + String.join(" | ", cells(r)) + " |");
        return lines;
    }

    private static String row(List<String> cells, int[] widths) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            if (i == 0) b.append(String.format("%-" + widths[i] + "s", c));
            else if (i == cells.size() - 1) b.append("  ").append(c);
            else b.append("  ").append(String.format("%" + widths[i] + "s", c));
        }
        return b.toString();
    }

    static String ms(Double millis) {
        if (millis == null) return "-";
        return millis < 10 ? String.format("%.2f", millis) : String.format("%,.0f", millis);
    }
}
