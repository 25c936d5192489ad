package dev.verinfer.model.graph;

import java.util.List;

/** A graph input or output: its name and declared dims (null entries are dynamic, named by the model or not). */
public record ValueInfo(String name, List<Long> dims) {
    public ValueInfo { dims = dims == null ? null : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(dims)); }

    public boolean hasShape() { return dims != null; }
}
