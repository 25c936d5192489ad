package dev.verinfer.node;

import dev.verinfer.model.graph.Graph;
import dev.verinfer.model.graph.ValueInfo;
import dev.verinfer.model.onnx.OnnxImporter;

import java.nio.file.Path;
import java.util.List;

/** An ONNX model file read into the float graph, and the inputs it declares. */
final class OnnxFiles {
    private OnnxFiles() {}

    static Graph read(Path file) {
        return OnnxImporter.parse(FileIO.read(file, "ONNX model"));
    }

    /** The declared inputs; dynamic (or undeclared) dimensions are -1. */
    static List<TensorSpec> inputs(Graph g) {
        return g.inputs().stream().map(OnnxFiles::spec).toList();
    }

    private static TensorSpec spec(ValueInfo v) {
        if (!v.hasShape()) return new TensorSpec(v.name(), new int[] {-1});
        return new TensorSpec(v.name(), v.dims().stream().mapToInt(d -> d == null || d <= 0 ? -1 : Math.toIntExact(d)).toArray());
    }
}
