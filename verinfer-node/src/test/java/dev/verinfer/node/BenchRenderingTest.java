package dev.verinfer.node;

import dev.verinfer.bench.model.ModelResult;
import dev.verinfer.model.AccuracyReport;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's table and chart show models that are not provable yet (null proof columns) without failing. */
class BenchRenderingTest {
    private static final ModelResult PROVEN = new ModelResult("alexa_v0.1", "proven", "speech", "speech-cal", 213_377L, 14, 250.0, 0.05, 3.0,
            new AccuracyReport(1, 1e-6, 0.05, 3e-5, null), 300.0, 800.0, 30.0, 593_000, 400_000_000L, 16_000.0, "verified", orderedParts(), 450.0, 380.0, 60_000_000L, 1.25);
    private static final ModelResult NOT_YET = new ModelResult("embedding_model", "conjectured", "mel <window>", "mel", 328_000L, 90, 900.0, 1.5, 40.0,
            null, null, null, null, null, null, null, "not provable yet: node 'conv2d' | Conv", null, null, null, null, null);

    @Test void textTable() {
        List<String> lines = BenchTable.text(List.of(PROVEN, NOT_YET));
        assertEquals(3, lines.size());
        assertTrue(lines.get(1).contains("800") && lines.get(1).endsWith("verified"), lines.get(1));
        assertTrue(lines.get(0).contains("prove ms  online ms  offline ms  online/plain  reserve"), lines.get(0));
        assertTrue(lines.get(1).contains(" 450 ") && lines.get(1).contains(" 380 "), "a zero-knowledge row's online and offline times: " + lines.get(1));
        assertTrue(lines.get(0).contains("online/plain") && lines.get(1).contains(" 1.25x "), "the paired ratio: " + lines.get(1));
        assertTrue(lines.get(2).contains("-") && lines.get(2).endsWith("not provable yet: node 'conv2d' / Conv"), lines.get(2));
        assertEquals(lines.get(0).indexOf("status"), lines.get(2).indexOf("not provable"));
        assertEquals("statement 1000 B, open 8.8 KB", BenchTable.parts(PROVEN));
    }

    @Test void htmlChartEscapesAndMarksMissingValues() {
        BenchReport report = new BenchReport("2026-11-25T15:00:00Z", BenchReport.Machine.current(), 2, 0, 1, List.of(PROVEN, NOT_YET));
        String html = BenchHtml.page(report);
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("<svg") && html.contains("n/a"));
        assertTrue(html.contains("mel &lt;window&gt;") && !html.contains("mel <window>"));
        assertEquals(3, BenchTable.markdown(List.of(PROVEN)).size());
    }

    /** The parts in the prover's order (Map.of's iteration order is unspecified and changes between JVM runs). */
    private static java.util.Map<String, Long> orderedParts() {
        java.util.Map<String, Long> parts = new java.util.LinkedHashMap<>();
        parts.put("statement", 1_000L);
        parts.put("open", 9_000L);
        return parts;
    }
}
