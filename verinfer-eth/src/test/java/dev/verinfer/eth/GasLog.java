package dev.verinfer.eth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Gas used per named step across a test class's scenarios, printed as a table (median, min, max): deterministic on anvil, unlike time. */
final class GasLog {
    private final Map<String, List<Long>> steps = new TreeMap<>();

    /** Records the receipt's gas under {@code step} and returns the receipt. */
    synchronized Receipt step(String step, Receipt r) {
        steps.computeIfAbsent(step, k -> new ArrayList<>()).add(r.gasUsed());
        return r;
    }

    synchronized String table() {
        StringBuilder out = new StringBuilder(String.format("%-44s %6s %10s %10s %10s%n", "step", "count", "median", "min", "max"));
        steps.forEach((step, gas) -> {
            List<Long> sorted = gas.stream().sorted().toList();
            out.append(String.format("%-44s %6d %10d %10d %10d%n", step, sorted.size(), sorted.get(sorted.size() / 2), sorted.getFirst(), sorted.getLast()));
        });
        return out.toString();
    }
}
