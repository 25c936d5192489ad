package dev.verinfer.model.graph;

import java.util.List;

/**
 * A graph input or output: its name, declared dims (null entries are dynamic, named by the model or
 * not) and ONNX element type (1 float; 2–7, 12, 13 integers; 9 bool; 0 unknown).
 */
public record ValueInfo(String name, List<Long> dims, int elemType) {
    public ValueInfo { dims = dims == null ? null : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(dims)); }

    public ValueInfo(String name, List<Long> dims) { this(name, dims, 1); }

    public boolean isBoolean() { return elemType == 9; }

    public boolean isInteger() { return java.util.Set.of(2, 3, 4, 5, 6, 7, 12, 13).contains(elemType); }

    public boolean hasShape() { return dims != null; }
}
